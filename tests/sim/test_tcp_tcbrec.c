/*
 * test_tcp_tcbrec.c - the TCB records of the trace (sim/tcp_tcbrec.c): the simulator reports
 * an endpoint's variables after every input that changes them and never repeats an unchanged
 * snapshot; the values are the endpoint's (after the handshake the client has SND.UNA = ISS + 1
 * and RCV.NXT = IRS + 1, RFC 9293 3.5; the send buffer splits into in-flight and unsent bytes at
 * SND.NXT; a write that blocks is shown blocked); and without the setting nothing changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim_net.h"
#include "sim_parse.h"
#include "tcp_tcbrec.h"

static sim_net net;

/* Plays a built-in scenario into tb, with or without TCB records. */
static void play(const char *name, bool tcb, trace_buf *tb, sim_scenario *sc_out)
{
    sim_script *s = sim_builtin_script(name);
    assert_non_null(s);
    sim_script_resolve(s);
    trace_buf_init(tb);
    sim_net_init(&net, &s->sc, trace_buf_sink(tb));
    net.tcb = tcb;
    assert_int_equal(sim_net_run(&net), 0);
    sim_net_free(&net);
    if (sc_out)
        *sc_out = s->sc;
    free(s);
}

/* The last TCB record of ep at or before index i, or NULL. */
static const trace_tcb *tcb_at(const trace_buf *tb, size_t i, uint8_t ep)
{
    for (size_t k = i + 1; k-- > 0;)
        if (tb->ev[k].kind == TRACE_TCB && tb->ev[k].ep == ep)
            return &tb->ev[k].tcb;
    return NULL;
}

static void test_handshake_values(void **state)
{
    (void)state;
    static sim_scenario sc;
    trace_buf tb;
    play("handshake", true, &tb, &sc);
    /* the client's state change to ESTABLISHED, then its snapshot after it */
    size_t est = tb.n;
    for (size_t i = 0; i < tb.n; i++)
        if (tb.ev[i].kind == TRACE_STATE && tb.ev[i].ep == TRACE_CLIENT &&
            tb.ev[i].u.state.to == TCP_ESTABLISHED)
            est = i;
    assert_true(est < tb.n);
    size_t k = est + 1;
    while (k < tb.n && !(tb.ev[k].kind == TRACE_TCB && tb.ev[k].ep == TRACE_CLIENT))
        k++;
    assert_true(k < tb.n);
    const trace_tcb *c = &tb.ev[k].tcb;
    uint32_t iss = sc.tcp[0].isn, irs = sc.tcp[1].isn;
    assert_int_equal(c->state, TCP_ESTABLISHED);
    assert_int_equal(c->iss, iss);
    assert_int_equal(c->irs, irs);
    assert_int_equal(c->snd_una, iss + 1);
    assert_int_equal(c->snd_nxt, iss + 1);
    assert_int_equal(c->rcv_nxt, irs + 1);
    assert_int_equal(c->snd_wnd, 65535);
    assert_true(c->known & TRACE_TCB_RTT);
    assert_int_equal(c->srtt, sc.rtt); /* first sample: SRTT = R (RFC 6298 2.2) */
    assert_int_equal(c->rttvar, sc.rtt / 2);
    assert_int_equal(c->inferred, 0);
    /* before its SYN was answered the client knew no IRS and had its SYN in flight */
    const trace_tcb *before = tcb_at(&tb, est, TRACE_CLIENT);
    assert_non_null(before);
    assert_int_equal(before->state, TCP_SYN_SENT);
    assert_false(before->known & TRACE_TCB_IRS);
    assert_int_equal(before->snd_nxt, iss + 1);
    assert_int_equal(before->timer, TCP_TIMER_RTO);
    assert_int_equal(before->blocked, TCP_CALL_CONNECT); /* connect() waits for the handshake */
    trace_buf_free(&tb);
}

/* No snapshot repeats the previous one of its endpoint, and every record follows a change. */
static void test_only_changes(void **state)
{
    (void)state;
    static const char *const names[] = {"transfer", "loss", "zerowindow", "close"};
    for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
        trace_buf tb;
        play(names[n], true, &tb, NULL);
        const trace_tcb *last[2] = {NULL, NULL};
        size_t records = 0;
        for (size_t i = 0; i < tb.n; i++) {
            if (tb.ev[i].kind != TRACE_TCB)
                continue;
            const trace_tcb *b = &tb.ev[i].tcb;
            uint8_t ep = tb.ev[i].ep;
            if (last[ep])
                assert_true(memcmp(last[ep], b, sizeof *b) != 0);
            last[ep] = b;
            records++;
        }
        assert_true(records > 4);
        trace_buf_free(&tb);
    }
}

/* The send buffer: in flight + unsent = written - acknowledged, and in flight = SND.NXT -
 * SND.UNA once the SYN is acknowledged and before the FIN is sent. */
static void test_send_buffer(void **state)
{
    (void)state;
    trace_buf tb;
    play("transfer", true, &tb, NULL);
    uint64_t written = 0;
    size_t checked = 0;
    for (size_t i = 0; i < tb.n; i++) {
        const trace_event *e = &tb.ev[i];
        if (e->kind == TRACE_APP && e->ep == TRACE_CLIENT && e->u.app.call == TCP_CALL_WRITE)
            written += e->u.app.done;
        if (e->kind != TRACE_TCB || e->ep != TRACE_CLIENT || e->tcb.state != TCP_ESTABLISHED)
            continue;
        const trace_tcb *b = &e->tcb;
        assert_int_equal(b->snd_in_flight, b->snd_nxt - b->snd_una);
        assert_int_equal((uint64_t)b->snd_in_flight + b->snd_unsent + b->snd_acked, written);
        checked++;
    }
    assert_true(checked > 5);
    trace_buf_free(&tb);
}

/* Off by default: the trace is the one without TCB records, event for event. */
static void test_off_by_default(void **state)
{
    (void)state;
    trace_buf with, without;
    play("loss", true, &with, NULL);
    play("loss", false, &without, NULL);
    size_t k = 0;
    for (size_t i = 0; i < with.n; i++) {
        if (with.ev[i].kind == TRACE_TCB)
            continue;
        assert_true(k < without.n);
        assert_int_equal(with.ev[i].kind, without.ev[k].kind);
        assert_int_equal(with.ev[i].t, without.ev[k].t);
        k++;
    }
    assert_int_equal(k, without.n);
    for (size_t i = 0; i < without.n; i++)
        assert_int_not_equal(without.ev[i].kind, TRACE_TCB);
    trace_buf_free(&with);
    trace_buf_free(&without);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_values),
        cmocka_unit_test(test_only_changes),
        cmocka_unit_test(test_send_buffer),
        cmocka_unit_test(test_off_by_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
