/*
 * fuzz_links.h - the link types the decoder supports, in a fixed order, shared by the decoder
 * fuzz target (its first input byte picks one: byte % count) and the seed generator (which
 * writes that byte in front of each packet).  The list is found by asking cap_link_supported()
 * about every DLT value below FUZZ_DLT_SCAN, so a link type added to the decoder is fuzzed
 * without touching this file; the order is ascending DLT value.
 */
#ifndef TCPSIM_FUZZ_LINKS_H
#define TCPSIM_FUZZ_LINKS_H

#include <stddef.h>

#include "cap_decode.h"

#define FUZZ_DLT_SCAN  512
#define FUZZ_MAX_LINKS 32

/* Fills links[] (FUZZ_MAX_LINKS entries) and returns how many were found. */
static inline size_t fuzz_links(int *links)
{
    size_t n = 0;
    for (int dlt = 0; dlt < FUZZ_DLT_SCAN && n < FUZZ_MAX_LINKS; dlt++) {
        if (cap_link_supported(dlt))
            links[n++] = dlt;
    }
    return n;
}

/* The selector byte for a DLT value, or -1 when it is not supported. */
static inline int fuzz_link_byte(int dlt)
{
    int links[FUZZ_MAX_LINKS];
    size_t n = fuzz_links(links);
    for (size_t i = 0; i < n; i++) {
        if (links[i] == dlt)
            return (int)i;
    }
    return -1;
}

#endif
