/*
 * sim_parse.c - the scenario language's driver and its plain statements: the text check (a file
 * with NUL bytes, control characters or invalid UTF-8 is refused as a whole), the line loop,
 * the dispatch on the first word, and the statements that fill sim_scenario directly: name,
 * summary and description, settings ([client|server] KEY VALUE) and timed actions (at TIME
 * SIDE CALL [ARG]).  Rules live in sim_parse_rule.c, expectations in sim_parse_expect.c.  Each
 * statement either applies completely or records an error and changes nothing, and parsing
 * carries on with the next line so that one run reports several mistakes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "sim_parse_int.h"
#include "tcp_mech.h"

int sim_parse_rule(sim_pctx *c); /* sim_parse_rule.c */

/* ================================================================ text check == */

/* Length of the UTF-8 sequence at p (at most n bytes available), or 0 if it is invalid:
 * RFC 3629, without overlong forms and surrogates. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned char b = p[0];
    size_t need;
    uint32_t cp, min;
    if (b >= 0xc2 && b <= 0xdf) {
        need = 2, cp = b & 0x1fu, min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
        need = 3, cp = b & 0x0fu, min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
        need = 4, cp = b & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t k = 1; k < need; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return need;
}

/* Refuses a file that is not text, with one error at the first offending byte. */
static int check_text(sim_pctx *c, const unsigned char *p, size_t len, size_t start)
{
    int col = 1;
    c->line = 1;
    for (size_t i = start; i < len;) {
        unsigned char ch = p[i];
        if (ch == '\n') {
            c->line++, col = 1, i++;
            continue;
        }
        if (ch == '\r' && i + 1 < len && p[i + 1] == '\n') {
            col++, i++;
            continue;
        }
        if (ch == 0)
            return sim_perr(c, col, "not a text file (NUL byte)");
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return sim_perr(c, col, "not a text file (control character 0x%02x)", ch);
        if (ch >= 0x80) {
            size_t n = utf8_len(p + i, len - i);
            if (n == 0)
                return sim_perr(c, col, "not a text file (invalid UTF-8)");
            i += n, col += (int)n;
            continue;
        }
        i++, col++;
    }
    return 0;
}

/* ================================================================ name etc. === */

/* A one-line string of at most max-1 bytes, no control characters. */
static int one_line_string(sim_pctx *c, const char *key, size_t max, char *dst)
{
    if (c->n < 2)
        return sim_need(c, 1, key, "a quoted string");
    const sim_tok *t = &c->tok[1];
    if (!t->quoted)
        return sim_perr(c, t->col, "%s must be a quoted string", key);
    if (t->len >= max)
        return sim_perr(c, t->col, "%s is too long (%zu bytes, at most %zu)", key, t->len, max - 1);
    for (size_t k = 0; k < t->len; k++)
        if ((unsigned char)t->s[k] < 0x20)
            return sim_perr(c, t->col, "%s must be one line without control characters", key);
    if (sim_no_more(c, 2, key) < 0)
        return -1;
    memcpy(dst, t->s, t->len + 1);
    return 0;
}

static int st_name(sim_pctx *c)
{
    if (c->n < 2)
        return sim_need(c, 1, "name", "a word");
    const sim_tok *t = &c->tok[1];
    if (t->len == 0 || t->len >= sizeof c->out->sc.name)
        return sim_perr(c, t->col, "name must have 1 to %zu characters",
                        sizeof c->out->sc.name - 1);
    for (size_t k = 0; k < t->len; k++) {
        char ch = t->s[k];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.'))
            return sim_perr(c, t->col, "name may hold letters, digits, '-', '_' and '.' only");
    }
    if (sim_no_more(c, 2, "name") < 0)
        return -1;
    memcpy(c->out->sc.name, t->s, t->len + 1);
    return 0;
}

/* ================================================================ settings ==== */

