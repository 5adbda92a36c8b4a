/*
 * cli_parse.c - value parsers for the command line and scenario files.
 */
#include "cli_parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int fail(char *err, size_t errlen, const char *what, const char *s, const char *why)
{
    snprintf(err, errlen, "bad %s '%s': %s", what, s, why);
    return -1;
}

int cli_parse_duration(const char *s, uint64_t *us, char *err, size_t errlen)
{
    char *end = NULL;
    errno = 0;
    if (!*s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
        return fail(err, errlen, "duration", s, "expected a number with a unit (us, ms, s, m)");
    double v = strtod(s, &end);
    if (errno || end == s || !isfinite(v) || v < 0)
        return fail(err, errlen, "duration", s, "expected a number with a unit (us, ms, s, m)");
    double mult;
    if (*end == '\0') {
        if (v != 0)
            return fail(err, errlen, "duration", s, "a unit is needed (us, ms, s or m)");
        mult = 0;
    } else if (strcmp(end, "us") == 0) {
        mult = 1;
    } else if (strcmp(end, "ms") == 0) {
        mult = 1e3;
    } else if (strcmp(end, "s") == 0) {
        mult = 1e6;
    } else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0) {
        mult = 6e7;
    } else {
        return fail(err, errlen, "duration", s, "unknown unit (use us, ms, s or m)");
    }
    double r = v * mult;
    if (r > 1e15)
        return fail(err, errlen, "duration", s, "too long");
    *us = (uint64_t)llround(r);
    return 0;
}

int cli_parse_rate(const char *s, uint64_t *bps, char *err, size_t errlen)
{
    char *end = NULL;
    errno = 0;
    if (!*s || !isdigit((unsigned char)s[0]))
        return fail(err, errlen, "bit rate", s, "expected e.g. 10Mbit");
    double v = strtod(s, &end);
    if (errno || end == s || !isfinite(v) || v <= 0)
        return fail(err, errlen, "bit rate", s, "expected a positive number, e.g. 10Mbit");
    double mult = 1;
    if (*end == 'k' || *end == 'K') {
        mult = 1e3;
        end++;
    } else if (*end == 'M') {
        mult = 1e6;
        end++;
    } else if (*end == 'G') {
        mult = 1e9;
        end++;
    }
    if (*end && strcasecmp(end, "bit") != 0 && strcasecmp(end, "bps") != 0 &&
        strcasecmp(end, "bit/s") != 0)
        return fail(err, errlen, "bit rate", s, "unknown unit (use bit, kbit, Mbit, Gbit)");
    double r = v * mult;
    if (r < 1 || r > 1e13)
        return fail(err, errlen, "bit rate", s, "out of range");
    *bps = (uint64_t)llround(r);
    return 0;
}

int cli_parse_prob(const char *s, double *p, char *err, size_t errlen)
{
    char *end = NULL;
    errno = 0;
    if (!*s)
        return fail(err, errlen, "probability", s, "expected e.g. 1% or 0.01");
    double v = strtod(s, &end);
    if (errno || end == s || !isfinite(v))
        return fail(err, errlen, "probability", s, "expected e.g. 1% or 0.01");
    if (strcmp(end, "%") == 0)
        v /= 100.0;
    else if (*end)
        return fail(err, errlen, "probability", s, "expected e.g. 1% or 0.01");
    if (v < 0 || v > 1)
        return fail(err, errlen, "probability", s, "must be between 0 and 1 (0% and 100%)");
    *p = v;
    return 0;
}

int cli_parse_uint(const char *s, uint64_t max, uint64_t *v, char *err, size_t errlen)
{
    char *end = NULL;
    errno = 0;
    if (!*s || !isdigit((unsigned char)s[0]))
        return fail(err, errlen, "number", s, "expected an unsigned integer");
    unsigned long long x = strtoull(s, &end, 0);
    if (*end || (errno && errno != ERANGE))
        return fail(err, errlen, "number", s, "expected an unsigned integer");
    if (errno == ERANGE || x > max) {
        snprintf(err, errlen, "bad number '%s': larger than %llu", s, (unsigned long long)max);
        return -1;
    }
    *v = x;
    return 0;
}
