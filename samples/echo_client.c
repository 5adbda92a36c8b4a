/* echo_client.c - a small TCP echo client, in the style of the socket tutorials.
 *
 * It connects to ADDR PORT (IPv4 or IPv6), writes a message (or N bytes of a letter pattern),
 * reads the echo back, checks it, and closes.  With -c it runs several connections at the same
 * time (one poll() loop, non-blocking sockets).  Options:
 *
 *   -m TEXT   the message to send (default "hello, tcpsim\n")
 *   -n BYTES  send BYTES bytes of the pattern "abc...z" instead of a message
 *   -c N      open N connections at once (default 1)
 *   -s        half-close: shutdown(SHUT_WR) after writing everything, then read until the
 *             server closes (the server may send more than the echo)
 *   -w        wait for the server to close first: after the echo, read until EOF, then close
 *   -q        quiet: no per-connection messages on stderr
 *
 * Without -s or -w the client closes first, as soon as the whole echo has arrived.
 * Exit status: 0 when every connection succeeded and every echo matched, 1 otherwise
 * (for example "Connection refused"), 2 on bad usage.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

enum phase { CONNECTING, RUNNING, DONE, FAILED };

struct conn {
    int fd;
    enum phase phase;
    size_t sent;      /* bytes written so far */
    size_t received;  /* bytes read so far (echo + anything after it) */
    int shut;         /* shutdown(SHUT_WR) done */
};

static const char *msg = "hello, tcpsim\n";
static size_t total;        /* bytes each connection sends */
static int use_pattern;     /* -n given */
static int half_close;      /* -s */
static int wait_eof;        /* -w */
static int quiet;           /* -q */

static char expected_byte(size_t i)
{
    return use_pattern ? (char)('a' + (int)(i % 26)) : msg[i];
}

static void usage(const char *prog)
{
    fprintf(stderr, "usage: %s [-m TEXT | -n BYTES] [-c CONNS] [-s | -w] [-q] ADDR PORT\n", prog);
    exit(2);
}

