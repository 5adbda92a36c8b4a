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
#include "tcp_sack.h"
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

    /* The mechanisms where Linux goes beyond or against the textbook, each a setting of its
     * own (docs/linux-profile.md); tcp_config_profile(linux) turns them all on.  Defaults: off,
     * i.e. the RFC behaviour above. */
    bool sack;           /* RFC 2018 SACK-permitted and SACK blocks, RFC 6675 recovery */
    bool timestamps;     /* RFC 7323: TSval/TSecr on every segment, RTT from TSecr, PAWS */
    uint8_t cc_algo;     /* TCP_CCA_NEWRENO (RFC 5681, RFC 6582) or TCP_CCA_CUBIC (RFC 9438) */
    bool rack;           /* RFC 8985 RACK: losses detected by time (needs SACK) */
    bool tlp;            /* RFC 8985 tail loss probe (needs SACK) */
    bool prr;            /* RFC 6937 proportional rate reduction during recovery */
    bool quickack;       /* Linux's ACK engine: quick ACKs at the start and after idle, an
                            adaptive delayed-ACK timeout (tcp_enter_quickack_mode) */
    bool nagle_minshall; /* Nagle as Linux does it: a small segment waits only while another
                            small one is unacknowledged (tcp_nagle_check, tcp_minshall_update) */
    uint8_t psh;         /* TCP_PSH_WRITE (the segment that empties the send queue) or
                            TCP_PSH_LINUX (where Linux's write path and GSO put it) */
    uint8_t rto_est;     /* TCP_RTO_RFC6298 or TCP_RTO_LINUX (tcp_rtt_estimator, tcp_set_rto:
                            the minimum bounds the variance term; a sample per ACK) */
    bool cwnd_packets;   /* congestion window in packets, as Linux counts it: a FIN or a small
                            segment takes a whole one (so the FIN waits for cwnd like data) */
    uint8_t zwp;         /* zero-window probes: TCP_ZWP_RFC (one octet of new data, RFC 9293
                            3.8.6.1) or TCP_ZWP_LINUX (no data, SEQ = SND.UNA - 1, timed from
                            each probe's ACK: tcp_probe_timer, tcp_ack_probe) */
    uint8_t rwnd;        /* receive window: TCP_RWND_RFC (free buffer, RFC 1122 4.2.3.3) or
                            TCP_RWND_LINUX (__tcp_select_window over a truesize-charged buffer) */
    bool dup_syn_synack; /* a duplicate SYN in SYN-RECEIVED is answered with the SYN,ACK again
                            (Linux tcp_check_req) instead of an ACK */
    uint32_t syn_linear; /* SYN timeouts before the RTO starts doubling (Linux
                            tcp_syn_linear_timeouts: 4; RFC 6298 5.5: 0) */
    int8_t wscale;       /* window scale we offer: TCP_WSCALE_AUTO, the least that covers rcv_buf
                            (RFC 7323 2.3); TCP_WSCALE_LINUX, 7 (from tcp_rmem[2]) unless
                            rcv_buf_set; else this shift */
    bool rcv_buf_set;    /* rcv_buf was set (SO_RCVBUF): with TCP_RWND_LINUX the buffer is twice
                            it, the window clamped to it, its scale derived from it */
    uint32_t hz;         /* timers fire as Linux's timer wheel fires them at this HZ (a tick of
                            1 s / hz; t = 0 is 0.75 ms after a tick); 0: at their exact time */
} tcp_config;

/* tcp_config.cc_algo */
enum { TCP_CCA_NEWRENO, TCP_CCA_CUBIC };
/* tcp_config.psh */
enum { TCP_PSH_WRITE, TCP_PSH_LINUX };
/* tcp_config.rto_est */
enum { TCP_RTO_RFC6298, TCP_RTO_LINUX };
/* tcp_config.zwp */
enum { TCP_ZWP_RFC, TCP_ZWP_LINUX };
/* tcp_config.wscale */
enum { TCP_WSCALE_LINUX = -2, TCP_WSCALE_AUTO = -1 };
/* tcp_config.rwnd */
enum { TCP_RWND_RFC, TCP_RWND_LINUX };

