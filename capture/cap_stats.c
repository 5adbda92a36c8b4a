/*
 * cap_stats.c - counting decoder outcomes (cap_stats.h).
 */
#include "cap_stats.h"

void cap_stats_add(cap_stats *st, cap_skip why, const cap_packet *pkt)
{
    st->packets++;
    if (why != CAP_SKIP_NONE) {
        if ((unsigned)why < CAP_SKIP_COUNT)
            st->skipped[why]++;
        return;
    }
    st->tcp++;
    if (pkt->csum == CAP_CSUM_BAD)
        st->csum_bad++;
    if (pkt->csum == CAP_CSUM_BAD && pkt->csum_offload)
        st->csum_offload++;
    else if (pkt->csum == CAP_CSUM_UNVERIFIED)
        st->csum_unverified++;
    if (pkt->payload_cut)
        st->payload_cut++;
    if (pkt->options_cut)
        st->options_cut++;
    if (pkt->tso_length)
        st->tso_length++;
}

uint64_t cap_stats_skipped(const cap_stats *st)
{
    uint64_t n = 0;
    for (int i = 0; i < CAP_SKIP_COUNT; i++)
        n += st->skipped[i];
    return n;
}
