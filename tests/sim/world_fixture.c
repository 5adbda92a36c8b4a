/*
 * world_fixture.c - the scenario player and trace lookups of world_fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "world_fixture.h"

#include "sim_parse.h"

trace_buf wf_tb;
bool wf_tcb;
static sim_script script;
static sim_world world;

void wf_play(const char *text)
{
    trace_buf_free(&wf_tb);
    trace_buf_init(&wf_tb);
    if (sim_parse(&script, text, strlen(text)) != 0)
        fail_msg("parse: line %d col %d: %s", script.err[0].line, script.err[0].col,
                 script.err[0].msg);
    assert_int_equal(sim_world_init(&world, &script.sc, trace_buf_sink(&wf_tb)), 0);
    world.tcb = wf_tcb;
    assert_int_equal(sim_world_run(&world), 0);
    sim_world_free(&world);
    assert_false(wf_tb.oom);
}

void wf_done(void)
{
    trace_buf_free(&wf_tb);
}

const trace_event *wf_call(const char *host, tcp_call call, uint8_t phase, int n)
{
    for (size_t k = 0; k < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind == TRACE_APP && e->u.app.has_ret && e->u.app.call == call &&
            e->u.app.phase == phase && strcmp(e->u.app.host, host) == 0 && --n == 0)
            return e;
    }
    return NULL;
}

int wf_sends(uint32_t conn, uint8_t ep, uint8_t flags, bool exact)
{
    int n = 0;
    for (size_t k = 0; k < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind == TRACE_SEND && e->conn == conn && e->ep == ep &&
            (exact ? e->seg.flags == flags : (e->seg.flags & flags) == flags))
            n++;
    }
    return n;
}

const trace_event *wf_send(uint32_t conn, uint8_t ep, uint8_t flags, int n)
{
    for (size_t k = 0; k < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind == TRACE_SEND && e->conn == conn && e->ep == ep && e->seg.flags == flags &&
            --n == 0)
            return e;
    }
    return NULL;
}

const trace_event *wf_conn(uint32_t conn)
{
    for (size_t k = 0; k < wf_tb.n; k++)
        if (wf_tb.ev[k].kind == TRACE_CONN && wf_tb.ev[k].conn == conn)
            return &wf_tb.ev[k];
    return NULL;
}

int wf_notes(uint32_t conn, const char *part)
{
    int n = 0;
    for (size_t k = 0; k < wf_tb.n; k++)
        if (wf_tb.ev[k].kind == TRACE_NOTE && wf_tb.ev[k].conn == conn &&
            strstr(wf_tb.ev[k].text, part))
            n++;
    return n;
}

bool wf_note(uint32_t conn, const char *part)
{
    return wf_notes(conn, part) > 0;
}
