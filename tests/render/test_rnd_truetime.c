/*
 * test_rnd_truetime.c - the true-time layout in numbers, over every built-in scenario (as written
 * and with --profile linux's endpoint settings) and every connection of every sample capture in
 * samples/: every arrow's ends on the linear scale of their
 * stretch (+-1 unit, after the documented same-instant fan-out), distinct instants in order, no
 * two labels overlapping, every label above its own arrow, nothing outside the canvas
 * (rnd_check_invariants).  Font-independent: text is measured by rnd_fake_measure.  A --from/--to
 * crop keeps whole labels.  The totals checked are printed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rnd_check.h"
#include "rnd_pcap.h"
#include "rnd_simtrace.h"
#include "sim_scenario.h"

static size_t n_arrows, n_labels, n_layouts, n_stretches;

static void check(const trace_buf *b, const rnd_options *o)
{
    rnd_model m;
    rnd_layout lay;
    rnd_build_fake(b, o, &m, &lay);
    assert_int_equal(lay.axis, RND_AXIS_TRUE);
    rnd_check_invariants(&lay, &m);
    assert_true(lay.nstretches > 0);
    n_arrows += lay.narrows;
    n_labels += lay.nlabels;
    n_stretches += lay.nstretches;
    n_layouts++;
    rnd_layout_free(&lay);
    rnd_model_free(&m);
}

static void test_every_builtin(void **state)
{
    size_t n = 0;
    (void)state;
    for (const sim_builtin *sb = sim_builtin_list(); sb->name != NULL; sb++, n++) {
        trace_buf b;
        assert_int_equal(rnd_sim_trace(sb->name, &b), 0);
        check(&b, NULL);
        trace_buf_free(&b);
    }
    for (const sim_builtin *sb = sim_builtin_list(); sb->name != NULL; sb++) {
        trace_buf b;
        assert_int_equal(rnd_sim_trace_profile(sb->name, true, &b), 0);
        check(&b, NULL);
        trace_buf_free(&b);
    }
    assert_true(n >= 18);
    printf("true time: %zu built-in scenarios (rfc and linux), %zu arrows and %zu labels checked\n",
           n, n_arrows, n_labels);
}

static void test_every_sample(void **state)
{
    static const char *const names[] = {
        "clean",   "concurrent-lateack", "concurrent", "finloss", "halfclose",
        "ipv6",    "lastackloss",        "loss",       "refused", "serverclose",
        "synloss", "zerowindow"};
    size_t a0 = n_arrows, l0 = n_labels, nconn = 0;
    (void)state;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        for (uint32_t conn = 1; conn < 64; conn++) {
            trace_buf b;
            char err[512];
            rnd_options o;
            if (rnd_load_sample(names[k], conn, &b, err, sizeof err) != 0) {
                assert_true(conn > 1); /* every sample has a first connection */
                break;
            }
            rnd_options_default(&o);
            o.conn = conn;
            check(&b, &o);
            nconn++;
            trace_buf_free(&b);
        }
    printf("true time: %zu sample connections, %zu arrows and %zu labels checked\n", nconn,
           n_arrows - a0, n_labels - l0);
}

/* A crop keeps whole labels: every label of a --from/--to selection inside the canvas. */
static void test_crop_keeps_whole_labels(void **state)
{
    static const struct {
        const char *name;
        uint64_t from, to;
    } crops[] = {{"fastretx", 300000, 450000},
                 {"loss", 250000, 1400000},
                 {"transfer", 240000, 260000},
                 {"zerowindow", 1300000, 4100000}};
    (void)state;
    for (size_t k = 0; k < sizeof crops / sizeof crops[0]; k++) {
        trace_buf b;
        rnd_options o;
        assert_int_equal(rnd_sim_trace(crops[k].name, &b), 0);
        rnd_options_default(&o);
        o.from_us = crops[k].from;
        o.to_us = crops[k].to;
        check(&b, &o);
        trace_buf_free(&b);
    }
    printf("true time: %zu layouts, %zu stretches in all\n", n_layouts, n_stretches);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_builtin),
        cmocka_unit_test(test_every_sample),
        cmocka_unit_test(test_crop_keeps_whole_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
