/*
 * test_tcp_states.c - one test per arc of the RFC 9293 connection state diagram (figure 5 of
 * section 3.3.2), named test_<state>_<event>_<result>.  Each test drives the endpoint into the
 * starting state with real segments (tcp_fixture.c), applies one event (an application call, a
 * segment, or the passing of time), and asserts the new state, the exact segment sent in reply
 * (flags, SEQ, ACK, length) or that nothing was sent, and the trace's state event (from, to).
 * Most tests use ISNs near 2^32 so that the sequence numbers of the arc wrap around zero.
 */
#include "tcp_fixture.h"

/* The one RTO timer arm event since the mark must be for `dur` microseconds. */
static void expect_rto_armed(const fx *f, uint64_t dur)
{
    const trace_event *e = fx_find_timer(f, TCP_TIMER_RTO, TRACE_TIMER_ARM, 0);
    assert_non_null(e);
    assert_int_equal(e->u.timer.duration, dur);
    assert_int_equal(tcp_next_deadline(&f->ep), e->t + dur);
}

/* ---- from CLOSED -------------------------------------------------------------------------- */

/* RFC 9293 3.10.1 OPEN, passive: create a TCB, enter LISTEN; nothing is sent. */
static void test_closed_passive_open_listen(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, FX_ISN_SERVER, FX_ISN_CLIENT, NULL);
    assert_int_equal(tcp_open_passive(&f.ep, 0), TCP_EOK);
    expect_nothing(&f);
    expect_state(&f, TCP_CLOSED, TCP_LISTEN);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

/* RFC 9293 3.10.1 OPEN, active: send <SEQ=ISS><CTL=SYN>, SND.UNA = ISS, SND.NXT = ISS+1, enter
 * SYN-SENT; RFC 6298 2.1 and 5.1: the retransmission timer starts at 1 s. */
static void test_closed_active_open_syn_sent(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    assert_int_equal(tcp_open_active(&f.ep, 0), TCP_EOK);
    const tcp_seg *s = expect_seg(&f, TCP_SYN, FX_ISN_WRAP, 0, 0);
    assert_true(s->has_mss); /* RFC 9293 3.7.1: the MSS option is sent on the SYN */
    assert_int_equal(s->mss, 1460);
    assert_int_equal(s->win, 65535);
    expect_state(&f, TCP_CLOSED, TCP_SYN_SENT);
    assert_int_equal(f.ep.snd_una, FX_ISN_WRAP);
    assert_int_equal(f.ep.snd_nxt, FX_ISN_WRAP + 1);
    expect_rto_armed(&f, FX_SEC(1));
    fx_free(&f);
}

/* ---- from LISTEN -------------------------------------------------------------------------- */

/* RFC 9293 3.10.7.2 third: a SYN in LISTEN: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, send
 * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, enter SYN-RECEIVED. */
static void test_listen_syn_syn_received(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_LISTEN);
    fx_send_seg(&f, FX_MS(50), TCP_SYN, FX_PEER_ISN_WRAP, 0, 0);
    const tcp_seg *s = expect_seg(&f, TCP_SYN | TCP_ACK, FX_ISN_WRAP, FX_PEER_ISN_WRAP + 1, 0);
    assert_true(s->has_mss);
    expect_state(&f, TCP_LISTEN, TCP_SYN_RECEIVED);
    assert_int_equal(f.ep.irs, FX_PEER_ISN_WRAP);
    assert_int_equal(f.ep.rcv_nxt, FX_PEER_ISN_WRAP + 1);
    expect_rto_armed(&f, FX_SEC(1)); /* the SYN,ACK is retransmitted too */
    fx_free(&f);
}

/* RFC 9293 3.10.2 SEND in LISTEN with the foreign socket known (figure 5: LISTEN --SEND-->
 * SYN-SENT): the connection turns active, sends <SEQ=ISS><CTL=SYN>.  In the sans-IO API the
 * foreign socket is implicit, and this call is tcp_open_active from LISTEN. */
static void test_listen_active_open_syn_sent(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_CLIENT, FX_ISN_SERVER, NULL);
    fx_enter(&f, TCP_LISTEN);
    assert_int_equal(tcp_open_active(&f.ep, FX_MS(10)), TCP_EOK);
    expect_seg(&f, TCP_SYN, FX_ISN_CLIENT, 0, 0);
    expect_state(&f, TCP_LISTEN, TCP_SYN_SENT);
    assert_false(f.ep.passive);
    fx_free(&f);
}