static long parse_num(const char *s, const char *what)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0) {
        fprintf(stderr, "echo_client: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

static void finish(struct conn *c, enum phase p)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->phase = p;
}

static void fail(struct conn *c, int idx, const char *what, int err)
{
    fprintf(stderr, "echo_client: connection %d: %s: %s\n", idx, what, strerror(err));
    finish(c, FAILED);
}

/* Write as much as the socket takes. */
static void do_write(struct conn *c, int idx)
{
    char buf[16384];
    while (c->sent < total) {
        size_t len = total - c->sent;
        if (len > sizeof buf)
            len = sizeof buf;
        for (size_t i = 0; i < len; i++)
            buf[i] = expected_byte(c->sent + i);
        ssize_t n = write(c->fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            fail(c, idx, "write", errno);
            return;
        }
        c->sent += (size_t)n;
    }
    if (half_close && !c->shut) {
        if (shutdown(c->fd, SHUT_WR) != 0) {
            fail(c, idx, "shutdown", errno);
            return;
        }
        c->shut = 1;
    }
}

/* Read what is there; check the echo; close when the connection is complete. */
static void do_read(struct conn *c, int idx)
{
    char buf[16384];
    for (;;) {
        ssize_t n = read(c->fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            fail(c, idx, "read", errno);
            return;
        }
        if (n == 0) { /* the server closed */
            if (c->received < total) {
                fprintf(stderr, "echo_client: connection %d: EOF after %zu of %zu bytes\n", idx,
                        c->received, total);
                finish(c, FAILED);
                return;
            }
            if (!quiet)
                fprintf(stderr, "echo_client: connection %d: %zu bytes back, server closed\n",
                        idx, c->received);
            finish(c, DONE);
            return;
        }
        for (size_t i = 0; i < (size_t)n; i++) {
            size_t pos = c->received + i;
            if (pos < total && buf[i] != expected_byte(pos)) {
                fprintf(stderr, "echo_client: connection %d: echo differs at byte %zu\n", idx,
                        pos);
                finish(c, FAILED);
                return;
            }
        }
        c->received += (size_t)n;
        if (c->received > total && !half_close && !wait_eof) {
            fprintf(stderr, "echo_client: connection %d: more bytes than sent\n", idx);
            finish(c, FAILED);
            return;
        }
        if (c->received == total && c->sent == total && !half_close && !wait_eof) {
            if (!quiet)
                fprintf(stderr, "echo_client: connection %d: %zu bytes echoed, closing\n", idx,
                        c->received);
            finish(c, DONE); /* the client closes first */
            return;
        }
    }
}

static int start(struct conn *c, int idx, const struct addrinfo *ai)
{
    c->fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (c->fd < 0) {
        fail(c, idx, "socket", errno);
        return -1;
    }
    int fl = fcntl(c->fd, F_GETFL);
    if (fl < 0 || fcntl(c->fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        fail(c, idx, "fcntl", errno);
        return -1;
    }
    if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        c->phase = RUNNING;
    } else if (errno == EINPROGRESS) {
        c->phase = CONNECTING;
    } else {
        fail(c, idx, "connect", errno);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long nconn = 1;
    int ch;
    while ((ch = getopt(argc, argv, "m:n:c:swq")) != -1) {
        switch (ch) {
        case 'm': msg = optarg; use_pattern = 0; break;
        case 'n': total = (size_t)parse_num(optarg, "byte count"); use_pattern = 1; break;
        case 'c': nconn = parse_num(optarg, "connection count"); break;
        case 's': half_close = 1; break;
        case 'w': wait_eof = 1; break;
        case 'q': quiet = 1; break;
        default: usage(argv[0]);
        }
    }
    if (argc - optind != 2 || nconn < 1 || nconn > 10000)
        usage(argv[0]);
    if (!use_pattern)
        total = strlen(msg);

    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    int rc = getaddrinfo(argv[optind], argv[optind + 1], &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "echo_client: %s %s: %s\n", argv[optind], argv[optind + 1],
                gai_strerror(rc));
        return 2;
    }

    signal(SIGPIPE, SIG_IGN);
    size_t n = (size_t)nconn;
    struct conn *conns = calloc(n, sizeof *conns);
    struct pollfd *pfds = calloc(n, sizeof *pfds);
    size_t *which = calloc(n, sizeof *which); /* pfds[k] belongs to conns[which[k]] */
    if (conns == NULL || pfds == NULL || which == NULL) {
        perror("echo_client: calloc");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        start(&conns[i], (int)i, res);
    freeaddrinfo(res);

    for (;;) {
        nfds_t np = 0;
        for (size_t i = 0; i < n; i++) {
            struct conn *c = &conns[i];
            if (c->phase != CONNECTING && c->phase != RUNNING)
                continue;
            pfds[np].fd = c->fd;
            pfds[np].events = POLLIN;
            if (c->phase == CONNECTING || c->sent < total || (half_close && !c->shut))
                pfds[np].events = (short)(pfds[np].events | POLLOUT);
            pfds[np].revents = 0;
            which[np] = i;
            np++;
        }
        if (np == 0)
            break;
        if (poll(pfds, np, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("echo_client: poll");
            return 1;
        }
        for (nfds_t k = 0; k < np; k++) {
            if (pfds[k].revents == 0)
                continue;
            struct conn *c = &conns[which[k]];
            int idx = (int)which[k];
            if (c->phase == CONNECTING) {
                int err = 0;
                socklen_t len = sizeof err;
                if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
                    err = errno;
                if (err != 0) {
                    fail(c, idx, "connect", err);
                    continue;
                }
                c->phase = RUNNING;
            }
            if (c->phase == RUNNING && (c->sent < total || (half_close && !c->shut)))
                do_write(c, idx);
            if (c->phase == RUNNING && (pfds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                do_read(c, idx);
        }
    }

    int failed = 0;
    for (size_t i = 0; i < n; i++)
        if (conns[i].phase != DONE)
            failed++;
    if (!quiet || failed)
        fprintf(stderr, "echo_client: %zu of %zu connections succeeded\n", n - (size_t)failed, n);
    free(conns);
    free(pfds);
    free(which);
    return failed ? 1 : 0;
}
