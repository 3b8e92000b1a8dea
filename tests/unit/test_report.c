/* test_report.c: folding events into offender and server rows. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include "report/baseline.h"
#include "report/output.h"
#include "report/report.h"
#include "report/sink.h"

static struct endpoint
ep(uint8_t last, uint16_t port)
{
	struct endpoint e;

	memset(&e, 0, sizeof(e));
	e.family = 4;
	e.addr[0] = 192;
	e.addr[1] = 0;
	e.addr[2] = 2;
	e.addr[3] = last;
	e.port = port;
	return e;
}

static struct event
login(uint8_t client, uint16_t cport, uint8_t server, enum mech m,
    enum verdict v, int64_t sec, const char *software)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = EVENT_LOGIN;
	ev.u.login.proto = PROTO_IMAP;
	ev.u.login.client = ep(client, cport);
	ev.u.login.server = ep(server, 143);
	ev.u.login.mech = m;
	ev.u.login.exposure = event_mech_exposure(m);
	ev.u.login.verdict = v;
	ev.u.login.ts.sec = sec;
	snprintf(ev.u.login.client_software,
	    sizeof(ev.u.login.client_software), "%s", software);
	return ev;
}

static void
test_report_one_row_per_client_server_port(void **state)
{
	(void)state;
	struct report *r = report_new();
	struct stats st;
	struct event e[] = {
		login(20, 50000, 1, MECH_LOGIN, VERDICT_REJECTED, 300, "A/1"),
		login(20, 50001, 1, MECH_LOGIN, VERDICT_ACCEPTED, 100, "A/1"),
		login(20, 50002, 1, MECH_AUTHENTICATE_FIRST + SASL_XOAUTH2,
		    VERDICT_UNKNOWN, 200, "B/2"),
		login(10, 40000, 1, MECH_LOGIN, VERDICT_ACCEPTED, 50, ""),
	};
	const struct report_offender *off;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < 4; i++)
		report_add(r, &e[i], &st);
	report_sort(r);
	assert_int_equal(report_offenders(r, &off), 2);
	/* sorted by client address: .10 first */
	assert_int_equal(off[0].client.addr[3], 10);
	assert_int_equal(off[1].client.addr[3], 20);
	assert_int_equal(off[1].client.port, 0);
	assert_int_equal(off[1].attempts, 3);
	assert_int_equal(off[1].accepted, 1);
	assert_int_equal(off[1].rejected, 1);
	assert_int_equal(off[1].unknown, 1);
	assert_int_equal(off[1].first_seen.sec, 100);
	assert_int_equal(off[1].last_seen.sec, 300);
	assert_int_equal(off[1].mechs, (1u << MECH_LOGIN) |
	    (1u << (MECH_AUTHENTICATE_FIRST + SASL_XOAUTH2)));
	assert_int_equal(off[1].exposures,
	    (1u << EXPOSURE_CLEARTEXT) | (1u << EXPOSURE_TOKEN));
	assert_int_equal(off[1].n_software, 2);
	assert_string_equal(off[1].software[0], "A/1");
	assert_int_equal(report_logins(r), 4);
	report_free(r);
}

/* The output order as docs/output.md gives it, written out field by
 * field: client (family, address bytes, port), then server, then
 * protocol. */
static int
order(const struct report_offender *a, const struct report_offender *b)
{
	const struct endpoint *ea[2] = {&a->client, &a->server};
	const struct endpoint *eb[2] = {&b->client, &b->server};

	for (int i = 0; i < 2; i++) {
		if (ea[i]->family != eb[i]->family)
			return ea[i]->family < eb[i]->family ? -1 : 1;
		for (int j = 0; j < 16; j++)
			if (ea[i]->addr[j] != eb[i]->addr[j])
				return ea[i]->addr[j] < eb[i]->addr[j] ? -1 : 1;
		if (ea[i]->port != eb[i]->port)
			return ea[i]->port < eb[i]->port ? -1 : 1;
	}
	return a->proto == b->proto ? 0 : a->proto < b->proto ? -1 : 1;
}

