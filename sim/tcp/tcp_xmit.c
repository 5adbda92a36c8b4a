/*
 * tcp_xmit.c - the scoreboard sender's output: what leaves, and in which units, once the
 * connection uses any of SACK, Linux's PSH placement, the window in packets, Linux's RTT
 * sampling or Minshall's Nagle (ep->engine, see tcp_attach_sb).  The classic RFC sender is
 * send_data in tcp_output.c; both share tcp_put_ack and tcp_sent.
 *
 * Order, as Linux's ACK processing and tcp_write_xmit have it: the rest of a unit being sent;
 * then retransmissions of what the scoreboard marks lost (in sequence order, as far as the
 * window allows; RFC 6675 NextSeg rule 1, Linux's tcp_xmit_retransmit_queue); then a tail loss
 * probe if its timer fired; then new data; then zero-window probes.
 *
 * Units.  With TCP_PSH_LINUX new data is cut as Linux cuts it: the write queue holds socket
 * buffers of up to 64 KB (tcp_xmit_size_goal), and each
 * transmission takes up to `tso` segments of one buffer (tcp_tso_autosize: one millisecond at
 * the pacing rate, at least two), as far as the congestion window (in segments) and the
 * receive window allow.  A unit of several segments carries PSH on its last (Linux forces it on
 * every multi-segment GSO packet, __tcp_transmit_skb); a single segment carries PSH only where
 * the write path marked one: the end of an application write, or a buffer completed more than
 * half a window after the last mark (forced_push).  Retransmissions keep the mark on the
 * segment that ends the buffer (tcp_fragment moves it to the second part) and collapse small
 * units into one segment (tcp_retrans_try_collapse).  With TCP_PSH_WRITE every unit is one
 * segment and PSH marks the segment that empties the send queue, as in the classic sender.
 *
 * Nagle.  A unit that would end in a partial segment waits while data is in flight (RFC 896),
 * or, with cfg.nagle_minshall, only while a partial segment is in flight (Linux tcp_nagle_check
 * with tcp_minshall_check; snd_sml is the end of the last partial one sent).  A unit holding the
 * FIN never waits for Nagle.  Linux sends no segment smaller than the MSS because the receive
 * window is small (tcp_snd_wnd_test): that data goes with the zero-window probe.
 *
 * Zero-window probes.  TCP_ZWP_RFC: one octet of new data (RFC 9293 3.8.6.1), as the classic
 * sender.  TCP_ZWP_LINUX: tcp_write_wakeup sends what a partly open window allows, or else an
 * ACK with SEQ = SND.UNA - 1 and no data, which the receiver must answer; the probe timer starts
 * at max(RTO, 200 ms) and doubles per probe (tcp_probe0_when), and an answer that still shows a
 * closed window restarts it from the answer (tcp_ack_probe).
 */
#include "tcp.h"

#include "tcp_seq.h"

static bool pkts(const tcp_endpoint *ep)
{
    return ep->cfg.cwnd_packets;
}

static bool linux_psh(const tcp_endpoint *ep)
{
    return ep->cfg.psh == TCP_PSH_LINUX;
}

/* Segments per transmission (tcp_tso_autosize): one millisecond's worth at the pacing rate
 * Linux computes, twice cwnd / SRTT in slow start and 1.2 times it after (tcp_update_pacing_rate),
 * at least two, at most 64. */
static uint32_t tso_segs(const tcp_endpoint *ep)
{
    if (!linux_psh(ep))
        return 1;
    if (!ep->rto.has_sample || ep->rto.srtt == 0)
        return 2;
    uint64_t cwnd = ep->cc.cwnd;
    uint64_t ratio = ep->cc.cwnd < ep->cc.ssthresh / 2 ? 200 : 120;
    uint64_t rate = cwnd * 1000000u / ep->rto.srtt * ratio / 100; /* bytes per second */
    uint64_t segs = (rate >> 10) / ep->smss;                      /* sk_pacing_shift 10 */
    if (segs < 2)
        segs = 2;
    return segs > 64 ? 64 : (uint32_t)segs;
}

/* Congestion window room, in the window's unit. */
static int64_t quota(const tcp_endpoint *ep)
{
    return (int64_t)tcp_eng_cwnd(ep) - (int64_t)tcp_eng_in_flight(ep);
}

