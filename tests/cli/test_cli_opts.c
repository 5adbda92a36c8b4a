/*
 * test_cli_opts.c - the option list (cli/cli_optdefs.c) and the parser made from it: every name,
 * letter and code is unique, every help text is a plain one-line sentence, words are told from
 * placeholders; tcpdump's short options mean their long ones (-r = --pcap, -i = --live, -w =
 * --write-pcap, -V = --version), -c takes a count from 1 and -n is accepted, the words after
 * the options of a replay are its filter; a value outside an option's words is refused; --help's
 * lines fit 79 columns and show every option.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_optdefs.h"
#include "cli_opts.h"
#include "cli_parse.h"
#include "cli_settings.h"

#define FOR_EACH_OPTION(d)                                                                         \
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++)                  \
        if (!d->heading)

static int code_of(const cli_optdef *d)
{
    return d->code ? d->code : d->shrt;
}

static void test_names_letters_and_codes_are_unique(void **state)
{
    (void)state;
    int n = 0;
    FOR_EACH_OPTION(a)
    {
        n++;
        assert_true(a->lng || a->shrt);
        FOR_EACH_OPTION(b)
        {
            if (a == b)
                continue;
            if (a->lng && b->lng)
                assert_string_not_equal(a->lng, b->lng);
            if (a->shrt)
                assert_int_not_equal(a->shrt, b->shrt);
            assert_int_not_equal(code_of(a), code_of(b));
        }
        /* a code below 256 is the option's own letter (getopt's convention) */
        if (code_of(a) < 256)
            assert_int_equal(code_of(a), a->shrt);
    }
    assert_true(n >= 50);
    assert_true(n < CLI_MAX_OPTDEFS);
}

static void test_help_texts_are_plain_sentences(void **state)
{
    (void)state;
    FOR_EACH_OPTION(d)
    {
        assert_non_null(d->help);
        size_t n = strlen(d->help);
        assert_true(n > 5);
        assert_int_not_equal(d->help[n - 1], '.'); /* no trailing period */
        for (size_t i = 0; i < n; i++)
            assert_true(d->help[i] >= 0x20 && d->help[i] < 0x7f); /* ASCII, no newline */
        assert_null(strstr(d->help, "  "));
    }
}

static void test_words_and_placeholders(void **state)
{
    (void)state;
    const cli_optdef *profile = cli_optdef_by_code(O_PROFILE);
    assert_non_null(profile);
    assert_true(cli_optdef_has_words(profile));
    assert_true(cli_optdef_word_ok(profile, "rfc"));
    assert_true(cli_optdef_word_ok(profile, "linux"));
    assert_false(cli_optdef_word_ok(profile, "lin"));
    assert_false(cli_optdef_word_ok(profile, "linuxx"));
    assert_false(cli_optdef_word_ok(profile, ""));
    char buf[64];
    cli_optdef_words_text(profile, buf, sizeof buf);
    assert_string_equal(buf, "rfc or linux");
    cli_optdef three = {.lng = "page", .arg = "a4|letter|fit", .help = "x"};
    assert_true(cli_optdef_has_words(&three));
    cli_optdef_words_text(&three, buf, sizeof buf);
    assert_string_equal(buf, "a4, letter or fit");
    assert_false(cli_optdef_has_words(cli_optdef_by_code(O_FLOW))); /* N|A:P-A:P */
    assert_false(cli_optdef_has_words(cli_optdef_by_code(O_PCAP))); /* FILE */
    assert_false(cli_optdef_has_words(cli_optdef_by_code(O_JSON))); /* no value */

    cli_optdef_spec(cli_optdef_by_code(O_PCAP), buf, sizeof buf);
    assert_string_equal(buf, "-r, --pcap FILE");
    cli_optdef_spec(cli_optdef_by_code('n'), buf, sizeof buf);
    assert_string_equal(buf, "-n");
    cli_optdef_spec(cli_optdef_by_code(O_JSON), buf, sizeof buf);
    assert_string_equal(buf, "--json");
}

/* Parses a NULL-terminated argument list. */
static int parse(cli_options *o, ...)
{
    static char *argv[32];
    va_list ap;
    va_start(ap, o);
    int argc = 0;
    argv[argc++] = (char *)"tcpsim";
    for (char *a; (a = va_arg(ap, char *)) != NULL && argc < 31;)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    return cli_parse_args(argc, argv, o);
}

static void test_tcpdump_short_options_mean_the_long_ones(void **state)
{
    (void)state;
    cli_options o;
    assert_int_equal(parse(&o, "-r", "x.pcap", NULL), -1);
    assert_string_equal(o.pcap, "x.pcap");
    assert_int_equal(parse(&o, "-i", "lo", NULL), -1);
    assert_string_equal(o.live, "lo");
    assert_int_equal(parse(&o, "--scenario", "loss", "-w", "y.pcap", NULL), -1);
    assert_string_equal(o.write_pcap, "y.pcap");
    assert_int_equal(parse(&o, "-V", NULL), -1);
    assert_true(o.version);
    /* clustered, as tcpdump users write them */
    assert_int_equal(parse(&o, "-nnr", "x.pcap", "-c5", NULL), -1);
    assert_string_equal(o.pcap, "x.pcap");
    assert_int_equal(o.count, 5);
    assert_int_equal(parse(&o, "--pcap=z.pcap", "--count", "7", NULL), -1);
    assert_string_equal(o.pcap, "z.pcap");
    assert_int_equal(o.count, 7);
    assert_int_equal(parse(&o, "-r", "x.pcap", NULL), -1);
    assert_int_equal(o.count, 0); /* no -c: every packet */
}

