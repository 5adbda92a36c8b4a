/*
 * test_tcp_rules.c - rules of the endpoint that no other test pinned: each of these tests fails
 * when its rule is broken by hand (each was broken and watched to fail before it was kept):
 *
 *   - the send window update test of RFC 9293 3.10.7.4 (SND.WL1, SND.WL2, and only for an ACK
 *     with SND.UNA =< SEG.ACK);
 *   - the duplicate ACK definition of RFC 5681 section 2 (among other things, the advertised
 *     window must be unchanged);
 *   - NewReno's retransmission timer restart on the first partial ACK only (RFC 6582 3.2 step 3);
 *   - delayed ACKs at every second full-sized segment, smaller segments counting for less
 *     (RFC 1122 4.2.3.2, RFC 5681 4.2);
 *   - a segment at RCV.NXT when RCV.WND is zero: its ACK is processed, its text and FIN are not
 *     (RFC 9293 3.10.7.4 first);
 *   - the sender's SWS avoidance: a segment of at least half the largest window the peer ever
 *     offered may leave (RFC 1122 4.2.3.4 (2)), a smaller one waits.
 */
#include "tcp_fixture.h"

#define I FX_ISN_WRAP
#define P FX_PEER_ISN_WRAP

/* A client ESTABLISHED with the fixture's handshake, initial window iw segments (0: RFC 5681),
 * that wrote `bytes` at 200 ms; returns how many segments left. */
static int sender(fx *f, uint32_t iw, uint32_t bytes)
{
    tcp_config cfg = fx_config(I);
    cfg.iw_segments = iw;
    fx_init(f, TRACE_CLIENT, I, P, &cfg);
    fx_client_established(f);
    fx_at(f, FX_MS(200));
    assert_int_equal(tcp_send(&f->ep, f->now, bytes), bytes);
    int n = fx_drain(f);
    fx_mark(f);
    return n;
}

/* ---- RFC 9293 3.10.7.4: the window update ---------------------------------------------------- */

/* "If SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK), set SND.WND <- SEG.WND":
 * the peer's two data segments arrive out of order, the later one (window 10000) first: the
 * earlier one, with its older window 20000, must not undo the newer information.  A pure ACK
 * with the same SEG.SEQ and SEG.ACK as the last update (a pure window update) does update. */
static void test_established_window_update_wl1_wl2(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, NULL);
    fx_server_established(&f);
    assert_int_equal(f.ep.snd_wnd, 65535);
    tcp_seg later = fx_segw(TCP_ACK, P + 1001, I + 1, 1000, 10000);
    fx_feed(&f, FX_MS(200), &later);
    assert_int_equal(f.ep.snd_wnd, 10000);
    assert_int_equal(f.ep.snd_wl1, P + 1001);
    tcp_seg earlier = fx_segw(TCP_ACK, P + 1, I + 1, 1000, 20000);
    fx_feed(&f, FX_MS(201), &earlier); /* acceptable (it fills the gap), but older */
    assert_int_equal(f.ep.rcv_total, 2000);
    assert_int_equal(f.ep.snd_wnd, 10000);
    assert_int_equal(f.ep.snd_wl1, P + 1001);
    fx_drain(&f);
    /* the same SEG.SEQ as SND.WL1 and SEG.ACK = SND.WL2: a window update, taken */
    tcp_seg upd = fx_segw(TCP_ACK, P + 2001, I + 1, 0, 30000);
    fx_feed(&f, FX_MS(210), &upd);
    assert_int_equal(f.ep.snd_wnd, 30000);
    tcp_seg upd2 = fx_segw(TCP_ACK, P + 2001, I + 1, 0, 25000);
    fx_feed(&f, FX_MS(211), &upd2);
    assert_int_equal(f.ep.snd_wnd, 25000);
    fx_free(&f);
}

/* "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated": an old ACK (below
 * SND.UNA) that arrives late changes no window, neither with the SEG.SEQ of the last update
 * (SND.WL2 > SEG.ACK) nor with a higher SEG.SEQ (text the peer sent before the ACK that moved
 * SND.UNA, overtaken by it). */
static void test_established_window_not_updated_by_old_ack(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(sender(&f, 0, 4380), 3);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 2921, 0);
    assert_int_equal(f.ep.snd_una, I + 2921);
    tcp_seg shrink = fx_segw(TCP_ACK, P + 1, I + 2921, 0, 30000);
    fx_feed(&f, FX_MS(301), &shrink);
    assert_int_equal(f.ep.snd_wnd, 30000);
    tcp_seg old = fx_segw(TCP_ACK, P + 1, I + 1461, 0, 65535); /* reordered, older */
    fx_feed(&f, FX_MS(302), &old);
    assert_int_equal(f.ep.snd_wnd, 30000);
    assert_int_equal(f.ep.snd_una, I + 2921);
    /* text at a higher SEG.SEQ whose ACK is below SND.UNA: the text is taken, the window not */
    tcp_seg data = fx_segw(TCP_ACK, P + 1, I + 2921, 100, 30000);
    fx_feed(&f, FX_MS(303), &data);
    tcp_seg stale = fx_segw(TCP_ACK, P + 101, I + 1461, 100, 65535);
    fx_feed(&f, FX_MS(304), &stale);
    assert_int_equal(f.ep.rcv_total, 200);
    assert_int_equal(f.ep.snd_wnd, 30000);
    assert_int_equal(f.ep.snd_wl1, P + 1);
    fx_free(&f);
}

