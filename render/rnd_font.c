/*
 * rnd_font.c - cairo "toy" font faces (DejaVu through fontconfig, falling back to whatever sans
 * the system has) for each role of text, and their measurement.  The toy API is enough: the
 * diagrams only need left-to-right Latin text, and it keeps pango out of the dependencies.
 */
#include "rnd_font.h"

#include <string.h>

#include "rnd.h"

typedef struct face_spec {
    const char *family;
    cairo_font_slant_t slant;
    cairo_font_weight_t weight;
} face_spec;

static const face_spec specs[RND_FONT_COUNT] = {
    [RND_FONT_LABEL] = {"DejaVu Sans Condensed", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL},
    [RND_FONT_TAG] = {"DejaVu Sans Condensed", CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_BOLD},
    [RND_FONT_STATE] = {"DejaVu Sans Condensed", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD},
    [RND_FONT_HEAD] = {"DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD},
    [RND_FONT_SMALL] = {"DejaVu Sans Condensed", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL},
    [RND_FONT_NOTE] = {"DejaVu Sans Mono", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL},
    [RND_FONT_TITLE] = {"DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD},
    [RND_FONT_FOOT] = {"DejaVu Sans", CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_NORMAL},
};

void rnd_fonts_free(rnd_fonts *f)
{
    for (int i = 0; i < RND_FONT_COUNT; i++) {
        if (f->sf[i] != NULL)
            cairo_scaled_font_destroy(f->sf[i]);
        if (f->face[i] != NULL)
            cairo_font_face_destroy(f->face[i]);
    }
    if (f->opts != NULL)
        cairo_font_options_destroy(f->opts);
    memset(f, 0, sizeof *f);
}

int rnd_fonts_init(rnd_fonts *f, const rnd_style *st)
{
    cairo_matrix_t fm, ctm;
    memset(f, 0, sizeof *f);
    f->opts = cairo_font_options_create();
    if (cairo_font_options_status(f->opts) != CAIRO_STATUS_SUCCESS)
        goto fail;
    cairo_font_options_set_hint_metrics(f->opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(f->opts, CAIRO_HINT_STYLE_NONE);
    cairo_matrix_init_identity(&ctm);
    for (int i = 0; i < RND_FONT_COUNT; i++) {
        cairo_font_extents_t fe;
        f->size[i] = st->font_size[i];
        f->face[i] = cairo_toy_font_face_create(specs[i].family, specs[i].slant, specs[i].weight);
        if (cairo_font_face_status(f->face[i]) != CAIRO_STATUS_SUCCESS)
            goto fail;
        cairo_matrix_init_scale(&fm, f->size[i], f->size[i]);
        f->sf[i] = cairo_scaled_font_create(f->face[i], &fm, &ctm, f->opts);
        if (cairo_scaled_font_status(f->sf[i]) != CAIRO_STATUS_SUCCESS)
            goto fail;
        cairo_scaled_font_extents(f->sf[i], &fe);
        f->ascent[i] = fe.ascent;
        f->descent[i] = fe.descent;
    }
    return 0;
fail:
    rnd_fonts_free(f);
    return RND_ERUNTIME;
}

double rnd_fonts_measure(void *ctx, rnd_font font, const char *text)
{
    const rnd_fonts *f = ctx;
    cairo_text_extents_t te;
    cairo_scaled_font_text_extents(f->sf[font], text, &te);
    return te.x_advance;
}

void rnd_fonts_use(const rnd_fonts *f, cairo_t *cr, rnd_font font)
{
    cairo_set_font_face(cr, f->face[font]);
    cairo_set_font_size(cr, f->size[font]);
    cairo_set_font_options(cr, f->opts);
}

double rnd_fonts_baseline(const rnd_fonts *f, const rnd_style *st, rnd_font font, double top)
{
    double h = rnd_line_h(st, font);
    return top + (h - (f->ascent[font] + f->descent[font])) / 2 + f->ascent[font];
}
