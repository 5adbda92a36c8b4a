/*
 * kt_case.c - reads a kernel comparison case with tcpsim's scenario parser and checks that a
 * real kernel run can play exactly what the simulation plays (see kt_case.h); writes the
 * nftables rules for its drop rules.
 *
 * The endpoint settings are checked by comparison, not by a list of known fields: the case's
 * tcp_config of each side, with the three settings the kernel run mirrors copied over, must be
 * byte-identical to that of a file holding only `profile linux`.  A setting added to sim/ later
 * (and switched on by the profile) is then accepted when left alone and refused when changed,
 * without this file knowing about it.
 */
#include "kt_case.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim_parse.h"
#include "tcp_seg.h"

_Static_assert(SIM_MAX_RULES <= 32, "kt_case.after_fin holds 32 rules");
_Static_assert(SIM_MAX_ACTIONS <= KT_MAX_ACTIONS, "kt_side.actions holds every action");
_Static_assert(SIM_TEXT_MAX <= KT_TEXT_MAX, "kt_action.text holds a write's text");

static const char *kt_side_name[2] = {"client", "server"};

static void kt_err(FILE *err, const kt_case *kc, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (line > 0)
        fprintf(err, "%s:%d: ", kc->path, line);
    else
        fprintf(err, "%s: ", kc->path); /* a setting: the parser keeps no line for it */
    vfprintf(err, fmt, ap);
    fputc('\n', err);
    va_end(ap);
}

