/* stream.c: unconsumed bytes and the protocol session (see stream.h).
 *
 * In the common case a segment holds whole lines: it is parsed where it
 * lies, with no copy.  Only a line split across segments is copied, into
 * a buffer capped at STREAM_LINE_MAX and charged to --max-buffer.
 */
#include "flow/stream.h"

#include <assert.h>

#include "bounds.h"
#include "proto/proto.h"

static bool
ensure_session(struct conn_env *env, struct flow *f, struct event_time ts)
{
	struct endpoint client, server;

	if (f->session != NULL)
		return true;
	if (f->is_bypassed)
		return false;
	conn_endpoint(f, DIR_C2S, &client);
	conn_endpoint(f, DIR_S2C, &server);
	f->session = proto_new(env->session, env->session_pool,
	    (enum proto)f->proto, &client, &server, f->id, f->is_midstream, ts,
	    env->budget);
	if (f->session == NULL) {
		/* over --max-buffer: this connection is not analysed */
		env->stats->v[STAT_CAP_BUFFER]++;
		f->is_bypassed = true;
		return false;
	}
	flow_table_set_class(env->table, f,
	    f->has_server ? FLOW_CLASS_LIVE : FLOW_CLASS_UNANSWERED);
	return true;
}

/* The session has nothing left to learn: free it now; conn.c moves the
 * flow to the DONE class once reassembly has returned. */
static void
bypass(struct conn_env *env, struct flow *f)
{
	for (int d = 0; d < DIR_COUNT; d++)
		buf_free(&f->pend[d], env->budget);
	proto_free(f->session, env->session_pool, env->budget);
	f->session = NULL;
	f->is_bypassed = true;
}

static struct event_time
later(struct event_time a, struct event_time b)
{
	return a.sec > b.sec || (a.sec == b.sec && a.usec >= b.usec) ? a : b;
}

/* Keep bytes the engine did not consume; on refusal, lose them. */
static void
keep(struct conn_env *env, struct flow *f, enum dir d, const uint8_t *p,
    size_t n, struct event_time ts)
{
	if (n == 0)
		return;
	f->pend_ts[d] = ts;
	if (!buf_append(&f->pend[d], p, n, STREAM_LINE_MAX, env->budget)) {
		env->stats->v[STAT_CAP_BUFFER]++;
		buf_consume(&f->pend[d], f->pend[d].len);
		proto_gap(f->session, d, NULL, 0, ts);
		if (proto_is_done(f->session))
			bypass(env, f);
	}
}

void
stream_data(struct conn_env *env, struct flow *f, enum dir d,
    const uint8_t *p, uint32_t n, struct event_time ts)
{
	struct buf *pb = &f->pend[d];

	if (n == 0)
		return;
	f->has_data[d] = true;
	if (!ensure_session(env, f, ts))
		return;
	if (pb->len == 0) {
		size_t used = proto_feed(f->session, d, p, n, ts);

		if (proto_is_done(f->session))
			bypass(env, f);
		else
			keep(env, f, d, p + used, n - used, ts);
		return;
	}
	/* a line started in an earlier segment: complete it in the
	 * buffer, then go on from the segment itself.  A line crossed the
	 * wire when its last-captured byte did: segments may be delivered
	 * in sequence order, not capture order. */
	ts = later(f->pend_ts[d], ts);
	f->pend_ts[d] = ts;
	while (n > 0) {
		size_t take = STREAM_LINE_MAX - pb->len;

		if (take > n)
			take = n;
		if (!buf_append(pb, p, take, STREAM_LINE_MAX, env->budget)) {
			env->stats->v[STAT_CAP_BUFFER]++;
			buf_consume(pb, pb->len);
			proto_gap(f->session, d, NULL, 0, ts);
			if (proto_is_done(f->session))
				bypass(env, f);
			else
				stream_data(env, f, d, p, n, ts);
			return;
		}
		p += take;
		n -= (uint32_t)take;
		size_t used = proto_feed(f->session, d, pb->p, pb->len, ts);

		if (proto_is_done(f->session)) {
			bypass(env, f);
			return;
		}
		/* engines consume any STREAM_LINE_MAX bytes they are given */
		assert(used > 0 || pb->len < STREAM_LINE_MAX);
		buf_consume(pb, used);
		if (pb->len == 0) {
			stream_data(env, f, d, p, n, ts);
			return;
		}
	}
}

void
stream_gap(struct conn_env *env, struct flow *f, enum dir d, uint32_t n,
    struct event_time ts)
{
	struct buf *pb = &f->pend[d];

	(void)n;
	if (f->session == NULL)
		return;
	if (pb->len > 0)
		ts = later(f->pend_ts[d], ts);
	/* a line cut by the hole can never be completed: the engine sees
	 * what there is of it, then it goes */
	proto_gap(f->session, d, pb->p, pb->len, ts);
	buf_consume(pb, pb->len);
	if (proto_is_done(f->session))
		bypass(env, f);
}

void
stream_conflict(struct conn_env *env, struct flow *f, enum dir d,
    const uint8_t *kept, uint32_t kept_n, const uint8_t *other,
    uint32_t other_n, struct event_time ts)
{
	/* credentials travel from the client; a session that is done has
	 * nothing left to say */
	if (d != DIR_C2S || f->session == NULL || proto_is_done(f->session))
		return;
	proto_other_copy(f->session, kept, kept_n, other, other_n, ts);
	if (proto_is_done(f->session))
		bypass(env, f);
}

void
stream_end(struct conn_env *env, struct flow *f)
{
	if (f->session != NULL)
		proto_finish(f->session, env->now);
	for (int d = 0; d < DIR_COUNT; d++)
		buf_free(&f->pend[d], env->budget);
	proto_free(f->session, env->session_pool, env->budget);
	f->session = NULL;
}
