/* test_flow_table.c: the connection table (flow/flow_table.h).
 *
 * Expected values come from flow_table.h's contract: canonical keys equal
 * for both directions, ids from 1 in order, eviction of the least recently
 * used flow of the first non-empty class (IDLE, DONE, LIVE), expiry after
 * more than the class's timeout in packet time, drain in id order, and
 * the release function called once for every flow that leaves, before it
 * leaves.  Addresses are the RFC 5737 / RFC 3849 documentation ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bounds.h"
#include "flow/flow_table.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define T_CLOSED 4u
#define T_IDLE 30u
#define T_UNANSWERED 300u
#define T_DONE 60u
#define T_LIVE 600u

static const uint32_t TIMEOUTS[FLOW_CLASS_COUNT] = {
	[FLOW_CLASS_CLOSED] = T_CLOSED,
	[FLOW_CLASS_IDLE] = T_IDLE,
	[FLOW_CLASS_UNANSWERED] = T_UNANSWERED,
	[FLOW_CLASS_DONE] = T_DONE,
	[FLOW_CLASS_LIVE] = T_LIVE,
};

/* ---- release recorder ----------------------------------------------- */

#define REL_MAX 20000

struct released {
	uint64_t id;
	enum flow_end why;
	struct flow_key key;
};

struct rel {
	struct released r[REL_MAX];
	size_t n;
};

static void
on_release(struct flow *f, enum flow_end why, void *arg)
{
	struct rel *rel = arg;

	assert_non_null(f);
	assert_true(rel->n < REL_MAX);
	/* released once: no id may come twice */
	for (size_t i = 0; i < rel->n; i++)
		assert_true(rel->r[i].id != f->id);
	rel->r[rel->n].id = f->id;
	rel->r[rel->n].why = why;
	rel->r[rel->n].key = f->key;	/* the flow is intact when released */
	rel->n++;
}

struct fx {
	struct flow_table *t;
	struct stats st;
	struct rel *rel;
};

/* The fixture lives on the heap and is remembered, so that fx_teardown
 * frees it even when a failed assertion left the test early. */
static struct fx *cur;

static struct fx *
fx_new(uint32_t max)
{
	struct fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->rel = calloc(1, sizeof(*x->rel));
	assert_non_null(x->rel);
	x->t = flow_table_new(max, TIMEOUTS, on_release, x->rel, &x->st);
	assert_non_null(x->t);
	cur = x;
	return x;
}

static void
fx_free(struct fx *x)
{
	if (x == NULL)
		return;
	if (x->t != NULL) {
		flow_table_drain(x->t);
		flow_table_free(x->t);
	}
	free(x->rel);
	free(x);
	cur = NULL;
}

static int
fx_teardown(void **state)
{
	(void)state;
	fx_free(cur);
	return 0;
}

/* Every test ends here: the table drains to empty. */
static void
fx_done(struct fx *x)
{
	flow_table_drain(x->t);
	assert_int_equal(flow_table_count(x->t), 0);
	fx_free(x);
}

/* Client 192.0.2.(i % 250 + 1) port 40000 + i / 250 -> 198.51.100.2:143:
 * a distinct connection for each i < 250 * 25000. */
static void
key_of(uint32_t i, struct flow_key *k)
{
	uint8_t a[16] = {192, 0, 2, (uint8_t)(i % 250u + 1u)};
	uint8_t b[16] = {198, 51, 100, 2};
	bool is_swapped;

	flow_table_key(k, 4, a, (uint16_t)(40000u + i / 250u), b, 143,
	    &is_swapped);
}

static struct flow *
insert(struct fx *x, uint32_t i, int64_t now)
{
	struct flow_key k;

	key_of(i, &k);
	assert_null(flow_table_lookup(x->t, &k));
	struct flow *f = flow_table_insert(x->t, &k, now);

	assert_non_null(f);
	return f;
}

static struct flow *
lookup(struct fx *x, uint32_t i)
{
	struct flow_key k;

	key_of(i, &k);
	return flow_table_lookup(x->t, &k);
}

static size_t
count_why(const struct rel *rel, enum flow_end why)
{
	size_t n = 0;

	for (size_t i = 0; i < rel->n; i++)
		if (rel->r[i].why == why)
			n++;
	return n;
}

/* ---- keys ------------------------------------------------------------ */

