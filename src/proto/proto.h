/* proto.h: one protocol session per connection, whatever the protocol.
 *
 * Owns: struct proto_session (the shared session core plus the POP3 or
 * IMAP state), its allocation against the budget, and the dispatch of
 * bytes, gaps and the end of the connection to the right engine.  This is
 * the only interface the flow layer sees of the protocols.
 */
#ifndef PLAINSIGHT_PROTO_H
#define PLAINSIGHT_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/imap.h"
#include "proto/pop3.h"
#include "proto/session.h"
#include "util/budget.h"
#include "util/dir.h"
#include "util/pool.h"

struct proto_session {
	struct session s;
	union {
		struct pop3 pop3;
		struct imap imap;
	} u;
};

/* proto_new(): a session for a connection of protocol p (PROTO_POP3 or
 * PROTO_IMAP), from the pool of freed ones if it keeps any, charged to
 * the budget; NULL if the budget or malloc refuses. */
struct proto_session *proto_new(const struct session_env *env,
    struct block_pool *pool, enum proto p, const struct endpoint *client,
    const struct endpoint *server, uint64_t flow_id, bool is_midstream,
    struct event_time now, struct budget *budget);

/* proto_feed(): in-order bytes of direction d at packet time `now`;
 * returns how many were consumed (see pop3_feed()). */
size_t proto_feed(struct proto_session *ps, enum dir d, const uint8_t *p,
    size_t n, struct event_time now);

/* proto_gap(): bytes of direction d were lost; `cut` holds the start of
 * the line the loss cut (not consumed yet, may be empty). */
void proto_gap(struct proto_session *ps, enum dir d, const uint8_t *cut,
    size_t cut_len, struct event_time now);

/* proto_other_copy(): the client sent bytes twice, differently: `kept`
 * is the copy parsed, `other` the one that was not.  A passive sensor
 * cannot know which copy the server kept, so a credential in `other`
 * that `kept` does not carry is reported as an attempt. */
void proto_other_copy(struct proto_session *ps, const uint8_t *kept,
    size_t kept_n, const uint8_t *other, size_t other_n,
    struct event_time now);

/* proto_is_done(): nothing left to learn: the flow can be bypassed. */
bool proto_is_done(const struct proto_session *ps);

/* proto_finish(): the connection ended: report what is pending. */
void proto_finish(struct proto_session *ps, struct event_time now);

/* proto_free(): wipe, give back to the budget, and keep in the pool (or
 * free when it is full); NULL is fine. */
void proto_free(struct proto_session *ps, struct block_pool *pool,
    struct budget *budget);

#endif
