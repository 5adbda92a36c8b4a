/*
 * sim_app.c - the applications at both ends: scenario actions (listen, connect, write, read,
 * shutdown, close, abort) and standing behaviour (read what arrives, echo it, close after the
 * peer closed).  A write larger than the free send buffer blocks, as a blocking socket would:
 * the rest goes in as space frees, and the application's later actions wait until it has.
 */
#include <stdio.h>
#include <string.h>

#include "sim_net.h"

static void emit_app(sim_net *net, uint8_t ep, tcp_call call, uint64_t bytes, uint64_t done,
                     bool blocked, const char *text)
{
    if (!trace_sink_on(&net->sink))
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = net->now;
    ev.ep = ep;
    ev.kind = TRACE_APP;
    ev.u.app.call = (uint8_t)call;
    ev.u.app.bytes = bytes;
    ev.u.app.done = done;
    ev.u.app.blocked = blocked;
    if (text && *text)
        trace_set_text(&ev, "%s", text);
    trace_sink_put(&net->sink, &ev);
}

static void emit_note(sim_net *net, uint8_t ep, const char *text)
{
    if (!trace_sink_on(&net->sink))
        return;
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.t = net->now;
    ev.ep = ep;
    ev.kind = TRACE_NOTE;
    trace_set_text(&ev, "%s", text);
    trace_sink_put(&net->sink, &ev);
}

static void log_text(sim_textlog *log, uint64_t off, const char *text, uint32_t len)
{
    if (log->n >= SIM_TEXT_LOG || len == 0)
        return;
    log->off[log->n] = off;
    log->len[log->n] = len;
    memcpy(log->text[log->n], text, len < SIM_TEXT_MAX ? len : SIM_TEXT_MAX - 1);
    log->text[log->n][len < SIM_TEXT_MAX ? len : SIM_TEXT_MAX - 1] = '\0';
    log->n++;
}

/* The written text that bytes [off, off+len) of a stream came from, as far as it is known. */
static void preview(const sim_textlog *log, uint64_t off, uint64_t len, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < log->n && used + 1 < size; i++) {
        uint64_t a = log->off[i], b = a + log->len[i];
        uint64_t lo = off > a ? off : a, hi = off + len < b ? off + len : b;
        for (uint64_t k = lo; k < hi && used + 1 < size && k - a < SIM_TEXT_MAX - 1; k++)
            out[used++] = log->text[i][k - a];
    }
    out[used] = '\0';
}

static void do_write(sim_net *net, uint8_t i, uint64_t n, const char *text, bool announce)
{
    sim_app *app = &net->app[i];
    tcp_endpoint *ep = &net->ep[i];
    if (text && *text)
        log_text(&net->textlog[i], app->written, text, (uint32_t)strlen(text));
    app->written += n;
    if (app->blocked) { /* an echo while an earlier write still waits: queue behind it */
        app->pending += n;
        return;
    }
    uint64_t took = tcp_send(ep, net->now, n);
    bool blocked = took < n;
    if (announce || blocked)
        emit_app(net, i, TCP_CALL_WRITE, n, took, blocked, text);
    if (took == 0 && n > 0 &&
        (ep->fin_queued || !(ep->state == TCP_ESTABLISHED || ep->state == TCP_CLOSE_WAIT ||
                             ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RECEIVED))) {
        emit_note(net, i, "write failed: connection is not open for sending");
        app->written -= n;
        return;
    }
    if (blocked) {
        app->pending = n - took;
        app->blocked_call_bytes = n;
        app->blocked = true;
    }
}

static void run_action(sim_net *net, const sim_action *a)
{
    uint8_t i = a->ep;
    tcp_endpoint *ep = &net->ep[i];
    sim_app *app = &net->app[i];
    int rc = 0;
    switch ((tcp_call)a->call) {
    case TCP_CALL_LISTEN:
        emit_app(net, i, TCP_CALL_LISTEN, 0, 0, false, NULL);
        rc = tcp_open_passive(ep, net->now);
        break;
    case TCP_CALL_CONNECT:
        emit_app(net, i, TCP_CALL_CONNECT, 0, 0, false, NULL);
        rc = tcp_open_active(ep, net->now);
        app->connecting = rc == 0; /* a blocking connect() returns when the handshake ends */
        break;
    case TCP_CALL_WRITE: {
        uint64_t n = a->text[0] ? strlen(a->text) : a->bytes;
        do_write(net, i, n, a->text, true);
        break;
    }
    case TCP_CALL_READ: {
        uint64_t want = a->bytes ? a->bytes : UINT64_MAX;
        uint64_t off = app->read;
        uint64_t got = tcp_recv(ep, net->now, want);
        app->read += got;
        char pv[SIM_TEXT_MAX];
        preview(&net->textlog[1 - i], off, got, pv, sizeof pv);
        if (got == 0 && tcp_eof(ep)) {
            snprintf(pv, sizeof pv, "end of file");
            app->eof_seen = true;
        }
        emit_app(net, i, TCP_CALL_READ, got, got, false, pv);
        if (got > 0 && !app->eof_seen && tcp_eof(ep) && (a->bytes == 0 || got < a->bytes)) {
            /* what had arrived ended with the peer's FIN: reading on until the socket would
             * block meets the end of file in the same call (as tests/kernel's kt_peer reads) */
            app->eof_seen = true;
            emit_app(net, i, TCP_CALL_READ, 0, 0, false, "end of file");
        }
        break;
    }
    case TCP_CALL_SHUTDOWN:
        emit_app(net, i, TCP_CALL_SHUTDOWN, 0, 0, false, NULL);
        rc = tcp_shutdown(ep, net->now);
        break;
    case TCP_CALL_CLOSE:
        emit_app(net, i, TCP_CALL_CLOSE, 0, 0, false, NULL);
        app->closed = true;
        rc = tcp_close(ep, net->now);
        break;
    case TCP_CALL_ABORT:
        emit_app(net, i, TCP_CALL_ABORT, 0, 0, false, NULL);
        app->closed = true;
        app->pending = 0;
        app->blocked = false;
        tcp_abort(ep, net->now);
        break;
    default:
        break;
    }
    if (rc < 0) {
        static const char *const why[] = {"", "connection already exists", "connection closing",
                                          "connection does not exist", "invalid in this state"};
        char msg[TRACE_TEXT_MAX];
        int k = -rc < 5 ? -rc : 4;
        strcpy(msg, "error: ");
        strncat(msg, why[k], sizeof msg - strlen(msg) - 1);
        emit_note(net, i, msg);
    }
}

