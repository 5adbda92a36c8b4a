/*
 * rnd_output.c - the options defaults, the format of a path, and the file writer shared by the
 * ladder and the graph.
 *
 * cairo is given a stream that writes into a temporary file next to the target (common/out_file.h:
 * same directory, so rename() is atomic; a symbolic link's target; a device written in place);
 * after cairo_surface_finish() the surface status is checked, and only then is the file flushed,
 * closed and renamed over the target.  Any failure removes the temporary file, so a reader never
 * sees a half-written diagram.
 */
#include "rnd_output.h"

#include "out_file.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void rnd_options_default(rnd_options *o)
{
    memset(o, 0, sizeof *o);
    o->scale = 1.0;
    o->seq = RND_SEQ_AUTO;
    o->from_us = 0;
    o->to_us = RND_ALL;
    o->from_pkt = 0;
    o->to_pkt = RND_ALL;
    o->conn = RND_CONN_FIRST;
    o->title = NULL;
    o->dir = RND_DIR_AUTO;
}

static bool ends_with(const char *s, const char *ext)
{
    size_t n = strlen(s), m = strlen(ext);
    if (n <= m)
        return false;
    for (size_t i = 0; i < m; i++)
        if (tolower((unsigned char)s[n - m + i]) != ext[i])
            return false;
    return s[n - m - 1] != '/';
}

int rnd_format_or_error(const char *path, char *err, size_t errlen)
{
    int fmt = rnd_format_from_path(path);
    if (fmt < 0 && err != NULL && errlen > 0)
        snprintf(err, errlen, "%s: unknown format; the file name must end in .png, .svg or .pdf",
                 path ? path : "(null)");
    return fmt;
}

int rnd_format_from_path(const char *path)
{
    if (path == NULL)
        return RND_EREQUEST;
    if (ends_with(path, ".png"))
        return RND_FMT_PNG;
    if (ends_with(path, ".svg"))
        return RND_FMT_SVG;
    if (ends_with(path, ".pdf"))
        return RND_FMT_PDF;
    return RND_EREQUEST;
}

void rnd_png_size(double width, double height, double scale, long *px_w, long *px_h)
{
    *px_w = (long)ceil(width * scale);
    *px_h = (long)ceil(height * scale);
}

/* ---------------------------------------------------------------- the stream */

typedef struct sink {
    FILE *fp;
    int err; /* errno of the first failed write */
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    sink *s = closure;
    if (s->err != 0)
        return CAIRO_STATUS_WRITE_ERROR;
    if (fwrite(data, 1, length, s->fp) != length) {
        s->err = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static void errf(char *err, size_t errlen, const char *path, const char *what, const char *why)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "cannot write %s: %s%s%s", path, what, why ? ": " : "",
                 why ? why : "");
}

/* Draws every page onto surface; returns the first cairo error, or success. */
static cairo_status_t draw_pages(cairo_surface_t *surface, const rnd_doc *doc, double scale,
                                 bool paged)
{
    cairo_t *cr = cairo_create(surface);
    cairo_status_t st = cairo_status(cr);
    for (size_t p = 0; p < doc->npages && st == CAIRO_STATUS_SUCCESS; p++) {
        cairo_save(cr);
        cairo_scale(cr, scale, scale);
        doc->paint(doc->ctx, cr, p);
        cairo_restore(cr);
        if (paged)
            cairo_show_page(cr);
        st = cairo_status(cr);
    }
    cairo_destroy(cr);
    return st;
}

int rnd_output_write(const char *path, rnd_format fmt, const rnd_doc *doc, double scale, char *err,
                     size_t errlen)
{
    int rc = RND_ERUNTIME;
    out_file of;
    sink out = {NULL, 0};
    cairo_surface_t *surface = NULL;
    cairo_status_t st;

    if (fmt == RND_FMT_PNG) {
        long w, h;
        if (scale <= 0.0 || !isfinite(scale))
            scale = 1.0;
        rnd_png_size(doc->width, doc->height, scale, &w, &h);
        if (w > RND_PNG_MAX_PIXEL || h > RND_PNG_MAX_PIXEL) {
            if (err != NULL && errlen > 0)
                snprintf(err, errlen,
                         "%s: the image would be %ld x %ld pixels, over the PNG limit of %d per "
                         "side; write a .pdf instead (it is split into pages) or draw a part "
                         "with --from/--to",
                         path, w, h, RND_PNG_MAX_PIXEL);
            return RND_EREQUEST;
        }
    } else {
        scale = 1.0;
    }

    if (out_open(&of, path, err, errlen) < 0)
        return RND_ERUNTIME;
    out.fp = of.fp;

    switch (fmt) {
    case RND_FMT_PNG: {
        long w, h;
        rnd_png_size(doc->width, doc->height, scale, &w, &h);
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
        st = cairo_surface_status(surface);
        if (st == CAIRO_STATUS_SUCCESS)
            st = draw_pages(surface, doc, scale, false);
        if (st == CAIRO_STATUS_SUCCESS)
            st = cairo_surface_write_to_png_stream(surface, sink_write, &out);
        break;
    }
    case RND_FMT_SVG:
        surface = cairo_svg_surface_create_for_stream(sink_write, &out, doc->width, doc->height);
        st = cairo_surface_status(surface);
        if (st == CAIRO_STATUS_SUCCESS) {
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX);
            st = draw_pages(surface, doc, 1.0, false);
        }
        break;
    case RND_FMT_PDF:
    default:
        surface = cairo_pdf_surface_create_for_stream(sink_write, &out, doc->width, doc->height);
        st = cairo_surface_status(surface);
        if (st == CAIRO_STATUS_SUCCESS) {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                           "tcpsim " TCPSIM_VERSION);
            if (doc->title != NULL)
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc->title);
            st = draw_pages(surface, doc, 1.0, true);
        }
        break;
    }
    if (surface != NULL) {
        cairo_surface_finish(surface);
        if (st == CAIRO_STATUS_SUCCESS)
            st = cairo_surface_status(surface);
        cairo_surface_destroy(surface);
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        errf(err, errlen, path, out.err ? strerror(out.err) : "cairo",
             out.err ? NULL : cairo_status_to_string(st));
        goto fail;
    }
    if (out_commit(&of, path, err, errlen) < 0)
        return RND_ERUNTIME;
    return 0;
fail:
    out_abort(&of);
    return rc;
}
