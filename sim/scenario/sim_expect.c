/*
 * sim_expect.c - checks a scenario file's expectations against the trace of its run.  Every
 * check is one pass over the kept events; when an expectation fails, the message says what the
 * trace shows instead (the state that was, the times of the matching events, the durations the
 * timer ran), cut to fit one line.  Relative sequence numbers count from the ISNs of the
 * scenario as it was played.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_expect.h"
#include "tcp_seq.h"

/* ================================================================ helpers ===== */

const char *sim_fmt_duration(uint64_t us, char *buf, size_t size)
{
    const char *unit = "us";
    uint64_t div = 1;
    if (us >= 1000000) {
        unit = "s", div = 1000000;
    } else if (us >= 1000) {
        unit = "ms", div = 1000;
    }
    if (us == 0) {
        snprintf(buf, size, "0");
        return buf;
    }
    uint64_t ip = us / div, frac = us % div;
    if (frac == 0) {
        snprintf(buf, size, "%" PRIu64 "%s", ip, unit);
        return buf;
    }
    int width = div == 1000000 ? 6 : 3;
    while (frac % 10 == 0)
        frac /= 10, width--;
    snprintf(buf, size, "%" PRIu64 ".%0*" PRIu64 "%s", ip, width, frac, unit);
    return buf;
}

/* A growing one-line message that never overflows and ends in "..." when cut. */
typedef struct msg {
    char *buf;
    size_t size, used;
    bool cut;
} msg;

static void put(msg *m, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(msg *m, const char *fmt, ...)
{
    if (m->cut || m->size == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(m->buf + m->used, m->size - m->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= m->size - m->used) {
        m->cut = true;
        if (m->size >= 4)
            memcpy(m->buf + m->size - 4, "...", 4);
        m->used = m->size - 1;
        return;
    }
    m->used += (size_t)n;
}

static bool span_ok(const sim_span *sp, uint32_t v, uint32_t base)
{
    if (!sp->on)
        return true;
    uint32_t lo = sp->lo + (sp->rel ? base : 0), hi = sp->hi + (sp->rel ? base : 0);
    return tcp_seq_geq(v, lo) && tcp_seq_leq(v, hi);
}

static bool plain_ok(const sim_span *sp, uint32_t v)
{
    return !sp->on || (v >= sp->lo && v <= sp->hi);
}

bool sim_pattern_match(const sim_pattern *p, const tcp_seg *s, uint8_t from, const uint32_t isn[2])
{
    if ((s->flags & p->flags_all) != p->flags_all || (s->flags & p->flags_none))
        return false;
    if ((p->data == SIM_DATA_WITH && s->len == 0) || (p->data == SIM_DATA_WITHOUT && s->len != 0))
        return false;
    if (!span_ok(&p->seq, s->seq, isn[from & 1]))
        return false;
    if (p->ack.on && (!(s->flags & TCP_ACK) || !span_ok(&p->ack, s->ack, isn[(from & 1) ^ 1])))
        return false;
    if (!plain_ok(&p->len, s->len) || !plain_ok(&p->win, s->win))
        return false;
    return (s->tags & p->tags) == p->tags;
}

static void put_time_list(msg *m, const trace_buf *tb, const bool *pick, size_t max)
{
    char d[32];
    size_t shown = 0, total = 0;
    for (size_t k = 0; k < tb->n; k++)
        total += pick[k] ? 1u : 0u;
    for (size_t k = 0; k < tb->n && shown < max; k++) {
        if (!pick[k])
            continue;
        put(m, "%s%s", shown ? ", " : "", sim_fmt_duration(tb->ev[k].t, d, sizeof d));
        shown++;
    }
    if (total > shown)
        put(m, ", ... (%zu in all)", total);
}

/* ================================================================ checks ====== */

static bool check_state(const sim_expect *e, const trace_buf *tb, msg *m)
{
    uint8_t st = TCP_CLOSED;
    uint64_t since = 0;
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        if (e->has_at && ev->t > e->at)
            break;
        if (ev->kind == TRACE_STATE && ev->ep == e->ep) {
            st = ev->u.state.to;
            since = ev->t;
        }
    }
    if (st == e->state)
        return true;
    char d[32];
    put(m, "it was %s", tcp_state_name((tcp_state)st));
    if (since > 0)
        put(m, " (since %s)", sim_fmt_duration(since, d, sizeof d));
    return false;
}

/* The state an endpoint started in: the first transition's origin (CLOSED, or LISTEN for a
 * connection a listening socket took), CLOSED if it never changed state. */
static tcp_state path_start(const sim_expect *e, const trace_buf *tb)
{
    for (size_t k = 0; k < tb->n; k++)
        if (tb->ev[k].kind == TRACE_STATE && tb->ev[k].ep == e->ep)
            return (tcp_state)tb->ev[k].u.state.from;
    return TCP_CLOSED;
}

static bool check_path(const sim_expect *e, const trace_buf *tb, msg *m)
{
    /* the states as they were: the start state, then every state entered; the expectation may
     * leave out the start state */
    uint32_t n = 0;
    bool match = true;
    tcp_state start = path_start(e, tb);
    bool with_start = e->n_list > 0 && e->list[0] == start;
    uint32_t want_at = 0;
    if (with_start) {
        want_at = 1;
        n = 1;
    }
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        if (ev->kind != TRACE_STATE || ev->ep != e->ep)
            continue;
        if (want_at >= e->n_list || e->list[want_at] != ev->u.state.to)
            match = false;
        want_at++;
        n++;
    }
    if (match && want_at == e->n_list)
        return true;
    put(m, "the path was");
    if (with_start)
        put(m, " %s", tcp_state_name(start));
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        if (ev->kind == TRACE_STATE && ev->ep == e->ep)
            put(m, " %s", tcp_state_name((tcp_state)ev->u.state.to));
    }
    if (!with_start && n == 0)
        put(m, " empty: it stayed %s", tcp_state_name(start));
    return false;
}

