/*
 * tcp_tcbrec.h - reports an endpoint's transmission control block in the trace: a TRACE_TCB
 * event with a snapshot of its variables (RFC 9293 3.3.1: SND.UNA, SND.NXT, SND.WND, ISS,
 * RCV.NXT, RCV.WND, IRS; RFC 5681 cwnd and ssthresh; RFC 6298 SRTT, RTTVAR and RTO; the timers
 * running, the send and receive buffers and a blocked application call).
 *
 * The drivers (the simulator's main loop, the capture replay) call tcp_tcb_report after each
 * input, timer or application call they hand to an endpoint, when the trace asked for TCB
 * records; a record is written only when something in the snapshot changed since the last one.
 * Nothing here runs unless a driver calls it, so traces that do not ask cost nothing.
 */
#ifndef TCPSIM_TCP_TCBREC_H
#define TCPSIM_TCP_TCBREC_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp.h"
#include "trace.h"

/* Fills `out` with the endpoint's variables now; `blocked` is the tcp_call the application is
 * blocked in (known to the driver, not to the endpoint) or TRACE_TCB_NO_CALL. */
void tcp_tcb_take(const tcp_endpoint *ep, uint8_t blocked, trace_tcb *out);

/* Takes a snapshot and, when it differs from the last one reported, emits a TRACE_TCB event at
 * `now` through the endpoint's sink.  Returns true when it emitted one. */
bool tcp_tcb_report(tcp_endpoint *ep, uint64_t now, uint8_t blocked);

/* "state", "ISS", ... "buffers": the name of one TRACE_TCB_* bit, or NULL. */
const char *tcp_tcb_field_name(uint32_t bit);

#endif
