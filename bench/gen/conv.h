/* conv.h: one TCP connection as a script of messages, played out as
 * packets.
 *
 * A script is what each side says, in order (handshake, data, bulk
 * transfers, FIN, RST).  conv_emit() turns it into segments one packet at
 * a time, with sequence and acknowledgement numbers kept right, so that
 * many connections can be interleaved by the caller.  Short messages can
 * be cut into pieces, delivered out of order or retransmitted: the shapes
 * a detector has to reassemble.  A bulk transfer is expanded lazily, two
 * full segments and an ACK at a time, so a 50 MB download costs no
 * memory.
 *
 * Owns: the script, the text of its messages (a fixed arena), a few
 * segments waiting to be written.  Bulk bytes come from struct conv_pools,
 * shared by every connection and never written to.
 */
#ifndef BENCH_CONV_H
#define BENCH_CONV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "rng.h"
#include "wire.h"

#define CONV_MSGS_MAX 96u	/* messages in one script */
#define CONV_TEXT_MAX 16384u	/* bytes of message text in one script */
#define CONV_QUEUE_MAX 16u	/* segments of one message */

#define CONV_CLIENT 0u
#define CONV_SERVER 1u

enum conv_op {
	CONV_OP_SYN,		/* client SYN */
	CONV_OP_SYNACK,		/* server SYN-ACK */
	CONV_OP_ACK,		/* a bare ACK */
	CONV_OP_DATA,		/* text from the arena */
	CONV_OP_BULK,		/* bytes from a pool, any size */
	CONV_OP_FIN,
	CONV_OP_RST
};

/* How a short message (at most one MSS) crosses the wire. */
enum conv_shape {
	CONV_WHOLE,		/* one segment */
	CONV_SPLIT,		/* two or three segments, in order */
	CONV_REORDER,		/* two segments, the second one first */
	CONV_RETRANS,		/* one segment, captured twice */
	CONV_SHAPE_COUNT
};

/* What bulk bytes look like, so that each peer parses what it would
 * parse on a real link. */
enum conv_fill {
	CONV_FILL_TEXT,		/* 78-byte CRLF lines of body text */
	CONV_FILL_TLS,		/* TLS 1.2 application data records */
	CONV_FILL_RANDOM,	/* ciphertext (SSH, SMB signing...) */
	CONV_FILL_COUNT
};

#define CONV_TEXT_LINE 78u	/* bulk text comes in lines this long */
#define CONV_TLS_RECORD 1400u	/* bulk TLS comes in records this long */

/* Bulk byte pools.  Each is stored twice in a row, so that any slice of
 * up to `len` bytes starting before `len` is contiguous. */
struct conv_pools {
	uint8_t *data[CONV_FILL_COUNT];
	uint32_t len[CONV_FILL_COUNT];
};

struct conv_msg {
	uint8_t op;		/* enum conv_op */
	uint8_t from;		/* CONV_CLIENT, CONV_SERVER */
	uint8_t shape;		/* enum conv_shape */
	uint8_t fill;		/* enum conv_fill */
	uint32_t off;		/* DATA: text in the arena */
	uint32_t len;
	uint64_t bulk;		/* BULK: bytes */
};

struct conv {
	struct wire_path path;
	uint32_t isn[2];
	uint32_t next_seq[2];
	uint16_t ipid[2];
	bool is_hidden[2];	/* that side's packets are not captured */
	bool is_overflow;	/* the script did not fit: a generator bug */
	uint32_t nmsg;
	uint32_t cur;
	uint64_t bulk_left;	/* of msg[cur], when it is BULK */
	uint32_t pool_pos;
	uint32_t qhead;
	uint32_t qlen;
	uint32_t text_len;
	struct conv_msg msg[CONV_MSGS_MAX];
	struct wire_seg q[CONV_QUEUE_MAX];
	uint8_t text[CONV_TEXT_MAX];
};

/* conv_pools_init(): fill the pools from rng; false on allocation
 * failure.  conv_pools_free() releases them. */
bool conv_pools_init(struct conv_pools *pools, struct rng *rng);
void conv_pools_free(struct conv_pools *pools);

/* conv_reset(): start a new script on path with these initial sequence
 * numbers.  Only counters are reset (the arena is reused as is), so that a
 * one-packet flow costs no more than its packet. */
void conv_reset(struct conv *c, const struct wire_path *path, uint32_t isn_c,
    uint32_t isn_s);

/* Scripting.  Text messages are copied into the arena. */
void conv_handshake(struct conv *c);
void conv_op(struct conv *c, enum conv_op op, unsigned from);
void conv_send(struct conv *c, unsigned from, enum conv_shape shape,
    const uint8_t *p, uint32_t n);
void conv_sendf(struct conv *c, unsigned from, enum conv_shape shape,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void conv_vsendf(struct conv *c, unsigned from, enum conv_shape shape,
    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
void conv_bulk(struct conv *c, unsigned from, enum conv_fill fill,
    uint64_t n);
void conv_close(struct conv *c, unsigned first);	/* FIN, FIN, ACK */

/* conv_emit(): write the next captured packet at ts_us.  False when the
 * script is over (nothing written). */
bool conv_emit(struct conv *c, const struct conv_pools *pools,
    struct rng *rng, struct wire *w, uint64_t ts_us);

#endif
