/*
 * kt_peer.c - one side of a kernel comparison case, played on the real Linux stack.
 *
 * It reads the case file with tcpsim's parser (kt_case.c), takes the actions of its side and
 * plays them on a real socket at the same times after a common start time T0 (CLOCK_MONOTONIC
 * nanoseconds, the same clock in every network namespace), with the application behaviour the
 * simulator's application has (sim/sim_app.c):
 *   listen    socket, bind 192.0.2.2:80, listen; the first connection is accepted as soon as it
 *             is ready, and the listening socket closed then
 *   connect   socket, bind 192.0.2.1:49152, non-blocking connect to 192.0.2.2:80
 *   write N   N bytes (or the quoted text) handed to the socket; like a blocking write, the
 *             side's later actions wait until the socket has taken them all
 *   read [N]  (auto-read off) reads what has arrived, at most N bytes
 *   shutdown  shutdown(SHUT_WR);   close  close();   abort  SO_LINGER 0 and close (a RST)
 *   auto-read on: reads whatever arrives at once; echo on: writes it back; close-after-eof D:
 *   closes D after reading end of file.
 * Actions wait until the connection exists (the client's until connect() completed, the
 * server's until it accepted).  Every socket gets congestion control "cubic" with
 * TCP_CONGESTION (a namespace's default cannot be set to a CC missing from the root namespace's
 * tcp_allowed_congestion_control), checked with getsockopt once connected; rcv-buf and snd-buf
 * become SO_RCVBUF and SO_SNDBUF when the case sets them, `nagle off` TCP_NODELAY.
 *
 * The program exits once every action ran and its connection is closed (by the case, or by a
 * RST or a refused connect), or with an error after -T seconds (30).  It logs what it did, with
 * times since T0, on stderr.
 *
 * usage: kt_peer CASE client|server T0_NS [-T SECONDS]
 *        kt_peer --start MS HZ  prints a start time T0 at least MS ms from now, aligned to the
 *                               timer wheel of a kernel with HZ ticks a second (kt_start.c),
 *                               and "aligned" or "unaligned"
 * Exit status: 0 done, 1 a socket call failed or the time limit passed, 2 bad usage or case.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kt_case.h"
#include "kt_start.h"

#define KT_CC "cubic"

typedef struct kt_peer {
    const kt_side *side;
    int ep;
    uint64_t t0;
    int lfd, fd;
    bool connecting, connected, done; /* done: the connection is over for this program */
    bool eof;
    bool hup; /* poll reported POLLHUP: the fd is no longer polled (nothing left to wait for) */
    uint64_t close_at; /* close-after-eof: when (ns since t0), UINT64_MAX = not due */
    uint64_t wpend;    /* bytes of the current write still to hand over */
    const char *wtext; /* the write's text, or NULL for filler */
    uint64_t wtext_off;
    uint64_t stream_off; /* bytes written so far (filler position) */
    uint64_t echo_pend;  /* bytes read that echo still has to write back */
    uint64_t read_total;
    size_t next;       /* next action index */
    uint64_t late_max; /* ns: the latest an action ran after its time */
    size_t waited;     /* 1 + index of an action that had to wait (0: none) */
} kt_peer;

static uint64_t kt_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t kt_rel(const kt_peer *p)
{
    uint64_t now = kt_mono();
    return now > p->t0 ? now - p->t0 : 0;
}

static void kt_log(const kt_peer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void kt_log(const kt_peer *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uint64_t t = kt_mono();
    double ms = t >= p->t0 ? (double)(t - p->t0) / 1e6 : -(double)(p->t0 - t) / 1e6;
    fprintf(stderr, "kt_peer %s %10.3f ms: ", p->ep == KT_CLIENT ? "client" : "server", ms);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void kt_fail(const kt_peer *p, const char *what)
{
    kt_log(p, "error: %s: %s", what, strerror(errno));
    exit(1);
}

static void kt_sockopts(kt_peer *p, int fd)
{
    if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, KT_CC, (socklen_t)strlen(KT_CC)) != 0)
        kt_fail(p, "setsockopt TCP_CONGESTION " KT_CC);
    if (p->side->set_rcvbuf) {
        int v = (int)p->side->rcvbuf;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v) != 0)
            kt_fail(p, "setsockopt SO_RCVBUF");
    }
    if (p->side->set_sndbuf) {
        int v = (int)p->side->sndbuf;
        if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof v) != 0)
            kt_fail(p, "setsockopt SO_SNDBUF");
    }
    if (p->side->nodelay) {
        int one = 1;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
            kt_fail(p, "setsockopt TCP_NODELAY");
    }
}

