/*
 * builtin_reference.c - the built-in scenarios as they were written in C before they became
 * scenario files (sim/sim_builtin.c at the time, kept verbatim apart from names and
 * the zerowindow description, which no longer fits in 127 bytes): the reference
 * that test_roundtrip.c compares the parsed files with, field by field and trace by trace.
 */
#include <string.h>

#include "builtin_reference.h"

#define MS(x)  ((uint64_t)(x)*1000u)
#define SEC(x) ((uint64_t)(x)*1000000u)

enum { C = TRACE_CLIENT, S = TRACE_SERVER };

static void act(sim_scenario *sc, uint64_t t, uint8_t ep, tcp_call call, uint64_t bytes,
                const char *text)
{
    (void)sim_scenario_add_action(sc, t, ep, call, bytes, text);
}

static void rule(sim_scenario *sc, sim_rule r)
{
    (void)sim_scenario_add_rule(sc, &r);
}

/* listen, connect: the start of nearly every scenario */
static void open_conn(sim_scenario *sc)
{
    act(sc, 0, S, TCP_CALL_LISTEN, 0, NULL);
    act(sc, 0, C, TCP_CALL_CONNECT, 0, NULL);
}

static void server_closes_after_eof(sim_scenario *sc, uint64_t delay)
{
    sc->app[S].close_on_eof = true;
    sc->app[S].close_delay = delay;
}

static void b_handshake(sim_scenario *sc)
{
    open_conn(sc);
}

static void b_echo(sim_scenario *sc)
{
    open_conn(sc);
    sc->app[S].echo = true;
    server_closes_after_eof(sc, 0);
    act(sc, MS(200), C, TCP_CALL_WRITE, 0, "hello, world\n");
    act(sc, MS(500), C, TCP_CALL_CLOSE, 0, NULL);
}

static void b_transfer(sim_scenario *sc)
{
    open_conn(sc);
    server_closes_after_eof(sc, 0);
    act(sc, MS(200), C, TCP_CALL_WRITE, 6000, NULL);
    act(sc, MS(200), C, TCP_CALL_CLOSE, 0, NULL);
}

static void b_loss(sim_scenario *sc)
{
    open_conn(sc);
    server_closes_after_eof(sc, 0);
    act(sc, MS(200), C, TCP_CALL_WRITE, 4380, NULL);
    act(sc, MS(200), C, TCP_CALL_CLOSE, 0, NULL);
    rule(sc, (sim_rule){
                 .dir = SIM_FROM_CLIENT, .action = SIM_RULE_DROP, .nth = 2, .data = SIM_DATA_WITH});
}

static void b_backoff(sim_scenario *sc)
{
    open_conn(sc);
    server_closes_after_eof(sc, 0);
    act(sc, MS(200), C, TCP_CALL_WRITE, 1000, NULL);
    act(sc, MS(200), C, TCP_CALL_CLOSE, 0, NULL);
    /* the first data segment and its first three retransmissions are lost */
    uint32_t first = sc->tcp[C].isn + 1;
    rule(sc, (sim_rule){.dir = SIM_FROM_CLIENT,
                        .action = SIM_RULE_DROP,
                        .data = SIM_DATA_WITH,
                        .has_seq = true,
                        .seq_lo = first,
                        .seq_hi = first,
                        .times = 4});
}

static void b_fastretx(sim_scenario *sc)
{
    open_conn(sc);
    server_closes_after_eof(sc, 0);
    act(sc, MS(200), C, TCP_CALL_WRITE, 14600, NULL);
    act(sc, MS(200), C, TCP_CALL_CLOSE, 0, NULL);
    rule(sc, (sim_rule){
                 .dir = SIM_FROM_CLIENT, .action = SIM_RULE_DROP, .nth = 4, .data = SIM_DATA_WITH});
}

static void b_close(sim_scenario *sc)
{
    open_conn(sc);
    server_closes_after_eof(sc, MS(100));
    act(sc, MS(200), C, TCP_CALL_CLOSE, 0, NULL);
}