/* Many rows, both families, near-equal addresses, ports and protocols,
 * added in a scrambled order, and again after a first sort: the rows
 * come out strictly in order, every one of them intact, and every login
 * counted on its own server's row. */
static void
test_report_rows_sorted_in_output_order(void **state)
{
	(void)state;
	struct report *r = report_new();
	struct stats st;
	const struct report_offender *off;
	size_t n;

	memset(&st, 0, sizeof(st));
	for (unsigned round = 0; round < 2; round++) {
		for (unsigned i = 0; i < 3000; i++) {
			unsigned x = (i + round * 3000) * 2654435761u;
			struct event ev = login((uint8_t)(x >> 8), 50000,
			    (uint8_t)(x >> 16 & 3), MECH_LOGIN,
			    VERDICT_ACCEPTED, (int64_t)i, "");
			struct event_login *l = &ev.u.login;

			l->proto = x >> 20 & 1 ? PROTO_POP3 : PROTO_IMAP;
			l->server.port = x >> 21 & 1 ? 110 : 143;
			if (x >> 22 & 1) {
				l->client.family = l->server.family = 6;
				l->client.addr[15] = (uint8_t)(x >> 24);
				l->server.addr[0] = 0xfe;
			}
			l->client.addr[0] = (uint8_t)(x >> 23 & 1 ? 0x20 : 0);
			report_add(r, &ev, &st);
		}
		report_sort(r);
		n = report_offenders(r, &off);
		assert_true(n > 100);
		for (size_t i = 1; i < n; i++)
			assert_true(order(&off[i - 1], &off[i]) < 0);
	}
	const struct report_server *srv;
	size_t n_srv = report_servers(r, &srv);
	uint64_t attempts = 0;

	for (size_t i = 0; i < n; i++)
		attempts += off[i].attempts;
	assert_int_equal(attempts, 6000);
	/* each server counted its own logins, before and after a sort:
	 * four addresses, two ports, two protocols, two families */
	assert_int_equal(n_srv, 32);
	attempts = 0;
	for (size_t i = 0; i < n_srv; i++) {
		uint64_t want = 0;

		for (size_t j = 0; j < n; j++)
			if (off[j].proto == srv[i].proto &&
			    off[j].server.family == srv[i].server.family &&
			    off[j].server.port == srv[i].server.port &&
			    memcmp(off[j].server.addr, srv[i].server.addr,
				16) == 0)
				want += off[j].attempts;
		assert_int_equal(srv[i].attempts, want);
		attempts += srv[i].attempts;
	}
	assert_int_equal(attempts, 6000);
	report_free(r);
}

/* A live sensor writes a report (sorting the rows) and goes on: a client
 * seen again adds to its row, it does not get a second one. */
static int
cmp_ep(const struct endpoint *a, const struct endpoint *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	c = memcmp(a->addr, b->addr, sizeof(a->addr));
	if (c != 0)
		return c;
	return a->port < b->port ? -1 : a->port > b->port;
}

/* Offender rows come out in output order (client, then server, then
 * protocol) for thousands of rows: IPv4 and IPv6 clients whose first
 * bytes agree and differ only far into the address, and clients with
 * hundreds of rows each (the sort's ties). */
