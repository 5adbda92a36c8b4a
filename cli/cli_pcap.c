/*
 * cli_pcap.c - the capture replay command: opens the source, checks the link type, applies the
 * filter, streams frames through cap_replay, and writes what the options ask for.  A progress
 * line goes to standard error while a long file is read and standard error is a terminal.
 */
#include "cli_pcap.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cap_addr.h"
#include "cap_replay.h"
#include "cap_source.h"
#include "cli_flows.h"
#include "cli_html.h"
#include "cli_json.h"
#include "cli_opts.h"
#include "cli_render.h"
#include "cli_summary.h"
#include "cli_text.h"
#include "rnd.h"

enum { EXIT_RUNTIME = 1, EXIT_BADINPUT = 2 };

static cap_source *volatile g_live;

static void on_sigint(int sig)
{
    (void)sig;
    if (g_live)
        cap_source_break(g_live);
}

/* "10.0.0.1:80" or "[::1]:80" */
static int parse_endpoint(const char *s, size_t n, cap_addr *a, uint16_t *port)
{
    char buf[80];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *colon = strrchr(buf, ':');
    if (!colon)
        return -1;
    *colon = '\0';
    char *host = buf, *ps = colon + 1;
    char *end = NULL;
    unsigned long p = strtoul(ps, &end, 10);
    if (!*ps || *end || p > 65535)
        return -1;
    *port = (uint16_t)p;
    memset(a, 0, sizeof *a);
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        host++;
        a->family = CAP_FAMILY_IPV6;
        return inet_pton(AF_INET6, host, a->bytes) == 1 ? 0 : -1;
    }
    a->family = CAP_FAMILY_IPV4;
    return inet_pton(AF_INET, host, a->bytes) == 1 ? 0 : -1;
}

int cli_parse_flow(const char *s, struct cap_replay_opts *ro, char *err, size_t errlen)
{
    if (cli_flow_is_list(s)) /* several connections: one diagram of them */
        return cli_flow_list(s, ro->flow_ids, CAP_FLOW_IDS_MAX, &ro->n_flow_ids, err, errlen);
    char *end = NULL;
    unsigned long n = strtoul(s, &end, 10);
    if (*s >= '0' && *s <= '9' && end && *end == '\0') {
        if (n == 0 || n > UINT32_MAX) {
            snprintf(err, errlen, "bad --flow '%s': connection numbers start at 1", s);
            return -1;
        }
        ro->flow_ids[0] = (uint32_t)n;
        ro->n_flow_ids = 1;
        return 0;
    }
    /* ADDR:PORT-ADDR:PORT; IPv6 addresses are bracketed so '-' is safe after ']' */
    const char *dash = NULL;
    for (const char *p = s; *p; p++) {
        if (*p == '[')
            while (*p && *p != ']')
                p++;
        if (*p == '-') {
            dash = p;
            break;
        }
        if (!*p)
            break;
    }
    if (!dash || parse_endpoint(s, (size_t)(dash - s), &ro->flow_addr[0], &ro->flow_port[0]) ||
        parse_endpoint(dash + 1, strlen(dash + 1), &ro->flow_addr[1], &ro->flow_port[1])) {
        snprintf(err, errlen,
                 "bad --flow '%s': expected a connection number or ADDR:PORT-ADDR:PORT "
                 "(IPv6 in brackets)",
                 s);
        return -1;
    }
    ro->flow_tuple = true;
    return 0;
}

typedef struct run_ctx {
    const cli_pcap_opts *o;
    cap_replay *r;
    bool header_done;
    uint64_t selected_seen;
    const char *name;
    trace_buf *collect; /* events of the connection to draw */
    uint32_t draw_conn; /* its number (0: the one --flow selected) */
    bool draw_found;
    bool html;            /* -o FILE.html: every selected connection, times as traced */
    cli_html_conn *conns; /* html: the connections' ends */
    size_t n_conns, cap_conns;
    bool conns_oom;
} run_ctx;

/* Keeps the events of the connection to draw. */
static void collect_emit(void *ctx, const trace_event *ev)
{
    run_ctx *x = ctx;
    if (x->html) { /* the explorer shows the trace as --json -v writes it */
        trace_buf_emit(x->collect, ev);
        return;
    }
    if (x->draw_conn && ev->conn != x->draw_conn)
        return;
    /* the replay's arrivals (cap_replay_opts.arrivals) are in the trace: the diagram draws its
     * times and finds each packet by its t_capture (render/rnd_model.c) */
    trace_buf_emit(x->collect, ev);
}

/* The text and JSON traces without the recv events the replay makes for the diagram. */
static void no_recv_emit(void *ctx, const trace_event *ev)
{
    if (ev->kind != TRACE_RECV)
        trace_sink_put(ctx, ev);
}