/* RFC 9293 3.10.4 CLOSE in LISTEN: delete the TCB, enter CLOSED; nothing is sent. */
static void test_listen_close_closed(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, FX_ISN_SERVER, FX_ISN_CLIENT, NULL);
    fx_enter(&f, TCP_LISTEN);
    assert_int_equal(tcp_close(&f.ep, FX_MS(10)), TCP_EOK);
    expect_nothing(&f);
    expect_state(&f, TCP_LISTEN, TCP_CLOSED);
    fx_free(&f);
}

/* ---- from SYN-SENT ------------------------------------------------------------------------ */

/* RFC 9293 3.10.4 CLOSE in SYN-SENT: delete the TCB, enter CLOSED; the SYN's retransmission
 * timer goes with it and nothing is sent. */
static void test_syn_sent_close_closed(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_SYN_SENT);
    assert_int_equal(tcp_close(&f.ep, FX_MS(10)), TCP_EOK);
    expect_nothing(&f);
    expect_state(&f, TCP_SYN_SENT, TCP_CLOSED);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    assert_non_null(fx_find_timer(&f, TCP_TIMER_RTO, TRACE_TIMER_CANCEL, 0));
    fx_free(&f);
}

/* RFC 9293 3.10.7.3 fourth, and figure 7 (simultaneous open): a SYN without ACK in SYN-SENT:
 * enter SYN-RECEIVED and send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
static void test_syn_sent_syn_syn_received(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_SYN_SENT);
    fx_send_seg(&f, FX_MS(50), TCP_SYN, FX_PEER_ISN_WRAP, 0, 0);
    const tcp_seg *s = expect_seg(&f, TCP_SYN | TCP_ACK, FX_ISN_WRAP, FX_PEER_ISN_WRAP + 1, 0);
    assert_int_equal(s->tags & TCP_TAG_RETRANSMISSION, 0); /* a new segment, not a resend */
    expect_state(&f, TCP_SYN_SENT, TCP_SYN_RECEIVED);
    assert_false(f.ep.passive);
    fx_free(&f);
}

/* RFC 9293 3.10.7.3 fourth: a SYN,ACK acknowledging our SYN: SND.UNA = SEG.ACK, enter
 * ESTABLISHED, send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; RFC 6298 2.2 the first RTT sample. */
static void test_syn_sent_synack_established(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_SYN_SENT);
    fx_send_seg(&f, FX_MS(100), TCP_SYN | TCP_ACK, FX_PEER_ISN_WRAP, FX_ISN_WRAP + 1, 0);
    expect_seg(&f, TCP_ACK, FX_ISN_WRAP + 1, FX_PEER_ISN_WRAP + 1, 0);
    expect_state(&f, TCP_SYN_SENT, TCP_ESTABLISHED);
    assert_int_equal(f.ep.snd_una, FX_ISN_WRAP + 1);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER); /* 6298 5.2: all acked, timer off */
    const trace_event *r = fx_find(&f, TRACE_RTT, 0);
    assert_non_null(r);
    assert_int_equal(r->u.rtt.sample, FX_MS(100));
    fx_free(&f);
}

/* ---- from SYN-RECEIVED -------------------------------------------------------------------- */

/* RFC 9293 3.10.7.4 fifth, SYN-RECEIVED: SND.UNA < SEG.ACK =< SND.NXT: enter ESTABLISHED and
 * continue processing; a pure ACK needs no answer. */
static void test_syn_received_ack_established(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_SYN_RECEIVED);
    fx_send_seg(&f, FX_MS(100), TCP_ACK, FX_PEER_ISN_WRAP + 1, FX_ISN_WRAP + 1, 0);
    expect_nothing(&f);
    expect_state(&f, TCP_SYN_RECEIVED, TCP_ESTABLISHED);
    assert_int_equal(f.ep.snd_una, FX_ISN_WRAP + 1);
    assert_int_equal(f.ep.snd_wnd, 65535);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

/* Figure 7 of RFC 9293, line 6: after a simultaneous open, the peer's SYN,ACK acknowledges our
 * SYN: SYN-RECEIVED -> ESTABLISHED; the figure sends nothing more (our SYN,ACK, line 5, already
 * acknowledged the peer's SYN). */