static struct sockaddr_in kt_addr(const char *ip, int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static int kt_socket(kt_peer *p, const char *ip, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        kt_fail(p, "socket");
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        kt_fail(p, "setsockopt SO_REUSEADDR");
    kt_sockopts(p, fd);
    struct sockaddr_in a = kt_addr(ip, port);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
        kt_fail(p, "bind");
    return fd;
}

/* Once connected: the congestion control really is cubic. */
static void kt_connected(kt_peer *p)
{
    char cc[32] = "";
    socklen_t len = sizeof cc - 1;
    if (getsockopt(p->fd, IPPROTO_TCP, TCP_CONGESTION, cc, &len) != 0)
        kt_fail(p, "getsockopt TCP_CONGESTION");
    cc[len < sizeof cc ? len : sizeof cc - 1] = '\0';
    p->connected = true;
    p->connecting = false;
    kt_log(p, "connected, congestion control %s", cc);
    if (strcmp(cc, KT_CC) != 0) {
        kt_log(p, "error: congestion control is %s, not " KT_CC, cc);
        exit(1);
    }
}

static void kt_close(kt_peer *p, bool abort_it)
{
    if (abort_it) {
        struct linger l = {1, 0};
        if (setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0)
            kt_fail(p, "setsockopt SO_LINGER");
    }
    if (close(p->fd) != 0)
        kt_fail(p, "close");
    p->fd = -1;
    p->done = true;
    if (p->lfd >= 0) {
        close(p->lfd);
        p->lfd = -1;
    }
    kt_log(p, "%s", abort_it ? "aborted (RST)" : "closed");
}

/* The connection ended without our close (RST, refused connect). */
static void kt_lost(kt_peer *p, const char *why)
{
    kt_log(p, "connection ended: %s", why);
    close(p->fd);
    p->fd = -1;
    p->done = true;
    if (p->lfd >= 0) {
        close(p->lfd);
        p->lfd = -1;
    }
}

/* Hands the pending write (and echo) to the socket, as far as it takes them. */
static void kt_write_some(kt_peer *p)
{
    static char buf[65536];
    while (p->fd >= 0 && p->connected && (p->wpend > 0 || p->echo_pend > 0)) {
        bool is_echo = p->wpend == 0;
        uint64_t want = is_echo ? p->echo_pend : p->wpend;
        size_t n = want < sizeof buf ? (size_t)want : sizeof buf;
        for (size_t i = 0; i < n; i++) {
            if (!is_echo && p->wtext != NULL) {
                buf[i] = p->wtext[p->wtext_off + i];
            } else {
                /* tcpsim's filler: lines of 63 letters and a newline */
                uint64_t k = p->stream_off + i;
                buf[i] = (k % 64 == 63) ? '\n' : (char)('a' + (int)((k % 64) % 26));
            }
        }
        ssize_t w = write(p->fd, buf, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == ECONNRESET || errno == EPIPE) {
                kt_lost(p, "reset while writing");
                return;
            }
            kt_fail(p, "write");
        }
        if (is_echo) {
            p->echo_pend -= (uint64_t)w;
        } else {
            p->wpend -= (uint64_t)w;
            if (p->wtext != NULL)
                p->wtext_off += (uint64_t)w;
            if (p->wpend == 0)
                kt_log(p, "write complete (%llu bytes in all)",
                       (unsigned long long)(p->stream_off + (uint64_t)w));
        }
        p->stream_off += (uint64_t)w;
    }
}

/* Reads what has arrived, at most `limit` bytes (0: everything). */
/* An end of file read on its arrival (auto-read): how long after the FIN came in.  The FIN
 * carried an ACK, so TCP_INFO's tcpi_last_ack_recv (ms, in jiffies: 4 ms steps at HZ 250) is
 * the time since it.  A peer that wakes that late lets Linux's delayed ACK (40 ms at least)
 * leave before a close-after-eof FIN that would otherwise carry it, and the run plays another
 * case: more than 10 ms counts as lateness, which the harness's slack check rejects. */
static void eof_lateness(kt_peer *p)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(p->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
        return;
    uint64_t since = (uint64_t)ti.tcpi_last_ack_recv * 1000000u;
    if (ti.tcpi_last_ack_recv > 10 && since > p->late_max) {
        p->late_max = since;
        kt_log(p, "read the end of file %u ms after the FIN arrived", ti.tcpi_last_ack_recv);
    }
}