void sim_app_action(sim_net *net, uint32_t index)
{
    const sim_action *a = &net->sc.actions[index];
    sim_app *app = &net->app[a->ep];
    if ((app->blocked || app->connecting) && app->n_deferred < SIM_MAX_ACTIONS) {
        app->deferred[app->n_deferred++] = index;
        return;
    }
    run_action(net, a);
}

void sim_app_close(sim_net *net, uint8_t i)
{
    sim_app *app = &net->app[i];
    if (app->closed)
        return;
    app->closed = true;
    emit_app(net, i, TCP_CALL_CLOSE, 0, 0, false, NULL);
    tcp_close(&net->ep[i], net->now);
}

static void run_deferred(sim_net *net, uint8_t i)
{
    sim_app *app = &net->app[i];
    uint32_t k = 0;
    while (k < app->n_deferred && !app->blocked && !app->connecting)
        run_action(net, &net->sc.actions[app->deferred[k++]]);
    memmove(app->deferred, app->deferred + k, (app->n_deferred - k) * sizeof app->deferred[0]);
    app->n_deferred -= k;
}

bool sim_app_react(sim_net *net, uint8_t i)
{
    sim_app *app = &net->app[i];
    tcp_endpoint *ep = &net->ep[i];
    const sim_app_cfg *cfg = &net->sc.app[i];
    bool progress = false;

    if (app->connecting && ep->state != TCP_SYN_SENT && ep->state != TCP_SYN_RECEIVED) {
        /* connect() returned: established, or failed (refused, timed out) */
        app->connecting = false;
        if (ep->state != TCP_ESTABLISHED)
            emit_note(net, i, "connect() failed");
        run_deferred(net, i);
        progress = true;
    }
    if (app->blocked) {
        uint64_t took = tcp_send(ep, net->now, app->pending);
        if (took > 0) {
            app->pending -= took;
            progress = true;
        }
        if (app->pending == 0) {
            app->blocked = false;
            emit_note(net, i, "write unblocked: all bytes are in the send buffer");
            run_deferred(net, i);
        } else if (ep->state == TCP_CLOSED) {
            app->blocked = false; /* the connection died under the blocked write */
            app->pending = 0;
            run_deferred(net, i);
        }
    }
    if (cfg->auto_read && !app->closed && tcp_readable(ep) > 0) {
        uint64_t off = app->read;
        uint64_t got = tcp_recv(ep, net->now, UINT64_MAX);
        app->read += got;
        char pv[SIM_TEXT_MAX];
        preview(&net->textlog[1 - i], off, got, pv, sizeof pv);
        emit_app(net, i, TCP_CALL_READ, got, got, false, pv);
        if (cfg->echo)
            do_write(net, i, got, pv, true);
        progress = true;
    }
    if (cfg->auto_read && !app->closed && !app->eof_seen && tcp_eof(ep)) {
        app->eof_seen = true;
        emit_app(net, i, TCP_CALL_READ, 0, 0, false, "end of file");
        progress = true;
    }
    if (cfg->close_on_eof && !app->closed && !app->close_scheduled && app->eof_seen &&
        !app->blocked) {
        if (cfg->close_delay == 0) {
            sim_app_close(net, i);
        } else {
            sim_event ev;
            memset(&ev, 0, sizeof ev);
            ev.t = net->now + cfg->close_delay;
            ev.type = SIM_EV_CLOSE;
            ev.to = i;
            sim_heap_push(&net->heap, &ev);
        }
        app->close_scheduled = true;
        progress = true;
    }
    return progress;
}
