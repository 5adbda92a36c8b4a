/*
 * rnd_paint.c - paints a rnd_layout with cairo.
 *
 * The palette is chosen to survive black-and-white printing: every arrow style differs in dash
 * pattern or width as well as in colour (retransmissions dashed, duplicate ACKs dotted, zero
 * windows dash-dotted, resets thick), losses end in a cross, and text sits on a white halo so a
 * crossing arrow never makes it unreadable.  Items are drawn back to front: lifelines and breaks,
 * brackets, arrows, state boxes, labels, notes, axis, heads, legend, title.  Only items that touch
 * the page's band are drawn, which keeps a many-page PDF fast.
 */
#include "rnd_paint.h"

#include <math.h>
#include <string.h>

#include "tcp_state.h"

#define RND_PI 3.14159265358979323846

/* ---------------------------------------------------------------- palette */

static const rnd_pen pens[RND_ARROW_STYLE_COUNT] = {
    [RND_ARROW_DATA] = {{0.10, 0.30, 0.55}, 1.5, {0}, 0},
    [RND_ARROW_ACK] = {{0.38, 0.44, 0.50}, 1.1, {0}, 0},
    [RND_ARROW_RETX] = {{0.76, 0.18, 0.13}, 1.7, {7.0, 3.5}, 2},
    [RND_ARROW_DUPACK] = {{0.48, 0.22, 0.60}, 1.5, {0.1, 3.2}, 2},
    [RND_ARROW_ZWIN] = {{0.70, 0.42, 0.02}, 1.6, {8.0, 3.0, 1.5, 3.0}, 4},
    [RND_ARROW_RST] = {{0.45, 0.10, 0.08}, 2.6, {0}, 0},
    [RND_ARROW_DUPFRAME] = {{0.72, 0.74, 0.77}, 0.8, {1.5, 2.5}, 2},
};

static const rnd_rgb C_TEXT = {0.13, 0.13, 0.15};
static const rnd_rgb C_MUTED = {0.38, 0.38, 0.42};
static const rnd_rgb C_LIFE = {0.55, 0.57, 0.60};
static const rnd_rgb C_BOX_FILL = {0.93, 0.95, 0.98};
static const rnd_rgb C_BOX_LINE = {0.20, 0.25, 0.33};
static const rnd_rgb C_HEAD_FILL = {0.16, 0.23, 0.33};
static const rnd_rgb C_LOST = {0.76, 0.18, 0.13};
static const rnd_rgb C_TIMER = {0.30, 0.33, 0.38};
static const rnd_rgb C_RTT = {0.10, 0.50, 0.30};
static const rnd_rgb C_CWND = {0.60, 0.25, 0.05};
static const rnd_rgb C_BAR_FILL = {0.80, 0.85, 0.92};

const rnd_pen *rnd_pen_of(int arrow_style)
{
    if (arrow_style < 0 || arrow_style >= RND_ARROW_STYLE_COUNT)
        return &pens[RND_ARROW_DATA];
    return &pens[arrow_style];
}

/* Connections after the first: colours apart from each other and from the styles' own. */
static const rnd_rgb conn_rgb[RND_CONNS_MAX] = {
    {0.10, 0.30, 0.55}, {0.05, 0.50, 0.30}, {0.62, 0.12, 0.45}, {0.00, 0.48, 0.58},
    {0.48, 0.30, 0.08}, {0.36, 0.34, 0.72}, {0.50, 0.52, 0.02}, {0.25, 0.25, 0.25},
};

rnd_rgb rnd_conn_rgb(unsigned ci)
{
    return conn_rgb[ci < RND_CONNS_MAX ? ci : 0];
}

rnd_pen rnd_pen_conn(int arrow_style, unsigned ci)
{
    rnd_pen p = *rnd_pen_of(arrow_style);
    rnd_rgb c;
    if (ci == 0 || ci >= RND_CONNS_MAX)
        return p;
    c = conn_rgb[ci];
    if (arrow_style == RND_ARROW_DATA)
        p.color = c;
    else if (arrow_style == RND_ARROW_ACK) /* lighter, as the first connection's ACKs */
        p.color = (rnd_rgb){0.55 * c.r + 0.27, 0.55 * c.g + 0.27, 0.55 * c.b + 0.27};
    return p;
}

