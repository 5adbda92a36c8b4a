/*
 * tcp_observe.c - observer mode: the endpoint of tcp.h driven by a capture instead of by an
 * application and a simulated link.
 *
 * A capture shows what each endpoint sent, which is the truth about it, and what was on its way
 * to each endpoint, which is only a hint: a packet can be lost after the capture point.  So a
 * segment seen arriving goes through the ordinary input path (tcp_input, with output and timers
 * switched off), and the transitions it causes are recorded as hints; a segment the endpoint is
 * seen sending is applied here, moves the state where sending it implies (a SYN is an active open,
 * a FIN a close, a RST an abort), resynchronises the sequence variables with what the segment
 * says (its ACK number tells what really arrived), and corrects hints it contradicts: a FIN sent
 * again means the ACK of the first never arrived, an ACK number below a FIN that was seen going
 * in means the FIN never arrived, a SYN,ACK sent again means the handshake's last ACK was lost.
 * A correction removes the wrong hinted states from the inferred path and is reported as a state
 * event with `correction` set.  No TCP rule is written twice: states move through tcp_set_state
 * and tcp_input, as in the simulator.
 */
#include <stdlib.h>
#include <string.h>

#include "tcp.h"
#include "tcp_tcbrec.h"
#include "tcp_seq.h"

#define BIG_WINDOW 0x40000000u

static void fl_proven(tcp_obs_flight *f, const tcp_seg *s);
static bool is_retx_tag(uint32_t tags);

/* ---- the sender's scoreboard (RFC 6675 over tcp_sack.c) -------------------------------------
 *
 * Where the capture carries SACK blocks, each observer endpoint keeps its own segments on the
 * scoreboard the simulator's sender uses: units pushed as it is seen sending new data, marked by
 * the cumulative ACK and SACK blocks of the peer's segments when they arrive at it (at their
 * estimated arrival time), so that what it knew when it retransmitted is what the scoreboard
 * says.  A retransmission of a segment that RFC 6675's IsLost holds lost (DupThresh SACKed
 * segments above it, or more than (DupThresh - 1) * SMSS SACKed bytes) is a fast retransmission,
 * even when fewer than three duplicate ACKs came (one ACK can SACK several segments). */

#define OBS_DUPTHRESH 3

static uint32_t sb_count;

uint32_t tcp_obs_sb_count(void)
{
    return sb_count;
}

static void sb_attach(tcp_endpoint *ep)
{
    if (ep->obs_sb != NULL || sb_count >= TCP_OBS_SB_BUDGET)
        return;
    ep->obs_sb = malloc(sizeof *ep->obs_sb);
    if (ep->obs_sb == NULL)
        return;
    sb_count++;
    tcp_sb_init(ep->obs_sb, ep->smss ? ep->smss : 536);
}

static void sb_free(tcp_endpoint *ep)
{
    if (ep->obs_sb == NULL)
        return;
    free(ep->obs_sb);
    ep->obs_sb = NULL;
    sb_count--;
}

/* The unit holding sequence number seq, or -1. */
static int sb_find(tcp_sb *sb, uint32_t seq)
{
    for (uint32_t i = 0; i < sb->n; i++) {
        const tcp_sb_unit *u = tcp_sb_at_c(sb, i);
        if (tcp_seq_geq(seq, u->start) && tcp_seq_lt(seq, u->end))
            return (int)i;
    }
    return -1;
}

/* Is the segment at seq lost by RFC 6675's IsLost, as the sender's scoreboard stands? */
static bool sb_is_lost(tcp_endpoint *ep, uint32_t seq)
{
    tcp_sb *sb = ep->obs_sb;
    if (sb == NULL || sb->cnt.sacked_segs == 0)
        return false;
    tcp_sb_mark_lost_6675(sb, OBS_DUPTHRESH);
    int i = sb_find(sb, seq);
    return i >= 0 && (tcp_sb_at_c(sb, (uint32_t)i)->flags & TCP_SB_LOST) != 0;
}

/* It sent s (tags already given): new data becomes a unit, a retransmission marks its unit. */
static void sb_sent(tcp_endpoint *ep, uint64_t now, const tcp_seg *s, uint32_t tags)
{
    uint32_t seqlen = tcp_seg_seqlen(s);
    if (seqlen == 0 || (s->flags & TCP_SYN) ||
        (tags & (TCP_TAG_KEEP_ALIVE | TCP_TAG_ZERO_WINDOW_PROBE)))
        return;
    if (ep->obs_sb == NULL && ep->obs_sack_seen)
        sb_attach(ep);
    tcp_sb *sb = ep->obs_sb;
    if (sb == NULL)
        return;
    if (is_retx_tag(tags)) {
        int i = sb_find(sb, s->seq);
        if (i >= 0)
            tcp_sb_retransmitted(sb, (uint32_t)i, now);
        return;
    }
    const tcp_sb_unit *last = sb->n ? tcp_sb_at_c(sb, sb->n - 1) : NULL;
    if (last == NULL || tcp_seq_geq(s->seq, last->end))
        tcp_sb_push(sb, s->seq, s->seq + seqlen, 1, (s->flags & TCP_FIN) ? TCP_SB_FIN : 0, now);
}

/* The peer's segment s arrives: its ACK and SACK blocks mark the scoreboard. */
static void sb_arrived(tcp_endpoint *ep, const tcp_seg *s)
{
    if ((s->flags & TCP_SYN) && s->sack_perm)
        ep->obs_sack_seen = true;
    if (s->nsack > 0 && !ep->obs_sack_seen) {
        ep->obs_sack_seen = true;
        sb_attach(ep); /* late: it holds what is sent from now on */
    }
    tcp_sb *sb = ep->obs_sb;
    if (sb == NULL || !(s->flags & TCP_ACK) || (s->flags & TCP_RST))
        return;
    tcp_sb_delivery d;
    memset(&d, 0, sizeof d);
    tcp_sb_ack(sb, s->ack, &d);
    if (s->nsack > 0)
        tcp_sb_sack(sb, s->sack, s->nsack, s->ack, ep->snd_max, &d);
}

static bool is_retx_tag(uint32_t tags)
{
    return (tags & (TCP_TAG_RETRANSMISSION | TCP_TAG_FAST_RETRANSMISSION)) != 0;
}

bool tcp_obs_is_retransmission(uint32_t tags)
{
    return is_retx_tag(tags);
}

/* Reports a starting state the capture did not show (CLOSED -> start, cause "assumed: ..."). */
static void emit_assumed(tcp_endpoint *ep, uint64_t now, tcp_state start, const char *why)
{
    if (!trace_sink_on(&ep->sink))
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = now;
    ev.ep = ep->id;
    ev.kind = TRACE_STATE;
    ev.u.state.from = TCP_CLOSED;
    ev.u.state.to = (uint8_t)start;
    trace_set_text(&ev, "%s", why);
    trace_sink_put(&ep->sink, &ev);
}

