/*
 * tcp.c - the endpoint's core: configuration defaults, initialisation, the one function that
 * changes state, the timer bookkeeping, the receive window and the trace helpers shared by
 * tcp_user.c, tcp_input.c, tcp_output.c, tcp_timer.c and tcp_observe.c.
 */
#include "tcp.h"

#include <string.h>

#include "tcp_seq.h"

void tcp_config_default(tcp_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->isn = 1000;
    cfg->mss = 1460;
    cfg->snd_buf = 65536;
    cfg->rcv_buf = 65535;
    cfg->rto_initial = 1000000; /* RFC 6298 2.1 */
    cfg->rto_min = 1000000;     /* RFC 6298 2.4 (Linux uses 200 ms) */
    cfg->rto_max = 120000000;   /* RFC 6298 2.5 allows >= 60 s; Linux TCP_RTO_MAX is 120 s */
    cfg->clock_g = 1000;        /* 1 ms */
    cfg->msl = 60000000;        /* 60 s (RFC 9293 3.4.2 suggests 2 minutes) */
    cfg->delack = 40000;        /* 40 ms (RFC 1122 4.2.3.2: at most 500 ms) */
    cfg->nagle = true;
    cfg->syn_retries = 6;
    cfg->max_retries = 15;
    cfg->iw_segments = 0;
    cfg->syn_loss_iw = 1; /* RFC 5681 3.1 */
    cfg->cc_algo = TCP_CCA_NEWRENO;
    cfg->psh = TCP_PSH_WRITE;
    cfg->rto_est = TCP_RTO_RFC6298;
    cfg->zwp = TCP_ZWP_RFC;
    cfg->rwnd = TCP_RWND_RFC;
    cfg->wscale = -1; /* RFC 7323 2.3: the least shift that covers the buffer */
}

void tcp_config_profile(tcp_config *cfg, bool linux_like)
{
    cfg->rto_min = linux_like ? 200000 : 1000000; /* Linux TCP_RTO_MIN; RFC 6298 2.4 */
    cfg->msl = linux_like ? 30000000 : 60000000;  /* Linux TCP_TIMEWAIT_LEN is 60 s = 2 x 30 s */
    cfg->iw_segments = linux_like ? 10 : 0;       /* TCP_INIT_CWND (RFC 6928); RFC 5681 */
    cfg->syn_loss_iw = linux_like ? 2 : 1;        /* tcp_init_transfer: total_retrans > 1 */
    /* the mechanisms of docs/linux-profile.md, with Linux's sysctl defaults */
    cfg->sack = linux_like;       /* net.ipv4.tcp_sack = 1 */
    cfg->timestamps = linux_like; /* net.ipv4.tcp_timestamps = 1 */
    cfg->cc_algo = linux_like ? TCP_CCA_CUBIC : TCP_CCA_NEWRENO;
    cfg->rack = linux_like; /* net.ipv4.tcp_recovery = 1 */
    cfg->tlp = linux_like;  /* net.ipv4.tcp_early_retrans = 3 */
    cfg->prr = linux_like;
    cfg->quickack = linux_like;
    cfg->nagle_minshall = linux_like;
    cfg->psh = linux_like ? TCP_PSH_LINUX : TCP_PSH_WRITE;
    cfg->rto_est = linux_like ? TCP_RTO_LINUX : TCP_RTO_RFC6298;
    cfg->cwnd_packets = linux_like;
    cfg->zwp = linux_like ? TCP_ZWP_LINUX : TCP_ZWP_RFC;
    cfg->rwnd = linux_like ? TCP_RWND_LINUX : TCP_RWND_RFC;
    cfg->dup_syn_synack = linux_like;
    cfg->syn_linear = linux_like ? 4 : 0; /* net.ipv4.tcp_syn_linear_timeouts = 4 */
    /* tcp_rmem[1] = 131072 is the buffer a socket starts with; tcp_rmem[2] = 6 MB (the kernel's
     * default) gives window scale 7 */
    cfg->rcv_buf = linux_like ? 131072 : 65535;
    cfg->wscale = linux_like ? TCP_WSCALE_LINUX : TCP_WSCALE_AUTO;
    cfg->rcv_buf_set = false;
    cfg->hz = linux_like ? 250 : 0; /* CONFIG_HZ_250, Debian's and this machine's */
}

void tcp_attach_sb(tcp_endpoint *ep, tcp_sb *sb)
{
    ep->sb = sb;
    if (sb)
        tcp_sb_init(sb, ep->smss);
}

static uint8_t wscale_for(uint32_t rcv_buf)
{
    uint8_t s = 0;
    while (s < 14 && (rcv_buf >> s) > 65535u)
        s++;
    return s;
}

