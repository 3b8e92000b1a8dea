/* baseline.h: an earlier run's JSON report, to compare with (--baseline).
 *
 * Owns the offender and server records read back from a JSON Lines report
 * that plainsight wrote (docs/output.md); every other record is ignored.
 * The reader accepts exactly the subset of JSON that plainsight writes
 * (flat objects of strings, numbers, booleans, null and arrays of
 * strings), with bounded lengths; anything else is an error naming the
 * line.
 */
#ifndef PLAINSIGHT_BASELINE_H
#define PLAINSIGHT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plainsight/plainsight.h"

#define BASELINE_ERR_MAX 256

struct baseline_offender {
	enum proto proto;
	struct endpoint client;	/* port 0 */
	struct endpoint server;
	uint64_t attempts;
	uint64_t accepted;
	uint64_t rejected;
	uint64_t unknown;
	uint32_t mechs;		/* bit (1u << enum mech) */
	uint32_t exposures;	/* bit (1u << enum exposure) */
	struct event_time first_seen;
	struct event_time last_seen;
};

struct baseline_server {
	enum proto proto;
	struct endpoint server;
	enum tri starttls_offered;
	enum tri login_disabled;
	bool is_cleartext_accepted;
};

struct baseline {
	struct baseline_offender *off;
	size_t n_off;
	struct baseline_server *srv;
	size_t n_srv;
};

/* baseline_load(): read a report; ST_INPUT with err naming the line. */
__attribute__((warn_unused_result)) enum status
baseline_load(const char *path, struct baseline **out,
    char err[BASELINE_ERR_MAX]);

void baseline_free(struct baseline *b);

#endif
