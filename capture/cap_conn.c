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
    /* Zeek's '^': the first packet came from the side taken as the server */
    cap_zeek_init(&c->zeek, !client_is_src);
}

/* ---- per-direction analysis ---------------------------------------------------------------- */

size_t cap_conn_ring_entries(void)
{
    return tcp_obs_flight_entries();
}

/* A sample of side `ep`'s RTT: counted here (what the capture measured), and given to the
 * observer endpoint's own RFC 6298 estimator (ep->rto, with tcp_config_default's constants:
 * initial 1 s, minimum 1 s, G = 1 ms), which its TCB records report. */
static void rtt_sample(cap_rtt *r, tcp_endpoint *ep, uint64_t sample)
{
    r->n++;
    r->sum += sample;
    if (r->n == 1 || sample < r->min)
        r->min = sample;
    if (sample > r->max)
        r->max = sample;
    tcp_rto_sample(&ep->rto, sample);
}

/* One earlier copy found lost after the capture point: counted, reported, remembered for a
 * D-SACK that may take it back, and the receiver is told it never arrived. */
struct lost_ctx {
    cap_conn *c;
    int dir;
    uint64_t t, t_snd;
    const cap_emit *emit;
};

static void report_lost(void *ctx, const tcp_obs_seen *e)
{
    struct lost_ctx *l = ctx;
    cap_conn *c = l->c;
    cap_dir *d = &c->d[l->dir];
    tcp_seg lost;
    memset(&lost, 0, sizeof lost);
    lost.seq = e->seq;
    lost.len = e->len;
    lost.flags = e->flags;
    lost.ack = e->ack;
    lost.win = e->win;
    d->lost++;
    if (l->emit && l->emit->lost)
        l->emit->lost(l->emit->ctx, l->dir, e->id, &lost, l->t_snd);
    d->lost_rec[d->n_lost_rec++ % CAP_LOST_KEPT] = (struct cap_lost_rec){e->seq, e->end, e->id};
    c->ep[1 - l->dir].obs_ref = l->t;
    tcp_obs_not_arrived(&c->ep[1 - l->dir], l->t + c->delay[1 - l->dir], &lost);
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
    /* the receiver's endpoint keeps what was seen going to it until it proves it received */
    const tcp_obs_seen *prev = tcp_obs_flight_find(&c->ep[1 - dir], s->seq);
    if (prev && d->n_retx_interval < CAP_RETX_INTERVALS)
        d->retx_interval[d->n_retx_interval++] = t - prev->t;
    if (prev && !(tags & TCP_TAG_FAST_RETRANSMISSION) && t - prev->t >= 200000)
        d->rto_stall_us += t - prev->t; /* a timeout: the sender waited, nothing moved */
    if (tags & TCP_TAG_SPURIOUS) {
        /* the ACK that covered it was lost on its way back, unless this packet or an earlier one
         * of its sender acknowledges that ACK's segment (then it arrived: the retransmission had
         * another cause, or it is a stale copy of an earlier frame) */
        uint32_t alen = tcp_seg_seqlen(&o->ack_pkt), aend = o->ack_pkt.seq + alen;
        bool arrived = alen > 0 && (((s->flags & TCP_ACK) && tcp_seq_geq(s->ack, aend)) ||
                                    (d->have_ack_pkt && tcp_seq_geq(d->ack_pkt.ack, aend)));
        if (o->have_ack_pkt && !o->ack_pkt_lost && !arrived && tcp_seq_geq(o->ack_pkt.ack, end)) {
            o->ack_pkt_lost = true;
            o->lost++;
            if (alen == 0)
                o->lost_acks++;
            if (emit && emit->lost)
                emit->lost(emit->ctx, 1 - dir, o->ack_pkt_id, &o->ack_pkt, t_snd);
        }
        return;
    }
    struct lost_ctx lc = {c, dir, t, t_snd, emit};
    tcp_obs_find_lost(&c->ep[1 - dir], s, report_lost, &lc);
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

/* ---- counting as the kernel and Zeek count ------------------------------------------------- */

/* The size of the segments the sender cut its data into: the peer's MSS option, less the 12
 * bytes of the timestamp option when both SYNs carried it (what Linux keeps as mss_cache), or
 * RFC 9293's default of 536 when a SYN without MSS option was seen; 1460 (less 12) when no
 * handshake was captured. */
static uint32_t send_mss(const cap_conn *c, int dir)
{
    uint32_t mss = c->d[1 - dir].mss_opt;
    if (mss == 0)
        mss = c->syn_seen[1 - dir] ? 536 : 1460;
    if (c->ts_ok || (!c->syn_seen[1 - dir] && c->d[dir].last.has_ts))
        mss = mss > 12 ? mss - 12 : 1;
    return mss;
}

/* A TSO/GSO super-packet (captured on the sending host before segmentation) is several
 * segments on the wire: the kernel counts each (TcpOutSegs, TcpRetransSegs). */
static uint32_t segments_of(const cap_conn *c, int dir, const tcp_seg *s)
{
    if (s->len == 0)
        return 1;
    uint32_t mss = send_mss(c, dir);
    return (s->len + mss - 1) / mss;
}

static void hole_add(cap_dir *d, uint32_t start, uint32_t end)
{
    d->missed_bytes += end - start;
    /* what the capture missed may hold the ACK that ended the RTT measurement: a later ACK
     * would make one sample of the gap (Karn's rule's spirit: no sample that may be wrong) */
    d->rtt.timing = false;
    if (d->n_holes == CAP_HOLES) { /* the oldest stays missed for good */
        memmove(d->holes, d->holes + 1, (CAP_HOLES - 1) * sizeof d->holes[0]);
        d->n_holes--;
    }
    d->holes[d->n_holes++] = (struct cap_hole){start, end};
}

/* Payload bytes of s that no earlier segment of the capture held: those above the highest
 * sequence number seen, and those filling a hole (a partial retransmission counts its new bytes;
 * a reordered segment counts all of its own).  Sequence space jumped over becomes a hole, counted
 * in missed_bytes until something fills it. */
static uint64_t seen_bytes(cap_dir *d, const tcp_seg *s)
{
    uint32_t start = s->seq + ((s->flags & TCP_SYN) ? 1u : 0u), end = start + s->len;
    if (!d->have_hi) {
        d->have_hi = true;
        d->hi = start;
    }
    if (s->len == 0 && !(s->flags & TCP_FIN))
        return 0;
    uint64_t fresh = 0;
    if (tcp_seq_gt(start, d->hi)) {
        hole_add(d, d->hi, start);
        d->hi = start;
    }
    /* holes more than CAP_HOLE_FAR behind the highest sequence number cannot be told from
     * sequence space a wrap later (a capture that skips gigabytes, zeek_ftp-bigtransfer.pcap):
     * they stay missed for good */
    for (uint32_t k = 0; k < d->n_holes;) {
        if (d->hi - d->holes[k].end > CAP_HOLE_FAR ||
            d->holes[k].end - d->holes[k].start > CAP_HOLE_FAR) {
            memmove(&d->holes[k], &d->holes[k + 1], (d->n_holes - k - 1) * sizeof d->holes[0]);
            d->n_holes--;
            continue;
        }
        k++;
    }
    for (uint32_t k = 0; k < d->n_holes && tcp_seq_lt(start, end);) {
        struct cap_hole *h = &d->holes[k];
        uint32_t a = tcp_seq_max(start, h->start), b = tcp_seq_min(end, h->end);
        if (!tcp_seq_lt(a, b)) {
            k++;
            continue;
        }
        fresh += b - a;
        d->missed_bytes -= b - a;
        if (a == h->start && b == h->end) {
            memmove(h, h + 1, (d->n_holes - k - 1) * sizeof *h);
            d->n_holes--;
            continue;
        }
        if (a == h->start) {
            h->start = b;
        } else if (b == h->end) {
            h->end = a;
        } else { /* the middle of a hole: the part above becomes a hole of its own */
            uint32_t top = h->end;
            h->end = a;
            if (d->n_holes < CAP_HOLES)
                d->holes[d->n_holes++] = (struct cap_hole){b, top};
            else
                d->missed_bytes -= top - b; /* cannot track it: forget it rather than lie */
        }
        k++;
    }
    if (tcp_seq_gt(end, d->hi)) {
        fresh += end - tcp_seq_max(start, d->hi);
        d->hi = end;
    }
    return fresh;
}

/* The peer acknowledges sequence space of this side that the capture never showed: missed (as
 * Zeek counts it).  A single octet beyond is taken as an uncaptured FIN, not data. */
static void acked_unseen(cap_dir *d, uint32_t ack)
{
    if (!d->have_hi || !tcp_seq_gt(ack, d->hi + 1) || ack - d->hi > 0x40000000u)
        return;
    hole_add(d, d->hi, ack);
    d->hi = ack;
}

static void analyse(cap_conn *c, int dir, const tcp_seg *s, uint32_t tags, uint64_t t, uint64_t id,
                    const cap_emit *emit)
{
    cap_dir *d = &c->d[dir], *o = &c->d[1 - dir];
    uint32_t seqlen = tcp_seg_seqlen(s);
    bool retx = tcp_obs_is_retransmission(tags);
    d->packets++;
    d->bytes += s->len;
    uint32_t nseg = segments_of(c, dir, s);
    d->segments += nseg;
    if (!(tags & (TCP_TAG_KEEP_ALIVE | TCP_TAG_ZERO_WINDOW_PROBE)))
        d->unique_bytes += seen_bytes(d, s);
    if (seqlen > 0 && !(tags & (TCP_TAG_KEEP_ALIVE | TCP_TAG_ZERO_WINDOW_PROBE)))
        d->data_segs += nseg;
    if (retx) {
        d->retrans++;
        d->retrans_segs += nseg;
    }
    if (tags & TCP_TAG_OUT_OF_ORDER)
        d->out_of_order++;
    if (tags & TCP_TAG_OPTIONS_CUT)
        d->options_cut++;
    if ((s->flags & TCP_ACK) && !(s->flags & TCP_RST)) { /* time with a zero window */
        if (s->win_raw == 0 && !d->in_zw) {
            d->in_zw = true;
            d->zw_since = t;
        } else if (s->win_raw != 0 && d->in_zw) {
            d->in_zw = false;
            d->zero_window_us += t - d->zw_since;
        }
    }
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
        /* an ACK of sequence space the capture never showed (beyond what it saw, or a hole in
         * it): the capture missed packets, among them perhaps the ACK that ended the
         * measurement; no sample from this one */
        bool beyond = o->have_hi && tcp_seq_gt(s->ack, o->hi + 1);
        for (uint32_t k = 0; k < o->n_holes && !beyond; k++)
            beyond = tcp_seq_lt(o->holes[k].start, s->ack); /* it covers what was not seen */
        acked_unseen(o, s->ack);
        cap_rtt *r = &o->rtt;
        if (r->timing && tcp_seq_geq(s->ack, r->end)) {
            r->timing = false;
            if (!beyond)
                rtt_sample(r, &c->ep[1 - dir], t - r->start);
        }
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
}

/* The same frame captured again (a mirrored port, a capture on a bridge, an 802.11 MAC retry):
 * one rule for IPv4 and IPv6.  Byte-identical to the previous segment of the same sender (the
 * TCP header with its options and checksum, the first payload bytes, the IPv4 identification, the
 * length), with nothing from that sender in between, within CAP_DUP_WINDOW.  Equal fields are not
 * enough: RFC 6864 lets a sender repeat IPv4 IDs on atomic datagrams, a copy 300 ms later is a
 * retransmission, and ACKs with different SACK blocks are different ACKs. */
static bool is_duplicate(const cap_dir *d, const cap_packet *p, uint64_t t)
{
    return d->have_last && d->last_ip_version == p->ip_version && d->last_digest == p->tcp_digest &&
           d->last.len == p->seg.len && (p->ip_version != 4 || d->last_ip_id == p->ip_id) &&
           t - d->last_t < CAP_DUP_WINDOW;
}

/* A one-way delay, or 0 when it is below CAP_NEAR. */
static uint64_t near_or(uint64_t d)
{
    return d < CAP_NEAR ? 0 : d;
}

/* The server's first answer to the last SYN, captured at t: its distance from the capture point
 * is half that round trip, and the SYN waiting for the answer arrived then. */
static void server_answers(cap_conn *c, uint64_t t)
{
    if (t < c->t_syn)
        return;
    c->delay[1] = near_or((t - c->t_syn) / 2);
    tcp_obs_retime(&c->ep[1], c->delay[1]);
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
            if (c->have_syn && dir == 1)
                server_answers(c, t);
        }
        if (!c->syn_seen[dir])
            c->isn[dir] = seg.seq;
        c->syn_seen[dir] = true;
        if (seg.has_mss)
            c->d[dir].mss_opt = seg.mss ? seg.mss : 1;
        if (seg.flags & TCP_ACK)
            c->ts_ok = seg.has_ts && c->d[1 - dir].last.has_ts;
    } else if (dir == 0 && c->have_synack && !c->have_ack && (seg.flags & TCP_ACK) &&
               seg.ack == c->isn[1] + 1) {
        c->t_ack = t;
        c->have_ack = true;
        uint64_t rtt = cap_conn_handshake_rtt(c), ow = 0;
        c->ep[0].obs_rtt = c->ep[1].obs_rtt = rtt;
        int v = cap_conn_vantage(c, &ow);
        /* each half of the handshake is a round trip between the capture point and one end:
         * SYN to SYN,ACK to the server and back, SYN,ACK to ACK to the client and back.  Near
         * one end the other is the whole one-way delay away; in the middle each end is half its
         * own round trip away (a half below CAP_NEAR is only the end's processing time) */
        if (v == TRACE_CLIENT) {
            c->delay[1] = ow; /* the server is one one-way delay from the capture point */
            c->delay[0] = 0;
        } else if (v == TRACE_SERVER) {
            c->delay[0] = ow;
            c->delay[1] = 0;
        } else {
            c->delay[1] = near_or((c->t_synack - c->t_syn) / 2);
            c->delay[0] = near_or((c->t_ack - c->t_synack) / 2);
        }
        tcp_obs_retime(&c->ep[0], c->delay[0]); /* the SYN,ACK waiting for this ACK */
    }
    if (dir == 1 && (seg.flags & TCP_RST) && (seg.flags & TCP_ACK) && c->have_syn &&
        !c->have_synack && seg.ack == c->isn[0] + 1)
        server_answers(c, t); /* refused: the RST answers the SYN as a SYN,ACK would */
    if (seg.flags & TCP_FIN)
        c->fin_seen[dir] = true;
    if (seg.flags & TCP_RST)
        c->rst_seen = true;

    /* the same frame twice, microseconds apart: a capture artefact (a mirrored port, a bridge),
     * not a retransmission; the endpoints do not see it again */
    cap_dir *d = &c->d[dir];
    if (is_duplicate(d, p, t)) {
        seg.tags = TCP_TAG_DUPLICATE;
        seg.win = d->last_win;
        d->packets++;
        d->duplicates++;
        if (emit && emit->send)
            emit->send(emit->ctx, dir, id, &seg, t >= c->delay[dir] ? t - c->delay[dir] : 0);
        return seg.tags;
    }

    /* the sender's segment left it at t_snd; what was on its way to it and is due by then, or
     * what this segment proves it received, arrives first */
    uint64_t t_snd = t >= c->delay[dir] ? t - c->delay[dir] : 0;
    uint64_t t_rcv_now = t >= c->delay[1 - dir] ? t - c->delay[1 - dir] : 0;
    /* ...but not before what it proves received was captured, nor before its previous segment */
    t_snd = tcp_obs_send_floor(snd, t_snd, t, &seg);
    if (d->have_last && t_snd < d->last_t_snd)
        t_snd = d->last_t_snd;
    d->last_t_snd = t_snd;
    tcp_obs_advance(rcv, t_rcv_now);
    tcp_obs_before_send(snd, t_snd, &seg);
    if (emit && emit->hold)
        emit->hold(emit->ctx, true);
    /* an older IPv4 ID or TSval than this sender's previous segment: sent before it */
    uint32_t hints = 0;
    if (d->have_last && t - d->last_t <= 10000 &&
        ((p->ip_version == 4 && p->ip_id != d->last_ip_id &&
          (int16_t)(p->ip_id - d->last_ip_id) < 0) ||
         (seg.has_ts && d->last.has_ts && (int32_t)(seg.tsval - d->last.tsval) < 0)))
        hints |= TCP_OBS_SENT_EARLIER;
    d->last = seg;
    d->last_ip_id = p->ip_id;
    d->last_digest = p->tcp_digest;
    d->last_ip_version = p->ip_version;
    d->last_t = t;
    d->have_last = true;
    uint32_t tags = tcp_obs_sent_at(snd, t_snd, t, &seg, hints);
    if (p->options_cut) {
        tags |= TCP_TAG_OPTIONS_CUT;
        if (seg.flags & TCP_SYN) { /* a cut window scale changes every window */
            c->ep[0].obs_scale_unknown = c->ep[1].obs_scale_unknown = true;
        }
    }
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
    uint64_t t_arr = t + c->delay[1 - dir];
    if ((seg.flags & TCP_SYN) && !(seg.flags & TCP_ACK) && dir == 0 && !c->have_synack)
        /* the same for the SYN: the server's SYN,ACK proves it and places the capture */
        t_arr = t + CAP_SYNACK_WAIT;
    else if (dir == 1 && (seg.flags & TCP_SYN) && (seg.flags & TCP_ACK) && c->have_syn &&
             !c->have_ack)
        /* how far the client is from the capture point is known only from its ACK of this
         * SYN,ACK: the SYN,ACK waits for that ACK, which proves it arrived and is applied no later
         * than the ACK left (CAP_SYNACK_WAIT at most, when no ACK comes) */
        t_arr = t + CAP_SYNACK_WAIT;
    tcp_obs_arrive(rcv, t_rcv_now, t_arr, t, id, &seg);
    uint64_t missed = d->missed_bytes + c->d[1 - dir].missed_bytes;
    analyse(c, dir, &seg, tags, t, id, emit);
    cap_zeek_pkt zp = {.orig = dir == 0,
                       .seg = &seg,
                       .bad_checksum = p->csum == CAP_CSUM_BAD && !p->csum_offload,
                       .gap = d->missed_bytes + c->d[1 - dir].missed_bytes > missed,
                       .retransmission = tcp_obs_is_retransmission(tags)};
    cap_zeek_packet(&c->zeek, &zp);
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
        return "one-fin"; /* not "half-closed": the capture did not show how it ended */
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
    for (int ep = 0; ep < 2; ep++)
        tcp_obs_free(&c->ep[ep]);
}

