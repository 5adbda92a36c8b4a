/*
 * seedgen.c - writes the seed corpora of the fuzz targets from the real captures in samples/:
 * `fuzz_seedgen SAMPLES_DIR OUT_DIR` fills OUT_DIR/decode, OUT_DIR/replay and OUT_DIR/pcapng.
 *
 * decode/: single packets in the decoder target's format (link selector byte, wire-length byte,
 * frame).  From every sample, the first packet of each kind (IP version, TCP flags, with or
 * without payload) as captured on Ethernet, and the IP packets of a few of them re-framed in
 * every other link type the decoder knows (VLAN, QinQ, PPPoE, SLL, SLL2, raw IP, NULL, LOOP,
 * NFLOG, Cisco HDLC, PPP), plus snaplen-cut copies.
 * replay/: each sample cut to its first packets (a few kilobytes, so the fuzzer stays fast), and
 * the first one re-framed in every link type, big-endian, with nanosecond timestamps, cut by a
 * small snaplen, and with timestamps going backwards.
 * pcapng/: the same captures converted to pcapng (Enhanced Packet Blocks), plus Simple Packet
 * Blocks, if_tsresol options, a big-endian section, comments and a Name Resolution Block; and
 * files whose interfaces have different link types (read by cap_pcapng.c, not libpcap): the
 * packets spread over Ethernet, raw IP, NULL, SLL... interfaces, two sections in both byte
 * orders, nanosecond, 2^-20 and if_tsoffset timestamps, Simple and obsolete Packet Blocks, an
 * interface without a decoder, blocks of unknown types.
 * Nothing is random: the same samples give the same corpus.  The file formats are written here
 * by hand (only reading uses libpcap), so a corpus can hold what libpcap would never write.
 */
#define _DEFAULT_SOURCE /* <pcap/pcap.h> needs u_int & co. */

#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_links.h"

/* LINKTYPE_* values as stored in files (libpcap maps them to DLT_* when reading). */
enum {
    LT_NULL = 0,
    LT_EN10MB = 1,
    LT_PPP = 9,
    LT_RAW = 101,
    LT_C_HDLC = 104,
    LT_LOOP = 108,
    LT_SLL = 113,
    LT_IPV4 = 228,
    LT_IPV6 = 229,
    LT_IEEE802_11 = 105,
    LT_RADIOTAP = 127,
    LT_NFLOG = 239,
    LT_SLL2 = 276,
};

/* The re-framings; `dlt` is what libpcap reports for the file's LINKTYPE. */
typedef enum frame_kind {
    FK_ETHER,
    FK_VLAN,
    FK_QINQ,
    FK_PPPOE,
    FK_SLL,
    FK_SLL2,
    FK_RAW,
    FK_IPV4,
    FK_IPV6,
    FK_NULL,
    FK_LOOP,
    FK_NFLOG,
    FK_CHDLC,
    FK_PPP,
    FK_WIFI,
    FK_RADIOTAP,
    FK_COUNT
} frame_kind;

static const struct {
    const char *name;
    uint32_t linktype; /* in the file */
    int dlt;           /* as libpcap reports it */
} kinds[FK_COUNT] = {
    [FK_ETHER] = {"ether", LT_EN10MB, DLT_EN10MB},
    [FK_VLAN] = {"vlan", LT_EN10MB, DLT_EN10MB},
    [FK_QINQ] = {"qinq", LT_EN10MB, DLT_EN10MB},
    [FK_PPPOE] = {"pppoe", LT_EN10MB, DLT_EN10MB},
    [FK_SLL] = {"sll", LT_SLL, DLT_LINUX_SLL},
    [FK_SLL2] = {"sll2", LT_SLL2, 276},
    [FK_RAW] = {"raw", LT_RAW, DLT_RAW},
    [FK_IPV4] = {"ipv4", LT_IPV4, 228},
    [FK_IPV6] = {"ipv6", LT_IPV6, 229},
    [FK_NULL] = {"null", LT_NULL, DLT_NULL},
    [FK_LOOP] = {"loop", LT_LOOP, DLT_LOOP},
    [FK_NFLOG] = {"nflog", LT_NFLOG, 239},
    [FK_CHDLC] = {"chdlc", LT_C_HDLC, DLT_C_HDLC},
    [FK_PPP] = {"ppp", LT_PPP, DLT_PPP},
    [FK_WIFI] = {"wifi", LT_IEEE802_11, DLT_IEEE802_11},
    [FK_RADIOTAP] = {"radiotap", LT_RADIOTAP, DLT_IEEE802_11_RADIO},
};

