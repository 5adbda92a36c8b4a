/*
 * rnd_ladder.c - rnd_write_ladder(): model, then layout (measured with the real fonts), then
 * pages, then the file.  A PDF is one page of the diagram's size when it fits (opts.page fit, up
 * to RND_PDF_MAX_PT), else it is split into pages of the diagram's width and sqrt(2) times that
 * height (A-series proportions) unless the style sets a page height; with opts.page a4 or letter
 * the diagram is scaled to the paper's width and split into pages of it.  PNG and SVG are one
 * page.
 * SVG is written from the layout by rnd_svg.c (text as text), PNG and PDF through cairo.
 */
#include <stdio.h>

#include "rnd.h"
#include "rnd_build.h"
#include "rnd_font.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_output.h"
#include "rnd_paint.h"
#include "rnd_svg.h"

typedef struct ladder_doc {
    const rnd_layout *lay;
    const rnd_fonts *fonts;
    double k; /* PDF on paper: points per layout unit */
} ladder_doc;

static void paint_ladder(void *ctx, cairo_t *cr, size_t page)
{
    const ladder_doc *d = ctx;
    rnd_page whole = {0.0, d->lay->height, 0.0, false};
    const rnd_page *pg = d->lay->npages > 0 ? &d->lay->pages[page] : &whole;
    cairo_save(cr);
    cairo_scale(cr, d->k, d->k);
    rnd_paint_page(d->lay, d->fonts, cr, pg);
    cairo_restore(cr);
}

int rnd_write_ladder(const trace_buf *tr, const rnd_options *opts, const char *path, char *err,
                     size_t errlen)
{
    rnd_options def;
    rnd_built b;
    ladder_doc d;
    rnd_doc doc;
    int fmt, rc;

    if (opts == NULL) {
        rnd_options_default(&def);
        opts = &def;
    }
    fmt = rnd_format_or_error(path, err, errlen);
    if (fmt < 0)
        return RND_EREQUEST;
    rc = rnd_built_make(&b, tr, opts, path, err, errlen);
    if (rc != 0)
        return rc;
    d.k = 1.0;
    doc.width = b.lay.width;
    doc.height = b.lay.height;
    if (fmt == RND_FMT_PDF && opts->page != RND_PAGE_FIT) {
        /* the paper's width, and pages of its height (A4 595 x 842 pt, letter 612 x 792 pt) */
        double pw = opts->page == RND_PAGE_A4 ? 595.0 : 612.0;
        double ph = opts->page == RND_PAGE_A4 ? 842.0 : 792.0;
        d.k = pw / b.lay.width;
        rc = rnd_layout_paginate(&b.lay, ph / d.k);
        doc.width = pw;
        doc.height = ph;
    } else if (fmt == RND_FMT_PDF && b.lay.height > RND_PDF_MAX_PT) {
        double page_h = rnd_layout_page_h(&b.lay);
        rc = rnd_layout_paginate(&b.lay, page_h);
        doc.height = page_h;
    }
    if (rc != 0) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cannot write %s: out of memory", path);
        goto out;
    }
    if (fmt == RND_FMT_SVG) { /* written from the layout: text stays text (rnd_svg.c) */
        rc = rnd_svg_write(&b.lay, &b.fonts, &b.m, path, err, errlen);
        goto out;
    }
    d.lay = &b.lay;
    d.fonts = &b.fonts;
    doc.npages = b.lay.npages > 0 ? b.lay.npages : 1;
    doc.title = b.lay.title;
    doc.paint = paint_ladder;
    doc.ctx = &d;
    rc = rnd_output_write(path, (rnd_format)fmt, &doc, opts->scale, err, errlen);
out:
    rnd_built_free(&b);
    return rc;
}
