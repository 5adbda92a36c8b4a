/*
 * sim_parse.h - the scenario language: a text file, one statement per line, `#` comments, that
 * says everything a scenario holds (settings, timed application actions, network rules) plus
 * its name, summary and description and a list of expectations that make the file a test.
 * docs/scenario-language.md is the reference.  The parser is bounded and never recurses: the
 * file is at most SIM_PARSE_FILE_MAX bytes, a line at most SIM_PARSE_LINE_MAX bytes and
 * SIM_PARSE_TOK_MAX words, and the tables are fixed (128 actions, 32 rules, 128 expectations);
 * anything beyond is an error with a line and column, never a crash.  Parsing stops collecting
 * after SIM_PARSE_MAX_ERRORS errors; a file that is not text (NUL bytes, control characters,
 * invalid UTF-8) gives exactly one error.  sim/ stays free of the command line: this file has
 * its own value parsers for durations, rates and probabilities.
 */
#ifndef TCPSIM_SIM_PARSE_H
#define TCPSIM_SIM_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_expect.h"
#include "sim_scenario.h"

#define SIM_PARSE_FILE_MAX   (1u << 20) /* bytes in a scenario file */
#define SIM_PARSE_LINE_MAX   512        /* bytes on one line, not counting the line end */
#define SIM_PARSE_TOK_MAX    64         /* words on one line */
#define SIM_PARSE_MAX_ERRORS 8          /* errors kept; parsing goes on to count the rest */
#define SIM_PARSE_MSG_MAX    192
#define SIM_SUMMARY_MAX      128

typedef struct sim_parse_error {
    int line, col; /* from 1; col counts bytes (a tab is one) */
    char msg[SIM_PARSE_MSG_MAX];
} sim_parse_error;

/* A rule whose sequence range was written relative to the sender's ISN keeps the relative
 * numbers here, so that the absolute range can be recomputed when the ISN changes. */
typedef struct sim_rule_src {
    bool rel_seq;
    uint32_t rel_lo, rel_hi;
} sim_rule_src;

typedef struct sim_script {
    sim_scenario sc;
    char summary[SIM_SUMMARY_MAX]; /* one line for --list-scenarios ("" if not given) */
    sim_rule_src rule_src[SIM_MAX_RULES];
    sim_expect expect[SIM_MAX_EXPECT];
    size_t n_expect;
    sim_parse_error err[SIM_PARSE_MAX_ERRORS];
    size_t n_err;      /* errors kept */
    size_t n_err_more; /* errors found beyond those kept */
} sim_script;

/* Parses text[0, len) (need not be NUL-terminated; may contain anything) into *out, which is
 * overwritten: defaults first (sim_scenario_default), then the statements in order.  Returns 0,
 * or -1 with out->err[0 .. n_err) saying what is wrong where. */
int sim_parse(sim_script *out, const char *text, size_t len);

/* Recomputes the absolute sequence ranges of the rules written with relative numbers from the
 * scenario's current ISNs.  sim_parse() does it once at the end; call it again after changing
 * s->sc.tcp[].isn (command-line settings). */
void sim_script_resolve(sim_script *s);

/* The parsed script of built-in scenario `name` (to be freed with free()), or NULL if there is
 * none (or memory ran out). */
sim_script *sim_builtin_script(const char *name);

#endif
