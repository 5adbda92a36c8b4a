/*
 * rnd_tseq.h - the time-sequence graph (Stevens, tcptrace) as plain data: for one direction of
 * a connection, each data segment as a vertical bar from its first to its last sequence number at
 * the time it was sent, the ACK line and the receive-window line (ACK + window) from the other
 * direction as step lines at the time the ACKs reached the sender, SACK blocks, losses, and the
 * axes with their ticks.  Sequence numbers are relative to the sender's ISN.  Pure, like the
 * ladder layout: tested with numbers, painted by rnd_tseq.c.
 */
#ifndef TCPSIM_RND_TSEQ_H
#define TCPSIM_RND_TSEQ_H

#include <stdbool.h>
#include <stddef.h>

#include "rnd.h"
#include "rnd_layout.h"

typedef enum rnd_tbar_kind {
    RND_TBAR_DATA,
    RND_TBAR_RETX,
    RND_TBAR_SACK,
} rnd_tbar_kind;

typedef struct rnd_tbar {
    double t;      /* ms */
    double s0, s1; /* relative sequence numbers */
    uint8_t kind;  /* rnd_tbar_kind */
    bool lost;     /* data: dropped after sending */
} rnd_tbar;

typedef struct rnd_tpt {
    double t, v;
} rnd_tpt;

/* A stretch of time in which the receiver advertised a zero window, at the ACK line's height. */
typedef struct rnd_tspan {
    double t0, t1, v;
} rnd_tspan;

typedef struct rnd_tick1 {
    double v;   /* value on the axis */
    double pos; /* x (time axis) or y (sequence axis) */
    char text[24];
} rnd_tick1;

#define RND_TSEQ_TICKS 16

typedef struct rnd_tseq {
    uint8_t dir; /* the data sender */
    double width, height;
    rnd_rect plot;
    double t0, t1, s0, s1; /* ranges shown */
    bool seconds;          /* time axis in s rather than ms */
    bool win_above;        /* the window line runs above the graph (far above the data) */
    rnd_tbar *bars;
    size_t nbars;
    rnd_tpt *ack, *win;
    size_t nack, nwin;
    rnd_tspan *zwin; /* the window closed (zero window advertised) */
    size_t nzwin;
    bool has_retx, has_lost, has_sack; /* what the legend lists besides data, ACK, window */
    rnd_tick1 xt[RND_TSEQ_TICKS], yt[RND_TSEQ_TICKS];
    int nxt, nyt;
    char title[200], subtitle[200], xlabel[32], ylabel[48];
} rnd_tseq;

/* Builds the graph of one direction (opts->dir; RND_DIR_AUTO: the one with more data) of the
 * selection in opts.  Returns 0, RND_EREQUEST (nothing selected, no data in that direction) or
 * RND_ERUNTIME. */
int rnd_tseq_build(rnd_tseq *g, const trace_buf *tr, const rnd_options *opts, char *err,
                   size_t errlen);
void rnd_tseq_free(rnd_tseq *g);
double rnd_tseq_x(const rnd_tseq *g, double t_ms);
double rnd_tseq_y(const rnd_tseq *g, double seq);

#endif
