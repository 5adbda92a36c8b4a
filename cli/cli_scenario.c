/*
 * cli_scenario.c - runs built-in scenarios for the command line.
 */
#include "cli_scenario.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_json.h"
#include "cli_export.h"
#include "cli_flows.h"
#include "cli_html.h"
#include "cli_render.h"
#include "cli_text.h"
#include "rnd.h"
#include "rnd_html.h"
#include "sim_net.h"
#include "sim_parse.h"
#include "sim_sock.h"

#define SIM_DESC_MAX_FOR_INDEX 512

static void print_summary(const sim_net *net)
{
    const tcp_endpoint *c = &net->ep[0], *s = &net->ep[1];
    printf("\nsummary: %" PRIu64 " segments sent, %" PRIu64
           " lost; retransmissions: client %" PRIu64 ", server %" PRIu64 "; end at %" PRIu64
           ".%03" PRIu64 " ms: client %s, server %s%s\n",
           net->stats.segments, net->stats.dropped, c->retrans_segs, s->retrans_segs,
           net->now / 1000u, net->now % 1000u, tcp_state_name(c->state), tcp_state_name(s->state),
           net->stats.time_limit ? " (stopped at the time limit)" : "");
}

/* Loads a built-in scenario with the command line's settings (rules written with sequence numbers
 * relative to an ISN follow --isn-client/--isn-server); 0, or an exit status. */
static int load(sim_scenario *sc, const char *name, const cli_options *o)
{
    sim_script *s = sim_builtin_script(name);
    if (s == NULL)
        return cli_usage_error("unknown scenario '%s' (tcpsim --list-scenarios shows them)", name);
    char err[200];
    if (cli_apply_settings(&s->sc, o, err, sizeof err) < 0) {
        free(s);
        return cli_usage_error("%s", err);
    }
    sim_script_resolve(s);
    *sc = s->sc;
    free(s);
    return 0;
}

/* The trace buffer's sink, leaving out TCB records: they are for the text and JSON writers
 * (-v) and the explorer page, not for the diagrams and expectations. */
static void no_tcb_emit(void *ctx, const trace_event *ev)
{
    if (ev->kind != TRACE_TCB)
        trace_buf_emit(ctx, ev);
}

/* Simulates sc into the sink (and into tb if not NULL); 0 or an exit status.  With `tcb` the
 * endpoints report their TCBs; they go into tb only when `tb_tcb` is set too. */
static int simulate(const sim_scenario *sc, trace_sink sink, trace_buf *tb, sim_net *net, bool tcb,
                    bool tb_tcb)
{
    trace_tee tee = {.n = 0};
    if (sink.emit)
        trace_tee_add(&tee, sink);
    if (tb) {
        trace_tee_add(&tee, tb_tcb ? trace_buf_sink(tb) : (trace_sink){no_tcb_emit, tb});
        sim_net_meta(sc, &tb->meta);
    }
    trace_sink all = tee.n ? (trace_sink){trace_tee_emit, &tee} : (trace_sink){NULL, NULL};
    sim_net_init(net, sc, all);
    net->tcb = tcb;
    int rc = sim_net_run(net);
    if (rc < 0 || (tb && tb->oom)) {
        fprintf(stderr, "tcpsim: out of memory while simulating '%s'\n", sc->name);
        return CLI_EXIT_RUNTIME;
    }
    return 0;
}

/* cli_render on tb without its TCB records (the layout's event numbers are those of --json);
 * with a list of n >= 2 connections, those in one diagram. */
static int cli_render_no_tcb_list(const trace_buf *tb, const cli_options *o, const char *path,
                                  uint32_t draw, const uint32_t *list, size_t nlist)
{
    size_t n = 0;
    for (size_t i = 0; i < tb->n; i++)
        n += tb->ev[i].kind == TRACE_TCB;
    trace_buf copy;
    trace_buf_init(&copy);
    if (n > 0) { /* the trace without them */
        copy.meta = tb->meta;
        for (size_t i = 0; i < tb->n; i++)
            no_tcb_emit(&copy, &tb->ev[i]);
        tb = &copy;
    }
    int rc = copy.oom     ? CLI_EXIT_RUNTIME
             : nlist >= 2 ? cli_render_conns(tb, o, path, list, nlist)
                          : cli_render(tb, o, path, draw);
    if (copy.oom)
        fprintf(stderr, "tcpsim: out of memory\n");
    trace_buf_free(&copy);
    return rc;
}

