/*
 * sim_link.c - the duplex link: propagation delay (half the RTT each way), optional bandwidth
 * (serialization at the line rate, FIFO per direction), the scenario's per-segment rules (drop,
 * delay, duplicate) and seeded random loss, duplication and reordering.
 */
#include <string.h>

#include "sim_net.h"
#include "tcp_seq.h"

static void emit_seg(sim_net *net, trace_kind k, uint8_t ep, uint64_t id, const tcp_seg *s,
                     const char *text)
{
    if (!trace_sink_on(&net->sink))
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = net->now;
    ev.ep = ep;
    ev.kind = (uint8_t)k;
    ev.id = id;
    ev.seg = *s;
    if (text)
        trace_set_text(&ev, "%s", text);
    trace_sink_put(&net->sink, &ev);
}

static bool rule_matches(const sim_rule *r, uint8_t from, const tcp_seg *s)
{
    if (r->dir != SIM_FROM_ANY && r->dir != from)
        return false;
    if ((s->flags & r->flags_all) != r->flags_all)
        return false;
    if (s->flags & r->flags_none)
        return false;
    if (r->data == SIM_DATA_WITH && s->len == 0)
        return false;
    if (r->data == SIM_DATA_WITHOUT && s->len != 0)
        return false;
    if (r->has_seq && !(tcp_seq_geq(s->seq, r->seq_lo) && tcp_seq_leq(s->seq, r->seq_hi)))
        return false;
    return true;
}

static int schedule(sim_net *net, uint8_t to, uint64_t at, uint64_t id, const tcp_seg *s)
{
    sim_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = at;
    ev.type = SIM_EV_ARRIVE;
    ev.to = to;
    ev.id = id;
    ev.seg = *s;
    return sim_heap_push(&net->heap, &ev);
}

int sim_link_send(sim_net *net, uint8_t from, const tcp_seg *seg)
{
    uint64_t id = ++net->seg_id;
    net->sent_in_dir[from]++;
    net->stats.segments++;
    emit_seg(net, TRACE_SEND, from, id, seg, NULL);

    uint64_t extra = 0;
    bool dup = false;
    for (size_t i = 0; i < net->sc.n_rules; i++) {
        const sim_rule *r = &net->sc.rules[i];
        if (!rule_matches(r, from, seg))
            continue;
        uint32_t nth = ++net->rule_seen[i];
        if (r->nth && r->nth != nth)
            continue;
        if (r->times && net->rule_hits[i] >= r->times)
            continue;
        /* a random rule draws only when it matches, so rules without `chance` (and every
         * scenario written before it existed) keep their runs exactly */
        if (r->chance > 0 && sim_rng_unit(&net->rng) >= r->chance)
            continue;
        net->rule_hits[i]++;
        if (r->action == SIM_RULE_DROP) {
            net->stats.dropped++;
            emit_seg(net, TRACE_DROP, from, id, seg, "scenario rule");
            return 0;
        }
        if (r->action == SIM_RULE_DELAY)
            extra += r->delay;
        else
            dup = true;
    }
    /* random impairments: one draw per feature per segment, always in this order, so that a
     * seed gives the same run whatever the rates */
    double u_loss = sim_rng_unit(&net->rng);
    double u_dup = sim_rng_unit(&net->rng);
    double u_reo = sim_rng_unit(&net->rng);
    if (u_loss < net->sc.loss) {
        net->stats.dropped++;
        emit_seg(net, TRACE_DROP, from, id, seg, "random loss");
        return 0;
    }
    if (u_dup < net->sc.duplicate)
        dup = true;
    if (u_reo < net->sc.reorder)
        extra += net->sc.reorder_delay;

    uint64_t start = net->now > net->link_free[from] ? net->now : net->link_free[from];
    uint64_t ser = 0;
    if (net->sc.bandwidth) /* 40 bytes of IPv4 + TCP header on the wire */
        ser = ((uint64_t)seg->len + 40u) * 8u * 1000000u / net->sc.bandwidth;
    net->link_free[from] = start + ser;
    uint64_t at = start + ser + net->sc.rtt / 2 + extra;
    uint8_t to = (uint8_t)(1 - from);
    if (schedule(net, to, at, id, seg) < 0)
        return -1;
    if (dup && schedule(net, to, at + 1, id, seg) < 0)
        return -1;
    return 0;
}
