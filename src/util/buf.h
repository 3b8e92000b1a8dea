/* buf.h: a byte buffer with a hard size cap, charged to a budget, wiped.
 *
 * Used for bytes that wait for more (a line split across segments).  Those
 * bytes may be a client's credentials, so every byte that leaves the
 * buffer (consumed, or the buffer freed) is overwritten with
 * OPENSSL_cleanse() first.  Growth is by doubling up to `cap`; hitting the
 * cap or the budget is an error the caller counts, never a silent realloc.
 */
#ifndef PLAINSIGHT_BUF_H
#define PLAINSIGHT_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/budget.h"

/* 16 bytes: two sit in every flow slot (flow_table.h); a cap above 4 GiB
 * is taken as 4 GiB. */
struct buf {
	uint8_t *p;
	uint32_t len;
	uint32_t size;		/* allocated */
};

/* buf_append(): add n bytes; false (and nothing added) if the result would
 * exceed cap bytes or the budget refuses, or on allocation failure. */
__attribute__((warn_unused_result)) bool
buf_append(struct buf *b, const uint8_t *p, size_t n, size_t cap,
    struct budget *budget);

/* buf_consume(): drop the first n bytes (n <= len), wiping them. */
void buf_consume(struct buf *b, size_t n);

/* buf_free(): wipe, free, give the bytes back; the buffer is empty after. */
void buf_free(struct buf *b, struct budget *budget);

#endif
