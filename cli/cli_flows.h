/*
 * cli_flows.h - the list form of --flow: "1,2,3", the connections one diagram draws together, a
 * lifeline per host (scenarios with hosts and captures alike).
 */
#ifndef TCPSIM_CLI_FLOWS_H
#define TCPSIM_CLI_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether s is a list (has a comma) rather than one number or an address pair. */
bool cli_flow_is_list(const char *s);

/* Parses a comma-separated list of connection numbers (from 1) into out[0..max-1]; *n gets how
 * many.  Returns 0, or -1 with a one-line message in err ("bad --flow '1,x': 'x' is not a
 * connection number"). */
int cli_flow_list(const char *s, uint32_t *out, size_t max, size_t *n, char *err, size_t errlen);

#endif
