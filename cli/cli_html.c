/*
 * cli_html.c - builds the explorer page's data object (cli_html.h) and hands it to
 * render/rnd_html.c.  The records are written by the JSON writer itself (cli_json.c, with "tcb"
 * records), the lines by the text writer (cli_text.c, verbose: one line per record), so the page
 * shows exactly what `tcpsim --json -v` and `tcpsim -v` print; the header bytes come from the
 * pcap exporter's frame builder (cap_export_headers for a simulation, with the checksum over the
 * rebuilt payload; cap_export_tcp_header for a capture, without a checksum).
 */
#include "cli_html.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap_export.h"
#include "cli_json.h"
#include "cli_render.h"
#include "cli_text.h"
#include "rnd_html.h"

static void put_hex(FILE *out, uint64_t id, const uint8_t *b, size_t n, bool *first)
{
    fprintf(out, "%s\"%" PRIu64 "\":\"", *first ? "" : ",", id);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%02x", b[i]);
    fputc('"', out);
    *first = false;
}

typedef struct hdr_ctx {
    const trace_buf *tb;
    FILE *out;
    bool first;
} hdr_ctx;

static void on_header(void *ctx, size_t i, const uint8_t *tcp, size_t len)
{
    hdr_ctx *h = ctx;
    put_hex(h->out, h->tb->ev[i].id, tcp, len, &h->first);
}

static const cli_html_conn *find_conn(const cli_html_conn *c, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].id == id)
            return &c[i];
    return NULL;
}

/* True for a scenario with hosts: its connections and flows begin with conn records. */
static bool has_conn_records(const trace_buf *tb)
{
    for (size_t i = 0; i < tb->n; i++)
        if (tb->ev[i].kind == TRACE_CONN)
            return true;
    return false;
}

/* The headers of a simulation's segments into h->out; 0 or -1.  A scenario with hosts is done
 * connection by connection, each with its own ends and ISNs (trace_buf_select). */
static int put_sim_headers(const trace_buf *tb, hdr_ctx *h)
{
    char err[200];
    if (!has_conn_records(tb)) {
        h->tb = tb;
        if (cap_export_headers(tb, on_header, h, err, sizeof err) == CAP_EXPORT_ERUNTIME) {
            fprintf(stderr, "tcpsim: %s\n", err);
            return -1;
        }
        return 0;
    }
    for (size_t i = 0; i < tb->n; i++) {
        if (tb->ev[i].kind != TRACE_CONN)
            continue;
        trace_buf one;
        (void)trace_buf_select(tb, tb->ev[i].conn, &one);
        h->tb = &one;
        int rc =
            one.oom ? CAP_EXPORT_ERUNTIME : cap_export_headers(&one, on_header, h, err, sizeof err);
        trace_buf_free(&one);
        if (rc == CAP_EXPORT_ERUNTIME) {
            fprintf(stderr, "tcpsim: %s\n", one.oom ? "out of memory" : err);
            return -1;
        }
    }
    return 0;
}

/* The "wire" object: segment id -> TCP header in hex (a datagram: its UDP header and payload). */
static int put_wire(FILE *out, const trace_buf *tb, const cli_html_conn *conns, size_t n_conns)
{
    fputs(",\"wire\":{", out);
    bool first = true;
    if (!tb->meta.capture) {
        hdr_ctx h = {tb, out, true};
        if (put_sim_headers(tb, &h) < 0)
            return -1;
    } else {
        for (size_t i = 0; i < tb->n; i++) {
            const trace_event *e = &tb->ev[i];
            if (e->kind != TRACE_SEND)
                continue;
            const cli_html_conn *c = find_conn(conns, n_conns, e->conn);
            uint8_t hdr[64];
            size_t n =
                c ? cap_export_tcp_header(c->addr[0], c->addr[1], e->ep, &e->seg, hdr, sizeof hdr)
                  : 0;
            if (n)
                put_hex(out, e->id, hdr, n, &first);
        }
    }
    fputc('}', out);
    return 0;
}

/* Writes buf's lines (each ending in '\n') as a JSON array of strings. */
static void put_lines(FILE *out, char *buf, size_t len)
{
    fputc('[', out);
    size_t start = 0;
    bool first = true;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        buf[i] = '\0';
        if (!first)
            fputc(',', out);
        cli_json_string(out, buf + start);
        first = false;
        start = i + 1;
    }
    fputc(']', out);
}

/* The connections and flows of a scenario with hosts, from their conn records: each with its
 * own ends ("ADDR:PORT ADDR:PORT" in the record's text) and, for a datagram flow, "proto":"udp".
 * The socket calls outside every connection (conn 0) are not a connection: no entry. */
