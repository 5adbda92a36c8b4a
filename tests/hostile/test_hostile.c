/*
 * test_hostile.c - hostile input through the real tcpsim binary: capture files written byte by
 * byte (truncated in the file header, in a record header, in a record body; caplen above len or
 * above the snaplen or absurd; IP and TCP headers whose lengths lie; options that run past the
 * header or have a length of 0 or 1; IPv6 extension chains too long to walk; timestamps going
 * backwards), things that are not captures at all (an empty file, a text file, a directory, an
 * empty standard input), and outputs that cannot be written.  Each case asserts the exact
 * outcome: the exit status, the one-line message naming the file and the packet or byte
 * position, and the counts of the capture line.  Nothing here reads ../shared or the network;
 * only samples/clean.pcap is used, as a capture that is known to be good.
 */
#define _DEFAULT_SOURCE /* mknod, makedev, symlink */

#include "hostile_run.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pkt_build.h"
#include "tcp_seg.h"

enum { LT_EN10MB = 1, LT_RAW = 101, LT_USER0 = 147 };

static img m;
static pb b;
static const char *const CLEAN = TCPSIM_SAMPLES "/clean.pcap";

/* A SYN (raw IPv4) from sport, built into b. */
static const pb *syn(uint16_t sport)
{
    tcp_spec t = tcp_default();
    t.sport = sport;
    t.flags = TCP_SYN;
    t.ack = 0;
    pb_reset(&b);
    pb_ipv4_tcp(&b, &t, NULL, 0);
    return &b;
}

/* Appends a record holding a SYN from sport. */
static void add_syn(uint64_t ts, uint16_t sport)
{
    syn(sport);
    img_pcap_packet(&m, ts, b.buf, b.len);
}

/* ------------------------------------------------------------------------------------------ */
/* Files that end too early                                                                    */

static void test_truncated_in_file_header(void **state)
{
    (void)state;
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    m.len = 10;
    const char *f = hpath("hdr.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: cannot read capture: ", f);
    expect_fail(&r, 2, want, "truncated dump file");
    assert_string_equal(r.out, "");
    run_free(&r);
}

static void test_truncated_in_record_header(void **state)
{
    (void)state;
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    add_syn(1000000, 1000); /* 24 + 16 + 40 = 80 */
    add_syn(1000100, 1001); /* 136 */
    img_pcap_record(&m, 1000200, 40, 40, NULL, 0);
    m.len -= 8; /* half of the third record header */
    const char *f = hpath("rechdr.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    char want[600];
    snprintf(want, sizeof want,
             "tcpsim: %s: cannot read packet 3 (reading stopped at byte 144): ", f);
    expect_fail(&r, 2, want, "truncated dump file; tried to read 16 header bytes, only got 8");
    /* the two packets before the damage were replayed and counted */
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 2);
    assert_int_equal(json_u64(cap, "tcp"), 2);
    assert_int_equal(json_u64(cap, "connections"), 2);
    expect_skipped(cap, "{}");
    run_free(&r);
}

static void test_truncated_in_record_body(void **state)
{
    (void)state;
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    add_syn(1000000, 1000);
    syn(1001);
    img_pcap_record(&m, 1000100, 40, 40, b.buf, 14); /* 26 bytes missing */
    const char *f = hpath("body.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    char want[600];
    snprintf(want, sizeof want,
             "tcpsim: %s: cannot read packet 2 (reading stopped at byte 110): ", f);
    expect_fail(&r, 2, want, "truncated dump file; tried to read 40 captured bytes, only got 14");
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 1);
    assert_int_equal(json_u64(cap, "connections"), 1);
    run_free(&r);
}

