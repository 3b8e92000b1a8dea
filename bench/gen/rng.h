/* rng.h: the generator's only source of variety.
 *
 * SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same
 * sequence on every machine and compiler, so that a workload made with a
 * given seed is the same file everywhere.  Not for anything secret.
 */
#ifndef BENCH_RNG_H
#define BENCH_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s;
};

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* rng_below(): uniform in [0, n), n > 0 (Lemire's multiply-shift; the
 * bias is below 2^-32 and the same everywhere). */
static inline uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* rng_range(): uniform in [lo, hi], lo <= hi. */
static inline uint32_t
rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + rng_below(r, hi - lo + 1u);
}

/* rng_percent(): true with probability pct / 100. */
static inline bool
rng_percent(struct rng *r, uint32_t pct)
{
	return rng_below(r, 100u) < pct;
}

/* rng_unit(): uniform in [0, 1). */
static inline double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#endif
