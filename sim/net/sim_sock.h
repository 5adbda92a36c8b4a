/*
 * sim_sock.h - the simulator of scenarios with hosts: several hosts on one link, sockets on
 * them, and as many connections (and datagram flows) as the applications open.
 *
 * sim_world_run() plays a scenario whose `host` statements name the hosts.  Each host runs its
 * actions in order, as one single-threaded program: a blocking call (accept, connect, read,
 * write on a full buffer, poll, recvfrom) holds the host's later actions until it returns, and
 * the trace says when it blocks and when it returns, with its return value.  A non-blocking
 * socket (nonblock) returns EINPROGRESS or EAGAIN instead.
 *
 * A connection is two endpoints (tcp.h) that exist only while they are needed: the client's
 * from connect() to CLOSED, the server's from the SYN that reaches a listener to CLOSED (or
 * TIME-WAIT's end).  Arriving segments find their endpoint by the address/port tuple, so a
 * segment for an endpoint that is gone meets RFC 9293 3.10.7.1's CLOSED rules (a RST), and a
 * SYN that reuses the tuple of a connection in TIME-WAIT meets RFC 6191's.  A listener has the
 * two queues of real stacks (SYN queue, accept queue, bounded by the backlog; Linux's rules with
 * `profile linux`, docs/scenario-language.md).  Timers are events in the one event heap (one
 * per endpoint deadline, stale ones skipped), so a step costs O(log n), not O(connections).
 */
#ifndef TCPSIM_SIM_SOCK_H
#define TCPSIM_SIM_SOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_net.h"

/* What a SYN cookie holds (sim_cookie.c): the server keeps no state for it, the simulator keeps
 * this so that the ACK that returns the cookie can be checked and the connection rebuilt. */
typedef struct sim_wcookie {
    uint32_t iss, irs; /* the cookie SYN,ACK's SEQ; the SYN's */
    uint32_t iss_old;  /* the SEQ of the cookie before, for a repeated SYN (stateless cookies
                          stay good: an ACK of either makes the connection) */
    bool old_valid;    /* iss_old holds one */
    uint16_t mss;      /* the peer's MSS, rounded down to Linux's table (536 1300 1440 1460) */
    int8_t wscale;     /* the peer's window scale (only with timestamps); -1 none */
    bool sack, ts;     /* SACK-permitted (only with timestamps); timestamps */
    bool valid;        /* a cookie SYN,ACK went out and no ACK has used it */
} sim_wcookie;

/* One connection or datagram flow; index + 1 is its trace number (conn). */
typedef struct sim_wconn {
    bool udp;
    uint8_t host[2];       /* client's and server's host */
    uint16_t port[2];      /* client's and server's port */
    struct sim_wep *ep[2]; /* the endpoints while they exist */
    int32_t sock[2];       /* the socket of each side (-1: none, or queued at a listener) */
    int32_t listener;      /* server side, while in the listener's queues */
    uint8_t queue;         /* SIM_Q_NONE, SIM_Q_SYN, SIM_Q_ACCEPT */
    uint8_t err[2];        /* tcp_error of an endpoint that is gone */
    bool gone[2];          /* the endpoint existed and was deleted */
    uint32_t older;        /* the previous connection with the same tuple, + 1 (0: none) */
    sim_textlog *log[2];   /* text written by each side (allocated at the first text) */
    uint64_t dgram_off[2]; /* udp: bytes sent so far by each side */
    sim_wcookie cookie;    /* server side: the last SYN cookie sent */
} sim_wconn;

enum { SIM_Q_NONE, SIM_Q_SYN, SIM_Q_ACCEPT };

/* An endpoint with what its trace sink needs to stamp its events. */
typedef struct sim_wep {
    tcp_endpoint ep;
    tcp_sb *sb; /* attached when the configuration needs a scoreboard */
    struct sim_world *w;
    uint32_t conn;
    uint64_t sched; /* the deadline a timer event is queued for (TCP_NEVER: none) */
    bool dirty;
} sim_wep;

/* A datagram waiting in a socket: where its bytes start in the flow, how many. */
typedef struct sim_dgram {
    uint32_t conn;
    uint8_t from;
    uint64_t off;
    uint32_t len;
} sim_dgram;