enum setting_id {
    S_RTT,
    S_BANDWIDTH,
    S_LOSS,
    S_DUPLICATE,
    S_REORDER,
    S_REORDER_DELAY,
    S_SEED,
    S_UNTIL,
    S_ISN,
    S_MSS,
    S_RCV_BUF,
    S_SND_BUF,
    S_MSL,
    S_RTO_MIN,
    S_RTO_INITIAL,
    S_RTO_MAX,
    S_CLOCK_G,
    S_DELACK,
    S_IW,
    S_SYN_LOSS_IW,
    S_SYN_RETRIES,
    S_MAX_RETRIES,
    S_PROFILE,
    S_AUTO_READ,
    S_ECHO,
    S_CLOSE_AFTER_EOF,
    S_ADDRESS,
    S_EPHEMERAL,
    S_ABORT_OVERFLOW,
    S_SYNCOOKIES
};
enum scope { LINK, SIDES, ONE_SIDE }; /* no side; optional side (both if none); side required */

static const struct setting {
    const char *key;
    uint8_t id, scope;
    const char *value; /* what the value is, for "KEY needs ..." */
} settings[] = {
    {"rtt", S_RTT, LINK, "a duration"},
    {"bandwidth", S_BANDWIDTH, LINK, "a bit rate or unlimited"},
    {"loss", S_LOSS, LINK, "a probability"},
    {"duplicate", S_DUPLICATE, LINK, "a probability"},
    {"reorder", S_REORDER, LINK, "a probability"},
    {"reorder-delay", S_REORDER_DELAY, LINK, "a duration"},
    {"seed", S_SEED, LINK, "a number"},
    {"until", S_UNTIL, LINK, "a duration"},
    {"isn", S_ISN, SIDES, "a number"},
    {"mss", S_MSS, SIDES, "a number"},
    {"rcv-buf", S_RCV_BUF, SIDES, "a number of bytes"},
    {"snd-buf", S_SND_BUF, SIDES, "a number of bytes"},
    {"msl", S_MSL, SIDES, "a duration"},
    {"rto-min", S_RTO_MIN, SIDES, "a duration"},
    {"rto-initial", S_RTO_INITIAL, SIDES, "a duration"},
    {"rto-max", S_RTO_MAX, SIDES, "a duration"},
    {"clock-granularity", S_CLOCK_G, SIDES, "a duration"},
    {"delack", S_DELACK, SIDES, "a duration or off"},
    {"iw", S_IW, SIDES, "a number of segments"},
    {"syn-loss-iw", S_SYN_LOSS_IW, SIDES, "a number of SYN timeouts (0: never)"},
    {"syn-retries", S_SYN_RETRIES, SIDES, "a number"},
    {"max-retries", S_MAX_RETRIES, SIDES, "a number"},
    {"profile", S_PROFILE, SIDES, "rfc or linux"},
    {"auto-read", S_AUTO_READ, SIDES, "on or off"},
    {"echo", S_ECHO, SIDES, "on or off"},
    {"close-after-eof", S_CLOSE_AFTER_EOF, SIDES, "a duration or off"},
    {"address", S_ADDRESS, ONE_SIDE, "an address such as 192.0.2.1:49152"},
    {"ephemeral-ports", S_EPHEMERAL, LINK, "a port range such as 32768-60999"},
    {"abort-on-overflow", S_ABORT_OVERFLOW, LINK, "on or off"},
    {"syncookies", S_SYNCOOKIES, LINK, "0, 1 or 2"},
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])

static const struct setting *find_setting(const sim_tok *t)
{
    for (size_t k = 0; k < N_SETTINGS; k++)
        if (sim_tok_is(t, settings[k].key))
            return &settings[k];
    return NULL;
}

/* "192.0.2.1:80" or "[2001:db8::1]:80". */
static int address(sim_pctx *c, const sim_tok *t, char *dst, size_t size)
{
    char b[64], host[64];
    const char *colon = strrchr(t->s, ':');
    unsigned char bin[16];
    bool ok = colon != NULL && t->len < size && !t->quoted;
    int af = AF_INET;
    if (ok) {
        const char *h = t->s, *he = colon;
        if (h[0] == '[') {
            af = AF_INET6;
            h++;
            ok = he > h && he[-1] == ']';
            he--;
        }
        size_t hn = (size_t)(he - h);
        ok = ok && hn > 0 && hn < sizeof host;
        if (ok) {
            memcpy(host, h, hn);
            host[hn] = '\0';
            ok = inet_pton(af, host, bin) == 1;
        }
    }
    uint64_t port = 0;
    if (ok) {
        const char *p = colon + 1;
        ok = *p != '\0' && strlen(p) <= 5;
        for (const char *q = p; ok && *q; q++)
            ok = *q >= '0' && *q <= '9';
        for (const char *q = p; ok && *q; q++)
            port = port * 10 + (uint64_t)(*q - '0');
        ok = ok && port >= 1 && port <= 65535;
    }
    if (!ok)
        return sim_perr(c, t->col, "address must be IPv4:PORT or [IPv6]:PORT, got '%s'",
                        sim_tok_show(t, b, sizeof b));
    memcpy(dst, t->s, t->len + 1);
    return 0;
}

