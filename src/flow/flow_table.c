/* flow_table.c: connection table (see flow_table.h).
 *
 * Chained hashing on a keyed SipHash of the canonical 5-tuple (the keys
 * are chosen by the network: see util/hash.h), a power-of-two bucket array
 * about as large as the number of flows in the table (it doubles when they
 * outnumber it, up to the pool's size, and never shrinks), and intrusive
 * doubly linked lists per class for LRU order (to the second).  Per
 * packet: one hash, one short chain walk, a few pointer moves; no
 * allocation but the index's few doublings.  A flow keeps its hash's low
 * half, so that leaving the table or a doubling does not hash it again.
 * (An index sized to --max-flows, 2 MiB by default, missed the cache on
 * every packet where a few thousand flows were live: sized to them it
 * stays in cache, and bench/run mail took 6% less time.)
 */
#include "flow/flow_table.h"

#include "bounds.h"
#include "util/cursor.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The budget and docs/security.md count a slot as 256 bytes; a change of
 * layout should be a decision, not an accident. */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct flow) == 256, "struct flow is 256 bytes");
#endif

struct flow_list {
	struct flow *head;	/* least recently used */
	struct flow *tail;
};

struct flow_table {
	struct flow *pool;
	struct flow *free_list;	/* through hnext */
	struct flow **bucket;
	uint64_t mask;		/* buckets - 1 */
	uint64_t max_mask;	/* the most buckets - 1: as many as the pool */
	uint32_t max;
	uint32_t count;		/* flows in the table */
	uint32_t high;		/* pool slots ever handed out */
	uint64_t next_id;
	uint32_t timeout[FLOW_CLASS_COUNT];
	struct flow_list list[FLOW_CLASS_COUNT];
	struct hash_key hkey;
	flow_release_fn *release;
	void *arg;
	struct stats *stats;
};

struct flow_table *
flow_table_new(uint32_t max_flows, const uint32_t timeout[FLOW_CLASS_COUNT],
    flow_release_fn *release, void *arg, struct stats *stats)
{
	struct flow_table *t = calloc(1, sizeof(*t));
	uint64_t nbucket = 1;

	if (t == NULL || max_flows == 0)
		goto fail;
	while (nbucket < max_flows)
		nbucket <<= 1;
	t->max_mask = nbucket - 1;
	if (nbucket > FLOW_BUCKETS_MIN)
		nbucket = FLOW_BUCKETS_MIN;
	/* a large allocation is lazily committed by the kernel: untouched
	 * slots cost no memory; each slot is zeroed as it is handed out */
	size_t pool_bytes;

	if (__builtin_mul_overflow(max_flows, sizeof(*t->pool), &pool_bytes))
		goto fail;
	t->pool = aligned_alloc(_Alignof(struct flow), pool_bytes);
	t->bucket = calloc((size_t)nbucket, sizeof(*t->bucket));
	if (t->pool == NULL || t->bucket == NULL)
		goto fail;
	t->mask = nbucket - 1;
	t->max = max_flows;
	t->next_id = 1;
	memcpy(t->timeout, timeout, sizeof(t->timeout));
	t->hkey = hash_key_random();
	t->release = release;
	t->arg = arg;
	t->stats = stats;
	/* slots are handed out from the start of the pool (free_list
	 * empty): first-touch order keeps the committed part small */
	return t;
fail:
	flow_table_free(t);
	return NULL;
}

void
flow_table_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	free(t->pool);
	free(t->bucket);
	free(t);
}

void
flow_table_key(struct flow_key *key, uint8_t family, const uint8_t *a,
    uint16_t ap, const uint8_t *b, uint16_t bp, bool *is_swapped)
{
	int c;

	if (family == 4) {
		/* the address in the first 4 bytes, the rest zero: compare
		 * those as numbers (memcmp's order), not 16 bytes */
		uint32_t x = block_be32(a), y = block_be32(b);

		c = (x > y) - (x < y);
	} else {
		c = memcmp(a, b, 16);
	}
	*is_swapped = c > 0 || (c == 0 && ap > bp);
	memset(key, 0, sizeof(*key));
	memcpy(key->addr[*is_swapped ? 1 : 0], a, 16);
	memcpy(key->addr[*is_swapped ? 0 : 1], b, 16);
	key->port[*is_swapped ? 1 : 0] = ap;
	key->port[*is_swapped ? 0 : 1] = bp;
	key->family = family;
}

