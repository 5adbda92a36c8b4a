/*
 * tcp_state.c - names of states, flags, tags, timers and calls, and their parsing.
 */
#include <stdio.h>
#include <string.h>

#include "tcp_seg.h"
#include "tcp_state.h"

static const char *const state_names[TCP_STATE_COUNT] = {
    "CLOSED",     "LISTEN",     "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
    "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",  "LAST-ACK",     "TIME-WAIT",
};

const char *tcp_state_name(tcp_state s)
{
    return (unsigned)s < TCP_STATE_COUNT ? state_names[s] : "?";
}

int tcp_state_parse(const char *name)
{
    for (int i = 0; i < TCP_STATE_COUNT; i++)
        if (strcmp(state_names[i], name) == 0)
            return i;
    return -1;
}

const char *tcp_timer_name(tcp_timer_kind k)
{
    static const char *const n[TCP_TIMER_COUNT] = {"none",      "rto", "persist", "delack",
                                                   "time-wait", "tlp", "reorder"};
    return (unsigned)k < TCP_TIMER_COUNT ? n[k] : "?";
}

const char *tcp_call_name(tcp_call c)
{
    static const char *const n[TCP_CALL_COUNT] = {
        "listen", "connect", "write",  "read", "shutdown", "close",  "abort",
        "socket", "bind",    "accept", "poll", "nonblock", "sendto", "recvfrom"};
    return (unsigned)c < TCP_CALL_COUNT ? n[c] : "?";
}

const char *tcp_flag_name(uint8_t bit)
{
    switch (bit) {
    case TCP_FIN:
        return "FIN";
    case TCP_SYN:
        return "SYN";
    case TCP_RST:
        return "RST";
    case TCP_PSH:
        return "PSH";
    case TCP_ACK:
        return "ACK";
    case TCP_URG:
        return "URG";
    case TCP_ECE:
        return "ECE";
    case TCP_CWR:
        return "CWR";
    default:
        return NULL;
    }
}

const char *tcp_flags_str(uint8_t flags, char *buf, size_t size)
{
    /* textbook order: SYN first, then FIN, RST, PSH, ACK, URG, ECE, CWR */
    static const uint8_t order[] = {TCP_SYN, TCP_FIN, TCP_RST, TCP_PSH,
                                    TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR};
    size_t used = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof order; i++) {
        if (!(flags & order[i]))
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", tcp_flag_name(order[i]));
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
    if (used == 0)
        snprintf(buf, size, "none");
    return buf;
}

const char *tcp_tag_name(uint32_t bit)
{
    switch (bit) {
    case TCP_TAG_RETRANSMISSION:
        return "retransmission";
    case TCP_TAG_FAST_RETRANSMISSION:
        return "fast-retransmission";
    case TCP_TAG_ZERO_WINDOW_PROBE:
        return "zero-window-probe";
    case TCP_TAG_DUP_ACK:
        return "dup-ack";
    case TCP_TAG_WINDOW_UPDATE:
        return "window-update";
    case TCP_TAG_KEEP_ALIVE:
        return "keep-alive";
    case TCP_TAG_ZERO_WINDOW:
        return "zero-window";
    case TCP_TAG_CHALLENGE_ACK:
        return "challenge-ack";
    case TCP_TAG_OUT_OF_ORDER:
        return "out-of-order";
    case TCP_TAG_PREV_NOT_SEEN:
        return "previous-segment-not-seen";
    case TCP_TAG_SPURIOUS:
        return "spurious-retransmission";
    case TCP_TAG_DATAGRAM:
        return "datagram";
    case TCP_TAG_DUPLICATE:
        return "duplicate-frame";
    case TCP_TAG_OPTIONS_CUT:
        return "options-cut";
    default:
        return NULL;
    }
}
