/* plainsight.c: the engine: packets in, redacted events out (see
 * include/plainsight/plainsight.h).
 *
 * Per packet: decode (bounded, no allocation), a port check against a
 * 64 KiB table (most traffic stops here), one flow lookup, then the
 * connection's TCP and protocol work.  Flows that can no longer reveal a
 * cleartext login are bypassed after the lookup.  Packet time drives
 * every timeout, so offline results do not depend on how fast the file is
 * read.  Data flows one way: decode -> flow_table -> conn -> reasm ->
 * stream -> proto -> events.
 */
#include "plainsight/plainsight.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <pcap/dlt.h>

#include "decode/defrag.h"
#include "decode/link.h"
#include "flow/conn.h"
#include "flow/flow_table.h"
#include "prepared.h"
#include "bounds.h"
#include "report/redact.h"

struct plainsight {
	struct plainsight_config cfg;
	struct stats stats;
	struct budget budget;
	struct redact *redact;
	struct session_env senv;
	struct conn_env cenv;
	struct block_pool session_pool;
	struct block_pool recent_pool;
	struct flow_table *table;
	struct defrag *defrag;
	const struct flow *current;	/* whose packet is being handled */
	int64_t clock;		/* latest packet second seen */
	int64_t expired_at;	/* clock of the last expiry pass */
	uint8_t port_proto[65536];	/* enum proto by port */
	uint8_t scratch[65536];	/* conn_env's: one IP packet's payload */
};

void
plainsight_config_init(struct plainsight_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pop3_ports[0] = 110;
	cfg->n_pop3_ports = 1;
	cfg->imap_ports[0] = 143;
	cfg->n_imap_ports = 1;
	cfg->max_flows = FLOWS_DEFAULT;
	cfg->max_buffer = BUFFER_DEFAULT;
	cfg->idle_timeout = IDLE_TIMEOUT_DEFAULT;
}

bool
plainsight_dlt_supported(int dlt)
{
	return link_supported(dlt);
}

static void
release(struct flow *f, enum flow_end why, void *arg)
{
	struct plainsight *ps = arg;
	bool was_busy = ps->budget.is_busy;

	(void)why;
	/* a flow being released is still in the table's lists: what its
	 * last bytes need must not evict flows (it could be picked) */
	ps->budget.is_busy = true;
	conn_end(&ps->cenv, f);
	ps->budget.is_busy = was_busy;
}

/* Flows evicted in one go to free the budget, at most: a budget full of
 * one flow's large buffers needs few, and each is an O(1) eviction. */
#define RECLAIM_FLOWS_MAX 16

/* --max-buffer is full: make room by evicting the least recently active
 * flows being parsed, those that never heard their server first, never
 * the flow whose packet is being handled, so that a flood of stale state
 * cannot keep new connections from being analysed.  True if n bytes now
 * fit. */
static bool
reclaim(void *arg, size_t n)
{
	struct plainsight *ps = arg;
	struct budget *b = &ps->budget;

	for (int i = 0; i < RECLAIM_FLOWS_MAX; i++) {
		if (n <= b->max - b->used)
			return true;
		if (!flow_table_evict_oldest(ps->table, FLOW_CLASS_UNANSWERED,
			ps->current) &&
		    !flow_table_evict_oldest(ps->table, FLOW_CLASS_LIVE,
			ps->current))
			return false;
		ps->stats.v[STAT_CAP_BUFFER_EVICTED]++;
	}
	return n <= b->max - b->used;
}

static bool
set_ports(struct plainsight *ps, const uint16_t *ports, size_t n,
    enum proto p)
{
	if (n > PLAINSIGHT_PORTS_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t *slot = &ps->port_proto[ports[i]];

		if (ports[i] == 0 || (*slot != PROTO_NONE && *slot != p))
			return false;	/* port 0, or in both lists */
		*slot = (uint8_t)p;
	}
	return true;
}

