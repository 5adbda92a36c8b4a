/*
 * sim_parse_expect.c - `expect` statements of the scenario language, turned into sim_expect
 * records that sim_expect.c checks after the run:
 *
 *   expect [at T] SIDE state STATE              expect SIDE state path STATE...
 *   expect [at T] SIDE enters [N] STATE [cause "TEXT"]
 *   expect [at T] SIDE sends|receives|loses [N] PATTERN...
 *   expect SIDE retransmissions N               expect SIDE retransmits after D
 *   expect SIDE timeouts D... | none            expect [at T] SIDE arms [N] TIMER [for D]
 *   expect SIDE reads N | eof
 *
 * N is a count (a number, or `no` for zero); without it, at least one must match.
 */
#include <stdio.h>
#include <string.h>

#include "sim_parse_int.h"

static const char *const verbs[] = {
    "state",           "enters",      "sends",    "receives", "loses",
    "retransmissions", "retransmits", "timeouts", "arms",     "reads"};

/* The statement's words joined by single spaces, for failure messages. */
static void keep_text(const sim_pctx *c, sim_expect *e)
{
    size_t used = 0;
    e->text[0] = '\0';
    for (size_t k = 0; k < c->n; k++) {
        char w[SIM_EXPECT_TEXT];
        sim_tok_show(&c->tok[k], w, sizeof w);
        int n = snprintf(e->text + used, sizeof e->text - used, "%s%s", k ? " " : "", w);
        if (n < 0 || (size_t)n >= sizeof e->text - used) {
            size_t end = sizeof e->text - 4;
            memcpy(e->text + end, "...", 4);
            return;
        }
        used += (size_t)n;
    }
}

/* An optional count at word *i: a number or `no`. */
static int count_word(sim_pctx *c, size_t *i, sim_expect *e)
{
    const sim_tok *t = sim_tok_at(c, *i);
    if (t == NULL || t->quoted)
        return 0;
    uint64_t v = 0;
    if (sim_tok_is(t, "no")) {
        v = 0;
    } else if (t->s[0] >= '0' && t->s[0] <= '9') {
        if (sim_val_uint(c, t, 0, 1000000, "the count", &v) < 0)
            return -1;
    } else {
        return 0;
    }
    e->has_count = true;
    e->count = (uint32_t)v;
    (*i)++;
    return 0;
}

static int timer_word(sim_pctx *c, const sim_tok *t)
{
    char b[48];
    for (int k = TCP_TIMER_RTO; k < TCP_TIMER_COUNT; k++)
        if (sim_tok_is(t, tcp_timer_name((tcp_timer_kind)k)))
            return k;
    return sim_perr(c, t->col, "unknown timer '%s' (rto, persist, delack, time-wait, tlp, reorder)",
                    sim_tok_show(t, b, sizeof b));
}

static int no_at(sim_pctx *c, const sim_expect *e, int at_col, const char *verb)
{
    if (e->has_at)
        return sim_perr(c, at_col, "'at' does not go with '%s'", verb);
    return 0;
}

