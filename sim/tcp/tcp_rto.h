/*
 * tcp_rto.h - the retransmission timeout estimator of RFC 6298.
 *
 * Keeps SRTT, RTTVAR and RTO in integer microseconds.  The rules are those of RFC 6298 section 2
 * (initial RTO, first and later samples with alpha = 1/8, beta = 1/4, K = 4, clock granularity G,
 * the 1 s minimum of 2.4 made configurable, the maximum of 2.5) and the backoff of 5.5.  Karn's
 * rule (which samples may be taken) is the caller's job: see tcp_output.c and tcp_input.c.
 */
#ifndef TCPSIM_TCP_RTO_H
#define TCPSIM_TCP_RTO_H

#include <stdbool.h>
#include <stdint.h>

#define TCP_RTO_K 4

typedef struct tcp_rto {
    uint64_t srtt, rttvar; /* valid once has_sample */
    uint64_t rto;          /* current RTO, including backoff */
    uint64_t min, max, g;  /* RFC 6298 2.4 lower bound, 2.5 upper bound, clock granularity */
    bool has_sample;
    /* Linux's estimator (tcp_rtt_estimator, tcp_set_rto), used when linux_est is set:
     * mdev is the smoothed mean deviation, mdev_max its largest value in the current round
     * trip, var4 the "4 x RTTVAR" term (Linux's rttvar_us), never below min, which decays
     * toward mdev_max once per round trip (when SND.UNA passes rtt_seq). */
    bool linux_est;
    uint64_t mdev, mdev_max, var4;
    uint32_t rtt_seq;
} tcp_rto;

/* RFC 6298 2.1: before any sample, RTO = initial (1 s). */
void tcp_rto_init(tcp_rto *r, uint64_t initial, uint64_t min, uint64_t max, uint64_t g);
/* RFC 6298 2.2 (first sample) or 2.3 (later samples), then 2.4 and 2.5. */
void tcp_rto_sample(tcp_rto *r, uint64_t rtt);
/* Linux's tcp_rtt_estimator and tcp_set_rto: SRTT as RFC 6298, but the variance term
 * var4 = max(4 x mdev, min) is what bounds the RTO from below, so RTO = SRTT + var4 (300 ms for
 * a first sample of 100 ms); a falling RTT moves mdev eight times more slowly; var4 shrinks only
 * once per round trip.  snd_una and snd_nxt tell where the round trip ends.  Karn's rule and the
 * choice of samples are the caller's.  (rttvar is kept as var4 / 4 for the trace.) */
void tcp_rto_sample_linux(tcp_rto *r, uint64_t rtt, uint32_t snd_una, uint32_t snd_nxt);
/* RFC 6298 5.5: RTO = RTO * 2, bounded by the maximum. */
void tcp_rto_backoff(tcp_rto *r);
/* RFC 6298 5.7: after a SYN timeout with RTO < 3 s, data transfer starts with RTO = 3 s.
 * Returns true when the RTO was raised. */
bool tcp_rto_reset_after_syn_timeout(tcp_rto *r);

#endif
