/*
 * rnd_check.c - see rnd_check.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rnd_check.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double rnd_fake_measure(void *ctx, rnd_font f, const char *text)
{
    const rnd_style *st = ctx;
    return 0.6 * st->font_size[f] * (double)strlen(text);
}

void rnd_build_fake(const trace_buf *tr, const rnd_options *o, rnd_model *m, rnd_layout *lay)
{
    static rnd_style st;
    char err[256] = "";
    int rc;
    rnd_style_default(&st);
    rc = rnd_model_build(m, tr, o, err, sizeof err);
    if (rc != 0)
        fail_msg("model: %s", err);
    assert_int_equal(rnd_layout_build(lay, m, &st, rnd_fake_measure, &st), 0);
}

static bool inside(const rnd_layout *lay, const rnd_rect *r)
{
    return r->x >= -0.01 && r->y >= -0.01 && r->x + r->w <= lay->width + 0.01 &&
           r->y + r->h <= lay->height + 0.01;
}

void rnd_check_invariants(const rnd_layout *lay, const rnd_model *m)
{
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
        assert_true(a->from.x == lay->lane_x[s->ep]);
        if (a->lost) {
            assert_true(a->to.x > lay->lane_x[0] && a->to.x < lay->lane_x[1]);
        } else {
            assert_true(a->to.x == lay->lane_x[1 - s->ep]);
        }
    }
    /* labels: inside the canvas, between the lifelines, never overlapping each other or boxes */
    for (size_t i = 0; i < lay->nlabels; i++) {
        const rnd_rect *a = &lay->labels[i].box;
        assert_true(inside(lay, a));
        assert_true(a->x > lay->lane_x[0] && a->x + a->w < lay->lane_x[1]);
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
        assert_true(b->box.x + b->box.w / 2 - lay->lane_x[b->ep] < 1e-6);
        assert_true(lay->lane_x[b->ep] - (b->box.x + b->box.w / 2) < 1e-6);
        for (size_t j = i + 1; j < lay->nsboxes; j++)
            assert_false(rnd_rect_overlap(&b->box, &lay->sboxes[j].box, 0.0));
    }
    /* margin notes: outside the lifelines, never overlapping each other */
    for (size_t i = 0; i < lay->nnotes; i++) {
        const rnd_note *n = &lay->notes[i];
        assert_true(inside(lay, &n->box));
        if (n->ep == TRACE_CLIENT)
            assert_true(n->box.x + n->box.w < lay->lane_x[0]);
        else
            assert_true(n->box.x > lay->lane_x[1]);
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