static void
test_report_many_rows_sorted(void **state)
{
	(void)state;
	struct report *r = report_new();
	struct stats st;
	const struct report_offender *off;
	uint32_t x = 12345;
	size_t n_logins = 6000;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < n_logins; i++) {
		struct event ev = login(0, 40000, 0, MECH_LOGIN,
		    VERDICT_ACCEPTED, 100, "");
		struct event_login *l = &ev.u.login;

		x = x * 1103515245u + 12345u;
		l->proto = (x >> 5 & 1) ? PROTO_IMAP : PROTO_POP3;
		l->client.family = l->server.family = (x >> 6 & 3) ? 4 : 6;
		memset(l->client.addr, 0, sizeof(l->client.addr));
		l->client.addr[0] = 10;
		l->client.addr[3] = (uint8_t)(x >> 8 & 7);	/* few clients */
		if (l->client.family == 6)
			l->client.addr[15] = (uint8_t)(x >> 11 & 3);
		l->server.addr[3] = (uint8_t)(x >> 13);
		l->server.addr[15] = (uint8_t)(x >> 21);
		l->server.port = (x >> 24 & 1) ? 143 : 110;
		report_add(r, &ev, &st);
	}
	report_sort(r);
	size_t n = report_offenders(r, &off);
	uint64_t attempts = 0;

	assert_true(n > 500);
	for (size_t i = 0; i < n; i++) {
		attempts += off[i].attempts;
		if (i == 0)
			continue;
		int c = cmp_ep(&off[i - 1].client, &off[i].client);

		if (c == 0)
			c = cmp_ep(&off[i - 1].server, &off[i].server);
		if (c == 0)
			c = (int)off[i - 1].proto - (int)off[i].proto;
		assert_true(c < 0);
	}
	assert_int_equal(attempts, n_logins);
	report_free(r);
}

static void
test_report_rows_found_again_after_a_report(void **state)
{
	(void)state;
	struct report *r = report_new();
	struct stats st;
	const struct report_offender *off;
	const struct report_server *srv;

	memset(&st, 0, sizeof(st));
	for (uint8_t c = 1; c <= 40; c++) {
		struct event e = login(c, 50000, 1, MECH_LOGIN,
		    VERDICT_ACCEPTED, 100, "");

		report_add(r, &e, &st);
	}
	report_sort(r);
	assert_int_equal(report_offenders(r, &off), 40);
	for (uint8_t c = 40; c >= 1; c--) {
		struct event e = login(c, 50001, 1, MECH_LOGIN,
		    VERDICT_REJECTED, 200, "");

		report_add(r, &e, &st);
	}
	report_sort(r);
	assert_int_equal(report_offenders(r, &off), 40);
	assert_int_equal(report_servers(r, &srv), 1);
	for (size_t i = 0; i < 40; i++) {
		assert_int_equal(off[i].attempts, 2);
		assert_int_equal(off[i].accepted, 1);
		assert_int_equal(off[i].rejected, 1);
	}
	assert_int_equal(srv[0].attempts, 80);
	report_free(r);
}

/* A baseline's offender not seen yet is a "gone" row carrying the
 * baseline's mechanisms; when it logs in again (after a live report),
 * its row is this run's alone. */
static void
test_report_gone_row_seen_again_is_this_runs(void **state)
{
	(void)state;
	char path[] = "/tmp/plainsight-test-baseline-XXXXXX";
	int fd = mkstemp(path);
	struct report *before = report_new();
	struct report *r = report_new();
	struct output out;
	struct baseline *b = NULL;
	char err[BASELINE_ERR_MAX + OUTPUT_ERR_MAX];
	struct stats st;
	struct event e = login(7, 50000, 1, MECH_LOGIN, VERDICT_ACCEPTED, 100,
	    "");
	const struct report_offender *off;

	assert_true(fd >= 0);
	close(fd);
	memset(&st, 0, sizeof(st));
	report_add(before, &e, &st);
	assert_int_equal(output_open(&out, path, SINK_JSON, false, false,
			     err), ST_OK);
	output_report(&out, before, &st);
	assert_int_equal(output_close(&out, err), ST_OK);
	assert_int_equal(baseline_load(path, &b, err), ST_OK);
	report_set_baseline(r, b);
	report_sort(r);		/* a live report: .7 is gone */
	assert_int_equal(report_offenders(r, &off), 1);
	assert_int_equal(off[0].mark, MARK_GONE);
	e = login(7, 50001, 1, MECH_AUTHENTICATE_FIRST + SASL_PLAIN,
	    VERDICT_REJECTED, 200, "");
	report_add(r, &e, &st);
	report_sort(r);
	assert_int_equal(report_offenders(r, &off), 1);
	assert_int_equal(off[0].mark, MARK_STILL);
	assert_int_equal(off[0].attempts, 1);
	assert_int_equal(off[0].rejected, 1);
	assert_int_equal(off[0].mechs,
	    1u << (MECH_AUTHENTICATE_FIRST + SASL_PLAIN));
	assert_int_equal(off[0].first_seen.sec, 200);
	report_free(r);
	report_free(before);
	baseline_free(b);
	unlink(path);
}

