/*
 * cli_settings.c - applies --profile and the simulation settings (--rtt, --loss, --rto-min...)
 * to a scenario, both endpoints at once except for the ISNs.
 */
#include <stdio.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_parse.h"
#include "cli_settings.h"
#include "tcp_mech.h"

static void apply_profile(sim_scenario *sc, const char *profile)
{
    bool linux_ = strcmp(profile, "linux") == 0;
    for (int i = 0; i < 2; i++)
        tcp_config_profile(&sc->tcp[i], linux_);
    sc->listen_linux = linux_; /* the listener's queues too, as the scenario statement does */
}

/* Applies one override to both endpoints (or one ISN); returns 0 or -1 with err set. */
static int apply_one(sim_scenario *sc, int opt, const char *arg, char *err, size_t errlen)
{
    uint64_t u = 0;
    double p = 0;
    switch (opt) {
    case O_RTT:
        if (cli_parse_duration(arg, &u, err, errlen))
            return -1;
        sc->rtt = u;
        return 0;
    case O_BW:
        if (cli_parse_rate(arg, &u, err, errlen))
            return -1;
        sc->bandwidth = u;
        return 0;
    case O_LOSS:
    case O_DUP:
    case O_REORDER:
        if (cli_parse_prob(arg, &p, err, errlen))
            return -1;
        *(opt == O_LOSS ? &sc->loss : opt == O_DUP ? &sc->duplicate : &sc->reorder) = p;
        return 0;
    case O_REORDER_DELAY:
        return cli_parse_duration(arg, &sc->reorder_delay, err, errlen);
    case O_SEED:
        return cli_parse_uint(arg, UINT64_MAX, &sc->seed, err, errlen);
    case O_ISN_C:
    case O_ISN_S:
        if (cli_parse_uint(arg, UINT32_MAX, &u, err, errlen))
            return -1;
        sc->tcp[opt == O_ISN_C ? 0 : 1].isn = (uint32_t)u;
        return 0;
    case O_UNTIL:
        return cli_parse_duration(arg, &sc->until, err, errlen);
    default:
        break;
    }
    if (opt >= O_MECH && opt < O_MECH + TCP_MECH_COUNT) {
        const tcp_mech *m = tcp_mech_at(opt - O_MECH);
        for (int i = 0; i < 2; i++)
            if (tcp_mech_apply(&sc->tcp[i], m, arg, err, errlen) < 0)
                return -1;
        return 0;
    }
    for (int i = 0; i < 2; i++) {
        tcp_config *c = &sc->tcp[i];
        switch (opt) {
        case O_MSS:
            if (cli_parse_uint(arg, 65535, &u, err, errlen))
                return -1;
            if (u < 64) {
                snprintf(err, errlen, "bad MSS '%s': at least 64", arg);
                return -1;
            }
            c->mss = (uint32_t)u;
            break;
        case O_RCVBUF:
        case O_SNDBUF:
            if (cli_parse_uint(arg, 1u << 30, &u, err, errlen))
                return -1;
            if (u < 1) {
                snprintf(err, errlen, "bad buffer size '%s': at least 1 byte", arg);
                return -1;
            }
            *(opt == O_RCVBUF ? &c->rcv_buf : &c->snd_buf) = (uint32_t)u;
            if (opt == O_RCVBUF)
                c->rcv_buf_set = true;
            break;
        case O_MSL:
            if (cli_parse_duration(arg, &c->msl, err, errlen))
                return -1;
            break;
        case O_RTO_MIN:
            if (cli_parse_duration(arg, &c->rto_min, err, errlen))
                return -1;
            break;
        case O_RTO_INIT:
            if (cli_parse_duration(arg, &c->rto_initial, err, errlen))
                return -1;
            if (c->rto_initial == 0) {
                snprintf(err, errlen, "bad duration '%s': the initial RTO must be > 0", arg);
                return -1;
            }
            break;
        case O_RTO_MAX:
            if (cli_parse_duration(arg, &c->rto_max, err, errlen))
                return -1;
            break;
        case O_CLOCK_G:
            if (cli_parse_duration(arg, &c->clock_g, err, errlen))
                return -1;
            break;
        case O_DELACK:
            if (cli_parse_duration(arg, &c->delack, err, errlen))
                return -1;
            if (c->delack > 500000) {
                snprintf(err, errlen, "bad delayed ACK '%s': RFC 1122 allows at most 500ms", arg);
                return -1;
            }
            break;
        case O_NO_DELACK:
            c->delack = 0;
            break;
        case O_NO_NAGLE:
            c->nagle = false;
            break;
        case O_IW:
        case O_SYN_LOSS_IW:
            if (cli_parse_uint(arg, 1000, &u, err, errlen))
                return -1;
            *(opt == O_IW ? &c->iw_segments : &c->syn_loss_iw) = (uint32_t)u;
            break;
        case O_SYN_RETRIES:
        case O_MAX_RETRIES:
            if (cli_parse_uint(arg, 1000, &u, err, errlen))
                return -1;
            *(opt == O_SYN_RETRIES ? &c->syn_retries : &c->max_retries) = (uint32_t)u;
            break;
        default:
            snprintf(err, errlen, "internal: unhandled option %d", opt);
            return -1;
        }
    }
    return 0;
}

int cli_apply_settings(sim_scenario *sc, const cli_options *o, char *err, size_t errlen)
{
    if (o->profile)
        apply_profile(sc, o->profile);
    for (int k = 0; k < o->n_settings; k++) {
        char why[256];
        if (apply_one(sc, o->settings[k].opt, o->settings[k].arg, why, sizeof why) < 0) {
            /* name the option: "--rtt: bad duration 'abc': ..." */
            snprintf(err, errlen, "--%s: %s", cli_option_name(o->settings[k].opt), why);
            return -1;
        }
    }
    return 0;
}
