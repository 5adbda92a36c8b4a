/*
 * cap_export.h - writes a simulated trace as the pcap file a capture at one end of the
 * connection would hold (placeholder API; see issue 5).
 */
#ifndef TCPSIM_CAP_EXPORT_H
#define TCPSIM_CAP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "trace.h"

enum {
    CAP_EXPORT_EREQUEST = -1, /* the request cannot be honoured (e.g. a capture trace) */
    CAP_EXPORT_ERUNTIME = -2, /* writing failed */
};

typedef struct cap_export_opts {
    unsigned vantage; /* TRACE_CLIENT (default) or TRACE_SERVER: where the capture is taken */
    bool raw_ip;      /* LINKTYPE_RAW instead of Ethernet framing */
} cap_export_opts;

void cap_export_opts_default(cap_export_opts *o);
/* Writes `path`; returns 0, CAP_EXPORT_EREQUEST or CAP_EXPORT_ERUNTIME with err set. */
int cap_export_pcap(const trace_buf *tb, const cap_export_opts *o, const char *path, char *err,
                    size_t errlen);

#endif
