/*
 * tcp_output.c - what an endpoint sends: SYN and SYN,ACK, data segments under the send window,
 * the congestion window, Nagle (RFC 896) and sender-side SWS avoidance (RFC 1122 4.2.3.4), the
 * FIN after the last byte, retransmissions (go-back after an RTO, one segment for fast
 * retransmit), zero-window probes (RFC 9293 3.8.6.1), pure ACKs and queued resets.
 *
 * Every segment that carries an ACK gets the current receive window (tcp_rcv_window) and clears
 * the pending-ACK state, so data segments piggyback acknowledgments.
 */
#include "tcp.h"

#include <stdio.h>

#include "tcp_seq.h"

/* RFC 2018 4: the SACK blocks of an ACK, the block with the latest segment first; a D-SACK
 * block (RFC 2883) before them; three blocks fit beside timestamps, four without. */
static void put_sack(tcp_endpoint *ep, tcp_seg *s)
{
    if (!ep->sack_ok || (ep->n_ooo == 0 && !ep->dsack_pending))
        return;
    tcp_sack_block r[TCP_OOO_MAX];
    for (uint32_t i = 0; i < ep->n_ooo; i++) {
        r[i].left = ep->ooo[i].start;
        r[i].right = ep->ooo[i].end;
    }
    s->nsack = tcp_sack_build(r, ep->ooo_age, ep->n_ooo, ep->dsack_pending ? &ep->dsack : NULL,
                              ep->ts_ok ? 3u : 4u, s->sack);
    ep->dsack_pending = false;
}

void tcp_put_ack(tcp_endpoint *ep, uint64_t now, tcp_seg *s)
{
    s->flags |= TCP_ACK;
    s->ack = ep->rcv_nxt;
    uint32_t win = tcp_rcv_window(ep, true);
    if (ep->sws_held > 0 && !ep->sws_noted && !ep->observer) {
        /* the first time receiver SWS avoidance holds the window back, say why (once) */
        char msg[TRACE_TEXT_MAX];
        snprintf(msg, sizeof msg, "receiver SWS avoidance: win %u, +%u B free < %u", win,
                 ep->sws_held, ep->sws_step);
        tcp_emit_note(ep, now, msg);
        ep->sws_noted = true;
    }
    s->win_raw = (uint16_t)(win >> ep->rcv_shift);
    s->win = (uint32_t)s->win_raw << ep->rcv_shift;
    if (win == 0)
        s->tags |= TCP_TAG_ZERO_WINDOW;
    uint32_t tags = ep->ack_tags;
    if (s->ack != ep->last_ack_sent || s->len > 0 || (s->flags & (TCP_SYN | TCP_FIN)))
        tags &= ~(uint32_t)TCP_TAG_DUP_ACK; /* only a repeat of the last ACK is a duplicate */
    s->tags |= tags;
    tcp_ack_sent(ep, now);
    ep->ack_tags = 0;
    ep->ack_now = false;
    ep->unacked_segs = 0;
    tcp_delack_stop(ep, now);
    ep->last_ack_sent = s->ack;
    ep->last_win_sent = win;
    put_sack(ep, s);
    tcp_ts_put(ep, now, s);
}

/* Karn's rule (RFC 6298 section 3): a retransmitted segment gives no RTT sample. */
static void karn(tcp_endpoint *ep, uint32_t seq, uint32_t seqlen)
{
    if (ep->rtt_timing && tcp_seq_in(ep->rtt_seq, seq, seq + (seqlen ? seqlen : 1)))
        ep->rtt_timing = false;
}

void tcp_sent(tcp_endpoint *ep, uint64_t now, const tcp_seg *s, bool rexmit)
{
    uint32_t seqlen = tcp_seg_seqlen(s);
    ep->segs_out++;
    if (s->len > 0)
        tcp_ack_data_sent(ep, now);
    if (rexmit) {
        ep->retrans_segs++;
        karn(ep, s->seq, seqlen);
    } else if (seqlen > 0 && !ep->rtt_timing) {
        ep->rtt_timing = true; /* RFC 6298 section 3: time one segment per round trip */
        ep->rtt_seq = s->seq;
        ep->rtt_start = now;
    }
    if (tcp_seq_gt(s->seq + seqlen, ep->snd_max))
        ep->snd_max = s->seq + seqlen;
    /* RFC 6298 5.1: start the timer if it is not running (a persist timer gives way) */
    if (seqlen > 0 && ep->timer != TCP_TIMER_RTO && ep->timer != TCP_TIMER_TLP &&
        ep->timer != TCP_TIMER_REORDER) {
        if (ep->timer == TCP_TIMER_PERSIST)
            tcp_timer_stop(ep, now);
        tcp_timer_set(ep, now, TCP_TIMER_RTO, ep->rto.rto);
    }
}

