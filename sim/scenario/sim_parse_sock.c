/*
 * sim_parse_sock.c - the scenario language's hosts and sockets: `host NAME ADDRESS` and the
 * socket calls of `at TIME HOST CALL SOCKET [ARGS]` (socket, bind, listen, accept, connect,
 * write/send, read/recv, shutdown, close, abort, nonblock, poll, sendto, recvfrom).  A socket is
 * named by a word; its name is declared by its first use.  docs/scenario-language.md, "Hosts
 * and sockets", is the reference.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "sim_parse_int.h"

static bool is_ident(const sim_tok *t, size_t max)
{
    if (t->quoted || t->len == 0 || t->len >= max)
        return false;
    for (size_t k = 0; k < t->len; k++) {
        char ch = t->s[k];
        bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
        if (!(alpha || (k > 0 && ((ch >= '0' && ch <= '9') || ch == '-'))))
            return false;
    }
    return true;
}

int sim_host_find(const sim_scenario *sc, const char *name)
{
    for (int i = 0; i < sc->n_hosts; i++)
        if (strcmp(sc->hosts[i].name, name) == 0)
            return i;
    return -1;
}

/* host NAME ADDRESS */
int sim_parse_host(sim_pctx *c)
{
    sim_scenario *sc = &c->out->sc;
    char b[48];
    if (c->n < 2)
        return sim_need(c, 1, "host", "a name (e.g. host server 192.0.2.2)");
    const sim_tok *name = &c->tok[1];
    if (!is_ident(name, sizeof sc->hosts[0].name))
        return sim_perr(c, name->col,
                        "a host name is a letter then letters, digits or '-' (at most %zu), got "
                        "'%s'",
                        sizeof sc->hosts[0].name - 1, sim_tok_show(name, b, sizeof b));
    if (sim_host_find(sc, name->s) >= 0)
        return sim_perr(c, name->col, "host '%s' is already defined", name->s);
    if (c->n < 3)
        return sim_need(c, 2, "host", "an IPv4 or IPv6 address");
    const sim_tok *a = &c->tok[2];
    unsigned char bin[16];
    if (a->quoted || a->len >= sizeof sc->hosts[0].ip ||
        (inet_pton(AF_INET, a->s, bin) != 1 && inet_pton(AF_INET6, a->s, bin) != 1))
        return sim_perr(c, a->col, "host address must be an IPv4 or IPv6 address, got '%s'",
                        sim_tok_show(a, b, sizeof b));
    if (sim_no_more(c, 3, "host") < 0)
        return -1;
    for (int i = 0; i < sc->n_hosts; i++)
        if (strcmp(sc->hosts[i].ip, a->s) == 0)
            return sim_perr(c, a->col, "address %s is host '%s''s already", a->s,
                            sc->hosts[i].name);
    if (sc->n_hosts >= SIM_MAX_HOSTS)
        return sim_perr(c, c->tok[0].col, "too many hosts (at most %d)", SIM_MAX_HOSTS);
    if (sc->n_actions > 0)
        return sim_perr(c, c->tok[0].col, "hosts must be defined before the first action");
    sim_host *h = &sc->hosts[sc->n_hosts++];
    memcpy(h->name, name->s, name->len + 1);
    memcpy(h->ip, a->s, a->len + 1);
    return 0;
}

/* The socket named by word i (declared now if it is new); -1 after an error. */
static int sock_name(sim_pctx *c, size_t i, const char *call)
{
    sim_scenario *sc = &c->out->sc;
    const sim_tok *t = sim_tok_at(c, i);
    char b[48];
    if (t == NULL)
        return sim_need(c, i, call, "a socket name");
    if (!is_ident(t, SIM_NAME_MAX))
        return sim_perr(c, t->col,
                        "a socket name is a letter then letters, digits or '-' (at most %d), got "
                        "'%s'",
                        SIM_NAME_MAX - 1, sim_tok_show(t, b, sizeof b));
    for (int k = 0; k < sc->n_socks; k++)
        if (strcmp(sc->sock_names[k], t->s) == 0)
            return k;
    if (sc->n_socks >= SIM_MAX_SOCKS)
        return sim_perr(c, t->col, "too many socket names (at most %d)", SIM_MAX_SOCKS);
    memcpy(sc->sock_names[sc->n_socks], t->s, t->len + 1);
    return sc->n_socks++;
}

