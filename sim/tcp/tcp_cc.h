/*
 * tcp_cc.h - congestion control: slow start and congestion avoidance (RFC 5681 3.1), fast
 * retransmit and NewReno fast recovery (RFC 5681 3.2, RFC 6582 3.2) for the classic sender;
 * the congestion states of the scoreboard sender and CUBIC (RFC 9438, tcp_cubic.c).
 *
 * The module only does arithmetic on cwnd, ssthresh, the duplicate ACK count and the recovery
 * point, and tells the endpoint what to do (retransmit the first unacknowledged segment, restart
 * the timer).  It sends nothing itself.
 */
#ifndef TCPSIM_TCP_CC_H
#define TCPSIM_TCP_CC_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tcp_cc {
    uint32_t cwnd, ssthresh; /* bytes */
    uint32_t dupacks;        /* consecutive duplicate ACKs (RFC 5681 section 2) */
    bool in_recovery;        /* between the third dup ACK and the full ACK */
    bool partial_seen;       /* a partial ACK arrived in this recovery (RFC 6582 3.2 step 3) */
    uint32_t recover;        /* RFC 6582 "recover": highest sequence sent when recovery began */
} tcp_cc;

/* What the endpoint must do after an ACK. */
typedef enum tcp_cc_action {
    TCP_CC_NONE,
    TCP_CC_FAST_RETRANSMIT,   /* third dup ACK: retransmit the first unacked segment */
    TCP_CC_PARTIAL_ACK,       /* partial ACK: retransmit the first unacked segment */
    TCP_CC_PARTIAL_ACK_FIRST, /* the same, and restart the retransmission timer */
} tcp_cc_action;

/* RFC 5681 3.1 initial window (iw_segments == 0) or iw_segments * smss (RFC 6928 style). */
void tcp_cc_init(tcp_cc *cc, uint32_t smss, uint32_t iw_segments, uint32_t iss);
/* An ACK that acknowledges `acked` new bytes of data (SYN and FIN not counted); flight_after is
 * the bytes still outstanding after this ACK. */
tcp_cc_action tcp_cc_on_new_ack(tcp_cc *cc, uint32_t ack, uint32_t acked, uint32_t flight_after,
                                uint32_t smss);
/* A duplicate ACK (RFC 5681 section 2 definition, checked by the caller). */
tcp_cc_action tcp_cc_on_dupack(tcp_cc *cc, uint32_t ack, uint32_t snd_max, uint32_t flight,
                               uint32_t smss);
/* The retransmission timer expired; first is true for the first expiry of this segment. */
void tcp_cc_on_rto(tcp_cc *cc, uint32_t flight, uint32_t snd_max, uint32_t smss, bool first);

/* ---- the scoreboard sender's congestion states (Linux's tcp_ca_state) ---- */
enum {
    TCP_CA_OPEN,     /* nothing suspicious */
    TCP_CA_DISORDER, /* SACKs or duplicate ACKs, no loss detected yet */
    TCP_CA_CWR,      /* a window reduction without retransmission (after a repaired tail loss) */
    TCP_CA_RECOVERY, /* fast recovery (RFC 5681 3.2, RFC 6675 5, RFC 6937) */
    TCP_CA_LOSS,     /* after a retransmission timeout */
};

/* ---- CUBIC (RFC 9438), in segments, as Linux's tcp_cubic.c computes it (without HyStart) ---- */
typedef struct tcp_cubic {
    uint32_t w_max;       /* W_max: the window before the last reduction (last_max_cwnd) */
    uint32_t origin;      /* the plateau the cubic curve is centred on (bic_origin_point) */
    double k;             /* K of RFC 9438 4.2, seconds */
    uint64_t epoch_start; /* start of this congestion avoidance epoch, us; 0 = none */
    uint32_t ack_cnt;     /* segments acknowledged in this epoch (for the Reno estimate) */
    uint32_t w_est;       /* the Reno-friendly window estimate (RFC 9438 4.3, tcp_cwnd) */
} tcp_cubic;

/* CUBIC forgets its history (a timeout: Linux's bictcp_reset on entering Loss). */
void tcp_cubic_reset(tcp_cubic *c);
/* RFC 9438 4.6 and 4.7: the new ssthresh in segments after a congestion event at cwnd segments
 * (beta_cubic 0.7, fast convergence); starts a new epoch at the next growth. */
uint32_t tcp_cubic_ssthresh(tcp_cubic *c, uint32_t cwnd);
/* RFC 9438 4.2 - 4.4: in congestion avoidance, the number of acknowledged segments after which
 * cwnd grows by one (Linux's ca->cnt), for cwnd segments, `acked` just acknowledged, at `now`,
 * with the minimum RTT min_rtt (us). */
uint32_t tcp_cubic_cnt(tcp_cubic *c, uint32_t cwnd, uint32_t acked, uint64_t now, uint64_t min_rtt);

#endif
