/* test_probe_classify.c: what server answers mean to plainsight probe
 * (src/probe/probe_classify.c).
 *
 * Each line is copied into an exactly sized allocation, so that
 * AddressSanitizer catches a read one byte past it.  The login answers
 * are the real ones of Dovecot (both personalities), Exchange (with and
 * without -LoginType SecureLogin) and Cyrus, and the refusals that say
 * nothing, read against what the server announced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "probe/probe_classify.h"

/* Exactly sized copies, freed at the end of each test. */
#define COPIES_MAX 64
static uint8_t *copies[COPIES_MAX];
static size_t n_copies;

static struct line
L(const char *s)
{
	size_t n = strlen(s);
	uint8_t *p = malloc(n ? n : 1);

	assert_non_null(p);
	memcpy(p, s, n);
	assert_true(n_copies < COPIES_MAX);
	copies[n_copies++] = p;
	struct line l = {p, n};

	return l;
}

static int
free_copies(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_copies; i++)
		free(copies[i]);
	n_copies = 0;
	return 0;
}

static bool
has_sasl(const struct probe_caps *c, enum sasl_mech m)
{
	return (c->sasl & (1u << m)) != 0;
}

static void
test_probe_imap_caps_untagged_list(void **state)
{
	(void)state;
	struct probe_caps c = {0};

	probe_classify_imap_caps(L("* CAPABILITY IMAP4rev1 SASL-IR STARTTLS "
				   "LOGINDISABLED AUTH=GSSAPI auth=ntlm"),
	    &c);
	assert_true(c.is_seen);
	assert_true(c.has_starttls);
	assert_true(c.has_login_disabled);
	assert_true(has_sasl(&c, SASL_GSSAPI));
	assert_true(has_sasl(&c, SASL_NTLM));	/* atoms are any case */
	assert_false(has_sasl(&c, SASL_PLAIN));
}

static void
test_probe_imap_caps_in_a_response_code(void **state)
{
	(void)state;
	struct probe_caps c = {0};

	/* Dovecot's greeting; the last atom carries the bracket. */
	probe_classify_imap_caps(L("* OK [CAPABILITY IMAP4rev1 LITERAL+ "
				   "STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot "
				   "(Debian) ready."),
	    &c);
	assert_true(c.is_seen);
	assert_true(c.has_starttls);
	assert_false(c.has_login_disabled);
	assert_true(has_sasl(&c, SASL_PLAIN));
	assert_true(has_sasl(&c, SASL_LOGIN));
	/* Words after the bracket are text, not capabilities. */
	memset(&c, 0, sizeof(c));
	probe_classify_imap_caps(L("P1 OK [CAPABILITY IMAP4rev1] STARTTLS "
				   "LOGINDISABLED later"),
	    &c);
	assert_true(c.is_seen);
	assert_false(c.has_starttls);
	assert_false(c.has_login_disabled);
}

static void
test_probe_imap_caps_lookalikes_are_not_capabilities(void **state)
{
	(void)state;
	struct probe_caps c = {0};

	probe_classify_imap_caps(L("* CAPABILITYX STARTTLS"), &c);
	probe_classify_imap_caps(L("* OK STARTTLS LOGINDISABLED in prose"),
	    &c);
	probe_classify_imap_caps(L("P1 OK done"), &c);
	probe_classify_imap_caps(L(""), &c);
	assert_false(c.is_seen);
	assert_false(c.has_starttls);
	probe_classify_imap_caps(L("* CAPABILITY STARTTLSX LOGINDISABLEDX "
				   "AUTH="),
	    &c);
	assert_true(c.is_seen);
	assert_false(c.has_starttls);
	assert_false(c.has_login_disabled);
	assert_int_equal(c.sasl, 0);	/* "AUTH=" names nothing */
}

