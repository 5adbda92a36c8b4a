/*
 * test_cap_link.c - the link-layer decoders: Ethernet II and 802.3, 802.1Q/802.1ad tags (single,
 * QinQ, triple), PPPoE, Linux SLL and SLL2, raw IP (DLT_RAW, LINKTYPE_RAW 101, IPV4, IPV6),
 * BSD loopback (NULL/LOOP, both byte orders, every AF_INET6 value), NFLOG, Cisco HDLC and PPP,
 * IEEE 802.11 and radiotap (header shapes, frames without IP, bad FCS), an unsupported link type,
 * and the truncated / malformed distinction in link headers.
 */
#include "cap_test.h"

#include <pcap/dlt.h>

static pb B;

/* Appends the default TCP/IPv4 packet (10 payload bytes) after whatever link header is there. */
static size_t put_v4(void)
{
    tcp_spec t = tcp_default();
    t.paylen = 10;
    return pb_ipv4_tcp(&B, &t, NULL, 0);
}

static size_t put_v6(void)
{
    tcp_spec t = tcp_default();
    t.paylen = 7;
    return pb_ipv6_tcp(&B, &t, 6, NULL, 0);
}

/* The default segment came out with every field right. */
static void assert_default_v4(const cap_packet *p, uint32_t l3_off)
{
    assert_true(p->has_tcp);
    assert_int_equal(p->ip_version, 4);
    assert_int_equal(p->src.family, CAP_FAMILY_IPV4);
    assert_memory_equal(p->src.bytes, PB_SRC4, 4);
    assert_memory_equal(p->dst.bytes, PB_DST4, 4);
    assert_int_equal(p->sport, 40000);
    assert_int_equal(p->dport, 80);
    assert_int_equal(p->seg.seq, 1000);
    assert_int_equal(p->seg.ack, 2000);
    assert_int_equal(p->seg.flags, TCP_ACK | TCP_PSH);
    assert_int_equal(p->seg.len, 10);
    assert_int_equal(p->l3_off, l3_off);
    assert_int_equal(p->l4_off, l3_off + 20);
    assert_int_equal(p->csum, CAP_CSUM_GOOD);
}

static void assert_default_v6(const cap_packet *p, uint32_t l3_off)
{
    assert_true(p->has_tcp);
    assert_int_equal(p->ip_version, 6);
    assert_int_equal(p->src.family, CAP_FAMILY_IPV6);
    assert_memory_equal(p->src.bytes, PB_SRC6, 16);
    assert_memory_equal(p->dst.bytes, PB_DST6, 16);
    assert_int_equal(p->sport, 40000);
    assert_int_equal(p->dport, 80);
    assert_int_equal(p->seg.len, 7);
    assert_int_equal(p->l3_off, l3_off);
    assert_int_equal(p->l4_off, l3_off + 40);
    assert_int_equal(p->csum, CAP_CSUM_GOOD);
}

/* ------------------------------------------------------------------------------------------ */
/* Ethernet and VLAN                                                                           */

static void test_ether_ipv4(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v4(&p, 14);
    assert_int_equal(p.vlan_tags, 0);
    assert_int_equal(p.seg.win, 512);
    assert_int_equal(p.seg.win_raw, 512);
    assert_int_equal(p.payload_captured, 10);
    assert_false(p.payload_cut);
    assert_false(p.first_fragment);
}

static void test_ether_ipv6(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x86dd);
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v6(&p, 14);
}

static void test_ether_not_ip(void **state)
{
    cap_packet p;
    (void)state;
    /* 802.3 frame: a length (46) where Ethernet II has a type, then LLC */
    pb_reset(&B);
    pb_eth(&B, 46);
    pb_u8(&B, 0xaa);
    pb_u8(&B, 0xaa);
    pb_u8(&B, 0x03);
    pb_zeros(&B, 43);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_EN10MB, &B, &p));
    assert_false(p.has_tcp);
    /* ARP */
    pb_reset(&B);
    pb_eth(&B, 0x0806);
    pb_zeros(&B, 28);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_EN10MB, &B, &p));
    /* PPPoE discovery */
    pb_reset(&B);
    pb_eth(&B, 0x8863);
    pb_zeros(&B, 20);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_EN10MB, &B, &p));
}