static void b_timewait(sim_scenario *sc)
{
    open_conn(sc);
    server_closes_after_eof(sc, MS(100));
    act(sc, MS(200), C, TCP_CALL_CLOSE, 0, NULL);
    /* the client's second pure ACK is the last ACK of the close: lose it */
    rule(sc, (sim_rule){.dir = SIM_FROM_CLIENT,
                        .action = SIM_RULE_DROP,
                        .nth = 2,
                        .flags_all = TCP_ACK,
                        .flags_none = TCP_SYN | TCP_FIN | TCP_RST,
                        .data = SIM_DATA_WITHOUT});
}

static void b_simopen(sim_scenario *sc)
{
    act(sc, 0, C, TCP_CALL_CONNECT, 0, NULL);
    act(sc, 0, S, TCP_CALL_CONNECT, 0, NULL);
    strcpy(sc->addr[S], "192.0.2.2:49153");
}

static void b_simclose(sim_scenario *sc)
{
    open_conn(sc);
    act(sc, MS(300), C, TCP_CALL_CLOSE, 0, NULL);
    act(sc, MS(300), S, TCP_CALL_CLOSE, 0, NULL);
}

static void b_refused(sim_scenario *sc)
{
    act(sc, 0, C, TCP_CALL_CONNECT, 0, NULL); /* nobody listens on the server's port */
}

static void b_reset(sim_scenario *sc)
{
    open_conn(sc);
    act(sc, MS(200), C, TCP_CALL_WRITE, 20000, NULL);
    act(sc, MS(450), C, TCP_CALL_ABORT, 0, NULL);
}

static void b_halfclose(sim_scenario *sc)
{
    open_conn(sc);
    act(sc, MS(200), C, TCP_CALL_WRITE, 0, "GET /report\n");
    act(sc, MS(200), C, TCP_CALL_SHUTDOWN, 0, NULL);
    act(sc, MS(400), S, TCP_CALL_WRITE, 1000, NULL);
    act(sc, MS(600), S, TCP_CALL_WRITE, 1000, NULL);
    act(sc, MS(800), S, TCP_CALL_WRITE, 1000, NULL);
    act(sc, MS(900), S, TCP_CALL_CLOSE, 0, NULL);
}

static void b_zerowindow(sim_scenario *sc)
{
    open_conn(sc);
    sc->tcp[S].rcv_buf = 4380; /* three full segments */
    sc->app[S].auto_read = false;
    act(sc, MS(200), C, TCP_CALL_WRITE, 10000, NULL);
    act(sc, MS(200), C, TCP_CALL_CLOSE, 0, NULL);
    act(sc, SEC(4), S, TCP_CALL_READ, 0, NULL);
    act(sc, MS(4500), S, TCP_CALL_READ, 0, NULL);
    act(sc, SEC(5), S, TCP_CALL_READ, 0, NULL);
    act(sc, MS(5500), S, TCP_CALL_READ, 0, NULL);
    act(sc, SEC(6), S, TCP_CALL_CLOSE, 0, NULL);
}

static void b_nagle(sim_scenario *sc)
{
    open_conn(sc);
    server_closes_after_eof(sc, 0);
    act(sc, MS(200), C, TCP_CALL_WRITE, 0, "GET ");
    act(sc, MS(201), C, TCP_CALL_WRITE, 0, "/index.html");
    act(sc, MS(202), C, TCP_CALL_WRITE, 0, " HTTP/1.0\r\n");
    act(sc, MS(600), C, TCP_CALL_CLOSE, 0, NULL);
}

static void b_synloss(sim_scenario *sc)
{
    open_conn(sc);
    rule(sc, (sim_rule){
                 .dir = SIM_FROM_CLIENT, .action = SIM_RULE_DROP, .nth = 1, .flags_all = TCP_SYN});
}

typedef struct builtin {
    sim_builtin pub;
    const char *description;
    void (*fill)(sim_scenario *);
} builtin;

