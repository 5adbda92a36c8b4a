/*
 * kt_path.c - checks that a kernel run's path really was a fixed delay: every packet of the
 * client's capture (kt0) appears in the server's capture (kt1) one one-way delay later, and the
 * other way round, in the same order and with the same headers.
 *
 * Both captures are stamped by the same machine's clock at the devices: a packet the client
 * sends is stamped when it leaves the client's stack, and again when the relay hands it to the
 * server's stack.  The difference is the delay the packet really had, whatever made it late
 * (the relay woken late for reading or for writing, the CPU busy with something else).  A run
 * whose delays stray more than --slack (1 ms) from the intended one is not a clean run of the
 * case and is made again (run.sh).  nftables drops a packet after the capture point, so a
 * dropped packet is in both captures too.
 *
 * usage: kt_path [--slack US] CLIENT.pcap SERVER.pcap DELAY_US
 * Prints one line: packets checked, the largest deviation, and the first packet out of bounds.
 * Exit status: 0 within bounds, 1 not, 2 bad usage or unreadable capture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_pcap.h"

static void kt_usage(void)
{
    fprintf(stderr, "usage: kt_path [--slack US] CLIENT.pcap SERVER.pcap DELAY_US\n");
    exit(2);
}

static long kt_num(const char *s)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 0 || v > 100000000)
        kt_usage();
    return v;
}

int main(int argc, char **argv)
{
    long slack = 1000;
    int i = 1;
    if (argc > 2 && strcmp(argv[1], "--slack") == 0) {
        slack = kt_num(argv[2]);
        i = 3;
    }
    if (argc - i != 3)
        kt_usage();
    const char *file[2] = {argv[i], argv[i + 1]};
    long delay = kt_num(argv[i + 2]);
    kt_conn c[2];
    char err[512];
    for (int k = 0; k < 2; k++)
        if (kt_pcap_load(file[k], &c[k], err, sizeof err) != 0) {
            fprintf(stderr, "kt_path: %s\n", err);
            if (k == 1)
                kt_pcap_free(&c[0]);
            return 2;
        }
    /* per direction, the Kth packet at the sender's device is the Kth at the receiver's (the
     * relay keeps order and loses nothing); their capture times (wall clock, same machine)
     * give the delay it had */
    int rc = 0;
    long worst = 0;
    size_t checked = 0;
    char first[256] = "";
    for (int d = 0; d < 2 && rc == 0; d++) {
        /* sender's capture: client for c>s, server for s>c */
        const kt_conn *snd = &c[d == KT_C2S ? 0 : 1], *rcv = &c[d == KT_C2S ? 1 : 0];
        size_t a = 0, b = 0;
        for (;;) {
            while (a < snd->n && snd->seg[a].dir != d)
                a++;
            while (b < rcv->n && rcv->seg[b].dir != d)
                b++;
            if (a >= snd->n || b >= rcv->n) {
                if (a < snd->n || b < rcv->n) {
                    snprintf(first, sizeof first, "%s: %s has more packets than %s",
                             d == KT_C2S ? "c>s" : "s>c", a < snd->n ? file[d] : file[1 - d],
                             a < snd->n ? file[1 - d] : file[d]);
                    rc = 1;
                }
                break;
            }
            const kt_seg *x = &snd->seg[a], *y = &rcv->seg[b];
            if (x->seq != y->seq || x->ack != y->ack || x->flags != y->flags || x->len != y->len) {
                snprintf(first, sizeof first, "%s: packet %zu of %s is not packet %zu of %s",
                         d == KT_C2S ? "c>s" : "s>c", x->frame, file[d == KT_C2S ? 0 : 1], y->frame,
                         file[d == KT_C2S ? 1 : 0]);
                rc = 1;
                break;
            }
            long oneway = (long)(y->wall - x->wall);
            long dev = oneway > delay ? oneway - delay : delay - oneway;
            if (dev > worst)
                worst = dev;
            if (dev > slack && first[0] == '\0') {
                snprintf(first, sizeof first,
                         "%s: packet %zu of %s took %.3f ms (intended %.3f ms)",
                         d == KT_C2S ? "c>s" : "s>c", x->frame, file[d == KT_C2S ? 0 : 1],
                         (double)oneway / 1000.0, (double)delay / 1000.0);
                rc = 1;
            }
            checked++;
            a++;
            b++;
        }
    }
    printf("kt_path: %zu packets, largest deviation from %.3f ms: %.3f ms%s%s\n", checked,
           (double)delay / 1000.0, (double)worst / 1000.0, first[0] ? "; " : "", first);
    kt_pcap_free(&c[0]);
    kt_pcap_free(&c[1]);
    return rc;
}
