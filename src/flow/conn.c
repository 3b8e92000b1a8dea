/* conn.c: TCP connection tracking for one flow (see conn.h).
 *
 * RFC 9293 semantics as a passive observer sees them: a SYN starts the
 * client's direction, a SYN-ACK the server's (and, through its ACK
 * number, the client's: a capture that starts at the SYN-ACK is not
 * mid-stream).  A SYN resent with a new ISN before any data replaces the
 * old one (CVE-2025-59147 was a sensor that kept the first).  A SYN after
 * data, or on a closed flow, is a new connection on the same 5-tuple.  An
 * RST is believed only near the expected sequence number, so a blind
 * injected RST cannot end analysis early.  Urgent data is read both
 * ways (CVE-2024-55629 was a sensor that read it one way only): in line,
 * as a server with SO_OOBINLINE does, and without the urgent byte, as the
 * BSD and Linux default does; a login in the second reading only is
 * reported as one from another copy.
 */
#include "flow/conn.h"

#include <string.h>

#include <openssl/crypto.h>

#include "flow/stream.h"
#include "bounds.h"
#include "proto/proto.h"

/* An RST this far from the expected sequence number is not believed
 * (one receive window, as RFC 5961 accepts). */
#define CONN_RST_WINDOW (64u * 1024u)

struct sink_arg {
	struct conn_env *env;
	struct flow *f;
	enum dir d;
};

static void
sink_data(void *arg, const uint8_t *p, uint32_t n, struct event_time ts)
{
	struct sink_arg *a = arg;

	stream_data(a->env, a->f, a->d, p, n, ts);
}

static void
sink_gap(void *arg, uint32_t n, struct event_time ts)
{
	struct sink_arg *a = arg;

	stream_gap(a->env, a->f, a->d, n, ts);
}

static void
sink_conflict(void *arg, const uint8_t *kept, uint32_t kept_n,
    const uint8_t *other, uint32_t other_n, struct event_time ts)
{
	struct sink_arg *a = arg;

	stream_conflict(a->env, a->f, a->d, kept, kept_n, other, other_n, ts);
}

void
conn_endpoint(const struct flow *f, enum dir side, struct endpoint *out)
{
	unsigned i = side == DIR_C2S ? f->client : 1u - f->client;

	memset(out, 0, sizeof(*out));	/* events are compared as bytes */
	memcpy(out->addr, f->key.addr[i], sizeof(out->addr));
	out->port = f->key.port[i];
	out->family = f->key.family;
}

void
conn_end(struct conn_env *env, struct flow *f)
{
	const struct reasm_env renv = {env->stats, env->budget, env->now,
	    env->recent_pool};

	if (f->state == FLOW_CLOSED)
		return;
	for (int d = 0; d < DIR_COUNT; d++) {
		struct sink_arg arg = {env, f, (enum dir)d};
		const struct reasm_sink sink = {sink_data, sink_gap, &arg,
		    sink_conflict};

		if (!f->is_bypassed)
			reasm_flush(&f->reasm[d], &renv, &sink);
		reasm_free(&f->reasm[d], &renv);
	}
	stream_end(env, f);
	f->state = FLOW_CLOSED;
	flow_table_set_class(env->table, f, FLOW_CLASS_CLOSED);
}

/* Forget everything: a new connection on the same 5-tuple. */
static void
restart(struct conn_env *env, struct flow *f)
{
	conn_end(env, f);
	env->stats->v[STAT_FLOWS_REUSED]++;
	env->stats->v[STAT_FLOWS]++;
	flow_table_renew(env->table, f);
	f->state = FLOW_OPEN;
	f->is_midstream = false;
	f->has_handshake = false;
	f->has_server = false;
	f->is_bypassed = false;
	memset(f->has_fin, 0, sizeof(f->has_fin));
	memset(f->has_data, 0, sizeof(f->has_data));
	memset(f->reasm, 0, sizeof(f->reasm));
}

static bool
rst_is_credible(const struct flow *f, enum dir d, uint32_t seq)
{
	const struct reasm *r = &f->reasm[d];
	uint32_t ahead = seq - r->next;
	uint32_t behind = r->next - seq;

	return !r->is_started || ahead <= CONN_RST_WINDOW ||
	    behind <= CONN_RST_WINDOW;
}

