/*
 * cap_export_frame.c - builds the bytes of one exported frame: an Ethernet II header (made-up,
 * locally administered MAC addresses) or none (raw IP), an IPv4 header (TTL 64, DF, the sender's
 * IP ID, header checksum) or an IPv6 header (hop limit 64, flow label 0), and the TCP header with
 * the segment's options and a checksum over the pseudo-header.  The link and IP headers are
 * built by cap_export_ip_header(), which the UDP frames (cap_export_udp.c) share.  The checksum
 * here is a plain byte-pair sum, written independently of the decoder's (cap_csum.c) so that each
 * checks the other in the tests.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cap_export_int.h"

enum { ETHER_HDR = 14, IPV4_HDR = 20, IPV6_HDR = 40, TCP_HDR = 20, IPPROTO_TCP_NUM = 6 };

/* ---- addresses ----------------------------------------------------------------------------- */

int cap_export_parse_endpoint(const char *s, cap_addr *a, uint16_t *port)
{
    char buf[80];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n + 1);
    char *colon = strrchr(buf, ':');
    if (colon == NULL || colon[1] == '\0')
        return -1;
    *colon = '\0';
    unsigned long p = 0;
    for (const char *d = colon + 1; *d; d++) {
        if (*d < '0' || *d > '9' || p > 65535)
            return -1;
        p = p * 10 + (unsigned long)(*d - '0');
    }
    if (p > 65535)
        return -1;
    *port = (uint16_t)p;
    memset(a, 0, sizeof *a);
    char *host = buf;
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        a->family = CAP_FAMILY_IPV6;
        return inet_pton(AF_INET6, host + 1, a->bytes) == 1 ? 0 : -1;
    }
    a->family = CAP_FAMILY_IPV4;
    return inet_pton(AF_INET, host, a->bytes) == 1 ? 0 : -1;
}

int cap_export_ends_init(cap_export_ends *e, const char *client, const char *server, char *err,
                         size_t errlen)
{
    memset(e, 0, sizeof *e);
    const char *addr[2] = {client, server};
    for (int i = 0; i < 2; i++) {
        if (cap_export_parse_endpoint(addr[i], &e->addr[i], &e->port[i]) < 0) {
            snprintf(err, errlen, "the %s address '%s' is not ADDR:PORT (IPv6 in brackets)",
                     trace_ep_name((unsigned)i), addr[i]);
            return -1;
        }
        static const uint8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x00};
        memcpy(e->mac[i], mac, sizeof mac);
        e->mac[i][5] = (uint8_t)(i + 1);
    }
    if (e->addr[0].family != e->addr[1].family) {
        snprintf(err, errlen, "the client '%s' and the server '%s' are not of one IP version",
                 client, server);
        return -1;
    }
    return 0;
}

/* ---- checksum ------------------------------------------------------------------------------ */

static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        sum += (uint32_t)p[i] << 8 | p[i + 1];
        sum = (sum & 0xffffu) + (sum >> 16);
    }
    if (i < n) { /* an odd byte is padded with a zero on the right */
        sum += (uint32_t)p[i] << 8;
        sum = (sum & 0xffffu) + (sum >> 16);
    }
    return sum;
}

static uint16_t finish(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

uint16_t cap_export_csum(const uint8_t *p, size_t n, uint32_t initial)
{
    return finish(sum_bytes(initial, p, n));
}

/* ---- headers ------------------------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

size_t cap_export_tcp_options(const tcp_seg *seg, uint8_t *out, unsigned *nsack)
{
    size_t n = 0;
    if (seg->has_mss) {
        out[n++] = 2;
        out[n++] = 4;
        cap_export_put16(out + n, seg->mss);
        n += 2;
    }
    if (seg->has_ts) {
        if (seg->sack_perm) { /* SACK-permitted fills the two bytes NOPs would (Linux) */
            out[n++] = 4;
            out[n++] = 2;
        } else {
            out[n++] = 1;
            out[n++] = 1;
        }
        out[n++] = 8;
        out[n++] = 10;
        put32(out + n, seg->tsval);
        put32(out + n + 4, seg->tsecr);
        n += 8;
    } else if (seg->sack_perm) {
        out[n++] = 1;
        out[n++] = 1;
        out[n++] = 4;
        out[n++] = 2;
    }
    if (seg->has_wscale) {
        out[n++] = 1;
        out[n++] = 3;
        out[n++] = 3;
        out[n++] = seg->wscale;
    }
    unsigned blocks = seg->nsack < TCP_MAX_SACK ? seg->nsack : TCP_MAX_SACK;
    unsigned room =
        CAP_EXPORT_OPT_MAX - (unsigned)n >= 12 ? (CAP_EXPORT_OPT_MAX - (unsigned)n - 4) / 8 : 0;
    if (blocks > room)
        blocks = room;
    if (blocks > 0) {
        out[n++] = 1;
        out[n++] = 1;
        out[n++] = 5;
        out[n++] = (uint8_t)(2 + 8 * blocks);
        for (unsigned b = 0; b < blocks; b++) {
            put32(out + n, seg->sack[b].left);
            put32(out + n + 4, seg->sack[b].right);
            n += 8;
        }
    }
    if (nsack)
        *nsack = blocks;
    return n;
}

