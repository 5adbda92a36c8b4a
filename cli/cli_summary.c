/*
 * cli_summary.c - writes connection summaries and the capture line, as text or JSON.
 */
#include "cli_summary.h"

#include <inttypes.h>

#include "cap_addr.h"
#include "cap_zeek.h"
#include "cli_json.h"

static const char *side[2] = {"client", "server"};

static void path_text(FILE *out, const tcp_endpoint *ep)
{
    for (unsigned i = 0; i < ep->obs_n; i++)
        fprintf(out, "%s%s", i ? ">" : "", tcp_state_name((tcp_state)ep->obs_path[i]));
}

static void ms(FILE *out, uint64_t us)
{
    fprintf(out, "%" PRIu64 ".%03" PRIu64, us / 1000u, us % 1000u);
}

/* Payload bits per second of side i over the connection's duration. */
static double throughput(const cap_conn *c, int i)
{
    uint64_t dur = c->last_t - c->first_t;
    return dur ? (double)c->d[i].unique_bytes * 8e6 / (double)dur : 0.0;
}

/* Segments carrying sequence space inferred lost after the capture point, per segment carrying
 * sequence space (%); lost pure ACKs are counted in `lost` but are not part of the rate. */
static double loss_rate(const cap_conn *c, int i)
{
    uint64_t n = cap_conn_data_segments(c, i);
    return n ? 100.0 * (double)cap_conn_lost_data(c, i) / (double)n : 0.0;
}

void cli_summary_header(FILE *out)
{
    fprintf(out, "%4s  %-22s %-22s %-6s %-14s %9s  %s\n", "conn", "client (originator)",
            "server (responder)", "state", "history", "dur (s)", "problem");
    fprintf(out, "      %-3s %6s %6s %9s %9s %7s %8s %5s %5s %6s %7s  %s\n", "dir", "pkts", "segs",
            "bytes", "unique", "missed", "Mbit/s", "retx", "lost", "loss%", "0win ms",
            "rtt ms min/avg/max (n)");
}

void cli_summary_text(FILE *out, const cap_conn *c, bool verbose)
{
    char a[CAP_ENDPOINT_STRLEN], b[CAP_ENDPOINT_STRLEN];
    cap_endpoint_str(&c->addr[0], c->port[0], a, sizeof a);
    cap_endpoint_str(&c->addr[1], c->port[1], b, sizeof b);
    uint64_t dur = c->last_t - c->first_t;
    fprintf(out, "%4" PRIu32 "  %-22s %-22s %-6s %-14s %5" PRIu64 ".%03" PRIu64 "  %s%s\n", c->id,
            a, b, cap_zeek_conn_state(&c->zeek), c->zeek.history, dur / 1000000u,
            (dur / 1000u) % 1000u, cap_conn_problem(c), c->handshake_seen ? "" : " (no SYN seen)");
    for (int i = 0; i < 2; i++) {
        const cap_dir *d = &c->d[i];
        fprintf(out,
                "      %-3s %6" PRIu64 " %6" PRIu64 " %9" PRIu64 " %9" PRIu64 " %7" PRIu64
                " %8.3f %5" PRIu64 " %5" PRIu64 " %6.2f %7" PRIu64 "  ",
                i ? "s>c" : "c>s", d->packets, d->segments, d->bytes, d->unique_bytes,
                d->missed_bytes, throughput(c, i) / 1e6, d->retrans_segs, d->lost, loss_rate(c, i),
                cap_conn_zero_window_time(c, i) / 1000u);
        const cap_rtt *r = &d->rtt;
        if (r->n) {
            ms(out, r->min);
            fputc('/', out);
            ms(out, r->sum / r->n);
            fputc('/', out);
            ms(out, r->max);
            fprintf(out, " (%" PRIu64 ")", r->n);
        } else {
            fputc('-', out);
        }
        fputc('\n', out);
    }
    if (!verbose)
        return;
    fputs("      states: client ", out);
    path_text(out, &c->ep[0]);
    fputs("\n              server ", out);
    path_text(out, &c->ep[1]);
    fputc('\n', out);
    fprintf(out, "      %s: %s; end: %s", cap_zeek_conn_state(&c->zeek),
            cap_zeek_conn_state_meaning(cap_zeek_conn_state(&c->zeek)),
            cap_end_name(cap_conn_end(c)));
    for (int i = 0; i < 2; i++)
        if (c->d[i].n_retx_interval) {
            fprintf(out, "; %s retransmission intervals ms", side[i]);
            for (uint32_t k = 0; k < c->d[i].n_retx_interval; k++) {
                fputc(k ? ',' : ' ', out);
                ms(out, c->d[i].retx_interval[k]);
            }
        }
    fputc('\n', out);
}

