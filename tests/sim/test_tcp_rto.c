/*
 * test_tcp_rto.c - the retransmission timer of RFC 6298, first on the estimator alone
 * (tcp_rto_*) with worked numbers: the initial RTO (2.1), the first and later samples (2.2,
 * 2.3), the clock granularity G, the minimum (2.4) and maximum (2.5), the backoff (5.5) and the
 * 3 s rule after a SYN timeout (5.7); then on the endpoint: RTT samples from ACKs, the timer
 * restarting on new ACKs (5.3), retransmission of the same segment at 1 s, 2 s, 4 s, Karn's
 * rule (section 3), the 5.7 rule after a lost SYN, retransmission of SYN, SYN,ACK and FIN, and
 * giving up after cfg.syn_retries / cfg.max_retries (RFC 9293 3.8.3).
 */
#include "tcp_fixture.h"

#include "tcp_rto.h"

#define I FX_ISN_WRAP
#define P FX_PEER_ISN_WRAP

#define MS  FX_MS
#define SEC FX_SEC

/* ---- the estimator ------------------------------------------------------------------------ */

/* RFC 6298 2.1: until a sample is made, RTO = 1 s (the minimum of 2.4 does not lower it). */
static void test_rto_initial_is_1s(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, SEC(1), SEC(1), SEC(60), MS(1));
    assert_int_equal(r.rto, SEC(1));
    assert_false(r.has_sample);
    tcp_rto_init(&r, SEC(1), MS(200), SEC(60), MS(1));
    assert_int_equal(r.rto, SEC(1));
}

/* RFC 6298 2.2: first sample R = 100 ms: SRTT = R = 100 ms, RTTVAR = R/2 = 50 ms,
 * RTO = SRTT + max(G, 4 * RTTVAR) = 300 ms, rounded up to the 1 s minimum (2.4). */
static void test_rto_first_sample_100ms_gives_1s(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, SEC(1), SEC(1), SEC(60), MS(1));
    tcp_rto_sample(&r, MS(100));
    assert_true(r.has_sample);
    assert_int_equal(r.srtt, MS(100));
    assert_int_equal(r.rttvar, MS(50));
    assert_int_equal(r.rto, SEC(1));
}

/* The same sample with a 200 ms minimum (Linux, tcpsim --rto-min 200ms): RTO = 300 ms. */
static void test_rto_first_sample_100ms_min_200ms_gives_300ms(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, SEC(1), MS(200), SEC(60), MS(1));
    tcp_rto_sample(&r, MS(100));
    assert_int_equal(r.srtt, MS(100));
    assert_int_equal(r.rttvar, MS(50));
    assert_int_equal(r.rto, MS(300));
}

/* RFC 6298 2.3: a second sample R' = 200 ms (RTTVAR first, with the old SRTT):
 * RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5 ms, SRTT = 7/8 * 100 + 1/8 * 200 = 112.5 ms,
 * RTO = 112.5 + 4 * 62.5 = 362.5 ms (minimum 200 ms). */
static void test_rto_second_sample_200ms_gives_362_5ms(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, SEC(1), MS(200), SEC(60), MS(1));
    tcp_rto_sample(&r, MS(100));
    tcp_rto_sample(&r, MS(200));
    assert_int_equal(r.rttvar, 62500);
    assert_int_equal(r.srtt, 112500);
    assert_int_equal(r.rto, 362500);
}

/* RFC 6298 2.2/2.3: RTO = SRTT + max(G, K*RTTVAR).  With G = 100 ms and R = 10 ms,
 * K*RTTVAR = 20 ms < G, so RTO = 10 + 100 = 110 ms (no minimum here); with G = 1 ms,
 * RTO = 10 + 20 = 30 ms.  Equal samples shrink RTTVAR, and G keeps the floor. */
static void test_rto_clock_granularity_when_k_rttvar_below_g(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, SEC(1), 0, SEC(60), MS(100));
    tcp_rto_sample(&r, MS(10));
    assert_int_equal(r.rttvar, MS(5));
    assert_int_equal(r.rto, MS(110));
    tcp_rto_init(&r, SEC(1), 0, SEC(60), MS(1));
    tcp_rto_sample(&r, MS(10));
    assert_int_equal(r.rto, MS(30));
    for (int k = 0; k < 40; k++)
        tcp_rto_sample(&r, MS(10));
    assert_true(4 * r.rttvar < MS(1));
    assert_int_equal(r.srtt, MS(10));
    assert_int_equal(r.rto, MS(11));
}