size_t cap_export_ip_header_len(const cap_export_ends *e)
{
    return e->addr[0].family == CAP_FAMILY_IPV6 ? IPV6_HDR : IPV4_HDR;
}

size_t cap_export_ip_tcp_header_len(const cap_export_ends *e, const tcp_seg *seg)
{
    uint8_t opt[CAP_EXPORT_OPT_MAX];
    return cap_export_ip_header_len(e) + TCP_HDR + cap_export_tcp_options(seg, opt, NULL);
}

size_t cap_export_ip_header(uint8_t *buf, size_t size, const cap_export_ends *e, bool raw_ip,
                            unsigned from, uint16_t ip_id, uint8_t proto, size_t l4_len,
                            uint32_t *pseudo)
{
    bool v6 = e->addr[0].family == CAP_FAMILY_IPV6;
    unsigned to = 1u - (from & 1u);
    from &= 1u;
    size_t ip_len = cap_export_ip_header_len(e) + l4_len;
    size_t link = raw_ip ? 0 : ETHER_HDR;
    if ((v6 ? l4_len : ip_len) > 65535u || link + ip_len > size)
        return 0;

    uint8_t *p = buf;
    if (!raw_ip) {
        memcpy(p, e->mac[to], 6);
        memcpy(p + 6, e->mac[from], 6);
        cap_export_put16(p + 12, v6 ? 0x86dd : 0x0800);
        p += ETHER_HDR;
    }
    if (v6) {
        memset(p, 0, IPV6_HDR);
        p[0] = 0x60; /* version 6, traffic class 0, flow label 0 */
        cap_export_put16(p + 4, (uint32_t)l4_len);
        p[6] = proto;
        p[7] = CAP_EXPORT_TTL;
        memcpy(p + 8, e->addr[from].bytes, 16);
        memcpy(p + 24, e->addr[to].bytes, 16);
        *pseudo = sum_bytes(0, p + 8, 32);
        *pseudo += (uint32_t)l4_len; /* upper-layer length (32 bits; fits in 16 here) */
        *pseudo += proto;
        return link + IPV6_HDR;
    }
    memset(p, 0, IPV4_HDR);
    p[0] = 0x45; /* version 4, 5 words */
    cap_export_put16(p + 2, (uint32_t)ip_len);
    cap_export_put16(p + 4, ip_id);
    cap_export_put16(p + 6, 0x4000); /* DF, fragment offset 0 */
    p[8] = CAP_EXPORT_TTL;
    p[9] = proto;
    memcpy(p + 12, e->addr[from].bytes, 4);
    memcpy(p + 16, e->addr[to].bytes, 4);
    cap_export_put16(p + 10, cap_export_csum(p, IPV4_HDR, 0));
    *pseudo = sum_bytes(0, p + 12, 8);
    *pseudo += proto;
    *pseudo += (uint32_t)l4_len;
    return link + IPV4_HDR;
}

size_t cap_export_frame(uint8_t *buf, size_t size, const cap_export_ends *e, bool raw_ip,
                        unsigned from, uint16_t ip_id, const tcp_seg *seg, const uint8_t *payload)
{
    from &= 1u;
    unsigned to = 1u - from;
    uint8_t opt[CAP_EXPORT_OPT_MAX];
    size_t optlen = cap_export_tcp_options(seg, opt, NULL);
    size_t tcp_len = TCP_HDR + optlen + seg->len;
    if (seg->len > 65535u)
        return 0;
    /* link and IP headers; the pseudo-header sum for TCP is taken along the way */
    uint32_t pseudo = 0;
    size_t hdr =
        cap_export_ip_header(buf, size, e, raw_ip, from, ip_id, IPPROTO_TCP_NUM, tcp_len, &pseudo);
    if (hdr == 0)
        return 0;

    /* TCP header */
    uint8_t *t = buf + hdr;
    memset(t, 0, TCP_HDR);
    cap_export_put16(t, e->port[from]);
    cap_export_put16(t + 2, e->port[to]);
    put32(t + 4, seg->seq);
    put32(t + 8, (seg->flags & TCP_ACK) ? seg->ack : 0);
    t[12] = (uint8_t)(((TCP_HDR + optlen) / 4) << 4);
    t[13] = seg->flags;
    cap_export_put16(t + 14, seg->win_raw);
    /* checksum (t + 16) stays zero while summing; urgent pointer (t + 18) is 0: tcp_seg carries
     * none, and with URG set that points at the first payload byte */
    memcpy(t + TCP_HDR, opt, optlen);
    if (seg->len > 0)
        memcpy(t + TCP_HDR + optlen, payload, seg->len);
    cap_export_put16(t + 16, cap_export_csum(t, tcp_len, pseudo));
    return hdr + tcp_len;
}
