/* session.h: what every protocol engine shares: the connection it reports
 * on, where STARTTLS stands, login attempts waiting for a verdict, and the
 * one place that turns them into events.
 *
 * Owns: struct session (embedded in struct proto_session, proto.h) and the
 * attempt slots.  An attempt is opened when its credential bytes have
 * crossed the wire and closed with the server's verdict (or as unknown
 * when the connection ends first); closing it emits the login event.
 * Protocol engines refer to attempts by id, never by slot, so an attempt
 * evicted by the cap is simply not found later.
 */
#ifndef PLAINSIGHT_SESSION_H
#define PLAINSIGHT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "plainsight/plainsight.h"
#include "report/redact.h"
#include "util/hash.h"

/* Engine-wide context shared by all sessions. */
struct session_env {
	struct stats *stats;
	const struct redact *redact;	/* NULL: no account pseudonyms */
	struct hash_key tag_key;	/* for IMAP tags */
	plainsight_event_fn *emit;
	void *emit_arg;
};

/* Where STARTTLS/STLS stands on this connection. */
enum session_tls {
	SESSION_TLS_NONE,	/* never asked for */
	SESSION_TLS_PENDING,	/* asked for, no answer yet */
	SESSION_TLS_REFUSED,	/* last request refused */
	SESSION_TLS_EXPECTED,	/* accepted: next client bytes must be TLS */
	SESSION_TLS_COUNT
};

struct attempt {
	uint32_t id;		/* 0: slot free */
	uint8_t mech;		/* enum mech */
	uint8_t tls;		/* enum tls_state */
	bool has_account;
	struct event_time ts;
	uint8_t account[REDACT_ACCOUNT_BYTES];
};

struct session {
	const struct session_env *env;
	enum proto proto;
	struct endpoint client;
	struct endpoint server;
	uint64_t flow_id;
	struct event_time now;	/* time of the packet being parsed */
	enum session_tls tls;
	bool is_done;		/* nothing left to learn on this connection */
	bool is_midstream;	/* its start was not captured */
	bool has_server_spoken;	/* SERVER_SPOKE was emitted */
	bool has_client_bytes;	/* client payload was seen */
	bool has_client_gap;	/* client bytes were lost */
	bool has_login;		/* an attempt was opened on this connection */
	/* attempts[0..attempts_used) were ever taken; the rest have never
	 * been written (session_wipe() relies on it), and a free slot is
	 * always the lowest one */
	uint8_t attempts_used;
	uint32_t next_attempt_id;
	char software[EVENT_SOFTWARE_MAX + 1];	/* from IMAP ID */
	/* last: the slots past attempts_used, never written */
	struct attempt attempts[ATTEMPTS_PENDING_MAX];
};

/* session_attempt_open(): credential bytes of mechanism m crossed the wire
 * now; account is the pseudonym or NULL.  Returns the attempt's id. */
uint32_t session_attempt_open(struct session *s, enum mech m,
    const uint8_t *account);

/* session_attempt_close(): the server's verdict on attempt `id` (ignored if
 * it is no longer pending); code is the response code (may be empty,
 * sanitised here).  Emits the login event. */
void session_attempt_close(struct session *s, uint32_t id, enum verdict v,
    const uint8_t *code, size_t code_len);

/* session_attempts_flush(): close every pending attempt as unknown, oldest
 * first. */
void session_attempts_flush(struct session *s);

/* session_finish(): the connection is over or has nothing left to say:
 * flush the attempts and mark the session done. */
void session_finish(struct session *s);

/* session_server_spoke(): the server was seen speaking the protocol. */
void session_server_spoke(struct session *s);

/* session_server_caps(): the server listed its capabilities before TLS. */
void session_server_caps(struct session *s, bool has_starttls,
    bool has_login_disabled, bool has_user, uint32_t sasl_offered);

/* session_set_software(): the client named itself (IMAP ID); each part is
 * reduced to a safe character set and the whole to EVENT_SOFTWARE_MAX. */
void session_set_software(struct session *s, const uint8_t *name,
    size_t name_len, const uint8_t *version, size_t version_len);

/* session_account(): the pseudonym of a user name, when a key is set.
 * False (out untouched) without a key. */
bool session_account(const struct session *s, const uint8_t *name, size_t n,
    uint8_t out[REDACT_ACCOUNT_BYTES]);

/* session_wipe(): wipe (OPENSSL_cleanse) every byte of s that has been
 * written since it was zeroed: s must have started all zero (calloc), and
 * the attempt slots past attempts_used are still zero.  Leaves s all
 * zero. */
void session_wipe(struct session *s);

/* session_count(): add to a counter. */
static inline void
session_count(const struct session *s, enum stat_id id)
{
	s->env->stats->v[id]++;
}

#endif