static void
test_flow_table_key_is_the_same_for_both_directions(void **state)
{
	(void)state;
	const uint8_t cli[16] = {192, 0, 2, 1};
	const uint8_t srv[16] = {198, 51, 100, 2};
	struct flow_key k1, k2;
	bool sw1, sw2;

	flow_table_key(&k1, 4, cli, 50000, srv, 110, &sw1);
	flow_table_key(&k2, 4, srv, 110, cli, 50000, &sw2);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	/* 192.0.2.1 sorts before 198.51.100.2: it is endpoint 0 */
	assert_false(sw1);
	assert_true(sw2);
	assert_memory_equal(k1.addr[0], cli, 16);
	assert_memory_equal(k1.addr[1], srv, 16);
	assert_int_equal(k1.port[0], 50000);
	assert_int_equal(k1.port[1], 110);
	assert_int_equal(k1.family, 4);
}

static void
test_flow_table_key_with_equal_addresses_orders_by_port(void **state)
{
	(void)state;
	const uint8_t lo[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 1};	/* ::1 talking to itself */
	struct flow_key k1, k2;
	bool sw1, sw2;

	flow_table_key(&k1, 6, lo, 50000, lo, 143, &sw1);
	flow_table_key(&k2, 6, lo, 143, lo, 50000, &sw2);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	assert_true(sw1);
	assert_false(sw2);
	assert_int_equal(k1.port[0], 143);
	assert_int_equal(k1.port[1], 50000);
}

/* IPv4 endpoints are ordered as their bytes are (the first that differs
 * decides), IPv4 loopback talking to itself by port. */
static void
test_flow_table_key_orders_ipv4_bytes_first_to_last(void **state)
{
	(void)state;
	const uint8_t a[16] = {10, 0, 0, 2};
	const uint8_t b[16] = {10, 0, 0, 10};
	const uint8_t c[16] = {10, 0, 1, 0};
	const uint8_t d[16] = {10, 0, 0, 255};
	const uint8_t e[16] = {255, 0, 0, 0};
	const uint8_t lo[16] = {127, 0, 0, 1};
	struct flow_key k;
	bool sw;

	flow_table_key(&k, 4, a, 1000, b, 143, &sw);
	assert_false(sw);	/* ...2 before ...10 */
	flow_table_key(&k, 4, c, 1000, d, 143, &sw);
	assert_true(sw);	/* 10.0.1.0 after 10.0.0.255 */
	assert_memory_equal(k.addr[0], d, 16);
	flow_table_key(&k, 4, e, 1000, a, 143, &sw);
	assert_true(sw);	/* 255.x after 10.x: no sign trouble */
	flow_table_key(&k, 4, lo, 50000, lo, 143, &sw);
	assert_true(sw);
	assert_int_equal(k.port[0], 143);
}

static void
test_flow_table_key_padding_is_zeroed(void **state)
{
	(void)state;
	const uint8_t a[16] = {192, 0, 2, 1};
	const uint8_t b[16] = {198, 51, 100, 2};
	struct flow_key k1, k2;
	bool sw;

	memset(&k1, 0xff, sizeof(k1));
	memset(&k2, 0x5a, sizeof(k2));
	flow_table_key(&k1, 4, a, 1, b, 2, &sw);
	flow_table_key(&k2, 4, a, 1, b, 2, &sw);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	for (size_t i = 0; i < sizeof(k1.pad); i++)
		assert_int_equal(k1.pad[i], 0);
}

static void
test_flow_table_key_family_is_part_of_the_key(void **state)
{
	(void)state;
	const uint8_t a[16] = {192, 0, 2, 1};
	const uint8_t b[16] = {198, 51, 100, 2};
	struct flow_key k4, k6;
	bool sw;

	flow_table_key(&k4, 4, a, 1, b, 2, &sw);
	flow_table_key(&k6, 6, a, 1, b, 2, &sw);
	assert_memory_not_equal(&k4, &k6, sizeof(k4));
}

/* ---- insert, lookup, ids --------------------------------------------- */

/* The index starts small and doubles as flows arrive (FLOW_BUCKETS_MIN):
 * through every doubling, and after flows leave, each flow is found
 * under its key and no other. */
