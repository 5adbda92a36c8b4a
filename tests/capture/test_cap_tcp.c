/*
 * test_cap_tcp.c - the TCP rules of the decoder: data offset below 5 or past the segment,
 * header cut by snaplen, options (values of MSS, window scale, SACK-permitted, 0 to 4 SACK
 * blocks, timestamps; EOL, NOP, unknown kinds, wrong lengths) and every malformed-option rule,
 * the checksum (good, bad, IPv4 and IPv6, odd lengths, a hand-checked packet, unverifiable when
 * cut), and the payload length taken from the IP header when snaplen cut the payload.
 */
#include "cap_test.h"

#include <pcap/dlt.h>

static pb B;

enum { ETH = 14, TCP_OFF = 14 + 20 };

static cap_skip decode_opts(const uint8_t *opts, size_t optlen, cap_packet *p)
{
    tcp_spec t = tcp_default();
    t.opts = opts;
    t.optlen = optlen;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    return decode_pb(DLT_EN10MB, &B, p);
}

/* ------------------------------------------------------------------------------------------ */
/* Header                                                                                      */

static void test_data_offset_below_5(void **state)
{
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    t.paylen = 40;
    for (unsigned doff = 0; doff < 5; doff++) {
        pb_reset(&B);
        pb_eth(&B, 0x0800);
        pb_ipv4_tcp(&B, &t, NULL, 0);
        B.buf[TCP_OFF + 12] = (uint8_t)(doff << 4);
        assert_skip(CAP_SKIP_MALFORMED_TCP, decode_pb(DLT_EN10MB, &B, &p));
        assert_false(p.has_tcp);
    }
}

static void test_data_offset_past_segment(void **state)
{
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    /* 15 words = 60 bytes in a 30-byte segment */
    t.paylen = 10;
    t.doff = 15;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    assert_skip(CAP_SKIP_MALFORMED_TCP, decode_pb(DLT_EN10MB, &B, &p));
    /* 6 words = 24 bytes in a 20-byte segment */
    t.paylen = 0;
    t.doff = 6;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    assert_skip(CAP_SKIP_MALFORMED_TCP, decode_pb(DLT_EN10MB, &B, &p));
    /* the data offset is past the captured bytes but within the segment: usable */
    t.paylen = 40;
    t.doff = 15;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    assert_skip(CAP_SKIP_NONE, decode_cut(DLT_EN10MB, &B, TCP_OFF + 20, &p));
    assert_true(p.options_cut);
    assert_int_equal(p.seg.len, 0);
}

static void test_segment_shorter_than_header(void **state)
{
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    for (unsigned seglen = 0; seglen < 20; seglen++) {
        pb_put_be16(&B, ETH + 2, 20 + seglen);
        assert_skip(CAP_SKIP_MALFORMED_TCP, decode_pb(DLT_EN10MB, &B, &p));
    }
}

static void test_header_cut(void **state)
{
    static const uint8_t syn_opts[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                         0, 1, 0,    0,    0, 0, 1, 3,  3, 7};
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    t.flags = TCP_SYN;
    t.opts = syn_opts;
    t.optlen = sizeof syn_opts;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    /* anywhere in the fixed 20 bytes: truncated */
    for (size_t cut = TCP_OFF; cut < TCP_OFF + 20; cut++)
        assert_skip(CAP_SKIP_TRUNCATED, decode_cut(DLT_EN10MB, &B, cut, &p));
    /* in the options: the SYN is used with the options that were captured */
    assert_skip(CAP_SKIP_NONE, decode_cut(DLT_EN10MB, &B, TCP_OFF + 20 + 9, &p));
    assert_true(p.options_cut);
    assert_true(p.seg.has_mss);
    assert_int_equal(p.seg.mss, 1460);
    assert_true(p.seg.sack_perm);
    assert_false(p.seg.has_ts); /* cut inside it */
    assert_false(p.seg.has_wscale);
    assert_int_equal(p.seg.flags, TCP_SYN);
    assert_int_equal(p.seg.len, 0);
    assert_int_equal(p.csum, CAP_CSUM_UNVERIFIED);
    /* cut between the kind and the length byte of an option */
    assert_skip(CAP_SKIP_NONE, decode_cut(DLT_EN10MB, &B, TCP_OFF + 20 + 7, &p));
    assert_true(p.options_cut);
    assert_false(p.seg.has_ts);
    /* the whole header */
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_false(p.options_cut);
    assert_true(p.seg.has_ts);
    assert_true(p.seg.has_wscale);
    assert_int_equal(p.seg.wscale, 7);
}