/* Fills cfg with the defaults documented above. */
void tcp_config_default(tcp_config *cfg);
/* --profile: the settings where Linux differs from the RFCs, set to one or the other (the
 * minimum RTO, the MSL, the initial window and the initial window after a lost SYN, and every
 * mechanism of the block above, with the receive buffer Linux starts with). */
void tcp_config_profile(tcp_config *cfg, bool linux_like);

#define TCP_OOO_MAX  8  /* out-of-order ranges kept by the receiver */
#define TCP_CTL_MAX  4  /* control segments (RST, challenge ACK) waiting to be sent */
#define TCP_OBS_PATH 32 /* states kept in an observer's inferred path */
#define TCP_WQ_MAX   16 /* unsent buffers kept apart in the write queue (TCP_PSH_LINUX) */

typedef struct tcp_range {
    uint32_t start, end; /* [start, end) in sequence space */
} tcp_range;

/* Observer mode: segments seen on their way to an endpoint, kept until its own segments prove
 * them received (their ACK or a SACK block covers them), so that a retransmission of one that was
 * never proven received shows it lost after the capture point (tcp_observe.c). */
#define TCP_OBS_FLIGHT        16         /* entries kept inside the endpoint */
#define TCP_OBS_FLIGHT_MAX    1024       /* ...grown on the heap up to this many */
#define TCP_OBS_FLIGHT_BUDGET (1u << 18) /* entries of grown flights, all endpoints together */
#define TCP_OBS_SB_BUDGET     512        /* observer scoreboards at once (32 KiB each) */

typedef struct tcp_obs_seen { /* fields ordered by size: 48 bytes */
    uint64_t id;              /* the caller's packet number */
    uint64_t t;               /* the caller's time (capture time) of its last transmission */
    uint32_t seq, end;        /* sequence space [seq, end) */
    uint32_t len;
    uint32_t ack, win; /* for reporting the segment if it is found lost */
    uint32_t tsval;
    uint8_t flags;
    bool has_ts;
    bool acked; /* proven received (kept a while for intervals) */
} tcp_obs_seen;

