/* link.h: link-layer decoding, the entry point of the decoders. */
#ifndef PLAINSIGHT_LINK_H
#define PLAINSIGHT_LINK_H

#include <stdbool.h>

#include "decode/pkt.h"

/* link_supported(): whether link_decode() knows this libpcap DLT. */
bool link_supported(int dlt);

/* link_decode(): decode a whole frame of link type `dlt` down to TCP.
 * Returns DECODE_OK with *out filled, or the reason the packet is not
 * analysed (a stats.h counter).  Reads only frame[0..caplen). */
enum stat_id link_decode(int dlt, const uint8_t *frame, size_t caplen,
    struct pkt_view *out);

/* link_decode_general(): the same without the fast path for the common
 * Ethernet/IPv4/TCP frame, for the tests that compare the two. */
enum stat_id link_decode_general(int dlt, const uint8_t *frame,
    size_t caplen, struct pkt_view *out);

#endif
