/*
 * test_tcp_ts.c - the Timestamps option (RFC 7323, tcp_ts.c): negotiation on the SYNs (3.2),
 * TSval/TSecr on every segment and TS.Recent (4.3), PAWS (5.3), RTT samples from TSecr (4.2),
 * and the 12 bytes it takes from every segment's data (RFC 6691).
 */
#include "tcp_fixture.h"

#define I FX_ISN_WRAP
#define P FX_PEER_ISN_WRAP

static tcp_config ts_cfg(void)
{
    tcp_config c = fx_config(I);
    c.timestamps = true;
    return c;
}

/* RFC 7323 3.2: our SYN offers TSval (the clock: milliseconds from 1) with TSecr 0; a SYN,ACK
 * with the option agrees, and from then every segment carries TSval and TSecr = TS.Recent, the
 * peer's last TSval; RFC 6691: the 12 bytes come out of each segment's data (MSS 1460 sends
 * 1448). */
static void test_syn_sent_timestamps_agreed(void **state)
{
    (void)state;
    tcp_config c = ts_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    fx_at(&f, FX_MS(5));
    assert_int_equal(tcp_open_active(&f.ep, f.now), TCP_EOK);
    const tcp_seg *syn = expect_seg(&f, TCP_SYN, I, 0, 0);
    assert_true(syn->has_ts);
    assert_int_equal(syn->tsval, 6);
    assert_int_equal(syn->tsecr, 0);
    tcp_seg sa = fx_seg(&f, TCP_SYN | TCP_ACK, P, I + 1, 0);
    sa.has_ts = true;
    sa.tsval = 7777;
    sa.tsecr = 6;
    fx_feed(&f, FX_MS(105), &sa);
    const tcp_seg *a = expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
    assert_true(f.ep.ts_ok);
    assert_true(a->has_ts);
    assert_int_equal(a->tsval, 106);
    assert_int_equal(a->tsecr, 7777);
    assert_int_equal(f.ep.smss, 1448);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 3000), 3000);
    assert_int_equal(fx_drain(&f), 2); /* and Nagle holds the last 104 bytes */
    expect_fields(&f.out[0], TCP_ACK, I + 1, P + 1, 1448);
    expect_fields(&f.out[1], TCP_ACK, I + 1449, P + 1, 1448);
    assert_true(f.out[1].has_ts);
    fx_free(&f);
}

/* Without the option on the SYN,ACK neither side uses it: no option, the whole MSS of data. */
static void test_syn_sent_no_timestamps_without_peer(void **state)
{
    (void)state;
    tcp_config c = ts_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    fx_client_established(&f);
    assert_false(f.ep.ts_ok);
    assert_false(f.out[0].has_ts);
    assert_int_equal(f.ep.smss, 1460);
    fx_free(&f);

    /* a listener answers with the option only a SYN that offered it */
    fx g;
    fx_init(&g, TRACE_SERVER, I, P, &c);
    fx_server_syn_received(&g);
    assert_false(g.out[0].has_ts);
    fx_free(&g);
    fx h;
    fx_init(&h, TRACE_SERVER, I, P, &c);
    h.peer_ts = true;
    fx_server_syn_received(&h);
    assert_true(h.out[0].has_ts);
    assert_int_equal(h.out[0].tsecr, 1); /* the peer's SYN at t = 0: TSval 1 */
    fx_free(&h);
}

/* A server that agreed to timestamps with a peer whose segments carry them. */
static void ts_server(fx *f)
{
    tcp_config c = ts_cfg();
    c.delack = 0;
    fx_init(f, TRACE_SERVER, I, P, &c);
    f->peer_ts = true;
    fx_server_established(f);
    assert_true(f->ep.ts_ok);
}

static tcp_seg ts_data(const fx *f, uint32_t seq, uint32_t len, uint32_t tsval)
{
    tcp_seg s = fx_seg(f, TCP_ACK, seq, I + 1, len);
    s.tsval = tsval;
    return s;
}

/* RFC 7323 4.3: TS.Recent takes SEG.TSval of an acceptable segment with SEG.SEQ =< Last.ACK.sent
 * and SEG.TSval >= TS.Recent; an out-of-order segment (SEG.SEQ above Last.ACK.sent) leaves it:
 * the ACK it causes echoes the TSval of the segment that last advanced the window. */
static void test_established_ts_recent_rule(void **state)
{
    (void)state;
    fx f;
    ts_server(&f);
    tcp_seg a = ts_data(&f, P + 1, 1000, 500);
    fx_feed(&f, FX_MS(200), &a);
    assert_int_equal(expect_seg(&f, TCP_ACK, I + 1, P + 1001, 0)->tsecr, 500);
    tcp_seg ooo = ts_data(&f, P + 2001, 1000, 600);
    fx_feed(&f, FX_MS(210), &ooo);
    assert_int_equal(expect_seg(&f, TCP_ACK, I + 1, P + 1001, 0)->tsecr, 500);
    tcp_seg fill = ts_data(&f, P + 1001, 1000, 610);
    fx_feed(&f, FX_MS(220), &fill);
    assert_int_equal(expect_seg(&f, TCP_ACK, I + 1, P + 3001, 0)->tsecr, 610);
    fx_free(&f);
}