/* HOST:PORT with a defined host; 0 or -1. */
static int host_port(sim_pctx *c, size_t i, const char *call, sim_action *a)
{
    const sim_tok *t = sim_tok_at(c, i);
    char b[48], name[16];
    if (t == NULL)
        return sim_need(c, i, call, "HOST:PORT (e.g. server:80)");
    const char *colon = t->quoted ? NULL : strrchr(t->s, ':');
    size_t hn = colon ? (size_t)(colon - t->s) : 0;
    int h = -1;
    if (colon && hn > 0 && hn < sizeof name) {
        memcpy(name, t->s, hn);
        name[hn] = '\0';
        h = sim_host_find(&c->out->sc, name);
    }
    uint64_t port = 0;
    bool ok = colon && colon[1] != '\0' && strlen(colon + 1) <= 5;
    for (const char *q = colon ? colon + 1 : ""; ok && *q; q++) {
        ok = *q >= '0' && *q <= '9';
        port = port * 10 + (uint64_t)(*q - '0');
    }
    if (h < 0 || !ok || port < 1 || port > 65535)
        return sim_perr(c, t->col,
                        "%s needs HOST:PORT with a defined host and a port 1-65535, got '%s'", call,
                        sim_tok_show(t, b, sizeof b));
    a->peer_host = (uint8_t)h;
    a->port = (uint16_t)port;
    return 0;
}

/* N or "text" into a->bytes / a->text; 0 or -1. */
static int payload(sim_pctx *c, size_t i, const char *call, sim_action *a)
{
    const sim_tok *arg = sim_tok_at(c, i);
    if (arg == NULL)
        return sim_need(c, i, call, "a byte count or a quoted string");
    if (arg->quoted) {
        if (arg->len == 0)
            return sim_perr(c, arg->col, "%s needs at least one byte", call);
        if (arg->len >= SIM_TEXT_MAX)
            return sim_perr(c, arg->col, "%s text is too long (%zu bytes, at most %d)", call,
                            arg->len, SIM_TEXT_MAX - 1);
        memcpy(a->text, arg->s, arg->len + 1);
        a->bytes = arg->len;
        return 0;
    }
    return sim_val_uint(c, arg, 1, 1u << 30, call, &a->bytes);
}

static const struct {
    const char *word;
    uint8_t call;
} sock_calls[] = {
    {"socket", TCP_CALL_SOCKET},     {"bind", TCP_CALL_BIND},       {"listen", TCP_CALL_LISTEN},
    {"accept", TCP_CALL_ACCEPT},     {"connect", TCP_CALL_CONNECT}, {"write", TCP_CALL_WRITE},
    {"send", TCP_CALL_WRITE},        {"read", TCP_CALL_READ},       {"recv", TCP_CALL_READ},
    {"shutdown", TCP_CALL_SHUTDOWN}, {"close", TCP_CALL_CLOSE},     {"abort", TCP_CALL_ABORT},
    {"nonblock", TCP_CALL_NONBLOCK}, {"poll", TCP_CALL_POLL},       {"sendto", TCP_CALL_SENDTO},
    {"recvfrom", TCP_CALL_RECVFROM},
};
#define N_SOCK_CALLS (sizeof sock_calls / sizeof sock_calls[0])

