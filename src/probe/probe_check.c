/* probe_check.c: the checklist of one port (probe_check.h,
 * docs/probe.md).
 *
 * Opens up to three connections to the port, one after the other, each
 * bounded by the timeout per step (probe_conn.c):
 *   1. greeting, capabilities, STARTTLS/STLS (or implicit TLS), the TLS
 *      and certificate checks, the capabilities again inside TLS;
 *   2. with a fake account only (--try-cleartext): a cleartext login;
 *   3. when STARTTLS worked: STARTTLS with a second command pipelined in
 *      the same write (CVE-2011-0411 class).
 * The protocol steps are in probe_imap.c and probe_pop3.c, the meaning of
 * answers in probe_classify.c, the certificate checks in probe_tls.c.
 * This file decides pass, warn or fail for the capability, login and
 * injection checks.  It never sends a real credential: the only password
 * there is is PROBE_FAKE_PASSWORD.
 */
#include "probe/probe_check.h"

#include <stdio.h>
#include <string.h>

#include "probe/probe_classify.h"
#include "probe/probe_conn.h"
#include "probe/probe_proto.h"
#include "probe/probe_tls.h"
#include "report/sink.h"

/* Which checks apply to a target: the checklist it always shows once it
 * could connect. */
static bool
is_applicable(const struct probe_target *t, enum probe_check c)
{
	switch (c) {
	case PROBE_CHECK_CONNECT:
		return false;	/* only shown when it went wrong */
	case PROBE_CHECK_STARTTLS_OFFERED:
	case PROBE_CHECK_AUTH_BEFORE_TLS:
	case PROBE_CHECK_CLEARTEXT_LOGIN:
	case PROBE_CHECK_STARTTLS:
	case PROBE_CHECK_STARTTLS_INJECTION:
		return !t->is_implicit;
	case PROBE_CHECK_LOGIN_DISABLED:
		return !t->is_implicit && t->proto == PROTO_IMAP;
	case PROBE_CHECK_USER_BEFORE_TLS:
		return !t->is_implicit && t->proto == PROTO_POP3;
	case PROBE_CHECK_TLS_HANDSHAKE:
		return t->is_implicit;
	case PROBE_CHECK_TLS_VERSION:
	case PROBE_CHECK_TLS_CIPHER:
	case PROBE_CHECK_CERT_CHAIN:
	case PROBE_CHECK_CERT_NAME:
	case PROBE_CHECK_CERT_EXPIRY:
	case PROBE_CHECK_CERT_SELF_SIGNED:
	case PROBE_CHECK_CERT_KEY:
	case PROBE_CHECK_LOGIN_AFTER_TLS:
		return true;
	case PROBE_CHECK_COUNT:
		break;
	}
	return false;
}

/* Mark every applicable check not decided yet as skipped, for reason. */
static void
skip_rest(struct probe_target *t, const char *reason)
{
	for (int c = 0; c < PROBE_CHECK_COUNT; c++)
		if (is_applicable(t, (enum probe_check)c) && !t->rows[c].is_set)
			probe_out_set(t, (enum probe_check)c, PROBE_SKIP, "%s",
			    reason);
}

/* The mechanisms as the protocol names them, into buf ("" when none):
 * IMAP "AUTH=LOGIN, AUTH=PLAIN", POP3 "SASL LOGIN PLAIN". */
static void
sasl_list(enum proto p, uint32_t sasl, char *buf, size_t cap)
{
	const char *names[SASL_COUNT];
	size_t n, k = 0;

	sink_sasl_names(sasl, names, &n);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = p == PROTO_IMAP
		    ? snprintf(buf + k, cap - k, "%sAUTH=%s", i ? ", " : "",
			  names[i])
		    : snprintf(buf + k, cap - k, "%s%s", i ? " " : "SASL ",
			  names[i]);

		if (w < 0 || (size_t)w >= cap - k)
			break;
		k += (size_t)w;
	}
}

