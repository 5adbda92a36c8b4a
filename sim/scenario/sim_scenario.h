/*
 * sim_scenario.h - a scenario: everything the simulator needs to play one connection.
 *
 * Both endpoints' TCP configurations, the link (round-trip time, bandwidth, random loss,
 * duplication and reordering with a seed), rules that act on particular segments (drop the Nth
 * segment a side sends, or segments with given flags or sequence numbers; delay; duplicate),
 * timed application actions (listen, connect, write, read, shutdown, close, abort) and the
 * standing behaviour of each application (read as data arrives, echo, close after the peer
 * closed).  Built-in scenarios fill this struct (sim_builtin.c); scenario files parse into it.
 */
#ifndef TCPSIM_SIM_SCENARIO_H
#define TCPSIM_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp.h"

#define SIM_MAX_ACTIONS 128
#define SIM_MAX_RULES   32
#define SIM_TEXT_MAX    64

/* Which segments a rule looks at: those sent by the client, by the server, or by either. */
typedef enum sim_dir { SIM_FROM_CLIENT = 0, SIM_FROM_SERVER = 1, SIM_FROM_ANY = 2 } sim_dir;

typedef enum sim_rule_action {
    SIM_RULE_DROP,      /* the segment is lost */
    SIM_RULE_DELAY,     /* it arrives `delay` later than it would (reordering) */
    SIM_RULE_DUPLICATE, /* it arrives twice */
} sim_rule_action;

typedef enum sim_rule_data {
    SIM_DATA_ANY,     /* with or without payload */
    SIM_DATA_WITH,    /* only segments that carry payload */
    SIM_DATA_WITHOUT, /* only segments without payload */
} sim_rule_data;

typedef struct sim_rule {
    uint8_t dir;        /* sim_dir */
    uint8_t action;     /* sim_rule_action */
    uint32_t nth;       /* act on the Nth segment (from 1) that meets the other conditions;
                           0 = on every one */
    uint8_t flags_all;  /* all of these flags must be set (0 = no condition) */
    uint8_t flags_none; /* none of these flags may be set */
    uint8_t data;       /* sim_rule_data */
    bool has_seq;       /* only segments whose SEQ is in [seq_lo, seq_hi] */
    uint32_t seq_lo, seq_hi;
    uint32_t times; /* act on at most this many matches (0 = every match) */
    uint64_t delay; /* SIM_RULE_DELAY: extra delay in us */
    double chance;  /* act on a match with this probability, drawn from the seeded generator
                       (0: always) */
    int line;       /* scenario file line, for messages (0 = built-in) */
} sim_rule;

typedef struct sim_action {
    uint64_t t;              /* when, in us */
    uint8_t ep;              /* TRACE_CLIENT or TRACE_SERVER; with hosts: the host's index */
    uint8_t call;            /* tcp_call */
    uint64_t bytes;          /* write: byte count; read: at most this many (0 = all there is);
                                listen: the backlog; bind: the port */
    char text[SIM_TEXT_MAX]; /* write: the text written (bytes = its length) */
    int line;
    /* scenarios with hosts (sim_sock.c): the socket call's operands */
    uint8_t sock;      /* the socket's name (index into sim_scenario.sock_names) */
    uint8_t sock2;     /* accept: the name the new socket gets */
    uint8_t peer_host; /* connect, sendto: the host called */
    uint16_t port;     /* connect, sendto: the port called */
    uint8_t opt;       /* socket: SIM_SOCK_DGRAM; poll: SIM_POLL_* */
} sim_action;

#define SIM_MAX_HOSTS 16
#define SIM_MAX_SOCKS 32
#define SIM_NAME_MAX  8

/* sim_action.opt */
enum { SIM_SOCK_STREAM = 0, SIM_SOCK_DGRAM = 1 };
enum { SIM_POLL_READABLE = 1, SIM_POLL_WRITABLE = 2, SIM_POLL_CONNECTED = 3, SIM_POLL_ACCEPT = 4 };

/* A host of a scenario with hosts: its name in the scenario and its IP address. */
typedef struct sim_host {
    char name[16];
    char ip[48];
} sim_host;

typedef struct sim_app_cfg {
    bool auto_read;       /* read everything as soon as it arrives */
    bool echo;            /* write back everything read */
    bool close_on_eof;    /* close once the peer closed and everything was read */
    uint64_t close_delay; /* ... this long after end of file */
} sim_app_cfg;

typedef struct sim_scenario {
    char name[32];
    char description[128];
    tcp_config tcp[2];  /* client, server */
    char addr[2][48];   /* "192.0.2.1:49152" (RFC 5737 documentation addresses) */
    uint64_t rtt;       /* round-trip propagation delay, us */
    uint64_t bandwidth; /* bits per second, 0 = unlimited */
    double loss;        /* probability that a segment is lost */
    double duplicate;   /* probability that a segment arrives twice */
    double reorder;     /* probability that a segment is held back by reorder_delay */
    uint64_t reorder_delay;
    uint64_t seed;
    uint64_t until; /* stop the simulation at this time (us) */
    sim_app_cfg app[2];
    sim_action actions[SIM_MAX_ACTIONS];
    size_t n_actions;
    sim_rule rules[SIM_MAX_RULES];
    size_t n_rules;
    /* hosts and sockets (sim/net/sim_sock.c): set by `host` statements; with none, the scenario
     * is the one connection between client and server above */
    sim_host hosts[SIM_MAX_HOSTS];
    uint8_t n_hosts;
    char sock_names[SIM_MAX_SOCKS][SIM_NAME_MAX];
    uint8_t n_socks;
    uint16_t port_lo, port_hi; /* ephemeral ports (Linux ip_local_port_range: 32768-60999) */
    bool listen_linux;         /* the listener's queues behave as Linux's (profile linux) */
    bool abort_on_overflow;    /* Linux tcp_abort_on_overflow: RST when the accept queue is full */
    uint8_t syncookies;        /* Linux tcp_syncookies with profile linux: 0 off, 1 (default) a
                                  SYN cookie when the SYN queue is full, 2 for every SYN */
} sim_scenario;

/* Defaults: RFC-default TCP on both sides (ISNs 1000 and 2000), RTT 100 ms, no loss, seed 1,
 * stop after 3600 s, both applications read as data arrives. */
void sim_scenario_default(sim_scenario *sc);
/* Appends an action / a rule; return -1 when the table is full. */
int sim_scenario_add_action(sim_scenario *sc, uint64_t t, uint8_t ep, tcp_call call, uint64_t bytes,
                            const char *text);
int sim_scenario_add_rule(sim_scenario *sc, const sim_rule *r);

/* ---- built-in scenarios (sim_builtin.c) ---- */
typedef struct sim_builtin {
    const char *name;
    const char *summary; /* one line for --list-scenarios */
} sim_builtin;
/* The table of built-ins, terminated by a NULL name. */
const sim_builtin *sim_builtin_list(void);
/* Fills sc with the built-in scenario `name`; returns -1 if there is none. */
int sim_builtin_load(sim_scenario *sc, const char *name);

#endif
