/*
 * test_cap_conn.c - the analysis beside the observer endpoints of one captured connection
 * (capture/cap_conn.c), driven with hand-made packets: a loss deep inside a large window is found
 * (the ring of segments in flight grows), a receiver's D-SACK (RFC 2883) takes back a loss that
 * was inferred, a D-SACK of other data does not, and the grown rings of all connections together
 * stay within their budget and are given back when connections are freed.
 */
#include "cap_test.h"

#include <stdio.h>
#include <stdlib.h>

#include "cap_conn.h"
#include "tcp.h"

#define CISN 1000u
#define SISN 5000u
#define MSS  1000u

typedef struct seen {
    unsigned lost, unlost;
    uint64_t lost_id, unlost_id;
    uint32_t lost_seq, unlost_seq, unlost_len;
} seen;

static void on_lost(void *ctx, int dir, uint64_t id, const tcp_seg *seg, uint64_t t)
{
    seen *s = ctx;
    (void)dir;
    (void)t;
    s->lost++;
    s->lost_id = id;
    s->lost_seq = seg->seq;
}

static void on_unlost(void *ctx, int dir, uint64_t id, const tcp_seg *seg, uint64_t t)
{
    seen *s = ctx;
    assert_int_equal(dir, TRACE_CLIENT);
    (void)t;
    s->unlost++;
    s->unlost_id = id;
    s->unlost_seq = seg->seq;
    s->unlost_len = seg->len;
}

typedef struct conn_run {
    cap_conn *c;
    cap_emit emit;
    seen s;
    uint64_t id, t;
    uint16_t ip_id[2];
    uint16_t cport;
    uint32_t last_tags;
} conn_run;

/* The decoder's digest of the TCP bytes, stood in for by one of the fields that make them. */
static cap_packet digest(cap_packet p)
{
    const tcp_seg *g = &p.seg;
    uint64_t h = 1469598103934665603ull;
    uint32_t v[] = {g->seq,          g->ack,           g->len,   g->win_raw,      g->flags,
                    g->tsval,        g->tsecr,         g->nsack, g->sack[0].left, g->sack[0].right,
                    g->sack[1].left, g->sack[1].right, p.sport,  p.dport};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        h = (h ^ v[i]) * 1099511628211ull;
    p.tcp_digest = h;
    return p;
}

static cap_packet packet(conn_run *r, int from_client, uint32_t seq, uint32_t ack, uint8_t flags,
                         uint32_t len)
{
    cap_packet p;
    memset(&p, 0, sizeof p);
    p.ip_version = 4;
    p.ip_id = r->ip_id[from_client ? 0 : 1]++;
    p.src.family = p.dst.family = CAP_FAMILY_IPV4;
    p.src.bytes[0] = p.dst.bytes[0] = 10;
    p.src.bytes[3] = from_client ? 1 : 2;
    p.dst.bytes[3] = from_client ? 2 : 1;
    p.sport = from_client ? r->cport : 80;
    p.dport = from_client ? 80 : r->cport;
    p.has_tcp = true;
    p.seg.seq = seq;
    p.seg.ack = ack;
    p.seg.flags = flags;
    p.seg.len = len;
    p.seg.win_raw = 65535;
    p.seg.win = 65535;
    if (flags & TCP_SYN) {
        p.seg.has_mss = true;
        p.seg.mss = MSS;
        p.seg.sack_perm = true;
    }
    return digest(p);
}

/* State events of both endpoints, as the replay reports them. */
#define MAX_STATES 64
typedef struct states {
    unsigned n;
    struct {
        uint8_t ep, from, to;
        bool correction;
        uint64_t t;
    } e[MAX_STATES];
} states;
static states g_states;

static void on_event(void *ctx, const trace_event *ev)
{
    states *st = ctx;
    if (ev->kind != TRACE_STATE || st->n == MAX_STATES)
        return;
    st->e[st->n].ep = ev->ep;
    st->e[st->n].from = ev->u.state.from;
    st->e[st->n].to = ev->u.state.to;
    st->e[st->n].correction = ev->u.state.correction;
    st->e[st->n].t = ev->t;
    st->n++;
}

/* The time of the (first) event of endpoint ep entering `to` from `from`, or UINT64_MAX. */
static uint64_t state_time(int ep, tcp_state from, tcp_state to)
{
    for (unsigned k = 0; k < g_states.n; k++)
        if (g_states.e[k].ep == ep && g_states.e[k].from == from && g_states.e[k].to == to)
            return g_states.e[k].t;
    return UINT64_MAX;
}

/* Runs a packet captured at time t; returns its packet number. */
static uint64_t put_at(conn_run *r, const cap_packet *p, uint64_t t)
{
    r->t = t;
    r->id++;
    if (r->c == NULL) {
        r->c = calloc(1, sizeof *r->c);
        assert_non_null(r->c);
        memset(&g_states, 0, sizeof g_states);
        cap_conn_init(r->c, 1, p, r->t, (trace_sink){on_event, &g_states});
    }
    r->last_tags = cap_conn_packet(r->c, p, r->t, r->id, &r->emit);
    return r->id;
}

