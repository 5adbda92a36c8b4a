/*
 * test_rnd_rules.c - the rules a true-time ladder diagram teaches, each pinned by a test of its
 * own rather than by a golden-trace diff that a regeneration would silence.
 *
 * Layout rules: a label sits above its own arrow (never on the wrong side); y is interpolated
 * between rows (events axis) and linear within a stretch (true axis); the second copy of a
 * duplicated segment is drawn at its own arrival, not at the first one's height.
 *
 * Endpoint rules, as the picture shows them: the receiver ACKs every second full segment (RFC
 * 5681 4.2; RFC 1122 4.2.3.2), drawn before the third segment arrives; the RTO restarts when an
 * ACK acknowledges new data (RFC 6298 5.3); Karn's rule refuses a sample from the ACK of a
 * retransmission (RFC 6298 3); after a SYN timeout the RTO goes back to 3 s (RFC 6298 5.7).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "rnd_check.h"
#include "rnd_fixture.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_simtrace.h"
#include "tcp_seq.h"
#include "tcp_state.h"

typedef struct built {
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
} built;

static void build(built *x, const char *scenario)
{
    assert_int_equal(rnd_sim_trace(scenario, &x->b), 0);
    rnd_build_fake(&x->b, NULL, &x->m, &x->lay);
    assert_int_equal(x->lay.axis, RND_AXIS_TRUE);
}

static void unbuild(built *x)
{
    rnd_layout_free(&x->lay);
    rnd_model_free(&x->m);
    trace_buf_free(&x->b);
}

static const rnd_note *note_with(const rnd_layout *lay, const char *text)
{
    for (size_t i = 0; i < lay->nnotes; i++)
        if (strstr(lay->notes[i].text, text) != NULL)
            return &lay->notes[i];
    return NULL;
}

/* ---------------------------------------------------------------- layout rules */

/* Every label of every built-in scenario: its bottom edge at or above its own arrow where the
 * arrow passes under its sender-side edge, and within a few units of it unless lifted. */
static void test_label_above_its_own_arrow(void **state)
{
    static const char *const names[] = {"handshake",  "transfer", "loss",     "fastretx", "backoff",
                                        "zerowindow", "simopen",  "simclose", "jitter"};
    (void)state;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        built x;
        build(&x, names[k]);
        assert_true(x.lay.nlabels > 0);
        for (size_t i = 0; i < x.lay.nlabels; i++) {
            const rnd_label *lb = &x.lay.labels[i];
            const rnd_arrow *a = &x.lay.arrows[lb->arrow];
            double xe = a->ep == TRACE_CLIENT ? lb->box.x : lb->box.x + lb->box.w;
            double f = (xe - a->from.x) / (x.lay.lane_x[1 - a->ep] - a->from.x);
            double yl = a->from.y + f * (a->y_end - a->from.y);
            assert_true(f > 0.0 && f < 1.0);
            if (lb->box.y + lb->box.h > yl + 0.01)
                fail_msg("%s: label '%s' below its arrow", names[k], lb->text);
            assert_true(yl - (lb->box.y + lb->box.h) <= lb->raised + 4.01);
        }
        unbuild(&x);
    }
}

/* Events axis: between two rows, y is interpolated; true axis: linear in its stretch. */
static void test_y_interpolated(void **state)
{
    built x;
    bool seen = false;
    (void)state;
    assert_int_equal(rnd_sim_trace("loss", &x.b), 0);
    rnd_check_axis = RND_AXIS_EVENTS;
    rnd_build_fake(&x.b, NULL, &x.m, &x.lay);
    rnd_check_axis = -1;
    for (size_t i = 1; i < x.lay.nrows && !seen; i++) {
        const rnd_row *a = &x.lay.rows[i - 1], *b = &x.lay.rows[i];
        if (b->t - a->t >= 4 && b->y > a->y + 4.0 && b->t - a->t < 100000) {
            int64_t t = a->t + (b->t - a->t) / 4;
            double want = a->y + (double)(t - a->t) / (double)(b->t - a->t) * (b->y - a->y);
            assert_true(fabs(rnd_layout_y_of(&x.lay, t) - want) < 0.01);
            seen = true;
        }
    }
    assert_true(seen);
    rnd_layout_free(&x.lay);
    rnd_model_free(&x.m);
    trace_buf_free(&x.b); /* build() makes a trace of its own */
    build(&x, "loss");
    for (size_t k = 0; k < x.lay.nstretches; k++) {
        const rnd_stretch *s = &x.lay.stretches[k];
        int64_t t = s->t0 + (s->t1 - s->t0) / 3;
        assert_true(fabs(rnd_layout_y_of(&x.lay, t) - (s->y0 + (double)(t - s->t0) * x.lay.pxus)) <
                    0.01);
    }
    unbuild(&x);
}

