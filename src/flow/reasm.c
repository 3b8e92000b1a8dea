/* reasm.c: TCP reassembly of one direction (see reasm.h for the rules).
 *
 * The queue is a sorted list of non-overlapping segments, each one
 * allocation charged to the budget; it is touched only by out-of-order
 * traffic, so in-order segments (nearly all) cost no allocation and no
 * copy: they go straight to the sink.  Queued bytes may be a client's
 * credentials and are wiped before they are freed.
 */
#include "flow/reasm.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "bounds.h"

struct reasm_seg {
	struct reasm_seg *next;
	struct event_time ts;	/* when it was captured */
	uint32_t seq;
	uint32_t len;		/* bytes on the wire */
	uint32_t caplen;	/* bytes captured, in data[] */
	uint8_t data[];
};

static size_t
seg_cost(uint32_t caplen)
{
	return sizeof(struct reasm_seg) + caplen;
}

static void
seg_free(struct reasm *r, const struct reasm_env *env, struct reasm_seg *s)
{
	size_t cost = seg_cost(s->caplen);

	r->queued -= s->len;
	OPENSSL_cleanse(s->data, s->caplen);
	free(s);
	budget_give(env->budget, cost);
}

void
reasm_start(struct reasm *r, uint32_t next)
{
	r->next = next;
	r->is_started = true;
	r->has_peer_ack = false;
}

static void
emit_gap(struct reasm *r, const struct reasm_env *env, uint32_t n,
    struct event_time ts, const struct reasm_sink *sink)
{
	if (n == 0)
		return;
	env->stats->v[STAT_TCP_GAPS]++;
	env->stats->v[STAT_TCP_GAP_BYTES] += n;
	r->next += n;
	r->recent_len = 0;	/* the window must end at next */
	sink->gap(sink->arg, n, ts);
}

void
reasm_record(struct reasm *r)
{
	r->is_recording = true;
}

/* Keep the last REASM_RECENT_MAX bytes delivered. */
static void
record(struct reasm *r, const struct reasm_env *env, const uint8_t *p,
    uint32_t n)
{
	if (!r->is_recording)
		return;
	if (r->recent == NULL) {
		if (!budget_take(env->budget, REASM_RECENT_MAX)) {
			r->is_recording = false;	/* degrade, counted */
			env->stats->v[STAT_CAP_BUFFER]++;
			return;
		}
		r->recent = env->recent_pool != NULL
		    ? pool_take(env->recent_pool) : NULL;
		if (r->recent == NULL)
			r->recent = malloc(REASM_RECENT_MAX);
		if (r->recent == NULL) {
			budget_give(env->budget, REASM_RECENT_MAX);
			r->is_recording = false;
			return;
		}
	}
	if (n >= REASM_RECENT_MAX) {
		memcpy(r->recent, p + n - REASM_RECENT_MAX, REASM_RECENT_MAX);
		r->recent_len = REASM_RECENT_MAX;
		r->recent_high = REASM_RECENT_MAX;
		return;
	}
	if (r->recent_len + n > REASM_RECENT_MAX) {
		uint32_t drop = r->recent_len + n - REASM_RECENT_MAX;

		memmove(r->recent, r->recent + drop, r->recent_len - drop);
		r->recent_len -= drop;
	}
	memcpy(r->recent + r->recent_len, p, n);
	r->recent_len += n;
	if (r->recent_len > r->recent_high)
		r->recent_high = r->recent_len;
}

/* A segment starting at seq repeats bytes already delivered: compare
 * them with the recorded copy; a difference is a conflict. */
static void
compare_recent(struct reasm *r, const struct reasm_env *env, uint32_t seq,
    const uint8_t *p, uint32_t caplen, uint32_t len, struct event_time ts,
    const struct reasm_sink *sink)
{
	uint32_t back = r->next - seq;	/* how far before next it starts */
	uint32_t n = back < caplen ? back : caplen;

	if (r->recent == NULL || n == 0 || back > r->recent_len)
		return;
	/* A keep-alive (RFC 1122 4.2.3.6): one byte at next - 1, often a
	 * garbage 0x00 in place of the real one.  One byte can hide no
	 * command, so it is a retransmission, not a conflict. */
	if (len == 1 && back == 1)
		return;
	const uint8_t *kept = r->recent + (r->recent_len - back);

	if (memcmp(kept, p, n) == 0)
		return;
	env->stats->v[STAT_TCP_OVERLAP_CONFLICT]++;
	if (sink->conflict != NULL)
		sink->conflict(sink->arg, kept, n, p, caplen, ts);
}

/* Deliver bytes [seq, seq+len) of which [seq, seq+caplen) are in p, minus
 * what was already delivered.  Requires seq <= next. */