static void test_count_is_a_number_from_1(void **state)
{
    (void)state;
    cli_options o;
    assert_int_equal(parse(&o, "-r", "x", "-c", "0", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "-r", "x", "-c", "x", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "-r", "x", "-c", "-3", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "-r", "x", "-c", "", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "-r", "x", "-c", "99999999999999999999999", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "-r", "x", "-c", NULL), CLI_EXIT_USAGE); /* no value */
    assert_int_equal(parse(&o, "-r", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "-r", "x", "-c", "18446744073709551615", NULL), -1);
    assert_int_equal(o.count, UINT64_MAX);
}

/* tcpdump takes the words after its options as the filter expression; so does a replay */
static void test_words_after_the_options_are_the_filter(void **state)
{
    (void)state;
    cli_options o;
    assert_int_equal(parse(&o, "-r", "x.pcap", "tcp", "port", "80", NULL), -1);
    assert_string_equal(o.filter, "tcp port 80");
    assert_int_equal(parse(&o, "tcp", "-i", "lo", "-c", "3", NULL), -1); /* getopt permutes */
    assert_string_equal(o.filter, "tcp");
    assert_string_equal(o.live, "lo");
    assert_int_equal(parse(&o, "-r", "x.pcap", "-f", "tcp", "port", "80", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "--scenario", "loss", "tcp", NULL), CLI_EXIT_USAGE);
    static char big[5000];
    memset(big, 'a', sizeof big - 1);
    assert_int_equal(parse(&o, "-r", "x.pcap", big, NULL), CLI_EXIT_USAGE);
}

static void test_values_outside_the_words_are_refused(void **state)
{
    (void)state;
    cli_options o;
    assert_int_equal(parse(&o, "--profile", "bsd", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "--graph", "pie", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "--vantage", "middle", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "--pcap-link", "ppp", NULL), CLI_EXIT_USAGE);
    assert_int_equal(parse(&o, "--profile", "linux", "--graph", "ladder", "--vantage", "server",
                           "--pcap-link", "raw", NULL),
                     -1);
    assert_string_equal(o.profile, "linux");
    assert_string_equal(o.graph, "ladder");
    assert_string_equal(o.vantage, "server");
    assert_string_equal(o.pcap_link, "raw");
}

static void test_settings_keep_their_order_and_names(void **state)
{
    (void)state;
    cli_options o;
    assert_int_equal(parse(&o, "--rtt", "10ms", "--loss", "1%", "--rtt", "20ms", NULL), -1);
    assert_int_equal(o.n_settings, 3);
    assert_int_equal(o.settings[0].opt, O_RTT);
    assert_int_equal(o.settings[1].opt, O_LOSS);
    assert_string_equal(o.settings[2].arg, "20ms");
    assert_string_equal(cli_option_name(O_RTT), "rtt");
    assert_string_equal(cli_option_name(O_PCAP), "pcap");
    assert_string_equal(cli_option_name('n'), "?"); /* short only */
}

static void test_parse_uint_says_too_large(void **state)
{
    (void)state;
    uint64_t v;
    char err[128];
    assert_int_equal(cli_parse_uint("99999999999999999999999", UINT64_MAX, &v, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "larger than 18446744073709551615"));
    assert_int_equal(cli_parse_uint("0x10", 100, &v, err, sizeof err), 0);
    assert_int_equal(v, 16);
    assert_int_equal(cli_parse_uint("101", 100, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "larger than 100"));
    assert_int_equal(cli_parse_uint("1x", 100, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "expected an unsigned integer"));
}

static void test_help_fits_and_shows_every_option(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    cli_print_usage(f);
    fclose(f);
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        assert_non_null(nl);
        if (nl - line > 79)
            fail_msg("--help line longer than 79 columns: %.*s", (int)(nl - line), line);
    }
    FOR_EACH_OPTION(d)
    {
        char spec[96], line[100];
        cli_optdef_spec(d, spec, sizeof spec);
        snprintf(line, sizeof line, "\n  %s ", spec);
        char line2[100];
        snprintf(line2, sizeof line2, "\n  %s\n", spec);
        if (!strstr(text, line) && !strstr(text, line2))
            fail_msg("--help does not show '%s'", spec);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_letters_and_codes_are_unique),
        cmocka_unit_test(test_help_texts_are_plain_sentences),
        cmocka_unit_test(test_words_and_placeholders),
        cmocka_unit_test(test_tcpdump_short_options_mean_the_long_ones),
        cmocka_unit_test(test_count_is_a_number_from_1),
        cmocka_unit_test(test_words_after_the_options_are_the_filter),
        cmocka_unit_test(test_values_outside_the_words_are_refused),
        cmocka_unit_test(test_settings_keep_their_order_and_names),
        cmocka_unit_test(test_parse_uint_says_too_large),
        cmocka_unit_test(test_help_fits_and_shows_every_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