static void test_truncated_pcapng_block(void **state)
{
    (void)state;
    img_reset(&m);
    img_pcapng_header(&m, LT_RAW);
    syn(1000);
    img_pcapng_epb(&m, 1000000, b.buf, b.len);
    size_t good = m.len;
    syn(1001);
    img_pcapng_epb(&m, 1000100, b.buf, b.len);
    m.len = good + 30; /* the second block ends in its packet data */
    const char *f = hpath("cut.pcapng");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: cannot read packet 2 (reading stopped at byte ", f);
    expect_fail(&r, 2, want, "truncated");
    assert_int_equal(json_u64(capture_line(&r), "packets"), 1);
    run_free(&r);
}

/* ------------------------------------------------------------------------------------------ */
/* Record lengths that disagree                                                                */

static void test_caplen_above_len(void **state)
{
    (void)state;
    /* the record says 40 bytes were captured of a 20-byte packet: the captured bytes are used
     * (a wire length below the captured length is taken as the captured length) */
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    syn(1000);
    img_pcap_record(&m, 1000000, 40, 20, b.buf, 40);
    const char *f = hpath("caplen-len.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 1);
    assert_int_equal(json_u64(cap, "tcp"), 1);
    assert_int_equal(json_u64(cap, "bad_checksums"), 0);
    expect_skipped(cap, "{}");
    run_free(&r);
}

static void test_caplen_above_snaplen(void **state)
{
    (void)state;
    /* snaplen 64, a 100-byte record: libpcap keeps the first 64 bytes, the rest of the record is
     * skipped, and the packet (40 bytes of headers, 60 of payload) is used with its payload cut */
    tcp_spec t = tcp_default();
    t.paylen = 60;
    pb_reset(&b);
    pb_ipv4_tcp(&b, &t, NULL, 0);
    img_reset(&m);
    img_pcap_header(&m, false, false, 64, LT_RAW);
    img_pcap_packet(&m, 1000000, b.buf, b.len);
    add_syn(1000100, 1000); /* read after the skipped bytes */
    const char *f = hpath("snap.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    assert_int_equal(r.status, 0);
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 2);
    assert_int_equal(json_u64(cap, "tcp"), 2);
    assert_int_equal(json_u64(cap, "payload_cut"), 1);
    expect_skipped(cap, "{}");
    run_free(&r);
}

static void test_caplen_absurd(void **state)
{
    (void)state;
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    add_syn(1000000, 1000);
    img_pcap_record(&m, 1000100, 0x7fffffffu, 0x7fffffffu, b.buf, b.len);
    const char *f = hpath("absurd.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    char want[600];
    snprintf(want, sizeof want,
             "tcpsim: %s: cannot read packet 2 (reading stopped at byte 96): ", f);
    expect_fail(&r, 2, want, "invalid packet capture length 2147483647");
    assert_int_equal(json_u64(capture_line(&r), "packets"), 1);
    run_free(&r);
}

/* ------------------------------------------------------------------------------------------ */
/* Headers that lie                                                                            */

static void add(uint64_t t)
{
    img_pcap_packet(&m, t, b.buf, b.len);
}

static void test_absurd_ip_and_tcp_headers(void **state)
{
    (void)state;
    tcp_spec t = tcp_default();
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    uint64_t ts = 1000000;

    /* malformed-ip: total length past the frame, below the header, IHL 3, IHL 15 with a
     * 40-byte datagram, version 5, IPv6 payload length past the frame */
    static const unsigned totlen[] = {65535, 10};
    for (size_t i = 0; i < 2; i++) {
        pb_reset(&b);
        pb_ipv4_tcp(&b, &t, NULL, 0);
        pb_put_be16(&b, 2, totlen[i]);
        add(ts++);
    }
    static const unsigned vihl[] = {0x43, 0x4f, 0x55};
    for (size_t i = 0; i < 3; i++) {
        pb_reset(&b);
        pb_ipv4_tcp(&b, &t, NULL, 0);
        b.buf[0] = (uint8_t)vihl[i];
        add(ts++);
    }
    pb_reset(&b);
    pb_ipv6_tcp(&b, &t, 6, NULL, 0);
    pb_put_be16(&b, 4, 65535);
    add(ts++);

    /* malformed-tcp: data offset 4, data offset 15 on a 20-byte segment, an option running past
     * the header, an option of length 0, of length 1, a length byte past the header */
    static const uint8_t runs_past[4] = {2, 8, 5, 0xb4};
    static const uint8_t zero_len[4] = {19, 0, 1, 1};
    static const uint8_t one_len[4] = {3, 1, 1, 1};
    static const uint8_t no_len[4] = {1, 1, 1, 8};
    static const uint8_t *const bad_opts[] = {runs_past, zero_len, one_len, no_len};
    static const int doffs[] = {4, 15};
    for (size_t i = 0; i < 2; i++) {
        tcp_spec u = t;
        u.doff = doffs[i];
        pb_reset(&b);
        pb_ipv4_tcp(&b, &u, NULL, 0);
        add(ts++);
    }
    for (size_t i = 0; i < 4; i++) {
        tcp_spec u = t;
        u.opts = bad_opts[i];
        u.optlen = 4;
        u.paylen = 10;
        pb_reset(&b);
        pb_ipv4_tcp(&b, &u, NULL, 0);
        add(ts++);
    }

    /* truncated: a frame cut by the snaplen inside the TCP header */
    pb_reset(&b);
    pb_ipv4_tcp(&b, &t, NULL, 0);
    img_pcap_record(&m, ts++, 30, (uint32_t)b.len, b.buf, 30);

    /* and one good packet, so the file is not all bad */
    pb_reset(&b);
    pb_ipv4_tcp(&b, &t, NULL, 0);
    add(ts++);

    const char *f = hpath("lies.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 14);
    assert_int_equal(json_u64(cap, "tcp"), 1);
    assert_int_equal(json_u64(cap, "connections"), 1);
    expect_skipped(cap, "{\"truncated\":1,\"malformed-ip\":6,\"malformed-tcp\":6}");
    run_free(&r);
}

/* An IPv6 packet whose TCP header follows `n` Destination Options headers (8 bytes each). */
static void ipv6_chain(int n, unsigned hdr_ext_len)
{
    static uint8_t ext[8 * 40];
    tcp_spec t = tcp_default();
    memset(ext, 0, sizeof ext);
    for (int i = 0; i < n; i++) {
        ext[8 * i] = (uint8_t)(i + 1 < n ? 60 : 6); /* next: another one, then TCP */
        ext[8 * i + 1] = (uint8_t)hdr_ext_len;
        ext[8 * i + 2] = 1; /* PadN over the rest */
        ext[8 * i + 3] = 4;
    }
    pb_reset(&b);
    pb_ipv6_tcp(&b, &t, n ? 60 : 6, ext, 8 * (size_t)n);
}

static void test_ipv6_extension_chains(void **state)
{
    (void)state;
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    ipv6_chain(16, 0); /* the longest chain walked */
    add(1000000);
    ipv6_chain(17, 0); /* one more: refused, however it ends */
    add(1000001);
    ipv6_chain(40, 0);
    add(1000002);
    ipv6_chain(1, 255); /* a header claiming 2048 bytes in a 36-byte payload */
    add(1000003);
    /* a "loop": every header names the same type as the next, up to the end of the packet */
    static uint8_t loop[8 * 20];
    for (size_t i = 0; i < sizeof loop; i += 8) {
        loop[i] = 0; /* hop-by-hop again and again */
        loop[i + 1] = 0;
    }
    tcp_spec t = tcp_default();
    pb_reset(&b);
    pb_ipv6_tcp(&b, &t, 0, loop, sizeof loop);
    add(1000004);

    const char *f = hpath("ext.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f, "--summary", "--json");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 5);
    assert_int_equal(json_u64(cap, "tcp"), 1);
    expect_skipped(cap, "{\"malformed-ip\":4}");
    run_free(&r);
}

typedef struct timed {
    int from_client;
    uint8_t flags;
    uint64_t t;
} timed;

/* Writes a handshake and a FIN exchange (Ethernet, IPv4) with these capture times, replays it,
 * and returns the result. */
static run_result replay_timed(const timed *pkts, size_t n, const char *name)
{
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_EN10MB);
    uint32_t cseq = 100, sseq = 5000;
    for (size_t i = 0; i < n; i++) {
        tcp_spec t = tcp_default();
        t.flags = pkts[i].flags;
        if (pkts[i].from_client) {
            t.seq = cseq;
            t.ack = sseq;
        } else { /* the server's packets: ports and addresses swapped */
            t.sport = 80;
            t.dport = 40000;
            t.seq = sseq;
            t.ack = cseq;
        }
        if (!(t.flags & TCP_ACK))
            t.ack = 0;
        pb_reset(&b);
        pb_eth(&b, 0x0800);
        pb_ipv4_tcp(&b, &t, NULL, 0);
        if (!pkts[i].from_client) { /* the checksum does not change: the sum commutes */
            uint8_t tmp[4];
            memcpy(tmp, b.buf + 14 + 12, 4);
            memcpy(b.buf + 14 + 12, b.buf + 14 + 16, 4);
            memcpy(b.buf + 14 + 16, tmp, 4);
        }
        if (t.flags & (TCP_SYN | TCP_FIN))
            *(pkts[i].from_client ? &cseq : &sseq) += 1;
        add(pkts[i].t);
    }
    const char *f = hpath(name);
    write_img(f, &m);
    return RUN("--pcap", f, "--summary", "--json");
}

static void test_timestamps_backwards(void **state)
{
    (void)state;
    /* the server's FIN and the last ACK are stamped earlier than the client's FIN */
    static const timed pkts[] = {
        {1, TCP_SYN, 10000000},           {0, TCP_SYN | TCP_ACK, 10000100}, {1, TCP_ACK, 10000300},
        {1, TCP_FIN | TCP_ACK, 10000400}, {0, TCP_FIN | TCP_ACK, 10000200}, {1, TCP_ACK, 10000250},
    };
    run_result r = replay_timed(pkts, sizeof pkts / sizeof pkts[0], "back.pcap");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 6);
    assert_int_equal(json_u64(cap, "tcp"), 6);
    assert_int_equal(json_u64(cap, "connections"), 1);
    assert_int_equal(json_u64(cap, "timestamps_backwards"), 2);
    /* time stays monotonic: the connection lasts from the first to the latest time, and the
     * connection still closes in order */
    assert_non_null(strstr(r.out, "\"duration\":400,"));
    assert_non_null(strstr(r.out, "\"handshake_seen\":true"));
    assert_non_null(strstr(r.out, "\"end\":\"fin\""));
    run_free(&r);
}

static void test_timestamps_before_the_first(void **state)
{
    (void)state;
    /*
     * BUG (capture/cap_replay.c, cap_replay_frame): a packet stamped before the first packet of
     * the capture is clamped to time 0, and counted as going backwards only if the latest time is
     * above 0 -- so a packet 1 s before the first one, arriving second, is not counted
     * (timestamps_backwards 0 here, expected 1).  Fixed; kept as a regression test.
     */
    static const timed pkts[] = {
        {1, TCP_SYN, 10000000},
        {0, TCP_SYN | TCP_ACK, 9000000},
        {1, TCP_ACK, 10000300},
    };
    run_result r = replay_timed(pkts, sizeof pkts / sizeof pkts[0], "before.pcap");
    assert_int_equal(r.status, 0);
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 3);
    assert_int_equal(json_u64(cap, "timestamps_backwards"), 1);
    run_free(&r);
}

/* ------------------------------------------------------------------------------------------ */
/* Not captures at all                                                                         */

static void test_empty_file(void **state)
{
    (void)state;
    const char *f = hpath("empty.pcap");
    write_text(f, "");
    run_result r = RUN("--pcap", f, "--summary");
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: cannot read capture: ", f);
    expect_fail(&r, 2, want, "truncated dump file");
    assert_string_equal(r.out, "");
    run_free(&r);
}

static void test_text_file(void **state)
{
    (void)state;
    const char *f = hpath("notes.txt");
    write_text(f, "this is not a capture\nat all\n");
    run_result r = RUN("--pcap", f);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: cannot read capture: unknown file format", f);
    expect_fail(&r, 2, want, NULL);
    assert_string_equal(r.out, "");
    run_free(&r);
}

static void test_directory(void **state)
{
    (void)state;
    run_result r = RUN("--pcap", hostile_dir, "--summary");
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: cannot read capture: ", hostile_dir);
    expect_fail(&r, 2, want, "Is a directory");
    run_free(&r);
}

static void test_missing_file(void **state)
{
    (void)state;
    const char *f = hpath("no-such.pcap");
    run_result r = RUN("--pcap", f);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: cannot read capture: No such file or directory", f);
    expect_fail(&r, 2, want, NULL);
    run_free(&r);
}

static void test_unsupported_link_type(void **state)
{
    (void)state;
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_USER0);
    add_syn(1000000, 1000);
    const char *f = hpath("user0.pcap");
    write_img(f, &m);
    run_result r = RUN("--pcap", f);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: unsupported link type ", f);
    expect_fail(&r, 2, want, "(147");
    assert_string_equal(r.out, "");
    run_free(&r);
}

static void test_stdin_empty(void **state)
{
    (void)state;
    run_result r = RUN("--pcap", "-", "--summary");
    expect_fail(&r, 2, "tcpsim: standard input: cannot read capture: ", "truncated dump file");
    run_free(&r);
}

static void test_stdin_capture(void **state)
{
    (void)state;
    /* the control: a good capture through standard input */
    run_result r = run_tcpsim(CLEAN, -1, NULL,
                              (const char *const[]){"--pcap", "-", "--summary", "--json", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    const char *cap = capture_line(&r);
    assert_int_equal(json_u64(cap, "packets"), 30);
    assert_int_equal(json_u64(cap, "connections"), 1);
    run_free(&r);
}

static void test_stdin_truncated(void **state)
{
    (void)state;
    /* standard input redirected from a file: the byte position is known */
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    add_syn(1000000, 1000);
    img_pcap_record(&m, 1000100, 40, 40, b.buf, 3);
    const char *f = hpath("in.pcap");
    write_img(f, &m);
    run_result r =
        run_tcpsim(f, -1, NULL, (const char *const[]){"--pcap", "-", "--summary", "--json", NULL});
    expect_fail(&r, 2,
                "tcpsim: standard input: cannot read packet 2 (reading stopped at byte 99): ",
                "truncated dump file; tried to read 40 captured bytes, only got 3");
    assert_int_equal(json_u64(capture_line(&r), "packets"), 1);
    run_free(&r);

    /* through a pipe there is no position to give */
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], m.b, m.len), (ssize_t)m.len);
    close(p[1]);
    r = run_tcpsim(NULL, p[0], NULL,
                   (const char *const[]){"--pcap", "-", "--summary", "--json", NULL});
    close(p[0]);
    expect_fail(&r, 2, "tcpsim: standard input: cannot read packet 2: ",
                "truncated dump file; tried to read 40 captured bytes, only got 3");
    run_free(&r);
}

