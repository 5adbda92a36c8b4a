/*
 * test_cap_source.c - the libpcap side: capture files written byte by byte into a temporary
 * directory (pcap in both byte orders with micro- and nanosecond timestamps, pcapng), read back
 * through cap_source with exact frames and timestamps; every prefix of a pcap and of a pcapng
 * file read to a clean end (EOF on a record boundary, otherwise a read error naming the file and
 * the packet); BPF filters good and bad; unsupported and unknown link types; open errors;
 * standard input; live capture errors (and, when permitted, a live handle on lo).
 */
#include "cap_test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cap_source.h"

#include <pcap/dlt.h>

static char dir[512];
static char path[600];

static int setup(void **state)
{
    const char *tmp = getenv("TMPDIR");
    (void)state;
    snprintf(dir, sizeof dir, "%s/tcpsim-capsrc-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/t.cap", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing capture files                                                                       */

typedef struct img {
    uint8_t b[8192];
    size_t len;
    bool be;
    size_t bounds[8]; /* offsets where a record ends (the file may end there cleanly) */
    size_t nbounds;
} img;

static void put32(img *m, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        m->b[m->len++] = (uint8_t)(m->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put16(img *m, unsigned v)
{
    for (int i = 0; i < 2; i++)
        m->b[m->len++] = (uint8_t)(m->be ? v >> (8 - 8 * i) : v >> (8 * i));
}

static void put_bytes(img *m, const void *p, size_t n)
{
    memcpy(m->b + m->len, p, n);
    m->len += n;
}

static void pcap_header(img *m, bool be, bool nano, uint32_t linktype)
{
    m->len = 0;
    m->nbounds = 0;
    m->be = be;
    put32(m, nano ? 0xa1b23c4du : 0xa1b2c3d4u);
    put16(m, 2);
    put16(m, 4);
    put32(m, 0);
    put32(m, 0);
    put32(m, 65535);
    put32(m, linktype);
    m->bounds[m->nbounds++] = m->len;
}

static void pcap_record(img *m, uint32_t sec, uint32_t sub, const uint8_t *data, uint32_t caplen,
                        uint32_t wirelen)
{
    put32(m, sec);
    put32(m, sub);
    put32(m, caplen);
    put32(m, wirelen);
    put_bytes(m, data, caplen);
    m->bounds[m->nbounds++] = m->len;
}

static void pcapng_header(img *m, uint16_t linktype)
{
    m->len = 0;
    m->nbounds = 0;
    m->be = false;
    put32(m, 0x0a0d0d0au); /* section header block */
    put32(m, 28);
    put32(m, 0x1a2b3c4du);
    put16(m, 1);
    put16(m, 0);
    put32(m, 0xffffffffu);
    put32(m, 0xffffffffu);
    put32(m, 28);
    put32(m, 1); /* interface description block, default microsecond resolution */
    put32(m, 20);
    put16(m, linktype);
    put16(m, 0);
    put32(m, 65535);
    put32(m, 20);
    m->bounds[m->nbounds++] = m->len;
}

static void pcapng_epb(img *m, uint64_t ts_us, const uint8_t *data, uint32_t caplen)
{
    uint32_t padded = (caplen + 3u) & ~3u;
    uint32_t total = 32 + padded;
    put32(m, 6);
    put32(m, total);
    put32(m, 0);
    put32(m, (uint32_t)(ts_us >> 32));
    put32(m, (uint32_t)ts_us);
    put32(m, caplen);
    put32(m, caplen);
    put_bytes(m, data, caplen);
    for (uint32_t i = caplen; i < padded; i++)
        m->b[m->len++] = 0;
    put32(m, total);
    m->bounds[m->nbounds++] = m->len;
}

static void write_file(const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n > 0)
        assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* A TCP/IPv4 Ethernet frame to port `dport` with `paylen` bytes. */
static pb frame_pb;
static const pb *tcp_frame(uint16_t dport, size_t paylen)
{
    tcp_spec t = tcp_default();
    t.dport = dport;
    t.paylen = paylen;
    pb_reset(&frame_pb);
    pb_eth(&frame_pb, 0x0800);
    pb_ipv4_tcp(&frame_pb, &t, NULL, 0);
    return &frame_pb;
}

static cap_source *open_ok(void)
{
    cap_source *s = NULL;
    char err[512] = "";
    int rc = cap_source_open_file(&s, path, err, sizeof err);
    if (rc != CAP_OK)
        fail_msg("open %s: %d %s", path, rc, err);
    return s;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                     */

static void test_read_pcap_usec(void **state)
{
    static img m;
    uint8_t frames[3][200];
    size_t lens[3];
    cap_source *s;
    cap_frame f;
    cap_packet p;
    char err[512];
    (void)state;
    pcap_header(&m, false, false, 1);
    for (int i = 0; i < 3; i++) {
        const pb *b = tcp_frame((uint16_t)(80 + i), (size_t)i * 10);
        memcpy(frames[i], b->buf, b->len);
        lens[i] = b->len;
    }
    pcap_record(&m, 1700000000u, 123456, frames[0], (uint32_t)lens[0], (uint32_t)lens[0]);
    pcap_record(&m, 1700000000u, 999999, frames[1], (uint32_t)lens[1], (uint32_t)lens[1]);
    pcap_record(&m, 1700000001u, 0, frames[2], (uint32_t)lens[2], (uint32_t)lens[2]);
    write_file(m.b, m.len);

    s = open_ok();
    assert_int_equal(cap_source_linktype(s), 1);
    assert_string_equal(cap_source_linktype_name(s), "EN10MB");
    assert_true(cap_source_link_supported(s));
    assert_int_equal(cap_source_check_link(s, err, sizeof err), CAP_OK);
    assert_string_equal(cap_source_name(s), path);
    assert_false(cap_source_is_live(s));
    assert_int_equal(cap_source_snaplen(s), 65535);
    static const uint64_t ts[3] = {1700000000123456u, 1700000000999999u, 1700000001000000u};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
        assert_int_equal(f.index, (uint64_t)i + 1);
        assert_int_equal(f.caplen, lens[i]);
        assert_int_equal(f.wirelen, lens[i]);
        assert_int_equal(f.ts_us, ts[i]);
        assert_int_equal(f.linktype, DLT_EN10MB); /* every frame carries the link type */
        assert_memory_equal(f.data, frames[i], lens[i]);
        assert_skip(CAP_SKIP_NONE, cap_decode(f.linktype, f.data, f.caplen, f.wirelen, &p));
        assert_int_equal(p.dport, 80 + i);
        assert_int_equal(p.seg.len, (uint32_t)i * 10);
    }
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_EOF);
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_EOF);
    assert_int_equal(cap_source_count(s), 3);
    cap_source_close(s);
}

static void test_read_pcap_byte_orders_and_nanoseconds(void **state)
{
    static img m;
    const pb *b = tcp_frame(80, 0);
    cap_source *s;
    cap_frame f;
    char err[512];
    (void)state;
    for (int be = 0; be < 2; be++) {
        /* nanoseconds: rounded down to the microsecond */
        pcap_header(&m, be != 0, true, 1);
        pcap_record(&m, 1, 234567891, b->buf, (uint32_t)b->len, (uint32_t)b->len);
        pcap_record(&m, 2, 999, b->buf, (uint32_t)b->len, (uint32_t)b->len);
        write_file(m.b, m.len);
        s = open_ok();
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
        assert_int_equal(f.ts_us, 1234567);
        assert_int_equal(f.caplen, b->len);
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
        assert_int_equal(f.ts_us, 2000000);
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_EOF);
        cap_source_close(s);
        /* microseconds */
        pcap_header(&m, be != 0, false, 1);
        pcap_record(&m, 3, 4, b->buf, (uint32_t)b->len, (uint32_t)b->len);
        write_file(m.b, m.len);
        s = open_ok();
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
        assert_int_equal(f.ts_us, 3000004);
        assert_memory_equal(f.data, b->buf, b->len);
        cap_source_close(s);
    }
}

/* The records of a pcap file are walked in a mapping of the file; what lies past the mapping
 * (records appended after the file was opened) and a record longer than the snapshot length are
 * read by libpcap from the same position, and the frames are the same either way.  A file of more
 * than 4 MiB gives its read pages back as it goes (the frames stay right). */
static void test_read_pcap_mapped_then_libpcap(void **state)
{
    static img m;
    const pb *b = tcp_frame(80, 100);
    cap_source *s;
    cap_frame f;
    char err[512];
    (void)state;
    pcap_header(&m, false, false, 1);
    pcap_record(&m, 10, 1, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    pcap_record(&m, 10, 2, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    write_file(m.b, m.len);
    s = open_ok();
    /* appended after the open: outside the mapping */
    size_t first = m.len;
    pcap_record(&m, 10, 3, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    FILE *fp = fopen(path, "ab");
    assert_non_null(fp);
    assert_int_equal(fwrite(m.b + first, 1, m.len - first, fp), m.len - first);
    assert_int_equal(fclose(fp), 0);
    for (uint64_t i = 1; i <= 3; i++) {
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
        assert_int_equal(f.index, i);
        assert_int_equal(f.ts_us, 10000000u + i);
        assert_int_equal(f.caplen, b->len);
        assert_memory_equal(f.data, b->buf, b->len);
    }
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_EOF);
    cap_source_close(s);

    /* a record longer than the snapshot length (65535): libpcap's to judge, from there on */
    pcap_header(&m, false, false, 1);
    pcap_record(&m, 20, 1, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    put32(&m, 20);
    put32(&m, 2);
    put32(&m, 70000);
    put32(&m, 70000);
    write_file(m.b, m.len);
    s = open_ok();
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
    assert_int_equal(f.ts_us, 20000001u);
    int rc = cap_source_next(s, &f, err, sizeof err);
    assert_int_equal(rc, CAP_ERR_READ); /* libpcap: the record is cut short */
    assert_non_null(strstr(err, "cannot read packet 2"));
    cap_source_close(s);

    /* 6 MiB of records: the mapping gives pages back every 4 MiB */
    FILE *big = fopen(path, "wb");
    assert_non_null(big);
    pcap_header(&m, false, false, 1);
    assert_int_equal(fwrite(m.b, 1, m.len, big), m.len);
    uint32_t n = (6u << 20) / ((uint32_t)b->len + 16u);
    for (uint32_t i = 0; i < n; i++) {
        pcap_header(&m, false, false, 1);
        m.len = 0;
        pcap_record(&m, 30 + i, i, b->buf, (uint32_t)b->len, (uint32_t)b->len);
        assert_int_equal(fwrite(m.b, 1, m.len, big), m.len);
    }
    assert_int_equal(fclose(big), 0);
    s = open_ok();
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
        assert_int_equal(f.ts_us, (uint64_t)(30 + i) * 1000000u + i);
        assert_memory_equal(f.data, b->buf, b->len);
    }
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_EOF);
    assert_int_equal(cap_source_count(s), n);
    cap_source_close(s);
}

/* A file cut short while its records are read through the mapping (a capture rotated or
 * rewritten under the reader): the pages past the new end would raise SIGBUS; the reader ends
 * with a read error naming the file and the packet whose bytes were lost, and every packet
 * before it is read intact. */
static void test_file_cut_while_mapped(void **state)
{
    static img m;
    const pb *b = tcp_frame(80, 100);
    cap_frame f;
    char err[512] = "";
    (void)state;
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    pcap_header(&m, false, false, 1);
    assert_int_equal(fwrite(m.b, 1, m.len, out), m.len);
    const uint32_t n = 4000; /* 4000 * 170 B: about 680 KB */
    for (uint32_t i = 0; i < n; i++) {
        pcap_header(&m, false, false, 1); /* resets the record bounds too */
        m.len = 0;
        pcap_record(&m, 40, i, b->buf, (uint32_t)b->len, (uint32_t)b->len);
        assert_int_equal(fwrite(m.b, 1, m.len, out), m.len);
    }
    assert_int_equal(fclose(out), 0);
    cap_source *s = open_ok();
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
    const long cut = 16 * sysconf(_SC_PAGESIZE);
    assert_int_equal(truncate(path, cut), 0);
    const uint64_t rec = 16 + b->len, lost = (uint64_t)(cut - 24) / rec + 1;
    int rc;
    uint64_t got = 1;
    volatile unsigned sum = 0;
    while ((rc = cap_source_next(s, &f, err, sizeof err)) == CAP_NEXT_PACKET) {
        got++;
        for (uint32_t i = 0; i < f.caplen; i++) /* the decoder reads every byte */
            sum += f.data[i];
        if (got < lost)
            assert_memory_equal(f.data, b->buf, b->len);
        assert_true(got <= lost);
    }
    (void)sum;
    assert_int_equal(rc, CAP_ERR_READ);
    char want[96];
    snprintf(want, sizeof want, "cannot read packet %llu (", (unsigned long long)lost);
    if (strstr(err, want) == NULL || strstr(err, "cut short") == NULL || strstr(err, path) == NULL)
        fail_msg("error '%s' does not name %s, packet %llu and the cut", err, path,
                 (unsigned long long)lost);
    /* done: the same error again, no crash */
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_ERR_READ);
    cap_source_close(s);
}

static void test_read_pcapng(void **state)
{
    static img m;
    const pb *b = tcp_frame(443, 5);
    cap_source *s;
    cap_frame f;
    char err[512];
    (void)state;
    pcapng_header(&m, 1);
    pcapng_epb(&m, 1500000, b->buf, (uint32_t)b->len);
    pcapng_epb(&m, 0x100000000ull + 7, b->buf, (uint32_t)b->len);
    write_file(m.b, m.len);
    s = open_ok();
    assert_int_equal(cap_source_linktype(s), 1);
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
    assert_int_equal(f.ts_us, 1500000);
    assert_int_equal(f.caplen, b->len);
    assert_memory_equal(f.data, b->buf, b->len);
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
    assert_int_equal(f.ts_us, 0x100000000ull + 7);
    assert_int_equal(f.index, 2);
    assert_int_equal(f.linktype, DLT_EN10MB);
    assert_false(cap_source_mixed_links(s)); /* one interface: libpcap reads it */
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_EOF);
    cap_source_close(s);
}