static const builtin table[] = {
    {{"handshake", "three-way handshake: SYN, SYN-ACK, ACK"},
     "The client opens a connection to a listening server with the three-way handshake.",
     b_handshake},
    {{"echo", "client sends a line, server echoes it back, both close"},
     "An echo exchange like a sockets tutorial's: write, read, echo, close.",
     b_echo},
    {{"transfer", "6000 bytes in MSS-sized segments with cumulative ACKs"},
     "A bulk transfer: segmentation by MSS, ACK = SEQ + LEN, slow start, delayed ACKs.",
     b_transfer},
    {{"loss", "a data segment is lost and resent when the RTO (1 s) expires"},
     "The second data segment is lost; only one duplicate ACK follows, so the retransmission "
     "timer recovers it.",
     b_loss},
    {{"backoff", "the same segment lost four times: RTO doubles 1 s, 2 s, 4 s, 8 s"},
     "Exponential backoff of the retransmission timer (RFC 6298 5.5).",
     b_backoff},
    {{"fastretx", "a loss recovered by fast retransmit after three duplicate ACKs"},
     "Fast retransmit and NewReno fast recovery (RFC 5681, RFC 6582).",
     b_fastretx},
    {{"close", "four-way close: FIN, ACK, FIN, ACK, TIME-WAIT for 2 MSL, CLOSED"},
     "An orderly close started by the client; the client waits in TIME-WAIT for 2 x MSL.",
     b_close},
    {{"timewait", "the last ACK is lost, the FIN comes again and TIME-WAIT answers it"},
     "Why TIME-WAIT exists: it re-acknowledges a retransmitted FIN and restarts its 2 MSL.",
     b_timewait},
    {{"simopen", "simultaneous open: both ends send a SYN at once"},
     "Both ends actively open at the same time (RFC 9293 figure 7).",
     b_simopen},
    {{"simclose", "simultaneous close: both ends send a FIN at once (CLOSING)"},
     "Both ends close at the same time and pass through CLOSING to TIME-WAIT.",
     b_simclose},
    {{"refused", "connection refused: the SYN is answered with a RST"},
     "Nobody listens on the server's port: RST,ACK in reply to the SYN.",
     b_refused},
    {{"reset", "the client aborts in the middle of a transfer: RST"},
     "An abort sends a RST; the server's connection is reset.",
     b_reset},
    {{"halfclose", "the client shuts down its side, the server keeps sending"},
     "Half-close: the client's FIN ends only its direction; it keeps reading in FIN-WAIT-2.",
     b_halfclose},
    {{"zerowindow", "slow reader: the window fills, zero window, probes, recovery"},
     "Flow control: a 4380-byte receive buffer nobody reads; the sender probes the zero window "
     "(persist timer) until reading resumes.", /* was cut at 127 bytes; now fits */
     b_zerowindow},
    {{"nagle", "three small writes coalesce: TCP keeps no message boundaries"},
     "Nagle's algorithm (RFC 896) holds small writes while data is unacknowledged.",
     b_nagle},
    {{"synloss", "the first SYN is lost and sent again after the initial RTO (1 s)"},
     "The initial retransmission timeout of RFC 6298 2.1 at work.",
     b_synloss},
};

#define N_BUILTIN (sizeof table / sizeof table[0])

const char *ref_builtin_summary(const char *name)
{
    for (size_t i = 0; i < N_BUILTIN; i++)
        if (strcmp(table[i].pub.name, name) == 0)
            return table[i].pub.summary;
    return NULL;
}

const char *ref_builtin_name(size_t i)
{
    return i < N_BUILTIN ? table[i].pub.name : NULL;
}

int ref_builtin_load(sim_scenario *sc, const char *name)
{
    for (size_t i = 0; i < N_BUILTIN; i++) {
        if (strcmp(table[i].pub.name, name) != 0)
            continue;
        sim_scenario_default(sc);
        strncpy(sc->name, name, sizeof sc->name - 1);
        strncpy(sc->description, table[i].description, sizeof sc->description - 1);
        table[i].fill(sc);
        return 0;
    }
    return -1;
}