/* The worst exposure among the mechanisms offered. */
static enum exposure
worst_exposure(uint32_t sasl)
{
	enum exposure worst = EXPOSURE_NONE;

	for (int m = 0; m < SASL_COUNT; m++) {
		if (!(sasl & (1u << m)))
			continue;
		enum exposure e = event_sasl_exposure((enum sasl_mech)m);

		if (e == EXPOSURE_CLEARTEXT || e == EXPOSURE_TOKEN)
			return e;
		if (e == EXPOSURE_CHALLENGE)
			worst = e;
	}
	return worst;
}

/* Can a client log in with a password on a connection with these
 * capabilities?  (IMAP LOGIN unless LOGINDISABLED, POP3 USER, SASL PLAIN
 * or LOGIN.) */
static bool
has_password_login(enum proto p, const struct probe_caps *caps)
{
	uint32_t pw = 1u << SASL_PLAIN | 1u << SASL_LOGIN;

	if (caps->sasl & pw)
		return true;
	return p == PROTO_IMAP ? !caps->has_login_disabled : caps->has_user;
}

/* starttls_offered, login_disabled / user_before_tls, auth_before_tls. */
static void
check_caps_before(struct probe_target *t, const struct probe_proto *p,
    const struct probe_caps *caps)
{
	char mechs[128];
	struct probe_row *row;

	if (!caps->is_seen) {
		probe_out_set(t, PROBE_CHECK_STARTTLS_OFFERED, PROBE_FAIL,
		    "no capability list, so no %s offered", p->starttls_word);
		skip_rest(t, "no capability list before TLS");
		return;
	}
	bool is_login_in_clear = has_password_login(t->proto, caps);

	if (caps->has_starttls)
		probe_out_set(t, PROBE_CHECK_STARTTLS_OFFERED, PROBE_PASS,
		    "%s offered", p->starttls_word);
	else if (!is_login_in_clear)
		probe_out_set(t, PROBE_CHECK_STARTTLS_OFFERED, PROBE_WARN,
		    "%s not offered, nor any login in clear: clients can "
		    "only log in on the implicit TLS port",
		    p->starttls_word);
	else
		probe_out_set(t, PROBE_CHECK_STARTTLS_OFFERED, PROBE_FAIL,
		    "%s not offered: clients cannot protect their login on "
		    "this port",
		    p->starttls_word);
	if (t->proto == PROTO_IMAP) {
		if (caps->has_login_disabled)
			probe_out_set(t, PROBE_CHECK_LOGIN_DISABLED, PROBE_PASS,
			    "LOGINDISABLED: LOGIN is refused before TLS");
		else
			probe_out_set(t, PROBE_CHECK_LOGIN_DISABLED, PROBE_FAIL,
			    "no LOGINDISABLED: clients may send LOGIN with "
			    "the password in clear");
	} else {
		if (!caps->has_user)
			probe_out_set(t, PROBE_CHECK_USER_BEFORE_TLS,
			    PROBE_PASS, "USER not offered before TLS");
		else
			probe_out_set(t, PROBE_CHECK_USER_BEFORE_TLS,
			    PROBE_FAIL,
			    "USER offered before TLS: clients may send "
			    "USER/PASS in clear");
	}
	sasl_list(t->proto, caps->sasl, mechs, sizeof(mechs));
	switch (worst_exposure(caps->sasl)) {
	case EXPOSURE_CLEARTEXT:
	case EXPOSURE_TOKEN:
		row = probe_out_set(t, PROBE_CHECK_AUTH_BEFORE_TLS, PROBE_FAIL,
		    "offers %s before TLS: a password or token would cross "
		    "in clear",
		    mechs);
		break;
	case EXPOSURE_CHALLENGE:
		row = probe_out_set(t, PROBE_CHECK_AUTH_BEFORE_TLS, PROBE_WARN,
		    "offers %s before TLS: a challenge response that can be "
		    "cracked offline",
		    mechs);
		break;
	case EXPOSURE_NONE:
	case EXPOSURE_COUNT:
	default:
		row = probe_out_set(t, PROBE_CHECK_AUTH_BEFORE_TLS, PROBE_PASS,
		    "no password mechanism offered before TLS%s%s",
		    mechs[0] ? ": only " : "", mechs);
		break;
	}
	row->has_mechanisms = true;
	row->mechanisms = caps->sasl;
}

