/*
 * sim_parse_rule.c - segment patterns and network rules of the scenario language.  A pattern is
 * a list of conditions on a segment: flags (SYN,ACK or ACK,!PSH: listed flags set, flags after
 * '!' clear, the others free), data / no-data / pure-ack, seq and abs-seq (a number or N..M,
 * relative to the sender's ISN or absolute), and for expectations also ack, abs-ack, len, win and
 * analysis tags.  A rule is `drop|delay|duplicate DIRECTION CONDITIONS` with nth, times and (for
 * delay) by, and chance (act on a match with a seeded probability); it becomes one sim_rule for
 * sim_link.c, its relative sequence range kept aside so
 * that it follows the ISN (sim_script_resolve).
 */
#include <stdio.h>
#include <string.h>

#include "sim_parse_int.h"
#include "tcp_seg.h"

int sim_parse_rule(sim_pctx *c);

/* ================================================================ patterns ==== */

static const uint8_t flag_bits[] = {TCP_SYN, TCP_FIN, TCP_RST, TCP_PSH,
                                    TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR};

/* SYN,ACK,!PSH */
static int flags_word(sim_pctx *c, const sim_tok *t, sim_pattern *p)
{
    const char *s = t->s;
    size_t k = 0;
    while (1) {
        int col = t->col + (int)k;
        bool neg = s[k] == '!';
        if (neg)
            k++;
        size_t start = k;
        while (s[k] && s[k] != ',')
            k++;
        size_t n = k - start;
        uint8_t bit = 0;
        for (size_t j = 0; j < sizeof flag_bits; j++) {
            const char *name = tcp_flag_name(flag_bits[j]);
            if (strlen(name) == n && memcmp(name, s + start, n) == 0)
                bit = flag_bits[j];
        }
        if (bit == 0) {
            char item[24];
            snprintf(item, sizeof item, "%.*s", (int)(n < 20 ? n : 20), s + start);
            if (n == 0)
                return sim_perr(c, col, "a flag name is missing in '%s'", t->s);
            return sim_perr(c, col, "unknown flag '%s' (SYN FIN RST PSH ACK URG ECE CWR)", item);
        }
        if (neg)
            p->flags_none |= bit;
        else
            p->flags_all |= bit;
        if (p->flags_all & p->flags_none)
            return sim_perr(c, col, "%s is both required and excluded", tcp_flag_name(bit));
        if (s[k] == '\0')
            return 0;
        k++; /* the comma */
    }
}

static bool is_flags_word(const sim_tok *t)
{
    return !t->quoted && ((t->s[0] >= 'A' && t->s[0] <= 'Z') || t->s[0] == '!');
}

static uint32_t tag_bit(const sim_tok *t)
{
    for (unsigned b = 0; b < TCP_TAG_COUNT; b++) {
        const char *n = tcp_tag_name(1u << b);
        if (n && sim_tok_is(t, n))
            return 1u << b;
    }
    return 0;
}

static int set_data(sim_pctx *c, const sim_tok *t, sim_pattern *p, uint8_t data)
{
    if (p->data != SIM_DATA_ANY && p->data != data)
        return sim_perr(c, t->col, "data and no-data contradict each other");
    p->data = data;
    return 0;
}

static int span_word(sim_pctx *c, size_t *i, sim_span *sp, const char *key, bool circle, bool rel)
{
    const sim_tok *k = &c->tok[*i];
    if (sp->on)
        return sim_perr(c, k->col, "%s given twice", key);
    const sim_tok *v = sim_tok_at(c, *i + 1);
    if (v == NULL)
        return sim_need(c, *i + 1, key, "a number or a range N..M");
    if (sim_val_span(c, v, key, circle, sp) < 0)
        return -1;
    sp->rel = rel;
    *i += 2;
    return 1;
}

