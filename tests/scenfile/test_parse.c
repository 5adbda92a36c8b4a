/*
 * test_parse.c - the scenario language's parser (sim_parse.h): every statement with the values
 * it fills in, and every error with its exact line, column and message.  Also the robustness
 * the fuzzer will ask for: random bytes and random word soup never crash the parser and always
 * give either success or errors with a position on an existing line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim_parse.h"
#include "sim_rng.h"

static sim_script S;

static int parse(const char *text)
{
    return sim_parse(&S, text, strlen(text));
}

static void ok(const char *text)
{
    int rc = parse(text);
    if (rc != 0)
        fail_msg("unexpected error %d:%d: %s in:\n%s", S.err[0].line, S.err[0].col, S.err[0].msg,
                 text);
}

/* The first error is at line:col with exactly this message. */
static void err_at(const char *text, size_t len, int line, int col, const char *message)
{
    int rc = sim_parse(&S, text, len);
    if (rc != -1 || S.n_err == 0)
        fail_msg("no error for:\n%s", text);
    if (S.err[0].line != line || S.err[0].col != col || strcmp(S.err[0].msg, message) != 0)
        fail_msg("for:\n%s\nexpected %d:%d: %s\n     got %d:%d: %s", text, line, col, message,
                 S.err[0].line, S.err[0].col, S.err[0].msg);
}
#define ERR(text, line, col, msg) err_at(text, strlen(text), line, col, msg)

/* ================================================================ statements == */

static void test_empty_file_is_the_defaults(void **state)
{
    (void)state;
    static sim_scenario def;
    sim_scenario_default(&def);
    ok("");
    assert_int_equal(S.sc.n_actions, 0);
    assert_int_equal(S.sc.rtt, def.rtt);
    assert_int_equal(S.sc.tcp[0].isn, 1000);
    assert_int_equal(S.sc.tcp[1].isn, 2000);
    ok("# only a comment\n\n   \t  # and another\n");
    assert_int_equal(S.n_expect, 0);
}

static void test_name_summary_description(void **state)
{
    (void)state;
    ok("name double-loss_2.x\nsummary \"a \\\"quoted\\\" word\"\ndescription \"longer text\"\n");
    assert_string_equal(S.sc.name, "double-loss_2.x");
    assert_string_equal(S.summary, "a \"quoted\" word");
    assert_string_equal(S.sc.description, "longer text");
    /* without a description, the summary stands in */
    ok("summary \"short\"\n");
    assert_string_equal(S.sc.description, "short");
    ok("name \"quoted-name\"\n");
    assert_string_equal(S.sc.name, "quoted-name");
}

static void test_link_settings(void **state)
{
    (void)state;
    ok("rtt 300ms\nbandwidth 1.5Mbit\nloss 2.5%\nduplicate 0.01\nreorder 10%\n"
       "reorder-delay 5ms\nseed 0x10\nuntil 2m\n");
    assert_int_equal(S.sc.rtt, 300000);
    assert_int_equal(S.sc.bandwidth, 1500000);
    assert_true(S.sc.loss > 0.0249 && S.sc.loss < 0.0251);
    assert_true(S.sc.duplicate > 0.0099 && S.sc.duplicate < 0.0101);
    assert_true(S.sc.reorder > 0.0999 && S.sc.reorder < 0.1001);
    assert_int_equal(S.sc.reorder_delay, 5000);
    assert_int_equal(S.sc.seed, 16);
    assert_int_equal(S.sc.until, 120000000);
    ok("bandwidth 64kbit\n");
    assert_int_equal(S.sc.bandwidth, 64000);
    ok("bandwidth 1Gbps\nbandwidth unlimited\n");
    assert_int_equal(S.sc.bandwidth, 0);
    ok("rtt 0\nuntil 250us\n");
    assert_int_equal(S.sc.rtt, 0);
    assert_int_equal(S.sc.until, 250);
    ok("rtt .5s\n");
    assert_int_equal(S.sc.rtt, 500000);
    ok("loss 100%\nduplicate 0\n");
    assert_true(S.sc.loss == 1.0 && S.sc.duplicate == 0.0);
}

static void test_side_settings(void **state)
{
    (void)state;
    ok("client isn 4294967000\nserver isn 0xfffffff0\nmss 536\nserver rcv-buf 4380\n"
       "client snd-buf 1000\nmsl 30s\nrto-min 200ms\nrto-initial 3s\nrto-max 60s\n"
       "clock-granularity 10ms\nserver delack off\nclient delack 100ms\nnagle off\n"
       "client iw 10\nsyn-retries 2\nserver max-retries 3\nserver syn-loss-iw 0\n");
    for (int i = 0; i < 2; i++) {
        const tcp_config *c = &S.sc.tcp[i];
        assert_int_equal(c->mss, 536);
        assert_int_equal(c->msl, 30000000);
        assert_int_equal(c->rto_min, 200000);
        assert_int_equal(c->rto_initial, 3000000);
        assert_int_equal(c->rto_max, 60000000);
        assert_int_equal(c->clock_g, 10000);
        assert_false(c->nagle);
        assert_int_equal(c->syn_retries, 2);
    }
    assert_int_equal(S.sc.tcp[0].isn, 4294967000u);
    assert_int_equal(S.sc.tcp[1].isn, 0xfffffff0u);
    assert_int_equal(S.sc.tcp[1].rcv_buf, 4380);
    assert_int_equal(S.sc.tcp[0].rcv_buf, 65535);
    assert_int_equal(S.sc.tcp[0].snd_buf, 1000);
    assert_int_equal(S.sc.tcp[1].snd_buf, 65536);
    assert_int_equal(S.sc.tcp[1].delack, 0);
    assert_int_equal(S.sc.tcp[0].delack, 100000);
    assert_int_equal(S.sc.tcp[0].iw_segments, 10);
    assert_int_equal(S.sc.tcp[1].iw_segments, 0);
    assert_int_equal(S.sc.tcp[0].syn_loss_iw, 1);
    assert_int_equal(S.sc.tcp[1].syn_loss_iw, 0);
    assert_int_equal(S.sc.tcp[0].max_retries, 15);
    assert_int_equal(S.sc.tcp[1].max_retries, 3);
}

