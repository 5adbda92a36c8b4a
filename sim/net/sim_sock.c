/*
 * sim_sock.c - the socket API of scenarios with hosts (sim_sock.h): socket, bind, listen,
 * accept, connect, write/send, read/recv, shutdown, close, abort, nonblock, poll, sendto and
 * recvfrom, each with the value it returns (a count, 0, or -errno as Linux numbers them), and
 * the blocking of each host's program: a call that cannot complete blocks the host (its later
 * actions wait) until it can, unless its socket is non-blocking.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "sim_sock.h"

/* ---- sockets ------------------------------------------------------------------------------ */

static int32_t new_sock(sim_world *w, uint8_t host, uint8_t name)
{
    if (w->n_sock == w->cap_sock) {
        uint32_t ncap = w->cap_sock ? w->cap_sock * 2 : 16;
        sim_wsock *p = realloc(w->sock, ncap * sizeof *p);
        if (p == NULL) {
            w->oom = true;
            return -1;
        }
        w->sock = p;
        w->cap_sock = ncap;
    }
    int32_t s = (int32_t)w->n_sock++;
    sim_wsock *so = &w->sock[s];
    memset(so, 0, sizeof *so);
    so->host = host;
    so->name = name;
    so->role = w->host[host].role;
    so->conn = -1;
    so->fd = w->host[host].next_fd++;
    w->host[host].names[name] = s;
    return s;
}

int32_t sim_sock_find(const sim_world *w, uint8_t host, uint16_t port, bool dgram)
{
    for (uint32_t s = 0; s < w->n_sock; s++) {
        const sim_wsock *so = &w->sock[s];
        if (so->host == host && so->port == port && !so->closed && so->dgram == dgram &&
            (dgram || so->listening))
            return (int32_t)s;
    }
    return -1;
}

static bool port_used(const sim_world *w, uint8_t host, uint16_t port)
{
    for (uint32_t s = 0; s < w->n_sock; s++)
        if (w->sock[s].host == host && w->sock[s].port == port && !w->sock[s].closed)
            return true;
    return false;
}

/* An ephemeral port (sequential in the range; Linux starts from a hashed offset). */
static uint16_t pick_port(sim_world *w, uint8_t host)
{
    sim_whost *h = &w->host[host];
    uint32_t span = (uint32_t)w->sc.port_hi - w->sc.port_lo + 1u;
    for (uint32_t k = 0; k < span; k++) {
        uint16_t p = h->next_port;
        h->next_port = p >= w->sc.port_hi ? w->sc.port_lo : (uint16_t)(p + 1);
        if (!port_used(w, host, p))
            return p;
    }
    return 0;
}

/* ---- trace ------------------------------------------------------------------------------- */

static void emit_call(sim_world *w, int32_t s, const sim_action *a, uint8_t phase, int64_t ret,
                      uint64_t bytes, const char *text)
{
    if (!trace_sink_on(&w->sink))
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = w->now;
    ev.kind = TRACE_APP;
    ev.u.app.call = a->call;
    ev.u.app.bytes = bytes;
    ev.u.app.has_ret = true;
    ev.u.app.phase = phase;
    ev.u.app.ret = ret;
    ev.u.app.blocked = phase == TRACE_CALL_BLOCKS;
    snprintf(ev.u.app.sock, sizeof ev.u.app.sock, "%s", w->sc.sock_names[a->sock]);
    snprintf(ev.u.app.host, sizeof ev.u.app.host, "%s", w->sc.hosts[a->ep].name);
    uint32_t c = UINT32_MAX;
    ev.ep = w->host[a->ep].role;
    if (s >= 0) {
        const sim_wsock *so = &w->sock[s];
        ev.ep = so->listening ? TRACE_SERVER : so->role;
        if (so->conn >= 0)
            c = (uint32_t)so->conn;
    }
    if (text && *text)
        trace_set_text(&ev, "%s", text);
    sim_world_emit(w, c, &ev);
}

/* ---- the calls ----------------------------------------------------------------------------- */

typedef struct call_ctx {
    sim_world *w;
    const sim_action *a;
    uint8_t host;
    int32_t s;  /* the socket, -1 if the name is not open */
    bool first; /* the call is being made (not retried after blocking) */
    int64_t ret;
    uint64_t bytes;
    char text[SIM_TEXT_MAX];
} call_ctx;

static tcp_endpoint *sock_ep(call_ctx *x)
{
    const sim_wsock *so = &x->w->sock[x->s];
    return so->conn >= 0 && !so->dgram ? sim_world_ep(x->w, (uint32_t)so->conn, so->role) : NULL;
}

