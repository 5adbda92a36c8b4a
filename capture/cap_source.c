/*
 * cap_source.c - the libpcap side of the capture library (cap_source.h): opening files (with
 * nanosecond timestamp precision, so nanosecond files lose nothing above the microsecond) and
 * live interfaces, compiling BPF filters, and the pcap_next_ex loop with its errors turned into
 * one-line messages that name the file and the packet.  This is the only file of tcpsim that
 * calls libpcap's reading functions.  A regular pcapng file is scanned first (cap_pcapng.c);
 * when its interfaces have different link types, which libpcap 1.10 refuses, the file is read
 * by cap_pcapng instead, with the filter compiled once per link type (pcap_open_dead) and
 * applied with pcap_offline_filter, so that index, count and messages behave as on libpcap.
 *
 * A classic pcap file (a regular file, no filter) is read through mmap once libpcap has opened
 * it and checked its header: the records are walked in the mapping, so no byte is copied before
 * the decoder reads it (reading with fread copied each file twice, kernel to stdio buffer to
 * libpcap's buffer: a third of the replay's time on a large capture, docs/benchmarks.md).  The
 * walk covers only the ordinary case; at the first record that is not (cut short, longer than the
 * snapshot length, past the end of the mapping: a file still being written), the stream is
 * positioned at that record and libpcap reads the rest, so errors and their messages stay
 * libpcap's.
 */
#define _DEFAULT_SOURCE /* <pcap/pcap.h> needs u_int & co., hidden by _POSIX_C_SOURCE alone */

#include "cap_source.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cap_decode.h"
#include "cap_mapguard.h"
#include "cap_pcapng.h"

#define CAP_LIVE_TIMEOUT_MS 100

/* A filter compiled for one link type of a file of mixed link types. */
typedef struct cap_ng_filter {
    int linktype;
    bool reject; /* it does not compile for this link type, which has no decoder: no packet of it
                    passes (none could be replayed anyway) */
    struct bpf_program prog;
} cap_ng_filter;

struct cap_source {
    pcap_t *p;            /* NULL when cap_pcapng reads the file */
    cap_pcapng *ng;       /* the pcapng reader of a file of mixed link types */
    FILE *ng_fp;          /* its stream */
    cap_pcapng_scan scan; /* its link types */
    int ng_snaplen;
    cap_ng_filter *ng_filters;
    size_t n_ng_filters;
    char *ng_expr; /* the filter expression, for a link type that appears late */
    char *name;    /* for messages */
    bool live;
    bool nano;     /* tv_usec holds nanoseconds */
    bool done;     /* EOF reached or an error returned */
    bool filtered; /* a BPF filter is set: count is of the packets it passed */
    int last_rc;   /* what to return once done */
    int linktype;
    uint64_t count;
    volatile sig_atomic_t stop;
    const char *linkname;
    char linkname_buf[32]; /* "DLT_<n>" when libpcap has no name */
    char errmsg[PCAP_ERRBUF_SIZE + 512];
    char *iobuf; /* the stdio buffer of a file (freed after pcap_close closes the file) */
    /* the mapping of a classic pcap file while its records are walked there (map == NULL: libpcap
     * reads) */
    const uint8_t *map;
    size_t map_len, map_off; /* map_off: the next record's header */
    size_t map_kept;         /* pages below this were given back (MAP_DROP_EVERY) */
    bool map_swapped;        /* the file's byte order is not ours */
    bool map_nano;           /* its records hold nanoseconds */
    uint32_t map_snaplen;
    int map_slot; /* its SIGBUS guard (cap_mapguard.h) */
};

/* stdio's default buffer makes libpcap read a file 4 KiB at a time; 256 KiB cuts the system
 * time of reading a large capture by about 40% (bench/pcap-bench.sh) */
