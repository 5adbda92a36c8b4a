/*
 * rnd_style.c - the default sizes of the ladder diagram, and small geometry helpers shared by
 * the layout and its tests.  Colours and dash patterns live with the painter (rnd_paint.c).
 */
#include "rnd_layout.h"
#include "rnd.h"

void rnd_style_default(rnd_style *s)
{
    s->font_size[RND_FONT_LABEL] = 11.0;
    s->font_size[RND_FONT_TAG] = 10.5;
    s->font_size[RND_FONT_STATE] = 10.5;
    s->font_size[RND_FONT_HEAD] = 14.0;
    s->font_size[RND_FONT_SMALL] = 10.0;
    s->font_size[RND_FONT_NOTE] = 10.5;
    s->font_size[RND_FONT_TITLE] = 18.0;
    s->font_size[RND_FONT_FOOT] = 10.5;
    s->line_h = 1.25;
    s->margin = 18.0;
    s->pad = 4.0;
    s->delay_px = 96.0;
    s->gap_max = 4.0 * s->delay_px;
    s->break_h = 34.0;
    s->min_lanes = 420.0;
    s->min_slant = 10.0;
    s->page_h = 0.0;
    s->time_axis = RND_AXIS_TRUE;
    s->fan_step = 5.0;
    s->max_body = 250000.0;
    s->min_lanes_true = 540.0;
}

double rnd_line_h(const rnd_style *s, rnd_font f)
{
    return s->font_size[f] * s->line_h;
}

bool rnd_rect_overlap(const rnd_rect *a, const rnd_rect *b, double eps)
{
    return a->x + eps < b->x + b->w && b->x + eps < a->x + a->w && a->y + eps < b->y + b->h &&
           b->y + eps < a->y + a->h;
}
