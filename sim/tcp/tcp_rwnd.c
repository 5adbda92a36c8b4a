/*
 * tcp_rwnd.c - the receive window Linux advertises (cfg.rwnd = TCP_RWND_LINUX), after
 * tcp_select_initial_window, __tcp_select_window, tcp_select_window and tcp_grow_window, and the
 * window of our SYN in both modes.  The RFC window (free buffer space with the receiver SWS
 * avoidance of RFC 1122 4.2.3.3) is tcp_rcv_window in tcp.c.
 *
 * Linux charges its receive buffer with each segment's truesize (the data and the memory that
 * holds it), not with the data alone, and turns buffer space into window with a scaling ratio
 * (bytes of window per 256 bytes of buffer): half before any data arrived, then the ratio of
 * data to truesize of the last in-order segment of a new size (tcp_measure_rcv_mss).  The
 * truesize here is what a TUN device allocates (rx_truesize); the window then behaves as Linux's
 * does: it starts at the buffer's half rounded down to whole segments (64240 with MSS 1460,
 * 65160 with timestamps), grows by two segments per segment received, in order or not, while
 * there is room (rcv_ssthresh), is rounded up to the window scale's unit, never shrinks its
 * right edge, and is closed to zero when less than one segment would fit.  Linux's buffer
 * autotuning (tcp_rcv_space_adjust) is not modelled.
 */
#include "tcp.h"

#include "tcp_seq.h"

/* The true size Linux charges for a received segment of len data bytes, as a TUN device
 * allocates it (tun_alloc_skb, alloc_skb): the IP packet after 64 bytes of headroom, rounded to
 * 64, plus 320 bytes of skb_shared_info, in a kmalloc buffer of the next power of two, plus 256
 * bytes of struct sk_buff.  Every segment of 400 to 1460 bytes then costs 2304 (1448 bytes: a
 * ratio of 160/256), as much as a NIC's 2 KB receive buffers cost; 36 bytes cost 768. */
static uint32_t rx_truesize(const tcp_endpoint *ep, uint32_t len)
{
    uint32_t pkt = 20u + 20u + (ep->ts_ok ? 12u : 0u) + len;
    uint32_t size = (64u + pkt + 63u) / 64u * 64u + 320u, bucket = 512;
    while (bucket < size && bucket < 0x40000000u)
        bucket <<= 1;
    return bucket + 256u;
}

static uint32_t win_from_space(const tcp_endpoint *ep, uint32_t space)
{
    return (uint32_t)(((uint64_t)space * ep->scaling_ratio) >> 8);
}

/* The buffer: rcv_buf, or twice what SO_RCVBUF was given (Linux keeps half for bookkeeping). */
static uint32_t rbuf(const tcp_config *cfg)
{
    if (!cfg->rcv_buf_set)
        return cfg->rcv_buf;
    return cfg->rcv_buf > 0x3fffffffu ? 0x7fffffffu : 2 * cfg->rcv_buf;
}

/* The largest window: once the scaling ratio was measured, the buffer's worth at that ratio;
 * before, the whole buffer's worth when SO_RCVBUF fixed it, else the scale's. */
static uint32_t window_clamp(const tcp_endpoint *ep)
{
    if (ep->rcv_clamp)
        return ep->rcv_clamp;
    if (ep->cfg.rcv_buf_set)
        return win_from_space(ep, rbuf(&ep->cfg));
    return 65535u << ep->rcv_shift;
}

uint8_t tcp_rwnd_linux_wscale(const tcp_config *cfg)
{
    if (!cfg->rcv_buf_set)
        return 7;                   /* ilog2(6 MB) - 15 */
    uint32_t space = rbuf(cfg) / 2; /* the window a fixed buffer allows, before any data */
    uint8_t s = 0;
    while (s < 14 && (space >> 16) >> s)
        s++;
    return s;
}

uint32_t tcp_rwnd_syn(const tcp_endpoint *ep, bool synack)
{
    if (ep->cfg.rwnd != TCP_RWND_LINUX)
        return ep->cfg.rcv_buf > 65535 ? 65535 : ep->cfg.rcv_buf;
    /* tcp_select_initial_window: the buffer's window rounded down to whole segments; a SYN,ACK
     * already knows whether timestamps take 12 bytes of each segment */
    uint32_t mss = ep->cfg.mss;
    if (synack && ep->ts_ok && mss > 64 + 12)
        mss -= 12;
    uint32_t space = win_from_space(ep, rbuf(&ep->cfg));
    if (space > mss)
        space -= space % mss;
    return space > 65535 ? 65535 : space;
}

/* The window the buffer allows now, before the right edge rule (__tcp_select_window). */
static uint32_t select_window(tcp_endpoint *ep)
{
    uint32_t mss = ep->rcv_mss ? ep->rcv_mss : ep->smss;
    uint32_t buf = rbuf(&ep->cfg);
    uint32_t full = win_from_space(ep, buf);
    if (full > window_clamp(ep))
        full = window_clamp(ep);
    uint32_t used = ep->rmem < buf ? ep->rmem : buf;
    uint32_t free_space = win_from_space(ep, buf - used);
    if (free_space > full)
        free_space = full;
    uint32_t unit = 1u << ep->rcv_shift;
    if (mss > full)
        mss = full;
    if (free_space < full / 2) {
        ep->quick = 0; /* running out of buffer: no more quick ACKs */
        free_space -= free_space % unit;
        if (free_space < mss)
            return 0;
    }
    if (free_space > ep->rcv_ssthresh)
        free_space = ep->rcv_ssthresh;
    if (ep->rcv_shift)
        return (free_space + unit - 1) / unit * unit; /* do not let scaling round it away */
    /* without scaling: whole segments, kept as they are while that still fits */
    uint32_t window = tcp_seq_gt(ep->rcv_adv, ep->rcv_wup) ? ep->rcv_adv - ep->rcv_wup : 0;
    if (window + mss <= free_space || window > free_space)
        window = free_space - free_space % mss;
    else if (mss == full && free_space > window + full / 2)
        window = free_space;
    return window;
}