static void test_snaplen_record_and_old_time(void **state)
{
    static img m;
    const pb *b = tcp_frame(80, 1000);
    cap_source *s;
    cap_frame f;
    cap_packet p;
    char err[512];
    (void)state;
    pcap_header(&m, false, false, 1);
    pcap_record(&m, 0x80000000u, 0, b->buf, 68, (uint32_t)b->len); /* before 1970: 0 */
    write_file(m.b, m.len);
    s = open_ok();
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
    assert_int_equal(f.caplen, 68);
    assert_int_equal(f.wirelen, b->len);
    assert_int_equal(f.ts_us, 0);
    assert_skip(CAP_SKIP_NONE, cap_decode(1, f.data, f.caplen, f.wirelen, &p));
    assert_int_equal(p.seg.len, 1000);
    assert_true(p.payload_cut);
    cap_source_close(s);
}

/* ------------------------------------------------------------------------------------------ */
/* Truncated files                                                                             */

static bool is_bound(const img *m, size_t len)
{
    for (size_t i = 0; i < m->nbounds; i++)
        if (m->bounds[i] == len)
            return true;
    return false;
}

/* Records wholly inside the first len bytes. */
static uint64_t records_in(const img *m, size_t len)
{
    uint64_t n = 0;
    for (size_t i = 1; i < m->nbounds; i++)
        if (m->bounds[i] <= len)
            n++;
    return n;
}