/* Room in segments. */
static uint32_t quota_segs(const tcp_endpoint *ep)
{
    int64_t q = quota(ep);
    if (q <= 0)
        return 0;
    return pkts(ep) ? (uint32_t)q : (uint32_t)(q / ep->smss);
}

/* ---- the write queue (TCP_PSH_LINUX) -------------------------------------------------- */

/* tcp_xmit_size_goal: whole segments under the 64 KB of a GSO packet.  (Measured on 6.18: a
 * 2896-byte window does not make the buffers smaller; the transmissions are cut to the window
 * later, by tcp_mss_split_point.) */
static uint32_t size_goal(const tcp_endpoint *ep)
{
    uint32_t goal = 65536u - 1u - 320u; /* gso_max_size - 1 - MAX_TCP_HEADER */
    uint32_t segs = goal / ep->smss;
    return (segs ? segs : 1) * ep->smss;
}

void tcp_wq_write(tcp_endpoint *ep, uint32_t start, uint32_t n)
{
    if (!linux_psh(ep) || n == 0)
        return;
    uint32_t goal = size_goal(ep);
    uint32_t w = start; /* write_seq */
    bool first = true;
    while (n > 0) {
        if (ep->wq_n > 0 && ep->wq_end[ep->wq_n - 1] == w) {
            uint32_t from = ep->wq_n > 1 ? ep->wq_end[ep->wq_n - 2] : ep->snd_nxt;
            if (tcp_seq_lt(from, ep->snd_nxt))
                from = ep->snd_nxt;
            uint32_t len = ep->wq_end[ep->wq_n - 1] - from;
            if (len < goal) {
                uint32_t take = goal - len < n ? goal - len : n;
                ep->wq_end[ep->wq_n - 1] += take;
                if (first)
                    ep->wq_mark[ep->wq_n - 1] = 0; /* more data follows what was marked */
                first = false;
                w += take;
                n -= take;
                if (len + take == goal && n > 0 &&
                    tcp_seq_gt(w, ep->pushed_seq + ep->max_snd_wnd / 2)) {
                    ep->wq_mark[ep->wq_n - 1] = 1; /* forced_push */
                    ep->pushed_seq = w;
                }
                continue;
            }
        }
        uint32_t take = goal < n ? goal : n;
        if (ep->wq_n < TCP_WQ_MAX) {
            ep->wq_end[ep->wq_n] = w + take;
            ep->wq_mark[ep->wq_n] = 0;
            ep->wq_n++;
        } else {
            ep->wq_end[ep->wq_n - 1] = w + take; /* out of slots: one longer buffer */
        }
        first = false;
        w += take;
        n -= take;
        if (take == goal && n > 0 && tcp_seq_gt(w, ep->pushed_seq + ep->max_snd_wnd / 2)) {
            ep->wq_mark[ep->wq_n - 1] = 1;
            ep->pushed_seq = w;
        }
    }
    /* tcp_push at the end of the write: the last buffer is marked */
    ep->wq_mark[ep->wq_n - 1] = 1;
    ep->pushed_seq = w;
}

/* The buffer holding snd_nxt: its end and mark. */
static void head_buffer(tcp_endpoint *ep, uint32_t data_end, uint32_t *end, bool *mark)
{
    while (ep->wq_n > 0 && !tcp_seq_gt(ep->wq_end[0], ep->snd_nxt)) {
        for (uint32_t k = 1; k < ep->wq_n; k++) {
            ep->wq_end[k - 1] = ep->wq_end[k];
            ep->wq_mark[k - 1] = ep->wq_mark[k];
        }
        ep->wq_n--;
    }
    if (ep->wq_n > 0 && tcp_seq_leq(ep->wq_end[0], data_end)) {
        *end = ep->wq_end[0];
        *mark = ep->wq_mark[0] != 0;
    } else {
        *end = data_end;
        *mark = true;
    }
}

/* ---- emitting a unit ---------------------------------------------------------------------- */

