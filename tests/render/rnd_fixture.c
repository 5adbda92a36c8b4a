/*
 * rnd_fixture.c - the fixture traces described in rnd_fixture.h.
 */
#include "rnd_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_seg.h"
#include "tcp_state.h"

static uint32_t cur_conn;
static uint64_t next_id;

void fx_begin(trace_buf *b, const char *title, bool capture, uint64_t one_way)
{
    trace_buf_init(b);
    snprintf(b->meta.title, sizeof b->meta.title, "%s", title);
    snprintf(b->meta.addr[0], sizeof b->meta.addr[0], "192.0.2.1:49152");
    snprintf(b->meta.addr[1], sizeof b->meta.addr[1], "198.51.100.7:80");
    b->meta.capture = capture;
    b->meta.one_way = one_way;
    b->meta.vantage = TRACE_VANTAGE_UNKNOWN;
    cur_conn = 0;
    next_id = 1;
}

void fx_conn(trace_buf *b, uint32_t conn)
{
    (void)b;
    cur_conn = conn;
}

static trace_event blank(uint64_t t, uint8_t ep, uint8_t kind)
{
    trace_event e;
    memset(&e, 0, sizeof e);
    e.t = t;
    e.ep = ep;
    e.kind = kind;
    e.conn = cur_conn;
    return e;
}

uint64_t fx_seg(trace_buf *b, uint64_t t, uint8_t ep, uint8_t flags, uint32_t seq, uint32_t ack,
                uint32_t len, uint32_t win, uint32_t tags, uint64_t arrive)
{
    trace_event e = blank(t, ep, TRACE_SEND);
    uint64_t id = next_id++;
    e.id = id;
    e.seg.seq = seq;
    e.seg.ack = ack;
    e.seg.len = len;
    e.seg.win = win;
    e.seg.win_raw = (uint16_t)(win > 65535 ? 65535 : win);
    e.seg.flags = flags;
    e.seg.tags = tags;
    if (flags & TCP_SYN) {
        e.seg.has_mss = true;
        e.seg.mss = 1460;
        e.seg.sack_perm = true;
    }
    trace_buf_emit(b, &e);
    if (arrive == FX_NONE)
        return id;
    if (arrive == FX_LOST) {
        e.kind = TRACE_DROP;
    } else if (b->meta.capture) {
        e.kind = TRACE_DROP; /* captures: the inferred loss, reported later */
        e.t = arrive;
    } else {
        e.kind = TRACE_RECV;
        e.ep = (uint8_t)(1 - ep);
        e.t = arrive;
    }
    trace_buf_emit(b, &e);
    return id;
}

/* Adds the SACK blocks to the last SEND event. */
static void fx_sack(trace_buf *b, uint32_t left, uint32_t right)
{
    for (size_t i = b->n; i-- > 0;)
        if (b->ev[i].kind == TRACE_SEND) {
            for (size_t j = i; j < b->n && b->ev[j].id == b->ev[i].id; j++) {
                tcp_seg *s = &b->ev[j].seg;
                s->sack[s->nsack].left = left;
                s->sack[s->nsack].right = right;
                s->nsack++;
            }
            return;
        }
}

void fx_state(trace_buf *b, uint64_t t, uint8_t ep, int from, int to, const char *cause)
{
    trace_event e = blank(t, ep, TRACE_STATE);
    e.u.state.from = (uint8_t)from;
    e.u.state.to = (uint8_t)to;
    trace_set_text(&e, "%s", cause);
    trace_buf_emit(b, &e);
}

void fx_timer(trace_buf *b, uint64_t t, uint8_t ep, int kind, int action, uint64_t duration)
{
    trace_event e = blank(t, ep, TRACE_TIMER);
    e.u.timer.timer = (uint8_t)kind;
    e.u.timer.action = (uint8_t)action;
    e.u.timer.duration = duration;
    e.u.timer.deadline = action == TRACE_TIMER_ARM ? t + duration : 0;
    trace_buf_emit(b, &e);
}

void fx_app(trace_buf *b, uint64_t t, uint8_t ep, int call, uint64_t bytes, const char *text)
{
    trace_event e = blank(t, ep, TRACE_APP);
    e.u.app.call = (uint8_t)call;
    e.u.app.bytes = bytes;
    e.u.app.done = bytes;
    if (text != NULL)
        trace_set_text(&e, "%s", text);
    trace_buf_emit(b, &e);
}

