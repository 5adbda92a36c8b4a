/*
 * path_peer.c - one end of a scripted TCP connection for tests/replay/make-paths.sh: the client
 * connects, the server accepts one connection, then each plays its script of steps:
 *
 *   pN      pause N milliseconds
 *   sN      send N bytes (a letter pattern)
 *   rN      read until N bytes have arrived
 *   w       half-close (shutdown SHUT_WR)
 *   e       read until the peer's FIN (EOF)
 *   c       close
 *
 *   path_peer client ADDR PORT SCRIPT     e.g. "p1000 s3000 r3000 p300 w e c"
 *   path_peer server ADDR PORT SCRIPT     e.g. "r3000 p80 s3000 e c"
 *
 * Every socket uses congestion control CUBIC (TCP_CONGESTION; the namespace default here is
 * BBR), Nagle off, so that each send leaves at once.  Exit status 0 when every step succeeded,
 * 1 otherwise (one line on stderr), 2 on bad usage.  Stops by itself after 60 s.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#define _DEFAULT_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void fail(const char *what)
{
    fprintf(stderr, "path_peer: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void setup(int fd)
{
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "cubic", 5) != 0)
        fail("setsockopt TCP_CONGESTION cubic");
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void play(int fd, char *script)
{
    static char buf[1 << 16];
    for (char *tok = strtok(script, " "); tok; tok = strtok(NULL, " ")) {
        long n = tok[1] ? strtol(tok + 1, NULL, 10) : 0;
        switch (tok[0]) {
        case 'p':
            pause_ms(n);
            break;
        case 's':
            while (n > 0) {
                size_t k = n < (long)sizeof buf ? (size_t)n : sizeof buf;
                for (size_t i = 0; i < k; i++)
                    buf[i] = (char)('a' + i % 26);
                ssize_t w = write(fd, buf, k);
                if (w <= 0)
                    fail("write");
                n -= w;
            }
            break;
        case 'r':
            while (n > 0) {
                ssize_t r = read(fd, buf, sizeof buf < (size_t)n ? sizeof buf : (size_t)n);
                if (r <= 0)
                    fail("read");
                n -= r;
            }
            break;
        case 'w':
            if (shutdown(fd, SHUT_WR) != 0)
                fail("shutdown");
            break;
        case 'e':
            for (;;) {
                ssize_t r = read(fd, buf, sizeof buf);
                if (r == 0)
                    break;
                if (r < 0)
                    fail("read to EOF");
            }
            break;
        case 'c':
            close(fd);
            fd = -1;
            break;
        default:
            fprintf(stderr, "path_peer: bad step '%s'\n", tok);
            exit(2);
        }
    }
    if (fd >= 0)
        close(fd);
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[1], "client") != 0 && strcmp(argv[1], "server") != 0)) {
        fprintf(stderr, "usage: path_peer client|server ADDR PORT SCRIPT\n");
        return 2;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) {
        fprintf(stderr, "path_peer: bad address '%s'\n", argv[2]);
        return 2;
    }
    alarm(60);
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0)
        fail("socket");
    setup(fd);
    if (argv[1][0] == 'c') {
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            fail("connect");
        play(fd, argv[4]);
        return 0;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1) != 0)
        fail("bind/listen");
    int c = accept(fd, NULL, NULL);
    if (c < 0)
        fail("accept");
    close(fd);
    play(c, argv[4]);
    return 0;
}
