/*
 * sim_heap.h - the simulator's event queue: a binary min-heap keyed by (time, insertion order),
 * so that events at the same time always run in the order they were scheduled and every run of
 * a scenario is identical.
 */
#ifndef TCPSIM_SIM_HEAP_H
#define TCPSIM_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp_seg.h"

typedef enum sim_event_type {
    SIM_EV_ARRIVE, /* a segment reaches endpoint `to` */
    SIM_EV_ACTION, /* scenario action number `index` is due */
    SIM_EV_CLOSE,  /* an application closes after its close delay (endpoint `to`) */
    SIM_EV_TIMER,  /* hosts (sim_world.c): side `to` of connection `index` may have a timer due */
} sim_event_type;

typedef struct sim_event {
    uint64_t t;
    uint64_t order; /* tie-breaker: insertion counter */
    uint8_t type;   /* sim_event_type */
    uint8_t to;     /* receiving endpoint */
    uint32_t index; /* action index; hosts: connection index */
    uint64_t id;    /* segment id */
    tcp_seg seg;
} sim_event;

typedef struct sim_heap {
    sim_event *v;
    size_t n, cap;
    uint64_t next_order;
} sim_heap;

void sim_heap_init(sim_heap *h);
void sim_heap_free(sim_heap *h);
/* Adds an event (its `order` is assigned here); returns -1 if memory runs out. */
int sim_heap_push(sim_heap *h, sim_event *ev);
/* Removes the earliest event into *out; returns false when empty. */
bool sim_heap_pop(sim_heap *h, sim_event *out);
static inline const sim_event *sim_heap_top(const sim_heap *h)
{
    return h->n ? &h->v[0] : NULL;
}

#endif