/* Counts the events that `pick` selects; reports as the expectation's count says. */
static bool judge_count(const sim_expect *e, const trace_buf *tb, const bool *pick, size_t found,
                        const char *noun, msg *m)
{
    bool ok = e->has_count ? found == e->count : found > 0;
    if (ok)
        return true;
    if (found == 0) {
        put(m, "there was no such %s", noun);
        return false;
    }
    put(m, "there %s %zu: at ", found == 1 ? "was" : "were", found);
    put_time_list(m, tb, pick, 6);
    return false;
}

static bool check_enters(const sim_expect *e, const trace_buf *tb, bool *pick, msg *m)
{
    size_t found = 0;
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        pick[k] = ev->kind == TRACE_STATE && ev->ep == e->ep && ev->u.state.to == e->state &&
                  (!e->has_at || ev->t == e->at) &&
                  (e->cause[0] == '\0' || strstr(ev->text, e->cause) != NULL);
        found += pick[k] ? 1u : 0u;
    }
    if (judge_count(e, tb, pick, found, "transition", m))
        return true;
    if (found == 0) {
        /* say when it did enter the state, if ever, and why */
        char d[32];
        size_t shown = 0;
        for (size_t k = 0; k < tb->n && shown < 3; k++) {
            const trace_event *ev = &tb->ev[k];
            if (ev->kind == TRACE_STATE && ev->ep == e->ep && ev->u.state.to == e->state) {
                if (shown == 0)
                    put(m, "; it entered %s", tcp_state_name((tcp_state)e->state));
                put(m, "%s at %s (%s)", shown ? "," : "", sim_fmt_duration(ev->t, d, sizeof d),
                    ev->text);
                shown++;
            }
        }
        if (shown == 0)
            put(m, "; it never entered %s", tcp_state_name((tcp_state)e->state));
    }
    return false;
}

static void describe_seg(msg *m, const trace_event *ev, const uint32_t isn[2], uint8_t from)
{
    char f[40], d[32];
    tcp_flags_str(ev->seg.flags, f, sizeof f);
    put(m, "%s %s seq %" PRIu32, sim_fmt_duration(ev->t, d, sizeof d), f,
        (uint32_t)(ev->seg.seq - isn[from]));
    if (ev->seg.flags & TCP_ACK)
        put(m, " ack %" PRIu32, (uint32_t)(ev->seg.ack - isn[from ^ 1]));
    put(m, " len %" PRIu32, ev->seg.len);
}

