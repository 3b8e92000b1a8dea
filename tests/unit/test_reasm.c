/* test_reasm.c: one direction of TCP reassembly (flow/reasm.h).
 *
 * Each test feeds segments laid out by hand and compares everything the
 * sink received, in order, with the exact expected stream: data bytes as
 * they are, and each gap written as "[gap N]" (test payloads are letters,
 * so the two cannot be confused).  Expected values come from reasm.h's
 * rules (first copy wins, holes given up when the peer acknowledged the
 * bytes after them, when a cap refuses, or at the end), stats.h's counter
 * definitions, bounds.h and RFC 9293 sequence arithmetic (modulo 2^32).
 *
 * Every segment is passed from an exactly-sized malloc copy that is freed
 * right after the call, so AddressSanitizer catches a read past the
 * captured bytes or a queued pointer into the caller's buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow/reasm.h"
#include "bounds.h"

/* ---- recording sink ------------------------------------------------ */

struct rec {
	char *log;
	size_t len;
	size_t cap;
	unsigned ndata;
	unsigned ngap;
	char calls[512];	/* "d3@100.0 g7@100.0 ": each call, its time */
	size_t ncalls;
};

static void
rec_append(struct rec *r, const void *p, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 256;

		while (r->len + n + 1 > cap)
			cap *= 2;
		r->log = realloc(r->log, cap);
		assert_non_null(r->log);
		r->cap = cap;
	}
	memcpy(r->log + r->len, p, n);
	r->len += n;
	r->log[r->len] = '\0';
}

static void
rec_call(struct rec *r, char kind, uint32_t n, struct event_time ts)
{
	size_t room = sizeof(r->calls) - r->ncalls;
	int k = snprintf(r->calls + r->ncalls, room, "%c%u@%lld.%u ", kind,
	    (unsigned)n, (long long)ts.sec, (unsigned)ts.usec);

	if (k > 0 && (size_t)k < room)	/* long logs are only cut */
		r->ncalls += (size_t)k;
}

static void
rec_data(void *arg, const uint8_t *p, uint32_t n, struct event_time ts)
{
	struct rec *r = arg;

	r->ndata++;
	rec_call(r, 'd', n, ts);
	rec_append(r, p, n);
}

static void
rec_gap(void *arg, uint32_t n, struct event_time ts)
{
	struct rec *r = arg;
	char s[32];
	int k = snprintf(s, sizeof(s), "[gap %u]", (unsigned)n);

	assert_true(k > 0 && (size_t)k < sizeof(s));
	r->ngap++;
	rec_call(r, 'g', n, ts);
	rec_append(r, s, (size_t)k);
}

/* What the sink got so far, as a C string ("" if nothing). */
static const char *
rec_str(const struct rec *r)
{
	return r->log != NULL ? r->log : "";
}

/* ---- fixture -------------------------------------------------------- */

struct fx {
	struct reasm r;
	struct stats st;
	struct budget b;
	struct reasm_env env;
	struct rec rec;
	struct reasm_sink sink;
};

/* The fixture lives on the heap and is remembered, so that fx_teardown
 * frees it even when a failed assertion left the test early. */
static struct fx *cur;

static struct fx *
fx_new(size_t budget_max)
{
	struct fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->b.max = budget_max;
	x->env.stats = &x->st;
	x->env.budget = &x->b;
	x->sink.data = rec_data;
	x->sink.gap = rec_gap;
	x->sink.arg = &x->rec;
	cur = x;
	return x;
}

static void
fx_free(struct fx *x)
{
	if (x == NULL)
		return;
	reasm_free(&x->r, &x->env);
	free(x->rec.log);
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

/* Every test ends here: what is left is freed, and the budget is whole. */
static void
fx_done(struct fx *x)
{
	reasm_free(&x->r, &x->env);
	assert_null(x->r.ooo);
	assert_int_equal(x->r.queued, 0);
	assert_int_equal(x->b.used, 0);
	fx_free(x);
}

/* A segment of `len` bytes at seq of which the first `caplen` are in s,
 * passed in an exactly-sized heap copy. */
static void
seg_cut(struct fx *x, uint32_t seq, const char *s, uint32_t caplen,
    uint32_t len)
{
	uint8_t *p = malloc(caplen);

	if (caplen > 0) {
		assert_non_null(p);
		memcpy(p, s, caplen);
	}
	reasm_segment(&x->r, &x->env, seq, p, caplen, len, &x->sink);
	free(p);
}

static void
seg(struct fx *x, uint32_t seq, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);

	seg_cut(x, seq, s, n, n);
}

