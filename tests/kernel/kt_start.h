/*
 * kt_start.h - the start time of a kernel run, aligned to the kernel's timer wheel (kt_start.c
 * says why and how).
 */
#ifndef TCPSIM_KT_START_H
#define TCPSIM_KT_START_H

#include <stdbool.h>
#include <stdint.h>

/* A CLOCK_MONOTONIC time (ns) at least delay_ns from now, 0.75 ms into a jiffy whose number is
 * a multiple of 8, for a kernel with `hz` ticks per second; *aligned says whether the jiffies
 * could be read (when not, *t0 is just now + delay_ns).  Returns 0, or -1 for a bad hz. */
int kt_start_time(uint64_t delay_ns, long hz, uint64_t *t0, bool *aligned);

#endif
