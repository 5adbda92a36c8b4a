/*
 * cap_export.c - pcap export of a simulated trace (cap_export.h, docs/pcap-export.md).  One pass
 * over the trace replays the applications' writes into each side's byte stream, numbers every
 * segment a side sends (its IP ID, and where its payload sits in the stream) and picks the frames
 * a capture at the vantage endpoint holds: its own sends, at the send time, and its arrivals, at
 * the arrival time.  A datagram flow (a UDP "connection" of a scenario with hosts) is planned
 * the same way, its datagrams framed as UDP (cap_export_udp.c).  The frames are sorted by time
 * (stably: events of one microsecond keep the trace's order) and written as a classic
 * little-endian pcap with microsecond timestamps placed after a fixed epoch.  The file is
 * written under a temporary name beside the target and renamed into place only when every byte
 * is on disk, so a failure leaves nothing behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cap_export_int.h"
#include "out_file.h"

void cap_export_opts_default(cap_export_opts *o)
{
    memset(o, 0, sizeof *o);
    o->vantage = TRACE_CLIENT;
    o->raw_ip = false;
    o->epoch = CAP_EXPORT_EPOCH;
}

/* ---- messages ------------------------------------------------------------------------------ */

/* Writes the message into err (when there is room for one) and returns rc. */
static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* ---- choosing the frames ------------------------------------------------------------------- */

/* A segment as sent: what every copy of it shares. */
typedef struct sent_seg {
    uint64_t id;  /* the trace's segment id */
    uint64_t off; /* stream offset of its first payload byte */
    uint16_t ip_id;
} sent_seg;

/* One frame of the capture. */
typedef struct frame {
    uint64_t t;     /* virtual time, us */
    size_t ev;      /* index of its event in the trace (also the tie-break of the sort) */
    uint8_t from;   /* sender: 0 client, 1 server */
    bool udp;       /* a UDP datagram (TCP_TAG_DATAGRAM), not a TCP segment */
    uint16_t ip_id; /* filled from the sent_seg */
    uint64_t off;
} frame;

typedef struct plan {
    cap_export_stream stream[2];
    sent_seg *sent;
    size_t n_sent;
    bool sent_sorted;
    frame *fr;
    size_t n_fr;
} plan;

static void plan_free(plan *p)
{
    cap_export_stream_free(&p->stream[0]);
    cap_export_stream_free(&p->stream[1]);
    free(p->sent);
    free(p->fr);
}

/* A write the simulator reported and then took back ("write failed": the connection was not
 * open for sending); its bytes never entered the stream. */
bool cap_export_write_failed(const trace_buf *tb, size_t i)
{
    const trace_event *w = &tb->ev[i];
    if (!w->u.app.blocked || w->u.app.done != 0)
        return false;
    for (size_t k = i + 1; k < tb->n && k < i + 4 && tb->ev[k].t == w->t; k++) {
        const trace_event *e = &tb->ev[k];
        if (e->kind == TRACE_NOTE && e->ep == w->ep && strncmp(e->text, "write failed", 12) == 0)
            return true;
    }
    return false;
}

