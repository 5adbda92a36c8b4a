/*
 * sim_world.c - the simulator of scenarios with hosts (sim_sock.h): the main loop, the
 * connections and their endpoints (found by tuple), what happens after an endpoint was used
 * (draining its output, moving it between a listener's queues, deleting it at CLOSED) and the
 * timers as heap events.  The link is sim_wlink.c, the arrivals sim_demux.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_tcbrec.h"
#include "sim_sock.h"
#include "tcp_seq.h"

/* ---- trace ------------------------------------------------------------------------------ */

void sim_world_emit(sim_world *w, uint32_t c, trace_event *ev)
{
    ev->conn = c == UINT32_MAX ? 0 : c + 1;
    if (w->holding && w->n_held < sizeof w->held / sizeof w->held[0]) {
        w->held[w->n_held++] = *ev;
        return;
    }
    trace_sink_put(&w->sink, ev);
}

static void release_held(sim_world *w)
{
    for (uint32_t k = 0; k < w->n_held; k++)
        trace_sink_put(&w->sink, &w->held[k]);
    w->n_held = 0;
}

/* An endpoint's event; with TCB records asked for (-v, the explorer), the endpoint's TCB follows
 * it at once when it changed, so a record belongs to the event that made it (reported only at
 * the end of the world's step, a connection's records came after other connections' events, and
 * the explorer showed its state of before the step). */
static void ep_emit(void *ctx, const trace_event *ev)
{
    sim_wep *x = ctx;
    trace_event e = *ev;
    sim_world_emit(x->w, x->conn, &e);
    if (x->w->tcb && ev->kind != TRACE_TCB)
        tcp_tcb_report(&x->ep, ev->t, TRACE_TCB_NO_CALL);
}

void sim_world_note(sim_world *w, uint32_t c, uint8_t side, const char *text)
{
    if (!trace_sink_on(&w->sink))
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = w->now;
    ev.ep = side;
    ev.kind = TRACE_NOTE;
    trace_set_text(&ev, "%s", text);
    sim_world_emit(w, c, &ev);
}

void sim_world_emit_seg(sim_world *w, uint32_t c, trace_kind k, uint8_t side, uint64_t id,
                        const tcp_seg *s, const char *text)
{
    if (!trace_sink_on(&w->sink))
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = w->now;
    ev.ep = side;
    ev.kind = (uint8_t)k;
    ev.id = id;
    ev.seg = *s;
    if (text)
        trace_set_text(&ev, "%s", text);
    sim_world_emit(w, c, &ev);
}

/* ---- tuples ------------------------------------------------------------------------------ */

static uint32_t tuple_hash(const sim_wconn *x)
{
    uint32_t h = (uint32_t)x->host[0] * 2654435761u;
    h ^= (uint32_t)x->port[0] * 40503u + (uint32_t)x->host[1] * 97u + x->port[1];
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    return h ^ (x->udp ? 0x9e3779b9u : 0);
}

static bool same_tuple(const sim_wconn *a, const sim_wconn *b)
{
    return a->udp == b->udp && a->host[0] == b->host[0] && a->host[1] == b->host[1] &&
           a->port[0] == b->port[0] && a->port[1] == b->port[1];
}

/* The slot of x's tuple in the table (empty or holding a connection with that tuple). */
static uint32_t *tab_slot(sim_world *w, const sim_wconn *x)
{
    uint32_t mask = w->tab_cap - 1;
    for (uint32_t i = tuple_hash(x) & mask;; i = (i + 1) & mask) {
        uint32_t v = w->tab[i];
        if (v == 0 || same_tuple(&w->conn[v - 1], x))
            return &w->tab[i];
    }
}

static int tab_grow(sim_world *w)
{
    uint32_t ncap = w->tab_cap ? w->tab_cap * 2 : 1024;
    uint32_t *old = w->tab, ocap = w->tab_cap;
    w->tab = calloc(ncap, sizeof *w->tab);
    if (w->tab == NULL) {
        w->tab = old;
        return -1;
    }
    w->tab_cap = ncap;
    for (uint32_t i = 0; i < ocap; i++)
        if (old[i])
            *tab_slot(w, &w->conn[old[i] - 1]) = old[i];
    free(old);
    return 0;
}

