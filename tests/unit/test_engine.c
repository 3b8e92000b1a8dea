/* test_engine.c: the public engine API (include/plainsight/plainsight.h),
 * driven with packets built by hand: configuration checks, events through
 * the callback, the end of input, and the wiping of client payload in the
 * caller's packet buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "plainsight/plainsight.h"

#define EVENTS_MAX 16

struct sink {
	struct event ev[EVENTS_MAX];
	size_t n;
};

static void
collect(const struct event *ev, void *arg)
{
	struct sink *s = arg;

	assert_true(s->n < EVENTS_MAX);
	s->ev[s->n++] = *ev;
}

static const uint8_t CLIENT[4] = {192, 0, 2, 7};
static const uint8_t SERVER[4] = {198, 51, 100, 7};

/* A raw IPv4 + TCP packet (no options) into buf; returns its length. */
static size_t
packet(uint8_t *buf, bool is_from_client, uint32_t seq, uint32_t ack,
    uint8_t flags, const char *payload)
{
	size_t plen = payload ? strlen(payload) : 0;
	size_t total = 20 + 20 + plen;
	const uint8_t *src = is_from_client ? CLIENT : SERVER;
	const uint8_t *dst = is_from_client ? SERVER : CLIENT;
	uint16_t sport = is_from_client ? 50007 : 143;
	uint16_t dport = is_from_client ? 143 : 50007;

	memset(buf, 0, 40);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(total >> 8);
	buf[3] = (uint8_t)total;
	buf[8] = 64;
	buf[9] = 6;
	memcpy(buf + 12, src, 4);
	memcpy(buf + 16, dst, 4);
	uint8_t *t = buf + 20;

	t[0] = (uint8_t)(sport >> 8);
	t[1] = (uint8_t)sport;
	t[2] = (uint8_t)(dport >> 8);
	t[3] = (uint8_t)dport;
	for (int i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	t[12] = 5 << 4;
	t[13] = flags;
	t[14] = 0xff;
	t[15] = 0xff;
	if (plen)
		memcpy(buf + 40, payload, plen);
	return total;
}

/* Feed one packet from an exactly sized copy; returns the copy (the
 * caller frees it) so the test can look at what the engine left in it. */
static uint8_t *
feed(struct plainsight *ps, int64_t ms, bool is_from_client, uint32_t seq,
    uint32_t ack, uint8_t flags, const char *payload)
{
	uint8_t tmp[2048];
	size_t n = packet(tmp, is_from_client, seq, ack, flags, payload);
	uint8_t *copy = malloc(n);
	struct plainsight_pkt pkt;

	assert_non_null(copy);
	memcpy(copy, tmp, n);
	pkt.ts.sec = 1767225600 + ms / 1000;
	pkt.ts.usec = (uint32_t)(ms % 1000) * 1000;
	pkt.caplen = (uint32_t)n;
	pkt.wirelen = (uint32_t)n;
	plainsight_packet(ps, DLT_RAW, &pkt, copy);
	return copy;
}

static struct plainsight *
engine(struct sink *s)
{
	struct plainsight_config cfg;
	struct plainsight *ps;

	plainsight_config_init(&cfg);
	cfg.on_event = collect;
	cfg.on_event_arg = s;
	assert_int_equal(plainsight_new(&cfg, &ps), ST_OK);
	return ps;
}

static void
test_engine_rejects_bad_configs(void **state)
{
	(void)state;
	struct plainsight_config cfg;
	struct plainsight *ps;

	plainsight_config_init(&cfg);
	cfg.max_flows = 0;
	assert_int_equal(plainsight_new(&cfg, &ps), ST_USAGE);
	assert_null(ps);
	plainsight_config_init(&cfg);
	cfg.imap_ports[cfg.n_imap_ports++] = 110;	/* in both lists */
	assert_int_equal(plainsight_new(&cfg, &ps), ST_USAGE);
	plainsight_config_init(&cfg);
	cfg.max_buffer = 1024;
	assert_int_equal(plainsight_new(&cfg, &ps), ST_USAGE);
	plainsight_config_init(&cfg);
	cfg.account_key = (const uint8_t *)"";
	cfg.account_key_len = 0;
	assert_int_equal(plainsight_new(&cfg, &ps), ST_USAGE);
	plainsight_free(NULL);
}

static void
test_engine_link_types(void **state)
{
	(void)state;
	assert_true(plainsight_dlt_supported(DLT_EN10MB));
	assert_true(plainsight_dlt_supported(DLT_LINUX_SLL2));
	assert_true(plainsight_dlt_supported(DLT_NULL));
	assert_false(plainsight_dlt_supported(DLT_IEEE802_11));
}

static void
test_engine_reports_a_login_and_wipes_the_client_bytes(void **state)
{
	(void)state;
	struct sink s = {0};
	struct plainsight *ps = engine(&s);
	const char *login = "a1 LOGIN alice s3cr3t-engine\r\n";
	const char *greeting = "* OK ready\r\n";

	free(feed(ps, 0, true, 1000, 0, 0x02, NULL));		/* SYN */
	free(feed(ps, 1, false, 5000, 1001, 0x12, NULL));	/* SYN-ACK */
	uint8_t *g = feed(ps, 2, false, 5001, 1001, 0x18, greeting);
	/* the server's bytes are left alone */
	assert_memory_equal(g + 40, greeting, strlen(greeting));
	free(g);
	uint8_t *l = feed(ps, 3, true, 1001, 5013, 0x18, login);

	/* no copy of the client's credential outlives the call */
	for (size_t i = 0; i < strlen(login); i++)
		assert_int_equal(l[40 + i], 0);
	assert_int_equal(l[0], 0x45);	/* headers untouched */
	free(l);
	free(feed(ps, 4, false, 5013, 1001 + (uint32_t)strlen(login), 0x18,
	    "a1 OK Logged in\r\n"));

	size_t logins = 0;

	for (size_t i = 0; i < s.n; i++) {
		if (s.ev[i].type != EVENT_LOGIN)
			continue;
		const struct event_login *e = &s.ev[i].u.login;

		logins++;
		assert_int_equal(e->proto, PROTO_IMAP);
		assert_memory_equal(e->client.addr, CLIENT, 4);
		assert_int_equal(e->client.port, 50007);
		assert_int_equal(e->server.port, 143);
		assert_int_equal(e->mech, MECH_LOGIN);
		assert_int_equal(e->verdict, VERDICT_ACCEPTED);
		assert_int_equal(e->ts.usec, 3000);
		assert_int_equal(e->flow_id, 1);
	}
	assert_int_equal(logins, 1);
	assert_int_equal(plainsight_stats(ps)->v[STAT_LOGINS], 1);
	plainsight_free(ps);
}

static void
test_engine_finish_settles_pending_attempts(void **state)
{
	(void)state;
	struct sink s = {0};
	struct plainsight *ps = engine(&s);

	free(feed(ps, 0, true, 1000, 0, 0x02, NULL));
	free(feed(ps, 1, true, 1001, 0, 0x18, "a LOGIN bob s3cr3t-x\r\n"));
	assert_int_equal(s.n, 0);	/* no answer yet: nothing settled */
	plainsight_finish(ps);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].type, EVENT_LOGIN);
	assert_int_equal(s.ev[0].u.login.verdict, VERDICT_UNKNOWN);
	plainsight_free(ps);
}