/* LO-HI, 1 <= LO <= HI <= 65535: the ephemeral port range. */
static int port_range(sim_pctx *c, const sim_tok *v, sim_scenario *sc)
{
    unsigned lo = 0, hi = 0;
    int used = 0;
    char b[48];
    if (v->quoted || sscanf(v->s, "%5u-%5u%n", &lo, &hi, &used) != 2 || (size_t)used != v->len ||
        lo < 1 || hi > 65535 || lo > hi)
        return sim_perr(c, v->col,
                        "ephemeral-ports must be LO-HI with 1 <= LO <= HI <= 65535, got '%s'",
                        sim_tok_show(v, b, sizeof b));
    sc->port_lo = (uint16_t)lo;
    sc->port_hi = (uint16_t)hi;
    return 0;
}

/* Reads the value word v of setting st into the scenario, for side `side` (-1: both). */
static int apply(sim_pctx *c, const struct setting *st, const sim_tok *v, int side)
{
    sim_scenario *sc = &c->out->sc;
    uint64_t u = 0;
    double p = 0;
    bool on = false;
    char b[48];
    const char *key = st->key;
    switch ((enum setting_id)st->id) {
    case S_RTT:
        return sim_val_duration(c, v, key, &sc->rtt);
    case S_BANDWIDTH:
        if (sim_tok_is(v, "unlimited")) {
            sc->bandwidth = 0;
            return 0;
        }
        return sim_val_rate(c, v, key, &sc->bandwidth);
    case S_LOSS:
    case S_DUPLICATE:
    case S_REORDER:
        if (sim_val_prob(c, v, key, &p) < 0)
            return -1;
        *(st->id == S_LOSS ? &sc->loss : st->id == S_DUPLICATE ? &sc->duplicate : &sc->reorder) = p;
        return 0;
    case S_REORDER_DELAY:
        return sim_val_duration(c, v, key, &sc->reorder_delay);
    case S_SEED:
        return sim_val_uint(c, v, 0, UINT64_MAX, key, &sc->seed);
    case S_UNTIL:
        return sim_val_duration(c, v, key, &sc->until);
    case S_ADDRESS:
        return address(c, v, sc->addr[side], sizeof sc->addr[side]);
    case S_ABORT_OVERFLOW:
        return sim_val_onoff(c, v, key, &sc->abort_on_overflow);
    case S_SYNCOOKIES: /* Linux tcp_syncookies: 0 never, 1 when the SYN queue is full, 2 always */
        if (sim_val_uint(c, v, 0, 2, key, &u) < 0)
            return -1;
        sc->syncookies = (uint8_t)u;
        return 0;
    case S_EPHEMERAL:
        return port_range(c, v, sc);
    default:
        break;
    }

    /* per side: read the value once, then set it on one side or both */
    switch ((enum setting_id)st->id) {
    case S_ISN:
        if (sim_val_uint(c, v, 0, UINT32_MAX, key, &u) < 0)
            return -1;
        break;
    case S_MSS:
        if (sim_val_uint(c, v, 64, 65535, key, &u) < 0)
            return -1;
        break;
    case S_RCV_BUF:
    case S_SND_BUF:
        if (sim_val_uint(c, v, 1, 1u << 30, key, &u) < 0)
            return -1;
        break;
    case S_MSL:
    case S_RTO_MIN:
    case S_RTO_MAX:
    case S_CLOCK_G:
        if (sim_val_duration(c, v, key, &u) < 0)
            return -1;
        break;
    case S_RTO_INITIAL:
        if (sim_val_duration(c, v, key, &u) < 0)
            return -1;
        if (u == 0)
            return sim_perr(c, v->col, "rto-initial must be more than 0");
        break;
    case S_DELACK:
    case S_CLOSE_AFTER_EOF:
        if (sim_tok_is(v, "off")) {
            on = false;
            break;
        }
        on = true;
        if (sim_val_duration(c, v, key, &u) < 0)
            return -1;
        if (st->id == S_DELACK && u > 500000)
            return sim_perr(c, v->col, "delack must be at most 500ms (RFC 1122 4.2.3.2), got '%s'",
                            sim_tok_show(v, b, sizeof b));
        break;
    case S_AUTO_READ:
    case S_ECHO:
        if (sim_val_onoff(c, v, key, &on) < 0)
            return -1;
        break;
    case S_IW:
    case S_SYN_LOSS_IW:
    case S_SYN_RETRIES:
    case S_MAX_RETRIES:
        if (sim_val_uint(c, v, 0, 1000, key, &u) < 0)
            return -1;
        break;
    case S_PROFILE:
        if (sim_tok_is(v, "linux"))
            on = true;
        else if (!sim_tok_is(v, "rfc"))
            return sim_perr(c, v->col, "profile must be rfc or linux, got '%s'",
                            sim_tok_show(v, b, sizeof b));
        break;
    default:
        return sim_perr(c, v->col, "internal: unhandled setting %s", key);
    }
    for (int i = 0; i < 2; i++) {
        if (side >= 0 && side != i)
            continue;
        tcp_config *cfg = &sc->tcp[i];
        sim_app_cfg *app = &sc->app[i];
        switch ((enum setting_id)st->id) {
        case S_ISN:
            cfg->isn = (uint32_t)u;
            break;
        case S_MSS:
            cfg->mss = (uint32_t)u;
            break;
        case S_RCV_BUF:
            cfg->rcv_buf = (uint32_t)u;
            cfg->rcv_buf_set = true;
            break;
        case S_SND_BUF:
            cfg->snd_buf = (uint32_t)u;
            break;
        case S_MSL:
            cfg->msl = u;
            break;
        case S_RTO_MIN:
            cfg->rto_min = u;
            break;
        case S_RTO_INITIAL:
            cfg->rto_initial = u;
            break;
        case S_RTO_MAX:
            cfg->rto_max = u;
            break;
        case S_CLOCK_G:
            cfg->clock_g = u;
            break;
        case S_DELACK:
            cfg->delack = on ? u : 0;
            break;
        case S_IW:
            cfg->iw_segments = (uint32_t)u;
            break;
        case S_SYN_LOSS_IW:
            cfg->syn_loss_iw = (uint32_t)u;
            break;
        case S_SYN_RETRIES:
            cfg->syn_retries = (uint32_t)u;
            break;
        case S_MAX_RETRIES:
            cfg->max_retries = (uint32_t)u;
            break;
        case S_PROFILE:
            tcp_config_profile(cfg, on);
            if (i == TRACE_SERVER)
                sc->listen_linux = on; /* the listener's queues too */
            break;
        case S_AUTO_READ:
            app->auto_read = on;
            break;
        case S_ECHO:
            app->echo = on;
            break;
        case S_CLOSE_AFTER_EOF:
            app->close_on_eof = on;
            app->close_delay = on ? u : 0;
            break;
        default:
            break;
        }
    }
    return 0;
}

