/* conv.c: a TCP connection's script played out as packets (see conv.h). */
#include "conv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_TEXT_LINES 840u	/* 65520 bytes */
#define POOL_TLS_RECORDS 47u	/* 65800 bytes */
#define POOL_RANDOM_LEN 65536u

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static uint8_t *
pool_new(struct conv_pools *pools, enum conv_fill fill, uint32_t len)
{
	uint8_t *p = malloc(2u * (size_t)len);

	pools->data[fill] = p;
	pools->len[fill] = len;
	return p;
}

bool
conv_pools_init(struct conv_pools *pools, struct rng *rng)
{
	memset(pools, 0, sizeof(*pools));
	uint8_t *t = pool_new(pools, CONV_FILL_TEXT,
	    POOL_TEXT_LINES * CONV_TEXT_LINE);
	uint8_t *s = pool_new(pools, CONV_FILL_TLS,
	    POOL_TLS_RECORDS * CONV_TLS_RECORD);
	uint8_t *r = pool_new(pools, CONV_FILL_RANDOM, POOL_RANDOM_LEN);

	if (t == NULL || s == NULL || r == NULL) {
		conv_pools_free(pools);
		return false;
	}
	/* body text: base64-looking lines, never starting with '.', so a
	 * POP3 multi-line answer ends only where the script ends it */
	for (uint32_t i = 0; i < POOL_TEXT_LINES; i++) {
		uint8_t *line = t + i * CONV_TEXT_LINE;

		for (uint32_t k = 0; k < CONV_TEXT_LINE - 2; k++)
			line[k] = (uint8_t)b64[rng_below(rng, 64)];
		line[CONV_TEXT_LINE - 2] = '\r';
		line[CONV_TEXT_LINE - 1] = '\n';
	}
	for (uint32_t i = 0; i < POOL_TLS_RECORDS; i++) {
		uint8_t *rec = s + i * CONV_TLS_RECORD;
		uint32_t body = CONV_TLS_RECORD - 5;

		rec[0] = 0x17;	/* application data, TLS 1.2 */
		rec[1] = 0x03;
		rec[2] = 0x03;
		rec[3] = (uint8_t)(body >> 8);
		rec[4] = (uint8_t)body;
		for (uint32_t k = 5; k < CONV_TLS_RECORD; k++)
			rec[k] = (uint8_t)rng_next(rng);
	}
	for (uint32_t k = 0; k < POOL_RANDOM_LEN; k++)
		r[k] = (uint8_t)rng_next(rng);
	for (int f = 0; f < CONV_FILL_COUNT; f++)
		memcpy(pools->data[f] + pools->len[f], pools->data[f],
		    pools->len[f]);
	return true;
}

void
conv_pools_free(struct conv_pools *pools)
{
	for (int f = 0; f < CONV_FILL_COUNT; f++) {
		free(pools->data[f]);
		pools->data[f] = NULL;
	}
}

void
conv_reset(struct conv *c, const struct wire_path *path, uint32_t isn_c,
    uint32_t isn_s)
{
	c->path = *path;
	c->isn[CONV_CLIENT] = isn_c;
	c->isn[CONV_SERVER] = isn_s;
	c->next_seq[CONV_CLIENT] = isn_c + 1u;
	c->next_seq[CONV_SERVER] = isn_s + 1u;
	c->ipid[CONV_CLIENT] = (uint16_t)(isn_c >> 7);
	c->ipid[CONV_SERVER] = (uint16_t)(isn_s >> 7);
	c->is_hidden[0] = c->is_hidden[1] = false;
	c->is_overflow = false;
	c->nmsg = 0;
	c->cur = 0;
	c->bulk_left = 0;
	c->pool_pos = 0;
	c->qhead = 0;
	c->qlen = 0;
	c->text_len = 0;
}

static struct conv_msg *
add(struct conv *c, enum conv_op op, unsigned from)
{
	if (c->nmsg == CONV_MSGS_MAX) {
		c->is_overflow = true;
		return NULL;
	}
	struct conv_msg *m = &c->msg[c->nmsg++];

	memset(m, 0, sizeof(*m));
	m->op = (uint8_t)op;
	m->from = (uint8_t)from;
	return m;
}

