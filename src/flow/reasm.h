/* reasm.h: one direction of a TCP stream, put back in order.
 *
 * Owns: the expected sequence number of one direction and the segments
 * that arrived ahead of it.  Gives its sink the stream's bytes in order,
 * each byte once, and says where bytes are missing (a gap) instead of
 * waiting forever.  Knows nothing of flags, flows or protocols (conn.c
 * decides when a direction starts; stream.c consumes the bytes).
 *
 * Rules: the first copy of a byte wins; a retransmission is trimmed; an
 * overlap whose bytes differ from the queued copy is counted
 * (tcp_overlap_conflict).  A hole is given up as lost when the peer has
 * acknowledged the bytes after it, when one direction queues more than
 * REASM_FLOW_OOO_MAX bytes, when --max-buffer refuses, or at the end.
 * Sequence numbers wrap (all comparisons are modulo 2^32).
 */
#ifndef PLAINSIGHT_REASM_H
#define PLAINSIGHT_REASM_H

#include <stdbool.h>
#include <stdint.h>

#include "plainsight/event.h"
#include "plainsight/stats.h"
#include "util/budget.h"
#include "util/pool.h"

struct reasm_seg;

struct reasm {
	uint32_t next;		/* sequence number of the next byte */
	uint32_t peer_ack;	/* highest ack the peer sent beyond next */
	uint32_t queued;	/* payload bytes waiting in ooo */
	bool is_started;	/* next is known */
	bool has_peer_ack;
	bool is_recording;	/* keep the last bytes delivered (below) */
	struct reasm_seg *ooo;	/* sorted by seq, never overlapping */
	/* The last REASM_RECENT_MAX bytes delivered, ending at next, so
	 * that a retransmission can be compared with what was delivered
	 * (allocated on first use, charged to the budget). */
	uint8_t *recent;
	uint32_t recent_len;
	uint32_t recent_high;	/* bytes of recent ever written: to wipe */
};

struct reasm_env {
	struct stats *stats;
	struct budget *budget;
	struct event_time now;	/* capture time of the packet being handled */
	struct block_pool *recent_pool;	/* freed windows to reuse, or NULL */
};

/* The sink receives in-order bytes (valid only during the call) and gaps
 * (n bytes that will never be seen), each with the capture time of the
 * bytes: a queued segment keeps the time it was captured, and a gap takes
 * the time of the bytes that follow it (or of the packet being handled),
 * so an event reports when its bytes crossed the wire, not when a hole was
 * given up. */
struct reasm_sink {
	void (*data)(void *arg, const uint8_t *p, uint32_t n,
	    struct event_time ts);
	void (*gap)(void *arg, uint32_t n, struct event_time ts);
	void *arg;
	/* Optional: two copies of the same bytes differ.  `kept` is the copy
	 * delivered (or to be), `other` the whole captured segment that lost
	 * (a passive sensor cannot know which copy the receiver kept). */
	void (*conflict)(void *arg, const uint8_t *kept, uint32_t kept_n,
	    const uint8_t *other, uint32_t other_n, struct event_time ts);
};

/* reasm_start(): the next byte of this direction has sequence `next`. */
void reasm_start(struct reasm *r, uint32_t next);

/* reasm_segment(): a segment of `len` bytes at `seq`, of which the first
 * `caplen` are in p (a capture cut by the snaplen has caplen < len; the
 * rest becomes a gap).  Starts the direction at seq if not started. */
void reasm_segment(struct reasm *r, const struct reasm_env *env, uint32_t seq,
    const uint8_t *p, uint32_t caplen, uint32_t len,
    const struct reasm_sink *sink);

/* reasm_peer_ack(): the other direction acknowledged up to `ack`. */
void reasm_peer_ack(struct reasm *r, const struct reasm_env *env,
    uint32_t ack, const struct reasm_sink *sink);

/* reasm_flush(): end of the stream: deliver what is queued, holes as gaps. */
void reasm_flush(struct reasm *r, const struct reasm_env *env,
    const struct reasm_sink *sink);

/* reasm_record(): keep the last bytes delivered from now on, to compare
 * retransmissions with (REASM_RECENT_MAX). */
void reasm_record(struct reasm *r);

/* reasm_free(): drop (wipe and free) what is queued and recorded. */
void reasm_free(struct reasm *r, const struct reasm_env *env);

/* Sequence arithmetic modulo 2^32 (RFC 1982 style). */
static inline bool
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool
seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

#endif
