/*
 * test_export_file.c - cap_export_pcap() on hand-built traces, read back through libpcap: the
 * vantage rules (a segment lost on the link is in the sender's capture and not in the
 * receiver's; a duplicate arrives twice with one IP ID), the stable sort by time, IP IDs counted
 * per sender over every segment sent, payload from the applications' writes (a failed write
 * takes no stream bytes), the file header and timestamps (default and chosen epoch), IPv6, the
 * refusals (a capture trace, bad addresses, a bad vantage, an incomplete trace, a segment too
 * large for IP) and the file handling: temporary file renamed into place with the usual mode,
 * nothing left behind and an existing file untouched when the directory is missing or not
 * writable, when the path is a directory or when a write fails half-way (RLIMIT_FSIZE), and "-"
 * for standard output.
 */
#include "export_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcap/dlt.h>

static trace_buf TB;
static xt_file F;
static char dir[512];
static char path[600];

static int setup(void **state)
{
    const char *tmp = getenv("TMPDIR");
    (void)state;
    snprintf(dir, sizeof dir, "%s/tcpsim-export-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/out.pcap", dir);
    trace_buf_init(&TB);
    return 0;
}

/* Removes everything in dir (one level) and dir itself. */
static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        char p[1200];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            chmod(p, 0700);
            if (rmdir(p) != 0)
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
    trace_buf_free(&TB);
    return 0;
}