static void test_ether_short(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    put_v4();
    /* snaplen cut inside the Ethernet header: truncated */
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, 8, &p));
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, 13, &p));
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, 0, &p));
    /* a frame that really was that short: malformed */
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_EN10MB, &B, 8, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_EN10MB, &B, 13, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_exact(DLT_EN10MB, NULL, 0, 0, &p));
}

static void test_vlan_single(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x8100);
    pb_vlan(&B, 100, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v4(&p, 18);
    assert_int_equal(p.vlan_tags, 1);

    pb_reset(&B);
    pb_eth(&B, 0x8100);
    pb_vlan(&B, 7, 0x86dd);
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v6(&p, 18);
    assert_int_equal(p.vlan_tags, 1);
}

static void test_vlan_qinq(void **state)
{
    cap_packet p;
    (void)state;
    /* 802.1ad S-tag over 802.1Q C-tag */
    pb_reset(&B);
    pb_eth(&B, 0x88a8);
    pb_vlan(&B, 200, 0x8100);
    pb_vlan(&B, 100, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v4(&p, 22);
    assert_int_equal(p.vlan_tags, 2);

    /* pre-standard 0x9100 outer tag, three tags deep */
    pb_reset(&B);
    pb_eth(&B, 0x9100);
    pb_vlan(&B, 1, 0x88a8);
    pb_vlan(&B, 2, 0x8100);
    pb_vlan(&B, 3, 0x86dd);
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v6(&p, 26);
    assert_int_equal(p.vlan_tags, 3);

    /* a tag carrying a non-IP type */
    pb_reset(&B);
    pb_eth(&B, 0x8100);
    pb_vlan(&B, 5, 0x0806);
    pb_zeros(&B, 28);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_EN10MB, &B, &p));
}

static void test_vlan_cut(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x88a8);
    pb_vlan(&B, 200, 0x8100);
    pb_vlan(&B, 100, 0x0800);
    put_v4();
    /* cut inside the second tag */
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, 20, &p));
    /* a frame that ends inside the second tag */
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_EN10MB, &B, 20, &p));
    /* a frame that ends right after the tags: the IP header is missing */
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_short(DLT_EN10MB, &B, 22, &p));
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, 22, &p));
}

/* ------------------------------------------------------------------------------------------ */
/* PPPoE                                                                                       */

static void put_pppoe(unsigned vertype, unsigned code, unsigned proto, size_t len_field)
{
    pb_u8(&B, vertype);
    pb_u8(&B, code);
    pb_be16(&B, 0x0f07); /* session */
    pb_be16(&B, (unsigned)len_field);
    pb_be16(&B, proto);
}

static void test_pppoe(void **state)
{
    cap_packet p;
    (void)state;
    /* PPPoE over QinQ, as DSL access networks send it */
    pb_reset(&B);
    pb_eth(&B, 0x88a8);
    pb_vlan(&B, 3704, 0x8100);
    pb_vlan(&B, 2474, 0x8864);
    put_pppoe(0x11, 0, 0x0021, 2 + 50);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v4(&p, 30);
    assert_int_equal(p.vlan_tags, 2);

    /* IPv6 over PPPoE */
    pb_reset(&B);
    pb_eth(&B, 0x8864);
    put_pppoe(0x11, 0, 0x0057, 2 + 67);
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v6(&p, 22);

    /* a PPPoE length 6 bytes short of the IP packet: ignored, the IP header delimits */
    pb_reset(&B);
    pb_eth(&B, 0x8864);
    put_pppoe(0x11, 0, 0x0021, 2 + 44);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_default_v4(&p, 22);
}