/* The connection with c's tuple whose side `side` has an endpoint: c itself, or an older one
 * (or -1). */
int32_t sim_world_find_ep(sim_world *w, uint32_t c, uint8_t side)
{
    if (w->conn[c].ep[side])
        return (int32_t)c;
    uint32_t v = *tab_slot(w, &w->conn[c]);
    while (v) {
        if (w->conn[v - 1].ep[side])
            return (int32_t)(v - 1);
        v = w->conn[v - 1].older;
    }
    return -1;
}

/* ---- connections and endpoints ----------------------------------------------------------- */

int32_t sim_world_open(sim_world *w, int32_t s, uint8_t host, uint16_t port, bool udp)
{
    if (w->n_conn == w->cap_conn) {
        uint32_t ncap = w->cap_conn ? w->cap_conn * 2 : 16;
        sim_wconn *p = realloc(w->conn, ncap * sizeof *p);
        if (p == NULL)
            return -1;
        w->conn = p;
        w->cap_conn = ncap;
    }
    if ((w->n_conn + 1) * 2 > w->tab_cap && tab_grow(w) < 0)
        return -1;
    const sim_wsock *so = &w->sock[s];
    uint32_t c = w->n_conn++;
    sim_wconn *x = &w->conn[c];
    memset(x, 0, sizeof *x);
    x->udp = udp;
    x->host[0] = so->host;
    x->port[0] = so->port;
    x->host[1] = host;
    x->port[1] = port;
    x->sock[0] = s;
    x->sock[1] = -1;
    x->listener = -1;
    uint32_t *slot = tab_slot(w, x);
    x->older = *slot;
    *slot = c + 1;
    w->conns_opened++;
    if (trace_sink_on(&w->sink)) {
        trace_event ev;
        memset(&ev, 0, sizeof ev);
        ev.t = w->now;
        ev.kind = TRACE_CONN;
        ev.ep = TRACE_CLIENT;
        ev.u.conn.udp = udp;
        const char *a = w->sc.hosts[x->host[0]].ip, *b = w->sc.hosts[x->host[1]].ip;
        bool v6a = strchr(a, ':') != NULL, v6b = strchr(b, ':') != NULL;
        trace_set_text(&ev, "%s%s%s:%u %s%s%s:%u", v6a ? "[" : "", a, v6a ? "]" : "",
                       (unsigned)x->port[0], v6b ? "[" : "", b, v6b ? "]" : "",
                       (unsigned)x->port[1]);
        sim_world_emit(w, c, &ev);
    }
    return (int32_t)c;
}

int32_t sim_world_flow(sim_world *w, int32_t s, uint8_t host, uint16_t port, uint8_t *side)
{
    const sim_wsock *so = &w->sock[s];
    sim_wconn key;
    memset(&key, 0, sizeof key);
    key.udp = true;
    for (uint8_t k = 0; k < 2; k++) { /* s as the flow's client, then as its server */
        key.host[k] = so->host;
        key.port[k] = so->port;
        key.host[1 - k] = host;
        key.port[1 - k] = port;
        uint32_t v = *tab_slot(w, &key);
        if (v) {
            *side = k;
            w->conn[v - 1].sock[k] = s;
            return (int32_t)(v - 1);
        }
    }
    *side = TRACE_CLIENT;
    return sim_world_open(w, s, host, port, true);
}

tcp_endpoint *sim_world_ep(sim_world *w, uint32_t c, uint8_t side)
{
    return w->conn[c].ep[side] ? &w->conn[c].ep[side]->ep : NULL;
}

static bool needs_sb(const tcp_config *cfg)
{
    return cfg->sack || cfg->rack || cfg->tlp || cfg->prr || cfg->psh == TCP_PSH_LINUX ||
           cfg->rto_est == TCP_RTO_LINUX || cfg->cwnd_packets || cfg->cc_algo != TCP_CCA_NEWRENO;
}

