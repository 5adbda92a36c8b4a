/*
 * cap_pcapng.h - tcpsim's own pcapng block reader, for the one kind of file libpcap 1.10 refuses
 * but Wireshark writes every day: a pcapng file whose Interface Description Blocks (IDBs) do not
 * all have the same link type (a capture on Ethernet and loopback at once).  cap_source uses it
 * for such files only; every other capture still goes through libpcap.
 *
 * The reader takes a FILE* (the caller's, buffered, positioned at the start of the file) and
 * hands out packets one at a time, each with the link type of its own interface.  It reads
 * Section Header Blocks in either byte order (several sections per file, the interface numbers
 * restarting in each), IDBs (link type, snaplen, if_tsresol as a power of 10 or 2, if_tsoffset),
 * Enhanced, Simple and the obsolete Packet Blocks, and steps over every other block by its
 * length.  Every length is checked before it is used and before anything is allocated for it:
 * a block is at least 12 bytes, a multiple of 4, at most CAP_PCAPNG_MAX_BLOCK, and ends with its
 * own length again; a packet lies inside its block and names an interface of its section.  The
 * first violation ends the reading with a one-line reason (naming the block and its byte offset);
 * the packets before it have been delivered.  It never calls libpcap (only <pcap/dlt.h> values).
 */
#ifndef TCPSIM_CAP_PCAPNG_H
#define TCPSIM_CAP_PCAPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The largest block accepted (the whole block, its lengths included). */
#define CAP_PCAPNG_MAX_BLOCK (16u * 1024u * 1024u)

/* The most interfaces one section may describe. */
#define CAP_PCAPNG_MAX_IFACES 65536u

/* True when the 4 bytes are the type of a Section Header Block (0x0A0D0D0A, either order). */
bool cap_pcapng_magic(const uint8_t b[4]);

/* What a pre-scan of the file's SHBs and IDBs found. */
typedef struct cap_pcapng_scan {
    uint32_t idbs;          /* IDBs read, over all sections */
    bool mixed;             /* two of them have different link types */
    bool byte_orders;       /* sections of both byte orders (libpcap 1.10 fails on those too) */
    int first_linktype;     /* the first IDB's link type (a DLT_* value, as libpcap gives it) */
    uint32_t first_snaplen; /* the first IDB's snaplen (0: none given) */
    int *linktypes;         /* the distinct link types (DLT_*), in order of first appearance */
    size_t n_linktypes;
} cap_pcapng_scan;

/*
 * Reads the blocks of the (regular, seekable) file behind fp from its first byte up to the end or
 * the first damage, reading only SHBs and IDBs and stepping over the other blocks' bodies.  It
 * reads with pread on fileno(fp), so fp's position and buffer are left alone.  Fills *out (to be
 * released with cap_pcapng_scan_free) and returns 0, or -1 when memory runs out.
 */
int cap_pcapng_scan_file(FILE *fp, cap_pcapng_scan *out);
void cap_pcapng_scan_free(cap_pcapng_scan *s);

/* One packet.  `data` stays valid until the next call on the reader. */
typedef struct cap_pcapng_pkt {
    const uint8_t *data;
    uint32_t caplen;  /* bytes in data (cut to the interface's snaplen when it is larger) */
    uint32_t wirelen; /* the original length */
    uint64_t ts_us;   /* microseconds since 1970, rounded down; earlier times read as 0, later
                         than 2^64-1 µs as 2^64-1 (a Simple Packet Block has none: 0) */
    int linktype;     /* DLT_* of its interface */
    uint32_t iface;   /* interface number in its section */
} cap_pcapng_pkt;

typedef struct cap_pcapng cap_pcapng;

/* A reader of fp from its current position (the file's first byte); fp stays the caller's.
 * NULL when memory runs out. */
cap_pcapng *cap_pcapng_new(FILE *fp);

/*
 * Reads the next packet.  Returns 1 (a packet in *pkt), 0 (end of file at a block boundary) or
 * -1: `why` then holds the reason, without the file name, e.g. "enhanced packet block at byte
 * 120: interface 3, but its section has 2 interfaces".  Once it has returned -1 it keeps
 * returning -1 with the same reason.
 */
int cap_pcapng_next(cap_pcapng *r, cap_pcapng_pkt *pkt, char *why, size_t whylen);

/* The bytes of the file read so far: where reading stopped after an error. */
uint64_t cap_pcapng_offset(const cap_pcapng *r);

/* Frees the reader (not the FILE); NULL is accepted. */
void cap_pcapng_free(cap_pcapng *r);

#endif
