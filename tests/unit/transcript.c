/* transcript.c: dialogue replay for parser tests (see transcript.h). */
#include "transcript.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow/conn.h"
#include "flow/stream.h"
#include "proto/proto.h"
#include "report/redact.h"

static void
collect(const struct event *ev, void *arg)
{
	struct captured *c = arg;

	assert_true(c->n < TRANSCRIPT_EVENTS_MAX);
	c->ev[c->n++] = *ev;
}

static void
release(struct flow *f, enum flow_end why, void *arg)
{
	(void)why;
	conn_end(arg, f);
}

void
transcript_run(enum proto p, const struct step *steps, size_t n,
    const struct transcript_opts *opts, size_t chunk, int split_step,
    size_t split_at, struct captured *out)
{
	static const uint32_t timeout[FLOW_CLASS_COUNT] = {
		[FLOW_CLASS_CLOSED] = 4, [FLOW_CLASS_IDLE] = 30,
		[FLOW_CLASS_UNANSWERED] = 600,
		[FLOW_CLASS_DONE] = 600, [FLOW_CLASS_LIVE] = 600};
	struct session_env senv;
	struct conn_env cenv;
	struct block_pool pool = {.n = 0};
	struct budget budget = {.max = 64u * 1024 * 1024};
	struct redact *redact = NULL;
	struct flow_key key;
	bool is_swapped;
	uint8_t client[16] = {192, 0, 2, 1}, server[16] = {198, 51, 100, 1};

	memset(out, 0, sizeof(*out));
	if (opts && opts->account_key)
		assert_int_equal(redact_new((const uint8_t *)opts->account_key,
				     strlen(opts->account_key), &redact),
		    ST_OK);
	memset(&senv, 0, sizeof(senv));
	senv.stats = &out->stats;
	senv.redact = redact;
	senv.tag_key = hash_key_random();
	senv.emit = collect;
	senv.emit_arg = out;
	memset(&cenv, 0, sizeof(cenv));
	cenv.stats = &out->stats;
	cenv.budget = &budget;
	cenv.session = &senv;
	cenv.session_pool = &pool;
	cenv.table = flow_table_new(4, timeout, release, &cenv, &out->stats);
	assert_non_null(cenv.table);
	flow_table_key(&key, 4, client, 40000,
	    server, p == PROTO_POP3 ? 110 : 143, &is_swapped);
	struct flow *f = flow_table_insert(cenv.table, &key, 1000);

	f->client = is_swapped ? 1 : 0;
	f->proto = (uint8_t)p;
	f->has_handshake = !(opts && opts->is_midstream);
	f->is_midstream = opts && opts->is_midstream;

	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = (const uint8_t *)steps[i].bytes;
		size_t len = steps[i].len ? steps[i].len
					  : strlen(steps[i].bytes);
		/* each chunk in its own exactly-sized allocation, so that
		 * ASan sees any read past it */
		size_t cut[3] = {0, len, len};
		size_t ncut = 2;

		cenv.now.sec = 1000 + (int64_t)i;
		cenv.now.usec = 0;
		if (steps[i].is_gap_before)
			stream_gap(&cenv, f, steps[i].d, 1, cenv.now);
		if ((int)i == split_step && split_at > 0 && split_at < len) {
			cut[1] = split_at;
			ncut = 3;
		}
		for (size_t k = 0; k + 1 < ncut; k++) {
			size_t off = cut[k];

			while (off < cut[k + 1]) {
				size_t m = cut[k + 1] - off;

				if (chunk == 1)
					m = 1;
				uint8_t *copy = malloc(m);

				assert_non_null(copy);
				memcpy(copy, b + off, m);
				stream_data(&cenv, f, steps[i].d, copy,
				    (uint32_t)m, cenv.now);
				free(copy);
				off += m;
			}
		}
	}
	out->is_done = f->is_bypassed;
	flow_table_drain(cenv.table);
	flow_table_free(cenv.table);
	pool_drain(&pool);
	redact_free(redact);
	assert_int_equal(budget.used, 0);	/* everything given back */
}

/* Field by field: padding bytes in events are unspecified. */
static bool
endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	return memcmp(a->addr, b->addr, sizeof(a->addr)) == 0 &&
	    a->port == b->port && a->family == b->family;
}

static bool
time_equal(struct event_time a, struct event_time b)
{
	return a.sec == b.sec && a.usec == b.usec;
}

static bool
event_equal(const struct event *a, const struct event *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == EVENT_SERVER) {
		const struct event_server *x = &a->u.server, *y = &b->u.server;

		return time_equal(x->ts, y->ts) && x->proto == y->proto &&
		    endpoint_equal(&x->server, &y->server) &&
		    x->kind == y->kind && x->has_starttls == y->has_starttls &&
		    x->has_login_disabled == y->has_login_disabled &&
		    x->has_user == y->has_user &&
		    x->sasl_offered == y->sasl_offered;
	}
	const struct event_login *x = &a->u.login, *y = &b->u.login;

	return time_equal(x->ts, y->ts) && x->proto == y->proto &&
	    endpoint_equal(&x->client, &y->client) &&
	    endpoint_equal(&x->server, &y->server) && x->mech == y->mech &&
	    x->exposure == y->exposure && x->tls == y->tls &&
	    x->verdict == y->verdict &&
	    strcmp(x->response_code, y->response_code) == 0 &&
	    strcmp(x->client_software, y->client_software) == 0 &&
	    strcmp(x->account, y->account) == 0 && x->flow_id == y->flow_id;
}

