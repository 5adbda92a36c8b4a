/*
 * cap_replay.c - the replay loop's per-frame work and the routing of trace events.
 */
#include "cap_replay.h"

#include <stdlib.h>
#include <inttypes.h>
#include <string.h>

#include "cap_addr.h"
#include "tcp_tcbrec.h"

void cap_replay_opts_default(cap_replay_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_conns = 10000;
    o->linger = 10000000;
}

/* ---- event routing: endpoints' events get the connection number, are filtered by --flow and
 * held while a packet's own send event is not out yet ------------------------------------- */

static void put(cap_replay *r, trace_event *ev)
{
    ev->conn = r->cur_conn;
    if (!r->cur_selected || !r->out.emit)
        return;
    if (r->holding && r->n_held < CAP_HELD_MAX) {
        r->held[r->n_held++] = *ev;
        return;
    }
    trace_sink_put(&r->out, ev);
}

/* An endpoint's event: its t is the endpoint's estimated time; t_capture is the capture time of
 * the packet the endpoint is applying (the endpoint keeps it in obs_ref, also for an arrival
 * applied later than the packet was captured). */
static void ep_emit(void *ctx, const trace_event *ev)
{
    cap_replay *r = ctx;
    trace_event copy = *ev;
    copy.t_capture = r->cur_c && ev->ep < 2 ? r->cur_c->ep[ev->ep].obs_ref : r->t_last;
    put(ctx, &copy);
}

static void emit_send(void *ctx, int dir, uint64_t id, const tcp_seg *seg, uint64_t t)
{
    cap_replay *r = ctx;
    if (!r->cur_selected || !r->out.emit)
        return; /* --summary: nobody reads the trace, do not build it */
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = t;
    ev.t_capture = r->t_last;
    ev.ep = (uint8_t)dir;
    ev.kind = TRACE_SEND;
    ev.id = id;
    ev.seg = *seg;
    bool was = r->holding;
    r->holding = false;
    put(r, &ev);
    r->holding = was;
}

static void emit_lost(void *ctx, int dir, uint64_t id, const tcp_seg *seg, uint64_t t)
{
    cap_replay *r = ctx;
    if (!r->cur_selected || !r->out.emit)
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = t;
    ev.t_capture = r->t_last;
    ev.ep = (uint8_t)dir;
    ev.kind = TRACE_DROP;
    ev.id = id;
    ev.seg = *seg;
    trace_set_text(&ev, "inferred: sent again before any ACK covered it");
    put(r, &ev);
}

static void emit_unlost(void *ctx, int dir, uint64_t id, const tcp_seg *seg, uint64_t t)
{
    cap_replay *r = ctx;
    if (!r->cur_selected || !r->out.emit)
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = t;
    ev.t_capture = r->t_last;
    ev.ep = (uint8_t)dir;
    ev.kind = TRACE_NOTE;
    ev.id = id; /* the packet whose loss is taken back */
    ev.seg = *seg;
    ev.seg.tags = TCP_TAG_SPURIOUS;
    trace_set_text(&ev, "not lost: the receiver's D-SACK says both copies arrived");
    put(r, &ev);
}

static void emit_hold(void *ctx, bool on)
{
    cap_replay *r = ctx;
    r->holding = on;
    if (!on) {
        for (uint32_t k = 0; k < r->n_held; k++)
            trace_sink_put(&r->out, &r->held[k]);
        r->n_held = 0;
    }
}

/* A connection begins: its conn record, "CLIENT-ADDR:PORT SERVER-ADDR:PORT" (as a simulated
 * connection's), at its first packet. */
