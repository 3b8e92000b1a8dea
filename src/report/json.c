/* json.c: JSON Lines output (docs/output.md "json").
 *
 * One object per line, keys in a fixed order, no whitespace, so the
 * output is byte-for-byte deterministic.  Login records are written as
 * each attempt is settled; offender, server and stats records at the end.
 */
#include <assert.h>
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

/* Room at the end of the record buffer for a record of at most max
 * bytes, written through a pointer: the buffer is flushed first if it
 * has less.  rec_wrote(): the record written there ends at end. */
static char *
rec_room(struct rec *r, size_t max)
{
	if (REC_MAX - r->n < max)
		rec_flush(r);
	return r->b + r->n;
}

static void
rec_wrote(struct rec *r, const char *end, size_t max)
{
	assert((size_t)(end - (r->b + r->n)) <= max);
	(void)max;		/* without assertions */
	r->n = (size_t)(end - r->b);
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

/* Login, offender and server records are written through a bare
 * pointer: the room for the longest such record is checked once, before
 * it (a check and an update of the record's length per field were a
 * fifth of a login record's cost; bench/run mail).  Each put_ writer
 * below writes at most the bytes its comment says, and returns the end
 * of what it wrote. */

/* Room for a quoted name, a time, an address, a number, a string of at
 * most n bytes from the network (each byte \u00XX at worst). */
#define PUT_NAME_MAX (SINK_NAME_MAX + 2)
#define PUT_TIME_MAX (REPORT_TIME_MAX + 1)
#define PUT_ADDR_MAX (REPORT_ADDR_MAX + 1)
#define PUT_U64_MAX 20
#define PUT_STR_MAX(n) (6 * (n) + 2)
/* a list of n names, n strings of at most len bytes */
#define PUT_NAMES_MAX(n) (2 + (n) * (PUT_NAME_MAX + 1))
#define PUT_STRS_MAX(n, len) (2 + (n) * (PUT_STR_MAX(len) + 1))

/* Every key and all punctuation of a record, with room to spare; the
 * bytes written are checked against the bound in debug builds. */
#define KEYS_MAX 400

#define LOGIN_REC_MAX                                                         \
	(KEYS_MAX + PUT_TIME_MAX + 2 * PUT_ADDR_MAX + 2 * PUT_U64_MAX +       \
	    5 * PUT_NAME_MAX + PUT_STR_MAX(EVENT_CODE_MAX) +                  \
	    PUT_STR_MAX(EVENT_SOFTWARE_MAX) + PUT_STR_MAX(EVENT_ACCOUNT_LEN))
#define OFFENDER_REC_MAX                                                      \
	(KEYS_MAX + 2 * PUT_NAME_MAX + 2 * PUT_ADDR_MAX + 5 * PUT_U64_MAX +   \
	    PUT_NAMES_MAX(MECH_COUNT) + PUT_NAMES_MAX(EXPOSURE_COUNT) +       \
	    2 * PUT_TIME_MAX +                                                \
	    PUT_STRS_MAX(REPORT_SOFTWARE_MAX, EVENT_SOFTWARE_MAX))
#define SERVER_REC_MAX                                                        \
	(KEYS_MAX + 2 * PUT_NAME_MAX + PUT_ADDR_MAX + 5 * PUT_U64_MAX +       \
	    PUT_NAMES_MAX(SASL_COUNT))
static_assert(LOGIN_REC_MAX <= REC_MAX && OFFENDER_REC_MAX <= REC_MAX &&
	SERVER_REC_MAX <= REC_MAX,
    "a login, offender or server record fits the record buffer");

/* a string literal, its length known at compile time */
#define PUT_LIT(p, lit) put_bytes((p), (lit), sizeof(lit) - 1)

static inline char *
put_bytes(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* A JSON string of at most max bytes of s (which ends at a NUL before
 * them, for every string of an event): '"' and '\\' escaped, control
 * and non-ASCII bytes as \u00XX (the same bytes as sink_json_string()).
 * Writes at most PUT_STR_MAX(max). */
static char *
put_str(char *p, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;

	*p++ = '"';
	for (size_t i = 0; i < max && u[i] != 0; i++) {
		if (json_plain[u[i]]) {
			*p++ = (char)u[i];
		} else if (u[i] == '"' || u[i] == '\\') {
			*p++ = '\\';
			*p++ = (char)u[i];
		} else {
			p = PUT_LIT(p, "\\u00");
			*p++ = hex[u[i] >> 4];
			*p++ = hex[u[i] & 15];
		}
	}
	*p++ = '"';
	return p;
}

/* v in decimal: at most PUT_U64_MAX bytes.  Its digits are counted
 * first, then written from the last, two per division, straight into
 * the record: no local buffer copied out with a memcpy() call of
 * variable length (ports and counters are most of the numbers of a
 * report; most counters are one digit). */
static char *
put_u64(char *p, uint64_t v)
{
	static const uint64_t pow10[PUT_U64_MAX] = {1, 10, 100, 1000, 10000,
	    100000, 1000000, 10000000, 100000000, 1000000000, 10000000000u,
	    100000000000u, 1000000000000u, 10000000000000u,
	    100000000000000u, 1000000000000000u, 10000000000000000u,
	    100000000000000000u, 1000000000000000000u,
	    10000000000000000000u};
	size_t n = 1;

	while (n < PUT_U64_MAX && v >= pow10[n])
		n++;
	char *end = p + n;

	p = end;
	while (v >= 100) {
		const char *pair = report_digit_pairs + 2 * (v % 100);

		/* bytes, not memcpy: fortified, that was a call */
		*--p = pair[1];
		*--p = pair[0];
		v /= 100;
	}
	if (v >= 10) {
		*--p = report_digit_pairs[2 * v + 1];
		*--p = report_digit_pairs[2 * v];
	} else {
		*--p = (char)('0' + v);
	}
	return end;
}

static void
rec_u64(struct rec *r, uint64_t v)
{
	char d[PUT_U64_MAX];

	rec_put(r, d, (size_t)(put_u64(d, v) - d));
}

static char *
put_tri(char *p, enum tri value)
{
	if (value == TRI_UNKNOWN)
		return PUT_LIT(p, "null");
	if (value == TRI_TRUE)
		return PUT_LIT(p, "true");
	return PUT_LIT(p, "false");
}

/* n (at most 32) bytes of s at p, as two overlapping fixed-size copies
 * (each a load and a store) of the first and the last bytes: a
 * memcpy() call for a few bytes costs more than the copying. */
static inline char *
put_short(char *p, const char *s, size_t n)
{
	if (n >= 16) {
		memcpy(p, s, 16);
		memcpy(p + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		memcpy(p, s, 8);
		memcpy(p + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(p, s, 4);
		memcpy(p + n - 4, s + n - 4, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			p[i] = s[i];
	}
	return p + n;
}

/* A name of the output vocabulary (event.c's names, report_mark_name()):
 * printable ASCII without '"' or '\\', at most SINK_NAME_MAX bytes,
 * which test_report_names_need_no_escape checks; so it is copied,
 * quoted, without a pass through the escaper.  At most PUT_NAME_MAX
 * bytes. */
static char *
put_name(char *p, const char *s)
{
	static_assert(SINK_NAME_MAX <= 32, "put_short() copies a name");
	*p++ = '"';
	p = put_short(p, s, strnlen(s, SINK_NAME_MAX));
	*p++ = '"';
	return p;
}

/* Times and addresses are written as digits, hex, '.', ':', '-', 'T',
 * 'Z' or '?': quoted, they need no escapes.  At most PUT_TIME_MAX and
 * PUT_ADDR_MAX bytes. */
static char *
put_time(char *p, struct event_time t)
{
	*p++ = '"';
	p += report_time_text(t, false, p, REPORT_TIME_MAX);
	*p++ = '"';
	return p;
}

static char *
put_addr(char *p, const struct endpoint *e)
{
	*p++ = '"';
	p += report_addr_text(e, p, REPORT_ADDR_MAX);
	*p++ = '"';
	return p;
}

/* The four counts of an offender or a server row: at most
 * 4 * PUT_U64_MAX bytes and their keys. */
static char *
put_counts(char *p, uint64_t attempts, uint64_t accepted, uint64_t rejected,
    uint64_t unknown)
{
	p = PUT_LIT(p, ",\"attempts\":");
	p = put_u64(p, attempts);
	p = PUT_LIT(p, ",\"accepted\":");
	p = put_u64(p, accepted);
	p = PUT_LIT(p, ",\"rejected\":");
	p = put_u64(p, rejected);
	p = PUT_LIT(p, ",\"unknown\":");
	return put_u64(p, unknown);
}

/* A list of names: at most PUT_NAMES_MAX(n). */
static char *
put_names(char *p, const char **s, size_t n)
{
	*p++ = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		p = put_name(p, s[i]);
	}
	*p++ = ']';
	return p;
}

static void
json_login(FILE *out, const struct event_login *l, bool is_allowed,
    const struct sink_run *run)
{
	struct rec r;

	r.out = out;
	r.n = 0;
	char *p = rec_room(&r, LOGIN_REC_MAX);

	p = PUT_LIT(p, "{\"type\":\"login\",\"ts\":");
	p = put_time(p, l->ts);
	p = PUT_LIT(p, ",\"proto\":");
	p = put_name(p, event_proto_name(l->proto));
	p = PUT_LIT(p, ",\"client_ip\":");
	p = put_addr(p, &l->client);
	p = PUT_LIT(p, ",\"client_port\":");
	p = put_u64(p, l->client.port);
	p = PUT_LIT(p, ",\"server_ip\":");
	p = put_addr(p, &l->server);
	p = PUT_LIT(p, ",\"server_port\":");
	p = put_u64(p, l->server.port);
	p = PUT_LIT(p, ",\"mechanism\":");
	p = put_name(p, event_mech_name(l->mech));
	p = PUT_LIT(p, ",\"exposure\":");
	p = put_name(p, event_exposure_name(l->exposure));
	p = PUT_LIT(p, ",\"tls\":");
	p = put_name(p, event_tls_name(l->tls));
	p = PUT_LIT(p, ",\"verdict\":");
	p = put_name(p, event_verdict_name(l->verdict));
	if (l->response_code[0]) {
		p = PUT_LIT(p, ",\"response_code\":");
		p = put_str(p, l->response_code, EVENT_CODE_MAX);
	}
	if (l->client_software[0]) {
		p = PUT_LIT(p, ",\"client_software\":");
		p = put_str(p, l->client_software, EVENT_SOFTWARE_MAX);
	}
	if (l->account[0]) {
		p = PUT_LIT(p, ",\"account\":");
		p = put_str(p, l->account, EVENT_ACCOUNT_LEN);
	}
	if (is_allowed)
		p = PUT_LIT(p, ",\"allowed\":true");
	rec_wrote(&r, PUT_LIT(p, "}\n"), LOGIN_REC_MAX);
	rec_flush(&r);
	if (run->is_live)
		fflush(out);	/* a live sensor streams, line by line */
}

/* An offender record: at most OFFENDER_REC_MAX bytes. */
static char *
offender(char *p, const struct report *rep, const struct report_offender *o)
{
	const char *names[MECH_COUNT];
	size_t n;

	p = PUT_LIT(p, "{\"type\":\"offender\",\"proto\":");
	p = put_name(p, event_proto_name(o->proto));
	p = PUT_LIT(p, ",\"client_ip\":");
	p = put_addr(p, &o->client);
	p = PUT_LIT(p, ",\"server_ip\":");
	p = put_addr(p, &o->server);
	p = PUT_LIT(p, ",\"server_port\":");
	p = put_u64(p, o->server.port);
	p = put_counts(p, o->attempts, o->accepted, o->rejected, o->unknown);
	sink_mechanisms(o->mechs, names, &n);
	p = PUT_LIT(p, ",\"mechanisms\":");
	p = put_names(p, names, n);
	sink_exposures(o->exposures, names, &n);
	p = PUT_LIT(p, ",\"exposures\":");
	p = put_names(p, names, n);
	p = PUT_LIT(p, ",\"first_seen\":");
	p = put_time(p, o->first_seen);
	p = PUT_LIT(p, ",\"last_seen\":");
	p = put_time(p, o->last_seen);
	if (o->n_software) {
		p = PUT_LIT(p, ",\"client_software\":[");
		for (size_t i = 0; i < o->n_software; i++) {
			if (i)
				*p++ = ',';
			p = put_str(p, o->software[i], EVENT_SOFTWARE_MAX);
		}
		*p++ = ']';
	}
	if (o->is_allowed)
		p = PUT_LIT(p, ",\"allowed\":true");
	if (report_has_baseline(rep)) {
		p = PUT_LIT(p, ",\"baseline\":");
		p = put_name(p, report_mark_name(o->mark));
	}
	return PUT_LIT(p, "}\n");
}

/* A server record: at most SERVER_REC_MAX bytes. */
static char *
server(char *p, const struct report *rep, const struct report_server *s)
{
	const char *names[SASL_COUNT];
	size_t n;

	p = PUT_LIT(p, "{\"type\":\"server\",\"proto\":");
	p = put_name(p, event_proto_name(s->proto));
	p = PUT_LIT(p, ",\"server_ip\":");
	p = put_addr(p, &s->server);
	p = PUT_LIT(p, ",\"server_port\":");
	p = put_u64(p, s->server.port);
	p = PUT_LIT(p, ",\"starttls_offered\":");
	p = put_tri(p, report_starttls_offered(s));
	p = PUT_LIT(p, ",\"login_disabled\":");
	p = put_tri(p, report_login_disabled(s));
	if (s->proto == PROTO_POP3) {
		p = PUT_LIT(p, ",\"user_offered\":");
		p = put_tri(p, report_user_offered(s));
	}
	sink_sasl_names(s->sasl_offered, names, &n);
	p = PUT_LIT(p, ",\"auth_offered\":");
	p = put_names(p, names, n);
	p = PUT_LIT(p, ",\"cleartext_accepted\":");
	p = put_tri(p, s->accepted > 0 ? TRI_TRUE : TRI_FALSE);
	p = put_counts(p, s->attempts, s->accepted, s->rejected, s->unknown);
	if (report_has_baseline(rep)) {
		p = PUT_LIT(p, ",\"baseline\":");
		p = put_name(p, report_mark_name(s->mark));
		if (s->mark == MARK_CHANGED || s->mark == MARK_GONE) {
			p = PUT_LIT(p, ",\"was\":{\"starttls_offered\":");
			p = put_tri(p, s->was_starttls);
			p = PUT_LIT(p, ",\"login_disabled\":");
			p = put_tri(p, s->was_disabled);
			p = PUT_LIT(p, ",\"cleartext_accepted\":");
			p = put_tri(p,
			    s->was_accepted ? TRI_TRUE : TRI_FALSE);
			*p++ = '}';
		}
	}
	return PUT_LIT(p, "}\n");
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
	for (size_t i = 0; i < n_off; i++) {
		char *p = rec_room(&r, OFFENDER_REC_MAX);

		rec_wrote(&r, offender(p, rep, &off[i]), OFFENDER_REC_MAX);
	}
	for (size_t i = 0; i < n_srv; i++) {
		char *p = rec_room(&r, SERVER_REC_MAX);

		rec_wrote(&r, server(p, rep, &srv[i]), SERVER_REC_MAX);
	}
	REC_LIT(&r, "{\"type\":\"stats\"");
	if (run->is_live) {
		char t[PUT_TIME_MAX];

		REC_LIT(&r, ",\"ts\":");
		rec_put(&r, t, (size_t)(put_time(t, run->now) - t));
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
