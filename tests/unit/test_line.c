/* test_line.c: line framing and tokens (proto/line.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/line.h"

static struct line
L(const char *s)
{
	struct line l = {(const uint8_t *)s, strlen(s)};

	return l;
}

static void
test_line_crlf_and_bare_lf(void **state)
{
	(void)state;
	struct line l;
	size_t used;

	assert_int_equal(line_next((const uint8_t *)"ab\r\ncd", 6, 100, &l,
			     &used),
	    LINE_OK);
	assert_int_equal(l.len, 2);
	assert_int_equal(used, 4);
	assert_int_equal(line_next((const uint8_t *)"ab\ncd", 5, 100, &l,
			     &used),
	    LINE_OK);
	assert_int_equal(l.len, 2);
	assert_int_equal(used, 3);
	/* an empty line */
	assert_int_equal(line_next((const uint8_t *)"\r\n", 2, 100, &l,
			     &used),
	    LINE_OK);
	assert_int_equal(l.len, 0);
}

static void
test_line_partial_and_too_long(void **state)
{
	(void)state;
	struct line l;
	size_t used;
	uint8_t *b = malloc(10);

	assert_non_null(b);
	memset(b, 'x', 10);
	/* 10 bytes, max 16: wait for more */
	assert_int_equal(line_next(b, 10, 16, &l, &used), LINE_PARTIAL);
	/* max 10: too long, the prefix is the first 10 bytes */
	assert_int_equal(line_next(b, 10, 10, &l, &used), LINE_TOO_LONG);
	assert_int_equal(l.len, 10);
	assert_int_equal(used, 10);
	/* an LF past max does not count */
	b[9] = '\n';
	assert_int_equal(line_next(b, 10, 9, &l, &used), LINE_TOO_LONG);
	free(b);
}

static void
test_line_skip_to_lf(void **state)
{
	(void)state;
	bool is_done;

	assert_int_equal(line_skip((const uint8_t *)"abc\ndef", 7, &is_done),
	    4);
	assert_true(is_done);
	assert_int_equal(line_skip((const uint8_t *)"abc", 3, &is_done), 3);
	assert_false(is_done);
}

static void
test_line_words_and_case(void **state)
{
	(void)state;
	struct line l = L("  a1  LOGIN   x");
	struct line w = line_word(&l);

	assert_int_equal(w.len, 2);
	w = line_word(&l);
	assert_true(line_is(w, "login"));
	assert_false(line_is(w, "LOGINX"));
	assert_false(line_is(L("LOGINX"), "LOGIN"));
	assert_true(line_starts(L("LOGINX"), "login"));
	w = line_word(&l);
	assert_int_equal(w.len, 1);
	w = line_word(&l);
	assert_int_equal(w.len, 0);	/* exhausted */
	assert_true(line_contains(L("+OK Logged In."), "logged in"));
	assert_false(line_contains(L("+OK Logged"), "logged in"));
}

static void
test_line_last_word(void **state)
{
	(void)state;
	struct line w = line_last_word(L(" FETCH (BODY[] {12}"));

	assert_int_equal(w.len, 4);
	assert_memory_equal(w.p, "{12}", 4);
	/* trailing spaces are not a word: the one before them is */
	w = line_last_word(L(" ID {5}  "));
	assert_int_equal(w.len, 3);
	assert_memory_equal(w.p, "{5}", 3);
	/* a line of one word */
	w = line_last_word(L("word"));
	assert_int_equal(w.len, 4);
	/* no word at all */
	assert_int_equal(line_last_word(L("   ")).len, 0);
	assert_int_equal(line_last_word(L("")).len, 0);
}

static void
test_line_eq_nocase_is_ascii_case_folding(void **state)
{
	(void)state;
	/* every pair of bytes: equal once 'A'..'Z' are mapped to 'a'..'z',
	 * and nothing else is folded (not '@' and '`', not 0xc1 and 0xe1) */
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++) {
			unsigned fa = a >= 'A' && a <= 'Z' ? a + 32 : a;
			unsigned fb = b >= 'A' && b <= 'Z' ? b + 32 : b;

			if (line_eq_nocase((uint8_t)a, (uint8_t)b) != (fa == fb))
				fail_msg("bytes 0x%02x and 0x%02x", a, b);
		}
	assert_true(line_is(L("StartTLS"), "STARTTLS"));
	assert_false(line_is(L("S@ARTTLS"), "S`ARTTLS"));
	assert_false(line_is(L("[OGIN"), "{OGIN"));
}

static void
test_line_tls_record(void **state)
{
	(void)state;
	assert_int_equal(line_is_tls_record((const uint8_t *)"\x16\x03", 2),
	    1);
	assert_int_equal(line_is_tls_record((const uint8_t *)"\x16", 1), -1);
	assert_int_equal(line_is_tls_record((const uint8_t *)"\x16\x02", 2),
	    0);
	assert_int_equal(line_is_tls_record((const uint8_t *)"a1", 2), 0);
	assert_int_equal(line_is_tls_record((const uint8_t *)"", 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_crlf_and_bare_lf),
		cmocka_unit_test(test_line_partial_and_too_long),
		cmocka_unit_test(test_line_skip_to_lf),
		cmocka_unit_test(test_line_words_and_case),
		cmocka_unit_test(test_line_last_word),
		cmocka_unit_test(test_line_eq_nocase_is_ascii_case_folding),
		cmocka_unit_test(test_line_tls_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
