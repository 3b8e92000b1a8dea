/* budget.h: a byte budget shared by everything one engine allocates per
 * connection (--max-buffer).  Taking from it never allocates; callers
 * allocate only after a successful budget_take() and give back what they
 * free.  Hitting the budget is counted by the caller (cap_buffer).
 *
 * An owner may set a reclaim function: when a take does not fit, it is
 * called once to free room (the engine evicts stale flows) and the take
 * is tried again.  It is never re-entered: takes made while it runs, or
 * while `is_busy` is set (the owner releasing a flow), simply fail. */
#ifndef PLAINSIGHT_BUDGET_H
#define PLAINSIGHT_BUDGET_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>

struct budget {
	size_t used;
	size_t max;
	size_t peak;
	bool (*reclaim)(void *arg, size_t n);	/* optional */
	void *reclaim_arg;
	bool is_busy;
};

static inline bool
budget_take(struct budget *b, size_t n)
{
	if (n > b->max - b->used) {
		if (b->reclaim == NULL || b->is_busy)
			return false;
		b->is_busy = true;
		bool has_room = b->reclaim(b->reclaim_arg, n);

		b->is_busy = false;
		if (!has_room || n > b->max - b->used)
			return false;
	}
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