/* A segment the link duplicated: the second copy's arrow ends at its own arrival time. */
static void test_second_copy_at_its_own_arrival(void **state)
{
    built x;
    trace_event e;
    uint64_t id;
    const rnd_arrow *first = NULL, *second = NULL;
    (void)state;
    fx_begin(&x.b, "duplicate", false, 50000);
    fx_state(&x.b, 0, 0, TCP_ESTABLISHED, TCP_ESTABLISHED, "start");
    id = fx_seg(&x.b, 0, 0, TCP_ACK, 1000, 2000, 100, 65535, 0, 50000);
    memset(&e, 0, sizeof e);
    e.t = 80000;
    e.ep = 1;
    e.kind = TRACE_RECV;
    e.id = id;
    e.seg = x.b.ev[x.b.n - 1].seg;
    trace_buf_emit(&x.b, &e);
    fx_seg(&x.b, 80000, 1, TCP_ACK, 2000, 1100, 0, 65535, 0, 130000);
    fx_finish(&x.b);
    rnd_build_fake(&x.b, NULL, &x.m, &x.lay);
    rnd_check_invariants(&x.lay, &x.m);
    for (size_t i = 0; i < x.lay.narrows; i++)
        if (x.m.seg[x.lay.arrows[i].seg].id == id) {
            if (first == NULL)
                first = &x.lay.arrows[i];
            else
                second = &x.lay.arrows[i];
        }
    assert_non_null(first);
    assert_non_null(second);
    assert_true(fabs(first->to.y - rnd_check_scale_y(&x.lay, 50000)) < 1.0);
    assert_true(fabs(second->to.y - second->fan_to - rnd_check_scale_y(&x.lay, 80000)) < 1.0);
    assert_true(second->to.y > first->to.y + 30.0);
    unbuild(&x);
}

/* ---------------------------------------------------------------- endpoint rules */

/* transfer: the server ACKs the second full segment as it arrives, before the third arrives; the
 * diagram draws that ACK leaving above the third segment's arrival. */
static void test_ack_every_second_segment(void **state)
{
    built x;
    size_t recv2 = SIZE_MAX, ack = SIZE_MAX, recv3 = SIZE_MAX, nrecv = 0;
    const rnd_arrow *a_ack = NULL, *a3 = NULL;
    (void)state;
    build(&x, "transfer");
    for (size_t i = 0; i < x.b.n; i++) {
        const trace_event *e = &x.b.ev[i];
        if (e->ep == TRACE_SERVER && e->kind == TRACE_RECV && e->seg.len == 1460) {
            nrecv++;
            if (nrecv == 2)
                recv2 = i;
            if (nrecv == 3)
                recv3 = i;
        }
        if (e->ep == TRACE_SERVER && e->kind == TRACE_SEND && e->seg.len == 0 &&
            !(e->seg.flags & TCP_SYN) && ack == SIZE_MAX && nrecv > 0)
            ack = i;
    }
    assert_true(recv2 != SIZE_MAX && recv3 != SIZE_MAX && ack != SIZE_MAX);
    assert_true(recv2 < ack && ack < recv3);
    assert_int_equal(x.b.ev[ack].t, x.b.ev[recv2].t);
    assert_int_equal(x.b.ev[ack].seg.ack, x.b.ev[recv2].seg.seq + 1460); /* ACK = SEQ + LEN */
    for (size_t i = 0; i < x.lay.narrows; i++) {
        const rnd_mseg *s = &x.m.seg[x.lay.arrows[i].seg];
        if (s->ev_send == ack)
            a_ack = &x.lay.arrows[i];
        if (s->ev_arr[0] == recv3)
            a3 = &x.lay.arrows[i];
    }
    assert_non_null(a_ack);
    assert_non_null(a3);
    assert_true(a_ack->from.y < a3->to.y);
    unbuild(&x);
}

