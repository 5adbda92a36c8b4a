/*
 * test_tcp_rack.c - loss recovery as Linux does it: RACK (RFC 8985 6, tcp_rack_detect_loss,
 * tcp_rack_reo_wnd), TLP (RFC 8985 7, tcp_schedule_loss_probe, tcp_send_loss_probe,
 * tcp_process_tlp_ack), PRR (RFC 6937, tcp_cwnd_reduction), CUBIC (RFC 9438, tcp_cubic.c), and
 * Linux's RTO estimator (tcp_rtt_estimator, tcp_set_rto) with an RTT sample per ACK.
 */
#include "tcp_fixture.h"

#include "tcp_cc.h"
#include "tcp_rto.h"

#define I FX_ISN_WRAP
#define P FX_PEER_ISN_WRAP
#define S 1448u

static tcp_config linux_cfg(void)
{
    tcp_config c = fx_config(I);
    tcp_config_profile(&c, true);
    c.hz = 0; /* exact timers */
    return c;
}

/* A Linux client with SACK and timestamps agreed, ten segments out at 200 ms (handshake RTT
 * 100 ms, so SRTT 100 ms, min RTT 100 ms, RTO 300 ms). */
static void sender10(fx *f, const tcp_config *c)
{
    fx_init(f, TRACE_CLIENT, I, P, c);
    f->peer_sack = true;
    f->peer_ts = true;
    fx_client_established(f);
    fx_at(f, FX_MS(200));
    assert_int_equal(tcp_send(&f->ep, f->now, 10 * S), 10 * S);
    assert_int_equal(fx_drain(f), 10);
    fx_mark(f);
}

/* An ACK of SND.UNA SACKing [I + 1 + a * S, I + 1 + b * S). */
static void sack(fx *f, uint64_t t, uint32_t una_segs, uint32_t a, uint32_t b)
{
    uint32_t bl[2] = {I + 1 + a * S, I + 1 + b * S};
    tcp_seg s = fx_seg_sack(f, P + 1, I + 1 + una_segs * S, bl, 1);
    fx_feed(f, t, &s);
}

/* RFC 8985 6.2 and tcp_rack_reo_wnd: segment 9 lost, segment 10 SACKed: with fewer than three
 * segments SACKed and no reordering seen, RACK waits a reordering window of min RTT / 4 (25 ms)
 * after RACK.rtt, plus Linux's two jiffies; then segment 9 is lost and retransmitted. */
static void test_rack_reordering_window(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    sender10(&f, &c);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1 + 8 * S, 0);
    sack(&f, FX_MS(301), 8, 9, 10);
    expect_nothing(&f);
    assert_int_equal(f.ep.timer, TCP_TIMER_REORDER);
    /* RACK.rtt = 101 ms, reo_wnd 25 ms: 200 + 101 + 25 = 326, + 2 ms (clock 1 ms) */
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(326) + 2 * c.clock_g);
    fx_tick(&f, tcp_next_deadline(&f.ep));
    const tcp_seg *r = expect_seg(&f, TCP_ACK, I + 1 + 8 * S, P + 1, S);
    assert_true(r->tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_int_equal(f.ep.ca_state, TCP_CA_RECOVERY);
    fx_free(&f);
}

/* tcp_rack_reo_wnd: with three segments SACKed (the duplicate-ACK threshold) the window is zero:
 * everything sent before the latest delivered segment is lost at once. */
static void test_rack_dupthresh_zero_window(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    sender10(&f, &c);
    sack(&f, FX_MS(300), 0, 1, 2);
    sack(&f, FX_MS(300), 0, 1, 3);
    expect_nothing(&f);
    sack(&f, FX_MS(300), 0, 1, 4);
    const tcp_seg *r = expect_seg(&f, TCP_ACK, I + 1, P + 1, S);
    assert_true(r->tags & TCP_TAG_FAST_RETRANSMISSION);
    fx_free(&f);
}

/* RFC 6937 as tcp_cwnd_reduction computes it: segments 2 and 5 lost; at the third duplicate
 * ACK both are lost (RACK, window zero) and recovery starts with ssthresh = 7 (CUBIC: 0.7 x
 * cwnd 10) and RecoverFS = 10: PRR lets one retransmission out per segment delivered, so the
 * second goes with the next duplicate ACK, not at once. */
