/*
 * kt_pcap.c - reads the segments of one TCP connection from a capture file (kt_pcap.h).
 *
 * Deliberately independent of tcpsim's capture/ decoder and replay: the comparison must not
 * inherit a bug of the code it helps to test.  Each header is taken only when the captured
 * bytes hold it (a packet that is cut short or impossible is counted as bad and skipped).
 */
#define _DEFAULT_SOURCE /* <pcap/pcap.h> needs u_int & co., hidden by _POSIX_C_SOURCE alone */

#include "kt_pcap.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t kt_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t kt_be16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

const char *kt_flags_str(uint8_t flags, char *buf, size_t len)
{
    static const struct {
        uint8_t bit;
        const char *name;
    } names[] = {{KT_SYN, "SYN"}, {KT_FIN, "FIN"}, {KT_RST, "RST"}, {KT_PSH, "PSH"},
                 {KT_ACK, "ACK"}, {KT_URG, "URG"}, {KT_ECE, "ECE"}, {KT_CWR, "CWR"}};
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(flags & names[i].bit))
            continue;
        int w = snprintf(buf + n, len - n, "%s%s", n ? "," : "", names[i].name);
        if (w < 0 || (size_t)w >= len - n)
            break;
        n += (size_t)w;
    }
    if (n == 0)
        snprintf(buf, len, "none");
    return buf;
}

/* Parses the TCP options in opt[0, olen) into s (SACK edges still absolute). */
static void kt_options(const unsigned char *opt, size_t olen, kt_seg *s)
{
    size_t i = 0;
    while (i < olen) {
        unsigned kind = opt[i];
        if (kind == 0)
            break; /* end of option list */
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= olen || opt[i + 1] < 2 || i + opt[i + 1] > olen) {
            s->bad_opts = true;
            return;
        }
        size_t l = opt[i + 1];
        const unsigned char *v = opt + i + 2;
        switch (kind) {
        case 2:
            if (l == 4)
                s->mss = kt_be16(v);
            else
                s->bad_opts = true;
            break;
        case 3:
            if (l == 3)
                s->wscale = v[0];
            else
                s->bad_opts = true;
            break;
        case 4:
            s->sack_perm = true;
            break;
        case 5:
            if ((l - 2) % 8 != 0) {
                s->bad_opts = true;
                break;
            }
            for (size_t b = 0; b < (l - 2) / 8 && s->n_sack < KT_SACK_MAX; b++) {
                s->sack[s->n_sack][0] = kt_be32(v + 8 * b);
                s->sack[s->n_sack][1] = kt_be32(v + 8 * b + 4);
                s->n_sack++;
            }
            break;
        case 8:
            s->ts = true;
            break;
        default:
            break;
        }
        i += l;
    }
}

typedef struct kt_tuple {
    uint32_t src, dst;
    uint16_t sport, dport;
} kt_tuple;

/* Decodes one frame; returns 1 with *s and *tp filled, 0 for not IPv4/TCP, -1 when bad. */
static int kt_decode(int dlt, const unsigned char *p, size_t caplen, kt_seg *s, kt_tuple *tp)
{
    size_t off = 0;
    unsigned ethertype = 0x0800;
    switch (dlt) {
    case DLT_RAW:
    case DLT_IPV4:
        break;
    case DLT_EN10MB:
        if (caplen < 14)
            return -1;
        ethertype = kt_be16(p + 12);
        off = 14;
        while (ethertype == 0x8100 || ethertype == 0x88a8) {
            if (caplen < off + 4)
                return -1;
            ethertype = kt_be16(p + off + 2);
            off += 4;
        }
        break;
    case DLT_LINUX_SLL:
        if (caplen < 16)
            return -1;
        ethertype = kt_be16(p + 14);
        off = 16;
        break;
    default:
        return -1;
    }
    if (ethertype != 0x0800)
        return 0;
    if (caplen < off + 20)
        return -1;
    const unsigned char *ip = p + off;
    if ((ip[0] >> 4) != 4)
        return 0;
    size_t ihl = (size_t)(ip[0] & 15) * 4;
    size_t tot = kt_be16(ip + 2);
    if (ihl < 20 || tot < ihl || caplen < off + ihl)
        return -1;
    if (ip[9] != 6)
        return 0;
    if ((kt_be16(ip + 6) & 0x3fff) != 0)
        return -1; /* a fragment: never on these paths */
    if (caplen < off + tot)
        return -1; /* every comparison capture holds whole packets */
    const unsigned char *t = ip + ihl;
    size_t tlen = tot - ihl;
    if (tlen < 20)
        return -1;
    size_t doff = (size_t)(t[12] >> 4) * 4;
    if (doff < 20 || doff > tlen)
        return -1;
    memset(s, 0, sizeof *s);
    s->wscale = -1;
    tp->src = kt_be32(ip + 12);
    tp->dst = kt_be32(ip + 16);
    tp->sport = kt_be16(t);
    tp->dport = kt_be16(t + 2);
    s->seq = kt_be32(t + 4);
    s->ack = kt_be32(t + 8);
    s->flags = t[13];
    s->win = kt_be16(t + 14);
    s->len = (uint32_t)(tlen - doff);
    kt_options(t + 20, doff - 20, s);
    return 1;
}

