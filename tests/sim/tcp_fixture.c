/*
 * tcp_fixture.c - the endpoint test fixture: clock, segment builders, expectations with the
 * caller's file and line, and the drivers that walk an endpoint into each RFC 9293 state with
 * real segments (see tcp_fixture.h for the sequence numbers each fixture leaves behind).
 */
#include "tcp_fixture.h"

#include <stdio.h>
#include <string.h>

tcp_config fx_config(uint32_t isn)
{
    tcp_config c;
    tcp_config_default(&c);
    c.isn = isn;
    return c;
}

void fx_init(fx *f, uint8_t id, uint32_t isn, uint32_t peer_isn, const tcp_config *cfg)
{
    memset(f, 0, sizeof *f);
    tcp_config c = cfg ? *cfg : fx_config(isn);
    c.isn = isn;
    f->isn = isn;
    f->peer = peer_isn;
    f->peer_mss = 1460;
    f->peer_win = 65535;
    trace_buf_init(&f->tb);
    tcp_init(&f->ep, &c, id, trace_buf_sink(&f->tb));
    tcp_attach_sb(&f->ep, &f->sb);
}

void fx_free(fx *f)
{
    trace_buf_free(&f->tb);
}

tcp_seg fx_segw(uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len, uint16_t win)
{
    tcp_seg s;
    memset(&s, 0, sizeof s);
    s.flags = flags;
    s.seq = seq;
    s.ack = (flags & TCP_ACK) ? ack : 0;
    s.len = len;
    s.win = win;
    s.win_raw = win;
    return s;
}

tcp_seg fx_seg(const fx *f, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
    tcp_seg s = fx_segw(flags, seq, ack, len, (uint16_t)f->peer_win);
    if ((flags & TCP_SYN) && f->peer_mss) {
        s.has_mss = true;
        s.mss = f->peer_mss;
    }
    if ((flags & TCP_SYN) && f->peer_sack)
        s.sack_perm = true;
    if ((flags & TCP_SYN) && f->peer_ws) {
        s.has_wscale = true;
        s.wscale = f->peer_ws_shift;
    }
    if (f->peer_ts) {
        s.has_ts = true;
        s.tsval = (uint32_t)(f->now / 1000u) + 1u;
        s.tsecr = (flags & TCP_ACK) ? f->our_tsval : 0;
    }
    return s;
}

tcp_seg fx_seg_sack(const fx *f, uint32_t seq, uint32_t ack, const uint32_t *blocks, int n)
{
    tcp_seg s = fx_seg(f, TCP_ACK, seq, ack, 0);
    for (int k = 0; k < n && k < TCP_MAX_SACK; k++) {
        s.sack[k].left = blocks[2 * k];
        s.sack[k].right = blocks[2 * k + 1];
    }
    s.nsack = (uint8_t)(n < TCP_MAX_SACK ? n : TCP_MAX_SACK);
    return s;
}

static void advance(fx *f, uint64_t t)
{
    assert_true(t >= f->now); /* a test that moves the clock backwards is itself wrong */
    f->now = t;
}

void fx_at(fx *f, uint64_t t)
{
    advance(f, t);
}

void fx_feed(fx *f, uint64_t t, const tcp_seg *s)
{
    advance(f, t);
    tcp_input(&f->ep, f->now, s);
}

void fx_send_seg(fx *f, uint64_t t, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
    tcp_seg s = fx_seg(f, flags, seq, ack, len);
    fx_feed(f, t, &s);
}

void fx_tick(fx *f, uint64_t t)
{
    advance(f, t);
    if (tcp_next_deadline(&f->ep) <= t)
        tcp_tick(&f->ep, t);
}

int fx_drain(fx *f)
{
    f->n_out = 0;
    tcp_seg s;
    while (tcp_output(&f->ep, f->now, &s)) {
        /* an endpoint that never stops producing output is a bug the test must report */
        assert_true(f->n_out < FX_MAX_OUT);
        if (s.has_ts)
            f->our_tsval = s.tsval;
        f->out[f->n_out++] = s;
    }
    return f->n_out;
}

void fx_mark(fx *f)
{
    f->mark = f->tb.n;
}

size_t fx_count(const fx *f, trace_kind k)
{
    size_t n = 0;
    for (size_t i = f->mark; i < f->tb.n; i++)
        if (f->tb.ev[i].kind == k)
            n++;
    return n;
}

const trace_event *fx_find(const fx *f, trace_kind k, size_t i)
{
    for (size_t j = f->mark; j < f->tb.n; j++)
        if (f->tb.ev[j].kind == k && i-- == 0)
            return &f->tb.ev[j];
    return NULL;
}

const trace_event *fx_find_timer(const fx *f, tcp_timer_kind t, trace_timer_action a, size_t i)
{
    for (size_t j = f->mark; j < f->tb.n; j++) {
        const trace_event *e = &f->tb.ev[j];
        if (e->kind == TRACE_TIMER && e->u.timer.timer == t && e->u.timer.action == a && i-- == 0)
            return e;
    }
    return NULL;
}

