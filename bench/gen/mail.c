/* mail.c: POP3 and IMAP session kinds and their ground truth (see mail.h).
 *
 * RFC 1939, 2449, 2595, 5034 (POP3) and 3501, 4959, 7888, 2971 (IMAP) as
 * Dovecot answers them.  Each build function scripts one connection from
 * handshake to close and adds exactly the attempts docs/output.md says a
 * detector reports for it, with their mechanism, TLS state and verdict.
 */
#include "mail.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define C CONV_CLIENT
#define S CONV_SERVER

#define CRED_MAX 128

static const char pop3_greeting[] = "+OK Dovecot (Debian) ready.\r\n";
static const char imap_caps[] =
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
    "AUTH=PLAIN AUTH=LOGIN";
static const char imap_caps_after[] =
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY "
    "THREAD=REFERENCES THREAD=REFS MULTIAPPEND UNSELECT CHILDREN NAMESPACE "
    "UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH SEARCHRES "
    "WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SPECIAL-USE";

/* --- helpers --- */

static void __attribute__((format(printf, 3, 4)))
say(struct mail_ctx *m, unsigned from, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conv_vsendf(m->c, from, CONV_WHOLE, fmt, ap);
	va_end(ap);
}

/* The client message that carries the credential, in the caller's shape. */
static void __attribute__((format(printf, 2, 3)))
cred(struct mail_ctx *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conv_vsendf(m->c, C, m->shape, fmt, ap);
	va_end(ap);
}

static void
expect(struct mail_ctx *m, enum truth_proto proto, const char *mech,
    enum truth_tls tls, enum truth_verdict v)
{
	truth_add(m->truth, m->conn, &m->c->path, proto, mech, tls, v);
}

static void
user_name(const struct mail_ctx *m, char *out, size_t cap)
{
	snprintf(out, cap, "user%05u", m->user);
}

static void
password(struct mail_ctx *m, char *out, size_t cap)
{
	snprintf(out, cap, "s3cr3t-%u-%08x", m->user,
	    (unsigned)rng_next(m->rng));
}

/* 32 hex digits, as an MD5 digest is sent (one draw per statement: the
 * order of a call's arguments is unspecified). */
static void
digest(struct mail_ctx *m, char *out, size_t cap)
{
	unsigned long long a = rng_next(m->rng);
	unsigned long long b = rng_next(m->rng);

	snprintf(out, cap, "%016llx%016llx", a, b);
}

static void
b64(const uint8_t *in, size_t n, char *out, size_t cap)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t k = 0;

	for (size_t i = 0; i < n && k + 5 <= cap; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[k++] = a[(v >> 18) & 63];
		out[k++] = a[(v >> 12) & 63];
		out[k++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		out[k++] = i + 2 < n ? a[v & 63] : '=';
	}
	out[k] = '\0';
}

static void
b64_text(const char *in, char *out, size_t cap)
{
	b64((const uint8_t *)in, strlen(in), out, cap);
}

/* SASL PLAIN: authzid NUL authcid NUL password, base64. */
static void
plain_response(struct mail_ctx *m, char *out, size_t cap)
{
	char user[32], pass[CRED_MAX];
	uint8_t raw[2 * CRED_MAX];

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	int n = snprintf((char *)raw + 1, sizeof(raw) - 1, "%s%c%s", user, 0,
	    pass);

	raw[0] = 0;
	b64(raw, (size_t)n + 1, out, cap);
}

/* Log-uniform by octaves, in integers only, so that no libm rounding can
 * make two machines write different files. */
uint32_t
mail_size(struct rng *rng, uint32_t lo, uint32_t hi)
{
	uint32_t octaves = 0;

	while (octaves < 31 && ((uint64_t)lo << (octaves + 1)) <= hi)
		octaves++;
	uint32_t k = rng_below(rng, octaves + 1);
	uint64_t from = (uint64_t)lo << k;
	uint64_t to = from * 2 < hi ? from * 2 : hi;
	uint32_t n = (uint32_t)from +
	    rng_below(rng, (uint32_t)(to - from + 1));

	n -= n % CONV_TEXT_LINE;
	return n < CONV_TEXT_LINE ? CONV_TEXT_LINE : n;
}

static uint32_t
next_size(struct mail_ctx *m)
{
	return mail_size(m->rng, m->size_min, m->size_max);
}

/* How the connection ends: most servers close after their goodbye; some
 * clients just reset. */
