/*
 * rnd_model_multi.c - the model of several connections in one ladder diagram, one lifeline
 * (lane) per host.  Each connection is modelled alone by rnd_model_build (its tags, times and
 * states are its own), on a view of the whole trace whose metadata is made about it
 * (trace_buf_select: addresses and ISNs), so every event still points into the one trace; then
 * the segments and events are merged in trace and time order, each marked with its connection.
 *
 * Lanes are the hosts, told apart by IP address (or, when a connection runs within one host, as
 * on loopback, the servers by address and port): the clients' first, in the order of their
 * connections, then the servers'; a lane is headed by the host's name when a socket call names it
 * (a scenario with hosts), else by its role.  The socket calls of those hosts that belong to no
 * connection (socket, bind, listen, accept on a listener) are drawn on their host's lane.  RTT
 * samples and cwnd changes are left out: with several connections they would bury the picture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd_model.h"

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s", msg);
}

/* "192.0.2.11" of "192.0.2.11:32768", "2001:db8::1" of "[2001:db8::1]:443". */
static void host_of(const char *addr, char *out, size_t size)
{
    const char *colon = strrchr(addr, ':');
    size_t n = colon ? (size_t)(colon - addr) : strlen(addr);
    if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']') {
        addr++;
        n -= 2;
    }
    if (n >= size)
        n = size - 1;
    memcpy(out, addr, n);
    out[n] = '\0';
}

typedef struct lane_info {
    char ip[64];
    char name[16]; /* a host's name from its socket calls, or "" */
    bool role[2];  /* it is the client (server) of some connection */
} lane_info;

static int lane_of(lane_info *ln, uint8_t *n, const char *ip, int role)
{
    for (uint8_t i = 0; i < *n; i++)
        if (strcmp(ln[i].ip, ip) == 0) {
            ln[i].role[role] = true;
            return i;
        }
    if (*n >= RND_LANES_MAX)
        return -1;
    memset(&ln[*n], 0, sizeof ln[*n]);
    snprintf(ln[*n].ip, sizeof ln[*n].ip, "%s", ip);
    ln[*n].role[role] = true;
    return (*n)++;
}

/* Merge order: by time on the diagram, then by place in the trace (a model's own notes right
 * after the event they follow), then by connection. */
typedef struct mkey {
    int64_t t;
    size_t pos;
    uint8_t own; /* 1 for a note the model added */
    uint8_t sub;
    size_t i; /* index in its submodel (or in the host events) */
} mkey;

static int cmp_key(const void *a, const void *b)
{
    const mkey *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    if (x->own != y->own)
        return x->own < y->own ? -1 : 1;
    return x->sub < y->sub ? -1 : x->sub > y->sub;
}

static int cmp_seg(const void *a, const void *b)
{
    const rnd_mseg *x = a, *y = b;
    return x->ev_send < y->ev_send ? -1 : x->ev_send > y->ev_send;
}

typedef struct mwork {
    rnd_model sub[RND_CONNS_MAX];
    size_t nsub;
    lane_info lanes[RND_LANES_MAX];
    uint8_t nlanes;
    size_t *seg_new[RND_CONNS_MAX]; /* merged index of each submodel segment */
} mwork;