static bool emit_cur(tcp_endpoint *ep, uint64_t now, tcp_seg *s)
{
    uint32_t left = ep->cur.end - ep->cur.seq;
    uint32_t len = left < ep->smss ? left : ep->smss;
    bool last = len == left;
    *s = (tcp_seg){0};
    s->seq = ep->cur.seq;
    s->len = len;
    if (last && ep->cur.psh_last && len > 0)
        s->flags |= TCP_PSH;
    if (last && ep->cur.fin)
        s->flags |= TCP_FIN;
    s->tags = ep->cur.tags;
    tcp_put_ack(ep, now, s);
    tcp_sent(ep, now, s, ep->cur.rexmit);
    ep->cur.seq += len;
    if (last)
        ep->cur.active = false;
    return true;
}

static void start_unit(tcp_endpoint *ep, uint32_t seq, uint32_t data_end, bool psh_last, bool fin,
                       bool rexmit, uint32_t tags)
{
    ep->cur.active = true;
    ep->cur.seq = seq;
    ep->cur.end = data_end;
    ep->cur.psh_last = psh_last;
    ep->cur.fin = fin;
    ep->cur.rexmit = rexmit;
    ep->cur.tags = tags;
}

static uint32_t unit_data(const tcp_sb_unit *u)
{
    uint32_t len = u->end - u->start;
    return (u->flags & TCP_SB_FIN) && len > 0 ? len - 1 : len;
}

/* ---- retransmissions ---------------------------------------------------------------------- */

static bool xmit_rexmit(tcp_endpoint *ep, uint64_t now)
{
    int i = tcp_sb_first_lost(ep->sb);
    if (i < 0) {
        ep->force_rexmit = false;
        return false;
    }
    uint32_t allow = quota_segs(ep);
    if (allow == 0) {
        if (!ep->force_rexmit)
            return false;
        allow = 1;
    }
    if (ep->ca_state == TCP_CA_LOSS && ep->force_rexmit)
        allow = 1; /* the timeout resends the first segment alone (tcp_retransmit_timer) */
    uint32_t t = tso_segs(ep);
    if (allow > t)
        allow = t;
    tcp_sb_unit *u = tcp_sb_at(ep->sb, (uint32_t)i);
    if (u->segs > allow)
        (void)tcp_sb_split(ep->sb, (uint32_t)i, u->start + allow * ep->smss);
    u = tcp_sb_at(ep->sb, (uint32_t)i);
    if (linux_psh(ep)) {
        /* tcp_retrans_try_collapse: following single segments join while one MSS holds them */
        while (unit_data(u) < ep->smss) {
            const tcp_sb_unit *nx = tcp_sb_at_c(ep->sb, (uint32_t)i + 1);
            if (nx == NULL || nx->segs > 1 || (nx->flags & TCP_SB_SACKED) ||
                unit_data(u) + unit_data(nx) > ep->smss ||
                tcp_seq_gt(nx->end, ep->snd_una + ep->snd_wnd + 1))
                break;
            (void)tcp_sb_merge(ep->sb, (uint32_t)i);
            u = tcp_sb_at(ep->sb, (uint32_t)i);
        }
    }
    uint32_t data_end = tcp_data_end(ep);
    uint32_t dlen = unit_data(u);
    bool fin = (u->flags & TCP_SB_FIN) != 0;
    bool psh = linux_psh(ep) ? (u->segs > 1 || (u->flags & TCP_SB_PSH))
                             : (dlen > 0 && u->start + dlen == data_end);
    uint32_t tags =
        ep->ca_state == TCP_CA_RECOVERY ? TCP_TAG_FAST_RETRANSMISSION : TCP_TAG_RETRANSMISSION;
    tcp_sb_retransmitted(ep->sb, (uint32_t)i, now);
    tcp_eng_sent(ep, u->segs, u->end - u->start);
    ep->force_rexmit = false;
    start_unit(ep, u->start, u->start + dlen, psh, fin, true, tags);
    return true;
}

/* ---- new data ----------------------------------------------------------------------------- */

/* Minshall: a partial segment sent is not yet acknowledged. */
static bool small_unacked(const tcp_endpoint *ep)
{
    return tcp_seq_gt(ep->snd_sml, ep->snd_una) && tcp_seq_leq(ep->snd_sml, ep->snd_nxt);
}

/* Nagle for a unit that would end in a partial segment: true if it must wait. */
static bool nagle_holds(const tcp_endpoint *ep)
{
    if (!ep->cfg.nagle)
        return false;
    if (ep->cfg.nagle_minshall)
        return ep->sb->n > 0 && small_unacked(ep);
    return ep->sb->n > 0;
}

