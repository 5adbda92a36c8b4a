/*
 * tcp_seq.h - wrap-safe sequence number arithmetic.
 *
 * TCP sequence numbers live on a 32-bit circle (RFC 9293 section 3.4): "a < b" means that b lies
 * less than 2^31 numbers ahead of a.  Every comparison of sequence or acknowledgment numbers in
 * tcpsim goes through these helpers; a plain '<' on two sequence numbers is a bug.
 */
#ifndef TCPSIM_TCP_SEQ_H
#define TCPSIM_TCP_SEQ_H

#include <stdbool.h>
#include <stdint.h>

/* Signed distance from b to a on the sequence circle. */
static inline int32_t tcp_seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}
static inline bool tcp_seq_lt(uint32_t a, uint32_t b)
{
    return tcp_seq_diff(a, b) < 0;
}
static inline bool tcp_seq_leq(uint32_t a, uint32_t b)
{
    return tcp_seq_diff(a, b) <= 0;
}
static inline bool tcp_seq_gt(uint32_t a, uint32_t b)
{
    return tcp_seq_diff(a, b) > 0;
}
static inline bool tcp_seq_geq(uint32_t a, uint32_t b)
{
    return tcp_seq_diff(a, b) >= 0;
}
/* lo <= x < hi on the circle. */
static inline bool tcp_seq_in(uint32_t x, uint32_t lo, uint32_t hi)
{
    return tcp_seq_geq(x, lo) && tcp_seq_lt(x, hi);
}
static inline uint32_t tcp_seq_max(uint32_t a, uint32_t b)
{
    return tcp_seq_gt(a, b) ? a : b;
}
static inline uint32_t tcp_seq_min(uint32_t a, uint32_t b)
{
    return tcp_seq_lt(a, b) ? a : b;
}

#endif
