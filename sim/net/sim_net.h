/*
 * sim_net.h - the discrete-event simulator: two endpoints, a duplex link and two applications.
 *
 * sim_net_run() plays a scenario on integer microseconds.  Each step takes the earliest of the
 * event queue's head (a segment arriving, a scenario action) and the endpoints' own deadlines
 * (tcp_next_deadline), runs it, then lets both applications react and drains both endpoints'
 * output onto the link.  Every segment sent, received or lost goes to the trace sink, as do the
 * application calls; the endpoints report their own state changes, timers and RTT samples.
 * Memory is bounded by what is in flight, not by how much data is transferred.
 */
#ifndef TCPSIM_SIM_NET_H
#define TCPSIM_SIM_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_heap.h"
#include "sim_rng.h"
#include "sim_scenario.h"
#include "tcp.h"
#include "trace.h"

#define SIM_TEXT_LOG 16

/* The bytes of written text in one direction, kept to show what a read returned. */
typedef struct sim_textlog {
    uint64_t off[SIM_TEXT_LOG]; /* stream offset of the first byte */
    uint32_t len[SIM_TEXT_LOG];
    char text[SIM_TEXT_LOG][SIM_TEXT_MAX];
    uint32_t n;
} sim_textlog;

typedef struct sim_app {
    uint64_t pending; /* bytes of a blocked write not yet in the send buffer */
    uint64_t blocked_call_bytes;
    bool blocked;    /* a write is blocked: later actions wait */
    bool connecting; /* connect() blocks until the handshake is over: later actions wait */
    uint32_t deferred[SIM_MAX_ACTIONS]; /* actions that came due while blocked */
    uint32_t n_deferred;
    uint64_t written; /* bytes the application handed to TCP */
    uint64_t read;    /* bytes it read */
    bool closed;      /* close or abort was called: the application reads no more */
    bool eof_seen;    /* read() returned end of file */
    bool close_scheduled;
} sim_app;

typedef struct sim_stats {
    uint64_t segments;  /* segments sent by both endpoints */
    uint64_t dropped;   /* lost on the link */
    uint64_t delivered; /* arrivals (duplicates count twice) */
    uint64_t events;    /* simulation steps */
    bool time_limit;    /* stopped at scenario.until */
} sim_stats;

typedef struct sim_net {
    sim_scenario sc;
    tcp_endpoint ep[2];
    tcp_sb sb[2]; /* the endpoints' SACK scoreboards (tcp_attach_sb) */
    sim_app app[2];
    sim_textlog textlog[2];
    sim_heap heap;
    sim_rng rng;
    trace_sink sink; /* stamps each event with conn 1 and passes it to `out` */
    trace_sink out;  /* the caller's sink */
    uint64_t now;
    uint64_t seg_id;
    uint64_t sent_in_dir[2];
    uint64_t link_free[2];
    uint32_t rule_seen[SIM_MAX_RULES]; /* segments that met a rule's conditions */
    uint32_t rule_hits[SIM_MAX_RULES]; /* times it acted */
    sim_stats stats;
    /* events an endpoint reports while producing a segment are held until the segment's own
     * "send" event is out, so that a trace reads "send SYN" before "timer rto armed" */
    trace_sink ep_sink;
    bool holding;
    trace_event held[8];
    uint32_t n_held;
    /* a scenario with hosts runs on a world of hosts and sockets (sim_sock.h) instead */
    struct sim_world *world;
    bool world_failed;
} sim_net;

/* Sets up the network for a scenario (copied); the sink receives the trace.  A scenario with
 * hosts (sc->n_hosts > 0) is played by sim_world_run (sim_sock.h); stats and now follow it. */
void sim_net_init(sim_net *net, const sim_scenario *sc, trace_sink sink);
/* Runs to the end (nothing left to happen, or the time limit).  Returns 0, or -1 if memory ran
 * out. */
int sim_net_run(sim_net *net);
void sim_net_free(sim_net *net);

/* Fills a trace_meta for this scenario (title, addresses, ISNs, one-way delay). */
void sim_net_meta(const sim_scenario *sc, trace_meta *meta);

/* ---- internals shared by sim_net.c, sim_link.c and sim_app.c ---- */
/* Puts a segment sent by `from` on the link. */
int sim_link_send(sim_net *net, uint8_t from, const tcp_seg *seg);
/* Runs scenario action `index` now (or defers it while a write blocks). */
void sim_app_action(sim_net *net, uint32_t index);
/* Lets the application on `i` react to what its endpoint has (data to read, end of file,
 * send buffer space); returns true if it did anything. */
bool sim_app_react(sim_net *net, uint8_t i);
/* Closes the application on `i` now (scheduled close after end of file). */
void sim_app_close(sim_net *net, uint8_t i);

#endif
