/*
 * cap_csum.c - the Internet checksum (RFC 1071) used to verify TCP segments over their IPv4 or
 * IPv6 pseudo-header.  Sums are kept in 64 bits and folded once at the end; a segment is at most
 * 64 KiB (or a few MiB for a jumbogram), far from overflowing the accumulator.
 */
#include "cap_decode_int.h"

uint64_t cap_csum_partial(uint64_t sum, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2)
        sum += (uint64_t)p[i] << 8 | p[i + 1];
    if (i < n) /* odd length: the last byte is padded with a zero byte */
        sum += (uint64_t)p[i] << 8;
    return sum;
}

uint16_t cap_csum_fold(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}
