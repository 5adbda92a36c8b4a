/*
 * rnd_layout_time.c - the true-time vertical axis (see rnd_layout_time.h).
 *
 * The rows of rnd_layout.c (one per send, arrival, state change, call, timer event) are grouped
 * into instants (rows of the same microsecond).  Walking the instants in order, the gap to the
 * next one is drawn to scale unless it is quiet and long: quiet means no segment is in flight
 * across it (its arrow would no longer be straight and to scale), long means taller than
 * style.gap_max at the scale.  Such a gap becomes a break: a band of fixed height with the exact
 * duration written in it; the instants on either side keep their exact times, and a new stretch
 * of the same scale starts after the band.
 *
 * Within one instant, the arrow ends on one lifeline (arrivals, sends, where a lost segment would
 * have arrived) fan out downwards by style.fan_step each, in the order the trace has them, so a
 * burst of segments sent in the same microsecond is a sheaf of parallel arrows rather than one;
 * the step shrinks when the next instant is close, so that distinct instants keep their order.
 * The other rows of the instant (state changes, calls, timers) sit half a step below the arrow end
 * before them on their lifeline, so that what an arrival causes is drawn after it.
 */
#include "rnd_layout_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd_text.h"

int64_t rnd_seg_end(const rnd_model *m, size_t k)
{
    const rnd_mseg *s = &m->seg[k];
    int64_t end = s->t_send;
    if (s->n_arr == 0)
        end = s->lost ? s->t_lost : s->t_send + (int64_t)m->one_way;
    for (unsigned a = 0; a < s->n_arr; a++)
        end = s->t_arr[a] > end ? s->t_arr[a] : end;
    return end;
}

static size_t row_event(const rnd_row *r, const rnd_model *m)
{
    switch (r->kind) {
    case RND_ROW_SEND:
        return m->seg[r->ref].ev_send;
    case RND_ROW_ARRIVE:
        return m->seg[r->ref / 2].ev_arr[r->ref % 2];
    case RND_ROW_MARK:
        return SIZE_MAX;
    default: {
        const trace_event *e = m->ev[r->ref];
        size_t i = rnd_model_ev_index(m, e);
        if (i == SIZE_MAX && m->own != NULL && e >= m->own && e < m->own + m->nown)
            i = m->own_after[e - m->own]; /* a note the model added: after its ACK's arrival */
        return i;
    }
    }
}

static int cmp_trace_order(const void *a, const void *b)
{
    const rnd_row *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->ev != y->ev)
        return x->ev < y->ev ? -1 : 1; /* SIZE_MAX (a lost segment's mark) last */
    if ((x->kind == RND_ROW_ARRIVE) != (y->kind == RND_ROW_ARRIVE))
        return x->kind == RND_ROW_ARRIVE ? -1 : 1; /* an arrival before the note that follows it */
    return x->ref < y->ref ? -1 : x->ref > y->ref;
}

void rnd_time_order_rows(rnd_layout *L, const rnd_model *m)
{
    bool known = !m->capture;
    for (size_t i = 0; i < L->nrows; i++) {
        L->rows[i].ev = row_event(&L->rows[i], m);
        if (L->rows[i].kind == RND_ROW_ARRIVE && L->rows[i].ev == SIZE_MAX)
            known = false;
    }
    if (known)
        qsort(L->rows, L->nrows, sizeof *L->rows, cmp_trace_order);
}

static bool arrow_end(const rnd_row *r)
{
    return r->kind == RND_ROW_SEND || r->kind == RND_ROW_ARRIVE || r->kind == RND_ROW_MARK;
}

typedef struct instant {
    size_t first, n; /* rows */
    int64_t t;
    double y;     /* on the scale */
    double fan_h; /* how far its fan reaches below y */
    bool quiet;   /* nothing in flight between it and the next instant */
} instant;

/* y of every instant at scale pxus; returns the bottom.  Fills breaks when b != NULL. */
static double place_instants(instant *in, size_t n, const rnd_time_params *p, double pxus,
                             rnd_layout *L, size_t *cap_breaks, rnd_stretch *st, size_t *nst,
                             int *oom)
{
    double y = p->y_first;
    size_t ns = 0;
    if (n == 0)
        return y;
    in[0].y = y;
    st[ns++] = (rnd_stretch){in[0].t, in[0].t, y};
    for (size_t i = 1; i < n; i++) {
        double dt = (double)(in[i].t - in[i - 1].t);
        if (in[i - 1].quiet && dt * pxus > p->gap_max) {
            double y0 = in[i - 1].y + in[i - 1].fan_h + p->pre;
            if (L != NULL) {
                rnd_break *b;
                char d[24];
                if (L->nbreaks + 1 > *cap_breaks) {
                    size_t nc = *cap_breaks ? *cap_breaks * 2 : 8;
                    rnd_break *q = realloc(L->breaks, nc * sizeof *q);
                    if (q == NULL) {
                        *oom = 1;
                        return y;
                    }
                    L->breaks = q;
                    *cap_breaks = nc;
                }
                b = &L->breaks[L->nbreaks++];
                memset(b, 0, sizeof *b);
                b->y0 = y0;
                b->y1 = y0 + p->break_h;
                b->t0 = in[i - 1].t;
                b->t1 = in[i].t;
                snprintf(b->text, sizeof b->text, "%s later",
                         rnd_fmt_duration((uint64_t)(in[i].t - in[i - 1].t), d, sizeof d));
            }
            in[i].y = y0 + p->break_h + p->post;
            st[ns - 1].t1 = in[i - 1].t;
            st[ns++] = (rnd_stretch){in[i].t, in[i].t, in[i].y};
        } else {
            in[i].y = st[ns - 1].y0 + (double)(in[i].t - st[ns - 1].t0) * pxus;
        }
    }
    st[ns - 1].t1 = in[n - 1].t;
    *nst = ns;
    return in[n - 1].y + in[n - 1].fan_h;
}

