/*
 * pkt_build.c - packet assembly for the capture tests (pkt_build.h).
 */
#include "pkt_build.h"

#include <stdlib.h>
#include <string.h>

const uint8_t PB_SRC4[4] = {10, 0, 0, 1};
const uint8_t PB_DST4[4] = {10, 0, 0, 2};
const uint8_t PB_SRC6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
const uint8_t PB_DST6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02};

static void room(pb *b, size_t n)
{
    if (n > PB_MAX - b->len)
        abort(); /* a test bug, not a decoder bug */
}

void pb_reset(pb *b)
{
    b->len = 0;
}

void pb_u8(pb *b, unsigned v)
{
    room(b, 1);
    b->buf[b->len++] = (uint8_t)v;
}

void pb_be16(pb *b, unsigned v)
{
    pb_u8(b, (v >> 8) & 0xffu);
    pb_u8(b, v & 0xffu);
}

void pb_be32(pb *b, uint32_t v)
{
    pb_be16(b, v >> 16);
    pb_be16(b, v & 0xffffu);
}

void pb_le32(pb *b, uint32_t v)
{
    pb_u8(b, v & 0xffu);
    pb_u8(b, (v >> 8) & 0xffu);
    pb_u8(b, (v >> 16) & 0xffu);
    pb_u8(b, v >> 24);
}

void pb_host16(pb *b, uint16_t v)
{
    room(b, 2);
    memcpy(b->buf + b->len, &v, 2);
    b->len += 2;
}

void pb_bytes(pb *b, const void *p, size_t n)
{
    room(b, n);
    memcpy(b->buf + b->len, p, n);
    b->len += n;
}

void pb_zeros(pb *b, size_t n)
{
    room(b, n);
    memset(b->buf + b->len, 0, n);
    b->len += n;
}

void pb_put_be16(pb *b, size_t off, unsigned v)
{
    b->buf[off] = (uint8_t)(v >> 8);
    b->buf[off + 1] = (uint8_t)v;
}

void pb_eth(pb *b, unsigned type)
{
    static const uint8_t macs[12] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};
    pb_bytes(b, macs, sizeof macs);
    pb_be16(b, type);
}

void pb_vlan(pb *b, unsigned vid, unsigned next_type)
{
    pb_be16(b, vid & 0x0fffu);
    pb_be16(b, next_type);
}

tcp_spec tcp_default(void)
{
    tcp_spec t;
    memset(&t, 0, sizeof t);
    t.sport = 40000;
    t.dport = 80;
    t.seq = 1000;
    t.ack = 2000;
    t.flags = 0x18;
    t.win = 512;
    return t;
}

/* Byte-wise one's complement sum: even bytes are high halves, odd bytes low halves. */
static uint32_t sum_bytes(uint32_t s, const uint8_t *p, size_t n)
{
    uint32_t hi = 0, lo = 0;
    for (size_t i = 0; i < n; i++) {
        if (i % 2 == 0)
            hi += p[i];
        else
            lo += p[i];
    }
    return s + hi * 256u + lo;
}

static uint16_t finish(uint32_t s)
{
    while (s > 0xffffu)
        s = (s >> 16) + (s & 0xffffu);
    return (uint16_t)~s;
}

uint16_t pb_tcp_csum4(const uint8_t *src, const uint8_t *dst, const uint8_t *seg, size_t n)
{
    uint32_t s = sum_bytes(0, src, 4);
    s = sum_bytes(s, dst, 4);
    s += 6 + (uint32_t)n;
    return finish(sum_bytes(s, seg, n));
}

uint16_t pb_tcp_csum6(const uint8_t *src, const uint8_t *dst, const uint8_t *seg, size_t n)
{
    uint32_t s = sum_bytes(0, src, 16);
    s = sum_bytes(s, dst, 16);
    s += 6 + (uint32_t)(n >> 16) + (uint32_t)(n & 0xffffu);
    return finish(sum_bytes(s, seg, n));
}

