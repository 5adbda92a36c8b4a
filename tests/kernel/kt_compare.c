/*
 * kt_compare.c - compares two captures of one TCP connection taken at the same end, segment by
 * segment: the Linux kernel's (tcpdump in the case's namespace) and tcpsim's (--write-pcap at
 * the same --vantage), or two kernel runs of one case (to see that the kernel side repeats).
 *
 * Each direction (c>s, s>c) is compared in order, segment K with segment K:
 *   - flags (all eight, PSH included), relative SEQ, relative ACK (when both carry ACK),
 *     payload length;
 *   - timing: the gap between the segment and the packet before it in capture A (either
 *     direction) against the gap between their counterparts in B, within a tolerance of
 *     --tolerance (10 ms) plus Linux's timer granularity for a timer of that length: the
 *     timer wheel fires a timer of J jiffies up to 1, 8, 64, 512 jiffies late as J passes 63,
 *     504, 4032 (plus one jiffy for the tick), a jiffy being 1/HZ (--hz, 250 here).  Gaps rather
 *     than times since the start, so that one late timer does not shift everything after it;
 *     but a segment that an application call sends (a write, a read that opens the window) is
 *     timed from the start, whatever came before it, so a segment whose time since the start
 *     agrees within the same tolerance is on time as well.
 * and, as a separate result, the options of each pair: whether MSS, SACK-permitted, timestamps,
 * window scale and SACK blocks are there, and the values of MSS, window scale and the SACK
 * blocks (relative); timestamp values are random on Linux and are not compared.
 *
 * Output: a header line, `segments: match` or `segments: differ: WHERE: WHAT`, the same for
 * `options:`, and for each difference both segments side by side; -v prints every segment.
 * The first difference is the earliest in time of the two directions' first differences.
 *
 * usage: kt_compare [-v] [--hz N] [--tolerance MS] [--names A,B] A.pcap B.pcap
 * Exit status: 0 everything matches, 1 something differs, 2 bad usage or unreadable capture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_pcap.h"

static const char *kt_dir_name[2] = {"c>s", "s>c"};

typedef struct kt_opts {
    int verbose;
    long hz;
    long tol_us;
    char name[2][32];
} kt_opts;

typedef struct kt_view {
    const kt_conn *c;
    size_t *pos[2]; /* pos[d][k]: index in c->seg of direction d's segment k */
    size_t *kin;    /* kin[i]: k of c->seg[i] within its direction */
} kt_view;

typedef struct kt_diff {
    bool found;
    int dir;
    size_t k;     /* index within the direction, from 0 */
    int64_t when; /* for ordering: time of the segment in A (or B if A has none) */
    char what[256];
} kt_diff;

static int kt_view_make(kt_view *v, const kt_conn *c)
{
    v->c = c;
    v->kin = calloc(c->n + 1, sizeof *v->kin);
    for (int d = 0; d < 2; d++)
        v->pos[d] = calloc(c->n_dir[d] + 1, sizeof *v->pos[d]);
    if (v->kin == NULL || v->pos[0] == NULL || v->pos[1] == NULL)
        return -1;
    size_t k[2] = {0, 0};
    for (size_t i = 0; i < c->n; i++) {
        int d = c->seg[i].dir;
        v->kin[i] = k[d];
        v->pos[d][k[d]++] = i;
    }
    return 0;
}

static void kt_view_free(kt_view *v)
{
    free(v->kin);
    free(v->pos[0]);
    free(v->pos[1]);
}

static const kt_seg *kt_at(const kt_view *v, int d, size_t k)
{
    return k < v->c->n_dir[d] ? &v->c->seg[v->pos[d][k]] : NULL;
}

/* The timer-wheel granularity (plus one tick) for a timer of `gap` us, in us. */
static long kt_granularity(const kt_opts *o, int64_t gap)
{
    long jiffy = 1000000L / o->hz;
    int64_t j = gap / jiffy;
    long lvl = 1;
    for (int64_t lim = 63; j >= lim && lvl < 4096; lim *= 8)
        lvl *= 8;
    return (lvl + 1) * jiffy;
}