static void test_prr_paces_retransmissions(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    sender10(&f, &c);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1 + S, 0); /* segment 1 */
    fx_drain(&f);
    sack(&f, FX_MS(300), 1, 2, 4); /* 3, 4 */
    expect_nothing(&f);
    uint32_t bl[4] = {I + 1 + 5 * S, I + 1 + 6 * S, I + 1 + 2 * S, I + 1 + 4 * S};
    tcp_seg s = fx_seg_sack(&f, P + 1, I + 1 + S, bl, 2); /* 6 too */
    fx_feed(&f, FX_MS(300), &s);
    const tcp_seg *r = expect_seg(&f, TCP_ACK, I + 1 + S, P + 1, S);
    assert_true(r->tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_int_equal(f.ep.cc.ssthresh, 7 * S);
    assert_int_equal(f.ep.prior_cwnd, 11); /* 10, + 1 for the ACK of segment 1 */
    bl[1] = I + 1 + 7 * S;
    s = fx_seg_sack(&f, P + 1, I + 1 + S, bl, 2);
    fx_feed(&f, FX_MS(301), &s);
    r = expect_seg(&f, TCP_ACK, I + 1 + 4 * S, P + 1, S);
    assert_true(r->tags & TCP_TAG_FAST_RETRANSMISSION);
    fx_free(&f);
}

/* RFC 6937 (PRR-SSRB) as Linux bounds it: once the pipe is below ssthresh, what may be sent is
 * what was delivered, but never more than what brings the pipe up to ssthresh: segment 1 lost
 * of twenty written, ten sent; one ACK SACKs 2-4: ssthresh 7, pipe 6: the retransmission only
 * (not two new segments more); the next SACKs 5-10: pipe 1, so six new segments (not eight). */
static void test_prr_bounded_by_ssthresh(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    f.peer_sack = true;
    f.peer_ts = true;
    fx_client_established(&f);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 20 * S), 20 * S);
    assert_int_equal(fx_drain(&f), 10);
    sack(&f, FX_MS(300), 0, 1, 4);
    assert_int_equal(fx_drain(&f), 1);
    expect_fields(&f.out[0], TCP_ACK, I + 1, P + 1, S);
    assert_int_equal(f.ep.cc.ssthresh, 7 * S);
    sack(&f, FX_MS(301), 0, 1, 10);
    assert_int_equal(fx_drain(&f), 6);
    expect_fields(&f.out[0], TCP_ACK, I + 1 + 10 * S, P + 1, S);
    fx_free(&f);
}

/* RFC 8985 7.2 and tcp_schedule_loss_probe: after a burst the probe timer replaces the RTO:
 * PTO = 2 SRTT + 2 ms with several segments out (202 ms), 2 SRTT + the minimum RTO with one
 * (400 ms), but never later than the RTO would fire (300 ms). */
static void test_tlp_timeout(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    sender10(&f, &c);
    assert_int_equal(f.ep.timer, TCP_TIMER_TLP);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(402));
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1 + 9 * S, 0); /* one left */
    assert_int_equal(f.ep.timer, TCP_TIMER_TLP);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(600)); /* min(400, RTO 300) */
    fx_free(&f);
}

/* RFC 8985 7.3 and tcp_send_loss_probe: with no new data the probe is the last segment again
 * (with its PSH), the RTO restarts from it, one probe at a time.  tcp_process_tlp_ack: an ACK
 * up to the probe's end alone says nothing (both copies may have arrived); the first ACK beyond
 * it proves the original was lost, and the window is reduced once (CWR: cwnd = ssthresh = 0.7 x
 * cwnd). */
static void test_tlp_probe_last_segment_and_cwr(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    sender10(&f, &c);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1 + 9 * S, 0);
    fx_tick(&f, FX_MS(600));
    const tcp_seg *r = expect_seg(&f, TCP_ACK | TCP_PSH, I + 1 + 9 * S, P + 1, S);
    assert_true(r->tags & TCP_TAG_RETRANSMISSION);
    assert_int_equal(f.ep.tlp_high_seq, I + 1 + 10 * S);
    assert_int_equal(f.ep.timer, TCP_TIMER_RTO);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(900));
    fx_send_seg(&f, FX_MS(700), TCP_ACK, P + 1, I + 1 + 10 * S, 0);
    assert_int_equal(f.ep.tlp_high_seq, I + 1 + 10 * S);
    uint32_t cwnd = f.ep.cc.cwnd / S;
    fx_at(&f, FX_MS(800));
    assert_int_equal(tcp_send(&f.ep, f.now, S), S);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1 + 10 * S, P + 1, S);
    fx_send_seg(&f, FX_MS(900), TCP_ACK, P + 1, I + 1 + 11 * S, 0);
    assert_int_equal(f.ep.tlp_high_seq, 0);
    assert_int_equal(f.ep.cc.ssthresh / S, cwnd * 717 / 1024);
    assert_int_equal(f.ep.cc.cwnd, f.ep.cc.ssthresh);
    fx_free(&f);
}

