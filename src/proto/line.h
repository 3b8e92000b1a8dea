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
 * discards up to the next LF (line_skip()). */
enum line_status line_next(const uint8_t *buf, size_t len, size_t max,
    struct line *out, size_t *used);

/* line_skip(): bytes of buf to drop to get past the next LF (all of them
 * if there is none); *is_done tells whether the LF was found. */
size_t line_skip(const uint8_t *buf, size_t len, bool *is_done);

/* line_word(): the next run of bytes up to a space, after skipping spaces;
 * advances *l past it.  Empty when the line is exhausted. */
struct line line_word(struct line *l);

/* line_is(): the token equals the ASCII word w, ignoring case
 * ("LOGINX" is not "LOGIN"). */
bool line_is(struct line t, const char *w);

/* line_starts(): the token begins with w, ignoring case. */
bool line_starts(struct line t, const char *w);

/* line_contains(): w occurs in the token, ignoring case. */
bool line_contains(struct line t, const char *w);

/* line_is_tls_record(): bytes that start a TLS record (handshake 0x16,
 * version major 3) where a protocol line should start.  1: yes, 0: no,
 * -1: too few bytes to tell. */
int line_is_tls_record(const uint8_t *p, size_t n);

#endif
