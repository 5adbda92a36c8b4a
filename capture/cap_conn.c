/*
 * cap_conn.c - a connection of a capture: roles, the two observer endpoints, and per-direction
 * analysis (counts, RTT, retransmission intervals, inferred losses).
 */
#include "cap_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap_addr.h"
#include "tcp_seq.h"

static bool same_end(const cap_addr *a, uint16_t pa, const cap_addr *b, uint16_t pb)
{
    return pa == pb && cap_addr_eq(a, b);
}

int cap_conn_dir(const cap_conn *c, const cap_packet *p)
{
    return same_end(&p->src, p->sport, &c->addr[0], c->port[0]) ? 0 : 1;
}

void cap_conn_init(cap_conn *c, uint32_t id, const cap_packet *p, uint64_t t, trace_sink sink)
{
    memset(c, 0, sizeof *c);
    c->id = id;
    c->first_t = c->last_t = t;
    const tcp_seg *s = &p->seg;
    bool syn = (s->flags & TCP_SYN) != 0, ack = (s->flags & TCP_ACK) != 0;
    int client_is_src;
    if (syn && !ack) {
        client_is_src = 1; /* the sender of the first SYN without ACK is the client */
    } else if (syn && ack) {
        client_is_src = 0; /* a SYN,ACK comes from the server */
    } else if (p->sport != p->dport) {
        client_is_src = p->sport > p->dport; /* well-known (lower) ports serve */
    } else {
        client_is_src = 1; /* equal ports: the first packet's receiver is the server */
    }
    if (client_is_src) {
        c->addr[0] = p->src, c->port[0] = p->sport;
        c->addr[1] = p->dst, c->port[1] = p->dport;
    } else {
        c->addr[0] = p->dst, c->port[0] = p->dport;
        c->addr[1] = p->src, c->port[1] = p->sport;
    }
    if (syn && !ack) {
        c->handshake_seen = true;
        tcp_obs_init(&c->ep[0], TRACE_CLIENT, sink, TCP_CLOSED, t);
        tcp_obs_init(&c->ep[1], TRACE_SERVER, sink, TCP_LISTEN, t);
    } else if (syn && ack) {
        tcp_obs_init_syn_sent(&c->ep[0], TRACE_CLIENT, sink, s->ack - 1, t);
        tcp_obs_init(&c->ep[1], TRACE_SERVER, sink, TCP_LISTEN, t);
    } else {
        tcp_obs_init(&c->ep[0], TRACE_CLIENT, sink, TCP_ESTABLISHED, t);
        tcp_obs_init(&c->ep[1], TRACE_SERVER, sink, TCP_ESTABLISHED, t);
    }
    for (int i = 0; i < 2; i++) /* RFC 6298 defaults: initial 1 s, minimum 1 s, G = 1 ms */
        tcp_rto_init(&c->d[i].rtt.est, 1000000, 1000000, 120000000, 1000);
}

/* ---- per-direction analysis ---------------------------------------------------------------- */

/* The ring of recent segments: CAP_RING entries inside cap_dir, grown on the heap (doubling, up
 * to CAP_RING_MAX) when it is full and its oldest entry is still unacknowledged, so that a bulk
 * transfer's whole flight is remembered and its losses can be found. */
static uint32_t ring_mask(const cap_dir *d)
{
    return (d->ring_big ? d->ring_cap : CAP_RING) - 1;
}

static cap_sent *ring_at(cap_dir *d, uint32_t k)
{
    cap_sent *r = d->ring_big ? d->ring_big : d->ring_small;
    return &r[(d->ring_head + k) & ring_mask(d)];
}

/* Entries in grown rings, all connections together: at most CAP_RING_BUDGET (about 14 MiB), so
 * that memory stays bounded however many connections have large windows at once. */
static size_t ring_entries;

size_t cap_conn_ring_entries(void)
{
    return ring_entries;
}

