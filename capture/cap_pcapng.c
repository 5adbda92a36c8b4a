/*
 * cap_pcapng.c - the pcapng block reader of cap_pcapng.h, used by cap_source for pcapng files
 * whose interfaces have different link types (which libpcap 1.10 refuses).  Every block goes
 * through read_block, which checks its lengths (at least 12 bytes, 28 for a section header, a
 * multiple of 4, at most CAP_PCAPNG_MAX_BLOCK, the same length at both ends) before reading its
 * body into a buffer that grows a megabyte at a time as the bytes actually arrive, so a lying
 * length never makes it allocate more than the file holds plus a megabyte.  use_block then
 * interprets section headers (byte order, version), interface descriptions (link type, snaplen,
 * timestamp resolution and offset) and packet blocks (interface, lengths, timestamp); everything
 * else is stepped over.  The pre-scan (cap_pcapng_scan_file) runs the same code with packet and
 * other blocks skipped (reading through a pread window, so a skip costs no system call), so it
 * accepts exactly the SHBs and IDBs the reader will.
 */
#include "cap_pcapng.h"

#include <errno.h>
#include <pcap/dlt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define NG_SHB 0x0A0D0D0Au
#define NG_IDB 1u
#define NG_PB  2u /* obsolete Packet Block */
#define NG_SPB 3u
#define NG_EPB 6u

#define NG_OPT_END      0u
#define NG_OPT_TSRESOL  9u
#define NG_OPT_TSOFFSET 14u

#define NG_USEC 1000000u

/* A body is read at most this much at a time, and the buffer grows no further ahead. */
#define NG_CHUNK (1024u * 1024u)

/* The pre-scan reads the file through a window of this size with pread. */
#define NG_WINDOW (256u * 1024u)

typedef struct ng_iface {
    uint32_t raw_linktype; /* as in the file (LINKTYPE_*) */
    int linktype;          /* DLT_* */
    uint32_t snaplen;      /* 0: none */
    uint64_t units;        /* timestamp units per second */
    int64_t offset;        /* if_tsoffset: seconds added to every timestamp */
} ng_iface;

struct cap_pcapng {
    FILE *fp;
    uint64_t pos;      /* bytes consumed */
    bool headers_only; /* the pre-scan: skip every block but SHBs and IDBs */
    bool in_section;
    bool be;     /* the current section's byte order */
    bool failed; /* why holds the reason; every later call fails the same way */
    bool nomem;
    ng_iface *ifs; /* the current section's interfaces */
    uint32_t n_ifs, cap_ifs;
    uint8_t *buf; /* the current block after its 8-byte header: body, then trailing length */
    size_t buf_cap;
    uint32_t body_len; /* bytes of body in buf (the trailing length follows) */
    char what[48];     /* the name of a block of unknown type */
    /* the pre-scan reads with pread through a window, so that stepping over a block costs no
     * system call (fseeko costs one each, which doubled the time to open a large file) */
    int fd;
    int io_errno; /* a pread failed */
    uint8_t *win;
    uint64_t win_off;
    size_t win_len;
    char why[256];
};

typedef struct ng_block {
    uint64_t start; /* byte offset in the file */
    uint32_t type, total;
    bool be; /* byte order of its lengths (a section header brings its own) */
    const char *what;
} ng_block;

bool cap_pcapng_magic(const uint8_t b[4])
{
    return b[0] == 0x0A && b[1] == 0x0D && b[2] == 0x0D && b[3] == 0x0A;
}

/* ---- bytes ------------------------------------------------------------------------------- */

static uint16_t get16(const uint8_t *p, bool be)
{
    return (uint16_t)(be ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0]);
}