/* The whole file, NUL-terminated, or NULL. */
static char *kt_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            if (cap > SIM_PARSE_FILE_MAX * 2u) {
                free(buf);
                buf = NULL;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Line `line` (from 1) of text, as [start, end). */
static const char *kt_line(const char *text, int line, const char **end)
{
    const char *p = text;
    for (int l = 1; l < line && p != NULL; l++) {
        p = strchr(p, '\n');
        if (p != NULL)
            p++;
    }
    if (p == NULL)
        return NULL;
    const char *e = strchr(p, '\n');
    *end = e ? e : p + strlen(p);
    return p;
}

static bool kt_has_hint(const char *text, int line, const char *hint)
{
    const char *end = NULL;
    const char *p = kt_line(text, line, &end);
    if (p == NULL)
        return false;
    const char *hash = memchr(p, '#', (size_t)(end - p));
    if (hash == NULL)
        return false;
    size_t hl = strlen(hint);
    for (const char *q = hash; q + hl <= end; q++)
        if (memcmp(q, hint, hl) == 0)
            return true;
    return false;
}

/* Bytes side `ep` writes in all. */
static uint64_t kt_written(const sim_scenario *sc, int ep)
{
    uint64_t n = 0;
    for (size_t i = 0; i < sc->n_actions; i++)
        if (sc->actions[i].ep == ep && sc->actions[i].call == TCP_CALL_WRITE)
            n += sc->actions[i].bytes;
    return n;
}

static int kt_check(kt_case *kc, const char *text, FILE *err)
{
    const sim_script *s = kc->script;
    bool cfg_set[2][3];
    const sim_scenario *sc = &s->sc;
    int bad = 0;

    /* the reference: what `profile linux` alone gives */
    static const char ref_text[] = "profile linux\n";
    sim_script *ref = malloc(sizeof *ref);
    if (ref == NULL || sim_parse(ref, ref_text, sizeof ref_text - 1) != 0) {
        free(ref);
        kt_err(err, kc, 0, "cannot parse the reference 'profile linux'");
        return -1;
    }
    for (int ep = 0; ep < 2; ep++) {
        tcp_config mine = sc->tcp[ep], want = ref->sc.tcp[ep];
        cfg_set[ep][0] = mine.rcv_buf != want.rcv_buf;
        cfg_set[ep][1] = mine.snd_buf != want.snd_buf;
        cfg_set[ep][2] = mine.nagle != want.nagle;
        want.rcv_buf = mine.rcv_buf;
        want.rcv_buf_set = mine.rcv_buf_set; /* rcv-buf says SO_RCVBUF was set */
        want.snd_buf = mine.snd_buf;
        want.nagle = mine.nagle;
        if (memcmp(&mine, &want, sizeof mine) != 0) {
            kt_err(err, kc, 0,
                   "the %s's TCP settings are not those of 'profile linux' (a kernel case must "
                   "say 'profile linux' and may change only rcv-buf, snd-buf and nagle)",
                   kt_side_name[ep]);
            bad = 1;
        }
        if (strcmp(sc->addr[ep], ref->sc.addr[ep]) != 0) {
            kt_err(err, kc, 0, "the %s's address must stay %s", kt_side_name[ep], ref->sc.addr[ep]);
            bad = 1;
        }
    }
    free(ref);
    for (int ep = 0; ep < 2; ep++) {
        kt_side *side = &kc->side[ep];
        const sim_app_cfg *app = &sc->app[ep];
        side->auto_read = app->auto_read;
        side->echo = app->echo;
        side->close_on_eof = app->close_on_eof;
        side->close_delay = app->close_delay;
        side->set_rcvbuf = cfg_set[ep][0];
        side->set_sndbuf = cfg_set[ep][1];
        side->nodelay = !sc->tcp[ep].nagle;
        side->rcvbuf = sc->tcp[ep].rcv_buf;
        side->sndbuf = sc->tcp[ep].snd_buf;
    }
    kc->rtt = sc->rtt;
    if (sc->bandwidth != 0 || sc->loss != 0 || sc->duplicate != 0 || sc->reorder != 0) {
        kt_err(err, kc, 0,
               "bandwidth, loss, duplicate and reorder cannot be played by the kernel "
               "run (its path has only a fixed delay)");
        bad = 1;
    }
    if (sc->rtt < 2 || sc->rtt > 10000000) {
        kt_err(err, kc, 0, "rtt must be between 2us and 10s");
        bad = 1;
    }
    if (s->n_expect > 0) {
        kt_err(err, kc, s->expect[0].line,
               "no expectations in a kernel case (a failed one makes tcpsim exit 1)");
        bad = 1;
    }
    for (size_t i = 0; i < sc->n_rules; i++) {
        const sim_rule *r = &sc->rules[i];
        kc->after_fin[i] = kt_has_hint(text, r->line, "# kernel: after-fin");
        if (r->action != SIM_RULE_DROP) {
            kt_err(err, kc, r->line, "only drop rules can be played by the kernel run");
            bad = 1;
        }
        if (r->dir > SIM_FROM_SERVER) {
            kt_err(err, kc, r->line,
                   "a kernel rule needs the direction client or server (each direction is "
                   "counted in the receiver's namespace)");
            bad = 1;
        }
        if (r->chance != 0) {
            kt_err(err, kc, r->line, "'chance' cannot be played by the kernel run");
            bad = 1;
        }
        if (r->has_seq && !kc->after_fin[i]) {
            kt_err(err, kc, r->line,
                   "nftables cannot match ISN-relative sequence numbers; add '# kernel: "
                   "after-fin' if the range starts just past the sender's FIN");
            bad = 1;
        }
        if (kc->after_fin[i]) {
            const sim_rule_src *src = &s->rule_src[i];
            uint64_t want = r->dir <= SIM_FROM_SERVER ? kt_written(sc, r->dir) + 2 : 0;
            if (!r->has_seq || !src->rel_seq || src->rel_lo != want) {
                kt_err(err, kc, r->line,
                       "'# kernel: after-fin' needs a relative 'seq' range starting one past "
                       "the FIN: seq %llu (the side writes %llu bytes)",
                       (unsigned long long)want, (unsigned long long)(want - 2));
                bad = 1;
            }
        }
    }
    kc->vantage = KT_CLIENT;
    for (size_t i = 0; i < sc->n_rules; i++)
        if (sc->rules[i].dir <= SIM_FROM_SERVER) {
            if (kc->drops[0] + kc->drops[1] == 0)
                kc->vantage = sc->rules[i].dir;
            kc->drops[sc->rules[i].dir]++;
        }
    if (kc->drops[0] > 0 && kc->drops[1] > 0) {
        kt_err(err, kc, sc->rules[0].line,
               "a kernel case drops segments of one side only (the comparison is made at the "
               "sender's capture, which holds the lost originals)");
        bad = 1;
    }
    for (size_t i = 0; i < sc->n_actions; i++) {
        const sim_action *a = &sc->actions[i];
        kt_side *side = &kc->side[a->ep];
        kt_action *k = &side->actions[side->n_actions++];
        k->t = a->t;
        k->call = (kt_call)a->call;
        k->bytes = a->bytes;
        snprintf(k->text, sizeof k->text, "%s", a->text);
        k->line = a->line;
        if (a->call == TCP_CALL_LISTEN && a->ep != TRACE_SERVER) {
            kt_err(err, kc, a->line, "only the server listens in a kernel case");
            bad = 1;
        }
        if (a->call == TCP_CALL_CONNECT && a->ep != TRACE_CLIENT) {
            kt_err(err, kc, a->line, "only the client connects in a kernel case");
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

int kt_case_load(kt_case *kc, const char *path, FILE *err)
{
    memset(kc, 0, sizeof *kc);
    snprintf(kc->path, sizeof kc->path, "%s", path);
    size_t len = 0;
    char *text = kt_slurp(path, &len);
    if (text == NULL) {
        fprintf(err, "%s: cannot read the case file\n", path);
        return -1;
    }
    sim_script *script = malloc(sizeof *script);
    kc->script = script;
    if (script == NULL) {
        free(text);
        fprintf(err, "%s: out of memory\n", path);
        return -1;
    }
    int rc = 0;
    if (sim_parse(script, text, len) != 0) {
        for (size_t i = 0; i < script->n_err; i++)
            fprintf(err, "%s:%d:%d: %s\n", path, script->err[i].line, script->err[i].col,
                    script->err[i].msg);
        rc = -1;
    } else {
        rc = kt_check(kc, text, err);
    }
    free(text);
    if (rc != 0)
        kt_case_free(kc);
    return rc;
}

void kt_case_free(kt_case *kc)
{
    free(kc->script);
    kc->script = NULL;
}

/* nft's flag names, in tcp_seg.h's bit order. */
static void kt_nft_flags(FILE *out, uint8_t bits)
{
    static const struct {
        uint8_t bit;
        const char *name;
    } names[] = {{TCP_FIN, "fin"}, {TCP_SYN, "syn"}, {TCP_RST, "rst"}, {TCP_PSH, "psh"},
                 {TCP_ACK, "ack"}, {TCP_URG, "urg"}, {TCP_ECE, "ecn"}, {TCP_CWR, "cwr"}};
    const char *sep = "";
    fputc('(', out);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (bits & names[i].bit) {
            fprintf(out, "%s%s", sep, names[i].name);
            sep = "|";
        }
    fputc(')', out);
}

int kt_case_nft(const kt_case *kc, int receiver, FILE *out)
{
    const sim_scenario *sc = &((const sim_script *)kc->script)->sc;
    int sender = 1 - receiver;
    const char *src = sender == TRACE_CLIENT ? KT_CLIENT_ADDR : KT_SERVER_ADDR;
    bool need_data = false, need_fin = false;
    int n = 0;
    for (size_t i = 0; i < sc->n_rules; i++) {
        if (sc->rules[i].dir != sender)
            continue;
        n++;
        need_data |= sc->rules[i].data != SIM_DATA_ANY;
        need_fin |= kc->after_fin[i];
    }
    if (n == 0)
        return 0;
    fprintf(out, "# %s: drops in the %s's namespace, of segments the %s sends\n", kc->path,
            kt_side_name[receiver], kt_side_name[sender]);
    fprintf(out, "table ip tcpsim_kt {\n");
    if (need_fin)
        fprintf(out, "  set finseen { type ipv4_addr; flags dynamic; }\n");
    fprintf(out, "  chain input {\n    type filter hook input priority filter; policy accept;\n");
    if (need_data) {
        /* mark 1: the segment carries payload (IP total length beyond both headers); nft has
         * no arithmetic between fields, so one rule per TCP header length */
        fprintf(out, "    ip saddr %s ip protocol tcp meta mark set 0\n", src);
        for (int doff = 5; doff <= 15; doff++)
            fprintf(out,
                    "    ip saddr %s ip hdrlength 5 tcp doff %d ip length > %d meta mark set 1\n",
                    src, doff, 20 + 4 * doff);
    }
    if (need_fin)
        fprintf(out, "    ip saddr %s tcp flags & fin == fin add @finseen { ip saddr }\n", src);
    for (size_t i = 0; i < sc->n_rules; i++) {
        const sim_rule *r = &sc->rules[i];
        if (r->dir != sender)
            continue;
        fprintf(out, "    ip saddr %s ip protocol tcp", src);
        uint8_t mask = (uint8_t)(r->flags_all | r->flags_none);
        if (mask != 0) {
            fprintf(out, " tcp flags & ");
            kt_nft_flags(out, mask);
            fprintf(out, " == ");
            if (r->flags_all)
                kt_nft_flags(out, r->flags_all);
            else
                fprintf(out, "0x0");
        }
        if (r->data == SIM_DATA_WITH)
            fprintf(out, " meta mark 1");
        else if (r->data == SIM_DATA_WITHOUT)
            fprintf(out, " meta mark 0");
        if (kc->after_fin[i])
            fprintf(out, " ip saddr @finseen");
        /* numgen last: it counts only the packets that met every condition before it */
        if (r->nth > 0)
            fprintf(out, " numgen inc mod 1000000000 %u", r->nth - 1);
        else if (r->times > 0)
            fprintf(out, " numgen inc mod 1000000000 < %u", r->times);
        fprintf(out, " counter drop comment \"line %d\"\n", r->line);
    }
    fprintf(out, "  }\n}\n");
    return n;
}