static const char *const statements[] = {"name",
                                         "summary",
                                         "description",
                                         "at",
                                         "drop",
                                         "delay",
                                         "duplicate",
                                         "expect",
                                         "client",
                                         "server",
                                         "rtt",
                                         "bandwidth",
                                         "loss",
                                         "reorder",
                                         "reorder-delay",
                                         "seed",
                                         "until",
                                         "isn",
                                         "mss",
                                         "rcv-buf",
                                         "snd-buf",
                                         "msl",
                                         "rto-min",
                                         "rto-initial",
                                         "rto-max",
                                         "clock-granularity",
                                         "delack",
                                         "iw",
                                         "syn-retries",
                                         "max-retries",
                                         "profile",
                                         "auto-read",
                                         "echo",
                                         "close-after-eof",
                                         "address",
                                         "host",
                                         "ephemeral-ports",
                                         "abort-on-overflow",
                                         "syncookies"};

static int unknown(sim_pctx *c, const sim_tok *t, const char *what, const char *const *words,
                   size_t n)
{
    char b[48], low[32];
    size_t k = 0;
    for (; k + 1 < sizeof low && k < t->len; k++)
        low[k] = (t->s[k] >= 'A' && t->s[k] <= 'Z') ? (char)(t->s[k] - 'A' + 'a') : t->s[k];
    low[k] = '\0';
    const char *hint = t->quoted ? NULL : sim_suggest(low, words, n);
    if (hint)
        return sim_perr(c, t->col, "unknown %s '%s' (did you mean '%s'?)", what,
                        sim_tok_show(t, b, sizeof b), hint);
    return sim_perr(c, t->col, "unknown %s '%s'", what, sim_tok_show(t, b, sizeof b));
}