static void read_every_prefix(const img *m, size_t open_min)
{
    for (size_t len = 0; len <= m->len; len++) {
        cap_source *s = NULL;
        cap_frame f;
        cap_packet p;
        char err[512] = "", want[900];
        int rc;
        write_file(m->b, len);
        rc = cap_source_open_file(&s, path, err, sizeof err);
        if (len < open_min) {
            if (rc != CAP_ERR_OPEN || s != NULL)
                fail_msg("length %zu: open gave %d", len, rc);
            snprintf(want, sizeof want, "%s: cannot read capture: ", path);
            assert_true(strncmp(err, want, strlen(want)) == 0);
            continue;
        }
        if (rc != CAP_OK)
            fail_msg("length %zu: open gave %d: %s", len, rc, err);
        while ((rc = cap_source_next(s, &f, err, sizeof err)) == CAP_NEXT_PACKET)
            (void)cap_decode(f.linktype, f.data, f.caplen, f.wirelen, &p);
        if (cap_source_count(s) != records_in(m, len))
            fail_msg("length %zu: %llu packets, want %llu", len,
                     (unsigned long long)cap_source_count(s),
                     (unsigned long long)records_in(m, len));
        if (is_bound(m, len)) {
            if (rc != CAP_NEXT_EOF)
                fail_msg("length %zu (record boundary): %d %s", len, rc, err);
        } else {
            if (rc != CAP_ERR_READ)
                fail_msg("length %zu: %d, want a read error", len, rc);
            snprintf(want, sizeof want,
                     "%s: cannot read packet %llu (reading stopped at byte %zu): ", path,
                     (unsigned long long)cap_source_count(s) + 1, len);
            if (strncmp(err, want, strlen(want)) != 0)
                fail_msg("length %zu: message '%s', want '%s...'", len, err, want);
            /* the error stays */
            err[0] = '\0';
            assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_ERR_READ);
            assert_true(strncmp(err, want, strlen(want)) == 0);
        }
        cap_source_close(s);
    }
}

