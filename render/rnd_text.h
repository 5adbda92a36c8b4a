/*
 * rnd_text.h - the words and numbers printed on diagrams: durations ("1.0 s", "200 ms"), times
 * on the axis, segment labels ("SYN,ACK seq=0 ack=1 win=65535") and application calls
 * ("write(11) \"hello\"").  Pure string formatting, shared by the ladder and the graph.
 */
#ifndef TCPSIM_RND_TEXT_H
#define TCPSIM_RND_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "rnd_model.h"
#include "trace.h"

/* A duration for humans: "850 us", "1.5 ms", "200 ms", "1.0 s", "120 s". Returns buf. */
const char *rnd_fmt_duration(uint64_t us, char *buf, size_t size);
/* A time on the axis in milliseconds with `decimals` decimals ("50.0"). Returns buf. */
const char *rnd_fmt_ms(int64_t us, int decimals, char *buf, size_t size);
/* First label line of a segment: flags, seq, ack (if ACK), len (if > 0), win. Returns buf. */
const char *rnd_fmt_seg(const rnd_mseg *s, char *buf, size_t size);
/* An application call as a margin note, as the socket API returns it: "connect()",
 * "write(13) = 13 \"hello, world\u21b5\"", "read() = 13", "write(8000) blocks, 4096 taken";
 * control characters shown (a line end as \u21b5, \r), never as a period. Returns buf. */
const char *rnd_fmt_app(const trace_event *ev, char *buf, size_t size);
/* An RTT sample ("RTT 100 ms: SRTT 100 ms, RTTVAR 50 ms, RTO 1.0 s") or an endpoint's remark
 * (Karn's rule, RFC 6298 5.7, "... write unblocked") as a margin note. Returns buf. */
const char *rnd_fmt_remark(const trace_event *ev, char *buf, size_t size);
/* A byte or sequence count with a k/M suffix for axes: "0", "1460", "29.2k", "1.46M". */
const char *rnd_fmt_bytes(double v, char *buf, size_t size);

#endif
