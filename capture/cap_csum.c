/*
 * cap_csum.c - the Internet checksum (RFC 1071) used to verify TCP segments over their IPv4 or
 * IPv6 pseudo-header.  Verifying every segment of a capture must cost little next to reading it,
 * so the data is summed 8 bytes at a time in the machine's own byte order (the one's complement
 * sum does not depend on byte order, RFC 1071 section 2(B)), with the end-around carry added
 * back at each step; the result is folded to 16 bits and turned into network order once.
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

uint64_t cap_csum_partial(uint64_t sum, const uint8_t *p, size_t n)
{
    const uint16_t one = 1;
    uint8_t first;
    uint64_t acc = 0, w;
    uint16_t s;

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
