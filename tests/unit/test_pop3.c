/* test_pop3.c: the POP3 engine, dialogue by dialogue.
 *
 * Every dialogue goes through transcript_check(): whole, byte by byte and
 * split at every offset must give the same events.  Expected values come
 * from the RFCs cited and, for pseudonyms, from `openssl dgst -sha256
 * -hmac k3y` run by hand on the lower-cased name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "transcript.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* HMAC-SHA256("k3y", "alice"), first 8 bytes */
#define ALICE_K3Y "8e8dd8ec0d188816"

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
test_pop3_user_pass_accepted(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK POP3 server ready <1896.697170952@dbc.example>\r\n"),
		C("USER alice\r\n"),
		S("+OK\r\n"),
		C("PASS s3cret-user-pass\r\n"),
		S("+OK maildrop has 2 messages (320 octets)\r\n"),
		C("STAT\r\n"),
		S("+OK 2 320\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_USER_PASS);
	assert_int_equal(l->exposure, EXPOSURE_CLEARTEXT);
	assert_int_equal(l->tls, TLS_NONE);
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
	assert_int_equal(l->ts.sec, 1003);	/* the PASS step */
	assert_string_equal(l->account, "");	/* no key: no trace */
	assert_int_equal(l->client.port, 40000);
	assert_int_equal(l->server.port, 110);
	assert_true(c.is_done);		/* logged in: bypassed */
}

static void
test_pop3_pass_rejected_keeps_code(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("USER alice\r\n"),
		S("+OK\r\n"),
		C("PASS wrong\r\n"),
		S("-ERR [AUTH] Authentication failed.\r\n"),
		C("QUIT\r\n"),
		S("+OK bye\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->verdict, VERDICT_REJECTED);
	assert_string_equal(l->response_code, "AUTH");
	assert_false(c.is_done);	/* refused: still worth watching */
}

static void
test_pop3_pipelined_commands_all_count(void **state)
{
	(void)state;
	/* RFC 2449 PIPELINING: several commands in one segment, answered
	 * in order */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("CAPA\r\nUSER alice\r\nPASS s3cret\r\nSTAT\r\n"),
		S("+OK\r\nPIPELINING\r\nUSER\r\n.\r\n+OK\r\n-ERR no\r\n"
		  "-ERR not logged in\r\n"),
		C("USER alice\r\nPASS s3cret2\r\n"),
		S("+OK\r\n+OK\r\n"),
	};
	struct captured c;
	const struct event_login *l[4];

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_int_equal(transcript_logins(&c, l, 4), 2);
	assert_int_equal(l[0]->verdict, VERDICT_REJECTED);
	assert_int_equal(l[1]->verdict, VERDICT_ACCEPTED);
}

static void
test_pop3_commands_are_case_insensitive(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("user alice\r\n"),
		S("+OK\r\n"),
		C("pAsS s3cret\r\n"),
		S("+OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->mech, MECH_USER_PASS);
}

static void
test_pop3_apop_is_a_challenge(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready <1896.697170952@dbc.example>\r\n"),
		C("APOP alice c4c9334bac560ecc979e58001b3e22fb\r\n"),
		S("+OK maildrop has 1 message\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_APOP);
	assert_int_equal(l->exposure, EXPOSURE_CHALLENGE);
	assert_string_equal(l->account, ALICE_K3Y);
}

static void
test_pop3_auth_plain_initial_response(void **state)
{
	(void)state;
	/* RFC 5034: "AUTH PLAIN <base64>" on one line;
	 * base64 of "\0alice\0s3cret-plain" */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("AUTH PLAIN AGFsaWNlAHMzY3JldC1wbGFpbg==\r\n"),
		S("+OK Logged in.\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_AUTH_FIRST + SASL_PLAIN);
	assert_string_equal(event_mech_name(l->mech), "AUTH PLAIN");
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
	assert_string_equal(l->account, ALICE_K3Y);
}

static void
test_pop3_auth_plain_after_continuation(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("AUTH PLAIN\r\n"),
		S("+ \r\n"),
		C("AGFsaWNlAHMzY3JldC1wbGFpbg==\r\n"),
		S("-ERR [AUTH] Authentication failed\r\n"),
		C("QUIT\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->ts.sec, 1003);
	assert_int_equal(l->verdict, VERDICT_REJECTED);
	assert_string_equal(l->response_code, "AUTH");
}

static void
test_pop3_auth_cancelled_is_not_a_login(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("AUTH PLAIN\r\n"),
		S("+ \r\n"),
		C("*\r\n"),
		S("-ERR cancelled\r\n"),
		C("AUTH LOGIN\r\n"),
		S("+ VXNlcm5hbWU6\r\n"),
		C("Ym9i\r\n"),
		S("+ UGFzc3dvcmQ6\r\n"),
		C("*\r\n"),
		S("-ERR cancelled\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_no_login(&c);
}

static void
test_pop3_auth_login_exposes_at_the_password(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("AUTH LOGIN\r\n"),
		S("+ VXNlcm5hbWU6\r\n"),
		C("Ym9i\r\n"),
		S("+ UGFzc3dvcmQ6\r\n"),
		C("aHVudGVyMi1sb2dpbg==\r\n"),
		S("+OK\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_string_equal(event_mech_name(l->mech), "AUTH LOGIN");
	assert_int_equal(l->ts.sec, 1005);	/* the password line */
	assert_string_equal(l->account, "84496172f7f2312e");	/* bob */
}

static void
test_pop3_bare_auth_is_a_probe(void **state)
{
	(void)state;
	/* "AUTH" alone lists the mechanisms in a multi-line answer */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("AUTH\r\n"),
		S("+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n"),
		C("QUIT\r\n"),
		S("+OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_no_login(&c);
}

static void
test_pop3_xoauth2_is_a_token(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("AUTH XOAUTH2\r\n"),
		S("+ \r\n"),
		C("dXNlcj1hbGljZQFhdXRoPUJlYXJlciB5YTI5LnRvazNuLXhvYXV0aAEB\r\n"),
		S("+OK\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->exposure, EXPOSURE_TOKEN);
	assert_string_equal(l->account, ALICE_K3Y);
}

static void
test_pop3_cram_md5_is_a_challenge(void **state)
{
	(void)state;
	/* RFC 2195: "name SP digest" in base64 */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("AUTH CRAM-MD5\r\n"),
		S("+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZT4=\r\n"),
		C("YWxpY2UgNWM5ZjRhMGU4ZDNiMmExZjZlN2Q4YzliMGExZjJlM2Q=\r\n"),
		S("+OK\r\n"),
	};
	struct transcript_opts o = {"k3y", false};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), &o, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->exposure, EXPOSURE_CHALLENGE);
	assert_string_equal(l->account, ALICE_K3Y);
}

static void
test_pop3_stls_then_tls_hides_everything(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("STLS\r\n"),
		S("+OK Begin TLS negotiation\r\n"),
		CB("\x16\x03\x01\x00\x05hello", 10),
		C("USER alice\r\n"),	/* inside TLS: never parsed */
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_no_login(&c);
	assert_true(c.is_done);
	assert_int_equal(c.stats.v[STAT_STARTTLS_ACCEPTED], 1);
	assert_int_equal(c.stats.v[STAT_TLS_STARTED], 1);
}

static void
test_pop3_stls_refused_then_login_is_flagged(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("STLS\r\n"),
		S("-ERR TLS not available\r\n"),
		C("USER alice\r\n"),
		S("+OK\r\n"),
		C("PASS s3cret\r\n"),
		S("+OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->tls, TLS_REFUSED);
	assert_int_equal(c.stats.v[STAT_STARTTLS_REFUSED], 1);
}

static void
test_pop3_login_pipelined_behind_stls_is_flagged(void **state)
{
	(void)state;
	/* CVE-2011-0411 class: commands queued behind STLS cross the
	 * wire in clear whatever the server answers */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("STLS\r\nUSER alice\r\nPASS s3cret\r\n"),
		S("+OK Begin TLS\r\n"),
		CB("\x16\x03\x01\x00\x05hello", 10),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->tls, TLS_PIPELINED);
	assert_int_equal(l->verdict, VERDICT_UNKNOWN);
}

static void
test_pop3_stls_accepted_but_not_started(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("STLS\r\n"),
		S("+OK Begin TLS\r\n"),
		C("USER alice\r\n"),
		S("-ERR what\r\n"),
		C("PASS s3cret\r\n"),
		S("-ERR what\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->tls, TLS_NOT_STARTED);
	assert_int_equal(l->verdict, VERDICT_REJECTED);
	assert_int_equal(c.stats.v[STAT_STARTTLS_NOT_STARTED], 1);
	/* the server answered in clear after its own +OK */
	assert_int_equal(c.stats.v[STAT_STARTTLS_SERVER_CLEARTEXT], 1);
}

static void
test_pop3_capa_gives_the_posture(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("CAPA\r\n"),
		S("+OK Capability list follows\r\nTOP\r\nUSER\r\n"
		  "SASL PLAIN LOGIN XOAUTH2\r\nSTLS\r\n.\r\n"),
		C("QUIT\r\n"),
		S("+OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_server *caps = transcript_server_caps(&c);

	assert_non_null(caps);
	assert_true(caps->has_starttls);
	assert_true(caps->has_user);
	assert_false(caps->has_login_disabled);
	assert_int_equal(caps->sasl_offered, (1u << SASL_PLAIN) |
	    (1u << SASL_LOGIN) | (1u << SASL_XOAUTH2));
}

static void
test_pop3_commands_ignore_case_not_length(void **state)
{
	(void)state;
	/* "USERX" and "PASSX" are other commands; "user" and "pAsS" are
	 * USER and PASS */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("USERX bob\r\nPASSX pw\r\n"),
		S("-ERR\r\n-ERR\r\n"),
		C("user alice\r\npAsS s3cret\r\n"),
		S("+OK\r\n+OK in\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_USER_PASS);
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
}

static void
test_pop3_capa_keywords_are_whole_words(void **state)
{
	(void)state;
	/* a longer word that starts with a keyword is another capability;
	 * spaces before or after a keyword do not hide it */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("CAPA\r\n"),
		S("+OK\r\nSTLSX\r\nUSERS\r\nSASLX PLAIN\r\n"
		  "  USER\r\nSASL  cram-md5 \r\nSTLS-\r\n.\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_server *caps = transcript_server_caps(&c);

	assert_non_null(caps);
	assert_false(caps->has_starttls);
	assert_true(caps->has_user);
	assert_int_equal(caps->sasl_offered, 1u << SASL_CRAM_MD5);
}

static void
test_pop3_not_pop3_is_left_alone(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("HTTP/1.1 400 Bad Request\r\n"),
		C("PASS s3cret\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_no_login(&c);
	assert_int_equal(c.stats.v[STAT_SESSIONS_NOT_MAIL], 1);
}

static void
test_pop3_missing_greeting_first_answer_is_matched(void **state)
{
	(void)state;
	/* a capture that starts with the client's CAPA (suricata-verify
	 * pop3-auth-01): the first server line answers CAPA */
	static const struct step t[] = {
		C("CAPA\r\n"),
		S("+OK\r\nSASL PLAIN XOAUTH2\r\n.\r\n"),
		C("AUTH PLAIN AGFsaWNlAHMzY3JldC1wbGFpbg==\r\n"),
		S("-ERR [AUTH] no\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_REJECTED);
	assert_int_equal(transcript_server_caps(&c)->sasl_offered,
	    (1u << SASL_PLAIN) | (1u << SASL_XOAUTH2));
}

static void
test_pop3_midstream_verdict_is_unknown(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK\r\n"),
		C("USER alice\r\n"),
		S("+OK\r\n"),
		C("PASS s3cret\r\n"),
		S("+OK\r\n"),
	};
	struct transcript_opts o = {NULL, true};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), &o, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_UNKNOWN);
}

static void
test_pop3_gap_makes_later_verdicts_unknown(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("USER alice\r\n"),
		{DIR_S2C, "+OK\r\n", 0, true},	/* an answer was lost */
		C("PASS s3cret\r\n"),
		S("+OK\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_UNKNOWN);
}

static void
test_pop3_pass_cut_by_a_loss_still_counts(void **state)
{
	(void)state;
	/* a snaplen or a lost segment cut the line before its CRLF */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("USER alice\r\nPASS s3cr"),
		{DIR_C2S, "QUIT\r\n", 0, true},
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_USER_PASS);
	assert_int_equal(l->verdict, VERDICT_UNKNOWN);
	assert_int_equal(l->ts.sec, 1002);	/* when the loss was seen */
}

static void
test_pop3_server_only_login_is_inferred(void **state)
{
	(void)state;
	/* asymmetric routing: no client byte at all */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		S("+OK\r\n"),
		S("+OK Logged in.\r\n"),
		S("+OK 2 320\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->mech, MECH_INFERRED);
	assert_int_equal(l->verdict, VERDICT_ACCEPTED);
	assert_int_equal(l->ts.sec, 1002);
	assert_true(c.is_done);
}

static void
test_pop3_server_only_tls_is_not_inferred(void **state)
{
	(void)state;
	static const struct step t[] = {
		S("+OK ready\r\n"),
		S("+OK Begin TLS\r\n"),
		{DIR_S2C, "\x16\x03\x03\x00\x10", 5, false},
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_no_login(&c);
}

static void
test_pop3_implicit_tls_is_counted(void **state)
{
	(void)state;
	static const struct step t[] = {
		CB("\x16\x03\x01\x02\x00\x01", 6),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	assert_no_login(&c);
	assert_int_equal(c.stats.v[STAT_SESSIONS_TLS], 1);
}

static void
test_pop3_long_line_is_skipped_then_login_found(void **state)
{
	(void)state;
	static char big[20010];
	struct captured c;

	memset(big, 'x', sizeof(big) - 3);
	memcpy(big + sizeof(big) - 3, "\r\n", 3);
	const struct step t[] = {
		S("+OK ready\r\n"),
		C(big),
		S("-ERR huh\r\n"),
		C("USER alice\r\nPASS s3cret\r\n"),
		S("+OK\r\n+OK\r\n"),
	};

	transcript_run(PROTO_POP3, t, N(t), NULL, 0, -1, 0, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_ACCEPTED);
	assert_int_equal(c.stats.v[STAT_CAP_LINE], 1);
	transcript_run(PROTO_POP3, t, N(t), NULL, 1, -1, 0, &c);
	assert_int_equal(only_login(&c)->verdict, VERDICT_ACCEPTED);
}

static void
test_pop3_multiline_body_lines_are_not_answers(void **state)
{
	(void)state;
	/* LIST's lines say "-ERR" and "+OK": data, not the answer to PASS */
	static const struct step t[] = {
		S("+OK ready\r\n"),
		C("USER alice\r\n"),
		S("+OK\r\n"),
		C("LIST\r\nPASS s3cret\r\n"),
		S("+OK 2 messages\r\n-ERR 100\r\n+OK 200\r\n.\r\n"),
		S("-ERR [AUTH] no\r\n"),
	};
	struct captured c;

	transcript_check(PROTO_POP3, t, N(t), NULL, &c);
	const struct event_login *l = only_login(&c);

	assert_int_equal(l->verdict, VERDICT_REJECTED);
	assert_string_equal(l->response_code, "AUTH");
}

static void
test_pop3_wipe_reaches_every_written_byte(void **state)
{
	(void)state;
	/* 30 answered LIST+NOOP pairs (the queue wraps), then nine
	 * unanswered PASS (all eight attempt slots, one evicted), an AUTH */
	static char many[30 * 12 + 1];
	static char answers[30 * 13 + 1];

	for (int i = 0; i < 30; i++) {
		memcpy(many + 12 * i, "LIST\r\nNOOP\r\n", 12);
		memcpy(answers + 13 * i, "+OK\r\n.\r\n+OK\r\n", 13);
	}
	const struct step t[] = {
		S("+OK ready\r\n"),
		C("CAPA\r\n"),
		S("+OK\r\nSTLS\r\nUSER\r\nSASL PLAIN\r\n.\r\n"),
		C(many),
		S(answers),
		C("USER alice\r\nPASS a\r\nPASS b\r\nPASS c\r\nPASS d\r\n"
		  "PASS e\r\nPASS f\r\nPASS g\r\nPASS h\r\nPASS i\r\n"),
		C("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
	};
	/* a short one: most slots stay untouched */
	static const struct step u[] = {
		S("+OK ready\r\n"),
		C("USER alice\r\nPASS s3cret\r\n"),
	};

	transcript_wipe_check(PROTO_POP3, t, N(t));
	transcript_wipe_check(PROTO_POP3, u, N(u));
}

static void
test_pop3_pending_queue_is_bounded(void **state)
{
	(void)state;
	/* thousands of pipelined commands: a run takes one entry */
	static char many[6 * 3000 + 64];
	struct captured c;
	size_t k = 0;

	for (int i = 0; i < 3000; i++) {
		/* alternate one-line and multi-line answers: no runs */
		const char *cmd = i % 2 ? "NOOP\r\n" : "LIST\r\n";

		memcpy(many + k, cmd, 6);
		k += 6;
	}
	many[k] = '\0';
	const struct step t[] = {
		S("+OK ready\r\n"),
		C(many),
		C("USER alice\r\nPASS s3cret\r\n"),
	};

	transcript_run(PROTO_POP3, t, N(t), NULL, 0, -1, 0, &c);
	/* the login is still found; its answer can no longer be paired */
	assert_int_equal(only_login(&c)->mech, MECH_USER_PASS);
	assert_int_equal(c.stats.v[STAT_CAP_PENDING], 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pop3_user_pass_accepted),
		cmocka_unit_test(test_pop3_wipe_reaches_every_written_byte),
		cmocka_unit_test(test_pop3_multiline_body_lines_are_not_answers),
		cmocka_unit_test(test_pop3_pass_rejected_keeps_code),
		cmocka_unit_test(test_pop3_pipelined_commands_all_count),
		cmocka_unit_test(test_pop3_commands_are_case_insensitive),
		cmocka_unit_test(test_pop3_apop_is_a_challenge),
		cmocka_unit_test(test_pop3_auth_plain_initial_response),
		cmocka_unit_test(test_pop3_auth_plain_after_continuation),
		cmocka_unit_test(test_pop3_auth_cancelled_is_not_a_login),
		cmocka_unit_test(test_pop3_auth_login_exposes_at_the_password),
		cmocka_unit_test(test_pop3_bare_auth_is_a_probe),
		cmocka_unit_test(test_pop3_xoauth2_is_a_token),
		cmocka_unit_test(test_pop3_cram_md5_is_a_challenge),
		cmocka_unit_test(test_pop3_stls_then_tls_hides_everything),
		cmocka_unit_test(test_pop3_stls_refused_then_login_is_flagged),
		cmocka_unit_test(test_pop3_login_pipelined_behind_stls_is_flagged),
		cmocka_unit_test(test_pop3_stls_accepted_but_not_started),
		cmocka_unit_test(test_pop3_capa_gives_the_posture),
		cmocka_unit_test(test_pop3_capa_keywords_are_whole_words),
		cmocka_unit_test(test_pop3_commands_ignore_case_not_length),
		cmocka_unit_test(test_pop3_not_pop3_is_left_alone),
		cmocka_unit_test(test_pop3_missing_greeting_first_answer_is_matched),
		cmocka_unit_test(test_pop3_midstream_verdict_is_unknown),
		cmocka_unit_test(test_pop3_gap_makes_later_verdicts_unknown),
		cmocka_unit_test(test_pop3_pass_cut_by_a_loss_still_counts),
		cmocka_unit_test(test_pop3_server_only_login_is_inferred),
		cmocka_unit_test(test_pop3_server_only_tls_is_not_inferred),
		cmocka_unit_test(test_pop3_implicit_tls_is_counted),
		cmocka_unit_test(test_pop3_long_line_is_skipped_then_login_found),
		cmocka_unit_test(test_pop3_pending_queue_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