void fx_finish(trace_buf *b)
{
    /* insertion sort on time keeps equal times in insertion order (qsort is not stable) */
    for (size_t i = 1; i < b->n; i++) {
        trace_event e = b->ev[i];
        size_t j = i;
        while (j > 0 && b->ev[j - 1].t > e.t) {
            b->ev[j] = b->ev[j - 1];
            j--;
        }
        b->ev[j] = e;
    }
}

/* ---------------------------------------------------------------- scenarios */

enum { C = TRACE_CLIENT, S = TRACE_SERVER };
#define MS  1000ull
#define SEC 1000000ull

void fx_loss(trace_buf *b)
{
    const uint32_t c = 1000000, s = 3000000, w = 65535;
    const uint64_t d = 50 * MS;
    uint64_t t;
    fx_begin(b, "RTO retransmission of a lost segment", false, d);
    fx_app(b, 0, S, TCP_CALL_LISTEN, 0, NULL);
    fx_state(b, 0, S, TCP_CLOSED, TCP_LISTEN, "listen");
    fx_app(b, 0, C, TCP_CALL_CONNECT, 0, NULL);
    fx_state(b, 0, C, TCP_CLOSED, TCP_SYN_SENT, "connect");
    fx_timer(b, 0, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
    fx_seg(b, 0, C, TCP_SYN, c, 0, 0, w, 0, d);
    t = d;
    fx_state(b, t, S, TCP_LISTEN, TCP_SYN_RECEIVED, "SYN");
    fx_timer(b, t, S, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
    fx_seg(b, t, S, TCP_SYN | TCP_ACK, s, c + 1, 0, w, 0, t + d);
    t += d; /* 100 ms */
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0);
    fx_state(b, t, C, TCP_SYN_SENT, TCP_ESTABLISHED, "SYN,ACK");
    fx_seg(b, t, C, TCP_ACK, c + 1, s + 1, 0, w, 0, t + d);
    fx_app(b, t, C, TCP_CALL_WRITE, 11, "Hello, TCP!");
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
    fx_seg(b, t, C, TCP_PSH | TCP_ACK, c + 1, s + 1, 11, w, 0, FX_LOST);
    fx_timer(b, t + d, S, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0);
    fx_state(b, t + d, S, TCP_SYN_RECEIVED, TCP_ESTABLISHED, "ACK");
    t += 1 * SEC; /* 1.1 s: the RTO fires */
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_FIRE, 1 * SEC);
    fx_seg(b, t, C, TCP_PSH | TCP_ACK, c + 1, s + 1, 11, w, TCP_TAG_RETRANSMISSION, t + d);
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 2 * SEC);
    t += d; /* 1.15 s */
    fx_seg(b, t, S, TCP_ACK, s + 1, c + 12, 0, w - 11, 0, t + d);
    fx_app(b, t, S, TCP_CALL_READ, 11, NULL);
    t += d; /* 1.2 s */
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0);
    fx_app(b, t, C, TCP_CALL_CLOSE, 0, NULL);
    fx_state(b, t, C, TCP_ESTABLISHED, TCP_FIN_WAIT_1, "close");
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
    fx_seg(b, t, C, TCP_FIN | TCP_ACK, c + 12, s + 1, 0, w, 0, t + d);
    t += d; /* 1.25 s */
    fx_state(b, t, S, TCP_ESTABLISHED, TCP_CLOSE_WAIT, "FIN");
    fx_seg(b, t, S, TCP_ACK, s + 1, c + 13, 0, w, 0, t + d);
    fx_app(b, t, S, TCP_CALL_CLOSE, 0, NULL);
    fx_state(b, t, S, TCP_CLOSE_WAIT, TCP_LAST_ACK, "close");
    fx_timer(b, t, S, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
    fx_seg(b, t, S, TCP_FIN | TCP_ACK, s + 1, c + 13, 0, w, 0, t + d);
    t += d; /* 1.3 s */
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0);
    fx_state(b, t, C, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, "ACK of FIN");
    fx_state(b, t, C, TCP_FIN_WAIT_2, TCP_TIME_WAIT, "FIN");
    fx_timer(b, t, C, TCP_TIMER_TIME_WAIT, TRACE_TIMER_ARM, 120 * SEC);
    fx_seg(b, t, C, TCP_ACK, c + 13, s + 2, 0, w, 0, t + d);
    fx_timer(b, t + d, S, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0);
    fx_state(b, t + d, S, TCP_LAST_ACK, TCP_CLOSED, "ACK of FIN");
    t += 120 * SEC;
    fx_timer(b, t, C, TCP_TIMER_TIME_WAIT, TRACE_TIMER_FIRE, 120 * SEC);
    fx_state(b, t, C, TCP_TIME_WAIT, TCP_CLOSED, "2MSL timeout");
    fx_finish(b);
}