enum status
plainsight_new(const struct plainsight_config *cfg, struct plainsight **out)
{
	struct plainsight *ps;
	enum status st;

	*out = NULL;
	if (cfg->max_flows == 0 || cfg->max_flows > FLOWS_MAX ||
	    cfg->max_buffer < BUFFER_MIN || cfg->idle_timeout == 0)
		return ST_USAGE;
	ps = calloc(1, sizeof(*ps));
	if (ps == NULL)
		return ST_NOMEM;
	ps->cfg = *cfg;
	if (!set_ports(ps, cfg->pop3_ports, cfg->n_pop3_ports, PROTO_POP3) ||
	    !set_ports(ps, cfg->imap_ports, cfg->n_imap_ports, PROTO_IMAP)) {
		st = ST_USAGE;
		goto fail;
	}
	if (cfg->account_key != NULL) {
		st = redact_new(cfg->account_key, cfg->account_key_len,
		    &ps->redact);
		if (st != ST_OK)
			goto fail;
	}
	ps->budget.max = cfg->max_buffer;
	ps->budget.reclaim = reclaim;
	ps->budget.reclaim_arg = ps;
	ps->senv.stats = &ps->stats;
	ps->senv.redact = ps->redact;
	ps->senv.tag_key = hash_key_random();
	ps->senv.emit = cfg->on_event;
	ps->senv.emit_arg = cfg->on_event_arg;

	const uint32_t timeout[FLOW_CLASS_COUNT] = {
		[FLOW_CLASS_CLOSED] = FLOW_CLOSED_TIMEOUT,
		[FLOW_CLASS_IDLE] = FLOW_EMBRYONIC_TIMEOUT,
		[FLOW_CLASS_UNANSWERED] = cfg->idle_timeout,
		[FLOW_CLASS_DONE] = cfg->idle_timeout,
		[FLOW_CLASS_LIVE] = cfg->idle_timeout,
	};

	ps->table = flow_table_new(cfg->max_flows, timeout, release, ps,
	    &ps->stats);
	ps->defrag = defrag_new(&ps->budget, &ps->stats);
	if (ps->table == NULL || ps->defrag == NULL) {
		st = ST_NOMEM;
		goto fail;
	}
	ps->cenv.stats = &ps->stats;
	ps->cenv.budget = &ps->budget;
	ps->cenv.session = &ps->senv;
	ps->cenv.session_pool = &ps->session_pool;
	ps->cenv.recent_pool = &ps->recent_pool;
	ps->cenv.table = ps->table;
	ps->cenv.scratch = ps->scratch;
	ps->cenv.scratch_max = sizeof(ps->scratch);
	ps->clock = INT64_MIN;
	ps->expired_at = INT64_MIN;
	*out = ps;
	return ST_OK;
fail:
	plainsight_free(ps);
	return st;
}

void
plainsight_free(struct plainsight *ps)
{
	if (ps == NULL)
		return;
	if (ps->table != NULL) {
		/* drop without reporting: plainsight_finish() reports */
		ps->senv.emit = NULL;
		flow_table_drain(ps->table);
		flow_table_free(ps->table);
	}
	pool_drain(&ps->session_pool);
	pool_drain(&ps->recent_pool);
	defrag_free(ps->defrag);
	redact_free(ps->redact);
	free(ps);
}

static __attribute__((noinline)) void
expire_now(struct plainsight *ps)
{
	ps->expired_at = ps->clock;
	flow_table_expire(ps->table, ps->clock);
	defrag_expire(ps->defrag, ps->clock);
}

/* Once a second of capture time, expiry; inline, because every packet
 * comes here and all but one a second leave at once. */
static inline void
advance_clock(struct plainsight *ps, struct event_time now)
{
	/* time may step back between files or in a disordered capture:
	 * flows age on the latest time seen */
	if (now.sec > ps->clock)
		ps->clock = now.sec;
	if (ps->clock != ps->expired_at)
		expire_now(ps);
}

