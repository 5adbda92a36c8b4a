/*
 * cap_stats.h - the capture-wide counts of what the decoder did with each packet: packets read,
 * TCP segments used, packets skipped by reason, and the TCP segments whose checksum was bad or
 * could not be checked, or whose payload was cut by snaplen.  This is what the last line of the
 * output reports ({"ev":"capture","packets":n,"tcp":n,"skipped":{...}}).
 */
#ifndef TCPSIM_CAP_STATS_H
#define TCPSIM_CAP_STATS_H

#include <stdint.h>

#include "cap_decode.h"

typedef struct cap_stats {
    uint64_t packets;                 /* every packet handed to cap_stats_add */
    uint64_t tcp;                     /* decoded TCP segments (CAP_SKIP_NONE) */
    uint64_t skipped[CAP_SKIP_COUNT]; /* by reason; skipped[CAP_SKIP_NONE] stays 0 */
    uint64_t csum_bad;                /* TCP segments used despite a bad checksum */
    uint64_t csum_offload;            /* ...of them, holding only the pseudo-header sum */
    uint64_t csum_unverified;         /* TCP segments whose checksum could not be checked */
    uint64_t payload_cut;             /* TCP segments whose payload snaplen cut */
    uint64_t options_cut;             /* TCP segments whose options snaplen cut */
    uint64_t tso_length;              /* TCP segments whose IP length was 0 (TSO, BIG TCP) */
} cap_stats;

/* Counts one decoded packet: `why` as cap_decode returned it, `pkt` its result. */
void cap_stats_add(cap_stats *st, cap_skip why, const cap_packet *pkt);

/* Total of the skipped packets, all reasons. */
uint64_t cap_stats_skipped(const cap_stats *st);

#endif