/* login_after_tls: a client that has TLS up can log in.  before is NULL
 * on an implicit TLS port. */
static void
check_login_after(struct probe_target *t, const struct probe_caps *before,
    const struct probe_caps *after)
{
	char mechs[128];
	char what[192];
	struct probe_row *row;

	if (!after->is_seen) {
		probe_out_set(t, PROBE_CHECK_LOGIN_AFTER_TLS, PROBE_WARN,
		    "no capability list inside TLS");
		return;
	}
	sasl_list(t->proto, after->sasl, mechs, sizeof(mechs));
	bool has_command = t->proto == PROTO_IMAP ? !after->has_login_disabled
						  : after->has_user;

	snprintf(what, sizeof(what), "%s%s%s",
	    has_command ? (t->proto == PROTO_IMAP ? "LOGIN" : "USER") : "",
	    has_command && mechs[0] ? ", " : "", mechs);
	if (has_password_login(t->proto, after))
		row = probe_out_set(t, PROBE_CHECK_LOGIN_AFTER_TLS, PROBE_PASS,
		    "inside TLS: %s", what);
	else if (after->sasl != 0)
		row = probe_out_set(t, PROBE_CHECK_LOGIN_AFTER_TLS, PROBE_WARN,
		    "inside TLS only %s: clients with a password cannot log "
		    "in%s",
		    mechs,
		    before != NULL && !has_password_login(t->proto, before)
			? ", before TLS nor after"
			: "");
	else
		row = probe_out_set(t, PROBE_CHECK_LOGIN_AFTER_TLS, PROBE_FAIL,
		    "no login offered even inside TLS%s",
		    t->proto == PROTO_IMAP ? " (LOGINDISABLED, no AUTH=)"
					   : " (no USER, no SASL)");
	row->has_mechanisms = true;
	row->mechanisms = after->sasl;
}

/* The name TLS is about: SNI and the certificate's names. */
static const char *
tls_name(const struct probe_check_run *run, const struct probe_target *t)
{
	return run->servername != NULL ? run->servername : t->host;
}

/* TLS on c, with the SNI of tls_name() (none for an address). */
static enum probe_io
start_tls(const struct probe_check_run *run, const struct probe_target *t,
    struct probe_conn *c)
{
	return probe_conn_tls(c, run->ctx, probe_tls_sni(tls_name(run, t)));
}

/* The next line in clear, made safe to quote ("" if none comes within
 * the step): what a server said where TLS was due. */
static void
clear_excerpt(struct probe_conn *c, char *out, size_t cap)
{
	struct line l;

	out[0] = '\0';
	if (probe_conn_line(c, &l) == PROBE_IO_OK)
		probe_classify_excerpt(l, out, cap);
}

/* Connect and read the greeting; on failure the row `check` says why
 * (for the first connection to a default port, a port where nothing
 * listens is a skip).  The connection must be closed in every case. */
static bool
open_greeted(const struct probe_check_run *run, struct probe_target *t,
    const struct probe_proto *p, struct probe_conn *c, enum probe_check check)
{
	struct probe_reply reply;
	enum probe_io r =
	    probe_conn_open(c, t->host, t->port, run->timeout_ms);

	if (r != PROBE_IO_OK) {
		bool is_quiet = check == PROBE_CHECK_CONNECT && t->is_default &&
		    (r == PROBE_IO_REFUSED || r == PROBE_IO_TIMEOUT);

		probe_out_set(t, check, is_quiet ? PROBE_SKIP : PROBE_ERROR,
		    "connect: %s", c->err);
		return false;
	}
	if (check == PROBE_CHECK_CONNECT)
		snprintf(t->ip, sizeof(t->ip), "%s", c->ip);
	if (t->is_implicit) {
		r = start_tls(run, t, c);
		if (r != PROBE_IO_OK) {
			probe_out_set(t, PROBE_CHECK_TLS_HANDSHAKE, PROBE_FAIL,
			    "%s", c->err);
			return false;
		}
		probe_out_set(t, PROBE_CHECK_TLS_HANDSHAKE, PROBE_PASS,
		    "TLS from the first byte (%s)", SSL_get_version(c->ssl));
		probe_tls_check(t, c->ssl, tls_name(run, t), run->has_ca_file);
	}
	r = p->greeting(c, &reply);
	if (r != PROBE_IO_OK) {
		probe_out_set(t, check, PROBE_ERROR, "no greeting: %s", c->err);
		return false;
	}
	if (reply.status != PROBE_STATUS_OK) {
		probe_out_set(t, check, PROBE_ERROR,
		    "the server turned us away: %s", reply.excerpt);
		return false;
	}
	return true;
}

