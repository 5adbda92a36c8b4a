/*
 * test_tcp_linux.c - the mechanisms of --profile linux that are not loss recovery (those are in
 * test_tcp_rack.c), one rule per test, each with the Linux function whose behaviour it follows:
 * PSH placement (__tcp_transmit_skb, tcp_mark_push, forced_push), Minshall's Nagle
 * (tcp_nagle_check, tcp_minshall_update), the FIN in a window counted in packets, zero-window
 * probes (tcp_write_wakeup, tcp_probe_timer, tcp_ack_probe), the receive window
 * (tcp_select_initial_window, __tcp_select_window, tcp_grow_window), quick ACKs and the ACK
 * engine (tcp_incr_quickack, tcp_event_data_recv, tcp_send_delayed_ack, tcp_fin), the duplicate
 * SYN in SYN-RECEIVED (tcp_check_req), SYN timeouts without backoff (tcp_syn_linear_timeouts)
 * and the timer wheel (calc_index).
 */
#include "tcp_fixture.h"

#include "tcp_mech.h"

#define I FX_ISN_WRAP
#define P FX_PEER_ISN_WRAP

/* The Linux profile with exact timers (hz off) unless a test says otherwise. */
static tcp_config linux_cfg(void)
{
    tcp_config c = fx_config(I);
    tcp_config_profile(&c, true);
    c.hz = 0;
    return c;
}

/* A Linux client ESTABLISHED with a peer that agreed to SACK and timestamps (so SMSS 1448). */
static void linux_client(fx *f, const tcp_config *c)
{
    fx_init(f, TRACE_CLIENT, I, P, c);
    f->peer_sack = true;
    f->peer_ts = true;
    fx_client_established(f);
    assert_true(f->ep.engine);
    assert_int_equal(f->ep.smss, 1448);
}

static int count_psh(const fx *f)
{
    int n = 0;
    for (int k = 0; k < f->n_out; k++)
        n += (f->out[k].flags & TCP_PSH) != 0;
    return n;
}

/* __tcp_transmit_skb forces PSH on every GSO packet of more than one segment, and the pacing
 * rate allows two segments per packet at this RTT (tcp_tso_autosize): ten segments of one write
 * leave with PSH on every second; with psh write only the last has it. */
static void test_established_psh_on_every_gso_packet(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    linux_client(&f, &c);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 14480), 14480);
    assert_int_equal(fx_drain(&f), 10);
    for (int k = 0; k < 10; k++)
        expect_fields(&f.out[k], (k % 2) ? TCP_ACK | TCP_PSH : TCP_ACK, I + 1 + 1448u * (uint32_t)k,
                      P + 1, 1448);
    fx_free(&f);

    c.psh = TCP_PSH_WRITE;
    fx g;
    linux_client(&g, &c);
    fx_at(&g, FX_MS(200));
    assert_int_equal(tcp_send(&g.ep, g.now, 14480), 14480);
    assert_int_equal(fx_drain(&g), 10);
    assert_int_equal(count_psh(&g), 1);
    assert_true(g.out[9].flags & TCP_PSH);
    fx_free(&g);
}

/* tcp_mark_push at the end of each write: a segment sent alone carries PSH only if it ends a
 * write: with the window limited to one segment at a time the first of two segments goes alone,
 * without PSH; the second, the write's end, has it. */
static void test_established_psh_single_segment_only_at_write_end(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    f.peer_sack = true;
    f.peer_ts = true;
    f.peer_win = 1448;
    fx_client_established(&f);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 2896), 2896);
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 1448);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1449, 0);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1449, P + 1, 1448);
    fx_free(&f);
}

/* The write queue (tcp_sendmsg_locked): buffers of up to 45 segments (64 KB); each write's last
 * buffer is marked; a buffer completed more than half the largest window after the last mark is
 * marked too (forced_push); more data appended to a marked buffer clears its mark. */