int sim_pattern_word(sim_pctx *c, size_t *i, sim_pattern *p, int where)
{
    const sim_tok *t = &c->tok[*i];
    char b[48];
    if (is_flags_word(t)) {
        if (flags_word(c, t, p) < 0)
            return -1;
        (*i)++;
        return 1;
    }
    if (sim_tok_is(t, "data") || sim_tok_is(t, "no-data")) {
        if (set_data(c, t, p, sim_tok_is(t, "data") ? SIM_DATA_WITH : SIM_DATA_WITHOUT) < 0)
            return -1;
        (*i)++;
        return 1;
    }
    if (sim_tok_is(t, "pure-ack")) {
        p->flags_all |= TCP_ACK;
        p->flags_none |= TCP_SYN | TCP_FIN | TCP_RST;
        if (p->flags_all & p->flags_none)
            return sim_perr(c, t->col, "pure-ack contradicts the flags given before it");
        if (set_data(c, t, p, SIM_DATA_WITHOUT) < 0)
            return -1;
        (*i)++;
        return 1;
    }
    if (sim_tok_is(t, "seq") || sim_tok_is(t, "abs-seq")) {
        if (p->seq.on)
            return sim_perr(c, t->col, "seq given twice");
        return span_word(c, i, &p->seq, t->s, true, sim_tok_is(t, "seq"));
    }
    bool expect_only = sim_tok_is(t, "ack") || sim_tok_is(t, "abs-ack") || sim_tok_is(t, "len") ||
                       sim_tok_is(t, "win") || tag_bit(t) != 0;
    if (!expect_only)
        return 0;
    if (where == SIM_PAT_RULE)
        return sim_perr(c, t->col,
                        "'%s' is not a rule condition (rules match flags, data, no-data, pure-ack, "
                        "seq and abs-seq)",
                        sim_tok_show(t, b, sizeof b));
    if (sim_tok_is(t, "ack") || sim_tok_is(t, "abs-ack")) {
        if (p->ack.on)
            return sim_perr(c, t->col, "ack given twice");
        return span_word(c, i, &p->ack, t->s, true, sim_tok_is(t, "ack"));
    }
    if (sim_tok_is(t, "len"))
        return span_word(c, i, &p->len, "len", false, false);
    if (sim_tok_is(t, "win"))
        return span_word(c, i, &p->win, "win", false, false);
    p->tags |= tag_bit(t);
    (*i)++;
    return 1;
}

/* ================================================================ rules ======= */

/* drop|delay|duplicate client|server|any CONDITION... [nth N] [times N] [chance P]
 * [by DURATION] */
