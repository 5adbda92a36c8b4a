/*
 * cap_zeek.c - Zeek's history letters and conn_state for a replayed connection (see cap_zeek.h).
 */
#include "cap_zeek.h"

#include <string.h>

enum { SEQ_S, SEQ_H, SEQ_F, SEQ_R }; /* letters recorded again on a new sequence number */
enum { LOG_C, LOG_G, LOG_T, LOG_W }; /* letters recorded logarithmically */
enum { ONCE_A = 1, ONCE_D = 2, ONCE_I = 4, ONCE_Q = 8 };

void cap_zeek_init(cap_zeek *z, bool flipped)
{
    memset(z, 0, sizeof *z);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 4; k++)
            z->next_mark[i][k] = 1;
    if (flipped)
        z->history[z->n++] = '^';
}

static void letter(cap_zeek *z, bool orig, char lower)
{
    if (z->n >= CAP_ZEEK_HISTORY) {
        z->history[CAP_ZEEK_HISTORY - 1] = 'x'; /* analysis partial: the history is longer */
        return;
    }
    z->history[z->n++] = orig ? (char)(lower - 'a' + 'A') : lower;
}

static void once(cap_zeek *z, bool orig, uint8_t bit, char lower)
{
    int i = orig ? 0 : 1;
    if (z->once[i] & bit)
        return;
    z->once[i] |= bit;
    letter(z, orig, lower);
}

static void by_seq(cap_zeek *z, bool orig, int k, uint32_t seq, char lower)
{
    int i = orig ? 0 : 1;
    if ((z->have_seq[i] & (1u << k)) && z->last_seq[i][k] == seq)
        return;
    z->have_seq[i] |= (uint8_t)(1u << k);
    z->last_seq[i][k] = seq;
    letter(z, orig, lower);
}

static void logarithmic(cap_zeek *z, bool orig, int k, char lower)
{
    int i = orig ? 0 : 1;
    z->count[i][k]++;
    if (z->count[i][k] < z->next_mark[i][k])
        return;
    z->next_mark[i][k] *= 10;
    letter(z, orig, lower);
}

/* Zeek's endpoint states follow what each endpoint sent. */
static void ep_state(cap_zeek *z, bool orig, uint8_t f, uint32_t len)
{
    cap_zeek_ep *me = &z->ep[orig ? 0 : 1], *peer = &z->ep[orig ? 1 : 0];
    if (f & TCP_RST) {
        *me = CAP_ZEEK_RESET;
        return;
    }
    if (*me == CAP_ZEEK_RESET)
        return;
    if (f & TCP_SYN) {
        if (*me == CAP_ZEEK_INACTIVE || (*me == CAP_ZEEK_SYN_SENT && (f & TCP_ACK)))
            *me = (f & TCP_ACK) ? CAP_ZEEK_SYN_ACK_SENT : CAP_ZEEK_SYN_SENT;
    } else if (*me == CAP_ZEEK_INACTIVE) {
        *me = CAP_ZEEK_PARTIAL;
    } else if ((*me == CAP_ZEEK_SYN_SENT || *me == CAP_ZEEK_SYN_ACK_SENT) && (f & TCP_ACK)) {
        *me = CAP_ZEEK_ESTABLISHED; /* it answered the other's SYN or SYN,ACK */
        if (*peer == CAP_ZEEK_SYN_SENT || *peer == CAP_ZEEK_SYN_ACK_SENT)
            *peer = CAP_ZEEK_ESTABLISHED;
    }
    if ((f & TCP_FIN) && *me != CAP_ZEEK_RESET)
        *me = CAP_ZEEK_CLOSED;
    (void)len;
}