/* SYN (active open) or SYN,ACK (passive open or simultaneous open). */
static bool send_syn(tcp_endpoint *ep, uint64_t now, tcp_seg *s, bool synack)
{
    *s = (tcp_seg){0};
    s->seq = ep->iss;
    s->flags = TCP_SYN;
    s->has_mss = true;
    s->mss = (uint16_t)(ep->cfg.mss > 65535 ? 65535 : ep->cfg.mss);
    if (!synack && ep->rcv_shift > 0) {
        s->has_wscale = true; /* RFC 7323 2.2: offer scaling when our buffer needs it */
        s->wscale = ep->rcv_shift;
        ep->wscale_offered = true;
    } else if (synack && ep->wscale_ok) {
        s->has_wscale = true; /* answer an offer, even with shift 0 (RFC 7323 2.2) */
        s->wscale = ep->rcv_shift;
    }
    if (!synack && ep->cfg.wscale != TCP_WSCALE_AUTO && !s->has_wscale) {
        s->has_wscale = true; /* an explicit scale is always offered (Linux offers even 0) */
        s->wscale = ep->rcv_shift;
        ep->wscale_offered = true;
    }
    /* RFC 2018 2: SACK-permitted only on SYNs; on a SYN,ACK only if the SYN offered it */
    if (ep->cfg.sack && (!synack || ep->sack_ok)) {
        s->sack_perm = true;
        ep->sack_offered = true;
    }
    /* RFC 7323 3.2: the SYN offers timestamps, the SYN,ACK answers an offer */
    if (ep->cfg.timestamps && (!synack || ep->ts_ok)) {
        s->has_ts = true;
        s->tsval = tcp_ts_clock(now);
        s->tsecr = synack ? ep->ts_recent : 0;
        ep->ts_offered = true;
    }
    /* the window of a SYN is never scaled (RFC 7323 2.2) */
    uint32_t win = tcp_rwnd_syn(ep, synack);
    s->win_raw = (uint16_t)win;
    s->win = win;
    if (ep->rcv_ssthresh == 0)
        ep->rcv_ssthresh = win; /* Linux: the window's growth starts from the first offer */
    if (synack) {
        s->flags |= TCP_ACK;
        s->ack = ep->rcv_nxt;
        ep->rcv_adv = ep->rcv_nxt + win;
        ep->rcv_wup = ep->rcv_nxt;
        ep->ack_now = false;
        ep->last_ack_sent = s->ack;
    }
    bool rexmit = tcp_seq_gt(ep->snd_max, ep->iss) && !ep->synack_fresh;
    ep->synack_fresh = false;
    if (!rexmit)
        ep->syn_first = now;
    if (rexmit)
        s->tags |= TCP_TAG_RETRANSMISSION;
    ep->snd_nxt = ep->iss + 1;
    tcp_sent(ep, now, s, rexmit);
    return true;
}

uint64_t tcp_persist_interval(const tcp_endpoint *ep)
{
    /* RFC 1122 4.2.2.17: first probe after one RTO, then exponentially longer */
    uint64_t v = ep->rto.rto;
    for (uint32_t i = 0; i < ep->persist_backoff && v < ep->cfg.rto_max; i++)
        v *= 2;
    return v > ep->cfg.rto_max ? ep->cfg.rto_max : v;
}

