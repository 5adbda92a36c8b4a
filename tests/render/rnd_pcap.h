/*
 * rnd_pcap.h - replays a capture file (samples/) into a trace_buf the way `tcpsim --pcap -o`
 * does, so the renderer's tests and tools see real captures: the events of one connection and
 * its trace_meta (title = the file name, addresses, ISNs, one-way delay, vantage point), with the
 * replay's arrivals (recv events) as -o asks for them.
 */
#ifndef TCPSIM_RND_PCAP_H
#define TCPSIM_RND_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* The directory of the repository's sample captures (set by CMake). */
const char *rnd_samples_dir(void);

/* Replays `path` and keeps connection `conn` (numbered from 1; 0: every connection, with the
 * first one's trace_meta) in b, which it initialises.
 * Returns 0, or -1 with a message in err (file unreadable, no such connection). */
int rnd_load_pcap(const char *path, uint32_t conn, trace_buf *b, char *err, size_t errlen);

/* rnd_load_pcap of samples/NAME.pcap. */
int rnd_load_sample(const char *name, uint32_t conn, trace_buf *b, char *err, size_t errlen);

#endif
