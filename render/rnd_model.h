/*
 * rnd_model.h - what the ladder diagram is about, before any geometry: the selected connection
 * and range of a trace, its segments paired with their arrivals or losses (with estimated far-side
 * times for captures), the numbers and tags to print on them, and the non-segment events (state
 * changes, timers, application calls) in time order.  Pure: no cairo, no layout.
 */
#ifndef TCPSIM_RND_MODEL_H
#define TCPSIM_RND_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnd.h"
#include "trace.h"

/* How an arrow is drawn; also the order of the legend. */
typedef enum rnd_arrow_style {
    RND_ARROW_DATA,     /* carries data or SYN/FIN: solid, dark */
    RND_ARROW_ACK,      /* pure ACK: solid, lighter and thinner */
    RND_ARROW_RETX,     /* retransmission (RTO or fast): dashed, red */
    RND_ARROW_DUPACK,   /* duplicate ACK: dotted, purple */
    RND_ARROW_ZWIN,     /* advertises a zero window, or probes one: dash-dot, amber */
    RND_ARROW_RST,      /* reset: solid, thick, dark red */
    RND_ARROW_DUPFRAME, /* capture: the same frame captured twice (not drawn; legend sample) */
    RND_ARROW_STYLE_COUNT
} rnd_arrow_style;

/* A diagram of several connections (rnd_model_multi.c) has one lifeline (lane) per host. */
#define RND_LANES_MAX 8
#define RND_CI_NONE   0xffu /* an event of a host outside any connection (listen, accept) */

typedef struct rnd_mseg {
    uint64_t id;
    uint8_t ep;          /* sender */
    uint8_t ci;          /* its connection: index in rnd_model.conns */
    uint8_t style;       /* rnd_arrow_style */
    uint8_t n_arr;       /* arrivals: 0 (lost or unknown), 1, or 2 (duplicated by the link) */
    bool lost;           /* a TRACE_DROP: ends in a cross */
    int64_t t_send;      /* microseconds, on the trace's clock (may be < 0 for estimates) */
    int64_t t_arr[2];    /* arrival times */
    int64_t t_lost;      /* lost: when it would have arrived */
    int64_t t_cap;       /* the trace's own time of the send event (capture time) */
    tcp_seg seg;         /* as sent */
    uint32_t dseq, dack; /* sequence and acknowledgment numbers to print */
    char tag[64];        /* second label line ("RTO retransmission, RTO 1.0 s"), or "" */
    size_t ev_send;      /* index in the trace of the send event */
    size_t ev_arr[2];    /* of the arrival events (SIZE_MAX: none) */
    size_t ev_drop;      /* of the drop event (SIZE_MAX: none) */
} rnd_mseg;

/* rnd_model.ev_flags */
enum {
    RND_EVF_LATE = 1u,      /* drawn after the arrival at the same instant (zero-delay captures) */
    RND_EVF_CORRECTED = 2u, /* capture: a state the replay reached by correcting itself */
    RND_EVF_SENDER = 4u,    /* caused by sending ev_seg (else by its arrival) */
};

/* One connection of the diagram: its number, and the lanes of its two ends. */
typedef struct rnd_mconn {
    uint32_t conn;
    uint8_t lane[2];      /* lanes of its client and its server */
    uint8_t track[2];     /* its place among the connections sharing that lane (from 0) */
    int init_state[2];    /* as rnd_model.init_state, for this connection */
    bool init_assumed[2]; /* as rnd_model.init_assumed */
    char addr[2][64];     /* "192.0.2.11:32768", "192.0.2.2:80" */
} rnd_mconn;

typedef struct rnd_model {
    rnd_mseg *seg;
    size_t nseg;
    const trace_event *base; /* the trace's first event: ev[i] - base is its index in the trace */
    size_t nbase;            /* events in the trace */
    trace_event *own;        /* notes the model adds (Karn's rule refusing a sample), or NULL */
    size_t *own_after;       /* the trace event each follows (the ACK's arrival) */
    size_t nown;
    const trace_event **ev; /* state, timer and app events of the selection, in time order */
    int64_t *ev_t;          /* their times on the diagram (captures: moved like the segments) */
    uint8_t *ev_flags;      /* RND_EVF_* */
    size_t *ev_seg;         /* captures: the segment (index in seg) that caused it, or SIZE_MAX */
    uint8_t *ev_ci;         /* the connection of each (index in conns), or RND_CI_NONE */
    uint8_t *ev_lane;       /* its lane */
    size_t nev;
    int64_t t_first, t_last; /* span of everything selected */
    uint32_t conn;
    bool capture;
    bool show_cwnd;       /* opts.show_cwnd */
    bool relative;        /* dseq/dack are relative to the ISNs */
    bool estimated;       /* some times are estimates (captures) */
    bool partial;         /* the selection does not start at the beginning of the connection */
    uint64_t one_way;     /* us; 0 if unknown */
    int init_state[2];    /* state at the start of the selection (tcp_state), or -1 */
    bool init_assumed[2]; /* capture: that state is the replay's assumption (no SYN seen...) */
    size_t omitted;       /* capture: wrong inferred states left out (see rnd_model.c) */
    bool shortened;       /* capture: some delays were shortened to keep replies after arrivals */
    size_t ndupframes;    /* capture: frames captured twice in the selection, not drawn */
    char title[160];
    char subtitle[160];
    char footnote[256]; /* estimation remark for captures, or "" */
    /* lanes: one connection has two, client and server (lane = ep); several, one per host */
    uint8_t nlanes;
    char head[RND_LANES_MAX][96]; /* "client", "server", or the host's name */
    char addr[RND_LANES_MAX][64]; /* the endpoint's address and port, or the host's address */
    rnd_mconn conns[RND_CONNS_MAX];
    size_t nconns;
    size_t *jline; /* captures with the replay's arrivals: each trace event's number among the
                      events of the text and JSON traces (SIZE_MAX: a recv event); else NULL */
} rnd_model;

/* The lane of the sender of s, or of its receiver. */
static inline uint8_t rnd_seg_lane(const rnd_model *m, const rnd_mseg *s, bool receiver)
{
    return m->conns[s->ci].lane[receiver ? 1 - (s->ep & 1) : (s->ep & 1)];
}

/* Builds the model of connection opts->conn within the ranges of opts.  Returns 0, RND_EREQUEST
 * (nothing selected: message in err) or RND_ERUNTIME (out of memory).  On failure m is empty and
 * rnd_model_free may still be called. */
int rnd_model_build(rnd_model *m, const trace_buf *tr, const rnd_options *opts, char *err,
                    size_t errlen);
void rnd_model_free(rnd_model *m);

/* The model of several connections of tr (conns[0..n-1], n <= RND_CONNS_MAX) in one diagram, a
 * lifeline per host: each connection as rnd_model_build makes it, merged in time order, with the
 * socket calls of those hosts outside any connection (listen, accept); RTT samples and cwnd
 * changes are left out (rnd_model_multi.c).  Returns as rnd_model_build. */
int rnd_model_build_multi(rnd_model *m, const trace_buf *tr, const uint32_t *conns, size_t n,
                          const rnd_options *opts, char *err, size_t errlen);

/* Index in the trace of e, or SIZE_MAX for a note the model added. */
size_t rnd_model_ev_index(const rnd_model *m, const trace_event *e);

/* The connection that RND_CONN_FIRST stands for: that of the first segment event, else 0. */
uint32_t rnd_first_conn(const trace_buf *tr);

#endif
