/*
 * cap_export.c - placeholder until pcap export lands: refuses with a clear message.
 */
#include "cap_export.h"

#include <stdio.h>
#include <string.h>

void cap_export_opts_default(cap_export_opts *o)
{
    memset(o, 0, sizeof *o);
    o->vantage = TRACE_CLIENT;
}

int cap_export_pcap(const trace_buf *tb, const cap_export_opts *o, const char *path, char *err,
                    size_t errlen)
{
    (void)tb;
    (void)o;
    snprintf(err, errlen, "%s: pcap export is not supported yet", path);
    return CAP_EXPORT_EREQUEST;
}
