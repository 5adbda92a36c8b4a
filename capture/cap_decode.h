/*
 * cap_decode.h - turns the bytes of one captured packet into a TCP segment, or a skip reason.
 *
 * The decoder is pure: no libpcap calls, no allocation, no global state, so it can be unit-tested
 * on hand-built bytes and fuzzed one packet at a time.  It takes the link type (a DLT_* value as
 * pcap_datalink() returns it), the captured bytes, the captured length and the original length on
 * the wire, and walks link layer -> IPv4/IPv6 -> TCP with a bounds-checked reader (cap_reader.h).
 * The TCP payload length comes from the IP header's lengths, never from the captured length, so a
 * capture cut by snaplen still gives the real SEG.LEN; `payload_cut` says when bytes are missing.
 * A bad TCP checksum (often just checksum offload on the capturing host) is reported in `csum`
 * and never makes the decoder drop the packet.
 */
#ifndef TCPSIM_CAP_DECODE_H
#define TCPSIM_CAP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap_skip.h"
#include "tcp_seg.h"

/* Address family of a cap_addr: the IP version. */
enum { CAP_FAMILY_NONE = 0, CAP_FAMILY_IPV4 = 4, CAP_FAMILY_IPV6 = 6 };

typedef struct cap_addr {
    uint8_t family;    /* CAP_FAMILY_IPV4 or CAP_FAMILY_IPV6 */
    uint8_t bytes[16]; /* network byte order; IPv4 uses bytes[0..3], the rest stays zero */
} cap_addr;

/* What could be said about the TCP checksum. */
typedef enum cap_csum {
    CAP_CSUM_UNVERIFIED = 0, /* not checked: segment not wholly captured, a fragment, or an IPv6
                                routing header still to be processed (pseudo-header unknown) */
    CAP_CSUM_GOOD,
    CAP_CSUM_BAD, /* counted, never a reason to drop: checksum offload produces these */
} cap_csum;

typedef struct cap_packet {
    uint64_t ts_us;     /* capture time in microseconds: set by the caller, kept by cap_decode */
    uint8_t ip_version; /* 4 or 6; 0 when no IP header was reached */
    uint16_t ip_id;     /* IPv4 identification (0 for IPv6) */
    cap_addr src, dst;
    uint16_t sport, dport;
    /*
     * seq, ack, len, flags, win_raw and the options.  win = win_raw (window scaling is applied
     * later by whoever knows the handshake).  wscale is the shift as sent, even above 14.  When an
     * option appears twice the last one wins; an option of a known kind with the wrong length is
     * ignored, as Linux does.
     */
    tcp_seg seg;
    bool has_tcp;        /* the TCP header was decoded: every used packet, and some fragments */
    bool first_fragment; /* skip reason is fragment, but this first fragment (offset 0, more
                            fragments follow) held the whole TCP header: seg is filled, with
                            seg.len counting only the payload bytes of this fragment */
    bool options_cut;    /* snaplen cut the TCP options: only the captured ones were read */
    bool payload_cut;    /* the payload is not wholly captured (snaplen) */
    bool tso_length;     /* IPv4 total length 0 or IPv6 payload length 0 (TSO / BIG TCP on the
                            capturing host): lengths were taken from the frame instead */
    uint32_t payload_captured; /* payload bytes present in the capture (<= seg.len) */
    cap_csum csum;
    bool csum_offload; /* csum is BAD, but the field holds only the pseudo-header sum: the
                          capturing host's checksum offload, not damage */
    uint32_t l3_off;   /* byte offset of the IP header in the packet */
    uint32_t l4_off;   /* byte offset of the TCP header (valid when has_tcp) */
    uint8_t vlan_tags; /* number of 802.1Q/802.1ad tags crossed */
    /* FNV-1a digest of the TCP header as captured (options and checksum included) and of the
     * first CAP_DIGEST_PAYLOAD payload bytes captured: two frames with equal digests, IPv4 IDs
     * and lengths are byte-identical copies (the checksum covers the rest of the payload) */
    uint64_t tcp_digest;
} cap_packet;

#define CAP_DIGEST_PAYLOAD 16

/*
 * Decodes one packet.  `linktype` is a DLT_* value; `caplen` bytes at `data` were captured out of
 * `wirelen` on the wire (a wirelen below caplen is treated as caplen).  Clears every field of *out
 * except ts_us, fills what it decoded, and returns CAP_SKIP_NONE when *out holds a TCP segment, or
 * the one reason the packet is skipped.  Never reads outside data[0..caplen).
 */
cap_skip cap_decode(int linktype, const uint8_t *data, size_t caplen, size_t wirelen,
                    cap_packet *out);

/* True when cap_decode has a decoder for this DLT_* value. */
bool cap_link_supported(int linktype);

#endif