/* STARTTLS on the first connection, then the TLS checks and the
 * capabilities inside TLS.  True when TLS came up. */
static bool
check_starttls(const struct probe_check_run *run, struct probe_target *t,
    const struct probe_proto *p, struct probe_conn *c,
    const struct probe_caps *before)
{
	struct probe_reply reply;
	struct probe_caps after;
	struct probe_row *row;
	enum probe_io r = p->starttls(c, false, &reply);

	if (r != PROBE_IO_OK) {
		probe_out_set(t, PROBE_CHECK_STARTTLS, PROBE_ERROR, "%s: %s",
		    p->starttls_word, c->err);
		return false;
	}
	if (reply.status != PROBE_STATUS_OK) {
		row = probe_out_set(t, PROBE_CHECK_STARTTLS, PROBE_FAIL,
		    "%s offered but refused: %s", p->starttls_word,
		    reply.excerpt);
		memcpy(row->code, reply.code, sizeof(row->code));
		return false;
	}
	/* Bytes after the server's "go ahead" and before TLS are outside TLS
	 * whatever they say: an attacker can inject answers there (curl's
	 * CVE-2021-22947 is the client side of this).  They are dropped. */
	size_t stray = probe_conn_pending(c);

	r = start_tls(run, t, c);
	if (r == PROBE_IO_CLEARTEXT) {
		char said[PROBE_EXCERPT_MAX];

		clear_excerpt(c, said, sizeof(said));
		probe_out_set(t, PROBE_CHECK_STARTTLS, PROBE_FAIL,
		    "%s accepted, but the server went on in clear instead of "
		    "TLS: %s",
		    p->starttls_word, said);
		return false;
	}
	if (r != PROBE_IO_OK) {
		probe_out_set(t, PROBE_CHECK_STARTTLS, PROBE_FAIL,
		    "%s accepted, then %s", p->starttls_word, c->err);
		return false;
	}
	if (stray > 0)
		probe_out_set(t, PROBE_CHECK_STARTTLS, PROBE_FAIL,
		    "the server sent %zu bytes in clear after accepting %s, "
		    "before TLS: answers could be injected there",
		    stray, p->starttls_word);
	else
		probe_out_set(t, PROBE_CHECK_STARTTLS, PROBE_PASS,
		    "TLS started with %s (%s)", p->starttls_word,
		    SSL_get_version(c->ssl));
	probe_tls_check(t, c->ssl, tls_name(run, t), run->has_ca_file);
	r = p->caps(c, &after);
	if (r != PROBE_IO_OK)
		probe_out_set(t, PROBE_CHECK_LOGIN_AFTER_TLS, PROBE_ERROR,
		    "capabilities inside TLS: %s", c->err);
	else
		check_login_after(t, before, &after);
	return true;
}

