/*
 * cap_export_hdr.c - TCP headers of single segments for the explorer's header panel
 * (cap_export.h): the pcap exporter's own frame builder (cap_export_frame.c) and payload streams
 * (cap_export_payload.c), driven segment by segment, so the panel shows the bytes --write-pcap
 * writes, checksum included.  A datagram flow's datagrams are given whole: the UDP header of
 * cap_export_udp.c and the payload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap_export_int.h"

enum { TCP_HDR_MAX = 60 };

/* The offset of the TCP header in a raw-IP frame of these ends. */
static size_t tcp_offset(const cap_export_ends *e)
{
    return e->addr[0].family == CAP_FAMILY_IPV6 ? 40u : 20u;
}

int cap_export_headers(const trace_buf *tb, cap_export_hdr_fn fn, void *ctx, char *err,
                       size_t errlen)
{
    if (tb->meta.capture) {
        snprintf(err, errlen, "the headers of a capture are not rebuilt from the payload");
        return CAP_EXPORT_EREQUEST;
    }
    cap_export_ends ends;
    if (cap_export_ends_init(&ends, tb->meta.addr[0], tb->meta.addr[1], err, errlen) < 0)
        return CAP_EXPORT_EREQUEST;
    bool dgram = cap_export_is_dgram_flow(tb);
    cap_export_stream st[2];
    cap_export_stream_init(&st[0], dgram ? UINT32_MAX : tb->meta.isn[0]);
    cap_export_stream_init(&st[1], dgram ? UINT32_MAX : tb->meta.isn[1]);
    uint8_t *frame = malloc(CAP_EXPORT_FRAME_MAX);
    uint8_t *payload = malloc(65536);
    uint64_t *at = malloc((tb->n ? tb->n : 1) * sizeof *at); /* each send's stream offset */
    int rc = 0;
    if (frame == NULL || payload == NULL || at == NULL) {
        snprintf(err, errlen, "out of memory");
        rc = CAP_EXPORT_ERUNTIME;
        goto out;
    }
    /* first the streams, whole: sendto() is traced after the datagram it sends */
    for (size_t i = 0; i < tb->n; i++) {
        const trace_event *e = &tb->ev[i];
        unsigned ep = e->ep & 1u;
        if (e->kind == TRACE_APP && cap_export_is_stream_write(tb, i, dgram) &&
            cap_export_stream_write(&st[ep], e->u.app.bytes, e->text) < 0) {
            snprintf(err, errlen, "out of memory");
            rc = CAP_EXPORT_ERUNTIME;
            goto out;
        }
        if (e->kind == TRACE_SEND && e->seg.len > 0)
            at[i] = cap_export_stream_offset(&st[ep], &e->seg);
    }
    for (size_t i = 0; i < tb->n; i++) {
        const trace_event *e = &tb->ev[i];
        unsigned ep = e->ep & 1u;
        if (e->kind != TRACE_SEND || e->seg.len > 65535u)
            continue;
        if (e->seg.len > 0)
            cap_export_stream_fill(&st[ep], at[i], payload, e->seg.len);
        if (e->seg.tags & TCP_TAG_DATAGRAM) { /* the UDP header and the payload */
            size_t n = cap_export_udp_frame(frame, CAP_EXPORT_FRAME_MAX, &ends, true, ep, 0,
                                            payload, e->seg.len);
            size_t off = cap_export_ip_header_len(&ends);
            if (n > off)
                fn(ctx, i, frame + off, n - off);
            continue;
        }
        size_t n =
            cap_export_frame(frame, CAP_EXPORT_FRAME_MAX, &ends, true, ep, 0, &e->seg, payload);
        if (n == 0)
            continue; /* too large for one IP packet: --write-pcap refuses the trace */
        size_t off = tcp_offset(&ends), hlen = (size_t)(frame[off + 12] >> 4) * 4u;
        fn(ctx, i, frame + off, hlen);
    }
out:
    free(at);
    free(frame);
    free(payload);
    cap_export_stream_free(&st[0]);
    cap_export_stream_free(&st[1]);
    return rc;
}

size_t cap_export_tcp_header(const char *client, const char *server, unsigned from,
                             const tcp_seg *seg, uint8_t *out, size_t size)
{
    cap_export_ends ends;
    char why[160];
    if (cap_export_ends_init(&ends, client, server, why, sizeof why) < 0)
        return 0;
    tcp_seg hdr_only = *seg;
    hdr_only.len = 0; /* the header alone: no payload to sum */
    uint8_t frame[40 + TCP_HDR_MAX];
    size_t n = cap_export_frame(frame, sizeof frame, &ends, true, from & 1u, 0, &hdr_only, NULL);
    size_t off = tcp_offset(&ends);
    if (n <= off)
        return 0;
    size_t hlen = n - off;
    if (hlen > size)
        return 0;
    memcpy(out, frame + off, hlen);
    out[16] = out[17] = 0; /* a checksum of the header without its payload would be wrong */
    return hlen;
}
