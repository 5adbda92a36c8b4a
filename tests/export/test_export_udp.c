/*
 * test_export_udp.c - the UDP frames of exported datagram flows (capture/cap_export_udp.c): a
 * known datagram checked byte by byte (its IPv4 header checksum and RFC 768 UDP checksum worked
 * out by hand below), the checksum of other lengths and of IPv6 verified by an independent sum
 * over the pseudo-header, a computed checksum of zero sent as 0xffff, the size limits of the
 * 16-bit length fields; then a whole datagram flow through cap_export_pcap() at both vantages:
 * which datagrams each capture holds (a lost one only at its sender), when, their IP IDs and
 * payloads (the sendto texts, or the filler); and the explorer's header bytes of the same flow
 * (cap_export_headers): each datagram's UDP header and payload, the very bytes of the capture.
 */
#include "export_test.h"

#include <dirent.h>
#include <unistd.h>

#include "cap_export_int.h"

static uint8_t buf[CAP_EXPORT_FRAME_MAX];
static uint8_t payload[65536];

static cap_export_ends ends(const char *client, const char *server)
{
    cap_export_ends e;
    char err[200];
    assert_int_equal(cap_export_ends_init(&e, client, server, err, sizeof err), 0);
    return e;
}

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* One's complement sum of 16-bit words (an odd byte padded with zero), folded: written here
 * apart from the exporter's so that the two check each other. */
static uint32_t ones_sum(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 2)
        sum += (uint32_t)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0u);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return sum;
}

/* True when the UDP checksum of the frame (at offset `ip`, IPv4 or IPv6) verifies: the sum of
 * the pseudo-header and the whole datagram, checksum included, is 0xffff (RFC 768). */
static bool udp_checksum_ok(const uint8_t *f, size_t ip, bool v6)
{
    const uint8_t *u = f + ip + (v6 ? 40 : 20);
    unsigned ulen = be16(u + 4);
    uint32_t s = v6 ? ones_sum(0, f + ip + 8, 32) : ones_sum(0, f + ip + 12, 8);
    s += 17u + ulen;
    return be16(u + 6) != 0 && ones_sum(s, u, ulen) == 0xffffu;
}

/* ---- the frame builder --------------------------------------------------------------------- */

/* "ping 1" from 192.0.2.1:32768 to 192.0.2.2:5353, IP ID 1, over Ethernet (the udp scenario's
 * first datagram), its checksums worked out by hand (tshark 4.0 reports both correct):
 *   IPv4 header 4500+0022+0001+4000+4011+0000+c000+0201+c000+0202 = 0x24937 -> 0x4939,
 *     complemented 0xb6c6
 *   UDP pseudo-header c000+0201+c000+0202+0011+000e = 0x18422, UDP header 8000+14e9+000e
 *     = 0x94f7, data 7069+6e67+2031 ("ping 1") = 0xff01; total 0x3181a -> 0x181d,
 *     complemented 0xe7e2 (RFC 768) */
static void test_known_datagram(void **state)
{
    (void)state;
    cap_export_ends e = ends("192.0.2.1:32768", "192.0.2.2:5353");
    size_t n = cap_export_udp_frame(buf, sizeof buf, &e, false, 0, 1, (const uint8_t *)"ping 1", 6);
    static const uint8_t want[48] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00,
                                     0x00, 0x00, 0x00, 0x01, 0x08, 0x00, /* eth */
                                     0x45, 0x00, 0x00, 0x22, 0x00, 0x01, 0x40, 0x00,
                                     0x40, 0x11, 0xb6, 0xc6,                         /* ip */
                                     0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, /* */
                                     0x80, 0x00, 0x14, 0xe9, 0x00, 0x0e, 0xe7, 0xe2, /* udp */
                                     'p',  'i',  'n',  'g',  ' ',  '1'};
    assert_int_equal(n, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    assert_true(udp_checksum_ok(buf, 14, false));
    /* the IPv4 header sums to 0xffff with its checksum */
    assert_int_equal(ones_sum(0, buf + 14, 20), 0xffff);
    /* from the server: addresses, ports and MACs swap */
    n = cap_export_udp_frame(buf, sizeof buf, &e, true, 1, 7, (const uint8_t *)"pong", 4);
    assert_int_equal(n, 20 + 8 + 4);
    assert_int_equal(buf[9], 17);
    assert_int_equal(buf[15], 2); /* source 192.0.2.2 */
    assert_int_equal(buf[19], 1); /* destination 192.0.2.1 */
    assert_int_equal(be16(buf + 20), 5353);
    assert_int_equal(be16(buf + 22), 32768);
    assert_int_equal(be16(buf + 24), 12);
    assert_true(udp_checksum_ok(buf, 0, false));
}

