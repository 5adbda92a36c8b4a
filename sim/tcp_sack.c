/*
 * tcp_sack.c - the SACK scoreboard of tcp_sack.h: a ring of units in sequence order, cumulative
 * and selective acknowledgment, loss marking (RFC 6675 IsLost, NewReno's first hole, a timeout),
 * the pipe (RFC 6675 SetPipe), and the receiver's SACK blocks (RFC 2018 section 4, RFC 2883).
 *
 * Units are split only at segment boundaries (multiples of smss from the unit's start, as Linux's
 * tcp_match_skb_to_sack rounds), so a SACK block that covers part of a segment marks nothing of
 * it.  Everything is O(units): a scoreboard of a few hundred units costs microseconds per ACK.
 */
#include "tcp_sack.h"

#include <string.h>

#include "tcp_seq.h"

void tcp_sb_init(tcp_sb *sb, uint32_t smss)
{
    sb->first = 0;
    sb->n = 0;
    sb->smss = smss ? smss : 536;
    sb->clock = 1;
}

static uint32_t slot(const tcp_sb *sb, uint32_t i)
{
    return (sb->first + i) % TCP_SB_MAX;
}

tcp_sb_unit *tcp_sb_at(tcp_sb *sb, uint32_t i)
{
    return i < sb->n ? &sb->u[slot(sb, i)] : NULL;
}

const tcp_sb_unit *tcp_sb_at_c(const tcp_sb *sb, uint32_t i)
{
    return i < sb->n ? &sb->u[slot(sb, i)] : NULL;
}

bool tcp_sb_full(const tcp_sb *sb)
{
    return sb->n >= TCP_SB_MAX;
}

/* Data bytes of a unit (its FIN, if any, is not data). */
static uint32_t data_len(const tcp_sb_unit *u)
{
    uint32_t len = u->end - u->start;
    return (u->flags & TCP_SB_FIN) && len > 0 ? len - 1 : len;
}

/* Segments in a unit of `data` bytes: a FIN alone (or a zero-length unit) is one. */
static uint16_t segs_for(const tcp_sb *sb, uint32_t data)
{
    uint32_t s = data == 0 ? 1 : (data + sb->smss - 1) / sb->smss;
    return (uint16_t)(s > 0xffff ? 0xffff : s);
}

int tcp_sb_push(tcp_sb *sb, uint32_t start, uint32_t end, uint16_t segs, uint16_t flags,
                uint64_t now)
{
    if (tcp_sb_full(sb))
        return -1;
    tcp_sb_unit *u = &sb->u[slot(sb, sb->n)];
    u->start = start;
    u->end = end;
    u->segs = segs ? segs : 1;
    u->flags = flags;
    u->xmit = now;
    u->order = sb->clock++;
    sb->n++;
    return 0;
}

int tcp_sb_split(tcp_sb *sb, uint32_t i, uint32_t at)
{
    if (i >= sb->n || tcp_sb_full(sb))
        return -1;
    tcp_sb_unit *u = tcp_sb_at(sb, i);
    if (!tcp_seq_gt(at, u->start) || !tcp_seq_lt(at, u->end))
        return -1;
    if ((u->flags & TCP_SB_FIN) && at == u->end - 1 && data_len(u) == 0)
        return -1;
    /* shift units i+1 .. n-1 up by one */
    for (uint32_t k = sb->n; k > i + 1; k--)
        sb->u[slot(sb, k)] = sb->u[slot(sb, k - 1)];
    sb->n++;
    tcp_sb_unit *a = tcp_sb_at(sb, i), *b = tcp_sb_at(sb, i + 1);
    *b = *a;
    a->end = at;
    b->start = at;
    /* the first part holds no FIN, and the write's end (PSH) stays with the last byte */
    a->flags &= (uint16_t) ~(TCP_SB_FIN | TCP_SB_PSH);
    a->segs = segs_for(sb, data_len(a));
    b->segs = segs_for(sb, data_len(b));
    return 0;
}