static void test_header_fields(void **state)
{
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    t.sport = 65535;
    t.dport = 1;
    t.seq = 0xfffffff0u;
    t.ack = 0x80000001u;
    t.flags = 0xff; /* every flag bit, "Christmas tree" */
    t.win = 0xffff;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.sport, 65535);
    assert_int_equal(p.dport, 1);
    assert_int_equal(p.seg.seq, 0xfffffff0u);
    assert_int_equal(p.seg.ack, 0x80000001u);
    assert_int_equal(p.seg.flags, 0xff);
    assert_int_equal(p.seg.win_raw, 0xffff);
    assert_int_equal(p.seg.win, 0xffff);
    assert_int_equal(p.seg.len, 0);
    assert_int_equal(tcp_seg_seqlen(&p.seg), 2); /* SYN and FIN */
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                     */

static void test_options_values(void **state)
{
    static const uint8_t opts[20] = {
        2,    4,    0x23, 0x28,             /* MSS 9000 */
        1,    3,    3,    14,               /* NOP, window scale 14 */
        4,    2,                            /* SACK permitted */
        8,    10,   0x11, 0x22, 0x33, 0x44, /* TSval */
        0x55, 0x66, 0x77, 0x88,             /* TSecr */
    };
    cap_packet p;
    (void)state;
    assert_skip(CAP_SKIP_NONE, decode_opts(opts, sizeof opts, &p));
    assert_true(p.seg.has_mss);
    assert_int_equal(p.seg.mss, 9000);
    assert_true(p.seg.has_wscale);
    assert_int_equal(p.seg.wscale, 14);
    assert_true(p.seg.sack_perm);
    assert_true(p.seg.has_ts);
    assert_int_equal(p.seg.tsval, 0x11223344u);
    assert_int_equal(p.seg.tsecr, 0x55667788u);
    assert_int_equal(p.seg.nsack, 0);
    assert_int_equal(p.l4_off, TCP_OFF);
}

static void test_options_sack_blocks(void **state)
{
    uint8_t opts[40];
    cap_packet p;
    (void)state;
    for (unsigned n = 0; n <= 4; n++) {
        size_t len = 2 + 8 * (size_t)n, i = 0;
        memset(opts, 0, sizeof opts);
        opts[i++] = 1;
        opts[i++] = 1;
        opts[i++] = 5;
        opts[i++] = (uint8_t)len;
        for (unsigned b = 0; b < n; b++) {
            uint32_t l = 0x10000000u * (b + 1), r = l + 1000 * (b + 1);
            for (int k = 3; k >= 0; k--)
                opts[i++] = (uint8_t)(l >> (8 * k));
            for (int k = 3; k >= 0; k--)
                opts[i++] = (uint8_t)(r >> (8 * k));
        }
        size_t optlen = (i + 3) & ~(size_t)3;
        assert_skip(CAP_SKIP_NONE, decode_opts(opts, optlen, &p));
        assert_int_equal(p.seg.nsack, n);
        for (unsigned b = 0; b < n; b++) {
            assert_int_equal(p.seg.sack[b].left, 0x10000000u * (b + 1));
            assert_int_equal(p.seg.sack[b].right, 0x10000000u * (b + 1) + 1000 * (b + 1));
        }
    }
}

