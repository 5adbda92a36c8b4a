/*
 * rnd_model.c - selects one connection and a time or packet range of a trace and pairs each sent
 * segment with its arrival(s) or loss, the way the ladder diagram wants to see it.
 *
 * Simulator traces say everything: a TRACE_SEND, then a TRACE_RECV at the arrival time (two if the
 * link duplicated it) or a TRACE_DROP.  Capture traces only say when a packet passed the capture
 * point, so both ends' times are estimated from the one-way delay and the vantage point, and the
 * footnote says so.  The tags printed under a label ("RTO retransmission, RTO 1.0 s", "dup ACK 2")
 * are worked out here, from the whole connection, so a range that starts late still knows the RTO
 * in force.  Segment ids are matched through a small open-addressing table.
 */
#include "rnd_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd_text.h"
#include "tcp_seg.h"
#include "tcp_state.h"

/* ---------------------------------------------------------------- id -> segment index table */

typedef struct idmap {
    uint64_t *key;
    size_t *val;
    size_t cap; /* power of two, 0 = no table */
} idmap;

static int idmap_init(idmap *m, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n + 1)
        cap *= 2;
    m->key = malloc(cap * sizeof *m->key);
    m->val = malloc(cap * sizeof *m->val);
    m->cap = cap;
    if (m->key == NULL || m->val == NULL)
        return -1;
    for (size_t i = 0; i < cap; i++)
        m->val[i] = SIZE_MAX;
    return 0;
}

static size_t idmap_slot(const idmap *m, uint64_t id)
{
    uint64_t h = id * 0x9e3779b97f4a7c15ull;
    size_t i = (size_t)(h >> 20) & (m->cap - 1);
    while (m->val[i] != SIZE_MAX && m->key[i] != id)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void idmap_put(idmap *m, uint64_t id, size_t v)
{
    size_t i = idmap_slot(m, id);
    m->key[i] = id;
    m->val[i] = v;
}

static size_t idmap_get(const idmap *m, uint64_t id)
{
    return m->val[idmap_slot(m, id)];
}

static void idmap_free(idmap *m)
{
    free(m->key);
    free(m->val);
}

/* ---------------------------------------------------------------- helpers */

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s", msg);
}

static void append(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n > 0 && n + 2 < size) {
        memcpy(buf + n, ", ", 3);
        n += 2;
    }
    if (n < size)
        snprintf(buf + n, size - n, "%s", s);
}

uint32_t rnd_first_conn(const trace_buf *tr)
{
    for (size_t i = 0; i < tr->n; i++)
        if (tr->ev[i].kind == TRACE_SEND)
            return tr->ev[i].conn;
    return tr->n > 0 ? tr->ev[0].conn : 0;
}

/* Per-endpoint facts gathered while walking the connection in order. */
typedef struct ep_track {
    bool rto_seen;
    bool rto_last_fire; /* the most recent RTO event was a fire */
    uint64_t rto_arm, rto_fire;
    unsigned dupacks;
    uint32_t dup_ack_no;
    int state; /* -1 = not known yet */
} ep_track;

static void seg_tags(rnd_mseg *s, const ep_track *tk, uint32_t peer_isn, bool relative)
{
    uint32_t tags = s->seg.tags;
    char dur[24], tmp[64];
    s->tag[0] = '\0';
    if (s->seg.len > 0 || (s->seg.flags & (TCP_SYN | TCP_FIN)))
        s->style = RND_ARROW_DATA;
    else
        s->style = RND_ARROW_ACK;
    if (s->seg.flags & TCP_RST)
        s->style = RND_ARROW_RST;
    if (tags & TCP_TAG_ZERO_WINDOW_PROBE) {
        s->style = RND_ARROW_ZWIN;
        append(s->tag, sizeof s->tag, "zero-window probe");
    }
    if (tags & TCP_TAG_ZERO_WINDOW) {
        s->style = RND_ARROW_ZWIN;
        append(s->tag, sizeof s->tag, "zero window");
    }
    if (tags & TCP_TAG_DUP_ACK) {
        s->style = RND_ARROW_DUPACK;
        snprintf(tmp, sizeof tmp, "dup ACK %u", tk->dupacks);
        append(s->tag, sizeof s->tag, tmp);
    }
    if (tags & TCP_TAG_FAST_RETRANSMISSION) {
        s->style = RND_ARROW_RETX;
        append(s->tag, sizeof s->tag, "fast retransmission");
    } else if (tags & TCP_TAG_RETRANSMISSION) {
        s->style = RND_ARROW_RETX;
        if (tk->rto_seen) {
            uint64_t rto = tk->rto_last_fire ? tk->rto_fire : tk->rto_arm;
            snprintf(tmp, sizeof tmp, "RTO retransmission, RTO %s",
                     rnd_fmt_duration(rto, dur, sizeof dur));
            append(s->tag, sizeof s->tag, tmp);
        } else {
            append(s->tag, sizeof s->tag, "retransmission");
        }
    }
    if (tags & TCP_TAG_SPURIOUS)
        append(s->tag, sizeof s->tag, "spurious");
    if (tags & TCP_TAG_WINDOW_UPDATE)
        append(s->tag, sizeof s->tag, "window update");
    if (tags & TCP_TAG_KEEP_ALIVE)
        append(s->tag, sizeof s->tag, "keep-alive");
    if (tags & TCP_TAG_CHALLENGE_ACK)
        append(s->tag, sizeof s->tag, "challenge ACK");
    if (tags & TCP_TAG_OUT_OF_ORDER)
        append(s->tag, sizeof s->tag, "out of order");
    if (tags & TCP_TAG_PREV_NOT_SEEN)
        append(s->tag, sizeof s->tag, "previous segment not captured");
    for (unsigned k = 0; k < s->seg.nsack && k < TCP_MAX_SACK; k++) {
        uint32_t l = s->seg.sack[k].left, r = s->seg.sack[k].right;
        if (relative) {
            l -= peer_isn;
            r -= peer_isn;
        }
        snprintf(tmp, sizeof tmp, "SACK %lu-%lu", (unsigned long)l, (unsigned long)r);
        append(s->tag, sizeof s->tag, tmp);
    }
}

