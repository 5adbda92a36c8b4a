/*
 * rnd_inspect.c - lays out the ladder diagram of a capture with the real fonts and lists what
 * rnd_probe() finds wrong with it, for trying the renderer on any capture while working on it.
 *   rnd-inspect FILE.pcap [CONN]
 *   rnd-inspect --scenario NAME
 * Exit status: 0 if nothing was found, 1 if something was, 2 if the capture could not be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"
#include "rnd_font.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_pcap.h"
#include "rnd_probe.h"
#include "rnd_simtrace.h"

int main(int argc, char **argv)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    rnd_style st;
    rnd_fonts fonts;
    rnd_options o;
    char err[512];
    size_t n;
    uint32_t conn = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 1;
    if (argc < 2) {
        fprintf(stderr, "usage: rnd-inspect FILE.pcap [CONN]\n");
        return 2;
    }
    if (strcmp(argv[1], "--scenario") == 0) {
        conn = 0;
        if (argc < 3 || rnd_sim_trace(argv[2], &b) != 0) {
            fprintf(stderr, "no such scenario\n");
            return 2;
        }
    } else if (rnd_load_pcap(argv[1], conn, &b, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        trace_buf_free(&b);
        return 2;
    }
    rnd_options_default(&o);
    o.conn = conn;
    if (rnd_model_build(&m, &b, &o, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        trace_buf_free(&b);
        return 2;
    }
    rnd_style_default(&st);
    if (rnd_fonts_init(&fonts, &st) != 0 ||
        rnd_layout_build(&lay, &m, &st, rnd_fonts_measure, &fonts) != 0) {
        fprintf(stderr, "layout failed\n");
        return 2;
    }
    n = rnd_probe(&lay, &m, stdout, 40);
    printf("%s conn %lu: %zu segments, %zu arrows, %.0f x %.0f, %zu problems\n", argv[1],
           (unsigned long)conn, m.nseg, lay.narrows, lay.width, lay.height, n);
    rnd_layout_free(&lay);
    rnd_fonts_free(&fonts);
    rnd_model_free(&m);
    trace_buf_free(&b);
    return n > 0;
}
