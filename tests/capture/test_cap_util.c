/*
 * test_cap_util.c - the small pieces of the capture library: the bounds-checked reader
 * (getters, sticky failure, snaplen-cut versus too-short classification, sub-regions), the skip
 * reason names (stable strings used in JSON), the counters, and address formatting.
 */
#include "cap_test.h"

#include "cap_addr.h"
#include "cap_decode_int.h"
#include "cap_reader.h"
#include "cap_stats.h"

static const uint8_t bytes[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

static void test_reader_getters(void **state)
{
    cap_reader r = cap_rd_init(bytes, 8, 8);
    (void)state;
    assert_int_equal(cap_rd_left(&r), 8);
    assert_int_equal(cap_rd_u8(&r), 0x01);
    assert_int_equal(cap_rd_be16(&r), 0x0203);
    assert_int_equal(cap_rd_be32(&r), 0x04050607u);
    assert_int_equal(cap_rd_left(&r), 1);
    assert_true(cap_rd_ok(&r));
    r = cap_rd_init(bytes, 8, 8);
    assert_int_equal(cap_rd_le32(&r), 0x04030201u);
    uint16_t h = cap_rd_host16(&r), want;
    memcpy(&want, bytes + 4, 2);
    assert_int_equal(h, want);
}

static void test_reader_sticky_failure(void **state)
{
    cap_reader r = cap_rd_init(bytes, 3, 3);
    uint8_t out[4] = {9, 9, 9, 9};
    (void)state;
    assert_int_equal(cap_rd_be32(&r), 0); /* 4 of 3 bytes */
    assert_false(cap_rd_ok(&r));
    assert_int_equal(r.missing, 1);
    assert_ptr_equal(r.p, bytes);       /* did not move */
    assert_int_equal(cap_rd_u8(&r), 0); /* would fit, but the reader has failed */
    assert_ptr_equal(r.p, bytes);
    cap_rd_copy(&r, out, 4);
    assert_int_equal(out[0] | out[1] | out[2] | out[3], 0);
    assert_false(cap_rd_cut_short(&r)); /* nothing was cut: too short on the wire */
}

static void test_reader_cut_classification(void **state)
{
    cap_reader r;
    (void)state;
    /* 4 captured of 10 on the wire: reading 6 fails only because of snaplen */
    r = cap_rd_init(bytes, 4, 10);
    assert_int_equal(r.cut, 6);
    assert_int_equal(cap_rd_wire_left(&r), 10);
    cap_rd_skip(&r, 6);
    assert_true(cap_rd_cut_short(&r));
    /* the boundary: the last byte that was on the wire */
    r = cap_rd_init(bytes, 4, 10);
    cap_rd_skip(&r, 10);
    assert_int_equal(r.missing, 6);
    assert_true(cap_rd_cut_short(&r));
    /* reading 11 wants more than the wire had */
    r = cap_rd_init(bytes, 4, 10);
    cap_rd_skip(&r, 11);
    assert_int_equal(r.missing, 7);
    assert_false(cap_rd_cut_short(&r));
    /* wirelen below caplen counts as caplen */
    r = cap_rd_init(bytes, 8, 2);
    assert_int_equal(r.cut, 0);
    assert_int_equal(cap_rd_left(&r), 8);
    /* an empty reader over no buffer at all */
    r = cap_rd_init(NULL, 0, 0);
    assert_int_equal(cap_rd_u8(&r), 0);
    assert_false(cap_rd_ok(&r));
}

static void test_reader_sub(void **state)
{
    cap_reader r, s;
    (void)state;
    /* 8 captured of 20: a 12-byte region holds all 8 captured bytes and 4 cut ones */
    r = cap_rd_init(bytes, 8, 20);
    cap_rd_skip(&r, 2);
    s = cap_rd_sub(&r, 12);
    assert_true(cap_rd_ok(&r));
    assert_int_equal(cap_rd_left(&s), 6);
    assert_int_equal(s.cut, 6);
    assert_int_equal(cap_rd_left(&r), 0);
    assert_int_equal(r.cut, 6); /* 20 - 2 - 12 */
    assert_int_equal(cap_rd_u8(&s), 0x03);
    /* a region that fits in the captured bytes */
    r = cap_rd_init(bytes, 8, 8);
    s = cap_rd_sub(&r, 3);
    assert_int_equal(cap_rd_left(&s), 3);
    assert_int_equal(s.cut, 0);
    assert_int_equal(cap_rd_u8(&r), 0x04);
    /* a region longer than the wire: fails, and is not a snaplen cut */
    r = cap_rd_init(bytes, 8, 10);
    s = cap_rd_sub(&r, 11);
    assert_false(cap_rd_ok(&r));
    assert_false(cap_rd_cut_short(&r));
    assert_false(cap_rd_ok(&s));
    assert_int_equal(cap_rd_left(&s), 0);
}

/* The plain RFC 1071 loop, big-endian 16-bit words, for comparison. */
static uint16_t ref_csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += i % 2 == 0 ? (uint32_t)p[i] << 8 : p[i];
    while (s > 0xffff)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

static void test_csum_against_reference(void **state)
{
    static uint8_t buf[1600];
    uint32_t x = 12345;
    (void)state;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    /* every length up to 300 at every alignment, and full-size segments */
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n <= 300; n++)
            assert_int_equal(cap_csum_fold(cap_csum_partial(0, buf + off, n)),
                             ref_csum(buf + off, n));
        assert_int_equal(cap_csum_fold(cap_csum_partial(7, buf + off, 1500)),
                         cap_csum_fold(7u + ref_csum(buf + off, 1500)));
    }
    /* all ones: every addition carries (the vector lanes too, up to the longest segment) */
    memset(buf, 0xff, sizeof buf);
    for (size_t n = 0; n <= sizeof buf; n++)
        assert_int_equal(cap_csum_fold(cap_csum_partial(0, buf, n)), ref_csum(buf, n));
    static uint8_t big[65535];
    memset(big, 0xff, sizeof big);
    assert_int_equal(cap_csum_fold(cap_csum_partial(0, big, sizeof big)),
                     ref_csum(big, sizeof big));
    for (size_t i = 0; i < sizeof big; i++) {
        x = x * 1103515245u + 12345u;
        big[i] = (uint8_t)(x >> 16);
    }
    for (size_t off = 0; off < 4; off++)
        assert_int_equal(cap_csum_fold(cap_csum_partial(0, big + off, sizeof big - off)),
                         ref_csum(big + off, sizeof big - off));
    assert_int_equal(cap_csum_fold(cap_csum_partial(0, buf, 1)), 0xff00);
    assert_int_equal(cap_csum_fold(0x1fffeu), 0xffff);
}

