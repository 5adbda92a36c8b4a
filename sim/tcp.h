/*
 * tcp.h - the TCP endpoint: a sans-IO state machine after RFC 9293.
 *
 * An endpoint never reads a clock, never does I/O and never calls the application back.  Its
 * inputs are application calls (tcp_open_*, tcp_send, tcp_recv, tcp_shutdown, tcp_close,
 * tcp_abort), arriving segments (tcp_input) and the passing of time (tcp_tick), each with the
 * current time `now` in microseconds.  After any input the caller drains segments with
 * tcp_output() until it returns false and asks tcp_next_deadline() when to call tcp_tick().
 * Everything the endpoint does that a reader of a trace wants to see (state changes, timers, RTT
 * samples, cwnd changes) goes to its trace_sink.
 *
 * The same endpoint runs in observer mode for capture replay (tcp_observe.c): it is told what it
 * was seen sending and what arrived near it, emits no segments and fires no timers.
 *
 * Error codes: functions returning int return 0 on success or a negative TCP_E* value.
 */
#ifndef TCPSIM_TCP_H
#define TCPSIM_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp_cc.h"
#include "tcp_rto.h"
#include "tcp_seg.h"
#include "tcp_state.h"
#include "trace.h"

#define TCP_NEVER UINT64_MAX

/* Negative error codes (RFC 9293 3.10 "error: ..." responses). */
enum {
    TCP_EOK = 0,
    TCP_EEXISTS = -1,  /* "connection already exists" */
    TCP_ECLOSING = -2, /* "connection closing" */
    TCP_ENOTCONN = -3, /* "connection does not exist" */
    TCP_EINVAL = -4,   /* a call that makes no sense in this state */
};

/* Why the connection ended, for the application (RFC 9293 "signal the user"). */
typedef enum tcp_error {
    TCP_ERR_NONE,
    TCP_ERR_REFUSED, /* RST in reply to our SYN */
    TCP_ERR_RESET,   /* RST in a synchronized state */
    TCP_ERR_TIMEOUT, /* gave up retransmitting */
    TCP_ERR_ABORTED, /* the local application aborted */
} tcp_error;

typedef struct tcp_config {
    uint32_t isn;         /* initial send sequence number */
    uint32_t mss;         /* MSS we advertise and the cap on segments we send (1460) */
    uint32_t snd_buf;     /* send buffer in bytes (65536) */
    uint32_t rcv_buf;     /* receive buffer in bytes (65535); > 65535 turns on window scaling */
    uint64_t rto_initial; /* RFC 6298 2.1: 1 s */
    uint64_t rto_min;     /* RFC 6298 2.4: 1 s (Linux: 200 ms) */
    uint64_t rto_max;     /* RFC 6298 2.5: at least 60 s (120 s here, as in Linux) */
    uint64_t clock_g;     /* clock granularity G of RFC 6298 (1 ms) */
    uint64_t msl;         /* maximum segment lifetime; TIME-WAIT lasts 2 x msl (60 s) */
    uint64_t delack;      /* delayed ACK timeout, 0 = ACK every segment at once (40 ms) */
    bool nagle;           /* RFC 896 (on) */
    uint32_t syn_retries; /* SYN retransmissions before giving up (6) */
    uint32_t max_retries; /* data/FIN retransmissions before giving up (15) */
    uint32_t iw_segments; /* initial window in segments, 0 = RFC 5681 rule (3 for MSS 1460) */
    uint32_t syn_loss_iw; /* the initial window is one segment once the SYN (or SYN,ACK) has been
                             retransmitted this many times: 1 (RFC 5681 3.1), Linux 2
                             (tcp_init_transfer), 0 never */
} tcp_config;

/* Fills cfg with the defaults documented above. */
void tcp_config_default(tcp_config *cfg);
/* --profile: the settings where Linux differs from the RFCs, set to one or the other (the
 * minimum RTO, the MSL, the initial window and the initial window after a lost SYN). */
void tcp_config_profile(tcp_config *cfg, bool linux_like);

#define TCP_OOO_MAX  8  /* out-of-order ranges kept by the receiver */
#define TCP_CTL_MAX  4  /* control segments (RST, challenge ACK) waiting to be sent */
#define TCP_OBS_PATH 32 /* states kept in an observer's inferred path */

typedef struct tcp_range {
    uint32_t start, end; /* [start, end) in sequence space */
} tcp_range;

