/*
 * test_sim_heap.c - the simulator's event queue (sim_heap): events leave in (time, insertion
 * order) order, so that equal times always run in the order they were scheduled and a
 * scenario replays identically; checked on small hand-made cases, on 20000 seeded random
 * pushes with many ties, and on interleaved pushes and pops as the simulator does them
 * (never scheduling into the past), against a sorted reference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim_heap.h"
#include "sim_rng.h"

static void push(sim_heap *h, uint64_t t, uint32_t tag)
{
    sim_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = t;
    ev.index = tag;
    assert_int_equal(sim_heap_push(h, &ev), 0);
}

static void test_heap_empty(void **state)
{
    (void)state;
    sim_heap h;
    sim_heap_init(&h);
    sim_event ev;
    assert_null(sim_heap_top(&h));
    assert_false(sim_heap_pop(&h, &ev));
    sim_heap_free(&h);
}

/* Time first; among equal times, the order of insertion. */
static void test_heap_time_then_insertion_order(void **state)
{
    (void)state;
    sim_heap h;
    sim_heap_init(&h);
    push(&h, 30, 0);
    push(&h, 10, 1);
    push(&h, 20, 2);
    push(&h, 10, 3);
    push(&h, 30, 4);
    push(&h, 10, 5);
    push(&h, 0, 6);
    const uint32_t want[] = {6, 1, 3, 5, 2, 0, 4};
    assert_int_equal(sim_heap_top(&h)->index, 6);
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        sim_event ev;
        assert_true(sim_heap_pop(&h, &ev));
        assert_int_equal(ev.index, want[k]);
    }
    sim_event ev;
    assert_false(sim_heap_pop(&h, &ev));
    sim_heap_free(&h);
}

typedef struct ref {
    uint64_t t, order;
} ref;

static int ref_cmp(const void *a, const void *b)
{
    const ref *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Many random pushes (times in a small range, so most have ties) pop sorted by (t, order). */
static void test_heap_random_pushes_pop_sorted(void **state)
{
    (void)state;
    enum { N = 20000 };
    sim_heap h;
    sim_heap_init(&h);
    sim_rng rng = {12345};
    ref *r = malloc(N * sizeof *r);
    assert_non_null(r);
    for (uint32_t k = 0; k < N; k++) {
        uint64_t t = sim_rng_next(&rng) % 500;
        push(&h, t, k);
        r[k] = (ref){t, k};
    }
    assert_int_equal(h.n, N);
    qsort(r, N, sizeof *r, ref_cmp);
    for (uint32_t k = 0; k < N; k++) {
        sim_event ev;
        assert_true(sim_heap_pop(&h, &ev));
        assert_int_equal(ev.t, r[k].t);
        assert_int_equal(ev.index, r[k].order); /* the insertion number of the push */
        assert_int_equal(ev.order, r[k].order);
    }
    assert_int_equal(h.n, 0);
    free(r);
    sim_heap_free(&h);
}

/* Interleaved pushes and pops, each push at or after the last popped time (as the simulator
 * schedules): the pops, taken together, are the sorted sequence of all pushes. */
static void test_heap_interleaved_matches_reference(void **state)
{
    (void)state;
    enum { N = 20000 };
    sim_heap h;
    sim_heap_init(&h);
    sim_rng rng = {777};
    ref *r = malloc(N * sizeof *r);
    ref *got = malloc(N * sizeof *got);
    assert_non_null(r);
    assert_non_null(got);
    uint32_t pushed = 0, popped = 0;
    uint64_t now = 0;
    while (popped < N) {
        bool do_push = pushed < N && (h.n == 0 || sim_rng_next(&rng) % 3 != 0);
        if (do_push) {
            uint64_t t = now + sim_rng_next(&rng) % 50;
            push(&h, t, pushed);
            r[pushed] = (ref){t, pushed};
            pushed++;
        } else {
            sim_event ev;
            assert_true(sim_heap_pop(&h, &ev));
            assert_true(ev.t >= now);
            now = ev.t;
            got[popped++] = (ref){ev.t, ev.index};
        }
    }
    qsort(r, N, sizeof *r, ref_cmp);
    for (uint32_t k = 0; k < N; k++) {
        assert_int_equal(got[k].t, r[k].t);
        assert_int_equal(got[k].order, r[k].order);
    }
    free(r);
    free(got);
    sim_heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap_empty),
        cmocka_unit_test(test_heap_time_then_insertion_order),
        cmocka_unit_test(test_heap_random_pushes_pop_sorted),
        cmocka_unit_test(test_heap_interleaved_matches_reference),
    };
    return cmocka_run_group_tests_name("sim_heap", tests, NULL, NULL);
}