/* loss: the first ACK of new data restarts the RTO, which then expires one RTO later. */
static void test_rto_restart(void **state)
{
    built x;
    uint64_t t_ack = 0, restart = 0, rto = 0, fire = 0;
    bool mark = false;
    (void)state;
    build(&x, "loss");
    for (size_t i = 0; i < x.b.n; i++) {
        const trace_event *e = &x.b.ev[i];
        if (e->ep == TRACE_CLIENT && e->kind == TRACE_RECV && t_ack == 0 && e->t > 200000 &&
            (e->seg.flags & TCP_ACK))
            t_ack = e->t;
        if (e->ep == TRACE_CLIENT && e->kind == TRACE_TIMER && e->u.timer.timer == TCP_TIMER_RTO &&
            e->u.timer.action == TRACE_TIMER_ARM && t_ack != 0 && e->t == t_ack) {
            restart = e->t;
            rto = e->u.timer.duration;
        }
        if (e->ep == TRACE_CLIENT && e->kind == TRACE_TIMER && e->u.timer.timer == TCP_TIMER_RTO &&
            e->u.timer.action == TRACE_TIMER_FIRE && fire == 0)
            fire = e->t;
    }
    assert_int_equal(restart, t_ack);
    assert_int_equal(fire, restart + rto);
    for (size_t k = 0; k < x.lay.ntmarks; k++)
        mark = mark ||
               (x.lay.tmarks[k].kind == RND_TMARK_RESTART && x.lay.tmarks[k].t == (int64_t)t_ack &&
                x.lay.brackets[x.lay.tmarks[k].bracket].ep == TRACE_CLIENT);
    assert_true(mark);
    unbuild(&x);
}

/* The endpoint runs one timer besides the delayed ACK: with the Linux profile (backlog uses it)
 * the tail-loss probe replaces the RTO each time data leaves, and the RTO's bracket ends there
 * instead of running to the end of the picture. */
static void test_rto_replaced_by_tlp(void **state)
{
    built x;
    size_t rto = 0;
    (void)state;
    build(&x, "backlog");
    for (size_t i = 0; i < x.lay.nbrackets; i++) {
        const rnd_bracket *b = &x.lay.brackets[i];
        if (b->timer != TCP_TIMER_RTO)
            continue;
        rto++;
        assert_false(b->open_end);
        assert_true(b->t1 < (int64_t)x.m.t_last);
    }
    assert_true(rto >= 2);
    unbuild(&x);
}

/* Receiver SWS avoidance (RFC 1122 4.2.3.3) is explained once per receiver, at the first ACK
 * whose window it holds back: in transfer the client's ACK of the server's FIN advertises 65534
 * (the right edge stays), and the picture says why beside it. */
static void test_sws_window_explained_once(void **state)
{
    built x;
    size_t notes = 0;
    uint64_t t_note = 0, t_ack = 0;
    (void)state;
    build(&x, "transfer");
    for (size_t i = 0; i < x.b.n; i++) {
        const trace_event *e = &x.b.ev[i];
        if (e->ep != TRACE_CLIENT)
            continue;
        if (e->kind == TRACE_NOTE && strstr(e->text, "SWS") != NULL) {
            notes++;
            t_note = e->t;
        }
        if (e->kind == TRACE_SEND && e->seg.win == 65534 && t_ack == 0)
            t_ack = e->t;
    }
    assert_int_equal(notes, 1);
    assert_int_equal(t_note, t_ack);
    assert_non_null(note_with(&x.lay, "receiver SWS avoidance: win 65534"));
    unbuild(&x);
}