/* ---------------------------------------------------------------- the model */

void rnd_model_free(rnd_model *m)
{
    free(m->seg);
    free(m->ev);
    free(m->ev_t);
    m->seg = NULL;
    m->ev = NULL;
    m->ev_t = NULL;
    m->nseg = m->nev = 0;
}

/* A capture records an endpoint's state change at the capture time of the packet that caused it.
 * On the diagram it belongs where that packet left (sent by the endpoint) or arrived (sent by the
 * peer), so it moves with the packet captured at the same instant; other events stay put. */
static int64_t event_time(const rnd_model *m, const trace_event *e)
{
    size_t lo = 0, hi = m->nseg;
    if (!m->capture)
        return (int64_t)e->t;
    while (lo < hi) { /* segments are in capture order */
        size_t mid = (lo + hi) / 2;
        if (m->seg[mid].t_cap < (int64_t)e->t)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < m->nseg && m->seg[k].t_cap == (int64_t)e->t; k++) {
        const rnd_mseg *s = &m->seg[k];
        if (s->ep == e->ep)
            return s->t_send;
        if (s->n_arr > 0)
            return s->t_arr[0];
        return s->t_lost;
    }
    return (int64_t)e->t;
}

static bool in_u64(uint64_t v, uint64_t lo, uint64_t hi)
{
    return v >= lo && v <= hi;
}