static void path_json(FILE *out, const tcp_endpoint *ep)
{
    fputc('[', out);
    for (unsigned i = 0; i < ep->obs_n; i++)
        fprintf(out, "%s\"%s\"", i ? "," : "", tcp_state_name((tcp_state)ep->obs_path[i]));
    fputc(']', out);
}

static void pair(FILE *out, const char *name, uint64_t a, uint64_t b)
{
    fprintf(out, ",\"%s\":{\"client\":%" PRIu64 ",\"server\":%" PRIu64 "}", name, a, b);
}

void cli_summary_json(FILE *out, const cap_conn *c)
{
    char a[CAP_ENDPOINT_STRLEN], b[CAP_ENDPOINT_STRLEN];
    cap_endpoint_str(&c->addr[0], c->port[0], a, sizeof a);
    cap_endpoint_str(&c->addr[1], c->port[1], b, sizeof b);
    fprintf(out, "{\"ev\":\"conn\",\"conn\":%" PRIu32 ",\"client\":", c->id);
    cli_json_string(out, a);
    fputs(",\"server\":", out);
    cli_json_string(out, b);
    fprintf(out, ",\"handshake_seen\":%s,\"packets\":%" PRIu64,
            c->handshake_seen ? "true" : "false", c->packets);
    pair(out, "bytes", c->d[0].bytes, c->d[1].bytes);
    pair(out, "retransmissions", c->d[0].retrans, c->d[1].retrans);
    pair(out, "rst", c->d[0].rst, c->d[1].rst);
    fputs(",\"states\":{\"client\":", out);
    path_json(out, &c->ep[0]);
    fputs(",\"server\":", out);
    path_json(out, &c->ep[1]);
    fprintf(out, "},\"final\":{\"client\":\"%s\",\"server\":\"%s\"}",
            tcp_state_name(c->ep[0].state), tcp_state_name(c->ep[1].state));
    /* more than the fixed fields */
    fprintf(out, ",\"start\":%" PRIu64 ",\"duration\":%" PRIu64 ",\"end\":\"%s\"", c->first_t,
            c->last_t - c->first_t, cap_end_name(cap_conn_end(c)));
    pair(out, "packets_sent", c->d[0].packets, c->d[1].packets);
    pair(out, "unique_bytes", c->d[0].unique_bytes, c->d[1].unique_bytes);
    pair(out, "fast_retransmissions", c->d[0].fast_retrans, c->d[1].fast_retrans);
    pair(out, "dup_acks", c->d[0].dup_acks, c->d[1].dup_acks);
    pair(out, "zero_windows", c->d[0].zero_windows, c->d[1].zero_windows);
    pair(out, "lost", c->d[0].lost, c->d[1].lost);
    pair(out, "lost_acks", c->d[0].lost_acks, c->d[1].lost_acks);
    pair(out, "duplicate_frames", c->d[0].duplicates, c->d[1].duplicates);
    fputs(",\"conn_state\":", out);
    cli_json_string(out, cap_zeek_conn_state(&c->zeek));
    fputs(",\"history\":", out);
    cli_json_string(out, c->zeek.history);
    fprintf(out, ",\"problem\":\"%s\"", cap_conn_problem(c));
    pair(out, "segments_sent", c->d[0].segments, c->d[1].segments);
    pair(out, "retransmitted_segments", c->d[0].retrans_segs, c->d[1].retrans_segs);
    pair(out, "missed_bytes", c->d[0].missed_bytes, c->d[1].missed_bytes);
    pair(out, "out_of_order", c->d[0].out_of_order, c->d[1].out_of_order);
    pair(out, "options_cut", c->d[0].options_cut, c->d[1].options_cut);
    pair(out, "zero_window_time", cap_conn_zero_window_time(c, 0), cap_conn_zero_window_time(c, 1));
    pair(out, "throughput", (uint64_t)throughput(c, 0), (uint64_t)throughput(c, 1));
    fprintf(out, ",\"loss_rate\":{\"client\":%.4f,\"server\":%.4f}", loss_rate(c, 0) / 100.0,
            loss_rate(c, 1) / 100.0);
    fputs(",\"rtt\":{", out);
    for (int i = 0; i < 2; i++) {
        const cap_rtt *r = &c->d[i].rtt;
        fprintf(out, "%s\"%s\":", i ? "," : "", side[i]);
        if (!r->n) {
            fputs("null", out);
            continue;
        }
        fprintf(out,
                "{\"samples\":%" PRIu64 ",\"min\":%" PRIu64 ",\"avg\":%" PRIu64 ",\"max\":%" PRIu64
                ",\"srtt\":%" PRIu64 ",\"rttvar\":%" PRIu64 ",\"rto\":%" PRIu64 "}",
                r->n, r->min, r->sum / r->n, r->max, c->ep[i].rto.srtt, c->ep[i].rto.rttvar,
                c->ep[i].rto.rto);
    }
    fputs("},\"retransmission_intervals\":{", out);
    for (int i = 0; i < 2; i++) {
        fprintf(out, "%s\"%s\":[", i ? "," : "", side[i]);
        for (uint32_t k = 0; k < c->d[i].n_retx_interval; k++)
            fprintf(out, "%s%" PRIu64, k ? "," : "", c->d[i].retx_interval[k]);
        fputc(']', out);
    }
    fprintf(out, "},\"handshake_rtt\":%" PRIu64 "}\n", cap_conn_handshake_rtt(c));
}