/* Runs a packet 100 us after the previous one; returns its packet number. */
static uint64_t put(conn_run *r, const cap_packet *p)
{
    return put_at(r, p, r->t + 100);
}

/* The inferred state path of endpoint ep, as "A>B>C". */
static const char *path(const conn_run *r, int ep)
{
    static char buf[2][512];
    char *b = buf[ep];
    size_t u = 0;
    b[0] = '\0';
    for (unsigned i = 0; i < r->c->ep[ep].obs_n; i++)
        u += (size_t)snprintf(b + u, sizeof buf[ep] - u, "%s%s", i ? ">" : "",
                              tcp_state_name((tcp_state)r->c->ep[ep].obs_path[i]));
    return b;
}

static void start(conn_run *r, uint16_t cport)
{
    memset(r, 0, sizeof *r);
    r->cport = cport;
    r->emit = (cap_emit){NULL, on_lost, NULL, on_unlost, &r->s};
    cap_packet p = packet(r, 1, CISN, 0, TCP_SYN, 0);
    put(r, &p);
    p = packet(r, 0, SISN, CISN + 1, TCP_SYN | TCP_ACK, 0);
    put(r, &p);
    p = packet(r, 1, CISN + 1, SISN + 1, TCP_ACK, 0);
    put(r, &p);
}

static void finish(conn_run *r)
{
    cap_conn_free(r->c);
    free(r->c);
    r->c = NULL;
}

/* Client data segment k (from 0), MSS bytes each. */
static uint64_t data(conn_run *r, unsigned k)
{
    cap_packet p = packet(r, 1, CISN + 1 + k * MSS, SISN + 1, TCP_ACK, MSS);
    return put(r, &p);
}

/* Server ACK of the first k segments, with one SACK block [left, right) of segment numbers
 * (none when left == right), or a D-SACK of segment d (d >= 0) as the first block. */
static void ack(conn_run *r, unsigned k, unsigned left, unsigned right, int d)
{
    cap_packet p = packet(r, 0, SISN + 1, CISN + 1 + k * MSS, TCP_ACK, 0);
    if (d >= 0) {
        p.seg.sack[p.seg.nsack].left = CISN + 1 + (uint32_t)d * MSS;
        p.seg.sack[p.seg.nsack++].right = CISN + 1 + (uint32_t)(d + 1) * MSS;
    }
    if (left != right) {
        p.seg.sack[p.seg.nsack].left = CISN + 1 + left * MSS;
        p.seg.sack[p.seg.nsack++].right = CISN + 1 + right * MSS;
    }
    put(r, &p);
}

static void test_loss_deep_in_a_large_window(void **state)
{
    conn_run r;
    uint64_t id50 = 0;
    (void)state;
    start(&r, 40001);
    for (unsigned k = 0; k < 100; k++) {
        uint64_t id = data(&r, k);
        if (k == 50)
            id50 = id;
    }
    ack(&r, 50, 51, 100, -1); /* segment 50 missing, the rest SACKed */
    assert_int_equal(r.s.lost, 0);
    data(&r, 50); /* its retransmission: the first copy was lost after the capture point */
    assert_int_equal(r.s.lost, 1);
    assert_int_equal(r.s.lost_id, id50);
    assert_int_equal(r.s.lost_seq, CISN + 1 + 50 * MSS);
    assert_int_equal(r.c->d[0].lost, 1);
    assert_int_equal(r.c->d[0].retrans, 1);
    assert_true(cap_conn_ring_entries() >= 100);
    finish(&r);
    assert_int_equal(cap_conn_ring_entries(), 0);
}

static void test_dsack_takes_a_loss_back(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40002);
    data(&r, 0);
    uint64_t id1 = data(&r, 1);
    ack(&r, 1, 0, 0, -1);
    data(&r, 1); /* sent again before any ACK covered it: inferred lost */
    assert_int_equal(r.s.lost, 1);
    assert_int_equal(r.c->d[0].lost, 1);
    ack(&r, 2, 0, 0, 1); /* ACK of both, D-SACK of segment 1: it came twice */
    assert_int_equal(r.s.unlost, 1);
    assert_int_equal(r.s.unlost_id, id1);
    assert_int_equal(r.s.unlost_seq, CISN + 1 + MSS);
    assert_int_equal(r.s.unlost_len, MSS);
    assert_int_equal(r.c->d[0].lost, 0);
    assert_int_equal(r.c->d[0].retrans, 1); /* it was still sent twice */
    ack(&r, 2, 0, 0, 1);                    /* the same D-SACK again takes nothing more back */
    assert_int_equal(r.s.unlost, 1);
    assert_int_equal(r.c->d[0].lost, 0);
    finish(&r);
}

/* RFC 2883's second form: the D-SACK block lies inside the second block (above the ACK). */
static void test_dsack_inside_second_block(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40003);
    for (unsigned k = 0; k < 6; k++)
        data(&r, k);
    ack(&r, 1, 2, 6, -1); /* segment 1 missing */
    data(&r, 3);          /* segment 3 again, though SACKed: its first copy arrived */
    assert_int_equal(r.s.lost, 0);
    data(&r, 1); /* segment 1 again: inferred lost */
    assert_int_equal(r.s.lost, 1);
    ack(&r, 1, 1, 6, 1); /* hypothetical: D-SACK [1,2) inside the block [1,6) */
    assert_int_equal(r.s.unlost, 1);
    assert_int_equal(r.c->d[0].lost, 0);
    finish(&r);
}

