/*
 * export_test.h - shared by the exporter's tests: cmocka's includes in the order it wants, a
 * hand-built trace (segments sent, received and lost, application writes, notes) and a reader
 * that takes an exported file back through the capture library (libpcap via cap_source, then
 * cap_decode) into plain records: time, sender, decoded segment, IP ID and payload bytes.
 */
#ifndef TCPSIM_TEST_EXPORT_TEST_H
#define TCPSIM_TEST_EXPORT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cap_decode.h"
#include "cap_export.h"
#include "cap_source.h"
#include "trace.h"

/* ---- building traces ----------------------------------------------------------------------- */

static inline void xt_start(trace_buf *tb, const char *client, const char *server)
{
    trace_buf_free(tb);
    trace_buf_init(tb);
    snprintf(tb->meta.title, sizeof tb->meta.title, "test");
    snprintf(tb->meta.addr[0], sizeof tb->meta.addr[0], "%s", client);
    snprintf(tb->meta.addr[1], sizeof tb->meta.addr[1], "%s", server);
    tb->meta.isn_known[0] = tb->meta.isn_known[1] = true;
    tb->meta.isn[0] = 1000;
    tb->meta.isn[1] = 2000;
    tb->meta.one_way = 50000;
    tb->meta.vantage = TRACE_VANTAGE_UNKNOWN;
}

static inline trace_event *xt_add(trace_buf *tb, trace_kind kind, uint8_t ep, uint64_t t)
{
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = (uint8_t)kind;
    ev.ep = ep;
    ev.t = t;
    trace_buf_emit(tb, &ev);
    assert_false(tb->oom);
    return &tb->ev[tb->n - 1];
}

/* A segment event: send, recv or drop of segment `id`. */
static inline trace_event *xt_seg(trace_buf *tb, trace_kind kind, uint8_t ep, uint64_t t,
                                  uint64_t id, uint32_t seq, uint32_t ack, uint32_t len,
                                  uint8_t flags)
{
    trace_event *e = xt_add(tb, kind, ep, t);
    e->id = id;
    e->seg.seq = seq;
    e->seg.ack = ack;
    e->seg.len = len;
    e->seg.flags = flags;
    e->seg.win = e->seg.win_raw = 65535;
    return e;
}

/* send at t, receive at t + 50 ms: the common case */
static inline void xt_hop(trace_buf *tb, uint8_t from, uint64_t t, uint64_t id, uint32_t seq,
                          uint32_t ack, uint32_t len, uint8_t flags)
{
    xt_seg(tb, TRACE_SEND, from, t, id, seq, ack, len, flags);
    xt_seg(tb, TRACE_RECV, (uint8_t)(1 - from), t + 50000, id, seq, ack, len, flags);
}

static inline void xt_write(trace_buf *tb, uint8_t ep, uint64_t t, uint64_t bytes, const char *text)
{
    trace_event *e = xt_add(tb, TRACE_APP, ep, t);
    e->u.app.call = TCP_CALL_WRITE;
    e->u.app.bytes = bytes;
    e->u.app.done = bytes;
    if (text)
        snprintf(e->text, sizeof e->text, "%s", text);
}

/* ---- reading exported files back ----------------------------------------------------------- */

typedef struct xt_pkt {
    uint64_t ts_us;
    cap_packet p;
    uint8_t from; /* 0 when the source port is the client's (49152), else 1 */
    uint8_t data[2048];
    uint32_t caplen;
} xt_pkt;

#define XT_MAX 256

typedef struct xt_file {
    int linktype;
    size_t n;
    xt_pkt pkt[XT_MAX];
} xt_file;

/* Reads `path` through cap_source and cap_decode; every packet must decode with a good
 * checksum.  Returns the number of packets. */
static inline size_t xt_read(const char *path, xt_file *f, uint16_t client_port)
{
    cap_source *src = NULL;
    char err[512];
    int rc = cap_source_open_file(&src, path, err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    f->linktype = cap_source_linktype(src);
    f->n = 0;
    for (;;) {
        cap_frame fr;
        int n = cap_source_next(src, &fr, err, sizeof err);
        if (n == CAP_NEXT_EOF)
            break;
        if (n != CAP_NEXT_PACKET)
            fail_msg("%s", err);
        assert_true(f->n < XT_MAX);
        xt_pkt *k = &f->pkt[f->n++];
        memset(k, 0, sizeof *k);
        k->ts_us = fr.ts_us;
        assert_int_equal(fr.caplen, fr.wirelen);
        k->caplen = fr.caplen;
        memcpy(k->data, fr.data, fr.caplen < sizeof k->data ? fr.caplen : sizeof k->data);
        k->p.ts_us = fr.ts_us;
        assert_int_equal(cap_decode(fr.linktype, fr.data, fr.caplen, fr.wirelen, &k->p),
                         CAP_SKIP_NONE);
        assert_int_equal(k->p.csum, CAP_CSUM_GOOD);
        k->from = k->p.sport == client_port ? 0 : 1;
    }
    cap_source_close(src);
    return f->n;
}

/* The payload of a packet read back. */
static inline const uint8_t *xt_payload(const xt_pkt *k)
{
    return k->data + k->caplen - k->p.seg.len;
}

#endif