static bool ring_grow(cap_dir *d)
{
    uint32_t cap = ring_mask(d) + 1;
    size_t had = d->ring_big ? cap : 0;
    if (cap >= CAP_RING_MAX || ring_entries - had + 2 * cap > CAP_RING_BUDGET)
        return false;
    cap_sent *big = malloc(2 * cap * sizeof *big);
    if (big == NULL)
        return false;
    ring_entries = ring_entries - had + 2 * cap;
    for (uint32_t k = 0; k < d->n_ring; k++)
        big[k] = *ring_at(d, k);
    free(d->ring_big);
    d->ring_big = big;
    d->ring_cap = 2 * cap;
    d->ring_head = 0;
    return true;
}

static void ring_pop(cap_dir *d)
{
    if (!ring_at(d, 0)->acked)
        d->n_unacked--;
    d->ring_head = (d->ring_head + 1) & ring_mask(d);
    d->n_ring--;
}

static cap_sent *ring_find(cap_dir *d, uint32_t seq)
{
    for (uint32_t k = 0; k < d->n_ring; k++) {
        cap_sent *e = ring_at(d, k);
        if (e->seq == seq)
            return e;
    }
    return NULL;
}

static void ring_add(cap_dir *d, const cap_sent *e)
{
    if (d->n_ring == ring_mask(d) + 1 && (ring_at(d, 0)->acked || !ring_grow(d)))
        ring_pop(d); /* forget the oldest */
    if (!e->acked)
        d->n_unacked++;
    d->n_ring++;
    *ring_at(d, d->n_ring - 1) = *e;
}

static void ring_remove_at(cap_dir *d, uint32_t k)
{
    if (!ring_at(d, k)->acked)
        d->n_unacked--;
    /* shift the later entries down by one */
    for (uint32_t j = k; j + 1 < d->n_ring; j++)
        *ring_at(d, j) = *ring_at(d, j + 1);
    d->n_ring--;
}

/* The other side acknowledged up to `ack` (and the SACK blocks): forget what it covers. */
static void ring_acked(cap_dir *d, uint32_t ack, const tcp_seg *s)
{
    uint32_t left = d->n_unacked; /* unacknowledged entries still to look at */
    for (uint32_t k = 0; k < d->n_ring && left > 0; k++) {
        cap_sent *e = ring_at(d, k);
        if (e->acked)
            continue;
        left--;
        bool covered = tcp_seq_leq(e->end, ack);
        for (unsigned b = 0; !covered && b < s->nsack && b < TCP_MAX_SACK; b++)
            covered = tcp_seq_geq(e->seq, s->sack[b].left) && tcp_seq_leq(e->end, s->sack[b].right);
        if (covered) {
            e->acked = true;
            d->n_unacked--;
        }
    }
    /* acknowledged entries are kept for intervals and duplicates, CAP_RING of them are enough:
     * a grown ring must not make every ACK walk a long acknowledged past */
    while (d->n_ring > CAP_RING && ring_at(d, 0)->acked)
        ring_pop(d);
}

static void rtt_sample(cap_rtt *r, uint64_t sample)
{
    r->n++;
    r->sum += sample;
    if (r->n == 1 || sample < r->min)
        r->min = sample;
    if (sample > r->max)
        r->max = sample;
    tcp_rto_sample(&r->est, sample);
}

/* Before a retransmission reaches its receiver: what it says about the earlier copies.  If the
 * peer's ACK covering it was seen (spurious), that ACK was lost on its way back; otherwise the
 * earlier copies that nothing acknowledged were lost after the capture point, and the receiver
 * is told so (its hinted transitions from them are undone).  Also records the interval since the
 * previous transmission of the same segment. */
