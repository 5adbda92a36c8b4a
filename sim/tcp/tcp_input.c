/*
 * tcp_input.c - SEGMENT ARRIVES, in the order of RFC 9293 section 3.10.7: the CLOSED, LISTEN and
 * SYN-SENT cases first, then for the other states the acceptability test, RST (with the RFC 5961
 * checks), SYN, ACK, URG (ignored), segment text and FIN.  The ACK processing also feeds the RTO
 * estimator (RFC 6298, Karn's rule) and congestion control (RFC 5681, RFC 6582).
 *
 * The same code runs for simulated endpoints and, in observer mode, for endpoints inferred from a
 * capture; observer mode only suppresses what would be sent (see tcp_queue_ctl and tcp_output).
 */
#include "tcp.h"

#include "tcp_seq.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* SEG.WND in bytes: never scaled on a SYN (RFC 7323 2.2), scaled by the peer's shift after. */
static uint32_t seg_window(const tcp_endpoint *ep, const tcp_seg *s)
{
    if (s->flags & TCP_SYN)
        return s->win_raw;
    return (uint32_t)s->win_raw << ep->snd_shift;
}

/* A reset in reply to a segment that has no connection to go to (RFC 9293 3.10.7.1, also used
 * for unacceptable ACKs in LISTEN, SYN-SENT and SYN-RECEIVED). */
static void reply_rst(tcp_endpoint *ep, const tcp_seg *s)
{
    if (s->flags & TCP_RST)
        return;
    tcp_seg r = {0};
    if (s->flags & TCP_ACK) {
        r.seq = s->ack; /* <SEQ=SEG.ACK><CTL=RST> */
        r.flags = TCP_RST;
    } else {
        r.seq = 0; /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
        r.ack = s->seq + tcp_seg_seqlen(s);
        r.flags = TCP_RST | TCP_ACK;
    }
    tcp_queue_ctl(ep, &r);
}

/* RFC 5961: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, sent by tcp_output with the challenge tag. */
static void challenge_ack(tcp_endpoint *ep)
{
    ep->ack_now = true;
    ep->ack_tags |= TCP_TAG_CHALLENGE_ACK;
}

/* MSS and window scale from a SYN (RFC 9293 3.7.1, RFC 7323 2.2). */
static void take_syn_options(tcp_endpoint *ep, const tcp_seg *s)
{
    uint32_t peer_mss = s->has_mss ? s->mss : 536u; /* RFC 9293 3.7.1: default 536 (IPv4) */
    if (peer_mss < 64)
        peer_mss = 64;
    ep->smss = peer_mss < ep->cfg.mss ? peer_mss : ep->cfg.mss;
    if (s->has_wscale && (ep->state == TCP_LISTEN || ep->wscale_offered)) {
        ep->wscale_ok = true;
        ep->snd_shift = s->wscale > 14 ? 14 : s->wscale; /* RFC 7323 2.3: at most 14 */
    } else {
        ep->wscale_ok = false;
        ep->snd_shift = 0;
        ep->rcv_shift = 0;
    }
    /* RFC 2018 2: SACK is used when both SYNs carry SACK-permitted */
    ep->sack_ok = ep->cfg.sack && s->sack_perm && (ep->state == TCP_LISTEN || ep->sack_offered);
    /* RFC 7323 3.2: timestamps when both SYNs carry the option; TS.Recent starts at the
     * peer's TSval */
    ep->ts_ok = ep->cfg.timestamps && s->has_ts && (ep->state == TCP_LISTEN || ep->ts_offered);
    if (ep->ts_ok) {
        ep->ts_recent = s->tsval;
        /* RFC 6691: the data of a segment shrinks by the 12 bytes of the option (MSS 1460
         * carries 1448) */
        if (ep->smss > 64 + 12)
            ep->smss -= 12;
    }
    /* the receiver's estimate of the peer's segment size: with Linux's engines it starts at
     * 536 (tcp_initialize_rcv_mss: TCP_MSS_DEFAULT, at most the MSS and half the window) and
     * follows the segments that arrive (tcp_measure_rcv_mss) */
    ep->rcv_mss = ep->smss;
    if (ep->cfg.rwnd == TCP_RWND_LINUX || ep->cfg.quickack) {
        uint32_t hint = ep->smss < 536 ? ep->smss : 536;
        uint32_t half = tcp_rcv_window(ep, false) / 2;
        if (half < hint)
            hint = half;
        ep->rcv_mss = hint < 88 ? 88 : hint;
    }
    /* the scoreboard sender takes over when a mechanism needs it (tcp_xmit.c) */
    const tcp_config *c = &ep->cfg;
    ep->engine = ep->sb != NULL && !ep->observer &&
                 (ep->sack_ok || c->psh == TCP_PSH_LINUX || c->cwnd_packets ||
                  c->rto_est == TCP_RTO_LINUX || c->nagle_minshall || c->prr);
    /* the congestion window starts in units of the negotiated SMSS */
    tcp_cc_init(&ep->cc, ep->smss, ep->cfg.iw_segments, ep->iss);
    if (ep->engine)
        tcp_eng_init(ep);
}

