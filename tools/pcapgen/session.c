/* session.c: TCP connections as a scenario drives them (see session.h).
 *
 * The model is deliberately simple: each end has a next sequence number
 * that grows by what it sends (SYN and FIN count one), every packet but the
 * first SYN acknowledges everything the peer has sent so far, and nothing
 * checks TCP states, so a scenario may send data after a FIN or RST when a
 * test wants that.  Packets "lost in the capture" (drop, oneway, handshake
 * nosynack) still move sequence numbers, IP IDs and TCP timestamps, exactly
 * as if they had been on the wire and the capture had missed them.
 *
 * Determinism: ISNs, MACs, IP IDs and timestamp bases come from the
 * connection's name and addresses, time from the scenario's clock.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

/* pcap stores whole seconds in 32 bits: 2106-02-07T06:28:15Z is the end */
#define SESSION_TS_MAX_NS ((uint64_t)UINT32_MAX * 1000000000u + 999999999u)
/* 2026-01-01T00:00:00Z, the default start */
#define SESSION_START_DEFAULT_NS (1767225600ull * 1000000000u)
#define SESSION_WINDOW_DEFAULT   65535u
#define SESSION_MSS_DEFAULT      1460u
#define SESSION_WSCALE           7u /* what Linux advertises with 64 KiB rmem */
/* a frame is at most an IP packet of 64 KiB plus a link header */
#define SESSION_FRAME_MAX (128u * 1024u)

/* a segment about to be sent */
struct seg {
	enum dir d;
	uint8_t flags;
	uint16_t urg_ptr; /* with PACKET_TCP_URG */
	uint32_t seq;
	uint16_t ip_id;
	uint32_t tsval;
	const uint8_t *payload;
	size_t len;
};

/* where one segment of a data directive sits, and what to do with it */
struct plan {
	uint32_t off;
	uint32_t len;
	bool is_dropped;
	bool is_dup;
	bool is_ordered; /* already listed by order */
};

__attribute__((format(printf, 3, 4))) static enum status
fail(struct session *s, enum status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return st;
}

static enum dir
peer_of(enum dir d)
{
	return d == DIR_C2S ? DIR_S2C : DIR_C2S;
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* FNV-1a over tag then name: stable, and different per tag */
static uint32_t
fnv1a(const char *tag, const char *name)
{
	uint32_t h = 2166136261u;

	for (const char *p = tag; *p != '\0'; p++) {
		h ^= (uint8_t)*p;
		h *= 16777619u;
	}
	for (const char *p = name; *p != '\0'; p++) {
		h ^= (uint8_t)*p;
		h *= 16777619u;
	}
	return h;
}

enum status
session_init(struct session *s)
{
	memset(s, 0, sizeof *s);
	capfile_init(&s->cf, CAPFILE_PCAP,
	    packet_link_dlt(PACKET_LINK_ETHERNET), PCAPGEN_SNAPLEN_MAX);
	dbuf_init(&s->frame, SESSION_FRAME_MAX);
	dbuf_init(&s->segment, SESSION_FRAME_MAX);
	s->start_ns = SESSION_START_DEFAULT_NS;
	s->step_ns = 1000000; /* 1 ms */
	s->conns = calloc(PCAPGEN_CONN_MAX, sizeof *s->conns);
	if (s->conns == NULL)
		return fail(s, ST_NOMEM, "out of memory");
	return packet_builder_init(&s->pb, s->err, sizeof s->err);
}

void
session_free(struct session *s)
{
	packet_builder_free(&s->pb);
	capfile_free(&s->cf);
	dbuf_free(&s->frame);
	dbuf_free(&s->segment);
	free(s->conns);
	s->conns = NULL;
	s->nconns = 0;
	s->cur = NULL;
}

void
session_mods_init(struct session_mods *m)
{
	memset(m, 0, sizeof *m);
	dbuf_init(&m->bytes, PCAPGEN_DATA_MAX);
}

void
session_mods_clear(struct session_mods *m)
{
	dbuf_free(&m->bytes);
	session_mods_init(m);
}

void
session_conn_defaults(struct session_conn *c)
{
	static const char *const role[DIR_COUNT] = {
	    [DIR_C2S] = "client", [DIR_S2C] = "server"};
	/* the low 32 bits of the address: all of IPv4, the end of IPv6 */
	size_t low = c->is_ipv6 ? 12 : 0;
	char tag[32];

	c->mss = SESSION_MSS_DEFAULT;
	for (size_t d = 0; d < DIR_COUNT; d++) {
		struct session_end *e = &c->end[d];
		snprintf(tag, sizeof tag, "isn/%s/", role[d]);
		e->isn = fnv1a(tag, c->name);
		e->nxt = e->isn + 1;
		snprintf(tag, sizeof tag, "ipid/%s/", role[d]);
		e->ip_id = (uint16_t)fnv1a(tag, c->name);
		snprintf(tag, sizeof tag, "fragid/%s/", role[d]);
		e->frag_id_base = fnv1a(tag, c->name);
		snprintf(tag, sizeof tag, "ts/%s/", role[d]);
		e->ts_base = fnv1a(tag, c->name);
		e->ts_last = 0;
		e->window = SESSION_WINDOW_DEFAULT;
		e->mac[0] = 0x02; /* locally administered, unicast */
		e->mac[1] = 0x00;
		memcpy(e->mac + 2, e->ip + low, 4);
		e->is_hidden = false;
	}
}

enum status
session_conn_add(struct session *s, const struct session_conn *c)
{
	if (s->nconns == PCAPGEN_CONN_MAX)
		return fail(
		    s, ST_TOOBIG, "more than %u connections", PCAPGEN_CONN_MAX);
	s->conns[s->nconns] = *c;
	s->cur = &s->conns[s->nconns];
	s->nconns++;
	return ST_OK;
}

struct session_conn *
session_conn_find(struct session *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->nconns; i++) {
		const char *n = s->conns[i].name;
		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return &s->conns[i];
	}
	return NULL;
}

