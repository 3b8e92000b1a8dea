/* test_sasl.c: the base64 decoder and mechanism names of sasl.c.
 *
 * Expected decodings are RFC 4648 sec. 10's test vectors; the rejections
 * are the ways ettercap and Suricata's decoders went wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/sasl.h"

/* Decode s from an exactly sized copy into a buffer of `cap` bytes. */
static bool
decode(const char *s, size_t cap, char *out, size_t *len, bool *is_partial)
{
	size_t n = strlen(s);
	uint8_t *in = malloc(n ? n : 1);
	uint8_t *o = malloc(cap ? cap : 1);

	assert_non_null(in);
	assert_non_null(o);
	memcpy(in, s, n);
	bool is_ok = sasl_base64_decode(in, n, o, cap, len, is_partial);

	if (is_ok) {
		memcpy(out, o, *len);
		out[*len] = '\0';
	}
	free(in);
	free(o);
	return is_ok;
}

static void
test_sasl_base64_rfc4648_vectors(void **state)
{
	(void)state;
	static const char *const vec[][2] = {
		{"", ""}, {"Zg==", "f"}, {"Zm8=", "fo"}, {"Zm9v", "foo"},
		{"Zm9vYg==", "foob"}, {"Zm9vYmE=", "fooba"},
		{"Zm9vYmFy", "foobar"},
		/* unpadded ends, as some clients send */
		{"Zg", "f"}, {"Zm8", "fo"},
	};
	char out[64];
	size_t len;
	bool is_partial;

	for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		assert_true(decode(vec[i][0], sizeof(out), out, &len,
		    &is_partial));
		assert_int_equal(len, strlen(vec[i][1]));
		assert_memory_equal(out, vec[i][1], len);
		assert_false(is_partial);
	}
}

static void
test_sasl_base64_alphabet_is_exact(void **state)
{
	(void)state;
	/* RFC 4648 table 1, in order: character i has value i */
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";

	/* "AAA" then byte c: 18 zero bits then c's 6, so the third byte
	 * decoded is c's value; "=" pads to two bytes; anything else fails */
	for (unsigned c = 0; c < 256; c++) {
		uint8_t in[4] = {'A', 'A', 'A', (uint8_t)c};
		uint8_t out[3];
		size_t len;
		bool is_partial;
		const char *at = c != 0 ? strchr(alphabet, (int)c) : NULL;
		bool is_ok = sasl_base64_decode(in, 4, out, sizeof(out), &len,
		    &is_partial);

		if (c == '=') {
			assert_true(is_ok);
			assert_int_equal(len, 2);
		} else if (at == NULL) {
			if (is_ok)
				fail_msg("byte 0x%02x accepted", c);
		} else {
			assert_true(is_ok);
			assert_int_equal(len, 3);
			assert_int_equal(out[2], (uint8_t)(at - alphabet));
		}
	}
}

static void
test_sasl_base64_rejects_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"Z", "Zm9vY", "Z===", "=Zg=", "Zg=a", "Zm9v!", "Zm 9v",
		"Zg==Zg==", "Zm9v\n", "====",
	};
	char out[64];
	size_t len;
	bool is_partial;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(decode(bad[i], sizeof(out), out, &len,
		    &is_partial));
}

static void
test_sasl_base64_output_is_capped(void **state)
{
	(void)state;
	char out[8];
	size_t len;
	bool is_partial;

	/* "foobar" into 4 bytes: exactly 4, flagged, nothing beyond */
	assert_true(decode("Zm9vYmFy", 4, out, &len, &is_partial));
	assert_int_equal(len, 4);
	assert_true(is_partial);
	assert_memory_equal(out, "foob", 4);
	assert_true(decode("Zm9vYmFy", 0, out, &len, &is_partial));
	assert_int_equal(len, 0);
	assert_true(is_partial);
	/* a cap on a group boundary: the first group only, flagged */
	assert_true(decode("Zm9vYmFy", 3, out, &len, &is_partial));
	assert_int_equal(len, 3);
	assert_true(is_partial);
	assert_memory_equal(out, "foo", 3);
	/* room for all of it: not partial */
	assert_true(decode("Zm9vYmFy", 6, out, &len, &is_partial));
	assert_int_equal(len, 6);
	assert_false(is_partial);
	assert_memory_equal(out, "foobar", 6);
}

static void
test_sasl_base64_rejects_garbage_in_a_later_full_group(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"Zm9vYmF!", "Zm9v!mFy", "Zm9vY=Fy", "Zm9vYm=y", "Zm9v\x80mFy",
		"Zm9vYmFy Zm9v",
	};
	char out[64];
	size_t len;
	bool is_partial;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(decode(bad[i], sizeof(out), out, &len,
		    &is_partial));
}

static void
test_sasl_mechanism_names(void **state)
{
	(void)state;
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"plain", 5),
	    SASL_PLAIN);
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"CRAM-MD5", 8),
	    SASL_CRAM_MD5);
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"XOAUTH2", 7),
	    SASL_XOAUTH2);
	/* a prefix or an extension is another mechanism */
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"PLAINX", 6),
	    SASL_OTHER);
	assert_int_equal(
	    sasl_mech_from_name((const uint8_t *)"SCRAM-SHA-256-PLUS", 18),
	    SASL_OTHER);
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"", 0),
	    SASL_OTHER);
	/* same length as a name, one byte off: not that name */
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"PLAIM", 5),
	    SASL_OTHER);
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"LOGIN", 5),
	    SASL_LOGIN);
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"scram-sha-1",
	    11), SASL_SCRAM_SHA_1);
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"Anonymous",
	    9), SASL_ANONYMOUS);
	/* the length given counts, not a NUL */
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"NTLMv2", 4),
	    SASL_NTLM);
	/* "other" is the fallback's label, not a mechanism */
	assert_int_equal(sasl_mech_from_name((const uint8_t *)"other", 5),
	    SASL_OTHER);
	assert_int_equal(event_sasl_exposure(SASL_GSSAPI), EXPOSURE_NONE);
	assert_int_equal(event_sasl_exposure(SASL_OAUTHBEARER),
	    EXPOSURE_TOKEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sasl_base64_rfc4648_vectors),
		cmocka_unit_test(test_sasl_base64_alphabet_is_exact),
		cmocka_unit_test(test_sasl_base64_rejects_garbage),
		cmocka_unit_test(
		    test_sasl_base64_rejects_garbage_in_a_later_full_group),
		cmocka_unit_test(test_sasl_base64_output_is_capped),
		cmocka_unit_test(test_sasl_mechanism_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
