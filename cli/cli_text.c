/*
 * cli_text.c - writes trace events as aligned text lines, the default output of tcpsim.
 */
#include "cli_text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

static void fmt_ms(uint64_t us, char *buf, size_t size)
{
    snprintf(buf, size, "%" PRIu64 ".%03" PRIu64, us / 1000u, us % 1000u);
}

static size_t add(char *buf, size_t size, size_t used, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static size_t add(char *buf, size_t size, size_t used, const char *fmt, ...)
{
    if (used >= size)
        return used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    if (n < 0)
        return used;
    return used + (size_t)n >= size ? size - 1 : used + (size_t)n;
}

void cli_text_segment(const tcp_seg *s, uint32_t seq_base, uint32_t ack_base, char *buf,
                      size_t size)
{
    char flags[48];
    tcp_flags_str(s->flags, flags, sizeof flags);
    size_t u = 0;
    if (s->tags & TCP_TAG_DATAGRAM) { /* UDP: no flags, no ACK, no window */
        add(buf, size, u, "%-11s off=%-10" PRIu32 " len=%" PRIu32, "UDP", s->seq, s->len);
        return;
    }
    u = add(buf, size, u, "%-11s seq=%-10" PRIu32, flags, s->seq - seq_base);
    if (s->flags & TCP_ACK)
        u = add(buf, size, u, " ack=%-10" PRIu32, s->ack - ack_base);
    else
        u = add(buf, size, u, " ack=%-10s", "-");
    u = add(buf, size, u, " len=%-5" PRIu32 " win=%-6" PRIu32, s->len, s->win);
    bool opt = s->has_mss || s->has_wscale || s->sack_perm || s->has_ts || s->nsack;
    if (opt) {
        u = add(buf, size, u, " <");
        const char *sep = "";
        if (s->has_mss) {
            u = add(buf, size, u, "%smss %u", sep, (unsigned)s->mss);
            sep = ",";
        }
        if (s->has_wscale) {
            u = add(buf, size, u, "%swscale %u", sep, (unsigned)s->wscale);
            sep = ",";
        }
        if (s->sack_perm) {
            u = add(buf, size, u, "%ssackOK", sep);
            sep = ",";
        }
        if (s->has_ts) {
            u = add(buf, size, u, "%sTS %" PRIu32 ":%" PRIu32, sep, s->tsval, s->tsecr);
            sep = ",";
        }
        for (unsigned i = 0; i < s->nsack && i < TCP_MAX_SACK; i++) {
            u = add(buf, size, u, "%ssack %" PRIu32 "-%" PRIu32, sep, s->sack[i].left - ack_base,
                    s->sack[i].right - ack_base);
            sep = ",";
        }
        u = add(buf, size, u, ">");
    }
    for (uint32_t bit = 1; bit < (1u << TCP_TAG_COUNT); bit <<= 1)
        if (s->tags & bit)
            u = add(buf, size, u, " [%s]", tcp_tag_name(bit));
    (void)u;
}

static void header(cli_text *w)
{
    if (w->header_done)
        return;
    w->header_done = true;
    if (w->show_conn)
        fprintf(w->out, "%6s  ", "conn");
    fprintf(w->out, "%12s  %-7s %s\n", "time (ms)", "side", "event");
}

static void fmt_dur(uint64_t us, char *buf, size_t size)
{
    if (us >= 1000000u && us % 1000u == 0)
        snprintf(buf, size, "%" PRIu64 ".%03" PRIu64 " s", us / 1000000u, (us / 1000u) % 1000u);
    else
        snprintf(buf, size, "%" PRIu64 ".%03" PRIu64 " ms", us / 1000u, us % 1000u);
}

void cli_text_learn(cli_text *w, const trace_event *ev)
{
    if (!w->relative_seq || !w->isn_cache || ev->kind != TRACE_SEND || !(ev->seg.flags & TCP_SYN))
        return;
    cli_isn_slot *slot = &w->isn_cache[ev->conn % CLI_TEXT_ISN_CACHE];
    if (slot->conn != ev->conn) {
        memset(slot, 0, sizeof *slot);
        slot->conn = ev->conn;
    }
    if (!slot->known[ev->ep & 1]) {
        slot->known[ev->ep & 1] = true;
        slot->isn[ev->ep & 1] = ev->seg.seq;
    }
}

/* A socket call: "accept(L) blocks", "read(C) = 3", "connect(S) = -1 EINPROGRESS". */
static size_t socket_call(char *line, size_t size, size_t u, const trace_event *ev)
{
    const char *call = tcp_call_name((tcp_call)ev->u.app.call);
    char arg[32] = "";
    if (ev->u.app.call == TCP_CALL_WRITE || ev->u.app.call == TCP_CALL_SENDTO ||
        ev->u.app.call == TCP_CALL_LISTEN)
        snprintf(arg, sizeof arg, ", %" PRIu64, ev->u.app.bytes);
    if (ev->u.app.phase == TRACE_CALL_BLOCKS)
        return add(line, size, u, "app   %s: %s(%s%s) blocks", ev->u.app.host, call, ev->u.app.sock,
                   arg);
    u = add(line, size, u, "app   %s: %s(%s%s) %s= %" PRId64, ev->u.app.host, call, ev->u.app.sock,
            arg, ev->u.app.phase == TRACE_CALL_RETURNS ? "returns " : "", ev->u.app.ret);
    const char *e = ev->u.app.ret < 0 ? trace_errno_name((int)-ev->u.app.ret) : NULL;
    if (e)
        u = add(line, size, u, " %s", e);
    if (ev->u.app.ret == 0 && strcmp(ev->text, "end of file") == 0)
        u = add(line, size, u, ", end of file");
    return u;
}

void cli_text_emit(void *ctx, const trace_event *ev)
{
    cli_text *w = ctx;
    if (ev->kind == TRACE_CONN && !w->show_conn)
        return; /* one connection: the heading names it */
    if (!w->verbose && ev->kind == TRACE_CWND)
        return;
    if (!w->verbose && ev->kind == TRACE_TIMER && ev->u.timer.timer == TCP_TIMER_DELACK)
        return;
    header(w);
    char t[32], line[512];
    fmt_ms(ev->t, t, sizeof t);
    size_t u = 0;
    line[0] = '\0';
    unsigned me = ev->ep, peer = 1u - ev->ep;
    uint32_t base_me = 0, base_peer = 0;
    if (w->relative_seq && w->isn_cache) {
        cli_isn_slot *slot = &w->isn_cache[ev->conn % CLI_TEXT_ISN_CACHE];
        if (slot->conn != ev->conn) {
            memset(slot, 0, sizeof *slot);
            slot->conn = ev->conn;
        }
        if (ev->kind == TRACE_SEND && (ev->seg.flags & TCP_SYN) && !slot->known[me & 1]) {
            slot->known[me & 1] = true;
            slot->isn[me & 1] = ev->seg.seq;
        }
        base_me = slot->known[me & 1] ? slot->isn[me & 1] : 0;
        base_peer = slot->known[peer & 1] ? slot->isn[peer & 1] : 0;
    } else if (w->relative_seq && w->meta) {
        base_me = w->meta->isn_known[me & 1] ? w->meta->isn[me & 1] : 0;
        base_peer = w->meta->isn_known[peer & 1] ? w->meta->isn[peer & 1] : 0;
    }
    switch ((trace_kind)ev->kind) {
    case TRACE_SEND:
    case TRACE_RECV:
    case TRACE_DROP: {
        /* the sender of a segment is ep for send/drop, the peer for recv */
        unsigned from = ev->kind == TRACE_RECV ? peer : me;
        uint32_t sb = from == me ? base_me : base_peer, ab = from == me ? base_peer : base_me;
        char seg[320];
        cli_text_segment(&ev->seg, sb, ab, seg, sizeof seg);
        const char *arrow = from == TRACE_CLIENT ? "-->" : "<--";
        const char *verb = ev->kind == TRACE_SEND   ? "send"
                           : ev->kind == TRACE_RECV ? "recv"
                                                    : "LOST";
        u = add(line, sizeof line, u, "%-5s %s %s", verb, ev->kind == TRACE_DROP ? "-x-" : arrow,
                seg);
        if (ev->kind == TRACE_DROP && ev->text[0])
            u = add(line, sizeof line, u, " (%s)", ev->text);
        break;
    }
    case TRACE_STATE:
        u = add(line, sizeof line, u, "state %s -> %s", tcp_state_name(ev->u.state.from),
                tcp_state_name(ev->u.state.to));
        if (ev->u.state.correction)
            u = add(line, sizeof line, u, " [correction]");
        if (ev->text[0])
            u = add(line, sizeof line, u, "  (%s)", ev->text);
        break;
    case TRACE_TIMER: {
        char d[32];
        fmt_dur(ev->u.timer.duration, d, sizeof d);
        const char *name = tcp_timer_name((tcp_timer_kind)ev->u.timer.timer);
        if (ev->u.timer.action == TRACE_TIMER_ARM)
            u = add(line, sizeof line, u, "timer %s armed for %s", name, d);
        else if (ev->u.timer.action == TRACE_TIMER_FIRE)
            u = add(line, sizeof line, u, "timer %s fired (after %s)", name, d);
        else
            u = add(line, sizeof line, u, "timer %s cancelled (after %s)", name, d);
        break;
    }
    case TRACE_CONN:
        u = add(line, sizeof line, u, "%s %s", ev->u.conn.udp ? "flow  udp" : "conn ", ev->text);
        break;
    case TRACE_APP: {
        const char *call = tcp_call_name((tcp_call)ev->u.app.call);
        if (ev->u.app.has_ret) {
            u = socket_call(line, sizeof line, u, ev);
        } else if (ev->u.app.call == TCP_CALL_WRITE) {
            u = add(line, sizeof line, u, "app   write(%" PRIu64 ")", ev->u.app.bytes);
            if (ev->u.app.blocked)
                u = add(line, sizeof line, u, " blocks: send buffer took %" PRIu64, ev->u.app.done);
        } else if (ev->u.app.call == TCP_CALL_READ) {
            if (ev->u.app.bytes == 0 && strcmp(ev->text, "end of file") == 0)
                u = add(line, sizeof line, u, "app   read() = 0, end of file");
            else
                u = add(line, sizeof line, u, "app   read() = %" PRIu64, ev->u.app.bytes);
        } else {
            u = add(line, sizeof line, u, "app   %s()", call);
        }
        if (ev->text[0] && strcmp(ev->text, "end of file") != 0) {
            u = add(line, sizeof line, u, " \"");
            for (const char *p = ev->text; *p; p++) {
                if (*p == '\n')
                    u = add(line, sizeof line, u, "\\n");
                else if (*p == '\r')
                    u = add(line, sizeof line, u, "\\r");
                else if ((unsigned char)*p < 32)
                    u = add(line, sizeof line, u, "\\x%02x", (unsigned)(unsigned char)*p);
                else
                    u = add(line, sizeof line, u, "%c", *p);
            }
            u = add(line, sizeof line, u, "\"");
        }
        break;
    }
    case TRACE_RTT: {
        char a[32], b[32], c[32], d[32];
        fmt_ms(ev->u.rtt.sample, a, sizeof a);
        fmt_ms(ev->u.rtt.srtt, b, sizeof b);
        fmt_ms(ev->u.rtt.rttvar, c, sizeof c);
        fmt_ms(ev->u.rtt.rto, d, sizeof d);
        u = add(line, sizeof line, u, "rtt   sample %s ms, srtt %s, rttvar %s, rto %s ms", a, b, c,
                d);
        break;
    }
    case TRACE_CWND:
        u = add(line, sizeof line, u, "cwnd  %" PRIu32, ev->u.cwnd.cwnd);
        if (ev->u.cwnd.ssthresh >= 0x3fffffffu)
            u = add(line, sizeof line, u, ", ssthresh -");
        else
            u = add(line, sizeof line, u, ", ssthresh %" PRIu32, ev->u.cwnd.ssthresh);
        if (ev->text[0])
            u = add(line, sizeof line, u, "  (%s)", ev->text);
        break;
    case TRACE_NOTE:
        if (ev->id != 0) /* about one of ep's segments: the replay taking back a loss */
            u = add(line, sizeof line, u, "note  seq=%" PRIu32 " len=%" PRIu32 ": %s",
                    ev->seg.seq - base_me, ev->seg.len, ev->text);
        else
            u = add(line, sizeof line, u, "note  %s", ev->text);
        break;
    default:
        u = add(line, sizeof line, u, "?");
        break;
    }
    (void)u;
    size_t end = strlen(line);
    while (end > 0 && line[end - 1] == ' ')
        line[--end] = '\0';
    if (w->show_conn)
        fprintf(w->out, "%6" PRIu32 "  ", ev->conn);
    fprintf(w->out, "%12s  %-7s %s\n", t, trace_ep_name(ev->ep), line);
}
