/*
 * cli_scenfile.h - `tcpsim --scenario-file FILE`: parses a scenario written in tcpsim's scenario
 * language, plays it like a built-in scenario, then checks its expectations (exit 1 if one
 * fails, saying which line and what happened instead; exit 2 if the file does not parse).
 */
#ifndef TCPSIM_CLI_SCENFILE_H
#define TCPSIM_CLI_SCENFILE_H

#include "cli_opts.h"

int cli_run_scenario_file(const cli_options *o);

#endif
