/*
 * cli_scenario.h - `tcpsim --scenario NAME`: plays a built-in scenario with the command line's
 * settings, prints the trace (text or JSON), draws it when -o is given; and `--scenario all -o
 * DIR/`, which draws every built-in scenario into DIR with an index.md.
 */
#ifndef TCPSIM_CLI_SCENARIO_H
#define TCPSIM_CLI_SCENARIO_H

#include "cli_opts.h"
#include "sim_scenario.h"
#include "trace.h"

/* Returns the exit status. */
int cli_run_scenario(const cli_options *o);
/* Plays a loaded scenario (settings already applied): prints the trace as the options say,
 * writes the diagram (-o) and the capture (--write-pcap).  When `keep` is not NULL the whole
 * trace is also kept there (the caller frees it).  Returns the exit status. */
int cli_play(const sim_scenario *sc, const cli_options *o, trace_buf *keep);
int cli_run_all_scenarios(const cli_options *o);

#endif
