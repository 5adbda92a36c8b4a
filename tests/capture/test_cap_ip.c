/*
 * test_cap_ip.c - the IPv4 and IPv6 rules of the decoder: version and header length checks,
 * IPv4 options, total length against the header and the frame, TSO zero lengths, Ethernet
 * padding, fragments (first and non-first, both versions), the IPv6 extension header chain
 * (every kind, the 16-header bound, headers running past the payload), and non-TCP payloads.
 */
#include "cap_test.h"

#include <pcap/dlt.h>

static pb B;

enum { ETH = 14 };

static void eth_v4(const tcp_spec *t, const uint8_t *opts, size_t optlen)
{
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, t, opts, optlen);
}

static void eth_v6(const tcp_spec *t, unsigned first_next, const uint8_t *ext, size_t extlen)
{
    pb_reset(&B);
    pb_eth(&B, 0x86dd);
    pb_ipv6_tcp(&B, t, first_next, ext, extlen);
}

static tcp_spec spec(size_t paylen)
{
    tcp_spec t = tcp_default();
    t.paylen = paylen;
    return t;
}

/* ------------------------------------------------------------------------------------------ */
/* IPv4                                                                                        */

static void test_ipv4_options(void **state)
{
    static const uint8_t opt4[4] = {1, 1, 1, 0}; /* NOP NOP NOP EOL */
    static const uint8_t rr[40] = {7, 39, 4, 0}; /* record route, room for 9 */
    tcp_spec t = spec(5);
    cap_packet p;
    (void)state;

    eth_v4(&t, opt4, sizeof opt4);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.l3_off, ETH);
    assert_int_equal(p.l4_off, ETH + 24);
    assert_int_equal(p.sport, 40000);
    assert_int_equal(p.seg.len, 5);
    assert_int_equal(p.csum, CAP_CSUM_GOOD);

    eth_v4(&t, rr, sizeof rr); /* IHL 15 */
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.l4_off, ETH + 60);
    assert_int_equal(p.seg.seq, 1000);
    assert_int_equal(p.seg.len, 5);
    assert_int_equal(p.csum, CAP_CSUM_GOOD);

    /* options cut by snaplen: truncated; IHL past the total length: malformed */
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, ETH + 30, &p));
    pb_put_be16(&B, ETH + 2, 40);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
}

static void test_ipv4_ihl_below_5(void **state)
{
    tcp_spec t = spec(0);
    cap_packet p;
    (void)state;
    for (unsigned ihl = 0; ihl < 5; ihl++) {
        eth_v4(&t, NULL, 0);
        B.buf[ETH] = (uint8_t)(0x40u | ihl);
        assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
        assert_false(p.has_tcp);
    }
}

static void test_ipv4_bad_version(void **state)
{
    tcp_spec t = spec(0);
    cap_packet p;
    (void)state;
    eth_v4(&t, NULL, 0);
    B.buf[ETH] = 0x65; /* version 6 under EtherType IPv4 */
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    B.buf[ETH] = 0x05;
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
}

static void test_ipv4_total_length(void **state)
{
    tcp_spec t = spec(10);
    cap_packet p;
    (void)state;
    eth_v4(&t, NULL, 0);
    /* below the header length */
    pb_put_be16(&B, ETH + 2, 19);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    pb_put_be16(&B, ETH + 2, 1);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    /* longer than the frame on the wire, by one byte and by a lot */
    pb_put_be16(&B, ETH + 2, 51);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    pb_put_be16(&B, ETH + 2, 65535);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    /* ... but fine when snaplen cut the frame and the wire length holds it */
    pb_put_be16(&B, ETH + 2, 50);
    assert_skip(CAP_SKIP_NONE, decode_cut(DLT_EN10MB, &B, ETH + 45, &p));
    assert_int_equal(p.seg.len, 10);
    assert_int_equal(p.payload_captured, 5);
    assert_true(p.payload_cut);
    /* IP header itself cut */
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, ETH + 19, &p));
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_short(DLT_EN10MB, &B, ETH + 19, &p));
}

