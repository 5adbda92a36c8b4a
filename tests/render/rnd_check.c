/*
 * rnd_check.c - see rnd_check.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rnd_check.h"

#include "rnd_json.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double rnd_fake_measure(void *ctx, rnd_font f, const char *text)
{
    const rnd_style *st = ctx;
    return 0.6 * st->font_size[f] * (double)strlen(text);
}

int rnd_check_axis = -1;

void rnd_build_fake(const trace_buf *tr, const rnd_options *o, rnd_model *m, rnd_layout *lay)
{
    static rnd_style st;
    char err[256] = "";
    int rc;
    rnd_style_default(&st);
    st.time_axis = (uint8_t)(rnd_check_axis >= 0 ? rnd_check_axis
                             : o != NULL         ? (int)o->time_axis
                                                 : RND_AXIS_TRUE);
    rc = rnd_model_build(m, tr, o, err, sizeof err);
    if (rc != 0)
        fail_msg("model: %s", err);
    assert_int_equal(rnd_layout_build(lay, m, &st, rnd_fake_measure, &st), 0);
}

/* The lane next to an arrow's sender towards its receiver (with two lanes: the receiver's). */
static double next_x(const rnd_layout *lay, const rnd_arrow *a)
{
    return lay->lane_x[a->to_lane > a->lane ? a->lane + 1 : a->lane - 1];
}

/* Whether x lies strictly between the lifelines at x0 and x1 (either order). */
static bool between(double x, double x0, double x1)
{
    return x > fmin(x0, x1) && x < fmax(x0, x1);
}

static bool inside(const rnd_layout *lay, const rnd_rect *r)
{
    return r->x >= -0.01 && r->y >= -0.01 && r->x + r->w <= lay->width + 0.01 &&
           r->y + r->h <= lay->height + 0.01;
}

/* The true-time rules: see rnd_check.h. */
static void check_true_time(const rnd_layout *lay, const rnd_model *m)
{
    size_t nl = lay->nlabels;
    /* distinct instants keep their order: all of one instant above all of the next */
    double prev_max = -1e300, cur_min = 1e300, cur_max = -1e300;
    for (size_t i = 0; i < lay->nrows; i++) {
        const rnd_row *r = &lay->rows[i];
        if (i > 0 && r->t != lay->rows[i - 1].t) {
            if (cur_min <= prev_max)
                fail_msg("instant %lld us drawn at %.2f, above the one before (%.2f)",
                         (long long)lay->rows[i - 1].t, cur_min, prev_max);
            prev_max = cur_max;
            cur_min = 1e300;
            cur_max = -1e300;
        }
        if (i > 0)
            assert_true(r->t >= lay->rows[i - 1].t);
        cur_min = r->y < cur_min ? r->y : cur_min;
        cur_max = r->y > cur_max ? r->y : cur_max;
    }
    if (lay->nrows > 0 && cur_min <= prev_max)
        fail_msg("the last instant is drawn above the one before");
    /* arrows: from the sender's lane to the receiver's (part-way when lost), ends on the scale */
    for (size_t i = 0; i < lay->narrows; i++) {
        const rnd_arrow *a = &lay->arrows[i];
        const rnd_mseg *s = &m->seg[a->seg];
        double ys = rnd_check_scale_y(lay, s->t_send), ye = rnd_check_scale_y(lay, a->t_end);
        assert_int_equal(a->ep, s->ep);
        assert_int_equal(a->lane, rnd_seg_lane(m, s, false));
        assert_int_equal(a->to_lane, rnd_seg_lane(m, s, true));
        assert_true(a->from.x == lay->lane_x[a->lane]);
        if (a->lost)
            assert_true(between(a->to.x, lay->lane_x[a->lane], lay->lane_x[a->to_lane]));
        else
            assert_true(a->to.x == lay->lane_x[a->to_lane]);
        if (fabs(a->from.y - a->fan_from - ys) > 1.0)
            fail_msg("arrow %zu ('%s' ...) leaves at y %.2f, the scale says %.2f at %lld us", i,
                     s->tag, a->from.y - a->fan_from, ys, (long long)s->t_send);
        if (fabs(a->y_end - a->fan_to - ye) > 1.0)
            fail_msg("arrow %zu ends at y %.2f, the scale says %.2f at %lld us", i,
                     a->y_end - a->fan_to, ye, (long long)a->t_end);
        assert_true(a->fan_from >= 0.0 && a->fan_from <= lay->fan_step * 4000.0);
        assert_true(a->y_end + 1e-9 >= a->from.y - a->fan_from);
        if (a->lost) { /* the cross lies on the line to where it would have arrived */
            double f = (a->to.x - a->from.x) / (lay->lane_x[a->to_lane] - a->from.x);
            assert_true(fabs(a->from.y + f * (a->y_end - a->from.y) - a->to.y) < 1.0);
        }
    }
    /* labels: above their own arrow, near it unless raised, between the lifelines, no overlap */
    for (size_t i = 0; i < nl; i++) {
        const rnd_label *lb = &lay->labels[i];
        const rnd_arrow *a = &lay->arrows[lb->arrow];
        double xe = a->to_lane > a->lane ? lb->box.x : lb->box.x + lb->box.w;
        double dx = lay->lane_x[a->to_lane] - a->from.x;
        double yl = a->from.y + (xe - a->from.x) / dx * (a->y_end - a->from.y);
        assert_true(a->label == i);
        if (lb->box.y + lb->box.h > yl + 0.01)
            fail_msg("label '%s' is not above its arrow (bottom %.2f, arrow %.2f)", lb->text,
                     lb->box.y + lb->box.h, yl);
        if (yl - (lb->box.y + lb->box.h) > lb->raised + 4.01)
            fail_msg("label '%s' is %.2f above its arrow", lb->text, yl - (lb->box.y + lb->box.h));
        /* between its sender's lifeline and the next one towards the receiver */
        assert_true(between(lb->box.x, a->from.x, next_x(lay, a)) &&
                    between(lb->box.x + lb->box.w, a->from.x, next_x(lay, a)));
    }
    rnd_check_no_label_overlap(lay);
    /* state boxes beside their lifeline, on the outer side, never above their state change */
    for (size_t i = 0; i < lay->nsboxes; i++) {
        const rnd_sbox *b = &lay->sboxes[i];
        if (b->initial)
            continue;
        if (rnd_lane_left(lay, b->lane))
            assert_true(b->box.x + b->box.w <= lay->lane_x[b->lane] - 1.0);
        else
            assert_true(b->box.x >= lay->lane_x[b->lane] + 1.0);
        /* near its change (stacked below the box before it, or above a break) */
        assert_true(fabs(b->box.y + b->box.h / 2 - b->cy) < 6.0 * b->box.h);
    }
}

