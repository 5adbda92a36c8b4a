/*
 * test_rnd_capture.c - ladder diagrams of captures, in numbers: every arrow goes down by at least
 * the minimum slant however small the one-way delay (10 us, or unknown), no arrival is drawn after
 * its receiver's answer, losses end in a cross and their retransmissions have their own style,
 * the replay's state corrections are followed (wrong states left out, a marked box), assumed
 * start states, duplicate frames, titles; on hand-built loopback traces and on the real Linux
 * captures in samples/ (replayed with capture/).
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
#include "rnd_fixture.h"
#include "rnd_json.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_pcap.h"
#include "rnd_probe.h"
#include "rnd_tseq.h"
#include "tcp_state.h"

/* ---------------------------------------------------------------- helpers */

static void load(const char *name, uint32_t conn, trace_buf *b)
{
    char err[512];
    if (rnd_load_sample(name, conn, b, err, sizeof err) != 0)
        fail_msg("%s", err);
}

/* Model and layout with the fake measure, invariants and the probe checked. */
static void build(const trace_buf *b, rnd_model *m, rnd_layout *lay)
{
    rnd_options o;
    rnd_options_default(&o);
    if (b->n > 0)
        o.conn = b->ev[0].conn;
    rnd_build_fake(b, &o, m, lay);
    rnd_check_invariants(lay, m);
    assert_int_equal(rnd_probe(lay, m, stderr, 20), 0);
}

static size_t count_boxes(const rnd_layout *lay, int ep, int state)
{
    size_t n = 0;
    for (size_t i = 0; i < lay->nsboxes; i++)
        if (lay->sboxes[i].ep == ep && lay->sboxes[i].state == state)
            n++;
    return n;
}

static const rnd_mseg *seg_of(const rnd_model *m, const rnd_arrow *a)
{
    return &m->seg[a->seg];
}

/* Arrows go down by the minimum slant at least (a lost one over the lanes' full width). */
static void assert_arrows_down(const rnd_layout *lay)
{
    for (size_t i = 0; i < lay->narrows; i++) {
        const rnd_arrow *a = &lay->arrows[i];
        if (lay->axis == RND_AXIS_TRUE) { /* true time: never up (flat when no delay) */
            if (a->y_end < a->from.y - a->fan_from - 1e-9)
                fail_msg("arrow %zu goes up", i);
            continue;
        }
        double drop = a->to.y - a->from.y, dx = a->to.x - a->from.x;
        if (a->lost)
            drop *= (lay->lane_x[1] - lay->lane_x[0]) / (dx < 0 ? -dx : dx);
        if (drop < lay->style.min_slant - 1e-9)
            fail_msg("arrow %zu drops %.2f < %.2f", i, drop, lay->style.min_slant);
    }
}

/* No segment arrives after a segment its receiver sent later in the capture to answer it (its
 * ACK covers the segment), in time and on the diagram: an answer never leaves before what it
 * answers has arrived.  Packets that do not answer each other may cross. */
static void assert_causal(const rnd_model *m, const rnd_layout *lay)
{
    for (size_t k = 0; k < m->nseg; k++) {
        const rnd_mseg *s = &m->seg[k];
        const rnd_arrow *a = NULL;
        if (s->n_arr == 0)
            continue;
        for (size_t i = 0; i < lay->narrows; i++)
            if (lay->arrows[i].seg == k)
                a = &lay->arrows[i];
        for (size_t j = k + 1; j < m->nseg; j++) {
            const rnd_mseg *r = &m->seg[j];
            uint32_t len = tcp_seg_seqlen(&s->seg);
            if (r->ep != 1 - s->ep || r->t_cap <= s->t_cap || len == 0 ||
                !(r->seg.flags & TCP_ACK) || (int32_t)(r->seg.ack - (s->seg.seq + len)) < 0)
                continue;
            assert_true(s->t_arr[0] <= r->t_send);
            for (size_t i = 0; i < lay->narrows; i++)
                if (lay->arrows[i].seg == j)
                    assert_true(a->to.y <= lay->arrows[i].from.y + 1e-9);
        }
    }
}

