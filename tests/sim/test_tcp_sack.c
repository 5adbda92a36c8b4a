/*
 * test_tcp_sack.c - SACK: the scoreboard alone (tcp_sack.c: units, cumulative and selective
 * acknowledgment at segment boundaries, D-SACK, RFC 6675 IsLost and SetPipe), the receiver's
 * blocks (RFC 2018 section 4, RFC 2883), the option's negotiation (RFC 2018 section 2), and the
 * RFC 6675 sender of `sack on` without the rest of the Linux profile.
 */
#include "tcp_fixture.h"

#include "tcp_sack.h"

#define I FX_ISN_WRAP
#define P FX_PEER_ISN_WRAP
#define M 1000u /* the scoreboard's segment size in the tests of tcp_sb alone */

/* ---- the scoreboard alone ------------------------------------------------------------------ */

/* Ten segments of 1000 bytes starting at 0xFFFFF000 (so the numbers wrap), as five 2-segment
 * units sent at t = 1, 2, 3, 4, 5 ms. */
static void five_units(tcp_sb *sb)
{
    tcp_sb_init(sb, M);
    for (uint32_t k = 0; k < 5; k++) {
        uint32_t s = 0xFFFFF000u + k * 2 * M;
        assert_int_equal(tcp_sb_push(sb, s, s + 2 * M, 2, 0, k + 1), 0);
    }
}

/* A cumulative ACK removes whole units and trims a partly acknowledged one to the segments it
 * still holds; the delivery counts segments and bytes and gives the earliest send time of what
 * was never retransmitted (for Linux's RTT sample). */
static void test_sb_ack_removes_and_trims(void **state)
{
    (void)state;
    tcp_sb sb;
    five_units(&sb);
    tcp_sb_delivery d = {0};
    tcp_sb_ack(&sb, 0xFFFFF000u + 3 * M, &d);
    assert_int_equal(sb.n, 4);
    assert_int_equal(d.segs_acked, 3);
    assert_int_equal(d.bytes_acked, 3 * M);
    assert_true(d.have_ack_rtt);
    assert_int_equal(d.ack_xmit, 1);
    const tcp_sb_unit *u = tcp_sb_at_c(&sb, 0);
    assert_int_equal(u->start, 0xFFFFF000u + 3 * M);
    assert_int_equal(u->segs, 1);
    tcp_sb_counts c;
    tcp_sb_count(&sb, &c);
    assert_int_equal(c.segs_out, 7);
    assert_int_equal(c.bytes_out, 7 * M);
}

/* RFC 2018 / Linux tcp_match_skb_to_sack: a block marks whole segments only: [start+900,
 * start+3100) covers segments 2 and 3, the second half of unit 0 and the first half of unit 1:
 * both units are split at segment boundaries and only those two segments marked; the partial
 * segments at the edges stay unmarked. */
static void test_sb_sack_marks_whole_segments(void **state)
{
    (void)state;
    tcp_sb sb;
    five_units(&sb);
    uint32_t base = 0xFFFFF000u;
    tcp_sack_block b = {base + 900, base + 3100};
    tcp_sb_delivery d = {0};
    tcp_sb_sack(&sb, &b, 1, base, base + 10 * M, &d);
    assert_int_equal(d.segs_sacked, 2);
    assert_int_equal(d.bytes_sacked, 2 * M);
    assert_int_equal(sb.n, 7);
    tcp_sb_counts c;
    tcp_sb_count(&sb, &c);
    assert_int_equal(c.sacked_segs, 2);
    assert_int_equal(c.high_sacked, base + 3 * M);
    for (uint32_t i = 0; i < sb.n; i++) {
        const tcp_sb_unit *u = tcp_sb_at_c(&sb, i);
        bool in = u->start == base + M || u->start == base + 2 * M;
        assert_int_equal((u->flags & TCP_SB_SACKED) != 0, in);
    }
    /* the same block again marks nothing new */
    tcp_sb_delivery d2 = {0};
    tcp_sb_sack(&sb, &b, 1, base, base + 10 * M, &d2);
    assert_int_equal(d2.segs_sacked, 0);
}

/* RFC 2883 4: a first block below the cumulative ACK, or inside the second block, reports a
 * duplicate and marks nothing; a block beyond what was sent is ignored (RFC 2018 leaves invalid
 * blocks to the sender). */