typedef struct tcp_endpoint {
    tcp_config cfg;
    uint8_t id; /* TRACE_CLIENT or TRACE_SERVER: the trace's name for this endpoint */
    trace_sink sink;
    tcp_state state;
    bool passive;  /* the connection came from a passive open (LISTEN) */
    bool observer; /* capture replay: emit nothing, fire no timers */
    tcp_error error;

    /* send sequence space (RFC 9293 3.3.1) */
    uint32_t iss, snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2;
    uint32_t snd_max;     /* highest sequence number sent + 1 */
    uint32_t max_snd_wnd; /* largest window the peer offered */
    uint32_t smss;        /* effective send MSS: min(peer's MSS option, cfg.mss) */
    uint8_t snd_shift;    /* peer's window scale (applied to windows it sends) */
    uint8_t rcv_shift;    /* our window scale (applied to windows we send) */
    bool wscale_ok;       /* both SYNs carried the option (RFC 7323 2.2) */
    bool wscale_offered;  /* our SYN carried the window scale option */
    bool synack_fresh;    /* simultaneous open: our SYN goes out again as a SYN,ACK */
    uint64_t snd_queued;  /* bytes the application ever wrote */
    uint64_t snd_acked;   /* of those, bytes acknowledged */
    bool fin_queued;      /* close/shutdown called: FIN follows the data */
    bool user_closed;     /* close (not shutdown): further data arriving means data loss */

    /* receive sequence space */
    uint32_t irs, rcv_nxt;
    uint32_t rcv_adv;    /* right edge of the window we last advertised */
    uint32_t rcv_unread; /* bytes received in order, not yet read by the application */
    uint64_t rcv_total;  /* bytes ever received in order */
    tcp_range ooo[TCP_OOO_MAX];
    uint32_t n_ooo;
    bool fin_seen;    /* the peer's FIN is known (maybe out of order) */
    uint32_t fin_seq; /* its sequence number */
    bool fin_rcvd;    /* the peer's FIN was processed in order */

    /* acknowledgment generation */
    bool ack_now;          /* send an ACK at the next tcp_output */
    uint32_t ack_tags;     /* tags for that ACK (dup-ack, window-update, challenge-ack) */
    uint32_t unacked_segs; /* in-order data segments received since our last ACK */
    uint32_t last_ack_sent, last_win_sent;

    /* timers: the main timer is one of RTO, persist or TIME-WAIT; delayed ACK runs beside it */
    tcp_timer_kind timer;
    uint64_t timer_at, timer_started;
    uint64_t delack_at, delack_started;
    uint32_t retries; /* consecutive RTO expiries of the current segment */
    uint32_t persist_backoff;
    uint32_t syn_timeouts; /* of the SYN or SYN,ACK: for RFC 6298 5.7 and RFC 5681 3.1 */

    /* RTT measurement (one timed segment, Karn's rule) and RTO */
    tcp_rto rto;
    bool rtt_timing;
    uint32_t rtt_seq; /* an ACK above this sequence number ends the measurement */
    uint64_t rtt_start;

    /* congestion control */
    tcp_cc cc;
    uint32_t cwnd_shown, ssthresh_shown; /* last values traced: unchanged ones are not repeated */
    bool rexmit_one;    /* fast retransmit / partial ACK: resend the segment at snd_una */
    bool probe_pending; /* persist timer fired: send a zero-window probe */
    bool probe_out;     /* a one-octet probe beyond the window is unanswered */
    uint32_t probe_seq; /* its sequence number */

    /* control segments waiting to go out (resets, challenge ACKs) */
    tcp_seg ctl[TCP_CTL_MAX];
    uint32_t n_ctl;

    /* counters */
    uint64_t segs_out, retrans_segs, rsts_out;

    /* observer mode (tcp_observe.c): the state path as inferred, and what it rests on */
    bool obs_arrival;       /* an arrival is being processed: transitions are hints */
    bool obs_snd_known;     /* a segment sent by this endpoint was seen */
    bool obs_rcv_known;     /* RCV.NXT is known */
    bool obs_scale_unknown; /* no handshake seen: window scale unknown */
    uint8_t obs_n;
    uint8_t obs_path[TCP_OBS_PATH];
    bool obs_hinted[TCP_OBS_PATH]; /* reached by an arrival, not by its own segments */
    uint64_t obs_fin_at;           /* when the peer's FIN arrived (as a hint) */
    uint64_t obs_rtt;              /* round-trip estimate for judging evidence (0: unknown) */
    bool obs_sent_any;             /* previous sent segment recorded below */
    bool obs_synack_sent;          /* it was seen sending a SYN,ACK */
    uint32_t obs_last_ack, obs_last_win;
    /* segments on their way to this endpoint when the capture is far from it, in capture order,
     * each with its estimated arrival time: applied when due, when this endpoint's own segment
     * proves it arrived, or at the end; never dropped (tcp_observe.c) */
    struct tcp_obs_arrival *obs_q; /* ring of obs_q_cap entries, allocated when first needed */
    uint32_t obs_q_cap, obs_q_head, obs_q_n;
    uint64_t obs_ref;         /* the caller's reference (capture time) of the input in hand */
    bool obs_peer_fin_known;  /* the peer was seen sending its FIN (accepted or not) */
    uint32_t obs_peer_fin_seq;
    bool obs_hole;            /* it sent beyond a hole [obs_hole_start, obs_hole_end)... */
    uint32_t obs_hole_start, obs_hole_end;
    uint64_t obs_hole_t;      /* ...at this time */
} tcp_endpoint;