static void test_write_queue_marks(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    linux_client(&f, &c);
    tcp_endpoint *ep = &f.ep;
    ep->cc.cwnd = 0; /* nothing leaves: only the queue is looked at */
    uint32_t goal = 45 * 1448;
    ep->max_snd_wnd = 20000; /* half: 10000 */
    tcp_wq_write(ep, ep->snd_nxt, goal * 2 + 100);
    assert_int_equal(ep->wq_n, 3);
    assert_int_equal(ep->wq_end[0], I + 1 + goal);
    assert_int_equal(ep->wq_mark[0], 1); /* forced: 65160 bytes after the last mark */
    assert_int_equal(ep->wq_mark[1], 1);
    assert_int_equal(ep->wq_mark[2], 1); /* the write's end */
    tcp_wq_write(ep, I + 1 + 2 * goal + 100, 50);
    assert_int_equal(ep->wq_n, 3);
    assert_int_equal(ep->wq_end[2], I + 1 + 2 * goal + 150); /* appended to the last buffer */
    assert_int_equal(ep->wq_mark[2], 1);                     /* and marked again at its end */
    ep->max_snd_wnd = 1u << 30;                              /* no forced push any more */
    tcp_wq_write(ep, I + 1 + 2 * goal + 150, 2 * goal);
    assert_int_equal(ep->wq_mark[3], 0);
    assert_int_equal(ep->wq_mark[4], 1);
    fx_free(&f);
}

/* tcp_nagle_check with tcp_minshall_check: a partial segment waits only while another partial
 * segment is unacknowledged.  The tail of 3000 bytes (104) goes at once beside the full
 * segments in flight (RFC 896 would hold it); a second write of 100 then waits for the ACK of
 * that tail. */
static void test_established_nagle_minshall(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    linux_client(&f, &c);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 3000), 3000);
    assert_int_equal(fx_drain(&f), 3);
    expect_fields(&f.out[2], TCP_ACK | TCP_PSH, I + 2897, P + 1, 104);
    fx_at(&f, FX_MS(210));
    assert_int_equal(tcp_send(&f.ep, f.now, 100), 100);
    expect_nothing(&f);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 2897, 0); /* the full ones only */
    expect_nothing(&f);
    fx_send_seg(&f, FX_MS(301), TCP_ACK, P + 1, I + 3001, 0);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 3001, P + 1, 100);
    fx_free(&f);

    c.nagle_minshall = false; /* RFC 896: the tail waits for everything */
    fx g;
    linux_client(&g, &c);
    fx_at(&g, FX_MS(200));
    assert_int_equal(tcp_send(&g.ep, g.now, 3000), 3000);
    assert_int_equal(fx_drain(&g), 2);
    fx_free(&g);
}

/* cwnd in packets (tcp_cwnd_test): a FIN takes a place in the window like a segment: with ten
 * segments out and cwnd 10, close() sends nothing; the first ACK makes room.  Counted in bytes
 * (RFC 5681), the FIN alone goes at once. */
static void test_established_fin_waits_for_cwnd_in_packets(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    linux_client(&f, &c);
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 14480), 14480);
    assert_int_equal(fx_drain(&f), 10);
    assert_int_equal(tcp_close(&f.ep, f.now), TCP_EOK);
    expect_nothing(&f);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1449, 0);
    expect_seg(&f, TCP_ACK | TCP_FIN, I + 14481, P + 1, 0);
    fx_free(&f);

    c.cwnd_packets = false;
    fx g;
    linux_client(&g, &c);
    fx_at(&g, FX_MS(200));
    assert_int_equal(tcp_send(&g.ep, g.now, 14480), 14480);
    assert_int_equal(fx_drain(&g), 10);
    assert_int_equal(tcp_close(&g.ep, g.now), TCP_EOK);
    expect_seg(&g, TCP_ACK | TCP_FIN, I + 14481, P + 1, 0);
    fx_free(&g);
}

/* tcp_probe_timer / tcp_write_wakeup / tcp_ack_probe: with the window closed and nothing in
 * flight the probe timer runs max(RTO, 200 ms) (RTO 300 ms here); the probe carries no data and
 * SEQ = SND.UNA - 1, so the receiver must answer; each probe doubles the interval, and an answer
 * that still shows a closed window restarts the timer from the answer. */