static void test_sb_dsack_and_invalid_blocks(void **state)
{
    (void)state;
    tcp_sb sb;
    five_units(&sb);
    uint32_t base = 0xFFFFF000u;
    tcp_sb_delivery d = {0};
    tcp_sack_block b1[2] = {{base - 2 * M, base - M}, {base + 4 * M, base + 6 * M}};
    tcp_sb_sack(&sb, b1, 2, base, base + 10 * M, &d);
    assert_true(d.dsack);
    assert_int_equal(d.dsack_left, base - 2 * M);
    assert_int_equal(d.segs_sacked, 2);
    tcp_sb_delivery d2 = {0};
    tcp_sack_block b2[2] = {{base + 4 * M, base + 5 * M}, {base + 4 * M, base + 6 * M}};
    tcp_sb_sack(&sb, b2, 2, base, base + 10 * M, &d2);
    assert_true(d2.dsack);
    assert_int_equal(d2.segs_sacked, 0);
    tcp_sb_delivery d3 = {0};
    tcp_sack_block b3 = {base + 9 * M, base + 11 * M}; /* past SND.MAX */
    tcp_sb_sack(&sb, &b3, 1, base, base + 10 * M, &d3);
    assert_false(d3.dsack);
    assert_int_equal(d3.segs_sacked, 0);
}

/* RFC 6675 IsLost: a segment is lost when DupThresh (3) SACKed segments lie above it, or more
 * than (DupThresh - 1) * SMSS SACKed bytes; SetPipe counts what is neither SACKed nor lost, and
 * retransmissions in flight once more. */
static void test_sb_islost_and_pipe(void **state)
{
    (void)state;
    tcp_sb sb;
    five_units(&sb);
    uint32_t base = 0xFFFFF000u;
    tcp_sack_block b = {base + 6 * M, base + 8 * M}; /* two segments SACKed */
    tcp_sb_delivery d = {0};
    tcp_sb_sack(&sb, &b, 1, base, base + 10 * M, &d);
    assert_int_equal(tcp_sb_mark_lost_6675(&sb, 3), 0); /* 2 segments, 2000 bytes: not yet */
    assert_int_equal(tcp_sb_pipe_segs(&sb), 8);
    tcp_sack_block b2 = {base + 8 * M, base + 9 * M};
    tcp_sb_sack(&sb, &b2, 1, base, base + 10 * M, &d);
    assert_int_equal(tcp_sb_mark_lost_6675(&sb, 3), 6); /* everything below the three */
    assert_int_equal(tcp_sb_pipe_segs(&sb), 1);         /* only the last segment */
    int i = tcp_sb_first_lost(&sb);
    assert_int_equal(i, 0);
    tcp_sb_retransmitted(&sb, (uint32_t)i, 100);
    assert_int_equal(tcp_sb_pipe_segs(&sb), 3); /* + the retransmitted unit of 2 */
    assert_int_equal(tcp_sb_pipe_bytes(&sb), 3 * M);
    tcp_sb_mark_all_lost(&sb); /* a timeout: all but the SACKed lost, nothing in flight */
    assert_int_equal(tcp_sb_pipe_segs(&sb), 0);
    tcp_sb_counts c;
    tcp_sb_count(&sb, &c);
    assert_int_equal(c.lost_segs, 7);
    assert_int_equal(c.retrans_segs, 0);
}

/* Units split at segment boundaries keep the FIN and the PSH mark with their last part; merging
 * (Linux's retransmission collapse) joins them again. */
static void test_sb_split_merge_keep_fin_and_mark(void **state)
{
    (void)state;
    tcp_sb sb;
    tcp_sb_init(&sb, M);
    assert_int_equal(tcp_sb_push(&sb, 100, 100 + 2 * M + 1, 2, TCP_SB_FIN | TCP_SB_PSH, 1), 0);
    assert_int_equal(tcp_sb_split(&sb, 0, 100 + M), 0);
    const tcp_sb_unit *a = tcp_sb_at_c(&sb, 0), *b = tcp_sb_at_c(&sb, 1);
    assert_int_equal(a->flags & (TCP_SB_FIN | TCP_SB_PSH), 0);
    assert_int_equal(a->segs, 1);
    assert_int_equal(b->flags & (TCP_SB_FIN | TCP_SB_PSH), TCP_SB_FIN | TCP_SB_PSH);
    assert_int_equal(b->segs, 1);
    assert_int_equal(tcp_sb_merge(&sb, 0), 0);
    assert_int_equal(sb.n, 1);
    assert_int_equal(tcp_sb_at_c(&sb, 0)->segs, 2);
    assert_int_equal(tcp_sb_at_c(&sb, 0)->flags & TCP_SB_FIN, TCP_SB_FIN);
}