#define CAP_FILE_BUFFER (256 * 1024)

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* libpcap often starts its message with the file name already: do not say it twice. */
static const char *strip_name(const char *msg, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(msg, name, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        return msg + n + 2;
    return msg;
}

/* libpcap's name of a link type, or "DLT_<n>" written into buf. */
static const char *link_name(int linktype, char *buf, size_t n)
{
    const char *name = pcap_datalink_val_to_name(linktype);
    if (name != NULL)
        return name;
    snprintf(buf, n, "DLT_%d", linktype);
    return buf;
}

static void set_linktype(cap_source *s, int linktype)
{
    s->linktype = linktype;
    s->linkname = link_name(linktype, s->linkname_buf, sizeof s->linkname_buf);
}

static cap_source *source_new(const char *name, bool live)
{
    cap_source *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->name = strdup(strcmp(name, "-") == 0 && !live ? "standard input" : name);
    if (s->name == NULL) {
        free(s);
        return NULL;
    }
    s->live = live;
    return s;
}

/* ------------------------------------------------------------------------------------------ */
/* Opening                                                                                     */

/*
 * For a regular file that starts with a pcapng Section Header Block, scans its SHBs and IDBs:
 * 1 when the IDBs' link types differ or the sections' byte orders do, both of which libpcap 1.10
 * refuses (s->scan then holds the link types), 0 otherwise (and for pipes, terminals and the
 * like, which are not read at all here), -1 out of memory, -2 when the file cannot be rewound
 * (errno set).  The file is left at its first byte.
 */
static int scan_pcapng(cap_source *s, FILE *fp)
{
    struct stat st;
    uint8_t magic[4];
    int rc = 0;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (fread(magic, 1, sizeof magic, fp) == sizeof magic && cap_pcapng_magic(magic)) {
        if (cap_pcapng_scan_file(fp, &s->scan) < 0)
            rc = -1;
        else if (s->scan.mixed || s->scan.byte_orders)
            rc = 1;
        else
            cap_pcapng_scan_free(&s->scan);
    }
    clearerr(fp);
    if (fseeko(fp, 0, SEEK_SET) != 0)
        return -2;
    return rc;
}

/* The file of mixed link types is read by cap_pcapng. */
static int open_mixed(cap_source *s, FILE *fp)
{
    s->ng = cap_pcapng_new(fp);
    if (s->ng == NULL)
        return CAP_ERR_NOMEM;
    s->ng_fp = fp;
    s->nano = false;
    set_linktype(s, s->scan.first_linktype);
    s->ng_snaplen = s->scan.first_snaplen == 0 || s->scan.first_snaplen > INT32_MAX
                        ? CAP_LIVE_SNAPLEN
                        : (int)s->scan.first_snaplen;
    return CAP_OK;
}

/* Classic pcap's magic numbers (microsecond and nanosecond files), as a little-endian read of
 * the file's first four bytes gives them. */
#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du

static uint32_t bswap32(uint32_t v)
{
    return v >> 24 | (v >> 8 & 0xff00u) | (v << 8 & 0xff0000u) | v << 24;
}

static uint32_t map_u32(const cap_source *s, const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return s->map_swapped ? bswap32(v) : v;
}

/* Maps a classic pcap file that libpcap has opened (fp at any position): only version 2.4 files
 * of the two ordinary magics, and link types whose packets libpcap does not rewrite (it swaps
 * the pseudo-headers of USB and NFLOG captures written on a machine of the other byte order).
 * Nothing is mapped when anything is unusual: libpcap then reads as before. */
static void map_open(cap_source *s, FILE *fp)
{
    struct stat st;
    int fd = fileno(fp);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24 ||
        (uint64_t)st.st_size > (uint64_t)SIZE_MAX)
        return;
    int lt = pcap_datalink(s->p);
    if (lt == DLT_USB_LINUX || lt == DLT_USB_LINUX_MMAPPED || lt == DLT_NFLOG)
        return;
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED)
        return;
    /* a file cut short while mapped must end in an error, not in SIGBUS */
    s->map_slot = cap_mapguard_add(m, (size_t)st.st_size);
    if (s->map_slot < 0) {
        munmap(m, (size_t)st.st_size);
        return;
    }
    const uint8_t *h = m;
    uint32_t magic =
        (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
    bool ok = true;
    if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS)
        s->map_swapped = false;
    else if (bswap32(magic) == PCAP_MAGIC_US || bswap32(magic) == PCAP_MAGIC_NS)
        s->map_swapped = true;
    else
        ok = false; /* pcapng, or a modified pcap format */
    s->map_nano = magic == PCAP_MAGIC_NS || bswap32(magic) == PCAP_MAGIC_NS;
    s->map = m;
    s->map_len = (size_t)st.st_size;
    uint16_t major = (uint16_t)(h[4] | h[5] << 8), minor = (uint16_t)(h[6] | h[7] << 8);
    if (s->map_swapped) {
        major = (uint16_t)(major >> 8 | major << 8);
        minor = (uint16_t)(minor >> 8 | minor << 8);
    }
    int snap = pcap_snapshot(s->p);
    if (!ok || major != 2 || minor != 4 || snap <= 0) {
        cap_mapguard_remove(s->map_slot);
        munmap(m, s->map_len);
        s->map = NULL;
        return;
    }