static void find_losses(cap_conn *c, int dir, const tcp_seg *s, uint32_t tags, uint64_t t,
                        const cap_emit *emit)
{
    uint32_t seqlen = tcp_seg_seqlen(s);
    if (!tcp_obs_is_retransmission(tags) || seqlen == 0)
        return;
    cap_dir *d = &c->d[dir], *o = &c->d[1 - dir];
    uint32_t end = s->seq + seqlen;
    uint64_t t_snd = t >= c->delay[dir] ? t - c->delay[dir] : 0; /* the sender's time */
    cap_sent *prev = ring_find(d, s->seq);
    if (prev && d->n_retx_interval < CAP_RETX_INTERVALS)
        d->retx_interval[d->n_retx_interval++] = t - prev->t;
    if (tags & TCP_TAG_SPURIOUS) {
        if (o->have_ack_pkt && !o->ack_pkt_lost && tcp_seq_geq(o->ack_pkt.ack, end)) {
            o->ack_pkt_lost = true;
            o->lost++;
            if (emit && emit->lost)
                emit->lost(emit->ctx, 1 - dir, o->ack_pkt_id, &o->ack_pkt, t_snd);
        }
        return;
    }
    for (uint32_t k = 0; k < d->n_ring;) {
        cap_sent *e = ring_at(d, k);
        if (!e->acked && tcp_seq_lt(e->seq, end) && tcp_seq_gt(e->end, s->seq)) {
            tcp_seg lost;
            memset(&lost, 0, sizeof lost);
            lost.seq = e->seq;
            lost.len = e->len;
            lost.flags = e->flags;
            lost.ack = e->ack;
            lost.win = e->win;
            d->lost++;
            if (emit && emit->lost)
                emit->lost(emit->ctx, dir, e->id, &lost, t_snd);
            d->lost_rec[d->n_lost_rec++ % CAP_LOST_KEPT] =
                (struct cap_lost_rec){e->seq, e->end, e->id};
            c->ep[1 - dir].obs_ref = t;
            tcp_obs_not_arrived(&c->ep[1 - dir], t + c->delay[1 - dir], &lost);
            ring_remove_at(d, k);
            continue;
        }
        k++;
    }
}

/* An ACK from `dir` with a D-SACK block (RFC 2883 section 4: the first SACK block lies at or
 * below the cumulative ACK, or inside the second block) reports a segment the receiver got twice.
 * If the other side's copy of it was inferred lost, it was not: both copies arrived and the
 * retransmission was unneeded (a tail loss probe, a spurious timeout).  The loss is taken back. */
static void undo_losses(cap_conn *c, int dir, const tcp_seg *s, uint64_t t, const cap_emit *emit)
{
    cap_dir *o = &c->d[1 - dir];
    if (s->nsack == 0 || o->n_lost_rec == 0)
        return;
    tcp_sack_block b = s->sack[0];
    bool dsack =
        tcp_seq_leq(b.right, s->ack) || (s->nsack >= 2 && tcp_seq_geq(b.left, s->sack[1].left) &&
                                         tcp_seq_leq(b.right, s->sack[1].right));
    if (!dsack)
        return;
    uint32_t n = o->n_lost_rec < CAP_LOST_KEPT ? o->n_lost_rec : CAP_LOST_KEPT;
    for (uint32_t k = 0; k < n; k++) {
        struct cap_lost_rec *e = &o->lost_rec[k];
        if (e->seq == e->end || !tcp_seq_geq(e->seq, b.left) || !tcp_seq_leq(e->end, b.right))
            continue;
        tcp_seg seg;
        memset(&seg, 0, sizeof seg);
        seg.seq = e->seq;
        seg.len = e->end - e->seq;
        o->lost--;
        if (emit && emit->unlost)
            emit->unlost(emit->ctx, 1 - dir, e->id, &seg,
                         t >= c->delay[dir] ? t - c->delay[dir] : 0);
        e->end = e->seq; /* used up */
    }
}

