/* test_imap.c: the IMAP engine, dialogue by dialogue.
 *
 * Every dialogue goes through transcript_check() (whole, byte by byte,
 * split at every offset).  Pseudonyms were computed by hand with
 * `printf %s NAME | openssl dgst -sha256 -hmac k3y`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "transcript.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define ALICE_K3Y "8e8dd8ec0d188816"
#define QUOTED_ALICE_K3Y "37db9e3408f2b3fd"	/* al"ice */
#define NTLMUSER_K3Y "36ca604568f46848"

static const struct event_login *
only_login(const struct captured *c)
{
	const struct event_login *l[4];

	assert_int_equal(transcript_logins(c, l, 4), 1);
	return l[0];
}

static void
assert_no_login(const struct captured *c)
{
	const struct event_login *l[4];

	assert_int_equal(transcript_logins(c, l, 4), 0);
	assert_int_equal(c->stats.v[STAT_LOGINS], 0);
}

static void
test_imap_login_atoms_accepted(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK IMAP4rev1 ready\r\n"),
		C("a1 LOGIN alice s3cret-atom\r\n"),
		S("a1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n"),
		C("a2 SELECT INBOX\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_LOGIN);
	assert_int_equal(l->exposure, EXPOSURE_CLEARTEXT);
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
	assert_string_equal(l->response_code, "");
	assert_string_equal(l->account, ALICE_K3Y);
	assert_int_equal(l->ts.sec, 1001);
	assert_true(c.is_done);
	/* the post-login capability list is no posture */
	assert_null(transcript_server_caps(&c));
}

static void
test_imap_tag_bytes(void **state)
{
	(void)state;
	/* A tag is printable ASCII but ( ) { " \ %, and does not start
	 * with + or *: the first eight lines are not commands.  "]", "*" and
	 * "+" past the first byte are let through. */
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a%1 LOGIN bob pw\r\na(1 LOGIN bob pw\r\n"
		  "a{1 LOGIN bob pw\r\na\"1 LOGIN bob pw\r\n"
		  "a\\1 LOGIN bob pw\r\n\x80\x01 LOGIN bob pw\r\n"
		  "+a LOGIN bob pw\r\n*a LOGIN bob pw\r\n"
		  "x]*+~ LOGIN alice s3cret\r\n"),
		S("x]*+~ OK done\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_ACCEPTED);
}

static void
test_imap_login_quoted_with_escapes(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a LOGIN \"al\\\"ice\" \"p a\\\\ss\"\r\n"),
		S("a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->verdict, VERDICT_REJECTED);
	assert_string_equal(l->response_code, "AUTHENTICATIONFAILED");
	assert_string_equal(l->account, QUOTED_ALICE_K3Y);
}

static void
test_imap_login_sync_literals(void **state)
{
	(void)state;
	/* RFC 3501 sec. 4.3: the password arrives after the server's "+" */
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a LOGIN {5}\r\n"),
		S("+ Ready for literal data\r\n"),
		C("alice {13}\r\n"),
		S("+ Ready for literal data\r\n"),
		C("s3cret-litera\r\n"),	/* 13 bytes, then the CRLF */
		S("a OK LOGIN completed\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
	assert_string_equal(l->account, ALICE_K3Y);
	assert_int_equal(l->ts.sec, 1005);
}

static void
test_imap_login_nonsync_literals(void **state)
{
	(void)state;
	/* RFC 7888 LITERAL+: no round trip */
	static const struct step t[] = {
		S("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n"),
		C("a LOGIN {5+}\r\nalice {6+}\r\ns3cret\r\n"),
		S("a OK done\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), &o, &c);
	assert_string_equal(only_login(&c)->account, ALICE_K3Y);
}

static void
test_imap_login_refused_before_its_literal(void **state)
{
	(void)state;
	/* LOGINDISABLED: the server refuses instead of sending "+", the
	 * client never sends the password */
	static const struct step t[] = {
		S("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n"),
		C("a LOGIN {5}\r\n"),
		S("a NO [PRIVACYREQUIRED] Plaintext authentication "
		  "disallowed\r\n"),
		C("b LOGOUT\r\n"),
		S("* BYE\r\nb OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_no_login(&c);
	const struct event_server *caps = transcript_server_caps(&c);

	assert_non_null(caps);
	assert_true(caps->has_login_disabled);
	assert_true(caps->has_starttls);
}

static void
test_imap_refused_quoted_login_still_exposed(void **state)
{
	(void)state;
	/* the enforcing server refuses, but the password already crossed */
	static const struct step t[] = {
		S("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n"),
		C("a LOGIN alice \"s3cret\"\r\n"),
		S("a NO [PRIVACYREQUIRED] Plaintext authentication "
		  "disallowed\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->verdict, VERDICT_REJECTED);
	assert_string_equal(l->response_code, "PRIVACYREQUIRED");
}

static void
test_imap_loginx_is_not_login(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a LOGINX alice s3cret\r\n"),
		S("a BAD unknown command\r\n"),
		C("b XLOGIN alice s3cret\r\n"),
		S("b BAD unknown command\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_no_login(&c);
}

static void
test_imap_lowercase_login(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("x1 login alice s3cret\r\n"),
		S("x1 ok\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_ACCEPTED);
}

static void
test_imap_authenticate_plain_sasl_ir(void **state)
{
	(void)state;
	/* RFC 4959; base64 of "\0bob\0imap-s3cret" */
	static const struct step t[] = {
		S("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n"),
		C("A1 AUTHENTICATE PLAIN AGJvYgBpbWFwLXMzY3JldA==\r\n"),
		S("A1 OK Success\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_string_equal(event_mech_name(l->mech), "AUTHENTICATE PLAIN");
	assert_string_equal(l->account, "84496172f7f2312e");
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
}

static void
test_imap_authenticate_plain_continuation(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("2 AUTHENTICATE PLAIN\r\n"),
		S("+ \r\n"),
		C("AGJvYgBpbWFwLXMzY3JldA==\r\n"),
		S("2 NO [AUTHENTICATIONFAILED] no\r\n"),
		C("3 LOGOUT\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->ts.sec, 1003);
	assert_int_equal(l->verdict, VERDICT_REJECTED);
}

static void
test_imap_authenticate_login_and_cancel(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a AUTHENTICATE LOGIN\r\n"),
		S("+ VXNlcm5hbWU6\r\n"),
		C("Ym9i\r\n"),
		S("+ UGFzc3dvcmQ6\r\n"),
		C("*\r\n"),	/* cancelled before the password */
		S("a BAD cancelled\r\n"),
		C("b AUTHENTICATE LOGIN Ym9i\r\n"),	/* user as IR */
		S("+ UGFzc3dvcmQ6\r\n"),
		C("aHVudGVyMi1sb2dpbg==\r\n"),
		S("b OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_string_equal(event_mech_name(l->mech), "AUTHENTICATE LOGIN");
	assert_int_equal(l->ts.sec, 1009);
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
}

static void
test_imap_unsupported_mechanism_refused_at_once(void **state)
{
	(void)state;
	/* no "+": the next client line is a command, not a response */
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a AUTHENTICATE CRAM-MD5\r\n"),
		S("a NO unsupported mechanism\r\n"),
		C("b LOGIN alice s3cret\r\n"),
		S("b OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->mech, MECH_LOGIN);
}

/* An NTLM message in base64: type 1, or type 3 naming `user` (UTF-16LE). */
static void
ntlm_b64(int type, const char *user, char *out, size_t size)
{
	uint8_t msg[128];
	size_t ulen = strlen(user) * 2;
	size_t len = type == 3 ? 72 + ulen : 32;

	memset(msg, 0, sizeof(msg));
	memcpy(msg, "NTLMSSP", 8);
	msg[8] = (uint8_t)type;
	if (type == 3) {
		/* user security buffer at 36: len, max, offset 72 */
		msg[36] = (uint8_t)ulen;
		msg[38] = (uint8_t)ulen;
		msg[40] = 72;
		msg[60] = 0x01;		/* NEGOTIATE_UNICODE */
		for (size_t i = 0; user[i]; i++)
			msg[72 + 2 * i] = (uint8_t)user[i];
	}
	assert_true(size >= 4 * ((len + 2) / 3) + 3);
	int n = EVP_EncodeBlock((unsigned char *)out, msg, (int)len);

	memcpy(out + n, "\r\n", 3);
}

static void
test_imap_authenticate_ntlm_exposes_at_type3(void **state)
{
	(void)state;
	char t1[128], t3[256];

	ntlm_b64(1, "", t1, sizeof(t1));
	ntlm_b64(3, "NtlmUser", t3, sizeof(t3));
	const struct step t[] = {
		S("* OK [CAPABILITY IMAP4rev1 AUTH=NTLM] ready\r\n"),
		C("a001 AUTHENTICATE NTLM\r\n"),
		S("+\r\n"),
		C(t1),
		S("+ TlRMTVNTUAACAAAAAAAAAAAAAAAAAAAAAAAAAA==\r\n"),
		C(t3),
		S("a001 OK AUTHENTICATE completed\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_string_equal(event_mech_name(l->mech), "AUTHENTICATE NTLM");
	assert_int_equal(l->exposure, EXPOSURE_CHALLENGE);
	assert_int_equal(l->ts.sec, 1005);
	assert_string_equal(l->account, NTLMUSER_K3Y);
}

static void
test_imap_starttls_then_tls(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n"),
		C(". STARTTLS\r\n"),
		S(". OK Begin TLS negotiation now\r\n"),
		CB("\x16\x03\x01\x00\x05hello", 10),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_no_login(&c);
	assert_true(c.is_done);
	assert_int_equal(c.stats.v[STAT_TLS_STARTED], 1);
}

static void
test_imap_starttls_refused_then_login(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a STARTTLS\r\n"),
		S("a BAD TLS support not configured\r\n"),
		C("b LOGIN alice s3cret\r\n"),
		S("b OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->tls, TLS_REFUSED);
}

static void
test_imap_login_pipelined_behind_starttls(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a STARTTLS\r\nb LOGIN alice s3cret\r\n"),
		S("a OK Begin TLS\r\n"),
		CB("\x16\x03\x01\x00\x05hello", 10),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->tls, TLS_PIPELINED);
	assert_int_equal(l->verdict, VERDICT_UNKNOWN);
}

static void
test_imap_starttls_accepted_then_cleartext(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a STARTTLS\r\n"),
		S("a OK Begin TLS\r\n"),
		C("b LOGIN alice s3cret\r\n"),
		S("b NO what\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->tls, TLS_NOT_STARTED);
	assert_int_equal(c.stats.v[STAT_STARTTLS_NOT_STARTED], 1);
}

static void
test_imap_capability_response_gives_posture(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("1 CAPABILITY\r\n"),
		S("* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN AUTH=LOGIN "
		  "AUTH=GSS-SPNEGO\r\n1 OK Pre-login capabilities listed, "
		  "post-login capabilities have more.\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_no_login(&c);	/* "Pre-login" is not a LOGIN */
	const struct event_server *caps = transcript_server_caps(&c);

	assert_true(caps->has_starttls);
	assert_false(caps->has_login_disabled);
	assert_int_equal(caps->sasl_offered, (1u << SASL_PLAIN) |
	    (1u << SASL_LOGIN) | (1u << SASL_OTHER));
}

static void
test_imap_capability_words_are_cut_at_spaces_only(void **state)
{
	(void)state;
	/* Runs of spaces separate words; a tab does not; one trailing ']'
	 * is dropped, a second one stays; "AUTH=" alone names nothing. */
	static const struct step t[] = {
		S("* OK ready\r\n"),
		S("* CAPABILITY IMAP4rev1  auth=plain\tAUTH=LOGIN AUTH=  "
		  "STARTTLSX STARTTLS]] logindisabled]  \r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	const struct event_server *caps = transcript_server_caps(&c);

	assert_non_null(caps);
	assert_false(caps->has_starttls);
	assert_true(caps->has_login_disabled);
	assert_int_equal(caps->sasl_offered, 1u << SASL_OTHER);
}

static void
test_imap_id_names_the_client(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a ID (\"name\" \"Thunderbird\" \"version\" \"17.0\" "
		  "\"vendor\" \"Mozilla\")\r\n"),
		S("* ID NIL\r\na OK\r\n"),
		C("b LOGIN alice s3cret\r\n"),
		S("b OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_string_equal(only_login(&c)->client_software,
	    "Thunderbird/17.0");
}

static void
test_imap_literal_content_is_not_parsed(void **state)
{
	(void)state;
	/* an APPEND whose message holds a LOGIN line: data, not command */
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a APPEND INBOX {27}\r\n"),
		S("+ go\r\n"),
		C("b LOGIN alice s3cret\r\nxyz\r\n\r\n"),
		S("a NO not authenticated\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_no_login(&c);
}

static void
test_imap_answers_matched_by_tag(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a LOGIN alice one\r\nb LOGIN alice two\r\n"),
		S("b NO [AUTHENTICATIONFAILED] two\r\n"),
		S("a OK one\r\n"),
	};
	struct captured c;
	const struct event_login *l[4];

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_int_equal(transcript_logins(&c, l, 4), 2);
	/* settled in the order of the answers */
	assert_int_equal(l[0]->verdict, VERDICT_REJECTED);
	assert_int_equal(l[1]->verdict, VERDICT_ACCEPTED);
}

static void
test_imap_server_only_tagged_ok_is_inferred(void **state)
{
	(void)state;
	/* suricata-verify tcp-async-01: only the server side */
	static const struct step t[] = {
		S("* OK Coremail System IMap Server Ready\r\n"),
		S("* CAPABILITY IMAP4rev1 STARTTLS\r\nC2 OK CAPABILITY "
		  "completed\r\n"),
		S("C3 OK LOGIN completed\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_INFERRED);
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
	assert_int_equal(l->ts.sec, 1002);
}

static void
test_imap_server_only_mailbox_data_is_inferred(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		S("* 3 EXISTS\r\n* 0 RECENT\r\nA2 OK [READ-WRITE] done\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->mech, MECH_INFERRED);
}

static void
test_imap_server_literal_before_login_is_skipped(void **state)
{
	(void)state;
	/* only the server side: "* 1 EXISTS" would infer a login, but it is
	 * the 12 bytes of a literal that ends a line (after a space, too) */
	static const struct step t[] = {
		S("* OK ready\r\n"),
		S("* ID (\"name\" {12}\r\n* 1 EXISTS\r\n)\r\n"),
		S("* ID (\"name\" {12} \r\n* 1 EXISTS\r\n)\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_no_login(&c);
	assert_false(c.is_done);
}

static void
test_imap_wipe_reaches_every_written_byte(void **state)
{
	(void)state;
	/* ten unanswered LOGINs (all eight pending slots and all eight
	 * attempt slots, then evictions), an ID, a literal, AUTHENTICATE */
	static const struct step t[] = {
		S("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready\r\n"),
		C("a0 ID (\"name\" \"Thunderbird\" \"version\" \"1\")\r\n"),
		C("a1 LOGIN alice x\r\na2 LOGIN \"bob\" y\r\n"
		  "a3 LOGIN c z\r\na4 LOGIN d z\r\na5 LOGIN e z\r\n"
		  "a6 LOGIN f z\r\na7 LOGIN g z\r\na8 LOGIN h z\r\n"
		  "a9 LOGIN i z\r\nb0 LOGIN j z\r\n"),
		C("b1 LOGIN {5+}\r\ncarol {2+}\r\npw\r\n"),
		C("b2 AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
	};
	static const struct step u[] = {
		S("* OK ready\r\n"),
		C("a1 LOGIN alice s3cret\r\n"),
	};

	transcript_wipe_check(PROTO_IMAP, t, N(t));
	transcript_wipe_check(PROTO_IMAP, u, N(u));
}

static void
test_imap_preauth_is_not_a_login(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* PREAUTH IMAP4rev1 logged in as alice\r\n"),
		S("* 3 EXISTS\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_no_login(&c);
}

static void
test_imap_not_imap_is_left_alone(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("SSH-2.0-OpenSSH_9.2\r\n"),
		C("a LOGIN alice s3cret\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	assert_no_login(&c);
	assert_int_equal(c.stats.v[STAT_SESSIONS_NOT_MAIL], 1);
}

static void
test_imap_midstream_keeps_tag_verdicts(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* 1 FETCH (FLAGS (\\Seen))\r\n"),
		C("z9 LOGIN alice s3cret\r\n"),
		S("z9 OK\r\n"),
	};
	struct transcript_opts o = {NULL, true};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_LOGIN);
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
}

static void
test_imap_client_only_login_is_unknown(void **state)
{
	(void)state;
	static const struct step t[] = {
		C("a CAPABILITY\r\n"),
		C("b AUTHENTICATE PLAIN\r\n"),
		C("AGJvYgBpbWFwLXMzY3JldA==\r\n"),
		C("c SELECT INBOX\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->verdict, VERDICT_UNKNOWN);
	assert_int_equal(l->ts.sec, 1002);
}

static void
test_imap_login_cut_by_a_loss_keeps_its_tag_verdict(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("* OK ready\r\n"),
		C("a1 LOGIN alice s3cr"),
		{DIR_C2S, "a2 SELECT INBOX\r\n", 0, true},
		S("a1 OK LOGIN completed\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_IMAP, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	/* answers go by tag: the cut line's tag still gets its verdict */
	assert_int_equal(l->mech, MECH_LOGIN);
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
	assert_int_equal(l->ts.sec, 1002);
}

static void
test_imap_truncated_long_login_still_counts(void **state)
{
	(void)state;
	static char big[20100];
	struct captured c;

	snprintf(big, sizeof(big), "a LOGIN alice \"");
	size_t k = strlen(big);

	memset(big + k, 'p', sizeof(big) - k - 5);
	memcpy(big + sizeof(big) - 5, "\"\r\n", 4);
	const struct step t[] = {
		S("* OK ready\r\n"),
		C(big),
		S("a NO too long\r\n"),
	};

	transcript_run(PROTO_IMAP, t, N(t), NULL, 0, -1, 0, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_REJECTED);
	assert_int_equal(c.stats.v[STAT_CAP_LINE], 1);
	transcript_run(PROTO_IMAP, t, N(t), NULL, 1, -1, 0, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_REJECTED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imap_login_atoms_accepted),
		cmocka_unit_test(test_imap_login_quoted_with_escapes),
		cmocka_unit_test(test_imap_login_sync_literals),
		cmocka_unit_test(test_imap_login_nonsync_literals),
		cmocka_unit_test(test_imap_login_refused_before_its_literal),
		cmocka_unit_test(test_imap_refused_quoted_login_still_exposed),
		cmocka_unit_test(test_imap_loginx_is_not_login),
		cmocka_unit_test(test_imap_lowercase_login),
		cmocka_unit_test(test_imap_authenticate_plain_sasl_ir),
		cmocka_unit_test(test_imap_authenticate_plain_continuation),
		cmocka_unit_test(test_imap_authenticate_login_and_cancel),
		cmocka_unit_test(test_imap_unsupported_mechanism_refused_at_once),
		cmocka_unit_test(test_imap_authenticate_ntlm_exposes_at_type3),
		cmocka_unit_test(test_imap_starttls_then_tls),
		cmocka_unit_test(test_imap_starttls_refused_then_login),
		cmocka_unit_test(test_imap_login_pipelined_behind_starttls),
		cmocka_unit_test(test_imap_starttls_accepted_then_cleartext),
		cmocka_unit_test(test_imap_tag_bytes),
		cmocka_unit_test(test_imap_capability_response_gives_posture),
		cmocka_unit_test(test_imap_capability_words_are_cut_at_spaces_only),
		cmocka_unit_test(test_imap_id_names_the_client),
		cmocka_unit_test(test_imap_literal_content_is_not_parsed),
		cmocka_unit_test(test_imap_answers_matched_by_tag),
		cmocka_unit_test(test_imap_server_only_tagged_ok_is_inferred),
		cmocka_unit_test(test_imap_server_only_mailbox_data_is_inferred),
		cmocka_unit_test(test_imap_server_literal_before_login_is_skipped),
		cmocka_unit_test(test_imap_wipe_reaches_every_written_byte),
		cmocka_unit_test(test_imap_preauth_is_not_a_login),
		cmocka_unit_test(test_imap_not_imap_is_left_alone),
		cmocka_unit_test(test_imap_midstream_keeps_tag_verdicts),
		cmocka_unit_test(test_imap_client_only_login_is_unknown),
		cmocka_unit_test(test_imap_login_cut_by_a_loss_keeps_its_tag_verdict),
		cmocka_unit_test(test_imap_truncated_long_login_still_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
