/*
 * fuzz_scenario.c - libFuzzer target for the scenario-file parser (sim/sim_parse.h): the input
 * bytes are a scenario file, however broken.  Checked promises: sim_parse returns -1 exactly
 * when it reports errors; at most SIM_PARSE_MAX_ERRORS are kept, each with a line and column
 * from 1 and a non-empty one-line message inside its buffer; the tables stay within their
 * bounds; the same text parses to the same result twice; and sim_script_resolve can be called
 * again.  A file that parses is then played: when its work is small enough to be done in a few
 * milliseconds (the bytes written divided by the smallest segment size, the time limit, and
 * timers that are not absurdly short), the simulator runs it into a trace_buf and every
 * expectation is checked against that trace, so the expectations' evaluation and the simulator
 * are fuzzed with every kind of scenario the language can say; the trace then goes through the
 * text and JSON writers into /dev/null, and through the pcap exporter (--write-pcap, vantage and
 * framing picked by the input's size) into a scratch file that is replayed at once: a capture
 * tcpsim wrote itself must read to its end, every frame must be a TCP segment with a good
 * checksum.  The options the endpoints put on their segments keep RFC 7323 and RFC 2018's
 * promises whatever the settings (`sack`, `timestamps`, `profile linux`...): a segment other
 * than a SYN carries timestamps or SACK blocks only when a SYN from each end offered them, its
 * SACK blocks are never empty or wrapped, and they all fit in the 40 bytes of options the
 * exporter writes (three with timestamps, four without).  Files that would need long runs are
 * only parsed: a slow simulation of a scenario that asks for one is not a bug.  Scenarios with
 * hosts and sockets (`host`, `socket`, `accept`, `sendto`...) run on the world of hosts the same
 * way; one of their TCP connections (picked by the input's size) goes through the exporter.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cap_export.h"
#include "cap_export_int.h"
#include "cap_replay.h"
#include "cap_source.h"
#include "cli_json.h"
#include "cli_text.h"
#include "sim_expect.h"
#include "sim_net.h"
#include "sim_parse.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_scenario: broken promise: %s (line %d)\n", #cond, __LINE__);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sim_script a, b;
static FILE *devnull;
static char pcap_path[256];

static void remove_pcap(void)
{
    unlink(pcap_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    if (devnull == NULL) {
        perror("fuzz_scenario: /dev/null");
        abort();
    }
    const char *dir = getenv("TMPDIR"); /* fuzz/run-ci.sh points it into the build tree */
    if (dir == NULL || dir[0] == '\0' || strlen(dir) > 200)
        dir = "/tmp";
    snprintf(pcap_path, sizeof pcap_path, "%s/fuzz-scenario-%ld.pcap", dir, (long)getpid());
    atexit(remove_pcap); /* not run when libFuzzer stops at -max_total_time (_Exit) */
    return 0;
}

/* Exports tb as --write-pcap would, then replays the file. */
static void export_and_replay(const trace_buf *tb, size_t size)
{
    cap_export_opts eo;
    cap_export_opts_default(&eo);
    eo.vantage = size % 2 ? TRACE_SERVER : TRACE_CLIENT;
    eo.raw_ip = size % 3 == 0;
    char err[512] = "";
    int rc = cap_export_pcap(tb, &eo, pcap_path, err, sizeof err);
    CHECK(rc == 0 || rc == CAP_EXPORT_EREQUEST);
    if (rc != 0) { /* a request the format cannot meet (a segment too large...) */
        CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
        return;
    }
    cap_source *src = NULL;
    CHECK(cap_source_open_file(&src, pcap_path, err, sizeof err) == 0);
    CHECK(cap_source_check_link(src, err, sizeof err) == 0);
    cap_replay_opts ro;
    cap_replay_opts_default(&ro);
    static cap_replay r;
    CHECK(cap_replay_init(&r, &ro, (trace_sink){NULL, NULL}, NULL, NULL) == 0);
    cap_frame f;
    int n;
    while ((n = cap_source_next(src, &f, err, sizeof err)) == CAP_NEXT_PACKET)
        cap_replay_frame(&r, f.linktype, &f);
    CHECK(n == CAP_NEXT_EOF);
    cap_replay_finish(&r);
    /* one flow per export: every packet a TCP segment, or (a udp scenario) every one a datagram */
    uint64_t dgrams = r.stats.skipped[CAP_SKIP_NOT_TCP];
    CHECK(r.stats.tcp + dgrams == r.stats.packets);
    CHECK(r.stats.tcp == 0 || dgrams == 0);
    CHECK(r.stats.csum_bad == 0);
    cap_replay_free(&r);
    cap_source_close(src);
}

