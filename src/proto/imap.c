/* imap.c: the IMAP state machine (RFC 3501 and 9051 IMAP4, 2595 STARTTLS,
 * 4959 SASL-IR, 7888 LITERAL+, 2971 ID, 5530 response codes).
 *
 * Reads client commands and server responses as lines, honouring literals
 * ({n}, {n+} and ~{n}) in both directions, so that a message being
 * uploaded is never mistaken for commands.  LOGIN arguments are atoms,
 * quoted strings with escapes, or literals; the attempt is opened when the
 * command is complete, and closed by the tagged answer with the same tag
 * (tags are kept only as keyed hashes).  AUTHENTICATE goes through sasl.c.
 * STARTTLS is trusted only when the client's next bytes are a TLS record.
 * ID's "name" and "version" are recorded (not credentials).  When only the
 * server is visible, a server that goes from its greeting to the
 * authenticated state in clear reports an inferred login.
 *
 * Does not: parse mailbox data, or any command after login (the flow is
 * bypassed); decide that a connection is IMAP from content alone.
 */
#include "proto/imap.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>

#include "proto/line.h"
#include "util/log.h"

static const char *const imap_state_names[] = {
	[IMAP_NOT_AUTHENTICATED] = "not_authenticated",
	[IMAP_AUTHENTICATED] = "authenticated",
	[IMAP_ENCRYPTED] = "encrypted",
	[IMAP_NOT_IMAP] = "not_imap",
};
_Static_assert(sizeof(imap_state_names) / sizeof(imap_state_names[0]) ==
	IMAP_STATE_COUNT,
    "every imap_state needs a name");

/* Client lines that are no IMAP command before we stop believing the
 * connection is IMAP. */
#define IMAP_UNKNOWN_LINES_MAX 8u

/* Longest ID value kept ("name", "version"); the event keeps less. */
#define IMAP_ID_VALUE_MAX 64u

const char *
imap_state_name(enum imap_state st)
{
	return st < IMAP_STATE_COUNT ? imap_state_names[st] : "?";
}

/* The one function that changes the connection's state. */
static void
imap_enter(struct session *s, struct imap *m, enum imap_state next)
{
	log_debug("imap flow %llu: %s -> %s", (unsigned long long)s->flow_id,
	    imap_state_name(m->state), imap_state_name(next));
	m->state = next;
	switch (next) {
	case IMAP_AUTHENTICATED:
	case IMAP_ENCRYPTED:
	case IMAP_NOT_IMAP:
		session_finish(s);
		break;
	case IMAP_NOT_AUTHENTICATED:
	case IMAP_STATE_COUNT:
		break;
	}
}

void
imap_init(struct session *s, struct imap *m)
{
	(void)s;
	memset(m, 0, sizeof(*m));
	m->state = IMAP_NOT_AUTHENTICATED;
	m->client = IMAP_C_COMMAND;
}

void
imap_wipe(struct imap *m)
{
	/* pending slots past pending_used were never written: still zero
	 * (a connection uses one or two of them) */
	OPENSSL_cleanse(m, offsetof(struct imap, pending) +
	    m->pending_used * sizeof(m->pending[0]));
}

/* --- tagged commands waiting for their answer --- */

static uint64_t
tag_hash(const struct session *s, struct line tag)
{
	return hash_sip13(&s->env->tag_key, tag.p, tag.len);
}

static struct imap_pending *
pending_find(struct imap *m, uint64_t tag)
{
	struct imap_pending *found = NULL;

	/* the oldest with that tag: a reused tag is answered in order */
	for (size_t i = 0; i < m->pending_used; i++) {
		struct imap_pending *e = &m->pending[i];

		if (e->order != 0 && e->tag == tag &&
		    (found == NULL || e->order < found->order))
			found = e;
	}
	return found;
}

/* Some command waits for its answer. */
static bool
has_pending(const struct imap *m)
{
	for (size_t i = 0; i < m->pending_used; i++)
		if (m->pending[i].order != 0)
			return true;
	return false;
}

static struct imap_pending *
pending_add(struct session *s, struct imap *m, uint64_t tag,
    enum imap_cmd cmd)
{
	struct imap_pending *slot = NULL;