void
conv_op(struct conv *c, enum conv_op op, unsigned from)
{
	add(c, op, from);
}

void
conv_handshake(struct conv *c)
{
	add(c, CONV_OP_SYN, CONV_CLIENT);
	add(c, CONV_OP_SYNACK, CONV_SERVER);
	add(c, CONV_OP_ACK, CONV_CLIENT);
}

void
conv_close(struct conv *c, unsigned first)
{
	add(c, CONV_OP_FIN, first);
	add(c, CONV_OP_FIN, 1u - first);
	add(c, CONV_OP_ACK, first);
}

void
conv_send(struct conv *c, unsigned from, enum conv_shape shape,
    const uint8_t *p, uint32_t n)
{
	if (n == 0)
		return;
	if (n > CONV_TEXT_MAX - c->text_len) {
		c->is_overflow = true;
		return;
	}
	struct conv_msg *m = add(c, CONV_OP_DATA, from);

	if (m == NULL)
		return;
	memcpy(c->text + c->text_len, p, n);
	m->shape = (uint8_t)shape;
	m->off = c->text_len;
	m->len = n;
	c->text_len += n;
}

void
conv_vsendf(struct conv *c, unsigned from, enum conv_shape shape,
    const char *fmt, va_list ap)
{
	char tmp[CONV_TEXT_MAX];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		c->is_overflow = true;
		return;
	}
	conv_send(c, from, shape, (const uint8_t *)tmp, (uint32_t)n);
}

void
conv_sendf(struct conv *c, unsigned from, enum conv_shape shape,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conv_vsendf(c, from, shape, fmt, ap);
	va_end(ap);
}

void
conv_bulk(struct conv *c, unsigned from, enum conv_fill fill, uint64_t n)
{
	if (n == 0)
		return;
	struct conv_msg *m = add(c, CONV_OP_BULK, from);

	if (m == NULL)
		return;
	m->fill = (uint8_t)fill;
	m->bulk = n;
}

static void
push(struct conv *c, unsigned from, uint8_t flags, const uint8_t *p,
    uint32_t seq, uint32_t n)
{
	struct wire_seg *s = &c->q[c->qlen++];

	s->from = (uint8_t)from;
	s->flags = flags;
	s->seq = seq;
	s->ack = c->next_seq[1u - from];
	s->p = n ? p : NULL;
	s->len = n;
}

static uint32_t
mss_of(const struct conv *c)
{
	return c->path.family == 6 ? WIRE_MSS_V6 : WIRE_MSS_V4;
}

static void
expand_data(struct conv *c, const struct conv_msg *m, struct rng *rng)
{
	const uint8_t *p = c->text + m->off;
	uint32_t n = m->len;
	uint32_t seq = c->next_seq[m->from];
	uint32_t mss = mss_of(c);
	uint8_t ack = (uint8_t)WIRE_ACK;
	uint8_t last = (uint8_t)(WIRE_ACK | WIRE_PSH);
	enum conv_shape shape = (enum conv_shape)m->shape;

	if (n > mss || (n < 3 && shape != CONV_RETRANS))
		shape = CONV_WHOLE;
	switch (shape) {
	case CONV_SPLIT: {
		uint32_t a = rng_range(rng, 1, n - 2);
		uint32_t b = rng_percent(rng, 50) ? rng_range(rng, a + 1, n - 1)
						  : n;

		push(c, m->from, ack, p, seq, a);
		push(c, m->from, b == n ? last : ack, p + a, seq + a, b - a);
		if (b < n)
			push(c, m->from, last, p + b, seq + b, n - b);
		break;
	}
	case CONV_REORDER: {
		uint32_t a = rng_range(rng, 1, n - 1);

		push(c, m->from, last, p + a, seq + a, n - a);
		push(c, m->from, ack, p, seq, a);
		break;
	}
	case CONV_RETRANS:
		push(c, m->from, last, p, seq, n);
		push(c, m->from, last, p, seq, n);
		break;
	case CONV_WHOLE:
	case CONV_SHAPE_COUNT:
		for (uint32_t off = 0; off < n; off += mss) {
			uint32_t k = n - off < mss ? n - off : mss;

			push(c, m->from, off + k == n ? last : ack, p + off,
			    seq + off, k);
		}
		break;
	}
	c->next_seq[m->from] += n;
}

