/*
 * cli_version.c - what `tcpsim --version` (-V) prints: tcpsim's version, then the versions of
 * the libpcap and cairo libraries the process runs with (pcap_lib_version and
 * cairo_version_string ask the loaded libraries, not the headers it was built against).  This
 * is the one file of cli/ that includes <pcap.h> and <cairo.h>: it asks the libraries for
 * nothing but their version, so capture/ and render/ keep their interfaces free of them.
 */
#define _DEFAULT_SOURCE /* <pcap/pcap.h> needs u_int & co., hidden by _POSIX_C_SOURCE alone */

#include <cairo.h>
#include <pcap/pcap.h>
#include <stdio.h>

#include "cli_opts.h"

void cli_print_version(FILE *out)
{
    fprintf(out, "tcpsim %s\n", TCPSIM_VERSION);
    fprintf(out, "%s\n", pcap_lib_version()); /* "libpcap version 1.10.3 (with TPACKET_V3)" */
    fprintf(out, "cairo version %s\n", cairo_version_string());
}
