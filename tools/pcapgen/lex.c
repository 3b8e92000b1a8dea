/* lex.c: bounded tokenizer for scenario lines (see lex.h).
 *
 * Every read checks `left` first; nothing here looks past the end of the
 * line or relies on a terminating NUL; tokens are views into the line.
 */
#include <stdio.h>
#include <string.h>

#include "lex.h"

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* hex digit value, or -1 */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
lex_init(struct lex *x, const char *p, size_t len)
{
	x->p = p;
	x->left = len;
}

void
lex_skip_blank(struct lex *x)
{
	while (x->left > 0 && is_blank(x->p[0])) {
		x->p++;
		x->left--;
	}
}

bool
lex_at_end(struct lex *x)
{
	lex_skip_blank(x);
	return x->left == 0 || x->p[0] == '#';
}

bool
lex_next(struct lex *x, struct lex_tok *t)
{
	if (lex_at_end(x))
		return false;
	t->p = x->p;
	t->len = 0;
	while (x->left > 0 && !is_blank(x->p[0]) && x->p[0] != '#') {
		x->p++;
		x->left--;
		t->len++;
	}
	return true;
}

bool
lex_peek_quote(struct lex *x)
{
	lex_skip_blank(x);
	return x->left > 0 && x->p[0] == '"';
}

bool
lex_tok_is(const struct lex_tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->len == n && memcmp(t->p, word, n) == 0;
}

bool
lex_tok_u64(const struct lex_tok *t, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (t->len == 0)
		return false;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->p[i];
		if (c < '0' || c > '9')
			return false;
		uint64_t d = (uint64_t)(c - '0');
		/* v * 10 + d <= max, without overflowing */
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool
lex_tok_hex(const struct lex_tok *t, uint64_t max, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;

	if (t->len > 2 && t->p[0] == '0' && (t->p[1] == 'x' || t->p[1] == 'X'))
		i = 2;
	if (i == t->len)
		return false;
	for (; i < t->len; i++) {
		int d = hex_value(t->p[i]);
		if (d < 0)
			return false;
		if ((uint64_t)d > max || v > (max - (uint64_t)d) / 16)
			return false;
		v = v * 16 + (uint64_t)d;
	}
	*out = v;
	return true;
}

enum status
lex_unescape(
    const char *p, size_t len, struct dbuf *out, char *err, size_t errlen)
{
	size_t i = 0;

	while (i < len) {
		/* copy the run up to the next backslash in one go */
		size_t run = 0;
		while (i + run < len && p[i + run] != '\\')
			run++;
		enum status st = dbuf_add(out, p + i, run);
		if (st != ST_OK)
			return st;
		i += run;
		if (i == len)
			break;
		if (i + 1 == len) {
			snprintf(err, errlen,
			    "a lone backslash ends the text "
			    "(write \\\\ for a backslash)");
			return ST_BAD;
		}
		uint8_t byte;
		char e = p[i + 1];
		size_t used = 2;
		switch (e) {
		case 'r':
			byte = '\r';
			break;
		case 'n':
			byte = '\n';
			break;
		case 't':
			byte = '\t';
			break;
		case '\\':
		case '"':
			byte = (uint8_t)e;
			break;
		case 'x': {
			int hi = i + 2 < len ? hex_value(p[i + 2]) : -1;
			int lo = i + 3 < len ? hex_value(p[i + 3]) : -1;
			if (hi < 0 || lo < 0) {
				snprintf(
				    err, errlen, "\\x needs two hex digits");
				return ST_BAD;
			}
			byte = (uint8_t)(hi << 4 | lo);
			used = 4;
			break;
		}
		default:
			snprintf(err, errlen,
			    "unknown escape \\%c (known: "
			    "\\r \\n \\t \\\\ \\\" \\xHH)",
			    e);
			return ST_BAD;
		}
		st = dbuf_add(out, &byte, 1);
		if (st != ST_OK)
			return st;
		i += used;
	}
	return ST_OK;
}

enum status
lex_quoted(struct lex *x, struct dbuf *out, char *err, size_t errlen)
{
	if (!lex_peek_quote(x)) {
		snprintf(err, errlen, "expected a \"quoted string\"");
		return ST_BAD;
	}
	/* find the closing quote, stepping over escaped characters */
	size_t i = 1;
	while (i < x->left && x->p[i] != '"')
		i += x->p[i] == '\\' ? 2 : 1;
	if (i >= x->left) {
		snprintf(err, errlen, "missing closing quote");
		return ST_BAD;
	}
	enum status st = lex_unescape(x->p + 1, i - 1, out, err, errlen);
	if (st != ST_OK)
		return st;
	x->p += i + 1;
	x->left -= i + 1;
	if (x->left > 0 && !is_blank(x->p[0]) && x->p[0] != '#') {
		snprintf(err, errlen,
		    "unexpected text right after the closing quote");
		return ST_BAD;
	}
	return ST_OK;
}
