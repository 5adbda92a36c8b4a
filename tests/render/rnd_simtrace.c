/*
 * rnd_simtrace.c - a built-in scenario, simulated into memory.
 */
#include "rnd_simtrace.h"

#include "sim_net.h"
#include "sim_scenario.h"

int rnd_sim_trace(const char *scenario, trace_buf *b)
{
    static sim_scenario sc; /* large: keep it off the stack */
    sim_net net;
    int rc;
    trace_buf_init(b);
    if (sim_builtin_load(&sc, scenario) != 0)
        return -1;
    sim_net_meta(&sc, &b->meta);
    sim_net_init(&net, &sc, trace_buf_sink(b));
    rc = sim_net_run(&net);
    sim_net_free(&net);
    return rc != 0 || b->oom ? -1 : 0;
}
