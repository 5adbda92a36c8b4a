/*
 * rnd_layout.h - the ladder diagram as plain data: where the lifelines, arrows, labels, state
 * boxes, timer brackets, margin notes, idle-gap breaks, axis ticks, legend and title go, and how a
 * PDF splits it into pages.  rnd_layout_build() is pure: text widths come from an injected
 * measuring function, so it is unit-tested with numbers and no cairo; rnd_paint.c draws the result.
 *
 * Coordinates are layout units (pixels at PNG scale 1, points in PDF and SVG), y grows down.
 * Time maps to y piecewise: every event gets its own row, rows keep the spacing their content
 * needs (a label above a send, a box around a state change), stretches of time are shown to scale
 * up to style.gap_max, and longer quiet stretches are compressed into a marked break.
 */
#ifndef TCPSIM_RND_LAYOUT_H
#define TCPSIM_RND_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnd_model.h"

typedef enum rnd_font {
    RND_FONT_LABEL, /* segment labels */
    RND_FONT_TAG,   /* second label line: retransmission, dup ACK (italic) */
    RND_FONT_STATE, /* state boxes (bold) */
    RND_FONT_HEAD,  /* lifeline heads (bold) */
    RND_FONT_SMALL, /* addresses, axis ticks, legend, timer labels */
    RND_FONT_NOTE,  /* application calls in the margin (monospace) */
    RND_FONT_TITLE, /* title (bold) */
    RND_FONT_FOOT,  /* subtitle and footnote (italic) */
    RND_FONT_COUNT
} rnd_font;

/* Advance width of text in font f, in layout units. */
typedef double (*rnd_measure_fn)(void *ctx, rnd_font f, const char *text);

typedef struct rnd_style {
    double font_size[RND_FONT_COUNT];
    double line_h;         /* line height as a multiple of the font size (1.25) */
    double margin;         /* around the canvas (16) */
    double pad;            /* small gap between things (4) */
    double delay_px;       /* vertical extent of one one-way delay when shown to scale (96) */
    double gap_max;        /* quiet stretches taller than this are compressed (4 x delay_px) */
    double break_h;        /* height of a compressed break (34) */
    double min_lanes;      /* smallest distance between the lifelines (420) */
    double min_slant;      /* an arrival is at least this far below its send (10) */
    double page_h;         /* PDF page height; 0 = width x sqrt(2) */
    uint8_t time_axis;     /* rnd_time_axis (rnd.h) */
    double fan_step;       /* true time: arrow ends of one microsecond fan out by this (5) */
    double max_body;       /* true time: the scale is lowered to keep the body this tall (250000) */
    double min_lanes_true; /* true time: smallest distance between the lifelines (540) */
} rnd_style;

void rnd_style_default(rnd_style *s);

typedef struct rnd_rect {
    double x, y, w, h;
} rnd_rect;

typedef struct rnd_point {
    double x, y;
} rnd_point;

typedef enum rnd_row_kind {
    RND_ROW_SEND,
    RND_ROW_ARRIVE,
    RND_ROW_STATE,
    RND_ROW_APP,
    RND_ROW_TIMER, /* zero height: only keeps time */
    RND_ROW_MARK,  /* zero height: where a lost segment would have arrived */
} rnd_row_kind;

typedef struct rnd_row {
    int64_t t;
    double y;
    double top, bottom; /* space it needs above and below y */
    uint8_t kind;       /* rnd_row_kind */
    uint8_t ep;
    uint8_t pri;  /* order among rows of the same time (see cmp_row) */
    size_t ord;   /* then this */
    size_t ref;   /* segment index (send/arrive: index * 2 + arrival) or model event index */
    double fan;   /* true time: how far below the scale's y of t it sits (same-instant fan-out) */
    size_t ev;    /* true time: index in the trace of its event, or SIZE_MAX */
    uint8_t lane; /* whose lifeline: ep for one connection, the host's lane for several */
    uint8_t ci;   /* its connection (index in the model's conns), or RND_CI_NONE */
} rnd_row;

/* True time: one unbroken stretch of the axis, drawn at lay->pxus from (t0, y0) to t1. */
typedef struct rnd_stretch {
    int64_t t0, t1;
    double y0;
} rnd_stretch;

