/*
 * cap_source.c - the libpcap side of the capture library (cap_source.h): opening files (with
 * nanosecond timestamp precision, so nanosecond files lose nothing above the microsecond) and
 * live interfaces, compiling BPF filters, and the pcap_next_ex loop with its errors turned into
 * one-line messages that name the file and the packet.  This is the only file of tcpsim that
 * calls libpcap's reading functions.
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
#include <sys/types.h>

#include "cap_decode.h"

#define CAP_LIVE_TIMEOUT_MS 100

struct cap_source {
    pcap_t *p;
    char *name; /* for messages */
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

static void set_linktype(cap_source *s)
{
    s->linktype = pcap_datalink(s->p);
    s->linkname = pcap_datalink_val_to_name(s->linktype);
    if (s->linkname == NULL) {
        snprintf(s->linkname_buf, sizeof s->linkname_buf, "DLT_%d", s->linktype);
        s->linkname = s->linkname_buf;
    }
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
        s->p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
        if (s->p == NULL) /* libpcap closes the stream only once it has a pcap_t */
            fclose(fp);
    }
    if (s->p == NULL) {
        set_err(err, errlen, "%s: cannot read capture: %s", s->name, strip_name(ebuf, path));
        cap_source_close(s);
        return CAP_ERR_OPEN;
    }
    s->nano = pcap_get_tstamp_precision(s->p) == PCAP_TSTAMP_PRECISION_NANO;
    set_linktype(s);
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
    set_linktype(s);
    *out = s;
    return CAP_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Filter and link type                                                                        */

int cap_source_set_filter(cap_source *src, const char *expr, char *err, size_t errlen)
{
    struct bpf_program prog;
    bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
    char ebuf[PCAP_ERRBUF_SIZE];

    if (src == NULL || expr == NULL) {
        set_err(err, errlen, "no filter expression given");
        return CAP_ERR_ARG;
    }
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
    return CAP_OK;
}

int cap_source_linktype(const cap_source *src)
{
    return src->linktype;
}

const char *cap_source_linktype_name(const cap_source *src)
{
    return src->linkname;
}

bool cap_source_link_supported(const cap_source *src)
{
    return cap_link_supported(src->linktype);
}

int cap_source_check_link(const cap_source *src, char *err, size_t errlen)
{
    const char *desc;
    if (cap_link_supported(src->linktype))
        return CAP_OK;
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
    FILE *f = s->live ? NULL : pcap_file(s->p);
    long long pos = f != NULL ? (long long)ftello(f) : -1;
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
    rc = pcap_next_ex(src->p, &h, &data);
    switch (rc) {
    case 1:
        src->count++;
        frame->data = data;
        frame->caplen = h->caplen;
        frame->wirelen = h->len;
        frame->ts_us = frame_time(h, src->nano);
        frame->index = src->count;
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
    return pcap_snapshot(src->p);
}

void cap_source_break(cap_source *src)
{
    src->stop = 1;
    pcap_breakloop(src->p);
}

void cap_source_close(cap_source *src)
{
    if (src == NULL)
        return;
    if (src->p != NULL)
        pcap_close(src->p);
    free(src->iobuf);
    free(src->name);
    free(src);
}
