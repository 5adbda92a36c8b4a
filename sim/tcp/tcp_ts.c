/*
 * tcp_ts.c - the TCP Timestamps option (RFC 7323 sections 3 - 5): the TSval clock, TS.Recent,
 * PAWS, and RTT samples from TSecr.
 *
 * The clock ticks once per millisecond, as Linux's (tcp_time_stamp_ms), and starts at 1 so that
 * no TSval is 0 (a TSecr of 0 reads as "no echo").  Linux adds a random offset per connection;
 * tcpsim's runs are reproducible, so the clock is the simulated time.  A segment without the
 * option on a connection that agreed to it is accepted, as Linux does (RFC 7323 3.2 says a TCP
 * SHOULD drop it); RSTs are never checked by PAWS (5.3 R1 exempts them).
 */
#include "tcp.h"

#include "tcp_seq.h"

uint32_t tcp_ts_clock(uint64_t now)
{
    return (uint32_t)(now / 1000u) + 1u;
}

void tcp_ts_put(const tcp_endpoint *ep, uint64_t now, tcp_seg *s)
{
    if (!ep->ts_ok)
        return;
    s->has_ts = true;
    s->tsval = tcp_ts_clock(now);
    s->tsecr = ep->ts_recent;
}

void tcp_ts_note(tcp_endpoint *ep, const tcp_seg *s)
{
    ep->seg_ts = ep->ts_ok && s->has_ts;
    ep->seg_tsval = s->tsval;
    ep->seg_tsecr = s->tsecr;
}

bool tcp_ts_paws_reject(const tcp_endpoint *ep, const tcp_seg *s)
{
    /* RFC 7323 5.3 R1: SEG.TSval < TS.Recent makes the segment unacceptable */
    if (!ep->seg_ts || (s->flags & TCP_RST))
        return false;
    return tcp_seq_lt(s->tsval, ep->ts_recent);
}

void tcp_ts_update_recent(tcp_endpoint *ep, const tcp_seg *s)
{
    /* RFC 7323 4.3 (2) and 5.3 R3: SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent */
    if (!ep->seg_ts)
        return;
    if (tcp_seq_geq(s->tsval, ep->ts_recent) && tcp_seq_leq(s->seq, ep->last_ack_sent))
        ep->ts_recent = s->tsval;
}

bool tcp_ts_rtt(const tcp_endpoint *ep, uint64_t now, uint64_t *rtt)
{
    /* RFC 7323 4.2: an ACK's TSecr echoes the TSval of the segment that caused it */
    if (!ep->seg_ts || ep->seg_tsecr == 0)
        return false;
    uint32_t d = tcp_ts_clock(now) - ep->seg_tsecr;
    if ((int32_t)d < 0)
        return false;
    *rtt = (uint64_t)d * 1000u;
    return true;
}
