/*
 * test_sim_sock.c - the socket layer of scenarios with hosts (sim/net/sim_sock.c,
 * sim_world.c): each call's blocking and return value, ephemeral ports, and a SYN for a tuple in
 * TIME-WAIT (RFC 6191); the listener's queues are in test_sim_listen.c.  Each test plays a small
 * scenario file and checks the exact trace events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "world_fixture.h"

#define SERVER_LISTENS                                                                             \
    "host server 192.0.2.2\nhost client 192.0.2.1\n"                                               \
    "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 5\n"

/* accept blocks until a connection is queued; connect blocks until the handshake ends. */
static void test_accept_and_connect_block(void **state)
{
    (void)state;
    wf_play(SERVER_LISTENS "at 0 server accept L C\n"
                           "at 0 client socket S\nat 0 client connect S server:80\n");
    const trace_event *b = wf_call("server", TCP_CALL_ACCEPT, TRACE_CALL_BLOCKS, 1);
    const trace_event *r = wf_call("server", TCP_CALL_ACCEPT, TRACE_CALL_RETURNS, 1);
    assert_non_null(b);
    assert_non_null(r);
    assert_int_equal(b->t, 0);
    assert_int_equal(r->t, 150000);    /* SYN 50 ms, SYN,ACK 50 ms, ACK 50 ms */
    assert_int_equal(r->u.app.ret, 4); /* the listener is fd 3 */
    const trace_event *cb = wf_call("client", TCP_CALL_CONNECT, TRACE_CALL_BLOCKS, 1);
    const trace_event *cr = wf_call("client", TCP_CALL_CONNECT, TRACE_CALL_RETURNS, 1);
    assert_non_null(cb);
    assert_non_null(cr);
    assert_int_equal(cr->t, 100000);
    assert_int_equal(cr->u.app.ret, 0);
    assert_int_equal(cr->conn, 1);
}

/* With TCB records asked for (the explorer, -v), each endpoint of a world reports its TCB: after
 * the handshake the client's SND.UNA is ISS+1 and its RCV.NXT IRS+1; none without asking. */
static void test_world_tcb_records(void **state)
{
    (void)state;
    const char *text = SERVER_LISTENS "at 0 server accept L C\n"
                                      "at 0 client socket S\nat 0 client connect S server:80\n";
    wf_play(text);
    for (size_t k = 0; k < wf_tb.n; k++)
        assert_int_not_equal(wf_tb.ev[k].kind, TRACE_TCB);
    wf_tcb = true;
    wf_play(text);
    wf_tcb = false;
    const trace_tcb *last = NULL;
    uint32_t iss = 0, irs = 0;
    for (size_t k = 0; k < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind == TRACE_SEND && e->ep == TRACE_CLIENT && (e->seg.flags & TCP_SYN))
            iss = e->seg.seq;
        if (e->kind == TRACE_SEND && e->ep == TRACE_SERVER && (e->seg.flags & TCP_SYN))
            irs = e->seg.seq;
        if (e->kind == TRACE_TCB && e->ep == TRACE_CLIENT && e->t <= 100000)
            last = &e->tcb;
    }
    assert_non_null(last);
    assert_int_equal(last->state, TCP_ESTABLISHED);
    assert_int_equal(last->snd_una, iss + 1);
    assert_int_equal(last->rcv_nxt, irs + 1);
}

/* A state change is followed at once by the endpoint's TCB record (the explorer shows the state
 * of the selected event): two clients connecting at the same instant each get their SYN-SENT
 * record before the other connection's events (before, all came at the end of the step). */
static void test_world_tcb_follows_its_event(void **state)
{
    (void)state;
    wf_tcb = true;
    wf_play("host server 192.0.2.2\nhost client 192.0.2.1\nhost other 192.0.2.3\n"
            "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 5\n"
            "at 0 client socket S\nat 0 client connect S server:80\n"
            "at 0 other socket S\nat 0 other connect S server:80\n");
    wf_tcb = false;
    size_t seen = 0;
    for (size_t k = 0; k + 1 < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind != TRACE_STATE || e->u.state.to != TCP_SYN_SENT)
            continue;
        const trace_event *n = &wf_tb.ev[k + 1];
        assert_int_equal(n->kind, TRACE_TCB);
        assert_int_equal(n->conn, e->conn);
        assert_int_equal(n->ep, e->ep);
        assert_int_equal(n->tcb.state, TCP_SYN_SENT);
        seen++;
    }
    assert_int_equal(seen, 2);
}