int kt_pcap_load(const char *path, kt_conn *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_open_offline(path, perr);
    if (pc == NULL) {
        snprintf(err, errlen, "%s: %s", path, perr);
        return -1;
    }
    int dlt = pcap_datalink(pc);
    if (dlt != DLT_RAW && dlt != DLT_IPV4 && dlt != DLT_EN10MB && dlt != DLT_LINUX_SLL) {
        snprintf(err, errlen, "%s: link type %s not supported (raw IP, Ethernet, Linux SLL)", path,
                 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?");
        pcap_close(pc);
        return -1;
    }
    size_t cap = 256;
    c->seg = malloc(cap * sizeof *c->seg);
    if (c->seg == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        pcap_close(pc);
        return -1;
    }
    kt_tuple conn = {0, 0, 0, 0};
    bool have_conn = false, client_by_syn = false;
    int64_t t_first = 0;
    struct pcap_pkthdr *h;
    const unsigned char *data;
    size_t frame = 0;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
        frame++;
        kt_seg s;
        kt_tuple tp;
        int d = kt_decode(dlt, data, h->caplen, &s, &tp);
        if (d == 0) {
            c->not_tcp++;
            continue;
        }
        if (d < 0) {
            c->bad++;
            continue;
        }
        int64_t t = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
        bool bare_syn = (s.flags & (KT_SYN | KT_ACK)) == KT_SYN;
        if (!have_conn) {
            conn = tp;
            have_conn = true;
            client_by_syn = bare_syn;
            t_first = t;
        }
        if (tp.src == conn.src && tp.dst == conn.dst && tp.sport == conn.sport &&
            tp.dport == conn.dport) {
            s.dir = KT_C2S;
        } else if (tp.src == conn.dst && tp.dst == conn.src && tp.sport == conn.dport &&
                   tp.dport == conn.sport) {
            s.dir = KT_S2C;
            if (!client_by_syn && bare_syn) {
                /* the first SYN goes the other way: that side is the client */
                client_by_syn = true;
                for (size_t i = 0; i < c->n; i++)
                    c->seg[i].dir = 1 - c->seg[i].dir;
                kt_tuple sw = {conn.dst, conn.src, conn.dport, conn.sport};
                conn = sw;
                s.dir = KT_C2S;
            }
        } else {
            c->other_tcp++;
            continue;
        }
        if (c->n == cap) {
            kt_seg *ns = realloc(c->seg, 2 * cap * sizeof *c->seg);
            if (ns == NULL) {
                snprintf(err, errlen, "%s: out of memory", path);
                pcap_close(pc);
                kt_pcap_free(c);
                return -1;
            }
            c->seg = ns;
            cap *= 2;
        }
        s.frame = frame;
        s.t = t - t_first;
        s.wall = t;
        c->seg[c->n++] = s;
    }
    if (rc == -1) {
        snprintf(err, errlen, "%s: packet %zu: %s", path, frame + 1, pcap_geterr(pc));
        pcap_close(pc);
        kt_pcap_free(c);
        return -1;
    }
    pcap_close(pc);

    for (size_t i = 0; i < c->n; i++) {
        kt_seg *s = &c->seg[i];
        if ((s->flags & KT_SYN) && !c->isn_known[s->dir]) {
            c->isn_known[s->dir] = true;
            c->isn[s->dir] = s->seq;
        }
    }
    for (size_t i = 0; i < c->n; i++) {
        kt_seg *s = &c->seg[i];
        int o = 1 - s->dir;
        s->rseq = c->isn_known[s->dir] ? s->seq - c->isn[s->dir] : s->seq;
        s->rack = c->isn_known[o] ? s->ack - c->isn[o] : s->ack;
        for (int b = 0; b < s->n_sack && c->isn_known[o]; b++) {
            s->sack[b][0] -= c->isn[o];
            s->sack[b][1] -= c->isn[o];
        }
        c->n_dir[s->dir]++;
    }
    return 0;
}

void kt_pcap_free(kt_conn *c)
{
    free(c->seg);
    c->seg = NULL;
    c->n = 0;
}