static void test_options_sack_odd_length(void **state)
{
    /* length 11: one whole block and one stray byte */
    static const uint8_t opts[12] = {5, 11, 0, 0, 0, 1, 0, 0, 0, 9, 0xee, 0};
    cap_packet p;
    (void)state;
    assert_skip(CAP_SKIP_NONE, decode_opts(opts, sizeof opts, &p));
    assert_int_equal(p.seg.nsack, 1);
    assert_int_equal(p.seg.sack[0].left, 1);
    assert_int_equal(p.seg.sack[0].right, 9);
}

static void test_options_eol_nop_unknown(void **state)
{
    /* unknown kind 254 (experimental, TFO cookie style) then MSS then EOL and garbage */
    static const uint8_t opts[16] = {254,  6,    0xf9, 0x89, 0xaa, 0xbb, 2,    4,
                                     0x05, 0xb4, 0,    3,    0,    0xff, 0xff, 0xff};
    cap_packet p;
    (void)state;
    assert_skip(CAP_SKIP_NONE, decode_opts(opts, sizeof opts, &p));
    assert_true(p.seg.has_mss);
    assert_int_equal(p.seg.mss, 1460);
    assert_false(p.seg.has_wscale); /* after EOL: ignored, zero length or not */
}

static void test_options_wrong_length_ignored(void **state)
{
    /* MSS of length 3, window scale of length 4, SACK-permitted of length 3, timestamps of 8 */
    static const uint8_t opts[20] = {2, 3, 5, 3, 4, 7, 0, 4, 3, 0, 8, 8, 0, 0, 0, 1, 0, 0, 0, 2};
    cap_packet p;
    (void)state;
    assert_skip(CAP_SKIP_NONE, decode_opts(opts, sizeof opts, &p));
    assert_false(p.seg.has_mss);
    assert_false(p.seg.has_wscale);
    assert_false(p.seg.sack_perm);
    assert_false(p.seg.has_ts);
}

static void test_options_too_long_ignored(void **state)
{
    /* timestamps of length 12 and MSS of length 6: known kinds, wrong (longer) lengths */
    static const uint8_t opts[20] = {8, 12, 0, 0, 0, 1,    0, 0, 0, 2,
                                     0, 0,  2, 6, 5, 0xb4, 0, 0, 1, 0};
    cap_packet p;
    (void)state;
    assert_skip(CAP_SKIP_NONE, decode_opts(opts, sizeof opts, &p));
    assert_false(p.seg.has_ts);
    assert_false(p.seg.has_mss);
}

static void test_options_wscale_out_of_range_kept(void **state)
{
    static const uint8_t opts[4] = {3, 3, 255, 0};
    cap_packet p;
    (void)state;
    assert_skip(CAP_SKIP_NONE, decode_opts(opts, sizeof opts, &p));
    assert_true(p.seg.has_wscale);
    assert_int_equal(p.seg.wscale, 255);
}