static void test_profile(void **state)
{
    (void)state;
    ok("profile linux\n");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(S.sc.tcp[i].rto_min, 200000);
        assert_int_equal(S.sc.tcp[i].msl, 30000000);
        assert_int_equal(S.sc.tcp[i].iw_segments, 10);
        assert_int_equal(S.sc.tcp[i].syn_loss_iw, 2);
    }
    /* later statements win; rfc restores the defaults; one side only */
    ok("profile linux\nrto-min 300ms\nserver profile rfc\n");
    assert_int_equal(S.sc.tcp[0].rto_min, 300000);
    assert_int_equal(S.sc.tcp[1].rto_min, 1000000);
    assert_int_equal(S.sc.tcp[1].msl, 60000000);
    assert_int_equal(S.sc.tcp[1].iw_segments, 0);
    assert_int_equal(S.sc.tcp[1].syn_loss_iw, 1);
}

/* The mechanisms of docs/linux-profile.md (sim/tcp_mech.c): each its own setting, for both
 * sides or one; profile linux turns them all on, profile rfc off again. */
static void test_mechanisms(void **state)
{
    (void)state;
    ok("sack on\ntimestamps on\nclient cc cubic\nrack on\ntlp on\nprr on\nquickack on\n"
       "server nagle minshall\npsh linux\nrto-estimator linux\ncwnd-unit packets\n"
       "zero-window-probe linux\nrcv-window linux\ndup-syn syn-ack\nsyn-linear-timeouts 4\n"
       "client wscale 9\nserver wscale linux\nhz 250\n");
    for (int i = 0; i < 2; i++) {
        const tcp_config *c = &S.sc.tcp[i];
        assert_true(c->sack && c->timestamps && c->rack && c->tlp && c->prr && c->quickack);
        assert_int_equal(c->psh, TCP_PSH_LINUX);
        assert_int_equal(c->rto_est, TCP_RTO_LINUX);
        assert_true(c->cwnd_packets && c->dup_syn_synack);
        assert_int_equal(c->zwp, TCP_ZWP_LINUX);
        assert_int_equal(c->rwnd, TCP_RWND_LINUX);
        assert_int_equal(c->syn_linear, 4);
        assert_int_equal(c->hz, 250);
    }
    assert_int_equal(S.sc.tcp[0].cc_algo, TCP_CCA_CUBIC);
    assert_int_equal(S.sc.tcp[1].cc_algo, TCP_CCA_NEWRENO);
    assert_false(S.sc.tcp[0].nagle_minshall);
    assert_true(S.sc.tcp[1].nagle_minshall);
    assert_int_equal(S.sc.tcp[0].wscale, 9);
    assert_int_equal(S.sc.tcp[1].wscale, TCP_WSCALE_LINUX);
    ok("profile linux\n");
    const tcp_config *l = &S.sc.tcp[0];
    assert_true(l->sack && l->timestamps && l->rack && l->tlp && l->prr && l->quickack &&
                l->nagle_minshall && l->cwnd_packets && l->dup_syn_synack);
    assert_int_equal(l->cc_algo, TCP_CCA_CUBIC);
    assert_int_equal(l->rcv_buf, 131072);
    assert_int_equal(l->hz, 250);
    ok("profile linux\nnagle off\nprofile rfc\n");
    l = &S.sc.tcp[1];
    assert_false(l->sack || l->timestamps || l->rack || l->tlp || l->prr || l->quickack ||
                 l->nagle_minshall || l->cwnd_packets || l->dup_syn_synack);
    assert_true(l->nagle == false); /* profile rfc leaves nagle as it was set */
    assert_int_equal(l->psh, TCP_PSH_WRITE);
    assert_int_equal(l->hz, 0);
    assert_int_equal(l->wscale, TCP_WSCALE_AUTO);
    /* rcv-buf records that it was set (SO_RCVBUF for rcv-window linux) */
    ok("rcv-buf 4096\n");
    assert_true(S.sc.tcp[0].rcv_buf_set);
}

static void test_applications(void **state)
{
    (void)state;
    ok("server echo on\nserver close-after-eof 100ms\nclient auto-read off\n");
    assert_true(S.sc.app[1].echo);
    assert_true(S.sc.app[1].close_on_eof);
    assert_int_equal(S.sc.app[1].close_delay, 100000);
    assert_false(S.sc.app[0].auto_read);
    assert_true(S.sc.app[1].auto_read);
    assert_false(S.sc.app[0].echo);
    ok("close-after-eof 0\nserver close-after-eof off\n");
    assert_true(S.sc.app[0].close_on_eof);
    assert_int_equal(S.sc.app[0].close_delay, 0);
    assert_false(S.sc.app[1].close_on_eof);
}

static void test_addresses(void **state)
{
    (void)state;
    ok("client address 198.51.100.7:40000\nserver address [2001:db8::1]:443\n");
    assert_string_equal(S.sc.addr[0], "198.51.100.7:40000");
    assert_string_equal(S.sc.addr[1], "[2001:db8::1]:443");
}

static void test_actions(void **state)
{
    (void)state;
    ok("at 0 server listen\nat 0 client connect\nat 200ms client write 6000\n"
       "at 200ms client write \"GET / HTTP/1.0\\r\\n\"\nat +50ms server read\n"
       "at +0 server read 100\nat 1.5s client shutdown\nat 2s server close\nat 2s client abort\n");
    assert_int_equal(S.sc.n_actions, 9);
    const sim_action *a = S.sc.actions;
    assert_int_equal(a[0].call, TCP_CALL_LISTEN);
    assert_int_equal(a[0].ep, TRACE_SERVER);
    assert_int_equal(a[1].call, TCP_CALL_CONNECT);
    assert_int_equal(a[1].ep, TRACE_CLIENT);
    assert_int_equal(a[2].bytes, 6000);
    assert_int_equal(a[2].t, 200000);
    assert_string_equal(a[3].text, "GET / HTTP/1.0\r\n");
    assert_int_equal(a[3].bytes, 16);
    assert_int_equal(a[4].t, 250000);
    assert_int_equal(a[4].call, TCP_CALL_READ);
    assert_int_equal(a[4].bytes, 0);
    assert_int_equal(a[5].t, 250000);
    assert_int_equal(a[5].bytes, 100);
    assert_int_equal(a[6].call, TCP_CALL_SHUTDOWN);
    assert_int_equal(a[6].t, 1500000);
    assert_int_equal(a[7].call, TCP_CALL_CLOSE);
    assert_int_equal(a[8].call, TCP_CALL_ABORT);
    assert_int_equal(a[8].line, 9);
    ok("at +1s client connect\n"); /* the first relative time counts from 0 */
    assert_int_equal(S.sc.actions[0].t, 1000000);
    ok("at 0 client write \"tab\\there \\x41\\\\\"\n");
    assert_string_equal(S.sc.actions[0].text, "tab\there A\\");
}