int tcp_sb_merge(tcp_sb *sb, uint32_t i)
{
    if (i + 1 >= sb->n)
        return -1;
    tcp_sb_unit *a = tcp_sb_at(sb, i), *b = tcp_sb_at(sb, i + 1);
    a->end = b->end;
    a->flags = (uint16_t)((a->flags & (uint16_t) ~(TCP_SB_FIN | TCP_SB_PSH)) |
                          (b->flags & (TCP_SB_FIN | TCP_SB_PSH)));
    a->segs = segs_for(sb, data_len(a));
    for (uint32_t k = i + 1; k + 1 < sb->n; k++)
        sb->u[slot(sb, k)] = sb->u[slot(sb, k + 1)];
    sb->n--;
    return 0;
}

void tcp_sb_pop_back(tcp_sb *sb)
{
    if (sb->n > 0)
        sb->n--;
}

/* Drops unit 0. */
static void pop_front(tcp_sb *sb)
{
    sb->first = (sb->first + 1) % TCP_SB_MAX;
    sb->n--;
}

static void note_delivered(tcp_sb_delivery *d, const tcp_sb_unit *u)
{
    if (d->visit)
        d->visit(d->ctx, u);
    if (u->flags & (TCP_SB_RETRANS | TCP_SB_EVER_RETRANS))
        d->any_retrans = true;
}

void tcp_sb_ack(tcp_sb *sb, uint32_t una, tcp_sb_delivery *d)
{
    while (sb->n > 0) {
        tcp_sb_unit *u = tcp_sb_at(sb, 0);
        if (!tcp_seq_gt(una, u->start))
            break;
        if (tcp_seq_lt(una, u->end)) {
            /* a partial ACK of a unit: the acknowledged segments go, the rest stays */
            uint32_t before = u->segs;
            uint32_t acked = una - u->start;
            uint32_t bytes = acked;
            tcp_sb_unit part = *u;
            part.end = una;
            u->start = una;
            u->segs = segs_for(sb, data_len(u));
            uint32_t gone = before > u->segs ? before - u->segs : 0;
            if (!(part.flags & TCP_SB_SACKED)) {
                note_delivered(d, &part);
                d->segs_newly += gone;
                if (!(part.flags & (TCP_SB_RETRANS | TCP_SB_EVER_RETRANS)) && !d->have_ack_rtt) {
                    d->have_ack_rtt = true;
                    d->ack_xmit = part.xmit;
                }
            }
            d->segs_acked += gone;
            d->bytes_acked += bytes;
            break;
        }
        if (!(u->flags & TCP_SB_SACKED)) {
            note_delivered(d, u);
            d->segs_newly += u->segs;
            if (!(u->flags & (TCP_SB_RETRANS | TCP_SB_EVER_RETRANS)) && !d->have_ack_rtt) {
                d->have_ack_rtt = true;
                d->ack_xmit = u->xmit;
            }
        }
        d->segs_acked += u->segs;
        d->bytes_acked += u->end - u->start;
        pop_front(sb);
    }
}

/* The first segment boundary of unit u at or after seq (rounding up), or u->end. */
static uint32_t round_up(const tcp_sb *sb, const tcp_sb_unit *u, uint32_t seq)
{
    uint32_t off = seq - u->start;
    uint32_t k = (off + sb->smss - 1) / sb->smss * sb->smss;
    uint32_t d = data_len(u);
    return k >= d ? u->end : u->start + k;
}

/* The last segment boundary of unit u at or before seq (rounding down). */
static uint32_t round_down(const tcp_sb *sb, const tcp_sb_unit *u, uint32_t seq)
{
    uint32_t off = seq - u->start;
    return u->start + off / sb->smss * sb->smss;
}