	for (size_t i = 0; i < m->pending_used && slot == NULL; i++)
		if (m->pending[i].order == 0)
			slot = &m->pending[i];
	if (slot == NULL && m->pending_used < IMAP_PENDING_MAX)
		slot = &m->pending[m->pending_used++];	/* never used */
	if (slot == NULL) {
		/* full: forget the oldest; its attempt stays unknown */
		slot = &m->pending[0];
		for (size_t i = 1; i < IMAP_PENDING_MAX; i++)
			if (m->pending[i].order < slot->order)
				slot = &m->pending[i];
		session_count(s, STAT_CAP_PENDING);
		session_attempt_close(s, slot->attempt, VERDICT_UNKNOWN, NULL,
		    0);
	}
	slot->tag = tag;
	slot->cmd = (uint8_t)cmd;
	slot->attempt = 0;
	slot->order = ++m->pending_order;
	return slot;
}

/* --- tokens --- */

enum tok_kind {
	TOK_END,		/* nothing left on the line */
	TOK_ATOM,
	TOK_QUOTED,		/* raw: between the quotes, escapes kept */
	TOK_LITERAL,		/* {n} or {n+} ending the line */
	TOK_BAD
};

struct tok {
	enum tok_kind kind;
	struct line raw;
	uint32_t literal_len;
	bool is_sync;
};

/* A literal marker "{n}", "{n+}" or "~{n}": must end the line. */
static bool
parse_literal(struct line t, struct tok *out)
{
	size_t i = 0;
	uint64_t n = 0;
	size_t digits = 0;

	if (i < t.len && t.p[i] == '~')
		i++;		/* RFC 3516 binary literal */
	if (i >= t.len || t.p[i] != '{')
		return false;
	for (i++; i < t.len && t.p[i] >= '0' && t.p[i] <= '9'; i++) {
		n = n * 10 + (uint64_t)(t.p[i] - '0');
		if (++digits > 10)
			return false;
	}
	out->is_sync = true;
	if (i < t.len && t.p[i] == '+') {
		out->is_sync = false;
		i++;
	}
	if (digits == 0 || n > UINT32_MAX || i + 1 != t.len || t.p[i] != '}')
		return false;
	out->kind = TOK_LITERAL;
	out->literal_len = (uint32_t)n;
	return true;
}

/* The next argument of a command: atom, quoted string or literal. */
static struct tok
next_arg(struct line *rest)
{
	struct tok t = {TOK_END, {NULL, 0}, 0, false};

	while (rest->len > 0 && rest->p[0] == ' ') {
		rest->p++;
		rest->len--;
	}
	if (rest->len == 0)
		return t;
	if (rest->p[0] == '"') {
		size_t i = 1;

		while (i < rest->len && rest->p[i] != '"') {
			if (rest->p[i] == '\\')
				i++;	/* \" and \\ */
			i++;
		}
		if (i >= rest->len) {
			t.kind = TOK_BAD;	/* unterminated */
			rest->p += rest->len;
			rest->len = 0;
			return t;
		}
		t.kind = TOK_QUOTED;
		t.raw.p = rest->p + 1;
		t.raw.len = i - 1;
		rest->p += i + 1;
		rest->len -= i + 1;
		return t;
	}
	struct line w = line_word(rest);

	if (!parse_literal(w, &t)) {
		t.kind = TOK_ATOM;
		t.raw = w;
	}
	return t;
}

/* Unescape a quoted string into out (at most cap bytes): the length. */
static size_t
unquote(struct line raw, uint8_t *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < raw.len && k < cap; i++) {
		if (raw.p[i] == '\\' && i + 1 < raw.len)
			i++;
		out[k++] = raw.p[i];
	}
	return k;
}

/* The account pseudonym of a LOGIN user name given as atom or quoted,
 * into out; false without --account-key. */
static bool
account_of(struct session *s, struct tok t,
    uint8_t out[REDACT_ACCOUNT_BYTES])
{
	uint8_t name[IMAP_USER_LITERAL_MAX];
	size_t n;
	bool has;

	if (s->env->redact == NULL)
		return false;
	if (t.kind != TOK_QUOTED)
		return session_account(s, t.raw.p, t.raw.len, out);
	n = unquote(t.raw, name, sizeof(name));
	has = session_account(s, name, n, out);
	OPENSSL_cleanse(name, sizeof(name));
	return has;
}