static void
finish(struct mail_ctx *m)
{
	uint32_t r = rng_below(m->rng, 100);

	if (r < 85)
		conv_close(m->c, S);
	else if (r < 95)
		conv_close(m->c, C);
	else
		conv_op(m->c, CONV_OP_RST, C);
}

/* A TLS handshake record of n bytes (type 0x16), then random bytes. */
static void
tls_handshake(struct mail_ctx *m, unsigned from, uint32_t n)
{
	uint8_t rec[4096];

	if (n > sizeof(rec))
		n = sizeof(rec);
	for (uint32_t i = 0; i < n; i++)
		rec[i] = (uint8_t)rng_next(m->rng);
	rec[0] = 0x16;
	rec[1] = 0x03;
	rec[2] = from == C ? 0x01 : 0x03;
	rec[3] = (uint8_t)((n - 5) >> 8);
	rec[4] = (uint8_t)(n - 5);
	rec[5] = from == C ? 1 : 2;	/* ClientHello, ServerHello */
	conv_send(m->c, from, CONV_WHOLE, rec, n);
}

/* TLS from the client's hello to the end: what a mailbox download over
 * TLS looks like from outside. */
static void
tls_session(struct mail_ctx *m)
{
	uint64_t down = 0;

	tls_handshake(m, C, 517);
	tls_handshake(m, S, 2820);
	tls_handshake(m, C, 126);
	conv_bulk(m->c, C, CONV_FILL_TLS, CONV_TLS_RECORD);
	for (uint32_t i = 0; i < m->downloads; i++)
		down += next_size(m);
	down += CONV_TLS_RECORD - down % CONV_TLS_RECORD;
	conv_bulk(m->c, S, CONV_FILL_TLS, down);
	finish(m);
}

/* --- POP3 --- */

static void
pop3_capa(struct mail_ctx *m, bool has_stls)
{
	say(m, C, "CAPA\r\n");
	say(m, S,
	    "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\n"
	    "AUTH-RESP-CODE\r\n%sUSER\r\nSASL PLAIN LOGIN\r\n.\r\n",
	    has_stls ? "STLS\r\n" : "");
}

/* After a login: the mailbox, message by message, then QUIT. */
static void
pop3_download(struct mail_ctx *m)
{
	say(m, C, "STAT\r\n");
	say(m, S, "+OK %u %u\r\n", m->downloads, m->downloads * 4211u);
	for (uint32_t i = 1; i <= m->downloads; i++) {
		uint32_t size = next_size(m);

		say(m, C, "RETR %u\r\n", i);
		say(m, S, "+OK %u octets\r\n", size);
		conv_bulk(m->c, S, CONV_FILL_TEXT, size);
		say(m, S, ".\r\n");
	}
	say(m, C, "QUIT\r\n");
	say(m, S, "+OK Logging out.\r\n");
	finish(m);
}

static void
pop3_quit(struct mail_ctx *m)
{
	say(m, C, "QUIT\r\n");
	say(m, S, "+OK Logging out.\r\n");
	finish(m);
}

static void
pop3_userpass(struct mail_ctx *m, bool is_ok, bool is_lower)
{
	char user[32], pass[CRED_MAX];

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	say(m, C, "%s %s\r\n", is_lower ? "user" : "USER", user);
	say(m, S, "+OK\r\n");
	cred(m, "%s %s\r\n", is_lower ? "pass" : "PASS", pass);
	if (is_ok)
		say(m, S, "+OK Logged in.\r\n");
	else
		say(m, S, "-ERR [AUTH] Authentication failed.\r\n");
}

