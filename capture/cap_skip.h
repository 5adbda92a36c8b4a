/*
 * cap_skip.h - why a captured packet was not used, as one value from a fixed list.
 *
 * Every packet the decoder does not hand on as a TCP segment gets exactly one reason.  The names
 * are lowercase, stable and used as keys in the JSON output ("skipped":{"not-tcp":3,...}), so a
 * value may be added at the end but never renamed or renumbered.  "truncated" means the capture
 * cut the packet (snaplen) before the end of the fixed 20-byte TCP header (a cut in the TCP
 * options does not skip the segment: see cap_packet.options_cut); the "malformed-*" reasons mean
 * a header holds an impossible value (a length shorter than the header, longer than the frame on
 * the wire...).  A header that would have fitted in the frame had snaplen not cut it is
 * "truncated", never "malformed".
 */
#ifndef TCPSIM_CAP_SKIP_H
#define TCPSIM_CAP_SKIP_H

typedef enum cap_skip {
    CAP_SKIP_NONE = 0,         /* "none": not skipped, a TCP segment was decoded */
    CAP_SKIP_NOT_IP,           /* "not-ip": ARP, LLDP, 802.3 length frames, non-IP PPP... */
    CAP_SKIP_NOT_TCP,          /* "not-tcp": IP carrying UDP, ICMP, ESP, tunnels... */
    CAP_SKIP_TRUNCATED,        /* "truncated": cut by snaplen within the first 20 TCP bytes */
    CAP_SKIP_MALFORMED_LINK,   /* "malformed-link": impossible link-layer header */
    CAP_SKIP_MALFORMED_IP,     /* "malformed-ip": impossible IPv4/IPv6 header or extension */
    CAP_SKIP_MALFORMED_TCP,    /* "malformed-tcp": impossible TCP header or options */
    CAP_SKIP_FRAGMENT,         /* "fragment": an IP fragment (TCP needs reassembly) */
    CAP_SKIP_UNSUPPORTED_LINK, /* "unsupported-link": no decoder for this link type */
    CAP_SKIP_COUNT
} cap_skip;

/* The stable lowercase name ("not-tcp"); "?" for a value out of range. */
const char *cap_skip_name(cap_skip why);

/* The reason for a name, or -1 if the name is unknown. */
int cap_skip_parse(const char *name);

#endif