/* The bytes a tag may hold, one bit per byte value (bit c & 63 of word
 * c >> 6): 0x21 to 0x7e except ( ) { " \ %.  That is RFC 3501's tag
 * (sec. 9: ASTRING-CHAR but "+") let loose on "+" and "*", which is_tag()
 * turns away only as a first byte.  One load and shift a byte, where ten
 * comparisons were. */
static const uint64_t tag_bytes[4] = {
	UINT64_C(0xfffffcda00000000),	/* 0x00-0x3f: from '!', less " % ( ) */
	UINT64_C(0x77ffffffefffffff),	/* 0x40-0x7f: less \ { DEL */
	0, 0,			/* 0x80-0xff: none */
};

static bool
is_tag(struct line t)
{
	if (t.len == 0 || t.p[0] == '+' || t.p[0] == '*')
		return false;
	for (size_t i = 0; i < t.len; i++) {
		uint8_t c = t.p[i];

		if (!(tag_bytes[c >> 6] >> (c & 63) & 1))
			return false;
	}
	return true;
}

static bool
is_command_name(struct line t)
{
	if (t.len == 0 || t.len > 32)
		return false;
	for (size_t i = 0; i < t.len; i++) {
		uint8_t c = t.p[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_' ||
			c == '.'))
			return false;
	}
	return true;
}

/* --- client --- */

static void
start_literal(struct imap *m, struct tok t, bool is_user)
{
	m->client = IMAP_C_LITERAL;
	m->literal_left[DIR_C2S] = t.literal_len;
	m->is_cur_sync = t.is_sync;
	m->is_cur_literal_started = false;
	m->is_literal_user = is_user;
}

/* The client finished the command it was in. */
static void
command_done(struct session *s, struct imap *m)
{
	if (m->cur_cmd == IMAP_CMD_LOGIN && m->cur_args >= 2) {
		uint32_t id = session_attempt_open(s, MECH_LOGIN,
		    m->has_cur_account ? m->cur_account : NULL);
		struct imap_pending *e = pending_find(m, m->cur_tag);

		if (e != NULL && e->cmd == IMAP_CMD_LOGIN && e->attempt == 0)
			e->attempt = id;
	}
	m->client = IMAP_C_COMMAND;
	m->cur_cmd = IMAP_CMD_OTHER;
	m->has_cur_account = false;
}

/* LOGIN arguments, possibly continuing after a literal. */
static void
login_args(struct session *s, struct imap *m, struct line rest,
    bool is_truncated)
{
	for (;;) {
		struct tok t = next_arg(&rest);

		switch (t.kind) {
		case TOK_END:
			if (is_truncated && m->cur_args < 2)
				m->cur_args = 2;	/* the line held them */
			command_done(s, m);
			return;
		case TOK_BAD:
			/* an unterminated quote: the line was cut, or it
			 * is garbage; a cut LOGIN line carried the
			 * credential all the same */
			if (is_truncated)
				m->cur_args = 2;
			command_done(s, m);
			return;
		case TOK_ATOM:
		case TOK_QUOTED:
			if (m->cur_args == 0)
				m->has_cur_account = account_of(s, t,
				    m->cur_account);
			m->cur_args++;
			break;
		case TOK_LITERAL:
			start_literal(m, t, m->cur_args == 0);
			return;
		}
	}
}

/* Skip to the end of a command's line, honouring a final literal. */
static void
other_args(struct session *s, struct imap *m, struct line rest)
{
	struct tok last = {TOK_END, {NULL, 0}, 0, false};

	for (struct tok t = next_arg(&rest); t.kind != TOK_END;
	     t = next_arg(&rest))
		last = t;
	if (last.kind == TOK_LITERAL)
		start_literal(m, last, false);
	else
		command_done(s, m);
}