/* loss: the ACK that covers the retransmission gives no RTT sample, and the diagram says so. */
static void test_karn(void **state)
{
    built x;
    uint64_t t_retx = 0, t_ack = 0;
    const rnd_note *n;
    (void)state;
    build(&x, "loss");
    for (size_t i = 0; i < x.b.n; i++) {
        const trace_event *e = &x.b.ev[i];
        if (e->ep == TRACE_CLIENT && e->kind == TRACE_SEND &&
            (e->seg.tags & TCP_TAG_RETRANSMISSION) && t_retx == 0)
            t_retx = e->t;
        if (t_retx && e->ep == TRACE_CLIENT && e->kind == TRACE_RECV && t_ack == 0 && e->t > t_retx)
            t_ack = e->t;
    }
    assert_true(t_retx > 0 && t_ack > t_retx);
    for (size_t i = 0; i < x.b.n; i++)
        assert_false(x.b.ev[i].kind == TRACE_RTT && x.b.ev[i].ep == TRACE_CLIENT &&
                     x.b.ev[i].t == t_ack);
    n = note_with(&x.lay, "Karn");
    assert_non_null(n);
    assert_int_equal(n->ep, TRACE_CLIENT);
    assert_true(fabs(n->anchor_y - rnd_check_scale_y(&x.lay, (int64_t)t_ack)) < 6.0);
    unbuild(&x);
    /* synloss: the SYN was timed and then retransmitted; the SYN,ACK ends no measurement */
    build(&x, "synloss");
    for (size_t i = 0; i < x.b.n; i++) {
        const trace_event *e = &x.b.ev[i];
        if (e->kind == TRACE_RECV && e->ep == TRACE_CLIENT && (e->seg.flags & TCP_SYN))
            t_ack = e->t;
    }
    assert_int_equal(t_ack, 1100000);
    for (size_t i = 0; i < x.b.n; i++)
        assert_false(x.b.ev[i].kind == TRACE_RTT && x.b.ev[i].ep == TRACE_CLIENT);
    n = note_with(&x.lay, "Karn");
    assert_non_null(n);
    assert_true(fabs(n->anchor_y - rnd_check_scale_y(&x.lay, (int64_t)t_ack)) < 6.0);
    unbuild(&x);
}

/* synloss: the SYN timed out, so the handshake leaves the RTO at 3 s (RFC 6298 5.7), noted. */
static void test_syn_timeout_5_7(void **state)
{
    built x;
    bool noted = false;
    (void)state;
    build(&x, "synloss");
    for (size_t i = 0; i < x.b.n; i++)
        noted = noted || (x.b.ev[i].kind == TRACE_NOTE && x.b.ev[i].ep == TRACE_CLIENT &&
                          strstr(x.b.ev[i].text, "5.7") != NULL);
    assert_true(noted);
    assert_non_null(note_with(&x.lay, "RFC 6298 5.7"));
    unbuild(&x);
}

/* The estimator: each RTT sample is drawn from the send of the segment it timed to the ACK, with
 * the values after the update; jitter's RTO rises above 1 s, longrtt's starts at 2.4 s. */
static void test_estimator_drawn(void **state)
{
    built x;
    size_t n = 0;
    uint64_t top = 0;
    (void)state;
    build(&x, "jitter");
    for (size_t i = 0; i < x.lay.nbrackets; i++) {
        const rnd_bracket *b = &x.lay.brackets[i];
        if (b->timer != RND_BRACKET_RTT)
            continue;
        n++;
        assert_true(b->arrow != SIZE_MAX);
        assert_int_equal(b->t1 - b->t0, (int64_t)b->duration);
        top = b->rto > top ? b->rto : top;
    }
    assert_true(n >= 4);
    assert_true(top > 1000000);
    assert_non_null(note_with(&x.lay, "RTT 840 ms"));
    unbuild(&x);
    build(&x, "longrtt");
    assert_non_null(note_with(&x.lay, "RTO 2.4 s"));
    unbuild(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_above_its_own_arrow),
        cmocka_unit_test(test_y_interpolated),
        cmocka_unit_test(test_second_copy_at_its_own_arrival),
        cmocka_unit_test(test_ack_every_second_segment),
        cmocka_unit_test(test_rto_restart),
        cmocka_unit_test(test_karn),
        cmocka_unit_test(test_rto_replaced_by_tlp),
        cmocka_unit_test(test_sws_window_explained_once),
        cmocka_unit_test(test_syn_timeout_5_7),
        cmocka_unit_test(test_estimator_drawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
