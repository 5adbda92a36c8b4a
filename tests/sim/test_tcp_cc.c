/*
 * test_tcp_cc.c - congestion control, on tcp_cc_* alone and through the endpoint: the initial
 * window of RFC 5681 3.1 (4, 3 or 2 segments by SMSS), slow start (equation 2) and congestion
 * avoidance (equation 3), fast retransmit on the third duplicate ACK with ssthresh =
 * max(FlightSize / 2, 2 * SMSS) and cwnd = ssthresh + 3 * SMSS (3.2), inflation by further
 * duplicates, NewReno partial and full acknowledgments (RFC 6582 3.2), and the loss window of
 * one SMSS after a retransmission timeout (RFC 5681 3.1).
 */
#include "tcp_fixture.h"

#include "tcp_cc.h"

#define I FX_ISN_WRAP
#define P FX_PEER_ISN_WRAP

/* ---- tcp_cc alone ------------------------------------------------------------------------- */

static uint32_t iw(uint32_t smss)
{
    tcp_cc cc;
    tcp_cc_init(&cc, smss, 0, 0);
    return cc.cwnd;
}

/* RFC 5681 3.1: IW = 2 * SMSS if SMSS > 2190, 3 * SMSS if 1095 < SMSS <= 2190, 4 * SMSS if
 * SMSS <= 1095; ssthresh starts "arbitrarily high". */
static void test_cc_initial_window_rfc5681(void **state)
{
    (void)state;
    assert_int_equal(iw(1460), 3 * 1460);
    assert_int_equal(iw(536), 4 * 536);
    assert_int_equal(iw(4000), 2 * 4000);
    assert_int_equal(iw(1095), 4 * 1095);
    assert_int_equal(iw(1096), 3 * 1096);
    assert_int_equal(iw(2190), 3 * 2190);
    assert_int_equal(iw(2191), 2 * 2191);
    tcp_cc cc;
    tcp_cc_init(&cc, 1460, 10, 0); /* an explicit initial window (RFC 6928 style) */
    assert_int_equal(cc.cwnd, 14600);
    assert_true(cc.ssthresh >= 65535u << 14); /* above any window the peer can offer */
    assert_false(cc.in_recovery);
    assert_int_equal(cc.dupacks, 0);
}

/* RFC 5681 3.1 equation (2): in slow start cwnd += min(N, SMSS) per ACK. */
static void test_cc_slow_start_growth(void **state)
{
    (void)state;
    tcp_cc cc;
    tcp_cc_init(&cc, 1460, 0, 0);
    assert_int_equal(tcp_cc_on_new_ack(&cc, 1461, 1460, 2920, 1460), TCP_CC_NONE);
    assert_int_equal(cc.cwnd, 5840);
    tcp_cc_on_new_ack(&cc, 4461, 3000, 0, 1460); /* N > SMSS: only SMSS */
    assert_int_equal(cc.cwnd, 7300);
    tcp_cc_on_new_ack(&cc, 4961, 500, 0, 1460); /* N < SMSS: N */
    assert_int_equal(cc.cwnd, 7800);
}

/* RFC 5681 3.1 equation (3): in congestion avoidance cwnd += SMSS * SMSS / cwnd per ACK:
 * 5840 + 1460 * 1460 / 5840 = 5840 + 365 = 6205, then + 343 (integer division) = 6548. */
static void test_cc_congestion_avoidance_growth(void **state)
{
    (void)state;
    tcp_cc cc;
    tcp_cc_init(&cc, 1460, 0, 0);
    cc.ssthresh = 4380;
    cc.cwnd = 5840;
    tcp_cc_on_new_ack(&cc, 1461, 1460, 0, 1460);
    assert_int_equal(cc.cwnd, 6205);
    tcp_cc_on_new_ack(&cc, 2921, 1460, 0, 1460);
    assert_int_equal(cc.cwnd, 6548);
}

/* RFC 5681 3.2 steps 2-4: the third duplicate ACK: ssthresh = max(FlightSize / 2, 2 * SMSS)
 * = 7300 for 14600 in flight, cwnd = ssthresh + 3 * SMSS = 11680, retransmit; each further
 * duplicate inflates cwnd by one SMSS.  With 2000 bytes in flight ssthresh is 2 * SMSS. */
