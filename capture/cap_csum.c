/*
 * cap_csum.c - the Internet checksum (RFC 1071) used to verify TCP segments over their IPv4 or
 * IPv6 pseudo-header.  Verifying every segment of a capture must cost little next to reading it,
 * so the data is summed as 32-bit words into a 64-bit accumulator (a loop the compiler vectorises),
 * in the machine's own byte order (the one's complement sum does not depend on byte order, RFC 1071
 * section 2(B)), and the carries are folded back at the end; the result is folded to 16 bits and
 * turned into network order once.
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
    uint64_t acc;
    uint16_t s;

    /* 32-bit words into one 64-bit accumulator: no carry to propagate (even 2^32 words could
     * not overflow it), and a plain widening sum that the compiler vectorises; the end-around
     * carries are all taken back by the fold */
    size_t words = n / 4;
    uint64_t wide = 0;
    for (size_t i = 0; i < words; i++) {
        uint32_t w4;
        memcpy(&w4, p + 4 * i, 4);
        wide += w4;
    }
    acc = fold_wide(wide);
    p += 4 * words;
    n -= 4 * words;
    /* the tail, each piece at its own offset so byte positions keep their parity; an odd last
     * byte gets a zero partner (RFC 1071) */
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