/* Segments the file's writes need at most, or UINT64_MAX when that cannot be bounded. */
static uint64_t segments_needed(const sim_scenario *sc)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < sc->n_actions; i++)
        bytes += sc->actions[i].bytes > (1ull << 40) ? (1ull << 40) : sc->actions[i].bytes;
    uint64_t seg = UINT64_MAX;
    for (int k = 0; k < 2; k++) {
        const tcp_config *c = &sc->tcp[k];
        uint64_t m = c->mss;
        if (c->rcv_buf < m)
            m = c->rcv_buf;
        if (c->snd_buf < m)
            m = c->snd_buf;
        if (m < seg)
            seg = m;
    }
    if (seg == 0)
        return UINT64_MAX;
    uint64_t n = bytes / seg + 1;
    if (sc->app[0].echo || sc->app[1].echo)
        n *= 2;
    return n;
}

/* True when playing the scenario is a small job (see the file comment). */
static bool cheap(sim_scenario *sc)
{
    if (segments_needed(sc) > 20000)
        return false;
    if (sc->rtt < 1000 || (sc->bandwidth != 0 && sc->bandwidth < 64000))
        return false;
    for (int k = 0; k < 2; k++) {
        const tcp_config *c = &sc->tcp[k];
        if (c->rto_min < 1000 || c->rto_initial < 1000 || c->rto_max < 1000)
            return false;
        if (c->delack != 0 && c->delack < 1000)
            return false;
        if (c->syn_retries > 20 || c->max_retries > 30)
            return false;
    }
    if (sc->until > 600000000u) /* ten minutes of simulated time */
        sc->until = 600000000u;
    return true;
}

static void check_errors(const sim_script *s, int rc)
{
    CHECK(rc == 0 || rc == -1);
    CHECK((rc == 0) == (s->n_err == 0));
    CHECK(s->n_err <= SIM_PARSE_MAX_ERRORS);
    if (s->n_err_more)
        CHECK(s->n_err == SIM_PARSE_MAX_ERRORS);
    for (size_t i = 0; i < s->n_err; i++) {
        const sim_parse_error *e = &s->err[i];
        CHECK(e->line >= 1 && e->col >= 1);
        CHECK(memchr(e->msg, '\0', sizeof e->msg) != NULL);
        CHECK(e->msg[0] != '\0');
        CHECK(strchr(e->msg, '\n') == NULL);
    }
}

