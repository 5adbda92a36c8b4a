/*
 * test_scenarios.c - each built-in scenario shows what it is named after.  For every scenario
 * the test plays it and asserts the state path of both endpoints, the sequence of segments (who
 * sent what flags, which were lost) and the numbers the scenario exists to teach: the RTO
 * intervals of the backoff, the 1 s SYN retransmission, the 2 x MSL of TIME-WAIT, and so on.
 * The exact traces are also pinned by the golden files in tests/golden/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sim_net.h"
#include "sim_scenario.h"

typedef struct run {
    trace_buf tb;
    sim_net net;
    char path[2][512];  /* "CLOSED>SYN-SENT>..." */
    char segs[4096];    /* "cS sSA cA c.A! ..." : sender, flags, ! = lost */
} run;

static run R;

static void flags_code(uint8_t f, char *out)
{
    /* S=SYN F=FIN R=RST P=PSH A=ACK, '.' for data-carrying segments is added by the caller */
    size_t n = 0;
    if (f & TCP_SYN)
        out[n++] = 'S';
    if (f & TCP_FIN)
        out[n++] = 'F';
    if (f & TCP_RST)
        out[n++] = 'R';
    if (f & TCP_ACK)
        out[n++] = 'A';
    out[n] = '\0';
}

static void play(const char *name)
{
    static sim_scenario sc;
    assert_int_equal(sim_builtin_load(&sc, name), 0);
    trace_buf_free(&R.tb);
    sim_net_free(&R.net);
    memset(&R, 0, sizeof R);
    trace_buf_init(&R.tb);
    sim_net_init(&R.net, &sc, trace_buf_sink(&R.tb));
    assert_int_equal(sim_net_run(&R.net), 0);
    for (int i = 0; i < 2; i++)
        snprintf(R.path[i], sizeof R.path[i], "CLOSED");
    for (size_t k = 0; k < R.tb.n; k++) {
        const trace_event *e = &R.tb.ev[k];
        if (e->kind == TRACE_STATE) {
            char *p = R.path[e->ep];
            size_t used = strlen(p);
            snprintf(p + used, sizeof R.path[0] - used, ">%s", tcp_state_name(e->u.state.to));
        } else if (e->kind == TRACE_SEND || e->kind == TRACE_DROP) {
            size_t used = strlen(R.segs);
            if (e->kind == TRACE_DROP) { /* mark the send just written as lost */
                snprintf(R.segs + used - 1, sizeof R.segs - used + 1, "! ");
                continue;
            }
            char f[8];
            flags_code(e->seg.flags, f);
            snprintf(R.segs + used, sizeof R.segs - used, "%c%s%s ", e->ep ? 's' : 'c',
                     e->seg.len ? "." : "", f);
        }
    }
}

/* Time of the n-th (from 1) event matching kind/ep/predicate. */
static const trace_event *nth_send(int ep, int n, uint32_t tag)
{
    int seen = 0;
    for (size_t k = 0; k < R.tb.n; k++) {
        const trace_event *e = &R.tb.ev[k];
        if (e->kind == TRACE_SEND && e->ep == ep && (tag == 0 || (e->seg.tags & tag)))
            if (++seen == n)
                return e;
    }
    fail_msg("send #%d of %s with tag %u not found", n, ep ? "server" : "client", tag);
    return NULL;
}

static void test_handshake(void **state)
{
    (void)state;
    play("handshake");
    assert_string_equal(R.path[0], "CLOSED>SYN-SENT>ESTABLISHED");
    assert_string_equal(R.path[1], "CLOSED>LISTEN>SYN-RECEIVED>ESTABLISHED");
    assert_string_equal(R.segs, "cS sSA cA ");
    const trace_event *syn = nth_send(0, 1, 0), *synack = nth_send(1, 1, 0);
    const trace_event *ack = nth_send(0, 2, 0);
    assert_int_equal(syn->seg.seq, 1000);
    assert_int_equal(synack->seg.seq, 2000);
    assert_int_equal(synack->seg.ack, 1001); /* the SYN takes one sequence number */
    assert_int_equal(ack->seg.seq, 1001);
    assert_int_equal(ack->seg.ack, 2001);
    assert_int_equal(syn->seg.mss, 1460);
}

static void test_echo(void **state)
{
    (void)state;
    play("echo");
    assert_string_equal(R.path[0],
                        "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT>CLOSED");
    assert_string_equal(R.path[1], "CLOSED>LISTEN>SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT>LAST-ACK>"
                                   "CLOSED");
    assert_string_equal(R.segs, "cS sSA cA c.A s.A cA cFA sFA cA ");
    const trace_event *req = nth_send(0, 3, 0), *echo = nth_send(1, 2, 0);
    assert_int_equal(req->seg.len, 13);
    assert_int_equal(echo->seg.len, 13);
    assert_int_equal(echo->seg.ack, req->seg.seq + req->seg.len); /* ACK = SEQ + LEN */
}