void tcp_obs_init(tcp_endpoint *ep, uint8_t id, trace_sink sink, tcp_state start, uint64_t now)
{
    tcp_config cfg;
    tcp_config_default(&cfg);
    cfg.isn = 0;
    tcp_init(ep, &cfg, id, sink);
    ep->observer = true;
    ep->obs_ref = now;
    ep->rcv_shift = 0;
    ep->max_snd_wnd = BIG_WINDOW; /* lenient RFC 5961 ACK check until windows are known */
    ep->state = start;
    ep->obs_path[0] = (uint8_t)start;
    ep->obs_hinted[0] = start != TCP_CLOSED; /* LISTEN and ESTABLISHED are assumptions */
    ep->obs_n = 1;
    if (start == TCP_LISTEN)
        ep->passive = true;
    if (start == TCP_ESTABLISHED) {
        ep->obs_scale_unknown = true;
        ep->passive = id == TRACE_SERVER;
    }
    if (start != TCP_CLOSED)
        emit_assumed(ep, now, start,
                     start == TCP_LISTEN ? "assumed: the first SYN goes to a listener"
                                         : "assumed: capture starts mid-connection");
}

void tcp_obs_init_syn_sent(tcp_endpoint *ep, uint8_t id, trace_sink sink, uint32_t iss,
                           uint64_t now)
{
    tcp_obs_init(ep, id, sink, TCP_CLOSED, now);
    ep->iss = iss;
    ep->snd_una = iss;
    ep->snd_nxt = ep->snd_max = iss + 1;
    ep->obs_snd_known = true;
    ep->state = TCP_SYN_SENT;
    ep->obs_path[0] = TCP_SYN_SENT;
    ep->obs_hinted[0] = true;
    ep->obs_syn_assumed = true;
    emit_assumed(ep, now, TCP_SYN_SENT, "assumed: its SYN was not captured");
}

/* ---- corrections -------------------------------------------------------------------------- */

/* The endpoint is really in `truth`: pop hinted states (and states in `invalid`, a bit mask of
 * tcp_state values known to be wrong) from the end of the path until `truth` is on top, or push
 * it; report the correction. */
static void obs_revert(tcp_endpoint *ep, uint64_t now, tcp_state truth, uint32_t invalid,
                       const char *why)
{
    tcp_state wrong = ep->state;
    while (ep->obs_n > 0) {
        uint8_t last = ep->obs_path[ep->obs_n - 1];
        if (last == truth)
            break;
        if (!ep->obs_hinted[ep->obs_n - 1] && !(invalid & (1u << last)))
            break;
        ep->obs_n--;
    }
    if (ep->obs_n == 0 || ep->obs_path[ep->obs_n - 1] != truth) {
        if (ep->obs_n == TCP_OBS_PATH)
            ep->obs_n--;
        ep->obs_path[ep->obs_n] = (uint8_t)truth;
        ep->obs_hinted[ep->obs_n] = false;
        ep->obs_n++;
    }
    ep->state = truth;
    if (wrong != truth && trace_sink_on(&ep->sink)) {
        trace_event ev;
        memset(&ev, 0, sizeof ev);
        ev.t = now;
        ev.ep = ep->id;
        ev.kind = TRACE_STATE;
        ev.u.state.from = (uint8_t)wrong;
        ev.u.state.to = (uint8_t)truth;
        ev.u.state.correction = true;
        trace_set_text(&ev, "correction: %s", why);
        trace_sink_put(&ep->sink, &ev);
    }
}

#define BIT(s) (1u << (s))

/* The peer's FIN was taken for received but this endpoint's ACK says it had not arrived: lost,
 * or not yet there when the endpoint sent that ACK (`in_flight`: less than a round trip after
 * the FIN was seen; its ACK of the FIN, when it comes, applies it again). */
static void unreceive_fin(tcp_endpoint *ep, uint64_t now, uint32_t ack, bool in_flight)
{
    ep->fin_rcvd = false;
    ep->rcv_nxt = ack;
    ep->n_ooo = 0;
    tcp_state truth = ep->state;
    switch (ep->state) {
    case TCP_CLOSE_WAIT:
        truth = TCP_ESTABLISHED;
        break;
    case TCP_CLOSING:
        truth = TCP_FIN_WAIT_1;
        break;
    case TCP_TIME_WAIT:
        truth = TCP_FIN_WAIT_2;
        break;
    default:
        return;
    }
    tcp_clear_timers(ep, now);
    obs_revert(ep, now, truth, 0,
               in_flight ? "the peer's FIN had not arrived yet when it sent this"
                         : "the peer's FIN did not arrive (lost after the capture point)");
}

/* This endpoint sends its FIN again although an ACK of it was seen going in: that ACK was lost.
 */
static void fin_not_acked(tcp_endpoint *ep, uint64_t now, uint32_t fin_seq)
{
    ep->snd_una = fin_seq;
    tcp_state truth;
    switch (ep->state) {
    case TCP_FIN_WAIT_2:
        truth = TCP_FIN_WAIT_1;
        break;
    case TCP_TIME_WAIT:
        truth = ep->fin_rcvd ? TCP_CLOSING : TCP_FIN_WAIT_1;
        break;
    case TCP_CLOSED:
        truth = ep->fin_rcvd ? TCP_LAST_ACK : TCP_FIN_WAIT_1;
        break;
    default:
        return;
    }
    obs_revert(ep, now, truth, BIT(TCP_FIN_WAIT_2) | BIT(TCP_TIME_WAIT) | BIT(TCP_CLOSED),
               "the ACK of its FIN did not arrive (it sends the FIN again)");
}

/* ---- the receive side, resynchronised from this endpoint's own ACK number ----------------- */

static void sync_receive(tcp_endpoint *ep, uint64_t now, uint32_t ack)
{
    if (!ep->obs_rcv_known) {
        ep->irs = ack - 1;
        ep->rcv_nxt = ack;
        ep->rcv_adv = ack;
        ep->obs_rcv_known = true;
        return;
    }
    if (tcp_seq_gt(ack, ep->rcv_nxt)) {
        /* it received more than the capture showed going to it */
        bool fin_known = ep->fin_seen || ep->obs_peer_fin_known;
        uint32_t fin_seq = ep->fin_seen ? ep->fin_seq : ep->obs_peer_fin_seq;
        if (fin_known && !ep->fin_rcvd && ack == fin_seq + 1) {
            /* its ACK covers the peer's FIN: the FIN arrived (also one that lay outside the
             * window when it was seen, after a capture gap); apply it now */
            tcp_seg fin;
            memset(&fin, 0, sizeof fin);
            ep->fin_seen = true;
            ep->fin_seq = fin_seq;
            ep->rcv_nxt = ep->fin_seq;
            ep->n_ooo = 0;
            fin.seq = ep->fin_seq;
            fin.flags = TCP_FIN | TCP_ACK;
            fin.ack = ep->snd_una;
            fin.win_raw = (uint16_t)(ep->snd_wnd >> ep->snd_shift);
            if (ep->rcv_adv == ep->rcv_nxt)
                ep->rcv_adv = ep->rcv_nxt + 1;
            tcp_input(ep, now, &fin);
        } else if (!ep->fin_rcvd) {
            ep->rcv_nxt = ack;
            ep->rcv_total += 0;
        }
        return;
    }
    if (tcp_seq_lt(ack, ep->rcv_nxt)) {
        /* it had not received everything the capture showed going to it when it sent this:
         * lost after the capture point, or (a capture near the sender) still on its way */
        if (ep->fin_rcvd && tcp_seq_leq(ack, ep->fin_seq)) {
            unreceive_fin(ep, now, ack, now - ep->obs_fin_at < ep->obs_rtt);
        } else if (!ep->fin_rcvd) {
            ep->rcv_nxt = ack;
            ep->n_ooo = 0;
        }
    }
}

