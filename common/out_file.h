/*
 * out_file.h - writing an output file so that a failure never leaves half a file: the output goes
 * to a temporary file beside its target and is renamed over it only once complete.  The target is
 * what the path names in the end: a symbolic link's target (the link itself stays), and an
 * existing device, FIFO or socket is written in place (renaming a regular file over /dev/null
 * would replace it).  "-" is standard output.  Used by the diagram and pcap writers.
 *
 * Functions return 0, or -1 after writing "PATH: what went wrong" into err.
 */
#ifndef TCPSIM_OUT_FILE_H
#define TCPSIM_OUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct out_file {
    FILE *fp;     /* write the output here */
    char *tmp;    /* the temporary file, renamed to `target` by out_commit (NULL: in place) */
    char *target; /* the file that receives the output */
    bool is_stdout;
} out_file;

int out_open(out_file *o, const char *path, char *err, size_t errlen);
/* Flushes and closes the output and, for a temporary file, renames it into place.  Releases
 * everything whatever happens (on failure the temporary file is removed). */
int out_commit(out_file *o, const char *path, char *err, size_t errlen);
/* Gives up: closes the output and removes the temporary file. */
void out_abort(out_file *o);

#endif