#ifdef MADV_SEQUENTIAL
    madvise(m, s->map_len, MADV_SEQUENTIAL);
#endif
    s->map_snaplen = (uint32_t)snap;
    s->map_off = 24;
}

/* Pages read are given back every 4 MiB (MADV_DONTNEED: they stay in the page cache but leave
 * the process), so that the resident size does not grow with the file. */
#define MAP_DROP_EVERY (4u << 20)

/* Stops walking the mapping: libpcap reads on from the record at map_off. */
static void map_leave(cap_source *s)
{
    FILE *fp = pcap_file(s->p);
    if (fp != NULL)
        fseeko(fp, (off_t)s->map_off, SEEK_SET);
    cap_mapguard_remove(s->map_slot);
    munmap((void *)s->map, s->map_len);
    s->map = NULL;
}

/* The file shrank under the mapping (a fault was repaired with zero pages, cap_mapguard.h): the
 * packet whose bytes were lost, or the next one, cannot be read.  -1 with the error set. */
static int map_cut(cap_source *s)
{
    size_t at = 0;
    if (!cap_mapguard_cut(s->map_slot, &at))
        return 0;
    uint64_t packet = at >= s->map_off ? s->count + 1 : s->count;
    snprintf(s->errmsg, sizeof s->errmsg,
             "%s: cannot read packet %llu (reading stopped at byte %zu): the file was cut short "
             "while it was being read",
             s->name, (unsigned long long)packet, at);
    cap_mapguard_remove(s->map_slot);
    munmap((void *)s->map, s->map_len);
    s->map = NULL;
    s->done = true;
    s->last_rc = CAP_ERR_READ;
    return -1;
}

/* The next record from the mapping: 1 with the frame filled, 0 when libpcap must read it, -1
 * when the file was cut short under the mapping (error set). */
static int map_next(cap_source *s, cap_frame *frame)
{
    if (map_cut(s) < 0)
        return -1;
    if (s->map_len - s->map_off < 16) {
        map_leave(s);
        return 0;
    }
    if (s->map_off - s->map_kept >= MAP_DROP_EVERY) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE), upto = s->map_off & ~(page - 1);
        madvise((void *)(s->map + s->map_kept), upto - s->map_kept, MADV_DONTNEED);
        s->map_kept = upto;
    }
    const uint8_t *r = s->map + s->map_off;
    uint32_t caplen = map_u32(s, r + 8), len = map_u32(s, r + 12);
    if (map_cut(s) < 0) /* the header itself was lost */
        return -1;
    if (caplen > s->map_snaplen || caplen > s->map_len - s->map_off - 16) {
        map_leave(s);
        return 0;
    }
    /* as libpcap: the seconds and the fraction are signed 32-bit fields (pcap_sf_pkthdr) */
    int64_t sec = (int32_t)map_u32(s, r), sub = (int32_t)map_u32(s, r + 4);
    s->map_off += 16 + (size_t)caplen;
    s->count++;
    frame->data = r + 16;
    frame->caplen = caplen;
    frame->wirelen = len;
    if (sec < 0 || sub < 0)
        frame->ts_us = 0;
    else
        frame->ts_us = (uint64_t)sec * 1000000u + (uint64_t)(s->map_nano ? sub / 1000 : sub);
    frame->index = s->count;
    frame->linktype = s->linktype;
    return 1;
}

