/* buf.c: capped, budgeted, wiped byte buffer (see buf.h). */
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#define BUF_SIZE_MIN 256u

bool
buf_append(struct buf *b, const uint8_t *p, size_t n, size_t cap,
    struct budget *budget)
{
	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	if (n > cap || b->len > cap - n)
		return false;
	if (b->len + n > b->size) {
		size_t want = b->size ? b->size : BUF_SIZE_MIN;

		while (want < b->len + n)
			want *= 2;
		if (want > cap)
			want = cap;
		if (!budget_take(budget, want - b->size))
			return false;
		/* No realloc: the old block would be freed without a wipe. */
		uint8_t *np = malloc(want);

		if (np == NULL) {
			budget_give(budget, want - b->size);
			return false;
		}
		if (b->len)
			memcpy(np, b->p, b->len);
		if (b->p) {
			OPENSSL_cleanse(b->p, b->size);
			free(b->p);
		}
		b->p = np;
		b->size = (uint32_t)want;
	}
	memcpy(b->p + b->len, p, n);
	b->len += (uint32_t)n;
	return true;
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		if (b->len)
			OPENSSL_cleanse(b->p, b->len);
		b->len = 0;
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	/* The tail still holds the old copy of the moved bytes. */
	OPENSSL_cleanse(b->p + b->len - n, n);
	b->len -= (uint32_t)n;
}

void
buf_free(struct buf *b, struct budget *budget)
{
	if (b->p) {
		OPENSSL_cleanse(b->p, b->size);
		free(b->p);
		budget_give(budget, b->size);
	}
	b->p = NULL;
	b->len = 0;
	b->size = 0;
}
