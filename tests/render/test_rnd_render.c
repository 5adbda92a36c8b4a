/*
 * test_rnd_render.c - the files: PNG, SVG and PDF are valid and of the size the layout says,
 * cairo reported no error, a few pixels have the colour of what the layout put there, a PNG over
 * cairo's size limit is refused with a useful message, and a failed write leaves no file behind.
 * Pixels are compared loosely (fonts differ between machines), never exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rnd.h"
#include "rnd_check.h"
#include "rnd_fixture.h"
#include "rnd_font.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_output.h"
#include "rnd_paint.h"
#include "rnd_tseq.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", rnd_scratch_dir());
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)len + 1);
    if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *n = (size_t)len;
    fclose(f);
    return buf;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The layout that rnd_write_ladder draws, with the real fonts. */
static void real_layout(const trace_buf *b, const rnd_options *o, rnd_model *m, rnd_layout *lay,
                        rnd_fonts *f)
{
    rnd_style st;
    char err[256];
    rnd_style_default(&st);
    assert_int_equal(rnd_fonts_init(f, &st), 0);
    assert_int_equal(rnd_model_build(m, b, o, err, sizeof err), 0);
    assert_int_equal(rnd_layout_build(lay, m, &st, rnd_fonts_measure, f), 0);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---------------------------------------------------------------- valid files */

static void check_png(const char *path, long w, long h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t n;
    unsigned char *p = (unsigned char *)slurp(path, &n);
    assert_non_null(p);
    assert_true(n > 33);
    assert_memory_equal(p, sig, 8);
    assert_memory_equal(p + 12, "IHDR", 4);
    assert_int_equal(be32(p + 16), w);
    assert_int_equal(be32(p + 20), h);
    free(p);
}

static void test_rnd_png_svg_pdf_valid(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    rnd_fonts f;
    rnd_options o;
    char path[512], err[256] = "";
    size_t n;
    char *s;
    long w, h;
    (void)state;
    fx_loss(&b);
    rnd_options_default(&o);
    real_layout(&b, &o, &m, &lay, &f);

    snprintf(path, sizeof path, "%s/loss.png", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    rnd_png_size(lay.width, lay.height, 1.0, &w, &h);
    check_png(path, w, h);

    o.scale = 2.0; /* HiDPI */
    snprintf(path, sizeof path, "%s/loss@2x.png", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    rnd_png_size(lay.width, lay.height, 2.0, &w, &h);
    check_png(path, w, h);
    assert_true(w == 2 * (long)lay.width);

    snprintf(path, sizeof path, "%s/loss.svg", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    s = slurp(path, &n);
    assert_non_null(s);
    assert_non_null(strstr(s, "<svg"));
    assert_non_null(strstr(s, "</svg>"));
    {
        char want[64];
        snprintf(want, sizeof want, "width=\"%gpx\"", lay.width);
        assert_non_null(strstr(s, want));
    }
    /* text as text (searchable, selectable), and one <title> per segment's arrow */
    {
        size_t titles = 0;
        for (const char *p = strstr(s, "<g class=\"seg\"><title>"); p != NULL;
             p = strstr(p + 1, "<g class=\"seg\"><title>"))
            titles++;
        assert_int_equal(titles, lay.narrows);
        assert_non_null(strstr(s, ">ESTABLISHED</text>"));
        assert_non_null(strstr(s, "<text"));
        assert_null(strstr(s, "<glyph"));
    }
    free(s);

    snprintf(path, sizeof path, "%s/LOSS.PDF", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    s = slurp(path, &n);
    assert_non_null(s);
    assert_memory_equal(s, "%PDF-", 5);
    assert_non_null(strstr(s + n - 8, "%%EOF"));
    free(s);

    /* the time-sequence graph too */
    snprintf(path, sizeof path, "%s/loss-tseq.png", dir);
    assert_int_equal(rnd_write_tseq(&b, NULL, path, err, sizeof err), 0);
    check_png(path, 960, 620);
    snprintf(path, sizeof path, "%s/loss-tseq.pdf", dir);
    assert_int_equal(rnd_write_tseq(&b, NULL, path, err, sizeof err), 0);

    assert_int_equal(rnd_count_files(dir, ".tmp-"), 0);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    rnd_fonts_free(&f);
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- pixels */

typedef struct rgb {
    double r, g, b;
} rgb;

static rgb pixel(cairo_surface_t *s, double x, double y)
{
    unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    uint32_t px = *(uint32_t *)(void *)(d + (long)floor(y) * stride + (long)floor(x) * 4);
    rgb c = {((px >> 16) & 255) / 255.0, ((px >> 8) & 255) / 255.0, (px & 255) / 255.0};
    return c;
}

static double dist(rgb a, rnd_rgb b)
{
    return fabs(a.r - b.r) + fabs(a.g - b.g) + fabs(a.b - b.b);
}

/* The pixel nearest in colour to want among the 5x5 around (x, y): antialiasing blurs lines. */
static double best_near(cairo_surface_t *s, double x, double y, rnd_rgb want)
{
    double best = 99.0;
    for (int dy = -2; dy <= 2; dy++)
        for (int dx = -2; dx <= 2; dx++) {
            double d = dist(pixel(s, x + dx, y + dy), want);
            best = d < best ? d : best;
        }
    return best;
}

static void test_rnd_pixels_at_computed_positions(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    rnd_fonts f;
    char path[512], err[256];
    cairo_surface_t *img;
    const rnd_rgb white = {1, 1, 1};
    (void)state;
    fx_loss(&b);
    real_layout(&b, NULL, &m, &lay, &f);
    snprintf(path, sizeof path, "%s/pixels.png", dir);
    assert_int_equal(rnd_write_ladder(&b, NULL, path, err, sizeof err), 0);
    img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(img);
    assert_int_equal(cairo_image_surface_get_width(img), (int)lay.width);

    /* background */
    assert_true(dist(pixel(img, lay.width - 3, lay.body_y0 + 3), white) < 0.05);
    for (size_t i = 0; i < lay.narrows; i++) {
        const rnd_arrow *a = &lay.arrows[i];
        double x = a->from.x + 0.7 * (a->to.x - a->from.x);
        double y = a->from.y + 0.7 * (a->to.y - a->from.y);
        if (m.seg[a->seg].seg.flags == TCP_SYN) /* a solid data arrow: its colour on the line */
            assert_true(best_near(img, x, y, rnd_pen_of(RND_ARROW_DATA)->color) < 0.35);
        if (a->lost) /* the cross of the lost segment is red */
            assert_true(best_near(img, a->to.x, a->to.y, (rnd_rgb){0.76, 0.18, 0.13}) < 0.35);
    }
    /* a state box: its fill just inside the left edge (text starts further in) */
    {
        const rnd_sbox *sb = &lay.sboxes[0];
        rgb c = pixel(img, sb->box.x + 3.0, sb->box.y + sb->box.h / 2);
        assert_true(dist(c, (rnd_rgb){0.93, 0.95, 0.98}) < 0.12);
    }
    /* a lifeline head: dark fill near its left end */
    {
        rgb c = pixel(img, lay.head_box[0].x + 4.0, lay.head_box[0].y + lay.head_box[0].h / 2);
        assert_true(c.r < 0.3 && c.g < 0.35 && c.b < 0.45);
    }
    /* the lifeline itself, between two rows */
    assert_true(best_near(img, lay.lane_x[1], lay.body_y0 + 4.0, (rnd_rgb){0.55, 0.57, 0.60}) <
                0.25);
    cairo_surface_destroy(img);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    rnd_fonts_free(&f);
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- refusals and failures */

static void test_rnd_png_too_large_refused(void **state)
{
    trace_buf b;
    char path[512], err[400] = "";
    (void)state;
    fx_bulk(&b, 8000); /* 8 s at 4.8 units per ms: taller than 32767 */
    snprintf(path, sizeof path, "%s/huge.png", dir);
    assert_int_equal(rnd_write_ladder(&b, NULL, path, err, sizeof err), RND_EREQUEST);
    assert_false(exists(path));
    assert_non_null(strstr(err, "32767"));
    assert_non_null(strstr(err, ".pdf"));
    assert_non_null(strstr(err, "--from/--to"));
    /* the same as a PDF is fine, in pages */
    snprintf(path, sizeof path, "%s/huge.pdf", dir);
    assert_int_equal(rnd_write_ladder(&b, NULL, path, err, sizeof err), 0);
    assert_true(exists(path));
    assert_int_equal(rnd_count_files(dir, ".tmp-"), 0);
    trace_buf_free(&b);
}

static void test_rnd_unwritable_path_leaves_nothing(void **state)
{
    trace_buf b;
    char path[512], err[400] = "";
    (void)state;
    fx_loss(&b);
    assert_int_equal(rnd_write_ladder(&b, NULL, "/nonexistent-rnd-dir/x.png", err, sizeof err),
                     RND_ERUNTIME);
    assert_non_null(strstr(err, "/nonexistent-rnd-dir/x.png"));
    assert_false(exists("/nonexistent-rnd-dir/x.png"));
    /* the target is a directory: everything is drawn, the rename fails, the temp file goes */
    snprintf(path, sizeof path, "%s/taken.svg", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(rnd_write_ladder(&b, NULL, path, err, sizeof err), RND_ERUNTIME);
    assert_int_equal(rnd_count_files(dir, ".tmp-"), 0);
    /* an old file survives a failed overwrite untouched */
    {
        FILE *fp;
        size_t n;
        char *s;
        snprintf(path, sizeof path, "%s/old.png", dir);
        fp = fopen(path, "w");
        assert_non_null(fp);
        fputs("old", fp);
        fclose(fp);
        assert_int_equal(
            rnd_write_ladder(&b, NULL, "/nonexistent-rnd-dir/old.png", err, sizeof err),
            RND_ERUNTIME);
        s = slurp(path, &n);
        assert_string_equal(s, "old");
        free(s);
    }
    trace_buf_free(&b);
}

static void test_rnd_format_from_path(void **state)
{
    trace_buf b;
    char path[512], err[200] = "";
    (void)state;
    assert_int_equal(rnd_format_from_path("a.png"), RND_FMT_PNG);
    assert_int_equal(rnd_format_from_path("dir.d/A.SVG"), RND_FMT_SVG);
    assert_int_equal(rnd_format_from_path("x.Pdf"), RND_FMT_PDF);
    assert_int_equal(rnd_format_from_path("x.jpg"), RND_EREQUEST);
    assert_int_equal(rnd_format_from_path("png"), RND_EREQUEST);
    assert_int_equal(rnd_format_from_path(".png"), RND_EREQUEST);
    assert_int_equal(rnd_format_from_path("dir/.png"), RND_EREQUEST);
    assert_int_equal(rnd_format_from_path(""), RND_EREQUEST);
    assert_int_equal(rnd_format_from_path(NULL), RND_EREQUEST);
    fx_loss(&b);
    snprintf(path, sizeof path, "%s/x.jpg", dir);
    assert_int_equal(rnd_write_ladder(&b, NULL, path, err, sizeof err), RND_EREQUEST);
    assert_non_null(strstr(err, ".png, .svg or .pdf"));
    assert_false(exists(path));
    assert_int_equal(rnd_write_tseq(&b, NULL, path, err, sizeof err), RND_EREQUEST);
    trace_buf_free(&b);
}

static void test_rnd_empty_selection_writes_nothing(void **state)
{
    trace_buf b;
    rnd_options o;
    char path[512], err[200] = "";
    (void)state;
    fx_loss(&b);
    rnd_options_default(&o);
    o.from_us = 500000000;
    snprintf(path, sizeof path, "%s/empty.png", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), RND_EREQUEST);
    assert_false(exists(path));
    trace_buf_free(&b);
}

/* ---------------------------------------------------------------- the graph in numbers */

static void test_rnd_tseq_numbers(void **state)
{
    trace_buf b;
    rnd_tseq g;
    rnd_options o;
    char err[200];
    size_t retx = 0, lost = 0, sack = 0;
    (void)state;
    fx_bulk(&b, 1200);
    rnd_options_default(&o);
    o.from_us = 520000;
    o.to_us = 640000;
    assert_int_equal(rnd_tseq_build(&g, &b, &o, err, sizeof err), 0);
    assert_int_equal(g.dir, TRACE_CLIENT);
    assert_true(g.nack > 10);
    for (size_t i = 0; i < g.nbars; i++) {
        const rnd_tbar *t = &g.bars[i];
        retx += t->kind == RND_TBAR_RETX;
        lost += t->lost;
        sack += t->kind == RND_TBAR_SACK;
        assert_true(t->s1 > t->s0);
        assert_true(t->t >= g.t0 && t->t <= g.t1);
        assert_true(t->s0 >= g.s0 && t->s1 <= g.s1);
        if (t->kind == RND_TBAR_DATA)
            assert_true(fmod(t->s0 - 1.0, 1448.0) == 0.0); /* relative, after the SYN */
    }
    assert_int_equal(retx, 1);
    assert_int_equal(lost, 1);
    assert_true(sack > 3);
    /* the ACK line never goes down */
    for (size_t i = 1; i < g.nack; i++)
        assert_true(g.ack[i].v >= g.ack[i - 1].v);
    /* axes: ticks increasing inside the plot, mapping ends on the plot's edges */
    assert_true(g.nxt >= 3 && g.nyt >= 3);
    for (int i = 1; i < g.nxt; i++)
        assert_true(g.xt[i].pos > g.xt[i - 1].pos);
    for (int i = 1; i < g.nyt; i++)
        assert_true(g.yt[i].pos < g.yt[i - 1].pos);
    assert_true(fabs(rnd_tseq_x(&g, g.t0) - g.plot.x) < 1e-9);
    assert_true(fabs(rnd_tseq_y(&g, g.s0) - (g.plot.y + g.plot.h)) < 1e-9);
    rnd_tseq_free(&g);
    /* the server sends no data: asking for its direction is a bad request */
    o.dir = RND_DIR_SERVER;
    assert_int_equal(rnd_tseq_build(&g, &b, &o, err, sizeof err), RND_EREQUEST);
    trace_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnd_png_svg_pdf_valid),
        cmocka_unit_test(test_rnd_pixels_at_computed_positions),
        cmocka_unit_test(test_rnd_png_too_large_refused),
        cmocka_unit_test(test_rnd_unwritable_path_leaves_nothing),
        cmocka_unit_test(test_rnd_format_from_path),
        cmocka_unit_test(test_rnd_empty_selection_writes_nothing),
        cmocka_unit_test(test_rnd_tseq_numbers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
