/*
 * test_cap_pcapng.c - pcapng files whose interfaces have different link types, which libpcap
 * 1.10 refuses and cap_source reads with cap_pcapng.c.  The files are written block by block
 * into a scratch directory: Ethernet, raw IPv4 and NULL interfaces carrying TCP packets, both
 * byte orders, several sections, if_tsresol in powers of 10 and 2 and if_tsoffset, Simple and
 * obsolete Packet Blocks, blocks of unknown types.  Each test asserts the exact frames (link
 * type, lengths, timestamp, bytes); a BPF filter passing some packets; every prefix of a file
 * (packets before the cut, then EOF on a block boundary or an error naming packet and byte);
 * one file per malformation rule with its exact message and byte; link types without a decoder;
 * files that stay on libpcap (one link type, standard input); and the tcpsim binary replaying a
 * mixed file (tests/hostile's runner).
 */
#include "cap_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <pcap/dlt.h>

#include "cap_pcapng.h"
#include "cap_replay.h"
#include "cap_source.h"
#include "hostile_run.h"

/* LINKTYPE_* values as written in IDBs */
enum {
    LT_NULL = 0,
    LT_ETHER = 1,
    LT_RAW = 101,
    LT_SLL = 113,
    LT_USB = 220, /* USB_LINUX_MMAPPED: no decoder */
    LT_UNKNOWN = 5000,
};

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 1u
#define BT_PB  2u
#define BT_SPB 3u
#define BT_NRB 4u
#define BT_ISB 5u
#define BT_EPB 6u

/* ------------------------------------------------------------------------------------------ */
/* Writing pcapng files, with what reading them must give                                      */

typedef struct want {
    int dlt;
    uint32_t caplen, wirelen;
    uint64_t ts_us;
    size_t end;      /* where its block ends */
    size_t data_off; /* its bytes in the image */
    uint16_t dport;  /* its TCP destination port (0: not TCP for the decoder) */
} want;

#define MAX_BOUNDS 512
#define MAX_WANT   256
#define MAX_IF     64

typedef struct ngf {
    img m;
    size_t bounds[MAX_BOUNDS]; /* where a block ends: the file may end there cleanly */
    size_t nb;
    want w[MAX_WANT];
    size_t nw;
    int ifdlt[MAX_IF]; /* the current section's interfaces */
    uint32_t ifsnap[MAX_IF];
    unsigned nif;
    unsigned idbs;
    uint32_t first_lt;
    size_t mixed_end; /* end of the first IDB whose link type differs from the first one */
} ngf;

static ngf F;

static int lt_dlt(uint32_t lt)
{
    return lt == LT_RAW ? DLT_RAW : (int)lt;
}

static void ng_reset(ngf *f)
{
    img_free(&f->m);
    memset(f, 0, sizeof *f);
}