static void test_cc_third_dupack_fast_retransmit(void **state)
{
    (void)state;
    tcp_cc cc;
    tcp_cc_init(&cc, 1460, 10, 1000);
    assert_int_equal(tcp_cc_on_dupack(&cc, 5001, 19601, 14600, 1460), TCP_CC_NONE);
    assert_int_equal(tcp_cc_on_dupack(&cc, 5001, 19601, 14600, 1460), TCP_CC_NONE);
    assert_int_equal(cc.cwnd, 14600); /* unchanged by the first two */
    assert_int_equal(tcp_cc_on_dupack(&cc, 5001, 19601, 14600, 1460), TCP_CC_FAST_RETRANSMIT);
    assert_int_equal(cc.ssthresh, 7300);
    assert_int_equal(cc.cwnd, 7300 + 3 * 1460);
    assert_true(cc.in_recovery);
    assert_int_equal(cc.recover, 19600); /* RFC 6582: highest sequence number sent */
    assert_int_equal(tcp_cc_on_dupack(&cc, 5001, 19601, 14600, 1460), TCP_CC_NONE);
    assert_int_equal(cc.cwnd, 7300 + 4 * 1460);

    tcp_cc_init(&cc, 1460, 10, 1000);
    for (int k = 0; k < 3; k++)
        tcp_cc_on_dupack(&cc, 5001, 7001, 2000, 1460);
    assert_int_equal(cc.ssthresh, 2 * 1460);
    assert_int_equal(cc.cwnd, 2 * 1460 + 3 * 1460);
}

/* RFC 6582 3.2 step 3: a partial ACK (below recover + 1) deflates cwnd by the amount acked and
 * adds back one SMSS, and asks for the next hole to be retransmitted (with a timer restart
 * the first time only); the full ACK ends recovery with cwnd = min(ssthresh,
 * max(FlightSize, SMSS) + SMSS). */
static void test_cc_partial_then_full_ack(void **state)
{
    (void)state;
    tcp_cc cc;
    tcp_cc_init(&cc, 1460, 10, 1000);
    for (int k = 0; k < 3; k++)
        tcp_cc_on_dupack(&cc, 5001, 19601, 14600, 1460);
    assert_int_equal(cc.cwnd, 11680);
    assert_int_equal(tcp_cc_on_new_ack(&cc, 7921, 2920, 11680, 1460), TCP_CC_PARTIAL_ACK_FIRST);
    assert_int_equal(cc.cwnd, 11680 - 2920 + 1460);
    assert_true(cc.in_recovery);
    assert_int_equal(tcp_cc_on_new_ack(&cc, 10841, 2920, 8760, 1460), TCP_CC_PARTIAL_ACK);
    assert_int_equal(cc.cwnd, 10220 - 2920 + 1460);
    assert_int_equal(tcp_cc_on_new_ack(&cc, 19601, 8760, 0, 1460), TCP_CC_NONE);
    assert_false(cc.in_recovery);
    assert_int_equal(cc.cwnd, 2920); /* min(7300, max(0, 1460) + 1460) */

    /* with new data in flight at the full ACK, ssthresh is the limit */
    tcp_cc_init(&cc, 1460, 10, 1000);
    for (int k = 0; k < 3; k++)
        tcp_cc_on_dupack(&cc, 5001, 19601, 14600, 1460);
    assert_int_equal(tcp_cc_on_new_ack(&cc, 19601, 14600, 10000, 1460), TCP_CC_NONE);
    assert_int_equal(cc.cwnd, 7300);
}

/* RFC 5681 3.1: on a timeout ssthresh = max(FlightSize / 2, 2 * SMSS) (kept on a repeated
 * timeout of the same segment) and cwnd = LW = 1 SMSS; RFC 6582 3.2 step 4: recover = highest
 * sent, so duplicate ACKs below it do not start a fast retransmit. */
static void test_cc_rto_loss_window(void **state)
{
    (void)state;
    tcp_cc cc;
    tcp_cc_init(&cc, 1460, 10, 1000);
    tcp_cc_on_rto(&cc, 10000, 11001, 1460, true);
    assert_int_equal(cc.ssthresh, 5000);
    assert_int_equal(cc.cwnd, 1460);
    assert_int_equal(cc.recover, 11000);
    tcp_cc_on_rto(&cc, 1460, 11001, 1460, false);
    assert_int_equal(cc.ssthresh, 5000);
    assert_int_equal(cc.cwnd, 1460);
    for (int k = 0; k < 3; k++)
        assert_int_equal(tcp_cc_on_dupack(&cc, 5001, 11001, 6000, 1460), TCP_CC_NONE);
    assert_false(cc.in_recovery);
}

