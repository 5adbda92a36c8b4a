/*
 * rnd_svg.c - a ladder diagram as SVG written from the layout directly, not through cairo's SVG
 * surface (which turns every glyph into a path): text stays text, so a diagram can be searched,
 * selected in a browser and edited in Inkscape, and every segment is a group with a <title>
 * giving its full header line, which a browser shows as a tooltip.  The same layout as the PNG
 * and PDF painters (rnd_paint.c) draw, with the same palette; baselines come from the fonts'
 * metrics so the text sits where the layout measured it.
 */
#include "rnd_svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "out_file.h"
#include "rnd_text.h"
#include "tcp_state.h"

static const char *const family[RND_FONT_COUNT] = {
    [RND_FONT_LABEL] = "'DejaVu Sans Condensed',sans-serif",
    [RND_FONT_TAG] = "'DejaVu Sans Condensed',sans-serif",
    [RND_FONT_STATE] = "'DejaVu Sans Condensed',sans-serif",
    [RND_FONT_HEAD] = "'DejaVu Sans',sans-serif",
    [RND_FONT_SMALL] = "'DejaVu Sans Condensed',sans-serif",
    [RND_FONT_NOTE] = "'DejaVu Sans Mono',monospace",
    [RND_FONT_TITLE] = "'DejaVu Sans',sans-serif",
    [RND_FONT_FOOT] = "'DejaVu Sans',sans-serif",
};

static void esc(FILE *fp, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '&':
            fputs("&amp;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                fputc(*s, fp);
        }
    }
}

static void rgb(FILE *fp, rnd_rgb c)
{
    fprintf(fp, "#%02x%02x%02x", (int)lround(c.r * 255), (int)lround(c.g * 255),
            (int)lround(c.b * 255));
}

/* <text> of font f with its top at `top`; anchor "start" or "end" at x. */
static void text(FILE *fp, const rnd_fonts *f, const rnd_style *st, rnd_font font, double x,
                 double top, const char *anchor, rnd_rgb c, const char *s)
{
    fprintf(fp, "<text class=\"f%d\" x=\"%.2f\" y=\"%.2f\"", (int)font, x,
            rnd_fonts_baseline(f, st, font, top));
    if (strcmp(anchor, "start") != 0)
        fprintf(fp, " text-anchor=\"%s\"", anchor);
    fputs(" fill=\"", fp);
    rgb(fp, c);
    fputs("\">", fp);
    esc(fp, s);
    fputs("</text>\n", fp);
}

static const rnd_rgb C_TEXT = {0.13, 0.13, 0.15}, C_MUTED = {0.38, 0.38, 0.42},
                     C_LIFE = {0.55, 0.57, 0.60}, C_BOX_LINE = {0.20, 0.25, 0.33},
                     C_HEAD = {0.16, 0.23, 0.33}, C_TIMER = {0.30, 0.33, 0.38},
                     C_RTT = {0.10, 0.50, 0.30}, C_WHITE = {1, 1, 1};

static void line(FILE *fp, double x1, double y1, double x2, double y2, rnd_rgb c, double w,
                 const char *dash)
{
    fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"", x1, y1, x2, y2);
    rgb(fp, c);
    fprintf(fp, "\" stroke-width=\"%.2f\"%s%s%s/>\n", w, dash ? " stroke-dasharray=\"" : "",
            dash ? dash : "", dash ? "\"" : "");
}

static void lifeline(FILE *fp, const rnd_layout *lay, double x, double w)
{
    double y = lay->body_y0;
    for (size_t i = 0; i < lay->nbreaks; i++) {
        double m = (lay->breaks[i].y0 + lay->breaks[i].y1) / 2;
        if (m - 5.0 > y)
            line(fp, x, y, x, m - 5.0, C_LIFE, w, NULL);
        line(fp, x - 6, m - 3, x + 6, m - 7, C_LIFE, w, NULL);
        line(fp, x - 6, m + 5, x + 6, m + 1, C_LIFE, w, NULL);
        y = m + 3.0;
    }
    if (lay->body_y1 > y)
        line(fp, x, y, x, lay->body_y1, C_LIFE, w, NULL);
}