static void put32_at(img *m, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        m->b[off + (size_t)i] = (uint8_t)(m->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put8(img *m, unsigned v)
{
    uint8_t c = (uint8_t)v;
    img_put(m, &c, 1);
}

static void put64(img *m, uint64_t v)
{
    if (m->be) {
        img_put32(m, (uint32_t)(v >> 32));
        img_put32(m, (uint32_t)v);
    } else {
        img_put32(m, (uint32_t)v);
        img_put32(m, (uint32_t)(v >> 32));
    }
}

static void pad4(img *m)
{
    while (m->len % 4 != 0)
        put8(m, 0);
}

static size_t blk_begin(ngf *f, uint32_t type)
{
    size_t start = f->m.len;
    img_put32(&f->m, type);
    img_put32(&f->m, 0); /* total length, written by blk_end */
    return start;
}

static void blk_end(ngf *f, size_t start)
{
    pad4(&f->m);
    uint32_t total = (uint32_t)(f->m.len - start + 4);
    img_put32(&f->m, total);
    put32_at(&f->m, start + 4, total);
    assert_true(f->nb < MAX_BOUNDS);
    f->bounds[f->nb++] = f->m.len;
}

static void ng_shb(ngf *f, bool be)
{
    f->m.be = be;
    size_t s = blk_begin(f, BT_SHB);
    img_put32(&f->m, 0x1a2b3c4du);
    img_put16(&f->m, 1);
    img_put16(&f->m, 0);
    put64(&f->m, UINT64_MAX); /* section length unknown */
    if (f->idbs == 0) {       /* a comment on the first one */
        img_put16(&f->m, 1);
        img_put16(&f->m, 5);
        img_put(&f->m, "hello", 5);
        pad4(&f->m);
        img_put16(&f->m, 0);
        img_put16(&f->m, 0);
    }
    blk_end(f, s);
    f->nif = 0;
}

/* tsresol < 0: none; tsoff != NULL: if_tsoffset. */
static void ng_idb_opt(ngf *f, uint32_t lt, uint32_t snaplen, int tsresol, const int64_t *tsoff)
{
    size_t s = blk_begin(f, BT_IDB);
    img_put16(&f->m, lt);
    img_put16(&f->m, 0);
    img_put32(&f->m, snaplen);
    img_put16(&f->m, 2); /* if_name, to be skipped */
    img_put16(&f->m, 3);
    img_put(&f->m, "lo0", 3);
    pad4(&f->m);
    if (tsresol >= 0) {
        img_put16(&f->m, 9);
        img_put16(&f->m, 1);
        put8(&f->m, (unsigned)tsresol);
        pad4(&f->m);
    }
    if (tsoff != NULL) {
        img_put16(&f->m, 14);
        img_put16(&f->m, 8);
        put64(&f->m, (uint64_t)*tsoff);
    }
    img_put16(&f->m, 0);
    img_put16(&f->m, 0);
    blk_end(f, s);
    assert_true(f->nif < MAX_IF);
    f->ifdlt[f->nif] = lt_dlt(lt);
    f->ifsnap[f->nif] = snaplen;
    f->nif++;
    if (f->idbs++ == 0)
        f->first_lt = lt;
    else if (lt != f->first_lt && f->mixed_end == 0)
        f->mixed_end = f->m.len;
}

static void ng_idb(ngf *f, uint32_t lt)
{
    ng_idb_opt(f, lt, 65535, -1, NULL);
}

static void add_want(ngf *f, unsigned ifid, uint32_t caplen, uint32_t wirelen, uint64_t ts_us,
                     size_t data_off, uint16_t dport)
{
    assert_true(f->nw < MAX_WANT && ifid < f->nif);
    want *w = &f->w[f->nw++];
    uint32_t snap = f->ifsnap[ifid];
    w->dlt = f->ifdlt[ifid];
    w->caplen = snap != 0 && caplen > snap ? snap : caplen;
    w->wirelen = wirelen;
    w->ts_us = ts_us;
    w->end = f->m.len;
    w->data_off = data_off;
    w->dport = w->caplen >= 40 ? dport : 0;
}

/* An Enhanced Packet Block; `ts` in the interface's units, `ts_us` what it must read as. */
static void ng_epb(ngf *f, unsigned ifid, uint64_t ts, const uint8_t *data, uint32_t caplen,
                   uint32_t wirelen, uint64_t ts_us, uint16_t dport)
{
    size_t s = blk_begin(f, BT_EPB);
    img_put32(&f->m, ifid);
    img_put32(&f->m, (uint32_t)(ts >> 32));
    img_put32(&f->m, (uint32_t)ts);
    img_put32(&f->m, caplen);
    img_put32(&f->m, wirelen);
    size_t off = f->m.len;
    img_put(&f->m, data, caplen);
    pad4(&f->m);
    img_put16(&f->m, 1); /* opt_comment */
    img_put16(&f->m, 2);
    img_put(&f->m, "ok", 2);
    pad4(&f->m);
    img_put16(&f->m, 0);
    img_put16(&f->m, 0);
    blk_end(f, s);
    add_want(f, ifid, caplen, wirelen, ts_us, off, dport);
}

/* A Simple Packet Block holding n bytes (then padding), original length origlen. */
static void ng_spb(ngf *f, const uint8_t *data, uint32_t n, uint32_t origlen, uint16_t dport)
{
    size_t s = blk_begin(f, BT_SPB);
    img_put32(&f->m, origlen);
    size_t off = f->m.len;
    img_put(&f->m, data, n);
    blk_end(f, s);
    add_want(f, 0, n < origlen ? n : origlen, origlen, 0, off, dport);
}

/* An obsolete Packet Block. */
static void ng_pb(ngf *f, unsigned ifid, uint64_t ts, const uint8_t *data, uint32_t caplen,
                  uint64_t ts_us, uint16_t dport)
{
    size_t s = blk_begin(f, BT_PB);
    img_put16(&f->m, ifid);
    img_put16(&f->m, 7); /* drops count */
    img_put32(&f->m, (uint32_t)(ts >> 32));
    img_put32(&f->m, (uint32_t)ts);
    img_put32(&f->m, caplen);
    img_put32(&f->m, caplen);
    size_t off = f->m.len;
    img_put(&f->m, data, caplen);
    blk_end(f, s);
    add_want(f, ifid, caplen, caplen, ts_us, off, dport);
}

/* A block the reader must step over. */
static void ng_other(ngf *f, uint32_t type, size_t bodylen)
{
    size_t s = blk_begin(f, type);
    for (size_t i = 0; i < bodylen; i++)
        put8(&f->m, (unsigned)(i * 7 + 1));
    blk_end(f, s);
}

/* A TCP/IPv4 packet framed for link type lt (reverse: from the server, addresses swapped). */
static pb P;
static const pb *frame(uint32_t lt, uint16_t sport, uint16_t dport, uint8_t flags, uint32_t seq,
                       uint32_t ack, size_t paylen, bool reverse)
{
    tcp_spec t = tcp_default();
    t.sport = sport;
    t.dport = dport;
    t.flags = flags;
    t.seq = seq;
    t.ack = ack;
    t.paylen = paylen;
    pb_reset(&P);
    if (lt == LT_ETHER || lt == LT_USB || lt == LT_UNKNOWN) {
        pb_eth(&P, 0x0800);
    } else if (lt == LT_NULL) {
        uint32_t family = 2; /* AF_INET in the writer's order */
        pb_bytes(&P, &family, 4);
    } else if (lt == LT_SLL) {
        static const uint8_t addr[8] = {2, 0, 0, 0, 0, 1, 0, 0};
        pb_be16(&P, 0);
        pb_be16(&P, 1);
        pb_be16(&P, 6);
        pb_bytes(&P, addr, 8);
        pb_be16(&P, 0x0800);
    }
    size_t ip = pb_ipv4_tcp(&P, &t, NULL, 0);
    if (reverse) { /* the checksum does not change: the pseudo-header sums both addresses */
        uint8_t tmp[4];
        memcpy(tmp, P.buf + ip + 12, 4);
        memcpy(P.buf + ip + 12, P.buf + ip + 16, 4);
        memcpy(P.buf + ip + 16, tmp, 4);
    }
    return &P;
}

/* A packet to `dport` on interface ifid (of link type lt), timestamp in microseconds. */
static void epb_tcp(ngf *f, unsigned ifid, uint32_t lt, uint16_t dport, size_t paylen,
                    uint64_t ts_us)
{
    const pb *b = frame(lt, 40000, dport, 0x18, 1000, 2000, paylen, false);
    ng_epb(f, ifid, ts_us, b->buf, (uint32_t)b->len, (uint32_t)b->len, ts_us, dport);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading them back                                                                           */

static const char *cap_path(void)
{
    return hpath("t.pcapng");
}

static void write_prefix(const ngf *f, size_t len)
{
    img m = f->m;
    m.len = len;
    write_img(cap_path(), &m);
}

static cap_source *open_ok(void)
{
    cap_source *s = NULL;
    char err[512] = "";
    int rc = cap_source_open_file(&s, cap_path(), err, sizeof err);
    if (rc != CAP_OK)
        fail_msg("open: %d %s", rc, err);
    return s;
}

/* The frame must be want w, numbered index. */
static void check_frame(const ngf *f, const cap_frame *fr, const want *w, uint64_t index)
{
    cap_packet p;
    if (fr->index != index || fr->linktype != w->dlt || fr->caplen != w->caplen ||
        fr->wirelen != w->wirelen || fr->ts_us != w->ts_us)
        fail_msg("frame %llu: index %llu linktype %d caplen %u wirelen %u ts %llu, want linktype "
                 "%d caplen %u wirelen %u ts %llu",
                 (unsigned long long)index, (unsigned long long)fr->index, fr->linktype, fr->caplen,
                 fr->wirelen, (unsigned long long)fr->ts_us, w->dlt, w->caplen, w->wirelen,
                 (unsigned long long)w->ts_us);
    assert_memory_equal(fr->data, f->m.b + w->data_off, w->caplen);
    if (w->dport != 0) {
        assert_skip(CAP_SKIP_NONE,
                    decode_exact(fr->linktype, fr->data, fr->caplen, fr->wirelen, &p));
        assert_int_equal(p.dport, w->dport);
    }
}

/* Reads the whole file: exactly the wanted frames (those to `only_dport` with that filter). */
static void read_all(const ngf *f, const char *filter, uint16_t only_dport)
{
    char err[512] = "";
    cap_frame fr;
    uint64_t n = 0;
    write_img(cap_path(), &f->m);
    cap_source *s = open_ok();
    assert_true(cap_source_mixed_links(s));
    if (filter != NULL)
        assert_int_equal(cap_source_set_filter(s, filter, err, sizeof err), CAP_OK);
    for (size_t i = 0; i < f->nw; i++) {
        if (only_dport != 0 && f->w[i].dport != only_dport)
            continue;
        int rc = cap_source_next(s, &fr, err, sizeof err);
        if (rc != CAP_NEXT_PACKET)
            fail_msg("packet %zu: %d %s", i + 1, rc, err);
        check_frame(f, &fr, &f->w[i], ++n);
    }
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_NEXT_EOF);
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_NEXT_EOF);
    assert_int_equal(cap_source_count(s), n);
    cap_source_close(s);
}

/* ------------------------------------------------------------------------------------------ */
/* Mixed link types                                                                            */

/* SHB, Ethernet, raw IPv4 and NULL interfaces, TCP packets on each. */
static void build_three(ngf *f)
{
    ng_reset(f);
    ng_shb(f, false);
    ng_idb(f, LT_ETHER);
    ng_idb(f, LT_RAW);
    ng_idb(f, LT_NULL);
    static const uint32_t lts[3] = {LT_ETHER, LT_RAW, LT_NULL};
    for (unsigned i = 0; i < 9; i++)
        epb_tcp(f, i % 3, lts[i % 3], (uint16_t)(80 + i % 2), i * 5, 1700000000000000u + i * 1000);
}

static void test_three_link_types(void **state)
{
    char err[512];
    (void)state;
    build_three(&F);
    read_all(&F, NULL, 0);

    cap_source *s = open_ok();
    assert_int_equal(cap_source_linktype(s), DLT_EN10MB); /* the first interface's */
    assert_string_equal(cap_source_linktype_name(s), "EN10MB");
    assert_true(cap_source_link_supported(s));
    assert_int_equal(cap_source_check_link(s, err, sizeof err), CAP_OK);
    assert_int_equal(cap_source_snaplen(s), 65535);
    assert_false(cap_source_is_live(s));
    assert_string_equal(cap_source_name(s), cap_path());
    cap_source_close(s);

    /* a first interface without snaplen reports libpcap's default */
    ng_reset(&F);
    ng_shb(&F, true);
    ng_idb_opt(&F, LT_NULL, 0, -1, NULL);
    ng_idb(&F, LT_ETHER);
    epb_tcp(&F, 1, LT_ETHER, 80, 0, 5);
    epb_tcp(&F, 0, LT_NULL, 81, 3, 6);
    read_all(&F, NULL, 0);
    s = open_ok();
    assert_int_equal(cap_source_snaplen(s), 262144);
    assert_int_equal(cap_source_linktype(s), DLT_NULL);
    cap_source_close(s);
}

/* Two sections in both byte orders, interface numbers restarting, every timestamp resolution. */
static void test_sections_and_timestamps(void **state)
{
    (void)state;
    const pb *b;
    ng_reset(&F);
    ng_shb(&F, true);                                 /* big-endian */
    ng_idb_opt(&F, LT_ETHER, 65535, 9, NULL);         /* 0: nanoseconds */
    ng_idb_opt(&F, LT_NULL, 65535, 0x80 | 20, NULL);  /* 1: 2^-20 s */
    ng_idb_opt(&F, LT_RAW, 65535, 0x80 | 63, NULL);   /* 2: 2^-63 s */
    ng_idb_opt(&F, LT_ETHER, 65535, 19, NULL);        /* 3: 10^-19 s */
    b = frame(LT_ETHER, 1, 80, 0x10, 1, 1, 0, false); /* 1700000000.123456789 s */
    ng_epb(&F, 0, 1700000000123456789u, b->buf, (uint32_t)b->len, (uint32_t)b->len,
           1700000000123456u, 80);
    b = frame(LT_NULL, 1, 81, 0x10, 1, 1, 0, false);
    ng_epb(&F, 1, (1700000000ull << 20) | 1, b->buf, (uint32_t)b->len, (uint32_t)b->len,
           1700000000000000u, 81); /* 0.95 µs: rounded down */
    ng_epb(&F, 1, (5ull << 20) | 2, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5000001u, 81);
    ng_epb(&F, 1, (5ull << 20) | 524288, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5500000u, 81);
    ng_epb(&F, 1, (5ull << 20) | 1048575, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5999999u, 81);
    b = frame(LT_RAW, 1, 82, 0x10, 1, 1, 0, false);
    ng_epb(&F, 2, UINT64_MAX, b->buf, (uint32_t)b->len, (uint32_t)b->len, 1999999u, 82);
    ng_epb(&F, 2, 1ull << 62, b->buf, (uint32_t)b->len, (uint32_t)b->len, 500000u, 82);
    b = frame(LT_ETHER, 1, 83, 0x10, 1, 1, 0, false);
    ng_epb(&F, 3, UINT64_MAX, b->buf, (uint32_t)b->len, (uint32_t)b->len, 1844674u, 83);

    ng_shb(&F, false);                              /* little-endian: interface 0 is a new one */
    ng_idb_opt(&F, LT_RAW, 65535, 0x80 | 50, NULL); /* 0: 2^-50 s */
    int64_t plus = 1000, minus = -100;
    ng_idb_opt(&F, LT_ETHER, 65535, 3, &plus);  /* 1: milliseconds, +1000 s */
    ng_idb_opt(&F, LT_NULL, 65535, -1, &minus); /* 2: microseconds, -100 s */
    ng_idb_opt(&F, LT_ETHER, 65535, 0, NULL);   /* 3: seconds */
    b = frame(LT_RAW, 2, 80, 0x10, 1, 1, 0, false);
    ng_epb(&F, 0, (3ull << 50) | (1ull << 49), b->buf, (uint32_t)b->len, (uint32_t)b->len, 3500000u,
           80);
    ng_epb(&F, 0, (3ull << 50) | ((1ull << 50) - 1), b->buf, (uint32_t)b->len, (uint32_t)b->len,
           3999999u, 80);
    b = frame(LT_ETHER, 2, 81, 0x10, 1, 1, 0, false);
    ng_epb(&F, 1, 1700000000123u, b->buf, (uint32_t)b->len, (uint32_t)b->len, 1700001000123000u,
           81);
    b = frame(LT_NULL, 2, 82, 0x10, 1, 1, 0, false);
    ng_epb(&F, 2, 5000000u, b->buf, (uint32_t)b->len, (uint32_t)b->len, 0, 82); /* before 1970 */
    ng_epb(&F, 2, 200000000u, b->buf, (uint32_t)b->len, (uint32_t)b->len, 100000000u, 82);
    b = frame(LT_ETHER, 2, 83, 0x10, 1, 1, 0, false);
    ng_epb(&F, 3, 1700000000u, b->buf, (uint32_t)b->len, (uint32_t)b->len, 1700000000000000u, 83);
    ng_epb(&F, 3, UINT64_MAX, b->buf, (uint32_t)b->len, (uint32_t)b->len, UINT64_MAX, 83);
    read_all(&F, NULL, 0);
}

/* Simple Packet Blocks, obsolete Packet Blocks, snaplen cuts and blocks to step over. */
static void test_spb_pb_and_other_blocks(void **state)
{
    (void)state;
    const pb *b;
    ng_reset(&F);
    ng_shb(&F, false);
    ng_other(&F, BT_NRB, 16);
    ng_idb_opt(&F, LT_ETHER, 100, -1, NULL);          /* snaplen 100 */
    ng_idb_opt(&F, LT_RAW, 0, 6, NULL);               /* no snaplen, microseconds */
    b = frame(LT_ETHER, 3, 80, 0x10, 1, 1, 6, false); /* 60 bytes */
    assert_int_equal(b->len, 60);
    ng_spb(&F, b->buf, 60, 60, 80);
    b = frame(LT_ETHER, 3, 81, 0x10, 1, 1, 7, false); /* 61 bytes, padded to 64 */
    ng_spb(&F, b->buf, 61, 61, 81);
    assert_int_equal(F.w[F.nw - 1].caplen, 61);
    b = frame(LT_ETHER, 3, 82, 0x10, 1, 1, 96, false); /* 150 bytes, 100 captured */
    ng_spb(&F, b->buf, 100, 150, 82);
    ng_other(&F, BT_ISB, 24);
    ng_other(&F, 0x00000bad, 8);  /* custom block */
    ng_other(&F, 0x40000bad, 0);  /* custom block, not to be copied */
    ng_other(&F, 0x80000001, 12); /* local use */
    ng_other(&F, 0x0000000a, 20); /* decryption secrets */
    ng_other(&F, 0x12345678, 4);
    b = frame(LT_RAW, 3, 83, 0x10, 1, 1, 1, false);
    ng_pb(&F, 1, 1234567, b->buf, (uint32_t)b->len, 1234567, 83);
    b = frame(LT_ETHER, 3, 84, 0x10, 1, 1, 2, false);
    ng_pb(&F, 0, 42, b->buf, (uint32_t)b->len, 42, 84);
    b = frame(LT_ETHER, 3, 85, 0x10, 1, 1, 66, false); /* 120 bytes, cut to the snaplen */
    ng_epb(&F, 0, 43, b->buf, 120, 120, 43, 85);
    assert_int_equal(F.w[F.nw - 1].caplen, 100);
    b = frame(LT_RAW, 3, 86, 0x10, 1, 1, 0, false);
    ng_epb(&F, 1, 44, b->buf, 0, 40, 44, 0);                   /* nothing captured */
    ng_epb(&F, 1, 45, b->buf, (uint32_t)b->len, 1000, 45, 86); /* wire length larger */
    read_all(&F, NULL, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Filters                                                                                     */

static void test_filter(void **state)
{
    char err[700], want_msg[900];
    cap_frame fr;
    (void)state;
    build_three(&F);
    read_all(&F, "tcp dst port 81", 81); /* every link type's packets to port 81, numbered 1.. */
    read_all(&F, "tcp dst port 80", 80);
    read_all(&F, "tcp", 0);

    /* replacing a filter */
    write_img(cap_path(), &F.m);
    cap_source *s = open_ok();
    assert_int_equal(cap_source_set_filter(s, "tcp dst port 81", err, sizeof err), CAP_OK);
    assert_int_equal(cap_source_set_filter(s, "tcp dst port 80 and ip", err, sizeof err), CAP_OK);
    uint64_t n = 0;
    while (cap_source_next(s, &fr, err, sizeof err) == CAP_NEXT_PACKET) {
        assert_int_equal(fr.index, ++n);
        cap_packet p;
        assert_skip(CAP_SKIP_NONE, decode_exact(fr.linktype, fr.data, fr.caplen, fr.wirelen, &p));
        assert_int_equal(p.dport, 80);
    }
    assert_int_equal(n, 5);
    cap_source_close(s);

    /* an expression for one link type only: named in the message */
    s = open_ok();
    err[0] = '\0';
    assert_int_equal(cap_source_set_filter(s, "ether host 02:00:00:00:00:01", err, sizeof err),
                     CAP_ERR_FILTER);
    snprintf(want_msg, sizeof want_msg,
             "bad filter expression 'ether host 02:00:00:00:00:01': ethernet addresses supported "
             "only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel (for the RAW "
             "interfaces of %s)",
             cap_path());
    assert_string_equal(err, want_msg);
    /* a syntax error reads as on libpcap */
    assert_int_equal(cap_source_set_filter(s, "tcp port", err, sizeof err), CAP_ERR_FILTER);
    assert_string_equal(err, "bad filter expression 'tcp port': can't parse filter expression: "
                             "syntax error");
    assert_int_equal(cap_source_set_filter(s, NULL, err, sizeof err), CAP_ERR_ARG);
    n = 0; /* nothing was installed */
    while (cap_source_next(s, &fr, err, sizeof err) == CAP_NEXT_PACKET)
        n++;
    assert_int_equal(n, 9);
    cap_source_close(s);

    /* a read error under a filter counts the packets it passed */
    img cut = F.m;
    cut.len = F.w[6].end - 3; /* inside the 7th packet's block (to port 80) */
    write_img(cap_path(), &cut);
    s = open_ok();
    assert_int_equal(cap_source_set_filter(s, "tcp dst port 81", err, sizeof err), CAP_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_NEXT_PACKET);
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_ERR_READ);
    snprintf(want_msg, sizeof want_msg,
             "%s: read error after 3 packets passed the filter (reading stopped at byte %zu): "
             "enhanced packet block at byte %zu: the file ends after %zu of its %zu bytes",
             cap_path(), cut.len, F.bounds[F.nb - 4], cut.len - F.bounds[F.nb - 4],
             F.w[6].end - F.bounds[F.nb - 4]);
    assert_string_equal(err, want_msg);
    cap_source_close(s);
}

/* ------------------------------------------------------------------------------------------ */
/* Every prefix                                                                                */

static bool is_bound(const ngf *f, size_t len)
{
    for (size_t i = 0; i < f->nb; i++)
        if (f->bounds[i] == len)
            return true;
    return false;
}

/* open_min: the shortest prefix libpcap opens (SHB and first IDB). */
static void read_every_prefix(const ngf *f, size_t open_min)
{
    size_t mixed_seen = 0;
    for (size_t len = 0; len <= f->m.len; len++) {
        cap_source *s = NULL;
        cap_frame fr;
        char err[700] = "", want_msg[900];
        int rc;
        write_prefix(f, len);
        rc = cap_source_open_file(&s, cap_path(), err, sizeof err);
        if (len < open_min) {
            if (rc != CAP_ERR_OPEN || s != NULL)
                fail_msg("length %zu: open gave %d", len, rc);
            continue;
        }
        if (rc != CAP_OK)
            fail_msg("length %zu: open gave %d: %s", len, rc, err);
        /* the pcapng reader takes the file once it holds the IDB that makes it mixed */
        if (cap_source_mixed_links(s) != (len >= f->mixed_end))
            fail_msg("length %zu: mixed %d", len, cap_source_mixed_links(s));
        mixed_seen += cap_source_mixed_links(s);
        uint64_t n = 0, expect = 0;
        while ((rc = cap_source_next(s, &fr, err, sizeof err)) == CAP_NEXT_PACKET) {
            assert_true(n < f->nw);
            check_frame(f, &fr, &f->w[n], n + 1);
            n++;
        }
        for (size_t i = 0; i < f->nw; i++)
            expect += f->w[i].end <= len;
        if (n != expect)
            fail_msg("length %zu: %llu packets, want %llu (%s)", len, (unsigned long long)n,
                     (unsigned long long)expect, err);
        if (is_bound(f, len)) {
            if (rc != CAP_NEXT_EOF)
                fail_msg("length %zu (block boundary): %d %s", len, rc, err);
        } else {
            if (rc != CAP_ERR_READ)
                fail_msg("length %zu: %d, want a read error", len, rc);
            snprintf(want_msg, sizeof want_msg,
                     "%s: cannot read packet %llu (reading stopped at byte %zu): ", cap_path(),
                     (unsigned long long)n + 1, len);
            if (strncmp(err, want_msg, strlen(want_msg)) != 0)
                fail_msg("length %zu: message '%s', want '%s...'", len, err, want_msg);
            if (cap_source_mixed_links(s) && strstr(err, "the file ends after") == NULL)
                fail_msg("length %zu: message '%s'", len, err);
            err[0] = '\0'; /* the error stays */
            assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_ERR_READ);
            assert_true(strncmp(err, want_msg, strlen(want_msg)) == 0);
        }
        cap_source_close(s);
    }
    assert_true(mixed_seen > f->m.len / 2);
}

static void test_every_prefix(void **state)
{
    const pb *b;
    (void)state;
    ng_reset(&F);
    ng_shb(&F, false);
    ng_idb(&F, LT_ETHER);
    size_t open_min = F.m.len;
    ng_idb_opt(&F, LT_RAW, 65535, 9, NULL);
    epb_tcp(&F, 0, LT_ETHER, 80, 3, 1000000);
    b = frame(LT_RAW, 5, 81, 0x10, 1, 1, 1, false);
    ng_epb(&F, 1, 2000000007u, b->buf, (uint32_t)b->len, (uint32_t)b->len, 2000000, 81);
    ng_other(&F, BT_ISB, 8);
    b = frame(LT_ETHER, 5, 82, 0x10, 1, 1, 2, false);
    ng_spb(&F, b->buf, (uint32_t)b->len, (uint32_t)b->len, 82);
    ng_shb(&F, true);
    ng_idb(&F, LT_NULL);
    ng_idb(&F, LT_ETHER);
    b = frame(LT_ETHER, 5, 83, 0x10, 1, 1, 0, false);
    ng_pb(&F, 1, 77, b->buf, (uint32_t)b->len, 77, 83);
    epb_tcp(&F, 0, LT_NULL, 84, 5, 3000000);
    read_all(&F, NULL, 0);
    read_every_prefix(&F, open_min);
}

/* ------------------------------------------------------------------------------------------ */
/* Malformed files: one per rule, with the exact message and byte                              */

/* SHB (little-endian), Ethernet and raw interfaces, a packet on each. */
static void base(ngf *f)
{
    ng_reset(f);
    ng_shb(f, false);
    ng_idb(f, LT_ETHER);
    ng_idb(f, LT_RAW);
    epb_tcp(f, 0, LT_ETHER, 80, 1, 10);
    epb_tcp(f, 1, LT_RAW, 81, 2, 20);
}

/* A block with the given leading length, n body bytes and the given trailing length. */
static size_t raw_block(ngf *f, uint32_t type, uint32_t lead, size_t n, uint32_t trail)
{
    size_t start = f->m.len;
    img_put32(&f->m, type);
    img_put32(&f->m, lead);
    for (size_t i = 0; i < n; i++)
        put8(&f->m, 0);
    img_put32(&f->m, trail);
    return start;
}

/* After `packets` good packets, reading stops at `byte` with this reason. */
static void expect_damage(const ngf *f, uint64_t packets, size_t byte, const char *reason)
{
    char err[700] = "", want_msg[1000];
    cap_frame fr;
    write_img(cap_path(), &f->m);
    cap_source *s = open_ok();
    assert_true(cap_source_mixed_links(s));
    for (uint64_t i = 0; i < packets; i++) {
        int rc = cap_source_next(s, &fr, err, sizeof err);
        if (rc != CAP_NEXT_PACKET)
            fail_msg("packet %llu: %d %s", (unsigned long long)i + 1, rc, err);
        check_frame(f, &fr, &f->w[i], i + 1);
    }
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_ERR_READ);
    snprintf(want_msg, sizeof want_msg,
             "%s: cannot read packet %llu (reading stopped at byte %zu): %s", cap_path(),
             (unsigned long long)packets + 1, byte, reason);
    assert_string_equal(err, want_msg);
    err[0] = '\0';
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_ERR_READ);
    assert_string_equal(err, want_msg);
    assert_int_equal(cap_source_count(s), packets);
    cap_source_close(s);
}

