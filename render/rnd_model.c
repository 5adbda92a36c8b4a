/*
 * rnd_model.c - selects one connection and a time or packet range of a trace and pairs each sent
 * segment with its arrival(s) or loss, the way the ladder diagram wants to see it.
 *
 * Simulator traces say everything: a TRACE_SEND, then a TRACE_RECV at the arrival time (two if the
 * link duplicated it) or a TRACE_DROP.  Capture traces only say when a packet passed the capture
 * point, so both ends' times are estimated from the one-way delay and the vantage point (never an
 * arrival after its receiver's answer), and the footnote says so; each state change goes with the
 * packet that caused it, the replay's corrections are followed (wrong inferred states left out),
 * and its assumptions become the states at the top.  The whole connection is analysed before the
 * range is cut, so a range that starts late still knows the RTO in force and the tags printed under
 * a label ("RTO retransmission, RTO 1.0 s", "dup ACK 2").  Segment ids are matched through a small
 * open-addressing table.
 */
#include "rnd_model.h"

#include <math.h>
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
    if (tags & TCP_TAG_DUPLICATE) { /* the replay says nothing else about it */
        s->style = RND_ARROW_DUPFRAME;
        snprintf(s->tag, sizeof s->tag, "duplicate frame");
        return;
    }
    if (s->seg.flags & TCP_SYN) { /* the options a SYN offers (RFC 9293 3.7.1, 7323, 2018) */
        char o[64] = "";
        if (s->seg.has_mss) {
            snprintf(tmp, sizeof tmp, "mss %u", (unsigned)s->seg.mss);
            append(o, sizeof o, tmp);
        }
        if (s->seg.has_wscale) {
            snprintf(tmp, sizeof tmp, "wscale %u", (unsigned)s->seg.wscale);
            append(o, sizeof o, tmp);
        }
        if (s->seg.sack_perm)
            append(o, sizeof o, "sackOK");
        if (s->seg.has_ts)
            append(o, sizeof o, "TS");
        if (o[0])
            append(s->tag, sizeof s->tag, o);
    }
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
    free(m->own);
    free(m->own_after);
    m->own = NULL;
    m->own_after = NULL;
    m->nown = 0;
    free(m->seg);
    free(m->ev);
    free(m->ev_t);
    free(m->ev_flags);
    free(m->ev_seg);
    free(m->jline);
    m->jline = NULL;
    free(m->ev_ci);
    free(m->ev_lane);
    m->ev_ci = m->ev_lane = NULL;
    m->ev_seg = NULL;
    m->seg = NULL;
    m->ev = NULL;
    m->ev_t = NULL;
    m->ev_flags = NULL;
    m->nseg = m->nev = 0;
}

#define RND_T_LIMIT ((int64_t)1 << 60)

static int64_t clamp_t(int64_t t)
{
    return t > RND_T_LIMIT ? RND_T_LIMIT : t < -RND_T_LIMIT ? -RND_T_LIMIT : t;
}

static bool in_u64(uint64_t v, uint64_t lo, uint64_t hi)
{
    return v >= lo && v <= hi;
}

/* A non-segment event of the connection and what the capture analysis decided about it. */
typedef struct xev {
    const trace_event *e;
    size_t seg;     /* captures: index (in all) of the segment that caused it, or SIZE_MAX */
    bool arrival;   /* caused by that segment's arrival (sent by the peer), not by sending it */
    bool omit;      /* a wrong inferred state: left out */
    bool corrected; /* a state the replay reached by a correction */
    bool assumed;   /* the replay's assumption about the state before the capture */
    size_t pos;     /* index in the trace */
} xev;

/* Working state of one build: every segment and event of the connection, before selection. */
typedef struct mctx {
    rnd_mseg *all;
    size_t *pos; /* index of each segment's send event in the trace */
    size_t nall;
    xev *xe;
    size_t nxe;
    bool traced;    /* a capture whose trace holds the replay's arrivals (recv events): each
                       event's capture time is its t_capture */
    bool as_traced; /* ...and its times are drawn as traced (the capture point is known) */
} mctx;

/* When the packet behind e was captured (a capture), or when e happened (a simulation).  A
 * capture's trace without arrivals comes with t set to the capture time (cli_pcap.c). */
static uint64_t ev_when(const mctx *x, const trace_event *e)
{
    return x->traced ? e->t_capture : e->t;
}

/* ---- capture analysis ----------------------------------------------------------------------
 *
 * A capture sees each packet once.  Where it was sent and where it arrived is estimated: the
 * packet has a one-way delay d, of which the fraction a (0 near the sender, 1 near the receiver,
 * 1/2 when the capture point is unknown) lies before the capture point.  Taking d as the
 * handshake's one-way delay for every packet can put an arrival after the receiver's answer to it
 * (on loopback, the "delay" of the handshake is mostly the endpoints' own processing), and the
 * diagram would show a reply leaving before what it replies to.  So each packet's delay is
 * shortened to half the time to the first later packet the other way that answers it (its ACK
 * covers the packet's sequence space; for the part after the capture point), and to half the time
 * since the latest earlier packet the other way that it answers (for the part before): then no
 * answer leaves before what it answers has arrived.  Packets that do not answer each other may
 * cross (issue 10: the rule holds for real answers only, not for every packet the other way). */