/* [client|server] MECHANISM VALUE: the settings of tcp_mech.c (sack, cc, nagle, ...). */
static int mechanism(sim_pctx *c, const tcp_mech *m, size_t i, int side)
{
    if (c->n < i + 2)
        return sim_need(c, i + 1, m->key, m->values);
    if (sim_no_more(c, i + 2, m->key) < 0)
        return -1;
    const sim_tok *v = &c->tok[i + 1];
    char err[160];
    tcp_config probe = c->out->sc.tcp[0];
    if (v->quoted || tcp_mech_apply(&probe, m, v->s, err, sizeof err) < 0) {
        char b[48];
        return sim_perr(c, v->col, "%s must be %s, got '%s'", m->key, m->values,
                        sim_tok_show(v, b, sizeof b));
    }
    for (int s = 0; s < 2; s++)
        if (side < 0 || side == s)
            (void)tcp_mech_apply(&c->out->sc.tcp[s], m, v->s, err, sizeof err);
    return 0;
}

/* [client|server] KEY VALUE */
static int st_setting(sim_pctx *c)
{
    size_t i = 0;
    int side = -1;
    if (sim_tok_is(&c->tok[0], "client") || sim_tok_is(&c->tok[0], "server")) {
        side = sim_tok_is(&c->tok[0], "client") ? TRACE_CLIENT : TRACE_SERVER;
        i = 1;
        if (c->n < 2)
            return sim_need(c, 1, c->tok[0].s, "a setting (e.g. mss 1460, echo on)");
    }
    const sim_tok *k = &c->tok[i];
    const struct setting *st = find_setting(k);
    if (st == NULL && !k->quoted) {
        const tcp_mech *m = tcp_mech_find(k->s, k->len);
        if (m)
            return mechanism(c, m, i, side);
    }
    if (st == NULL) {
        enum { NS = sizeof statements / sizeof statements[0] };
        const char *keys[N_SETTINGS + TCP_MECH_COUNT + NS];
        size_t n = 0;
        if (side >= 0) {
            for (size_t j = 0; j < N_SETTINGS; j++)
                keys[n++] = settings[j].key;
        } else {
            for (size_t j = 0; j < NS; j++)
                keys[n++] = statements[j];
        }
        for (int j = 0; j < TCP_MECH_COUNT; j++)
            keys[n++] = tcp_mech_at(j)->key;
        return unknown(c, k, side >= 0 ? "setting" : "statement", keys, n);
    }
    if (side >= 0 && st->scope == LINK)
        return sim_perr(c, c->tok[0].col, "%s is a setting of the link, not of one side", st->key);
    if (side < 0 && st->scope == ONE_SIDE)
        return sim_perr(c, k->col, "%s needs a side: client %s ... or server %s ...", st->key,
                        st->key, st->key);
    if (c->n < i + 2)
        return sim_need(c, i + 1, st->key, st->value);
    if (sim_no_more(c, i + 2, st->key) < 0)
        return -1;
    return apply(c, st, &c->tok[i + 1], side);
}

/* ================================================================ actions ===== */