typedef struct rnd_label {
    rnd_rect box; /* both lines, with their halo */
    char text[96];
    char tag[64];          /* second line, or "" */
    double w_text, w_tag;  /* measured widths of the two lines */
    uint8_t style;         /* rnd_arrow_style */
    uint8_t ep;            /* the sender */
    uint8_t lane, to_lane; /* the sender's lane and the receiver's */
    uint8_t ci;            /* its connection */
    size_t arrow;
    double raised; /* true time: lifted this far above its place on the arrow (a dense sheaf) */
} rnd_label;

typedef struct rnd_arrow {
    rnd_point from, to;    /* to: arrowhead, or the cross of a lost segment */
    uint8_t style;         /* rnd_arrow_style */
    uint8_t ep;            /* sender */
    uint8_t lane, to_lane; /* the lanes it runs from and to */
    uint8_t ci;            /* its connection */
    bool lost;
    size_t seg;              /* model segment index */
    double fan_from, fan_to; /* true time: the ends' same-instant fan-out below the scale */
    double y_end;  /* y of the time the arrow stands for at its end (= to.y unless lost) */
    int64_t t_end; /* that time: the arrival, or when a lost segment would have arrived */
    size_t label;  /* index into labels, or SIZE_MAX for the second arrival of a duplicate */
} rnd_arrow;

typedef struct rnd_sbox {
    rnd_rect box;
    double cy; /* its row's y (box centre); true time: beside the lifeline, maybe lower */
    int64_t t;
    uint8_t ep, state;
    uint8_t lane, ci;
    bool initial;     /* the state at the start of a partial selection, or assumed by the replay */
    bool corrected;   /* capture: reached by the replay's correction of a wrong inference */
    char caption[16]; /* "assumed", "corrected" or "" */
    size_t ev;        /* index in the trace of its state event, or SIZE_MAX (initial) */
    rnd_rect caption_box; /* under the box */
} rnd_sbox;

/* Bracket kinds beyond tcp_timer_kind: an RTT sample, from the timed segment's send to the ACK
 * that ended the measurement (true time). */
#define RND_BRACKET_RTT TCP_TIMER_COUNT

typedef struct rnd_bracket {
    double x, y0, y1;
    uint64_t srtt, rttvar, rto; /* RTT: the estimator after the sample (duration = the sample) */
    size_t arrow;               /* RTT: the timed segment's arrow, or SIZE_MAX */
    uint8_t ep, timer;          /* tcp_timer_kind */
    uint8_t lane, ci;
    bool fired;      /* ends in an expiry (a bar), else cancelled or still running */
    bool open_start; /* was running before the selection */
    bool open_end;   /* still running at the end of the selection */
    int64_t t0, t1;
    uint64_t duration; /* the timeout of the last arm */
    size_t note;       /* its label among notes, or SIZE_MAX */
} rnd_bracket;

/* What happened to a timer at one instant of its bracket (layout JSON "marks"). */
typedef enum rnd_tmark_kind {
    RND_TMARK_ARM,     /* armed: the bracket starts */
    RND_TMARK_RESTART, /* armed again while running (RFC 6298 5.3: new data acknowledged) */
    RND_TMARK_BACKOFF, /* armed again right after it expired, with the backed-off value */
    RND_TMARK_EXPIRY,  /* fired: the bracket ends */
    RND_TMARK_CANCEL,  /* stopped: the bracket ends */
    RND_TMARK_COUNT
} rnd_tmark_kind;

typedef struct rnd_tmark {
    size_t bracket;
    int64_t t;
    double y;
    uint8_t kind;      /* rnd_tmark_kind */
    uint64_t duration; /* arm, restart, backoff: the timeout set; expiry: how long it ran */
} rnd_tmark;

typedef enum rnd_note_kind {
    RND_NOTE_APP,    /* an application call */
    RND_NOTE_TIMER,  /* a timer bracket's caption */
    RND_NOTE_RTT,    /* an RTT sample and the estimator after it (RFC 6298 2) */
    RND_NOTE_REMARK, /* the endpoint's remark: Karn's rule, RFC 6298 5.7, a write unblocked */
} rnd_note_kind;

