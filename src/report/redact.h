/* redact.h: the only code that turns a user name into something output.
 *
 * With --account-key, a user name becomes its account pseudonym: the first
 * 16 hex digits of HMAC-SHA256(key, user name as sent, ASCII lower-cased),
 * so that an admin can count distinct accounts, or match a known one by
 * computing its pseudonym, and nobody can read one off the report.  The
 * lower-cased copy is made in small stack chunks, wiped after use.
 * Without a key there is no redactor (NULL) and nothing is computed.
 */
#ifndef PLAINSIGHT_REDACT_H
#define PLAINSIGHT_REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "plainsight/plainsight.h"

#define REDACT_ACCOUNT_BYTES 8	/* 16 hex digits */

struct redact;

/* redact_new(): a redactor keyed with `key` (copied; at least 1 byte).
 * ST_USAGE for an empty key, ST_NOMEM. */
__attribute__((warn_unused_result)) enum status
redact_new(const uint8_t *key, size_t len, struct redact **out);

/* redact_free(): wipes the key; NULL is fine. */
void redact_free(struct redact *r);

/* redact_account(): the pseudonym of the user name name[0..n). */
void redact_account(const struct redact *r, const uint8_t *name, size_t n,
    uint8_t out[REDACT_ACCOUNT_BYTES]);

/* redact_account_hex(): the pseudonym as 16 lower-case hex digits + NUL. */
void redact_account_hex(const uint8_t acc[REDACT_ACCOUNT_BYTES],
    char out[2 * REDACT_ACCOUNT_BYTES + 1]);

#endif
