/*
 * cap_export_udp.c - the frames of exported UDP datagrams (the datagram flows of scenarios with
 * hosts): the link and IP headers of cap_export_ip_header() (cap_export_frame.c), then the
 * 8-byte UDP header of RFC 768 - source port, destination port, length (header and data), and
 * the checksum: the one's complement of the one's complement sum of the pseudo-header (source
 * and destination address, zero, protocol 17, UDP length), the UDP header and the data padded
 * with a zero byte to an even length.  A computed checksum of zero is sent as all ones (RFC 768:
 * zero means "no checksum", which IPv6 does not allow either, RFC 8200 8.1).
 */
#include <string.h>

#include "cap_export_int.h"

enum { UDP_HDR = 8, IPPROTO_UDP_NUM = 17 };

size_t cap_export_ip_udp_header_len(const cap_export_ends *e)
{
    return cap_export_ip_header_len(e) + UDP_HDR;
}

size_t cap_export_udp_frame(uint8_t *buf, size_t size, const cap_export_ends *e, bool raw_ip,
                            unsigned from, uint16_t ip_id, const uint8_t *payload, size_t len)
{
    from &= 1u;
    unsigned to = 1u - from;
    size_t udp_len = UDP_HDR + len;
    if (udp_len > 65535u) /* the UDP length field is 16 bits */
        return 0;
    uint32_t pseudo = 0;
    size_t hdr =
        cap_export_ip_header(buf, size, e, raw_ip, from, ip_id, IPPROTO_UDP_NUM, udp_len, &pseudo);
    if (hdr == 0)
        return 0;
    uint8_t *u = buf + hdr;
    cap_export_put16(u, e->port[from]);
    cap_export_put16(u + 2, e->port[to]);
    cap_export_put16(u + 4, (uint32_t)udp_len);
    cap_export_put16(u + 6, 0); /* zero while summing */
    if (len > 0)
        memcpy(u + UDP_HDR, payload, len);
    uint16_t sum = cap_export_csum(u, udp_len, pseudo);
    cap_export_put16(u + 6, sum == 0 ? 0xffffu : sum);
    return hdr + udp_len;
}
