/* sasl.h: one SASL exchange, seen from the client's responses.
 *
 * Shared by POP3 AUTH (RFC 5034) and IMAP AUTHENTICATE (RFC 3501, 4959).
 * Decides when the credential has crossed the wire (the response that
 * carries a password, a token or a challenge answer), extracts the user
 * name for the account pseudonym, and says when the client has sent all
 * the responses its mechanism needs (so a one-sided capture can find the
 * next command).  Responses are decoded with a bounded base64 decoder
 * into a stack buffer that is wiped before returning; nothing decoded is
 * kept but the pseudonym.
 *
 * Per mechanism (non-empty responses):
 *   PLAIN 1 (exposes), LOGIN 2 (user, then password: the 2nd exposes),
 *   XOAUTH2 / OAUTHBEARER 1 (token), CRAM-MD5 1, DIGEST-MD5 1, NTLM 2 (the
 *   type 3 message exposes), SCRAM-* 2 (client-final exposes); GSSAPI,
 *   EXTERNAL and ANONYMOUS carry no password and are never reported.
 */
#ifndef PLAINSIGHT_SASL_H
#define PLAINSIGHT_SASL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plainsight/event.h"
#include "proto/session.h"

struct sasl {
	uint8_t mech;		/* enum sasl_mech */
	uint8_t responses;	/* non-empty client responses so far */
	bool is_exposed;	/* the credential has crossed the wire */
	bool is_cancelled;	/* the client sent "*" */
	bool has_account;
	uint8_t account[REDACT_ACCOUNT_BYTES];
};

/* sasl_mech_from_name(): the mechanism named by p[0..n), any case. */
enum sasl_mech sasl_mech_from_name(const uint8_t *p, size_t n);

/* sasl_begin(): a new exchange for mechanism m. */
void sasl_begin(struct sasl *x, const struct session *s, enum sasl_mech m);

/* sasl_response(): one client response line (base64, "=" for empty, "*"
 * to cancel); is_truncated when only the line's first bytes are given.
 * Returns true when this response exposed the credential. */
bool sasl_response(struct sasl *x, const struct session *s,
    const uint8_t *p, size_t n, bool is_truncated);

/* sasl_is_finished(): the client has sent every response the mechanism
 * needs, or cancelled. */
bool sasl_is_finished(const struct sasl *x);

/* sasl_base64_decode(): strict base64 (RFC 4648, padding optional at the
 * end) of in[0..n) into out[0..cap).  Decodes at most cap bytes (the
 * rest of the input is ignored, *is_partial is set).  False on a byte
 * outside the alphabet or misplaced padding. */
bool sasl_base64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
    size_t *out_len, bool *is_partial);

#endif
