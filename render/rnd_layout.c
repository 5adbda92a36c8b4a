/*
 * rnd_layout.c - turns a rnd_model into a rnd_layout: rows and their y, lane x positions, arrows,
 * labels, state boxes, timer brackets, margin notes, breaks, axis ticks, legend and header.
 *
 * The vertical axis is event-driven rather than strictly linear in time.  Each event gets a row;
 * a row's y is the larger of "to scale after the previous row" and "below whatever the previous
 * rows occupy", so a burst of segments sent in the same microsecond still gets one readable label
 * each, while a handshake keeps its true proportions.  A pause longer than style.gap_max is drawn
 * as a fixed-height break with its duration written in it (the 2 x MSL of TIME-WAIT, an RTO).
 * However short the delay, an arrival row sits at least style.min_slant below its send row; the
 * same kind of event at the same instant on both lifelines shares a row.
 *
 * Labels never overlap by construction: a label sits just above its send row, on the sender's
 * side of the lane, and every send row reserves the label's height above it; the lifelines are
 * then pulled far enough apart that a client label and a server label at the same height cannot
 * meet.  A final pass slides each label down onto its slanted arrow when that creates no overlap.
 * Widths of text come from the injected measure function only.
 */
#include "rnd_layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd_layout_time.h"
#include "rnd_place.h"
#include "rnd_text.h"
#include "tcp_state.h"

/* ---------------------------------------------------------------- small helpers */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *q;
    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    q = realloc(*p, ncap * elem);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = ncap;
    return 0;
}

#define PUSH(arr, n, cap)                                                                          \
    (grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)) == 0 ? &(arr)[(n)++] : NULL)

static double dmax(double a, double b)
{
    return a > b ? a : b;
}

static double dmin(double a, double b)
{
    return a < b ? a : b;
}

/* The timer brackets of each further connection on a lane sit this much further out. */
enum { TRACK_W = 24 };

/* Working state of one build. */
typedef struct lctx {
    rnd_layout *lay;
    const rnd_model *m;
    const rnd_style *st;
    rnd_measure_fn measure;
    void *mctx;
    double pxus;                       /* layout units per microsecond when to scale */
    double state_half;                 /* half the widest state box */
    double inset;                      /* labels start this far from their lifeline */
    double bracket_dx;                 /* timer brackets sit this far outside the lifeline */
    double note_gap;                   /* margin notes start this far outside the brackets */
    double cwnd_extra[RND_LANES_MAX];  /* and further out by this on the side of the cwnd track */
    double track_extra[RND_LANES_MAX]; /* and by this for the brackets of other connections */
    double margin_w[RND_LANES_MAX];
    size_t cap_rows, cap_arrows, cap_labels, cap_sboxes, cap_brackets, cap_notes, cap_breaks,
        cap_ticks, cap_tmarks;
    size_t *label_of_seg; /* label index of each segment */
} lctx;

static double tw(const lctx *c, rnd_font f, const char *s)
{
    return c->measure(c->mctx, f, s);
}

static double lh(const lctx *c, rnd_font f)
{
    return rnd_line_h(c->st, f);
}

/* ---------------------------------------------------------------- rows */

/* Rows of the same time: arrivals first (what arrives can cause what follows), then where a lost
 * segment would have arrived, then state changes, application calls and timers in trace order,
 * then the segments sent, in sending order, each with what it carries along: the sender's state
 * change that sending it caused just above it, and, when it arrives in the same instant (a
 * capture whose delay is unknown or nil), its arrival and what that caused just below it. */
enum { PRI_ARRIVE, PRI_MARK, PRI_EVENT, PRI_SEG };
enum { SUB_SENDER, SUB_SEND, SUB_ARRIVE, SUB_RECEIVER };

static size_t seg_ord(size_t k, int sub)
{
    return k * 4 + (size_t)sub;
}

static int cmp_row(const void *a, const void *b)
{
    const rnd_row *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->pri != y->pri)
        return x->pri < y->pri ? -1 : 1;
    if (x->ord != y->ord)
        return x->ord < y->ord ? -1 : 1;
    if (x->ref != y->ref)
        return x->ref < y->ref ? -1 : 1;
    return 0;
}

static double sbox_h(const lctx *c)
{
    return lh(c, RND_FONT_STATE) + 6.0;
}

/* A state box's caption ("corrected", "assumed") under it. */
static double caption_h(const lctx *c)
{
    return lh(c, RND_FONT_SMALL);
}

static double label_h(const lctx *c, const rnd_mseg *s)
{
    return lh(c, RND_FONT_LABEL) + (s->tag[0] ? lh(c, RND_FONT_TAG) : 0.0) + 2.0;
}

static int add_rows(lctx *c)
{
    rnd_layout *L = c->lay;
    const rnd_model *m = c->m;
    for (size_t k = 0; k < m->nseg; k++) {
        const rnd_mseg *s = &m->seg[k];
        rnd_row *r = PUSH(L->rows, L->nrows, c->cap_rows);
        if (r == NULL)
            return -1;
        *r = (rnd_row){.t = s->t_send,
                       .kind = RND_ROW_SEND,
                       .ep = s->ep,
                       .pri = PRI_SEG,
                       .ref = k,
                       .lane = rnd_seg_lane(m, s, false),
                       .ci = s->ci};
        r->ord = seg_ord(k, SUB_SEND);
        r->top = label_h(c, s) + 3.0;
        r->bottom = 3.0;
        if (s->n_arr == 0) { /* keeps the time its arrow needs before any compressed gap */
            r = PUSH(L->rows, L->nrows, c->cap_rows);
            if (r == NULL)
                return -1;
            *r = (rnd_row){.t = s->lost ? s->t_lost : s->t_send + (int64_t)m->one_way,
                           .kind = RND_ROW_MARK,
                           .ep = (uint8_t)(1 - s->ep),
                           .pri = PRI_MARK,
                           .ref = k,
                           .lane = rnd_seg_lane(m, s, true),
                           .ci = s->ci};
            if (r->t <= s->t_send) {
                r->pri = PRI_SEG;
                r->ord = seg_ord(k, SUB_ARRIVE);
            }
        }
        for (unsigned a = 0; a < s->n_arr; a++) {
            r = PUSH(L->rows, L->nrows, c->cap_rows);
            if (r == NULL)
                return -1;
            *r = (rnd_row){.t = s->t_arr[a],
                           .kind = RND_ROW_ARRIVE,
                           .ep = (uint8_t)(1 - s->ep),
                           .pri = s->t_arr[a] <= s->t_send ? PRI_SEG : PRI_ARRIVE,
                           .ord = s->t_arr[a] <= s->t_send ? seg_ord(k, SUB_ARRIVE) : 0,
                           .ref = k * 2 + a,
                           .top = 6.0,
                           .bottom = 6.0,
                           .lane = rnd_seg_lane(m, s, true),
                           .ci = s->ci};
        }
    }
    for (size_t i = 0; i < m->nev; i++) {
        const trace_event *e = m->ev[i];
        rnd_row *r = PUSH(L->rows, L->nrows, c->cap_rows);
        if (r == NULL)
            return -1;
        *r = (rnd_row){.t = m->ev_t[i],
                       .ep = e->ep < 2 ? e->ep : 0,
                       .pri = PRI_EVENT,
                       .ref = i,
                       .lane = m->ev_lane[i],
                       .ci = m->ev_ci[i]};
        if (m->ev_seg[i] != SIZE_MAX && (m->ev_flags[i] & (RND_EVF_SENDER | RND_EVF_LATE))) {
            r->pri = PRI_SEG;
            r->ord = seg_ord(m->ev_seg[i],
                             (m->ev_flags[i] & RND_EVF_SENDER) ? SUB_SENDER : SUB_RECEIVER);
        }
        switch (e->kind) {
        case TRACE_STATE:
            r->kind = RND_ROW_STATE;
            r->top = r->bottom = sbox_h(c) / 2 + 3.0;
            if (m->ev_flags[i] & RND_EVF_CORRECTED) /* room for its caption */
                r->bottom += caption_h(c);
            break;
        case TRACE_APP:
        case TRACE_NOTE:
        case TRACE_RTT: /* a margin note */
            r->kind = RND_ROW_APP;
            r->top = r->bottom = lh(c, RND_FONT_NOTE) / 2 + 1.0;
            break;
        default:
            r->kind = RND_ROW_TIMER;
            break;
        }
    }
    qsort(L->rows, L->nrows, sizeof *L->rows, cmp_row);
    return 0;
}

/* Rows that may share a y: the same kind of thing at the same instant on the two lifelines. */
static bool pairs_with(const rnd_row *r, const rnd_row *p)
{
    return r->t == p->t && r->lane != p->lane && r->ci == p->ci && r->kind == p->kind &&
           (r->kind == RND_ROW_SEND || r->kind == RND_ROW_ARRIVE || r->kind == RND_ROW_STATE ||
            r->kind == RND_ROW_APP);
}