static void emit_rtt(tcp_endpoint *ep, uint64_t now, uint64_t sample)
{
    if (!trace_sink_on(&ep->sink))
        return;
    trace_event ev = {0};
    ev.t = now;
    ev.ep = ep->id;
    ev.kind = TRACE_RTT;
    ev.u.rtt.sample = sample;
    ev.u.rtt.srtt = ep->rto.srtt;
    ev.u.rtt.rttvar = ep->rto.rttvar;
    ev.u.rtt.rto = ep->rto.rto;
    trace_sink_put(&ep->sink, &ev);
}

/* One RTT sample into the estimator of cfg.rto_est, traced. */
void tcp_rtt_sample(tcp_endpoint *ep, uint64_t now, uint64_t r)
{
    if (ep->cfg.rto_est == TCP_RTO_LINUX)
        tcp_rto_sample_linux(&ep->rto, r, ep->snd_una, ep->snd_max);
    else
        tcp_rto_sample(&ep->rto, r);
    if (ep->min_rtt == 0 || r < ep->min_rtt)
        ep->min_rtt = r;
    emit_rtt(ep, now, r);
}

/* Ends a running RTT measurement if this ACK covers the timed segment (RFC 6298 section 3:
 * Karn's rule is kept by never timing a retransmitted segment, see tcp_output.c).  With
 * timestamps every ACK of new data gives a sample from its TSecr instead (RFC 7323 4.2, RTTM),
 * retransmitted or not; the scoreboard sender takes its samples in tcp_recovery.c. */
static void rtt_measure(tcp_endpoint *ep, uint64_t now, uint32_t ack)
{
    if (ep->rtt_taken)
        return;
    ep->rtt_taken = true;
    bool timed = ep->rtt_timing && tcp_seq_gt(ack, ep->rtt_seq);
    if (timed)
        ep->rtt_timing = false;
    uint64_t r = 0;
    if (ep->ts_ok && ep->cfg.rto_est == TCP_RTO_RFC6298 && tcp_ts_rtt(ep, now, &r)) {
        tcp_rtt_sample(ep, now, r);
        return;
    }
    if (timed) {
        tcp_rtt_sample(ep, now, now - ep->rtt_start);
        return;
    }
    /* Linux: a handshake whose SYN (or SYN,ACK) was retransmitted is timed by TSecr */
    if (ep->cfg.rto_est == TCP_RTO_LINUX && !ep->rto.has_sample && ep->ts_ok &&
        tcp_ts_rtt(ep, now, &r))
        tcp_rtt_sample(ep, now, r);
}

/* Our SYN (or SYN,ACK) timed out and the handshake is now complete.  RFC 6298 5.7: data transfer
 * starts with an RTO of at least 3 s (Karn's rule left the handshake without an RTT sample).
 * RFC 5681 3.1: "If the SYN or SYN/ACK is lost, the initial window used by a sender after a
 * correctly transmitted SYN MUST be one segment" -- after cfg.syn_loss_iw timeouts: 1 by
 * default, 2 with the Linux profile (Linux keeps its initial window after a single SYN
 * retransmission).  Both changes are traced. */
static void start_after_syn_timeout(tcp_endpoint *ep, uint64_t now, bool sample)
{
    if (ep->syn_timeouts == 0)
        return;
    /* with timestamps the handshake gives an RTT sample all the same: the RTO is that one
     * (Linux's tcp_init_metrics falls back to 3 s only without a sample) */
    if (!sample && !ep->rto.has_sample && tcp_rto_reset_after_syn_timeout(&ep->rto))
        tcp_emit_note(ep, now, "RTO 3 s: the SYN timed out (RFC 6298 5.7)");
    tcp_cc_init(&ep->cc, ep->smss, ep->cfg.iw_segments, ep->iss);
    if (ep->cfg.syn_loss_iw == 0 || ep->syn_timeouts < ep->cfg.syn_loss_iw) {
        tcp_emit_cwnd(ep, now, "initial window (RFC 5681 3.1)");
        return;
    }
    ep->cc.cwnd = ep->smss;
    tcp_emit_cwnd(ep, now, "SYN timed out: initial window 1 segment");
}

static void update_window(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    /* RFC 9293 3.10.7.4 fifth, ESTABLISHED: "If SND.UNA =< SEG.ACK =< SND.NXT, the send window
     * should be updated.  If (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK))"
     * (SND.UNA has already moved to SEG.ACK for an ACK of new data) */
    if (tcp_seq_lt(s->ack, ep->snd_una))
        return; /* an old ACK: its window is older than the one we hold */
    if (tcp_seq_lt(ep->snd_wl1, s->seq) ||
        (ep->snd_wl1 == s->seq && tcp_seq_leq(ep->snd_wl2, s->ack))) {
        uint32_t old = ep->snd_wnd;
        ep->snd_wnd = seg_window(ep, s);
        ep->snd_wl1 = s->seq;
        ep->snd_wl2 = s->ack;
        if (ep->snd_wnd > ep->max_snd_wnd)
            ep->max_snd_wnd = ep->snd_wnd;
        if (old == 0 && ep->snd_wnd > 0 && ep->timer == TCP_TIMER_PERSIST &&
            !(ep->engine && ep->cfg.zwp == TCP_ZWP_LINUX && ep->snd_wnd < ep->smss &&
              tcp_data_end(ep) - ep->snd_nxt >= ep->smss)) {
            /* RFC 9293 3.8.6.1: the window opened, stop probing */
            tcp_timer_stop(ep, now);
            ep->probe_pending = false;
            ep->persist_backoff = 0;
        }
    }
}