static bool check_segment(const sim_expect *e, const sim_scenario *sc, const trace_buf *tb,
                          bool *pick, msg *m)
{
    const uint32_t isn[2] = {sc->tcp[0].isn, sc->tcp[1].isn};
    uint8_t kind = e->verb == SIM_VERB_SENDS      ? TRACE_SEND
                   : e->verb == SIM_VERB_RECEIVES ? TRACE_RECV
                                                  : TRACE_DROP;
    /* a segment received by the side was sent by the other one */
    uint8_t from = e->verb == SIM_VERB_RECEIVES ? (uint8_t)(e->ep ^ 1) : e->ep;
    size_t found = 0, near = 0;
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        bool same = ev->kind == kind && ev->ep == e->ep && (!e->has_at || ev->t == e->at);
        pick[k] = same && sim_pattern_match(&e->pat, &ev->seg, from, isn);
        found += pick[k] ? 1u : 0u;
        near += same ? 1u : 0u;
    }
    if (judge_count(e, tb, pick, found, "segment", m))
        return true;
    if (found > 0)
        return false;
    /* nothing matched.  At another time? */
    if (e->has_at) {
        size_t other = 0;
        for (size_t k = 0; k < tb->n; k++) {
            const trace_event *ev = &tb->ev[k];
            pick[k] = ev->kind == kind && ev->ep == e->ep &&
                      sim_pattern_match(&e->pat, &ev->seg, from, isn);
            other += pick[k] ? 1u : 0u;
        }
        if (other > 0) {
            put(m, " at that time, but at ");
            put_time_list(m, tb, pick, 6);
            return false;
        }
    }
    /* with the same flags, then? */
    size_t shown = 0, similar = 0;
    if (e->pat.flags_all || e->pat.flags_none) {
        sim_pattern flags_only;
        memset(&flags_only, 0, sizeof flags_only);
        flags_only.flags_all = e->pat.flags_all;
        flags_only.flags_none = e->pat.flags_none;
        for (size_t k = 0; k < tb->n; k++) {
            const trace_event *ev = &tb->ev[k];
            if (ev->kind != kind || ev->ep != e->ep ||
                !sim_pattern_match(&flags_only, &ev->seg, from, isn))
                continue;
            similar++;
            if (shown < 3) {
                put(m, "%s", shown ? "; " : "; with those flags: ");
                describe_seg(m, ev, isn, from);
                shown++;
            }
        }
    }
    if (similar > shown)
        put(m, "; ... (%zu in all)", similar);
    if (similar == 0)
        put(m, " (%zu segments in all%s)", near, e->has_at ? " at that time" : "");
    return false;
}

static bool check_retrans(const sim_expect *e, const trace_buf *tb, bool *pick, msg *m)
{
    size_t found = 0;
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        pick[k] = ev->kind == TRACE_SEND && ev->ep == e->ep &&
                  (ev->seg.tags & (TCP_TAG_RETRANSMISSION | TCP_TAG_FAST_RETRANSMISSION));
        found += pick[k] ? 1u : 0u;
    }
    if (found == e->bytes)
        return true;
    if (found == 0) {
        put(m, "there were none");
        return false;
    }
    put(m, "there %s %zu: at ", found == 1 ? "was" : "were", found);
    put_time_list(m, tb, pick, 6);
    return false;
}

static bool is_rto_fire(const trace_event *ev, uint8_t ep)
{
    return ev->kind == TRACE_TIMER && ev->ep == ep && ev->u.timer.timer == TCP_TIMER_RTO &&
           ev->u.timer.action == TRACE_TIMER_FIRE;
}

static void put_rto_fires(msg *m, const trace_buf *tb, uint8_t ep)
{
    char d[32];
    size_t n = 0;
    for (size_t k = 0; k < tb->n; k++) {
        if (!is_rto_fire(&tb->ev[k], ep))
            continue;
        put(m, " %s", sim_fmt_duration(tb->ev[k].u.timer.duration, d, sizeof d));
        n++;
    }
    if (n == 0)
        put(m, " none");
}

static bool check_rto_after(const sim_expect *e, const trace_buf *tb, msg *m)
{
    for (size_t k = 0; k < tb->n; k++)
        if (is_rto_fire(&tb->ev[k], e->ep) && tb->ev[k].u.timer.duration == e->dur)
            return true;
    put(m, "the retransmission timer expired after:");
    put_rto_fires(m, tb, e->ep);
    return false;
}

static bool check_timeouts(const sim_expect *e, const trace_buf *tb, msg *m)
{
    uint32_t n = 0;
    bool match = true;
    for (size_t k = 0; k < tb->n; k++) {
        if (!is_rto_fire(&tb->ev[k], e->ep))
            continue;
        if (n >= e->n_list || e->list[n] != tb->ev[k].u.timer.duration)
            match = false;
        n++;
    }
    if (match && n == e->n_list)
        return true;
    put(m, "they were:");
    put_rto_fires(m, tb, e->ep);
    return false;
}

