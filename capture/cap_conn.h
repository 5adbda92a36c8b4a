/*
 * cap_conn.h - one TCP connection seen in a capture: its two endpoints (the sim/ endpoint in
 * observer mode, one per side), and the analysis that goes beside them: packet, byte,
 * retransmission and RST counts per direction, an RFC 6298 estimator over data->ACK pairs
 * (Karn's rule), the intervals between retransmissions of the same segment, segments inferred
 * lost after the capture point, and the handshake timing that places the capture point.
 *
 * Index 0 of every pair is the client (the sender of the first SYN without ACK, see
 * cap_flow.c), index 1 the server.
 */
#ifndef TCPSIM_CAP_CONN_H
#define TCPSIM_CAP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap_decode.h"
#include "cap_zeek.h"
#include "tcp.h"
#include "trace.h"

#define CAP_RETX_INTERVALS 16 /* retransmission intervals kept per direction */
/* the segments in flight are the receiving endpoint's (tcp_obs_flight in sim/tcp.h) */
#define CAP_RING        TCP_OBS_FLIGHT
#define CAP_RING_MAX    TCP_OBS_FLIGHT_MAX
#define CAP_RING_BUDGET TCP_OBS_FLIGHT_BUDGET
#define CAP_DUP_WINDOW  10000       /* a duplicate frame comes within 10 ms of the original */
#define CAP_HOLES       16          /* holes in a side's sequence space remembered for filling */
#define CAP_HOLE_FAR    0x40000000u /* a hole this far behind (1 GiB) is never filled */
#define CAP_LOST_KEPT   16      /* inferred losses kept per direction, for D-SACKs undoing them */
#define CAP_NEAR        1000    /* an end less than 1 ms from the capture point is at it */
#define CAP_SYNACK_WAIT 3000000 /* a SYN,ACK waits this long at most for the ACK proving it */

typedef struct cap_rtt {
    uint64_t n, min, max, sum; /* samples in microseconds (the estimator: the endpoint's rto) */
    bool timing;               /* a segment is being timed */
    uint32_t end;              /* ...an ACK at or above this ends it */
    uint64_t start;
} cap_rtt;

/* Counts for the segments one side sent. */
typedef struct cap_dir {
    uint64_t packets;
    uint64_t bytes;        /* payload bytes, retransmissions included */
    uint64_t unique_bytes; /* payload bytes sent for the first time */
    uint64_t retrans;      /* segments repeating sequence space (Linux: TcpRetransSegs) */
    uint64_t fast_retrans;
    uint64_t rst;
    uint64_t dup_acks;
    uint64_t zero_windows;
    uint64_t lost;           /* inferred lost after the capture point */
    uint64_t lost_acks;      /* ...of them pure ACKs (no sequence space): not in loss rates */
    uint64_t duplicates;     /* frames captured twice (not retransmissions) */
    uint64_t segments;       /* segments as the kernel counts them: a TSO/GSO super-packet of n
                                MSS-sized pieces counts n (packets counts it once) */
    uint64_t retrans_segs;   /* ...of the retransmissions (Linux's TcpRetransSegs) */
    uint64_t missed_bytes;   /* sequence space (data) of this side never captured (Zeek's sense) */
    uint64_t out_of_order;   /* segments sent before the one captured ahead of them */
    uint64_t data_segs;      /* segments carrying sequence space, retransmissions included */
    uint64_t rto_stall_us;   /* time spent waiting before retransmissions that were not fast */
    uint64_t options_cut;    /* segments whose TCP options snaplen cut */
    uint64_t zero_window_us; /* time this side advertised a zero window */
    uint64_t zw_since;
    bool in_zw;
    uint16_t mss_opt; /* the MSS option of this side's SYN (0: not seen) */
    bool have_hi;     /* data sequence space seen: up to hi, less the holes */
    uint32_t hi;
    struct cap_hole {
        uint32_t start, end;
    } holes[CAP_HOLES];
    uint32_t n_holes;
    tcp_seg ack_pkt; /* the first packet of this side that acknowledged as far as it has */
    uint64_t ack_pkt_id;
    bool have_ack_pkt, ack_pkt_lost;
    tcp_seg last;         /* the previous segment this side sent */
    uint16_t last_ip_id;  /* ...its IPv4 identification */
    uint64_t last_digest; /* ...the digest of its TCP bytes (cap_packet.tcp_digest) */
    uint8_t last_ip_version;
    uint32_t last_win; /* ...and its window in bytes */
    uint64_t last_t;
    uint64_t last_t_snd; /* estimated send time of its previous segment (sends stay in order) */
    bool have_last;
    uint64_t retx_interval[CAP_RETX_INTERVALS];
    uint32_t n_retx_interval;
    cap_rtt rtt;          /* RTT of this side's data, measured to the other side's ACK */
    struct cap_lost_rec { /* recent inferred losses of this side's segments */
        uint32_t seq, end;
        uint64_t id;
    } lost_rec[CAP_LOST_KEPT];
    uint32_t n_lost_rec;
} cap_dir;

