/*
 * tcp_cc.c - RFC 5681 congestion control with RFC 6582 NewReno fast recovery.
 */
#include "tcp_cc.h"

#include "tcp_seq.h"

static uint32_t half_flight(uint32_t flight, uint32_t smss)
{
    /* RFC 5681 equation (4): ssthresh = max (FlightSize / 2, 2*SMSS) */
    uint32_t h = flight / 2;
    return h > 2 * smss ? h : 2 * smss;
}

void tcp_cc_init(tcp_cc *cc, uint32_t smss, uint32_t iw_segments, uint32_t iss)
{
    if (iw_segments > 0) {
        cc->cwnd = iw_segments * smss;
    } else {
        /* RFC 5681 3.1: IW = 2..4 segments depending on SMSS */
        if (smss > 2190)
            cc->cwnd = 2 * smss;
        else if (smss > 1095)
            cc->cwnd = 3 * smss;
        else
            cc->cwnd = 4 * smss;
    }
    cc->ssthresh = 0x3fffffffu; /* "arbitrarily high" (RFC 5681 3.1) */
    cc->dupacks = 0;
    cc->in_recovery = false;
    cc->partial_seen = false;
    cc->recover = iss; /* RFC 6582 3.2 step 1: initialized to the ISS */
}

tcp_cc_action tcp_cc_on_new_ack(tcp_cc *cc, uint32_t ack, uint32_t acked, uint32_t flight_after,
                                uint32_t smss)
{
    cc->dupacks = 0;
    if (cc->in_recovery) {
        if (tcp_seq_gt(ack, cc->recover)) {
            /* RFC 6582 3.2 step 3, full acknowledgment: option (1) */
            uint32_t f = flight_after > smss ? flight_after : smss;
            uint32_t c = f + smss;
            cc->cwnd = c < cc->ssthresh ? c : cc->ssthresh;
            cc->in_recovery = false;
            return TCP_CC_NONE;
        }
        /* RFC 6582 3.2 step 3, partial acknowledgment: deflate by the amount acked, add back
         * one SMSS if at least one SMSS was acked; retransmit; restart the timer the first
         * time ("for the first partial ACK that arrives during fast recovery"). */
        cc->cwnd = cc->cwnd > acked ? cc->cwnd - acked : 0;
        if (acked >= smss)
            cc->cwnd += smss;
        if (cc->cwnd < smss)
            cc->cwnd = smss;
        bool first = !cc->partial_seen;
        cc->partial_seen = true;
        return first ? TCP_CC_PARTIAL_ACK_FIRST : TCP_CC_PARTIAL_ACK;
    }
    if (acked == 0)
        return TCP_CC_NONE; /* only a SYN or FIN was acknowledged: no data, no growth */
    if (cc->cwnd < cc->ssthresh) {
        /* RFC 5681 3.1 equation (2): slow start, cwnd += min (N, SMSS) */
        cc->cwnd += acked < smss ? acked : smss;
    } else {
        /* RFC 5681 3.1 equation (3): congestion avoidance, cwnd += SMSS*SMSS/cwnd */
        uint32_t inc = (uint32_t)(((uint64_t)smss * smss) / (cc->cwnd ? cc->cwnd : 1));
        cc->cwnd += inc ? inc : 1;
    }
    return TCP_CC_NONE;
}

tcp_cc_action tcp_cc_on_dupack(tcp_cc *cc, uint32_t ack, uint32_t snd_max, uint32_t flight,
                               uint32_t smss)
{
    cc->dupacks++;
    if (cc->in_recovery) {
        /* RFC 5681 3.2 step 4: inflate by one SMSS per further duplicate */
        cc->cwnd += smss;
        return TCP_CC_NONE;
    }
    if (cc->dupacks != 3)
        return TCP_CC_NONE;
    /* RFC 6582 3.2 step 2: enter recovery only if the ACK covers more than "recover"; this
     * keeps a second loss in the same window from halving ssthresh twice. */
    if (!tcp_seq_gt(ack, cc->recover))
        return TCP_CC_NONE;
    cc->recover = snd_max - 1;                /* highest sequence number transmitted */
    cc->ssthresh = half_flight(flight, smss); /* RFC 5681 3.2 step 2 */
    cc->cwnd = cc->ssthresh + 3 * smss;       /* step 3: inflate by the three segments that left */
    cc->in_recovery = true;
    cc->partial_seen = false;
    return TCP_CC_FAST_RETRANSMIT;
}

void tcp_cc_on_rto(tcp_cc *cc, uint32_t flight, uint32_t snd_max, uint32_t smss, bool first)
{
    /* RFC 5681 3.1: on a timeout ssthresh <= eq. (4), held constant when the same segment
     * times out again; cwnd = loss window = 1 SMSS. */
    if (first)
        cc->ssthresh = half_flight(flight, smss);
    cc->cwnd = smss;
    cc->dupacks = 0;
    /* RFC 6582 3.2 step 4: record the highest sequence transmitted and leave fast recovery */
    cc->recover = snd_max - 1;
    cc->in_recovery = false;
}