/* ---- through the endpoint ----------------------------------------------------------------- */

/* A client with the given initial window (segments; 0 = RFC 5681), ESTABLISHED, that has sent
 * `bytes` at 200 ms; returns the number of segments that left. */
static int sender(fx *f, uint32_t iw_segments, uint32_t bytes)
{
    tcp_config cfg = fx_config(I);
    cfg.iw_segments = iw_segments;
    fx_init(f, TRACE_CLIENT, I, P, &cfg);
    fx_client_established(f);
    fx_at(f, FX_MS(200));
    assert_int_equal(tcp_send(&f->ep, f->now, bytes), bytes);
    int n = fx_drain(f);
    fx_mark(f);
    return n;
}

static const trace_event *last_cwnd(const fx *f)
{
    size_t n = fx_count(f, TRACE_CWND);
    assert_true(n > 0);
    return fx_find(f, TRACE_CWND, n - 1);
}

/* Slow start through the endpoint: 3 segments (IW for MSS 1460), then each ACK of one segment
 * grows cwnd by one SMSS and lets two more segments out. */
static void test_established_slow_start_two_segments_per_ack(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(sender(&f, 0, 14600), 3);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1461, 0);
    assert_int_equal(fx_drain(&f), 2);
    expect_fields(&f.out[0], TCP_ACK, I + 4381, P + 1, 1460);
    expect_fields(&f.out[1], TCP_ACK, I + 5841, P + 1, 1460);
    assert_int_equal(last_cwnd(&f)->u.cwnd.cwnd, 5840);
    fx_free(&f);
}

/* RFC 5681 3.2: ten segments out, the first lost: the third duplicate ACK retransmits the
 * segment at SND.UNA (tagged fast-retransmission) with ssthresh = 14600 / 2 = 7300 and cwnd =
 * 7300 + 3 * 1460; the first two duplicates send nothing. */
static void test_established_third_dupack_fast_retransmit(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(sender(&f, 10, 14600), 10);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1, 0);
    expect_nothing(&f);
    fx_send_seg(&f, FX_MS(301), TCP_ACK, P + 1, I + 1, 0);
    expect_nothing(&f);
    fx_send_seg(&f, FX_MS(302), TCP_ACK, P + 1, I + 1, 0);
    const tcp_seg *s = expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    assert_true(s->tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_int_equal(f.ep.cc.ssthresh, 7300);
    assert_int_equal(f.ep.cc.cwnd, 11680);
    const trace_event *c = last_cwnd(&f);
    assert_int_equal(c->u.cwnd.ssthresh, 7300);
    assert_int_equal(c->u.cwnd.cwnd, 11680);
    fx_free(&f);
}

/* RFC 6582 3.2: segments 1 and 3 lost.  After the fast retransmit of 1, the ACK up to 3 is
 * partial: segment 3 is retransmitted at once; the ACK of everything is full and deflates cwnd
 * to min(ssthresh, max(FlightSize, SMSS) + SMSS) = 2920. */
