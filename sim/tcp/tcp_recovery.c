/*
 * tcp_recovery.c - the scoreboard sender's side of an arriving ACK, and its timeouts: what was
 * delivered (tcp_sack.c), RTT samples per ACK, loss detection (RACK of RFC 8985, or RFC 6675
 * IsLost with SACK, or NewReno's duplicate ACKs without), the congestion states (Open, Disorder,
 * CWR, Recovery, Loss, as Linux's tcp_fastretrans_alert keeps them), the congestion window
 * (slow start and congestion avoidance with NewReno or CUBIC, RFC 6937 PRR or RFC 6675's
 * cwnd = ssthresh during recovery), and the timers (RTO, TLP, RACK's reordering timer).
 *
 * Windows are counted in the unit cfg.cwnd_packets chooses: packets, as Linux counts (a FIN or
 * a small segment takes one; cc.cwnd then holds a whole number of SMSS), or bytes (RFC 5681,
 * RFC 6675's pipe).  In packets the window grows as Linux's tcp_slow_start and
 * tcp_cong_avoid_ai do (a whole delivered segment each, only while the window limits the
 * sender); in bytes as RFC 5681 3.1 says.
 *
 * Not modelled: undoing a window reduction found spurious (Linux's D-SACK and Eifel undo),
 * F-RTO (RFC 5682), HyStart, ECN.
 */
#include "tcp.h"

#include "tcp_seq.h"

#define DUPTHRESH 3u

static bool pkts(const tcp_endpoint *ep)
{
    return ep->cfg.cwnd_packets;
}

/* One segment in the window's unit. */
static uint32_t one(const tcp_endpoint *ep)
{
    return pkts(ep) ? 1u : ep->smss;
}

uint32_t tcp_eng_cwnd(const tcp_endpoint *ep)
{
    return pkts(ep) ? ep->cc.cwnd / ep->smss : ep->cc.cwnd;
}

static uint32_t ssthresh_u(const tcp_endpoint *ep)
{
    return pkts(ep) ? ep->cc.ssthresh / ep->smss : ep->cc.ssthresh;
}

static void set_cwnd(tcp_endpoint *ep, uint32_t v)
{
    if (v < one(ep))
        v = one(ep);
    ep->cc.cwnd = pkts(ep) ? v * ep->smss : v;
}

static void set_ssthresh(tcp_endpoint *ep, uint32_t v)
{
    ep->cc.ssthresh = pkts(ep) ? v * ep->smss : v;
}

uint32_t tcp_eng_in_flight(const tcp_endpoint *ep)
{
    if (ep->sb == NULL)
        return 0;
    return pkts(ep) ? tcp_sb_pipe_segs(ep->sb) : tcp_sb_pipe_bytes(ep->sb);
}

void tcp_eng_init(tcp_endpoint *ep)
{
    ep->ca_state = TCP_CA_OPEN;
    ep->high_seq = ep->snd_una;
    ep->prr_delivered = ep->prr_out = ep->prior_cwnd = 0;
    ep->eng_dupacks = 0;
    ep->cwnd_cnt = 0;
    ep->max_packets_out = 0;
    ep->max_packets_seq = ep->snd_una;
    ep->tlp_high_seq = 0;
    ep->snd_sml = ep->snd_una; /* no small segment sent yet (Linux sets it to write_seq) */
    tcp_cubic_reset(&ep->cubic);
    if (ep->sb)
        tcp_sb_init(ep->sb, ep->smss);
}

/* The ssthresh after a congestion event (RFC 5681 (4), RFC 9438 4.6). */
static uint32_t loss_ssthresh(tcp_endpoint *ep)
{
    uint32_t cwnd = tcp_eng_cwnd(ep);
    if (ep->cfg.cc_algo == TCP_CCA_CUBIC) {
        uint32_t segs = pkts(ep) ? cwnd : cwnd / ep->smss;
        uint32_t s = tcp_cubic_ssthresh(&ep->cubic, segs);
        return pkts(ep) ? s : s * ep->smss;
    }
    if (pkts(ep))
        return cwnd / 2 > 2 ? cwnd / 2 : 2; /* Linux tcp_reno_ssthresh */
    uint32_t flight = ep->snd_max - ep->snd_una;
    uint32_t h = flight / 2; /* RFC 5681 (4): max(FlightSize / 2, 2 SMSS) */
    return h > 2 * ep->smss ? h : 2 * ep->smss;
}

