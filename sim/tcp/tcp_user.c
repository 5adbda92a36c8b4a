/*
 * tcp_user.c - the calls an application makes on an endpoint: OPEN (active and passive), SEND,
 * RECEIVE, CLOSE (with shutdown as the half-close variant) and ABORT, as RFC 9293 3.10.1 - 3.10.5
 * specify them for each state.
 */
#include "tcp.h"

#include "tcp_seq.h"

/* RFC 9293 3.10.1 OPEN, passive: CLOSED -> LISTEN. */
int tcp_open_passive(tcp_endpoint *ep, uint64_t now)
{
    if (ep->state != TCP_CLOSED)
        return TCP_EEXISTS;
    ep->passive = true;
    ep->error = TCP_ERR_NONE;
    tcp_set_state(ep, now, TCP_LISTEN, "passive open");
    return TCP_EOK;
}

/* A connection's TCB made for a SYN that reached a listening socket (RFC 9293 3.10.7.2: the
 * LISTEN TCB is the one that goes to SYN-RECEIVED; a sockets stack gives each connection a copy
 * of the listener's).  It starts in LISTEN without a state change of its own: the listener went
 * to LISTEN at listen(), and this connection's first transition is LISTEN -> SYN-RECEIVED. */
void tcp_open_from_listener(tcp_endpoint *ep)
{
    ep->passive = true;
    ep->error = TCP_ERR_NONE;
    ep->state = TCP_LISTEN;
}

/* RFC 9293 3.10.1 OPEN, active: CLOSED (or LISTEN) -> SYN-SENT; the SYN leaves at the next
 * tcp_output (snd_nxt == iss means "SYN not yet sent"). */
int tcp_open_active(tcp_endpoint *ep, uint64_t now)
{
    if (ep->state != TCP_CLOSED && ep->state != TCP_LISTEN)
        return TCP_EEXISTS;
    ep->passive = false;
    ep->error = TCP_ERR_NONE;
    ep->snd_una = ep->snd_nxt = ep->snd_max = ep->iss;
    tcp_set_state(ep, now, TCP_SYN_SENT, "active open");
    return TCP_EOK;
}

uint64_t tcp_send_space(const tcp_endpoint *ep)
{
    uint64_t used = ep->snd_queued - ep->snd_acked;
    return used < ep->cfg.snd_buf ? ep->cfg.snd_buf - used : 0;
}

/* RFC 9293 3.10.2 SEND: queue in every state that will still send data. */
uint64_t tcp_send(tcp_endpoint *ep, uint64_t now, uint64_t bytes)
{
    (void)now;
    switch (ep->state) {
    case TCP_SYN_SENT:     /* queued until ESTABLISHED */
    case TCP_SYN_RECEIVED: /* queued until ESTABLISHED */
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        break;
    default: /* CLOSED, LISTEN (no active open here), and all closing states */
        return 0;
    }
    if (ep->fin_queued)
        return 0; /* "connection closing" */
    uint64_t space = tcp_send_space(ep);
    uint64_t take = bytes < space ? bytes : space;
    uint32_t start = tcp_data_end(ep);
    ep->snd_queued += take;
    tcp_wq_write(ep, start, (uint32_t)take); /* Linux's buffers and PSH marks (tcp_xmit.c) */
    return take;
}

uint32_t tcp_readable(const tcp_endpoint *ep)
{
    return ep->rcv_unread;
}

bool tcp_eof(const tcp_endpoint *ep)
{
    return ep->fin_rcvd && ep->rcv_unread == 0;
}

