/*
 * kt_start.c - the common start time T0 of a kernel run, placed at a fixed phase of the kernel's
 * timer wheel so that the kernel's timers round the same way in every run.
 *
 * Why: Linux's TCP timers (retransmission, SYN,ACK, delayed ACK, probes) are timer_list timers
 * counted in jiffies, and the timer wheel rounds a timer's expiry up to its level's
 * granularity, which for a timer of 64 to 504 jiffies (256 ms to 2 s at HZ 250) is 8 jiffies:
 * the timer fires at the next multiple of 8 jiffies after its expiry.  How late a 1 s timer
 * fires (0 to 32 ms here) therefore depends on where in that 8-jiffy grid it was armed, and
 * two timers that expire close together (the client's SYN timeout and the server's SYN,ACK
 * timeout when the SYN,ACK is lost: both 1 s, half a round trip apart, so the resent SYN
 * reaches the server just when its own timer expires) fire in an order that depends on it.
 * Measured: with a random start, the lost-SYN,ACK case gave two different packet sequences.
 *
 * How: jiffy boundaries fall on multiples of the tick period in CLOCK_MONOTONIC (the tick is
 * aligned to a multiple of TICK_NSEC when it is set up).  /proc/timer_list prints the time
 * ("now at N nsecs") and the jiffies counter; from them, the jiffies value of any time.  T0 is
 * then chosen 0.75 ms into the first jiffy of an 8-jiffy group, so that the client's connect()
 * (about 0.25 ms after T0) and the SYN's arrival half a round trip later both fall about 1 ms
 * away from a jiffy boundary (with a 50 ms one-way delay: 12.5 jiffies at HZ 250).
 * When /proc/timer_list cannot be read, T0 is not aligned (and kt_start_time says so).
 */
#include "kt_start.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t kt_start_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One reading of (now, jiffies) from /proc/timer_list; 0 or -1. */
static int kt_start_sample(uint64_t *now_ns, uint64_t *jiffies)
{
    FILE *f = fopen("/proc/timer_list", "r");
    if (f == NULL)
        return -1;
    char line[256];
    bool have_now = false, have_j = false;
    while (fgets(line, sizeof line, f) != NULL && !(have_now && have_j)) {
        unsigned long long v;
        if (!have_now && sscanf(line, "now at %llu nsecs", &v) == 1) {
            *now_ns = v;
            have_now = true;
        } else if (!have_j && sscanf(line, "jiffies: %llu", &v) == 1) {
            *jiffies = v;
            have_j = true;
        }
    }
    fclose(f);
    return have_now && have_j ? 0 : -1;
}

int kt_start_time(uint64_t delay_ns, long hz, uint64_t *t0, bool *aligned)
{
    if (hz <= 0 || hz > 10000)
        return -1;
    uint64_t tick = 1000000000u / (uint64_t)hz;
    *aligned = false;
    /* c = jiffies - floor(now / tick); two readings must agree (a tick may pass between the
     * time and the counter being printed) */
    int64_t c = 0;
    for (int tries = 0; tries < 5 && !*aligned; tries++) {
        uint64_t n1, j1, n2, j2;
        if (kt_start_sample(&n1, &j1) != 0 || kt_start_sample(&n2, &j2) != 0)
            break;
        int64_t c1 = (int64_t)j1 - (int64_t)(n1 / tick);
        int64_t c2 = (int64_t)j2 - (int64_t)(n2 / tick);
        if (c1 == c2) {
            c = c1;
            *aligned = true;
        }
    }
    uint64_t earliest = kt_start_mono() + delay_ns;
    if (!*aligned) {
        *t0 = earliest;
        return 0;
    }
    /* the first tick k >= earliest/tick with (k + c) % 8 == 0, then 0.75 ms into it */
    uint64_t k = earliest / tick + 1;
    while (((int64_t)k + c) % 8 != 0)
        k++;
    *t0 = k * tick + 750000u;
    return 0;
}