static void test_ipv4_tso_zero_length(void **state)
{
    tcp_spec t = spec(1000);
    cap_packet p;
    (void)state;
    eth_v4(&t, NULL, 0);
    pb_put_be16(&B, ETH + 2, 0);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_true(p.tso_length);
    assert_int_equal(p.seg.len, 1000);
    assert_int_equal(p.csum, CAP_CSUM_GOOD); /* the pseudo-header length is the real one */
    /* total length 0 on a frame holding only the IP header: no TCP header */
    assert_skip(CAP_SKIP_MALFORMED_TCP, decode_short(DLT_EN10MB, &B, ETH + 20 + 10, &p));
}

static void test_ipv4_padding(void **state)
{
    tcp_spec t = spec(0);
    cap_packet p;
    (void)state;
    /* a 54-byte frame padded to the Ethernet minimum of 60 bytes */
    eth_v4(&t, NULL, 0);
    pb_bytes(&B, "\xde\xad\xbe\xef\xde\xad", 6);
    assert_int_equal(B.len, 60);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.seg.len, 0);
    assert_int_equal(p.payload_captured, 0);
    assert_false(p.payload_cut);
    assert_int_equal(p.csum, CAP_CSUM_GOOD);
}

static void test_ipv4_not_tcp(void **state)
{
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_proto(&B, 17, 8, 0);
    assert_skip(CAP_SKIP_NOT_TCP, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.ip_version, 4);
    assert_memory_equal(p.src.bytes, PB_SRC4, 4);
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_proto(&B, 1, 8, 0);
    assert_skip(CAP_SKIP_NOT_TCP, decode_pb(DLT_EN10MB, &B, &p));
    /* UDP in a non-first fragment: still known to be UDP */
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_proto(&B, 17, 8, 185);
    assert_skip(CAP_SKIP_NOT_TCP, decode_pb(DLT_EN10MB, &B, &p));
}

static void test_ipv4_fragments(void **state)
{
    tcp_spec t = spec(100);
    cap_packet p;
    (void)state;
    /* non-first fragment (offset 185 * 8): no TCP header in it */
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_proto(&B, 6, 64, 185);
    assert_skip(CAP_SKIP_FRAGMENT, decode_pb(DLT_EN10MB, &B, &p));
    assert_false(p.has_tcp);
    assert_false(p.first_fragment);
    /* last fragment (offset > 0, no MF) */
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_proto(&B, 6, 64, 0x0001);
    assert_skip(CAP_SKIP_FRAGMENT, decode_pb(DLT_EN10MB, &B, &p));

    /* first fragment with the whole TCP header: decoded, still counted as a fragment */
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp_frag(&B, &t, 0x2000);
    assert_skip(CAP_SKIP_FRAGMENT, decode_pb(DLT_EN10MB, &B, &p));
    assert_true(p.first_fragment);
    assert_true(p.has_tcp);
    assert_int_equal(p.sport, 40000);
    assert_int_equal(p.seg.seq, 1000);
    assert_int_equal(p.seg.len, 100); /* only this fragment's share */
    assert_int_equal(p.csum, CAP_CSUM_UNVERIFIED);

    /* first fragment holding 8 bytes of TCP header only */
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp_frag(&B, &t, 0x2000);
    pb_put_be16(&B, ETH + 2, 28);
    B.len = ETH + 28;
    assert_skip(CAP_SKIP_FRAGMENT, decode_pb(DLT_EN10MB, &B, &p));
    assert_false(p.first_fragment);
    assert_false(p.has_tcp);
}

/* ------------------------------------------------------------------------------------------ */
/* IPv6                                                                                        */

static void test_ipv6_plain(void **state)
{
    tcp_spec t = spec(33);
    cap_packet p;
    (void)state;
    eth_v6(&t, 6, NULL, 0);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.ip_version, 6);
    assert_int_equal(p.l3_off, ETH);
    assert_int_equal(p.l4_off, ETH + 40);
    assert_int_equal(p.seg.len, 33);
    assert_int_equal(p.csum, CAP_CSUM_GOOD);
    assert_memory_equal(p.dst.bytes, PB_DST6, 16);
}

