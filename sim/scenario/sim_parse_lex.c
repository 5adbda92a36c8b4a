/*
 * sim_parse_lex.c - the scenario language's words and values: splitting a line into words and
 * quoted strings (with \n \r \t \\ \" \xHH escapes), error records with line and column, and the
 * value parsers for numbers, durations, bit rates, probabilities, on/off, sides, states and
 * number ranges.  Numbers are read digit by digit with explicit overflow checks (no strtod, so
 * no locale and no rounding surprises): a duration is exact in microseconds or it is an error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim_parse_int.h"
#include "tcp_state.h"

/* ================================================================ errors ==== */

int sim_perr(sim_pctx *c, int col, const char *fmt, ...)
{
    sim_script *s = c->out;
    if (s->n_err >= SIM_PARSE_MAX_ERRORS) {
        s->n_err_more++;
        return -1;
    }
    sim_parse_error *e = &s->err[s->n_err++];
    e->line = c->line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

const sim_tok *sim_tok_at(const sim_pctx *c, size_t i)
{
    return i < c->n ? &c->tok[i] : NULL;
}

bool sim_tok_is(const sim_tok *t, const char *word)
{
    return t != NULL && !t->quoted && strcmp(t->s, word) == 0;
}

int sim_tok_col(const sim_pctx *c, size_t i)
{
    return i < c->n ? c->tok[i].col : c->eol_col;
}

const char *sim_tok_show(const sim_tok *t, char *buf, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t used = 0;
    if (size < 8) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    if (t->quoted)
        buf[used++] = '"';
    for (size_t k = 0; k < t->len; k++) {
        unsigned char ch = (unsigned char)t->s[k];
        if (used + 8 >= size) {
            memcpy(buf + used, "...", 3);
            used += 3;
            break;
        }
        if (ch >= 0x20 && ch != 0x7f && ch != '"' && ch != '\\') {
            buf[used++] = (char)ch;
        } else {
            buf[used++] = '\\';
            if (ch == '"' || ch == '\\') {
                buf[used++] = (char)ch;
            } else {
                buf[used++] = 'x';
                buf[used++] = hex[ch >> 4];
                buf[used++] = hex[ch & 15];
            }
        }
    }
    if (t->quoted)
        buf[used++] = '"';
    buf[used] = '\0';
    return buf;
}

int sim_need(sim_pctx *c, size_t i, const char *after, const char *what)
{
    return sim_perr(c, sim_tok_col(c, i), "%s needs %s", after, what);
}

int sim_no_more(sim_pctx *c, size_t i, const char *after)
{
    if (i >= c->n)
        return 0;
    char b[48];
    return sim_perr(c, c->tok[i].col, "unexpected '%s' after %s",
                    sim_tok_show(&c->tok[i], b, sizeof b), after);
}

/* ================================================================ words ===== */

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Reads the quoted string that starts at line[*pos] (the opening quote) into out; advances *pos
 * past the closing quote. */
static int lex_string(sim_pctx *c, const char *line, size_t len, size_t *pos, char *out,
                      size_t *outlen)
{
    int open_col = (int)*pos + 1;
    size_t k = *pos + 1, n = 0;
    while (k < len && line[k] != '"') {
        char ch = line[k];
        if (ch != '\\') {
            out[n++] = ch;
            k++;
            continue;
        }
        int col = (int)k + 1;
        if (k + 1 >= len) {
            k = len; /* a backslash at the end of the line: unterminated */
            break;
        }
        char e = line[k + 1];
        k += 2;
        switch (e) {
        case 'n':
            out[n++] = '\n';
            break;
        case 'r':
            out[n++] = '\r';
            break;
        case 't':
            out[n++] = '\t';
            break;
        case '\\':
        case '"':
            out[n++] = e;
            break;
        case 'x': {
            int hi = k < len ? hexval(line[k]) : -1;
            int lo = k + 1 < len ? hexval(line[k + 1]) : -1;
            if (hi < 0 || lo < 0)
                return sim_perr(c, col, "\\x needs two hexadecimal digits");
            int v = hi * 16 + lo;
            if (v == 0)
                return sim_perr(c, col, "\\x00 is not allowed in a string");
            out[n++] = (char)(unsigned char)v;
            k += 2;
            break;
        }
        default:
            if ((unsigned char)e < 0x20 || (unsigned char)e >= 0x7f)
                return sim_perr(c, col,
                                "unknown escape in a string (use \\n \\r \\t \\\\ \\\" \\xHH)");
            return sim_perr(c, col, "unknown escape '\\%c' (use \\n \\r \\t \\\\ \\\" \\xHH)", e);
        }
    }
    if (k >= len)
        return sim_perr(c, open_col, "unterminated string");
    out[n] = '\0';
    *outlen = n;
    *pos = k + 1;
    return 0;
}

int sim_lex_line(sim_pctx *c, const char *line, size_t len)
{
    size_t pos = 0, used = 0;
    c->n = 0;
    c->eol_col = 1;
    while (pos < len) {
        char ch = line[pos];
        if (ch == ' ' || ch == '\t') {
            pos++;
            continue;
        }
        if (ch == '#')
            break;
        if (c->n >= SIM_PARSE_TOK_MAX)
            return sim_perr(c, (int)pos + 1, "too many words on one line (at most %d)",
                            SIM_PARSE_TOK_MAX);
        sim_tok *t = &c->tok[c->n];
        char *out = c->buf + used;
        t->col = (int)pos + 1;
        if (ch == '"') {
            size_t n = 0;
            if (lex_string(c, line, len, &pos, out, &n) < 0)
                return -1;
            t->len = n;
            t->quoted = true;
        } else {
            size_t n = 0;
            while (pos < len && line[pos] != ' ' && line[pos] != '\t' && line[pos] != '"' &&
                   line[pos] != '#')
                out[n++] = line[pos++];
            out[n] = '\0';
            t->len = n;
            t->quoted = false;
        }
        t->s = out;
        used += t->len + 1; /* a word's copy is never longer than its text on the line */
        c->n++;
        c->eol_col = (int)pos + 1;
    }
    return 0;
}

/* ================================================================ values ==== */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Reads decimal digits at s[*k] into *v (saturating flag on overflow); returns the count. */
static size_t digits(const char *s, size_t *k, uint64_t *v, bool *overflow)
{
    size_t n = 0;
    *v = 0;
    while (is_digit(s[*k])) {
        uint64_t d = (uint64_t)(s[*k] - '0');
        if (*v > (UINT64_MAX - d) / 10)
            *overflow = true;
        else
            *v = *v * 10 + d;
        (*k)++;
        n++;
    }
    return n;
}

/* A plain unsigned integer (decimal, or hexadecimal with 0x); false if s is not one. */
static bool read_uint(const char *s, uint64_t *v, bool *overflow)
{
    size_t k = 0;
    *overflow = false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        k = 2;
        uint64_t x = 0;
        size_t n = 0;
        for (; s[k]; k++, n++) {
            int h = hexval(s[k]);
            if (h < 0)
                return false;
            if (x > (UINT64_MAX >> 4))
                *overflow = true;
            else
                x = (x << 4) | (uint64_t)h;
        }
        *v = x;
        return n > 0;
    }
    if (digits(s, &k, v, overflow) == 0)
        return false;
    return s[k] == '\0';
}

