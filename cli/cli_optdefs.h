/*
 * cli_optdefs.h - the one list of tcpsim's options (cli_optdefs.c), from which come getopt's
 * tables (cli_opts.c), the text of --help (cli_usage.c), and, at build time, the OPTIONS and
 * SYNOPSIS of the man page tcpsim(1) and the bash completion (cli_docgen.c).  How to add an
 * option is explained at the top of cli_optdefs.c.
 */
#ifndef TCPSIM_CLI_OPTDEFS_H
#define TCPSIM_CLI_OPTDEFS_H

#include <stdbool.h>
#include <stddef.h>

/* What the bash completion offers for an option's value (besides .ext and .arg's words). */
typedef enum cli_comp {
    CLI_COMP_NONE = 0,  /* nothing: a number, a duration, a text */
    CLI_COMP_SCENARIO,  /* the names --list-scenarios prints, and "all" */
    CLI_COMP_INTERFACE, /* network interfaces */
} cli_comp;

typedef struct cli_optdef {
    /* A group heading instead of an option: --help prints "HEADING:", the man page a
     * subsection; .help, when given, is the group's note printed below the heading. */
    const char *heading;
    const char *lng; /* long name without "--", or NULL for a short-only option */
    char shrt;       /* short letter, or 0 for a long-only option */
    int code;        /* what getopt_long hands over: an O_* code (cli_settings.h); 0 means the
                        short letter */
    /* The value: NULL when the option takes none; a placeholder in capitals ("FILE", "DUR",
     * "N|A:P-A:P"); or the accepted words in lower case separated by '|' ("rfc|linux"), which
     * the parser checks ("unknown profile 'bsd' (use rfc or linux)") and the completion
     * offers. */
    const char *arg;
    const char *ext; /* the value is a file: the extensions the completion offers ("pcap|cap") */
    cli_comp comp;
    const char *help; /* one sentence, no trailing period, plain ASCII; wrapped by the writers */
} cli_optdef;

/* Entries up to one with neither heading nor name. */
extern const cli_optdef cli_optdefs[];

/* Upper bound on entries (headings included): sizes getopt's tables in cli_opts.c. */
#define CLI_MAX_OPTDEFS 160

/* The usage lines (SYNOPSIS), each starting with "tcpsim ", up to a NULL. */
extern const char *const cli_synopsis[];
/* The paragraph --help prints after the usage lines. */
extern const char cli_help_intro[];
/* The line --help ends with. */
extern const char cli_help_outro[];

/* The entry of getopt value `code` (an O_* code or a short letter), or NULL. */
const cli_optdef *cli_optdef_by_code(int code);
/* True when d->arg is a list of words ("rfc|linux") rather than a placeholder ("FILE"). */
bool cli_optdef_has_words(const cli_optdef *d);
/* True when `value` is one of d->arg's words. */
bool cli_optdef_word_ok(const cli_optdef *d, const char *value);
/* Writes "a, b or c" (d->arg's words) into buf. */
void cli_optdef_words_text(const cli_optdef *d, char *buf, size_t len);
/* Writes the option as --help shows it, "-o, --output FILE", "--json", "-n", into buf. */
void cli_optdef_spec(const cli_optdef *d, char *buf, size_t len);

#endif
