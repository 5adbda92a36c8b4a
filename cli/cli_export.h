/*
 * cli_export.h - `--write-pcap FILE` for scenarios: turns the options (--vantage, --pcap-link)
 * into a call of the pcap exporter (capture/cap_export.h) and maps its errors to exit codes.
 */
#ifndef TCPSIM_CLI_EXPORT_H
#define TCPSIM_CLI_EXPORT_H

#include "cli_opts.h"
#include "trace.h"

/* Writes o->write_pcap from the simulated trace `tb`; returns the exit status. */
int cli_export_pcap(const trace_buf *tb, const cli_options *o);
/* The same for a trace of several connections (a scenario with hosts): every TCP connection and
 * every datagram flow (as UDP), merged in time order into one file (cli_export_merge.c). */
int cli_export_all(const trace_buf *tb, const cli_options *o);

#endif