static void arrow(FILE *fp, const rnd_layout *lay, const rnd_model *m, size_t i)
{
    const rnd_arrow *a = &lay->arrows[i];
    const rnd_mseg *s = &m->seg[a->seg];
    const rnd_pen pen = rnd_pen_conn(a->style, a->ci), *p = &pen;
    char lab[96], dash[64] = "", t0[24], t1[24];
    double dx = a->to.x - a->from.x, dy = a->to.y - a->from.y, d = sqrt(dx * dx + dy * dy);
    rnd_point end = a->to;
    rnd_fmt_seg(s, lab, sizeof lab);
    rnd_fmt_ms(s->t_send, 3, t0, sizeof t0);
    rnd_fmt_ms(a->t_end, 3, t1, sizeof t1);
    fputs("<g class=\"seg\"><title>", fp);
    if (lay->nconns > 1) /* several connections: the connection and its hosts */
        fprintf(fp, "conn %lu, %s \u2192 %s: ", (unsigned long)m->conns[a->ci].conn,
                lay->head[a->lane], lay->head[a->to_lane]);
    else
        fprintf(fp, "%s %s %s: ", trace_ep_name(a->ep), a->ep == TRACE_CLIENT ? "\u2192" : "\u2190",
                trace_ep_name(1u - a->ep));
    esc(fp, lab);
    if (s->tag[0]) {
        fputs(" (", fp);
        esc(fp, s->tag);
        fputs(")", fp);
    }
    fprintf(fp, "; sent %s ms, %s %s ms</title>\n", t0, a->lost ? "lost, would arrive" : "arrives",
            t1);
    for (int k = 0; k < p->ndash; k++)
        snprintf(dash + strlen(dash), sizeof dash - strlen(dash), "%s%.1f", k ? "," : "",
                 p->dash[k]);
    if (!a->lost && d > 10.0) {
        end.x = a->to.x - dx / d * 6.0;
        end.y = a->to.y - dy / d * 6.0;
    }
    line(fp, a->from.x, a->from.y, end.x, end.y, p->color, p->width, p->ndash ? dash : NULL);
    if (a->lost) {
        line(fp, a->to.x - 5, a->to.y - 5, a->to.x + 5, a->to.y + 5, (rnd_rgb){0.76, 0.18, 0.13},
             2.0, NULL);
        line(fp, a->to.x - 5, a->to.y + 5, a->to.x + 5, a->to.y - 5, (rnd_rgb){0.76, 0.18, 0.13},
             2.0, NULL);
    } else if (d > 0.0) {
        double ux = dx / d, uy = dy / d, bx = a->to.x - ux * 9.0, by = a->to.y - uy * 9.0;
        fprintf(fp, "<polygon points=\"%.2f,%.2f %.2f,%.2f %.2f,%.2f\" fill=\"", a->to.x, a->to.y,
                bx - uy * 3.6, by + ux * 3.6, bx + uy * 3.6, by - ux * 3.6);
        rgb(fp, p->color);
        fputs("\"/>\n", fp);
    }
    fputs("</g>\n", fp);
}

static void bracket(FILE *fp, const rnd_layout *lay, size_t i)
{
    const rnd_bracket *b = &lay->brackets[i];
    double out = rnd_lane_left(lay, b->lane) ? -1.0 : 1.0;
    const char *dash = b->timer == TCP_TIMER_PERSIST  ? "4,2"
                       : b->timer == TCP_TIMER_DELACK ? "1,2"
                       : b->timer == RND_BRACKET_RTT  ? "3,1.5"
                                                      : NULL;
    rnd_rgb c = b->timer == RND_BRACKET_RTT ? C_RTT : C_TIMER;
    fprintf(fp, "<polyline fill=\"none\" stroke-width=\"1.3\"%s%s%s stroke=\"",
            dash ? " stroke-dasharray=\"" : "", dash ? dash : "", dash ? "\"" : "");
    rgb(fp, c);
    fputs("\" points=\"", fp);
    if (!b->open_start)
        fprintf(fp, "%.2f,%.2f ", b->x - out * 5.0, b->y0);
    fprintf(fp, "%.2f,%.2f %.2f,%.2f", b->x, b->y0, b->x, b->y1);
    if (!b->open_end)
        fprintf(fp, " %.2f,%.2f", b->x - out * 5.0, b->y1);
    fputs("\"/>\n", fp);
    if (b->fired && b->timer != RND_BRACKET_RTT) {
        fprintf(fp, "<polygon points=\"%.2f,%.2f %.2f,%.2f %.2f,%.2f\" fill=\"", b->x - out, b->y1,
                b->x + out * 5.0, b->y1 - 4.0, b->x + out * 5.0, b->y1 + 4.0);
        rgb(fp, c);
        fputs("\"/>\n", fp);
    }
    for (size_t k = 0; k < lay->ntmarks; k++)
        if (lay->tmarks[k].bracket == i && lay->tmarks[k].kind == RND_TMARK_RESTART)
            line(fp, b->x - 3.5, lay->tmarks[k].y, b->x + 3.5, lay->tmarks[k].y, c, 1.3, NULL);
}

