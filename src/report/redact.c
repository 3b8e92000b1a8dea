/* redact.c: account pseudonyms with OpenSSL's HMAC-SHA256 (see redact.h).
 *
 * Uses the EVP_MAC interface (OpenSSL 3): one MAC context keyed once,
 * duplicated per name, so the key is not re-processed for every login.
 */
#include "report/redact.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define LOWER_CHUNK 64

struct redact {
	EVP_MAC *mac;
	EVP_MAC_CTX *keyed;	/* initialised with the key, never finalised */
};

enum status
redact_new(const uint8_t *key, size_t len, struct redact **out)
{
	struct redact *r;
	OSSL_PARAM params[2];
	char digest[] = "SHA256";

	*out = NULL;
	if (key == NULL || len == 0)
		return ST_USAGE;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return ST_NOMEM;
	r->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (r->mac != NULL)
		r->keyed = EVP_MAC_CTX_new(r->mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (r->keyed == NULL || !EVP_MAC_init(r->keyed, key, len, params)) {
		redact_free(r);
		return ST_NOMEM;
	}
	*out = r;
	return ST_OK;
}

void
redact_free(struct redact *r)
{
	if (r == NULL)
		return;
	EVP_MAC_CTX_free(r->keyed);	/* OpenSSL wipes the key schedule */
	EVP_MAC_free(r->mac);
	free(r);
}

void
redact_account(const struct redact *r, const uint8_t *name, size_t n,
    uint8_t out[REDACT_ACCOUNT_BYTES])
{
	uint8_t lower[LOWER_CHUNK];
	uint8_t md[EVP_MAX_MD_SIZE];
	size_t mdlen = 0;
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(r->keyed);

	memset(out, 0, REDACT_ACCOUNT_BYTES);
	if (ctx == NULL)
		return;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < LOWER_CHUNK ? n - done : LOWER_CHUNK;

		for (size_t i = 0; i < k; i++) {
			uint8_t ch = name[done + i];

			lower[i] = ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch + 32)
							  : ch;
		}
		if (!EVP_MAC_update(ctx, lower, k))
			break;
		done += k;
	}
	if (EVP_MAC_final(ctx, md, &mdlen, sizeof(md)) &&
	    mdlen >= REDACT_ACCOUNT_BYTES)
		memcpy(out, md, REDACT_ACCOUNT_BYTES);
	OPENSSL_cleanse(lower, sizeof(lower));
	OPENSSL_cleanse(md, sizeof(md));
	EVP_MAC_CTX_free(ctx);
}

void
redact_account_hex(const uint8_t acc[REDACT_ACCOUNT_BYTES],
    char out[2 * REDACT_ACCOUNT_BYTES + 1])
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < REDACT_ACCOUNT_BYTES; i++) {
		out[2 * i] = hex[acc[i] >> 4];
		out[2 * i + 1] = hex[acc[i] & 0x0f];
	}
	out[2 * REDACT_ACCOUNT_BYTES] = '\0';
}