tcp_endpoint *sim_world_new_ep(sim_world *w, uint32_t c, uint8_t side)
{
    sim_wep *x = calloc(1, sizeof *x);
    if (x == NULL)
        return NULL;
    tcp_config cfg = w->sc.tcp[side];
    /* RFC 9293 3.4.1: the ISN follows a clock that ticks every 4 microseconds */
    cfg.isn = cfg.isn + (uint32_t)(w->now / 4u);
    if (needs_sb(&cfg)) {
        x->sb = calloc(1, sizeof *x->sb);
        if (x->sb == NULL) {
            free(x);
            return NULL;
        }
    }
    x->w = w;
    x->conn = c;
    x->sched = TCP_NEVER;
    trace_sink sink = trace_sink_on(&w->sink) ? (trace_sink){ep_emit, x} : (trace_sink){NULL, NULL};
    tcp_init(&x->ep, &cfg, side, sink);
    if (x->sb)
        tcp_attach_sb(&x->ep, x->sb);
    w->conn[c].ep[side] = x;
    if (++w->live_eps > w->peak_eps)
        w->peak_eps = w->live_eps;
    return &x->ep;
}

void sim_world_free_ep(sim_world *w, uint32_t c, uint8_t side)
{
    sim_wep *x = w->conn[c].ep[side];
    if (x == NULL)
        return;
    w->conn[c].err[side] = (uint8_t)x->ep.error;
    w->conn[c].gone[side] = true;
    w->conn[c].ep[side] = NULL;
    free(x->sb);
    free(x);
    w->live_eps--;
}

void sim_world_touch(sim_world *w, uint32_t c, uint8_t side)
{
    sim_wep *x = w->conn[c].ep[side];
    if (x == NULL || x->dirty)
        return;
    if (w->n_dirty == w->cap_dirty) {
        uint32_t ncap = w->cap_dirty ? w->cap_dirty * 2 : 64;
        uint32_t *p = realloc(w->dirty, ncap * sizeof *p);
        if (p == NULL) {
            w->oom = true;
            return;
        }
        w->dirty = p;
        w->cap_dirty = ncap;
    }
    x->dirty = true;
    w->dirty[w->n_dirty++] = c * 2 + side;
}

void sim_world_drain(sim_world *w, uint32_t c, uint8_t side, tcp_endpoint *ep)
{
    tcp_seg seg;
    for (;;) {
        w->holding = true;
        bool have = tcp_output(ep, w->now, &seg);
        w->holding = false;
        if (!have) {
            release_held(w);
            return;
        }
        sim_world_link_send(w, c, side, &seg);
        release_held(w);
    }
}

/* RFC 9293 3.10.7.1: a segment for a tuple without an endpoint is answered as by a CLOSED one
 * (a RST unless it is one), sent from side `side` of connection c. */
void sim_world_closed_reply(sim_world *w, uint32_t c, uint8_t side, const tcp_seg *seg)
{
    tcp_endpoint tmp;
    tcp_init(&tmp, &w->sc.tcp[side], side, (trace_sink){NULL, NULL});
    tcp_input(&tmp, w->now, seg);
    sim_world_drain(w, c, side, &tmp);
}

/* ---- after an endpoint was used ------------------------------------------------------------ */