/* RFC 6298 5.5: each expiry doubles RTO; 2.5: a maximum (60 s here) caps it. */
static void test_rto_backoff_doubles_capped_by_max(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, SEC(1), SEC(1), SEC(60), MS(1));
    const uint64_t want[] = {SEC(2), SEC(4), SEC(8), SEC(16), SEC(32), SEC(60), SEC(60)};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        tcp_rto_backoff(&r);
        assert_int_equal(r.rto, want[k]);
    }
    /* from a computed value: 362.5 ms -> 725 ms */
    tcp_rto_init(&r, SEC(1), MS(200), SEC(60), MS(1));
    tcp_rto_sample(&r, MS(100));
    tcp_rto_sample(&r, MS(200));
    tcp_rto_backoff(&r);
    assert_int_equal(r.rto, 725000);
}

/* RFC 6298 2.5: a computed RTO above the maximum is capped too (R = 100 s -> 300 s -> 60 s). */
static void test_rto_sample_capped_by_max(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, SEC(1), SEC(1), SEC(60), MS(1));
    tcp_rto_sample(&r, SEC(100));
    assert_int_equal(r.rto, SEC(60));
}

/* RFC 6298 5.7: after a SYN timeout, an RTO below 3 s becomes 3 s; a larger one stays. */
static void test_rto_reset_after_syn_timeout_3s(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, SEC(1), SEC(1), SEC(60), MS(1));
    assert_true(tcp_rto_reset_after_syn_timeout(&r));
    assert_int_equal(r.rto, SEC(3));
    r.rto = SEC(4);
    assert_false(tcp_rto_reset_after_syn_timeout(&r));
    assert_int_equal(r.rto, SEC(4));
}

/* ---- the endpoint ------------------------------------------------------------------------- */

static void client(fx *f, const tcp_config *cfg)
{
    fx_init(f, TRACE_CLIENT, I, P, cfg);
    fx_client_established(f); /* handshake RTT sample 100 ms: RTO 1 s */
}

/* An ACK of timed data gives a sample (RFC 6298 2.3, section 3): 150 ms after the handshake's
 * 100 ms: RTTVAR = (3 * 50 + |100 - 150|) / 4 = 50 ms, SRTT = (7 * 100 + 150) / 8 = 106.25 ms,
 * RTO = 106.25 + 200 = 306.25 ms with a 200 ms minimum; the trace reports all four. */
static void test_established_ack_gives_rtt_sample(void **state)
{
    (void)state;
    tcp_config cfg = fx_config(I);
    cfg.rto_min = MS(200);
    fx f;
    client(&f, &cfg);
    assert_int_equal(f.ep.rto.rto, MS(300));
    fx_at(&f, MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 100), 100);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 100);
    fx_send_seg(&f, MS(350), TCP_ACK, P + 1, I + 101, 0);
    assert_int_equal(fx_count(&f, TRACE_RTT), 1);
    const trace_event *e = fx_find(&f, TRACE_RTT, 0);
    assert_int_equal(e->u.rtt.sample, MS(150));
    assert_int_equal(e->u.rtt.srtt, 106250);
    assert_int_equal(e->u.rtt.rttvar, MS(50));
    assert_int_equal(e->u.rtt.rto, 306250);
    fx_free(&f);
}

/* RFC 6298 5.1 and 5.3: the timer starts with the first segment and restarts (now + RTO) when
 * an ACK acknowledges new data but not all; 5.2: it stops when everything is acknowledged. */
static void test_established_rto_restarts_on_new_ack(void **state)
{
    (void)state;
    fx f;
    client(&f, NULL);
    fx_at(&f, MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 2920), 2920);
    assert_int_equal(fx_drain(&f), 2);
    assert_int_equal(tcp_next_deadline(&f.ep), MS(200) + SEC(1));
    fx_send_seg(&f, MS(300), TCP_ACK, P + 1, I + 1461, 0);
    assert_int_equal(tcp_next_deadline(&f.ep), MS(300) + SEC(1));
    fx_send_seg(&f, MS(310), TCP_ACK, P + 1, I + 2921, 0);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

/* RFC 6298 5.4 - 5.6: on expiry retransmit the earliest unacknowledged segment, double the
 * RTO, restart the timer: the same segment leaves at +1 s, +2 s, +4 s after the previous one. */