void tcp_init(tcp_endpoint *ep, const tcp_config *cfg, uint8_t id, trace_sink sink)
{
    memset(ep, 0, sizeof *ep);
    ep->cfg = *cfg;
    if (ep->cfg.mss < 64)
        ep->cfg.mss = 64;
    ep->id = id;
    ep->sink = sink;
    ep->state = TCP_CLOSED;
    ep->iss = cfg->isn;
    ep->snd_una = ep->snd_nxt = ep->snd_max = cfg->isn;
    ep->smss = ep->cfg.mss;
    if (cfg->wscale >= 0)
        ep->rcv_shift = (uint8_t)(cfg->wscale > 14 ? 14 : cfg->wscale);
    else if (cfg->wscale == TCP_WSCALE_LINUX)
        ep->rcv_shift = tcp_rwnd_linux_wscale(cfg);
    else
        ep->rcv_shift = wscale_for(cfg->rcv_buf);
    ep->timer = TCP_TIMER_NONE;
    ep->timer_at = TCP_NEVER;
    ep->delack_at = TCP_NEVER;
    tcp_rto_init(&ep->rto, cfg->rto_initial, cfg->rto_min, cfg->rto_max, cfg->clock_g);
    ep->rto.linux_est = cfg->rto_est == TCP_RTO_LINUX;
    tcp_cc_init(&ep->cc, ep->smss, cfg->iw_segments, cfg->isn);
    ep->scaling_ratio = 128; /* Linux TCP_DEFAULT_SCALING_RATIO: half the buffer is window */
}

bool tcp_synchronized(tcp_state s)
{
    return s >= TCP_ESTABLISHED;
}

static trace_event ev_new(const tcp_endpoint *ep, uint64_t now, trace_kind k)
{
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = now;
    ev.ep = ep->id;
    ev.kind = (uint8_t)k;
    return ev;
}

void tcp_set_state(tcp_endpoint *ep, uint64_t now, tcp_state to, const char *cause)
{
    if (ep->state == to)
        return;
    if (ep->observer) { /* keep the inferred path; the last TCP_OBS_PATH states at most */
        if (ep->obs_n == TCP_OBS_PATH) {
            memmove(ep->obs_path, ep->obs_path + 1, TCP_OBS_PATH - 1);
            memmove(ep->obs_hinted, ep->obs_hinted + 1, TCP_OBS_PATH - 1);
            ep->obs_n--;
        }
        ep->obs_path[ep->obs_n] = (uint8_t)to;
        ep->obs_hinted[ep->obs_n] = ep->obs_arrival;
        ep->obs_n++;
    }
    tcp_state from = ep->state;
    ep->state = to; /* before the event: a sink that reads the endpoint sees the new state */
    if (trace_sink_on(&ep->sink)) {
        trace_event ev = ev_new(ep, now, TRACE_STATE);
        ev.u.state.from = (uint8_t)from;
        ev.u.state.to = (uint8_t)to;
        trace_set_text(&ev, "%s", cause);
        trace_sink_put(&ep->sink, &ev);
    }
}

void tcp_emit_note(tcp_endpoint *ep, uint64_t now, const char *msg)
{
    if (!trace_sink_on(&ep->sink))
        return;
    trace_event ev = ev_new(ep, now, TRACE_NOTE);
    trace_set_text(&ev, "%s", msg);
    trace_sink_put(&ep->sink, &ev);
}

void tcp_emit_cwnd(tcp_endpoint *ep, uint64_t now, const char *cause)
{
    if (!trace_sink_on(&ep->sink) || ep->observer)
        return;
    if (ep->cwnd_shown == ep->cc.cwnd && ep->ssthresh_shown == ep->cc.ssthresh)
        return; /* an ACK that changed neither (a SYN's or FIN's, or cwnd at a limit) */
    ep->cwnd_shown = ep->cc.cwnd;
    ep->ssthresh_shown = ep->cc.ssthresh;
    trace_event ev = ev_new(ep, now, TRACE_CWND);
    ev.u.cwnd.cwnd = ep->cc.cwnd;
    ev.u.cwnd.ssthresh = ep->cc.ssthresh;
    trace_set_text(&ev, "%s", cause);
    trace_sink_put(&ep->sink, &ev);
}

static void emit_timer(tcp_endpoint *ep, uint64_t now, tcp_timer_kind k, trace_timer_action a,
                       uint64_t deadline, uint64_t duration)
{
    if (!trace_sink_on(&ep->sink) || ep->observer)
        return;
    trace_event ev = ev_new(ep, now, TRACE_TIMER);
    ev.u.timer.timer = (uint8_t)k;
    ev.u.timer.action = (uint8_t)a;
    ev.u.timer.deadline = deadline;
    ev.u.timer.duration = duration;
    trace_sink_put(&ep->sink, &ev);
}

/* ---- timers --------------------------------------------------------------------------- */

/* Linux's timers are counted in jiffies and kept in a timer wheel (kernel/time/timer.c): the
 * duration is rounded up to whole jiffies (usecs_to_jiffies), and a timer due D jiffies ahead
 * lands in the level whose buckets cover it: level 0 for D < 63 (1 jiffy granularity), level 1
 * below 504 (8 jiffies), level 2 below 4032 (64), and so on; it fires at the first bucket boundary
 * after its expiry (calc_index rounds up, so it never fires early).  The wheel's phase matters:
 * here t = 0 is 0.75 ms after a tick whose number is a multiple of 4096, the phase at which
 * tests/kernel starts its kernel runs. */
