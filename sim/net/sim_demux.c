/*
 * sim_demux.c - segments and datagrams arriving in the world of hosts (sim_sock.h): each finds
 * the endpoint of its tuple; a SYN without one finds a listener and its SYN and accept queues
 * (Linux's rules with profile linux, docs/scenario-language.md; SYN cookies in sim_cookie.c), a
 * SYN for a tuple in TIME-WAIT meets RFC 6191, and a segment for a tuple without an endpoint
 * (unless it returns a SYN cookie) the CLOSED rules of RFC 9293 3.10.7.1 (a RST).
 */
#include <stdlib.h>
#include <string.h>

#include "sim_sock.h"
#include "tcp_seq.h"

/* ---- listeners --------------------------------------------------------------------------- */

int sim_world_acq_push(sim_wsock *l, uint32_t c)
{
    if (l->acq_n == l->acq_cap) {
        uint32_t ncap = l->acq_cap ? l->acq_cap * 2 : 8;
        uint32_t *p = malloc(ncap * sizeof *p);
        if (p == NULL)
            return -1;
        for (uint32_t i = 0; i < l->acq_n; i++)
            p[i] = l->acq[(l->acq_head + i) % l->acq_cap];
        free(l->acq);
        l->acq = p;
        l->acq_cap = ncap;
        l->acq_head = 0;
    }
    l->acq[(l->acq_head + l->acq_n++) % l->acq_cap] = c;
    return 0;
}

int32_t sim_world_accept(sim_world *w, int32_t s)
{
    sim_wsock *l = &w->sock[s];
    while (l->acq_n > 0) {
        uint32_t c = l->acq[l->acq_head];
        l->acq_head = (l->acq_head + 1) % l->acq_cap;
        l->acq_n--;
        sim_wconn *x = &w->conn[c];
        x->queue = SIM_Q_NONE;
        x->listener = -1;
        return (int32_t)c; /* a connection reset while queued is accepted too (reads fail) */
    }
    return -1;
}

void sim_world_drop_queue(sim_world *w, int32_t s)
{
    for (uint32_t c = 0; c < w->n_conn; c++) {
        sim_wconn *x = &w->conn[c];
        if (x->listener != s)
            continue;
        tcp_endpoint *ep = sim_world_ep(w, c, TRACE_SERVER);
        if (ep) {
            tcp_abort(ep, w->now);
            sim_world_touch(w, c, TRACE_SERVER);
        }
        x->listener = -1;
        x->queue = SIM_Q_NONE;
    }
    w->sock[s].acq_n = 0;
    w->sock[s].synq = 0;
}

bool sim_world_acq_full(const sim_world *w, const sim_wsock *l)
{
    return w->sc.listen_linux ? l->acq_n > l->backlog : l->acq_n + l->synq >= l->backlog;
}

enum verdict { TAKE, COOKIE, DROP };

/* What listener l does with a SYN.  Linux (measured on 6.18; tcp_conn_request): a full accept
 * queue (more than `backlog`) drops it, cookies or not; a full SYN queue (more than `backlog`
 * requests: listen(0) takes one, listen(1) two) answers it with a SYN cookie, or drops it with
 * syncookies 0; syncookies 2 answers every SYN with a cookie.  The rfc profile lets at most
 * `backlog` connections wait in both queues together and drops the rest. */
static enum verdict listener_verdict(sim_world *w, uint32_t c, const sim_wsock *l)
{
    if (!w->sc.listen_linux) {
        if (l->acq_n + l->synq < l->backlog)
            return TAKE;
        sim_world_note(w, c, TRACE_SERVER, "listen queue full: SYN dropped (backlog)");
        return DROP;
    }
    if (sim_world_acq_full(w, l)) {
        sim_world_note(w, c, TRACE_SERVER,
                       "accept queue full: SYN dropped (Linux tcp_conn_request)");
        return DROP;
    }
    bool synq_full = l->synq > l->backlog;
    if (w->sc.syncookies == 2 || (synq_full && w->sc.syncookies == 1))
        return COOKIE;
    if (!synq_full)
        return TAKE;
    sim_world_note(w, c, TRACE_SERVER, "SYN queue full: SYN dropped (tcp_syncookies=0)");
    return DROP;
}

/* A SYN to server side of c without an endpoint there. */
static void syn_to_listener(sim_world *w, uint32_t c, const tcp_seg *seg)
{
    sim_wconn *x = &w->conn[c];
    int32_t s = sim_sock_find(w, x->host[1], x->port[1], false);
    if (s < 0) {
        sim_world_closed_reply(w, c, TRACE_SERVER, seg); /* nobody listens: RST (3.10.7.1) */
        return;
    }
    sim_wsock *l = &w->sock[s];
    enum verdict v = listener_verdict(w, c, l);
    if (v == COOKIE)
        sim_cookie_synack(w, c, seg);
    if (v != TAKE)
        return;
    tcp_endpoint *ep = sim_world_new_ep(w, c, TRACE_SERVER);
    if (ep == NULL) {
        w->oom = true;
        return;
    }
    tcp_open_from_listener(ep);
    tcp_input(ep, w->now, seg);
    x->listener = s;
    x->queue = SIM_Q_SYN;
    l->synq++;
    sim_world_touch(w, c, TRACE_SERVER);
}

/* RFC 6191 (and RFC 9293 3.10.7.4's TIME-WAIT note): a SYN for the tuple of a connection in
 * TIME-WAIT may open a new one when it cannot be confused with the old: its timestamp is newer
 * than TS.Recent, or (without timestamps) its ISN is beyond the old RCV.NXT. */