/* What a call on a connection whose endpoint is gone returns. */
static int64_t gone_ret(call_ctx *x, int64_t otherwise)
{
    const sim_wsock *so = &x->w->sock[x->s];
    if (so->conn < 0)
        return -TRACE_ENOTCONN;
    switch (x->w->conn[so->conn].err[so->role]) {
    case TCP_ERR_RESET:
        return -TRACE_ECONNRESET;
    case TCP_ERR_REFUSED:
        return -TRACE_ECONNREFUSED;
    case TCP_ERR_TIMEOUT:
        return -TRACE_ETIMEDOUT;
    default:
        return otherwise;
    }
}

static bool do_connect(call_ctx *x)
{
    sim_world *w = x->w;
    sim_wsock *so = &w->sock[x->s];
    if (x->first) {
        if (so->dgram || so->listening) {
            x->ret = -TRACE_EINVAL;
            return true;
        }
        if (so->conn >= 0) {
            tcp_endpoint *ep = sock_ep(x);
            x->ret = ep && ep->state == TCP_SYN_SENT ? -TRACE_EALREADY : -TRACE_EISCONN;
            return true;
        }
        if (so->port == 0 && (so->port = pick_port(w, so->host)) == 0) {
            x->ret = -TRACE_EADDRINUSE;
            return true;
        }
        int32_t c = sim_world_open(w, x->s, x->a->peer_host, x->a->port, false);
        tcp_endpoint *ep = c >= 0 ? sim_world_new_ep(w, (uint32_t)c, TRACE_CLIENT) : NULL;
        if (ep == NULL) {
            w->oom = true;
            x->ret = -TRACE_EINVAL;
            return true;
        }
        so->conn = c;
        so->role = TRACE_CLIENT;
        (void)tcp_open_active(ep, w->now);
        sim_world_touch(w, (uint32_t)c, TRACE_CLIENT);
        if (so->nonblock) {
            x->ret = -TRACE_EINPROGRESS;
            return true;
        }
        return false;
    }
    tcp_endpoint *ep = sock_ep(x);
    if (ep && (ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RECEIVED))
        return false;
    x->ret = ep ? 0 : gone_ret(x, -TRACE_ECONNREFUSED);
    return true;
}

static bool do_write(call_ctx *x)
{
    sim_world *w = x->w;
    sim_wsock *so = &w->sock[x->s];
    sim_whost *h = &w->host[x->host];
    uint64_t n = x->a->bytes;
    x->bytes = n;
    snprintf(x->text, sizeof x->text, "%s", x->a->text);
    tcp_endpoint *ep = sock_ep(x);
    if (ep == NULL || ep->fin_queued ||
        !(ep->state == TCP_ESTABLISHED || ep->state == TCP_CLOSE_WAIT ||
          ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RECEIVED)) {
        x->ret = ep || (so->conn >= 0 && w->conn[so->conn].gone[so->role])
                     ? gone_ret(x, -TRACE_EPIPE)
                     : -TRACE_ENOTCONN;
        h->pending = 0;
        return true;
    }
    if (x->first) {
        if (x->a->text[0])
            sim_world_log_text(w, (uint32_t)so->conn, so->role, so->written, x->a->text);
        uint64_t took = tcp_send(ep, w->now, n);
        so->written += took;
        sim_world_touch(w, (uint32_t)so->conn, so->role);
        if (took == n) {
            x->ret = (int64_t)n;
            return true;
        }
        if (so->nonblock) { /* a non-blocking write takes what fits */
            x->ret = took ? (int64_t)took : -TRACE_EAGAIN;
            return true;
        }
        h->pending = n - took;
        return false;
    }
    uint64_t took = tcp_send(ep, w->now, h->pending);
    so->written += took;
    h->pending -= took;
    if (took)
        sim_world_touch(w, (uint32_t)so->conn, so->role);
    if (h->pending > 0)
        return false;
    x->ret = (int64_t)n;
    return true;
}

