/*
 * cap_source.h - where packets come from: a capture file (pcap or pcapng, "-" for standard
 * input) or a live interface, read through libpcap, optionally through a BPF filter.  The one
 * exception is a pcapng file whose interfaces have different link types (or whose sections
 * differ in byte order), which libpcap 1.10 refuses: such a file (when it is a regular file, not
 * standard input) is read by cap_pcapng.c instead, and each frame then carries the link type of its
 * own interface.
 *
 * The source hands out frames (bytes, captured and original length, timestamp in microseconds,
 * packet number); decoding them is cap_decode()'s job.  libpcap stays behind this interface, so
 * callers do not include <pcap.h>.  Every function that can fail writes a one-line message into
 * the caller's buffer (naming the file or interface, and for read errors the packet number and
 * byte position) and returns one of the negative CAP_ERR_* codes below; nothing here exits or
 * prints.  A read error in the middle of a file ends the capture: the packets before it have been
 * delivered, the error is returned (again on every later call), and nothing is read out of
 * bounds.
 */
#ifndef TCPSIM_CAP_SOURCE_H
#define TCPSIM_CAP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cap_source cap_source;

/* Error codes (all negative; 0 is success). */
enum {
    CAP_OK = 0,
    CAP_ERR_ARG = -1,    /* a NULL or empty argument */
    CAP_ERR_NOMEM = -2,  /* out of memory */
    CAP_ERR_OPEN = -3,   /* file missing, unreadable or not a capture; interface missing */
    CAP_ERR_PERM = -4,   /* live capture not permitted: needs root or CAP_NET_RAW */
    CAP_ERR_FILTER = -5, /* the BPF expression does not compile, or cannot be installed */
    CAP_ERR_READ = -6,   /* the capture could not be read further (truncated record...) */
    CAP_ERR_LINK = -7,   /* the link type has no decoder (cap_source_check_link) */
};

/* Results of cap_source_next besides the errors. */
enum {
    CAP_NEXT_EOF = 0,     /* no more packets (end of file, or cap_source_break was called) */
    CAP_NEXT_PACKET = 1,  /* *frame holds a packet */
    CAP_NEXT_TIMEOUT = 2, /* live only: no packet within the read timeout; call again */
};

typedef struct cap_frame {
    const uint8_t *data; /* caplen bytes, valid until the next call on the source */
    uint32_t caplen;     /* bytes captured */
    uint32_t wirelen;    /* bytes the packet had on the wire */
    uint64_t ts_us;      /* microseconds since 1970 (earlier times read as 0) */
    uint64_t index;      /* packet number in the capture, from 1 (with a BPF filter: among the
                            packets the filter passed, as libpcap hides the others) */
    int linktype;        /* DLT_* of this packet: the source's, or in a pcapng file whose
                            interfaces differ, that of the packet's interface */
} cap_frame;

/* Default snapshot length for live captures. */
#define CAP_LIVE_SNAPLEN 262144

/*
 * Opens a capture file; "-" reads standard input.  Timestamps keep nanosecond files' precision
 * down to the microsecond (rounded down).  A regular file that starts with a pcapng Section
 * Header Block has its SHBs and IDBs scanned first: when the IDBs' link types differ it is read
 * by cap_pcapng (cap_source_mixed_links), otherwise by libpcap like any other file.  Returns 0,
 * or CAP_ERR_ARG, CAP_ERR_NOMEM, CAP_ERR_OPEN (missing, unreadable, truncated header, not
 * pcap/pcapng...).
 */
int cap_source_open_file(cap_source **out, const char *path, char *err, size_t errlen);

/*
 * Opens a live interface (not promiscuous, packets delivered as they arrive, a read timeout of
 * `timeout_ms` milliseconds, 0 meaning 100).  `snaplen` 0 means CAP_LIVE_SNAPLEN.  Returns 0, or
 * CAP_ERR_ARG, CAP_ERR_NOMEM, CAP_ERR_PERM (not root), CAP_ERR_OPEN (no such interface, or any
 * other failure to start capturing).
 */
int cap_source_open_live(cap_source **out, const char *iface, int snaplen, int timeout_ms,
                         char *err, size_t errlen);

/*
 * Applies a BPF filter expression (tcpdump syntax).  Returns 0, CAP_ERR_ARG, or CAP_ERR_FILTER
 * with a message that quotes the expression and says what libpcap found wrong with it.  For a
 * file of mixed link types the expression is compiled once for each of them and must compile
 * for all (the message then names the link type it failed for).
 */
int cap_source_set_filter(cap_source *src, const char *expr, char *err, size_t errlen);

/* The DLT_* link type, as pcap_datalink() returns it; for a file of mixed link types, the first
 * interface's (each frame carries its own: cap_frame.linktype). */
int cap_source_linktype(const cap_source *src);

/* True for a pcapng file read by cap_pcapng: its interfaces have different link types, or its
 * sections different byte orders (libpcap 1.10 refuses both). */
bool cap_source_mixed_links(const cap_source *src);

/* Its libpcap name ("EN10MB", "LINUX_SLL2"), or "DLT_<n>" when libpcap has none. */
const char *cap_source_linktype_name(const cap_source *src);

/* True when the decoder supports the link type (cap_link_supported); for a file of mixed link
 * types, when it supports at least one of them. */
bool cap_source_link_supported(const cap_source *src);

/*
 * 0 when the link type is supported (for mixed link types: one of them at least, the packets of
 * the others being skipped as "unsupported-link" by cap_decode); otherwise CAP_ERR_LINK and a
 * message such as "x.pcap: unsupported link type MFR (182, Multi Link Frame Relay)" (for mixed
 * link types "x.pcapng: unsupported link types MFR (182, ...), DLT_5000 (5000)").
 */
int cap_source_check_link(const cap_source *src, char *err, size_t errlen);

/*
 * Reads the next packet into *frame.  Returns CAP_NEXT_PACKET, CAP_NEXT_EOF, CAP_NEXT_TIMEOUT
 * (live sources), or CAP_ERR_READ with a message such as
 * "x.pcap: cannot read packet 7 (reading stopped at byte 1234): truncated dump file; ..."
 * ("read error after 6 packets passed the filter (...)" when a filter is set; the byte position
 * is left out for standard input and live sources).
 */
int cap_source_next(cap_source *src, cap_frame *frame, char *err, size_t errlen);

/* Packets delivered so far. */
uint64_t cap_source_count(const cap_source *src);

/* The file name ("standard input" for "-") or interface name used in messages. */
const char *cap_source_name(const cap_source *src);

/* True for a live interface. */
bool cap_source_is_live(const cap_source *src);

/* The snapshot length of the capture (the file header's, or the live one; for mixed link types
 * the first interface's, 262144 when it gives none). */
int cap_source_snaplen(const cap_source *src);

/* Makes the current or next cap_source_next return CAP_NEXT_EOF; callable from a signal
 * handler (it only sets a flag and calls pcap_breakloop). */
void cap_source_break(cap_source *src);
/* A live capture's pcap_stats: packets the filter received, dropped by the kernel for lack of
 * buffer space, and dropped by the interface; 0, or -1 for a file or when libpcap cannot say. */
int cap_source_stats(cap_source *src, uint64_t *received, uint64_t *dropped, uint64_t *if_dropped);

/* Closes the capture and frees the source; NULL is accepted. */
void cap_source_close(cap_source *src);

#endif
