/*
 * sim_net.c - the simulator's main loop: pick the earliest of the next queued event and the
 * endpoints' deadlines, run it, let the applications react, drain the endpoints' output.
 */
#include "sim_net.h"

#include <stdlib.h>

#include "sim_sock.h"
#include "tcp_tcbrec.h"

#include <stdio.h>
#include <string.h>

void sim_net_meta(const sim_scenario *sc, trace_meta *meta)
{
    memset(meta, 0, sizeof *meta);
    snprintf(meta->title, sizeof meta->title, "%s", sc->name);
    for (int i = 0; i < 2; i++) {
        snprintf(meta->addr[i], sizeof meta->addr[i], "%s", sc->addr[i]);
        meta->isn_known[i] = true;
        meta->isn[i] = sc->tcp[i].isn;
    }
    meta->capture = false;
    meta->one_way = sc->rtt / 2;
    meta->vantage = TRACE_VANTAGE_UNKNOWN;
}

static void ep_emit(void *ctx, const trace_event *ev)
{
    sim_net *net = ctx;
    if (net->holding && net->n_held < sizeof net->held / sizeof net->held[0]) {
        net->held[net->n_held++] = *ev;
        return;
    }
    trace_sink_put(&net->sink, ev);
}

void sim_net_tcb(sim_net *net, uint8_t i)
{
    const sim_app *a = &net->app[i];
    uint8_t blocked = a->connecting ? TCP_CALL_CONNECT
                      : a->blocked  ? TCP_CALL_WRITE
                                    : TRACE_TCB_NO_CALL;
    tcp_tcb_report(&net->ep[i], net->now, blocked);
}

/* Both endpoints' TCBs, after an input whose effects may reach either. */
static void tcb_both(sim_net *net)
{
    if (net->tcb) {
        sim_net_tcb(net, 0);
        sim_net_tcb(net, 1);
    }
}

static void release_held(sim_net *net)
{
    for (uint32_t k = 0; k < net->n_held; k++)
        trace_sink_put(&net->sink, &net->held[k]);
    net->n_held = 0;
}

/* The scenario is one connection: number 1 (docs/trace-format.md). */
static void stamp_emit(void *ctx, const trace_event *ev)
{
    sim_net *net = ctx;
    trace_event e = *ev;
    e.conn = 1;
    trace_sink_put(&net->out, &e);
}

/* The record that opens connection 1: its two addresses. */
static void emit_conn(sim_net *net)
{
    if (!trace_sink_on(&net->sink))
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = TRACE_CONN;
    ev.ep = TRACE_CLIENT;
    trace_set_text(&ev, "%s %s", net->sc.addr[0], net->sc.addr[1]);
    trace_sink_put(&net->sink, &ev);
}

void sim_net_init(sim_net *net, const sim_scenario *sc, trace_sink sink)
{
    memset(net, 0, sizeof *net);
    net->sc = *sc;
    net->out = sink;
    net->sink = sink.emit ? (trace_sink){stamp_emit, net} : sink;
    if (sc->n_hosts > 0) {
        net->world = malloc(sizeof *net->world);
        net->world_failed = net->world == NULL || sim_world_init(net->world, sc, sink) < 0;
        return;
    }
    net->rng.s = sc->seed;
    sim_heap_init(&net->heap);
    net->ep_sink = sink.emit ? (trace_sink){ep_emit, net} : sink;
    for (uint8_t i = 0; i < 2; i++) {
        tcp_init(&net->ep[i], &sc->tcp[i], i, net->ep_sink);
        tcp_attach_sb(&net->ep[i], &net->sb[i]);
    }
    for (uint32_t k = 0; k < sc->n_actions; k++) {
        sim_event ev;
        memset(&ev, 0, sizeof ev);
        ev.t = sc->actions[k].t;
        ev.type = SIM_EV_ACTION;
        ev.index = k;
        sim_heap_push(&net->heap, &ev); /* cannot fail for the first 128 events */
    }
}

void sim_net_free(sim_net *net)
{
    sim_heap_free(&net->heap);
    if (net->world) {
        sim_world_free(net->world);
        free(net->world);
        net->world = NULL;
    }
}

/* Sends everything endpoint i has to send now; returns -1 on allocation failure, else whether
 * anything was sent. */