static void test_truncated_pcap_every_length(void **state)
{
    static img m;
    (void)state;
    pcap_header(&m, false, false, 1);
    for (int i = 0; i < 3; i++) {
        const pb *b = tcp_frame(80, (size_t)i * 7);
        pcap_record(&m, 10, (uint32_t)i, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    }
    assert_int_equal(m.nbounds, 4);
    read_every_prefix(&m, 24);
}

static void test_truncated_pcapng_every_length(void **state)
{
    static img m;
    (void)state;
    pcapng_header(&m, 1);
    for (int i = 0; i < 3; i++) {
        const pb *b = tcp_frame(80, (size_t)i * 3 + 1);
        pcapng_epb(&m, 1000000u * (uint64_t)i, b->buf, (uint32_t)b->len);
    }
    read_every_prefix(&m, 28 + 20);
}

/* ------------------------------------------------------------------------------------------ */
/* Filters, link types, open errors                                                            */

static void test_filter(void **state)
{
    static img m;
    cap_source *s;
    cap_frame f;
    cap_packet p;
    char err[512];
    (void)state;
    pcap_header(&m, false, false, 1);
    for (int i = 0; i < 6; i++) {
        const pb *b = tcp_frame(i % 2 ? 81 : 80, 0);
        pcap_record(&m, 1, (uint32_t)i, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    }
    write_file(m.b, m.len);
    s = open_ok();
    assert_int_equal(cap_source_set_filter(s, "tcp dst port 81", err, sizeof err), CAP_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
        assert_int_equal(f.ts_us, 1000000u + 2u * (unsigned)i + 1u);
        assert_skip(CAP_SKIP_NONE, cap_decode(1, f.data, f.caplen, f.wirelen, &p));
        assert_int_equal(p.dport, 81);
    }
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_EOF);
    assert_int_equal(cap_source_count(s), 3);
    cap_source_close(s);

    /* a truncated last record under a filter: the count is of the packets the filter passed */
    write_file(m.b, m.len - 5);
    s = open_ok();
    assert_int_equal(cap_source_set_filter(s, "tcp dst port 81", err, sizeof err), CAP_OK);
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_PACKET);
    assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_ERR_READ);
    char want[900];
    snprintf(want, sizeof want,
             "%s: read error after 2 packets passed the filter (reading stopped at byte %zu): ",
             path, m.len - 5);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    cap_source_close(s);

    write_file(m.b, m.len);
    s = open_ok();
    err[0] = '\0';
    assert_int_equal(cap_source_set_filter(s, "tcp port", err, sizeof err), CAP_ERR_FILTER);
    assert_true(strncmp(err, "bad filter expression 'tcp port': ", 34) == 0);
    assert_true(strlen(err) > 34); /* libpcap's reason follows */
    assert_int_equal(cap_source_set_filter(s, "host ((", err, sizeof err), CAP_ERR_FILTER);
    assert_true(strncmp(err, "bad filter expression 'host ((': ", 33) == 0);
    assert_int_equal(cap_source_set_filter(s, NULL, err, sizeof err), CAP_ERR_ARG);
    /* the source still reads everything after a rejected filter */
    int n = 0;
    while (cap_source_next(s, &f, err, sizeof err) == CAP_NEXT_PACKET)
        n++;
    assert_int_equal(n, 6);
    cap_source_close(s);
}

