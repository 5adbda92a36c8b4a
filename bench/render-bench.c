/*
 * render-bench.c - times rnd_write_ladder() on a long connection (default 10,000 data segments
 * plus their ACKs) written as a paged PDF.  bench/render-bench.sh runs it under /usr/bin/time -v.
 *   render-bench [SEGMENTS] [OUT.pdf] [true|events]
 * The third argument picks the time axis (true, the default, or events), to compare the two.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rnd.h"
#include "rnd_fixture.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 10000;
    const char *out = argc > 2 ? argv[2] : "render-bench.pdf";
    trace_buf b;
    char err[256];
    size_t segs = 0;
    double t0, t1;
    rnd_options o;
    rnd_options_default(&o);
    if (argc > 3 && strcmp(argv[3], "events") == 0)
        o.time_axis = RND_AXIS_EVENTS;
    fx_bulk(&b, n);
    for (size_t i = 0; i < b.n; i++)
        segs += b.ev[i].kind == TRACE_SEND;
    t0 = now_s();
    if (rnd_write_ladder(&b, &o, out, err, sizeof err) != 0) {
        fprintf(stderr, "render-bench: %s\n", err);
        trace_buf_free(&b);
        return 1;
    }
    t1 = now_s();
    printf("render-bench: %zu segments (%u data), %zu events, %s axis -> %s in %.3f s\n", segs, n,
           b.n, o.time_axis == RND_AXIS_EVENTS ? "events" : "true", out, t1 - t0);
    trace_buf_free(&b);
    return 0;
}