/* SND.UNA moves up to `ack` (RFC 9293 3.10.7.4), SND.NXT with it if it lagged.  The bytes of the
 * stream acknowledged are counted without the sequence numbers of our SYN and FIN, which are not
 * data: returns how many of those two the ACK covered, and says whether one was the SYN. */
static uint32_t advance_una(tcp_endpoint *ep, uint32_t ack, bool *syn_acked)
{
    uint32_t data_end = tcp_data_end(ep);
    uint32_t ctl = 0;
    *syn_acked = ep->snd_una == ep->iss;
    if (*syn_acked)
        ctl++; /* our SYN */
    if (ep->fin_queued && tcp_seq_leq(ep->snd_una, data_end) && tcp_seq_gt(ack, data_end))
        ctl++; /* our FIN */
    ep->snd_acked += (ack - ep->snd_una) - ctl;
    ep->snd_una = ack;
    if (tcp_seq_lt(ep->snd_nxt, ep->snd_una))
        ep->snd_nxt = ep->snd_una;
    return ctl;
}

/* The ACK field for the scoreboard sender: SND.UNA moves here, the rest is tcp_eng_ack. */
static void eng_process_ack(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    uint32_t prior_una = ep->snd_una;
    /* RFC 5681 section 2 (and RFC 6675 2 with SACK): a duplicate acknowledgment */
    bool dup = s->ack == ep->snd_una && ep->snd_max != ep->snd_una && s->len == 0 &&
               !(s->flags & (TCP_SYN | TCP_FIN)) && seg_window(ep, s) == ep->snd_wnd &&
               ep->snd_wnd > 0 && ep->timer != TCP_TIMER_PERSIST;
    if (tcp_seq_gt(s->ack, ep->snd_una)) {
        bool syn_acked = false;
        advance_una(ep, s->ack, &syn_acked);
        /* Linux times the handshake from the SYN,ACK's send time, with or without timestamps
         * (tcp_synack_rtt_meas; Karn's rule: not after a retransmission); the rest of its
         * samples come from the scoreboard (tcp_eng_ack) */
        if (ep->cfg.rto_est != TCP_RTO_LINUX || syn_acked)
            rtt_measure(ep, now, s->ack);
        ep->retries = 0;
        if (ep->cfg.rto_est == TCP_RTO_LINUX)
            ep->persist_backoff = 0;
    }
    update_window(ep, now, s);
    tcp_eng_ack(ep, now, s, prior_una, dup);
    /* tcp_ack_probe: an answer to a zero-window probe with the window still closed */
    if (ep->sb->n == 0 && ep->timer == TCP_TIMER_PERSIST) {
        uint32_t unsent = tcp_data_end(ep) - ep->snd_nxt;
        uint32_t need = unsent < ep->smss ? unsent : ep->smss;
        if (ep->snd_wnd < need || ep->snd_wnd == 0)
            tcp_probe_answered(ep, now);
    }
}

static bool our_fin_acked(const tcp_endpoint *ep)
{
    uint32_t fin = tcp_data_end(ep);
    return ep->fin_queued && tcp_seq_gt(ep->snd_max, fin) && tcp_seq_gt(ep->snd_una, fin);
}

/* The ACK field of a segment in a synchronized state (RFC 9293 3.10.7.4 fifth, ESTABLISHED
 * rules, shared by all states that process ACKs).  Returns false if the segment is to be
 * dropped. */
