/*
 * pcap_bulk.c - the two programs of the bulk benchmark capture (bench/make-capture.sh --bulk).
 *
 *   pcap_bulk server ADDR PORT N CC        accepts N connections, reads each to its end, closes
 *   pcap_bulk client ADDR PORT N BYTES CC RATE
 *       opens N connections at once, sends BYTES on each (paced to RATE bytes per second each with
 *       SO_MAX_PACING_RATE, so that tcpdump keeps up; 0: no limit), half-closes, waits for the
 *       server's FIN, closes
 *
 * Every socket gets congestion control CC with TCP_CONGESTION before it connects or listens
 * (a network namespace's default can only be one of the root namespace's allowed ones, so the
 * namespace sysctl cannot pick it), and the connected sockets are checked to use it.  One poll()
 * loop, non-blocking sockets; exit status 0 when every connection carried all its bytes, 1 on
 * any failure (with a one-line message), 2 on bad usage.  Stops by itself after 120 s.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#define _DEFAULT_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1000

static void fail(const char *what)
{
    fprintf(stderr, "pcap_bulk: %s: %s\n", what, strerror(errno));
    exit(1);
}

static long num(const char *s, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0) {
        fprintf(stderr, "pcap_bulk: bad %s '%s'\n", what, s);
        exit(2);
    }
    return v;
}

static void set_cc(int fd, const char *cc)
{
    if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, (socklen_t)strlen(cc)) != 0)
        fail("setsockopt TCP_CONGESTION");
}

static void check_cc(int fd, const char *cc)
{
    char got[32] = {0};
    socklen_t len = sizeof got - 1;
    if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, got, &len) != 0)
        fail("getsockopt TCP_CONGESTION");
    if (strcmp(got, cc) != 0) {
        fprintf(stderr, "pcap_bulk: congestion control is %s, not %s\n", got, cc);
        exit(1);
    }
}

static void nonblock(int fd)
{
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
        fail("fcntl");
}

static int serve(struct sockaddr_in *sa, int n, const char *cc)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (lfd < 0)
        fail("socket");
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    set_cc(lfd, cc);
    if (bind(lfd, (struct sockaddr *)sa, sizeof *sa) != 0 || listen(lfd, MAX_CONNS) != 0)
        fail("bind/listen");
    nonblock(lfd);
    struct pollfd p[MAX_CONNS + 1];
    int nfd = 1, accepted = 0, done = 0;
    p[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
    static char buf[1 << 16];
    while (done < n) {
        if (poll(p, (nfds_t)nfd, 1000) < 0 && errno != EINTR)
            fail("poll");
        if ((p[0].revents & POLLIN) && accepted < n) {
            int fd;
            while (accepted < n && (fd = accept(lfd, NULL, NULL)) >= 0) {
                check_cc(fd, cc);
                nonblock(fd);
                p[nfd++] = (struct pollfd){.fd = fd, .events = POLLIN};
                accepted++;
            }
        }
        for (int i = 1; i < nfd; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r;
            while ((r = read(p[i].fd, buf, sizeof buf)) > 0)
                ;
            if (r == 0 || (r < 0 && errno != EAGAIN)) {
                if (r < 0)
                    fail("read");
                close(p[i].fd); /* the client half-closed: close our side */
                p[i].fd = -1;
                done++;
            }
        }
    }
    close(lfd);
    return 0;
}

struct cli {
    int fd;
    long left;
    int phase; /* 0 connecting, 1 sending, 2 waiting for EOF, 3 done */
};

static int client(struct sockaddr_in *sa, int n, long bytes, const char *cc, long rate)
{
    static struct cli c[MAX_CONNS];
    struct pollfd p[MAX_CONNS];
    static char buf[1 << 16];
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < n; i++) {
        c[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        if (c[i].fd < 0)
            fail("socket");
        set_cc(c[i].fd, cc);
        unsigned int r = (unsigned int)rate;
        if (rate > 0 && setsockopt(c[i].fd, SOL_SOCKET, SO_MAX_PACING_RATE, &r, sizeof r) != 0)
            fail("setsockopt SO_MAX_PACING_RATE");
        nonblock(c[i].fd);
        if (connect(c[i].fd, (struct sockaddr *)sa, sizeof *sa) != 0 && errno != EINPROGRESS)
            fail("connect");
        c[i].left = bytes;
        c[i].phase = 0;
    }
    int done = 0;
    while (done < n) {
        for (int i = 0; i < n; i++)
            p[i] = (struct pollfd){.fd = c[i].phase == 3 ? -1 : c[i].fd,
                                   .events = c[i].phase <= 1 ? POLLOUT : POLLIN};
        if (poll(p, (nfds_t)n, 1000) < 0 && errno != EINTR)
            fail("poll");
        for (int i = 0; i < n; i++) {
            if (c[i].phase == 3 || !p[i].revents)
                continue;
            if (c[i].phase == 0) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(c[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err != 0) {
                    errno = err;
                    fail("connect");
                }
                check_cc(c[i].fd, cc);
                c[i].phase = 1;
            }
            if (c[i].phase == 1) {
                while (c[i].left > 0) {
                    size_t want = c[i].left < (long)sizeof buf ? (size_t)c[i].left : sizeof buf;
                    ssize_t w = write(c[i].fd, buf, want);
                    if (w < 0) {
                        if (errno == EAGAIN)
                            break;
                        fail("write");
                    }
                    c[i].left -= w;
                }
                if (c[i].left == 0) {
                    shutdown(c[i].fd, SHUT_WR);
                    c[i].phase = 2;
                }
            } else if (c[i].phase == 2) {
                ssize_t r = read(c[i].fd, buf, sizeof buf);
                if (r == 0) {
                    close(c[i].fd);
                    c[i].phase = 3;
                    done++;
                } else if (r < 0 && errno != EAGAIN) {
                    fail("read");
                }
            }
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 6 || (strcmp(argv[1], "server") != 0 && strcmp(argv[1], "client") != 0) ||
        (strcmp(argv[1], "client") == 0 && argc != 8) ||
        (strcmp(argv[1], "server") == 0 && argc != 6)) {
        fprintf(stderr,
                "usage: pcap_bulk server ADDR PORT N CC | client ADDR PORT N BYTES CC RATE\n");
        return 2;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)num(argv[3], "port"));
    if (inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) {
        fprintf(stderr, "pcap_bulk: bad address '%s'\n", argv[2]);
        return 2;
    }
    long n = num(argv[4], "connection count");
    if (n < 1 || n > MAX_CONNS) {
        fprintf(stderr, "pcap_bulk: connection count must be 1..%d\n", MAX_CONNS);
        return 2;
    }
    alarm(120);
    if (argv[1][0] == 's')
        return serve(&sa, (int)n, argv[5]);
    return client(&sa, (int)n, num(argv[5], "byte count"), argv[6], num(argv[7], "rate"));
}
