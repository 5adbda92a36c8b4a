/*
 * cli_json.c - JSON Lines output of trace events.
 */
#include "cli_json.h"

#include <inttypes.h>
#include <string.h>

void cli_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20 || *p >= 0x7f)
                fprintf(out, "\\u%04x", (unsigned)*p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void cli_json_segment(FILE *out, const tcp_seg *s)
{
    static const uint8_t order[] = {TCP_SYN, TCP_FIN, TCP_RST, TCP_PSH,
                                    TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR};
    fputs("\"seg\":{\"flags\":[", out);
    const char *sep = "";
    for (size_t i = 0; i < sizeof order; i++) {
        if (s->flags & order[i]) {
            fprintf(out, "%s\"%s\"", sep, tcp_flag_name(order[i]));
            sep = ",";
        }
    }
    fprintf(out, "],\"seq\":%" PRIu32 ",\"ack\":%" PRIu32 ",\"len\":%" PRIu32 ",\"win\":%" PRIu32,
            s->seq, s->ack, s->len, s->win);
    if (s->has_mss)
        fprintf(out, ",\"mss\":%u", (unsigned)s->mss);
    if (s->has_wscale)
        fprintf(out, ",\"wscale\":%u", (unsigned)s->wscale);
    if (s->sack_perm)
        fputs(",\"sack_perm\":true", out);
    if (s->has_ts)
        fprintf(out, ",\"ts\":[%" PRIu32 ",%" PRIu32 "]", s->tsval, s->tsecr);
    if (s->nsack) {
        fputs(",\"sack\":[", out);
        for (unsigned i = 0; i < s->nsack && i < TCP_MAX_SACK; i++)
            fprintf(out, "%s[%" PRIu32 ",%" PRIu32 "]", i ? "," : "", s->sack[i].left,
                    s->sack[i].right);
        fputc(']', out);
    }
    fputs("},\"tags\":[", out);
    sep = "";
    for (uint32_t bit = 1; bit < (1u << TCP_TAG_COUNT); bit <<= 1) {
        if (s->tags & bit) {
            fprintf(out, "%s\"%s\"", sep, tcp_tag_name(bit));
            sep = ",";
        }
    }
    fputc(']', out);
}

/* A socket call's socket, return value and phase (docs/trace-format.md). */
static void json_socket_call(FILE *out, const trace_event *ev)
{
    static const char *const phase[] = {"done", "blocks", "returns"};
    fputs(",\"host\":", out);
    cli_json_string(out, ev->u.app.host);
    fputs(",\"sock\":", out);
    cli_json_string(out, ev->u.app.sock);
    fprintf(out, ",\"phase\":\"%s\"", phase[ev->u.app.phase % 3]);
    if (ev->u.app.phase == TRACE_CALL_BLOCKS)
        return;
    fprintf(out, ",\"ret\":%" PRId64, ev->u.app.ret);
    const char *e = ev->u.app.ret < 0 ? trace_errno_name((int)-ev->u.app.ret) : NULL;
    if (e)
        fprintf(out, ",\"errno\":\"%s\"", e);
}

/* The record that opens a connection: "client" and "server" addresses. */
static void json_conn(FILE *out, const trace_event *ev)
{
    char c[TRACE_TEXT_MAX];
    snprintf(c, sizeof c, "%s", ev->text);
    char *sp = strchr(c, ' ');
    const char *srv = "";
    if (sp) {
        *sp = '\0';
        srv = sp + 1;
    }
    fputs(",\"client\":", out);
    cli_json_string(out, c);
    fputs(",\"server\":", out);
    cli_json_string(out, srv);
    if (ev->u.conn.udp)
        fputs(",\"proto\":\"udp\"", out);
}

void cli_json_emit(void *ctx, const trace_event *ev)
{
    cli_json *w = ctx;
    FILE *out = w->out;
    fprintf(out, "{\"t\":%" PRIu64, ev->t);
    if (w->with_conn) /* a capture: when the packet behind the event was captured */
        fprintf(out, ",\"t_capture\":%" PRIu64 ",\"conn\":%" PRIu32, ev->t_capture, ev->conn);
    else /* a simulation: the connection of the event (0: a socket call outside any) */
        fprintf(out, ",\"conn\":%" PRIu32, ev->conn);
    fprintf(out, ",\"ep\":\"%s\",\"ev\":\"%s\"", trace_ep_name(ev->ep),
            trace_kind_name((trace_kind)ev->kind));
    switch ((trace_kind)ev->kind) {
    case TRACE_SEND:
    case TRACE_RECV:
    case TRACE_DROP:
        fprintf(out, ",\"id\":%" PRIu64 ",", ev->id);
        cli_json_segment(out, &ev->seg);
        if (ev->kind == TRACE_DROP && ev->text[0]) {
            fputs(",\"cause\":", out);
            cli_json_string(out, ev->text);
        }
        break;
    case TRACE_STATE:
        fprintf(out, ",\"from\":\"%s\",\"to\":\"%s\",\"cause\":", tcp_state_name(ev->u.state.from),
                tcp_state_name(ev->u.state.to));
        cli_json_string(out, ev->text);
        if (ev->u.state.correction)
            fputs(",\"correction\":true", out);
        break;
    case TRACE_TIMER:
        fprintf(out, ",\"timer\":\"%s\",\"action\":\"%s\"",
                tcp_timer_name((tcp_timer_kind)ev->u.timer.timer),
                trace_timer_action_name((trace_timer_action)ev->u.timer.action));
        if (ev->u.timer.action == TRACE_TIMER_ARM)
            fprintf(out, ",\"deadline\":%" PRIu64, ev->u.timer.deadline);
        fprintf(out, ",\"duration\":%" PRIu64, ev->u.timer.duration);
        break;
    case TRACE_APP:
        fprintf(out, ",\"call\":\"%s\",\"bytes\":%" PRIu64, tcp_call_name((tcp_call)ev->u.app.call),
                ev->u.app.bytes);
        if (ev->u.app.call == TCP_CALL_WRITE)
            fprintf(out, ",\"accepted\":%" PRIu64 ",\"blocked\":%s", ev->u.app.done,
                    ev->u.app.blocked ? "true" : "false");
        if (ev->u.app.has_ret)
            json_socket_call(out, ev);
        if (ev->text[0]) {
            fputs(",\"text\":", out);
            cli_json_string(out, ev->text);
        }
        break;
    case TRACE_CONN:
        json_conn(out, ev);
        break;
    case TRACE_RTT:
        fprintf(out,
                ",\"sample\":%" PRIu64 ",\"srtt\":%" PRIu64 ",\"rttvar\":%" PRIu64
                ",\"rto\":%" PRIu64,
                ev->u.rtt.sample, ev->u.rtt.srtt, ev->u.rtt.rttvar, ev->u.rtt.rto);
        break;
    case TRACE_CWND:
        fprintf(out, ",\"cwnd\":%" PRIu32 ",\"ssthresh\":%" PRIu32 ",\"cause\":", ev->u.cwnd.cwnd,
                ev->u.cwnd.ssthresh);
        cli_json_string(out, ev->text);
        break;
    case TRACE_NOTE:
        if (ev->id != 0) /* about one of ep's segments (the packet id of a DROP taken back) */
            fprintf(out, ",\"id\":%" PRIu64 ",\"seq\":%" PRIu32 ",\"len\":%" PRIu32, ev->id,
                    ev->seg.seq, ev->seg.len);
        fputs(",\"text\":", out);
        cli_json_string(out, ev->text);
        break;
    default:
        break;
    }
    fputs("}\n", out);
}