static void test_established_zero_window_probe_linux(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    linux_client(&f, &c);
    assert_int_equal(f.ep.rto.rto, FX_MS(300));
    fx_at(&f, FX_MS(200));
    assert_int_equal(tcp_send(&f.ep, f.now, 1000), 1000);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1, P + 1, 1000);
    tcp_seg z = fx_seg(&f, TCP_ACK, P + 1, I + 1001, 0);
    z.win = z.win_raw = 0;
    fx_feed(&f, FX_MS(300), &z);
    assert_int_equal(tcp_send(&f.ep, f.now, 500), 500);
    expect_nothing(&f);
    assert_int_equal(f.ep.timer, TCP_TIMER_PERSIST);
    uint64_t at = tcp_next_deadline(&f.ep);
    assert_int_equal(at, FX_MS(300) + f.ep.rto.rto);
    fx_tick(&f, at);
    const tcp_seg *pr = expect_seg(&f, TCP_ACK, I + 1000, P + 1, 0);
    assert_true(pr->tags & TCP_TAG_ZERO_WINDOW_PROBE);
    uint64_t next = tcp_next_deadline(&f.ep);
    assert_int_equal(next, at + 2 * f.ep.rto.rto);
    z = fx_seg(&f, TCP_ACK, P + 1, I + 1001, 0);
    z.win = z.win_raw = 0;
    fx_feed(&f, at + FX_MS(100), &z); /* the answer: still closed */
    assert_int_equal(tcp_next_deadline(&f.ep), at + FX_MS(100) + 2 * f.ep.rto.rto);
    tcp_seg open = fx_seg(&f, TCP_ACK, P + 1, I + 1001, 0);
    fx_feed(&f, at + FX_MS(200), &open);
    expect_seg(&f, TCP_ACK | TCP_PSH, I + 1001, P + 1, 500);
    fx_free(&f);
}

/* tcp_select_initial_window: Linux's 128 KB buffer gives a window of half of it, whole segments:
 * 64240 on the SYN (MSS 1460), 65160 on a SYN,ACK that agreed to timestamps (1448); window scale
 * 7 (from tcp_rmem[2]).  A buffer set with SO_RCVBUF (rcv-buf) is doubled, clamps the window and
 * sets the scale: 4096 gives 2896 and scale 0. */
static void test_linux_initial_windows(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    assert_int_equal(tcp_open_active(&f.ep, 0), TCP_EOK);
    const tcp_seg *syn = expect_seg(&f, TCP_SYN, I, 0, 0);
    assert_int_equal(syn->win, 64240);
    assert_true(syn->has_wscale);
    assert_int_equal(syn->wscale, 7);
    fx_free(&f);

    fx g;
    fx_init(&g, TRACE_SERVER, I, P, &c);
    g.peer_ts = true;
    g.peer_sack = true;
    fx_server_syn_received(&g);
    assert_int_equal(g.out[0].win, 65160);
    fx_free(&g);

    tcp_config s = c;
    char err[128];
    s.rcv_buf = 4096;
    s.rcv_buf_set = true;
    fx h;
    fx_init(&h, TRACE_SERVER, I, P, &s);
    h.peer_ts = true;
    h.peer_sack = true;
    fx_server_syn_received(&h);
    assert_int_equal(h.out[0].win, 2896);
    assert_int_equal(h.out[0].wscale, 0);
    fx_free(&h);
    assert_int_equal(tcp_mech_apply(&s, tcp_mech_find("wscale", 6), "9", err, sizeof err), 0);
    assert_int_equal(s.wscale, 9);
}

/* __tcp_select_window over a truesize-charged buffer (4096 set with SO_RCVBUF, 8192 in all):
 * a 1448-byte segment costs 2280; nothing is read: after one segment the window stays 2896,
 * after two it is 1448 (whole segments, no scaling), after three zero (the zerowindow case of
 * tests/kernel, ACK for ACK); reading it all opens it again with a window update
 * (tcp_cleanup_rbuf: the window at least doubled). */
static void test_linux_receive_window_closes_by_truesize(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    c.rcv_buf = 4096;
    c.rcv_buf_set = true;
    c.wscale = TCP_WSCALE_LINUX;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, &c);
    f.peer_ts = true;
    f.peer_sack = true;
    fx_server_established(&f);
    static const uint32_t want[3] = {2896, 1448, 0};
    for (uint32_t k = 0; k < 3; k++) {
        fx_send_seg(&f, FX_MS(200) + FX_MS(100) * k, TCP_ACK, P + 1 + 1448 * k, I + 1, 1448);
        int n = fx_drain(&f);
        if (k > 0) { /* the quick ACK is spent: the others wait for the delayed-ACK timer */
            assert_int_equal(n, 0);
            fx_tick(&f, tcp_next_deadline(&f.ep));
            n = fx_drain(&f);
        }
        assert_int_equal(n, 1);
        assert_int_equal(f.out[0].win, want[k]);
    }
    assert_int_equal(tcp_recv(&f.ep, FX_SEC(1), 10000), 3 * 1448);
    fx_at(&f, FX_SEC(1));
    const tcp_seg *a = expect_seg(&f, TCP_ACK, I + 1, P + 1 + 3 * 1448, 0);
    assert_int_equal(a->win, 2896);
    fx_free(&f);
}