static uint32_t window_bytes(const tcp_endpoint *ep, const tcp_seg *s)
{
    if (s->flags & TCP_SYN)
        return s->win_raw;
    return (uint32_t)s->win_raw << (ep->obs_scale_unknown ? 14 : ep->rcv_shift);
}

static void open_active(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    if (ep->passive && !ep->obs_snd_known && ep->obs_n > 0 && ep->obs_hinted[0]) {
        /* it was taken to listen (a SYN went to it) but it opens actively: a simultaneous
         * open; forget the assumed LISTEN and what the SYN was taken to do there */
        ep->obs_n = 0;
        ep->state = TCP_CLOSED;
        ep->obs_path[ep->obs_n] = TCP_CLOSED;
        ep->obs_hinted[ep->obs_n++] = false;
    }
    ep->iss = s->seq;
    ep->snd_una = s->seq;
    ep->snd_nxt = ep->snd_max = s->seq + 1;
    ep->snd_queued = 0;
    ep->obs_snd_known = true;
    ep->wscale_offered = s->has_wscale;
    ep->rcv_shift = s->has_wscale ? (s->wscale > 14 ? 14 : s->wscale) : 0;
    ep->obs_scale_unknown = false;
    if (s->has_mss)
        ep->cfg.mss = s->mss ? s->mss : 1;
    ep->passive = false;
    tcp_set_state(ep, now, TCP_SYN_SENT, "sent SYN");
}

static void open_passive_reply(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    if (tcp_synchronized(ep->state)) {
        /* RFC 9293 has no way from a synchronized state to SYN-RECEIVED: a SYN,ACK with another
         * ISN from an established endpoint changes nothing (its peer answers with a RST or a
         * challenge ACK) */
        tcp_emit_note(ep, now, "sent a SYN,ACK with a new ISN while synchronized: no transition");
        return;
    }
    ep->iss = s->seq;
    ep->snd_una = s->seq;
    ep->snd_nxt = ep->snd_max = s->seq + 1;
    ep->snd_queued = 0;
    ep->obs_snd_known = true;
    ep->obs_scale_unknown = false;
    ep->rcv_shift = (s->has_wscale && ep->wscale_ok) ? (s->wscale > 14 ? 14 : s->wscale) : 0;
    if (!s->has_wscale) {
        ep->wscale_ok = false;
        ep->snd_shift = 0;
    }
    if (!ep->obs_rcv_known || ep->state == TCP_LISTEN || ep->state == TCP_CLOSED) {
        ep->irs = s->ack - 1;
        ep->rcv_nxt = s->ack;
        ep->obs_rcv_known = true;
    }
    if (ep->state == TCP_CLOSED) {
        /* RFC 9293 has no CLOSED -> SYN-RECEIVED: an endpoint that answers a SYN listened.  If
         * the replay had concluded that nobody listened (a RST answered an earlier SYN), later
         * packets refute that: the correction is undone */
        if (ep->obs_n > 0 && ep->obs_path[ep->obs_n - 1] == TCP_CLOSED && ep->passive)
            obs_revert(ep, now, TCP_LISTEN, BIT(TCP_CLOSED),
                       "it answers a SYN: it was listening after all");
        else
            tcp_set_state(ep, now, TCP_LISTEN, "assumed: it answers a SYN, so it listened");
        ep->passive = true;
    }
    if (ep->state == TCP_SYN_SENT)
        tcp_set_state(ep, now, TCP_SYN_RECEIVED, "sent SYN,ACK (simultaneous open)");
    else if (ep->state != TCP_SYN_RECEIVED)
        tcp_set_state(ep, now, TCP_SYN_RECEIVED, "sent SYN,ACK");
}

static uint32_t sent_syn(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    bool again = ep->obs_snd_known && s->seq == ep->iss;
    if (!(s->flags & TCP_ACK)) {
        if (!again) {
            ep->obs_syn_assumed = false;
            open_active(ep, now, s);
            return 0;
        }
        if (ep->obs_syn_assumed) {
            /* the SYN the peer's SYN,ACK answered, captured after it: sent first and reordered
             * on its way to the capture point (zeek_tcp-handshake-reorder.pcap), not sent again;
             * nothing to correct */
            ep->obs_syn_assumed = false;
            return TCP_TAG_OUT_OF_ORDER;
        }
        if (ep->state != TCP_SYN_SENT)
            obs_revert(ep, now, TCP_SYN_SENT, 0, "it sends its SYN again: no SYN,ACK arrived");
        return TCP_TAG_RETRANSMISSION;
    }
    bool first_synack = !ep->obs_synack_sent;
    ep->obs_synack_sent = true;
    if (!again) {
        open_passive_reply(ep, now, s);
        return 0;
    }
    if (first_synack) {
        /* simultaneous open: the SYN,ACK to the peer's SYN, not a retransmission of anything */
        if (ep->rcv_nxt != s->ack || !ep->obs_rcv_known) {
            ep->irs = s->ack - 1;
            ep->rcv_nxt = s->ack;
            ep->obs_rcv_known = true;
        }
        if (ep->state == TCP_SYN_SENT) {
            tcp_set_state(ep, now, TCP_SYN_RECEIVED, "sent SYN,ACK (simultaneous open)");
        } else if (ep->state == TCP_ESTABLISHED && ep->obs_n > 0 && ep->obs_hinted[ep->obs_n - 1]) {
            /* the peer's SYN,ACK was taken to arrive before this one left: it came after */
            obs_revert(ep, now, TCP_SYN_RECEIVED, 0,
                       "its SYN,ACK left before the peer's SYN,ACK arrived (simultaneous open)");
            ep->obs_arrival = true;
            tcp_set_state(ep, now, TCP_ESTABLISHED, "recv SYN,ACK");
            ep->obs_arrival = false;
        }
        return 0;
    }
    if (ep->state == TCP_ESTABLISHED || ep->state == TCP_CLOSE_WAIT)
        obs_revert(ep, now, TCP_SYN_RECEIVED, 0,
                   "it sends its SYN,ACK again: the handshake's ACK did not arrive");
    return TCP_TAG_RETRANSMISSION;
}

