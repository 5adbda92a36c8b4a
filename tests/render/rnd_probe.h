/*
 * rnd_probe.h - finds what a reader would call a defect in a laid-out ladder diagram, as numbers:
 * an arrow that does not go down (or too steeply flat to see its slant), labels, state boxes,
 * notes, ticks or break texts that overlap, things outside the canvas.  Used by the tests (which
 * expect none) and by rnd-inspect (which lists them for any capture).
 */
#ifndef TCPSIM_RND_PROBE_H
#define TCPSIM_RND_PROBE_H

#include <stddef.h>
#include <stdio.h>

#include "rnd_layout.h"
#include "rnd_model.h"

/* The smallest drop of an arrow from send to arrival (layout units). */
#define RND_MIN_SLANT 6.0

/* Number of defects found; each is described on `out` (may be NULL), at most `max_print`. */
size_t rnd_probe(const rnd_layout *lay, const rnd_model *m, FILE *out, size_t max_print);

#endif