/* The capture time of the packets handed in from now on. */
static void
at(struct fx *x, int64_t sec, uint32_t usec)
{
	x->env.now.sec = sec;
	x->env.now.usec = usec;
}

static void
ack(struct fx *x, uint32_t a)
{
	reasm_peer_ack(&x->r, &x->env, a, &x->sink);
}

#define BIG_BUDGET (64u * 1024u * 1024u)

/* ---- in order ------------------------------------------------------- */

/* The retransmission window: wiped when freed, then kept in the pool and
 * taken again by the next window, charged to the budget while in use. */
static void
test_reasm_window_is_kept_wiped_for_reuse(void **state)
{
	(void)state;

	/* static: the fixture's teardown may reach it after a failed
	 * assertion has left this function */
	static struct block_pool pool;
	struct fx *x = fx_new(BIG_BUDGET);
	const char *login = "a001 LOGIN alice s3cret\r\n";
	uint32_t n = (uint32_t)strlen(login);

	pool.n = 0;
	x->env.recent_pool = &pool;
	reasm_record(&x->r);
	seg(x, 1000, login);
	uint8_t *kept = x->r.recent;
	uint32_t high = x->r.recent_high;

	assert_non_null(kept);
	assert_int_equal(high, n);
	assert_int_equal(x->b.used, REASM_RECENT_MAX);
	reasm_free(&x->r, &x->env);
	assert_null(x->r.recent);
	assert_int_equal(x->b.used, 0);
	assert_int_equal(pool.n, 1);
	assert_ptr_equal(pool.free[0], kept);
	for (uint32_t i = 0; i < high; i++)
		assert_int_equal(kept[i], 0);
	reasm_record(&x->r);
	seg(x, 1000 + n, "a002 LOGOUT\r\n");
	assert_ptr_equal(x->r.recent, kept);
	assert_int_equal(pool.n, 0);
	assert_int_equal(x->b.used, REASM_RECENT_MAX);
	fx_done(x);		/* back to the pool */
	assert_int_equal(pool.n, 1);
	pool_drain(&pool);
	assert_int_equal(pool.n, 0);
}

static void
test_reasm_in_order_segments_are_delivered_without_queueing(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1000, "ABCDE");
	/* delivered during the call, not later */
	assert_string_equal(rec_str(&x->rec), "ABCDE");
	seg(x, 1005, "FGHIJ");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_int_equal(x->r.next, 1010);
	assert_null(x->r.ooo);
	assert_int_equal(x->b.peak, 0);	/* nothing was ever allocated */
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 0);
	assert_int_equal(x->st.v[STAT_TCP_RETRANSMITTED], 0);
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 0);
	assert_int_equal(x->rec.ngap, 0);
	fx_done(x);
}

static void
test_reasm_first_segment_starts_an_unstarted_direction(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	seg(x, 5000, "HELLO");
	assert_true(x->r.is_started);
	assert_string_equal(rec_str(&x->rec), "HELLO");
	assert_int_equal(x->r.next, 5005);
	fx_done(x);
}

static void
test_reasm_empty_segment_delivers_nothing(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg_cut(x, 1010, "", 0, 0);	/* a bare ACK ahead of next */
	seg_cut(x, 1000, "", 0, 0);
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->r.next, 1000);
	assert_null(x->r.ooo);
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 0);
	assert_int_equal(x->st.v[STAT_TCP_RETRANSMITTED], 0);
	fx_done(x);
}

/* ---- out of order --------------------------------------------------- */

