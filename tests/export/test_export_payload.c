/*
 * test_export_payload.c - the payload bytes of exported segments: the filler pattern, a stream
 * rebuilt from writes with and without text (text cut to the write's size, a write longer than
 * its text, chunks crossed by one segment, a segment that starts inside a chunk), the stream
 * offset of a segment (SYN, data, sequence numbers wrapping past 2^32, a stream longer than
 * 4 GiB, a segment before the stream start), and that memory holds text chunks only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cap_export_int.h"

static void test_filler_pattern(void **state)
{
    (void)state;
    static const char line[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\n";
    assert_int_equal(sizeof line - 1, 64);
    for (uint64_t k = 0; k < 64; k++) {
        assert_int_equal(cap_export_filler(k), (uint8_t)line[k]);
        assert_int_equal(cap_export_filler(k + 64 * 1000003ull), (uint8_t)line[k]);
        assert_int_equal(cap_export_filler(k + (1ull << 40)), (uint8_t)line[k]);
    }
}

static void fill(const cap_export_stream *s, uint64_t off, size_t n, char *out)
{
    cap_export_stream_fill(s, off, (uint8_t *)out, n);
    out[n] = '\0';
}

static void test_stream_text_and_filler(void **state)
{
    (void)state;
    cap_export_stream s;
    cap_export_stream_init(&s, 1000);
    assert_int_equal(cap_export_stream_write(&s, 4, "GET "), 0);
    assert_int_equal(cap_export_stream_write(&s, 11, "/index.html"), 0);
    assert_int_equal(cap_export_stream_write(&s, 70, NULL), 0); /* 70 filler bytes at 15 */
    assert_int_equal(cap_export_stream_write(&s, 3, "end"), 0);
    assert_int_equal(cap_export_stream_write(&s, 0, "ignored"), 0); /* nothing written */
    assert_int_equal(cap_export_stream_write(&s, 5, ""), 0);
    assert_int_equal(s.written, 4 + 11 + 70 + 3 + 5);
    assert_int_equal(s.n, 3);

    char out[200];
    fill(&s, 0, 15, out);
    assert_string_equal(out, "GET /index.html");
    /* a segment starting inside a chunk and running into the filler */
    fill(&s, 9, 10, out);
    assert_memory_equal(out, "x.html", 6);
    for (int k = 6; k < 10; k++) /* offsets 15 to 18 are filler */
        assert_int_equal((uint8_t)out[k], cap_export_filler((uint64_t)(9 + k)));
    /* the text after the filler */
    fill(&s, 85, 3, out);
    assert_string_equal(out, "end");
    /* the write without text after it, and beyond everything written: filler */
    fill(&s, 88, 10, out);
    for (int k = 0; k < 10; k++)
        assert_int_equal((uint8_t)out[k], cap_export_filler((uint64_t)(88 + k)));
    /* one segment across all of it */
    fill(&s, 0, 93, out);
    assert_memory_equal(out, "GET /index.html", 15);
    assert_memory_equal(out + 85, "end", 3);
    cap_export_stream_free(&s);
    assert_null(s.chunk);
}

static void test_stream_text_longer_or_shorter_than_write(void **state)
{
    (void)state;
    cap_export_stream s;
    cap_export_stream_init(&s, 0);
    /* text longer than the write: only `bytes` of it are the stream's */
    assert_int_equal(cap_export_stream_write(&s, 5, "hello, world"), 0);
    /* a write longer than its text (an echo of a long read keeps a 63-character preview) */
    assert_int_equal(cap_export_stream_write(&s, 1000, "abc"), 0);
    char out[128];
    fill(&s, 0, 8, out);
    assert_string_equal(out, "helloabc");
    fill(&s, 8, 4, out);
    for (int k = 0; k < 4; k++)
        assert_int_equal((uint8_t)out[k], cap_export_filler((uint64_t)(8 + k)));
    /* 63 characters is the most a trace event holds */
    char longtext[100];
    memset(longtext, 'Q', sizeof longtext - 1);
    longtext[99] = '\0';
    assert_int_equal(cap_export_stream_write(&s, 99, longtext), 0);
    fill(&s, 1005, 64, out);
    for (int k = 0; k < 63; k++)
        assert_int_equal(out[k], 'Q');
    assert_int_equal((uint8_t)out[63], cap_export_filler(1005 + 63));
    cap_export_stream_free(&s);
}

