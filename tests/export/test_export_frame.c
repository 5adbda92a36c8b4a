/*
 * test_export_frame.c - the frames the pcap exporter builds, checked byte by byte and through the
 * capture decoder (cap_decode, whose checksum code is independent of the exporter's): the
 * Internet checksum on RFC 1071's worked example, Ethernet and raw IP framing, every IPv4 and
 * IPv6 header field (version, lengths, IP ID, DF, TTL/hop limit, protocol, header checksum),
 * every TCP header field and each option layout (MSS, window scale, SACK-permitted, timestamps,
 * SACK blocks, what does not fit in 40 bytes), odd payload lengths, segments too large for IP,
 * and the parsing of the trace's "ADDR:PORT" strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <pcap/dlt.h>

#include "cap_export_int.h"

static uint8_t buf[CAP_EXPORT_FRAME_MAX];
static uint8_t payload[65536];

static cap_export_ends ends4(void)
{
    cap_export_ends e;
    char err[200];
    assert_int_equal(cap_export_ends_init(&e, "192.0.2.1:49152", "192.0.2.2:80", err, sizeof err),
                     0);
    return e;
}

static cap_export_ends ends6(void)
{
    cap_export_ends e;
    char err[200];
    assert_int_equal(
        cap_export_ends_init(&e, "[2001:db8::1]:49152", "[2001:db8::2]:443", err, sizeof err), 0);
    return e;
}

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decodes a frame the exporter built; the copy is exactly len bytes (ASan sees overreads). */
static void decode(int dlt, const uint8_t *frame, size_t len, cap_packet *p)
{
    uint8_t *copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, frame, len);
    cap_skip why = cap_decode(dlt, copy, len, len, p);
    free(copy);
    assert_int_equal(why, CAP_SKIP_NONE);
    assert_true(p->has_tcp);
    assert_int_equal(p->csum, CAP_CSUM_GOOD);
}

static tcp_seg seg_syn_all_options(void)
{
    tcp_seg s;
    memset(&s, 0, sizeof s);
    s.seq = 0xfffffff0u; /* near the wrap */
    s.flags = TCP_SYN;
    s.win_raw = 64240;
    s.win = 64240;
    s.has_mss = true;
    s.mss = 1460;
    s.has_wscale = true;
    s.wscale = 7;
    s.sack_perm = true;
    s.has_ts = true;
    s.tsval = 0x01020304u;
    s.tsecr = 0;
    return s;
}

/* ------------------------------------------------------------------------------------------ */
/* Checksum                                                                                    */

static void test_csum_rfc1071_example(void **state)
{
    (void)state;
    /* RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2, the checksum its complement */
    static const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    assert_int_equal(cap_export_csum(b, sizeof b, 0), 0x220d);
    /* an odd byte counts as the high half of a word */
    static const uint8_t odd[] = {0x12, 0x34, 0x56};
    assert_int_equal(cap_export_csum(odd, sizeof odd, 0), (uint16_t) ~(0x1234 + 0x5600));
    /* carries wrap around: ffff + 0001 = 1 0000 -> 0001 */
    static const uint8_t carry[] = {0xff, 0xff, 0x00, 0x01};
    assert_int_equal(cap_export_csum(carry, sizeof carry, 0), (uint16_t)~0x0001);
    /* all zeros sum to 0: the stored checksum is ffff */
    static const uint8_t none[] = {0x00, 0x00};
    assert_int_equal(cap_export_csum(none, sizeof none, 0), 0xffff);
}

/* ------------------------------------------------------------------------------------------ */
/* IPv4 over Ethernet                                                                          */