/* The window as Linux computes it from the true size of what it holds (tcp_rwnd.c), checked
 * against the kernel's own ACKs in tests/kernel (plain, loss2, synloss, Linux 6.18, window scale
 * 7, tcp_rmem[1] = 131072, nothing read yet):
 *   - ten 1448-byte segments: each costs 2304 bytes of buffer (a TUN device's allocation), the
 *     first sets the ratio to 1448 x 256 / 2304 = 160 (tcp_measure_rcv_mss); the window grows by
 *     two segments per segment (tcp_grow_window) until the free space, falling by 1440 bytes per
 *     segment held, is smaller: 532, 555, 577, 595, then 584 ... 529 units of 128;
 *   - the second of them lost: the eight after it are held out of order and still grow the
 *     window (tcp_data_queue_ofo), which keeps its right edge: 532, 555, 577, then 595 (that
 *     limit is the free space before the segment is charged); the application reads the
 *     first segment, and when the hole is filled the nine held segments leave 539; read and
 *     closed, the FIN offers 600;
 *   - one 1000-byte segment sets the ratio to 111, which lowers the clamp below the window
 *     offered; the right edge does not move back: 64256 (502 units), as Linux's ACK shows. */
static void test_linux_receive_window_from_truesize(void **state)
{
    (void)state;
    static const uint32_t plain[10] = {532, 555, 577, 595, 584, 573, 562, 551, 540, 529};
    static const uint32_t loss2[9] = {532, 555, 577, 595, 595, 595, 595, 595, 595};
    for (int lose = 0; lose <= 1; lose++) {
        tcp_config c = linux_cfg();
        fx f;
        fx_init(&f, TRACE_SERVER, I, P, &c);
        f.peer_ts = true;
        f.peer_sack = true;
        f.peer_ws = true;
        f.peer_ws_shift = 7;
        fx_server_established(&f);
        uint32_t k_acks = 0;
        for (uint32_t k = 0; k < 10; k++) {
            if (lose && k == 1)
                continue;
            fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1 + 1448 * k, I + 1, 1448);
            assert_int_equal(fx_drain(&f), 1); /* quick ACKs, or duplicate ACKs */
            assert_int_equal(f.out[0].win_raw, lose ? loss2[k_acks] : plain[k_acks]);
            k_acks++;
        }
        if (lose) {
            /* the application reads the first segment after the burst; then the hole fills */
            assert_int_equal(tcp_recv(&f.ep, FX_MS(300), 100000), 1448);
            assert_int_equal(fx_drain(&f), 0);
            fx_send_seg(&f, FX_MS(400), TCP_ACK, P + 1 + 1448, I + 1, 1448);
            assert_int_equal(fx_drain(&f), 1);
            assert_int_equal(f.out[0].ack, P + 1 + 10 * 1448);
            assert_int_equal(f.out[0].win_raw, 539);
            /* all read, the server closes: its FIN shows what the window grew to, 600 */
            assert_int_equal(tcp_recv(&f.ep, FX_MS(400), 100000), 9 * 1448);
            fx_drain(&f);
            assert_int_equal(tcp_close(&f.ep, FX_MS(400)), TCP_EOK);
            assert_int_equal(fx_drain(&f), 1);
            assert_int_equal(f.out[0].flags, TCP_ACK | TCP_FIN);
            assert_int_equal(f.out[0].win_raw, 600);
        }
        fx_free(&f);
    }
    tcp_config c = linux_cfg();
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, &c);
    f.peer_ts = true;
    f.peer_sack = true;
    f.peer_ws = true;
    f.peer_ws_shift = 7;
    fx_server_established(&f);
    fx_send_seg(&f, FX_MS(300), TCP_ACK | TCP_PSH, P + 1, I + 1, 1000);
    assert_int_equal(fx_drain(&f), 1);
    assert_int_equal(f.ep.scaling_ratio, 111);
    assert_int_equal(f.out[0].win, 64256);
    fx_free(&f);
}

/* tcp_incr_quickack and tcp_event_data_recv: the first data of a connection gets quick ACKs, as
 * many as half the advertised window in segments (at most 16): with the 65160-byte window every
 * one of ten segments is acknowledged at once; with the textbook rules (quickack off) every
 * second. */
