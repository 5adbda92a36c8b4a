/*
 * rnd_json.c - the layout of a ladder diagram as JSON, format "tcpsim-ladder-layout" version 1
 * (the contract is docs/diagrams.md, section "Layout JSON"): the very numbers the painters draw,
 * so that tests can check the layout and other front ends (the HTML explorer) can draw it again.
 *
 * Numbers are layout units with two decimals; times are integer microseconds on the trace's
 * clock; every event reference is the event's index in the trace (from 0), or null.  The file is
 * written through common/out_file.h, so a failure never leaves half a file.
 */
#include "rnd_json.h"

#include <stdio.h>
#include <string.h>

#include "out_file.h"
#include "rnd_build.h"
#include "rnd_font.h"
#include "tcp_state.h"

static void jstr(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

static void jnum(FILE *fp, double v)
{
    if (v > -0.005 && v < 0.005)
        v = 0.0; /* no "-0.00" */
    fprintf(fp, "%.2f", v);
}

static void jidx(FILE *fp, const rnd_model *m, size_t i)
{
    if (m->jline != NULL && i < m->nbase)
        i = m->jline[i]; /* a capture's: the --json line, without the replay's recv events */
    if (i == SIZE_MAX)
        fputs("null", fp);
    else
        fprintf(fp, "%zu", i);
}

/* A lane's name: "client" or "server" for one connection, the host's address for several. */
static const char *lane_name(const rnd_layout *lay, unsigned lane, unsigned ep)
{
    if (lay->nconns > 1 && lane < lay->nlanes)
        return lay->addr[lane];
    return trace_ep_name(ep);
}

/* Several connections: ,"conn":N (the connection's number; null for a host's own call). */
static void jconn(FILE *fp, const rnd_layout *lay, const rnd_model *m, unsigned ci)
{
    if (lay->nconns <= 1)
        return;
    if (ci < m->nconns)
        fprintf(fp, ",\"conn\":%lu", (unsigned long)m->conns[ci].conn);
    else
        fputs(",\"conn\":null", fp);
}

static void jrect(FILE *fp, const rnd_rect *r)
{
    fputs("\"x\":", fp);
    jnum(fp, r->x);
    fputs(",\"y\":", fp);
    jnum(fp, r->y);
    fputs(",\"w\":", fp);
    jnum(fp, r->w);
    fputs(",\"h\":", fp);
    jnum(fp, r->h);
}

static const char *style_name(int style)
{
    static const char *const n[RND_ARROW_STYLE_COUNT] = {"data", "ack", "retx",    "dupack",
                                                         "zwin", "rst", "dupframe"};
    return style >= 0 && style < RND_ARROW_STYLE_COUNT ? n[style] : "?";
}

static const char *tmark_name(int k)
{
    static const char *const n[RND_TMARK_COUNT] = {"arm", "restart", "backoff", "expiry", "cancel"};
    return k >= 0 && k < RND_TMARK_COUNT ? n[k] : "?";
}

static const char *timer_name(int k)
{
    return k == TCP_TIMER_TIME_WAIT ? "timewait" : tcp_timer_name((tcp_timer_kind)k);
}

/* The time an arrow's end stands for: its arrival, or where a lost segment would have arrived. */
static int64_t arrow_end_us(const rnd_layout *lay, const rnd_model *m, size_t i)
{
    const rnd_arrow *a = &lay->arrows[i];
    const rnd_mseg *s = &m->seg[a->seg];
    if (s->n_arr == 0)
        return s->lost ? s->t_lost : s->t_send + (int64_t)m->one_way;
    /* the second arrival of a duplicated segment is the arrow just after the first one */
    if (s->n_arr == 2 && i > 0 && lay->arrows[i - 1].seg == a->seg)
        return s->t_arr[1];
    return s->t_arr[0];
}

static size_t arrow_arrival(const rnd_layout *lay, const rnd_model *m, size_t i)
{
    const rnd_arrow *a = &lay->arrows[i];
    const rnd_mseg *s = &m->seg[a->seg];
    if (s->n_arr == 0)
        return SIZE_MAX;
    if (s->n_arr == 2 && i > 0 && lay->arrows[i - 1].seg == a->seg)
        return s->ev_arr[1];
    return s->ev_arr[0];
}

static void write_arrows(FILE *fp, const rnd_layout *lay, const rnd_model *m)
{
    fputs(",\n\"arrows\":[", fp);
    for (size_t i = 0; i < lay->narrows; i++) {
        const rnd_arrow *a = &lay->arrows[i];
        const rnd_mseg *s = &m->seg[a->seg];
        char text[96];
        bool second = s->n_arr == 2 && i > 0 && lay->arrows[i - 1].seg == a->seg;
        fputs(i ? ",\n" : "\n", fp);
        fprintf(fp, "{\"seg_id\":%llu,\"send_event\":", (unsigned long long)s->id);
        jidx(fp, m, s->ev_send);
        fputs(",\"recv_event\":", fp);
        jidx(fp, m, arrow_arrival(lay, m, i));
        fputs(",\"drop_event\":", fp);
        jidx(fp, m, s->lost ? s->ev_drop : SIZE_MAX);
        fprintf(fp, ",\"from\":\"%s\",\"to\":\"%s\"", lane_name(lay, a->lane, a->ep),
                lane_name(lay, a->to_lane, 1u - a->ep));
        jconn(fp, lay, m, a->ci);
        fprintf(fp, ",\"send_us\":%lld,", (long long)s->t_send);
        if (s->n_arr > 0)
            fprintf(fp, "\"recv_us\":%lld,", (long long)arrow_end_us(lay, m, i));
        else
            fputs("\"recv_us\":null,", fp);
        fprintf(fp, "\"end_us\":%lld", (long long)arrow_end_us(lay, m, i));
        fputs(",\"x1\":", fp);
        jnum(fp, a->from.x);
        fputs(",\"y_send\":", fp);
        jnum(fp, a->from.y);
        fputs(",\"x2\":", fp);
        jnum(fp, a->to.x);
        fputs(",\"y_recv\":", fp);
        jnum(fp, a->to.y);
        fputs(",\"y_end\":", fp);
        jnum(fp, a->y_end);
        fputs(",\"fan_send\":", fp);
        jnum(fp, a->fan_from);
        fputs(",\"fan_recv\":", fp);
        jnum(fp, a->fan_to);
        fprintf(fp, ",\"style\":\"%s\",\"kind\":\"%s\",\"lost\":%s,\"duplicate\":%s",
                style_name(a->style),
                s->lost    ? "lost"
                : second   ? "second-arrival"
                : s->n_arr ? "arrival"
                           : "unknown",
                a->lost ? "true" : "false", second ? "true" : "false");
        rnd_fmt_seg(s, text, sizeof text);
        fputs(",\"text\":", fp);
        jstr(fp, text);
        fputs(",\"tag\":", fp);
        jstr(fp, s->tag);
        fputs(",\"label\":", fp);
        jidx(fp, m, a->label);
        fputs("}", fp);
    }
    fputs("]", fp);
}

static void write_labels(FILE *fp, const rnd_layout *lay, const rnd_model *m)
{
    fputs(",\n\"labels\":[", fp);
    for (size_t i = 0; i < lay->nlabels; i++) {
        const rnd_label *l = &lay->labels[i];
        fputs(i ? ",\n" : "\n", fp);
        fputs("{\"text\":", fp);
        jstr(fp, l->text);
        fputs(",\"tag\":", fp);
        jstr(fp, l->tag);
        fputc(',', fp);
        jrect(fp, &l->box);
        fprintf(fp, ",\"anchor\":\"%s\",\"lane\":\"%s\",\"arrow\":%zu",
                rnd_label_right(l) ? "end" : "start", lane_name(lay, l->lane, l->ep), l->arrow);
        jconn(fp, lay, m, l->ci);
        fputs("}", fp);
    }
    fputs("]", fp);
}

static void write_boxes(FILE *fp, const rnd_layout *lay, const rnd_model *m)
{
    fputs(",\n\"boxes\":[", fp);
    for (size_t i = 0; i < lay->nsboxes; i++) {
        const rnd_sbox *b = &lay->sboxes[i];
        fputs(i ? ",\n" : "\n", fp);
        fputs("{\"text\":", fp);
        jstr(fp, tcp_state_name((tcp_state)b->state));
        fputc(',', fp);
        jrect(fp, &b->box);
        fprintf(fp, ",\"cy\":");
        jnum(fp, b->cy);
        fprintf(fp, ",\"lane\":\"%s\",\"t_us\":%lld", lane_name(lay, b->lane, b->ep),
                (long long)b->t);
        jconn(fp, lay, m, b->ci);
        fputs(",\"event\":", fp);
        jidx(fp, m, b->ev);
        fprintf(fp, ",\"initial\":%s,\"corrected\":%s,\"caption\":", b->initial ? "true" : "false",
                b->corrected ? "true" : "false");
        jstr(fp, b->caption);
        fputs("}", fp);
    }
    fputs("]", fp);
}

static void write_notes(FILE *fp, const rnd_layout *lay, const rnd_model *m)
{
    fputs(",\n\"notes\":[", fp);
    for (size_t i = 0; i < lay->nnotes; i++) {
        const rnd_note *n = &lay->notes[i];
        fputs(i ? ",\n" : "\n", fp);
        fputs("{\"text\":", fp);
        jstr(fp, n->text);
        fputc(',', fp);
        jrect(fp, &n->box);
        fputs(",\"anchor_y\":", fp);
        jnum(fp, n->anchor_y);
        static const char *const kinds[] = {"app", "timer", "rtt", "remark"};
        fprintf(fp, ",\"lane\":\"%s\",\"kind\":\"%s\",\"anchor\":\"%s\",\"event\":",
                lane_name(lay, n->lane, n->ep), n->kind < 4 ? kinds[n->kind] : "?",
                n->right ? "end" : "start");
        jidx(fp, m, n->ev);
        jconn(fp, lay, m, n->ci);
        fputs("}", fp);
    }
    fputs("]", fp);
}

/* Activation bars: the socket calls that block, and how long. */
static void write_blocked(FILE *fp, const rnd_layout *lay, const rnd_model *m)
{
    fputs(",\n\"blocked\":[", fp);
    for (size_t i = 0; i < lay->nabars; i++) {
        const rnd_abar *b = &lay->abars[i];
        fprintf(fp, "%s{\"lane\":\"%s\",\"host\":", i ? ",\n" : "\n",
                lane_name(lay, b->lane, b->ep));
        jstr(fp, b->host);
        fputs(",\"sock\":", fp);
        jstr(fp, b->sock);
        fprintf(fp, ",\"call\":\"%s\",\"from_us\":%lld,\"to_us\":%lld,\"x\":",
                tcp_call_name((tcp_call)b->call), (long long)b->t0, (long long)b->t1);
        jnum(fp, b->x);
        fputs(",\"w\":", fp);
        jnum(fp, b->w);
        fputs(",\"y1\":", fp);
        jnum(fp, b->y0);
        fputs(",\"y2\":", fp);
        jnum(fp, b->y1);
        fprintf(fp,
                ",\"open_start\":%s,\"open_end\":%s,\"event\":", b->open_start ? "true" : "false",
                b->open_end ? "true" : "false");
        jidx(fp, m, b->ev0);
        fputs(",\"return_event\":", fp);
        jidx(fp, m, b->ev1);
        jconn(fp, lay, m, b->ci);
        fputs("}", fp);
    }
    fputs("]", fp);
}

static void write_rtt(FILE *fp, const rnd_layout *lay)
{
    bool first = true;
    fputs(",\n\"rtt\":[", fp);
    for (size_t i = 0; i < lay->nbrackets; i++) {
        const rnd_bracket *b = &lay->brackets[i];
        if (b->timer != RND_BRACKET_RTT)
            continue;
        fprintf(fp,
                "%s{\"lane\":\"%s\",\"from_us\":%lld,\"to_us\":%lld,\"sample_us\":%llu,"
                "\"srtt_us\":%llu,\"rttvar_us\":%llu,\"rto_us\":%llu,\"timed_arrow\":",
                first ? "\n" : ",\n", lane_name(lay, b->lane, b->ep), (long long)b->t0,
                (long long)b->t1, (unsigned long long)b->duration, (unsigned long long)b->srtt,
                (unsigned long long)b->rttvar, (unsigned long long)b->rto);
        if (b->arrow == SIZE_MAX)
            fputs("null", fp);
        else
            fprintf(fp, "%zu", b->arrow);
        fputs(",\"x\":", fp);
        jnum(fp, b->x);
        fputs(",\"y1\":", fp);
        jnum(fp, b->y0);
        fputs(",\"y2\":", fp);
        jnum(fp, b->y1);
        fputs("}", fp);
        first = false;
    }
    fputs("]", fp);
}

static void write_timers(FILE *fp, const rnd_layout *lay)
{
    bool any = false;
    fputs(",\n\"timers\":[", fp);
    for (size_t i = 0; i < lay->nbrackets; i++) {
        const rnd_bracket *b = &lay->brackets[i];
        bool first = true;
        if (b->timer == RND_BRACKET_RTT)
            continue;
        fputs(any ? ",\n" : "\n", fp);
        any = true;
        fprintf(fp, "{\"kind\":\"%s\",\"lane\":\"%s\",\"from_us\":%lld,\"to_us\":%lld,\"x\":",
                timer_name(b->timer), lane_name(lay, b->lane, b->ep), (long long)b->t0,
                (long long)b->t1);
        jnum(fp, b->x);
        fputs(",\"y1\":", fp);
        jnum(fp, b->y0);
        fputs(",\"y2\":", fp);
        jnum(fp, b->y1);
        fprintf(fp, ",\"end\":\"%s\",\"duration_us\":%llu,\"open_start\":%s,\"open_end\":%s",
                b->fired      ? "expiry"
                : b->open_end ? "open"
                              : "cancel",
                (unsigned long long)b->duration, b->open_start ? "true" : "false",
                b->open_end ? "true" : "false");
        fputs(",\"note\":", fp);
        if (b->note == SIZE_MAX)
            fputs("null", fp);
        else
            fprintf(fp, "%zu", b->note);
        fputs(",\"marks\":[", fp);
        for (size_t k = 0; k < lay->ntmarks; k++) {
            const rnd_tmark *mk = &lay->tmarks[k];
            if (mk->bracket != i)
                continue;
            fprintf(fp, "%s{\"kind\":\"%s\",\"t_us\":%lld,\"y\":", first ? "" : ",",
                    tmark_name(mk->kind), (long long)mk->t);
            jnum(fp, mk->y);
            fprintf(fp, ",\"duration_us\":%llu}", (unsigned long long)mk->duration);
            first = false;
        }
        fputs("]}", fp);
    }
    fputs("]", fp);
}

static void write_breaks_ticks(FILE *fp, const rnd_layout *lay)
{
    fputs(",\n\"breaks\":[", fp);
    for (size_t i = 0; i < lay->nbreaks; i++) {
        const rnd_break *b = &lay->breaks[i];
        fprintf(fp, "%s{\"from_us\":%lld,\"to_us\":%lld,\"y\":", i ? ",\n" : "\n", (long long)b->t0,
                (long long)b->t1);
        jnum(fp, (b->y0 + b->y1) / 2);
        fputs(",\"y1\":", fp);
        jnum(fp, b->y0);
        fputs(",\"y2\":", fp);
        jnum(fp, b->y1);
        fputs(",\"text\":", fp);
        jstr(fp, b->text);
        fputs("}", fp);
    }
    fputs("]", fp);
    fputs(",\n\"ticks\":[", fp);
    for (size_t i = 0; i < lay->nticks; i++) {
        const rnd_tick *t = &lay->ticks[i];
        fprintf(fp, "%s{\"t_us\":%lld,\"y\":", i ? ",\n" : "\n", (long long)t->t);
        jnum(fp, t->y);
        fputs(",\"text\":", fp);
        jstr(fp, t->text);
        fputs("}", fp);
    }
    fputs("]", fp);
}

int rnd_json_write(FILE *fp, const rnd_layout *lay, const rnd_model *m)
{
    fputs("{\"format\":\"tcpsim-ladder-layout\",\"version\":1", fp);
    fprintf(fp, ",\"time_axis\":\"%s\"", lay->axis == RND_AXIS_EVENTS ? "events" : "true");
    fputs(",\"title\":", fp);
    jstr(fp, lay->title);
    fputs(",\"subtitle\":", fp);
    jstr(fp, lay->subtitle);
    fputs(",\n\"canvas\":{\"w\":", fp);
    jnum(fp, lay->width);
    fputs(",\"h\":", fp);
    jnum(fp, lay->height);
    fputs("},\"body\":{\"y1\":", fp);
    jnum(fp, lay->body_y0);
    fputs(",\"y2\":", fp);
    jnum(fp, lay->body_y1);
    fprintf(fp, "},\"px_per_ms\":");
    fprintf(fp, "%.6f", lay->pxus * 1000.0);
    fputs(",\"fan_step\":", fp);
    jnum(fp, lay->fan_step);
    fputs(",\"stretches\":[", fp);
    for (size_t i = 0; i < lay->nstretches; i++) {
        fprintf(fp, "%s{\"from_us\":%lld,\"to_us\":%lld,\"y\":", i ? "," : "",
                (long long)lay->stretches[i].t0, (long long)lay->stretches[i].t1);
        fprintf(fp, "%.4f}", lay->stretches[i].y0);
    }
    fputs("]", fp);
    fputs(",\n\"lanes\":[", fp);
    for (int ep = 0; ep < lay->nlanes; ep++) {
        fprintf(fp, "%s{\"name\":\"%s\",\"x\":", ep ? "," : "",
                lane_name(lay, (unsigned)ep, (unsigned)ep));
        jnum(fp, lay->lane_x[ep]);
        fputs(",\"head\":", fp);
        jstr(fp, lay->head[ep]);
        fputs(",\"addr\":", fp);
        jstr(fp, lay->addr[ep]);
        fputs("}", fp);
    }
    fputs("]", fp);
    write_arrows(fp, lay, m);
    if (lay->nconns > 1) { /* several connections: which is which */
        fputs(",\n\"conns\":[", fp);
        for (size_t ci = 0; ci < m->nconns; ci++) {
            const rnd_mconn *mc = &m->conns[ci];
            fprintf(fp, "%s{\"conn\":%lu,\"client\":", ci ? "," : "", (unsigned long)mc->conn);
            jstr(fp, mc->addr[0]);
            fputs(",\"server\":", fp);
            jstr(fp, mc->addr[1]);
            fprintf(fp, ",\"client_lane\":\"%s\",\"server_lane\":\"%s\"}",
                    lane_name(lay, mc->lane[0], 0), lane_name(lay, mc->lane[1], 1));
        }
        fputs("]", fp);
    }
    write_labels(fp, lay, m);
    write_boxes(fp, lay, m);
    write_notes(fp, lay, m);
    write_timers(fp, lay);
    write_rtt(fp, lay);
    write_blocked(fp, lay, m);
    write_breaks_ticks(fp, lay);
    fputs(",\n\"cwnd\":", fp);
    if (!lay->cwnd.on) {
        fputs("null", fp);
    } else {
        const rnd_cwnd_track *k = &lay->cwnd;
        fprintf(fp, "{\"lane\":\"%s\",\"x\":", trace_ep_name(k->ep));
        jnum(fp, k->x0);
        fputs(",\"w\":", fp);
        jnum(fp, k->ep == TRACE_CLIENT ? -k->w : k->w);
        fprintf(fp, ",\"max_bytes\":%lu,\"points\":[", (unsigned long)k->max);
        for (size_t i = 0; i < k->npts; i++) {
            fprintf(fp, "%s{\"t_us\":%lld,\"y\":", i ? "," : "", (long long)k->pts[i].t);
            jnum(fp, k->pts[i].y);
            fprintf(fp, ",\"cwnd\":%lu,\"ssthresh\":%lu}", (unsigned long)k->pts[i].cwnd,
                    (unsigned long)k->pts[i].ssthresh);
        }
        fputs("]}", fp);
    }
    fputs("\n}\n", fp);
    return ferror(fp) ? RND_ERUNTIME : 0;
}

int rnd_write_layout_json(const trace_buf *tr, const rnd_options *opts, const char *path, char *err,
                          size_t errlen)
{
    rnd_options def;
    rnd_built b;
    out_file of;
    int rc;

    if (opts == NULL) {
        rnd_options_default(&def);
        opts = &def;
    }
    rc = rnd_built_make(&b, tr, opts, path, err, errlen);
    if (rc != 0)
        return rc;
    if (out_open(&of, path, err, errlen) != 0) {
        rc = RND_ERUNTIME;
    } else if (rnd_json_write(of.fp, &b.lay, &b.m) != 0) {
        out_abort(&of);
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cannot write %s: write error", path);
        rc = RND_ERUNTIME;
    } else if (out_commit(&of, path, err, errlen) != 0) {
        rc = RND_ERUNTIME;
    }
    rnd_built_free(&b);
    return rc;
}
