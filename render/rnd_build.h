/*
 * rnd_build.h - the ladder pipeline up to the layout, shared by the painters that write a file
 * (rnd_ladder.c: PNG, SVG, PDF; rnd_json.c: the layout JSON): trace -> model -> style and fonts ->
 * layout, with the error message each step gives.
 */
#ifndef TCPSIM_RND_BUILD_H
#define TCPSIM_RND_BUILD_H

#include <stddef.h>

#include "rnd.h"
#include "rnd_font.h"
#include "rnd_layout.h"
#include "rnd_model.h"

typedef struct rnd_built {
    rnd_model m;
    rnd_style st;
    rnd_fonts fonts;
    rnd_layout lay;
} rnd_built;

/* Builds the model, the fonts and the layout of `tr` for the file `path` (named in messages).
 * Returns 0, or an RND_E* code with the message in err; on failure nothing is left to free. */
int rnd_built_make(rnd_built *b, const trace_buf *tr, const rnd_options *opts, const char *path,
                   char *err, size_t errlen);
void rnd_built_free(rnd_built *b);

#endif
