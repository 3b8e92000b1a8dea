/* pop3.h: the POP3 engine (RFC 1939, 2449, 2595, 5034).
 *
 * Owns: struct pop3, the POP3 state of one connection.  Fed each
 * direction's in-order bytes by proto.c; reports through session.h.
 * The state diagram is in docs/protocols/pop3.md.
 */
#ifndef PLAINSIGHT_POP3_H
#define PLAINSIGHT_POP3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "proto/sasl.h"
#include "proto/session.h"
#include "util/dir.h"

enum pop3_state {
	POP3_AUTHORIZATION,	/* RFC 1939 sec. 4: USER/PASS/APOP/AUTH legal */
	POP3_SASL,		/* client lines are SASL responses (AUTH) */
	POP3_TRANSACTION,	/* logged in: nothing left to learn */
	POP3_ENCRYPTED,		/* TLS started: nothing left to see */
	POP3_NOT_POP3,		/* the bytes are not POP3: stop */
	POP3_STATE_COUNT
};

/* What a command in flight is, for matching answers in order. */
enum pop3_cmd {
	POP3_CMD_OTHER,		/* one-line answer */
	POP3_CMD_OTHER_MULTI,	/* multi-line answer on +OK (RETR, LIST...) */
	POP3_CMD_CAPA,		/* multi-line capability list */
	POP3_CMD_AUTH_LIST,	/* bare AUTH: multi-line mechanism list */
	POP3_CMD_USER,
	POP3_CMD_PASS,
	POP3_CMD_APOP,
	POP3_CMD_AUTH,
	POP3_CMD_STLS,
	POP3_CMD_COUNT
};

struct pop3_pending {
	uint8_t cmd;		/* enum pop3_cmd */
	uint32_t count;		/* a run of identical ordinary commands */
	uint32_t attempt;	/* attempt id (PASS, APOP, AUTH) or 0 */
};

struct pop3 {
	enum pop3_state state;
	bool has_greeting;	/* the server's first line has gone by */
	bool is_greeting_ok;	/* ... and it was a POP3 greeting */
	bool is_discarding[DIR_COUNT];	/* skipping the rest of a long line */
	bool is_multiline;	/* server: inside a multi-line answer */
	bool is_fifo_lost;	/* answers can no longer be matched */
	bool is_server_tls_expected;	/* server said +OK to STLS */
	bool has_not_started;	/* counted starttls_not_started */
	bool has_user_account;
	uint8_t multiline_cmd;	/* enum pop3_cmd being answered */
	uint8_t unknown_lines;	/* client lines that are no command */
	uint8_t fifo_head;
	uint8_t fifo_len;
	/* fifo[0..fifo_used) were ever written; the rest have never been
	 * (pop3_wipe() relies on it) */
	uint8_t fifo_used;
	struct sasl sasl;
	uint8_t user_account[REDACT_ACCOUNT_BYTES];	/* from USER */
	/* capabilities being listed (CAPA) */
	bool cap_stls;
	bool cap_user;
	uint32_t cap_sasl;
	/* last: the slots past fifo_used, never written */
	struct pop3_pending fifo[POP3_PENDING_MAX];
};

void pop3_init(struct session *s, struct pop3 *p);

/* pop3_wipe(): wipe (OPENSSL_cleanse) every byte of p written since
 * pop3_init(), which must have found it all zero (calloc).  Leaves p all
 * zero. */
void pop3_wipe(struct pop3 *p);

/* pop3_feed(): parse in-order bytes of direction d; returns how many were
 * consumed.  The rest (less than STREAM_LINE_MAX bytes: an unfinished
 * line) must be offered again with more bytes after it. */
size_t pop3_feed(struct session *s, struct pop3 *p, enum dir d,
    const uint8_t *buf, size_t len);

/* pop3_cut_line(): the first bytes of a line whose end was lost (a
 * capture cut by the snaplen, a lost segment); parsed for what they show.
 */
void pop3_cut_line(struct session *s, struct pop3 *p, enum dir d,
    const uint8_t *buf, size_t len);

/* pop3_credentials(): the client lines of buf[0..len) that carry a
 * credential (PASS, APOP, AUTH with an exposing initial response), as
 * another copy of bytes already parsed would show them; with is_report,
 * each is opened as an attempt (verdict unknown: the answers are paired
 * with the copy that was parsed).  Returns how many. */
size_t pop3_credentials(struct session *s, struct pop3 *p, const uint8_t *buf,
    size_t len, bool is_report);

/* pop3_gap(): bytes of direction d were lost before the next ones. */
void pop3_gap(struct session *s, struct pop3 *p, enum dir d);

/* pop3_state_name(): for debug logs and docs. */
const char *pop3_state_name(enum pop3_state st);

#endif