static void analyse(cap_conn *c, int dir, const tcp_seg *s, uint32_t tags, uint64_t t, uint64_t id,
                    const cap_emit *emit)
{
    cap_dir *d = &c->d[dir], *o = &c->d[1 - dir];
    uint32_t seqlen = tcp_seg_seqlen(s);
    bool retx = tcp_obs_is_retransmission(tags);
    d->packets++;
    d->bytes += s->len;
    if (!retx && !(tags & (TCP_TAG_KEEP_ALIVE | TCP_TAG_ZERO_WINDOW_PROBE)))
        d->unique_bytes += s->len;
    if (retx)
        d->retrans++;
    if (tags & TCP_TAG_FAST_RETRANSMISSION)
        d->fast_retrans++;
    if (s->flags & TCP_RST)
        d->rst++;
    if (tags & TCP_TAG_DUP_ACK)
        d->dup_acks++;
    if (tags & TCP_TAG_ZERO_WINDOW)
        d->zero_windows++;

    /* this segment's ACK ends the other side's RTT measurement and retires what it covers */
    if ((s->flags & TCP_ACK) && (!d->have_ack_pkt || tcp_seq_gt(s->ack, d->ack_pkt.ack))) {
        d->have_ack_pkt = true; /* the first packet that acknowledged this much */
        d->ack_pkt_lost = false;
        d->ack_pkt_id = id;
        d->ack_pkt = *s;
    }
    if (s->flags & TCP_ACK) {
        cap_rtt *r = &o->rtt;
        if (r->timing && tcp_seq_geq(s->ack, r->end)) {
            r->timing = false;
            rtt_sample(r, t - r->start);
        }
        ring_acked(o, s->ack, s);
        undo_losses(c, dir, s, t, emit);
    }

    if (seqlen == 0 || (tags & (TCP_TAG_KEEP_ALIVE | TCP_TAG_ZERO_WINDOW_PROBE)))
        return;
    uint32_t end = s->seq + seqlen;
    if (retx) {
        /* Karn: a retransmission of the timed range ends the measurement without a sample */
        if (d->rtt.timing && tcp_seq_lt(s->seq, d->rtt.end))
            d->rtt.timing = false;
    } else if (!d->rtt.timing) {
        d->rtt.timing = true; /* RFC 6298 section 3: time one segment at a time */
        d->rtt.end = end;
        d->rtt.start = t;
    }
    cap_sent e = {.id = id,
                  .t = t,
                  .seq = s->seq,
                  .end = end,
                  .len = s->len,
                  .ack = s->ack,
                  .win = s->win,
                  .tsval = s->tsval,
                  .flags = s->flags,
                  .has_ts = s->has_ts,
                  .acked = false};
    ring_add(d, &e);
}

static bool same_segment(const tcp_seg *a, const tcp_seg *b)
{
    if (a->seq != b->seq || a->ack != b->ack || a->len != b->len || a->flags != b->flags ||
        a->win_raw != b->win_raw || a->has_ts != b->has_ts || a->nsack != b->nsack)
        return false;
    if (a->has_ts && (a->tsval != b->tsval || a->tsecr != b->tsecr))
        return false;
    for (unsigned k = 0; k < a->nsack && k < TCP_MAX_SACK; k++)
        if (a->sack[k].left != b->sack[k].left || a->sack[k].right != b->sack[k].right)
            return false;
    return true;
}

/* The same frame captured again (a mirrored port, a capture on a bridge): over IPv4, one of the
 * side's recent datagrams (the last CAP_SEEN of a sender that numbers them in order) with the same
 * IP identification and the same TCP sequence, ACK, length and flags (a sender numbers every
 * datagram, a retransmission gets a new number); over IPv6, which has no identification, a segment
 * identical to the previous one (options and SACK blocks included) with nothing from the other side
 * between, within 10 ms. */