/* ID ("name" "x" "version" "y" ...): the client names itself. */
static void
id_args(struct session *s, struct imap *m, struct line rest)
{
	uint8_t name[IMAP_ID_VALUE_MAX], version[IMAP_ID_VALUE_MAX];
	size_t name_len = 0, version_len = 0;
	struct line key = {NULL, 0};
	bool is_value = false;
	bool has_key = false;

	while (rest.len > 0 && (rest.p[0] == ' ' || rest.p[0] == '(')) {
		rest.p++;
		rest.len--;
	}
	for (;;) {
		struct tok t = next_arg(&rest);

		if (t.kind == TOK_END || t.kind == TOK_BAD ||
		    t.kind == TOK_LITERAL) {
			/* values sent as literals are skipped */
			if (t.kind == TOK_LITERAL)
				start_literal(m, t, false);
			break;
		}
		/* an atom may carry the closing parenthesis */
		if (t.kind == TOK_ATOM && t.raw.len > 0 &&
		    t.raw.p[t.raw.len - 1] == ')')
			t.raw.len--;
		if (!is_value) {
			key = t.raw;
			has_key = t.kind == TOK_QUOTED;
		} else if (has_key && t.kind == TOK_QUOTED) {
			if (line_is(key, "name"))
				name_len = unquote(t.raw, name, sizeof(name));
			else if (line_is(key, "version"))
				version_len = unquote(t.raw, version,
				    sizeof(version));
		}
		is_value = !is_value;
	}
	if (name_len > 0)
		session_set_software(s, name, name_len, version, version_len);
	if (m->client != IMAP_C_LITERAL)
		command_done(s, m);
}

static void
sasl_line(struct session *s, struct imap *m, struct line l, bool is_truncated)
{
	if (sasl_response(&m->sasl, s, l.p, l.len, is_truncated)) {
		uint32_t id = session_attempt_open(s,
		    event_mech_sasl(PROTO_IMAP, m->sasl.mech),
		    m->sasl.has_account ? m->sasl.account : NULL);
		struct imap_pending *e = pending_find(m, m->cur_tag);

		if (e != NULL && e->cmd == IMAP_CMD_AUTHENTICATE &&
		    e->attempt == 0)
			e->attempt = id;
	}
	if (sasl_is_finished(&m->sasl))
		command_done(s, m);
}

static void
command_line(struct session *s, struct imap *m, struct line l,
    bool is_truncated)
{
	struct line rest = l;
	struct line tag = line_word(&rest);
	struct line name = line_word(&rest);

	if (tag.len == 0)
		return;		/* an empty line */
	if (!is_tag(tag) || !is_command_name(name)) {
		if (++m->unknown_lines > IMAP_UNKNOWN_LINES_MAX &&
		    !s->has_server_spoken) {
			session_count(s, STAT_SESSIONS_NOT_MAIL);
			imap_enter(s, m, IMAP_NOT_IMAP);
		}
		return;
	}
	m->unknown_lines = 0;
	if (s->tls == SESSION_TLS_EXPECTED && !m->has_not_started) {
		/* STARTTLS was accepted, yet the client goes on in clear */
		m->has_not_started = true;
		session_count(s, STAT_STARTTLS_NOT_STARTED);
	}
	m->cur_tag = tag_hash(s, tag);
	m->cur_cmd = IMAP_CMD_OTHER;
	m->cur_args = 0;
	m->has_cur_account = false;
	if (line_is(name, "LOGIN")) {
		m->cur_cmd = IMAP_CMD_LOGIN;
		pending_add(s, m, m->cur_tag, IMAP_CMD_LOGIN);
		login_args(s, m, rest, is_truncated);
	} else if (line_is(name, "AUTHENTICATE")) {
		struct line mech = line_word(&rest);
		struct line ir = line_word(&rest);

		m->cur_cmd = IMAP_CMD_AUTHENTICATE;
		pending_add(s, m, m->cur_tag, IMAP_CMD_AUTHENTICATE);
		sasl_begin(&m->sasl, s, sasl_mech_from_name(mech.p, mech.len));
		m->client = IMAP_C_SASL;
		if (ir.len > 0)		/* RFC 4959 initial response */
			sasl_line(s, m, ir, is_truncated);
		else if (sasl_is_finished(&m->sasl))
			command_done(s, m);
	} else if (line_is(name, "STARTTLS")) {
		s->tls = SESSION_TLS_PENDING;
		pending_add(s, m, m->cur_tag, IMAP_CMD_STARTTLS);
		command_done(s, m);
	} else if (line_is(name, "ID")) {
		m->cur_cmd = IMAP_CMD_ID;
		id_args(s, m, rest);
	} else {
		other_args(s, m, rest);
	}
}

