/*
 * rnd_font.h - the fonts of the diagrams as cairo font faces, and the text measuring function
 * that the pure layouts are given.  Metrics are unhinted so that a label measures the same in
 * PNG, SVG and PDF and at every PNG scale.
 */
#ifndef TCPSIM_RND_FONT_H
#define TCPSIM_RND_FONT_H

#include <cairo.h>

#include "rnd_layout.h"

typedef struct rnd_fonts {
    cairo_font_face_t *face[RND_FONT_COUNT];
    cairo_scaled_font_t *sf[RND_FONT_COUNT];
    cairo_font_options_t *opts;
    double size[RND_FONT_COUNT];
    double ascent[RND_FONT_COUNT], descent[RND_FONT_COUNT];
} rnd_fonts;

/* Returns 0, or RND_ERUNTIME when cairo cannot make a font. */
int rnd_fonts_init(rnd_fonts *f, const rnd_style *st);
void rnd_fonts_free(rnd_fonts *f);
/* rnd_measure_fn over a rnd_fonts: the advance width of text. */
double rnd_fonts_measure(void *ctx, rnd_font font, const char *text);
/* Selects font on cr. */
void rnd_fonts_use(const rnd_fonts *f, cairo_t *cr, rnd_font font);
/* Baseline y for a line of `font` whose box of height line_h starts at top. */
double rnd_fonts_baseline(const rnd_fonts *f, const rnd_style *st, rnd_font font, double top);

#endif
