/* value.c: typed values of the scenario language (see value.h).
 *
 * Every function checks the token's length before each read; none relies
 * on a NUL terminator.  Addresses go through inet_pton() on a bounded,
 * NUL-terminated copy, so "192.0.2.1" means what it means everywhere.
 */
#include <arpa/inet.h>
#include <string.h>

#include "pcapgen.h"
#include "value.h"

bool
value_duration(const struct lex_tok *t, uint64_t *ns)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
	    {"ns", 1},
	    {"us", 1000},
	    {"ms", 1000000},
	    {"s", 1000000000},
	};
	size_t digits = 0;

	while (digits < t->len && t->p[digits] >= '0' && t->p[digits] <= '9')
		digits++;
	struct lex_tok num = {t->p, digits};
	struct lex_tok unit = {t->p + digits, t->len - digits};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		uint64_t v = 0;
		if (!lex_tok_is(&unit, units[i].name))
			continue;
		if (!lex_tok_u64(&num, VALUE_DURATION_MAX_NS / units[i].ns, &v))
			return false;
		*ns = v * units[i].ns;
		return true;
	}
	return false;
}

/* days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil), y >= 1970 */
static uint64_t
days_from_civil(uint64_t y, uint64_t m, uint64_t d)
{
	if (m <= 2)
		y--; /* the year starts in March: Feb 29 comes last */
	uint64_t era = y / 400;
	uint64_t yoe = y - era * 400;
	uint64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n decimal digits at t[at..] */
static bool
digits_at(const struct lex_tok *t, size_t at, size_t n, uint64_t *out)
{
	struct lex_tok sub = {t->p + at, n};

	return at + n <= t->len && lex_tok_u64(&sub, UINT64_MAX, out);
}

bool
value_utc_time(const struct lex_tok *t, uint64_t *ns)
{
	static const uint8_t mdays[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	uint64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, frac = 0;
	size_t i = 19; /* after YYYY-MM-DDTHH:MM:SS */

	if (t->len < 20 || !digits_at(t, 0, 4, &y) || t->p[4] != '-' ||
	    !digits_at(t, 5, 2, &mo) || t->p[7] != '-' ||
	    !digits_at(t, 8, 2, &d) || (t->p[10] != 'T' && t->p[10] != 't') ||
	    !digits_at(t, 11, 2, &h) || t->p[13] != ':' ||
	    !digits_at(t, 14, 2, &mi) || t->p[16] != ':' ||
	    !digits_at(t, 17, 2, &s))
		return false;
	if (t->p[i] == '.') {
		size_t n = 0;
		i++;
		while (i + n < t->len && n < 10 && t->p[i + n] >= '0' &&
		    t->p[i + n] <= '9')
			n++;
		if (n == 0 || n > 9 || !digits_at(t, i, n, &frac))
			return false;
		for (size_t k = n; k < 9; k++)
			frac *= 10;
		i += n;
	}
	/* UTC only: an offset such as +01:00 is refused, not converted */
	if (i + 1 != t->len || (t->p[i] != 'Z' && t->p[i] != 'z'))
		return false;
	/* no leap second (:60): pcap time has none either */
	if (y < 1970 || y > 2106 || mo < 1 || mo > 12 || h > 23 || mi > 59 ||
	    s > 59)
		return false;
	bool is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	uint64_t dim = (uint64_t)mdays[mo - 1] + (mo == 2 && is_leap ? 1u : 0u);
	if (d < 1 || d > dim)
		return false;
	uint64_t secs =
	    days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (secs > UINT32_MAX)
		return false;
	*ns = secs * 1000000000u + frac;
	return true;
}

bool
value_endpoint(
    const struct lex_tok *t, bool *is_ipv6, uint8_t ip[16], uint16_t *port)
{
	char addr[64];
	size_t alen;
	struct lex_tok ptok;

	if (t->len > 0 && t->p[0] == '[') {
		size_t close = 1;
		while (close < t->len && t->p[close] != ']')
			close++;
		if (close + 1 >= t->len || t->p[close + 1] != ':')
			return false;
		alen = close - 1;
		if (alen >= sizeof addr)
			return false;
		memcpy(addr, t->p + 1, alen);
		ptok.p = t->p + close + 2;
		ptok.len = t->len - close - 2;
		*is_ipv6 = true;
	} else {
		size_t colon = t->len;
		while (colon > 0 && t->p[colon - 1] != ':')
			colon--;
		if (colon == 0)
			return false;
		alen = colon - 1;
		/* an IPv6 address needs brackets, or its last group would
		 * read as the port */
		if (alen >= sizeof addr || memchr(t->p, ':', alen) != NULL)
			return false;
		memcpy(addr, t->p, alen);
		ptok.p = t->p + colon;
		ptok.len = t->len - colon;
		*is_ipv6 = false;
	}
	addr[alen] = '\0';
	memset(ip, 0, 16);
	if (inet_pton(*is_ipv6 ? AF_INET6 : AF_INET, addr, ip) != 1)
		return false;
	uint64_t v = 0;
	if (!lex_tok_u64(&ptok, UINT16_MAX, &v) || v == 0)
		return false;
	*port = (uint16_t)v;
	return true;
}

bool
value_mac(const struct lex_tok *t, uint8_t mac[6])
{
	if (t->len != 17)
		return false;
	for (size_t i = 0; i < 6; i++) {
		struct lex_tok byte = {t->p + 3 * i, 2};
		uint64_t v = 0;
		if (i < 5 && t->p[3 * i + 2] != ':')
			return false;
		/* lex_tok_hex() would also take a "0x" prefix */
		if (byte.p[1] == 'x' || byte.p[1] == 'X' ||
		    !lex_tok_hex(&byte, 0xff, &v))
			return false;
		mac[i] = (uint8_t)v;
	}
	return true;
}

bool
value_is_name(const struct lex_tok *t)
{
	if (t->len < 1 || t->len > PCAPGEN_NAME_MAX)
		return false;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		        c == '.'))
			return false;
	}
	return true;
}
