/*
 * sim_cookie.c - SYN cookies as this machine's Linux (6.18) puts them on the wire, for the
 * listeners of profile linux (`syncookies 0|1|2`, docs/scenario-language.md "Listener queues";
 * the idea is RFC 4987 3.6).  A SYN that finds the SYN queue full (or every SYN, with
 * syncookies 2) is answered with a SYN,ACK and no state: nothing is queued, nothing is sent
 * again.  The cookie keeps the peer's MSS rounded down to a table, and, only when both sides use
 * timestamps, its window scale and SACK-permitted in the low six bits of the SYN,ACK's TSval.
 * The ACK that returns the cookie (SEG.ACK - 1 the cookie, or the one before it when the SYN came
 * again; SEG.SEQ - 1 the SYN's) makes the connection, straight into the accept queue, unless
 * that queue is full: then the segment is dropped, even with abort-on-overflow, and a later copy
 * may still make it.
 */
#include "sim_sock.h"

/* Linux's cookie MSS table (IPv4): measured, an MSS of 1460, 1450, 1439, 1000 and 600 comes back
 * as 1460, 1440, 1300, 536 and 536 (the window of the rebuilt connection is a multiple of it). */
static uint16_t cookie_mss(const tcp_seg *syn)
{
    static const uint16_t table[] = {536, 1300, 1440, 1460};
    uint32_t mss = syn->has_mss ? syn->mss : 536u;
    uint16_t best = table[0];
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
        if (table[k] <= mss)
            best = table[k];
    return best;
}

/* The cookie's TSval: the newest clock value not after now whose low six bits hold the options
 * (the peer's window scale, 0xf for none; 0x10 for SACK-permitted), as measured. */
static uint32_t cookie_tsval(uint32_t clock, uint32_t opts)
{
    uint32_t v = (clock & ~63u) | opts;
    return v > clock ? v - 64u : v;
}

void sim_cookie_synack(sim_world *w, uint32_t c, const tcp_seg *seg)
{
    /* the SYN,ACK a request would get, from an endpoint that is dropped at once */
    tcp_config cfg = w->sc.tcp[TRACE_SERVER];
    cfg.isn = cfg.isn + (uint32_t)(w->now / 4u); /* the ISN clock of sim_world_new_ep */
    tcp_endpoint tmp;
    tcp_init(&tmp, &cfg, TRACE_SERVER, (trace_sink){NULL, NULL});
    tcp_open_from_listener(&tmp);
    tcp_input(&tmp, w->now, seg);
    tcp_seg out;
    if (tmp.state != TCP_SYN_RECEIVED || !tcp_output(&tmp, w->now, &out))
        return;
    sim_wcookie *k = &w->conn[c].cookie;
    bool again = k->valid && k->irs == seg->seq; /* the same SYN sent again */
    uint32_t before = k->iss;
    *k = (sim_wcookie){.iss = out.seq, .irs = seg->seq, .mss = cookie_mss(seg), .wscale = -1};
    k->iss_old = before;
    k->old_valid = again && before != out.seq;
    k->ts = out.has_ts;
    if (out.has_ts) {
        uint32_t opts = (tmp.wscale_ok ? tmp.snd_shift : 0xfu) | (tmp.sack_ok ? 0x10u : 0u);
        out.tsval = cookie_tsval(out.tsval, opts);
        k->wscale = tmp.wscale_ok ? (int8_t)tmp.snd_shift : -1;
        k->sack = tmp.sack_ok;
    } else {
        out.has_wscale = false; /* without timestamps the cookie has room for the MSS only */
        out.sack_perm = false;
    }
    k->valid = true;
    sim_world_note(w, c, TRACE_SERVER,
                   w->sc.syncookies == 2 ? "SYN cookie (tcp_syncookies=2): no request kept"
                                         : "SYN queue full: SYN cookie (tcp_syncookies=1)");
    sim_world_link_send(w, c, TRACE_SERVER, &out);
}

/* The SYN the cookie stands for, as the listener rebuilds it from the returning ACK. */
static tcp_seg cookie_syn(const sim_wcookie *k, const tcp_seg *ack)
{
    tcp_seg syn = {0};
    syn.flags = TCP_SYN;
    syn.seq = k->irs;
    syn.win_raw = ack->win_raw;
    syn.win = ack->win_raw;
    syn.has_mss = true;
    syn.mss = k->mss;
    syn.has_wscale = k->wscale >= 0;
    syn.wscale = (uint8_t)(k->wscale >= 0 ? k->wscale : 0);
    syn.sack_perm = k->sack;
    syn.has_ts = k->ts && ack->has_ts;
    syn.tsval = ack->tsval;
    return syn;
}

bool sim_cookie_ack(sim_world *w, uint32_t c, int32_t s, const tcp_seg *seg)
{
    sim_wconn *x = &w->conn[c];
    sim_wcookie *k = &x->cookie;
    bool ours = seg->ack == k->iss + 1 || (k->old_valid && seg->ack == k->iss_old + 1);
    if (!k->valid || s < 0 || !(seg->flags & TCP_ACK) || (seg->flags & (TCP_SYN | TCP_RST)) ||
        !ours || seg->seq != k->irs + 1)
        return false;
    sim_wsock *l = &w->sock[s];
    if (sim_world_acq_full(w, l)) {
        sim_world_note(w, c, TRACE_SERVER, "accept queue full: SYN cookie ACK dropped (Linux)");
        return true;
    }
    tcp_endpoint *ep = sim_world_new_ep(w, c, TRACE_SERVER);
    if (ep == NULL) {
        w->oom = true;
        return true;
    }
    /* the request the cookie stands for, built without a trace: the SYN in, the SYN,ACK out
     * (thrown away: it went out long ago), no timer, no RTT measurement of it */
    trace_sink sink = ep->sink;
    ep->sink = (trace_sink){NULL, NULL};
    ep->iss = ep->snd_una = ep->snd_nxt = ep->snd_max = seg->ack - 1; /* the cookie it returns */
    tcp_open_from_listener(ep);
    tcp_seg syn = cookie_syn(k, seg), synack;
    tcp_input(ep, w->now, &syn);
    while (tcp_output(ep, w->now, &synack)) {
    }
    tcp_timer_stop(ep, w->now);
    ep->rtt_timing = false;
    ep->segs_out = 0;
    ep->state = TCP_LISTEN;
    ep->sink = sink;
    k->valid = false;
    sim_world_note(w, c, TRACE_SERVER, "SYN cookie in the ACK: connection made from it");
    tcp_set_state(ep, w->now, TCP_SYN_RECEIVED, "valid SYN cookie (Linux cookie_v4_check)");
    x->listener = s;
    x->queue = SIM_Q_SYN; /* settle() moves it on to the accept queue */
    l->synq++;
    tcp_input(ep, w->now, seg);
    sim_world_touch(w, c, TRACE_SERVER);
    return true;
}