typedef struct rnd_note {
    rnd_rect box;
    double anchor_y; /* the event's y; the note may sit lower to avoid another */
    uint8_t ep;
    uint8_t lane, ci; /* ci: RND_CI_NONE for a host's call outside any connection */
    uint8_t font;     /* RND_FONT_NOTE for app calls, RND_FONT_SMALL for timer labels */
    uint8_t kind;     /* rnd_note_kind */
    bool right;       /* text right-aligned in its box (client side) */
    size_t ev;        /* index in the trace of its app event, or SIZE_MAX (a timer's label) */
    char text[96];
} rnd_note;

/* A socket call blocked (a UML activation bar): from the application event with phase
 * TRACE_CALL_BLOCKS to the matching TRACE_CALL_RETURNS (same host, socket and call) on the
 * caller's lifeline, a narrow bar centred on it (rnd_layout_bars.c). */
typedef struct rnd_abar {
    double x, w;      /* centre and width */
    double y0, y1;    /* from the call's row to its return's (or the body's ends) */
    int64_t t0, t1;   /* us: when it blocked and returned (open ends: the selection's) */
    uint8_t ep;       /* the caller's end of the connection */
    uint8_t lane, ci; /* the caller's lane, and the connection (or RND_CI_NONE) */
    uint8_t call;     /* tcp_call */
    bool open_start;  /* blocked before the selection */
    bool open_end;    /* still blocked at the end of the selection */
    size_t ev0, ev1;  /* indices in the trace of the two events, or SIZE_MAX (open end) */
    char host[16];    /* the calling host, as u.app.host */
    char sock[8];     /* the socket, as u.app.sock */
} rnd_abar;

typedef struct rnd_break {
    double y0, y1; /* the band */
    int64_t t0, t1;
    char text[40]; /* "119.9 s later" */
    rnd_rect text_box;
} rnd_break;

typedef struct rnd_tick {
    rnd_rect box; /* the text */
    double y;
    int64_t t; /* the time it names (us) */
    char text[24];
} rnd_tick;

typedef struct rnd_legend_item {
    rnd_rect box; /* sample and text */
    int kind;     /* rnd_arrow_style, or RND_LEGEND_*, or RND_LEGEND_CONN + connection index */
    char text[160];
} rnd_legend_item;

enum {
    RND_LEGEND_LOST = 100,
    RND_LEGEND_STATE,
    RND_LEGEND_ASSUMED,   /* dashed state box: assumed by the replay, or the state at the start */
    RND_LEGEND_CORRECTED, /* state box marked "corrected" */
    RND_LEGEND_TIMER,
    RND_LEGEND_BLOCKED,   /* activation bar: a socket call blocked */
    RND_LEGEND_CONN = 200 /* + connection index: "conn 2: 192.0.2.12:32768 -> 192.0.2.2:80" */
};
#define RND_LEGEND_MAX (RND_ARROW_STYLE_COUNT + 6 + RND_CONNS_MAX)

/* --show cwnd (true time): the sender's congestion window and slow-start threshold as a small
 * track beside its lifeline, x = value / max * w from the track's lifeline-side edge. */
typedef struct rnd_cwnd_pt {
    int64_t t;
    double y;
    uint32_t cwnd, ssthresh; /* bytes; ssthresh UINT32_MAX or above max: not drawn */
} rnd_cwnd_pt;

typedef struct rnd_cwnd_track {
    bool on;
    uint8_t ep;
    double x0, w; /* x0: the edge nearer the lifeline; the track grows away from it */
    double y0, y1;
    uint32_t max; /* bytes at the far edge */
    rnd_rect caption_box;
    char caption[32]; /* "cwnd (max 14.6k)" */
    rnd_cwnd_pt *pts;
    size_t npts;
} rnd_cwnd_track;

typedef struct rnd_page {
    double y0, y1; /* the band of the layout this page shows (first page: from 0) */
    double dy;     /* page y = layout y + dy */
    bool heads;    /* repeat the lifeline heads at the top (pages after the first) */
} rnd_page;

