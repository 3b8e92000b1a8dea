/* pop3.c: the POP3 state machine (RFC 1939, 2449 CAPA and PIPELINING, 2595
 * STLS, 5034 SASL AUTH, 3206 response codes).
 *
 * Reads the client's commands and the server's answers as lines.  Answers
 * are matched to commands in order, through a bounded queue in which runs
 * of ordinary commands take one entry, so pipelined commands in one
 * segment all count.  A login attempt is opened when the credential line
 * is complete (PASS, APOP, the exposing SASL response) and closed by the
 * +OK or -ERR that answers it.  STLS is trusted only when the next client
 * bytes are a TLS record.
 *
 * Does not: parse messages (RETR bodies are skipped as multi-line
 * answers, and the flow is bypassed after login), or decide that a
 * connection is POP3 from its content alone (the port says so; the
 * greeting and the commands can only say it is not).
 */
#include "proto/pop3.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>

#include "proto/line.h"
#include "util/log.h"

static const char *const pop3_state_names[] = {
	[POP3_AUTHORIZATION] = "authorization",
	[POP3_SASL] = "sasl",
	[POP3_TRANSACTION] = "transaction",
	[POP3_ENCRYPTED] = "encrypted",
	[POP3_NOT_POP3] = "not_pop3",
};
_Static_assert(sizeof(pop3_state_names) / sizeof(pop3_state_names[0]) ==
	POP3_STATE_COUNT,
    "every pop3_state needs a name");

/* Client lines that are no POP3 command before we stop believing the
 * connection is POP3 (a proxy header line is tolerated, HTTP is not). */
#define POP3_UNKNOWN_LINES_MAX 8u

const char *
pop3_state_name(enum pop3_state st)
{
	return st < POP3_STATE_COUNT ? pop3_state_names[st] : "?";
}

/* The one function that changes state. */
static void
pop3_enter(struct session *s, struct pop3 *p, enum pop3_state next)
{
	log_debug("pop3 flow %llu: %s -> %s", (unsigned long long)s->flow_id,
	    pop3_state_name(p->state), pop3_state_name(next));
	p->state = next;
	switch (next) {
	case POP3_TRANSACTION:
	case POP3_ENCRYPTED:
	case POP3_NOT_POP3:
		session_finish(s);
		break;
	case POP3_AUTHORIZATION:
	case POP3_SASL:
	case POP3_STATE_COUNT:
		break;
	}
}

void
pop3_init(struct session *s, struct pop3 *p)
{
	memset(p, 0, sizeof(*p));
	p->state = POP3_AUTHORIZATION;
	/* mid-stream, earlier commands may still be unanswered: answers
	 * cannot be matched to commands, so verdicts stay unknown */
	p->is_fifo_lost = s->is_midstream;
}

void
pop3_wipe(struct pop3 *p)
{
	/* fifo slots past fifo_used were never written: still zero (a
	 * connection uses two or three of them) */
	OPENSSL_cleanse(p, offsetof(struct pop3, fifo) +
	    p->fifo_used * sizeof(p->fifo[0]));
}

/* --- the queue of commands waiting for an answer --- */

static struct pop3_pending *
fifo_back(struct pop3 *p)
{
	if (p->fifo_len == 0)
		return NULL;
	return &p->fifo[((unsigned)p->fifo_head + p->fifo_len - 1u) %
	    POP3_PENDING_MAX];
}

static void
fifo_push(struct session *s, struct pop3 *p, enum pop3_cmd cmd,
    uint32_t attempt)
{
	struct pop3_pending *back = fifo_back(p);

	if (p->is_fifo_lost)
		return;
	if (back != NULL && attempt == 0 && back->attempt == 0 &&
	    back->cmd == cmd && (cmd == POP3_CMD_OTHER ||
	    cmd == POP3_CMD_OTHER_MULTI)) {
		back->count++;
		return;
	}
	if (p->fifo_len == POP3_PENDING_MAX) {
		/* cannot count answers any more: verdicts become unknown */
		session_count(s, STAT_CAP_PENDING);
		p->is_fifo_lost = true;
		p->fifo_len = 0;
		session_attempts_flush(s);
		return;
	}
	unsigned at = ((unsigned)p->fifo_head + p->fifo_len) % POP3_PENDING_MAX;
	struct pop3_pending *e = &p->fifo[at];

	if (at >= p->fifo_used)
		p->fifo_used = (uint8_t)(at + 1);
	e->cmd = (uint8_t)cmd;
	e->count = 1;
	e->attempt = attempt;
	p->fifo_len++;
}