typedef struct sim_wsock {
    uint8_t host, name, role; /* role: TRACE_CLIENT (connects) or TRACE_SERVER (accepted) */
    bool dgram, nonblock, listening, closed;
    int fd;
    uint16_t port; /* local port (0: not bound yet) */
    int32_t conn;  /* stream: its connection; -1 none */
    uint32_t backlog;
    uint32_t synq; /* listener: connections in SYN-RECEIVED */
    uint32_t *acq; /* listener: the accept queue (connection indices), a ring */
    uint32_t acq_head, acq_n, acq_cap;
    sim_dgram *dq; /* datagram socket: the receive queue, a ring */
    uint32_t dq_head, dq_n, dq_cap;
    uint64_t read, written;
    uint64_t auto_write; /* bench: bytes to write at once, then close (0: none) */
    bool auto_read;      /* bench: read what arrives, close at end of file */
} sim_wsock;

typedef struct sim_whost {
    int32_t names[SIM_MAX_SOCKS]; /* socket name -> socket index (-1: none) */
    int next_fd;
    uint16_t *port_refs; /* sockets holding each port (65536 entries, allocated at first use) */
    uint8_t role;        /* trace side of calls outside a connection: server if the host listens */
    uint16_t next_port;
    uint64_t link_free;
    bool blocked;
    uint32_t blocked_on;               /* the action that blocks */
    uint64_t pending;                  /* a blocked write: bytes not yet in the send buffer */
    uint32_t waiting[SIM_MAX_ACTIONS]; /* actions that came due while blocked */
    uint32_t n_waiting;
} sim_whost;

/* Arrivals over one host's link, in the order they arrive (a ring). */
typedef struct sim_fifo {
    sim_event *v;
    uint32_t head, n, cap;
    uint64_t last_t; /* arrival time of the newest entry */
} sim_fifo;

typedef struct sim_world {
    sim_scenario sc;
    sim_whost host[SIM_MAX_HOSTS];
    sim_wconn *conn;
    uint32_t n_conn, cap_conn;
    sim_wsock *sock;
    uint32_t n_sock, cap_sock;
    int32_t *bound; /* the sockets that listen or take datagrams (what arrivals look for) */
    uint32_t n_bound, cap_bound;
    uint32_t *tab; /* tuple -> newest connection index + 1, open addressing */
    uint32_t tab_cap;
    uint32_t *dirty; /* endpoints touched in this step: conn * 2 + side */
    uint32_t n_dirty, cap_dirty;
    sim_heap heap;
    /* a segment whose arrival is not before the last one queued on its sender's link (no extra
     * delay) waits in that link's FIFO instead of the heap; both share the heap's order counter,
     * so the run is the same, only cheaper */
    sim_fifo fifo[SIM_MAX_HOSTS];
    sim_rng rng;
    bool rng_live; /* something draws from rng: loss, duplicate, reorder or a rule's chance */
    trace_sink sink;
    uint64_t now, seg_id;
    uint32_t rule_seen[SIM_MAX_RULES], rule_hits[SIM_MAX_RULES];
    sim_stats stats;
    uint64_t conns_opened, peak_conns, live_eps, peak_eps;
    bool oom;
    bool tcb; /* report each endpoint's TCB after it changed (tcp_tcbrec.h); off by default */
    bool holding;
    trace_event held[8];
    uint32_t n_held;
} sim_world;

/* Sets up the world for sc (copied); 0, or -1 if memory ran out. */
int sim_world_init(sim_world *w, const sim_scenario *sc, trace_sink sink);
/* Runs to the end (nothing left to happen, or the time limit); 0, or -1 if memory ran out. */
int sim_world_run(sim_world *w);
void sim_world_free(sim_world *w);

/* ---- what the socket calls (sim_sock.c) and the world (sim_world.c) share ---- */
/* Runs scenario action `index` now, or keeps it while its host is blocked. */
void sim_sock_action(sim_world *w, uint32_t index);
/* Lets blocked calls return and standing behaviour act; true if anything happened. */
bool sim_sock_react(sim_world *w);
/* The socket on `host` bound to `port` that listens (stream) or is a datagram socket. */
int32_t sim_sock_find(const sim_world *w, uint8_t host, uint16_t port, bool dgram);
/* Opens a connection (or a flow) from socket s to host:port: a new conn, its conn record;
 * returns its index or -1 (memory). */
int32_t sim_world_open(sim_world *w, int32_t s, uint8_t host, uint16_t port, bool udp);
/* The endpoint of side `side` of connection c, or NULL. */
tcp_endpoint *sim_world_ep(sim_world *w, uint32_t c, uint8_t side);
/* Creates side `side`'s endpoint of connection c (its ISN from the clock); NULL on no memory. */
tcp_endpoint *sim_world_new_ep(sim_world *w, uint32_t c, uint8_t side);
/* The endpoint of c's side was used by a call: drain and reschedule it in this step. */
void sim_world_touch(sim_world *w, uint32_t c, uint8_t side);
/* The datagram flow between socket s and host:port (found or opened), and s's side of it in
 * *side; -1 if memory ran out. */