static void test_dsack_of_other_data_keeps_the_loss(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40004);
    for (unsigned k = 0; k < 4; k++)
        data(&r, k);
    ack(&r, 2, 3, 4, -1);
    data(&r, 2); /* segment 2 inferred lost */
    assert_int_equal(r.s.lost, 1);
    ack(&r, 4, 0, 0, 0); /* D-SACK of segment 0: another segment came twice */
    assert_int_equal(r.s.unlost, 0);
    assert_int_equal(r.c->d[0].lost, 1);
    ack(&r, 4, 0, 0, -1); /* a SACK block above the ACK is no D-SACK */
    assert_int_equal(r.s.unlost, 0);
    finish(&r);
}

/* 300 connections with 1024 segments in flight each would need 307,200 ring entries; the grown
 * rings stop at CAP_RING_BUDGET, and freeing the connections gives every entry back. */
static void test_grown_rings_stay_in_budget(void **state)
{
    enum { N = 300 };
    static conn_run r[N];
    (void)state;
    for (unsigned i = 0; i < N; i++) {
        start(&r[i], (uint16_t)(41000 + i));
        for (unsigned k = 0; k < CAP_RING_MAX; k++)
            data(&r[i], k);
        assert_true(cap_conn_ring_entries() <= CAP_RING_BUDGET);
    }
    assert_true(cap_conn_ring_entries() > CAP_RING_BUDGET - 2 * CAP_RING_MAX);
    /* a connection that could not grow still finds a loss among its last CAP_RING segments */
    ack(&r[N - 1], CAP_RING_MAX - 2, CAP_RING_MAX - 1, CAP_RING_MAX, -1);
    data(&r[N - 1], CAP_RING_MAX - 2);
    assert_int_equal(r[N - 1].s.lost, 1);
    for (unsigned i = 0; i < N; i++)
        finish(&r[i]);
    assert_int_equal(cap_conn_ring_entries(), 0);
}

/* ---- the sender's SACK scoreboard (RFC 6675 IsLost) ---------------------------------------- */

/* One ACK that SACKs three segments above a hole: no duplicate ACK at all (it moves the
 * cumulative ACK), but RFC 6675's IsLost holds the hole lost (DupThresh SACKed segments above
 * it): its retransmission is a fast one, as Linux counts it (TcpExtTCPFastRetrans). */
static void test_sack_scoreboard_fast_retransmission(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40011);
    for (unsigned k = 0; k < 6; k++)
        data(&r, k);
    ack(&r, 1, 2, 5, -1); /* segment 1 missing; 2, 3 and 4 SACKed */
    data(&r, 1);
    assert_true(r.last_tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_int_equal(r.c->d[0].fast_retrans, 1);
    assert_int_equal(r.s.lost, 1);
    assert_int_equal(tcp_obs_sb_count(), 1); /* the client's: only it sent data */
    finish(&r);
    assert_int_equal(tcp_obs_sb_count(), 0);
}

/* Two SACKed segments above the hole are not enough (DupThresh 3, and 2 x 1000 bytes is not more
 * than (DupThresh - 1) * SMSS): the retransmission is not a fast one. */
static void test_sack_scoreboard_below_dupthresh(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40012);
    for (unsigned k = 0; k < 6; k++)
        data(&r, k);
    ack(&r, 1, 2, 4, -1); /* segments 2 and 3 SACKed */
    data(&r, 1);
    assert_true(tcp_obs_is_retransmission(r.last_tags));
    assert_false(r.last_tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_int_equal(r.c->d[0].fast_retrans, 0);
    finish(&r);
}

/* A segment the receiver SACKed, sent again, was not lost: nothing is reported; the hole's
 * segment is. */
static void test_sacked_segment_not_reported_lost(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40013);
    for (unsigned k = 0; k < 6; k++)
        data(&r, k);
    ack(&r, 1, 2, 6, -1);
    data(&r, 3); /* SACKed: its first copy arrived */
    assert_int_equal(r.s.lost, 0);
    assert_int_equal(r.c->d[0].lost, 0);
    data(&r, 1);
    assert_int_equal(r.s.lost, 1);
    assert_int_equal(r.s.lost_seq, CISN + 1 + MSS);
    finish(&r);
}

/* ---- finding 1: far-end arrivals at their estimated time, and never lost ------------------- */

#define MS 1000u

/* A capture near the client of a path with a 50 ms one-way delay: the SYN at 0, the SYN,ACK a
 * round trip later, the client's ACK at once. */
static void start_near_client(conn_run *r, uint16_t cport)
{
    memset(r, 0, sizeof *r);
    r->cport = cport;
    r->emit = (cap_emit){NULL, on_lost, NULL, on_unlost, &r->s};
    cap_packet p = packet(r, 1, CISN, 0, TCP_SYN, 0);
    put_at(r, &p, 0);
    p = packet(r, 0, SISN, CISN + 1, TCP_SYN | TCP_ACK, 0);
    put_at(r, &p, 100 * MS);
    p = packet(r, 1, CISN + 1, SISN + 1, TCP_ACK, 0);
    put_at(r, &p, 100 * MS + 100);
}