/* RFC 9293 3.10.3 RECEIVE; reading frees buffer space and may open the window. */
uint64_t tcp_recv(tcp_endpoint *ep, uint64_t now, uint64_t max)
{
    uint32_t take = max < ep->rcv_unread ? (uint32_t)max : ep->rcv_unread;
    if (take == 0)
        return 0;
    uint32_t cur = tcp_seq_gt(ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt : 0;
    tcp_rwnd_release(ep, take, ep->rcv_unread);
    ep->rcv_unread -= take;
    if (ep->cfg.quickack && ep->cfg.delack) {
        /* Linux's tcp_cleanup_rbuf decides (tcp_delack.c) */
        if (tcp_synchronized(ep->state))
            tcp_ack_on_read(ep, now, take, cur);
        return take;
    }
    if (tcp_synchronized(ep->state) && !ep->fin_rcvd && cur < ep->smss) {
        /* RFC 1122 4.2.3.3: announce a window that opened from (nearly) closed at once */
        if (tcp_rcv_window(ep, false) > cur) {
            ep->ack_now = true;
            ep->ack_tags |= TCP_TAG_WINDOW_UPDATE;
        }
    }
    return take;
}

static int start_close(tcp_endpoint *ep, uint64_t now, bool full, const char *why)
{
    switch (ep->state) {
    case TCP_CLOSED:
        return TCP_ENOTCONN;
    case TCP_LISTEN: /* 3.10.4: any outstanding RECEIVEs return "closing"; delete TCB */
    case TCP_SYN_SENT:
        tcp_clear_timers(ep, now);
        tcp_set_state(ep, now, TCP_CLOSED, why);
        return TCP_EOK;
    case TCP_SYN_RECEIVED:
        /* 3.10.4: with no data queued, send FIN and enter FIN-WAIT-1; we always queue the FIN
         * behind any data, which the output path sends once ESTABLISHED. */
        ep->fin_queued = true;
        ep->user_closed = full;
        tcp_set_state(ep, now, TCP_FIN_WAIT_1, why);
        return TCP_EOK;
    case TCP_ESTABLISHED:
        /* 3.10.4: queue until all preceding SENDs are segmentized, then send FIN; in any case
         * enter FIN-WAIT-1 */
        ep->fin_queued = true;
        ep->user_closed = full;
        tcp_set_state(ep, now, TCP_FIN_WAIT_1, why);
        return TCP_EOK;
    case TCP_CLOSE_WAIT:
        /* 3.10.4: queue until all preceding SENDs are segmentized, then send FIN, enter
         * LAST-ACK */
        ep->fin_queued = true;
        ep->user_closed = full;
        tcp_set_state(ep, now, TCP_LAST_ACK, why);
        return TCP_EOK;
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
        if (full)
            ep->user_closed = true; /* close() after shutdown(): stop reading */
        return TCP_EOK;
    default: /* CLOSING, LAST-ACK, TIME-WAIT: "connection closing" */
        return TCP_ECLOSING;
    }
}

int tcp_shutdown(tcp_endpoint *ep, uint64_t now)
{
    return start_close(ep, now, false, "app shutdown");
}

static void send_rst(tcp_endpoint *ep, uint64_t now)
{
    tcp_seg rst = {0};
    rst.seq = ep->snd_max; /* 3.10.5: <SEQ=SND.NXT><CTL=RST>, SND.MAX after a go-back */
    rst.flags = TCP_RST;
    tcp_ts_put(ep, now, &rst); /* a connection's own RST carries its timestamps (Linux) */
    tcp_queue_ctl(ep, &rst);
}

int tcp_close(tcp_endpoint *ep, uint64_t now)
{
    /* RFC 1122 4.2.2.13: closing while received data is unread loses it: send RST */
    if (ep->rcv_unread > 0 && tcp_synchronized(ep->state) && ep->state != TCP_TIME_WAIT) {
        tcp_emit_note(ep, now, "close() with unread data: reset (RFC 1122 4.2.2.13)");
        tcp_abort(ep, now);
        return TCP_EOK;
    }
    return start_close(ep, now, true, "app close");
}

/* RFC 9293 3.10.5 ABORT. */
void tcp_abort(tcp_endpoint *ep, uint64_t now)
{
    switch (ep->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        send_rst(ep, now);
        break;
    default: /* LISTEN, SYN-SENT, CLOSING, LAST-ACK, TIME-WAIT: just delete the TCB */
        break;
    }
    tcp_clear_timers(ep, now);
    ep->error = TCP_ERR_ABORTED;
    ep->ack_now = false;
    ep->fin_queued = false;
    tcp_set_state(ep, now, TCP_CLOSED, "app abort");
}