/* RFC 2018 4: the first block holds the most recent segment, the others follow by how recently
 * they changed; a D-SACK block (RFC 2883) goes first; three blocks fit beside timestamps. */
/* The counts, the pipe and the number of units waiting for a retransmission are kept as the
 * units change (so that asking costs O(1)); after every operation of a long random sequence
 * (pushes, cumulative ACKs, SACK blocks, loss marks, retransmissions, splits, merges) they equal
 * what a walk over the units finds. */
static void expect_kept_counts(const tcp_sb *sb)
{
    tcp_sb_counts kept, walk;
    uint32_t ps, pb, pend;
    tcp_sb_count(sb, &kept);
    tcp_sb_recount(sb, &walk, &ps, &pb, &pend);
    assert_int_equal(kept.segs_out, walk.segs_out);
    assert_int_equal(kept.bytes_out, walk.bytes_out);
    assert_int_equal(kept.sacked_segs, walk.sacked_segs);
    assert_int_equal(kept.sacked_bytes, walk.sacked_bytes);
    assert_int_equal(kept.lost_segs, walk.lost_segs);
    assert_int_equal(kept.lost_bytes, walk.lost_bytes);
    assert_int_equal(kept.retrans_segs, walk.retrans_segs);
    assert_int_equal(kept.retrans_bytes, walk.retrans_bytes);
    if (walk.sacked_segs)
        assert_int_equal(kept.high_sacked, walk.high_sacked);
    assert_int_equal(tcp_sb_pipe_segs(sb), ps);
    assert_int_equal(tcp_sb_pipe_bytes(sb), pb);
    assert_int_equal(sb->pending, pend);
    assert_int_equal(tcp_sb_first_lost(sb) >= 0, pend > 0);
}

static void test_sb_kept_counts(void **state)
{
    (void)state;
    static tcp_sb sb;
    tcp_sb_init(&sb, M);
    uint32_t una = 0xFFFF0000u, nxt = una; /* wraps */
    uint64_t rng = 12345, now = 0;
    for (int step = 0; step < 20000; step++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(rng >> 33);
        now++;
        switch (r % 10) {
        case 0:
        case 1:
        case 2: { /* a unit of 1 to 4 segments, sometimes a short one or a FIN */
            uint32_t segs = 1 + (r >> 4) % 4;
            uint32_t len = (r >> 8) % 7 == 0 ? 300 : segs * M;
            uint16_t fl = (r >> 12) % 29 == 0 ? TCP_SB_FIN : 0;
            if (fl)
                len += 1;
            if (tcp_sb_push(&sb, nxt, nxt + len, (uint16_t)(len >= M ? segs : 1), fl, now) == 0)
                nxt += len;
            break;
        }
        case 3: { /* a cumulative ACK somewhere in what is out */
            uint32_t out = nxt - una;
            if (out) {
                uint32_t a = una + (r >> 4) % (out + 1);
                tcp_sb_delivery d = {0};
                tcp_sb_ack(&sb, a, &d);
                una = a;
            }
            break;
        }
        case 4:
        case 5: { /* one or two SACK blocks, edges anywhere, D-SACKs included */
            uint32_t out = nxt - una;
            if (out) {
                tcp_sack_block b[2];
                for (int k = 0; k < 2; k++) {
                    uint32_t x = una + (r >> (4 + k)) % out, y = x + 1 + (r >> (9 + k)) % (3 * M);
                    b[k].left = x;
                    b[k].right = y;
                }
                tcp_sb_delivery d = {0};
                tcp_sb_sack(&sb, b, 1 + (r >> 20) % 2, una, nxt, &d);
            }
            break;
        }
        case 6:
            if ((r >> 4) % 3 == 0)
                tcp_sb_mark_lost_6675(&sb, 3);
            else if ((r >> 4) % 3 == 1)
                tcp_sb_mark_head_lost(&sb);
            else if (sb.n)
                tcp_sb_mark_relost(&sb, (r >> 6) % sb.n);
            break;
        case 7: { /* retransmit the first lost unit, or part of it */
            int i = tcp_sb_first_lost(&sb);
            if (i >= 0) {
                const tcp_sb_unit *u = tcp_sb_at_c(&sb, (uint32_t)i);
                if (u->segs > 1 && (r >> 4) % 2)
                    (void)tcp_sb_split(&sb, (uint32_t)i, u->start + M);
                tcp_sb_retransmitted(&sb, (uint32_t)i, now);
            }
            break;
        }
        case 8:
            if (sb.n > 1 && (r >> 4) % 2)
                (void)tcp_sb_merge(&sb, (r >> 6) % (sb.n - 1));
            else if ((r >> 4) % 50 == 0)
                tcp_sb_mark_all_lost(&sb);
            break;
        default:
            if (sb.n && (r >> 4) % 20 == 0) {
                const tcp_sb_unit *u = tcp_sb_at_c(&sb, sb.n - 1);
                nxt = u->start;
                tcp_sb_pop_back(&sb);
            }
            break;
        }
        expect_kept_counts(&sb);
    }
}

