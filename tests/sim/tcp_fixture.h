/*
 * tcp_fixture.h - helpers for the endpoint's unit tests: one endpoint under test, a trace_buf
 * that records what it reports, a virtual clock, segment builders, "feed this segment at this
 * time and expect exactly this segment back (or nothing)", and fixtures that put the endpoint
 * into each RFC 9293 state by driving real segments through tcp_input, never by poking fields.
 *
 * The peer is imaginary: the test plays it by hand.  Its ISN is `peer` in the fixture, ours is
 * `isn`; tests use ISNs near 2^32 (FX_ISN_WRAP) so that sequence numbers wrap inside them.
 *
 * The expect_* macros report the caller's file and line when they fail, and print every segment
 * the endpoint produced, so a failing test says what came out instead of what was expected.
 */
#ifndef TCPSIM_TESTS_TCP_FIXTURE_H
#define TCPSIM_TESTS_TCP_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tcp.h"
#include "trace.h"

#define FX_MS(x)  ((uint64_t)(x)*1000u)
#define FX_SEC(x) ((uint64_t)(x)*1000000u)

/* ISNs used by many tests: sequence numbers cross 2^32 a few numbers into the connection. */
#define FX_ISN_WRAP      0xFFFFFFF0u
#define FX_PEER_ISN_WRAP 0xFFFFFFFEu
/* The textbook ISNs (the simulator's defaults). */
#define FX_ISN_CLIENT 1000u
#define FX_ISN_SERVER 2000u

/* One round trip of the imaginary peer in the fixtures (the handshake's RTT sample). */
#define FX_RTT FX_MS(100)

#define FX_MAX_OUT 64

typedef struct fx {
    tcp_endpoint ep;
    tcp_sb sb; /* the endpoint's scoreboard */
    trace_buf tb;
    uint64_t now;
    size_t mark;       /* trace events before this index belong to earlier steps */
    uint32_t isn;      /* our ISN (cfg.isn) */
    uint32_t peer;     /* the imaginary peer's ISN */
    uint16_t peer_mss; /* MSS option on the peer's SYN; 0 = no option */
    uint32_t peer_win; /* window on every segment the fixture builds */
    bool peer_sack;    /* the peer's SYN carries SACK-permitted */
    bool peer_ws;      /* the peer's SYN carries window scale peer_ws_shift */
    uint8_t peer_ws_shift;
    bool peer_ts;       /* the peer's segments carry timestamps: TSval = its clock (ms + 1),
                           TSecr = the last TSval we sent */
    uint32_t our_tsval; /* the last TSval we sent (fx_drain records it) */
    tcp_seg out[FX_MAX_OUT];
    int n_out; /* segments collected by the last fx_drain */
} fx;

/* Default configuration for tests: RFC defaults with isn set. */
tcp_config fx_config(uint32_t isn);
/* Sets up a CLOSED endpoint `id` with configuration cfg (NULL: fx_config(isn)); cfg->isn is
 * replaced by isn.  The peer announces MSS 1460 and window 65535 unless the test changes
 * peer_mss / peer_win before driving the handshake. */
void fx_init(fx *f, uint8_t id, uint32_t isn, uint32_t peer_isn, const tcp_config *cfg);
void fx_free(fx *f);

/* A segment from the peer: win and win_raw both set to the fixture's peer window. */
tcp_seg fx_seg(const fx *f, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len);
/* A segment from the peer with SACK blocks (left, right pairs, at most 4). */
tcp_seg fx_seg_sack(const fx *f, uint32_t seq, uint32_t ack, const uint32_t *blocks, int n);
/* The same with an explicit window (win and win_raw; the window must fit 16 bits). */
tcp_seg fx_segw(uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len, uint16_t win);

/* Moves the clock to t (never backwards) without running anything. */
void fx_at(fx *f, uint64_t t);
/* Moves the clock (never backwards) and runs tcp_input. */
void fx_feed(fx *f, uint64_t t, const tcp_seg *s);
/* fx_feed with a segment built in place. */
void fx_send_seg(fx *f, uint64_t t, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len);
/* Moves the clock to t and runs tcp_tick if a deadline is due. */
void fx_tick(fx *f, uint64_t t);
/* Calls tcp_output at the current time until it returns false; returns the count (segments
 * are in f->out). */
int fx_drain(fx *f);
/* Forgets the trace events so far: later expect_state*() look only at what follows. */
void fx_mark(fx *f);

/* Trace queries over the events since the mark. */
size_t fx_count(const fx *f, trace_kind k);
/* The i-th event of kind k since the mark, or NULL. */
const trace_event *fx_find(const fx *f, trace_kind k, size_t i);
/* The i-th timer event with this timer kind and action since the mark, or NULL. */
const trace_event *fx_find_timer(const fx *f, tcp_timer_kind t, trace_timer_action a, size_t i);

