/* pipeline.c: see pipeline.h.
 *
 * Each record in the ring is a struct msg and, for a packet, the bytes
 * its prepared half says the engine needs.  The reader's own counters
 * (packets it stopped) and how the input ended reach the engine's thread
 * through the reader's struct after pthread_join(), which orders them.
 */
#include "pipeline.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "bounds.h"
#include "prepared.h"
#include "util/ring.h"

enum msg_kind {
	MSG_PACKET,
	MSG_END
};

struct msg {
	enum msg_kind kind;
	struct prepared p;
};

struct pipeline {
	struct ring *ring;
};

struct reader {
	struct ring *ring;
	struct capture *c;
	const struct plainsight *ps;
	int dlt;
	size_t room;		/* the most packet bytes a record takes */
	struct stats stopped;	/* packets that stopped in the reader */
	enum capture_result end;
};

struct pipeline *
pipeline_new(void)
{
	struct pipeline *pl = calloc(1, sizeof(*pl));

	if (pl == NULL)
		return NULL;
	pl->ring = ring_new(PIPELINE_RING_BYTES);
	if (pl->ring == NULL) {
		free(pl);
		return NULL;
	}
	return pl;
}

void
pipeline_free(struct pipeline *pl)
{
	if (pl == NULL)
		return;
	ring_free(pl->ring);
	free(pl);
}

static void
send_end(struct reader *rd, enum capture_result r)
{
	struct msg *m = ring_reserve(rd->ring, sizeof(*m));

	rd->end = r;
	m->kind = MSG_END;
	ring_commit(rd->ring);
	ring_flush(rd->ring);
}

/* One packet, on the reader's thread. */
static void
read_packet(void *arg, const struct plainsight_pkt *pkt, uint8_t *data)
{
	struct reader *rd = arg;
	size_t room = rd->room;
	struct msg *m;
	struct prepared p;
	uint8_t *from = data;
	size_t n = pkt->caplen;

	plainsight_prepare(rd->ps, rd->dlt, pkt, data, &p);
	if (p.need == PREPARED_NONE) {
		plainsight_count_stopped(&rd->stopped, &p);
		return;
	}
	if (p.need == PREPARED_PAYLOAD) {
		from = data + p.pv.payload_off;
		n = p.pv.payload_caplen;
	}
	/* libpcap returns at most 256 KiB of a packet, and the ring holds
	 * 4 MiB: never true, but never trusted */
	if (n > room)
		n = room;
	m = ring_reserve(rd->ring, sizeof(*m) + n);
	m->kind = MSG_PACKET;
	m->p = p;
	if (p.need == PREPARED_PAYLOAD)
		m->p.pv.payload_caplen = (uint32_t)n;
	else
		m->p.pkt.caplen = (uint32_t)n;
	memcpy(m + 1, from, n);
	ring_commit(rd->ring);
	/* what a client sent to a mail port, or a fragment of anything: as
	 * in plainsight_packet(), libpcap's copy is wiped once read */
	if ((p.need == PREPARED_FRAME || p.dproto != PROTO_NONE) && n > 0)
		OPENSSL_cleanse(from, n);
}

static void *
read_packets(void *arg)
{
	struct reader *rd = arg;

	send_end(rd, capture_each(rd->c, read_packet, rd));
	return NULL;
}

const uint8_t *
pipeline_ring_bytes(const struct pipeline *pl, size_t *len)
{
	return ring_bytes(pl->ring, len);
}

enum capture_result
pipeline_read_here(struct capture *c, struct plainsight *ps)
{
	return capture_feed(c, ps);
}

enum capture_result
pipeline_read(struct pipeline *pl, struct capture *c, struct plainsight *ps)
{
	struct reader rd;
	pthread_t tid;

	memset(&rd, 0, sizeof(rd));
	rd.ring = pl->ring;
	rd.c = c;
	rd.ps = ps;
	rd.dlt = capture_dlt(c);
	rd.room = ring_max_record(pl->ring) - sizeof(struct msg);
	if (pthread_create(&tid, NULL, read_packets, &rd) != 0)
		return pipeline_read_here(c, ps);
	for (;;) {
		size_t len;
		struct msg *m = ring_next(pl->ring, &len);

		if (m->kind == MSG_END) {
			ring_release(pl->ring);
			break;
		}
		uint8_t *bytes = (uint8_t *)(m + 1);

		plainsight_packet_prepared(ps, &m->p, bytes);
		/* the ring keeps no packet's bytes once the engine is
		 * done with them */
		if (len > sizeof(*m))
			OPENSSL_cleanse(bytes, len - sizeof(*m));
		ring_release(pl->ring);
	}
	pthread_join(tid, NULL);
	plainsight_add_stats(ps, &rd.stopped);
	return rd.end;
}