/* ---- a growable byte buffer ------------------------------------------------------------- */

typedef struct buf {
    uint8_t *b;
    size_t len, cap;
    bool be; /* multi-byte puts in big-endian order */
} buf;

static void need(buf *x, size_t n)
{
    if (x->len + n <= x->cap)
        return;
    size_t cap = x->cap ? x->cap : 4096;
    while (cap < x->len + n)
        cap *= 2;
    x->b = realloc(x->b, cap);
    if (x->b == NULL) {
        fprintf(stderr, "fuzz_seedgen: out of memory\n");
        exit(1);
    }
    x->cap = cap;
}

static void put(buf *x, const void *p, size_t n)
{
    need(x, n);
    if (n)
        memcpy(x->b + x->len, p, n);
    x->len += n;
}

static void put8(buf *x, unsigned v)
{
    uint8_t c = (uint8_t)v;
    put(x, &c, 1);
}

static void put16(buf *x, unsigned v)
{
    uint8_t c[2] = {(uint8_t)(x->be ? v >> 8 : v), (uint8_t)(x->be ? v : v >> 8)};
    put(x, c, 2);
}

static void put32(buf *x, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        put8(x, x->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void be16(buf *x, unsigned v)
{
    put8(x, v >> 8);
    put8(x, v);
}

static void host16(buf *x, uint16_t v)
{
    put(x, &v, 2);
}

static void zeros(buf *x, size_t n)
{
    need(x, n);
    memset(x->b + x->len, 0, n);
    x->len += n;
}

/* ---- packets ---------------------------------------------------------------------------- */

typedef struct pkt {
    uint8_t *data; /* the IP packet (Ethernet header removed) */
    uint32_t len, wirelen;
    uint64_t ts_us;
} pkt;

typedef struct capture {
    char name[64];
    pkt *p;
    size_t n;
} capture;

/* Reads an Ethernet sample; keeps the IP packets of its first `max` frames. */
static int load(const char *path, const char *name, size_t max, capture *c)
{
    char ebuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, ebuf);
    if (pc == NULL) {
        fprintf(stderr, "fuzz_seedgen: %s\n", ebuf);
        return -1;
    }
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    if (pcap_datalink(pc) != DLT_EN10MB) {
        pcap_close(pc);
        return 0; /* only Ethernet samples are re-framed */
    }
    c->p = calloc(max, sizeof *c->p);
    struct pcap_pkthdr *h;
    const u_char *d;
    while (c->n < max && pcap_next_ex(pc, &h, &d) == 1) {
        if (h->caplen < 14 + 20 || h->len < h->caplen)
            continue;
        pkt *p = &c->p[c->n++];
        p->len = h->caplen - 14;
        p->wirelen = h->len - 14;
        p->data = malloc(p->len);
        memcpy(p->data, d + 14, p->len);
        p->ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
    }
    pcap_close(pc);
    return 0;
}

static unsigned ip_version(const pkt *p)
{
    return p->data[0] >> 4;
}

/* Appends the link header of kind k for p, then the IP packet (cut to caplen bytes). */
static void frame(buf *x, frame_kind k, const pkt *p, uint32_t caplen)
{
    bool v6 = ip_version(p) == 6;
    unsigned etype = v6 ? 0x86dd : 0x0800;
    static const uint8_t macs[12] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};
    switch (k) {
    case FK_ETHER:
        put(x, macs, 12);
        be16(x, etype);
        break;
    case FK_VLAN:
        put(x, macs, 12);
        be16(x, 0x8100);
        be16(x, 0x2005);
        be16(x, etype);
        break;
    case FK_QINQ:
        put(x, macs, 12);
        be16(x, 0x88a8);
        be16(x, 100);
        be16(x, 0x8100);
        be16(x, 200);
        be16(x, etype);
        break;
    case FK_PPPOE:
        put(x, macs, 12);
        be16(x, 0x8864);
        put8(x, 0x11);
        put8(x, 0);
        be16(x, 0x1234);
        be16(x, p->wirelen + 2);
        be16(x, v6 ? 0x0057 : 0x0021);
        break;
    case FK_SLL:
        be16(x, 0);   /* to us */
        be16(x, 772); /* ARPHRD_LOOPBACK */
        be16(x, 6);   /* address length */
        put(x, macs, 8);
        be16(x, etype);
        break;
    case FK_SLL2:
        be16(x, etype);
        be16(x, 0);
        put32(x, 1); /* interface index (byte order does not matter here) */
        be16(x, 1);  /* ARPHRD_ETHER */
        put8(x, 4);  /* outgoing */
        put8(x, 6);
        put(x, macs, 8);
        break;
    case FK_RAW:
    case FK_IPV4:
    case FK_IPV6:
        break;
    case FK_NULL: { /* the writer's (here: this machine's) order */
        uint32_t fam = v6 ? 24 : 2;
        put(x, &fam, 4);
        break;
    }
    case FK_LOOP:
        be16(x, 0);
        be16(x, v6 ? 30 : 2);
        break;
    case FK_NFLOG:
        put8(x, v6 ? 10 : 2);
        put8(x, 0);
        be16(x, 0);
        host16(x, 8); /* NFULA_PACKET_HDR: hw protocol, hook, pad */
        host16(x, 1);
        be16(x, etype);
        put8(x, 3);
        put8(x, 0);
        host16(x, (uint16_t)(4 + p->wirelen)); /* NFULA_PAYLOAD */
        host16(x, 9);
        break;
    case FK_CHDLC:
        put8(x, 0x0f);
        put8(x, 0);
        be16(x, etype);
        break;
    case FK_RADIOTAP: {
        /* version 0, length 36, present words as Linux writes them (TSFT, flags, rate, channel,
         * signal, RX flags, ext; then signal), TSFT at 16, flags at 24 (0x10: FCS at the end) */
        static const uint8_t rt[36] = {0, 0, 36, 0, 0x2f, 0x40, 0x00, 0xa0, 0x20, 0x08, 0, 0,   0,
                                       0, 0, 0,  0, 0,    0,    0,    0,    0,    0,    0, 0x10};
        put(x, rt, sizeof rt);
    }
        /* fall through: the 802.11 frame */
    case FK_WIFI: {
        /* QoS data to the distribution system, three addresses, sequence control (fragment 0),
         * QoS control, then RFC 1042 LLC/SNAP */
        static const uint8_t fc[4] = {0x88, 0x01, 0, 0};
        static const uint8_t snap[6] = {0xaa, 0xaa, 0x03, 0, 0, 0};
        put(x, fc, sizeof fc);
        put(x, macs, 12);
        put(x, macs, 6);
        be16(x, 0x1000);
        be16(x, 0);
        put(x, snap, sizeof snap);
        be16(x, etype);
        break;
    }
    case FK_PPP:
        put8(x, 0xff);
        put8(x, 0x03);
        be16(x, v6 ? 0x0057 : 0x0021);
        break;
    default:
        break;
    }
    put(x, p->data, caplen);
}

