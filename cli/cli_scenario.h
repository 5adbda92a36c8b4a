/*
 * cli_scenario.h - `tcpsim --scenario NAME`: plays a built-in scenario with the command line's
 * settings, prints the trace (text or JSON), draws it when -o is given; and `--scenario all -o
 * DIR/`, which draws every built-in scenario into DIR with an index.md.
 */
#ifndef TCPSIM_CLI_SCENARIO_H
#define TCPSIM_CLI_SCENARIO_H

#include "cli_opts.h"

/* Returns the exit status. */
int cli_run_scenario(const cli_options *o);
int cli_run_all_scenarios(const cli_options *o);

#endif
