/*
 * kt_case_main.c - what the kernel harness (run.sh) needs to know about a case, from the case
 * file itself (read with tcpsim's parser, checked by kt_case.c):
 *
 *   kt_case check CASE           exit 0 if the kernel run can play the case, else 2 and why
 *   kt_case info CASE            shell assignments: delay_us=, vantage=, server=, drops_client=,
 *                                drops_server= (drops_X: rules dropping segments X sends)
 *   kt_case nft CASE RECEIVER    the nftables ruleset for RECEIVER's namespace (client|server);
 *                                nothing when no rule drops segments going there
 */
#include <stdio.h>
#include <string.h>

#include "kt_case.h"

static int kt_usage(void)
{
    fprintf(stderr, "usage: kt_case check CASE\n"
                    "       kt_case info CASE\n"
                    "       kt_case nft CASE client|server\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return kt_usage();
    const char *cmd = argv[1];
    bool is_nft = strcmp(cmd, "nft") == 0;
    if ((is_nft && argc != 4) || (!is_nft && argc != 3))
        return kt_usage();
    if (!is_nft && strcmp(cmd, "check") != 0 && strcmp(cmd, "info") != 0)
        return kt_usage();
    int receiver = KT_CLIENT;
    if (is_nft) {
        if (strcmp(argv[3], "server") == 0)
            receiver = KT_SERVER;
        else if (strcmp(argv[3], "client") != 0)
            return kt_usage();
    }
    kt_case kc;
    if (kt_case_load(&kc, argv[2], stderr) != 0)
        return 2;
    if (strcmp(cmd, "info") == 0) {
        printf("delay_us=%llu\nvantage=%s\nserver=%d\ndrops_client=%d\ndrops_server=%d\n",
               (unsigned long long)(kc.rtt / 2), kc.vantage == KT_CLIENT ? "client" : "server",
               kc.side[KT_SERVER].n_actions > 0 ? 1 : 0, kc.drops[0], kc.drops[1]);
    } else if (is_nft) {
        kt_case_nft(&kc, receiver, stdout);
    }
    kt_case_free(&kc);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "kt_case: cannot write the output\n");
        return 1;
    }
    return 0;
}
