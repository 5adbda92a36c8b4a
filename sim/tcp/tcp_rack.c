/*
 * tcp_rack.c - RACK-TLP (RFC 8985) for the scoreboard sender: losses detected by time, and tail
 * loss probes, with the choices Linux makes (tcp_recovery.c's tcp_rack_advance,
 * tcp_rack_detect_loss, tcp_rack_reo_wnd, tcp_rack_reo_timeout; tcp_output.c's
 * tcp_schedule_loss_probe and tcp_send_loss_probe; tcp_input.c's tcp_process_tlp_ack).
 *
 * RACK (RFC 8985 6): every delivered unit (acknowledged or SACKed) moves RACK.xmit_ts (with
 * the unit's transmission order, which breaks ties inside one microsecond where the RFC uses
 * the end sequence number) to the most recently sent one delivered so far, and RACK.rtt to its RTT
 * (a retransmission delivered faster than the minimum RTT is ambiguous and skipped).  A unit sent
 * before RACK.xmit_ts that is still unacknowledged is lost once RACK.rtt + reo_wnd has passed
 * since it was sent; before that the reordering timer waits for the rest.  reo_wnd is a quarter
 * of the minimum RTT, capped by SRTT, and zero (a loss is declared at once) during recovery or as
 * soon as three segments are SACKed, since this sender never learns of reordering (no D-SACK
 * based adaptation).  Linux pads the timer by two jiffies (TCP_TIMEOUT_MIN).
 *
 * TLP (RFC 8985 7): while nothing is suspicious (CA state Open or CWR) and something is in
 * flight, the probe timer replaces the retransmission timer: PTO = 2 SRTT plus 2 ms, or plus the
 * minimum RTO when a single segment is out (room for a delayed ACK), never later than the RTO
 * would fire; without an RTT sample 1 s.  When it fires, new data goes if the window allows,
 * otherwise the last segment is sent again; one probe at a time (TLP.end_seq).  If the probe was
 * a retransmission and the ACK that covers it proves a loss, the congestion window is reduced
 * once (CWR).
 */
#include "tcp.h"

#include "tcp_seq.h"

#define TIMEOUT_MIN_US 2000u /* TCP_TIMEOUT_MIN_US, added to the PTO */
#define REORDERING     3u    /* net.ipv4.tcp_reordering */

/* Linux's timers count jiffies: a duration rounded up to the clock granularity. */
uint64_t tcp_jiffies_up(const tcp_endpoint *ep, uint64_t us)
{
    uint64_t g = ep->cfg.clock_g;
    if (ep->cfg.rto_est != TCP_RTO_LINUX || g <= 1)
        return us;
    return (us + g - 1) / g * g;
}

/* RFC 8985 6.2 step 2 for one delivered unit (tcp_rack_advance). */
void tcp_rack_advance(tcp_endpoint *ep, uint64_t now, const tcp_sb_unit *u)
{
    uint64_t rtt = now - u->xmit;
    if ((u->flags & (TCP_SB_RETRANS | TCP_SB_EVER_RETRANS)) && ep->min_rtt && rtt < ep->min_rtt)
        return; /* which copy arrived is ambiguous: the original may be the one */
    ep->rack_advanced = true;
    ep->rack_rtt = rtt;
    if (u->xmit > ep->rack_xmit ||
        (u->xmit == ep->rack_xmit &&
         (u->order > ep->rack_order ||
          (u->order == ep->rack_order && tcp_seq_gt(u->end, ep->rack_end))))) {
        ep->rack_xmit = u->xmit;
        ep->rack_order = u->order;
        ep->rack_end = u->end;
    }
}

/* RFC 8985 6.2 step 4: the reordering window (tcp_rack_reo_wnd). */
static uint64_t reo_wnd(const tcp_endpoint *ep, uint32_t sacked_segs)
{
    if (ep->ca_state >= TCP_CA_RECOVERY || sacked_segs >= REORDERING)
        return 0;
    uint64_t w = ep->min_rtt / 4;
    if (ep->rto.has_sample && w > ep->rto.srtt)
        w = ep->rto.srtt;
    return w;
}

