/* json.c: JSON Lines output (docs/output.md "json").
 *
 * One object per line, keys in a fixed order, no whitespace, so the
 * output is byte-for-byte deterministic.  Login records are written as
 * each attempt is settled; offender, server and stats records at the end.
 */
#include <string.h>

#include "report/sink.h"

/* A record is built here and written with one fwrite: stdio's per-call
 * locking and fprintf's format parsing were most of the cost of a login
 * record (bench/run mail).  A record longer than the buffer (the stats
 * record can be) is written in pieces. */
#define REC_MAX 4096

struct rec {
	FILE *out;
	size_t n;
	char b[REC_MAX];
};

static void
rec_flush(struct rec *r)
{
	if (r->n > 0)
		fwrite(r->b, 1, r->n, r->out);
	r->n = 0;
}

static void
rec_put_slow(struct rec *r, const char *s, size_t n)
{
	while (n > 0) {
		if (r->n == REC_MAX)
			rec_flush(r);
		size_t k = REC_MAX - r->n < n ? REC_MAX - r->n : n;

		memcpy(r->b + r->n, s, k);
		r->n += k;
		s += k;
		n -= k;
	}
}

static inline void
rec_put(struct rec *r, const char *s, size_t n)
{
	if (n <= REC_MAX - r->n) {
		memcpy(r->b + r->n, s, n);
		r->n += n;
		return;
	}
	rec_put_slow(r, s, n);
}

/* a string literal, its length known at compile time */
#define REC_LIT(r, lit) rec_put((r), (lit), sizeof(lit) - 1)

static void
rec_cstr(struct rec *r, const char *s)
{
	rec_put(r, s, strlen(s));
}

/* Bytes written as they are in a JSON string: printable ASCII but '"'
 * and '\\' (NUL, not plain, ends the scan). */
static const uint8_t json_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* 50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,	/* 70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* a0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* b0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* c0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* d0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* e0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* f0 */
};

/* A JSON string: '"' and '\\' escaped, control and non-ASCII bytes as
 * \u00XX (the same bytes as sink_json_string()). */
static void
rec_str(struct rec *r, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	REC_LIT(r, "\"");
	for (;;) {
		const unsigned char *run = p;

		while (json_plain[*p])
			p++;
		rec_put(r, (const char *)run, (size_t)(p - run));
		if (*p == 0)
			break;
		if (*p == '"' || *p == '\\') {
			char e[2] = {'\\', (char)*p};

			rec_put(r, e, sizeof(e));
		} else {
			char e[6] = {'\\', 'u', '0', '0', hex[*p >> 4],
			    hex[*p & 15]};

			rec_put(r, e, sizeof(e));
		}
		p++;
	}
	REC_LIT(r, "\"");
}

static void
rec_u64(struct rec *r, uint64_t v)
{
	char d[20];
	size_t i = sizeof(d);

	/* two digits per division: ports and counters are most of the
	 * numbers of a report */
	while (v >= 100) {
		const char *pair = report_digit_pairs + 2 * (v % 100);

		/* bytes, not memcpy: fortified, that was a call */
		d[--i] = pair[1];
		d[--i] = pair[0];
		v /= 100;
	}
	if (v >= 10) {
		d[--i] = report_digit_pairs[2 * v + 1];
		d[--i] = report_digit_pairs[2 * v];
	} else {
		d[--i] = (char)('0' + v);
	}
	rec_put(r, d + i, sizeof(d) - i);
}

static void
rec_tri(struct rec *r, enum tri value)
{
	if (value == TRI_UNKNOWN)
		REC_LIT(r, "null");
	else if (value == TRI_TRUE)
		REC_LIT(r, "true");
	else
		REC_LIT(r, "false");
}

/* A name of the output vocabulary (event.c's names, report_mark_name(),
 * stats_name()): printable ASCII without '"' or '\\', which
 * test_report_names_need_no_escape checks, so it is copied, quoted,
 * without a pass through the escaper. */
static void
rec_name(struct rec *r, const char *s)
{
	size_t n = strlen(s);

	if (n + 2 > REC_MAX - r->n) {
		REC_LIT(r, "\"");
		rec_put_slow(r, s, n);
		REC_LIT(r, "\"");
		return;
	}
	/* one check of the room for the name and its quotes */
	r->b[r->n] = '"';
	memcpy(r->b + r->n + 1, s, n);
	r->b[r->n + 1 + n] = '"';
	r->n += n + 2;
}

/* Times and addresses are written as digits, hex, '.', ':', '-', 'T',
 * 'Z' or '?': quoted, they need no escapes either.  They are formatted
 * in place when the record has room for the longest, not copied from a
 * local buffer (a memcpy call each; three a login). */
