/*
 * cap_link.c - link-layer decoders: Ethernet II (802.1Q/802.1ad tags, stacked; PPPoE session
 * frames), Linux cooked captures v1 and v2, raw IP (any version, IPv4 only, IPv6 only), BSD
 * loopback (DLT_NULL/DLT_LOOP, family in either byte order), Linux NFLOG, Cisco HDLC and PPP.
 * Each one consumes its header and hands the rest to the network layer; anything that is not IP
 * is "not-ip", a header cut by snaplen is "truncated", a header longer than the frame on the wire
 * or with impossible fields is "malformed-link".
 */
#include "cap_decode_int.h"

/* EtherTypes and PPP protocol numbers (IEEE registry, RFC 1661, RFC 2516). */
enum {
    ETYPE_IPV4 = 0x0800,
    ETYPE_IPV6 = 0x86dd,
    ETYPE_VLAN = 0x8100,     /* 802.1Q C-tag */
    ETYPE_QINQ = 0x88a8,     /* 802.1ad S-tag */
    ETYPE_QINQ_OLD = 0x9100, /* pre-standard stacked tag */
    ETYPE_PPPOE_SESS = 0x8864,
    PPP_IPV4 = 0x0021,
    PPP_IPV6 = 0x0057,
};

/* Other constants of the link headers. */
enum {
    SLL_HATYPE_NETLINK = 824, /* ARPHRD_NETLINK: protocol is a netlink family, not an EtherType */
    NULL_AF_INET = 2,
    NULL_AF_INET6_BSD = 24,     /* NetBSD, OpenBSD */
    NULL_AF_INET6_FREEBSD = 28, /* FreeBSD, DragonFly */
    NULL_AF_INET6_DARWIN = 30,  /* macOS, iOS */
    NFLOG_AF_INET = 2,
    NFLOG_AF_INET6 = 10,
    NFULA_PAYLOAD = 9,
    CHDLC_UNICAST = 0x0f,
    CHDLC_BCAST = 0x8f,
};

static void count_tag(cap_packet *o)
{
    if (o->vlan_tags < UINT8_MAX)
        o->vlan_tags++;
}

/* ------------------------------------------------------------------------------------------ */
/* PPP and PPPoE                                                                               */

/* A PPP protocol field (one byte when compressed: RFC 1661 6.5, odd values only) and its data. */
static cap_skip ppp_payload(cap_dec *d, cap_reader *r)
{
    unsigned proto = cap_rd_u8(r);
    if ((proto & 1u) == 0)
        proto = proto << 8 | cap_rd_u8(r);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    if (proto == PPP_IPV4)
        return cap_ipv4(d, r);
    if (proto == PPP_IPV6)
        return cap_ipv6(d, r);
    return CAP_SKIP_NOT_IP;
}

/*
 * PPPoE session stage (RFC 2516 section 4): ver/type 0x11, code 0, session id, length.  The
 * length is not used to delimit the PPP frame: access concentrators get it wrong (Zeek's
 * pppoe-over-qinq trace has frames whose length is 6 bytes short of the IP packet they carry),
 * and the IP header, checked against the frame, delimits the packet anyway.
 */
static cap_skip pppoe_session(cap_dec *d, cap_reader *r)
{
    uint8_t vertype = cap_rd_u8(r);
    uint8_t code = cap_rd_u8(r);
    cap_rd_skip(r, 2 + 2); /* session id, length */
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    if (vertype != 0x11 || code != 0)
        return CAP_SKIP_MALFORMED_LINK;
    return ppp_payload(d, r);
}

/* ------------------------------------------------------------------------------------------ */
/* EtherType dispatch                                                                          */

cap_skip cap_net_ethertype(cap_dec *d, cap_reader *r, uint16_t type)
{
    /* Each tag consumes four bytes, so the loop ends with the frame. */
    for (;;) {
        switch (type) {
        case ETYPE_IPV4:
            return cap_ipv4(d, r);
        case ETYPE_IPV6:
            return cap_ipv6(d, r);
        case ETYPE_VLAN:
        case ETYPE_QINQ:
        case ETYPE_QINQ_OLD:
            cap_rd_skip(r, 2); /* priority, DEI, VLAN id */
            type = cap_rd_be16(r);
            if (!cap_rd_ok(r))
                return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
            count_tag(d->out);
            break;
        case ETYPE_PPPOE_SESS:
            return pppoe_session(d, r);
        default: /* ARP, LLDP, PPPoE discovery, 802.3 length field (<= 1500)... */
            return CAP_SKIP_NOT_IP;
        }
    }
}

cap_skip cap_net_by_version(cap_dec *d, cap_reader *r)
{
    cap_reader peek = *r;
    uint8_t v = cap_rd_u8(&peek);
    if (!cap_rd_ok(&peek))
        return cap_rd_reason(&peek, CAP_SKIP_MALFORMED_IP);
    if (v >> 4 == 4)
        return cap_ipv4(d, r);
    if (v >> 4 == 6)
        return cap_ipv6(d, r);
    return CAP_SKIP_MALFORMED_IP; /* the link type promised IP */
}

/* ------------------------------------------------------------------------------------------ */
/* Link types                                                                                  */

/* DLT_EN10MB: destination, source, EtherType (Ethernet II) or length (802.3: not IP here). */
cap_skip cap_link_ether(cap_dec *d, cap_reader *r)
{
    uint16_t type;
    cap_rd_skip(r, 12);
    type = cap_rd_be16(r);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    return cap_net_ethertype(d, r, type);
}