void fx_capture(trace_buf *b)
{
    const uint32_t c = 4294967000u, s = 4294960000u, mss = 1448;
    const uint64_t ow = 12 * MS;
    fx_begin(b, "wget.pcapng", true, ow);
    b->meta.vantage = TRACE_CLIENT;
    b->meta.isn_known[0] = b->meta.isn_known[1] = true;
    b->meta.isn[0] = c;
    b->meta.isn[1] = s;
    snprintf(b->meta.addr[0], sizeof b->meta.addr[0], "10.0.0.1:51514");
    snprintf(b->meta.addr[1], sizeof b->meta.addr[1], "10.0.0.2:8080");
    /* another connection interleaved, ignored when drawing connection 3 */
    fx_conn(b, 2);
    fx_seg(b, 1000, C, TCP_ACK, 77, 88, 0, 501, 0, FX_NONE);
    fx_conn(b, 3);
    fx_state(b, 0, C, TCP_CLOSED, TCP_SYN_SENT, "SYN seen");
    fx_seg(b, 0, C, TCP_SYN, c, 0, 0, 64240, 0, FX_NONE);
    fx_state(b, 24000, C, TCP_SYN_SENT, TCP_ESTABLISHED, "SYN,ACK seen");
    fx_state(b, 24000, S, TCP_LISTEN, TCP_SYN_RECEIVED, "SYN,ACK seen");
    fx_seg(b, 24000, S, TCP_SYN | TCP_ACK, s, c + 1, 0, 65160, 0, FX_NONE);
    fx_state(b, 24100, S, TCP_SYN_RECEIVED, TCP_ESTABLISHED, "ACK seen");
    fx_seg(b, 24100, C, TCP_ACK, c + 1, s + 1, 0, 64256, 0, FX_NONE);
    fx_seg(b, 24200, C, TCP_PSH | TCP_ACK, c + 1, s + 1, mss, 64256, 0, FX_NONE);
    fx_seg(b, 24210, C, TCP_ACK, c + 1 + mss, s + 1, mss, 64256, 0, 49000); /* lost later */
    fx_seg(b, 24220, C, TCP_PSH | TCP_ACK, c + 1 + 2 * mss, s + 1, mss, 64256, 0, FX_NONE);
    fx_conn(b, 2);
    fx_seg(b, 30000, S, TCP_ACK, 88, 77, 0, 501, 0, FX_NONE);
    fx_conn(b, 3);
    fx_seg(b, 48300, S, TCP_ACK, s + 1, c + 1 + mss, 0, 65160, 0, FX_NONE);
    fx_seg(b, 48310, S, TCP_ACK, s + 1, c + 1 + mss, 0, 65160, TCP_TAG_DUP_ACK, FX_NONE);
    fx_sack(b, c + 1 + 2 * mss, c + 1 + 3 * mss);
    fx_seg(b, 48320, C, TCP_ACK, c + 1 + mss, s + 1, mss, 64256,
           TCP_TAG_RETRANSMISSION | TCP_TAG_FAST_RETRANSMISSION, FX_NONE);
    fx_seg(b, 72400, S, TCP_ACK, s + 1, c + 1 + 3 * mss, 0, 65160, 0, FX_NONE);
    fx_state(b, 72500, C, TCP_ESTABLISHED, TCP_FIN_WAIT_1, "FIN sent");
    fx_seg(b, 72500, C, TCP_FIN | TCP_ACK, c + 1 + 3 * mss, s + 1, 0, 64256, 0, FX_NONE);
    fx_state(b, 96600, C, TCP_FIN_WAIT_1, TCP_TIME_WAIT, "FIN,ACK seen");
    fx_state(b, 96600, S, TCP_ESTABLISHED, TCP_LAST_ACK, "FIN sent");
    fx_seg(b, 96600, S, TCP_FIN | TCP_ACK, s + 1, c + 2 + 3 * mss, 0, 65160, 0, FX_NONE);
    fx_state(b, 96700, S, TCP_LAST_ACK, TCP_CLOSED, "ACK of FIN");
    fx_seg(b, 96700, C, TCP_ACK, c + 2 + 3 * mss, s + 2, 0, 64256, 0, FX_NONE);
    fx_finish(b);
}