static void
test_report_server_posture(void **state)
{
	(void)state;
	struct report *r = report_new();
	struct stats st;
	struct event caps, spoke;
	const struct report_server *srv;

	memset(&st, 0, sizeof(st));
	memset(&caps, 0, sizeof(caps));
	caps.type = EVENT_SERVER;
	caps.u.server.proto = PROTO_IMAP;
	caps.u.server.server = ep(1, 143);
	caps.u.server.kind = SERVER_CAPS;
	caps.u.server.has_login_disabled = true;
	caps.u.server.has_starttls = true;
	report_add(r, &caps, &st);
	caps.u.server.has_login_disabled = false;	/* not always */
	report_add(r, &caps, &st);
	spoke = caps;
	spoke.u.server.kind = SERVER_SPOKE;
	spoke.u.server.server = ep(2, 143);
	report_add(r, &spoke, &st);
	report_sort(r);
	assert_int_equal(report_servers(r, &srv), 2);
	assert_int_equal(report_starttls_offered(&srv[0]), TRI_TRUE);
	assert_int_equal(report_login_disabled(&srv[0]), TRI_FALSE);
	assert_int_equal(report_starttls_offered(&srv[1]), TRI_UNKNOWN);
	assert_int_equal(report_login_disabled(&srv[1]), TRI_UNKNOWN);
	report_free(r);
}

static void
test_report_pop3_login_disabled_from_capa(void **state)
{
	(void)state;
	struct report_server s;

	memset(&s, 0, sizeof(s));
	s.proto = PROTO_POP3;
	assert_int_equal(report_login_disabled(&s), TRI_UNKNOWN);
	s.cap_lists = 1;	/* CAPA with neither USER nor PLAIN/LOGIN */
	assert_int_equal(report_login_disabled(&s), TRI_TRUE);
	assert_int_equal(report_user_offered(&s), TRI_FALSE);
	s.cap_user = 1;
	assert_int_equal(report_login_disabled(&s), TRI_FALSE);
}

static void
test_report_times_are_utc_rfc3339(void **state)
{
	(void)state;
	char buf[48];
	struct event_time t = {1767225600 + 3661, 42};	/* 2026-01-01 */

	assert_string_equal(report_time(t, false, buf, sizeof(buf)),
	    "2026-01-01T01:01:01.000042Z");
	assert_string_equal(report_time(t, true, buf, sizeof(buf)),
	    "2026-01-01 01:01:01");
}

static void
test_report_times_match_gmtime_and_edges(void **state)
{
	(void)state;
	char buf[48], want[48];
	struct event_time t = {0, 0};
	/* epoch, the day before, leap days, centuries, the last second
	 * of a year, pcap's 32-bit end, then spread over 0000-9999 */
	static const int64_t secs[] = {0, -1, 951782400, 951868799,
	    1709164800, 4107542400, 1767225599, 4294967295, -62167219200,
	    253402300799};

	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]) + 20000; i++) {
		struct tm tm;
		time_t sec;

		t.sec = i < sizeof(secs) / sizeof(secs[0])
		    ? secs[i]
		    : -62167219200 + (int64_t)(i * 12648472711ULL % 315537897600ULL);
		t.usec = (uint32_t)(i * 7919 % 1000000);
		sec = (time_t)t.sec;
		assert_non_null(gmtime_r(&sec, &tm));
		/* (not strftime's %Y: it does not pad years before 1000,
		 * and RFC 3339 wants four digits) */
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (unsigned)t.usec);
		assert_string_equal(report_time(t, false, buf, sizeof(buf)),
		    want);
		want[10] = ' ';
		want[19] = '\0';
		assert_string_equal(report_time(t, true, buf, sizeof(buf)),
		    want);
	}
	t.sec = 253402300800;	/* 10000-01-01 */
	assert_string_equal(report_time(t, false, buf, sizeof(buf)), "?");
	t.sec = -62167219201;	/* the year -1 */
	assert_string_equal(report_time(t, false, buf, sizeof(buf)), "?");
}