/* cleartext_login, on a connection of its own. */
static void
check_cleartext_login(const struct probe_check_run *run, struct probe_target *t,
    const struct probe_proto *p, const struct probe_caps *before)
{
	struct probe_conn c;
	struct probe_reply reply;
	enum probe_login v;
	struct probe_row *row;

	if (run->fake_user == NULL) {
		probe_out_set(t, PROBE_CHECK_CLEARTEXT_LOGIN, PROBE_SKIP,
		    "not tried (--try-cleartext sends a login for a fake "
		    "account)");
		return;
	}
	if (!open_greeted(run, t, p, &c, PROBE_CHECK_CLEARTEXT_LOGIN)) {
		probe_conn_close(&c);
		return;
	}
	enum probe_io r =
	    p->login(&c, run->fake_user, before, &v, &reply);

	if (r != PROBE_IO_OK) {
		probe_out_set(t, PROBE_CHECK_CLEARTEXT_LOGIN, PROBE_ERROR,
		    "%s: %s", p->login_words, c.err);
		probe_conn_close(&c);
		return;
	}
	switch (v) {
	case PROBE_LOGIN_TLS_REQUIRED:
		row = probe_out_set(t, PROBE_CHECK_CLEARTEXT_LOGIN, PROBE_PASS,
		    "refused, TLS required: %s", reply.excerpt);
		break;
	case PROBE_LOGIN_BAD_PASSWORD:
		row = probe_out_set(t, PROBE_CHECK_CLEARTEXT_LOGIN, PROBE_FAIL,
		    "refused as a bad password, so a real one sent in clear "
		    "would be accepted: %s",
		    reply.excerpt);
		break;
	case PROBE_LOGIN_ACCEPTED:
		row = probe_out_set(t, PROBE_CHECK_CLEARTEXT_LOGIN, PROBE_FAIL,
		    "the fake account was let in, in clear: %s",
		    reply.excerpt);
		break;
	case PROBE_LOGIN_CONTINUE:
	case PROBE_LOGIN_UNCLEAR:
	case PROBE_LOGIN_COUNT:
	default:
		row = probe_out_set(t, PROBE_CHECK_CLEARTEXT_LOGIN, PROBE_WARN,
		    "refused, and the answer does not say why: %s",
		    reply.excerpt);
		break;
	}
	snprintf(row->value, sizeof(row->value), "%s",
	    probe_classify_login_name(v));
	memcpy(row->code, reply.code, sizeof(row->code));
	p->quit(&c);
	probe_conn_close(&c);
}

/* starttls_injection, on a connection of its own: STARTTLS with a second
 * command in the same write; then whether that command is answered in
 * clear, inside TLS, or not at all. */
static void
check_injection(const struct probe_check_run *run, struct probe_target *t,
    const struct probe_proto *p)
{
	struct probe_conn c;
	struct probe_reply reply;
	enum probe_inject v = PROBE_INJECT_UNCLEAR;
	const char *w = p->starttls_word;
	enum probe_check k = PROBE_CHECK_STARTTLS_INJECTION;

	if (!open_greeted(run, t, p, &c, k))
		goto out;
	enum probe_io r = p->starttls(&c, true, &reply);

	if (r == PROBE_IO_CLOSED) {
		probe_out_set(t, k, PROBE_PASS,
		    "the server closed the connection on a command pipelined "
		    "behind %s",
		    w);
		goto out;
	}
	if (r != PROBE_IO_OK) {
		probe_out_set(t, k, PROBE_ERROR, "%s: %s", w, c.err);
		goto out;
	}
	if (reply.status != PROBE_STATUS_OK) {
		probe_out_set(t, k, PROBE_PASS,
		    "%s refused with a command pipelined behind it", w);
		goto out;
	}
	if (probe_conn_pending(&c) == 0) {
		r = start_tls(run, t, &c);
		if (r == PROBE_IO_OK) {
			r = p->sentinel(&c, &v);
			if (r == PROBE_IO_CLOSED) {
				probe_out_set(t, k, PROBE_PASS,
				    "the server ended the TLS session rather "
				    "than run the pipelined command");
				goto out;
			}
			if (r != PROBE_IO_OK) {
				probe_out_set(t, k, PROBE_WARN,
				    "no answer inside TLS: %s", c.err);
				goto out;
			}
		} else if (r == PROBE_IO_CLOSED || r == PROBE_IO_ERROR) {
			probe_out_set(t, k, PROBE_PASS,
			    "the server dropped the connection rather than "
			    "carry the pipelined command into TLS");
			goto out;
		} else if (r != PROBE_IO_CLEARTEXT) {
			probe_out_set(t, k, PROBE_WARN,
			    "%s accepted, then %s", w, c.err);
			goto out;
		}
	}
	if (c.ssl == NULL) {
		/* Bytes in clear after the "go ahead": the pipelined
		 * command answered outside TLS. */
		char said[PROBE_EXCERPT_MAX];

		clear_excerpt(&c, said, sizeof(said));
		probe_out_set(t, k, PROBE_FAIL,
		    "the command pipelined behind %s was answered in clear "
		    "after %s was accepted (the plaintext buffer survives the "
		    "switch to TLS): %s",
		    w, w, said);
		goto out;
	}
	switch (v) {
	case PROBE_INJECT_IN_TLS:
		probe_out_set(t, k, PROBE_FAIL,
		    "the command pipelined behind %s was answered inside "
		    "TLS: commands injected before TLS run in the TLS session "
		    "(CVE-2011-0411)",
		    w);
		break;
	case PROBE_INJECT_DISCARDED:
		probe_out_set(t, k, PROBE_PASS,
		    "the command pipelined behind %s was discarded", w);
		break;
	case PROBE_INJECT_PENDING:
	case PROBE_INJECT_UNCLEAR:
	case PROBE_INJECT_COUNT:
	default:
		probe_out_set(t, k, PROBE_WARN,
		    "an answer inside TLS that fits neither command");
		break;
	}
out:
	probe_conn_close(&c);
}

