/*
 * test_replay_samples.c - replays every real-kernel capture in samples/ and asserts what issue 3
 * asks of the replay: the exact state path of both ends of every connection, retransmission, RST
 * and SYN-retransmission counts equal to the kernel's own counters (nstat) saved beside each
 * capture, and the endpoints left in TIME-WAIT equal to the ones `ss` showed.  A second test cuts
 * samples at every length and replays each prefix: no crash, never more packets than the whole
 * file, an error only when a record is cut in the middle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel_check.h"

#ifndef SAMPLES_DIR
#error "SAMPLES_DIR must be defined"
#endif

static const char CLIENT_CLOSES[] = "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT | "
                                    "LISTEN>SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT>LAST-ACK>CLOSED";

static const struct sample {
    const char *name;
    unsigned conns;
    const char *path; /* of every connection */
    unsigned lost;    /* segments inferred lost after the capture point */
} samples[] = {
    {"clean", 1, CLIENT_CLOSES, 0},
    /* the five retransmissions each follow a drop: the kernel saw no D-SACK (TcpExtTCPDSACKRecv
     * 0) and no spurious timeout, so every first copy was lost */
    {"loss", 1, CLIENT_CLOSES, 5},
    {"synloss", 1, CLIENT_CLOSES, 1},
    {"refused", 1, "CLOSED>SYN-SENT>CLOSED | CLOSED", 0},
    /* the client's FIN rides on its ACK of the server's FIN: FIN-WAIT-1 goes through FIN-WAIT-2
     * to TIME-WAIT on that one segment (RFC 9293 3.10.7.4, fifth then eighth step) */
    {"serverclose", 1,
     "CLOSED>SYN-SENT>ESTABLISHED>CLOSE-WAIT>LAST-ACK>CLOSED | "
     "LISTEN>SYN-RECEIVED>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT",
     0},
    {"halfclose", 1, CLIENT_CLOSES, 0},
    {"ipv6", 1, CLIENT_CLOSES, 0},
    {"concurrent", 12, CLIENT_CLOSES, 0},
    {"finloss", 1, CLIENT_CLOSES, 1},
    /* the client's last ACK (the server then sends its FIN again) */
    {"lastackloss", 1, CLIENT_CLOSES, 1},
    /* the one retransmission is a tail loss probe (TcpExtTCPLossProbes 1) whose first copy had
     * arrived: the receiver's D-SACK says so (TcpExtTCPDSACKRecvSegs 1), so nothing was lost */
    {"zerowindow", 1, CLIENT_CLOSES, 0},
    /* the concurrent sample of a run in which replay_live failed: connection 1's ACK of the
     * SYN,ACK left 108 us after the SYN,ACK, 13 us after the SYN, so the handshake placed the
     * capture near the server and the client's arrivals 2 x 54 us late; its last ACK, 8 us after
     * the server's FIN, then covered a FIN still queued, which was dropped as an old duplicate
     * (FIN-WAIT-1, 11 TIME-WAIT endpoints instead of 12) */
    {"concurrent-lateack", 12, CLIENT_CLOSES, 0},
};

static void check_sample(const struct sample *s)
{
    char pcap[512], nstat[512], ss[512], err[512], report[2048];
    snprintf(pcap, sizeof pcap, "%s/%s.pcap", SAMPLES_DIR, s->name);
    snprintf(nstat, sizeof nstat, "%s/%s.nstat", SAMPLES_DIR, s->name);
    snprintf(ss, sizeof ss, "%s/%s.ss", SAMPLES_DIR, s->name);
    static kc_result r;
    if (kc_replay(pcap, &r, err, sizeof err) < 0)
        fail_msg("%s: %s", pcap, err);
    assert_int_equal(r.conns, s->conns);
    for (int i = 0; i < r.n_paths; i++) {
        if (strcmp(r.paths[i], s->path) != 0)
            fail_msg("%s connection %d: path\n  %s\nexpected\n  %s", s->name, i + 1, r.paths[i],
                     s->path);
    }
    if (r.lost != s->lost)
        fail_msg("%s: %llu segment(s) inferred lost, expected %u", s->name,
                 (unsigned long long)r.lost, s->lost);
    if (r.violations)
        fail_msg("%s: %u statement(s) the packets contradict, first: %s", s->name, r.violations,
                 r.violation[0]);
    int bad = kc_compare(&r, nstat, ss, report, sizeof report);
    /* every retransmission the kernel made in recovery (not after a timeout, not a loss probe)
     * is a fast one; with SACK, IsLost over the sender's scoreboard says so even where fewer
     * than three duplicate ACKs came (samples/loss.pcap: 5, of which 2 before the scoreboard) */
    uint64_t fast = 0;
    if (kc_nstat(nstat, "TcpExtTCPFastRetrans", &fast) < 0)
        fail_msg("%s: no TcpExtTCPFastRetrans in %s", s->name, nstat);
    if (fast != r.fast_retrans)
        fail_msg("%s: %llu fast retransmission(s), the kernel counted %llu", s->name,
                 (unsigned long long)r.fast_retrans, (unsigned long long)fast);
    if (bad)
        fail_msg("%s: %d mismatch(es) with the kernel:\n%s", s->name, bad, report);
    print_message("%s: %llu packets, %llu connection(s)\n%s", s->name,
                  (unsigned long long)r.packets, (unsigned long long)r.conns, report);
}

static void test_samples_match_the_kernel(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++)
        check_sample(&samples[k]);
}

/* Loss is visible: the loss sample's retransmissions follow inferred losses, its intervals are
 * measured, and the synloss sample shows the initial RTO of about 1 s. */
static void test_synloss_shows_initial_rto(void **state)
{
    (void)state;
    static kc_result r;
    char err[256], pcap[512];
    snprintf(pcap, sizeof pcap, "%s/synloss.pcap", SAMPLES_DIR);
    assert_int_equal(kc_replay(pcap, &r, err, sizeof err), 0);
    assert_int_equal(r.syn_retrans, 1);
}

static void test_truncated_at_every_length(void **state)
{
    (void)state;
    static const char *const names[] = {"clean", "finloss"};
    for (size_t k = 0; k < 2; k++) {
        char pcap[512], err[512];
        snprintf(pcap, sizeof pcap, "%s/%s.pcap", SAMPLES_DIR, names[k]);
        FILE *f = fopen(pcap, "rb");
        assert_non_null(f);
        static unsigned char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        static kc_result whole, part;
        assert_int_equal(kc_replay(pcap, &whole, err, sizeof err), 0);
        char tmp[] = "/tmp/tcpsim-trunc-XXXXXX";
        int fd = mkstemp(tmp);
        assert_true(fd >= 0);
        close(fd);
        unsigned errors = 0;
        for (size_t len = 0; len <= n; len++) {
            FILE *o = fopen(tmp, "wb");
            assert_non_null(o);
            assert_int_equal(fwrite(buf, 1, len, o), len);
            fclose(o);
            int rc = kc_replay(tmp, &part, err, sizeof err);
            errors += rc < 0;
            assert_true(part.packets <= whole.packets);
            if (len == n) {
                assert_int_equal(rc, 0);
                assert_int_equal(part.packets, whole.packets);
            }
        }
        unlink(tmp);
        print_message("%s: %zu prefixes replayed, %u ended in a clean read error\n", names[k],
                      n + 1, errors);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_match_the_kernel),
        cmocka_unit_test(test_synloss_shows_initial_rto),
        cmocka_unit_test(test_truncated_at_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