static void kt_opt_str(const kt_seg *s, char *buf, size_t len)
{
    size_t n = 0;
    int w;
#define KT_ADD(...)                                                                                \
    do {                                                                                           \
        w = snprintf(buf + n, len - n, __VA_ARGS__);                                               \
        if (w > 0 && (size_t)w < len - n)                                                          \
            n += (size_t)w;                                                                        \
    } while (0)
    KT_ADD("<");
    if (s->mss)
        KT_ADD("%smss %u", n > 1 ? "," : "", s->mss);
    if (s->sack_perm)
        KT_ADD("%ssackOK", n > 1 ? "," : "");
    if (s->ts)
        KT_ADD("%sTS", n > 1 ? "," : "");
    if (s->wscale >= 0)
        KT_ADD("%swscale %d", n > 1 ? "," : "", s->wscale);
    for (int b = 0; b < s->n_sack; b++)
        KT_ADD("%s%s%u-%u", n > 1 ? "," : "", b == 0 ? "sack " : "", s->sack[b][0], s->sack[b][1]);
    if (s->bad_opts)
        KT_ADD("%smalformed", n > 1 ? "," : "");
    KT_ADD(">");
#undef KT_ADD
}

static void kt_print_seg(const char *name, const kt_seg *s, size_t k)
{
    if (s == NULL) {
        printf("    %-8s (none)\n", name);
        return;
    }
    char fl[40], op[160];
    kt_flags_str(s->flags, fl, sizeof fl);
    kt_opt_str(s, op, sizeof op);
    printf("    %-8s %s #%-3zu %10.3f ms  %-11s seq=%-8u ack=%-8u len=%-5u win=%-5u %s  "
           "(packet %zu)\n",
           name, kt_dir_name[s->dir], k + 1, (double)s->t / 1000.0, fl, s->rseq,
           (s->flags & KT_ACK) ? s->rack : 0, s->len, s->win, op, s->frame);
}

/* Appends "; " and text to buf. */
static void kt_cat(char *buf, size_t len, const char *text)
{
    size_t n = strlen(buf);
    snprintf(buf + n, len - n, "%s%s", n ? "; " : "", text);
}

/* Field differences of a pair (both present); "" when they agree. */
static void kt_fields(const kt_seg *a, const kt_seg *b, char *out, size_t len)
{
    char t[160], fa[40], fb[40];
    out[0] = '\0';
    if (a->flags != b->flags) {
        snprintf(t, sizeof t, "flags %s vs %s", kt_flags_str(a->flags, fa, sizeof fa),
                 kt_flags_str(b->flags, fb, sizeof fb));
        kt_cat(out, len, t);
    }
    if (a->rseq != b->rseq) {
        snprintf(t, sizeof t, "seq %u vs %u", a->rseq, b->rseq);
        kt_cat(out, len, t);
    }
    if ((a->flags & KT_ACK) && (b->flags & KT_ACK) && a->rack != b->rack) {
        snprintf(t, sizeof t, "ack %u vs %u", a->rack, b->rack);
        kt_cat(out, len, t);
    }
    if (a->len != b->len) {
        snprintf(t, sizeof t, "len %u vs %u", a->len, b->len);
        kt_cat(out, len, t);
    }
}

static void kt_yesno(char *out, size_t len, const char *what, bool a, bool b)
{
    char t[64];
    if (a != b) {
        snprintf(t, sizeof t, "%s %s vs %s", what, a ? "yes" : "no", b ? "yes" : "no");
        kt_cat(out, len, t);
    }
}

static void kt_options_diff(const kt_seg *a, const kt_seg *b, char *out, size_t len)
{
    char t[160];
    out[0] = '\0';
    if (a->mss != b->mss) {
        if (a->mss && b->mss)
            snprintf(t, sizeof t, "mss %u vs %u", a->mss, b->mss);
        else
            snprintf(t, sizeof t, "mss %s vs %s", a->mss ? "yes" : "no", b->mss ? "yes" : "no");
        kt_cat(out, len, t);
    }
    kt_yesno(out, len, "sackOK", a->sack_perm, b->sack_perm);
    kt_yesno(out, len, "TS", a->ts, b->ts);
    if (a->wscale != b->wscale) {
        if (a->wscale >= 0 && b->wscale >= 0)
            snprintf(t, sizeof t, "wscale %d vs %d", a->wscale, b->wscale);
        else
            snprintf(t, sizeof t, "wscale %s vs %s", a->wscale >= 0 ? "yes" : "no",
                     b->wscale >= 0 ? "yes" : "no");
        kt_cat(out, len, t);
    }
    bool same_sack = a->n_sack == b->n_sack;
    for (int i = 0; same_sack && i < a->n_sack; i++)
        same_sack = a->sack[i][0] == b->sack[i][0] && a->sack[i][1] == b->sack[i][1];
    if (!same_sack) {
        if (a->n_sack && b->n_sack) {
            snprintf(t, sizeof t, "sack %u-%u%s vs %u-%u%s", a->sack[0][0], a->sack[0][1],
                     a->n_sack > 1 ? ",..." : "", b->sack[0][0], b->sack[0][1],
                     b->n_sack > 1 ? ",..." : "");
        } else {
            snprintf(t, sizeof t, "sack blocks %d vs %d", a->n_sack, b->n_sack);
        }
        kt_cat(out, len, t);
    }
    if (a->bad_opts != b->bad_opts)
        kt_cat(out, len, "malformed options");
}