static void
rec_time(struct rec *r, struct event_time t)
{
	char tmp[REPORT_TIME_MAX + 1];
	bool is_here = REC_MAX - r->n >= REPORT_TIME_MAX + 1;
	char *buf = is_here ? r->b + r->n : tmp;
	size_t n;

	buf[0] = '"';
	n = report_time_text(t, false, buf + 1, REPORT_TIME_MAX);
	buf[n + 1] = '"';
	if (is_here)
		r->n += n + 2;
	else
		rec_put(r, buf, n + 2);
}

static void
rec_addr(struct rec *r, const struct endpoint *e)
{
	char tmp[REPORT_ADDR_MAX + 1];
	bool is_here = REC_MAX - r->n >= REPORT_ADDR_MAX + 1;
	char *buf = is_here ? r->b + r->n : tmp;
	size_t n;

	buf[0] = '"';
	n = report_addr_text(e, buf + 1, REPORT_ADDR_MAX);
	buf[n + 1] = '"';
	if (is_here)
		r->n += n + 2;
	else
		rec_put(r, buf, n + 2);
}

/* A list of strings: vocabulary names (mechanisms, exposures, SASL
 * names), which never need escaping, or strings from the network (client
 * software), escaped. */
static void
rec_strings(struct rec *r, const char **s, size_t n, bool is_from_network)
{
	REC_LIT(r, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			REC_LIT(r, ",");
		if (is_from_network)
			rec_str(r, s[i]);
		else
			rec_name(r, s[i]);
	}
	REC_LIT(r, "]");
}

static void
json_login(FILE *out, const struct event_login *l, bool is_allowed,
    const struct sink_run *run)
{
	struct rec r;

	r.out = out;
	r.n = 0;
	REC_LIT(&r, "{\"type\":\"login\",\"ts\":");
	rec_time(&r, l->ts);
	REC_LIT(&r, ",\"proto\":");
	rec_name(&r, event_proto_name(l->proto));
	REC_LIT(&r, ",\"client_ip\":");
	rec_addr(&r, &l->client);
	REC_LIT(&r, ",\"client_port\":");
	rec_u64(&r, l->client.port);
	REC_LIT(&r, ",\"server_ip\":");
	rec_addr(&r, &l->server);
	REC_LIT(&r, ",\"server_port\":");
	rec_u64(&r, l->server.port);
	REC_LIT(&r, ",\"mechanism\":");
	rec_name(&r, event_mech_name(l->mech));
	REC_LIT(&r, ",\"exposure\":");
	rec_name(&r, event_exposure_name(l->exposure));
	REC_LIT(&r, ",\"tls\":");
	rec_name(&r, event_tls_name(l->tls));
	REC_LIT(&r, ",\"verdict\":");
	rec_name(&r, event_verdict_name(l->verdict));
	if (l->response_code[0]) {
		REC_LIT(&r, ",\"response_code\":");
		rec_str(&r, l->response_code);
	}
	if (l->client_software[0]) {
		REC_LIT(&r, ",\"client_software\":");
		rec_str(&r, l->client_software);
	}
	if (l->account[0]) {
		REC_LIT(&r, ",\"account\":");
		rec_str(&r, l->account);
	}
	if (is_allowed)
		REC_LIT(&r, ",\"allowed\":true");
	REC_LIT(&r, "}\n");
	rec_flush(&r);
	if (run->is_live)
		fflush(out);	/* a live sensor streams, line by line */
}

static void
offender(struct rec *r, const struct report *rep,
    const struct report_offender *o)
{
	const char *names[MECH_COUNT];
	const char *sw[REPORT_SOFTWARE_MAX];
	size_t n;

	REC_LIT(r, "{\"type\":\"offender\",\"proto\":");
	rec_name(r, event_proto_name(o->proto));
	REC_LIT(r, ",\"client_ip\":");
	rec_addr(r, &o->client);
	REC_LIT(r, ",\"server_ip\":");
	rec_addr(r, &o->server);
	REC_LIT(r, ",\"server_port\":");
	rec_u64(r, o->server.port);
	REC_LIT(r, ",\"attempts\":");
	rec_u64(r, o->attempts);
	REC_LIT(r, ",\"accepted\":");
	rec_u64(r, o->accepted);
	REC_LIT(r, ",\"rejected\":");
	rec_u64(r, o->rejected);
	REC_LIT(r, ",\"unknown\":");
	rec_u64(r, o->unknown);
	sink_mechanisms(o->mechs, names, &n);
	REC_LIT(r, ",\"mechanisms\":");
	rec_strings(r, names, n, false);
	sink_exposures(o->exposures, names, &n);
	REC_LIT(r, ",\"exposures\":");
	rec_strings(r, names, n, false);
	REC_LIT(r, ",\"first_seen\":");
	rec_time(r, o->first_seen);
	REC_LIT(r, ",\"last_seen\":");
	rec_time(r, o->last_seen);
	if (o->n_software) {
		for (size_t i = 0; i < o->n_software; i++)
			sw[i] = o->software[i];
		REC_LIT(r, ",\"client_software\":");
		rec_strings(r, sw, o->n_software, true);
	}
	if (o->is_allowed)
		REC_LIT(r, ",\"allowed\":true");
	if (report_has_baseline(rep)) {
		REC_LIT(r, ",\"baseline\":");
		rec_name(r, report_mark_name(o->mark));
	}
	REC_LIT(r, "}\n");
}

