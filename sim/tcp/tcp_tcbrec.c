/*
 * tcp_tcbrec.c - TCB snapshots for the trace (tcp_tcbrec.h).  The values are read, never
 * changed: SND.WND is the peer's last offered window (RFC 9293 3.3.1), RCV.WND what this
 * endpoint last advertised and has not yet seen filled (RCV.NXT up to the right edge it
 * announced, RFC 9293 3.8.6.2.2), the send buffer is split at SND.UNA and SND.NXT into
 * acknowledged, in flight and unsent bytes.  For an observer endpoint (capture replay,
 * tcp_observe.c) the snapshot says which values rest on an assumption: the state when it was
 * reached by a packet seen on its way in (which may have been lost after the capture point),
 * RCV.NXT before the endpoint's own ACK confirmed it, SND.WND when the window scale was not seen,
 * and the congestion window, ssthresh and RTT estimates, which are the model's RFC values and not
 * read from the real stack.
 */
#include "tcp_tcbrec.h"

#include <string.h>

#include "tcp_seq.h"

static uint32_t sat32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

void tcp_tcb_take(const tcp_endpoint *ep, uint8_t blocked, trace_tcb *out)
{
    memset(out, 0, sizeof *out); /* padding too: snapshots are compared with memcmp */
    out->state = (uint8_t)ep->state;
    out->blocked = blocked;
    /* RFC 9293 3.3.2: CLOSED is the state of no TCB at all, and a listener has no connection
     * yet; an active open chooses the ISS, a SYN received gives the IRS */
    uint16_t known = TRACE_TCB_STATE;
    if (ep->state != TCP_CLOSED)
        known |= TRACE_TCB_BUFFERS;
    if (ep->state != TCP_CLOSED && ep->state != TCP_LISTEN)
        known |= TRACE_TCB_ISS | TRACE_TCB_SND_UNA | TRACE_TCB_SND_NXT | TRACE_TCB_CWND |
                 TRACE_TCB_SSTHRESH | TRACE_TCB_RTO;
    if (ep->state >= TCP_SYN_RECEIVED)
        known |= TRACE_TCB_IRS | TRACE_TCB_RCV_NXT | TRACE_TCB_RCV_WND | TRACE_TCB_SND_WND;
    if (ep->rto.has_sample)
        known |= TRACE_TCB_RTT;
    out->known = known;
    out->iss = ep->iss;
    out->irs = ep->irs;
    out->snd_una = ep->snd_una;
    out->snd_nxt = ep->snd_nxt;
    out->snd_wnd = ep->snd_wnd;
    out->rcv_nxt = ep->rcv_nxt;
    if (tcp_seq_gt(ep->rcv_adv, ep->rcv_nxt))
        out->rcv_wnd = ep->rcv_adv - ep->rcv_nxt;
    else if (ep->rcv_adv == 0) /* nothing advertised yet: what the free buffer allows */
        out->rcv_wnd = ep->cfg.rcv_buf > ep->rcv_unread ? ep->cfg.rcv_buf - ep->rcv_unread : 0;
    out->cwnd = ep->cc.cwnd;
    out->ssthresh = ep->cc.ssthresh;
    out->srtt = sat32(ep->rto.srtt);
    out->rttvar = sat32(ep->rto.rttvar);
    out->rto = sat32(ep->rto.rto);
    out->timer = (uint8_t)ep->timer;
    out->timer_at = ep->timer != TCP_TIMER_NONE ? ep->timer_at : TRACE_NEVER;
    out->delack_at = ep->delack_at;
    uint32_t data_end = tcp_data_end(ep);
    /* the part of [SND.UNA, SND.NXT) and [SND.NXT, end of data) that is data: the SYN and the
     * FIN take sequence numbers but no buffer */
    uint32_t una = ep->snd_una, nxt = ep->snd_nxt, first = ep->iss + 1u;
    if (tcp_seq_lt(una, first))
        una = first;
    if (tcp_seq_lt(nxt, una))
        nxt = una;
    if (tcp_seq_gt(nxt, data_end))
        nxt = data_end;
    if (tcp_seq_gt(una, data_end))
        una = data_end;
    out->snd_in_flight = nxt - una;
    out->snd_unsent = data_end - nxt;
    out->snd_acked = ep->snd_acked;
    out->snd_buf = ep->cfg.snd_buf;
    out->rcv_unread = ep->rcv_unread;
    uint32_t ooo = 0;
    for (uint32_t k = 0; k < ep->n_ooo && k < TCP_OOO_MAX; k++)
        ooo += ep->ooo[k].end - ep->ooo[k].start;
    out->rcv_ooo = ooo;
    out->rcv_buf = ep->cfg.rcv_buf;
    if (ep->observer) {
        uint16_t inf =
            TRACE_TCB_CWND | TRACE_TCB_SSTHRESH | TRACE_TCB_RTT | TRACE_TCB_RTO | TRACE_TCB_BUFFERS;
        if (ep->obs_n > 0 && ep->obs_hinted[ep->obs_n - 1])
            inf |= TRACE_TCB_STATE;
        if (!ep->obs_snd_known)
            inf |= TRACE_TCB_ISS | TRACE_TCB_SND_UNA | TRACE_TCB_SND_NXT;
        if (!ep->obs_rcv_known)
            inf |= TRACE_TCB_IRS | TRACE_TCB_RCV_NXT | TRACE_TCB_RCV_WND;
        if (ep->obs_scale_unknown)
            inf |= TRACE_TCB_SND_WND | TRACE_TCB_RCV_WND;
        out->inferred = inf & known;
    }
}

bool tcp_tcb_report(tcp_endpoint *ep, uint64_t now, uint8_t blocked)
{
    if (!trace_sink_on(&ep->sink))
        return false;
    trace_tcb snap;
    tcp_tcb_take(ep, blocked, &snap);
    bool same = ep->tcb_have ? memcmp(&snap, &ep->tcb_shown, sizeof snap) == 0
                             : snap.state == TCP_CLOSED; /* no TCB yet: nothing to show */
    if (same) {
        ep->tcb_shown = snap;
        ep->tcb_have = true;
        return false;
    }
    ep->tcb_shown = snap;
    ep->tcb_have = true;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = now;
    ev.ep = ep->id;
    ev.kind = TRACE_TCB;
    ev.tcb = snap;
    trace_sink_put(&ep->sink, &ev);
    return true;
}

const char *tcp_tcb_field_name(uint32_t bit)
{
    static const char *const n[TRACE_TCB_FIELD_COUNT] = {
        "state",   "ISS",  "IRS",      "SND.UNA", "SND.NXT", "SND.WND", "RCV.NXT",
        "RCV.WND", "cwnd", "ssthresh", "SRTT",    "RTO",     "buffers"};
    for (unsigned i = 0; i < TRACE_TCB_FIELD_COUNT; i++)
        if (bit == 1u << i)
            return n[i];
    return NULL;
}