uint32_t tcp_rack_detect(tcp_endpoint *ep, uint64_t now, uint64_t *timeout)
{
    *timeout = 0;
    if (ep->sb == NULL || ep->rack_xmit == 0)
        return 0;
    tcp_sb_counts c;
    tcp_sb_count(ep->sb, &c);
    uint64_t w = reo_wnd(ep, c.sacked_segs);
    uint32_t marked = 0;
    for (uint32_t i = 0; i < ep->sb->n; i++) {
        tcp_sb_unit *u = tcp_sb_at(ep->sb, i);
        if (u->flags & TCP_SB_SACKED)
            continue;
        if ((u->flags & TCP_SB_LOST) && !(u->flags & TCP_SB_RETRANS))
            continue; /* marked lost, not yet sent again */
        /* sent before RACK.xmit_ts: later in time, or later in the same microsecond, or (parts
         * of one unit split by a SACK) the same transmission ending further */
        bool before = ep->rack_xmit > u->xmit ||
                      (ep->rack_xmit == u->xmit &&
                       (ep->rack_order > u->order ||
                        (ep->rack_order == u->order && tcp_seq_gt(ep->rack_end, u->end))));
        if (!before)
            continue;
        int64_t remaining = (int64_t)(ep->rack_rtt + w) - (int64_t)(now - u->xmit);
        if (remaining <= 0) {
            /* lost (a lost retransmission is lost again and will be sent once more) */
            marked += tcp_sb_mark_relost(ep->sb, i);
        } else if ((uint64_t)remaining > *timeout) {
            *timeout = (uint64_t)remaining;
        }
    }
    return marked;
}

uint32_t tcp_rack_mark_lost(tcp_endpoint *ep, uint64_t now, bool *armed)
{
    *armed = false;
    if (!ep->rack_advanced)
        return 0;
    ep->rack_advanced = false;
    uint64_t timeout = 0;
    uint32_t marked = tcp_rack_detect(ep, now, &timeout);
    if (timeout) {
        /* RFC 8985 6.3: wait for the rest of the reordering window */
        tcp_timer_set(ep, now, TCP_TIMER_REORDER,
                      tcp_jiffies_up(ep, timeout) + 2 * (ep->cfg.clock_g ? ep->cfg.clock_g : 1));
        *armed = true;
    }
    return marked;
}

/* How far in the future the RTO would fire, measured from the head unit's transmission
 * (Linux tcp_rto_delta_us); may be negative. */
int64_t tcp_rto_delta(const tcp_endpoint *ep, uint64_t now)
{
    const tcp_sb_unit *head = ep->sb ? tcp_sb_at_c(ep->sb, 0) : NULL;
    if (head == NULL)
        return (int64_t)ep->rto.rto;
    return (int64_t)(head->xmit + ep->rto.rto) - (int64_t)now;
}

bool tcp_tlp_schedule(tcp_endpoint *ep, uint64_t now, bool advancing_rto)
{
    if (!ep->cfg.tlp || !ep->sack_ok || ep->sb == NULL || ep->sb->n == 0)
        return false;
    if (ep->ca_state != TCP_CA_OPEN && ep->ca_state != TCP_CA_CWR)
        return false;
    if (!tcp_synchronized(ep->state) || ep->state == TCP_TIME_WAIT)
        return false;
    uint32_t packets_out = ep->sb->cnt.segs_out;
    uint64_t pto;
    if (ep->rto.has_sample) {
        pto = 2 * ep->rto.srtt + (packets_out == 1 ? ep->cfg.rto_min : TIMEOUT_MIN_US);
        pto = tcp_jiffies_up(ep, pto);
    } else {
        pto = 1000000; /* TCP_TIMEOUT_INIT */
    }
    int64_t rto_delta = advancing_rto ? (int64_t)ep->rto.rto : tcp_rto_delta(ep, now);
    if (rto_delta > 0 && (uint64_t)rto_delta < pto)
        pto = tcp_jiffies_up(ep, (uint64_t)rto_delta);
    tcp_timer_set(ep, now, TCP_TIMER_TLP, pto);
    return true;
}

void tcp_rearm_rto(tcp_endpoint *ep, uint64_t now, bool from_head)
{
    if (ep->sb && ep->sb->n == 0 && ep->snd_una == ep->snd_max) {
        tcp_timer_stop(ep, now);
        return;
    }
    uint64_t rto = ep->rto.rto;
    if (from_head) {
        int64_t d = tcp_rto_delta(ep, now);
        rto = d > 1 ? tcp_jiffies_up(ep, (uint64_t)d) : 1;
    }
    tcp_timer_set(ep, now, TCP_TIMER_RTO, rto);
}

void tcp_tlp_ack(tcp_endpoint *ep, uint64_t now, uint32_t ack, bool una_advanced, bool dsack,
                 bool pure_dup)
{
    if (ep->tlp_high_seq == 0 || tcp_seq_lt(ack, ep->tlp_high_seq))
        return;
    if (!ep->tlp_retrans || dsack) {
        ep->tlp_high_seq = 0; /* new data was the probe, or both copies arrived: no loss */
        return;
    }
    if (tcp_seq_gt(ack, ep->tlp_high_seq)) {
        /* the probe repaired a loss: reduce the window once (CWR) */
        tcp_eng_cwr(ep, now, "tail loss probe repaired a loss: cwnd reduced");
        return;
    }
    if (!una_advanced && pure_dup)
        ep->tlp_high_seq = 0;
}
