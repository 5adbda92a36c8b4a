/*
 * trace.h - the one trace model that every part of tcpsim speaks.
 *
 * The simulator and the capture replayer produce a stream of trace_event values; the text and
 * JSON writers and the diagram renderer consume them.  A producer hands each event to a
 * trace_sink (a function and its context); a trace_buf is a sink that keeps every event in memory
 * for consumers that need the whole trace (the renderer), and a trace_tee fans one stream out to
 * several sinks.  Nothing here knows about pcap, cairo or the simulator's event queue.
 */
#ifndef TCPSIM_TRACE_H
#define TCPSIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp_seg.h"
#include "tcp_state.h"

#define TRACE_NEVER UINT64_MAX

enum { TRACE_CLIENT = 0, TRACE_SERVER = 1 };

typedef enum trace_kind {
    TRACE_SEND,  /* a segment leaves ep (simulator) or was captured leaving ep (replay) */
    TRACE_RECV,  /* a segment arrives at ep */
    TRACE_DROP,  /* a segment sent by ep was lost (simulator: by the link; replay: inferred) */
    TRACE_STATE, /* ep changed state: u.state, cause in text */
    TRACE_TIMER, /* ep armed, fired or cancelled a timer: u.timer */
    TRACE_APP,   /* the application on ep called the socket API: u.app */
    TRACE_RTT,   /* an RFC 6298 RTT sample and the new SRTT/RTTVAR/RTO: u.rtt */
    TRACE_CWND,  /* congestion window or slow-start threshold changed: u.cwnd, cause in text */
    TRACE_NOTE,  /* free text about ep (inference remarks, errors reported to the application) */
    TRACE_CONN,  /* connection `conn` begins: text is "CLIENT-ADDR:PORT SERVER-ADDR:PORT" */
    TRACE_KIND_COUNT
} trace_kind;

typedef enum trace_timer_action {
    TRACE_TIMER_ARM,
    TRACE_TIMER_FIRE,
    TRACE_TIMER_CANCEL
} trace_timer_action;

#define TRACE_TEXT_MAX 64

/* u.app.phase of a socket call: it returned at once, it blocks, or it returns after blocking. */
enum { TRACE_CALL_DONE, TRACE_CALL_BLOCKS, TRACE_CALL_RETURNS };
/* Socket calls' error returns (u.app.ret = -TRACE_Exxx), numbered as Linux numbers errno. */
enum {
    TRACE_EBADF = 9,
    TRACE_EAGAIN = 11,
    TRACE_EINVAL = 22,
    TRACE_EPIPE = 32,
    TRACE_EADDRINUSE = 98,
    TRACE_ECONNRESET = 104,
    TRACE_EISCONN = 106,
    TRACE_ENOTCONN = 107,
    TRACE_ETIMEDOUT = 110,
    TRACE_ECONNREFUSED = 111,
    TRACE_EALREADY = 114,
    TRACE_EINPROGRESS = 115,
};

typedef struct trace_event {
    uint64_t t;    /* microseconds since the start of the trace */
    uint32_t conn; /* connection number from 1 (replay and simulator); 0: unknown */
    uint8_t ep;    /* TRACE_CLIENT or TRACE_SERVER */
    uint8_t kind;  /* trace_kind */
    uint64_t id;   /* send/recv/drop: segment id (simulator) or packet number from 1 (replay) */
    tcp_seg seg;   /* send/recv/drop */
    union {
        struct {
            uint8_t from, to; /* tcp_state */
            bool correction;  /* replay: the transitions inferred since `to` were wrong */
        } state;
        struct {
            uint8_t timer;     /* tcp_timer_kind */
            uint8_t action;    /* trace_timer_action */
            uint64_t deadline; /* arm: absolute time it will fire */
            uint64_t duration; /* arm: deadline - t; fire: how long it ran */
        } timer;
        struct {
            uint8_t call;   /* tcp_call */
            uint64_t bytes; /* write/read: bytes asked for (write) or read */
            uint64_t done;  /* write: bytes the send buffer took now */
            bool blocked;   /* write: the call blocks on a full send buffer */
            bool has_ret;   /* socket calls (hosts and sockets, sim_sock.c): ret and phase */
            uint8_t phase;  /* TRACE_CALL_DONE, _BLOCKS or _RETURNS */
            int64_t ret;    /* what the call returns: >= 0, or -errno (TRACE_E*) */
            char sock[8];   /* the socket's name in the scenario */
            char host[16];  /* the host that made the call */
        } app;
        struct {
            bool udp; /* a datagram flow (SOCK_DGRAM), not a TCP connection */
        } conn;
        struct {
            uint64_t sample, srtt, rttvar, rto; /* microseconds */
        } rtt;
        struct {
            uint32_t cwnd, ssthresh; /* bytes */
        } cwnd;
    } u;
    char text[TRACE_TEXT_MAX]; /* state/cwnd: cause; note: message; app write: text preview */
    /* replay: when the packet behind the event was captured (microseconds since the first
     * packet, like t); t is then the estimated time at the endpoint concerned.  Simulation: 0. */
    uint64_t t_capture;
} trace_event;