static void test_lines_crlf_tabs_bom_comments(void **state)
{
    (void)state;
    ok("\xef\xbb\xbfrtt 10ms\r\n\tat\t0  server   listen # comment \"not a string\r\n"
       "at 0 client write \"a # in a string\"# comment\r\nrtt 20ms");
    assert_int_equal(S.sc.rtt, 20000);
    assert_int_equal(S.sc.n_actions, 2);
    assert_string_equal(S.sc.actions[1].text, "a # in a string");
    ok("# caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"); /* UTF-8 in a comment */
}

static void test_rules(void **state)
{
    (void)state;
    ok("drop client data nth 2\n"
       "drop client data seq 1 times 4\n"
       "drop client pure-ack nth 2\n"
       "drop client SYN nth 1\n"
       "delay server data nth 1 by 150ms\n"
       "duplicate any FIN,!RST\n"
       "drop server SYN,ACK,!PSH abs-seq 5..10\n"
       "drop server no-data seq 1..100\n"
       "drop server pure-ack chance 25%\n");
    assert_int_equal(S.sc.n_rules, 9);
    const sim_rule *r = S.sc.rules;
    assert_int_equal(r[0].dir, SIM_FROM_CLIENT);
    assert_int_equal(r[0].action, SIM_RULE_DROP);
    assert_true(r[0].chance == 0.0);
    assert_true(r[8].chance == 0.25); /* a seeded random share of the matches */
    assert_int_equal(r[0].nth, 2);
    assert_int_equal(r[0].data, SIM_DATA_WITH);
    assert_false(r[0].has_seq);
    assert_true(r[1].has_seq);
    assert_int_equal(r[1].seq_lo, 1001);
    assert_int_equal(r[1].seq_hi, 1001);
    assert_int_equal(r[1].times, 4);
    assert_int_equal(r[2].flags_all, TCP_ACK);
    assert_int_equal(r[2].flags_none, TCP_SYN | TCP_FIN | TCP_RST);
    assert_int_equal(r[2].data, SIM_DATA_WITHOUT);
    assert_int_equal(r[3].flags_all, TCP_SYN);
    assert_int_equal(r[3].flags_none, 0);
    assert_int_equal(r[4].action, SIM_RULE_DELAY);
    assert_int_equal(r[4].dir, SIM_FROM_SERVER);
    assert_int_equal(r[4].delay, 150000);
    assert_int_equal(r[5].action, SIM_RULE_DUPLICATE);
    assert_int_equal(r[5].dir, SIM_FROM_ANY);
    assert_int_equal(r[5].flags_all, TCP_FIN);
    assert_int_equal(r[5].flags_none, TCP_RST);
    assert_int_equal(r[6].flags_all, TCP_SYN | TCP_ACK);
    assert_int_equal(r[6].flags_none, TCP_PSH);
    assert_int_equal(r[6].seq_lo, 5);
    assert_int_equal(r[6].seq_hi, 10);
    assert_int_equal(r[7].seq_lo, 2001);
    assert_int_equal(r[7].seq_hi, 2100);
    assert_int_equal(r[7].line, 8);
    /* `duplicate` followed by a value is the random setting */
    ok("duplicate 1%\n");
    assert_int_equal(S.sc.n_rules, 0);
    assert_true(S.sc.duplicate > 0.0099);
}

static void test_relative_seq_follows_the_isn(void **state)
{
    (void)state;
    /* the ISN may come after the rule, and wraps around */
    ok("drop client seq 1..1460\nclient isn 4294967000\n");
    assert_int_equal(S.sc.rules[0].seq_lo, 4294967001u);
    assert_int_equal(S.sc.rules[0].seq_hi, (uint32_t)(4294967000u + 1460u));
    /* and it moves again when the ISN changes later (command-line settings) */
    S.sc.tcp[0].isn = 5000;
    sim_script_resolve(&S);
    assert_int_equal(S.sc.rules[0].seq_lo, 5001);
    assert_int_equal(S.sc.rules[0].seq_hi, 6460);
    ok("drop any abs-seq 4294967295..10\n"); /* absolute ranges may wrap too */
    assert_int_equal(S.sc.rules[0].seq_lo, 4294967295u);
    assert_int_equal(S.sc.rules[0].seq_hi, 10);
}