/* An endpoint the world deletes at CLOSED (a refused connect) reports its last TCB, CLOSED, before
 * it is freed (read after the free before: ASan in CI on backlog's explorer page). */
static void test_world_tcb_record_of_a_deleted_endpoint(void **state)
{
    (void)state;
    wf_tcb = true;
    wf_play(SERVER_LISTENS "at 0 client socket S\nat 0 client connect S server:81\n");
    wf_tcb = false;
    const trace_tcb *last = NULL;
    for (size_t k = 0; k < wf_tb.n; k++)
        if (wf_tb.ev[k].kind == TRACE_TCB && wf_tb.ev[k].ep == TRACE_CLIENT)
            last = &wf_tb.ev[k].tcb;
    assert_non_null(last);
    assert_int_equal(last->state, TCP_CLOSED);
}

/* connect to a port nobody listens on: RST from CLOSED (RFC 9293 3.10.7.1), ECONNREFUSED. */
static void test_connect_refused(void **state)
{
    (void)state;
    wf_play(SERVER_LISTENS "at 0 client socket S\nat 0 client connect S server:81\n");
    const trace_event *r = wf_call("client", TCP_CALL_CONNECT, TRACE_CALL_RETURNS, 1);
    assert_non_null(r);
    assert_int_equal(r->u.app.ret, -TRACE_ECONNREFUSED);
    assert_int_equal(r->t, 100000);
    assert_int_equal(wf_sends(1, TRACE_SERVER, TCP_RST | TCP_ACK, true), 1);
}

/* Non-blocking: connect returns EINPROGRESS, read EAGAIN; poll waits for the connection. */
static void test_nonblocking_calls(void **state)
{
    (void)state;
    wf_play(SERVER_LISTENS "at 0 server accept L C\n"
                           "at 0 client socket S\nat 0 client nonblock S\n"
                           "at 0 client connect S server:80\nat 0 client read S\n"
                           "at 0 client poll S connected\nat 0 client read S\n");
    const trace_event *c = wf_call("client", TCP_CALL_CONNECT, TRACE_CALL_DONE, 1);
    assert_non_null(c);
    assert_int_equal(c->u.app.ret, -TRACE_EINPROGRESS);
    const trace_event *r1 = wf_call("client", TCP_CALL_READ, TRACE_CALL_DONE, 1);
    assert_non_null(r1);
    assert_int_equal(r1->u.app.ret, -TRACE_EAGAIN);
    assert_int_equal(r1->t, 0);
    const trace_event *p = wf_call("client", TCP_CALL_POLL, TRACE_CALL_RETURNS, 1);
    assert_non_null(p);
    assert_int_equal(p->t, 100000);
    assert_int_equal(p->u.app.ret, 1);
    const trace_event *r2 = wf_call("client", TCP_CALL_READ, TRACE_CALL_DONE, 2);
    assert_non_null(r2);
    assert_int_equal(r2->t, 100000);
    assert_int_equal(r2->u.app.ret, -TRACE_EAGAIN); /* connected, nothing to read */
    assert_null(wf_call("client", TCP_CALL_READ, TRACE_CALL_BLOCKS, 1));
}

/* close in SYN-SENT deletes the connection and sends nothing (RFC 9293 3.10.4); the late
 * SYN,ACK meets no endpoint and is answered with a RST (3.10.7.1). */