void
session_wait(struct session *s, uint64_t ns)
{
	s->elapsed_ns = sat_add(s->elapsed_ns, ns);
}

/* RFC 7323 TSval: a millisecond clock with a per-end random-looking base */
static uint32_t
ts_now(const struct session *s, const struct session_end *e)
{
	return e->ts_base + (uint32_t)(s->elapsed_ns / 1000000u);
}

/* TCP options of a segment: MSS on SYNs; with tcp-options the Linux set
 * (MSS, SACK-permitted, timestamps, NOP, window scale) on SYNs and
 * NOP NOP timestamps on every other segment.  Returns the length. */
static size_t
tcp_options(const struct session_conn *c, bool is_syn, uint32_t tsval,
    uint32_t tsecr, uint8_t o[PACKET_TCP_OPT_MAX])
{
	size_t n = 0;

	if (is_syn) {
		o[n++] = 2; /* MSS */
		o[n++] = 4;
		o[n++] = (uint8_t)(c->mss >> 8);
		o[n++] = (uint8_t)c->mss;
	}
	if (!c->has_tcp_options)
		return n;
	if (is_syn) {
		o[n++] = 4; /* SACK permitted */
		o[n++] = 2;
	} else {
		o[n++] = 1; /* NOP, NOP: align the timestamps */
		o[n++] = 1;
	}
	o[n++] = 8; /* timestamps */
	o[n++] = 10;
	for (size_t i = 0; i < 4; i++)
		o[n++] = (uint8_t)(tsval >> (24 - 8 * i));
	for (size_t i = 0; i < 4; i++)
		o[n++] = (uint8_t)(tsecr >> (24 - 8 * i));
	if (is_syn) {
		o[n++] = 1; /* NOP */
		o[n++] = 3; /* window scale */
		o[n++] = 3;
		o[n++] = SESSION_WSCALE;
	}
	assert(n % 4 == 0 && n <= PACKET_TCP_OPT_MAX);
	return n;
}

/* the frame built last goes into the capture at the clock's time */
static enum status
write_frame(struct session *s)
{
	if (s->elapsed_ns > SESSION_TS_MAX_NS - s->start_ns)
		return fail(s, ST_BAD,
		    "the clock is past 2106-02-07T06:28:15Z, "
		    "the last time a pcap file can hold");
	enum status st = capfile_add(
	    &s->cf, s->start_ns + s->elapsed_ns, s->frame.p, s->frame.len);
	if (st == ST_TOOBIG)
		return fail(s, st, "the capture grows past %u bytes of packets",
		    PCAPGEN_OUTPUT_MAX);
	if (st != ST_OK)
		return fail(s, st, "out of memory");
	s->elapsed_ns = sat_add(s->elapsed_ns, s->step_ns);
	return ST_OK;
}