static void
test_flow_table_index_grows_and_still_finds_every_flow(void **state)
{
	(void)state;
	const uint32_t n = FLOW_BUCKETS_MIN * 9;	/* four doublings */
	struct fx *x = fx_new(n);
	struct flow **f = calloc(n, sizeof(*f));

	assert_non_null(f);
	for (uint32_t i = 0; i < n; i++) {
		f[i] = insert(x, i, 1000);
		/* those before it, at each step across a doubling */
		if (i % FLOW_BUCKETS_MIN == 0 || i % FLOW_BUCKETS_MIN == 1)
			for (uint32_t j = 0; j <= i; j++)
				assert_ptr_equal(lookup(x, j), f[j]);
	}
	assert_int_equal(flow_table_count(x->t), n);
	for (uint32_t i = 0; i < n; i++)
		assert_ptr_equal(lookup(x, i), f[i]);
	/* the table full: one more evicts the least recently used */
	insert(x, n, 1001);
	assert_int_equal(flow_table_count(x->t), n);
	assert_null(lookup(x, 0));
	for (uint32_t i = 1; i <= n; i++)
		assert_non_null(lookup(x, i));
	free(f);
	fx_done(x);
}

static void
test_flow_table_lookup_finds_inserted_flow_from_both_sides(void **state)
{
	(void)state;
	const uint8_t cli[16] = {192, 0, 2, 1};
	const uint8_t srv[16] = {198, 51, 100, 2};
	struct flow_key k, rk;
	bool sw;

	struct fx *x = fx_new(8);

	flow_table_key(&k, 4, cli, 50000, srv, 110, &sw);
	flow_table_key(&rk, 4, srv, 110, cli, 50000, &sw);
	assert_null(flow_table_lookup(x->t, &k));
	struct flow *f = flow_table_insert(x->t, &k, 1000);

	assert_ptr_equal(flow_table_lookup(x->t, &k), f);
	assert_ptr_equal(flow_table_lookup(x->t, &rk), f);
	assert_int_equal(flow_table_count(x->t), 1);
	/* a new zeroed flow, class IDLE, with this key */
	assert_memory_equal(&f->key, &k, sizeof(k));
	assert_int_equal(f->id, 1);
	assert_int_equal(f->last_sec, 1000);
	assert_int_equal(f->klass, FLOW_CLASS_IDLE);
	assert_int_equal(f->state, FLOW_OPEN);
	assert_false(f->is_midstream);
	assert_false(f->has_data[DIR_C2S]);
	assert_null(f->session);
	assert_null(f->reasm[DIR_C2S].ooo);

	/* other ports: another flow */
	flow_table_key(&k, 4, cli, 50001, srv, 110, &sw);
	assert_null(flow_table_lookup(x->t, &k));
	assert_int_equal(x->rel->n, 0);
	fx_done(x);
}

static void
test_flow_table_ids_increase_from_one(void **state)
{
	(void)state;

	struct fx *x = fx_new(8);

	assert_int_equal(insert(x, 0, 10)->id, 1);
	assert_int_equal(insert(x, 1, 10)->id, 2);
	struct flow *f = insert(x, 2, 10);

	assert_int_equal(f->id, 3);
	/* a renewed flow gets the next id; ids are never reused */
	flow_table_renew(x->t, f);
	assert_int_equal(f->id, 4);
	flow_table_expire(x->t, 10 + T_IDLE + 1);
	assert_int_equal(flow_table_count(x->t), 0);
	assert_int_equal(insert(x, 3, 100)->id, 5);
	fx_done(x);
}

/* ---- eviction ---------------------------------------------------------- */

static void
test_flow_table_full_table_evicts_idle_first(void **state)
{
	(void)state;

	struct fx *x = fx_new(3);

	struct flow *live = insert(x, 0, 10);
	struct flow *done = insert(x, 1, 11);

	insert(x, 2, 12);	/* stays IDLE, the newest */
	flow_table_set_class(x->t, live, FLOW_CLASS_LIVE);
	flow_table_set_class(x->t, done, FLOW_CLASS_DONE);
	insert(x, 3, 13);
	assert_int_equal(flow_table_count(x->t), 3);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 3);
	assert_int_equal(x->rel->r[0].why, FLOW_END_EVICTED);
	assert_null(lookup(x, 2));
	assert_non_null(lookup(x, 0));
	assert_non_null(lookup(x, 1));
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 1);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED_LIVE], 0);
	fx_done(x);
}

