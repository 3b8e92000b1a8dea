/* line.c: line framing and case-insensitive tokens (see line.h). */
#include "proto/line.h"

#include <string.h>

size_t
line_skip(const uint8_t *buf, size_t len, bool *is_done)
{
	const uint8_t *lf = memchr(buf, '\n', len);

	*is_done = lf != NULL;
	return lf ? (size_t)(lf - buf) + 1 : len;
}

bool
line_contains(struct line t, const char *w)
{
	size_t n = strlen(w);

	for (size_t i = 0; n <= t.len && i <= t.len - n; i++) {
		struct line rest = {t.p + i, t.len - i};

		if (line_starts(rest, w))
			return true;
	}
	return false;
}

int
line_is_tls_record(const uint8_t *p, size_t n)
{
	if (n == 0)
		return -1;
	if (p[0] != 0x16)
		return 0;
	if (n < 2)
		return -1;
	return p[1] == 0x03;
}
