/*
 * hostile_run.c - the helpers of hostile_run.h: byte images of capture files, a scratch
 * directory, and a runner that fork()s and exec()s the tcpsim binary with its standard streams
 * redirected into files of the scratch directory, waits for it with wait4() so that the peak RSS
 * is that of tcpsim alone (not of the test or of a writer process), and reads back what it wrote.
 */
#define _DEFAULT_SOURCE /* wait4, mkdtemp */

#include "hostile_run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- images ------------------------------------------------------------------------------ */

void img_reset(img *m)
{
    m->len = 0;
    m->be = false;
}

void img_free(img *m)
{
    free(m->b);
    memset(m, 0, sizeof *m);
}

void img_put(img *m, const void *p, size_t n)
{
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < m->len + n)
            cap *= 2;
        uint8_t *nb = realloc(m->b, cap);
        assert_non_null(nb);
        m->b = nb;
        m->cap = cap;
    }
    if (n)
        memcpy(m->b + m->len, p, n);
    m->len += n;
}

void img_put16(img *m, unsigned v)
{
    uint8_t c[2];
    c[0] = (uint8_t)(m->be ? v >> 8 : v);
    c[1] = (uint8_t)(m->be ? v : v >> 8);
    img_put(m, c, 2);
}

void img_put32(img *m, uint32_t v)
{
    uint8_t c[4];
    for (int i = 0; i < 4; i++)
        c[i] = (uint8_t)(m->be ? v >> (24 - 8 * i) : v >> (8 * i));
    img_put(m, c, 4);
}

void img_pcap_header(img *m, bool be, bool nano, uint32_t snaplen, uint32_t linktype)
{
    m->be = be;
    img_put32(m, nano ? 0xa1b23c4du : 0xa1b2c3d4u);
    img_put16(m, 2);
    img_put16(m, 4);
    img_put32(m, 0);
    img_put32(m, 0);
    img_put32(m, snaplen);
    img_put32(m, linktype);
}

void img_pcap_record(img *m, uint64_t ts_us, uint32_t caplen, uint32_t wirelen, const uint8_t *data,
                     size_t n)
{
    img_put32(m, (uint32_t)(ts_us / 1000000u));
    img_put32(m, (uint32_t)(ts_us % 1000000u));
    img_put32(m, caplen);
    img_put32(m, wirelen);
    img_put(m, data, n);
}

void img_pcap_packet(img *m, uint64_t ts_us, const uint8_t *data, size_t n)
{
    img_pcap_record(m, ts_us, (uint32_t)n, (uint32_t)n, data, n);
}

void img_pcapng_header(img *m, uint16_t linktype)
{
    m->be = false;
    img_put32(m, 0x0a0d0d0au); /* Section Header Block */
    img_put32(m, 28);
    img_put32(m, 0x1a2b3c4du);
    img_put16(m, 1);
    img_put16(m, 0);
    img_put32(m, 0xffffffffu);
    img_put32(m, 0xffffffffu);
    img_put32(m, 28);
    img_put32(m, 1); /* Interface Description Block, microseconds */
    img_put32(m, 20);
    img_put16(m, linktype);
    img_put16(m, 0);
    img_put32(m, 262144);
    img_put32(m, 20);
}

void img_pcapng_epb(img *m, uint64_t ts_us, const uint8_t *data, size_t n)
{
    static const uint8_t pad[4];
    size_t padded = (n + 3) & ~(size_t)3;
    uint32_t total = (uint32_t)(32 + padded);
    img_put32(m, 6);
    img_put32(m, total);
    img_put32(m, 0);
    img_put32(m, (uint32_t)(ts_us >> 32));
    img_put32(m, (uint32_t)ts_us);
    img_put32(m, (uint32_t)n);
    img_put32(m, (uint32_t)n);
    img_put(m, data, n);
    img_put(m, pad, padded - n);
    img_put32(m, total);
}

/* ---- files ------------------------------------------------------------------------------- */

char hostile_dir[256];