static int drain(sim_net *net, uint8_t i)
{
    int sent = 0;
    tcp_seg seg;
    for (;;) {
        net->holding = true;
        bool have = tcp_output(&net->ep[i], net->now, &seg);
        net->holding = false;
        if (!have) {
            release_held(net);
            return sent;
        }
        int rc = sim_link_send(net, i, &seg);
        if (net->tcb && rc >= 0) /* the TCB as the segment leaves (SND.NXT past it), then */
            sim_net_tcb(net, i);
        release_held(net);
        if (rc < 0)
            return -1;
        if (net->tcb) /* with what producing it did (a timer armed) */
            sim_net_tcb(net, i);
        sent = 1;
    }
}

/* True when the next event is another segment arriving at endpoint i at this very time: with
 * Linux's ACK engine the application then waits, as a reader does while the kernel's softirq
 * takes a burst of packets (and acknowledges each) before the reading thread runs. */
static bool batch_pending(const sim_net *net, uint8_t i)
{
    const sim_event *top = sim_heap_top(&net->heap);
    return top != NULL && top->t == net->now && top->type == SIM_EV_ARRIVE && top->to == i;
}

static int pump(sim_net *net)
{
    for (int round = 0; round < 16; round++) {
        bool progress = false;
        for (uint8_t i = 0; i < 2; i++) {
            /* Linux answers a segment in the same softirq that took it, before the application
             * runs: with its ACK engine (quickack) an endpoint sends first, then its application
             * reacts; the textbook endpoint lets the application act first, so that an answer
             * can carry the ACK */
            int rc;
            if (net->ep[i].cfg.quickack && (rc = drain(net, i)) != 0) {
                if (rc < 0)
                    return -1;
                progress = true;
            }
            if (!(net->ep[i].cfg.quickack && batch_pending(net, i)) && sim_app_react(net, i)) {
                progress = true;
                tcb_both(net);
            }
            if ((rc = drain(net, i)) != 0) {
                if (rc < 0)
                    return -1;
                progress = true;
            }
        }
        if (!progress)
            break;
    }
    return 0;
}

static void emit_recv(sim_net *net, const sim_event *ev)
{
    if (!trace_sink_on(&net->sink))
        return;
    trace_event te;
    memset(&te, 0, sizeof te);
    te.t = net->now;
    te.ep = ev->to;
    te.kind = TRACE_RECV;
    te.id = ev->id;
    te.seg = ev->seg;
    trace_sink_put(&net->sink, &te);
}

int sim_net_run(sim_net *net)
{
    if (net->world || net->world_failed) {
        if (net->world)
            net->world->tcb = net->tcb; /* TCB records asked for after init, as for two endpoints */
        int rc = net->world_failed ? -1 : sim_world_run(net->world);
        if (net->world) {
            net->stats = net->world->stats;
            net->now = net->world->now;
        }
        return rc;
    }
    emit_conn(net);
    tcb_both(net);
    if (pump(net) < 0)
        return -1;
    for (;;) {
        const sim_event *top = sim_heap_top(&net->heap);
        uint64_t t_heap = top ? top->t : TCP_NEVER;
        uint64_t d0 = tcp_next_deadline(&net->ep[0]);
        uint64_t d1 = tcp_next_deadline(&net->ep[1]);
        uint64_t t_ep = d0 < d1 ? d0 : d1;
        uint64_t t = t_heap < t_ep ? t_heap : t_ep;
        if (t == TCP_NEVER)
            break;
        if (t > net->sc.until) {
            net->stats.time_limit = true;
            break;
        }
        net->now = t;
        net->stats.events++;
        if (t_heap <= t_ep) {
            sim_event ev;
            sim_heap_pop(&net->heap, &ev);
            switch ((sim_event_type)ev.type) {
            case SIM_EV_ARRIVE:
                net->stats.delivered++;
                emit_recv(net, &ev);
                tcp_input(&net->ep[ev.to], net->now, &ev.seg);
                break;
            case SIM_EV_ACTION:
                sim_app_action(net, ev.index);
                break;
            case SIM_EV_CLOSE:
                sim_app_close(net, ev.to);
                break;
            case SIM_EV_TIMER: /* only scenarios with hosts queue timers */
                break;
            }
        } else {
            for (int i = 0; i < 2; i++)
                if (tcp_next_deadline(&net->ep[i]) <= net->now)
                    tcp_tick(&net->ep[i], net->now);
        }
        tcb_both(net);
        if (pump(net) < 0)
            return -1;
    }
    return 0;
}
