/*
 * tcp_rto.c - RFC 6298 retransmission timeout computation in integer microseconds.
 *
 * Division by 8 and by 4 truncates; with microsecond units the error is below 1 us per step,
 * far under any clock granularity a real stack has.
 */
#include "tcp_rto.h"

static uint64_t clamp_rto(const tcp_rto *r, uint64_t v)
{
    if (v < r->min) /* RFC 6298 2.4: rounded up to the minimum (1 s by default) */
        v = r->min;
    if (v > r->max) /* RFC 6298 2.5: a maximum value may be placed, at least 60 s */
        v = r->max;
    return v;
}

void tcp_rto_init(tcp_rto *r, uint64_t initial, uint64_t min, uint64_t max, uint64_t g)
{
    r->srtt = 0;
    r->rttvar = 0;
    r->min = min;
    r->max = max < min ? min : max;
    r->g = g;
    r->has_sample = false;
    r->rto = initial; /* RFC 6298 2.1: set RTO <- 1 second (not clamped to min: 2.1 wins) */
}

static uint64_t absdiff(uint64_t a, uint64_t b)
{
    return a > b ? a - b : b - a;
}

void tcp_rto_sample(tcp_rto *r, uint64_t rtt)
{
    if (!r->has_sample) {
        /* RFC 6298 2.2: SRTT <- R, RTTVAR <- R/2 */
        r->srtt = rtt;
        r->rttvar = rtt / 2;
        r->has_sample = true;
    } else {
        /* RFC 6298 2.3: RTTVAR first (it uses the old SRTT), beta = 1/4, alpha = 1/8 */
        r->rttvar = (3 * r->rttvar + absdiff(r->srtt, rtt)) / 4;
        r->srtt = (7 * r->srtt + rtt) / 8;
    }
    /* RTO <- SRTT + max(G, K*RTTVAR) */
    uint64_t var = TCP_RTO_K * r->rttvar;
    r->rto = clamp_rto(r, r->srtt + (var > r->g ? var : r->g));
}

void tcp_rto_backoff(tcp_rto *r)
{
    uint64_t v = r->rto > r->max / 2 ? r->max : r->rto * 2;
    r->rto = clamp_rto(r, v);
}

bool tcp_rto_reset_after_syn_timeout(tcp_rto *r)
{
    if (r->rto >= 3000000u)
        return false;
    r->rto = 3000000u;
    return true;
}
