/*
 * replay_check.c - `replay_check DIR NAME...`: replays DIR/NAME.pcap for each NAME and compares
 * the result with DIR/NAME.nstat and DIR/NAME.ss (see kernel_check.h).  Prints a report per
 * capture; exits 1 if anything disagrees with the kernel, 2 on bad usage or unreadable files.
 * The live test runs it on captures made a moment earlier by samples/make-samples.sh.
 * `replay_check --selfcheck FILE...` only self-checks the replay of any capture (kernel_check.h).
 */
#include <stdio.h>
#include <string.h>

#include "kernel_check.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: replay_check DIR NAME...\n");
        return 2;
    }
    int status = 0;
    if (strcmp(argv[1], "--selfcheck") == 0) {
        /* replay_check --selfcheck FILE...: only the self-check, on any capture */
        for (int i = 2; i < argc; i++) {
            char err[512];
            static kc_result r;
            if (kc_replay(argv[i], &r, err, sizeof err) < 0 && r.packets == 0) {
                printf("unreadable %s: %s\n", argv[i], err);
                continue;
            }
            printf("%s %s: %llu packets, %llu connection(s), %u contradiction(s)\n",
                   r.violations ? "BAD" : "ok", argv[i], (unsigned long long)r.packets,
                   (unsigned long long)r.conns, r.violations);
            for (unsigned k = 0; k < r.violations && k < 4; k++)
                printf("   %s\n", r.violation[k]);
            if (r.violations)
                status = 1;
        }
        return status;
    }
    for (int i = 2; i < argc; i++) {
        char pcap[1024], nstat[1024], ss[1024], err[512], report[4096];
        snprintf(pcap, sizeof pcap, "%s/%s.pcap", argv[1], argv[i]);
        snprintf(nstat, sizeof nstat, "%s/%s.nstat", argv[1], argv[i]);
        snprintf(ss, sizeof ss, "%s/%s.ss", argv[1], argv[i]);
        static kc_result r;
        if (kc_replay(pcap, &r, err, sizeof err) < 0) {
            fprintf(stderr, "replay_check: %s\n", err);
            return 2;
        }
        int bad = kc_compare(&r, nstat, ss, report, sizeof report);
        printf("== %s: %llu packets, %llu connection(s), %s\n%s", argv[i],
               (unsigned long long)r.packets, (unsigned long long)r.conns,
               bad ? "MISMATCH" : "agrees with the kernel", report);
        for (int k = 0; k < r.n_paths && k < 3; k++)
            printf("   path %d: %s\n", k + 1, r.paths[k]);
        if (bad)
            status = 1;
    }
    return status;
}