/* A closed connection has nothing left to tell: it goes before anything,
 * even an older lone SYN, and after T_CLOSED seconds of its own. */
static void
test_flow_table_closed_goes_first_and_soon(void **state)
{
	(void)state;

	struct fx *x = fx_new(3);

	insert(x, 0, 10);	/* a lone SYN (IDLE), the oldest */
	struct flow *c = insert(x, 1, 12);

	flow_table_set_class(x->t, c, FLOW_CLASS_CLOSED);
	insert(x, 2, 13);
	insert(x, 3, 14);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 2);	/* the closed one */
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED_LIVE], 0);

	c = lookup(x, 2);
	flow_table_set_class(x->t, c, FLOW_CLASS_CLOSED);
	flow_table_expire(x->t, 13 + T_CLOSED);
	assert_non_null(lookup(x, 2));
	flow_table_expire(x->t, 13 + T_CLOSED + 1);
	assert_null(lookup(x, 2));
	assert_non_null(lookup(x, 0));	/* IDLE: T_IDLE */
	assert_int_equal(x->rel->r[1].why, FLOW_END_EXPIRED);
	fx_done(x);
}

/* The flood case: one-packet flows that never heard their server hold
 * sessions (UNANSWERED); a new connection's SYN (IDLE) arrives after them
 * and must outlive them. */
static void
test_flow_table_full_table_evicts_older_unanswered_before_newer_idle(
    void **state)
{
	(void)state;

	struct fx *x = fx_new(3);

	struct flow *j0 = insert(x, 0, 10);
	struct flow *j1 = insert(x, 1, 11);

	flow_table_set_class(x->t, j0, FLOW_CLASS_UNANSWERED);
	flow_table_set_class(x->t, j1, FLOW_CLASS_UNANSWERED);
	insert(x, 2, 12);	/* the new connection's SYN: IDLE */
	insert(x, 3, 13);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 1);	/* j0, the oldest */
	insert(x, 4, 14);
	assert_int_equal(x->rel->n, 2);
	assert_int_equal(x->rel->r[1].id, 2);	/* j1 */
	assert_non_null(lookup(x, 2));
	/* a flow still being parsed: counted as such */
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 2);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED_LIVE], 2);
	fx_done(x);
}

static void
test_flow_table_full_table_evicts_older_idle_before_newer_unanswered(
    void **state)
{
	(void)state;

	struct fx *x = fx_new(2);

	insert(x, 0, 10);	/* a lone SYN, long ago */
	struct flow *u = insert(x, 1, 20);

	flow_table_set_class(x->t, u, FLOW_CLASS_UNANSWERED);
	insert(x, 2, 21);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 1);
	assert_non_null(lookup(x, 1));
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED_LIVE], 0);
	fx_done(x);
}

static void
test_flow_table_full_table_same_second_evicts_unanswered_first(
    void **state)
{
	(void)state;

	struct fx *x = fx_new(2);

	insert(x, 0, 10);	/* IDLE, older in order, same second */
	struct flow *u = insert(x, 1, 10);

	flow_table_set_class(x->t, u, FLOW_CLASS_UNANSWERED);
	insert(x, 2, 10);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 2);	/* holds a session */
	fx_done(x);
}

static void
test_flow_table_unanswered_expires_on_its_own_timeout(void **state)
{
	(void)state;

	struct fx *x = fx_new(4);
	struct flow *u = insert(x, 0, 100);

	flow_table_set_class(x->t, u, FLOW_CLASS_UNANSWERED);
	flow_table_expire(x->t, 100 + T_IDLE + 1);
	assert_int_equal(flow_table_count(x->t), 1);
	flow_table_expire(x->t, 100 + T_UNANSWERED);
	assert_int_equal(flow_table_count(x->t), 1);
	flow_table_expire(x->t, 100 + T_UNANSWERED + 1);
	assert_int_equal(flow_table_count(x->t), 0);
	assert_int_equal(x->rel->r[0].why, FLOW_END_EXPIRED);
	fx_done(x);
}