static void
deliver(struct reasm *r, const struct reasm_env *env, uint32_t seq,
    const uint8_t *p, uint32_t caplen, uint32_t len, struct event_time ts,
    const struct reasm_sink *sink)
{
	uint32_t skip = r->next - seq;

	if (skip > 0)
		compare_recent(r, env, seq, p, caplen, len, ts, sink);
	if (skip >= len) {
		env->stats->v[STAT_TCP_RETRANSMITTED]++;
		return;
	}
	if (skip < caplen) {
		uint32_t n = caplen - skip;

		r->next += n;
		record(r, env, p + skip, n);
		sink->data(sink->arg, p + skip, n, ts);
		skip = caplen;
	}
	/* the part the capture cut off */
	emit_gap(r, env, len - skip, ts, sink);
}

/* Deliver queued segments that are now in order. */
static void
drain(struct reasm *r, const struct reasm_env *env,
    const struct reasm_sink *sink)
{
	while (r->ooo != NULL && seq_leq(r->ooo->seq, r->next)) {
		struct reasm_seg *s = r->ooo;

		r->ooo = s->next;
		if (seq_lt(r->next, s->seq + s->len))
			deliver(r, env, s->seq, s->data, s->caplen, s->len,
			    s->ts, sink);
		seg_free(r, env, s);
	}
}

/* Give up waiting: everything before `target` is either delivered from
 * the queue or declared lost. */
static void
advance_to(struct reasm *r, const struct reasm_env *env, uint32_t target,
    const struct reasm_sink *sink)
{
	drain(r, env, sink);
	while (seq_lt(r->next, target)) {
		uint32_t hole_end = target;
		struct event_time ts = env->now;

		if (r->ooo != NULL && seq_lt(r->ooo->seq, target)) {
			hole_end = r->ooo->seq;
			ts = r->ooo->ts;	/* the bytes after the hole */
		}
		emit_gap(r, env, hole_end - r->next, ts, sink);
		drain(r, env, sink);
	}
}

static bool
bytes_differ(const struct reasm_seg *q, uint32_t seq, const uint8_t *p,
    uint32_t caplen, uint32_t from, uint32_t to)
{
	/* compare [from, to) (offsets in the new segment) where both
	 * copies were captured */
	for (uint32_t i = from; i < to; i++) {
		uint32_t qi = seq + i - q->seq;

		if (i >= caplen || qi >= q->caplen)
			break;
		if (p[i] != q->data[qi])
			return true;
	}
	return false;
}

static struct reasm_seg *
seg_new(const struct reasm_env *env, uint32_t seq, const uint8_t *p,
    uint32_t caplen, uint32_t from, uint32_t to)
{
	uint32_t cap_from = from < caplen ? from : caplen;
	uint32_t cap_to = to < caplen ? to : caplen;
	uint32_t n = cap_to - cap_from;
	struct reasm_seg *s;

	if (!budget_take(env->budget, seg_cost(n)))
		return NULL;
	s = malloc(seg_cost(n));
	if (s == NULL) {
		budget_give(env->budget, seg_cost(n));
		return NULL;
	}
	s->next = NULL;
	s->ts = env->now;
	s->seq = seq + from;
	s->len = to - from;
	s->caplen = n;
	if (n)
		memcpy(s->data, p + cap_from, n);
	return s;
}

/* Queue the parts of a segment not already queued.  False when a cap
 * refused (counted); what was queued before the refusal stays. */
static bool
enqueue(struct reasm *r, const struct reasm_env *env, uint32_t seq,
    const uint8_t *p, uint32_t caplen, uint32_t len,
    const struct reasm_sink *sink)
{
	struct reasm_seg **pp = &r->ooo;
	uint32_t off = 0;
	bool is_conflict = false;
	bool is_new = false;

	if (len > REASM_FLOW_OOO_MAX - r->queued) {
		env->stats->v[STAT_CAP_FLOW_OOO]++;
		return false;
	}
	while (off < len) {
		struct reasm_seg *q = *pp;
		uint32_t cur = seq + off;
		uint32_t piece_end = len;

		if (q != NULL && seq_leq(q->seq + q->len, cur)) {
			pp = &q->next;	/* q lies wholly before */
			continue;
		}
		if (q != NULL && seq_leq(q->seq, cur)) {
			/* overlap with q: the queued copy wins */
			uint32_t q_end = q->seq + q->len - seq;

			if (q_end > len)
				q_end = len;
			if (bytes_differ(q, seq, p, caplen, off, q_end)) {
				if (!is_conflict && sink->conflict != NULL)
					sink->conflict(sink->arg, q->data,
					    q->caplen, p, caplen, env->now);
				is_conflict = true;
			}
			off = q_end;
			pp = &q->next;
			continue;
		}
		if (q != NULL && seq_lt(q->seq, seq + len))
			piece_end = q->seq - seq;
		struct reasm_seg *s = seg_new(env, seq, p, caplen, off,
		    piece_end);

		if (s == NULL) {
			env->stats->v[STAT_CAP_BUFFER]++;
			return false;
		}
		s->next = q;
		*pp = s;
		r->queued += s->len;
		pp = &s->next;
		off = piece_end;
		is_new = true;
	}
	if (is_conflict)
		env->stats->v[STAT_TCP_OVERLAP_CONFLICT]++;
	/* nothing new: a copy of queued bytes is a retransmission too */
	env->stats->v[is_new ? STAT_TCP_OUT_OF_ORDER
			     : STAT_TCP_RETRANSMITTED]++;
	return true;
}