int rnd_model_build(rnd_model *m, const trace_buf *tr, const rnd_options *opts, char *err,
                    size_t errlen)
{
    rnd_options def;
    const trace_meta *meta = &tr->meta;
    idmap map = {0};
    ep_track tk[2];
    bool isn_set[2] = {false, false};
    uint32_t isn[2] = {0, 0};
    bool pkt_range, any_before = false;
    uint64_t wfrom, wto;
    size_t nconn = 0;
    int rc = 0;

    memset(m, 0, sizeof *m);
    m->init_state[0] = m->init_state[1] = -1;
    if (opts == NULL) {
        rnd_options_default(&def);
        opts = &def;
    }
    m->conn = opts->conn == RND_CONN_FIRST ? rnd_first_conn(tr) : opts->conn;
    m->capture = meta->capture;
    m->one_way = meta->one_way;
    m->relative = opts->seq == RND_SEQ_RELATIVE || (opts->seq == RND_SEQ_AUTO && meta->capture);
    pkt_range = opts->from_pkt > 0 || opts->to_pkt != RND_ALL;

    /* first pass: count, and find each side's ISN (for relative numbers) */
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        if (e->conn != m->conn)
            continue;
        nconn++;
        if (e->kind == TRACE_SEND && e->ep < 2 && !isn_set[e->ep]) {
            if (meta->isn_known[e->ep]) {
                isn[e->ep] = meta->isn[e->ep];
                isn_set[e->ep] = true;
            } else if (e->seg.flags & TCP_SYN) {
                isn[e->ep] = e->seg.seq;
                isn_set[e->ep] = true;
            }
        }
    }
    /* without a SYN, count from the first sequence number seen (capture started late) */
    for (size_t i = 0; i < tr->n && !(isn_set[0] && isn_set[1]); i++) {
        const trace_event *e = &tr->ev[i];
        if (e->conn == m->conn && e->kind == TRACE_SEND && e->ep < 2 && !isn_set[e->ep]) {
            isn[e->ep] = e->seg.seq - 1;
            isn_set[e->ep] = true;
        }
    }
    if (nconn == 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "nothing to draw: the trace has no connection %lu",
                 (unsigned long)m->conn);
        set_err(err, errlen, msg);
        return RND_EREQUEST;
    }

    m->seg = malloc(nconn * sizeof *m->seg);
    m->ev = malloc(nconn * sizeof *m->ev);
    m->ev_t = malloc(nconn * sizeof *m->ev_t);
    if (m->seg == NULL || m->ev == NULL || m->ev_t == NULL || idmap_init(&map, nconn) != 0) {
        set_err(err, errlen, "out of memory");
        rc = RND_ERUNTIME;
        goto out;
    }
    memset(tk, 0, sizeof tk);
    tk[0].state = tk[1].state = -1;

    /* second pass: segments of the selection, and what the tags need from the whole trace */
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        uint8_t ep = e->ep < 2 ? e->ep : 0;
        if (e->conn != m->conn)
            continue;
        switch (e->kind) {
        case TRACE_SEND: {
            ep_track *t = &tk[ep];
            if (e->seg.tags & TCP_TAG_DUP_ACK) {
                if (t->dupacks == 0 || e->seg.ack != t->dup_ack_no)
                    t->dupacks = 0;
                t->dupacks++;
                t->dup_ack_no = e->seg.ack;
            } else if (e->seg.flags & TCP_ACK) {
                t->dupacks = 0;
            }
            if (!in_u64(e->t, opts->from_us, opts->to_us) ||
                !in_u64(e->id, opts->from_pkt, opts->to_pkt)) {
                if (e->t < opts->from_us || e->id < opts->from_pkt)
                    any_before = true;
                break;
            }
            rnd_mseg *s = &m->seg[m->nseg];
            memset(s, 0, sizeof *s);
            s->id = e->id;
            s->ep = ep;
            s->seg = e->seg;
            s->t_send = (int64_t)e->t;
            s->t_cap = (int64_t)e->t;
            s->dseq = m->relative ? e->seg.seq - isn[ep] : e->seg.seq;
            s->dack = m->relative ? e->seg.ack - isn[1 - ep] : e->seg.ack;
            seg_tags(s, t, isn[1 - ep], m->relative);
            idmap_put(&map, e->id, m->nseg);
            m->nseg++;
            break;
        }
        case TRACE_RECV: {
            size_t k = idmap_get(&map, e->id);
            if (k != SIZE_MAX && m->seg[k].n_arr < 2)
                m->seg[k].t_arr[m->seg[k].n_arr++] = (int64_t)e->t;
            break;
        }
        case TRACE_DROP: {
            size_t k = idmap_get(&map, e->id);
            if (k != SIZE_MAX)
                m->seg[k].lost = true;
            break;
        }
        case TRACE_TIMER:
            if (e->u.timer.timer == TCP_TIMER_RTO) {
                if (e->u.timer.action == TRACE_TIMER_ARM) {
                    tk[ep].rto_seen = true;
                    tk[ep].rto_last_fire = false;
                    tk[ep].rto_arm = e->u.timer.duration;
                } else if (e->u.timer.action == TRACE_TIMER_FIRE) {
                    tk[ep].rto_seen = true;
                    tk[ep].rto_last_fire = true;
                    tk[ep].rto_fire = e->u.timer.duration;
                }
            }
            break;
        default:
            break;
        }
    }
    if (pkt_range && m->nseg == 0) {
        set_err(err, errlen, "nothing to draw: no packet of the connection in the packet range");
        rc = RND_EREQUEST;
        goto out;
    }

    /* times: the simulator's are exact; a capture's are estimated from the vantage point */
    for (size_t k = 0; k < m->nseg; k++) {
        rnd_mseg *s = &m->seg[k];
        if (m->capture) {
            int64_t t = s->t_send, ow = (int64_t)m->one_way;
            if (meta->vantage == s->ep) {
                s->t_send = t;
            } else if (meta->vantage == 1 - s->ep) {
                s->t_send = t - ow;
            } else {
                s->t_send = t - ow / 2;
            }
            s->t_arr[0] = s->t_send + ow;
            s->n_arr = s->lost ? 0 : 1;
        }
        s->t_lost = s->t_send + (int64_t)m->one_way;
    }

    /* window for the other events: the time range, narrowed to the packets if a packet range */
    wfrom = opts->from_us;
    wto = opts->to_us;
    if (pkt_range) {
        uint64_t lo = UINT64_MAX, hi = 0;
        for (size_t i = 0; i < tr->n; i++) {
            const trace_event *e = &tr->ev[i];
            if (e->conn == m->conn && e->kind == TRACE_SEND &&
                in_u64(e->id, opts->from_pkt, opts->to_pkt) &&
                in_u64(e->t, opts->from_us, opts->to_us)) {
                lo = e->t < lo ? e->t : lo;
                hi = e->t > hi ? e->t : hi;
            }
        }
        wfrom = lo > wfrom ? lo : wfrom;
        wto = hi < wto ? hi : wto;
    }
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        uint8_t ep = e->ep < 2 ? e->ep : 0;
        if (e->conn != m->conn)
            continue;
        if (e->t < wfrom) {
            any_before = true;
            if (e->kind == TRACE_STATE)
                tk[ep].state = e->u.state.to;
            continue;
        }
        if (e->t > wto)
            continue;
        if (e->kind == TRACE_STATE || e->kind == TRACE_TIMER || e->kind == TRACE_APP) {
            m->ev_t[m->nev] = event_time(m, e);
            m->ev[m->nev++] = e;
        }
    }
    if (m->nseg == 0 && m->nev == 0) {
        set_err(err, errlen, "nothing to draw: no event of the connection in the time range");
        rc = RND_EREQUEST;
        goto out;
    }
    m->partial = any_before;
    if (any_before) {
        m->init_state[0] = tk[0].state;
        m->init_state[1] = tk[1].state;
    }

    /* span */
    m->t_first = INT64_MAX;
    m->t_last = INT64_MIN;
    for (size_t k = 0; k < m->nseg; k++) {
        const rnd_mseg *s = &m->seg[k];
        int64_t lo = s->t_send, hi = s->lost ? s->t_lost : s->t_send;
        for (unsigned a = 0; a < s->n_arr; a++)
            hi = s->t_arr[a] > hi ? s->t_arr[a] : hi;
        m->t_first = lo < m->t_first ? lo : m->t_first;
        m->t_last = hi > m->t_last ? hi : m->t_last;
    }
    for (size_t k = 0; k < m->nev; k++) {
        int64_t t = m->ev_t[k];
        m->t_first = t < m->t_first ? t : m->t_first;
        m->t_last = t > m->t_last ? t : m->t_last;
    }

    /* words */
    {
        const char *title = opts->title != NULL ? opts->title
                            : meta->title[0]    ? meta->title
                                                : "TCP connection";
        char d[24];
        if (m->capture)
            snprintf(m->title, sizeof m->title, "%s, connection %lu", title,
                     (unsigned long)m->conn);
        else
            snprintf(m->title, sizeof m->title, "%s", title);
        if (m->one_way > 0)
            snprintf(m->subtitle, sizeof m->subtitle, "%s, one-way delay %s%s",
                     m->capture ? "capture" : "simulation", m->capture ? "\u2248 " : "",
                     rnd_fmt_duration(m->one_way, d, sizeof d));
        else
            snprintf(m->subtitle, sizeof m->subtitle, "%s", m->capture ? "capture" : "simulation");
        if (m->relative) {
            size_t n = strlen(m->subtitle);
            snprintf(m->subtitle + n, sizeof m->subtitle - n, ", relative sequence numbers");
        }
        for (int ep = 0; ep < 2; ep++) {
            snprintf(m->head[ep], sizeof m->head[ep], "%s", trace_ep_name((unsigned)ep));
            snprintf(m->addr[ep], sizeof m->addr[ep], "%s", meta->addr[ep]);
        }
        if (m->capture) {
            const char *near = meta->vantage == TRACE_CLIENT   ? "the client"
                               : meta->vantage == TRACE_SERVER ? "the server"
                                                               : NULL;
            m->estimated = true;
            if (near != NULL)
                snprintf(m->footnote, sizeof m->footnote,
                         "Captured near %s: times at %s are estimated from the one-way delay "
                         "(%s, from the handshake).",
                         near, meta->vantage == TRACE_CLIENT ? "the server" : "the client",
                         rnd_fmt_duration(m->one_way, d, sizeof d));
            else
                snprintf(m->footnote, sizeof m->footnote,
                         "Capture point unknown, taken as the middle of the path: send and "
                         "arrival times are estimated from the one-way delay (%s, from the "
                         "handshake).",
                         rnd_fmt_duration(m->one_way, d, sizeof d));
        }
    }
out:
    idmap_free(&map);
    if (rc != 0)
        rnd_model_free(m);
    return rc;
}