/* The date of every day from 0000-01-01 to 9999-12-31 (at noon, and at
 * its last second) matches gmtime_r's: the calendar arithmetic has no
 * day it gets wrong. */
static void
test_report_every_day_matches_gmtime(void **state)
{
	(void)state;
	char buf[REPORT_TIME_MAX];

	for (int64_t day = -719528; day <= 2932896; day++) {
		for (int k = 0; k < 2; k++) {
			struct event_time t = {day * 86400 + (k ? 86399 : 43200),
			    0};
			time_t sec = (time_t)t.sec;
			struct tm tm;
			int y, mo, d;

			assert_non_null(gmtime_r(&sec, &tm));
			assert_int_equal(report_time_text(t, true, buf,
					     sizeof(buf)),
			    19);
			y = (buf[0] - '0') * 1000 + (buf[1] - '0') * 100 +
			    (buf[2] - '0') * 10 + (buf[3] - '0');
			mo = (buf[5] - '0') * 10 + (buf[6] - '0');
			d = (buf[8] - '0') * 10 + (buf[9] - '0');
			if (y != tm.tm_year + 1900 || mo != tm.tm_mon + 1 ||
			    d != tm.tm_mday)
				fail_msg("day %lld: %s", (long long)day, buf);
		}
	}
}

static void
test_report_addresses_match_inet_ntop(void **state)
{
	(void)state;
	char buf[64], want[64];
	struct endpoint e;

	memset(&e, 0, sizeof(e));
	e.family = 4;
	for (unsigned i = 0; i < 70000; i++) {
		e.addr[0] = (uint8_t)(i * 37);
		e.addr[1] = (uint8_t)(i >> 8);
		e.addr[2] = (uint8_t)i;
		e.addr[3] = (uint8_t)(i * 101 + 7);
		inet_ntop(AF_INET, e.addr, want, sizeof(want));
		assert_string_equal(report_addr(&e, buf, sizeof(buf)), want);
	}
	e.family = 6;
	e.addr[0] = 0x20;
	e.addr[1] = 0x01;
	e.addr[2] = 0x0d;
	e.addr[3] = 0xb8;
	memset(e.addr + 4, 0, 11);
	e.addr[15] = 1;
	assert_string_equal(report_addr(&e, buf, sizeof(buf)), "2001:db8::1");
}

/* IPv4 octets are copied from a table, four bytes each: every value in
 * every position matches inet_ntop, and a buffer of exactly
 * REPORT_ADDR_V4_MAX bytes holds the longest address without a byte
 * written past it. */
static void
test_report_ipv4_octets_match_inet_ntop(void **state)
{
	(void)state;
	char buf[REPORT_ADDR_V4_MAX + 8], want[64];
	struct endpoint e;

	memset(&e, 0, sizeof(e));
	e.family = 4;
	for (unsigned pos = 0; pos < 4; pos++)
		for (unsigned v = 0; v < 256; v++) {
			for (unsigned k = 0; k < 4; k++)
				e.addr[k] = (uint8_t)(k == pos ? v : 255 - v);
			inet_ntop(AF_INET, e.addr, want, sizeof(want));
			assert_int_equal(report_addr_text(&e, buf,
					     REPORT_ADDR_V4_MAX),
			    strlen(want));
			assert_string_equal(buf, want);
		}
	memset(buf, 'x', sizeof(buf));
	memset(e.addr, 255, 4);
	assert_int_equal(report_addr_text(&e, buf, REPORT_ADDR_V4_MAX), 15);
	assert_string_equal(buf, "255.255.255.255");
	for (size_t i = REPORT_ADDR_V4_MAX; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'x');
}

