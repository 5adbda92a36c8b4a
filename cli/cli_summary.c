/*
 * cli_summary.c - writes connection summaries and the capture line, as text or JSON.
 */
#include "cli_summary.h"

#include <inttypes.h>

#include "cap_addr.h"
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

void cli_summary_header(FILE *out)
{
    fprintf(out, "%5s  %-22s %-22s %7s %10s %10s %9s %7s %5s  %-6s %s\n", "conn", "client",
            "server", "packets", "bytes c>s", "bytes s>c", "dur (s)", "retx", "rst", "end",
            "states (client | server)");
}

void cli_summary_text(FILE *out, const cap_conn *c)
{
    char a[CAP_ENDPOINT_STRLEN], b[CAP_ENDPOINT_STRLEN], retx[32], rst[16];
    cap_endpoint_str(&c->addr[0], c->port[0], a, sizeof a);
    cap_endpoint_str(&c->addr[1], c->port[1], b, sizeof b);
    snprintf(retx, sizeof retx, "%" PRIu64 "/%" PRIu64, c->d[0].retrans, c->d[1].retrans);
    snprintf(rst, sizeof rst, "%" PRIu64 "/%" PRIu64, c->d[0].rst, c->d[1].rst);
    uint64_t dur = c->last_t - c->first_t;
    fprintf(out,
            "%5" PRIu32 "  %-22s %-22s %7" PRIu64 " %10" PRIu64 " %10" PRIu64 " %5" PRIu64
            ".%03" PRIu64 " %7s %5s  %-6s ",
            c->id, a, b, c->packets, c->d[0].bytes, c->d[1].bytes, dur / 1000000u,
            (dur / 1000u) % 1000u, retx, rst, cap_end_name(cap_conn_end(c)));
    path_text(out, &c->ep[0]);
    fputs(" | ", out);
    path_text(out, &c->ep[1]);
    if (!c->handshake_seen)
        fputs("  (no SYN seen)", out);
    for (int i = 0; i < 2; i++) {
        const cap_rtt *r = &c->d[i].rtt;
        if (!r->n)
            continue;
        fprintf(out, "  rtt %s ", side[i]);
        ms(out, r->min);
        fputc('/', out);
        ms(out, r->sum / r->n);
        fputc('/', out);
        ms(out, r->max);
        fputs(" ms", out);
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
    pair(out, "duplicate_frames", c->d[0].duplicates, c->d[1].duplicates);
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
                r->n, r->min, r->sum / r->n, r->max, r->est.srtt, r->est.rttvar, r->est.rto);
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
    fprintf(out, "capture: %" PRIu64 " packets, %" PRIu64 " TCP, %" PRIu64 " connections",
            s->packets, s->tcp, r->conns);
    uint64_t skipped = cap_stats_skipped(s);
    if (skipped) {
        fprintf(out, "; skipped %" PRIu64 ":", skipped);
        for (int k = 1; k < CAP_SKIP_COUNT; k++)
            if (s->skipped[k])
                fprintf(out, " %s %" PRIu64, cap_skip_name((cap_skip)k), s->skipped[k]);
    }
    if (s->csum_bad)
        fprintf(out, "; bad TCP checksums %" PRIu64 " (used anyway)", s->csum_bad);
    if (s->payload_cut)
        fprintf(out, "; payload cut by snaplen %" PRIu64, s->payload_cut);
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
            ",\"unverified_checksums\":%" PRIu64 ",\"payload_cut\":%" PRIu64
            ",\"untracked\":%" PRIu64 ",\"timestamps_backwards\":%" PRIu64 "}\n",
            r->conns, s->csum_bad, s->csum_unverified, s->payload_cut, r->untracked,
            r->ts_backwards);
}
