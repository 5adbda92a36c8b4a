/*
 * fuzz_replay.c - libFuzzer target for the whole capture replay: the input bytes are a capture
 * file.  They are written to a memfd and opened by name (/proc/self/fd/N) through
 * cap_source_open_file, exactly as `tcpsim --pcap FILE` opens a file, so libpcap's pcap and
 * pcapng readers, tcpsim's own reader of pcapng files whose interfaces have different link
 * types (cap_pcapng.c: a memfd is a regular file, so it is scanned and chosen as for a file on
 * disk; each frame is decoded with its own link type), cap_source's error messages, the
 * decoder, the connection table, the observer endpoints and the writers all run.  Every event goes
 * to the text and JSON writers, every finished connection to both summary writers, and the capture
 * line is written, all into /dev/null.  Built with -DFUZZ_PCAPNG=1 it is the pcapng target: inputs
 * that do not start with the pcapng Section Header Block type are rejected (return -1), so
 * mutations stay in pcapng. Options that a user could set are varied with the input's size
 * (--max-conns 3, a short linger,
 * --flow 2) so that the connection cap, early retirement and flow selection are fuzzed too.
 * With -v (a quarter of the inputs) the observer endpoints' TCB records are on (tcp_tcbrec.c) and
 * every captured segment's TCP header is rebuilt as the explorer page shows it
 * (cap_export_tcp_header): the records' inferred values are among their known ones, and the
 * header holds the segment's numbers and a data offset that covers its options.
 * Checked promises: every error message is one line and names the file; a read error names the
 * packet after the last one delivered; the packet count in the capture line is the number of
 * frames read; untracked packets appear only when the cap was reached.  A quarter of the inputs
 * also go through the command's own run (cli_run_pcap, standard output into /dev/null) with a
 * --from/--to range of capture times and packet numbers taken from the input's first bytes, text
 * or JSON, with or without the summary: it returns 0 or 2 (bad input), never crashes.  A capture
 * is read the way a file is (a memfd is a regular file), so the mapped reading of classic pcap
 * files and its hand-over to libpcap at an unusual record are fuzzed too.
 */
#define _GNU_SOURCE /* memfd_create */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cap_conn.h"
#include "cap_export.h"
#include "cap_pcapng.h"
#include "cap_replay.h"
#include "cap_source.h"
#include "cli_json.h"
#include "cli_pcap.h"
#include "cli_summary.h"
#include "cli_text.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_replay: broken promise: %s (line %d)\n", #cond, __LINE__);       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char path[64];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    memfd = memfd_create("fuzz-capture", 0);
    devnull = fopen("/dev/null", "w");
    if (memfd < 0 || devnull == NULL) {
        perror("fuzz_replay: set-up");
        abort();
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
    if (freopen("/dev/null", "w", stdout) == NULL) { /* cli_run_pcap writes its trace there */
        perror("fuzz_replay: stdout");
        abort();
    }
    return 0;
}

/* An input's byte at k, 0 past its end. */
static uint64_t byte_at(const uint8_t *data, size_t size, size_t k)
{
    return k < size ? data[k] : 0;
}

/* The command's run with --from/--to from the input's bytes 24..31 (a pcap file's first record
 * header: its timestamp bytes vary as the fuzzer mutates). */
static void run_range(const uint8_t *data, size_t size)
{
    cli_pcap_opts o;
    memset(&o, 0, sizeof o);
    o.path = path;
    o.json = byte_at(data, size, 24) & 1;
    o.summary = (byte_at(data, size, 24) & 2) != 0;
    o.verbose = (byte_at(data, size, 24) & 4) != 0;
    o.max_conns = 10000;
    o.range = true;
    o.from_us = byte_at(data, size, 25) * 1000u;
    o.to_us = o.from_us + byte_at(data, size, 26) * 100000u;
    o.from_pkt = byte_at(data, size, 27) % 8;
    o.to_pkt = byte_at(data, size, 28) & 1 ? UINT64_MAX : o.from_pkt + byte_at(data, size, 29);
    int rc = cli_run_pcap(&o);
    CHECK(rc == 0 || rc == 2);
}

static void write_input(const uint8_t *data, size_t size)
{
    CHECK(ftruncate(memfd, 0) == 0);
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(memfd, data + done, size - done, (off_t)done);
        CHECK(n > 0);
        done += (size_t)n;
    }
}

/* A message must be one line that starts with the file's name. */
static void check_message(const char *err)
{
    CHECK(err[0] != '\0');
    CHECK(strchr(err, '\n') == NULL);
    CHECK(strncmp(err, path, strlen(path)) == 0);
}

typedef struct done_ctx {
    cap_replay *r;
    uint64_t conns;
    trace_meta meta;
} done_ctx;