/* The lanes of every connection, and the hosts' names from their socket calls. */
static int make_lanes(rnd_model *m, mwork *w, const trace_buf *tr, char *err, size_t errlen)
{
    char ip[64], other[64];
    bool by_port = false; /* a connection within one host (loopback): servers by address:port */
    for (size_t c = 0; c < w->nsub; c++) {
        host_of(w->sub[c].addr[0], ip, sizeof ip);
        host_of(w->sub[c].addr[1], other, sizeof other);
        by_port = by_port || strcmp(ip, other) == 0;
    }
    for (int role = 0; role < 2; role++)
        for (size_t c = 0; c < w->nsub; c++) {
            int l;
            if (role == 1 && by_port)
                snprintf(ip, sizeof ip, "%s", w->sub[c].addr[1]);
            else
                host_of(w->sub[c].addr[role], ip, sizeof ip);
            l = lane_of(w->lanes, &w->nlanes, ip, role);
            if (l < 0) {
                snprintf(err, errlen, "too many hosts for one diagram (at most %d)", RND_LANES_MAX);
                return RND_EREQUEST;
            }
            m->conns[c].lane[role] = (uint8_t)l;
        }
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        if (e->kind != TRACE_APP || !e->u.app.has_ret || e->u.app.host[0] == '\0')
            continue;
        for (size_t c = 0; c < w->nsub; c++) {
            lane_info *ln = &w->lanes[m->conns[c].lane[e->ep & 1]];
            if (e->conn == m->conns[c].conn && ln->name[0] == '\0')
                snprintf(ln->name, sizeof ln->name, "%.15s", e->u.app.host);
        }
    }
    if (w->nlanes < 2) {
        snprintf(err, errlen, "the connections have one host: nothing to draw between");
        return RND_EREQUEST;
    }
    m->nlanes = w->nlanes;
    for (uint8_t l = 0; l < w->nlanes; l++) {
        const lane_info *ln = &w->lanes[l];
        snprintf(m->head[l], sizeof m->head[l], "%s",
                 ln->name[0]                  ? ln->name
                 : ln->role[0] && ln->role[1] ? "host"
                 : ln->role[0]                ? "client"
                                              : "server");
        snprintf(m->addr[l], sizeof m->addr[l], "%s", ln->ip);
    }
    /* each connection's place among those sharing a lane (their timer brackets' tracks) */
    for (size_t c = 0; c < w->nsub; c++)
        for (int ep = 0; ep < 2; ep++) {
            uint8_t t = 0;
            for (size_t d = 0; d < c; d++)
                for (int q = 0; q < 2; q++)
                    if (m->conns[d].lane[q] == m->conns[c].lane[ep])
                        t++;
            m->conns[c].track[ep] = t;
        }
    return 0;
}

/* The lane of a host's socket call outside any connection: the lane its name heads, or -1. */
static int host_lane(const mwork *w, const trace_event *e)
{
    if (e->conn != 0 || e->kind != TRACE_APP || !e->u.app.has_ret || e->u.app.host[0] == '\0')
        return -1;
    for (uint8_t l = 0; l < w->nlanes; l++)
        if (strncmp(w->lanes[l].name, e->u.app.host, sizeof w->lanes[l].name) == 0)
            return l;
    return -1;
}

static bool left_out(const trace_event *e)
{
    return e->kind == TRACE_RTT || e->kind == TRACE_CWND;
}

/* Segments: all of them, in trace order. */
static int merge_segs(rnd_model *m, mwork *w)
{
    size_t n = 0, k = 0;
    for (size_t c = 0; c < w->nsub; c++)
        n += w->sub[c].nseg;
    m->seg = malloc((n ? n : 1) * sizeof *m->seg);
    if (m->seg == NULL)
        return -1;
    for (size_t c = 0; c < w->nsub; c++)
        for (size_t j = 0; j < w->sub[c].nseg; j++) {
            m->seg[k] = w->sub[c].seg[j];
            m->seg[k].ci = (uint8_t)c;
            m->seg[k].tag[sizeof m->seg[k].tag - 1] = '\0';
            k++;
        }
    m->nseg = n;
    qsort(m->seg, n, sizeof *m->seg, cmp_seg);
    for (size_t c = 0; c < w->nsub; c++) {
        w->seg_new[c] = malloc((w->sub[c].nseg ? w->sub[c].nseg : 1) * sizeof(size_t));
        if (w->seg_new[c] == NULL)
            return -1;
    }
    {
        /* a connection's segments are in trace order in its model, and stay so: the k-th of
         * connection c in the merged order is its k-th */
        size_t next[RND_CONNS_MAX] = {0};
        for (size_t j = 0; j < n; j++) {
            uint8_t c = m->seg[j].ci;
            w->seg_new[c][next[c]++] = j;
        }
    }
    return 0;
}