/* tcp_send_loss_probe: new data, if the window allows, is the probe (one segment). */
static void test_tlp_probe_new_data(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    c.iw_segments = 2;
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    f.peer_sack = true;
    f.peer_ts = true;
    fx_client_established(&f);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 4 * S), 4 * S);
    assert_int_equal(fx_drain(&f), 2);
    fx_tick(&f, tcp_next_deadline(&f.ep));
    const tcp_seg *r = expect_seg(&f, TCP_ACK, I + 1 + 2 * S, P + 1, S);
    assert_int_equal(r->tags & TCP_TAG_RETRANSMISSION, 0);
    assert_false(f.ep.tlp_retrans);
    fx_free(&f);
}

/* RFC 8985 6.2: a retransmission that is lost too is found by time as well: new data sent
 * after it is SACKed more than RACK.rtt later, and it goes a third time. */
static void test_rack_lost_retransmission(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    sender10(&f, &c);
    for (uint32_t k = 2; k <= 4; k++)
        sack(&f, FX_MS(300), 0, 1, k);
    expect_seg(&f, TCP_ACK, I + 1, P + 1, S); /* the first retransmission, at 300 ms */
    assert_int_equal(tcp_send(&f.ep, f.now, S), S);
    expect_nothing(&f); /* PRR: nothing more for now */
    sack(&f, FX_MS(301), 0, 1, 5);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1 + 10 * S, P + 1, S); /* new data, after it */
    sack(&f, FX_MS(452), 0, 1, 11);
    const tcp_seg *r = expect_seg(&f, TCP_ACK, I + 1, P + 1, S);
    assert_true(r->tags & TCP_TAG_FAST_RETRANSMISSION);
    fx_free(&f);
}

/* RFC 9438 4.6/4.7 and Linux's cubictcp: ssthresh = 0.7 x cwnd; fast convergence: a window that
 * stopped below the last W_max remembers (1 + 0.7) / 2 of it; in congestion avoidance the
 * window regrows toward W_max fast, then slowly around it (cnt grows). */
static void test_cubic(void **state)
{
    (void)state;
    tcp_cubic c;
    tcp_cubic_reset(&c);
    assert_int_equal(tcp_cubic_ssthresh(&c, 100), 70);
    assert_int_equal(c.w_max, 100);
    assert_int_equal(tcp_cubic_ssthresh(&c, 80), 56);
    assert_int_equal(c.w_max, 68); /* 80 x 1.7 / 2 */
    tcp_cubic_reset(&c);
    (void)tcp_cubic_ssthresh(&c, 100);
    /* K = cbrt((100 - 70) / 0.4) = 4.2 s.  Just after the reduction the curve one RTT ahead is
     * 2.08 segments above cwnd 70: one more per 33 acknowledged; 2 s later it is 26 above: one per
     * 2 (the floor); near K it is flat: hundreds */
    assert_int_equal(tcp_cubic_cnt(&c, 70, 1, 1000000, 100000), 33);
    assert_int_equal(tcp_cubic_cnt(&c, 70, 1, 3000000, 100000), 2);
    assert_true(tcp_cubic_cnt(&c, 100, 1, 1000000 + 4100000, 100000) > 100);
    assert_true(c.k > 4.1 && c.k < 4.3);
}

/* tcp_rtt_estimator and tcp_set_rto: the first sample R gives SRTT = R and a variance term of
 * max(2 R, the minimum RTO): 100 ms gives RTO 300 ms with the 200 ms minimum (RFC 6298 would
 * say 1 s with its 1 s minimum, 300 ms without it); a larger sample raises the term at once;
 * a smaller one lowers the deviation eight times more slowly, and the term decays only once per
 * round trip, when SND.UNA passes rtt_seq. */