uint32_t tcp_rwnd_linux(tcp_endpoint *ep, bool commit)
{
    uint32_t cur = tcp_seq_gt(ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt : 0;
    uint32_t win = select_window(ep);
    uint32_t unit = 1u << ep->rcv_shift;
    if (win < cur)
        win = (cur + unit - 1) / unit * unit; /* never shrink the offered window */
    uint32_t max_adv = 65535u << ep->rcv_shift;
    if (win > max_adv)
        win = max_adv;
    win = (win >> ep->rcv_shift) << ep->rcv_shift;
    if (commit) {
        ep->rcv_adv = ep->rcv_nxt + win;
        ep->rcv_wup = ep->rcv_nxt;
    }
    return win;
}

void tcp_rwnd_measure(tcp_endpoint *ep, uint32_t len)
{
    /* tcp_measure_rcv_mss: a segment at least as large as the receiver's MSS estimate, and of
     * another size, sets the ratio from its true size; the clamp follows the new ratio */
    if (ep->cfg.rwnd != TCP_RWND_LINUX || len < ep->rcv_mss || len == ep->rcv_mss)
        return;
    uint32_t r = (uint32_t)(((uint64_t)len << 8) / rx_truesize(ep, len));
    if (r == 0)
        r = 1;
    if (r == ep->scaling_ratio)
        return;
    ep->scaling_ratio = (uint16_t)r;
    uint32_t old = window_clamp(ep), clamp = win_from_space(ep, rbuf(&ep->cfg));
    if (clamp < 1152)
        clamp = 1152; /* SOCK_MIN_RCVBUF / 2 */
    ep->rcv_clamp = clamp;
    if (clamp < old) {
        if (ep->rcv_ssthresh > clamp)
            ep->rcv_ssthresh = clamp;
    } else {
        /* tcp_set_window_clamp: growing, rcv_ssthresh may rise to the window offered */
        uint32_t wnd = tcp_seq_gt(ep->rcv_adv, ep->rcv_wup) ? ep->rcv_adv - ep->rcv_wup : 0;
        if (wnd > clamp)
            wnd = clamp;
        if (wnd > ep->rcv_ssthresh)
            ep->rcv_ssthresh = wnd;
    }
}

void tcp_rwnd_charge(tcp_endpoint *ep, uint32_t len, bool in_order)
{
    if (ep->cfg.rwnd != TCP_RWND_LINUX || len == 0)
        return;
    uint32_t truesize = rx_truesize(ep, len);
    ep->rmem += truesize;
    if (!in_order) {
        ep->rmem_ooo += truesize;
        ep->ooo_charged += len;
    }
    /* tcp_event_data_recv grows the window for in-order segments of 128 bytes or more,
     * tcp_data_queue_ofo for every out-of-order one */
    if (in_order && len < 128)
        return;
    /* tcp_grow_window: while the buffer has room beyond rcv_ssthresh, a segment whose truesize
     * fits its share raises it by two segments; such a segment is acknowledged at once */
    uint32_t buf = rbuf(&ep->cfg);
    uint32_t held = in_order ? ep->rmem : ep->rmem - truesize; /* ofo: before its charge */
    uint32_t used = held < buf ? held : buf;
    uint32_t space = win_from_space(ep, buf - used);
    if (space > window_clamp(ep))
        space = window_clamp(ep);
    if (space <= ep->rcv_ssthresh)
        return;
    uint32_t room = space - ep->rcv_ssthresh;
    uint32_t incr = 0;
    if (win_from_space(ep, truesize) <= len) {
        incr = 2 * ep->smss;
    } else {
        /* __tcp_grow_window: a wasteful segment still grows a window that is small against the
         * largest buffer (tcp_rmem[2], 6 MB), the more so the more wasteful it is */
        uint32_t t = win_from_space(ep, truesize) >> 1, w = win_from_space(ep, 6291456u) >> 1;
        while (ep->rcv_ssthresh <= w) {
            if (t <= len) {
                incr = 2 * (ep->rcv_mss ? ep->rcv_mss : ep->smss);
                break;
            }
            t >>= 1;
            w >>= 1;
        }
        if (incr == 0)
            return;
    }
    if (incr < 2 * len)
        incr = 2 * len;
    ep->rcv_ssthresh += incr < room ? incr : room;
    ep->quick |= 1;
}

void tcp_rwnd_ooo_drained(tcp_endpoint *ep, uint32_t len)
{
    if (ep->cfg.rwnd != TCP_RWND_LINUX || ep->ooo_charged == 0)
        return;
    if (len > ep->ooo_charged)
        len = ep->ooo_charged;
    uint32_t moved = (uint32_t)((uint64_t)ep->rmem_ooo * len / ep->ooo_charged);
    ep->rmem_ooo -= moved;
    ep->ooo_charged -= len;
}

void tcp_rwnd_release(tcp_endpoint *ep, uint32_t n, uint32_t held)
{
    if (ep->cfg.rwnd != TCP_RWND_LINUX || held == 0)
        return;
    /* the charge of what is read: its share of the in-order part (out-of-order data stays) */
    uint32_t in_order = ep->rmem > ep->rmem_ooo ? ep->rmem - ep->rmem_ooo : 0;
    uint64_t share = (uint64_t)in_order * n / held;
    ep->rmem = share >= ep->rmem ? 0 : ep->rmem - (uint32_t)share;
}
