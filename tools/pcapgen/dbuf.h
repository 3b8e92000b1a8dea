/* dbuf.h: a growable byte buffer with a hard cap fixed at init (after curl's
 * dynbuf).  Growing past the cap fails with ST_TOOBIG and leaves the buffer
 * as it was; the cap is what bounds every buffer a scenario can fill.
 */
#ifndef PCAPGEN_DBUF_H
#define PCAPGEN_DBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcapgen.h"

struct dbuf {
	uint8_t *p; /* NULL until the first byte is added */
	size_t len;
	size_t cap; /* allocated */
	size_t max; /* len never exceeds this */
};

/* dbuf_init(): an empty buffer that will hold at most max bytes. */
void dbuf_init(struct dbuf *b, size_t max);

/* dbuf_add(): append n bytes of data (data may be NULL when n is 0).
 * ST_TOOBIG or ST_NOMEM leave the buffer unchanged. */
enum status dbuf_add(struct dbuf *b, const void *data, size_t n) PCAPGEN_WUR;

/* dbuf_add_fill(): append n copies of byte. */
enum status dbuf_add_fill(struct dbuf *b, uint8_t byte, size_t n) PCAPGEN_WUR;

/* dbuf_add_u16(), dbuf_add_u32(): append v big-endian if is_be, else
 * little-endian. */
enum status dbuf_add_u16(struct dbuf *b, uint16_t v, bool is_be) PCAPGEN_WUR;
enum status dbuf_add_u32(struct dbuf *b, uint32_t v, bool is_be) PCAPGEN_WUR;

/* dbuf_reset(): forget the contents, keep the memory. */
void dbuf_reset(struct dbuf *b);

/* dbuf_free(): release the memory; the buffer is empty (same cap) after,
 * and may be used again.  dbuf_free() of a freed buffer does nothing. */
void dbuf_free(struct dbuf *b);

#endif