int cap_source_open_file(cap_source **out, const char *path, char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    cap_source *s;

    if (out == NULL || path == NULL || path[0] == '\0') {
        set_err(err, errlen, "no capture file given");
        return CAP_ERR_ARG;
    }
    *out = NULL;
    s = source_new(path, false);
    if (s == NULL) {
        set_err(err, errlen, "%s: out of memory", path);
        return CAP_ERR_NOMEM;
    }
    if (strcmp(path, "-") == 0) {
        s->p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
    } else {
        FILE *fp = fopen(path, "rb");
        if (fp == NULL) {
            set_err(err, errlen, "%s: cannot read capture: %s", s->name, strerror(errno));
            cap_source_close(s);
            return CAP_ERR_OPEN;
        }
        s->iobuf = malloc(CAP_FILE_BUFFER);
        if (s->iobuf != NULL)
            setvbuf(fp, s->iobuf, _IOFBF, CAP_FILE_BUFFER);
        int mixed = scan_pcapng(s, fp);
        if (mixed > 0 && open_mixed(s, fp) != CAP_OK)
            mixed = -1;
        if (mixed < 0) {
            if (mixed == -2)
                set_err(err, errlen, "%s: cannot read capture: %s", s->name, strerror(errno));
            else
                set_err(err, errlen, "%s: out of memory", s->name);
            fclose(fp); /* not the source's yet */
            cap_source_close(s);
            return mixed == -2 ? CAP_ERR_OPEN : CAP_ERR_NOMEM;
        }
        if (mixed > 0) {
            *out = s;
            return CAP_OK;
        }
        s->p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
        if (s->p == NULL) /* libpcap closes the stream only once it has a pcap_t */
            fclose(fp);
        else
            map_open(s, fp);
    }
    if (s->p == NULL) {
        set_err(err, errlen, "%s: cannot read capture: %s", s->name, strip_name(ebuf, path));
        cap_source_close(s);
        return CAP_ERR_OPEN;
    }
    s->nano = pcap_get_tstamp_precision(s->p) == PCAP_TSTAMP_PRECISION_NANO;
    set_linktype(s, pcap_datalink(s->p));
    *out = s;
    return CAP_OK;
}