static void
syn(struct conn_env *env, struct flow *f, enum dir d,
    const struct pkt_view *pv)
{
	bool is_synack = (pv->flags & TCP_ACK) != 0;

	if (f->has_handshake && f->isn[d] == pv->seq)
		return;		/* a retransmitted SYN or SYN-ACK */
	if (!is_synack && (f->has_data[DIR_C2S] || f->has_data[DIR_S2C]))
		restart(env, f);	/* new connection, same 5-tuple */
	f->isn[d] = pv->seq;
	f->has_handshake = true;
	if (!f->has_data[d]) {
		struct reasm *r = &f->reasm[d];

		if (!is_synack && r->is_started && r->next != pv->seq + 1)
			env->stats->v[STAT_TCP_SYN_NEW_ISN]++;
		reasm_start(r, pv->seq + 1);
	}
	/* the SYN-ACK acknowledges the client's ISN: the one that counts
	 * if the client sent several SYNs */
	if (is_synack && !f->has_data[dir_other(d)])
		reasm_start(&f->reasm[dir_other(d)], pv->ack);
}

/* A client segment with urgent data: the reading without the urgent byte
 * (the one before the pointer, RFC 6093) is scanned for a login too.  A
 * pointer past the segment names a byte of a later one, which carries
 * URG itself when it comes. */
static void
urgent(struct conn_env *env, struct flow *f, const struct pkt_view *pv,
    const uint8_t *payload)
{
	uint32_t n = pv->payload_caplen;
	uint32_t at = pv->urgent;

	env->stats->v[STAT_TCP_URGENT]++;
	if (at == 0 || at > n || n > env->scratch_max)
		return;
	at--;
	memcpy(env->scratch, payload, at);
	memcpy(env->scratch + at, payload + at + 1, n - at - 1);
	stream_conflict(env, f, DIR_C2S, payload, n, env->scratch, n - 1,
	    env->now);
	OPENSSL_cleanse(env->scratch, n - 1);
}

void
conn_packet(struct conn_env *env, struct flow *f, enum dir d,
    const struct pkt_view *pv, const uint8_t *payload)
{
	const struct reasm_env renv = {env->stats, env->budget, env->now,
	    env->recent_pool};
	uint8_t fl = pv->flags;

	if (f->state == FLOW_CLOSED) {
		if ((fl & TCP_SYN) == 0 || (fl & TCP_ACK) != 0)
			return;		/* stragglers of the old connection */
		restart(env, f);
	}
	if (d == DIR_S2C && !f->has_server) {
		/* the server exists: no longer a candidate junk flow */
		f->has_server = true;
		if (f->klass == FLOW_CLASS_UNANSWERED)
			flow_table_set_class(env->table, f, FLOW_CLASS_LIVE);
	}
	if (fl & TCP_RST) {
		if (rst_is_credible(f, d, pv->seq)) {
			env->stats->v[STAT_FLOWS_CLOSED]++;
			conn_end(env, f);
		}
		else
			env->stats->v[STAT_TCP_RST_IGNORED]++;
		return;
	}
	if (fl & TCP_SYN)
		syn(env, f, d, pv);
	if (!f->is_bypassed) {
		struct sink_arg arg = {env, f, d};
		struct sink_arg other_arg = {env, f, dir_other(d)};
		const struct reasm_sink sink = {sink_data, sink_gap, &arg,
		    sink_conflict};
		const struct reasm_sink other = {sink_data, sink_gap,
		    &other_arg, sink_conflict};

		if (fl & TCP_ACK)
			reasm_peer_ack(&f->reasm[dir_other(d)], &renv, pv->ack,
			    &other);
		if (pv->payload_len > 0 && !f->is_bypassed) {
			/* data on a SYN starts after the SYN's number */
			uint32_t seq = pv->seq + ((fl & TCP_SYN) ? 1u : 0u);

			/* the client's last bytes are kept to compare a
			 * retransmission with (an evasion: other bytes),
			 * once the server has been heard: a flood of
			 * spoofed one-packet flows costs no copy */
			if (d == DIR_C2S && f->has_server &&
			    !f->reasm[d].is_recording)
				reasm_record(&f->reasm[d]);
			if (!f->has_handshake && !f->has_data[DIR_C2S] &&
			    !f->has_data[DIR_S2C] && !f->is_midstream) {
				f->is_midstream = true;
				env->stats->v[STAT_FLOWS_MIDSTREAM]++;
			}
			reasm_segment(&f->reasm[d], &renv, seq, payload,
			    pv->payload_caplen, pv->payload_len, &sink);
			if ((fl & TCP_URG) && d == DIR_C2S && !f->is_bypassed)
				urgent(env, f, pv, payload);
		}
	}
	if (f->is_bypassed && f->klass != FLOW_CLASS_DONE) {
		/* reassembly has returned: its queues can go now */
		for (int i = 0; i < DIR_COUNT; i++)
			reasm_free(&f->reasm[i], &renv);
		flow_table_set_class(env->table, f, FLOW_CLASS_DONE);
	}
	if (fl & TCP_FIN) {
		f->has_fin[d] = true;
		if (f->has_fin[DIR_C2S] && f->has_fin[DIR_S2C]) {
			env->stats->v[STAT_FLOWS_CLOSED]++;
			conn_end(env, f);
		}
	}
}