static void
test_reasm_out_of_order_segment_waits_for_the_hole(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1005, "FGHIJ");
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 1);
	assert_int_equal(x->r.queued, 5);
	assert_true(x->b.used > 0);
	seg(x, 1000, "ABCDE");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_int_equal(x->r.next, 1010);
	assert_int_equal(x->r.queued, 0);
	assert_int_equal(x->b.used, 0);
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 1);
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 0);
	fx_done(x);
}

static void
test_reasm_segments_arriving_in_reverse_are_put_in_order(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1015, "PQRST");
	seg(x, 1010, "KLMNO");
	seg(x, 1005, "FGHIJ");
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->r.queued, 15);
	seg(x, 1000, "ABCDE");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJKLMNOPQRST");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 3);
	assert_int_equal(x->r.next, 1020);
	fx_done(x);
}

static void
test_reasm_filling_one_of_two_holes_delivers_up_to_the_next(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1005, "FGHIJ");
	seg(x, 1015, "PQRST");
	seg(x, 1000, "ABCDE");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_int_equal(x->r.next, 1010);
	assert_int_equal(x->r.queued, 5);
	seg(x, 1010, "KLMNO");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJKLMNOPQRST");
	fx_done(x);
}

/* ---- retransmission and overlap ------------------------------------- */

static void
test_reasm_exact_retransmission_is_counted_not_redelivered(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1000, "ABCDE");
	seg(x, 1000, "ABCDE");
	assert_string_equal(rec_str(&x->rec), "ABCDE");
	assert_int_equal(x->st.v[STAT_TCP_RETRANSMITTED], 1);
	assert_int_equal(x->r.next, 1005);
	/* an older segment wholly before next, too */
	seg(x, 1005, "FGHIJ");
	seg(x, 1001, "BCD");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_int_equal(x->st.v[STAT_TCP_RETRANSMITTED], 2);
	fx_done(x);
}

static void
test_reasm_partial_overlap_with_delivered_bytes_is_trimmed(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1000, "ABCDE");
	seg(x, 1003, "DEFGH");	/* 1003..1007: 2 old, 3 new */
	assert_string_equal(rec_str(&x->rec), "ABCDEFGH");
	assert_int_equal(x->r.next, 1008);
	/* partly new: not "wholly already seen" */
	assert_int_equal(x->st.v[STAT_TCP_RETRANSMITTED], 0);
	fx_done(x);
}

static void
test_reasm_conflicting_overlap_of_queued_segments_keeps_first(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1010, "KLMNO");		/* first copy of 1010..1014 */
	seg(x, 1008, "ijklmnopqr");	/* 1008..1017, other bytes */
	assert_int_equal(x->st.v[STAT_TCP_OVERLAP_CONFLICT], 1);
	assert_string_equal(rec_str(&x->rec), "");
	seg(x, 1000, "ABCDEFGH");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHijKLMNOpqr");
	assert_int_equal(x->r.next, 1018);
	assert_int_equal(x->st.v[STAT_TCP_OVERLAP_CONFLICT], 1);
	fx_done(x);
}

static void
test_reasm_identical_overlap_of_queued_segments_is_no_conflict(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1010, "KLMNO");
	seg(x, 1008, "IJKLMNOPQR");
	seg(x, 1000, "ABCDEFGH");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJKLMNOPQR");
	assert_int_equal(x->st.v[STAT_TCP_OVERLAP_CONFLICT], 0);
	fx_done(x);
}

static void
test_reasm_segment_spanning_two_queued_fills_only_between(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1005, "FGH");			/* 1005..1007 */
	seg(x, 1012, "MNO");			/* 1012..1014 */
	seg(x, 1003, "defghijklmnopq");	/* 1003..1016 */
	assert_int_equal(x->st.v[STAT_TCP_OVERLAP_CONFLICT], 1);
	assert_int_equal(x->r.queued, 3 + 3 + 2 + 4 + 2);
	seg(x, 1000, "ABC");
	assert_string_equal(rec_str(&x->rec), "ABCdeFGHijklMNOpq");
	assert_int_equal(x->r.next, 1017);
	fx_done(x);
}

/* reasm.h: "the first copy of a byte wins; ... an overlap whose bytes
 * differ from the queued copy is counted".  Here the first copy of
 * 1005..1009 is queued; an in-order segment then brings other bytes for
 * them. */
