/* ring.c: see ring.h.
 *
 * Positions count bytes from the start and only grow (64 bits: no wrap in
 * practice); the offset in the buffer is the position modulo the
 * capacity.  The producer owns `head`, the consumer `tail`; each reads the
 * other's with acquire and publishes its own with release, so the record
 * bytes are visible before the position that covers them.
 *
 * Sleeping without a lost wake-up: a side that finds nothing to do sets
 * its `*_waiting` flag, then checks again, under the mutex, before it
 * waits; the other side publishes its position, then reads the flag (both
 * sequentially consistent: one of the two sees the other's store), and if
 * it is set, takes the mutex and signals.  The mutex is held by the
 * sleeper from the check to the wait, so the signal cannot fall between.
 *
 * Waking in batches: a sleeper is woken only once a quarter of the ring
 * is there for it (records to read, or room to write), so that the two
 * threads do not take turns a record at a time (a futex call each: on a
 * file of short sessions, 400 000 of them).  No side sleeps on work the
 * other has not been told of: before sleeping, each wakes the other if
 * it waits, and ring_flush() wakes the consumer for the last records.
 * A sleeper also looks again every 50 ms, so that records trickling in
 * from a slow pipe are never held back longer than that.
 */
#include "util/ring.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#define RING_ALIGN 16u
#define RING_SPINS 256		/* checks before sleeping */
#define RING_NAP_NS 50000000L	/* longest sleep without a wake-up: 50 ms */

struct hdr {
	uint32_t len;		/* payload bytes */
	uint32_t is_pad;	/* the rest of the buffer is skipped */
	uint8_t pad[RING_ALIGN - 8];
};

/* The positions each side writes live on cache lines of their own, with
 * that side's private state: a line written by one core and read by the
 * other on every record would cross between them twice a packet.  Each
 * side keeps the last value it read of the other's position and reads
 * the real one only when that copy says it must wait. */
#define CACHE_LINE 64

/* (the padding is the point: clang-analyzer counts it as waste) */
struct ring {	// NOLINT(clang-analyzer-optin.performance.Padding)
	uint8_t *buf;
	size_t cap;
	pthread_mutex_t mu;
	pthread_cond_t can_read;
	pthread_cond_t can_write;
	/* written only by a side going to sleep or waking up */
	alignas(CACHE_LINE) _Atomic bool is_consumer_waiting;
	_Atomic bool is_producer_waiting;
	/* the producer's */
	alignas(CACHE_LINE) _Atomic uint64_t head;	/* end of committed */
	uint64_t seen_tail;	/* tail as last read; <= the real one */
	uint64_t reserved;	/* size of the record reserved */
	/* the consumer's */
	alignas(CACHE_LINE) _Atomic uint64_t tail;	/* start of unreleased */
	uint64_t seen_head;	/* head as last read; <= the real one */
	uint64_t taken;		/* size of the record returned */
};

static size_t
round_up(size_t n)
{
	return (n + RING_ALIGN - 1) & ~(size_t)(RING_ALIGN - 1);
}

struct ring *
ring_new(size_t capacity)
{
	struct ring *r;

	if (capacity < 4 * RING_ALIGN || capacity % RING_ALIGN != 0)
		return NULL;
	/* its own alignment (cache lines), which calloc() does not give */
	r = aligned_alloc(alignof(struct ring),
	    (sizeof(*r) + alignof(struct ring) - 1) &
	    ~(alignof(struct ring) - 1));
	if (r == NULL)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->buf = aligned_alloc(RING_ALIGN, capacity);
	if (r->buf == NULL) {
		free(r);
		return NULL;
	}
	r->cap = capacity;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->is_consumer_waiting, false);
	atomic_init(&r->is_producer_waiting, false);
	pthread_condattr_t ca;

	pthread_mutex_init(&r->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->can_read, &ca);
	pthread_cond_init(&r->can_write, &ca);
	pthread_condattr_destroy(&ca);
	return r;
}

void
ring_free(struct ring *r)
{
	if (r == NULL)
		return;
	OPENSSL_cleanse(r->buf, r->cap);
	free(r->buf);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->can_read);
	pthread_cond_destroy(&r->can_write);
	free(r);
}

const uint8_t *
ring_bytes(const struct ring *r, size_t *len)
{
	*len = r->cap;
	return r->buf;
}

size_t
ring_max_record(const struct ring *r)
{
	return r->cap - sizeof(struct hdr);
}

static void wake(struct ring *r, _Atomic bool *flag, pthread_cond_t *cv);

