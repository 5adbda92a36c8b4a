/*
 * cli_docgen.c - tcpsim-docgen, a build-time tool (not installed): writes the man page and the
 * bash completion from their templates, filling in what comes from the option list
 * (cli_optdefs.c) and the built-in scenarios, so that neither can drift from --help.
 *
 *   tcpsim-docgen man  TEMPLATE OUT VERSION DATE   docs/tcpsim.1.in -> tcpsim.1
 *   tcpsim-docgen bash TEMPLATE OUT                cli/tcpsim.bash.in -> tcpsim (completion)
 *
 * In the man template a line that is exactly @SYNOPSIS@, @OPTIONS@ or @SCENARIOS@ is replaced
 * by that part, and @VERSION@ and @DATE@ anywhere by the arguments; in the completion template
 * @OPTIONS@ becomes every option's spellings, @FLAGS@ the short options without a value, and a
 * line @CASES@ the case arms that complete each option's value.  The output is written under
 * OUT.tmp and renamed.  Text from the option list must be plain ASCII (the build fails otherwise),
 * and is escaped for troff here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_optdefs.h"
#include "sim_scenario.h"

static const char *g_out; /* the temporary output, removed on failure */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tcpsim-docgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (g_out)
        remove(g_out); /* no half-written output */
    exit(1);
}

static void check_ascii(const char *what, const char *s)
{
    for (const char *p = s; p && *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            die("%s: '%s': only printable ASCII, please (byte 0x%02x)", what, s,
                (unsigned)(unsigned char)*p);
}

/* ---- troff ---- */

/* Text for a troff text line: backslashes and minus signs escaped, a leading '.' or '\''
 * protected from being read as a request. */
static void roff_text(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\')
            fputs("\\e", out);
        else if (c == '-')
            fputs("\\-", out);
        else
            fputc(c, out);
    }
}

static void roff_line(FILE *out, const char *s)
{
    if (s[0] == '.' || s[0] == '\'')
        fputs("\\&", out);
    roff_text(out, s, strlen(s));
    fputc('\n', out);
}

/* A value: words in bold, placeholders in italics, '|' between them in roman. */
static void roff_arg(FILE *out, const char *arg, bool words)
{
    for (const char *w = arg; *w;) {
        size_t n = strcspn(w, "|");
        fputs(words ? "\\fB" : "\\fI", out);
        roff_text(out, w, n);
        fputs("\\fR", out);
        w += n;
        if (*w == '|') {
            fputc('|', out);
            w++;
        }
    }
}

/* The .TP tag of an option: "-o, --output FILE" with fonts. */
static void roff_tag(FILE *out, const cli_optdef *d)
{
    if (d->shrt)
        fprintf(out, "\\fB\\-%c\\fR", d->shrt);
    if (d->shrt && d->lng)
        fputs(", ", out);
    if (d->lng) {
        fputs("\\fB\\-\\-", out);
        roff_text(out, d->lng, strlen(d->lng));
        fputs("\\fR", out);
    }
    if (d->arg) {
        fputc(' ', out);
        roff_arg(out, d->arg, cli_optdef_has_words(d));
    }
    fputc('\n', out);
}

static void man_options(FILE *out)
{
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++) {
        check_ascii("heading", d->heading);
        check_ascii("help", d->help);
        check_ascii("argument", d->arg);
        if (d->heading) {
            fputs(".SS \"", out);
            roff_text(out, d->heading, strlen(d->heading));
            fputs("\"\n", out);
            if (d->help)
                roff_line(out, d->help);
            continue;
        }
        if (!d->help || !*d->help)
            die("option %s has no help text", d->lng ? d->lng : "?");
        fputs(".TP\n", out);
        roff_tag(out, d);
        roff_line(out, d->help);
    }
}

/* A usage line: option names in bold, placeholders and "options" in italics, brackets and
 * bars in roman, other words ("all", "tcpsim") in bold. */
static void man_synopsis(FILE *out)
{
    for (int i = 0; cli_synopsis[i]; i++) {
        const char *s = cli_synopsis[i];
        check_ascii("synopsis", s);
        if (strncmp(s, "tcpsim ", 7) != 0)
            die("a synopsis line must start with 'tcpsim ': %s", s);
        fputs(".SY tcpsim\n", out);
        s += 7;
        while (*s) {
            size_t n = strcspn(s, " []|");
            if (n == 0) {
                fputc(*s, out);
                s++;
                continue;
            }
            bool placeholder = (s[0] >= 'A' && s[0] <= 'Z') || strncmp(s, "options", n) == 0;
            fputs(s[0] != '-' && placeholder ? "\\fI" : "\\fB", out);
            roff_text(out, s, n);
            fputs("\\fR", out);
            s += n;
        }
        fputs("\n.YS\n", out);
    }
}

static void man_scenarios(FILE *out)
{
    for (const sim_builtin *b = sim_builtin_list(); b->name; b++) {
        check_ascii("scenario summary", b->summary);
        fprintf(out, ".TP\n.B %s\n", b->name);
        roff_line(out, b->summary);
    }
}

/* ---- bash ---- */