static void
test_probe_pop3_capa_lines(void **state)
{
	(void)state;
	struct probe_caps c = {0};

	probe_classify_pop3_capa(L("TOP"), &c);
	probe_classify_pop3_capa(L("STLSX"), &c);
	probe_classify_pop3_capa(L("SASL"), &c);	/* Dovecot, enforcing */
	assert_true(c.is_seen);
	assert_false(c.has_starttls);
	assert_false(c.has_user);
	assert_int_equal(c.sasl, 0);
	probe_classify_pop3_capa(L("stls"), &c);
	probe_classify_pop3_capa(L("USER"), &c);
	probe_classify_pop3_capa(L("SASL PLAIN LOGIN X-UNKNOWN"), &c);
	assert_true(c.has_starttls);
	assert_true(c.has_user);
	assert_true(has_sasl(&c, SASL_PLAIN));
	assert_true(has_sasl(&c, SASL_LOGIN));
	assert_true(has_sasl(&c, SASL_OTHER));
}

static void
test_probe_imap_answer_tag_status_code(void **state)
{
	(void)state;
	struct probe_answer a;

	a = probe_classify_imap_answer(L("P5 NO [PRIVACYREQUIRED] Plaintext "
					 "authentication disallowed"),
	    "P5");
	assert_int_equal(a.status, PROBE_STATUS_NO);
	assert_string_equal(a.code, "PRIVACYREQUIRED");
	assert_true(line_starts(a.text, "Plaintext"));
	a = probe_classify_imap_answer(L("P5 ok [sys/temp] x"), "P5");
	assert_int_equal(a.status, PROBE_STATUS_OK);
	assert_string_equal(a.code, "SYS/TEMP");	/* upper-cased */
	a = probe_classify_imap_answer(L("P5 BAD"), "P5");
	assert_int_equal(a.status, PROBE_STATUS_BAD);
	assert_string_equal(a.code, "");
	assert_int_equal(a.text.len, 0);
	/* Another tag, a tag in another case, a tag alone: not our answer. */
	assert_int_equal(probe_classify_imap_answer(L("P4 OK x"), "P5").status,
	    PROBE_STATUS_OTHER);
	assert_int_equal(probe_classify_imap_answer(L("p5 OK x"), "P5").status,
	    PROBE_STATUS_OTHER);
	assert_int_equal(probe_classify_imap_answer(L("P5"), "P5").status,
	    PROBE_STATUS_OTHER);
	assert_int_equal(probe_classify_imap_answer(L("P5 YES"), "P5").status,
	    PROBE_STATUS_OTHER);
	a = probe_classify_imap_answer(L("* BAD [ALERT] Plaintext "
					 "authentication not allowed"),
	    "P5");
	assert_int_equal(a.status, PROBE_STATUS_UNTAGGED);
	assert_string_equal(a.code, "ALERT");
	assert_int_equal(probe_classify_imap_answer(L("+ go on"), "P5").status,
	    PROBE_STATUS_CONTINUE);
}

static void
test_probe_answer_codes_are_bounded_atoms(void **state)
{
	(void)state;
	struct probe_answer a;

	/* 33 characters: longer than EVENT_CODE_MAX, so no code. */
	a = probe_classify_imap_answer(
	    L("P5 NO [ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456] text"), "P5");
	assert_string_equal(a.code, "");
	assert_true(line_starts(a.text, "text"));
	/* A bracket that never closes: the atom is the code, no more. */
	a = probe_classify_imap_answer(L("P5 NO [AUTHENTICATIONFAILED"), "P5");
	assert_string_equal(a.code, "AUTHENTICATIONFAILED");
	assert_int_equal(a.text.len, 0);
	a = probe_classify_imap_answer(L("P5 NO [\x01\xff] x"), "P5");
	assert_string_equal(a.code, "");
	a = probe_classify_imap_answer(L("P5 NO ["), "P5");
	assert_string_equal(a.code, "");
}

static void
test_probe_pop3_answer_status_and_code(void **state)
{
	(void)state;
	struct probe_answer a;

	a = probe_classify_pop3_answer(L("-ERR [SYS/TEMP] try later"));
	assert_int_equal(a.status, PROBE_STATUS_NO);
	assert_string_equal(a.code, "SYS/TEMP");
	assert_true(line_is(a.text, "try later"));
	a = probe_classify_pop3_answer(L("+OK"));
	assert_int_equal(a.status, PROBE_STATUS_OK);
	assert_int_equal(probe_classify_pop3_answer(L("+OKAY")).status,
	    PROBE_STATUS_OTHER);
	assert_int_equal(probe_classify_pop3_answer(L("")).status,
	    PROBE_STATUS_OTHER);
	assert_int_equal(probe_classify_pop3_answer(L("* OK")).status,
	    PROBE_STATUS_OTHER);
}