/* The diagram of a capture draws the replay's own times (issue 10): each packet leaves at its
 * send event's t and arrives at its recv event's t, except the far end's packets that the replay
 * stamped before the handshake placed the capture point (one one-way delay earlier), and the
 * replay's times are causal: no answer leaves before what it answers arrived.  concurrent-lateack
 * is a loopback capture whose far end answers sooner than the handshake's delay: with the
 * handshake's 54 us, the client's ACK of the server's data would have left at 736 us, before that
 * data was captured at 781 us; the replay splits the 9 us to the ACK's capture in two legs. */
static void assert_draws_trace_times(const trace_buf *b, const rnd_model *m)
{
    for (size_t k = 0; k < m->nseg; k++) {
        const rnd_mseg *s = &m->seg[k];
        const trace_event *snd = &b->ev[s->ev_send];
        bool early = b->meta.vantage == 1 - s->ep && snd->t == snd->t_capture;
        if (!early)
            assert_int_equal(s->t_send, (int64_t)snd->t);
        else
            assert_int_equal(s->t_send, (int64_t)snd->t - (int64_t)m->one_way);
        if (s->n_arr > 0 && s->ev_arr[0] != SIZE_MAX && s->t_arr[0] > s->t_send)
            assert_int_equal(s->t_arr[0], (int64_t)b->ev[s->ev_arr[0]].t);
    }
}

/* The layout JSON numbers a capture's events as the --json lines of the connection: the
 * replay's recv events (in the trace the diagram draws, not in --json) are not counted. */
static void assert_json_events_are_lines(const trace_buf *b, const rnd_model *m,
                                         const rnd_layout *lay)
{
    char *buf = rnd_json_of(lay, m);
    const rnd_mseg *s = &m->seg[lay->arrows[0].seg];
    size_t line = 0;
    for (size_t i = 0; i < s->ev_send; i++)
        line += b->ev[i].kind != TRACE_RECV;
    char want[96];
    snprintf(want, sizeof want, "\"send_event\":%zu,\"recv_event\":null,", line);
    if (strstr(buf, want) == NULL)
        fail_msg("first arrow: expected %s", want);
    free(buf);
}

static void test_rnd_sample_draws_replay_times(void **state)
{
    /* samples/ (loopback: one is placed at the server) and the kernel captures of
     * tests/replay/data, taken at the client and at the server of a 50 ms path */
    static const char *const names[] = {
        "samples/concurrent-lateack.pcap",       "tests/replay/data/idle-client.pcap",
        "tests/replay/data/idle-server.pcap",    "tests/replay/data/jitter-client.pcap",
        "tests/replay/data/jitter-server.pcap",  "tests/replay/data/srvfirst-client.pcap",
        "tests/replay/data/srvfirst-server.pcap"};
    (void)state;
    size_t arrivals = 0, early = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        trace_buf b;
        rnd_model m;
        rnd_layout lay;
        char path[1024], err[512];
        snprintf(path, sizeof path, "%s/../%s", rnd_samples_dir(), names[i]);
        if (rnd_load_pcap(path, 1, &b, err, sizeof err) != 0)
            fail_msg("%s", err);
        build(&b, &m, &lay);
        assert_true(b.meta.vantage != TRACE_VANTAGE_UNKNOWN);
        assert_draws_trace_times(&b, &m);
        assert_causal(&m, &lay);
        assert_json_events_are_lines(&b, &m, &lay);
        for (size_t k = 0; k < m.nseg; k++) {
            arrivals += m.seg[k].ev_arr[0] != SIZE_MAX;
            early += m.seg[k].t_send < 0;
        }
        if (strstr(names[i], "concurrent-lateack") != NULL) {
            /* the client's ACK of the server's first data segment (captured at 781 and 790 us) */
            size_t n = 0;
            for (size_t k = 0; k < m.nseg; k++) {
                const rnd_mseg *s = &m.seg[k];
                if (s->ep == TRACE_CLIENT && s->seg.len == 0 && s->dack == 1449 &&
                    s->seg.flags == TCP_ACK) {
                    assert_int_equal(s->t_cap, 790);
                    assert_int_equal(s->t_send, 785); /* 781 + (790 - 781) / 2 */
                    n++;
                }
            }
            assert_int_equal(n, 1);
        }
        rnd_layout_free(&lay);
        rnd_model_free(&m);
        trace_buf_free(&b);
    }
    assert_true(arrivals > 100); /* the replay's recv events were there to draw */
    assert_int_equal(early, 4);  /* the SYNs seen at the server left 50 ms before (and lateack's) */
}