/* A RST leaves the endpoint CLOSED; a RST in answer to the SYN that was taken to reach a listener
 * means nobody listened. */
static void sent_rst(tcp_endpoint *ep, uint64_t now)
{
    if (ep->state == TCP_SYN_RECEIVED && ep->passive && !ep->obs_snd_known) {
        ep->obs_n = 0;
        obs_revert(ep, now, TCP_CLOSED, 0, "nobody listened: the SYN was answered with RST");
        return;
    }
    if (ep->state == TCP_CLOSED)
        return;
    tcp_clear_timers(ep, now);
    ep->error = TCP_ERR_ABORTED;
    tcp_set_state(ep, now, TCP_CLOSED, "sent RST");
}

/* How long after the segment that opened a hole in its sender's sequence space a segment filling
 * it may come and still count as sent before it (reordered on the way to the capture point). */
#define OBS_REORDER_WINDOW 10000u

/* A segment below SND.MAX that lies in the hole its sender opened a moment ago, and that the
 * capture says was sent before the segment that opened it (an older IPv4 ID or TSval): the
 * original, reordered on its way to the capture point, not a retransmission. */
static bool reordered(tcp_endpoint *ep, uint64_t now, const tcp_seg *s, uint32_t seqlen,
                      uint32_t hints)
{
    if (!(hints & TCP_OBS_SENT_EARLIER) || !ep->obs_hole || now < ep->obs_hole_t ||
        now - ep->obs_hole_t > OBS_REORDER_WINDOW)
        return false;
    uint32_t end = s->seq + seqlen;
    if (!tcp_seq_geq(s->seq, ep->obs_hole_start) || !tcp_seq_leq(end, ep->obs_hole_end))
        return false;
    if (s->seq == ep->obs_hole_start)
        ep->obs_hole_start = end; /* what is left of the hole stays one */
    else
        ep->obs_hole_end = s->seq;
    if (ep->obs_hole_start == ep->obs_hole_end)
        ep->obs_hole = false;
    return true;
}

/* Tags and bookkeeping for a segment carrying data and/or FIN (not SYN). */
static uint32_t sent_data(tcp_endpoint *ep, uint64_t now, const tcp_seg *s, uint32_t hints)
{
    uint32_t tags = 0;
    uint32_t seqlen = tcp_seg_seqlen(s);
    if (!ep->obs_snd_known) {
        /* mid-connection start: this is the first we see of its sequence numbers */
        ep->iss = s->seq - 1;
        ep->snd_una = ep->snd_nxt = ep->snd_max = s->seq;
        ep->snd_queued = 0;
        ep->obs_snd_known = true;
    }
    if (seqlen == 0 && s->seq == ep->snd_una - 1 && ep->snd_una == ep->snd_max &&
        (s->flags & TCP_ACK)) {
        /* one octet below SND.UNA and nothing outstanding: Linux's zero-window probe or a
         * keep-alive, without data */
        return ep->snd_wnd == 0 ? TCP_TAG_ZERO_WINDOW_PROBE : TCP_TAG_KEEP_ALIVE;
    }
    if (seqlen > 0) {
        bool keepalive = s->seq == ep->snd_una - 1 && s->len <= 1 && !(s->flags & TCP_FIN) &&
                         ep->snd_una == ep->snd_max;
        if (keepalive) {
            /* one octet below SND.UNA: a keep-alive, or a zero-window probe in Linux's style */
            return ep->snd_wnd == 0 ? TCP_TAG_ZERO_WINDOW_PROBE : TCP_TAG_KEEP_ALIVE;
        }
        if (tcp_seq_lt(s->seq, ep->snd_max) && reordered(ep, now, s, seqlen, hints)) {
            tags |= TCP_TAG_OUT_OF_ORDER; /* new bytes, sent before the previous segment */
        } else if (tcp_seq_lt(s->seq, ep->snd_max)) {
            if (ep->snd_wnd == 0 && s->len == 1 && s->seq == ep->snd_una && !(s->flags & TCP_FIN))
                tags |= TCP_TAG_ZERO_WINDOW_PROBE; /* RFC-style probe, sent again */
            else if (ep->cc.dupacks >= 3 || ep->cc.in_recovery || sb_is_lost(ep, s->seq))
                tags |= TCP_TAG_FAST_RETRANSMISSION;
            else
                tags |= TCP_TAG_RETRANSMISSION;
            if (is_retx_tag(tags) && tcp_seq_leq(s->seq + seqlen, ep->snd_una))
                tags |= TCP_TAG_SPURIOUS;
        } else if (tcp_seq_gt(s->seq, ep->snd_max)) {
            tags |= TCP_TAG_PREV_NOT_SEEN;
            ep->obs_hole = true; /* a segment filling it may come right after, reordered */
            ep->obs_hole_start = ep->snd_max;
            ep->obs_hole_end = s->seq;
            ep->obs_hole_t = now;
        } else if (ep->snd_wnd == 0 && s->len == 1 && !(s->flags & TCP_FIN) &&
                   ep->snd_max == ep->snd_una) {
            tags |= TCP_TAG_ZERO_WINDOW_PROBE; /* RFC 9293 3.8.6.1: one new octet */
            /* as in the simulator: if the receiver does not take the octet, it counts as unsent
             * again (tcp_input's ACK processing), and sending it later is no retransmission */
            ep->probe_out = true;
            ep->probe_seq = s->seq;
        }
    }
    uint32_t data_end = s->seq + s->len;
    if (s->len > 0 && !ep->fin_queued && tcp_seq_gt(data_end, tcp_data_end(ep)))
        ep->snd_queued += (uint32_t)(data_end - tcp_data_end(ep));
    if (tcp_seq_gt(s->seq + seqlen, ep->snd_max))
        ep->snd_max = s->seq + seqlen;
    if (tcp_seq_gt(ep->snd_max, ep->snd_nxt))
        ep->snd_nxt = ep->snd_max;

    if (s->flags & TCP_FIN) {
        uint32_t fin_seq = s->seq + s->len;
        bool first_fin = !ep->fin_queued;
        ep->fin_queued = true;
        if (first_fin) {
            switch (ep->state) {
            case TCP_SYN_RECEIVED:
            case TCP_ESTABLISHED:
                tcp_set_state(ep, now, TCP_FIN_WAIT_1, "sent FIN");
                break;
            case TCP_CLOSE_WAIT:
                tcp_set_state(ep, now, TCP_LAST_ACK, "sent FIN");
                break;
            default:
                break;
            }
        } else if (tcp_seq_geq(ep->snd_una, fin_seq + 1)) {
            fin_not_acked(ep, now, fin_seq);
        }
    }
    sb_sent(ep, now, s, tags);
    return tags;
}