/* Write the packet ps as IP fragments of fm->frag_size bytes, in
 * fm's fragment order, each `copies` times, with fm's overlapping
 * fragments after the fragment they start in.  The fragments share the
 * segment's IP ID (IPv6: the end's fragment ID base plus it). */
static enum status
send_fragments(struct session *s, const struct session_end *e,
    const struct packet_spec *ps, size_t copies, const struct session_mods *fm)
{
	enum status st =
	    packet_segment(&s->pb, ps, &s->segment, s->err, sizeof s->err);
	if (st != ST_OK)
		return st;
	size_t total = s->segment.len;
	size_t size = fm->frag_size;
	size_t nfrag = (total + size - 1) / size;
	uint32_t id = ps->is_ipv6 ? e->frag_id_base + ps->ip_id : ps->ip_id;

	if (fm->has_frag_order && fm->nfrag_order != nfrag)
		return fail(s, ST_BAD,
		    "fragment: order lists %zu fragment(s), but the segment "
		    "at sequence number %u is %zu bytes of IP payload: %zu "
		    "fragment(s) of %zu bytes",
		    fm->nfrag_order, ps->seq, total, nfrag, size);
	for (size_t v = 0; v < fm->noverlap; v++) {
		const struct session_overlap *o = &fm->overlap[v];
		size_t at = (size_t)o->index * size + o->at;
		if (o->index >= nfrag)
			return fail(s, ST_BAD,
			    "fragment: overlap %u: there is no fragment %u: "
			    "the segment at sequence number %u makes %zu "
			    "fragment(s), numbered from 0",
			    o->index, o->index, ps->seq, nfrag);
		if (at + o->len > total)
			return fail(s, ST_BAD,
			    "fragment: overlap %u: %zu bytes at offset %zu go "
			    "past the %zu bytes of IP payload",
			    o->index, o->len, at, total);
		/* every fragment but the last carries a multiple of 8 */
		if (at + o->len < total && o->len % 8 != 0)
			return fail(s, ST_BAD,
			    "fragment: overlap %u: %zu bytes is not a multiple "
			    "of 8, and the fragment does not end the packet",
			    o->index, o->len);
	}
	for (size_t k = 0; k < nfrag && st == ST_OK; k++) {
		size_t i = fm->has_frag_order ? fm->frag_order[k] : k;
		size_t off = i * size;
		struct packet_frag fr = {
		    .id = id,
		    .offset = (uint32_t)off,
		    .has_more = off + size < total,
		    .data = s->segment.p + off,
		    .len = off + size < total ? size : total - off,
		};
		st = packet_build_fragment(
		    &s->pb, ps, &fr, &s->frame, s->err, sizeof s->err);
		for (size_t n = 0; n < copies && st == ST_OK; n++)
			st = write_frame(s);
		for (size_t v = 0; v < fm->noverlap && st == ST_OK; v++) {
			const struct session_overlap *o = &fm->overlap[v];
			if (o->index != i)
				continue;
			struct packet_frag ov = {
			    .id = id,
			    .offset = (uint32_t)(off + o->at),
			    .has_more = off + o->at + o->len < total,
			    .data = fm->bytes.p + o->off,
			    .len = o->len,
			};
			st = packet_build_fragment(
			    &s->pb, ps, &ov, &s->frame, s->err, sizeof s->err);
			for (size_t n = 0; n < copies && st == ST_OK; n++)
				st = write_frame(s);
		}
	}
	return st;
}

/* Send g on c: account for it as sent, and unless its end is hidden,
 * build it once and write it `copies` times (0: lost in the capture);
 * as IP fragments if fm asks for them (fm may be NULL). */
