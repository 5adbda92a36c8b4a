/*
 * rnd_text.c - formatting of durations, times, segment labels and application calls for the
 * diagrams.  Every function writes a NUL-terminated string of at most size-1 bytes.
 */
#include "rnd_text.h"

#include <stdio.h>
#include <string.h>

#include "tcp_seg.h"
#include "tcp_state.h"

const char *rnd_fmt_duration(uint64_t us, char *buf, size_t size)
{
    if (us < 1000)
        snprintf(buf, size, "%llu us", (unsigned long long)us);
    else if (us < 10000)
        snprintf(buf, size, "%.1f ms", (double)us / 1e3);
    else if (us < 1000000)
        snprintf(buf, size, "%.0f ms", (double)us / 1e3);
    else if (us < 100000000)
        snprintf(buf, size, "%.1f s", (double)us / 1e6);
    else
        snprintf(buf, size, "%.0f s", (double)us / 1e6);
    return buf;
}

const char *rnd_fmt_ms(int64_t us, int decimals, char *buf, size_t size)
{
    snprintf(buf, size, "%.*f", decimals, (double)us / 1e3);
    return buf;
}

const char *rnd_fmt_seg(const rnd_mseg *s, char *buf, size_t size)
{
    char flags[40];
    size_t n;
    if (s->seg.tags & TCP_TAG_DATAGRAM) { /* UDP: no flags, no ACK, no window (as the text trace) */
        snprintf(buf, size, "UDP off=%lu len=%lu", (unsigned long)s->seg.seq,
                 (unsigned long)s->seg.len);
        return buf;
    }
    tcp_flags_str(s->seg.flags, flags, sizeof flags);
    if (flags[0] == '\0')
        snprintf(flags, sizeof flags, "(no flags)");
    n = (size_t)snprintf(buf, size, "%s seq=%lu", flags, (unsigned long)s->dseq);
    if ((s->seg.flags & TCP_ACK) && n < size)
        n += (size_t)snprintf(buf + n, size - n, " ack=%lu", (unsigned long)s->dack);
    if (s->seg.len > 0 && n < size)
        n += (size_t)snprintf(buf + n, size - n, " len=%lu", (unsigned long)s->seg.len);
    if (n < size)
        snprintf(buf + n, size - n, " win=%lu", (unsigned long)s->seg.win);
    return buf;
}

/* Appends text with its control characters made visible: a line end as the return symbol, a
 * carriage return as \r, a tab as \t, others as \xNN; cut with ".." after `max` bytes. */
static size_t visible(char *buf, size_t size, size_t n, const char *text, size_t max)
{
    size_t len = strnlen(text, TRACE_TEXT_MAX);
    for (size_t i = 0; i < len && n + 8 < size; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (i >= max) {
            n += (size_t)snprintf(buf + n, size - n, "..");
            break;
        }
        if (ch == '\n')
            n += (size_t)snprintf(buf + n, size - n, "\u21b5");
        else if (ch == '\r')
            n += (size_t)snprintf(buf + n, size - n, "\\r");
        else if (ch == '\t')
            n += (size_t)snprintf(buf + n, size - n, "\\t");
        else if (ch < 0x20 || ch == 0x7f)
            n += (size_t)snprintf(buf + n, size - n, "\\x%02x", ch);
        else
            buf[n++] = (char)ch;
    }
    if (n < size)
        buf[n] = '\0';
    return n;
}

/* A socket call of a scenario with hosts, as the text trace writes it without the host (the
 * lane names it): "accept(L) blocks", "read(C) = 6", "connect(S) = -1 EINPROGRESS". */