/* Wait until `ready(r)` holds, spinning first, then sleeping on `cv`
 * with `flag` raised, after waking the other side on `other_flag`,
 * `other_cv` (whatever there is for it, it may now have). */
static void
wait_for(struct ring *r, bool (*ready)(struct ring *), _Atomic bool *flag,
    pthread_cond_t *cv, _Atomic bool *other_flag, pthread_cond_t *other_cv)
{
	for (int i = 0; i < RING_SPINS; i++)
		if (ready(r))
			return;
	wake(r, other_flag, other_cv);
	pthread_mutex_lock(&r->mu);
	atomic_store(flag, true);
	while (!ready(r)) {
		/* woken for a batch, or at the latest after a short while:
		 * a few records from a slow pipe (-r -) are not held back
		 * longer than that */
		struct timespec until;

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += RING_NAP_NS;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(cv, &r->mu, &until);
	}
	atomic_store(flag, false);
	pthread_mutex_unlock(&r->mu);
}

static void
wake(struct ring *r, _Atomic bool *flag, pthread_cond_t *cv)
{
	/* (the flag is read after the caller's position was published,
	 * both sequentially consistent: see the top of the file) */
	if (atomic_load(flag)) {
		pthread_mutex_lock(&r->mu);
		pthread_cond_signal(cv);
		pthread_mutex_unlock(&r->mu);
	}
}

/* room for r->reserved bytes after the head (producer) */
static bool
has_room(struct ring *r)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (r->cap - (head - r->seen_tail) >= r->reserved)
		return true;
	r->seen_tail = atomic_load(&r->tail);
	return r->cap - (head - r->seen_tail) >= r->reserved;
}

/* a record to read (consumer) */
static bool
has_record(struct ring *r)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	if (r->seen_head != tail)
		return true;
	r->seen_head = atomic_load(&r->head);
	return r->seen_head != tail;
}

/* A quarter of the ring: what a sleeper is woken for. */
static uint64_t
batch(const struct ring *r)
{
	return r->cap / 4;
}

/* Publish a position; wake the other side if a batch may be there for
 * it (judged on the copy of its position: it can only overstate what
 * is there, so a due wake-up is never skipped). */
static void
publish_head(struct ring *r, uint64_t head)
{
	atomic_store(&r->head, head);
	if (head - r->seen_tail >= batch(r))
		wake(r, &r->is_consumer_waiting, &r->can_read);
}

static void
publish_tail(struct ring *r, uint64_t tail)
{
	atomic_store(&r->tail, tail);
	if (r->cap - (r->seen_head - tail) >= batch(r))
		wake(r, &r->is_producer_waiting, &r->can_write);
}

void
ring_flush(struct ring *r)
{
	wake(r, &r->is_consumer_waiting, &r->can_read);
}

void *
ring_reserve(struct ring *r, size_t len)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t off = (size_t)(head % r->cap);
	size_t need = sizeof(struct hdr) + round_up(len);

	if (len > ring_max_record(r))
		return NULL;
	if (off + need > r->cap) {
		/* not enough buffer left before its end: pad over it and
		 * start again at offset 0 */
		struct hdr *pad = (struct hdr *)(void *)(r->buf + off);

		r->reserved = r->cap - off;
		wait_for(r, has_room, &r->is_producer_waiting, &r->can_write,
		    &r->is_consumer_waiting, &r->can_read);
		pad->len = 0;
		pad->is_pad = 1;
		head += r->cap - off;
		publish_head(r, head);
		off = 0;
	}
	r->reserved = need;
	wait_for(r, has_room, &r->is_producer_waiting, &r->can_write,
	    &r->is_consumer_waiting, &r->can_read);
	struct hdr *h = (struct hdr *)(void *)(r->buf + off);

	h->len = (uint32_t)len;
	h->is_pad = 0;
	return h + 1;
}

void
ring_commit(struct ring *r)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	publish_head(r, head + r->reserved);
}

void *
ring_next(struct ring *r, size_t *len)
{
	for (;;) {
		wait_for(r, has_record, &r->is_consumer_waiting,
		    &r->can_read, &r->is_producer_waiting, &r->can_write);
		uint64_t tail = atomic_load_explicit(&r->tail,
		    memory_order_relaxed);
		size_t off = (size_t)(tail % r->cap);
		struct hdr *h = (struct hdr *)(void *)(r->buf + off);

		if (h->is_pad) {
			publish_tail(r, tail + (r->cap - off));
			continue;
		}
		r->taken = sizeof(*h) + round_up(h->len);
		*len = h->len;
		return h + 1;
	}
}

void
ring_release(struct ring *r)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	publish_tail(r, tail + r->taken);
}