static void test_linux_rto_estimator(void **state)
{
    (void)state;
    tcp_rto r;
    tcp_rto_init(&r, 1000000, 200000, 120000000, 1000);
    r.linux_est = true;
    tcp_rto_sample_linux(&r, 100000, 1000, 2000);
    assert_int_equal(r.srtt, 100000);
    assert_int_equal(r.var4, 200000);
    assert_int_equal(r.rto, 300000);
    /* 300 ms: error 200, SRTT 125, mdev = 50 + (200 - 50) / 4 = 87.5 ms: 4 x 87.5 = 350 */
    tcp_rto_sample_linux(&r, 300000, 1500, 2000);
    assert_int_equal(r.srtt, 125000);
    assert_int_equal(r.mdev, 87500);
    assert_int_equal(r.var4, 350000);
    assert_int_equal(r.rto, 475000);
    /* 50 ms: error -75, |75| - 87.5 < 0: mdev falls by 12.5 / 4 to 84.375; the term stays 350
     * within the round trip */
    tcp_rto_sample_linux(&r, 50000, 1500, 2000);
    assert_int_equal(r.mdev, 84375);
    assert_int_equal(r.var4, 350000);
    /* SND.UNA passes rtt_seq (2000): that round trip's largest deviation was the 350 itself,
     * nothing to decay; the next trip's is 205.8: the term moves a quarter of the way, to 314 */
    tcp_rto_sample_linux(&r, 116000, 2500, 3000);
    assert_int_equal(r.var4, 350000);
    assert_int_equal(r.rtt_seq, 3000);
    tcp_rto_sample_linux(&r, 100000, 3500, 4000);
    assert_true(r.var4 > 310000 && r.var4 < 318000);
    /* the minimum bounds the variance term, not the RTO: a first sample of 20 ms gives
     * 20 + max(40, 200) = 220 ms (RFC 6298 2.4 would give 200) */
    tcp_rto s;
    tcp_rto_init(&s, 1000000, 200000, 120000000, 1000);
    tcp_rto_sample_linux(&s, 20000, 0, 10);
    assert_int_equal(s.rto, 220000);
}

/* tcp_synack_rtt_meas: Linux times the handshake from the SYN,ACK's send time, with timestamps
 * or without (net.ipv4.tcp_timestamps=0): the server's RTO after the handshake is SRTT +
 * max(4 mdev, 200 ms) = 300 ms, not the initial 1 s; after a retransmitted SYN,ACK there is no
 * sample without timestamps (Karn's rule). */
static void test_linux_rtt_handshake_sample_without_timestamps(void **state)
{
    (void)state;
    for (int rexmit = 0; rexmit <= 1; rexmit++) {
        tcp_config c = linux_cfg();
        c.timestamps = false;
        fx f;
        fx_init(&f, TRACE_SERVER, I, P, &c);
        f.peer_sack = true;
        fx_server_syn_received(&f);
        uint64_t t = f.now + FX_RTT;
        if (rexmit) {
            fx_tick(&f, tcp_next_deadline(&f.ep)); /* the SYN,ACK again, after 1 s */
            expect_seg(&f, TCP_SYN | TCP_ACK, I, P + 1, 0);
            t = f.now + FX_RTT;
        }
        fx_send_seg(&f, t, TCP_ACK, P + 1, I + 1, 0);
        assert_int_equal(f.ep.state, TCP_ESTABLISHED);
        assert_int_equal(f.ep.rto.has_sample, !rexmit);
        if (!rexmit) {
            assert_int_equal(f.ep.rto.srtt, FX_RTT);
            assert_int_equal(f.ep.rto.rto, FX_MS(300));
        }
        fx_free(&f);
    }
}

/* Linux takes an RTT sample from every ACK of new data (the earliest newly acknowledged segment
 * never retransmitted): ten ACKs, ten samples; RFC 6298 times one segment per round trip. */
static void test_linux_rtt_sample_per_ack(void **state)
{
    (void)state;
    for (int lx = 1; lx >= 0; lx--) {
        tcp_config c = linux_cfg();
        c.rto_est = lx ? TCP_RTO_LINUX : TCP_RTO_RFC6298;
        c.timestamps = false; /* RFC 7323 would time every ACK too */
        fx f;
        sender10(&f, &c);
        for (uint32_t k = 1; k <= 10; k++)
            fx_send_seg(&f, FX_MS(300) + k, TCP_ACK, P + 1, I + 1 + k * S, 0);
        assert_int_equal(fx_count(&f, TRACE_RTT), lx ? 10 : 1);
        fx_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rack_reordering_window),
        cmocka_unit_test(test_rack_dupthresh_zero_window),
        cmocka_unit_test(test_prr_paces_retransmissions),
        cmocka_unit_test(test_prr_bounded_by_ssthresh),
        cmocka_unit_test(test_tlp_timeout),
        cmocka_unit_test(test_tlp_probe_last_segment_and_cwr),
        cmocka_unit_test(test_tlp_probe_new_data),
        cmocka_unit_test(test_rack_lost_retransmission),
        cmocka_unit_test(test_cubic),
        cmocka_unit_test(test_linux_rto_estimator),
        cmocka_unit_test(test_linux_rtt_sample_per_ack),
        cmocka_unit_test(test_linux_rtt_handshake_sample_without_timestamps),
    };
    return cmocka_run_group_tests_name("tcp_rack", tests, NULL, NULL);
}
