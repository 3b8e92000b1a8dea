/* probe_classify.c: what a mail server's answers mean (probe_classify.h).
 *
 * RFC 3501 (IMAP status responses, CAPABILITY, LOGINDISABLED), RFC 5530
 * (IMAP response codes: PRIVACYREQUIRED, AUTHENTICATIONFAILED...), RFC
 * 1939 and 2449 (POP3 +OK/-ERR, CAPA, extended response codes), RFC 3206
 * (POP3 SYS/ and AUTH codes), RFC 2595 (STLS).  Does no I/O and keeps
 * nothing: each function reads one line through a struct line.
 *
 * The answer to a fake cleartext login is read in this order, first match
 * wins: the status (accepted?), the response code, words about TLS in the
 * text, words about a bad password in the text, what the server had
 * announced (LOGINDISABLED, no USER), and last what the RFCs say a plain
 * NO / -ERR means.  docs/probe.md lists the servers each rule is for.
 */
#include "probe/probe_classify.h"

#include <assert.h>
#include <string.h>

#include "proto/sasl.h"

static const char *const login_names[] = {
	[PROBE_LOGIN_TLS_REQUIRED] = "tls_required",
	[PROBE_LOGIN_BAD_PASSWORD] = "bad_password",
	[PROBE_LOGIN_ACCEPTED] = "accepted",
	[PROBE_LOGIN_CONTINUE] = "continue",
	[PROBE_LOGIN_UNCLEAR] = "unclear",
};
static_assert(sizeof(login_names) / sizeof(login_names[0]) ==
    PROBE_LOGIN_COUNT, "every probe_login needs a name");

const char *
probe_classify_login_name(enum probe_login v)
{
	return (unsigned)v < PROBE_LOGIN_COUNT ? login_names[v] : "?";
}

static bool
is_code_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '/' ||
	    c == '_';
}

static void
skip_spaces(struct line *l)
{
	while (l->len > 0 && l->p[0] == ' ') {
		l->p++;
		l->len--;
	}
}

/* A response code "[CODE ...]" at the start of *rest: its first atom,
 * upper-cased, into code (left "" when it is not a clean atom of at most
 * EVENT_CODE_MAX characters); *rest moves past the closing bracket, or
 * past the atom when the bracket never closes. */