static void test_pppoe_not_ip_and_bad(void **state)
{
    cap_packet p;
    (void)state;
    /* LCP */
    pb_reset(&B);
    pb_eth(&B, 0x8864);
    put_pppoe(0x11, 0, 0xc021, 10);
    pb_zeros(&B, 8);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_EN10MB, &B, &p));
    /* version/type not 1/1 */
    pb_reset(&B);
    pb_eth(&B, 0x8864);
    put_pppoe(0x21, 0, 0x0021, 52);
    put_v4();
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_EN10MB, &B, &p));
    /* a discovery code in a session frame */
    pb_reset(&B);
    pb_eth(&B, 0x8864);
    put_pppoe(0x11, 0x09, 0x0021, 52);
    put_v4();
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_EN10MB, &B, &p));
    /* cut inside the PPPoE header / frame ending there */
    pb_reset(&B);
    pb_eth(&B, 0x8864);
    put_pppoe(0x11, 0, 0x0021, 52);
    put_v4();
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, 17, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_EN10MB, &B, 17, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_EN10MB, &B, 21, &p));
}

/* ------------------------------------------------------------------------------------------ */
/* Linux cooked captures                                                                       */

static void put_sll(unsigned hatype, unsigned proto)
{
    pb_be16(&B, 0); /* to us */
    pb_be16(&B, hatype);
    pb_be16(&B, 6);
    pb_bytes(&B, "\x02\x00\x00\x00\x00\x01\x00\x00", 8);
    pb_be16(&B, proto);
}

static void put_sll2(unsigned hatype, unsigned proto)
{
    pb_be16(&B, proto);
    pb_be16(&B, 0);
    pb_be32(&B, 3); /* ifindex */
    pb_be16(&B, hatype);
    pb_u8(&B, 4); /* outgoing */
    pb_u8(&B, 6);
    pb_bytes(&B, "\x02\x00\x00\x00\x00\x01\x00\x00", 8);
}

static void test_sll(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    put_sll(1, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_LINUX_SLL, &B, &p));
    assert_default_v4(&p, 16);

    pb_reset(&B);
    put_sll(772, 0x86dd); /* loopback */
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_LINUX_SLL, &B, &p));
    assert_default_v6(&p, 16);

    /* a VLAN tag left in the frame */
    pb_reset(&B);
    put_sll(1, 0x8100);
    pb_vlan(&B, 9, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_LINUX_SLL, &B, &p));
    assert_default_v4(&p, 20);
    assert_int_equal(p.vlan_tags, 1);

    /* netlink: the protocol field is a netlink family, even if it looks like 0x0800 */
    pb_reset(&B);
    put_sll(824, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_LINUX_SLL, &B, &p));
    /* 802.2 LLC frame (Linux pseudo-protocol 4) */
    pb_reset(&B);
    put_sll(1, 0x0004);
    pb_zeros(&B, 30);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_LINUX_SLL, &B, &p));

    pb_reset(&B);
    put_sll(1, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_LINUX_SLL, &B, 15, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_LINUX_SLL, &B, 15, &p));
}

static void test_sll2(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    put_sll2(1, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_LINUX_SLL2, &B, &p));
    assert_default_v4(&p, 20);

    pb_reset(&B);
    put_sll2(1, 0x86dd);
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_LINUX_SLL2, &B, &p));
    assert_default_v6(&p, 20);

    pb_reset(&B);
    put_sll2(824, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_LINUX_SLL2, &B, &p));

    pb_reset(&B);
    put_sll2(1, 0x0806);
    pb_zeros(&B, 28);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_LINUX_SLL2, &B, &p));

    pb_reset(&B);
    put_sll2(1, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_LINUX_SLL2, &B, 19, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_LINUX_SLL2, &B, 19, &p));
}

/* ------------------------------------------------------------------------------------------ */
/* Raw IP                                                                                      */

