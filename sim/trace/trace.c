/*
 * trace.c - the in-memory trace buffer, the tee and the trace names.
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void trace_buf_init(trace_buf *b)
{
    b->ev = NULL;
    b->n = 0;
    b->cap = 0;
    b->oom = false;
    b->meta = (trace_meta){0};
}

void trace_buf_free(trace_buf *b)
{
    free(b->ev);
    b->ev = NULL;
    b->n = b->cap = 0;
}

void trace_buf_emit(void *ctx, const trace_event *ev)
{
    trace_buf *b = ctx;
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 256;
        trace_event *p = realloc(b->ev, ncap * sizeof *p);
        if (p == NULL) {
            b->oom = true;
            return;
        }
        b->ev = p;
        b->cap = ncap;
    }
    b->ev[b->n++] = *ev;
}

void trace_tee_emit(void *ctx, const trace_event *ev)
{
    trace_tee *t = ctx;
    for (int i = 0; i < t->n; i++)
        trace_sink_put(&t->out[i], ev);
}

int trace_tee_add(trace_tee *t, trace_sink s)
{
    if (t->n >= TRACE_TEE_MAX)
        return -1;
    t->out[t->n++] = s;
    return 0;
}

const char *trace_kind_name(trace_kind k)
{
    static const char *const n[TRACE_KIND_COUNT] = {"send", "recv", "drop", "state", "timer",
                                                    "app",  "rtt",  "cwnd", "note",  "conn"};
    return (unsigned)k < TRACE_KIND_COUNT ? n[k] : "?";
}

const char *trace_timer_action_name(trace_timer_action a)
{
    switch (a) {
    case TRACE_TIMER_ARM:
        return "arm";
    case TRACE_TIMER_FIRE:
        return "fire";
    case TRACE_TIMER_CANCEL:
        return "cancel";
    }
    return "?";
}

const char *trace_errno_name(int e)
{
    switch (e) {
    case TRACE_EBADF:
        return "EBADF";
    case TRACE_EAGAIN:
        return "EAGAIN";
    case TRACE_EINVAL:
        return "EINVAL";
    case TRACE_EPIPE:
        return "EPIPE";
    case TRACE_EADDRINUSE:
        return "EADDRINUSE";
    case TRACE_ECONNRESET:
        return "ECONNRESET";
    case TRACE_EISCONN:
        return "EISCONN";
    case TRACE_ENOTCONN:
        return "ENOTCONN";
    case TRACE_ETIMEDOUT:
        return "ETIMEDOUT";
    case TRACE_ECONNREFUSED:
        return "ECONNREFUSED";
    case TRACE_EALREADY:
        return "EALREADY";
    case TRACE_EINPROGRESS:
        return "EINPROGRESS";
    default:
        return NULL;
    }
}

const char *trace_ep_name(unsigned ep)
{
    return ep == TRACE_CLIENT ? "client" : ep == TRACE_SERVER ? "server" : "?";
}

void trace_set_text(trace_event *ev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->text, sizeof ev->text, fmt, ap);
    va_end(ap);
}
