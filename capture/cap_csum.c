/*
 * cap_csum.c - the Internet checksum (RFC 1071) used to verify TCP segments over their IPv4 or
 * IPv6 pseudo-header.  Verifying every segment of a capture must cost little next to reading it,
 * so the data is summed as 32-bit words in four independent 64-bit lanes, in the machine's own
 * byte order (the one's complement sum does not depend on byte order, RFC 1071 section 2(B)),
 * and the carries are folded back at the end; the result is folded to 16 bits and turned into
 * network order once.
 */
#include "cap_decode_int.h"

#include <string.h>

static uint16_t fold64(uint64_t acc)
{
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffu) + (acc >> 16);
    acc = (acc & 0xffffu) + (acc >> 16);
    return (uint16_t)acc;
}

/* Folds a sum of 32-bit words to 32 bits, end-around (keeps the one's complement sum). */
static uint32_t fold_wide(uint64_t v)
{
    v = (v & 0xffffffffu) + (v >> 32);
    v = (v & 0xffffffffu) + (v >> 32);
    return (uint32_t)v;
}

uint64_t cap_csum_partial(uint64_t sum, const uint8_t *p, size_t n)
{
    const uint16_t one = 1;
    uint8_t first;
    uint64_t acc = 0, w;
    uint16_t s;

    /* 32-bit words into four 64-bit accumulators: no carry to propagate (even 2^32 words could
     * not overflow them), no dependency between lanes, so the compiler can vectorise it; the
     * end-around carries are all taken back by the fold */
    uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (; n >= 16; p += 16, n -= 16) {
        uint32_t q[4];
        memcpy(q, p, 16);
        a0 += q[0];
        a1 += q[1];
        a2 += q[2];
        a3 += q[3];
    }
    acc = fold_wide(a0 + a1) + (uint64_t)fold_wide(a2 + a3);
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        acc += w;
        acc += acc < w; /* end-around carry */
    }
    /* the tail, each piece at its own offset so byte positions keep their parity; an odd last
     * byte gets a zero partner (RFC 1071) */
    if (n >= 4) {
        uint32_t w4;
        memcpy(&w4, p, 4);
        acc += w4;
        acc += acc < w4;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t w2;
        memcpy(&w2, p, 2);
        acc += w2;
        acc += acc < w2;
        p += 2;
        n -= 2;
    }
    if (n == 1) {
        uint16_t w1 = 0;
        memcpy(&w1, p, 1);
        acc += w1;
        acc += acc < w1;
    }
    s = fold64(acc);
    memcpy(&first, &one, 1);
    if (first == 1) /* little-endian machine: the sum is byte-swapped */
        s = (uint16_t)(s << 8 | s >> 8);
    return sum + s;
}

uint16_t cap_csum_fold(uint64_t sum)
{
    return fold64(sum);
}
