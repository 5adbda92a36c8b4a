/*
 * tcp_delack.c - when the receiver acknowledges: at once, or after the delayed-ACK timeout.
 *
 * The RFC rules (cfg.quickack off): RFC 1122 4.2.3.2 and RFC 5681 4.2: an ACK at least for every
 * second full-sized segment (a full segment counts two, a smaller one one), at once for
 * out-of-order text and for text that fills a gap, otherwise after cfg.delack; a FIN is
 * acknowledged at once.
 *
 * Linux's engine (cfg.quickack on), after tcp_event_data_recv, __tcp_ack_snd_check,
 * tcp_send_delayed_ack, tcp_delack_timer_handler and tcp_cleanup_rbuf, described here in
 * tcpsim's own terms:
 *   - quick ACKs: the first data of a connection, and data after a silence longer than the RTO,
 *     give the receiver a budget of quick ACKs (tcp_incr_quickack: a window's worth of segment
 *     pairs, at most 16; a growing window adds one more, see tcp_rwnd.c); while the budget lasts
 *     and the connection is not interactive, every segment is acknowledged at once;
 *   - otherwise an ACK goes at once when more than one full segment is unacknowledged and the
 *     window it would announce is not smaller than the last one, for out-of-order text (the first
 *     three duplicate ACKs at one RCV.NXT; later ones are compressed into one after 1 ms or 5 %
 *     of the RTT), for text that fills the last gap, and for a duplicate (which also gives a
 *     D-SACK and a new budget of quick ACKs);
 *   - else after the ATO, which starts at 40 ms, follows the spacing of arriving segments,
 *     doubles (up to the RTO) each time the timer fires, and is bounded by the smoothed RTT
 *     (200 ms when interactive or when a small segment arrived);
 *   - a FIN moves the connection into interactive ("pingpong") mode, so its ACK is delayed and
 *     can ride on the application's answer or on our own FIN; data sent within the ATO of the
 *     last arrival does the same; the timer firing in that mode leaves it;
 *   - when the application reads, an ACK owed goes at once if more than one full segment is
 *     unacknowledged, if a small segment is read and the buffer is now empty, or if the window
 *     at least doubled.
 */
#include "tcp.h"

#include "tcp_seq.h"

#define ATO_MIN    40000u  /* TCP_ATO_MIN, TCP_DELACK_MIN: 40 ms */
#define DELACK_MAX 200000u /* TCP_DELACK_MAX */
#define MAX_QUICK  16u     /* TCP_MAX_QUICKACKS */
#define DUPTHRESH  3u

static bool linux_acks(const tcp_endpoint *ep)
{
    return ep->cfg.quickack && ep->cfg.delack != 0;
}

/* tcp_incr_quickack: a budget of quick ACKs, half the window in segments, 2 to `max`. */
static void incr_quick(tcp_endpoint *ep, uint32_t max)
{
    uint32_t mss = ep->rcv_mss ? ep->rcv_mss : ep->smss;
    /* the window last advertised, as it was (Linux's rcv_wnd) */
    uint32_t wnd = tcp_seq_gt(ep->rcv_adv, ep->last_ack_sent) ? ep->rcv_adv - ep->last_ack_sent : 0;
    uint32_t q = wnd / (2 * mss);
    if (q == 0)
        q = 2;
    if (q > max)
        q = max;
    if (q > ep->quick)
        ep->quick = q;
}

static void enter_quick(tcp_endpoint *ep, uint32_t max)
{
    incr_quick(ep, max);
    ep->pingpong = false;
    ep->ato = ATO_MIN;
}

static bool in_quick(const tcp_endpoint *ep)
{
    return ep->quick > 0 && !ep->pingpong;
}

/* tcp_send_delayed_ack: the timeout for an ACK owed now. */
static void schedule_delayed(tcp_endpoint *ep, uint64_t now)
{
    uint64_t ato = ep->ato ? ep->ato : ATO_MIN;
    if (ato > ATO_MIN) {
        uint64_t max_ato = 500000; /* HZ / 2 */
        if (ep->pingpong || (ep->ack_flags & TCP_ACKF_PUSHED))
            max_ato = DELACK_MAX;
        if (ep->rto.has_sample) {
            uint64_t rtt = ep->rto.srtt > ATO_MIN ? ep->rto.srtt : ATO_MIN;
            if (rtt < max_ato)
                max_ato = rtt;
        }
        if (ato > max_ato)
            ato = max_ato;
    }
    if (ep->delack_at != TCP_NEVER) {
        /* a timer already runs: keep the earlier deadline; if it is about due, ACK now */
        if (ep->delack_at <= now + ato / 4) {
            ep->ack_now = true;
            return;
        }
        return;
    }
    tcp_delack_set_for(ep, now, ato);
}