/* --from/--to on the text and JSON traces: events whose packet was captured in the time range;
 * with a packet range, the packets in it and what follows them until the next packet outside. */
typedef struct range_ctx {
    const cli_pcap_opts *o;
    trace_sink out;
    cli_text *text; /* learns the ISNs from SYNs left out */
    bool in;
} range_ctx;

static void range_emit(void *ctx, const trace_event *ev)
{
    range_ctx *x = ctx;
    const cli_pcap_opts *o = x->o;
    if (x->text)
        cli_text_learn(x->text, ev);
    if (ev->t_capture < o->from_us || ev->t_capture > o->to_us)
        return;
    if (ev->kind == TRACE_SEND)
        x->in = ev->id >= o->from_pkt && ev->id <= o->to_pkt;
    else if (ev->kind == TRACE_DROP || (ev->kind == TRACE_NOTE && ev->id))
        x->in = x->in || (ev->id >= o->from_pkt && ev->id <= o->to_pkt);
    if (x->in || (o->from_pkt == 0 && o->to_pkt == RND_ALL))
        trace_sink_put(&x->out, ev);
}

static void on_done(void *ctx, const cap_conn *c)
{
    run_ctx *x = ctx;
    if (x->collect && (x->draw_conn ? c->id == x->draw_conn : cap_replay_selected(x->r, c)) &&
        !x->draw_found) {
        cap_conn_meta(c, x->name, &x->collect->meta);
        x->draw_found = true;
    }
    if (!cap_replay_selected(x->r, c))
        return;
    if (x->html && !x->conns_oom) {
        if (x->n_conns == x->cap_conns) {
            size_t n = x->cap_conns ? 2 * x->cap_conns : 16;
            cli_html_conn *p = realloc(x->conns, n * sizeof *p);
            if (p == NULL)
                x->conns_oom = true;
            else
                x->conns = p, x->cap_conns = n;
        }
        if (!x->conns_oom) {
            trace_meta m;
            cap_conn_meta(c, x->name, &m);
            cli_html_conn *hc = &x->conns[x->n_conns++];
            hc->id = c->id;
            snprintf(hc->addr[0], sizeof hc->addr[0], "%s", m.addr[0]);
            snprintf(hc->addr[1], sizeof hc->addr[1], "%s", m.addr[1]);
        }
    }
    x->selected_seen++;
    if (!x->o->summary || x->o->quiet)
        return;
    if (x->o->json) {
        cli_summary_json(stdout, c);
    } else {
        if (!x->header_done)
            cli_summary_header(stdout);
        x->header_done = true;
        cli_summary_text(stdout, c, x->o->verbose);
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cli_run_pcap(const cli_pcap_opts *o)
{
    char err[512];
    cap_replay_opts ro;
    cap_replay_opts_default(&ro);
    if (o->max_conns)
        ro.max_conns = o->max_conns;
    bool html = o->render && cli_render_is_html(o->render->output);
    ro.tcb = o->verbose || html;
    ro.arrivals = o->render && !html; /* the explorer shows the trace as --json -v writes it */
    if (o->flow && cli_parse_flow(o->flow, &ro, err, sizeof err) < 0) {
        fprintf(stderr, "tcpsim: %s\n", err);
        return EXIT_BADINPUT;
    }

    cap_source *src = NULL;
    int rc = o->live ? cap_source_open_live(&src, o->live, 0, 100, err, sizeof err)
                     : cap_source_open_file(&src, o->path, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "tcpsim: %s\n", err);
        return rc == CAP_ERR_NOMEM ? EXIT_RUNTIME : EXIT_BADINPUT;
    }
    if (cap_source_check_link(src, err, sizeof err) < 0 ||
        (o->filter && cap_source_set_filter(src, o->filter, err, sizeof err) < 0)) {
        fprintf(stderr, "tcpsim: %s\n", err);
        cap_source_close(src);
        return EXIT_BADINPUT;
    }

    /* outputs */
    static cli_isn_slot isn_cache[CLI_TEXT_ISN_CACHE];
    memset(isn_cache, 0, sizeof isn_cache);
    cli_text text = {.out = stdout,
                     .show_conn = true,
                     .relative_seq = !o->absolute,
                     .isn_cache = isn_cache,
                     .verbose = o->verbose};
    cli_json json = {.out = stdout, .with_conn = true, .tcb = o->verbose};
    trace_tee tee = {.n = 0};
    range_ctx range = {.o = o};
    trace_sink w_all; /* what no_recv_emit passes on */
    if (!o->quiet && !o->summary) {
        trace_sink w =
            o->json ? (trace_sink){cli_json_emit, &json} : (trace_sink){cli_text_emit, &text};
        if (o->range) {
            range.out = w;
            range.text = o->json ? NULL : &text;
            w = (trace_sink){range_emit, &range};
        }
        if (ro.arrivals) {
            w_all = w;
            w = (trace_sink){no_recv_emit, &w_all};
        }
        trace_tee_add(&tee, w);
    }
    static cap_replay r;
    trace_buf collect;
    trace_buf_init(&collect);
    char name[512]; /* the source's name outlives the source: messages come after closing it */
    snprintf(name, sizeof name, "%s", cap_source_name(src));
    run_ctx x = {.o = o, .r = &r, .name = name};
    if (o->render) {
        x.collect = &collect;
        x.html = html;
        x.draw_conn = o->flow || html ? 0 : 1; /* without --flow, the first connection */
        trace_tee_add(&tee, (trace_sink){collect_emit, &x});
    }
    trace_sink out = tee.n ? (trace_sink){trace_tee_emit, &tee} : (trace_sink){NULL, NULL};

    if (cap_replay_init(&r, &ro, out, on_done, &x) < 0) {
        fprintf(stderr, "tcpsim: out of memory\n");
        cap_source_close(src);
        return EXIT_RUNTIME;
    }
    bool progress = !o->live && isatty(STDERR_FILENO) && !o->quiet;
    double last_progress = now_s();
    if (o->live) {
        g_live = src;
        signal(SIGINT, on_sigint);
        signal(SIGTERM, on_sigint);
        fprintf(stderr, "tcpsim: capturing on %s, Ctrl-C to stop\n", o->live);
    }

    int status = 0;
    for (;;) {
        cap_frame f;
        int n = cap_source_next(src, &f, err, sizeof err);
        if (n == CAP_NEXT_EOF)
            break;
        if (n == CAP_NEXT_TIMEOUT) {
            fflush(stdout);
            continue;
        }
        if (n < 0) {
            status = EXIT_BADINPUT;
            break;
        }
        cap_replay_frame(&r, f.linktype, &f);
        if (o->count && cap_source_count(src) >= o->count)
            break; /* -c N, as tcpdump: the source counts what passed the filter */
        if (o->live)
            fflush(stdout);
        if (progress && (f.index & 0x3fff) == 0) {
            double t = now_s();
            if (t - last_progress > 0.5) {
                fprintf(stderr, "\rtcpsim: %" PRIu64 " packets, %" PRIu64 " connections...",
                        f.index, r.conns);
                last_progress = t;
            }
        }
    }
    if (progress)
        fprintf(stderr, "\r%60s\r", "");
    g_live = NULL;
    if (o->live) {
        uint64_t recv = 0;
        if (cap_source_stats(src, &recv, &r.kernel_dropped, &r.if_dropped) == 0) {
            r.have_kernel_stats = true;
            if (r.kernel_dropped || r.if_dropped)
                fprintf(stderr,
                        "tcpsim: %s: the kernel dropped %" PRIu64
                        " packets (capture buffer full): the replay misses them\n",
                        o->live, r.kernel_dropped + r.if_dropped);
        }
    }
    cap_replay_finish(&r);
    if (!o->quiet) {
        if (o->json)
            cli_capture_json(stdout, &r);
        else
            cli_capture_text(stdout, &r);
    }
    if (status)
        fprintf(stderr, "tcpsim: %s\n", err);
    if ((o->flow) && x.selected_seen == 0 && status == 0) {
        fprintf(stderr, "tcpsim: %s: no connection matches --flow %s (%" PRIu64 " connections)\n",
                name, o->flow, r.conns);
        status = EXIT_BADINPUT;
    }
    cap_replay_free(&r);
    cap_source_close(src);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("tcpsim: writing the output");
        trace_buf_free(&collect);
        return EXIT_RUNTIME;
    }
    if (status == 0 && o->render) {
        if (!x.draw_found) {
            fprintf(stderr, "tcpsim: %s: no TCP connection to draw\n", x.name);
            status = EXIT_BADINPUT;
        } else if (collect.oom || x.conns_oom) {
            fprintf(stderr, "tcpsim: out of memory keeping the connection's events\n");
            status = EXIT_RUNTIME;
        } else if (html) {
            char desc[600];
            snprintf(desc, sizeof desc, "capture %s: %zu connection%s", name, x.n_conns,
                     x.n_conns == 1 ? "" : "s");
            status =
                cli_html_write(&collect, o->render, o->render->output, desc, x.conns, x.n_conns);
        } else {
            status = ro.n_flow_ids >= 2
                         ? cli_render_conns(&collect, o->render, o->render->output, ro.flow_ids,
                                            ro.n_flow_ids)
                         : cli_render(&collect, o->render, o->render->output, RND_CONN_FIRST);
        }
    }
    free(x.conns);
    trace_buf_free(&collect);
    return status;
}