rnd_rgb rnd_label_rgb(int style, unsigned ci)
{
    rnd_rgb c;
    if (style == RND_ARROW_ACK && (ci == 0 || ci >= RND_CONNS_MAX))
        return (rnd_rgb){0.30, 0.34, 0.40};
    if (style == RND_ARROW_DUPFRAME)
        return (rnd_rgb){0.62, 0.64, 0.67};
    c = rnd_pen_conn(style, ci).color;
    c.r *= 0.8;
    c.g *= 0.8;
    c.b *= 0.8;
    return c;
}

void rnd_set_rgb(cairo_t *cr, rnd_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void rnd_set_pen(cairo_t *cr, const rnd_pen *p)
{
    rnd_set_rgb(cr, p->color);
    cairo_set_line_width(cr, p->width);
    cairo_set_dash(cr, p->dash, p->ndash, 0.0);
    cairo_set_line_cap(cr, p->ndash == 2 && p->dash[0] < 1.0 ? CAIRO_LINE_CAP_ROUND
                                                             : CAIRO_LINE_CAP_BUTT);
}

/* Text colour of a label: the arrow's colour, a little darker. */
static rnd_rgb text_of(int style)
{
    rnd_rgb c = rnd_pen_of(style)->color;
    c.r *= 0.8;
    c.g *= 0.8;
    c.b *= 0.8;
    return c;
}

/* Text colour of a label's second line: its arrow's colour, a little darker. */
static rnd_rgb tag_of(int style, unsigned ci)
{
    rnd_rgb c = rnd_pen_conn(style, ci).color;
    c.r *= 0.8;
    c.g *= 0.8;
    c.b *= 0.8;
    return c;
}

/* ---------------------------------------------------------------- primitives */

static void round_rect(cairo_t *cr, rnd_rect r, double rad)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, r.x + r.w - rad, r.y + rad, rad, -RND_PI / 2, 0);
    cairo_arc(cr, r.x + r.w - rad, r.y + r.h - rad, rad, 0, RND_PI / 2);
    cairo_arc(cr, r.x + rad, r.y + r.h - rad, rad, RND_PI / 2, RND_PI);
    cairo_arc(cr, r.x + rad, r.y + rad, rad, RND_PI, 3 * RND_PI / 2);
    cairo_close_path(cr);
}

static void text_at(cairo_t *cr, const rnd_fonts *f, const rnd_style *st, rnd_font font, double x,
                    double top, const char *s)
{
    rnd_fonts_use(f, cr, font);
    cairo_move_to(cr, x, rnd_fonts_baseline(f, st, font, top));
    cairo_show_text(cr, s);
}

static void halo(cairo_t *cr, rnd_rect r)
{
    /* a plain rectangle: thousands of these in a long PDF, arcs would cost time and bytes */
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_fill(cr);
}

