/* proto.c: session allocation and dispatch to the POP3 or IMAP engine
 * (see proto.h).  The protocol comes from the server's port, chosen by
 * the user (--pop3-ports, --imap-ports); the engines only ever decide
 * that a connection is *not* their protocol. */
#include "proto/proto.h"

#include <stdlib.h>
#include <string.h>

struct proto_session *
proto_new(const struct session_env *env, struct block_pool *pool,
    enum proto p, const struct endpoint *client,
    const struct endpoint *server, uint64_t flow_id, bool is_midstream,
    struct event_time now, struct budget *budget)
{
	struct proto_session *ps;

	if (!budget_take(budget, sizeof(*ps)))
		return NULL;
	ps = pool_take(pool);
	if (ps != NULL) {
		/* wiped to zeros by proto_free(); zeroed again all the
		 * same, as calloc() would, whatever a later change to the
		 * wipes leaves */
		memset(ps, 0, sizeof(*ps));
	} else {
		ps = calloc(1, sizeof(*ps));
	}
	if (ps == NULL) {
		budget_give(budget, sizeof(*ps));
		return NULL;
	}
	ps->s.env = env;
	ps->s.proto = p;
	ps->s.client = *client;
	ps->s.server = *server;
	ps->s.flow_id = flow_id;
	ps->s.is_midstream = is_midstream;
	ps->s.now = now;
	if (p == PROTO_POP3) {
		session_count(&ps->s, STAT_SESSIONS_POP3);
		pop3_init(&ps->s, &ps->u.pop3);
	} else {
		session_count(&ps->s, STAT_SESSIONS_IMAP);
		imap_init(&ps->s, &ps->u.imap);
	}
	return ps;
}

size_t
proto_feed(struct proto_session *ps, enum dir d, const uint8_t *p, size_t n,
    struct event_time now)
{
	ps->s.now = now;
	if (d == DIR_C2S && n > 0)
		ps->s.has_client_bytes = true;
	if (ps->s.proto == PROTO_POP3)
		return pop3_feed(&ps->s, &ps->u.pop3, d, p, n);
	return imap_feed(&ps->s, &ps->u.imap, d, p, n);
}

void
proto_gap(struct proto_session *ps, enum dir d, const uint8_t *cut,
    size_t cut_len, struct event_time now)
{
	ps->s.now = now;
	if (ps->s.is_done)
		return;
	/* a line cut by the loss still says what it started to say: a
	 * LOGIN or PASS whose end was not captured was sent all the same */
	if (ps->s.proto == PROTO_POP3) {
		pop3_cut_line(&ps->s, &ps->u.pop3, d, cut, cut_len);
		if (!ps->s.is_done)
			pop3_gap(&ps->s, &ps->u.pop3, d);
	} else {
		imap_cut_line(&ps->s, &ps->u.imap, d, cut, cut_len);
		if (!ps->s.is_done)
			imap_gap(&ps->s, &ps->u.imap, d);
	}
}

void
proto_other_copy(struct proto_session *ps, const uint8_t *kept,
    size_t kept_n, const uint8_t *other, size_t other_n,
    struct event_time now)
{
	ps->s.now = now;
	if (ps->s.is_done)
		return;
	if (ps->s.proto == PROTO_POP3) {
		if (pop3_credentials(&ps->s, &ps->u.pop3, kept, kept_n,
			false) == 0)
			pop3_credentials(&ps->s, &ps->u.pop3, other, other_n,
			    true);
	} else if (imap_credentials(&ps->s, &ps->u.imap, kept, kept_n,
		       false) == 0) {
		imap_credentials(&ps->s, &ps->u.imap, other, other_n, true);
	}
}

bool
proto_is_done(const struct proto_session *ps)
{
	return ps->s.is_done;
}

void
proto_finish(struct proto_session *ps, struct event_time now)
{
	ps->s.now = now;
	session_finish(&ps->s);
}

void
proto_free(struct proto_session *ps, struct block_pool *pool,
    struct budget *budget)
{
	if (ps == NULL)
		return;
	/* no credential is kept in a session, but parser state sits next
	 * to where one was parsed: wipe all the same.  Every byte written
	 * since calloc(), and only those: the engine that was not in use
	 * never wrote its part of the union, and the wipes skip the slots
	 * of fixed arrays never taken (most of the 848 bytes). */
	if (ps->s.proto == PROTO_POP3)
		pop3_wipe(&ps->u.pop3);
	else
		imap_wipe(&ps->u.imap);
	session_wipe(&ps->s);	/* last: it wipes s.proto too */
	if (!pool_keep(pool, ps))
		free(ps);
	budget_give(budget, sizeof(*ps));
}
