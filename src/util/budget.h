/* budget.h: a byte budget shared by everything one engine allocates per
 * connection (--max-buffer).  Taking from it never allocates; callers
 * allocate only after a successful budget_take() and give back what they
 * free.  Hitting the budget is counted by the caller (cap_buffer). */
#ifndef PLAINSIGHT_BUDGET_H
#define PLAINSIGHT_BUDGET_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>

struct budget {
	size_t used;
	size_t max;
	size_t peak;
};

static inline bool
budget_take(struct budget *b, size_t n)
{
	if (n > b->max - b->used)
		return false;
	b->used += n;
	if (b->used > b->peak)
		b->peak = b->used;
	return true;
}

static inline void
budget_give(struct budget *b, size_t n)
{
	assert(n <= b->used);
	b->used -= n;
}

#endif