static void arrow_head(cairo_t *cr, rnd_point from, rnd_point to, double len, double half)
{
    double dx = to.x - from.x, dy = to.y - from.y, d = sqrt(dx * dx + dy * dy);
    double ux, uy;
    if (d < 1e-6)
        return;
    ux = dx / d;
    uy = dy / d;
    cairo_move_to(cr, to.x, to.y);
    cairo_line_to(cr, to.x - ux * len - uy * half, to.y - uy * len + ux * half);
    cairo_line_to(cr, to.x - ux * len * 0.75, to.y - uy * len * 0.75);
    cairo_line_to(cr, to.x - ux * len + uy * half, to.y - uy * len - ux * half);
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void cross(cairo_t *cr, rnd_point p, double r)
{
    cairo_set_dash(cr, NULL, 0, 0);
    rnd_set_rgb(cr, C_LOST);
    cairo_set_line_width(cr, 2.4);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_move_to(cr, p.x - r, p.y - r);
    cairo_line_to(cr, p.x + r, p.y + r);
    cairo_move_to(cr, p.x + r, p.y - r);
    cairo_line_to(cr, p.x - r, p.y + r);
    cairo_stroke(cr);
}

/* An arrow line from a to b in style s, ending in a head, or a cross when lost. */
static void draw_arrow(cairo_t *cr, rnd_point a, rnd_point b, int style, unsigned ci, bool lost)
{
    const rnd_pen pen = rnd_pen_conn(style, ci), *p = &pen;
    double dx = b.x - a.x, dy = b.y - a.y, d = sqrt(dx * dx + dy * dy);
    rnd_point end = b;
    if (!lost && d > 10.0) { /* stop the line inside the head */
        end.x = b.x - dx / d * 6.0;
        end.y = b.y - dy / d * 6.0;
    }
    rnd_set_pen(cr, p);
    cairo_move_to(cr, a.x, a.y);
    cairo_line_to(cr, end.x, end.y);
    cairo_stroke(cr);
    if (lost) {
        cross(cr, b, 5.0);
    } else {
        cairo_set_dash(cr, NULL, 0, 0);
        rnd_set_rgb(cr, p->color);
        arrow_head(cr, a, b, 9.0, 3.6);
    }
    /* a zero window is also marked by a small square at the sender, for black-and-white print */
    if (style == RND_ARROW_ZWIN) {
        cairo_set_dash(cr, NULL, 0, 0);
        rnd_set_rgb(cr, p->color);
        cairo_rectangle(cr, a.x + (b.x > a.x ? 3.0 : -9.0), a.y - 3.0, 6.0, 6.0);
        cairo_fill(cr);
    }
}

/* A state box: solid; dashed and white when it is the state at the start (or the replay's
 * assumption); dashed, on its usual fill, when the replay reached it by a correction; with its
 * caption ("assumed", "corrected") under it. */
static void state_box(cairo_t *cr, const rnd_fonts *f, const rnd_style *st, const rnd_sbox *b,
                      bool multi)
{
    const char *name = tcp_state_name((tcp_state)b->state);
    double w = rnd_fonts_measure((void *)f, RND_FONT_STATE, name);
    round_rect(cr, b->box, 4.0);
    if (b->initial)
        cairo_set_source_rgb(cr, 1, 1, 1);
    else
        rnd_set_rgb(cr, C_BOX_FILL);
    cairo_fill_preserve(cr);
    rnd_set_rgb(cr, C_BOX_LINE);
    cairo_set_line_width(cr, 1.2);
    if (b->initial) {
        double dash[] = {3.0, 2.0};
        cairo_set_dash(cr, dash, 2, 0);
    } else if (b->corrected) {
        double dash[] = {5.0, 2.0, 1.0, 2.0};
        rnd_set_rgb(cr, C_LOST);
        cairo_set_line_width(cr, 1.4);
        cairo_set_dash(cr, dash, 4, 0);
    } else {
        if (multi && b->ci > 0 && b->ci < RND_CONNS_MAX) /* several: its connection's colour */
            rnd_set_rgb(cr, rnd_conn_rgb(b->ci));
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    rnd_set_rgb(cr, C_TEXT);
    text_at(cr, f, st, RND_FONT_STATE, b->box.x + (b->box.w - w) / 2,
            b->box.y + (b->box.h - rnd_line_h(st, RND_FONT_STATE)) / 2, name);
    if (b->caption[0]) {
        halo(cr, b->caption_box);
        rnd_set_rgb(cr, b->corrected ? text_of(RND_ARROW_RETX) : C_MUTED);
        text_at(cr, f, st, RND_FONT_SMALL, b->caption_box.x, b->caption_box.y, b->caption);
    }
}

static void bracket(cairo_t *cr, const rnd_layout *lay, const rnd_bracket *b, size_t idx)
{
    double out = rnd_lane_left(lay, b->lane) ? -1.0 : 1.0; /* the side away from the lifeline */
    double tick = 5.0;
    static const double persist_dash[] = {4.0, 2.0}, delack_dash[] = {1.0, 2.0},
                        rtt_dash[] = {3.0, 1.5};
    rnd_set_rgb(cr, C_TIMER);
    cairo_set_line_width(cr, 1.3);
    if (b->timer == TCP_TIMER_PERSIST)
        cairo_set_dash(cr, persist_dash, 2, 0);
    else if (b->timer == TCP_TIMER_DELACK)
        cairo_set_dash(cr, delack_dash, 2, 0);
    else
        cairo_set_dash(cr, NULL, 0, 0);
    (void)lay;
    if (b->timer == RND_BRACKET_RTT) { /* an RTT sample: from the timed send to its ACK */
        rnd_set_rgb(cr, C_RTT);
        cairo_set_line_width(cr, 1.1);
        cairo_set_dash(cr, rtt_dash, 2, 0);
        cairo_move_to(cr, b->x - out * 6.0, b->y0);
        cairo_line_to(cr, b->x, b->y0);
        cairo_line_to(cr, b->x, b->y1);
        cairo_line_to(cr, b->x - out * 6.0, b->y1);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        return;
    }
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    if (!b->open_start) {
        cairo_move_to(cr, b->x - out * tick, b->y0);
        cairo_line_to(cr, b->x, b->y0);
    } else {
        cairo_move_to(cr, b->x, b->y0);
    }
    cairo_line_to(cr, b->x, b->y1);
    if (!b->open_end)
        cairo_line_to(cr, b->x - out * tick, b->y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    if (b->fired) { /* expiry: a small filled triangle pointing at the lifeline */
        cairo_move_to(cr, b->x - out * 1.0, b->y1);
        cairo_line_to(cr, b->x + out * 5.0, b->y1 - 4.0);
        cairo_line_to(cr, b->x + out * 5.0, b->y1 + 4.0);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    for (size_t k = 0; k < lay->ntmarks; k++) { /* restarts (RFC 6298 5.3): a bar across */
        const rnd_tmark *mk = &lay->tmarks[k];
        if (mk->bracket != idx || mk->kind != RND_TMARK_RESTART)
            continue;
        cairo_move_to(cr, b->x - 3.5, mk->y);
        cairo_line_to(cr, b->x + 3.5, mk->y);
        cairo_stroke(cr);
    }
    if (b->open_end) { /* still running: an open arrow down */
        cairo_move_to(cr, b->x - 3.5, b->y1 - 5.0);
        cairo_line_to(cr, b->x, b->y1);
        cairo_line_to(cr, b->x + 3.5, b->y1 - 5.0);
        cairo_stroke(cr);
    }
}

/* --show cwnd: cwnd as a solid step line, ssthresh dashed, growing away from the lifeline. */
static void cwnd_track(cairo_t *cr, const rnd_layout *lay, const rnd_fonts *f)
{
    const rnd_cwnd_track *k = &lay->cwnd;
    double dir = k->ep == TRACE_CLIENT ? -1.0 : 1.0;
    static const double dash[] = {3.0, 2.0};
    rnd_set_rgb(cr, C_LIFE);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, k->x0, k->y0);
    cairo_line_to(cr, k->x0, k->y1);
    cairo_stroke(cr);
    for (int which = 0; which < 2; which++) {
        bool started = false;
        rnd_set_rgb(cr, which == 0 ? C_CWND : C_TIMER);
        cairo_set_line_width(cr, which == 0 ? 1.4 : 1.0);
        cairo_set_dash(cr, which == 0 ? NULL : dash, which == 0 ? 0 : 2, 0);
        for (size_t i = 0; i < k->npts; i++) {
            uint32_t v = which == 0 ? k->pts[i].cwnd : k->pts[i].ssthresh;
            double x = k->x0 + dir * (double)v / (double)k->max * k->w;
            double yn = i + 1 < k->npts ? k->pts[i + 1].y : k->y1;
            if (v > k->max) { /* ssthresh still "infinite" */
                if (started)
                    cairo_stroke(cr);
                started = false;
                continue;
            }
            if (!started)
                cairo_move_to(cr, x, k->pts[i].y);
            else
                cairo_line_to(cr, x, k->pts[i].y);
            cairo_line_to(cr, x, yn);
            started = true;
        }
        if (started)
            cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    rnd_set_rgb(cr, C_CWND);
    text_at(cr, f, &lay->style, RND_FONT_SMALL, k->caption_box.x, k->caption_box.y, k->caption);
}

/* An activation bar: a socket call blocked.  An open end has no edge across. */
static void activation_bar(cairo_t *cr, const rnd_abar *b)
{
    double x0 = b->x - b->w / 2, x1 = b->x + b->w / 2;
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_rectangle(cr, x0, b->y0, b->w, b->y1 - b->y0);
    rnd_set_rgb(cr, C_BAR_FILL);
    cairo_fill(cr);
    rnd_set_rgb(cr, C_BOX_LINE);
    cairo_set_line_width(cr, 0.9);
    cairo_move_to(cr, x0, b->y0);
    cairo_line_to(cr, x0, b->y1);
    cairo_move_to(cr, x1, b->y0);
    cairo_line_to(cr, x1, b->y1);
    if (!b->open_start) {
        cairo_move_to(cr, x0, b->y0);
        cairo_line_to(cr, x1, b->y0);
    }
    if (!b->open_end) {
        cairo_move_to(cr, x0, b->y1);
        cairo_line_to(cr, x1, b->y1);
    }
    cairo_stroke(cr);
}

static void lifeline_segment(cairo_t *cr, double x, double y0, double y1)
{
    if (y1 <= y0)
        return;
    cairo_move_to(cr, x, y0);
    cairo_line_to(cr, x, y1);
    cairo_stroke(cr);
}

/* A vertical line from y0 to y1 interrupted by the breaks, with "//" marks in each. */
static void broken_line(cairo_t *cr, const rnd_layout *lay, double x, double y0, double y1,
                        double w, rnd_rgb c)
{
    double y = y0;
    rnd_set_rgb(cr, c);
    cairo_set_line_width(cr, w);
    cairo_set_dash(cr, NULL, 0, 0);
    for (size_t i = 0; i < lay->nbreaks; i++) {
        const rnd_break *b = &lay->breaks[i];
        double m = (b->y0 + b->y1) / 2;
        lifeline_segment(cr, x, y, m - 5.0);
        cairo_move_to(cr, x - 6.0, m - 3.0);
        cairo_line_to(cr, x + 6.0, m - 7.0);
        cairo_move_to(cr, x - 6.0, m + 5.0);
        cairo_line_to(cr, x + 6.0, m + 1.0);
        cairo_stroke(cr);
        y = m + 3.0;
    }
    lifeline_segment(cr, x, y, y1);
}

static void heads(cairo_t *cr, const rnd_layout *lay, const rnd_fonts *f, double dy)
{
    const rnd_style *st = &lay->style;
    for (int ep = 0; ep < lay->nlanes; ep++) {
        rnd_rect r = lay->head_box[ep];
        double w1 = rnd_fonts_measure((void *)f, RND_FONT_HEAD, lay->head[ep]);
        double w2 = rnd_fonts_measure((void *)f, RND_FONT_SMALL, lay->addr[ep]);
        r.y += dy;
        round_rect(cr, r, 5.0);
        rnd_set_rgb(cr, C_HEAD_FILL);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        text_at(cr, f, st, RND_FONT_HEAD, r.x + (r.w - w1) / 2, r.y + 4.0, lay->head[ep]);
        cairo_set_source_rgb(cr, 0.85, 0.89, 0.95);
        text_at(cr, f, st, RND_FONT_SMALL, r.x + (r.w - w2) / 2,
                r.y + 4.0 + rnd_line_h(st, RND_FONT_HEAD), lay->addr[ep]);
    }
}

static void legend(cairo_t *cr, const rnd_layout *lay, const rnd_fonts *f)
{
    const rnd_style *st = &lay->style;
    for (size_t i = 0; i < lay->nlegend; i++) {
        const rnd_legend_item *it = &lay->legend[i];
        double my = it->box.y + it->box.h / 2, x = it->box.x;
        if (it->kind < RND_ARROW_STYLE_COUNT) {
            draw_arrow(cr, (rnd_point){x, my}, (rnd_point){x + 24.0, my}, it->kind, 0, false);
        } else if (it->kind >= RND_LEGEND_CONN) {
            draw_arrow(cr, (rnd_point){x, my}, (rnd_point){x + 24.0, my}, RND_ARROW_DATA,
                       (unsigned)(it->kind - RND_LEGEND_CONN), false);
        } else if (it->kind == RND_LEGEND_LOST) {
            rnd_set_pen(cr, rnd_pen_of(RND_ARROW_DATA));
            cairo_move_to(cr, x, my);
            cairo_line_to(cr, x + 18.0, my);
            cairo_stroke(cr);
            cross(cr, (rnd_point){x + 18.0, my}, 4.0);
        } else if (it->kind == RND_LEGEND_STATE || it->kind == RND_LEGEND_ASSUMED ||
                   it->kind == RND_LEGEND_CORRECTED) {
            static const double dash_initial[] = {3.0, 2.0}, dash_corr[] = {5.0, 2.0, 1.0, 2.0};
            round_rect(cr, (rnd_rect){x, my - 6.0, 24.0, 12.0}, 3.0);
            if (it->kind == RND_LEGEND_ASSUMED)
                cairo_set_source_rgb(cr, 1, 1, 1);
            else
                rnd_set_rgb(cr, C_BOX_FILL);
            cairo_fill_preserve(cr);
            rnd_set_rgb(cr, it->kind == RND_LEGEND_CORRECTED ? C_LOST : C_BOX_LINE);
            cairo_set_line_width(cr, 1.2);
            if (it->kind == RND_LEGEND_ASSUMED)
                cairo_set_dash(cr, dash_initial, 2, 0);
            else if (it->kind == RND_LEGEND_CORRECTED)
                cairo_set_dash(cr, dash_corr, 4, 0);
            else
                cairo_set_dash(cr, NULL, 0, 0);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        } else if (it->kind == RND_LEGEND_TIMER) {
            rnd_bracket b = {.x = x + 12.0,
                             .y0 = my - 7.0,
                             .y1 = my + 7.0,
                             .ep = TRACE_SERVER,
                             .lane = (uint8_t)(lay->nlanes - 1)};
            bracket(cr, lay, &b, SIZE_MAX);
        } else if (it->kind == RND_LEGEND_BLOCKED) {
            rnd_abar b = {.x = x + 12.0, .w = 8.0, .y0 = my - 7.0, .y1 = my + 7.0};
            activation_bar(cr, &b);
        }
        rnd_set_rgb(cr, C_TEXT);
        text_at(cr, f, st, RND_FONT_SMALL, x + 30.0,
                it->box.y + (it->box.h - rnd_line_h(st, RND_FONT_SMALL)) / 2, it->text);
    }
}

/* ---------------------------------------------------------------- the page */

static bool band_hit(double a0, double a1, double y0, double y1)
{
    return a1 >= y0 && a0 <= y1;
}

void rnd_paint_page(const rnd_layout *lay, const rnd_fonts *f, cairo_t *cr, const rnd_page *pg)
{
    const rnd_style *st = &lay->style;
    double y0 = pg->y0, y1 = pg->y1;
    double lh_label = rnd_line_h(st, RND_FONT_LABEL);

    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);

    if (pg->heads) { /* later PDF pages repeat the lifeline heads */
        heads(cr, lay, f, st->margin - lay->head_box[0].y);
    }
    cairo_translate(cr, 0, pg->dy);
    cairo_rectangle(cr, 0, y0, lay->width, y1 - y0);
    cairo_clip(cr);

    /* header: only where the page shows it */
    if (y0 < lay->body_y0) {
        rnd_set_rgb(cr, C_TEXT);
        text_at(cr, f, st, RND_FONT_TITLE, lay->title_box.x, lay->title_box.y, lay->title);
        rnd_set_rgb(cr, C_MUTED);
        text_at(cr, f, st, RND_FONT_FOOT, lay->subtitle_box.x, lay->subtitle_box.y, lay->subtitle);
        legend(cr, lay, f);
        heads(cr, lay, f, 0.0);
        rnd_set_rgb(cr, C_MUTED);
        text_at(cr, f, st, RND_FONT_SMALL, lay->axis_title_box.x, lay->axis_title_box.y, "ms");
    }

    /* lifelines and the time axis, broken at compressed gaps */
    {
        double a = fmax(lay->body_y0, y0 - 2.0), b = fmin(lay->body_y1, y1 + 2.0);
        if (b > a) {
            for (int l = 0; l < lay->nlanes; l++)
                broken_line(cr, lay, lay->lane_x[l], a, b, 1.6, C_LIFE);
            broken_line(cr, lay, lay->axis_x + 7.0, a, b, 0.8, C_LIFE);
        }
    }
    for (size_t i = 0; i < lay->nbreaks; i++) {
        const rnd_break *b = &lay->breaks[i];
        if (!band_hit(b->y0, b->y1, y0, y1))
            continue;
        round_rect(cr, b->text_box, 3.0);
        cairo_set_source_rgb(cr, 0.96, 0.96, 0.96);
        cairo_fill_preserve(cr);
        rnd_set_rgb(cr, C_LIFE);
        cairo_set_line_width(cr, 0.8);
        {
            double dash[] = {2.0, 2.0};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
        rnd_set_rgb(cr, C_MUTED);
        text_at(cr, f, st, RND_FONT_SMALL, b->text_box.x + 5.0, b->text_box.y + 2.0, b->text);
    }

    for (size_t i = 0; i < lay->nabars; i++)
        if (band_hit(lay->abars[i].y0, lay->abars[i].y1, y0, y1))
            activation_bar(cr, &lay->abars[i]);

    if (lay->cwnd.on)
        cwnd_track(cr, lay, f);

    for (size_t i = 0; i < lay->nbrackets; i++)
        if (band_hit(lay->brackets[i].y0, lay->brackets[i].y1, y0, y1))
            bracket(cr, lay, &lay->brackets[i], i);

    for (size_t i = 0; i < lay->narrows; i++) {
        const rnd_arrow *a = &lay->arrows[i];
        if (band_hit(fmin(a->from.y, a->to.y), fmax(a->from.y, a->to.y), y0 - 10, y1 + 10))
            draw_arrow(cr, a->from, a->to, a->style, a->ci, a->lost);
    }

    for (size_t i = 0; i < lay->nnotes; i++) { /* app calls: a short leader to the lifeline */
        const rnd_note *n = &lay->notes[i];
        double lx, ex, dash[] = {1.0, 2.0};
        if (n->font != RND_FONT_NOTE || !band_hit(n->box.y, n->box.y + n->box.h, y0, y1))
            continue;
        lx = n->right ? n->box.x + n->box.w + 1.0 : n->box.x - 1.0;
        ex = lay->lane_x[n->lane] + (n->right ? -3.0 : 3.0);
        rnd_set_rgb(cr, C_LIFE);
        cairo_set_line_width(cr, 0.8);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, lx, n->box.y + n->box.h / 2);
        cairo_line_to(cr, ex, n->anchor_y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }

    for (size_t i = 0; i < lay->nsboxes; i++) {
        const rnd_sbox *b = &lay->sboxes[i];
        if (!band_hit(b->box.y, b->box.y + b->box.h, y0, y1))
            continue;
        if (lay->axis == RND_AXIS_TRUE && !b->initial) {
            /* beside the lifeline: a short leader from the instant of the change */
            double lx = lay->lane_x[b->lane],
                   bx = rnd_lane_left(lay, b->lane) ? b->box.x + b->box.w : b->box.x;
            double by = fmin(fmax(b->cy, b->box.y + 3.0), b->box.y + b->box.h - 3.0);
            rnd_set_rgb(cr, C_BOX_LINE);
            cairo_set_line_width(cr, 1.0);
            cairo_move_to(cr, lx, b->cy);
            cairo_line_to(cr, bx, by);
            cairo_stroke(cr);
        }
        state_box(cr, f, st, b, lay->nconns > 1);
    }

    for (size_t i = 0; i < lay->nlabels; i++) {
        const rnd_label *lb = &lay->labels[i];
        bool right = rnd_label_right(lb);
        double x1, x2;
        if (!band_hit(lb->box.y, lb->box.y + lb->box.h, y0, y1))
            continue;
        if (lb->raised > 0.0) { /* lifted off a dense sheaf: a leader down to its arrow */
            const rnd_arrow *a = &lay->arrows[lb->arrow];
            double xe = right ? lb->box.x + lb->box.w - 4.0 : lb->box.x + 4.0;
            double dx = lay->lane_x[a->to_lane] - a->from.x;
            double yl = a->from.y + (xe - a->from.x) / dx * (a->y_end - a->from.y);
            double dash[] = {1.0, 2.0};
            rnd_set_rgb(cr, tag_of(lb->style, lb->ci));
            cairo_set_line_width(cr, 0.7);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, xe, lb->box.y + lb->box.h);
            cairo_line_to(cr, xe, yl);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
        halo(cr, lb->box);
        x1 = right ? lb->box.x + lb->box.w - 2.0 - lb->w_text : lb->box.x + 2.0;
        x2 = right ? lb->box.x + lb->box.w - 2.0 - lb->w_tag : lb->box.x + 2.0;
        /* ACK labels in a quieter grey; the others in their arrow's colour */
        rnd_set_rgb(cr, rnd_label_rgb(lb->style, lb->ci));
        text_at(cr, f, st, RND_FONT_LABEL, x1, lb->box.y + 1.0, lb->text);
        if (lb->tag[0]) {
            rnd_set_rgb(cr, tag_of(lb->style, lb->ci));
            text_at(cr, f, st, RND_FONT_TAG, x2, lb->box.y + 1.0 + lh_label, lb->tag);
        }
    }

    for (size_t i = 0; i < lay->nnotes; i++) {
        const rnd_note *n = &lay->notes[i];
        if (!band_hit(n->box.y, n->box.y + n->box.h, y0, y1))
            continue;
        rnd_set_rgb(cr, n->font != RND_FONT_NOTE ? C_TIMER
                        : lay->nconns > 1 && n->ci > 0 && n->ci < RND_CONNS_MAX
                            ? rnd_label_rgb(RND_ARROW_DATA, n->ci)
                            : C_TEXT);
        text_at(cr, f, st, (rnd_font)n->font, n->box.x + 2.0, n->box.y + 1.0, n->text);
    }

    rnd_set_rgb(cr, C_MUTED);
    cairo_set_line_width(cr, 0.8);
    for (size_t i = 0; i < lay->nticks; i++) {
        const rnd_tick *t = &lay->ticks[i];
        if (!band_hit(t->box.y, t->box.y + t->box.h, y0, y1))
            continue;
        text_at(cr, f, st, RND_FONT_SMALL, t->box.x, t->box.y, t->text);
        cairo_move_to(cr, lay->axis_x + 4.0, t->y);
        cairo_line_to(cr, lay->axis_x + 10.0, t->y);
        cairo_stroke(cr);
    }

    if (lay->nfoot > 0 && band_hit(lay->foot_box.y, lay->foot_box.y + lay->foot_box.h, y0, y1)) {
        rnd_set_rgb(cr, C_MUTED);
        for (int i = 0; i < lay->nfoot; i++)
            text_at(cr, f, st, RND_FONT_FOOT, lay->foot_box.x,
                    lay->foot_box.y + i * rnd_line_h(st, RND_FONT_FOOT), lay->foot[i]);
    }
    cairo_restore(cr);
}
