/*
 * tcp_mech.h - the settings of the mechanisms docs/linux-profile.md describes, by name, so that
 * the scenario language (sim_parse.c) and the command line (cli/cli_settings.c) read them the
 * same way: `sack on`, `cc cubic`, `nagle minshall`, `wscale 7`...  Each one sets fields of a
 * tcp_config; `profile linux` (tcp_config_profile) sets them all.
 */
#ifndef TCPSIM_TCP_MECH_H
#define TCPSIM_TCP_MECH_H

#include <stddef.h>

#include "tcp.h"

/* The settings, in the order of the table (and of the command-line option codes). */
enum {
    TCP_MECH_SACK,
    TCP_MECH_TIMESTAMPS,
    TCP_MECH_CC,
    TCP_MECH_RACK,
    TCP_MECH_TLP,
    TCP_MECH_PRR,
    TCP_MECH_QUICKACK,
    TCP_MECH_NAGLE,
    TCP_MECH_PSH,
    TCP_MECH_RTO_ESTIMATOR,
    TCP_MECH_CWND_UNIT,
    TCP_MECH_ZWP,
    TCP_MECH_RCV_WINDOW,
    TCP_MECH_DUP_SYN,
    TCP_MECH_SYN_LINEAR,
    TCP_MECH_WSCALE,
    TCP_MECH_HZ,
    TCP_MECH_COUNT
};

typedef struct tcp_mech {
    const char *key;    /* "sack" */
    const char *values; /* for messages: "on or off" */
} tcp_mech;

/* The table entry for `key`, or NULL. */
const tcp_mech *tcp_mech_find(const char *key, size_t len);
/* Entry k (0 .. TCP_MECH_COUNT - 1). */
const tcp_mech *tcp_mech_at(int k);
/* Sets the mechanism from its value word; returns 0, or -1 with a one-line message in err
 * ("sack must be on or off, got 'yes'"). */
int tcp_mech_apply(tcp_config *cfg, const tcp_mech *m, const char *value, char *err, size_t errlen);

#endif