/* ---- RFC 5681 section 2: what a duplicate ACK is --------------------------------------------- */

/* Ten segments out, the first lost; three ACKs of SND.UNA arrive, but each advertises a new
 * window: "the advertised window in the incoming acknowledgment equals the advertised window in
 * the last incoming acknowledgment" fails, so none is a duplicate and nothing is retransmitted.
 * Three more with an unchanged window are duplicates: the third is a fast retransmit. */
static void test_established_dupack_needs_unchanged_window(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(sender(&f, 10, 14600), 10);
    static const uint16_t win[3] = {60000, 55000, 50000};
    for (int k = 0; k < 3; k++) {
        tcp_seg a = fx_segw(TCP_ACK, P + 1, I + 1, 0, win[k]);
        fx_feed(&f, FX_MS(300) + (uint64_t)k, &a);
        expect_nothing(&f);
        assert_int_equal(f.ep.snd_wnd, win[k]);
    }
    assert_int_equal(f.ep.cc.dupacks, 0);
    assert_false(f.ep.cc.in_recovery);
    for (int k = 0; k < 3; k++) {
        tcp_seg a = fx_segw(TCP_ACK, P + 1, I + 1, 0, 50000);
        fx_feed(&f, FX_MS(310) + (uint64_t)k, &a);
        if (k < 2)
            expect_nothing(&f);
    }
    const tcp_seg *s = expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    assert_true(s->tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_true(f.ep.cc.in_recovery);
    fx_free(&f);
}

/* The other conditions of the definition: an ACK carrying data, and one that arrives with
 * nothing outstanding, are not duplicates. */
static void test_established_dupack_not_with_data_or_nothing_outstanding(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(sender(&f, 10, 14600), 10);
    for (int k = 0; k < 4; k++) {
        fx_send_seg(&f, FX_MS(300) + (uint64_t)k, TCP_ACK, P + 1 + 10u * (uint32_t)k, I + 1, 10);
        assert_int_equal(f.ep.cc.dupacks, 0);
    }
    fx_drain(&f);
    assert_false(f.ep.cc.in_recovery);
    fx_free(&f);

    fx g;
    fx_init(&g, TRACE_CLIENT, I, P, NULL);
    fx_client_established(&g);
    for (int k = 0; k < 4; k++)
        fx_send_seg(&g, FX_MS(200) + (uint64_t)k, TCP_ACK, P + 1, I + 1, 0);
    assert_int_equal(g.ep.cc.dupacks, 0);
    expect_nothing(&g);
    fx_free(&g);
}

/* ---- RFC 6582 3.2 step 3: the timer restart on the first partial ACK only -------------------- */

/* Segments 1, 3 and 5 of ten lost.  The fast retransmit does not restart the running timer
 * (armed at 200 ms for 1 s); the first partial ACK (400 ms) does, to 1.4 s; the second (500 ms)
 * does not: "for the first partial ACK that arrives during fast recovery, also reset the
 * retransmit timer". */
static void test_established_newreno_timer_restart_first_partial_only(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(sender(&f, 10, 14600), 10);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(1200));
    for (int k = 0; k < 3; k++)
        fx_send_seg(&f, FX_MS(300) + (uint64_t)k, TCP_ACK, P + 1, I + 1, 0);
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(1200));
    fx_send_seg(&f, FX_MS(400), TCP_ACK, P + 1, I + 2921, 0);
    expect_seg(&f, TCP_ACK, I + 2921, P + 1, 1460);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(1400));
    fx_send_seg(&f, FX_MS(500), TCP_ACK, P + 1, I + 5841, 0);
    expect_seg(&f, TCP_ACK, I + 5841, P + 1, 1460);
    assert_true(f.ep.cc.in_recovery);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(1400));
    /* the full ACK ends recovery; nothing is left, so the timer stops */
    fx_send_seg(&f, FX_MS(600), TCP_ACK, P + 1, I + 14601, 0);
    assert_false(f.ep.cc.in_recovery);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

/* ---- RFC 1122 4.2.3.2: delayed ACKs count full-sized segments ------------------------------- */

/* "In a stream of full-sized segments there SHOULD be an ACK for at least every second
 * segment": two small segments are not two full-sized ones (the delayed-ACK timer answers
 * both), nor are a full-sized and a small one; two full-sized ones are answered at once. */