static void test_expectations(void **state)
{
    (void)state;
    ok("expect at 1.5s client state TIME-WAIT\n"
       "expect client state CLOSED\n"
       "expect server state path LISTEN SYN-RECEIVED ESTABLISHED\n"
       "expect at 100ms client enters 2 ESTABLISHED cause \"recv SYN,ACK\"\n"
       "expect client sends SYN,!ACK seq 0\n"
       "expect at 1s server receives no data len 1..1460 ack 1 win 0..100 retransmission\n"
       "expect client loses 3 abs-seq 1000..2000 abs-ack 7\n"
       "expect client retransmissions 1\n"
       "expect client retransmits after 1s\n"
       "expect client timeouts 1s 2s 4s\n"
       "expect server timeouts none\n"
       "expect at 400ms client arms time-wait for 120s\n"
       "expect client arms 3 rto\n"
       "expect server reads 6000\n"
       "expect client reads eof\n");
    assert_int_equal(S.n_expect, 15);
    const sim_expect *e = S.expect;
    assert_int_equal(e[0].kind, SIM_EXP_STATE);
    assert_true(e[0].has_at);
    assert_int_equal(e[0].at, 1500000);
    assert_int_equal(e[0].state, TCP_TIME_WAIT);
    assert_int_equal(e[0].line, 1);
    assert_string_equal(e[0].text, "expect at 1.5s client state TIME-WAIT");
    assert_false(e[1].has_at);
    assert_int_equal(e[2].kind, SIM_EXP_PATH);
    assert_int_equal(e[2].ep, TRACE_SERVER);
    assert_int_equal(e[2].n_list, 3);
    assert_int_equal(e[2].list[2], TCP_ESTABLISHED);
    assert_int_equal(e[3].kind, SIM_EXP_ENTERS);
    assert_true(e[3].has_count);
    assert_int_equal(e[3].count, 2);
    assert_string_equal(e[3].cause, "recv SYN,ACK");
    assert_string_equal(e[3].text,
                        "expect at 100ms client enters 2 ESTABLISHED cause \"recv SYN,ACK\"");
    assert_int_equal(e[4].kind, SIM_EXP_SEGMENT);
    assert_int_equal(e[4].verb, SIM_VERB_SENDS);
    assert_false(e[4].has_count);
    assert_int_equal(e[4].pat.flags_all, TCP_SYN);
    assert_int_equal(e[4].pat.flags_none, TCP_ACK);
    assert_true(e[4].pat.seq.on && e[4].pat.seq.rel);
    assert_int_equal(e[4].pat.seq.lo, 0);
    assert_int_equal(e[5].verb, SIM_VERB_RECEIVES);
    assert_true(e[5].has_count);
    assert_int_equal(e[5].count, 0);
    assert_int_equal(e[5].pat.data, SIM_DATA_WITH);
    assert_int_equal(e[5].pat.len.lo, 1);
    assert_int_equal(e[5].pat.len.hi, 1460);
    assert_true(e[5].pat.ack.rel);
    assert_int_equal(e[5].pat.win.hi, 100);
    assert_int_equal(e[5].pat.tags, TCP_TAG_RETRANSMISSION);
    assert_int_equal(e[6].verb, SIM_VERB_LOSES);
    assert_int_equal(e[6].count, 3);
    assert_false(e[6].pat.seq.rel);
    assert_false(e[6].pat.ack.rel);
    assert_int_equal(e[7].kind, SIM_EXP_RETRANS);
    assert_int_equal(e[7].bytes, 1);
    assert_int_equal(e[8].kind, SIM_EXP_RTO_AFTER);
    assert_int_equal(e[8].dur, 1000000);
    assert_int_equal(e[9].kind, SIM_EXP_TIMEOUTS);
    assert_int_equal(e[9].n_list, 3);
    assert_int_equal(e[9].list[2], 4000000);
    assert_int_equal(e[10].n_list, 0);
    assert_int_equal(e[11].kind, SIM_EXP_ARMS);
    assert_int_equal(e[11].timer, TCP_TIMER_TIME_WAIT);
    assert_true(e[11].has_dur);
    assert_int_equal(e[11].dur, 120000000);
    assert_int_equal(e[12].count, 3);
    assert_false(e[12].has_dur);
    assert_int_equal(e[13].kind, SIM_EXP_READS);
    assert_int_equal(e[13].bytes, 6000);
    assert_true(e[14].eof);
}

static void test_format_durations(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(sim_fmt_duration(0, b, sizeof b), "0");
    assert_string_equal(sim_fmt_duration(250, b, sizeof b), "250us");
    assert_string_equal(sim_fmt_duration(1500, b, sizeof b), "1.5ms");
    assert_string_equal(sim_fmt_duration(200000, b, sizeof b), "200ms");
    assert_string_equal(sim_fmt_duration(1300000, b, sizeof b), "1.3s");
    assert_string_equal(sim_fmt_duration(1234567, b, sizeof b), "1.234567s");
    assert_string_equal(sim_fmt_duration(120000000, b, sizeof b), "120s");
}

/* ================================================================ errors ====== */

static void test_errors_statements(void **state)
{
    (void)state;
    ERR("rtt 1s\n  frobnicate 3\n", 2, 3, "unknown statement 'frobnicate'");
    ERR("rttt 100ms\n", 1, 1, "unknown statement 'rttt' (did you mean 'rtt'?)");
    ERR("rt 100ms\n", 1, 1, "unknown statement 'rt'"); /* too short to guess */
    ERR("RTT 100ms\n", 1, 1, "unknown statement 'RTT' (did you mean 'rtt'?)");
    ERR("\"rtt\" 1s\n", 1, 1, "a statement starts with a keyword, not a string");
    ERR("client frob 1\n", 1, 8, "unknown setting 'frob'");
    ERR("client mms 536\n", 1, 8, "unknown setting 'mms' (did you mean 'mss'?)");
    ERR("client\n", 1, 7, "client needs a setting (e.g. mss 1460, echo on)");
    ERR("rtt\n", 1, 4, "rtt needs a duration");
    ERR("rtt 100ms 200ms\n", 1, 11, "unexpected '200ms' after rtt");
    ERR("client rtt 100ms\n", 1, 1, "rtt is a setting of the link, not of one side");
    ERR("address 192.0.2.1:80\n", 1, 1,
        "address needs a side: client address ... or server address ...");
    ERR("name bad/name\n", 1, 6, "name may hold letters, digits, '-', '_' and '.' only");
    ERR("name abcdefghijklmnopqrstuvwxyz0123456789\n", 1, 6, "name must have 1 to 31 characters");
    ERR("summary short\n", 1, 9, "summary must be a quoted string");
    ERR("summary\n", 1, 8, "summary needs a quoted string");
    ERR("description \"two\\nlines\"\n", 1, 13,
        "description must be one line without control characters");
    ERR("summary \"a\" \"b\"\n", 1, 13, "unexpected '\"b\"' after summary");
}