static void
test_engine_other_ports_and_stray_packets(void **state)
{
	(void)state;
	struct sink s = {0};
	struct plainsight *ps = engine(&s);
	uint8_t buf[128];
	size_t n = packet(buf, true, 1, 0, 0x18, "PASS x\r\n");
	struct plainsight_pkt pkt = {{1767225600, 0}, (uint32_t)n,
	    (uint32_t)n};

	buf[22] = 0x1f;		/* destination port 8080 */
	buf[23] = 0x90;
	plainsight_packet(ps, DLT_RAW, &pkt, buf);
	assert_int_equal(plainsight_stats(ps)->v[STAT_TCP_OTHER_PORT], 1);
	assert_memory_equal(buf + 40, "PASS x\r\n", 8);	/* not ours */
	/* a pure ACK or an RST to a mail port starts no flow */
	free(feed(ps, 1, true, 7, 9, 0x10, NULL));
	free(feed(ps, 2, true, 7, 9, 0x04, NULL));
	assert_int_equal(plainsight_stats(ps)->v[STAT_FLOWS], 0);
	/* a cut packet is counted by its reason */
	pkt.caplen = 10;
	plainsight_packet(ps, DLT_RAW, &pkt, buf);
	assert_int_equal(plainsight_stats(ps)->v[STAT_IPV4_SHORT], 1);
	assert_int_equal(plainsight_stats(ps)->v[STAT_PACKETS], 4);
	plainsight_free(ps);
}

