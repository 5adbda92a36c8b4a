/*
 * trace_select.c - one connection out of a trace of several (a scenario with hosts): its events,
 * with the trace's metadata made about it (its addresses from its conn record, its ISNs from its
 * SYNs), for consumers that handle one connection (the pcap exporter, single-connection tests).
 */
#include <stdio.h>
#include <string.h>

#include "trace.h"

/* The first TCP connection's number (any_kind: or the first datagram flow's), or 0. */
static uint32_t first_conn(const trace_buf *in, bool any_kind)
{
    for (size_t k = 0; k < in->n; k++)
        if (in->ev[k].kind == TRACE_CONN && (any_kind || !in->ev[k].u.conn.udp))
            return in->ev[k].conn;
    return 0;
}

uint32_t trace_buf_select(const trace_buf *in, uint32_t conn, trace_buf *out)
{
    trace_buf_init(out);
    out->meta = in->meta;
    if (conn == TRACE_SELECT_ANY)
        conn = first_conn(in, false) ? first_conn(in, false) : first_conn(in, true);
    if (conn == 0)
        conn = first_conn(in, false);
    if (conn == 0)
        return 0;
    bool found = false;
    out->meta.isn_known[0] = out->meta.isn_known[1] = false;
    for (size_t k = 0; k < in->n; k++) {
        const trace_event *ev = &in->ev[k];
        if (ev->conn != conn)
            continue;
        if (ev->kind == TRACE_CONN) {
            char a[TRACE_TEXT_MAX];
            snprintf(a, sizeof a, "%s", ev->text);
            char *sp = strchr(a, ' ');
            if (sp) {
                *sp = '\0';
                snprintf(out->meta.addr[0], sizeof out->meta.addr[0], "%s", a);
                snprintf(out->meta.addr[1], sizeof out->meta.addr[1], "%s", sp + 1);
            }
            found = true;
        }
        if (ev->kind == TRACE_SEND && (ev->seg.flags & TCP_SYN) && ev->ep < 2 &&
            !out->meta.isn_known[ev->ep]) {
            out->meta.isn_known[ev->ep] = true;
            out->meta.isn[ev->ep] = ev->seg.seq;
        }
        trace_buf_emit(out, ev);
    }
    return found ? conn : 0;
}
