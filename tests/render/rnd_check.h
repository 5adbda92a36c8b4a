/*
 * rnd_check.h - helpers shared by the renderer's tests: a fake text measure (no fonts), the
 * layout invariants every diagram must keep (arrows go down from the sender's lifeline to the
 * receiver's, no two labels overlap, ...), lookups of a layout's boxes and arrows, and a scratch
 * directory.
 */
#ifndef TCPSIM_RND_CHECK_H
#define TCPSIM_RND_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnd_layout.h"
#include "rnd_model.h"

/* rnd_measure_fn: 0.6 x font size per byte, like a condensed sans. ctx is a rnd_style. */
double rnd_fake_measure(void *ctx, rnd_font f, const char *text);
/* Builds model and layout of tr with the fake measure; asserts success. */
void rnd_build_fake(const trace_buf *tr, const rnd_options *o, rnd_model *m, rnd_layout *lay);
/* When >= 0, the rnd_time_axis rnd_build_fake lays out with (else the options', else true). */
extern int rnd_check_axis;
/* Checks the invariants with cmocka asserts.  True time (lay->axis): distinct instants keep
 * their order; every arrow's ends lie on their stretch's linear scale (+-1 unit, after the
 * same-instant fan-out); each label above its own arrow and near it, between the lifelines,
 * overlapping no other; state boxes beside their lifeline; nothing outside the canvas. */
void rnd_check_invariants(const rnd_layout *lay, const rnd_model *m);
/* The y of time t on the scale of the stretch holding it (fails if t is in no stretch). */
double rnd_check_scale_y(const rnd_layout *lay, int64_t t);
/* No two labels overlap (all pairs). */
void rnd_check_no_label_overlap(const rnd_layout *lay);
/* Labels, boxes, notes, ticks, breaks and arrow ends inside the canvas. */
void rnd_check_inside(const rnd_layout *lay);
/* The nth (from 0) state box of ep showing state, or NULL. */
const rnd_sbox *rnd_find_box(const rnd_layout *lay, int ep, int state, size_t nth);
/* The arrow of the nth (from 0) segment sent by ep whose flags are exactly `flags`, or NULL. */
const rnd_arrow *rnd_find_arrow(const rnd_layout *lay, const rnd_model *m, int ep, uint8_t flags,
                                size_t nth);
/* A fresh directory under TMPDIR (or /tmp); returns its path (static storage). */
const char *rnd_scratch_dir(void);

/* The layout JSON of lay and m (rnd_json_write) as a string the caller frees. */
char *rnd_json_of(const rnd_layout *lay, const rnd_model *m);
/* Number of entries of dir whose name contains needle. */
int rnd_count_files(const char *dir, const char *needle);

#endif
