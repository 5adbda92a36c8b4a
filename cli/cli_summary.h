/*
 * cli_summary.h - the per-connection summary of a replayed capture (one row or one JSON line per
 * connection) and the capture's closing line with its counts and skip reasons.
 */
#ifndef TCPSIM_CLI_SUMMARY_H
#define TCPSIM_CLI_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "cap_conn.h"
#include "cap_replay.h"

void cli_summary_header(FILE *out);
/* One connection: its line, one line per direction, and with `verbose` the state paths. */
void cli_summary_text(FILE *out, const cap_conn *c, bool verbose);
void cli_summary_json(FILE *out, const cap_conn *c);
void cli_capture_text(FILE *out, const cap_replay *r);
void cli_capture_json(FILE *out, const cap_replay *r);

#endif
