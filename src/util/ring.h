/* ring.h: a single-producer, single-consumer ring of records, to hand
 * packets from a reader thread to the engine's thread.
 *
 * Owns one fixed buffer (its size is the only memory it ever takes) and
 * the two positions.  A record is contiguous (never split at the end of
 * the buffer: the producer pads over the rest instead) and 16-byte
 * aligned.  Each side spins briefly, then sleeps on a condition variable,
 * so an idle side costs no CPU.  ring_free() wipes the whole buffer: the
 * records may have held a client's bytes.
 */
#ifndef PLAINSIGHT_RING_H
#define PLAINSIGHT_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring;

/* ring_new(): a ring of `capacity` bytes (a multiple of 16), or NULL. */
struct ring *ring_new(size_t capacity);

/* ring_free(): wipe and free (NULL is fine). */
void ring_free(struct ring *r);

/* ring_bytes(): the whole buffer, for tests. */
const uint8_t *ring_bytes(const struct ring *r, size_t *len);

/* ring_max_record(): the largest record ring_reserve() accepts. */
size_t ring_max_record(const struct ring *r);

/* Producer: ring_reserve() waits until `len` bytes (at most
 * ring_max_record()) are free and returns where to write them, or NULL
 * if len is too large; ring_commit() hands the record over.  The consumer
 * is woken once a batch of records waits for it, or by ring_flush():
 * call it after the last record (or before waiting on something else). */
void *ring_reserve(struct ring *r, size_t len);
void ring_commit(struct ring *r);
void ring_flush(struct ring *r);

/* Consumer: ring_next() waits for the next record and returns it, its
 * length in *len; ring_release() gives its space back (the pointer is not
 * valid after). */
void *ring_next(struct ring *r, size_t *len);
void ring_release(struct ring *r);

#endif