static void test_skip_names(void **state)
{
    static const char *const names[CAP_SKIP_COUNT] = {
        "none",         "not-ip",        "not-tcp",  "truncated",        "malformed-link",
        "malformed-ip", "malformed-tcp", "fragment", "unsupported-link",
    };
    (void)state;
    assert_int_equal(CAP_SKIP_COUNT, 9);
    for (int i = 0; i < CAP_SKIP_COUNT; i++) {
        assert_string_equal(cap_skip_name((cap_skip)i), names[i]);
        assert_int_equal(cap_skip_parse(names[i]), i);
    }
    assert_string_equal(cap_skip_name(CAP_SKIP_COUNT), "?");
    assert_string_equal(cap_skip_name((cap_skip)-1), "?");
    assert_int_equal(cap_skip_parse("not_ip"), -1);
    assert_int_equal(cap_skip_parse(""), -1);
    assert_int_equal(cap_skip_parse(NULL), -1);
}

static void test_stats(void **state)
{
    cap_stats st;
    cap_packet p;
    (void)state;
    memset(&st, 0, sizeof st);
    memset(&p, 0, sizeof p);
    p.csum = CAP_CSUM_GOOD;
    cap_stats_add(&st, CAP_SKIP_NONE, &p);
    p.csum = CAP_CSUM_BAD;
    cap_stats_add(&st, CAP_SKIP_NONE, &p);
    p.csum = CAP_CSUM_UNVERIFIED;
    p.payload_cut = true;
    p.options_cut = true;
    p.tso_length = true;
    cap_stats_add(&st, CAP_SKIP_NONE, &p);
    cap_stats_add(&st, CAP_SKIP_NOT_IP, &p);
    cap_stats_add(&st, CAP_SKIP_NOT_IP, &p);
    cap_stats_add(&st, CAP_SKIP_FRAGMENT, &p);
    assert_int_equal(st.packets, 6);
    assert_int_equal(st.tcp, 3);
    assert_int_equal(st.csum_bad, 1);
    assert_int_equal(st.csum_unverified, 1);
    assert_int_equal(st.payload_cut, 1);
    assert_int_equal(st.options_cut, 1);
    assert_int_equal(st.tso_length, 1);
    assert_int_equal(st.skipped[CAP_SKIP_NOT_IP], 2);
    assert_int_equal(st.skipped[CAP_SKIP_FRAGMENT], 1);
    assert_int_equal(st.skipped[CAP_SKIP_NONE], 0);
    assert_int_equal(cap_stats_skipped(&st), 3);
}

static void test_addr_format(void **state)
{
    cap_addr a4 = {CAP_FAMILY_IPV4, {192, 0, 2, 33}};
    cap_addr a6 = {CAP_FAMILY_IPV6, {0}};
    cap_addr lo6 = {CAP_FAMILY_IPV6, {0}};
    cap_addr bad = {0, {0}};
    char buf[CAP_ENDPOINT_STRLEN];
    (void)state;
    memcpy(a6.bytes, PB_SRC6, 16);
    lo6.bytes[15] = 1;
    assert_string_equal(cap_endpoint_str(&a4, 80, buf, sizeof buf), "192.0.2.33:80");
    assert_string_equal(cap_endpoint_str(&a6, 443, buf, sizeof buf), "[2001:db8::1]:443");
    assert_string_equal(cap_endpoint_str(&lo6, 5555, buf, sizeof buf), "[::1]:5555");
    assert_string_equal(cap_addr_str(&a4, buf, sizeof buf), "192.0.2.33");
    assert_string_equal(cap_addr_str(&bad, buf, sizeof buf), "?");
    /* the longest form fits */
    memset(a6.bytes, 0xff, 16);
    assert_string_equal(cap_endpoint_str(&a6, 65535, buf, sizeof buf),
                        "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
    assert_true(cap_addr_eq(&a4, &a4));
    assert_false(cap_addr_eq(&a4, &a6));
    assert_false(cap_addr_eq(&a6, &lo6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_getters),
        cmocka_unit_test(test_reader_sticky_failure),
        cmocka_unit_test(test_reader_cut_classification),
        cmocka_unit_test(test_reader_sub),
        cmocka_unit_test(test_csum_against_reference),
        cmocka_unit_test(test_skip_names),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_addr_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