static void test_raw(void **state)
{
    static const int raw_types[] = {DLT_RAW, 101};
    cap_packet p;
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        pb_reset(&B);
        put_v4();
        assert_skip(CAP_SKIP_NONE, decode_pb(raw_types[i], &B, &p));
        assert_default_v4(&p, 0);
        pb_reset(&B);
        put_v6();
        assert_skip(CAP_SKIP_NONE, decode_pb(raw_types[i], &B, &p));
        assert_default_v6(&p, 0);
        /* version 5 is not IP */
        pb_reset(&B);
        put_v4();
        B.buf[0] = 0x55;
        assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(raw_types[i], &B, &p));
        /* empty packet */
        assert_skip(CAP_SKIP_MALFORMED_IP, decode_exact(raw_types[i], NULL, 0, 0, &p));
        assert_skip(CAP_SKIP_TRUNCATED, decode_exact(raw_types[i], NULL, 0, 60, &p));
    }
}

static void test_raw_ipv4_ipv6_only(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_IPV4, &B, &p));
    assert_default_v4(&p, 0);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_IPV6, &B, &p));

    pb_reset(&B);
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_IPV6, &B, &p));
    assert_default_v6(&p, 0);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_IPV4, &B, &p));
}

/* ------------------------------------------------------------------------------------------ */
/* BSD loopback                                                                                */

static void test_null_loop(void **state)
{
    static const uint32_t v6_families[] = {24, 28, 30};
    static const int dlts[] = {DLT_NULL, DLT_LOOP};
    cap_packet p;
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        for (int be = 0; be < 2; be++) {
            pb_reset(&B);
            be ? pb_be32(&B, 2) : pb_le32(&B, 2);
            put_v4();
            assert_skip(CAP_SKIP_NONE, decode_pb(dlts[d], &B, &p));
            assert_default_v4(&p, 4);
            for (size_t f = 0; f < 3; f++) {
                pb_reset(&B);
                be ? pb_be32(&B, v6_families[f]) : pb_le32(&B, v6_families[f]);
                put_v6();
                assert_skip(CAP_SKIP_NONE, decode_pb(dlts[d], &B, &p));
                assert_default_v6(&p, 4);
            }
            /* AF_APPLETALK-ish and Linux's AF_INET6 (10, never written under DLT_NULL) */
            pb_reset(&B);
            be ? pb_be32(&B, 16) : pb_le32(&B, 16);
            put_v4();
            assert_skip(CAP_SKIP_NOT_IP, decode_pb(dlts[d], &B, &p));
            pb_reset(&B);
            be ? pb_be32(&B, 10) : pb_le32(&B, 10);
            put_v6();
            assert_skip(CAP_SKIP_NOT_IP, decode_pb(dlts[d], &B, &p));
        }
        /* both halves non-zero: no byte order makes it a family */
        pb_reset(&B);
        pb_be32(&B, 0x00020002u);
        put_v4();
        assert_skip(CAP_SKIP_NOT_IP, decode_pb(dlts[d], &B, &p));
        /* short header */
        assert_skip(CAP_SKIP_TRUNCATED, decode_cut(dlts[d], &B, 3, &p));
        assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(dlts[d], &B, 3, &p));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* NFLOG                                                                                       */

static void nflog_hdr(unsigned family, unsigned version)
{
    pb_u8(&B, family);
    pb_u8(&B, version);
    pb_be16(&B, 0); /* resource id */
}

static void nflog_tlv(unsigned len, unsigned type)
{
    pb_host16(&B, (uint16_t)len);
    pb_host16(&B, (uint16_t)type);
}

static void test_nflog(void **state)
{
    cap_packet p;
    size_t at;
    (void)state;
    /* prefix TLV "ab" (length 6, padded to 8), hwproto TLV, then the payload TLV */
    pb_reset(&B);
    nflog_hdr(2, 0);
    nflog_tlv(6, 10);
    pb_bytes(&B, "ab\0\0", 4);
    nflog_tlv(8, 1);
    pb_be32(&B, 0x08000300u);
    at = B.len;
    nflog_tlv(4 + 50, 9);
    put_v4();
    assert_int_equal(B.len - at, 4 + 50);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_NFLOG, &B, &p));
    assert_default_v4(&p, 24);

    pb_reset(&B);
    nflog_hdr(10, 0);
    nflog_tlv(4 + 67, 9 | 0x8000); /* the nested flag bit does not change the type */
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_NFLOG, &B, &p));
    assert_default_v6(&p, 8);
}