int sim_val_uint(sim_pctx *c, const sim_tok *t, uint64_t lo, uint64_t hi, const char *what,
                 uint64_t *v)
{
    char b[48];
    bool overflow = false;
    if (t->quoted || !read_uint(t->s, v, &overflow))
        return sim_perr(c, t->col, "%s must be a number, got '%s'", what,
                        sim_tok_show(t, b, sizeof b));
    if (overflow || *v < lo || *v > hi)
        return sim_perr(c, t->col, "%s must be from %llu to %llu, got %s", what,
                        (unsigned long long)lo, (unsigned long long)hi,
                        sim_tok_show(t, b, sizeof b));
    return 0;
}

/* A decimal number "12", "1.5", ".5" at s[*k]: integer part and fraction digits. */
typedef struct decimal {
    uint64_t ip, frac;
    unsigned nfrac;      /* digits in frac (at most 9 are kept) */
    bool overflow;       /* the integer part does not fit */
    bool beyond_nonzero; /* a non-zero decimal after the 9th */
} decimal;

static bool read_decimal(const char *s, size_t *k, decimal *d)
{
    memset(d, 0, sizeof *d);
    size_t ni = digits(s, k, &d->ip, &d->overflow);
    size_t nf = 0;
    if (s[*k] == '.') {
        (*k)++;
        while (is_digit(s[*k])) {
            if (nf >= 9) { /* beyond nanoseconds of a second: only zeros can be exact */
                d->beyond_nonzero |= s[*k] != '0';
            } else {
                d->frac = d->frac * 10 + (uint64_t)(s[*k] - '0');
            }
            nf++;
            (*k)++;
        }
        if (nf == 0)
            return false;
    }
    d->nfrac = (unsigned)(nf > 9 ? 9 : nf);
    return ni + nf > 0;
}

static uint64_t pow10u(unsigned n)
{
    uint64_t p = 1;
    while (n--)
        p *= 10;
    return p;
}