static size_t
count_logins(const struct sink *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->ev[i].type == EVENT_LOGIN;
	return n;
}

/* Handshake and greeting; the client's next sequence number is 1001. */
static void
open_imap(struct plainsight *ps)
{
	free(feed(ps, 0, true, 1000, 0, 0x02, NULL));
	free(feed(ps, 1, false, 5000, 1001, 0x12, NULL));
	free(feed(ps, 2, false, 5001, 1001, 0x18, "* OK ready\r\n"));
}

static void
test_engine_login_in_a_conflicting_retransmission_is_reported(void **state)
{
	(void)state;
	struct sink s = {0};
	struct plainsight *ps = engine(&s);
	/* the same 26 bytes twice: which one did the server keep? */
	const char *noop = "a1 NOOP xxxxxxxxxxxxxxxx\r\n";
	const char *login = "a1 LOGIN bob s3cr3t-evil\r\n";

	assert_int_equal(strlen(noop), strlen(login));
	open_imap(ps);
	free(feed(ps, 3, true, 1001, 5013, 0x18, noop));
	free(feed(ps, 4, true, 1001, 5013, 0x18, login));
	assert_int_equal(plainsight_stats(ps)->v[STAT_TCP_OVERLAP_CONFLICT],
	    1);
	free(feed(ps, 5, false, 5013, 1027, 0x18, "a1 OK done\r\n"));
	assert_int_equal(count_logins(&s), 1);
	assert_int_equal(plainsight_stats(ps)->v[STAT_LOGINS_OTHER_COPY], 1);
	const struct event_login *l = NULL;

	for (size_t i = 0; i < s.n; i++)
		if (s.ev[i].type == EVENT_LOGIN)
			l = &s.ev[i].u.login;
	if (l == NULL)
		fail_msg("no login event");
	assert_int_equal(l->mech, MECH_LOGIN);
	assert_int_equal(l->ts.usec, 4000);	/* the other copy's time */
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);	/* its tag's answer */
	plainsight_free(ps);
}

static void
test_engine_login_retransmitted_as_noop_counts_once(void **state)
{
	(void)state;
	struct sink s = {0};
	struct plainsight *ps = engine(&s);
	const char *noop = "a1 NOOP xxxxxxxxxxxxxxxx\r\n";
	const char *login = "a1 LOGIN bob s3cr3t-evil\r\n";

	open_imap(ps);
	free(feed(ps, 3, true, 1001, 5013, 0x18, login));
	free(feed(ps, 4, true, 1001, 5013, 0x18, noop));
	/* and an identical retransmission: nothing at all */
	free(feed(ps, 5, true, 1001, 5013, 0x18, login));
	plainsight_finish(ps);
	assert_int_equal(count_logins(&s), 1);
	/* the NOOP copy differs from the LOGIN kept; the last copy does not */
	assert_int_equal(plainsight_stats(ps)->v[STAT_TCP_OVERLAP_CONFLICT],
	    1);
	assert_int_equal(plainsight_stats(ps)->v[STAT_LOGINS_OTHER_COPY], 0);
	assert_int_equal(plainsight_stats(ps)->v[STAT_TCP_RETRANSMITTED], 2);
	plainsight_free(ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_rejects_bad_configs),
		cmocka_unit_test(test_engine_link_types),
		cmocka_unit_test(test_engine_reports_a_login_and_wipes_the_client_bytes),
		cmocka_unit_test(test_engine_finish_settles_pending_attempts),
		cmocka_unit_test(test_engine_other_ports_and_stray_packets),
		cmocka_unit_test(
		    test_engine_login_in_a_conflicting_retransmission_is_reported),
		cmocka_unit_test(
		    test_engine_login_retransmitted_as_noop_counts_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