static void test_nflog_bad(void **state)
{
    cap_packet p;
    (void)state;
    /* no payload TLV */
    pb_reset(&B);
    nflog_hdr(2, 0);
    nflog_tlv(8, 1);
    pb_be32(&B, 0);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_NFLOG, &B, &p));
    /* TLV shorter than its own header */
    pb_reset(&B);
    nflog_hdr(2, 0);
    nflog_tlv(3, 1);
    pb_zeros(&B, 60);
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_NFLOG, &B, &p));
    /* payload TLV longer than the frame */
    pb_reset(&B);
    nflog_hdr(2, 0);
    nflog_tlv(4 + 51, 9);
    put_v4();
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_NFLOG, &B, &p));
    /* version 1 */
    pb_reset(&B);
    nflog_hdr(2, 1);
    nflog_tlv(4 + 50, 9);
    put_v4();
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_NFLOG, &B, &p));
    /* bridge family */
    pb_reset(&B);
    nflog_hdr(7, 0);
    nflog_tlv(4 + 50, 9);
    put_v4();
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_NFLOG, &B, &p));
    /* cut by snaplen in a TLV header before the payload: truncated */
    pb_reset(&B);
    nflog_hdr(2, 0);
    nflog_tlv(8, 1);
    pb_be32(&B, 0);
    nflog_tlv(4 + 50, 9);
    put_v4();
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_NFLOG, &B, 14, &p));
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_NFLOG, &B, 2, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_NFLOG, &B, 2, &p));
}

/* ------------------------------------------------------------------------------------------ */
/* Cisco HDLC and PPP                                                                          */

static void test_chdlc(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_u8(&B, 0x0f);
    pb_u8(&B, 0x00);
    pb_be16(&B, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_C_HDLC, &B, &p));
    assert_default_v4(&p, 4);
    pb_reset(&B);
    pb_u8(&B, 0x8f);
    pb_u8(&B, 0x00);
    pb_be16(&B, 0x8035); /* SLARP keepalive */
    pb_zeros(&B, 18);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_C_HDLC, &B, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_C_HDLC, &B, 3, &p));
}

static void test_ppp(void **state)
{
    cap_packet p;
    (void)state;
    /* HDLC-like framing */
    pb_reset(&B);
    pb_u8(&B, 0xff);
    pb_u8(&B, 0x03);
    pb_be16(&B, 0x0021);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_PPP, &B, &p));
    assert_default_v4(&p, 4);
    pb_reset(&B);
    pb_u8(&B, 0xff);
    pb_u8(&B, 0x03);
    pb_be16(&B, 0x0057);
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_PPP, &B, &p));
    assert_default_v6(&p, 4);
    /* address/control and protocol field compressed */
    pb_reset(&B);
    pb_u8(&B, 0x21);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_PPP, &B, &p));
    assert_default_v4(&p, 1);
    /* Cisco HDLC frames stored as DLT_PPP */
    pb_reset(&B);
    pb_u8(&B, 0x0f);
    pb_u8(&B, 0x00);
    pb_be16(&B, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_PPP, &B, &p));
    assert_default_v4(&p, 4);
    /* LCP */
    pb_reset(&B);
    pb_u8(&B, 0xff);
    pb_u8(&B, 0x03);
    pb_be16(&B, 0xc021);
    pb_zeros(&B, 10);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_PPP, &B, &p));
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_PPP, &B, 1, &p));
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_PPP, &B, 3, &p));
}

/* ------------------------------------------------------------------------------------------ */
/* IEEE 802.11 and radiotap                                                                    */

/* An 802.11 MAC header: frame control fc0/fc1, duration, addresses 1-3, sequence control seq
 * (fragment number in the low 4 bits), address 4 when both DS bits are set, QoS control for QoS
 * data, HT control when QoS data has the order bit. */