static void
server(struct rec *r, const struct report *rep, const struct report_server *s)
{
	const char *names[SASL_COUNT];
	size_t n;

	REC_LIT(r, "{\"type\":\"server\",\"proto\":");
	rec_name(r, event_proto_name(s->proto));
	REC_LIT(r, ",\"server_ip\":");
	rec_addr(r, &s->server);
	REC_LIT(r, ",\"server_port\":");
	rec_u64(r, s->server.port);
	REC_LIT(r, ",\"starttls_offered\":");
	rec_tri(r, report_starttls_offered(s));
	REC_LIT(r, ",\"login_disabled\":");
	rec_tri(r, report_login_disabled(s));
	if (s->proto == PROTO_POP3) {
		REC_LIT(r, ",\"user_offered\":");
		rec_tri(r, report_user_offered(s));
	}
	sink_sasl_names(s->sasl_offered, names, &n);
	REC_LIT(r, ",\"auth_offered\":");
	rec_strings(r, names, n, false);
	REC_LIT(r, ",\"cleartext_accepted\":");
	rec_tri(r, s->accepted > 0 ? TRI_TRUE : TRI_FALSE);
	REC_LIT(r, ",\"attempts\":");
	rec_u64(r, s->attempts);
	REC_LIT(r, ",\"accepted\":");
	rec_u64(r, s->accepted);
	REC_LIT(r, ",\"rejected\":");
	rec_u64(r, s->rejected);
	REC_LIT(r, ",\"unknown\":");
	rec_u64(r, s->unknown);
	if (report_has_baseline(rep)) {
		REC_LIT(r, ",\"baseline\":");
		rec_name(r, report_mark_name(s->mark));
		if (s->mark == MARK_CHANGED || s->mark == MARK_GONE) {
			REC_LIT(r, ",\"was\":{\"starttls_offered\":");
			rec_tri(r, s->was_starttls);
			REC_LIT(r, ",\"login_disabled\":");
			rec_tri(r, s->was_disabled);
			REC_LIT(r, ",\"cleartext_accepted\":");
			rec_tri(r, s->was_accepted ? TRI_TRUE : TRI_FALSE);
			REC_LIT(r, "}");
		}
	}
	REC_LIT(r, "}\n");
}

static void
json_end(FILE *out, const struct report *rep, const struct stats *stats,
    const struct sink_run *run)
{
	const struct report_offender *off;
	const struct report_server *srv;
	size_t n_off = report_offenders(rep, &off);
	size_t n_srv = report_servers(rep, &srv);
	struct rec r;

	r.out = out;
	r.n = 0;
	for (size_t i = 0; i < n_off; i++)
		offender(&r, rep, &off[i]);
	for (size_t i = 0; i < n_srv; i++)
		server(&r, rep, &srv[i]);
	REC_LIT(&r, "{\"type\":\"stats\"");
	if (run->is_live) {
		REC_LIT(&r, ",\"ts\":");
		rec_time(&r, run->now);
	}
	for (int i = 0; i < STAT_COUNT; i++) {
		REC_LIT(&r, ",\"");
		rec_cstr(&r, stats_name((enum stat_id)i));
		REC_LIT(&r, "\":");
		rec_u64(&r, stats->v[i]);
	}
	if (run->has_capture_stats) {
		REC_LIT(&r, ",\"capture_received\":");
		rec_u64(&r, run->received);
		REC_LIT(&r, ",\"capture_dropped\":");
		rec_u64(&r, run->dropped);
		REC_LIT(&r, ",\"capture_ifdropped\":");
		rec_u64(&r, run->ifdropped);
	}
	REC_LIT(&r, "}\n");
	rec_flush(&r);
	if (run->is_live)
		fflush(out);
}

const struct sink_ops sink_json_ops = {json_login, json_end};
