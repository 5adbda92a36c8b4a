/*
 * sock_bench.c - the many-connections benchmark of the world of hosts (sim/net/sim_sock.h):
 * N clients on one client host each connect to one server host over one link, write BYTES and
 * close; the server accepts each and reads everything.  No trace output.  Reports the segments
 * simulated per second of CPU time, the connections, the peak of endpoints alive at once, and
 * the peak resident set size per connection (getrusage; bench/sock-bench.sh also runs it under
 * /usr/bin/time -v).  Used by bench/sock-bench.sh; not a test.
 *
 *   sock_bench [CLIENTS [BYTES [RTT_US [BANDWIDTH_BPS]]]]
 *   defaults: 10000 clients, 102400 bytes, 10000 us, unlimited bandwidth
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim_sock.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    uint64_t clients = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000;
    uint64_t bytes = argc > 2 ? strtoull(argv[2], NULL, 10) : 102400;
    uint64_t rtt = argc > 3 ? strtoull(argv[3], NULL, 10) : 10000;
    uint64_t bw = argc > 4 ? strtoull(argv[4], NULL, 10) : 0;
    if (clients == 0 || clients > 28000) {
        fprintf(stderr, "sock_bench: 1 to 28000 clients (one client host's ephemeral ports)\n");
        return 2;
    }
    static sim_scenario sc;
    sim_scenario_default(&sc);
    snprintf(sc.name, sizeof sc.name, "sock-bench");
    sc.rtt = rtt;
    sc.bandwidth = bw;
    sc.n_hosts = 2;
    snprintf(sc.hosts[0].name, sizeof sc.hosts[0].name, "server");
    snprintf(sc.hosts[0].ip, sizeof sc.hosts[0].ip, "192.0.2.2");
    snprintf(sc.hosts[1].name, sizeof sc.hosts[1].name, "clients");
    snprintf(sc.hosts[1].ip, sizeof sc.hosts[1].ip, "192.0.2.1");
    static sim_world w;
    double t0 = cpu_seconds();
    if (sim_world_init(&w, &sc, (trace_sink){NULL, NULL}) < 0 ||
        sim_sock_listen_auto(&w, 0, 80, 4096) < 0) {
        fprintf(stderr, "sock_bench: out of memory\n");
        return 1;
    }
    for (uint64_t i = 0; i < clients; i++)
        if (sim_sock_connect_auto(&w, 1, 0, 80, bytes) < 0) {
            fprintf(stderr, "sock_bench: client %" PRIu64 ": out of memory or ports\n", i);
            return 1;
        }
    if (sim_world_run(&w) < 0) {
        fprintf(stderr, "sock_bench: out of memory while simulating\n");
        return 1;
    }
    double cpu = cpu_seconds() - t0;
    uint64_t read = 0;
    for (uint32_t s = 0; s < w.n_sock; s++)
        if (w.sock[s].role == TRACE_SERVER && !w.sock[s].listening)
            read += w.sock[s].read;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double rss = (double)ru.ru_maxrss * 1024.0;
    printf("clients %" PRIu64 ", %" PRIu64 " bytes each: %" PRIu64 " connections, %" PRIu64
           " bytes read by the server (%s), %" PRIu64 " segments, %" PRIu64
           " lost, simulated %.3f s\n",
           clients, bytes, w.conns_opened, read, read == clients * bytes ? "all" : "NOT ALL",
           w.stats.segments, w.stats.dropped, (double)w.now / 1e6);
    printf("cpu %.3f s, %.2f million segments/s; peak endpoints alive %" PRIu64
           "; peak RSS %.1f MiB, %.1f KiB per connection\n",
           cpu, (double)w.stats.segments / cpu / 1e6, w.peak_eps, rss / 1048576.0,
           rss / 1024.0 / (double)clients);
    sim_world_free(&w);
    return read == clients * bytes ? 0 : 1;
}