static void put_wifi_hdr(unsigned fc0, unsigned fc1, unsigned seq)
{
    pb_u8(&B, fc0);
    pb_u8(&B, fc1);
    pb_zeros(&B, 2 + 18);
    pb_u8(&B, seq & 0xffu);
    pb_u8(&B, seq >> 8);
    if ((fc1 & 3u) == 3u)
        pb_zeros(&B, 6);
    if ((fc0 >> 2 & 3u) == 2u && (fc0 & 0x80u)) {
        pb_zeros(&B, 2);
        if (fc1 & 0x80u)
            pb_zeros(&B, 4);
    }
}

static void put_snap(unsigned ethertype)
{
    pb_bytes(&B, "\xaa\xaa\x03\x00\x00\x00", 6);
    pb_be16(&B, ethertype);
}

/* Data frames carry IP after RFC 1042 LLC/SNAP, whatever the MAC header's shape: 24 bytes
 * (data, FromDS), 30 (four addresses), 26 (QoS), 30 (QoS + HT control), 36 (all of them). */
static void test_wifi_data(void **state)
{
    static const struct {
        unsigned fc0, fc1, hdr;
    } shapes[] = {{0x08, 0x02, 24}, {0x08, 0x03, 30}, {0x88, 0x01, 26},
                  {0x88, 0x81, 30}, {0x88, 0x83, 36}, {0x08, 0x00, 24}};
    cap_packet p;
    (void)state;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        pb_reset(&B);
        put_wifi_hdr(shapes[i].fc0, shapes[i].fc1, 0x1230); /* sequence 0x123, fragment 0 */
        assert_int_equal(B.len, shapes[i].hdr);
        put_snap(0x0800);
        put_v4();
        assert_skip(CAP_SKIP_NONE, decode_pb(DLT_IEEE802_11, &B, &p));
        assert_default_v4(&p, (uint32_t)shapes[i].hdr + 8);
    }
    pb_reset(&B);
    put_wifi_hdr(0x08, 0x01, 0);
    put_snap(0x86dd);
    put_v6();
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_IEEE802_11, &B, &p));
    assert_default_v6(&p, 32);
    /* a trailing FCS is left over after the IP packet, as an Ethernet trailer is */
    pb_zeros(&B, 4);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_IEEE802_11, &B, &p));
}

/* What cannot yield IP: management (beacon) and control (ACK) frames, null data, QoS null,
 * protected frames, a later fragment, LLC without SNAP, a SNAP EtherType that is not IP. */
static void test_wifi_not_ip(void **state)
{
    static const struct {
        unsigned fc0, fc1, seq;
        bool snap;
    } cases[] = {
        {0x80, 0x00, 0, true}, /* beacon */
        {0xd4, 0x00, 0, true}, /* ACK (control) */
        {0x48, 0x01, 0, true}, /* null data */
        {0xc8, 0x01, 0, true}, /* QoS null */
        {0x08, 0x41, 0, true}, /* protected */
        {0x08, 0x01, 1, true}, /* fragment 1 */
        {0x08, 0x01, 0, false},
    };
    cap_packet p;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pb_reset(&B);
        put_wifi_hdr(cases[i].fc0, cases[i].fc1, cases[i].seq);
        if (cases[i].snap)
            put_snap(0x0800);
        else
            pb_bytes(&B, "\x42\x42\x03\x00\x00\x00\x08\x00", 8); /* STP's SAPs */
        put_v4();
        assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_IEEE802_11, &B, &p));
    }
    pb_reset(&B);
    put_wifi_hdr(0x08, 0x01, 0);
    put_snap(0x0806); /* ARP */
    pb_zeros(&B, 28);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_IEEE802_11, &B, &p));
}

/* A protocol version other than 0 is malformed; a header cut by snaplen is truncated, one
 * shorter on the wire malformed. */
static void test_wifi_bad_and_cut(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    put_wifi_hdr(0x09, 0x01, 0); /* version 1 */
    put_snap(0x0800);
    put_v4();
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_IEEE802_11, &B, &p));
    pb_reset(&B);
    put_wifi_hdr(0x88, 0x01, 0);
    put_snap(0x0800);
    put_v4();
    for (size_t k = 0; k < 26 + 8; k++) {
        assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_IEEE802_11, &B, k, &p));
        assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_IEEE802_11, &B, k, &p));
    }
}