static void test_many_chunks(void **state)
{
    (void)state;
    cap_export_stream s;
    cap_export_stream_init(&s, 7);
    char t[8];
    for (int i = 0; i < 5000; i++) {
        snprintf(t, sizeof t, "%05d", i);
        assert_int_equal(cap_export_stream_write(&s, 5, t), 0);
        assert_int_equal(cap_export_stream_write(&s, 2, NULL), 0);
    }
    assert_int_equal(s.n, 5000);
    char out[128];
    fill(&s, 7 * 4321, 5, out);
    assert_string_equal(out, "04321");
    fill(&s, 7 * 4999 + 3, 4, out);
    assert_int_equal(out[0], '9');
    assert_int_equal(out[1], '9');
    assert_int_equal((uint8_t)out[2], cap_export_filler(7 * 4999 + 5));
    cap_export_stream_free(&s);
}

static tcp_seg data_seg(uint32_t seq, uint32_t len)
{
    tcp_seg s;
    memset(&s, 0, sizeof s);
    s.seq = seq;
    s.len = len;
    s.flags = TCP_ACK;
    return s;
}

static void test_offsets(void **state)
{
    (void)state;
    cap_export_stream s;
    cap_export_stream_init(&s, 1000);
    tcp_seg d = data_seg(1001, 100);
    assert_int_equal(cap_export_stream_offset(&s, &d), 0);
    d = data_seg(1101, 100);
    assert_int_equal(cap_export_stream_offset(&s, &d), 100);
    /* a retransmission of the first */
    d = data_seg(1001, 100);
    assert_int_equal(cap_export_stream_offset(&s, &d), 0);
    /* data on a SYN starts one after the ISN */
    tcp_seg syn = data_seg(1000, 10);
    syn.flags = TCP_SYN;
    assert_int_equal(cap_export_stream_offset(&s, &syn), 0);
    /* a segment from before the stream (not real data): taken as is, the stream is not moved */
    d = data_seg(900, 1);
    assert_int_equal(cap_export_stream_offset(&s, &d), (uint32_t)(900 - 1001));
    d = data_seg(1201, 1);
    assert_int_equal(cap_export_stream_offset(&s, &d), 200);
}

static void test_offsets_wrap(void **state)
{
    (void)state;
    cap_export_stream s;
    cap_export_stream_init(&s, 0xfffffff0u); /* ISN near 2^32 */
    tcp_seg d = data_seg(0xfffffff1u, 1460);
    assert_int_equal(cap_export_stream_offset(&s, &d), 0);
    d = data_seg(0xfffffff1u + 1460u, 1460); /* wrapped past 0 */
    assert_int_equal(cap_export_stream_offset(&s, &d), 1460);
    /* walk 10 GiB in 1 GiB steps: the offset keeps counting past 2^32 */
    uint64_t off = 1460;
    for (int i = 0; i < 10; i++) {
        off += 1ull << 30;
        d = data_seg((uint32_t)(0xfffffff1u + off), 1);
        assert_int_equal(cap_export_stream_offset(&s, &d), off);
    }
    /* a retransmission from a little earlier is still placed in the same 4 GiB */
    d = data_seg((uint32_t)(0xfffffff1u + off - 100000), 1);
    assert_int_equal(cap_export_stream_offset(&s, &d), off - 100000);
    assert_true(off > (1ull << 33));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filler_pattern),
        cmocka_unit_test(test_stream_text_and_filler),
        cmocka_unit_test(test_stream_text_longer_or_shorter_than_write),
        cmocka_unit_test(test_many_chunks),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_offsets_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
