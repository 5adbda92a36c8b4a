/*
 * rnd_tseq.c - paints the time-sequence graph and writes it (rnd_write_tseq).  The look follows
 * tcptrace: data segments as vertical bars with end ticks, retransmissions in red with an "R",
 * losses as a red cross, the ACK line as a green step line, the receive window as a dashed amber
 * step line above it, SACK blocks as purple bars beside the ACK line.  Pens differ in dash and
 * width too, so the graph reads in black and white.
 */
#include <math.h>
#include <stdio.h>

#include "rnd.h"
#include "rnd_font.h"
#include "rnd_output.h"
#include "rnd_paint.h"
#include "rnd_tseq.h"

typedef struct tseq_doc {
    const rnd_tseq *g;
    const rnd_fonts *f;
    const rnd_style *st;
} tseq_doc;

static const rnd_rgb C_ACK = {0.15, 0.50, 0.20};
static const rnd_rgb C_WIN = {0.72, 0.45, 0.02};
static const rnd_rgb C_SACK = {0.48, 0.22, 0.60};
static const rnd_rgb C_GRID = {0.90, 0.91, 0.93};
static const rnd_rgb C_AXIS = {0.35, 0.36, 0.40};

static void text(cairo_t *cr, const tseq_doc *d, rnd_font font, double x, double top, const char *s)
{
    rnd_fonts_use(d->f, cr, font);
    cairo_move_to(cr, x, rnd_fonts_baseline(d->f, d->st, font, top));
    cairo_show_text(cr, s);
}

static double width(const tseq_doc *d, rnd_font font, const char *s)
{
    return rnd_fonts_measure((void *)d->f, font, s);
}

static void step_line(cairo_t *cr, const rnd_tseq *g, const rnd_tpt *p, size_t n, double right)
{
    double last = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = rnd_tseq_x(g, p[i].t), y = rnd_tseq_y(g, p[i].v);
        if (i == 0)
            cairo_move_to(cr, x, y);
        else {
            cairo_line_to(cr, x, last);
            cairo_line_to(cr, x, y);
        }
        last = y;
    }
    if (n > 0)
        cairo_line_to(cr, right, last);
}

/* A zero-window stretch: a translucent amber band along the ACK line, hatched so that it shows
 * in black and white too. */
static void zero_window_band(cairo_t *cr, double x0, double x1, double y)
{
    const double h = 5.0;
    if (x1 - x0 < 3.0)
        x1 = x0 + 3.0;
    cairo_set_source_rgba(cr, C_WIN.r, C_WIN.g, C_WIN.b, 0.30);
    cairo_rectangle(cr, x0, y - h, x1 - x0, 2 * h);
    cairo_fill(cr);
    rnd_set_rgb(cr, C_WIN);
    cairo_set_line_width(cr, 0.8);
    cairo_set_dash(cr, NULL, 0, 0);
    for (double hx = x0; hx < x1; hx += 5.0) {
        cairo_move_to(cr, hx, y + h);
        cairo_line_to(cr, fmin(hx + 2 * h, x1),
                      y + h - 2 * h * (fmin(hx + 2 * h, x1) - hx) / (2 * h));
    }
    cairo_rectangle(cr, x0, y - h, x1 - x0, 2 * h);
    cairo_stroke(cr);
}

