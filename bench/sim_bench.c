/*
 * sim_bench.c - simulator throughput benchmark: one client sends N bytes to a server over a
 * link with random loss, with no trace output, and the program reports simulated segments per
 * second of CPU time and the peak resident set size.  Used by bench/sim-bench.sh; not a test.
 *
 *   sim_bench [BYTES [LOSS [SEED [SETTINGS]]]]   defaults: 100000000 bytes, 0.01 loss, seed 1
 *
 * SETTINGS is a comma-separated list of the scenario language's endpoint mechanisms as
 * KEY=VALUE (`sack=on`, `cc=cubic`, docs/linux-profile.md) and `profile=rfc|linux`, applied in
 * order to both ends before the benchmark's 1 MiB buffers: `sack=on` is the RFC sender with
 * SACK and RFC 6675 recovery, `profile=linux` the whole Linux profile.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim_net.h"
#include "sim_scenario.h"
#include "tcp_mech.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Applies SETTINGS (see above) to cfg; 0, or -1 with a message on stderr. */
static int apply_settings(tcp_config *cfg, const char *list)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item != NULL;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (eq == NULL) {
            fprintf(stderr, "sim_bench: '%s' is not KEY=VALUE\n", item);
            return -1;
        }
        *eq = '\0';
        const char *value = eq + 1;
        if (strcmp(item, "profile") == 0) {
            if (strcmp(value, "linux") != 0 && strcmp(value, "rfc") != 0) {
                fprintf(stderr, "sim_bench: profile must be rfc or linux, got '%s'\n", value);
                return -1;
            }
            tcp_config_profile(cfg, strcmp(value, "linux") == 0);
            continue;
        }
        const tcp_mech *m = tcp_mech_find(item, strlen(item));
        char err[160];
        if (m == NULL) {
            fprintf(stderr, "sim_bench: unknown setting '%s'\n", item);
            return -1;
        }
        if (tcp_mech_apply(cfg, m, value, err, sizeof err) != 0) {
            fprintf(stderr, "sim_bench: %s\n", err);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t bytes = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000000ull;
    double loss = argc > 2 ? strtod(argv[2], NULL) : 0.01;
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;

    static sim_scenario sc;
    sim_scenario_default(&sc);
    snprintf(sc.name, sizeof sc.name, "bench");
    sc.loss = loss;
    sc.seed = seed;
    sc.rtt = 10000; /* 10 ms */
    sc.until = UINT64_MAX;
    for (int i = 0; i < 2; i++) {
        if (argc > 4 && apply_settings(&sc.tcp[i], argv[4]) != 0)
            return 2;
        sc.tcp[i].rcv_buf = 1u << 20; /* window scaling on */
        sc.tcp[i].snd_buf = 1u << 20;
    }
    sc.app[1].close_on_eof = true;
    sim_scenario_add_action(&sc, 0, 1, TCP_CALL_LISTEN, 0, NULL);
    sim_scenario_add_action(&sc, 0, 0, TCP_CALL_CONNECT, 0, NULL);
    sim_scenario_add_action(&sc, 100000, 0, TCP_CALL_WRITE, bytes, NULL);
    sim_scenario_add_action(&sc, 100000, 0, TCP_CALL_CLOSE, 0, NULL);

    static sim_net net;
    trace_sink none = {NULL, NULL};
    sim_net_init(&net, &sc, none);
    double t0 = cpu_seconds();
    if (sim_net_run(&net) < 0) {
        fprintf(stderr, "sim_bench: out of memory\n");
        return 1;
    }
    double dt = cpu_seconds() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t delivered = net.ep[1].rcv_total;
    printf("bytes %" PRIu64 " delivered %" PRIu64 " loss %.3f seed %" PRIu64 " settings %s\n",
           bytes, delivered, loss, seed, argc > 4 ? argv[4] : "rfc");
    printf("segments %" PRIu64 " (lost %" PRIu64 ", client retransmissions %" PRIu64 ")\n",
           net.stats.segments, net.stats.dropped, net.ep[0].retrans_segs);
    printf("simulated time %.3f s, cpu %.3f s, %.0f segments/s\n", (double)net.now / 1e6, dt,
           (double)net.stats.segments / dt);
    printf("peak rss %ld KiB, heap capacity %zu events\n", ru.ru_maxrss, net.heap.cap);
    printf("final states: client %s, server %s\n", tcp_state_name(net.ep[0].state),
           tcp_state_name(net.ep[1].state));
    sim_net_free(&net);
    return delivered == bytes ? 0 : 1;
}
