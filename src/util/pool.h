/* pool.h: blocks of one size, freed and kept for reuse.
 *
 * Owns nothing but the pointers it keeps: at most POOL_MAX blocks, which
 * the owner gives back with pool_keep() after wiping them (they held a
 * connection's state or a client's bytes) and takes with pool_take()
 * instead of calling malloc().  One block per connection is cheaper from
 * here than from malloc() and free(), which cost a short session as much
 * as its parsing (bench/run mail).  Kept blocks are not charged to the
 * budget, which counts those in use.
 */
#ifndef PLAINSIGHT_POOL_H
#define PLAINSIGHT_POOL_H

#include <stdbool.h>
#include <stdlib.h>

#include "bounds.h"

struct block_pool {
	void *free[POOL_MAX];
	unsigned n;
};

/* pool_take(): a kept block (as wiped as it was kept), or NULL. */
static inline void *
pool_take(struct block_pool *p)
{
	return p->n > 0 ? p->free[--p->n] : NULL;
}

/* pool_keep(): keep b, already wiped; false when full (free it then). */
static inline bool
pool_keep(struct block_pool *p, void *b)
{
	if (p->n >= POOL_MAX)
		return false;
	p->free[p->n++] = b;
	return true;
}

/* pool_drain(): free every kept block. */
static inline void
pool_drain(struct block_pool *p)
{
	while (p->n > 0)
		free(p->free[--p->n]);
}

#endif