static void emit_conn(cap_replay *r, const cap_conn *c, uint64_t t)
{
    if (!r->cur_selected || !r->out.emit)
        return;
    char a[CAP_ENDPOINT_STRLEN], b[CAP_ENDPOINT_STRLEN];
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = t;
    ev.t_capture = t;
    ev.conn = c->id;
    ev.ep = TRACE_CLIENT;
    ev.kind = TRACE_CONN;
    trace_set_text(&ev, "%s %s", cap_endpoint_str(&c->addr[0], c->port[0], a, sizeof a),
                   cap_endpoint_str(&c->addr[1], c->port[1], b, sizeof b));
    trace_sink_put(&r->out, &ev);
}

/* ---- set-up -------------------------------------------------------------------------------- */

int cap_replay_init(cap_replay *r, const cap_replay_opts *o, trace_sink out, cap_conn_done_fn done,
                    void *done_ctx)
{
    memset(r, 0, sizeof *r);
    r->o = *o;
    if (r->o.max_conns == 0)
        r->o.max_conns = 1;
    r->out = out;
    r->done = done;
    r->done_ctx = done_ctx;
    r->ep_sink = out.emit ? (trace_sink){ep_emit, r} : out;
    return cap_flows_init(&r->flows, r->o.max_conns);
}

/* Whether connection `id`, between a0:p0 and a1:p1, is one that --flow asks for: in its list of
 * numbers, or the one with its 4-tuple (either direction); without --flow, every one. */
static bool wanted(const cap_replay *r, uint32_t id, const cap_addr *a0, uint16_t p0,
                   const cap_addr *a1, uint16_t p1)
{
    if (r->o.n_flow_ids) {
        for (size_t i = 0; i < r->o.n_flow_ids; i++)
            if (r->o.flow_ids[i] == id)
                return true;
        return false;
    }
    if (r->o.flow_tuple) {
        for (int i = 0; i < 2; i++)
            if (p0 == r->o.flow_port[i] && p1 == r->o.flow_port[1 - i] &&
                cap_addr_eq(a0, &r->o.flow_addr[i]) && cap_addr_eq(a1, &r->o.flow_addr[1 - i]))
                return true;
        return false;
    }
    return true;
}

bool cap_replay_selected(const cap_replay *r, const cap_conn *c)
{
    return wanted(r, c->id, &c->addr[0], c->port[0], &c->addr[1], c->port[1]);
}

static bool selected_new(const cap_replay *r, const cap_packet *p)
{
    return wanted(r, r->flows.next_id, &p->src, p->sport, &p->dst, p->dport);
}

/* The observer endpoints' TCBs after a packet (or the flush at the end), when asked. */
static void report_tcbs(cap_replay *r, cap_conn *c, uint64_t t)
{
    if (!r->o.tcb || !r->cur_selected || !r->out.emit)
        return;
    for (int i = 0; i < 2; i++) {
        c->ep[i].tcb_auto = true; /* from now on also after each arrival (tcp_observe.c) */
        tcp_tcb_report(&c->ep[i], t, TRACE_TCB_NO_CALL);
    }
}

static void retire(cap_replay *r, cap_conn *c)
{
    /* what was still on its way arrives now (its events belong to this connection) */
    r->cur_conn = c->id;
    r->cur_c = c;
    r->cur_selected = cap_replay_selected(r, c);
    cap_conn_flush(c, c->last_t);
    report_tcbs(r, c, c->last_t);
    if (r->done)
        r->done(r->done_ctx, c);
    cap_flows_remove(&r->flows, c);
    r->cur_c = NULL;
}

/* Retires finished connections that have been quiet for the linger time. */
static void retire_quiet(cap_replay *r, uint64_t now)
{
    while (r->flows.head) {
        cap_conn *c = r->flows.head;
        if (now - c->last_t < r->o.linger)
            break;
        if (!cap_conn_finished(c)) {
            /* the least recently active is still open; finished ones behind it wait their
             * turn (bounded by max_conns) */
            break;
        }
        retire(r, c);
    }
}