int sim_parse_rule(sim_pctx *c)
{
    sim_scenario *sc = &c->out->sc;
    const sim_tok *verb = &c->tok[0];
    char b[48];
    sim_rule r;
    memset(&r, 0, sizeof r);
    r.line = c->line;
    r.action = sim_tok_is(verb, "drop")    ? SIM_RULE_DROP
               : sim_tok_is(verb, "delay") ? SIM_RULE_DELAY
                                           : SIM_RULE_DUPLICATE;
    if (c->n < 2)
        return sim_need(c, 1, verb->s, "a direction (client, server or any)");
    const sim_tok *d = &c->tok[1];
    if (sim_tok_is(d, "client"))
        r.dir = SIM_FROM_CLIENT;
    else if (sim_tok_is(d, "server"))
        r.dir = SIM_FROM_SERVER;
    else if (sim_tok_is(d, "any"))
        r.dir = SIM_FROM_ANY;
    else
        return sim_perr(c, d->col,
                        "unknown direction '%s' in a rule (client, server or any: the "
                        "side that sends the segment)",
                        sim_tok_show(d, b, sizeof b));

    sim_pattern p;
    memset(&p, 0, sizeof p);
    bool have_nth = false, have_times = false, have_by = false;
    int seq_col = 0;
    size_t i = 2;
    while (i < c->n) {
        const sim_tok *t = &c->tok[i];
        if (sim_tok_is(t, "seq") || sim_tok_is(t, "abs-seq"))
            seq_col = t->col;
        int rc = sim_pattern_word(c, &i, &p, SIM_PAT_RULE);
        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        const sim_tok *v = sim_tok_at(c, i + 1);
        uint64_t u = 0;
        if (sim_tok_is(t, "nth") || sim_tok_is(t, "times")) {
            bool nth = sim_tok_is(t, "nth");
            if (nth ? have_nth : have_times)
                return sim_perr(c, t->col, "%s given twice", t->s);
            if (v == NULL)
                return sim_need(c, i + 1, t->s, "a number");
            if (sim_val_uint(c, v, 1, UINT32_MAX, t->s, &u) < 0)
                return -1;
            if (nth)
                r.nth = (uint32_t)u, have_nth = true;
            else
                r.times = (uint32_t)u, have_times = true;
            i += 2;
            continue;
        }
        if (sim_tok_is(t, "chance")) {
            if (r.chance > 0)
                return sim_perr(c, t->col, "chance given twice");
            if (v == NULL)
                return sim_need(c, i + 1, "chance", "a probability such as 10%");
            if (sim_val_prob(c, v, "chance", &r.chance) < 0)
                return -1;
            if (r.chance <= 0)
                return sim_perr(c, v->col, "chance must be more than 0");
            i += 2;
            continue;
        }
        if (sim_tok_is(t, "by")) {
            if (r.action != SIM_RULE_DELAY)
                return sim_perr(c, t->col, "'by' goes with delay only");
            if (have_by)
                return sim_perr(c, t->col, "by given twice");
            if (v == NULL)
                return sim_need(c, i + 1, "by", "a duration");
            if (sim_val_duration(c, v, "by", &r.delay) < 0)
                return -1;
            if (r.delay == 0)
                return sim_perr(c, v->col, "by must be more than 0");
            have_by = true;
            i += 2;
            continue;
        }
        if (!t->quoted && t->s[0] >= 'a' && t->s[0] <= 'z' && t->len <= 3) {
            bool is_flag = false;
            for (size_t j = 0; j < sizeof flag_bits; j++) {
                const char *fn = tcp_flag_name(flag_bits[j]);
                is_flag |= strlen(fn) == t->len && (fn[0] | 0x20) == t->s[0] &&
                           (fn[1] | 0x20) == t->s[1] && (fn[2] | 0x20) == t->s[2];
            }
            if (is_flag)
                return sim_perr(c, t->col, "flags are written in capitals: '%s' is not a flag",
                                sim_tok_show(t, b, sizeof b));
        }
        return sim_perr(c, t->col,
                        "unknown rule condition '%s' (flags such as SYN or ACK,!PSH, data, "
                        "no-data, pure-ack, seq, abs-seq, nth, times, chance, by)",
                        sim_tok_show(t, b, sizeof b));
    }
    if (r.action == SIM_RULE_DELAY && !have_by)
        return sim_perr(c, c->eol_col, "delay needs 'by DURATION' (how much later it arrives)");
    if (p.seq.on && p.seq.rel && r.dir == SIM_FROM_ANY)
        return sim_perr(c, seq_col,
                        "a relative seq needs the sender: write client or server instead of any "
                        "(or use abs-seq)");
    if (sc->n_rules >= SIM_MAX_RULES)
        return sim_perr(c, verb->col, "too many rules (at most %d)", SIM_MAX_RULES);
    r.flags_all = p.flags_all;
    r.flags_none = p.flags_none;
    r.data = p.data;
    r.has_seq = p.seq.on;
    r.seq_lo = p.seq.lo;
    r.seq_hi = p.seq.hi;
    sim_rule_src *src = &c->out->rule_src[sc->n_rules];
    src->rel_seq = p.seq.on && p.seq.rel;
    src->rel_lo = p.seq.lo;
    src->rel_hi = p.seq.hi;
    (void)sim_scenario_add_rule(sc, &r); /* resolved against the ISN at the end of the file */
    return 0;
}