static bool do_read(call_ctx *x)
{
    sim_world *w = x->w;
    sim_wsock *so = &w->sock[x->s];
    tcp_endpoint *ep = sock_ep(x);
    if (ep && tcp_readable(ep) > 0) {
        uint64_t off = so->read;
        uint64_t got = tcp_recv(ep, w->now, x->a->bytes ? x->a->bytes : UINT64_MAX);
        so->read += got;
        sim_world_preview(w, (uint32_t)so->conn, (uint8_t)(1 - so->role), off, got, x->text,
                          sizeof x->text);
        sim_world_touch(w, (uint32_t)so->conn, so->role);
        x->bytes = got;
        x->ret = (int64_t)got;
        return true;
    }
    if (ep == NULL || tcp_eof(ep)) {
        x->ret = ep ? 0 : gone_ret(x, 0);
        if (x->ret == 0)
            snprintf(x->text, sizeof x->text, "end of file");
        return true;
    }
    if (so->nonblock) {
        x->ret = -TRACE_EAGAIN;
        return true;
    }
    return false;
}

static bool do_recvfrom(call_ctx *x)
{
    sim_world *w = x->w;
    sim_wsock *so = &w->sock[x->s];
    if (so->dq_n > 0) {
        sim_dgram d = so->dq[so->dq_head];
        so->dq_head = (so->dq_head + 1) % so->dq_cap;
        so->dq_n--;
        so->read += d.len;
        so->conn = (int32_t)d.conn;
        so->role = (uint8_t)(1 - d.from);
        sim_world_preview(w, d.conn, d.from, d.off, d.len, x->text, sizeof x->text);
        x->bytes = d.len;
        x->ret = d.len; /* one datagram, whatever the size asked (boundaries are kept) */
        return true;
    }
    if (so->nonblock) {
        x->ret = -TRACE_EAGAIN;
        return true;
    }
    return false;
}

static bool do_sendto(call_ctx *x)
{
    sim_world *w = x->w;
    sim_wsock *so = &w->sock[x->s];
    if (!so->dgram) {
        x->ret = -TRACE_EINVAL;
        return true;
    }
    if (so->port == 0 && (so->port = pick_port(w, so->host)) == 0) {
        x->ret = -TRACE_EADDRINUSE;
        return true;
    }
    uint8_t side = 0;
    int32_t c = sim_world_flow(w, x->s, x->a->peer_host, x->a->port, &side);
    if (c < 0) {
        w->oom = true;
        x->ret = -TRACE_EINVAL;
        return true;
    }
    so->conn = c;
    so->role = side;
    if (x->a->text[0])
        sim_world_log_text(w, (uint32_t)c, side, w->conn[c].dgram_off[side], x->a->text);
    snprintf(x->text, sizeof x->text, "%s", x->a->text);
    sim_world_dgram(w, (uint32_t)c, side, x->a->bytes);
    so->written += x->a->bytes;
    x->bytes = x->a->bytes;
    x->ret = (int64_t)x->a->bytes;
    return true;
}

static bool do_accept(call_ctx *x)
{
    sim_world *w = x->w;
    sim_wsock *l = &w->sock[x->s];
    if (!l->listening) {
        x->ret = -TRACE_EINVAL;
        return true;
    }
    int32_t c = sim_world_accept(w, x->s);
    if (c < 0) {
        if (l->nonblock) {
            x->ret = -TRACE_EAGAIN;
            return true;
        }
        return false;
    }
    uint16_t port = l->port;
    int32_t n = new_sock(w, x->host, x->a->sock2);
    if (n < 0) {
        x->ret = -TRACE_EINVAL;
        return true;
    }
    sim_wsock *so = &w->sock[n];
    so->conn = c;
    so->role = TRACE_SERVER;
    so->port = port;
    so->auto_read = w->sock[x->s].auto_read;
    w->conn[c].sock[TRACE_SERVER] = n;
    x->ret = so->fd;
    snprintf(x->text, sizeof x->text, "%s", w->sc.sock_names[x->a->sock2]);
    return true;
}

static bool do_poll(call_ctx *x)
{
    sim_world *w = x->w;
    sim_wsock *so = &w->sock[x->s];
    tcp_endpoint *ep = sock_ep(x);
    bool gone = !so->dgram && so->conn >= 0 && ep == NULL;
    bool ready = false;
    switch (x->a->opt) {
    case SIM_POLL_READABLE:
        ready = so->listening ? so->acq_n > 0
                : so->dgram   ? so->dq_n > 0
                              : gone || (ep && (tcp_readable(ep) > 0 || tcp_eof(ep)));
        break;
    case SIM_POLL_WRITABLE:
        ready = so->dgram || gone ||
                (ep && (ep->state == TCP_ESTABLISHED || ep->state == TCP_CLOSE_WAIT) &&
                 tcp_send_space(ep) > 0);
        break;
    case SIM_POLL_CONNECTED:
        ready = gone || (ep && ep->state != TCP_SYN_SENT && ep->state != TCP_SYN_RECEIVED);
        break;
    case SIM_POLL_ACCEPT:
        ready = so->acq_n > 0;
        break;
    default:
        break;
    }
    x->ret = 1;
    return ready;
}

