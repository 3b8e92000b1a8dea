/* imap.h: the IMAP engine (RFC 3501, 9051, 2595, 4959, 7888, 2971).
 *
 * Owns: struct imap, the IMAP state of one connection.  Fed each
 * direction's in-order bytes by proto.c; reports through session.h.
 * The state diagram is in docs/protocols/imap.md.
 */
#ifndef PLAINSIGHT_IMAP_H
#define PLAINSIGHT_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "proto/sasl.h"
#include "proto/session.h"
#include "util/dir.h"

/* The connection (RFC 3501 sec. 3). */
enum imap_state {
	IMAP_NOT_AUTHENTICATED,	/* LOGIN, AUTHENTICATE, STARTTLS legal */
	IMAP_AUTHENTICATED,	/* logged in or PREAUTH: nothing to learn */
	IMAP_ENCRYPTED,		/* TLS started: nothing left to see */
	IMAP_NOT_IMAP,		/* the bytes are not IMAP: stop */
	IMAP_STATE_COUNT
};

/* Where the client's byte stream is. */
enum imap_client {
	IMAP_C_COMMAND,		/* at the start of a command */
	IMAP_C_ARGS,		/* inside a command, after a literal */
	IMAP_C_LITERAL,		/* inside a literal {n} */
	IMAP_C_SASL,		/* lines are AUTHENTICATE responses */
	IMAP_C_COUNT
};

enum imap_cmd {
	IMAP_CMD_OTHER,
	IMAP_CMD_LOGIN,
	IMAP_CMD_AUTHENTICATE,
	IMAP_CMD_STARTTLS,
	IMAP_CMD_ID,
	IMAP_CMD_COUNT
};

/* A tagged command whose answer matters, waiting for it. */
struct imap_pending {
	uint64_t tag;		/* keyed hash of the tag */
	uint32_t attempt;	/* login attempt id, or 0 */
	uint32_t order;		/* 0: free; else arrival order */
	uint8_t cmd;		/* enum imap_cmd */
};

struct imap {
	enum imap_state state;
	enum imap_client client;
	bool is_discarding[DIR_COUNT];	/* skipping the rest of a long line */
	bool has_greeting;	/* the server's first line has gone by */
	bool is_greeting_ok;	/* ... and it was "* OK" */
	bool is_server_tls_expected;	/* server said OK to STARTTLS */
	bool has_not_started;	/* counted starttls_not_started */
	uint8_t unknown_lines;	/* client lines that are no command */
	/* pending[0..pending_used) were ever taken; the rest have never
	 * been written (imap_wipe() relies on it), and a free slot is
	 * always the lowest one */
	uint8_t pending_used;
	uint32_t literal_left[DIR_COUNT];	/* bytes of a literal to go */
	/* the command the client is in the middle of */
	uint64_t cur_tag;
	uint8_t cur_cmd;	/* enum imap_cmd */
	uint8_t cur_args;	/* LOGIN: arguments complete so far */
	bool is_cur_sync;	/* waiting literal is {n}, not {n+} */
	bool is_cur_literal_started;
	bool is_literal_user;	/* the literal is LOGIN's user name */
	bool has_cur_account;
	uint8_t cur_account[REDACT_ACCOUNT_BYTES];
	struct sasl sasl;
	uint32_t pending_order;
	/* last: the slots past pending_used, never written */
	struct imap_pending pending[IMAP_PENDING_MAX];
};

void imap_init(struct session *s, struct imap *m);

/* imap_wipe(): wipe (OPENSSL_cleanse) every byte of m written since
 * imap_init(), which must have found it all zero (calloc).  Leaves m all
 * zero. */
void imap_wipe(struct imap *m);

/* imap_feed(): parse in-order bytes of direction d; returns how many were
 * consumed (the rest, fewer than STREAM_LINE_MAX bytes, must be offered
 * again with more after it). */
size_t imap_feed(struct session *s, struct imap *m, enum dir d,
    const uint8_t *buf, size_t len);

/* imap_cut_line(): the first bytes of a line whose end was lost; parsed
 * for what they show (see pop3_cut_line()). */
void imap_cut_line(struct session *s, struct imap *m, enum dir d,
    const uint8_t *buf, size_t len);

/* imap_credentials(): the client command lines of buf[0..len) that
 * carry a credential (LOGIN, AUTHENTICATE with an exposing initial
 * response), as another copy of bytes already parsed would show them;
 * with is_report, each is opened as an attempt, its tag waiting for an
 * answer.  Returns how many. */
size_t imap_credentials(struct session *s, struct imap *m, const uint8_t *buf,
    size_t len, bool is_report);

/* imap_gap(): bytes of direction d were lost before the next ones. */
void imap_gap(struct session *s, struct imap *m, enum dir d);

const char *imap_state_name(enum imap_state st);

#endif