typedef struct tcp_obs_flight {
    tcp_obs_seen small[TCP_OBS_FLIGHT]; /* the ring while these are enough */
    tcp_obs_seen *big;                  /* ...then a heap array of cap (a power of two) */
    uint32_t cap;
    uint32_t n, head, unacked;
    uint32_t lead; /* entries at the front all proven (the walk of each ACK starts after them) */
} tcp_obs_flight;

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
    uint64_t syn_first;    /* when the first SYN (or SYN,ACK) left */

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

    /* the last TCB snapshot reported (tcp_tcbrec.c): a record is written only on a change */
    trace_tcb tcb_shown;
    bool tcb_have;
    bool tcb_auto;        /* observer: report the TCB after each arrival applied (replay, asked) */
    bool obs_recv_events; /* observer: emit a recv event for each arrival applied, at its
                             estimated time (replay, for diagrams that draw the trace's times) */

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
    uint64_t obs_ref;        /* the caller's reference (capture time) of the input in hand */
    bool obs_peer_fin_known; /* the peer was seen sending its FIN (accepted or not) */
    uint32_t obs_peer_fin_seq;
    tcp_obs_flight obs_fl; /* segments seen going to it, until it proves them received */
    /* its own segments on the SACK scoreboard of tcp_sack.c, marked by the peer's ACKs and SACK
     * blocks as they arrive: allocated once SACK is seen in use (the peer's SYN offered it, or
     * its segments carry blocks), at most TCP_OBS_SB_BUDGET at once (tcp_observe.c) */
    tcp_sb *obs_sb;
    bool obs_sack_seen;
    bool obs_syn_assumed; /* SYN-SENT assumed from the peer's SYN,ACK; its SYN not yet seen */
    bool obs_hole;        /* it sent beyond a hole [obs_hole_start, obs_hole_end)... */
    uint32_t obs_hole_start, obs_hole_end;
    uint64_t obs_hole_t; /* ...at this time */

    /* ---- the mechanisms of docs/linux-profile.md (idle with the RFC defaults) ---- */
    tcp_sb *sb;  /* the sender's scoreboard, attached by the owner (tcp_attach_sb);
                    NULL: only the classic RFC sender of tcp_output.c */
    bool engine; /* the connection sends through the scoreboard sender (tcp_xmit.c) */
    /* options agreed in the handshake */
    bool sack_offered, sack_ok; /* our SYN carried SACK-permitted; both did (RFC 2018 2) */
    bool ts_offered, ts_ok;     /* the same for timestamps (RFC 7323 3.2) */
    uint32_t ts_recent;         /* TS.Recent (RFC 7323 4.3) */
    bool rtt_taken;             /* the segment being processed gave its RTT sample */
    bool seg_ts;                /* the segment being processed carries timestamps: */
    uint32_t seg_tsval, seg_tsecr;
    /* receiver: SACK blocks (RFC 2018 4, RFC 2883) */
    uint32_t ooo_age[TCP_OOO_MAX]; /* when each out-of-order range last grew (ooo_clock) */
    uint32_t ooo_clock;
    bool dsack_pending;
    /* receiver SWS avoidance (RFC 1122 4.2.3.3) held the window back at the last commit: the
     * bytes free beyond the advertised edge (0: not held); explained once, in a note */
    uint32_t sws_held, sws_step;
    bool sws_noted;
    tcp_sack_block dsack;
    /* sender, engine: loss recovery (tcp_recovery.c); windows in the unit cwnd counts in */
    uint8_t ca_state;       /* TCP_CA_OPEN, _DISORDER, _CWR, _RECOVERY, _LOSS */
    uint32_t high_seq;      /* recovery point (RFC 6675 RecoveryPoint, Linux high_seq) */
    uint32_t prr_delivered; /* RFC 6937 prr_delivered, prr_out and RecoverFS */
    uint32_t prr_out, prior_cwnd;
    uint32_t eng_dupacks;     /* duplicate ACKs without SACK (NewReno marking) */
    uint32_t cwnd_cnt;        /* congestion avoidance: segments acknowledged toward +1 */
    uint32_t max_packets_out; /* most segments in flight lately (tcp_is_cwnd_limited) */
    uint32_t max_packets_seq; /* ... until SND.UNA passes this */
    bool cwnd_limited;        /* the last attempt to send was stopped by cwnd */
    bool force_rexmit;        /* send one retransmission whatever cwnd says (RTO, entry) */
    /* CUBIC (tcp_cubic.c) */
    tcp_cubic cubic;
    /* RACK and TLP (tcp_rack.c, RFC 8985) */
    uint64_t rack_xmit;  /* RACK.xmit_ts: send time of the most recently sent delivered unit */
    uint32_t rack_end;   /* RACK.end_seq */
    uint32_t rack_order; /* its transmission order (tcp_sb_unit.order) */
    uint64_t rack_rtt;   /* RACK.rtt */
    uint64_t min_rtt;    /* lowest RTT sample (RACK.min_RTT) */
    bool rack_advanced;
    uint32_t tlp_high_seq; /* TLP.end_seq: nonzero while a probe is unanswered */
    bool tlp_retrans;      /* that probe was a retransmission */
    bool tlp_fire;         /* the probe timer fired: send a probe at the next output */
    bool tlp_resched;      /* new data left: schedule the probe when the burst is out */
    /* the unit being sent segment by segment (tcp_xmit.c) */
    struct {
        bool active, rexmit, psh_last, fin;
        uint32_t seq, end; /* next byte to send, end of the unit's data */
        uint32_t tags;
    } cur;
    /* the write queue: unsent data cut as Linux cuts socket buffers (TCP_PSH_LINUX) */
    uint32_t wq_end[TCP_WQ_MAX]; /* end of each unsent buffer, in order */
    uint8_t wq_mark[TCP_WQ_MAX]; /* it ends a write (PSH) */
    uint32_t wq_n;
    uint32_t pushed_seq; /* Linux pushed_seq: end of the data last marked PSH */
    uint32_t snd_sml;    /* Linux snd_sml: end of the last small segment sent (Minshall) */
    /* receiver, Linux ACK engine (tcp_delack.c) */
    uint32_t quick;          /* quick ACKs left (icsk_ack.quick) */
    uint64_t ato;            /* the delayed-ACK timeout now (icsk_ack.ato; 0 before any data) */
    uint64_t lrcvtime;       /* when the last data arrived */
    bool pingpong;           /* interactive: delay ACKs to piggyback them */
    bool ack_pushed;         /* a small segment arrived (ICSK_ACK_PUSHED) */
    uint32_t rcv_mss;        /* the peer's segment size as seen (icsk_ack.rcv_mss) */
    uint32_t rcv_wup;        /* RCV.NXT when the last window was sent (Linux rcv_wup) */
    uint8_t ack_flags;       /* TCP_ACKF_*: small segments seen since the last ACK */
    uint8_t dup_ack_counter; /* immediate duplicate ACKs at this RCV.NXT (SACK compression) */
    uint32_t comp_ack_nxt;   /* the RCV.NXT they were for */
    bool comp_pending;       /* the delayed-ACK timer runs for a compressed SACK */
    /* receiver, Linux window (tcp_rwnd.c) */
    uint32_t rmem;          /* receive buffer charged: bytes held plus per-segment overhead */
    uint32_t rmem_ooo;      /* the part of rmem charged for out-of-order data, */
    uint32_t ooo_charged;   /* and the bytes it was charged for */
    uint32_t rcv_ssthresh;  /* the window's growth limit (tcp_grow_window) */
    uint16_t scaling_ratio; /* bytes of window per 256 bytes of buffer (tcp_win_from_space) */
    uint32_t rcv_clamp;     /* the window clamp once the ratio was measured (0: not yet) */
} tcp_endpoint;