/* y of every row, relative to the first (which sits at its own `top`); records breaks. */
static int place_rows(lctx *c)
{
    rnd_layout *L = c->lay;
    const rnd_style *st = c->st;
    double occ = 0.0, y = 0.0, box_y[RND_LANES_MAX];
    double *send_y = malloc((c->m->nseg ? c->m->nseg : 1) * sizeof *send_y);
    double *occ_at = malloc((L->nrows ? L->nrows : 1) * sizeof *occ_at); /* before each row */
    bool *was_paired = calloc(L->nrows ? L->nrows : 1, sizeof *was_paired);
    if (send_y == NULL || occ_at == NULL || was_paired == NULL) {
        free(send_y);
        free(occ_at);
        free(was_paired);
        return -1;
    }
    for (int l = 0; l < RND_LANES_MAX; l++)
        box_y[l] = -1e9;
    for (size_t i = 0; i < L->nrows; i++) {
        rnd_row *r = &L->rows[i];
        size_t q = i;
        bool paired = false;
        occ_at[i] = occ;
        while (q > 0 && L->rows[q - 1].t == r->t && L->rows[q - 1].top == 0.0 &&
               L->rows[q - 1].bottom == 0.0)
            q--; /* past timer rows, which only keep time */
        if (q > 0 && pairs_with(r, &L->rows[q - 1]) && !was_paired[q - 1]) {
            /* the same thing at the same instant on the other lifeline (both ends send a SYN,
             * both enter FIN-WAIT-1): level with it, if it fits there */
            const rnd_row *p = &L->rows[q - 1];
            double ymin = occ_at[q - 1] + r->top;
            if (r->kind == RND_ROW_ARRIVE)
                ymin = dmax(ymin, dmax(box_y[r->lane] + sbox_h(c) / 2 + 16.0,
                                       send_y[r->ref / 2] + st->min_slant));
            paired = ymin <= p->y + 1e-9;
            was_paired[i] = was_paired[q - 1] = paired;
        }
        if (paired) {
            y = L->rows[q - 1].y;
        } else if (i == 0) {
            y = r->top;
        } else {
            const rnd_row *p = &L->rows[i - 1];
            double dt = (double)(r->t - p->t);
            double scaled = dt * c->pxus;
            if (scaled > st->gap_max) {
                rnd_break *b = PUSH(L->breaks, L->nbreaks, c->cap_breaks);
                char d[24];
                if (b == NULL) {
                    free(send_y);
                    free(occ_at);
                    free(was_paired);
                    return -1;
                }
                /* clear of the axis label of the rows on either side, too */
                b->y0 = dmax(occ, p->y + lh(c, RND_FONT_SMALL) / 2) + 2.0;
                b->y1 = b->y0 + st->break_h;
                b->t0 = p->t;
                b->t1 = r->t;
                snprintf(b->text, sizeof b->text, "%s later",
                         rnd_fmt_duration((uint64_t)(r->t - p->t), d, sizeof d));
                y = b->y1 + 2.0 + dmax(r->top, lh(c, RND_FONT_SMALL) / 2);
                occ = y;
            } else if (r->top == 0.0 && r->bottom == 0.0) {
                y = p->y + scaled;
            } else {
                y = dmax(occ + r->top, p->y + scaled);
            }
        }
        /* an arrow arriving just after a state box on its lifeline would run under the box */
        if (r->kind == RND_ROW_ARRIVE && !paired) {
            y = dmax(y, box_y[r->lane] + sbox_h(c) / 2 + 16.0);
            /* however short the delay, an arrow goes visibly down (sends sort before their own
             * arrivals, so send_y is known) */
            y = dmax(y, send_y[r->ref / 2] + st->min_slant);
        }
        if (r->kind == RND_ROW_SEND)
            send_y[r->ref] = y;
        if (r->kind == RND_ROW_STATE) /* a caption under the box counts as the box */
            box_y[r->lane] = y + r->bottom - (sbox_h(c) / 2 + 3.0);
        r->y = y;
        occ = dmax(occ, y + r->bottom);
    }
    free(send_y);
    free(occ_at);
    free(was_paired);
    return 0;
}