static int cli_render_no_tcb(const trace_buf *tb, const cli_options *o, const char *path,
                             uint32_t draw)
{
    return cli_render_no_tcb_list(tb, o, path, draw, NULL, 0);
}

/* Draws one connection of a scenario with hosts (conn, or the first for RND_CONN_FIRST) into
 * path: the selection carries that connection's addresses from its conn record. */
static int draw_world_conn(const trace_buf *tb, const cli_options *o, const char *path,
                           uint32_t conn, const char *name)
{
    trace_buf one;
    int rc;
    if (trace_buf_select(tb, conn == RND_CONN_FIRST ? TRACE_SELECT_ANY : conn, &one) == 0) {
        fprintf(stderr, "tcpsim: %s: no connection %s to draw\n", name, o->flow ? o->flow : "");
        rc = CLI_EXIT_USAGE;
    } else {
        rc = one.oom ? CLI_EXIT_RUNTIME : cli_render_no_tcb(&one, o, path, RND_CONN_FIRST);
    }
    trace_buf_free(&one);
    return rc;
}

/* Draws the connections of a scenario with hosts: those of --flow N,M,... (list, nlist >= 2), or
 * without --flow all of them (up to RND_CONNS_MAX) when there are several, each diagram a
 * lifeline per host; else the one connection, as draw_world_conn. */
static int draw_world(const trace_buf *tb, const cli_options *o, const char *path,
                      const uint32_t *list, size_t nlist, const char *name)
{
    uint32_t all[RND_CONNS_MAX];
    size_t n = 0, total = 0;
    if (nlist >= 2)
        return cli_render_no_tcb_list(tb, o, path, list[0], list, nlist);
    if (nlist == 1 || (o->graph && strcmp(o->graph, "tseq") == 0))
        return draw_world_conn(tb, o, path, nlist == 1 ? list[0] : RND_CONN_FIRST, name);
    for (size_t i = 0; i < tb->n; i++)
        if (tb->ev[i].kind == TRACE_CONN) {
            if (n < RND_CONNS_MAX)
                all[n++] = tb->ev[i].conn;
            total++;
        }
    if (n < 2)
        return draw_world_conn(tb, o, path, RND_CONN_FIRST, name);
    if (total > n)
        fprintf(stderr,
                "tcpsim: %s: drawing connections %lu to %lu of %zu (--flow N,M,... picks others)\n",
                name, (unsigned long)all[0], (unsigned long)all[n - 1], total);
    return cli_render_no_tcb_list(tb, o, path, all[0], all, n);
}

/* --write-pcap - puts the capture on standard output: no trace there then. */
static bool trace_quiet(const cli_options *o)
{
    return o->quiet || (o->write_pcap && strcmp(o->write_pcap, "-") == 0);
}

/* The trace printed on standard output: JSON Lines or text. */
static trace_sink trace_out(const cli_options *o, cli_text *text, cli_json *json)
{
    return o->json ? (trace_sink){cli_json_emit, json} : (trace_sink){cli_text_emit, text};
}

static void print_world_summary(const sim_world *w)
{
    printf("\nsummary: %" PRIu64 " connections or flows, %" PRIu64
           " segments or datagrams sent, %" PRIu64 " lost; end at %" PRIu64 ".%03" PRIu64 " ms%s\n",
           w->conns_opened, w->stats.segments, w->stats.dropped, w->now / 1000u, w->now % 1000u,
           w->stats.time_limit ? " (stopped at the time limit)" : "");
}