static void analyse(struct plainsight *ps, int dlt, struct event_time ts,
    uint8_t *data, size_t caplen, bool is_reassembled);

/* A fragment: kept until its datagram is whole, then analysed as one
 * packet.  Its data may be a client's bytes: wiped once copied. */
static void
fragment(struct plainsight *ps, const struct pkt_view *pv,
    struct event_time ts, uint8_t *data, size_t caplen,
    bool is_reassembled)
{
	uint8_t *whole;
	size_t len;

	if (is_reassembled) {
		/* fragments inside a rebuilt datagram's tunnel: not
		 * followed a second level down */
		ps->stats.v[STAT_CAP_FRAG]++;
		return;
	}
	advance_clock(ps, ts);
	if (defrag_add(ps->defrag, pv, data, ts.sec, &whole, &len)) {
		analyse(ps, DLT_RAW, ts, whole, len, true);
		defrag_done(ps->defrag);
	}
	if (pv->frag.data_off < caplen)
		OPENSSL_cleanse(data + pv->frag.data_off,
		    caplen - pv->frag.data_off);
}

/* The first half of a packet's work: decode, the port check (most
 * traffic stops here), the flow key and its hash.  It reads only what
 * plainsight_new() set (see prepared.h). */
static void
prepare(const struct plainsight *ps, int dlt, const uint8_t *data,
    size_t caplen, struct prepared *p)
{
	bool is_swapped;

	p->st = link_decode(dlt, data, caplen, &p->pv);
	if (p->st == STAT_IPV4_FRAGMENT || p->st == STAT_IPV6_FRAGMENT) {
		p->need = PREPARED_FRAME;
		return;
	}
	p->need = PREPARED_NONE;
	if (p->st != DECODE_OK)
		return;
	/* in locals first: tested from p, the two bytes just stored would
	 * be read back as one word, which the store buffer cannot forward */
	uint8_t sproto = ps->port_proto[p->pv.sport];
	uint8_t dproto = ps->port_proto[p->pv.dport];

	p->sproto = sproto;
	p->dproto = dproto;
	if (sproto == PROTO_NONE && dproto == PROTO_NONE) {
		p->st = STAT_TCP_OTHER_PORT;
		return;
	}
	flow_table_key(&p->key, p->pv.family, p->pv.src, p->pv.sport,
	    p->pv.dst, p->pv.dport, &is_swapped);
	p->src = is_swapped ? 1u : 0u;
	p->hash = flow_table_hash(ps->table, &p->key);
	p->need = PREPARED_PAYLOAD;
}

/* The second half, for a TCP packet to or from a mail port: its flow,
 * then the connection's TCP and protocol work. */
