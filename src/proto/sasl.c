/* sasl.c: SASL responses: exposure, user names, base64 (see sasl.h).
 *
 * RFC 4422 (SASL), 4616 (PLAIN), draft-murchison-sasl-login (LOGIN), 2195
 * (CRAM-MD5), 2831 (DIGEST-MD5), 5802 (SCRAM), 7628 (OAUTHBEARER), Google's
 * XOAUTH2, MS-NLMP (NTLM).  The base64 decoder is our own, not OpenSSL's
 * EVP_DecodeBlock, because we need exact lengths, a hard output cap and
 * strict rejection, in a function small enough to fuzz whole: base64
 * decoders are where ettercap (CVE-2014-9376) and Suricata
 * (CVE-2024-32664) overflowed.
 */
#include "proto/sasl.h"

#include <string.h>

#include <openssl/crypto.h>

#include "proto/line.h"
#include "util/cursor.h"

/* SASL_MECH_NAME(): a name with its length, so that a word is compared
 * only with the names as long as it (sasl_mech_from_name() runs for every
 * AUTH= word of every capability list). */
#define SASL_MECH_NAME(name) name, sizeof(name) - 1

static const struct {
	const char *name;
	uint8_t name_len;
	uint8_t needed;		/* non-empty responses the client sends */
	uint8_t exposing;	/* which of them exposes (0: none) */
} mech_info[SASL_COUNT] = {
	[SASL_PLAIN] = {SASL_MECH_NAME("PLAIN"), 1, 1},
	[SASL_LOGIN] = {SASL_MECH_NAME("LOGIN"), 2, 2},
	[SASL_XOAUTH2] = {SASL_MECH_NAME("XOAUTH2"), 1, 1},
	[SASL_OAUTHBEARER] = {SASL_MECH_NAME("OAUTHBEARER"), 1, 1},
	[SASL_CRAM_MD5] = {SASL_MECH_NAME("CRAM-MD5"), 1, 1},
	[SASL_DIGEST_MD5] = {SASL_MECH_NAME("DIGEST-MD5"), 1, 1},
	[SASL_NTLM] = {SASL_MECH_NAME("NTLM"), 2, 0},	/* decided by message type */
	[SASL_SCRAM_SHA_1] = {SASL_MECH_NAME("SCRAM-SHA-1"), 2, 2},
	[SASL_SCRAM_SHA_256] = {SASL_MECH_NAME("SCRAM-SHA-256"), 2, 2},
	[SASL_GSSAPI] = {SASL_MECH_NAME("GSSAPI"), 3, 0},
	[SASL_EXTERNAL] = {SASL_MECH_NAME("EXTERNAL"), 0, 0},
	[SASL_ANONYMOUS] = {SASL_MECH_NAME("ANONYMOUS"), 1, 0},
	[SASL_OTHER] = {SASL_MECH_NAME("other"), 1, 0},
};

enum sasl_mech
sasl_mech_from_name(const uint8_t *p, size_t n)
{
	for (int m = 0; m < SASL_OTHER; m++) {
		const char *w = mech_info[m].name;
		size_t i = 0;

		if (n != mech_info[m].name_len)
			continue;
		while (i < n && line_eq_nocase(p[i], (uint8_t)w[i]))
			i++;
		if (i == n)
			return (enum sasl_mech)m;
	}
	return SASL_OTHER;
}

void
sasl_begin(struct sasl *x, const struct session *s, enum sasl_mech m)
{
	memset(x, 0, sizeof(*x));
	x->mech = (uint8_t)m;
	if (event_sasl_exposure(m) == EXPOSURE_NONE)
		session_count(s, STAT_SASL_NOT_REPORTED);
}

bool
sasl_is_finished(const struct sasl *x)
{
	return x->is_cancelled || x->responses >= mech_info[x->mech].needed;
}

/* Each base64 character's value plus one (RFC 4648 table 1); 0 for every
 * other byte.  One load per character of a response, where five range
 * tests were. */