/* Lengths odd and even, both families, both framings: the checksum verifies, the lengths fit. */
static void test_checksum_lengths(void **state)
{
    (void)state;
    static const size_t lens[] = {0, 1, 2, 7, 64, 1471, 8192};
    for (size_t k = 0; k < 65536; k++)
        payload[k] = (uint8_t)(k * 131u + 7u);
    for (int v6 = 0; v6 < 2; v6++) {
        cap_export_ends e = v6 ? ends("[2001:db8::1]:40000", "[2001:db8::2]:53")
                               : ends("198.51.100.7:40000", "203.0.113.9:53");
        for (int raw = 0; raw < 2; raw++)
            for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
                size_t n =
                    cap_export_udp_frame(buf, sizeof buf, &e, raw, i & 1u, 3, payload, lens[i]);
                size_t ip = raw ? 0 : 14, l4 = ip + (v6 ? 40 : 20);
                assert_int_equal(n, l4 + 8 + lens[i]);
                assert_int_equal(be16(buf + l4 + 4), 8 + lens[i]);
                if (v6) {
                    assert_int_equal(buf[ip] >> 4, 6);
                    assert_int_equal(buf[ip + 6], 17);
                    assert_int_equal(be16(buf + ip + 4), 8 + lens[i]);
                } else {
                    assert_int_equal(be16(buf + ip + 2), 20 + 8 + lens[i]);
                    assert_int_equal(ones_sum(0, buf + ip, 20), 0xffff);
                }
                assert_true(udp_checksum_ok(buf, ip, v6));
                assert_memory_equal(buf + l4 + 8, payload, lens[i]);
            }
    }
}

/* A sum that complements to 0 is sent as 0xffff: 0 would mean "no checksum" (RFC 768). */
static void test_zero_checksum_sent_as_ones(void **state)
{
    (void)state;
    cap_export_ends e = ends("192.0.2.1:32768", "192.0.2.2:5353");
    uint8_t two[2] = {0, 0};
    assert_int_equal(cap_export_udp_frame(buf, sizeof buf, &e, true, 0, 1, two, 2), 30);
    unsigned c0 = be16(buf + 26); /* ~S for the sum S without payload: adding c0 gives 0xffff */
    two[0] = (uint8_t)(c0 >> 8);
    two[1] = (uint8_t)c0;
    assert_int_equal(cap_export_udp_frame(buf, sizeof buf, &e, true, 0, 1, two, 2), 30);
    assert_int_equal(be16(buf + 26), 0xffff);
    assert_true(udp_checksum_ok(buf, 0, false));
}

/* The 16-bit length fields: IPv4 total length, IPv6 payload length; and the buffer size. */
static void test_sizes(void **state)
{
    (void)state;
    cap_export_ends e4 = ends("192.0.2.1:1", "192.0.2.2:2");
    cap_export_ends e6 = ends("[2001:db8::1]:1", "[2001:db8::2]:2");
    assert_int_equal(cap_export_ip_udp_header_len(&e4), 28);
    assert_int_equal(cap_export_ip_udp_header_len(&e6), 48);
    assert_int_equal(cap_export_udp_frame(buf, sizeof buf, &e4, true, 0, 1, payload, 65507), 65535);
    assert_int_equal(cap_export_udp_frame(buf, sizeof buf, &e4, true, 0, 1, payload, 65508), 0);
    assert_int_equal(cap_export_udp_frame(buf, sizeof buf, &e6, true, 0, 1, payload, 65527),
                     40 + 65535);
    assert_int_equal(cap_export_udp_frame(buf, sizeof buf, &e6, true, 0, 1, payload, 65528), 0);
    assert_int_equal(cap_export_udp_frame(buf, 14 + 28 + 5, &e4, false, 0, 1, payload, 6), 0);
    assert_int_equal(cap_export_udp_frame(buf, 14 + 28 + 6, &e4, false, 0, 1, payload, 6), 48);
}