/* Everything after the verb, from word i on. */
static int body(sim_pctx *c, size_t i, sim_expect *e, int at_col)
{
    const sim_tok *v = &c->tok[i - 1];
    const char *verb = v->s;
    char b[48];
    if (strcmp(verb, "state") == 0) {
        const sim_tok *t = sim_tok_at(c, i);
        if (sim_tok_is(t, "path")) {
            if (no_at(c, e, at_col, "state path") < 0)
                return -1;
            e->kind = SIM_EXP_PATH;
            if (i + 1 >= c->n)
                return sim_need(c, i + 1, "state path",
                                "the states, e.g. CLOSED SYN-SENT "
                                "ESTABLISHED");
            for (size_t k = i + 1; k < c->n; k++) {
                if (e->n_list >= SIM_EXPECT_LIST)
                    return sim_perr(c, c->tok[k].col, "a state path has at most %d states",
                                    SIM_EXPECT_LIST);
                int s = sim_val_state(c, &c->tok[k], "a state path");
                if (s < 0)
                    return -1;
                e->list[e->n_list++] = (uint64_t)s;
            }
            return 0;
        }
        e->kind = SIM_EXP_STATE;
        if (t == NULL)
            return sim_need(c, i, "state", "a state (or path)");
        int s = sim_val_state(c, t, "an expectation");
        if (s < 0)
            return -1;
        e->state = (uint8_t)s;
        return sim_no_more(c, i + 1, "the state");
    }
    if (strcmp(verb, "enters") == 0) {
        e->kind = SIM_EXP_ENTERS;
        if (count_word(c, &i, e) < 0)
            return -1;
        const sim_tok *t = sim_tok_at(c, i);
        if (t == NULL)
            return sim_need(c, i, "enters", "a state");
        int s = sim_val_state(c, t, "an expectation");
        if (s < 0)
            return -1;
        e->state = (uint8_t)s;
        i++;
        if (sim_tok_is(sim_tok_at(c, i), "cause")) {
            const sim_tok *q = sim_tok_at(c, i + 1);
            if (q == NULL || !q->quoted)
                return q ? sim_perr(c, q->col, "cause must be a quoted string")
                         : sim_need(c, i + 1, "cause", "a quoted string");
            if (q->len >= sizeof e->cause)
                return sim_perr(c, q->col, "cause is too long (at most %zu bytes)",
                                sizeof e->cause - 1);
            memcpy(e->cause, q->s, q->len + 1);
            i += 2;
        }
        return sim_no_more(c, i, "the state");
    }
    if (strcmp(verb, "sends") == 0 || strcmp(verb, "receives") == 0 || strcmp(verb, "loses") == 0) {
        e->kind = SIM_EXP_SEGMENT;
        e->verb = verb[0] == 's'   ? SIM_VERB_SENDS
                  : verb[0] == 'r' ? SIM_VERB_RECEIVES
                                   : SIM_VERB_LOSES;
        if (count_word(c, &i, e) < 0)
            return -1;
        while (i < c->n) {
            int rc = sim_pattern_word(c, &i, &e->pat, SIM_PAT_EXPECT);
            if (rc < 0)
                return -1;
            if (rc == 0)
                return sim_perr(c, c->tok[i].col,
                                "unknown segment condition '%s' (flags such as SYN,ACK, data, "
                                "no-data, pure-ack, seq, ack, abs-seq, abs-ack, len, win, or a tag "
                                "such as retransmission)",
                                sim_tok_show(&c->tok[i], b, sizeof b));
        }
        return 0;
    }
    if (strcmp(verb, "retransmissions") == 0) {
        if (no_at(c, e, at_col, verb) < 0)
            return -1;
        e->kind = SIM_EXP_RETRANS;
        if (i >= c->n)
            return sim_need(c, i, "retransmissions", "a number");
        if (sim_val_uint(c, &c->tok[i], 0, 1000000, "retransmissions", &e->bytes) < 0)
            return -1;
        return sim_no_more(c, i + 1, "the number");
    }
    if (strcmp(verb, "retransmits") == 0) {
        if (no_at(c, e, at_col, verb) < 0)
            return -1;
        e->kind = SIM_EXP_RTO_AFTER;
        if (!sim_tok_is(sim_tok_at(c, i), "after"))
            return i < c->n ? sim_perr(c, c->tok[i].col, "retransmits needs 'after DURATION'")
                            : sim_need(c, i, "retransmits", "'after DURATION'");
        if (i + 1 >= c->n)
            return sim_need(c, i + 1, "after", "a duration");
        if (sim_val_duration(c, &c->tok[i + 1], "after", &e->dur) < 0)
            return -1;
        e->has_dur = true;
        return sim_no_more(c, i + 2, "the duration");
    }
    if (strcmp(verb, "timeouts") == 0) {
        if (no_at(c, e, at_col, verb) < 0)
            return -1;
        e->kind = SIM_EXP_TIMEOUTS;
        if (i >= c->n)
            return sim_need(c, i, "timeouts", "durations (or none)");
        if (sim_tok_is(&c->tok[i], "none"))
            return sim_no_more(c, i + 1, "none");
        for (size_t k = i; k < c->n; k++) {
            if (e->n_list >= SIM_EXPECT_LIST)
                return sim_perr(c, c->tok[k].col, "timeouts lists at most %d durations",
                                SIM_EXPECT_LIST);
            if (sim_val_duration(c, &c->tok[k], "a timeout", &e->list[e->n_list]) < 0)
                return -1;
            e->n_list++;
        }
        return 0;
    }
    if (strcmp(verb, "arms") == 0) {
        e->kind = SIM_EXP_ARMS;
        if (count_word(c, &i, e) < 0)
            return -1;
        if (i >= c->n)
            return sim_need(c, i, "arms",
                            "a timer (rto, persist, delack, time-wait, tlp, reorder)");
        int k = timer_word(c, &c->tok[i]);
        if (k < 0)
            return -1;
        e->timer = (uint8_t)k;
        i++;
        if (sim_tok_is(sim_tok_at(c, i), "for")) {
            if (i + 1 >= c->n)
                return sim_need(c, i + 1, "for", "a duration");
            if (sim_val_duration(c, &c->tok[i + 1], "for", &e->dur) < 0)
                return -1;
            e->has_dur = true;
            i += 2;
        }
        return sim_no_more(c, i, "the timer");
    }
    /* reads */
    if (no_at(c, e, at_col, verb) < 0)
        return -1;
    e->kind = SIM_EXP_READS;
    if (i >= c->n)
        return sim_need(c, i, "reads", "a number of bytes or eof");
    if (sim_tok_is(&c->tok[i], "eof"))
        e->eof = true;
    else if (sim_val_uint(c, &c->tok[i], 0, UINT64_MAX, "reads", &e->bytes) < 0)
        return -1;
    return sim_no_more(c, i + 1, e->eof ? "eof" : "the number");
}