static void enter_recovery(tcp_endpoint *ep, uint64_t now)
{
    ep->prior_cwnd = tcp_eng_cwnd(ep);
    set_ssthresh(ep, loss_ssthresh(ep));
    ep->high_seq = ep->snd_max; /* RFC 6675 (4.1) RecoveryPoint = HighData */
    ep->prr_delivered = ep->prr_out = 0;
    ep->cwnd_cnt = 0;
    ep->tlp_high_seq = 0;
    ep->ca_state = TCP_CA_RECOVERY;
    ep->force_rexmit = true; /* the fast retransmit goes whatever the window says */
    if (!ep->cfg.prr)
        set_cwnd(ep, ssthresh_u(ep)); /* RFC 6675 (4.2) */
    tcp_emit_cwnd(ep, now,
                  ep->sack_ok ? "loss detected: fast recovery (SACK)"
                              : "fast retransmit (3 dup ACKs)");
}

void tcp_eng_cwr(tcp_endpoint *ep, uint64_t now, const char *cause)
{
    /* Linux tcp_init_cwnd_reduction + tcp_end_cwnd_reduction: ssthresh as for a loss, the
     * window down to it at once */
    ep->high_seq = ep->snd_max;
    ep->tlp_high_seq = 0;
    ep->cwnd_cnt = 0;
    set_ssthresh(ep, loss_ssthresh(ep));
    if (tcp_eng_cwnd(ep) > ssthresh_u(ep))
        set_cwnd(ep, ssthresh_u(ep));
    tcp_sb_counts c;
    tcp_sb_count(ep->sb, &c);
    ep->ca_state = (c.sacked_segs || c.lost_segs || c.retrans_segs) ? TCP_CA_DISORDER : TCP_CA_OPEN;
    tcp_emit_cwnd(ep, now, cause);
}

/* RFC 6937 with Linux's choices (tcp_cwnd_reduction): how much may be sent for what was
 * delivered; sets cwnd = in flight + that. */
static void prr(tcp_endpoint *ep, uint32_t delivered, uint32_t newly_lost, bool una_advanced)
{
    if (delivered == 0 || ep->prior_cwnd == 0)
        return;
    uint32_t pipe = tcp_eng_in_flight(ep);
    int64_t delta = (int64_t)ssthresh_u(ep) - (int64_t)pipe;
    int64_t sndcnt;
    ep->prr_delivered += delivered;
    if (delta < 0) {
        /* proportional part: sndcnt = ceil(prr_delivered * ssthresh / RecoverFS) - prr_out */
        uint64_t div = (uint64_t)ssthresh_u(ep) * ep->prr_delivered + ep->prior_cwnd - 1;
        sndcnt = (int64_t)(div / ep->prior_cwnd) - (int64_t)ep->prr_out;
    } else {
        /* slow start part (PRR-SSRB), bounded by what brings the pipe to ssthresh */
        int64_t d = (int64_t)ep->prr_delivered - (int64_t)ep->prr_out;
        sndcnt = d > (int64_t)delivered ? d : (int64_t)delivered;
        if (una_advanced && newly_lost == 0)
            sndcnt += one(ep);
        if (sndcnt > delta)
            sndcnt = delta;
    }
    if (ep->prr_out == 0 && sndcnt < (int64_t)one(ep))
        sndcnt = one(ep); /* the fast retransmit itself */
    if (sndcnt < 0)
        sndcnt = 0;
    set_cwnd(ep, pipe + (uint32_t)sndcnt);
}

