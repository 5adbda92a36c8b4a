/*
 * cap_csum.c - the Internet checksum (RFC 1071) used to verify TCP segments over their IPv4 or
 * IPv6 pseudo-header.  Verifying every segment of a capture must cost little next to reading it,
 * so the data is summed as 32-bit words into a 64-bit accumulator (a loop the compiler vectorises),
 * in the machine's own byte order (the one's complement sum does not depend on byte order, RFC 1071
 * section 2(B)), and the carries are folded back at the end; the result is folded to 16 bits and
 * turned into network order once.
 *
 * On x86-64 machines with AVX2 (asked once, __builtin_cpu_supports) the words of a segment are
 * summed 32 bytes at a time instead: each 32-bit lane takes the two 16-bit words it holds, which
 * cannot overflow it within 32,768 rounds (1 MiB; a segment is at most 64 KiB); the lanes are
 * added into the 64-bit accumulator at the end.  The result is the same sum (the one's complement
 * sum is the same whichever way the words are grouped, RFC 1071 section 2(A)).  The release
 * build's -O2 does not vectorise the portable loop, which made the checksum 16 % of the replay's
 * instructions on a bulk capture.
 */
#include "cap_decode_int.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CAP_CSUM_AVX2 1
#endif

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

#ifdef CAP_CSUM_AVX2
/* The 16-bit words of p[0, 32 * blocks) summed in 32-bit lanes, returned as a 64-bit sum. */
__attribute__((target("avx2"))) static uint64_t sum_avx2(const uint8_t *p, size_t blocks)
{
    const __m256i low = _mm256_set1_epi32(0xffff);
    uint64_t total = 0;
    while (blocks > 0) {
        size_t k = blocks < 32768 ? blocks : 32768;
        blocks -= k;
        __m256i acc = _mm256_setzero_si256();
        for (; k > 0; k--, p += 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
            acc = _mm256_add_epi32(acc, _mm256_and_si256(v, low));
            acc = _mm256_add_epi32(acc, _mm256_srli_epi32(v, 16));
        }
        uint32_t lane[8];
        _mm256_storeu_si256((__m256i *)(void *)lane, acc);
        for (int i = 0; i < 8; i++)
            total += lane[i];
    }
    return total;
}

static int have_avx2 = -1;
#endif

uint64_t cap_csum_partial(uint64_t sum, const uint8_t *p, size_t n)
{
    const uint16_t one = 1;
    uint8_t first;
    uint64_t acc;
    uint16_t s;
    uint64_t wide = 0;

#ifdef CAP_CSUM_AVX2
    if (have_avx2 < 0)
        have_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    if (have_avx2 && n >= 64) {
        size_t blocks = n / 32;
        wide = sum_avx2(p, blocks);
        p += 32 * blocks;
        n -= 32 * blocks;
    }
#endif
    /* 32-bit words into one 64-bit accumulator: no carry to propagate (even 2^32 words could
     * not overflow it); the end-around carries are all taken back by the fold */
    size_t words = n / 4;
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