static bool process_ack(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    if (tcp_seq_gt(s->ack, ep->snd_max)) {
        /* acks something not yet sent: send an ACK, drop the segment (RFC 9293, RFC 5961 5.2) */
        ep->ack_now = true;
        return false;
    }
    if (tcp_seq_lt(s->ack, ep->snd_una - ep->max_snd_wnd)) {
        /* RFC 5961 5.2: too old to be plausible, challenge it */
        challenge_ack(ep);
        return false;
    }
    if (ep->probe_out) {
        /* the answer to a zero-window probe: if the octet was not taken, it is unsent again,
         * so that sending it later is not counted as a retransmission */
        ep->probe_out = false;
        if (!tcp_seq_gt(s->ack, ep->probe_seq) && ep->snd_max == ep->probe_seq + 1)
            ep->snd_max = ep->probe_seq;
    }
    if (ep->engine) {
        eng_process_ack(ep, now, s);
        return true;
    }
    if (tcp_seq_gt(s->ack, ep->snd_una)) {
        uint32_t acked = s->ack - ep->snd_una;
        bool syn_acked = false;
        uint32_t ctl = advance_una(ep, s->ack, &syn_acked);
        rtt_measure(ep, now, s->ack);
        ep->retries = 0;
        uint32_t flight = ep->snd_max - ep->snd_una;
        /* RFC 5681 3.1 grows cwnd for ACKs of new data: the SYN's and FIN's numbers are not */
        tcp_cc_action a = tcp_cc_on_new_ack(&ep->cc, s->ack, acked - ctl, flight, ep->smss);
        if (a == TCP_CC_PARTIAL_ACK || a == TCP_CC_PARTIAL_ACK_FIRST) {
            ep->rexmit_one = true;
            tcp_emit_cwnd(ep, now, "partial ACK (RFC 6582)");
        } else if (acked == ctl && ep->cwnd_shown == 0) {
            /* the first cwnd event, on the ACK of our SYN: the initial window, unchanged */
            tcp_emit_cwnd(ep, now, "initial window (RFC 5681 3.1)");
        } else {
            tcp_emit_cwnd(ep, now,
                          ep->cc.cwnd <= ep->cc.ssthresh ? "slow start" : "congestion avoidance");
        }
        if (ep->timer == TCP_TIMER_RTO || ep->timer == TCP_TIMER_NONE) {
            if (ep->snd_una == ep->snd_max)
                tcp_timer_stop(ep, now); /* RFC 6298 5.2: all outstanding data acked */
            else if (a != TCP_CC_PARTIAL_ACK)
                tcp_timer_set(ep, now, TCP_TIMER_RTO, ep->rto.rto); /* 5.3: restart */
        }
    } else if (s->ack == ep->snd_una && ep->snd_max != ep->snd_una && s->len == 0 &&
               !(s->flags & (TCP_SYN | TCP_FIN)) && seg_window(ep, s) == ep->snd_wnd &&
               ep->snd_wnd > 0 && ep->timer != TCP_TIMER_PERSIST) {
        /* RFC 5681 section 2: a duplicate acknowledgment (answers to zero-window probes are
         * not: nothing but the probe is outstanding) */
        uint32_t flight = ep->snd_max - ep->snd_una;
        tcp_cc_action a = tcp_cc_on_dupack(&ep->cc, s->ack, ep->snd_max, flight, ep->smss);
        if (a == TCP_CC_FAST_RETRANSMIT) {
            ep->rexmit_one = true;
            tcp_emit_cwnd(ep, now, "fast retransmit (3 dup ACKs)");
        } else if (ep->cc.in_recovery) {
            tcp_emit_cwnd(ep, now, "fast recovery: dup ACK inflates cwnd");
        }
    }
    update_window(ep, now, s);
    return true;
}

static void start_time_wait(tcp_endpoint *ep, uint64_t now, const char *cause)
{
    tcp_clear_timers(ep, now); /* RFC 9293: turn off the other timers */
    tcp_set_state(ep, now, TCP_TIME_WAIT, cause);
    tcp_timer_set(ep, now, TCP_TIMER_TIME_WAIT, 2 * ep->cfg.msl);
}

/* Adds [start, end) to the out-of-order list, merging neighbours; the range it ends up in
 * becomes the most recent (RFC 2018 4: its SACK block goes first).  Returns false if the text
 * was already held (a duplicate). */
static bool ooo_add(tcp_endpoint *ep, uint32_t start, uint32_t end)
{
    for (uint32_t i = 0; i < ep->n_ooo; i++)
        if (tcp_seq_leq(ep->ooo[i].start, start) && tcp_seq_leq(end, ep->ooo[i].end))
            return false;
    for (uint32_t i = 0; i < ep->n_ooo;) {
        tcp_range *r = &ep->ooo[i];
        if (tcp_seq_leq(start, r->end) && tcp_seq_leq(r->start, end)) {
            start = tcp_seq_min(start, r->start);
            end = tcp_seq_max(end, r->end);
            --ep->n_ooo;
            ep->ooo[i] = ep->ooo[ep->n_ooo];
            ep->ooo_age[i] = ep->ooo_age[ep->n_ooo];
            i = 0;
            continue;
        }
        i++;
    }
    if (ep->n_ooo < TCP_OOO_MAX) {
        ep->ooo_age[ep->n_ooo] = ++ep->ooo_clock;
        ep->ooo[ep->n_ooo++] = (tcp_range){start, end};
    }
    /* else: like a receiver out of reassembly memory, forget it; the sender will resend */
    return true;
}

/* Moves data that became contiguous from the out-of-order list into the stream.  Returns
 * whether any range was used. */
static bool ooo_drain(tcp_endpoint *ep)
{
    bool used = false;
    for (bool again = true; again;) {
        again = false;
        for (uint32_t i = 0; i < ep->n_ooo; i++) {
            tcp_range r = ep->ooo[i];
            if (ep->fin_seen && tcp_seq_gt(r.end, ep->fin_seq))
                r.end = ep->fin_seq; /* a FIN held out of order is not data */
            if (tcp_seq_leq(r.start, ep->rcv_nxt)) {
                tcp_rwnd_ooo_drained(ep, ep->ooo[i].end - ep->ooo[i].start);
                if (tcp_seq_gt(r.end, ep->rcv_nxt)) {
                    uint32_t n = r.end - ep->rcv_nxt;
                    ep->rcv_nxt = r.end;
                    ep->rcv_unread += n;
                    ep->rcv_total += n;
                }
                --ep->n_ooo;
                ep->ooo[i] = ep->ooo[ep->n_ooo];
                ep->ooo_age[i] = ep->ooo_age[ep->n_ooo];
                used = again = true;
                break;
            }
        }
    }
    return used;
}