static void test_close_in_syn_sent(void **state)
{
    (void)state;
    wf_play(SERVER_LISTENS "at 0 client socket S\nat 0 client nonblock S\n"
                           "at 0 client connect S server:80\nat 10ms client close S\n");
    assert_int_equal(wf_sends(1, TRACE_CLIENT, TCP_SYN, true), 1);
    assert_int_equal(wf_sends(1, TRACE_CLIENT, TCP_FIN, false), 0);
    assert_int_equal(wf_sends(1, TRACE_CLIENT, TCP_RST, true), 1); /* <SEQ=SEG.ACK><CTL=RST> */
    for (size_t k = 0; k < wf_tb.n; k++)
        if (wf_tb.ev[k].kind == TRACE_SEND && wf_tb.ev[k].ep == TRACE_CLIENT &&
            wf_tb.ev[k].seg.flags == TCP_RST)
            assert_int_equal(wf_tb.ev[k].t, 100000);
}

/* read blocks until data arrives and returns what arrived, then 0 at end of file. */
static void test_read_blocks_then_eof(void **state)
{
    (void)state;
    wf_play(SERVER_LISTENS "at 0 server accept L C\nat 0 server read C\nat 0 server read C\n"
                           "at 0 client socket S\nat 0 client connect S server:80\n"
                           "at 300ms client write S \"hello\"\nat 300ms client close S\n");
    const trace_event *r = wf_call("server", TCP_CALL_READ, TRACE_CALL_RETURNS, 1);
    assert_non_null(r);
    assert_int_equal(r->t, 350000);
    assert_int_equal(r->u.app.ret, 5);
    assert_string_equal(r->text, "hello");
    const trace_event *e = wf_call("server", TCP_CALL_READ, TRACE_CALL_RETURNS, 2);
    assert_non_null(e); /* the second read blocked until the FIN */
    assert_int_equal(e->t, 350000);
    assert_int_equal(e->u.app.ret, 0);
    assert_string_equal(e->text, "end of file");
}

/* write blocks while the send buffer is full and returns the whole count once it took all. */
static void test_write_blocks_on_full_buffer(void **state)
{
    (void)state;
    wf_play("client snd-buf 2000\n" SERVER_LISTENS "at 0 server accept L C\n"
            "at 0 client socket S\nat 0 client connect S server:80\n"
            "at 0 client write S 5000\nat 0 client close S\n");
    const trace_event *b = wf_call("client", TCP_CALL_WRITE, TRACE_CALL_BLOCKS, 1);
    const trace_event *r = wf_call("client", TCP_CALL_WRITE, TRACE_CALL_RETURNS, 1);
    assert_non_null(b);
    assert_non_null(r);
    assert_int_equal(b->t, 100000);
    assert_int_equal(r->u.app.ret, 5000);
    assert_true(r->t > b->t);
    /* close waited for the write: the FIN leaves after the last byte */
    const trace_event *c = wf_call("client", TCP_CALL_CLOSE, TRACE_CALL_DONE, 1);
    assert_non_null(c);
    assert_int_equal(c->t, r->t);
}

/* Each connect takes the next free ephemeral port of the range, wrapping around. */
static void test_ephemeral_ports(void **state)
{
    (void)state;
    wf_play("ephemeral-ports 40000-40001\n" SERVER_LISTENS
            "at 0 client socket A\nat 0 client nonblock A\nat 0 client connect A server:80\n"
            "at 0 client socket B\nat 0 client nonblock B\nat 0 client connect B server:80\n"
            "at 0 client close B\n"
            "at 0 client socket C\nat 0 client nonblock C\nat 0 client connect C server:80\n");
    assert_non_null(wf_conn(1));
    assert_string_equal(wf_conn(1)->text, "192.0.2.1:40000 192.0.2.2:80");
    assert_string_equal(wf_conn(2)->text, "192.0.2.1:40001 192.0.2.2:80");
    /* the range wraps to 40000, which A holds: B's port, free again once B is closed */
    assert_string_equal(wf_conn(3)->text, "192.0.2.1:40001 192.0.2.2:80");
}

/* A SYN for a tuple in TIME-WAIT whose ISN lies beyond the old connection is accepted (RFC
 * 6191): TIME-WAIT ends, the listener takes the SYN. */