static void on_done(void *ctx, const cap_conn *c)
{
    done_ctx *x = ctx;
    x->conns++;
    CHECK(c->id >= 1 && c->id <= x->r->conns);
    if (!cap_replay_selected(x->r, c))
        return;
    if (x->conns == 1)
        cap_conn_meta(c, path, &x->meta);
    cli_summary_text(devnull, c, true);
    cli_summary_json(devnull, c);
}

/* The explorer's view of the trace: TCB records and rebuilt headers (see the top). */
static void explorer_emit(void *ctx, const trace_event *ev)
{
    (void)ctx;
    if (ev->kind == TRACE_TCB) {
        CHECK(ev->tcb.state < TCP_STATE_COUNT);
        CHECK((ev->tcb.inferred & ~ev->tcb.known) == 0);
        CHECK(ev->tcb.known & TRACE_TCB_STATE);
        return;
    }
    if (ev->kind != TRACE_SEND)
        return;
    uint8_t h[64];
    size_t n =
        cap_export_tcp_header("192.0.2.1:1000", "192.0.2.2:80", ev->ep, &ev->seg, h, sizeof h);
    CHECK(n >= 20 && n <= 60 && n % 4 == 0);
    CHECK((size_t)(h[12] >> 4) * 4 == n);
    CHECK(((uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7]) ==
          ev->seg.seq);
    CHECK(h[13] == ev->seg.flags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_PCAPNG
    static const uint8_t shb[4] = {0x0a, 0x0d, 0x0d, 0x0a};
    if (size < 4 || memcmp(data, shb, 4) != 0)
        return -1;
#endif
    write_input(data, size);

    char err[1024] = "";
    cap_source *src = NULL;
    if (cap_source_open_file(&src, path, err, sizeof err) < 0) {
        CHECK(src == NULL);
        check_message(err);
        return 0;
    }
    if (cap_source_check_link(src, err, sizeof err) < 0) {
        check_message(err);
        cap_source_close(src);
        return 0;
    }

    cap_replay_opts ro;
    cap_replay_opts_default(&ro);
    if (size % 2)
        ro.max_conns = 3;
    if (size % 5 == 0)
        ro.linger = 1000; /* 1 ms: finished connections retire at once */
    if (size % 3 == 0)
        ro.flow_ids[ro.n_flow_ids++] = 2;
    ro.tcb = size % 4 == 0; /* -v */

    static cli_isn_slot isn_cache[CLI_TEXT_ISN_CACHE];
    memset(isn_cache, 0, sizeof isn_cache);
    cli_text text = {.out = devnull,
                     .show_conn = true,
                     .relative_seq = true,
                     .isn_cache = isn_cache,
                     .verbose = size % 4 == 0};
    cli_json json = {.out = devnull, .with_conn = true, .tcb = ro.tcb};
    trace_tee tee = {.n = 0};
    trace_tee_add(&tee, (trace_sink){cli_text_emit, &text});
    trace_tee_add(&tee, (trace_sink){cli_json_emit, &json});
    trace_tee_add(&tee, (trace_sink){explorer_emit, NULL});

    static cap_replay r;
    done_ctx x = {.r = &r};
    CHECK(cap_replay_init(&r, &ro, (trace_sink){trace_tee_emit, &tee}, on_done, &x) == 0);
    uint64_t frames = 0;
    for (;;) {
        cap_frame f;
        int n = cap_source_next(src, &f, err, sizeof err);
        if (n == CAP_NEXT_EOF)
            break;
        CHECK(n != CAP_NEXT_TIMEOUT); /* files never time out */
        if (n < 0) {
            CHECK(n == CAP_ERR_READ);
            check_message(err);
            char want[64];
            snprintf(want, sizeof want, "packet %llu ", (unsigned long long)frames + 1);
            CHECK(strstr(err, want) != NULL);
            /* the error is sticky */
            char again[1024];
            CHECK(cap_source_next(src, &f, again, sizeof again) == CAP_ERR_READ);
            CHECK(strcmp(again, err) == 0);
            break;
        }
        frames++;
        CHECK(f.index == frames);
        if (cap_source_mixed_links(src)) /* a packet lies inside one block of at most 16 MiB */
            CHECK(f.caplen < CAP_PCAPNG_MAX_BLOCK && (f.caplen == 0 || f.data != NULL));
        cap_replay_frame(&r, f.linktype, &f);
    }
    cap_replay_finish(&r);
    CHECK(r.stats.packets == frames);
    CHECK(x.conns == r.conns);
    CHECK(r.flows.live == 0);
    if (r.untracked)
        CHECK(r.conns >= ro.max_conns);
    cli_capture_text(devnull, &r);
    cli_capture_json(devnull, &r);
    cap_replay_free(&r);
    cap_source_close(src);
    if (size % 4 == 1)
        run_range(data, size);
    return 0;
}
