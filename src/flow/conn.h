/* conn.h: one TCP connection's life: handshake, data, teardown.
 *
 * Owns the per-connection decisions: which direction a packet goes, when a
 * direction starts (SYN, SYN-ACK, or mid-stream at the first data), when
 * the connection ends (FIN both ways, a credible RST) or starts again on
 * the same 5-tuple (a new SYN), and when it is bypassed (its protocol
 * session has nothing left to learn).  In-order bytes go to the stream
 * layer (stream.c), which feeds the protocol session.
 */
#ifndef PLAINSIGHT_CONN_H
#define PLAINSIGHT_CONN_H

#include "decode/pkt.h"
#include "flow/flow_table.h"
#include "proto/session.h"
#include "util/budget.h"
#include "util/pool.h"

/* Everything a connection needs from the engine. */
struct conn_env {
	struct stats *stats;
	struct budget *budget;
	const struct session_env *session;
	struct block_pool *session_pool;	/* freed sessions to reuse */
	struct block_pool *recent_pool;	/* freed reassembly windows */
	struct flow_table *table;
	struct event_time now;	/* time of the packet being handled */
	/* room for one segment read without its urgent byte; wiped after
	 * each use (client bytes) */
	uint8_t *scratch;
	size_t scratch_max;
};

/* conn_packet(): a packet of flow f in direction d; payload points to
 * pv->payload_caplen captured bytes. */
void conn_packet(struct conn_env *env, struct flow *f, enum dir d,
    const struct pkt_view *pv, const uint8_t *payload);

/* conn_end(): the connection is over (closed, expired, evicted, end of
 * input): deliver what is queued, report what is pending, free its
 * state.  The flow stays in the table, closed. */
void conn_end(struct conn_env *env, struct flow *f);

/* conn_endpoint(): the client (DIR_C2S) or server (DIR_S2C) endpoint. */
void conn_endpoint(const struct flow *f, enum dir side, struct endpoint *out);

#endif