/* After a 5 s pause the server's ESTABLISHED is where the ACK reached it: captured at 100.1 ms,
 * plus the 50 ms one-way delay (it was stamped with the next packet's 5000 ms). */
static void test_far_arrival_at_its_estimated_time(void **state)
{
    conn_run r;
    (void)state;
    start_near_client(&r, 40010);
    uint64_t one_way = 0;
    assert_int_equal(cap_conn_vantage(r.c, &one_way), TRACE_CLIENT);
    assert_int_equal(one_way, 50 * MS);
    cap_packet p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK | TCP_PSH, 100);
    put_at(&r, &p, 5000 * MS);
    uint64_t t = state_time(TRACE_SERVER, TCP_SYN_RECEIVED, TCP_ESTABLISHED);
    assert_true(t != UINT64_MAX);
    assert_true(t >= 150 * MS + 100 - 1000 && t <= 150 * MS + 100 + 1000); /* +-1 ms */
    assert_int_equal(t, 150 * MS + 100);
    /* the server's own data, captured at 5200 ms, left it at 5150 ms */
    p = packet(&r, 0, SISN + 1, CISN + 101, TCP_ACK | TCP_PSH, 100);
    put_at(&r, &p, 5200 * MS);
    finish(&r);
}

/* The far end answers sooner than the handshake's delay (jitter): the client's FIN captured at
 * 1000 ms, the server's ACK of it and its FIN captured 10 ms later (less than the 100 ms a round
 * trip from the capture point would take).  The server's own ACK proves the FIN arrived:
 * CLOSE-WAIT, LAST-ACK, CLOSED (it ended in FIN-WAIT-2, the FIN rejected later as an old
 * duplicate). */
static void test_far_arrival_proven_by_its_ack(void **state)
{
    conn_run r;
    (void)state;
    start_near_client(&r, 40011);
    cap_packet p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK | TCP_FIN, 0);
    put_at(&r, &p, 1000 * MS);
    p = packet(&r, 0, SISN + 1, CISN + 2, TCP_ACK | TCP_FIN, 0);
    put_at(&r, &p, 1010 * MS);
    p = packet(&r, 1, CISN + 2, SISN + 2, TCP_ACK, 0);
    put_at(&r, &p, 1010 * MS + 100);
    cap_conn_flush(r.c, r.t);
    assert_string_equal(path(&r, TRACE_SERVER),
                        "LISTEN>SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT>LAST-ACK>CLOSED");
    assert_string_equal(path(&r, TRACE_CLIENT),
                        "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT");
    /* the FIN arrived no later than the server's FIN,ACK left; the handshake's 50 ms would put
     * that at 1010 - 50 = 960 ms, before the FIN passed the capture point at 1000 ms, so the
     * 10 ms between the two captures are split in two legs: FIN in, FIN,ACK out at 1005 ms */
    assert_int_equal(state_time(TRACE_SERVER, TCP_ESTABLISHED, TCP_CLOSE_WAIT), 1005 * MS);
    assert_int_equal(state_time(TRACE_SERVER, TCP_CLOSE_WAIT, TCP_LAST_ACK), 1005 * MS);
    assert_int_equal(tcp_obs_queued(&r.c->ep[TRACE_SERVER]), 0);
    finish(&r);
}

/* A FIN seen outside the receiver's window (the capture missed data before it), which the
 * receiver's ACK covers: it arrived, CLOSE-WAIT. */
static void test_fin_outside_window_covered_by_ack(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40012);
    /* 70,000 bytes the capture did not hold, then the FIN beyond the 65,535-byte window */
    cap_packet p = packet(&r, 1, CISN + 1 + 70000, SISN + 1, TCP_ACK | TCP_FIN, 0);
    put(&r, &p);
    p = packet(&r, 0, SISN + 1, CISN + 1 + 70001, TCP_ACK, 0);
    put(&r, &p);
    assert_int_equal(r.c->ep[TRACE_SERVER].state, TCP_CLOSE_WAIT);
    assert_string_equal(path(&r, TRACE_SERVER), "LISTEN>SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT");
    finish(&r);
}

/* ---- finding 2: SYN-SENT left when its own ACK proves the SYN,ACK arrived ------------------ */

static void test_syn_sent_left_on_proof(void **state)
{
    conn_run r;
    (void)state;
    memset(&r, 0, sizeof r);
    r.cport = 40013;
    r.emit = (cap_emit){NULL, on_lost, NULL, on_unlost, &r.s};
    cap_packet p = packet(&r, 1, CISN, 0, TCP_SYN, 0);
    put(&r, &p); /* the SYN,ACK is not in the capture */
    p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK, 0);
    put(&r, &p);
    p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK | TCP_PSH, 500);
    put(&r, &p);
    p = packet(&r, 1, CISN + 501, SISN + 1, TCP_ACK | TCP_FIN, 0);
    put(&r, &p);
    assert_int_equal(r.c->ep[TRACE_CLIENT].state, TCP_FIN_WAIT_1);
    assert_string_equal(path(&r, TRACE_CLIENT), "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1");
    assert_int_equal(r.c->d[0].unique_bytes, 500);
    assert_int_equal(r.c->d[0].retrans, 0);
    finish(&r);
}

