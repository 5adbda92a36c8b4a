/*
 * sim_wlink.c - the link of the world of hosts (sim_sock.h): each host's segments leave in order
 * (serialised at the bandwidth, if any) and arrive half the RTT later, after the scenario's rules
 * (drop, delay, duplicate) and the seeded random loss, duplication and reordering.  Arrivals in
 * time order wait in a FIFO per sending host, the others in the event heap.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_sock.h"
#include "tcp_seq.h"

static bool rule_matches(const sim_rule *r, uint8_t from, const tcp_seg *s)
{
    if (r->dir != SIM_FROM_ANY && r->dir != from)
        return false;
    if ((s->flags & r->flags_all) != r->flags_all || (s->flags & r->flags_none))
        return false;
    if ((r->data == SIM_DATA_WITH && s->len == 0) || (r->data == SIM_DATA_WITHOUT && s->len != 0))
        return false;
    return !r->has_seq || (tcp_seq_geq(s->seq, r->seq_lo) && tcp_seq_leq(s->seq, r->seq_hi));
}

/* The scenario's rules, then random loss; true if the segment is lost (traced). */
static bool link_loses(sim_world *w, uint32_t c, uint8_t from, uint64_t id, const tcp_seg *seg,
                       uint64_t *extra, bool *dup)
{
    for (size_t i = 0; i < w->sc.n_rules; i++) {
        const sim_rule *r = &w->sc.rules[i];
        if (!rule_matches(r, from, seg))
            continue;
        uint32_t nth = ++w->rule_seen[i];
        if ((r->nth && r->nth != nth) || (r->times && w->rule_hits[i] >= r->times))
            continue;
        if (r->chance > 0 && sim_rng_unit(&w->rng) >= r->chance)
            continue;
        w->rule_hits[i]++;
        if (r->action == SIM_RULE_DROP) {
            w->stats.dropped++;
            sim_world_emit_seg(w, c, TRACE_DROP, from, id, seg, "scenario rule");
            return true;
        }
        if (r->action == SIM_RULE_DELAY)
            *extra += r->delay;
        else
            *dup = true;
    }
    if (!w->rng_live)
        return false; /* no probability to draw for: the generator's state is never read */
    double u_loss = sim_rng_unit(&w->rng);
    double u_dup = sim_rng_unit(&w->rng);
    double u_reo = sim_rng_unit(&w->rng);
    if (u_loss < w->sc.loss) {
        w->stats.dropped++;
        sim_world_emit_seg(w, c, TRACE_DROP, from, id, seg, "random loss");
        return true;
    }
    if (u_dup < w->sc.duplicate)
        *dup = true;
    if (u_reo < w->sc.reorder)
        *extra += w->sc.reorder_delay;
    return false;
}

/* Where an arrival at time t is to be queued: the sending host's FIFO slot when that keeps the
 * FIFO in time order (the slot is then taken: the caller fills it), else NULL (the heap); *oom
 * when the FIFO could not grow. */
static sim_event *fifo_slot(sim_world *w, uint8_t host, uint64_t t, bool *oom)
{
    sim_fifo *f = &w->fifo[host];
    if (f->n > 0 && t < f->last_t)
        return NULL;
    if (f->n == f->cap) {
        uint32_t ncap = f->cap ? f->cap * 2 : 256;
        sim_event *p = malloc(ncap * sizeof *p);
        if (p == NULL) {
            *oom = true;
            return NULL;
        }
        for (uint32_t i = 0; i < f->n; i++)
            p[i] = f->v[(f->head + i) & (f->cap - 1)];
        free(f->v);
        f->v = p;
        f->cap = ncap;
        f->head = 0;
    }
    f->last_t = t;
    return &f->v[(f->head + f->n++) & (f->cap - 1)]; /* cap: a power of two */
}

/* Queues the arrival of seg (id, sent by side `to`'s peer of c) at time t: in the FIFO of the
 * sending host when it keeps the FIFO in time order, else in the heap, in both cases taking the
 * next order number.  0, or -1 when memory ran out. */
static int queue_arrival(sim_world *w, uint8_t host, uint64_t t, uint8_t to, uint32_t c,
                         uint64_t id, const tcp_seg *seg)
{
    bool oom = false;
    sim_event *ev = fifo_slot(w, host, t, &oom);
    if (oom)
        return -1;
    sim_event tmp;
    if (ev == NULL)
        ev = &tmp;
    ev->t = t;
    ev->type = SIM_EV_ARRIVE;
    ev->to = to;
    ev->index = c;
    ev->id = id;
    ev->seg = *seg;
    if (ev != &tmp) {
        ev->order = w->heap.next_order++;
        return 0;
    }
    return sim_heap_push(&w->heap, ev);
}

/* The earliest event of the heap and the FIFOs (by time, then order), or NULL. */
const sim_event *sim_world_peek(const sim_world *w, int *from)
{
    const sim_event *best = sim_heap_top(&w->heap);
    *from = -1;
    for (int h = 0; h < w->sc.n_hosts && h < SIM_MAX_HOSTS; h++) {
        const sim_fifo *f = &w->fifo[h];
        if (f->n == 0)
            continue;
        const sim_event *e = &f->v[f->head];
        if (best == NULL || e->t < best->t || (e->t == best->t && e->order < best->order)) {
            best = e;
            *from = h;
        }
    }
    return best;
}

/* Puts a segment (or datagram) sent by side `from` of connection c on the link. */
void sim_world_link_send(sim_world *w, uint32_t c, uint8_t from, const tcp_seg *seg)
{
    uint64_t id = ++w->seg_id;
    w->stats.segments++;
    if (trace_sink_on(&w->sink)) /* the check inline: this runs for every segment */
        sim_world_emit_seg(w, c, TRACE_SEND, from, id, seg, NULL);
    uint64_t extra = 0;
    bool dup = false;
    if (link_loses(w, c, from, id, seg, &extra, &dup))
        return;
    sim_whost *h = &w->host[w->conn[c].host[from]];
    uint64_t start = w->now > h->link_free ? w->now : h->link_free;
    uint64_t ser = 0;
    if (w->sc.bandwidth) /* 40 bytes of IPv4 + TCP header (28 of IPv4 + UDP) on the wire */
        ser = ((uint64_t)seg->len + (w->conn[c].udp ? 28u : 40u)) * 8u * 1000000u / w->sc.bandwidth;
    h->link_free = start + ser;
    uint64_t t = start + ser + w->sc.rtt / 2 + extra;
    uint8_t host = w->conn[c].host[from], to = (uint8_t)(1 - from);
    if (queue_arrival(w, host, t, to, c, id, seg) < 0 ||
        (dup && queue_arrival(w, host, t + 1, to, c, id, seg) < 0))
        w->oom = true;
}

void sim_world_dgram(sim_world *w, uint32_t c, uint8_t side, uint64_t n)
{
    tcp_seg s;
    memset(&s, 0, sizeof s);
    s.seq = (uint32_t)w->conn[c].dgram_off[side]; /* where its bytes start in the flow */
    s.len = (uint32_t)n;
    s.tags = TCP_TAG_DATAGRAM;
    w->conn[c].dgram_off[side] += n;
    sim_world_link_send(w, c, side, &s);
}

/* Sends what an endpoint has to send; events it reports meanwhile follow the send event. */