static void test_unsupported_link_types(void **state)
{
    static img m;
    const pb *b = tcp_frame(80, 0);
    cap_source *s;
    char err[512], want[700];
    (void)state;
    pcap_header(&m, false, false, 220); /* USB with padded Linux header */
    pcap_record(&m, 1, 0, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    write_file(m.b, m.len);
    s = open_ok();
    assert_int_equal(cap_source_linktype(s), 220);
    assert_false(cap_source_link_supported(s));
    assert_string_equal(cap_source_linktype_name(s), "USB_LINUX_MMAPPED");
    assert_int_equal(cap_source_check_link(s, err, sizeof err), CAP_ERR_LINK);
    snprintf(want, sizeof want, "%s: unsupported link type USB_LINUX_MMAPPED (220, ", path);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    cap_source_close(s);

    pcap_header(&m, false, false, 5000); /* no name in libpcap */
    write_file(m.b, m.len);
    s = open_ok();
    assert_string_equal(cap_source_linktype_name(s), "DLT_5000");
    assert_int_equal(cap_source_check_link(s, err, sizeof err), CAP_ERR_LINK);
    snprintf(want, sizeof want, "%s: unsupported link type DLT_5000 (5000)", path);
    assert_string_equal(err, want);
    cap_source_close(s);

    pcap_header(&m, false, false, 101); /* LINKTYPE_RAW: libpcap gives DLT_RAW */
    write_file(m.b, m.len);
    s = open_ok();
    assert_int_equal(cap_source_linktype(s), DLT_RAW);
    assert_true(cap_source_link_supported(s));
    cap_source_close(s);
}

static void test_open_errors(void **state)
{
    static int dummy;
    cap_source *s = (cap_source *)(void *)&dummy; /* must be reset to NULL */
    char err[700], want[700];
    static const char text[] = "this is not a capture file, just some text\n";
    (void)state;
    snprintf(want, sizeof want, "%s/missing.pcap", dir);
    assert_int_equal(cap_source_open_file(&s, want, err, sizeof err), CAP_ERR_OPEN);
    assert_null(s);
    char full[800];
    snprintf(full, sizeof full, "%s: cannot read capture: %s", want, strerror(ENOENT));
    assert_string_equal(err, full);

    write_file((const uint8_t *)text, sizeof text - 1);
    assert_int_equal(cap_source_open_file(&s, path, err, sizeof err), CAP_ERR_OPEN);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "unknown file format"));

    assert_int_equal(cap_source_open_file(&s, "", err, sizeof err), CAP_ERR_ARG);
    assert_int_equal(cap_source_open_file(&s, NULL, err, sizeof err), CAP_ERR_ARG);
    assert_int_equal(cap_source_open_file(NULL, path, err, sizeof err), CAP_ERR_ARG);
    /* a NULL error buffer is allowed */
    assert_int_equal(cap_source_open_file(&s, want, NULL, 0), CAP_ERR_OPEN);
    cap_source_close(NULL);
}

