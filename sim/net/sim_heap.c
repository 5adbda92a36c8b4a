/*
 * sim_heap.c - 4-ary min-heap on (t, order) of small keys; the events wait in a pool.
 */
#include "sim_heap.h"

#include <stdlib.h>

static bool before(const sim_heap_key *a, const sim_heap_key *b)
{
    return a->t < b->t || (a->t == b->t && a->order < b->order);
}

void sim_heap_init(sim_heap *h)
{
    h->k = NULL;
    h->pool = NULL;
    h->free_slots = NULL;
    h->n = h->cap = h->n_free = h->used = 0;
    h->next_order = 0;
}

void sim_heap_free(sim_heap *h)
{
    free(h->k);
    free(h->pool);
    free(h->free_slots);
    sim_heap_init(h);
}

static int grow(sim_heap *h)
{
    size_t ncap = h->cap ? h->cap * 2 : 64;
    if (ncap > UINT32_MAX)
        return -1;
    sim_heap_key *k = realloc(h->k, ncap * sizeof *k);
    if (k == NULL)
        return -1;
    h->k = k;
    sim_event *p = realloc(h->pool, ncap * sizeof *p);
    if (p == NULL)
        return -1;
    h->pool = p;
    uint32_t *f = realloc(h->free_slots, ncap * sizeof *f);
    if (f == NULL)
        return -1;
    h->free_slots = f;
    h->cap = ncap;
    return 0;
}

int sim_heap_push(sim_heap *h, sim_event *ev)
{
    if (h->n == h->cap && grow(h) < 0)
        return -1;
    uint32_t slot = h->n_free ? h->free_slots[--h->n_free] : (uint32_t)h->used++;
    ev->order = h->next_order++;
    h->pool[slot] = *ev;
    sim_heap_key key = {ev->t, ev->order, slot};
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!before(&key, &h->k[parent]))
            break;
        h->k[i] = h->k[parent];
        i = parent;
    }
    h->k[i] = key;
    return 0;
}

bool sim_heap_pop(sim_heap *h, sim_event *out)
{
    if (h->n == 0)
        return false;
    uint32_t slot = h->k[0].slot;
    *out = h->pool[slot];
    h->free_slots[h->n_free++] = slot;
    sim_heap_key last = h->k[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 4 * i + 1, m = i;
        const sim_heap_key *best = &last;
        for (size_t j = c; j < c + 4 && j < h->n; j++)
            if (before(&h->k[j], best)) {
                m = j;
                best = &h->k[j];
            }
        if (m == i)
            break;
        h->k[i] = h->k[m];
        i = m;
    }
    if (h->n > 0)
        h->k[i] = last;
    return true;
}