static bool kind_fits(frame_kind k, const pkt *p)
{
    if (k == FK_IPV4)
        return ip_version(p) == 4;
    if (k == FK_IPV6)
        return ip_version(p) == 6;
    return true;
}

/* ---- output ----------------------------------------------------------------------------- */

static const char *out_dir;
static unsigned n_written[3];

static void write_file(const char *sub, unsigned which, const char *name, const buf *x)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", out_dir, sub, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(x->b, 1, x->len, f) != x->len || fclose(f) != 0) {
        fprintf(stderr, "fuzz_seedgen: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    n_written[which]++;
}

/* One decoder input: selector byte, wire-length byte, frame. */
static void decode_seed(const char *name, frame_kind k, const pkt *p, bool cut)
{
    int sel = fuzz_link_byte(kinds[k].dlt);
    if (sel < 0)
        return; /* the decoder does not know this link type (any more) */
    buf x = {0};
    uint32_t caplen = p->len;
    unsigned extra = 0;
    if (cut && caplen > 54) { /* a snaplen of 54 past the IP header: cut 'extra * extra' bytes */
        extra = 1;
        while ((extra + 1) * (extra + 1) <= caplen - 54 && extra < 255)
            extra++;
        caplen -= extra * extra;
    }
    put8(&x, (unsigned)sel);
    put8(&x, extra);
    frame(&x, k, p, caplen);
    char fname[256];
    snprintf(fname, sizeof fname, "%s-%s%s", name, kinds[k].name, cut ? "-cut" : "");
    write_file("decode", 0, fname, &x);
    free(x.b);
}

