/*
 * test_roundtrip.c - the built-in scenarios survived their conversion from C to scenario files:
 * for each one, parsing the embedded text gives the same sim_scenario as the C code did
 * (builtin_reference.c), field by field, and playing both gives the same trace, event by event.
 * Also: the embedded text is byte for byte the file in samples/scenarios/, the list keeps its
 * order and summaries, every file names itself after its file, and every file's expectations
 * hold on its own trace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "builtin_reference.h"
#include "sim_embed.h"
#include "sim_net.h"
#include "sim_parse.h"

#ifndef SCENARIO_DIR
#error "SCENARIO_DIR must name samples/scenarios"
#endif

static void same_tcp(const tcp_config *a, const tcp_config *b)
{
    assert_int_equal(a->isn, b->isn);
    assert_int_equal(a->mss, b->mss);
    assert_int_equal(a->snd_buf, b->snd_buf);
    assert_int_equal(a->rcv_buf, b->rcv_buf);
    assert_int_equal(a->rto_initial, b->rto_initial);
    assert_int_equal(a->rto_min, b->rto_min);
    assert_int_equal(a->rto_max, b->rto_max);
    assert_int_equal(a->clock_g, b->clock_g);
    assert_int_equal(a->msl, b->msl);
    assert_int_equal(a->delack, b->delack);
    assert_int_equal(a->nagle, b->nagle);
    assert_int_equal(a->syn_retries, b->syn_retries);
    assert_int_equal(a->max_retries, b->max_retries);
    assert_int_equal(a->iw_segments, b->iw_segments);
}

static void same_scenario(const sim_scenario *a, const sim_scenario *b)
{
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->description, b->description);
    for (int i = 0; i < 2; i++) {
        same_tcp(&a->tcp[i], &b->tcp[i]);
        assert_string_equal(a->addr[i], b->addr[i]);
        assert_int_equal(a->app[i].auto_read, b->app[i].auto_read);
        assert_int_equal(a->app[i].echo, b->app[i].echo);
        assert_int_equal(a->app[i].close_on_eof, b->app[i].close_on_eof);
        assert_int_equal(a->app[i].close_delay, b->app[i].close_delay);
    }
    assert_int_equal(a->rtt, b->rtt);
    assert_int_equal(a->bandwidth, b->bandwidth);
    assert_true(a->loss == b->loss && a->duplicate == b->duplicate && a->reorder == b->reorder);
    assert_int_equal(a->reorder_delay, b->reorder_delay);
    assert_int_equal(a->seed, b->seed);
    assert_int_equal(a->until, b->until);
    assert_int_equal(a->n_actions, b->n_actions);
    for (size_t k = 0; k < a->n_actions; k++) {
        const sim_action *x = &a->actions[k], *y = &b->actions[k];
        assert_int_equal(x->t, y->t);
        assert_int_equal(x->ep, y->ep);
        assert_int_equal(x->call, y->call);
        assert_int_equal(x->bytes, y->bytes);
        assert_string_equal(x->text, y->text);
    }
    assert_int_equal(a->n_rules, b->n_rules);
    for (size_t k = 0; k < a->n_rules; k++) {
        const sim_rule *x = &a->rules[k], *y = &b->rules[k];
        assert_int_equal(x->dir, y->dir);
        assert_int_equal(x->action, y->action);
        assert_int_equal(x->nth, y->nth);
        assert_int_equal(x->flags_all, y->flags_all);
        assert_int_equal(x->flags_none, y->flags_none);
        assert_int_equal(x->data, y->data);
        assert_int_equal(x->has_seq, y->has_seq);
        assert_int_equal(x->seq_lo, y->seq_lo);
        assert_int_equal(x->seq_hi, y->seq_hi);
        assert_int_equal(x->times, y->times);
        assert_int_equal(x->delay, y->delay);
    }
}

static void play(const sim_scenario *sc, trace_buf *tb)
{
    static sim_net net;
    trace_buf_init(tb);
    sim_net_init(&net, sc, trace_buf_sink(tb));
    assert_int_equal(sim_net_run(&net), 0);
    sim_net_free(&net);
    assert_false(tb->oom);
}

static void same_trace(const trace_buf *a, const trace_buf *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t k = 0; k < a->n; k++) {
        const trace_event *x = &a->ev[k], *y = &b->ev[k];
        assert_int_equal(x->t, y->t);
        assert_int_equal(x->ep, y->ep);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->id, y->id);
        assert_memory_equal(&x->seg, &y->seg, sizeof x->seg);
        assert_memory_equal(&x->u, &y->u, sizeof x->u);
        assert_string_equal(x->text, y->text);
    }
}

/* Same struct, same trace, for every built-in. */
static void test_builtins_same_as_the_c_code(void **state)
{
    (void)state;
    static sim_scenario ref, now;
    size_t n = 0;
    for (const char *name; (name = ref_builtin_name(n)) != NULL; n++) {
        assert_int_equal(ref_builtin_load(&ref, name), 0);
        assert_int_equal(sim_builtin_load(&now, name), 0);
        same_scenario(&now, &ref);
        trace_buf a, b;
        play(&ref, &a);
        play(&now, &b);
        same_trace(&b, &a);
        trace_buf_free(&a);
        trace_buf_free(&b);
    }
    assert_int_equal(n, 16);
    /* the six scenarios with hosts and sockets (issue 14) and longrtt, jitter (issue 11) came
     * after the conversion */
    assert_int_equal(sim_embedded_count, n + 8);
}

