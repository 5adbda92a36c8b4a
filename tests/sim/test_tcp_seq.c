/*
 * test_tcp_seq.c - sequence number wraparound: the wrap-safe comparisons of tcp_seq.h at and
 * around 2^32 (RFC 9293 3.4: arithmetic modulo 2^32, "a < b" when b is less than 2^31 ahead),
 * SEG.LEN counting SYN and FIN (3.4), and a whole connection through the simulator with ISNs
 * 0xFFFFFF00 (client) and 0xFFFFFFFF (server): the handshake's ACK wraps to 0, data in both
 * directions crosses 2^32, and the close completes with no retransmission and no reset.
 */
#include "tcp_fixture.h"

#include <string.h>

#include "sim_net.h"
#include "sim_scenario.h"
#include "tcp_seq.h"

/* RFC 9293 3.4: comparisons across the wrap. */
static void test_seq_compare_across_wrap(void **state)
{
    (void)state;
    assert_true(tcp_seq_lt(0xFFFFFFFFu, 0));
    assert_true(tcp_seq_gt(0, 0xFFFFFFFFu));
    assert_true(tcp_seq_lt(0xFFFFFFF0u, 0x10u));
    assert_false(tcp_seq_lt(0x10u, 0xFFFFFFF0u));
    assert_true(tcp_seq_leq(5, 5));
    assert_true(tcp_seq_geq(5, 5));
    assert_false(tcp_seq_lt(5, 5));
    assert_false(tcp_seq_gt(5, 5));
    assert_true(tcp_seq_leq(0xFFFFFFFFu, 0));
    assert_true(tcp_seq_geq(0, 0xFFFFFFFFu));
    /* the horizon: less than 2^31 ahead is "greater" */
    assert_true(tcp_seq_lt(0, 0x7FFFFFFFu));
    assert_true(tcp_seq_lt(0x80000000u, 0xFFFFFFFFu));
    assert_true(tcp_seq_lt(0xFFFFFF00u, 0x7FFFFEFFu));  /* 2^31 - 1 ahead */
    assert_false(tcp_seq_lt(0xFFFFFF00u, 0x7FFFFF01u)); /* 2^31 + 1 ahead: behind */
    assert_true(tcp_seq_gt(0xFFFFFF00u, 0x7FFFFF01u));
    /* exactly 2^31 apart the order is undefined (RFC 9293 3.4); not tested */
}

static void test_seq_diff_min_max_in_across_wrap(void **state)
{
    (void)state;
    assert_int_equal(tcp_seq_diff(0x10u, 0xFFFFFFF0u), 32);
    assert_int_equal(tcp_seq_diff(0xFFFFFFF0u, 0x10u), -32);
    assert_int_equal(tcp_seq_diff(0, 0xFFFFFFFFu), 1);
    assert_int_equal(tcp_seq_max(0xFFFFFFFEu, 3), 3);
    assert_int_equal(tcp_seq_min(0xFFFFFFFEu, 3), 0xFFFFFFFEu);
    assert_int_equal(tcp_seq_max(3, 0xFFFFFFFEu), 3);
    /* [lo, hi) across the wrap */
    assert_true(tcp_seq_in(0xFFFFFFFEu, 0xFFFFFFFEu, 5));
    assert_true(tcp_seq_in(0xFFFFFFFFu, 0xFFFFFFFEu, 5));
    assert_true(tcp_seq_in(0, 0xFFFFFFFEu, 5));
    assert_true(tcp_seq_in(4, 0xFFFFFFFEu, 5));
    assert_false(tcp_seq_in(5, 0xFFFFFFFEu, 5));
    assert_false(tcp_seq_in(0xFFFFFFFDu, 0xFFFFFFFEu, 5));
    assert_false(tcp_seq_in(7, 7, 7)); /* an empty range holds nothing */
}

/* RFC 9293 3.4: SEG.LEN counts the SYN and the FIN, one each, besides the data. */
static void test_seg_seqlen_counts_syn_and_fin(void **state)
{
    (void)state;
    tcp_seg s;
    memset(&s, 0, sizeof s);
    s.len = 100;
    assert_int_equal(tcp_seg_seqlen(&s), 100);
    s.flags = TCP_SYN;
    assert_int_equal(tcp_seg_seqlen(&s), 101);
    s.flags = TCP_FIN | TCP_ACK;
    assert_int_equal(tcp_seg_seqlen(&s), 101);
    s.flags = TCP_SYN | TCP_FIN;
    assert_int_equal(tcp_seg_seqlen(&s), 102);
    s.len = 0;
    s.flags = TCP_ACK | TCP_RST | TCP_PSH;
    assert_int_equal(tcp_seg_seqlen(&s), 0);
}

/* ---- a whole connection across 2^32 -------------------------------------------------------- */

#define C_ISN 0xFFFFFF00u
#define S_ISN 0xFFFFFFFFu

static const trace_event *nth_send(const trace_buf *b, uint8_t ep, size_t n)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->ev[i].kind == TRACE_SEND && b->ev[i].ep == ep && n-- == 0)
            return &b->ev[i];
    return NULL;
}