/* SYN-SENT and it sends an ACK that is not a SYN: only a SYN,ACK acknowledging its SYN moves an
 * endpoint out of SYN-SENT (RFC 9293 3.10.7.3), so one arrived although the capture did not hold
 * it; its ACK number is the peer's ISN + 1.  The SYN,ACK is applied (not as a hint: the endpoint's
 * own segment proves it). */
static void synack_proven(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    tcp_seg sa;
    memset(&sa, 0, sizeof sa);
    sa.seq = s->ack - 1;
    sa.ack = ep->iss + 1;
    sa.flags = TCP_SYN | TCP_ACK;
    sa.win_raw = 65535;
    sa.win = 65535;
    ep->obs_arrival = false;
    tcp_input(ep, now, &sa);
    ep->n_ctl = 0;
    ep->ack_now = false;
    ep->ack_tags = 0;
    ep->obs_scale_unknown = true; /* the SYN,ACK's options were not seen */
    ep->obs_rcv_known = true;
    if (ep->state == TCP_ESTABLISHED)
        tcp_emit_note(ep, now, "inferred: its ACK proves a SYN,ACK arrived (not captured)");
}

uint32_t tcp_obs_sent(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    return tcp_obs_sent_at(ep, now, now, s, 0);
}

uint32_t tcp_obs_sent_at(tcp_endpoint *ep, uint64_t now, uint64_t ref, const tcp_seg *s,
                         uint32_t hints)
{
    uint32_t tags = 0;
    tcp_obs_before_send(ep, now, s);
    fl_proven(&ep->obs_fl, s);
    ep->obs_ref = ref;
    ep->obs_arrival = false;
    if (ep->state == TCP_SYN_SENT && (s->flags & TCP_ACK) && !(s->flags & (TCP_SYN | TCP_RST)) &&
        ep->obs_snd_known) {
        ep->snd_una = ep->iss; /* in SYN-SENT nothing but the SYN was sent, and it is unacked */
        ep->snd_nxt = ep->snd_max = ep->iss + 1;
        synack_proven(ep, now, s);
    }

    /* a segment other than RST from an endpoint taken to be reset: the RST never arrived */
    if (ep->state == TCP_CLOSED && ep->obs_n > 1 && ep->obs_hinted[ep->obs_n - 1] &&
        (ep->error == TCP_ERR_RESET || ep->error == TCP_ERR_REFUSED) && !(s->flags & TCP_RST)) {
        tcp_state before = (tcp_state)ep->obs_path[ep->obs_n - 2];
        obs_revert(ep, now, before, 0, "it still sends: the RST did not arrive");
        ep->error = TCP_ERR_NONE;
    }

    if (s->flags & TCP_RST) {
        sent_rst(ep, now);
        ep->obs_sent_any = true;
        return 0;
    }
    if (s->flags & TCP_SYN) {
        tags |= sent_syn(ep, now, s);
    } else if (tcp_synchronized(ep->state) || ep->state == TCP_SYN_RECEIVED ||
               ep->state == TCP_CLOSED) {
        if (s->flags & TCP_ACK)
            sync_receive(ep, now, s->ack);
        tags |= sent_data(ep, now, s, hints);
    }

    /* pure ACKs: duplicate ACK and window update, judged on its own previous segment */
    if (s->len == 0 && !(s->flags & (TCP_SYN | TCP_FIN | TCP_RST)) && (s->flags & TCP_ACK) &&
        ep->obs_sent_any && s->ack == ep->obs_last_ack && !(tags & TCP_TAG_KEEP_ALIVE) &&
        !(tags & TCP_TAG_ZERO_WINDOW_PROBE)) {
        if (s->win_raw == ep->obs_last_win) {
            /* evidence of a gap: data held above the ACK, or a SACK block above it (RFC 2018:
             * the receiver holds what the block covers; a block at or below the ACK is a
             * D-SACK, RFC 2883) */
            bool sack_gap = s->nsack > 0 && tcp_seq_gt(s->sack[0].left, s->ack);
            if (ep->n_ooo > 0 || tcp_seq_gt(ep->rcv_nxt, s->ack) || ep->fin_seen || sack_gap)
                tags |= TCP_TAG_DUP_ACK;
        } else if (s->win_raw > ep->obs_last_win) {
            tags |= TCP_TAG_WINDOW_UPDATE;
        }
    }
    if (s->win_raw == 0 && (s->flags & TCP_ACK))
        tags |= TCP_TAG_ZERO_WINDOW;

    if (s->flags & TCP_ACK) {
        ep->rcv_adv = s->ack + window_bytes(ep, s);
        ep->obs_last_ack = s->ack;
        ep->obs_last_win = s->win_raw;
        ep->obs_sent_any = true;
    }
    return tags;
}

static bool queue_forget(tcp_endpoint *ep, const tcp_seg *lost);

void tcp_obs_not_arrived(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    if (queue_forget(ep, s))
        return; /* still on its way: it simply never arrives */
    if ((s->flags & TCP_SYN) && !(s->flags & TCP_ACK)) {
        /* a lost SYN: the server is still listening */
        if (ep->state == TCP_SYN_RECEIVED && ep->passive && !ep->obs_snd_known)
            obs_revert(ep, now, TCP_LISTEN, 0,
                       "the SYN did not arrive (lost after the capture point)");
        return;
    }
    if ((s->flags & TCP_SYN) && (s->flags & TCP_ACK)) {
        /* a lost SYN,ACK: the client is still waiting for one */
        if (ep->state == TCP_ESTABLISHED && ep->obs_n > 0 && ep->obs_hinted[ep->obs_n - 1] &&
            ep->snd_una == ep->iss + 1 && ep->snd_max == ep->iss + 1) {
            ep->snd_una = ep->iss;
            obs_revert(ep, now, TCP_SYN_SENT, 0,
                       "the SYN,ACK did not arrive (lost after the capture point)");
        }
        return;
    }
    if (s->flags & TCP_FIN) {
        uint32_t fin_seq = s->seq + s->len;
        if (ep->fin_rcvd && ep->fin_seq == fin_seq) {
            unreceive_fin(ep, now, s->len ? s->seq : fin_seq, false);
            return;
        }
    }
    if (!ep->fin_rcvd && tcp_seq_lt(s->seq, ep->rcv_nxt) && s->len > 0) {
        ep->rcv_nxt = s->seq; /* the data from here on is missing at this end */
        ep->n_ooo = 0;
    }
}

/* ---- the segment seen on its way to this endpoint ----------------------------------------- */