static void sack_one(tcp_sb *sb, uint32_t left, uint32_t right, tcp_sb_delivery *d)
{
    for (uint32_t i = 0; i < sb->n; i++) {
        tcp_sb_unit *u = tcp_sb_at(sb, i);
        if (!tcp_seq_lt(u->start, right))
            break; /* units are in order: nothing further overlaps */
        if (!tcp_seq_gt(u->end, left) || (u->flags & TCP_SB_SACKED))
            continue;
        if (tcp_seq_gt(left, u->start)) {
            /* the block starts inside: split at the first whole segment it covers */
            uint32_t at = round_up(sb, u, left);
            if (at != u->end && tcp_sb_split(sb, i, at) == 0)
                continue; /* the second part is looked at next */
            continue;     /* no whole segment of this unit is covered */
        }
        if (tcp_seq_lt(right, u->end)) {
            /* the block ends inside: keep the whole segments it covers */
            uint32_t at = round_down(sb, u, right);
            if (at == u->start || tcp_sb_split(sb, i, at) < 0)
                break;
            u = tcp_sb_at(sb, i);
        }
        note_delivered(d, u);
        u->flags |= TCP_SB_SACKED;
        d->segs_sacked += u->segs;
        d->segs_newly += u->segs;
        d->bytes_sacked += u->end - u->start;
        if (!(u->flags & (TCP_SB_RETRANS | TCP_SB_EVER_RETRANS)) &&
            (!d->have_sack_rtt || u->xmit < d->sack_xmit)) {
            d->have_sack_rtt = true;
            d->sack_xmit = u->xmit;
        }
        u->flags &= (uint16_t) ~(TCP_SB_LOST | TCP_SB_RETRANS);
    }
}

void tcp_sb_sack(tcp_sb *sb, const tcp_sack_block *b, uint32_t nb, uint32_t una, uint32_t snd_max,
                 tcp_sb_delivery *d)
{
    for (uint32_t k = 0; k < nb && k < TCP_MAX_SACK; k++) {
        uint32_t l = b[k].left, r = b[k].right;
        if (!tcp_seq_lt(l, r))
            continue;
        if (k == 0 && (tcp_seq_leq(r, una) ||
                       (nb > 1 && tcp_seq_geq(l, b[1].left) && tcp_seq_leq(r, b[1].right)))) {
            /* RFC 2883 section 4: a duplicate reported in the first block */
            d->dsack = true;
            d->dsack_left = l;
            d->dsack_right = r;
            continue;
        }
        if (tcp_seq_lt(l, una))
            l = una;
        if (tcp_seq_gt(r, snd_max) || !tcp_seq_lt(l, r))
            continue; /* SACKs what was never sent: ignored (RFC 2018 leaves it to us) */
        sack_one(sb, l, r, d);
    }
}

void tcp_sb_mark_all_lost(tcp_sb *sb)
{
    for (uint32_t i = 0; i < sb->n; i++) {
        tcp_sb_unit *u = tcp_sb_at(sb, i);
        u->flags &= (uint16_t)~TCP_SB_RETRANS;
        if (!(u->flags & TCP_SB_SACKED))
            u->flags |= TCP_SB_LOST;
    }
}

uint32_t tcp_sb_mark_lost(tcp_sb *sb, uint32_t i)
{
    tcp_sb_unit *u = tcp_sb_at(sb, i);
    if (u == NULL || (u->flags & (TCP_SB_SACKED | TCP_SB_LOST)))
        return 0;
    u->flags |= TCP_SB_LOST;
    u->flags &= (uint16_t)~TCP_SB_RETRANS;
    return u->segs;
}

uint32_t tcp_sb_mark_lost_6675(tcp_sb *sb, uint32_t dupthresh)
{
    /* walk from the top down, counting SACKed segments and bytes above each unit */
    uint32_t segs = 0, bytes = 0, marked = 0;
    for (uint32_t k = sb->n; k-- > 0;) {
        tcp_sb_unit *u = tcp_sb_at(sb, k);
        if (u->flags & TCP_SB_SACKED) {
            segs += u->segs;
            bytes += u->end - u->start;
            continue;
        }
        if (segs >= dupthresh || bytes > (dupthresh - 1) * sb->smss)
            marked += tcp_sb_mark_lost(sb, k);
    }
    return marked;
}