static enum status
send_seg(struct session *s, struct session_conn *c, const struct seg *g,
    size_t copies, const struct session_mods *fm)
{
	struct session_end *e = &c->end[g->d];
	const struct session_end *peer = &c->end[peer_of(g->d)];
	bool is_syn = (g->flags & PACKET_TCP_SYN) != 0;
	bool has_ack = (g->flags & PACKET_TCP_ACK) != 0;
	struct packet_spec ps;

	memset(&ps, 0, sizeof ps);
	ps.is_ipv6 = c->is_ipv6;
	/* the capture point is the server (Linux cooked captures) */
	ps.is_outgoing = g->d == DIR_S2C;
	memcpy(ps.src_ip, e->ip, sizeof ps.src_ip);
	memcpy(ps.dst_ip, peer->ip, sizeof ps.dst_ip);
	memcpy(ps.src_mac, e->mac, sizeof ps.src_mac);
	memcpy(ps.dst_mac, peer->mac, sizeof ps.dst_mac);
	ps.sport = e->port;
	ps.dport = peer->port;
	ps.seq = g->seq;
	ps.ack = has_ack ? peer->nxt : 0;
	ps.flags = g->flags;
	ps.window = e->window;
	ps.urg_ptr = g->urg_ptr;
	ps.ip_id = g->ip_id;
	ps.opt_len = tcp_options(
	    c, is_syn, g->tsval, has_ack ? peer->ts_last : 0, ps.opts);
	ps.payload = g->payload;
	ps.payload_len = g->len;
	e->ts_last = g->tsval;

	if (copies == 0 || e->is_hidden)
		return ST_OK;
	if (fm != NULL && fm->has_frag)
		return send_fragments(s, e, &ps, copies, fm);
	enum status st =
	    packet_build(&s->pb, &ps, &s->frame, s->err, sizeof s->err);
	for (size_t i = 0; i < copies && st == ST_OK; i++)
		st = write_frame(s);
	return st;
}

static enum status
need_started(struct session *s)
{
	if (!s->cur->is_started)
		return fail(s, ST_BAD,
		    "connection '%s' has not started: use "
		    "handshake, syn or midstream first",
		    s->cur->name);
	return ST_OK;
}

enum status
session_syn(struct session *s, const uint8_t *data, size_t len)
{
	struct session_conn *c = s->cur;
	struct session_end *e = &c->end[DIR_C2S];
	struct seg g = {
	    .d = DIR_C2S,
	    .flags = PACKET_TCP_SYN,
	    .seq = e->isn,
	    .ip_id = e->ip_id++,
	    .tsval = ts_now(s, e),
	    .payload = data,
	    .len = len,
	};

	c->is_started = true;
	e->nxt = e->isn + 1 + (uint32_t)len;
	return send_seg(s, c, &g, 1, NULL);
}

enum status
session_synack(struct session *s, bool is_shown)
{
	enum status st = need_started(s);
	if (st != ST_OK)
		return st;
	struct session_conn *c = s->cur;
	struct session_end *e = &c->end[DIR_S2C];
	struct seg g = {
	    .d = DIR_S2C,
	    .flags = PACKET_TCP_SYN | PACKET_TCP_ACK,
	    .seq = e->isn,
	    .ip_id = e->ip_id++,
	    .tsval = ts_now(s, e),
	};

	e->nxt = e->isn + 1;
	return send_seg(s, c, &g, is_shown ? 1 : 0, NULL);
}

enum status
session_handshake(struct session *s, bool has_synack)
{
	enum status st = session_syn(s, NULL, 0);
	if (st == ST_OK)
		st = session_synack(s, has_synack);
	if (st == ST_OK)
		st = session_ack(s, DIR_C2S);
	return st;
}

/* a segment without data: pure ACK, FIN or RST */
static enum status
send_control(struct session *s, enum dir d, uint8_t flags, uint32_t delta)
{
	enum status st = need_started(s);
	if (st != ST_OK)
		return st;
	struct session_conn *c = s->cur;
	struct session_end *e = &c->end[d];
	struct seg g = {
	    .d = d,
	    .flags = flags,
	    .seq = e->nxt + delta,
	    .ip_id = e->ip_id++,
	    .tsval = ts_now(s, e),
	};

	if (flags & PACKET_TCP_FIN)
		e->nxt++; /* FIN takes a sequence number */
	return send_seg(s, c, &g, 1, NULL);
}

enum status
session_ack(struct session *s, enum dir d)
{
	return send_control(s, d, PACKET_TCP_ACK, 0);
}

enum status
session_fin(struct session *s, enum dir d)
{
	return send_control(s, d, PACKET_TCP_FIN | PACKET_TCP_ACK, 0);
}

enum status
session_rst(struct session *s, enum dir d, uint32_t delta)
{
	return send_control(s, d, PACKET_TCP_RST | PACKET_TCP_ACK, delta);
}

/* one byte at seq that does not move the sender's next sequence number */
static enum status
send_one_byte(struct session *s, enum dir d, uint32_t seq, uint8_t byte)
{
	enum status st = need_started(s);
	if (st != ST_OK)
		return st;
	struct session_conn *c = s->cur;
	struct session_end *e = &c->end[d];
	struct seg g = {
	    .d = d,
	    .flags = PACKET_TCP_ACK,
	    .seq = seq,
	    .ip_id = e->ip_id++,
	    .tsval = ts_now(s, e),
	    .payload = &byte,
	    .len = 1,
	};

	return send_seg(s, c, &g, 1, NULL);
}