/* One segment on its way to an observer endpoint. */
typedef struct tcp_obs_arrival {
    tcp_seg seg;
    uint64_t t;   /* estimated arrival time */
    uint64_t ref; /* the caller's reference, given back in obs_ref while it is applied */
    uint64_t id;  /* the caller's packet number, for the recv event (obs_recv_events) */
} tcp_obs_arrival;

/* ---- the scoreboard sender (tcp_xmit.c, tcp_recovery.c, tcp_rack.c) ---- */
bool tcp_xmit(tcp_endpoint *ep, uint64_t now, tcp_seg *out);
void tcp_wq_write(tcp_endpoint *ep, uint32_t start, uint32_t n);
uint64_t tcp_probe_interval(const tcp_endpoint *ep);
void tcp_probe_answered(tcp_endpoint *ep, uint64_t now);
void tcp_eng_init(tcp_endpoint *ep);
void tcp_eng_ack(tcp_endpoint *ep, uint64_t now, const tcp_seg *s, uint32_t prior_una, bool dupack);
void tcp_eng_rto(tcp_endpoint *ep, uint64_t now);
void tcp_eng_reo_fire(tcp_endpoint *ep, uint64_t now);
void tcp_eng_cwr(tcp_endpoint *ep, uint64_t now, const char *cause);
void tcp_eng_sent(tcp_endpoint *ep, uint32_t segs, uint32_t bytes);
uint32_t tcp_eng_cwnd(const tcp_endpoint *ep);
uint32_t tcp_eng_in_flight(const tcp_endpoint *ep);
uint64_t tcp_jiffies_up(const tcp_endpoint *ep, uint64_t us);
void tcp_rack_advance(tcp_endpoint *ep, uint64_t now, const tcp_sb_unit *u);
uint32_t tcp_rack_detect(tcp_endpoint *ep, uint64_t now, uint64_t *timeout);
uint32_t tcp_rack_mark_lost(tcp_endpoint *ep, uint64_t now, bool *armed);
int64_t tcp_rto_delta(const tcp_endpoint *ep, uint64_t now);
bool tcp_tlp_schedule(tcp_endpoint *ep, uint64_t now, bool advancing_rto);
void tcp_tlp_ack(tcp_endpoint *ep, uint64_t now, uint32_t ack, bool una_advanced, bool dsack,
                 bool pure_dup);
void tcp_rearm_rto(tcp_endpoint *ep, uint64_t now, bool from_head);
/* shared with tcp_output.c */
void tcp_put_ack(tcp_endpoint *ep, uint64_t now, tcp_seg *s);
void tcp_sent(tcp_endpoint *ep, uint64_t now, const tcp_seg *s, bool rexmit);
uint64_t tcp_persist_interval(const tcp_endpoint *ep);

/* Attaches a scoreboard (owned by the caller, which keeps it alive as long as the endpoint) to
 * an endpoint just set up by tcp_init: the mechanisms that need one (SACK, RACK, TLP, Linux's
 * RTT sampling and PSH placement) work only with it. */