/* Events: the connections' and the hosts' own calls, in time order. */
static int merge_events(rnd_model *m, mwork *w, const trace_buf *tr, const rnd_options *opts)
{
    size_t n = 0, nown = 0, k = 0;
    mkey *key;
    for (size_t c = 0; c < w->nsub; c++) {
        n += w->sub[c].nev;
        nown += w->sub[c].nown;
    }
    for (size_t i = 0; i < tr->n; i++)
        n += host_lane(w, &tr->ev[i]) >= 0;
    key = malloc((n ? n : 1) * sizeof *key);
    m->ev = malloc((n ? n : 1) * sizeof *m->ev);
    m->ev_t = malloc((n ? n : 1) * sizeof *m->ev_t);
    m->ev_flags = malloc(n ? n : 1);
    m->ev_seg = malloc((n ? n : 1) * sizeof *m->ev_seg);
    m->ev_ci = malloc(n ? n : 1);
    m->ev_lane = malloc(n ? n : 1);
    m->own = calloc(nown ? nown : 1, sizeof *m->own);
    m->own_after = calloc(nown ? nown : 1, sizeof *m->own_after);
    if (key == NULL || m->ev == NULL || m->ev_t == NULL || m->ev_flags == NULL ||
        m->ev_seg == NULL || m->ev_ci == NULL || m->ev_lane == NULL || m->own == NULL ||
        m->own_after == NULL) {
        free(key);
        return -1;
    }
    for (size_t c = 0; c < w->nsub; c++) {
        const rnd_model *s = &w->sub[c];
        for (size_t i = 0; i < s->nev; i++) {
            const trace_event *e = s->ev[i];
            size_t pos = rnd_model_ev_index(s, e);
            uint8_t own = 0;
            if (left_out(e))
                continue;
            if (pos == SIZE_MAX) { /* a note of the submodel: after the event it follows */
                size_t q = (size_t)(e - s->own);
                pos = q < s->nown ? s->own_after[q] : 0;
                own = 1;
            }
            key[k++] = (mkey){s->ev_t[i], pos, own, (uint8_t)c, i};
        }
    }
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        if (host_lane(w, e) < 0 || e->t < opts->from_us || e->t > opts->to_us)
            continue;
        key[k++] = (mkey){(int64_t)e->t, i, 0, RND_CI_NONE, i};
    }
    qsort(key, k, sizeof *key, cmp_key);
    m->nev = 0;
    for (size_t j = 0; j < k; j++) {
        const mkey *q = &key[j];
        size_t at = m->nev++;
        if (q->sub == RND_CI_NONE) {
            const trace_event *e = &tr->ev[q->i];
            m->ev[at] = e;
            m->ev_t[at] = (int64_t)e->t;
            m->ev_flags[at] = 0;
            m->ev_seg[at] = SIZE_MAX;
            m->ev_ci[at] = RND_CI_NONE;
            m->ev_lane[at] = (uint8_t)host_lane(w, e);
            m->t_first = m->ev_t[at] < m->t_first ? m->ev_t[at] : m->t_first;
            m->t_last = m->ev_t[at] > m->t_last ? m->ev_t[at] : m->t_last;
            continue;
        }
        const rnd_model *s = &w->sub[q->sub];
        const trace_event *e = s->ev[q->i];
        if (q->own) { /* copied: the submodel goes */
            size_t o = (size_t)(e - s->own);
            m->own[m->nown] = *e;
            m->own_after[m->nown] = s->own_after[o];
            e = &m->own[m->nown++];
        }
        m->ev[at] = e;
        m->ev_t[at] = s->ev_t[q->i];
        m->ev_flags[at] = s->ev_flags[q->i];
        m->ev_seg[at] = s->ev_seg[q->i] < s->nseg ? w->seg_new[q->sub][s->ev_seg[q->i]] : SIZE_MAX;
        m->ev_ci[at] = q->sub;
        m->ev_lane[at] = m->conns[q->sub].lane[e->ep & 1];
    }
    free(key);
    return 0;
}

static void merge_words(rnd_model *m, const mwork *w, const trace_buf *tr, const rnd_options *o)
{
    const rnd_model *s0 = &w->sub[0];
    size_t len;
    if (m->capture && o->title == NULL) {
        snprintf(m->title, sizeof m->title, "%s, connections",
                 tr->meta.title[0] ? tr->meta.title : "TCP connection");
        for (size_t c = 0; c < w->nsub; c++) {
            len = strlen(m->title);
            snprintf(m->title + len, sizeof m->title - len, "%s %lu", c ? "," : "",
                     (unsigned long)m->conns[c].conn);
        }
    } else {
        snprintf(m->title, sizeof m->title, "%s", s0->title);
    }
    snprintf(m->subtitle, sizeof m->subtitle, "%s", s0->subtitle);
    len = strlen(m->subtitle);
    snprintf(m->subtitle + len, sizeof m->subtitle - len, ", %zu connections", w->nsub);
    snprintf(m->footnote, sizeof m->footnote, "%s", s0->footnote);
}

