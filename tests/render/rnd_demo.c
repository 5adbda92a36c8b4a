/*
 * rnd_demo.c - renders every fixture trace into a directory (PNG, SVG, PDF and the
 * time-sequence graph), for looking at the pictures while working on the renderer.
 *   rnd-demo DIR
 */
#include <stdio.h>
#include <string.h>

#include "rnd.h"
#include "rnd_fixture.h"
#include "rnd_simtrace.h"
#include "sim_scenario.h"

static int one(const char *dir, const char *name, trace_buf *b, const rnd_options *o)
{
    static const char *const ext[] = {"png", "svg", "pdf"};
    char path[512], err[256];
    int bad = 0;
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext[i]);
        if (rnd_write_ladder(b, o, path, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            bad = 1;
        }
    }
    snprintf(path, sizeof path, "%s/%s-tseq.png", dir, name);
    if (rnd_write_tseq(b, o, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        bad = 1;
    }
    return bad;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    trace_buf b;
    rnd_options o;
    int bad = 0;
    rnd_options_default(&o);
    fx_loss(&b);
    bad |= one(dir, "loss", &b, &o);
    trace_buf_free(&b);
    fx_capture(&b);
    bad |= one(dir, "capture", &b, &o);
    trace_buf_free(&b);
    fx_zerowin(&b);
    bad |= one(dir, "zerowin", &b, &o);
    trace_buf_free(&b);
    fx_bulk(&b, 600);
    o.to_us = 200000;
    bad |= one(dir, "bulk-start", &b, &o);
    rnd_options_default(&o);
    o.from_us = 520000;
    o.to_us = 620000;
    bad |= one(dir, "bulk-loss", &b, &o);
    rnd_options_default(&o);
    bad |= one(dir, "bulk", &b, &o);
    trace_buf_free(&b);
    for (const sim_builtin *sb = sim_builtin_list(); sb->name != NULL; sb++) {
        char name[64];
        if (rnd_sim_trace(sb->name, &b) != 0) {
            fprintf(stderr, "scenario %s failed\n", sb->name);
            bad = 1;
            continue;
        }
        snprintf(name, sizeof name, "sim-%s", sb->name);
        rnd_options_default(&o);
        bad |= one(dir, name, &b, &o);
        trace_buf_free(&b);
    }
    return bad;
}