/* One segment on its way to an observer endpoint. */
typedef struct tcp_obs_arrival {
    tcp_seg seg;
    uint64_t t;   /* estimated arrival time */
    uint64_t ref; /* the caller's reference, given back in obs_ref while it is applied */
} tcp_obs_arrival;

/* Sets up a CLOSED endpoint.  `id` names it in the trace; sink may have a NULL emit. */
void tcp_init(tcp_endpoint *ep, const tcp_config *cfg, uint8_t id, trace_sink sink);

/* ---- application calls (RFC 9293 3.10.1 - 3.10.6) ---- */
int tcp_open_passive(tcp_endpoint *ep, uint64_t now);
int tcp_open_active(tcp_endpoint *ep, uint64_t now);
/* Queues up to `bytes` for sending; returns how many the send buffer took (may be 0). */
uint64_t tcp_send(tcp_endpoint *ep, uint64_t now, uint64_t bytes);
/* Reads up to `max` received bytes; returns how many were read. */
uint64_t tcp_recv(tcp_endpoint *ep, uint64_t now, uint64_t max);
/* Bytes waiting to be read. */
uint32_t tcp_readable(const tcp_endpoint *ep);
/* True once the peer's FIN arrived and every byte before it was read. */
bool tcp_eof(const tcp_endpoint *ep);
/* Free space in the send buffer. */
uint64_t tcp_send_space(const tcp_endpoint *ep);
/* Sends a FIN after the queued data, keeps receiving (shutdown(SHUT_WR)). */
int tcp_shutdown(tcp_endpoint *ep, uint64_t now);
/* Closes: like shutdown, and the application will read nothing more (RFC 1122 4.2.2.13). */
int tcp_close(tcp_endpoint *ep, uint64_t now);
/* Aborts: RST if synchronized, then CLOSED. */
void tcp_abort(tcp_endpoint *ep, uint64_t now);

/* ---- network and time ---- */
/* A segment arrives (RFC 9293 3.10.7). */
void tcp_input(tcp_endpoint *ep, uint64_t now, const tcp_seg *seg);
/* Produces the next segment to transmit; false when there is nothing to send now. */
bool tcp_output(tcp_endpoint *ep, uint64_t now, tcp_seg *out);
/* Runs the timers that are due at `now` (RFC 9293 3.10.8). */
void tcp_tick(tcp_endpoint *ep, uint64_t now);
/* Earliest time at which tcp_tick has work, or TCP_NEVER. */
uint64_t tcp_next_deadline(const tcp_endpoint *ep);

/* ---- observer mode (tcp_observe.c): the same endpoint, driven by a capture ---- */
/* Sets up an observer endpoint in state `start`: CLOSED (the client before its SYN), LISTEN
 * (a server that the first SYN goes to; recorded as an assumption) or ESTABLISHED (the capture
 * began after the handshake). */
void tcp_obs_init(tcp_endpoint *ep, uint8_t id, trace_sink sink, tcp_state start, uint64_t now);
/* Sets up the client of a capture whose first packet is the server's SYN,ACK: SYN-SENT with the
 * ISS that the SYN,ACK acknowledges (an assumption: the SYN was not captured). */
void tcp_obs_init_syn_sent(tcp_endpoint *ep, uint8_t id, trace_sink sink, uint32_t iss,
                           uint64_t now);
