/*
 * hostile_run.h - what the hostile-input tests share: a scratch directory, a growable byte image
 * for writing capture files by hand (pcap and pcapng, either byte order), a runner that starts
 * the real tcpsim binary with a given standard input and collects its exit status, standard
 * output, standard error, peak RSS and wall time, and checks of the results (one-line messages,
 * fields of the JSON capture line).
 */
#ifndef TCPSIM_TEST_HOSTILE_RUN_H
#define TCPSIM_TEST_HOSTILE_RUN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* ---- a byte image ------------------------------------------------------------------------ */

typedef struct img {
    uint8_t *b;
    size_t len, cap;
    bool be; /* pcap/pcapng fields in big-endian order */
} img;

void img_reset(img *m);
void img_free(img *m);
void img_put(img *m, const void *p, size_t n);
void img_put16(img *m, unsigned v);
void img_put32(img *m, uint32_t v);

/* pcap global header: microsecond (or nanosecond) magic, version 2.4, snaplen, link type. */
void img_pcap_header(img *m, bool be, bool nano, uint32_t snaplen, uint32_t linktype);
/* A record whose header says caplen/wirelen; `n` bytes of data follow (n may differ from
 * caplen to build broken files). */
void img_pcap_record(img *m, uint64_t ts_us, uint32_t caplen, uint32_t wirelen, const uint8_t *data,
                     size_t n);
/* A well-formed record holding all of data. */
void img_pcap_packet(img *m, uint64_t ts_us, const uint8_t *data, size_t n);
/* pcapng: Section Header Block and one Interface Description Block. */
void img_pcapng_header(img *m, uint16_t linktype);
/* An Enhanced Packet Block on interface 0. */
void img_pcapng_epb(img *m, uint64_t ts_us, const uint8_t *data, size_t n);

/* ---- files -------------------------------------------------------------------------------- */

/* The scratch directory of this run (created by hostile_setup, removed by hostile_teardown). */
extern char hostile_dir[];
int hostile_setup(void **state);
int hostile_teardown(void **state);
/* hostile_dir/name, in a static buffer (rotating among 4). */
const char *hpath(const char *name);
void write_img(const char *path, const img *m);
void write_text(const char *path, const char *text);
/* Number of entries in a directory (without . and ..). */
int dir_entries(const char *path);

/* ---- running tcpsim ---------------------------------------------------------------------- */

typedef struct run_result {
    int status;      /* exit status, or 128 + signal */
    char *out, *err; /* what it wrote (NUL-terminated, heap) */
    long maxrss_kb;  /* peak resident set size of the tcpsim process */
    double seconds;  /* wall time */
} run_result;

/* Runs tcpsim with the NULL-terminated arguments; standard input is `in_path` (NULL: /dev/null)
 * or, when in_fd >= 0, that descriptor; stdout goes to `out_path` when not NULL (then r.out is
 * empty) or is collected. */
run_result run_tcpsim(const char *in_path, int in_fd, const char *out_path,
                      const char *const *args);
void run_free(run_result *r);
/* Shorthand: tcpsim ARGS..., standard input from /dev/null. */
#define RUN(...) run_tcpsim(NULL, -1, NULL, (const char *const[]){__VA_ARGS__, NULL})

/* ---- checks ------------------------------------------------------------------------------ */

/* Exit status `status`, standard error exactly one line that starts with `prefix` and contains
 * `part` (NULL: anything). */
void expect_fail(const run_result *r, int status, const char *prefix, const char *part);
/* The last line of stdout that starts with {"ev":"capture" (fails the test if none). */
const char *capture_line(const run_result *r);
/* A numeric field of a JSON line ("packets", "untracked"...). */
uint64_t json_u64(const char *line, const char *field);
/* The "skipped" object of the capture line must be exactly `want` (e.g. {"truncated":1}). */
void expect_skipped(const char *line, const char *want);

#endif
