/*
 * kt_case.h - a kernel comparison case: a tcpsim scenario file (tests/kernel/cases/NAME.tcpsim)
 * read with tcpsim's own parser (sim_parse), checked for what a real kernel run can reproduce,
 * and turned into what the kernel run needs: each side's application actions and settings
 * (kt_peer.c), nftables rules for the drop rules, and the one-way delay of the relay.
 *
 * What a case may say (everything else is refused with the line and the reason, so the kernel
 * run and the simulation can never silently play different things):
 *   - `profile linux`, `rtt`, `name`, `summary`, `description`, `until`;
 *   - the endpoint settings `rcv-buf` and `snd-buf` (SO_RCVBUF / SO_SNDBUF on the kernel socket)
 *     and `nagle off` (TCP_NODELAY);
 *   - the application settings `auto-read`, `echo`, `close-after-eof`;
 *   - actions `at T SIDE listen|connect|write|read|shutdown|close|abort` (only the server
 *     listens, only the client connects);
 *   - `drop SIDE CONDITIONS [nth N] [times N]` with flags, data, no-data, pure-ack. A `seq`
 *     condition is accepted only with the comment `# kernel: after-fin` on the same line and a
 *     range that starts one past the sender's FIN (bytes the side writes + 2): nftables cannot
 *     see ISN-relative numbers, so the kernel rule matches "after this side's FIN was seen".
 * No expectations (a failed one would make tcpsim exit 1 and hide a real error), no random
 * loss, duplication, reordering, bandwidth, ISNs, MSS, timers or addresses.
 *
 * This header uses no sim/ type, so that programs including <netinet/tcp.h> (whose TCP_* state
 * names collide with sim/tcp_state.h) can use it.
 */
#ifndef TCPSIM_KT_CASE_H
#define TCPSIM_KT_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The addresses every kernel run uses: those of tcpsim's scenarios (RFC 5737). */
#define KT_CLIENT_ADDR "192.0.2.1"
#define KT_SERVER_ADDR "192.0.2.2"
#define KT_CLIENT_PORT 49152
#define KT_SERVER_PORT 80

#define KT_MAX_ACTIONS 128
#define KT_TEXT_MAX    64

enum { KT_CLIENT = 0, KT_SERVER = 1 };

typedef enum kt_call {
    KT_LISTEN,
    KT_CONNECT,
    KT_WRITE,
    KT_READ,
    KT_SHUTDOWN,
    KT_CLOSE,
    KT_ABORT,
} kt_call;

typedef struct kt_action {
    uint64_t t; /* us since the start */
    kt_call call;
    uint64_t bytes;         /* write: bytes; read: at most this many (0: all there is) */
    char text[KT_TEXT_MAX]; /* write: the text ("" for filler) */
    int line;
} kt_action;

typedef struct kt_side {
    kt_action actions[KT_MAX_ACTIONS]; /* this side's, in time order */
    size_t n_actions;
    bool auto_read, echo, close_on_eof;
    uint64_t close_delay; /* us */
    bool set_rcvbuf, set_sndbuf, nodelay;
    uint32_t rcvbuf, sndbuf;
} kt_side;

typedef struct kt_case {
    char path[256];
    uint64_t rtt; /* us */
    kt_side side[2];
    int vantage;  /* KT_CLIENT or KT_SERVER: whose capture is compared (kt_case_vantage) */
    int drops[2]; /* drop rules acting on segments each side sends */
    void *script; /* the parsed file (sim_script, heap) */
    bool after_fin[32];
} kt_case;

/* Reads and checks the case file.  Returns 0, or -1 after printing every problem as
 * "FILE:LINE: message" on `err`. */
int kt_case_load(kt_case *kc, const char *path, FILE *err);
void kt_case_free(kt_case *kc);

/* Writes an nftables ruleset (`nft -f` input) for the namespace of side `receiver`: an input
 * chain that drops what the case's rules drop of the segments the *other* side sends.  Writes
 * nothing when no rule concerns that direction.  Returns the number of drop rules written. */
int kt_case_nft(const kt_case *kc, int receiver, FILE *out);

#endif
