/*
 * tcp_seg.h - one TCP segment as the endpoint, the simulator, the capture decoder and the trace
 * see it.
 *
 * A segment carries the header fields that matter to the state machine (flags, SEG.SEQ, SEG.ACK,
 * SEG.LEN, SEG.WND) and the options tcpsim understands (MSS, window scale, SACK-permitted, SACK
 * blocks, timestamps: RFC 9293 3.2, RFC 7323, RFC 2018).  Payload bytes are not carried: the
 * simulator works on byte counts, so memory does not grow with the data transferred.  `win` is the
 * window in bytes after scaling; `win_raw` is the 16-bit header field.  `tags` are analysis labels
 * (retransmission, dup ACK...) set by whoever produced the segment.
 */
#ifndef TCPSIM_TCP_SEG_H
#define TCPSIM_TCP_SEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Header flag bits, in their wire positions (RFC 9293 3.1, RFC 3168). */
enum {
    TCP_FIN = 0x01,
    TCP_SYN = 0x02,
    TCP_RST = 0x04,
    TCP_PSH = 0x08,
    TCP_ACK = 0x10,
    TCP_URG = 0x20,
    TCP_ECE = 0x40,
    TCP_CWR = 0x80,
};

/* Analysis tags.  The first six are the names fixed by the JSON schema (docs/trace-format.md). */
enum {
    TCP_TAG_RETRANSMISSION = 1u << 0,
    TCP_TAG_FAST_RETRANSMISSION = 1u << 1,
    TCP_TAG_ZERO_WINDOW_PROBE = 1u << 2,
    TCP_TAG_DUP_ACK = 1u << 3,
    TCP_TAG_WINDOW_UPDATE = 1u << 4,
    TCP_TAG_KEEP_ALIVE = 1u << 5,
    /* extensions, documented as such */
    TCP_TAG_ZERO_WINDOW = 1u << 6,   /* advertises a zero receive window */
    TCP_TAG_CHALLENGE_ACK = 1u << 7, /* RFC 5961 challenge ACK */
    TCP_TAG_OUT_OF_ORDER = 1u << 8,  /* capture: sequence space below what was already seen */
    TCP_TAG_PREV_NOT_SEEN = 1u << 9, /* capture: a gap before this segment was never seen */
    TCP_TAG_SPURIOUS = 1u << 10,     /* capture: retransmission of data the peer had acked */
    TCP_TAG_DUPLICATE = 1u << 11,    /* capture: the same frame captured twice */
    TCP_TAG_OPTIONS_CUT = 1u << 12,  /* capture: snaplen cut the TCP options */
    TCP_TAG_DATAGRAM = 1u << 13,     /* a UDP datagram (seq: its first byte's offset in the flow) */
    TCP_TAG_COUNT = 14
};

#define TCP_MAX_SACK 4

typedef struct tcp_sack_block {
    uint32_t left, right;
} tcp_sack_block;

typedef struct tcp_seg {
    uint32_t seq;     /* SEG.SEQ */
    uint32_t ack;     /* SEG.ACK (meaningful when TCP_ACK is set) */
    uint32_t len;     /* payload bytes (SYN and FIN are not counted here) */
    uint32_t win;     /* SEG.WND in bytes, after window scaling */
    uint16_t win_raw; /* the 16-bit window field as sent */
    uint8_t flags;    /* TCP_SYN | TCP_ACK | ... */
    /* options: has_* says whether the option is present */
    bool has_mss, has_wscale, sack_perm, has_ts;
    uint16_t mss;
    uint8_t wscale;
    uint8_t nsack;
    tcp_sack_block sack[TCP_MAX_SACK];
    uint32_t tsval, tsecr;
    uint32_t tags; /* TCP_TAG_* */
} tcp_seg;

/* SEG.LEN in sequence space: payload plus one for SYN and one for FIN (RFC 9293 3.4). */
static inline uint32_t tcp_seg_seqlen(const tcp_seg *s)
{
    return s->len + ((s->flags & TCP_SYN) ? 1u : 0u) + ((s->flags & TCP_FIN) ? 1u : 0u);
}

/* Writes flags as "SYN,ACK" (the order SYN FIN RST PSH ACK URG ECE CWR); returns buf. */
const char *tcp_flags_str(uint8_t flags, char *buf, size_t size);
/* Name of one flag bit ("SYN"), or NULL. */
const char *tcp_flag_name(uint8_t bit);
/* Name of one tag bit ("retransmission"), or NULL. */
const char *tcp_tag_name(uint32_t bit);

#endif