/* Window growth for `delivered` (units) newly delivered (Open, Disorder, Loss). */
static void grow(tcp_endpoint *ep, uint64_t now, uint32_t delivered, uint32_t bytes_acked)
{
    if (delivered == 0)
        return;
    uint32_t cwnd = tcp_eng_cwnd(ep), ss = ssthresh_u(ep);
    if (pkts(ep)) {
        /* tcp_is_cwnd_limited: in slow start grow while cwnd < 2 x the most sent lately */
        bool limited = ep->cwnd_limited || (cwnd < ss && cwnd < 2 * ep->max_packets_out);
        if (!limited)
            return;
        uint32_t acked = delivered;
        if (cwnd < ss) { /* tcp_slow_start */
            uint32_t n = cwnd + acked < ss ? cwnd + acked : ss;
            acked -= n - cwnd;
            cwnd = n;
            if (acked == 0) {
                set_cwnd(ep, cwnd);
                tcp_emit_cwnd(ep, now, "slow start");
                return;
            }
        }
        uint32_t w = cwnd;
        if (ep->cfg.cc_algo == TCP_CCA_CUBIC)
            w = tcp_cubic_cnt(&ep->cubic, cwnd, acked, now, ep->min_rtt);
        /* tcp_cong_avoid_ai: one more segment per w delivered */
        if (ep->cwnd_cnt >= w) {
            ep->cwnd_cnt = 0;
            cwnd++;
        }
        ep->cwnd_cnt += acked;
        if (ep->cwnd_cnt >= w) {
            uint32_t inc = ep->cwnd_cnt / w;
            ep->cwnd_cnt -= inc * w;
            cwnd += inc;
        }
        set_cwnd(ep, cwnd);
        tcp_emit_cwnd(ep, now, "congestion avoidance");
        return;
    }
    /* bytes: RFC 5681 3.1 */
    if (bytes_acked == 0)
        return;
    if (cwnd < ss) {
        cwnd += bytes_acked < ep->smss ? bytes_acked : ep->smss; /* (2) */
        set_cwnd(ep, cwnd);
        tcp_emit_cwnd(ep, now, "slow start");
        return;
    }
    if (ep->cfg.cc_algo == TCP_CCA_CUBIC) {
        uint32_t segs = cwnd / ep->smss;
        uint32_t cnt = tcp_cubic_cnt(&ep->cubic, segs, (bytes_acked + ep->smss - 1) / ep->smss, now,
                                     ep->min_rtt);
        ep->cwnd_cnt += (bytes_acked + ep->smss - 1) / ep->smss;
        if (ep->cwnd_cnt >= cnt) {
            ep->cwnd_cnt -= cnt;
            cwnd += ep->smss;
        }
    } else {
        uint32_t inc = (uint32_t)(((uint64_t)ep->smss * ep->smss) / (cwnd ? cwnd : 1)); /* (3) */
        cwnd += inc ? inc : 1;
    }
    set_cwnd(ep, cwnd);
    tcp_emit_cwnd(ep, now, "congestion avoidance");
}

typedef struct visit_ctx {
    tcp_endpoint *ep;
    uint64_t now;
} visit_ctx;

static void visit(void *ctx, const tcp_sb_unit *u)
{
    visit_ctx *v = ctx;
    tcp_rack_advance(v->ep, v->now, u);
}