void tcp_obs_arrived(tcp_endpoint *ep, uint64_t now, const tcp_seg *seg)
{
    tcp_seg s = *seg;
    bool synced = tcp_synchronized(ep->state) || ep->state == TCP_SYN_RECEIVED;
    if (synced && !(s.flags & TCP_SYN)) {
        if (!ep->obs_rcv_known) {
            /* mid-connection: the first segment seen from the peer sets RCV.NXT */
            ep->irs = s.seq - 1;
            ep->rcv_nxt = s.seq;
            ep->rcv_adv = s.seq + BIG_WINDOW;
            ep->obs_rcv_known = true;
        }
        if (s.flags & TCP_ACK) {
            if (!ep->obs_snd_known) {
                ep->iss = s.ack - 1;
                ep->snd_una = ep->snd_nxt = ep->snd_max = s.ack;
                ep->snd_queued = 0;
                ep->obs_snd_known = true;
            } else if (tcp_seq_gt(s.ack, ep->snd_max)) {
                /* the peer acknowledges data the capture never showed: take it as sent */
                uint32_t gap = s.ack - ep->snd_max;
                ep->snd_max = ep->snd_nxt = s.ack;
                if (!ep->fin_queued)
                    ep->snd_queued += gap;
            }
        }
    }
    if (s.flags & TCP_FIN) { /* the peer sent its FIN: remembered even if it is not accepted */
        ep->obs_peer_fin_known = true;
        ep->obs_peer_fin_seq = s.seq + s.len + ((s.flags & TCP_SYN) ? 1u : 0u);
    }
    sb_arrived(ep, &s);
    bool had_fin = ep->fin_rcvd;
    ep->obs_arrival = true;
    tcp_input(ep, now, &s);
    ep->obs_arrival = false;
    if (!had_fin && ep->fin_rcvd)
        ep->obs_fin_at = now;
    /* nothing is ever sent in observer mode */
    ep->n_ctl = 0;
    ep->ack_now = false;
    ep->ack_tags = 0;
}

/* ---- the flight: segments seen going to this endpoint, until it proves them received ------
 *
 * A ring of TCP_OBS_FLIGHT entries inside the endpoint, grown on the heap (doubling, up to
 * TCP_OBS_FLIGHT_MAX) when it is full and its oldest entry is still unproven, so that a bulk
 * transfer's whole flight is remembered and its losses can be found.  Entries are marked when the
 * endpoint's own segment proves them (the same rule as for the arrival queue: its cumulative ACK
 * or a SACK block covers them); the proven ones are kept a while for the retransmission
 * intervals. */

static uint32_t fl_mask(const tcp_obs_flight *f)
{
    return (f->big ? f->cap : TCP_OBS_FLIGHT) - 1;
}

static tcp_obs_seen *fl_at(tcp_obs_flight *f, uint32_t k)
{
    tcp_obs_seen *r = f->big ? f->big : f->small;
    return &r[(f->head + k) & fl_mask(f)];
}

static const tcp_obs_seen *fl_at_c(const tcp_obs_flight *f, uint32_t k)
{
    const tcp_obs_seen *r = f->big ? f->big : f->small;
    return &r[(f->head + k) & fl_mask(f)];
}

/* Entries in grown flights, all endpoints together: at most TCP_OBS_FLIGHT_BUDGET (12 MiB), so
 * that memory stays bounded however many connections have large windows at once. */
static size_t fl_entries;

size_t tcp_obs_flight_entries(void)
{
    return fl_entries;
}

static bool fl_grow(tcp_obs_flight *f)
{
    uint32_t cap = fl_mask(f) + 1;
    size_t had = f->big ? cap : 0;
    if (cap >= TCP_OBS_FLIGHT_MAX || fl_entries - had + 2 * cap > TCP_OBS_FLIGHT_BUDGET)
        return false;
    tcp_obs_seen *big = malloc(2 * cap * sizeof *big);
    if (big == NULL)
        return false;
    fl_entries = fl_entries - had + 2 * cap;
    for (uint32_t k = 0; k < f->n; k++)
        big[k] = *fl_at(f, k);
    free(f->big);
    f->big = big;
    f->cap = 2 * cap;
    f->head = 0;
    return true;
}

static void fl_pop(tcp_obs_flight *f)
{
    if (!fl_at(f, 0)->acked)
        f->unacked--;
    else if (f->lead > 0)
        f->lead--;
    f->head = (f->head + 1) & fl_mask(f);
    f->n--;
}

static void fl_add(tcp_obs_flight *f, const tcp_obs_seen *e)
{
    if (f->n == fl_mask(f) + 1 && (fl_at(f, 0)->acked || !fl_grow(f)))
        fl_pop(f); /* forget the oldest */
    if (!e->acked)
        f->unacked++;
    f->n++;
    *fl_at(f, f->n - 1) = *e;
}

static void fl_remove_at(tcp_obs_flight *f, uint32_t k)
{
    if (!fl_at(f, k)->acked)
        f->unacked--;
    if (k < f->lead)
        f->lead--;
    for (uint32_t j = k; j + 1 < f->n; j++) /* shift the later entries down by one */
        *fl_at(f, j) = *fl_at(f, j + 1);
    f->n--;
}

/* The endpoint sent `s`: what its ACK and SACK blocks cover has arrived. */
static void fl_proven(tcp_obs_flight *f, const tcp_seg *s)
{
    if (!(s->flags & TCP_ACK))
        return;
    /* proven entries sit mostly at the front: start after them */
    uint32_t k = f->lead;
    for (uint32_t left = f->unacked; k < f->n && left > 0; k++) {
        tcp_obs_seen *e = fl_at(f, k);
        if (e->acked)
            continue;
        left--;
        bool covered = tcp_seq_leq(e->end, s->ack);
        for (unsigned b = 0; !covered && b < s->nsack && b < TCP_MAX_SACK; b++)
            covered = tcp_seq_geq(e->seq, s->sack[b].left) && tcp_seq_leq(e->end, s->sack[b].right);
        if (covered) {
            e->acked = true;
            f->unacked--;
        }
    }
    /* proven entries are kept for intervals and duplicates, TCP_OBS_FLIGHT of them are enough:
     * a grown ring must not make every ACK walk a long proven past */
    while (f->n > TCP_OBS_FLIGHT && fl_at(f, 0)->acked)
        fl_pop(f);
    while (f->lead < f->n && fl_at(f, f->lead)->acked)
        f->lead++;
}

const tcp_obs_seen *tcp_obs_flight_find(const tcp_endpoint *ep, uint32_t seq)
{
    const tcp_obs_flight *f = &ep->obs_fl;
    for (uint32_t k = 0; k < f->n; k++)
        if (fl_at_c(f, k)->seq == seq)
            return fl_at_c(f, k);
    return NULL;
}

uint32_t tcp_obs_find_lost(tcp_endpoint *ep, const tcp_seg *s,
                           void (*lost)(void *ctx, const tcp_obs_seen *e), void *ctx)
{
    tcp_obs_flight *f = &ep->obs_fl;
    uint32_t n = 0, end = s->seq + tcp_seg_seqlen(s);
    for (uint32_t k = 0; k < f->n;) {
        tcp_obs_seen *e = fl_at(f, k);
        if (!e->acked && tcp_seq_lt(e->seq, end) && tcp_seq_gt(e->end, s->seq)) {
            tcp_obs_seen copy = *e;
            fl_remove_at(f, k);
            n++;
            if (lost)
                lost(ctx, &copy);
            continue;
        }
        k++;
    }
    return n;
}