static void test_established_rto_backoff_1s_2s_4s(void **state)
{
    (void)state;
    fx f;
    client(&f, NULL);
    fx_at(&f, MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 100), 100);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 100);
    uint64_t t = MS(200);
    uint64_t rto = SEC(1);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(tcp_next_deadline(&f.ep), t + rto);
        fx_tick(&f, t + rto - 1);
        expect_nothing(&f);
        t += rto;
        fx_mark(&f);
        fx_tick(&f, t);
        const tcp_seg *s = expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 100);
        assert_true(s->tags & TCP_TAG_RETRANSMISSION);
        rto *= 2;
        const trace_event *arm = fx_find_timer(&f, TCP_TIMER_RTO, TRACE_TIMER_ARM, 0);
        assert_non_null(arm);
        assert_int_equal(arm->u.timer.duration, rto);
        assert_non_null(fx_find_timer(&f, TCP_TIMER_RTO, TRACE_TIMER_FIRE, 0));
    }
    assert_int_equal(f.ep.retries, 3);
    assert_int_equal(f.ep.retrans_segs, 3);
    fx_free(&f);
}

/* Karn's rule (RFC 6298 section 3): the ACK of a retransmitted segment gives no RTT sample,
 * and the backed-off RTO (2 s) stays for the next segment until a valid sample arrives. */
static void test_established_karn_no_sample_from_retransmission(void **state)
{
    (void)state;
    fx f;
    client(&f, NULL);
    fx_at(&f, MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 100), 100);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 100);
    fx_tick(&f, MS(1200));
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 100);
    assert_int_equal(f.ep.rto.rto, SEC(2));
    fx_mark(&f);
    /* this ACK may answer the original or the retransmission: no sample */
    fx_send_seg(&f, MS(1300), TCP_ACK, P + 1, I + 101, 0);
    assert_int_equal(fx_count(&f, TRACE_RTT), 0);
    assert_int_equal(f.ep.rto.srtt, MS(100));
    assert_int_equal(f.ep.rto.rto, SEC(2));
    /* new data is timed with the backed-off RTO, and its ACK is a valid sample */
    fx_at(&f, MS(1400));
    assert_int_equal(tcp_send(&f.ep, f.now, 100), 100);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 101, P + 1, 100);
    assert_int_equal(tcp_next_deadline(&f.ep), MS(1400) + SEC(2));
    fx_send_seg(&f, MS(1500), TCP_ACK, P + 1, I + 201, 0);
    assert_int_equal(fx_count(&f, TRACE_RTT), 1);
    assert_int_equal(fx_find(&f, TRACE_RTT, 0)->u.rtt.sample, MS(100));
    assert_int_equal(f.ep.rto.rto, SEC(1));
    fx_free(&f);
}

/* After an RTO the endpoint rewinds snd_nxt to SND.UNA (go-back-N), but an ACK must still
 * carry <SEQ=SND.NXT> in the sense of RFC 9293 (3.3.1, 3.10.7.4): the next new sequence number,
 * which retransmission from the queue does not move (snd_max in the endpoint; BSD does the same
 * for segments without data).  A peer that received everything has RCV.NXT = SND.MAX; an ACK
 * numbered below it is unacceptable there (3.10.7.4 first) and dropped, acknowledgment field and
 * all, and when both ends have rewound neither learns its data arrived until both give up
 * (test_echo_lossy_link_1000_seeds).  A regression test: this failed before sim commit b081a3f.
 * Here: three segments sent, the RTO resends the first, then a (delayed) data segment from the
 * peer must be acknowledged with SEQ = ISS + 1 + 4380, not ISS + 1 + 1460. */
static void test_established_ack_after_rto_carries_snd_nxt_not_rewound(void **state)
{
    (void)state;
    tcp_config cfg = fx_config(I);
    cfg.delack = 0;
    fx f;
    client(&f, &cfg);
    fx_at(&f, MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 4380), 4380);
    assert_int_equal(fx_drain(&f), 3);
    fx_tick(&f, MS(1200));
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460); /* the retransmission, cwnd = 1 SMSS */
    fx_send_seg(&f, MS(1250), TCP_ACK | TCP_PSH, P + 1, I + 1, 100);
    expect_seg(&f, TCP_ACK, I + 4381, P + 101, 0);
    fx_free(&f);
}

/* ABORT's reset, <SEQ=SND.NXT><CTL=RST> (RFC 9293 3.10.5), likewise carries the next new
 * sequence number after a go-back, ISS + 1 + 4380 here (failed before sim commit b081a3f). */
static void test_established_abort_after_rto_rst_seq_snd_nxt_not_rewound(void **state)
{
    (void)state;
    fx f;
    client(&f, NULL);
    fx_at(&f, MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 4380), 4380);
    assert_int_equal(fx_drain(&f), 3);
    fx_tick(&f, MS(1200));
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    fx_at(&f, MS(1300));
    tcp_abort(&f.ep, f.now);
    expect_seg(&f, TCP_RST, I + 4381, 0, 0);
    fx_free(&f);
}