static void test_errors_values(void **state)
{
    (void)state;
    ERR("mss abc\n", 1, 5, "mss must be a number, got 'abc'");
    ERR("mss 12\n", 1, 5, "mss must be from 64 to 65535, got 12");
    ERR("mss 99999999999999999999999\n", 1, 5,
        "mss must be from 64 to 65535, got 99999999999999999999999");
    ERR("mss -5\n", 1, 5, "mss must be a number, got '-5'");
    ERR("client isn 4294967296\n", 1, 12, "isn must be from 0 to 4294967295, got 4294967296");
    ERR("rtt 100\n", 1, 5, "rtt: '100' needs a unit (us, ms, s or m)");
    ERR("rtt 100sec\n", 1, 5, "rtt: unknown unit in '100sec' (use us, ms, s or m)");
    ERR("rtt fast\n", 1, 5, "rtt must be a duration with a unit (us, ms, s, m), got 'fast'");
    ERR("rtt 1.5us\n", 1, 5, "rtt: '1.5us' is finer than a microsecond");
    ERR("until 2000000s\n", 1, 7, "until: '2000000s' is too long (at most 1000000s)");
    ERR("rtt 1.\n", 1, 5, "rtt must be a duration with a unit (us, ms, s, m), got '1.'");
    ERR("rtt 0.0000000001s\n", 1, 5, "rtt: '0.0000000001s' is finer than a microsecond");
    ERR("loss 150%\n", 1, 6, "loss must be from 0% to 100%, got '150%'");
    ERR("loss lots\n", 1, 6, "loss must be a probability such as 1% or 0.01, got 'lots'");
    ERR("loss 1%%\n", 1, 6, "loss must be a probability such as 1% or 0.01, got '1%%'");
    ERR("bandwidth 10\n", 1, 11, "bandwidth: '10' needs a unit (bit, kbit, Mbit or Gbit)");
    ERR("bandwidth 10furlongs\n", 1, 11,
        "bandwidth: unknown unit in '10furlongs' (use bit, kbit, Mbit or Gbit)");
    ERR("bandwidth 0bit\n", 1, 11,
        "bandwidth must be a whole number of bit/s from 1bit to 10000Gbit, got '0bit'");
    ERR("nagle maybe\n", 1, 7, "nagle must be on, off or minshall, got 'maybe'");
    ERR("sack yes\n", 1, 6, "sack must be on or off, got 'yes'");
    ERR("client cc vegas\n", 1, 11, "cc must be newreno or cubic, got 'vegas'");
    ERR("wscale 15\n", 1, 8, "wscale must be auto, linux or a number 0 to 14, got '15'");
    ERR("hz 251\n", 1, 4, "hz must be off or 100, 250, 300 or 1000, got '251'");
    ERR("psh \"linux\"\n", 1, 5, "psh must be write or linux, got '\"linux\"'");
    ERR("tlp\n", 1, 4, "tlp needs on or off");
    ERR("rack on off\n", 1, 9, "unexpected 'off' after rack");
    ERR("sackk on\n", 1, 1, "unknown statement 'sackk' (did you mean 'sack'?)");
    ERR("server quickak on\n", 1, 8, "unknown setting 'quickak' (did you mean 'quickack'?)");
    ERR("delack 600ms\n", 1, 8, "delack must be at most 500ms (RFC 1122 4.2.3.2), got '600ms'");
    ERR("rto-initial 0\n", 1, 13, "rto-initial must be more than 0");
    ERR("profile bsd\n", 1, 9, "profile must be rfc or linux, got 'bsd'");
    ERR("rcv-buf 0\n", 1, 9, "rcv-buf must be from 1 to 1073741824, got 0");
    ERR("iw 1001\n", 1, 4, "iw must be from 0 to 1000, got 1001");
    ERR("syn-loss-iw 1001\n", 1, 13, "syn-loss-iw must be from 0 to 1000, got 1001");
    ERR("syncookies 3\n", 1, 12, "syncookies must be from 0 to 2, got 3");
    ERR("syncookies on\n", 1, 12, "syncookies must be a number, got 'on'");
    ERR("syncookies\n", 1, 11, "syncookies needs 0, 1 or 2");
    ERR("client syncookies 1\n", 1, 1, "syncookies is a setting of the link, not of one side");
    ERR("client address 192.0.2.1\n", 1, 16,
        "address must be IPv4:PORT or [IPv6]:PORT, got '192.0.2.1'");
    ERR("client address 192.0.2.1:0\n", 1, 16,
        "address must be IPv4:PORT or [IPv6]:PORT, got '192.0.2.1:0'");
    ERR("server address 2001:db8::1:80\n", 1, 16,
        "address must be IPv4:PORT or [IPv6]:PORT, got '2001:db8::1:80'");
    ERR("server address 300.1.1.1:80\n", 1, 16,
        "address must be IPv4:PORT or [IPv6]:PORT, got '300.1.1.1:80'");
}

static void test_errors_strings(void **state)
{
    (void)state;
    ERR("at 0 client write \"abc\n", 1, 19, "unterminated string");
    ERR("at 0 client write \"abc\\\"\n", 1, 19, "unterminated string");
    ERR("at 0 client write \"abc\\\n", 1, 19, "unterminated string");
    ERR("at 0 client write \"a\\qb\"\n", 1, 21,
        "unknown escape '\\q' (use \\n \\r \\t \\\\ \\\" \\xHH)");
    ERR("at 0 client write \"\\x4\"\n", 1, 20, "\\x needs two hexadecimal digits");
    ERR("at 0 client write \"\\x00\"\n", 1, 20, "\\x00 is not allowed in a string");
}