static void
test_reasm_in_order_segment_over_queued_bytes_keeps_queued_copy(
    void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1005, "FGHIJ");
	seg(x, 1000, "ABCDEvwxyz");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_int_equal(x->st.v[STAT_TCP_OVERLAP_CONFLICT], 1);
	assert_int_equal(x->r.next, 1010);
	fx_done(x);
}

static void
test_reasm_duplicate_of_queued_segment_is_stored_once(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1005, "FGHIJ");
	size_t used = x->b.used;

	seg(x, 1005, "FGHIJ");
	assert_int_equal(x->b.used, used);
	assert_int_equal(x->r.queued, 5);
	seg(x, 1000, "ABCDE");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_int_equal(x->st.v[STAT_TCP_OVERLAP_CONFLICT], 0);
	fx_done(x);
}

/* stats.h: tcp_retransmitted counts "segments wholly already seen",
 * tcp_out_of_order "segments queued until the bytes before them arrive".
 * A second copy of a queued segment was wholly seen and is not queued. */
static void
test_reasm_duplicate_of_queued_segment_counts_as_retransmission(
    void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1005, "FGHIJ");
	seg(x, 1005, "FGHIJ");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 1);
	assert_int_equal(x->st.v[STAT_TCP_RETRANSMITTED], 1);
	fx_done(x);
}

/* ---- sequence wrap -------------------------------------------------- */

static void
test_reasm_sequence_numbers_wrap_at_2_32(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 0xfffffffau);
	seg(x, 0xfffffffau, "ABC");	/* ...fa..fc */
	seg(x, 0x00000002u, "IJ");	/* after the wrap: queued */
	assert_string_equal(rec_str(&x->rec), "ABC");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 1);
	seg(x, 0xfffffffdu, "DEFGH");	/* fd fe ff 00 01 */
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_int_equal(x->r.next, 4);
	/* a retransmission from before the wrap is still old */
	seg(x, 0xfffffffeu, "EF");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_int_equal(x->st.v[STAT_TCP_RETRANSMITTED], 1);
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_WINDOW], 0);
	fx_done(x);
}

static void
test_reasm_gap_across_the_wrap(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 0xfffffff0u);
	seg(x, 0x00000004u, "UVW");	/* 20 bytes ahead */
	reasm_flush(&x->r, &x->env, &x->sink);
	assert_string_equal(rec_str(&x->rec), "[gap 20]UVW");
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 20);
	assert_int_equal(x->r.next, 7);
	fx_done(x);
}

/* ---- the peer's ack ------------------------------------------------- */

static void
test_reasm_peer_ack_beyond_hole_gives_gap_then_queued_bytes(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1010, "KLMNO");
	ack(x, 1015);	/* the peer has everything up to 1014 */
	assert_string_equal(rec_str(&x->rec), "[gap 10]KLMNO");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 1);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 10);
	assert_int_equal(x->r.next, 1015);
	assert_null(x->r.ooo);
	assert_int_equal(x->b.used, 0);
	seg(x, 1015, "PQ");
	assert_string_equal(rec_str(&x->rec), "[gap 10]KLMNOPQ");
	fx_done(x);
}

static void
test_reasm_peer_ack_beyond_two_holes_gives_both_gaps(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1005, "FGH");		/* hole 1000..1004 */
	seg(x, 1012, "MNO");		/* hole 1008..1011 */
	ack(x, 1015);
	assert_string_equal(rec_str(&x->rec), "[gap 5]FGH[gap 4]MNO");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 2);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 9);
	fx_done(x);
}

static void
test_reasm_peer_ack_with_nothing_queued_waits(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	ack(x, 1020);	/* the data may be later in the capture */
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->r.next, 1000);
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 0);
	seg(x, 1000, "ABCDEFGHIJ");
	seg(x, 1010, "KLMNOPQRST");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJKLMNOPQRST");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 0);
	fx_done(x);
}

static void
test_reasm_peer_ack_up_to_next_does_nothing(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1010, "KLMNO");
	ack(x, 1000);		/* acknowledges nothing new */
	ack(x, 990);		/* an old ack */
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->r.queued, 5);
	seg(x, 1000, "ABCDEFGHIJ");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJKLMNO");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 0);
	fx_done(x);
}