/* ---- a datagram flow through the exporter -------------------------------------------------- */

static trace_buf TB;
static char dir[512], path[600];

static void dg(trace_kind kind, uint8_t ep, uint64_t t, uint64_t id, uint32_t off, uint32_t len)
{
    trace_event *ev = xt_seg(&TB, kind, ep, t, id, off, 0, len, 0);
    ev->conn = 1;
    ev->seg.win = ev->seg.win_raw = 0;
    ev->seg.tags = TCP_TAG_DATAGRAM;
}

static void sendto_ev(uint8_t ep, uint64_t t, uint64_t bytes, const char *text)
{
    trace_event *ev = xt_add(&TB, TRACE_APP, ep, t);
    ev->conn = 1;
    ev->u.app.call = TCP_CALL_SENDTO;
    ev->u.app.bytes = bytes;
    ev->u.app.has_ret = true;
    ev->u.app.ret = (int64_t)bytes;
    if (text)
        snprintf(ev->text, sizeof ev->text, "%s", text);
}

/* The udp scenario's flow, and a reply of 8 bytes without text from the server. */
static void build_flow(void)
{
    xt_start(&TB, "192.0.2.1:32768", "192.0.2.2:5353");
    TB.meta.isn_known[0] = TB.meta.isn_known[1] = false;
    trace_event *c = xt_add(&TB, TRACE_CONN, 0, 10000);
    c->conn = 1;
    c->u.conn.udp = true;
    snprintf(c->text, sizeof c->text, "192.0.2.1:32768 192.0.2.2:5353");
    dg(TRACE_SEND, 0, 10000, 1, 0, 6);
    sendto_ev(0, 10000, 6, "ping 1");
    dg(TRACE_SEND, 0, 20000, 2, 6, 6);
    dg(TRACE_DROP, 0, 20000, 2, 6, 6);
    sendto_ev(0, 20000, 6, "ping 2");
    dg(TRACE_SEND, 0, 30000, 3, 12, 6);
    sendto_ev(0, 30000, 6, "ping 3");
    dg(TRACE_RECV, 1, 60000, 1, 0, 6);
    dg(TRACE_SEND, 1, 60000, 4, 0, 8);
    sendto_ev(1, 60000, 8, NULL);
    dg(TRACE_RECV, 1, 80000, 3, 12, 6);
    dg(TRACE_RECV, 0, 110000, 4, 0, 8);
}

typedef struct rec {
    uint64_t t_us; /* since the epoch of the export */
    const uint8_t *ip;
    size_t len; /* from the IP header on */
} rec;