/* d x mult exactly, or false (overflow beyond max, or not a whole number). */
static bool scale(const decimal *d, uint64_t mult, uint64_t max, uint64_t *out, bool *inexact)
{
    *inexact = d->beyond_nonzero;
    if (d->overflow || (mult && d->ip > max / mult))
        return false;
    uint64_t p = pow10u(d->nfrac);
    uint64_t f = d->frac * mult; /* frac < 1e9, mult <= 6e7: fits */
    if (f % p)
        *inexact = true; /* a fraction of the smallest unit */
    uint64_t v = d->ip * mult + f / p;
    if (v > max)
        return false;
    *out = v;
    return true;
}

static int duration(sim_pctx *c, const sim_tok *t, const char *s, const char *what, uint64_t *us)
{
    char b[48];
    size_t k = 0;
    decimal d;
    if (t->quoted || !read_decimal(s, &k, &d))
        return sim_perr(c, t->col, "%s must be a duration with a unit (us, ms, s, m), got '%s'",
                        what, sim_tok_show(t, b, sizeof b));
    const char *unit = s + k;
    uint64_t mult;
    if (*unit == '\0') {
        if (d.ip != 0 || d.frac != 0)
            return sim_perr(c, t->col, "%s: '%s' needs a unit (us, ms, s or m)", what,
                            sim_tok_show(t, b, sizeof b));
        mult = 0;
    } else if (strcmp(unit, "us") == 0) {
        mult = 1;
    } else if (strcmp(unit, "ms") == 0) {
        mult = 1000;
    } else if (strcmp(unit, "s") == 0) {
        mult = 1000000;
    } else if (strcmp(unit, "m") == 0) {
        mult = 60000000;
    } else {
        return sim_perr(c, t->col, "%s: unknown unit in '%s' (use us, ms, s or m)", what,
                        sim_tok_show(t, b, sizeof b));
    }
    bool inexact = false;
    if (!scale(&d, mult, SIM_DUR_MAX, us, &inexact))
        return sim_perr(c, t->col, "%s: '%s' is too long (at most 1000000s)", what,
                        sim_tok_show(t, b, sizeof b));
    if (inexact)
        return sim_perr(c, t->col, "%s: '%s' is finer than a microsecond", what,
                        sim_tok_show(t, b, sizeof b));
    return 0;
}

int sim_val_duration(sim_pctx *c, const sim_tok *t, const char *what, uint64_t *us)
{
    return duration(c, t, t->s, what, us);
}

int sim_val_time(sim_pctx *c, const sim_tok *t, const char *what, uint64_t *us, bool *relative)
{
    *relative = !t->quoted && t->s[0] == '+';
    return duration(c, t, t->s + (*relative ? 1 : 0), what, us);
}

int sim_val_rate(sim_pctx *c, const sim_tok *t, const char *what, uint64_t *bps)
{
    static const struct {
        const char *unit;
        uint64_t mult;
    } units[] = {{"bit", 1},        {"bps", 1},           {"kbit", 1000},
                 {"Kbit", 1000},    {"kbps", 1000},       {"Mbit", 1000000},
                 {"Mbps", 1000000}, {"Gbit", 1000000000}, {"Gbps", 1000000000}};
    char b[48];
    size_t k = 0;
    decimal d;
    if (t->quoted || !read_decimal(t->s, &k, &d))
        return sim_perr(c, t->col, "%s must be a bit rate such as 10Mbit, got '%s'", what,
                        sim_tok_show(t, b, sizeof b));
    const char *unit = t->s + k;
    if (*unit == '\0')
        return sim_perr(c, t->col, "%s: '%s' needs a unit (bit, kbit, Mbit or Gbit)", what,
                        sim_tok_show(t, b, sizeof b));
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        if (strcmp(unit, units[u].unit) != 0)
            continue;
        bool inexact = false;
        if (!scale(&d, units[u].mult, 10000000000000ull, bps, &inexact) || *bps == 0 || inexact)
            return sim_perr(c, t->col,
                            "%s must be a whole number of bit/s from 1bit to 10000Gbit, "
                            "got '%s'",
                            what, sim_tok_show(t, b, sizeof b));
        return 0;
    }
    return sim_perr(c, t->col, "%s: unknown unit in '%s' (use bit, kbit, Mbit or Gbit)", what,
                    sim_tok_show(t, b, sizeof b));
}

int sim_val_prob(sim_pctx *c, const sim_tok *t, const char *what, double *p)
{
    char b[48];
    size_t k = 0;
    decimal d;
    if (t->quoted || !read_decimal(t->s, &k, &d) || d.overflow ||
        (t->s[k] != '\0' && strcmp(t->s + k, "%") != 0))
        return sim_perr(c, t->col, "%s must be a probability such as 1%% or 0.01, got '%s'", what,
                        sim_tok_show(t, b, sizeof b));
    double v = (double)d.ip + (double)d.frac / (double)pow10u(d.nfrac);
    if (t->s[k] == '%')
        v /= 100.0;
    if (v > 1.0)
        return sim_perr(c, t->col, "%s must be from 0%% to 100%%, got '%s'", what,
                        sim_tok_show(t, b, sizeof b));
    *p = v;
    return 0;
}

