/*
 * test_sim_listen.c - the listener's SYN and accept queues (sim/net/sim_demux.c) and SYN
 * cookies (sim_cookie.c): with profile linux each rule as this machine's Linux 6.18 put it on
 * the wire (tests/kernel/listen/, docs/scenario-language.md "Listener queues"), and the rfc
 * profile's backlog.  Each test plays a small scenario file and checks the trace events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "world_fixture.h"

/* A linux server listening with BACKLOG (%d) and the `extra` statements (%s); three clients a, b
 * and c connect at 10 ms, c at %s. */
static void play_three(int backlog, const char *extra, const char *c_at)
{
    char text[2048];
    snprintf(text, sizeof text,
             "profile linux\n%shost server 192.0.2.2\nhost a 192.0.2.11\nhost b 192.0.2.12\n"
             "host c 192.0.2.13\n"
             "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L %d\n"
             "at 5s server accept L C\nat 5s server accept L C\nat 5s server accept L C\n"
             "at 10ms a socket S\nat 10ms a connect S server:80\n"
             "at 10ms b socket S\nat 10ms b connect S server:80\n"
             "at %s c socket S\nat %s c connect S server:80\n",
             extra, backlog, c_at, c_at);
    wf_play(text);
}

/* Server endpoints that reached ESTABLISHED before time t. */
static int established_before(uint64_t t)
{
    int n = 0;
    for (size_t k = 0; k < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind == TRACE_STATE && e->ep == TRACE_SERVER && e->t < t &&
            e->u.state.to == TCP_ESTABLISHED)
            n++;
    }
    return n;
}

/* Timers the server armed for connection conn before time t. */
static int server_arms(uint32_t conn, uint64_t t)
{
    int n = 0;
    for (size_t k = 0; k < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind == TRACE_TIMER && e->ep == TRACE_SERVER && e->conn == conn && e->t < t &&
            e->u.timer.action == TRACE_TIMER_ARM)
            n++;
    }
    return n;
}

/* Measured: listen(0) takes one request (the SYN queue is full with more than 0), and one
 * connection completes before accept; with syncookies 0 the others' SYNs are dropped. */