/* A unit of new data [snd_nxt, +len) (and the FIN) is decided: record and start it. */
static void new_unit(tcp_endpoint *ep, uint64_t now, uint32_t len, bool fin, bool mark_end,
                     bool psh_last)
{
    uint32_t seq = ep->snd_nxt;
    uint32_t segs = len == 0 ? 1 : (len + ep->smss - 1) / ep->smss;
    uint16_t flags = (uint16_t)((fin ? TCP_SB_FIN : 0) | (mark_end ? TCP_SB_PSH : 0));
    bool was_empty = ep->sb->n == 0;
    (void)tcp_sb_push(ep->sb, seq, seq + len + (fin ? 1u : 0u), (uint16_t)segs, flags, now);
    if (len > 0 && len < segs * ep->smss)
        ep->snd_sml = seq + len; /* tcp_minshall_update */
    ep->snd_nxt = seq + len + (fin ? 1u : 0u);
    if (tcp_seq_gt(ep->snd_nxt, ep->snd_max))
        ep->snd_max = ep->snd_nxt;
    tcp_eng_sent(ep, segs, len);
    start_unit(ep, seq, seq + len, psh_last, fin, false, 0);
    /* RFC 6298 5.1 / tcp_event_new_data_sent; the loss probe takes the timer's place once the
     * burst is out (RFC 8985 7.2; tcp_write_xmit schedules it after sending) */
    if (was_empty || ep->timer == TCP_TIMER_TLP || ep->timer == TCP_TIMER_NONE ||
        ep->timer == TCP_TIMER_PERSIST)
        tcp_rearm_rto(ep, now, false);
    ep->tlp_resched = true;
}

static void maybe_persist(tcp_endpoint *ep, uint64_t now)
{
    if (ep->sb->n == 0 && ep->timer == TCP_TIMER_NONE)
        tcp_timer_set(ep, now, TCP_TIMER_PERSIST, tcp_probe_interval(ep));
}

static bool xmit_new(tcp_endpoint *ep, uint64_t now, bool probe)
{
    if (tcp_sb_full(ep->sb))
        return false;
    uint32_t data_end = tcp_data_end(ep);
    bool fin_sent = ep->fin_queued && tcp_seq_gt(ep->snd_max, data_end);
    uint32_t avail = tcp_seq_gt(data_end, ep->snd_nxt) ? data_end - ep->snd_nxt : 0;
    bool fin_pending = ep->fin_queued && !fin_sent;
    if (avail == 0 && !fin_pending)
        return false;
    uint32_t wnd_end = ep->snd_una + ep->snd_wnd;
    uint32_t win = tcp_seq_gt(wnd_end, ep->snd_nxt) ? wnd_end - ep->snd_nxt : 0;
    uint32_t room = quota_segs(ep);
    if (probe)
        room = 1; /* a loss probe goes whatever the window (tcp_write_xmit with push_one 2) */

    if (avail == 0) {
        /* the FIN alone: in packets it needs a place in the window, like data (Linux) */
        if (pkts(ep) && room == 0) {
            ep->cwnd_limited = true;
            return false;
        }
        if (ep->cfg.rwnd == TCP_RWND_LINUX && win == 0 && ep->snd_wnd == 0) {
            maybe_persist(ep, now);
            return false;
        }
        new_unit(ep, now, 0, true, false, false);
        return true;
    }

    if (!linux_psh(ep)) {
        /* one segment per unit, with the classic sender's rules (tcp_output.c send_data) */
        int64_t q = quota(ep);
        uint32_t usable = q > 0 ? (uint32_t)q : 0;
        if (pkts(ep))
            usable = usable ? ep->smss : 0;
        if (probe && usable == 0)
            usable = ep->smss;
        if (usable > win)
            usable = win;
        uint32_t len = avail < ep->smss ? avail : ep->smss;
        if (len > usable)
            len = usable;
        bool fin = ep->fin_queued && len == avail;
        bool go = false;
        if (len == ep->smss)
            go = true;
        else if (len > 0 && len == avail && (fin || !nagle_holds(ep)))
            go = true;
        else if (len > 0 && ep->max_snd_wnd > 0 && len >= ep->max_snd_wnd / 2)
            go = true; /* RFC 1122 4.2.3.4 (2) */
        else if (len > 0 && probe)
            go = true;
        if (!go) {
            if (usable < avail && win < ep->smss)
                maybe_persist(ep, now);
            if (q <= 0)
                ep->cwnd_limited = true;
            return false;
        }
        new_unit(ep, now, len, fin, len == avail, len == avail);
        return true;
    }

    /* Linux: a unit of the head buffer (tcp_write_xmit, tcp_mss_split_point) */
    uint32_t skb_end;
    bool mark;
    head_buffer(ep, data_end, &skb_end, &mark);
    uint32_t skb_len = skb_end - ep->snd_nxt;
    bool tail = skb_end == data_end;
    bool fin_here = fin_pending && tail;
    if (room == 0) {
        ep->cwnd_limited = true;
        return false;
    }
    /* tcp_snd_wnd_test: the first segment must fit the receive window */
    uint32_t first = skb_len < ep->smss ? skb_len : ep->smss;
    if (first + (fin_here && first == skb_len ? 1u : 0u) > win) {
        maybe_persist(ep, now);
        return false;
    }
    uint32_t len;
    if (skb_len <= ep->smss) {
        /* tcp_nagle_test: a lone partial segment waits, unless it carries the FIN */
        if (skb_len < ep->smss && !fin_here && nagle_holds(ep))
            return false;
        len = skb_len;
    } else {
        /* tcp_mss_split_point */
        uint32_t max_len = ep->smss * (room < tso_segs(ep) ? room : tso_segs(ep));
        uint32_t needed = skb_len < win ? skb_len : win;
        if (max_len <= win && !tail) {
            len = max_len < skb_len ? max_len : skb_len;
        } else if (max_len <= needed) {
            len = max_len;
        } else {
            uint32_t partial = needed % ep->smss;
            len = needed;
            if (partial && nagle_holds(ep))
                len = needed - partial;
        }
    }
    if (len == 0)
        return false;
    bool fin = fin_here && len == skb_len;
    uint32_t segs = (len + ep->smss - 1) / ep->smss;
    bool ends_buffer = len == skb_len;
    new_unit(ep, now, len, fin, ends_buffer && mark, segs > 1 || (ends_buffer && mark));
    return true;
}