/* RFC 6298 5.7: the SYN timed out once (resent at 1 s), the SYN,ACK arrives (no sample, by
 * Karn's rule): once established, RTO = 3 s, and the first data segment is timed with it. */
static void test_syn_sent_timeout_rto_3s_once_established(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, NULL);
    fx_client_syn_sent(&f);
    fx_tick(&f, SEC(1));
    const tcp_seg *s = expect_seg(&f, TCP_SYN, I, 0, 0);
    assert_true(s->tags & TCP_TAG_RETRANSMISSION);
    assert_int_equal(tcp_next_deadline(&f.ep), SEC(3));
    fx_send_seg(&f, MS(1100), TCP_SYN | TCP_ACK, P, I + 1, 0);
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
    assert_int_equal(f.ep.state, TCP_ESTABLISHED);
    assert_int_equal(fx_count(&f, TRACE_RTT), 0);
    assert_int_equal(f.ep.rto.rto, SEC(3));
    assert_int_equal(fx_count(&f, TRACE_NOTE), 1); /* the trace says why */
    assert_string_equal(fx_find(&f, TRACE_NOTE, 0)->text,
                        "RTO 3 s: the SYN timed out (RFC 6298 5.7)");
    fx_at(&f, MS(1200));
    assert_int_equal(tcp_send(&f.ep, f.now, 10), 10);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 10);
    assert_int_equal(tcp_next_deadline(&f.ep), MS(1200) + SEC(3));
    fx_free(&f);
}

/* The SYN,ACK of a passive open is retransmitted by the same timer (RFC 6298 applies to it). */
static void test_syn_received_rto_resends_synack(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, NULL);
    fx_server_syn_received(&f);
    assert_int_equal(tcp_next_deadline(&f.ep), SEC(1));
    fx_tick(&f, SEC(1));
    const tcp_seg *s = expect_seg(&f, TCP_SYN | TCP_ACK, I, P + 1, 0);
    assert_true(s->tags & TCP_TAG_RETRANSMISSION);
    assert_int_equal(tcp_next_deadline(&f.ep), SEC(3));
    expect_no_state_change(&f, TCP_SYN_RECEIVED);
    fx_free(&f);
}

/* RFC 6298 5.7 on the passive side: the SYN,ACK timed out, the handshake's ACK comes (no sample:
 * Karn), so SYN-RECEIVED -> ESTABLISHED starts data transfer with RTO = 3 s, said in a note. */
static void test_syn_received_timeout_rto_3s_once_established(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, NULL);
    fx_server_syn_received(&f);
    fx_tick(&f, SEC(1));
    expect_seg(&f, TCP_SYN | TCP_ACK, I, P + 1, 0);
    fx_send_seg(&f, MS(1100), TCP_ACK, P + 1, I + 1, 0);
    expect_nothing(&f);
    assert_int_equal(f.ep.state, TCP_ESTABLISHED);
    assert_int_equal(fx_count(&f, TRACE_RTT), 0);
    assert_int_equal(f.ep.rto.rto, SEC(3));
    assert_int_equal(fx_count(&f, TRACE_NOTE), 1);
    fx_at(&f, MS(1200));
    assert_int_equal(tcp_send(&f.ep, f.now, 10), 10);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 10);
    assert_int_equal(tcp_next_deadline(&f.ep), MS(1200) + SEC(3));
    fx_free(&f);
}

/* A FIN is retransmitted like data: FIN-WAIT-1 resends <SEQ=ISS+1><CTL=FIN,ACK> after 1 s. */
static void test_fin_wait_1_rto_resends_fin(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, NULL);
    fx_fin_wait_1(&f); /* FIN sent at 200 ms */
    fx_tick(&f, MS(1200));
    const tcp_seg *s = expect_seg(&f, TCP_FIN | TCP_ACK, I + 1, P + 1, 0);
    assert_true(s->tags & TCP_TAG_RETRANSMISSION);
    assert_int_equal(tcp_next_deadline(&f.ep), MS(1200) + SEC(2));
    expect_no_state_change(&f, TCP_FIN_WAIT_1);
    fx_free(&f);
}

/* RFC 9293 3.8.3 / RFC 1122 4.2.3.5: after cfg.syn_retries retransmissions of the SYN the
 * connection attempt fails: CLOSED with a timeout error, nothing sent.  syn_retries = 2: SYNs
 * at 0, 1 s and 3 s; the attempt ends at 7 s. */
