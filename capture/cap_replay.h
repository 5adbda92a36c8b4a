/*
 * cap_replay.h - replays captured packets through the observer endpoints: decode each frame,
 * find or start its connection (a new SYN on a finished tuple starts a new one), run it through
 * the connection, and hand the resulting trace events (tagged with the connection number) to a
 * sink.  Finished connections are handed to a callback and freed as the capture streams, so
 * memory is bounded by the connections open at once; at most `max_conns` are tracked, and
 * packets of flows beyond that are counted as untracked.
 */
#ifndef TCPSIM_CAP_REPLAY_H
#define TCPSIM_CAP_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "cap_conn.h"
#include "cap_flow.h"
#include "cap_source.h"
#include "cap_stats.h"
#include "trace.h"

#define CAP_FLOW_IDS_MAX 8 /* connections of a --flow list (one diagram's worth) */

typedef struct cap_replay_opts {
    /* emit events of these connections only (--flow N or N,M,...; none: all) */
    uint32_t flow_ids[CAP_FLOW_IDS_MAX];
    size_t n_flow_ids;
    bool flow_tuple; /* ...or of the connection with this 4-tuple (either direction) */
    cap_addr flow_addr[2];
    uint16_t flow_port[2];
    uint32_t max_conns; /* connections tracked at once (default 10000) */
    uint64_t linger;    /* a finished connection is kept this long for late segments (10 s) */
    bool tcb;           /* report the observer endpoints' TCBs after each packet (tcp_tcbrec.h) */
    bool arrivals;      /* a recv event for each packet when the receiver applies it, at the
                           replay's estimate of its arrival (what diagrams draw; tcp_observe.c) */
} cap_replay_opts;

void cap_replay_opts_default(cap_replay_opts *o);

typedef void (*cap_conn_done_fn)(void *ctx, const cap_conn *c);

#define CAP_HELD_MAX 16

typedef struct cap_replay {
    cap_replay_opts o;
    cap_flows flows;
    cap_stats stats;
    trace_sink out;
    cap_conn_done_fn done;
    void *done_ctx;
    uint64_t t0; /* timestamp of the first packet: trace times count from it */
    bool have_t0;
    uint64_t t_last;        /* latest timestamp seen (relative) */
    uint64_t ts_backwards;  /* packets whose timestamp went back (their time is clamped) */
    uint64_t untracked;     /* TCP packets of flows beyond max_conns */
    uint64_t conns;         /* connections seen */
    bool have_kernel_stats; /* live capture: what pcap_stats said at the end */
    uint64_t kernel_dropped, if_dropped;
    /* event routing */
    trace_sink ep_sink; /* what the endpoints see */
    cap_conn *cur_c;    /* the connection whose packet is in hand (NULL while one is set up) */
    uint32_t cur_conn;
    bool cur_selected;
    bool holding;
    trace_event held[CAP_HELD_MAX];
    uint32_t n_held;
} cap_replay;

/* Returns 0, or -1 when memory runs out. */
int cap_replay_init(cap_replay *r, const cap_replay_opts *o, trace_sink out, cap_conn_done_fn done,
                    void *done_ctx);
/* Decodes and replays one frame of a capture with link type `linktype`. */
void cap_replay_frame(cap_replay *r, int linktype, const cap_frame *f);
/* Hands every remaining connection to the callback, in connection order, and frees them. */
void cap_replay_finish(cap_replay *r);
void cap_replay_free(cap_replay *r);
/* True when the connection is the one --flow selected (or no selection was made). */
bool cap_replay_selected(const cap_replay *r, const cap_conn *c);

#endif