/* What the server announced before TLS, for the silent refusals. */
enum announced {
	ANN_NOTHING,		/* no list seen */
	ANN_OPEN,		/* IMAP without LOGINDISABLED, POP3 with USER */
	ANN_CLOSED,		/* IMAP LOGINDISABLED, POP3 without USER */
};

struct login_case {
	const char *server;	/* whose answer it is */
	enum probe_login_step step;
	enum announced ann;
	const char *line;
	enum probe_login want;
};

static const struct login_case login_cases[] = {
	{"Dovecot enforcing", PROBE_STEP_IMAP_LOGIN, ANN_CLOSED,
	    "P5 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on "
	    "non-secure (SSL/TLS) connections.",
	    PROBE_LOGIN_TLS_REQUIRED},
	{"Dovecot permissive", PROBE_STEP_IMAP_LOGIN, ANN_OPEN,
	    "P5 NO [AUTHENTICATIONFAILED] Authentication failed.",
	    PROBE_LOGIN_BAD_PASSWORD},
	{"Dovecot enforcing", PROBE_STEP_POP3_USER, ANN_CLOSED,
	    "-ERR [AUTH] Plaintext authentication disallowed on non-secure "
	    "(SSL/TLS) connections.",
	    PROBE_LOGIN_TLS_REQUIRED},
	{"Dovecot permissive", PROBE_STEP_POP3_USER, ANN_OPEN, "+OK",
	    PROBE_LOGIN_CONTINUE},
	{"Dovecot permissive", PROBE_STEP_POP3_PASS, ANN_OPEN,
	    "-ERR [AUTH] Authentication failed.", PROBE_LOGIN_BAD_PASSWORD},
	{"Exchange SecureLogin", PROBE_STEP_IMAP_LOGIN, ANN_CLOSED,
	    "P5 BAD Command received in Invalid state.",
	    PROBE_LOGIN_TLS_REQUIRED},
	{"Exchange SecureLogin", PROBE_STEP_POP3_USER, ANN_CLOSED,
	    "-ERR Command is not valid in this state.",
	    PROBE_LOGIN_TLS_REQUIRED},
	{"Exchange PlainTextLogin", PROBE_STEP_IMAP_LOGIN, ANN_OPEN,
	    "P5 NO LOGIN failed.", PROBE_LOGIN_BAD_PASSWORD},
	{"Exchange PlainTextLogin", PROBE_STEP_POP3_PASS, ANN_OPEN,
	    "-ERR Logon failure: unknown user name or bad password.",
	    PROBE_LOGIN_BAD_PASSWORD},
	{"Cyrus allowplaintext: no", PROBE_STEP_IMAP_LOGIN, ANN_CLOSED,
	    "P5 NO Login only available under a layer",
	    PROBE_LOGIN_TLS_REQUIRED},
	{"a server that names STARTTLS", PROBE_STEP_POP3_USER, ANN_OPEN,
	    "-ERR Must issue a STLS command first", PROBE_LOGIN_TLS_REQUIRED},
	{"RFC 1939's unknown mailbox", PROBE_STEP_POP3_USER, ANN_OPEN,
	    "-ERR never heard of mailbox name", PROBE_LOGIN_BAD_PASSWORD},
	/* Refusals about neither TLS nor the password. */
	{"busy IMAP", PROBE_STEP_IMAP_LOGIN, ANN_OPEN,
	    "P5 NO [UNAVAILABLE] Temporary authentication failure",
	    PROBE_LOGIN_UNCLEAR},
	{"busy POP3", PROBE_STEP_POP3_PASS, ANN_OPEN,
	    "-ERR [SYS/TEMP] Temporary authentication failure",
	    PROBE_LOGIN_UNCLEAR},
	{"locked POP3", PROBE_STEP_POP3_PASS, ANN_OPEN,
	    "-ERR [IN-USE] Mailbox is locked", PROBE_LOGIN_UNCLEAR},
	{"syntax", PROBE_STEP_IMAP_LOGIN, ANN_OPEN, "P5 BAD Error in command",
	    PROBE_LOGIN_UNCLEAR},
	/* Codes first: the server's own classification beats its prose. */
	{"code over text", PROBE_STEP_IMAP_LOGIN, ANN_OPEN,
	    "P5 NO [AUTHENTICATIONFAILED] use TLS next time",
	    PROBE_LOGIN_BAD_PASSWORD},
	{"code over text", PROBE_STEP_IMAP_LOGIN, ANN_OPEN,
	    "P5 NO [PRIVACYREQUIRED] Authentication failed",
	    PROBE_LOGIN_TLS_REQUIRED},
	/* Silent refusals, read against what was announced. */
	{"silent, LOGINDISABLED", PROBE_STEP_IMAP_LOGIN, ANN_CLOSED,
	    "P5 NO go away", PROBE_LOGIN_TLS_REQUIRED},
	{"silent BAD, LOGINDISABLED", PROBE_STEP_IMAP_LOGIN, ANN_CLOSED,
	    "P5 BAD", PROBE_LOGIN_TLS_REQUIRED},
	{"silent, LOGIN open", PROBE_STEP_IMAP_LOGIN, ANN_OPEN,
	    "P5 NO go away", PROBE_LOGIN_BAD_PASSWORD},
	{"silent, no list seen", PROBE_STEP_IMAP_LOGIN, ANN_NOTHING,
	    "P5 NO go away", PROBE_LOGIN_BAD_PASSWORD},
	{"silent, no USER", PROBE_STEP_POP3_USER, ANN_CLOSED, "-ERR no",
	    PROBE_LOGIN_TLS_REQUIRED},
	{"silent, USER offered", PROBE_STEP_POP3_USER, ANN_OPEN, "-ERR no",
	    PROBE_LOGIN_BAD_PASSWORD},
	/* The fake account let in. */
	{"accepted", PROBE_STEP_IMAP_LOGIN, ANN_OPEN, "P5 OK Logged in",
	    PROBE_LOGIN_ACCEPTED},
	{"accepted", PROBE_STEP_POP3_PASS, ANN_OPEN, "+OK Logged in.",
	    PROBE_LOGIN_ACCEPTED},
	/* Not an answer at all. */
	{"garbage", PROBE_STEP_POP3_PASS, ANN_OPEN, "hello",
	    PROBE_LOGIN_UNCLEAR},
	{"a continuation", PROBE_STEP_IMAP_LOGIN, ANN_OPEN, "+ more",
	    PROBE_LOGIN_UNCLEAR},
};

