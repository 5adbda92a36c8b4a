/*
 * cap_decode_int.h - the decoder's internal interfaces between its layers (not for users of the
 * capture library).  Each layer gets a cap_reader positioned at its header and covering exactly
 * its region of the packet, fills its part of the cap_packet and hands the rest on:
 * cap_link.c -> cap_net_ethertype()/cap_net_by_version() -> cap_ip.c -> cap_tcp.c.
 */
#ifndef TCPSIM_CAP_DECODE_INT_H
#define TCPSIM_CAP_DECODE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap_decode.h"
#include "cap_reader.h"

/* What every layer needs: the packet start (for offsets) and the result being filled. */
typedef struct cap_dec {
    const uint8_t *base;
    cap_packet *out;
} cap_dec;

/* The reason for a failed read: truncated when only the snaplen cut was in the way, else the
 * layer's malformed reason (a header length pointed past the end of its region on the wire). */
static inline cap_skip cap_rd_reason(const cap_reader *r, cap_skip malformed)
{
    return cap_rd_cut_short(r) ? CAP_SKIP_TRUNCATED : malformed;
}

/* Link layers (cap_link.c).  Each decodes one link header and continues to the network layer. */
typedef cap_skip (*cap_link_fn)(cap_dec *d, cap_reader *r);
cap_skip cap_link_ether(cap_dec *d, cap_reader *r);
cap_skip cap_link_sll(cap_dec *d, cap_reader *r);
cap_skip cap_link_sll2(cap_dec *d, cap_reader *r);
cap_skip cap_link_raw(cap_dec *d, cap_reader *r);
cap_skip cap_link_ipv4(cap_dec *d, cap_reader *r);
cap_skip cap_link_ipv6(cap_dec *d, cap_reader *r);
cap_skip cap_link_null(cap_dec *d, cap_reader *r);
cap_skip cap_link_nflog(cap_dec *d, cap_reader *r);
cap_skip cap_link_chdlc(cap_dec *d, cap_reader *r);
cap_skip cap_link_ppp(cap_dec *d, cap_reader *r);
cap_skip cap_link_ieee80211(cap_dec *d, cap_reader *r);
cap_skip cap_link_radiotap(cap_dec *d, cap_reader *r);

/* An EtherType (after Ethernet, SLL, SLL2, Cisco HDLC): VLAN tags, PPPoE, IPv4, IPv6. */
cap_skip cap_net_ethertype(cap_dec *d, cap_reader *r, uint16_t type);
/* A link layer that says "IP" without saying which: the version nibble decides. */
cap_skip cap_net_by_version(cap_dec *d, cap_reader *r);

/* IPv4 and IPv6 (cap_ip.c); r starts at the IP header and runs to the end of the frame. */
cap_skip cap_ipv4(cap_dec *d, cap_reader *r);
cap_skip cap_ipv6(cap_dec *d, cap_reader *r);

/*
 * TCP (cap_tcp.c).  `seg` covers the TCP segment exactly as the IP header delimits it (its cut
 * says how much of it snaplen removed).  `pseudo` is the one's complement sum of the pseudo-header
 * without the length (cap_csum_partial over addresses and protocol), or -1 when the checksum
 * cannot be verified whatever is captured.  Fills out->sport.. out->seg and the checksum result.
 */
cap_skip cap_tcp(cap_dec *d, cap_reader *seg, int64_t pseudo);

/* Internet checksum (cap_csum.c): adds n bytes, big-endian 16-bit words, to a running sum. */
uint64_t cap_csum_partial(uint64_t sum, const uint8_t *p, size_t n);
/* Folds a running sum to 16 bits (not complemented). */
uint16_t cap_csum_fold(uint64_t sum);

#endif
