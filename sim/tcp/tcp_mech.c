/*
 * tcp_mech.c - the table of tcp_mech.h: each mechanism's name, the values it takes and the
 * tcp_config fields they set.
 */
#include "tcp_mech.h"

#include <stdio.h>
#include <string.h>

static const tcp_mech mechs[TCP_MECH_COUNT] = {
    [TCP_MECH_SACK] = {"sack", "on or off"},
    [TCP_MECH_TIMESTAMPS] = {"timestamps", "on or off"},
    [TCP_MECH_CC] = {"cc", "newreno or cubic"},
    [TCP_MECH_RACK] = {"rack", "on or off"},
    [TCP_MECH_TLP] = {"tlp", "on or off"},
    [TCP_MECH_PRR] = {"prr", "on or off"},
    [TCP_MECH_QUICKACK] = {"quickack", "on or off"},
    [TCP_MECH_NAGLE] = {"nagle", "on, off or minshall"},
    [TCP_MECH_PSH] = {"psh", "write or linux"},
    [TCP_MECH_RTO_ESTIMATOR] = {"rto-estimator", "rfc or linux"},
    [TCP_MECH_CWND_UNIT] = {"cwnd-unit", "bytes or packets"},
    [TCP_MECH_ZWP] = {"zero-window-probe", "rfc or linux"},
    [TCP_MECH_RCV_WINDOW] = {"rcv-window", "rfc or linux"},
    [TCP_MECH_DUP_SYN] = {"dup-syn", "ack or syn-ack"},
    [TCP_MECH_SYN_LINEAR] = {"syn-linear-timeouts", "a number 0 to 1000"},
    [TCP_MECH_WSCALE] = {"wscale", "auto, linux or a number 0 to 14"},
    [TCP_MECH_HZ] = {"hz", "off or 100, 250, 300 or 1000"},
};

const tcp_mech *tcp_mech_find(const char *key, size_t len)
{
    for (int k = 0; k < TCP_MECH_COUNT; k++)
        if (strlen(mechs[k].key) == len && memcmp(mechs[k].key, key, len) == 0)
            return &mechs[k];
    return NULL;
}

const tcp_mech *tcp_mech_at(int k)
{
    return k >= 0 && k < TCP_MECH_COUNT ? &mechs[k] : NULL;
}

/* Index of `v` among the words of list (NULL-terminated), or -1. */
static int word(const char *v, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(v, list[i]) == 0)
            return i;
    return -1;
}

static int number(const char *v, unsigned long max, unsigned long *out)
{
    if (*v == '\0' || strlen(v) > 10)
        return -1;
    unsigned long n = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        n = n * 10 + (unsigned long)(*p - '0');
    }
    if (n > max)
        return -1;
    *out = n;
    return 0;
}

int tcp_mech_apply(tcp_config *cfg, const tcp_mech *m, const char *value, char *err, size_t errlen)
{
    static const char *const onoff[] = {"off", "on", NULL};
    int k = (int)(m - mechs);
    int w = -1;
    unsigned long n = 0;
    switch (k) {
    case TCP_MECH_SACK:
    case TCP_MECH_TIMESTAMPS:
    case TCP_MECH_RACK:
    case TCP_MECH_TLP:
    case TCP_MECH_PRR:
    case TCP_MECH_QUICKACK:
        w = word(value, onoff);
        break;
    case TCP_MECH_CC: {
        static const char *const l[] = {"newreno", "cubic", NULL};
        w = word(value, l);
        break;
    }
    case TCP_MECH_NAGLE: {
        static const char *const l[] = {"off", "on", "minshall", NULL};
        w = word(value, l);
        break;
    }
    case TCP_MECH_PSH: {
        static const char *const l[] = {"write", "linux", NULL};
        w = word(value, l);
        break;
    }
    case TCP_MECH_RTO_ESTIMATOR:
    case TCP_MECH_ZWP:
    case TCP_MECH_RCV_WINDOW: {
        static const char *const l[] = {"rfc", "linux", NULL};
        w = word(value, l);
        break;
    }
    case TCP_MECH_CWND_UNIT: {
        static const char *const l[] = {"bytes", "packets", NULL};
        w = word(value, l);
        break;
    }
    case TCP_MECH_DUP_SYN: {
        static const char *const l[] = {"ack", "syn-ack", NULL};
        w = word(value, l);
        break;
    }
    case TCP_MECH_SYN_LINEAR:
        w = number(value, 1000, &n) == 0 ? 0 : -1;
        break;
    case TCP_MECH_WSCALE:
        if (strcmp(value, "auto") == 0)
            w = 1;
        else if (strcmp(value, "linux") == 0)
            w = 2;
        else
            w = number(value, 14, &n) == 0 ? 0 : -1;
        break;
    case TCP_MECH_HZ:
        if (strcmp(value, "off") == 0)
            w = 1;
        else if (number(value, 1000, &n) == 0 && (n == 100 || n == 250 || n == 300 || n == 1000))
            w = 0;
        break;
    default:
        break;
    }
    if (w < 0) {
        snprintf(err, errlen, "%s must be %s, got '%.32s'", m->key, m->values, value);
        return -1;
    }
    switch (k) {
    case TCP_MECH_SACK:
        cfg->sack = w == 1;
        break;
    case TCP_MECH_TIMESTAMPS:
        cfg->timestamps = w == 1;
        break;
    case TCP_MECH_CC:
        cfg->cc_algo = w == 1 ? TCP_CCA_CUBIC : TCP_CCA_NEWRENO;
        break;
    case TCP_MECH_RACK:
        cfg->rack = w == 1;
        break;
    case TCP_MECH_TLP:
        cfg->tlp = w == 1;
        break;
    case TCP_MECH_PRR:
        cfg->prr = w == 1;
        break;
    case TCP_MECH_QUICKACK:
        cfg->quickack = w == 1;
        break;
    case TCP_MECH_NAGLE:
        cfg->nagle = w != 0;
        if (w != 0) /* `nagle off` leaves the variant for a later `nagle on` to replace */
            cfg->nagle_minshall = w == 2;
        break;
    case TCP_MECH_PSH:
        cfg->psh = w == 1 ? TCP_PSH_LINUX : TCP_PSH_WRITE;
        break;
    case TCP_MECH_RTO_ESTIMATOR:
        cfg->rto_est = w == 1 ? TCP_RTO_LINUX : TCP_RTO_RFC6298;
        break;
    case TCP_MECH_CWND_UNIT:
        cfg->cwnd_packets = w == 1;
        break;
    case TCP_MECH_ZWP:
        cfg->zwp = w == 1 ? TCP_ZWP_LINUX : TCP_ZWP_RFC;
        break;
    case TCP_MECH_RCV_WINDOW:
        cfg->rwnd = w == 1 ? TCP_RWND_LINUX : TCP_RWND_RFC;
        break;
    case TCP_MECH_DUP_SYN:
        cfg->dup_syn_synack = w == 1;
        break;
    case TCP_MECH_SYN_LINEAR:
        cfg->syn_linear = (uint32_t)n;
        break;
    case TCP_MECH_WSCALE:
        cfg->wscale = w == 1   ? (int8_t)TCP_WSCALE_AUTO
                      : w == 2 ? (int8_t)TCP_WSCALE_LINUX
                               : (int8_t)n;
        break;
    case TCP_MECH_HZ:
        cfg->hz = w == 1 ? 0 : (uint32_t)n;
        break;
    default:
        break;
    }
    return 0;
}
