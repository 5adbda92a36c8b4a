/*
 * rnd_place.c - what goes around the arrows of a true-time ladder diagram, which never moves an
 * arrow: each segment label just above its own arrow, state boxes beside their lifeline.
 *
 * A label sits above its arrow: its edge on the sender's side is `inset` from the sender's
 * lifeline (or further along the arrow), and its bottom is `pad` above the arrow at that edge,
 * which is where the arrow passes highest under the label (an arrow goes down away from its
 * sender).  The first place along the arrow, in steps of 10 units, where the label meets no
 * label placed before it, no arrowhead or cross, no state box and no break is taken; when there is
 * none (a dense sheaf), the label is raised in steps of 4 units, trying the places along the arrow
 * at each height, until it is free, and the painter draws a leader from it down to its arrow.
 * Placed labels are kept in buckets of 48 units of height, so each try looks at a few neighbours.
 *
 * State boxes sit beside their lifeline, on the side away from the other one, centred on the
 * y of their state change; one that would meet the box before it on the same lifeline goes just
 * below it (its leader then points at the true y).
 */
#include "rnd_place.h"

#include <math.h>
#include <stdlib.h>

#define BUCKET_H 48.0

typedef struct bucket {
    size_t *v;
    size_t n, cap;
} bucket;

typedef struct grid {
    bucket *b;
    size_t nb;
} grid;

static size_t bucket_of(const grid *g, double y)
{
    double q = floor(y / BUCKET_H);
    if (q < 0)
        return 0;
    return q >= (double)g->nb ? g->nb - 1 : (size_t)q;
}

static int grid_add(grid *g, const rnd_rect *r, size_t id)
{
    for (size_t k = bucket_of(g, r->y); k <= bucket_of(g, r->y + r->h); k++) {
        bucket *b = &g->b[k];
        if (b->n == b->cap) {
            size_t nc = b->cap ? b->cap * 2 : 8;
            size_t *q = realloc(b->v, nc * sizeof *q);
            if (q == NULL)
                return -1;
            b->v = q;
            b->cap = nc;
        }
        b->v[b->n++] = id;
    }
    return 0;
}

/* Rectangles: labels are ids < nlabels; state boxes come after them, then their captions, then
 * the arrowheads (heads[]). */
static const rnd_rect *rect_of(const rnd_layout *L, const rnd_rect *heads, size_t id)
{
    if (id < L->nlabels)
        return &L->labels[id].box;
    id -= L->nlabels;
    if (id < L->nsboxes)
        return &L->sboxes[id].box;
    id -= L->nsboxes;
    return id < L->nsboxes ? &L->sboxes[id].caption_box : &heads[id - L->nsboxes];
}

static bool free_at(const rnd_layout *L, const rnd_rect *heads, const grid *g, const rnd_rect *c,
                    size_t self)
{
    for (size_t i = 0; i < L->nbreaks; i++)
        if (c->y < L->breaks[i].y1 + 2.0 && c->y + c->h > L->breaks[i].y0 - 2.0)
            return false;
    for (size_t k = bucket_of(g, c->y); k <= bucket_of(g, c->y + c->h); k++)
        for (size_t j = 0; j < g->b[k].n; j++)
            if (g->b[k].v[j] != self && rnd_rect_overlap(c, rect_of(L, heads, g->b[k].v[j]), 0.0))
                return false;
    return true;
}

/* The label's box with its sender-side edge u units beyond `inset` along arrow a. */
static rnd_rect candidate(const rnd_arrow *a, rnd_point to, const rnd_rect *box, double inset,
                          double pad, double u)
{
    double dx = to.x - a->from.x, s = dx > 0 ? 1.0 : -1.0;
    double xe = a->from.x + s * (inset + u);
    double yl = a->from.y + (xe - a->from.x) / dx * (to.y - a->from.y);
    rnd_rect r = *box;
    r.x = s > 0 ? xe : xe - r.w;
    r.y = yl - pad - r.h;
    return r;
}

double rnd_place_line_y(const rnd_arrow *a, double x)
{
    double dx = a->to.x - a->from.x;
    if (fabs(dx) < 1e-9)
        return a->from.y;
    return a->from.y + (x - a->from.x) / dx * (a->to.y - a->from.y);
}