static void test_syn_received_synack_established_simultaneous(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_active_syn_received(&f);
    fx_send_seg(&f, FX_MS(100), TCP_SYN | TCP_ACK, FX_PEER_ISN_WRAP, FX_ISN_WRAP + 1, 0);
    expect_nothing(&f);
    expect_state(&f, TCP_SYN_RECEIVED, TCP_ESTABLISHED);
    assert_int_equal(f.ep.snd_una, FX_ISN_WRAP + 1);
    assert_int_equal(f.ep.rcv_nxt, FX_PEER_ISN_WRAP + 1);
    fx_free(&f);
}

/* RFC 9293 3.10.4 CLOSE in SYN-RECEIVED: with no data queued, form a FIN and send it, enter
 * FIN-WAIT-1: <SEQ=ISS+1><ACK=RCV.NXT><CTL=FIN,ACK>. */
static void test_syn_received_close_fin_wait_1(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_SYN_RECEIVED);
    fx_at(&f, FX_MS(50));
    assert_int_equal(tcp_close(&f.ep, f.now), TCP_EOK);
    expect_seg(&f, TCP_FIN | TCP_ACK, FX_ISN_WRAP + 1, FX_PEER_ISN_WRAP + 1, 0);
    expect_state(&f, TCP_SYN_RECEIVED, TCP_FIN_WAIT_1);
    /* the peer's ACK of SYN and FIN then takes us to FIN-WAIT-2 (3.10.7.4 fifth) */
    fx_mark(&f);
    fx_send_seg(&f, FX_MS(100), TCP_ACK, FX_PEER_ISN_WRAP + 1, FX_ISN_WRAP + 2, 0);
    expect_nothing(&f);
    assert_int_equal(f.ep.state, TCP_FIN_WAIT_2);
    fx_free(&f);
}

/* RFC 9293 3.10.7.4 second, SYN-RECEIVED: a RST (exact: SEG.SEQ = RCV.NXT, RFC 5961 3.2) on a
 * connection that came from a passive OPEN returns it to LISTEN; nothing is sent.  LISTEN is
 * real afterwards: a new SYN is answered. */
static void test_syn_received_rst_listen(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_SYN_RECEIVED);
    fx_send_seg(&f, FX_MS(100), TCP_RST, FX_PEER_ISN_WRAP + 1, 0, 0);
    expect_nothing(&f);
    expect_state(&f, TCP_SYN_RECEIVED, TCP_LISTEN);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER); /* no SYN,ACK retransmission */
    fx_send_seg(&f, FX_MS(200), TCP_SYN, 5000, 0, 0);
    expect_seg(&f, TCP_SYN | TCP_ACK, FX_ISN_WRAP, 5001, 0);
    assert_int_equal(f.ep.state, TCP_SYN_RECEIVED);
    fx_free(&f);
}

/* ---- from ESTABLISHED --------------------------------------------------------------------- */

/* RFC 9293 3.10.4 CLOSE in ESTABLISHED: send FIN after the queued data (none here), enter
 * FIN-WAIT-1: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>; the FIN is timed like data. */
static void test_established_close_fin_wait_1(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_ESTABLISHED);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_close(&f.ep, f.now), TCP_EOK);
    expect_seg(&f, TCP_FIN | TCP_ACK, FX_ISN_WRAP + 1, FX_PEER_ISN_WRAP + 1, 0);
    expect_state(&f, TCP_ESTABLISHED, TCP_FIN_WAIT_1);
    expect_rto_armed(&f, FX_SEC(1));
    fx_free(&f);
}

/* RFC 9293 3.10.7.4 eighth, ESTABLISHED: a FIN: RCV.NXT = FIN + 1, send <ACK=RCV.NXT>, enter
 * CLOSE-WAIT.  With peer ISN 0xFFFFFFFE the FIN is number 0xFFFFFFFF and the ACK wraps to 0. */
static void test_established_fin_close_wait(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_ESTABLISHED);
    fx_send_seg(&f, FX_MS(200), TCP_FIN | TCP_ACK, FX_PEER_ISN_WRAP + 1, FX_ISN_WRAP + 1, 0);
    expect_seg(&f, TCP_ACK, FX_ISN_WRAP + 1, 0u, 0);
    expect_state(&f, TCP_ESTABLISHED, TCP_CLOSE_WAIT);
    assert_true(tcp_eof(&f.ep)); /* the application sees end of file */
    fx_free(&f);
}