/* Two full segments of a bulk transfer and the receiver's ACK. */
static void
expand_bulk(struct conv *c, const struct conv_msg *m,
    const struct conv_pools *pools)
{
	uint32_t mss = mss_of(c);
	const uint8_t *pool = pools->data[m->fill];
	uint32_t pool_len = pools->len[m->fill];

	for (int i = 0; i < 2 && c->bulk_left > 0; i++) {
		uint32_t n = c->bulk_left < mss ? (uint32_t)c->bulk_left : mss;
		uint8_t fl = (uint8_t)(WIRE_ACK |
		    (c->bulk_left == n ? WIRE_PSH : 0u));

		push(c, m->from, fl, pool + c->pool_pos, c->next_seq[m->from],
		    n);
		c->pool_pos = (c->pool_pos + n) % pool_len;
		c->next_seq[m->from] += n;
		c->bulk_left -= n;
	}
	unsigned to = 1u - m->from;

	push(c, to, (uint8_t)WIRE_ACK, NULL, c->next_seq[to], 0);
}

/* Fill the queue from the next message; false when the script is over. */
static bool
expand(struct conv *c, const struct conv_pools *pools, struct rng *rng)
{
	c->qhead = 0;
	c->qlen = 0;
	while (c->qlen == 0 && c->cur < c->nmsg) {
		const struct conv_msg *m = &c->msg[c->cur];
		unsigned from = m->from;

		switch ((enum conv_op)m->op) {
		case CONV_OP_SYN:
			push(c, CONV_CLIENT, (uint8_t)WIRE_SYN, NULL,
			    c->isn[CONV_CLIENT], 0);
			c->next_seq[CONV_CLIENT] = c->isn[CONV_CLIENT] + 1u;
			break;
		case CONV_OP_SYNACK:
			push(c, CONV_SERVER, (uint8_t)(WIRE_SYN | WIRE_ACK),
			    NULL, c->isn[CONV_SERVER], 0);
			c->next_seq[CONV_SERVER] = c->isn[CONV_SERVER] + 1u;
			break;
		case CONV_OP_ACK:
			push(c, from, (uint8_t)WIRE_ACK, NULL,
			    c->next_seq[from], 0);
			break;
		case CONV_OP_FIN:
			push(c, from, (uint8_t)(WIRE_FIN | WIRE_ACK), NULL,
			    c->next_seq[from], 0);
			c->next_seq[from]++;
			break;
		case CONV_OP_RST:
			push(c, from, (uint8_t)(WIRE_RST | WIRE_ACK), NULL,
			    c->next_seq[from], 0);
			break;
		case CONV_OP_DATA:
			expand_data(c, m, rng);
			break;
		case CONV_OP_BULK:
			if (c->bulk_left == 0) {
				/* bulk starts on a line / record boundary */
				c->bulk_left = m->bulk;
				c->pool_pos = 0;
			}
			expand_bulk(c, m, pools);
			if (c->bulk_left > 0)
				return true;	/* same message next time */
			break;
		}
		c->cur++;
	}
	return c->qlen > 0;
}

bool
conv_emit(struct conv *c, const struct conv_pools *pools, struct rng *rng,
    struct wire *w, uint64_t ts_us)
{
	for (;;) {
		if (c->qlen == 0 && !expand(c, pools, rng))
			return false;
		const struct wire_seg *s = &c->q[c->qhead];

		c->qhead++;
		c->qlen--;
		if (c->is_hidden[s->from])
			continue;	/* it happened, but was not captured */
		wire_tcp(w, ts_us, &c->path, s, c->ipid[s->from]++);
		return true;
	}
}