/* pcap_image: the pcap file header and records; `snap` cuts every record (0: none). */
static void pcap_image(buf *x, const capture *c, size_t n, frame_kind k, bool be, bool nano,
                       uint32_t snap, bool backwards)
{
    x->be = be;
    put32(x, nano ? 0xa1b23c4du : 0xa1b2c3d4u);
    put16(x, 2);
    put16(x, 4);
    put32(x, 0);
    put32(x, 0);
    put32(x, snap ? snap : 262144);
    put32(x, kinds[k].linktype);
    for (size_t i = 0; i < n && i < c->n; i++) {
        const pkt *p = &c->p[i];
        if (!kind_fits(k, p))
            continue;
        buf f = {0};
        frame(&f, k, p, p->len);
        uint32_t wire = (uint32_t)f.len + (p->wirelen - p->len);
        uint32_t cap = snap && f.len > snap ? snap : (uint32_t)f.len;
        uint64_t ts = p->ts_us;
        if (backwards && i % 3 == 2)
            ts -= 1500000; /* 1.5 s back */
        put32(x, (uint32_t)(ts / 1000000u));
        put32(x, (uint32_t)(ts % 1000000u) * (nano ? 1000u : 1u));
        put32(x, cap);
        put32(x, wire);
        put(x, f.b, cap);
        free(f.b);
    }
}

/* pcapng block: type, total length, body (padded), total length. */
static void ng_block(buf *x, uint32_t type, const buf *body)
{
    size_t pad = (4 - body->len % 4) % 4;
    uint32_t total = (uint32_t)(12 + body->len + pad);
    put32(x, type);
    put32(x, total);
    put(x, body->b, body->len);
    zeros(x, pad);
    put32(x, total);
}

static void ng_option(buf *x, unsigned code, const void *v, size_t n)
{
    put16(x, code);
    put16(x, (unsigned)n);
    put(x, v, n);
    zeros(x, (4 - n % 4) % 4);
}

typedef enum ng_style { NG_EPB, NG_SPB, NG_NANO, NG_POW2, NG_EXTRAS } ng_style;

/* A Section Header Block (version 1.0, unknown section length), with two options if `extras`. */
static void ng_shb(buf *x, bool be, bool extras)
{
    buf b = {.be = be};
    x->be = be;
    put32(&b, 0x1a2b3c4du);
    put16(&b, 1);
    put16(&b, 0);
    put32(&b, 0xffffffffu);
    put32(&b, 0xffffffffu);
    if (extras) {
        ng_option(&b, 3, "tcpsim fuzz seed", 16); /* shb_os */
        ng_option(&b, 1, "a comment", 9);
        ng_option(&b, 0, NULL, 0);
    }
    ng_block(x, 0x0a0d0d0au, &b);
    free(b.b);
}

static void pcapng_file(buf *x, const capture *c, size_t n, frame_kind k, bool be, ng_style st)
{
    buf b = {.be = be};
    ng_shb(x, be, st == NG_EXTRAS);
    /* Interface Description Block */
    put16(&b, kinds[k].linktype);
    put16(&b, 0);
    put32(&b, st == NG_SPB ? 128 : 262144);
    if (st == NG_NANO) {
        uint8_t r = 9;
        ng_option(&b, 9, &r, 1); /* if_tsresol: 10^-9 */
        ng_option(&b, 0, NULL, 0);
    } else if (st == NG_POW2) {
        uint8_t r = 0x80 | 20;
        ng_option(&b, 9, &r, 1); /* if_tsresol: 2^-20 */
        ng_option(&b, 0, NULL, 0);
    } else if (st == NG_EXTRAS) {
        ng_option(&b, 2, "lo", 2); /* if_name */
        ng_option(&b, 0, NULL, 0);
    }
    ng_block(x, 1, &b);
    if (st == NG_EXTRAS) { /* Name Resolution Block: one IPv4 record, end of records */
        b.len = 0;
        put16(&b, 1);
        put16(&b, 14);
        put8(&b, 10);
        put8(&b, 0);
        put8(&b, 0);
        put8(&b, 1);
        put(&b, "client\0\0\0\0", 10);
        zeros(&b, 2);
        put16(&b, 0);
        put16(&b, 0);
        ng_block(x, 4, &b);
    }
    for (size_t i = 0; i < n && i < c->n; i++) {
        const pkt *p = &c->p[i];
        if (!kind_fits(k, p))
            continue;
        buf f = {0};
        frame(&f, k, p, p->len);
        uint32_t wire = (uint32_t)f.len + (p->wirelen - p->len);
        b.len = 0;
        if (st == NG_SPB) {
            uint32_t cap = f.len > 128 ? 128 : (uint32_t)f.len;
            put32(&b, wire);
            put(&b, f.b, cap);
            ng_block(x, 3, &b);
        } else {
            uint64_t ts = p->ts_us;
            if (st == NG_NANO)
                ts *= 1000u;
            else if (st == NG_POW2)
                ts = (ts / 1000000u << 20) + (ts % 1000000u) * 1048576u / 1000000u;
            put32(&b, 0);
            put32(&b, (uint32_t)(ts >> 32));
            put32(&b, (uint32_t)ts);
            put32(&b, (uint32_t)f.len);
            put32(&b, wire);
            put(&b, f.b, f.len);
            zeros(&b, (4 - f.len % 4) % 4);
            if (st == NG_EXTRAS && i == 0) {
                uint32_t flags = 2; /* epb_flags: outbound */
                ng_option(&b, 1, "first", 5);
                ng_option(&b, 2, &flags, 4);
                ng_option(&b, 0, NULL, 0);
            }
            ng_block(x, 6, &b);
        }
        free(f.b);
    }
    free(b.b);
}