/* ------------------------------------------------------------------------------------------ */
/* Outputs that cannot be written                                                              */

static void test_output_in_missing_directory(void **state)
{
    (void)state;
    const char *out = hpath("missing/x.png");
    int before = dir_entries(hostile_dir);
    run_result r = RUN("--pcap", CLEAN, "-q", "-o", out);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: cannot write %s: ", out);
    expect_fail(&r, 1, want, "No such file or directory");
    assert_int_equal(dir_entries(hostile_dir), before);
    run_free(&r);
}

static void test_output_over_a_directory(void **state)
{
    (void)state;
    /* the target is a directory: rename() fails and the temporary file must not stay behind */
    const char *d = hpath("outdir");
    assert_int_equal(mkdir(d, 0755), 0);
    const char *out = hpath("outdir/x.svg");
    assert_int_equal(mkdir(out, 0755), 0);
    run_result r = RUN("--pcap", CLEAN, "-q", "-o", out);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: cannot write %s: ", out);
    expect_fail(&r, 1, want, "Is a directory");
    assert_int_equal(dir_entries(d), 1);
    assert_int_equal(dir_entries(out), 0);
    run_free(&r);
}

static void test_stdout_full(void **state)
{
    (void)state;
    run_result r =
        run_tcpsim(NULL, -1, "/dev/full", (const char *const[]){"--pcap", CLEAN, "--json", NULL});
    expect_fail(&r, 1, "tcpsim: writing the output: ", "No space left on device");
    run_free(&r);
    r = run_tcpsim(NULL, -1, "/dev/full", (const char *const[]){"--scenario", "handshake", NULL});
    expect_fail(&r, 1, "tcpsim: writing the trace: ", "No space left on device");
    run_free(&r);
}