static char why[400];
#define WHY(...) (snprintf(why, sizeof why, __VA_ARGS__), why)

static void test_bad_lengths(void **state)
{
    size_t at;
    (void)state;
    base(&F);
    at = raw_block(&F, BT_EPB, 30, 18, 30);
    expect_damage(
        &F, 2, at + 8,
        WHY("enhanced packet block at byte %zu: total length 30 is not a multiple of 4", at));
    base(&F);
    at = raw_block(&F, BT_EPB, 8, 0, 8);
    expect_damage(&F, 2, at + 8,
                  WHY("enhanced packet block at byte %zu: total length 8 is less than 12", at));
    base(&F);
    at = raw_block(&F, 0x12345678, 0, 0, 0);
    expect_damage(&F, 2, at + 8,
                  WHY("block of type 0x12345678 at byte %zu: total length 0 is less than 12", at));
    base(&F);
    at = raw_block(&F, BT_EPB, 0xfffffff0u, 40, 0xfffffff0u);
    expect_damage(&F, 2, at + 8,
                  WHY("enhanced packet block at byte %zu: total length 4294967280 is larger than "
                      "the limit of 16 MiB",
                      at));
    base(&F);
    at = raw_block(&F, 0x12345678, CAP_PCAPNG_MAX_BLOCK + 4, 40, 0);
    expect_damage(&F, 2, at + 8,
                  WHY("block of type 0x12345678 at byte %zu: total length 16777220 is larger than "
                      "the limit of 16 MiB",
                      at));
    /* the limit itself is allowed */
    base(&F);
    raw_block(&F, 0x12345678, CAP_PCAPNG_MAX_BLOCK, CAP_PCAPNG_MAX_BLOCK - 12,
              CAP_PCAPNG_MAX_BLOCK);
    F.bounds[F.nb++] = F.m.len;
    epb_tcp(&F, 1, LT_RAW, 82, 3, 30);
    read_all(&F, NULL, 0);
    /* trailing length */
    base(&F);
    at = raw_block(&F, 0x12345678, 20, 8, 24);
    expect_damage(&F, 2, at + 20,
                  WHY("block of type 0x12345678 at byte %zu: the length at its end, 24, differs "
                      "from the 20 at its start",
                      at));
    base(&F);
    at = F.m.len;
    epb_tcp(&F, 0, LT_ETHER, 82, 4, 30);
    F.nw--; /* not delivered */
    put32_at(&F.m, F.m.len - 4, 12345);
    expect_damage(&F, 2, F.m.len,
                  WHY("enhanced packet block at byte %zu: the length at its end, 12345, differs "
                      "from the %zu at its start",
                      at, F.m.len - at));
    /* a section header's lengths, in its own byte order */
    base(&F);
    at = F.m.len;
    img_put32(&F.m, BT_SHB);
    F.m.be = true;
    img_put32(&F.m, 24);
    img_put32(&F.m, 0x1a2b3c4du);
    img_put32(&F.m, 0);
    img_put32(&F.m, 0);
    img_put32(&F.m, 24);
    expect_damage(&F, 2, at + 12,
                  WHY("section header block at byte %zu: total length 24 is less than 28", at));
}

