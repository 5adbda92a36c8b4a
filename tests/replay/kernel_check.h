/*
 * kernel_check.h - replays a capture through the real replay code and compares it with what the
 * Linux kernel itself counted while the capture was made: the retransmitted segments
 * (nstat TcpRetransSegs), the resets sent (TcpOutRsts), the SYN retransmissions
 * (TcpExtTCPSynRetrans) and the endpoints `ss -tan state time-wait` showed in TIME-WAIT.
 * Shared by the sample tests and by the live test that makes fresh captures.
 */
#ifndef TCPSIM_TEST_KERNEL_CHECK_H
#define TCPSIM_TEST_KERNEL_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define KC_MAX_CONNS 64

typedef struct kc_result {
    uint64_t packets, conns, retrans, rst, syn_retrans;
    uint64_t fast_retrans; /* retransmissions tagged fast, both directions */
    uint64_t lost;         /* segments inferred lost after the capture point, both directions */
    int n_tw;
    char tw[KC_MAX_CONNS][64]; /* endpoints left in TIME-WAIT, "127.0.0.1:5555" */
    int n_paths;
    char paths[KC_MAX_CONNS][512]; /* "CLOSED>SYN-SENT>... | LISTEN>..." per connection */
    /* the self-check: statements the packets contradict (none expected) */
    unsigned violations;
    char violation[4][256]; /* the first few */
} kc_result;

/* Replays `pcap`; 0, or -1 with err set (the file could not be read).  Also self-checks the
 * replay against its own packets: no endpoint acknowledges a FIN it is not taken to have
 * received, no state path holds a transition RFC 9293 does not have, no segment is reported lost
 * after the other side acknowledged it (`violations`). */
int kc_replay(const char *pcap, kc_result *out, char *err, size_t errlen);
/* The value of counter `name` in an `nstat -az` file; 0, or -1 if absent. */
int kc_nstat(const char *path, const char *name, uint64_t *v);
/* The Local Address:Port column of an `ss -tan state time-wait` file, sorted. Returns the
 * count, or -1 if the file cannot be read. */
int kc_ss_time_wait(const char *path, char out[][64], int max);
/* Compares a replay with the kernel's files; returns the number of mismatches and writes a
 * line per check into report (checks that hold are marked "ok"). */
int kc_compare(const kc_result *r, const char *nstat, const char *ss, char *report, size_t size);

#endif