/* The connection --flow N draws (scenarios take a number only); 0 or an exit status. */
static int flow_conn(const cli_options *o, uint32_t *conn)
{
    *conn = RND_CONN_FIRST;
    if (!o->flow)
        return 0;
    if (cli_flow_is_list(o->flow))
        return cli_usage_error("bad --flow '%s': a scenario without hosts has one connection "
                               "(--flow 1)",
                               o->flow);
    char *end = NULL;
    unsigned long n = strtoul(o->flow, &end, 10);
    if (!*o->flow || *end || n < 1 || n > UINT32_MAX - 1)
        return cli_usage_error("bad --flow '%s': a scenario's connections are numbered from 1",
                               o->flow);
    *conn = (uint32_t)n;
    return 0;
}

/* --flow of a scenario with hosts: N (*n 1), N,M,... (a list), or none (*n 0); 0 or an exit
 * status. */
static int flow_list(const cli_options *o, uint32_t *list, size_t *n)
{
    char err[200];
    *n = 0;
    if (!o->flow)
        return 0;
    if (!cli_flow_is_list(o->flow)) {
        int rc = flow_conn(o, &list[0]);
        *n = rc == 0 ? 1 : 0;
        return rc;
    }
    if (cli_flow_list(o->flow, list, RND_CONNS_MAX, n, err, sizeof err) < 0)
        return cli_usage_error("%s", err);
    if (o->write_pcap)
        return cli_usage_error("--write-pcap writes one connection (--flow N) or all of them, "
                               "not a list (--flow %s)",
                               o->flow);
    return 0;
}

/* A scenario with hosts (sim_sock.h): the same outputs as cli_play's. */
static int play_world(const sim_scenario *sc, const cli_options *o, trace_buf *keep)
{
    uint32_t list[RND_CONNS_MAX], conn;
    size_t nlist;
    int rc = flow_list(o, list, &nlist);
    if (rc)
        return rc;
    conn = nlist == 1 ? list[0] : RND_CONN_FIRST;
    trace_meta meta;
    sim_net_meta(sc, &meta);
    if (sc->n_hosts >= 2) {
        snprintf(meta.addr[0], sizeof meta.addr[0], "%s", sc->hosts[1].ip);
        snprintf(meta.addr[1], sizeof meta.addr[1], "%s", sc->hosts[0].ip);
    }
    cli_text text = {.out = stdout, .meta = &meta, .verbose = o->verbose, .show_conn = true};
    cli_json json = {.out = stdout, .tcb = o->verbose};
    bool quiet = trace_quiet(o);
    trace_sink sink = quiet ? (trace_sink){NULL, NULL} : trace_out(o, &text, &json);
    if (!quiet && !o->json) {
        printf("scenario %s: %s\n", sc->name, sc->description);
        for (int h = 0; h < sc->n_hosts; h++)
            printf("host %s %s%s", sc->hosts[h].name, sc->hosts[h].ip,
                   h + 1 < sc->n_hosts ? ", " : "");
        printf("; RTT %" PRIu64 ".%03" PRIu64 " ms\n\n", sc->rtt / 1000u, sc->rtt % 1000u);
    }
    trace_buf own;
    trace_buf_init(&own);
    trace_buf *tb = keep ? keep : ((o->output || o->write_pcap || o->layout_json) ? &own : NULL);
    trace_tee tee = {.n = 0};
    if (sink.emit)
        trace_tee_add(&tee, sink);
    if (tb) {
        trace_tee_add(&tee, trace_buf_sink(tb));
        tb->meta = meta;
    }
    trace_sink all = tee.n ? (trace_sink){trace_tee_emit, &tee} : (trace_sink){NULL, NULL};
    static sim_world w;
    rc = sim_world_init(&w, sc, all) < 0;
    w.tcb = o->verbose || cli_render_is_html(o->output); /* the page shows the TCBs */
    rc = rc || sim_world_run(&w) < 0 || (tb && tb->oom);
    if (rc) {
        fprintf(stderr, "tcpsim: out of memory while simulating '%s'\n", sc->name);
        rc = CLI_EXIT_RUNTIME;
    }
    if (rc == 0 && !quiet && !o->json)
        print_world_summary(&w);
    sim_world_free(&w);
    if (rc == 0 && fflush(stdout) != 0) {
        perror("tcpsim: writing the trace");
        rc = CLI_EXIT_RUNTIME;
    }
    bool html = cli_render_is_html(o->output);
    if (rc == 0 && html) /* the page holds every connection */
        rc = cli_html_write(tb, o, o->output, sc->description, NULL, 0);
    if (rc == 0 && ((o->output && !html) || o->layout_json)) /* --flow N, N,M,..., or all */
        rc = draw_world(tb, o, html ? NULL : o->output, list, nlist, sc->name);
    if (rc == 0 && o->write_pcap && !o->flow) { /* every connection and datagram flow */
        rc = cli_export_all(tb, o);
    } else if (rc == 0 && o->write_pcap) { /* one connection or flow: --flow N */
        trace_buf one;
        if (trace_buf_select(tb, conn == RND_CONN_FIRST ? 0 : conn, &one) == 0) {
            fprintf(stderr,
                    "tcpsim: %s: no connection or datagram flow %s to write (--flow N writes "
                    "one of a scenario with hosts)\n",
                    sc->name, o->flow ? o->flow : "");
            rc = CLI_EXIT_USAGE;
        } else {
            rc = one.oom ? CLI_EXIT_RUNTIME : cli_export_pcap(&one, o);
        }
        trace_buf_free(&one);
    }
    trace_buf_free(&own);
    return rc;
}

