/*
 * kt_relay.c - the delay line of the kernel comparison: a path with a fixed one-way delay
 * between two network namespaces, for a kernel without netem.
 *
 * Topology (one case):
 *
 *     namespace A (client)                 this process                namespace B (server)
 *     192.0.2.1  dev kt0  <== TUN fd a ==>  [queue a>b, queue b>a]  <== TUN fd b ==>  dev kt1
 * 192.0.2.2
 *
 * The relay is started in the root namespace.  It enters namespace A (setns), creates the TUN
 * device there (so the device is born inside A and never has to be moved), enters B and creates
 * the second one, then returns to the namespace it came from.  A TUN file descriptor stays tied
 * to its device whatever namespace the process is in, so from then on the relay just moves
 * bytes: every IP packet that A's stack sends into its TUN device is read from fd a, held for
 * the one-way delay and written to fd b, where B's stack receives it as if from a wire; and the
 * same from B to A.  The devices are not persistent: when the relay exits (for any reason) the
 * kernel deletes them, so nothing is left behind.  The caller gives the devices their addresses
 * and brings them up (ip -n NS addr/link) once the relay says "ready".
 *
 * Each direction is a FIFO: the delay is the same for every packet, so order is kept.  A packet
 * is written when CLOCK_MONOTONIC reaches its arrival time + delay; ppoll() sleeps until the
 * first due packet with the timer slack set to 1 ns.  Nothing is ever dropped silently: a full
 * queue or a packet too large for a slot is counted, and the counts are printed at exit (the
 * harness treats a relay drop as a failed run).
 *
 * It stops by itself: after -t seconds, when its parent dies (PR_SET_PDEATHSIG), or on
 * SIGTERM/SIGINT/SIGHUP; at exit it prints one line of counters on stdout.
 *
 * usage: kt_relay -a NS_A -b NS_B [-A DEV_A] [-B DEV_B] [-d DELAY] [-t SECONDS]
 *   DELAY is the one-way delay in microseconds (50000 = 50 ms, a 100 ms round trip).
 * Exit status: 0 after a clean stop with nothing dropped, 1 on failure or drops, 2 bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define RELAY_SLOT    2048    /* bytes per queued packet: the devices' MTU is 1500 */
#define RELAY_SLOTS   4096    /* packets per direction: far more than a case's window */
#define RELAY_LATE_NS 1000000 /* a packet written 1 ms after its time counts as late */

typedef struct relay_pkt {
    uint64_t due; /* ns, CLOCK_MONOTONIC */
    uint16_t len;
    unsigned char data[RELAY_SLOT];
} relay_pkt;

typedef struct relay_dir {
    const char *name; /* "a>b" */
    int in, out;      /* read from in, write to out */
    relay_pkt *q;     /* ring of RELAY_SLOTS */
    size_t head, count;
    unsigned long packets, bytes, dropped_full, dropped_size, write_errors;
    uint64_t late_max;  /* ns: the latest a packet was written after its time */
    unsigned long late; /* packets written more than RELAY_LATE_NS after their time */
} relay_dir;

static volatile sig_atomic_t relay_stop;

static void relay_on_signal(int sig)
{
    (void)sig;
    relay_stop = 1;
}

static uint64_t relay_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void relay_usage(void)
{
    fprintf(stderr, "usage: kt_relay -a NS_A -b NS_B [-A DEV_A] [-B DEV_B] [-d DELAY_US] "
                    "[-t SECONDS]\n");
    exit(2);
}

static long relay_num(const char *s, const char *what, long max)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0 || v > max) {
        fprintf(stderr, "kt_relay: bad %s '%s' (0 .. %ld)\n", what, s, max);
        exit(2);
    }
    return v;
}

/* Enters namespace `ns` (a name under /run/netns) and creates TUN device `dev` there; returns
 * the device's file descriptor (non-blocking) or -1 after printing why. */