static void test_sack_build_order(void **state)
{
    (void)state;
    tcp_sack_block r[4] = {{10, 20}, {30, 40}, {50, 60}, {70, 80}};
    uint32_t age[4] = {3, 1, 4, 2};
    tcp_sack_block out[TCP_MAX_SACK];
    assert_int_equal(tcp_sack_build(r, age, 4, NULL, 4, out), 4);
    assert_int_equal(out[0].left, 50);
    assert_int_equal(out[1].left, 10);
    assert_int_equal(out[2].left, 70);
    assert_int_equal(out[3].left, 30);
    tcp_sack_block dup = {1, 5};
    assert_int_equal(tcp_sack_build(r, age, 4, &dup, 3, out), 3);
    assert_int_equal(out[0].left, 1);
    assert_int_equal(out[1].left, 50);
    assert_int_equal(out[2].left, 10);
}

/* ---- through the endpoint ----------------------------------------------------------------- */

static tcp_config sack_cfg(void)
{
    tcp_config c = fx_config(I);
    c.sack = true;
    return c;
}

/* RFC 2018 2: SACK-permitted goes on our SYN; SACK is used only if the SYN,ACK carries it too;
 * a listener answers SACK-permitted only to a SYN that offered it. */
static void test_syn_sack_permitted_negotiated(void **state)
{
    (void)state;
    tcp_config c = sack_cfg();
    fx f;
    fx_init(&f, TRACE_CLIENT, I, P, &c);
    assert_int_equal(tcp_open_active(&f.ep, 0), TCP_EOK);
    assert_true(expect_seg(&f, TCP_SYN, I, 0, 0)->sack_perm);
    fx_send_seg(&f, FX_MS(100), TCP_SYN | TCP_ACK, P, I + 1, 0); /* no SACK-permitted */
    expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
    assert_false(f.ep.sack_ok);
    fx_free(&f);

    fx g;
    fx_init(&g, TRACE_SERVER, I, P, &c);
    fx_server_syn_received(&g); /* the peer's SYN has no SACK-permitted */
    assert_false(g.out[0].sack_perm);
    assert_false(g.ep.sack_ok);
    fx_free(&g);

    fx h;
    fx_init(&h, TRACE_SERVER, I, P, &c);
    h.peer_sack = true;
    fx_server_syn_received(&h);
    assert_true(h.out[0].sack_perm);
    assert_true(h.ep.sack_ok);
    fx_free(&h);
}

/* RFC 2018 4: out-of-order text is answered with SACK blocks, the block with the newest text
 * first; the FIN held beyond a gap is reported too (Linux queues it out of order); filling the
 * gap ends the blocks. */
