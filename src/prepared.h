/* prepared.h: plainsight_packet() in two halves, so that a reader thread
 * can take the first.
 *
 * plainsight_prepare() decodes a packet, checks its ports against the
 * mail ports and hashes its flow key: it reads only what plainsight_new()
 * set, so it may run on another thread while the engine works.
 * plainsight_packet_prepared() does the rest, on the engine's thread, in
 * packet order.  Together they do what plainsight_packet() does, to the
 * byte (tests/threads.sh compares the two paths on every fixture).
 */
#ifndef PLAINSIGHT_PREPARED_H
#define PLAINSIGHT_PREPARED_H

#include "decode/pkt.h"
#include "flow/flow_table.h"
#include "plainsight/plainsight.h"

/* What the second half needs of the packet's bytes. */
enum prepared_need {
	PREPARED_NONE,		/* nothing: the packet stops here (st says why) */
	PREPARED_PAYLOAD,	/* the TCP payload: pv.payload_caplen bytes */
	PREPARED_FRAME		/* the whole frame (an IP fragment): caplen */
};

struct prepared {
	struct plainsight_pkt pkt;
	struct pkt_view pv;
	struct flow_key key;
	uint64_t hash;		/* flow_table_hash() of key */
	enum stat_id st;	/* DECODE_OK, or the counter it adds to */
	enum prepared_need need;
	uint8_t src;		/* 1 when the packet's source is key endpoint 1 */
	uint8_t sproto, dproto;	/* enum proto of each port */
};

void plainsight_prepare(const struct plainsight *ps, int dlt,
    const struct plainsight_pkt *pkt, const uint8_t *data,
    struct prepared *p);

/* plainsight_count_stopped(): add a PREPARED_NONE packet to s, as the
 * engine would have; the reader thread keeps its own s and hands it over
 * with plainsight_add_stats(). */
void plainsight_count_stopped(struct stats *s, const struct prepared *p);
void plainsight_add_stats(struct plainsight *ps, const struct stats *s);

/* plainsight_packet_prepared(): the second half.  bytes: what p->need
 * says, writable; the client's bytes in it are wiped as in
 * plainsight_packet(). */
void plainsight_packet_prepared(struct plainsight *ps,
    const struct prepared *p, uint8_t *bytes);

#endif
