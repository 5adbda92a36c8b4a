/*
 * test_rnd_sim.c - the renderer on real simulator traces: every built-in scenario is simulated
 * (sim/), laid out with the layout invariants checked, and written as PNG, SVG and PDF, and as a
 * time-sequence graph when it carries data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"
#include "rnd_check.h"
#include "rnd_simtrace.h"
#include "sim_scenario.h"
#include "tcp_state.h"

static void test_rnd_every_builtin_scenario(void **state)
{
    const char *dir = rnd_scratch_dir();
    char cmd[300];
    int n = 0;
    (void)state;
    for (const sim_builtin *sb = sim_builtin_list(); sb->name != NULL; sb++, n++) {
        trace_buf b;
        rnd_model m;
        rnd_layout lay;
        char path[512], err[400];
        static const char *const ext[] = {"png", "svg", "pdf"};
        assert_int_equal(rnd_sim_trace(sb->name, &b), 0);
        assert_true(b.n > 0);
        rnd_build_fake(&b, NULL, &m, &lay);
        rnd_check_invariants(&lay, &m);
        bool states = false; /* a datagram flow (udp) has no states to box */
        for (size_t k = 0; k < b.n; k++)
            states = states || b.ev[k].kind == TRACE_STATE;
        assert_true(!states || lay.nsboxes > 0);
        for (int i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/%s.%s", dir, sb->name, ext[i]);
            if (rnd_write_ladder(&b, NULL, path, err, sizeof err) != 0)
                fail_msg("%s: %s", sb->name, err);
        }
        snprintf(path, sizeof path, "%s/%s-tseq.svg", dir, sb->name);
        {
            int rc = rnd_write_tseq(&b, NULL, path, err, sizeof err);
            assert_true(rc == 0 || rc == RND_EREQUEST); /* no data: nothing to graph */
        }
        rnd_layout_free(&lay);
        rnd_model_free(&m);
        trace_buf_free(&b);
    }
    assert_true(n >= 10);
    assert_int_equal(rnd_count_files(dir, ".tmp-"), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_rnd_sim_loss_has_rto_retransmission(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    bool found = false;
    (void)state;
    assert_int_equal(rnd_sim_trace("loss", &b), 0);
    rnd_build_fake(&b, NULL, &m, &lay);
    for (size_t i = 0; i < lay.nlabels; i++)
        if (strncmp(lay.labels[i].tag, "RTO retransmission, RTO ", 24) == 0)
            found = true;
    assert_true(found);
    assert_true(lay.nbreaks >= 1); /* TIME-WAIT, compressed */
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnd_every_builtin_scenario),
        cmocka_unit_test(test_rnd_sim_loss_has_rto_retransmission),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