int rnd_model_build_multi(rnd_model *m, const trace_buf *tr, const uint32_t *conns, size_t n,
                          const rnd_options *opts, char *err, size_t errlen)
{
    static mwork w; /* large: off the stack (one diagram at a time) */
    rnd_options def;
    bool ranged;
    int rc = RND_ERUNTIME;
    memset(m, 0, sizeof *m);
    memset(&w, 0, sizeof w);
    m->init_state[0] = m->init_state[1] = -1;
    if (opts == NULL) {
        rnd_options_default(&def);
        opts = &def;
    }
    if (n == 0 || n > RND_CONNS_MAX) {
        snprintf(err, errlen, "a diagram draws 1 to %d connections, not %zu", RND_CONNS_MAX, n);
        return RND_EREQUEST;
    }
    ranged = opts->from_us > 0 || opts->to_us != RND_ALL || opts->from_pkt > 0 ||
             opts->to_pkt != RND_ALL;
    for (size_t c = 0; c < n; c++) {
        trace_buf one, view = *tr;
        rnd_options o = *opts;
        uint32_t got = trace_buf_select(tr, conns[c], &one);
        view.meta = one.meta;
        trace_buf_free(&one);
        if (got == 0 || got != conns[c]) {
            snprintf(err, errlen, "nothing to draw: the trace has no connection %lu",
                     (unsigned long)conns[c]);
            rc = RND_EREQUEST;
            goto out;
        }
        for (size_t d = 0; d < c; d++)
            if (conns[d] == conns[c]) {
                snprintf(err, errlen, "connection %lu is listed twice", (unsigned long)conns[c]);
                rc = RND_EREQUEST;
                goto out;
            }
        o.conn = conns[c];
        o.show_cwnd = false;
        rc = rnd_model_build(&w.sub[w.nsub], &view, &o, err, errlen);
        if (rc == RND_EREQUEST && ranged && (c + 1 < n || w.nsub > 0))
            continue; /* nothing of it in the range: the others are drawn */
        if (rc != 0)
            goto out;
        m->conns[w.nsub].conn = conns[c];
        for (int ep = 0; ep < 2; ep++) {
            m->conns[w.nsub].init_state[ep] = w.sub[w.nsub].init_state[ep];
            m->conns[w.nsub].init_assumed[ep] = w.sub[w.nsub].init_assumed[ep];
            snprintf(m->conns[w.nsub].addr[ep], sizeof m->conns[w.nsub].addr[ep], "%s",
                     w.sub[w.nsub].addr[ep]);
        }
        w.nsub++;
    }
    m->nconns = w.nsub;
    rc = make_lanes(m, &w, tr, err, errlen);
    if (rc != 0)
        goto out;
    rc = RND_ERUNTIME;
    m->base = tr->ev;
    m->nbase = tr->n;
    m->conn = conns[0];
    m->capture = w.sub[0].capture;
    m->relative = w.sub[0].relative;
    m->one_way = w.sub[0].one_way;
    m->t_first = INT64_MAX;
    m->t_last = INT64_MIN;
    for (size_t c = 0; c < w.nsub; c++) {
        const rnd_model *s = &w.sub[c];
        m->estimated = m->estimated || s->estimated;
        m->partial = m->partial || s->partial;
        m->shortened = m->shortened || s->shortened;
        m->omitted += s->omitted;
        m->ndupframes += s->ndupframes;
        m->t_first = s->t_first < m->t_first ? s->t_first : m->t_first;
        m->t_last = s->t_last > m->t_last ? s->t_last : m->t_last;
    }
    if (merge_segs(m, &w) != 0 || merge_events(m, &w, tr, opts) != 0) {
        set_err(err, errlen, "out of memory");
        goto out;
    }
    merge_words(m, &w, tr, opts);
    /* the event numbers of the layout JSON (a capture's, without the replay's recv events): each
     * connection's model numbered the whole trace alike */
    for (size_t c = 0; c < w.nsub && m->jline == NULL; c++) {
        m->jline = w.sub[c].jline;
        w.sub[c].jline = NULL;
    }
    rc = 0;
out:
    for (size_t c = 0; c < RND_CONNS_MAX; c++) {
        free(w.seg_new[c]);
        w.seg_new[c] = NULL;
    }
    for (size_t c = 0; c < w.nsub; c++)
        rnd_model_free(&w.sub[c]);
    if (rc != 0)
        rnd_model_free(m);
    return rc;
}
