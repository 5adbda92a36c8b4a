/*
 * tcpsim.c - the command's entry point: parse the options, check that they fit together, and
 * hand over to the scenario runner (cli_scenario.c) or the capture replay (cli_pcap.c).
 * Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
 */
#include <stdio.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_parse.h"
#include "cli_pcap.h"
#include "cli_render.h"
#include "cli_scenario.h"
#include "cli_scenfile.h"
#include "sim_scenario.h"

static void list_scenarios(void)
{
    for (const sim_builtin *b = sim_builtin_list(); b->name; b++)
        printf("%-11s %s\n", b->name, b->summary);
}

static int run_capture(const cli_options *o)
{
    if (o->n_settings > 0 || o->profile)
        return cli_usage_error("%s", "simulation settings (--rtt, --loss, ...) go with --scenario");
    cli_pcap_opts p;
    memset(&p, 0, sizeof p);
    p.path = o->pcap;
    p.live = o->live;
    p.filter = o->filter;
    p.flow = o->flow;
    p.json = o->json;
    p.summary = o->summary;
    p.quiet = o->quiet;
    p.verbose = o->verbose;
    p.absolute = o->absolute;
    p.count = o->count;
    if (o->max_conns) {
        uint64_t v;
        char err[160];
        if (cli_parse_uint(o->max_conns, 10000000, &v, err, sizeof err) < 0 || v == 0)
            return cli_usage_error("bad --max-conns '%s': a number from 1 to 10000000",
                                   o->max_conns);
        p.max_conns = (uint32_t)v;
    }
    if (o->output && o->live)
        return cli_usage_error("%s", "-o draws a capture file, not a live capture");
    if (o->layout_json && o->live)
        return cli_usage_error("%s", "--layout-json draws a capture file, not a live capture");
    p.render = (o->output || o->layout_json) ? o : NULL;
    if ((o->from || o->to) &&
        cli_render_range(o, &p.from_us, &p.to_us, &p.from_pkt, &p.to_pkt) == 0)
        p.range = true;
    return cli_run_pcap(&p);
}

int main(int argc, char **argv)
{
    cli_options o;
    int rc = cli_parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.help) {
        cli_print_usage(stdout);
        return 0;
    }
    if (o.version) {
        cli_print_version(stdout);
        return 0;
    }
    if (o.list) {
        list_scenarios();
        return 0;
    }
    int modes =
        (o.scenario != NULL) + (o.scenario_file != NULL) + (o.pcap != NULL) + (o.live != NULL);
    if (modes == 0)
        return cli_usage_error("%s", "nothing to do: give --scenario NAME or --pcap FILE");
    if (modes > 1)
        return cli_usage_error("%s", "--scenario, --scenario-file, --pcap and --live exclude "
                                     "each other");
    if ((o.write_pcap || o.vantage || o.pcap_link) && !o.scenario && !o.scenario_file)
        return cli_usage_error("%s", "-w/--write-pcap, --vantage and --pcap-link go with a "
                                     "scenario (tcpsim writes the packets it simulates; to copy "
                                     "a capture's packets, use tcpdump -r IN -w OUT)");
    if ((o.vantage || o.pcap_link) && !o.write_pcap)
        return cli_usage_error("%s", "--vantage and --pcap-link need --write-pcap FILE");
    rc = cli_render_check(&o);
    if (rc >= 0)
        return rc;
    if (o.scenario_file) {
        if (o.filter || o.count || o.summary || o.max_conns)
            return cli_usage_error("%s", "-f, -c, --summary and --max-conns go with "
                                         "--pcap or --live");
        return cli_run_scenario_file(&o);
    }
    if (o.scenario) {
        if (o.filter || o.count || o.summary || o.max_conns)
            return cli_usage_error("%s", "-f, -c, --summary and --max-conns go with "
                                         "--pcap or --live");
        if (strcmp(o.scenario, "all") == 0)
            return cli_run_all_scenarios(&o);
        return cli_run_scenario(&o);
    }
    return run_capture(&o);
}