uint32_t tcp_sb_mark_head_lost(tcp_sb *sb)
{
    for (uint32_t i = 0; i < sb->n; i++) {
        const tcp_sb_unit *u = tcp_sb_at(sb, i);
        if (u->flags & TCP_SB_SACKED)
            continue;
        return tcp_sb_mark_lost(sb, i);
    }
    return 0;
}

int tcp_sb_first_lost(const tcp_sb *sb)
{
    for (uint32_t i = 0; i < sb->n; i++) {
        const tcp_sb_unit *u = tcp_sb_at_c(sb, i);
        if ((u->flags & TCP_SB_LOST) && !(u->flags & (TCP_SB_RETRANS | TCP_SB_SACKED)))
            return (int)i;
    }
    return -1;
}

void tcp_sb_retransmitted(tcp_sb *sb, uint32_t i, uint64_t now)
{
    tcp_sb_unit *u = tcp_sb_at(sb, i);
    if (u == NULL)
        return;
    u->flags |= TCP_SB_RETRANS | TCP_SB_EVER_RETRANS;
    u->xmit = now;
    u->order = sb->clock++;
}

void tcp_sb_count(const tcp_sb *sb, tcp_sb_counts *c)
{
    memset(c, 0, sizeof *c);
    for (uint32_t i = 0; i < sb->n; i++) {
        const tcp_sb_unit *u = tcp_sb_at_c(sb, i);
        uint32_t len = u->end - u->start;
        c->segs_out += u->segs;
        c->bytes_out += len;
        if (u->flags & TCP_SB_SACKED) {
            c->sacked_segs += u->segs;
            c->sacked_bytes += len;
            c->high_sacked = u->end;
        }
        if (u->flags & TCP_SB_LOST) {
            c->lost_segs += u->segs;
            c->lost_bytes += len;
        }
        if (u->flags & TCP_SB_RETRANS) {
            c->retrans_segs += u->segs;
            c->retrans_bytes += len;
        }
    }
}

/* RFC 6675 SetPipe: for each unit not SACKed, one for the original unless it is lost, one more
 * for a retransmission in flight. */
uint32_t tcp_sb_pipe_segs(const tcp_sb *sb)
{
    uint32_t pipe = 0;
    for (uint32_t i = 0; i < sb->n; i++) {
        const tcp_sb_unit *u = tcp_sb_at_c(sb, i);
        if (u->flags & TCP_SB_SACKED)
            continue;
        if (!(u->flags & TCP_SB_LOST))
            pipe += u->segs;
        if (u->flags & TCP_SB_RETRANS)
            pipe += u->segs;
    }
    return pipe;
}

uint32_t tcp_sb_pipe_bytes(const tcp_sb *sb)
{
    uint32_t pipe = 0;
    for (uint32_t i = 0; i < sb->n; i++) {
        const tcp_sb_unit *u = tcp_sb_at_c(sb, i);
        uint32_t len = u->end - u->start;
        if (u->flags & TCP_SB_SACKED)
            continue;
        if (!(u->flags & TCP_SB_LOST))
            pipe += len;
        if (u->flags & TCP_SB_RETRANS)
            pipe += len;
    }
    return pipe;
}

/* ---- receiver side ------------------------------------------------------------------------ */

uint8_t tcp_sack_build(const tcp_sack_block *r, const uint32_t *age, uint32_t n,
                       const tcp_sack_block *dsack, unsigned max, tcp_sack_block *out)
{
    uint8_t k = 0;
    if (max > TCP_MAX_SACK)
        max = TCP_MAX_SACK;
    if (dsack && k < max)
        out[k++] = *dsack;
    bool used[32] = {false};
    if (n > 32)
        n = 32;
    while (k < max) {
        int best = -1;
        for (uint32_t i = 0; i < n; i++)
            if (!used[i] && (best < 0 || age[i] > age[best]))
                best = (int)i;
        if (best < 0)
            break;
        used[best] = true;
        out[k++] = r[best];
    }
    return k;
}