static void
test_flow_table_full_table_evicts_done_before_live(void **state)
{
	(void)state;

	struct fx *x = fx_new(3);

	struct flow *a = insert(x, 0, 10);
	struct flow *b = insert(x, 1, 11);
	struct flow *c = insert(x, 2, 12);

	/* b is the most recently used, but the only DONE flow */
	flow_table_set_class(x->t, a, FLOW_CLASS_LIVE);
	flow_table_set_class(x->t, c, FLOW_CLASS_LIVE);
	flow_table_touch(x->t, b, 20);
	flow_table_set_class(x->t, b, FLOW_CLASS_DONE);
	insert(x, 3, 21);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 2);
	assert_int_equal(x->rel->r[0].why, FLOW_END_EVICTED);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 1);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED_LIVE], 0);
	fx_done(x);
}

static void
test_flow_table_full_table_evicts_live_last_and_counts_it(void **state)
{
	(void)state;

	struct fx *x = fx_new(2);

	struct flow *a = insert(x, 0, 10);
	struct flow *b = insert(x, 1, 11);

	flow_table_set_class(x->t, a, FLOW_CLASS_LIVE);
	flow_table_set_class(x->t, b, FLOW_CLASS_LIVE);
	insert(x, 2, 12);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 1);
	assert_int_equal(x->rel->r[0].why, FLOW_END_EVICTED);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 1);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED_LIVE], 1);
	assert_null(lookup(x, 0));
	assert_non_null(lookup(x, 1));
	assert_non_null(lookup(x, 2));
	fx_done(x);
}

static void
test_flow_table_eviction_takes_least_recently_touched_in_class(void **state)
{
	(void)state;

	struct fx *x = fx_new(3);

	struct flow *a = insert(x, 0, 1);

	insert(x, 1, 2);
	struct flow *c = insert(x, 2, 3);

	flow_table_touch(x->t, a, 4);	/* order now b, c, a */
	insert(x, 3, 5);		/* evicts b; order c, a, d */
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 2);
	flow_table_touch(x->t, c, 6);	/* order a, d, c */
	insert(x, 4, 7);		/* evicts a */
	assert_int_equal(x->rel->n, 2);
	assert_int_equal(x->rel->r[1].id, 1);
	assert_non_null(lookup(x, 2));
	assert_non_null(lookup(x, 3));
	assert_non_null(lookup(x, 4));
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 2);
	fx_done(x);
}

/* Order is kept to the second: a touch within a flow's own second does
 * not move it, so among flows of one second the first active goes first;
 * a touch in a later second moves it behind them. */
static void
test_flow_table_touch_orders_to_the_second(void **state)
{
	(void)state;

	struct fx *x = fx_new(3);
	struct flow *a = insert(x, 0, 5);
	struct flow *b = insert(x, 1, 5);

	insert(x, 2, 5);
	flow_table_touch(x->t, a, 5);	/* same second: order stays a, b, c */
	assert_int_equal(a->last_sec, 5);
	insert(x, 3, 5);		/* evicts a */
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 1);
	flow_table_touch(x->t, b, 6);	/* later second: order c, d, b */
	assert_int_equal(b->last_sec, 6);
	insert(x, 4, 6);		/* evicts c */
	assert_int_equal(x->rel->n, 2);
	assert_int_equal(x->rel->r[1].id, 3);
	assert_non_null(lookup(x, 1));
	fx_done(x);
}

static void
test_flow_table_class_order_holds_across_many_evictions(void **state)
{
	(void)state;

	/* 2 LIVE, 2 DONE, 2 IDLE; then 6 new flows, set LIVE as they
	 * come: IDLE go first, then DONE, then the oldest LIVE */
	struct fx *x = fx_new(6);

	for (uint32_t i = 0; i < 6; i++) {
		struct flow *f = insert(x, i, (int64_t)i);

		if (i < 2)
			flow_table_set_class(x->t, f, FLOW_CLASS_LIVE);
		else if (i < 4)
			flow_table_set_class(x->t, f, FLOW_CLASS_DONE);
	}
	for (uint32_t i = 6; i < 12; i++)
		flow_table_set_class(x->t, insert(x, i, (int64_t)i),
		    FLOW_CLASS_LIVE);
	static const uint64_t order[] = {5, 6, 3, 4, 1, 2};

	assert_int_equal(x->rel->n, N(order));
	for (size_t i = 0; i < N(order); i++) {
		assert_int_equal(x->rel->r[i].id, order[i]);
		assert_int_equal(x->rel->r[i].why, FLOW_END_EVICTED);
	}
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 6);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED_LIVE], 2);
	fx_done(x);
}