/* Whether packet r (the other way) acknowledges all of s's sequence space: r answers s. */
static bool answers(const rnd_mseg *r, const rnd_mseg *s)
{
    uint32_t len = tcp_seg_seqlen(&s->seg);
    return len > 0 && (r->seg.flags & TCP_ACK) && (int32_t)(r->seg.ack - (s->seg.seq + len)) >= 0;
}

static void capture_times(rnd_model *m, mctx *x, const trace_meta *meta)
{
    const double ow = (double)m->one_way;
    /* for each packet: the capture time of the first later packet the other way that answers it
     * (INT64_MAX if none), and of the latest earlier packet the other way it answers (INT64_MIN) */
    int64_t *next_t = malloc((x->nall ? x->nall : 1) * sizeof *next_t);
    int64_t *prev_t = malloc((x->nall ? x->nall : 1) * sizeof *prev_t);
    if (next_t != NULL && prev_t != NULL) {
        /* unanswered packets of each side, oldest first: an answer covers a prefix of them */
        size_t *open = malloc(2 * (x->nall ? x->nall : 1) * sizeof *open);
        size_t head[2] = {0, 0}, n[2] = {0, 0}, last[2] = {SIZE_MAX, SIZE_MAX};
        size_t *q[2] = {open, open ? open + (x->nall ? x->nall : 1) : NULL};
        for (size_t k = 0; k < x->nall; k++) {
            next_t[k] = INT64_MAX;
            prev_t[k] = INT64_MIN;
        }
        if (open != NULL) {
            for (size_t k = 0; k < x->nall; k++) {
                const rnd_mseg *r = &x->all[k];
                if (r->style == RND_ARROW_DUPFRAME) /* a second copy says nothing new */
                    continue;
                int o = 1 - r->ep;
                while (head[o] < n[o] && answers(r, &x->all[q[o][head[o]]])) {
                    size_t j = q[o][head[o]++];
                    next_t[j] = r->t_cap;
                    last[o] = j;
                }
                /* it answers the latest one answered so far too (a repeated ACK included) */
                if (last[o] != SIZE_MAX && answers(r, &x->all[last[o]]))
                    prev_t[k] = x->all[last[o]].t_cap;
                if (tcp_seg_seqlen(&r->seg) > 0)
                    q[r->ep][n[r->ep]++] = k;
            }
        }
        free(open);
    }
    for (size_t k = 0; k < x->nall; k++) {
        rnd_mseg *s = &x->all[k];
        double a = meta->vantage == s->ep ? 0.0 : meta->vantage == 1 - s->ep ? 1.0 : 0.5;
        double d = ow, t = (double)s->t_cap;
        if (next_t != NULL && prev_t != NULL) {
            if (a < 1.0 && next_t[k] != INT64_MAX)
                d = fmin(d, (double)(next_t[k] - s->t_cap) / 2.0 / (1.0 - a));
            if (a > 0.0 && prev_t[k] != INT64_MIN)
                d = fmin(d, (double)(s->t_cap - prev_t[k]) / 2.0 / a);
        }
        if (d < ow - 0.5)
            m->shortened = true;
        s->t_send = (int64_t)floor(t - a * d);
        s->t_arr[0] = (int64_t)floor(t + (1.0 - a) * d);
        if (s->t_arr[0] < s->t_send)
            s->t_arr[0] = s->t_send;
        s->n_arr = s->lost ? 0 : 1;
        s->t_lost = s->t_arr[0];
    }
    free(next_t);
    free(prev_t);
}

/* A capture whose trace holds the replay's arrivals: each packet leaves at the sender's t and
 * arrives at the recv event's t, the replay's own estimates (docs/replay.md).  Two things the
 * replay could not know when it wrote them are placed here: where a lost packet would have
 * arrived (one one-way delay after it left), and when the far end's packets captured before the
 * handshake placed the capture point left (the replay stamps them with their capture time, as
 * its times cannot go below the first packet's; they left one one-way delay earlier).  An arrival
 * the replay applied and later found wrong (the packet was lost after all) is not drawn. */
static void traced_times(rnd_model *m, mctx *x, const trace_meta *meta)
{
    for (size_t k = 0; k < x->nall; k++) {
        rnd_mseg *s = &x->all[k];
        if (meta->vantage == 1 - s->ep && s->t_send == s->t_cap && m->one_way > 0)
            s->t_send = s->t_cap - (int64_t)m->one_way;
        if (s->lost) {
            s->t_lost = s->n_arr > 0 ? s->t_arr[0] : s->t_send + (int64_t)m->one_way;
            s->n_arr = 0;
        } else if (s->n_arr == 0) { /* not applied (a second copy of a frame): at once */
            s->t_arr[0] = s->t_send;
            s->n_arr = s->style == RND_ARROW_DUPFRAME ? 0 : 1;
        }
        if (s->n_arr > 0 && s->t_arr[0] < s->t_send)
            s->t_arr[0] = s->t_send;
        if (!s->lost)
            s->t_lost = s->t_arr[0];
    }
}