static void test_established_receiver_sack_blocks(void **state)
{
    (void)state;
    tcp_config c = sack_cfg();
    c.delack = 0;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, &c);
    f.peer_sack = true;
    fx_server_established(&f);
    fx_send_seg(&f, FX_MS(200), TCP_ACK, P + 1001, I + 1, 1000);
    const tcp_seg *a = expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
    assert_int_equal(a->nsack, 1);
    assert_int_equal(a->sack[0].left, P + 1001);
    assert_int_equal(a->sack[0].right, P + 2001);
    fx_send_seg(&f, FX_MS(201), TCP_ACK, P + 3001, I + 1, 1000);
    a = expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
    assert_int_equal(a->nsack, 2);
    assert_int_equal(a->sack[0].left, P + 3001); /* the newest first */
    assert_int_equal(a->sack[1].left, P + 1001);
    fx_send_seg(&f, FX_MS(202), TCP_ACK | TCP_FIN, P + 4001, I + 1, 0);
    a = expect_seg(&f, TCP_ACK, I + 1, P + 1, 0);
    assert_int_equal(a->sack[0].left, P + 3001);
    assert_int_equal(a->sack[0].right, P + 4002); /* the FIN's number joins the block */
    fx_send_seg(&f, FX_MS(203), TCP_ACK, P + 1, I + 1, 1000);
    a = expect_seg(&f, TCP_ACK, I + 1, P + 2001, 0);
    assert_int_equal(a->nsack, 1);
    assert_int_equal(a->sack[0].left, P + 3001);
    fx_send_seg(&f, FX_MS(204), TCP_ACK, P + 2001, I + 1, 1000);
    a = expect_seg(&f, TCP_ACK, I + 1, P + 4002, 0); /* data and the FIN */
    assert_int_equal(a->nsack, 0);
    assert_int_equal(f.ep.state, TCP_CLOSE_WAIT);
    assert_int_equal(f.ep.rcv_total, 4000);
    fx_free(&f);
}

/* RFC 2883 4: text received twice is reported in a D-SACK block of the ACK it causes. */
static void test_established_dsack_for_duplicate(void **state)
{
    (void)state;
    tcp_config c = sack_cfg();
    c.delack = 0;
    fx f;
    fx_init(&f, TRACE_SERVER, I, P, &c);
    f.peer_sack = true;
    fx_server_established(&f);
    fx_send_seg(&f, FX_MS(200), TCP_ACK, P + 1, I + 1, 1000);
    expect_seg(&f, TCP_ACK, I + 1, P + 1001, 0);
    fx_send_seg(&f, FX_MS(300), TCP_ACK, P + 1, I + 1, 1000); /* again */
    const tcp_seg *a = expect_seg(&f, TCP_ACK, I + 1, P + 1001, 0);
    assert_int_equal(a->nsack, 1);
    assert_int_equal(a->sack[0].left, P + 1);
    assert_int_equal(a->sack[0].right, P + 1001);
    fx_send_seg(&f, FX_MS(301), TCP_ACK, P + 1001, I + 1, 100);
    a = expect_seg(&f, TCP_ACK, I + 1, P + 1101, 0);
    assert_int_equal(a->nsack, 0); /* reported once */
    fx_free(&f);
}

/* A client with SACK agreed (and RFC defaults otherwise), ten 1460-byte segments out at 200 ms
 * with an initial window of 10. */
static void sack_sender(fx *f)
{
    tcp_config c = sack_cfg();
    c.iw_segments = 10;
    fx_init(f, TRACE_CLIENT, I, P, &c);
    f->peer_sack = true;
    fx_client_established(f);
    assert_true(f->ep.sack_ok);
    assert_true(f->ep.engine);
    fx_at(f, FX_MS(200));
    assert_int_equal(tcp_send(&f->ep, f->now, 14600), 14600);
    assert_int_equal(fx_drain(f), 10);
    fx_mark(f);
}

/* RFC 6675 5: segment 1 lost, 2, 3, 4 SACKed by three duplicate ACKs: the third starts loss
 * recovery (DupAcks >= DupThresh): ssthresh = cwnd = FlightSize / 2 (4.2), and the first
 * unacknowledged segment is retransmitted (4.3); the following duplicates send new data as the
 * pipe allows (C); the ACK of everything ends recovery. */
