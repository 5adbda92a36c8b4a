/*
 * fuzz_decode.c - libFuzzer target for the packet decoder (cap_decode).  Input layout: byte 0
 * picks the link type among the supported ones (fuzz_links.h, byte % count); byte 1 says how
 * much longer the packet was on the wire than captured (byte1 squared, so 0 means "captured
 * whole" and large values mimic a snaplen cut of a big packet); the rest is the captured frame.
 * libFuzzer hands over a heap block of exactly the input's size, so ASan catches any read past
 * the capture.  Beyond "no crash", the target checks the decoder's promises and aborts when one
 * breaks: a valid skip reason; a used packet has its fixed TCP header inside the capture, a
 * payload_captured within SEG.LEN and payload_cut saying so; a verified checksum only over a
 * wholly captured segment; the same result twice; and the snaplen rule (cutting the capture
 * after the fixed TCP header still gives the same segment, cutting it before gives "truncated").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap_decode.h"
#include "fuzz_links.h"

static int links[FUZZ_MAX_LINKS];
static size_t n_links;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_decode: broken promise: %s (line %d)\n", #cond, __LINE__);       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    n_links = fuzz_links(links);
    if (n_links == 0) {
        fprintf(stderr, "fuzz_decode: the decoder supports no link type?\n");
        abort();
    }
    return 0;
}

/* Decodes the first `cut` bytes from a heap block of exactly that size. */
static cap_skip decode_prefix(int dlt, const uint8_t *pkt, size_t cut, size_t wirelen,
                              cap_packet *out)
{
    uint8_t *copy = malloc(cut ? cut : 1);
    CHECK(copy != NULL);
    memcpy(copy, pkt, cut);
    out->ts_us = 0;
    cap_skip why = cap_decode(dlt, copy, cut, wirelen, out);
    free(copy);
    return why;
}

static void same_segment(const cap_packet *a, const cap_packet *b)
{
    CHECK(a->sport == b->sport && a->dport == b->dport);
    CHECK(a->seg.seq == b->seg.seq && a->seg.ack == b->seg.ack);
    CHECK(a->seg.flags == b->seg.flags && a->seg.len == b->seg.len);
    CHECK(a->seg.win_raw == b->seg.win_raw);
    CHECK(a->ip_version == b->ip_version && a->l4_off == b->l4_off);
    CHECK(memcmp(&a->src, &b->src, sizeof a->src) == 0);
    CHECK(memcmp(&a->dst, &b->dst, sizeof a->dst) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return -1;
    int dlt = links[data[0] % n_links];
    size_t extra = (size_t)data[1] * data[1];
    const uint8_t *pkt = data + 2;
    size_t caplen = size - 2, wirelen = caplen + extra;

    cap_packet p, q;
    memset(&p, 0xa5, sizeof p); /* the decoder must clear what it does not fill */
    p.ts_us = 42;
    cap_skip why = cap_decode(dlt, caplen ? pkt : NULL, caplen, wirelen, &p);
    CHECK((unsigned)why < CAP_SKIP_COUNT);
    CHECK(why != CAP_SKIP_UNSUPPORTED_LINK);
    CHECK(p.ts_us == 42);
    CHECK(p.l3_off <= caplen);
    CHECK(p.seg.nsack <= TCP_MAX_SACK);
    if (p.first_fragment)
        CHECK(why == CAP_SKIP_FRAGMENT && p.has_tcp);

    /* deterministic, and nothing depends on what was in *out before */
    memset(&q, 0x5a, sizeof q);
    q.ts_us = 42;
    CHECK(cap_decode(dlt, caplen ? pkt : NULL, caplen, wirelen, &q) == why);
    CHECK(memcmp(&p, &q, sizeof p) == 0);

    if (why != CAP_SKIP_NONE)
        return 0;

    /* a used packet */
    CHECK(p.has_tcp);
    CHECK(p.ip_version == 4 || p.ip_version == 6);
    CHECK(p.src.family == p.ip_version && p.dst.family == p.ip_version);
    CHECK(p.l3_off < p.l4_off);
    CHECK((size_t)p.l4_off + 20 <= caplen);
    CHECK(p.payload_captured <= p.seg.len);
    CHECK(p.payload_cut == (p.payload_captured < p.seg.len));
    CHECK((size_t)p.l4_off + p.payload_captured <= caplen);
    if (p.csum != CAP_CSUM_UNVERIFIED)
        CHECK(!p.payload_cut && !p.options_cut);
    CHECK(p.seg.win == p.seg.win_raw);

    /* the snaplen rule: the same frame captured only up to the end of the fixed TCP header (and
     * at a point between that and the end) is still the same segment... */
    size_t keep = (size_t)p.l4_off + 20;
    size_t wire = wirelen > caplen ? wirelen : caplen;
    CHECK(decode_prefix(dlt, pkt, keep, wire, &q) == CAP_SKIP_NONE);
    same_segment(&p, &q);
    if (caplen > keep) {
        size_t mid = keep + (size_t)data[1] % (caplen - keep);
        CHECK(decode_prefix(dlt, pkt, mid, wire, &q) == CAP_SKIP_NONE);
        same_segment(&p, &q);
    }
    /* ...and captured up to any point before it, it is "truncated" */
    size_t below = (size_t)data[0] % keep;
    CHECK(decode_prefix(dlt, pkt, below, wire, &q) == CAP_SKIP_TRUNCATED);
    return 0;
}
