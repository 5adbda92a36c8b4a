/*
 * sim_embed.h - the built-in scenario files as the build embedded them.  The build runs
 * sim_embed.cmake over samples/scenarios/NAME.tcpsim (in the order the built-ins are listed)
 * and generates a C file holding each file's bytes as an array, so the binary carries the very
 * text shipped in samples/ and sim_builtin.c parses it like any scenario file.
 */
#ifndef TCPSIM_SIM_EMBED_H
#define TCPSIM_SIM_EMBED_H

#include <stddef.h>

typedef struct sim_embedded {
    const char *name;          /* file name without .tcpsim */
    const unsigned char *text; /* its bytes, followed by a NUL */
    size_t len;                /* bytes, not counting that NUL */
} sim_embedded;

/* The embedded files, in the order of the built-in list. */
extern const sim_embedded sim_embedded_files[];
extern const size_t sim_embedded_count;

#endif
