/*
 * rnd_layout_time.h - the true-time vertical axis of a ladder diagram (the default,
 * --time-axis true): within each unbroken stretch one linear scale, lay->pxus units per
 * microsecond, so every arrow leaves at its send time and arrives at its arrival time; quiet
 * stretches (no segment in flight) longer than style.gap_max are compressed into a marked break;
 * the arrow ends of one microsecond on one lifeline fan out by a small fixed step.  Used by
 * rnd_layout.c; rnd_place.c then puts labels and boxes around the arrows.
 */
#ifndef TCPSIM_RND_LAYOUT_TIME_H
#define TCPSIM_RND_LAYOUT_TIME_H

#include "rnd_layout.h"

typedef struct rnd_time_params {
    double pxus;     /* units per microsecond wanted (may be lowered to fit max_body) */
    double gap_max;  /* a quiet stretch taller than this is compressed */
    double break_h;  /* height of the band of a break */
    double fan_step; /* fan-out of the arrow ends of one microsecond */
    double y_first;  /* y of the first instant */
    double pre;      /* room between the last instant before a break and its band */
    double post;     /* room between a band and the first instant after it */
    double max_body; /* the scale is lowered until the body fits in this height */
} rnd_time_params;

/* Orders the rows of one instant as the trace has them (simulations: cause before effect), and
 * records each row's trace event.  Captures keep rnd_layout.c's order (their arrivals are
 * estimates with no event of their own). */
void rnd_time_order_rows(rnd_layout *L, const rnd_model *m);

/* Sets every row's y and fan, the stretches, the breaks and lay->pxus, lay->fan_step.  Rows must
 * be in time order.  Returns 0 or -1 (out of memory). */
int rnd_time_place_rows(rnd_layout *L, const rnd_model *m, const rnd_time_params *p);

/* The scale's y of time t (no fan): in its stretch, or across a break's band in proportion. */
double rnd_time_y(const rnd_layout *L, int64_t t);

/* When segment k's arrow ends: its last arrival, else where it was lost or would have arrived. */
int64_t rnd_seg_end(const rnd_model *m, size_t k);

#endif