/* pcapng files whose interfaces have different link types. */
typedef struct mixed_if {
    frame_kind k;
    uint32_t linktype; /* kinds[k].linktype, or one without a decoder (the frame stays k's) */
    int tsresol;       /* if_tsresol byte, -1 for none */
    bool offset;       /* if_tsoffset: -1 s */
} mixed_if;

static void ng_idb(buf *x, const mixed_if *f)
{
    buf b = {.be = x->be};
    put16(&b, f->linktype);
    put16(&b, 0);
    put32(&b, 262144);
    if (f->tsresol >= 0) {
        uint8_t r = (uint8_t)f->tsresol;
        ng_option(&b, 9, &r, 1);
    }
    if (f->offset) {
        buf o = {.be = x->be};
        put32(&o, 0xffffffffu); /* -1 s as 64 bits: all ones in either byte order */
        put32(&o, 0xffffffffu);
        ng_option(&b, 14, o.b, 8);
        free(o.b);
    }
    ng_option(&b, 0, NULL, 0);
    ng_block(x, 1, &b);
    free(b.b);
}

/* One packet on interface ifid: an Enhanced Packet Block, or (`style` 1) a Simple Packet Block
 * when ifid is 0, or (2) an obsolete Packet Block. */
static void ng_packet(buf *x, uint32_t ifid, const mixed_if *f, const pkt *p, int style)
{
    buf fr = {0}, b = {.be = x->be};
    frame(&fr, f->k, p, p->len);
    uint32_t wire = (uint32_t)fr.len + (p->wirelen - p->len);
    uint64_t ts = p->ts_us;
    if (f->tsresol == 9)
        ts *= 1000u;
    else if (f->tsresol == (0x80 | 20))
        ts = (ts / 1000000u << 20) + (ts % 1000000u) * 1048576u / 1000000u;
    if (style == 1 && ifid == 0) {
        put32(&b, wire);
        put(&b, fr.b, fr.len);
        ng_block(x, 3, &b);
    } else {
        if (style == 2) {
            put16(&b, ifid);
            put16(&b, 0);
        } else {
            put32(&b, ifid);
        }
        put32(&b, (uint32_t)(ts >> 32));
        put32(&b, (uint32_t)ts);
        put32(&b, (uint32_t)fr.len);
        put32(&b, wire);
        put(&b, fr.b, fr.len);
        ng_block(x, style == 2 ? 2 : 6, &b);
    }
    free(fr.b);
    free(b.b);
}

/* A section with interfaces ifs[0..nif), the packets [from, to) spread over them (each on the
 * next interface whose framing fits it), with an Interface Statistics Block and a custom block
 * among them. */
