/*
 * cap_zeek.h - a connection's summary in Zeek's vocabulary (conn.log): the `history` string and
 * the `conn_state` verdict, worked out from the packets each side sent, with the meanings Zeek
 * documents.  Upper-case history letters are the originator's (tcpsim's client), lower-case the
 * responder's:
 *   s SYN without ACK   h SYN,ACK   a pure ACK   d payload   f FIN   r RST
 *   c bad checksum   g content gap   t retransmitted payload   w zero window
 *   i inconsistent (FIN and RST)   q multi-flag (SYN with FIN or RST)
 *   ^ the direction was flipped (the first packet came from the responder)   x analysis partial
 * a, d, i and q are recorded once per direction; f, h, r and s again when the sequence number
 * differs from the last one of the same letter; c, g, t and w logarithmically (once, then again
 * at 10, 100, 1000... occurrences).  Where tcpsim's RFC 9293 view differs from Zeek's is said in
 * docs/replay.md.
 */
#ifndef TCPSIM_CAP_ZEEK_H
#define TCPSIM_CAP_ZEEK_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp_seg.h"

#define CAP_ZEEK_HISTORY 40 /* letters kept (Zeek keeps more; a longer history ends in 'x') */

/* What Zeek calls an endpoint's state, from what the endpoint sent. */
typedef enum cap_zeek_ep {
    CAP_ZEEK_INACTIVE,
    CAP_ZEEK_SYN_SENT,
    CAP_ZEEK_SYN_ACK_SENT,
    CAP_ZEEK_PARTIAL, /* sent without a SYN seen: the capture began mid-connection */
    CAP_ZEEK_ESTABLISHED,
    CAP_ZEEK_CLOSED, /* sent a FIN */
    CAP_ZEEK_RESET,  /* sent a RST */
} cap_zeek_ep;

typedef struct cap_zeek {
    char history[CAP_ZEEK_HISTORY + 1];
    uint8_t n;
    uint8_t once[2];          /* a, d, i, q recorded, per side (bits) */
    uint32_t last_seq[2][4];  /* last s/h/f/r sequence number, per side */
    uint8_t have_seq[2];      /* bits: s h f r */
    uint64_t count[2][4];     /* c g t w occurrences, per side */
    uint64_t next_mark[2][4]; /* the count at which the letter is recorded again */
    cap_zeek_ep ep[2];        /* [0] originator, [1] responder */
    uint64_t bytes[2];        /* payload bytes sent, for REJ */
    bool started;
} cap_zeek;

/* What one packet was, for the history: `orig` says it came from the originator. */
typedef struct cap_zeek_pkt {
    bool orig;
    const tcp_seg *seg;  /* its flags, seq, len and window field */
    bool bad_checksum;   /* c */
    bool gap;            /* g: sequence space before it (or acknowledged by it) was never seen */
    bool retransmission; /* t, when it carries payload */
} cap_zeek_pkt;

/* `flipped`: the first packet came from the responder (Zeek's '^'). */
void cap_zeek_init(cap_zeek *z, bool flipped);
void cap_zeek_packet(cap_zeek *z, const cap_zeek_pkt *p);
/* "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH". */
const char *cap_zeek_conn_state(const cap_zeek *z);
/* One line of what the conn_state means, as Zeek documents it. */
const char *cap_zeek_conn_state_meaning(const char *state);

#endif