static bool tw_accepts(const tcp_endpoint *ep, const tcp_seg *seg)
{
    if (ep->ts_ok && seg->has_ts)
        return tcp_seq_gt(seg->tsval, ep->ts_recent);
    return tcp_seq_gt(seg->seq, ep->rcv_nxt);
}

/* The final ACK of a handshake meets a full accept queue (Linux tcp_check_req): ignored (the
 * SYN,ACK is sent again on its timer) or, with tcp_abort_on_overflow, answered with a RST and the
 * request deleted. */
static bool overflow_blocks_ack(sim_world *w, uint32_t t, const tcp_seg *seg)
{
    sim_wconn *x = &w->conn[t];
    tcp_endpoint *ep = sim_world_ep(w, t, TRACE_SERVER);
    if (!w->sc.listen_linux || x->queue != SIM_Q_SYN || x->listener < 0 ||
        ep->state != TCP_SYN_RECEIVED || !(seg->flags & TCP_ACK) ||
        (seg->flags & (TCP_SYN | TCP_RST)) || !sim_world_acq_full(w, &w->sock[x->listener]))
        return false;
    if (w->sc.abort_on_overflow) {
        /* measured: the reset of the request, <SEQ=SEG.ACK><CTL=RST>, without options (no
         * timestamps: not the connection's own RST) */
        sim_world_note(w, t, TRACE_SERVER, "accept queue full: RST (tcp_abort_on_overflow)");
        tcp_clear_timers(ep, w->now);
        ep->error = TCP_ERR_ABORTED;
        tcp_set_state(ep, w->now, TCP_CLOSED, "request reset: accept queue full");
        sim_world_closed_reply(w, t, TRACE_SERVER, seg);
        sim_world_touch(w, t, TRACE_SERVER);
        return true;
    }
    sim_world_note(w, t, TRACE_SERVER,
                   "accept queue full: last ACK of the handshake ignored (Linux)");
    return true;
}

static void arrive_server(sim_world *w, uint32_t c, const tcp_seg *seg)
{
    int32_t t = sim_world_find_ep(w, c, TRACE_SERVER);
    bool syn = (seg->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN;
    if (t >= 0 && (uint32_t)t != c && syn) {
        tcp_endpoint *old = sim_world_ep(w, (uint32_t)t, TRACE_SERVER);
        if (old->state == TCP_TIME_WAIT && tw_accepts(old, seg)) {
            sim_world_note(w, (uint32_t)t, TRACE_SERVER,
                           "new SYN beyond the old connection: TIME-WAIT ends (RFC 6191)");
            tcp_clear_timers(old, w->now);
            tcp_set_state(old, w->now, TCP_CLOSED, "new SYN for the tuple (RFC 6191)");
            sim_world_free_ep(w, (uint32_t)t, TRACE_SERVER);
            t = -1;
        }
    }
    if (t < 0) {
        sim_wconn *x = &w->conn[c];
        if (syn)
            syn_to_listener(w, c, seg);
        else if (!x->cookie.valid ||
                 !sim_cookie_ack(w, c, sim_sock_find(w, x->host[1], x->port[1], false), seg))
            sim_world_closed_reply(w, c, TRACE_SERVER, seg);
        return;
    }
    if (overflow_blocks_ack(w, (uint32_t)t, seg))
        return;
    tcp_input(sim_world_ep(w, (uint32_t)t, TRACE_SERVER), w->now, seg);
    sim_world_touch(w, (uint32_t)t, TRACE_SERVER);
}

static void arrive_dgram(sim_world *w, uint32_t c, uint8_t to, const tcp_seg *seg)
{
    sim_wconn *x = &w->conn[c];
    int32_t s = x->sock[to];
    if (s < 0 || w->sock[s].closed)
        s = sim_sock_find(w, x->host[to], x->port[to], true);
    if (s < 0) {
        sim_world_note(w, c, to, "no socket on the port: datagram discarded");
        return;
    }
    x->sock[to] = s;
    sim_wsock *so = &w->sock[s];
    if (so->dq_n == so->dq_cap) {
        uint32_t ncap = so->dq_cap ? so->dq_cap * 2 : 8;
        sim_dgram *p = malloc(ncap * sizeof *p);
        if (p == NULL) {
            w->oom = true;
            return;
        }
        for (uint32_t i = 0; i < so->dq_n; i++)
            p[i] = so->dq[(so->dq_head + i) % so->dq_cap];
        free(so->dq);
        so->dq = p;
        so->dq_cap = ncap;
        so->dq_head = 0;
    }
    so->dq[(so->dq_head + so->dq_n++) % so->dq_cap] =
        (sim_dgram){c, (uint8_t)(1 - to), seg->seq, seg->len};
}

void sim_world_arrive(sim_world *w, const sim_event *ev)
{
    uint32_t c = ev->index;
    if (trace_sink_on(&w->sink)) /* the check inline: this runs for every arrival */
        sim_world_emit_seg(w, c, TRACE_RECV, ev->to, ev->id, &ev->seg, NULL);
    w->stats.delivered++;
    if (w->conn[c].udp) {
        arrive_dgram(w, c, ev->to, &ev->seg);
        return;
    }
    if (ev->to == TRACE_SERVER) {
        arrive_server(w, c, &ev->seg);
        return;
    }
    int32_t t = sim_world_find_ep(w, c, TRACE_CLIENT);
    if (t < 0) {
        sim_world_closed_reply(w, c, TRACE_CLIENT,
                               &ev->seg); /* e.g. the SYN,ACK after close in SYN-SENT */
        return;
    }
    tcp_input(sim_world_ep(w, (uint32_t)t, TRACE_CLIENT), w->now, &ev->seg);
    sim_world_touch(w, (uint32_t)t, TRACE_CLIENT);
}