static void
pop3_user_pass(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	if (rng_percent(m->rng, 50))
		pop3_capa(m, false);
	pop3_userpass(m, true, false);
	expect(m, TRUTH_POP3, "USER/PASS", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_user_pass_rejected(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	pop3_userpass(m, false, false);
	expect(m, TRUTH_POP3, "USER/PASS", TRUTH_TLS_NONE, TRUTH_REJECTED);
	pop3_quit(m);
}

static void
pop3_retry(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	pop3_userpass(m, false, false);
	expect(m, TRUTH_POP3, "USER/PASS", TRUTH_TLS_NONE, TRUTH_REJECTED);
	pop3_userpass(m, true, false);
	expect(m, TRUTH_POP3, "USER/PASS", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_auth_plain(struct mail_ctx *m)
{
	char ir[4 * CRED_MAX];

	plain_response(m, ir, sizeof(ir));
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	pop3_capa(m, false);
	cred(m, "AUTH PLAIN %s\r\n", ir);
	say(m, S, "+OK Logged in.\r\n");
	expect(m, TRUTH_POP3, "AUTH PLAIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_auth_plain_continued(struct mail_ctx *m)
{
	char ir[4 * CRED_MAX];

	plain_response(m, ir, sizeof(ir));
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	say(m, C, "AUTH PLAIN\r\n");
	say(m, S, "+ \r\n");
	cred(m, "%s\r\n", ir);
	say(m, S, "+OK Logged in.\r\n");
	expect(m, TRUTH_POP3, "AUTH PLAIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_auth_login(struct mail_ctx *m)
{
	char user[32], pass[CRED_MAX], bu[128], bp[4 * CRED_MAX];

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	b64_text(user, bu, sizeof(bu));
	b64_text(pass, bp, sizeof(bp));
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	say(m, C, "AUTH LOGIN\r\n");
	say(m, S, "+ VXNlcm5hbWU6\r\n");
	say(m, C, "%s\r\n", bu);
	say(m, S, "+ UGFzc3dvcmQ6\r\n");
	cred(m, "%s\r\n", bp);
	say(m, S, "+OK Logged in.\r\n");
	expect(m, TRUTH_POP3, "AUTH LOGIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_apop(struct mail_ctx *m)
{
	char user[32], hex[40];

	user_name(m, user, sizeof(user));
	digest(m, hex, sizeof(hex));
	conv_handshake(m->c);
	say(m, S, "+OK POP3 server ready <%u.%u@mail.example.net>\r\n",
	    m->user, (unsigned)m->conn);
	cred(m, "APOP %s %s\r\n", user, hex);
	say(m, S, "+OK Logged in.\r\n");
	expect(m, TRUTH_POP3, "APOP", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_cram_md5(struct mail_ctx *m)
{
	char user[32], hex[40], raw[96], resp[160];

	user_name(m, user, sizeof(user));
	digest(m, hex, sizeof(hex));
	snprintf(raw, sizeof(raw), "%s %s", user, hex);
	b64_text(raw, resp, sizeof(resp));
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	say(m, C, "AUTH CRAM-MD5\r\n");
	say(m, S, "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+\r\n");
	cred(m, "%s\r\n", resp);
	say(m, S, "+OK Logged in.\r\n");
	expect(m, TRUTH_POP3, "AUTH CRAM-MD5", TRUTH_TLS_NONE,
	    TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_stls(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	pop3_capa(m, true);
	say(m, C, "STLS\r\n");
	say(m, S, "+OK Begin TLS negotiation now.\r\n");
	tls_session(m);
}

static void
pop3_stls_refused(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	say(m, C, "STLS\r\n");
	say(m, S, "-ERR TLS support isn't enabled.\r\n");
	pop3_userpass(m, true, false);
	expect(m, TRUTH_POP3, "USER/PASS", TRUTH_TLS_REFUSED, TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_lower_case(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	pop3_userpass(m, true, true);
	expect(m, TRUTH_POP3, "USER/PASS", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

/* RFC 2449 PIPELINING: USER and PASS in one segment, both answers in one. */
static void
pop3_pipelined(struct mail_ctx *m)
{
	char user[32], pass[CRED_MAX];

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	pop3_capa(m, false);
	cred(m, "USER %s\r\nPASS %s\r\n", user, pass);
	say(m, S, "+OK\r\n+OK Logged in.\r\n");
	expect(m, TRUTH_POP3, "USER/PASS", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

static void
pop3_capa_only(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	pop3_capa(m, true);
	pop3_quit(m);
}

static void
implicit_tls(struct mail_ctx *m)
{
	conv_handshake(m->c);
	tls_session(m);
}

/* Asymmetric routing: only the server's packets are captured. */
static void
pop3_server_side_only(struct mail_ctx *m)
{
	m->c->is_hidden[C] = true;
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	pop3_userpass(m, true, false);
	expect(m, TRUTH_POP3, "inferred", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	pop3_download(m);
}

/* The server accepted STLS, the client went on in clear anyway; the
 * server, waiting for a TLS hello, resets. */
static void
pop3_stls_not_started(struct mail_ctx *m)
{
	char user[32], pass[CRED_MAX];

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	conv_handshake(m->c);
	say(m, S, "%s", pop3_greeting);
	say(m, C, "STLS\r\n");
	say(m, S, "+OK Begin TLS negotiation now.\r\n");
	cred(m, "USER %s\r\nPASS %s\r\n", user, pass);
	expect(m, TRUTH_POP3, "USER/PASS", TRUTH_TLS_NOT_STARTED,
	    TRUTH_UNKNOWN);
	conv_op(m->c, CONV_OP_RST, S);
}

/* Another service on a mail port: an SSH server on 110 or 143. */
static void
not_mail(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
	say(m, C, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
	conv_bulk(m->c, C, CONV_FILL_RANDOM, 1536);
	conv_bulk(m->c, S, CONV_FILL_RANDOM, 1100);
	uint64_t down = 0;

	for (uint32_t i = 0; i < m->downloads; i++)
		down += next_size(m);
	conv_bulk(m->c, S, CONV_FILL_RANDOM, down);
	finish(m);
}

/* --- IMAP --- */

static uint32_t
tag(struct mail_ctx *m)
{
	return ++m->tag;
}

static void
imap_greet(struct mail_ctx *m)
{
	say(m, S, "* OK [CAPABILITY %s] Dovecot (Debian) ready.\r\n",
	    imap_caps);
}

static void
imap_download(struct mail_ctx *m)
{
	uint32_t t = tag(m);

	say(m, C, "a%03u SELECT INBOX\r\n", t);
	say(m, S,
	    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
	    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	    "\\Draft \\*)] Flags permitted.\r\n* %u EXISTS\r\n* 0 RECENT\r\n"
	    "* OK [UIDVALIDITY 1767600000] UIDs valid\r\n"
	    "a%03u OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n",
	    m->downloads, t);
	if (m->downloads > 0) {
		t = tag(m);
		say(m, C, "a%03u FETCH 1:%u (UID RFC822.SIZE BODY.PEEK[])\r\n",
		    t, m->downloads);
		for (uint32_t i = 1; i <= m->downloads; i++) {
			uint32_t size = next_size(m);

			say(m, S, "* %u FETCH (UID %u RFC822.SIZE %u BODY[] "
				  "{%u}\r\n",
			    i, 1000 + i, size, size);
			conv_bulk(m->c, S, CONV_FILL_TEXT, size);
			say(m, S, ")\r\n");
		}
		say(m, S, "a%03u OK Fetch completed (0.002 + 0.000 secs).\r\n",
		    t);
	}
	t = tag(m);
	say(m, C, "a%03u LOGOUT\r\n", t);
	say(m, S, "* BYE Logging out\r\na%03u OK Logout completed.\r\n", t);
	finish(m);
}

static void
imap_logout(struct mail_ctx *m)
{
	uint32_t t = tag(m);

	say(m, C, "a%03u LOGOUT\r\n", t);
	say(m, S, "* BYE Logging out\r\na%03u OK Logout completed.\r\n", t);
	finish(m);
}

static void
imap_ok(struct mail_ctx *m, uint32_t t)
{
	say(m, S, "a%03u OK [CAPABILITY %s] Logged in\r\n", t,
	    imap_caps_after);
}

/* LOGIN with atoms or quoted strings; returns its tag. */
static uint32_t
imap_login(struct mail_ctx *m, bool is_lower)
{
	char user[32], pass[CRED_MAX];
	uint32_t t = tag(m);

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	if (rng_percent(m->rng, 50))
		cred(m, "a%03u %s %s %s\r\n", t, is_lower ? "login" : "LOGIN",
		    user, pass);
	else
		cred(m, "a%03u %s \"%s\" \"%s\"\r\n", t,
		    is_lower ? "login" : "LOGIN", user, pass);
	return t;
}

static void
imap_login_ok(struct mail_ctx *m)
{
	conv_handshake(m->c);
	imap_greet(m);
	if (rng_percent(m->rng, 30)) {
		uint32_t t = tag(m);

		say(m, C, "a%03u CAPABILITY\r\n", t);
		say(m, S, "* CAPABILITY %s\r\na%03u OK Pre-login capabilities "
			  "listed, post-login capabilities have more.\r\n",
		    imap_caps, t);
	}
	imap_ok(m, imap_login(m, false));
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	imap_download(m);
}

static void
imap_login_rejected(struct mail_ctx *m)
{
	conv_handshake(m->c);
	imap_greet(m);
	say(m, S, "a%03u NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
	    imap_login(m, false));
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_REJECTED);
	imap_logout(m);
}

static void
imap_retry(struct mail_ctx *m)
{
	conv_handshake(m->c);
	imap_greet(m);
	say(m, S, "a%03u NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
	    imap_login(m, false));
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_REJECTED);
	imap_ok(m, imap_login(m, false));
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	imap_download(m);
}

/* RFC 3501 synchronising literals: the client waits for "+" each time. */
static void
imap_login_literal(struct mail_ctx *m)
{
	char user[32], pass[CRED_MAX];
	uint32_t t = tag(m);

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	conv_handshake(m->c);
	imap_greet(m);
	say(m, C, "a%03u LOGIN {%zu}\r\n", t, strlen(user));
	say(m, S, "+ OK\r\n");
	say(m, C, "%s {%zu}\r\n", user, strlen(pass));
	say(m, S, "+ OK\r\n");
	cred(m, "%s\r\n", pass);
	imap_ok(m, t);
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	imap_download(m);
}

/* RFC 7888 LITERAL+: the whole command in one go. */
static void
imap_login_literal_plus(struct mail_ctx *m)
{
	char user[32], pass[CRED_MAX];
	uint32_t t = tag(m);

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	conv_handshake(m->c);
	imap_greet(m);
	cred(m, "a%03u LOGIN {%zu+}\r\n%s {%zu+}\r\n%s\r\n", t, strlen(user),
	    user, strlen(pass), pass);
	imap_ok(m, t);
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	imap_download(m);
}

static void
imap_authenticate_plain(struct mail_ctx *m)
{
	char ir[4 * CRED_MAX];
	uint32_t t = tag(m);

	plain_response(m, ir, sizeof(ir));
	conv_handshake(m->c);
	imap_greet(m);
	cred(m, "a%03u AUTHENTICATE PLAIN %s\r\n", t, ir);
	imap_ok(m, t);
	expect(m, TRUTH_IMAP, "AUTHENTICATE PLAIN", TRUTH_TLS_NONE,
	    TRUTH_ACCEPTED);
	imap_download(m);
}

static void
imap_authenticate_plain_continued(struct mail_ctx *m)
{
	char ir[4 * CRED_MAX];
	uint32_t t = tag(m);

	plain_response(m, ir, sizeof(ir));
	conv_handshake(m->c);
	imap_greet(m);
	say(m, C, "a%03u AUTHENTICATE PLAIN\r\n", t);
	say(m, S, "+ \r\n");
	cred(m, "%s\r\n", ir);
	imap_ok(m, t);
	expect(m, TRUTH_IMAP, "AUTHENTICATE PLAIN", TRUTH_TLS_NONE,
	    TRUTH_ACCEPTED);
	imap_download(m);
}

static void
imap_authenticate_login(struct mail_ctx *m)
{
	char user[32], pass[CRED_MAX], bu[128], bp[4 * CRED_MAX];
	uint32_t t = tag(m);

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	b64_text(user, bu, sizeof(bu));
	b64_text(pass, bp, sizeof(bp));
	conv_handshake(m->c);
	imap_greet(m);
	say(m, C, "a%03u AUTHENTICATE LOGIN\r\n", t);
	say(m, S, "+ VXNlcm5hbWU6\r\n");
	say(m, C, "%s\r\n", bu);
	say(m, S, "+ UGFzc3dvcmQ6\r\n");
	cred(m, "%s\r\n", bp);
	imap_ok(m, t);
	expect(m, TRUTH_IMAP, "AUTHENTICATE LOGIN", TRUTH_TLS_NONE,
	    TRUTH_ACCEPTED);
	imap_download(m);
}

static void
imap_xoauth2(struct mail_ctx *m)
{
	char user[32], raw[256], ir[400];
	uint32_t t = tag(m);

	user_name(m, user, sizeof(user));
	snprintf(raw, sizeof(raw),
	    "user=%s@example.net\001auth=Bearer ya29.s3cr3t-%016llx\001\001",
	    user, (unsigned long long)rng_next(m->rng));
	b64_text(raw, ir, sizeof(ir));
	conv_handshake(m->c);
	imap_greet(m);
	cred(m, "a%03u AUTHENTICATE XOAUTH2 %s\r\n", t, ir);
	imap_ok(m, t);
	expect(m, TRUTH_IMAP, "AUTHENTICATE XOAUTH2", TRUTH_TLS_NONE,
	    TRUTH_ACCEPTED);
	imap_download(m);
}

static void
imap_starttls(struct mail_ctx *m)
{
	uint32_t t = tag(m);

	conv_handshake(m->c);
	imap_greet(m);
	say(m, C, "a%03u STARTTLS\r\n", t);
	say(m, S, "a%03u OK Begin TLS negotiation now.\r\n", t);
	tls_session(m);
}

static void
imap_starttls_refused(struct mail_ctx *m)
{
	uint32_t t = tag(m);

	conv_handshake(m->c);
	imap_greet(m);
	say(m, C, "a%03u STARTTLS\r\n", t);
	say(m, S, "a%03u NO [UNAVAILABLE] TLS support isn't enabled.\r\n", t);
	imap_ok(m, imap_login(m, false));
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_REFUSED, TRUTH_ACCEPTED);
	imap_download(m);
}

/* LOGIN queued behind STARTTLS before its answer (CVE-2011-0411 class);
 * the server starts TLS and never answers the LOGIN in clear. */
static void
imap_starttls_pipelined(struct mail_ctx *m)
{
	char user[32], pass[CRED_MAX];
	uint32_t t = tag(m);
	uint32_t t2 = tag(m);

	user_name(m, user, sizeof(user));
	password(m, pass, sizeof(pass));
	conv_handshake(m->c);
	imap_greet(m);
	cred(m, "a%03u STARTTLS\r\na%03u LOGIN %s %s\r\n", t, t2, user, pass);
	say(m, S, "a%03u OK Begin TLS negotiation now.\r\n", t);
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_PIPELINED, TRUTH_UNKNOWN);
	tls_session(m);
}

static void
imap_lower_case(struct mail_ctx *m)
{
	conv_handshake(m->c);
	imap_greet(m);
	imap_ok(m, imap_login(m, true));
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	imap_download(m);
}

static void
imap_id(struct mail_ctx *m)
{
	uint32_t t = tag(m);

	conv_handshake(m->c);
	imap_greet(m);
	say(m, C, "a%03u ID (\"name\" \"Thunderbird\" \"version\" "
		  "\"115.3.1\")\r\n", t);
	say(m, S, "* ID (\"name\" \"Dovecot\")\r\na%03u OK ID completed.\r\n",
	    t);
	imap_ok(m, imap_login(m, false));
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	imap_download(m);
}

/* An enforcing server: LOGINDISABLED, and LOGIN refused; the password
 * crossed the wire all the same. */
static void
imap_logindisabled(struct mail_ctx *m)
{
	conv_handshake(m->c);
	say(m, S, "* OK [CAPABILITY IMAP4rev1 SASL-IR ID STARTTLS "
		  "LOGINDISABLED] Dovecot (Debian) ready.\r\n");
	say(m, S, "a%03u NO [PRIVACYREQUIRED] Plaintext authentication "
		  "disallowed on non-secure (SSL/TLS) connections.\r\n",
	    imap_login(m, false));
	expect(m, TRUTH_IMAP, "LOGIN", TRUTH_TLS_NONE, TRUTH_REJECTED);
	imap_logout(m);
}

static void
imap_capability_only(struct mail_ctx *m)
{
	uint32_t t = tag(m);

	conv_handshake(m->c);
	imap_greet(m);
	say(m, C, "a%03u CAPABILITY\r\n", t);
	say(m, S, "* CAPABILITY %s\r\na%03u OK Pre-login capabilities "
		  "listed, post-login capabilities have more.\r\n",
	    imap_caps, t);
	imap_logout(m);
}

static void
imap_server_side_only(struct mail_ctx *m)
{
	m->c->is_hidden[C] = true;
	conv_handshake(m->c);
	imap_greet(m);
	imap_ok(m, imap_login(m, false));
	expect(m, TRUTH_IMAP, "inferred", TRUTH_TLS_NONE, TRUTH_ACCEPTED);
	imap_download(m);
}

/* --- the table --- */

static const struct mail_kind kinds[] = {
	/* name, proto, port, weight in mail, weight in bulk */
	{"pop3-user-pass", TRUTH_POP3, 110, 18, 25, pop3_user_pass},
	{"pop3-user-pass-rejected", TRUTH_POP3, 110, 4, 0,
	    pop3_user_pass_rejected},
	{"pop3-retry", TRUTH_POP3, 110, 2, 0, pop3_retry},
	{"pop3-auth-plain", TRUTH_POP3, 110, 4, 5, pop3_auth_plain},
	{"pop3-auth-plain-continued", TRUTH_POP3, 110, 2, 0,
	    pop3_auth_plain_continued},
	{"pop3-auth-login", TRUTH_POP3, 110, 3, 0, pop3_auth_login},
	{"pop3-apop", TRUTH_POP3, 110, 2, 0, pop3_apop},
	{"pop3-cram-md5", TRUTH_POP3, 110, 1, 0, pop3_cram_md5},
	{"pop3-stls", TRUTH_POP3, 110, 10, 10, pop3_stls},
	{"pop3-stls-refused", TRUTH_POP3, 110, 3, 0, pop3_stls_refused},
	{"pop3-lower-case", TRUTH_POP3, 110, 3, 0, pop3_lower_case},
	{"pop3-pipelined", TRUTH_POP3, 110, 3, 0, pop3_pipelined},
	{"pop3-capa-only", TRUTH_POP3, 110, 2, 0, pop3_capa_only},
	{"pop3-implicit-tls", TRUTH_POP3, 995, 4, 0, implicit_tls},
	{"pop3-server-side-only", TRUTH_POP3, 110, 1, 0,
	    pop3_server_side_only},
	{"pop3-stls-not-started", TRUTH_POP3, 110, 1, 0,
	    pop3_stls_not_started},
	{"pop3-port-not-pop3", TRUTH_POP3, 110, 1, 5, not_mail},
	{"imap-login", TRUTH_IMAP, 143, 18, 30, imap_login_ok},
	{"imap-login-rejected", TRUTH_IMAP, 143, 4, 0, imap_login_rejected},
	{"imap-retry", TRUTH_IMAP, 143, 2, 0, imap_retry},
	{"imap-login-literal", TRUTH_IMAP, 143, 2, 0, imap_login_literal},
	{"imap-login-literal-plus", TRUTH_IMAP, 143, 1, 0,
	    imap_login_literal_plus},
	{"imap-authenticate-plain", TRUTH_IMAP, 143, 3, 5,
	    imap_authenticate_plain},
	{"imap-authenticate-plain-continued", TRUTH_IMAP, 143, 2, 0,
	    imap_authenticate_plain_continued},
	{"imap-authenticate-login", TRUTH_IMAP, 143, 1, 0,
	    imap_authenticate_login},
	{"imap-xoauth2", TRUTH_IMAP, 143, 1, 0, imap_xoauth2},
	{"imap-starttls", TRUTH_IMAP, 143, 10, 10, imap_starttls},
	{"imap-starttls-refused", TRUTH_IMAP, 143, 2, 0,
	    imap_starttls_refused},
	{"imap-starttls-pipelined", TRUTH_IMAP, 143, 1, 0,
	    imap_starttls_pipelined},
	{"imap-lower-case", TRUTH_IMAP, 143, 3, 0, imap_lower_case},
	{"imap-id", TRUTH_IMAP, 143, 3, 0, imap_id},
	{"imap-logindisabled", TRUTH_IMAP, 143, 1, 0, imap_logindisabled},
	{"imap-capability-only", TRUTH_IMAP, 143, 2, 0,
	    imap_capability_only},
	{"imap-implicit-tls", TRUTH_IMAP, 993, 4, 0, implicit_tls},
	{"imap-server-side-only", TRUTH_IMAP, 143, 1, 0,
	    imap_server_side_only},
	{"imap-port-not-imap", TRUTH_IMAP, 143, 1, 5, not_mail},
};

size_t
mail_kinds(const struct mail_kind **out)
{
	*out = kinds;
	return sizeof(kinds) / sizeof(kinds[0]);
}

const struct mail_kind *
mail_pick(struct rng *rng, bool is_bulk)
{
	size_t n = sizeof(kinds) / sizeof(kinds[0]);
	uint32_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += is_bulk ? kinds[i].bulk_weight : kinds[i].weight;
	uint32_t r = rng_below(rng, total);

	for (size_t i = 0; i < n; i++) {
		uint32_t w = is_bulk ? kinds[i].bulk_weight : kinds[i].weight;

		if (r < w)
			return &kinds[i];
		r -= w;
	}
	return &kinds[0];
}
