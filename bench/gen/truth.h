/* truth.h: the ground truth of a workload: every login a correct detector
 * must report, and the offender rows they add up to.
 *
 * Written as two TSV files with a header line (docs/performance.md):
 *   NAME.logins.tsv     proto client_ip client_port server_ip server_port
 *                       mechanism tls verdict       (one row per attempt,
 *                       in attempt order within a connection)
 *   NAME.offenders.tsv  proto client_ip server_ip server_port attempts
 *                       accepted rejected unknown
 * The vocabulary is plainsight's (docs/output.md).
 */
#ifndef BENCH_TRUTH_H
#define BENCH_TRUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

enum truth_proto {
	TRUTH_POP3,
	TRUTH_IMAP
};

enum truth_tls {
	TRUTH_TLS_NONE,
	TRUTH_TLS_REFUSED,
	TRUTH_TLS_PIPELINED,
	TRUTH_TLS_NOT_STARTED
};

enum truth_verdict {
	TRUTH_UNKNOWN,
	TRUTH_ACCEPTED,
	TRUTH_REJECTED
};

struct truth_login {
	uint64_t conn;		/* connection number, for attempt order */
	struct wire_path path;
	const char *mech;	/* "USER/PASS", "AUTHENTICATE PLAIN"... */
	uint8_t proto;		/* enum truth_proto */
	uint8_t tls;		/* enum truth_tls */
	uint8_t verdict;	/* enum truth_verdict */
};

struct truth {
	struct truth_login *v;
	size_t n;
	size_t cap;
	bool is_nomem;
};

/* truth_add(): one expected attempt on connection `conn` of path. */
void truth_add(struct truth *t, uint64_t conn, const struct wire_path *path,
    enum truth_proto proto, const char *mech, enum truth_tls tls,
    enum truth_verdict verdict);

/* truth_write(): both files; the number of offender rows, or -1 (errno
 * set) if a file cannot be written. */
long truth_write(struct truth *t, const char *logins_path,
    const char *offenders_path);

void truth_free(struct truth *t);

#endif
