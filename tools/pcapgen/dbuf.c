/* dbuf.c: growable byte buffer with a hard cap (see dbuf.h).
 *
 * Growth doubles the allocation, clamped to the cap, so appending n bytes
 * one at a time costs O(n).  Does not wipe memory: pcapgen only ever holds
 * the fake credentials of test scenarios.
 */
#include <stdlib.h>
#include <string.h>

#include "dbuf.h"

void
dbuf_init(struct dbuf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

/* make room for `extra` more bytes; the caller checked the cap */
static enum status
reserve(struct dbuf *b, size_t extra)
{
	size_t need = b->len + extra;

	if (need <= b->cap)
		return ST_OK;
	size_t cap = b->cap > 0 ? b->cap : 256;
	while (cap < need && cap <= SIZE_MAX / 2)
		cap *= 2;
	if (cap < need || cap > b->max)
		cap = b->max; /* need <= max, so this still fits */
	uint8_t *p = realloc(b->p, cap);
	if (p == NULL)
		return ST_NOMEM;
	b->p = p;
	b->cap = cap;
	return ST_OK;
}

enum status
dbuf_add(struct dbuf *b, const void *data, size_t n)
{
	if (n == 0)
		return ST_OK; /* also keeps NULL away from memcpy */
	/* written as a subtraction so len + n cannot wrap */
	if (n > b->max - b->len)
		return ST_TOOBIG;
	enum status st = reserve(b, n);
	if (st != ST_OK)
		return st;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return ST_OK;
}

enum status
dbuf_add_fill(struct dbuf *b, uint8_t byte, size_t n)
{
	if (n == 0)
		return ST_OK;
	if (n > b->max - b->len)
		return ST_TOOBIG;
	enum status st = reserve(b, n);
	if (st != ST_OK)
		return st;
	memset(b->p + b->len, byte, n);
	b->len += n;
	return ST_OK;
}

enum status
dbuf_add_u16(struct dbuf *b, uint16_t v, bool is_be)
{
	uint8_t x[2];

	if (is_be) {
		x[0] = (uint8_t)(v >> 8);
		x[1] = (uint8_t)v;
	} else {
		x[0] = (uint8_t)v;
		x[1] = (uint8_t)(v >> 8);
	}
	return dbuf_add(b, x, sizeof x);
}

enum status
dbuf_add_u32(struct dbuf *b, uint32_t v, bool is_be)
{
	uint8_t x[4];

	for (size_t i = 0; i < 4; i++) {
		size_t shift = is_be ? 8 * (3 - i) : 8 * i;
		x[i] = (uint8_t)(v >> shift);
	}
	return dbuf_add(b, x, sizeof x);
}

void
dbuf_reset(struct dbuf *b)
{
	b->len = 0;
}

void
dbuf_free(struct dbuf *b)
{
	free(b->p);
	dbuf_init(b, b->max);
}