/* ---- finding 3: a reordered original is out-of-order, not a retransmission ---------------- */

static void test_reordered_original_is_out_of_order(void **state)
{
    conn_run r;
    (void)state;
    for (int newer = 0; newer < 2; newer++) {
        start(&r, (uint16_t)(40020 + newer));
        data(&r, 0);
        r.ip_id[0]++; /* segment 1 gets this ID but is captured after segment 2 */
        uint16_t id1 = (uint16_t)(r.ip_id[0] - 1);
        data(&r, 2);
        assert_true(r.last_tags & TCP_TAG_PREV_NOT_SEEN);
        cap_packet p = packet(&r, 1, CISN + 1 + MSS, SISN + 1, TCP_ACK, MSS);
        p.ip_id = newer ? (uint16_t)(id1 + 5) : id1;
        p = digest(p);
        put_at(&r, &p, r.t + 10);
        if (!newer) {
            /* sent before segment 2 (older ID), filling the hole it opened: out of order */
            assert_int_equal(r.last_tags, TCP_TAG_OUT_OF_ORDER);
            assert_int_equal(r.c->d[0].retrans, 0);
            assert_int_equal(r.c->d[0].out_of_order, 1);
        } else {
            /* a newer ID: sent after segment 2, a retransmission of what the capture missed */
            assert_true(tcp_obs_is_retransmission(r.last_tags));
            assert_int_equal(r.c->d[0].retrans, 1);
        }
        /* either way its bytes are new to the capture, and nothing is missing */
        assert_int_equal(r.c->d[0].unique_bytes, 3 * MSS);
        assert_int_equal(r.c->d[0].missed_bytes, 0);
        finish(&r);
    }
}

/* The same with timestamps instead of IPv4 IDs (IPv6, or IDs all 0). */
static void test_reordered_by_tsval(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40022);
    cap_packet p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK, MSS);
    p.ip_version = 6, p.ip_id = 0, p.seg.has_ts = true, p.seg.tsval = 100;
    put(&r, digest(p).seg.len ? &p : &p);
    p = packet(&r, 1, CISN + 1 + 2 * MSS, SISN + 1, TCP_ACK, MSS);
    p.ip_version = 6, p.ip_id = 0, p.seg.has_ts = true, p.seg.tsval = 102;
    p = digest(p);
    put(&r, &p);
    p = packet(&r, 1, CISN + 1 + MSS, SISN + 1, TCP_ACK, MSS);
    p.ip_version = 6, p.ip_id = 0, p.seg.has_ts = true, p.seg.tsval = 101;
    p = digest(p);
    put_at(&r, &p, r.t + 10);
    assert_int_equal(r.last_tags, TCP_TAG_OUT_OF_ORDER);
    finish(&r);
}

/* ---- finding 4: the duplicate-frame rule ----------------------------------------------------- */

static void test_duplicate_frame_rule(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40030);
    cap_packet p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK, MSS);
    put(&r, &p);
    put_at(&r, &p, r.t + 5); /* the same bytes 5 us later: captured twice */
    assert_int_equal(r.last_tags, TCP_TAG_DUPLICATE);
    assert_int_equal(r.c->d[0].duplicates, 1);
    assert_int_equal(r.c->d[0].retrans, 0);
    /* the same IPv4 ID and fields 300 ms later (RFC 6864 allows repeated IDs): a retransmission */
    put_at(&r, &p, r.t + 300 * MS);
    assert_true(tcp_obs_is_retransmission(r.last_tags));
    assert_int_equal(r.c->d[0].duplicates, 1);
    /* ACKs equal but for their SACK blocks are two ACKs */
    data(&r, 2);
    cap_packet a = packet(&r, 0, SISN + 1, CISN + 1 + MSS, TCP_ACK, 0);
    a.seg.nsack = 1, a.seg.sack[0].left = CISN + 1 + 2 * MSS,
    a.seg.sack[0].right = CISN + 1 + 3 * MSS;
    a = digest(a);
    put(&r, &a);
    data(&r, 3);
    a.seg.sack[0].right = CISN + 1 + 4 * MSS;
    a = digest(a);
    put_at(&r, &a, r.t + 5);
    assert_false(r.last_tags & TCP_TAG_DUPLICATE);
    /* one rule for IPv6: a copy with the other side's packet between is still a copy ... */
    cap_packet q = packet(&r, 1, CISN + 1 + 4 * MSS, SISN + 1, TCP_ACK, MSS);
    q.ip_version = 6, q.ip_id = 0;
    q = digest(q);
    put(&r, &q);
    cap_packet o = packet(&r, 0, SISN + 1, CISN + 1 + MSS, TCP_ACK, 0);
    put_at(&r, &o, r.t + 2);
    put_at(&r, &q, r.t + 2);
    assert_int_equal(r.last_tags, TCP_TAG_DUPLICATE);
    /* ... but not with a packet of the same sender between */
    cap_packet q2 = packet(&r, 1, CISN + 1 + 5 * MSS, SISN + 1, TCP_ACK, MSS);
    q2.ip_version = 6, q2.ip_id = 0;
    q2 = digest(q2);
    put_at(&r, &q2, r.t + 2);
    put_at(&r, &q, r.t + 2);
    assert_false(r.last_tags & TCP_TAG_DUPLICATE);
    finish(&r);
}