/* A send as the replay emits it: the packet, then the state changes it caused. */
static uint64_t lo_seg(trace_buf *b, uint64_t t, uint8_t ep, uint8_t flags, uint32_t seq,
                       uint32_t ack, uint32_t len, uint32_t tags)
{
    return fx_seg(b, t, ep, flags, seq, ack, len, 65483, tags, FX_NONE);
}

void fx_loopback(trace_buf *b, uint64_t one_way, bool syn, bool dups)
{
    const uint32_t c = 1000, s = 5000, mss = 1448;
    uint64_t t = 0;
    fx_begin(b, "lo.pcap", true, one_way);
    fx_conn(b, 1);
    b->meta.vantage = TRACE_VANTAGE_UNKNOWN;
    snprintf(b->meta.addr[0], sizeof b->meta.addr[0], "127.0.0.1:40000");
    snprintf(b->meta.addr[1], sizeof b->meta.addr[1], "127.0.0.1:5555");
    if (syn) {
        fx_state(b, 0, S, TCP_CLOSED, TCP_LISTEN, "assumed: the first SYN goes to a listener");
        lo_seg(b, 0, C, TCP_SYN, c, 0, 0, 0);
        fx_state(b, 0, C, TCP_CLOSED, TCP_SYN_SENT, "sent SYN");
        fx_state(b, 0, S, TCP_LISTEN, TCP_SYN_RECEIVED, "recv SYN");
        lo_seg(b, 21, S, TCP_SYN | TCP_ACK, s, c + 1, 0, 0);
        fx_state(b, 21, C, TCP_SYN_SENT, TCP_ESTABLISHED, "recv SYN,ACK");
        lo_seg(b, 37, C, TCP_ACK, c + 1, s + 1, 0, 0);
        fx_state(b, 37, S, TCP_SYN_RECEIVED, TCP_ESTABLISHED, "recv ACK");
        t = 80;
    } else {
        fx_state(b, 0, C, TCP_CLOSED, TCP_ESTABLISHED, "assumed: capture starts mid-connection");
        fx_state(b, 0, S, TCP_CLOSED, TCP_ESTABLISHED, "assumed: capture starts mid-connection");
    }
    /* five data segments a microsecond apart, the ACKs interleaved, two in the same microsecond
     * as a data segment */
    for (uint32_t i = 0; i < 5; i++) {
        lo_seg(b, t + i, C, TCP_ACK, c + 1 + i * mss, s + 1, mss, 0);
        if (dups && i < 3)
            lo_seg(b, t + i, C, TCP_ACK, c + 1 + i * mss, s + 1, mss, TCP_TAG_DUPLICATE);
        if (i >= 1)
            lo_seg(b, t + i + (i == 2 ? 0 : 1), S, TCP_ACK, s + 1, c + 1 + i * mss, 0, 0);
    }
    lo_seg(b, t + 7, S, TCP_ACK, s + 1, c + 1 + 5 * mss, 0, 0);
    /* the close: the server's ACK and FIN in the same microsecond */
    t += 120;
    lo_seg(b, t, C, TCP_FIN | TCP_ACK, c + 1 + 5 * mss, s + 1, 0, 0);
    fx_state(b, t, C, TCP_ESTABLISHED, TCP_FIN_WAIT_1, "sent FIN");
    fx_state(b, t, S, TCP_ESTABLISHED, TCP_CLOSE_WAIT, "recv FIN");
    lo_seg(b, t + 9, S, TCP_ACK, s + 1, c + 2 + 5 * mss, 0, 0);
    fx_state(b, t + 9, C, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, "recv ACK of FIN");
    lo_seg(b, t + 9, S, TCP_FIN | TCP_ACK, s + 1, c + 2 + 5 * mss, 0, 0);
    fx_state(b, t + 9, S, TCP_CLOSE_WAIT, TCP_LAST_ACK, "sent FIN");
    fx_state(b, t + 9, C, TCP_FIN_WAIT_2, TCP_TIME_WAIT, "recv FIN");
    lo_seg(b, t + 16, C, TCP_ACK, c + 2 + 5 * mss, s + 2, 0, 0);
    fx_state(b, t + 16, S, TCP_LAST_ACK, TCP_CLOSED, "recv ACK of FIN");
    fx_finish(b);
}