/* ---- loss probes and zero-window probes --------------------------------------------------- */

static bool xmit_tlp(tcp_endpoint *ep, uint64_t now)
{
    /* tcp_send_loss_probe */
    if (ep->tlp_high_seq != 0) {
        tcp_rearm_rto(ep, now, true);
        return false;
    }
    ep->tlp_retrans = false;
    uint32_t wnd_end = ep->snd_una + ep->snd_wnd;
    uint32_t data_end = tcp_data_end(ep);
    if (tcp_seq_lt(ep->snd_nxt, data_end) && tcp_seq_lt(ep->snd_nxt, wnd_end) &&
        xmit_new(ep, now, true)) {
        ep->tlp_high_seq = ep->snd_nxt;
        tcp_rearm_rto(ep, now, false);
        return true;
    }
    if (ep->sb->n == 0) {
        tcp_rearm_rto(ep, now, true);
        return false;
    }
    uint32_t last = ep->sb->n - 1;
    tcp_sb_unit *u = tcp_sb_at(ep->sb, last);
    if (u->segs > 1) {
        (void)tcp_sb_split(ep->sb, last, u->start + (uint32_t)(u->segs - 1) * ep->smss);
        last = ep->sb->n - 1;
        u = tcp_sb_at(ep->sb, last);
    }
    uint32_t dlen = unit_data(u);
    bool psh = linux_psh(ep) ? (u->flags & TCP_SB_PSH) != 0 : u->start + dlen == data_end;
    tcp_sb_retransmitted(ep->sb, last, now);
    tcp_eng_sent(ep, u->segs, u->end - u->start);
    start_unit(ep, u->start, u->start + dlen, psh && dlen > 0, (u->flags & TCP_SB_FIN) != 0, true,
               TCP_TAG_RETRANSMISSION);
    ep->tlp_retrans = true;
    ep->tlp_high_seq = ep->snd_nxt;
    tcp_rearm_rto(ep, now, false);
    return true;
}