/* ---- finding 5: no loss for a segment the reporting packet acknowledges; RFC arcs only ------ */

static void test_spurious_retx_acks_the_blamed_segment(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40040);
    data(&r, 0);
    /* the server's data, whose ACK covers the client's segment */
    cap_packet p = packet(&r, 0, SISN + 1, CISN + 1 + MSS, TCP_ACK, 100);
    put(&r, &p);
    /* the client sends its segment again (a timeout that fired anyway) and acknowledges the
     * server's data: that data, and the ACK it carried, arrived */
    p = packet(&r, 1, CISN + 1, SISN + 101, TCP_ACK, MSS);
    put(&r, &p);
    assert_true(r.last_tags & TCP_TAG_SPURIOUS);
    assert_int_equal(r.s.lost, 0);
    assert_int_equal(r.c->d[1].lost, 0);
    finish(&r);
    /* with a pure ACK the ACK is what got lost */
    start(&r, 40041);
    data(&r, 0);
    ack(&r, 1, 0, 0, -1);
    data(&r, 0);
    assert_int_equal(r.s.lost, 1);
    assert_int_equal(r.c->d[1].lost, 1);
    /* a lost pure ACK is counted, but not in the server's data loss rate */
    assert_int_equal(r.c->d[1].lost_acks, 1);
    assert_int_equal(cap_conn_lost_data(r.c, 1), 0);
    assert_int_equal(cap_conn_lost_data(r.c, 0), 0);
    finish(&r);
}

static void assert_rfc_path(const conn_run *r, int ep)
{
    const tcp_endpoint *e = &r->c->ep[ep];
    for (unsigned i = 1; i < e->obs_n; i++)
        if (!tcp_obs_rfc_arc((tcp_state)e->obs_path[i - 1], (tcp_state)e->obs_path[i]))
            fail_msg("non-RFC arc in %s", path(r, ep));
}

/* A RST answers the first SYN (nobody listened, it seems), then the retransmitted SYN gets a
 * SYN,ACK: the correction is undone, and no CLOSED -> SYN-RECEIVED appears. */
static void test_refuted_correction_undone(void **state)
{
    conn_run r;
    (void)state;
    memset(&r, 0, sizeof r);
    r.cport = 40042;
    r.emit = (cap_emit){NULL, on_lost, NULL, on_unlost, &r.s};
    cap_packet p = packet(&r, 1, CISN, 0, TCP_SYN, 0);
    put(&r, &p);
    p = packet(&r, 0, 0, CISN + 1, TCP_RST | TCP_ACK, 0);
    put(&r, &p);
    assert_string_equal(path(&r, TRACE_SERVER), "CLOSED");
    p = packet(&r, 0, SISN, CISN + 1, TCP_SYN | TCP_ACK, 0);
    put(&r, &p);
    p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK, 0);
    put(&r, &p);
    assert_string_equal(path(&r, TRACE_SERVER), "LISTEN>SYN-RECEIVED>ESTABLISHED");
    assert_rfc_path(&r, TRACE_SERVER);
    assert_rfc_path(&r, TRACE_CLIENT);
    finish(&r);
}

/* ---- finding 6: counting --------------------------------------------------------------------- */

static void test_unique_and_missed_bytes(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40050);
    data(&r, 0);
    cap_packet p = packet(&r, 1, CISN + 1 + MSS / 2, SISN + 1, TCP_ACK, MSS); /* partial retx */
    put(&r, &p);
    assert_int_equal(r.c->d[0].unique_bytes, MSS + MSS / 2);
    data(&r, 3); /* [1.5, 3) never captured */
    assert_int_equal(r.c->d[0].missed_bytes, 3 * MSS / 2);
    data(&r, 2); /* fills part of it */
    assert_int_equal(r.c->d[0].missed_bytes, MSS / 2);
    assert_int_equal(r.c->d[0].unique_bytes, 3 * MSS + MSS / 2);
    ack(&r, 6, 0, 0, -1); /* acknowledges two segments the capture never held */
    assert_int_equal(r.c->d[0].missed_bytes, MSS / 2 + 2 * MSS);
    assert_int_equal(r.c->d[0].bytes, 4 * MSS);
    finish(&r);
}

/* A capture that skips gigabytes (zeek_ftp-bigtransfer.pcap: 5.4 GB sent, 24 KB captured):
 * sequence space wraps between the segments seen, the same sequence numbers come back a wrap
 * later as other bytes, and a hole far behind is never taken to be filled.  Unique bytes are
 * what was captured, missed bytes the rest; no RTT sample spans a gap of the capture. */