static void test_options_malformed(void **state)
{
    static const struct {
        uint8_t opts[8];
        size_t len;
    } bad[] = {
        {{1, 1, 2, 4}, 4},              /* MSS running 2 bytes past the header */
        {{1, 1, 1, 2}, 4},              /* kind in the last byte, its length past the header */
        {{3, 0, 1, 1}, 4},              /* zero-length option */
        {{3, 1, 1, 1}, 4},              /* length 1 */
        {{254, 0, 0, 0}, 4},            /* zero-length unknown option */
        {{1, 8, 10, 0, 0, 0, 0, 0}, 8}, /* timestamps claiming 10 of the 7 bytes left */
        {{5, 255, 0, 0}, 4},            /* SACK claiming 255 bytes */
    };
    cap_packet p;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_skip(CAP_SKIP_MALFORMED_TCP, decode_opts(bad[i].opts, bad[i].len, &p));
        assert_false(p.has_tcp);
        assert_false(p.seg.has_mss);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Checksum                                                                                    */

static void test_checksum_ipv4(void **state)
{
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    for (size_t paylen = 0; paylen < 8; paylen++) { /* even and odd lengths */
        t.paylen = paylen;
        t.bad_csum = false;
        pb_reset(&B);
        pb_eth(&B, 0x0800);
        pb_ipv4_tcp(&B, &t, NULL, 0);
        assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
        assert_int_equal(p.csum, CAP_CSUM_GOOD);
        t.bad_csum = true;
        pb_reset(&B);
        pb_eth(&B, 0x0800);
        pb_ipv4_tcp(&B, &t, NULL, 0);
        assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p)); /* never dropped */
        assert_int_equal(p.csum, CAP_CSUM_BAD);
        assert_int_equal(p.seg.len, paylen);
    }
    /* one payload bit flipped */
    t.paylen = 100;
    t.bad_csum = false;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    B.buf[TCP_OFF + 20 + 50] ^= 0x10;
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_int_equal(p.csum, CAP_CSUM_BAD);
}

static void test_checksum_ipv6(void **state)
{
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    for (size_t paylen = 0; paylen < 4; paylen++) {
        t.paylen = paylen;
        t.bad_csum = false;
        pb_reset(&B);
        pb_eth(&B, 0x86dd);
        pb_ipv6_tcp(&B, &t, 6, NULL, 0);
        assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
        assert_int_equal(p.csum, CAP_CSUM_GOOD);
        t.bad_csum = true;
        pb_reset(&B);
        pb_eth(&B, 0x86dd);
        pb_ipv6_tcp(&B, &t, 6, NULL, 0);
        assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
        assert_int_equal(p.csum, CAP_CSUM_BAD);
    }
}

/* A BIG TCP segment of more than 64 KiB (IPv6 payload length 0): the pseudo-header carries the
 * 32-bit length, whose upper half must be summed too. */
static void test_checksum_ipv6_over_64k(void **state)
{
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    t.paylen = 70000;
    pb_reset(&B);
    pb_eth(&B, 0x86dd);
    pb_ipv6_tcp(&B, &t, 6, NULL, 0);
    pb_put_be16(&B, ETH + 4, 0);
    assert_skip(CAP_SKIP_NONE, decode_pb(DLT_EN10MB, &B, &p));
    assert_true(p.tso_length);
    assert_int_equal(p.seg.len, 70000);
    assert_int_equal(p.csum, CAP_CSUM_GOOD);
}

/*
 * A SYN built by hand, 192.168.1.10:51000 -> 192.168.1.20:443, seq 0x01020304, MSS 1460.  Its
 * checksum is 0x4ccd, worked out by hand and confirmed by tcpdump -v ("cksum 0x4ccd (correct)"):
 * pseudo-header c0a8 + 010a + c0a8 + 0114 + 0006 + 0018 = 0x1838c; TCP header words c738 + 01bb
 * + 0102 + 0304 + 0 + 0 + 6002 + faf0 + 0 + 0 + 0204 + 05b4 = 0x22fa3; sum 0x3b32f, folded
 * 0xb332, complemented 0x4ccd.  The IP header checksum is left zero: it is not checked.
 */
#define KNOWN_SYN_CSUM 0x4ccd
static const uint8_t known_syn[] = {
    0x45, 0x00, 0x00, 0x2c, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 0xc0, 0xa8, 0x01,
    0x0a, 0xc0, 0xa8, 0x01, 0x14, 0xc7, 0x38, 0x01, 0xbb, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00,
    0x00, 0x00, 0x60, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
};

