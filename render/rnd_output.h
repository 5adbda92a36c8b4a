/*
 * rnd_output.h - writes pages drawn by a callback into a PNG, SVG or PDF file, safely: to a
 * temporary file beside the target, renamed over it only when cairo reported no error.
 */
#ifndef TCPSIM_RND_OUTPUT_H
#define TCPSIM_RND_OUTPUT_H

#include <cairo.h>
#include <stddef.h>

#include "rnd.h"

typedef struct rnd_doc {
    double width;      /* layout units */
    double height;     /* of every page */
    size_t npages;     /* PDF: any number; PNG and SVG: must be 1 */
    const char *title; /* PDF metadata, may be NULL */
    void (*paint)(void *ctx, cairo_t *cr, size_t page);
    void *ctx;
} rnd_doc;

/* Writes doc to path in format fmt.  PNG pixels are layout units times scale.  Returns 0,
 * RND_EREQUEST (PNG over RND_PNG_MAX_PIXEL) or RND_ERUNTIME; on failure no file is left. */
int rnd_output_write(const char *path, rnd_format fmt, const rnd_doc *doc, double scale, char *err,
                     size_t errlen);

/* The PNG size in pixels of a width x height layout at scale (rounded up). */
void rnd_png_size(double width, double height, double scale, long *px_w, long *px_h);

/* rnd_format_from_path, with the user's message in err when the extension is not one of ours. */
int rnd_format_or_error(const char *path, char *err, size_t errlen);

#endif