static void test_bad_packets(void **state)
{
    size_t at;
    const pb *b;
    (void)state;
    /* captured length beyond the block (frame() after base(): they share the builder) */
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    at = F.m.len;
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    ng_epb(&F, 0, 5, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5, 82);
    F.nw--;
    put32_at(&F.m, at + 20, 200); /* caplen */
    expect_damage(&F, 2, F.m.len,
                  WHY("enhanced packet block at byte %zu: captured length 200 runs past the "
                      "block (72 bytes)",
                      at));
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    at = F.m.len;
    ng_pb(&F, 1, 5, b->buf, (uint32_t)b->len, 5, 82);
    F.nw--;
    put32_at(&F.m, at + 20, 61);
    expect_damage(&F, 2, F.m.len,
                  WHY("packet block at byte %zu: captured length 61 runs past the block (60 "
                      "bytes)",
                      at));
    /* bodies shorter than the packet headers */
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    at = raw_block(&F, BT_EPB, 28, 16, 28);
    expect_damage(&F, 2, at + 28,
                  WHY("enhanced packet block at byte %zu: 16 bytes of body, less than its 20-byte "
                      "header",
                      at));
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    at = raw_block(&F, BT_PB, 24, 12, 24);
    expect_damage(
        &F, 2, at + 24,
        WHY("packet block at byte %zu: 12 bytes of body, less than its 20-byte header", at));
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    at = raw_block(&F, BT_SPB, 12, 0, 12);
    expect_damage(&F, 2, at + 12,
                  WHY("simple packet block at byte %zu: 0 bytes of body, less than its 4-byte "
                      "header",
                      at));
    /* interface numbers */
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    at = F.m.len;
    ng_epb(&F, 1, 5, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5, 82);
    F.nw--;
    put32_at(&F.m, at + 8, 2);
    expect_damage(&F, 2, F.m.len,
                  WHY("enhanced packet block at byte %zu: interface 2, but its section has 2 "
                      "interfaces",
                      at));
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    at = F.m.len;
    ng_epb(&F, 1, 5, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5, 82);
    F.nw--;
    put32_at(&F.m, at + 8, 0xffffffffu);
    expect_damage(&F, 2, F.m.len,
                  WHY("enhanced packet block at byte %zu: interface 4294967295, but its section "
                      "has 2 interfaces",
                      at));
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    at = F.m.len;
    ng_pb(&F, 1, 5, b->buf, (uint32_t)b->len, 5, 82);
    F.nw--;
    F.m.b[at + 8] = 5; /* interface 5 (16 bits, little-endian) */
    expect_damage(
        &F, 2, F.m.len,
        WHY("packet block at byte %zu: interface 5, but its section has 2 interfaces", at));
    /* numbering restarts in a new section: its interface 1 does not exist */
    base(&F);
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    ng_shb(&F, true);
    ng_idb(&F, LT_NULL);
    epb_tcp(&F, 0, LT_NULL, 83, 0, 40);
    b = frame(LT_NULL, 1, 82, 0x10, 1, 1, 6, false);
    at = F.m.len;
    ng_epb(&F, 0, 5, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5, 82);
    F.nw--;
    put32_at(&F.m, at + 8, 1);
    expect_damage(&F, 3, F.m.len,
                  WHY("enhanced packet block at byte %zu: interface 1, but its section has 1 "
                      "interface",
                      at));
}

