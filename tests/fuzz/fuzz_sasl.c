/* fuzz_sasl.c: SASL responses and the base64 decoder.
 * Input: one byte picks the mechanism (and a capacity for the raw
 * decoder); the rest is split at '\n' into client responses. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto/sasl.h"
#include "report/redact.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stats stats;
	struct session_env env;
	struct session s;
	struct sasl x;
	struct redact *redact = NULL;

	if (size < 1)
		return 0;
	memset(&stats, 0, sizeof(stats));
	memset(&env, 0, sizeof(env));
	memset(&s, 0, sizeof(s));
	if (redact_new((const uint8_t *)"fuzz", 4, &redact) != ST_OK)
		return 0;
	env.stats = &stats;
	env.redact = data[0] & 0x80 ? redact : NULL;
	s.env = &env;

	/* the decoder alone, into an exactly sized buffer */
	size_t cap = (size_t)(data[0] & 0x3f);
	uint8_t *in = fuzz_copy(data + 1, size - 1);
	uint8_t *out = malloc(cap ? cap : 1);

	if (out == NULL)
		abort();
	size_t out_len;
	bool is_partial;

	if (sasl_base64_decode(in, size - 1, out, cap, &out_len,
		&is_partial) &&
	    out_len > cap)
		abort();
	free(out);
	free(in);

	sasl_begin(&x, &s, (enum sasl_mech)(data[0] % SASL_COUNT));
	const uint8_t *p = data + 1;
	size_t left = size - 1;

	while (left > 0 && !sasl_is_finished(&x)) {
		const uint8_t *nl = memchr(p, '\n', left);
		size_t n = nl ? (size_t)(nl - p) : left;
		uint8_t *line = fuzz_copy(p, n);

		sasl_response(&x, &s, line, n, nl == NULL);
		free(line);
		p += nl ? n + 1 : n;
		left -= nl ? n + 1 : n;
	}
	redact_free(redact);
	return 0;
}
