/*
 * out_file.c - safe output files (see out_file.h).
 */
#define _DEFAULT_SOURCE /* realpath, fchmod */
#include "out_file.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(char *err, size_t errlen, const char *path, const char *what, int e)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "cannot write %s: %s%s%s", path, what, e ? ": " : "",
                 e ? strerror(e) : "");
    return -1;
}

/* The file a path leads to: itself, or the end of its chain of symbolic links (which need not
 * exist yet).  Returns a malloc'd path or NULL with errno set. */
static char *resolve(const char *path)
{
    char *p = strdup(path);
    for (int hops = 0; p != NULL && hops < 40; hops++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            return p; /* a new file, or not a link */
        char link[PATH_MAX];
        ssize_t n = readlink(p, link, sizeof link - 1);
        if (n < 0) {
            free(p);
            return NULL;
        }
        link[n] = '\0';
        char *next;
        const char *slash = strrchr(p, '/');
        if (link[0] == '/' || slash == NULL) {
            next = strdup(link);
        } else { /* relative to the link's directory */
            size_t dir = (size_t)(slash - p) + 1;
            next = malloc(dir + (size_t)n + 1);
            if (next) {
                memcpy(next, p, dir);
                memcpy(next + dir, link, (size_t)n + 1);
            }
        }
        free(p);
        p = next;
    }
    if (p != NULL) {
        free(p);
        errno = ELOOP;
    }
    return NULL;
}

int out_open(out_file *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        o->is_stdout = true;
        return 0;
    }
    o->target = resolve(path);
    if (o->target == NULL)
        return fail(err, errlen, path, "cannot follow the path", errno);
    struct stat st;
    if (stat(o->target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            free(o->target);
            o->target = NULL;
            return fail(err, errlen, path, strerror(EISDIR), 0);
        }
        if (!S_ISREG(st.st_mode)) { /* a device, a FIFO: write it where it is */
            o->fp = fopen(o->target, "wb");
            if (o->fp == NULL) {
                int e = errno;
                free(o->target);
                o->target = NULL;
                return fail(err, errlen, path, "cannot open it", e);
            }
            return 0;
        }
    }
    size_t n = strlen(o->target);
    o->tmp = malloc(n + 16);
    if (o->tmp == NULL) {
        out_abort(o);
        return fail(err, errlen, path, "out of memory", 0);
    }
    const char *slash = strrchr(o->target, '/');
    size_t dir = slash ? (size_t)(slash - o->target) + 1 : 0;
    memcpy(o->tmp, o->target, dir);
    snprintf(o->tmp + dir, n + 16 - dir, ".%s.XXXXXX", o->target + dir);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        out_abort(o);
        return fail(err, errlen, path, "cannot create a file there", e);
    }
    /* the mode a new file gets from open(2) with 0666 (mkstemp makes 0600) */
    mode_t mask = umask(077);
    umask(mask);
    (void)fchmod(fd, (mode_t)(0666 & ~mask));
    o->fp = fdopen(fd, "wb");
    if (o->fp == NULL) {
        int e = errno;
        close(fd);
        out_abort(o);
        return fail(err, errlen, path, "cannot write there", e);
    }
    return 0;
}

void out_abort(out_file *o)
{
    if (o->fp != NULL && !o->is_stdout)
        fclose(o->fp);
    o->fp = NULL;
    if (o->tmp != NULL)
        unlink(o->tmp);
    free(o->tmp);
    free(o->target);
    o->tmp = o->target = NULL;
}

int out_commit(out_file *o, const char *path, char *err, size_t errlen)
{
    int rc = 0;
    if (o->is_stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = fail(err, errlen, "standard output", "write", errno);
        o->fp = NULL;
        return rc;
    }
    if (fflush(o->fp) != 0 || ferror(o->fp) || (o->tmp && fsync(fileno(o->fp)) != 0)) {
        rc = fail(err, errlen, path, "write", errno);
        out_abort(o);
        return rc;
    }
    int closed = fclose(o->fp);
    o->fp = NULL;
    if (closed != 0) {
        rc = fail(err, errlen, path, "close", errno);
        out_abort(o);
        return rc;
    }
    if (o->tmp != NULL && rename(o->tmp, o->target) != 0) {
        rc = fail(err, errlen, path, "rename", errno);
        out_abort(o);
        return rc;
    }
    free(o->tmp);
    o->tmp = NULL;
    free(o->target);
    o->target = NULL;
    return 0;
}