/* Closes socket s (close or abort). */
static void close_sock(call_ctx *x, bool abort)
{
    sim_world *w = x->w;
    sim_wsock *so = &w->sock[x->s];
    tcp_endpoint *ep = sock_ep(x);
    if (so->listening)
        sim_world_drop_queue(w, x->s);
    if (ep) {
        if (abort)
            tcp_abort(ep, w->now);
        else
            (void)tcp_close(ep, w->now); /* SYN-SENT: deleted, nothing sent (RFC 9293 3.10.4) */
        sim_world_touch(w, (uint32_t)so->conn, so->role);
    }
    if (so->conn >= 0 && w->conn[so->conn].sock[so->role] == x->s)
        w->conn[so->conn].sock[so->role] = -1;
    so->closed = true;
    w->host[x->host].names[x->a->sock] = -1;
    x->ret = 0;
}

/* Tries the call; true when it completes (x->ret set), false when it would block. */
static bool attempt(call_ctx *x)
{
    sim_world *w = x->w;
    const sim_action *a = x->a;
    if (a->call == TCP_CALL_SOCKET) {
        x->s = new_sock(w, x->host, a->sock);
        if (x->s >= 0)
            w->sock[x->s].dgram = a->opt == SIM_SOCK_DGRAM;
        x->ret = x->s >= 0 ? w->sock[x->s].fd : -TRACE_EINVAL;
        return true;
    }
    if (x->s < 0) {
        x->ret = -TRACE_EBADF;
        return true;
    }
    sim_wsock *so = &w->sock[x->s];
    switch ((tcp_call)a->call) {
    case TCP_CALL_BIND:
        x->ret = so->port                                    ? -TRACE_EINVAL
                 : port_used(w, x->host, (uint16_t)a->bytes) ? -TRACE_EADDRINUSE
                                                             : 0;
        if (x->ret == 0)
            so->port = (uint16_t)a->bytes;
        return true;
    case TCP_CALL_LISTEN:
        if (so->dgram || so->conn >= 0) {
            x->ret = -TRACE_EINVAL;
            return true;
        }
        if (so->port == 0)
            so->port = pick_port(w, x->host);
        so->listening = true;
        so->role = TRACE_SERVER;
        so->backlog = (uint32_t)a->bytes;
        x->bytes = a->bytes;
        x->ret = 0;
        return true;
    case TCP_CALL_ACCEPT:
        return do_accept(x);
    case TCP_CALL_CONNECT:
        return do_connect(x);
    case TCP_CALL_WRITE:
        return do_write(x);
    case TCP_CALL_READ:
        return so->dgram ? do_recvfrom(x) : do_read(x);
    case TCP_CALL_RECVFROM:
        return so->dgram ? do_recvfrom(x) : do_read(x);
    case TCP_CALL_SENDTO:
        return do_sendto(x);
    case TCP_CALL_SHUTDOWN: {
        tcp_endpoint *ep = sock_ep(x);
        x->ret = ep && tcp_shutdown(ep, w->now) == 0 ? 0 : -TRACE_ENOTCONN;
        if (ep)
            sim_world_touch(w, (uint32_t)so->conn, so->role);
        return true;
    }
    case TCP_CALL_CLOSE:
    case TCP_CALL_ABORT:
        close_sock(x, a->call == TCP_CALL_ABORT);
        return true;
    case TCP_CALL_NONBLOCK:
        so->nonblock = true;
        x->ret = 0;
        return true;
    case TCP_CALL_POLL:
        return do_poll(x);
    default:
        x->ret = -TRACE_EINVAL;
        return true;
    }
}

/* Makes (first) or retries the call of action `index`; true when it completed. */
static bool run_call(sim_world *w, uint32_t index, bool first)
{
    const sim_action *a = &w->sc.actions[index];
    call_ctx x;
    memset(&x, 0, sizeof x);
    x.w = w;
    x.a = a;
    x.host = a->ep;
    x.s = w->host[a->ep].names[a->sock];
    x.first = first;
    if (attempt(&x)) {
        emit_call(w, x.s, a, first ? TRACE_CALL_DONE : TRACE_CALL_RETURNS, x.ret, x.bytes, x.text);
        return true;
    }
    if (first)
        emit_call(w, x.s, a, TRACE_CALL_BLOCKS, 0, a->call == TCP_CALL_WRITE ? a->bytes : 0,
                  a->call == TCP_CALL_WRITE ? a->text : NULL);
    return false;
}