static void test_ipv4_syn_every_field(void **state)
{
    (void)state;
    cap_export_ends e = ends4();
    tcp_seg s = seg_syn_all_options();
    size_t len = cap_export_frame(buf, sizeof buf, &e, false, 0, 0x1234, &s, NULL);
    /* 14 Ethernet + 20 IPv4 + 20 TCP + 20 options (MSS 4, SACK-perm+TS 12, NOP+WS 4) */
    assert_int_equal(len, 14 + 20 + 20 + 20);

    /* Ethernet: to the server's MAC from the client's, IPv4 */
    static const uint8_t mac_c[6] = {0x02, 0, 0, 0, 0, 0x01}, mac_s[6] = {0x02, 0, 0, 0, 0, 0x02};
    assert_memory_equal(buf, mac_s, 6);
    assert_memory_equal(buf + 6, mac_c, 6);
    assert_int_equal(be16(buf + 12), 0x0800);
    assert_true(buf[0] & 0x02);  /* locally administered */
    assert_false(buf[0] & 0x01); /* unicast */

    /* IPv4 */
    const uint8_t *ip = buf + 14;
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(ip[1], 0);
    assert_int_equal(be16(ip + 2), 20 + 40);
    assert_int_equal(be16(ip + 4), 0x1234);
    assert_int_equal(be16(ip + 6), 0x4000); /* DF, offset 0 */
    assert_int_equal(ip[8], 64);
    assert_int_equal(ip[9], 6);
    assert_int_equal(cap_export_csum(ip, 20, 0), 0); /* header checksum verifies */
    assert_int_not_equal(be16(ip + 10), 0);
    static const uint8_t a1[4] = {192, 0, 2, 1}, a2[4] = {192, 0, 2, 2};
    assert_memory_equal(ip + 12, a1, 4);
    assert_memory_equal(ip + 16, a2, 4);

    /* TCP header bytes */
    const uint8_t *t = ip + 20;
    assert_int_equal(be16(t), 49152);
    assert_int_equal(be16(t + 2), 80);
    assert_int_equal(be32(t + 4), 0xfffffff0u);
    assert_int_equal(be32(t + 8), 0); /* no ACK flag: ACK field 0 */
    assert_int_equal(t[12], 10 << 4);
    assert_int_equal(t[13], TCP_SYN);
    assert_int_equal(be16(t + 14), 64240);
    assert_int_equal(be16(t + 18), 0);
    static const uint8_t opts[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2,
                                     3, 4, 0,    0,    0, 0, 1, 3,  3, 7};
    assert_memory_equal(t + 20, opts, sizeof opts);

    /* and the decoder agrees on everything */
    cap_packet p;
    decode(DLT_EN10MB, buf, len, &p);
    assert_int_equal(p.ip_version, 4);
    assert_int_equal(p.ip_id, 0x1234);
    assert_int_equal(p.src.family, CAP_FAMILY_IPV4);
    assert_memory_equal(p.src.bytes, a1, 4);
    assert_memory_equal(p.dst.bytes, a2, 4);
    assert_int_equal(p.sport, 49152);
    assert_int_equal(p.dport, 80);
    assert_int_equal(p.l3_off, 14);
    assert_int_equal(p.l4_off, 34);
    assert_int_equal(p.seg.seq, s.seq);
    assert_int_equal(p.seg.flags, TCP_SYN);
    assert_int_equal(p.seg.len, 0);
    assert_int_equal(p.seg.win_raw, 64240);
    assert_true(p.seg.has_mss);
    assert_int_equal(p.seg.mss, 1460);
    assert_true(p.seg.has_wscale);
    assert_int_equal(p.seg.wscale, 7);
    assert_true(p.seg.sack_perm);
    assert_true(p.seg.has_ts);
    assert_int_equal(p.seg.tsval, 0x01020304u);
    assert_int_equal(p.seg.tsecr, 0);
    assert_int_equal(p.seg.nsack, 0);
    assert_false(p.payload_cut);
    assert_false(p.options_cut);
}

