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
#include <string.h>

#include "tcp.h"
#include "tcp_seq.h"

#define BIG_WINDOW 0x40000000u

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
        if (ep->fin_seen && !ep->fin_rcvd && ack == ep->fin_seq + 1) {
            /* its ACK covers the peer's FIN: the FIN arrived; apply it now */
            tcp_seg fin;
            memset(&fin, 0, sizeof fin);
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
            open_active(ep, now, s);
            return 0;
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

/* Tags and bookkeeping for a segment carrying data and/or FIN (not SYN). */
static uint32_t sent_data(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
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
        if (tcp_seq_lt(s->seq, ep->snd_max)) {
            if (ep->snd_wnd == 0 && s->len == 1 && s->seq == ep->snd_una && !(s->flags & TCP_FIN))
                tags |= TCP_TAG_ZERO_WINDOW_PROBE; /* RFC-style probe, sent again */
            else if (ep->cc.dupacks >= 3 || ep->cc.in_recovery)
                tags |= TCP_TAG_FAST_RETRANSMISSION;
            else
                tags |= TCP_TAG_RETRANSMISSION;
            if (is_retx_tag(tags) && tcp_seq_leq(s->seq + seqlen, ep->snd_una))
                tags |= TCP_TAG_SPURIOUS;
        } else if (tcp_seq_gt(s->seq, ep->snd_max)) {
            tags |= TCP_TAG_PREV_NOT_SEEN;
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
    return tags;
}

uint32_t tcp_obs_sent(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
    uint32_t tags = 0;
    ep->obs_arrival = false;

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
        tags |= sent_data(ep, now, s);
    }

    /* pure ACKs: duplicate ACK and window update, judged on its own previous segment */
    if (s->len == 0 && !(s->flags & (TCP_SYN | TCP_FIN | TCP_RST)) && (s->flags & TCP_ACK) &&
        ep->obs_sent_any && s->ack == ep->obs_last_ack && !(tags & TCP_TAG_KEEP_ALIVE) &&
        !(tags & TCP_TAG_ZERO_WINDOW_PROBE)) {
        if (s->win_raw == ep->obs_last_win) {
            if (ep->n_ooo > 0 || tcp_seq_gt(ep->rcv_nxt, s->ack) || ep->fin_seen)
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

void tcp_obs_not_arrived(tcp_endpoint *ep, uint64_t now, const tcp_seg *s)
{
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