static void test_gigabyte_gaps_and_wraps(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40052);
    const uint32_t jump = 0x60000000u; /* 1.5 GiB: three of them wrap the sequence space */
    uint32_t seq = CISN + 1;
    uint64_t missed = 0;
    for (int k = 0; k < 4; k++) {
        cap_packet p = packet(&r, 1, seq, SISN + 1, TCP_ACK, MSS);
        put(&r, &p);
        cap_packet a = packet(&r, 0, SISN + 1, seq + MSS, TCP_ACK, 0);
        put_at(&r, &a, r.t + 10 * MS); /* the ACK of each: 10 ms */
        seq += MSS + jump;
        missed += jump;
    }
    missed -= jump; /* no jump after the last */
    assert_int_equal(r.c->d[0].unique_bytes, 4 * MSS);
    assert_int_equal(r.c->d[0].missed_bytes, missed);
    /* a segment, a gap of the capture, and an ACK covering both 20 s later: no sample */
    uint64_t n = r.c->d[0].rtt.n;
    cap_packet p = packet(&r, 1, seq - jump, SISN + 1, TCP_ACK, MSS);
    put(&r, &p);
    p = packet(&r, 1, seq - jump + 2 * MSS, SISN + 1, TCP_ACK, MSS); /* one segment missed */
    put(&r, &p);
    cap_packet a = packet(&r, 0, SISN + 1, seq - jump + 3 * MSS, TCP_ACK, 0);
    put_at(&r, &a, r.t + 20000 * MS);
    assert_int_equal(r.c->d[0].rtt.n, n);
    assert_true(r.c->d[0].rtt.max < 11 * MS);
    finish(&r);
}

/* A super-packet of three segments (TSO/GSO before segmentation) counts three, as the kernel
 * counts TcpOutSegs and TcpRetransSegs. */
static void test_super_packets_count_segments(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40051);
    cap_packet p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK, 3 * MSS);
    put(&r, &p);
    p = packet(&r, 1, CISN + 1, SISN + 1, TCP_ACK, 3 * MSS);
    put_at(&r, &p, r.t + 400 * MS);
    assert_int_equal(r.c->d[0].packets, 4); /* SYN, the handshake's ACK and the two */
    assert_int_equal(r.c->d[0].segments, 1 + 1 + 3 + 3);
    assert_int_equal(r.c->d[0].retrans, 1);
    assert_int_equal(r.c->d[0].retrans_segs, 3);
    finish(&r);
}

/* ---- rules no test pinned ------------------------------------------------------------------- */

/* Fast retransmission takes three duplicate ACKs (RFC 5681 3.2), not two. */
static void test_fast_retransmit_needs_three_dup_acks(void **state)
{
    conn_run r;
    (void)state;
    for (unsigned dups = 2; dups <= 3; dups++) {
        start(&r, (uint16_t)(40060 + dups));
        for (unsigned k = 0; k < 6; k++)
            data(&r, k);
        ack(&r, 1, 0, 0, -1);
        for (unsigned d = 0; d < dups; d++)
            ack(&r, 1, 2, 3 + d, -1);
        data(&r, 1);
        if (dups == 2) {
            assert_int_equal(r.last_tags & (TCP_TAG_RETRANSMISSION | TCP_TAG_FAST_RETRANSMISSION),
                             TCP_TAG_RETRANSMISSION);
        } else {
            assert_int_equal(r.last_tags & (TCP_TAG_RETRANSMISSION | TCP_TAG_FAST_RETRANSMISSION),
                             TCP_TAG_FAST_RETRANSMISSION);
        }
        finish(&r);
    }
}

/* A repeated ACK is a duplicate ACK only with evidence of a gap (out-of-order data held). */
static void test_dup_ack_needs_a_gap(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40070);
    data(&r, 0);
    ack(&r, 1, 0, 0, -1);
    ack(&r, 1, 0, 0, -1); /* the same ACK again, nothing out of order: no dup-ack */
    assert_false(r.last_tags & TCP_TAG_DUP_ACK);
    data(&r, 2); /* segment 1 missing: the receiver holds data out of order */
    ack(&r, 1, 0, 0, -1);
    assert_true(r.last_tags & TCP_TAG_DUP_ACK);
    finish(&r);
}

/* A keep-alive sits at SND.UNA - 1, with nothing outstanding. */
static void test_keep_alive_at_snd_una_minus_1(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40071);
    data(&r, 0);
    ack(&r, 1, 0, 0, -1);
    cap_packet p = packet(&r, 1, CISN + MSS, SISN + 1, TCP_ACK, 0);
    put_at(&r, &p, r.t + 7200 * 1000 * MS / 1000);
    assert_int_equal(r.last_tags, TCP_TAG_KEEP_ALIVE);
    p = packet(&r, 1, CISN + MSS, SISN + 1, TCP_ACK, 1); /* with one octet */
    put_at(&r, &p, r.t + 75 * 1000 * MS / 1000);
    assert_int_equal(r.last_tags, TCP_TAG_KEEP_ALIVE);
    p = packet(&r, 1, CISN + MSS - 1, SISN + 1, TCP_ACK, 0); /* two below: not one */
    put_at(&r, &p, r.t + 75 * 1000 * MS / 1000);
    assert_false(r.last_tags & TCP_TAG_KEEP_ALIVE);
    assert_int_equal(r.c->d[0].unique_bytes, MSS);
    finish(&r);
}

