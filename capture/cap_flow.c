/*
 * cap_flow.c - connection table: chained hash on the unordered 4-tuple plus an activity list.
 */
#include "cap_flow.h"

#include <stdlib.h>
#include <string.h>

#include "cap_addr.h"

static uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 0x9e3779b1u;
    return h ^ (h >> 15);
}

/* Hash of one end (address and port), four address bytes at a time. */
static uint32_t end_hash(const cap_addr *a, uint16_t port)
{
    uint32_t h = 0x811c9dc5u ^ a->family;
    int words = a->family == CAP_FAMILY_IPV6 ? 4 : 1;
    for (int i = 0; i < words; i++) {
        const uint8_t *b = a->bytes + 4 * i;
        h = mix(h,
                (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
    }
    return mix(h, port);
}

static uint32_t tuple_hash(const cap_packet *p)
{
    uint32_t a = end_hash(&p->src, p->sport), b = end_hash(&p->dst, p->dport);
    uint32_t x = a ^ b; /* the same for both directions */
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    return x;
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

cap_conn *cap_flows_find(cap_flows *f, const cap_packet *p)
{
    uint32_t h = tuple_hash(p);
    for (cap_conn *c = f->buckets[h & f->mask]; c; c = c->hnext)
        if (c->hash == h && matches(c, p))
            return c;
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
    f->live--;
    cap_conn_free(c);
    free(c);
}
