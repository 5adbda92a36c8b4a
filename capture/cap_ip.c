/*
 * cap_ip.c - IPv4 and IPv6 headers: version and length checks, IPv4 options skipped, the IPv6
 * extension header chain walked (at most CAP_IPV6_MAX_EXT headers, so a crafted chain cannot
 * keep the decoder busy), fragments recognised, and the TCP segment delimited by the IP lengths
 * so that SEG.LEN does not depend on how much was captured.
 *
 * Fragments: a fragment with a non-zero offset is skipped as "fragment".  A first fragment
 * (offset 0, more fragments) is also counted as "fragment", because its TCP length is not known
 * without reassembly; its TCP header is still decoded when it lies wholly in the fragment
 * (cap_packet.first_fragment), for callers that want it.  An IPv6 "atomic" fragment (offset 0,
 * no more fragments, RFC 6946) is a whole packet and is decoded normally.
 *
 * A zero IPv4 total length or IPv6 payload length (what a capture on a host doing TSO or BIG TCP
 * shows) is taken to mean "the rest of the frame" and flagged in cap_packet.tso_length.
 */
#include "cap_decode_int.h"

#include <string.h>

#define CAP_IPV6_MAX_EXT 16

enum {
    IPPROTO_NUM_TCP = 6,
    IP6_HOPOPTS = 0,
    IP6_ROUTING = 43,
    IP6_FRAGMENT = 44,
    IP6_ESP = 50,
    IP6_AH = 51,
    IP6_NONE = 59,
    IP6_DSTOPTS = 60,
    IP6_MOBILITY = 135,
    IP6_HIP = 139,
    IP6_SHIM6 = 140,
    IP6_EXP1 = 253,
    IP6_EXP2 = 254,
};

static uint32_t offset_of(const cap_dec *d, const cap_reader *r)
{
    return (uint32_t)(r->p - d->base);
}

/* Extension headers that tcpsim can step over (ESP cannot be: what follows it is encrypted). */
static bool ipv6_is_ext(unsigned next)
{
    switch (next) {
    case IP6_HOPOPTS:
    case IP6_ROUTING:
    case IP6_FRAGMENT:
    case IP6_AH:
    case IP6_DSTOPTS:
    case IP6_MOBILITY:
    case IP6_HIP:
    case IP6_SHIM6:
    case IP6_EXP1:
    case IP6_EXP2:
        return true;
    default:
        return false;
    }
}

/* A first fragment: decode the TCP header if it is there, but skip the packet as a fragment. */
static cap_skip first_fragment(cap_dec *d, cap_reader *seg)
{
    if (cap_tcp(d, seg, -1) == CAP_SKIP_NONE)
        d->out->first_fragment = true;
    else
        d->out->has_tcp = false;
    return CAP_SKIP_FRAGMENT;
}

/* ------------------------------------------------------------------------------------------ */
/* IPv4 (RFC 791)                                                                              */

cap_skip cap_ipv4(cap_dec *d, cap_reader *r)
{
    cap_packet *o = d->out;
    cap_reader dgram = *r; /* the datagram, from the first header byte to the end of the frame */
    size_t frame = cap_rd_wire_left(r);
    uint8_t vihl, proto;
    size_t totlen, ihl;
    uint16_t frag;
    uint8_t src[4], dst[4];

    o->l3_off = offset_of(d, r);
    vihl = cap_rd_u8(r);
    cap_rd_skip(r, 1); /* DSCP, ECN */
    totlen = cap_rd_be16(r);
    uint16_t ipid = cap_rd_be16(r); /* identification: tells a duplicated frame from a resend */
    frag = cap_rd_be16(r);
    cap_rd_skip(r, 1); /* TTL */
    proto = cap_rd_u8(r);
    cap_rd_skip(r, 2); /* header checksum */
    cap_rd_copy(r, src, 4);
    cap_rd_copy(r, dst, 4);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_IP);
    if (vihl >> 4 != 4)
        return CAP_SKIP_MALFORMED_IP;
    ihl = (size_t)(vihl & 0x0fu) * 4;
    if (ihl < 20)
        return CAP_SKIP_MALFORMED_IP;
    if (totlen == 0 && frame > ihl) {
        totlen = frame;
        o->tso_length = true;
    }
    if (totlen < ihl || totlen > frame)
        return CAP_SKIP_MALFORMED_IP; /* shorter than its own header, or longer than the frame */

    o->ip_version = 4;
    o->ip_id = ipid;
    o->src.family = o->dst.family = CAP_FAMILY_IPV4;
    memcpy(o->src.bytes, src, 4);
    memcpy(o->dst.bytes, dst, 4);

    dgram = cap_rd_sub(&dgram, totlen); /* fits: totlen <= frame */
    cap_rd_skip(&dgram, ihl);           /* fixed header and options */
    if (!cap_rd_ok(&dgram))
        return cap_rd_reason(&dgram, CAP_SKIP_MALFORMED_IP); /* options cut by snaplen */
    if (proto != IPPROTO_NUM_TCP)
        return CAP_SKIP_NOT_TCP;
    if ((frag & 0x1fffu) != 0)
        return CAP_SKIP_FRAGMENT; /* offset > 0: no TCP header here */
    if ((frag & 0x2000u) != 0)
        return first_fragment(d, &dgram);

    uint64_t pseudo = (uint64_t)((unsigned)src[0] << 8 | src[1]) +
                      ((unsigned)src[2] << 8 | src[3]) + ((unsigned)dst[0] << 8 | dst[1]) +
                      ((unsigned)dst[2] << 8 | dst[3]) + IPPROTO_NUM_TCP;
    return cap_tcp(d, &dgram, (int64_t)pseudo);
}