/* tcp_event_data_recv: the segment size, the ATO, and quick ACKs at the start or after idle. */
static void data_recv(tcp_endpoint *ep, uint64_t now, uint32_t len)
{
    tcp_rwnd_measure(ep, len);
    if (len >= ep->rcv_mss) {
        ep->rcv_mss = len < ep->smss ? len : ep->smss;
    } else {
        if (ep->ack_flags & TCP_ACKF_PUSHED)
            ep->ack_flags |= TCP_ACKF_PUSHED2;
        ep->ack_flags |= TCP_ACKF_PUSHED;
    }
    if (ep->ato == 0) {
        /* the first data: start the engine with quick ACKs */
        incr_quick(ep, MAX_QUICK);
        ep->ato = ATO_MIN;
    } else {
        uint64_t m = now - ep->lrcvtime;
        if (m <= ATO_MIN / 2) {
            ep->ato = ep->ato / 2 + ATO_MIN / 2; /* segments in quick succession */
        } else if (m < ep->ato) {
            ep->ato = ep->ato / 2 + m;
            if (ep->ato > ep->rto.rto)
                ep->ato = ep->rto.rto;
        } else if (m > ep->rto.rto) {
            incr_quick(ep, MAX_QUICK); /* a long silence: the sender may be restarting */
        }
    }
    ep->lrcvtime = now;
}

void tcp_ack_on_text(tcp_endpoint *ep, uint64_t now, uint32_t len, bool had_gap, bool filled,
                     bool gap_left)
{
    if (!linux_acks(ep)) {
        ep->unacked_segs += len >= ep->smss ? 2 : 1;
        if (had_gap || filled || ep->cfg.delack == 0) {
            ep->ack_now = true; /* RFC 5681 4.2: ACK at once when a gap is (partly) filled */
        } else if (ep->unacked_segs >= 4) {
            /* RFC 1122 4.2.3.2 / RFC 5681 4.2: at least every second full-sized segment (a
             * full-sized segment counts 2, a smaller one 1) */
            ep->ack_now = true;
        } else {
            tcp_delack_set(ep, now);
        }
        return;
    }
    data_recv(ep, now, len);
    tcp_rwnd_charge(ep, len, true);
    if (filled && !gap_left) {
        ep->ack_now = true; /* the last gap is filled (RFC 5681 4.2) */
        return;
    }
    uint32_t unacked = ep->rcv_nxt - ep->last_ack_sent;
    uint32_t cur = tcp_seq_gt(ep->rcv_adv, ep->last_ack_sent) ? ep->rcv_adv - ep->last_ack_sent : 0;
    if (unacked > ep->rcv_mss && tcp_rcv_window(ep, false) >= cur) {
        ep->ack_now = true; /* more than one full segment, and the window holds */
        return;
    }
    if (in_quick(ep)) {
        ep->ack_now = true;
        return;
    }
    if (gap_left) {
        tcp_ack_on_ooo(ep, now); /* holes remain: answered like out-of-order text */
        return;
    }
    schedule_delayed(ep, now);
}

void tcp_ack_on_ooo(tcp_endpoint *ep, uint64_t now)
{
    ep->ack_tags |= TCP_TAG_DUP_ACK;
    if (!linux_acks(ep) || in_quick(ep) || !ep->sack_ok) {
        ep->ack_now = true; /* RFC 5681 4.2: an immediate duplicate ACK */
        return;
    }
    /* Linux's SACK compression: the first three duplicate ACKs at one RCV.NXT go at once, the
     * following ones are folded into one sent after min(1 ms, RTT / 20) */
    if (ep->comp_ack_nxt != ep->rcv_nxt) {
        ep->comp_ack_nxt = ep->rcv_nxt;
        ep->dup_ack_counter = 0;
    }
    if (ep->dup_ack_counter < DUPTHRESH) {
        ep->dup_ack_counter++;
        ep->ack_now = true;
        return;
    }
    if (ep->delack_at != TCP_NEVER)
        return;
    uint64_t delay = 1000;
    if (ep->rto.has_sample && ep->rto.srtt / 20 < delay)
        delay = ep->rto.srtt / 20;
    ep->comp_pending = true;
    tcp_delack_set_for(ep, now, delay ? delay : 1);
}