static void
client_line(struct session *s, struct imap *m, struct line l,
    bool is_truncated)
{
	switch (m->client) {
	case IMAP_C_COMMAND:
		command_line(s, m, l, is_truncated);
		break;
	case IMAP_C_ARGS:
		if (m->cur_cmd == IMAP_CMD_LOGIN)
			login_args(s, m, l, is_truncated);
		else
			other_args(s, m, l);
		break;
	case IMAP_C_SASL:
		sasl_line(s, m, l, is_truncated);
		break;
	case IMAP_C_LITERAL:
	case IMAP_C_COUNT:
		assert(0 && "literal bytes are not lines");
		break;
	}
}

/* Literal bytes of the client: counted, and hashed when they are the
 * LOGIN user name.  Returns bytes consumed (0: wait for more). */
static size_t
client_literal(struct session *s, struct imap *m, const uint8_t *b, size_t n)
{
	uint32_t left = m->literal_left[DIR_C2S];

	if (m->is_literal_user && !m->is_cur_literal_started &&
	    s->env->redact != NULL && left <= IMAP_USER_LITERAL_MAX) {
		if (n < left)
			return 0;	/* stream.c keeps it until whole */
		m->has_cur_account = session_account(s, b, left,
		    m->cur_account);
	}
	size_t take = n < left ? n : left;

	m->is_cur_literal_started = true;
	m->literal_left[DIR_C2S] -= (uint32_t)take;
	if (m->literal_left[DIR_C2S] == 0) {
		if (m->cur_cmd == IMAP_CMD_LOGIN)
			m->cur_args++;
		m->client = IMAP_C_ARGS;
	}
	return take;
}

/* --- server --- */

/* Capability words: STARTTLS, LOGINDISABLED, AUTH=<mech>.  The words are
 * cut with memchr(), not line_word(): a list is ten to thirty words of
 * about ten bytes, where a byte loop cost more than the call. */
static void
capabilities(struct session *s, struct imap *m, struct line rest)
{
	bool has_starttls = false, has_disabled = false;
	uint32_t sasl = 0;

	if (m->state != IMAP_NOT_AUTHENTICATED ||
	    s->tls == SESSION_TLS_EXPECTED)
		return;		/* only the pre-login, pre-TLS list counts */
	while (rest.len > 0) {
		if (rest.p[0] == ' ') {
			rest.p++;
			rest.len--;
			continue;
		}
		const uint8_t *space = memchr(rest.p, ' ', rest.len);
		struct line w = {rest.p,
		    space ? (size_t)(space - rest.p) : rest.len};

		rest.p += w.len;
		rest.len -= w.len;
		if (w.p[w.len - 1] == ']')
			w.len--;
		if (line_is(w, "STARTTLS"))
			has_starttls = true;
		else if (line_is(w, "LOGINDISABLED"))
			has_disabled = true;
		else if (line_starts(w, "AUTH=") && w.len > 5)
			sasl |= 1u << sasl_mech_from_name(w.p + 5, w.len - 5);
	}
	session_server_caps(s, has_starttls, has_disabled, false, sasl);
}

/* "[CODE ...]" at the start of response text: the code, and the text
 * after the bracket. */
static struct line
resp_code(struct line text, struct line *after)
{
	struct line code = {text.p, 0};

	*after = text;
	while (after->len > 0 && after->p[0] == ' ') {
		after->p++;
		after->len--;
	}
	if (after->len == 0 || after->p[0] != '[')
		return code;
	const uint8_t *close = memchr(after->p, ']', after->len);
	size_t inner = close ? (size_t)(close - after->p) - 1 : after->len - 1;

	code.p = after->p + 1;
	code.len = inner;
	if (close) {
		after->len -= (size_t)(close - after->p) + 1;
		after->p = close + 1;
	} else {
		after->p += after->len;
		after->len = 0;
	}
	return code;
}

/* The connection is one where a login can be inferred from the server
 * alone (see infer_login()): asked before looking for the signs of one
 * in a response's text, which on an ordinary capture it never is. */
static bool
can_infer_login(const struct session *s, const struct imap *m)
{
	return (s->has_client_gap || !s->has_client_bytes) && !s->has_login &&
	    m->is_greeting_ok && m->state == IMAP_NOT_AUTHENTICATED &&
	    s->tls != SESSION_TLS_EXPECTED;
}