/* ---- from FIN-WAIT-1 ---------------------------------------------------------------------- */

/* RFC 9293 3.10.7.4 fifth, FIN-WAIT-1: our FIN is acknowledged: enter FIN-WAIT-2; no reply,
 * and the retransmission timer stops (RFC 6298 5.2). */
static void test_fin_wait_1_ack_fin_wait_2(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_FIN_WAIT_1);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, FX_PEER_ISN_WRAP + 1, FX_ISN_WRAP + 2, 0);
    expect_nothing(&f);
    expect_state(&f, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

/* RFC 9293 3.10.7.4 eighth, FIN-WAIT-1: a FIN while our FIN is not yet acknowledged
 * (simultaneous close): enter CLOSING, acknowledge the FIN <SEQ=SND.NXT><ACK=FIN+1>. */
static void test_fin_wait_1_fin_closing(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_FIN_WAIT_1);
    fx_send_seg(&f, FX_MS(300), TCP_FIN | TCP_ACK, FX_PEER_ISN_WRAP + 1, FX_ISN_WRAP + 1, 0);
    expect_seg(&f, TCP_ACK, FX_ISN_WRAP + 2, FX_PEER_ISN_WRAP + 2, 0);
    expect_state(&f, TCP_FIN_WAIT_1, TCP_CLOSING);
    assert_int_equal(f.ep.timer, TCP_TIMER_RTO); /* our FIN is still outstanding */
    fx_free(&f);
}

/* RFC 9293 3.10.7.4 eighth, FIN-WAIT-1: "If our FIN has been ACKed (perhaps in this segment),
 * then enter TIME-WAIT".  The RFC's own processing order takes this segment through FIN-WAIT-2
 * (fifth step: the ACK of our FIN, "continue processing in that state"), then TIME-WAIT (eighth
 * step: the FIN), so the trace shows both changes for the one segment. */
static void test_fin_wait_1_fin_ack_time_wait(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_FIN_WAIT_1);
    fx_send_seg(&f, FX_MS(300), TCP_FIN | TCP_ACK, FX_PEER_ISN_WRAP + 1, FX_ISN_WRAP + 2, 0);
    expect_seg(&f, TCP_ACK, FX_ISN_WRAP + 2, FX_PEER_ISN_WRAP + 2, 0);
    expect_states2(&f, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_TIME_WAIT);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(300) + 2 * FX_SEC(60));
    fx_free(&f);
}

/* ---- from FIN-WAIT-2, CLOSING, CLOSE-WAIT, LAST-ACK, TIME-WAIT ------------------------------ */

/* RFC 9293 3.10.7.4 eighth, FIN-WAIT-2: a FIN: enter TIME-WAIT, start the 2 MSL timer, turn off
 * the other timers, acknowledge the FIN. */
static void test_fin_wait_2_fin_time_wait(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_FIN_WAIT_2);
    fx_send_seg(&f, FX_MS(400), TCP_FIN | TCP_ACK, FX_PEER_ISN_WRAP + 1, FX_ISN_WRAP + 2, 0);
    expect_seg(&f, TCP_ACK, FX_ISN_WRAP + 2, FX_PEER_ISN_WRAP + 2, 0);
    expect_state(&f, TCP_FIN_WAIT_2, TCP_TIME_WAIT);
    const trace_event *e = fx_find_timer(&f, TCP_TIMER_TIME_WAIT, TRACE_TIMER_ARM, 0);
    assert_non_null(e);
    assert_int_equal(e->u.timer.duration, 2 * FX_SEC(60));
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(400) + 2 * FX_SEC(60));
    fx_free(&f);
}

/* RFC 9293 3.10.7.4 fifth, CLOSING: the ACK of our FIN: enter TIME-WAIT; nothing is sent. */
static void test_closing_ack_time_wait(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_CLOSING);
    fx_send_seg(&f, FX_MS(400), TCP_ACK, FX_PEER_ISN_WRAP + 2, FX_ISN_WRAP + 2, 0);
    expect_nothing(&f);
    expect_state(&f, TCP_CLOSING, TCP_TIME_WAIT);
    assert_int_equal(f.ep.timer, TCP_TIMER_TIME_WAIT);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(400) + 2 * FX_SEC(60));
    fx_free(&f);
}