/* Queue moves, deletion at CLOSED, the next timer event. */
static void settle(sim_world *w, uint32_t c, uint8_t side)
{
    sim_wconn *x = &w->conn[c];
    sim_wep *e = x->ep[side];
    if (e == NULL)
        return;
    tcp_endpoint *ep = &e->ep;
    if (side == TRACE_SERVER && x->queue == SIM_Q_SYN && x->listener >= 0 &&
        ep->state != TCP_SYN_RECEIVED) {
        sim_wsock *l = &w->sock[x->listener];
        l->synq--;
        if (ep->state == TCP_CLOSED) {
            x->queue = SIM_Q_NONE;
            x->listener = -1;
        } else if (sim_world_acq_push(l, c) < 0) {
            w->oom = true;
        } else {
            x->queue = SIM_Q_ACCEPT;
            if (l->auto_read) /* a listener without a program accepts at once */
                sim_sock_auto_accept(w, x->listener);
        }
    }
    if (ep->state == TCP_CLOSED) {
        if (x->queue == SIM_Q_ACCEPT && x->listener >= 0) {
            /* stays queued: accept() returns it and the first read reports the reset */
        }
        if (w->tcb) /* its last record, CLOSED, before it is gone */
            tcp_tcb_report(ep, w->now, TRACE_TCB_NO_CALL);
        sim_world_free_ep(w, c, side);
        return;
    }
    uint64_t d = tcp_next_deadline(ep);
    if (d != TCP_NEVER && d < w->now)
        d = w->now;
    if (d != TCP_NEVER && d < e->sched) { /* a later deadline waits for the queued event */
        sim_event ev;
        memset(&ev, 0, sizeof ev);
        ev.t = d;
        ev.type = SIM_EV_TIMER;
        ev.to = side;
        ev.index = c;
        if (sim_heap_push(&w->heap, &ev) < 0)
            w->oom = true;
        e->sched = d;
    }
}

static bool pump_dirty(sim_world *w)
{
    bool any = w->n_dirty > 0;
    while (w->n_dirty > 0) {
        uint32_t k = w->dirty[--w->n_dirty];
        uint32_t c = k / 2;
        uint8_t side = (uint8_t)(k % 2);
        sim_wep *e = w->conn[c].ep[side];
        if (e == NULL)
            continue;
        e->dirty = false;
        int32_t s = w->conn[c].sock[side];
        if (s >= 0 && (w->sock[s].auto_read || w->sock[s].auto_write))
            sim_sock_auto(w, c, side);
        sim_world_drain(w, c, side, &e->ep);
        settle(w, c, side);
        e = w->conn[c].ep[side]; /* settle frees an endpoint that is done (CLOSED, unowned) */
        if (w->tcb && e != NULL) /* after everything this step did to the endpoint */
            tcp_tcb_report(&e->ep, w->now, TRACE_TCB_NO_CALL);
    }
    return any;
}

static void pump(sim_world *w)
{
    for (int round = 0; round < 64; round++) {
        bool progress = pump_dirty(w);
        if (sim_sock_react(w))
            progress = true;
        if (!progress && w->n_dirty == 0)
            break;
    }
}

static void timer(sim_world *w, const sim_event *ev)
{
    sim_wep *e = w->conn[ev->index].ep[ev->to];
    if (e == NULL || e->sched != ev->t)
        return; /* stale: the endpoint is gone or its deadline moved */
    e->sched = TCP_NEVER;
    if (tcp_next_deadline(&e->ep) <= w->now)
        tcp_tick(&e->ep, w->now);
    sim_world_touch(w, ev->index, ev->to);
}

/* ---- the world ----------------------------------------------------------------------------- */

int sim_world_init(sim_world *w, const sim_scenario *sc, trace_sink sink)
{
    memset(w, 0, sizeof *w);
    w->sc = *sc;
    w->sink = sink;
    w->rng.s = sc->seed;
    w->rng_live = sc->loss > 0 || sc->duplicate > 0 || sc->reorder > 0;
    for (size_t i = 0; i < sc->n_rules; i++)
        if (sc->rules[i].chance > 0)
            w->rng_live = true;
    sim_heap_init(&w->heap);
    for (int h = 0; h < SIM_MAX_HOSTS; h++) {
        for (int k = 0; k < SIM_MAX_SOCKS; k++)
            w->host[h].names[k] = -1;
        w->host[h].next_fd = 3;
        w->host[h].next_port = sc->port_lo;
    }
    for (uint32_t k = 0; k < sc->n_actions; k++) {
        sim_event ev;
        memset(&ev, 0, sizeof ev);
        ev.t = sc->actions[k].t;
        ev.type = SIM_EV_ACTION;
        ev.index = k;
        if (sim_heap_push(&w->heap, &ev) < 0)
            return -1;
        /* a host that listens, or binds and never connects, serves */
        uint8_t h = sc->actions[k].ep, call = sc->actions[k].call;
        if (h < SIM_MAX_HOSTS && (call == TCP_CALL_LISTEN || call == TCP_CALL_BIND))
            w->host[h].role = TRACE_SERVER;
    }
    for (uint32_t k = 0; k < sc->n_actions; k++) {
        uint8_t h = sc->actions[k].ep, call = sc->actions[k].call;
        if (h < SIM_MAX_HOSTS && call == TCP_CALL_CONNECT)
            w->host[h].role = TRACE_CLIENT;
    }
    return tab_grow(w);
}