/* ------------------------------------------------------------------------------------------ */
/* IPv6 (RFC 8200)                                                                             */

cap_skip cap_ipv6(cap_dec *d, cap_reader *r)
{
    cap_packet *o = d->out;
    size_t frame = cap_rd_wire_left(r);
    uint32_t vtcfl;
    size_t plen;
    unsigned next;
    bool verifiable = true, first_frag = false;
    cap_reader pl;

    o->l3_off = offset_of(d, r);
    vtcfl = cap_rd_be32(r);
    plen = cap_rd_be16(r);
    next = cap_rd_u8(r);
    cap_rd_skip(r, 1); /* hop limit */
    cap_rd_copy(r, o->src.bytes, 16);
    cap_rd_copy(r, o->dst.bytes, 16);
    if (!cap_rd_ok(r)) {
        memset(&o->src, 0, sizeof o->src);
        memset(&o->dst, 0, sizeof o->dst);
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_IP);
    }
    if (vtcfl >> 28 != 6) {
        memset(&o->src, 0, sizeof o->src);
        memset(&o->dst, 0, sizeof o->dst);
        return CAP_SKIP_MALFORMED_IP;
    }
    o->ip_version = 6;
    o->src.family = o->dst.family = CAP_FAMILY_IPV6;
    if (plen == 0 && next != IP6_NONE && frame > 40) {
        plen = frame - 40; /* jumbogram or BIG TCP: the frame delimits the packet */
        o->tso_length = true;
    }
    if (plen > frame - 40)
        return CAP_SKIP_MALFORMED_IP; /* payload length runs past the frame */
    pl = cap_rd_sub(r, plen);

    for (int n = 0; next != IPPROTO_NUM_TCP; n++) {
        unsigned nh;
        size_t hlen;
        if (!ipv6_is_ext(next))
            return CAP_SKIP_NOT_TCP; /* UDP, ICMPv6, ESP, no next header... */
        if (n == CAP_IPV6_MAX_EXT)
            return CAP_SKIP_MALFORMED_IP; /* a chain this long is an attack, not a packet */
        nh = cap_rd_u8(&pl);
        if (next == IP6_FRAGMENT) {
            cap_rd_skip(&pl, 1);
            unsigned offmf = cap_rd_be16(&pl);
            cap_rd_skip(&pl, 4); /* identification */
            if (!cap_rd_ok(&pl))
                return cap_rd_reason(&pl, CAP_SKIP_MALFORMED_IP);
            if ((offmf >> 3) != 0) /* not the first fragment */
                return nh == IPPROTO_NUM_TCP || ipv6_is_ext(nh) ? CAP_SKIP_FRAGMENT
                                                                : CAP_SKIP_NOT_TCP;
            if ((offmf & 1u) != 0)
                first_frag = true;
            next = nh;
            continue;
        }
        hlen = cap_rd_u8(&pl);
        if (next == IP6_AH)
            hlen = (hlen + 2) * 4; /* RFC 4302: in 4-byte units, minus 2 */
        else
            hlen = (hlen + 1) * 8; /* RFC 8200: in 8-byte units, not counting the first 8 */
        if (next == IP6_ROUTING) {
            cap_rd_skip(&pl, 1); /* routing type */
            /* segments left > 0: the pseudo-header holds the final destination, not dst */
            if (cap_rd_u8(&pl) != 0)
                verifiable = false;
            hlen -= 2;
        }
        if (!cap_rd_ok(&pl))
            return cap_rd_reason(&pl, CAP_SKIP_MALFORMED_IP);
        (void)cap_rd_sub(&pl, hlen - 2); /* the rest of the header, captured or not */
        if (!cap_rd_ok(&pl))
            return CAP_SKIP_MALFORMED_IP; /* runs past the payload length */
        next = nh;
    }

    if (first_frag)
        return first_fragment(d, &pl);
    if (!verifiable)
        return cap_tcp(d, &pl, -1);
    uint64_t pseudo = cap_csum_partial(0, o->src.bytes, 16);
    pseudo = cap_csum_partial(pseudo, o->dst.bytes, 16);
    pseudo += IPPROTO_NUM_TCP;
    return cap_tcp(d, &pl, (int64_t)pseudo);
}
