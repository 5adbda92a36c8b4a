/*
 * rnd_fixture.h - hand-built traces for the renderer's tests and benchmark, with realistic
 * numbers (ACK = SEQ + LEN, SYN and FIN take one sequence number, RFC 6298 timers), standing in
 * for the simulator and the capture replayer.  Events may be added in any order; fx_finish()
 * sorts them by time, keeping the order of equal times.
 */
#ifndef TCPSIM_RND_FIXTURE_H
#define TCPSIM_RND_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

#define FX_LOST UINT64_MAX       /* arrival time of a segment the link drops */
#define FX_NONE (UINT64_MAX - 1) /* capture: no drop, no arrival event */

/* Starts an empty trace. */
void fx_begin(trace_buf *b, const char *title, bool capture, uint64_t one_way);
/* A segment sent by ep at t, arriving at `arrive` (FX_LOST: a DROP; captures: FX_NONE, or the
 * time of the inferred DROP).  Returns its id. */
uint64_t fx_seg(trace_buf *b, uint64_t t, uint8_t ep, uint8_t flags, uint32_t seq, uint32_t ack,
                uint32_t len, uint32_t win, uint32_t tags, uint64_t arrive);
void fx_state(trace_buf *b, uint64_t t, uint8_t ep, int from, int to, const char *cause);
void fx_timer(trace_buf *b, uint64_t t, uint8_t ep, int kind, int action, uint64_t duration);
void fx_app(trace_buf *b, uint64_t t, uint8_t ep, int call, uint64_t bytes, const char *text);
/* Sets the connection number of events added from now on. */
void fx_conn(trace_buf *b, uint32_t conn);
/* Sorts by time; call once at the end. */
void fx_finish(trace_buf *b);

/* Handshake, write(11) whose segment is lost, an RTO retransmission after 1 s, and the four-way
 * close ending in 120 s of TIME-WAIT.  One-way delay 50 ms. */
void fx_loss(trace_buf *b);
/* A capture taken near the client, connection 3 (with a few packets of connection 2 around it),
 * ISNs just below 2^32, a packet lost after the capture point, a dup ACK with SACK and a fast
 * retransmission.  One-way delay estimated at 12 ms. */
void fx_capture(trace_buf *b);
/* A capture on loopback, as the replay reports it: send events at capture times, state changes
 * right after the packet that caused them, capture point unknown, packets microseconds apart and
 * several in the same microsecond.  `one_way` is what the handshake showed (0: unknown).  With
 * `syn` false the capture starts mid-connection (both sides assumed ESTABLISHED).  With `dups`,
 * three frames are captured twice (tagged duplicate-frame). */
void fx_loopback(trace_buf *b, uint64_t one_way, bool syn, bool dups);
/* A bulk transfer of n data segments (1448 bytes) with an ACK every second segment, one loss per
 * 1000 segments recovered by fast retransmission after three dup ACKs, then the close. */
void fx_bulk(trace_buf *b, unsigned n);
/* The receiver's window closes, the sender probes it under the persist timer, a window update
 * reopens it. */
void fx_zerowin(trace_buf *b);

#endif