/* Makes room for one more connection: retire the quietest finished one, if any. */
#define CAP_ROOM_SCAN 64
static bool make_room(cap_replay *r)
{
    /* only the CAP_ROOM_SCAN quietest: a table full of open connections (a SYN flood) must not
     * cost a walk over all of them for every packet that cannot be tracked */
    int n = 0;
    for (cap_conn *c = r->flows.head; c && n < CAP_ROOM_SCAN; c = c->lnext, n++) {
        if (cap_conn_finished(c)) {
            retire(r, c);
            return true;
        }
    }
    return false;
}

/* A SYN without ACK that does not belong to the connection on this tuple starts a new one
 * (port reuse): the old one is finished or its client gave up on its own SYN. */
static bool starts_new(const cap_conn *c, const cap_packet *p)
{
    const tcp_seg *s = &p->seg;
    if ((s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
        return false;
    int dir = cap_conn_dir(c, p);
    const tcp_endpoint *ep = &c->ep[dir];
    /* a SYN from a side that sent nothing yet is a simultaneous open; the same ISN again is a
     * retransmission; any other ISN means the sender started over */
    return ep->obs_snd_known && s->seq != ep->iss;
}

void cap_replay_frame(cap_replay *r, int linktype, const cap_frame *f)
{
    cap_packet p;
    memset(&p, 0, sizeof p);
    p.ts_us = f->ts_us;
    cap_skip why = cap_decode(linktype, f->data, f->caplen, f->wirelen, &p);
    cap_stats_add(&r->stats, why, &p);
    if (!r->have_t0) {
        r->t0 = f->ts_us;
        r->have_t0 = true;
    }
    uint64_t t = f->ts_us >= r->t0 ? f->ts_us - r->t0 : 0;
    if (f->ts_us < r->t0 || t < r->t_last) { /* timestamps going backwards: keep time monotonic */
        r->ts_backwards++;
        t = r->t_last;
    }
    r->t_last = t;
    if (why != CAP_SKIP_NONE)
        return;

    retire_quiet(r, t);
    cap_conn *c = cap_flows_find(&r->flows, &p);
    if (c && starts_new(c, &p)) {
        retire(r, c);
        c = NULL;
    }
    if (!c) {
        if (r->flows.live >= r->flows.max_live)
            make_room(r);
        /* the new connection's "assumed" states are reported while it is set up */
        r->cur_conn = r->flows.next_id;
        r->cur_c = NULL;
        r->cur_selected = selected_new(r, &p);
        /* its conn record comes first, before the states assumed while it is set up */
        r->holding = true;
        c = cap_flows_add(&r->flows, &p, t, r->ep_sink);
        if (c) { /* written past the hold */
            emit_conn(r, c, t);
            c->ep[0].obs_recv_events = c->ep[1].obs_recv_events = r->o.arrivals;
        }
        emit_hold(r, false);
        if (!c) {
            r->untracked++;
            return;
        }
        r->conns++;
    }
    cap_flows_touch(&r->flows, c);
    r->cur_c = c;
    r->cur_conn = c->id;
    r->cur_selected = cap_replay_selected(r, c);
    cap_emit emit = {emit_send, emit_lost, emit_hold, emit_unlost, r};
    cap_conn_packet(c, &p, t, f->index, &emit);
    report_tcbs(r, c, t);
}

static int by_id(const void *a, const void *b)
{
    const cap_conn *x = *(const cap_conn *const *)a, *y = *(const cap_conn *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

void cap_replay_finish(cap_replay *r)
{
    uint32_t n = r->flows.live, k = 0;
    cap_conn **v = n ? malloc(n * sizeof *v) : NULL;
    if (!v) {
        while (r->flows.head)
            retire(r, r->flows.head);
        return;
    }
    for (cap_conn *c = r->flows.head; c && k < n; c = c->lnext)
        v[k++] = c;
    qsort(v, k, sizeof *v, by_id);
    for (uint32_t i = 0; i < k; i++)
        retire(r, v[i]);
    free(v);
}

void cap_replay_free(cap_replay *r)
{
    cap_flows_free(&r->flows);
}