static void test_errors_actions(void **state)
{
    (void)state;
    ERR("at\n", 1, 3, "at needs a time (e.g. at 200ms, at +50ms)");
    ERR("at 200 client connect\n", 1, 4, "the time: '200' needs a unit (us, ms, s or m)");
    ERR("at 0 middlebox connect\n", 1, 6,
        "unknown side 'middlebox' in an action (client or server)");
    ERR("at 0 any connect\n", 1, 6, "unknown side 'any' in an action (client or server)");
    ERR("at 0 client\n", 1, 12,
        "an action needs a call (listen, connect, write, read, shutdown, close, abort)");
    ERR("at 0 client send 10\n", 1, 13, "unknown call 'send' (did you mean 'read'?)");
    ERR("at 0 client hug\n", 1, 13, "unknown call 'hug'");
    ERR("at 0 client write\n", 1, 18, "write needs a byte count or a quoted string");
    ERR("at 0 client write 0\n", 1, 19, "write must be from 1 to 1073741824, got 0");
    ERR("at 0 client write \"\"\n", 1, 19, "write needs at least one byte");
    ERR("at 0 client write \"0123456789012345678901234567890123456789012345678901234567890123\"\n",
        1, 19, "write text is too long (64 bytes, at most 63; write a byte count instead)");
    ERR("at 0 client write 10 20\n", 1, 22, "unexpected '20' after write");
    ERR("at 0 server read 0\n", 1, 18, "read must be from 1 to 1073741824, got 0");
    ERR("at 0 server read 10 x\n", 1, 21, "unexpected 'x' after read");
    ERR("at 0 server listen now\n", 1, 20, "unexpected 'now' after listen");
    ERR("at 200ms server listen\nat 100ms client connect\n", 2, 4,
        "time goes backwards: 100ms is before the previous action (200ms, line 1)");
    ERR("at 999999s client connect\nat +2s client close\n", 2, 4,
        "the time is too late (at most 1000000s)");
    char big[SIM_MAX_ACTIONS * 24 + 64];
    size_t used = 0;
    for (int k = 0; k <= SIM_MAX_ACTIONS; k++)
        used += (size_t)snprintf(big + used, sizeof big - used, "at %dms client read\n", k);
    ERR(big, SIM_MAX_ACTIONS + 1, 1, "too many actions (at most 128)");
}

static void test_errors_rules(void **state)
{
    (void)state;
    ERR("drop\n", 1, 5, "drop needs a direction (client, server or any)");
    ERR("drop both SYN\n", 1, 6,
        "unknown direction 'both' in a rule (client, server or any: the side that sends the "
        "segment)");
    ERR("drop client segment 2\n", 1, 13,
        "unknown rule condition 'segment' (flags such as SYN or ACK,!PSH, data, no-data, "
        "pure-ack, seq, abs-seq, nth, times, chance, by)");
    ERR("drop client syn\n", 1, 13, "flags are written in capitals: 'syn' is not a flag");
    ERR("drop client data chance 0%\n", 1, 25, "chance must be more than 0");
    ERR("drop client data chance 10% chance 5%\n", 1, 29, "chance given twice");
    ERR("drop client SYNN\n", 1, 13, "unknown flag 'SYNN' (SYN FIN RST PSH ACK URG ECE CWR)");
    ERR("drop client SYN,ACK,XYZ\n", 1, 21, "unknown flag 'XYZ' (SYN FIN RST PSH ACK URG ECE CWR)");
    ERR("drop client SYN,\n", 1, 17, "a flag name is missing in 'SYN,'");
    ERR("drop client SYN,!SYN\n", 1, 17, "SYN is both required and excluded");
    ERR("drop client FIN pure-ack\n", 1, 17, "pure-ack contradicts the flags given before it");
    ERR("drop client data no-data\n", 1, 18, "data and no-data contradict each other");
    ERR("drop client len 10\n", 1, 13,
        "'len' is not a rule condition (rules match flags, data, no-data, pure-ack, seq and "
        "abs-seq)");
    ERR("drop client retransmission\n", 1, 13,
        "'retransmission' is not a rule condition (rules match flags, data, no-data, pure-ack, "
        "seq and abs-seq)");
    ERR("drop client nth 0\n", 1, 17, "nth must be from 1 to 4294967295, got 0");
    ERR("drop client nth\n", 1, 16, "nth needs a number");
    ERR("drop client nth 1 nth 2\n", 1, 19, "nth given twice");
    ERR("drop client times 1 times 2\n", 1, 21, "times given twice");
    ERR("drop client seq 1 seq 2\n", 1, 19, "seq given twice");
    ERR("drop client seq\n", 1, 16, "seq needs a number or a range N..M");
    ERR("drop client seq 10..5\n", 1, 17, "seq: the range '10..5' ends before it starts");
    ERR("drop client seq 1..x\n", 1, 17, "seq must be a number or a range N..M, got '1..x'");
    ERR("drop client seq 4294967296\n", 1, 17,
        "seq must be from 0 to 4294967295, got '4294967296'");
    ERR("drop any data seq 1\n", 1, 15,
        "a relative seq needs the sender: write client or server instead of any (or use "
        "abs-seq)");
    ERR("drop client by 10ms\n", 1, 13, "'by' goes with delay only");
    ERR("delay client data\n", 1, 18, "delay needs 'by DURATION' (how much later it arrives)");
    ERR("delay client by 0\n", 1, 17, "by must be more than 0");
    ERR("delay client by 1s by 2s\n", 1, 20, "by given twice");
    char big[SIM_MAX_RULES * 24 + 64];
    size_t used = 0;
    for (int k = 0; k <= SIM_MAX_RULES; k++)
        used += (size_t)snprintf(big + used, sizeof big - used, "drop client nth %d\n", k + 1);
    ERR(big, SIM_MAX_RULES + 1, 1, "too many rules (at most 32)");
}