static void legend_item(cairo_t *cr, const tseq_doc *d, double *x, double y, int kind,
                        const char *label)
{
    double my = y + 7.0;
    static const double dash[] = {6.0, 3.0};
    cairo_set_dash(cr, NULL, 0, 0);
    switch (kind) {
    case 0:
    case 1:
        rnd_set_pen(cr, rnd_pen_of(kind == 0 ? RND_ARROW_DATA : RND_ARROW_RETX));
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_move_to(cr, *x + 8, my - 6);
        cairo_line_to(cr, *x + 8, my + 6);
        cairo_stroke(cr);
        break;
    case 2:
        rnd_set_rgb(cr, C_ACK);
        cairo_set_line_width(cr, 1.6);
        cairo_move_to(cr, *x, my);
        cairo_line_to(cr, *x + 20, my);
        cairo_stroke(cr);
        break;
    case 3:
        rnd_set_rgb(cr, C_WIN);
        cairo_set_line_width(cr, 1.4);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, *x, my);
        cairo_line_to(cr, *x + 20, my);
        cairo_stroke(cr);
        break;
    case 4:
        rnd_set_rgb(cr, C_SACK);
        cairo_set_line_width(cr, 3.0);
        cairo_move_to(cr, *x + 8, my - 6);
        cairo_line_to(cr, *x + 8, my + 6);
        cairo_stroke(cr);
        break;
    case 6:
        zero_window_band(cr, *x, *x + 20, my);
        break;
    default:
        cairo_set_source_rgb(cr, 0.76, 0.18, 0.13);
        cairo_set_line_width(cr, 2.0);
        cairo_move_to(cr, *x + 4, my - 4);
        cairo_line_to(cr, *x + 12, my + 4);
        cairo_move_to(cr, *x + 12, my - 4);
        cairo_line_to(cr, *x + 4, my + 4);
        cairo_stroke(cr);
        break;
    }
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.15);
    text(cr, d, RND_FONT_SMALL, *x + 25, y, label);
    *x += 25 + width(d, RND_FONT_SMALL, label) + 16;
}