void tcp_eng_ack(tcp_endpoint *ep, uint64_t now, const tcp_seg *s, uint32_t prior_una, bool dupack)
{
    if (ep->sb == NULL)
        return;
    bool una_adv = tcp_seq_gt(ep->snd_una, prior_una);
    visit_ctx vc = {ep, now};
    tcp_sb_delivery d = {0};
    d.visit = visit;
    d.ctx = &vc;
    if (ep->sack_ok && s->nsack)
        tcp_sb_sack(ep->sb, s->sack, s->nsack, ep->snd_una, ep->snd_max, &d);
    tcp_sb_ack(ep->sb, ep->snd_una, &d);

    /* RTT samples, Linux's way: the earliest newly acknowledged segment never retransmitted,
     * else the earliest newly SACKed one, else TSecr when new data was acknowledged
     * (tcp_ack_update_rtt); the RFC estimator is fed by rtt_measure in tcp_input.c */
    if (ep->cfg.rto_est == TCP_RTO_LINUX && !ep->rtt_taken) {
        uint64_t r = 0;
        bool have = false;
        if (d.have_ack_rtt) {
            r = now - d.ack_xmit;
            have = true;
        } else if (d.have_sack_rtt) {
            r = now - d.sack_xmit;
            have = true;
        } else if (una_adv && tcp_ts_rtt(ep, now, &r)) {
            have = true;
        }
        if (have) {
            ep->rtt_taken = true;
            tcp_rtt_sample(ep, now, r);
        }
    }

    tcp_tlp_ack(ep, now, ep->snd_una, una_adv, d.dsack, dupack && d.segs_sacked == 0);

    /* leaving a state once the recovery point is acknowledged */
    bool recovered = false;
    if ((ep->ca_state == TCP_CA_RECOVERY || ep->ca_state == TCP_CA_CWR ||
         ep->ca_state == TCP_CA_LOSS) &&
        tcp_seq_geq(ep->snd_una, ep->high_seq)) {
        uint8_t was = ep->ca_state;
        recovered = was != TCP_CA_LOSS;
        ep->ca_state = TCP_CA_OPEN;
        ep->eng_dupacks = 0;
        if (was != TCP_CA_LOSS && ep->cc.ssthresh < 0x3fffffffu) {
            set_cwnd(ep, ssthresh_u(ep)); /* RFC 6675: the full ACK; Linux ends the reduction */
            tcp_emit_cwnd(ep, now, "recovery ends: cwnd = ssthresh");
        }
    }

    /* loss detection */
    uint32_t newly_lost = 0;
    bool reo_armed = false;
    if (ep->sack_ok && ep->cfg.rack) {
        newly_lost += tcp_rack_mark_lost(ep, now, &reo_armed);
    } else if (ep->sack_ok) {
        tcp_sb_counts c;
        tcp_sb_count(ep->sb, &c);
        if (dupack && d.segs_sacked)
            ep->eng_dupacks++;
        if (una_adv)
            ep->eng_dupacks = 0;
        /* RFC 6675 5: DupAcks >= DupThresh, or IsLost(HighACK + 1) */
        if (ep->eng_dupacks >= DUPTHRESH || c.sacked_segs >= DUPTHRESH ||
            ep->ca_state >= TCP_CA_RECOVERY)
            newly_lost += tcp_sb_mark_lost_6675(ep->sb, DUPTHRESH);
        if (ep->eng_dupacks >= DUPTHRESH && ep->ca_state < TCP_CA_RECOVERY)
            newly_lost += tcp_sb_mark_head_lost(ep->sb);
    } else {
        if (una_adv && ep->ca_state != TCP_CA_RECOVERY)
            ep->eng_dupacks = 0;
        if (dupack)
            ep->eng_dupacks++;
        if (ep->ca_state < TCP_CA_RECOVERY && ep->eng_dupacks >= DUPTHRESH &&
            (ep->ca_state != TCP_CA_LOSS) && tcp_seq_gt(ep->snd_una, ep->high_seq - 1))
            newly_lost += tcp_sb_mark_head_lost(ep->sb); /* RFC 6582 3.2 step 2 */
        if (ep->ca_state == TCP_CA_RECOVERY && una_adv && tcp_seq_lt(ep->snd_una, ep->high_seq))
            newly_lost += tcp_sb_mark_head_lost(ep->sb); /* a partial ACK: the next hole */
    }

    tcp_sb_counts c;
    tcp_sb_count(ep->sb, &c);
    if (ep->ca_state < TCP_CA_RECOVERY) {
        if (c.lost_segs > 0 && ep->ca_state != TCP_CA_LOSS) {
            enter_recovery(ep, now);
        } else if (c.sacked_segs > 0 || ep->eng_dupacks > 0) {
            if (ep->ca_state == TCP_CA_OPEN)
                ep->ca_state = TCP_CA_DISORDER;
        } else if (ep->ca_state == TCP_CA_DISORDER) {
            ep->ca_state = TCP_CA_OPEN;
        }
    }

    /* the window */
    uint32_t delivered = pkts(ep) ? d.segs_newly : d.bytes_acked + d.bytes_sacked;
    if (ep->ca_state == TCP_CA_RECOVERY || ep->ca_state == TCP_CA_CWR) {
        if (ep->cfg.prr) {
            prr(ep, delivered, newly_lost, una_adv);
            tcp_emit_cwnd(ep, now, "fast recovery: proportional rate reduction");
        }
    } else if (una_adv && !(recovered && !pkts(ep))) {
        /* (RFC 5681 3.2 step 6: the ACK that ends recovery sets cwnd to ssthresh, no more;
         * Linux goes on to grow it on that ACK if the window limited the sender) */
        uint32_t data_acked = d.bytes_acked;
        grow(ep, now, delivered, data_acked);
    }

    /* the timers (RFC 6298 5.2, 5.3; RFC 8985 7.2) */
    if (ep->snd_una == ep->snd_max && ep->sb->n == 0) {
        if (ep->timer == TCP_TIMER_RTO || ep->timer == TCP_TIMER_TLP ||
            ep->timer == TCP_TIMER_REORDER)
            tcp_timer_stop(ep, now);
    } else if (una_adv && !reo_armed) {
        bool from_head = ep->timer == TCP_TIMER_TLP || ep->timer == TCP_TIMER_REORDER;
        if (!tcp_tlp_schedule(ep, now, true))
            tcp_rearm_rto(ep, now, from_head);
    }
}

