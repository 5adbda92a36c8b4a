/*
 * cap_export_payload.c - the payload bytes of exported segments.  The simulator counts bytes and
 * carries none, but the trace keeps what each application wrote: a write event with the text
 * when the scenario wrote a string (up to 63 characters), a byte count otherwise.  Replaying the
 * writes of one side in order gives its byte stream: text where the write had text, and a
 * filler elsewhere that depends only on the stream offset (so a retransmission repeats exactly
 * the bytes of the original, whatever the segment boundaries).  A segment's bytes are then the
 * stream from offset SEQ - ISN - 1, unwrapped to 64 bits so a transfer beyond 4 GiB still finds
 * its place.  Only the text chunks are stored: memory grows with the number of text writes, not
 * with the bytes transferred.
 */
#include <stdlib.h>
#include <string.h>

#include "cap_export_int.h"

void cap_export_stream_init(cap_export_stream *s, uint32_t isn)
{
    memset(s, 0, sizeof *s);
    s->isn = isn;
}

void cap_export_stream_free(cap_export_stream *s)
{
    free(s->chunk);
    s->chunk = NULL;
    s->n = s->cap = 0;
}

int cap_export_stream_write(cap_export_stream *s, uint64_t bytes, const char *text)
{
    size_t tl = text ? strnlen(text, sizeof s->chunk[0].text - 1) : 0;
    if (tl > bytes)
        tl = (size_t)bytes;
    if (tl > 0) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 8;
            cap_export_chunk *c = realloc(s->chunk, cap * sizeof *c);
            if (c == NULL)
                return -1;
            s->chunk = c;
            s->cap = cap;
        }
        cap_export_chunk *c = &s->chunk[s->n++];
        memset(c, 0, sizeof *c);
        c->off = s->written;
        c->len = (uint32_t)tl;
        memcpy(c->text, text, tl);
    }
    s->written += bytes;
    return 0;
}

uint64_t cap_export_stream_offset(cap_export_stream *s, const tcp_seg *seg)
{
    uint32_t first = seg->seq + ((seg->flags & TCP_SYN) ? 1u : 0u);
    uint32_t rel = first - s->isn - 1u;
    /* the 64-bit offset nearest to the highest seen whose low 32 bits are rel */
    int64_t delta = (int32_t)(rel - (uint32_t)s->top);
    if (delta < 0 && (uint64_t)(-delta) > s->top)
        return rel; /* before the start of the stream (not a real data segment): as it is */
    uint64_t off = (uint64_t)((int64_t)s->top + delta);
    if (off > s->top)
        s->top = off;
    return off;
}

uint8_t cap_export_filler(uint64_t off)
{
    unsigned col = (unsigned)(off % 64u);
    return col == 63 ? (uint8_t)'\n' : (uint8_t)('a' + col % 26u);
}

/* The first chunk that ends after off (chunks are in offset order and do not overlap). */
static size_t first_after(const cap_export_stream *s, uint64_t off)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->chunk[mid].off + s->chunk[mid].len <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void cap_export_stream_fill(const cap_export_stream *s, uint64_t off, uint8_t *out, size_t n)
{
    for (size_t k = 0; k < n; k++)
        out[k] = cap_export_filler(off + k);
    for (size_t i = first_after(s, off); i < s->n && s->chunk[i].off < off + n; i++) {
        const cap_export_chunk *c = &s->chunk[i];
        uint64_t lo = c->off > off ? c->off : off;
        uint64_t hi = c->off + c->len < off + n ? c->off + c->len : off + n;
        memcpy(out + (lo - off), c->text + (lo - c->off), (size_t)(hi - lo));
    }
}