/* The event numbers the layout JSON gives: a trace event's index among the events that are not
 * the replay's recv events (which the text and JSON traces leave out), SIZE_MAX for those. */
static int jlines(rnd_model *m, const trace_buf *tr)
{
    m->jline = malloc((tr->n ? tr->n : 1) * sizeof *m->jline);
    if (m->jline == NULL)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < tr->n; i++)
        m->jline[i] = tr->ev[i].kind == TRACE_RECV ? SIZE_MAX : n++;
    return 0;
}

/* Half the round trip of the handshake that completed: from the last SYN before the first
 * SYN,ACK to the ACK of that SYN,ACK, or 0 if the capture does not hold all three.  (A handshake
 * measured from a SYN that was lost would count the SYN's retransmission timeout as delay.) */
static uint64_t completed_handshake_one_way(const mctx *x)
{
    int64_t t_syn = -1, t_synack = -1;
    uint32_t synack_seq = 0;
    for (size_t k = 0; k < x->nall; k++) {
        const rnd_mseg *s = &x->all[k];
        uint8_t f = s->seg.flags;
        if (s->style == RND_ARROW_DUPFRAME)
            continue;
        if (t_synack < 0 && s->ep == TRACE_CLIENT && (f & TCP_SYN) && !(f & TCP_ACK)) {
            t_syn = s->t_cap;
        } else if (t_synack < 0 && t_syn >= 0 && s->ep == TRACE_SERVER && (f & TCP_SYN) &&
                   (f & TCP_ACK)) {
            t_synack = s->t_cap;
            synack_seq = s->seg.seq;
        } else if (t_synack >= 0 && s->ep == TRACE_CLIENT && !(f & TCP_SYN) && (f & TCP_ACK) &&
                   s->seg.ack == synack_seq + 1) {
            return (uint64_t)(s->t_cap - t_syn) / 2;
        }
    }
    return 0;
}

/* The first later segment of the same sender that carries the same sequence number and arrives:
 * the retransmission that stands in for a lost segment. */
static size_t retransmission_of(const mctx *x, size_t k)
{
    const rnd_mseg *s = &x->all[k];
    for (size_t j = k + 1; j < x->nall; j++) {
        const rnd_mseg *r = &x->all[j];
        if (r->ep == s->ep && r->seg.seq == s->seg.seq && tcp_seg_seqlen(&r->seg) > 0 &&
            (r->seg.flags & (TCP_SYN | TCP_FIN)) == (s->seg.flags & (TCP_SYN | TCP_FIN)) &&
            !r->lost && r->style != RND_ARROW_DUPFRAME)
            return j;
    }
    return SIZE_MAX;
}

/* Which segment each event belongs to.  The replay stamps an endpoint's state change with the
 * capture time of the packet that caused it, so an event goes with the packet captured at that
 * instant: the sender's own events where it was sent, the receiver's where it arrived.  A change
 * the receiver made on a packet that was lost really happened when the retransmission arrived. */
static void capture_attach(mctx *x)
{
    for (size_t i = 0; i < x->nxe; i++) {
        xev *v = &x->xe[i];
        size_t lo = 0, hi = x->nall;
        int64_t t = (int64_t)ev_when(x, v->e);
        v->seg = SIZE_MAX;
        while (lo < hi) { /* segments are in capture order */
            size_t mid = (lo + hi) / 2;
            if (x->all[mid].t_cap < t)
                lo = mid + 1;
            else
                hi = mid;
        }
        /* among packets captured in the same microsecond, the last one before the event in the
         * trace (the replay reports a packet, then what it caused), else the first */
        for (size_t k = lo; k < x->nall && x->all[k].t_cap == t; k++) {
            if (x->all[k].style == RND_ARROW_DUPFRAME)
                continue;
            if (v->seg == SIZE_MAX || x->pos[k] < v->pos)
                v->seg = k;
            if (x->pos[k] > v->pos)
                break;
        }
        if (v->seg == SIZE_MAX)
            continue;
        v->arrival = x->all[v->seg].ep != v->e->ep;
        if (v->arrival && x->all[v->seg].lost && v->e->kind == TRACE_STATE) {
            size_t r = retransmission_of(x, v->seg);
            if (r != SIZE_MAX)
                v->seg = r;
        }
    }
}

/* True if the replay's state event is its assumption about a state it never saw entered. */
static bool is_assumed(const trace_event *e)
{
    return e->kind == TRACE_STATE && e->u.state.from == TCP_CLOSED && !e->u.state.correction &&
           strncmp(e->text, "assumed", 7) == 0;
}