int sim_parse_expect(sim_pctx *c)
{
    sim_script *s = c->out;
    sim_expect e;
    memset(&e, 0, sizeof e);
    e.line = c->line;
    size_t i = 1;
    int at_col = 0;
    if (sim_tok_is(sim_tok_at(c, i), "conn")) { /* expect conn N ...: one connection's events */
        uint64_t n = 0;
        if (c->n < i + 2)
            return sim_need(c, i + 1, "conn", "a connection number");
        if (sim_val_uint(c, &c->tok[i + 1], 1, UINT32_MAX - 1, "conn", &n) < 0)
            return -1;
        e.conn = (uint32_t)n;
        i += 2;
    }
    if (sim_tok_is(sim_tok_at(c, i), "at")) {
        at_col = c->tok[i].col;
        if (c->n < i + 2)
            return sim_need(c, i + 1, "at", "a time");
        if (sim_val_duration(c, &c->tok[i + 1], "the time", &e.at) < 0)
            return -1;
        e.has_at = true;
        i += 2;
    }
    if (i >= c->n)
        return sim_need(c, i, "expect", "a side (client or server)");
    int side = sim_val_side(c, &c->tok[i], "an expectation");
    if (side < 0)
        return -1;
    e.ep = (uint8_t)side;
    i++;
    const sim_tok *v = sim_tok_at(c, i);
    if (v == NULL)
        return sim_need(c, i, "expect",
                        "what to expect (state, enters, sends, receives, loses, "
                        "retransmissions, retransmits, timeouts, arms, reads)");
    bool known = false;
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
        known |= sim_tok_is(v, verbs[k]);
    if (!known) {
        char b[48];
        const char *hint =
            v->quoted ? NULL : sim_suggest(v->s, verbs, sizeof verbs / sizeof verbs[0]);
        if (hint)
            return sim_perr(c, v->col, "unknown expectation '%s' (did you mean '%s'?)",
                            sim_tok_show(v, b, sizeof b), hint);
        return sim_perr(c, v->col,
                        "unknown expectation '%s' (state, enters, sends, receives, loses, "
                        "retransmissions, retransmits, timeouts, arms, reads)",
                        sim_tok_show(v, b, sizeof b));
    }
    if (body(c, i + 1, &e, at_col) < 0)
        return -1;
    if (s->n_expect >= SIM_MAX_EXPECT)
        return sim_perr(c, c->tok[0].col, "too many expectations (at most %d)", SIM_MAX_EXPECT);
    keep_text(c, &e);
    s->expect[s->n_expect++] = e;
    return 0;
}
