/*
 * test_replay_crafted.c - crafted captures (tests/capture/pkt_build.c writes every byte: Ethernet,
 * IPv4 with its identification, TCP with options and checksums) written as pcap files and
 * replayed through the whole path (cap_source, decode, connection table, the two observer
 * endpoints), with the tags of every packet asserted packet by packet: a reordered original is
 * out-of-order and not a retransmission (issue 10 finding 3); equal IPv4 identifications on
 * atomic datagrams (RFC 6864) do not make a retransmission 300 ms later a duplicate frame, a copy
 * of the same bytes 20 us later is one, and two ACKs that differ only in their SACK blocks are two
 * ACKs (finding 4); a SYN captured after the SYN,ACK that answers it is no retransmission.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cap_conn.h"
#include "cap_replay.h"
#include "cap_source.h"
#include "pkt_build.h"
#include "tcp.h"

#define CISN 100000u
#define SISN 900000u
#define MAXP 32

/* ---- writing the capture ------------------------------------------------------------------ */

static FILE *out;
static char path[256];

static void le32(uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    fwrite(b, 1, 4, out);
}

static void cap_open(void)
{
    snprintf(path, sizeof path, "/tmp/tcpsim-crafted-%d.pcap", (int)getpid());
    out = fopen(path, "wb");
    assert_non_null(out);
    le32(0xa1b2c3d4u);
    le32(2u | 4u << 16); /* version 2.4 */
    le32(0);
    le32(0);
    le32(65535);
    le32(1); /* Ethernet */
}

static void ip_csum(pb *b, size_t ip)
{
    uint32_t s = 0;
    b->buf[ip + 10] = b->buf[ip + 11] = 0;
    for (size_t i = 0; i < 20; i += 2)
        s += (uint32_t)b->buf[ip + i] << 8 | b->buf[ip + i + 1];
    while (s > 0xffff)
        s = (s & 0xffff) + (s >> 16);
    pb_put_be16(b, ip + 10, ~s & 0xffffu);
}

/* One segment: from the client (10.0.0.1:40000) or the server (10.0.0.2:80), with IPv4 ID
 * `ip_id`, optional SACK blocks (pairs of sequence numbers), captured at t us. */
static void seg(bool from_client, uint64_t t, uint16_t ip_id, uint32_t seq, uint32_t ack,
                uint8_t flags, size_t len, const uint32_t *sack, unsigned nsack)
{
    static pb b;
    uint8_t opts[40];
    size_t ol = 0;
    if (nsack > 0) {
        opts[ol++] = 1;
        opts[ol++] = 1;
        opts[ol++] = 5;
        opts[ol++] = (uint8_t)(2 + 8 * nsack);
        for (unsigned k = 0; k < 2 * nsack; k++)
            for (int i = 3; i >= 0; i--)
                opts[ol++] = (uint8_t)(sack[k] >> (8 * i));
    }
    if (flags & TCP_SYN) { /* MSS 1000, SACK permitted */
        const uint8_t syn[8] = {2, 4, 0x03, 0xe8, 4, 2, 1, 1};
        memcpy(opts, syn, sizeof syn);
        ol = sizeof syn;
    }
    tcp_spec s = tcp_default();
    s.sport = from_client ? 40000 : 80;
    s.dport = from_client ? 80 : 40000;
    s.seq = seq;
    s.ack = ack;
    s.flags = flags;
    s.win = 60000;
    s.opts = opts;
    s.optlen = ol;
    s.paylen = len;
    pb_reset(&b);
    pb_eth(&b, 0x0800);
    size_t ip = pb_ipv4_tcp(&b, &s, NULL, 0);
    pb_put_be16(&b, ip + 4, ip_id);
    if (!from_client) /* the pseudo-header sum does not change when the addresses swap */
        for (size_t i = 0; i < 4; i++) {
            uint8_t x = b.buf[ip + 12 + i];
            b.buf[ip + 12 + i] = b.buf[ip + 16 + i];
            b.buf[ip + 16 + i] = x;
        }
    ip_csum(&b, ip);
    le32((uint32_t)(t / 1000000u) + 1700000000u);
    le32((uint32_t)(t % 1000000u));
    le32((uint32_t)b.len);
    le32((uint32_t)b.len);
    fwrite(b.buf, 1, b.len, out);
}

/* The handshake at 0, 100 and 200 us (the capture at the client, no delay). */
static void handshake(void)
{
    seg(true, 0, 1, CISN, 0, TCP_SYN, 0, NULL, 0);
    seg(false, 100, 1, SISN, CISN + 1, TCP_SYN | TCP_ACK, 0, NULL, 0);
    seg(true, 200, 2, CISN + 1, SISN + 1, TCP_ACK, 0, NULL, 0);
}

/* ---- replaying it ------------------------------------------------------------------------- */