int hostile_setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(hostile_dir, sizeof hostile_dir, "%s/tcpsim-hostile-XXXXXX", tmp ? tmp : "/tmp");
    return mkdtemp(hostile_dir) ? 0 : -1;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char sub[1024];
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                remove_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

int hostile_teardown(void **state)
{
    (void)state;
    remove_tree(hostile_dir);
    return 0;
}

const char *hpath(const char *name)
{
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", hostile_dir, name);
    return b;
}

void write_img(const char *path, const img *m)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (m->len)
        assert_int_equal(fwrite(m->b, 1, m->len, f), m->len);
    assert_int_equal(fclose(f), 0);
}

void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

int dir_entries(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* ---- running ----------------------------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t n;
    while ((n = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            s = realloc(s, cap);
            assert_non_null(s);
        }
    }
    fclose(f);
    s[len] = '\0';
    return s;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

run_result run_tcpsim(const char *in_path, int in_fd, const char *out_path, const char *const *args)
{
    run_result r;
    memset(&r, 0, sizeof r);
    char outf[512], errf[512];
    snprintf(outf, sizeof outf, "%s/.stdout", hostile_dir);
    snprintf(errf, sizeof errf, "%s/.stderr", hostile_dir);
    const char *argv[64];
    int n = 0;
    argv[n++] = TCPSIM_BIN;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;

    fflush(NULL);
    double t0 = now();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = in_fd >= 0 ? in_fd : open(in_path ? in_path : "/dev/null", O_RDONLY);
        int out = open(out_path ? out_path : outf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0)
            _exit(125);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execv(TCPSIM_BIN, (char *const *)argv);
        _exit(126);
    }
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t w;
    do
        w = wait4(pid, &st, 0, &ru);
    while (w < 0 && errno == EINTR);
    assert_int_equal(w, pid);
    r.seconds = now() - t0;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.maxrss_kb = ru.ru_maxrss;
    r.out = out_path ? strdup("") : slurp(outf);
    r.err = slurp(errf);
    if (r.status >= 125)
        print_message("tcpsim exited with %d: %s\n", r.status, r.err);
    return r;
}

void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* ---- checks ------------------------------------------------------------------------------ */

void expect_fail(const run_result *r, int status, const char *prefix, const char *part)
{
    if (r->status != status)
        fail_msg("exit status %d, expected %d; stderr: %s", r->status, status, r->err);
    size_t len = strlen(r->err);
    if (len == 0 || r->err[len - 1] != '\n' || strchr(r->err, '\n') != r->err + len - 1)
        fail_msg("expected one line on stderr, got: '%s'", r->err);
    if (strncmp(r->err, prefix, strlen(prefix)) != 0)
        fail_msg("stderr '%s' does not start with '%s'", r->err, prefix);
    if (part && !strstr(r->err, part))
        fail_msg("stderr '%s' lacks '%s'", r->err, part);
}

const char *capture_line(const run_result *r)
{
    const char *last = NULL;
    for (const char *p = r->out; (p = strstr(p, "{\"ev\":\"capture\"")) != NULL; p++)
        last = p;
    if (!last)
        fail_msg("no capture line in stdout: %.400s", r->out);
    return last;
}

uint64_t json_u64(const char *line, const char *field)
{
    char key[64];
    snprintf(key, sizeof key, "\"%s\":", field);
    const char *p = strstr(line, key);
    const char *eol = strchr(line, '\n');
    if (!p || (eol && p > eol))
        fail_msg("no field %s in %s", field, line);
    return strtoull(p + strlen(key), NULL, 10);
}

void expect_skipped(const char *line, const char *want)
{
    const char *p = strstr(line, "\"skipped\":");
    assert_non_null(p);
    p += strlen("\"skipped\":");
    const char *end = strchr(p, '}');
    assert_non_null(end);
    size_t n = (size_t)(end - p) + 1;
    if (n != strlen(want) || strncmp(p, want, n) != 0)
        fail_msg("skipped %.*s, expected %s", (int)n, p, want);
}