/* Removes one item of a ", "-separated tag list. */
static void strip_tag(char *tag, const char *item)
{
    size_t n = strlen(item), len = strlen(tag);
    for (char *p = tag; (p = strstr(p, item)) != NULL; p++) {
        bool start = p == tag || (p >= tag + 2 && p[-2] == ',' && p[-1] == ' ');
        bool end = p[n] == '\0' || p[n] == ',';
        if (!start || !end)
            continue;
        if (p[n] == ',') { /* "x, item, y" -> "x, y"; "item, y" -> "y" */
            memmove(p, p + n + 2, len - (size_t)(p - tag) - n - 1);
        } else if (p > tag) { /* "x, item" -> "x" */
            p[-2] = '\0';
        } else {
            *p = '\0';
        }
        return;
    }
}

/* State corrections.  The replay takes a packet seen going to an endpoint as received and moves
 * the endpoint's state on that hint; when the endpoint later shows that it never got the packet
 * (it sends its FIN again, its ACK number stays below a FIN), the replay reverts to the true state
 * with a correction event.  The diagram follows the corrected path: the states entered on the
 * wrong hint are left out, the packet whose arrival was wrongly assumed ends in a cross (the
 * replay reports it with a drop event), the correction itself is drawn as a marked state box, and
 * the retransmission that revealed it loses the capture's "spurious" tag (the packet that seemed
 * to make it spurious never arrived). */
static void capture_corrections(rnd_model *m, mctx *x)
{
    size_t *stack[2];
    size_t n[2] = {0, 0};
    stack[0] = malloc((x->nxe ? x->nxe : 1) * sizeof *stack[0]);
    stack[1] = malloc((x->nxe ? x->nxe : 1) * sizeof *stack[1]);
    if (stack[0] == NULL || stack[1] == NULL) {
        free(stack[0]);
        free(stack[1]);
        return;
    }
    for (size_t i = 0; i < x->nxe; i++) {
        xev *v = &x->xe[i];
        const trace_event *e = v->e;
        uint8_t ep = e->ep < 2 ? e->ep : 0;
        size_t first_wrong = SIZE_MAX;
        if (e->kind != TRACE_STATE)
            continue;
        if (!e->u.state.correction) {
            stack[ep][n[ep]++] = i;
            continue;
        }
        /* pop the states entered on a hint (an arrival) until the true state is on top */
        while (n[ep] > 0) {
            xev *top = &x->xe[stack[ep][n[ep] - 1]];
            if (top->e->u.state.to == e->u.state.to || !top->arrival || top->assumed)
                break;
            top->omit = true;
            m->omitted++;
            first_wrong = stack[ep][--n[ep]];
        }
        /* an assumption the correction contradicts ("nobody listened") goes as well */
        if (n[ep] > 0 && x->xe[stack[ep][n[ep] - 1]].assumed &&
            x->xe[stack[ep][n[ep] - 1]].e->u.state.to != e->u.state.to) {
            x->xe[stack[ep][--n[ep]]].omit = true;
            m->omitted++;
        }
        v->corrected = true;
        stack[ep][n[ep]++] = i;
        /* the packet whose arrival was wrongly assumed comes with its own drop event from the
         * replay (emitted when the loss became evident), so it is crossed out already */
        (void)first_wrong;
        if (v->seg != SIZE_MAX && !v->arrival && (x->all[v->seg].seg.tags & TCP_TAG_SPURIOUS)) {
            rnd_mseg *s = &x->all[v->seg];
            s->seg.tags &= ~(uint32_t)TCP_TAG_SPURIOUS;
            strip_tag(s->tag, "spurious");
        }
    }
    free(stack[0]);
    free(stack[1]);
}

/* A capture has no timer events, so a retransmission that was not fast says how long after the
 * first copy it was sent: for a timeout that is the RTO (or the tail loss probe's timer). */
static void capture_retx_tags(mctx *x, idmap *seqmap)
{
    for (size_t k = 0; k < x->nall; k++) {
        rnd_mseg *s = &x->all[k];
        uint64_t key = ((uint64_t)s->ep << 32) | s->seg.seq;
        size_t prev;
        if (tcp_seg_seqlen(&s->seg) == 0 || s->style == RND_ARROW_DUPFRAME)
            continue;
        prev = idmap_get(seqmap, key);
        if ((s->seg.tags & TCP_TAG_RETRANSMISSION) &&
            !(s->seg.tags & TCP_TAG_FAST_RETRANSMISSION) && prev != SIZE_MAX &&
            strncmp(s->tag, "retransmission", 14) == 0) {
            char d[24], tag[sizeof s->tag];
            size_t n;
            rnd_fmt_duration((uint64_t)(s->t_cap - x->all[prev].t_cap), d, sizeof d);
            n = (size_t)snprintf(tag, sizeof tag, "retransmission after %s", d);
            if (n + strlen(s->tag + 14) < sizeof tag) { /* the tags after it, if they fit */
                memcpy(tag + n, s->tag + 14, strlen(s->tag + 14) + 1);
                memcpy(s->tag, tag, sizeof tag);
            }
        }
        idmap_put(seqmap, key, k); /* the copy the next retransmission follows */
    }
}

