/* probe_out.h: the checklist of plainsight probe and its two formats.
 *
 * A target (host, port, protocol) has at most one row per check; rows are
 * set in any order while the target is probed and written in the order
 * of enum probe_check, as text for people or as JSON Lines
 * (docs/output.md "probe").  Every string in a row is printable ASCII:
 * what comes from the server goes through probe_classify_excerpt() first.
 */
#ifndef PLAINSIGHT_PROBE_OUT_H
#define PLAINSIGHT_PROBE_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "plainsight/event.h"
#include "probe/probe_conn.h"

#define PROBE_HOST_MAX 253	/* a DNS name (RFC 1035) */
#define PROBE_REASON_MAX 256
#define PROBE_VALUE_MAX 64

/* The checks, in the order they are written.  The names are the output
 * vocabulary (docs/probe.md says what each means). */
enum probe_check {
	PROBE_CHECK_CONNECT,		/* only written when it went wrong */
	PROBE_CHECK_STARTTLS_OFFERED,
	PROBE_CHECK_LOGIN_DISABLED,	/* IMAP */
	PROBE_CHECK_USER_BEFORE_TLS,	/* POP3 */
	PROBE_CHECK_AUTH_BEFORE_TLS,
	PROBE_CHECK_CLEARTEXT_LOGIN,
	PROBE_CHECK_STARTTLS,
	PROBE_CHECK_TLS_HANDSHAKE,	/* implicit TLS ports */
	PROBE_CHECK_TLS_VERSION,
	PROBE_CHECK_TLS_CIPHER,
	PROBE_CHECK_CERT_CHAIN,
	PROBE_CHECK_CERT_NAME,
	PROBE_CHECK_CERT_EXPIRY,
	PROBE_CHECK_CERT_SELF_SIGNED,
	PROBE_CHECK_CERT_KEY,
	PROBE_CHECK_LOGIN_AFTER_TLS,
	PROBE_CHECK_STARTTLS_INJECTION,
	PROBE_CHECK_COUNT
};

enum probe_result {
	PROBE_PASS,
	PROBE_WARN,
	PROBE_FAIL,
	PROBE_SKIP,		/* not applicable, or not asked for */
	PROBE_ERROR,		/* could not be checked: connection trouble */
	PROBE_RESULT_COUNT
};

struct probe_row {
	bool is_set;
	enum probe_result result;
	char reason[PROBE_REASON_MAX];
	char value[PROBE_VALUE_MAX];	/* machine-readable value, or "" */
	bool has_days_left;
	int64_t days_left;		/* cert_expiry: negative if expired */
	bool has_mechanisms;
	uint32_t mechanisms;		/* bit (1u << enum sasl_mech) */
	char code[EVENT_CODE_MAX + 1];	/* the server's response code */
};

/* One port of one host. */
struct probe_target {
	char host[PROBE_HOST_MAX + 1];	/* as given, without brackets */
	uint16_t port;
	enum proto proto;
	bool is_implicit;	/* TLS from the first byte (993, 995) */
	bool is_default;	/* a default port, not named by the user */
	char ip[PROBE_IP_MAX];	/* the address connected to, or "" */
	struct probe_row rows[PROBE_CHECK_COUNT];
};

/* probe_out_set(): set the row of check c (replacing it if set) and
 * return it, for the optional fields. */
__attribute__((format(printf, 4, 5))) struct probe_row *
probe_out_set(struct probe_target *t, enum probe_check c,
    enum probe_result r, const char *fmt, ...);

/* probe_out_text(), probe_out_json(): the rows of one target. */
void probe_out_text(FILE *out, const struct probe_target *t);
void probe_out_json(FILE *out, const struct probe_target *t);

/* probe_out_text_summary(): the last line of the text format. */
void probe_out_text_summary(FILE *out, size_t targets,
    const uint64_t counts[PROBE_RESULT_COUNT]);

#endif
