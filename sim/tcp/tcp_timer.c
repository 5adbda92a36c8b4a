/*
 * tcp_timer.c - TIMEOUTS (RFC 9293 3.10.8): the retransmission timeout with RFC 6298 5.4 - 5.7
 * and RFC 5681 3.1 (loss window), the persist timer, the delayed ACK timer and the TIME-WAIT
 * 2 x MSL timeout; for the scoreboard sender also the tail loss probe and RACK's reordering
 * timer (RFC 8985), whose work is in tcp_rack.c, tcp_recovery.c and tcp_xmit.c.
 */
#include "tcp.h"

#include <stdio.h>

#include "tcp_seq.h"

static void emit_fire(tcp_endpoint *ep, uint64_t now, tcp_timer_kind k, uint64_t started)
{
    if (!trace_sink_on(&ep->sink))
        return;
    trace_event ev = {0};
    ev.t = now;
    ev.ep = ep->id;
    ev.kind = TRACE_TIMER;
    ev.u.timer.timer = (uint8_t)k;
    ev.u.timer.action = TRACE_TIMER_FIRE;
    ev.u.timer.deadline = now;
    ev.u.timer.duration = now - started;
    trace_sink_put(&ep->sink, &ev);
}

static void on_rto(tcp_endpoint *ep, uint64_t now)
{
    bool handshake = ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RECEIVED;
    uint32_t limit = handshake ? ep->cfg.syn_retries : ep->cfg.max_retries;
    bool give_up = ep->retries >= limit;
    if (ep->state == TCP_SYN_SENT && ep->cfg.syn_linear > 0) {
        /* with linear SYN timeouts Linux gives up by time, not by count (tcp_write_timeout,
         * tcp_model_timeout): when the time that syn_retries doubling timeouts would take has
         * passed since the first SYN (127 s for 6) */
        uint64_t model = 0, rto = ep->cfg.rto_initial;
        for (uint32_t k = 0; k <= limit; k++) {
            model += rto;
            rto = rto * 2 > ep->cfg.rto_max ? ep->cfg.rto_max : rto * 2;
        }
        give_up = now - ep->syn_first >= model;
    }
    if (give_up) {
        /* RFC 9293 3.8.3 / RFC 1122 4.2.3.5: R2 reached, close the connection */
        char why[TRACE_TEXT_MAX];
        snprintf(why, sizeof why, "retransmission timeout: gave up after %u retries", ep->retries);
        tcp_clear_timers(ep, now);
        ep->error = TCP_ERR_TIMEOUT;
        ep->ack_now = false;
        ep->n_ctl = 0;
        tcp_set_state(ep, now, TCP_CLOSED, why);
        return;
    }
    ep->retries++;
    if (handshake)
        ep->syn_timeouts++; /* for RFC 6298 5.7 and RFC 5681 3.1 */
    if (ep->engine && !handshake) {
        /* the scoreboard sender (tcp_recovery.c): Linux's tcp_enter_loss */
        tcp_eng_rto(ep, now);
        tcp_rto_backoff(&ep->rto); /* RFC 6298 5.5 */
        ep->rtt_timing = false;
        return;
    }
    uint32_t flight = ep->snd_max - ep->snd_una;
    tcp_cc_on_rto(&ep->cc, flight, ep->snd_max, ep->smss, ep->retries == 1);
    ep->cwnd_shown = 0; /* traced at every timeout, even when the same as after the last one */
    tcp_emit_cwnd(ep, now, "retransmission timeout: loss window");
    /* RFC 6298 5.5: RTO <- RTO * 2; Linux keeps the first SYN timeouts at the initial RTO
     * (net.ipv4.tcp_syn_linear_timeouts, active opens only) */
    if (!(ep->state == TCP_SYN_SENT && ep->syn_timeouts <= ep->cfg.syn_linear))
        tcp_rto_backoff(&ep->rto);
    ep->rtt_timing = false; /* Karn: the timed segment will be retransmitted */
    ep->rexmit_one = false;
    /* RFC 6298 5.4: retransmit the earliest segment not acknowledged; the rest follows as the
     * (one-segment) congestion window allows, and 5.6 restarts the timer when it leaves. */
    ep->snd_nxt = ep->snd_una;
}

void tcp_tick(tcp_endpoint *ep, uint64_t now)
{
    if (ep->delack_at <= now) {
        emit_fire(ep, now, TCP_TIMER_DELACK, ep->delack_started);
        ep->delack_at = TCP_NEVER;
        tcp_ack_timer(ep, now); /* RFC 1122 4.2.3.2: the ACK goes now */
    }
    if (ep->timer_at > now)
        return;
    tcp_timer_kind k = ep->timer;
    emit_fire(ep, now, k, ep->timer_started);
    ep->timer = TCP_TIMER_NONE;
    ep->timer_at = TCP_NEVER;
    switch (k) {
    case TCP_TIMER_RTO:
        on_rto(ep, now);
        break;
    case TCP_TIMER_PERSIST:
        ep->probe_pending = true;
        if (!(ep->engine && ep->cfg.zwp == TCP_ZWP_LINUX))
            ep->persist_backoff++; /* Linux counts the probe when it is sent (tcp_xmit.c) */
        break;
    case TCP_TIMER_TLP: /* RFC 8985 7.3: the probe goes at the next output (tcp_xmit.c) */
        ep->tlp_fire = true;
        break;
    case TCP_TIMER_REORDER: /* RFC 8985 6.3 */
        tcp_eng_reo_fire(ep, now);
        break;
    case TCP_TIMER_TIME_WAIT: /* RFC 9293 3.10.8: delete the TCB, CLOSED */
        tcp_set_state(ep, now, TCP_CLOSED, "2MSL timeout");
        break;
    default:
        break;
    }
}