static void test_ipv4_data_from_server(void **state)
{
    (void)state;
    cap_export_ends e = ends4();
    tcp_seg s;
    memset(&s, 0, sizeof s);
    s.seq = 2001;
    s.ack = 1014;
    s.flags = TCP_PSH | TCP_ACK;
    s.win_raw = 65522;
    s.len = 13;
    memcpy(payload, "hello, world\n", 13);
    size_t len = cap_export_frame(buf, sizeof buf, &e, false, 1, 7, &s, payload);
    assert_int_equal(len, 14 + 20 + 20 + 13);
    static const uint8_t mac_c[6] = {0x02, 0, 0, 0, 0, 0x01};
    assert_memory_equal(buf, mac_c, 6); /* to the client */
    cap_packet p;
    decode(DLT_EN10MB, buf, len, &p);
    static const uint8_t a2[4] = {192, 0, 2, 2};
    assert_memory_equal(p.src.bytes, a2, 4);
    assert_int_equal(p.sport, 80);
    assert_int_equal(p.dport, 49152);
    assert_int_equal(p.ip_id, 7);
    assert_int_equal(p.seg.seq, 2001);
    assert_int_equal(p.seg.ack, 1014);
    assert_int_equal(p.seg.flags, TCP_PSH | TCP_ACK);
    assert_int_equal(p.seg.len, 13);
    assert_int_equal(p.payload_captured, 13);
    assert_false(p.seg.has_mss || p.seg.has_ts || p.seg.has_wscale || p.seg.sack_perm);
    assert_memory_equal(buf + len - 13, "hello, world\n", 13);
}