void tcp_ack_on_duplicate(tcp_endpoint *ep, uint64_t now, uint32_t seq, uint32_t end)
{
    (void)now;
    ep->ack_now = true; /* RFC 9293 3.10.7.4: an unacceptable segment is answered with an ACK */
    if (ep->sack_ok) {
        /* RFC 2883 4: report the duplicate in the first SACK block of this ACK */
        ep->dsack_pending = true;
        ep->dsack.left = seq;
        ep->dsack.right = end;
    }
    if (linux_acks(ep))
        enter_quick(ep, MAX_QUICK); /* tcp_data_queue: a retransmission seen twice */
}

void tcp_ack_on_fin(tcp_endpoint *ep, uint64_t now, tcp_state to)
{
    if (!linux_acks(ep) || to != TCP_CLOSE_WAIT) {
        /* RFC 9293 3.10.7.4 eighth: acknowledge the FIN (Linux too, except from ESTABLISHED) */
        ep->ack_now = true;
        tcp_delack_stop(ep, now);
        return;
    }
    /* tcp_fin: the peer is done, our answer may follow soon: delay the ACK to carry it */
    ep->pingpong = true;
    if (ep->ack_now)
        return;
    schedule_delayed(ep, now);
}

void tcp_ack_on_read(tcp_endpoint *ep, uint64_t now, uint32_t n, uint32_t window_before)
{
    (void)now;
    if (!linux_acks(ep) || n == 0 || ep->ack_now)
        return;
    if (ep->delack_at != TCP_NEVER) {
        uint32_t unacked = ep->rcv_nxt - ep->last_ack_sent;
        bool emptied = ep->rcv_unread == 0;
        if (unacked > ep->rcv_mss ||
            (emptied && ((ep->ack_flags & TCP_ACKF_PUSHED2) ||
                         ((ep->ack_flags & TCP_ACKF_PUSHED) && !ep->pingpong)))) {
            ep->ack_now = true;
            return;
        }
    }
    if (ep->fin_rcvd)
        return;
    /* the window was raised "significantly": at least doubled */
    uint32_t now_win = tcp_rcv_window(ep, false);
    if (now_win && now_win >= 2 * window_before && 2 * window_before <= (65535u << ep->rcv_shift)) {
        ep->ack_now = true;
        ep->ack_tags |= TCP_TAG_WINDOW_UPDATE;
    }
}

void tcp_ack_sent(tcp_endpoint *ep, uint64_t now)
{
    if (ep->quick > 0 && (ep->delack_at != TCP_NEVER || ep->ack_now)) {
        /* tcp_dec_quickack_mode: one quick ACK used */
        ep->quick--;
        if (ep->quick == 0)
            ep->ato = ATO_MIN;
    }
    ep->ack_flags = 0;
    ep->comp_pending = false;
    (void)now;
}

void tcp_ack_data_sent(tcp_endpoint *ep, uint64_t now)
{
    /* tcp_event_data_sent: an answer within the ATO of the last arrival makes the connection
     * interactive (net.ipv4.tcp_pingpong_thresh = 1) */
    if (linux_acks(ep) && ep->ato && now - ep->lrcvtime < ep->ato)
        ep->pingpong = true;
}

void tcp_ack_timer(tcp_endpoint *ep, uint64_t now)
{
    (void)now;
    ep->ack_now = true; /* RFC 1122 4.2.3.2 */
    if (!linux_acks(ep) || ep->comp_pending)
        return;
    if (!ep->pingpong) {
        uint64_t a = (ep->ato ? ep->ato : ATO_MIN) * 2; /* the delayed ACK missed: inflate */
        ep->ato = a < ep->rto.rto ? a : ep->rto.rto;
    } else {
        ep->pingpong = false; /* the answer did not come: stop waiting for one */
        ep->ato = ATO_MIN;
    }
}
