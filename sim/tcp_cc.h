/*
 * tcp_cc.h - congestion control: slow start and congestion avoidance (RFC 5681 3.1), fast
 * retransmit and NewReno fast recovery (RFC 5681 3.2, RFC 6582 3.2).
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

#endif
