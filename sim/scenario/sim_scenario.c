/*
 * sim_scenario.c - scenario defaults and the helpers that fill the action and rule tables.
 */
#include "sim_scenario.h"

#include <stdio.h>
#include <string.h>

void sim_scenario_default(sim_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    tcp_config_default(&sc->tcp[0]);
    tcp_config_default(&sc->tcp[1]);
    sc->tcp[0].isn = 1000;
    sc->tcp[1].isn = 2000;
    snprintf(sc->addr[0], sizeof sc->addr[0], "192.0.2.1:49152");
    snprintf(sc->addr[1], sizeof sc->addr[1], "192.0.2.2:80");
    sc->rtt = 100000;
    sc->seed = 1;
    sc->until = 3600ull * 1000000ull;
    sc->reorder_delay = 10000;
    for (int i = 0; i < 2; i++)
        sc->app[i].auto_read = true;
    sc->port_lo = 32768;
    sc->port_hi = 60999;
    sc->syncookies = 1; /* Linux net.ipv4.tcp_syncookies default */
}

int sim_scenario_add_action(sim_scenario *sc, uint64_t t, uint8_t ep, tcp_call call, uint64_t bytes,
                            const char *text)
{
    if (sc->n_actions >= SIM_MAX_ACTIONS)
        return -1;
    sim_action *a = &sc->actions[sc->n_actions++];
    memset(a, 0, sizeof *a);
    a->t = t;
    a->ep = ep;
    a->call = (uint8_t)call;
    a->bytes = bytes;
    if (text) {
        snprintf(a->text, sizeof a->text, "%s", text);
        a->bytes = strlen(a->text);
    }
    return 0;
}

int sim_scenario_add_rule(sim_scenario *sc, const sim_rule *r)
{
    if (sc->n_rules >= SIM_MAX_RULES)
        return -1;
    sc->rules[sc->n_rules++] = *r;
    return 0;
}
