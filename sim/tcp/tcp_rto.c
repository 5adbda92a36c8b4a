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

static bool seq_after(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

void tcp_rto_sample_linux(tcp_rto *r, uint64_t rtt, uint32_t snd_una, uint32_t snd_nxt)
{
    if (rtt == 0)
        rtt = 1;
    if (!r->has_sample) {
        /* the first sample: SRTT = R, mdev = R / 2, so that 4 x mdev = 2 R and RTO = 3 R
         * unless the minimum is larger */
        r->srtt = rtt;
        r->mdev = rtt / 2;
        r->var4 = 4 * r->mdev > r->min ? 4 * r->mdev : r->min;
        r->mdev_max = r->var4;
        r->rtt_seq = snd_nxt;
        r->has_sample = true;
    } else {
        int64_t err = (int64_t)rtt - (int64_t)r->srtt;
        /* SRTT += err / 8 */
        int64_t srtt = (int64_t)r->srtt + err / 8;
        r->srtt = srtt > 0 ? (uint64_t)srtt : 1;
        int64_t dev = err < 0 ? -err : err;
        int64_t m = dev - (int64_t)r->mdev;
        if (err < 0 && m > 0)
            m /= 8; /* the RTT fell: let the deviation grow only slowly (Eifel-like) */
        int64_t mdev = (int64_t)r->mdev + m / 4;
        r->mdev = mdev > 0 ? (uint64_t)mdev : 0;
        if (4 * r->mdev > r->mdev_max) {
            r->mdev_max = 4 * r->mdev;
            if (r->mdev_max > r->var4)
                r->var4 = r->mdev_max;
        }
        if (seq_after(snd_una, r->rtt_seq)) {
            /* a round trip ended: var4 decays a quarter of the way toward this trip's max */
            if (r->mdev_max < r->var4)
                r->var4 -= (r->var4 - r->mdev_max) / 4;
            r->rtt_seq = snd_nxt;
            r->mdev_max = r->min;
        }
    }
    r->rttvar = r->var4 / 4;
    uint64_t v = r->srtt + r->var4;
    if (r->g > 1) /* Linux keeps the RTO in jiffies, rounded up (usecs_to_jiffies) */
        v = (v + r->g - 1) / r->g * r->g;
    r->rto = v > r->max ? r->max : v;
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
