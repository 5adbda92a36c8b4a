/*
 * cap_export_int.h - the pcap exporter's parts, shared by its files and its unit tests (not for
 * other users of the capture library): the frame builder (cap_export_frame.c: link, IPv4/IPv6
 * and TCP headers with options and checksums; cap_export_udp.c: UDP datagrams), the payload
 * rebuilt from the applications' writes (cap_export_payload.c), and the pcap file format itself
 * (cap_export.c).  Nothing here calls libpcap: the classic pcap format is small enough to write
 * by hand, which lets every write be checked for errors and makes the files byte-identical on
 * every host.
 */
#ifndef TCPSIM_CAP_EXPORT_INT_H
#define TCPSIM_CAP_EXPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap_decode.h"
#include "cap_export.h"
#include "tcp_seg.h"

/* pcap file header values (LINKTYPE_* numbers as stored in files, not DLT_* of the host). */
#define CAP_EXPORT_LINKTYPE_ETHERNET 1
#define CAP_EXPORT_LINKTYPE_RAW      101
#define CAP_EXPORT_SNAPLEN           262144u
#define CAP_EXPORT_TTL               64

/* Largest frame: Ethernet header, an IPv6 header, and 65535 bytes of IPv6 payload. */
#define CAP_EXPORT_FRAME_MAX (14u + 40u + 65535u)
/* TCP options never exceed 40 bytes (data offset 15 words). */
#define CAP_EXPORT_OPT_MAX 40u

/* The two ends of the connection as the frames show them; index 0 is the client. */
typedef struct cap_export_ends {
    cap_addr addr[2];
    uint16_t port[2];
    uint8_t mac[2][6]; /* locally administered: 02:00:00:00:00:01 client, ...:02 server */
} cap_export_ends;

/* ---- cap_export_frame.c -------------------------------------------------------------------- */

/* Parses "192.0.2.1:49152" or "[2001:db8::1]:80"; returns 0 or -1. */
int cap_export_parse_endpoint(const char *s, cap_addr *a, uint16_t *port);

/*
 * Fills e from the trace's two "ADDR:PORT" strings and sets the MAC addresses.  Returns 0, or -1
 * with a message in err when an address does not parse or the families differ.
 */
int cap_export_ends_init(cap_export_ends *e, const char *client, const char *server, char *err,
                         size_t errlen);

/*
 * Writes the TCP options of seg into out (CAP_EXPORT_OPT_MAX bytes): MSS, SACK-permitted and
 * timestamps (together as Linux writes them), window scale, SACK blocks, each group padded with
 * NOPs to a multiple of 4 bytes.  SACK blocks that do not fit in 40 bytes are left out (as a
 * real stack does); `*nsack` receives the number written.  Returns the length (multiple of 4).
 */
size_t cap_export_tcp_options(const tcp_seg *seg, uint8_t *out, unsigned *nsack);

/* Stores v's low 16 bits big-endian (network byte order), as every header field here. */
static inline void cap_export_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Bytes of the IP header (20 for IPv4, 40 for IPv6) between these ends. */
size_t cap_export_ip_header_len(const cap_export_ends *e);

/* Bytes of IP and TCP headers (options included) that frame `seg`. */
size_t cap_export_ip_tcp_header_len(const cap_export_ends *e, const tcp_seg *seg);

/*
 * Builds the frame of seg sent by end `from` (0 client, 1 server) with IP ID `ip_id` (IPv4 only)
 * and seg->len payload bytes from `payload`.  Returns the frame length, or 0 when it does not fit
 * in `size` bytes or the segment is too large for one IP packet (16-bit length fields).
 */
size_t cap_export_frame(uint8_t *buf, size_t size, const cap_export_ends *e, bool raw_ip,
                        unsigned from, uint16_t ip_id, const tcp_seg *seg, const uint8_t *payload);

