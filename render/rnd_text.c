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

const char *rnd_fmt_app(const trace_event *ev, char *buf, size_t size)
{
    const char *name = tcp_call_name((tcp_call)ev->u.app.call);
    switch (ev->u.app.call) {
    case TCP_CALL_WRITE:
    case TCP_CALL_READ: {
        size_t n =
            (size_t)snprintf(buf, size, "%s(%llu)", name, (unsigned long long)ev->u.app.bytes);
        if (ev->u.app.call == TCP_CALL_WRITE && ev->text[0] != '\0' && n < size) {
            /* a short preview of the text written, cut at 14 characters */
            char pv[18];
            size_t len = strnlen(ev->text, sizeof ev->text);
            if (len > 14) {
                memcpy(pv, ev->text, 12);
                memcpy(pv + 12, "..", 3);
            } else {
                memcpy(pv, ev->text, len + 1);
            }
            for (char *p = pv; *p; p++)
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                    *p = '.';
            n += (size_t)snprintf(buf + n, size - n, " \"%s\"", pv);
        }
        if (ev->u.app.blocked && n < size)
            snprintf(buf + n, size - n, " blocks");
        break;
    }
    default:
        snprintf(buf, size, "%s()", name);
        break;
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
