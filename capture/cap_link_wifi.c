/*
 * cap_link_wifi.c - link-layer decoders for Wi-Fi captures: IEEE 802.11 frames (DLT_IEEE802_11,
 * 105) and the same behind a radiotap header (DLT_IEEE802_11_RADIO, 127: what a monitor-mode
 * capture on Linux or macOS writes).  Only data frames carry IP: the MAC header (24 bytes, 30
 * with a fourth address, 2 more with QoS control, 4 more with an HT/VHT control field) is
 * followed by an RFC 1042 LLC/SNAP header whose EtherType goes to the shared dispatch.
 * Management and control frames, null data frames, non-first fragments, and protected
 * (encrypted) frames cannot yield an IP packet and are "not-ip"; a radiotap header that
 * reports a failed frame check sequence makes the frame "malformed-link", since its bytes are
 * not the ones that were sent.  A trailing FCS needs no care: the IP header delimits the packet.
 * Field layouts: IEEE Std 802.11-2020 section 9.2, and the radiotap definition (radiotap.org).
 */
#include "cap_decode_int.h"

/* Frame control: the first byte has the type and subtype, the second the flags. */
enum {
    WIFI_TYPE_DATA = 2,
    WIFI_SUB_NULL = 0x4, /* subtype bit: no frame body (Null, QoS Null, CF-Ack...) */
    WIFI_SUB_QOS = 0x8,  /* subtype bit: QoS data, a QoS control field follows the header */
    WIFI_TO_DS = 0x01,
    WIFI_FROM_DS = 0x02,
    WIFI_PROTECTED = 0x40,
    WIFI_ORDER = 0x80, /* in a QoS data frame: an HT control field follows QoS control */
};

/* Radiotap: present-bitmap bits used here, and the flags field's bits. */
enum {
    RT_TSFT = 0,  /* 8 bytes, aligned to 8 */
    RT_FLAGS = 1, /* 1 byte */
    RT_EXT = 31,  /* another present word follows */
    RT_F_BADFCS = 0x40,
};

/* DLT_IEEE802_11: an 802.11 MAC frame. */
cap_skip cap_link_ieee80211(cap_dec *d, cap_reader *r)
{
    uint8_t fc0 = cap_rd_u8(r), fc1 = cap_rd_u8(r);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    unsigned type = (fc0 >> 2) & 3u, subtype = fc0 >> 4;
    if ((fc0 & 3u) != 0) /* protocol version 0 is the only one defined */
        return CAP_SKIP_MALFORMED_LINK;
    if (type != WIFI_TYPE_DATA || (subtype & WIFI_SUB_NULL) || (fc1 & WIFI_PROTECTED))
        return CAP_SKIP_NOT_IP;
    /* duration, address 1, 2, 3; then sequence control: fragment number in its low 4 bits */
    cap_rd_skip(r, 2 + 6 + 6 + 6);
    uint8_t seq_lo = cap_rd_u8(r);
    cap_rd_skip(r, 1);
    if ((fc1 & (WIFI_TO_DS | WIFI_FROM_DS)) == (WIFI_TO_DS | WIFI_FROM_DS))
        cap_rd_skip(r, 6); /* address 4 (a wireless distribution system) */
    if (subtype & WIFI_SUB_QOS) {
        cap_rd_skip(r, 2);
        if (fc1 & WIFI_ORDER)
            cap_rd_skip(r, 4);
    }
    /* RFC 1042 LLC/SNAP: AA AA 03, an OUI (00 00 00, or 00 00 F8 for bridge-tunnel), EtherType */
    uint8_t dsap = cap_rd_u8(r), ssap = cap_rd_u8(r), ctl = cap_rd_u8(r);
    cap_rd_skip(r, 3);
    uint16_t ethertype = cap_rd_be16(r);
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    if ((seq_lo & 0x0fu) != 0)
        return CAP_SKIP_NOT_IP; /* a later fragment of an MSDU: no LLC header of its own */
    if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03)
        return CAP_SKIP_NOT_IP;
    return cap_net_ethertype(d, r, ethertype);
}

/*
 * DLT_IEEE802_11_RADIO: radiotap header (version 0, pad, little-endian length of the whole
 * header, one or more little-endian present words), then the 802.11 frame.  The flags field is
 * read when present, for its bad-FCS bit: it follows the present words and, if present, the
 * 8-byte TSFT field aligned to 8 bytes from the header's start.
 */
cap_skip cap_link_radiotap(cap_dec *d, cap_reader *r)
{
    cap_reader peek = *r;
    uint8_t version = cap_rd_u8(&peek);
    cap_rd_skip(&peek, 1);
    uint8_t len_lo = cap_rd_u8(&peek), len_hi = cap_rd_u8(&peek);
    if (!cap_rd_ok(&peek))
        return cap_rd_reason(&peek, CAP_SKIP_MALFORMED_LINK);
    size_t len = (size_t)len_lo | (size_t)len_hi << 8;
    if (version != 0 || len < 8)
        return CAP_SKIP_MALFORMED_LINK;
    cap_reader hdr = cap_rd_sub(r, len); /* r moves on to the 802.11 frame */
    if (!cap_rd_ok(r))
        return cap_rd_reason(r, CAP_SKIP_MALFORMED_LINK);
    cap_rd_skip(&hdr, 4);
    uint32_t first = cap_rd_le32(&hdr), present = first;
    size_t off = 8;
    while (cap_rd_ok(&hdr) && (present & (1u << RT_EXT))) { /* each word uses 4 header bytes */
        present = cap_rd_le32(&hdr);
        off += 4;
    }
    if ((first & (1u << RT_FLAGS)) && cap_rd_ok(&hdr)) {
        if (first & (1u << RT_TSFT)) {
            size_t tsft = (off + 7) & ~(size_t)7;
            cap_rd_skip(&hdr, tsft - off + 8);
        }
        uint8_t flags = cap_rd_u8(&hdr);
        if (cap_rd_ok(&hdr) && (flags & RT_F_BADFCS))
            return CAP_SKIP_MALFORMED_LINK;
    }
    if (!cap_rd_ok(&hdr)) /* the present words or the flags run past the header's length */
        return cap_rd_reason(&hdr, CAP_SKIP_MALFORMED_LINK);
    return cap_link_ieee80211(d, r);
}