static void
test_reasm_segment_before_peer_ack_gives_gap_immediately(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	ack(x, 1020);
	seg(x, 1010, "KLMNO");	/* the peer has 1000..1009: lost */
	assert_string_equal(rec_str(&x->rec), "[gap 10]KLMNO");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 0);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 10);
	assert_null(x->r.ooo);
	assert_int_equal(x->b.peak, 0);
	fx_done(x);
}

static void
test_reasm_segment_at_peer_ack_gives_gap_immediately(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	ack(x, 1020);
	seg(x, 1020, "UVW");	/* 1000..1019 acknowledged, never seen */
	assert_string_equal(rec_str(&x->rec), "[gap 20]UVW");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 1);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 20);
	assert_int_equal(x->r.next, 1023);
	fx_done(x);
}

static void
test_reasm_segment_after_peer_ack_is_queued(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	ack(x, 1005);
	seg(x, 1010, "KLMNO");	/* 1005..1009 not acknowledged: wait */
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 1);
	seg(x, 1000, "ABCDEFGHIJ");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJKLMNO");
	fx_done(x);
}

/* reasm.h: "A hole is given up as lost when the peer has acknowledged the
 * bytes after it"; reasm.c: "With nothing queued, wait: the data may just
 * be late in the capture."  Bytes 1015..1019 are acknowledged but nothing
 * after them was seen: that hole is not given up yet. */
static void
test_reasm_peer_ack_beyond_queued_data_gives_up_only_the_hole(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1010, "KLMNO");
	ack(x, 1020);
	assert_string_equal(rec_str(&x->rec), "[gap 10]KLMNO");
	seg(x, 1015, "PQRST");	/* late in the capture */
	assert_string_equal(rec_str(&x->rec), "[gap 10]KLMNOPQRST");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 1);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 10);
	fx_done(x);
}

static void
test_reasm_peer_ack_out_of_window_is_ignored(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1010, "KLMNO");
	ack(x, 1000u + REASM_WINDOW_MAX + 1u);
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->r.queued, 5);
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 0);
	seg(x, 1000, "ABCDEFGHIJ");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJKLMNO");
	fx_done(x);
}

/* ---- caps ----------------------------------------------------------- */

/* Byte i of the test stream, as a letter. */
static char
pat(uint32_t i)
{
	return (char)('a' + (int)(i % 26u));
}

static void
test_reasm_flow_ooo_cap_skips_the_hole_and_keeps_later_bytes(void **state)
{
	(void)state;
	enum { SEG = 1024, HOLE = 10 };
	const uint32_t nseg = REASM_FLOW_OOO_MAX / SEG;	/* fill the cap */
	const uint32_t total = nseg * SEG + 1;
	static char stream[REASM_FLOW_OOO_MAX + 1];

	assert_int_equal(REASM_FLOW_OOO_MAX % SEG, 0);
	assert_true(total <= sizeof(stream));
	for (uint32_t i = 0; i < total; i++)
		stream[i] = pat(i);
	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 0);
	/* HOLE bytes never arrive; then exactly REASM_FLOW_OOO_MAX bytes
	 * are queued behind the hole */
	for (uint32_t k = 0; k < nseg; k++)
		seg_cut(x, HOLE + k * SEG, stream + k * SEG, SEG, SEG);
	assert_int_equal(x->r.queued, REASM_FLOW_OOO_MAX);
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->st.v[STAT_CAP_FLOW_OOO], 0);
	/* one more byte is over the cap: the hole is given up */
	seg_cut(x, HOLE + nseg * SEG, stream + nseg * SEG, 1, 1);
	assert_int_equal(x->st.v[STAT_CAP_FLOW_OOO], 1);
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 1);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], HOLE);
	assert_int_equal(x->rec.len, strlen("[gap 10]") + total);
	assert_memory_equal(x->rec.log, "[gap 10]", strlen("[gap 10]"));
	assert_memory_equal(x->rec.log + strlen("[gap 10]"), stream, total);
	assert_int_equal(x->r.next, HOLE + total);
	assert_int_equal(x->r.queued, 0);
	assert_int_equal(x->b.used, 0);
	fx_done(x);
}