static void test_checksum_known_packet(void **state)
{
    uint8_t pkt[sizeof known_syn];
    cap_packet p;
    (void)state;
    memcpy(pkt, known_syn, sizeof pkt);
    assert_skip(CAP_SKIP_NONE, decode_exact(DLT_RAW, pkt, sizeof pkt, sizeof pkt, &p));
    assert_int_equal(p.csum, CAP_CSUM_BAD); /* checksum field still zero */
    pkt[36] = KNOWN_SYN_CSUM >> 8;
    pkt[37] = KNOWN_SYN_CSUM & 0xff;
    assert_skip(CAP_SKIP_NONE, decode_exact(DLT_RAW, pkt, sizeof pkt, sizeof pkt, &p));
    assert_int_equal(p.csum, CAP_CSUM_GOOD);
    assert_int_equal(pb_tcp_csum4(pkt + 12, pkt + 16, known_syn + 20, 24), KNOWN_SYN_CSUM);
    assert_true(p.seg.has_mss);
    assert_int_equal(p.seg.mss, 1460);
    assert_int_equal(p.seg.seq, 0x01020304u);
}

/* ------------------------------------------------------------------------------------------ */
/* Snaplen                                                                                     */

static void test_snaplen_cut_payload(void **state)
{
    tcp_spec t = tcp_default();
    cap_packet p;
    (void)state;
    t.paylen = 1000;
    pb_reset(&B);
    pb_eth(&B, 0x0800);
    pb_ipv4_tcp(&B, &t, NULL, 0);
    /* 68-byte snaplen, as tcpdump -s 68 */
    assert_skip(CAP_SKIP_NONE, decode_cut(DLT_EN10MB, &B, 68, &p));
    assert_int_equal(p.seg.len, 1000);
    assert_int_equal(p.payload_captured, 68 - TCP_OFF - 20);
    assert_true(p.payload_cut);
    assert_false(p.options_cut);
    assert_int_equal(p.csum, CAP_CSUM_UNVERIFIED);
    /* exactly the headers */
    assert_skip(CAP_SKIP_NONE, decode_cut(DLT_EN10MB, &B, TCP_OFF + 20, &p));
    assert_int_equal(p.seg.len, 1000);
    assert_int_equal(p.payload_captured, 0);
    assert_true(p.payload_cut);
    /* one byte short of the whole frame */
    assert_skip(CAP_SKIP_NONE, decode_cut(DLT_EN10MB, &B, B.len - 1, &p));
    assert_int_equal(p.payload_captured, 999);
    assert_int_equal(p.csum, CAP_CSUM_UNVERIFIED);

    /* the same over IPv6 */
    pb_reset(&B);
    pb_eth(&B, 0x86dd);
    pb_ipv6_tcp(&B, &t, 6, NULL, 0);
    assert_skip(CAP_SKIP_NONE, decode_cut(DLT_EN10MB, &B, 96, &p));
    assert_int_equal(p.seg.len, 1000);
    assert_int_equal(p.payload_captured, 96 - 14 - 40 - 20);
    assert_true(p.payload_cut);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_offset_below_5),
        cmocka_unit_test(test_data_offset_past_segment),
        cmocka_unit_test(test_segment_shorter_than_header),
        cmocka_unit_test(test_header_cut),
        cmocka_unit_test(test_header_fields),
        cmocka_unit_test(test_options_values),
        cmocka_unit_test(test_options_sack_blocks),
        cmocka_unit_test(test_options_sack_odd_length),
        cmocka_unit_test(test_options_eol_nop_unknown),
        cmocka_unit_test(test_options_wrong_length_ignored),
        cmocka_unit_test(test_options_too_long_ignored),
        cmocka_unit_test(test_options_wscale_out_of_range_kept),
        cmocka_unit_test(test_options_malformed),
        cmocka_unit_test(test_checksum_ipv4),
        cmocka_unit_test(test_checksum_ipv6),
        cmocka_unit_test(test_checksum_ipv6_over_64k),
        cmocka_unit_test(test_checksum_known_packet),
        cmocka_unit_test(test_snaplen_cut_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