/* ---------------------------------------------------------------- tiny and unknown delays */

static void test_rnd_loopback_10us_arrows_down(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    fx_loopback(&b, 10, true, false);
    build(&b, &m, &lay);
    assert_int_equal(m.nseg, 17);
    assert_arrows_down(&lay);
    assert_causal(&m, &lay);
    /* the handshake's estimate is kept where nothing answers sooner: the SYN arrives 5 us after
     * its capture (capture point unknown: the middle) */
    assert_true(m.seg[0].t_send == -5 && m.seg[0].t_arr[0] == 5);
    assert_true(m.shortened); /* the ACKs came within the estimate */
    assert_non_null(strstr(m.footnote, "shortened"));
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_loopback_zero_delay_arrows_down(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    fx_loopback(&b, 0, true, false);
    build(&b, &m, &lay);
    assert_arrows_down(&lay);
    assert_causal(&m, &lay);
    for (size_t k = 0; k < m.nseg; k++) /* drawn from the capture time */
        assert_true(m.seg[k].t_send == m.seg[k].t_cap && m.seg[k].t_arr[0] == m.seg[k].t_cap);
    assert_non_null(strstr(m.footnote, "unknown"));
    /* what an arrival causes is drawn below that arrival, even in the same microsecond */
    {
        const rnd_arrow *fin = rnd_find_arrow(&lay, &m, TRACE_CLIENT, TCP_FIN | TCP_ACK, 0);
        const rnd_sbox *cw = rnd_find_box(&lay, TRACE_SERVER, TCP_CLOSE_WAIT, 0);
        const rnd_sbox *fw1 = rnd_find_box(&lay, TRACE_CLIENT, TCP_FIN_WAIT_1, 0);
        assert_non_null(fin);
        assert_non_null(cw);
        assert_true(cw->cy > fin->to.y);
        assert_true(fw1->cy <= fin->from.y); /* and what sending causes, not below the send */
    }
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_loopback_render_all_formats(void **state)
{
    static const char *const ext[] = {"png", "svg", "pdf"};
    const char *dir = rnd_scratch_dir();
    char path[512], err[256], cmd[300];
    (void)state;
    for (int variant = 0; variant < 3; variant++) {
        trace_buf b;
        fx_loopback(&b, variant == 0 ? 10 : 0, variant != 2, variant == 2);
        for (int i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/lo%d.%s", dir, variant, ext[i]);
            if (rnd_write_ladder(&b, NULL, path, err, sizeof err) != 0)
                fail_msg("%s", err);
        }
        trace_buf_free(&b);
    }
    assert_int_equal(rnd_count_files(dir, "lo"), 9);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---------------------------------------------------------------- mid-connection, duplicates */

static void test_rnd_mid_connection_assumed_states(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    fx_loopback(&b, 0, false, true);
    build(&b, &m, &lay);
    assert_arrows_down(&lay);
    for (int ep = 0; ep < 2; ep++) {
        const rnd_sbox *est = rnd_find_box(&lay, ep, TCP_ESTABLISHED, 0);
        assert_int_equal(m.init_state[ep], TCP_ESTABLISHED);
        assert_true(m.init_assumed[ep]);
        assert_non_null(est);
        assert_true(est->initial);
        assert_string_equal(est->caption, "assumed");
        assert_true(est->caption_box.y >= est->box.y + est->box.h);
        assert_true(est->box.y + est->box.h + est->caption_box.h <= lay.rows[0].y);
    }
    /* the three frames captured twice are counted, not drawn */
    assert_int_equal(m.ndupframes, 3);
    for (size_t k = 0; k < m.nseg; k++)
        assert_int_not_equal(m.seg[k].style, RND_ARROW_DUPFRAME);
    {
        bool listed = false;
        for (size_t i = 0; i < lay.nlegend; i++)
            if (lay.legend[i].kind == RND_ARROW_DUPFRAME &&
                strstr(lay.legend[i].text, "3 duplicate frames") != NULL)
                listed = true;
        assert_true(listed);
    }
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- the samples */

static void test_rnd_sample_titles(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    load("clean", 1, &b);
    build(&b, &m, &lay);
    assert_string_equal(m.title, "samples/clean.pcap, connection 1");
    assert_string_equal(lay.title, "samples/clean.pcap, connection 1");
    /* the listener is the replay's assumption: a dashed box at the top, captioned */
    assert_int_equal(count_boxes(&lay, TRACE_SERVER, TCP_LISTEN), 1);
    assert_true(rnd_find_box(&lay, TRACE_SERVER, TCP_LISTEN, 0)->initial);
    assert_string_equal(rnd_find_box(&lay, TRACE_SERVER, TCP_LISTEN, 0)->caption, "assumed");
    assert_arrows_down(&lay);
    assert_causal(&m, &lay);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static bool seg_answers(const rnd_mseg *r, const rnd_mseg *s)
{
    uint32_t len = tcp_seg_seqlen(&s->seg);
    return r->ep == 1 - s->ep && len > 0 && (r->seg.flags & TCP_ACK) &&
           (int32_t)(r->seg.ack - (s->seg.seq + len)) >= 0;
}

/* A segment's delay is shortened below the handshake's estimate only by a packet that answers it
 * or that it answers (issue 10): a packet the other way that only crosses it does not. */
static void assert_shortened_by_answers(const rnd_model *m)
{
    for (size_t k = 0; k < m->nseg; k++) {
        const rnd_mseg *s = &m->seg[k];
        if (s->style == RND_ARROW_DUPFRAME || s->n_arr == 0 ||
            (double)(s->t_arr[0] - s->t_send) >= (double)m->one_way - 2.0)
            continue;
        bool bound = false;
        for (size_t j = 0; j < m->nseg && !bound; j++) {
            const rnd_mseg *r = &m->seg[j];
            int64_t gap = r->t_cap > s->t_cap ? r->t_cap - s->t_cap : s->t_cap - r->t_cap;
            if (gap > 2 * (int64_t)m->one_way + 2)
                continue;
            bound = (r->t_cap >= s->t_cap && seg_answers(r, s)) ||
                    (r->t_cap <= s->t_cap && seg_answers(s, r));
        }
        if (!bound)
            fail_msg("segment %zu (seq %u) shortened to %lld us of %llu without an answer", k,
                     s->seg.seq, (long long)(s->t_arr[0] - s->t_send),
                     (unsigned long long)m->one_way);
    }
}

static void test_rnd_sample_every_one_clean_layout(void **state)
{
    static const char *const names[] = {"clean",       "loss",      "synloss", "refused",
                                        "serverclose", "halfclose", "ipv6",    "finloss",
                                        "lastackloss", "zerowindow"};
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        trace_buf b;
        rnd_model m;
        rnd_layout lay;
        load(names[i], 1, &b);
        build(&b, &m, &lay);
        assert_arrows_down(&lay);
        assert_causal(&m, &lay);
        assert_shortened_by_answers(&m);
        rnd_layout_free(&lay);
        rnd_model_free(&m);
        trace_buf_free(&b);
    }
}

static void test_rnd_sample_concurrent_same_millisecond(void **state)
{
    (void)state;
    for (uint32_t conn = 1; conn <= 12; conn++) {
        trace_buf b;
        rnd_model m;
        rnd_layout lay;
        load("concurrent", conn, &b);
        build(&b, &m, &lay); /* labels, ticks, boxes: no overlap (the probe) */
        assert_arrows_down(&lay);
        assert_int_equal(m.conn, conn);
        /* distinct times keep distinct axis labels, in order, none on top of another */
        for (size_t i = 1; i < lay.nticks; i++) {
            assert_true(lay.ticks[i].box.y >= lay.ticks[i - 1].box.y + lay.ticks[i - 1].box.h);
            assert_string_not_equal(lay.ticks[i].text, lay.ticks[i - 1].text);
        }
        rnd_layout_free(&lay);
        rnd_model_free(&m);
        trace_buf_free(&b);
    }
}

static void test_rnd_sample_finloss(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    const rnd_arrow *fin, *retx;
    const rnd_sbox *cw;
    (void)state;
    load("finloss", 1, &b);
    build(&b, &m, &lay);
    /* the client's FIN is lost after the capture point: a cross between the lifelines */
    fin = rnd_find_arrow(&lay, &m, TRACE_CLIENT, TCP_FIN | TCP_ACK, 0);
    retx = rnd_find_arrow(&lay, &m, TRACE_CLIENT, TCP_FIN | TCP_ACK, 1);
    assert_non_null(fin);
    assert_non_null(retx);
    assert_true(fin->lost);
    assert_true(fin->to.x > lay.lane_x[0] + 20 && fin->to.x < lay.lane_x[1] - 20);
    /* its retransmission in its own style and tag, arriving */
    assert_false(retx->lost);
    assert_int_equal(retx->style, RND_ARROW_RETX);
    assert_true(retx->to.x == lay.lane_x[1]);
    assert_non_null(strstr(seg_of(&m, retx)->tag, "retransmission after"));
    /* the server enters CLOSE-WAIT when the retransmission arrives, not on the lost FIN */
    assert_int_equal(count_boxes(&lay, TRACE_SERVER, TCP_CLOSE_WAIT), 1);
    cw = rnd_find_box(&lay, TRACE_SERVER, TCP_CLOSE_WAIT, 0);
    assert_true(cw->cy > retx->to.y);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_sample_synloss(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    const rnd_arrow *syn, *retx;
    (void)state;
    load("synloss", 1, &b);
    build(&b, &m, &lay);
    syn = rnd_find_arrow(&lay, &m, TRACE_CLIENT, TCP_SYN, 0);
    retx = rnd_find_arrow(&lay, &m, TRACE_CLIENT, TCP_SYN, 1);
    assert_true(syn->lost);
    assert_int_equal(retx->style, RND_ARROW_RETX);
    /* with the options the SYN offers */
    assert_string_equal(seg_of(&m, retx)->tag,
                        "retransmission after 1.0 s, mss 1460, wscale 10, sackOK, TS");
    /* the delay comes from the handshake that completed, not from the lost SYN */
    assert_true(m.one_way > 0 && m.one_way < 1000);
    /* SYN-RECEIVED where the retransmitted SYN arrives; the RTO is a compressed break */
    assert_int_equal(count_boxes(&lay, TRACE_SERVER, TCP_SYN_RECEIVED), 1);
    assert_true(rnd_find_box(&lay, TRACE_SERVER, TCP_SYN_RECEIVED, 0)->cy > retx->to.y);
    assert_true(lay.nbreaks >= 1 && lay.breaks[0].y0 > syn->to.y);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_sample_lastackloss_correction(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    const rnd_arrow *fin, *fin2, *ack = NULL;
    const rnd_sbox *corr;
    (void)state;
    load("lastackloss", 1, &b);
    build(&b, &m, &lay);
    fin = rnd_find_arrow(&lay, &m, TRACE_SERVER, TCP_FIN | TCP_ACK, 0);
    fin2 = rnd_find_arrow(&lay, &m, TRACE_SERVER, TCP_FIN | TCP_ACK, 1);
    assert_non_null(fin2);
    /* the client's last ACK before the retransmission: the replay's correction says it did not
     * arrive, so it ends in a cross */
    for (size_t i = 0; i < lay.narrows; i++) {
        const rnd_mseg *s = seg_of(&m, &lay.arrows[i]);
        if (s->ep == TRACE_CLIENT && s->seg.flags == TCP_ACK &&
            lay.arrows[i].from.y > fin->from.y && lay.arrows[i].from.y < fin2->from.y)
            ack = &lay.arrows[i];
    }
    assert_non_null(ack);
    assert_true(ack->lost);
    /* the wrong CLOSED is left out: the server closes once, at the end */
    assert_int_equal(m.omitted, 1);
    assert_int_equal(count_boxes(&lay, TRACE_SERVER, TCP_CLOSED), 1);
    assert_true(rnd_find_box(&lay, TRACE_SERVER, TCP_CLOSED, 0)->cy > fin2->from.y);
    /* the correction: a marked LAST-ACK box at the retransmission */
    corr = rnd_find_box(&lay, TRACE_SERVER, TCP_LAST_ACK, 1);
    assert_non_null(corr);
    assert_true(corr->corrected);
    assert_string_equal(corr->caption, "corrected");
    assert_true(corr->cy <= fin2->from.y && corr->cy > ack->from.y);
    /* the retransmission: its own style, and not "spurious" (the ACK that seemed to make it so
     * never arrived) */
    assert_int_equal(fin2->style, RND_ARROW_RETX);
    assert_null(strstr(seg_of(&m, fin2)->tag, "spurious"));
    assert_non_null(strstr(seg_of(&m, fin2)->tag, "retransmission"));
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_sample_refused_correction_loses_nothing(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    (void)state;
    load("refused", 1, &b);
    build(&b, &m, &lay);
    assert_int_equal(m.nseg, 2);
    for (size_t i = 0; i < lay.narrows; i++)
        assert_false(lay.arrows[i].lost); /* the SYN arrived; nobody listened */
    assert_int_equal(count_boxes(&lay, TRACE_SERVER, TCP_LISTEN), 0);
    assert_int_equal(count_boxes(&lay, TRACE_SERVER, TCP_SYN_RECEIVED), 0);
    assert_true(rnd_find_box(&lay, TRACE_SERVER, TCP_CLOSED, 0)->corrected);
    assert_arrows_down(&lay);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

static void test_rnd_sample_loss_sack_and_fast_retransmissions(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    size_t lost = 0, fast = 0, sack = 0;
    (void)state;
    load("loss", 1, &b);
    build(&b, &m, &lay);
    for (size_t i = 0; i < lay.narrows; i++) {
        const rnd_mseg *s = seg_of(&m, &lay.arrows[i]);
        lost += lay.arrows[i].lost;
        if (strstr(s->tag, "fast retransmission") != NULL) {
            fast++;
            assert_int_equal(lay.arrows[i].style, RND_ARROW_RETX);
        }
        sack += strstr(s->tag, "SACK ") != NULL;
    }
    assert_int_equal(lost, 5); /* as many as the kernel's retransmissions (test_replay_samples) */
    assert_true(fast >= 1);
    assert_true(sack >= 1);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* The zero-window sample's one retransmission is a tail loss probe whose first copy arrived: the
 * replay first infers a loss, then the receiver's D-SACK takes it back, and the diagram must not
 * draw the first copy as lost. */
static void test_rnd_sample_zerowindow_dsack_takes_loss_back(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    size_t drops = 0, notes = 0;
    (void)state;
    load("zerowindow", 1, &b);
    for (size_t i = 0; i < b.n; i++) {
        drops += b.ev[i].kind == TRACE_DROP;
        notes += b.ev[i].kind == TRACE_NOTE && b.ev[i].id != 0;
    }
    assert_int_equal(drops, 1); /* the trace keeps both: the inference, then its correction */
    assert_int_equal(notes, 1);
    build(&b, &m, &lay);
    for (size_t i = 0; i < lay.narrows; i++)
        assert_false(lay.arrows[i].lost);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- time-sequence graphs */

static void test_rnd_tseq_sample_loss(void **state)
{
    trace_buf b;
    rnd_tseq g;
    char err[200];
    size_t retx = 0, lost = 0, sack = 0;
    (void)state;
    load("loss", 1, &b);
    assert_int_equal(rnd_tseq_build(&g, &b, NULL, err, sizeof err), 0);
    for (size_t i = 0; i < g.nbars; i++) {
        const rnd_tbar *t = &g.bars[i];
        retx += t->kind == RND_TBAR_RETX;
        lost += t->lost;
        sack += t->kind == RND_TBAR_SACK;
        assert_true(t->s1 > t->s0);
        assert_true(t->t >= g.t0 && t->t <= g.t1);
    }
    assert_true(retx >= 1 && lost >= 1 && sack >= 1);
    assert_true(g.has_retx && g.has_lost && g.has_sack);
    assert_int_equal(g.nzwin, 0);
    /* the axis starts at the capture's start, not at an estimate a few microseconds before */
    assert_true(g.t0 >= 0.0);
    assert_true(g.nxt >= 3 && g.nyt >= 3);
    assert_non_null(strstr(g.title, "samples/loss.pcap, connection 1"));
    rnd_tseq_free(&g);
    trace_buf_free(&b);
}

static void test_rnd_tseq_sample_zero_window(void **state)
{
    trace_buf b;
    rnd_tseq g;
    char err[200];
    (void)state;
    load("zerowindow", 1, &b);
    assert_int_equal(rnd_tseq_build(&g, &b, NULL, err, sizeof err), 0);
    assert_int_equal(g.dir, TRACE_CLIENT);
    /* the window is closed from the first zero-window ACK (about 45 ms) to the window update
     * (about 2 s), at the ACK line's height */
    assert_int_equal(g.nzwin, 1);
    assert_true(g.zwin[0].t0 > 40.0 && g.zwin[0].t0 < 50.0);
    assert_true(g.zwin[0].t1 > 1990.0 && g.zwin[0].t1 < 2010.0);
    assert_true(g.zwin[0].v >= g.s0 && g.zwin[0].v <= g.s1);
    for (size_t i = 0; i < g.nack; i++)
        if (g.ack[i].t > g.zwin[0].t0 && g.ack[i].t < g.zwin[0].t1)
            assert_true(g.ack[i].v == g.zwin[0].v);
    rnd_tseq_free(&g);
    trace_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnd_loopback_10us_arrows_down),
        cmocka_unit_test(test_rnd_loopback_zero_delay_arrows_down),
        cmocka_unit_test(test_rnd_loopback_render_all_formats),
        cmocka_unit_test(test_rnd_mid_connection_assumed_states),
        cmocka_unit_test(test_rnd_sample_titles),
        cmocka_unit_test(test_rnd_sample_every_one_clean_layout),
        cmocka_unit_test(test_rnd_sample_draws_replay_times),
        cmocka_unit_test(test_rnd_sample_concurrent_same_millisecond),
        cmocka_unit_test(test_rnd_sample_finloss),
        cmocka_unit_test(test_rnd_sample_synloss),
        cmocka_unit_test(test_rnd_sample_lastackloss_correction),
        cmocka_unit_test(test_rnd_sample_refused_correction_loses_nothing),
        cmocka_unit_test(test_rnd_sample_loss_sack_and_fast_retransmissions),
        cmocka_unit_test(test_rnd_sample_zerowindow_dsack_takes_loss_back),
        cmocka_unit_test(test_rnd_tseq_sample_loss),
        cmocka_unit_test(test_rnd_tseq_sample_zero_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
