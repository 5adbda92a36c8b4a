/*
 * kt_pcap.h - the segments of one TCP connection in a capture file, for the kernel comparison:
 * read with libpcap (raw IP, IPv4-only raw IP, Ethernet or Linux cooked v1 framing), IPv4 only,
 * every header checked against the captured length, and normalised: time relative to the
 * first segment, direction (client to server or back), sequence and acknowledgment numbers
 * relative to the ISN of their sequence space, the options that matter for the comparison.
 */
#ifndef TCPSIM_KT_PCAP_H
#define TCPSIM_KT_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { KT_C2S = 0, KT_S2C = 1 };

/* TCP header flag bits, as on the wire. */
enum {
    KT_FIN = 0x01,
    KT_SYN = 0x02,
    KT_RST = 0x04,
    KT_PSH = 0x08,
    KT_ACK = 0x10,
    KT_URG = 0x20,
    KT_ECE = 0x40,
    KT_CWR = 0x80,
};

#define KT_SACK_MAX 4

typedef struct kt_seg {
    size_t frame; /* packet number in the file, from 1 */
    int64_t t;    /* us since the connection's first segment in the file */
    int64_t wall; /* the capture time, us since 1970 */
    int dir;      /* KT_C2S or KT_S2C */
    uint8_t flags;
    uint32_t seq, ack;   /* as on the wire */
    uint32_t rseq, rack; /* relative (see kt_pcap_load) */
    uint32_t len;        /* payload bytes */
    uint32_t win;        /* the window field as sent (not scaled) */
    /* options */
    uint32_t mss; /* 0: none */
    int wscale;   /* -1: none */
    bool sack_perm, ts;
    int n_sack;                    /* SACK blocks */
    uint32_t sack[KT_SACK_MAX][2]; /* relative to the ISN of the acknowledged direction */
    bool bad_opts;                 /* option list malformed */
} kt_seg;

typedef struct kt_conn {
    kt_seg *seg;
    size_t n;
    size_t n_dir[2];
    size_t other_tcp; /* TCP packets of other connections (ignored) */
    size_t not_tcp;   /* non-IPv4 or non-TCP packets (ignored) */
    size_t bad;       /* packets cut short or malformed (ignored) */
    bool isn_known[2];
    uint32_t isn[2];
} kt_conn;

/* Reads `path`.  Relative numbers: seq of direction d minus the seq of d's first SYN; ack and
 * SACK edges minus the other direction's SYN seq; in a direction without a SYN (a RST answering
 * a SYN) the numbers stay as on the wire.  The client is the sender of the first SYN without
 * ACK, or else of the first TCP segment.  Returns 0, or -1 with a message in err. */
int kt_pcap_load(const char *path, kt_conn *c, char *err, size_t errlen);
void kt_pcap_free(kt_conn *c);

/* "SYN,ACK", "PSH,ACK", "FIN,PSH,ACK"...; buf of at least 40 bytes. */
const char *kt_flags_str(uint8_t flags, char *buf, size_t len);

#endif