static void test_established_delack_counts_full_sized_segments(void **state)
{
    (void)state;
    static const uint32_t first[3] = {100, 1460, 1460};
    static const uint32_t second[3] = {100, 100, 1460};
    for (int k = 0; k < 3; k++) {
        fx f;
        fx_init(&f, TRACE_SERVER, I, P, NULL);
        fx_server_established(&f);
        fx_send_seg(&f, FX_MS(200), TCP_ACK, P + 1, I + 1, first[k]);
        expect_nothing(&f);
        fx_send_seg(&f, FX_MS(210), TCP_ACK, P + 1 + first[k], I + 1, second[k]);
        uint32_t end = P + 1 + first[k] + second[k];
        if (k < 2) {
            expect_nothing(&f);
            assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(240));
            fx_tick(&f, FX_MS(240));
        }
        expect_seg(&f, TCP_ACK, I + 1, end, 0);
        fx_free(&f);
    }
}

/* ---- RFC 9293 3.10.7.4 first: RCV.WND = 0 ------------------------------------------------- */

/* "If the RCV.WND is zero, no segments will be acceptable, but special allowance should be
 * made to accept valid ACKs, URGs, and RSTs": with its buffer full, the server gets a probe at
 * RCV.NXT whose ACK covers the server's own 100 bytes.  The ACK is processed (SND.UNA moves,
 * the retransmission timer stops), the octet is not taken, and an ACK answers.  A FIN at
 * RCV.NXT is not taken either: the state stays ESTABLISHED. */
static void test_established_zero_window_segment_at_rcv_nxt_ack_processed(void **state)
{
    (void)state;
    tcp_config cfg = fx_config(I);
    cfg.rcv_buf = 2920;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, &cfg);
    fx_server_established(&f);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 100), 100);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 100);
    fx_send_seg(&f, FX_MS(250), TCP_ACK, P + 1, I + 1, 1460);
    expect_nothing(&f);
    fx_send_seg(&f, FX_MS(251), TCP_ACK, P + 1461, I + 1, 1460);
    const tcp_seg *a = expect_seg(&f, TCP_ACK, I + 101, P + 2921, 0);
    assert_int_equal(a->win, 0);
    assert_int_equal(f.ep.snd_una, I + 1);
    assert_int_equal(f.ep.timer, TCP_TIMER_RTO);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 2921, I + 101, 1);
    a = expect_seg(&f, TCP_ACK, I + 101, P + 2921, 0);
    assert_int_equal(a->win, 0);
    assert_int_equal(f.ep.snd_una, I + 101);
    assert_int_equal(f.ep.timer, TCP_TIMER_NONE);
    assert_int_equal(f.ep.rcv_total, 2920);
    fx_mark(&f);
    fx_send_seg(&f, FX_MS(400), TCP_ACK | TCP_FIN, P + 2921, I + 101, 0);
    expect_seg(&f, TCP_ACK, I + 101, P + 2921, 0);
    expect_no_state_change(&f, TCP_ESTABLISHED);
    assert_false(f.ep.fin_seen);
    fx_free(&f);
}

/* ---- RFC 1122 4.2.3.4: the sender's SWS avoidance ------------------------------------------ */

/* The peer offers at most 1000 bytes (less than an MSS).  "Send data ... if at least a fraction
 * Fs of the maximum window can be sent", Fs = 1/2: of a 3000-byte write 1000 bytes leave at
 * once; after an ACK of 400 bytes only 400 could go, less than half of 1000, so nothing does;
 * after 100 more are acknowledged, exactly half (500) can go, and goes. */
static void test_established_sws_half_the_largest_window(void **state)
{
    (void)state;
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, NULL);
    f.peer_win = 1000;
    fx_client_established(&f);
    assert_int_equal(f.ep.max_snd_wnd, 1000);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 3000), 3000);
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 1000);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 401, 0);
    expect_nothing(&f);
    fx_send_seg(&f, FX_MS(310), TCP_ACK, P + 1, I + 501, 0);
    expect_seg(&f, TCP_ACK, I + 1001, P + 1, 500);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_established_window_update_wl1_wl2),
        cmocka_unit_test(test_established_window_not_updated_by_old_ack),
        cmocka_unit_test(test_established_dupack_needs_unchanged_window),
        cmocka_unit_test(test_established_dupack_not_with_data_or_nothing_outstanding),
        cmocka_unit_test(test_established_newreno_timer_restart_first_partial_only),
        cmocka_unit_test(test_established_delack_counts_full_sized_segments),
        cmocka_unit_test(test_established_zero_window_segment_at_rcv_nxt_ack_processed),
        cmocka_unit_test(test_established_sws_half_the_largest_window),
    };
    return cmocka_run_group_tests_name("tcp_rules", tests, NULL, NULL);
}