double rnd_layout_y_of(const rnd_layout *lay, int64_t t)
{
    size_t lo = 0, hi = lay->nrows;
    const rnd_row *r = lay->rows;
    if (lay->nstretches > 0)
        return rnd_time_y(lay, t);
    if (lay->nrows == 0)
        return lay->body_y0;
    if (t <= r[0].t)
        return r[0].y;
    if (t > r[lay->nrows - 1].t) /* past the last row: to scale, at most a break's height */
        return r[lay->nrows - 1].y +
               dmin((double)(t - r[lay->nrows - 1].t) * lay->pxus, lay->style.break_h);
    while (lo < hi) { /* first row with r.t >= t */
        size_t mid = (lo + hi) / 2;
        if (r[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (r[lo].t == t)
        return r[lo].y;
    {
        const rnd_row *a = &r[lo - 1], *b = &r[lo];
        double f = (double)(t - a->t) / (double)(b->t - a->t);
        return a->y + f * (b->y - a->y);
    }
}

/* ---------------------------------------------------------------- labels and lane distance */

typedef struct lab_tmp {
    double y0, y1, w;
} lab_tmp;

static int make_labels(lctx *c)
{
    rnd_layout *L = c->lay;
    const rnd_model *m = c->m;
    c->label_of_seg = malloc((m->nseg ? m->nseg : 1) * sizeof *c->label_of_seg);
    if (c->label_of_seg == NULL)
        return -1;
    for (size_t i = 0; i < L->nrows; i++) {
        const rnd_row *r = &L->rows[i];
        const rnd_mseg *s;
        rnd_label *lb;
        double w;
        if (r->kind != RND_ROW_SEND)
            continue;
        s = &m->seg[r->ref];
        lb = PUSH(L->labels, L->nlabels, c->cap_labels);
        if (lb == NULL)
            return -1;
        memset(lb, 0, sizeof *lb);
        if (m->nconns > 1) { /* several connections: the label names its own */
            char t[80];
            rnd_fmt_seg(s, t, sizeof t);
            snprintf(lb->text, sizeof lb->text, "c%lu %s", (unsigned long)m->conns[s->ci].conn, t);
        } else {
            rnd_fmt_seg(s, lb->text, sizeof lb->text);
        }
        snprintf(lb->tag, sizeof lb->tag, "%s", s->tag);
        lb->style = s->style;
        lb->ep = s->ep;
        lb->lane = rnd_seg_lane(m, s, false);
        lb->to_lane = rnd_seg_lane(m, s, true);
        lb->ci = s->ci;
        lb->w_text = tw(c, RND_FONT_LABEL, lb->text);
        lb->w_tag = lb->tag[0] ? tw(c, RND_FONT_TAG, lb->tag) : 0.0;
        w = dmax(lb->w_text, lb->w_tag);
        lb->box.w = w + 4.0;
        lb->box.h = label_h(c, s);
        lb->box.y = r->y - 2.0 - lb->box.h; /* relative until shifted */
        c->label_of_seg[r->ref] = L->nlabels - 1;
    }
    return 0;
}

/* The distance between the lifelines: wide enough that no client label meets a server label at
 * the same height, nor the other side's state boxes, with a gap of 24 between them. */
static double lane_distance(const lctx *c)
{
    const rnd_layout *L = c->lay;
    const double gap = 24.0;
    double d = c->st->min_lanes;
    size_t j = 0;
    size_t *srv = malloc((L->nlabels ? L->nlabels : 1) * sizeof *srv);
    size_t nsrv = 0;
    if (srv == NULL)
        return d + 400.0;
    for (size_t i = 0; i < L->nlabels; i++) {
        d = dmax(d, L->labels[i].box.w + 2 * c->inset + gap);
        if (rnd_label_right(&L->labels[i]))
            srv[nsrv++] = i;
    }
    for (size_t i = 0; i < L->nlabels; i++) {
        const rnd_rect *a = &L->labels[i].box;
        if (rnd_label_right(&L->labels[i]))
            continue;
        while (j < nsrv && L->labels[srv[j]].box.y + L->labels[srv[j]].box.h <= a->y)
            j++;
        for (size_t k = j; k < nsrv; k++) {
            const rnd_rect *b = &L->labels[srv[k]].box;
            if (b->y >= a->y + a->h)
                break;
            d = dmax(d, a->w + b->w + 2 * c->inset + gap);
        }
    }
    free(srv);
    return d;
}

/* ---------------------------------------------------------------- brackets and notes */

static const char *bracket_text(const rnd_bracket *b, char *buf, size_t size)
{
    char d[24];
    rnd_fmt_duration(b->duration, d, sizeof d);
    switch (b->timer) {
    case TCP_TIMER_RTO:
        if (!b->fired)
            return NULL;
        snprintf(buf, size, "RTO %s expires", d);
        break;
    case TCP_TIMER_PERSIST:
        snprintf(buf, size, "persist %s", d);
        break;
    case TCP_TIMER_TIME_WAIT:
        if (b->fired || b->open_end)
            snprintf(buf, size, "TIME-WAIT 2\u00d7MSL = %s", d);
        else
            snprintf(buf, size, "TIME-WAIT, 2\u00d7MSL restarts");
        break;
    default:
        return NULL;
    }
    return buf;
}

/* A timer event is drawn level with what its endpoint does at the same instant (the
 * retransmission an expiry triggers, the segment an arm belongs to), not in its own thin row. */
static double timer_y(const rnd_layout *L, size_t i)
{
    const rnd_row *r = &L->rows[i];
    for (size_t j = i + 1; j < L->nrows && L->rows[j].t == r->t; j++)
        if (L->rows[j].kind != RND_ROW_TIMER && L->rows[j].kind != RND_ROW_MARK &&
            L->rows[j].lane == r->lane && L->rows[j].ci == r->ci)
            return L->rows[j].y;
    return r->y;
}

static bool bracket_kind(const lctx *c, uint8_t k)
{
    return k == TCP_TIMER_RTO || k == TCP_TIMER_PERSIST || k == TCP_TIMER_TIME_WAIT ||
           (k == TCP_TIMER_DELACK && c->lay->axis == RND_AXIS_TRUE);
}

/* The arrow of the segment an RTT sample of ep at t timed: sent by ep at t - sample, carrying
 * data or SYN/FIN, not a retransmission (the first such; the nearest within 2 ms when the sample
 * comes from a timestamp). */
static size_t timed_arrow(const rnd_layout *L, const rnd_model *m, uint8_t ci, uint8_t ep,
                          int64_t t, uint64_t sample)
{
    int64_t want = t - (int64_t)sample, best_d = 2001;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < L->narrows; i++) {
        const rnd_mseg *s = &m->seg[L->arrows[i].seg];
        int64_t d = s->t_send > want ? s->t_send - want : want - s->t_send;
        if (s->ep != ep || s->ci != ci || tcp_seg_seqlen(&s->seg) == 0 ||
            s->style == RND_ARROW_RETX || s->t_send > t)
            continue;
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

/* One bracket per RTT sample (true time): from the timed send to the sample. */
static int make_rtt_brackets(lctx *c)
{
    rnd_layout *L = c->lay;
    for (size_t i = 0; i < L->nrows; i++) {
        const rnd_row *r = &L->rows[i];
        const trace_event *e;
        rnd_bracket *b;
        size_t a;
        if (r->kind != RND_ROW_APP || c->m->ev[r->ref]->kind != TRACE_RTT)
            continue;
        e = c->m->ev[r->ref];
        a = timed_arrow(L, c->m, r->ci, r->ep, r->t, e->u.rtt.sample);
        b = PUSH(L->brackets, L->nbrackets, c->cap_brackets);
        if (b == NULL)
            return -1;
        memset(b, 0, sizeof *b);
        b->ep = r->ep;
        b->lane = r->lane;
        b->ci = r->ci;
        b->timer = RND_BRACKET_RTT;
        b->arrow = a;
        b->y0 = a != SIZE_MAX ? L->arrows[a].from.y : r->y;
        b->y1 = r->y;
        b->t0 = a != SIZE_MAX ? c->m->seg[L->arrows[a].seg].t_send : r->t;
        b->t1 = r->t;
        b->duration = e->u.rtt.sample;
        b->srtt = e->u.rtt.srtt;
        b->rttvar = e->u.rtt.rttvar;
        b->rto = e->u.rtt.rto;
        b->note = SIZE_MAX;
        b->x = L->lane_x[r->lane] + (rnd_lane_left(L, r->lane) ? -1 : 1) * (c->bracket_dx + 24.0);
    }
    return 0;
}

static int add_mark(lctx *c, size_t b, int64_t t, double y, rnd_tmark_kind k, uint64_t d)
{
    rnd_layout *L = c->lay;
    rnd_tmark *mk = PUSH(L->tmarks, L->ntmarks, c->cap_tmarks);
    if (mk == NULL)
        return -1;
    *mk = (rnd_tmark){.bracket = b, .t = t, .y = y, .kind = (uint8_t)k, .duration = d};
    return 0;
}

static int make_brackets(lctx *c, double y_top, double y_end)
{
    rnd_layout *L = c->lay;
    /* per endpoint of each connection: slot ci * 2 + ep */
    size_t open[2 * RND_CONNS_MAX][TCP_TIMER_COUNT];
    int64_t fired_at[2 * RND_CONNS_MAX][TCP_TIMER_COUNT]; /* when it last expired, or -1 */
    L->ntmarks = 0;
    for (int e = 0; e < 2 * RND_CONNS_MAX; e++)
        for (int k = 0; k < TCP_TIMER_COUNT; k++)
            fired_at[e][k] = -1;
    for (int e = 0; e < 2 * RND_CONNS_MAX; e++)
        for (int k = 0; k < TCP_TIMER_COUNT; k++)
            open[e][k] = SIZE_MAX;
    for (size_t i = 0; i < L->nrows; i++) {
        const rnd_row *r = &L->rows[i];
        const trace_event *e;
        size_t *o;
        unsigned slot;
        rnd_bracket *b;
        if (r->kind != RND_ROW_TIMER || r->ci >= RND_CONNS_MAX)
            continue;
        e = c->m->ev[r->ref];
        if (e->kind != TRACE_TIMER)
            continue;
        slot = r->ci * 2u + (r->ep & 1u);
        if (e->u.timer.action == TRACE_TIMER_ARM && e->u.timer.timer != TCP_TIMER_DELACK) {
            /* the endpoint runs one timer besides the delayed ACK (RTO, persist, TLP, RACK's
             * reordering timer and TIME-WAIT share it, as Linux's icsk_pending): arming another
             * kind replaces the one running, whose bracket ends here */
            for (int k = 0; k < TCP_TIMER_COUNT; k++) {
                size_t *ok = &open[slot][k];
                if (k == TCP_TIMER_DELACK || k == e->u.timer.timer || *ok == SIZE_MAX)
                    continue;
                rnd_bracket *rb = &L->brackets[*ok];
                rb->y1 = timer_y(L, i);
                rb->t1 = r->t;
                if (add_mark(c, *ok, r->t, rb->y1, RND_TMARK_CANCEL, 0) != 0)
                    return -1;
                *ok = SIZE_MAX;
            }
        }
        if (!bracket_kind(c, e->u.timer.timer))
            continue;
        o = &open[slot][e->u.timer.timer];
        if (e->u.timer.action == TRACE_TIMER_ARM) {
            rnd_tmark_kind mk = *o != SIZE_MAX                             ? RND_TMARK_RESTART
                                : fired_at[slot][e->u.timer.timer] == r->t ? RND_TMARK_BACKOFF
                                                                           : RND_TMARK_ARM;
            if (*o == SIZE_MAX) {
                b = PUSH(L->brackets, L->nbrackets, c->cap_brackets);
                if (b == NULL)
                    return -1;
                memset(b, 0, sizeof *b);
                b->arrow = SIZE_MAX;
                b->ep = r->ep;
                b->lane = r->lane;
                b->ci = r->ci;
                b->timer = e->u.timer.timer;
                b->y0 = timer_y(L, i);
                b->t0 = r->t;
                b->note = SIZE_MAX;
                *o = L->nbrackets - 1;
            }
            L->brackets[*o].duration = e->u.timer.duration;
            if (add_mark(c, *o, r->t, timer_y(L, i), mk, e->u.timer.duration) != 0)
                return -1;
            continue;
        }
        if (*o == SIZE_MAX) { /* armed before the selection */
            b = PUSH(L->brackets, L->nbrackets, c->cap_brackets);
            if (b == NULL)
                return -1;
            memset(b, 0, sizeof *b);
            b->arrow = SIZE_MAX;
            b->ep = r->ep;
            b->lane = r->lane;
            b->ci = r->ci;
            b->timer = e->u.timer.timer;
            b->y0 = y_top;
            b->t0 = c->m->t_first;
            b->open_start = true;
            b->note = SIZE_MAX;
            b->duration = e->u.timer.duration;
            *o = L->nbrackets - 1;
        }
        b = &L->brackets[*o];
        b->y1 = timer_y(L, i);
        b->t1 = r->t;
        b->fired = e->u.timer.action == TRACE_TIMER_FIRE;
        if (b->fired && e->u.timer.duration > 0)
            b->duration = e->u.timer.duration;
        if (add_mark(c, *o, r->t, b->y1, b->fired ? RND_TMARK_EXPIRY : RND_TMARK_CANCEL,
                     b->fired ? e->u.timer.duration : 0) != 0)
            return -1;
        if (b->fired)
            fired_at[slot][e->u.timer.timer] = r->t;
        *o = SIZE_MAX;
    }
    for (int e = 0; e < 2 * RND_CONNS_MAX; e++)
        for (int k = 0; k < TCP_TIMER_COUNT; k++)
            if (open[e][k] != SIZE_MAX) { /* still running when the selection ends */
                rnd_bracket *b = &L->brackets[open[e][k]];
                b->y1 = y_end;
                b->t1 = c->m->t_last;
                b->open_end = true;
            }
    for (size_t i = 0; i < L->nbrackets; i++) {
        rnd_bracket *b = &L->brackets[i];
        /* the persist timer gets its own track, so it does not run into the RTO before it */
        double dx = c->bracket_dx + (b->timer == TCP_TIMER_PERSIST ? 8.0 : 0.0);
        if (c->lay->axis == RND_AXIS_TRUE) /* each kind its own track */
            dx = c->bracket_dx + (b->timer == TCP_TIMER_PERSIST || b->timer == TCP_TIMER_TIME_WAIT
                                      ? 8.0
                                  : b->timer == TCP_TIMER_DELACK ? 16.0
                                                                 : 0.0);
        /* the connections sharing a lane: each its own set of tracks */
        if (b->ci < RND_CONNS_MAX)
            dx += TRACK_W * c->m->conns[b->ci].track[b->ep & 1];
        b->x = L->lane_x[b->lane] + (rnd_lane_left(L, b->lane) ? -dx : dx);
    }
    return 0;
}

typedef struct note_ref {
    double y;
    size_t i;
} note_ref;

static int cmp_note(const void *a, const void *b)
{
    const note_ref *x = a, *y = b;
    if (x->y != y->y)
        return x->y < y->y ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Text of every margin note, before positions are known (their widths size the margins). */
static int make_notes(lctx *c)
{
    rnd_layout *L = c->lay;
    char buf[96], last_rtt[RND_LANES_MAX][96] = {""};
    for (size_t i = 0; i < L->nrows; i++) {
        const rnd_row *r = &L->rows[i];
        rnd_note *n;
        if (r->kind != RND_ROW_APP)
            continue;
        n = PUSH(L->notes, L->nnotes, c->cap_notes);
        if (n == NULL)
            return -1;
        memset(n, 0, sizeof *n);
        n->ep = r->ep;
        n->lane = r->lane;
        n->ci = r->ci;
        n->font = RND_FONT_NOTE;
        n->anchor_y = r->y;
        n->ev = rnd_model_ev_index(c->m, c->m->ev[r->ref]);
        n->kind = RND_NOTE_APP;
        if (c->m->ev[r->ref]->kind == TRACE_APP) {
            rnd_fmt_app(c->m->ev[r->ref], n->text, sizeof n->text);
        } else {
            n->font = RND_FONT_SMALL;
            n->kind = c->m->ev[r->ref]->kind == TRACE_RTT ? RND_NOTE_RTT : RND_NOTE_REMARK;
            rnd_fmt_remark(c->m->ev[r->ref], n->text, sizeof n->text);
            if (n->kind == RND_NOTE_RTT) {
                /* a sample that leaves the estimator as the last one shown says nothing new
                 * (timestamps give one per ACK): its bracket is drawn, its note not */
                if (strcmp(n->text, last_rtt[r->lane]) == 0) {
                    L->nnotes--;
                    continue;
                }
                snprintf(last_rtt[r->lane], sizeof last_rtt[0], "%s", n->text);
            }
        }
    }
    for (size_t i = 0; i < L->nbrackets; i++) {
        rnd_bracket *b = &L->brackets[i];
        rnd_note *n;
        if (bracket_text(b, buf, sizeof buf) == NULL || b->y1 - b->y0 < 2.0)
            continue;
        n = PUSH(L->notes, L->nnotes, c->cap_notes);
        if (n == NULL)
            return -1;
        memset(n, 0, sizeof *n);
        n->ep = b->ep;
        n->lane = b->lane;
        n->ci = b->ci;
        n->ev = SIZE_MAX;
        n->kind = RND_NOTE_TIMER;
        n->font = RND_FONT_SMALL;
        /* an RTO's label goes by its expiry, where the retransmission follows; others centred */
        n->anchor_y = b->timer == TCP_TIMER_RTO ||
                              (b->timer == TCP_TIMER_TIME_WAIT && !b->fired && !b->open_end)
                          ? b->y1 - lh(c, RND_FONT_SMALL)
                          : (b->y0 + b->y1) / 2;
        snprintf(n->text, sizeof n->text, "%s", buf);
        b->note = L->nnotes - 1;
    }
    for (size_t i = 0; i < L->nnotes; i++) {
        rnd_note *n = &L->notes[i];
        n->box.w = tw(c, (rnd_font)n->font, n->text) + 4.0;
        n->box.h = lh(c, (rnd_font)n->font) + 2.0;
        c->margin_w[n->lane] = dmax(c->margin_w[n->lane], n->box.w);
    }
    return 0;
}

/* Stacks each side's notes top-down at their anchors, pushing a note down below the one above. */
static int place_notes(lctx *c)
{
    rnd_layout *L = c->lay;
    note_ref *ord = malloc((L->nnotes ? L->nnotes : 1) * sizeof *ord);
    if (ord == NULL)
        return -1;
    for (int lane = 0; lane < L->nlanes; lane++) {
        size_t n = 0;
        double bottom = -1e9;
        bool left = rnd_lane_left(L, (unsigned)lane);
        for (size_t i = 0; i < L->nnotes; i++)
            if (L->notes[i].lane == lane)
                ord[n++] = (note_ref){L->notes[i].anchor_y, i};
        qsort(ord, n, sizeof *ord, cmp_note);
        for (size_t k = 0; k < n; k++) {
            rnd_note *t = &L->notes[ord[k].i];
            double y = dmax(t->anchor_y - t->box.h / 2, bottom + 1.0);
            double edge =
                L->lane_x[lane] + (left ? -1 : 1) * (c->bracket_dx + c->note_gap +
                                                     c->cwnd_extra[lane] + c->track_extra[lane]);
            t->box.y = y;
            t->right = left;
            t->box.x = left ? edge - t->box.w : edge;
            bottom = y + t->box.h;
        }
    }
    free(ord);
    return 0;
}

/* ---------------------------------------------------------------- cwnd track */

enum { CWND_W = 80 };

/* The side the track belongs to: the one with cwnd events that sends more data. */
static int cwnd_side(const lctx *c)
{
    uint64_t data[2] = {0, 0};
    size_t ev[2] = {0, 0};
    for (size_t k = 0; k < c->m->nseg; k++)
        data[c->m->seg[k].ep & 1] += c->m->seg[k].seg.len;
    for (size_t i = 0; i < c->m->nev; i++)
        if (c->m->ev[i]->kind == TRACE_CWND)
            ev[c->m->ev[i]->ep & 1]++;
    if (ev[0] == 0 && ev[1] == 0)
        return -1;
    if (ev[0] == 0 || ev[1] == 0)
        return ev[0] ? 0 : 1;
    return data[1] > data[0] ? 1 : 0;
}

static int make_cwnd(lctx *c, double y_top, double y_end)
{
    rnd_layout *L = c->lay;
    rnd_cwnd_track *k = &L->cwnd;
    int ep = cwnd_side(c);
    char b[24];
    if (!c->m->show_cwnd || L->axis != RND_AXIS_TRUE || ep < 0)
        return 0;
    k->on = true;
    k->ep = (uint8_t)ep;
    k->w = CWND_W;
    k->x0 = L->lane_x[ep] + (ep == TRACE_CLIENT ? -1 : 1) * (c->bracket_dx + 30.0);
    k->y0 = y_top;
    k->y1 = y_end;
    for (size_t i = 0; i < L->nrows; i++) {
        const rnd_row *r = &L->rows[i];
        const trace_event *e;
        rnd_cwnd_pt *p;
        if (r->kind != RND_ROW_TIMER || r->ep != ep || c->m->ev[r->ref]->kind != TRACE_CWND)
            continue;
        e = c->m->ev[r->ref];
        if (k->npts % 64 == 0) {
            rnd_cwnd_pt *q = realloc(k->pts, (k->npts + 64) * sizeof *q);
            if (q == NULL)
                return -1;
            k->pts = q;
        }
        p = &k->pts[k->npts++];
        *p = (rnd_cwnd_pt){r->t, r->y, e->u.cwnd.cwnd, e->u.cwnd.ssthresh};
        k->max = e->u.cwnd.cwnd > k->max ? e->u.cwnd.cwnd : k->max;
    }
    for (size_t i = 0; i < k->npts; i++) /* a finite ssthresh counts too, an "infinite" one not */
        if (k->pts[i].ssthresh < 4u * k->max && k->pts[i].ssthresh > k->max)
            k->max = k->pts[i].ssthresh;
    if (k->max == 0)
        k->max = 1;
    snprintf(k->caption, sizeof k->caption, "cwnd (max %s)",
             rnd_fmt_bytes((double)k->max, b, sizeof b));
    k->caption_box.w = tw(c, RND_FONT_SMALL, k->caption);
    k->caption_box.h = lh(c, RND_FONT_SMALL);
    k->caption_box.x = ep == TRACE_CLIENT ? k->x0 - k->caption_box.w : k->x0;
    k->caption_box.y = y_top - k->caption_box.h - 2.0;
    return 0;
}

/* ---------------------------------------------------------------- header, legend, footnote */

static void wrap_foot(lctx *c, const char *text, double maxw)
{
    rnd_layout *L = c->lay;
    const char *p = text;
    L->nfoot = 0;
    while (*p && L->nfoot < 4) {
        char line[128];
        size_t best = 0, n = 0;
        for (;;) {
            size_t len = n;
            while (p[len] && p[len] != ' ' && len < sizeof line - 1)
                len++;
            memcpy(line, p, len);
            line[len] = '\0';
            if (best > 0 && tw(c, RND_FONT_FOOT, line) > maxw)
                break;
            best = len;
            if (!p[len] || len >= sizeof line - 1)
                break;
            n = len + 1;
        }
        memcpy(L->foot[L->nfoot], p, best);
        L->foot[L->nfoot][best] = '\0';
        L->nfoot++;
        p += best;
        while (*p == ' ')
            p++;
    }
}

static const char *legend_text(int kind, bool dgram)
{
    switch (kind) {
    case RND_ARROW_DATA:
        return dgram ? "datagram" : "data, SYN, FIN";
    case RND_ARROW_ACK:
        return "ACK";
    case RND_ARROW_RETX:
        return "retransmission";
    case RND_ARROW_DUPACK:
        return "duplicate ACK";
    case RND_ARROW_ZWIN:
        return "zero window";
    case RND_ARROW_RST:
        return "reset";
    case RND_LEGEND_LOST:
        return "lost";
    case RND_LEGEND_STATE:
        return "state";
    case RND_LEGEND_ASSUMED:
        return "state at the start";
    case RND_LEGEND_CORRECTED:
        return "state after a correction";
    case RND_LEGEND_TIMER:
        return "timer running";
    case RND_LEGEND_BLOCKED:
        return "call blocked";
    default:
        return "";
    }
}

/* Legend items (only what the diagram uses, data and ACK always), flowed into lines.  A diagram
 * of datagrams only (a UDP flow) names its arrows datagrams and has no ACK. */
static double place_legend(lctx *c, double y, double x0, double maxw)
{
    rnd_layout *L = c->lay;
    bool used[RND_ARROW_STYLE_COUNT] = {true, true};
    bool lost = false, initial = false, corrected = false, dgram = c->m->nseg > 0;
    int kinds[RND_LEGEND_MAX];
    int nk = 0;
    double x = x0, h = lh(c, RND_FONT_SMALL) + 4.0;
    for (size_t i = 0; i < c->m->nseg; i++) {
        used[c->m->seg[i].style] = true;
        lost = lost || c->m->seg[i].lost;
        dgram = dgram && (c->m->seg[i].seg.tags & TCP_TAG_DATAGRAM) != 0;
    }
    if (dgram)
        used[RND_ARROW_ACK] = false;
    used[RND_ARROW_DUPFRAME] = c->m->ndupframes > 0;
    for (int k = 0; k < RND_ARROW_STYLE_COUNT; k++)
        if (used[k])
            kinds[nk++] = k;
    for (size_t ci = 0; ci < c->m->nconns; ci++)
        for (int ep = 0; ep < 2; ep++)
            initial = initial || c->m->conns[ci].init_state[ep] >= 0;
    for (size_t i = 0; i < c->m->nev; i++)
        corrected = corrected || (c->m->ev_flags[i] & RND_EVF_CORRECTED) != 0;
    if (lost)
        kinds[nk++] = RND_LEGEND_LOST;
    if (L->nsboxes > 0 || initial)
        kinds[nk++] = RND_LEGEND_STATE;
    if (initial)
        kinds[nk++] = RND_LEGEND_ASSUMED;
    if (corrected)
        kinds[nk++] = RND_LEGEND_CORRECTED;
    if (L->nbrackets > 0)
        kinds[nk++] = RND_LEGEND_TIMER;
    if (rnd_layout_has_blocked(L, c->m))
        kinds[nk++] = RND_LEGEND_BLOCKED;
    for (size_t ci = 0; c->m->nconns > 1 && ci < c->m->nconns && ci < RND_CONNS_MAX; ci++)
        kinds[nk++] = RND_LEGEND_CONN + (int)ci;
    L->nlegend = 0;
    for (int k = 0; k < nk; k++) {
        rnd_legend_item *it = &L->legend[L->nlegend++];
        double w;
        it->kind = kinds[k];
        if (kinds[k] == RND_ARROW_DUPFRAME) {
            snprintf(it->text, sizeof it->text, "%zu duplicate frame%s (captured twice) not drawn",
                     c->m->ndupframes, c->m->ndupframes == 1 ? "" : "s");
        } else if (kinds[k] >= RND_LEGEND_CONN) {
            const rnd_mconn *mc = &c->m->conns[kinds[k] - RND_LEGEND_CONN];
            snprintf(it->text, sizeof it->text, "conn %lu: %s \u2192 %s", (unsigned long)mc->conn,
                     mc->addr[0], mc->addr[1]);
        } else {
            snprintf(it->text, sizeof it->text, "%s", legend_text(kinds[k], dgram));
        }
        w = 30.0 + tw(c, RND_FONT_SMALL, it->text);
        if (x > x0 && x + w > x0 + maxw) {
            x = x0;
            y += h + 2.0;
        }
        it->box = (rnd_rect){x, y, w, h};
        x += w + 18.0;
    }
    return y + h;
}

/* ---------------------------------------------------------------- final passes */

static void make_ticks(lctx *c)
{
    rnd_layout *L = c->lay;
    double h = lh(c, RND_FONT_SMALL), last_bottom = -1e9;
    char prev[24] = "";
    for (size_t i = 0; i < L->nrows; i++) {
        const rnd_row *r = &L->rows[i];
        rnd_tick *tk;
        char txt[24];
        if (r->kind == RND_ROW_TIMER || r->kind == RND_ROW_APP || r->kind == RND_ROW_MARK)
            continue;
        rnd_fmt_ms(r->t, L->decimals, txt, sizeof txt);
        if (strcmp(txt, prev) == 0 || r->y - h / 2 < last_bottom + 1.0)
            continue;
        tk = PUSH(L->ticks, L->nticks, c->cap_ticks);
        if (tk == NULL)
            return;
        memcpy(tk->text, txt, sizeof txt);
        memcpy(prev, txt, sizeof txt);
        tk->y = r->y;
        tk->t = r->t;
        tk->box.w = tw(c, RND_FONT_SMALL, txt);
        tk->box.h = h;
        tk->box.x = L->axis_x - tk->box.w;
        tk->box.y = r->y - h / 2;
        last_bottom = tk->box.y + h;
    }
}

/* Slides each label down towards its arrow when that makes no overlap (see the file comment). */
static void settle_labels(lctx *c)
{
    rnd_layout *L = c->lay;
    for (size_t i = 0; i < L->nlabels; i++) {
        rnd_label *lb = &L->labels[i];
        const rnd_arrow *a = &L->arrows[lb->arrow];
        double dx = fabs(a->to.x - a->from.x);
        double slope = dx > 0.0 ? (a->to.y - a->from.y) / dx : 0.0;
        double want = dmin(slope * c->inset, 36.0);
        for (int tries = 0; tries < 3 && want > 0.5; tries++, want *= 0.5) {
            rnd_rect cand = lb->box;
            bool ok = true;
            cand.y += want;
            for (size_t j = i; j-- > 0 && L->labels[j].box.y + 120.0 > cand.y;)
                if (rnd_rect_overlap(&cand, &L->labels[j].box, 0.0))
                    ok = false;
            for (size_t j = i + 1; ok && j < L->nlabels && L->labels[j].box.y < cand.y + 120.0; j++)
                if (rnd_rect_overlap(&cand, &L->labels[j].box, 0.0))
                    ok = false;
            for (size_t j = 0; ok && j < L->nbreaks; j++)
                if (cand.y < L->breaks[j].y1 && cand.y + cand.h > L->breaks[j].y0)
                    ok = false;
            if (ok) {
                lb->box = cand;
                break;
            }
        }
    }
}

/* ---------------------------------------------------------------- build */

/* The caption's box, centred under its state box (its row reserved the room). */
static void set_caption(const lctx *c, rnd_sbox *b)
{
    double w = b->caption[0] ? tw(c, RND_FONT_SMALL, b->caption) : 0.0;
    b->caption_box = (rnd_rect){b->box.x + (b->box.w - w) / 2, b->box.y + b->box.h, w,
                                b->caption[0] ? caption_h(c) : 0.0};
}

void rnd_layout_free(rnd_layout *lay)
{
    free(lay->rows);
    free(lay->arrows);
    free(lay->labels);
    free(lay->sboxes);
    free(lay->brackets);
    free(lay->tmarks);
    free(lay->notes);
    free(lay->abars);
    free(lay->breaks);
    free(lay->stretches);
    free(lay->ticks);
    free(lay->cwnd.pts);
    free(lay->pages);
    memset(lay, 0, sizeof *lay);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The time that one one-way delay stands for on the vertical scale when the trace does not know
 * the delay (a capture without a handshake): the smallest delay the trace shows, else the median
 * pause between packets, kept between 100 us and 50 ms. */
static double nominal_delay(const rnd_model *m)
{
    double best = 0.0;
    int64_t *gap;
    size_t n = 0;
    for (size_t k = 0; k < m->nseg; k++)
        if (m->seg[k].n_arr > 0) {
            double d = (double)(m->seg[k].t_arr[0] - m->seg[k].t_send);
            if (d > 0 && (best == 0.0 || d < best))
                best = d;
        }
    if (best > 0.0 || m->nseg < 2)
        return best > 0.0 ? best : 50000.0;
    gap = malloc(m->nseg * sizeof *gap);
    if (gap == NULL)
        return 50000.0;
    for (size_t k = 1; k < m->nseg; k++)
        if (m->seg[k].t_send > m->seg[k - 1].t_send)
            gap[n++] = m->seg[k].t_send - m->seg[k - 1].t_send;
    if (n > 0) {
        qsort(gap, n, sizeof *gap, cmp_i64);
        best = (double)gap[n / 2];
    }
    free(gap);
    return dmin(dmax(best, 100.0), 50000.0);
}

/* True time: the scale at which the largest sheaf (segments one side sends in the same
 * microsecond) has room for its labels stacked along its arrows: their heights add up to at most
 * 85% of one one-way delay plus the sheaf's own fan-out.  At most four times the usual scale. */
static double sheaf_pxus(const lctx *c, double oneway)
{
    const rnd_model *m = c->m;
    double need = 0.0;
    size_t k = 0;
    while (k < m->nseg) {
        double h[2] = {0, 0};
        unsigned n[2] = {0, 0};
        size_t j = k;
        for (; j < m->nseg && m->seg[j].t_send == m->seg[k].t_send; j++) {
            h[m->seg[j].ep & 1] += label_h(c, &m->seg[j]) + 3.0;
            n[m->seg[j].ep & 1]++;
        }
        for (int e = 0; e < 2; e++)
            if (n[e] > 1)
                need = dmax(need, (h[e] - (double)(n[e] - 1) * c->st->fan_step) / 0.85);
        k = j;
    }
    need = dmin(need, 4.0 * c->st->delay_px);
    return need / oneway;
}

int rnd_layout_build(rnd_layout *lay, const rnd_model *m, const rnd_style *style,
                     rnd_measure_fn measure, void *mctx)
{
    lctx c;
    rnd_style defst;
    const rnd_style *st;
    double oneway, y, left, right, body_top, shift, head_w[RND_LANES_MAX], y_end, wmax, lanes;
    double extra[RND_LANES_MAX], span, init_step = 0.0;
    bool initial = false, truetime;
    int rc = RND_ERUNTIME;

    memset(lay, 0, sizeof *lay);
    if (style == NULL) {
        rnd_style_default(&defst);
        style = &defst;
    }
    st = style;
    lay->style = *st;
    lay->axis = st->time_axis == RND_AXIS_EVENTS ? RND_AXIS_EVENTS : RND_AXIS_TRUE;
    memset(&c, 0, sizeof c);
    c.lay = lay;
    c.m = m;
    c.st = &lay->style;
    c.measure = measure;
    c.mctx = mctx;
    lay->nlanes = m->nlanes >= 2 && m->nlanes <= RND_LANES_MAX ? m->nlanes : 2;
    lay->nconns = m->nconns;
    for (size_t ci = 0; ci < m->nconns && ci < RND_CONNS_MAX; ci++)
        for (int ep = 0; ep < 2; ep++) {
            uint8_t l = m->conns[ci].lane[ep];
            if (l < RND_LANES_MAX)
                c.track_extra[l] = dmax(c.track_extra[l], TRACK_W * m->conns[ci].track[ep]);
        }

    oneway = m->one_way > 0 ? (double)m->one_way : nominal_delay(m);
    c.pxus = st->delay_px / oneway;
    lay->pxus = c.pxus;
    lay->decimals = oneway >= 5000.0 ? 1 : 3;
    for (int s = 0; s < TCP_STATE_COUNT; s++)
        c.state_half =
            dmax(c.state_half, (tw(&c, RND_FONT_STATE, tcp_state_name((tcp_state)s)) + 14.0) / 2);
    c.inset = c.state_half + 8.0;
    c.bracket_dx = c.state_half + 9.0;
    c.note_gap = 15.0;
    truetime = lay->axis == RND_AXIS_TRUE;
    if (truetime) { /* state boxes beside the lifeline, between it and the timer brackets */
        c.inset = 10.0;
        c.bracket_dx = 2 * c.state_half + 4.0 + 9.0;
        c.note_gap = 33.0;
    }

    /* vertical: rows (relative), labels */
    if (add_rows(&c) != 0)
        goto out;
    if (truetime) /* a sheaf of one instant must have room for its labels along its arrows */
        c.pxus = dmax(c.pxus, sheaf_pxus(&c, oneway));
    if (truetime) {
        rnd_time_params tp = {.pxus = c.pxus,
                              .gap_max = st->gap_max,
                              .break_h = st->break_h,
                              .fan_step = st->fan_step,
                              .y_first = lh(&c, RND_FONT_LABEL) + lh(&c, RND_FONT_TAG) + 8.0,
                              .pre = 16.0,
                              .post = lh(&c, RND_FONT_LABEL) + lh(&c, RND_FONT_TAG) + 12.0,
                              .max_body = st->max_body};
        rnd_time_order_rows(lay, m);
        if (rnd_time_place_rows(lay, m, &tp) != 0)
            goto out;
        c.pxus = lay->pxus;
    } else if (place_rows(&c) != 0) {
        goto out;
    }
    if (make_labels(&c) != 0)
        goto out;

    /* horizontal */
    snprintf(lay->title, sizeof lay->title, "%s", m->title);
    snprintf(lay->subtitle, sizeof lay->subtitle, "%s", m->subtitle);
    for (int ep = 0; ep < lay->nlanes; ep++) {
        snprintf(lay->head[ep], sizeof lay->head[ep], "%s", m->head[ep]);
        snprintf(lay->addr[ep], sizeof lay->addr[ep], "%s", m->addr[ep]);
        head_w[ep] =
            dmax(tw(&c, RND_FONT_HEAD, lay->head[ep]), tw(&c, RND_FONT_SMALL, m->addr[ep])) + 20.0;
        head_w[ep] = dmax(head_w[ep], 2 * c.state_half + 10.0);
    }
    /* margins need the notes' widths, which need the bracket texts: measure with rows relative */
    for (int l = 0; l < lay->nlanes; l++)
        lay->lane_x[l] = (double)l;
    if (make_brackets(&c, 0.0, 0.0) != 0 || make_notes(&c) != 0)
        goto out;
    {
        char big[24];
        rnd_fmt_ms(m->t_last, lay->decimals, big, sizeof big);
        lay->axis_x = st->margin + dmax(tw(&c, RND_FONT_SMALL, big), tw(&c, RND_FONT_SMALL, "ms"));
        rnd_fmt_ms(m->t_first, lay->decimals, big, sizeof big);
        lay->axis_x = dmax(lay->axis_x, st->margin + tw(&c, RND_FONT_SMALL, big));
    }
    if (truetime && m->show_cwnd) { /* room for the track beside the sender */
        int side = cwnd_side(&c);
        if (side >= 0)
            c.cwnd_extra[side] = CWND_W + 12.0;
    }
    for (int l = 0; l < lay->nlanes; l++) /* the margin on a lane's outer side */
        extra[l] = c.margin_w[l] + c.note_gap + c.bracket_dx + c.cwnd_extra[l] + c.track_extra[l];
    left = lay->axis_x + 14.0 + extra[0];
    left = dmax(left, st->margin + head_w[0] / 2);
    right = extra[lay->nlanes - 1] + st->margin;
    right = dmax(right, head_w[lay->nlanes - 1] / 2 + st->margin);
    if (truetime) { /* labels are placed along the arrows: the widest one must fit */
        lanes = st->min_lanes_true;
        for (size_t i = 0; i < lay->nlabels; i++)
            lanes = dmax(lanes, lay->labels[i].box.w + 2 * c.inset + 24.0);
    } else {
        lanes = lane_distance(&c);
    }
    for (int l = 1; l < lay->nlanes; l++)
        lanes = dmax(lanes, (head_w[l - 1] + head_w[l]) / 2 + 40.0);
    /* between two lanes: the labels, and the inner lane's margin (several hosts) */
    span = lanes * (lay->nlanes - 1);
    for (int l = 1; l + 1 < lay->nlanes; l++)
        span += extra[l];
    wmax =
        dmax(tw(&c, RND_FONT_TITLE, m->title), tw(&c, RND_FONT_FOOT, m->subtitle)) + 2 * st->margin;
    if (left + span + right < wmax) {
        lanes += (wmax - (left + span + right)) / (lay->nlanes - 1);
        span = wmax - (left + right);
    }
    lay->lane_x[0] = left;
    for (int l = 1; l < lay->nlanes; l++)
        lay->lane_x[l] = lay->lane_x[l - 1] + lanes + (l + 1 < lay->nlanes ? extra[l] : 0.0);
    lay->width = ceil(left + (lay->nlanes == 2 ? lanes : span) + right);

    /* header: title, subtitle, legend, heads */
    y = st->margin;
    lay->title_box =
        (rnd_rect){st->margin, y, tw(&c, RND_FONT_TITLE, m->title), lh(&c, RND_FONT_TITLE)};
    y += lay->title_box.h + 1.0;
    lay->subtitle_box =
        (rnd_rect){st->margin, y, tw(&c, RND_FONT_FOOT, m->subtitle), lh(&c, RND_FONT_FOOT)};
    y += lay->subtitle_box.h + 8.0;
    /* the legend needs to know whether there are state boxes and brackets */
    for (size_t i = 0; i < lay->nrows; i++)
        if (lay->rows[i].kind == RND_ROW_STATE)
            lay->nsboxes = 1;
    y = place_legend(&c, y, st->margin, lay->width - 2 * st->margin) + 12.0;
    lay->nsboxes = 0;
    for (int ep = 0; ep < lay->nlanes; ep++) {
        double h = lh(&c, RND_FONT_HEAD) + lh(&c, RND_FONT_SMALL) + 8.0;
        lay->head_box[ep] = (rnd_rect){lay->lane_x[ep] - head_w[ep] / 2, y, head_w[ep], h};
    }
    lay->head_h = st->margin + lay->head_box[0].h;
    lay->axis_title_box = (rnd_rect){lay->axis_x - tw(&c, RND_FONT_SMALL, "ms"),
                                     y + lay->head_box[0].h - lh(&c, RND_FONT_SMALL),
                                     tw(&c, RND_FONT_SMALL, "ms"), lh(&c, RND_FONT_SMALL)};
    lay->body_y0 = y + lay->head_box[0].h;
    body_top = lay->body_y0 + 10.0;
    {
        bool assumed = false;
        unsigned per_lane[RND_LANES_MAX] = {0}, most = 0;
        for (size_t ci = 0; ci < m->nconns; ci++)
            for (int ep = 0; ep < 2; ep++) {
                initial = initial || m->conns[ci].init_state[ep] >= 0;
                assumed =
                    assumed || (m->conns[ci].init_state[ep] >= 0 && m->conns[ci].init_assumed[ep]);
                if (m->conns[ci].init_state[ep] >= 0 && m->conns[ci].lane[ep] < RND_LANES_MAX)
                    per_lane[m->conns[ci].lane[ep]]++;
            }
        for (int l = 0; l < RND_LANES_MAX; l++)
            most = per_lane[l] > most ? per_lane[l] : most;
        if (initial)
            body_top += sbox_h(&c) + 8.0;
        if (assumed)
            body_top += caption_h(&c);
        /* several connections' states at the start on one lifeline: stacked */
        init_step = sbox_h(&c) + (assumed ? caption_h(&c) : 0.0) + 4.0;
        if (most > 1)
            body_top += (most - 1) * init_step;
    }

    /* shift everything that was placed relative to the first row */
    shift = body_top;
    for (size_t i = 0; i < lay->nrows; i++)
        lay->rows[i].y += shift;
    for (size_t i = 0; i < lay->nstretches; i++)
        lay->stretches[i].y0 += shift;
    for (size_t i = 0; i < lay->nlabels; i++) {
        rnd_label *lb = &lay->labels[i];
        lb->box.y += shift;
        lb->box.x = !rnd_label_right(lb) ? lay->lane_x[lb->lane] + c.inset
                                         : lay->lane_x[lb->lane] - c.inset - lb->box.w;
    }
    for (size_t i = 0; i < lay->nbreaks; i++) {
        rnd_break *b = &lay->breaks[i];
        double w = tw(&c, RND_FONT_SMALL, b->text) + 10.0, h = lh(&c, RND_FONT_SMALL) + 4.0;
        b->y0 += shift;
        b->y1 += shift;
        b->text_box = (rnd_rect){(lay->lane_x[0] + lay->lane_x[lay->nlanes - 1] - w) / 2,
                                 (b->y0 + b->y1 - h) / 2, w, h};
    }
    y_end = lay->nrows ? lay->rows[lay->nrows - 1].y + lay->rows[lay->nrows - 1].bottom : body_top;

    /* arrows */
    lay->arrows = malloc((m->nseg * 2 + 1) * sizeof *lay->arrows);
    if (lay->arrows == NULL)
        goto out;
    c.cap_arrows = m->nseg * 2 + 1;
    {
        /* the y of each segment's send and arrival rows */
        double *ys = malloc((m->nseg * 3 + 1) * sizeof *ys);
        double *fans = calloc(m->nseg * 3 + 1, sizeof *fans);
        rnd_point cross[8]; /* the latest crosses of lost segments */
        size_t ncross = 0, ring = 0;
        if (ys == NULL || fans == NULL) {
            free(ys);
            free(fans);
            goto out;
        }
        for (size_t i = 0; i < lay->nrows; i++) {
            const rnd_row *r = &lay->rows[i];
            size_t at = SIZE_MAX;
            if (r->kind == RND_ROW_SEND)
                at = r->ref * 3;
            else if (r->kind == RND_ROW_ARRIVE)
                at = (r->ref / 2) * 3 + 1 + r->ref % 2;
            else if (r->kind == RND_ROW_MARK)
                at = r->ref * 3 + 1;
            if (at != SIZE_MAX && r->kind != RND_ROW_MARK)
                ys[at] = r->y;
            if (at != SIZE_MAX)
                fans[at] = r->fan;
        }
        for (size_t k = 0; k < m->nseg; k++) {
            const rnd_mseg *s = &m->seg[k];
            uint8_t src = rnd_seg_lane(m, s, false), dst = rnd_seg_lane(m, s, true);
            rnd_point from = {lay->lane_x[src], ys[k * 3]};
            size_t li = c.label_of_seg[k];
            if (s->n_arr == 0) {
                rnd_arrow *a = &lay->arrows[lay->narrows++];
                int64_t t_end = s->lost ? s->t_lost : s->t_send + (int64_t)m->one_way;
                /* to scale, even if a compressed gap follows the send */
                double yend = truetime ? rnd_layout_y_of(lay, t_end) + fans[k * 3 + 1]
                                       : dmax(rnd_layout_y_of(lay, t_end),
                                              from.y + (double)(t_end - s->t_send) * lay->pxus);
                /* a lost segment ends part-way; crosses of losses sent close together are
                 * staggered along their arrows so that they do not sit on each other */
                static const double fs[] = {0.55, 0.4, 0.7, 0.28, 0.82};
                double f = 1.0;
                if (!truetime)
                    yend = dmax(yend, from.y + 12.0);
                a->y_end = yend;
                a->t_end = t_end;
                a->fan_from = fans[k * 3];
                a->fan_to = fans[k * 3 + 1];
                if (!s->lost)
                    y_end = dmax(y_end, yend + 6.0);
                for (size_t q = 0; s->lost && q < sizeof fs / sizeof fs[0]; q++) {
                    rnd_point p = {from.x + fs[q] * (lay->lane_x[dst] - from.x),
                                   from.y + fs[q] * (yend - from.y)};
                    bool clear = true;
                    f = fs[q];
                    for (size_t j = 0; j < ncross && clear; j++)
                        clear = fabs(cross[j].x - p.x) >= 14.0 || fabs(cross[j].y - p.y) >= 14.0;
                    if (clear)
                        break;
                }
                a->from = from;
                a->to = (rnd_point){from.x + f * (lay->lane_x[dst] - from.x),
                                    from.y + f * (yend - from.y)};
                if (s->lost) {
                    cross[ring++ % 8] = a->to;
                    ncross = ncross < 8 ? ncross + 1 : 8;
                }
                a->lost = s->lost;
                a->style = s->style;
                a->ep = s->ep;
                a->lane = src;
                a->to_lane = dst;
                a->ci = s->ci;
                a->seg = k;
                a->label = li;
                lay->labels[li].arrow = lay->narrows - 1;
            }
            for (unsigned n = 0; n < s->n_arr; n++) {
                rnd_arrow *a = &lay->arrows[lay->narrows++];
                a->from = from;
                a->to = (rnd_point){lay->lane_x[dst], ys[k * 3 + 1 + n]};
                a->y_end = a->to.y;
                a->t_end = s->t_arr[n];
                a->fan_from = fans[k * 3];
                a->fan_to = fans[k * 3 + 1 + n];
                a->lost = false;
                a->style = s->style;
                a->ep = s->ep;
                a->lane = src;
                a->to_lane = dst;
                a->ci = s->ci;
                a->seg = k;
                a->label = n == 0 ? li : SIZE_MAX;
                if (n == 0)
                    lay->labels[li].arrow = lay->narrows - 1;
            }
        }
        free(ys);
        free(fans);
    }

    /* state boxes */
    {
        double h = sbox_h(&c);
        unsigned stacked[RND_LANES_MAX] = {0}; /* several on one lane: one below the other */
        for (size_t ci = 0; ci < m->nconns && initial; ci++)
            for (int ep = 0; ep < 2; ep++) {
                const rnd_mconn *mc = &m->conns[ci];
                uint8_t l = mc->lane[ep];
                rnd_sbox *b;
                const char *name;
                double w;
                if (mc->init_state[ep] < 0)
                    continue;
                b = PUSH(lay->sboxes, lay->nsboxes, c.cap_sboxes);
                if (b == NULL)
                    goto out;
                name = tcp_state_name((tcp_state)mc->init_state[ep]);
                w = tw(&c, RND_FONT_STATE, name) + 14.0;
                b->cy = lay->body_y0 + 10.0 + h / 2 + init_step * stacked[l]++;
                b->box = (rnd_rect){lay->lane_x[l] - w / 2, b->cy - h / 2, w, h};
                b->t = m->t_first;
                b->ep = (uint8_t)ep;
                b->lane = l;
                b->ci = (uint8_t)ci;
                b->state = (uint8_t)mc->init_state[ep];
                b->initial = true;
                b->ev = SIZE_MAX;
                b->corrected = false;
                snprintf(b->caption, sizeof b->caption, "%s",
                         mc->init_assumed[ep] ? "assumed" : "");
                set_caption(&c, b);
            }
        for (size_t i = 0; i < lay->nrows; i++) {
            const rnd_row *r = &lay->rows[i];
            const trace_event *e;
            rnd_sbox *b;
            double w;
            if (r->kind != RND_ROW_STATE)
                continue;
            e = m->ev[r->ref];
            b = PUSH(lay->sboxes, lay->nsboxes, c.cap_sboxes);
            if (b == NULL)
                goto out;
            w = tw(&c, RND_FONT_STATE, tcp_state_name((tcp_state)e->u.state.to)) + 14.0;
            b->cy = r->y;
            b->box = (rnd_rect){lay->lane_x[r->lane] - w / 2, r->y - h / 2, w, h};
            b->t = r->t;
            b->ep = r->ep;
            b->lane = r->lane;
            b->ci = r->ci;
            b->state = e->u.state.to;
            b->initial = false;
            b->ev = rnd_model_ev_index(m, e);
            b->corrected = (m->ev_flags[r->ref] & RND_EVF_CORRECTED) != 0;
            snprintf(b->caption, sizeof b->caption, "%s", b->corrected ? "corrected" : "");
            set_caption(&c, b);
        }
    }

    if (truetime && rnd_place_boxes(lay, 4.0) != 0)
        goto out;

    /* brackets and notes again, now with real coordinates */
    lay->nbrackets = 0;
    lay->nnotes = 0;
    for (int l = 0; l < RND_LANES_MAX; l++)
        c.margin_w[l] = 0.0;
    if (make_brackets(&c, body_top - 6.0, y_end) != 0 || (truetime && make_rtt_brackets(&c) != 0) ||
        make_notes(&c) != 0 || place_notes(&c) != 0)
        goto out;
    for (size_t i = 0; i < lay->nnotes; i++)
        y_end = dmax(y_end, lay->notes[i].box.y + lay->notes[i].box.h);
    if (make_cwnd(&c, body_top - 6.0, y_end) != 0)
        goto out;

    make_ticks(&c);
    if (!truetime)
        settle_labels(&c);
    else if (rnd_place_labels(lay, c.inset, 2.0, st->margin, y_end + 2000.0) != 0)
        goto out;
    for (size_t i = 0; i < lay->nlabels; i++)
        y_end = dmax(y_end, lay->labels[i].box.y + lay->labels[i].box.h);
    for (size_t i = 0; i < lay->narrows; i++)
        y_end = dmax(y_end, lay->arrows[i].to.y + 4.0);
    if (rnd_layout_bars(lay, m, body_top - 6.0, y_end + 8.0) != 0)
        goto out;

    /* the legend once more, now that state boxes and brackets are known */
    {
        double ly = lay->legend[0].box.y;
        place_legend(&c, ly, st->margin, lay->width - 2 * st->margin);
    }

    lay->body_y1 = y_end + 14.0;
    y = lay->body_y1 + 8.0;
    if (m->footnote[0]) {
        wrap_foot(&c, m->footnote, lay->width - 2 * st->margin);
        lay->foot_box = (rnd_rect){st->margin, y, lay->width - 2 * st->margin,
                                   lh(&c, RND_FONT_FOOT) * lay->nfoot};
        y += lay->foot_box.h;
    }
    lay->height = ceil(y + st->margin);
    rc = 0;
out:
    free(c.label_of_seg);
    if (rc != 0)
        rnd_layout_free(lay);
    return rc;
}

/* ---------------------------------------------------------------- pages */

typedef struct span {
    double y0, y1;
} span;

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->y0 < y->y0 ? -1 : x->y0 > y->y0;
}

/* The highest y <= limit (and > lo) that cuts through no text or box; lo + limit's share if none.
 */
static double free_cut(const span *sp, size_t n, double lo, double limit)
{
    /* sp is sorted and merged: find the span containing limit */
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (sp[mid].y1 < limit)
            a = mid + 1;
        else
            b = mid;
    }
    if (a < n && sp[a].y0 < limit && sp[a].y1 > limit) {
        double cut = sp[a].y0 - 1.0;
        if (cut > lo + (limit - lo) * 0.3)
            return cut;
    }
    return limit;
}

double rnd_layout_page_h(const rnd_layout *lay)
{
    return lay->style.page_h > 0 ? lay->style.page_h : floor(lay->width * sqrt(2.0));
}

int rnd_layout_paginate(rnd_layout *lay, double page_h)
{
    size_t n = lay->nlabels + lay->nsboxes + lay->nnotes + lay->nbreaks + lay->nticks, k = 0, m = 0;
    size_t cap = 0;
    span *sp = malloc((n ? n : 1) * sizeof *sp);
    double y0 = 0.0, bottom = lay->style.margin;
    if (sp == NULL)
        return RND_ERUNTIME;
    for (size_t i = 0; i < lay->nlabels; i++)
        sp[k++] = (span){lay->labels[i].box.y, lay->labels[i].box.y + lay->labels[i].box.h};
    for (size_t i = 0; i < lay->nsboxes; i++)
        sp[k++] = (span){lay->sboxes[i].box.y, lay->sboxes[i].box.y + lay->sboxes[i].box.h};
    for (size_t i = 0; i < lay->nnotes; i++)
        sp[k++] = (span){lay->notes[i].box.y, lay->notes[i].box.y + lay->notes[i].box.h};
    for (size_t i = 0; i < lay->nbreaks; i++)
        sp[k++] = (span){lay->breaks[i].y0, lay->breaks[i].y1};
    for (size_t i = 0; i < lay->nticks; i++)
        sp[k++] = (span){lay->ticks[i].box.y, lay->ticks[i].box.y + lay->ticks[i].box.h};
    qsort(sp, k, sizeof *sp, cmp_span);
    for (size_t i = 0; i < k; i++) { /* merge */
        if (m > 0 && sp[i].y0 <= sp[m - 1].y1 + 1.0)
            sp[m - 1].y1 = dmax(sp[m - 1].y1, sp[i].y1);
        else
            sp[m++] = sp[i];
    }
    free(lay->pages);
    lay->pages = NULL;
    lay->npages = 0;
    for (;;) {
        bool first = lay->npages == 0;
        double top = first ? 0.0 : lay->head_h + 6.0;
        double limit = y0 + (page_h - top - bottom);
        rnd_page *p = PUSH(lay->pages, lay->npages, cap);
        if (p == NULL) {
            free(sp);
            return RND_ERUNTIME;
        }
        if (first && limit <= lay->body_y0 + 40.0)
            limit = lay->body_y0 + 40.0; /* a page shorter than the header: show some body */
        p->y0 = y0;
        p->heads = !first;
        p->dy = top - y0;
        if (limit >= lay->height) {
            p->y1 = lay->height;
            break;
        }
        p->y1 = free_cut(sp, m, first ? lay->body_y0 : y0, limit);
        y0 = p->y1;
    }
    free(sp);
    return 0;
}