uint64_t
flow_table_hash(const struct flow_table *t, const struct flow_key *k)
{
	/* an IPv4 key is 12 bytes of its 40: hashing only those halves
	 * SipHash's rounds on the common case (keys are still compared
	 * whole, and the length differs from an IPv6 key's) */
	if (k->family == 4) {
		/* hash_sip13() of the two addresses and the ports, 12
		 * bytes, without its byte loop */
		uint8_t addrs[8];
		uint32_t ports;

		memcpy(addrs, k->addr[0], 4);
		memcpy(addrs + 4, k->addr[1], 4);
		memcpy(&ports, k->port, sizeof(ports));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		ports = __builtin_bswap32(ports);
#endif
		return hash_sip13_9to15(&t->hkey, hash_load_le64(addrs),
		    (uint64_t)12 << 56 | ports);
	}
	return hash_sip13(&t->hkey, k, sizeof(*k));
}

static void
list_unlink(struct flow_table *t, struct flow *f)
{
	struct flow_list *l = &t->list[f->klass];

	if (f->prev)
		f->prev->next = f->next;
	else
		l->head = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		l->tail = f->prev;
	f->prev = f->next = NULL;
}

static void
list_append(struct flow_table *t, struct flow *f)
{
	struct flow_list *l = &t->list[f->klass];

	f->next = NULL;
	f->prev = l->tail;
	if (l->tail)
		l->tail->next = f;
	else
		l->head = f;
	l->tail = f;
}

struct flow *
flow_table_lookup(struct flow_table *t, const struct flow_key *k)
{
	return flow_table_lookup_hashed(t, k, flow_table_hash(t, k));
}

struct flow *
flow_table_lookup_hashed(struct flow_table *t, const struct flow_key *k,
    uint64_t hash)
{
	struct flow *f = t->bucket[hash & t->mask];

	while (f != NULL && memcmp(&f->key, k, sizeof(*k)) != 0)
		f = f->hnext;
	return f;
}

/* Take a flow out of the index and the lists, after its release. */
static void
remove_flow(struct flow_table *t, struct flow *f, enum flow_end why)
{
	struct flow **pp = &t->bucket[f->hash_lo & t->mask];

	t->release(f, why, t->arg);
	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
	list_unlink(t, f);
	memset(f, 0, sizeof(*f));
	f->hnext = t->free_list;
	t->free_list = f;
	t->count--;
}

/* The table is full: the victim is the oldest CLOSED flow, else the
 * least recently active of the flows that never heard their server (IDLE
 * and UNANSWERED heads compared; on a tie, the one holding a session),
 * else the oldest DONE, else the oldest LIVE. */
static void
evict_one(struct flow_table *t)
{
	struct flow *idle = t->list[FLOW_CLASS_IDLE].head;
	struct flow *unanswered = t->list[FLOW_CLASS_UNANSWERED].head;
	struct flow *victim = t->list[FLOW_CLASS_CLOSED].head;

	if (victim == NULL)
		victim = idle;
	if (victim == idle && unanswered != NULL &&
	    (idle == NULL || unanswered->last_sec <= idle->last_sec))
		victim = unanswered;
	if (victim == NULL)
		victim = t->list[FLOW_CLASS_DONE].head;
	if (victim == NULL)
		victim = t->list[FLOW_CLASS_LIVE].head;
	if (victim == NULL)
		return;
	t->stats->v[STAT_CAP_FLOWS_EVICTED]++;
	if (victim->klass == FLOW_CLASS_LIVE ||
	    victim->klass == FLOW_CLASS_UNANSWERED)
		t->stats->v[STAT_CAP_FLOWS_EVICTED_LIVE]++;
	remove_flow(t, victim, FLOW_END_EVICTED);
}

struct flow *
flow_table_insert(struct flow_table *t, const struct flow_key *k, int64_t now)
{
	return flow_table_insert_hashed(t, k, flow_table_hash(t, k), now);
}

/* Twice the buckets, once the flows outnumber them.  Without the memory
 * to grow, chains get longer: slower, nothing lost; and the index stays
 * as it is, rather than asking again at every new flow. */