int rnd_time_place_rows(rnd_layout *L, const rnd_model *m, const rnd_time_params *p)
{
    size_t ni = 0, nst = 0, cap_breaks = L->nbreaks;
    instant *in = malloc((L->nrows ? L->nrows : 1) * sizeof *in);
    rnd_stretch *st = malloc((L->nrows ? L->nrows : 1) * sizeof *st);
    int64_t maxend = INT64_MIN;
    double pxus = p->pxus;
    int oom = 0;
    if (in == NULL || st == NULL) {
        free(in);
        free(st);
        return -1;
    }
    /* instants, and whether the gap after each is quiet */
    for (size_t i = 0; i < L->nrows; i++) {
        const rnd_row *r = &L->rows[i];
        if (ni == 0 || in[ni - 1].t != r->t)
            in[ni++] = (instant){.first = i, .n = 0, .t = r->t};
        in[ni - 1].n++;
        if (r->kind == RND_ROW_SEND) {
            int64_t e = rnd_seg_end(m, r->ref);
            maxend = e > maxend ? e : maxend;
        }
        if (i + 1 == L->nrows || L->rows[i + 1].t != r->t)
            in[ni - 1].quiet = i + 1 == L->nrows || maxend < L->rows[i + 1].t;
    }
    /* the fan height of each instant: the longest sheaf on either lifeline */
    for (size_t k = 0; k < ni; k++) {
        unsigned cnt[RND_LANES_MAX] = {0}, most = 0;
        for (size_t i = in[k].first; i < in[k].first + in[k].n; i++)
            if (arrow_end(&L->rows[i]))
                cnt[L->rows[i].lane % RND_LANES_MAX]++;
        for (int l = 0; l < RND_LANES_MAX; l++)
            most = cnt[l] > most ? cnt[l] : most;
        in[k].fan_h = most > 1 ? (double)(most - 1) * p->fan_step : 0.0;
    }
    /* the scale: lowered until the body fits */
    for (int tries = 0; tries < 4; tries++) {
        double bottom = place_instants(in, ni, p, pxus, NULL, NULL, st, &nst, &oom);
        if (bottom <= p->max_body || tries == 3)
            break;
        pxus *= (p->max_body - p->y_first) / (bottom - p->y_first) * 0.98;
    }
    L->nbreaks = 0;
    place_instants(in, ni, p, pxus, L, &cap_breaks, st, &nst, &oom);
    if (oom) {
        free(in);
        free(st);
        return -1;
    }
    /* fans */
    for (size_t k = 0; k < ni; k++) {
        unsigned cnt[RND_LANES_MAX] = {0}, seen[RND_LANES_MAX] = {0};
        double step[RND_LANES_MAX];
        bool same_stretch =
            k + 1 < ni && !(in[k].quiet && (double)(in[k + 1].t - in[k].t) * pxus > p->gap_max);
        double room = same_stretch ? 0.8 * (in[k + 1].y - in[k].y) : 1e300;
        for (size_t i = in[k].first; i < in[k].first + in[k].n; i++)
            if (arrow_end(&L->rows[i]))
                cnt[L->rows[i].lane % RND_LANES_MAX]++;
        for (int e = 0; e < RND_LANES_MAX; e++) {
            step[e] = p->fan_step;
            if (room / (double)(cnt[e] ? cnt[e] : 1) < step[e])
                step[e] = room / (double)(cnt[e] ? cnt[e] : 1);
        }
        for (size_t i = in[k].first; i < in[k].first + in[k].n; i++) {
            rnd_row *r = &L->rows[i];
            int e = r->lane % RND_LANES_MAX;
            /* an arrow end at its place in the sheaf; anything else half a step after the
             * arrow end before it (what an arrival caused comes after it) */
            double at = arrow_end(r) ? (double)seen[e] : seen[e] ? (double)seen[e] - 0.5 : 0.0;
            r->fan = at * step[e];
            r->y = in[k].y + r->fan;
            if (arrow_end(r))
                seen[e]++;
        }
    }
    free(L->stretches);
    L->stretches = st;
    L->nstretches = nst;
    L->pxus = pxus;
    L->fan_step = p->fan_step;
    free(in);
    return 0;
}

double rnd_time_y(const rnd_layout *L, int64_t t)
{
    size_t lo = 0, hi = L->nstretches;
    const rnd_stretch *s = L->stretches;
    if (L->nstretches == 0)
        return L->body_y0;
    if (t <= s[0].t0)
        return s[0].y0 - (double)(s[0].t0 - t) * L->pxus;
    while (hi - lo > 1) { /* last stretch with t0 <= t */
        size_t mid = (lo + hi) / 2;
        if (s[mid].t0 <= t)
            lo = mid;
        else
            hi = mid;
    }
    if (t <= s[lo].t1 || lo + 1 == L->nstretches)
        return s[lo].y0 + (double)(t - s[lo].t0) * L->pxus;
    {
        /* inside a break: across its band in proportion */
        double ya = s[lo].y0 + (double)(s[lo].t1 - s[lo].t0) * L->pxus, yb = s[lo + 1].y0;
        double f = (double)(t - s[lo].t1) / (double)(s[lo + 1].t0 - s[lo].t1);
        return ya + f * (yb - ya);
    }
}
