/*
 * test_tcp_table.c - a table over (state, input) for the states in which RFC 9293 3.10.7.4
 * ("Otherwise", the synchronized states and SYN-RECEIVED) applies: for each of 8 states and 8
 * kinds of arriving segment (exact RST, in-window RST, in-window SYN, duplicate ACK, in-order
 * data, ACK of unsent data, wholly old data, the peer's FIN), the state afterwards and the one
 * segment sent in reply (or none), with exact SEQ and ACK.  Each cell is its own cmocka test,
 * named table_<state>_<input>, and cites the rule it checks.  The endpoints are those of
 * tcp_fixture.c (FIN-WAIT-1/2 come from close(), not shutdown()) with delayed ACKs off, so every
 * ACK the RFC asks for is sent at once.
 */
#include "tcp_fixture.h"

#include <stdio.h>

#define I FX_ISN_WRAP
#define P FX_PEER_ISN_WRAP

enum input {
    IN_RST_EXACT,  /* RST, SEQ = RCV.NXT */
    IN_RST_INWIN,  /* RST, SEQ = RCV.NXT + 1000 */
    IN_SYN_INWIN,  /* SYN, SEQ = RCV.NXT + 1000 */
    IN_ACK_DUP,    /* ACK = SND.UNA, no data */
    IN_DATA,       /* 100 bytes at RCV.NXT, ACK = SND.UNA */
    IN_ACK_UNSENT, /* ACK = SND.NXT + 1000 */
    IN_OLD_DATA,   /* 100 bytes ending at RCV.NXT (all old) */
    IN_PEER_FIN,   /* FIN,ACK: the peer's FIN (a retransmission if it was already received) */
    IN_COUNT
};

static const char *const input_name[IN_COUNT] = {
    "rst_exact", "rst_in_window", "syn_in_window", "dup_ack",
    "data",      "ack_unsent",    "old_data",      "peer_fin",
};

/* The reply: nothing; <SEQ=SND.NXT><ACK=RCV.NXT + d><CTL=ACK>; <SEQ=SEG.ACK><CTL=RST>;
 * <SEQ=SND.NXT><CTL=RST>. */
enum reply { R_NONE, R_ACK, R_RST_SEGACK, R_RST_SND };

typedef struct cell {
    uint8_t next;  /* tcp_state afterwards */
    uint8_t reply; /* enum reply */
    uint32_t d;    /* R_ACK: ACK = RCV.NXT (before the segment) + d */
    const char *rule;
} cell;

typedef struct row {
    tcp_state state;
    struct {
        uint32_t snd, una, rcv; /* SND.NXT, SND.UNA, RCV.NXT: offsets from I, I and P */
    } at;
    bool fin_rcvd; /* the peer's FIN was already received */
    cell c[IN_COUNT];
} row;

#define CH     "RFC 5961 challenge ACK"
#define UNACC  "3.10.7.4 first: unacceptable segment, ACK and drop"
#define UNSENT "3.10.7.4 fifth: ACK of something not yet sent, ACK and drop"