static void test_errors_expectations(void **state)
{
    (void)state;
    ERR("expect\n", 1, 7, "expect needs a side (client or server)");
    ERR("expect at\n", 1, 10, "at needs a time");
    ERR("expect at 1 client state CLOSED\n", 1, 11, "the time: '1' needs a unit (us, ms, s or m)");
    ERR("expect router state CLOSED\n", 1, 8,
        "unknown side 'router' in an expectation (client or server)");
    ERR("expect client\n", 1, 14,
        "expect needs what to expect (state, enters, sends, receives, loses, retransmissions, "
        "retransmits, timeouts, arms, reads)");
    ERR("expect client send SYN\n", 1, 15, "unknown expectation 'send' (did you mean 'sends'?)");
    ERR("expect client dances\n", 1, 15,
        "unknown expectation 'dances' (state, enters, sends, receives, loses, retransmissions, "
        "retransmits, timeouts, arms, reads)");
    ERR("expect client state\n", 1, 20, "state needs a state (or path)");
    ERR("expect client state TIME_WAIT\n", 1, 21,
        "unknown state 'TIME_WAIT' in an expectation (did you mean TIME-WAIT?)");
    ERR("expect client state time-wait\n", 1, 21,
        "unknown state 'time-wait' in an expectation (did you mean TIME-WAIT?)");
    ERR("expect client state BORED\n", 1, 21,
        "unknown state 'BORED' in an expectation (states are named as in RFC 9293, e.g. "
        "SYN-SENT, TIME-WAIT)");
    ERR("expect client state CLOSED now\n", 1, 28, "unexpected 'now' after the state");
    ERR("expect at 1s client state path CLOSED\n", 1, 8, "'at' does not go with 'state path'");
    ERR("expect client state path\n", 1, 25,
        "state path needs the states, e.g. CLOSED SYN-SENT ESTABLISHED");
    ERR("expect client enters\n", 1, 21, "enters needs a state");
    ERR("expect client enters CLOSED cause abort\n", 1, 35, "cause must be a quoted string");
    ERR("expect client enters CLOSED cause\n", 1, 34, "cause needs a quoted string");
    ERR("expect client sends SYN sometimes\n", 1, 25,
        "unknown segment condition 'sometimes' (flags such as SYN,ACK, data, no-data, pure-ack, "
        "seq, ack, abs-seq, abs-ack, len, win, or a tag such as retransmission)");
    ERR("expect client sends 2000000 SYN\n", 1, 21,
        "the count must be from 0 to 1000000, got 2000000");
    ERR("expect client sends ack 1 ack 2\n", 1, 27, "ack given twice");
    ERR("expect client sends len 5..1\n", 1, 25, "len: the range '5..1' ends before it starts");
    ERR("expect at 1s client retransmissions 1\n", 1, 8, "'at' does not go with 'retransmissions'");
    ERR("expect client retransmissions\n", 1, 30, "retransmissions needs a number");
    ERR("expect client retransmits 1s\n", 1, 27, "retransmits needs 'after DURATION'");
    ERR("expect client retransmits\n", 1, 26, "retransmits needs 'after DURATION'");
    ERR("expect client retransmits after\n", 1, 32, "after needs a duration");
    ERR("expect client timeouts\n", 1, 23, "timeouts needs durations (or none)");
    ERR("expect client timeouts none 1s\n", 1, 29, "unexpected '1s' after none");
    ERR("expect client timeouts 1s 2\n", 1, 27, "a timeout: '2' needs a unit (us, ms, s or m)");
    ERR("expect client arms keepalive\n", 1, 20,
        "unknown timer 'keepalive' (rto, persist, delack, time-wait, tlp, reorder)");
    ERR("expect client arms rto for\n", 1, 27, "for needs a duration");
    ERR("expect client reads lots\n", 1, 21, "reads must be a number, got 'lots'");
    ERR("expect client reads eof 5\n", 1, 25, "unexpected '5' after eof");
    ERR("expect at 1s client reads 5\n", 1, 8, "'at' does not go with 'reads'");
    char path[512] = "expect client state path";
    for (int k = 0; k <= SIM_EXPECT_LIST; k++)
        strcat(path, " CLOSED");
    strcat(path, "\n");
    ERR(path, 1, 25 + 7 * SIM_EXPECT_LIST + 1, "a state path has at most 32 states");
    static char big[SIM_MAX_EXPECT * 32 + 64];
    size_t used = 0;
    for (int k = 0; k <= SIM_MAX_EXPECT; k++)
        used += (size_t)snprintf(big + used, sizeof big - used, "expect client state CLOSED\n");
    ERR(big, SIM_MAX_EXPECT + 1, 1, "too many expectations (at most 128)");
}

static void test_errors_not_text(void **state)
{
    (void)state;
    static const char nul[] = "rtt 1s\nmss 5\0\n";
    err_at(nul, sizeof nul - 1, 2, 6, "not a text file (NUL byte)");
    assert_int_equal(S.n_err, 1); /* one error, not one per line */
    ERR("rtt 1s\x1b[31m\n", 1, 7, "not a text file (control character 0x1b)");
    ERR("rtt 1s\rmss 5\n", 1, 7, "not a text file (control character 0x0d)");
    ERR("# caf\xe9\n", 1, 6, "not a text file (invalid UTF-8)");
    ERR("# \xc0\xaf overlong\n", 1, 3, "not a text file (invalid UTF-8)");
    ERR("# \xed\xa0\x80 surrogate\n", 1, 3, "not a text file (invalid UTF-8)");
    ERR("# \xe2\x82 cut\n", 1, 3, "not a text file (invalid UTF-8)");
    ERR("rtt 1s\x7f\n", 1, 7, "not a text file (control character 0x7f)");
    /* an ELF header is not a scenario */
    static const char elf[] = "\x7f"
                              "ELF\x02\x01\x01";
    err_at(elf, sizeof elf - 1, 1, 1, "not a text file (control character 0x7f)");
}

static void test_errors_lengths(void **state)
{
    (void)state;
    static char line[SIM_PARSE_LINE_MAX + 32];
    memset(line, 0, sizeof line);
    strcpy(line, "# ");
    memset(line + 2, 'x', SIM_PARSE_LINE_MAX - 2);
    ok(line); /* exactly 512 bytes is fine */
    strcat(line, "x\nrtt 1s\n");
    ERR(line, 1, 513, "line too long (more than 512 bytes)");
    char words[400] = "rtt";
    for (int k = 0; k < SIM_PARSE_TOK_MAX; k++)
        strcat(words, " 1s");
    strcat(words, "\n");
    ERR(words, 1, 4 + 3 * SIM_PARSE_TOK_MAX - 2, "too many words on one line (at most 64)");
    size_t big = (size_t)SIM_PARSE_FILE_MAX + 1;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, '\n', big);
    err_at(text, big, 1, 1, "file too large (more than 1048576 bytes)");
    assert_int_equal(sim_parse(&S, text, big - 1), 0); /* 1 MiB of empty lines is fine */
    free(text);
}