#define WHEEL_PHASE_US 750u

uint64_t tcp_timer_when(const tcp_endpoint *ep, uint64_t now, uint64_t after)
{
    if (ep->cfg.hz == 0)
        return now + after;
    uint64_t tick = 1000000u / ep->cfg.hz;
    uint64_t j = (now + WHEEL_PHASE_US) / tick;
    uint64_t d = (after + tick - 1) / tick;
    unsigned shift = 0;
    for (uint64_t start = 63; d >= start && shift < 21; start <<= 3)
        shift += 3;
    uint64_t bucket = (((j + d) >> shift) + 1) << shift;
    uint64_t at = bucket * tick - WHEEL_PHASE_US;
    return at > now + after ? at : now + after;
}

void tcp_timer_set(tcp_endpoint *ep, uint64_t now, tcp_timer_kind k, uint64_t after)
{
    if (ep->observer)
        return;
    ep->timer = k;
    ep->timer_started = now;
    ep->timer_at = tcp_timer_when(ep, now, after);
    emit_timer(ep, now, k, TRACE_TIMER_ARM, ep->timer_at, after);
}

void tcp_timer_stop(tcp_endpoint *ep, uint64_t now)
{
    if (ep->timer == TCP_TIMER_NONE)
        return;
    emit_timer(ep, now, ep->timer, TRACE_TIMER_CANCEL, ep->timer_at, now - ep->timer_started);
    ep->timer = TCP_TIMER_NONE;
    ep->timer_at = TCP_NEVER;
}

void tcp_delack_set(tcp_endpoint *ep, uint64_t now)
{
    tcp_delack_set_for(ep, now, ep->cfg.delack);
}

void tcp_delack_set_for(tcp_endpoint *ep, uint64_t now, uint64_t after)
{
    if (ep->observer || ep->delack_at != TCP_NEVER)
        return;
    ep->delack_started = now;
    ep->delack_at = tcp_timer_when(ep, now, after);
    emit_timer(ep, now, TCP_TIMER_DELACK, TRACE_TIMER_ARM, ep->delack_at, after);
}

void tcp_delack_stop(tcp_endpoint *ep, uint64_t now)
{
    if (ep->delack_at == TCP_NEVER)
        return;
    emit_timer(ep, now, TCP_TIMER_DELACK, TRACE_TIMER_CANCEL, ep->delack_at,
               now - ep->delack_started);
    ep->delack_at = TCP_NEVER;
}

void tcp_clear_timers(tcp_endpoint *ep, uint64_t now)
{
    tcp_timer_stop(ep, now);
    tcp_delack_stop(ep, now);
    ep->rexmit_one = false;
    ep->probe_pending = false;
    ep->rtt_timing = false;
}

uint64_t tcp_next_deadline(const tcp_endpoint *ep)
{
    return ep->timer_at < ep->delack_at ? ep->timer_at : ep->delack_at;
}

/* ---- output helpers ----------------------------------------------------------------------- */

void tcp_queue_ctl(tcp_endpoint *ep, const tcp_seg *seg)
{
    if (ep->observer || ep->n_ctl >= TCP_CTL_MAX)
        return; /* like a real stack under a flood: excess control segments are not sent */
    ep->ctl[ep->n_ctl++] = *seg;
}

uint32_t tcp_data_end(const tcp_endpoint *ep)
{
    return ep->iss + 1u + (uint32_t)ep->snd_queued;
}

uint32_t tcp_rcv_window(tcp_endpoint *ep, bool commit)
{
    if (ep->cfg.rwnd == TCP_RWND_LINUX)
        return tcp_rwnd_linux(ep, commit);
    uint32_t space = ep->cfg.rcv_buf > ep->rcv_unread ? ep->cfg.rcv_buf - ep->rcv_unread : 0;
    uint32_t max_adv = 65535u << ep->rcv_shift;
    if (space > max_adv)
        space = max_adv;
    /* what we can advertise is a multiple of the unit our window scale gives */
    space = (space >> ep->rcv_shift) << ep->rcv_shift;
    uint32_t cur = tcp_seq_gt(ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt : 0;
    /* RFC 1122 4.2.3.3 receiver SWS avoidance: keep RCV.NXT + RCV.WND fixed until the window
     * can grow by at least min(RCV.BUFF / 2, Eff.snd.MSS); the right edge never moves back. */
    uint32_t step = ep->cfg.rcv_buf / 2 < ep->smss ? ep->cfg.rcv_buf / 2 : ep->smss;
    uint32_t win = cur;
    if (space > cur && space - cur >= step)
        win = space;
    if (commit) {
        ep->rcv_adv = ep->rcv_nxt + win;
        ep->sws_held = space > win ? space - win : 0;
        ep->sws_step = step;
    }
    return win;
}