static void
infer_login(struct session *s, struct imap *m)
{
	if (!can_infer_login(s, m))
		return;
	uint32_t id = session_attempt_open(s, MECH_INFERRED, NULL);

	session_attempt_close(s, id, VERDICT_ACCEPTED, NULL, 0);
	imap_enter(s, m, IMAP_AUTHENTICATED);
}

/* Untagged data that only exists once a mailbox is open or listed. */
static bool
is_mailbox_data(struct line first, struct line second)
{
	static const char *const words[] = {"FLAGS", "LIST", "LSUB",
	    "STATUS", "SEARCH", "ESEARCH", "NAMESPACE"};
	bool is_number = first.len > 0;

	for (size_t i = 0; i < first.len && is_number; i++)
		is_number = first.p[i] >= '0' && first.p[i] <= '9';
	if (is_number)
		return line_is(second, "EXISTS") || line_is(second, "RECENT") ||
		    line_is(second, "FETCH");
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (line_is(first, words[i]))
			return true;
	return false;
}

static void
untagged(struct session *s, struct imap *m, struct line rest)
{
	struct line first = line_word(&rest);
	struct line after;

	if (line_is(first, "CAPABILITY")) {
		capabilities(s, m, rest);
		return;
	}
	if (line_is(first, "OK") || line_is(first, "NO") ||
	    line_is(first, "BAD") || line_is(first, "BYE") ||
	    line_is(first, "PREAUTH")) {
		struct line code = resp_code(rest, &after);
		struct line cw = line_word(&code);

		if (line_is(cw, "CAPABILITY"))
			capabilities(s, m, code);
		return;
	}
	struct line rest2 = rest;

	if (is_mailbox_data(first, line_word(&rest2)))
		infer_login(s, m);
}

static void
tagged(struct session *s, struct imap *m, struct line tag, struct line rest)
{
	struct line status = line_word(&rest);
	bool is_ok = line_is(status, "OK");
	bool is_no = line_is(status, "NO") || line_is(status, "BAD");

	if (!is_ok && !is_no)
		return;
	struct line text;
	struct line code = resp_code(rest, &text);
	struct line code_rest = code;
	struct line code_word = line_word(&code_rest);

	while (text.len > 0 && text.p[0] == ' ') {
		text.p++;
		text.len--;
	}
	session_server_spoke(s);
	/* The client was waiting for "+" to send a literal of this very
	 * command and got the answer instead: it will not send it. */
	bool is_client_waiting = m->client == IMAP_C_ARGS ||
	    (m->client == IMAP_C_LITERAL && m->is_cur_sync &&
		!m->is_cur_literal_started) ||
	    m->client == IMAP_C_SASL;
	/* The tag is hashed only when something could match it: many
	 * answers are to commands nothing waits for (CAPABILITY, ID...). */
	bool is_pending = has_pending(m);
	uint64_t h = is_client_waiting || is_pending ? tag_hash(s, tag) : 0;

	if (is_client_waiting && h == m->cur_tag) {
		m->literal_left[DIR_C2S] = 0;
		m->cur_cmd = IMAP_CMD_OTHER;
		m->client = IMAP_C_COMMAND;
	}
	struct imap_pending *e = is_pending ? pending_find(m, h) : NULL;

	if (e == NULL) {
		/* the answer to a command we did not see */
		if (is_ok && can_infer_login(s, m) &&
		    (line_starts(text, "LOGIN") ||
			line_starts(text, "AUTHENTICATE") ||
			line_contains(text, "logged in")))
			infer_login(s, m);
		if (is_ok && line_is(code_word, "CAPABILITY"))
			capabilities(s, m, code_rest);
		return;
	}
	enum imap_cmd cmd = (enum imap_cmd)e->cmd;
	uint32_t attempt = e->attempt;

	e->order = 0;
	switch (cmd) {
	case IMAP_CMD_LOGIN:
	case IMAP_CMD_AUTHENTICATE:
		/* a success's code is usually CAPABILITY: not worth keeping */
		session_attempt_close(s, attempt,
		    is_ok ? VERDICT_ACCEPTED : VERDICT_REJECTED,
		    is_ok ? NULL : code_word.p, is_ok ? 0 : code_word.len);
		if (is_ok)
			imap_enter(s, m, IMAP_AUTHENTICATED);
		break;
	case IMAP_CMD_STARTTLS:
		if (is_ok) {
			session_count(s, STAT_STARTTLS_ACCEPTED);
			s->tls = SESSION_TLS_EXPECTED;
			m->is_server_tls_expected = true;
		} else {
			session_count(s, STAT_STARTTLS_REFUSED);
			s->tls = SESSION_TLS_REFUSED;
		}
		break;
	case IMAP_CMD_OTHER:
	case IMAP_CMD_ID:
	case IMAP_CMD_COUNT:
		break;
	}
	if (is_ok && m->state == IMAP_NOT_AUTHENTICATED &&
	    line_is(code_word, "CAPABILITY"))
		capabilities(s, m, code_rest);
}

