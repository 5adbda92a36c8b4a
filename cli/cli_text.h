/*
 * cli_text.h - the human-readable trace writer: one line per trace event, in columns (time,
 * endpoint, event), with segments drawn as "-->" (client to server) or "<--".
 */
#ifndef TCPSIM_CLI_TEXT_H
#define TCPSIM_CLI_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "trace.h"

#define CLI_TEXT_ISN_CACHE 4096

/* ISNs of recent capture connections, learnt from their SYNs (direct-mapped by connection
 * number; a connection whose slot was taken falls back to absolute numbers). */
typedef struct cli_isn_slot {
    uint32_t conn;
    bool known[2];
    uint32_t isn[2];
} cli_isn_slot;

typedef struct cli_text {
    FILE *out;
    bool show_conn;    /* prefix each line with the connection number (captures) */
    bool relative_seq; /* print sequence numbers relative to the ISNs (meta, or learnt from SYNs
                          in captures when isn_cache is set) */
    cli_isn_slot *isn_cache; /* captures: CLI_TEXT_ISN_CACHE slots, or NULL */
    bool verbose;            /* also print cwnd changes and delayed-ACK timers */
    const trace_meta *meta;
    bool header_done;
} cli_text;

void cli_text_emit(void *ctx, const trace_event *ev); /* trace_sink function; ctx is cli_text */
/* Formats a segment as "SYN,ACK  seq=1000 ack=2001 len=0 win=65535 <mss 1460>". */
void cli_text_segment(const tcp_seg *s, uint32_t seq_base, uint32_t ack_base, char *buf,
                      size_t size);

/* Learns what relative numbering needs (a connection's ISNs) from an event it does not print. */
void cli_text_learn(cli_text *w, const trace_event *ev);

#endif