/* The words after `at TIME HOST` (word 3 on): one socket call into *a; 0 or -1. */
static int sock_call(sim_pctx *c, sim_action *a)
{
    const sim_tok *k = sim_tok_at(c, 3);
    if (k == NULL)
        return sim_need(c, 3, "an action",
                        "a socket call (socket, bind, listen, accept, connect, ...)");
    int call = -1;
    for (size_t j = 0; j < N_SOCK_CALLS; j++)
        if (sim_tok_is(k, sock_calls[j].word))
            call = sock_calls[j].call;
    if (call < 0) {
        const char *words[N_SOCK_CALLS];
        for (size_t j = 0; j < N_SOCK_CALLS; j++)
            words[j] = sock_calls[j].word;
        char b[48];
        const char *hint = k->quoted ? NULL : sim_suggest(k->s, words, N_SOCK_CALLS);
        if (hint)
            return sim_perr(c, k->col, "unknown socket call '%s' (did you mean '%s'?)",
                            sim_tok_show(k, b, sizeof b), hint);
        return sim_perr(c, k->col, "unknown socket call '%s'", sim_tok_show(k, b, sizeof b));
    }
    const char *cw = k->s;
    a->call = (uint8_t)call;
    size_t i = 4;
    if (call == TCP_CALL_SOCKET) {
        const sim_tok *ty = sim_tok_at(c, 4);
        if (sim_tok_is(ty, "dgram") || sim_tok_is(ty, "stream")) {
            a->opt = sim_tok_is(ty, "dgram") ? SIM_SOCK_DGRAM : SIM_SOCK_STREAM;
            i = 5;
        }
    }
    int s = sock_name(c, i, cw);
    if (s < 0)
        return -1;
    a->sock = (uint8_t)s;
    i++;
    const sim_tok *arg = sim_tok_at(c, i);
    switch (call) {
    case TCP_CALL_BIND:
        if (arg == NULL)
            return sim_need(c, i, "bind", "a port");
        if (sim_val_uint(c, arg, 1, 65535, "bind", &a->bytes) < 0)
            return -1;
        i++;
        break;
    case TCP_CALL_LISTEN:
        if (arg == NULL)
            return sim_need(c, i, "listen", "a backlog");
        if (sim_val_uint(c, arg, 0, 4096, "listen", &a->bytes) < 0)
            return -1;
        i++;
        break;
    case TCP_CALL_ACCEPT: {
        int n = sock_name(c, i, "accept");
        if (n < 0)
            return -1;
        if (n == s)
            return sim_perr(c, arg->col, "accept needs a new socket name, not the listener's");
        a->sock2 = (uint8_t)n;
        i++;
        break;
    }
    case TCP_CALL_CONNECT:
        if (host_port(c, i, "connect", a) < 0)
            return -1;
        i++;
        break;
    case TCP_CALL_WRITE:
        if (payload(c, i, cw, a) < 0)
            return -1;
        i++;
        break;
    case TCP_CALL_SENDTO:
        if (host_port(c, i, "sendto", a) < 0 || payload(c, i + 1, "sendto", a) < 0)
            return -1;
        i += 2;
        break;
    case TCP_CALL_READ:
        if (arg) {
            if (sim_val_uint(c, arg, 1, 1u << 30, cw, &a->bytes) < 0)
                return -1;
            i++;
        }
        break;
    case TCP_CALL_POLL: {
        static const char *const what[] = {"readable", "writable", "connected", "acceptable"};
        int w = -1;
        for (int j = 0; j < 4; j++)
            if (sim_tok_is(arg, what[j]))
                w = j + 1;
        if (arg == NULL)
            return sim_need(c, i, "poll", "readable, writable, connected or acceptable");
        if (w < 0) {
            char b[48];
            return sim_perr(c, arg->col,
                            "poll waits for readable, writable, connected or acceptable, got '%s'",
                            sim_tok_show(arg, b, sizeof b));
        }
        a->opt = (uint8_t)w;
        i++;
        break;
    }
    default:
        break;
    }
    return sim_no_more(c, i, cw);
}

int sim_parse_sock_action(sim_pctx *c, uint64_t t, int host)
{
    sim_scenario *sc = &c->out->sc;
    sim_action a;
    memset(&a, 0, sizeof a);
    a.t = t;
    a.ep = (uint8_t)host;
    a.line = c->line;
    if (sock_call(c, &a) < 0)
        return -1;
    if (sc->n_actions >= SIM_MAX_ACTIONS)
        return sim_perr(c, c->tok[0].col, "too many actions (at most %d)", SIM_MAX_ACTIONS);
    sc->actions[sc->n_actions++] = a;
    return 0;
}