void fx_print_segs(const tcp_seg *s, int n)
{
    char fl[48];
    for (int i = 0; i < n; i++)
        fprintf(stderr, "    got %-12s seq=%u ack=%u len=%u win=%u tags=0x%x\n",
                tcp_flags_str(s[i].flags, fl, sizeof fl), s[i].seq, s[i].ack, s[i].len, s[i].win,
                s[i].tags);
}

void fx_expect_seg_fields_(const tcp_seg *s, uint8_t flags, uint32_t seq, uint32_t ack,
                           uint32_t len, const char *file, int line)
{
    if (s->flags != flags || s->seq != seq || s->ack != ack || s->len != len) {
        char fl[48];
        fprintf(stderr, "    want %-11s seq=%u ack=%u len=%u\n",
                tcp_flags_str(flags, fl, sizeof fl), seq, ack, len);
        fx_print_segs(s, 1);
    }
    _assert_int_equal(s->flags, flags, file, line);
    _assert_int_equal(s->seq, seq, file, line);
    _assert_int_equal(s->ack, ack, file, line);
    _assert_int_equal(s->len, len, file, line);
}

const tcp_seg *fx_expect_seg_(fx *f, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
                              const char *file, int line)
{
    int n = fx_drain(f);
    if (n != 1) {
        char fl[48];
        fprintf(stderr, "    want exactly one segment %s seq=%u ack=%u len=%u, got %d:\n",
                tcp_flags_str(flags, fl, sizeof fl), seq, ack, len, n);
        fx_print_segs(f->out, n);
    }
    _assert_int_equal((unsigned)n, 1u, file, line);
    fx_expect_seg_fields_(&f->out[0], flags, seq, ack, len, file, line);
    return &f->out[0];
}

void fx_expect_nothing_(fx *f, const char *file, int line)
{
    int n = fx_drain(f);
    if (n != 0) {
        fprintf(stderr, "    want no segment, got %d:\n", n);
        fx_print_segs(f->out, n);
    }
    _assert_int_equal((unsigned)n, 0u, file, line);
}

static void print_states(const fx *f)
{
    for (size_t i = f->mark; i < f->tb.n; i++)
        if (f->tb.ev[i].kind == TRACE_STATE)
            fprintf(stderr, "    state event %s -> %s (%s)\n",
                    tcp_state_name((tcp_state)f->tb.ev[i].u.state.from),
                    tcp_state_name((tcp_state)f->tb.ev[i].u.state.to), f->tb.ev[i].text);
}

void fx_expect_state_(const fx *f, tcp_state from, tcp_state to, const char *file, int line)
{
    size_t n = fx_count(f, TRACE_STATE);
    if (n != 1 || f->ep.state != to) {
        fprintf(stderr, "    want one state event %s -> %s, endpoint in %s:\n",
                tcp_state_name(from), tcp_state_name(to), tcp_state_name(f->ep.state));
        print_states(f);
    }
    _assert_int_equal(n, 1, file, line);
    const trace_event *e = fx_find(f, TRACE_STATE, 0);
    _assert_int_equal(e->ep, f->ep.id, file, line);
    _assert_int_equal(e->u.state.from, from, file, line);
    _assert_int_equal(e->u.state.to, to, file, line);
    _assert_int_equal(f->ep.state, to, file, line);
}

void fx_expect_states2_(const fx *f, tcp_state a, tcp_state b, tcp_state c, const char *file,
                        int line)
{
    size_t n = fx_count(f, TRACE_STATE);
    if (n != 2 || f->ep.state != c) {
        fprintf(stderr, "    want state events %s -> %s -> %s, endpoint in %s:\n",
                tcp_state_name(a), tcp_state_name(b), tcp_state_name(c),
                tcp_state_name(f->ep.state));
        print_states(f);
    }
    _assert_int_equal(n, 2, file, line);
    const trace_event *e0 = fx_find(f, TRACE_STATE, 0);
    const trace_event *e1 = fx_find(f, TRACE_STATE, 1);
    _assert_int_equal(e0->u.state.from, a, file, line);
    _assert_int_equal(e0->u.state.to, b, file, line);
    _assert_int_equal(e1->u.state.from, b, file, line);
    _assert_int_equal(e1->u.state.to, c, file, line);
    _assert_int_equal(f->ep.state, c, file, line);
}

void fx_expect_no_state_change_(const fx *f, tcp_state s, const char *file, int line)
{
    size_t n = fx_count(f, TRACE_STATE);
    if (n != 0 || f->ep.state != s) {
        fprintf(stderr, "    want no state change, staying in %s; endpoint in %s:\n",
                tcp_state_name(s), tcp_state_name(f->ep.state));
        print_states(f);
    }
    _assert_int_equal(n, 0, file, line);
    _assert_int_equal(f->ep.state, s, file, line);
}

/* ---- fixtures ---------------------------------------------------------------------------- */

void fx_client_syn_sent(fx *f)
{
    assert_int_equal(tcp_open_active(&f->ep, f->now), TCP_EOK);
    expect_seg(f, TCP_SYN, f->isn, 0, 0);
    assert_int_equal(f->ep.state, TCP_SYN_SENT);
    fx_mark(f);
}

