/*
 * sim_rng.h - the simulator's seeded pseudo-random generator (splitmix64): random loss,
 * duplication and reordering draw from it, so a seed reproduces a run exactly.
 */
#ifndef TCPSIM_SIM_RNG_H
#define TCPSIM_SIM_RNG_H

#include <stdint.h>

typedef struct sim_rng {
    uint64_t s;
} sim_rng;

static inline uint64_t sim_rng_next(sim_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double sim_rng_unit(sim_rng *r)
{
    return (double)(sim_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#endif