void tcp_attach_sb(tcp_endpoint *ep, tcp_sb *sb);

/* Sets up a CLOSED endpoint.  `id` names it in the trace; sink may have a NULL emit. */
void tcp_init(tcp_endpoint *ep, const tcp_config *cfg, uint8_t id, trace_sink sink);

/* ---- application calls (RFC 9293 3.10.1 - 3.10.6) ---- */
int tcp_open_passive(tcp_endpoint *ep, uint64_t now);
/* The TCB of a connection a listening socket takes (sockets layer): LISTEN, nothing traced. */
void tcp_open_from_listener(tcp_endpoint *ep);
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
/* When `seg`, captured at `t_capture` and estimated to have left this endpoint at `now`, can have
 * left: no earlier than the queued arrivals it proves received were captured on their way here.
 * When the estimate is earlier (the far end answered sooner than the handshake's delay), the
 * interval between the last proven one's capture and this one's is split in two equal legs:
 * returns that instant, else `now`. */
uint64_t tcp_obs_send_floor(const tcp_endpoint *ep, uint64_t now, uint64_t t_capture,
                            const tcp_seg *seg);
/* `seg` from the peer will reach this endpoint at `t_arrival` (estimated); `ref` is given back in
 * obs_ref while it is applied.  Applied at once when nothing is queued and it is due by `now`.
 * A segment with sequence space (not a keep-alive or zero-window probe, by seg->tags) is also
 * kept in the endpoint's flight as packet `id` sent at `ref`, until the endpoint proves it
 * received. */
void tcp_obs_arrive(tcp_endpoint *ep, uint64_t now, uint64_t t_arrival, uint64_t ref, uint64_t id,
                    const tcp_seg *seg);
/* The distance to this endpoint became known: every queued arrival still waiting beyond its
 * capture time (`ref`) + `delay` arrives at that time instead. */
void tcp_obs_retime(tcp_endpoint *ep, uint64_t delay);
/* The peer sent `seg` again (a retransmission): every segment of the flight it overlaps that this
 * endpoint never proved received was lost on its way here.  Each is taken out of the flight and
 * given to `lost` (which may call tcp_obs_not_arrived).  Returns how many. */
uint32_t tcp_obs_find_lost(tcp_endpoint *ep, const tcp_seg *seg,
                           void (*lost)(void *ctx, const tcp_obs_seen *e), void *ctx);
/* The flight's entry for the transmission of the peer that started at `seq`, or NULL. */
const tcp_obs_seen *tcp_obs_flight_find(const tcp_endpoint *ep, uint32_t seq);
/* Entries of grown flights, all endpoints together (at most TCP_OBS_FLIGHT_BUDGET); for tests. */
size_t tcp_obs_flight_entries(void);
/* Observer scoreboards allocated, all endpoints together (at most TCP_OBS_SB_BUDGET); for tests. */
uint32_t tcp_obs_sb_count(void);
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
/* When a timer armed at `now` for `after` fires: now + after, or with cfg.hz the tick at which
 * Linux's timer wheel runs it (tcp.c). */
uint64_t tcp_timer_when(const tcp_endpoint *ep, uint64_t now, uint64_t after);

/* ---- acknowledgment policy (tcp_delack.c) ---- */
enum { TCP_ACKF_PUSHED = 1, TCP_ACKF_PUSHED2 = 2 };
/* In-order text of `len` bytes was taken (filled: it joined out-of-order data; gap_left: a gap
 * remains above): decides between an ACK now and a delayed one. */
void tcp_ack_on_text(tcp_endpoint *ep, uint64_t now, uint32_t len, bool had_gap, bool filled,
                     bool gap_left);