/* Karn's rule: an ACK after a retransmission gives no RTT sample. */
static void test_karn_no_sample_after_retransmission(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40072);
    assert_int_equal(r.c->d[0].rtt.n, 1); /* the SYN's round trip */
    data(&r, 0);
    ack(&r, 1, 0, 0, -1);
    assert_int_equal(r.c->d[0].rtt.n, 2);
    data(&r, 1);
    cap_packet p = packet(&r, 1, CISN + 1 + MSS, SISN + 1, TCP_ACK, MSS);
    put_at(&r, &p, r.t + 1000 * MS);
    ack(&r, 2, 0, 0, -1);
    assert_int_equal(r.c->d[0].rtt.n, 2);
    data(&r, 2); /* the next new segment is timed again */
    ack(&r, 3, 0, 0, -1);
    assert_int_equal(r.c->d[0].rtt.n, 3);
    assert_int_equal(r.c->d[0].rtt.max, 100);
    /* the samples feed the client's own RFC 6298 estimator (its TCB records report it), and
     * only the samples: the ACK after the retransmission changed nothing there either */
    const tcp_rto *e = &r.c->ep[0].rto;
    assert_true(e->has_sample);
    assert_true(e->srtt >= r.c->d[0].rtt.min && e->srtt <= r.c->d[0].rtt.max);
    assert_int_equal(r.c->ep[1].rto.has_sample, r.c->d[1].rtt.n > 0);
    finish(&r);
}

/* A retransmission cut differently (repacketized) reveals every original it overlaps. */
static void test_loss_by_overlap(void **state)
{
    conn_run r;
    (void)state;
    start(&r, 40073);
    data(&r, 0);
    data(&r, 1);
    cap_packet p = packet(&r, 1, CISN + 1 + MSS / 2, SISN + 1, TCP_ACK, MSS);
    put_at(&r, &p, r.t + 1000 * MS);
    assert_int_equal(r.s.lost, 2);
    assert_int_equal(r.c->d[0].lost, 2);
    finish(&r);
}

/* Without a SYN, the lower port serves; with equal ports, the first packet's receiver. */
static void test_mid_connection_roles(void **state)
{
    (void)state;
    for (int from_low = 0; from_low < 3; from_low++) {
        cap_packet p;
        memset(&p, 0, sizeof p);
        p.ip_version = 4;
        p.src.family = p.dst.family = CAP_FAMILY_IPV4;
        p.src.bytes[3] = 1, p.dst.bytes[3] = 2;
        p.sport = from_low == 1 ? 443 : 50000;
        p.dport = from_low == 1 ? 50000 : from_low == 2 ? 50000 : 443;
        p.seg.flags = TCP_ACK;
        cap_conn *c = calloc(1, sizeof *c);
        assert_non_null(c);
        cap_conn_init(c, 1, &p, 0, (trace_sink){NULL, NULL});
        if (from_low == 2)
            assert_int_equal(c->addr[1].bytes[3], 2); /* equal ports: the receiver serves */
        else
            assert_int_equal(c->port[1], 443);
        assert_int_equal(c->ep[0].state, TCP_ESTABLISHED);
        cap_conn_free(c);
        free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loss_deep_in_a_large_window),
        cmocka_unit_test(test_dsack_takes_a_loss_back),
        cmocka_unit_test(test_dsack_inside_second_block),
        cmocka_unit_test(test_dsack_of_other_data_keeps_the_loss),
        cmocka_unit_test(test_grown_rings_stay_in_budget),
        cmocka_unit_test(test_sack_scoreboard_fast_retransmission),
        cmocka_unit_test(test_sack_scoreboard_below_dupthresh),
        cmocka_unit_test(test_sacked_segment_not_reported_lost),
        cmocka_unit_test(test_far_arrival_at_its_estimated_time),
        cmocka_unit_test(test_far_arrival_proven_by_its_ack),
        cmocka_unit_test(test_fin_outside_window_covered_by_ack),
        cmocka_unit_test(test_syn_sent_left_on_proof),
        cmocka_unit_test(test_reordered_original_is_out_of_order),
        cmocka_unit_test(test_reordered_by_tsval),
        cmocka_unit_test(test_duplicate_frame_rule),
        cmocka_unit_test(test_spurious_retx_acks_the_blamed_segment),
        cmocka_unit_test(test_refuted_correction_undone),
        cmocka_unit_test(test_unique_and_missed_bytes),
        cmocka_unit_test(test_super_packets_count_segments),
        cmocka_unit_test(test_gigabyte_gaps_and_wraps),
        cmocka_unit_test(test_fast_retransmit_needs_three_dup_acks),
        cmocka_unit_test(test_dup_ack_needs_a_gap),
        cmocka_unit_test(test_keep_alive_at_snd_una_minus_1),
        cmocka_unit_test(test_karn_no_sample_after_retransmission),
        cmocka_unit_test(test_loss_by_overlap),
        cmocka_unit_test(test_mid_connection_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