/* A radiotap header of `len` bytes: the present words given, TSFT padded to 8 when present, the
 * flags byte when present, zeros to `len`. */
static void put_radiotap(size_t len, const uint32_t *words, size_t nwords, unsigned flags)
{
    size_t start = B.len, off = 4 + 4 * nwords;
    pb_u8(&B, 0);
    pb_u8(&B, 0);
    pb_u8(&B, (unsigned)(len & 0xffu));
    pb_u8(&B, (unsigned)(len >> 8));
    for (size_t i = 0; i < nwords; i++)
        pb_le32(&B, words[i]);
    if (words[0] & 1u) { /* TSFT */
        size_t to = (off + 7) & ~(size_t)7;
        pb_zeros(&B, to - off + 8);
        off = to + 8;
    }
    if (words[0] & 2u) {
        pb_u8(&B, flags);
        off++;
    }
    if (len > off)
        pb_zeros(&B, len - off);
    assert_int_equal(B.len - start, len > off ? len : off);
}

/* The radiotap header is stepped over by its length (with one or three present words, with
 * and without TSFT and flags); the flags' bad-FCS bit makes the frame malformed. */
static void test_radiotap(void **state)
{
    static const uint32_t w1[] = {0x0000000eu};                           /* flags, rate... */
    static const uint32_t w2[] = {0xa000402fu, 0x00000820u};              /* Linux's */
    static const uint32_t w3[] = {0x80000004u, 0x80000000u, 0x00000000u}; /* no flags */
    static const struct {
        const uint32_t *w;
        size_t n, len;
        unsigned flags;
        cap_skip want;
    } cases[] = {
        {w1, 1, 18, 0x00, CAP_SKIP_NONE},           {w1, 1, 18, 0x10, CAP_SKIP_NONE},
        {w2, 2, 36, 0x10, CAP_SKIP_NONE},           {w3, 3, 20, 0x00, CAP_SKIP_NONE},
        {w1, 1, 18, 0x40, CAP_SKIP_MALFORMED_LINK}, {w2, 2, 36, 0x50, CAP_SKIP_MALFORMED_LINK},
    };
    cap_packet p;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pb_reset(&B);
        put_radiotap(cases[i].len, cases[i].w, cases[i].n, cases[i].flags);
        put_wifi_hdr(0x08, 0x02, 0);
        put_snap(0x0800);
        put_v4();
        assert_skip(cases[i].want, decode_pb(DLT_IEEE802_11_RADIO, &B, &p));
        if (cases[i].want == CAP_SKIP_NONE)
            assert_default_v4(&p, (uint32_t)cases[i].len + 24 + 8);
    }
}

/* Radiotap rules: version 0 only, a length of at least 8 that fits the frame, present words
 * inside that length; a header cut by snaplen is truncated. */
static void test_radiotap_bad_and_cut(void **state)
{
    static const uint32_t w2[] = {0xa000402fu, 0x00000820u};
    static const uint32_t ext[] = {0x80000000u, 0x80000000u};
    cap_packet p;
    (void)state;
    pb_reset(&B);
    put_radiotap(36, w2, 2, 0x10);
    put_wifi_hdr(0x08, 0x02, 0);
    put_snap(0x0800);
    put_v4();
    for (size_t k = 0; k < 36 + 24 + 8; k++) {
        assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_IEEE802_11_RADIO, &B, k, &p));
        assert_skip(CAP_SKIP_MALFORMED_LINK, decode_short(DLT_IEEE802_11_RADIO, &B, k, &p));
    }
    B.buf[0] = 1; /* version 1 */
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_IEEE802_11_RADIO, &B, &p));
    B.buf[0] = 0;
    B.buf[2] = 7; /* length 7: less than the fixed header */
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_IEEE802_11_RADIO, &B, &p));
    B.buf[2] = 0xff; /* length past the frame */
    B.buf[3] = 0xff;
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_IEEE802_11_RADIO, &B, &p));
    /* present words that run past a length of 12 */
    pb_reset(&B);
    put_radiotap(12, ext, 2, 0);
    B.buf[2] = 8;
    put_wifi_hdr(0x08, 0x02, 0);
    put_snap(0x0800);
    put_v4();
    assert_skip(CAP_SKIP_MALFORMED_LINK, decode_pb(DLT_IEEE802_11_RADIO, &B, &p));
}

