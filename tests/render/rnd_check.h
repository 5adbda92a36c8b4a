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
/* Checks the invariants with cmocka asserts. */
void rnd_check_invariants(const rnd_layout *lay, const rnd_model *m);
/* The nth (from 0) state box of ep showing state, or NULL. */
const rnd_sbox *rnd_find_box(const rnd_layout *lay, int ep, int state, size_t nth);
/* The arrow of the nth (from 0) segment sent by ep whose flags are exactly `flags`, or NULL. */
const rnd_arrow *rnd_find_arrow(const rnd_layout *lay, const rnd_model *m, int ep, uint8_t flags,
                                size_t nth);
/* A fresh directory under TMPDIR (or /tmp); returns its path (static storage). */
const char *rnd_scratch_dir(void);
/* Number of entries of dir whose name contains needle. */
int rnd_count_files(const char *dir, const char *needle);

#endif