static void test_all_scenarios_index_unwritable(void **state)
{
    (void)state;
    /* index.md is a directory: the diagrams are written, the index cannot be renamed into place,
     * and its temporary file is removed */
    const char *d = hpath("all");
    assert_int_equal(mkdir(d, 0755), 0);
    assert_int_equal(mkdir(hpath("all/index.md"), 0755), 0);
    run_result r = RUN("--scenario", "all", "-q", "-o", d);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s/index.md: ", d);
    expect_fail(&r, 1, want, "Is a directory");
    struct stat st;
    assert_int_not_equal(stat(hpath("all/.index.md.tmp"), &st), 0);
    run_free(&r);
}

static void test_all_scenarios_into_a_file(void **state)
{
    (void)state;
    const char *f = hpath("plainfile");
    write_text(f, "x\n");
    char dir[600];
    snprintf(dir, sizeof dir, "%s/", f);
    run_result r = RUN("--scenario", "all", "-q", "-o", dir);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: cannot create the directory: ", f);
    expect_fail(&r, 1, want, NULL);
    run_free(&r);
}

static void test_all_scenarios_into_a_file_says_why(void **state)
{
    (void)state;
    /*
     * BUG (cli/cli_scenario.c, make_dir): when the path exists and is not a directory, make_dir
     * returns -1 without setting errno, so the message ends in strerror(0): "tcpsim: F: cannot
     * create the directory: Success".  It should say "Not a directory".  Fixed; kept as a
     * regression test.
     */
    const char *f = hpath("plainfile2");
    write_text(f, "x\n");
    char dir[600];
    snprintf(dir, sizeof dir, "%s/", f);
    run_result r = RUN("--scenario", "all", "-q", "-o", dir);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: cannot create the directory: Not a directory", f);
    expect_fail(&r, 1, want, NULL);
    run_free(&r);
}