static void ng_mixed_section(buf *x, bool be, const mixed_if *ifs, size_t nif, const capture *c,
                             size_t from, size_t to, int style)
{
    ng_shb(x, be, false);
    for (size_t i = 0; i < nif; i++)
        ng_idb(x, &ifs[i]);
    for (size_t i = from, k = 0; i < to && i < c->n; i++) {
        const pkt *p = &c->p[i];
        for (size_t tries = 0; tries < nif && !kind_fits(ifs[k % nif].k, p); tries++)
            k++;
        if (!kind_fits(ifs[k % nif].k, p))
            continue;
        ng_packet(x, (uint32_t)(k % nif), &ifs[k % nif], p, i % 4 == 3 ? style : 0);
        k++;
        if (i == from + 2) {
            buf o = {.be = be};
            put32(&o, 0);
            put32(&o, 0);
            put32(&o, 0);
            ng_block(x, 5, &o); /* Interface Statistics Block */
            o.len = 0;
            put32(&o, 32473); /* a custom block with a private enterprise number */
            ng_block(x, 0x00000bad, &o);
            free(o.b);
        }
    }
}

static void pcapng_mixed(buf *x, const capture *c, size_t n, int variant)
{
    static const mixed_if four[] = {{FK_ETHER, LT_EN10MB, -1, false},
                                    {FK_RAW, LT_RAW, -1, false},
                                    {FK_NULL, LT_NULL, -1, false},
                                    {FK_SLL, LT_SLL, -1, false}};
    static const mixed_if le[] = {{FK_ETHER, LT_EN10MB, 9, false}, {FK_LOOP, LT_LOOP, -1, true}};
    static const mixed_if bei[] = {{FK_RAW, LT_RAW, 0x80 | 20, false},
                                   {FK_SLL2, LT_SLL2, -1, false},
                                   {FK_NFLOG, LT_NFLOG, 9, false}};
    static const mixed_if odd[] = {{FK_ETHER, LT_EN10MB, -1, false},
                                   {FK_ETHER, 220, -1, false}, /* USB: no decoder */
                                   {FK_IPV4, LT_IPV4, -1, false},
                                   {FK_IPV6, LT_IPV6, -1, false},
                                   {FK_PPP, LT_PPP, -1, true}};
    x->len = 0;
    if (variant == 0) {
        ng_mixed_section(x, false, four, 4, c, 0, n, 0);
    } else if (variant == 1) {
        ng_mixed_section(x, false, le, 2, c, 0, n / 2, 1);
        ng_mixed_section(x, true, bei, 3, c, n / 2, n, 2);
    } else {
        ng_mixed_section(x, variant == 3, odd, 5, c, 0, n, variant == 3 ? 2 : 1);
    }
}

/* ---- main ------------------------------------------------------------------------------- */

