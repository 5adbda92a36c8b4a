/*
 * cap_flow.c - connection table: chained hash on the unordered 4-tuple plus an activity list.
 */
#include "cap_flow.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <string.h>

#include "cap_addr.h"

/* ---- keyed hash --------------------------------------------------------------------------
 * SipHash-2-4 (Aumasson and Bernstein) over the two ends of the 4-tuple in a canonical order,
 * with a key drawn at random for each process: a capture crafted so that its flows share one
 * bucket would have to know the key.  The table's order never shows in the output, so the
 * random key does not make runs differ. */

static uint64_t sip_key[2];
static bool sip_keyed;

static uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIP_ROUND(v0, v1, v2, v3)                                                                  \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = rotl(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = rotl(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = rotl(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = rotl(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = rotl(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = rotl(v2, 32);                                                                         \
    } while (0)

static uint64_t siphash(const uint8_t *in, size_t len)
{
    uint64_t v0 = UINT64_C(0x736f6d6570736575) ^ sip_key[0];
    uint64_t v1 = UINT64_C(0x646f72616e646f6d) ^ sip_key[1];
    uint64_t v2 = UINT64_C(0x6c7967656e657261) ^ sip_key[0];
    uint64_t v3 = UINT64_C(0x7465646279746573) ^ sip_key[1];
    uint64_t m, b = (uint64_t)len << 56;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        m = 0;
        for (int k = 7; k >= 0; k--)
            m = (m << 8) | in[i + (size_t)k];
        v3 ^= m;
        SIP_ROUND(v0, v1, v2, v3);
        SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    for (int k = 0; i + (size_t)k < len; k++)
        b |= (uint64_t)in[i + (size_t)k] << (8 * k);
    v3 ^= b;
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    for (int r = 0; r < 4; r++)
        SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

static void sip_init(void)
{
    if (sip_keyed)
        return;
    sip_keyed = true;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(sip_key, sizeof sip_key, 1, f) != 1)
            sip_key[0] = sip_key[1] = 0;
        fclose(f);
    }
    if (!sip_key[0] && !sip_key[1]) { /* no /dev/urandom: something that still varies */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        sip_key[0] = ((uint64_t)ts.tv_nsec * UINT64_C(0x9e3779b97f4a7c15)) ^ (uint64_t)getpid();
        sip_key[1] = (uint64_t)ts.tv_sec * UINT64_C(0xbf58476d1ce4e5b9);
    }
}

/* One end as 19 bytes: family, address, port. */
static void end_bytes(const cap_addr *a, uint16_t port, uint8_t out[19])
{
    out[0] = a->family;
    memcpy(out + 1, a->bytes, 16);
    out[17] = (uint8_t)(port >> 8);
    out[18] = (uint8_t)port;
}

static uint32_t tuple_hash(const cap_packet *p)
{
    uint8_t buf[38], a[19], b[19];
    end_bytes(&p->src, p->sport, a);
    end_bytes(&p->dst, p->dport, b);
    bool swap = memcmp(a, b, sizeof a) > 0; /* the same order for both directions */
    memcpy(buf, swap ? b : a, 19);
    memcpy(buf + 19, swap ? a : b, 19);
    uint64_t h = siphash(buf, sizeof buf);
    return (uint32_t)(h ^ (h >> 32));
}

static bool matches(const cap_conn *c, const cap_packet *p)
{
    for (int i = 0; i < 2; i++)
        if (c->port[i] == p->sport && c->port[1 - i] == p->dport &&
            cap_addr_eq(&c->addr[i], &p->src) && cap_addr_eq(&c->addr[1 - i], &p->dst))
            return true;
    return false;
}

int cap_flows_init(cap_flows *f, uint32_t max_live)
{
    sip_init();
    memset(f, 0, sizeof *f);
    uint32_t n = 1024;
    while (n < max_live && n < (1u << 24))
        n <<= 1;
    f->buckets = calloc(n, sizeof *f->buckets);
    if (!f->buckets)
        return -1;
    f->mask = n - 1;
    f->max_live = max_live;
    f->next_id = 1;
    return 0;
}

void cap_flows_free(cap_flows *f)
{
    while (f->head)
        cap_flows_remove(f, f->head);
    free(f->buckets);
    f->buckets = NULL;
}

/* The slot of a connection in f->recent: the same for both directions. */
static uint32_t recent_slot(uint16_t a, uint16_t b)
{
    return ((uint32_t)(a ^ b) * 0x9e3779b1u) >> 24;
}

cap_conn *cap_flows_find(cap_flows *f, const cap_packet *p)
{
    /* a bulk transfer's packets come in runs of one connection: compare with the last one
     * before hashing (an exact tuple compare, so no capture can abuse it) */
    if (f->last && matches(f->last, p))
        return f->last;
    cap_conn **slot = &f->recent[recent_slot(p->sport, p->dport)];
    if (*slot && matches(*slot, p))
        return f->last = *slot;
    uint32_t h = tuple_hash(p);
    for (cap_conn *c = f->buckets[h & f->mask]; c; c = c->hnext)
        if (c->hash == h && matches(c, p))
            return f->last = *slot = c;
    return NULL;
}

static void list_unlink(cap_flows *f, cap_conn *c)
{
    if (c->lprev)
        c->lprev->lnext = c->lnext;
    else
        f->head = c->lnext;
    if (c->lnext)
        c->lnext->lprev = c->lprev;
    else
        f->tail = c->lprev;
    c->lprev = c->lnext = NULL;
}

static void list_append(cap_flows *f, cap_conn *c)
{
    c->lprev = f->tail;
    c->lnext = NULL;
    if (f->tail)
        f->tail->lnext = c;
    else
        f->head = c;
    f->tail = c;
}

cap_conn *cap_flows_add(cap_flows *f, const cap_packet *p, uint64_t t, trace_sink sink)
{
    if (f->live >= f->max_live)
        return NULL;
    cap_conn *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    cap_conn_init(c, f->next_id++, p, t, sink);
    c->hash = tuple_hash(p);
    c->hnext = f->buckets[c->hash & f->mask];
    f->buckets[c->hash & f->mask] = c;
    list_append(f, c);
    f->live++;
    f->last = c; /* the newest connection on a tuple is the one its packets belong to */
    f->recent[recent_slot(c->port[0], c->port[1])] = c;
    return c;
}

void cap_flows_touch(cap_flows *f, cap_conn *c)
{
    if (f->tail == c)
        return;
    list_unlink(f, c);
    list_append(f, c);
}

void cap_flows_remove(cap_flows *f, cap_conn *c)
{
    cap_conn **pp = &f->buckets[c->hash & f->mask];
    while (*pp && *pp != c)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = c->hnext;
    list_unlink(f, c);
    if (f->last == c)
        f->last = NULL;
    if (f->recent[recent_slot(c->port[0], c->port[1])] == c)
        f->recent[recent_slot(c->port[0], c->port[1])] = NULL;
    f->live--;
    cap_conn_free(c);
    free(c);
}