int rnd_place_labels(rnd_layout *L, double inset, double pad, double y_min, double height)
{
    grid g;
    rnd_rect *heads;
    int rc = 0;
    g.nb = (size_t)(height / BUCKET_H) + 2;
    g.b = calloc(g.nb, sizeof *g.b);
    heads = malloc((L->narrows ? L->narrows : 1) * sizeof *heads);
    if (g.b == NULL || heads == NULL) {
        free(g.b);
        free(heads);
        return -1;
    }
    for (size_t i = 0; i < L->narrows && rc == 0; i++) { /* arrowheads and crosses stay visible */
        const rnd_arrow *a = &L->arrows[i];
        double w = a->lost ? 12.0 : 14.0,
               x = a->lost ? a->to.x - 6.0 : (a->to.x > a->from.x ? a->to.x - w : a->to.x);
        heads[i] = (rnd_rect){x, a->to.y - 6.0, w, 12.0};
        rc = grid_add(&g, &heads[i], L->nlabels + 2 * L->nsboxes + i);
    }
    for (size_t i = 0; i < L->nsboxes && rc == 0; i++) {
        rc = grid_add(&g, &L->sboxes[i].box, L->nlabels + i);
        if (rc == 0 && L->sboxes[i].caption[0])
            rc = grid_add(&g, &L->sboxes[i].caption_box, L->nlabels + L->nsboxes + i);
    }
    for (size_t i = 0; i < L->nlabels && rc == 0; i++) {
        rnd_label *lb = &L->labels[i];
        const rnd_arrow *a = &L->arrows[lb->arrow];
        /* a lost segment's label goes along the line to where it would have arrived */
        rnd_point to = {L->lane_x[a->to_lane], a->y_end};
        /* along the arrow as far as the next lifeline only: beyond it lies that lane's margin
         * (several hosts; with two lanes the next one is the receiver's) */
        int next = a->to_lane > a->lane ? a->lane + 1 : a->lane - 1;
        double span = fabs(L->lane_x[next] - a->from.x) - 2.0 * inset - lb->box.w;
        rnd_rect best = candidate(a, to, &lb->box, inset, pad, 0.0);
        bool done = false;
        lb->raised = 0.0;
        for (double u = 0.0; u <= span + 1e-9 && !done; u += 10.0) {
            rnd_rect c = candidate(a, to, &lb->box, inset, pad, u);
            if (c.y >= y_min && free_at(L, heads, &g, &c, i)) {
                best = c;
                done = true;
            }
        }
        /* a dense sheaf: raised in steps of 4, along the arrow again at each height */
        for (int k = 1; k <= 400 && !done; k++)
            for (double u = 0.0; u <= span + 1e-9 && !done; u += span > 0 ? span / 2 + 1e-6 : 1) {
                rnd_rect c = candidate(a, to, &lb->box, inset, pad, u);
                c.y -= 4.0 * k;
                if (c.y >= y_min && free_at(L, heads, &g, &c, i)) {
                    best = c;
                    lb->raised = 4.0 * k;
                    done = true;
                }
            }
        if (best.y < y_min) /* no room at all (a degenerate scale): at least on the canvas */
            best.y = y_min;
        lb->box = best;
        rc = grid_add(&g, &lb->box, i);
    }
    for (size_t k = 0; k < g.nb; k++)
        free(g.b[k].v);
    free(g.b);
    free(heads);
    return rc;
}

static void set_box_y(rnd_sbox *b, double y)
{
    b->box.y = y;
    b->caption_box.y = y + b->box.h;
}

static double box_bottom(const rnd_sbox *b)
{
    return b->box.y + b->box.h + b->caption_box.h;
}

/* The break band that box b (with its caption) runs into, or NULL. */
static const rnd_break *band_hit(const rnd_layout *L, const rnd_sbox *b)
{
    for (size_t k = 0; k < L->nbreaks; k++)
        if (b->box.y < L->breaks[k].y1 && box_bottom(b) > L->breaks[k].y0)
            return &L->breaks[k];
    return NULL;
}

int rnd_place_boxes(rnd_layout *L, double gap)
{
    size_t *ix = malloc((L->nsboxes ? L->nsboxes : 1) * sizeof *ix);
    if (ix == NULL)
        return -1;
    for (int lane = 0; lane < L->nlanes; lane++) {
        size_t n = 0;
        bool left = rnd_lane_left(L, (unsigned)lane);
        for (size_t i = 0; i < L->nsboxes; i++)
            if (L->sboxes[i].lane == lane && !L->sboxes[i].initial)
                ix[n++] = i;
        for (size_t k = 0; k < n; k++) {
            rnd_sbox *b = &L->sboxes[ix[k]];
            const rnd_break *bk;
            double y = b->cy - b->box.h / 2;
            if (k > 0)
                y = fmax(y, box_bottom(&L->sboxes[ix[k - 1]]) + 2.0);
            b->box.x = left ? L->lane_x[lane] - gap - b->box.w : L->lane_x[lane] + gap;
            b->caption_box.x = b->box.x + (b->box.w - b->caption_box.w) / 2;
            set_box_y(b, y);
            bk = band_hit(L, b);
            if (bk == NULL || b->cy >= bk->y0)
                continue;
            /* pushed into a break: just above the band, pushing the ones before it up */
            set_box_y(b, bk->y0 - 2.0 - (box_bottom(b) - b->box.y));
            for (size_t j = k; j-- > 0;) {
                rnd_sbox *q = &L->sboxes[ix[j]];
                double lim = L->sboxes[ix[j + 1]].box.y - 2.0;
                if (box_bottom(q) <= lim)
                    break;
                set_box_y(q, lim - (box_bottom(q) - q->box.y));
            }
        }
    }
    free(ix);
    return 0;
}