static void test_established_partial_ack_retransmits_next_hole(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(sender(&f, 10, 14600), 10);
    for (int k = 0; k < 3; k++)
        fx_send_seg(&f, FX_MS(300) + (uint64_t)k, TCP_ACK, P + 1, I + 1, 0);
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    fx_send_seg(&f, FX_MS(400), TCP_ACK, P + 1, I + 2921, 0);
    const tcp_seg *s = expect_seg(&f, TCP_ACK, I + 2921, P + 1, 1460);
    assert_true(s->tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_true(f.ep.cc.in_recovery);
    assert_int_equal(f.ep.cc.cwnd, 11680 - 2920 + 1460);
    fx_send_seg(&f, FX_MS(500), TCP_ACK, P + 1, I + 14601, 0);
    expect_nothing(&f);
    assert_false(f.ep.cc.in_recovery);
    assert_int_equal(f.ep.cc.cwnd, 2920);
    assert_int_equal(last_cwnd(&f)->u.cwnd.cwnd, 2920);
    fx_free(&f);
}

/* RFC 5681 3.1: after an RTO cwnd = 1 SMSS, so only the first segment is resent; ssthresh =
 * max(4380 / 2, 2 * 1460) = 2920.  Its ACK doubles cwnd (slow start) and the next two segments
 * follow, retransmitted go-back style. */
static void test_established_rto_cwnd_one_smss(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(sender(&f, 0, 4380), 3);
    fx_tick(&f, FX_MS(1200));
    const tcp_seg *s = expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    assert_true(s->tags & TCP_TAG_RETRANSMISSION);
    assert_int_equal(f.ep.cc.cwnd, 1460);
    assert_int_equal(f.ep.cc.ssthresh, 2920);
    fx_send_seg(&f, FX_MS(1300), TCP_ACK, P + 1, I + 1461, 0);
    assert_int_equal(f.ep.cc.cwnd, 2920);
    assert_int_equal(fx_drain(&f), 2);
    expect_fields(&f.out[0], TCP_ACK, I + 1461, P + 1, 1460);
    expect_fields(&f.out[1], TCP_ACK | TCP_PSH, I + 2921, P + 1, 1460);
    assert_true(f.out[0].tags & TCP_TAG_RETRANSMISSION);
    fx_free(&f);
}

/* RFC 5681 3.1 grows cwnd for ACKs of new data only: the ACK of a SYN (0 data bytes) leaves it
 * at the initial window; slow start then adds min(N, SMSS) for N data bytes. */
static void test_cc_ack_of_syn_or_fin_no_growth(void **state)
{
    (void)state;
    tcp_cc cc;
    tcp_cc_init(&cc, 1460, 0, 0);
    assert_int_equal(tcp_cc_on_new_ack(&cc, 1, 0, 0, 1460), TCP_CC_NONE);
    assert_int_equal(cc.cwnd, 4380);
    cc.ssthresh = 4000; /* congestion avoidance: no "+1 at least" for a FIN's ACK either */
    assert_int_equal(tcp_cc_on_new_ack(&cc, 2, 0, 0, 1460), TCP_CC_NONE);
    assert_int_equal(cc.cwnd, 4380);
    tcp_cc_on_new_ack(&cc, 102, 100, 0, 1460);
    assert_int_equal(cc.cwnd, 4380 + 1460 * 1460 / 4380);
}

/* The server's handshake ACK acknowledges only its SYN,ACK: cwnd stays the initial window of
 * 3 segments, traced once as such. */
static void test_syn_received_ack_keeps_initial_window(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, NULL);
    fx_server_established(&f);
    assert_int_equal(f.ep.cc.cwnd, 4380);
    size_t n = 0; /* the whole trace, marks aside: one cwnd event, the initial window */
    for (size_t k = 0; k < f.tb.n; k++)
        if (f.tb.ev[k].kind == TRACE_CWND) {
            assert_int_equal(f.tb.ev[k].u.cwnd.cwnd, 4380);
            assert_string_equal(f.tb.ev[k].text, "initial window (RFC 5681 3.1)");
            n++;
        }
    assert_int_equal(n, 1);
    fx_free(&f);
}

/* RFC 5681 3.1: "If the SYN or SYN/ACK is lost, the initial window used by a sender after a
 * correctly transmitted SYN MUST be one segment": after a SYN timeout the client's first write
 * of 4380 bytes sends one segment, the next after its ACK (slow start: two). */
static void test_syn_sent_timeout_initial_window_one_segment(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, NULL);
    fx_client_syn_sent(&f);
    fx_tick(&f, FX_MS(1000));
    expect_seg(&f, TCP_SYN, I, 0, 0);
    fx_send_seg(&f, FX_MS(1100), TCP_SYN | TCP_ACK, P, I + 1, 0);
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
    assert_int_equal(f.ep.cc.cwnd, 1460);
    assert_true(f.ep.cc.ssthresh >= 65535u << 14); /* a new connection: "arbitrarily high" */
    fx_at(&f, FX_MS(1200));
    assert_int_equal(tcp_send(&f.ep, f.now, 4380), 4380);
    assert_int_equal(fx_drain(&f), 1);
    fx_send_seg(&f, FX_MS(1300), TCP_ACK, P + 1, I + 1461, 0);
    assert_int_equal(fx_drain(&f), 2);
    assert_int_equal(f.ep.cc.cwnd, 2920);
    fx_free(&f);
}