/* Take the command the next answer belongs to. */
static bool
fifo_pop(struct pop3 *p, struct pop3_pending *out)
{
	if (p->fifo_len == 0)
		return false;
	struct pop3_pending *e = &p->fifo[p->fifo_head];

	*out = *e;
	if (--e->count > 0)
		return true;
	p->fifo_head = (uint8_t)((p->fifo_head + 1) % POP3_PENDING_MAX);
	p->fifo_len--;
	return true;
}

static void
lose_sync(struct session *s, struct pop3 *p)
{
	p->is_fifo_lost = true;
	p->fifo_len = 0;
	p->is_multiline = false;
	session_attempts_flush(s);
}

/* --- client --- */

/* A keyword's letters, upper-cased and packed first letter highest, so
 * that a command is told by comparing one number, not by a line_is() for
 * every name it is not; 0 when w is not a keyword.  Only letters get
 * here, and for a letter clearing bit 0x20 is upper-casing.  Words of
 * different lengths cannot share a code: no letter is 0. */
static uint64_t
keyword_code(struct line w)
{
	uint64_t code = 0;

	/* RFC 1939 keywords are 3-4 letters; extensions go a bit longer */
	if (w.len < 3 || w.len > 8)
		return 0;
	for (size_t i = 0; i < w.len; i++) {
		uint8_t c = w.p[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return 0;
		code = code << 8 | (uint8_t)(c & 0xdf);
	}
	return code;
}

/* keyword_code() of an upper-case name of three or four letters. */
#define POP3_KEYWORD3(a, b, c) \
	((uint64_t)(a) << 16 | (uint64_t)(b) << 8 | (uint64_t)(c))
#define POP3_KEYWORD4(a, b, c, d) \
	(POP3_KEYWORD3(a, b, c) << 8 | (uint64_t)(d))

static void
sasl_line(struct session *s, struct pop3 *p, struct line l, bool is_truncated)
{
	if (sasl_response(&p->sasl, s, l.p, l.len, is_truncated)) {
		uint32_t id = session_attempt_open(s,
		    event_mech_sasl(PROTO_POP3, p->sasl.mech),
		    p->sasl.has_account ? p->sasl.account : NULL);
		struct pop3_pending *back = fifo_back(p);

		if (back != NULL && back->cmd == POP3_CMD_AUTH)
			back->attempt = id;
	}
	if (sasl_is_finished(&p->sasl))
		pop3_enter(s, p, POP3_AUTHORIZATION);
}

static void
client_line(struct session *s, struct pop3 *p, struct line l,
    bool is_truncated)
{
	if (p->state == POP3_SASL) {
		sasl_line(s, p, l, is_truncated);
		return;
	}
	struct line rest = l;
	struct line verb = line_word(&rest);

	if (verb.len == 0)
		return;		/* empty line: nothing, not even unknown */
	uint64_t code = keyword_code(verb);

	if (code == 0) {
		if (++p->unknown_lines > POP3_UNKNOWN_LINES_MAX &&
		    !s->has_server_spoken) {
			session_count(s, STAT_SESSIONS_NOT_MAIL);
			pop3_enter(s, p, POP3_NOT_POP3);
		}
		return;
	}
	p->unknown_lines = 0;
	if (s->tls == SESSION_TLS_EXPECTED && !p->has_not_started) {
		/* STLS was accepted, yet the client goes on in clear */
		p->has_not_started = true;
		session_count(s, STAT_STARTTLS_NOT_STARTED);
	}
	struct line arg = line_word(&rest);

	if (code == POP3_KEYWORD4('U', 'S', 'E', 'R')) {
		p->has_user_account = arg.len > 0 &&
		    session_account(s, arg.p, arg.len, p->user_account);
		fifo_push(s, p, POP3_CMD_USER, 0);
	} else if (code == POP3_KEYWORD4('P', 'A', 'S', 'S')) {
		uint32_t id = session_attempt_open(s, MECH_USER_PASS,
		    p->has_user_account ? p->user_account : NULL);

		fifo_push(s, p, POP3_CMD_PASS, id);
	} else if (code == POP3_KEYWORD4('A', 'P', 'O', 'P')) {
		uint8_t acc[REDACT_ACCOUNT_BYTES];
		bool has_acc = arg.len > 0 &&
		    session_account(s, arg.p, arg.len, acc);
		uint32_t id = session_attempt_open(s, MECH_APOP,
		    has_acc ? acc : NULL);

		fifo_push(s, p, POP3_CMD_APOP, id);
	} else if (code == POP3_KEYWORD4('A', 'U', 'T', 'H')) {
		if (arg.len == 0) {
			/* a capability probe, not a login */
			fifo_push(s, p, POP3_CMD_AUTH_LIST, 0);
			return;
		}
		sasl_begin(&p->sasl, s, sasl_mech_from_name(arg.p, arg.len));
		fifo_push(s, p, POP3_CMD_AUTH, 0);
		pop3_enter(s, p, POP3_SASL);
		struct line ir = line_word(&rest);

		if (ir.len > 0)		/* RFC 5034 initial response */
			sasl_line(s, p, ir, is_truncated);
		else if (sasl_is_finished(&p->sasl))
			pop3_enter(s, p, POP3_AUTHORIZATION);
	} else if (code == POP3_KEYWORD4('S', 'T', 'L', 'S')) {
		s->tls = SESSION_TLS_PENDING;
		fifo_push(s, p, POP3_CMD_STLS, 0);
	} else if (code == POP3_KEYWORD4('C', 'A', 'P', 'A')) {
		fifo_push(s, p, POP3_CMD_CAPA, 0);
	} else if (code == POP3_KEYWORD4('R', 'E', 'T', 'R') ||
	    code == POP3_KEYWORD3('T', 'O', 'P') ||
	    ((code == POP3_KEYWORD4('L', 'I', 'S', 'T') ||
		 code == POP3_KEYWORD4('U', 'I', 'D', 'L') ||
		 code == POP3_KEYWORD4('L', 'A', 'N', 'G')) &&
		arg.len == 0)) {
		fifo_push(s, p, POP3_CMD_OTHER_MULTI, 0);
	} else {
		fifo_push(s, p, POP3_CMD_OTHER, 0);
	}
}

/* --- server --- */

/* The response code of "-ERR [CODE] text" (RFC 2449 sec. 8). */
static struct line
response_code(struct line text)
{
	struct line code = {text.p, 0};

	while (text.len > 0 && text.p[0] == ' ') {
		text.p++;
		text.len--;
	}
	if (text.len < 2 || text.p[0] != '[')
		return code;
	code.p = text.p + 1;
	while (code.len + 1 < text.len && code.p[code.len] != ']' &&
	    code.p[code.len] != ' ')
		code.len++;
	return code;
}

/* A line of a CAPA answer: STLS, USER, SASL <mech>...  All three
 * keywords have four letters, so a line whose first word is longer is
 * known not to matter before it is walked (most are: PIPELINING,
 * RESP-CODES, AUTH-RESP-CODE...). */
static void
capa_line(struct pop3 *p, struct line l)
{
	struct line rest = l;

	while (rest.len > 0 && rest.p[0] == ' ') {
		rest.p++;
		rest.len--;
	}
	if (rest.len > 4 && rest.p[4] != ' ')
		return;
	struct line w = line_word(&rest);

	if (line_is(w, "STLS")) {
		p->cap_stls = true;
	} else if (line_is(w, "USER")) {
		p->cap_user = true;
	} else if (line_is(w, "SASL")) {
		for (struct line m = line_word(&rest); m.len > 0;
		     m = line_word(&rest))
			p->cap_sasl |= 1u << sasl_mech_from_name(m.p, m.len);
	}
}

static void
multiline_end(struct session *s, struct pop3 *p)
{
	p->is_multiline = false;
	if (p->multiline_cmd == POP3_CMD_CAPA &&
	    s->tls != SESSION_TLS_EXPECTED)
		session_server_caps(s, p->cap_stls, false, p->cap_user,
		    p->cap_sasl);
}

/* A server that stays in clear into the maildrop state: the login
 * happened in clear even though we did not see it (asymmetric routing,
 * lost client packets).  Only on a connection whose greeting we saw. */
static bool
is_maildrop_answer(struct line text)
{
	struct line rest = text;
	struct line a = line_word(&rest);
	struct line b = line_word(&rest);
	bool is_stat = a.len > 0 && b.len > 0;

	/* "+OK nn mm": a STAT or LIST n answer */
	for (size_t i = 0; i < a.len && is_stat; i++)
		is_stat = a.p[i] >= '0' && a.p[i] <= '9';
	for (size_t i = 0; i < b.len && is_stat; i++)
		is_stat = b.p[i] >= '0' && b.p[i] <= '9';
	return is_stat || line_contains(text, "logged in") ||
	    line_contains(text, "logged on") ||
	    line_contains(text, "maildrop") ||
	    line_contains(text, "mailbox locked");
}

static void
infer_login(struct session *s, struct pop3 *p, struct line text)
{
	if (!(s->has_client_gap || !s->has_client_bytes) || s->has_login ||
	    !p->is_greeting_ok || !is_maildrop_answer(text))
		return;
	uint32_t id = session_attempt_open(s, MECH_INFERRED, NULL);

	session_attempt_close(s, id, VERDICT_ACCEPTED, NULL, 0);
	pop3_enter(s, p, POP3_TRANSACTION);
}

static void
answer(struct session *s, struct pop3 *p, bool is_ok, struct line text)
{
	struct pop3_pending cmd;

	if (p->is_fifo_lost || !fifo_pop(p, &cmd)) {
		if (is_ok)
			infer_login(s, p, text);
		return;
	}
	struct line code = response_code(text);
	enum verdict v = is_ok ? VERDICT_ACCEPTED : VERDICT_REJECTED;

	switch ((enum pop3_cmd)cmd.cmd) {
	case POP3_CMD_PASS:
	case POP3_CMD_APOP:
	case POP3_CMD_AUTH:
		if (cmd.attempt != 0)
			session_attempt_close(s, cmd.attempt, v, code.p,
			    code.len);
		if (p->state == POP3_SASL)	/* the exchange is over */
			pop3_enter(s, p, POP3_AUTHORIZATION);
		if (is_ok)
			pop3_enter(s, p, POP3_TRANSACTION);
		break;
	case POP3_CMD_STLS:
		if (is_ok) {
			session_count(s, STAT_STARTTLS_ACCEPTED);
			s->tls = SESSION_TLS_EXPECTED;
			p->is_server_tls_expected = true;
		} else {
			session_count(s, STAT_STARTTLS_REFUSED);
			s->tls = SESSION_TLS_REFUSED;
		}
		break;
	case POP3_CMD_CAPA:
		p->cap_stls = p->cap_user = false;
		p->cap_sasl = 0;
		/* fall through */
	case POP3_CMD_AUTH_LIST:
	case POP3_CMD_OTHER_MULTI:
		if (is_ok) {
			p->is_multiline = true;
			p->multiline_cmd = cmd.cmd;
		}
		break;
	case POP3_CMD_USER:
	case POP3_CMD_OTHER:
	case POP3_CMD_COUNT:
		break;
	}
}

static void
server_line(struct session *s, struct pop3 *p, struct line l)
{
	if (p->is_server_tls_expected) {
		/* cleartext after its own +OK to STLS: the answers that a
		 * STARTTLS injection (CVE-2021-22947 class) would plant */
		p->is_server_tls_expected = false;
		session_count(s, STAT_STARTTLS_SERVER_CLEARTEXT);
	}
	/* Inside a multi-line answer (a RETR body: most server lines), before
	 * the line is split into words: only "." and CAPA lines matter.  Only
	 * an answer starts one, and answers come after the greeting. */
	if (p->is_multiline) {
		assert(p->has_greeting);
		if (l.len == 1 && l.p[0] == '.')
			multiline_end(s, p);
		else if (p->multiline_cmd == POP3_CMD_CAPA)
			capa_line(p, l);
		return;
	}
	struct line rest = l;
	struct line status = line_word(&rest);
	bool is_ok = line_is(status, "+OK");
	bool is_err = line_is(status, "-ERR");

	if (!p->has_greeting) {
		/* The first thing a POP3 server says is +OK or -ERR: its
		 * greeting, or, when the client spoke first (the capture
		 * missed the greeting), its first answer.  Anything else
		 * (HTTP, SSH...) is not POP3. */
		bool is_continuation = status.len == 1 && status.p[0] == '+';

		p->has_greeting = true;
		if (!is_ok && !is_err && !is_continuation && !s->is_midstream) {
			session_count(s, STAT_SESSIONS_NOT_MAIL);
			pop3_enter(s, p, POP3_NOT_POP3);
			return;
		}
		if ((is_ok || is_err) && p->fifo_len == 0 &&
		    !s->has_client_bytes) {
			p->is_greeting_ok = is_ok;
			session_server_spoke(s);
			return;
		}
	}
	if (is_ok || is_err) {
		session_server_spoke(s);
		answer(s, p, is_ok, rest);
	}
	/* "+ challenge" (SASL continuation) and anything else: nothing to
	 * learn; the client's responses are read on the client side */
}

/* --- bytes to lines --- */

size_t
pop3_feed(struct session *s, struct pop3 *p, enum dir d, const uint8_t *buf,
    size_t len)
{
	size_t off = 0;

	while (off < len && !s->is_done) {
		const uint8_t *b = buf + off;
		size_t n = len - off;
		bool is_done;

		if (p->is_discarding[d]) {
			off += line_skip(b, n, &is_done);
			p->is_discarding[d] = !is_done;
			continue;
		}
		int tls = line_is_tls_record(b, n);

		if (tls < 0)
			break;		/* one byte: wait for the next */
		if (tls > 0) {
			/* a TLS record where a line should start */
			bool is_client = d == DIR_C2S;

			if (s->tls == SESSION_TLS_EXPECTED ||
			    p->is_server_tls_expected) {
				session_count(s, STAT_TLS_STARTED);
			} else if (is_client && !s->has_server_spoken &&
			    p->fifo_len == 0) {
				session_count(s, STAT_SESSIONS_TLS);
			} else {
				session_count(s, STAT_TLS_STARTED);
			}
			pop3_enter(s, p, POP3_ENCRYPTED);
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
			p->is_discarding[d] = true;
		}
		off += used;
		if (d == DIR_C2S)
			client_line(s, p, l, st == LINE_TOO_LONG);
		else
			server_line(s, p, l);
	}
	if (s->is_done)
		return len;
	assert(len - off < STREAM_LINE_MAX);
	return off;
}

size_t
pop3_credentials(struct session *s, struct pop3 *p, const uint8_t *buf,
    size_t len, bool is_report)
{
	size_t found = 0;

	while (len > 0) {
		struct line rest = line_take(&buf, &len);
		struct line verb = line_word(&rest);
		struct line arg = line_word(&rest);
		enum mech m = MECH_COUNT;
		uint8_t acc[REDACT_ACCOUNT_BYTES];
		bool has_acc = false;

		if (line_is(verb, "PASS") && arg.len > 0) {
			m = MECH_USER_PASS;
			has_acc = p->has_user_account;
			memcpy(acc, p->user_account, sizeof(acc));
		} else if (line_is(verb, "APOP") && arg.len > 0) {
			m = MECH_APOP;
			has_acc = session_account(s, arg.p, arg.len, acc);
		} else if (line_is(verb, "AUTH") && arg.len > 0) {
			struct line ir = line_word(&rest);
			struct sasl x;

			sasl_begin(&x, s, sasl_mech_from_name(arg.p, arg.len));
			if (ir.len > 0 && sasl_response(&x, s, ir.p, ir.len, false)) {
				m = event_mech_sasl(PROTO_POP3, x.mech);
				has_acc = x.has_account;
				memcpy(acc, x.account, sizeof(acc));
			}
		}
		if (m != MECH_COUNT) {
			found++;
			if (is_report) {
				uint32_t id = session_attempt_open(s, m,
				    has_acc ? acc : NULL);

				session_count(s, STAT_LOGINS_OTHER_COPY);
				session_attempt_close(s, id, VERDICT_UNKNOWN,
				    NULL, 0);
			}
		}
	}
	return found;
}

void
pop3_cut_line(struct session *s, struct pop3 *p, enum dir d,
    const uint8_t *buf, size_t len)
{
	struct line l = {buf, len < STREAM_LINE_MAX ? len : STREAM_LINE_MAX};

	if (s->is_done || p->is_discarding[d] || len == 0 ||
	    line_is_tls_record(buf, len) != 0)
		return;
	if (d == DIR_C2S)
		client_line(s, p, l, true);
	else
		server_line(s, p, l);
}

void
pop3_gap(struct session *s, struct pop3 *p, enum dir d)
{
	/* what follows a hole is parsed as the start of a line: mail
	 * clients write whole commands per segment, and a fragment that is
	 * no command is ignored, so at worst we are back in step one line
	 * later */
	p->is_discarding[d] = false;
	if (d == DIR_S2C)
		p->has_greeting = true;	/* lost, or not: cannot tell */
	if (d == DIR_C2S) {
		s->has_client_gap = true;
		if (p->state == POP3_SASL)
			pop3_enter(s, p, POP3_AUTHORIZATION);
	}
	/* commands or answers went missing: they can no longer be paired */
	lose_sync(s, p);
}
