/* noise.h: the traffic around the mail: web, SSH and SMB connections for
 * the `mix` workload, and the one-packet flows of the `flood` workload.
 *
 * None of it may produce a login: nothing here goes to a POP3 or IMAP
 * port except the flood, whose packets are single SYNs and lone client
 * segments (probes, junk) that never complete a login a detector could
 * report.
 */
#ifndef BENCH_NOISE_H
#define BENCH_NOISE_H

#include <stdint.h>

#include "conv.h"
#include "rng.h"

enum noise_kind {
	NOISE_HTTPS,		/* 443: TLS handshake, then records */
	NOISE_HTTP,		/* 80: one request, one response */
	NOISE_SSH,		/* 22: interactive or scp */
	NOISE_SMB,		/* 445: file reads */
	NOISE_KIND_COUNT
};

enum flood_kind {
	FLOOD_SYN,		/* an unanswered SYN */
	FLOOD_PROBE,		/* a client segment of text, no handshake */
	FLOOD_JUNK,		/* a client segment of bytes, no handshake */
	FLOOD_KIND_COUNT
};

/* noise_port(): the server port of a kind. */
uint16_t noise_port(enum noise_kind k);

/* noise_build(): script a connection (reset with its path) of kind k
 * whose server sends about `size` bytes. */
void noise_build(struct conv *c, struct rng *rng, enum noise_kind k,
    uint64_t size);

/* noise_flood(): script a one-packet flow of kind k to a mail port (the
 * path's server port). */
void noise_flood(struct conv *c, struct rng *rng, enum flood_kind k);

#endif