static const row rows[] = {
    {TCP_SYN_RECEIVED,
     {1, 0, 1},
     false,
     {
         {TCP_LISTEN, R_NONE, 0, "3.10.7.4 second: passive SYN-RECEIVED returns to LISTEN"},
         {TCP_SYN_RECEIVED, R_ACK, 0, CH " (RFC 5961 3.2)"},
         {TCP_LISTEN, R_NONE, 0, "3.10.7.4 fourth: passive SYN-RECEIVED returns to LISTEN"},
         {TCP_SYN_RECEIVED, R_RST_SEGACK, 0, "3.10.7.4 fifth: unacceptable ACK in SYN-RECEIVED"},
         {TCP_SYN_RECEIVED, R_RST_SEGACK, 0, "3.10.7.4 fifth: unacceptable ACK in SYN-RECEIVED"},
         {TCP_SYN_RECEIVED, R_RST_SEGACK, 0, "3.10.7.4 fifth: unacceptable ACK in SYN-RECEIVED"},
         {TCP_SYN_RECEIVED, R_ACK, 0, UNACC},
         {TCP_SYN_RECEIVED, R_RST_SEGACK, 0, "3.10.7.4 fifth: unacceptable ACK in SYN-RECEIVED"},
     }},
    {TCP_ESTABLISHED,
     {1, 1, 1},
     false,
     {
         {TCP_CLOSED, R_NONE, 0, "3.10.7.4 second: connection reset"},
         {TCP_ESTABLISHED, R_ACK, 0, CH " (RFC 5961 3.2)"},
         {TCP_ESTABLISHED, R_ACK, 0, CH " (RFC 5961 4)"},
         {TCP_ESTABLISHED, R_NONE, 0, "3.10.7.4 fifth: duplicate ACK, ignored"},
         {TCP_ESTABLISHED, R_ACK, 100, "3.10.7.4 seventh: text taken, ACK = SEQ + LEN"},
         {TCP_ESTABLISHED, R_ACK, 0, UNSENT},
         {TCP_ESTABLISHED, R_ACK, 0, UNACC},
         {TCP_CLOSE_WAIT, R_ACK, 1, "3.10.7.4 eighth: FIN, CLOSE-WAIT"},
     }},
    {TCP_FIN_WAIT_1,
     {2, 1, 1},
     false,
     {
         {TCP_CLOSED, R_NONE, 0, "3.10.7.4 second: connection reset"},
         {TCP_FIN_WAIT_1, R_ACK, 0, CH " (RFC 5961 3.2)"},
         {TCP_FIN_WAIT_1, R_ACK, 0, CH " (RFC 5961 4)"},
         {TCP_FIN_WAIT_1, R_NONE, 0, "3.10.7.4 fifth: duplicate ACK, ignored"},
         {TCP_CLOSED, R_RST_SND, 0, "RFC 1122 4.2.2.13: data after close() is lost, reset"},
         {TCP_FIN_WAIT_1, R_ACK, 0, UNSENT},
         {TCP_FIN_WAIT_1, R_ACK, 0, UNACC},
         {TCP_CLOSING, R_ACK, 1, "3.10.7.4 eighth: FIN before our FIN is acked, CLOSING"},
     }},
    {TCP_FIN_WAIT_2,
     {2, 2, 1},
     false,
     {
         {TCP_CLOSED, R_NONE, 0, "3.10.7.4 second: connection reset"},
         {TCP_FIN_WAIT_2, R_ACK, 0, CH " (RFC 5961 3.2)"},
         {TCP_FIN_WAIT_2, R_ACK, 0, CH " (RFC 5961 4)"},
         {TCP_FIN_WAIT_2, R_NONE, 0, "3.10.7.4 fifth: duplicate ACK, ignored"},
         {TCP_CLOSED, R_RST_SND, 0, "RFC 1122 4.2.2.13: data after close() is lost, reset"},
         {TCP_FIN_WAIT_2, R_ACK, 0, UNSENT},
         {TCP_FIN_WAIT_2, R_ACK, 0, UNACC},
         {TCP_TIME_WAIT, R_ACK, 1, "3.10.7.4 eighth: FIN in FIN-WAIT-2, TIME-WAIT"},
     }},
    {TCP_CLOSE_WAIT,
     {1, 1, 2},
     true,
     {
         {TCP_CLOSED, R_NONE, 0, "3.10.7.4 second: connection reset"},
         {TCP_CLOSE_WAIT, R_ACK, 0, CH " (RFC 5961 3.2)"},
         {TCP_CLOSE_WAIT, R_ACK, 0, CH " (RFC 5961 4)"},
         {TCP_CLOSE_WAIT, R_NONE, 0, "3.10.7.4 fifth: duplicate ACK, ignored"},
         {TCP_CLOSE_WAIT, R_NONE, 0, "3.10.7.4 seventh: text after the FIN is ignored"},
         {TCP_CLOSE_WAIT, R_ACK, 0, UNSENT},
         {TCP_CLOSE_WAIT, R_ACK, 0, UNACC},
         {TCP_CLOSE_WAIT, R_ACK, 0, UNACC " (a retransmitted FIN)"},
     }},
    {TCP_CLOSING,
     {2, 1, 2},
     true,
     {
         {TCP_CLOSED, R_NONE, 0, "3.10.7.4 second: CLOSING, RST: CLOSED"},
         {TCP_CLOSING, R_ACK, 0, CH " (RFC 5961 3.2)"},
         {TCP_CLOSING, R_ACK, 0, CH " (RFC 5961 4)"},
         {TCP_CLOSING, R_NONE, 0, "3.10.7.4 fifth: duplicate ACK, ignored"},
         {TCP_CLOSING, R_NONE, 0, "3.10.7.4 seventh: text after the FIN is ignored"},
         {TCP_CLOSING, R_ACK, 0, UNSENT},
         {TCP_CLOSING, R_ACK, 0, UNACC},
         {TCP_CLOSING, R_ACK, 0, UNACC " (a retransmitted FIN)"},
     }},
    {TCP_LAST_ACK,
     {2, 1, 2},
     true,
     {
         {TCP_CLOSED, R_NONE, 0, "3.10.7.4 second: LAST-ACK, RST: CLOSED"},
         {TCP_LAST_ACK, R_ACK, 0, CH " (RFC 5961 3.2)"},
         {TCP_LAST_ACK, R_ACK, 0, CH " (RFC 5961 4)"},
         {TCP_LAST_ACK, R_NONE, 0, "3.10.7.4 fifth: duplicate ACK, ignored"},
         {TCP_LAST_ACK, R_NONE, 0, "3.10.7.4 seventh: text after the FIN is ignored"},
         {TCP_LAST_ACK, R_ACK, 0, UNSENT},
         {TCP_LAST_ACK, R_ACK, 0, UNACC},
         {TCP_LAST_ACK, R_ACK, 0, UNACC " (a retransmitted FIN)"},
     }},
    {TCP_TIME_WAIT,
     {2, 2, 2},
     true,
     {
         {TCP_CLOSED, R_NONE, 0, "3.10.7.4 second: TIME-WAIT, RST: CLOSED"},
         {TCP_TIME_WAIT, R_ACK, 0, CH " (RFC 5961 3.2)"},
         {TCP_TIME_WAIT, R_ACK, 0, CH " (RFC 5961 4; no timestamps for RFC 6191)"},
         {TCP_TIME_WAIT, R_NONE, 0, "3.10.7.4 fifth: duplicate ACK, ignored"},
         {TCP_TIME_WAIT, R_NONE, 0, "3.10.7.4 seventh: text after the FIN is ignored"},
         {TCP_TIME_WAIT, R_ACK, 0, UNSENT},
         {TCP_TIME_WAIT, R_ACK, 0, UNACC},
         {TCP_TIME_WAIT, R_ACK, 0, "3.10.7.4 eighth: TIME-WAIT re-ACKs a retransmitted FIN"},
     }},
};