static void test_standard_input(void **state)
{
    static img m;
    const pb *b = tcp_frame(80, 3);
    cap_source *s = NULL;
    cap_frame f;
    char err[512];
    int saved, fd, n = 0;
    (void)state;
    pcap_header(&m, false, false, 1);
    pcap_record(&m, 5, 6, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    pcap_record(&m, 5, 7, b->buf, (uint32_t)b->len, (uint32_t)b->len);
    write_file(m.b, m.len);
    saved = dup(0);
    fd = open(path, O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, 0), 0);
    close(fd);
    int rc = cap_source_open_file(&s, "-", err, sizeof err);
    if (rc == CAP_OK) {
        assert_string_equal(cap_source_name(s), "standard input");
        while (cap_source_next(s, &f, err, sizeof err) == CAP_NEXT_PACKET)
            n++;
        cap_source_close(s);
    }
    dup2(saved, 0);
    close(saved);
    clearerr(stdin);
    assert_int_equal(rc, CAP_OK);
    assert_int_equal(n, 2);
}

/* ------------------------------------------------------------------------------------------ */
/* Live capture                                                                                */

static void test_live_errors(void **state)
{
    cap_source *s = NULL;
    char err[512];
    int rc;
    (void)state;
    rc = cap_source_open_live(&s, "tcpsimnoif0", 0, 0, err, sizeof err);
    /* without privileges libpcap refuses before it looks at the interface */
    if (!(rc == CAP_ERR_OPEN || (geteuid() != 0 && rc == CAP_ERR_PERM)))
        fail_msg("open_live on a missing interface: %d %s", rc, err);
    assert_null(s);
    assert_true(strncmp(err, "tcpsimnoif0: ", 13) == 0);
    assert_int_equal(cap_source_open_live(&s, "", 0, 0, err, sizeof err), CAP_ERR_ARG);
    assert_int_equal(cap_source_open_live(&s, "lo", -1, 0, err, sizeof err), CAP_ERR_ARG);
}

