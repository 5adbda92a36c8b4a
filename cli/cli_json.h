/*
 * cli_json.h - the JSON Lines trace writer: one object per event, in the schema documented in
 * docs/trace-format.md ("t", "ep", "ev" on every line; the rest by event kind).
 */
#ifndef TCPSIM_CLI_JSON_H
#define TCPSIM_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "trace.h"

typedef struct cli_json {
    FILE *out;
    bool with_conn; /* add "conn" to every event (captures) */
    bool tcb;       /* write "tcb" records (-v); without it they are left out */
} cli_json;

void cli_json_emit(void *ctx, const trace_event *ev); /* trace_sink function; ctx is cli_json */
/* Writes s as a JSON string literal (with quotes). */
void cli_json_string(FILE *out, const char *s);
/* Writes the fields of a "tcb" record after "ev":"tcb" (from ",\"state\"" on). */
void cli_json_tcb(FILE *out, const trace_tcb *b);
/* Writes the "seg" object of a segment. */
void cli_json_segment(FILE *out, const tcp_seg *s);

#endif