int sim_val_onoff(sim_pctx *c, const sim_tok *t, const char *what, bool *on)
{
    char b[48];
    if (sim_tok_is(t, "on")) {
        *on = true;
        return 0;
    }
    if (sim_tok_is(t, "off")) {
        *on = false;
        return 0;
    }
    return sim_perr(c, t->col, "%s must be on or off, got '%s'", what,
                    sim_tok_show(t, b, sizeof b));
}

int sim_val_side(sim_pctx *c, const sim_tok *t, const char *what)
{
    char b[48];
    if (sim_tok_is(t, "client"))
        return TRACE_CLIENT;
    if (sim_tok_is(t, "server"))
        return TRACE_SERVER;
    return sim_perr(c, t->col, "unknown side '%s' in %s (client or server)",
                    sim_tok_show(t, b, sizeof b), what);
}

int sim_val_state(sim_pctx *c, const sim_tok *t, const char *what)
{
    char b[48];
    int s = t->quoted ? -1 : tcp_state_parse(t->s);
    if (s >= 0)
        return s;
    static const char *const names[] = {"CLOSED",      "LISTEN",     "SYN-SENT",   "SYN-RECEIVED",
                                        "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
                                        "CLOSING",     "LAST-ACK",   "TIME-WAIT"};
    char upper[32];
    size_t n = 0;
    for (; n + 1 < sizeof upper && n < t->len; n++) {
        char ch = t->s[n];
        upper[n] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : (ch == '_' ? '-' : ch);
    }
    upper[n] = '\0';
    const char *hint = sim_suggest(upper, names, sizeof names / sizeof names[0]);
    if (hint)
        return sim_perr(c, t->col, "unknown state '%s' in %s (did you mean %s?)",
                        sim_tok_show(t, b, sizeof b), what, hint);
    return sim_perr(c, t->col,
                    "unknown state '%s' in %s (states are named as in RFC 9293, e.g. "
                    "SYN-SENT, TIME-WAIT)",
                    sim_tok_show(t, b, sizeof b), what);
}

int sim_val_span(sim_pctx *c, const sim_tok *t, const char *what, bool circle, sim_span *sp)
{
    char b[48];
    const char *dots = t->quoted ? NULL : strstr(t->s, "..");
    char lo_s[32], hi_s[32];
    size_t nlo = dots ? (size_t)(dots - t->s) : t->len;
    if (nlo >= sizeof lo_s || (dots && strlen(dots + 2) >= sizeof hi_s))
        return sim_perr(c, t->col, "%s must be a number or a range N..M, got '%s'", what,
                        sim_tok_show(t, b, sizeof b));
    memcpy(lo_s, t->s, nlo);
    lo_s[nlo] = '\0';
    snprintf(hi_s, sizeof hi_s, "%s", dots ? dots + 2 : lo_s);
    uint64_t lo = 0, hi = 0;
    bool o1 = false, o2 = false;
    if (t->quoted || !read_uint(lo_s, &lo, &o1) || !read_uint(hi_s, &hi, &o2))
        return sim_perr(c, t->col, "%s must be a number or a range N..M, got '%s'", what,
                        sim_tok_show(t, b, sizeof b));
    if (o1 || o2 || lo > UINT32_MAX || hi > UINT32_MAX)
        return sim_perr(c, t->col, "%s must be from 0 to 4294967295, got '%s'", what,
                        sim_tok_show(t, b, sizeof b));
    if (circle ? (uint32_t)(hi - lo) >= 0x80000000u : hi < lo)
        return sim_perr(c, t->col, "%s: the range '%s' ends before it starts", what,
                        sim_tok_show(t, b, sizeof b));
    sp->on = true;
    sp->lo = (uint32_t)lo;
    sp->hi = (uint32_t)hi;
    return 0;
}

/* ================================================================ hints ===== */

/* Edit distance of a and b, both shorter than 32 bytes (else "far"). */
static unsigned distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na >= 32 || nb >= 32)
        return 99;
    unsigned row[33];
    for (size_t j = 0; j <= nb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= nb; j++) {
            unsigned up = row[j];
            unsigned best = diag + (a[i - 1] == b[j - 1] ? 0u : 1u);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

const char *sim_suggest(const char *s, const char *const *words, size_t n)
{
    const char *best = NULL;
    unsigned bd = 3;
    if (strlen(s) < 3)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        unsigned d = distance(s, words[k]);
        if (d < bd) {
            bd = d;
            best = words[k];
        }
    }
    return best;
}