static void cwnd_track(FILE *fp, const rnd_layout *lay, const rnd_fonts *f)
{
    const rnd_cwnd_track *k = &lay->cwnd;
    double dir = k->ep == TRACE_CLIENT ? -1.0 : 1.0;
    line(fp, k->x0, k->y0, k->x0, k->y1, C_LIFE, 0.6, NULL);
    for (int which = 0; which < 2; which++) {
        bool open = false;
        for (size_t i = 0; i < k->npts; i++) {
            uint32_t v = which == 0 ? k->pts[i].cwnd : k->pts[i].ssthresh;
            double x = k->x0 + dir * (double)v / (double)k->max * k->w;
            double yn = i + 1 < k->npts ? k->pts[i + 1].y : k->y1;
            if (v > k->max) {
                if (open)
                    fputs("\"/>\n", fp);
                open = false;
                continue;
            }
            if (!open) {
                fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s points=\"",
                        which == 0 ? "#99400d" : "#4d5461", which == 0 ? "1.4" : "1.0",
                        which == 0 ? "" : " stroke-dasharray=\"3,2\"");
                open = true;
            }
            fprintf(fp, "%.2f,%.2f %.2f,%.2f ", x, k->pts[i].y, x, yn);
        }
        if (open)
            fputs("\"/>\n", fp);
    }
    text(fp, f, &lay->style, RND_FONT_SMALL, k->caption_box.x, k->caption_box.y, "start",
         (rnd_rgb){0.60, 0.25, 0.05}, k->caption);
}

static void rect(FILE *fp, rnd_rect r, double rad, rnd_rgb fill, double fill_op, const char *stroke,
                 const char *dash)
{
    fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", r.x, r.y, r.w, r.h);
    if (rad > 0)
        fprintf(fp, " rx=\"%.1f\"", rad);
    fputs(" fill=\"", fp);
    rgb(fp, fill);
    fputc('"', fp);
    if (fill_op < 1.0)
        fprintf(fp, " fill-opacity=\"%.2f\"", fill_op);
    if (stroke)
        fprintf(fp, " stroke=\"%s\" stroke-width=\"1.2\"", stroke);
    if (dash)
        fprintf(fp, " stroke-dasharray=\"%s\"", dash);
    fputs("/>\n", fp);
}

/* An activation bar (a socket call blocked), as rnd_paint.c draws it: an open end has no edge. */
static void activation_bar(FILE *fp, const rnd_abar *b)
{
    double x0 = b->x - b->w / 2, x1 = b->x + b->w / 2;
    rect(fp, (rnd_rect){x0, b->y0, b->w, b->y1 - b->y0}, 0, (rnd_rgb){0.80, 0.85, 0.92}, 1, NULL,
         NULL);
    line(fp, x0, b->y0, x0, b->y1, C_BOX_LINE, 0.9, NULL);
    line(fp, x1, b->y0, x1, b->y1, C_BOX_LINE, 0.9, NULL);
    if (!b->open_start)
        line(fp, x0, b->y0, x1, b->y0, C_BOX_LINE, 0.9, NULL);
    if (!b->open_end)
        line(fp, x0, b->y1, x1, b->y1, C_BOX_LINE, 0.9, NULL);
}