static void fl_free(tcp_obs_flight *f)
{
    if (f->big)
        fl_entries -= f->cap;
    free(f->big);
    f->big = NULL;
    f->cap = f->n = f->head = f->unacked = f->lead = 0;
}

/* ---- segments on their way to an endpoint far from the capture point ----------------------
 *
 * Near the client, the server receives a captured packet one one-way delay after the capture,
 * and its own packets left one one-way delay before they were captured.  Arrivals wait in a queue
 * (in capture order, so in order of estimated arrival) and are applied at their estimated arrival
 * time once that time is past for this endpoint, before any later segment of its own.  What the
 * endpoint's own segment proves it received (its ACK or SACK blocks cover it; or, in SYN-RECEIVED,
 * the handshake's ACK when it sends data or a FIN, which it may only do once synchronized) is
 * applied before that segment, at the latest when it left.  Nothing queued is dropped: a full
 * queue applies its oldest entry early, and the end of the capture applies the rest. */

#define OBS_Q_FIRST 16u
#define OBS_Q_MAX   4096u

static tcp_obs_arrival *q_at(const tcp_endpoint *ep, uint32_t k)
{
    return &ep->obs_q[(ep->obs_q_head + k) & (ep->obs_q_cap - 1)];
}

/* An arrival applied to the endpoint; when the replay asked for TCB records, the endpoint's TCB
 * is reported at once, at the arrival's time, so the record follows the state change it causes
 * (an arrival applied while a later packet is handled would otherwise be reported after it).
 * When asked (obs_recv_events), the arrival itself is reported first: a recv event of packet id
 * at the time it is applied, so a diagram draws the replay's own estimate of when it arrived. */
static void apply(tcp_endpoint *ep, uint64_t at, uint64_t id, const tcp_seg *seg)
{
    if (ep->obs_recv_events && trace_sink_on(&ep->sink)) {
        trace_event ev;
        memset(&ev, 0, sizeof ev);
        ev.t = at;
        ev.ep = ep->id;
        ev.kind = TRACE_RECV;
        ev.id = id;
        ev.seg = *seg;
        trace_sink_put(&ep->sink, &ev);
    }
    tcp_obs_arrived(ep, at, seg);
    if (ep->tcb_auto)
        tcp_tcb_report(ep, at, TRACE_TCB_NO_CALL);
}

static void q_apply_first(tcp_endpoint *ep, uint64_t at)
{
    tcp_obs_arrival a = *q_at(ep, 0);
    ep->obs_q_head = (ep->obs_q_head + 1) & (ep->obs_q_cap - 1);
    ep->obs_q_n--;
    uint64_t ref = ep->obs_ref;
    ep->obs_ref = a.ref;
    apply(ep, at, a.id, &a.seg);
    ep->obs_ref = ref;
}

static bool q_grow(tcp_endpoint *ep)
{
    uint32_t cap = ep->obs_q_cap ? 2 * ep->obs_q_cap : OBS_Q_FIRST;
    if (cap > OBS_Q_MAX)
        return false;
    tcp_obs_arrival *q = malloc(cap * sizeof *q);
    if (q == NULL)
        return false;
    for (uint32_t k = 0; k < ep->obs_q_n; k++)
        q[k] = *q_at(ep, k);
    free(ep->obs_q);
    ep->obs_q = q;
    ep->obs_q_cap = cap;
    ep->obs_q_head = 0;
    return true;
}

static void arrive(tcp_endpoint *ep, uint64_t now, uint64_t t_arrival, uint64_t ref, uint64_t id,
                   const tcp_seg *seg);

void tcp_obs_arrive(tcp_endpoint *ep, uint64_t now, uint64_t t_arrival, uint64_t ref, uint64_t id,
                    const tcp_seg *seg)
{
    arrive(ep, now, t_arrival, ref, id, seg);
    uint32_t seqlen = tcp_seg_seqlen(seg);
    if (seqlen == 0 || (seg->tags & (TCP_TAG_KEEP_ALIVE | TCP_TAG_ZERO_WINDOW_PROBE)))
        return;
    tcp_obs_seen e = {.id = id,
                      .t = ref,
                      .seq = seg->seq,
                      .end = seg->seq + seqlen,
                      .len = seg->len,
                      .ack = seg->ack,
                      .win = seg->win,
                      .tsval = seg->tsval,
                      .flags = seg->flags,
                      .has_ts = seg->has_ts,
                      .acked = false};
    fl_add(&ep->obs_fl, &e);
}

static void arrive(tcp_endpoint *ep, uint64_t now, uint64_t t_arrival, uint64_t ref, uint64_t id,
                   const tcp_seg *seg)
{
    tcp_obs_advance(ep, now);
    if (ep->obs_q_n == 0 && t_arrival <= now) {
        uint64_t was = ep->obs_ref;
        ep->obs_ref = ref;
        apply(ep, t_arrival, id, seg);
        ep->obs_ref = was;
        return;
    }
    if (ep->obs_q_n == ep->obs_q_cap && !q_grow(ep)) {
        if (ep->obs_q_cap == 0) { /* no memory for a queue: it arrives now */
            uint64_t was = ep->obs_ref;
            ep->obs_ref = ref;
            apply(ep, t_arrival < now ? t_arrival : now, id, seg);
            ep->obs_ref = was;
            return;
        }
        q_apply_first(ep, q_at(ep, 0)->t); /* full: the oldest arrives at its own time */
    }
    tcp_obs_arrival *a = q_at(ep, ep->obs_q_n++);
    a->seg = *seg;
    a->t = t_arrival;
    a->ref = ref;
    a->id = id;
}

void tcp_obs_advance(tcp_endpoint *ep, uint64_t now)
{
    while (ep->obs_q_n > 0 && q_at(ep, 0)->t <= now)
        q_apply_first(ep, q_at(ep, 0)->t);
}

/* Does `s`, sent by ep, prove that the queued `q` reached it? */
static bool proves(const tcp_endpoint *ep, const tcp_seg *s, const tcp_seg *q)
{
    if (!(s->flags & TCP_ACK))
        return false;
    uint32_t qlen = tcp_seg_seqlen(q);
    uint32_t qend = q->seq + qlen;
    if (qlen > 0 && tcp_seq_leq(qend, s->ack) && tcp_seq_lt(s->ack - qend, 0x40000000u))
        return true; /* its cumulative ACK covers it */
    for (unsigned b = 0; qlen > 0 && q->len > 0 && b < s->nsack && b < TCP_MAX_SACK; b++)
        if (tcp_seq_geq(q->seq, s->sack[b].left) && tcp_seq_leq(qend, s->sack[b].right))
            return true; /* a SACK block covers it */
    /* data or a FIN from SYN-RECEIVED: the handshake's ACK arrived (RFC 9293 3.10.7.4: text and
     * FIN are processed only once the ACK moved it to ESTABLISHED) */
    return ep->state == TCP_SYN_RECEIVED && qlen == 0 && (q->flags & TCP_ACK) &&
           !(q->flags & TCP_RST) && q->ack == ep->iss + 1 && !(s->flags & TCP_SYN) &&
           (s->len > 0 || (s->flags & TCP_FIN));
}