static void test_transfer(void **state)
{
    (void)state;
    play("transfer");
    assert_int_equal(R.net.ep[1].rcv_total, 6000);
    /* 6000 bytes = 4 x 1460 + 160: five data segments, the last one carries the FIN */
    int data = 0;
    for (size_t k = 0; k < R.tb.n; k++)
        if (R.tb.ev[k].kind == TRACE_SEND && R.tb.ev[k].ep == 0 && R.tb.ev[k].seg.len)
            data++;
    assert_int_equal(data, 5);
    const trace_event *last = nth_send(0, 7, 0);
    assert_int_equal(last->seg.len, 160);
    assert_true(last->seg.flags & TCP_FIN);
    assert_int_equal(last->seg.seq, 1001 + 4 * 1460);
    assert_int_equal(R.net.ep[0].retrans_segs, 0);
}

static void test_loss(void **state)
{
    (void)state;
    play("loss");
    const trace_event *lost = nth_send(0, 4, 0), *re = nth_send(0, 1, TCP_TAG_RETRANSMISSION);
    assert_int_equal(lost->seg.seq, 2461);
    assert_int_equal(re->seg.seq, 2461);
    assert_int_equal(re->t - lost->t, 1100000); /* RTO (1 s) armed at the last ACK, 300 ms */
    assert_int_equal(R.net.ep[0].retrans_segs, 1);
    assert_int_equal(R.net.stats.dropped, 1);
    assert_int_equal(R.net.ep[1].rcv_total, 4380);
}

static void test_backoff(void **state)
{
    (void)state;
    play("backoff");
    uint64_t t[5];
    t[0] = nth_send(0, 3, 0)->t; /* the original data segment */
    for (int i = 1; i <= 4; i++)
        t[i] = nth_send(0, i, TCP_TAG_RETRANSMISSION)->t;
    assert_int_equal(t[1] - t[0], 1000000);
    assert_int_equal(t[2] - t[1], 2000000);
    assert_int_equal(t[3] - t[2], 4000000);
    assert_int_equal(t[4] - t[3], 8000000);
    assert_int_equal(R.net.stats.dropped, 4);
    assert_int_equal(R.net.ep[1].rcv_total, 1000);
}

static void test_fastretx(void **state)
{
    (void)state;
    play("fastretx");
    const trace_event *fr = nth_send(0, 1, TCP_TAG_FAST_RETRANSMISSION);
    assert_int_equal(fr->seg.seq, 1001 + 3 * 1460);
    /* it follows the third duplicate ACK the client received */
    int dups = 0;
    for (size_t k = 0; k < R.tb.n && &R.tb.ev[k] != fr; k++) {
        const trace_event *e = &R.tb.ev[k];
        if (e->kind == TRACE_RECV && e->ep == 0 && (e->seg.tags & TCP_TAG_DUP_ACK))
            dups++;
    }
    assert_int_equal(dups, 3);
    assert_int_equal(R.net.ep[0].retrans_segs, 1);
    assert_false(R.net.ep[0].cc.in_recovery);
    assert_int_equal(R.net.ep[1].rcv_total, 14600);
}

static void test_close(void **state)
{
    (void)state;
    play("close");
    assert_string_equal(R.path[0],
                        "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT>CLOSED");
    assert_string_equal(R.path[1], "CLOSED>LISTEN>SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT>LAST-ACK>"
                                   "CLOSED");
    assert_string_equal(R.segs, "cS sSA cA cFA sA sFA cA ");
    /* TIME-WAIT lasts 2 x MSL = 120 s */
    uint64_t tw = 0, closed = 0;
    for (size_t k = 0; k < R.tb.n; k++) {
        const trace_event *e = &R.tb.ev[k];
        if (e->kind == TRACE_STATE && e->ep == 0 && e->u.state.to == TCP_TIME_WAIT)
            tw = e->t;
        if (e->kind == TRACE_STATE && e->ep == 0 && e->u.state.to == TCP_CLOSED)
            closed = e->t;
    }
    assert_int_equal(closed - tw, 120000000);
}

static void test_timewait(void **state)
{
    (void)state;
    play("timewait");
    assert_string_equal(R.segs, "cS sSA cA cFA sA sFA cA! sFA cA ");
    const trace_event *refin = nth_send(1, 1, TCP_TAG_RETRANSMISSION);
    assert_true(refin->seg.flags & TCP_FIN);
    uint64_t last_ack = nth_send(0, 5, 0)->t, closed = 0;
    for (size_t k = 0; k < R.tb.n; k++) {
        const trace_event *e = &R.tb.ev[k];
        if (e->kind == TRACE_STATE && e->ep == 0 && e->u.state.to == TCP_CLOSED)
            closed = e->t;
    }
    /* the re-ACK restarted the 2 MSL timer */
    assert_int_equal(closed - last_ack, 120000000);
    assert_int_equal(R.net.ep[1].state, TCP_CLOSED);
}