static void kt_read_some(kt_peer *p, uint64_t limit)
{
    static char buf[65536];
    uint64_t got = 0;
    const kt_side *app = p->side;
    while (p->fd >= 0 && !p->eof && (limit == 0 || got < limit)) {
        size_t want = sizeof buf;
        if (limit != 0 && limit - got < want)
            want = (size_t)(limit - got);
        ssize_t n = read(p->fd, buf, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (errno == ECONNRESET) {
                kt_lost(p, "reset");
                return;
            }
            kt_fail(p, "read");
        }
        if (n == 0) {
            p->eof = true;
            if (app->auto_read)
                eof_lateness(p);
            kt_log(p, "read end of file (%llu bytes read in all)",
                   (unsigned long long)(p->read_total + got));
            if (app->close_on_eof)
                p->close_at = kt_rel(p) + app->close_delay * 1000u;
            break;
        }
        got += (uint64_t)n;
        if (app->echo)
            p->echo_pend += (uint64_t)n;
    }
    p->read_total += got;
    if (got > 0 && !app->auto_read)
        kt_log(p, "read %llu bytes", (unsigned long long)got);
}

/* Runs action a; returns false when it has to wait (no connection yet). */
static bool kt_do(kt_peer *p, const kt_action *a)
{
    if (a->call == KT_LISTEN) {
        p->lfd = kt_socket(p, KT_SERVER_ADDR, KT_SERVER_PORT);
        if (listen(p->lfd, 8) != 0)
            kt_fail(p, "listen");
        kt_log(p, "listening");
        return true;
    }
    if (a->call == KT_CONNECT) {
        p->fd = kt_socket(p, KT_CLIENT_ADDR, KT_CLIENT_PORT);
        struct sockaddr_in to = kt_addr(KT_SERVER_ADDR, KT_SERVER_PORT);
        kt_log(p, "connect");
        if (connect(p->fd, (struct sockaddr *)&to, sizeof to) != 0 && errno != EINPROGRESS)
            kt_fail(p, "connect");
        p->connecting = true;
        return true;
    }
    if (p->done) {
        kt_log(p, "skipped an action (line %d): the connection is over", a->line);
        return true;
    }
    if (!p->connected)
        return false;
    switch (a->call) {
    case KT_WRITE:
        p->wpend = a->bytes;
        p->wtext = a->text[0] ? a->text : NULL;
        p->wtext_off = 0;
        kt_log(p, "write %llu", (unsigned long long)a->bytes);
        kt_write_some(p);
        break;
    case KT_READ:
        kt_read_some(p, a->bytes);
        break;
    case KT_SHUTDOWN:
        if (shutdown(p->fd, SHUT_WR) != 0)
            kt_fail(p, "shutdown");
        kt_log(p, "shutdown");
        break;
    case KT_CLOSE:
        kt_close(p, false);
        break;
    case KT_ABORT:
        kt_close(p, true);
        break;
    default:
        break;
    }
    return true;
}