/* The same on the passive side: the SYN,ACK timed out once, so the server starts with one. */
static void test_syn_received_timeout_initial_window_one_segment(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, NULL);
    fx_server_syn_received(&f);
    fx_tick(&f, FX_MS(1000));
    expect_seg(&f, TCP_SYN | TCP_ACK, I, P + 1, 0);
    fx_send_seg(&f, FX_MS(1100), TCP_ACK, P + 1, I + 1, 0);
    assert_int_equal(f.ep.state, TCP_ESTABLISHED);
    assert_int_equal(f.ep.cc.cwnd, 1460);
    assert_string_equal(last_cwnd(&f)->text, "SYN timed out: initial window 1 segment");
    fx_at(&f, FX_MS(1200));
    assert_int_equal(tcp_send(&f.ep, f.now, 4380), 4380);
    assert_int_equal(fx_drain(&f), 1);
    fx_free(&f);
}

/* The Linux profile (cfg.syn_loss_iw = 2, initial window 10): one SYN timeout keeps the
 * initial window, a second makes it one segment; syn_loss_iw = 0 never does. */
static void test_syn_loss_iw_linux_profile(void **state)
{
    (void)state;
    for (uint32_t timeouts = 1; timeouts <= 2; timeouts++) {
        for (uint32_t rule = 0; rule <= 2; rule += 2) {
            tcp_config cfg = fx_config(I);
            tcp_config_profile(&cfg, true);
            assert_int_equal(cfg.syn_loss_iw, 2);
            cfg.syn_loss_iw = rule;
            cfg.hz = 0;         /* timers at their exact times (the wheel is tested apart) */
            cfg.syn_linear = 0; /* the RTO doubles: 1 s, 2 s */
            fx f;
            fx_init(&f, TRACE_CLIENT, I, P, &cfg);
            fx_client_syn_sent(&f);
            uint64_t t = 0, rto = FX_MS(1000);
            for (uint32_t k = 0; k < timeouts; k++) {
                t += rto;
                rto *= 2;
                fx_tick(&f, t);
                expect_seg(&f, TCP_SYN, I, 0, 0);
            }
            fx_send_seg(&f, t + FX_MS(100), TCP_SYN | TCP_ACK, P, I + 1, 0);
            expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
            bool one = rule != 0 && timeouts >= rule;
            assert_int_equal(f.ep.cc.cwnd, one ? 1460 : 14600);
            fx_free(&f);
        }
    }
    tcp_config rfc;
    tcp_config_default(&rfc);
    assert_int_equal(rfc.syn_loss_iw, 1);
    tcp_config_profile(&rfc, true);
    tcp_config_profile(&rfc, false); /* --profile rfc undoes linux */
    assert_int_equal(rfc.syn_loss_iw, 1);
    assert_int_equal(rfc.iw_segments, 0);
    assert_int_equal(rfc.rto_min, 1000000);
    assert_int_equal(rfc.msl, 60000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cc_initial_window_rfc5681),
        cmocka_unit_test(test_cc_slow_start_growth),
        cmocka_unit_test(test_cc_congestion_avoidance_growth),
        cmocka_unit_test(test_cc_third_dupack_fast_retransmit),
        cmocka_unit_test(test_cc_partial_then_full_ack),
        cmocka_unit_test(test_cc_rto_loss_window),
        cmocka_unit_test(test_established_slow_start_two_segments_per_ack),
        cmocka_unit_test(test_established_third_dupack_fast_retransmit),
        cmocka_unit_test(test_established_partial_ack_retransmits_next_hole),
        cmocka_unit_test(test_established_rto_cwnd_one_smss),
        cmocka_unit_test(test_cc_ack_of_syn_or_fin_no_growth),
        cmocka_unit_test(test_syn_received_ack_keeps_initial_window),
        cmocka_unit_test(test_syn_sent_timeout_initial_window_one_segment),
        cmocka_unit_test(test_syn_received_timeout_initial_window_one_segment),
        cmocka_unit_test(test_syn_loss_iw_linux_profile),
    };
    return cmocka_run_group_tests_name("tcp_cc", tests, NULL, NULL);
}