/* ---- release ----------------------------------------------------------- */

static void
test_flow_table_release_is_called_once_per_flow_with_its_reason(
    void **state)
{
	(void)state;
	struct flow_key k[4];

	struct fx *x = fx_new(3);

	for (uint32_t i = 0; i < 4; i++)
		key_of(i, &k[i]);
	insert(x, 0, 100);		/* id 1: expires */
	struct flow *b = insert(x, 1, 200);	/* id 2 */
	struct flow *c = insert(x, 2, 200);	/* id 3 */

	flow_table_set_class(x->t, b, FLOW_CLASS_LIVE);
	flow_table_set_class(x->t, c, FLOW_CLASS_DONE);
	flow_table_expire(x->t, 100 + T_IDLE + 1);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(flow_table_count(x->t), 2);
	insert(x, 3, 210);		/* id 4: fills the table */
	struct flow_key k5;

	key_of(4, &k5);
	flow_table_insert(x->t, &k5, 220);	/* id 5: evicts id 4 */
	flow_table_drain(x->t);		/* ids 2, 3, 5 */

	static const struct {
		uint64_t id;
		enum flow_end why;
		uint32_t key;
	} want[] = {
		{1, FLOW_END_EXPIRED, 0},
		{4, FLOW_END_EVICTED, 3},
		{2, FLOW_END_DRAINED, 1},
		{3, FLOW_END_DRAINED, 2},
		{5, FLOW_END_DRAINED, 4},
	};

	assert_int_equal(x->rel->n, N(want));
	for (size_t i = 0; i < N(want); i++) {
		struct flow_key kw;

		key_of(want[i].key, &kw);
		assert_int_equal(x->rel->r[i].id, want[i].id);
		assert_int_equal(x->rel->r[i].why, want[i].why);
		assert_memory_equal(&x->rel->r[i].key, &kw, sizeof(kw));
	}
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 1);
	assert_int_equal(x->st.v[STAT_FLOWS_EXPIRED], 1);
	fx_done(x);
}

/* ---- expiry ------------------------------------------------------------ */

static void
test_flow_table_expiry_uses_the_timeout_of_each_class(void **state)
{
	(void)state;

	struct fx *x = fx_new(8);

	insert(x, 0, 100);			/* IDLE */
	flow_table_set_class(x->t, insert(x, 1, 100), FLOW_CLASS_DONE);
	flow_table_set_class(x->t, insert(x, 2, 100), FLOW_CLASS_LIVE);

	/* idle for exactly the timeout is not "longer than" it */
	flow_table_expire(x->t, 100 + T_IDLE);
	assert_int_equal(x->rel->n, 0);
	flow_table_expire(x->t, 100 + T_IDLE + 1);
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 1);
	assert_int_equal(x->rel->r[0].why, FLOW_END_EXPIRED);

	flow_table_expire(x->t, 100 + T_DONE);
	assert_int_equal(x->rel->n, 1);
	flow_table_expire(x->t, 100 + T_DONE + 1);
	assert_int_equal(x->rel->n, 2);
	assert_int_equal(x->rel->r[1].id, 2);

	flow_table_expire(x->t, 100 + T_LIVE);
	assert_int_equal(x->rel->n, 2);
	flow_table_expire(x->t, 100 + T_LIVE + 1);
	assert_int_equal(x->rel->n, 3);
	assert_int_equal(x->rel->r[2].id, 3);
	assert_int_equal(x->rel->r[2].why, FLOW_END_EXPIRED);

	assert_int_equal(flow_table_count(x->t), 0);
	assert_int_equal(x->st.v[STAT_FLOWS_EXPIRED], 3);
	fx_done(x);
}

static void
test_flow_table_expiry_takes_only_the_stale_flows(void **state)
{
	(void)state;

	struct fx *x = fx_new(8);

	insert(x, 0, 100);
	insert(x, 1, 110);
	insert(x, 2, 120);
	flow_table_expire(x->t, 135);	/* only 100 + 30 < 135 */
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 1);
	assert_null(lookup(x, 0));
	assert_non_null(lookup(x, 1));
	assert_non_null(lookup(x, 2));
	fx_done(x);
}