void sim_world_free(sim_world *w)
{
    for (uint32_t c = 0; c < w->n_conn; c++) {
        sim_world_free_ep(w, c, 0);
        sim_world_free_ep(w, c, 1);
        free(w->conn[c].log[0]);
        free(w->conn[c].log[1]);
    }
    for (uint32_t s = 0; s < w->n_sock; s++) {
        free(w->sock[s].acq);
        free(w->sock[s].dq);
    }
    for (int h = 0; h < SIM_MAX_HOSTS; h++) {
        free(w->host[h].port_refs);
        free(w->fifo[h].v);
    }
    free(w->bound);
    free(w->conn);
    free(w->sock);
    free(w->tab);
    free(w->dirty);
    sim_heap_free(&w->heap);
    memset(w, 0, sizeof *w);
}

int sim_world_run(sim_world *w)
{
    pump(w);
    sim_event ev;
    const sim_event *top;
    int from;
    while (!w->oom && (top = sim_world_peek(w, &from)) != NULL) {
        if (top->t > w->sc.until) {
            w->stats.time_limit = true;
            break;
        }
        if (from < 0) {
            sim_heap_pop(&w->heap, &ev);
        } else {
            sim_fifo *f = &w->fifo[from];
            ev = *top;
            f->head = (f->head + 1) & (f->cap - 1);
            f->n--;
        }
        w->now = ev.t;
        w->stats.events++;
        switch ((sim_event_type)ev.type) {
        case SIM_EV_ARRIVE:
            sim_world_arrive(w, &ev);
            break;
        case SIM_EV_ACTION:
            sim_sock_action(w, ev.index);
            break;
        case SIM_EV_TIMER:
            timer(w, &ev);
            break;
        case SIM_EV_CLOSE:
            break;
        }
        pump(w);
    }
    return w->oom ? -1 : 0;
}

/* ---- text previews ------------------------------------------------------------------------ */

void sim_world_log_text(sim_world *w, uint32_t c, uint8_t side, uint64_t off, const char *text)
{
    sim_wconn *x = &w->conn[c];
    uint32_t len = (uint32_t)strlen(text);
    if (len == 0)
        return;
    if (x->log[side] == NULL && (x->log[side] = calloc(1, sizeof *x->log[side])) == NULL)
        return;
    sim_textlog *log = x->log[side];
    if (log->n >= SIM_TEXT_LOG)
        return;
    log->off[log->n] = off;
    log->len[log->n] = len;
    snprintf(log->text[log->n], SIM_TEXT_MAX, "%s", text);
    log->n++;
}

void sim_world_preview(const sim_world *w, uint32_t c, uint8_t side, uint64_t off, uint64_t len,
                       char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    const sim_textlog *log = w->conn[c].log[side];
    for (uint32_t i = 0; log && i < log->n && used + 1 < size; i++) {
        uint64_t a = log->off[i], b = a + log->len[i];
        uint64_t lo = off > a ? off : a, hi = off + len < b ? off + len : b;
        for (uint64_t k = lo; k < hi && used + 1 < size && k - a < SIM_TEXT_MAX - 1; k++)
            out[used++] = log->text[i][k - a];
    }
    out[used] = '\0';
}