static size_t fmt_socket_call(const trace_event *ev, char *buf, size_t size, bool eof)
{
    const char *name = tcp_call_name((tcp_call)ev->u.app.call);
    char arg[32] = "";
    if (ev->u.app.call == TCP_CALL_WRITE || ev->u.app.call == TCP_CALL_SENDTO ||
        ev->u.app.call == TCP_CALL_LISTEN)
        snprintf(arg, sizeof arg, ", %llu", (unsigned long long)ev->u.app.bytes);
    if (ev->u.app.phase == TRACE_CALL_BLOCKS)
        return (size_t)snprintf(buf, size, "%s(%s%s) blocks", name, ev->u.app.sock, arg);
    size_t n = (size_t)snprintf(buf, size, "%s(%s%s) %s= %lld", name, ev->u.app.sock, arg,
                                ev->u.app.phase == TRACE_CALL_RETURNS ? "returns " : "",
                                (long long)ev->u.app.ret);
    const char *e = ev->u.app.ret < 0 ? trace_errno_name((int)-ev->u.app.ret) : NULL;
    if (e && n < size)
        n += (size_t)snprintf(buf + n, size - n, " %s", e);
    if (eof && ev->u.app.ret == 0 && n < size)
        n += (size_t)snprintf(buf + n, size - n, ", end of file");
    return n < size ? n : size - 1;
}

const char *rnd_fmt_app(const trace_event *ev, char *buf, size_t size)
{
    const char *name = tcp_call_name((tcp_call)ev->u.app.call);
    size_t n;
    bool eof = strcmp(ev->text, "end of file") == 0;
    if (ev->u.app.has_ret) {
        n = fmt_socket_call(ev, buf, size, eof);
        if (ev->u.app.phase != TRACE_CALL_BLOCKS && ev->text[0] != '\0' && !eof && n + 4 < size) {
            n += (size_t)snprintf(buf + n, size - n, " \"");
            n = visible(buf, size, n, ev->text, 14);
            if (n + 2 < size)
                snprintf(buf + n, size - n, "\"");
        }
        return buf;
    }
    switch (ev->u.app.call) {
    case TCP_CALL_WRITE: /* as the socket API returns: the bytes the send buffer took */
        if (ev->u.app.blocked)
            n = (size_t)snprintf(buf, size, "write(%llu) blocks, %llu taken",
                                 (unsigned long long)ev->u.app.bytes,
                                 (unsigned long long)ev->u.app.done);
        else
            n = (size_t)snprintf(buf, size, "write(%llu) = %llu",
                                 (unsigned long long)ev->u.app.bytes,
                                 (unsigned long long)ev->u.app.bytes);
        break;
    case TCP_CALL_READ:
        n = (size_t)snprintf(buf, size, "read() = %llu%s", (unsigned long long)ev->u.app.bytes,
                             eof ? ", end of file" : "");
        break;
    default:
        n = (size_t)snprintf(buf, size, "%s()", name);
        break;
    }
    if (ev->text[0] != '\0' && !eof && n + 4 < size) {
        n += (size_t)snprintf(buf + n, size - n, " \"");
        n = visible(buf, size, n, ev->text, 14);
        if (n + 2 < size)
            snprintf(buf + n, size - n, "\"");
    }
    return buf;
}

const char *rnd_fmt_remark(const trace_event *ev, char *buf, size_t size)
{
    char a[24], b[24], c[24], d[24];
    if (ev->kind == TRACE_RTT) {
        snprintf(buf, size, "RTT %s: SRTT %s, RTTVAR %s, RTO %s",
                 rnd_fmt_duration(ev->u.rtt.sample, a, sizeof a),
                 rnd_fmt_duration(ev->u.rtt.srtt, b, sizeof b),
                 rnd_fmt_duration(ev->u.rtt.rttvar, c, sizeof c),
                 rnd_fmt_duration(ev->u.rtt.rto, d, sizeof d));
    } else if (strncmp(ev->text, "write unblocked", 15) == 0) {
        snprintf(buf, size, "... write unblocked");
    } else {
        visible(buf, size, 0, ev->text, TRACE_TEXT_MAX);
    }
    return buf;
}

const char *rnd_fmt_bytes(double v, char *buf, size_t size)
{
    double a = v < 0 ? -v : v;
    if (a < 10000)
        snprintf(buf, size, "%.0f", v);
    else if (a < 1e6)
        snprintf(buf, size, "%.4gk", v / 1e3);
    else if (a < 1e9)
        snprintf(buf, size, "%.4gM", v / 1e6);
    else
        snprintf(buf, size, "%.4gG", v / 1e9);
    return buf;
}