static void test_syn_sent_gives_up_after_syn_retries_closed(void **state)
{
    (void)state;
    tcp_config cfg = fx_config(I);
    cfg.syn_retries = 2;
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &cfg);
    fx_client_syn_sent(&f);
    fx_tick(&f, SEC(1));
    expect_seg(&f, TCP_SYN, I, 0, 0);
    fx_tick(&f, SEC(3));
    expect_seg(&f, TCP_SYN, I, 0, 0);
    assert_int_equal(tcp_next_deadline(&f.ep), SEC(7));
    fx_tick(&f, SEC(7));
    expect_nothing(&f);
    expect_state(&f, TCP_SYN_SENT, TCP_CLOSED);
    assert_int_equal(fx_find(&f, TRACE_STATE, 0)->t, SEC(7));
    assert_int_equal(f.ep.error, TCP_ERR_TIMEOUT);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

/* The default syn_retries = 6: seven SYNs, then CLOSED at 1+2+4+8+16+32+64 = 127 s. */
static void test_syn_sent_default_gives_up_at_127s(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, NULL);
    fx_client_syn_sent(&f);
    int syns = 1;
    while (f.ep.state == TCP_SYN_SENT) {
        uint64_t d = tcp_next_deadline(&f.ep);
        assert_true(d != TCP_NEVER);
        fx_tick(&f, d);
        syns += fx_drain(&f);
    }
    assert_int_equal(syns, 7);
    assert_int_equal(f.now, SEC(127));
    assert_int_equal(f.ep.state, TCP_CLOSED);
    fx_free(&f);
}

/* After cfg.max_retries retransmissions of data the connection is closed with a timeout:
 * max_retries = 3: data at 0.2 s, resent at 1.2, 3.2, 7.2 s; CLOSED at 15.2 s. */
static void test_established_gives_up_after_max_retries_closed(void **state)
{
    (void)state;
    tcp_config cfg = fx_config(I);
    cfg.max_retries = 3;
    fx f;
    client(&f, &cfg);
    fx_at(&f, MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 100), 100);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 100);
    const uint64_t resend[] = {MS(1200), MS(3200), MS(7200)};
    for (int k = 0; k < 3; k++) {
        fx_tick(&f, resend[k]);
        expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 100);
    }
    expect_no_state_change(&f, TCP_ESTABLISHED);
    assert_int_equal(tcp_next_deadline(&f.ep), MS(15200));
    fx_tick(&f, MS(15200));
    expect_nothing(&f);
    expect_state(&f, TCP_ESTABLISHED, TCP_CLOSED);
    assert_int_equal(f.ep.error, TCP_ERR_TIMEOUT);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rto_initial_is_1s),
        cmocka_unit_test(test_rto_first_sample_100ms_gives_1s),
        cmocka_unit_test(test_rto_first_sample_100ms_min_200ms_gives_300ms),
        cmocka_unit_test(test_rto_second_sample_200ms_gives_362_5ms),
        cmocka_unit_test(test_rto_clock_granularity_when_k_rttvar_below_g),
        cmocka_unit_test(test_rto_backoff_doubles_capped_by_max),
        cmocka_unit_test(test_rto_sample_capped_by_max),
        cmocka_unit_test(test_rto_reset_after_syn_timeout_3s),
        cmocka_unit_test(test_established_ack_gives_rtt_sample),
        cmocka_unit_test(test_established_rto_restarts_on_new_ack),
        cmocka_unit_test(test_established_rto_backoff_1s_2s_4s),
        cmocka_unit_test(test_established_karn_no_sample_from_retransmission),
        cmocka_unit_test(test_established_ack_after_rto_carries_snd_nxt_not_rewound),
        cmocka_unit_test(test_established_abort_after_rto_rst_seq_snd_nxt_not_rewound),
        cmocka_unit_test(test_syn_sent_timeout_rto_3s_once_established),
        cmocka_unit_test(test_syn_received_rto_resends_synack),
        cmocka_unit_test(test_syn_received_timeout_rto_3s_once_established),
        cmocka_unit_test(test_fin_wait_1_rto_resends_fin),
        cmocka_unit_test(test_syn_sent_gives_up_after_syn_retries_closed),
        cmocka_unit_test(test_syn_sent_default_gives_up_at_127s),
        cmocka_unit_test(test_established_gives_up_after_max_retries_closed),
    };
    return cmocka_run_group_tests_name("tcp_rto", tests, NULL, NULL);
}