static int relay_tun_in(const char *ns, const char *dev)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "/run/netns/%s", ns);
    if (n < 0 || (size_t)n >= sizeof path) {
        fprintf(stderr, "kt_relay: namespace name too long: %s\n", ns);
        return -1;
    }
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) {
        fprintf(stderr, "kt_relay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (setns(nsfd, CLONE_NEWNET) != 0) {
        fprintf(stderr, "kt_relay: setns %s: %s\n", ns, strerror(errno));
        close(nsfd);
        return -1;
    }
    close(nsfd);
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "kt_relay: /dev/net/tun: %s\n", strerror(errno));
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI; /* raw IP packets, no packet-information header */
    if (strlen(dev) >= sizeof ifr.ifr_name) {
        fprintf(stderr, "kt_relay: device name too long: %s\n", dev);
        close(fd);
        return -1;
    }
    memcpy(ifr.ifr_name, dev, strlen(dev));
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        fprintf(stderr, "kt_relay: TUNSETIFF %s in %s: %s\n", dev, ns, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads every packet waiting on d->in into d's queue. Returns -1 on a read error. */
static int relay_read(relay_dir *d, uint64_t delay_ns)
{
    static unsigned char buf[65536];
    for (;;) {
        ssize_t n = read(d->in, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            fprintf(stderr, "kt_relay: %s: read: %s\n", d->name, strerror(errno));
            return -1;
        }
        if (n == 0)
            return 0;
        uint64_t now = relay_now();
        if ((size_t)n > RELAY_SLOT) {
            d->dropped_size++;
            fprintf(stderr, "kt_relay: %s: packet of %zd bytes dropped (slot is %d)\n", d->name, n,
                    RELAY_SLOT);
            continue;
        }
        if (d->count == RELAY_SLOTS) {
            d->dropped_full++;
            continue;
        }
        relay_pkt *p = &d->q[(d->head + d->count) % RELAY_SLOTS];
        p->due = now + delay_ns;
        p->len = (uint16_t)n;
        memcpy(p->data, buf, (size_t)n);
        d->count++;
    }
}

/* Writes the packets of d whose time has come. */
static void relay_flush(relay_dir *d, uint64_t now)
{
    while (d->count > 0 && d->q[d->head].due <= now) {
        relay_pkt *p = &d->q[d->head];
        ssize_t n = write(d->out, p->data, p->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != (ssize_t)p->len) {
            d->write_errors++;
            fprintf(stderr, "kt_relay: %s: write: %s\n", d->name,
                    n < 0 ? strerror(errno) : "short write");
        } else {
            d->packets++;
            d->bytes += p->len;
            uint64_t late = now - p->due;
            if (late > d->late_max)
                d->late_max = late;
            if (late > RELAY_LATE_NS)
                d->late++;
        }
        d->head = (d->head + 1) % RELAY_SLOTS;
        d->count--;
    }
}

int main(int argc, char **argv)
{
    const char *ns_a = NULL, *ns_b = NULL, *dev_a = "kt0", *dev_b = "kt1";
    long delay_us = 50000, timeout_s = 60;
    int c;
    while ((c = getopt(argc, argv, "a:b:A:B:d:t:")) != -1) {
        switch (c) {
        case 'a':
            ns_a = optarg;
            break;
        case 'b':
            ns_b = optarg;
            break;
        case 'A':
            dev_a = optarg;
            break;
        case 'B':
            dev_b = optarg;
            break;
        case 'd':
            delay_us = relay_num(optarg, "delay", 10000000);
            break;
        case 't':
            timeout_s = relay_num(optarg, "timeout", 3600);
            break;
        default:
            relay_usage();
        }
    }
    if (ns_a == NULL || ns_b == NULL || optind != argc)
        relay_usage();

    /* stop with the parent, even if it is killed */
    pid_t parent = getppid();
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
        return 1;
    prctl(PR_SET_TIMERSLACK, 1UL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = relay_on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (home < 0) {
        fprintf(stderr, "kt_relay: /proc/self/ns/net: %s\n", strerror(errno));
        return 1;
    }
    int fa = relay_tun_in(ns_a, dev_a);
    int fb = fa < 0 ? -1 : relay_tun_in(ns_b, dev_b);
    if (setns(home, CLONE_NEWNET) != 0) {
        fprintf(stderr, "kt_relay: setns back: %s\n", strerror(errno));
        return 1;
    }
    close(home);
    if (fa < 0 || fb < 0)
        return 1;

    relay_dir dir[2] = {{.name = "a>b", .in = fa, .out = fb}, {.name = "b>a", .in = fb, .out = fa}};
    for (int i = 0; i < 2; i++) {
        dir[i].q = malloc(sizeof(relay_pkt) * RELAY_SLOTS);
        if (dir[i].q == NULL) {
            fprintf(stderr, "kt_relay: out of memory\n");
            return 1;
        }
    }
    printf("ready\n");
    fflush(stdout);

    uint64_t delay_ns = (uint64_t)delay_us * 1000u;
    uint64_t end = relay_now() + (uint64_t)timeout_s * 1000000000u;
    sigset_t none;
    sigemptyset(&none);
    int rc = 0;
    while (!relay_stop) {
        uint64_t now = relay_now();
        if (now >= end)
            break;
        relay_flush(&dir[0], now);
        relay_flush(&dir[1], now);
        uint64_t wake = end;
        for (int i = 0; i < 2; i++)
            if (dir[i].count > 0 && dir[i].q[dir[i].head].due < wake)
                wake = dir[i].q[dir[i].head].due;
        now = relay_now();
        uint64_t wait = wake > now ? wake - now : 0;
        struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
        struct pollfd pfd[2] = {{fa, POLLIN, 0}, {fb, POLLIN, 0}};
        int n = ppoll(pfd, 2, &ts, &none);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "kt_relay: ppoll: %s\n", strerror(errno));
            rc = 1;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
                fprintf(stderr, "kt_relay: %s: device gone\n", dir[i].name);
                relay_stop = 1;
                rc = 1;
            }
            if ((pfd[i].revents & POLLIN) && relay_read(&dir[i], delay_ns) != 0)
                rc = 1, relay_stop = 1;
        }
    }
    unsigned long lost = 0;
    for (int i = 0; i < 2; i++)
        lost += dir[i].dropped_full + dir[i].dropped_size + dir[i].write_errors;
    uint64_t late_max = dir[0].late_max > dir[1].late_max ? dir[0].late_max : dir[1].late_max;
    printf("kt_relay: a>b %lu packets %lu bytes, b>a %lu packets %lu bytes, dropped %lu, "
           "still queued %zu, late %lu (max %llu us)\n",
           dir[0].packets, dir[0].bytes, dir[1].packets, dir[1].bytes, lost,
           dir[0].count + dir[1].count, dir[0].late + dir[1].late,
           (unsigned long long)(late_max / 1000u));
    fflush(stdout);
    free(dir[0].q);
    free(dir[1].q);
    close(fa);
    close(fb);
    return rc != 0 || lost != 0 ? 1 : 0;
}