/* The time of an event on the diagram: where its segment was sent or arrived (captures). */
static int64_t xev_time(const mctx *x, const xev *v)
{
    const rnd_mseg *s;
    if (v->seg == SIZE_MAX)
        return (int64_t)v->e->t;
    s = &x->all[v->seg];
    if (!v->arrival)
        return s->t_send; /* = its t (as traced), but for the far end before the handshake */
    if (x->as_traced)
        return (int64_t)v->e->t;
    return s->n_arr > 0 ? s->t_arr[0] : s->t_lost;
}

static void words(rnd_model *m, const trace_meta *meta, const rnd_options *opts)
{
    const char *title = opts->title != NULL ? opts->title
                        : meta->title[0]    ? meta->title
                                            : "TCP connection";
    char d[24];
    if (m->capture && opts->title == NULL)
        snprintf(m->title, sizeof m->title, "%s, connection %lu", title, (unsigned long)m->conn);
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
        size_t n;
        m->estimated = true;
        rnd_fmt_duration(m->one_way, d, sizeof d);
        if (m->one_way == 0)
            snprintf(m->footnote, sizeof m->footnote,
                     "No handshake in the capture, so the one-way delay is unknown: every packet "
                     "is drawn from its capture time, slanted only to be readable.");
        else if (near != NULL)
            snprintf(m->footnote, sizeof m->footnote,
                     "Captured near %s: times at %s are estimated from the one-way delay (%s, "
                     "from the handshake)",
                     near, meta->vantage == TRACE_CLIENT ? "the server" : "the client", d);
        else
            snprintf(m->footnote, sizeof m->footnote,
                     "Capture point unknown, taken as the middle of the path: send and arrival "
                     "times are estimated from the one-way delay (%s, from the handshake)",
                     d);
        n = strlen(m->footnote);
        if (m->one_way > 0)
            snprintf(m->footnote + n, sizeof m->footnote - n, "%s",
                     m->shortened ? ", shortened where the other side answered sooner." : ".");
    }
}

size_t rnd_model_ev_index(const rnd_model *m, const trace_event *e)
{
    if (m->base == NULL || e < m->base || e >= m->base + m->nbase)
        return SIZE_MAX;
    return (size_t)(e - m->base);
}

static bool rtt_at(const rnd_model *m, uint8_t ep, int64_t t)
{
    for (size_t i = 0; i < m->nev; i++)
        if (m->ev[i]->kind == TRACE_RTT && m->ev[i]->ep == ep && m->ev_t[i] == t)
            return true;
    return false;
}

/* Karn's rule (RFC 6298 section 3): the first ACK that covers a retransmitted segment gives no
 * RTT sample, since it cannot tell which copy it acknowledges.  Where a simulation's sender takes
 * none there, a note says so (with timestamps it may take one: then there is no note). */
static int karn_notes(rnd_model *m)
{
    size_t n = 0;
    for (size_t k = 0; k < m->nseg; k++)
        n += m->seg[k].style == RND_ARROW_RETX;
    if (n == 0)
        return 0;
    m->own = calloc(n, sizeof *m->own);
    m->own_after = calloc(n, sizeof *m->own_after);
    if (m->own == NULL || m->own_after == NULL)
        return -1;
    for (size_t k = 0; k < m->nseg; k++) {
        const rnd_mseg *r = &m->seg[k];
        if (r->style != RND_ARROW_RETX || tcp_seg_seqlen(&r->seg) == 0)
            continue;
        for (size_t j = k + 1; j < m->nseg; j++) {
            const rnd_mseg *a = &m->seg[j];
            trace_event *e;
            bool dup = false;
            if (a->ep == r->ep || a->n_arr == 0 || !(a->seg.flags & TCP_ACK) ||
                a->t_arr[0] < r->t_send || (int32_t)(a->seg.ack - r->seg.seq) <= 0)
                continue;
            if (rtt_at(m, r->ep, a->t_arr[0]))
                break;
            for (size_t q = 0; q < m->nown; q++)
                dup = dup || (m->own[q].ep == r->ep && (int64_t)m->own[q].t == a->t_arr[0]);
            if (dup)
                break;
            m->own_after[m->nown] = a->ev_arr[0];
            e = &m->own[m->nown++];
            e->t = (uint64_t)a->t_arr[0];
            e->conn = m->conn;
            e->ep = r->ep;
            e->kind = TRACE_NOTE;
            snprintf(e->text, sizeof e->text, "Karn: no RTT sample (it acks a retransmission)");
            m->ev_t[m->nev] = a->t_arr[0];
            m->ev_flags[m->nev] = 0;
            m->ev_seg[m->nev] = SIZE_MAX;
            m->ev[m->nev++] = e;
            break;
        }
    }
    return 0;
}