static void test_established_quick_acks_at_start(void **state)
{
    (void)state;
    for (int q = 1; q >= 0; q--) {
        tcp_config c = linux_cfg();
        c.quickack = q == 1;
        fx f;
        fx_init(&f, TRACE_SERVER, I, P, &c);
        f.peer_ts = true;
        f.peer_sack = true;
        fx_server_established(&f);
        int acks = 0;
        for (uint32_t k = 0; k < 10; k++) {
            fx_send_seg(&f, FX_MS(200), TCP_ACK, P + 1 + 1448 * k, I + 1, 1448);
            acks += fx_drain(&f);
            tcp_recv(&f.ep, f.now, 100000);
            acks += fx_drain(&f);
        }
        assert_int_equal(acks, q ? 10 : 5);
        fx_free(&f);
    }
}

/* tcp_send_delayed_ack and tcp_delack_timer_handler: when the quick ACKs are spent (a 2896-byte
 * window gives one), a segment waits for the ATO, 40 ms; the timer firing doubles the ATO, so the
 * next lone segment waits 80 ms. */
static void test_established_delayed_ack_ato_doubles(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    c.rcv_buf = 4096;
    c.rcv_buf_set = true;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, &c);
    f.peer_ts = true;
    f.peer_sack = true;
    fx_server_established(&f);
    fx_send_seg(&f, FX_MS(200), TCP_ACK, P + 1, I + 1, 1448);
    assert_int_equal(fx_drain(&f), 1); /* the one quick ACK */
    fx_send_seg(&f, FX_MS(200), TCP_ACK, P + 1449, I + 1, 1448);
    expect_nothing(&f);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(240));
    fx_tick(&f, FX_MS(240));
    assert_int_equal(fx_drain(&f), 1);
    tcp_recv(&f.ep, FX_MS(250), 100000);
    fx_drain(&f);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 2897, I + 1, 1448);
    expect_nothing(&f);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(380));
    fx_free(&f);
}

/* tcp_fin: a FIN in ESTABLISHED makes the connection interactive, so its ACK is delayed and
 * rides on the application's answer: close() at once gives one FIN,ACK, no pure ACK first.  The
 * textbook endpoint acknowledges the FIN at once. */
static void test_established_fin_ack_delayed_to_ride_on_answer(void **state)
{
    (void)state;
    for (int q = 1; q >= 0; q--) {
        tcp_config c = linux_cfg();
        c.quickack = q == 1;
        fx f;
        fx_init(&f, TRACE_CLIENT, I, P, &c);
        f.peer_ts = true;
        f.peer_sack = true;
        fx_client_established(&f);
        fx_send_seg(&f, FX_MS(200), TCP_ACK | TCP_FIN, P + 1, I + 1, 0);
        int n = fx_drain(&f);
        assert_int_equal(n, q ? 0 : 1);
        assert_int_equal(tcp_close(&f.ep, f.now), TCP_EOK);
        expect_seg(&f, TCP_ACK | TCP_FIN, I + 1, P + 2, 0);
        fx_free(&f);
    }
}

/* Linux's SACK compression (__tcp_ack_snd_check): once quick ACKs are over, out-of-order
 * segments at one RCV.NXT get three immediate duplicate ACKs; the next ones are folded into one
 * sent 1 ms later (or 5 % of the RTT if less).  The window is at its limit here: an out-of-order
 * segment that grows it (tcp_data_queue_ofo calls tcp_grow_window) earns a quick ACK. */
static void test_established_sack_compression(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, &c);
    f.peer_ts = true;
    f.peer_sack = true;
    fx_server_established(&f);
    f.ep.quick = 0;
    f.ep.ato = 40000;
    f.ep.rcv_ssthresh = 1u << 30;
    int acks = 0;
    for (uint32_t k = 1; k <= 6; k++) {
        fx_send_seg(&f, FX_MS(200), TCP_ACK, P + 1 + 1448 * k, I + 1, 1448);
        acks += fx_drain(&f);
    }
    assert_int_equal(acks, 3);
    assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(201));
    fx_tick(&f, FX_MS(201));
    const tcp_seg *a = expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
    assert_int_equal(a->sack[0].right, P + 1 + 7 * 1448);
    fx_free(&f);
}

/* tcp_check_req: the peer's SYN again in SYN-RECEIVED means the SYN,ACK was lost: it goes again
 * at once, and its timer starts over; RFC 9293 answers with an ACK (dup-syn ack). */
