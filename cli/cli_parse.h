/*
 * cli_parse.h - parsing of command-line values: durations with units ("200ms", "1.5s"), bit
 * rates ("10Mbit"), probabilities ("1%" or "0.01") and unsigned integers.  Each returns 0, or -1
 * after writing a one-line reason into err.
 */
#ifndef TCPSIM_CLI_PARSE_H
#define TCPSIM_CLI_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* "250us", "200ms", "1s", "1.5s", "2m"; a bare "0" is accepted, other bare numbers are not. */
int cli_parse_duration(const char *s, uint64_t *us, char *err, size_t errlen);
/* "1000000", "64kbit", "10Mbit", "1Gbit" (bits per second; "bps" suffix allowed). */
int cli_parse_rate(const char *s, uint64_t *bps, char *err, size_t errlen);
/* "2.5%" or a fraction "0.025", in [0, 1]. */
int cli_parse_prob(const char *s, double *p, char *err, size_t errlen);
/* Decimal (or 0x hex) unsigned integer no larger than max. */
int cli_parse_uint(const char *s, uint64_t max, uint64_t *v, char *err, size_t errlen);

#endif