static void bash_options(FILE *out)
{
    bool first = true;
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++) {
        if (d->heading)
            continue;
        if (d->shrt)
            fprintf(out, "%s-%c", first ? "" : " ", d->shrt);
        first = false;
        if (d->lng)
            fprintf(out, " --%s", d->lng);
    }
}

/* The short options that take no value ("qvhnV"): they may come first in a cluster. */
static void bash_flags(FILE *out)
{
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++)
        if (!d->heading && d->shrt && !d->arg)
            fputc(d->shrt, out);
}

/* The pattern of a case arm: "-r|--pcap". */
static void bash_pattern(FILE *out, const cli_optdef *d)
{
    fputs("        ", out);
    if (d->shrt)
        fprintf(out, "-%c%s", d->shrt, d->lng ? "|" : "");
    if (d->lng)
        fprintf(out, "--%s", d->lng);
    fputs(")\n", out);
}

static void bash_cases(FILE *out)
{
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++) {
        if (d->heading || !d->arg)
            continue;
        bash_pattern(out, d);
        if (d->ext) {
            check_ascii("extension", d->ext);
            if (strspn(d->ext, "abcdefghijklmnopqrstuvwxyz0123456789|") != strlen(d->ext))
                die("extensions of --%s: lower-case letters and digits, '|' between", d->lng);
            fprintf(out, "            _filedir '%s'\n", d->ext);
        } else if (d->comp == CLI_COMP_SCENARIO) {
            fputs("            _tcpsim_scenarios \"$1\"\n", out);
        } else if (d->comp == CLI_COMP_INTERFACE) {
            fputs("            _available_interfaces\n", out);
        } else if (cli_optdef_has_words(d)) {
            fputs("            COMPREPLY=($(compgen -W '", out);
            for (const char *p = d->arg; *p; p++)
                fputc(*p == '|' ? ' ' : *p, out);
            fputs("' -- \"$cur\"))\n", out);
        } /* else: a number, a duration, a text: nothing to offer */
        fputs("            return\n            ;;\n", out);
    }
}

/* ---- templates ---- */

/* Copies the template, replacing each @NAME@ by what fill() writes for it (a whole line when
 * the line is just the placeholder); an unknown @NAME@ is an error. */
typedef bool (*fill_fn)(FILE *out, const char *name, bool whole_line, void *ctx);

static void expand(const char *template_path, const char *out_path, fill_fn fill, void *ctx)
{
    FILE *in = fopen(template_path, "r");
    if (!in)
        die("%s: cannot read the template", template_path);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
    FILE *out = fopen(tmp, "w");
    if (!out)
        die("%s: cannot write", tmp);
    g_out = tmp;
    char line[4096];
    int lineno = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n')
            die("%s:%d: line too long", template_path, lineno);
        char *p = line;
        for (;;) {
            char *at = strchr(p, '@');
            char *end = at ? strchr(at + 1, '@') : NULL;
            if (!at || !end) {
                fputs(p, out);
                break;
            }
            fwrite(p, 1, (size_t)(at - p), out);
            *end = '\0';
            bool whole = at == line && strcmp(end + 1, "\n") == 0;
            if (!fill(out, at + 1, whole, ctx))
                die("%s:%d: unknown placeholder @%s@ (or one that must be a line of its own)",
                    template_path, lineno, at + 1);
            p = end + 1;
            if (whole)
                break; /* the filler ended its own lines */
        }
    }
    fclose(in);
    if (fclose(out) != 0 || rename(tmp, out_path) != 0) {
        remove(tmp);
        die("%s: cannot write", out_path);
    }
}

typedef struct man_ctx {
    const char *version, *date;
} man_ctx;

static bool fill_man(FILE *out, const char *name, bool whole, void *ctx)
{
    const man_ctx *m = ctx;
    if (whole && strcmp(name, "SYNOPSIS") == 0)
        man_synopsis(out);
    else if (whole && strcmp(name, "OPTIONS") == 0)
        man_options(out);
    else if (whole && strcmp(name, "SCENARIOS") == 0)
        man_scenarios(out);
    else if (strcmp(name, "VERSION") == 0)
        fputs(m->version, out);
    else if (strcmp(name, "DATE") == 0)
        fputs(m->date, out);
    else
        return false;
    return true;
}

static bool fill_bash(FILE *out, const char *name, bool whole, void *ctx)
{
    (void)ctx;
    if (!whole && strcmp(name, "OPTIONS") == 0)
        bash_options(out);
    else if (!whole && strcmp(name, "FLAGS") == 0)
        bash_flags(out);
    else if (whole && strcmp(name, "CASES") == 0)
        bash_cases(out);
    else
        return false;
    return true;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "man") == 0) {
        man_ctx m = {argv[4], argv[5]};
        expand(argv[2], argv[3], fill_man, &m);
    } else if (argc == 4 && strcmp(argv[1], "bash") == 0) {
        expand(argv[2], argv[3], fill_bash, NULL);
    } else {
        fprintf(stderr, "usage: tcpsim-docgen man TEMPLATE OUT VERSION DATE\n"
                        "       tcpsim-docgen bash TEMPLATE OUT\n");
        return 2;
    }
    return 0;
}
