/*
 * rnd_simtrace.h - runs one of the simulator's built-in scenarios into a trace_buf, so the
 * renderer's tests and demo can draw real simulator traces next to the hand-built fixtures.
 */
#ifndef TCPSIM_RND_SIMTRACE_H
#define TCPSIM_RND_SIMTRACE_H

#include <stdbool.h>

#include "trace.h"

/* Returns 0, or -1 if there is no such scenario or the simulation failed. */
int rnd_sim_trace(const char *scenario, trace_buf *b);
/* The same with --profile linux's endpoint settings when linux_like. */
int rnd_sim_trace_profile(const char *scenario, bool linux_like, trace_buf *b);

#endif
