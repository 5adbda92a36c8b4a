/*
 * kernel_check.c - the replay-versus-kernel comparison used by the capture tests.
 */
#include "kernel_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap_addr.h"
#include "cap_replay.h"
#include "cap_source.h"
#include "tcp_seq.h"

static void path_str(const tcp_endpoint *ep, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < ep->obs_n && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ">" : "",
                         tcp_state_name((tcp_state)ep->obs_path[i]));
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* What the self-check remembers of a connection while it runs: per side, the highest ACK it
 * sent and the sequence number of its FIN. */
#define KC_SLOTS 256
static struct kc_slot {
    uint32_t conn;
    bool acked[2], fin[2], sent[2];
    uint32_t max_ack[2], fin_seq[2], snd_max[2];
} slots[KC_SLOTS];

static struct kc_slot *slot_of(uint32_t conn)
{
    struct kc_slot *s = &slots[conn % KC_SLOTS];
    if (s->conn != conn) {
        memset(s, 0, sizeof *s);
        s->conn = conn;
    }
    return s;
}

static void violation(kc_result *r, uint32_t conn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void violation(kc_result *r, uint32_t conn, const char *fmt, ...)
{
    if (r->violations < 4) {
        char what[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        snprintf(r->violation[r->violations], sizeof r->violation[0], "connection %u: %s",
                 (unsigned)conn, what);
    }
    r->violations++;
}

static bool received_fin(const tcp_endpoint *ep)
{
    if (ep->fin_rcvd)
        return true;
    for (unsigned i = 0; i < ep->obs_n; i++) {
        tcp_state s = (tcp_state)ep->obs_path[i];
        if (s == TCP_CLOSE_WAIT || s == TCP_CLOSING || s == TCP_LAST_ACK || s == TCP_TIME_WAIT)
            return true;
    }
    return false;
}

static void self_check(kc_result *r, const cap_conn *c)
{
    struct kc_slot *sl = slot_of(c->id);
    for (int i = 0; i < 2; i++) {
        const tcp_endpoint *ep = &c->ep[i];
        for (unsigned k = 1; k < ep->obs_n; k++)
            if (!tcp_obs_rfc_arc((tcp_state)ep->obs_path[k - 1], (tcp_state)ep->obs_path[k]))
                violation(r, c->id, "%s: transition %s -> %s not in RFC 9293",
                          trace_ep_name((unsigned)i),
                          tcp_state_name((tcp_state)ep->obs_path[k - 1]),
                          tcp_state_name((tcp_state)ep->obs_path[k]));
        /* it acknowledged the peer's FIN: it must be taken to have received it (a RST may have
         * ended it first: then its path shows CLOSED right after) */
        if (sl->fin[1 - i] && sl->acked[i] && tcp_seq_geq(sl->max_ack[i], sl->fin_seq[1 - i] + 1) &&
            !received_fin(ep) && ep->error != TCP_ERR_RESET && ep->error != TCP_ERR_ABORTED)
            violation(r, c->id, "%s acknowledges the %s's FIN it is not taken to have received",
                      trace_ep_name((unsigned)i), trace_ep_name((unsigned)(1 - i)));
    }
}

static void on_conn(void *ctx, const cap_conn *c)
{
    kc_result *r = ctx;
    self_check(r, c);
    r->conns++;
    for (int i = 0; i < 2; i++) {
        r->retrans += c->d[i].retrans_segs;
        r->fast_retrans += c->d[i].fast_retrans;
        r->rst += c->d[i].rst;
        r->lost += c->d[i].lost;
        if (c->ep[i].state == TCP_TIME_WAIT && r->n_tw < KC_MAX_CONNS)
            cap_endpoint_str(&c->addr[i], c->port[i], r->tw[r->n_tw++], 64);
    }
    if (r->n_paths < KC_MAX_CONNS) {
        char a[240], b[240];
        path_str(&c->ep[0], a, sizeof a);
        path_str(&c->ep[1], b, sizeof b);
        snprintf(r->paths[r->n_paths++], 512, "%s | %s", a, b);
    }
}

/* Counts SYN retransmissions from the send events. */
static void on_event(void *ctx, const trace_event *ev)
{
    kc_result *r = ctx;
    struct kc_slot *sl = slot_of(ev->conn);
    int e = ev->ep & 1;
    if (ev->kind == TRACE_SEND && !(ev->seg.tags & TCP_TAG_DUPLICATE)) {
        uint32_t end = ev->seg.seq + tcp_seg_seqlen(&ev->seg);
        if (!sl->sent[e] || tcp_seq_gt(end, sl->snd_max[e])) {
            sl->sent[e] = true;
            sl->snd_max[e] = end;
        }
        /* an ACK of something never sent acknowledges nothing (RFC 9293 3.10.7.4 drops it) */
        if ((ev->seg.flags & TCP_ACK) && !(ev->seg.flags & TCP_RST) && sl->sent[1 - e] &&
            tcp_seq_leq(ev->seg.ack, sl->snd_max[1 - e]) &&
            (!sl->acked[e] || tcp_seq_gt(ev->seg.ack, sl->max_ack[e]))) {
            sl->acked[e] = true;
            sl->max_ack[e] = ev->seg.ack;
        }
        if ((ev->seg.flags & TCP_FIN) && !sl->fin[e]) {
            sl->fin[e] = true;
            sl->fin_seq[e] = ev->seg.seq + ev->seg.len + ((ev->seg.flags & TCP_SYN) ? 1u : 0u);
        }
    }
    if (ev->kind == TRACE_DROP) {
        uint32_t end = ev->seg.seq + tcp_seg_seqlen(&ev->seg);
        if (tcp_seg_seqlen(&ev->seg) > 0 && sl->acked[1 - e] &&
            tcp_seq_geq(sl->max_ack[1 - e], end))
            violation(r, ev->conn, "a segment of the %s reported lost after the %s acknowledged it",
                      trace_ep_name((unsigned)e), trace_ep_name((unsigned)(1 - e)));
    }
    if (ev->kind == TRACE_SEND && (ev->seg.flags & TCP_SYN) && !(ev->seg.flags & TCP_ACK) &&
        tcp_obs_is_retransmission(ev->seg.tags))
        r->syn_retrans++;
}

int kc_replay(const char *pcap, kc_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    memset(slots, 0, sizeof slots);
    cap_source *src = NULL;
    if (cap_source_open_file(&src, pcap, err, errlen) < 0)
        return -1;
    static cap_replay r;
    cap_replay_opts o;
    cap_replay_opts_default(&o);
    if (cap_replay_init(&r, &o, (trace_sink){on_event, out}, on_conn, out) < 0) {
        cap_source_close(src);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (;;) {
        cap_frame f;
        int n = cap_source_next(src, &f, err, errlen);
        if (n == CAP_NEXT_EOF)
            break;
        if (n < 0) {
            rc = -1;
            break;
        }
        cap_replay_frame(&r, f.linktype, &f);
    }
    cap_replay_finish(&r);
    out->packets = r.stats.packets;
    cap_replay_free(&r);
    cap_source_close(src);
    qsort(out->tw, (size_t)out->n_tw, sizeof out->tw[0], cmp_str);
    return rc;
}

int kc_nstat(const char *path, const char *name, uint64_t *v)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256], key[128];
    unsigned long long val;
    int rc = -1;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%127s %llu", key, &val) == 2 && strcmp(key, name) == 0) {
            *v = val;
            rc = 0;
            break;
        }
    }
    fclose(f);
    return rc;
}