/* Handshake, 5000 bytes client -> server and 3000 bytes server -> client (both crossing 2^32),
 * close by the client, all through the simulator with no loss. */
static void test_connection_across_wrap(void **state)
{
    (void)state;
    sim_scenario sc;
    sim_scenario_default(&sc);
    sc.tcp[TRACE_CLIENT].isn = C_ISN;
    sc.tcp[TRACE_SERVER].isn = S_ISN;
    sc.app[TRACE_SERVER].close_on_eof = true;
    assert_int_equal(sim_scenario_add_action(&sc, 0, TRACE_SERVER, TCP_CALL_LISTEN, 0, NULL), 0);
    assert_int_equal(sim_scenario_add_action(&sc, 0, TRACE_CLIENT, TCP_CALL_CONNECT, 0, NULL), 0);
    assert_int_equal(
        sim_scenario_add_action(&sc, FX_MS(200), TRACE_CLIENT, TCP_CALL_WRITE, 5000, NULL), 0);
    assert_int_equal(
        sim_scenario_add_action(&sc, FX_MS(200), TRACE_SERVER, TCP_CALL_WRITE, 3000, NULL), 0);
    assert_int_equal(
        sim_scenario_add_action(&sc, FX_MS(1000), TRACE_CLIENT, TCP_CALL_CLOSE, 0, NULL), 0);

    trace_buf tb;
    trace_buf_init(&tb);
    static sim_net net; /* large: keep it off the stack */
    sim_net_init(&net, &sc, trace_buf_sink(&tb));
    assert_int_equal(sim_net_run(&net), 0);
    assert_false(tb.oom);

    /* the handshake: SYN 0xFFFFFF00; SYN,ACK 0xFFFFFFFF ack 0xFFFFFF01; ACK ack 0 (wrapped) */
    const trace_event *e = nth_send(&tb, TRACE_CLIENT, 0);
    expect_fields(&e->seg, TCP_SYN, C_ISN, 0, 0);
    e = nth_send(&tb, TRACE_SERVER, 0);
    expect_fields(&e->seg, TCP_SYN | TCP_ACK, S_ISN, C_ISN + 1, 0);
    e = nth_send(&tb, TRACE_CLIENT, 1);
    expect_fields(&e->seg, TCP_ACK, C_ISN + 1, 0, 0);

    /* data segments that straddle 2^32 were sent in both directions */
    bool crossed[2] = {false, false};
    for (size_t i = 0; i < tb.n; i++) {
        const trace_event *x = &tb.ev[i];
        if (x->kind == TRACE_SEND && x->seg.len > 0 && x->seg.seq + x->seg.len < x->seg.seq)
            crossed[x->ep] = true;
        if (x->kind == TRACE_SEND && x->seg.len > 0 && x->ep == TRACE_SERVER && x->seg.seq == 0)
            crossed[TRACE_SERVER] = true; /* the server's data starts right after the wrap */
    }
    assert_true(crossed[TRACE_CLIENT]);
    assert_true(crossed[TRACE_SERVER]);

    const tcp_endpoint *c = &net.ep[TRACE_CLIENT], *s = &net.ep[TRACE_SERVER];
    assert_int_equal(s->rcv_total, 5000);
    assert_int_equal(c->rcv_total, 3000);
    assert_int_equal(net.app[TRACE_SERVER].read, 5000);
    assert_int_equal(net.app[TRACE_CLIENT].read, 3000);
    /* final sequence numbers: ISN + SYN + data + FIN, modulo 2^32 */
    assert_int_equal(c->snd_una, (uint32_t)(C_ISN + 1u + 5000u + 1u));
    assert_int_equal(c->snd_una, 0x128Au);
    assert_int_equal(s->rcv_nxt, 0x128Au);
    assert_int_equal(s->snd_una, (uint32_t)(S_ISN + 1u + 3000u + 1u));
    assert_int_equal(c->rcv_nxt, 3001u);
    /* nothing went wrong on the way: no retransmission, no reset, both CLOSED */
    assert_int_equal(c->retrans_segs + s->retrans_segs, 0);
    assert_int_equal(c->rsts_out + s->rsts_out, 0);
    assert_int_equal(c->state, TCP_CLOSED);
    assert_int_equal(s->state, TCP_CLOSED);
    assert_int_equal(c->error, TCP_ERR_NONE);
    assert_int_equal(s->error, TCP_ERR_NONE);
    /* the client, the active closer, went through TIME-WAIT for 2 MSL */
    bool tw = false;
    for (size_t i = 0; i < tb.n; i++)
        if (tb.ev[i].kind == TRACE_STATE && tb.ev[i].ep == TRACE_CLIENT &&
            tb.ev[i].u.state.from == TCP_TIME_WAIT && tb.ev[i].u.state.to == TCP_CLOSED)
            tw = true;
    assert_true(tw);
    sim_net_free(&net);
    trace_buf_free(&tb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seq_compare_across_wrap),
        cmocka_unit_test(test_seq_diff_min_max_in_across_wrap),
        cmocka_unit_test(test_seg_seqlen_counts_syn_and_fin),
        cmocka_unit_test(test_connection_across_wrap),
    };
    return cmocka_run_group_tests_name("tcp_seq", tests, NULL, NULL);
}
