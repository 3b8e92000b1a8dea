/* defrag.h: IPv4 and IPv6 fragment reassembly.
 *
 * Owns the datagrams being rebuilt: at most DEFRAG_DATAGRAMS_MAX at once,
 * DEFRAG_FRAGMENTS_MAX fragments each, their bytes charged to the
 * engine's budget, dropped after DEFRAG_TIMEOUT seconds of packet time.
 * Overlapping fragments: the first copy wins (RFC 5722 would drop the
 * datagram; a sensor that drops it loses what the receiver may have
 * kept), and a differing overlap is counted (ip_frag_conflict).  The
 * rebuilt datagram is handed back with a fresh, unfragmented IP header,
 * to be decoded like any packet.  Bytes held are wiped before free.
 */
#ifndef PLAINSIGHT_DEFRAG_H
#define PLAINSIGHT_DEFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/pkt.h"
#include "util/budget.h"

struct defrag;

struct defrag *defrag_new(struct budget *budget, struct stats *stats);

/* defrag_free(): wipe and free everything; NULL is fine. */
void defrag_free(struct defrag *d);

/* defrag_add(): one fragment (pv->frag, its addresses, and its data at
 * frame + frag.data_off).  When it completes a datagram, returns true
 * with *out pointing to a whole IP packet of *out_len bytes, valid until
 * defrag_done() (which wipes it). */
bool defrag_add(struct defrag *d, const struct pkt_view *pv,
    const uint8_t *frame, int64_t now, uint8_t **out, size_t *out_len);

/* defrag_done(): the datagram returned by defrag_add() was analysed. */
void defrag_done(struct defrag *d);

/* defrag_expire(): drop datagrams incomplete for DEFRAG_TIMEOUT seconds
 * at packet time `now` (counted in cap_frag). */
void defrag_expire(struct defrag *d, int64_t now);

#endif
