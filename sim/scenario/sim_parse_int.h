/*
 * sim_parse_int.h - what the parts of the scenario parser share (sim_parse*.c only): the parse
 * context with the current line's words, error reporting with line and column, the value
 * parsers (numbers, durations, rates, probabilities, on/off) and segment patterns.  Every value
 * parser takes the word it reads and a name for messages, and on failure records one error at
 * the word's column and returns -1.
 */
#ifndef TCPSIM_SIM_PARSE_INT_H
#define TCPSIM_SIM_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_parse.h"

#define SIM_DUR_MAX 1000000000000ull /* longest duration: 1,000,000 s */

/* One word of a line: s is a NUL-terminated copy (a quoted string already unescaped). */
typedef struct sim_tok {
    const char *s;
    size_t len; /* bytes in s */
    int col;    /* column of its first byte (of the opening quote for a string) */
    bool quoted;
} sim_tok;

typedef struct sim_pctx {
    sim_script *out;
    int line;
    sim_tok tok[SIM_PARSE_TOK_MAX];
    size_t n;
    int eol_col; /* column just after the last word, for "missing ..." errors */
    char buf[SIM_PARSE_LINE_MAX + SIM_PARSE_TOK_MAX + 8];
    bool have_prev; /* an action was read: its time bounds the next one */
    uint64_t prev_t;
    int prev_line;
    bool host_have[SIM_MAX_HOSTS]; /* scenarios with hosts: the same per host */
    uint64_t host_prev[SIM_MAX_HOSTS];
    int host_line[SIM_MAX_HOSTS];
} sim_pctx;

/* Records an error at (c->line, col); returns -1. */
int sim_perr(sim_pctx *c, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The word at i, or NULL past the end. */
const sim_tok *sim_tok_at(const sim_pctx *c, size_t i);
bool sim_tok_is(const sim_tok *t, const char *word);
/* Column of word i, or the end of the line if there is none. */
int sim_tok_col(const sim_pctx *c, size_t i);
/* A word as shown in messages: quoted strings in quotes, odd bytes escaped, long words cut. */
const char *sim_tok_show(const sim_tok *t, char *buf, size_t size);
/* Error for a missing word at i ("NAME needs WHAT"). */
int sim_need(sim_pctx *c, size_t i, const char *after, const char *what);
/* Error if there are words left at and after i ("unexpected 'x' after ..."). */
int sim_no_more(sim_pctx *c, size_t i, const char *after);

/* Splits one line (without its end) into c->tok.  Returns 0, or -1 after an error. */
int sim_lex_line(sim_pctx *c, const char *line, size_t len);

/* ---- values ---- */
int sim_val_uint(sim_pctx *c, const sim_tok *t, uint64_t lo, uint64_t hi, const char *what,
                 uint64_t *v);
/* A duration with a unit (us, ms, s, m); a bare 0 is allowed. */
int sim_val_duration(sim_pctx *c, const sim_tok *t, const char *what, uint64_t *us);
/* The same, or +DURATION (then *relative is set: the time counts from the previous action). */
int sim_val_time(sim_pctx *c, const sim_tok *t, const char *what, uint64_t *us, bool *relative);
int sim_val_rate(sim_pctx *c, const sim_tok *t, const char *what, uint64_t *bps);
int sim_val_prob(sim_pctx *c, const sim_tok *t, const char *what, double *p);
int sim_val_onoff(sim_pctx *c, const sim_tok *t, const char *what, bool *on);
/* client or server; -1 after an error (any is not a side here). */
int sim_val_side(sim_pctx *c, const sim_tok *t, const char *what);
/* An RFC 9293 state name in capitals. */
int sim_val_state(sim_pctx *c, const sim_tok *t, const char *what);
/* N or N..M (inclusive) for seq/ack/len/win, each 0..2^32-1.  With `circle` (sequence
 * numbers) the range is read on the sequence circle and must be shorter than 2^31; otherwise
 * M must not be below N. */
int sim_val_span(sim_pctx *c, const sim_tok *t, const char *what, bool circle, sim_span *sp);

/* ---- segment patterns (shared by rules and expectations) ---- */
enum { SIM_PAT_RULE = 1, SIM_PAT_EXPECT = 2 };
/* Reads one pattern condition starting at word *i into p.  Returns 1 and advances *i when the
 * word is a pattern condition, 0 when it is not one (nothing recorded), -1 after an error.
 * `where` is SIM_PAT_RULE or SIM_PAT_EXPECT: rules know flags, data, seq only. */
int sim_pattern_word(sim_pctx *c, size_t *i, sim_pattern *p, int where);
/* Checks that a pattern does not contradict itself (a flag both required and excluded). */
int sim_pattern_check(sim_pctx *c, int col, const sim_pattern *p);

/* ---- statements ---- */
int sim_parse_expect(sim_pctx *c);
/* host NAME ADDRESS (sim_parse_sock.c) */
int sim_parse_host(sim_pctx *c);
/* The socket call of `at TIME HOST ...` (words 3 on), for host index `host` at time t. */
int sim_parse_sock_action(sim_pctx *c, uint64_t t, int host);
/* Index of the host named `name`, or -1. */
int sim_host_find(const sim_scenario *sc, const char *name);
/* The closest known word to s within edit distance 2 among words[], or NULL. */
const char *sim_suggest(const char *s, const char *const *words, size_t n);

#endif
