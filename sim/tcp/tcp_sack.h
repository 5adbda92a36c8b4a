/*
 * tcp_sack.h - the SACK scoreboard (RFC 2018, RFC 6675) and the receiver's SACK blocks.
 *
 * Sender side: a tcp_sb holds every segment sent and not yet cumulatively acknowledged, in
 * sequence order, as units: what left the endpoint together (one or more segments, or a FIN, as
 * one of Linux's socket buffers), each with the time it was last sent and its state (SACKed,
 * marked lost, retransmitted and that retransmission still in flight, ever retransmitted).
 * Cumulative ACKs remove units from the front; SACK blocks mark them, splitting a unit at segment
 * boundaries when a block covers part of it.  The scoreboard answers the questions of RFC 6675
 * (IsLost, the pipe of SetPipe, NextSeg's first lost segment) and of RFC 8985 (the send times of
 * what was delivered) and counts what it holds in segments and in bytes.  It knows nothing of the
 * endpoint: the observer of a capture can keep one from the SACK blocks it sees.
 *
 * Receiver side: tcp_sack_build writes the SACK option of an ACK from the out-of-order ranges a
 * receiver holds, the range containing the most recent segment first and the others in order of
 * how recently they changed (RFC 2018 section 4), after a D-SACK range when there is one
 * (RFC 2883 section 4).
 *
 * Units change only through these functions, which keep the counts, the pipe and the number of
 * units waiting for a retransmission up to date: asking them costs O(1), whatever the window.
 *
 * Memory is bounded: at most TCP_SB_MAX units.  tcp_sb_push fails when the scoreboard is full and
 * the sender then holds new data back until acknowledgments free units.
 */
#ifndef TCPSIM_TCP_SACK_H
#define TCPSIM_TCP_SACK_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp_seg.h"

#define TCP_SB_MAX 1024

/* Unit state bits. */
enum {
    TCP_SB_SACKED = 1u << 0,       /* covered by a SACK block */
    TCP_SB_LOST = 1u << 1,         /* marked lost (RFC 6675 IsLost, RFC 8985, a timeout) */
    TCP_SB_RETRANS = 1u << 2,      /* retransmitted, and that copy is taken to be in flight */
    TCP_SB_EVER_RETRANS = 1u << 3, /* sent more than once (Karn's rule) */
    TCP_SB_PSH = 1u << 4,          /* its last byte ends a write: PSH when sent on its own */
    TCP_SB_FIN = 1u << 5,          /* it ends with our FIN */
};

typedef struct tcp_sb_unit {
    uint32_t start, end; /* [start, end) in sequence space; a FIN takes its one number */
    uint64_t xmit;       /* when it was last sent, us */
    uint32_t order;      /* transmissions counted: what left later has a higher number, even
                            within one microsecond (RFC 8985's "sent after") */
    uint16_t segs;       /* segments it holds (a FIN alone is one) */
    uint16_t flags;      /* TCP_SB_* */
} tcp_sb_unit;

/* Counts over the units. */
typedef struct tcp_sb_counts {
    uint32_t segs_out, sacked_segs, lost_segs, retrans_segs;
    uint32_t bytes_out, sacked_bytes, lost_bytes, retrans_bytes;
    uint32_t high_sacked; /* end of the highest SACKed unit (valid if sacked_segs) */
} tcp_sb_counts;

typedef struct tcp_sb {
    tcp_sb_unit u[TCP_SB_MAX];
    uint32_t first, n; /* a ring: unit i is u[(first + i) % TCP_SB_MAX], in sequence order */
    uint32_t smss;     /* segment size used to split units */
    uint32_t clock;    /* the next transmission's order */
    /* kept up to date by every change, so that the questions asked per ACK and per segment
     * sent cost O(1): the counts, the pipe, the units waiting for a retransmission */
    tcp_sb_counts cnt;
    uint32_t pipe_segs, pipe_bytes;
    uint32_t pending; /* units lost, not SACKed and not retransmitted */
} tcp_sb;

/* What an ACK delivered: filled by tcp_sb_ack and tcp_sb_sack (both add to it).  `visit`, when
 * set, is called for every unit delivered (acknowledged or newly SACKed) before it changes: RACK
 * (RFC 8985 6.2 step 2) looks at each. */
typedef struct tcp_sb_delivery {
    uint32_t segs_acked;  /* segments cumulatively acknowledged now (SACKed before or not) */
    uint32_t segs_sacked; /* segments newly SACKed */
    uint32_t bytes_acked, bytes_sacked;
    uint32_t segs_newly; /* delivered now and not delivered before (acked-not-sacked + sacked) */
    bool any_retrans;    /* something delivered had been retransmitted */
    bool have_ack_rtt;   /* the earliest-sent unit cumulatively acknowledged that was neither */
    uint64_t ack_xmit;   /* retransmitted nor SACKed before: its send time (Karn's rule) */
    bool have_sack_rtt;  /* the same among the newly SACKed units */
    uint64_t sack_xmit;
    bool dsack; /* the first SACK block reported a duplicate (RFC 2883) */
    uint32_t dsack_left, dsack_right;
    void (*visit)(void *ctx, const tcp_sb_unit *u);
    void *ctx;
} tcp_sb_delivery;

