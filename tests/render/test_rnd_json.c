/*
 * test_rnd_json.c - the layout JSON (docs/diagrams.md "Layout JSON") says what the layout holds:
 * the format and version first, one arrow object per arrow with its trace event ids and times,
 * one object per label, box, note, bracket, break and tick, and it is well formed (brackets and
 * quotes balanced, control characters escaped).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd_check.h"
#include "rnd_fixture.h"
#include "rnd_json.h"
#include "rnd_simtrace.h"

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Balanced {} and [] outside strings, no raw control character inside one. */
static void well_formed(const char *s)
{
    int depth = 0;
    bool in_str = false;
    for (const char *p = s; *p; p++) {
        if (in_str) {
            assert_true((unsigned char)*p >= 0x20);
            if (*p == '\\')
                p++;
            else if (*p == '"')
                in_str = false;
            continue;
        }
        if (*p == '"')
            in_str = true;
        else if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            assert_true(--depth >= 0);
    }
    assert_false(in_str);
    assert_int_equal(depth, 0);
}

static void test_json_counts(const char *scenario)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    char *js;
    assert_int_equal(rnd_sim_trace(scenario, &b), 0);
    rnd_build_fake(&b, NULL, &m, &lay);
    js = rnd_json_of(&lay, &m);
    well_formed(js);
    assert_true(strncmp(js, "{\"format\":\"tcpsim-ladder-layout\",\"version\":1,", 45) == 0);
    assert_int_equal(count(js, "{\"seg_id\":"), lay.narrows);
    assert_int_equal(count(js, "\"arrow\":"), lay.nlabels);
    assert_int_equal(count(js, "\"cy\":"), lay.nsboxes);
    assert_int_equal(count(js, "\"anchor_y\":"), lay.nnotes);
    {
        size_t nrtt = 0;
        for (size_t i = 0; i < lay.nbrackets; i++)
            nrtt += lay.brackets[i].timer == RND_BRACKET_RTT;
        assert_int_equal(count(js, "\"marks\":["), lay.nbrackets - nrtt);
        assert_int_equal(count(js, "\"sample_us\":"), nrtt);
    }
    assert_int_equal(count(js, "\"text\":\"") - lay.narrows - lay.nlabels - lay.nsboxes -
                         lay.nnotes - lay.nbreaks,
                     lay.nticks);
    free(js);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_json_loss(void **state)
{
    (void)state;
    test_json_counts("loss");
}

static void test_json_backoff(void **state)
{
    (void)state;
    test_json_counts("backoff");
}

/* The first arrow of the handshake: its send and arrival events are those of the trace. */
static void test_json_event_ids(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    char *js, want[160];
    size_t send = SIZE_MAX, recv = SIZE_MAX;
    (void)state;
    assert_int_equal(rnd_sim_trace("handshake", &b), 0);
    for (size_t i = 0; i < b.n; i++) {
        if (b.ev[i].kind == TRACE_SEND && send == SIZE_MAX)
            send = i;
        if (b.ev[i].kind == TRACE_RECV && recv == SIZE_MAX)
            recv = i;
    }
    rnd_build_fake(&b, NULL, &m, &lay);
    js = rnd_json_of(&lay, &m);
    snprintf(want, sizeof want,
             "{\"seg_id\":%llu,\"send_event\":%zu,\"recv_event\":%zu,\"drop_event\":null,"
             "\"from\":\"client\",\"to\":\"server\",\"send_us\":0,\"recv_us\":50000,",
             (unsigned long long)b.ev[send].id, send, recv);
    assert_non_null(strstr(js, want));
    free(js);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* The loss scenario's RTO bracket that expires has an arm mark and an expiry mark. */
static void test_json_timer_marks(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    char *js;
    (void)state;
    assert_int_equal(rnd_sim_trace("loss", &b), 0);
    rnd_build_fake(&b, NULL, &m, &lay);
    js = rnd_json_of(&lay, &m);
    assert_non_null(strstr(js, "\"end\":\"expiry\""));
    assert_non_null(strstr(js, "{\"kind\":\"expiry\""));
    assert_non_null(strstr(js, "\"marks\":[{\"kind\":\"arm\""));
    assert_true(count(js, "\"from_us\":") >= lay.nbrackets + lay.nbreaks);
    free(js);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_loss),
        cmocka_unit_test(test_json_backoff),
        cmocka_unit_test(test_json_event_ids),
        cmocka_unit_test(test_json_timer_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