static void
take_code(struct line *rest, char code[EVENT_CODE_MAX + 1])
{
	size_t n = 0;

	code[0] = '\0';
	skip_spaces(rest);
	if (rest->len == 0 || rest->p[0] != '[')
		return;
	while (1 + n < rest->len && is_code_char(rest->p[1 + n]))
		n++;
	if (n > 0 && n <= EVENT_CODE_MAX) {
		for (size_t i = 0; i < n; i++) {
			uint8_t c = rest->p[1 + i];

			code[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
		}
		code[n] = '\0';
	}
	const uint8_t *close = memchr(rest->p, ']', rest->len);
	size_t skip = close ? (size_t)(close - rest->p) + 1 : 1 + n;

	rest->p += skip;
	rest->len -= skip;
	skip_spaces(rest);
}

static bool
word_is_tag(struct line w, const char *tag)
{
	size_t n = strlen(tag);

	/* Tags are compared exactly: "p2" is not the probe's "P2". */
	return w.len == n && memcmp(w.p, tag, n) == 0;
}

struct probe_answer
probe_classify_imap_answer(struct line l, const char *tag)
{
	struct probe_answer a;
	struct line rest = l;
	struct line w = line_word(&rest);

	memset(&a, 0, sizeof(a));
	a.status = PROBE_STATUS_OTHER;
	a.text = rest;
	if (line_is(w, "*"))
		a.status = PROBE_STATUS_UNTAGGED;
	else if (line_is(w, "+"))
		a.status = PROBE_STATUS_CONTINUE;
	else if (tag != NULL && word_is_tag(w, tag)) {
		struct line s = line_word(&rest);

		if (line_is(s, "OK"))
			a.status = PROBE_STATUS_OK;
		else if (line_is(s, "NO"))
			a.status = PROBE_STATUS_NO;
		else if (line_is(s, "BAD"))
			a.status = PROBE_STATUS_BAD;
		else
			return a;	/* a tag with no status: OTHER */
	} else
		return a;
	if (a.status == PROBE_STATUS_UNTAGGED) {
		/* "* OK [CODE]", "* BAD [ALERT] ...": the code follows the
		 * status word; "* CAPABILITY ..." has none. */
		struct line peek = rest;
		struct line s = line_word(&peek);

		if (line_is(s, "OK") || line_is(s, "NO") || line_is(s, "BAD") ||
		    line_is(s, "BYE") || line_is(s, "PREAUTH"))
			rest = peek;
	}
	take_code(&rest, a.code);
	a.text = rest;
	return a;
}

struct probe_answer
probe_classify_pop3_answer(struct line l)
{
	struct probe_answer a;
	struct line rest = l;
	struct line w = line_word(&rest);

	memset(&a, 0, sizeof(a));
	a.status = PROBE_STATUS_OTHER;
	a.text = l;
	if (line_is(w, "+OK"))
		a.status = PROBE_STATUS_OK;
	else if (line_is(w, "-ERR"))
		a.status = PROBE_STATUS_NO;
	else
		return a;
	take_code(&rest, a.code);
	a.text = rest;
	return a;
}

static void
add_sasl(struct probe_caps *caps, const uint8_t *p, size_t n)
{
	if (n > 0)
		caps->sasl |= 1u << sasl_mech_from_name(p, n);
}

/* One IMAP capability atom. */
static void
imap_cap(struct line w, struct probe_caps *caps)
{
	if (line_is(w, "STARTTLS"))
		caps->has_starttls = true;
	else if (line_is(w, "LOGINDISABLED"))
		caps->has_login_disabled = true;
	else if (line_starts(w, "AUTH="))
		add_sasl(caps, w.p + 5, w.len - 5);
}

void
probe_classify_imap_caps(struct line l, struct probe_caps *caps)
{
	struct line rest = l;
	struct line w = line_word(&rest);

	if (line_is(w, "*")) {
		struct line peek = rest;

		if (line_is(line_word(&peek), "CAPABILITY")) {
			caps->is_seen = true;
			for (w = line_word(&peek); w.len > 0;
			     w = line_word(&peek))
				imap_cap(w, caps);
			return;
		}
	}
	/* "[CAPABILITY ...]" as the code of a status line (RFC 3501 7.1):
	 * atoms up to the closing bracket. */
	for (; w.len > 0; w = line_word(&rest)) {
		if (!line_is(w, "[CAPABILITY"))
			continue;
		caps->is_seen = true;
		for (w = line_word(&rest); w.len > 0; w = line_word(&rest)) {
			bool is_last = w.p[w.len - 1] == ']';

			if (is_last)
				w.len--;
			imap_cap(w, caps);
			if (is_last)
				return;
		}
		return;
	}
}

void
probe_classify_pop3_capa(struct line l, struct probe_caps *caps)
{
	struct line rest = l;
	struct line w = line_word(&rest);

	caps->is_seen = true;
	if (line_is(w, "STLS"))
		caps->has_starttls = true;
	else if (line_is(w, "USER"))
		caps->has_user = true;
	else if (line_is(w, "SASL"))
		for (w = line_word(&rest); w.len > 0; w = line_word(&rest))
			add_sasl(caps, w.p, w.len);
}

static bool
text_has_any(struct line text, const char *const *words)
{
	for (; *words != NULL; words++)
		if (line_contains(text, *words))
			return true;
	return false;
}

static bool
code_is_any(const char *code, const char *const *codes)
{
	for (; *codes != NULL; codes++)
		if (strcmp(code, *codes) == 0)
			return true;
	return false;
}

/* Words with which servers say "not without TLS".  Dovecot: "Plaintext
 * authentication disallowed on non-secure (SSL/TLS) connections";
 * Exchange with -LoginType SecureLogin: "Command received in Invalid
 * state." (IMAP), "Command is not valid in this state." (POP3); Cyrus:
 * "Login only available under a layer"; others name STARTTLS, SSL,
 * encryption or a secure connection. */
static const char *const tls_words[] = {
	"tls", "ssl", "stls", "encrypt", "secure", "privacy", "plaintext",
	"plain text", "cleartext", "clear text", "under a layer",
	"invalid state", "not valid in this state", NULL,
};

/* Words with which servers say "wrong user or password" (Dovecot
 * "Authentication failed.", Exchange "LOGIN failed.", RFC 1939's "never
 * heard of mailbox name"...). */
static const char *const password_words[] = {
	"authentication failed", "auth failed", "login failed",
	"logon failure", "invalid credentials", "invalid login",
	"invalid password", "invalid user", "incorrect", "bad password",
	"wrong password", "unknown user", "no such user", "never heard of",
	"password", "credentials", NULL,
};

/* Codes of a refusal that is about neither TLS nor the password: the
 * server is busy, the account is in use... (RFC 5530, RFC 2449, RFC
 * 3206). */
static const char *const unclear_codes[] = {
	"UNAVAILABLE", "SERVERBUG", "CONTACTADMIN", "LIMIT", "INUSE",
	"OVERQUOTA", "SYS/TEMP", "SYS/PERM", "IN-USE", "LOGIN-DELAY",
	"CLIENTBUG", "CANNOT", NULL,
};

/* Codes that mean the credentials themselves were checked (RFC 5530). */
static const char *const password_codes[] = {
	"AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "EXPIRED", NULL,
};

enum probe_login
probe_classify_login(enum probe_login_step step, const struct probe_answer *a,
    const struct probe_caps *before_tls)
{
	bool is_pop3 = step != PROBE_STEP_IMAP_LOGIN;

	switch (a->status) {
	case PROBE_STATUS_OK:
		return step == PROBE_STEP_POP3_USER ? PROBE_LOGIN_CONTINUE
						    : PROBE_LOGIN_ACCEPTED;
	case PROBE_STATUS_NO:
	case PROBE_STATUS_BAD:
		break;
	case PROBE_STATUS_UNTAGGED:
	case PROBE_STATUS_CONTINUE:
	case PROBE_STATUS_OTHER:
	case PROBE_STATUS_COUNT:
		return PROBE_LOGIN_UNCLEAR;
	}
	if (strcmp(a->code, "PRIVACYREQUIRED") == 0)
		return PROBE_LOGIN_TLS_REQUIRED;
	if (code_is_any(a->code, password_codes))
		return PROBE_LOGIN_BAD_PASSWORD;
	if (code_is_any(a->code, unclear_codes))
		return PROBE_LOGIN_UNCLEAR;
	if (text_has_any(a->text, tls_words))
		return PROBE_LOGIN_TLS_REQUIRED;
	if (text_has_any(a->text, password_words))
		return PROBE_LOGIN_BAD_PASSWORD;
	/* Silent refusals: the server announced this refusal before
	 * (RFC 3501 7.2.1: LOGINDISABLED; RFC 2449: no USER in CAPA). */
	if (before_tls != NULL && before_tls->is_seen &&
	    (is_pop3 ? !before_tls->has_user
		     : before_tls->has_login_disabled))
		return PROBE_LOGIN_TLS_REQUIRED;
	/* RFC 3501 6.2.3: NO is "user name or password rejected", BAD a
	 * command the server did not understand.  RFC 1939: -ERR to PASS is
	 * a wrong password, -ERR to USER "never heard of mailbox name". */
	if (a->status == PROBE_STATUS_BAD)
		return PROBE_LOGIN_UNCLEAR;
	return PROBE_LOGIN_BAD_PASSWORD;
}

enum probe_inject
probe_classify_inject(enum proto p, struct line l)
{
	struct line rest = l;
	struct line w = line_word(&rest);

	if (p == PROTO_POP3) {
		if (line_is(w, "+OK"))
			return PROBE_INJECT_IN_TLS;
		if (line_is(w, "-ERR"))
			return PROBE_INJECT_DISCARDED;
		return PROBE_INJECT_UNCLEAR;
	}
	if (line_is(w, "*"))
		return PROBE_INJECT_PENDING;
	if (word_is_tag(w, PROBE_TAG_INJECTED))
		return PROBE_INJECT_IN_TLS;
	if (word_is_tag(w, PROBE_TAG_SENTINEL))
		return PROBE_INJECT_DISCARDED;
	return PROBE_INJECT_UNCLEAR;
}

void
probe_classify_excerpt(struct line l, char *out, size_t cap)
{
	size_t n = 0;

	assert(cap >= 4);
	for (size_t i = 0; i < l.len && n + 1 < cap; i++) {
		if (n + 4 == cap && l.len - i > 3) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		uint8_t b = l.p[i];

		out[n++] = b >= 0x20 && b < 0x7f ? (char)b : '?';
	}
	out[n] = '\0';
}

void
probe_classify_reply(const struct probe_answer *a, struct line l,
    struct probe_reply *out)
{
	out->status = a->status;
	memcpy(out->code, a->code, sizeof(out->code));
	probe_classify_excerpt(l, out->excerpt, sizeof(out->excerpt));
}
