/*
 * test_rnd_layout.c - the ladder layout and the model under it, in numbers, without cairo: arrows
 * go down from sender to receiver, labels do not overlap, state boxes sit on the right lifeline at
 * the right time, long idle gaps are compressed and marked, ranges select what they say, captures
 * get relative numbers and estimated times, and PDF pages cut nothing in half.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rnd.h"
#include "rnd_check.h"
#include "rnd_simtrace.h"
#include "rnd_fixture.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_text.h"
#include "tcp_state.h"

/* ---------------------------------------------------------------- helpers */

static const rnd_note *find_note(const rnd_layout *lay, const char *text)
{
    for (size_t i = 0; i < lay->nnotes; i++)
        if (strstr(lay->notes[i].text, text) != NULL)
            return &lay->notes[i];
    return NULL;
}

/* ---------------------------------------------------------------- the loss fixture */

static void test_rnd_loss_invariants(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    assert_int_equal(m.nseg, 10);
    assert_int_equal(lay.narrows, 10);
    assert_int_equal(lay.nlabels, 10);
    rnd_check_invariants(&lay, &m);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_loss_state_boxes_on_time(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    const rnd_sbox *est, *synrcvd, *tw, *closed;
    const rnd_arrow *synack, *ack;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    /* the client is ESTABLISHED after the SYN,ACK arrives and before its ACK leaves */
    est = rnd_find_box(&lay, TRACE_CLIENT, TCP_ESTABLISHED, 0);
    synack = rnd_find_arrow(&lay, &m, TRACE_SERVER, TCP_SYN | TCP_ACK, 0);
    ack = rnd_find_arrow(&lay, &m, TRACE_CLIENT, TCP_ACK, 0);
    assert_non_null(est);
    assert_non_null(synack);
    assert_non_null(ack);
    assert_true(est->box.x < lay.lane_x[0] && est->box.x + est->box.w > lay.lane_x[0]);
    assert_true(est->cy > synack->to.y);
    assert_true(est->cy < ack->from.y);
    assert_true(est->t == 100000);
    /* the server's SYN-RECEIVED box is on the server's lifeline between SYN arrival and SYN,ACK */
    synrcvd = rnd_find_box(&lay, TRACE_SERVER, TCP_SYN_RECEIVED, 0);
    assert_non_null(synrcvd);
    assert_true(synrcvd->box.x < lay.lane_x[1] && synrcvd->box.x + synrcvd->box.w > lay.lane_x[1]);
    assert_true(synrcvd->cy > rnd_find_arrow(&lay, &m, TRACE_CLIENT, TCP_SYN, 0)->to.y);
    assert_true(synrcvd->cy < synack->from.y);
    /* TIME-WAIT then, after the break, CLOSED */
    tw = rnd_find_box(&lay, TRACE_CLIENT, TCP_TIME_WAIT, 0);
    closed = rnd_find_box(&lay, TRACE_CLIENT, TCP_CLOSED, 0);
    assert_non_null(tw);
    assert_non_null(closed);
    assert_true(closed->cy > tw->cy);
    assert_true(closed->t - tw->t == 120000000);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_loss_gap_compressed(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    const rnd_break *tw = NULL;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    /* two breaks: the 950 ms wait for the RTO and the 120 s of TIME-WAIT */
    assert_int_equal(lay.nbreaks, 2);
    for (size_t i = 0; i < lay.nbreaks; i++)
        if (lay.breaks[i].t1 - lay.breaks[i].t0 >= 119000000)
            tw = &lay.breaks[i];
    assert_non_null(tw);
    assert_true(tw->y1 - tw->y0 == lay.style.break_h);
    assert_string_equal(tw->text, "120 s later");
    /* the break text sits between the lifelines, inside the band */
    assert_true(tw->text_box.x > lay.lane_x[0] && tw->text_box.x + tw->text_box.w < lay.lane_x[1]);
    assert_true(tw->text_box.y >= tw->y0 && tw->text_box.y + tw->text_box.h <= tw->y1);
    /* 121.4 s of trace in a picture of readable height: to scale it would be 230,000 units */
    assert_true(lay.height < 2200.0);
    assert_true(lay.height > 1000.0);
    /* the time axis shows the jump */
    assert_string_equal(lay.ticks[lay.nticks - 1].text, "121300.0");
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_loss_canvas_size(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    assert_true(lay.lane_x[0] > lay.axis_x);
    assert_true(lay.lane_x[1] - lay.lane_x[0] >= lay.style.min_lanes);
    assert_true(lay.width >= lay.lane_x[1] + lay.head_box[1].w / 2);
    assert_true(lay.width == (double)(long)lay.width);
    assert_true(lay.height == (double)(long)lay.height);
    /* a handshake to scale: the SYN's arrow drops by the one-way delay (delay_px) or more */
    {
        const rnd_arrow *syn = rnd_find_arrow(&lay, &m, TRACE_CLIENT, TCP_SYN, 0);
        assert_true(syn->to.y - syn->from.y >= lay.style.delay_px - 1e-6);
        assert_true(syn->to.y - syn->from.y < 2 * lay.style.delay_px);
    }
    /* heads above the body, title above the heads */
    assert_true(lay.head_box[0].y + lay.head_box[0].h <= lay.body_y0);
    assert_true(lay.title_box.y + lay.title_box.h <= lay.head_box[0].y);
    assert_true(lay.head_box[0].x + lay.head_box[0].w / 2 == lay.lane_x[0]);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_loss_retransmission_and_timers(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    const rnd_label *retx = NULL;
    const rnd_bracket *rto_fired = NULL, *twb = NULL;
    size_t lost = 0;
    bool legend_lost = false, legend_retx = false;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    for (size_t i = 0; i < lay.nlabels; i++)
        if (lay.labels[i].style == RND_ARROW_RETX)
            retx = &lay.labels[i];
    assert_non_null(retx);
    assert_string_equal(retx->tag, "RTO retransmission, RTO 1.0 s");
    assert_string_equal(retx->text, "PSH,ACK seq=1000001 ack=3000001 len=11 win=65535");
    for (size_t i = 0; i < lay.narrows; i++)
        if (lay.arrows[i].lost) {
            const rnd_arrow *a = &lay.arrows[i];
            lost++;
            /* the cross is part-way: 55% of the way across */
            assert_true(a->to.x - lay.lane_x[0] > 0.5 * (lay.lane_x[1] - lay.lane_x[0]));
            assert_true(a->to.x - lay.lane_x[0] < 0.6 * (lay.lane_x[1] - lay.lane_x[0]));
        }
    assert_int_equal(lost, 1);
    for (size_t i = 0; i < lay.nbrackets; i++) {
        const rnd_bracket *br = &lay.brackets[i];
        if (br->timer == TCP_TIMER_RTO && br->fired)
            rto_fired = br;
        if (br->timer == TCP_TIMER_TIME_WAIT)
            twb = br;
    }
    /* the RTO ran from the write until it fired, level with the retransmission */
    assert_non_null(rto_fired);
    assert_int_equal(rto_fired->ep, TRACE_CLIENT);
    assert_true(rto_fired->x < lay.lane_x[0]);
    assert_true(rto_fired->t1 - rto_fired->t0 == 1000000);
    for (size_t i = 0; i < lay.narrows; i++)
        if (lay.arrows[i].style == RND_ARROW_RETX)
            assert_true(rto_fired->y1 == lay.arrows[i].from.y);
    /* TIME-WAIT: 2 x MSL from the TIME-WAIT box to the CLOSED box, labelled */
    assert_non_null(twb);
    assert_true(twb->fired);
    assert_true(twb->duration == 120000000);
    assert_true(twb->y0 >= rnd_find_box(&lay, TRACE_CLIENT, TCP_TIME_WAIT, 0)->cy);
    assert_true(twb->y1 == rnd_find_box(&lay, TRACE_CLIENT, TCP_CLOSED, 0)->cy);
    assert_true(twb->note < lay.nnotes);
    assert_string_equal(lay.notes[twb->note].text, "TIME-WAIT 2\u00d7MSL = 120 s");
    for (size_t i = 0; i < lay.nlegend; i++) {
        legend_lost = legend_lost || lay.legend[i].kind == RND_LEGEND_LOST;
        legend_retx = legend_retx || lay.legend[i].kind == RND_ARROW_RETX;
    }
    assert_true(legend_lost && legend_retx);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_loss_app_calls_in_margin(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    const rnd_note *n;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    n = find_note(&lay, "connect()");
    assert_non_null(n);
    assert_int_equal(n->ep, TRACE_CLIENT);
    assert_true(n->box.x + n->box.w < lay.lane_x[0]);
    n = find_note(&lay, "write(11) = 11 \"Hello, TCP!\""); /* as the socket API returns */
    assert_non_null(n);
    n = find_note(&lay, "listen()");
    assert_non_null(n);
    assert_int_equal(n->ep, TRACE_SERVER);
    assert_true(n->box.x > lay.lane_x[1]);
    assert_non_null(find_note(&lay, "read() = 11"));
    assert_non_null(find_note(&lay, "close()"));
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- captures */

static void test_rnd_capture_relative_and_estimated(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    fx_capture(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    assert_int_equal(m.conn, 3); /* the first connection with a segment is 2... */
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_capture_conn3(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    rnd_options o;
    (void)state;
    fx_capture(&b);
    rnd_options_default(&o);
    o.conn = 3;
    rnd_build_fake(&b, &o, &m, &lay);
    rnd_check_invariants(&lay, &m);
    assert_int_equal(m.nseg, 13);
    assert_true(m.relative);
    /* relative numbers from the ISNs near 2^32, across the wrap */
    assert_int_equal(m.seg[0].dseq, 0);
    assert_int_equal(m.seg[1].dseq, 0);
    assert_int_equal(m.seg[1].dack, 1);
    assert_int_equal(m.seg[4].dseq, 1449);
    assert_true(m.seg[4].seg.seq < 2000); /* wrapped on the wire */
    /* near the client: its sends at capture time, the server's one-way delay earlier */
    assert_true(m.seg[0].t_send == 0);
    assert_true(m.seg[0].t_arr[0] == 12000);
    assert_true(m.seg[1].t_send == 24000 - 12000);
    assert_true(m.seg[1].t_arr[0] == 24000);
    /* the packet lost after the capture point */
    assert_true(m.seg[4].lost);
    assert_int_equal(m.seg[4].n_arr, 0);
    /* dup ACK with its SACK block in relative numbers, and the fast retransmission */
    assert_string_equal(m.seg[7].tag, "dup ACK 1, SACK 2897-4345");
    assert_string_equal(m.seg[8].tag, "fast retransmission");
    /* the server's state changes move with the packets that caused them */
    assert_true(rnd_find_box(&lay, TRACE_SERVER, TCP_SYN_RECEIVED, 0)->t == 12000);
    assert_non_null(strstr(m.footnote, "estimated"));
    assert_non_null(strstr(m.footnote, "near the client"));
    assert_true(lay.nfoot >= 1);
    assert_non_null(strstr(m.title, "connection 3"));
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_capture_absolute_on_request(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_options o;
    char err[128];
    (void)state;
    fx_capture(&b);
    rnd_options_default(&o);
    o.conn = 3;
    o.seq = RND_SEQ_ABSOLUTE;
    assert_int_equal(rnd_model_build(&m, &b, &o, err, sizeof err), 0);
    assert_false(m.relative);
    assert_true(m.seg[0].dseq == 4294967000u);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- selections */

static void test_rnd_time_range_starts_mid_connection(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    rnd_options o;
    (void)state;
    fx_loss(&b);
    rnd_options_default(&o);
    o.from_us = 1000000;
    o.to_us = 1350000;
    rnd_build_fake(&b, &o, &m, &lay);
    rnd_check_invariants(&lay, &m);
    assert_true(m.partial);
    assert_int_equal(m.init_state[0], TCP_ESTABLISHED);
    assert_int_equal(m.init_state[1], TCP_ESTABLISHED);
    assert_true(rnd_find_box(&lay, TRACE_CLIENT, TCP_ESTABLISHED, 0)->initial);
    /* the retransmission still knows the RTO that was armed before the range */
    assert_string_equal(m.seg[0].tag, "RTO retransmission, RTO 1.0 s");
    /* and the RTO bracket runs in from the top */
    assert_true(lay.nbrackets > 0);
    assert_true(lay.brackets[0].open_start);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_packet_range(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_options o;
    char err[128];
    (void)state;
    fx_loss(&b);
    rnd_options_default(&o);
    o.from_pkt = 2;
    o.to_pkt = 3;
    assert_int_equal(rnd_model_build(&m, &b, &o, err, sizeof err), 0);
    assert_int_equal(m.nseg, 2);
    assert_true(m.seg[0].id == 2 && m.seg[1].id == 3);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_empty_selection_is_a_bad_request(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_options o;
    char err[160] = "";
    (void)state;
    fx_loss(&b);
    rnd_options_default(&o);
    o.from_us = 200000000;
    assert_int_equal(rnd_model_build(&m, &b, &o, err, sizeof err), RND_EREQUEST);
    assert_non_null(strstr(err, "nothing to draw"));
    rnd_options_default(&o);
    o.conn = 9;
    assert_int_equal(rnd_model_build(&m, &b, &o, err, sizeof err), RND_EREQUEST);
    assert_non_null(strstr(err, "connection 9"));
    rnd_options_default(&o);
    o.from_pkt = 500;
    assert_int_equal(rnd_model_build(&m, &b, &o, err, sizeof err), RND_EREQUEST);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- zero window, bulk, pages */

static void test_rnd_zero_window_marked(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    size_t zw = 0, probes = 0, persist = 0;
    (void)state;
    fx_zerowin(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    rnd_check_invariants(&lay, &m);
    for (size_t i = 0; i < m.nseg; i++) {
        zw += strstr(m.seg[i].tag, "zero window") != NULL;
        probes += strstr(m.seg[i].tag, "zero-window probe") != NULL;
        if (m.seg[i].tag[0] != '\0' && strstr(m.seg[i].tag, "window update") == NULL)
            assert_int_equal(m.seg[i].style, RND_ARROW_ZWIN);
    }
    assert_int_equal(zw, 2);
    assert_int_equal(probes, 1);
    for (size_t i = 0; i < lay.nbrackets; i++)
        if (lay.brackets[i].timer == TCP_TIMER_PERSIST) {
            persist++;
            /* its own track, further out than the RTO's */
            assert_true(lay.brackets[i].x < lay.lane_x[0] - 1.0);
        }
    assert_int_equal(persist, 2);
    assert_non_null(find_note(&lay, "persist 1.0 s"));
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_bulk_same_instant_sends_get_own_rows(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    /* the server sends its ACK and its FIN at the same microsecond: two rows, two labels */
    {
        const rnd_arrow *a = rnd_find_arrow(&lay, &m, TRACE_SERVER, TCP_ACK, 1);
        const rnd_arrow *f = rnd_find_arrow(&lay, &m, TRACE_SERVER, TCP_FIN | TCP_ACK, 0);
        assert_true(m.seg[a->seg].t_send == m.seg[f->seg].t_send);
        assert_true(f->from.y - a->from.y >= lay.labels[f->label].box.h);
        assert_false(rnd_rect_overlap(&lay.labels[a->label].box, &lay.labels[f->label].box, 0));
    }
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_pages(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    double page_h;
    (void)state;
    fx_bulk(&b, 1500);
    rnd_build_fake(&b, NULL, &m, &lay);
    rnd_check_invariants(&lay, &m);
    page_h = lay.width * 1.4142;
    assert_int_equal(rnd_layout_paginate(&lay, page_h), 0);
    assert_true(lay.npages > 5);
    assert_true(lay.pages[0].y0 == 0.0);
    assert_false(lay.pages[0].heads);
    assert_true(lay.pages[lay.npages - 1].y1 == lay.height);
    for (size_t p = 0; p < lay.npages; p++) {
        const rnd_page *pg = &lay.pages[p];
        double top = pg->y0 + pg->dy; /* where the band starts on the page */
        assert_true(pg->y1 > pg->y0);
        assert_true(top + (pg->y1 - pg->y0) <= page_h + 1e-6);
        if (p > 0) {
            assert_true(pg->y0 == lay.pages[p - 1].y1);
            assert_true(pg->heads);
            assert_true(top >= lay.head_h);
        }
        /* no label, state box or note is cut by the page's lower edge */
        for (size_t i = 0; i < lay.nlabels; i++) {
            const rnd_rect *r = &lay.labels[i].box;
            assert_false(r->y < pg->y1 && r->y + r->h > pg->y1);
        }
        for (size_t i = 0; i < lay.nsboxes; i++) {
            const rnd_rect *r = &lay.sboxes[i].box;
            assert_false(r->y < pg->y1 && r->y + r->h > pg->y1);
        }
    }
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_y_of_time_monotonic(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    double last = -1.0;
    (void)state;
    fx_loss(&b);
    rnd_build_fake(&b, NULL, &m, &lay);
    for (int64_t t = 0; t < 122000000; t += 7919) {
        double y = rnd_layout_y_of(&lay, t);
        assert_true(y >= last);
        last = y;
    }
    assert_true(rnd_layout_y_of(&lay, 50000) == rnd_find_arrow(&lay, &m, 0, TCP_SYN, 0)->to.y);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_text_formats(void **state)
{
    char buf[64];
    rnd_mseg s;
    (void)state;
    assert_string_equal(rnd_fmt_duration(850, buf, sizeof buf), "850 us");
    assert_string_equal(rnd_fmt_duration(1500, buf, sizeof buf), "1.5 ms");
    assert_string_equal(rnd_fmt_duration(200000, buf, sizeof buf), "200 ms");
    assert_string_equal(rnd_fmt_duration(1000000, buf, sizeof buf), "1.0 s");
    assert_string_equal(rnd_fmt_duration(120000000, buf, sizeof buf), "120 s");
    assert_string_equal(rnd_fmt_ms(50000, 1, buf, sizeof buf), "50.0");
    assert_string_equal(rnd_fmt_bytes(29200, buf, sizeof buf), "29.2k");
    memset(&s, 0, sizeof s);
    s.seg.flags = TCP_SYN | TCP_ACK;
    s.dseq = 0;
    s.dack = 1;
    s.seg.win = 65535;
    assert_string_equal(rnd_fmt_seg(&s, buf, sizeof buf), "SYN,ACK seq=0 ack=1 win=65535");
    s.seg.flags = TCP_PSH | TCP_ACK;
    s.seg.len = 11;
    assert_string_equal(rnd_fmt_seg(&s, buf, sizeof buf), "PSH,ACK seq=0 ack=1 len=11 win=65535");
    /* a datagram: its offset in the flow and its length, no TCP fields */
    memset(&s, 0, sizeof s);
    s.seg.tags = TCP_TAG_DATAGRAM;
    s.seg.seq = 12;
    s.seg.len = 6;
    assert_string_equal(rnd_fmt_seg(&s, buf, sizeof buf), "UDP off=12 len=6");
}

/* The legend names what the diagram draws: a UDP flow's arrows are datagrams, and it has no ACK;
 * a TCP connection's are data, SYN, FIN and ACK. */
static void legend_texts(const char *scenario, char *out, size_t size)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    assert_int_equal(rnd_sim_trace(scenario, &b), 0);
    rnd_options o;
    rnd_options_default(&o);
    o.conn = RND_CONN_FIRST;
    rnd_build_fake(&b, &o, &m, &lay);
    out[0] = '\0';
    for (size_t i = 0; i < lay.nlegend; i++) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", i ? "|" : "", lay.legend[i].text);
    }
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_legend_of_datagrams(void **state)
{
    char got[512];
    (void)state;
    legend_texts("udp", got, sizeof got);
    assert_string_equal(got, "datagram|lost|call blocked");
    legend_texts("handshake", got, sizeof got);
    assert_string_equal(got, "data, SYN, FIN|ACK|state|timer running");
}

int main(void)
{
    rnd_check_axis = RND_AXIS_EVENTS; /* this file pins the event-row layout (--time-axis events) */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnd_loss_invariants),
        cmocka_unit_test(test_rnd_legend_of_datagrams),
        cmocka_unit_test(test_rnd_loss_state_boxes_on_time),
        cmocka_unit_test(test_rnd_loss_gap_compressed),
        cmocka_unit_test(test_rnd_loss_canvas_size),
        cmocka_unit_test(test_rnd_loss_retransmission_and_timers),
        cmocka_unit_test(test_rnd_loss_app_calls_in_margin),
        cmocka_unit_test(test_rnd_capture_relative_and_estimated),
        cmocka_unit_test(test_rnd_capture_conn3),
        cmocka_unit_test(test_rnd_capture_absolute_on_request),
        cmocka_unit_test(test_rnd_time_range_starts_mid_connection),
        cmocka_unit_test(test_rnd_packet_range),
        cmocka_unit_test(test_rnd_empty_selection_is_a_bad_request),
        cmocka_unit_test(test_rnd_zero_window_marked),
        cmocka_unit_test(test_rnd_bulk_same_instant_sends_get_own_rows),
        cmocka_unit_test(test_rnd_pages),
        cmocka_unit_test(test_rnd_y_of_time_monotonic),
        cmocka_unit_test(test_rnd_text_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