/* ------------------------------------------------------------------------------------------ */
/* Link type table and result reset                                                            */

static void test_unsupported_link(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    put_v4();
    assert_skip(CAP_SKIP_UNSUPPORTED_LINK, decode_pb(DLT_USB_LINUX_MMAPPED, &B, &p));
    assert_skip(CAP_SKIP_UNSUPPORTED_LINK, decode_pb(182, &B, &p));
    assert_skip(CAP_SKIP_UNSUPPORTED_LINK, decode_pb(-1, &B, &p));
    assert_false(cap_link_supported(DLT_USB_LINUX_MMAPPED));
    assert_true(cap_link_supported(DLT_IEEE802_11));
    assert_true(cap_link_supported(DLT_IEEE802_11_RADIO));
    assert_false(cap_link_supported(182));
    assert_false(cap_link_supported(-1));
    assert_true(cap_link_supported(DLT_EN10MB));
    assert_true(cap_link_supported(DLT_LINUX_SLL));
    assert_true(cap_link_supported(DLT_LINUX_SLL2));
    assert_true(cap_link_supported(DLT_RAW));
    assert_true(cap_link_supported(101));
    assert_true(cap_link_supported(DLT_IPV4));
    assert_true(cap_link_supported(DLT_IPV6));
    assert_true(cap_link_supported(DLT_NULL));
    assert_true(cap_link_supported(DLT_LOOP));
    assert_true(cap_link_supported(DLT_NFLOG));
    assert_true(cap_link_supported(DLT_C_HDLC));
    assert_true(cap_link_supported(DLT_PPP));
}

static void test_result_reset(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    put_v4();
    p.ts_us = 123456789;
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.ts_us, 123456789);
    assert_true(p.has_tcp);
    /* an ARP frame decoded into the same struct leaves nothing of the TCP packet */
    pb_reset(&B);
    pb_eth(&B, 0x0806);
    pb_zeros(&B, 28);
    assert_skip(CAP_SKIP_NOT_IP, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.ts_us, 123456789);
    assert_false(p.has_tcp);
    assert_int_equal(p.ip_version, 0);
    assert_int_equal(p.seg.seq, 0);
    assert_int_equal(p.sport, 0);
    assert_int_equal(p.csum, CAP_CSUM_UNVERIFIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ether_ipv4),
        cmocka_unit_test(test_ether_ipv6),
        cmocka_unit_test(test_ether_not_ip),
        cmocka_unit_test(test_ether_short),
        cmocka_unit_test(test_vlan_single),
        cmocka_unit_test(test_vlan_qinq),
        cmocka_unit_test(test_vlan_cut),
        cmocka_unit_test(test_pppoe),
        cmocka_unit_test(test_pppoe_not_ip_and_bad),
        cmocka_unit_test(test_sll),
        cmocka_unit_test(test_sll2),
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_raw_ipv4_ipv6_only),
        cmocka_unit_test(test_null_loop),
        cmocka_unit_test(test_nflog),
        cmocka_unit_test(test_nflog_bad),
        cmocka_unit_test(test_chdlc),
        cmocka_unit_test(test_ppp),
        cmocka_unit_test(test_wifi_data),
        cmocka_unit_test(test_wifi_not_ip),
        cmocka_unit_test(test_wifi_bad_and_cut),
        cmocka_unit_test(test_radiotap),
        cmocka_unit_test(test_radiotap_bad_and_cut),
        cmocka_unit_test(test_unsupported_link),
        cmocka_unit_test(test_result_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