static void
test_probe_login_answers_of_real_servers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(login_cases) / sizeof(login_cases[0]);
	     i++) {
		const struct login_case *k = &login_cases[i];
		bool is_imap = k->step == PROBE_STEP_IMAP_LOGIN;
		struct probe_caps caps = {0};
		struct probe_answer a = is_imap
		    ? probe_classify_imap_answer(L(k->line), "P5")
		    : probe_classify_pop3_answer(L(k->line));

		caps.is_seen = k->ann != ANN_NOTHING;
		caps.has_starttls = true;
		if (is_imap)
			caps.has_login_disabled = k->ann == ANN_CLOSED;
		else
			caps.has_user = k->ann == ANN_OPEN;
		enum probe_login got = probe_classify_login(k->step, &a, &caps);

		if (got != k->want)
			fail_msg("case %zu (%s: \"%s\"): %s, expected %s", i,
			    k->server, k->line, probe_classify_login_name(got),
			    probe_classify_login_name(k->want));
		free_copies(NULL);
	}
}

static void
test_probe_login_without_announcements(void **state)
{
	(void)state;
	struct probe_answer a = probe_classify_imap_answer(L("P5 NO x"), "P5");

	/* No capabilities at all (NULL): the RFC meaning of NO. */
	assert_int_equal(probe_classify_login(PROBE_STEP_IMAP_LOGIN, &a, NULL),
	    PROBE_LOGIN_BAD_PASSWORD);
}

