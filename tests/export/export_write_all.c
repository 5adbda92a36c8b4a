/*
 * export_write_all.c - writes the exported capture of every built-in scenario, at both vantages
 * and in both framings, with the addresses moved to IPv6 (2001:db8::/32, the same ports), so that
 * export_tshark.sh can check IPv6 files too: the command line only plays the built-ins on their
 * IPv4 addresses.  Usage: export_write_all DIR.  Prints one line per file, "NAME FRAMES", the
 * number of frames the file must hold (the vantage's sends and arrivals), and " udp" after it
 * for a scenario with datagrams only (its flow, written as UDP).  Exit 0, or 1 with a message.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cap_export_int.h"
#include "sim_net.h"
#include "sim_scenario.h"

static sim_net net;
static sim_scenario sc;

/* "192.0.2.7:80" -> "[2001:db8::7]:80" */
static int to_ipv6(char *addr, size_t size)
{
    cap_addr a;
    uint16_t port;
    if (cap_export_parse_endpoint(addr, &a, &port) < 0 || a.family != CAP_FAMILY_IPV4)
        return -1;
    snprintf(addr, size, "[2001:db8::%u]:%u", (unsigned)a.bytes[3], (unsigned)port);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: export_write_all DIR\n");
        return 1;
    }
    trace_buf tb;
    trace_buf_init(&tb);
    for (const sim_builtin *b = sim_builtin_list(); b->name != NULL; b++) {
        trace_buf_free(&tb);
        trace_buf_init(&tb);
        if (sim_builtin_load(&sc, b->name) < 0)
            return 1;
        sim_net_init(&net, &sc, trace_buf_sink(&tb));
        int rc = sim_net_run(&net);
        sim_net_free(&net);
        if (rc < 0 || tb.oom) {
            fprintf(stderr, "export_write_all: %s: simulation failed\n", b->name);
            return 1;
        }
        sim_net_meta(&sc, &tb.meta);
        bool udp = false;
        if (sc.n_hosts > 0) { /* a scenario with hosts: its first TCP connection, or flow */
            trace_buf one;
            uint32_t c = trace_buf_select(&tb, TRACE_SELECT_ANY, &one);
            for (size_t k = 0; k < one.n && c != 0; k++)
                if (one.ev[k].kind == TRACE_CONN)
                    udp = one.ev[k].u.conn.udp;
            trace_buf_free(&tb);
            tb = one;
            if (c == 0)
                continue;
        }
        for (int i = 0; i < 2; i++)
            if (to_ipv6(tb.meta.addr[i], sizeof tb.meta.addr[i]) < 0) {
                fprintf(stderr, "export_write_all: %s: address %s\n", b->name, tb.meta.addr[i]);
                return 1;
            }
        for (unsigned v = 0; v < 2; v++) {
            size_t frames = 0;
            for (size_t k = 0; k < tb.n; k++)
                if ((tb.ev[k].kind == TRACE_SEND || tb.ev[k].kind == TRACE_RECV) &&
                    tb.ev[k].ep == v)
                    frames++;
            for (int raw = 0; raw < 2; raw++) {
                char name[256], path[4400], err[512];
                snprintf(name, sizeof name, "%s-%s-%s-ip6.pcap", b->name, trace_ep_name(v),
                         raw ? "raw" : "ether");
                snprintf(path, sizeof path, "%s/%s", argv[1], name);
                cap_export_opts o;
                cap_export_opts_default(&o);
                o.vantage = v;
                o.raw_ip = raw != 0;
                if (cap_export_pcap(&tb, &o, path, err, sizeof err) != 0) {
                    fprintf(stderr, "export_write_all: %s\n", err);
                    return 1;
                }
                printf("%s %zu%s\n", name, frames, udp ? " udp" : "");
            }
        }
    }
    trace_buf_free(&tb);
    return 0;
}