typedef struct result {
    uint32_t tags[MAXP + 1]; /* send tags by packet number */
    unsigned lost, corrections;
    const cap_conn *c;
    uint64_t retrans[2], ooo[2], unique[2], dups[2], dup_acks[2];
    unsigned events, conn_records;
    int first_kind;   /* the kind of the first event */
    uint32_t conn_id; /* the conn record's connection and text */
    char conn_text[96];
} result;

static void on_event(void *ctx, const trace_event *ev)
{
    result *r = ctx;
    if (r->events++ == 0)
        r->first_kind = (int)ev->kind;
    if (ev->kind == TRACE_CONN) {
        r->conn_records++;
        r->conn_id = ev->conn;
        snprintf(r->conn_text, sizeof r->conn_text, "%s", ev->text);
    }
    if (ev->kind == TRACE_SEND && ev->id <= MAXP)
        r->tags[ev->id] = ev->seg.tags;
    if (ev->kind == TRACE_DROP)
        r->lost++;
    if (ev->kind == TRACE_STATE && ev->u.state.correction)
        r->corrections++;
}

static void on_conn(void *ctx, const cap_conn *c)
{
    result *r = ctx;
    for (int i = 0; i < 2; i++) {
        r->retrans[i] = c->d[i].retrans;
        r->ooo[i] = c->d[i].out_of_order;
        r->unique[i] = c->d[i].unique_bytes;
        r->dups[i] = c->d[i].duplicates;
        r->dup_acks[i] = c->d[i].dup_acks;
    }
}

static void replay(result *r)
{
    assert_int_equal(fclose(out), 0);
    memset(r, 0, sizeof *r);
    char err[512];
    cap_source *src = NULL;
    if (cap_source_open_file(&src, path, err, sizeof err) < 0)
        fail_msg("%s", err);
    static cap_replay rp;
    cap_replay_opts o;
    cap_replay_opts_default(&o);
    assert_int_equal(cap_replay_init(&rp, &o, (trace_sink){on_event, r}, on_conn, r), 0);
    cap_frame f;
    while (cap_source_next(src, &f, err, sizeof err) == CAP_NEXT_PACKET)
        cap_replay_frame(&rp, f.linktype, &f);
    cap_replay_finish(&rp);
    assert_int_equal(rp.stats.packets, rp.stats.packets); /* every frame decoded below */
    cap_replay_free(&rp);
    cap_source_close(src);
    unlink(path);
}

#define RETX (TCP_TAG_RETRANSMISSION | TCP_TAG_FAST_RETRANSMISSION)

/* Finding 3: segment 2 is captured before segment 1, 20 us apart, with a higher IPv4 ID: segment
 * 1 was sent first and overtaken.  It fills the hole, is out-of-order, its bytes are new. */
static void test_reordered_original(void **state)
{
    (void)state;
    cap_open();
    handshake();
    seg(true, 1000, 11, CISN + 1001, SISN + 1, TCP_ACK, 1000, NULL, 0); /* 4: segment 2 */
    seg(true, 1020, 10, CISN + 1, SISN + 1, TCP_ACK, 1000, NULL, 0);    /* 5: segment 1 */
    seg(false, 1100, 2, SISN + 1, CISN + 2001, TCP_ACK, 0, NULL, 0);    /* 6 */
    result r;
    replay(&r);
    assert_true(r.tags[4] & TCP_TAG_PREV_NOT_SEEN);
    assert_true(r.tags[5] & TCP_TAG_OUT_OF_ORDER);
    assert_false(r.tags[5] & RETX);
    assert_int_equal(r.tags[6], 0);
    assert_int_equal(r.retrans[0], 0);
    assert_int_equal(r.ooo[0], 1);
    assert_int_equal(r.unique[0], 2000);
    assert_int_equal(r.lost, 0);
}

/* The same order with the IPv4 ID rising (segment 1 sent after segment 2): a retransmission of
 * what the capture never saw leave, not a reordering. */
static void test_late_segment_with_newer_id_is_retransmission(void **state)
{
    (void)state;
    cap_open();
    handshake();
    seg(true, 1000, 10, CISN + 1001, SISN + 1, TCP_ACK, 1000, NULL, 0); /* 4 */
    seg(true, 1020, 11, CISN + 1, SISN + 1, TCP_ACK, 1000, NULL, 0);    /* 5 */
    result r;
    replay(&r);
    assert_false(r.tags[5] & TCP_TAG_OUT_OF_ORDER);
    assert_true(r.tags[5] & RETX);
    assert_int_equal(r.retrans[0], 1);
    assert_int_equal(r.unique[0], 2000); /* its bytes were never seen before all the same */
}

/* Finding 4: atomic datagrams may all carry IPv4 ID 0 (RFC 6864).  The same bytes 300 ms later
 * are a retransmission (the sender's timer), the same bytes 20 us later a duplicate frame. */