static void kt_note(kt_diff *best, int d, size_t k, int64_t when, const char *what)
{
    if (best->found && best->when <= when)
        return;
    best->found = true;
    best->dir = d;
    best->k = k;
    best->when = when;
    snprintf(best->what, sizeof best->what, "%s", what);
}

/* Compares the views; fills the first segment and options differences. */
static void kt_run(const kt_opts *o, const kt_view *va, const kt_view *vb, kt_diff *seg,
                   kt_diff *opt)
{
    for (int d = 0; d < 2; d++) {
        size_t na = va->c->n_dir[d], nb = vb->c->n_dir[d];
        size_t n = na > nb ? na : nb;
        for (size_t k = 0; k < n; k++) {
            const kt_seg *a = kt_at(va, d, k), *b = kt_at(vb, d, k);
            char what[256];
            if (a == NULL || b == NULL) {
                char fl[40];
                const kt_seg *s = a ? a : b;
                snprintf(what, sizeof what, "%s only in %s (%s seq %u len %u)", kt_dir_name[d],
                         a ? o->name[0] : o->name[1], kt_flags_str(s->flags, fl, sizeof fl),
                         s->rseq, s->len);
                kt_note(seg, d, k, s->t, what);
                break;
            }
            char f[200];
            kt_fields(a, b, f, sizeof f);
            if (f[0]) {
                kt_note(seg, d, k, a->t, f);
                break;
            }
            /* timing against the packet before a in A */
            size_t ia = va->pos[d][k];
            if (ia > 0) {
                const kt_seg *pa = &va->c->seg[ia - 1];
                const kt_seg *pb = kt_at(vb, pa->dir, va->kin[ia - 1]);
                if (pb != NULL) {
                    int64_t ga = a->t - pa->t, gb = b->t - pb->t;
                    int64_t diff = ga > gb ? ga - gb : gb - ga;
                    int64_t adiff = a->t > b->t ? a->t - b->t : b->t - a->t;
                    long tol = o->tol_us + kt_granularity(o, ga > gb ? ga : gb);
                    if (diff > tol && adiff > tol) {
                        snprintf(what, sizeof what,
                                 "time %+.1f ms vs %+.1f ms after %s #%zu (tolerance %.0f ms)",
                                 (double)ga / 1000.0, (double)gb / 1000.0, kt_dir_name[pa->dir],
                                 va->kin[ia - 1] + 1, (double)tol / 1000.0);
                        kt_note(seg, d, k, a->t, what);
                        break;
                    }
                }
            }
        }
        for (size_t k = 0; k < (na < nb ? na : nb); k++) {
            const kt_seg *a = kt_at(va, d, k), *b = kt_at(vb, d, k);
            char f[256];
            kt_options_diff(a, b, f, sizeof f);
            if (f[0]) {
                kt_note(opt, d, k, a->t, f);
                break;
            }
        }
    }
}

static void kt_report(const char *aspect, const kt_opts *o, const kt_view *va, const kt_view *vb,
                      const kt_diff *df)
{
    if (!df->found) {
        printf("%s: match\n", aspect);
        return;
    }
    printf("%s: differ: %s #%zu: %s\n", aspect, kt_dir_name[df->dir], df->k + 1, df->what);
    kt_print_seg(o->name[0], kt_at(va, df->dir, df->k), df->k);
    kt_print_seg(o->name[1], kt_at(vb, df->dir, df->k), df->k);
}

static int kt_compare_run(const kt_opts *opts, const kt_conn *c, const kt_view *v,
                          const char *const *file);