static void
assert_same(const struct captured *a, const struct captured *b,
    const char *how)
{
	if (a->n != b->n)
		fail_msg("%s: %zu events instead of %zu", how, b->n, a->n);
	for (size_t i = 0; i < a->n; i++) {
		if (event_equal(&a->ev[i], &b->ev[i]))
			continue;
		const struct event_login *x = &a->ev[i].u.login;
		const struct event_login *y = &b->ev[i].u.login;

		if (a->ev[i].type == EVENT_LOGIN)
			fail_msg("%s: login %zu differs: mech %d/%d "
				 "verdict %d/%d tls %d/%d ts %lld/%lld "
				 "code '%s'/'%s' acct '%s'/'%s'",
			    how, i, x->mech, y->mech, x->verdict, y->verdict,
			    x->tls, y->tls, (long long)x->ts.sec,
			    (long long)y->ts.sec, x->response_code,
			    y->response_code, x->account, y->account);
		fail_msg("%s: event %zu (type %d) differs", how, i,
		    a->ev[i].type);
	}
	if (a->is_done != b->is_done)
		fail_msg("%s: the session ends differently", how);
}

void
transcript_check(enum proto p, const struct step *steps, size_t n,
    const struct transcript_opts *opts, struct captured *out)
{
	struct captured *other = malloc(sizeof(*other));
	char how[64];

	assert_non_null(other);
	transcript_run(p, steps, n, opts, 0, -1, 0, out);
	transcript_run(p, steps, n, opts, 1, -1, 0, other);
	assert_same(out, other, "byte by byte");
	for (size_t i = 0; i < n; i++) {
		size_t len = steps[i].len ? steps[i].len
					  : strlen(steps[i].bytes);

		for (size_t at = 1; at < len; at++) {
			transcript_run(p, steps, n, opts, 0, (int)i, at, other);
			snprintf(how, sizeof(how), "step %zu split at %zu", i,
			    at);
			assert_same(out, other, how);
		}
	}
	free(other);
}

size_t
transcript_logins(const struct captured *c, const struct event_login **out,
    size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < c->n && k < max; i++)
		if (c->ev[i].type == EVENT_LOGIN)
			out[k++] = &c->ev[i].u.login;
	return k;
}

const struct event_server *
transcript_server_caps(const struct captured *c)
{
	const struct event_server *last = NULL;

	for (size_t i = 0; i < c->n; i++)
		if (c->ev[i].type == EVENT_SERVER &&
		    c->ev[i].u.server.kind == SERVER_CAPS)
			last = &c->ev[i].u.server;
	return last;
}

void
transcript_wipe_check(enum proto p, const struct step *steps, size_t n)
{
	struct stats stats;
	struct session_env senv;
	struct budget budget = {.max = 64u * 1024 * 1024};
	struct redact *redact = NULL;
	struct endpoint client, server;
	struct event_time now = {1000, 0};

	memset(&stats, 0, sizeof(stats));
	memset(&client, 0, sizeof(client));
	memset(&server, 0, sizeof(server));
	assert_int_equal(redact_new((const uint8_t *)"k3y", 3, &redact), ST_OK);
	memset(&senv, 0, sizeof(senv));
	senv.stats = &stats;
	senv.redact = redact;
	senv.tag_key = hash_key_random();
	struct block_pool pool = {.n = 0};
	struct proto_session *ps = proto_new(&senv, &pool, p, &client,
	    &server, 1, false, now, &budget);

	assert_non_null(ps);
	for (size_t i = 0; i < n && !proto_is_done(ps); i++) {
		size_t len = steps[i].len ? steps[i].len
					  : strlen(steps[i].bytes);

		assert_int_equal(proto_feed(ps, steps[i].d,
				     (const uint8_t *)steps[i].bytes, len, now),
		    len);
	}
	/* proto_free() keeps it, wiped, in the pool: look at it there */
	proto_free(ps, &pool, &budget);
	assert_int_equal(pool.n, 1);
	assert_ptr_equal(pool.free[0], ps);
	const uint8_t *b = (const uint8_t *)ps;

	for (size_t i = 0; i < sizeof(*ps); i++)
		if (b[i] != 0)
			fail_msg("byte %zu of the session is not wiped", i);
	assert_int_equal(budget.used, 0);
	/* and the next session is that one, fresh */
	struct proto_session *again = proto_new(&senv, &pool, p, &client,
	    &server, 2, false, now, &budget);

	assert_ptr_equal(again, ps);
	assert_int_equal(pool.n, 0);
	assert_false(proto_is_done(again));
	proto_free(again, &pool, &budget);
	pool_drain(&pool);
	assert_int_equal(pool.n, 0);
	redact_free(redact);
	assert_int_equal(budget.used, 0);
}