static void test_no_tcp_connection_to_draw(void **state)
{
    (void)state;
    /*
     * BUG (cli/cli_pcap.c, cli_run_pcap): the message "no TCP connection to draw" prints
     * x.name, which points into the cap_source that cap_source_close() freed a few lines
     * before: a heap use-after-free (ASan: READ in fprintf at cli_pcap.c:272, freed by
     * cap_source_close at cli_pcap.c:264); without ASan the file name comes out as garbage.
     * Fixed; kept as a regression test.
     */
    img_reset(&m);
    img_pcap_header(&m, false, false, 65535, LT_RAW);
    pb_reset(&b);
    pb_ipv4_proto(&b, 17, 8, 0); /* UDP: nothing to draw */
    add(1000000);
    const char *f = hpath("udp.pcap");
    write_img(f, &m);
    const char *out = hpath("udp.svg");
    run_result r = RUN("--pcap", f, "-q", "-o", out);
    char want[600];
    snprintf(want, sizeof want, "tcpsim: %s: no TCP connection to draw", f);
    expect_fail(&r, 2, want, NULL);
    struct stat st;
    assert_int_not_equal(stat(out, &st), 0);
    run_free(&r);
}

static void test_write_pcap_to_a_device(void **state)
{
    (void)state;
    /*
     * BUG (capture/cap_export.c): --write-pcap writes a temporary file and renames it over the
     * target whatever the target is, so `--write-pcap /dev/null` run as root replaces the
     * system's /dev/null with a regular file (found when `--write-pcap /dev/full` did exactly
     * that).  A target that exists and is not a regular file (a device, a FIFO) must be written
     * in place, or refused.  This test uses its own device node (the same as /dev/null) in the
     * scratch directory.  Fixed; kept as a regression test.
     */
    const char *dev = hpath("nulldev");
    if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) != 0)
        skip(); /* not root */
    run_result r = RUN("--scenario", "loss", "-q", "--write-pcap", dev);
    assert_int_equal(r.status, 0);
    struct stat st;
    assert_int_equal(lstat(dev, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    run_free(&r);
}

static void test_outputs_through_a_symlink(void **state)
{
    (void)state;
    /*
     * BUG (render/rnd_output.c and capture/cap_export.c): the temporary file is renamed over
     * the path as given, so when it is a symbolic link the link is replaced by a regular file
     * and its target is never written.  The temporary file belongs next to the link's target
     * (realpath).  Fixed; kept as a regression test.
     */
    static const char *const names[][3] = {
        {"link.svg", "real.svg", "-o"},
        {"link.pcap", "real.pcap", "--write-pcap"},
    };
    for (size_t i = 0; i < 2; i++) {
        const char *link = hpath(names[i][0]);
        assert_int_equal(symlink(names[i][1], link), 0);
        run_result r = RUN("--scenario", "loss", "-q", names[i][2], link);
        assert_int_equal(r.status, 0);
        struct stat st;
        assert_int_equal(lstat(link, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        assert_int_equal(stat(hpath(names[i][1]), &st), 0);
        assert_true(st.st_size > 0);
        run_free(&r);
    }
}

/* Every input a fuzz target once stopped on (tests/hostile/data/fuzz-TARGET-NAME, see
 * fuzz/README.md) goes through the binary: captures with --summary --json, decoder inputs as a
 * one-packet capture of their link type, scenario files with --scenario-file.  None may crash;
 * a capture is replayed (0) or refused with one line (2), a scenario file runs (0, 1) or is
 * refused (2). */
static void run_data_file(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    run_result r;
    memset(&r, 0, sizeof r);
    if (strncmp(name, "fuzz-scenario-", 14) == 0) {
        r = RUN("--scenario-file", path, "-q");
        if (r.status > 2)
            fail_msg("%s: exit %d: %s", name, r.status, r.err);
    } else if (strncmp(name, "fuzz-decode-", 12) == 0) {
        /* byte 0 picks the link type in fuzz_links.h's order; here only the DLTs of files */
        static const uint32_t linktypes[] = {0, 1, 9, 12, 101, 104, 108, 113, 228, 229, 239, 276};
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static uint8_t buf[70000];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        if (n < 2)
            return;
        img_reset(&m);
        img_pcap_header(&m, false, false, 262144,
                        linktypes[buf[0] % (sizeof linktypes / sizeof linktypes[0])]);
        img_pcap_record(&m, 1000000, (uint32_t)(n - 2), (uint32_t)(n - 2 + buf[1] * buf[1]),
                        buf + 2, n - 2);
        const char *pc = hpath("decode-input.pcap");
        write_img(pc, &m);
        r = RUN("--pcap", pc, "--summary", "--json");
        if (r.status != 0 && r.status != 2)
            fail_msg("%s: exit %d: %s", name, r.status, r.err);
    } else {
        r = RUN("--pcap", path, "--summary", "--json");
        if (r.status != 0 && r.status != 2)
            fail_msg("%s: exit %d: %s", name, r.status, r.err);
        if (r.status == 2) {
            size_t len = strlen(r.err);
            if (len == 0 || strchr(r.err, '\n') != r.err + len - 1)
                fail_msg("%s: expected a one-line message, got '%s'", name, r.err);
        }
    }
    run_free(&r);
}

static void test_fuzz_findings(void **state)
{
    (void)state;
    const char *dir = TCPSIM_HOSTILE_DATA;
    DIR *d = opendir(dir);
    if (d == NULL) { /* nothing was ever found: no data directory */
        print_message("no fuzz inputs in %s\n", dir);
        return;
    }
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "fuzz-", 5) != 0)
            continue;
        run_data_file(dir, e->d_name);
        n++;
    }
    closedir(d);
    print_message("%d fuzz inputs replayed\n", n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncated_in_file_header),
        cmocka_unit_test(test_truncated_in_record_header),
        cmocka_unit_test(test_truncated_in_record_body),
        cmocka_unit_test(test_truncated_pcapng_block),
        cmocka_unit_test(test_caplen_above_len),
        cmocka_unit_test(test_caplen_above_snaplen),
        cmocka_unit_test(test_caplen_absurd),
        cmocka_unit_test(test_absurd_ip_and_tcp_headers),
        cmocka_unit_test(test_ipv6_extension_chains),
        cmocka_unit_test(test_timestamps_backwards),
        cmocka_unit_test(test_timestamps_before_the_first),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_text_file),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_unsupported_link_type),
        cmocka_unit_test(test_stdin_empty),
        cmocka_unit_test(test_stdin_capture),
        cmocka_unit_test(test_stdin_truncated),
        cmocka_unit_test(test_output_in_missing_directory),
        cmocka_unit_test(test_output_over_a_directory),
        cmocka_unit_test(test_stdout_full),
        cmocka_unit_test(test_all_scenarios_index_unwritable),
        cmocka_unit_test(test_all_scenarios_into_a_file),
        cmocka_unit_test(test_all_scenarios_into_a_file_says_why),
        cmocka_unit_test(test_no_tcp_connection_to_draw),
        cmocka_unit_test(test_write_pcap_to_a_device),
        cmocka_unit_test(test_outputs_through_a_symlink),
        cmocka_unit_test(test_fuzz_findings),
    };
    int rc = cmocka_run_group_tests(tests, hostile_setup, hostile_teardown);
    img_free(&m);
    return rc;
}