static void
test_probe_inject_answers(void **state)
{
	(void)state;
	assert_int_equal(probe_classify_inject(PROTO_IMAP,
			     L(PROBE_TAG_INJECTED " OK NOOP completed.")),
	    PROBE_INJECT_IN_TLS);
	assert_int_equal(probe_classify_inject(PROTO_IMAP,
			     L(PROBE_TAG_SENTINEL " OK NOOP completed.")),
	    PROBE_INJECT_DISCARDED);
	assert_int_equal(probe_classify_inject(PROTO_IMAP,
			     L("* 3 EXISTS")),
	    PROBE_INJECT_PENDING);
	assert_int_equal(probe_classify_inject(PROTO_IMAP, L("P9 OK")),
	    PROBE_INJECT_UNCLEAR);
	assert_int_equal(probe_classify_inject(PROTO_IMAP, L("")),
	    PROBE_INJECT_UNCLEAR);
	/* POP3: the pipelined CAPA answers +OK, the sentinel -ERR. */
	assert_int_equal(probe_classify_inject(PROTO_POP3, L("+OK")),
	    PROBE_INJECT_IN_TLS);
	assert_int_equal(probe_classify_inject(PROTO_POP3,
			     L("-ERR Unknown command.")),
	    PROBE_INJECT_DISCARDED);
	assert_int_equal(probe_classify_inject(PROTO_POP3, L("STLS")),
	    PROBE_INJECT_UNCLEAR);
}

static void
test_probe_excerpt_is_printable_and_bounded(void **state)
{
	(void)state;
	char out[8];

	probe_classify_excerpt(L("a\x1b[31mb\x7f"), out, sizeof(out));
	assert_string_equal(out, "a?[3...");
	probe_classify_excerpt(L("1234567"), out, sizeof(out));
	assert_string_equal(out, "1234567");	/* fits: no dots */
	probe_classify_excerpt(L("12345678"), out, sizeof(out));
	assert_string_equal(out, "1234...");
	probe_classify_excerpt(L("\x01\x02"), out, sizeof(out));
	assert_string_equal(out, "??");
	probe_classify_excerpt(L(""), out, sizeof(out));
	assert_string_equal(out, "");
}

/* Every prefix of every line through every function: none reads past the
 * line (ASan), whatever the server cut. */
static void
test_probe_every_prefix_is_safe(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready",
		"* CAPABILITY STARTTLS LOGINDISABLED AUTH=CRAM-MD5",
		"P5 NO [PRIVACYREQUIRED] Plaintext authentication disallowed",
		"-ERR [SYS/TEMP] Temporary failure",
		"SASL PLAIN LOGIN",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t n = strlen(lines[i]);

		for (size_t k = 0; k <= n; k++) {
			char buf[128];
			struct probe_caps caps = {0};

			memcpy(buf, lines[i], k);
			buf[k] = '\0';
			struct line l = L(buf);
			struct probe_answer a =
			    probe_classify_imap_answer(l, "P5");

			probe_classify_imap_caps(l, &caps);
			probe_classify_pop3_capa(l, &caps);
			(void)probe_classify_login(PROBE_STEP_IMAP_LOGIN, &a,
			    &caps);
			a = probe_classify_pop3_answer(l);
			(void)probe_classify_login(PROBE_STEP_POP3_PASS, &a,
			    &caps);
			(void)probe_classify_inject(PROTO_IMAP, l);
			(void)probe_classify_inject(PROTO_POP3, l);
			probe_classify_excerpt(l, buf, sizeof(buf));
			free_copies(NULL);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_probe_imap_caps_untagged_list,
		    free_copies),
		cmocka_unit_test_teardown(
		    test_probe_imap_caps_in_a_response_code, free_copies),
		cmocka_unit_test_teardown(
		    test_probe_imap_caps_lookalikes_are_not_capabilities,
		    free_copies),
		cmocka_unit_test_teardown(test_probe_pop3_capa_lines,
		    free_copies),
		cmocka_unit_test_teardown(
		    test_probe_imap_answer_tag_status_code, free_copies),
		cmocka_unit_test_teardown(
		    test_probe_answer_codes_are_bounded_atoms, free_copies),
		cmocka_unit_test_teardown(
		    test_probe_pop3_answer_status_and_code, free_copies),
		cmocka_unit_test_teardown(
		    test_probe_login_answers_of_real_servers, free_copies),
		cmocka_unit_test_teardown(
		    test_probe_login_without_announcements, free_copies),
		cmocka_unit_test_teardown(test_probe_inject_answers,
		    free_copies),
		cmocka_unit_test_teardown(
		    test_probe_excerpt_is_printable_and_bounded, free_copies),
		cmocka_unit_test_teardown(test_probe_every_prefix_is_safe,
		    free_copies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