/* What a whole trace is about: used for titles, lifeline heads and relative numbers. */
typedef struct trace_meta {
    char title[128];
    char addr[2][64];  /* "192.0.2.1:49152" for client and server */
    bool capture;      /* events come from a capture (one vantage point), not a simulation */
    bool isn_known[2]; /* the SYN of that endpoint was seen */
    uint32_t isn[2];   /* its initial sequence number */
    uint64_t one_way;  /* simulator: one-way delay; replay: estimate from the handshake (us) */
    uint8_t vantage;   /* replay: TRACE_CLIENT or TRACE_SERVER if the capture sits near that end,
                          TRACE_VANTAGE_UNKNOWN otherwise */
} trace_meta;

#define TRACE_VANTAGE_UNKNOWN 2

typedef struct trace_sink {
    void (*emit)(void *ctx, const trace_event *ev);
    void *ctx;
} trace_sink;

static inline bool trace_sink_on(const trace_sink *s)
{
    return s != NULL && s->emit != NULL;
}
static inline void trace_sink_put(const trace_sink *s, const trace_event *ev)
{
    if (trace_sink_on(s))
        s->emit(s->ctx, ev);
}

/* A growable in-memory trace.  On allocation failure `oom` is set and later events are lost. */
typedef struct trace_buf {
    trace_event *ev;
    size_t n, cap;
    trace_meta meta;
    bool oom;
} trace_buf;

void trace_buf_init(trace_buf *b);
void trace_buf_free(trace_buf *b);
void trace_buf_emit(void *ctx, const trace_event *ev); /* sink function; ctx is a trace_buf */
static inline trace_sink trace_buf_sink(trace_buf *b)
{
    trace_sink s = {trace_buf_emit, b};
    return s;
}

#define TRACE_TEE_MAX 4
typedef struct trace_tee {
    trace_sink out[TRACE_TEE_MAX];
    int n;
} trace_tee;
void trace_tee_emit(void *ctx, const trace_event *ev); /* ctx is a trace_tee */
/* Adds a sink; returns -1 when full. */
int trace_tee_add(trace_tee *t, trace_sink s);

/* Copies connection `conn` of `in` (0: its first TCP connection; TRACE_SELECT_ANY: that, or
 * its first datagram flow) into `out` (initialised here, to be freed), with out->meta about it:
 * addresses from its conn record, ISNs from its SYNs.  Returns the connection's number, or 0 if
 * there is no such connection (trace_select.c). */
#define TRACE_SELECT_ANY UINT32_MAX
uint32_t trace_buf_select(const trace_buf *in, uint32_t conn, trace_buf *out);

/* "send", "recv", ... */
const char *trace_kind_name(trace_kind k);
/* "arm", "fire", "cancel" */
const char *trace_timer_action_name(trace_timer_action a);
/* "EAGAIN", "EINPROGRESS", ... for a TRACE_E* value; NULL if unknown. */
const char *trace_errno_name(int e);
/* "client" / "server" */
const char *trace_ep_name(unsigned ep);
/* Copies at most TRACE_TEXT_MAX-1 bytes of a printf result into ev->text. */
void trace_set_text(trace_event *ev, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