/* RFC 9293 3.10.7.4 seventh: segment text, already trimmed to the window. */
static void receive_text(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    if (s->seq == ep->rcv_nxt) {
        bool had_gap = ep->n_ooo > 0;
        ep->rcv_nxt += s->len;
        ep->rcv_unread += s->len;
        ep->rcv_total += s->len;
        bool filled = ooo_drain(ep);
        tcp_ack_on_text(ep, now, s->len, had_gap, filled, ep->n_ooo > 0);
    } else {
        /* RFC 5681 4.2: an out-of-order segment is answered at once with a duplicate ACK */
        if (ooo_add(ep, s->seq, s->seq + s->len)) {
            tcp_rwnd_charge(ep, s->len, false);
            tcp_ack_on_ooo(ep, now);
        } else {
            tcp_ack_on_duplicate(ep, now, s->seq, s->seq + s->len);
            ep->ack_tags |= TCP_TAG_DUP_ACK;
        }
    }
}

/* RFC 9293 3.10.7.4 eighth: the FIN, once everything before it arrived. */
static void receive_fin(tcp_endpoint *ep, uint64_t now)
{
    ep->rcv_nxt += 1;
    ep->fin_rcvd = true;
    tcp_state to = ep->state == TCP_FIN_WAIT_1   ? TCP_CLOSING
                   : ep->state == TCP_FIN_WAIT_2 ? TCP_TIME_WAIT
                                                 : TCP_CLOSE_WAIT;
    tcp_ack_on_fin(ep, now, to);
    switch (ep->state) {
    case TCP_SYN_RECEIVED: /* fall through: same as ESTABLISHED */
    case TCP_ESTABLISHED:
        tcp_set_state(ep, now, TCP_CLOSE_WAIT, "recv FIN"); /* 3.10.7.4 eighth */
        break;
    case TCP_FIN_WAIT_1:
        /* our FIN not yet acked (else we would be in FIN-WAIT-2): simultaneous close */
        tcp_set_state(ep, now, TCP_CLOSING, "recv FIN (simultaneous close)");
        break;
    case TCP_FIN_WAIT_2:
        start_time_wait(ep, now, "recv FIN");
        break;
    default: /* CLOSE-WAIT, CLOSING, LAST-ACK: remain; TIME-WAIT is handled before */
        break;
    }
}

/* ---- states without a synchronized connection ----------------------------------------- */

/* RFC 9293 3.10.7.1 CLOSED: everything but a RST is answered with a RST. */
static void input_closed(tcp_endpoint *ep, const tcp_seg *s)
{
    reply_rst(ep, s);
}

/* RFC 9293 3.10.7.2 LISTEN. */
static void input_listen(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    if (s->flags & TCP_RST)
        return; /* first: ignore an incoming RST */
    if (s->flags & TCP_ACK) {
        reply_rst(ep, s); /* second: an ACK means a reset <SEQ=SEG.ACK><CTL=RST> */
        return;
    }
    if (!(s->flags & TCP_SYN))
        return; /* fourth: anything else is dropped */
    /* third: a SYN.  RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ; the SYN,ACK <SEQ=ISS><ACK=RCV.NXT>
     * goes out at the next tcp_output (SND.NXT == ISS marks it unsent). */
    ep->irs = s->seq;
    ep->rcv_nxt = s->seq + 1;
    ep->rcv_adv = ep->rcv_nxt;
    take_syn_options(ep, s);
    tcp_ts_note(ep, s);
    ep->snd_una = ep->snd_nxt = ep->snd_max = ep->iss;
    ep->snd_wnd = seg_window(ep, s);
    ep->max_snd_wnd = ep->snd_wnd;
    ep->snd_wl1 = s->seq;
    ep->snd_wl2 = ep->iss;
    tcp_set_state(ep, now, TCP_SYN_RECEIVED, "recv SYN");
}

static void input_other(tcp_endpoint *ep, uint64_t now, const tcp_seg *in);