/* The options' promises over a whole trace (see the file comment). */
static void check_options(const trace_buf *tb)
{
    bool ts_syn[2] = {false, false}, sack_syn[2] = {false, false};
    for (size_t i = 0; i < tb->n; i++) {
        const trace_event *ev = &tb->ev[i];
        if (ev->kind != TRACE_SEND || ev->ep > 1)
            continue;
        const tcp_seg *s = &ev->seg;
        if (s->flags & TCP_SYN) {
            ts_syn[ev->ep] |= s->has_ts;
            sack_syn[ev->ep] |= s->sack_perm;
            continue;
        }
        if (s->has_ts)
            CHECK(ts_syn[0] && ts_syn[1]);
        CHECK(s->nsack <= TCP_MAX_SACK);
        if (s->nsack > 0)
            CHECK(sack_syn[0] && sack_syn[1]);
        for (unsigned k = 0; k < s->nsack; k++)
            CHECK((int32_t)(s->sack[k].right - s->sack[k].left) > 0);
        uint8_t opt[CAP_EXPORT_OPT_MAX];
        unsigned fit = 0;
        cap_export_tcp_options(s, opt, &fit);
        CHECK(fit == s->nsack);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > SIM_PARSE_FILE_MAX + 16)
        return -1;
    int rc = sim_parse(&a, (const char *)data, size);
    check_errors(&a, rc);
    CHECK(a.n_expect <= SIM_MAX_EXPECT);
    CHECK(a.sc.n_actions <= SIM_MAX_ACTIONS && a.sc.n_rules <= SIM_MAX_RULES);
    CHECK(memchr(a.summary, '\0', sizeof a.summary) != NULL);
    CHECK(memchr(a.sc.name, '\0', sizeof a.sc.name) != NULL);
    CHECK(memchr(a.sc.description, '\0', sizeof a.sc.description) != NULL);

    /* deterministic */
    int rc2 = sim_parse(&b, (const char *)data, size);
    CHECK(rc2 == rc && b.n_err == a.n_err && b.n_err_more == a.n_err_more);
    for (size_t i = 0; i < a.n_err; i++) {
        CHECK(a.err[i].line == b.err[i].line && a.err[i].col == b.err[i].col);
        CHECK(strcmp(a.err[i].msg, b.err[i].msg) == 0);
    }
    if (rc != 0)
        return 0;

    CHECK(a.sc.n_actions == b.sc.n_actions && a.sc.n_rules == b.sc.n_rules);
    CHECK(a.n_expect == b.n_expect);
    sim_script_resolve(&a);
    for (size_t i = 0; i < a.sc.n_rules; i++)
        CHECK(a.sc.rules[i].seq_lo == b.sc.rules[i].seq_lo &&
              a.sc.rules[i].seq_hi == b.sc.rules[i].seq_hi);
    for (size_t i = 0; i < a.n_expect; i++) {
        const sim_expect *e = &a.expect[i];
        CHECK(e->n_list <= SIM_EXPECT_LIST);
        CHECK(memchr(e->text, '\0', sizeof e->text) != NULL);
        CHECK(memchr(e->cause, '\0', sizeof e->cause) != NULL);
    }

    if (!cheap(&a.sc))
        return 0;
    static sim_net net;
    trace_buf tb;
    trace_buf_init(&tb);
    sim_net_meta(&a.sc, &tb.meta); /* as cli_play does: addresses and ISNs for the exporter */
    sim_net_init(&net, &a.sc, trace_buf_sink(&tb));
    CHECK(sim_net_run(&net) == 0);
    CHECK(net.now <= a.sc.until);
    sim_net_free(&net);
    check_options(&tb);
    for (size_t i = 0; i < a.n_expect; i++) {
        char why[SIM_EXPECT_WHY];
        memset(why, 0x55, sizeof why);
        bool ok = sim_expect_check(&a.expect[i], &a.sc, &tb, why, sizeof why);
        if (!ok)
            CHECK(memchr(why, '\0', sizeof why) != NULL);
    }
    /* the writers, as `tcpsim --scenario-file F` and `--json` run them */
    cli_text text = {.out = devnull, .meta = &tb.meta, .verbose = size % 2 == 0};
    cli_json json = {.out = devnull};
    for (size_t i = 0; i < tb.n; i++) {
        cli_text_emit(&text, &tb.ev[i]);
        cli_json_emit(&json, &tb.ev[i]);
    }
    if (!tb.oom && a.sc.n_hosts == 0) {
        export_and_replay(&tb, size);
    } else if (!tb.oom) { /* hosts: one TCP connection per capture, as --write-pcap writes */
        trace_buf one;
        if (trace_buf_select(&tb, (uint32_t)(size % 3), &one) != 0 && !one.oom)
            export_and_replay(&one, size);
        trace_buf_free(&one);
    }
    trace_buf_free(&tb);
    return 0;
}