static void test_repeated_ip_ids(void **state)
{
    (void)state;
    cap_open();
    seg(true, 0, 0, CISN, 0, TCP_SYN, 0, NULL, 0);
    seg(false, 100, 0, SISN, CISN + 1, TCP_SYN | TCP_ACK, 0, NULL, 0);
    seg(true, 200, 0, CISN + 1, SISN + 1, TCP_ACK, 0, NULL, 0);
    seg(true, 1000, 0, CISN + 1, SISN + 1, TCP_ACK | TCP_PSH, 500, NULL, 0);   /* 4 */
    seg(true, 1020, 0, CISN + 1, SISN + 1, TCP_ACK | TCP_PSH, 500, NULL, 0);   /* 5: copy */
    seg(true, 301000, 0, CISN + 1, SISN + 1, TCP_ACK | TCP_PSH, 500, NULL, 0); /* 6: timer */
    seg(false, 301100, 0, SISN + 1, CISN + 501, TCP_ACK, 0, NULL, 0);          /* 7 */
    result r;
    replay(&r);
    assert_int_equal(r.tags[4], 0);
    assert_int_equal(r.tags[5], TCP_TAG_DUPLICATE);
    assert_true(r.tags[6] & TCP_TAG_RETRANSMISSION);
    assert_false(r.tags[6] & TCP_TAG_DUPLICATE);
    assert_int_equal(r.dups[0], 1);
    assert_int_equal(r.retrans[0], 1);
    assert_int_equal(r.unique[0], 500);
    assert_int_equal(r.lost, 1); /* the first copy did not arrive (nothing acknowledged it) */
}

/* Finding 4: two ACKs from the receiver with the same IPv4 ID, sequence, ACK, window and flags,
 * 20 us apart, but different SACK blocks: two ACKs, not one frame captured twice.  Both are
 * duplicate ACKs (RFC 5681 section 2: the ACK number of the SYN,ACK again, the same window), and
 * their SACK blocks above the ACK are the evidence of a gap a duplicate ACK needs. */
static void test_acks_differing_in_sack_blocks(void **state)
{
    (void)state;
    cap_open();
    handshake();
    for (unsigned k = 0; k < 4; k++)
        seg(true, 1000 + 10 * k, (uint16_t)(10 + k), CISN + 1 + 1000 * k, SISN + 1, TCP_ACK, 1000,
            NULL, 0); /* 4..7: segment 1 (packet 4) is lost after the capture */
    const uint32_t b1[2] = {CISN + 1001, CISN + 2001}, b2[2] = {CISN + 1001, CISN + 3001};
    seg(false, 2000, 7, SISN + 1, CISN + 1, TCP_ACK, 0, b1, 1); /* 8 */
    seg(false, 2020, 7, SISN + 1, CISN + 1, TCP_ACK, 0, b2, 1); /* 9 */
    result r;
    replay(&r);
    assert_false(r.tags[8] & TCP_TAG_DUPLICATE);
    assert_false(r.tags[9] & TCP_TAG_DUPLICATE);
    assert_true(r.tags[8] & TCP_TAG_DUP_ACK);
    assert_true(r.tags[9] & TCP_TAG_DUP_ACK);
    assert_int_equal(r.dups[1], 0);
    assert_int_equal(r.dup_acks[1], 2);
}

/* The SYN,ACK captured before the SYN it answers (the SYN overtaken on its way to the capture
 * point): the SYN is out-of-order, no retransmission, and the client's path has no correction. */
static void test_synack_before_syn(void **state)
{
    (void)state;
    cap_open();
    seg(false, 0, 1, SISN, CISN + 1, TCP_SYN | TCP_ACK, 0, NULL, 0); /* 1 */
    seg(true, 260, 1, CISN, 0, TCP_SYN, 0, NULL, 0);                 /* 2 */
    seg(true, 294, 2, CISN + 1, SISN + 1, TCP_ACK, 0, NULL, 0);      /* 3 */
    result r;
    replay(&r);
    assert_int_equal(r.tags[2], TCP_TAG_OUT_OF_ORDER);
    assert_int_equal(r.retrans[0], 0);
    assert_int_equal(r.corrections, 0);
    /* the connection's first event is its conn record (as a simulated connection's), which
     * names the client although the server's packet came first */
    assert_int_equal(r.first_kind, TRACE_CONN);
    assert_int_equal(r.conn_records, 1);
    assert_int_equal(r.conn_id, 1);
    assert_string_equal(r.conn_text, "10.0.0.1:40000 10.0.0.2:80");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reordered_original),
        cmocka_unit_test(test_late_segment_with_newer_id_is_retransmission),
        cmocka_unit_test(test_repeated_ip_ids),
        cmocka_unit_test(test_acks_differing_in_sack_blocks),
        cmocka_unit_test(test_synack_before_syn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