enum status
session_keepalive(struct session *s, enum dir d)
{
	/* RFC 9293 sec. 3.8.4: SEG.SEQ = SND.NXT-1, with one garbage octet
	 * for old receivers; the byte is already acknowledged, so the peer
	 * only answers with an ACK */
	return send_one_byte(s, d, s->cur->end[d].nxt - 1, 0x00);
}

enum status
session_zero_window(struct session *s, enum dir d)
{
	enum status st = need_started(s);
	if (st != ST_OK)
		return st;
	s->cur->end[d].window = 0;
	return session_ack(s, d);
}

enum status
session_window_probe(struct session *s, enum dir d, uint8_t byte)
{
	/* RFC 9293 sec. 3.8.6.1: a sender facing a zero window sends one
	 * octet of new data; the receiver cannot take it, so the byte is
	 * still to be sent and the next data starts at the same number */
	return send_one_byte(s, d, s->cur->end[d].nxt, byte);
}

enum status
session_close(struct session *s)
{
	enum status st = session_fin(s, DIR_C2S);
	if (st == ST_OK)
		st = session_fin(s, DIR_S2C);
	if (st == ST_OK)
		st = session_ack(s, DIR_C2S);
	return st;
}

/* Number of segments len bytes become: cut at the split offsets, then
 * at mss inside each piece.  ST_BAD if the offsets do not fit the data. */
static enum status
count_segments(
    struct session *s, size_t len, const struct session_mods *m, size_t *nseg)
{
	size_t mss = s->cur->mss;
	size_t prev = 0;

	*nseg = 0;
	for (size_t i = 0; i <= m->nsplit; i++) {
		size_t end = i < m->nsplit ? m->split[i] : len;
		if (i < m->nsplit && end >= len)
			return fail(s, ST_BAD,
			    "split: offset %zu is not inside "
			    "the %zu bytes of data (1..%zu)",
			    end, len, len - 1);
		assert(end > prev); /* the parser checked the order */
		*nseg += (end - prev + mss - 1) / mss;
		prev = end;
	}
	if (*nseg > PCAPGEN_SEG_MAX)
		return fail(s, ST_TOOBIG,
		    "the data makes %zu segments, more than %u", *nseg,
		    PCAPGEN_SEG_MAX);
	return ST_OK;
}

static void
fill_plan(
    struct plan *plan, size_t len, size_t mss, const struct session_mods *m)
{
	size_t k = 0;
	size_t prev = 0;

	for (size_t i = 0; i <= m->nsplit; i++) {
		size_t end = i < m->nsplit ? m->split[i] : len;
		for (size_t off = prev; off < end; off += mss) {
			size_t n = end - off < mss ? end - off : mss;
			plan[k].off = (uint32_t)off;
			plan[k].len = (uint32_t)n;
			k++;
		}
		prev = end;
	}
}

static enum status
no_segment(struct session *s, const char *what, uint32_t x, size_t nseg)
{
	return fail(s, ST_BAD,
	    "%s: there is no segment %u: the data has %zu "
	    "segment(s), numbered from 0",
	    what, x, nseg);
}

/* check that every index in m names one of the nseg segments, and mark
 * the plan with them */
static enum status
apply_mods(struct session *s, struct plan *plan, size_t nseg,
    const struct session_mods *m)
{
	for (size_t i = 0; i < m->ndrop; i++) {
		uint32_t x = m->drop[i];
		if (x >= nseg)
			return no_segment(s, "drop", x, nseg);
		if (plan[x].is_dropped)
			return fail(
			    s, ST_BAD, "drop: segment %u listed twice", x);
		plan[x].is_dropped = true;
	}
	for (size_t i = 0; i < m->ndup; i++) {
		uint32_t x = m->dup[i];
		if (x >= nseg)
			return no_segment(s, "dup", x, nseg);
		if (plan[x].is_dup)
			return fail(
			    s, ST_BAD, "dup: segment %u listed twice", x);
		/* a duplicate of a packet the capture missed means nothing */
		if (plan[x].is_dropped)
			return fail(s, ST_BAD,
			    "segment %u is both dropped and duplicated", x);
		plan[x].is_dup = true;
	}
	if (m->has_order) {
		if (m->norder != nseg)
			return fail(s, ST_BAD,
			    "order lists %zu segment(s), but the data has %zu",
			    m->norder, nseg);
		for (size_t i = 0; i < m->norder; i++) {
			uint32_t x = m->order[i];
			if (x >= nseg || plan[x].is_ordered)
				return fail(s, ST_BAD,
				    "order is not a permutation of 0..%zu",
				    nseg - 1);
			plan[x].is_ordered = true;
		}
	}
	for (size_t i = 0; i < m->nretx; i++)
		if (m->retx[i].index >= nseg)
			return no_segment(
			    s, "retransmit", m->retx[i].index, nseg);
	return ST_OK;
}

