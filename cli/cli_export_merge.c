/*
 * cli_export_merge.c - `--write-pcap FILE` for a scenario with several connections: each TCP
 * connection and each datagram flow (framed as UDP) is written by the pcap exporter
 * (capture/cap_export.h) on its own into a scratch file, and the records of all of them are
 * merged in time order into FILE (ties keep the order of the connections).  At the client
 * vantage every connection is seen at its client, at the server vantage at its server: with one
 * client host or one server host, what a capture on that host holds.  A datagram flow's client
 * is the end that sent its first datagram.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_export.h"
#include "out_file.h"

typedef struct rec {
    uint64_t ts; /* seconds * 1e6 + microseconds */
    size_t order;
    const uint8_t *p; /* 16-byte record header and the frame */
    size_t len;
} rec;

static uint32_t get32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int cmp_rec(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Reads the whole file; NULL on failure. */
static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        uint8_t *p = realloc(buf, cap * 2);
        if (p == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = p;
        cap *= 2;
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Appends the records of one exported file (its header checked) to *r. */
static int add_records(const uint8_t *buf, size_t len, rec **r, size_t *n, size_t *cap)
{
    if (len < 24)
        return -1;
    for (size_t off = 24; off + 16 <= len;) {
        size_t incl = get32(buf + off + 8);
        if (off + 16 + incl > len)
            return -1;
        if (*n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 1024;
            rec *p = realloc(*r, ncap * sizeof *p);
            if (p == NULL)
                return -1;
            *r = p;
            *cap = ncap;
        }
        (*r)[*n] = (rec){(uint64_t)get32(buf + off) * 1000000u + get32(buf + off + 4), *n,
                         buf + off, 16 + incl};
        (*n)++;
        off += 16 + incl;
    }
    return 0;
}

int cli_export_all(const trace_buf *tb, const cli_options *o)
{
    uint32_t conns[4096];
    size_t nc = 0;
    for (size_t k = 0; k < tb->n && nc < sizeof conns / sizeof conns[0]; k++)
        if (tb->ev[k].kind == TRACE_CONN)
            conns[nc++] = tb->ev[k].conn;
    if (nc == 0) {
        fprintf(stderr, "tcpsim: %s: no connection or datagram flow to write\n", o->write_pcap);
        return CLI_EXIT_USAGE;
    }
    char dir[] = "/tmp/tcpsim-export.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "tcpsim: %s: %s\n", dir, strerror(errno));
        return CLI_EXIT_RUNTIME;
    }
    int rc = CLI_EXIT_OK;
    uint8_t **files = calloc(nc, sizeof *files);
    rec *r = NULL;
    size_t nr = 0, rcap = 0;
    char path[64];
    for (size_t k = 0; k < nc && rc == CLI_EXIT_OK; k++) {
        if (files == NULL) {
            rc = CLI_EXIT_RUNTIME;
            break;
        }
        trace_buf one;
        (void)trace_buf_select(tb, conns[k], &one);
        cli_options ok = *o;
        snprintf(path, sizeof path, "%s/%zu.pcap", dir, k);
        ok.write_pcap = path;
        rc = one.oom ? CLI_EXIT_RUNTIME : cli_export_pcap(&one, &ok);
        trace_buf_free(&one);
        size_t len = 0;
        if (rc == CLI_EXIT_OK && ((files[k] = slurp(path, &len)) == NULL ||
                                  add_records(files[k], len, &r, &nr, &rcap) < 0))
            rc = CLI_EXIT_RUNTIME;
        unlink(path);
    }
    rmdir(dir);
    if (rc == CLI_EXIT_OK) {
        qsort(r, nr, sizeof *r, cmp_rec);
        out_file of;
        char err[512];
        if (out_open(&of, o->write_pcap, err, sizeof err) < 0) {
            fprintf(stderr, "tcpsim: %s\n", err);
            rc = CLI_EXIT_RUNTIME;
        } else {
            bool ok = fwrite(files[0], 1, 24, of.fp) == 24;
            for (size_t k = 0; k < nr && ok; k++)
                ok = fwrite(r[k].p, 1, r[k].len, of.fp) == r[k].len;
            if (!ok) {
                fprintf(stderr, "tcpsim: %s: writing: %s\n", o->write_pcap, strerror(errno));
                out_abort(&of);
                rc = CLI_EXIT_RUNTIME;
            } else if (out_commit(&of, o->write_pcap, err, sizeof err) < 0) {
                fprintf(stderr, "tcpsim: %s\n", err);
                rc = CLI_EXIT_RUNTIME;
            }
        }
    }
    for (size_t k = 0; files && k < nc; k++)
        free(files[k]);
    free(files);
    free(r);
    return rc;
}
