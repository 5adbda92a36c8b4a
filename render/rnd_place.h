/*
 * rnd_place.h - places labels and state boxes around the arrows of a true-time ladder diagram
 * (rnd_place.c): the arrows are fixed, what describes them moves.
 */
#ifndef TCPSIM_RND_PLACE_H
#define TCPSIM_RND_PLACE_H

#include "rnd_layout.h"

/* Puts every label of L just above its arrow (box.w and box.h set, arrow set), clear of the
 * labels before it, the state boxes and the breaks, never above y_min (the canvas margin).
 * height: the layout's height so far.  Returns 0 or -1 (out of memory). */
int rnd_place_labels(rnd_layout *L, double inset, double pad, double y_min, double height);

/* Puts every state box (but the initial ones) beside its lifeline, `gap` from it, stacked, clear
 * of the breaks.  Returns 0 or -1 (out of memory). */
int rnd_place_boxes(rnd_layout *L, double gap);

/* y of the line of arrow a at x (extended beyond its ends). */
double rnd_place_line_y(const rnd_arrow *a, double x);

#endif