/* RFC 7323 5.3 R1 (PAWS): a segment whose TSval is older than TS.Recent is an old duplicate:
 * it is answered with an ACK and dropped (its text is not taken); a RST is exempt. */
static void test_established_paws_drops_old_segment(void **state)
{
    (void)state;
    fx f;
    ts_server(&f);
    tcp_seg a = ts_data(&f, P + 1, 1000, 5000);
    fx_feed(&f, FX_MS(200), &a);
    expect_seg(&f, TCP_ACK, I + 1, P + 1001, 0);
    tcp_seg old = ts_data(&f, P + 1001, 1000, 4000);
    fx_feed(&f, FX_MS(210), &old);
    expect_seg(&f, TCP_ACK, I + 1, P + 1001, 0);
    assert_int_equal(f.ep.rcv_total, 1000);
    tcp_seg rst = ts_data(&f, P + 1001, 0, 4000);
    rst.flags = TCP_RST;
    fx_feed(&f, FX_MS(220), &rst);
    assert_int_equal(f.ep.state, TCP_CLOSED);
    fx_free(&f);
}

/* RFC 7323 4.2 (RTTM) and the example: the SYN is lost and sent again at 1 s; the
 * SYN,ACK echoes the second SYN's TSval, so the handshake gives a sample of 100 ms although the
 * SYN was retransmitted (Karn's rule keeps the textbook endpoint without one, and RFC 6298 5.7
 * then arms 3 s): with Linux's 200 ms minimum the RTO is 300 ms, not 3 s. */
static void test_syn_sent_retransmitted_syn_timed_by_tsecr(void **state)
{
    (void)state;
    for (int ts = 0; ts <= 1; ts++) {
        tcp_config c = fx_config(I);
        c.timestamps = ts == 1;
        c.rto_min = FX_MS(200);
        fx f;
        fx_init(&f, TRACE_CLIENT, I, P, &c);
        fx_client_syn_sent(&f);
        fx_tick(&f, FX_SEC(1));
        const tcp_seg *syn = expect_seg(&f, TCP_SYN, I, 0, 0);
        tcp_seg sa = fx_seg(&f, TCP_SYN | TCP_ACK, P, I + 1, 0);
        if (ts) {
            sa.has_ts = true;
            sa.tsval = 42;
            sa.tsecr = syn->tsval;
            assert_int_equal(syn->tsval, 1001);
        }
        fx_feed(&f, FX_MS(1100), &sa);
        expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
        assert_int_equal(f.ep.rto.rto, ts ? FX_MS(300) : FX_SEC(3));
        assert_int_equal(fx_count(&f, TRACE_RTT), ts ? 1 : 0);
        fx_free(&f);
    }
}

/* RFC 7323 4.2: with timestamps every ACK of new data gives a sample from its TSecr, even one
 * acknowledging a retransmission (no Karn's rule needed: the echo says which copy arrived). */
static void test_established_rtt_per_ack_from_tsecr(void **state)
{
    (void)state;
    tcp_config c = ts_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    f.peer_ts = true;
    fx_client_established(&f);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 1000), 1000);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 1000);
    fx_tick(&f, FX_MS(1200)); /* RTO: 1 s */
    const tcp_seg *r = expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 1000);
    assert_true(r->tags & TCP_TAG_RETRANSMISSION);
    fx_mark(&f);
    fx_send_seg(&f, FX_MS(1350), TCP_ACK, P + 1, I + 1001, 0); /* echoes the 1200 ms TSval */
    const trace_event *e = fx_find(&f, TRACE_RTT, 0);
    assert_non_null(e);
    assert_int_equal(e->u.rtt.sample, FX_MS(150));
    fx_free(&f);
}

/* A reset in reply to a segment for no connection carries no timestamps; the reset a
 * connection sends itself (an abort) does, as Linux's. */
static void test_timestamps_on_resets(void **state)
{
    (void)state;
    tcp_config c = ts_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    f.peer_ts = true;
    fx_client_established(&f);
    fx_at(&f, FX_MS(300));
    tcp_abort(&f.ep, f.now);
    const tcp_seg *r = expect_seg(&f, TCP_RST, I + 1, 0, 0);
    assert_true(r->has_ts);
    assert_int_equal(r->tsval, 301);
    fx_free(&f);
    fx g;
    fx_init(&g, TRACE_SERVER, I, P, &c);
    g.peer_ts = true;
    fx_send_seg(&g, 0, TCP_SYN, P, 0, 0); /* CLOSED: RST,ACK */
    r = expect_seg(&g, TCP_RST | TCP_ACK, 0, P + 1, 0);
    assert_false(r->has_ts);
    fx_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syn_sent_timestamps_agreed),
        cmocka_unit_test(test_syn_sent_no_timestamps_without_peer),
        cmocka_unit_test(test_established_ts_recent_rule),
        cmocka_unit_test(test_established_paws_drops_old_segment),
        cmocka_unit_test(test_syn_sent_retransmitted_syn_timed_by_tsecr),
        cmocka_unit_test(test_established_rtt_per_ack_from_tsecr),
        cmocka_unit_test(test_timestamps_on_resets),
    };
    return cmocka_run_group_tests_name("tcp_ts", tests, NULL, NULL);
}