static void test_packet_before_idb(void **state)
{
    size_t at;
    const pb *b;
    (void)state;
    /* in a later section */
    static const uint32_t types[3] = {BT_EPB, BT_SPB, BT_PB};
    static const char *const names[3] = {"enhanced packet block", "simple packet block",
                                         "packet block"};
    for (int i = 0; i < 3; i++) {
        base(&F);
        b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
        ng_shb(&F, i == 1);
        at = F.m.len;
        F.nif = 1; /* let the writer write it */
        F.ifdlt[0] = DLT_EN10MB;
        if (types[i] == BT_EPB)
            ng_epb(&F, 0, 5, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5, 82);
        else if (types[i] == BT_SPB)
            ng_spb(&F, b->buf, (uint32_t)b->len, (uint32_t)b->len, 82);
        else
            ng_pb(&F, 0, 5, b->buf, (uint32_t)b->len, 5, 82);
        F.nw--;
        ng_idb(&F, LT_ETHER);
        expect_damage(&F, 2, F.bounds[F.nb - 2],
                      WHY("%s at byte %zu: a packet before any interface description block of "
                          "its section",
                          names[i], at));
    }
    /* in the first section, the IDBs coming later */
    b = frame(LT_ETHER, 1, 82, 0x10, 1, 1, 6, false);
    ng_reset(&F);
    ng_shb(&F, false);
    F.nif = 1;
    at = F.m.len;
    ng_epb(&F, 0, 5, b->buf, (uint32_t)b->len, (uint32_t)b->len, 5, 82);
    F.nw = 0;
    ng_idb(&F, LT_ETHER);
    ng_idb(&F, LT_RAW);
    expect_damage(&F, 0, F.bounds[1],
                  WHY("enhanced packet block at byte %zu: a packet before any interface "
                      "description block of its section",
                      at));
}

