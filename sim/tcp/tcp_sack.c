/*
 * tcp_sack.c - the SACK scoreboard of tcp_sack.h: a ring of units in sequence order, cumulative
 * and selective acknowledgment, loss marking (RFC 6675 IsLost, NewReno's first hole, a timeout),
 * the pipe (RFC 6675 SetPipe), and the receiver's SACK blocks (RFC 2018 section 4, RFC 2883).
 *
 * Units are split only at segment boundaries (multiples of smss from the unit's start, as Linux's
 * tcp_match_skb_to_sack rounds), so a SACK block that covers part of a segment marks nothing of
 * it.  Marking is O(units) per ACK; the counts, the pipe and the first unit to retransmit are
 * kept as the units change (acct), so the sender's questions per segment cost O(1).
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
    memset(&sb->cnt, 0, sizeof sb->cnt);
    sb->pipe_segs = sb->pipe_bytes = sb->pending = 0;
}

static uint32_t slot(const tcp_sb *sb, uint32_t i)
{
    return (sb->first + i) % TCP_SB_MAX;
}

/* Adds (sign 1) or takes away (sign -1) what unit u contributes to the kept counts; every change
 * of a unit is bracketed by acct(-1) and acct(+1).  Unsigned arithmetic wraps back exactly. */
static void acct(tcp_sb *sb, const tcp_sb_unit *u, int sign)
{
    uint32_t k = sign > 0 ? 1u : (uint32_t)-1;
    uint32_t segs = u->segs * k, len = (u->end - u->start) * k;
    tcp_sb_counts *c = &sb->cnt;
    c->segs_out += segs;
    c->bytes_out += len;
    if (u->flags & TCP_SB_SACKED) {
        c->sacked_segs += segs;
        c->sacked_bytes += len;
    } else {
        /* RFC 6675 SetPipe: the original unless it is lost, and a retransmission in flight */
        if (!(u->flags & TCP_SB_LOST)) {
            sb->pipe_segs += segs;
            sb->pipe_bytes += len;
        }
        if (u->flags & TCP_SB_RETRANS) {
            sb->pipe_segs += segs;
            sb->pipe_bytes += len;
        }
        if ((u->flags & TCP_SB_LOST) && !(u->flags & TCP_SB_RETRANS))
            sb->pending += k;
    }
    if (u->flags & TCP_SB_LOST) {
        c->lost_segs += segs;
        c->lost_bytes += len;
    }
    if (u->flags & TCP_SB_RETRANS) {
        c->retrans_segs += segs;
        c->retrans_bytes += len;
    }
}

/* high_sacked from the units (after a change that may have removed the highest SACKed one). */
static void find_high_sacked(tcp_sb *sb)
{
    for (uint32_t k = sb->n; k-- > 0;) {
        const tcp_sb_unit *u = &sb->u[slot(sb, k)];
        if (u->flags & TCP_SB_SACKED) {
            sb->cnt.high_sacked = u->end;
            return;
        }
    }
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
    acct(sb, u, 1);
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
    acct(sb, u, -1);
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
    acct(sb, a, 1);
    acct(sb, b, 1);
    return 0;
}

int tcp_sb_merge(tcp_sb *sb, uint32_t i)
{
    if (i + 1 >= sb->n)
        return -1;
    tcp_sb_unit *a = tcp_sb_at(sb, i), *b = tcp_sb_at(sb, i + 1);
    bool sacked = ((a->flags | b->flags) & TCP_SB_SACKED) != 0;
    acct(sb, a, -1);
    acct(sb, b, -1);
    a->end = b->end;
    a->flags = (uint16_t)((a->flags & (uint16_t) ~(TCP_SB_FIN | TCP_SB_PSH)) |
                          (b->flags & (TCP_SB_FIN | TCP_SB_PSH)));
    a->segs = segs_for(sb, data_len(a));
    for (uint32_t k = i + 1; k + 1 < sb->n; k++)
        sb->u[slot(sb, k)] = sb->u[slot(sb, k + 1)];
    sb->n--;
    acct(sb, a, 1);
    if (sacked) /* the SACKed range may have grown or lost its top */
        find_high_sacked(sb);
    return 0;
}