static void
test_flow_table_touch_postpones_expiry(void **state)
{
	(void)state;

	struct fx *x = fx_new(8);

	struct flow *a = insert(x, 0, 100);

	insert(x, 1, 105);
	flow_table_touch(x->t, a, 120);
	assert_int_equal(a->last_sec, 120);
	flow_table_expire(x->t, 140);	/* 105 + 30 < 140; 120 + 30 not */
	assert_int_equal(x->rel->n, 1);
	assert_int_equal(x->rel->r[0].id, 2);
	flow_table_expire(x->t, 151);
	assert_int_equal(x->rel->n, 2);
	assert_int_equal(x->rel->r[1].id, 1);
	fx_done(x);
}

static void
test_flow_table_expiry_counts_only_open_flows(void **state)
{
	(void)state;

	struct fx *x = fx_new(8);

	insert(x, 0, 100);
	struct flow *closed = insert(x, 1, 100);

	closed->state = FLOW_CLOSED;
	flow_table_expire(x->t, 100 + T_IDLE + 1);
	assert_int_equal(x->rel->n, 2);
	assert_int_equal(x->rel->r[0].why, FLOW_END_EXPIRED);
	assert_int_equal(x->rel->r[1].why, FLOW_END_EXPIRED);
	assert_int_equal(x->st.v[STAT_FLOWS_EXPIRED], 1);
	fx_done(x);
}

/* ---- drain and reuse ------------------------------------------------- */

static void
test_flow_table_drain_releases_in_id_order(void **state)
{
	(void)state;

	struct fx *x = fx_new(8);

	struct flow *a = insert(x, 0, 10);	/* 1 */
	struct flow *b = insert(x, 1, 11);	/* 2 */
	struct flow *c = insert(x, 2, 12);	/* 3 */
	struct flow *d = insert(x, 3, 13);	/* 4 */

	/* scramble the lists: classes and recency in another order */
	flow_table_set_class(x->t, c, FLOW_CLASS_LIVE);
	flow_table_set_class(x->t, a, FLOW_CLASS_DONE);
	flow_table_set_class(x->t, b, FLOW_CLASS_LIVE);
	flow_table_touch(x->t, d, 20);
	flow_table_touch(x->t, c, 21);
	flow_table_renew(x->t, b);		/* 2 -> 5 */
	flow_table_drain(x->t);

	static const uint64_t order[] = {1, 3, 4, 5};

	assert_int_equal(x->rel->n, N(order));
	for (size_t i = 0; i < N(order); i++) {
		assert_int_equal(x->rel->r[i].id, order[i]);
		assert_int_equal(x->rel->r[i].why, FLOW_END_DRAINED);
	}
	assert_int_equal(flow_table_count(x->t), 0);
	for (uint32_t i = 0; i < 4; i++)
		assert_null(lookup(x, i));
	assert_int_equal(x->st.v[STAT_FLOWS_EXPIRED], 0);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 0);
	fx_done(x);
}

static void
test_flow_table_drain_of_empty_table_releases_nothing(void **state)
{
	(void)state;

	struct fx *x = fx_new(4);

	flow_table_drain(x->t);
	assert_int_equal(x->rel->n, 0);
	fx_done(x);
}

static void
test_flow_table_slots_are_reused_after_removal(void **state)
{
	(void)state;

	struct fx *x = fx_new(4);

	for (uint32_t i = 0; i < 4; i++)
		insert(x, i, 10);
	flow_table_drain(x->t);
	assert_int_equal(x->rel->n, 4);
	for (uint32_t i = 10; i < 14; i++)
		insert(x, i, 20);
	assert_int_equal(flow_table_count(x->t), 4);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 0);
	for (uint32_t i = 10; i < 14; i++) {
		struct flow *f = lookup(x, i);

		assert_non_null(f);
		assert_int_equal(f->id, 5 + (i - 10));
		assert_int_equal(f->last_sec, 20);
	}
	/* expire two, fill the two slots again: still no eviction */
	flow_table_touch(x->t, lookup(x, 12), 40);
	flow_table_touch(x->t, lookup(x, 13), 40);
	flow_table_expire(x->t, 20 + T_IDLE + 1);
	assert_int_equal(flow_table_count(x->t), 2);
	insert(x, 20, 51);
	insert(x, 21, 51);
	assert_int_equal(flow_table_count(x->t), 4);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], 0);
	assert_null(lookup(x, 10));
	assert_null(lookup(x, 11));
	assert_non_null(lookup(x, 12));
	assert_non_null(lookup(x, 20));
	flow_table_drain(x->t);
	assert_int_equal(x->rel->n, 4 + 2 + 4);
	assert_int_equal(count_why(x->rel, FLOW_END_DRAINED), 8);
	assert_int_equal(count_why(x->rel, FLOW_END_EXPIRED), 2);
	fx_done(x);
}

