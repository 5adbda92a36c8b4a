/*
 * rnd_simtrace.c - a built-in scenario, simulated into memory.
 */
#include "rnd_simtrace.h"

#include "sim_net.h"
#include "sim_scenario.h"
#include "tcp.h"

int rnd_sim_trace(const char *scenario, trace_buf *b)
{
    return rnd_sim_trace_profile(scenario, false, b);
}

int rnd_sim_trace_profile(const char *scenario, bool linux_like, trace_buf *b)
{
    static sim_scenario sc; /* large: keep it off the stack */
    sim_net net;
    int rc;
    trace_buf_init(b);
    if (sim_builtin_load(&sc, scenario) != 0)
        return -1;
    if (linux_like) /* as --profile linux does (cli_settings.c) */
        for (int i = 0; i < 2; i++)
            tcp_config_profile(&sc.tcp[i], true);
    sim_net_meta(&sc, &b->meta);
    sim_net_init(&net, &sc, trace_buf_sink(b));
    rc = sim_net_run(&net);
    sim_net_free(&net);
    return rc != 0 || b->oom ? -1 : 0;
}
