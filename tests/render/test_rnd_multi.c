/*
 * test_rnd_multi.c - several connections in one ladder diagram, a lifeline per host: the backlog
 * scenario (alice, bob and carol connect to one server) makes four lanes in the order of the
 * connections, each connection's arrows run between its client's lane and the server's, labels
 * name their connection, colours differ, state boxes of one lane do not overlap, the hosts' own
 * calls (listen, accept) sit on their lane; echo-loop's three connections share two lanes; a
 * list naming a connection that does not exist is a bad request.  Layout numbers with the fake
 * measure, and the pixels of a PNG for the colours.
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
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_paint.h"
#include "rnd_pcap.h"
#include "rnd_simtrace.h"
#include "tcp_state.h"

static const uint32_t all3[] = {1, 2, 3};

static void build_multi(const trace_buf *b, const uint32_t *conns, size_t n, rnd_time_axis axis,
                        rnd_model *m, rnd_layout *lay)
{
    static rnd_style st;
    rnd_options o;
    char err[256] = "";
    rnd_options_default(&o);
    o.conns = conns;
    o.nconns = n;
    rnd_style_default(&st);
    st.time_axis = (uint8_t)axis;
    if (rnd_model_build_multi(m, b, conns, n, &o, err, sizeof err) != 0)
        fail_msg("model: %s", err);
    assert_int_equal(rnd_layout_build(lay, m, &st, rnd_fake_measure, &st), 0);
}

/* The lane headed `head`, or -1. */
static int lane_named(const rnd_layout *lay, const char *head)
{
    for (int l = 0; l < lay->nlanes; l++)
        if (strcmp(lay->head[l], head) == 0)
            return l;
    return -1;
}

static void check_boxes_apart(const rnd_layout *lay)
{
    for (size_t i = 0; i < lay->nsboxes; i++)
        for (size_t j = i + 1; j < lay->nsboxes; j++)
            if (lay->sboxes[i].lane == lay->sboxes[j].lane &&
                rnd_rect_overlap(&lay->sboxes[i].box, &lay->sboxes[j].box, 0.5))
                fail_msg("state boxes %zu and %zu overlap on lane %u", i, j, lay->sboxes[i].lane);
}

/* No label runs into a note (the margin of a lifeline between two others). */
static void check_labels_clear_of_notes(const rnd_layout *lay)
{
    for (size_t i = 0; i < lay->nlabels; i++)
        for (size_t j = 0; j < lay->nnotes; j++)
            if (rnd_rect_overlap(&lay->labels[i].box, &lay->notes[j].box, 0.5))
                fail_msg("label '%s' overlaps note '%s'", lay->labels[i].text, lay->notes[j].text);
}