int cap_source_open_live(cap_source **out, const char *iface, int snaplen, int timeout_ms,
                         char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    cap_source *s;
    int rc;

    if (out == NULL || iface == NULL || iface[0] == '\0' || snaplen < 0 || timeout_ms < 0) {
        set_err(err, errlen, "no interface given");
        return CAP_ERR_ARG;
    }
    *out = NULL;
    s = source_new(iface, true);
    if (s == NULL) {
        set_err(err, errlen, "%s: out of memory", iface);
        return CAP_ERR_NOMEM;
    }
    s->p = pcap_create(iface, ebuf);
    if (s->p == NULL) {
        set_err(err, errlen, "%s: cannot capture: %s", iface, ebuf);
        cap_source_close(s);
        return CAP_ERR_OPEN;
    }
    pcap_set_snaplen(s->p, snaplen != 0 ? snaplen : CAP_LIVE_SNAPLEN);
    pcap_set_promisc(s->p, 0);
    pcap_set_timeout(s->p, timeout_ms != 0 ? timeout_ms : CAP_LIVE_TIMEOUT_MS);
    pcap_set_immediate_mode(s->p, 1);
    rc = pcap_activate(s->p);
    if (rc < 0) {
        const char *detail = pcap_geterr(s->p);
        if (detail == NULL || detail[0] == '\0')
            detail = pcap_statustostr(rc);
        if (rc == PCAP_ERROR_PERM_DENIED) {
            set_err(err, errlen,
                    "%s: permission denied: live capture needs root or the CAP_NET_RAW "
                    "capability (%s)",
                    iface, detail);
            rc = CAP_ERR_PERM;
        } else if (rc == PCAP_ERROR_NO_SUCH_DEVICE) {
            set_err(err, errlen, "%s: no such interface (%s)", iface, detail);
            rc = CAP_ERR_OPEN;
        } else {
            set_err(err, errlen, "%s: cannot capture: %s", iface, detail);
            rc = CAP_ERR_OPEN;
        }
        cap_source_close(s);
        return rc;
    }
    /* rc > 0 is a warning (promiscuous mode not supported...): capturing works */
    set_linktype(s, pcap_datalink(s->p));
    *out = s;
    return CAP_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Filter and link type                                                                        */

/* Compiles expr for one link type (of a file of mixed link types); 0, or -1 with why set. */
static int compile_for(int linktype, const char *expr, struct bpf_program *prog, char *why,
                       size_t whylen)
{
    pcap_t *dead = pcap_open_dead(linktype, CAP_LIVE_SNAPLEN);
    int rc;
    if (dead == NULL) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    rc = pcap_compile(dead, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
    if (rc != 0)
        snprintf(why, whylen, "%s", pcap_geterr(dead));
    pcap_close(dead);
    return rc != 0 ? -1 : 0;
}

static void free_ng_filters(cap_ng_filter *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!v[i].reject)
            pcap_freecode(&v[i].prog);
    free(v);
}

/* The filter of a file of mixed link types: one program per link type, all or none.  A link type
 * without a decoder for which the expression does not compile (libpcap knows nothing of
 * DLT_5000, say) does not fail the filter: its packets are all rejected instead. */
static int set_filter_mixed(cap_source *s, const char *expr, char *err, size_t errlen)
{
    size_t n = s->scan.n_linktypes, done = 0;
    cap_ng_filter *v = calloc(n != 0 ? n : 1, sizeof *v);
    char *copy = strdup(expr);
    char why[PCAP_ERRBUF_SIZE + 64], first_why[PCAP_ERRBUF_SIZE + 64] = "", nbuf[32];

    if (v == NULL || copy == NULL) {
        free(v);
        free(copy);
        set_err(err, errlen, "%s: out of memory", s->name);
        return CAP_ERR_NOMEM;
    }
    for (; done < n; done++) {
        v[done].linktype = s->scan.linktypes[done];
        if (compile_for(v[done].linktype, expr, &v[done].prog, why, sizeof why) == 0)
            continue;
        if (!cap_link_supported(v[done].linktype)) {
            v[done].reject = true;
            if (first_why[0] == '\0')
                snprintf(first_why, sizeof first_why, "%s", why);
            continue;
        }
        /* when it compiles for another of the file's link types, say which one it failed for */
        bool elsewhere = false;
        for (size_t j = 0; j < n && !elsewhere; j++) {
            struct bpf_program other;
            char ignored[PCAP_ERRBUF_SIZE + 64];
            if (j != done &&
                compile_for(s->scan.linktypes[j], expr, &other, ignored, sizeof ignored) == 0) {
                pcap_freecode(&other);
                elsewhere = true;
            }
        }
        if (elsewhere)
            set_err(err, errlen, "bad filter expression '%s': %s (for the %s interfaces of %s)",
                    expr, why, link_name(v[done].linktype, nbuf, sizeof nbuf), s->name);
        else
            set_err(err, errlen, "bad filter expression '%s': %s", expr, why);
        free_ng_filters(v, done);
        free(copy);
        return CAP_ERR_FILTER;
    }
    size_t compiled = 0;
    for (size_t i = 0; i < n; i++)
        compiled += !v[i].reject;
    if (n != 0 && compiled == 0) { /* no link type it compiles for: say why (the first one) */
        set_err(err, errlen, "bad filter expression '%s': %s", expr, first_why);
        free_ng_filters(v, n);
        free(copy);
        return CAP_ERR_FILTER;
    }
    free_ng_filters(s->ng_filters, s->n_ng_filters);
    free(s->ng_expr);
    s->ng_filters = v;
    s->n_ng_filters = n;
    s->ng_expr = copy;
    s->filtered = true;
    return CAP_OK;
}

int cap_source_set_filter(cap_source *src, const char *expr, char *err, size_t errlen)
{
    struct bpf_program prog;
    bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
    char ebuf[PCAP_ERRBUF_SIZE];

    if (src == NULL || expr == NULL) {
        set_err(err, errlen, "no filter expression given");
        return CAP_ERR_ARG;
    }
    if (src->ng != NULL)
        return set_filter_mixed(src, expr, err, errlen);
    if (src->live && pcap_lookupnet(src->name, &net, &mask, ebuf) != 0)
        mask = PCAP_NETMASK_UNKNOWN; /* no IPv4 address: only "broadcast" tests need it */
    if (pcap_compile(src->p, &prog, expr, 1, mask) != 0) {
        set_err(err, errlen, "bad filter expression '%s': %s", expr, pcap_geterr(src->p));
        return CAP_ERR_FILTER;
    }
    if (pcap_setfilter(src->p, &prog) != 0) {
        set_err(err, errlen, "%s: cannot apply filter '%s': %s", src->name, expr,
                pcap_geterr(src->p));
        pcap_freecode(&prog);
        return CAP_ERR_FILTER;
    }
    pcap_freecode(&prog);
    src->filtered = true;
    if (src->map != NULL) /* libpcap applies the filter: it reads from here on */
        map_leave(src);
    return CAP_OK;
}

int cap_source_linktype(const cap_source *src)
{
    return src->linktype;
}

bool cap_source_mixed_links(const cap_source *src)
{
    return src->ng != NULL;
}

const char *cap_source_linktype_name(const cap_source *src)
{
    return src->linkname;
}

bool cap_source_link_supported(const cap_source *src)
{
    if (src->ng == NULL)
        return cap_link_supported(src->linktype);
    for (size_t i = 0; i < src->scan.n_linktypes; i++)
        if (cap_link_supported(src->scan.linktypes[i]))
            return true;
    return false;
}

/* "NAME (n, description)", or "NAME (n)" when libpcap has no description. */
static void describe_link(char *buf, size_t n, int linktype)
{
    char nbuf[32];
    const char *desc = pcap_datalink_val_to_description(linktype);
    if (desc != NULL)
        snprintf(buf, n, "%s (%d, %s)", link_name(linktype, nbuf, sizeof nbuf), linktype, desc);
    else
        snprintf(buf, n, "%s (%d)", link_name(linktype, nbuf, sizeof nbuf), linktype);
}

int cap_source_check_link(const cap_source *src, char *err, size_t errlen)
{
    const char *desc;
    if (cap_source_link_supported(src))
        return CAP_OK;
    if (src->ng != NULL) { /* none of the interfaces' link types has a decoder */
        char list[400] = "", one[160];
        size_t i, n = src->scan.n_linktypes, shown = 4;
        for (i = 0; i < n && i < shown; i++) {
            describe_link(one, sizeof one, src->scan.linktypes[i]);
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", one);
        }
        if (n > shown) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, " and %zu more", n - shown);
        }
        set_err(err, errlen, "%s: unsupported link types %s", src->name, list);
        return CAP_ERR_LINK;
    }
    desc = pcap_datalink_val_to_description(src->linktype);
    if (desc != NULL)
        set_err(err, errlen, "%s: unsupported link type %s (%d, %s)", src->name,
                cap_source_linktype_name(src), src->linktype, desc);
    else
        set_err(err, errlen, "%s: unsupported link type %s (%d)", src->name,
                cap_source_linktype_name(src), src->linktype);
    return CAP_ERR_LINK;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                     */