/* Appends the TCP header and payload; returns its offset (checksum left zero). */
static size_t put_tcp(pb *b, const tcp_spec *t)
{
    size_t off = b->len;
    size_t doff = t->doff != 0 ? (size_t)t->doff : (20 + t->optlen) / 4;
    pb_be16(b, t->sport);
    pb_be16(b, t->dport);
    pb_be32(b, t->seq);
    pb_be32(b, t->ack);
    pb_u8(b, (unsigned)(doff << 4));
    pb_u8(b, t->flags);
    pb_be16(b, t->win);
    pb_be16(b, 0); /* checksum */
    pb_be16(b, 0); /* urgent pointer */
    if (t->optlen > 0)
        pb_bytes(b, t->opts, t->optlen);
    for (size_t i = 0; i < t->paylen; i++)
        pb_u8(b, i & 0xffu);
    return off;
}

static void set_csum(pb *b, size_t tcp_off, uint16_t c, bool bad)
{
    if (bad)
        c = (uint16_t)(c ^ 0x5555u);
    pb_put_be16(b, tcp_off + 16, c);
}

static size_t put_ipv4_hdr(pb *b, unsigned proto, unsigned frag, const uint8_t *opts, size_t optlen)
{
    size_t off = b->len;
    pb_u8(b, 0x40u | (unsigned)((20 + optlen) / 4));
    pb_u8(b, 0);
    pb_be16(b, 0); /* total length, set later */
    pb_be16(b, 0x1234);
    pb_be16(b, frag);
    pb_u8(b, 64);
    pb_u8(b, proto);
    pb_be16(b, 0); /* header checksum: not checked by the decoder */
    pb_bytes(b, PB_SRC4, 4);
    pb_bytes(b, PB_DST4, 4);
    if (optlen > 0)
        pb_bytes(b, opts, optlen);
    return off;
}

size_t pb_ipv4_tcp(pb *b, const tcp_spec *t, const uint8_t *ipopts, size_t ipoptlen)
{
    size_t ip = put_ipv4_hdr(b, 6, 0x4000, ipopts, ipoptlen); /* DF */
    size_t tcp = put_tcp(b, t);
    pb_put_be16(b, ip + 2, (unsigned)(b->len - ip));
    set_csum(b, tcp, pb_tcp_csum4(PB_SRC4, PB_DST4, b->buf + tcp, b->len - tcp), t->bad_csum);
    return ip;
}

size_t pb_ipv4_tcp_frag(pb *b, const tcp_spec *t, unsigned frag)
{
    size_t ip = put_ipv4_hdr(b, 6, frag, NULL, 0);
    size_t tcp = put_tcp(b, t);
    pb_put_be16(b, ip + 2, (unsigned)(b->len - ip));
    set_csum(b, tcp, pb_tcp_csum4(PB_SRC4, PB_DST4, b->buf + tcp, b->len - tcp), t->bad_csum);
    return ip;
}

size_t pb_ipv4_proto(pb *b, unsigned proto, size_t paylen, unsigned frag)
{
    size_t ip = put_ipv4_hdr(b, proto, frag, NULL, 0);
    pb_zeros(b, paylen);
    pb_put_be16(b, ip + 2, (unsigned)(b->len - ip));
    return ip;
}

size_t pb_ipv6_tcp(pb *b, const tcp_spec *t, unsigned first_next, const uint8_t *ext, size_t extlen)
{
    size_t ip = b->len, tcp;
    pb_be32(b, 0x60000000u);
    pb_be16(b, 0); /* payload length, set later */
    pb_u8(b, first_next);
    pb_u8(b, 64);
    pb_bytes(b, PB_SRC6, 16);
    pb_bytes(b, PB_DST6, 16);
    if (extlen > 0)
        pb_bytes(b, ext, extlen);
    tcp = put_tcp(b, t);
    pb_put_be16(b, ip + 4, (unsigned)(b->len - ip - 40));
    set_csum(b, tcp, pb_tcp_csum6(PB_SRC6, PB_DST6, b->buf + tcp, b->len - tcp), t->bad_csum);
    return ip;
}