/* Names in dir other than . and .., written space-separated into out. */
static size_t dir_entries(const char *d, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    DIR *h = opendir(d);
    assert_non_null(h);
    struct dirent *e;
    while ((e = readdir(h)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        strncat(out, e->d_name, size - strlen(out) - 1);
        strncat(out, " ", size - strlen(out) - 1);
    }
    closedir(h);
    return n;
}

static void write_file(const char *p, const char *text)
{
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void assert_file_is(const char *p, const char *text)
{
    char got[256] = "";
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    assert_string_equal(got, text);
}

static int export(const cap_export_opts *o, const char *p, char *err, size_t errlen)
{
    err[0] = '\0';
    return cap_export_pcap(&TB, o, p, err, errlen);
}

static void export_ok(unsigned vantage, bool raw)
{
    cap_export_opts o;
    cap_export_opts_default(&o);
    o.vantage = vantage;
    o.raw_ip = raw;
    char err[512];
    int rc = export(&o, path, err, sizeof err);
    if (rc != 0)
        fail_msg("export failed (%d): %s", rc, err);
    xt_read(path, &F, 49152);
}

/*
 * A small connection with every vantage rule in it (ids are segment ids):
 *   1 client SYN           0 -> 50 ms
 *   2 server SYN,ACK      50 -> 100 ms
 *   3 client ACK         100 -> 150 ms
 *   4 client "hello"     200 ms, lost on the link
 *   5 server 3 bytes     210 ms, lost on the link
 *   6 server ACK         300 ms -> 350 ms and again at 350.001 ms (duplicated)
 *   7 client "hello"    1200 ms -> 1250 ms (retransmission of 4)
 */
static void build_vantage_trace(void)
{
    xt_start(&TB, "192.0.2.1:49152", "192.0.2.2:80");
    xt_hop(&TB, 0, 0, 1, 1000, 0, 0, TCP_SYN);
    xt_hop(&TB, 1, 50000, 2, 2000, 1001, 0, TCP_SYN | TCP_ACK);
    xt_hop(&TB, 0, 100000, 3, 1001, 2001, 0, TCP_ACK);
    xt_write(&TB, 0, 200000, 5, "hello");
    xt_seg(&TB, TRACE_SEND, 0, 200000, 4, 1001, 2001, 5, TCP_PSH | TCP_ACK);
    xt_seg(&TB, TRACE_DROP, 0, 200000, 4, 1001, 2001, 5, TCP_PSH | TCP_ACK);
    xt_write(&TB, 1, 210000, 3, NULL);
    xt_seg(&TB, TRACE_SEND, 1, 210000, 5, 2001, 1001, 3, TCP_PSH | TCP_ACK);
    xt_seg(&TB, TRACE_DROP, 1, 210000, 5, 2001, 1001, 3, TCP_PSH | TCP_ACK);
    xt_seg(&TB, TRACE_SEND, 1, 300000, 6, 2004, 1001, 0, TCP_ACK);
    xt_seg(&TB, TRACE_RECV, 0, 350000, 6, 2004, 1001, 0, TCP_ACK);
    xt_seg(&TB, TRACE_RECV, 0, 350001, 6, 2004, 1001, 0, TCP_ACK);
    xt_hop(&TB, 0, 1200000, 7, 1001, 2001, 5, TCP_PSH | TCP_ACK);
}

static void expect_pkt(size_t i, uint64_t t, unsigned from, uint32_t seq, uint8_t flags,
                       uint16_t ip_id)
{
    assert_true(i < F.n);
    const xt_pkt *k = &F.pkt[i];
    assert_int_equal(k->ts_us, (uint64_t)CAP_EXPORT_EPOCH * 1000000u + t);
    assert_int_equal(k->from, from);
    assert_int_equal(k->p.seg.seq, seq);
    assert_int_equal(k->p.seg.flags, flags);
    assert_int_equal(k->p.ip_id, ip_id);
}

static void test_vantage_client(void **state)
{
    (void)state;
    build_vantage_trace();
    export_ok(TRACE_CLIENT, false);
    assert_int_equal(F.linktype, DLT_EN10MB);
    assert_int_equal(F.n, 7);
    /* client IP IDs 1..4 for segments 1, 3, 4, 7; server 1..3 for 2, 5, 6 */
    expect_pkt(0, 0, 0, 1000, TCP_SYN, 1);
    expect_pkt(1, 100000, 1, 2000, TCP_SYN | TCP_ACK, 1);
    expect_pkt(2, 100000, 0, 1001, TCP_ACK, 2);
    expect_pkt(3, 200000, 0, 1001, TCP_PSH | TCP_ACK, 3); /* lost after the capture point */
    /* segment 5 was lost before reaching the client: absent */
    expect_pkt(4, 350000, 1, 2004, TCP_ACK, 3); /* duplicated: twice, one IP ID */
    expect_pkt(5, 350001, 1, 2004, TCP_ACK, 3);
    expect_pkt(6, 1200000, 0, 1001, TCP_PSH | TCP_ACK, 4);
    assert_memory_equal(xt_payload(&F.pkt[3]), "hello", 5);
    assert_memory_equal(xt_payload(&F.pkt[6]), "hello", 5);
}

static void test_vantage_server(void **state)
{
    (void)state;
    build_vantage_trace();
    export_ok(TRACE_SERVER, true);
    assert_int_equal(F.linktype, DLT_RAW);
    assert_int_equal(F.n, 6);
    expect_pkt(0, 50000, 0, 1000, TCP_SYN, 1);
    expect_pkt(1, 50000, 1, 2000, TCP_SYN | TCP_ACK, 1); /* same time: the trace's order */
    expect_pkt(2, 150000, 0, 1001, TCP_ACK, 2);
    /* segment 4 was lost before reaching the server: absent */
    expect_pkt(3, 210000, 1, 2001, TCP_PSH | TCP_ACK, 2); /* lost after the capture point */
    expect_pkt(4, 300000, 1, 2004, TCP_ACK, 3);           /* sent once, captured once */
    expect_pkt(5, 1250000, 0, 1001, TCP_PSH | TCP_ACK, 4);
    /* the server's three bytes were written without text: the filler */
    assert_memory_equal(xt_payload(&F.pkt[3]), "abc", 3);
    assert_memory_equal(xt_payload(&F.pkt[5]), "hello", 5);
}

/* Frames are sorted by time; frames of one time keep the trace's order. */
static void test_stable_sort(void **state)
{
    (void)state;
    xt_start(&TB, "192.0.2.1:49152", "192.0.2.2:80");
    /* a receive recorded before sends that happen earlier (as a hand-made trace may) */
    xt_seg(&TB, TRACE_RECV, 0, 900, 10, 2000, 0, 0, TCP_ACK);
    xt_seg(&TB, TRACE_SEND, 0, 500, 11, 1001, 0, 0, TCP_ACK);
    xt_seg(&TB, TRACE_SEND, 0, 700, 12, 1002, 0, 0, TCP_ACK);
    xt_seg(&TB, TRACE_SEND, 0, 700, 13, 1003, 0, 0, TCP_ACK);
    xt_seg(&TB, TRACE_RECV, 0, 700, 14, 2001, 0, 0, TCP_ACK);
    xt_seg(&TB, TRACE_SEND, 0, 700, 15, 1004, 0, 0, TCP_ACK);
    export_ok(TRACE_CLIENT, false);
    assert_int_equal(F.n, 6);
    static const uint32_t seq[] = {1001, 1002, 1003, 2001, 1004, 2000};
    static const uint64_t t[] = {500, 700, 700, 700, 700, 900};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(F.pkt[i].p.seg.seq, seq[i]);
        assert_int_equal(F.pkt[i].ts_us, (uint64_t)CAP_EXPORT_EPOCH * 1000000u + t[i]);
    }
    /* the arrivals were never seen sent: IP ID 0 */
    assert_int_equal(F.pkt[3].p.ip_id, 0);
    assert_int_equal(F.pkt[0].p.ip_id, 1);
}

/* A write the simulator took back ("write failed") adds nothing to the stream. */
static void test_failed_write(void **state)
{
    (void)state;
    xt_start(&TB, "192.0.2.1:49152", "192.0.2.2:80");
    trace_event *w = xt_add(&TB, TRACE_APP, 0, 10);
    w->u.app.call = TCP_CALL_WRITE;
    w->u.app.bytes = 100;
    w->u.app.done = 0;
    w->u.app.blocked = true;
    trace_event *note = xt_add(&TB, TRACE_NOTE, 0, 10);
    snprintf(note->text, sizeof note->text, "write failed: connection is not open for sending");
    xt_write(&TB, 0, 20, 4, "data");
    /* a blocked write that did not fail keeps its bytes */
    w = xt_add(&TB, TRACE_APP, 0, 30);
    w->u.app.call = TCP_CALL_WRITE;
    w->u.app.bytes = 3;
    w->u.app.done = 0;
    w->u.app.blocked = true;
    snprintf(w->text, sizeof w->text, "xyz");
    xt_hop(&TB, 0, 40, 1, 1001, 2001, 7, TCP_ACK);
    export_ok(TRACE_CLIENT, false);
    assert_int_equal(F.n, 1);
    assert_memory_equal(xt_payload(&F.pkt[0]), "dataxyz", 7);
}

static void test_file_header_and_timestamps(void **state)
{
    (void)state;
    xt_start(&TB, "192.0.2.1:49152", "192.0.2.2:80");
    xt_seg(&TB, TRACE_SEND, 0, 3723000001ull, 1, 1000, 0, 0, TCP_SYN);
    for (int raw = 0; raw < 2; raw++) {
        export_ok(TRACE_CLIENT, raw != 0);
        uint8_t h[40];
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
        fclose(f);
        static const uint8_t want[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                                         0,    0,    0,    0,    0, 0, 4, 0, 1, 0, 0, 0};
        uint8_t w[24];
        memcpy(w, want, sizeof w);
        if (raw)
            w[20] = 101;
        assert_memory_equal(h, w, 24);
        /* the record: seconds after the epoch, then microseconds */
        uint32_t sec =
            (uint32_t)h[24] | (uint32_t)h[25] << 8 | (uint32_t)h[26] << 16 | (uint32_t)h[27] << 24;
        uint32_t usec =
            (uint32_t)h[28] | (uint32_t)h[29] << 8 | (uint32_t)h[30] << 16 | (uint32_t)h[31] << 24;
        assert_int_equal(sec, CAP_EXPORT_EPOCH + 3723);
        assert_int_equal(usec, 1);
        assert_int_equal(F.n, 1);
        assert_int_equal(F.pkt[0].ts_us, (uint64_t)(CAP_EXPORT_EPOCH + 3723) * 1000000u + 1);
    }
    /* another epoch */
    cap_export_opts o;
    cap_export_opts_default(&o);
    assert_int_equal(o.epoch, 1767225600u); /* 2026-01-01 00:00:00 UTC */
    assert_int_equal(o.vantage, TRACE_CLIENT);
    assert_false(o.raw_ip);
    o.epoch = 0;
    char err[256];
    assert_int_equal(export(&o, path, err, sizeof err), 0);
    xt_read(path, &F, 49152);
    assert_int_equal(F.pkt[0].ts_us, 3723000001ull);
    /* a time that does not fit in 32-bit seconds */
    o.epoch = 0xffffffffu;
    assert_int_equal(export(&o, path, err, sizeof err), CAP_EXPORT_EREQUEST);
    assert_non_null(strstr(err, "2106"));
}

static void test_empty_trace(void **state)
{
    (void)state;
    xt_start(&TB, "192.0.2.1:49152", "192.0.2.2:80");
    export_ok(TRACE_CLIENT, false);
    assert_int_equal(F.n, 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 24);
}

static void test_ipv6_trace(void **state)
{
    (void)state;
    xt_start(&TB, "[2001:db8::1]:49152", "[2001:db8::2]:80");
    xt_write(&TB, 0, 0, 2, "hi");
    xt_hop(&TB, 0, 0, 1, 1001, 2001, 2, TCP_ACK | TCP_PSH);
    xt_hop(&TB, 1, 50000, 2, 2001, 1003, 0, TCP_ACK);
    for (int raw = 0; raw < 2; raw++) {
        export_ok(TRACE_SERVER, raw != 0);
        assert_int_equal(F.n, 2);
        assert_int_equal(F.pkt[0].p.ip_version, 6);
        assert_int_equal(F.pkt[0].p.src.bytes[15], 1);
        assert_int_equal(F.pkt[1].p.src.bytes[15], 2);
        assert_memory_equal(xt_payload(&F.pkt[0]), "hi", 2);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Refusals                                                                                    */

static void expect_refused(const cap_export_opts *o, int want, const char *needle)
{
    char err[512];
    write_file(path, "old contents");
    int rc = export(o, path, err, sizeof err);
    assert_int_equal(rc, want);
    if (strstr(err, needle) == NULL)
        fail_msg("message '%s' lacks '%s'", err, needle);
    assert_file_is(path, "old contents");
    char names[512];
    assert_int_equal(dir_entries(dir, names, sizeof names), 1);
    unlink(path);
}

static void test_refuses_capture_trace(void **state)
{
    (void)state;
    build_vantage_trace();
    TB.meta.capture = true;
    expect_refused(NULL, CAP_EXPORT_EREQUEST, "pcap export needs a simulated trace");
    /* the message names the file */
    char err[512];
    assert_int_equal(export(NULL, path, err, sizeof err), CAP_EXPORT_EREQUEST);
    assert_non_null(strstr(err, path));
    assert_int_equal(access(path, F_OK), -1);
}

static void test_refuses_bad_requests(void **state)
{
    (void)state;
    cap_export_opts o;
    cap_export_opts_default(&o);
    build_vantage_trace();
    o.vantage = 2;
    expect_refused(&o, CAP_EXPORT_EREQUEST, "vantage");
    o.vantage = TRACE_CLIENT;

    snprintf(TB.meta.addr[1], sizeof TB.meta.addr[1], "server");
    expect_refused(&o, CAP_EXPORT_EREQUEST, "server address 'server'");
    snprintf(TB.meta.addr[1], sizeof TB.meta.addr[1], "[2001:db8::2]:80");
    expect_refused(&o, CAP_EXPORT_EREQUEST, "IP version");
    snprintf(TB.meta.addr[1], sizeof TB.meta.addr[1], "192.0.2.2:80");

    /* a segment too large for one IPv4 packet */
    xt_seg(&TB, TRACE_SEND, 0, 2000000, 8, 1006, 2001, 70000, TCP_ACK);
    expect_refused(&o, CAP_EXPORT_EREQUEST, "too large");
    TB.n--;

    /* an incomplete trace */
    TB.oom = true;
    expect_refused(&o, CAP_EXPORT_ERUNTIME, "incomplete");
    TB.oom = false;

    char err[64];
    assert_int_equal(cap_export_pcap(NULL, &o, path, err, sizeof err), CAP_EXPORT_EREQUEST);
    assert_int_equal(cap_export_pcap(&TB, &o, NULL, err, sizeof err), CAP_EXPORT_EREQUEST);
    assert_int_equal(cap_export_pcap(&TB, &o, "", err, sizeof err), CAP_EXPORT_EREQUEST);
    /* no room for a message is fine */
    TB.meta.capture = true;
    assert_int_equal(cap_export_pcap(&TB, &o, path, NULL, 0), CAP_EXPORT_EREQUEST);
}

/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                       */

static void test_replaces_existing_file_with_mode(void **state)
{
    (void)state;
    build_vantage_trace();
    write_file(path, "old contents");
    chmod(path, 0600);
    mode_t old = umask(022);
    export_ok(TRACE_CLIENT, false);
    umask(027);
    char p2[700];
    snprintf(p2, sizeof p2, "%s/second.pcap", dir);
    char err[256];
    assert_int_equal(export(NULL, p2, err, sizeof err), 0);
    umask(old);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(stat(p2, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(F.n, 7);
    char names[512];
    assert_int_equal(dir_entries(dir, names, sizeof names), 2); /* no temporary file left */
    unlink(p2);
}

/* A relative path writes (and renames) in the current directory. */
static void test_relative_path(void **state)
{
    (void)state;
    build_vantage_trace();
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    char err[256];
    int rc = export(NULL, "rel.pcap", err, sizeof err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    char p[700], names[512];
    snprintf(p, sizeof p, "%s/rel.pcap", dir);
    xt_read(p, &F, 49152);
    assert_int_equal(F.n, 7);
    assert_int_equal(dir_entries(dir, names, sizeof names), 1);
    unlink(p);
}

static void test_missing_directory(void **state)
{
    (void)state;
    build_vantage_trace();
    char p[700], err[512];
    snprintf(p, sizeof p, "%s/no/such/dir/out.pcap", dir);
    assert_int_equal(export(NULL, p, err, sizeof err), CAP_EXPORT_ERUNTIME);
    assert_non_null(strstr(err, p));
    assert_non_null(strstr(err, strerror(ENOENT)));
    char names[512];
    assert_int_equal(dir_entries(dir, names, sizeof names), 0);
}

static void test_unwritable_directory(void **state)
{
    (void)state;
    build_vantage_trace();
    char ro[700], p[800], err[512], names[512];
    snprintf(ro, sizeof ro, "%s/ro", dir);
    assert_int_equal(mkdir(ro, 0700), 0);
    snprintf(p, sizeof p, "%s/out.pcap", ro);
    write_file(p, "old contents");
    assert_int_equal(chmod(ro, 0500), 0);
    /* root writes anyway: check the permission really holds before relying on it */
    char probe[800];
    snprintf(probe, sizeof probe, "%s/probe", ro);
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
        close(fd);
        unlink(probe);
        chmod(ro, 0700);
        print_message("note: permissions do not bind this user (root?): using /proc instead\n");
        /* /proc refuses new files even to root */
        struct stat st;
        if (stat("/proc/self", &st) != 0) {
            skip();
        }
        assert_int_equal(export(NULL, "/proc/tcpsim-export-test.pcap", err, sizeof err),
                         CAP_EXPORT_ERUNTIME);
        assert_non_null(strstr(err, "/proc/tcpsim-export-test.pcap"));
        assert_int_equal(access("/proc/tcpsim-export-test.pcap", F_OK), -1);
        return;
    }
    int rc = export(NULL, p, err, sizeof err);
    chmod(ro, 0700);
    assert_int_equal(rc, CAP_EXPORT_ERUNTIME);
    assert_non_null(strstr(err, "cannot create a file there"));
    assert_non_null(strstr(err, strerror(EACCES)));
    assert_file_is(p, "old contents");
    assert_int_equal(dir_entries(ro, names, sizeof names), 1);
}

static void test_path_is_directory(void **state)
{
    (void)state;
    build_vantage_trace();
    char d2[700], err[512], names[512];
    snprintf(d2, sizeof d2, "%s/adir", dir);
    assert_int_equal(mkdir(d2, 0700), 0);
    assert_int_equal(export(NULL, d2, err, sizeof err), CAP_EXPORT_ERUNTIME);
    assert_non_null(strstr(err, d2));
    struct stat st;
    assert_int_equal(stat(d2, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(dir_entries(dir, names, sizeof names), 1); /* only adir: no temporary */
}

/* A write that fails half-way (file size limit): nothing left, the old file intact. */
static void test_write_error_half_way(void **state)
{
    (void)state;
    build_vantage_trace();
    for (int i = 0; i < 40; i++) /* enough frames to pass any stdio buffer */
        xt_hop(&TB, 0, 2000000 + (uint64_t)i * 1000, 100 + (uint64_t)i, 1006, 2001, 1400, TCP_ACK);
    write_file(path, "old contents");
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 20000;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    char err[512];
    int rc = export(NULL, path, err, sizeof err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, CAP_EXPORT_ERUNTIME);
    assert_non_null(strstr(err, strerror(EFBIG)));
    assert_non_null(strstr(err, path)); /* the file asked for, not the temporary name */
    assert_file_is(path, "old contents");
    char names[512];
    assert_int_equal(dir_entries(dir, names, sizeof names), 1);
    /* and without the limit it works */
    export_ok(TRACE_CLIENT, false);
    assert_int_equal(F.n, 47);
}

static void test_stdout(void **state)
{
    (void)state;
    build_vantage_trace();
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
            _exit(3);
        char err[256];
        _exit(cap_export_pcap(&TB, NULL, "-", err, sizeof err) == 0 ? 0 : 4);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    xt_read(path, &F, 49152);
    assert_int_equal(F.n, 7);
    char names[512];
    assert_int_equal(dir_entries(dir, names, sizeof names), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vantage_client, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vantage_server, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stable_sort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_header_and_timestamps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipv6_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_capture_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_bad_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaces_existing_file_with_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_is_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error_half_way, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stdout, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
