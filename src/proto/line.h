/* line.h: line framing and tokens for the text protocols.
 *
 * Views only: a struct line points into the caller's bytes and is valid as
 * long as they are.  Nothing here copies or keeps bytes.
 */
#ifndef PLAINSIGHT_LINE_H
#define PLAINSIGHT_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct line {
	const uint8_t *p;
	size_t len;
};

enum line_status {
	LINE_OK,		/* a whole line, *used includes its LF */
	LINE_PARTIAL,		/* no LF yet and fewer than max bytes */
	LINE_TOO_LONG		/* no LF in the first max bytes */
};

/* line_next(): frame the first line of buf[0..len).  On LINE_OK, out is the
 * line without CR LF (a bare LF also ends a line).  On LINE_TOO_LONG, out is
 * the first max bytes and *used is max: the caller parses that prefix and
 * discards up to the next LF (line_skip()).  Inline: it runs once per
 * line of every session, and the call cost a third of what it does. */
static inline enum line_status
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

/* line_skip(): bytes of buf to drop to get past the next LF (all of them
 * if there is none); *is_done tells whether the LF was found. */
size_t line_skip(const uint8_t *buf, size_t len, bool *is_done);

/* line_take(): the next line of buf (up to LF, or the end), without its
 * CR LF; advances *buf and *len past it and its LF.  *len must not be
 * 0. */
static inline struct line
line_take(const uint8_t **buf, size_t *len)
{
	const uint8_t *nl = memchr(*buf, '\n', *len);
	size_t n = nl ? (size_t)(nl - *buf) : *len;
	struct line l = {*buf, n > 0 && (*buf)[n - 1] == '\r' ? n - 1 : n};

	*buf += nl ? n + 1 : n;
	*len -= nl ? n + 1 : n;
	return l;
}

/* line_word(): the next run of bytes up to a space, after skipping spaces;
 * advances *l past it.  Empty when the line is exhausted. */
static inline struct line
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

/* line_last_word(): the last run of bytes up to a space, the word the
 * last line_word() call on l would return before the empty one; empty
 * when l has none.  Reads from the end, so that asking for the last word
 * of a long line does not walk all the others. */
static inline struct line
line_last_word(struct line l)
{
	size_t end = l.len;

	while (end > 0 && l.p[end - 1] == ' ')
		end--;
	size_t start = end;

	while (start > 0 && l.p[start - 1] != ' ')
		start--;
	return (struct line){l.p + start, end - start};
}

/* line_eq_nocase(): a and b are the same byte, ignoring ASCII case: equal,
 * or one letter in both cases (they differ only in bit 0x20 and that bit
 * set makes a lower-case letter).  Bytes mostly match exactly, so that is
 * tested first, without lowering either. */
static inline bool
line_eq_nocase(uint8_t a, uint8_t b)
{
	uint8_t lo = (uint8_t)(a | 0x20);

	return a == b || ((a ^ b) == 0x20 && lo >= 'a' && lo <= 'z');
}

/* line_starts(): the token begins with w, ignoring case.  (Inline, like
 * line_is() and line_word(): every command and answer goes through them,
 * and inlined with a literal w, strlen(w) is a constant.) */
static inline bool
line_starts(struct line t, const char *w)
{
	size_t n = strlen(w);

	if (t.len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!line_eq_nocase(t.p[i], (uint8_t)w[i]))
			return false;
	return true;
}

/* line_is(): the token equals the ASCII word w, ignoring case
 * ("LOGINX" is not "LOGIN"). */
static inline bool
line_is(struct line t, const char *w)
{
	return t.len == strlen(w) && line_starts(t, w);
}

/* line_contains(): w occurs in the token, ignoring case. */
bool line_contains(struct line t, const char *w);

/* line_is_tls_record(): bytes that start a TLS record (handshake 0x16,
 * version major 3) where a protocol line should start.  1: yes, 0: no,
 * -1: too few bytes to tell. */
int line_is_tls_record(const uint8_t *p, size_t n);

#endif
