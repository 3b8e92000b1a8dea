/* test_redact.c: account pseudonyms.  The expected values were computed
 * by hand with `printf %s NAME | openssl dgst -sha256 -hmac KEY`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report/redact.h"

static void
pseudonym(const char *key, const char *name, char out[17])
{
	struct redact *r;
	uint8_t acc[REDACT_ACCOUNT_BYTES];

	assert_int_equal(redact_new((const uint8_t *)key, strlen(key), &r),
	    ST_OK);
	redact_account(r, (const uint8_t *)name, strlen(name), acc);
	redact_account_hex(acc, out);
	redact_free(r);
}

static void
test_redact_known_answers(void **state)
{
	(void)state;
	char hex[17];

	pseudonym("k3y", "alice", hex);
	assert_string_equal(hex, "8e8dd8ec0d188816");
	pseudonym("k3y", "bob", hex);
	assert_string_equal(hex, "84496172f7f2312e");
}

static void
test_redact_lowercases_ascii_only(void **state)
{
	(void)state;
	char a[17], b[17];

	pseudonym("k3y", "ALICE", a);
	pseudonym("k3y", "alice", b);
	assert_string_equal(a, b);
	/* a long name goes through in chunks: same as one shot */
	char longname[300];

	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	pseudonym("k3y", longname, a);
	memset(longname, 'a', sizeof(longname) - 1);
	pseudonym("k3y", longname, b);
	assert_string_equal(a, b);
}

static void
test_redact_key_changes_everything(void **state)
{
	(void)state;
	char a[17], b[17];

	pseudonym("k3y", "alice", a);
	pseudonym("k3z", "alice", b);
	assert_string_not_equal(a, b);
}

static void
test_redact_empty_key_is_refused(void **state)
{
	(void)state;
	struct redact *r = (struct redact *)1;

	assert_int_equal(redact_new((const uint8_t *)"", 0, &r), ST_USAGE);
	assert_null(r);
	redact_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact_known_answers),
		cmocka_unit_test(test_redact_lowercases_ascii_only),
		cmocka_unit_test(test_redact_key_changes_everything),
		cmocka_unit_test(test_redact_empty_key_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