static void body(FILE *fp, const rnd_layout *lay, const rnd_fonts *f, const rnd_model *m)
{
    const rnd_style *st = &lay->style;
    double lhl = rnd_line_h(st, RND_FONT_LABEL);
    text(fp, f, st, RND_FONT_TITLE, lay->title_box.x, lay->title_box.y, "start", C_TEXT,
         lay->title);
    text(fp, f, st, RND_FONT_FOOT, lay->subtitle_box.x, lay->subtitle_box.y, "start", C_MUTED,
         lay->subtitle);
    for (size_t i = 0; i < lay->nlegend; i++) {
        const rnd_legend_item *it = &lay->legend[i];
        double my = it->box.y + it->box.h / 2;
        if (it->kind < RND_ARROW_STYLE_COUNT)
            line(fp, it->box.x, my, it->box.x + 24, my, rnd_pen_of(it->kind)->color,
                 rnd_pen_of(it->kind)->width, NULL);
        else if (it->kind >= RND_LEGEND_CONN)
            line(fp, it->box.x, my, it->box.x + 24, my,
                 rnd_conn_rgb((unsigned)(it->kind - RND_LEGEND_CONN)),
                 rnd_pen_of(RND_ARROW_DATA)->width, NULL);
        else if (it->kind == RND_LEGEND_BLOCKED)
            activation_bar(fp,
                           &(rnd_abar){.x = it->box.x + 12, .w = 8, .y0 = my - 7, .y1 = my + 7});
        else
            rect(fp, (rnd_rect){it->box.x, my - 6, 24, 12}, 3, (rnd_rgb){0.93, 0.95, 0.98}, 1,
                 "#334155", NULL);
        text(fp, f, st, RND_FONT_SMALL, it->box.x + 30,
             it->box.y + (it->box.h - rnd_line_h(st, RND_FONT_SMALL)) / 2, "start", C_TEXT,
             it->text);
    }
    for (int ep = 0; ep < lay->nlanes; ep++) {
        rnd_rect r = lay->head_box[ep];
        rect(fp, r, 5, C_HEAD, 1, NULL, NULL);
        text(fp, f, st, RND_FONT_HEAD, r.x + r.w / 2, r.y + 3, "middle", C_WHITE, lay->head[ep]);
        text(fp, f, st, RND_FONT_SMALL, r.x + r.w / 2, r.y + 4 + rnd_line_h(st, RND_FONT_HEAD),
             "middle", (rnd_rgb){0.85, 0.88, 0.92}, lay->addr[ep]);
    }
    text(fp, f, st, RND_FONT_SMALL, lay->axis_title_box.x, lay->axis_title_box.y, "start", C_MUTED,
         "ms");
    for (int l = 0; l < lay->nlanes; l++)
        lifeline(fp, lay, lay->lane_x[l], 1.6);
    lifeline(fp, lay, lay->axis_x + 7.0, 0.8);
    for (size_t i = 0; i < lay->nbreaks; i++) {
        rect(fp, lay->breaks[i].text_box, 3, (rnd_rgb){0.96, 0.96, 0.96}, 1, "#8c9199", "2,2");
        text(fp, f, st, RND_FONT_SMALL, lay->breaks[i].text_box.x + 5,
             lay->breaks[i].text_box.y + 2, "start", C_MUTED, lay->breaks[i].text);
    }
    for (size_t i = 0; i < lay->nticks; i++) {
        text(fp, f, st, RND_FONT_SMALL, lay->axis_x, lay->ticks[i].box.y, "end", C_MUTED,
             lay->ticks[i].text);
        line(fp, lay->axis_x + 4, lay->ticks[i].y, lay->axis_x + 10, lay->ticks[i].y, C_MUTED, 0.8,
             NULL);
    }
    for (size_t i = 0; i < lay->nabars; i++)
        activation_bar(fp, &lay->abars[i]);
    if (lay->cwnd.on)
        cwnd_track(fp, lay, f);
    for (size_t i = 0; i < lay->nbrackets; i++)
        bracket(fp, lay, i);
    for (size_t i = 0; i < lay->narrows; i++)
        arrow(fp, lay, m, i);
    for (size_t i = 0; i < lay->nnotes; i++) {
        const rnd_note *n = &lay->notes[i];
        if (n->font != RND_FONT_NOTE)
            continue;
        line(fp, n->right ? n->box.x + n->box.w + 1 : n->box.x - 1, n->box.y + n->box.h / 2,
             lay->lane_x[n->lane] + (n->right ? -3 : 3), n->anchor_y, C_LIFE, 0.8, "1,2");
    }
    for (size_t i = 0; i < lay->nsboxes; i++) {
        const rnd_sbox *b = &lay->sboxes[i];
        if (lay->axis == RND_AXIS_TRUE && !b->initial)
            line(fp, lay->lane_x[b->lane], b->cy,
                 rnd_lane_left(lay, b->lane) ? b->box.x + b->box.w : b->box.x,
                 fmin(fmax(b->cy, b->box.y + 3), b->box.y + b->box.h - 3), C_BOX_LINE, 1.0, NULL);
        char stroke[8] = "#334155";
        if (lay->nconns > 1 && b->ci > 0 && b->ci < RND_CONNS_MAX && !b->initial) {
            rnd_rgb cc = rnd_conn_rgb(b->ci); /* several: its connection's colour */
            snprintf(stroke, sizeof stroke, "#%02x%02x%02x", (unsigned)(cc.r * 255 + 0.5) & 255u,
                     (unsigned)(cc.g * 255 + 0.5) & 255u, (unsigned)(cc.b * 255 + 0.5) & 255u);
        }
        rect(fp, b->box, 4, b->initial ? C_WHITE : (rnd_rgb){0.93, 0.95, 0.98}, 1,
             b->corrected ? "#c22e21" : stroke,
             b->initial     ? "3,2"
             : b->corrected ? "5,2,1,2"
                            : NULL);
        text(fp, f, st, RND_FONT_STATE, b->box.x + b->box.w / 2,
             b->box.y + (b->box.h - rnd_line_h(st, RND_FONT_STATE)) / 2, "middle", C_TEXT,
             tcp_state_name((tcp_state)b->state));
        if (b->caption[0])
            text(fp, f, st, RND_FONT_SMALL, b->caption_box.x, b->caption_box.y, "start", C_MUTED,
                 b->caption);
    }
    for (size_t i = 0; i < lay->nlabels; i++) {
        const rnd_label *lb = &lay->labels[i];
        bool right = rnd_label_right(lb);
        double x = right ? lb->box.x + lb->box.w - 2.0 : lb->box.x + 2.0;
        rnd_rgb c = rnd_pen_conn(lb->style, lb->ci).color;
        if (lb->style == RND_ARROW_ACK && lb->ci == 0)
            c = (rnd_rgb){0.30, 0.34, 0.40};
        rect(fp, lb->box, 0, C_WHITE, 0.88, NULL, NULL);
        text(fp, f, st, RND_FONT_LABEL, x, lb->box.y + 1.0, right ? "end" : "start", c, lb->text);
        if (lb->tag[0])
            text(fp, f, st, RND_FONT_TAG, x, lb->box.y + 1.0 + lhl, right ? "end" : "start", c,
                 lb->tag);
    }
    for (size_t i = 0; i < lay->nnotes; i++) {
        const rnd_note *n = &lay->notes[i];
        text(fp, f, st, (rnd_font)n->font, n->box.x + 2.0, n->box.y + 1.0, "start",
             n->font != RND_FONT_NOTE ? C_TIMER
             : lay->nconns > 1 && n->ci > 0 && n->ci < RND_CONNS_MAX
                 ? rnd_label_rgb(RND_ARROW_DATA, n->ci)
                 : C_TEXT,
             n->text);
    }
    for (int i = 0; i < lay->nfoot; i++)
        text(fp, f, st, RND_FONT_FOOT, lay->foot_box.x,
             lay->foot_box.y + i * rnd_line_h(st, RND_FONT_FOOT), "start", C_MUTED, lay->foot[i]);
}

