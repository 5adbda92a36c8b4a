/*
 * pcap_floor.c - the floor for the capture benchmark: a bare libpcap read loop that opens a
 * capture and reads every packet with pcap_next_ex, touching one byte of each, and prints the
 * count.  Nothing that reads a capture through libpcap can be faster.
 */
#define _DEFAULT_SOURCE
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pcap_floor FILE\n");
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "pcap_floor: %s\n", err);
        return 2;
    }
    struct pcap_pkthdr *h;
    const unsigned char *data;
    unsigned long long n = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        n++;
        sum += h->caplen ? data[0] : 0;
    }
    pcap_close(p);
    printf("%llu packets (checksum %llu)\n", n, sum);
    return rc == PCAP_ERROR ? 1 : 0;
}