static const uint8_t b64_values[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
	['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
	['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
	['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
	['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
	['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
	['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
	['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};

static int
b64_value(uint8_t c)
{
	return (int)b64_values[c] - 1;
}

bool
sasl_base64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
    size_t *out_len, bool *is_partial)
{
	size_t k = 0;

	*out_len = 0;
	*is_partial = false;
	for (size_t i = 0; i < n; i += 4) {
		/* Most groups are four alphabet characters with room for
		 * their three bytes: decoded at once.  Padding, a bad byte,
		 * a short group and a full output take the byte walk. */
		if (n - i >= 4 && cap - k >= 3) {
			int v0 = b64_value(in[i]), v1 = b64_value(in[i + 1]);
			int v2 = b64_value(in[i + 2]), v3 = b64_value(in[i + 3]);

			if ((v0 | v1 | v2 | v3) >= 0) {
				uint32_t all = (uint32_t)v0 << 18 |
				    (uint32_t)v1 << 12 | (uint32_t)v2 << 6 |
				    (uint32_t)v3;

				out[k] = (uint8_t)(all >> 16);
				out[k + 1] = (uint8_t)(all >> 8);
				out[k + 2] = (uint8_t)all;
				k += 3;
				continue;
			}
		}
		size_t group = n - i < 4 ? n - i : 4;
		uint32_t acc = 0;
		size_t chars = 0;

		for (size_t j = 0; j < group; j++) {
			uint8_t c = in[i + j];

			if (c == '=') {
				/* padding: only at the very end, after at
				 * least two characters of the group */
				for (size_t r = i + j; r < n; r++)
					if (in[r] != '=')
						return false;
				if (chars < 2 || n - i != 4)
					return false;
				break;
			}
			int v = b64_value(c);

			if (v < 0)
				return false;
			acc = acc << 6 | (uint32_t)v;
			chars++;
		}
		if (chars == 1)
			return false;	/* 6 bits cannot make a byte */
		acc <<= 6 * (4 - chars);
		size_t bytes = chars - 1;

		for (size_t b = 0; b < bytes; b++) {
			if (k >= cap) {
				*is_partial = true;
				*out_len = k;
				return true;
			}
			out[k++] = (uint8_t)(acc >> (16 - 8 * b));
		}
		if (chars < 4)
			break;		/* padded or unpadded end */
	}
	*out_len = k;
	return true;
}

/* The user name inside each mechanism's first message; a view into the
 * decoded bytes.  False when there is none. */
static bool
plain_user(struct cursor c, struct line *user)
{
	/* authzid NUL authcid NUL password */
	const uint8_t *nul = memchr(c.p, 0, c.left);

	if (nul == NULL)
		return false;
	size_t skip = (size_t)(nul - c.p) + 1;
	const uint8_t *start = c.p + skip;
	const uint8_t *nul2 = memchr(start, 0, c.left - skip);

	if (nul2 == NULL)
		return false;
	user->p = start;
	user->len = (size_t)(nul2 - start);
	return true;
}

/* A field "key<value>" ending at `end` (or at the end of the message). */
static bool
field_after(struct cursor c, const char *key, uint8_t end, struct line *out)
{
	struct line all = {c.p, c.left};
	size_t klen = strlen(key);

	for (size_t i = 0; i + klen <= all.len; i++) {
		struct line at = {all.p + i, all.len - i};

		/* only at the start or after a separator */
		if (i > 0 && all.p[i - 1] != end && all.p[i - 1] != ',' &&
		    all.p[i - 1] != 0x01)
			continue;
		if (!line_starts(at, key))
			continue;
		const uint8_t *v = at.p + klen;
		size_t left = at.len - klen;
		const uint8_t *stop = memchr(v, end, left);

		out->p = v;
		out->len = stop ? (size_t)(stop - v) : left;
		return true;
	}
	return false;
}

static bool
digest_user(struct cursor c, struct line *user)
{
	struct line v;

	if (!field_after(c, "username=", ',', &v))
		return false;
	if (v.len >= 2 && v.p[0] == '"') {
		/* quoted: up to the closing quote (no escapes in names
		 * in practice; a backslash is kept as sent) */
		const uint8_t *q = memchr(v.p + 1, '"', v.len - 1);

		if (q == NULL)
			return false;
		user->p = v.p + 1;
		user->len = (size_t)(q - v.p - 1);
		return true;
	}
	*user = v;
	return true;
}

static bool
cram_user(struct cursor c, struct line *user)
{
	/* "name SP hex-digest": the name is all before the last space */
	for (size_t i = c.left; i > 0; i--)
		if (c.p[i - 1] == ' ') {
			user->p = c.p;
			user->len = i - 1;
			return true;
		}
	return false;
}

#define NTLM_TYPE_AUTHENTICATE 3u
#define NTLM_FLAG_UNICODE 0x00000001u

/* NTLM: the message type, and for type 3 the user name converted from
 * UTF-16LE to UTF-8 into `name` (at most cap bytes). */
static uint32_t
ntlm_message(struct cursor c, uint8_t *name, size_t cap, size_t *name_len)
{
	static const uint8_t sig[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
	struct cursor all = c;
	uint8_t got[8];

	*name_len = 0;
	cursor_copy(&c, got, sizeof(got));
	uint32_t type = cursor_le32(&c);

	if (c.bad || memcmp(got, sig, sizeof(sig)) != 0)
		return 0;
	if (type != NTLM_TYPE_AUTHENTICATE)
		return type;
	/* LM(8) NT(8) domain(8) user(len, max, offset) ... flags at 60 */
	struct cursor h = all;

	cursor_skip(&h, 36);
	uint16_t ulen = cursor_le16(&h);

	cursor_skip(&h, 2);
	uint32_t uoff = cursor_le32(&h);
	struct cursor f = all;

	cursor_skip(&f, 60);
	uint32_t flags = cursor_le32(&f);
	struct cursor u = all;

	cursor_skip(&u, uoff);
	u = cursor_take(&u, ulen);
	if (h.bad || u.bad)
		return type;	/* a type 3 all the same, name unknown */
	if (f.bad || !(flags & NTLM_FLAG_UNICODE)) {
		/* OEM charset: as sent */
		size_t n = u.left < cap ? u.left : cap;

		memcpy(name, u.p, n);
		*name_len = n;
		return type;
	}
	size_t k = 0;

	while (u.left >= 2) {
		uint16_t cu = cursor_le16(&u);

		if (cu < 0x80 && k + 1 <= cap) {
			name[k++] = (uint8_t)cu;
		} else if (cu < 0x800 && k + 2 <= cap) {
			name[k++] = (uint8_t)(0xc0 | cu >> 6);
			name[k++] = (uint8_t)(0x80 | (cu & 0x3f));
		} else if (k + 3 <= cap) {
			name[k++] = (uint8_t)(0xe0 | cu >> 12);
			name[k++] = (uint8_t)(0x80 | ((cu >> 6) & 0x3f));
			name[k++] = (uint8_t)(0x80 | (cu & 0x3f));
		} else {
			break;
		}
	}
	*name_len = k;
	return type;
}

static void
set_account(struct sasl *x, const struct session *s, const uint8_t *p,
    size_t n)
{
	if (!x->has_account && n > 0)
		x->has_account = session_account(s, p, n, x->account);
}

/* Inspect one decoded response: set the account, and say whether it is
 * the one that exposes the credential. */
static bool
inspect(struct sasl *x, const struct session *s, struct cursor c)
{
	struct line user;
	uint8_t name[256];
	size_t name_len;
	bool is_exposing = x->responses == mech_info[x->mech].exposing;

	switch ((enum sasl_mech)x->mech) {
	case SASL_PLAIN:
		if (plain_user(c, &user))
			set_account(x, s, user.p, user.len);
		break;
	case SASL_LOGIN:
		if (x->responses == 1)
			set_account(x, s, c.p, c.left);
		break;
	case SASL_XOAUTH2:
		if (field_after(c, "user=", 0x01, &user))
			set_account(x, s, user.p, user.len);
		break;
	case SASL_OAUTHBEARER:
		/* gs2 header "n,a=user," (RFC 7628 sec. 3.1) */
		if (field_after(c, "a=", ',', &user))
			set_account(x, s, user.p, user.len);
		break;
	case SASL_CRAM_MD5:
		if (cram_user(c, &user))
			set_account(x, s, user.p, user.len);
		break;
	case SASL_DIGEST_MD5:
		if (digest_user(c, &user))
			set_account(x, s, user.p, user.len);
		break;
	case SASL_SCRAM_SHA_1:
	case SASL_SCRAM_SHA_256:
		if (x->responses == 1 && field_after(c, "n=", ',', &user))
			set_account(x, s, user.p, user.len);
		break;
	case SASL_NTLM:
		is_exposing = ntlm_message(c, name, sizeof(name),
				  &name_len) == NTLM_TYPE_AUTHENTICATE;
		if (is_exposing)
			set_account(x, s, name, name_len);
		OPENSSL_cleanse(name, sizeof(name));
		break;
	case SASL_GSSAPI:
	case SASL_EXTERNAL:
	case SASL_ANONYMOUS:
	case SASL_OTHER:
	case SASL_COUNT:
		return false;
	}
	return is_exposing;
}

bool
sasl_response(struct sasl *x, const struct session *s, const uint8_t *p,
    size_t n, bool is_truncated)
{
	uint8_t decoded[SASL_DECODED_MAX];
	size_t len = 0;
	bool is_partial;
	bool was_exposed = x->is_exposed;

	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n == 1 && p[0] == '*') {
		x->is_cancelled = true;
		return false;
	}
	if (n == 0 || (n == 1 && p[0] == '='))
		return false;	/* an empty response */
	x->responses++;
	if (is_truncated)
		n -= n % 4;	/* decode whole groups of the prefix */
	bool is_ok = sasl_base64_decode(p, n, decoded, sizeof(decoded), &len,
	    &is_partial);

	if (!is_ok) {
		session_count(s, STAT_SASL_BAD_BASE64);
		/* still a response on the wire: if it is the one that
		 * carries the credential, the credential is exposed */
		if (x->responses == mech_info[x->mech].exposing)
			x->is_exposed = true;
	} else if (inspect(x, s, cursor_make(decoded, len))) {
		x->is_exposed = true;
	}
	/* every byte the decoder may have written, even on failure (three
	 * per group of four), not all 4 KiB each time */
	OPENSSL_cleanse(decoded, n / 4 * 3 + 3 < sizeof(decoded)
		? n / 4 * 3 + 3
		: sizeof(decoded));
	return x->is_exposed && !was_exposed;
}