void tcp_sb_init(tcp_sb *sb, uint32_t smss);
/* Unit i (0 = lowest sequence), or NULL past the end. */
tcp_sb_unit *tcp_sb_at(tcp_sb *sb, uint32_t i);
const tcp_sb_unit *tcp_sb_at_c(const tcp_sb *sb, uint32_t i);
bool tcp_sb_full(const tcp_sb *sb);
/* Appends a unit sent for the first time at `now`; returns -1 when the scoreboard is full. */
int tcp_sb_push(tcp_sb *sb, uint32_t start, uint32_t end, uint16_t segs, uint16_t flags,
                uint64_t now);
/* Splits unit i so that it ends at `at` (a segment boundary inside it); returns -1 if it cannot
 * (full scoreboard, or `at` not inside). */
int tcp_sb_split(tcp_sb *sb, uint32_t i, uint32_t at);
/* Joins unit i + 1 to unit i (Linux's tcp_retrans_try_collapse: small units retransmitted as
 * one segment); returns -1 if there is no unit i + 1. */
int tcp_sb_merge(tcp_sb *sb, uint32_t i);
/* Drops the last unit (a zero-window probe octet the receiver did not take). */
void tcp_sb_pop_back(tcp_sb *sb);
/* A cumulative ACK of everything below `una`: removes and trims units, adds to *d. */
void tcp_sb_ack(tcp_sb *sb, uint32_t una, tcp_sb_delivery *d);
/* The SACK blocks of an ACK with cumulative point `una`, the sender having sent up to snd_max:
 * marks what they cover (whole segments only), adds to *d; blocks outside (una, snd_max] are
 * ignored, a first block at or below una (or inside the second) is a D-SACK. */
void tcp_sb_sack(tcp_sb *sb, const tcp_sack_block *b, uint32_t nb, uint32_t una, uint32_t snd_max,
                 tcp_sb_delivery *d);
/* Marks every unit that is not SACKed lost and forgets retransmissions in flight (a timeout:
 * RFC 6675 section 5.1, Linux tcp_timeout_mark_lost). */
void tcp_sb_mark_all_lost(tcp_sb *sb);
/* RFC 6675 IsLost for each unit below the highest SACKed one: lost when at least dupthresh
 * SACKed segments, or more than (dupthresh - 1) * SMSS SACKed bytes, lie above it.  Returns the
 * number of segments newly marked. */
uint32_t tcp_sb_mark_lost_6675(tcp_sb *sb, uint32_t dupthresh);
/* NewReno without SACK: the first unit not SACKed is lost (Linux tcp_newreno_mark_lost). */
uint32_t tcp_sb_mark_head_lost(tcp_sb *sb);
/* Marks unit i lost (if it is neither SACKed nor already lost); returns the segments marked. */
uint32_t tcp_sb_mark_lost(tcp_sb *sb, uint32_t i);
/* The index of the first unit that is lost and not retransmitted (RFC 6675 NextSeg rule 1),
 * or -1. */
int tcp_sb_first_lost(const tcp_sb *sb);
/* Unit i was retransmitted at `now` (split it first to retransmit part of it). */
void tcp_sb_retransmitted(tcp_sb *sb, uint32_t i, uint64_t now);
/* Marks unit i lost again after its retransmission was lost too (RFC 8985 6.2: a retransmission
 * is judged by its own send time); returns the segments marked, 0 if it is SACKed. */
uint32_t tcp_sb_mark_relost(tcp_sb *sb, uint32_t i);

void tcp_sb_count(const tcp_sb *sb, tcp_sb_counts *c);
/* The same, computed afresh from the units (for tests of the kept counts). */
void tcp_sb_recount(const tcp_sb *sb, tcp_sb_counts *c, uint32_t *pipe_segs, uint32_t *pipe_bytes,
                    uint32_t *pending);
/* RFC 6675 SetPipe in segments (Linux tcp_packets_in_flight) and in bytes. */
uint32_t tcp_sb_pipe_segs(const tcp_sb *sb);
uint32_t tcp_sb_pipe_bytes(const tcp_sb *sb);

/* ---- receiver side ---- */
/* Writes up to `max` SACK blocks for an ACK of rcv_nxt: the D-SACK range first if dsack is not
 * NULL, then the ranges r[0..n) (each [start, end) above rcv_nxt) by decreasing age[] (the
 * largest value is the most recent).  Returns the number of blocks written. */
uint8_t tcp_sack_build(const tcp_sack_block *r, const uint32_t *age, uint32_t n,
                       const tcp_sack_block *dsack, unsigned max, tcp_sack_block *out);

#endif