static void put_sim_conns(FILE *out, const trace_buf *tb)
{
    bool first = true;
    for (size_t i = 0; i < tb->n; i++) {
        const trace_event *e = &tb->ev[i];
        const char *sp = e->kind == TRACE_CONN ? strchr(e->text, ' ') : NULL;
        if (sp == NULL)
            continue;
        char client[TRACE_TEXT_MAX];
        snprintf(client, sizeof client, "%.*s", (int)(sp - e->text), e->text);
        fprintf(out, "%s\"%" PRIu32 "\":{\"client\":", first ? "" : ",", e->conn);
        cli_json_string(out, client);
        fputs(",\"server\":", out);
        cli_json_string(out, sp + 1);
        fprintf(out, ",\"proto\":\"%s\"}", e->u.conn.udp ? "udp" : "tcp");
        first = false;
    }
}

/* The data object into out; 0 or -1. */
static int put_data(FILE *out, const trace_buf *tb, const cli_options *o, const char *title,
                    const char *description, const cli_html_conn *conns, size_t n_conns)
{
    bool capture = tb->meta.capture;
    fputs("{\"format\":\"tcpsim-explorer-data\",\"version\":1,\"title\":", out);
    cli_json_string(out, title);
    fputs(",\"description\":", out);
    cli_json_string(out, description ? description : "");
    fprintf(out, ",\"capture\":%s,\"checksums\":%s,\"conns\":{", capture ? "true" : "false",
            capture ? "false" : "true");
    if (!capture && !has_conn_records(tb)) {
        fputs("\"0\":{\"client\":", out);
        cli_json_string(out, tb->meta.addr[0]);
        fputs(",\"server\":", out);
        cli_json_string(out, tb->meta.addr[1]);
        fputc('}', out);
    } else if (!capture) {
        put_sim_conns(out, tb);
    }
    for (size_t i = 0; capture && i < n_conns; i++) {
        fprintf(out, "%s\"%" PRIu32 "\":{\"client\":", i ? "," : "", conns[i].id);
        cli_json_string(out, conns[i].addr[0]);
        fputs(",\"server\":", out);
        cli_json_string(out, conns[i].addr[1]);
        fputc('}', out);
    }
    fputc('}', out);

    /* the records and the text lines, each written by its own writer into memory */
    char *jbuf = NULL, *tbuf = NULL;
    size_t jlen = 0, tlen = 0;
    FILE *jm = open_memstream(&jbuf, &jlen), *tm = open_memstream(&tbuf, &tlen);
    if (jm == NULL || tm == NULL) {
        if (jm)
            fclose(jm);
        if (tm)
            fclose(tm);
        free(jbuf);
        free(tbuf);
        return -1;
    }
    static cli_isn_slot isn_cache[CLI_TEXT_ISN_CACHE];
    memset(isn_cache, 0, sizeof isn_cache);
    cli_json json = {.out = jm, .with_conn = capture, .tcb = true};
    cli_text text = {.out = tm,
                     .show_conn = true, /* a line for every record, conn records too */
                     .relative_seq = capture && !o->absolute,
                     .isn_cache = capture ? isn_cache : NULL,
                     .verbose = true,
                     .meta = &tb->meta,
                     .header_done = true};
    for (size_t i = 0; i < tb->n; i++) {
        cli_json_emit(&json, &tb->ev[i]);
        if (tb->ev[i].kind != TRACE_TCB) /* the list shows events; the panels show the TCBs */
            cli_text_emit(&text, &tb->ev[i]);
    }
    int rc = 0;
    if (fclose(jm) != 0 || fclose(tm) != 0)
        rc = -1;
    if (rc == 0) {
        fputs(",\"records\":[", out);
        for (size_t i = 0; i + 1 < jlen; i++)
            if (jbuf[i] == '\n')
                jbuf[i] = ',';
        if (jlen > 0)
            fwrite(jbuf, 1, jlen - 1, out); /* without the last newline */
        fputs("],\"text\":", out);
        put_lines(out, tbuf, tlen);
        rc = put_wire(out, tb, conns, n_conns);
        fputs("}", out);
    }
    free(jbuf);
    free(tbuf);
    return rc;
}

int cli_html_write(const trace_buf *tb, const cli_options *o, const char *path,
                   const char *description, const cli_html_conn *conns, size_t n_conns)
{
    const char *title = o->title ? o->title : tb->meta.title;
    char *data = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&data, &len);
    int rc = m ? put_data(m, tb, o, title, description, conns, n_conns) : -1;
    if (m && fclose(m) != 0)
        rc = -1;
    if (rc < 0) {
        free(data);
        fprintf(stderr, "tcpsim: %s: out of memory building the page\n", path);
        return CLI_EXIT_RUNTIME;
    }
    rnd_options ro;
    rnd_options_default(&ro);
    if (o->absolute)
        ro.seq = RND_SEQ_ABSOLUTE;
    ro.title = o->title;
    rnd_html_page page = {.title = title, .data = data, .data_len = len, .tr = tb};
    char err[512];
    int r = rnd_write_html(&page, &ro, path, err, sizeof err);
    free(data);
    if (r == 0)
        return CLI_EXIT_OK;
    fprintf(stderr, "tcpsim: %s\n", err);
    return r == RND_EREQUEST ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
}
