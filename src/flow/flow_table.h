/* flow_table.h: the bidirectional connection table.
 *
 * Owns: every struct flow (a fixed pool of max_flows slots, committed by
 * the kernel only as they are first used), the hash index on the 5-tuple
 * (sized to the flows in the table, at most one bucket per slot),
 * and the order in which flows are expired and evicted.  It does not know
 * what is inside a flow: when a flow leaves the table (expired, evicted,
 * drained at the end) it calls the release function first, which must
 * free what the flow holds.
 *
 * Flows are in one of five classes, each a list in least-recently-used
 * order.  When the table is full a CLOSED flow (ended by FIN or RST,
 * kept a few seconds to absorb its stragglers) goes first; then the
 * least recently active flow that never heard its server, whether IDLE
 * (never carried
 * POP3/IMAP bytes: lone SYNs, scans, bare handshakes) or UNANSWERED
 * (client bytes parsed, not one packet from the server: a one-sided
 * capture, or a flood of spoofed one-packet flows); then DONE (nothing
 * left to learn: TLS started, login accepted, not a mail protocol); then
 * LIVE (both sides seen, still being parsed).  A flood of spoofed SYNs or
 * data segments therefore evicts its own kind first, and a new
 * connection's SYN is not evicted before older junk.
 */
#ifndef PLAINSIGHT_FLOW_TABLE_H
#define PLAINSIGHT_FLOW_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/reasm.h"
#include "plainsight/event.h"
#include "plainsight/stats.h"
#include "util/buf.h"
#include "util/dir.h"
#include "util/hash.h"

/* Canonical 5-tuple: endpoint 0 sorts before endpoint 1, so both
 * directions of a connection have the same key.  Padding is zeroed: the
 * key is hashed and compared as bytes. */
struct flow_key {
	uint8_t addr[2][16];
	uint16_t port[2];
	uint8_t family;
	uint8_t pad[3];
};

enum flow_class {
	FLOW_CLASS_CLOSED,
	FLOW_CLASS_IDLE,
	FLOW_CLASS_UNANSWERED,
	FLOW_CLASS_DONE,
	FLOW_CLASS_LIVE,
	FLOW_CLASS_COUNT
};

enum flow_state {
	FLOW_OPEN,		/* packets are analysed */
	FLOW_CLOSED		/* ended by FIN/RST; kept to absorb stragglers */
};

struct proto_session;

/* 256 bytes, aligned to a cache line, laid out by when a packet reads
 * it: the first line (index chain, key, clock, state) at every packet;
 * the next two (reassembly and pending bytes of both directions, since a
 * segment's ACK is the other direction's news) at every packet that gets
 * past the flow's state; the last (lists, times, numbers) now and then.
 * A packet of a connection among many touches three lines, not five. */
struct flow {
	/* line 0 */
	_Alignas(64) struct flow *hnext;	/* hash chain */
	struct flow_key key;
	int64_t last_sec;	/* packet time of the last packet */
	uint8_t klass;		/* enum flow_class */
	uint8_t state;		/* enum flow_state */
	uint8_t client;		/* which key endpoint is the client */
	uint8_t proto;		/* enum proto, from the server port */
	bool is_midstream;	/* neither SYN nor SYN-ACK was seen */
	bool has_handshake;	/* a SYN or SYN-ACK was seen */
	bool has_server;	/* a packet from the server was seen */
	bool is_bypassed;	/* nothing left to learn: packets skipped */
	/* lines 1 and 2 */
	struct reasm reasm[DIR_COUNT];
	struct buf pend[DIR_COUNT];	/* bytes the parser has not consumed */
	struct proto_session *session;	/* NULL until payload, and after */
	bool has_fin[DIR_COUNT];
	bool has_data[DIR_COUNT];	/* payload delivered in this direction */
	uint32_t hash_lo;	/* the key's hash, low half: its bucket at
				 * every index size (at most 2^32 buckets) */
	/* line 3 */
	_Alignas(64) uint64_t id;	/* connection number, from 1, in order seen */
	struct event_time pend_ts[DIR_COUNT];	/* latest capture time in pend */
	struct flow *prev;	/* class list */
	struct flow *next;
	uint32_t isn[DIR_COUNT];	/* from SYN / SYN-ACK, if has_handshake */
};

enum flow_end {
	FLOW_END_EXPIRED,
	FLOW_END_EVICTED,
	FLOW_END_DRAINED	/* end of input */
};

typedef void flow_release_fn(struct flow *f, enum flow_end why, void *arg);

struct flow_table;

/* flow_table_new(): a table for max_flows flows; timeouts in seconds per
 * class.  NULL on allocation failure. */
struct flow_table *flow_table_new(uint32_t max_flows,
    const uint32_t timeout[FLOW_CLASS_COUNT], flow_release_fn *release,
    void *arg, struct stats *stats);

/* flow_table_free(): releases nothing: drain first. */
void flow_table_free(struct flow_table *t);

/* flow_table_key(): the canonical key of a packet from (a, ap) to
 * (b, bp); *is_swapped tells whether (a, ap) is endpoint 1.  Addresses are
 * 16 bytes, an IPv4 one in the first 4 and zeros after (as in pkt_view):
 * endpoints are ordered as memcmp() orders them. */
void flow_table_key(struct flow_key *key, uint8_t family, const uint8_t *a,
    uint16_t ap, const uint8_t *b, uint16_t bp, bool *is_swapped);

/* flow_table_lookup(): the flow with this key, or NULL. */
struct flow *flow_table_lookup(struct flow_table *t, const struct flow_key *k);

/* flow_table_insert(): a new zeroed flow with this key (which must not be
 * in the table), class IDLE, a new id; evicts a flow if the table is
 * full.  Never fails. */
struct flow *flow_table_insert(struct flow_table *t, const struct flow_key *k,
    int64_t now);

/* flow_table_hash(): the key's keyed hash, for the _hashed variants of
 * lookup and insert.  It reads only what flow_table_new() set, so a
 * reader thread may compute it while the engine's thread uses the
 * table. */
uint64_t flow_table_hash(const struct flow_table *t, const struct flow_key *k);
struct flow *flow_table_lookup_hashed(struct flow_table *t,
    const struct flow_key *k, uint64_t hash);
struct flow *flow_table_insert_hashed(struct flow_table *t,
    const struct flow_key *k, uint64_t hash, int64_t now);

/* flow_table_touch(): the flow saw a packet at `now`. */
void flow_table_touch(struct flow_table *t, struct flow *f, int64_t now);

/* flow_table_set_class(): move a flow to another class. */
void flow_table_set_class(struct flow_table *t, struct flow *f,
    enum flow_class klass);

/* flow_table_renew(): give a flow a new id (a new connection reuses the
 * 5-tuple). */
void flow_table_renew(struct flow_table *t, struct flow *f);

/* flow_table_evict_oldest(): release the least recently active flow of a
 * class other than `keep`; false if there is none.  (Eviction because
 * the table is full is flow_table_insert()'s own.) */
bool flow_table_evict_oldest(struct flow_table *t, enum flow_class klass,
    const struct flow *keep);

/* flow_table_expire(): release flows idle for longer than their class's
 * timeout at packet time `now`. */
void flow_table_expire(struct flow_table *t, int64_t now);

/* flow_table_drain(): release every flow, in id order; the table is empty
 * after. */
void flow_table_drain(struct flow_table *t);

/* flow_table_count(): flows in the table. */
uint32_t flow_table_count(const struct flow_table *t);

#endif