/* Deliver a segment that starts at or before next.  Bytes already queued
 * arrived first and win over this copy (an overlap that differs is
 * counted), so the segment is delivered around the queued segments it
 * covers. */
static void
deliver_in_order(struct reasm *r, const struct reasm_env *env, uint32_t seq,
    const uint8_t *p, uint32_t caplen, uint32_t len,
    const struct reasm_sink *sink)
{
	uint32_t end = seq + len;
	bool is_conflict = false;

	for (;;) {
		struct reasm_seg *q = r->ooo;

		if (q == NULL || !seq_lt(q->seq, end)) {
			deliver(r, env, seq, p, caplen, len, env->now, sink);
			break;
		}
		/* the new bytes before q, then q's own copy of the overlap */
		uint32_t cut = q->seq - seq;
		uint32_t to = q->seq + q->len - seq;

		deliver(r, env, seq, p, cut < caplen ? cut : caplen, cut,
		    env->now, sink);
		if (bytes_differ(q, seq, p, caplen, cut, to < len ? to : len)) {
			if (!is_conflict && sink->conflict != NULL)
				sink->conflict(sink->arg, q->data, q->caplen, p,
				    caplen, env->now);
			is_conflict = true;
		}
		drain(r, env, sink);
		if (!seq_lt(r->next, end))
			break;
	}
	if (is_conflict)
		env->stats->v[STAT_TCP_OVERLAP_CONFLICT]++;
}

void
reasm_segment(struct reasm *r, const struct reasm_env *env, uint32_t seq,
    const uint8_t *p, uint32_t caplen, uint32_t len,
    const struct reasm_sink *sink)
{
	if (len == 0)
		return;
	if (!r->is_started)
		reasm_start(r, seq);
	uint32_t ahead = seq - r->next;
	uint32_t behind = r->next - seq;

	if (ahead != 0 && ahead <= REASM_WINDOW_MAX) {
		if (r->has_peer_ack && seq_leq(seq, r->peer_ack)) {
			/* the peer has these bytes: the hole is lost */
			advance_to(r, env, seq, sink);
		} else if (enqueue(r, env, seq, p, caplen, len, sink)) {
			return;
		} else {
			/* a cap refused: stop waiting for the hole */
			advance_to(r, env, seq, sink);
		}
	} else if (ahead != 0 && behind > REASM_WINDOW_MAX) {
		env->stats->v[STAT_TCP_OUT_OF_WINDOW]++;
		return;
	}
	/* at or behind next: deliver what is new */
	if (seq_leq(seq, r->next))
		deliver_in_order(r, env, seq, p, caplen, len, sink);
	drain(r, env, sink);
}

void
reasm_peer_ack(struct reasm *r, const struct reasm_env *env, uint32_t ack,
    const struct reasm_sink *sink)
{
	uint32_t ahead = ack - r->next;

	if (!r->is_started || ahead == 0 || ahead > REASM_WINDOW_MAX)
		return;
	if (!r->has_peer_ack || seq_lt(r->peer_ack, ack)) {
		r->peer_ack = ack;
		r->has_peer_ack = true;
	}
	/* Bytes queued beyond a hole that the peer has acknowledged: the
	 * hole was delivered to the peer and missed by the capture.  Past the
	 * queued bytes, wait: what is not queued yet may just be late in the
	 * capture (as when nothing is queued at all). */
	if (r->ooo != NULL && seq_lt(r->ooo->seq, ack)) {
		struct reasm_seg *last = r->ooo;

		while (last->next != NULL && seq_lt(last->next->seq, ack))
			last = last->next;
		uint32_t target = last->seq + last->len;

		advance_to(r, env, seq_lt(ack, target) ? ack : target, sink);
	}
}

void
reasm_flush(struct reasm *r, const struct reasm_env *env,
    const struct reasm_sink *sink)
{
	while (r->ooo != NULL) {
		struct reasm_seg *last = r->ooo;

		while (last->next != NULL)
			last = last->next;
		advance_to(r, env, last->seq + last->len, sink);
	}
}

void
reasm_free(struct reasm *r, const struct reasm_env *env)
{
	if (r->recent != NULL) {
		/* what was ever written: wiping all 2 KiB of every flow
		 * was a visible cost (bench/run mail); kept for the next
		 * connection's window, all of it that was written zero */
		OPENSSL_cleanse(r->recent, r->recent_high);
		if (env->recent_pool == NULL ||
		    !pool_keep(env->recent_pool, r->recent))
			free(r->recent);
		budget_give(env->budget, REASM_RECENT_MAX);
		r->recent = NULL;
		r->recent_len = 0;
		r->recent_high = 0;
	}
	while (r->ooo != NULL) {
		struct reasm_seg *s = r->ooo;

		r->ooo = s->next;
		seg_free(r, env, s);
	}
}