/* Text beyond a gap (out of order) arrived. */
void tcp_ack_on_ooo(tcp_endpoint *ep, uint64_t now);
/* Text that was wholly old (a duplicate) arrived: [seq, end). */
void tcp_ack_on_duplicate(tcp_endpoint *ep, uint64_t now, uint32_t seq, uint32_t end);
/* The peer's FIN was taken; `to` is the state it leads to. */
void tcp_ack_on_fin(tcp_endpoint *ep, uint64_t now, tcp_state to);
/* The application read `n` bytes (tcp_recv): an ACK may be due (Linux tcp_cleanup_rbuf). */
void tcp_ack_on_read(tcp_endpoint *ep, uint64_t now, uint32_t n, uint32_t window_before);
/* An ACK is leaving (any segment with ACK set carries it). */
void tcp_ack_sent(tcp_endpoint *ep, uint64_t now);
/* Data is leaving: Linux's interactive ("pingpong") detection. */
void tcp_ack_data_sent(tcp_endpoint *ep, uint64_t now);
/* The delayed-ACK timer fired. */
void tcp_ack_timer(tcp_endpoint *ep, uint64_t now);
/* Arms the delayed-ACK timer for `after` (if it is not running). */
void tcp_delack_set_for(tcp_endpoint *ep, uint64_t now, uint64_t after);

/* ---- receive window (tcp_rwnd.c) ---- */
/* The window of our SYN or SYN,ACK (never scaled). */
uint32_t tcp_rwnd_syn(const tcp_endpoint *ep, bool synack);
/* The window scale Linux offers (tcp_select_initial_window): 7 for its default buffers (from
 * tcp_rmem[2] = 6 MB), or what the buffer set with SO_RCVBUF needs. */
uint8_t tcp_rwnd_linux_wscale(const tcp_config *cfg);
/* Linux's window (__tcp_select_window, tcp_select_window): what tcp_rcv_window returns with
 * cfg.rwnd = TCP_RWND_LINUX. */
uint32_t tcp_rwnd_linux(tcp_endpoint *ep, bool commit);
/* Charges the receive buffer for `len` bytes arriving in one segment (Linux counts each
 * segment's truesize) and lets the window's growth limit rise (tcp_grow_window). */
void tcp_rwnd_charge(tcp_endpoint *ep, uint32_t len, bool in_order);
/* len bytes held out of order became part of the stream (their charge goes with them). */
void tcp_rwnd_ooo_drained(tcp_endpoint *ep, uint32_t len);
/* tcp_measure_rcv_mss's part: the scaling ratio from an in-order segment of len bytes (before
 * rcv_mss is updated from it). */
void tcp_rwnd_measure(tcp_endpoint *ep, uint32_t len);
/* The application read `n` of the `held` bytes the buffer held: uncharges their share. */
void tcp_rwnd_release(tcp_endpoint *ep, uint32_t n, uint32_t held);
/* Forgets all outstanding timers and queued output (entering CLOSED or TIME-WAIT). */
void tcp_clear_timers(tcp_endpoint *ep, uint64_t now);
void tcp_emit_note(tcp_endpoint *ep, uint64_t now, const char *msg);
void tcp_emit_cwnd(tcp_endpoint *ep, uint64_t now, const char *cause);
/* ---- timestamps (tcp_ts.c, RFC 7323) ---- */
/* TSval for a segment sent at `now`: milliseconds, from 1. */
uint32_t tcp_ts_clock(uint64_t now);
/* Adds TSval/TSecr to a segment when the connection agreed to timestamps. */
void tcp_ts_put(const tcp_endpoint *ep, uint64_t now, tcp_seg *s);
/* Records the option of an arriving segment (seg_ts, seg_tsval, seg_tsecr). */
void tcp_ts_note(tcp_endpoint *ep, const tcp_seg *s);
/* PAWS (RFC 7323 5.3 R1): true if the segment is to be dropped as old. */
bool tcp_ts_paws_reject(const tcp_endpoint *ep, const tcp_seg *s);
/* RFC 7323 4.3: TS.Recent from an acceptable segment. */
void tcp_ts_update_recent(tcp_endpoint *ep, const tcp_seg *s);
/* RFC 7323 4.2: an RTT sample from the arriving segment's TSecr; false if there is none. */
bool tcp_ts_rtt(const tcp_endpoint *ep, uint64_t now, uint64_t *rtt);

/* One RTT sample into the estimator (RFC 6298 or Linux's), traced (tcp_input.c). */
void tcp_rtt_sample(tcp_endpoint *ep, uint64_t now, uint64_t rtt);
/* Sequence number one past the last byte the application wrote. */
uint32_t tcp_data_end(const tcp_endpoint *ep);
bool tcp_synchronized(tcp_state s);

#endif