/* DLT_LINUX_SLL: packet type, ARPHRD type, address length, 8 address bytes, protocol. */
cap_skip cap_link_sll(cap_dec *d, cap_reader *r)
{
    uint16_t hatype, proto;
    cap_rd_skip(r, 2);
    hatype = cap_rd_be16(r);
    cap_rd_skip(r, 2 + 8);
    proto = cap_rd_be16(r);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    if (hatype == SLL_HATYPE_NETLINK)
        return CAP_SKIP_NOT_IP;
    return cap_net_ethertype(d, r, proto);
}

/* DLT_LINUX_SLL2: protocol, reserved, interface index, ARPHRD type, packet type, address
 * length, 8 address bytes. */
cap_skip cap_link_sll2(cap_dec *d, cap_reader *r)
{
    uint16_t hatype, proto;
    proto = cap_rd_be16(r);
    cap_rd_skip(r, 2 + 4);
    hatype = cap_rd_be16(r);
    cap_rd_skip(r, 1 + 1 + 8);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    if (hatype == SLL_HATYPE_NETLINK)
        return CAP_SKIP_NOT_IP;
    return cap_net_ethertype(d, r, proto);
}

/* DLT_RAW / LINKTYPE_RAW: an IPv4 or IPv6 header first. */
cap_skip cap_link_raw(cap_dec *d, cap_reader *r)
{
    return cap_net_by_version(d, r);
}

/* LINKTYPE_IPV4 (228): always IPv4. */
cap_skip cap_link_ipv4(cap_dec *d, cap_reader *r)
{
    return cap_ipv4(d, r);
}

/* LINKTYPE_IPV6 (229): always IPv6. */
cap_skip cap_link_ipv6(cap_dec *d, cap_reader *r)
{
    return cap_ipv6(d, r);
}

/*
 * DLT_NULL and DLT_LOOP: a 4-byte address family, in the writer's byte order for NULL and in
 * network order for LOOP -- and files get it wrong both ways, so both orders are accepted: the
 * family is small, so the order in which the value's upper half is zero is the right one.
 */
cap_skip cap_link_null(cap_dec *d, cap_reader *r)
{
    uint32_t fam = cap_rd_le32(r);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    if ((fam & 0xffff0000u) != 0)
        fam = (fam >> 24) | ((fam >> 8) & 0xff00u) | ((fam << 8) & 0xff0000u) | (fam << 24);
    switch (fam) {
    case NULL_AF_INET:
        return cap_ipv4(d, r);
    case NULL_AF_INET6_BSD:
    case NULL_AF_INET6_FREEBSD:
    case NULL_AF_INET6_DARWIN:
        return cap_ipv6(d, r);
    default:
        return CAP_SKIP_NOT_IP;
    }
}

/*
 * DLT_NFLOG (Linux netfilter log): family, version 0, resource id, then TLVs of {length
 * including the 4-byte TLV header, type}, each padded to 4 bytes.  The packet is the value of
 * the NFULA_PAYLOAD TLV.  TLV lengths and types are in host byte order (libpcap swaps them when
 * it reads a file written on a machine of the other order).
 */
cap_skip cap_link_nflog(cap_dec *d, cap_reader *r)
{
    uint8_t family = cap_rd_u8(r);
    uint8_t version = cap_rd_u8(r);
    cap_rd_skip(r, 2);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    if (version != 0)
        return CAP_SKIP_MALFORMED_LINK;
    if (family != NFLOG_AF_INET && family != NFLOG_AF_INET6)
        return CAP_SKIP_NOT_IP;
    while (cap_rd_wire_left(r) > 0) {
        size_t len = cap_rd_host16(r);
        unsigned type = cap_rd_host16(r) & 0x7fffu; /* top bit: nested-attribute flag */
        cap_reader value;
        if (!cap_rd_ok(r))
            return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
        if (len < 4)
            return CAP_SKIP_MALFORMED_LINK;
        value = cap_rd_sub(r, len - 4);
        if (!cap_rd_ok(r))
            return CAP_SKIP_MALFORMED_LINK; /* the TLV runs past the frame */
        if (type == NFULA_PAYLOAD)
            return family == NFLOG_AF_INET ? cap_ipv4(d, &value) : cap_ipv6(d, &value);
        /* padding to a multiple of 4; the last TLV of a frame may go without it */
        size_t pad = (4 - (len & 3u)) & 3u;
        if (pad > cap_rd_wire_left(r))
            pad = cap_rd_wire_left(r);
        (void)cap_rd_sub(r, pad);
    }
    return CAP_SKIP_NOT_IP; /* no payload: a log record without the packet */
}

/* DLT_C_HDLC: address (0x0f unicast, 0x8f broadcast), control, EtherType. */
cap_skip cap_link_chdlc(cap_dec *d, cap_reader *r)
{
    uint16_t proto;
    cap_rd_skip(r, 2);
    proto = cap_rd_be16(r);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    return cap_net_ethertype(d, r, proto);
}

/*
 * DLT_PPP: PPP in HDLC-like framing (address 0xff, control 0x03, RFC 1662), possibly without
 * them (address/control field compression); some writers store Cisco HDLC frames under this
 * link type, recognised by their address byte.
 */
cap_skip cap_link_ppp(cap_dec *d, cap_reader *r)
{
    cap_reader peek = *r;
    uint8_t a = cap_rd_u8(&peek);
    uint8_t c = cap_rd_u8(&peek);
    if (!cap_rd_ok(&peek))
        return cap_rd_reason(&peek, CAP_SKIP_MALFORMED_LINK);
    if (a == 0xff && c == 0x03) {
        cap_rd_skip(r, 2);
        return ppp_payload(d, r);
    }
    if (a == CHDLC_UNICAST || a == CHDLC_BCAST)
        return cap_link_chdlc(d, r);
    return ppp_payload(d, r);
}
