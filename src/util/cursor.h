/* cursor.h: the only way plainsight reads packet and stream bytes.
 *
 * A cursor is a view of bytes it does not own: a pointer and how many bytes
 * are left.  Every read checks that the bytes are there; a short read
 * returns 0 and sets `bad`, which stays set, so a decoder can read a whole
 * header and check once (the tcpdump GET_ macros without the longjmp).
 * Multi-byte reads widen before shifting, so no signed overflow.
 * A cursor is valid as long as the bytes it points to.
 */
#ifndef PLAINSIGHT_CURSOR_H
#define PLAINSIGHT_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static inline struct cursor
cursor_make(const uint8_t *p, size_t n)
{
	struct cursor c = {p, n, false};

	return c;
}

static inline bool
cursor_need(struct cursor *c, size_t n)
{
	if (c->bad || c->left < n) {
		c->bad = true;	/* sticky: later reads are no-ops */
		return false;
	}
	return true;
}

static inline void
cursor_skip(struct cursor *c, size_t n)
{
	if (cursor_need(c, n)) {
		c->p += n;
		c->left -= n;
	}
}

static inline uint8_t
cursor_u8(struct cursor *c)
{
	uint8_t v = 0;

	if (cursor_need(c, 1))
		v = c->p[0];
	cursor_skip(c, 1);
	return v;
}

static inline uint16_t
cursor_be16(struct cursor *c)
{
	uint16_t v = 0;

	if (cursor_need(c, 2))
		v = (uint16_t)((uint16_t)c->p[0] << 8 | c->p[1]);
	cursor_skip(c, 2);
	return v;
}

static inline uint16_t
cursor_le16(struct cursor *c)
{
	uint16_t v = 0;

	if (cursor_need(c, 2))
		v = (uint16_t)((uint16_t)c->p[1] << 8 | c->p[0]);
	cursor_skip(c, 2);
	return v;
}

static inline uint32_t
cursor_be32(struct cursor *c)
{
	uint32_t v = 0;

	if (cursor_need(c, 4))
		v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
		    (uint32_t)c->p[2] << 8 | c->p[3];
	cursor_skip(c, 4);
	return v;
}

static inline uint32_t
cursor_le32(struct cursor *c)
{
	uint32_t v = 0;

	if (cursor_need(c, 4))
		v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
		    (uint32_t)c->p[1] << 8 | c->p[0];
	cursor_skip(c, 4);
	return v;
}

/* cursor_copy(): read n bytes into out (zeros if they are not there). */
static inline void
cursor_copy(struct cursor *c, void *out, size_t n)
{
	uint8_t *o = out;

	for (size_t i = 0; i < n; i++)
		o[i] = 0;
	if (cursor_need(c, n))
		for (size_t i = 0; i < n; i++)
			o[i] = c->p[i];
	cursor_skip(c, n);
}

/* cursor_take(): split off the next n bytes as their own cursor (bad and
 * empty if they are not all there) and move past them. */
static inline struct cursor
cursor_take(struct cursor *c, size_t n)
{
	struct cursor sub = {c->p, 0, true};

	if (cursor_need(c, n)) {
		sub.left = n;
		sub.bad = false;
	}
	cursor_skip(c, n);
	return sub;
}

/* cursor_block(): the next n bytes as a pointer, and move past them; NULL
 * (and bad) if they are not all there.  For a fixed-size header: one
 * check, then every field is read inside those n bytes with block_be16()
 * and block_be32() (the per-field checks were a visible share of decoding
 * on bench/run mail). */
static inline const uint8_t *
cursor_block(struct cursor *c, size_t n)
{
	const uint8_t *p = c->p;

	if (!cursor_need(c, n))
		return NULL;
	c->p += n;
	c->left -= n;
	return p;
}

static inline uint16_t
block_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
block_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* cursor_peek(): the byte at offset i without moving, or -1. */
static inline int
cursor_peek(const struct cursor *c, size_t i)
{
	if (c->bad || i >= c->left)
		return -1;
	return c->p[i];
}

#endif
