/* lex.h: bounded tokenizer for one scenario line.
 *
 * A struct lex is a view (pointer, bytes left) into a line the caller owns;
 * it needs no NUL terminator and is valid as long as that line buffer.
 * Blanks are space and tab.  Outside a quoted string, '#' starts a comment
 * that runs to the end of the line, so lex_next() and lex_at_end() stop
 * there.  Keywords are compared exactly (case-sensitive).
 */
#ifndef PCAPGEN_LEX_H
#define PCAPGEN_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbuf.h"
#include "pcapgen.h"

struct lex {
	const char *p;
	size_t left;
};

/* A token: a view into the line, valid as long as the line. */
struct lex_tok {
	const char *p;
	size_t len;
};

void lex_init(struct lex *x, const char *p, size_t len);

/* lex_skip_blank(): move past spaces and tabs. */
void lex_skip_blank(struct lex *x);

/* lex_at_end(): skip blanks; true if nothing but an optional comment is
 * left on the line. */
bool lex_at_end(struct lex *x);

/* lex_next(): the next blank-delimited token (stops before a '#');
 * false, and *t untouched, at the end of the line. */
bool lex_next(struct lex *x, struct lex_tok *t);

/* lex_peek_quote(): skip blanks; true if a quoted string starts here. */
bool lex_peek_quote(struct lex *x);

/* lex_tok_is(): true if the token is exactly word. */
bool lex_tok_is(const struct lex_tok *t, const char *word);

/* lex_tok_u64(): decimal digits only (no sign, no spaces), value <= max. */
bool lex_tok_u64(const struct lex_tok *t, uint64_t max, uint64_t *out);

/* lex_tok_hex(): hex digits with an optional 0x prefix, value <= max. */
bool lex_tok_hex(const struct lex_tok *t, uint64_t max, uint64_t *out);

/* lex_unescape(): append the len bytes at p to out, decoding the escapes
 * \r \n \t \\ \" and \xHH.  ST_BAD with a message in err for an unknown
 * or cut escape; ST_TOOBIG/ST_NOMEM from out (no message). */
enum status lex_unescape(const char *p, size_t len, struct dbuf *out, char *err,
    size_t errlen) PCAPGEN_WUR;

/* lex_quoted(): read a "quoted string" (escapes as above; '#' inside is
 * text) and append its decoded bytes to out.  The closing quote must be
 * followed by a blank, a comment or the end of the line. */
enum status lex_quoted(
    struct lex *x, struct dbuf *out, char *err, size_t errlen) PCAPGEN_WUR;

#endif
