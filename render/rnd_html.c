/*
 * rnd_html.c - writes the explorer page (rnd_html.h): the template explorer.html with the style,
 * the script, the data and the layouts put in place of its @@NAME@@ markers, and the index page
 * of `--scenario all`.  Inside <script type="application/json"> only "</script" could end the
 * data early, so every '<' of the JSON texts is written as \u003c (JSON's own escape; '<' never
 * occurs in JSON outside a string).
 */
#include "rnd_html.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "out_file.h"

/* the assets, embedded at build time (rnd_embed.cmake) */
extern const unsigned char rnd_asset_explorer_html[], rnd_asset_explorer_css[],
    rnd_asset_explorer_js[];
extern const size_t rnd_asset_explorer_html_len, rnd_asset_explorer_css_len,
    rnd_asset_explorer_js_len;

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

void rnd_html_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

/* Writes JSON text with every '<' as \u003c. */
static void put_json(FILE *out, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '<')
            continue;
        fwrite(s + from, 1, i - from, out);
        fputs("\\u003c", out);
        from = i + 1;
    }
    fwrite(s + from, 1, n - from, out);
}

/* The layouts object, computed into memory first: a failure leaves no half object. */
static int put_layouts(FILE *out, const trace_buf *tr, const rnd_options *o)
{
    if (tr == NULL) {
        fputs("{}", out);
        return 0;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m == NULL)
        return -1;
    int rc = rnd_html_layouts(m, tr, o);
    if (fclose(m) != 0)
        rc = -1;
    if (rc == 0)
        put_json(out, buf, len);
    free(buf);
    return rc;
}

static int write_page(FILE *out, const rnd_html_page *p, const rnd_options *o)
{
    const char *t = (const char *)rnd_asset_explorer_html;
    const char *end = t + rnd_asset_explorer_html_len;
    while (t < end) {
        const char *m = strstr(t, "@@");
        if (m == NULL) {
            fwrite(t, 1, (size_t)(end - t), out);
            break;
        }
        fwrite(t, 1, (size_t)(m - t), out);
        const char *close = strstr(m + 2, "@@");
        if (close == NULL) {
            fputs(m, out);
            break;
        }
        size_t n = (size_t)(close - (m + 2));
        if (n == 5 && strncmp(m + 2, "TITLE", 5) == 0) {
            rnd_html_text(out, p->title ? p->title : "tcpsim");
        } else if (n == 7 && strncmp(m + 2, "VERSION", 7) == 0) {
            fputs(TCPSIM_VERSION, out);
        } else if (n == 3 && strncmp(m + 2, "CSS", 3) == 0) {
            fwrite(rnd_asset_explorer_css, 1, rnd_asset_explorer_css_len, out);
        } else if (n == 2 && strncmp(m + 2, "JS", 2) == 0) {
            fwrite(rnd_asset_explorer_js, 1, rnd_asset_explorer_js_len, out);
        } else if (n == 4 && strncmp(m + 2, "DATA", 4) == 0) {
            put_json(out, p->data, p->data_len);
        } else if (n == 7 && strncmp(m + 2, "LAYOUTS", 7) == 0) {
            if (put_layouts(out, p->tr, o) < 0)
                return -1;
        } else {
            fwrite(m, 1, n + 4, out); /* not a marker */
        }
        t = close + 2;
    }
    return ferror(out) ? -1 : 0;
}

int rnd_write_html(const rnd_html_page *p, const rnd_options *o, const char *path, char *err,
                   size_t errlen)
{
    if (p == NULL || p->data == NULL || path == NULL || !*path)
        return fail(err, errlen, RND_EREQUEST, "the explorer page needs a trace and a file name");
    rnd_options defaults;
    if (o == NULL) {
        rnd_options_default(&defaults);
        o = &defaults;
    }
    out_file of;
    if (out_open(&of, path, err, errlen) < 0)
        return RND_ERUNTIME;
    if (write_page(of.fp, p, o) < 0) {
        int e = errno;
        out_abort(&of);
        return fail(err, errlen, RND_ERUNTIME, "%s: %s", path,
                    e ? strerror(e) : "out of memory laying out the ladder");
    }
    if (out_commit(&of, path, err, errlen) < 0)
        return RND_ERUNTIME;
    return 0;
}

int rnd_write_html_index(const char *path, const rnd_html_entry *e, size_t n, char *err,
                         size_t errlen)
{
    out_file of;
    if (out_open(&of, path, err, errlen) < 0)
        return RND_ERUNTIME;
    FILE *f = of.fp;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n<title>tcpsim built-in scenarios</title>\n<style>\n"
          "body{font:15px/1.45 \"DejaVu Sans\",Arial,sans-serif;max-width:860px;margin:24px auto;"
          "padding:0 16px;color:#111}\nh1{font-size:22px}\ndt{margin-top:12px;font-weight:600}\n"
          "dd{margin:2px 0 0 18px;color:#374151}\na{color:#1f5fa8}\n.png{font-weight:400;"
          "font-size:13px;margin-left:8px}\n</style>\n</head>\n<body>\n"
          "<h1>tcpsim built-in scenarios</h1>\n<p>Each page explores one scenario step by step: "
          "the ladder, the two endpoints' TCBs, the segment headers and the time-sequence graph "
          "(made by <code>tcpsim --scenario all -o DIR/</code>, tcpsim " TCPSIM_VERSION
          ").</p>\n<dl>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        fputs("<dt><a href=\"", f);
        rnd_html_text(f, e[i].file);
        fputs("\">", f);
        rnd_html_text(f, e[i].name);
        fputs("</a></dt>\n<dd>", f);
        rnd_html_text(f, e[i].summary);
        fputs(". ", f);
        rnd_html_text(f, e[i].description);
        fputs("</dd>\n", f);
    }
    fputs("</dl>\n</body>\n</html>\n", f);
    if (ferror(f)) {
        out_abort(&of);
        return fail(err, errlen, RND_ERUNTIME, "%s: write error", path);
    }
    if (out_commit(&of, path, err, errlen) < 0)
        return RND_ERUNTIME;
    return 0;
}