static void test_linux_listen0_one_completes(void **state)
{
    (void)state;
    play_three(0, "syncookies 0\n", "10ms");
    assert_int_equal(wf_sends(1, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1);
    assert_true(wf_note(2, "SYN queue full: SYN dropped"));
    assert_true(wf_note(3, "SYN queue full: SYN dropped"));
    assert_int_equal(established_before(5000000), 1);
    /* once it is established the accept queue holds 1 > 0: later SYNs meet that */
    assert_true(wf_note(2, "accept queue full: SYN dropped"));
    assert_int_equal(established_before(UINT64_MAX), 3);
}

/* Measured: listen(1) takes two requests and two connections complete before accept. */
static void test_linux_listen1_two_complete(void **state)
{
    (void)state;
    play_three(1, "syncookies 0\n", "10ms");
    assert_int_equal(wf_sends(1, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1);
    assert_int_equal(wf_sends(2, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1);
    assert_true(wf_note(3, "SYN queue full: SYN dropped (tcp_syncookies=0)"));
    assert_false(wf_note(2, "dropped"));
    assert_int_equal(established_before(5000000), 2);
}

/* Measured: a SYN that finds the accept queue full is dropped, SYN cookies or not (listen(0):
 * a's request completes, b's SYN gets a cookie whose ACK finds the queue full; c's SYN comes
 * 500 ms later). */
static void test_linux_full_accept_queue_drops_syn_without_cookie(void **state)
{
    (void)state;
    play_three(0, "", "500ms");
    assert_int_equal(established_before(5000000), 1);
    assert_true(wf_note(2, "SYN queue full: SYN cookie"));
    assert_true(wf_note(2, "accept queue full: SYN cookie ACK dropped"));
    assert_true(wf_note(3, "accept queue full: SYN dropped"));
    assert_false(wf_note(3, "SYN cookie"));
    assert_int_equal(wf_sends(3, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1); /* after accept */
    const trace_event *sa = wf_send(3, TRACE_SERVER, TCP_SYN | TCP_ACK, 1);
    assert_true(sa->t > 5000000);
}

/* Measured: with syncookies 1 (the default) a SYN beyond the SYN queue gets a cookie SYN,ACK:
 * with timestamps it keeps MSS, window scale and SACK-permitted, and its TSval is the newest
 * clock value not after now whose low six bits hold the peer's window scale | 0x10 for SACK;
 * no request is kept: no timer, never sent again. */
static void test_linux_cookie_synack_with_timestamps(void **state)
{
    (void)state;
    play_three(1, "", "10ms");
    assert_true(wf_note(3, "SYN queue full: SYN cookie (tcp_syncookies=1)"));
    const trace_event *req = wf_send(1, TRACE_SERVER, TCP_SYN | TCP_ACK, 1);
    const trace_event *ck = wf_send(3, TRACE_SERVER, TCP_SYN | TCP_ACK, 1);
    assert_non_null(req);
    assert_non_null(ck);
    assert_int_equal(ck->t, req->t);
    assert_true(ck->seg.has_mss);
    assert_int_equal(ck->seg.mss, 1460);
    assert_true(ck->seg.has_wscale);
    assert_int_equal(ck->seg.wscale, 7);
    assert_true(ck->seg.sack_perm);
    assert_true(ck->seg.has_ts);
    assert_int_equal(ck->seg.tsval & 63u, 7u | 0x10u); /* client's wscale 7, SACK */
    assert_true(ck->seg.tsval <= req->seg.tsval && ck->seg.tsval + 64u > req->seg.tsval);
    assert_int_equal(ck->seg.tsecr, req->seg.tsecr);
    assert_int_equal(ck->seg.win, req->seg.win);
    assert_int_equal(wf_sends(3, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1);
    assert_int_equal(server_arms(3, 5000000), 0);
    assert_int_equal(server_arms(1, 5000000) > 0, 1);
}

/* Measured: without timestamps the cookie SYN,ACK carries the MSS alone (no window scale, no
 * SACK-permitted), and the peer's MSS comes back rounded down to 536, 1300, 1440 or 1460:
 * the server's segments to a client with MSS 1400 carry 1300 bytes. */
static void test_linux_cookie_without_timestamps(void **state)
{
    (void)state;
    wf_play("profile linux\nsyncookies 2\nclient timestamps off\nclient mss 1400\n"
            "host server 192.0.2.2\nhost client 192.0.2.1\n"
            "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 5\n"
            "at 0 server accept L C\nat 0 server write C 4000\n"
            "at 0 client socket S\nat 0 client connect S server:80\n");
    const trace_event *syn = wf_send(1, TRACE_CLIENT, TCP_SYN, 1);
    const trace_event *ck = wf_send(1, TRACE_SERVER, TCP_SYN | TCP_ACK, 1);
    assert_non_null(syn);
    assert_non_null(ck);
    assert_true(syn->seg.has_wscale && syn->seg.sack_perm && !syn->seg.has_ts);
    assert_true(ck->seg.has_mss);
    assert_false(ck->seg.has_wscale);
    assert_false(ck->seg.sack_perm);
    assert_false(ck->seg.has_ts);
    uint32_t most = 0;
    for (size_t k = 0; k < wf_tb.n; k++) {
        const trace_event *e = &wf_tb.ev[k];
        if (e->kind == TRACE_SEND && e->ep == TRACE_SERVER && e->seg.len > most)
            most = e->seg.len;
    }
    assert_int_equal(most, 1300);
}

/* Measured: syncookies 2 answers every SYN with a cookie; the ACK makes the connection.  The SYN
 * arrives at 130 ms (TS clock 131 = 2 * 64 + 3): 128 | 23 would be after the clock, so the
 * cookie's TSval is 64 less, 87.  The rebuilt request leaves no timer behind, and its first
 * RTT sample is the TSecr's, from the cookie's TSval: 231 - 87 = 144 ms (measured: a cookie
 * connection made by data 3 s late showed rtt 3052 ms in ss -ti, one made at once 51 ms on a
 * loopback). */
static void test_linux_syncookies_2_always(void **state)
{
    (void)state;
    wf_play(
        "profile linux\nsyncookies 2\nhost server 192.0.2.2\nhost client 192.0.2.1\n"
        "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 5\n"
        "at 0 server accept L C\nat 80ms client socket S\nat 80ms client connect S server:80\n");
    assert_true(wf_note(1, "SYN cookie (tcp_syncookies=2)"));
    assert_int_equal(wf_sends(1, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1);
    const trace_event *ck = wf_send(1, TRACE_SERVER, TCP_SYN | TCP_ACK, 1);
    assert_int_equal(ck->t, 130000);
    assert_int_equal(ck->seg.tsval, 87);
    assert_int_equal(server_arms(1, UINT64_MAX), 0); /* nothing to retransmit, nothing else */
    for (size_t k = 0; k < wf_tb.n; k++)
        assert_false(wf_tb.ev[k].kind == TRACE_TIMER && wf_tb.ev[k].ep == TRACE_SERVER);
    assert_true(wf_note(1, "SYN cookie in the ACK"));
    const trace_event *r = wf_call("server", TCP_CALL_ACCEPT, TRACE_CALL_RETURNS, 1);
    assert_non_null(r);
    assert_int_equal(r->t, 230000);
    const trace_event *rtt = NULL;
    for (size_t k = 0; k < wf_tb.n && rtt == NULL; k++)
        if (wf_tb.ev[k].kind == TRACE_RTT && wf_tb.ev[k].ep == TRACE_SERVER)
            rtt = &wf_tb.ev[k];
    assert_non_null(rtt);
    assert_int_equal(rtt->t, 230000);
    assert_int_equal(rtt->u.rtt.sample, 144000);
}

/* Cookies keep no state, so an earlier one stays good when the SYN comes again: the first cookie
 * SYN,ACK is held 1.2 s, the client sends its SYN again and gets a second cookie (held 2 s);
 * the client's ACK of the first one makes the connection (no RST). */
static void test_linux_cookie_of_a_repeated_syn(void **state)
{
    (void)state;
    wf_play("profile linux\nsyncookies 2\ndelay server SYN,ACK nth 1 by 1200ms\n"
            "delay server SYN,ACK nth 2 by 2s\nhost server 192.0.2.2\nhost client 192.0.2.1\n"
            "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 5\n"
            "at 0 server accept L C\nat 0 client socket S\nat 0 client connect S server:80\n");
    const trace_event *first = wf_send(1, TRACE_SERVER, TCP_SYN | TCP_ACK, 1);
    const trace_event *second = wf_send(1, TRACE_SERVER, TCP_SYN | TCP_ACK, 2);
    assert_non_null(first);
    assert_non_null(second);
    assert_int_not_equal(first->seg.seq, second->seg.seq);
    assert_int_equal(wf_sends(1, TRACE_SERVER, TCP_RST, false), 0);
    assert_true(wf_note(1, "SYN cookie in the ACK"));
    const trace_event *r = wf_call("server", TCP_CALL_ACCEPT, TRACE_CALL_RETURNS, 1);
    assert_non_null(r);
    assert_int_equal(r->t, 1350000); /* the ACK of the first cookie */
}

/* Measured: the ACK (or data) that returns a cookie while the accept queue is full is dropped,
 * without a RST even with abort-on-overflow; the client sends its data again and a copy that
 * comes after accept() makes the connection. */
static void test_linux_cookie_ack_on_full_accept_queue(void **state)
{
    (void)state;
    wf_play("profile linux\nabort-on-overflow on\nhost server 192.0.2.2\nhost a 192.0.2.11\n"
            "host b 192.0.2.12\nhost c 192.0.2.13\n"
            "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 1\n"
            "at 2.5s server accept L C\nat 2.5s server accept L C\nat 2.5s server accept L C\n"
            "at 10ms a socket S\nat 10ms a connect S server:80\n"
            "at 10ms b socket S\nat 10ms b connect S server:80\n"
            "at 10ms c socket S\nat 10ms c connect S server:80\nat 10ms c write S \"x\"\n");
    assert_true(wf_note(3, "SYN queue full: SYN cookie"));
    assert_true(wf_notes(3, "accept queue full: SYN cookie ACK dropped") >= 3);
    assert_int_equal(wf_sends(3, TRACE_SERVER, TCP_RST, false), 0);
    assert_true(wf_sends(3, TRACE_CLIENT, TCP_PSH | TCP_ACK, true) >= 3); /* sent again */
    assert_int_equal(established_before(2500000), 2);
    assert_int_equal(established_before(UINT64_MAX), 3);
    const trace_event *r = wf_call("server", TCP_CALL_ACCEPT, TRACE_CALL_RETURNS, 1);
    assert_non_null(r); /* the third accept blocked until the cookie made the connection */
    assert_true(r->t > 2500000);
}

/* Linux: a full accept queue (more than backlog) ignores the handshake's last ACK, and the
 * SYN,ACK is sent again; with abort-on-overflow it answers with a RST. */
static const char *const overflow_text =
    "profile linux\nrtt 10ms\nhost server 192.0.2.2\nhost a 192.0.2.11\nhost b 192.0.2.12\n"
    "host c 192.0.2.13\nhost d 192.0.2.14\n"
    "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 2\n"
    "at 0 a socket S\nat 0 a connect S server:80\nat 0 b socket S\nat 0 b connect S server:80\n"
    "at 100ms c socket S\nat 100ms c connect S server:80\n"
    "at 100ms d socket S\nat 100ms d connect S server:80\n";

static void test_linux_accept_queue_full_ignores_ack(void **state)
{
    (void)state;
    wf_play(overflow_text);
    /* a and b fill the queue to 2, c makes it 3 (> backlog 2), d's ACK finds it full */
    assert_true(wf_note(4, "last ACK of the handshake ignored"));
    assert_false(wf_note(3, "ignored"));
    assert_true(wf_sends(4, TRACE_SERVER, TCP_SYN | TCP_ACK, true) >= 2); /* sent again */
    assert_int_equal(wf_sends(4, TRACE_SERVER, TCP_RST, false), 0);
}

static void test_linux_abort_on_overflow(void **state)
{
    (void)state;
    char text[1024];
    snprintf(text, sizeof text, "abort-on-overflow on\n%s", overflow_text);
    wf_play(text);
    assert_true(wf_note(4, "tcp_abort_on_overflow"));
    assert_int_equal(wf_sends(4, TRACE_SERVER, TCP_RST, false), 1);
    assert_int_equal(wf_sends(4, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1);
    /* measured: a bare RST, SEQ = the ACK's ACK, window 0, no options (no timestamps) */
    const trace_event *rst = wf_send(4, TRACE_SERVER, TCP_RST, 1);
    const trace_event *sa = wf_send(4, TRACE_SERVER, TCP_SYN | TCP_ACK, 1);
    assert_non_null(rst);
    assert_int_equal(rst->seg.seq, sa->seg.seq + 1);
    assert_int_equal(rst->seg.win, 0);
    assert_false(rst->seg.has_ts);
}

/* rfc profile: at most `backlog` connections wait in both queues together. */
static void test_rfc_backlog_counts_both_queues(void **state)
{
    (void)state;
    wf_play("host server 192.0.2.2\nhost a 192.0.2.11\nhost b 192.0.2.12\n"
            "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 1\n"
            "at 0 a socket S\nat 0 a connect S server:80\n"
            "at 500ms b socket S\nat 500ms b connect S server:80\n");
    /* a is established but not accepted at 500 ms: b's SYN finds the backlog used up */
    assert_true(wf_note(2, "SYN dropped (backlog)"));
    assert_int_equal(wf_sends(2, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 0);
}

/* rfc profile: a request in the SYN queue counts against the backlog too. */
static void test_rfc_backlog_counts_requests(void **state)
{
    (void)state;
    wf_play("host server 192.0.2.2\nhost a 192.0.2.11\nhost b 192.0.2.12\n"
            "at 0 server socket L\nat 0 server bind L 80\nat 0 server listen L 1\n"
            "at 0 a socket S\nat 0 a connect S server:80\n"
            "at 0 b socket S\nat 0 b connect S server:80\n");
    assert_int_equal(wf_sends(1, TRACE_SERVER, TCP_SYN | TCP_ACK, true), 1);
    assert_true(wf_note(2, "SYN dropped (backlog)"));
    assert_false(wf_note(2, "cookie"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linux_listen0_one_completes),
        cmocka_unit_test(test_linux_listen1_two_complete),
        cmocka_unit_test(test_linux_full_accept_queue_drops_syn_without_cookie),
        cmocka_unit_test(test_linux_cookie_synack_with_timestamps),
        cmocka_unit_test(test_linux_cookie_without_timestamps),
        cmocka_unit_test(test_linux_syncookies_2_always),
        cmocka_unit_test(test_linux_cookie_of_a_repeated_syn),
        cmocka_unit_test(test_linux_cookie_ack_on_full_accept_queue),
        cmocka_unit_test(test_linux_accept_queue_full_ignores_ack),
        cmocka_unit_test(test_linux_abort_on_overflow),
        cmocka_unit_test(test_rfc_backlog_counts_both_queues),
        cmocka_unit_test(test_rfc_backlog_counts_requests),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    wf_done();
    return rc;
}