static uint32_t le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Exports TB at `vantage` (raw IP) and splits the file into records; returns their number. */
static size_t export_flow(unsigned vantage, uint8_t *file, size_t size, rec *r, size_t max)
{
    cap_export_opts o;
    cap_export_opts_default(&o);
    o.vantage = vantage;
    o.raw_ip = true;
    char err[512];
    assert_int_equal(cap_export_pcap(&TB, &o, path, err, sizeof err), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t len = fread(file, 1, size, f);
    fclose(f);
    assert_true(len >= 24 && len < size);
    assert_int_equal(le32(file + 20), CAP_EXPORT_LINKTYPE_RAW);
    size_t n = 0;
    for (size_t off = 24; off < len; n++) {
        assert_true(n < max && off + 16 <= len);
        size_t incl = le32(file + off + 8);
        assert_true(off + 16 + incl <= len);
        r[n] =
            (rec){(uint64_t)(le32(file + off) - CAP_EXPORT_EPOCH) * 1000000u + le32(file + off + 4),
                  file + off + 16, incl};
        off += 16 + incl;
    }
    return n;
}

/* Record k: time, sender (0 client), IP ID, UDP length, a good checksum, the payload. */
static void expect_dg(const rec *r, uint64_t t, unsigned from, unsigned ip_id, const char *data,
                      size_t n)
{
    assert_int_equal(r->t_us, t);
    assert_int_equal(r->len, 28 + n);
    assert_int_equal(r->ip[9], 17);
    assert_int_equal(r->ip[15], from ? 2 : 1);
    assert_int_equal(be16(r->ip + 4), ip_id);
    assert_int_equal(be16(r->ip + 20), from ? 5353 : 32768);
    assert_int_equal(be16(r->ip + 22), from ? 32768 : 5353);
    assert_int_equal(be16(r->ip + 24), 8 + n);
    assert_true(udp_checksum_ok(r->ip, 0, false));
    assert_memory_equal(r->ip + 28, data, n);
}

static void test_flow_at_both_vantages(void **state)
{
    (void)state;
    static uint8_t file[4096];
    rec r[16];
    build_flow();
    /* the client: its three datagrams when sent (the lost one too: lost after the capture
     * point), the reply when it arrives */
    assert_int_equal(export_flow(TRACE_CLIENT, file, sizeof file, r, 16), 4);
    expect_dg(&r[0], 10000, 0, 1, "ping 1", 6);
    expect_dg(&r[1], 20000, 0, 2, "ping 2", 6);
    expect_dg(&r[2], 30000, 0, 3, "ping 3", 6);
    expect_dg(&r[3], 110000, 1, 1, "abcdefgh", 8); /* no text: the filler from offset 0 */
    /* the server: the two that arrived, and its reply when sent */
    assert_int_equal(export_flow(TRACE_SERVER, file, sizeof file, r, 16), 3);
    expect_dg(&r[0], 60000, 0, 1, "ping 1", 6);
    expect_dg(&r[1], 60000, 1, 1, "abcdefgh", 8);
    expect_dg(&r[2], 80000, 0, 3, "ping 3", 6);
}

/* ---- the explorer's header bytes (cap_export_hdr.c) ---------------------------------------- */

typedef struct hdr_seen {
    size_t n;
    size_t ev[8];
    uint8_t b[8][64];
    size_t len[8];
} hdr_seen;

static void on_hdr(void *ctx, size_t ev_index, const uint8_t *p, size_t len)
{
    hdr_seen *h = ctx;
    assert_true(h->n < 8 && len <= sizeof h->b[0]);
    h->ev[h->n] = ev_index;
    memcpy(h->b[h->n], p, len);
    h->len[h->n++] = len;
}

/* The sends of the flow, in trace order, each given as its whole UDP datagram: the bytes the
 * capture holds from the UDP header on (the payload too, although sendto() is traced after its
 * datagram), never a TCP header. */
static void test_headers_of_a_flow(void **state)
{
    (void)state;
    static uint8_t file_c[4096], file_s[4096];
    rec rc[16], rs[16];
    build_flow();
    assert_int_equal(export_flow(TRACE_CLIENT, file_c, sizeof file_c, rc, 16), 4);
    assert_int_equal(export_flow(TRACE_SERVER, file_s, sizeof file_s, rs, 16), 3);
    hdr_seen h = {0};
    char err[200];
    assert_int_equal(cap_export_headers(&TB, on_hdr, &h, err, sizeof err), 0);
    assert_int_equal(h.n, 4);
    const rec *want[4] = {&rc[0], &rc[1], &rc[2], &rs[1]}; /* ping 1, 2, 3; the reply */
    for (size_t k = 0; k < 4; k++) {
        assert_int_equal(TB.ev[h.ev[k]].kind, TRACE_SEND);
        assert_int_equal(h.len[k], want[k]->len - 20);
        assert_memory_equal(h.b[k], want[k]->ip + 20, h.len[k]);
    }
    assert_memory_equal(h.b[0] + 8, "ping 1", 6);
    assert_int_equal(be16(h.b[3] + 4), 16); /* 8 + the reply's 8 bytes */
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/tcpsim-export-udp-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/udp.pcap", dir);
    trace_buf_init(&TB);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    trace_buf_free(&TB);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_datagram),
        cmocka_unit_test(test_checksum_lengths),
        cmocka_unit_test(test_zero_checksum_sent_as_ones),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_flow_at_both_vantages),
        cmocka_unit_test(test_headers_of_a_flow),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