typedef enum cap_end {
    CAP_END_OPEN, /* neither a close nor a reset was seen */
    CAP_END_FIN,  /* both sides sent FIN */
    CAP_END_RST,  /* a RST ended it */
    CAP_END_HALF, /* only one side's FIN was seen: the end was not captured ("one-fin") */
} cap_end;

typedef struct cap_conn {
    uint32_t id; /* from 1, in order of first packet */
    cap_addr addr[2];
    uint16_t port[2];
    bool handshake_seen; /* the client's SYN was captured */
    bool syn_seen[2], fin_seen[2], rst_seen;
    tcp_endpoint ep[2];
    uint64_t first_t, last_t, packets;
    cap_dir d[2];
    uint64_t t_syn, t_synack, t_ack;      /* handshake times... */
    bool have_syn, have_synack, have_ack; /* ...valid when these are set */
    uint32_t isn[2];
    cap_zeek zeek; /* history and conn_state in Zeek's vocabulary */
    bool ts_ok;    /* both SYNs carried timestamps */

    /* How far each endpoint is from the capture point (one-way delay, us): 0 for the endpoint at
     * the capture point and until the handshake placed the capture.  An endpoint's segment
     * captured at t left it at t - delay; a segment captured on its way to it arrives at
     * t + delay.  The endpoints keep their own queues of arrivals (sim/tcp_observe.c). */
    uint64_t delay[2];

    /* bookkeeping of the connection table (cap_flow.c) */
    struct cap_conn *hnext;         /* hash chain */
    struct cap_conn *lprev, *lnext; /* activity list, least recently active first */
    uint32_t hash;
} cap_conn;

/*
 * Sets up a connection from its first packet `p` (seen at t): decides who is client and server
 * and their starting states.  `sink` receives the endpoints' events (the caller tags them with
 * the connection id).
 */
void cap_conn_init(cap_conn *c, uint32_t id, const cap_packet *p, uint64_t t, trace_sink sink);
/* Which side sent p: 0 (client) or 1 (server). */
int cap_conn_dir(const cap_conn *c, const cap_packet *p);

/* What cap_conn_packet tells its caller to put in the trace around the endpoint's own events. */
typedef struct cap_emit {
    /* the packet, sent by `dir` at the estimated time t (the capture time is the caller's) */
    void (*send)(void *ctx, int dir, uint64_t id, const tcp_seg *seg, uint64_t t);
    void (*lost)(void *ctx, int dir, uint64_t id, const tcp_seg *seg, uint64_t t);
    void (*hold)(void *ctx, bool on); /* hold endpoint events until the send event is out */
    /* a loss reported earlier was not one: the receiver's D-SACK says the segment arrived */
    void (*unlost)(void *ctx, int dir, uint64_t id, const tcp_seg *seg, uint64_t t);
    void *ctx;
} cap_emit;

/* Runs one packet through the connection; returns the tags given to it. */
uint32_t cap_conn_packet(cap_conn *c, const cap_packet *p, uint64_t t, uint64_t id,
                         const cap_emit *emit);

/* Applies every arrival still on its way (the capture ended, or the connection is retired). */
void cap_conn_flush(cap_conn *c, uint64_t now);
/* Frees what the connection allocated (not c itself). */
void cap_conn_free(cap_conn *c);
/* Entries in grown flights (the endpoints' records of segments in flight), all connections
 * together (at most CAP_RING_BUDGET); for tests. */
size_t cap_conn_ring_entries(void);
/* Where the capture sits, from the handshake's timing: TRACE_CLIENT, TRACE_SERVER or
 * TRACE_VANTAGE_UNKNOWN, and the one-way delay between the ends (0 when unknown). */
int cap_conn_vantage(const cap_conn *c, uint64_t *one_way);
/* Both ends are CLOSED or in TIME-WAIT. */
bool cap_conn_finished(const cap_conn *c);
cap_end cap_conn_end(const cap_conn *c);
const char *cap_end_name(cap_end e);
/* Fills the trace_meta of this connection (addresses, ISNs, one-way delay, vantage). */
void cap_conn_meta(const cap_conn *c, const char *capture_name, trace_meta *meta);
/* Handshake round trip as the capture saw it (0 when not seen). */
uint64_t cap_conn_handshake_rtt(const cap_conn *c);
/* Time side `dir` advertised a zero window, up to the end of the capture (us). */
uint64_t cap_conn_zero_window_time(const cap_conn *c, int dir);
/* Segments of side `dir` that carried sequence space (SYN, data, FIN), as the kernel counts. */
uint64_t cap_conn_data_segments(const cap_conn *c, int dir);
/* Segments carrying sequence space that side `dir` sent and that were inferred lost (the
 * numerator of its loss rate: lost pure ACKs are left out, as data_segs counts no ACKs). */
uint64_t cap_conn_lost_data(const cap_conn *c, int dir);
/* The connection's main problem in one word: "refused", "no-reply", "reset", "rto-stall",
 * "receiver-limited", "lossy", "capture-gaps", or "none" (docs/replay.md says when). */
const char *cap_conn_problem(const cap_conn *c);

#endif