uint64_t tcp_probe_interval(const tcp_endpoint *ep)
{
    if (ep->cfg.zwp != TCP_ZWP_LINUX)
        return tcp_persist_interval(ep);
    /* tcp_probe0_base << backoff, at most the maximum RTO (tcp_probe0_when) */
    uint64_t v = ep->rto.rto > ep->cfg.rto_min ? ep->rto.rto : ep->cfg.rto_min;
    for (uint32_t i = 0; i < ep->persist_backoff && v < ep->cfg.rto_max; i++)
        v *= 2;
    return v > ep->cfg.rto_max ? ep->cfg.rto_max : v;
}

static bool xmit_zwp(tcp_endpoint *ep, uint64_t now, tcp_seg *s)
{
    uint32_t data_end = tcp_data_end(ep);
    bool data = tcp_seq_gt(data_end, ep->snd_nxt);
    if (ep->sb->n > 0 || (!data && !(ep->fin_queued && ep->snd_max == data_end))) {
        ep->persist_backoff = 0; /* tcp_send_probe0: nothing to probe for any more */
        return false;
    }
    uint32_t wnd_end = ep->snd_una + ep->snd_wnd;
    if (ep->cfg.zwp == TCP_ZWP_LINUX) {
        if (data && tcp_seq_lt(ep->snd_nxt, wnd_end)) {
            /* tcp_write_wakeup: what the window allows, at most a segment, with PSH */
            uint32_t len = wnd_end - ep->snd_nxt;
            uint32_t avail = data_end - ep->snd_nxt;
            if (len > avail)
                len = avail;
            if (len > ep->smss)
                len = ep->smss;
            bool fin = ep->fin_queued && len == avail;
            new_unit(ep, now, len, fin, len == avail, true);
            return emit_cur(ep, now, s);
        }
        /* tcp_xmit_probe_skb: no data, an old sequence number, so the receiver answers */
        *s = (tcp_seg){0};
        s->seq = ep->snd_una - 1;
        s->tags |= TCP_TAG_ZERO_WINDOW_PROBE;
        tcp_put_ack(ep, now, s);
        ep->segs_out++;
        if (ep->persist_backoff < 15)
            ep->persist_backoff++;
        tcp_timer_set(ep, now, TCP_TIMER_PERSIST, tcp_probe_interval(ep));
        return true;
    }
    if (!data)
        return false;
    /* RFC 9293 3.8.6.1: one octet of new data, not recorded as sent unless it is taken */
    *s = (tcp_seg){0};
    s->seq = ep->snd_nxt;
    s->len = 1;
    s->tags |= TCP_TAG_ZERO_WINDOW_PROBE;
    tcp_put_ack(ep, now, s);
    ep->segs_out++;
    if (tcp_seq_gt(s->seq + 1, ep->snd_max))
        ep->snd_max = s->seq + 1;
    ep->probe_out = true;
    ep->probe_seq = s->seq;
    tcp_timer_set(ep, now, TCP_TIMER_PERSIST, tcp_probe_interval(ep));
    return true;
}

void tcp_probe_answered(tcp_endpoint *ep, uint64_t now)
{
    /* tcp_ack_probe: the window is still closed: probe again, timed from this answer */
    if (!ep->engine || ep->cfg.zwp != TCP_ZWP_LINUX || ep->timer != TCP_TIMER_PERSIST)
        return;
    tcp_timer_set(ep, now, TCP_TIMER_PERSIST, tcp_probe_interval(ep));
}

/* ---- entry point -------------------------------------------------------------------------- */

bool tcp_xmit(tcp_endpoint *ep, uint64_t now, tcp_seg *s)
{
    if (ep->cur.active)
        return emit_cur(ep, now, s);
    if (xmit_rexmit(ep, now))
        return emit_cur(ep, now, s);
    if (ep->tlp_fire) {
        ep->tlp_fire = false;
        if (xmit_tlp(ep, now))
            return emit_cur(ep, now, s);
    }
    if (ep->probe_pending) {
        ep->probe_pending = false;
        if (xmit_zwp(ep, now, s))
            return true;
    }
    ep->cwnd_limited = false;
    if (xmit_new(ep, now, false))
        return emit_cur(ep, now, s);
    if (ep->tlp_resched) {
        ep->tlp_resched = false;
        (void)tcp_tlp_schedule(ep, now, false);
    }
    return false;
}
