/*
 * sim_heap.c - binary min-heap on (t, order).
 */
#include "sim_heap.h"

#include <stdlib.h>

static bool before(const sim_event *a, const sim_event *b)
{
    return a->t < b->t || (a->t == b->t && a->order < b->order);
}

void sim_heap_init(sim_heap *h)
{
    h->v = NULL;
    h->n = h->cap = 0;
    h->next_order = 0;
}

void sim_heap_free(sim_heap *h)
{
    free(h->v);
    sim_heap_init(h);
}

int sim_heap_push(sim_heap *h, sim_event *ev)
{
    if (h->n == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 64;
        sim_event *p = realloc(h->v, ncap * sizeof *p);
        if (p == NULL)
            return -1;
        h->v = p;
        h->cap = ncap;
    }
    ev->order = h->next_order++;
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(ev, &h->v[parent]))
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = *ev;
    return 0;
}

bool sim_heap_pop(sim_heap *h, sim_event *out)
{
    if (h->n == 0)
        return false;
    *out = h->v[0];
    sim_event last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const sim_event *best = &last;
        if (l < h->n && before(&h->v[l], best)) {
            m = l;
            best = &h->v[l];
        }
        if (r < h->n && before(&h->v[r], best))
            m = r;
        if (m == i)
            break;
        h->v[i] = h->v[m];
        i = m;
    }
    if (h->n > 0)
        h->v[i] = last;
    return true;
}