static void
grow_index(struct flow_table *t)
{
	uint64_t mask = t->mask * 2 + 1;
	struct flow **bucket = calloc((size_t)mask + 1, sizeof(*bucket));

	if (bucket == NULL) {
		t->max_mask = t->mask;
		return;
	}
	for (uint64_t i = 0; i <= t->mask; i++) {
		struct flow *f = t->bucket[i];

		while (f != NULL) {
			struct flow *next = f->hnext;
			uint64_t b = f->hash_lo & mask;

			f->hnext = bucket[b];
			bucket[b] = f;
			f = next;
		}
	}
	free(t->bucket);
	t->bucket = bucket;
	t->mask = mask;
}

struct flow *
flow_table_insert_hashed(struct flow_table *t, const struct flow_key *k,
    uint64_t hash, int64_t now)
{
	struct flow *f;

	if (t->count >= t->max)
		evict_one(t);
	if (t->count > t->mask && t->mask < t->max_mask)
		grow_index(t);
	if (t->free_list != NULL) {
		f = t->free_list;
		t->free_list = f->hnext;
	} else {
		assert(t->high < t->max);
		f = &t->pool[t->high++];
	}
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->hash_lo = (uint32_t)hash;
	f->id = t->next_id++;
	f->last_sec = now;
	f->klass = FLOW_CLASS_IDLE;
	uint64_t b = hash & t->mask;

	f->hnext = t->bucket[b];
	t->bucket[b] = f;
	list_append(t, f);
	t->count++;
	return f;
}

/* A list is kept in order of last_sec, at one second's resolution: a
 * flow moves to the tail when its second changes, not at every packet.
 * Moving it rewrites its neighbours, two flows last active as long ago
 * as it was (likely cache misses); most packets of a connection fall
 * within the second of the one before. */
void
flow_table_touch(struct flow_table *t, struct flow *f, int64_t now)
{
	if (now <= f->last_sec)
		return;
	f->last_sec = now;
	if (t->list[f->klass].tail != f) {
		list_unlink(t, f);
		list_append(t, f);
	}
}

void
flow_table_set_class(struct flow_table *t, struct flow *f,
    enum flow_class klass)
{
	if (f->klass == klass)
		return;
	list_unlink(t, f);
	f->klass = (uint8_t)klass;
	list_append(t, f);
}

void
flow_table_renew(struct flow_table *t, struct flow *f)
{
	f->id = t->next_id++;
}

bool
flow_table_evict_oldest(struct flow_table *t, enum flow_class klass,
    const struct flow *keep)
{
	struct flow *f = t->list[klass].head;

	if (f == keep && f != NULL)
		f = f->next;
	if (f == NULL)
		return false;
	remove_flow(t, f, FLOW_END_EVICTED);
	return true;
}

void
flow_table_expire(struct flow_table *t, int64_t now)
{
	for (int c = 0; c < FLOW_CLASS_COUNT; c++) {
		struct flow *f;

		/* lists are in last-activity order: stop at the first
		 * flow that is still fresh */
		while ((f = t->list[c].head) != NULL &&
		    f->last_sec + (int64_t)t->timeout[c] < now) {
			if (f->state == FLOW_OPEN)
				t->stats->v[STAT_FLOWS_EXPIRED]++;
			remove_flow(t, f, FLOW_END_EXPIRED);
		}
	}
}

static int
by_id(const void *a, const void *b)
{
	const struct flow *fa = *(struct flow *const *)a;
	const struct flow *fb = *(struct flow *const *)b;

	return fa->id < fb->id ? -1 : fa->id > fb->id;
}

void
flow_table_drain(struct flow_table *t)
{
	struct flow **all;
	uint32_t n = 0;

	if (t->count == 0)
		return;
	all = malloc((size_t)t->count * sizeof(*all));
	if (all == NULL) {
		/* no memory to sort: release in list order instead */
		for (int c = 0; c < FLOW_CLASS_COUNT; c++)
			while (t->list[c].head != NULL)
				remove_flow(t, t->list[c].head,
				    FLOW_END_DRAINED);
		return;
	}
	for (int c = 0; c < FLOW_CLASS_COUNT; c++)
		for (struct flow *f = t->list[c].head; f; f = f->next)
			all[n++] = f;
	qsort(all, n, sizeof(*all), by_id);
	for (uint32_t i = 0; i < n; i++)
		remove_flow(t, all[i], FLOW_END_DRAINED);
	free(all);
}

uint32_t
flow_table_count(const struct flow_table *t)
{
	return t->count;
}
