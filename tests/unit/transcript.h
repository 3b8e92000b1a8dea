/* transcript.h: replay a two-sided POP3/IMAP dialogue through the real
 * stream layer and protocol engines, and collect the events.
 *
 * Parser tests state a dialogue once; transcript_check() then replays it
 * whole, byte by byte, and split at every offset of every step, and
 * asserts that every replay gives exactly the same events.  Each step
 * gets its own packet time (step i at second 1000 + i), so events carry
 * deterministic timestamps.
 */
#ifndef PLAINSIGHT_TEST_TRANSCRIPT_H
#define PLAINSIGHT_TEST_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "plainsight/plainsight.h"
#include "util/dir.h"

#define TRANSCRIPT_EVENTS_MAX 64

struct step {
	enum dir d;
	const char *bytes;
	size_t len;		/* 0: strlen(bytes) */
	bool is_gap_before;	/* bytes were lost just before this step */
};

#define C(s) {DIR_C2S, (s), 0, false}
#define S(s) {DIR_S2C, (s), 0, false}
#define CB(s, n) {DIR_C2S, (s), (n), false}

struct transcript_opts {
	const char *account_key;	/* NULL: no pseudonyms */
	bool is_midstream;
};

struct captured {
	struct event ev[TRANSCRIPT_EVENTS_MAX];
	size_t n;
	struct stats stats;
	bool is_done;		/* the session finished before the end */
};

/* transcript_run(): one replay; chunk 0 feeds each step whole, chunk 1
 * byte by byte; split_step/split_at (split_step < 0: none) cut one step
 * in two at that offset. */
void transcript_run(enum proto p, const struct step *steps, size_t n,
    const struct transcript_opts *opts, size_t chunk, int split_step,
    size_t split_at, struct captured *out);

/* transcript_check(): replay every way; assert the same events each
 * time; return the events of the whole replay. */
void transcript_check(enum proto p, const struct step *steps, size_t n,
    const struct transcript_opts *opts, struct captured *out);

/* transcript_logins(): the login events, in order, into out (at most
 * max); returns how many. */
size_t transcript_logins(const struct captured *c,
    const struct event_login **out, size_t max);

/* transcript_server_caps(): the last SERVER_CAPS event, or NULL. */
const struct event_server *transcript_server_caps(const struct captured *c);

/* transcript_wipe_check(): feed each step whole to a session of its own
 * (no stream layer: every step must be whole lines), with pseudonyms on,
 * then free it with proto_free() and assert that no byte of it is left
 * non-zero where the pool keeps it (the partial wipes reach every byte
 * ever written), and that the next proto_new() reuses it. */
void transcript_wipe_check(enum proto p, const struct step *steps, size_t n);

#endif
