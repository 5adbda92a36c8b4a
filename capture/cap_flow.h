/*
 * cap_flow.h - the table of connections open in a capture: one key for both directions (the
 * 4-tuple, hashed so that A->B and B->A meet), a list ordered by last activity so that finished
 * connections can be retired as the file streams, and a cap on how many are tracked at once so
 * that memory stays bounded whatever the capture holds.
 */
#ifndef TCPSIM_CAP_FLOW_H
#define TCPSIM_CAP_FLOW_H

#include <stdint.h>

#include "cap_conn.h"

/* Connections remembered by a cheap unkeyed hash of their ports, checked (with an exact tuple
 * compare) before the keyed hash: with many connections interleaved, the keyed hash was 9 % of
 * the replay's instructions.  Flows crafted to share a slot only fall back to the keyed hash. */
#define CAP_FLOW_RECENT 256

typedef struct cap_flows {
    cap_conn **buckets;
    uint32_t mask;         /* buckets - 1 (a power of two minus one) */
    cap_conn *head, *tail; /* least recently active first */
    cap_conn *last;        /* the connection found last: most packets follow their predecessor's */
    cap_conn *recent[CAP_FLOW_RECENT]; /* the last found per slot of a cheap hash of the ports */
    uint32_t live, max_live;
    uint32_t next_id;
} cap_flows;

/* Returns 0, or -1 when memory runs out. */
int cap_flows_init(cap_flows *f, uint32_t max_live);
void cap_flows_free(cap_flows *f);
/* The connection this packet belongs to, or NULL. */
cap_conn *cap_flows_find(cap_flows *f, const cap_packet *p);
/* A new connection for this first packet; NULL when max_live are open or memory ran out. */
cap_conn *cap_flows_add(cap_flows *f, const cap_packet *p, uint64_t t, trace_sink sink);
/* Marks c as the most recently active. */
void cap_flows_touch(cap_flows *f, cap_conn *c);
/* Takes c out of the table and frees it. */
void cap_flows_remove(cap_flows *f, cap_conn *c);

#endif