static bool send_data(tcp_endpoint *ep, uint64_t now, tcp_seg *s)
{
    uint32_t data_end = tcp_data_end(ep);
    bool fin_sent = ep->fin_queued && tcp_seq_gt(ep->snd_max, data_end);
    bool sws_override = false;

    if (ep->rexmit_one) {
        /* RFC 5681 3.2 step 2 / RFC 6582 step 3: resend the first unacknowledged segment */
        ep->rexmit_one = false;
        uint32_t seq = ep->snd_una;
        uint32_t avail = tcp_seq_gt(data_end, seq) ? data_end - seq : 0;
        uint32_t len = avail < ep->smss ? avail : ep->smss;
        bool fin = fin_sent && seq + len == data_end;
        if (len > 0 || fin) {
            *s = (tcp_seg){0};
            s->seq = seq;
            s->len = len;
            if (fin)
                s->flags |= TCP_FIN;
            if (len > 0 && len == avail)
                s->flags |= TCP_PSH;
            s->tags |= TCP_TAG_FAST_RETRANSMISSION;
            tcp_put_ack(ep, now, s);
            tcp_sent(ep, now, s, true);
            return true;
        }
    }

    if (ep->probe_pending) {
        ep->probe_pending = false;
        if (tcp_seq_gt(data_end, ep->snd_nxt) && ep->snd_wnd == 0) {
            /* RFC 9293 3.8.6.1: probe a zero window with one octet of new data; if the
             * receiver drops it, the octet counts as unsent again (see tcp_input.c) */
            *s = (tcp_seg){0};
            s->seq = ep->snd_nxt;
            s->len = 1;
            s->tags |= TCP_TAG_ZERO_WINDOW_PROBE;
            tcp_put_ack(ep, now, s);
            bool rexmit = tcp_seq_lt(s->seq, ep->snd_max);
            ep->segs_out++;
            if (rexmit)
                ep->retrans_segs++;
            karn(ep, s->seq, 1);
            if (tcp_seq_gt(s->seq + 1, ep->snd_max))
                ep->snd_max = s->seq + 1;
            ep->probe_out = true;
            ep->probe_seq = s->seq;
            tcp_timer_set(ep, now, TCP_TIMER_PERSIST, tcp_persist_interval(ep));
            return true;
        }
        /* a small but open window: RFC 1122 4.2.3.4 (4), the override timeout sends what
         * the window allows */
        sws_override = true;
    }
    uint32_t in_flight = ep->snd_nxt - ep->snd_una;
    uint32_t wnd = ep->snd_wnd < ep->cc.cwnd ? ep->snd_wnd : ep->cc.cwnd;
    uint32_t usable = wnd > in_flight ? wnd - in_flight : 0;
    uint32_t avail = tcp_seq_gt(data_end, ep->snd_nxt) ? data_end - ep->snd_nxt : 0;
    uint32_t len = avail;
    if (len > usable)
        len = usable;
    if (len > ep->smss)
        len = ep->smss;
    bool rexmit = tcp_seq_lt(ep->snd_nxt, ep->snd_max);
    bool fin =
        ep->fin_queued && tcp_seq_leq(ep->snd_nxt, data_end) && ep->snd_nxt + len == data_end;

    bool go = false;
    if (len > 0) {
        if (len == ep->smss)
            go = true; /* a full segment */
        else if (len == avail && (!ep->cfg.nagle || in_flight == 0 || fin))
            go = true; /* RFC 896: small segments only when nothing is unacknowledged */
        else if (ep->max_snd_wnd > 0 && len >= ep->max_snd_wnd / 2)
            go = true; /* RFC 1122 4.2.3.4 (2): half the largest window the peer offered */
        else if (rexmit)
            go = true; /* go-back retransmission after a timeout */
        else if (sws_override)
            go = true; /* RFC 1122 4.2.3.4 (4): the override timeout expired */
    } else if (fin && avail == 0) {
        go = true; /* the FIN alone */
    }
    if (!go) {
        if (avail > 0 && in_flight == 0 && ep->timer == TCP_TIMER_NONE && usable < avail &&
            usable < ep->smss) {
            /* RFC 9293 3.8.6.1: the window is (nearly) closed and nothing is in flight to
             * bring an update: start the persist timer */
            tcp_timer_set(ep, now, TCP_TIMER_PERSIST, tcp_persist_interval(ep));
        }
        return false;
    }
    *s = (tcp_seg){0};
    s->seq = ep->snd_nxt;
    s->len = len;
    if (len > 0 && len == avail)
        s->flags |= TCP_PSH;
    if (fin && len == avail)
        s->flags |= TCP_FIN;
    if (rexmit)
        s->tags |= TCP_TAG_RETRANSMISSION;
    tcp_put_ack(ep, now, s);
    ep->snd_nxt += tcp_seg_seqlen(s);
    tcp_sent(ep, now, s, rexmit);
    return true;
}

bool tcp_output(tcp_endpoint *ep, uint64_t now, tcp_seg *out)
{
    if (ep->observer)
        return false;
    if (ep->n_ctl > 0) {
        *out = ep->ctl[0];
        for (uint32_t i = 1; i < ep->n_ctl; i++)
            ep->ctl[i - 1] = ep->ctl[i];
        ep->n_ctl--;
        ep->segs_out++;
        if (out->flags & TCP_RST)
            ep->rsts_out++;
        return true;
    }
    switch (ep->state) {
    case TCP_CLOSED:
    case TCP_LISTEN:
        return false;
    case TCP_SYN_SENT:
        if (ep->snd_nxt == ep->iss)
            return send_syn(ep, now, out, false);
        return false;
    case TCP_SYN_RECEIVED:
        if (ep->snd_nxt == ep->iss)
            return send_syn(ep, now, out, true);
        break;
    case TCP_TIME_WAIT:
    case TCP_FIN_WAIT_2:
        break; /* nothing left to send but ACKs */
    case TCP_FIN_WAIT_1:
        if (ep->snd_una == ep->iss && ep->snd_nxt == ep->iss)
            return send_syn(ep, now, out, true); /* closed while the SYN,ACK was pending */
        /* fall through */
    default:
        if (ep->engine ? tcp_xmit(ep, now, out) : send_data(ep, now, out))
            return true;
        break;
    }
    if (!ep->ack_now)
        return false;
    *out = (tcp_seg){0};
    /* A pure ACK carries the next new sequence number, SND.MAX, not SND.NXT: after a timeout
     * SND.NXT is wound back (go-back-N), and an ACK numbered below what the peer already received
     * would be unacceptable to it (RFC 9293 3.10.7.4) and answered with an ACK that is just as
     * unacceptable here: an endless ACK exchange.  (4.4BSD tcp_output does the same.)  While a
     * zero-window probe octet is outstanding, SND.NXT is the number the peer expects. */
    out->seq = ep->probe_out ? ep->snd_nxt : ep->snd_max;
    tcp_put_ack(ep, now, out);
    ep->segs_out++;
    return true;
}