/* Prints segments as "SYN,ACK seq=.. ack=.. len=.. win=.." lines to stderr. */
void fx_print_segs(const tcp_seg *s, int n);

/* ---- assertions (implementation functions; use the macros) ---- */
const tcp_seg *fx_expect_seg_(fx *f, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
                              const char *file, int line);
void fx_expect_nothing_(fx *f, const char *file, int line);
void fx_expect_state_(const fx *f, tcp_state from, tcp_state to, const char *file, int line);
void fx_expect_states2_(const fx *f, tcp_state a, tcp_state b, tcp_state c, const char *file,
                        int line);
void fx_expect_no_state_change_(const fx *f, tcp_state now, const char *file, int line);
void fx_expect_seg_fields_(const tcp_seg *s, uint8_t flags, uint32_t seq, uint32_t ack,
                           uint32_t len, const char *file, int line);

/* Drains output and asserts that it is exactly one segment with these flags (all of them, no
 * others), SEG.SEQ, SEG.ACK (0 when ACK is not set) and payload length.  Returns it. */
#define expect_seg(f, flags, seq, ack, len)                                                        \
    fx_expect_seg_((f), (uint8_t)(flags), (seq), (ack), (len), __FILE__, __LINE__)
/* Drains output and asserts that there is none. */
#define expect_nothing(f) fx_expect_nothing_((f), __FILE__, __LINE__)
/* Asserts one state event from -> to since the mark (and that the endpoint is in `to`). */
#define expect_state(f, from, to) fx_expect_state_((f), (from), (to), __FILE__, __LINE__)
/* Asserts exactly two state events a -> b -> c since the mark. */
#define expect_states2(f, a, b, c) fx_expect_states2_((f), (a), (b), (c), __FILE__, __LINE__)
/* Asserts no state event since the mark and that the endpoint is in state s. */
#define expect_no_state_change(f, s) fx_expect_no_state_change_((f), (s), __FILE__, __LINE__)
/* Asserts the fields of a segment the test already has. */
#define expect_fields(s, flags, seq, ack, len)                                                     \
    fx_expect_seg_fields_((s), (uint8_t)(flags), (seq), (ack), (len), __FILE__, __LINE__)

/* ---- fixtures: each leaves the endpoint in the named state, the output drained, the clock at
 * the last step and the trace marked.  Client fixtures use an active open, server fixtures a
 * passive one.  Sequence numbers afterwards (with i = f->isn, p = f->peer):
 *   client_syn_sent:      SND.NXT = i+1                 (SYN sent at t=0)
 *   client_established:   SND.NXT = i+1, RCV.NXT = p+1  (SYN,ACK arrived at t=100 ms)
 *   server_syn_received:  the peer's SYN <SEQ=p> at t=0, our SYN,ACK <SEQ=i><ACK=p+1> sent:
 *                         SND.NXT = i+1, RCV.NXT = p+1
 *   server_established:   the ACK <SEQ=p+1><ACK=i+1> arrived at t=100 ms
 *   active_syn_received:  simultaneous open: our SYN <SEQ=i> at t=0, the peer's SYN <SEQ=p> at
 *                         t=50 ms, our SYN,ACK <SEQ=i><ACK=p+1> sent
 *   fin_wait_1:           client_established, close() at t=200 ms: FIN <SEQ=i+1> sent
 *   fin_wait_2:           fin_wait_1, ACK <SEQ=p+1><ACK=i+2> at t=300 ms
 *   close_wait:           client_established, FIN <SEQ=p+1><ACK=i+1> at t=200 ms, ACK sent
 *   closing:              fin_wait_1, FIN <SEQ=p+1><ACK=i+1> at t=300 ms, ACK <i+2, p+2> sent
 *   last_ack:             close_wait, close() at t=300 ms: FIN <SEQ=i+1><ACK=p+2> sent
 *   time_wait:            fin_wait_2, FIN <SEQ=p+1><ACK=i+2> at t=400 ms, ACK <i+2, p+2> sent
 */
void fx_client_syn_sent(fx *f);
void fx_client_established(fx *f);
void fx_server_syn_received(fx *f);
void fx_server_established(fx *f);
void fx_active_syn_received(fx *f);
void fx_fin_wait_1(fx *f);
void fx_fin_wait_2(fx *f);
void fx_close_wait(fx *f);
void fx_closing(fx *f);
void fx_last_ack(fx *f);
void fx_time_wait(fx *f);

/* The fixture for a state by its enum value (CLOSED: just initialised; LISTEN: passive open;
 * SYN-RECEIVED: the passive one). */
void fx_enter(fx *f, tcp_state s);

#endif