uint64_t tcp_obs_send_floor(const tcp_endpoint *ep, uint64_t now, uint64_t t_capture,
                            const tcp_seg *seg)
{
    uint64_t ref = 0; /* capture time of the last queued arrival seg proves */
    bool any = false;
    for (uint32_t k = 0; k < ep->obs_q_n; k++)
        if (proves(ep, seg, &q_at(ep, k)->seg)) {
            ref = q_at(ep, k)->ref;
            any = true;
        }
    if (!any || ref <= now || t_capture < ref)
        return now;
    return ref + (t_capture - ref) / 2;
}

void tcp_obs_before_send(tcp_endpoint *ep, uint64_t now, const tcp_seg *seg)
{
    tcp_obs_advance(ep, now);
    uint32_t last = 0;
    for (uint32_t k = 0; k < ep->obs_q_n; k++)
        if (proves(ep, seg, &q_at(ep, k)->seg))
            last = k + 1;
    /* the proven ones and what came before them on the same path */
    for (uint32_t k = 0; k < last; k++) {
        uint64_t t = q_at(ep, 0)->t;
        q_apply_first(ep, t < now ? t : now);
    }
}

void tcp_obs_retime(tcp_endpoint *ep, uint64_t delay)
{
    uint64_t floor = 0; /* keep the queue in order of arrival */
    for (uint32_t k = 0; k < ep->obs_q_n; k++) {
        tcp_obs_arrival *a = q_at(ep, k);
        if (a->t > a->ref + delay)
            a->t = a->ref + delay;
        if (a->t < floor)
            a->t = floor;
        floor = a->t;
    }
}

void tcp_obs_flush(tcp_endpoint *ep)
{
    while (ep->obs_q_n > 0)
        q_apply_first(ep, q_at(ep, 0)->t);
}

uint32_t tcp_obs_queued(const tcp_endpoint *ep)
{
    return ep->obs_q_n;
}

void tcp_obs_free(tcp_endpoint *ep)
{
    fl_free(&ep->obs_fl);
    sb_free(ep);
    free(ep->obs_q);
    ep->obs_q = NULL;
    ep->obs_q_cap = ep->obs_q_n = ep->obs_q_head = 0;
}

/* A queued segment found lost (its sender sent it again before anything acknowledged it) is
 * taken out: it never arrives. */
static bool queue_forget(tcp_endpoint *ep, const tcp_seg *lost)
{
    for (uint32_t k = 0; k < ep->obs_q_n; k++) {
        const tcp_seg *q = &q_at(ep, k)->seg;
        if (q->seq == lost->seq && q->len == lost->len && q->flags == lost->flags) {
            for (uint32_t j = k; j + 1 < ep->obs_q_n; j++)
                *q_at(ep, j) = *q_at(ep, j + 1);
            ep->obs_q_n--;
            return true;
        }
    }
    return false;
}

/* ---- the transitions an inferred path may hold --------------------------------------------- */

bool tcp_obs_rfc_arc(tcp_state from, tcp_state to)
{
#define ARC(a, b) ((uint32_t)(a)*16u + (uint32_t)(b))
    switch (ARC(from, to)) {
    case ARC(TCP_CLOSED, TCP_LISTEN):            /* passive OPEN */
    case ARC(TCP_CLOSED, TCP_SYN_SENT):          /* active OPEN */
    case ARC(TCP_LISTEN, TCP_SYN_RECEIVED):      /* rcv SYN */
    case ARC(TCP_LISTEN, TCP_SYN_SENT):          /* SEND */
    case ARC(TCP_LISTEN, TCP_CLOSED):            /* CLOSE */
    case ARC(TCP_SYN_SENT, TCP_SYN_RECEIVED):    /* rcv SYN (simultaneous open) */
    case ARC(TCP_SYN_SENT, TCP_ESTABLISHED):     /* rcv SYN,ACK */
    case ARC(TCP_SYN_SENT, TCP_CLOSED):          /* CLOSE, RST, timeout */
    case ARC(TCP_SYN_RECEIVED, TCP_ESTABLISHED): /* rcv ACK of SYN */
    case ARC(TCP_SYN_RECEIVED, TCP_FIN_WAIT_1):  /* CLOSE */
    case ARC(TCP_SYN_RECEIVED, TCP_LISTEN):      /* RST (passive) */
    case ARC(TCP_SYN_RECEIVED, TCP_CLOSED):      /* RST (active), ABORT */
    case ARC(TCP_SYN_RECEIVED, TCP_CLOSE_WAIT):  /* rcv FIN (3.10.7.4 eighth) */
    case ARC(TCP_ESTABLISHED, TCP_FIN_WAIT_1):   /* CLOSE */
    case ARC(TCP_ESTABLISHED, TCP_CLOSE_WAIT):   /* rcv FIN */
    case ARC(TCP_ESTABLISHED, TCP_CLOSED):       /* RST, ABORT */
    case ARC(TCP_FIN_WAIT_1, TCP_FIN_WAIT_2):    /* rcv ACK of FIN */
    case ARC(TCP_FIN_WAIT_1, TCP_CLOSING):       /* rcv FIN */
    case ARC(TCP_FIN_WAIT_1, TCP_TIME_WAIT):     /* rcv FIN and ACK of FIN */
    case ARC(TCP_FIN_WAIT_1, TCP_CLOSED):        /* RST, ABORT */
    case ARC(TCP_FIN_WAIT_2, TCP_TIME_WAIT):     /* rcv FIN */
    case ARC(TCP_FIN_WAIT_2, TCP_CLOSED):        /* RST, ABORT */
    case ARC(TCP_CLOSE_WAIT, TCP_LAST_ACK):      /* CLOSE */
    case ARC(TCP_CLOSE_WAIT, TCP_CLOSED):        /* RST, ABORT */
    case ARC(TCP_CLOSING, TCP_TIME_WAIT):        /* rcv ACK of FIN */
    case ARC(TCP_CLOSING, TCP_CLOSED):           /* RST */
    case ARC(TCP_LAST_ACK, TCP_CLOSED):          /* rcv ACK of FIN, RST */
    case ARC(TCP_TIME_WAIT, TCP_CLOSED):         /* 2 MSL timeout, RST */
        return true;
    default:
        return false;
    }
#undef ARC
}
