/*
 * cli_scenfile.c - `tcpsim --scenario-file FILE`: reads a scenario file (at most
 * SIM_PARSE_FILE_MAX bytes; "-" is standard input), parses it (sim_parse.h), applies the command
 * line's settings on top, plays it like a built-in scenario (cli_play: the trace as text or
 * JSON, -o, --write-pcap) keeping the whole trace, then checks every expectation against it.
 * A file that does not parse gets FILE:LINE:COL: messages and exit 2 before anything runs; a
 * failed expectation gets FILE:LINE: expectation failed: ... and exit 1; otherwise stderr says
 * how many expectations hold and the exit status is 0.
 */
#include "cli_scenfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_scenario.h"
#include "sim_expect.h"
#include "sim_parse.h"

/* Reads at most SIM_PARSE_FILE_MAX bytes of path; 0, or an exit status after a message. */
static int read_file(const char *path, char **text, size_t *len)
{
    bool std_in = strcmp(path, "-") == 0;
    FILE *f = std_in ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "tcpsim: %s: %s\n", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    size_t cap = (size_t)SIM_PARSE_FILE_MAX + 1;
    char *buf = malloc(cap);
    if (buf == NULL) {
        if (!std_in)
            fclose(f);
        fprintf(stderr, "tcpsim: out of memory reading %s\n", path);
        return CLI_EXIT_RUNTIME;
    }
    size_t n = fread(buf, 1, cap, f);
    bool failed = ferror(f) != 0;
    int saved = errno;
    if (!std_in)
        fclose(f);
    if (failed) {
        free(buf);
        fprintf(stderr, "tcpsim: %s: cannot read: %s\n", path, strerror(saved));
        return CLI_EXIT_USAGE;
    }
    if (n > SIM_PARSE_FILE_MAX) {
        free(buf);
        fprintf(stderr, "%s:1:1: file too large (more than %u bytes)\n", path, SIM_PARSE_FILE_MAX);
        return CLI_EXIT_USAGE;
    }
    *text = buf;
    *len = n;
    return 0;
}

/* The file's base name without ".tcpsim", as the scenario's name when it gives none. */
static void default_name(char *name, size_t size, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 7 && strcmp(base + n - 7, ".tcpsim") == 0)
        n -= 7;
    if (strcmp(path, "-") == 0)
        base = "stdin", n = 5;
    if (n >= size)
        n = size - 1;
    memcpy(name, base, n);
    name[n] = '\0';
}

static int check_all(const sim_script *s, const trace_buf *tb, const char *path)
{
    size_t failed = 0;
    for (size_t k = 0; k < s->n_expect; k++) {
        const sim_expect *e = &s->expect[k];
        char why[SIM_EXPECT_WHY];
        if (sim_expect_check(e, &s->sc, tb, why, sizeof why))
            continue;
        failed++;
        fprintf(stderr, "%s:%d: expectation failed: %s (%s)\n", path, e->line, e->text, why);
    }
    if (failed) {
        fprintf(stderr, "%s: %zu of %zu expectation%s failed\n", path, failed, s->n_expect,
                s->n_expect == 1 ? "" : "s");
        return CLI_EXIT_RUNTIME;
    }
    fprintf(stderr, "%zu expectation%s\n", s->n_expect, s->n_expect == 1 ? " holds" : "s hold");
    return CLI_EXIT_OK;
}

int cli_run_scenario_file(const cli_options *o)
{
    const char *path = o->scenario_file;
    char *text = NULL;
    size_t len = 0;
    int rc = read_file(path, &text, &len);
    if (rc)
        return rc;
    sim_script *s = malloc(sizeof *s);
    if (s == NULL) {
        free(text);
        fprintf(stderr, "tcpsim: out of memory\n");
        return CLI_EXIT_RUNTIME;
    }
    int prc = sim_parse(s, text, len);
    free(text);
    if (prc < 0) {
        for (size_t k = 0; k < s->n_err; k++)
            fprintf(stderr, "%s:%d:%d: %s\n", path, s->err[k].line, s->err[k].col, s->err[k].msg);
        if (s->n_err_more)
            fprintf(stderr, "%s: %zu more error%s not shown\n", path, s->n_err_more,
                    s->n_err_more == 1 ? "" : "s");
        free(s);
        return CLI_EXIT_USAGE;
    }
    if (s->sc.name[0] == '\0')
        default_name(s->sc.name, sizeof s->sc.name, path);
    if (s->sc.description[0] == '\0')
        snprintf(s->sc.description, sizeof s->sc.description, "%s", path);
    char err[200];
    if (cli_apply_settings(&s->sc, o, err, sizeof err) < 0) {
        free(s);
        return cli_usage_error("%s", err);
    }
    sim_script_resolve(s); /* --isn-client/--isn-server move the relative sequence ranges */
    trace_buf tb;
    trace_buf_init(&tb);
    rc = cli_play(&s->sc, o, &tb);
    if (rc == 0)
        rc = check_all(s, &tb, path);
    trace_buf_free(&tb);
    free(s);
    return rc;
}
