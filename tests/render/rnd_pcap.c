/*
 * rnd_pcap.c - see rnd_pcap.h.
 */
#include "rnd_pcap.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cap_replay.h"
#include "cap_source.h"

#ifndef TCPSIM_SAMPLES_DIR
#define TCPSIM_SAMPLES_DIR "samples"
#endif

typedef struct load_ctx {
    trace_buf *b;
    uint32_t conn;
    const char *name;
    bool found;
} load_ctx;

static void keep(void *ctx, const trace_event *ev)
{
    load_ctx *x = ctx;
    if (ev->conn == x->conn || x->conn == 0)
        trace_buf_emit(x->b, ev);
}

static void done(void *ctx, const cap_conn *c)
{
    load_ctx *x = ctx;
    if ((c->id == x->conn || (x->conn == 0 && c->id == 1)) && !x->found) {
        cap_conn_meta(c, x->name, &x->b->meta);
        x->found = true;
    }
}

const char *rnd_samples_dir(void)
{
    return TCPSIM_SAMPLES_DIR;
}

int rnd_load_pcap(const char *path, uint32_t conn, trace_buf *b, char *err, size_t errlen)
{
    static cap_replay r; /* large: keep it off the stack */
    cap_replay_opts ro;
    cap_source *src = NULL;
    load_ctx x = {b, conn, path, false};
    int status = 0;

    trace_buf_init(b);
    if (cap_source_open_file(&src, path, err, errlen) < 0)
        return -1;
    if (cap_source_check_link(src, err, errlen) < 0) {
        cap_source_close(src);
        return -1;
    }
    cap_replay_opts_default(&ro);
    ro.arrivals = true; /* as for -o: the diagram draws the replay's arrivals */
    if (cap_replay_init(&r, &ro, (trace_sink){keep, &x}, done, &x) < 0) {
        snprintf(err, errlen, "out of memory");
        cap_source_close(src);
        return -1;
    }
    for (;;) {
        cap_frame f;
        int n = cap_source_next(src, &f, err, errlen);
        if (n == CAP_NEXT_EOF)
            break;
        if (n < 0) {
            status = -1;
            break;
        }
        cap_replay_frame(&r, f.linktype, &f);
    }
    cap_replay_finish(&r);
    cap_replay_free(&r);
    cap_source_close(src);
    if (status == 0 && !x.found) {
        snprintf(err, errlen, "%s: no connection %lu", path, (unsigned long)conn);
        status = -1;
    }
    return status;
}

int rnd_load_sample(const char *name, uint32_t conn, trace_buf *b, char *err, size_t errlen)
{
    char path[512], shown[128];
    int rc;
    snprintf(path, sizeof path, "%s/%s.pcap", rnd_samples_dir(), name);
    rc = rnd_load_pcap(path, conn, b, err, errlen);
    /* the title the command line would give it: the path as typed from the repository */
    snprintf(shown, sizeof shown, "samples/%s.pcap", name);
    snprintf(b->meta.title, sizeof b->meta.title, "%s", shown);
    return rc;
}