static const char *const calls[] = {"listen",   "connect", "write", "read",
                                    "shutdown", "close",   "abort"};

/* at TIME HOST CALL SOCKET [ARGS], in a scenario with hosts: times go forward per host. */
static int st_at_host(sim_pctx *c)
{
    sim_scenario *sc = &c->out->sc;
    char b1[32], b2[32], hb[48];
    if (c->n < 3)
        return sim_need(c, c->n, "at", c->n < 2 ? "a time" : "a host name");
    const sim_tok *h = &c->tok[2];
    int host = h->quoted ? -1 : sim_host_find(sc, h->s);
    if (host < 0)
        return sim_perr(c, h->col, "unknown host '%s' (define it with host NAME ADDRESS)",
                        sim_tok_show(h, hb, sizeof hb));
    uint64_t t = 0;
    bool rel = false;
    if (sim_val_time(c, &c->tok[1], "the time", &t, &rel) < 0)
        return -1;
    if (rel)
        t += c->host_have[host] ? c->host_prev[host] : 0;
    if (t > SIM_DUR_MAX)
        return sim_perr(c, c->tok[1].col, "the time is too late (at most 1000000s)");
    if (c->host_have[host] && t < c->host_prev[host])
        return sim_perr(c, c->tok[1].col,
                        "time goes backwards: %s is before %s's previous action (%s, line %d)",
                        sim_fmt_duration(t, b1, sizeof b1), sc->hosts[host].name,
                        sim_fmt_duration(c->host_prev[host], b2, sizeof b2), c->host_line[host]);
    if (sim_parse_sock_action(c, t, host) < 0)
        return -1;
    c->host_have[host] = true;
    c->host_prev[host] = t;
    c->host_line[host] = c->line;
    return 0;
}

/* at TIME SIDE CALL [ARG] */
static int st_at(sim_pctx *c)
{
    sim_scenario *sc = &c->out->sc;
    char b1[32], b2[32];
    if (sc->n_hosts > 0)
        return st_at_host(c);
    if (c->n < 2)
        return sim_need(c, 1, "at", "a time (e.g. at 200ms, at +50ms)");
    uint64_t t = 0;
    bool rel = false;
    if (sim_val_time(c, &c->tok[1], "the time", &t, &rel) < 0)
        return -1;
    if (rel)
        t += c->have_prev ? c->prev_t : 0;
    if (t > SIM_DUR_MAX)
        return sim_perr(c, c->tok[1].col, "the time is too late (at most 1000000s)");
    if (c->have_prev && t < c->prev_t)
        return sim_perr(c, c->tok[1].col,
                        "time goes backwards: %s is before the previous action (%s, line %d)",
                        sim_fmt_duration(t, b1, sizeof b1),
                        sim_fmt_duration(c->prev_t, b2, sizeof b2), c->prev_line);
    if (c->n < 3)
        return sim_need(c, 2, "an action",
                        sc->n_hosts ? "a host name" : "a side (client or server)");
    int side = sim_val_side(c, &c->tok[2], "an action");
    if (side < 0)
        return -1;
    if (c->n < 4)
        return sim_need(c, 3, "an action",
                        "a call (listen, connect, write, read, shutdown, close, "
                        "abort)");
    const sim_tok *k = &c->tok[3];
    int call = -1;
    for (int j = 0; j < (int)(sizeof calls / sizeof calls[0]); j++)
        if (sim_tok_is(k, calls[j]))
            call = j;
    if (call < 0)
        return unknown(c, k, "call", calls, sizeof calls / sizeof calls[0]);
    uint64_t bytes = 0;
    const char *text = NULL;
    const sim_tok *arg = sim_tok_at(c, 4);
    if (call == TCP_CALL_WRITE) {
        if (arg == NULL)
            return sim_need(c, 4, "write", "a byte count or a quoted string");
        if (arg->quoted) {
            if (arg->len == 0)
                return sim_perr(c, arg->col, "write needs at least one byte");
            if (arg->len >= SIM_TEXT_MAX)
                return sim_perr(c, arg->col,
                                "write text is too long (%zu bytes, at most %d; write a byte "
                                "count instead)",
                                arg->len, SIM_TEXT_MAX - 1);
            text = arg->s;
        } else if (sim_val_uint(c, arg, 1, 1u << 30, "write", &bytes) < 0) {
            return -1;
        }
        if (sim_no_more(c, 5, "write") < 0)
            return -1;
    } else if (call == TCP_CALL_READ) {
        if (arg && sim_val_uint(c, arg, 1, 1u << 30, "read", &bytes) < 0)
            return -1;
        if (sim_no_more(c, arg ? 5 : 4, "read") < 0)
            return -1;
    } else if (sim_no_more(c, 4, calls[call]) < 0) {
        return -1;
    }
    if (sc->n_actions >= SIM_MAX_ACTIONS)
        return sim_perr(c, c->tok[0].col, "too many actions (at most %d)", SIM_MAX_ACTIONS);
    (void)sim_scenario_add_action(sc, t, (uint8_t)side, (tcp_call)call, bytes, text);
    sc->actions[sc->n_actions - 1].line = c->line;
    c->have_prev = true;
    c->prev_t = t;
    c->prev_line = c->line;
    return 0;
}

