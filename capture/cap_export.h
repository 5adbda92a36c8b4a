/*
 * cap_export.h - writes a simulated trace as the classic pcap file that a capture taken at one
 * end of the connection would hold (docs/pcap-export.md).  The capture point sits at the vantage
 * endpoint (the client unless asked otherwise): the segments it sends appear at their send time,
 * those it receives at their arrival time; a segment the vantage endpoint sent and the link lost
 * is present (it was lost after the capture point), one the peer sent and the link lost is
 * absent; a segment the link duplicated arrives, and appears, twice.  Frames are Ethernet II or
 * raw IP, IPv4 or IPv6 after the addresses of the trace, with correct checksums, the TCP options
 * of each segment, and payload bytes rebuilt from what the applications wrote.  A datagram flow
 * (a trace whose conn record has u.conn.udp) is written the same way as UDP datagrams.
 */
#ifndef TCPSIM_CAP_EXPORT_H
#define TCPSIM_CAP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

enum {
    CAP_EXPORT_EREQUEST = -1, /* the request cannot be honoured: a capture trace, addresses that
                                 are not IP:PORT of one family, a segment too large for IP */
    CAP_EXPORT_ERUNTIME = -2, /* writing failed (file system, memory); nothing was left behind */
};

/* Wall-clock second that virtual time 0 is placed at: 2026-01-01 00:00:00 UTC. */
#define CAP_EXPORT_EPOCH 1767225600u

typedef struct cap_export_opts {
    unsigned vantage; /* TRACE_CLIENT (default) or TRACE_SERVER: where the capture is taken */
    bool raw_ip;      /* LINKTYPE_RAW instead of Ethernet framing */
    uint64_t epoch;   /* seconds since 1970 of virtual time 0 (CAP_EXPORT_EPOCH) */
} cap_export_opts;

void cap_export_opts_default(cap_export_opts *o);

/*
 * Writes `path` ("-" is standard output, written directly).  The file is written under a
 * temporary name in the same directory and renamed over `path` only when complete, so on failure
 * nothing is left behind and an existing file at `path` is untouched.  Returns 0,
 * CAP_EXPORT_EREQUEST or CAP_EXPORT_ERUNTIME with a one-line message (naming the file) in err.
 */
int cap_export_pcap(const trace_buf *tb, const cap_export_opts *o, const char *path, char *err,
                    size_t errlen);

/*
 * The TCP headers of a trace's segments for the explorer's header panel (cap_export_hdr.c), built
 * by the same frame builder as the pcap file.  For a simulated trace, fn is called for every
 * "send" event with the bytes of its TCP header (options and checksum included) exactly as
 * --write-pcap puts them on the wire (the checksum covers the payload rebuilt from the
 * applications' writes); for a datagram of a datagram flow, with its whole UDP datagram: the
 * 8-byte header and the payload.  One connection or flow at a time (trace_buf_select).
 * Returns 0, or CAP_EXPORT_EREQUEST / CAP_EXPORT_ERUNTIME with err set.
 */
typedef void (*cap_export_hdr_fn)(void *ctx, size_t ev_index, const uint8_t *tcp, size_t len);
int cap_export_headers(const trace_buf *tb, cap_export_hdr_fn fn, void *ctx, char *err,
                       size_t errlen);
/* The TCP header of a captured segment sent by `from` (TRACE_CLIENT or TRACE_SERVER) between the
 * two "ADDR:PORT" ends, rebuilt from the segment's fields: the trace keeps no payload, so the
 * checksum field is left 0.  Writes at most `size` bytes (60 are always enough); returns the
 * header's length, or 0 when the addresses do not parse. */
size_t cap_export_tcp_header(const char *client, const char *server, unsigned from,
                             const tcp_seg *seg, uint8_t *out, size_t size);

#endif
