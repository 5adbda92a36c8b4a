/*
 * cli_export.c - the bridge from the command line to the pcap exporter.
 */
#include "cli_export.h"

#include <stdio.h>
#include <string.h>

#include "cap_export.h"

int cli_export_pcap(const trace_buf *tb, const cli_options *o)
{
    cap_export_opts eo;
    cap_export_opts_default(&eo);
    if (o->vantage && strcmp(o->vantage, "server") == 0)
        eo.vantage = TRACE_SERVER;
    if (o->pcap_link && strcmp(o->pcap_link, "raw") == 0)
        eo.raw_ip = true;
    char err[512];
    int rc = cap_export_pcap(tb, &eo, o->write_pcap, err, sizeof err);
    if (rc == 0)
        return CLI_EXIT_OK;
    fprintf(stderr, "tcpsim: %s\n", err);
    return rc == CAP_EXPORT_EREQUEST ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
}