/* ================================================================ driver ====== */

static int statement(sim_pctx *c)
{
    const sim_tok *t = &c->tok[0];
    if (t->quoted)
        return sim_perr(c, t->col, "a statement starts with a keyword, not a string");
    if (sim_tok_is(t, "name"))
        return st_name(c);
    if (sim_tok_is(t, "summary"))
        return one_line_string(c, "summary", sizeof c->out->summary, c->out->summary);
    if (sim_tok_is(t, "description"))
        return one_line_string(c, "description", sizeof c->out->sc.description,
                               c->out->sc.description);
    if (sim_tok_is(t, "at"))
        return st_at(c);
    if (sim_tok_is(t, "host"))
        return sim_parse_host(c);
    if (sim_tok_is(t, "expect"))
        return sim_parse_expect(c);
    if (sim_tok_is(t, "drop") || sim_tok_is(t, "delay"))
        return sim_parse_rule(c);
    if (sim_tok_is(t, "duplicate") && c->n > 1 &&
        (sim_tok_is(&c->tok[1], "client") || sim_tok_is(&c->tok[1], "server") ||
         sim_tok_is(&c->tok[1], "any")))
        return sim_parse_rule(c);
    return st_setting(c);
}

void sim_script_resolve(sim_script *s)
{
    for (size_t i = 0; i < s->sc.n_rules && i < SIM_MAX_RULES; i++) {
        const sim_rule_src *src = &s->rule_src[i];
        sim_rule *r = &s->sc.rules[i];
        if (!src->rel_seq || r->dir > SIM_FROM_SERVER)
            continue;
        uint32_t isn = s->sc.tcp[r->dir].isn;
        r->seq_lo = isn + src->rel_lo;
        r->seq_hi = isn + src->rel_hi;
    }
}

int sim_parse(sim_script *out, const char *text, size_t len)
{
    memset(out, 0, sizeof *out);
    sim_scenario_default(&out->sc);
    static const sim_pctx zero;
    sim_pctx c = zero;
    c.out = out;
    c.line = 1;
    if (text == NULL)
        len = 0;
    if (len > SIM_PARSE_FILE_MAX) {
        sim_perr(&c, 1, "file too large (more than %u bytes)", SIM_PARSE_FILE_MAX);
        return -1;
    }
    const unsigned char *p = (const unsigned char *)text;
    size_t pos = 0;
    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
        pos = 3; /* a UTF-8 byte order mark */
    if (check_text(&c, p, len, pos) < 0)
        return -1;
    c.line = 1;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (n > SIM_PARSE_LINE_MAX)
            sim_perr(&c, SIM_PARSE_LINE_MAX + 1, "line too long (more than %d bytes)",
                     SIM_PARSE_LINE_MAX);
        else if (sim_lex_line(&c, line, n) == 0 && c.n > 0)
            (void)statement(&c);
        c.line++;
    }
    if (out->sc.description[0] == '\0')
        memcpy(out->sc.description, out->summary, sizeof out->sc.description);
    sim_script_resolve(out);
    return out->n_err || out->n_err_more ? -1 : 0;
}