static void test_errors_collected(void **state)
{
    (void)state;
    assert_int_equal(parse("rtt 1\nmss 2\nok 3\nrtt 1s\nnagle x\n"), -1);
    assert_int_equal(S.n_err, 4);
    assert_int_equal(S.err[0].line, 1);
    assert_int_equal(S.err[1].line, 2);
    assert_int_equal(S.err[2].line, 3);
    assert_int_equal(S.err[3].line, 5);
    assert_int_equal(S.n_err_more, 0);
    char many[400] = "";
    for (int k = 0; k < 12; k++)
        strcat(many, "bogus 1\n");
    assert_int_equal(parse(many), -1);
    assert_int_equal(S.n_err, SIM_PARSE_MAX_ERRORS);
    assert_int_equal(S.n_err_more, 12 - SIM_PARSE_MAX_ERRORS);
    /* a line with an error changes nothing */
    assert_int_equal(parse("mss 536\nmss 536 extra\nat 1s client connect\nat 0 client close\n"),
                     -1);
    assert_int_equal(S.sc.n_actions, 1);
}

/* ================================================================ robustness == */

static void check_sane(int rc, int lines)
{
    assert_true(rc == 0 || rc == -1);
    if (rc == 0) {
        assert_int_equal(S.n_err, 0);
        return;
    }
    assert_true(S.n_err >= 1 && S.n_err <= SIM_PARSE_MAX_ERRORS);
    for (size_t k = 0; k < S.n_err; k++) {
        assert_true(S.err[k].line >= 1 && S.err[k].line <= lines + 1);
        assert_true(S.err[k].col >= 1 && S.err[k].col <= SIM_PARSE_LINE_MAX + 1);
        assert_true(strlen(S.err[k].msg) > 0);
    }
    assert_true(S.sc.n_actions <= SIM_MAX_ACTIONS && S.sc.n_rules <= SIM_MAX_RULES &&
                S.n_expect <= SIM_MAX_EXPECT);
}

static void test_random_bytes(void **state)
{
    (void)state;
    sim_rng rng = {.s = 42};
    static char buf[2048];
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(sim_rng_unit(&rng) * (double)sizeof buf);
        int lines = 1;
        for (size_t k = 0; k < n; k++) {
            double u = sim_rng_unit(&rng);
            /* mostly printable, with newlines, quotes and a few odd bytes */
            buf[k] = u < 0.05   ? '\n'
                     : u < 0.08 ? '"'
                     : u < 0.10 ? '\\'
                     : u < 0.11 ? (char)(unsigned char)(sim_rng_unit(&rng) * 256)
                                : (char)(' ' + (int)(sim_rng_unit(&rng) * 95));
            lines += buf[k] == '\n';
        }
        check_sane(sim_parse(&S, buf, n), lines);
    }
}

static void test_random_words(void **state)
{
    (void)state;
    static const char *const words[] = {"at",
                                        "0",
                                        "+1s",
                                        "200ms",
                                        "client",
                                        "server",
                                        "any",
                                        "write",
                                        "read",
                                        "listen",
                                        "connect",
                                        "close",
                                        "abort",
                                        "shutdown",
                                        "drop",
                                        "delay",
                                        "duplicate",
                                        "by",
                                        "nth",
                                        "times",
                                        "seq",
                                        "abs-seq",
                                        "1..2",
                                        "5..1",
                                        "SYN",
                                        "ACK,!PSH",
                                        "!",
                                        ",",
                                        "data",
                                        "no-data",
                                        "pure-ack",
                                        "expect",
                                        "state",
                                        "path",
                                        "enters",
                                        "sends",
                                        "receives",
                                        "loses",
                                        "retransmissions",
                                        "retransmits",
                                        "after",
                                        "timeouts",
                                        "none",
                                        "arms",
                                        "rto",
                                        "for",
                                        "reads",
                                        "eof",
                                        "no",
                                        "7",
                                        "CLOSED",
                                        "TIME-WAIT",
                                        "cause",
                                        "\"x\"",
                                        "\"",
                                        "rtt",
                                        "mss",
                                        "loss",
                                        "1%",
                                        "profile",
                                        "linux",
                                        "sack",
                                        "cc",
                                        "cubic",
                                        "nagle",
                                        "minshall",
                                        "wscale",
                                        "hz",
                                        "psh",
                                        "tlp",
                                        "name",
                                        "summary",
                                        "description",
                                        "#",
                                        "\\x",
                                        "4294967295",
                                        "99999999999999999999",
                                        "1.5",
                                        "0x",
                                        "len",
                                        "win",
                                        "ack",
                                        "dup-ack",
                                        "address",
                                        "[::1]:1",
                                        "1.2.3.4:5",
                                        "echo",
                                        "on",
                                        "off",
                                        "close-after-eof"};
    const size_t nw = sizeof words / sizeof words[0];
    sim_rng rng = {.s = 7};
    static char buf[8192];
    for (int round = 0; round < 3000; round++) {
        size_t used = 0;
        int lines = 1;
        int nlines = 1 + (int)(sim_rng_unit(&rng) * 40);
        for (int l = 0; l < nlines; l++) {
            int nwords = (int)(sim_rng_unit(&rng) * 12);
            for (int w = 0; w < nwords && used + 64 < sizeof buf; w++) {
                const char *word = words[(size_t)(sim_rng_unit(&rng) * (double)nw) % nw];
                used += (size_t)snprintf(buf + used, sizeof buf - used, "%s ", word);
            }
            if (used + 2 < sizeof buf) {
                buf[used++] = '\n';
                lines++;
            }
        }
        check_sane(sim_parse(&S, buf, used), lines);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_file_is_the_defaults),
        cmocka_unit_test(test_name_summary_description),
        cmocka_unit_test(test_link_settings),
        cmocka_unit_test(test_side_settings),
        cmocka_unit_test(test_profile),
        cmocka_unit_test(test_mechanisms),
        cmocka_unit_test(test_applications),
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_actions),
        cmocka_unit_test(test_lines_crlf_tabs_bom_comments),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_relative_seq_follows_the_isn),
        cmocka_unit_test(test_expectations),
        cmocka_unit_test(test_format_durations),
        cmocka_unit_test(test_errors_statements),
        cmocka_unit_test(test_errors_values),
        cmocka_unit_test(test_errors_strings),
        cmocka_unit_test(test_errors_actions),
        cmocka_unit_test(test_errors_rules),
        cmocka_unit_test(test_errors_expectations),
        cmocka_unit_test(test_errors_not_text),
        cmocka_unit_test(test_errors_lengths),
        cmocka_unit_test(test_errors_collected),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_random_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