static void
test_reasm_budget_refusal_skips_the_hole(void **state)
{
	(void)state;

	/* one byte: no segment can be queued */
	struct fx *x = fx_new(1);

	reasm_start(&x->r, 1000);
	seg(x, 1010, "KLMNO");
	assert_int_equal(x->st.v[STAT_CAP_BUFFER], 1);
	assert_string_equal(rec_str(&x->rec), "[gap 10]KLMNO");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 1);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 10);
	assert_int_equal(x->r.next, 1015);
	assert_null(x->r.ooo);
	assert_int_equal(x->b.used, 0);
	/* in-order traffic needs no budget */
	seg(x, 1015, "PQRST");
	assert_string_equal(rec_str(&x->rec), "[gap 10]KLMNOPQRST");
	assert_int_equal(x->st.v[STAT_CAP_BUFFER], 1);
	fx_done(x);
}

static void
test_reasm_budget_refusal_keeps_what_was_queued(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1005, "FGHIJ");
	/* now the budget is exactly what is in use: nothing more fits */
	x->b.max = x->b.used;
	seg(x, 1015, "PQRST");
	assert_int_equal(x->st.v[STAT_CAP_BUFFER], 1);
	assert_string_equal(rec_str(&x->rec), "[gap 5]FGHIJ[gap 5]PQRST");
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 10);
	assert_int_equal(x->r.next, 1020);
	fx_done(x);
}

/* ---- flush and free ------------------------------------------------- */

static void
test_reasm_flush_delivers_queued_data_with_gaps(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1000, "ABC");
	seg(x, 1010, "KLMNO");
	seg(x, 1020, "UVW");
	reasm_flush(&x->r, &x->env, &x->sink);
	assert_string_equal(rec_str(&x->rec), "ABC[gap 7]KLMNO[gap 5]UVW");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 2);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 12);
	assert_null(x->r.ooo);
	assert_int_equal(x->r.queued, 0);
	assert_int_equal(x->b.used, 0);
	assert_int_equal(x->r.next, 1023);
	fx_done(x);
}

static void
test_reasm_flush_with_nothing_queued_delivers_nothing(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1000, "ABC");
	reasm_flush(&x->r, &x->env, &x->sink);
	assert_string_equal(rec_str(&x->rec), "ABC");
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 0);
	fx_done(x);
}

static void
test_reasm_free_returns_the_whole_budget(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1010, "KLMNO");
	seg(x, 1030, "abcdefghij");
	seg(x, 1020, "UVW");
	assert_true(x->b.used > 0);
	reasm_free(&x->r, &x->env);
	assert_int_equal(x->b.used, 0);
	assert_null(x->r.ooo);
	assert_int_equal(x->r.queued, 0);
	assert_string_equal(rec_str(&x->rec), "");	/* nothing delivered */
	fx_done(x);
}

/* ---- snaplen -------------------------------------------------------- */

static void
test_reasm_snaplen_cut_tail_becomes_a_gap(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg_cut(x, 1000, "ABC", 3, 10);	/* 10 on the wire, 3 kept */
	assert_string_equal(rec_str(&x->rec), "ABC[gap 7]");
	assert_int_equal(x->r.next, 1010);
	assert_int_equal(x->st.v[STAT_TCP_GAPS], 1);
	assert_int_equal(x->st.v[STAT_TCP_GAP_BYTES], 7);
	seg(x, 1010, "KLM");
	assert_string_equal(rec_str(&x->rec), "ABC[gap 7]KLM");
	fx_done(x);
}

static void
test_reasm_queued_snaplen_cut_segment_keeps_its_gap(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg_cut(x, 1005, "FG", 2, 5);	/* 1005..1009, 1007.. not kept */
	seg(x, 1000, "ABCDE");
	assert_string_equal(rec_str(&x->rec), "ABCDEFG[gap 3]");
	assert_int_equal(x->r.next, 1010);
	seg(x, 1010, "KLM");
	assert_string_equal(rec_str(&x->rec), "ABCDEFG[gap 3]KLM");
	fx_done(x);
}