void tcp_eng_rto(tcp_endpoint *ep, uint64_t now)
{
    /* Linux tcp_enter_loss (RFC 5681 3.1, RFC 6675 5.1): everything not SACKed is lost; a new
     * episode halves (or takes beta of) the window into ssthresh; cwnd = in flight + 1 */
    bool new_episode = ep->ca_state <= TCP_CA_DISORDER || !tcp_seq_gt(ep->high_seq, ep->snd_una) ||
                       (ep->ca_state == TCP_CA_LOSS && ep->retries <= 1);
    tcp_sb_mark_all_lost(ep->sb);
    if (new_episode)
        set_ssthresh(ep, loss_ssthresh(ep));
    tcp_cubic_reset(&ep->cubic); /* bictcp_reset when the state becomes Loss */
    ep->ca_state = TCP_CA_LOSS;
    ep->high_seq = ep->snd_max;
    ep->tlp_high_seq = 0;
    ep->cwnd_cnt = 0;
    ep->eng_dupacks = 0;
    set_cwnd(ep, tcp_eng_in_flight(ep) + one(ep));
    ep->force_rexmit = true;
    ep->cur.active = false;
    ep->cwnd_shown = 0;
    tcp_emit_cwnd(ep, now, "retransmission timeout: loss window");
}

void tcp_eng_reo_fire(tcp_endpoint *ep, uint64_t now)
{
    /* tcp_rack_reo_timeout: what the reordering window waited for is now lost */
    uint64_t timeout = 0;
    uint32_t marked = tcp_rack_detect(ep, now, &timeout);
    if (marked) {
        if (ep->ca_state != TCP_CA_RECOVERY) {
            enter_recovery(ep, now);
            if (ep->cfg.prr)
                prr(ep, one(ep), 0, false);
        }
    }
    tcp_rearm_rto(ep, now, true);
}

void tcp_eng_sent(tcp_endpoint *ep, uint32_t segs, uint32_t bytes)
{
    if (ep->ca_state == TCP_CA_RECOVERY || ep->ca_state == TCP_CA_CWR)
        ep->prr_out += pkts(ep) ? segs : bytes;
    /* tcp_cwnd_validate: the most segments in flight in the current window */
    uint32_t out = ep->sb->cnt.segs_out;
    if (!tcp_seq_lt(ep->snd_una, ep->max_packets_seq) || out > ep->max_packets_out) {
        ep->max_packets_out = out;
        ep->max_packets_seq = ep->snd_max;
    }
}