int cli_play(const sim_scenario *sc, const cli_options *o, trace_buf *keep)
{
    if (sc->n_hosts > 0)
        return play_world(sc, o, keep);
    uint32_t draw;
    int frc = flow_conn(o, &draw);
    if (frc)
        return frc;
    trace_meta meta;
    sim_net_meta(sc, &meta);
    cli_text text = {.out = stdout, .meta = &meta, .verbose = o->verbose};
    cli_json json = {.out = stdout, .tcb = o->verbose};
    bool quiet = trace_quiet(o);
    trace_sink sink = quiet ? (trace_sink){NULL, NULL} : trace_out(o, &text, &json);
    if (!quiet && !o->json) {
        printf("scenario %s: %s\n", sc->name, sc->description);
        printf("client %s, server %s, RTT %" PRIu64 ".%03" PRIu64 " ms\n\n", sc->addr[0],
               sc->addr[1], sc->rtt / 1000u, sc->rtt % 1000u);
    }
    trace_buf own;
    trace_buf_init(&own);
    trace_buf *tb = keep ? keep : ((o->output || o->write_pcap || o->layout_json) ? &own : NULL);
    static sim_net net;
    bool html = cli_render_is_html(o->output);
    int rc = simulate(sc, sink, tb, &net, o->verbose || html, html);
    if (rc == 0 && !quiet && !o->json)
        print_summary(&net);
    sim_net_free(&net);
    if (rc == 0 && fflush(stdout) != 0) {
        perror("tcpsim: writing the trace");
        rc = CLI_EXIT_RUNTIME;
    }
    if (rc == 0 && html)
        rc = cli_html_write(tb, o, o->output, sc->description, NULL, 0);
    if (rc == 0 && ((o->output && !html) || o->layout_json))
        rc = cli_render_no_tcb(tb, o, html ? NULL : o->output, draw);
    if (rc == 0 && o->write_pcap)
        rc = cli_export_pcap(tb, o);
    trace_buf_free(&own);
    return rc;
}

int cli_run_scenario(const cli_options *o)
{
    static sim_scenario sc;
    int rc = load(&sc, o->scenario, o);
    if (rc)
        return rc;
    return cli_play(&sc, o, NULL);
}

static int make_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        errno = ENOTDIR;
        return -1;
    }
    return mkdir(dir, 0777);
}