void cli_capture_text(FILE *out, const cap_replay *r)
{
    const cap_stats *s = &r->stats;
    fprintf(out, "capture: %" PRIu64 " packets, %" PRIu64 " TCP, %" PRIu64 " connection%s",
            s->packets, s->tcp, r->conns, r->conns == 1 ? "" : "s");
    uint64_t skipped = cap_stats_skipped(s);
    if (skipped) {
        fprintf(out, "; skipped %" PRIu64 ":", skipped);
        for (int k = 1; k < CAP_SKIP_COUNT; k++)
            if (s->skipped[k])
                fprintf(out, " %s %" PRIu64, cap_skip_name((cap_skip)k), s->skipped[k]);
    }
    if (s->csum_bad && s->csum_offload)
        fprintf(out,
                "; bad TCP checksums %" PRIu64 " (used anyway; %" PRIu64
                " of them checksum offload)",
                s->csum_bad, s->csum_offload);
    else if (s->csum_bad)
        fprintf(out, "; bad TCP checksums %" PRIu64 " (used anyway)", s->csum_bad);
    if (s->payload_cut)
        fprintf(out, "; payload cut by snaplen %" PRIu64, s->payload_cut);
    if (s->options_cut)
        fprintf(out, "; TCP options cut by snaplen %" PRIu64 " (windows may be unscaled)",
                s->options_cut);
    if (r->have_kernel_stats)
        fprintf(out, "; dropped by the kernel %" PRIu64 " (pcap_stats), by the interface %" PRIu64,
                r->kernel_dropped, r->if_dropped);
    if (r->untracked)
        fprintf(out, "; untracked (over --max-conns) %" PRIu64, r->untracked);
    if (r->ts_backwards)
        fprintf(out, "; timestamps going backwards %" PRIu64, r->ts_backwards);
    fputc('\n', out);
}

void cli_capture_json(FILE *out, const cap_replay *r)
{
    const cap_stats *s = &r->stats;
    fprintf(out, "{\"ev\":\"capture\",\"packets\":%" PRIu64 ",\"tcp\":%" PRIu64 ",\"skipped\":{",
            s->packets, s->tcp);
    const char *sep = "";
    for (int k = 1; k < CAP_SKIP_COUNT; k++) {
        if (!s->skipped[k])
            continue;
        fprintf(out, "%s\"%s\":%" PRIu64, sep, cap_skip_name((cap_skip)k), s->skipped[k]);
        sep = ",";
    }
    fprintf(out,
            "},\"connections\":%" PRIu64 ",\"bad_checksums\":%" PRIu64
            ",\"offload_checksums\":%" PRIu64 ",\"unverified_checksums\":%" PRIu64
            ",\"payload_cut\":%" PRIu64 ",\"untracked\":%" PRIu64
            ",\"timestamps_backwards\":%" PRIu64 ",\"options_cut\":%" PRIu64,
            r->conns, s->csum_bad, s->csum_offload, s->csum_unverified, s->payload_cut,
            r->untracked, r->ts_backwards, s->options_cut);
    if (r->have_kernel_stats)
        fprintf(out, ",\"kernel_dropped\":%" PRIu64 ",\"interface_dropped\":%" PRIu64,
                r->kernel_dropped, r->if_dropped);
    fputs("}\n", out);
}