/* ---- verdicts ------------------------------------------------------------------------------- */

uint64_t cap_conn_zero_window_time(const cap_conn *c, int dir)
{
    const cap_dir *d = &c->d[dir];
    return d->zero_window_us + (d->in_zw ? c->last_t - d->zw_since : 0);
}

uint64_t cap_conn_data_segments(const cap_conn *c, int dir)
{
    return c->d[dir].data_segs;
}

uint64_t cap_conn_lost_data(const cap_conn *c, int dir)
{
    const cap_dir *d = &c->d[dir];
    return d->lost >= d->lost_acks ? d->lost - d->lost_acks : 0;
}

const char *cap_conn_problem(const cap_conn *c)
{
    const char *zs = cap_zeek_conn_state(&c->zeek);
    if (strcmp(zs, "REJ") == 0)
        return "refused";
    if (strcmp(zs, "S0") == 0 || strcmp(zs, "SH") == 0)
        return "no-reply";
    if (c->rst_seen)
        return "reset";
    uint64_t dur = c->last_t - c->first_t, stall = 0, zw = 0, lost = 0, segs = 0, retx = 0;
    uint64_t missed = 0;
    for (int i = 0; i < 2; i++) {
        stall += c->d[i].rto_stall_us;
        uint64_t z = cap_conn_zero_window_time(c, i);
        zw = z > zw ? z : zw;
        lost += cap_conn_lost_data(c, i);
        segs += c->d[i].data_segs;
        retx += c->d[i].retrans_segs;
        missed += c->d[i].missed_bytes;
    }
    /* a tenth of the connection's time or more waiting on timeouts, or on a closed window */
    if (stall > 0 && stall * 10 >= dur)
        return "rto-stall";
    if (zw > 0 && zw * 10 >= dur)
        return "receiver-limited";
    /* 1 % of the segments or more lost or sent again */
    if (segs > 0 && (lost * 100 >= segs || retx * 100 >= 2 * segs) && retx > 0)
        return "lossy";
    if (missed > 0)
        return "capture-gaps";
    return "none";
}
