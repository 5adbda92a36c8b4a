/*
 * cap_reader.h - a bounds-checked byte reader over one region of a captured packet.
 *
 * Every header the decoder looks at is read through a cap_reader: a window {p, end} over the
 * captured bytes, plus `cut`, the number of bytes of the same region that existed on the wire but
 * were not captured (snaplen).  Getters never read past `end`: a read that does not fit returns 0,
 * leaves `p` where it was and records in `missing` how many bytes past `end` it wanted.  The error
 * is sticky (later reads also fail), so a decoder can read a whole fixed header and check once.
 * Whether the failure means "cut by snaplen" or "the region is too short on the wire, so a header
 * length lied" is then one comparison: missing <= cut.  All length arithmetic is done on size_t
 * after the operand is known to fit, so no sum can wrap.
 */
#ifndef TCPSIM_CAP_READER_H
#define TCPSIM_CAP_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct cap_reader {
    const uint8_t *p;   /* next byte to read */
    const uint8_t *end; /* one past the last captured byte of the region */
    size_t cut;         /* bytes of the region that followed `end` on the wire, not captured */
    size_t missing;     /* 0, or how many bytes past `end` the first failed read wanted */
} cap_reader;

/* A reader over `caplen` captured bytes of a region that was `wirelen` bytes on the wire (a
 * wirelen smaller than caplen is treated as caplen). */
static inline cap_reader cap_rd_init(const uint8_t *p, size_t caplen, size_t wirelen)
{
    cap_reader r;
    r.p = p;
    r.end = caplen != 0 ? p + caplen : p; /* no arithmetic on a null pointer */
    r.cut = wirelen > caplen ? wirelen - caplen : 0;
    r.missing = 0;
    return r;
}

/* Captured bytes left to read. */
static inline size_t cap_rd_left(const cap_reader *r)
{
    return (size_t)(r->end - r->p);
}

/* Bytes left in the region as it was on the wire (captured or not). */
static inline size_t cap_rd_wire_left(const cap_reader *r)
{
    return cap_rd_left(r) + r->cut;
}

/* True while no read has failed. */
static inline bool cap_rd_ok(const cap_reader *r)
{
    return r->missing == 0;
}

/* True when the failed read asked only for bytes that were on the wire but cut by snaplen. */
static inline bool cap_rd_cut_short(const cap_reader *r)
{
    return r->missing != 0 && r->missing <= r->cut;
}

/* Checks that n more bytes are captured; on failure records the shortfall and returns false. */
static inline bool cap_rd_need(cap_reader *r, size_t n)
{
    size_t left = cap_rd_left(r);
    if (r->missing != 0)
        return false;
    if (n > left) {
        r->missing = n - left;
        return false;
    }
    return true;
}

static inline uint8_t cap_rd_u8(cap_reader *r)
{
    if (!cap_rd_need(r, 1))
        return 0;
    return *r->p++;
}

static inline uint16_t cap_rd_be16(cap_reader *r)
{
    uint16_t v;
    if (!cap_rd_need(r, 2))
        return 0;
    v = (uint16_t)((unsigned)r->p[0] << 8 | r->p[1]);
    r->p += 2;
    return v;
}

static inline uint32_t cap_rd_be32(cap_reader *r)
{
    uint32_t v;
    if (!cap_rd_need(r, 4))
        return 0;
    v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
    r->p += 4;
    return v;
}

static inline uint32_t cap_rd_le32(cap_reader *r)
{
    uint32_t v;
    if (!cap_rd_need(r, 4))
        return 0;
    v = (uint32_t)r->p[3] << 24 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[1] << 8 | r->p[0];
    r->p += 4;
    return v;
}

/* A 16-bit field in the byte order of the machine reading the file (NFLOG TLV headers, which
 * libpcap converts to host order when it reads a savefile written on another machine). */
static inline uint16_t cap_rd_host16(cap_reader *r)
{
    uint16_t v;
    if (!cap_rd_need(r, 2))
        return 0;
    memcpy(&v, r->p, 2);
    r->p += 2;
    return v;
}

/* Copies n bytes to dst (zero-fills dst on failure). */
static inline void cap_rd_copy(cap_reader *r, void *dst, size_t n)
{
    if (!cap_rd_need(r, n)) {
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p, n);
    r->p += n;
}

/* Skips n captured bytes. */
static inline void cap_rd_skip(cap_reader *r, size_t n)
{
    if (cap_rd_need(r, n))
        r->p += n;
}

/*
 * Splits the next n wire bytes off into their own region: the returned reader covers the captured
 * part of them (its `cut` says how many of them were not captured) and `r` moves past all n.
 * Fails (returns an empty reader, marks `r`) when fewer than n bytes were on the wire, which is
 * then never a snaplen cut: missing > cut.
 */
static inline cap_reader cap_rd_sub(cap_reader *r, size_t n)
{
    size_t left = cap_rd_left(r);
    size_t take = n < left ? n : left;
    cap_reader s;
    if (r->missing != 0 || n > left + r->cut) {
        if (r->missing == 0)
            r->missing = n - left;
        s = cap_rd_init(r->p, 0, 0);
        s.missing = 1;
        return s;
    }
    s = cap_rd_init(r->p, take, n);
    r->p += take;
    r->cut -= n - take;
    return s;
}

#endif