/* A port with STARTTLS (110, 143...). */
static void
run_plain(const struct probe_check_run *run, struct probe_target *t,
    const struct probe_proto *p)
{
	struct probe_conn c;
	struct probe_caps before;
	bool is_tls = false;

	if (!open_greeted(run, t, p, &c, PROBE_CHECK_CONNECT)) {
		probe_conn_close(&c);
		return;
	}
	enum probe_io r = p->caps(&c, &before);

	if (r != PROBE_IO_OK) {
		probe_out_set(t, PROBE_CHECK_STARTTLS_OFFERED, PROBE_ERROR,
		    "capabilities: %s", c.err);
		probe_conn_close(&c);
		skip_rest(t, "the capabilities could not be read");
		return;
	}
	check_caps_before(t, p, &before);
	if (!before.is_seen || !before.has_starttls) {
		probe_out_set(t, PROBE_CHECK_STARTTLS, PROBE_SKIP,
		    "%s not offered", p->starttls_word);
	} else
		is_tls = check_starttls(run, t, p, &c, &before);
	p->quit(&c);
	probe_conn_close(&c);
	if (!is_tls)
		skip_rest(t, "no TLS session");	/* the TLS checks */
	check_cleartext_login(run, t, p, &before);
	if (is_tls)
		check_injection(run, t, p);
	skip_rest(t, "no working STARTTLS");
}

/* A port with TLS from the first byte (993, 995). */
static void
run_implicit(const struct probe_check_run *run, struct probe_target *t,
    const struct probe_proto *p)
{
	struct probe_conn c;
	struct probe_caps after;

	if (open_greeted(run, t, p, &c, PROBE_CHECK_CONNECT)) {
		enum probe_io r = p->caps(&c, &after);

		if (r != PROBE_IO_OK)
			probe_out_set(t, PROBE_CHECK_LOGIN_AFTER_TLS,
			    PROBE_ERROR, "capabilities: %s", c.err);
		else
			check_login_after(t, NULL, &after);
		p->quit(&c);
	}
	probe_conn_close(&c);
	if (t->rows[PROBE_CHECK_TLS_HANDSHAKE].is_set)
		skip_rest(t, t->rows[PROBE_CHECK_TLS_HANDSHAKE].result ==
			    PROBE_PASS
			? "no greeting"
			: "no TLS session");
}

void
probe_check_target(const struct probe_check_run *run, struct probe_target *t)
{
	const struct probe_proto *p =
	    t->proto == PROTO_POP3 ? &probe_pop3_proto : &probe_imap_proto;

	if (t->is_implicit)
		run_implicit(run, t, p);
	else
		run_plain(run, t, p);
}