void cap_zeek_packet(cap_zeek *z, const cap_zeek_pkt *p)
{
    const tcp_seg *s = p->seg;
    uint8_t f = s->flags;
    bool o = p->orig;
    z->bytes[o ? 0 : 1] += s->len;
    if (p->bad_checksum)
        logarithmic(z, o, LOG_C, 'c');
    bool syn = (f & TCP_SYN) != 0, fin = (f & TCP_FIN) != 0, rst = (f & TCP_RST) != 0;
    if (syn && (fin || rst)) {
        once(z, o, ONCE_Q, 'q');
    } else if (fin && rst) {
        once(z, o, ONCE_I, 'i');
    } else {
        if (syn)
            by_seq(z, o, (f & TCP_ACK) ? SEQ_H : SEQ_S, s->seq, (f & TCP_ACK) ? 'h' : 's');
        if (s->len > 0)
            once(z, o, ONCE_D, 'd');
        else if ((f & TCP_ACK) && !syn && !fin && !rst)
            once(z, o, ONCE_A, 'a');
        if (fin)
            by_seq(z, o, SEQ_F, s->seq + s->len, 'f');
        if (rst)
            by_seq(z, o, SEQ_R, s->seq, 'r');
    }
    if (p->gap)
        logarithmic(z, o, LOG_G, 'g');
    if (p->retransmission && s->len > 0)
        logarithmic(z, o, LOG_T, 't');
    if (s->win_raw == 0 && !rst && !syn)
        logarithmic(z, o, LOG_W, 'w');
    ep_state(z, o, f, s->len);
    z->started = true;
}

/* Does the history match ^?S[^HAFGIQ]*R.* (the originator's SYN, then its RST, with nothing
 * from the responder that Zeek counts as a reply in between)? */
static bool syn_then_rst(const char *h)
{
    if (*h == '^')
        h++;
    if (*h != 'S')
        return false;
    for (h++; *h; h++) {
        if (*h == 'R')
            return true;
        if (strchr("HAFGIQ", *h))
            return false;
    }
    return false;
}

const char *cap_zeek_conn_state(const cap_zeek *z)
{
    cap_zeek_ep os = z->ep[0], rs = z->ep[1];
    bool o_inactive = os == CAP_ZEEK_INACTIVE || os == CAP_ZEEK_PARTIAL;
    bool r_inactive = rs == CAP_ZEEK_INACTIVE || rs == CAP_ZEEK_PARTIAL;
    if (rs == CAP_ZEEK_RESET) {
        if (os == CAP_ZEEK_SYN_SENT || os == CAP_ZEEK_SYN_ACK_SENT ||
            (os == CAP_ZEEK_RESET && z->bytes[0] == 0 && z->bytes[1] == 0))
            return "REJ";
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == CAP_ZEEK_RESET) {
        if (r_inactive)
            return syn_then_rst(z->history) ? "RSTOS0" : "OTH";
        return "RSTO";
    }
    if (rs == CAP_ZEEK_CLOSED && os == CAP_ZEEK_CLOSED)
        return "SF";
    if (os == CAP_ZEEK_CLOSED)
        return r_inactive ? "SH" : "S2";
    if (rs == CAP_ZEEK_CLOSED)
        return o_inactive ? "SHR" : "S3";
    if (os == CAP_ZEEK_SYN_SENT && rs == CAP_ZEEK_INACTIVE)
        return "S0";
    if (os == CAP_ZEEK_ESTABLISHED && rs == CAP_ZEEK_ESTABLISHED)
        return "S1";
    return "OTH";
}

const char *cap_zeek_conn_state_meaning(const char *st)
{
    static const struct {
        const char *name, *meaning;
    } m[] = {
        {"S0", "connection attempt seen, no reply"},
        {"S1", "connection established, not terminated"},
        {"SF", "normal establishment and termination"},
        {"REJ", "connection attempt rejected"},
        {"S2", "established, close attempt by the originator seen (no reply from the responder)"},
        {"S3", "established, close attempt by the responder seen (no reply from the originator)"},
        {"RSTO", "established, the originator aborted (sent a RST)"},
        {"RSTR", "the responder sent a RST"},
        {"RSTOS0", "the originator sent a SYN then a RST; no SYN,ACK from the responder seen"},
        {"RSTRH", "the responder sent a SYN,ACK then a RST; no SYN from the originator seen"},
        {"SH", "the originator sent a SYN then a FIN; no SYN,ACK from the responder seen"},
        {"SHR", "the responder sent a SYN,ACK then a FIN; no SYN from the originator seen"},
        {"OTH", "no SYN seen, just midstream traffic"},
    };
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
        if (strcmp(m[k].name, st) == 0)
            return m[k].meaning;
    return "";
}