#define MAX_SAMPLES    64
#define REPLAY_PACKETS 400
#define REPLAY_BYTES   16000
#define REPLAY_SNAP    128 /* headers with options; the replay takes lengths from the IP header */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* How many of c's first packets fit in about `max` bytes of pcap with records cut to `snap`. */
static size_t replay_count(const capture *c, size_t max, uint32_t snap)
{
    size_t n = 0, bytes = 24;
    for (; n < c->n && n < REPLAY_PACKETS; n++) {
        size_t len = 14 + c->p[n].len;
        if (snap && len > snap)
            len = snap;
        if (bytes + 16 + len > max)
            break;
        bytes += 16 + len;
    }
    return n ? n : (c->n ? 1 : 0);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fuzz_seedgen SAMPLES_DIR OUT_DIR\n");
        return 2;
    }
    out_dir = argv[2];
    static const char *const subs[] = {"decode", "replay", "pcapng"};
    char path[4096];
    mkdir(out_dir, 0777);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", out_dir, subs[i]);
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "fuzz_seedgen: %s: %s\n", path, strerror(errno));
            return 1;
        }
    }

    DIR *dir = opendir(argv[1]);
    if (dir == NULL) {
        fprintf(stderr, "fuzz_seedgen: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    char *names[MAX_SAMPLES];
    size_t n_names = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n_names < MAX_SAMPLES) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".pcap") == 0)
            names[n_names++] = strdup(e->d_name);
    }
    closedir(dir);
    qsort(names, n_names, sizeof *names, by_name);

    /* the first packet of each kind, across all samples */
    bool seen_kind[2][256][2];
    memset(seen_kind, 0, sizeof seen_kind);
    unsigned reframed = 0;
    for (size_t s = 0; s < n_names; s++) {
        capture c;
        char stem[64];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(names[s]) - 5), names[s]);
        snprintf(path, sizeof path, "%s/%s", argv[1], names[s]);
        if (load(path, stem, 4000, &c) < 0)
            return 1;
        for (size_t i = 0; i < c.n; i++) {
            const pkt *p = &c.p[i];
            unsigned v = ip_version(p) == 6;
            size_t tcp_off = v ? 40 : (size_t)(p->data[0] & 15u) * 4;
            if (p->len < tcp_off + 20)
                continue;
            unsigned flags = p->data[tcp_off + 13];
            bool data = p->wirelen > tcp_off + (size_t)(p->data[tcp_off + 12] >> 4) * 4;
            if (seen_kind[v][flags][data])
                continue;
            seen_kind[v][flags][data] = true;
            char name[128];
            snprintf(name, sizeof name, "%s-%zu", stem, i + 1);
            decode_seed(name, FK_ETHER, p, false);
            decode_seed(name, FK_ETHER, p, true);
            if (reframed++ < 8) {
                for (int k = 1; k < FK_COUNT; k++)
                    if (kind_fits((frame_kind)k, p))
                        decode_seed(name, (frame_kind)k, p, false);
            }
        }

        /* the whole connection(s) as headers only, and the first packets in full */
        size_t n = replay_count(&c, REPLAY_BYTES, REPLAY_SNAP);
        buf x = {0};
        pcap_image(&x, &c, n, FK_ETHER, false, false, REPLAY_SNAP, false);
        snprintf(path, sizeof path, "%s-headers.pcap", stem);
        write_file("replay", 1, path, &x);
        n = replay_count(&c, 6000, 0);
        x.len = 0;
        pcap_image(&x, &c, n, FK_ETHER, false, false, 0, false);
        snprintf(path, sizeof path, "%s.pcap", stem);
        write_file("replay", 1, path, &x);
        x.len = 0;
        pcapng_file(&x, &c, n, FK_ETHER, false, NG_EPB);
        snprintf(path, sizeof path, "%s.pcapng", stem);
        write_file("pcapng", 2, path, &x);

        if (s == 0 || strcmp(stem, "ipv6") == 0) { /* variants of the first sample and IPv6 */
            for (int k = 1; k < FK_COUNT; k++) {
                if (fuzz_link_byte(kinds[k].dlt) < 0)
                    continue;
                x.len = 0;
                pcap_image(&x, &c, n, (frame_kind)k, false, false, 0, false);
                snprintf(path, sizeof path, "%s-%s.pcap", stem, kinds[k].name);
                write_file("replay", 1, path, &x);
            }
            static const struct {
                const char *tag;
                bool be, nano;
                uint32_t snap;
                bool back;
            } v[] = {{"be", true, false, 0, false},
                     {"nano", false, true, 0, false},
                     {"be-nano", true, true, 0, false},
                     {"snap80", false, false, 80, false},
                     {"backwards", false, false, 0, true}};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
                x.len = 0;
                pcap_image(&x, &c, n, FK_ETHER, v[i].be, v[i].nano, v[i].snap, v[i].back);
                snprintf(path, sizeof path, "%s-%s.pcap", stem, v[i].tag);
                write_file("replay", 1, path, &x);
            }
            static const struct {
                const char *tag;
                bool be;
                ng_style st;
                frame_kind k;
            } g[] = {{"be", true, NG_EPB, FK_ETHER},
                     {"spb", false, NG_SPB, FK_ETHER},
                     {"nano", false, NG_NANO, FK_RAW},
                     {"pow2", true, NG_POW2, FK_SLL2},
                     {"extras", false, NG_EXTRAS, FK_ETHER}};
            for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
                x.len = 0;
                pcapng_file(&x, &c, n, g[i].k, g[i].be, g[i].st);
                snprintf(path, sizeof path, "%s-%s.pcapng", stem, g[i].tag);
                write_file("pcapng", 2, path, &x);
            }
            static const char *const mixed_tags[] = {"mixed", "mixed-2sect", "mixed-odd",
                                                     "mixed-odd-be"};
            for (int variant = 0; variant < 4; variant++) {
                pcapng_mixed(&x, &c, n, variant);
                snprintf(path, sizeof path, "%s-%s.pcapng", stem, mixed_tags[variant]);
                write_file("pcapng", 2, path, &x);
                if (variant == 1) /* the replay target gets one too */
                    write_file("replay", 1, path, &x);
            }
        }
        free(x.b);
        for (size_t i = 0; i < c.n; i++)
            free(c.p[i].data);
        free(c.p);
        free(names[s]);
    }
    printf("fuzz_seedgen: %u decode, %u replay, %u pcapng seeds in %s\n", n_written[0],
           n_written[1], n_written[2], out_dir);
    return 0;
}
