/* test_pipeline.c: the ring between the reader thread and the engine
 * (src/util/ring.c), and reading a file on two threads against reading
 * it on one (src/pipeline.c). */
#include <pthread.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/capture.h"
#include "pipeline.h"
#include "util/ring.h"

#define RECORDS 100000
#define RING_SMALL (64u * 1024u)

/* Record i: its number, then bytes that depend on it, of a length that
 * varies from 0 to most of the ring, so that records pad over the end
 * and both sides wait on each other. */
static size_t
record_len(uint32_t i)
{
	uint32_t x = i * 2654435761u;

	if (i % 97 == 0)
		return RING_SMALL / 2 + x % (RING_SMALL / 4);	/* big */
	return x % 300;
}

static void *
produce(void *arg)
{
	struct ring *r = arg;

	for (uint32_t i = 0; i < RECORDS; i++) {
		size_t n = record_len(i);
		uint8_t *p = ring_reserve(r, sizeof(i) + n);

		memcpy(p, &i, sizeof(i));
		for (size_t k = 0; k < n; k++)
			p[sizeof(i) + k] = (uint8_t)(i + k);
		ring_commit(r);
	}
	return NULL;
}

static void
test_ring_hands_over_every_record_in_order(void **state)
{
	(void)state;
	struct ring *r = ring_new(RING_SMALL);
	pthread_t tid;

	assert_non_null(r);
	assert_int_equal(pthread_create(&tid, NULL, produce, r), 0);
	for (uint32_t i = 0; i < RECORDS; i++) {
		size_t len;
		const uint8_t *p = ring_next(r, &len);
		uint32_t got;
		size_t n = record_len(i);

		assert_int_equal(len, sizeof(got) + n);
		memcpy(&got, p, sizeof(got));
		assert_int_equal(got, i);
		for (size_t k = 0; k < n; k++)
			if (p[sizeof(got) + k] != (uint8_t)(i + k))
				fail_msg("record %u byte %zu", i, k);
		ring_release(r);
	}
	assert_int_equal(pthread_join(tid, NULL), 0);
	ring_free(r);
}

static void
test_ring_limits(void **state)
{
	(void)state;
	struct ring *r = ring_new(RING_SMALL);
	size_t len;

	assert_null(ring_new(100));	/* not a multiple of 16 */
	assert_null(ring_new(16));	/* too small */
	assert_non_null(r);
	assert_int_equal(ring_max_record(r), RING_SMALL - 16);
	assert_null(ring_reserve(r, RING_SMALL));
	/* the largest record takes the whole ring (one thread here: after
	 * the head has moved, it would wait for the pad to be read, which
	 * the threaded test above covers with records of up to 3/4 of
	 * the ring) */
	assert_non_null(ring_reserve(r, ring_max_record(r)));
	ring_commit(r);
	assert_non_null(ring_next(r, &len));
	assert_int_equal(len, ring_max_record(r));
	ring_release(r);
	memset(ring_reserve(r, 10), 1, 10);
	ring_commit(r);
	assert_non_null(ring_next(r, &len));
	assert_int_equal(len, 10);
	ring_release(r);
	ring_free(r);
}

struct tally {
	size_t events[8];
	size_t n;
};

static void
count_event(const struct event *ev, void *arg)
{
	struct tally *t = arg;

	t->events[(size_t)ev->type % 8]++;
	t->n++;
}

/* Read `name` from pcaps/ into a fresh engine, on two threads or one. */
static void
read_fixture(const char *name, struct pipeline *pl, struct tally *t,
    struct stats *st, enum capture_result *end)
{
	char path[512];
	char err[CAPTURE_ERR_MAX];
	struct plainsight_config cfg;
	struct plainsight *ps;
	struct capture *c;

	snprintf(path, sizeof(path), "%s/%s", PLAINSIGHT_PCAPS, name);
	plainsight_config_init(&cfg);
	cfg.on_event = count_event;
	cfg.on_event_arg = t;
	assert_int_equal(plainsight_new(&cfg, &ps), ST_OK);
	assert_int_equal(capture_open_file(path, NULL, &c, err), ST_OK);
	*end = pl != NULL ? pipeline_read(pl, c, ps)
			  : pipeline_read_here(c, ps);
	capture_close(c);
	plainsight_finish(ps);
	*st = *plainsight_stats(ps);
	plainsight_free(ps);
}

static void
test_two_threads_find_what_one_does(void **state)
{
	(void)state;
	static const char *const fixtures[] = {
		"pop3-mechanisms.pcap", "imap-logins.pcap",
		"evasion-fragments.pcap", "imap-split-reorder-retransmit.pcap",
		"evasion-urgent.pcap", "not-mail.pcap", "links-qinq.pcap",
		"truncated-file.pcap", "max-flows.pcap",
	};
	struct pipeline *pl = pipeline_new();

	assert_non_null(pl);
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		struct tally one = {0}, two = {0};
		struct stats s1, s2;
		enum capture_result e1, e2;

		read_fixture(fixtures[i], NULL, &one, &s1, &e1);
		read_fixture(fixtures[i], pl, &two, &s2, &e2);
		assert_int_equal(e1, e2);
		assert_true(one.n > 0);
		assert_int_equal(one.n, two.n);
		assert_memory_equal(one.events, two.events,
		    sizeof(one.events));
		assert_memory_equal(s1.v, s2.v, sizeof(s1.v));
	}
	pipeline_free(pl);
}

static bool
contains(const uint8_t *mem, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(mem + i, word, n) == 0)
			return true;
	return false;
}

/* Every login of the fixture crossed the ring; no byte of any packet is
 * left in it: not a password, not a command, not a server's answer. */
static void
test_ring_keeps_no_packet_bytes(void **state)
{
	(void)state;
	static const char *const words[] = {
		"s3cr3t", "PASS", "USER", "AUTH", "APOP", "+OK", "alice",
	};
	struct pipeline *pl = pipeline_new();
	struct tally t = {0};
	struct stats st;
	enum capture_result end;
	const uint8_t *mem;
	size_t len;

	assert_non_null(pl);
	read_fixture("pop3-mechanisms.pcap", pl, &t, &st, &end);
	assert_true(t.n > 0);
	mem = pipeline_ring_bytes(pl, &len);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (contains(mem, len, words[i]))
			fail_msg("'%s' is still in the ring", words[i]);
	pipeline_free(pl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_hands_over_every_record_in_order),
		cmocka_unit_test(test_ring_limits),
		cmocka_unit_test(test_two_threads_find_what_one_does),
		cmocka_unit_test(test_ring_keeps_no_packet_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
