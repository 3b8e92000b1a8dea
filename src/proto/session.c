/* session.c: attempts, verdicts and events shared by POP3 and IMAP (see
 * session.h).  The only place login and server events are built, so the
 * only place to check that nothing secret reaches one: every string field
 * is copied through safe_copy(), which keeps a small character set. */
#include "proto/session.h"

#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>

static enum tls_state
tls_for_attempt(const struct session *s)
{
	switch (s->tls) {
	case SESSION_TLS_NONE:
		return TLS_NONE;
	case SESSION_TLS_PENDING:
		return TLS_PIPELINED;
	case SESSION_TLS_REFUSED:
		return TLS_REFUSED;
	case SESSION_TLS_EXPECTED:
		return TLS_NOT_STARTED;
	case SESSION_TLS_COUNT:
		break;
	}
	return TLS_NONE;
}

/* Copy at most cap bytes of src, keeping letters, digits and a few
 * punctuation marks; anything else becomes '_'.  NUL-terminates. */
static size_t
safe_copy(char *dst, size_t cap, const uint8_t *src, size_t n,
    bool is_upper)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < cap; i++) {
		uint8_t c = src[i];
		bool is_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '/' || c == '_' || c == ' ' || c == '+' || c == '(' ||
		    c == ')' || c == ':';

		if (is_upper && c >= 'a' && c <= 'z')
			c = (uint8_t)(c - 32);
		dst[k++] = is_ok ? (char)c : '_';
	}
	dst[k] = '\0';
	return k;
}

static void
fill_endpoints(const struct session *s, struct event_login *ev)
{
	ev->proto = s->proto;
	ev->client = s->client;
	ev->server = s->server;
	ev->flow_id = s->flow_id;
}

uint32_t
session_attempt_open(struct session *s, enum mech m, const uint8_t *account)
{
	struct attempt *slot = NULL;

	for (size_t i = 0; i < s->attempts_used && slot == NULL; i++)
		if (s->attempts[i].id == 0)
			slot = &s->attempts[i];
	if (slot == NULL && s->attempts_used < ATTEMPTS_PENDING_MAX)
		slot = &s->attempts[s->attempts_used++];	/* never used */
	if (slot == NULL) {
		/* full: the oldest attempt is reported as unknown */
		struct attempt *oldest = &s->attempts[0];

		for (size_t i = 1; i < ATTEMPTS_PENDING_MAX; i++)
			if (s->attempts[i].id < oldest->id)
				oldest = &s->attempts[i];
		session_count(s, STAT_CAP_PENDING);
		session_attempt_close(s, oldest->id, VERDICT_UNKNOWN, NULL, 0);
		slot = oldest;
	}
	memset(slot, 0, sizeof(*slot));
	slot->id = ++s->next_attempt_id;
	slot->mech = (uint8_t)m;
	slot->tls = (uint8_t)tls_for_attempt(s);
	slot->ts = s->now;
	if (account != NULL) {
		slot->has_account = true;
		memcpy(slot->account, account, REDACT_ACCOUNT_BYTES);
	}
	s->has_login = true;
	session_count(s, STAT_LOGINS);
	if (m == MECH_INFERRED)
		session_count(s, STAT_LOGINS_INFERRED);
	return slot->id;
}

void
session_attempt_close(struct session *s, uint32_t id, enum verdict v,
    const uint8_t *code, size_t code_len)
{
	struct attempt *a = NULL;
	struct event ev;

	for (size_t i = 0; i < s->attempts_used && a == NULL; i++)
		if (id != 0 && s->attempts[i].id == id)
			a = &s->attempts[i];
	if (a == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = EVENT_LOGIN;
	struct event_login *l = &ev.u.login;

	fill_endpoints(s, l);
	l->ts = a->ts;
	l->mech = (enum mech)a->mech;
	l->exposure = event_mech_exposure(l->mech);
	l->tls = (enum tls_state)a->tls;
	l->verdict = v;
	if (code != NULL)
		safe_copy(l->response_code, EVENT_CODE_MAX, code, code_len,
		    true);
	memcpy(l->client_software, s->software, sizeof(l->client_software));
	if (a->has_account)
		redact_account_hex(a->account, l->account);
	a->id = 0;
	if (s->env->emit)
		s->env->emit(&ev, s->env->emit_arg);
}

void
session_attempts_flush(struct session *s)
{
	for (;;) {
		struct attempt *oldest = NULL;

		for (size_t i = 0; i < s->attempts_used; i++)
			if (s->attempts[i].id != 0 &&
			    (oldest == NULL || s->attempts[i].id < oldest->id))
				oldest = &s->attempts[i];
		if (oldest == NULL)
			return;
		session_attempt_close(s, oldest->id, VERDICT_UNKNOWN, NULL,
		    0);
	}
}

void
session_finish(struct session *s)
{
	session_attempts_flush(s);
	s->is_done = true;
}

static void
server_event(const struct session *s, struct event *ev, enum server_obs kind)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = EVENT_SERVER;
	ev->u.server.ts = s->now;
	ev->u.server.proto = s->proto;
	ev->u.server.server = s->server;
	ev->u.server.kind = kind;
}

void
session_server_spoke(struct session *s)
{
	struct event ev;

	if (s->has_server_spoken)
		return;
	s->has_server_spoken = true;
	server_event(s, &ev, SERVER_SPOKE);
	if (s->env->emit)
		s->env->emit(&ev, s->env->emit_arg);
}

void
session_server_caps(struct session *s, bool has_starttls,
    bool has_login_disabled, bool has_user, uint32_t sasl_offered)
{
	struct event ev;

	session_server_spoke(s);
	server_event(s, &ev, SERVER_CAPS);
	ev.u.server.has_starttls = has_starttls;
	ev.u.server.has_login_disabled = has_login_disabled;
	ev.u.server.has_user = has_user;
	ev.u.server.sasl_offered = sasl_offered;
	if (s->env->emit)
		s->env->emit(&ev, s->env->emit_arg);
}

void
session_set_software(struct session *s, const uint8_t *name, size_t name_len,
    const uint8_t *version, size_t version_len)
{
	size_t k = safe_copy(s->software, EVENT_SOFTWARE_MAX, name, name_len,
	    false);

	if (version_len > 0 && k + 1 < EVENT_SOFTWARE_MAX) {
		s->software[k++] = '/';
		safe_copy(s->software + k, EVENT_SOFTWARE_MAX - k, version,
		    version_len, false);
	}
}

bool
session_account(const struct session *s, const uint8_t *name, size_t n,
    uint8_t out[REDACT_ACCOUNT_BYTES])
{
	if (s->env->redact == NULL)
		return false;
	redact_account(s->env->redact, name, n, out);
	return true;
}

void
session_wipe(struct session *s)
{
	/* the slots past attempts_used were never written: still calloc's
	 * zeros, nothing to wipe (most connections use one of eight) */
	OPENSSL_cleanse(s, offsetof(struct session, attempts) +
	    s->attempts_used * sizeof(s->attempts[0]));
}
