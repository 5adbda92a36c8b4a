/*
 * tcp_state.h - the eleven connection states of RFC 9293 section 3.3.2, spelled as the RFC
 * spells them, plus the names of the timers and application calls that the trace reports.
 */
#ifndef TCPSIM_TCP_STATE_H
#define TCPSIM_TCP_STATE_H

typedef enum tcp_state {
    TCP_CLOSED,
    TCP_LISTEN,
    TCP_SYN_SENT,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
    TCP_STATE_COUNT
} tcp_state;

typedef enum tcp_timer_kind {
    TCP_TIMER_NONE,
    TCP_TIMER_RTO,       /* retransmission timer (RFC 6298) */
    TCP_TIMER_PERSIST,   /* zero-window probe timer (RFC 9293 3.8.6.1) */
    TCP_TIMER_DELACK,    /* delayed acknowledgment (RFC 1122 4.2.3.2) */
    TCP_TIMER_TIME_WAIT, /* 2 x MSL (RFC 9293 3.6) */
    TCP_TIMER_TLP,       /* tail loss probe (RFC 8985 7.2) */
    TCP_TIMER_REORDER,   /* RACK reordering window (RFC 8985 6.3) */
    TCP_TIMER_COUNT
} tcp_timer_kind;

typedef enum tcp_call {
    TCP_CALL_LISTEN,
    TCP_CALL_CONNECT,
    TCP_CALL_WRITE,
    TCP_CALL_READ,
    TCP_CALL_SHUTDOWN,
    TCP_CALL_CLOSE,
    TCP_CALL_ABORT,
    /* the socket API of scenarios with hosts (sim/net/sim_sock.c) */
    TCP_CALL_SOCKET,
    TCP_CALL_BIND,
    TCP_CALL_ACCEPT,
    TCP_CALL_POLL,
    TCP_CALL_NONBLOCK,
    TCP_CALL_SENDTO,
    TCP_CALL_RECVFROM,
    TCP_CALL_COUNT
} tcp_call;

/* "SYN-RECEIVED" etc.; "?" for an out-of-range value. */
const char *tcp_state_name(tcp_state s);
/* Parses an RFC state name; returns -1 if unknown. */
int tcp_state_parse(const char *name);
/* "rto", "persist", "delack", "time-wait", "tlp", "reorder". */
const char *tcp_timer_name(tcp_timer_kind k);
/* "listen", "connect", "write", ..., "socket", "bind", "accept", "poll", ... */
const char *tcp_call_name(tcp_call c);

#endif