static void
test_reasm_fully_uncaptured_segment_is_one_gap(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg_cut(x, 1000, "", 0, 8);	/* headers only in the capture */
	seg(x, 1008, "IJ");
	assert_string_equal(rec_str(&x->rec), "[gap 8]IJ");
	fx_done(x);
}

/* ---- window --------------------------------------------------------- */

static void
test_reasm_segment_far_ahead_is_out_of_window(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	seg(x, 1000u + REASM_WINDOW_MAX + 1u, "XYZ");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_WINDOW], 1);
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 0);
	assert_null(x->r.ooo);
	assert_int_equal(x->b.peak, 0);
	assert_int_equal(x->r.next, 1000);
	seg(x, 1000, "ABC");
	reasm_flush(&x->r, &x->env, &x->sink);
	assert_string_equal(rec_str(&x->rec), "ABC");
	fx_done(x);
}

static void
test_reasm_segment_at_window_edge_is_queued(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	/* bounds.h: dropped only when "further than" the window */
	seg(x, 1000u + REASM_WINDOW_MAX, "XYZ");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_WINDOW], 0);
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_ORDER], 1);
	assert_int_equal(x->r.queued, 3);
	fx_done(x);
}

static void
test_reasm_segment_far_behind_is_out_of_window(void **state)
{
	(void)state;

	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 0x80000000u);
	seg(x, 0x80000000u - REASM_WINDOW_MAX - 10u, "old");
	assert_int_equal(x->st.v[STAT_TCP_OUT_OF_WINDOW], 1);
	assert_string_equal(rec_str(&x->rec), "");
	assert_int_equal(x->r.next, 0x80000000u);
	fx_done(x);
}

/* ---- capture times (reasm.h: each byte and gap with the time of the
 * bytes; a queued segment keeps its own; a gap takes the time of the
 * bytes after it, or of the packet being handled) -------------------- */

static void
test_reasm_in_order_data_carries_the_packet_time(void **state)
{
	(void)state;
	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	at(x, 100, 7);
	seg(x, 1000, "ABC");
	at(x, 101, 0);
	seg(x, 1003, "DE");
	assert_string_equal(x->rec.calls, "d3@100.7 d2@101.0 ");
	fx_done(x);
}

static void
test_reasm_queued_segment_keeps_its_capture_time(void **state)
{
	(void)state;
	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	at(x, 100, 1);
	seg(x, 1005, "FGHIJ");
	at(x, 200, 2);
	seg(x, 1000, "ABCDE");
	assert_string_equal(rec_str(&x->rec), "ABCDEFGHIJ");
	assert_string_equal(x->rec.calls, "d5@200.2 d5@100.1 ");
	fx_done(x);
}

static void
test_reasm_gap_given_up_by_ack_takes_the_time_of_the_bytes_after(
    void **state)
{
	(void)state;
	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	at(x, 100, 0);
	seg(x, 1010, "KLMNO");
	at(x, 300, 0);		/* the ack comes much later */
	ack(x, 1015);
	assert_string_equal(x->rec.calls, "g10@100.0 d5@100.0 ");
	fx_done(x);
}

static void
test_reasm_gap_before_a_new_segment_takes_its_time(void **state)
{
	(void)state;
	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	at(x, 100, 0);
	ack(x, 1020);		/* nothing queued: no gap yet */
	at(x, 150, 0);
	seg(x, 1010, "KLMNO");
	assert_string_equal(x->rec.calls, "g10@150.0 d5@150.0 ");
	fx_done(x);
}

static void
test_reasm_flush_gaps_take_the_time_of_the_bytes_after(void **state)
{
	(void)state;
	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	at(x, 100, 0);
	seg(x, 1010, "KLMNO");
	at(x, 110, 0);
	seg(x, 1020, "UVW");
	at(x, 999, 0);
	reasm_flush(&x->r, &x->env, &x->sink);
	assert_string_equal(x->rec.calls,
	    "g10@100.0 d5@100.0 g5@110.0 d3@110.0 ");
	fx_done(x);
}