static void paint_tseq(void *ctx, cairo_t *cr, size_t page)
{
    const tseq_doc *d = ctx;
    const rnd_tseq *g = d->g;
    const rnd_rect *p = &g->plot;
    static const double dash[] = {6.0, 3.0};
    double x;
    (void)page;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.15);
    {
        /* a long file name: the title shrinks to the width of the graph */
        double tw = width(d, RND_FONT_TITLE, g->title), room = g->width - 36.0;
        cairo_save(cr);
        if (tw > room) {
            cairo_translate(cr, 18, 12);
            cairo_scale(cr, room / tw, room / tw);
            cairo_translate(cr, -18, -12);
        }
        text(cr, d, RND_FONT_TITLE, 18, 12, g->title);
        cairo_restore(cr);
    }
    cairo_set_source_rgb(cr, 0.38, 0.38, 0.42);
    text(cr, d, RND_FONT_FOOT, 18, 36, g->subtitle);
    x = p->x;
    legend_item(cr, d, &x, 56, 0, "data");
    if (g->has_retx)
        legend_item(cr, d, &x, 56, 1, "retransmission");
    if (g->has_lost)
        legend_item(cr, d, &x, 56, 5, "lost");
    legend_item(cr, d, &x, 56, 2, "ACK");
    legend_item(cr, d, &x, 56, 3,
                g->win_above ? "receive window (partly above the top)" : "receive window");
    if (g->has_sack)
        legend_item(cr, d, &x, 56, 4, "SACK");
    if (g->nzwin > 0)
        legend_item(cr, d, &x, 56, 6, "zero window");

    /* grid and axes */
    cairo_set_line_width(cr, 1.0);
    for (int i = 0; i < g->nxt; i++) {
        rnd_set_rgb(cr, C_GRID);
        cairo_move_to(cr, g->xt[i].pos, p->y);
        cairo_line_to(cr, g->xt[i].pos, p->y + p->h);
        cairo_stroke(cr);
        rnd_set_rgb(cr, C_AXIS);
        text(cr, d, RND_FONT_SMALL, g->xt[i].pos - width(d, RND_FONT_SMALL, g->xt[i].text) / 2,
             p->y + p->h + 6, g->xt[i].text);
    }
    for (int i = 0; i < g->nyt; i++) {
        rnd_set_rgb(cr, C_GRID);
        cairo_move_to(cr, p->x, g->yt[i].pos);
        cairo_line_to(cr, p->x + p->w, g->yt[i].pos);
        cairo_stroke(cr);
        rnd_set_rgb(cr, C_AXIS);
        text(cr, d, RND_FONT_SMALL, p->x - 8 - width(d, RND_FONT_SMALL, g->yt[i].text),
             g->yt[i].pos - 7, g->yt[i].text);
    }
    rnd_set_rgb(cr, C_AXIS);
    cairo_rectangle(cr, p->x, p->y, p->w, p->h);
    cairo_stroke(cr);
    text(cr, d, RND_FONT_SMALL, p->x + p->w / 2 - width(d, RND_FONT_SMALL, g->xlabel) / 2,
         p->y + p->h + 24, g->xlabel);
    cairo_save(cr);
    cairo_translate(cr, 16, p->y + p->h / 2 + width(d, RND_FONT_SMALL, g->ylabel) / 2);
    cairo_rotate(cr, -3.14159265358979323846 / 2);
    text(cr, d, RND_FONT_SMALL, 0, 0, g->ylabel);
    cairo_restore(cr);

    cairo_save(cr);
    cairo_rectangle(cr, p->x, p->y, p->w, p->h);
    cairo_clip(cr);
    /* zero-window stretches under the lines */
    for (size_t i = 0; i < g->nzwin; i++)
        zero_window_band(cr, rnd_tseq_x(g, g->zwin[i].t0), rnd_tseq_x(g, g->zwin[i].t1),
                         rnd_tseq_y(g, g->zwin[i].v));
    /* window, then ACK line */
    rnd_set_rgb(cr, C_WIN);
    cairo_set_line_width(cr, 1.4);
    cairo_set_dash(cr, dash, 2, 0);
    step_line(cr, g, g->win, g->nwin, p->x + p->w);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    rnd_set_rgb(cr, C_ACK);
    cairo_set_line_width(cr, 1.6);
    step_line(cr, g, g->ack, g->nack, p->x + p->w);
    cairo_stroke(cr);
    /* bars */
    for (size_t i = 0; i < g->nbars; i++) {
        const rnd_tbar *b = &g->bars[i];
        double bx = rnd_tseq_x(g, b->t), y0 = rnd_tseq_y(g, b->s0), y1 = rnd_tseq_y(g, b->s1);
        if (b->kind == RND_TBAR_SACK) {
            rnd_set_rgb(cr, C_SACK);
            cairo_set_line_width(cr, 2.0);
            cairo_move_to(cr, bx + 3, y0);
            cairo_line_to(cr, bx + 3, y1);
            cairo_stroke(cr);
            continue;
        }
        rnd_set_pen(cr, rnd_pen_of(b->kind == RND_TBAR_RETX ? RND_ARROW_RETX : RND_ARROW_DATA));
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_line_width(cr, 1.3);
        cairo_move_to(cr, bx, y0);
        cairo_line_to(cr, bx, y1);
        cairo_move_to(cr, bx - 2.5, y0);
        cairo_line_to(cr, bx + 2.5, y0);
        cairo_move_to(cr, bx - 2.5, y1);
        cairo_line_to(cr, bx + 2.5, y1);
        cairo_stroke(cr);
        if (b->kind == RND_TBAR_RETX)
            text(cr, d, RND_FONT_TAG, bx + 3, y1 - 14, "R");
        if (b->lost) {
            cairo_set_source_rgb(cr, 0.76, 0.18, 0.13);
            cairo_set_line_width(cr, 2.0);
            cairo_move_to(cr, bx - 4, y1 - 4);
            cairo_line_to(cr, bx + 4, y1 + 4);
            cairo_move_to(cr, bx + 4, y1 - 4);
            cairo_line_to(cr, bx - 4, y1 + 4);
            cairo_stroke(cr);
        }
    }
    cairo_restore(cr);
}

int rnd_write_tseq(const trace_buf *tr, const rnd_options *opts, const char *path, char *err,
                   size_t errlen)
{
    rnd_tseq g;
    rnd_fonts f;
    rnd_style st;
    tseq_doc d;
    rnd_doc doc;
    int fmt = rnd_format_or_error(path, err, errlen), rc;
    if (fmt < 0)
        return RND_EREQUEST;
    rc = rnd_tseq_build(&g, tr, opts, err, errlen);
    if (rc != 0)
        return rc;
    rnd_style_default(&st);
    if (rnd_fonts_init(&f, &st) != 0) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cannot write %s: cairo has no usable font", path);
        rnd_tseq_free(&g);
        return RND_ERUNTIME;
    }
    d = (tseq_doc){&g, &f, &st};
    doc = (rnd_doc){g.width, g.height, 1, g.title, paint_tseq, &d};
    rc = rnd_output_write(path, (rnd_format)fmt, &doc, opts ? opts->scale : 1.0, err, errlen);
    rnd_fonts_free(&f);
    rnd_tseq_free(&g);
    return rc;
}