static void test_established_rfc6675_fast_retransmit(void **state)
{
    (void)state;
    fx f;
    sack_sender(&f);
    for (uint32_t k = 1; k <= 3; k++) {
        uint32_t bl[2] = {I + 1 + 1460, I + 1 + 1460 * (k + 1)};
        tcp_seg a = fx_seg_sack(&f, P + 1, I + 1, bl, 1);
        fx_feed(&f, FX_MS(300) + k, &a);
        if (k < 3) {
            expect_nothing(&f);
            assert_int_equal(f.ep.ca_state, TCP_CA_DISORDER);
        }
    }
    const tcp_seg *r = expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    assert_true(r->tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_int_equal(f.ep.ca_state, TCP_CA_RECOVERY);
    assert_int_equal(f.ep.cc.ssthresh, 7300);
    assert_int_equal(f.ep.cc.cwnd, 7300);
    assert_int_equal(f.ep.high_seq, I + 14601);
    /* the full ACK ends recovery with cwnd = ssthresh */
    fx_send_seg(&f, FX_MS(400), TCP_ACK, P + 1, I + 14601, 0);
    assert_int_equal(f.ep.ca_state, TCP_CA_OPEN);
    assert_int_equal(f.ep.cc.cwnd, 7300);
    assert_int_equal(tcp_next_deadline(&f.ep), TCP_NEVER);
    fx_free(&f);
}

/* RFC 6675 IsLost without three duplicates: one ACK whose block covers three segments above the
 * hole (an ACK that was itself compressed) makes segment 1 lost at once. */
static void test_established_rfc6675_islost_one_ack(void **state)
{
    (void)state;
    fx f;
    sack_sender(&f);
    uint32_t bl[2] = {I + 1 + 1460, I + 1 + 4 * 1460};
    tcp_seg a = fx_seg_sack(&f, P + 1, I + 1, bl, 1);
    fx_feed(&f, FX_MS(300), &a);
    const tcp_seg *r = expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    assert_true(r->tags & TCP_TAG_FAST_RETRANSMISSION);
    assert_int_equal(f.ep.ca_state, TCP_CA_RECOVERY);
    fx_free(&f);
}

/* RFC 6675 5.1: after a timeout the SACKed segments are not sent again: with segments 3-10
 * SACKed, the RTO resends segment 1, and the next ACK brings segment 2 only. */
static void test_established_rto_skips_sacked(void **state)
{
    (void)state;
    fx f;
    sack_sender(&f);
    uint32_t bl[2] = {I + 1 + 2 * 1460, I + 14601};
    tcp_seg a = fx_seg_sack(&f, P + 1, I + 1, bl, 1);
    fx_feed(&f, FX_MS(300), &a);
    fx_drain(&f); /* recovery: segment 1 again */
    fx_tick(&f, tcp_next_deadline(&f.ep));
    const tcp_seg *r = expect_seg(&f, TCP_ACK, I + 1, P + 1, 1460);
    assert_true(r->tags & TCP_TAG_RETRANSMISSION);
    assert_int_equal(f.ep.ca_state, TCP_CA_LOSS);
    fx_send_seg(&f, f.now + FX_MS(100), TCP_ACK, P + 1, I + 1461, 0);
    r = expect_seg(&f, TCP_ACK, I + 1461, P + 1, 1460);
    assert_true(r->tags & TCP_TAG_RETRANSMISSION);
    fx_send_seg(&f, f.now + FX_MS(100), TCP_ACK, P + 1, I + 14601, 0);
    expect_nothing(&f);
    assert_int_equal(f.ep.ca_state, TCP_CA_OPEN);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_ack_removes_and_trims),
        cmocka_unit_test(test_sb_sack_marks_whole_segments),
        cmocka_unit_test(test_sb_dsack_and_invalid_blocks),
        cmocka_unit_test(test_sb_islost_and_pipe),
        cmocka_unit_test(test_sb_split_merge_keep_fin_and_mark),
        cmocka_unit_test(test_sb_kept_counts),
        cmocka_unit_test(test_sack_build_order),
        cmocka_unit_test(test_syn_sack_permitted_negotiated),
        cmocka_unit_test(test_established_receiver_sack_blocks),
        cmocka_unit_test(test_established_dsack_for_duplicate),
        cmocka_unit_test(test_established_rfc6675_fast_retransmit),
        cmocka_unit_test(test_established_rfc6675_islost_one_ack),
        cmocka_unit_test(test_established_rto_skips_sacked),
    };
    return cmocka_run_group_tests_name("tcp_sack", tests, NULL, NULL);
}
