/* event.c: the names of the event vocabulary (include/plainsight/event.h).
 * These strings are the output contract (docs/output.md). */
#include "plainsight/event.h"

#include <assert.h>

static const char *const proto_names[PROTO_COUNT] = {
	[PROTO_NONE] = "none",
	[PROTO_POP3] = "pop3",
	[PROTO_IMAP] = "imap",
};

static const char *const exposure_names[EXPOSURE_COUNT] = {
	[EXPOSURE_NONE] = "none",
	[EXPOSURE_CLEARTEXT] = "cleartext",
	[EXPOSURE_TOKEN] = "token",
	[EXPOSURE_CHALLENGE] = "challenge",
};

static const char *const tls_names[TLS_COUNT] = {
	[TLS_NONE] = "none",
	[TLS_REFUSED] = "refused",
	[TLS_PIPELINED] = "pipelined",
	[TLS_NOT_STARTED] = "not_started",
};

static const char *const verdict_names[VERDICT_COUNT] = {
	[VERDICT_UNKNOWN] = "unknown",
	[VERDICT_ACCEPTED] = "accepted",
	[VERDICT_REJECTED] = "rejected",
};

static const struct {
	const char *name;
	enum exposure exposure;
} sasl_table[SASL_COUNT] = {
#define SASL_ROW(id, name, exposure) [id] = {name, exposure},
	SASL_LIST(SASL_ROW)
#undef SASL_ROW
};

#define SASL_MECH_NAMES(prefix)                                               \
	prefix "PLAIN", prefix "LOGIN", prefix "XOAUTH2",                     \
	    prefix "OAUTHBEARER", prefix "CRAM-MD5", prefix "DIGEST-MD5",     \
	    prefix "NTLM", prefix "SCRAM-SHA-1", prefix "SCRAM-SHA-256",      \
	    prefix "GSSAPI", prefix "EXTERNAL", prefix "ANONYMOUS",           \
	    prefix "other"

static const char *const mech_names[MECH_COUNT] = {
	"USER/PASS", "APOP", SASL_MECH_NAMES("AUTH "), "LOGIN",
	SASL_MECH_NAMES("AUTHENTICATE "), "inferred",
};
static_assert(MECH_INFERRED == MECH_COUNT - 1, "inferred is last");
static_assert(SASL_OTHER == SASL_COUNT - 1 && SASL_COUNT == 13,
    "SASL_MECH_NAMES follows SASL_LIST");

const char *
event_proto_name(enum proto p)
{
	return p < PROTO_COUNT ? proto_names[p] : "?";
}

const char *
event_exposure_name(enum exposure e)
{
	return e < EXPOSURE_COUNT ? exposure_names[e] : "?";
}

const char *
event_tls_name(enum tls_state t)
{
	return t < TLS_COUNT ? tls_names[t] : "?";
}

const char *
event_verdict_name(enum verdict v)
{
	return v < VERDICT_COUNT ? verdict_names[v] : "?";
}

const char *
event_sasl_name(enum sasl_mech m)
{
	return m < SASL_COUNT ? sasl_table[m].name : "?";
}

enum exposure
event_sasl_exposure(enum sasl_mech m)
{
	return m < SASL_COUNT ? sasl_table[m].exposure : EXPOSURE_NONE;
}

const char *
event_mech_name(enum mech m)
{
	return m < MECH_COUNT ? mech_names[m] : "?";
}

enum exposure
event_mech_exposure(enum mech m)
{
	if (m == MECH_USER_PASS || m == MECH_LOGIN)
		return EXPOSURE_CLEARTEXT;
	if (m == MECH_APOP)
		return EXPOSURE_CHALLENGE;
	if (m >= MECH_AUTH_FIRST && m < MECH_AUTH_FIRST + SASL_COUNT)
		return event_sasl_exposure((enum sasl_mech)(m - MECH_AUTH_FIRST));
	if (m >= MECH_AUTHENTICATE_FIRST &&
	    m < MECH_AUTHENTICATE_FIRST + SASL_COUNT)
		return event_sasl_exposure(
		    (enum sasl_mech)(m - MECH_AUTHENTICATE_FIRST));
	/* inferred: the mechanism is unknown; a server that accepted a
	 * login in clear most likely got a password */
	return EXPOSURE_CLEARTEXT;
}

enum mech
event_mech_sasl(enum proto p, enum sasl_mech m)
{
	int base = p == PROTO_POP3 ? MECH_AUTH_FIRST : MECH_AUTHENTICATE_FIRST;

	return (enum mech)(base + (int)m);
}