static bool check_arms(const sim_expect *e, const trace_buf *tb, bool *pick, msg *m)
{
    size_t found = 0, armed = 0;
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        bool same = ev->kind == TRACE_TIMER && ev->ep == e->ep && ev->u.timer.timer == e->timer &&
                    ev->u.timer.action == TRACE_TIMER_ARM;
        pick[k] = same && (!e->has_at || ev->t == e->at) &&
                  (!e->has_dur || ev->u.timer.duration == e->dur);
        found += pick[k] ? 1u : 0u;
        armed += same ? 1u : 0u;
    }
    if (judge_count(e, tb, pick, found, "timer", m))
        return true;
    if (found == 0 && armed > 0) {
        char d[32], t[32];
        size_t shown = 0;
        put(m, "; it was armed");
        for (size_t k = 0; k < tb->n && shown < 4; k++) {
            const trace_event *ev = &tb->ev[k];
            if (ev->kind == TRACE_TIMER && ev->ep == e->ep && ev->u.timer.timer == e->timer &&
                ev->u.timer.action == TRACE_TIMER_ARM) {
                put(m, "%s for %s at %s", shown ? "," : "",
                    sim_fmt_duration(ev->u.timer.duration, d, sizeof d),
                    sim_fmt_duration(ev->t, t, sizeof t));
                shown++;
            }
        }
        if (armed > shown)
            put(m, ", ... (%zu in all)", armed);
    }
    return false;
}

static bool check_reads(const sim_expect *e, const trace_buf *tb, msg *m)
{
    uint64_t total = 0;
    bool eof = false;
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        if (ev->kind != TRACE_APP || ev->ep != e->ep ||
            (ev->u.app.call != TCP_CALL_READ && ev->u.app.call != TCP_CALL_RECVFROM) ||
            (ev->u.app.has_ret && ev->u.app.phase == TRACE_CALL_BLOCKS))
            continue;
        total += ev->u.app.bytes;
        if (ev->u.app.bytes == 0 && strcmp(ev->text, "end of file") == 0)
            eof = true;
    }
    if (e->eof) {
        if (eof)
            return true;
        put(m, "it never read end of file (it read %" PRIu64 " bytes)", total);
        return false;
    }
    if (total == e->bytes)
        return true;
    put(m, "it read %" PRIu64 " bytes", total);
    return false;
}

/* `expect conn N ...`: the same check on connection N's events alone, with its ISNs. */
static bool check_conn(const sim_expect *e, const sim_scenario *sc, const trace_buf *tb, char *why,
                       size_t whylen)
{
    trace_buf one;
    trace_buf_init(&one);
    static sim_scenario sc1;
    sc1 = *sc;
    bool isn_seen[2] = {false, false};
    for (size_t k = 0; k < tb->n; k++) {
        const trace_event *ev = &tb->ev[k];
        if (ev->conn != e->conn)
            continue;
        trace_buf_emit(&one, ev);
        if (ev->kind == TRACE_SEND && (ev->seg.flags & TCP_SYN) && ev->ep < 2 &&
            !isn_seen[ev->ep]) {
            isn_seen[ev->ep] = true;
            sc1.tcp[ev->ep].isn = ev->seg.seq;
        }
    }
    sim_expect e1 = *e;
    e1.conn = 0;
    bool ok = !one.oom && sim_expect_check(&e1, &sc1, &one, why, whylen);
    if (one.oom && whylen)
        snprintf(why, whylen, "out of memory while checking");
    trace_buf_free(&one);
    return ok;
}

bool sim_expect_check(const sim_expect *e, const sim_scenario *sc, const trace_buf *tb, char *why,
                      size_t whylen)
{
    if (e->conn)
        return check_conn(e, sc, tb, why, whylen);
    msg m = {why, whylen, 0, false};
    if (whylen)
        why[0] = '\0';
    /* a scratch mark per event for the checks that list times */
    bool small[256] = {false};
    bool *pick = small;
    bool heap = false;
    if (tb->n > sizeof small / sizeof small[0]) {
        pick = calloc(tb->n, sizeof *pick);
        if (pick == NULL) {
            put(&m, "out of memory while checking");
            return false;
        }
        heap = true;
    }
    bool ok = false;
    switch ((sim_expect_kind)e->kind) {
    case SIM_EXP_STATE:
        ok = check_state(e, tb, &m);
        break;
    case SIM_EXP_PATH:
        ok = check_path(e, tb, &m);
        break;
    case SIM_EXP_ENTERS:
        ok = check_enters(e, tb, pick, &m);
        break;
    case SIM_EXP_SEGMENT:
        ok = check_segment(e, sc, tb, pick, &m);
        break;
    case SIM_EXP_RETRANS:
        ok = check_retrans(e, tb, pick, &m);
        break;
    case SIM_EXP_RTO_AFTER:
        ok = check_rto_after(e, tb, &m);
        break;
    case SIM_EXP_TIMEOUTS:
        ok = check_timeouts(e, tb, &m);
        break;
    case SIM_EXP_ARMS:
        ok = check_arms(e, tb, pick, &m);
        break;
    case SIM_EXP_READS:
        ok = check_reads(e, tb, &m);
        break;
    default:
        put(&m, "unknown expectation kind %u", e->kind);
        break;
    }
    if (heap)
        free(pick);
    if (ok && whylen)
        why[0] = '\0';
    return ok;
}