static void test_simopen(void **state)
{
    (void)state;
    play("simopen");
    assert_string_equal(R.path[0], "CLOSED>SYN-SENT>SYN-RECEIVED>ESTABLISHED");
    assert_string_equal(R.path[1], "CLOSED>SYN-SENT>SYN-RECEIVED>ESTABLISHED");
    assert_string_equal(R.segs, "cS sS sSA cSA ");
}

static void test_simclose(void **state)
{
    (void)state;
    play("simclose");
    assert_string_equal(R.path[0],
                        "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>CLOSING>TIME-WAIT>CLOSED");
    assert_string_equal(R.path[1],
                        "CLOSED>LISTEN>SYN-RECEIVED>ESTABLISHED>FIN-WAIT-1>CLOSING>TIME-WAIT>"
                        "CLOSED");
}

static void test_refused(void **state)
{
    (void)state;
    play("refused");
    assert_string_equal(R.path[0], "CLOSED>SYN-SENT>CLOSED");
    assert_string_equal(R.path[1], "CLOSED");
    assert_string_equal(R.segs, "cS sRA ");
    const trace_event *rst = nth_send(1, 1, 0);
    assert_int_equal(rst->seg.seq, 0);
    assert_int_equal(rst->seg.ack, 1001);
    assert_int_equal(R.net.ep[0].error, TCP_ERR_REFUSED);
}

static void test_reset(void **state)
{
    (void)state;
    play("reset");
    assert_string_equal(R.path[0], "CLOSED>SYN-SENT>ESTABLISHED>CLOSED");
    assert_string_equal(R.path[1], "CLOSED>LISTEN>SYN-RECEIVED>ESTABLISHED>CLOSED");
    assert_int_equal(R.net.ep[1].error, TCP_ERR_RESET);
    assert_int_equal(R.net.ep[0].error, TCP_ERR_ABORTED);
}

static void test_halfclose(void **state)
{
    (void)state;
    play("halfclose");
    assert_string_equal(R.path[0],
                        "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT>CLOSED");
    /* the client read all 3000 bytes the server sent after the client's FIN */
    assert_int_equal(R.net.ep[0].rcv_total, 3000);
    assert_int_equal(R.net.app[0].read, 3000);
}

static void test_zerowindow(void **state)
{
    (void)state;
    play("zerowindow");
    const trace_event *p1 = nth_send(0, 1, TCP_TAG_ZERO_WINDOW_PROBE);
    const trace_event *p2 = nth_send(0, 2, TCP_TAG_ZERO_WINDOW_PROBE);
    assert_int_equal(p1->seg.len, 1);
    assert_int_equal(p2->t - p1->t, 2000000); /* probe interval doubles: 1 s, then 2 s */
    assert_int_equal(nth_send(1, 1, TCP_TAG_WINDOW_UPDATE)->seg.win, 4380);
    assert_int_equal(R.net.ep[1].rcv_total, 10000);
    assert_int_equal(R.net.ep[0].retrans_segs, 0);
}

static void test_nagle(void **state)
{
    (void)state;
    play("nagle");
    /* three writes (4, 11, 11 bytes) leave as two segments: 4, then 22 */
    const trace_event *a = nth_send(0, 3, 0), *b = nth_send(0, 4, 0);
    assert_int_equal(a->seg.len, 4);
    assert_int_equal(b->seg.len, 22);
    int reads = 0;
    for (size_t k = 0; k < R.tb.n; k++) {
        const trace_event *e = &R.tb.ev[k];
        if (e->kind == TRACE_APP && e->ep == 1 && e->u.app.call == TCP_CALL_READ &&
            e->u.app.bytes > 0)
            reads++;
    }
    assert_int_equal(reads, 2);
}

static void test_synloss(void **state)
{
    (void)state;
    play("synloss");
    assert_string_equal(R.segs, "cS! cS sSA cA ");
    assert_int_equal(nth_send(0, 2, 0)->t - nth_send(0, 1, 0)->t, 1000000);
    assert_string_equal(R.path[0], "CLOSED>SYN-SENT>ESTABLISHED");
    /* RFC 6298 5.7: after the SYN timed out, data starts with RTO = 3 s */
    assert_int_equal(R.net.ep[0].rto.rto, 3000000);
}

static int teardown(void **state)
{
    (void)state;
    trace_buf_free(&R.tb);
    sim_net_free(&R.net);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake), cmocka_unit_test(test_echo),
        cmocka_unit_test(test_transfer),  cmocka_unit_test(test_loss),
        cmocka_unit_test(test_backoff),   cmocka_unit_test(test_fastretx),
        cmocka_unit_test(test_close),     cmocka_unit_test(test_timewait),
        cmocka_unit_test(test_simopen),   cmocka_unit_test(test_simclose),
        cmocka_unit_test(test_refused),   cmocka_unit_test(test_reset),
        cmocka_unit_test(test_halfclose), cmocka_unit_test(test_zerowindow),
        cmocka_unit_test(test_nagle),     cmocka_unit_test(test_synloss),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
