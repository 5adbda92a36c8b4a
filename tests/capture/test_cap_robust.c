/*
 * test_cap_robust.c - the decoder on hostile input.  Every prefix of a set of well-formed packets
 * (one per link type and header shape) is decoded twice: as a snaplen cut (the result must be
 * "truncated" before the end of the fixed TCP header and a TCP segment after it) and as a frame
 * that really was that short (the result must be one of the malformed reasons).  Then a seeded
 * mutation loop flips bytes and lengths and checks the invariants of every result.  Each decode
 * reads from a heap block of exactly the captured size, so under ASan an over-read fails.
 */
#include "cap_test.h"

#include <pcap/dlt.h>

typedef struct seed {
    const char *name;
    int dlt;
    pb b;
} seed;

enum { NSEEDS = 15 };
static seed seeds[NSEEDS];

static pb *start(size_t i, const char *name, int dlt)
{
    seeds[i].name = name;
    seeds[i].dlt = dlt;
    pb_reset(&seeds[i].b);
    return &seeds[i].b;
}

static void build_seeds(void)
{
    static const uint8_t syn_opts[20] = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0,
                                         0, 1, 0, 0,    0, 0, 1, 3,  3, 7};
    static const uint8_t sack_opts[12] = {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2};
    static const uint8_t ipopts[8] = {0x94, 4, 0, 0, 1, 1, 1, 0}; /* router alert, NOPs */
    uint8_t ext[32] = {60, 0, 1, 4, 0, 0, 0, 0, 44, 0, 1, 4, 0, 0, 0, 0,
                       6,  0, 0, 0, 0, 0, 0, 9, 6,  1, 1, 4, 0, 0, 0, 0};
    tcp_spec syn = tcp_default(), data = tcp_default(), sack = tcp_default();
    tcp_spec ack = tcp_default();
    pb *b;

    syn.flags = TCP_SYN;
    syn.opts = syn_opts;
    syn.optlen = sizeof syn_opts;
    data.paylen = 24;
    sack.opts = sack_opts;
    sack.optlen = sizeof sack_opts;
    sack.paylen = 3;

    b = start(0, "ether syn", DLT_EN10MB);
    pb_eth(b, 0x0800);
    pb_ipv4_tcp(b, &syn, NULL, 0);

    b = start(1, "qinq ipv4 options", DLT_EN10MB);
    pb_eth(b, 0x88a8);
    pb_vlan(b, 1, 0x8100);
    pb_vlan(b, 2, 0x0800);
    pb_ipv4_tcp(b, &data, ipopts, sizeof ipopts);

    b = start(2, "vlan ipv6 ext chain", DLT_EN10MB);
    pb_eth(b, 0x8100);
    pb_vlan(b, 3, 0x86dd);
    ext[0] = 60; /* HBH -> dstopts */
    ext[8] = 44; /* dstopts -> fragment */
    ext[16] = 6; /* atomic fragment -> TCP */
    pb_ipv6_tcp(b, &sack, 0, ext, 24);

    b = start(3, "pppoe", DLT_EN10MB);
    pb_eth(b, 0x8864);
    pb_bytes(b, "\x11\x00\x00\x01\x00\x42\x00\x21", 8);
    pb_ipv4_tcp(b, &data, NULL, 0);

    b = start(4, "sll", DLT_LINUX_SLL);
    pb_bytes(b, "\x00\x00\x00\x01\x00\x06\x02\x00\x00\x00\x00\x01\x00\x00\x08\x00", 16);
    pb_ipv4_tcp(b, &sack, NULL, 0);

    b = start(5, "sll2 ipv6", DLT_LINUX_SLL2);
    pb_bytes(b, "\x86\xdd\x00\x00\x00\x00\x00\x02\x00\x01\x00\x06\x02\x00\x00\x00\x00\x01\x00\x00",
             20);
    pb_ipv6_tcp(b, &data, 6, NULL, 0);

    b = start(6, "raw ipv6", DLT_RAW);
    pb_ipv6_tcp(b, &syn, 6, NULL, 0);

    b = start(7, "ipv4 linktype", DLT_IPV4);
    pb_ipv4_tcp(b, &data, NULL, 0);

    b = start(8, "null", DLT_NULL);
    pb_le32(b, 2);
    pb_ipv4_tcp(b, &syn, NULL, 0);

    b = start(9, "loop ipv6", DLT_LOOP);
    pb_be32(b, 30);
    pb_ipv6_tcp(b, &sack, 6, NULL, 0);

    b = start(10, "nflog", DLT_NFLOG);
    pb_bytes(b, "\x02\x00\x00\x00", 4);
    pb_host16(b, 8);
    pb_host16(b, 1);
    pb_be32(b, 0x08000300u);
    pb_host16(b, (uint16_t)(4 + 20 + 20 + 24));
    pb_host16(b, 9);
    pb_ipv4_tcp(b, &data, NULL, 0);

    /* a bare ACK: the fixed TCP header is the last byte of the frame */
    b = start(12, "bare ack", DLT_EN10MB);
    pb_eth(b, 0x0800);
    pb_ipv4_tcp(b, &ack, NULL, 0);

    b = start(11, "ppp", DLT_PPP);
    pb_bytes(b, "\xff\x03\x00\x57", 4);
    pb_ipv6_tcp(b, &data, 6, NULL, 0);

    /* 802.11 QoS data to the AP, LLC/SNAP, IPv4 */
    b = start(13, "802.11 qos data", DLT_IEEE802_11);
    pb_bytes(b, "\x88\x01", 2);  /* QoS data, ToDS */
    pb_zeros(b, 2 + 18 + 2 + 2); /* duration, 3 addresses, sequence control, QoS control */
    pb_bytes(b, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
    pb_ipv4_tcp(b, &sack, NULL, 0);

    /* radiotap with TSFT and flags (two present words, as Linux writes), then 802.11 data */
    b = start(14, "radiotap 802.11", DLT_IEEE802_11_RADIO);
    pb_bytes(b, "\x00\x00\x24\x00", 4); /* version 0, length 36 */
    pb_le32(b, 0xa000402fu);            /* TSFT, flags, rate, channel, ..., ext */
    pb_le32(b, 0x00000820u);            /* second word */
    pb_zeros(b, 4);                     /* padding to 8 for TSFT */
    pb_zeros(b, 8);                     /* TSFT */
    pb_u8(b, 0x10);                     /* flags: FCS at the end */
    pb_zeros(b, 36 - 25);               /* the other fields */
    pb_bytes(b, "\x08\x02", 2);         /* data, FromDS */
    pb_zeros(b, 2 + 18 + 2);
    pb_bytes(b, "\xaa\xaa\x03\x00\x00\x00\x86\xdd", 8);
    pb_ipv6_tcp(b, &data, 6, NULL, 0);
}

