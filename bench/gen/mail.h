/* mail.h: POP3 and IMAP sessions of every kind plainsight handles, each
 * with the logins a correct detector reports for it.
 *
 * A kind is a script (conv.h) written the way real clients and servers
 * (Dovecot, Thunderbird, Outlook) talk, plus the ground truth rows it
 * adds (truth.h): cleartext logins of each mechanism, accepted and
 * refused, STARTTLS accepted, refused, pipelined and not followed by TLS,
 * implicit TLS, sessions seen from the server side only, capability
 * probes, and other protocols on the mail ports.  The credential-bearing
 * client message takes the shape the caller asks for (split, out of
 * order, retransmitted); addresses, VLAN and IP version come with the
 * path the caller set on the connection.
 *
 * Every password and token contains "s3cr3t" (pcaps/README.md).
 */
#ifndef BENCH_MAIL_H
#define BENCH_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "conv.h"
#include "rng.h"
#include "truth.h"

struct mail_ctx {
	struct conv *c;		/* reset with its path */
	struct rng *rng;
	struct truth *truth;
	uint64_t conn;		/* connection number, for the truth */
	uint32_t user;		/* account number */
	enum conv_shape shape;	/* of the client's credential message */
	uint32_t downloads;	/* messages fetched after login */
	uint32_t size_min;	/* their sizes, log-uniform, bytes */
	uint32_t size_max;
	uint32_t tag;		/* IMAP tag counter (internal) */
};

struct mail_kind {
	const char *name;
	uint8_t proto;		/* enum truth_proto */
	uint16_t port;		/* server port: 110, 143, 993, 995 */
	uint16_t weight;	/* share in the `mail` workload */
	uint16_t bulk_weight;	/* share in the `bulk` workload */
	void (*build)(struct mail_ctx *m);
};

/* mail_kinds(): the table of kinds and its length. */
size_t mail_kinds(const struct mail_kind **out);

/* mail_pick(): a kind drawn by weight (bulk: by bulk_weight). */
const struct mail_kind *mail_pick(struct rng *rng, bool is_bulk);

/* mail_size(): a message size drawn about log-uniformly in [lo, hi]
 * (uniform within a uniformly drawn octave), a whole number of body
 * lines. */
uint32_t mail_size(struct rng *rng, uint32_t lo, uint32_t hi);

#endif
