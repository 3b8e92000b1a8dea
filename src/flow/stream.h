/* stream.h: between reassembly and the protocol engines.
 *
 * Owns each direction's unconsumed bytes (struct flow.pend): engines
 * consume whole lines and say how much they used; the unfinished rest
 * (always shorter than STREAM_LINE_MAX) waits here, wiped when consumed.
 * Creates the connection's protocol session at its first byte and frees
 * it once the session has nothing left to learn (the flow is then
 * bypassed: later packets cost one lookup).
 */
#ifndef PLAINSIGHT_STREAM_H
#define PLAINSIGHT_STREAM_H

#include "flow/conn.h"

/* stream_data(): in-order bytes of direction d, captured at ts. */
void stream_data(struct conn_env *env, struct flow *f, enum dir d,
    const uint8_t *p, uint32_t n, struct event_time ts);

/* stream_gap(): n bytes of direction d are lost; ts is the capture time
 * of what follows the hole (see reasm.h). */
void stream_gap(struct conn_env *env, struct flow *f, enum dir d, uint32_t n,
    struct event_time ts);

/* stream_conflict(): two copies of the same bytes differ (see
 * reasm_sink.conflict); a login in the copy that was not parsed is
 * reported all the same. */
void stream_conflict(struct conn_env *env, struct flow *f, enum dir d,
    const uint8_t *kept, uint32_t kept_n, const uint8_t *other,
    uint32_t other_n, struct event_time ts);

/* stream_end(): the connection is over: report what is pending, free the
 * session and the buffers. */
void stream_end(struct conn_env *env, struct flow *f);

#endif