static void test_bad_headers(void **state)
{
    size_t at;
    (void)state;
    /* section headers */
    base(&F);
    at = F.m.len;
    ng_shb(&F, false);
    F.m.b[at + 8] = 1;
    F.m.b[at + 9] = 2;
    F.m.b[at + 10] = 3;
    F.m.b[at + 11] = 4;
    expect_damage(&F, 2, at + 12,
                  WHY("section header block at byte %zu: unknown byte-order magic 01020304", at));
    base(&F);
    at = F.m.len;
    ng_shb(&F, true);
    F.m.b[at + 13] = 2; /* major version 2, big-endian */
    expect_damage(&F, 2, F.m.len,
                  WHY("section header block at byte %zu: pcapng version 2.0 is not supported "
                      "(only 1.x is)",
                      at));
    /* interface description blocks */
    base(&F);
    at = raw_block(&F, BT_IDB, 16, 4, 16);
    expect_damage(&F, 2, at + 16,
                  WHY("interface description block at byte %zu: 4 bytes of body, less than its "
                      "8-byte header",
                      at));
    static const struct {
        uint8_t opt[12];
        const char *reason;
    } opts[] = {
        {{9, 0, 1, 0, 20, 0, 0, 0}, "if_tsresol 10^-20 is finer than 64 bits can count"},
        {{9, 0, 1, 0, 0x80 | 64, 0, 0, 0}, "if_tsresol 2^-64 is finer than 64 bits can count"},
        {{9, 0, 2, 0, 6, 6, 0, 0}, "if_tsresol of 2 bytes (it has 1)"},
        {{14, 0, 4, 0, 1, 2, 3, 4}, "if_tsoffset of 4 bytes (it has 8)"},
        {{2, 0, 9, 0, 'e', 't', 'h', '0'}, "option 2 (9 bytes) runs past the block"},
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        base(&F);
        at = F.m.len;
        img_put32(&F.m, BT_IDB);
        img_put32(&F.m, 28);
        img_put16(&F.m, LT_NULL);
        img_put16(&F.m, 0);
        img_put32(&F.m, 0);
        img_put(&F.m, opts[i].opt, 8);
        img_put32(&F.m, 28);
        expect_damage(&F, 2, at + 28,
                      WHY("interface description block at byte %zu: %s", at, opts[i].reason));
    }
    /* too many interfaces in one section */
    base(&F);
    ng_shb(&F, false);
    for (unsigned i = 0; i < CAP_PCAPNG_MAX_IFACES; i++)
        raw_block(&F, BT_IDB, 20, 8, 20);
    at = raw_block(&F, BT_IDB, 20, 8, 20);
    expect_damage(&F, 2, at + 20,
                  WHY("interface description block at byte %zu: more than 65536 interfaces in "
                      "one section",
                      at));
}