double rnd_check_scale_y(const rnd_layout *lay, int64_t t)
{
    for (size_t k = 0; k < lay->nstretches; k++) {
        const rnd_stretch *s = &lay->stretches[k];
        if (t >= s->t0 && t <= s->t1)
            return s->y0 + (double)(t - s->t0) * lay->pxus;
    }
    fail_msg("time %lld us lies in no stretch of the axis", (long long)t);
    return 0.0;
}

void rnd_check_no_label_overlap(const rnd_layout *lay)
{
    for (size_t i = 0; i < lay->nlabels; i++)
        for (size_t j = i + 1; j < lay->nlabels; j++)
            if (rnd_rect_overlap(&lay->labels[i].box, &lay->labels[j].box, 0.0))
                fail_msg("labels %zu and %zu overlap: '%s' / '%s'", i, j, lay->labels[i].text,
                         lay->labels[j].text);
}

void rnd_check_inside(const rnd_layout *lay)
{
    for (size_t i = 0; i < lay->nlabels; i++)
        if (!inside(lay, &lay->labels[i].box))
            fail_msg("label '%s' outside the canvas", lay->labels[i].text);
    for (size_t i = 0; i < lay->nsboxes; i++)
        assert_true(inside(lay, &lay->sboxes[i].box));
    for (size_t i = 0; i < lay->nnotes; i++)
        if (!inside(lay, &lay->notes[i].box))
            fail_msg("note '%s' outside the canvas", lay->notes[i].text);
    for (size_t i = 0; i < lay->nticks; i++)
        assert_true(inside(lay, &lay->ticks[i].box));
    for (size_t i = 0; i < lay->nbreaks; i++)
        assert_true(inside(lay, &lay->breaks[i].text_box));
    for (size_t i = 0; i < lay->narrows; i++) {
        const rnd_arrow *a = &lay->arrows[i];
        assert_true(a->from.y >= 0 && a->to.y >= 0 && a->from.y <= lay->height &&
                    a->to.y <= lay->height);
    }
    assert_true(inside(lay, &lay->title_box));
}