static int cmp_sent(const void *a, const void *b)
{
    const sent_seg *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_frame(const void *a, const void *b)
{
    const frame *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->ev < y->ev ? -1 : x->ev > y->ev;
}

static const sent_seg *find_sent(const plan *p, uint64_t id)
{
    size_t lo = 0, hi = p->n_sent;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->sent[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n_sent && p->sent[lo].id == id ? &p->sent[lo] : NULL;
}

/* True when the trace is a datagram flow: its conn record says so, or (without one) its first
 * send is a datagram. */
bool cap_export_is_dgram_flow(const trace_buf *tb)
{
    for (size_t i = 0; i < tb->n; i++) {
        const trace_event *e = &tb->ev[i];
        if (e->kind == TRACE_CONN)
            return e->u.conn.udp;
        if (e->kind == TRACE_SEND)
            return (e->seg.tags & TCP_TAG_DATAGRAM) != 0;
    }
    return false;
}

/* A write into ep's stream: write() on a TCP connection, sendto() on a datagram flow. */
bool cap_export_is_stream_write(const trace_buf *tb, size_t i, bool dgram)
{
    const trace_event *e = &tb->ev[i];
    if (e->u.app.call == TCP_CALL_SENDTO)
        return dgram && e->u.app.bytes > 0 && (!e->u.app.has_ret || e->u.app.ret >= 0);
    return e->u.app.call == TCP_CALL_WRITE && !cap_export_write_failed(tb, i);
}

/* Walks the trace once; returns 0 or -1 when memory runs out.  The datagrams of a flow are
 * numbered like TCP segments: each side's datagrams lie end to end in its "stream" of sendto
 * bytes, a datagram's seq being its first byte's offset (so the stream's ISN is 2^32 - 1). */
static int plan_build(plan *p, const trace_buf *tb, unsigned vantage)
{
    memset(p, 0, sizeof *p);
    bool dgram = cap_export_is_dgram_flow(tb);
    cap_export_stream_init(&p->stream[0], dgram ? UINT32_MAX : tb->meta.isn[0]);
    cap_export_stream_init(&p->stream[1], dgram ? UINT32_MAX : tb->meta.isn[1]);
    size_t n = tb->n ? tb->n : 1;
    p->sent = malloc(n * sizeof *p->sent);
    p->fr = malloc(n * sizeof *p->fr);
    if (p->sent == NULL || p->fr == NULL)
        return -1;
    p->sent_sorted = true;
    uint16_t ip_id[2] = {0, 0};
    for (size_t i = 0; i < tb->n; i++) {
        const trace_event *e = &tb->ev[i];
        unsigned ep = e->ep & 1u;
        switch ((trace_kind)e->kind) {
        case TRACE_APP:
            if (cap_export_is_stream_write(tb, i, dgram) &&
                cap_export_stream_write(&p->stream[ep], e->u.app.bytes, e->text) < 0)
                return -1;
            break;
        case TRACE_SEND: {
            sent_seg *s = &p->sent[p->n_sent];
            s->id = e->id;
            s->ip_id = ++ip_id[ep];
            s->off = e->seg.len ? cap_export_stream_offset(&p->stream[ep], &e->seg) : 0;
            if (p->n_sent > 0 && p->sent[p->n_sent - 1].id >= e->id)
                p->sent_sorted = false;
            p->n_sent++;
            if (ep == vantage)
                p->fr[p->n_fr++] =
                    (frame){e->t, i, (uint8_t)ep, (e->seg.tags & TCP_TAG_DATAGRAM) != 0, 0, 0};
            break;
        }
        case TRACE_RECV:
            if (ep == vantage)
                p->fr[p->n_fr++] = (frame){
                    e->t, i, (uint8_t)(1u - ep), (e->seg.tags & TCP_TAG_DATAGRAM) != 0, 0, 0};
            break;
        default:
            break;
        }
    }
    if (!p->sent_sorted)
        qsort(p->sent, p->n_sent, sizeof *p->sent, cmp_sent);
    for (size_t k = 0; k < p->n_fr; k++) {
        frame *f = &p->fr[k];
        const trace_event *e = &tb->ev[f->ev];
        const sent_seg *s = find_sent(p, e->id);
        if (s != NULL) {
            f->ip_id = s->ip_id;
            f->off = s->off;
        } else if (e->seg.len) { /* an arrival whose sending is not in the trace */
            f->off = cap_export_stream_offset(&p->stream[f->from], &e->seg);
        }
    }
    qsort(p->fr, p->n_fr, sizeof *p->fr, cmp_frame);
    return 0;
}

/* ---- the pcap file ------------------------------------------------------------------------- */

static void le16(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *b, uint32_t v)
{
    le16(b, v);
    le16(b + 2, v >> 16);
}

static bool put_file_header(FILE *f, bool raw_ip)
{
    uint8_t h[24];
    le32(h, 0xa1b2c3d4u); /* microsecond timestamps */
    le16(h + 4, 2);       /* version 2.4 */
    le16(h + 6, 4);
    le32(h + 8, 0);  /* thiszone: timestamps are UTC */
    le32(h + 12, 0); /* sigfigs */
    le32(h + 16, CAP_EXPORT_SNAPLEN);
    le32(h + 20, raw_ip ? CAP_EXPORT_LINKTYPE_RAW : CAP_EXPORT_LINKTYPE_ETHERNET);
    return fwrite(h, 1, sizeof h, f) == sizeof h;
}

static bool put_record(FILE *f, uint64_t epoch, uint64_t t, const uint8_t *frame_bytes, size_t len)
{
    uint8_t h[16];
    le32(h, (uint32_t)(epoch + t / 1000000u));
    le32(h + 4, (uint32_t)(t % 1000000u));
    le32(h + 8, (uint32_t)len);
    le32(h + 12, (uint32_t)len);
    return fwrite(h, 1, sizeof h, f) == sizeof h && fwrite(frame_bytes, 1, len, f) == len;
}

/* Checks that every frame can be built before anything is written. */
static int check_frames(const plan *p, const trace_buf *tb, const cap_export_ends *ends,
                        uint64_t epoch, char *err, size_t errlen)
{
    bool v6 = ends->addr[0].family == CAP_FAMILY_IPV6;
    for (size_t k = 0; k < p->n_fr; k++) {
        const trace_event *e = &tb->ev[p->fr[k].ev];
        size_t hdr = p->fr[k].udp ? cap_export_ip_udp_header_len(ends)
                                  : cap_export_ip_tcp_header_len(ends, &e->seg);
        size_t total = hdr + e->seg.len - (v6 ? 40u : 0u);
        if (e->seg.len > 65535u || total > 65535u)
            return fail(err, errlen, CAP_EXPORT_EREQUEST,
                        "%s %llu (%u bytes of payload) is too large for one %s packet",
                        p->fr[k].udp ? "datagram" : "segment", (unsigned long long)e->id,
                        (unsigned)e->seg.len, v6 ? "IPv6" : "IPv4");
        if (epoch + e->t / 1000000u > UINT32_MAX)
            return fail(err, errlen, CAP_EXPORT_EREQUEST,
                        "a time after 2106 does not fit in a pcap timestamp");
    }
    return 0;
}

/* Writes the whole capture to f; returns false on a write error (errno set). */
static bool write_capture(FILE *f, const plan *p, const trace_buf *tb, const cap_export_ends *ends,
                          const cap_export_opts *o, uint8_t *buf, uint8_t *payload)
{
    if (!put_file_header(f, o->raw_ip))
        return false;
    for (size_t k = 0; k < p->n_fr; k++) {
        const frame *fr = &p->fr[k];
        const tcp_seg *seg = &tb->ev[fr->ev].seg;
        if (seg->len > 0)
            cap_export_stream_fill(&p->stream[fr->from], fr->off, payload, seg->len);
        size_t len = fr->udp ? cap_export_udp_frame(buf, CAP_EXPORT_FRAME_MAX, ends, o->raw_ip,
                                                    fr->from, fr->ip_id, payload, seg->len)
                             : cap_export_frame(buf, CAP_EXPORT_FRAME_MAX, ends, o->raw_ip,
                                                fr->from, fr->ip_id, seg, payload);
        if (len == 0) { /* check_frames() ruled this out */
            errno = EOVERFLOW;
            return false;
        }
        if (!put_record(f, o->epoch, fr->t, buf, len))
            return false;
    }
    return fflush(f) == 0 && !ferror(f);
}

int cap_export_pcap(const trace_buf *tb, const cap_export_opts *o, const char *path, char *err,
                    size_t errlen)
{
    if (tb == NULL || path == NULL || path[0] == '\0')
        return fail(err, errlen, CAP_EXPORT_EREQUEST, "pcap export needs a trace and a file name");
    cap_export_opts defaults;
    if (o == NULL) {
        cap_export_opts_default(&defaults);
        o = &defaults;
    }
    if (tb->meta.capture)
        return fail(err, errlen, CAP_EXPORT_EREQUEST,
                    "%s: pcap export needs a simulated trace, not one replayed from a capture",
                    path);
    if (o->vantage != TRACE_CLIENT && o->vantage != TRACE_SERVER)
        return fail(err, errlen, CAP_EXPORT_EREQUEST, "%s: the vantage must be client or server",
                    path);
    if (tb->oom)
        return fail(err, errlen, CAP_EXPORT_ERUNTIME,
                    "%s: the trace is incomplete (memory ran out while it was recorded)", path);
    cap_export_ends ends;
    char why[200];
    if (cap_export_ends_init(&ends, tb->meta.addr[0], tb->meta.addr[1], why, sizeof why) < 0)
        return fail(err, errlen, CAP_EXPORT_EREQUEST, "%s: %s", path, why);

    int rc = 0;
    plan p;
    uint8_t *buf = NULL, *payload = NULL;

    if (plan_build(&p, tb, o->vantage) < 0) {
        rc = fail(err, errlen, CAP_EXPORT_ERUNTIME, "%s: out of memory", path);
        goto out;
    }
    rc = check_frames(&p, tb, &ends, o->epoch, why, sizeof why);
    if (rc < 0) {
        rc = fail(err, errlen, rc, "%s: %s", path, why);
        goto out;
    }
    buf = malloc(CAP_EXPORT_FRAME_MAX);
    payload = malloc(65536);
    if (buf == NULL || payload == NULL) {
        rc = fail(err, errlen, CAP_EXPORT_ERUNTIME, "%s: out of memory", path);
        goto out;
    }

    out_file of;
    if (out_open(&of, path, err, errlen) < 0) {
        rc = CAP_EXPORT_ERUNTIME;
        goto out;
    }
    if (!write_capture(of.fp, &p, tb, &ends, o, buf, payload)) {
        rc = fail(err, errlen, CAP_EXPORT_ERUNTIME, "%s: writing: %s",
                  of.is_stdout ? "standard output" : path, strerror(errno));
        out_abort(&of);
        goto out;
    }
    if (out_commit(&of, path, err, errlen) < 0)
        rc = CAP_EXPORT_ERUNTIME;

out:
    free(buf);
    free(payload);
    plan_free(&p);
    return rc;
}