/* ------------------------------------------------------------------------------------------ */
/* Link types without a decoder, files that stay on libpcap                                    */

static void test_unsupported_interfaces(void **state)
{
    char err[700], want_msg[900];
    cap_frame fr;
    (void)state;
    /* Ethernet and USB: the USB packets are skipped */
    ng_reset(&F);
    ng_shb(&F, false);
    ng_idb(&F, LT_USB);
    ng_idb(&F, LT_ETHER);
    for (unsigned i = 0; i < 6; i++)
        epb_tcp(&F, i % 2, i % 2 ? LT_ETHER : LT_USB, 80, 0, i);
    for (unsigned i = 0; i < 6; i += 2)
        F.w[i].dport = 0; /* USB: no decoder */
    read_all(&F, NULL, 0);
    cap_source *s = open_ok();
    assert_int_equal(cap_source_linktype(s), 220);
    assert_string_equal(cap_source_linktype_name(s), "USB_LINUX_MMAPPED");
    assert_true(cap_source_link_supported(s));
    assert_int_equal(cap_source_check_link(s, err, sizeof err), CAP_OK);
    cap_replay_opts ro;
    cap_replay_opts_default(&ro);
    static cap_replay r;
    assert_int_equal(cap_replay_init(&r, &ro, (trace_sink){NULL, NULL}, NULL, NULL), 0);
    while (cap_source_next(s, &fr, err, sizeof err) == CAP_NEXT_PACKET)
        cap_replay_frame(&r, fr.linktype, &fr);
    cap_replay_finish(&r);
    assert_int_equal(r.stats.packets, 6);
    assert_int_equal(r.stats.tcp, 3);
    assert_int_equal(r.stats.skipped[CAP_SKIP_UNSUPPORTED_LINK], 3);
    assert_int_equal(cap_stats_skipped(&r.stats), 3);
    cap_replay_free(&r);
    cap_source_close(s);

    /* a filter libpcap cannot compile for a link type it does not know: its packets fail it */
    ng_reset(&F);
    ng_shb(&F, false);
    ng_idb(&F, LT_ETHER);
    ng_idb(&F, LT_UNKNOWN);
    for (unsigned i = 0; i < 6; i++)
        epb_tcp(&F, i % 2, i % 2 ? LT_UNKNOWN : LT_ETHER, 80, 0, i);
    for (unsigned i = 1; i < 6; i += 2)
        F.w[i].dport = 0;
    read_all(&F, NULL, 0);
    read_all(&F, "tcp dst port 80", 80); /* the Ethernet packets only */
    s = open_ok();
    assert_int_equal(cap_source_set_filter(s, "tcp port", err, sizeof err), CAP_ERR_FILTER);
    assert_string_equal(err, "bad filter expression 'tcp port': can't parse filter expression: "
                             "syntax error");
    cap_source_close(s);

    /* no interface has a decoder */
    ng_reset(&F);
    ng_shb(&F, false);
    ng_idb(&F, LT_USB);
    ng_idb(&F, LT_UNKNOWN);
    ng_idb(&F, LT_USB);
    epb_tcp(&F, 1, LT_UNKNOWN, 80, 0, 1);
    write_img(cap_path(), &F.m);
    s = open_ok();
    assert_true(cap_source_mixed_links(s));
    assert_false(cap_source_link_supported(s));
    assert_int_equal(cap_source_check_link(s, err, sizeof err), CAP_ERR_LINK);
    snprintf(want_msg, sizeof want_msg,
             "%s: unsupported link types USB_LINUX_MMAPPED (220, USB with padded Linux header), "
             "DLT_5000 (5000)",
             cap_path());
    assert_string_equal(err, want_msg);
    /* a filter that compiles for none of them is refused; one that compiles for USB rejects
     * the packets of DLT_5000 */
    assert_int_equal(cap_source_set_filter(s, "tcp port", err, sizeof err), CAP_ERR_FILTER);
    assert_string_equal(err, "bad filter expression 'tcp port': can't parse filter expression: "
                             "syntax error");
    assert_int_equal(cap_source_set_filter(s, "len > 0", err, sizeof err), CAP_OK);
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_NEXT_EOF);
    assert_int_equal(cap_source_count(s), 0);
    cap_source_close(s);
}

