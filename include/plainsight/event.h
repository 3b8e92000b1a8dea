/* event.h: what the engine tells the outside world, already redacted.
 *
 * An event is either one login attempt (struct event_login) or one
 * observation of a server (struct event_server).  None of these structures
 * has a field that can hold a password, a token or a user name: the only
 * trace of a user name is `account`, a keyed pseudonym computed in
 * src/report/redact.c, and it is empty unless the user supplied a key.
 * Strings that come from the wire (response codes, client software) are
 * reduced to a safe character set and length before they get here.
 */
#ifndef PLAINSIGHT_EVENT_H
#define PLAINSIGHT_EVENT_H

#include <stdbool.h>
#include <stdint.h>

enum proto {
	PROTO_NONE,
	PROTO_POP3,
	PROTO_IMAP,
	PROTO_COUNT
};

/* How a credential was exposed (docs/output.md "exposure"). */
enum exposure {
	EXPOSURE_NONE,		/* no credential: not reported (GSSAPI...) */
	EXPOSURE_CLEARTEXT,	/* the password itself */
	EXPOSURE_TOKEN,		/* a bearer token (XOAUTH2, OAUTHBEARER) */
	EXPOSURE_CHALLENGE,	/* a crackable challenge response (APOP...) */
	EXPOSURE_COUNT
};

/* Why TLS did not protect the attempt. */
enum tls_state {
	TLS_NONE,		/* no STARTTLS/STLS was asked for before it */
	TLS_REFUSED,		/* STARTTLS asked for and refused */
	TLS_PIPELINED,		/* sent behind STARTTLS before its answer */
	TLS_NOT_STARTED,	/* STARTTLS accepted, client went on in clear */
	TLS_COUNT
};

enum verdict {
	VERDICT_UNKNOWN,	/* no answer captured, or the flow ended first */
	VERDICT_ACCEPTED,
	VERDICT_REJECTED,
	VERDICT_COUNT
};

/* SASL mechanisms plainsight knows by name.  The first group exposes a
 * credential and is reported; the second does not and is only counted. */
#define SASL_LIST(X)                                                         \
	X(SASL_PLAIN, "PLAIN", EXPOSURE_CLEARTEXT)                           \
	X(SASL_LOGIN, "LOGIN", EXPOSURE_CLEARTEXT)                           \
	X(SASL_XOAUTH2, "XOAUTH2", EXPOSURE_TOKEN)                           \
	X(SASL_OAUTHBEARER, "OAUTHBEARER", EXPOSURE_TOKEN)                   \
	X(SASL_CRAM_MD5, "CRAM-MD5", EXPOSURE_CHALLENGE)                     \
	X(SASL_DIGEST_MD5, "DIGEST-MD5", EXPOSURE_CHALLENGE)                 \
	X(SASL_NTLM, "NTLM", EXPOSURE_CHALLENGE)                             \
	X(SASL_SCRAM_SHA_1, "SCRAM-SHA-1", EXPOSURE_CHALLENGE)               \
	X(SASL_SCRAM_SHA_256, "SCRAM-SHA-256", EXPOSURE_CHALLENGE)           \
	X(SASL_GSSAPI, "GSSAPI", EXPOSURE_NONE)                              \
	X(SASL_EXTERNAL, "EXTERNAL", EXPOSURE_NONE)                          \
	X(SASL_ANONYMOUS, "ANONYMOUS", EXPOSURE_NONE)                        \
	X(SASL_OTHER, "other", EXPOSURE_NONE)

enum sasl_mech {
#define SASL_ENUM(id, name, exposure) id,
	SASL_LIST(SASL_ENUM)
#undef SASL_ENUM
	SASL_COUNT
};

/* Login mechanisms as reported: the command, and for SASL the mechanism.
 * The names are the output vocabulary ("USER/PASS", "AUTH PLAIN",
 * "AUTHENTICATE NTLM", "inferred"). */
enum mech {
	MECH_USER_PASS,
	MECH_APOP,
	MECH_AUTH_FIRST,				/* POP3 AUTH <sasl> */
	MECH_LOGIN = MECH_AUTH_FIRST + SASL_COUNT,	/* IMAP LOGIN */
	MECH_AUTHENTICATE_FIRST,			/* IMAP AUTHENTICATE */
	MECH_INFERRED = MECH_AUTHENTICATE_FIRST + SASL_COUNT,
	MECH_COUNT
};

struct event_time {
	int64_t sec;		/* seconds since the epoch, UTC */
	uint32_t usec;		/* 0..999999 */
};

/* One side of a connection.  IPv4 addresses use the first 4 bytes. */
struct endpoint {
	uint8_t addr[16];
	uint16_t port;
	uint8_t family;		/* 4 or 6 */
};

#define EVENT_CODE_MAX 32	/* response code, e.g. AUTHENTICATIONFAILED */
#define EVENT_SOFTWARE_MAX 63	/* "name/version" from IMAP ID */
#define EVENT_ACCOUNT_LEN 16	/* hex digits of the account pseudonym */

struct event_login {
	struct event_time ts;	/* when the credential crossed the wire */
	enum proto proto;
	struct endpoint client;
	struct endpoint server;
	enum mech mech;
	enum exposure exposure;
	enum tls_state tls;
	enum verdict verdict;
	char response_code[EVENT_CODE_MAX + 1];		/* "" if none */
	char client_software[EVENT_SOFTWARE_MAX + 1];	/* "" if unknown */
	char account[EVENT_ACCOUNT_LEN + 1];		/* "" without a key */
	uint64_t flow_id;	/* which connection, counted from 1 */
};

/* Tri-state for what a server advertised. */
enum tri {
	TRI_UNKNOWN,
	TRI_FALSE,
	TRI_TRUE
};

/* A server spoke POP3/IMAP (kind SERVER_SPOKE) or listed its pre-TLS
 * capabilities (kind SERVER_CAPS: CAPABILITY for IMAP, CAPA for POP3). */
enum server_obs {
	SERVER_SPOKE,
	SERVER_CAPS
};

struct event_server {
	struct event_time ts;
	enum proto proto;
	struct endpoint server;
	enum server_obs kind;
	/* SERVER_CAPS only: */
	bool has_starttls;	/* IMAP STARTTLS, POP3 STLS */
	bool has_login_disabled;	/* IMAP LOGINDISABLED */
	bool has_user;		/* POP3 USER */
	uint32_t sasl_offered;	/* bit (1u << enum sasl_mech) */
};

enum event_type {
	EVENT_LOGIN,
	EVENT_SERVER
};

struct event {
	enum event_type type;
	union {
		struct event_login login;
		struct event_server server;
	} u;
};

/* Names used in every output format. */
const char *event_proto_name(enum proto p);	/* "pop3", "imap" */
const char *event_exposure_name(enum exposure e);
const char *event_tls_name(enum tls_state t);
const char *event_verdict_name(enum verdict v);
const char *event_sasl_name(enum sasl_mech m);	/* "PLAIN" */
enum exposure event_sasl_exposure(enum sasl_mech m);
const char *event_mech_name(enum mech m);	/* "AUTH PLAIN" */
enum exposure event_mech_exposure(enum mech m);

/* event_mech_sasl(): the login mechanism for SASL mechanism `m` carried
 * by POP3 AUTH (proto PROTO_POP3) or IMAP AUTHENTICATE (PROTO_IMAP). */
enum mech event_mech_sasl(enum proto p, enum sasl_mech m);

#endif