static int setup(void **state)
{
    (void)state;
    build_seeds();
    return 0;
}

static void test_seeds_decode(void **state)
{
    cap_packet p;
    (void)state;
    for (size_t i = 0; i < NSEEDS; i++) {
        cap_skip why = decode_pb(seeds[i].dlt, &seeds[i].b, &p);
        if (why != CAP_SKIP_NONE || p.csum != CAP_CSUM_GOOD)
            fail_msg("seed '%s': %s, csum %d", seeds[i].name, cap_skip_name(why), (int)p.csum);
    }
}

static void test_every_prefix(void **state)
{
    cap_packet p;
    (void)state;
    for (size_t i = 0; i < NSEEDS; i++) {
        const pb *b = &seeds[i].b;
        size_t hdr_end;
        assert_skip(CAP_SKIP_NONE, decode_pb(seeds[i].dlt, b, &p));
        hdr_end = p.l4_off + 20u;
        for (size_t k = 0; k < b->len; k++) {
            cap_skip cut = decode_cut(seeds[i].dlt, b, k, &p);
            cap_skip want = k < hdr_end ? CAP_SKIP_TRUNCATED : CAP_SKIP_NONE;
            if (cut != want)
                fail_msg("seed '%s' cut at %zu of %zu: %s, want %s", seeds[i].name, k, b->len,
                         cap_skip_name(cut), cap_skip_name(want));
            cap_skip shrt = decode_short(seeds[i].dlt, b, k, &p);
            /* an NFLOG record that ends between TLVs is complete, only without the packet */
            if (seeds[i].dlt == DLT_NFLOG && (k == 4 || k == 12)) {
                assert_skip(CAP_SKIP_NOT_IP, shrt);
                continue;
            }
            if (shrt != CAP_SKIP_MALFORMED_LINK && shrt != CAP_SKIP_MALFORMED_IP &&
                shrt != CAP_SKIP_MALFORMED_TCP)
                fail_msg("seed '%s' frame of %zu of %zu bytes: %s, want malformed-*", seeds[i].name,
                         k, b->len, cap_skip_name(shrt));
        }
    }
}

/* Ethernet/IPv4 in detail: which layer is malformed depends on where the frame ends. */
static void test_prefix_layers(void **state)
{
    const pb *b = &seeds[0].b; /* ether syn */
    cap_packet p;
    (void)state;
    for (size_t k = 0; k < b->len; k++) {
        cap_skip want = k < 14 ? CAP_SKIP_MALFORMED_LINK : CAP_SKIP_MALFORMED_IP;
        assert_skip(want, decode_short(DLT_EN10MB, b, k, &p));
    }
}

