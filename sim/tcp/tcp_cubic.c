/*
 * tcp_cubic.c - CUBIC congestion avoidance (RFC 9438) in segments, computed the way Linux's
 * tcp_cubic.c (cubictcp) does: the cubic curve W(t) = C (t - K)^3 + W_max with C = 0.4 and
 * beta_cubic = 0.7 (Linux's 717/1024), the time t counted from the start of the epoch plus the
 * minimum RTT, the window growing by one segment every `cnt` acknowledged segments, at most one
 * per two segments, the Reno-friendly estimate (RFC 9438 4.3) as a floor, fast convergence
 * (4.7).  HyStart, which Linux adds to slow start, is not modelled: the small transfers tcpsim
 * simulates end slow start by loss or by ssthresh.  Arithmetic is in double precision: the
 * curve, not Linux's fixed-point rounding, is what the RFC specifies.
 */
#include <math.h>
#include <string.h>

#include "tcp_cc.h"

#define CUBIC_C    0.4
#define CUBIC_BETA 717u /* of 1024 */

void tcp_cubic_reset(tcp_cubic *c)
{
    memset(c, 0, sizeof *c);
}

uint32_t tcp_cubic_ssthresh(tcp_cubic *c, uint32_t cwnd)
{
    c->epoch_start = 0; /* the next growth starts a new epoch */
    /* RFC 9438 4.7 fast convergence: a window that stopped below the last W_max releases
     * bandwidth by remembering a lower plateau */
    if (cwnd < c->w_max)
        c->w_max = (uint32_t)(((uint64_t)cwnd * (1024u + CUBIC_BETA)) / 2048u);
    else
        c->w_max = cwnd;
    uint32_t s = (uint32_t)(((uint64_t)cwnd * CUBIC_BETA) / 1024u);
    return s > 2 ? s : 2;
}

uint32_t tcp_cubic_cnt(tcp_cubic *c, uint32_t cwnd, uint32_t acked, uint64_t now, uint64_t min_rtt)
{
    if (cwnd == 0)
        cwnd = 1;
    c->ack_cnt += acked;
    if (c->epoch_start == 0) {
        /* RFC 9438 4.2: a new epoch; K is the time to climb back to W_max */
        c->epoch_start = now ? now : 1;
        c->ack_cnt = acked;
        c->w_est = cwnd;
        if (c->w_max <= cwnd) {
            c->k = 0;
            c->origin = cwnd;
        } else {
            c->k = cbrt((double)(c->w_max - cwnd) / CUBIC_C);
            c->origin = c->w_max;
        }
    }
    double t = (double)(now - c->epoch_start + min_rtt) / 1e6;
    double target = (double)c->origin + CUBIC_C * (t - c->k) * (t - c->k) * (t - c->k);
    uint32_t cnt;
    if (target > (double)cwnd) {
        double d = target - (double)cwnd;
        double q = (double)cwnd / d;
        cnt = q < 1.0 ? 1 : (uint32_t)q;
    } else {
        cnt = 100u * cwnd; /* below the curve's plateau: grow very slowly */
    }
    if (c->w_max == 0 && cnt > 20)
        cnt = 20; /* no history yet: do not be more timid than Reno's start */
    /* RFC 9438 4.3: the Reno-friendly region; Linux's beta_scale makes the estimate grow by
     * one segment per about 1.9 windows of ACKs for beta 0.7 */
    uint32_t delta = (cwnd * 15u) >> 3;
    if (delta == 0)
        delta = 1;
    while (c->ack_cnt > delta) {
        c->ack_cnt -= delta;
        c->w_est++;
    }
    if (c->w_est > cwnd) {
        uint32_t max_cnt = cwnd / (c->w_est - cwnd);
        if (cnt > max_cnt)
            cnt = max_cnt;
    }
    return cnt < 2 ? 2 : cnt; /* at most one segment per two acknowledged (RFC 9438 4.4) */
}
