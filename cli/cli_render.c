/*
 * cli_render.c - the bridge from command-line options to render/rnd.h.
 */
#include "cli_render.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_parse.h"
#include "rnd.h"

/* "--from 250ms" is a time, "--from 12" a packet (segment) number; errors name the option. */
static int parse_point(const char *opt, const char *s, bool *is_time, uint64_t *v, char *err,
                       size_t errlen)
{
    char why[200];
    size_t n = strlen(s);
    *is_time = n > 0 && isalpha((unsigned char)s[n - 1]);
    int rc = *is_time ? cli_parse_duration(s, v, why, sizeof why)
                      : cli_parse_uint(s, UINT64_MAX - 1, v, why, sizeof why);
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", opt, why);
    return rc;
}

static int fill(const cli_options *o, rnd_options *ro, char *err, size_t errlen)
{
    rnd_options_default(ro);
    if (o->scale) {
        char *end = NULL;
        double s = strtod(o->scale, &end);
        if (!*o->scale || *end || !(s >= 0.25 && s <= 8)) {
            snprintf(err, errlen, "bad --scale '%s': a number from 0.25 to 8", o->scale);
            return -1;
        }
        ro->scale = s;
    }
    bool from_time = false, to_time = false;
    uint64_t from = 0, to = 0;
    if (o->from && parse_point("--from", o->from, &from_time, &from, err, errlen) < 0)
        return -1;
    if (o->to && parse_point("--to", o->to, &to_time, &to, err, errlen) < 0)
        return -1;
    if (o->from && o->to && from_time != to_time) {
        snprintf(err, errlen, "--from and --to must both be times or both packet numbers");
        return -1;
    }
    if (o->from && o->to && to < from) {
        snprintf(err, errlen, "--to '%s' comes before --from '%s'", o->to, o->from);
        return -1;
    }
    if (o->from)
        *(from_time ? &ro->from_us : &ro->from_pkt) = from;
    if (o->to)
        *(to_time ? &ro->to_us : &ro->to_pkt) = to;
    if (o->absolute)
        ro->seq = RND_SEQ_ABSOLUTE;
    if (o->time_axis)
        ro->time_axis = strcmp(o->time_axis, "events") == 0 ? RND_AXIS_EVENTS : RND_AXIS_TRUE;
    ro->show_cwnd = o->show != NULL && strcmp(o->show, "cwnd") == 0;
    if (o->page)
        ro->page = strcmp(o->page, "a4") == 0       ? RND_PAGE_A4
                   : strcmp(o->page, "letter") == 0 ? RND_PAGE_LETTER
                                                    : RND_PAGE_FIT;
    ro->title = o->title;
    return 0;
}

bool cli_render_is_html(const char *path)
{
    if (path == NULL)
        return false;
    const char *dot = strrchr(path, '.');
    return dot && (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0);
}

int cli_render_check(const cli_options *o)
{
    char err[256];
    rnd_options ro;
    if (fill(o, &ro, err, sizeof err) < 0)
        return cli_usage_error("%s", err);
    if ((o->graph || o->scale || o->page || ((o->title || o->show) && !o->layout_json)) &&
        !o->output)
        return cli_usage_error("%s", "--graph, --scale, --page, --show and --title need -o FILE");
    if ((o->from || o->to) && !o->output && !o->layout_json && !o->pcap && !o->live)
        return cli_usage_error("%s", "--from and --to need -o FILE, or a capture (--pcap, --live)");
    if (o->layout_json && o->scenario && strcmp(o->scenario, "all") == 0)
        return cli_usage_error("%s",
                               "--layout-json writes one diagram's layout, not --scenario all");
    if (o->layout_json && o->graph && strcmp(o->graph, "tseq") == 0)
        return cli_usage_error("%s",
                               "--layout-json writes a ladder diagram's layout, not --graph tseq");
    if (o->output && !(o->scenario && strcmp(o->scenario, "all") == 0) &&
        !cli_render_is_html(o->output) && rnd_format_from_path(o->output) < 0)
        return cli_usage_error("cannot tell the format of '%s': use .png, .svg, .pdf or .html",
                               o->output);
    return -1;
}

static int render(const trace_buf *tb, const cli_options *o, const char *path, uint32_t conn,
                  const uint32_t *conns, size_t n)
{
    char err[512];
    rnd_options ro;
    if (fill(o, &ro, err, sizeof err) < 0)
        return cli_usage_error("%s", err);
    ro.conn = conn;
    ro.conns = conns;
    ro.nconns = n;
    if (n >= 2 && o->graph && strcmp(o->graph, "tseq") == 0)
        return cli_usage_error("%s", "--graph tseq draws one connection: --flow N picks it");
    int rc = 0;
    if (path != NULL)
        rc = (o->graph && strcmp(o->graph, "tseq") == 0)
                 ? rnd_write_tseq(tb, &ro, path, err, sizeof err)
                 : rnd_write_ladder(tb, &ro, path, err, sizeof err);
    if (rc == 0 && o->layout_json)
        rc = rnd_write_layout_json(tb, &ro, o->layout_json, err, sizeof err);
    if (rc == 0)
        return CLI_EXIT_OK;
    fprintf(stderr, "tcpsim: %s\n", err);
    return rc == RND_EREQUEST ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
}

int cli_render(const trace_buf *tb, const cli_options *o, const char *path, uint32_t conn)
{
    return render(tb, o, path, conn, NULL, 0);
}

int cli_render_conns(const trace_buf *tb, const cli_options *o, const char *path,
                     const uint32_t *conns, size_t n)
{
    return render(tb, o, path, conns[0], conns, n);
}

int cli_render_range(const cli_options *o, uint64_t *from_us, uint64_t *to_us, uint64_t *from_pkt,
                     uint64_t *to_pkt)
{
    char err[256];
    rnd_options ro;
    if (fill(o, &ro, err, sizeof err) < 0)
        return -1;
    *from_us = ro.from_us;
    *to_us = ro.to_us;
    *from_pkt = ro.from_pkt;
    *to_pkt = ro.to_pkt;
    return 0;
}