void tcp_sb_pop_back(tcp_sb *sb)
{
    if (sb->n == 0)
        return;
    const tcp_sb_unit *u = tcp_sb_at_c(sb, sb->n - 1);
    bool sacked = (u->flags & TCP_SB_SACKED) != 0;
    acct(sb, u, -1);
    sb->n--;
    if (sacked)
        find_high_sacked(sb);
}

/* Drops unit 0. */
static void pop_front(tcp_sb *sb)
{
    acct(sb, &sb->u[sb->first], -1);
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
            acct(sb, u, -1);
            u->start = una;
            u->segs = segs_for(sb, data_len(u));
            acct(sb, u, 1);
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
        acct(sb, u, -1);
        bool none = sb->cnt.sacked_segs == 0;
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
        acct(sb, u, 1);
        if (none || tcp_seq_gt(u->end, sb->cnt.high_sacked))
            sb->cnt.high_sacked = u->end;
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
        acct(sb, u, -1);
        u->flags &= (uint16_t)~TCP_SB_RETRANS;
        if (!(u->flags & TCP_SB_SACKED))
            u->flags |= TCP_SB_LOST;
        acct(sb, u, 1);
    }
}

uint32_t tcp_sb_mark_lost(tcp_sb *sb, uint32_t i)
{
    tcp_sb_unit *u = tcp_sb_at(sb, i);
    if (u == NULL || (u->flags & (TCP_SB_SACKED | TCP_SB_LOST)))
        return 0;
    acct(sb, u, -1);
    u->flags |= TCP_SB_LOST;
    u->flags &= (uint16_t)~TCP_SB_RETRANS;
    acct(sb, u, 1);
    return u->segs;
}

uint32_t tcp_sb_mark_relost(tcp_sb *sb, uint32_t i)
{
    tcp_sb_unit *u = tcp_sb_at(sb, i);
    if (u == NULL || (u->flags & TCP_SB_SACKED))
        return 0;
    acct(sb, u, -1);
    u->flags |= TCP_SB_LOST;
    u->flags &= (uint16_t)~TCP_SB_RETRANS;
    acct(sb, u, 1);
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
    if (sb->pending == 0)
        return -1;
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
    acct(sb, u, -1);
    u->flags |= TCP_SB_RETRANS | TCP_SB_EVER_RETRANS;
    acct(sb, u, 1);
    u->xmit = now;
    u->order = sb->clock++;
}

void tcp_sb_count(const tcp_sb *sb, tcp_sb_counts *c)
{
    *c = sb->cnt;
}

uint32_t tcp_sb_pipe_segs(const tcp_sb *sb)
{
    return sb->pipe_segs;
}

uint32_t tcp_sb_pipe_bytes(const tcp_sb *sb)
{
    return sb->pipe_bytes;
}

void tcp_sb_recount(const tcp_sb *sb, tcp_sb_counts *c, uint32_t *pipe_segs, uint32_t *pipe_bytes,
                    uint32_t *pending)
{
    memset(c, 0, sizeof *c);
    *pipe_segs = *pipe_bytes = *pending = 0;
    for (uint32_t i = 0; i < sb->n; i++) {
        const tcp_sb_unit *u = tcp_sb_at_c(sb, i);
        uint32_t len = u->end - u->start;
        c->segs_out += u->segs;
        c->bytes_out += len;
        if (u->flags & TCP_SB_SACKED) {
            c->sacked_segs += u->segs;
            c->sacked_bytes += len;
            c->high_sacked = u->end;
        } else {
            /* RFC 6675 SetPipe: one for the original unless it is lost, one more for a
             * retransmission in flight */
            if (!(u->flags & TCP_SB_LOST)) {
                *pipe_segs += u->segs;
                *pipe_bytes += len;
            }
            if (u->flags & TCP_SB_RETRANS) {
                *pipe_segs += u->segs;
                *pipe_bytes += len;
            }
            if ((u->flags & TCP_SB_LOST) && !(u->flags & TCP_SB_RETRANS))
                (*pending)++;
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
