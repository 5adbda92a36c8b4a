/*
 * pkt_build.h - test helper that assembles packet bytes by hand: link headers, IPv4/IPv6 headers
 * with correct lengths and checksums, TCP headers with options and payload.  The checksum code
 * here is written independently of capture/cap_csum.c (byte-wise sums) so that a bug in one is
 * not mirrored by the other.
 */
#ifndef TCPSIM_TEST_PKT_BUILD_H
#define TCPSIM_TEST_PKT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PB_MAX 72000

typedef struct pb {
    uint8_t buf[PB_MAX];
    size_t len;
} pb;

void pb_reset(pb *b);
void pb_u8(pb *b, unsigned v);
void pb_be16(pb *b, unsigned v);
void pb_be32(pb *b, uint32_t v);
void pb_le32(pb *b, uint32_t v);
void pb_host16(pb *b, uint16_t v);
void pb_bytes(pb *b, const void *p, size_t n);
void pb_zeros(pb *b, size_t n);
void pb_put_be16(pb *b, size_t off, unsigned v);

/* Ethernet II header with fixed MACs and the given EtherType (or 802.3 length). */
void pb_eth(pb *b, unsigned type);
/* One VLAN tag: TPID already written as the previous type; writes TCI and the next type. */
void pb_vlan(pb *b, unsigned vid, unsigned next_type);

/* The TCP header and payload to build. */
typedef struct tcp_spec {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t win;
    const uint8_t *opts; /* option bytes, a multiple of 4 unless doff is forced */
    size_t optlen;
    size_t paylen; /* payload bytes (pattern 0x00, 0x01, ...) */
    int doff;      /* 0: computed; else forced into the header (in 32-bit words) */
    bool bad_csum; /* flip the checksum */
} tcp_spec;

/* A standard spec: 10.0.0.1:40000 -> 10.0.0.2:80, seq 1000, ack 2000, ACK|PSH, win 512. */
tcp_spec tcp_default(void);

extern const uint8_t PB_SRC4[4], PB_DST4[4], PB_SRC6[16], PB_DST6[16];

/*
 * Appends an IPv4 header (with `ipopts` as options, a multiple of 4 bytes) and the TCP segment.
 * Returns the offset of the IPv4 header.  proto other than 6 puts paylen zero bytes instead of
 * TCP.  frag is the flags/offset field.
 */
size_t pb_ipv4_tcp(pb *b, const tcp_spec *t, const uint8_t *ipopts, size_t ipoptlen);
size_t pb_ipv4_proto(pb *b, unsigned proto, size_t paylen, unsigned frag);
/* Same with an explicit flags/fragment-offset field for a TCP packet. */
size_t pb_ipv4_tcp_frag(pb *b, const tcp_spec *t, unsigned frag);

/*
 * Appends an IPv6 header, `ext` (a ready-made extension header chain whose last next-header is
 * TCP) and the TCP segment.  first_next is the IPv6 header's next header (6 without ext).
 * Returns the offset of the IPv6 header.
 */
size_t pb_ipv6_tcp(pb *b, const tcp_spec *t, unsigned first_next, const uint8_t *ext,
                   size_t extlen);

/* One's complement checksum over a TCP segment with its pseudo-header, for the tests. */
uint16_t pb_tcp_csum4(const uint8_t *src, const uint8_t *dst, const uint8_t *seg, size_t n);
uint16_t pb_tcp_csum6(const uint8_t *src, const uint8_t *dst, const uint8_t *seg, size_t n);

#endif