static void
test_flow_table_ten_thousand_inserts_into_64_stay_bounded(void **state)
{
	(void)state;
	enum { MAXF = 64, INSERTS = 10000 };

	struct fx *x = fx_new(MAXF);

	for (uint32_t i = 0; i < INSERTS; i++) {
		struct flow *f = insert(x, i, (int64_t)i);

		assert_int_equal(f->id, i + 1);
		assert_true(flow_table_count(x->t) <= MAXF);
		/* every few flows, one becomes LIVE or DONE */
		if (i % 7 == 0)
			flow_table_set_class(x->t, f, FLOW_CLASS_LIVE);
		else if (i % 5 == 0)
			flow_table_set_class(x->t, f, FLOW_CLASS_DONE);
	}
	assert_int_equal(flow_table_count(x->t), MAXF);
	assert_int_equal(x->st.v[STAT_CAP_FLOWS_EVICTED], INSERTS - MAXF);
	assert_int_equal(x->rel->n, INSERTS - MAXF);
	assert_int_equal(count_why(x->rel, FLOW_END_EVICTED), INSERTS - MAXF);
	/* the last flow inserted is always there */
	assert_non_null(lookup(x, INSERTS - 1));
	size_t found = 0;

	for (uint32_t i = 0; i < INSERTS; i++)
		if (lookup(x, i) != NULL)
			found++;
	assert_int_equal(found, MAXF);
	flow_table_drain(x->t);
	assert_int_equal(x->rel->n, INSERTS);
	assert_int_equal(count_why(x->rel, FLOW_END_DRAINED), MAXF);
	fx_done(x);
}

static void
test_flow_table_free_of_null_does_nothing(void **state)
{
	(void)state;
	flow_table_free(NULL);
}

#define T(f) cmocka_unit_test_teardown(f, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_flow_table_key_is_the_same_for_both_directions),
		T(test_flow_table_key_with_equal_addresses_orders_by_port),
		T(test_flow_table_key_orders_ipv4_bytes_first_to_last),
		T(test_flow_table_key_padding_is_zeroed),
		T(test_flow_table_key_family_is_part_of_the_key),
		T(test_flow_table_lookup_finds_inserted_flow_from_both_sides),
		T(test_flow_table_index_grows_and_still_finds_every_flow),
		T(test_flow_table_ids_increase_from_one),
		T(test_flow_table_full_table_evicts_idle_first),
		T(test_flow_table_closed_goes_first_and_soon),
		T(test_flow_table_full_table_evicts_older_unanswered_before_newer_idle),
		T(test_flow_table_full_table_evicts_older_idle_before_newer_unanswered),
		T(test_flow_table_full_table_same_second_evicts_unanswered_first),
		T(test_flow_table_unanswered_expires_on_its_own_timeout),
		T(test_flow_table_full_table_evicts_done_before_live),
		T(test_flow_table_full_table_evicts_live_last_and_counts_it),
		T(test_flow_table_eviction_takes_least_recently_touched_in_class),
		T(test_flow_table_touch_orders_to_the_second),
		T(test_flow_table_class_order_holds_across_many_evictions),
		T(test_flow_table_release_is_called_once_per_flow_with_its_reason),
		T(test_flow_table_expiry_uses_the_timeout_of_each_class),
		T(test_flow_table_expiry_takes_only_the_stale_flows),
		T(test_flow_table_touch_postpones_expiry),
		T(test_flow_table_expiry_counts_only_open_flows),
		T(test_flow_table_drain_releases_in_id_order),
		T(test_flow_table_drain_of_empty_table_releases_nothing),
		T(test_flow_table_slots_are_reused_after_removal),
		T(test_flow_table_ten_thousand_inserts_into_64_stay_bounded),
		T(test_flow_table_free_of_null_does_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
