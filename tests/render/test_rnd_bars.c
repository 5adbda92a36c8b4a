/*
 * test_rnd_bars.c - activation bars: the time a socket call is blocked, from the application
 * event that says it blocks to the one that says it returns, as a narrow bar on the caller's
 * lifeline.  Numbers of the layout (fake measure, no cairo) for the buffers and backlog scenarios
 * on both time axes, none for a classic scenario, the legend item, the layout JSON, and the
 * pixels of the PNG and the rectangles of the SVG that show the bar.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"
#include "rnd_build.h"
#include "rnd_check.h"
#include "rnd_fixture.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_simtrace.h"
#include "tcp_state.h"

/* ---------------------------------------------------------------- helpers */

static const rnd_note *find_note(const rnd_layout *lay, const char *text)
{
    for (size_t i = 0; i < lay->nnotes; i++)
        if (strcmp(lay->notes[i].text, text) == 0)
            return &lay->notes[i];
    return NULL;
}

static bool legend_has(const rnd_layout *lay, int kind)
{
    for (size_t i = 0; i < lay->nlegend; i++)
        if (lay->legend[i].kind == kind)
            return true;
    return false;
}

/* The bar of `call` blocked from t0 (us) on ep: it starts at the note of the blocking call and
 * ends at the note of its return. */
static const rnd_abar *check_bar(const rnd_layout *lay, int ep, tcp_call call, int64_t t0,
                                 int64_t t1, const char *blocks, const char *returns)
{
    const rnd_abar *b = NULL;
    const rnd_note *n0 = find_note(lay, blocks), *n1 = find_note(lay, returns);
    for (size_t i = 0; i < lay->nabars && b == NULL; i++)
        if (lay->abars[i].ep == ep && lay->abars[i].call == call && lay->abars[i].t0 == t0)
            b = &lay->abars[i];
    if (b == NULL)
        fail_msg("no bar of %s blocked at %lld us", tcp_call_name(call), (long long)t0);
    assert_int_equal(b->t1, t1);
    assert_false(b->open_start);
    assert_false(b->open_end);
    assert_non_null(n0);
    assert_non_null(n1);
    assert_true(fabs(b->y0 - n0->anchor_y) < 0.01);
    assert_true(fabs(b->y1 - n1->anchor_y) < 0.01);
    assert_true(fabs(b->x - lay->lane_x[ep]) < 0.01);
    assert_true(b->w >= 4.0 && b->w <= 12.0);
    assert_true(b->y1 > b->y0);
    return b;
}

/* ---------------------------------------------------------------- layout numbers */