static void check_backlog(rnd_time_axis axis)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    int alice, bob, carol, server;
    size_t per_conn[3] = {0, 0, 0};
    assert_int_equal(rnd_sim_trace("backlog", &b), 0);
    build_multi(&b, all3, 3, axis, &m, &lay);
    /* 3 clients and the server: four lifelines, clients first in the order of connecting */
    assert_int_equal(lay.nlanes, 4);
    assert_int_equal(lay.nconns, 3);
    alice = lane_named(&lay, "alice");
    bob = lane_named(&lay, "bob");
    carol = lane_named(&lay, "carol");
    server = lane_named(&lay, "server");
    assert_int_equal(alice, 0);
    assert_int_equal(bob, 1);
    assert_int_equal(carol, 2);
    assert_int_equal(server, 3);
    assert_string_equal(lay.addr[bob], "192.0.2.12");
    assert_string_equal(lay.addr[server], "192.0.2.2");
    for (int l = 1; l < lay.nlanes; l++)
        assert_true(lay.lane_x[l] > lay.lane_x[l - 1] + 100.0);
    /* every arrow runs between its connection's client lane and the server lane */
    for (size_t i = 0; i < lay.narrows; i++) {
        const rnd_arrow *a = &lay.arrows[i];
        const rnd_mseg *s = &m.seg[a->seg];
        int client = (int)a->ci; /* conn 1: alice, 2: bob, 3: carol */
        assert_true(a->ci < 3);
        per_conn[a->ci]++;
        assert_int_equal(m.conns[a->ci].conn, a->ci + 1);
        assert_int_equal(a->lane, s->ep == TRACE_CLIENT ? client : server);
        assert_int_equal(a->to_lane, s->ep == TRACE_CLIENT ? server : client);
        assert_true(fabs(a->from.x - lay.lane_x[a->lane]) < 1e-9);
        if (!a->lost)
            assert_true(fabs(a->to.x - lay.lane_x[a->to_lane]) < 1e-9);
        assert_true(a->to.y > a->from.y);
    }
    for (int c = 0; c < 3; c++)
        assert_true(per_conn[c] >= 7);
    /* conn 2's SYN goes from bob's lifeline to the server's */
    {
        bool seen = false;
        for (size_t i = 0; i < lay.narrows && !seen; i++) {
            const rnd_arrow *a = &lay.arrows[i];
            if (a->ci == 1 && m.seg[a->seg].seg.flags == TCP_SYN) {
                assert_true(fabs(a->from.x - lay.lane_x[bob]) < 1e-9);
                assert_true(a->lost || fabs(a->to.x - lay.lane_x[server]) < 1e-9);
                seen = true;
            }
        }
        assert_true(seen);
    }
    /* labels name their connection; connection 1 keeps its colours, the others differ */
    for (size_t i = 0; i < lay.nlabels; i++) {
        char want[8];
        snprintf(want, sizeof want, "c%u ", lay.labels[i].ci + 1u);
        assert_memory_equal(lay.labels[i].text, want, strlen(want));
    }
    {
        rnd_rgb c0 = rnd_pen_conn(RND_ARROW_DATA, 0).color,
                c1 = rnd_pen_conn(RND_ARROW_DATA, 1).color,
                c2 = rnd_pen_conn(RND_ARROW_DATA, 2).color, d = rnd_pen_of(RND_ARROW_DATA)->color;
        assert_true(c0.r == d.r && c0.g == d.g && c0.b == d.b);
        assert_true(fabs(c0.g - c1.g) + fabs(c0.r - c1.r) > 0.2);
        assert_true(fabs(c1.g - c2.g) + fabs(c1.r - c2.r) > 0.2);
    }
    /* a legend entry per connection */
    {
        size_t n = 0;
        for (size_t i = 0; i < lay.nlegend; i++)
            if (lay.legend[i].kind >= RND_LEGEND_CONN) {
                n++;
                assert_non_null(strstr(lay.legend[i].text, "conn "));
            }
        assert_int_equal(n, 3);
    }
    /* the server's state boxes of three connections beside (or on) its lifeline, apart */
    check_boxes_apart(&lay);
    {
        size_t n = 0;
        for (size_t i = 0; i < lay.nsboxes; i++)
            n += lay.sboxes[i].lane == server && lay.sboxes[i].state == TCP_ESTABLISHED;
        assert_int_equal(n, 3);
    }
    /* the server's own calls: listen on its lane; accept(L) blocks until carol is accepted */
    {
        bool listen = false, accept_bar = false;
        for (size_t i = 0; i < lay.nnotes; i++)
            if (strcmp(lay.notes[i].text, "listen(L, 1) = 0") == 0) {
                listen = true;
                assert_int_equal(lay.notes[i].lane, server);
                assert_int_equal(lay.notes[i].ci, RND_CI_NONE);
            }
        for (size_t i = 0; i < lay.nabars; i++)
            if (lay.abars[i].call == TCP_CALL_ACCEPT) {
                accept_bar = true;
                assert_int_equal(lay.abars[i].lane, server);
                assert_int_equal(lay.abars[i].t0, 2500000);
                /* carol's cookie connection, made by her data's retransmission at 2609.25 ms
                 * (the SYN,ACK retransmitted until 3221.25 ms before SYN cookies) */
                assert_int_equal(lay.abars[i].t1, 2609250);
            }
        assert_true(listen && accept_bar);
    }
    rnd_check_invariants(&lay, &m); /* as every diagram: arrows, labels, boxes, notes */
    check_labels_clear_of_notes(&lay);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_multi_backlog_true_time(void **state)
{
    (void)state;
    check_backlog(RND_AXIS_TRUE);
}

static void test_rnd_multi_backlog_events(void **state)
{
    (void)state;
    check_backlog(RND_AXIS_EVENTS);
}