/* An unprivileged process gets CAP_ERR_PERM and a message that says why. */
static int open_lo_unprivileged(void)
{
    cap_source *s = NULL;
    char err[512] = "";
    int rc = cap_source_open_live(&s, "lo", 0, 0, err, sizeof err);
    if (rc == CAP_ERR_PERM && s == NULL && strstr(err, "lo: permission denied") == err &&
        strstr(err, "needs root or the CAP_NET_RAW capability") != NULL)
        return 0;
    fprintf(stderr, "unprivileged open_live(lo): %d %s\n", rc, err);
    cap_source_close(s);
    return 1;
}

static void test_live_lo(void **state)
{
    cap_source *s = NULL;
    cap_frame f;
    char err[512];
    int rc;
    (void)state;
    if (geteuid() != 0) {
        assert_int_equal(open_lo_unprivileged(), 0);
        return;
    }
    rc = cap_source_open_live(&s, "lo", 0, 0, err, sizeof err);
    if (rc == CAP_ERR_PERM) { /* root without CAP_NET_RAW (a container) */
        assert_non_null(strstr(err, "needs root"));
    } else if (rc == CAP_ERR_OPEN) {
        print_message("skipped part: no usable lo here: %s\n", err);
    } else {
        assert_int_equal(rc, CAP_OK);
        assert_true(cap_source_is_live(s));
        assert_string_equal(cap_source_name(s), "lo");
        assert_true(cap_source_link_supported(s));
        assert_int_equal(cap_source_set_filter(s, "tcp port 9", err, sizeof err), CAP_OK);
        cap_source_break(s);
        assert_int_equal(cap_source_next(s, &f, err, sizeof err), CAP_NEXT_EOF);
        cap_source_close(s);
    }
    /* drop privileges in a child and try again */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(77);
        _exit(open_lo_unprivileged());
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77)
        print_message("skipped part: cannot drop privileges here\n");
    else
        assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_pcap_usec),
        cmocka_unit_test(test_read_pcap_byte_orders_and_nanoseconds),
        cmocka_unit_test(test_read_pcap_mapped_then_libpcap),
        cmocka_unit_test(test_file_cut_while_mapped),
        cmocka_unit_test(test_read_pcapng),
        cmocka_unit_test(test_snaplen_record_and_old_time),
        cmocka_unit_test(test_truncated_pcap_every_length),
        cmocka_unit_test(test_truncated_pcapng_every_length),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_unsupported_link_types),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_standard_input),
        cmocka_unit_test(test_live_errors),
        cmocka_unit_test(test_live_lo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