static void test_rnd_bars_buffers(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    const rnd_abar *ab;
    (void)state;
    assert_int_equal(rnd_sim_trace("buffers", &b), 0);
    rnd_build_fake(&b, NULL, &m, &lay);
    rnd_check_invariants(&lay, &m);
    assert_int_equal(lay.nabars, 2);
    /* connect() blocks for the handshake, 0 to 100 ms: one round trip on the time scale */
    ab = check_bar(&lay, TRACE_CLIENT, TCP_CALL_CONNECT, 0, 100000, "connect(S) blocks",
                   "connect(S) returns = 0");
    assert_true(fabs((ab->y1 - ab->y0) -
                     (rnd_check_scale_y(&lay, 100000) - rnd_check_scale_y(&lay, 0))) < 30.0);
    /* write() blocks on the full send buffer until the reader has taken enough: 3150 ms */
    check_bar(&lay, TRACE_CLIENT, TCP_CALL_WRITE, 100000, 3150000, "write(S, 32768) blocks",
              "write(S, 32768) returns = 32768");
    assert_true(legend_has(&lay, RND_LEGEND_BLOCKED));
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_bars_backlog(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    assert_int_equal(rnd_sim_trace("backlog", &b), 0);
    rnd_build_fake(&b, NULL, &m, &lay); /* connection 1: alice */
    rnd_check_invariants(&lay, &m);
    check_bar(&lay, TRACE_CLIENT, TCP_CALL_CONNECT, 10000, 110000, "connect(S) blocks",
              "connect(S) returns = 0");
    check_bar(&lay, TRACE_CLIENT, TCP_CALL_READ, 110000, 2550000, "read(S) blocks",
              "read(S) returns = 0, end of file");
    assert_int_equal(lay.nabars, 2);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* One row per event: the bar runs from the row of the call to the row of its return. */
static void test_rnd_bars_events_axis(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    rnd_options o;
    (void)state;
    rnd_options_default(&o);
    o.time_axis = RND_AXIS_EVENTS;
    assert_int_equal(rnd_sim_trace("buffers", &b), 0);
    rnd_build_fake(&b, &o, &m, &lay);
    rnd_check_invariants(&lay, &m);
    assert_int_equal(lay.nabars, 2);
    check_bar(&lay, TRACE_CLIENT, TCP_CALL_WRITE, 100000, 3150000, "write(S, 32768) blocks",
              "write(S, 32768) returns = 32768");
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* A range that cuts a blocked call: the bar is open at the cut. */
static void test_rnd_bars_open_ends(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    rnd_options o;
    (void)state;
    rnd_options_default(&o);
    o.from_us = 1000000;
    o.to_us = 2000000;
    assert_int_equal(rnd_sim_trace("buffers", &b), 0);
    rnd_build_fake(&b, &o, &m, &lay);
    assert_int_equal(lay.nabars, 1); /* write() blocked through the range: open both ways */
    assert_true(lay.abars[0].call == TCP_CALL_WRITE && lay.abars[0].open_start &&
                lay.abars[0].open_end);
    assert_true(lay.abars[0].y0 < lay.body_y0 + 40.0 && lay.abars[0].y1 > lay.body_y1 - 40.0);
    assert_true(lay.abars[0].ev0 == SIZE_MAX && lay.abars[0].ev1 == SIZE_MAX);
    assert_true(legend_has(&lay, RND_LEGEND_BLOCKED));
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    o.from_us = 50000;
    o.to_us = 2000000;
    rnd_build_fake(&b, &o, &m, &lay);
    assert_int_equal(lay.nabars, 2);
    assert_true(lay.abars[0].call == TCP_CALL_WRITE && lay.abars[0].open_end);
    assert_true(lay.abars[0].y1 > lay.abars[0].y0 && lay.abars[0].y1 <= lay.body_y1);
    assert_true(lay.abars[1].call == TCP_CALL_CONNECT && lay.abars[1].open_start);
    assert_true(lay.abars[1].y0 >= lay.body_y0 && lay.abars[1].y0 < lay.abars[1].y1);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* The classic scenarios have no socket API that returns: no bar, no legend item. */
static void test_rnd_bars_none_without_socket_calls(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    assert_int_equal(lay.nabars, 0);
    assert_false(legend_has(&lay, RND_LEGEND_BLOCKED));
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- the files */

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *s;
    long n;
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    s[n] = '\0';
    fclose(fp);
    return s;
}

static double dist(const unsigned char *px, double r, double g, double b)
{
    uint32_t v = *(const uint32_t *)(const void *)px;
    return fabs(((v >> 16) & 255) / 255.0 - r) + fabs(((v >> 8) & 255) / 255.0 - g) +
           fabs((v & 255) / 255.0 - b);
}

/* The PNG shows the bar's fill beside the lifeline along most of the bar, the SVG its
 * rectangle, the layout JSON the "blocked" array. */
static void test_rnd_bars_in_the_files(void **state)
{
    const char *dir = rnd_scratch_dir();
    trace_buf b;
    rnd_built bt;
    rnd_options o;
    char path[512], err[256], want[160];
    cairo_surface_t *img;
    char *s;
    (void)state;
    rnd_options_default(&o);
    assert_int_equal(rnd_sim_trace("buffers", &b), 0);
    snprintf(path, sizeof path, "%s/buffers.png", dir);
    assert_int_equal(rnd_built_make(&bt, &b, &o, path, err, sizeof err), 0);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(img);
    assert_int_equal(bt.lay.nabars, 2);
    for (size_t i = 0; i < bt.lay.nabars; i++) {
        const rnd_abar *ab = &bt.lay.abars[i];
        const unsigned char *d = cairo_image_surface_get_data(img);
        int stride = cairo_image_surface_get_stride(img), hits = 0;
        for (int k = 1; k <= 20; k++) { /* arrows cross the bar here and there */
            double y = ab->y0 + (ab->y1 - ab->y0) * k / 21.0;
            const unsigned char *px = d + (long)floor(y) * stride + (long)floor(ab->x - 2.0) * 4;
            hits += dist(px, 0.80, 0.85, 0.92) < 0.12;
        }
        if (hits < 12)
            fail_msg("bar %zu: its fill at %d of 20 points", i, hits);
    }
    cairo_surface_destroy(img);

    snprintf(path, sizeof path, "%s/buffers.svg", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    s = slurp(path);
    snprintf(want, sizeof want, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\"",
             bt.lay.abars[1].x - bt.lay.abars[1].w / 2, bt.lay.abars[1].y0, bt.lay.abars[1].w);
    if (strstr(s, want) == NULL)
        fail_msg("no %s in the SVG", want);
    free(s);

    snprintf(path, sizeof path, "%s/buffers.json", dir);
    assert_int_equal(rnd_write_layout_json(&b, &o, path, err, sizeof err), 0);
    s = slurp(path);
    assert_non_null(strstr(s, "\"blocked\":[\n{\"lane\":\"client\",\"host\":\"client\","
                              "\"sock\":\"S\",\"call\":\"connect\",\"from_us\":0,"
                              "\"to_us\":100000,"));
    assert_non_null(strstr(s, "\"call\":\"write\",\"from_us\":100000,\"to_us\":3150000,"));
    free(s);
    rnd_built_free(&bt);
    trace_buf_free(&b);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnd_bars_buffers),
        cmocka_unit_test(test_rnd_bars_backlog),
        cmocka_unit_test(test_rnd_bars_events_axis),
        cmocka_unit_test(test_rnd_bars_open_ends),
        cmocka_unit_test(test_rnd_bars_none_without_socket_calls),
        cmocka_unit_test(test_rnd_bars_in_the_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