void rnd_check_invariants(const rnd_layout *lay, const rnd_model *m)
{
    if (lay->axis == RND_AXIS_TRUE) {
        check_true_time(lay, m);
        rnd_check_inside(lay);
        return;
    }
    /* rows in time order, y never going up */
    for (size_t i = 1; i < lay->nrows; i++) {
        assert_true(lay->rows[i].t >= lay->rows[i - 1].t);
        assert_true(lay->rows[i].y >= lay->rows[i - 1].y - 1e-9);
    }
    /* arrows: down, from the sender's lane to the receiver's (part-way when lost) */
    for (size_t i = 0; i < lay->narrows; i++) {
        const rnd_arrow *a = &lay->arrows[i];
        const rnd_mseg *s = &m->seg[a->seg];
        assert_int_equal(a->ep, s->ep);
        assert_true(a->to.y > a->from.y);
        assert_int_equal(a->lane, rnd_seg_lane(m, s, false));
        assert_int_equal(a->to_lane, rnd_seg_lane(m, s, true));
        assert_true(a->from.x == lay->lane_x[a->lane]);
        if (a->lost) {
            assert_true(between(a->to.x, lay->lane_x[a->lane], lay->lane_x[a->to_lane]));
        } else {
            assert_true(a->to.x == lay->lane_x[a->to_lane]);
        }
    }
    /* labels: inside the canvas, between the lifelines, never overlapping each other or boxes */
    for (size_t i = 0; i < lay->nlabels; i++) {
        const rnd_rect *a = &lay->labels[i].box;
        const rnd_arrow *ar = &lay->arrows[lay->labels[i].arrow];
        assert_true(inside(lay, a));
        assert_true(between(a->x, ar->from.x, next_x(lay, ar)) &&
                    between(a->x + a->w, ar->from.x, next_x(lay, ar)));
        for (size_t j = i + 1; j < lay->nlabels && lay->labels[j].box.y < a->y + 200.0; j++)
            if (rnd_rect_overlap(a, &lay->labels[j].box, 0.0))
                fail_msg("labels %zu and %zu overlap: '%s' / '%s'", i, j, lay->labels[i].text,
                         lay->labels[j].text);
        for (size_t j = 0; j < lay->nsboxes; j++)
            if (rnd_rect_overlap(a, &lay->sboxes[j].box, 0.0))
                fail_msg("label '%s' overlaps a state box", lay->labels[i].text);
    }
    /* sorted by y, labels only need comparing with near ones: check that they are sorted enough */
    for (size_t i = 1; i < lay->nlabels; i++)
        assert_true(lay->labels[i].box.y > lay->labels[i - 1].box.y - 60.0);
    /* state boxes centred on their lifeline */
    for (size_t i = 0; i < lay->nsboxes; i++) {
        const rnd_sbox *b = &lay->sboxes[i];
        assert_true(inside(lay, &b->box));
        assert_true(b->box.x + b->box.w / 2 - lay->lane_x[b->lane] < 1e-6);
        assert_true(lay->lane_x[b->lane] - (b->box.x + b->box.w / 2) < 1e-6);
        for (size_t j = i + 1; j < lay->nsboxes; j++)
            assert_false(rnd_rect_overlap(&b->box, &lay->sboxes[j].box, 0.0));
    }
    /* margin notes: outside the lifelines, never overlapping each other */
    for (size_t i = 0; i < lay->nnotes; i++) {
        const rnd_note *n = &lay->notes[i];
        assert_true(inside(lay, &n->box));
        if (rnd_lane_left(lay, n->lane))
            assert_true(n->box.x + n->box.w < lay->lane_x[n->lane]);
        else
            assert_true(n->box.x > lay->lane_x[n->lane]);
        for (size_t j = i + 1; j < lay->nnotes; j++)
            if (rnd_rect_overlap(&n->box, &lay->notes[j].box, 0.0))
                fail_msg("notes '%s' and '%s' overlap", n->text, lay->notes[j].text);
    }
    for (size_t i = 1; i < lay->nticks; i++)
        assert_false(rnd_rect_overlap(&lay->ticks[i].box, &lay->ticks[i - 1].box, 0.0));
    for (size_t i = 0; i < lay->nbrackets; i++)
        assert_true(lay->brackets[i].y1 >= lay->brackets[i].y0);
    assert_true(lay->body_y1 <= lay->height);
}

const char *rnd_scratch_dir(void)
{
    static char path[256];
    const char *base = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/rnd-test-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(path) == NULL)
        fail_msg("mkdtemp failed");
    return path;
}

int rnd_count_files(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, needle) != NULL)
            n++;
    closedir(d);
    return n;
}

const rnd_sbox *rnd_find_box(const rnd_layout *lay, int ep, int state, size_t nth)
{
    for (size_t i = 0; i < lay->nsboxes; i++)
        if (lay->sboxes[i].ep == ep && lay->sboxes[i].state == state && nth-- == 0)
            return &lay->sboxes[i];
    return NULL;
}

const rnd_arrow *rnd_find_arrow(const rnd_layout *lay, const rnd_model *m, int ep, uint8_t flags,
                                size_t nth)
{
    for (size_t i = 0; i < lay->narrows; i++) {
        const rnd_mseg *s = &m->seg[lay->arrows[i].seg];
        if (s->ep == ep && s->seg.flags == flags && nth-- == 0)
            return &lay->arrows[i];
    }
    return NULL;
}

char *rnd_json_of(const rnd_layout *lay, const rnd_model *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(rnd_json_write(fp, lay, m), 0);
    fclose(fp);
    return buf;
}
