/*
 * cap_tcp.c - the TCP header (RFC 9293 3.1) and the options tcpsim understands: MSS, window
 * scale (RFC 7323), SACK-permitted and SACK blocks (RFC 2018), timestamps (RFC 7323).  The data
 * offset must be at least 5 and within the segment as the IP header delimits it; options are
 * walked inside the header only.  Once the fixed 20 bytes are captured the segment is used even
 * if snaplen cut the options (a SYN cut after its MSS option still opens a connection): the
 * options that were captured are read and cap_packet.options_cut is set.  An option whose length
 * byte is missing, below 2 or runs past the header makes the whole segment "malformed-tcp" (the
 * header cannot be trusted); a known option with an unexpected length is ignored, and unknown
 * options are stepped over.  The checksum is verified over the pseudo-header when the whole segment
 * was captured.
 */
#include "cap_decode_int.h"

#include <string.h>

enum {
    TCPOPT_EOL = 0,
    TCPOPT_NOP = 1,
    TCPOPT_MSS = 2,
    TCPOPT_WSCALE = 3,
    TCPOPT_SACK_PERM = 4,
    TCPOPT_SACK = 5,
    TCPOPT_TIMESTAMP = 8,
};

/*
 * Walks the options in r, the option bytes of the header (r's cut: how many of them snaplen
 * removed).  An option that lies past the captured bytes but within the header ends the walk
 * quietly (the caller has flagged options_cut); one that lies past the header is malformed.
 */
static cap_skip tcp_options(cap_reader *r, tcp_seg *s)
{
    while (cap_rd_wire_left(r) > 0) {
        uint8_t kind;
        size_t len;
        cap_reader v;

        if (cap_rd_left(r) == 0)
            break; /* cut by snaplen */
        kind = cap_rd_u8(r);
        if (kind == TCPOPT_EOL)
            break; /* the rest is padding */
        if (kind == TCPOPT_NOP)
            continue;
        if (cap_rd_wire_left(r) == 0)
            return CAP_SKIP_MALFORMED_TCP; /* the length byte is past the header */
        if (cap_rd_left(r) == 0)
            break;
        len = cap_rd_u8(r);
        if (len < 2)
            return CAP_SKIP_MALFORMED_TCP; /* would never advance */
        if (len - 2 > cap_rd_wire_left(r))
            return CAP_SKIP_MALFORMED_TCP; /* runs past the header */
        if (len - 2 > cap_rd_left(r))
            break;
        v = cap_rd_sub(r, len - 2);

        switch (kind) {
        case TCPOPT_MSS:
            if (len == 4) {
                s->has_mss = true;
                s->mss = cap_rd_be16(&v);
            }
            break;
        case TCPOPT_WSCALE:
            if (len == 3) {
                s->has_wscale = true;
                s->wscale = cap_rd_u8(&v);
            }
            break;
        case TCPOPT_SACK_PERM:
            if (len == 2)
                s->sack_perm = true;
            break;
        case TCPOPT_SACK: {
            size_t n = (len - 2) / 8;
            if (n > TCP_MAX_SACK)
                n = TCP_MAX_SACK;
            for (size_t i = 0; i < n; i++) {
                s->sack[i].left = cap_rd_be32(&v);
                s->sack[i].right = cap_rd_be32(&v);
            }
            s->nsack = (uint8_t)n;
            break;
        }
        case TCPOPT_TIMESTAMP:
            if (len == 10) {
                s->has_ts = true;
                s->tsval = cap_rd_be32(&v);
                s->tsecr = cap_rd_be32(&v);
            }
            break;
        default: /* unknown or not needed (TFO, MPTCP, MD5, AccECN...) */
            break;
        }
    }
    return CAP_SKIP_NONE;
}

/* A 64-bit digest of n bytes, eight at a time (a multiply-xorshift mix per word): equal bytes
 * give equal digests, which is all the duplicate-frame rule needs of it; a byte-at-a-time hash
 * was a third of the decoder's instructions. */
static uint64_t digest(const uint8_t *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 32;
    }
    return h;
}

cap_skip cap_tcp(cap_dec *d, cap_reader *seg, int64_t pseudo)
{
    cap_packet *o = d->out;
    tcp_seg *s = &o->seg;
    const uint8_t *th = seg->p;
    size_t seglen = cap_rd_wire_left(seg);
    size_t captured = cap_rd_left(seg);
    size_t hlen;
    uint8_t doff, flags;
    cap_reader opts;
    cap_skip why;

    o->l4_off = (uint32_t)(th - d->base);
    uint16_t sport = cap_rd_be16(seg);
    uint16_t dport = cap_rd_be16(seg);
    uint32_t seq = cap_rd_be32(seg);
    uint32_t ack = cap_rd_be32(seg);
    doff = cap_rd_u8(seg);
    flags = cap_rd_u8(seg);
    uint16_t win = cap_rd_be16(seg);
    cap_rd_skip(seg, 4); /* checksum, urgent pointer */
    if (!cap_rd_ok(seg))
        return cap_rd_reason(seg, CAP_SKIP_MALFORMED_TCP);
    hlen = (size_t)(doff >> 4) * 4;
    if (hlen < 20 || hlen > seglen)
        return CAP_SKIP_MALFORMED_TCP; /* data offset below 5, or past the segment */
    opts = cap_rd_sub(seg, hlen - 20);
    o->options_cut = opts.cut != 0;
    why = tcp_options(&opts, s);
    if (why != CAP_SKIP_NONE) {
        *s = (tcp_seg){0};
        o->options_cut = false;
        return why;
    }

    /* the header bytes as captured, and the first payload bytes, for duplicate frames */
    size_t dn = captured < hlen + CAP_DIGEST_PAYLOAD ? captured : hlen + CAP_DIGEST_PAYLOAD;
    o->tcp_digest = digest(th, dn);

    o->sport = sport;
    o->dport = dport;
    s->seq = seq;
    s->ack = ack;
    s->flags = flags;
    s->win_raw = win;
    s->win = win;
    s->len = (uint32_t)(seglen - hlen); /* seglen < 2^32: it comes from a pcap length */
    o->payload_captured = (uint32_t)cap_rd_left(seg);
    o->payload_cut = o->payload_captured < s->len;
    o->has_tcp = true;

    if (pseudo >= 0 && captured == seglen) {
        uint64_t sum = (uint64_t)pseudo + (seglen >> 16) + (seglen & 0xffffu);
        sum = cap_csum_partial(sum, th, seglen);
        o->csum = cap_csum_fold(sum) == 0xffff ? CAP_CSUM_GOOD : CAP_CSUM_BAD;
        if (o->csum == CAP_CSUM_BAD) {
            /* checksum offload (Linux's CHECKSUM_PARTIAL): the field holds the pseudo-header
             * sum, left for the device to complete; the capture host saw it before that */
            uint16_t field = (uint16_t)(th[16] << 8 | th[17]);
            uint16_t ph = cap_csum_fold((uint64_t)pseudo + (seglen >> 16) + (seglen & 0xffffu));
            uint16_t not_ph = (uint16_t)(0xffffu - ph);
            o->csum_offload = field == ph || field == not_ph;
        }
    }
    return CAP_SKIP_NONE;
}
