/*
 * cap_test.h - shared by the capture tests: the cmocka includes in the order cmocka wants, and a
 * decode helper that copies the captured bytes into a heap block of exactly caplen bytes, so
 * that AddressSanitizer (build-cap-asan) catches a read one byte past the capture.
 */
#ifndef TCPSIM_TEST_CAP_TEST_H
#define TCPSIM_TEST_CAP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cap_decode.h"
#include "pkt_build.h"

static inline cap_skip decode_exact(int dlt, const uint8_t *bytes, size_t caplen, size_t wirelen,
                                    cap_packet *out)
{
    uint8_t *copy = malloc(caplen != 0 ? caplen : 1);
    cap_skip why;
    assert_non_null(copy);
    if (caplen != 0)
        memcpy(copy, bytes, caplen);
    why = cap_decode(dlt, caplen != 0 ? copy : NULL, caplen, wirelen, out);
    free(copy);
    return why;
}

/* The whole built packet, captured in full. */
static inline cap_skip decode_pb(int dlt, const pb *b, cap_packet *out)
{
    return decode_exact(dlt, b->buf, b->len, b->len, out);
}

/* The built packet cut to caplen bytes of its full length (snaplen). */
static inline cap_skip decode_cut(int dlt, const pb *b, size_t caplen, cap_packet *out)
{
    return decode_exact(dlt, b->buf, caplen, b->len, out);
}

/* The built packet when the frame on the wire really was only `len` bytes. */
static inline cap_skip decode_short(int dlt, const pb *b, size_t len, cap_packet *out)
{
    return decode_exact(dlt, b->buf, len, len, out);
}

#define assert_skip(expected, actual)                                                              \
    assert_string_equal(cap_skip_name(expected), cap_skip_name(actual))

#endif
