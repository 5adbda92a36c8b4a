/*
 * test_rnd_pdftext.c - the text of the PDFs, read back with pdftotext (poppler-utils): a ladder
 * names its states, roles and retransmission, and a long connection comes out as the pages the
 * layout planned.  Exits 77 (skipped) when pdftotext is not installed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"
#include "rnd_check.h"
#include "rnd_fixture.h"
#include "rnd_font.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_pcap.h"

static char dir[256];

/* The text of a PDF (malloc'd), or NULL. */
static char *pdf_text(const char *pdf)
{
    char cmd[600];
    FILE *p;
    size_t n = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - 2>/dev/null", pdf);
    p = popen(cmd, "r");
    if (p == NULL || buf == NULL) {
        free(buf);
        return NULL;
    }
    for (;;) {
        size_t got;
        if (n + 4096 > cap) {
            char *q = realloc(buf, cap *= 2);
            if (q == NULL)
                break;
            buf = q;
        }
        got = fread(buf + n, 1, cap - n - 1, p);
        if (got == 0)
            break;
        n += got;
    }
    buf[n] = '\0';
    if (pclose(p) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void test_rnd_pdf_holds_state_names(void **state)
{
    static const char *const want[] = {
        "client",          "server",
        "192.0.2.1:49152", "LISTEN",
        "SYN-SENT",        "SYN-RECEIVED",
        "ESTABLISHED",     "FIN-WAIT-1",
        "FIN-WAIT-2",      "CLOSE-WAIT",
        "LAST-ACK",        "TIME-WAIT",
        "CLOSED",          "RTO retransmission, RTO 1.0 s",
        "connect()",       "120 s later",
    };
    trace_buf b;
    char path[512], err[256];
    char *text;
    (void)state;
    fx_loss(&b);
    snprintf(path, sizeof path, "%s/loss.pdf", dir);
    assert_int_equal(rnd_write_ladder(&b, NULL, path, err, sizeof err), 0);
    text = pdf_text(path);
    assert_non_null(text);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(text, want[i]) == NULL)
            fail_msg("'%s' not in the PDF's text", want[i]);
    free(text);
    trace_buf_free(&b);
}

/* A real capture: title, assumed and corrected states, the retransmission's tag. */
static void test_rnd_pdf_capture_lastackloss(void **state)
{
    static const char *const want[] = {
        "samples/lastackloss.pcap, connection 1",
        "assumed",
        "corrected",
        "LAST-ACK",
        "TIME-WAIT",
        "retransmission after 207 ms",
        "127.0.0.1:5555",
        "estimated",
    };
    trace_buf b;
    char path[512], err[512];
    char *text;
    (void)state;
    if (rnd_load_sample("lastackloss", 1, &b, err, sizeof err) != 0)
        fail_msg("%s", err);
    snprintf(path, sizeof path, "%s/lastackloss.pdf", dir);
    assert_int_equal(rnd_write_ladder(&b, NULL, path, err, sizeof err), 0);
    text = pdf_text(path);
    assert_non_null(text);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(text, want[i]) == NULL)
            fail_msg("'%s' not in the PDF's text", want[i]);
    assert_null(strstr(text, "spurious"));
    free(text);
    trace_buf_free(&b);
}

static void test_rnd_pdf_pages(void **state)
{
    trace_buf b;
    rnd_model m;
    rnd_layout lay;
    rnd_fonts f;
    rnd_style st;
    char path[512], err[256];
    char *text;
    size_t pages = 0;
    (void)state;
    rnd_options o;
    fx_bulk(&b, 800);
    rnd_style_default(&st);
    rnd_options_default(&o);
    assert_int_equal(rnd_fonts_init(&f, &st), 0);
    assert_int_equal(rnd_model_build(&m, &b, NULL, err, sizeof err), 0);
    assert_int_equal(rnd_layout_build(&lay, &m, &st, rnd_fonts_measure, &f), 0);
    /* --page fit (the default): it fits, so one page */
    snprintf(path, sizeof path, "%s/bulk-fit.pdf", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    text = pdf_text(path);
    assert_non_null(text);
    for (char *p = text; *p; p++)
        pages += *p == '\f';
    assert_int_equal(pages, 1);
    free(text);
    pages = 0;
    /* --page a4: the width of A4, pages of its height */
    assert_int_equal(rnd_layout_paginate(&lay, 842.0 * lay.width / 595.0), 0);
    o.page = RND_PAGE_A4;
    snprintf(path, sizeof path, "%s/bulk.pdf", dir);
    assert_int_equal(rnd_write_ladder(&b, &o, path, err, sizeof err), 0);
    text = pdf_text(path);
    assert_non_null(text);
    for (char *p = text; *p; p++)
        pages += *p == '\f';
    assert_true(lay.npages > 3);
    assert_int_equal(pages, lay.npages);
    /* every page repeats the heads: "client" at least once per page */
    {
        size_t heads = 0;
        for (char *p = strstr(text, "client"); p; p = strstr(p + 1, "client"))
            heads++;
        assert_true(heads >= lay.npages);
    }
    assert_non_null(strstr(text, "TIME-WAIT"));
    free(text);
    rnd_layout_free(&lay);
    rnd_model_free(&m);
    rnd_fonts_free(&f);
    trace_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnd_pdf_holds_state_names),
        cmocka_unit_test(test_rnd_pdf_capture_lastackloss),
        cmocka_unit_test(test_rnd_pdf_pages),
    };
    char cmd[300];
    int rc;
    if (system("pdftotext -v >/dev/null 2>&1") != 0) {
        printf("skipped: pdftotext not found (install poppler-utils)\n");
        return 77;
    }
    snprintf(dir, sizeof dir, "%s", rnd_scratch_dir());
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return rc;
}
