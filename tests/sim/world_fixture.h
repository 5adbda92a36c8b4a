/*
 * world_fixture.h - plays a scenario file with hosts (sim/net/sim_sock.h) into a trace buffer
 * and finds events in it, for the tests of the socket layer and the listener (test_sim_*.c).
 */
#ifndef TCPSIM_WORLD_FIXTURE_H
#define TCPSIM_WORLD_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_sock.h"
#include "trace.h"

extern trace_buf wf_tb; /* the events of the last wf_play */
extern bool wf_tcb;     /* ask the world for TCB records */

/* Parses and plays `text` into wf_tb; a parse error or a failed run fails the test. */
void wf_play(const char *text);
/* Frees wf_tb (at the end of a test program). */
void wf_done(void);
/* The n-th (from 1) app event of `call` on host `host` in phase `phase`, or NULL. */
const trace_event *wf_call(const char *host, tcp_call call, uint8_t phase, int n);
/* Segments sent by `ep` of connection `conn` with all of `flags` set (and no others if exact). */
int wf_sends(uint32_t conn, uint8_t ep, uint8_t flags, bool exact);
/* The n-th (from 1) segment sent by `ep` of `conn` whose flags are exactly `flags`, or NULL. */
const trace_event *wf_send(uint32_t conn, uint8_t ep, uint8_t flags, int n);
/* The conn record of connection `conn`, or NULL. */
const trace_event *wf_conn(uint32_t conn);
/* A note of connection `conn` containing `part`. */
bool wf_note(uint32_t conn, const char *part);
/* How many notes of connection `conn` contain `part`. */
int wf_notes(uint32_t conn, const char *part);

#endif