/* The endpoint was seen sending `seg` (the truth about it).  Returns the analysis tags for the
 * segment (retransmission, dup-ack, zero-window...). */
uint32_t tcp_obs_sent(tcp_endpoint *ep, uint64_t now, const tcp_seg *seg);
/* `seg`, sent by the peer, was seen on its way to this endpoint (a hint: it may be lost after
 * the capture point; this endpoint's own later segments confirm or correct it). */
void tcp_obs_arrived(tcp_endpoint *ep, uint64_t now, const tcp_seg *seg);
/* `seg`, earlier given to tcp_obs_arrived, was lost after the capture point (its sender sent it
 * again before anything acknowledged it): undo what its arrival was taken to cause. */
void tcp_obs_not_arrived(tcp_endpoint *ep, uint64_t now, const tcp_seg *seg);
/* True for a segment that repeats sequence space already sent (what Linux counts in
 * TcpRetransSegs), given the tags tcp_obs_sent returned. */
bool tcp_obs_is_retransmission(uint32_t tags);
/* The same as tcp_obs_sent, with `ref` kept in obs_ref while it is applied and `hints` from the
 * capture (TCP_OBS_SENT_EARLIER: an older IPv4 ID or TSval than the previous segment of this
 * endpoint says it was sent before it).  Before anything else, the arrivals due by `now` and
 * every queued arrival that this segment proves received (its ACK or SACK blocks cover it) are
 * applied: what an endpoint's own segment proves it received arrived no later than it left. */
#define TCP_OBS_SENT_EARLIER 1u
uint32_t tcp_obs_sent_at(tcp_endpoint *ep, uint64_t now, uint64_t ref, const tcp_seg *seg,
                         uint32_t hints);
/* Only the first step of tcp_obs_sent_at: the arrivals that are due or that `seg` proves. */
void tcp_obs_before_send(tcp_endpoint *ep, uint64_t now, const tcp_seg *seg);
/* `seg` from the peer will reach this endpoint at `t_arrival` (estimated); `ref` is given back in
 * obs_ref while it is applied.  Applied at once when nothing is queued and it is due by `now`. */
void tcp_obs_arrive(tcp_endpoint *ep, uint64_t now, uint64_t t_arrival, uint64_t ref,
                    const tcp_seg *seg);
/* Applies the queued arrivals due by `now`, each at its own estimated arrival time. */
void tcp_obs_advance(tcp_endpoint *ep, uint64_t now);
/* Applies every queued arrival at its estimated time (the capture ended). */
void tcp_obs_flush(tcp_endpoint *ep);
/* Segments queued on their way to it. */
uint32_t tcp_obs_queued(const tcp_endpoint *ep);
/* Frees the arrival queue. */
void tcp_obs_free(tcp_endpoint *ep);
/* True when RFC 9293 has the transition from -> to (its figure 5 and section 3.10): what an
 * inferred state path may contain. */
bool tcp_obs_rfc_arc(tcp_state from, tcp_state to);

/* ---- shared internals (tcp_*.c only) ---- */
/* The one place where the state changes; emits the trace event "from -> to (cause)". */
void tcp_set_state(tcp_endpoint *ep, uint64_t now, tcp_state to, const char *cause);
void tcp_timer_set(tcp_endpoint *ep, uint64_t now, tcp_timer_kind k, uint64_t after);
void tcp_timer_stop(tcp_endpoint *ep, uint64_t now);
void tcp_delack_set(tcp_endpoint *ep, uint64_t now);
void tcp_delack_stop(tcp_endpoint *ep, uint64_t now);
/* Queues a control segment (RST or challenge ACK). */
void tcp_queue_ctl(tcp_endpoint *ep, const tcp_seg *seg);
/* The window we advertise now, in bytes, with receiver-side SWS avoidance (RFC 1122 4.2.3.3). */
uint32_t tcp_rcv_window(tcp_endpoint *ep, bool commit);
/* Forgets all outstanding timers and queued output (entering CLOSED or TIME-WAIT). */
void tcp_clear_timers(tcp_endpoint *ep, uint64_t now);
void tcp_emit_note(tcp_endpoint *ep, uint64_t now, const char *msg);
void tcp_emit_cwnd(tcp_endpoint *ep, uint64_t now, const char *cause);
/* Sequence number one past the last byte the application wrote. */
uint32_t tcp_data_end(const tcp_endpoint *ep);
bool tcp_synchronized(tcp_state s);

#endif