static void test_list_keeps_order_and_summaries(void **state)
{
    (void)state;
    const sim_builtin *list = sim_builtin_list();
    size_t n = 0;
    for (; list[n].name && ref_builtin_name(n); n++) {
        assert_string_equal(list[n].name, ref_builtin_name(n));
        assert_string_equal(list[n].summary, ref_builtin_summary(list[n].name));
    }
    assert_int_equal(n, 16);
    static const char *const hosted[] = {"echo-loop", "backlog", "boundaries",
                                         "buffers",   "udp",     "timewait-reuse"};
    for (size_t k = 0; k < 6; k++)
        assert_string_equal(list[n + k].name, hosted[k]);
    assert_string_equal(list[n + 6].name, "longrtt");
    assert_string_equal(list[n + 7].name, "jitter");
    assert_null(list[n + 8].name);
    assert_true(sim_builtin_list() == list); /* parsed once */
    static sim_scenario sc;
    assert_int_equal(sim_builtin_load(&sc, "nosuch"), -1);
}

/* The binary carries exactly the shipped files, and each names itself after its file. */
static void test_embedded_text_is_the_file(void **state)
{
    (void)state;
    static sim_script s;
    for (size_t k = 0; k < sim_embedded_count; k++) {
        const sim_embedded *f = &sim_embedded_files[k];
        char path[512];
        snprintf(path, sizeof path, "%s/%s.tcpsim", SCENARIO_DIR, f->name);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        static char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        assert_int_equal(n, f->len);
        assert_memory_equal(buf, f->text, n);
        assert_int_equal(f->text[f->len], 0);
        assert_int_equal(sim_parse(&s, (const char *)f->text, f->len), 0);
        assert_string_equal(s.sc.name, f->name);
        assert_true(s.summary[0] != '\0');
        assert_true(s.sc.description[0] != '\0');
        assert_true(s.n_expect >= 5); /* every built-in states its lesson */
    }
}

/* Every built-in's expectations hold on its own trace. */
static void test_builtin_expectations_hold(void **state)
{
    (void)state;
    static sim_script s;
    for (size_t k = 0; k < sim_embedded_count; k++) {
        const sim_embedded *f = &sim_embedded_files[k];
        assert_int_equal(sim_parse(&s, (const char *)f->text, f->len), 0);
        trace_buf tb;
        play(&s.sc, &tb);
        for (size_t e = 0; e < s.n_expect; e++) {
            char why[SIM_EXPECT_WHY];
            if (!sim_expect_check(&s.expect[e], &s.sc, &tb, why, sizeof why))
                fail_msg("%s.tcpsim:%d: %s (%s)", f->name, s.expect[e].line, s.expect[e].text, why);
        }
        trace_buf_free(&tb);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins_same_as_the_c_code),
        cmocka_unit_test(test_list_keeps_order_and_summaries),
        cmocka_unit_test(test_embedded_text_is_the_file),
        cmocka_unit_test(test_builtin_expectations_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