/* URG and the urgent pointer of a segment at seq, for data that started
 * at base: RFC 6093 reading (BSD, Linux), the pointer is the offset of the
 * byte after the urgent data; segments from that byte on carry no URG. */
static void
set_urgent(struct seg *g, const struct session_mods *m, uint32_t base)
{
	uint32_t urg_seq = base + m->urgent;
	uint32_t dist = urg_seq - g->seq;

	if (!m->has_urgent || dist == 0 || dist > 0x7fffffffu)
		return; /* no urgent data, or the segment is past it */
	g->flags |= PACKET_TCP_URG;
	g->urg_ptr = (uint16_t)(dist > UINT16_MAX ? UINT16_MAX : dist);
}

enum status
session_data(struct session *s, enum dir d, const uint8_t *data, size_t len,
    const struct session_mods *m)
{
	struct session_conn *c = s->cur;
	struct session_end *e = &c->end[d];
	struct plan *plan = NULL;
	size_t nseg = 0;

	/* the parser refuses empty data; an empty plan would be calloc(0) */
	if (len == 0 || len > PCAPGEN_DATA_MAX)
		return fail(
		    s, ST_BAD, "data must have 1..%u bytes", PCAPGEN_DATA_MAX);
	enum status st = need_started(s);
	if (st == ST_OK)
		st = count_segments(s, len, m, &nseg);
	if (st != ST_OK)
		return st;
	assert(nseg > 0); /* len > 0 makes at least one segment */
	plan = calloc(nseg, sizeof *plan);
	if (plan == NULL)
		return fail(s, ST_NOMEM, "out of memory");
	fill_plan(plan, len, c->mss, m);
	st = apply_mods(s, plan, nseg, m);
	if (st != ST_OK)
		goto out;

	/* All segments leave in one burst: one TSval, consecutive IP IDs in
	 * sequence order, whatever order the capture shows them in. */
	uint32_t base_seq = e->nxt;
	uint16_t base_id = e->ip_id;
	uint32_t tsval = ts_now(s, e);
	for (size_t k = 0; k < nseg && st == ST_OK; k++) {
		size_t i = m->has_order ? m->order[k] : k;
		struct seg g = {
		    .d = d,
		    .flags = PACKET_TCP_PSH | PACKET_TCP_ACK,
		    .seq = base_seq + plan[i].off,
		    .ip_id = (uint16_t)(base_id + i),
		    .tsval = tsval,
		    .payload = data + plan[i].off,
		    .len = plan[i].len,
		};
		size_t copies = plan[i].is_dropped ? 0 : plan[i].is_dup ? 2 : 1;
		set_urgent(&g, m, base_seq);
		st = send_seg(s, c, &g, copies, m);
	}
	e->nxt = base_seq + (uint32_t)len;
	e->ip_id = (uint16_t)(base_id + nseg);

	/* Retransmissions come later: new IP ID and TSval, same sequence
	 * number, and the original bytes unless the scenario gave others. */
	for (size_t r = 0; r < m->nretx && st == ST_OK; r++) {
		const struct session_retx *x = &m->retx[r];
		const struct plan *p = &plan[x->index];
		struct seg g = {
		    .d = d,
		    .flags = PACKET_TCP_PSH | PACKET_TCP_ACK,
		    .seq = base_seq + p->off,
		    .ip_id = e->ip_id++,
		    .tsval = ts_now(s, e),
		    .payload =
		        x->has_bytes ? m->bytes.p + x->off : data + p->off,
		    .len = x->has_bytes ? x->len : p->len,
		};
		set_urgent(&g, m, base_seq);
		st = send_seg(s, c, &g, 1, m);
	}
out:
	free(plan);
	return st;
}