static bool is_duplicate(cap_dir *d, const cap_packet *p, const tcp_seg *s, uint64_t t)
{
    if (p->ip_version == 4) {
        /* one slot per identification modulo CAP_SEEN: a sender numbers its datagrams in
         * order, so its last CAP_SEEN datagrams sit in distinct slots and one compare is
         * enough */
        struct cap_seen *e = &d->seen[p->ip_id % CAP_SEEN];
        if (e->used && e->ip_id == p->ip_id && e->seq == s->seq && e->ack == s->ack &&
            e->len == s->len && e->flags == s->flags)
            return true;
        e->used = true;
        e->ip_id = p->ip_id;
        e->seq = s->seq;
        e->ack = s->ack;
        e->len = s->len;
        e->flags = s->flags;
        return false;
    }
    if (!d->have_last || !same_segment(&d->last, s))
        return false;
    return !d->reverse_since && t - d->last_t < 10000;
}

uint32_t cap_conn_packet(cap_conn *c, const cap_packet *p, uint64_t t, uint64_t id,
                         const cap_emit *emit)
{
    int dir = cap_conn_dir(c, p);
    tcp_endpoint *snd = &c->ep[dir], *rcv = &c->ep[1 - dir];
    tcp_seg seg = p->seg;
    c->packets++;
    if (t > c->last_t)
        c->last_t = t;
    if (seg.flags & TCP_SYN) {
        if (!(seg.flags & TCP_ACK) && !c->have_synack) {
            c->t_syn = t; /* the last SYN before the SYN,ACK: the one that was answered */
            c->have_syn = true;
        }
        if ((seg.flags & TCP_ACK) && !c->have_synack) {
            c->t_synack = t;
            c->have_synack = true;
        }
        if (!c->syn_seen[dir])
            c->isn[dir] = seg.seq;
        c->syn_seen[dir] = true;
    } else if (dir == 0 && c->have_synack && !c->have_ack && (seg.flags & TCP_ACK) &&
               seg.ack == c->isn[1] + 1) {
        c->t_ack = t;
        c->have_ack = true;
        uint64_t rtt = cap_conn_handshake_rtt(c), ow = 0;
        c->ep[0].obs_rtt = c->ep[1].obs_rtt = rtt;
        int v = cap_conn_vantage(c, &ow);
        if (v == TRACE_CLIENT)
            c->delay[1] = ow; /* the server is one one-way delay from the capture point */
        else if (v == TRACE_SERVER)
            c->delay[0] = ow;
    }
    if (seg.flags & TCP_FIN)
        c->fin_seen[dir] = true;
    if (seg.flags & TCP_RST)
        c->rst_seen = true;

    /* the same frame twice, microseconds apart, with nothing from the other side between: a
     * capture artefact (a mirrored port, a bridge), not a retransmission; the endpoints do not
     * see it again */
    cap_dir *d = &c->d[dir];
    if (is_duplicate(d, p, &seg, t)) {
        seg.tags = TCP_TAG_DUPLICATE;
        seg.win = d->last_win;
        d->packets++;
        d->duplicates++;
        if (emit && emit->send)
            emit->send(emit->ctx, dir, id, &seg, t >= c->delay[dir] ? t - c->delay[dir] : 0);
        return seg.tags;
    }
    d->last = seg;
    d->last_ip_id = p->ip_id;
    d->last_t = t;
    d->have_last = true;
    d->reverse_since = false;
    c->d[1 - dir].reverse_since = true;

    /* the sender's segment left it at t_snd; what was on its way to it and is due by then, or
     * what this segment proves it received, arrives first */
    uint64_t t_snd = t >= c->delay[dir] ? t - c->delay[dir] : 0;
    uint64_t t_rcv_now = t >= c->delay[1 - dir] ? t - c->delay[1 - dir] : 0;
    tcp_obs_advance(rcv, t_rcv_now);
    tcp_obs_before_send(snd, t_snd, &seg);
    if (emit && emit->hold)
        emit->hold(emit->ctx, true);
    uint32_t tags = tcp_obs_sent_at(snd, t_snd, t, &seg, 0);
    seg.tags = tags;
    uint32_t shift = (seg.flags & TCP_SYN) ? 0 : snd->obs_scale_unknown ? 0 : snd->rcv_shift;
    seg.win = (uint32_t)seg.win_raw << shift;
    d->last_win = seg.win;
    if (emit && emit->send)
        emit->send(emit->ctx, dir, id, &seg, t_snd);
    find_losses(c, dir, &seg, tags, t, emit);
    if (emit && emit->hold)
        emit->hold(emit->ctx, false);
    /* on its way to the receiver: it arrives one delay after the capture */
    tcp_obs_arrive(rcv, t_rcv_now, t + c->delay[1 - dir], t, &seg);
    analyse(c, dir, &seg, tags, t, id, emit);
    return tags;
}