static void test_syn_received_duplicate_syn_gets_synack(void **state)
{
    (void)state;
    for (int lx = 1; lx >= 0; lx--) {
        tcp_config c = fx_config(I);
        c.dup_syn_synack = lx == 1;
        fx f;
        fx_init(&f, TRACE_SERVER, I, P, &c);
        fx_server_syn_received(&f);
        fx_send_seg(&f, FX_MS(900), TCP_SYN, P, 0, 0);
        if (lx) {
            const tcp_seg *s = expect_seg(&f, TCP_SYN | TCP_ACK, I, P + 1, 0);
            assert_true(s->tags & TCP_TAG_RETRANSMISSION);
            assert_int_equal(tcp_next_deadline(&f.ep), FX_MS(1900));
        } else {
            expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
            assert_int_equal(tcp_next_deadline(&f.ep), FX_SEC(1));
        }
        fx_free(&f);
    }
}

/* net.ipv4.tcp_syn_linear_timeouts = 4: the first five SYN timeouts keep the initial RTO of
 * 1 s, then it doubles (RFC 6298 5.5 doubles from the first). */
static void test_syn_sent_linear_timeouts(void **state)
{
    (void)state;
    tcp_config c = linux_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    fx_client_syn_sent(&f);
    static const uint64_t gaps[] = {1000, 1000, 1000, 1000, 1000, 2000, 4000};
    uint64_t t = 0;
    for (size_t k = 0; k < sizeof gaps / sizeof gaps[0]; k++) {
        t += FX_MS(gaps[k]);
        assert_int_equal(tcp_next_deadline(&f.ep), t);
        fx_tick(&f, t);
        expect_seg(&f, TCP_SYN, I, 0, 0);
    }
    fx_free(&f);
}

/* kernel/time/timer.c calc_index: at HZ 250 a timer of D jiffies fires at the first bucket
 * boundary after its expiry: granularity 1 jiffy below 63 jiffies, 8 below 504, 64 below 4032;
 * with t = 0 0.75 ms after a tick: 1 s from 0 fires at 1023.25 ms, 304 ms from 399.865 ms at
 * 735.25 ms (both measured on the kernel), 40 ms from 0 at 43.25 ms, 3 s from 0 at 3071.25 (a
 * 64-jiffy bucket). */
static void test_timer_wheel(void **state)
{
    (void)state;
    tcp_config c = fx_config(I);
    c.hz = 250;
    tcp_endpoint ep;
    tcp_init(&ep, &c, 0, (trace_sink){NULL, NULL});
    assert_int_equal(tcp_timer_when(&ep, 0, FX_SEC(1)), 1023250);
    assert_int_equal(tcp_timer_when(&ep, 399865, FX_MS(304)), 735250);
    assert_int_equal(tcp_timer_when(&ep, 0, FX_MS(40)), 43250);
    assert_int_equal(tcp_timer_when(&ep, 0, FX_SEC(3)), 3071250);
    c.hz = 0;
    tcp_init(&ep, &c, 0, (trace_sink){NULL, NULL});
    assert_int_equal(tcp_timer_when(&ep, 12345, FX_SEC(1)), 1012345);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_established_psh_on_every_gso_packet),
        cmocka_unit_test(test_established_psh_single_segment_only_at_write_end),
        cmocka_unit_test(test_write_queue_marks),
        cmocka_unit_test(test_established_nagle_minshall),
        cmocka_unit_test(test_established_fin_waits_for_cwnd_in_packets),
        cmocka_unit_test(test_established_zero_window_probe_linux),
        cmocka_unit_test(test_linux_initial_windows),
        cmocka_unit_test(test_linux_receive_window_closes_by_truesize),
        cmocka_unit_test(test_linux_receive_window_from_truesize),
        cmocka_unit_test(test_established_quick_acks_at_start),
        cmocka_unit_test(test_established_delayed_ack_ato_doubles),
        cmocka_unit_test(test_established_fin_ack_delayed_to_ride_on_answer),
        cmocka_unit_test(test_established_sack_compression),
        cmocka_unit_test(test_syn_received_duplicate_syn_gets_synack),
        cmocka_unit_test(test_syn_sent_linear_timeouts),
        cmocka_unit_test(test_timer_wheel),
    };
    return cmocka_run_group_tests_name("tcp_linux", tests, NULL, NULL);
}