void fx_client_established(fx *f)
{
    fx_client_syn_sent(f);
    fx_send_seg(f, f->now + FX_RTT, TCP_SYN | TCP_ACK, f->peer, f->isn + 1, 0);
    expect_seg(f, TCP_ACK, f->isn + 1, f->peer + 1, 0);
    assert_int_equal(f->ep.state, TCP_ESTABLISHED);
    fx_mark(f);
}

void fx_server_syn_received(fx *f)
{
    assert_int_equal(tcp_open_passive(&f->ep, f->now), TCP_EOK);
    fx_send_seg(f, f->now, TCP_SYN, f->peer, 0, 0);
    expect_seg(f, TCP_SYN | TCP_ACK, f->isn, f->peer + 1, 0);
    assert_int_equal(f->ep.state, TCP_SYN_RECEIVED);
    fx_mark(f);
}

void fx_server_established(fx *f)
{
    fx_server_syn_received(f);
    fx_send_seg(f, f->now + FX_RTT, TCP_ACK, f->peer + 1, f->isn + 1, 0);
    expect_nothing(f);
    assert_int_equal(f->ep.state, TCP_ESTABLISHED);
    fx_mark(f);
}

void fx_active_syn_received(fx *f)
{
    fx_client_syn_sent(f);
    fx_send_seg(f, f->now + FX_RTT / 2, TCP_SYN, f->peer, 0, 0);
    expect_seg(f, TCP_SYN | TCP_ACK, f->isn, f->peer + 1, 0);
    assert_int_equal(f->ep.state, TCP_SYN_RECEIVED);
    fx_mark(f);
}

void fx_fin_wait_1(fx *f)
{
    fx_client_established(f);
    fx_at(f, FX_MS(200));
    assert_int_equal(tcp_close(&f->ep, f->now), TCP_EOK);
    expect_seg(f, TCP_FIN | TCP_ACK, f->isn + 1, f->peer + 1, 0);
    assert_int_equal(f->ep.state, TCP_FIN_WAIT_1);
    fx_mark(f);
}

void fx_fin_wait_2(fx *f)
{
    fx_fin_wait_1(f);
    fx_send_seg(f, FX_MS(300), TCP_ACK, f->peer + 1, f->isn + 2, 0);
    expect_nothing(f);
    assert_int_equal(f->ep.state, TCP_FIN_WAIT_2);
    fx_mark(f);
}

void fx_close_wait(fx *f)
{
    fx_client_established(f);
    fx_send_seg(f, FX_MS(200), TCP_FIN | TCP_ACK, f->peer + 1, f->isn + 1, 0);
    expect_seg(f, TCP_ACK, f->isn + 1, f->peer + 2, 0);
    assert_int_equal(f->ep.state, TCP_CLOSE_WAIT);
    fx_mark(f);
}

void fx_closing(fx *f)
{
    fx_fin_wait_1(f);
    fx_send_seg(f, FX_MS(300), TCP_FIN | TCP_ACK, f->peer + 1, f->isn + 1, 0);
    expect_seg(f, TCP_ACK, f->isn + 2, f->peer + 2, 0);
    assert_int_equal(f->ep.state, TCP_CLOSING);
    fx_mark(f);
}

void fx_last_ack(fx *f)
{
    fx_close_wait(f);
    fx_at(f, FX_MS(300));
    assert_int_equal(tcp_close(&f->ep, f->now), TCP_EOK);
    expect_seg(f, TCP_FIN | TCP_ACK, f->isn + 1, f->peer + 2, 0);
    assert_int_equal(f->ep.state, TCP_LAST_ACK);
    fx_mark(f);
}

void fx_time_wait(fx *f)
{
    fx_fin_wait_2(f);
    fx_send_seg(f, FX_MS(400), TCP_FIN | TCP_ACK, f->peer + 1, f->isn + 2, 0);
    expect_seg(f, TCP_ACK, f->isn + 2, f->peer + 2, 0);
    assert_int_equal(f->ep.state, TCP_TIME_WAIT);
    fx_mark(f);
}

void fx_enter(fx *f, tcp_state s)
{
    switch (s) {
    case TCP_CLOSED:
        break;
    case TCP_LISTEN:
        assert_int_equal(tcp_open_passive(&f->ep, f->now), TCP_EOK);
        fx_mark(f);
        break;
    case TCP_SYN_SENT:
        fx_client_syn_sent(f);
        break;
    case TCP_SYN_RECEIVED:
        fx_server_syn_received(f);
        break;
    case TCP_ESTABLISHED:
        fx_client_established(f);
        break;
    case TCP_FIN_WAIT_1:
        fx_fin_wait_1(f);
        break;
    case TCP_FIN_WAIT_2:
        fx_fin_wait_2(f);
        break;
    case TCP_CLOSE_WAIT:
        fx_close_wait(f);
        break;
    case TCP_CLOSING:
        fx_closing(f);
        break;
    case TCP_LAST_ACK:
        fx_last_ack(f);
        break;
    case TCP_TIME_WAIT:
        fx_time_wait(f);
        break;
    default:
        fail_msg("no fixture for state %d", (int)s);
    }
    assert_int_equal(f->ep.state, s);
}