static void
server_line(struct session *s, struct imap *m, struct line l)
{
	struct line rest = l;
	struct line first = line_word(&rest);

	if (m->is_server_tls_expected) {
		/* cleartext after its own OK to STARTTLS: what a STARTTLS
		 * injection (CVE-2021-22947 class) would plant */
		m->is_server_tls_expected = false;
		session_count(s, STAT_STARTTLS_SERVER_CLEARTEXT);
	}
	if (!m->has_greeting) {
		struct line r2 = rest;
		struct line kind = line_word(&r2);

		m->has_greeting = true;
		if (line_is(first, "*") && (line_is(kind, "OK") ||
		    line_is(kind, "PREAUTH") || line_is(kind, "BYE"))) {
			m->is_greeting_ok = line_is(kind, "OK");
			session_server_spoke(s);
			untagged(s, m, rest);
			if (line_is(kind, "PREAUTH"))	/* no login needed */
				imap_enter(s, m, IMAP_AUTHENTICATED);
			return;
		}
		/* An IMAP server speaks first, with "* OK".  When the
		 * client spoke first the greeting is just missing from the
		 * capture, and the line must still be an IMAP response:
		 * untagged, a continuation, or a tagged status.  Anything
		 * else (HTTP, SSH...) is not IMAP. */
		bool is_response = line_is(first, "*") ||
		    line_is(first, "+") ||
		    (is_tag(first) && (line_is(kind, "OK") ||
			line_is(kind, "NO") || line_is(kind, "BAD")));

		if (!s->is_midstream &&
		    (!s->has_client_bytes || !is_response)) {
			session_count(s, STAT_SESSIONS_NOT_MAIL);
			imap_enter(s, m, IMAP_NOT_IMAP);
			return;
		}
	}
	if (line_is(first, "*"))
		untagged(s, m, rest);
	else if (line_is(first, "+"))
		;	/* continuation: the client side reads its answer */
	else if (is_tag(first))
		tagged(s, m, first, rest);
	/* a trailing literal in server data (FETCH, ID): skip its bytes.
	 * Only before login: after it the flow is done.  The last word is
	 * found from the end, not by walking every word: a login's tagged
	 * OK carries a capability list of 300 bytes. */
	struct tok t;

	if (m->state == IMAP_NOT_AUTHENTICATED &&
	    parse_literal(line_last_word(rest), &t))
		m->literal_left[DIR_S2C] = t.literal_len;
}

/* --- bytes to lines --- */

static void
tls_record(struct session *s, struct imap *m, enum dir d)
{
	if (s->tls == SESSION_TLS_EXPECTED || m->is_server_tls_expected)
		session_count(s, STAT_TLS_STARTED);
	else if (d == DIR_C2S && !s->has_server_spoken)
		session_count(s, STAT_SESSIONS_TLS);	/* TLS from byte 1 */
	else
		session_count(s, STAT_TLS_STARTED);
	imap_enter(s, m, IMAP_ENCRYPTED);
}

