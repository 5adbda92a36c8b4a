/*
 * rnd_svg.h - writes a ladder layout as SVG with text as text and a <title> per segment
 * (rnd_svg.c), instead of cairo's SVG surface.
 */
#ifndef TCPSIM_RND_SVG_H
#define TCPSIM_RND_SVG_H

#include "rnd_font.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_paint.h"

/* Writes lay (built from m, measured with f) to path.  Returns 0 or RND_ERUNTIME (err set); on
 * failure no file is left. */
int rnd_svg_write(const rnd_layout *lay, const rnd_fonts *f, const rnd_model *m, const char *path,
                  char *err, size_t errlen);

#endif