static void
test_reasm_snaplen_gap_takes_the_time_of_its_segment(void **state)
{
	(void)state;
	struct fx *x = fx_new(BIG_BUDGET);

	reasm_start(&x->r, 1000);
	at(x, 100, 0);
	seg_cut(x, 1005, "FG", 2, 5);	/* queued, cut by the snaplen */
	at(x, 200, 0);
	seg_cut(x, 1000, "ABC", 3, 5);	/* in order, cut too */
	assert_string_equal(rec_str(&x->rec), "ABC[gap 2]FG[gap 3]");
	assert_string_equal(x->rec.calls,
	    "d3@200.0 g2@200.0 d2@100.0 g3@100.0 ");
	fx_done(x);
}

#define T(f) cmocka_unit_test_teardown(f, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reasm_window_is_kept_wiped_for_reuse),
		T(test_reasm_in_order_segments_are_delivered_without_queueing),
		T(test_reasm_first_segment_starts_an_unstarted_direction),
		T(test_reasm_empty_segment_delivers_nothing),
		T(test_reasm_out_of_order_segment_waits_for_the_hole),
		T(test_reasm_segments_arriving_in_reverse_are_put_in_order),
		T(test_reasm_filling_one_of_two_holes_delivers_up_to_the_next),
		T(test_reasm_exact_retransmission_is_counted_not_redelivered),
		T(test_reasm_partial_overlap_with_delivered_bytes_is_trimmed),
		T(test_reasm_conflicting_overlap_of_queued_segments_keeps_first),
		T(test_reasm_identical_overlap_of_queued_segments_is_no_conflict),
		T(test_reasm_segment_spanning_two_queued_fills_only_between),
		T(test_reasm_in_order_segment_over_queued_bytes_keeps_queued_copy),
		T(test_reasm_duplicate_of_queued_segment_is_stored_once),
		T(test_reasm_duplicate_of_queued_segment_counts_as_retransmission),
		T(test_reasm_sequence_numbers_wrap_at_2_32),
		T(test_reasm_gap_across_the_wrap),
		T(test_reasm_peer_ack_beyond_hole_gives_gap_then_queued_bytes),
		T(test_reasm_peer_ack_beyond_two_holes_gives_both_gaps),
		T(test_reasm_peer_ack_with_nothing_queued_waits),
		T(test_reasm_peer_ack_up_to_next_does_nothing),
		T(test_reasm_segment_before_peer_ack_gives_gap_immediately),
		T(test_reasm_segment_at_peer_ack_gives_gap_immediately),
		T(test_reasm_segment_after_peer_ack_is_queued),
		T(test_reasm_peer_ack_beyond_queued_data_gives_up_only_the_hole),
		T(test_reasm_peer_ack_out_of_window_is_ignored),
		T(test_reasm_flow_ooo_cap_skips_the_hole_and_keeps_later_bytes),
		T(test_reasm_budget_refusal_skips_the_hole),
		T(test_reasm_budget_refusal_keeps_what_was_queued),
		T(test_reasm_flush_delivers_queued_data_with_gaps),
		T(test_reasm_flush_with_nothing_queued_delivers_nothing),
		T(test_reasm_free_returns_the_whole_budget),
		T(test_reasm_snaplen_cut_tail_becomes_a_gap),
		T(test_reasm_queued_snaplen_cut_segment_keeps_its_gap),
		T(test_reasm_fully_uncaptured_segment_is_one_gap),
		T(test_reasm_segment_far_ahead_is_out_of_window),
		T(test_reasm_segment_at_window_edge_is_queued),
		T(test_reasm_segment_far_behind_is_out_of_window),
		T(test_reasm_in_order_data_carries_the_packet_time),
		T(test_reasm_queued_segment_keeps_its_capture_time),
		T(test_reasm_gap_given_up_by_ack_takes_the_time_of_the_bytes_after),
		T(test_reasm_gap_before_a_new_segment_takes_its_time),
		T(test_reasm_flush_gaps_take_the_time_of_the_bytes_after),
		T(test_reasm_snaplen_gap_takes_the_time_of_its_segment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