static uint64_t frame_time(const struct pcap_pkthdr *h, bool nano)
{
    int64_t sec = (int64_t)h->ts.tv_sec;
    int64_t sub = (int64_t)h->ts.tv_usec;
    if (sec < 0 || sub < 0)
        return 0;
    if (nano)
        sub /= 1000;
    return (uint64_t)sec * 1000000u + (uint64_t)sub;
}

/* The message for a failed read: which packet, where the file reading stopped, and why. */
static void read_error(cap_source *s, const char *why)
{
    FILE *f = s->live || s->ng != NULL ? NULL : pcap_file(s->p);
    long long pos = f != NULL ? (long long)ftello(f) : -1;
    if (s->ng != NULL)
        pos = (long long)cap_pcapng_offset(s->ng);
    char where[64] = "";
    if (pos >= 0)
        snprintf(where, sizeof where, " (reading stopped at byte %lld)", pos);
    if (s->filtered) /* the packets the filter dropped were not counted: no packet number */
        snprintf(s->errmsg, sizeof s->errmsg,
                 "%s: read error after %llu packets passed the filter%s: %s", s->name,
                 (unsigned long long)s->count, where, why);
    else
        snprintf(s->errmsg, sizeof s->errmsg, "%s: cannot read packet %llu%s: %s", s->name,
                 (unsigned long long)s->count + 1, where, why);
}