/* Runs the host's waiting actions in order until one blocks. */
static void run_waiting(sim_world *w, uint8_t h)
{
    sim_whost *ho = &w->host[h];
    uint32_t k = 0;
    while (k < ho->n_waiting && !ho->blocked) {
        uint32_t idx = ho->waiting[k++];
        if (!run_call(w, idx, true)) {
            ho->blocked = true;
            ho->blocked_on = idx;
        }
    }
    memmove(ho->waiting, ho->waiting + k, (ho->n_waiting - k) * sizeof ho->waiting[0]);
    ho->n_waiting -= k;
}

void sim_sock_action(sim_world *w, uint32_t index)
{
    uint8_t h = w->sc.actions[index].ep;
    sim_whost *ho = &w->host[h];
    if (ho->blocked) {
        if (ho->n_waiting < SIM_MAX_ACTIONS)
            ho->waiting[ho->n_waiting++] = index;
        return;
    }
    if (!run_call(w, index, true)) {
        ho->blocked = true;
        ho->blocked_on = index;
    }
}

bool sim_sock_react(sim_world *w)
{
    bool progress = false;
    for (uint8_t h = 0; h < w->sc.n_hosts; h++) {
        sim_whost *ho = &w->host[h];
        if (!ho->blocked || !run_call(w, ho->blocked_on, false))
            continue;
        ho->blocked = false;
        run_waiting(w, h);
        progress = true;
    }
    return progress;
}

void sim_sock_auto(sim_world *w, uint32_t c, uint8_t side)
{
    int32_t s = w->conn[c].sock[side];
    sim_wsock *so = &w->sock[s];
    tcp_endpoint *ep = sim_world_ep(w, c, side);
    if (ep == NULL || so->closed)
        return;
    if (so->auto_write) {
        uint64_t took = tcp_send(ep, w->now, so->auto_write);
        so->auto_write -= took;
        so->written += took;
        if (so->auto_write == 0) {
            (void)tcp_close(ep, w->now);
            so->closed = true;
        }
    }
    if (so->auto_read) {
        so->read += tcp_recv(ep, w->now, UINT64_MAX);
        if (tcp_eof(ep)) {
            (void)tcp_close(ep, w->now);
            so->closed = true;
        }
    }
}

/* ---- many connections without a program (bench/sock_bench.c) ------------------------------ */

int32_t sim_sock_listen_auto(sim_world *w, uint8_t host, uint16_t port, uint32_t backlog)
{
    int32_t l = new_sock(w, host, 0);
    if (l < 0)
        return -1;
    sim_wsock *so = &w->sock[l];
    so->port = port;
    so->listening = true;
    so->role = TRACE_SERVER;
    so->backlog = backlog;
    so->auto_read = true;
    return l;
}

int32_t sim_sock_connect_auto(sim_world *w, uint8_t host, uint8_t peer, uint16_t port,
                              uint64_t bytes)
{
    int32_t s = new_sock(w, host, 0);
    if (s < 0)
        return -1;
    sim_wsock *so = &w->sock[s];
    so->role = TRACE_CLIENT;
    so->auto_write = bytes;
    if ((so->port = pick_port(w, host)) == 0)
        return -1;
    int32_t c = sim_world_open(w, s, peer, port, false);
    tcp_endpoint *ep = c >= 0 ? sim_world_new_ep(w, (uint32_t)c, TRACE_CLIENT) : NULL;
    if (ep == NULL)
        return -1;
    so->conn = c;
    (void)tcp_open_active(ep, w->now);
    sim_world_touch(w, (uint32_t)c, TRACE_CLIENT);
    return s;
}

void sim_sock_auto_accept(sim_world *w, int32_t listener)
{
    int32_t c;
    while ((c = sim_world_accept(w, listener)) >= 0) {
        sim_wsock *l = &w->sock[listener];
        uint8_t host = l->host;
        uint16_t port = l->port;
        int32_t n = new_sock(w, host, 0);
        if (n < 0)
            return;
        sim_wsock *so = &w->sock[n];
        so->conn = c;
        so->role = TRACE_SERVER;
        so->port = port;
        so->auto_read = true;
        w->conn[c].sock[TRACE_SERVER] = n;
        sim_world_touch(w, (uint32_t)c, TRACE_SERVER);
    }
}