static void test_timewait_reuse_accepted(void **state)
{
    (void)state;
    wf_play(SERVER_LISTENS "at 0 server accept L C\nat 0 server read C\nat 0 server close C\n"
                           "at 0 client socket S\nat 0 client bind S 50000\n"
                           "at 0 client connect S server:80\nat 0 client write S 10\n"
                           "at 0 client read S\nat 0 client close S\n"
                           "at 1s client socket S\nat 1s client bind S 50000\n"
                           "at 1s client connect S server:80\n");
    assert_true(wf_note(1, "RFC 6191"));
    assert_int_equal(wf_sends(2, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1);
    const trace_event *r = wf_call("client", TCP_CALL_CONNECT, TRACE_CALL_RETURNS, 2);
    assert_non_null(r);
    assert_int_equal(r->u.app.ret, 0);
    assert_int_equal(r->t, 1100000);
}

/* ... and one whose ISN is not beyond it (the first connection sent more bytes than the ISN
 * clock advanced) is answered from TIME-WAIT with an ACK, not a SYN,ACK. */
static void test_timewait_reuse_old_isn_reacked(void **state)
{
    (void)state;
    wf_play("rcv-buf 1000000\nsnd-buf 2000000\nrtt 10ms\n" SERVER_LISTENS
            "at 0 server accept L C\nat 800ms server read C\nat 800ms server close C\n"
            "at 0 client socket S\nat 0 client bind S 50000\n"
            "at 0 client connect S server:80\nat 0 client write S 400000\n"
            "at 0 client read S\nat 0 client close S\n"
            "at 1s client socket S\nat 1s client bind S 50000\n"
            "at 1s client connect S server:80\n");
    assert_false(wf_note(1, "RFC 6191"));
    /* the old connection's server answers the SYN with an ACK */
    int acks_after = 0;
    for (size_t k = 0; k < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind == TRACE_SEND && e->conn == 1 && e->ep == TRACE_SERVER && e->t > 1000000 &&
            e->seg.flags == TCP_ACK)
            acks_after++;
    }
    assert_true(acks_after >= 1);
    assert_int_equal(wf_sends(2, TRACE_CLIENT, TCP_RST, true), 1); /* the client's answer to it */
}

/* Datagrams: no handshake, no ACK, one recvfrom per datagram whatever was asked. */
static void test_udp_boundaries(void **state)
{
    (void)state;
    wf_play("host server 192.0.2.2\nhost client 192.0.2.1\n"
            "at 0 server socket dgram D\nat 0 server bind D 53\n"
            "at 0 server recvfrom D\nat 0 server recvfrom D\n"
            "at 0 client socket dgram U\nat 10ms client sendto U server:53 \"ab\"\n"
            "at 10ms client sendto U server:53 \"cde\"\n");
    const trace_event *r1 = wf_call("server", TCP_CALL_RECVFROM, TRACE_CALL_RETURNS, 1);
    const trace_event *r2 = wf_call("server", TCP_CALL_RECVFROM, TRACE_CALL_RETURNS, 2);
    assert_non_null(r1);
    assert_non_null(r2);
    assert_int_equal(r1->u.app.ret, 2);
    assert_string_equal(r1->text, "ab");
    assert_int_equal(r2->u.app.ret, 3);
    assert_string_equal(r2->text, "cde");
    assert_true(wf_conn(1)->u.conn.udp);
    assert_int_equal(wf_sends(1, TRACE_SERVER, 0, false), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_and_connect_block),
        cmocka_unit_test(test_world_tcb_records),
        cmocka_unit_test(test_world_tcb_record_of_a_deleted_endpoint),
        cmocka_unit_test(test_world_tcb_follows_its_event),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_nonblocking_calls),
        cmocka_unit_test(test_close_in_syn_sent),
        cmocka_unit_test(test_read_blocks_then_eof),
        cmocka_unit_test(test_write_blocks_on_full_buffer),
        cmocka_unit_test(test_ephemeral_ports),
        cmocka_unit_test(test_timewait_reuse_accepted),
        cmocka_unit_test(test_timewait_reuse_old_isn_reacked),
        cmocka_unit_test(test_udp_boundaries),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    wf_done();
    return rc;
}