typedef struct rnd_layout {
    rnd_style style;
    uint8_t axis; /* rnd_time_axis that was built */
    double width, height;
    uint8_t nlanes; /* 2 for one connection (client, server); one per host for several */
    double lane_x[RND_LANES_MAX];
    size_t nconns;           /* connections drawn: 1, or several (labels then name theirs) */
    double body_y0, body_y1; /* lifelines run from body_y0 to body_y1 */
    double axis_x;           /* right edge of the time axis labels */
    int decimals;            /* of the axis ticks */
    double pxus;             /* layout units per microsecond where time is shown to scale */
    rnd_rect title_box, subtitle_box, foot_box, axis_title_box;
    rnd_rect head_box[RND_LANES_MAX];
    char title[160], subtitle[160], head[RND_LANES_MAX][96], addr[RND_LANES_MAX][64];
    char foot[4][128]; /* wrapped footnote lines */
    int nfoot;
    double head_h; /* height of a repeated head band on later PDF pages */

    rnd_row *rows;
    size_t nrows;
    rnd_arrow *arrows;
    size_t narrows;
    rnd_label *labels;
    size_t nlabels;
    rnd_sbox *sboxes;
    size_t nsboxes;
    rnd_bracket *brackets;
    size_t nbrackets;
    rnd_tmark *tmarks; /* in time order */
    size_t ntmarks;
    rnd_note *notes;
    size_t nnotes;
    rnd_abar *abars; /* in the order of the blocking calls */
    size_t nabars;
    rnd_break *breaks;
    size_t nbreaks;
    rnd_stretch *stretches; /* true time only */
    size_t nstretches;
    double fan_step; /* true time: the fan-out of events of the same microsecond */
    rnd_tick *ticks;
    size_t nticks;
    rnd_cwnd_track cwnd;
    rnd_legend_item legend[RND_LEGEND_MAX];
    size_t nlegend;
    rnd_page *pages;
    size_t npages;
} rnd_layout;

/* Lays the model out.  style may be NULL for the defaults.  Returns 0 or RND_ERUNTIME (out of
 * memory); on failure lay is empty and rnd_layout_free may still be called. */
int rnd_layout_build(rnd_layout *lay, const rnd_model *m, const rnd_style *style,
                     rnd_measure_fn measure, void *mctx);
void rnd_layout_free(rnd_layout *lay);

/* Splits the layout into pages of height page_h (PDF).  Returns 0 or RND_ERUNTIME. */
int rnd_layout_paginate(rnd_layout *lay, double page_h);

/* The PDF page height: style.page_h, or the width times sqrt(2) (A-series proportions). */
double rnd_layout_page_h(const rnd_layout *lay);

/* y of time t (us): the row's y, interpolated between rows. */
double rnd_layout_y_of(const rnd_layout *lay, int64_t t);

/* Line height of font f under lay's style. */
double rnd_line_h(const rnd_style *s, rnd_font f);

/* Whether the margin things of a lane (notes, brackets, state boxes in true time) go on its
 * left: every lane's but the last's (for one connection: the client's). */
static inline bool rnd_lane_left(const rnd_layout *lay, unsigned lane)
{
    return lane + 1u < lay->nlanes;
}

/* Whether a label's text ends at its right edge (it belongs to an arrow going left). */
static inline bool rnd_label_right(const rnd_label *lb)
{
    return lb->to_lane < lb->lane;
}

/* Activation bars (rnd_layout_bars.c): whether the model has a socket call that blocks or
 * returns after blocking, and the bars of lay from its placed rows; y_top and y_end bound the
 * open ends.  rnd_layout_bars returns 0 or -1 (out of memory). */
bool rnd_model_has_blocked(const rnd_model *m);
/* The same, or a call blocked all through the selection (lay: its lanes). */
bool rnd_layout_has_blocked(rnd_layout *lay, const rnd_model *m);
int rnd_layout_bars(rnd_layout *lay, const rnd_model *m, double y_top, double y_end);

/* True if the rectangles overlap by more than eps in both directions. */
bool rnd_rect_overlap(const rnd_rect *a, const rnd_rect *b, double eps);

#endif