/* The filter's verdict on a packet of a file of mixed link types: 1 passed, 0 rejected, -1 when
 * the packet's link type was not in the scan (a file still being written) and the filter does
 * not compile for it (why set). */
static int mixed_pass(cap_source *s, const cap_pcapng_pkt *pk, char *why, size_t whylen)
{
    const cap_ng_filter *f = NULL;
    struct pcap_pkthdr h;
    for (size_t i = 0; i < s->n_ng_filters && f == NULL; i++)
        if (s->ng_filters[i].linktype == pk->linktype)
            f = &s->ng_filters[i];
    if (f == NULL) {
        cap_ng_filter *v = realloc(s->ng_filters, (s->n_ng_filters + 1) * sizeof *v);
        char reason[PCAP_ERRBUF_SIZE + 64], nbuf[32];
        if (v == NULL) {
            snprintf(why, whylen, "out of memory");
            return -1;
        }
        s->ng_filters = v;
        v[s->n_ng_filters].linktype = pk->linktype;
        v[s->n_ng_filters].reject = false;
        if (compile_for(pk->linktype, s->ng_expr, &v[s->n_ng_filters].prog, reason,
                        sizeof reason) != 0) {
            if (!cap_link_supported(pk->linktype)) {
                v[s->n_ng_filters++].reject = true;
                return 0;
            }
            snprintf(why, whylen, "filter '%s' does not compile for link type %s: %s", s->ng_expr,
                     link_name(pk->linktype, nbuf, sizeof nbuf), reason);
            return -1;
        }
        f = &v[s->n_ng_filters++];
    }
    if (f->reject)
        return 0;
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = (time_t)(pk->ts_us / 1000000u);
    h.ts.tv_usec = (suseconds_t)(pk->ts_us % 1000000u);
    h.caplen = pk->caplen;
    h.len = pk->wirelen;
    return pcap_offline_filter(&f->prog, &h, pk->data) != 0;
}