void fx_bulk(trace_buf *b, unsigned n)
{
    const uint32_t c = 2000000000u, s = 100, mss = 1448, w = 262144;
    const uint64_t d = 20 * MS, gap = 1 * MS; /* 1448 bytes per ms: about 11.6 Mbit/s */
    uint64_t t0, rtx_arr = 0;
    uint32_t rcv_nxt = c + 1, hole = 0, ooo_end = 0;
    unsigned since_ack = 0, dups = 0;
    fx_begin(b, "bulk transfer", false, d);
    fx_app(b, 0, S, TCP_CALL_LISTEN, 0, NULL);
    fx_state(b, 0, S, TCP_CLOSED, TCP_LISTEN, "listen");
    fx_app(b, 0, C, TCP_CALL_CONNECT, 0, NULL);
    fx_state(b, 0, C, TCP_CLOSED, TCP_SYN_SENT, "connect");
    fx_seg(b, 0, C, TCP_SYN, c, 0, 0, w, 0, d);
    fx_state(b, d, S, TCP_LISTEN, TCP_SYN_RECEIVED, "SYN");
    fx_seg(b, d, S, TCP_SYN | TCP_ACK, s, c + 1, 0, w, 0, 2 * d);
    t0 = 2 * d;
    fx_state(b, t0, C, TCP_SYN_SENT, TCP_ESTABLISHED, "SYN,ACK");
    fx_seg(b, t0, C, TCP_ACK, c + 1, s + 1, 0, w, 0, t0 + d);
    fx_state(b, t0 + d, S, TCP_SYN_RECEIVED, TCP_ESTABLISHED, "ACK");
    fx_app(b, t0, C, TCP_CALL_WRITE, (uint64_t)n * mss, NULL);
    fx_timer(b, t0, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
    for (unsigned i = 0; i < n; i++) {
        uint32_t seq = c + 1 + i * mss;
        uint64_t ti = t0 + i * gap, at = ti + d;
        bool lose = i % 1000 == 500;
        if (rtx_arr != 0 && rtx_arr <= at) { /* the retransmission fills the hole */
            rcv_nxt = ooo_end;
            fx_seg(b, rtx_arr, S, TCP_ACK, s + 1, rcv_nxt, 0, w, 0, rtx_arr + d);
            fx_timer(b, rtx_arr + d, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
            rtx_arr = 0;
            hole = 0;
            dups = 0;
            since_ack = 0;
        }
        if (lose) {
            fx_seg(b, ti, C, TCP_ACK, seq, s + 1, mss, w, 0, FX_LOST);
            hole = seq;
            ooo_end = seq + mss;
            continue;
        }
        fx_seg(b, ti, C, TCP_ACK, seq, s + 1, mss, w, 0, at);
        if (hole != 0) {
            ooo_end = seq + mss;
            dups++;
            fx_seg(b, at, S, TCP_ACK, s + 1, hole, 0, w, TCP_TAG_DUP_ACK, at + d);
            fx_sack(b, hole + mss, ooo_end);
            if (dups == 3) {
                fx_seg(b, at + d, C, TCP_ACK, hole, s + 1, mss, w,
                       TCP_TAG_RETRANSMISSION | TCP_TAG_FAST_RETRANSMISSION, at + 2 * d);
                rtx_arr = at + 2 * d;
            }
            continue;
        }
        rcv_nxt = seq + mss;
        if (++since_ack == 2 || i + 1 == n) {
            since_ack = 0;
            fx_seg(b, at, S, TCP_ACK, s + 1, rcv_nxt, 0, w, 0, at + d);
            fx_timer(b, at + d, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
        }
    }
    {
        uint64_t t = t0 + n * gap + 3 * d;
        uint32_t fin = c + 1 + n * mss;
        if (rtx_arr != 0) {
            fx_seg(b, rtx_arr, S, TCP_ACK, s + 1, ooo_end, 0, w, 0, rtx_arr + d);
            t += 2 * d;
        }
        fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0);
        fx_app(b, t, C, TCP_CALL_CLOSE, 0, NULL);
        fx_state(b, t, C, TCP_ESTABLISHED, TCP_FIN_WAIT_1, "close");
        fx_seg(b, t, C, TCP_FIN | TCP_ACK, fin, s + 1, 0, w, 0, t + d);
        fx_state(b, t + d, S, TCP_ESTABLISHED, TCP_CLOSE_WAIT, "FIN");
        fx_app(b, t + d, S, TCP_CALL_CLOSE, 0, NULL);
        fx_state(b, t + d, S, TCP_CLOSE_WAIT, TCP_LAST_ACK, "close");
        fx_seg(b, t + d, S, TCP_FIN | TCP_ACK, s + 1, fin + 1, 0, w, 0, t + 2 * d);
        fx_state(b, t + 2 * d, C, TCP_FIN_WAIT_1, TCP_TIME_WAIT, "FIN,ACK");
        fx_timer(b, t + 2 * d, C, TCP_TIMER_TIME_WAIT, TRACE_TIMER_ARM, 60 * SEC);
        fx_seg(b, t + 2 * d, C, TCP_ACK, fin + 1, s + 2, 0, w, 0, t + 3 * d);
        fx_state(b, t + 3 * d, S, TCP_LAST_ACK, TCP_CLOSED, "ACK");
        fx_timer(b, t + 2 * d + 60 * SEC, C, TCP_TIMER_TIME_WAIT, TRACE_TIMER_FIRE, 60 * SEC);
        fx_state(b, t + 2 * d + 60 * SEC, C, TCP_TIME_WAIT, TCP_CLOSED, "2MSL timeout");
    }
    fx_finish(b);
}

void fx_zerowin(trace_buf *b)
{
    const uint32_t c = 500, s = 90000, mss = 1000;
    const uint64_t d = 10 * MS;
    uint64_t t;
    fx_begin(b, "zero window and persist timer", false, d);
    fx_app(b, 0, C, TCP_CALL_WRITE, 3000, NULL);
    fx_timer(b, 0, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
    fx_seg(b, 0, C, TCP_ACK, c, s, mss, 65535, 0, d);
    fx_seg(b, 100, C, TCP_ACK | TCP_PSH, c + mss, s, mss, 65535, 0, d + 100);
    fx_seg(b, d, S, TCP_ACK, s, c + mss, 0, 1000, 0, 2 * d);
    fx_seg(b, d + 100, S, TCP_ACK, s, c + 2 * mss, 0, 0, TCP_TAG_ZERO_WINDOW, 2 * d + 100);
    t = 2 * d + 100;
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0);
    fx_timer(b, t, C, TCP_TIMER_PERSIST, TRACE_TIMER_ARM, 1 * SEC);
    t += 1 * SEC;
    fx_timer(b, t, C, TCP_TIMER_PERSIST, TRACE_TIMER_FIRE, 1 * SEC);
    fx_seg(b, t, C, TCP_ACK, c + 2 * mss - 1, s, 0, 65535, TCP_TAG_ZERO_WINDOW_PROBE, t + d);
    fx_timer(b, t, C, TCP_TIMER_PERSIST, TRACE_TIMER_ARM, 2 * SEC);
    fx_seg(b, t + d, S, TCP_ACK, s, c + 2 * mss, 0, 0, TCP_TAG_ZERO_WINDOW, t + 2 * d);
    fx_app(b, t + 500 * MS, S, TCP_CALL_READ, 2000, NULL);
    fx_seg(b, t + 500 * MS, S, TCP_ACK, s, c + 2 * mss, 0, 2000, TCP_TAG_WINDOW_UPDATE,
           t + 500 * MS + d);
    t += 500 * MS + d;
    fx_timer(b, t, C, TCP_TIMER_PERSIST, TRACE_TIMER_CANCEL, 0);
    fx_timer(b, t, C, TCP_TIMER_RTO, TRACE_TIMER_ARM, 1 * SEC);
    fx_seg(b, t, C, TCP_ACK | TCP_PSH, c + 2 * mss, s, mss, 65535, 0, t + d);
    fx_seg(b, t + d, S, TCP_ACK, s, c + 3 * mss, 0, 1000, 0, t + 2 * d);
    fx_timer(b, t + 2 * d, C, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0);
    fx_finish(b);
}