int rnd_svg_write(const rnd_layout *lay, const rnd_fonts *f, const rnd_model *m, const char *path,
                  char *err, size_t errlen)
{
    out_file of;
    FILE *fp;
    if (out_open(&of, path, err, errlen) != 0)
        return RND_ERUNTIME;
    fp = of.fp;
    fprintf(fp,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%gpx\" height=\"%gpx\" "
            "viewBox=\"0 0 %g %g\">\n<title>",
            lay->width, lay->height, lay->width, lay->height);
    esc(fp, lay->title);
    fputs("</title>\n<style>\n", fp);
    for (int k = 0; k < RND_FONT_COUNT; k++)
        fprintf(fp, ".f%d{font-family:%s;font-size:%.2fpx;%s%s}\n", k, family[k],
                lay->style.font_size[k],
                k == RND_FONT_TAG || k == RND_FONT_FOOT ? "font-style:italic;" : "",
                k == RND_FONT_TAG || k == RND_FONT_STATE || k == RND_FONT_HEAD ||
                        k == RND_FONT_TITLE
                    ? "font-weight:bold;"
                    : "");
    fputs("text{white-space:pre}\n</style>\n", fp);
    fprintf(fp, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
    body(fp, lay, f, m);
    fputs("</svg>\n", fp);
    if (ferror(fp)) {
        out_abort(&of);
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cannot write %s: write error", path);
        return RND_ERUNTIME;
    }
    return out_commit(&of, path, err, errlen) == 0 ? 0 : RND_ERUNTIME;
}