static void
deliver(struct plainsight *ps, struct event_time ts, const struct prepared *p,
    uint8_t *payload)
{
	const struct pkt_view *pv = &p->pv;

	if (pv->payload_caplen < pv->payload_len)
		ps->stats.v[STAT_IP_TRUNCATED]++;
	ps->cenv.now = ts;
	advance_clock(ps, ts);

	unsigned src = p->src;
	struct flow *f = flow_table_lookup_hashed(ps->table, &p->key, p->hash);

	if (f == NULL) {
		/* only a SYN or data can tell us anything: a stray ACK,
		 * FIN or RST does not start a flow */
		if (!(pv->flags & TCP_SYN) && pv->payload_len == 0)
			return;
		if (pv->flags & TCP_RST)
			return;
		f = flow_table_insert_hashed(ps->table, &p->key, p->hash,
		    ts.sec);
		ps->stats.v[STAT_FLOWS]++;
		/* The client connects to the mail port: the SYN's sender,
		 * the SYN-ACK's receiver, else the side whose port is not
		 * a mail port (the destination, if both are). */
		bool is_src_client;

		if ((pv->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
			is_src_client = true;
		else if ((pv->flags & (TCP_SYN | TCP_ACK)) ==
		    (TCP_SYN | TCP_ACK))
			is_src_client = false;
		else
			is_src_client = p->dproto != PROTO_NONE;
		f->client = (uint8_t)(is_src_client ? src : 1u - src);
		f->proto = is_src_client ? p->dproto : p->sproto;
		if (f->proto == PROTO_NONE) {
			/* a SYN from the mail port to elsewhere: the
			 * client role goes to the mail port's peer */
			f->client = (uint8_t)(1u - f->client);
			f->proto = is_src_client ? p->sproto : p->dproto;
		}
	} else {
		flow_table_touch(ps->table, f, ts.sec);
	}
	enum dir d = src == f->client ? DIR_C2S : DIR_S2C;

	ps->current = f;
	conn_packet(&ps->cenv, f, d, pv, payload);
	ps->current = NULL;
	/* the client's bytes to a mail port may hold a credential: no
	 * copy outlives the packet */
	if (d == DIR_C2S && pv->payload_caplen > 0)
		OPENSSL_cleanse(payload, pv->payload_caplen);
}

/* The second half of any prepared packet; bytes as prepared.h says. */
static void
finish(struct plainsight *ps, struct event_time ts, const struct prepared *p,
    uint8_t *bytes, size_t caplen, bool is_reassembled)
{
	switch (p->need) {
	case PREPARED_PAYLOAD:
		deliver(ps, ts, p, bytes);
		break;
	case PREPARED_FRAME:
		ps->stats.v[p->st]++;
		fragment(ps, &p->pv, ts, bytes, caplen, is_reassembled);
		break;
	case PREPARED_NONE:
		ps->stats.v[p->st]++;
		break;
	}
}

static void
analyse(struct plainsight *ps, int dlt, struct event_time ts, uint8_t *data,
    size_t caplen, bool is_reassembled)
{
	struct prepared p;

	prepare(ps, dlt, data, caplen, &p);
	finish(ps, ts, &p,
	    p.need == PREPARED_PAYLOAD ? data + p.pv.payload_off : data,
	    caplen, is_reassembled);
}

void
plainsight_packet(struct plainsight *ps, int dlt,
    const struct plainsight_pkt *pkt, uint8_t *data)
{
	ps->stats.v[STAT_PACKETS]++;
	ps->stats.v[STAT_BYTES] += pkt->wirelen;
	analyse(ps, dlt, pkt->ts, data, pkt->caplen, false);
}

void
plainsight_prepare(const struct plainsight *ps, int dlt,
    const struct plainsight_pkt *pkt, const uint8_t *data,
    struct prepared *p)
{
	p->pkt = *pkt;
	prepare(ps, dlt, data, pkt->caplen, p);
}

void
plainsight_count_stopped(struct stats *s, const struct prepared *p)
{
	s->v[STAT_PACKETS]++;
	s->v[STAT_BYTES] += p->pkt.wirelen;
	s->v[p->st]++;
}

void
plainsight_packet_prepared(struct plainsight *ps, const struct prepared *p,
    uint8_t *bytes)
{
	ps->stats.v[STAT_PACKETS]++;
	ps->stats.v[STAT_BYTES] += p->pkt.wirelen;
	finish(ps, p->pkt.ts, p, bytes, p->pkt.caplen, false);
}

void
plainsight_add_stats(struct plainsight *ps, const struct stats *s)
{
	for (size_t i = 0; i < STAT_COUNT; i++)
		ps->stats.v[i] += s->v[i];
}

void
plainsight_finish(struct plainsight *ps)
{
	flow_table_drain(ps->table);
}

void
plainsight_expire(struct plainsight *ps, struct event_time now)
{
	ps->cenv.now = now;
	advance_clock(ps, now);
}

const struct stats *
plainsight_stats(const struct plainsight *ps)
{
	return &ps->stats;
}