#define N_ROWS (sizeof rows / sizeof rows[0])

typedef struct param {
    const row *r;
    enum input in;
} param;

static tcp_seg make_input(const fx *f, const row *r, enum input in)
{
    uint32_t rcv = P + r->at.rcv, snd = I + r->at.snd, una = I + r->at.una;
    switch (in) {
    case IN_RST_EXACT:
        return fx_seg(f, TCP_RST, rcv, 0, 0);
    case IN_RST_INWIN:
        return fx_seg(f, TCP_RST, rcv + 1000, 0, 0);
    case IN_SYN_INWIN:
        return fx_seg(f, TCP_SYN, rcv + 1000, 0, 0);
    case IN_ACK_DUP:
        return fx_seg(f, TCP_ACK, rcv, una, 0);
    case IN_DATA:
        return fx_seg(f, TCP_ACK | TCP_PSH, rcv, una, 100);
    case IN_ACK_UNSENT:
        return fx_seg(f, TCP_ACK, rcv, snd + 1000, 0);
    case IN_OLD_DATA:
        return fx_seg(f, TCP_ACK, rcv - 100, una, 100);
    case IN_PEER_FIN:
        return fx_seg(f, TCP_FIN | TCP_ACK, r->fin_rcvd ? rcv - 1 : rcv, una, 0);
    default:
        fail();
    }
    return fx_seg(f, 0, 0, 0, 0);
}

static void test_cell(void **state)
{
    const param *p = *state;
    const row *r = p->r;
    const cell *c = &r->c[p->in];
    tcp_config cfg = fx_config(I);
    cfg.delack = 0;
    fx f;
    fx_init(&f, r->state == TCP_SYN_RECEIVED ? TRACE_SERVER : TRACE_CLIENT, I, P, &cfg);
    fx_enter(&f, r->state);
    /* the fixture's sequence variables are what the row says */
    assert_int_equal(f.ep.snd_nxt, I + r->at.snd);
    assert_int_equal(f.ep.snd_una, I + r->at.una);
    assert_int_equal(f.ep.rcv_nxt, P + r->at.rcv);
    print_message("    %s: %s\n", input_name[p->in], c->rule);
    tcp_seg s = make_input(&f, r, p->in);
    fx_feed(&f, f.now + FX_MS(10), &s);
    switch ((enum reply)c->reply) {
    case R_NONE:
        expect_nothing(&f);
        break;
    case R_ACK:
        expect_seg(&f, TCP_ACK, I + r->at.snd, P + r->at.rcv + c->d, 0);
        break;
    case R_RST_SEGACK:
        expect_seg(&f, TCP_RST, s.ack, 0, 0);
        break;
    case R_RST_SND:
        expect_seg(&f, TCP_RST, I + r->at.snd, 0, 0);
        break;
    }
    if (c->next == r->state)
        expect_no_state_change(&f, r->state);
    else
        assert_int_equal(f.ep.state, c->next);
    fx_free(&f);
}

static char names[N_ROWS * IN_COUNT][64];
static param params[N_ROWS * IN_COUNT];

int main(void)
{
    struct CMUnitTest tests[N_ROWS * IN_COUNT];
    size_t n = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        for (int in = 0; in < IN_COUNT; in++) {
            char st[32];
            snprintf(st, sizeof st, "%s", tcp_state_name(rows[i].state));
            for (char *q = st; *q; q++)
                *q = *q == '-' ? '_' : (char)(*q | 0x20); /* "FIN-WAIT-1" -> "fin_wait_1" */
            snprintf(names[n], sizeof names[n], "table_%s_%s", st, input_name[in]);
            params[n] = (param){&rows[i], (enum input)in};
            tests[n] = (struct CMUnitTest){names[n], test_cell, NULL, NULL, &params[n]};
            n++;
        }
    }
    return _cmocka_run_group_tests("tcp_table", tests, n, NULL, NULL);
}