static uint32_t get32(const uint8_t *p, bool be)
{
    if (be)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t get64(const uint8_t *p, bool be)
{
    uint64_t a = get32(p, be), b = get32(p + 4, be);
    return be ? a << 32 | b : b << 32 | a;
}

/* Two's complement without relying on the implementation's conversion. */
static int64_t to_signed(uint64_t u)
{
    if (u <= (uint64_t)INT64_MAX)
        return (int64_t)u;
    return -(int64_t)(~u) - 1;
}

/* ---- link types and timestamps ----------------------------------------------------------- */

/*
 * The DLT_* value libpcap reports for a LINKTYPE_* value of a file.  They are the same number
 * except for the few link types whose DLT_ value differs between systems: the LINKTYPE_ value
 * was chosen to be the same everywhere (tcpdump.org's link-layer header type registry).
 */
static int dlt_of(uint32_t linktype)
{
    switch (linktype) {
    case 100:
        return DLT_ATM_RFC1483;
    case 101:
        return DLT_RAW;
    case 102:
        return DLT_SLIP_BSDOS;
    case 103:
        return DLT_PPP_BSDOS;
    case 106:
        return DLT_ATM_CLIP;
    default:
        return (int)linktype;
    }
}

/* if_tsresol: 10^-v, or 2^-v when the high bit is set.  False beyond 64-bit units. */
static bool tsresol_units(uint8_t v, uint64_t *units)
{
    unsigned e = v & 0x7fu;
    uint64_t u = 1;
    if (v & 0x80u) {
        if (e > 63)
            return false;
        *units = u << e;
        return true;
    }
    if (e > 19) /* 10^19 is the last power of ten below 2^64 */
        return false;
    for (unsigned i = 0; i < e; i++)
        u *= 10;
    *units = u;
    return true;
}

/* floor(a * b / m) for a < m, without overflow: the quotient is below b.  q * m + r is kept
 * equal to a times the bits of b seen so far, with r < m. */
static uint64_t mul_div(uint64_t a, uint32_t b, uint64_t m)
{
    uint64_t q = 0, r = 0;
    for (int bit = 31; bit >= 0; bit--) {
        q <<= 1;
        if (r >= m - r) {
            r -= m - r;
            q++;
        } else {
            r += r;
        }
        if ((b >> bit) & 1u) {
            if (r >= m - a) {
                r -= m - a;
                q++;
            } else {
                r += a;
            }
        }
    }
    return q;
}

/* A timestamp in the interface's units as microseconds since 1970, rounded down, saturating at
 * 0 and UINT64_MAX. */
static uint64_t ts_to_us(const ng_iface *f, uint64_t ts)
{
    uint64_t us;
    if (f->units == NG_USEC) {
        us = ts;
    } else if (f->units % NG_USEC == 0) {
        us = ts / (f->units / NG_USEC);
    } else {
        uint64_t sec = ts / f->units, sub = mul_div(ts % f->units, NG_USEC, f->units);
        us = sec > (UINT64_MAX - sub) / NG_USEC ? UINT64_MAX : sec * NG_USEC + sub;
    }
    if (f->offset > 0) {
        uint64_t add = (uint64_t)f->offset;
        add = add > UINT64_MAX / NG_USEC ? UINT64_MAX : add * NG_USEC;
        us = us > UINT64_MAX - add ? UINT64_MAX : us + add;
    } else if (f->offset < 0) {
        uint64_t sub = (uint64_t)(-(f->offset + 1)) + 1;
        sub = sub > UINT64_MAX / NG_USEC ? UINT64_MAX : sub * NG_USEC;
        us = us < sub ? 0 : us - sub;
    }
    return us;
}

/* ---- reading ----------------------------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
fail(cap_pcapng *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    r->failed = true;
    return -1;
}

/* The pre-scan's reads: from the window, refilled at r->pos when it does not hold it. */
static size_t win_read(cap_pcapng *r, uint8_t *dst, size_t n)
{
    size_t done = 0;
    while (done < n) {
        if (r->pos < r->win_off || r->pos - r->win_off >= r->win_len) {
            ssize_t k = pread(r->fd, r->win, NG_WINDOW, (off_t)r->pos);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                r->io_errno = errno;
            r->win_off = r->pos;
            r->win_len = k > 0 ? (size_t)k : 0;
            if (k <= 0)
                break;
        }
        size_t at = (size_t)(r->pos - r->win_off), take = r->win_len - at;
        if (take > n - done)
            take = n - done;
        memcpy(dst + done, r->win + at, take);
        done += take;
        r->pos += take;
    }
    return done;
}

static size_t rd(cap_pcapng *r, void *dst, size_t n)
{
    size_t got;
    if (r->headers_only)
        return win_read(r, dst, n);
    got = n != 0 ? fread(dst, 1, n, r->fp) : 0;
    r->pos += got;
    return got;
}

/* True when a read failed (rather than met the end of the file); errno then says why. */
static bool io_failed(const cap_pcapng *r)
{
    if (r->headers_only) {
        errno = r->io_errno;
        return r->io_errno != 0;
    }
    return ferror(r->fp) != 0;
}

/* The file ended (or could not be read) `got` bytes into the `need` bytes of a block. */
static int short_read(cap_pcapng *r, const char *what, uint64_t start, uint64_t got, uint64_t need)
{
    if (io_failed(r))
        return fail(r, "%s at byte %llu: read error: %s", what, (unsigned long long)start,
                    strerror(errno));
    return fail(r, "%s at byte %llu: the file ends after %llu of its %llu bytes", what,
                (unsigned long long)start, (unsigned long long)got, (unsigned long long)need);
}

static bool reserve(cap_pcapng *r, size_t n)
{
    if (n <= r->buf_cap)
        return true;
    size_t cap = r->buf_cap != 0 ? r->buf_cap : 4096;
    while (cap < n)
        cap *= 2;
    uint8_t *nb = realloc(r->buf, cap);
    if (nb == NULL) {
        r->nomem = true;
        fail(r, "out of memory");
        return false;
    }
    r->buf = nb;
    r->buf_cap = cap;
    return true;
}

/* Reads buf[have..need) a chunk at a time.  1 when all arrived, 0 when the file ended (or a read
 * failed) first, -1 out of memory; *have ends as the bytes in buf. */
static int fill(cap_pcapng *r, size_t *have, size_t need)
{
    while (*have < need) {
        size_t want = need - *have;
        if (want > NG_CHUNK)
            want = NG_CHUNK;
        if (!reserve(r, *have + want))
            return -1;
        size_t got = rd(r, r->buf + *have, want);
        *have += got;
        if (got < want)
            return 0;
    }
    return 1;
}

static const char *block_name(cap_pcapng *r, uint32_t type)
{
    switch (type) {
    case NG_SHB:
        return "section header block";
    case NG_IDB:
        return "interface description block";
    case NG_PB:
        return "packet block";
    case NG_SPB:
        return "simple packet block";
    case NG_EPB:
        return "enhanced packet block";
    default:
        snprintf(r->what, sizeof r->what, "block of type 0x%08x", (unsigned)type);
        return r->what;
    }
}

static bool wanted(const cap_pcapng *r, uint32_t type)
{
    return !r->headers_only || type == NG_SHB || type == NG_IDB;
}

/*
 * Reads one block: its header, lengths checked, then its body and trailing length into buf (the
 * pre-scan seeks over the body of blocks other than SHBs and IDBs).  1, 0 at the end of the file
 * on a block boundary, -1 on any damage (r->why says what and where).
 */
static int read_block(cap_pcapng *r, ng_block *b)
{
    uint8_t h[12];
    size_t have = 0, got;
    uint32_t min = 12;
    unsigned long long at;

    b->start = r->pos;
    at = (unsigned long long)b->start;
    got = rd(r, h, 8);
    if (got == 0 && !io_failed(r))
        return 0;
    if (got < 8)
        return short_read(r, "block header", b->start, got, 8);
    if (cap_pcapng_magic(h)) {
        b->type = NG_SHB;
        b->what = block_name(r, NG_SHB);
        got = rd(r, h + 8, 4);
        if (got < 4)
            return short_read(r, b->what, b->start, 8 + got, 12);
        if (h[8] == 0x4d && h[9] == 0x3c && h[10] == 0x2b && h[11] == 0x1a)
            b->be = false;
        else if (h[8] == 0x1a && h[9] == 0x2b && h[10] == 0x3c && h[11] == 0x4d)
            b->be = true;
        else
            return fail(r, "%s at byte %llu: unknown byte-order magic %02x%02x%02x%02x", b->what,
                        at, h[8], h[9], h[10], h[11]);
        b->total = get32(h + 4, b->be);
        min = 28;
    } else {
        if (!r->in_section)
            return fail(r, "block at byte %llu: the file does not start with a section header", at);
        b->be = r->be;
        b->type = get32(h, r->be);
        b->total = get32(h + 4, r->be);
        b->what = block_name(r, b->type);
    }
    if (b->total < min)
        return fail(r, "%s at byte %llu: total length %u is less than %u", b->what, at,
                    (unsigned)b->total, (unsigned)min);
    if (b->total % 4 != 0)
        return fail(r, "%s at byte %llu: total length %u is not a multiple of 4", b->what, at,
                    (unsigned)b->total);
    if (b->total > CAP_PCAPNG_MAX_BLOCK)
        return fail(r, "%s at byte %llu: total length %u is larger than the limit of %u MiB",
                    b->what, at, (unsigned)b->total, CAP_PCAPNG_MAX_BLOCK >> 20);

    uint32_t body = b->total - 12, trailer;
    if (b->type == NG_SHB) {
        if (!reserve(r, 4))
            return -1;
        memcpy(r->buf, h + 8, 4);
        have = 4;
    }
    if (wanted(r, b->type)) {
        int rc = fill(r, &have, (size_t)body + 4);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return short_read(r, b->what, b->start, 8 + have, b->total);
        trailer = get32(r->buf + body, b->be);
    } else {
        r->pos += body; /* the window is refilled there if need be */
        got = rd(r, h, 4);
        if (got < 4)
            return short_read(r, b->what, b->start, 8 + body + got, b->total);
        trailer = get32(h, b->be);
    }
    if (trailer != b->total)
        return fail(r,
                    "%s at byte %llu: the length at its end, %u, differs from the %u at its start",
                    b->what, at, (unsigned)trailer, (unsigned)b->total);
    r->body_len = body;
    return 1;
}

static int take_shb(cap_pcapng *r, const ng_block *b)
{
    unsigned major = get16(r->buf + 4, b->be), minor = get16(r->buf + 6, b->be);
    if (major != 1)
        return fail(r, "%s at byte %llu: pcapng version %u.%u is not supported (only 1.x is)",
                    b->what, (unsigned long long)b->start, major, minor);
    r->be = b->be;
    r->in_section = true;
    r->n_ifs = 0; /* interface numbers start again in every section */
    return 0;
}

static int take_idb(cap_pcapng *r, const ng_block *b)
{
    const uint8_t *p = r->buf;
    uint32_t n = r->body_len, off = 8;
    unsigned long long at = (unsigned long long)b->start;
    ng_iface f;

    if (n < 8)
        return fail(r, "%s at byte %llu: %u bytes of body, less than its 8-byte header", b->what,
                    at, (unsigned)n);
    if (r->n_ifs >= CAP_PCAPNG_MAX_IFACES)
        return fail(r, "%s at byte %llu: more than %u interfaces in one section", b->what, at,
                    CAP_PCAPNG_MAX_IFACES);
    f.raw_linktype = get16(p, r->be);
    f.linktype = dlt_of(f.raw_linktype);
    f.snaplen = get32(p + 4, r->be);
    f.units = NG_USEC;
    f.offset = 0;
    while (n - off >= 4) {
        unsigned code = get16(p + off, r->be), len = get16(p + off + 2, r->be);
        const uint8_t *v = p + off + 4;
        if (code == NG_OPT_END)
            break;
        if (len > n - off - 4)
            return fail(r, "%s at byte %llu: option %u (%u bytes) runs past the block", b->what, at,
                        code, len);
        if (code == NG_OPT_TSRESOL) {
            if (len != 1)
                return fail(r, "%s at byte %llu: if_tsresol of %u bytes (it has 1)", b->what, at,
                            len);
            if (!tsresol_units(v[0], &f.units))
                return fail(r, "%s at byte %llu: if_tsresol %s-%u is finer than 64 bits can count",
                            b->what, at, v[0] & 0x80u ? "2^" : "10^", v[0] & 0x7fu);
        } else if (code == NG_OPT_TSOFFSET) {
            if (len != 8)
                return fail(r, "%s at byte %llu: if_tsoffset of %u bytes (it has 8)", b->what, at,
                            len);
            f.offset = to_signed(get64(v, r->be));
        }
        uint32_t step = 4 + ((len + 3u) & ~3u);
        if (step > n - off)
            break;
        off += step;
    }
    if (r->n_ifs == r->cap_ifs) {
        uint32_t cap = r->cap_ifs != 0 ? r->cap_ifs * 2 : 8;
        ng_iface *ni = realloc(r->ifs, (size_t)cap * sizeof *ni);
        if (ni == NULL) {
            r->nomem = true;
            return fail(r, "out of memory");
        }
        r->ifs = ni;
        r->cap_ifs = cap;
    }
    r->ifs[r->n_ifs++] = f;
    return 0;
}

/* An EPB, SPB or PB into *pkt: 1, or -1. */
static int take_packet(cap_pcapng *r, const ng_block *b, cap_pcapng_pkt *pkt)
{
    const uint8_t *p = r->buf;
    uint32_t n = r->body_len, hdr, ifid, caplen, wirelen;
    uint64_t ts = 0;
    unsigned long long at = (unsigned long long)b->start;

    hdr = b->type == NG_SPB ? 4 : 20;
    if (n < hdr)
        return fail(r, "%s at byte %llu: %u bytes of body, less than its %u-byte header", b->what,
                    at, (unsigned)n, (unsigned)hdr);
    if (b->type == NG_SPB) {
        ifid = 0;
        wirelen = get32(p, r->be);
        caplen = n - hdr < wirelen ? n - hdr : wirelen; /* the rest of the block is padding */
    } else {
        ifid = b->type == NG_EPB ? get32(p, r->be) : get16(p, r->be);
        ts = (uint64_t)get32(p + 4, r->be) << 32 | get32(p + 8, r->be);
        caplen = get32(p + 12, r->be);
        wirelen = get32(p + 16, r->be);
        if (caplen > n - hdr)
            return fail(r, "%s at byte %llu: captured length %u runs past the block (%u bytes)",
                        b->what, at, (unsigned)caplen, (unsigned)(n - hdr));
    }
    if (r->n_ifs == 0)
        return fail(r,
                    "%s at byte %llu: a packet before any interface description block of its "
                    "section",
                    b->what, at);
    if (ifid >= r->n_ifs)
        return fail(r, "%s at byte %llu: interface %u, but its section has %u interface%s", b->what,
                    at, (unsigned)ifid, (unsigned)r->n_ifs, r->n_ifs == 1 ? "" : "s");
    const ng_iface *f = &r->ifs[ifid];
    if (f->snaplen != 0 && caplen > f->snaplen)
        caplen = f->snaplen;
    pkt->data = p + hdr;
    pkt->caplen = caplen;
    pkt->wirelen = wirelen;
    pkt->ts_us = b->type == NG_SPB ? 0 : ts_to_us(f, ts);
    pkt->linktype = f->linktype;
    pkt->iface = ifid;
    return 1;
}

/* 1 when *pkt holds a packet, 0 for any other block, -1 on damage. */
static int use_block(cap_pcapng *r, const ng_block *b, cap_pcapng_pkt *pkt)
{
    switch (b->type) {
    case NG_SHB:
        return take_shb(r, b);
    case NG_IDB:
        return take_idb(r, b);
    case NG_EPB:
    case NG_SPB:
    case NG_PB:
        return r->headers_only ? 0 : take_packet(r, b, pkt);
    default:
        return 0;
    }
}

/* ---- the API ----------------------------------------------------------------------------- */

cap_pcapng *cap_pcapng_new(FILE *fp)
{
    cap_pcapng *r = calloc(1, sizeof *r);
    if (r != NULL)
        r->fp = fp;
    return r;
}

int cap_pcapng_next(cap_pcapng *r, cap_pcapng_pkt *pkt, char *why, size_t whylen)
{
    for (;;) {
        ng_block b;
        int rc = -1;
        if (!r->failed) {
            rc = read_block(r, &b);
            if (rc == 0)
                return 0; /* end of file, on a block boundary */
            if (rc > 0)
                rc = use_block(r, &b, pkt);
            if (rc > 0)
                return 1;
        }
        if (rc < 0) {
            if (why != NULL && whylen != 0)
                snprintf(why, whylen, "%s", r->why);
            return -1;
        }
    }
}

uint64_t cap_pcapng_offset(const cap_pcapng *r)
{
    return r->pos;
}

void cap_pcapng_free(cap_pcapng *r)
{
    if (r == NULL)
        return;
    free(r->ifs);
    free(r->buf);
    free(r->win);
    free(r);
}

int cap_pcapng_scan_file(FILE *fp, cap_pcapng_scan *out)
{
    cap_pcapng *r = cap_pcapng_new(fp);
    uint8_t *seen = calloc(65536 / 8, 1); /* IDB link types are 16-bit */
    uint32_t first_raw = 0;
    int rc = 0;

    memset(out, 0, sizeof *out);
    if (r != NULL) {
        r->headers_only = true;
        r->fd = fileno(fp);
        r->win = malloc(NG_WINDOW);
    }
    if (r == NULL || r->win == NULL || seen == NULL) {
        cap_pcapng_free(r);
        free(seen);
        return -1;
    }
    int first_be = -1;
    for (;;) {
        ng_block b;
        if (read_block(r, &b) <= 0 || use_block(r, &b, NULL) < 0)
            break;
        if (b.type == NG_SHB) {
            if (first_be < 0)
                first_be = b.be;
            else if (first_be != (int)b.be)
                out->byte_orders = true;
            continue;
        }
        if (b.type != NG_IDB)
            continue;
        const ng_iface *f = &r->ifs[r->n_ifs - 1];
        if (out->idbs++ == 0) {
            first_raw = f->raw_linktype;
            out->first_linktype = f->linktype;
            out->first_snaplen = f->snaplen;
        } else if (f->raw_linktype != first_raw) {
            out->mixed = true;
        }
        if (!(seen[f->raw_linktype / 8] & (1u << (f->raw_linktype % 8)))) {
            seen[f->raw_linktype / 8] =
                (uint8_t)(seen[f->raw_linktype / 8] | 1u << (f->raw_linktype % 8));
            int *nl = realloc(out->linktypes, (out->n_linktypes + 1) * sizeof *nl);
            if (nl == NULL) {
                r->nomem = true;
                break;
            }
            out->linktypes = nl;
            out->linktypes[out->n_linktypes++] = f->linktype;
        }
    }
    if (r->nomem) {
        cap_pcapng_scan_free(out);
        rc = -1;
    }
    free(seen);
    cap_pcapng_free(r);
    return rc;
}

void cap_pcapng_scan_free(cap_pcapng_scan *s)
{
    if (s == NULL)
        return;
    free(s->linktypes);
    memset(s, 0, sizeof *s);
}
