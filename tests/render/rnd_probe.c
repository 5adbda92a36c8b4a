/*
 * rnd_probe.c - see rnd_probe.h.
 */
#include "rnd_probe.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>

typedef struct probe {
    FILE *out;
    size_t n, max_print;
} probe;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
bad(probe *p, const char *fmt, ...)
{
    va_list ap;
    if (p->out != NULL && p->n < p->max_print) {
        va_start(ap, fmt);
        vfprintf(p->out, fmt, ap);
        va_end(ap);
        fputc('\n', p->out);
    }
    p->n++;
}

static bool inside(const rnd_layout *lay, const rnd_rect *r)
{
    return r->x >= -0.01 && r->y >= -0.01 && r->x + r->w <= lay->width + 0.01 &&
           r->y + r->h <= lay->height + 0.01;
}

size_t rnd_probe(const rnd_layout *lay, const rnd_model *m, FILE *out, size_t max_print)
{
    probe p = {out, 0, max_print};
    for (size_t i = 0; i < lay->narrows; i++) {
        const rnd_arrow *a = &lay->arrows[i];
        const rnd_mseg *s = &m->seg[a->seg];
        double drop = a->to.y - a->from.y;
        /* a lost arrow is drawn part-way: its slant is measured over the whole lane distance */
        double whole = a->lost
                           ? drop * (lay->lane_x[1] - lay->lane_x[0]) /
                                 (a->to.x > a->from.x ? a->to.x - a->from.x : a->from.x - a->to.x)
                           : drop;
        /* true time: an arrow slants by its delay, whatever it is (rnd_check.c checks the scale) */
        if (lay->axis != RND_AXIS_TRUE && !(whole >= RND_MIN_SLANT - 1e-6))
            bad(&p, "arrow of packet %llu (%s) drops %.1f from y %.1f", (unsigned long long)s->id,
                s->ep == 0 ? "client" : "server", whole, a->from.y);
    }
    for (size_t i = 0; i < lay->narrows; i++)
        for (size_t j = i + 1; j < lay->narrows && lay->arrows[i].lost; j++)
            if (lay->arrows[j].lost && fabs(lay->arrows[i].to.x - lay->arrows[j].to.x) < 10.0 &&
                fabs(lay->arrows[i].to.y - lay->arrows[j].to.y) < 10.0)
                bad(&p, "the crosses of packets %llu and %llu overlap",
                    (unsigned long long)m->seg[lay->arrows[i].seg].id,
                    (unsigned long long)m->seg[lay->arrows[j].seg].id);
    for (size_t i = 0; i < lay->nsboxes; i++)
        if (lay->sboxes[i].caption[0])
            for (size_t j = 0; j < lay->nlabels; j++)
                if (rnd_rect_overlap(&lay->sboxes[i].caption_box, &lay->labels[j].box, 0.0))
                    bad(&p, "caption '%s' overlaps label '%s'", lay->sboxes[i].caption,
                        lay->labels[j].text);
    for (size_t i = 0; i < lay->nlabels; i++) {
        const rnd_rect *a = &lay->labels[i].box;
        if (!inside(lay, a))
            bad(&p, "label '%s' outside the canvas", lay->labels[i].text);
        if (!(a->x > lay->lane_x[0] && a->x + a->w < lay->lane_x[1]))
            bad(&p, "label '%s' not between the lifelines", lay->labels[i].text);
        for (size_t j = i + 1; j < lay->nlabels; j++)
            if (rnd_rect_overlap(a, &lay->labels[j].box, 0.0))
                bad(&p, "labels '%s' and '%s' overlap at y %.1f", lay->labels[i].text,
                    lay->labels[j].text, a->y);
        for (size_t j = 0; j < lay->nsboxes; j++)
            if (rnd_rect_overlap(a, &lay->sboxes[j].box, 0.0))
                bad(&p, "label '%s' overlaps a state box", lay->labels[i].text);
        for (size_t j = 0; j < lay->nbreaks; j++)
            if (a->y < lay->breaks[j].y1 && a->y + a->h > lay->breaks[j].y0)
                bad(&p, "label '%s' runs into a break", lay->labels[i].text);
    }
    for (size_t i = 0; i < lay->nsboxes; i++) {
        const rnd_sbox *b = &lay->sboxes[i];
        if (!inside(lay, &b->box))
            bad(&p, "state box outside the canvas");
        for (size_t j = i + 1; j < lay->nsboxes; j++)
            if (rnd_rect_overlap(&b->box, &lay->sboxes[j].box, 0.0))
                bad(&p, "state boxes %zu and %zu overlap at y %.1f", i, j, b->box.y);
        for (size_t j = 0; j < lay->nbreaks; j++)
            if (b->box.y < lay->breaks[j].y1 && b->box.y + b->box.h > lay->breaks[j].y0)
                bad(&p, "state box %zu runs into a break", i);
    }
    for (size_t i = 0; i < lay->nnotes; i++) {
        const rnd_note *n = &lay->notes[i];
        if (!inside(lay, &n->box))
            bad(&p, "note '%s' outside the canvas", n->text);
        for (size_t j = i + 1; j < lay->nnotes; j++)
            if (rnd_rect_overlap(&n->box, &lay->notes[j].box, 0.0))
                bad(&p, "notes '%s' and '%s' overlap", n->text, lay->notes[j].text);
    }
    for (size_t i = 0; i < lay->nticks; i++) {
        if (!inside(lay, &lay->ticks[i].box))
            bad(&p, "tick '%s' outside the canvas", lay->ticks[i].text);
        for (size_t j = i + 1; j < lay->nticks; j++)
            if (rnd_rect_overlap(&lay->ticks[i].box, &lay->ticks[j].box, 0.0))
                bad(&p, "ticks '%s' and '%s' overlap", lay->ticks[i].text, lay->ticks[j].text);
        for (size_t j = 0; j < lay->nbreaks; j++)
            if (lay->ticks[i].box.y < lay->breaks[j].y1 &&
                lay->ticks[i].box.y + lay->ticks[i].box.h > lay->breaks[j].y0)
                bad(&p, "tick '%s' runs into a break", lay->ticks[i].text);
    }
    for (size_t i = 0; i < lay->nbreaks; i++)
        for (size_t j = 0; j < lay->nlabels; j++)
            if (rnd_rect_overlap(&lay->breaks[i].text_box, &lay->labels[j].box, 0.0))
                bad(&p, "break text overlaps label '%s'", lay->labels[j].text);
    for (size_t i = 0; i < lay->nlegend; i++)
        if (!inside(lay, &lay->legend[i].box))
            bad(&p, "legend item '%s' outside the canvas", lay->legend[i].text);
    if (!inside(lay, &lay->title_box))
        bad(&p, "title wider than the canvas");
    return p.n;
}
