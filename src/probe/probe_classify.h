/* probe_classify.h: what a mail server's answers mean, for plainsight probe.
 *
 * Pure functions of the bytes of one server line: no I/O, no state, no
 * allocation, so every rule is unit-tested (tests/unit/
 * test_probe_classify.c) and can be fuzzed.  Lines come from a server that
 * may be hostile; they are read through struct line views (proto/line.h),
 * never as C strings, and nothing taken from them is longer than the
 * caller's buffer.  The rules, with the servers they come from, are in
 * docs/probe.md.
 */
#ifndef PLAINSIGHT_PROBE_CLASSIFY_H
#define PLAINSIGHT_PROBE_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plainsight/event.h"
#include "proto/line.h"

/* IMAP tags of the probe's commands: one per step, so an answer is never
 * mistaken for another's.  INJECTED is the command pipelined behind
 * STARTTLS, SENTINEL the first command sent inside TLS after it. */
#define PROBE_TAG_CAPA "P1"
#define PROBE_TAG_STARTTLS "P2"
#define PROBE_TAG_INJECTED "P3"
#define PROBE_TAG_SENTINEL "P4"
#define PROBE_TAG_LOGIN "P5"
#define PROBE_TAG_LOGOUT "P6"

/* What a server's capability list offered (IMAP CAPABILITY, POP3 CAPA). */
struct probe_caps {
	bool is_seen;		/* a list was received */
	bool has_starttls;	/* IMAP STARTTLS, POP3 STLS */
	bool has_login_disabled;	/* IMAP LOGINDISABLED */
	bool has_user;		/* POP3 USER */
	uint32_t sasl;		/* bit (1u << enum sasl_mech): IMAP AUTH=,
				 * POP3 SASL */
};

/* The status of one answer line. */
enum probe_status {
	PROBE_STATUS_OK,	/* IMAP tagged OK, POP3 +OK */
	PROBE_STATUS_NO,	/* IMAP tagged NO, POP3 -ERR */
	PROBE_STATUS_BAD,	/* IMAP tagged BAD */
	PROBE_STATUS_UNTAGGED,	/* IMAP "* ..." */
	PROBE_STATUS_CONTINUE,	/* IMAP "+ ..." */
	PROBE_STATUS_OTHER,	/* another tag, or not an answer at all */
	PROBE_STATUS_COUNT
};

/* One answer line, parsed.  `text` points into the line given and is
 * valid as long as it is. */
struct probe_answer {
	enum probe_status status;
	char code[EVENT_CODE_MAX + 1];	/* [CODE], upper case, "" if none */
	struct line text;		/* what follows the status and code */
};

/* An answer copied out of the connection's buffer, made safe to quote. */
#define PROBE_EXCERPT_MAX 100
struct probe_reply {
	enum probe_status status;
	char code[EVENT_CODE_MAX + 1];
	char excerpt[PROBE_EXCERPT_MAX];	/* the whole line, made safe */
};

/* The meaning of the answer to a cleartext login with the fake account. */
enum probe_login {
	PROBE_LOGIN_TLS_REQUIRED,	/* refused because TLS is required */
	PROBE_LOGIN_BAD_PASSWORD,	/* refused as a bad password: the server
					 * checks passwords sent in clear */
	PROBE_LOGIN_ACCEPTED,		/* the fake account was let in */
	PROBE_LOGIN_CONTINUE,		/* POP3 USER accepted: PASS is next */
	PROBE_LOGIN_UNCLEAR,		/* refused for another reason (a
					 * temporary failure, a syntax error) */
	PROBE_LOGIN_COUNT
};

/* Which step of the cleartext login an answer is for. */
enum probe_login_step {
	PROBE_STEP_IMAP_LOGIN,		/* IMAP LOGIN user password */
	PROBE_STEP_POP3_USER,		/* POP3 USER user */
	PROBE_STEP_POP3_PASS,		/* POP3 PASS password */
	PROBE_STEP_COUNT
};

/* The first answer seen inside TLS after STARTTLS was sent with a second
 * command pipelined behind it in the same write (CVE-2011-0411 class). */
enum probe_inject {
	PROBE_INJECT_PENDING,	/* not decided by this line: read on */
	PROBE_INJECT_IN_TLS,	/* the pipelined command was answered inside
				 * TLS: it was carried across the upgrade */
	PROBE_INJECT_DISCARDED,	/* the command sent inside TLS was answered
				 * first: the pipelined one was dropped */
	PROBE_INJECT_UNCLEAR,	/* an answer that is neither */
	PROBE_INJECT_COUNT
};

/* probe_classify_imap_caps(): add to *caps what line l lists: an untagged
 * "* CAPABILITY ..." or a "[CAPABILITY ...]" response code in any status
 * line.  Other lines leave *caps as it was. */
void probe_classify_imap_caps(struct line l, struct probe_caps *caps);

/* probe_classify_pop3_capa(): add one line of a CAPA answer (a line
 * between "+OK" and "."), RFC 2449: STLS, USER, SASL mechanisms. */
void probe_classify_pop3_capa(struct line l, struct probe_caps *caps);

/* probe_classify_imap_answer(): parse an IMAP line: "tag OK|NO|BAD
 * [CODE] text" for the given tag, "* ...", "+ ...", or OTHER. */
struct probe_answer probe_classify_imap_answer(struct line l,
    const char *tag);

/* probe_classify_pop3_answer(): parse a POP3 status line: "+OK", "-ERR"
 * and an optional RFC 2449 "[CODE]"; anything else is OTHER. */
struct probe_answer probe_classify_pop3_answer(struct line l);

/* probe_classify_login(): the meaning of the answer `a` to `step`, sent
 * in clear with the fake account.  `before_tls` is what the server listed
 * before TLS: a refusal that says nothing of why, from a server that
 * listed LOGINDISABLED (IMAP) or no USER (POP3), is the refusal it
 * announced. */
enum probe_login probe_classify_login(enum probe_login_step step,
    const struct probe_answer *a, const struct probe_caps *before_tls);

/* probe_classify_inject(): one line received inside TLS after the
 * pipelined STARTTLS.  IMAP: the tag tells (INJECTED or SENTINEL);
 * untagged lines are PENDING.  POP3 (no tags): the pipelined command is
 * CAPA, answered "+OK"; the sentinel is an unknown command, answered
 * "-ERR". */
enum probe_inject probe_classify_inject(enum proto p, struct line l);

/* probe_classify_excerpt(): server text made safe to quote: at most
 * cap - 1 bytes (cap >= 4), anything outside printable ASCII replaced by
 * '?', "..." when cut. */
void probe_classify_excerpt(struct line l, char *out, size_t cap);

/* probe_classify_reply(): *a (parsed from line l) as a copy that outlives
 * the line. */
void probe_classify_reply(const struct probe_answer *a, struct line l,
    struct probe_reply *out);

/* Names for diagnostics and the docs ("tls_required"...). */
const char *probe_classify_login_name(enum probe_login v);

#endif
