/*
 * rnd_tseq_layout.c - builds the time-sequence graph's data and axes from the same model as the
 * ladder (so connection, time and packet ranges mean the same), always with relative numbers.
 * Times are those at the data sender: data at its send time, ACKs at their arrival there
 * (estimated for captures like the ladder's).  Axis ticks are "nice" steps of 1, 2 or 5 x 10^k.
 */
#include "rnd_tseq.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd_model.h"
#include "rnd_text.h"

void rnd_tseq_free(rnd_tseq *g)
{
    free(g->bars);
    free(g->ack);
    free(g->win);
    free(g->zwin);
    memset(g, 0, sizeof *g);
}

double rnd_tseq_x(const rnd_tseq *g, double t_ms)
{
    return g->plot.x + (t_ms - g->t0) / (g->t1 - g->t0) * g->plot.w;
}

double rnd_tseq_y(const rnd_tseq *g, double seq)
{
    return g->plot.y + g->plot.h - (seq - g->s0) / (g->s1 - g->s0) * g->plot.h;
}

static double nice_step(double span, int want)
{
    double raw = span / want, p = pow(10.0, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * p;
}

/* Widens [lo, hi] to whole steps and fills ticks. */
static int axis(double *lo, double *hi, rnd_tick1 *tk, int want)
{
    double step, v;
    int n = 0;
    if (*hi - *lo < 1e-9)
        *hi = *lo + 1.0;
    step = nice_step(*hi - *lo, want);
    *lo = floor(*lo / step) * step;
    *hi = ceil(*hi / step) * step;
    for (v = *lo; v <= *hi + step * 1e-6 && n < RND_TSEQ_TICKS; v += step)
        tk[n++].v = fabs(v) < step * 1e-9 ? 0.0 : v;
    return n;
}

int rnd_tseq_build(rnd_tseq *g, const trace_buf *tr, const rnd_options *opts, char *err,
                   size_t errlen)
{
    rnd_options o;
    rnd_model m;
    uint64_t bytes[2] = {0, 0};
    double tmin = INFINITY, tmax = -INFINITY, smin = INFINITY, smax = -INFINITY;
    int rc;
    size_t nb = 0, na = 0;
    bool zopen = false;

    memset(g, 0, sizeof *g);
    if (opts != NULL)
        o = *opts;
    else
        rnd_options_default(&o);
    o.seq = RND_SEQ_RELATIVE;
    rc = rnd_model_build(&m, tr, &o, err, errlen);
    if (rc != 0)
        return rc;
    for (size_t k = 0; k < m.nseg; k++)
        bytes[m.seg[k].ep] += m.seg[k].seg.len;
    g->dir = o.dir == RND_DIR_AUTO ? (bytes[1] > bytes[0] ? 1 : 0) : (uint8_t)o.dir;
    if (bytes[g->dir] == 0) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "nothing to graph: the %s sends no data in the selection",
                     trace_ep_name(g->dir));
        rnd_model_free(&m);
        return RND_EREQUEST;
    }
    for (size_t k = 0; k < m.nseg; k++) {
        const rnd_mseg *s = &m.seg[k];
        nb += s->ep == g->dir ? 1 : s->seg.nsack;
        na += s->ep != g->dir;
    }
    g->bars = malloc((nb + 1) * sizeof *g->bars);
    g->ack = malloc((na + 1) * sizeof *g->ack);
    g->win = malloc((na + 1) * sizeof *g->win);
    g->zwin = malloc((na + 1) * sizeof *g->zwin);
    if (g->bars == NULL || g->ack == NULL || g->win == NULL || g->zwin == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "out of memory");
        rnd_model_free(&m);
        rnd_tseq_free(g);
        return RND_ERUNTIME;
    }
    for (size_t k = 0; k < m.nseg; k++) {
        const rnd_mseg *s = &m.seg[k];
        if (s->ep == g->dir) {
            rnd_tbar *b = &g->bars[g->nbars++];
            uint32_t len = tcp_seg_seqlen(&s->seg);
            b->t = (double)s->t_send / 1e3;
            b->s0 = (double)(int32_t)s->dseq;
            b->s1 = b->s0 + len;
            b->kind = s->style == RND_ARROW_RETX ? RND_TBAR_RETX : RND_TBAR_DATA;
            b->lost = s->lost;
            if (len == 0) /* a pure ACK of the data sender says nothing about its data */
                g->nbars--;
            else {
                g->has_retx = g->has_retx || b->kind == RND_TBAR_RETX;
                g->has_lost = g->has_lost || b->lost;
                tmin = fmin(tmin, b->t);
                tmax = fmax(tmax, b->t);
                smin = fmin(smin, b->s0);
                smax = fmax(smax, b->s1);
            }
        } else if ((s->seg.flags & TCP_ACK) && s->n_arr > 0) {
            double t = (double)s->t_arr[0] / 1e3, a = (double)(int32_t)s->dack;
            uint32_t isn = s->seg.ack - s->dack;
            g->ack[g->nack++] = (rnd_tpt){t, a};
            g->win[g->nwin++] = (rnd_tpt){t, a + s->seg.win};
            if (s->seg.win == 0 && !zopen) { /* the window closes */
                g->zwin[g->nzwin++] = (rnd_tspan){t, t, a};
                zopen = true;
            } else if (s->seg.win > 0 && zopen) { /* ... and opens again */
                g->zwin[g->nzwin - 1].t1 = t;
                zopen = false;
            }
            g->has_sack = g->has_sack || s->seg.nsack > 0;
            for (unsigned i = 0; i < s->seg.nsack && i < TCP_MAX_SACK; i++) {
                rnd_tbar *b = &g->bars[g->nbars++];
                b->t = t;
                b->s0 = (double)(int32_t)(s->seg.sack[i].left - isn);
                b->s1 = (double)(int32_t)(s->seg.sack[i].right - isn);
                b->kind = RND_TBAR_SACK;
                b->lost = false;
            }
            tmin = fmin(tmin, t);
            tmax = fmax(tmax, t);
            smin = fmin(smin, a);
            smax = fmax(smax, a);
        }
    }
    if (zopen) /* still closed at the end */
        g->zwin[g->nzwin - 1].t1 = tmax;
    /* estimated send times a little before the first capture do not move the axis below 0 */
    if (m.capture && tmin < 0.0 && tmin > -(double)m.one_way / 1e3 - 1e-9)
        tmin = 0.0;
    /* the window line may run far above the data; show it only up to a little over the data */
    {
        double top = smax + (smax - smin) * 0.15;
        for (size_t i = 0; i < g->nwin; i++) {
            if (g->win[i].v <= top)
                smax = fmax(smax, g->win[i].v);
            else
                g->win_above = true;
        }
    }

    g->width = 960.0;
    g->height = 620.0;
    g->plot = (rnd_rect){78.0, 78.0, g->width - 78.0 - 24.0, g->height - 78.0 - 58.0};
    g->seconds = tmax - tmin > 10000.0;
    {
        double k = g->seconds ? 1e-3 : 1.0, lo = tmin * k, hi = tmax * k;
        g->nxt = axis(&lo, &hi, g->xt, 8);
        g->t0 = lo / k;
        g->t1 = hi / k;
        for (int i = 0; i < g->nxt; i++) {
            g->xt[i].pos = rnd_tseq_x(g, g->xt[i].v / k);
            snprintf(g->xt[i].text, sizeof g->xt[i].text, "%g", g->xt[i].v);
        }
        snprintf(g->xlabel, sizeof g->xlabel, "time (%s)", g->seconds ? "s" : "ms");
    }
    g->s0 = smin;
    g->s1 = smax;
    g->nyt = axis(&g->s0, &g->s1, g->yt, 8);
    for (int i = 0; i < g->nyt; i++) {
        g->yt[i].pos = rnd_tseq_y(g, g->yt[i].v);
        rnd_fmt_bytes(g->yt[i].v, g->yt[i].text, sizeof g->yt[i].text);
    }
    snprintf(g->ylabel, sizeof g->ylabel, "relative sequence number");
    snprintf(g->title, sizeof g->title, "%s: time-sequence graph", m.title);
    snprintf(g->subtitle, sizeof g->subtitle, "data from the %s (%s) to the %s (%s)%s",
             trace_ep_name(g->dir), m.addr[g->dir], trace_ep_name(1u - g->dir), m.addr[1 - g->dir],
             m.capture ? ", times estimated at the sender" : "");
    rnd_model_free(&m);
    return 0;
}