/* cap_source_next for a file of mixed link types. */
static int next_mixed(cap_source *src, cap_frame *frame, char *err, size_t errlen)
{
    char why[512];
    for (;;) {
        cap_pcapng_pkt pk;
        int rc = src->stop ? 0 : cap_pcapng_next(src->ng, &pk, why, sizeof why);
        if (rc > 0 && src->filtered) {
            rc = mixed_pass(src, &pk, why, sizeof why);
            if (rc == 0)
                continue;
        }
        if (rc == 0) {
            src->done = true;
            src->last_rc = CAP_NEXT_EOF;
            return CAP_NEXT_EOF;
        }
        if (rc < 0) {
            read_error(src, why);
            src->done = true;
            src->last_rc = CAP_ERR_READ;
            set_err(err, errlen, "%s", src->errmsg);
            return CAP_ERR_READ;
        }
        src->count++;
        frame->data = pk.data;
        frame->caplen = pk.caplen;
        frame->wirelen = pk.wirelen;
        frame->ts_us = pk.ts_us;
        frame->index = src->count;
        frame->linktype = pk.linktype;
        return CAP_NEXT_PACKET;
    }
}

int cap_source_next(cap_source *src, cap_frame *frame, char *err, size_t errlen)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc;

    if (src == NULL || frame == NULL) {
        set_err(err, errlen, "no capture source");
        return CAP_ERR_ARG;
    }
    if (src->stop) {
        src->done = true;
        src->last_rc = CAP_NEXT_EOF;
    }
    if (src->done) {
        if (src->last_rc < 0)
            set_err(err, errlen, "%s", src->errmsg);
        return src->last_rc;
    }
    if (src->ng != NULL)
        return next_mixed(src, frame, err, errlen);
    if (src->map != NULL) {
        int got = map_next(src, frame);
        if (got > 0)
            return CAP_NEXT_PACKET;
        if (got < 0) {
            set_err(err, errlen, "%s", src->errmsg);
            return CAP_ERR_READ;
        }
    }
    rc = pcap_next_ex(src->p, &h, &data);
    switch (rc) {
    case 1:
        src->count++;
        frame->data = data;
        frame->caplen = h->caplen;
        frame->wirelen = h->len;
        frame->ts_us = frame_time(h, src->nano);
        frame->index = src->count;
        frame->linktype = src->linktype;
        return CAP_NEXT_PACKET;
    case 0:
        return CAP_NEXT_TIMEOUT;
    case PCAP_ERROR_BREAK: /* end of file, or cap_source_break */
        src->done = true;
        src->last_rc = CAP_NEXT_EOF;
        return CAP_NEXT_EOF;
    default:
        read_error(src, pcap_geterr(src->p));
        src->done = true;
        src->last_rc = CAP_ERR_READ;
        set_err(err, errlen, "%s", src->errmsg);
        return CAP_ERR_READ;
    }
}

uint64_t cap_source_count(const cap_source *src)
{
    return src->count;
}

const char *cap_source_name(const cap_source *src)
{
    return src->name;
}

bool cap_source_is_live(const cap_source *src)
{
    return src->live;
}

int cap_source_snaplen(const cap_source *src)
{
    return src->ng != NULL ? src->ng_snaplen : pcap_snapshot(src->p);
}

int cap_source_stats(cap_source *src, uint64_t *received, uint64_t *dropped, uint64_t *if_dropped)
{
    struct pcap_stat st;
    if (!src->live || src->p == NULL || pcap_stats(src->p, &st) != 0)
        return -1;
    *received = st.ps_recv;
    *dropped = st.ps_drop;
    *if_dropped = st.ps_ifdrop;
    return 0;
}

void cap_source_break(cap_source *src)
{
    src->stop = 1;
    if (src->p != NULL)
        pcap_breakloop(src->p);
}

void cap_source_close(cap_source *src)
{
    if (src == NULL)
        return;
    if (src->map != NULL) {
        cap_mapguard_remove(src->map_slot);
        munmap((void *)src->map, src->map_len);
    }
    if (src->p != NULL)
        pcap_close(src->p);
    cap_pcapng_free(src->ng);
    if (src->ng_fp != NULL)
        fclose(src->ng_fp);
    free_ng_filters(src->ng_filters, src->n_ng_filters);
    free(src->ng_expr);
    cap_pcapng_scan_free(&src->scan);
    free(src->iobuf);
    free(src->name);
    free(src);
}