/* RFC 9293 3.10.7.3 SYN-SENT. */
static void input_syn_sent(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    bool ack_ok = false;
    if (s->flags & TCP_ACK) {
        /* first: check the ACK bit */
        if (tcp_seq_leq(s->ack, ep->iss) || tcp_seq_gt(s->ack, ep->snd_max)) {
            reply_rst(ep, s);
            return;
        }
        ack_ok = tcp_seq_lt(ep->snd_una, s->ack) && tcp_seq_leq(s->ack, ep->snd_max);
    }
    if (s->flags & TCP_RST) {
        /* second: a RST with an acceptable ACK refuses the connection (RFC 5961 3.2 keeps
         * the same rule in SYN-SENT) */
        if (ack_ok) {
            tcp_clear_timers(ep, now);
            ep->error = TCP_ERR_REFUSED;
            tcp_set_state(ep, now, TCP_CLOSED, "recv RST: connection refused");
        }
        return;
    }
    if (!(s->flags & TCP_SYN))
        return; /* fifth: neither SYN nor RST: drop */
    /* fourth: the SYN */
    ep->irs = s->seq;
    ep->rcv_nxt = s->seq + 1;
    /* the window our SYN offered (never scaled) now starts at RCV.NXT */
    ep->rcv_adv = ep->rcv_nxt + tcp_rwnd_syn(ep, false);
    ep->rcv_wup = ep->rcv_nxt;
    take_syn_options(ep, s);
    tcp_ts_note(ep, s);
    ep->snd_wnd = seg_window(ep, s);
    ep->max_snd_wnd = ep->snd_wnd;
    ep->snd_wl1 = s->seq;
    ep->snd_wl2 = s->ack;
    if (ack_ok) {
        ep->snd_una = s->ack;
        if (tcp_seq_lt(ep->snd_nxt, ep->snd_una))
            ep->snd_nxt = ep->snd_una;
        rtt_measure(ep, now, s->ack);
    }
    if (tcp_seq_gt(ep->snd_una, ep->iss)) {
        /* our SYN has been acknowledged: ESTABLISHED, send <SEQ=SND.NXT><ACK=RCV.NXT><ACK> */
        tcp_timer_stop(ep, now);
        ep->retries = 0;
        start_after_syn_timeout(ep, now, false);
        tcp_set_state(ep, now, TCP_ESTABLISHED, "recv SYN,ACK");
        ep->ack_now = true;
        /* "If there are other controls or text in the segment, then continue processing at the
         * sixth step" (3.10.7.3): text and FIN that came with the SYN,ACK */
        if (s->len > 0 || (s->flags & TCP_FIN)) {
            tcp_seg rest = *s;
            rest.flags &= (uint8_t)~TCP_SYN;
            rest.seq += 1;
            input_other(ep, now, &rest);
        }
    } else {
        /* simultaneous open: SYN-RECEIVED, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
        ep->snd_nxt = ep->iss;
        ep->synack_fresh = true;
        tcp_timer_stop(ep, now);
        tcp_set_state(ep, now, TCP_SYN_RECEIVED, "recv SYN (simultaneous open)");
    }
}

/* ---- synchronized states (and SYN-RECEIVED) ---------------------------------------------- */

static bool acceptable(uint32_t seq, uint32_t seglen, uint32_t rcv_nxt, uint32_t wnd)
{
    /* RFC 9293 3.10.7.4 first: the four cases of the acceptability test */
    if (seglen == 0) {
        if (wnd == 0)
            return seq == rcv_nxt;
        return tcp_seq_in(seq, rcv_nxt, rcv_nxt + wnd);
    }
    if (wnd == 0)
        return false;
    return tcp_seq_in(seq, rcv_nxt, rcv_nxt + wnd) ||
           tcp_seq_in(seq + seglen - 1, rcv_nxt, rcv_nxt + wnd);
}

/* The steps of segment arrival in a synchronized state (RFC 9293 3.10.7.4), each on the copy
 * `s` of the arriving segment `in` as the steps before trimmed it; a step returns true when the
 * segment is done with (answered, dropped, or the connection changed state for good). */

/* Before the sequence check: PAWS, a retransmitted FIN in TIME-WAIT, Linux's duplicate SYN,
 * and the copy of the peer's SYN in SYN-RECEIVED. */
static bool step_early(tcp_endpoint *ep, uint64_t now, tcp_seg *s)
{
    /* RFC 7323 5.3 R1 (PAWS): a TSval older than TS.Recent marks an old duplicate: ACK, drop */
    if (tcp_ts_paws_reject(ep, s)) {
        ep->ack_now = true;
        return true;
    }

    /* TIME-WAIT: "the only thing that can arrive in this state is a retransmission of the
     * remote FIN. Acknowledge it, and restart the 2 MSL timeout" (3.10.7.4 fifth, eighth). */
    if (ep->state == TCP_TIME_WAIT && (s->flags & TCP_FIN) && !(s->flags & (TCP_RST | TCP_SYN)) &&
        s->seq + s->len + 1 == ep->rcv_nxt) {
        ep->ack_now = true;
        tcp_timer_stop(ep, now);
        tcp_timer_set(ep, now, TCP_TIMER_TIME_WAIT, 2 * ep->cfg.msl);
        tcp_emit_note(ep, now, "retransmitted FIN in TIME-WAIT: re-ACK, restart 2MSL");
        return true;
    }

    /* Linux (tcp_check_req): the peer's SYN again in SYN-RECEIVED means our SYN,ACK was lost:
     * send it again at once and restart its timer (RFC 9293 would answer with an ACK) */
    if (ep->cfg.dup_syn_synack && ep->state == TCP_SYN_RECEIVED && ep->passive &&
        (s->flags & TCP_SYN) && !(s->flags & (TCP_ACK | TCP_RST)) && s->seq == ep->irs &&
        ep->snd_una == ep->iss) {
        if (ep->seg_ts)
            ep->ts_recent = s->tsval; /* the new SYN,ACK echoes this SYN */
        ep->snd_nxt = ep->iss;
        tcp_timer_stop(ep, now);
        return true;
    }

    /* A copy of the peer's SYN that we already hold (simultaneous open, figure 7 of RFC 9293,
     * or a retransmitted SYN,ACK): only the part after the SYN is new, so drop the SYN bit. */
    if ((s->flags & TCP_SYN) && (s->flags & TCP_ACK) && s->seq == ep->irs &&
        ep->state == TCP_SYN_RECEIVED) {
        s->flags &= (uint8_t)~TCP_SYN;
        s->seq += 1;
    }

    return false;
}

/* first: the sequence number, and trimming to the window. */
static bool step_sequence(tcp_endpoint *ep, uint64_t now, tcp_seg *s, uint32_t wnd)
{
    uint32_t seglen = tcp_seg_seqlen(s);
    bool zero_wnd_allowance = false;
    if (!acceptable(s->seq, seglen, ep->rcv_nxt, wnd)) {
        if (wnd == 0 && s->seq == ep->rcv_nxt && !(s->flags & TCP_SYN)) {
            /* "If the RCV.WND is zero, no segments will be acceptable, but special allowance
             * should be made to accept valid ACKs, URGs, and RSTs": process the controls,
             * drop the text, answer with an ACK (this is how zero-window probes are answered). */
            zero_wnd_allowance = true;
        } else {
            if (!(s->flags & TCP_RST))
                ep->ack_now = true; /* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, then drop */
            if (!(s->flags & (TCP_RST | TCP_SYN)) && s->len > 0 &&
                tcp_seq_leq(s->seq + s->len, ep->rcv_nxt))
                tcp_ack_on_duplicate(ep, now, s->seq, s->seq + s->len); /* old text again */
            return true;
        }
    }
    tcp_ts_update_recent(ep, s); /* RFC 7323 4.3: an acceptable segment */
    if (zero_wnd_allowance) {
        s->len = 0;
        s->flags &= (uint8_t)~TCP_FIN;
        ep->ack_now = true;
    } else {
        /* trim the front (old data) and the tail (beyond the window) */
        if (tcp_seq_lt(s->seq, ep->rcv_nxt)) {
            uint32_t d = ep->rcv_nxt - s->seq;
            if (s->len > 0 && !(s->flags & TCP_SYN) && ep->sack_ok) {
                ep->dsack_pending = true; /* RFC 2883 4: the old part is a duplicate */
                ep->dsack.left = s->seq;
                ep->dsack.right = ep->rcv_nxt;
            }
            if (s->flags & TCP_SYN) {
                s->flags &= (uint8_t)~TCP_SYN;
                d--;
            }
            if (d >= s->len) {
                s->len = 0;
            } else {
                s->len -= d;
            }
            s->seq = ep->rcv_nxt;
        }
        if (tcp_seq_gt(s->seq + s->len, ep->rcv_nxt + wnd)) {
            s->len = ep->rcv_nxt + wnd - s->seq;
            s->flags &= (uint8_t)~TCP_FIN;
        }
    }

    return false;
}

static bool step_rst(tcp_endpoint *ep, uint64_t now, const tcp_seg *s, const tcp_seg *in)
{
    /* second: RST (RFC 5961 3.2: only an exact match resets; in-window gets a challenge) */
    if (s->flags & TCP_RST) {
        if (in->seq != ep->rcv_nxt) {
            challenge_ack(ep);
            return true;
        }
        tcp_clear_timers(ep, now);
        switch (ep->state) {
        case TCP_SYN_RECEIVED:
            if (ep->passive) {
                /* back to LISTEN: forget the half-open connection */
                ep->ack_now = false;
                ep->n_ooo = 0;
                ep->snd_una = ep->snd_nxt = ep->snd_max = ep->iss;
                tcp_set_state(ep, now, TCP_LISTEN, "recv RST");
            } else {
                ep->error = TCP_ERR_REFUSED;
                tcp_set_state(ep, now, TCP_CLOSED, "recv RST: connection refused");
            }
            return true;
        case TCP_ESTABLISHED:
        case TCP_FIN_WAIT_1:
        case TCP_FIN_WAIT_2:
        case TCP_CLOSE_WAIT:
            ep->error = TCP_ERR_RESET;
            ep->ack_now = false;
            tcp_set_state(ep, now, TCP_CLOSED, "recv RST: connection reset");
            return true;
        default: /* CLOSING, LAST-ACK, TIME-WAIT */
            ep->ack_now = false;
            tcp_set_state(ep, now, TCP_CLOSED, "recv RST");
            return true;
        }
    }

    return false;
}

static bool step_syn(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    /* fourth: SYN */
    if (s->flags & TCP_SYN) {
        if (ep->state == TCP_SYN_RECEIVED && ep->passive) {
            tcp_clear_timers(ep, now);
            ep->snd_una = ep->snd_nxt = ep->snd_max = ep->iss;
            tcp_set_state(ep, now, TCP_LISTEN, "recv SYN in SYN-RECEIVED");
            return true;
        }
        challenge_ack(ep); /* RFC 5961 section 4: challenge ACK, drop */
        return true;
    }

    return false;
}

static bool step_ack(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    /* fifth: ACK */
    if (!(s->flags & TCP_ACK))
        return true;
    if (ep->state == TCP_SYN_RECEIVED) {
        if (!(tcp_seq_lt(ep->snd_una, s->ack) && tcp_seq_leq(s->ack, ep->snd_max))) {
            reply_rst(ep, s); /* <SEQ=SEG.ACK><CTL=RST> */
            return true;
        }
        /* SYN-RECEIVED -> ESTABLISHED, continue in ESTABLISHED with this ACK */
        ep->snd_wnd = seg_window(ep, s);
        ep->max_snd_wnd = ep->snd_wnd > ep->max_snd_wnd ? ep->snd_wnd : ep->max_snd_wnd;
        ep->snd_wl1 = s->seq;
        ep->snd_wl2 = s->ack;
        /* the ACK gives the handshake's RTT sample (in process_ack, below) if the SYN,ACK was
         * timed or if timestamps time it */
        bool sample = (ep->rtt_timing && tcp_seq_gt(s->ack, ep->rtt_seq)) ||
                      (ep->ts_ok && ep->seg_ts && ep->seg_tsecr != 0);
        start_after_syn_timeout(ep, now, sample);
        tcp_set_state(ep, now, ep->fin_queued ? TCP_FIN_WAIT_1 : TCP_ESTABLISHED, "recv ACK");
    }
    if (!process_ack(ep, now, s))
        return true;
    switch (ep->state) {
    case TCP_FIN_WAIT_1:
        if (our_fin_acked(ep)) /* our FIN is acknowledged: FIN-WAIT-2 */
            tcp_set_state(ep, now, TCP_FIN_WAIT_2, "recv ACK of FIN");
        break;
    case TCP_CLOSING:
        if (our_fin_acked(ep)) { /* ACK of our FIN: TIME-WAIT */
            start_time_wait(ep, now, "recv ACK of FIN");
            return true;
        }
        break;
    case TCP_LAST_ACK:
        if (our_fin_acked(ep)) { /* ACK of our FIN: delete the TCB, CLOSED */
            tcp_clear_timers(ep, now);
            ep->ack_now = false;
            tcp_set_state(ep, now, TCP_CLOSED, "recv ACK of FIN");
            return true;
        }
        break;
    default:
        break;
    }

    return false;
}

static bool step_text(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    /* sixth: URG is ignored (RFC 9293 3.8.5 leaves it to the application) */

    /* seventh: segment text */
    if (s->len > 0) {
        switch (ep->state) {
        case TCP_ESTABLISHED:
        case TCP_FIN_WAIT_1:
        case TCP_FIN_WAIT_2:
            if (ep->user_closed) {
                /* RFC 1122 4.2.2.13: data arriving after close() is lost: reset */
                tcp_seg rst = {0};
                rst.seq = ep->snd_max;
                rst.flags = TCP_RST;
                tcp_queue_ctl(ep, &rst);
                tcp_clear_timers(ep, now);
                ep->error = TCP_ERR_ABORTED;
                ep->ack_now = false;
                tcp_set_state(ep, now, TCP_CLOSED, "data after close(): reset");
                return true;
            }
            receive_text(ep, now, s);
            break;
        default: /* CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: the peer sent a FIN; ignore */
            break;
        }
    }

    return false;
}

static void step_fin(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    /* eighth: FIN */
    if (s->flags & TCP_FIN) {
        ep->fin_seen = true;
        ep->fin_seq = s->seq + s->len;
        if (ep->fin_seq != ep->rcv_nxt && !ep->fin_rcvd) {
            /* a FIN beyond a gap is out of order too: duplicate ACK at once (RFC 5681 4.2);
             * with SACK its sequence number is reported like text (Linux queues it out of
             * order) */
            if (ep->sack_ok)
                (void)ooo_add(ep, ep->fin_seq, ep->fin_seq + 1);
            ep->ack_now = true;
            ep->ack_tags |= TCP_TAG_DUP_ACK;
        }
    }
    if (ep->fin_seen && !ep->fin_rcvd && ep->fin_seq == ep->rcv_nxt)
        receive_fin(ep, now);
}

static void input_other(tcp_endpoint *ep, uint64_t now, const tcp_seg *in)
{
    tcp_seg s = *in;
    uint32_t wnd = tcp_seq_gt(ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt : 0;
    if (step_early(ep, now, &s) || step_sequence(ep, now, &s, wnd) || step_rst(ep, now, &s, in) ||
        step_syn(ep, now, &s) || step_ack(ep, now, &s) || step_text(ep, now, &s))
        return;
    step_fin(ep, now, &s);
}

/* ---- entry point ------------------------------------------------------------------------- */

void tcp_input(tcp_endpoint *ep, uint64_t now, const tcp_seg *seg)
{
    tcp_ts_note(ep, seg);
    ep->rtt_taken = false;
    switch (ep->state) {
    case TCP_CLOSED: /* 3.10.7.1 */
        input_closed(ep, seg);
        break;
    case TCP_LISTEN: /* 3.10.7.2 */
        input_listen(ep, now, seg);
        break;
    case TCP_SYN_SENT: /* 3.10.7.3 */
        input_syn_sent(ep, now, seg);
        break;
    default: /* 3.10.7.4: SYN-RECEIVED and the synchronized states */
        input_other(ep, now, seg);
        break;
    }
}
