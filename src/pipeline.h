/* pipeline.h: reading a capture file on a second thread.
 *
 * Owns the reader thread and the ring between it and the engine.  The
 * reader calls libpcap, decodes, checks the ports and hashes the flow key
 * (plainsight_prepare(), see prepared.h); a packet that stops there is
 * only counted, any other is copied into the ring (its TCP payload, or
 * the whole frame of an IP fragment) and the engine's thread does the
 * rest, in order.  With two CPUs, reading and analysing overlap; the
 * results are those of reading on one thread, to the byte.
 *
 * Credentials: the reader wipes libpcap's copy of every payload sent to a
 * mail port (and of every fragment) once it is in the ring, and the
 * engine's thread wipes every record's bytes once it is done with them,
 * so the ring holds a packet only while it is being handed over.
 */
#ifndef PLAINSIGHT_PIPELINE_H
#define PLAINSIGHT_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"
#include "plainsight/plainsight.h"

struct pipeline;

/* pipeline_new(): the ring (PIPELINE_RING_BYTES), or NULL. */
struct pipeline *pipeline_new(void);

/* pipeline_free(): wipe and free (NULL is fine). */
void pipeline_free(struct pipeline *pl);

/* pipeline_read(): every packet of c into ps, as a loop of capture_next()
 * and plainsight_packet() would; returns how the input ended
 * (CAPTURE_END, CAPTURE_TRUNCATED or CAPTURE_ERROR; capture_count() and
 * capture_error() are then as that loop would leave them).  If the
 * thread cannot be started, reads on this thread instead. */
enum capture_result pipeline_read(struct pipeline *pl, struct capture *c,
    struct plainsight *ps);

/* pipeline_ring_bytes(): the ring's memory, for tests that check it
 * keeps no credential. */
const uint8_t *pipeline_ring_bytes(const struct pipeline *pl, size_t *len);

/* pipeline_read_here(): the same loop on this thread alone. */
enum capture_result pipeline_read_here(struct capture *c,
    struct plainsight *ps);

#endif