static void
set_groups(struct endpoint *e, const unsigned w[8])
{
	memset(e, 0, sizeof(*e));
	e->family = 6;
	for (int i = 0; i < 8; i++) {
		e->addr[2 * i] = (uint8_t)(w[i] >> 8);
		e->addr[2 * i + 1] = (uint8_t)w[i];
	}
}

/* IPv6 written by hand, checked against inet_ntop: every address whose
 * groups are each 0, 1, ffff or some other value (every shape of zero
 * run, tie and v4 tail), then the rules one by one, by hand. */
static void
test_report_ipv6_addresses_match_inet_ntop(void **state)
{
	(void)state;
	static const unsigned kind[4] = {0, 1, 0xffff, 0x0a0b};
	static const struct {
		unsigned w[8];
		const char *want;
	} by_hand[] = {
		{{0, 0, 0, 0, 0, 0, 0, 0}, "::"},
		{{0, 0, 0, 0, 0, 0, 0, 1}, "::1"},
		{{1, 0, 0, 0, 0, 0, 0, 0}, "1::"},
		{{1, 0, 1, 1, 1, 1, 1, 1}, "1:0:1:1:1:1:1:1"},	/* one 0 */
		{{1, 0, 0, 1, 0, 0, 0, 1}, "1:0:0:1::1"},	/* longest */
		{{1, 0, 0, 1, 0, 0, 1, 1}, "1::1:0:0:1:1"},	/* first tie */
		{{0x2001, 0xdb8, 0, 0, 0, 0, 0xabc, 0xdef},
		    "2001:db8::abc:def"},
		{{0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201},
		    "::ffff:192.0.2.1"},			/* mapped */
		{{0, 0, 0, 0, 0, 0, 0xc000, 0x0201}, "::192.0.2.1"},
		{{0, 0, 0, 0, 0, 0xfffe, 0xc000, 0x0201},
		    "::fffe:c000:201"},
		{{0xfe80, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201},
		    "fe80::ffff:c000:201"},
		{{0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
		    0xffff}, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
	};
	char buf[64], want[64];
	struct endpoint e;
	unsigned w[8];

	for (unsigned n = 0; n < 65536; n++) {
		for (int i = 0; i < 8; i++)
			w[i] = kind[n >> (2 * i) & 3] + (unsigned)i *
			    (kind[n >> (2 * i) & 3] == 0x0a0b);
		set_groups(&e, w);
		assert_non_null(inet_ntop(AF_INET6, e.addr, want,
		    sizeof(want)));
		assert_int_equal(report_addr_text(&e, buf, sizeof(buf)),
		    strlen(want));
		assert_string_equal(buf, want);
	}
	for (unsigned n = 0; n < 20000; n++) {
		for (int i = 0; i < 8; i++)	/* every digit count */
			w[i] = (n * 2654435761u >> (i * 3)) &
			    (0xffffu >> (4 * ((n + (unsigned)i) % 4)));
		set_groups(&e, w);
		inet_ntop(AF_INET6, e.addr, want, sizeof(want));
		assert_string_equal(report_addr(&e, buf, sizeof(buf)), want);
	}
	for (size_t i = 0; i < sizeof(by_hand) / sizeof(by_hand[0]); i++) {
		set_groups(&e, by_hand[i].w);
		assert_string_equal(report_addr(&e, buf, sizeof(buf)),
		    by_hand[i].want);
	}
	/* the longest text fits REPORT_ADDR_MAX, and a smaller buffer
	 * gets what inet_ntop gives it */
	w[0] = w[1] = w[2] = w[3] = w[4] = 0xffff;
	w[5] = 0xffff;
	w[6] = w[7] = 0xffff;
	set_groups(&e, w);
	memset(e.addr, 0, 10);
	e.addr[12] = e.addr[13] = e.addr[14] = e.addr[15] = 255;
	assert_string_equal(report_addr(&e, buf, REPORT_ADDR_MAX),
	    "::ffff:255.255.255.255");
	assert_string_equal(report_addr(&e, buf, 8), "?");
}

static bool
is_json_plain(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			return false;
	return true;
}

/* json.c copies the names of the output vocabulary without escaping
 * them, and at most SINK_NAME_MAX bytes of each: every one of them must
 * be printable ASCII without '"' or '\\' (as the escaper would leave
 * it), and no longer, "?" for a value out of range too. */
static bool
is_json_name(const char *s)
{
	return is_json_plain(s) && strlen(s) <= SINK_NAME_MAX;
}

static void
test_report_names_need_no_escape(void **state)
{
	(void)state;
	for (int i = 0; i <= PROTO_COUNT; i++)
		assert_true(is_json_name(event_proto_name((enum proto)i)));
	for (int i = 0; i <= MECH_COUNT; i++)
		assert_true(is_json_name(event_mech_name((enum mech)i)));
	for (int i = 0; i <= EXPOSURE_COUNT; i++)
		assert_true(is_json_name(
		    event_exposure_name((enum exposure)i)));
	for (int i = 0; i <= TLS_COUNT; i++)
		assert_true(is_json_name(event_tls_name((enum tls_state)i)));
	for (int i = 0; i <= VERDICT_COUNT; i++)
		assert_true(is_json_name(
		    event_verdict_name((enum verdict)i)));
	for (int i = 0; i <= SASL_COUNT; i++)
		assert_true(is_json_name(
		    event_sasl_name((enum sasl_mech)i)));
	for (int i = 0; i <= MARK_COUNT; i++)
		assert_true(is_json_name(
		    report_mark_name((enum report_mark)i)));
	for (int i = 0; i < STAT_COUNT; i++)
		assert_true(is_json_plain(stats_name((enum stat_id)i)));
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The name lists of a row: the names of the set bits, in byte order,
 * for no bit, each one, each pair and all of them. */
static void
test_report_name_lists_follow_set_bits(void **state)
{
	(void)state;
	const char *got[32], *want[32];
	size_t n;

	for (int a = -1; a < MECH_COUNT; a++)
		for (int b = a; b <= MECH_COUNT; b++) {
			uint32_t mask = 0;
			size_t k = 0;

			if (a >= 0)
				mask |= 1u << a;
			if (b >= 0 && b < MECH_COUNT)
				mask |= 1u << b;
			else if (b == MECH_COUNT && a < 0)
				mask = (1u << MECH_COUNT) - 1;	/* all */
			for (int m = 0; m < MECH_COUNT; m++)
				if (mask & (1u << m))
					want[k++] = event_mech_name((enum mech)m);
			qsort(want, k, sizeof(want[0]), by_name);
			sink_mechanisms(mask, got, &n);
			assert_int_equal(n, k);
			for (size_t i = 0; i < k; i++)
				assert_string_equal(got[i], want[i]);
		}
	sink_exposures(1u << EXPOSURE_TOKEN | 1u << EXPOSURE_CLEARTEXT, got,
	    &n);
	assert_int_equal(n, 2);
	assert_string_equal(got[0], "cleartext");
	assert_string_equal(got[1], "token");
	sink_sasl_names(1u << SASL_PLAIN | 1u << SASL_LOGIN | 1u << SASL_OTHER,
	    got, &n);
	assert_int_equal(n, 3);
	assert_string_equal(got[0], "LOGIN");
	assert_string_equal(got[1], "PLAIN");
	assert_string_equal(got[2], "other");
}

/* A JSON login record, byte for byte: the escapes of docs/output.md
 * ('"' and '\\' with a backslash, control and non-ASCII bytes as
 * \u00XX) in a string that needs every kind. */
static void
test_report_json_login_record_escapes(void **state)
{
	(void)state;
	struct event ev = login(20, 50000, 1, MECH_LOGIN, VERDICT_ACCEPTED,
	    1767225600, "a\"b\\c\x01"
	    "d\x7f\xff/\t");
	const struct sink_run run = {0};
	FILE *f = tmpfile();
	char out[1024];
	size_t n;

	assert_non_null(f);
	ev.u.login.tls = TLS_NONE;
	sink_json_ops.login(f, &ev.u.login, false, &run);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	assert_string_equal(out,
	    "{\"type\":\"login\",\"ts\":\"2026-01-01T00:00:00.000000Z\","
	    "\"proto\":\"imap\",\"client_ip\":\"192.0.2.20\",\"client_port\":50000,"
	    "\"server_ip\":\"192.0.2.1\",\"server_port\":143,"
	    "\"mechanism\":\"LOGIN\",\"exposure\":\"cleartext\",\"tls\":\"none\","
	    "\"verdict\":\"accepted\","
	    "\"client_software\":\"a\\\"b\\\\c\\u0001d\\u007f\\u00ff/\\u0009\"}\n");
}

/* json.c writes numbers by hand: the stats record, whose counters go
 * through the same writer as every number of a record, matches
 * snprintf("%" PRIu64) on powers of ten, their neighbours, the largest
 * value and a spread of others. */
static void
test_report_json_numbers_match_printf(void **state)
{
	(void)state;
	uint64_t vals[STAT_COUNT * 2];
	size_t n_vals = 0;
	uint64_t p10 = 1;

	for (int k = 0; k < 20; k++, p10 *= 10) {
		uint64_t near[3] = {p10 - 1, p10, p10 + 1};

		for (int j = 0; j < 3 && n_vals < sizeof(vals) / sizeof(*vals);
		     j++)
			vals[n_vals++] = near[j];
	}
	for (uint64_t x = 0x9e3779b97f4a7c15u;
	     n_vals < sizeof(vals) / sizeof(*vals); x *= 0x9e3779b97f4a7c15u) {
		vals[n_vals] = x >> (n_vals % 64);
		n_vals++;
	}
	vals[0] = UINT64_MAX;
	for (size_t start = 0; start < n_vals; start += STAT_COUNT) {
		struct report *r = report_new();
		struct stats st;
		const struct sink_run run = {0};
		char want[8192], got[8192];
		size_t len = 0, n;
		FILE *f = tmpfile();

		assert_non_null(r);
		assert_non_null(f);
		len += (size_t)snprintf(want + len, sizeof(want) - len,
		    "{\"type\":\"stats\"");
		for (int i = 0; i < STAT_COUNT; i++) {
			st.v[i] = vals[(start + (size_t)i) % n_vals];
			len += (size_t)snprintf(want + len, sizeof(want) - len,
			    ",\"%s\":%" PRIu64, stats_name((enum stat_id)i),
			    st.v[i]);
		}
		snprintf(want + len, sizeof(want) - len, "}\n");
		sink_json_ops.end(f, r, &st, &run);
		rewind(f);
		n = fread(got, 1, sizeof(got) - 1, f);
		got[n] = '\0';
		fclose(f);
		report_free(r);
		assert_string_equal(got, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_one_row_per_client_server_port),
		cmocka_unit_test(test_report_rows_sorted_in_output_order),
		cmocka_unit_test(test_report_many_rows_sorted),
		cmocka_unit_test(test_report_rows_found_again_after_a_report),
		cmocka_unit_test(test_report_gone_row_seen_again_is_this_runs),
		cmocka_unit_test(test_report_server_posture),
		cmocka_unit_test(test_report_pop3_login_disabled_from_capa),
		cmocka_unit_test(test_report_times_are_utc_rfc3339),
		cmocka_unit_test(test_report_times_match_gmtime_and_edges),
		cmocka_unit_test(test_report_every_day_matches_gmtime),
		cmocka_unit_test(test_report_addresses_match_inet_ntop),
		cmocka_unit_test(test_report_ipv4_octets_match_inet_ntop),
		cmocka_unit_test(test_report_ipv6_addresses_match_inet_ntop),
		cmocka_unit_test(test_report_json_login_record_escapes),
		cmocka_unit_test(test_report_names_need_no_escape),
		cmocka_unit_test(test_report_name_lists_follow_set_bits),
		cmocka_unit_test(test_report_json_numbers_match_printf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
