/*
 * cap_decode.c - the decoder's entry point: a table from link type to link-layer decoder, and
 * the reset of the result.  The table is searched linearly (a dozen entries, compared with the
 * DLT_* macros of <pcap/dlt.h>, whose values differ between platforms for DLT_RAW and DLT_LOOP,
 * so no switch on them).  Only the header is used, never a libpcap function.
 */
#include "cap_decode_int.h"

#include <pcap/dlt.h>
#include <string.h>

/* LINKTYPE_RAW as stored in files; libpcap maps it to DLT_RAW, but accept it as well. */
#define CAP_LINKTYPE_RAW 101

static const struct {
    int dlt;
    cap_link_fn fn;
} link_table[] = {
    {DLT_EN10MB, cap_link_ether},
    {DLT_LINUX_SLL, cap_link_sll},
#ifdef DLT_LINUX_SLL2
    {DLT_LINUX_SLL2, cap_link_sll2},
#endif
    {DLT_RAW, cap_link_raw},
    {CAP_LINKTYPE_RAW, cap_link_raw},
    {DLT_IPV4, cap_link_ipv4},
    {DLT_IPV6, cap_link_ipv6},
    {DLT_NULL, cap_link_null},
    {DLT_LOOP, cap_link_null},
    {DLT_NFLOG, cap_link_nflog},
    {DLT_C_HDLC, cap_link_chdlc},
    {DLT_PPP, cap_link_ppp},
    {DLT_IEEE802_11, cap_link_ieee80211},
    {DLT_IEEE802_11_RADIO, cap_link_radiotap},
};

static cap_link_fn link_lookup(int linktype)
{
    for (size_t i = 0; i < sizeof link_table / sizeof link_table[0]; i++) {
        if (link_table[i].dlt == linktype)
            return link_table[i].fn;
    }
    return NULL;
}

bool cap_link_supported(int linktype)
{
    return link_lookup(linktype) != NULL;
}

cap_skip cap_decode(int linktype, const uint8_t *data, size_t caplen, size_t wirelen,
                    cap_packet *out)
{
    uint64_t ts = out->ts_us;
    cap_link_fn fn = link_lookup(linktype);
    cap_reader r;
    cap_dec d;

    memset(out, 0, sizeof *out);
    out->ts_us = ts;
    if (fn == NULL)
        return CAP_SKIP_UNSUPPORTED_LINK;
    if (caplen > UINT32_MAX) /* pcap lengths are 32-bit; offsets in cap_packet are too */
        caplen = UINT32_MAX;
    if (wirelen > UINT32_MAX)
        wirelen = UINT32_MAX;
    if (data == NULL) { /* keep pointer arithmetic on a real object */
        static const uint8_t empty[1];
        data = empty;
        caplen = 0;
    }
    r = cap_rd_init(data, caplen, wirelen);
    d.base = data;
    d.out = out;
    return fn(&d, &r);
}