/* xorshift64*: a fixed sequence, so a failure is reproducible. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 33) % n;
}

static void check_invariants(const char *name, size_t caplen, size_t wirelen, cap_skip why,
                             const cap_packet *p, int iter)
{
    if ((unsigned)why >= CAP_SKIP_COUNT)
        fail_msg("iter %d (%s): reason %d out of range", iter, name, (int)why);
    if (p->has_tcp && why != CAP_SKIP_NONE && !(why == CAP_SKIP_FRAGMENT && p->first_fragment))
        fail_msg("iter %d (%s): has_tcp with %s", iter, name, cap_skip_name(why));
    if (why == CAP_SKIP_TRUNCATED && caplen >= wirelen)
        fail_msg("iter %d (%s): truncated although nothing was cut", iter, name);
    if (why != CAP_SKIP_NONE)
        return;
    if (!p->has_tcp || (p->ip_version != 4 && p->ip_version != 6))
        fail_msg("iter %d (%s): used without TCP/IP", iter, name);
    if ((size_t)p->l4_off + 20 > caplen || p->l3_off >= p->l4_off)
        fail_msg("iter %d (%s): offsets %u/%u with caplen %zu", iter, name, p->l3_off, p->l4_off,
                 caplen);
    if (p->payload_captured > p->seg.len || p->payload_cut != (p->payload_captured < p->seg.len))
        fail_msg("iter %d (%s): payload %u of %u", iter, name, p->payload_captured, p->seg.len);
    if ((size_t)p->l4_off + 20 + p->payload_captured > caplen)
        fail_msg("iter %d (%s): payload past the capture", iter, name);
    if (p->seg.nsack > TCP_MAX_SACK)
        fail_msg("iter %d (%s): %u SACK blocks", iter, name, p->seg.nsack);
    if (p->csum != CAP_CSUM_UNVERIFIED && (p->payload_cut || p->options_cut))
        fail_msg("iter %d (%s): checksum verified on a cut segment", iter, name);
}

static void test_mutations(void **state)
{
    static uint8_t buf[PB_MAX];
    cap_packet p;
    int counts[CAP_SKIP_COUNT] = {0};
    (void)state;
    for (int iter = 0; iter < 60000; iter++) {
        const seed *s = &seeds[rnd(NSEEDS)];
        size_t len = s->b.len, caplen, wirelen;
        int nflips = 1 + (int)rnd(4);
        memcpy(buf, s->b.buf, len);
        for (int f = 0; f < nflips; f++) {
            size_t at = rnd((uint32_t)len);
            switch (rnd(4)) {
            case 0: /* any value */
                buf[at] = (uint8_t)rnd(256);
                break;
            case 1: /* small values: lengths of 0, 1, 2 */
                buf[at] = (uint8_t)rnd(3);
                break;
            case 2: /* large values */
                buf[at] = (uint8_t)(0xf0u | rnd(16));
                break;
            default: /* one bit */
                buf[at] ^= (uint8_t)(1u << rnd(8));
                break;
            }
        }
        caplen = rnd(4) == 0 ? rnd((uint32_t)len + 1) : len;
        wirelen = rnd(4) == 0 ? caplen + rnd(2000) : (rnd(2) ? len : caplen);
        cap_skip why = decode_exact(s->dlt, buf, caplen, wirelen, &p);
        check_invariants(s->name, caplen, wirelen, why, &p, iter);
        counts[why]++;
    }
    /* the loop reached deep into the decoder, not only the first check */
    assert_true(counts[CAP_SKIP_NONE] > 1000);
    assert_true(counts[CAP_SKIP_MALFORMED_TCP] > 100);
    assert_true(counts[CAP_SKIP_MALFORMED_IP] > 100);
    assert_true(counts[CAP_SKIP_TRUNCATED] > 100);
}

/* Random bytes under every link type (including unknown ones). */
static void test_garbage_all_links(void **state)
{
    static const int dlts[] = {DLT_EN10MB,
                               DLT_LINUX_SLL,
                               DLT_LINUX_SLL2,
                               DLT_RAW,
                               101,
                               DLT_IPV4,
                               DLT_IPV6,
                               DLT_NULL,
                               DLT_LOOP,
                               DLT_NFLOG,
                               DLT_C_HDLC,
                               DLT_PPP,
                               DLT_IEEE802_11,
                               DLT_IEEE802_11_RADIO,
                               220,
                               0x7fffffff};
    static uint8_t buf[256];
    cap_packet p;
    (void)state;
    for (int iter = 0; iter < 20000; iter++) {
        int dlt = dlts[rnd(sizeof dlts / sizeof dlts[0])];
        size_t len = rnd(sizeof buf + 1);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rnd(256);
        /* bias the first bytes towards IP so the deeper layers are reached */
        if (len > 0 && rnd(2))
            buf[0] = rnd(2) ? 0x45 : 0x60;
        size_t wirelen = len + rnd(3) * rnd(100);
        cap_skip why = decode_exact(dlt, buf, len, wirelen, &p);
        check_invariants("garbage", len, wirelen, why, &p, iter);
        if (dlt == 220 || dlt == 0x7fffffff)
            assert_skip(CAP_SKIP_UNSUPPORTED_LINK, why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds_decode),      cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_prefix_layers),     cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_garbage_all_links),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