int rnd_model_build(rnd_model *m, const trace_buf *tr, const rnd_options *opts, char *err,
                    size_t errlen)
{
    rnd_options def;
    const trace_meta *meta = &tr->meta;
    idmap map = {0}, seqmap = {0};
    mctx x;
    ep_track tk[2];
    bool isn_set[2] = {false, false};
    uint32_t isn[2] = {0, 0};
    bool pkt_range, any_before = false;
    uint64_t wfrom, wto;
    size_t nconn = 0, *sel = NULL; /* sel: index in m->seg of each of x.all, or SIZE_MAX */
    int rc = 0;

    memset(m, 0, sizeof *m);
    memset(&x, 0, sizeof x);
    m->init_state[0] = m->init_state[1] = -1;
    if (opts == NULL) {
        rnd_options_default(&def);
        opts = &def;
    }
    m->base = tr->ev;
    m->nbase = tr->n;
    m->conn = opts->conn == RND_CONN_FIRST ? rnd_first_conn(tr) : opts->conn;
    m->capture = meta->capture;
    m->show_cwnd = opts->show_cwnd;
    m->one_way = meta->one_way;
    m->relative = opts->seq == RND_SEQ_RELATIVE || (opts->seq == RND_SEQ_AUTO && meta->capture);
    pkt_range = opts->from_pkt > 0 || opts->to_pkt != RND_ALL;

    /* first pass: count, and find each side's ISN (for relative numbers) */
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        if (e->conn != m->conn)
            continue;
        nconn++;
        if (e->kind == TRACE_RECV && meta->capture)
            x.traced = true;
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
            /* a reset sent without a SYN of its own (refusing a SYN: <SEQ=0>, RFC 9293 3.10.7.1)
             * is printed with the number it carries, as the text trace does */
            isn[e->ep] = (e->seg.flags & TCP_RST) ? e->seg.seq : e->seg.seq - 1;
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

    x.all = malloc(nconn * sizeof *x.all);
    x.pos = malloc(nconn * sizeof *x.pos);
    x.xe = malloc(nconn * sizeof *x.xe);
    m->seg = malloc(nconn * sizeof *m->seg);
    m->ev = malloc(nconn * sizeof *m->ev);
    m->ev_t = malloc(nconn * sizeof *m->ev_t);
    m->ev_flags = malloc(nconn * sizeof *m->ev_flags);
    m->ev_seg = malloc(nconn * sizeof *m->ev_seg);
    sel = malloc(nconn * sizeof *sel);
    if (x.all == NULL || x.pos == NULL || x.xe == NULL || m->seg == NULL || m->ev == NULL ||
        m->ev_t == NULL || m->ev_flags == NULL || m->ev_seg == NULL || sel == NULL ||
        idmap_init(&map, nconn) != 0 || idmap_init(&seqmap, meta->capture ? nconn : 0) != 0) {
        set_err(err, errlen, "out of memory");
        rc = RND_ERUNTIME;
        goto out;
    }
    memset(tk, 0, sizeof tk);
    tk[0].state = tk[1].state = -1;

    /* second pass: every segment with its tags (worked out from the whole connection, so a range
     * that starts late still knows the RTO in force), arrivals, losses, and the other events */
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        uint8_t ep = e->ep < 2 ? e->ep : 0;
        if (e->conn != m->conn)
            continue;
        switch (e->kind) {
        case TRACE_SEND: {
            ep_track *t = &tk[ep];
            rnd_mseg *s = &x.all[x.nall];
            if (e->seg.tags & TCP_TAG_DUP_ACK) {
                if (t->dupacks == 0 || e->seg.ack != t->dup_ack_no)
                    t->dupacks = 0;
                t->dupacks++;
                t->dup_ack_no = e->seg.ack;
            } else if ((e->seg.flags & TCP_ACK) && !(e->seg.tags & TCP_TAG_DUPLICATE)) {
                t->dupacks = 0;
            }
            memset(s, 0, sizeof *s);
            s->id = e->id;
            s->ev_send = i;
            s->ev_arr[0] = s->ev_arr[1] = s->ev_drop = SIZE_MAX;
            s->ep = ep;
            s->seg = e->seg;
            s->t_send = (int64_t)e->t;
            s->t_cap = (int64_t)ev_when(&x, e);
            s->dseq = m->relative ? e->seg.seq - isn[ep] : e->seg.seq;
            s->dack = m->relative ? e->seg.ack - isn[1 - ep] : e->seg.ack;
            seg_tags(s, t, isn[1 - ep], m->relative);
            x.pos[x.nall] = i;
            idmap_put(&map, e->id, x.nall);
            x.nall++;
            break;
        }
        case TRACE_RECV: {
            size_t k = idmap_get(&map, e->id);
            if (k != SIZE_MAX && x.all[k].n_arr < 2) {
                x.all[k].ev_arr[x.all[k].n_arr] = i;
                x.all[k].t_arr[x.all[k].n_arr++] = (int64_t)e->t;
            }
            break;
        }
        case TRACE_DROP: {
            size_t k = idmap_get(&map, e->id);
            if (k != SIZE_MAX) {
                x.all[k].lost = true;
                x.all[k].ev_drop = i;
            }
            break;
        }
        case TRACE_NOTE: { /* a note about a segment: the replay taking back an inferred loss */
            size_t k = e->id ? idmap_get(&map, e->id) : SIZE_MAX;
            if (k != SIZE_MAX && (e->seg.tags & TCP_TAG_SPURIOUS))
                x.all[k].lost = false;
            if (k == SIZE_MAX && !meta->capture && opts->time_axis == RND_AXIS_TRUE)
                goto other; /* a simulation's remark (RFC 6298 5.7, a write unblocked) */
            break;
        }
        case TRACE_RTT:
        case TRACE_CWND:
            if (meta->capture || opts->time_axis != RND_AXIS_TRUE)
                break;
            goto other;
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
            /* fall through */
        case TRACE_STATE:
        case TRACE_APP:
        other : {
            xev *v = &x.xe[x.nxe++];
            memset(v, 0, sizeof *v);
            v->e = e;
            v->seg = SIZE_MAX;
            v->pos = i;
            v->assumed = m->capture && is_assumed(e);
            break;
        }
        default:
            break;
        }
    }

    /* times: the simulator's are exact; a capture's are estimated, and its events analysed */
    if (m->capture) {
        uint64_t hs = completed_handshake_one_way(&x);
        if (hs > 0 && hs < m->one_way)
            m->one_way = hs;
        if (x.traced && jlines(m, tr) != 0) {
            set_err(err, errlen, "out of memory");
            rc = RND_ERUNTIME;
            goto out;
        }
        /* the replay's own times where it placed the capture; from the middle of the path (its
         * delays are 0 there) the estimate below draws what the capture cannot tell */
        x.as_traced = x.traced && meta->vantage != TRACE_VANTAGE_UNKNOWN;
        if (x.as_traced)
            traced_times(m, &x, meta);
        else
            capture_times(m, &x, meta);
        capture_attach(&x);
        capture_corrections(m, &x);
        capture_retx_tags(&x, &seqmap);
    } else {
        for (size_t k = 0; k < x.nall; k++)
            x.all[k].t_lost = x.all[k].t_send + (int64_t)m->one_way;
    }

    /* the selection: segments in the ranges */
    for (size_t k = 0; k < x.nall; k++) {
        const rnd_mseg *s = &x.all[k];
        const trace_event *e = &tr->ev[x.pos[k]];
        sel[k] = SIZE_MAX; /* not drawn (out of the ranges, or a duplicate frame) */
        if (!in_u64(ev_when(&x, e), opts->from_us, opts->to_us) ||
            !in_u64(e->id, opts->from_pkt, opts->to_pkt)) {
            if (ev_when(&x, e) < opts->from_us || e->id < opts->from_pkt)
                any_before = true;
            continue;
        }
        if (s->style == RND_ARROW_DUPFRAME) { /* not drawn; the legend counts them */
            m->ndupframes++;
            continue;
        }
        sel[k] = m->nseg;
        m->seg[m->nseg++] = *s;
    }
    if (pkt_range && m->nseg == 0) {
        /* say where the connection's packets are, so the next try can hit them */
        uint64_t lo = UINT64_MAX, hi = 0;
        for (size_t k = 0; k < x.nall; k++) {
            uint64_t id = tr->ev[x.pos[k]].id;
            lo = id < lo ? id : lo;
            hi = id > hi ? id : hi;
        }
        if (x.nall > 0 && err != NULL && errlen > 0)
            snprintf(err, errlen,
                     "nothing to draw: no packet of the connection in the packet range "
                     "(its packets are numbered %llu to %llu)",
                     (unsigned long long)lo, (unsigned long long)hi);
        else
            set_err(err, errlen, "nothing to draw: the connection has no packet");
        rc = RND_EREQUEST;
        goto out;
    }

    /* window for the other events: the time range, narrowed to the packets if a packet range */
    wfrom = opts->from_us;
    wto = opts->to_us;
    if (pkt_range) {
        uint64_t lo = UINT64_MAX, hi = 0;
        for (size_t k = 0; k < x.nall; k++) {
            const trace_event *e = &tr->ev[x.pos[k]];
            uint64_t t = ev_when(&x, e);
            if (in_u64(e->id, opts->from_pkt, opts->to_pkt) &&
                in_u64(t, opts->from_us, opts->to_us)) {
                lo = t < lo ? t : lo;
                hi = t > hi ? t : hi;
            }
        }
        wfrom = lo > wfrom ? lo : wfrom;
        wto = hi < wto ? hi : wto;
    }
    for (size_t i = 0; i < x.nxe; i++) {
        const xev *v = &x.xe[i];
        const trace_event *e = v->e;
        uint8_t ep = e->ep < 2 ? e->ep : 0;
        if (v->omit)
            continue;
        if (ev_when(&x, e) < wfrom) {
            any_before = true;
            if (e->kind == TRACE_STATE) {
                tk[ep].state = e->u.state.to;
                m->init_assumed[ep] = v->assumed;
            }
            continue;
        }
        if (ev_when(&x, e) > wto)
            continue;
        if (v->assumed && !any_before && m->init_state[ep] < 0) {
            /* the replay's starting assumption: a state at the top, marked as assumed */
            m->init_state[ep] = e->u.state.to;
            m->init_assumed[ep] = true;
            continue;
        }
        m->ev_t[m->nev] = xev_time(&x, v);
        m->ev_flags[m->nev] = (uint8_t)(v->corrected ? RND_EVF_CORRECTED : 0);
        m->ev_seg[m->nev] = v->seg != SIZE_MAX ? sel[v->seg] : SIZE_MAX;
        if (v->seg != SIZE_MAX && !v->arrival)
            m->ev_flags[m->nev] |= RND_EVF_SENDER;
        if (v->seg != SIZE_MAX && v->arrival && m->ev_t[m->nev] == x.all[v->seg].t_send)
            m->ev_flags[m->nev] |= RND_EVF_LATE;
        m->ev[m->nev++] = e;
    }
    if (m->nseg == 0 && m->nev == 0) {
        uint64_t lo = UINT64_MAX, hi = 0;
        for (size_t i = 0; i < x.nxe; i++) {
            uint64_t t = ev_when(&x, x.xe[i].e);
            lo = t < lo ? t : lo;
            hi = t > hi ? t : hi;
        }
        if (x.nxe > 0 && err != NULL && errlen > 0)
            snprintf(err, errlen,
                     "nothing to draw: no event of the connection in the time range "
                     "(its events run from %.3f ms to %.3f ms)",
                     (double)lo / 1000.0, (double)hi / 1000.0);
        else
            set_err(err, errlen, "nothing to draw: no event of the connection in the time range");
        rc = RND_EREQUEST;
        goto out;
    }
    m->partial = any_before;
    if (any_before)
        for (int ep = 0; ep < 2; ep++) {
            m->init_state[ep] = tk[ep].state;
            if (tk[ep].state < 0)
                m->init_assumed[ep] = false;
        }

    if (!m->capture && opts->time_axis == RND_AXIS_TRUE && karn_notes(m) != 0) {
        set_err(err, errlen, "out of memory");
        rc = RND_ERUNTIME;
        goto out;
    }

    /* events in time order (a correction or a lost packet's stand-in can move one) */
    for (size_t i = 1; i < m->nev; i++) {
        const trace_event *e = m->ev[i];
        int64_t t = m->ev_t[i];
        uint8_t f = m->ev_flags[i];
        size_t sg = m->ev_seg[i], j = i;
        while (j > 0 && m->ev_t[j - 1] > t) {
            m->ev[j] = m->ev[j - 1];
            m->ev_t[j] = m->ev_t[j - 1];
            m->ev_flags[j] = m->ev_flags[j - 1];
            m->ev_seg[j] = m->ev_seg[j - 1];
            j--;
        }
        m->ev[j] = e;
        m->ev_t[j] = t;
        m->ev_flags[j] = f;
        m->ev_seg[j] = sg;
    }

    /* times within +-2^60 us (36,000 years: a corrupt capture's timestamps), so the layout's
     * differences of two times cannot overflow */
    for (size_t k = 0; k < m->nseg; k++) {
        rnd_mseg *s = &m->seg[k];
        s->t_send = clamp_t(s->t_send);
        s->t_lost = clamp_t(s->t_lost);
        s->t_cap = clamp_t(s->t_cap);
        for (unsigned a = 0; a < 2; a++)
            s->t_arr[a] = clamp_t(s->t_arr[a]);
    }
    for (size_t k = 0; k < m->nev; k++)
        m->ev_t[k] = clamp_t(m->ev_t[k]);

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
    words(m, meta, opts);
    /* one connection: two lanes, the client's and the server's */
    m->ev_ci = calloc(m->nev ? m->nev : 1, sizeof *m->ev_ci);
    m->ev_lane = malloc(m->nev ? m->nev : 1);
    if (m->ev_ci == NULL || m->ev_lane == NULL) {
        set_err(err, errlen, "out of memory");
        rc = RND_ERUNTIME;
        goto out;
    }
    for (size_t i = 0; i < m->nev; i++)
        m->ev_lane[i] = m->ev[i]->ep < 2 ? m->ev[i]->ep : 0;
    m->nlanes = 2;
    m->nconns = 1;
    m->conns[0].conn = m->conn;
    for (int ep = 0; ep < 2; ep++) {
        m->conns[0].lane[ep] = (uint8_t)ep;
        m->conns[0].init_state[ep] = m->init_state[ep];
        m->conns[0].init_assumed[ep] = m->init_assumed[ep];
        snprintf(m->conns[0].addr[ep], sizeof m->conns[0].addr[ep], "%s", m->addr[ep]);
    }
out:
    idmap_free(&map);
    idmap_free(&seqmap);
    free(x.all);
    free(x.pos);
    free(x.xe);
    free(sel);
    if (rc != 0)
        rnd_model_free(m);
    return rc;
}