size_t
imap_feed(struct session *s, struct imap *m, enum dir d, const uint8_t *buf,
    size_t len)
{
	size_t off = 0;

	while (off < len && !s->is_done) {
		const uint8_t *b = buf + off;
		size_t n = len - off;
		bool is_done;

		if (m->literal_left[d] > 0) {
			size_t take;

			if (d == DIR_C2S) {
				take = client_literal(s, m, b, n);
				if (take == 0)
					break;
			} else {
				take = n < m->literal_left[d]
				    ? n
				    : m->literal_left[d];
				m->literal_left[d] -= (uint32_t)take;
			}
			off += take;
			continue;
		}
		if (m->is_discarding[d]) {
			off += line_skip(b, n, &is_done);
			m->is_discarding[d] = !is_done;
			continue;
		}
		int tls = line_is_tls_record(b, n);

		if (tls < 0)
			break;
		if (tls > 0) {
			tls_record(s, m, d);
			return len;
		}
		struct line l;
		size_t used;
		enum line_status st = line_next(b, n, STREAM_LINE_MAX, &l,
		    &used);

		if (st == LINE_PARTIAL)
			break;
		if (st == LINE_TOO_LONG) {
			session_count(s, STAT_CAP_LINE);
			m->is_discarding[d] = true;
		}
		off += used;
		if (d == DIR_C2S)
			client_line(s, m, l, st == LINE_TOO_LONG);
		else
			server_line(s, m, l);
	}
	if (s->is_done)
		return len;
	assert(len - off < STREAM_LINE_MAX);
	return off;
}

size_t
imap_credentials(struct session *s, struct imap *m, const uint8_t *buf,
    size_t len, bool is_report)
{
	size_t found = 0;

	while (len > 0) {
		struct line rest = line_take(&buf, &len);
		struct line tag = line_word(&rest);
		struct line name = line_word(&rest);
		enum mech mech = MECH_COUNT;
		enum imap_cmd cmd = IMAP_CMD_OTHER;
		uint8_t acc[REDACT_ACCOUNT_BYTES];
		bool has_acc = false;

		if (is_tag(tag) && line_is(name, "LOGIN")) {
			struct line args = rest;
			struct tok user = next_arg(&args);
			struct tok pass = next_arg(&args);

			if (pass.kind != TOK_END && pass.kind != TOK_BAD) {
				mech = MECH_LOGIN;
				cmd = IMAP_CMD_LOGIN;
				if (user.kind == TOK_ATOM ||
				    user.kind == TOK_QUOTED)
					has_acc = account_of(s, user, acc);
			}
		} else if (is_tag(tag) && line_is(name, "AUTHENTICATE")) {
			struct line mname = line_word(&rest);
			struct line ir = line_word(&rest);
			struct sasl x;

			sasl_begin(&x, s, sasl_mech_from_name(mname.p,
					       mname.len));
			if (ir.len > 0 && sasl_response(&x, s, ir.p, ir.len, false)) {
				mech = event_mech_sasl(PROTO_IMAP, x.mech);
				cmd = IMAP_CMD_AUTHENTICATE;
				has_acc = x.has_account;
				memcpy(acc, x.account, sizeof(acc));
			}
		}
		if (mech != MECH_COUNT) {
			found++;
			if (is_report) {
				uint32_t id = session_attempt_open(s, mech,
				    has_acc ? acc : NULL);
				struct imap_pending *e = pending_add(s, m,
				    tag_hash(s, tag), cmd);

				e->attempt = id;
				session_count(s, STAT_LOGINS_OTHER_COPY);
			}
		}
	}
	return found;
}

void
imap_cut_line(struct session *s, struct imap *m, enum dir d,
    const uint8_t *buf, size_t len)
{
	struct line l = {buf, len < STREAM_LINE_MAX ? len : STREAM_LINE_MAX};

	if (s->is_done || m->is_discarding[d] || m->literal_left[d] > 0 ||
	    len == 0 || line_is_tls_record(buf, len) != 0)
		return;
	if (d == DIR_C2S)
		client_line(s, m, l, true);
	else
		server_line(s, m, l);
}

void
imap_gap(struct session *s, struct imap *m, enum dir d)
{
	/* resynchronise: what follows the hole starts a line (see
	 * pop3_gap()); a literal or command in progress is abandoned */
	m->is_discarding[d] = false;
	m->literal_left[d] = 0;
	if (d == DIR_S2C) {
		m->has_greeting = true;	/* lost, or not: cannot tell */
		return;
	}
	s->has_client_gap = true;
	m->client = IMAP_C_COMMAND;
	m->cur_cmd = IMAP_CMD_OTHER;
}