/* RFC 9293 3.10.4 CLOSE in CLOSE-WAIT: send FIN after the queued data, enter LAST-ACK:
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>. */
static void test_close_wait_close_last_ack(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_CLOSE_WAIT);
    fx_at(&f, FX_MS(300));
    assert_int_equal(tcp_close(&f.ep, f.now), TCP_EOK);
    expect_seg(&f, TCP_FIN | TCP_ACK, FX_ISN_WRAP + 1, FX_PEER_ISN_WRAP + 2, 0);
    expect_state(&f, TCP_CLOSE_WAIT, TCP_LAST_ACK);
    expect_rto_armed(&f, FX_SEC(1));
    fx_free(&f);
}

/* RFC 9293 3.10.7.4 fifth, LAST-ACK: the ACK of our FIN: delete the TCB, enter CLOSED; nothing
 * is sent and no timer is left. */
static void test_last_ack_ack_closed(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, NULL);
    fx_enter(&f, TCP_LAST_ACK);
    fx_send_seg(&f, FX_MS(400), TCP_ACK, FX_PEER_ISN_WRAP + 2, FX_ISN_WRAP + 2, 0);
    expect_nothing(&f);
    expect_state(&f, TCP_LAST_ACK, TCP_CLOSED);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    assert_int_equal(f.ep.error, TCP_ERR_NONE);
    fx_free(&f);
}

/* RFC 9293 3.10.8 time-wait timeout: after exactly 2 x MSL (here MSL = 30 s, so 60 s), delete
 * the TCB and enter CLOSED.  One microsecond earlier nothing happens. */
static void test_time_wait_timeout_closed(void **state)
{
    (void)state;
    tcp_config cfg = fx_config(FX_ISN_WRAP);
    cfg.msl = FX_SEC(30);
    fx f;
    fx_init(&f, TRACE_CLIENT, FX_ISN_WRAP, FX_PEER_ISN_WRAP, &cfg);
    fx_enter(&f, TCP_TIME_WAIT); /* entered at 400 ms */
    uint64_t end = FX_MS(400) + FX_SEC(60);
    assert_int_equal(tcp_next_deadline(&f.ep), end);
    fx_tick(&f, end - 1);
    expect_nothing(&f);
    expect_no_state_change(&f, TCP_TIME_WAIT);
    fx_tick(&f, end);
    expect_nothing(&f);
    expect_state(&f, TCP_TIME_WAIT, TCP_CLOSED);
    const trace_event *e = fx_find_timer(&f, TCP_TIMER_TIME_WAIT, TRACE_TIMER_FIRE, 0);
    assert_non_null(e);
    assert_int_equal(e->t, end);
    assert_int_equal(e->u.timer.duration, FX_SEC(60));
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_passive_open_listen),
        cmocka_unit_test(test_closed_active_open_syn_sent),
        cmocka_unit_test(test_listen_syn_syn_received),
        cmocka_unit_test(test_listen_active_open_syn_sent),
        cmocka_unit_test(test_listen_close_closed),
        cmocka_unit_test(test_syn_sent_close_closed),
        cmocka_unit_test(test_syn_sent_syn_syn_received),
        cmocka_unit_test(test_syn_sent_synack_established),
        cmocka_unit_test(test_syn_received_ack_established),
        cmocka_unit_test(test_syn_received_synack_established_simultaneous),
        cmocka_unit_test(test_syn_received_close_fin_wait_1),
        cmocka_unit_test(test_syn_received_rst_listen),
        cmocka_unit_test(test_established_close_fin_wait_1),
        cmocka_unit_test(test_established_fin_close_wait),
        cmocka_unit_test(test_fin_wait_1_ack_fin_wait_2),
        cmocka_unit_test(test_fin_wait_1_fin_closing),
        cmocka_unit_test(test_fin_wait_1_fin_ack_time_wait),
        cmocka_unit_test(test_fin_wait_2_fin_time_wait),
        cmocka_unit_test(test_closing_ack_time_wait),
        cmocka_unit_test(test_close_wait_close_last_ack),
        cmocka_unit_test(test_last_ack_ack_closed),
        cmocka_unit_test(test_time_wait_timeout_closed),
    };
    return cmocka_run_group_tests_name("tcp_states", tests, NULL, NULL);
}