static void test_ipv6_header_checks(void **state)
{
    tcp_spec t = spec(10);
    cap_packet p;
    (void)state;
    eth_v6(&t, 6, NULL, 0);
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, ETH + 39, &p));
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_short(DLT_EN10MB, &B, ETH + 39, &p));
    /* payload length past the frame */
    pb_put_be16(&B, ETH + 4, 31);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    /* payload length too short for a TCP header */
    pb_put_be16(&B, ETH + 4, 19);
    assert_skip(CAP_SKIP_MALFORMED_TCP, decode_pb(DLT_EN10MB, &B, &p));
    /* payload length 0: BIG TCP / jumbogram, the frame delimits */
    pb_put_be16(&B, ETH + 4, 0);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_true(p.tso_length);
    assert_int_equal(p.seg.len, 10);
    assert_int_equal(p.csum, CAP_CSUM_GOOD);
    /* version 4 under EtherType IPv6 */
    pb_put_be16(&B, ETH + 4, 30);
    B.buf[ETH] = 0x40;
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.ip_version, 0);
}

/* Appends one generic extension header of `units` 8-byte units. */
static size_t ext_generic(uint8_t *buf, size_t at, unsigned next, unsigned units)
{
    size_t len = ((size_t)units + 1) * 8;
    memset(buf + at, 0, len);
    buf[at] = (uint8_t)next;
    buf[at + 1] = (uint8_t)units;
    buf[at + 2] = 1; /* PadN option filling the rest */
    buf[at + 3] = (uint8_t)(len - 4);
    return at + len;
}

static void test_ipv6_ext_chain(void **state)
{
    uint8_t ext[200];
    size_t n = 0;
    tcp_spec t = spec(12);
    cap_packet p;
    (void)state;
    /* hop-by-hop (8) -> routing (24, segments left 0) -> destination options (16) -> atomic
     * fragment (8) -> AH (16) -> TCP */
    n = ext_generic(ext, n, 43, 0);
    memset(ext + n, 0, 24);
    ext[n] = 60;
    ext[n + 1] = 2;
    ext[n + 2] = 0; /* type 0 */
    ext[n + 3] = 0; /* segments left */
    n += 24;
    n = ext_generic(ext, n, 44, 1);
    memset(ext + n, 0, 8);
    ext[n] = 51; /* fragment header: offset 0, M 0 */
    n += 8;
    memset(ext + n, 0, 16);
    ext[n] = 6;
    ext[n + 1] = 2; /* AH: (2 + 2) * 4 = 16 bytes */
    n += 16;
    eth_v6(&t, 0, ext, n);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.l4_off, ETH + 40 + n);
    assert_int_equal(p.seg.len, 12);
    assert_int_equal(p.csum, CAP_CSUM_GOOD);
    assert_false(p.first_fragment);

    /* the same chain cut by snaplen inside the destination options: truncated */
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, ETH + 40 + 8 + 24 + 1, &p));
    /* ... and inside the TCP header after it */
    assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, ETH + 40 + n + 10, &p));
}

static void test_ipv6_routing_pending(void **state)
{
    uint8_t ext[24] = {6, 2, 0, 1}; /* type 0, one segment left */
    tcp_spec t = spec(4);
    cap_packet p;
    (void)state;
    eth_v6(&t, 43, ext, sizeof ext);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.csum, CAP_CSUM_UNVERIFIED); /* the pseudo-header is another address */
    assert_int_equal(p.l4_off, ETH + 40 + 24);
}

static void test_ipv6_chain_bound(void **state)
{
    uint8_t ext[17 * 8];
    tcp_spec t = spec(0);
    cap_packet p;
    size_t n;
    (void)state;
    /* 16 destination-options headers: accepted */
    n = 0;
    for (int i = 0; i < 16; i++)
        n = ext_generic(ext, n, i == 15 ? 6 : 60, 0);
    eth_v6(&t, 60, ext, n);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.l4_off, ETH + 40 + 16 * 8);
    /* 17: the walk stops, whatever follows */
    n = 0;
    for (int i = 0; i < 17; i++)
        n = ext_generic(ext, n, i == 16 ? 6 : 60, 0);
    eth_v6(&t, 60, ext, n);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    assert_false(p.has_tcp);
    /* a "loop": every header names the next one as the same kind, up to the end of the
     * payload; it ends as malformed either way */
    n = 0;
    for (int i = 0; i < 17; i++)
        n = ext_generic(ext, n, 0, 0);
    pb_reset(&B);
    pb_eth(&B, 0x86dd);
    pb_be32(&B, 0x60000000u);
    pb_be16(&B, (unsigned)n);
    pb_u8(&B, 0);
    pb_u8(&B, 64);
    pb_bytes(&B, PB_SRC6, 16);
    pb_bytes(&B, PB_DST6, 16);
    pb_bytes(&B, ext, n);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    /* the same with only 3 headers: runs past the payload */
    pb_put_be16(&B, ETH + 4, 24);
    B.len = ETH + 40 + 24;
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
}