/*
 * Writes the link header (none when raw_ip) and the IP header of a packet from end `from` that
 * carries l4_len bytes of IP protocol `proto` (6 TCP, 17 UDP), with IP ID `ip_id` (IPv4 only);
 * *pseudo receives the unfinished sum of the transport pseudo-header (addresses, protocol,
 * length: RFC 9293 3.1, RFC 768, RFC 8200 8.1), to pass to cap_export_csum().  Returns the offset
 * of the transport header in buf, or 0 when the packet does not fit in `size` bytes or in the
 * 16-bit IP length field.
 */
size_t cap_export_ip_header(uint8_t *buf, size_t size, const cap_export_ends *e, bool raw_ip,
                            unsigned from, uint16_t ip_id, uint8_t proto, size_t l4_len,
                            uint32_t *pseudo);

/* ---- cap_export_udp.c ---------------------------------------------------------------------- */

/* Bytes of the IP and UDP headers (8) that frame a datagram between these ends. */
size_t cap_export_ip_udp_header_len(const cap_export_ends *e);

/*
 * Builds the frame of a UDP datagram (RFC 768) of `len` payload bytes from `payload`, sent by end
 * `from` (0 client, 1 server) to the other, with IP ID `ip_id` (IPv4 only): the UDP length is
 * 8 + len, the checksum covers the pseudo-header, the UDP header and the payload (a sum of zero is
 * sent as 0xffff, RFC 768).  Returns the frame length, or 0 when it does not fit in `size` bytes
 * or in one IP packet.
 */
size_t cap_export_udp_frame(uint8_t *buf, size_t size, const cap_export_ends *e, bool raw_ip,
                            unsigned from, uint16_t ip_id, const uint8_t *payload, size_t len);

/* The Internet checksum (RFC 1071) of n bytes, complemented, as stored in a header. */
uint16_t cap_export_csum(const uint8_t *p, size_t n, uint32_t initial);

/* ---- cap_export.c ------------------------------------------------------------------------- */

/* True for the application write at tb->ev[i] that the simulator took back ("write failed": the
 * connection was not open for sending); its bytes never entered the stream. */
bool cap_export_write_failed(const trace_buf *tb, size_t i);

/* True when the trace is a datagram flow: its conn record says so, or (without one) its first
 * send is a datagram. */
bool cap_export_is_dgram_flow(const trace_buf *tb);

/* True when the application call at tb->ev[i] puts bytes into its side's stream: write() on a
 * TCP connection, sendto() on a datagram flow (dgram). */
bool cap_export_is_stream_write(const trace_buf *tb, size_t i, bool dgram);

/* ---- cap_export_payload.c ------------------------------------------------------------------ */

/* Bytes of one direction's stream whose content is known: text one application write gave. */
typedef struct cap_export_chunk {
    uint64_t off; /* stream offset of the first byte */
    uint32_t len;
    char text[64];
} cap_export_chunk;

/* One direction's byte stream as the application wrote it. */
typedef struct cap_export_stream {
    cap_export_chunk *chunk; /* in offset order */
    size_t n, cap;
    uint64_t written; /* stream bytes written so far */
    uint32_t isn;     /* the sender's initial sequence number */
    uint64_t top;     /* highest stream offset seen, for unwrapping 32-bit sequence numbers */
} cap_export_stream;

void cap_export_stream_init(cap_export_stream *s, uint32_t isn);
void cap_export_stream_free(cap_export_stream *s);
/* Appends a write of `bytes` bytes; `text` (may be NULL or "") gives the first of them, the
 * rest are filler.  Returns 0, or -1 when memory runs out. */
int cap_export_stream_write(cap_export_stream *s, uint64_t bytes, const char *text);
/* Stream offset of the first payload byte of seg (SEQ - ISN - 1, or SEQ - ISN on a SYN),
 * unwrapped to 64 bits near the highest offset seen so far. */
uint64_t cap_export_stream_offset(cap_export_stream *s, const tcp_seg *seg);
/* Writes stream bytes [off, off + n) into out: written text where known, else the filler. */
void cap_export_stream_fill(const cap_export_stream *s, uint64_t off, uint8_t *out, size_t n);
/* The filler byte at stream offset off: lines of 63 cycling letters "abc...zab..." and '\n'. */
uint8_t cap_export_filler(uint64_t off);

#endif