static void kt_usage(void)
{
    fprintf(stderr, "usage: kt_compare [-v] [--hz N] [--tolerance MS] [--names A,B] A.pcap "
                    "B.pcap\n");
    exit(2);
}

static long kt_long(const char *s, long lo, long hi)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < lo || v > hi)
        kt_usage();
    return v;
}

int main(int argc, char **argv)
{
    kt_opts o = {0, 250, 10000, {"kernel", "tcpsim"}};
    const char *file[2] = {NULL, NULL};
    int nf = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            o.verbose = 1;
        } else if (strcmp(argv[i], "--hz") == 0 && i + 1 < argc) {
            o.hz = kt_long(argv[++i], 24, 10000);
        } else if (strcmp(argv[i], "--tolerance") == 0 && i + 1 < argc) {
            o.tol_us = kt_long(argv[++i], 0, 10000) * 1000;
        } else if (strcmp(argv[i], "--names") == 0 && i + 1 < argc) {
            const char *s = argv[++i], *comma = strchr(s, ',');
            if (comma == NULL || comma == s || comma[1] == '\0' || comma - s >= 32 ||
                strlen(comma + 1) >= 32)
                kt_usage();
            snprintf(o.name[0], sizeof o.name[0], "%.*s", (int)(comma - s), s);
            snprintf(o.name[1], sizeof o.name[1], "%s", comma + 1);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            kt_usage();
        } else if (nf < 2) {
            file[nf++] = argv[i];
        } else {
            kt_usage();
        }
    }
    if (nf != 2)
        kt_usage();

    kt_conn c[2];
    kt_view v[2];
    memset(c, 0, sizeof c);
    memset(v, 0, sizeof v);
    char err[512];
    int rc = 0;
    for (int i = 0; i < 2 && rc == 0; i++) {
        if (kt_pcap_load(file[i], &c[i], err, sizeof err) != 0) {
            fprintf(stderr, "kt_compare: %s\n", err);
            rc = 2;
        } else if (kt_view_make(&v[i], &c[i]) != 0) {
            fprintf(stderr, "kt_compare: out of memory\n");
            rc = 2;
        }
    }
    if (rc == 0)
        rc = kt_compare_run(&o, c, v, file);
    for (int i = 0; i < 2; i++) {
        kt_view_free(&v[i]);
        kt_pcap_free(&c[i]);
    }
    return rc;
}

/* Prints the header, the listing (-v) and the results; returns main's exit status. */
static int kt_compare_run(const kt_opts *opts, const kt_conn *c, const kt_view *v,
                          const char *const *file)
{
    const kt_opts o = *opts;
    for (int i = 0; i < 2; i++) {
        printf("%-8s %s: %zu segments (c>s %zu, s>c %zu)", o.name[i], file[i], c[i].n,
               c[i].n_dir[0], c[i].n_dir[1]);
        if (c[i].not_tcp || c[i].other_tcp || c[i].bad)
            printf("; ignored: %zu not TCP, %zu of other connections, %zu malformed", c[i].not_tcp,
                   c[i].other_tcp, c[i].bad);
        printf("\n");
    }
    if (c[0].n == 0 || c[1].n == 0) {
        fprintf(stderr, "kt_compare: %s holds no TCP segment\n", c[0].n == 0 ? file[0] : file[1]);
        return 2;
    }
    if (o.verbose) {
        for (int d = 0; d < 2; d++) {
            size_t n = c[0].n_dir[d] > c[1].n_dir[d] ? c[0].n_dir[d] : c[1].n_dir[d];
            printf("%s:\n", kt_dir_name[d]);
            for (size_t k = 0; k < n; k++) {
                const kt_seg *a = kt_at(&v[0], d, k), *b = kt_at(&v[1], d, k);
                char f[256] = "", g[256] = "";
                if (a && b) {
                    kt_fields(a, b, f, sizeof f);
                    kt_options_diff(a, b, g, sizeof g);
                }
                kt_print_seg(o.name[0], a, k);
                kt_print_seg(o.name[1], b, k);
                if (f[0])
                    printf("      * %s\n", f);
                if (g[0])
                    printf("      * options: %s\n", g);
            }
        }
    }
    kt_diff seg = {0}, opt = {0};
    kt_run(&o, &v[0], &v[1], &seg, &opt);
    kt_report("segments", &o, &v[0], &v[1], &seg);
    kt_report("options", &o, &v[0], &v[1], &opt);
    return seg.found || opt.found ? 1 : 0;
}
