/*
 * cli_scenfile.c - placeholder until the scenario language lands: refuses with a clear message.
 */
#include "cli_scenfile.h"

#include <stdio.h>

int cli_run_scenario_file(const cli_options *o)
{
    fprintf(stderr, "tcpsim: %s: scenario files are not supported yet\n", o->scenario_file);
    return CLI_EXIT_USAGE;
}
