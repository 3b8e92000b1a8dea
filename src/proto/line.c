/* line.c: line framing and case-insensitive tokens (see line.h). */
#include "proto/line.h"

#include <string.h>

enum line_status
line_next(const uint8_t *buf, size_t len, size_t max, struct line *out,
    size_t *used)
{
	size_t scan = len < max ? len : max;
	const uint8_t *lf = memchr(buf, '\n', scan);

	if (lf == NULL) {
		if (len < max)
			return LINE_PARTIAL;
		out->p = buf;
		out->len = max;
		*used = max;
		return LINE_TOO_LONG;
	}
	size_t n = (size_t)(lf - buf);

	*used = n + 1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	out->p = buf;
	out->len = n;
	return LINE_OK;
}

size_t
line_skip(const uint8_t *buf, size_t len, bool *is_done)
{
	const uint8_t *lf = memchr(buf, '\n', len);

	*is_done = lf != NULL;
	return lf ? (size_t)(lf - buf) + 1 : len;
}

struct line
line_word(struct line *l)
{
	struct line w;
	size_t i = 0;

	while (i < l->len && l->p[i] == ' ')
		i++;
	size_t start = i;

	while (i < l->len && l->p[i] != ' ')
		i++;
	w.p = l->p + start;
	w.len = i - start;
	l->p += i;
	l->len -= i;
	return w;
}

static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

bool
line_starts(struct line t, const char *w)
{
	size_t n = strlen(w);

	if (t.len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(t.p[i]) != lower((uint8_t)w[i]))
			return false;
	return true;
}

bool
line_is(struct line t, const char *w)
{
	return t.len == strlen(w) && line_starts(t, w);
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