int cli_run_all_scenarios(const cli_options *o)
{
    if (!o->output)
        return cli_usage_error("%s", "--scenario all needs -o DIR/ to write the diagrams into");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", o->output);
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    if (make_dir(dir) < 0) {
        fprintf(stderr, "tcpsim: %s: cannot create the directory: %s\n", dir, strerror(errno));
        return CLI_EXIT_RUNTIME;
    }
    char index_tmp[4200], index_path[4200];
    snprintf(index_path, sizeof index_path, "%s/index.md", dir);
    snprintf(index_tmp, sizeof index_tmp, "%s/.index.md.tmp", dir);
    FILE *idx = fopen(index_tmp, "w");
    if (!idx) {
        fprintf(stderr, "tcpsim: %s: %s\n", index_tmp, strerror(errno));
        return CLI_EXIT_RUNTIME;
    }
    fprintf(idx,
            "# tcpsim built-in scenarios\n\n"
            "Each diagram was drawn by `tcpsim --scenario all -o DIR/` (tcpsim %s).\n"
            "Time flows down; arrows slant by the one-way delay.\n\n",
            TCPSIM_VERSION);
    int rc = 0;
    static rnd_html_entry pages[64];
    static char page_file[64][64], page_desc[64][SIM_DESC_MAX_FOR_INDEX];
    size_t n_pages = 0;
    for (const sim_builtin *b = sim_builtin_list(); b->name && rc == 0; b++) {
        static sim_scenario sc;
        rc = load(&sc, b->name, o);
        if (rc)
            break;
        trace_buf tb;
        trace_buf_init(&tb);
        static sim_net net;
        rc = simulate(&sc, (trace_sink){NULL, NULL}, &tb, &net, true, true);
        sim_net_free(&net);
        static const char *const ext[] = {"png", "svg", "html"};
        for (int k = 0; k < 3 && rc == 0; k++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s.%s", dir, b->name, ext[k]);
            if (k == 2)
                rc = cli_html_write(&tb, o, path, sc.description, NULL, 0);
            else if (sc.n_hosts > 0) /* all its connections, as --scenario NAME -o draws them */
                rc = draw_world(&tb, o, path, NULL, 0, b->name);
            else
                rc = cli_render(&tb, o, path, RND_CONN_FIRST); /* no --layout-json here */
            if (rc == 0 && !o->quiet)
                fprintf(stderr, "wrote %s\n", path);
        }
        if (n_pages < sizeof pages / sizeof pages[0]) {
            rnd_html_entry *pe = &pages[n_pages++];
            snprintf(page_file[n_pages - 1], sizeof page_file[0], "%s.html", b->name);
            snprintf(page_desc[n_pages - 1], sizeof page_desc[0], "%s", sc.description);
            *pe = (rnd_html_entry){b->name, page_file[n_pages - 1], b->summary,
                                   page_desc[n_pages - 1]};
        }
        trace_buf_free(&tb);
        fprintf(idx, "## %s\n\n%s. %s\n\n![%s](%s.png)\n\n([SVG](%s.svg))\n\n", b->name, b->summary,
                sc.description, b->name, b->name, b->name);
    }
    if (fclose(idx) != 0 && rc == 0) {
        fprintf(stderr, "tcpsim: %s: %s\n", index_tmp, strerror(errno));
        rc = CLI_EXIT_RUNTIME;
    }
    if (rc == 0 && rename(index_tmp, index_path) != 0) {
        fprintf(stderr, "tcpsim: %s: %s\n", index_path, strerror(errno));
        rc = CLI_EXIT_RUNTIME;
    }
    if (rc != 0)
        unlink(index_tmp);
    else if (!o->quiet)
        fprintf(stderr, "wrote %s\n", index_path);
    if (rc == 0) { /* the explorer's index: index.html beside index.md */
        char html_index[4200], err[512];
        snprintf(html_index, sizeof html_index, "%s/index.html", dir);
        if (rnd_write_html_index(html_index, pages, n_pages, err, sizeof err) < 0) {
            fprintf(stderr, "tcpsim: %s\n", err);
            rc = CLI_EXIT_RUNTIME;
        } else if (!o->quiet) {
            fprintf(stderr, "wrote %s\n", html_index);
        }
    }
    return rc;
}