/* Connections that share their hosts share the lanes: echo-loop's three on two lifelines. */
static void test_rnd_multi_echo_loop(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    assert_int_equal(rnd_sim_trace("echo-loop", &b), 0);
    build_multi(&b, all3, 3, RND_AXIS_TRUE, &m, &lay);
    assert_int_equal(lay.nlanes, 2);
    assert_string_equal(lay.head[0], "client");
    assert_string_equal(lay.head[1], "server");
    for (size_t c = 0; c < 3; c++) {
        assert_int_equal(m.conns[c].lane[0], 0);
        assert_int_equal(m.conns[c].lane[1], 1);
        assert_int_equal(m.conns[c].track[1], c); /* own tracks for its brackets */
    }
    check_boxes_apart(&lay);
    rnd_check_invariants(&lay, &m);
    check_labels_clear_of_notes(&lay);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* Captures: eight connections of a loopback capture on two lanes (client, server by port), as
 * every diagram keeps its rules, on both axes. */
static void test_rnd_multi_captures(void **state)
{
    static const char *const names[] = {"concurrent", "concurrent-lateack"};
    static const uint32_t eight[] = {1, 2, 3, 4, 5, 6, 7, 8};
    (void)state;
    for (size_t i = 0; i < 2; i++)
        for (int axis = 0; axis < 2; axis++) {
            trace_buf b;
            rnd_model m;
            rnd_layout lay;
            char err[256];
            if (rnd_load_sample(names[i], 0, &b, err, sizeof err) != 0)
                fail_msg("%s", err);
            build_multi(&b, eight, 8, axis == 0 ? RND_AXIS_TRUE : RND_AXIS_EVENTS, &m, &lay);
            assert_int_equal(lay.nlanes, 2);
            assert_int_equal(lay.nconns, 8);
            assert_string_equal(lay.addr[0], "127.0.0.1");
            assert_string_equal(lay.addr[1], "127.0.0.1:5555");
            rnd_check_invariants(&lay, &m);
            check_boxes_apart(&lay);
            check_labels_clear_of_notes(&lay);
            rnd_layout_free(&lay);
            rnd_model_free(&m);
            trace_buf_free(&b);
        }
}

/* A packet range: every event's segment is one drawn, or none (fuzz_render found a diagram of
 * several connections reading the index of a segment left out of the range). */
static void test_rnd_multi_packet_range(void **state)
{
    static const uint32_t four[] = {1, 2, 3, 4};
    trace_buf b;
    rnd_model m;
    rnd_options o;
    char err[256];
    (void)state;
    if (rnd_load_sample("concurrent", 0, &b, err, sizeof err) != 0)
        fail_msg("%s", err);
    rnd_options_default(&o);
    for (uint64_t from = 1; from < 30; from += 7) {
        o.from_pkt = from;
        o.to_pkt = from + 12;
        if (rnd_model_build_multi(&m, &b, four, 4, &o, err, sizeof err) == 0) {
            rnd_layout lay;
            static rnd_style st;
            for (size_t i = 0; i < m.nev; i++)
                assert_true(m.ev_seg[i] == SIZE_MAX || m.ev_seg[i] < m.nseg);
            rnd_style_default(&st);
            assert_int_equal(rnd_layout_build(&lay, &m, &st, rnd_fake_measure, &st), 0);
            rnd_check_invariants(&lay, &m);
            rnd_layout_free(&lay);
        }
        rnd_model_free(&m);
        o.conn = 2; /* and one connection alone */
        {
            int rc = rnd_model_build(&m, &b, &o, err, sizeof err);
            assert_true(rc == 0 || rc == RND_EREQUEST);
        }
        for (size_t i = 0; i < m.nev; i++)
            assert_true(m.ev_seg[i] == SIZE_MAX || m.ev_seg[i] < m.nseg);
        rnd_model_free(&m);
    }
    trace_buf_free(&b);
    /* the input fuzz_render stopped on, with the options it drew it with (its size is 4938:
     * packets 3 to 11, relative numbers, true time) */
    snprintf(err, sizeof err, "%s/../tests/hostile/data/fuzz-render-multi-event-seg",
             rnd_samples_dir());
    {
        char path[300];
        snprintf(path, sizeof path, "%s", err);
        /* it breaks off at packet 6: the replay keeps what came before, as the fuzzer does */
        (void)rnd_load_pcap(path, 0, &b, err, sizeof err);
        assert_true(b.n > 0);
    }
    rnd_options_default(&o);
    o.from_pkt = 3;
    o.to_pkt = 11;
    for (size_t n = 2; n <= 4; n++) {
        int rc = rnd_model_build_multi(&m, &b, four, n, &o, err, sizeof err);
        assert_true(rc == 0 || rc == RND_EREQUEST);
        for (size_t i = 0; rc == 0 && i < m.nev; i++)
            assert_true(m.ev_seg[i] == SIZE_MAX || m.ev_seg[i] < m.nseg);
        rnd_model_free(&m);
    }
    trace_buf_free(&b);
}

/* A list with a connection the trace does not have is a request to fix, with a message. */
static void test_rnd_multi_missing_conn(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_options o;
    char err[256] = "";
    static const uint32_t bad[] = {1, 7};
    (void)state;
    rnd_options_default(&o);
    assert_int_equal(rnd_sim_trace("backlog", &b), 0);
    assert_int_equal(rnd_model_build_multi(&m, &b, bad, 2, &o, err, sizeof err), RND_EREQUEST);
    assert_string_equal(err, "nothing to draw: the trace has no connection 7");
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* The picture: a data arrow of connection 2 is drawn in connection 2's colour. */
static void test_rnd_multi_colours_in_png(void **state)
{
    const char *dir = rnd_scratch_dir();
    trace_buf b;
    rnd_built bt;
    rnd_options o;
    char path[512], err[256];
    cairo_surface_t *img;
    int checked = 0;
    (void)state;
    rnd_options_default(&o);
    o.conns = all3;
    o.nconns = 3;
    assert_int_equal(rnd_sim_trace("backlog", &b), 0);
    snprintf(path, sizeof path, "%s/backlog.png", dir);
    assert_int_equal(rnd_built_make(&bt, &b, &o, path, err, sizeof err), 0);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(img);
    for (size_t i = 0; i < bt.lay.narrows; i++) {
        const rnd_arrow *a = &bt.lay.arrows[i];
        const unsigned char *d = cairo_image_surface_get_data(img);
        int stride = cairo_image_surface_get_stride(img);
        double best = 9.0;
        rnd_rgb want = rnd_conn_rgb(a->ci);
        if (a->style != RND_ARROW_DATA || a->lost)
            continue;
        for (int dy = -2; dy <= 2; dy++) /* 60% along the line, nearest pixel in colour */
            for (int dx = -2; dx <= 2; dx++) {
                double x = a->from.x + 0.6 * (a->to.x - a->from.x) + dx;
                double y = a->from.y + 0.6 * (a->to.y - a->from.y) + dy;
                uint32_t v = *(const uint32_t *)(const void *)(d + (long)floor(y) * stride +
                                                               (long)floor(x) * 4);
                double dist = fabs(((v >> 16) & 255) / 255.0 - want.r) +
                              fabs(((v >> 8) & 255) / 255.0 - want.g) +
                              fabs((v & 255) / 255.0 - want.b);
                best = dist < best ? dist : best;
            }
        if (best > 0.35)
            fail_msg("arrow %zu of conn %u: no pixel of its colour near the line (%.2f)", i,
                     a->ci + 1u, best);
        checked += a->ci > 0;
    }
    assert_true(checked >= 4);
    cairo_surface_destroy(img);
    /* the SVG: four lifelines, and each segment's tooltip names its connection and hosts */
    snprintf(path, sizeof path, "%s/backlog.svg", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    {
        FILE *fp = fopen(path, "rb");
        static char svg[1 << 20];
        size_t n;
        assert_non_null(fp);
        n = fread(svg, 1, sizeof svg - 1, fp);
        fclose(fp);
        svg[n] = '\0';
        assert_non_null(strstr(svg, "<title>conn 2, bob \u2192 server: SYN seq=3500"));
        assert_non_null(strstr(svg, "<title>conn 3, server \u2192 carol: "));
        assert_non_null(strstr(svg, ">carol</text>"));
    }
    rnd_built_free(&bt);
    trace_buf_free(&b);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnd_multi_backlog_true_time),
        cmocka_unit_test(test_rnd_multi_backlog_events),
        cmocka_unit_test(test_rnd_multi_echo_loop),
        cmocka_unit_test(test_rnd_multi_captures),
        cmocka_unit_test(test_rnd_multi_packet_range),
        cmocka_unit_test(test_rnd_multi_missing_conn),
        cmocka_unit_test(test_rnd_multi_colours_in_png),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