bool cap_conn_finished(const cap_conn *c)
{
    for (int i = 0; i < 2; i++)
        if (c->ep[i].state != TCP_CLOSED && c->ep[i].state != TCP_TIME_WAIT)
            return false;
    return true;
}

cap_end cap_conn_end(const cap_conn *c)
{
    if (c->rst_seen)
        return CAP_END_RST;
    if (c->fin_seen[0] && c->fin_seen[1])
        return CAP_END_FIN;
    if (c->fin_seen[0] || c->fin_seen[1])
        return CAP_END_HALF;
    return CAP_END_OPEN;
}

const char *cap_end_name(cap_end e)
{
    switch (e) {
    case CAP_END_FIN:
        return "fin";
    case CAP_END_RST:
        return "rst";
    case CAP_END_HALF:
        return "half-closed";
    default:
        return "open";
    }
}

uint64_t cap_conn_handshake_rtt(const cap_conn *c)
{
    if (!c->have_syn || !c->have_synack || !c->have_ack || c->t_synack < c->t_syn ||
        c->t_ack < c->t_synack)
        return 0;
    return c->t_ack - c->t_syn;
}

void cap_conn_meta(const cap_conn *c, const char *capture_name, trace_meta *meta)
{
    memset(meta, 0, sizeof *meta);
    meta->capture = true;
    char a[CAP_ENDPOINT_STRLEN], b[CAP_ENDPOINT_STRLEN];
    cap_endpoint_str(&c->addr[0], c->port[0], a, sizeof a);
    cap_endpoint_str(&c->addr[1], c->port[1], b, sizeof b);
    snprintf(meta->title, sizeof meta->title, "%s", capture_name);
    snprintf(meta->addr[0], sizeof meta->addr[0], "%s", a);
    snprintf(meta->addr[1], sizeof meta->addr[1], "%s", b);
    for (int i = 0; i < 2; i++) {
        meta->isn_known[i] = c->syn_seen[i];
        meta->isn[i] = c->isn[i];
    }
    uint64_t ow = 0;
    meta->vantage = (uint8_t)cap_conn_vantage(c, &ow);
    meta->one_way = ow;
}

int cap_conn_vantage(const cap_conn *c, uint64_t *one_way)
{
    uint64_t rtt = cap_conn_handshake_rtt(c);
    *one_way = rtt / 2;
    if (rtt == 0)
        return TRACE_VANTAGE_UNKNOWN;
    uint64_t first = c->t_synack - c->t_syn, second = c->t_ack - c->t_synack;
    /* near the client the SYN,ACK comes a round trip after the SYN and the ACK at once; near
     * the server the other way round */
    if (second * 4 < first) {
        *one_way = first / 2;
        return TRACE_CLIENT;
    }
    if (first * 4 < second) {
        *one_way = second / 2;
        return TRACE_SERVER;
    }
    return TRACE_VANTAGE_UNKNOWN;
}

void cap_conn_flush(cap_conn *c, uint64_t now)
{
    (void)now;
    for (int ep = 0; ep < 2; ep++)
        tcp_obs_flush(&c->ep[ep]);
}

void cap_conn_free(cap_conn *c)
{
    for (int ep = 0; ep < 2; ep++) {
        if (c->d[ep].ring_big)
            ring_entries -= c->d[ep].ring_cap;
        free(c->d[ep].ring_big);
        c->d[ep].ring_big = NULL;
        tcp_obs_free(&c->ep[ep]);
    }
}