static void test_ipv6_ext_past_payload(void **state)
{
    uint8_t ext[8];
    tcp_spec t = spec(0);
    cap_packet p;
    (void)state;
    ext_generic(ext, 0, 6, 0);
    eth_v6(&t, 60, ext, sizeof ext);
    /* destination options claiming 8 * 8 bytes in a 28-byte payload */
    B.buf[ETH + 40 + 1] = 7;
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
    /* an extension header whose length byte is past the payload length */
    eth_v6(&t, 60, ext, sizeof ext);
    pb_put_be16(&B, ETH + 4, 1);
    assert_skip(CAP_SKIP_MALFORMED_IP, decode_pb(DLT_EN10MB, &B, &p));
}

static void test_ipv6_fragments(void **state)
{
    uint8_t frag[8] = {6, 0, 0, 0, 0, 0, 0, 42};
    tcp_spec t = spec(20);
    cap_packet p;
    (void)state;
    /* first fragment: M = 1 */
    frag[3] = 1;
    eth_v6(&t, 44, frag, sizeof frag);
    assert_skip(CAP_SKIP_FRAGMENT, decode_pb(DLT_EN10MB, &B, &p));
    assert_true(p.first_fragment);
    assert_true(p.has_tcp);
    assert_int_equal(p.seg.seq, 1000);
    assert_int_equal(p.csum, CAP_CSUM_UNVERIFIED);
    /* non-first fragment: offset 1 (8 bytes) */
    frag[2] = 0;
    frag[3] = 0x08;
    eth_v6(&t, 44, frag, sizeof frag);
    assert_skip(CAP_SKIP_FRAGMENT, decode_pb(DLT_EN10MB, &B, &p));
    assert_false(p.has_tcp);
    /* non-first fragment of a UDP datagram */
    frag[0] = 17;
    eth_v6(&t, 44, frag, sizeof frag);
    assert_skip(CAP_SKIP_NOT_TCP, decode_pb(DLT_EN10MB, &B, &p));
    /* atomic fragment (offset 0, M 0, RFC 6946): a whole packet */
    frag[0] = 6;
    frag[3] = 0;
    eth_v6(&t, 44, frag, sizeof frag);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.csum, CAP_CSUM_GOOD);
    assert_false(p.first_fragment);
}

static void test_ipv6_not_tcp(void **state)
{
    static const unsigned next[] = {17, 58, 50, 59, 41, 4};
    tcp_spec t = spec(0);
    cap_packet p;
    (void)state;
    for (size_t i = 0; i < sizeof next / sizeof next[0]; i++) {
        eth_v6(&t, next[i], NULL, 0);
        assert_skip(CAP_SKIP_NOT_TCP, decode_pb(DLT_EN10MB, &B, &p));
        assert_int_equal(p.ip_version, 6);
    }
    /* ESP after a destination-options header */
    uint8_t ext[8];
    ext_generic(ext, 0, 50, 0);
    eth_v6(&t, 60, ext, sizeof ext);
    assert_skip(CAP_SKIP_NOT_TCP, decode_pb(DLT_EN10MB, &B, &p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_options),         cmocka_unit_test(test_ipv4_ihl_below_5),
        cmocka_unit_test(test_ipv4_bad_version),     cmocka_unit_test(test_ipv4_total_length),
        cmocka_unit_test(test_ipv4_tso_zero_length), cmocka_unit_test(test_ipv4_padding),
        cmocka_unit_test(test_ipv4_not_tcp),         cmocka_unit_test(test_ipv4_fragments),
        cmocka_unit_test(test_ipv6_plain),           cmocka_unit_test(test_ipv6_header_checks),
        cmocka_unit_test(test_ipv6_ext_chain),       cmocka_unit_test(test_ipv6_routing_pending),
        cmocka_unit_test(test_ipv6_chain_bound),     cmocka_unit_test(test_ipv6_ext_past_payload),
        cmocka_unit_test(test_ipv6_fragments),       cmocka_unit_test(test_ipv6_not_tcp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
