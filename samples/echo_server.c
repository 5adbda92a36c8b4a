/* echo_server.c - a small TCP echo server, in the style of the socket tutorials.
 *
 * It listens on ADDR PORT (IPv4 or IPv6), accepts connections and serves each one in a child
 * process: whatever the client sends is written back, and when the client closes its sending
 * side (read() returns 0) the server closes too.  A few options change how a connection ends
 * or how fast the server reads, so that the capture scripts can provoke particular TCP
 * behaviour from the real kernel:
 *
 *   -n N      serve N connections, wait for them all, then exit (default: serve forever)
 *   -c BYTES  server closes first: after echoing BYTES bytes, close without waiting for EOF
 *   -e BYTES  after the client's EOF (half-close), keep sending BYTES more bytes, then close
 *   -k BYTES  ... in chunks of this size (default 1000)
 *   -d MS     ... waiting MS milliseconds before each chunk (default 100)
 *   -p MS     after accepting, wait MS milliseconds before the first read (the receive
 *             buffer fills up; with a small -r the peer sees a zero window)
 *   -r BYTES  SO_RCVBUF for the listening socket (inherited by accepted sockets)
 *   -q        quiet: no per-connection messages on stderr
 *
 * Exit status: 0 when every connection was served without error, 1 otherwise, 2 on bad usage.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct options {
    long connections;     /* -n, 0 = forever */
    long close_after;     /* -c, -1 = off */
    long extra;           /* -e */
    long chunk;           /* -k */
    long chunk_delay_ms;  /* -d */
    long pause_ms;        /* -p */
    long rcvbuf;          /* -r, 0 = default */
    int quiet;            /* -q */
};

static void usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s [-n CONNS] [-c BYTES] [-e BYTES [-k CHUNK] [-d MS]] [-p MS] [-r BYTES] [-q]"
            " ADDR PORT\n",
            prog);
    exit(2);
}

static long parse_num(const char *s, const char *what)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0) {
        fprintf(stderr, "echo_server: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

static void sleep_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Write all of buf; returns 0 or -1 with errno set. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void peer_name(const struct sockaddr_storage *ss, char *out, size_t outlen)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)ss;
        inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
        port = ntohs(sin->sin_port);
        snprintf(out, outlen, "%s:%u", host, port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
        port = ntohs(sin6->sin6_port);
        snprintf(out, outlen, "[%s]:%u", host, port);
    } else {
        snprintf(out, outlen, "?");
    }
}

/* Serve one connection; returns the child's exit status. */
static int serve(int fd, const struct options *o, const char *peer)
{
    char buf[16384];
    long total = 0;

    if (o->pause_ms > 0)
        sleep_ms(o->pause_ms);

    for (;;) {
        size_t want = sizeof buf;
        if (o->close_after >= 0) {
            long left = o->close_after - total;
            if (left <= 0)
                break; /* server closes first */
            if ((size_t)left < want)
                want = (size_t)left;
        }
        ssize_t n = read(fd, buf, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "echo_server: %s: read: %s\n", peer, strerror(errno));
            close(fd);
            return 1;
        }
        if (n == 0) { /* the client closed its sending side */
            long left = o->extra;
            char pattern[4096];
            for (size_t i = 0; i < sizeof pattern; i++)
                pattern[i] = (char)('A' + (int)(i % 26));
            while (left > 0) {
                size_t len = (size_t)(left < o->chunk ? left : o->chunk);
                if (len > sizeof pattern)
                    len = sizeof pattern;
                if (o->chunk_delay_ms > 0)
                    sleep_ms(o->chunk_delay_ms);
                if (write_all(fd, pattern, len) != 0) {
                    fprintf(stderr, "echo_server: %s: write: %s\n", peer, strerror(errno));
                    close(fd);
                    return 1;
                }
                left -= (long)len;
            }
            break;
        }
        if (write_all(fd, buf, (size_t)n) != 0) {
            fprintf(stderr, "echo_server: %s: write: %s\n", peer, strerror(errno));
            close(fd);
            return 1;
        }
        total += n;
    }
    if (!o->quiet)
        fprintf(stderr, "echo_server: %s: echoed %ld bytes, closing\n", peer, total);
    if (close(fd) != 0) {
        fprintf(stderr, "echo_server: %s: close: %s\n", peer, strerror(errno));
        return 1;
    }
    return 0;
}

static int open_listener(const char *addr, const char *port, const struct options *o)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    int rc = getaddrinfo(addr, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "echo_server: %s %s: %s\n", addr, port, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0) {
        perror("echo_server: socket");
        freeaddrinfo(res);
        return -1;
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        perror("echo_server: SO_REUSEADDR");
    if (res->ai_family == AF_INET6 &&
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0)
        perror("echo_server: IPV6_V6ONLY");
    if (o->rcvbuf > 0) {
        int v = (int)o->rcvbuf;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v) != 0)
            perror("echo_server: SO_RCVBUF");
    }
    if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 128) != 0) {
        fprintf(stderr, "echo_server: bind/listen %s %s: %s\n", addr, port, strerror(errno));
        close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    return fd;
}

int main(int argc, char **argv)
{
    struct options o = {0, -1, 0, 1000, 100, 0, 0, 0};
    int c;
    while ((c = getopt(argc, argv, "n:c:e:k:d:p:r:q")) != -1) {
        switch (c) {
        case 'n': o.connections = parse_num(optarg, "connection count"); break;
        case 'c': o.close_after = parse_num(optarg, "byte count"); break;
        case 'e': o.extra = parse_num(optarg, "byte count"); break;
        case 'k': o.chunk = parse_num(optarg, "chunk size"); break;
        case 'd': o.chunk_delay_ms = parse_num(optarg, "delay"); break;
        case 'p': o.pause_ms = parse_num(optarg, "pause"); break;
        case 'r': o.rcvbuf = parse_num(optarg, "buffer size"); break;
        case 'q': o.quiet = 1; break;
        default: usage(argv[0]);
        }
    }
    if (argc - optind != 2 || o.chunk <= 0)
        usage(argv[0]);

    signal(SIGPIPE, SIG_IGN);
    int lfd = open_listener(argv[optind], argv[optind + 1], &o);
    if (lfd < 0)
        return 1;
    if (!o.quiet)
        fprintf(stderr, "echo_server: listening on %s port %s\n", argv[optind], argv[optind + 1]);

    int failed = 0;
    long served = 0, running = 0;
    while (o.connections == 0 || served < o.connections) {
        struct sockaddr_storage peer;
        socklen_t plen = sizeof peer;
        int fd = accept(lfd, (struct sockaddr *)&peer, &plen);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            perror("echo_server: accept");
            failed = 1;
            break;
        }
        char name[INET6_ADDRSTRLEN + 16];
        peer_name(&peer, name, sizeof name);
        if (!o.quiet)
            fprintf(stderr, "echo_server: connection from %s\n", name);
        pid_t pid = fork();
        if (pid < 0) {
            perror("echo_server: fork");
            close(fd);
            failed = 1;
            break;
        }
        if (pid == 0) {
            close(lfd);
            _exit(serve(fd, &o, name));
        }
        close(fd);
        served++;
        running++;
        /* reap finished children without blocking */
        int st;
        pid_t w;
        while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
            running--;
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                failed = 1;
        }
    }
    close(lfd);
    while (running > 0) {
        int st;
        pid_t w = waitpid(-1, &st, 0);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        running--;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            failed = 1;
    }
    return failed ? 1 : 0;
}
