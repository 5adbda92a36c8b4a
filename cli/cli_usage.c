/*
 * cli_usage.c - the text of `tcpsim --help`, made from the option list (cli_optdefs.c): the
 * usage lines, a paragraph, then each group's heading, note and options, the descriptions
 * wrapped into a column that starts at 26 so that no line is longer than 79 characters.
 */
#include <stdio.h>
#include <string.h>

#include "cli_optdefs.h"
#include "cli_opts.h"

enum { HELP_INDENT = 26, HELP_WIDTH = 79 };

/* Writes `text` in words, the first line continuing at column `col`, every line starting at
 * `indent` and ending before HELP_WIDTH (a word longer than the line gets a line of its own). */
static void wrap(FILE *out, const char *text, int col, int indent)
{
    const char *p = text;
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        if (!first && col + 1 + (int)n > HELP_WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
            first = true;
        }
        fprintf(out, "%s%.*s", first ? "" : " ", (int)n, p);
        col += (first ? 0 : 1) + (int)n;
        first = false;
        p += n;
    }
    fputc('\n', out);
}

void cli_print_usage(FILE *out)
{
    for (int i = 0; cli_synopsis[i]; i++)
        fprintf(out, "%s%s\n", i == 0 ? "usage: " : "       ", cli_synopsis[i]);
    fprintf(out, "\n%s", cli_help_intro);
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++) {
        if (d->heading) {
            fprintf(out, "\n%s:\n", d->heading);
            if (d->help) {
                fputs("  ", out);
                wrap(out, d->help, 2, 2);
            }
            continue;
        }
        char spec[96];
        cli_optdef_spec(d, spec, sizeof spec);
        int col = fprintf(out, "  %s", spec);
        if (col + 1 > HELP_INDENT - 1) { /* at least two spaces before the text */
            fprintf(out, "\n%*s", HELP_INDENT, "");
        } else {
            fprintf(out, "%*s", HELP_INDENT - col, "");
        }
        wrap(out, d->help, HELP_INDENT, HELP_INDENT);
    }
    fprintf(out, "\n%s", cli_help_outro);
}