static void test_stays_on_libpcap(void **state)
{
    char err[700];
    cap_frame fr;
    (void)state;
    /* two interfaces and two sections of one link type */
    ng_reset(&F);
    ng_shb(&F, false);
    ng_idb(&F, LT_ETHER);
    ng_idb(&F, LT_ETHER);
    epb_tcp(&F, 1, LT_ETHER, 80, 0, 1);
    ng_shb(&F, false);
    ng_idb(&F, LT_ETHER);
    epb_tcp(&F, 0, LT_ETHER, 81, 0, 2);
    write_img(cap_path(), &F.m);
    cap_source *s = open_ok();
    assert_false(cap_source_mixed_links(s));
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_NEXT_PACKET);
        check_frame(&F, &fr, &F.w[i], i + 1);
    }
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_NEXT_EOF);
    cap_source_close(s);

    /* damage before the second link type: the scan stops there, libpcap reads the file */
    base(&F);
    raw_block(&F, 0x12345678, 30, 18, 30);
    ng_idb(&F, LT_NULL);
    write_img(cap_path(), &F.m);
    s = open_ok();
    assert_true(cap_source_mixed_links(s)); /* the raw interface came before the damage */
    cap_source_close(s);
    ng_reset(&F);
    ng_shb(&F, false);
    ng_idb(&F, LT_ETHER);
    epb_tcp(&F, 0, LT_ETHER, 80, 0, 1);
    raw_block(&F, 0x12345678, 30, 18, 30);
    ng_idb(&F, LT_NULL);
    write_img(cap_path(), &F.m);
    s = open_ok();
    assert_false(cap_source_mixed_links(s));
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_NEXT_PACKET);
    assert_int_equal(cap_source_next(s, &fr, err, sizeof err), CAP_ERR_READ);
    cap_source_close(s);

    /* standard input stays on libpcap (documented): 1.10 stops at the second link type */
    build_three(&F);
    write_img(cap_path(), &F.m);
    int saved = dup(0), fd = open(cap_path(), O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, 0), 0);
    close(fd);
    s = NULL;
    int rc = cap_source_open_file(&s, "-", err, sizeof err), last = 0;
    uint64_t n = 0;
    bool mixed = true;
    if (rc == CAP_OK) {
        mixed = cap_source_mixed_links(s);
        while ((last = cap_source_next(s, &fr, err, sizeof err)) == CAP_NEXT_PACKET)
            n++;
        cap_source_close(s);
    }
    dup2(saved, 0);
    close(saved);
    clearerr(stdin);
    assert_int_equal(rc, CAP_OK);
    assert_false(mixed);
    if (last == CAP_ERR_READ) /* libpcap 1.10 */
        assert_non_null(strstr(err, "different from the type of the first interface"));
    else /* a libpcap that reads such files */
        assert_int_equal(n, F.nw);
}

/* Sections in both byte orders, all of one link type: libpcap 1.10 fails on the second section
 * ("pcapng block size ... > maximum"), so such a file is read by cap_pcapng too. */
static void test_byte_order_change(void **state)
{
    (void)state;
    ng_reset(&F);
    ng_shb(&F, false);
    ng_idb(&F, LT_ETHER);
    epb_tcp(&F, 0, LT_ETHER, 80, 10, 1700000000000000u);
    ng_shb(&F, true);
    ng_idb(&F, LT_ETHER);
    epb_tcp(&F, 0, LT_ETHER, 81, 20, 1700000000001000u);
    ng_shb(&F, false);
    ng_idb(&F, LT_ETHER);
    epb_tcp(&F, 0, LT_ETHER, 80, 0, 1700000000002000u);
    read_all(&F, NULL, 0);
    read_all(&F, "tcp port 81", 81);
}

/* ------------------------------------------------------------------------------------------ */
/* The tcpsim binary                                                                           */

static void test_tcpsim_replays_mixed_file(void **state)
{
    (void)state;
    ng_reset(&F);
    ng_shb(&F, false);
    ng_idb(&F, LT_ETHER);
    ng_idb(&F, LT_RAW);
    ng_idb(&F, LT_NULL);
    ng_idb(&F, LT_SLL);
    /* one connection per interface: handshake, 100 bytes, their ACK; the last one's client
     * on SLL, its server seen on Ethernet */
    static const uint32_t lts[4] = {LT_ETHER, LT_RAW, LT_NULL, LT_SLL};
    uint64_t t = 1700000000000000u;
    for (unsigned c = 0; c < 4; c++) {
        uint16_t port = (uint16_t)(41000 + c);
        unsigned srv = c == 3 ? 0 : c;
        const struct {
            unsigned ifid;
            bool rev;
            uint8_t flags;
            uint32_t seq, ack;
            size_t len;
        } seg[] = {{c, false, 0x02, 1000, 0, 0},
                   {srv, true, 0x12, 5000, 1001, 0},
                   {c, false, 0x10, 1001, 5001, 0},
                   {c, false, 0x18, 1001, 5001, 100},
                   {srv, true, 0x10, 5001, 1101, 0}};
        for (size_t i = 0; i < sizeof seg / sizeof seg[0]; i++) {
            uint32_t lt = lts[seg[i].ifid];
            const pb *b =
                seg[i].rev
                    ? frame(lt, 80, port, seg[i].flags, seg[i].seq, seg[i].ack, seg[i].len, true)
                    : frame(lt, port, 80, seg[i].flags, seg[i].seq, seg[i].ack, seg[i].len, false);
            t += 1000;
            ng_epb(&F, seg[i].ifid, t, b->buf, (uint32_t)b->len, (uint32_t)b->len, t, 0);
        }
    }
    const char *file = hpath("mixed.pcapng");
    write_img(file, &F.m);
    run_result r = RUN("--pcap", file, "--summary", "--json");
    if (r.status != 0)
        fail_msg("tcpsim exited with %d: %s", r.status, r.err);
    assert_string_equal(r.err, "");
    const char *line = capture_line(&r);
    assert_int_equal(json_u64(line, "packets"), F.nw);
    assert_int_equal(json_u64(line, "tcp"), F.nw);
    assert_int_equal(json_u64(line, "connections"), 4);
    expect_skipped(line, "{}");
    run_free(&r);

    /* with a filter: one connection's packets */
    r = RUN("--pcap", file, "--summary", "--json", "-f", "tcp port 41002");
    assert_int_equal(r.status, 0);
    line = capture_line(&r);
    assert_int_equal(json_u64(line, "packets"), 5);
    assert_int_equal(json_u64(line, "connections"), 1);
    run_free(&r);

    /* cut inside the last block: the packets before it, then the message, exit 2 */
    img cut = F.m;
    cut.len -= 10;
    write_img(file, &cut);
    r = RUN("--pcap", file, "--summary", "--json");
    char want_msg[700];
    snprintf(want_msg, sizeof want_msg,
             "tcpsim: %s: cannot read packet %zu (reading stopped at byte %zu): enhanced packet "
             "block at byte ",
             file, F.nw, cut.len);
    expect_fail(&r, 2, want_msg, "the file ends after");
    assert_int_equal(json_u64(capture_line(&r), "packets"), F.nw - 1);
    run_free(&r);
}

static int teardown_all(void **state)
{
    ng_reset(&F);
    return hostile_teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_link_types),
        cmocka_unit_test(test_sections_and_timestamps),
        cmocka_unit_test(test_spb_pb_and_other_blocks),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_bad_lengths),
        cmocka_unit_test(test_bad_packets),
        cmocka_unit_test(test_packet_before_idb),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_unsupported_interfaces),
        cmocka_unit_test(test_stays_on_libpcap),
        cmocka_unit_test(test_byte_order_change),
        cmocka_unit_test(test_tcpsim_replays_mixed_file),
    };
    return cmocka_run_group_tests(tests, hostile_setup, teardown_all);
}