/* Odd and even payload lengths, every flag combination of a byte: the decoder's checksum agrees. */
static void test_checksum_agrees_with_decoder(void **state)
{
    (void)state;
    cap_export_ends e4 = ends4(), e6 = ends6();
    for (uint32_t n = 0; n < 300; n += 37) {
        for (unsigned f = 0; f < 256; f += 7) {
            tcp_seg s;
            memset(&s, 0, sizeof s);
            s.seq = 0x80000000u + n * f;
            s.ack = ~s.seq;
            s.flags = (uint8_t)f;
            s.win_raw = (uint16_t)(n * 911u + f);
            s.len = n;
            for (uint32_t k = 0; k < n; k++)
                payload[k] = (uint8_t)(k * 31u + f);
            for (int v = 0; v < 2; v++) {
                cap_export_ends *e = v ? &e6 : &e4;
                size_t len = cap_export_frame(buf, sizeof buf, e, v == 1, f & 1u, 1, &s, payload);
                assert_true(len > 0);
                cap_packet p;
                decode(v ? DLT_RAW : DLT_EN10MB, buf, len, &p);
                assert_int_equal(p.seg.flags, f);
                assert_int_equal(p.seg.seq, s.seq);
                assert_int_equal(p.seg.ack, (f & TCP_ACK) ? s.ack : 0);
                assert_int_equal(p.seg.win_raw, s.win_raw);
                assert_int_equal(p.seg.len, n);
                /* one flipped payload bit is caught */
                if (n > 0) {
                    buf[len - 1] ^= 0x10;
                    cap_packet bad;
                    assert_int_equal(cap_decode(v ? DLT_RAW : DLT_EN10MB, buf, len, len, &bad),
                                     CAP_SKIP_NONE);
                    assert_int_equal(bad.csum, CAP_CSUM_BAD);
                }
            }
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* IPv6 and raw IP                                                                             */

static void test_ipv6_every_field(void **state)
{
    (void)state;
    cap_export_ends e = ends6();
    tcp_seg s = seg_syn_all_options();
    s.flags = TCP_SYN | TCP_ACK;
    s.ack = 12345;
    size_t len = cap_export_frame(buf, sizeof buf, &e, false, 1, 99, &s, NULL);
    assert_int_equal(len, 14 + 40 + 40);
    assert_int_equal(be16(buf + 12), 0x86dd);
    const uint8_t *ip = buf + 14;
    assert_int_equal(ip[0], 0x60);
    assert_int_equal(ip[1], 0);
    assert_int_equal(be16(ip + 2), 0); /* flow label 0 */
    assert_int_equal(be16(ip + 4), 40);
    assert_int_equal(ip[6], 6);
    assert_int_equal(ip[7], 64);
    static const uint8_t a1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t a2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    assert_memory_equal(ip + 8, a2, 16); /* from the server */
    assert_memory_equal(ip + 24, a1, 16);
    cap_packet p;
    decode(DLT_EN10MB, buf, len, &p);
    assert_int_equal(p.ip_version, 6);
    assert_int_equal(p.ip_id, 0);
    assert_int_equal(p.sport, 443);
    assert_int_equal(p.dport, 49152);
    assert_int_equal(p.seg.ack, 12345);
    assert_int_equal(p.seg.flags, TCP_SYN | TCP_ACK);
    assert_true(p.seg.has_mss && p.seg.has_wscale && p.seg.sack_perm && p.seg.has_ts);
}

static void test_raw_ip_framing(void **state)
{
    (void)state;
    cap_export_ends e4 = ends4(), e6 = ends6();
    tcp_seg s = seg_syn_all_options();
    size_t with = cap_export_frame(buf, sizeof buf, &e4, false, 0, 1, &s, NULL);
    static uint8_t ether[200];
    memcpy(ether, buf, with);
    size_t raw = cap_export_frame(buf, sizeof buf, &e4, true, 0, 1, &s, NULL);
    assert_int_equal(raw + 14, with);
    assert_memory_equal(buf, ether + 14, raw); /* the same IP packet without the link header */
    assert_int_equal(buf[0] >> 4, 4);
    cap_packet p;
    decode(DLT_RAW, buf, raw, &p);
    assert_int_equal(p.l3_off, 0);
    raw = cap_export_frame(buf, sizeof buf, &e6, true, 0, 1, &s, NULL);
    assert_int_equal(buf[0] >> 4, 6);
    decode(DLT_RAW, buf, raw, &p);
    assert_int_equal(p.ip_version, 6);
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                     */

static void expect_options(const tcp_seg *s, const uint8_t *want, size_t n, unsigned nsack_want)
{
    uint8_t out[CAP_EXPORT_OPT_MAX];
    unsigned nsack = 99;
    size_t len = cap_export_tcp_options(s, out, &nsack);
    assert_int_equal(len, n);
    assert_int_equal(len % 4, 0);
    if (n)
        assert_memory_equal(out, want, n);
    assert_int_equal(nsack, nsack_want);
}

static void test_option_layouts(void **state)
{
    (void)state;
    tcp_seg s;
    memset(&s, 0, sizeof s);
    expect_options(&s, NULL, 0, 0);

    s.has_mss = true;
    s.mss = 536;
    static const uint8_t mss[] = {2, 4, 0x02, 0x18};
    expect_options(&s, mss, sizeof mss, 0);

    memset(&s, 0, sizeof s);
    s.sack_perm = true;
    static const uint8_t sp[] = {1, 1, 4, 2};
    expect_options(&s, sp, sizeof sp, 0);

    memset(&s, 0, sizeof s);
    s.has_ts = true;
    s.tsval = 0xa0b0c0d0u;
    s.tsecr = 0x01020304u;
    static const uint8_t ts[] = {1, 1, 8, 10, 0xa0, 0xb0, 0xc0, 0xd0, 1, 2, 3, 4};
    expect_options(&s, ts, sizeof ts, 0);

    memset(&s, 0, sizeof s);
    s.has_wscale = true;
    s.wscale = 14;
    static const uint8_t ws[] = {1, 3, 3, 14};
    expect_options(&s, ws, sizeof ws, 0);

    /* a shift above 14 is written as it was sent */
    s.wscale = 15;
    static const uint8_t ws15[] = {1, 3, 3, 15};
    expect_options(&s, ws15, sizeof ws15, 0);

    /* SACK blocks without timestamps: all four fit (4 + 32 = 36 bytes) */
    memset(&s, 0, sizeof s);
    s.nsack = 4;
    for (unsigned b = 0; b < 4; b++) {
        s.sack[b].left = 0x10000000u * (b + 1);
        s.sack[b].right = s.sack[b].left + 0x100;
    }
    uint8_t want[40] = {1, 1, 5, 34};
    for (unsigned b = 0; b < 4; b++) {
        uint8_t *w = want + 4 + 8 * b;
        w[0] = (uint8_t)((b + 1) << 4);
        w[1] = w[2] = w[3] = 0;
        w[4] = (uint8_t)((b + 1) << 4);
        w[5] = 0;
        w[6] = 1;
        w[7] = 0;
    }
    expect_options(&s, want, 36, 4);

    /* with timestamps three blocks fit (12 + 4 + 24 = 40), the fourth is left out */
    s.has_ts = true;
    s.tsval = 1;
    s.tsecr = 2;
    uint8_t want_ts[40] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 5, 26};
    memcpy(want_ts + 16, want + 4, 24);
    expect_options(&s, want_ts, 40, 3);

    /* every option at once on a SYN with SACK blocks: what fits */
    s = seg_syn_all_options();
    s.nsack = 2;
    s.sack[0].left = 5;
    s.sack[0].right = 6;
    s.sack[1].left = 7;
    s.sack[1].right = 8;
    uint8_t out[CAP_EXPORT_OPT_MAX];
    unsigned nsack = 0;
    assert_int_equal(cap_export_tcp_options(&s, out, &nsack), 20 + 4 + 16);
    assert_int_equal(nsack, 2);

    /* an MSS option on a segment other than a SYN is written too: exactly what was sent */
    memset(&s, 0, sizeof s);
    s.flags = TCP_ACK;
    s.has_mss = true;
    s.mss = 1400;
    static const uint8_t mss_ack[] = {2, 4, 0x05, 0x78};
    expect_options(&s, mss_ack, sizeof mss_ack, 0);
}

static void test_sack_blocks_decoded(void **state)
{
    (void)state;
    cap_export_ends e = ends4();
    tcp_seg s;
    memset(&s, 0, sizeof s);
    s.seq = 5000;
    s.ack = 9000;
    s.flags = TCP_ACK;
    s.win_raw = 1000;
    s.has_ts = true;
    s.tsval = 77;
    s.tsecr = 66;
    s.nsack = 3;
    for (unsigned b = 0; b < 3; b++) {
        s.sack[b].left = 10000 + 2000 * b;
        s.sack[b].right = 11000 + 2000 * b;
    }
    size_t len = cap_export_frame(buf, sizeof buf, &e, false, 0, 3, &s, NULL);
    assert_int_equal(len, 14 + 20 + 20 + 40);
    cap_packet p;
    decode(DLT_EN10MB, buf, len, &p);
    assert_int_equal(p.seg.nsack, 3);
    for (unsigned b = 0; b < 3; b++) {
        assert_int_equal(p.seg.sack[b].left, s.sack[b].left);
        assert_int_equal(p.seg.sack[b].right, s.sack[b].right);
    }
    assert_true(p.seg.has_ts);
    assert_int_equal(p.seg.tsval, 77);
    assert_int_equal(p.seg.tsecr, 66);
}

/* ------------------------------------------------------------------------------------------ */
/* Sizes                                                                                       */

static void test_sizes(void **state)
{
    (void)state;
    cap_export_ends e4 = ends4(), e6 = ends6();
    tcp_seg s;
    memset(&s, 0, sizeof s);
    s.flags = TCP_ACK;
    memset(payload, 'x', sizeof payload);
    /* IPv4: total length 20 + 20 + len must fit in 16 bits */
    s.len = 65535 - 40;
    size_t len = cap_export_frame(buf, sizeof buf, &e4, false, 0, 1, &s, payload);
    assert_int_equal(len, 14 + 65535);
    cap_packet p;
    decode(DLT_EN10MB, buf, len, &p);
    assert_int_equal(p.seg.len, 65535 - 40);
    s.len++;
    assert_int_equal(cap_export_frame(buf, sizeof buf, &e4, false, 0, 1, &s, payload), 0);
    /* IPv6: the payload length (TCP header and data) must fit in 16 bits */
    s.len = 65535 - 20;
    len = cap_export_frame(buf, sizeof buf, &e6, false, 0, 1, &s, payload);
    assert_int_equal(len, CAP_EXPORT_FRAME_MAX);
    decode(DLT_EN10MB, buf, len, &p);
    assert_int_equal(p.seg.len, 65535 - 20);
    s.len++;
    assert_int_equal(cap_export_frame(buf, sizeof buf, &e6, false, 0, 1, &s, payload), 0);
    /* the buffer is too small */
    s.len = 100;
    assert_int_equal(cap_export_frame(buf, 14 + 20 + 20 + 99, &e4, false, 0, 1, &s, payload), 0);
    assert_int_equal(cap_export_frame(buf, 14 + 20 + 20 + 100, &e4, false, 0, 1, &s, payload),
                     14 + 20 + 20 + 100);
    assert_int_equal(cap_export_ip_tcp_header_len(&e4, &s), 40);
    assert_int_equal(cap_export_ip_tcp_header_len(&e6, &s), 60);
}

/* ------------------------------------------------------------------------------------------ */
/* Addresses                                                                                   */

static void test_parse_endpoint(void **state)
{
    (void)state;
    cap_addr a;
    uint16_t port = 0;
    assert_int_equal(cap_export_parse_endpoint("192.0.2.1:49152", &a, &port), 0);
    assert_int_equal(a.family, CAP_FAMILY_IPV4);
    assert_int_equal(port, 49152);
    assert_int_equal(cap_export_parse_endpoint("[2001:db8::1]:80", &a, &port), 0);
    assert_int_equal(a.family, CAP_FAMILY_IPV6);
    assert_int_equal(a.bytes[15], 1);
    assert_int_equal(port, 80);
    assert_int_equal(cap_export_parse_endpoint("[::ffff:192.0.2.1]:0", &a, &port), 0);
    assert_int_equal(port, 0);
    assert_int_equal(cap_export_parse_endpoint("10.0.0.1:65535", &a, &port), 0);
    static const char *const bad[] = {"",
                                      "192.0.2.1",
                                      "192.0.2.1:",
                                      "192.0.2.1:65536",
                                      "192.0.2.1:-1",
                                      "192.0.2.1:8x",
                                      "300.0.0.1:80",
                                      "2001:db8::1:80",
                                      "[2001:db8::1]",
                                      "[zz::1]:80",
                                      "[192.0.2.1]:80",
                                      "host:80",
                                      "192.0.2.1:99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(cap_export_parse_endpoint(bad[i], &a, &port), -1);
}

static void test_ends_init(void **state)
{
    (void)state;
    cap_export_ends e;
    char err[200] = "";
    assert_int_equal(cap_export_ends_init(&e, "192.0.2.1:1", "[2001:db8::2]:2", err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "IP version"));
    assert_int_equal(cap_export_ends_init(&e, "192.0.2.1:1", "nowhere", err, sizeof err), -1);
    assert_non_null(strstr(err, "server"));
    assert_non_null(strstr(err, "nowhere"));
    assert_int_equal(cap_export_ends_init(&e, "x", "192.0.2.1:1", err, sizeof err), -1);
    assert_non_null(strstr(err, "client"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csum_rfc1071_example),
        cmocka_unit_test(test_ipv4_syn_every_field),
        cmocka_unit_test(test_ipv4_data_from_server),
        cmocka_unit_test(test_checksum_agrees_with_decoder),
        cmocka_unit_test(test_ipv6_every_field),
        cmocka_unit_test(test_raw_ip_framing),
        cmocka_unit_test(test_option_layouts),
        cmocka_unit_test(test_sack_blocks_decoded),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_parse_endpoint),
        cmocka_unit_test(test_ends_init),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
