/*
 * sim_expect.h - expectations: what a scenario file says must happen, checked against the trace
 * of its run.  Each `expect` statement of the scenario language (sim_parse.h) becomes one
 * sim_expect; sim_expect_check() evaluates it on the kept trace and, when it does not hold, says
 * what happened instead ("it was FIN-WAIT-2", "there were 2: at 1.3s, 3.3s").  Segment patterns
 * (flags, data, sequence and acknowledgment numbers relative to the ISNs, lengths, windows,
 * analysis tags) are shared with the network rules of the language.  Evaluation only reads the
 * trace and the scenario: it never runs the simulator.
 */
#ifndef TCPSIM_SIM_EXPECT_H
#define TCPSIM_SIM_EXPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_scenario.h"
#include "trace.h"

#define SIM_MAX_EXPECT  128 /* expectations in one scenario */
#define SIM_EXPECT_LIST 32  /* states in a path, durations in a timeouts list */
#define SIM_EXPECT_TEXT 160 /* the expectation as written, kept for messages */
#define SIM_EXPECT_WHY  240 /* room for "what happened instead" */

/* A number condition: a value or an inclusive range.  For seq/ack, `rel` says that lo/hi count
 * from an ISN (seq from the sender's, ack from the receiver's) instead of being absolute. */
typedef struct sim_span {
    bool on;
    bool rel;
    uint32_t lo, hi;
} sim_span;

/* The segments a rule or an expectation talks about.  All conditions must hold. */
typedef struct sim_pattern {
    uint8_t flags_all;  /* flags that must be set */
    uint8_t flags_none; /* flags that must be clear */
    uint8_t data;       /* sim_rule_data */
    sim_span seq, ack, len, win;
    uint32_t tags; /* TCP_TAG_* that must all be present */
} sim_pattern;

typedef enum sim_expect_kind {
    SIM_EXP_STATE,     /* [at T] SIDE state S: the state at T (without `at`: at the end) */
    SIM_EXP_PATH,      /* SIDE state path S...: every state SIDE was in, in order */
    SIM_EXP_ENTERS,    /* [at T] SIDE enters [N] S [cause "TEXT"] */
    SIM_EXP_SEGMENT,   /* [at T] SIDE sends|receives|loses [N] PATTERN */
    SIM_EXP_RETRANS,   /* SIDE retransmissions N */
    SIM_EXP_RTO_AFTER, /* SIDE retransmits after D */
    SIM_EXP_TIMEOUTS,  /* SIDE timeouts D... | none */
    SIM_EXP_ARMS,      /* [at T] SIDE arms [N] TIMER [for D] */
    SIM_EXP_READS,     /* SIDE reads N | eof */
} sim_expect_kind;

typedef enum sim_seg_verb { SIM_VERB_SENDS, SIM_VERB_RECEIVES, SIM_VERB_LOSES } sim_seg_verb;

typedef struct sim_expect {
    uint8_t kind;  /* sim_expect_kind */
    uint8_t ep;    /* TRACE_CLIENT or TRACE_SERVER */
    uint32_t conn; /* `conn N`: only connection N's events (0: all) */
    int line;      /* scenario file line */
    bool has_at;   /* `at T` was given */
    uint64_t at;
    bool has_count; /* a count N (or `no`) was given: exactly N, else at least one */
    uint32_t count;
    uint8_t verb; /* SEGMENT: sim_seg_verb */
    sim_pattern pat;
    uint8_t state;                  /* STATE, ENTERS: tcp_state */
    char cause[SIM_TEXT_MAX];       /* ENTERS: text the cause must contain ("" = any cause) */
    uint8_t timer;                  /* ARMS: tcp_timer_kind */
    bool has_dur;                   /* ARMS `for D`; always set for RTO_AFTER */
    uint64_t dur;                   /* us */
    uint64_t list[SIM_EXPECT_LIST]; /* PATH: tcp_state values; TIMEOUTS: durations in us */
    uint32_t n_list;
    uint64_t bytes;             /* READS: total bytes read; RETRANS: the count */
    bool eof;                   /* READS eof */
    char text[SIM_EXPECT_TEXT]; /* the statement as written (words joined by one space) */
} sim_expect;

/* True if segment s, sent by endpoint `from`, matches p; isn[] are both endpoints' ISNs (for
 * relative seq/ack). */
bool sim_pattern_match(const sim_pattern *p, const tcp_seg *s, uint8_t from, const uint32_t isn[2]);

/* Checks e against trace tb of scenario sc (for the ISNs).  Returns true if it holds; otherwise
 * false, with a short account of what happened instead in why (NUL-terminated). */
bool sim_expect_check(const sim_expect *e, const sim_scenario *sc, const trace_buf *tb, char *why,
                      size_t whylen);

/* Writes a duration in the language's shortest exact form: "0", "250us", "1.5ms", "200ms",
 * "1.3s", "120s".  Returns buf. */
const char *sim_fmt_duration(uint64_t us, char *buf, size_t size);

#endif
