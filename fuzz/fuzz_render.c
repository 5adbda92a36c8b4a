/*
 * fuzz_render.c - libFuzzer target for the diagram of a capture: the input bytes are a capture
 * file (as for fuzz_replay), replayed with the events of its first connection kept, as
 * `tcpsim --pcap FILE -o x.svg` keeps them; then the renderer's pure stages run on them: the
 * ladder model (rnd_model_build), its layout with a fixed-width text measure (rnd_layout_build)
 * and pagination, and the time-sequence graph (rnd_tseq_build).  Nothing is painted (cairo is
 * slow and is not where input is interpreted).  Whatever a capture holds, these stages must
 * return 0 or RND_EREQUEST with a one-line message, never crash; the layout's numbers must be
 * finite.  The input's size picks relative or absolute sequence numbers, a packet range and the
 * time axis (true, or events one time in five); the layout JSON writer runs on every layout.
 * When the capture holds several connections, the first (up to) four are also laid out together
 * in one diagram (rnd_model_build_multi, as --flow 1,2,3,4 draws them), with the same promises.
 */
#define _GNU_SOURCE /* memfd_create */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cap_conn.h"
#include "cap_replay.h"
#include "cap_source.h"
#include "rnd.h"
#include "rnd_json.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_tseq.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_render: broken promise: %s (line %d)\n", #cond, __LINE__);       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    memfd = memfd_create("fuzz-render", 0);
    if (memfd < 0) {
        perror("fuzz_render: memfd_create");
        abort();
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
    return 0;
}

typedef struct keep {
    trace_buf tb;
    trace_buf all; /* the events of connections 1 to 4 */
    uint32_t nconns;
    bool found;
} keep;

static void keep_emit(void *ctx, const trace_event *ev)
{
    keep *k = ctx;
    if (ev->conn == 1)
        trace_buf_emit(&k->tb, ev);
    if (ev->conn >= 1 && ev->conn <= 4) {
        trace_buf_emit(&k->all, ev);
        k->nconns = ev->conn > k->nconns ? ev->conn : k->nconns;
    }
}

static void on_done(void *ctx, const cap_conn *c)
{
    keep *k = ctx;
    if (c->id == 1 && !k->found) {
        cap_conn_meta(c, path, &k->tb.meta);
        k->found = true;
    }
}

static double measure(void *ctx, rnd_font f, const char *text)
{
    (void)ctx;
    return (double)strlen(text) * (f == RND_FONT_TITLE ? 8.0 : 6.0);
}

static void check_message(int rc, const char *err)
{
    CHECK(rc == 0 || rc == RND_EREQUEST);
    if (rc == RND_EREQUEST) {
        CHECK(err[0] != '\0');
        CHECK(strchr(err, '\n') == NULL);
    }
}

/* The layout of m: finite, on the canvas, its JSON written, paginated. */
static void check_layout(const rnd_model *m, size_t size)
{
    rnd_layout lay;
    rnd_style st;
    rnd_style_default(&st);
    st.time_axis = size % 5 == 0 ? RND_AXIS_EVENTS : RND_AXIS_TRUE;
    memset(&lay, 0, sizeof lay);
    CHECK(rnd_layout_build(&lay, m, &st, measure, NULL) == 0);
    CHECK(isfinite(lay.width) && isfinite(lay.height));
    CHECK(lay.width > 0 && lay.height > 0);
    for (size_t i = 0; i < lay.narrows; i++) /* true time: every end on the canvas */
        CHECK(isfinite(lay.arrows[i].to.y) && lay.arrows[i].to.y <= lay.height + 1.0);
    for (size_t i = 0; i < lay.nlabels; i++)
        CHECK(isfinite(lay.labels[i].box.y) && lay.labels[i].box.y >= -1.0);
    for (size_t i = 0; i < lay.nabars; i++)
        CHECK(isfinite(lay.abars[i].y0) && lay.abars[i].y1 >= lay.abars[i].y0 - 1.0);
    {
        /* the layout JSON writer walks every part of the layout */
        FILE *null = fopen("/dev/null", "w");
        CHECK(null != NULL);
        CHECK(rnd_json_write(null, &lay, m) == 0);
        fclose(null);
    }
    CHECK(rnd_layout_paginate(&lay, 842.0) == 0);
    rnd_layout_free(&lay);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CHECK(ftruncate(memfd, 0) == 0);
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(memfd, data + done, size - done, (off_t)done);
        CHECK(n > 0);
        done += (size_t)n;
    }
    char err[1024] = "";
    cap_source *src = NULL;
    if (cap_source_open_file(&src, path, err, sizeof err) < 0)
        return 0;
    if (cap_source_check_link(src, err, sizeof err) < 0) {
        cap_source_close(src);
        return 0;
    }
    cap_replay_opts ro;
    cap_replay_opts_default(&ro);
    ro.arrivals = true; /* as -o asks for them */
    static cap_replay r;
    keep k;
    memset(&k, 0, sizeof k);
    trace_buf_init(&k.tb);
    trace_buf_init(&k.all);
    CHECK(cap_replay_init(&r, &ro, (trace_sink){keep_emit, &k}, on_done, &k) == 0);
    cap_frame f;
    while (cap_source_next(src, &f, err, sizeof err) == CAP_NEXT_PACKET)
        cap_replay_frame(&r, f.linktype, &f);
    cap_replay_finish(&r);
    cap_replay_free(&r);
    cap_source_close(src);

    if (k.found && !k.tb.oom) {
        rnd_options o;
        rnd_options_default(&o);
        o.conn = 1;
        if (size % 2)
            o.seq = RND_SEQ_ABSOLUTE;
        if (size % 3 == 0) {
            o.from_pkt = 3;
            o.to_pkt = 3 + size % 17;
        }
        rnd_model m;
        memset(&m, 0, sizeof m);
        err[0] = '\0';
        int rc = rnd_model_build(&m, &k.tb, &o, err, sizeof err);
        check_message(rc, err);
        if (rc == 0)
            check_layout(&m, size);
        rnd_model_free(&m);
        if (k.nconns >= 2 && !k.all.oom) { /* several in one diagram, a lifeline per host */
            static const uint32_t list[] = {1, 2, 3, 4};
            k.all.meta = k.tb.meta;
            memset(&m, 0, sizeof m);
            err[0] = '\0';
            rc = rnd_model_build_multi(&m, &k.all, list, k.nconns, &o, err, sizeof err);
            check_message(rc, err);
            if (rc == 0)
                check_layout(&m, size);
            rnd_model_free(&m);
        }

        rnd_tseq g;
        memset(&g, 0, sizeof g);
        err[0] = '\0';
        rc = rnd_tseq_build(&g, &k.tb, &o, err, sizeof err);
        check_message(rc, err);
        rnd_tseq_free(&g);
    }
    trace_buf_free(&k.tb);
    trace_buf_free(&k.all);
    return 0;
}