static void kt_usage(void)
{
    fprintf(stderr, "usage: kt_peer CASE client|server T0_NS [-T SECONDS]\n"
                    "       kt_peer --start MS HZ\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--start") == 0) {
        char *e1 = NULL, *e2 = NULL;
        long ms = strtol(argv[2], &e1, 10), hz = strtol(argv[3], &e2, 10);
        uint64_t t0;
        bool aligned;
        if (*e1 != '\0' || *e2 != '\0' || ms < 0 || ms > 60000 ||
            kt_start_time((uint64_t)ms * 1000000u, hz, &t0, &aligned) != 0)
            kt_usage();
        printf("%llu %s\n", (unsigned long long)t0, aligned ? "aligned" : "unaligned");
        return 0;
    }
    if (argc != 4 && !(argc == 6 && strcmp(argv[4], "-T") == 0))
        kt_usage();
    kt_peer p;
    memset(&p, 0, sizeof p);
    p.lfd = p.fd = -1;
    p.close_at = UINT64_MAX;
    if (strcmp(argv[2], "client") == 0)
        p.ep = KT_CLIENT;
    else if (strcmp(argv[2], "server") == 0)
        p.ep = KT_SERVER;
    else
        kt_usage();
    char *end = NULL;
    p.t0 = strtoull(argv[3], &end, 10);
    if (end == argv[3] || *end != '\0')
        kt_usage();
    long limit_s = 30;
    if (argc == 6) {
        limit_s = strtol(argv[5], &end, 10);
        if (end == argv[5] || *end != '\0' || limit_s <= 0 || limit_s > 3600)
            kt_usage();
    }
    kt_case kc;
    if (kt_case_load(&kc, argv[1], stderr) != 0)
        return 2;
    p.side = &kc.side[p.ep];
    signal(SIGPIPE, SIG_IGN);
    const kt_side *app = p.side;
    uint64_t limit = (uint64_t)limit_s * 1000000000u;

    /* everything is timed from T0: sleep until then */
    struct timespec start = {(time_t)(p.t0 / 1000000000u), (long)(p.t0 % 1000000000u)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &start, NULL) == EINTR) {
    }

    for (;;) {
        uint64_t now = kt_rel(&p);
        if (now > limit) {
            kt_log(&p, "error: still running after %ld s", limit_s);
            return 1;
        }
        /* the due actions, in order; a write not yet taken blocks the ones after it */
        if (p.next < p.side->n_actions && p.wpend > 0 && p.side->actions[p.next].t * 1000u <= now)
            p.waited = p.next + 1;
        while (p.next < p.side->n_actions && p.wpend == 0) {
            const kt_action *a = &p.side->actions[p.next];
            if (a->t * 1000u > now)
                break;
            if (!kt_do(&p, a)) {
                p.waited = p.next + 1;
                break;
            }
            /* lateness: of actions that ran on their own time, not of those that waited for
             * the connection or for a blocking write before them */
            if (p.waited != p.next + 1 && now - a->t * 1000u > p.late_max)
                p.late_max = now - a->t * 1000u;
            p.next++;
        }
        if (p.fd >= 0 && p.close_at <= now && p.wpend == 0 && p.echo_pend == 0) {
            kt_close(&p, false);
            p.close_at = UINT64_MAX;
        }
        bool actions_left = p.next < p.side->n_actions;
        if (!actions_left && (p.done || (p.fd < 0 && p.lfd < 0)))
            break;

        /* wait for the socket or the next due time */
        struct pollfd pfd[2];
        nfds_t np = 0;
        if (p.lfd >= 0 && p.fd < 0 && !p.done) {
            pfd[np].fd = p.lfd;
            pfd[np].events = POLLIN;
            np++;
        }
        int conn_slot = -1;
        if (p.fd >= 0 && !p.hup) {
            short ev = 0;
            if (p.connecting || p.wpend > 0 || p.echo_pend > 0)
                ev |= POLLOUT;
            if (p.connected && app->auto_read && !p.eof)
                ev |= POLLIN;
            pfd[np].fd = p.fd;
            pfd[np].events = ev;
            conn_slot = (int)np;
            np++;
        }
        uint64_t wake = limit + 1;
        if (actions_left && p.wpend == 0 && p.side->actions[p.next].t * 1000u < wake)
            wake = p.side->actions[p.next].t * 1000u;
        if (p.close_at < wake)
            wake = p.close_at;
        now = kt_rel(&p);
        uint64_t wait = wake > now ? wake - now : 0;
        struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
        int n = ppoll(pfd, np, &ts, NULL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            kt_fail(&p, "ppoll");
        }
        if (n == 0)
            continue;
        if (np > 0 && pfd[0].fd == p.lfd && (pfd[0].revents & POLLIN)) {
            int fd = accept4(p.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd >= 0) {
                p.fd = fd;
                close(p.lfd);
                p.lfd = -1;
                kt_log(&p, "accepted");
                kt_connected(&p);
            } else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
                kt_fail(&p, "accept");
            }
            continue;
        }
        if (conn_slot < 0 || p.fd < 0)
            continue;
        short rev = pfd[conn_slot].revents;
        if (p.connecting && (rev & (POLLOUT | POLLERR | POLLHUP))) {
            int err = 0;
            socklen_t len = sizeof err;
            if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
                kt_fail(&p, "getsockopt SO_ERROR");
            if (err != 0) {
                kt_lost(&p, strerror(err));
                continue;
            }
            kt_connected(&p);
        }
        if (p.connected && (rev & (POLLIN | POLLHUP | POLLERR)) && app->auto_read)
            kt_read_some(&p, 0);
        if (p.fd >= 0 && p.connected && (p.wpend > 0 || p.echo_pend > 0))
            kt_write_some(&p);
        if (p.fd >= 0 && p.connected && (rev & (POLLERR | POLLHUP))) {
            int err = 0;
            socklen_t len = sizeof err;
            if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0)
                kt_lost(&p, strerror(err));
            else if (rev & POLLHUP)
                p.hup = true;
        }
    }
    kt_log(&p, "done (%llu bytes written, %llu read); actions late by at most %llu us",
           (unsigned long long)p.stream_off, (unsigned long long)p.read_total,
           (unsigned long long)(p.late_max / 1000u));
    kt_case_free(&kc);
    return 0;
}