int32_t sim_world_flow(sim_world *w, int32_t s, uint8_t host, uint16_t port, uint8_t *side);
/* Standing behaviour of the socket on side `side` of c (bench: write, read, close). */
void sim_sock_auto(sim_world *w, uint32_t c, uint8_t side);
/* Without a program (bench/sock_bench.c): a listener on host:port that accepts every connection
 * at once and reads what arrives (closing at end of file); a client socket on `host` that
 * connects to peer:port from an ephemeral port, writes `bytes` and closes.  -1: no memory/port. */
int32_t sim_sock_listen_auto(sim_world *w, uint8_t host, uint16_t port, uint32_t backlog);
int32_t sim_sock_connect_auto(sim_world *w, uint8_t host, uint8_t peer, uint16_t port,
                              uint64_t bytes);
/* Accepts what waits in an auto listener's queue. */
void sim_sock_auto_accept(sim_world *w, int32_t listener);
/* Sends a datagram of n bytes from side `side` of flow c. */
void sim_world_dgram(sim_world *w, uint32_t c, uint8_t side, uint64_t n);
/* Emits an event stamped with connection c (UINT32_MAX: none). */
void sim_world_emit(sim_world *w, uint32_t c, trace_event *ev);
/* Gives the queued connection of listener s that is next to be accepted, or -1. */
int32_t sim_world_accept(sim_world *w, int32_t s);
/* Resets the connections waiting in listener s's queues (the listener closes). */
void sim_world_drop_queue(sim_world *w, int32_t s);
/* ---- shared by sim_world.c, sim_wlink.c and sim_demux.c ---- */
void sim_world_note(sim_world *w, uint32_t c, uint8_t side, const char *text);
void sim_world_emit_seg(sim_world *w, uint32_t c, trace_kind k, uint8_t side, uint64_t id,
                        const tcp_seg *s, const char *text);
/* The connection with c's tuple whose side `side` has an endpoint (c or an older one), or -1. */
int32_t sim_world_find_ep(sim_world *w, uint32_t c, uint8_t side);
/* Deletes side `side`'s endpoint of c, keeping its error for the socket. */
void sim_world_free_ep(sim_world *w, uint32_t c, uint8_t side);
/* Sends what an endpoint has to send now. */
void sim_world_drain(sim_world *w, uint32_t c, uint8_t side, tcp_endpoint *ep);
/* Answers a segment for a tuple without an endpoint as CLOSED does (RFC 9293 3.10.7.1). */
void sim_world_closed_reply(sim_world *w, uint32_t c, uint8_t side, const tcp_seg *seg);
/* Puts a segment (or datagram) sent by side `from` of connection c on the link. */
void sim_world_link_send(sim_world *w, uint32_t c, uint8_t from, const tcp_seg *seg);
/* The earliest event of the heap and the FIFOs; *from: the FIFO's host, or -1 (the heap). */
const sim_event *sim_world_peek(const sim_world *w, int *from);
/* A segment or datagram arrives (an SIM_EV_ARRIVE event). */
void sim_world_arrive(sim_world *w, const sim_event *ev);
/* ---- SYN cookies (sim_cookie.c, profile linux) ---- */
/* Answers the SYN seg of connection c with a cookie SYN,ACK, keeping no endpoint. */
void sim_cookie_synack(sim_world *w, uint32_t c, const tcp_seg *seg);
/* A segment without a SYN for c's server side, which has no endpoint: true if it returns a SYN
 * cookie to listener s: the connection is made from it, or the segment is dropped while the
 * accept queue is full (the cookie stays good for a later copy). */
bool sim_cookie_ack(sim_world *w, uint32_t c, int32_t s, const tcp_seg *seg);
/* Linux's accept queue is full: it holds more than the backlog (sk_acceptq_is_full). */
bool sim_world_acq_full(const sim_world *w, const sim_wsock *l);
/* Appends connection c to listener l's accept queue; -1 when memory ran out. */
int sim_world_acq_push(sim_wsock *l, uint32_t c);

/* Text written by side `side` of connection c (a log of it), for read previews. */
void sim_world_log_text(sim_world *w, uint32_t c, uint8_t side, uint64_t off, const char *text);
void sim_world_preview(const sim_world *w, uint32_t c, uint8_t side, uint64_t off, uint64_t len,
                       char *out, size_t size);

#endif