int kc_ss_time_wait(const char *path, char out[][64], int max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int n = 0;
    bool header = true;
    while (fgets(line, sizeof line, f)) {
        if (header) { /* "Recv-Q Send-Q Local Address:Port Peer Address:Port Process" */
            header = false;
            continue;
        }
        char rq[32], sq[32], local[64], peer[64];
        if (sscanf(line, "%31s %31s %63s %63s", rq, sq, local, peer) == 4 && n < max)
            snprintf(out[n++], 64, "%s", local);
    }
    fclose(f);
    qsort(out, (size_t)n, sizeof out[0], cmp_str);
    return n;
}

static size_t say(char *buf, size_t size, size_t used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static size_t say(char *buf, size_t size, size_t used, const char *fmt, ...)
{
    if (used >= size)
        return used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    return n < 0 ? used : (used + (size_t)n >= size ? size - 1 : used + (size_t)n);
}

int kc_compare(const kc_result *r, const char *nstat, const char *ss, char *report, size_t size)
{
    int bad = 0;
    size_t u = 0;
    report[0] = '\0';
    static const struct {
        const char *counter;
        size_t off;
    } checks[] = {
        {"TcpRetransSegs", offsetof(kc_result, retrans)},
        {"TcpOutRsts", offsetof(kc_result, rst)},
        {"TcpExtTCPSynRetrans", offsetof(kc_result, syn_retrans)},
    };
    for (size_t k = 0; k < sizeof checks / sizeof checks[0]; k++) {
        uint64_t want = 0;
        uint64_t got = *(const uint64_t *)(const void *)((const char *)r + checks[k].off);
        if (kc_nstat(nstat, checks[k].counter, &want) < 0) {
            u = say(report, size, u, "MISSING %s in %s\n", checks[k].counter, nstat);
            bad++;
            continue;
        }
        u = say(report, size, u, "%s %s: kernel %llu, replay %llu\n", want == got ? "ok" : "BAD",
                checks[k].counter, (unsigned long long)want, (unsigned long long)got);
        bad += want != got;
    }
    char tw[KC_MAX_CONNS][64];
    int n = kc_ss_time_wait(ss, tw, KC_MAX_CONNS);
    if (n < 0) {
        u = say(report, size, u, "MISSING %s\n", ss);
        return bad + 1;
    }
    bool same = n == r->n_tw;
    for (int i = 0; same && i < n; i++)
        same = strcmp(tw[i], r->tw[i]) == 0;
    u = say(report, size, u, "%s TIME-WAIT: ss shows %d endpoint(s)%s%s, replay %d%s%s\n",
            same ? "ok" : "BAD", n, n ? ", first " : "", n ? tw[0] : "", r->n_tw,
            r->n_tw ? ", first " : "", r->n_tw ? r->tw[0] : "");
    bad += !same;
    (void)u;
    return bad;
}
