/* allow.c: CIDR allow-list for known legacy clients (see allow.h).
 * A linear scan: lists are short, and it runs per login, not per packet. */
#include "report/allow.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALLOW_LINE_MAX 256

struct block {
	uint8_t addr[16];
	uint8_t family;		/* 4 or 6 */
	uint8_t bits;
};

struct allow {
	struct block *b;
	size_t n;
};

static bool
parse_block(char *s, struct block *out)
{
	char *slash = strchr(s, '/');
	unsigned long bits;
	char *end;

	memset(out, 0, sizeof(*out));
	if (slash != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = 4;
		bits = 32;
	} else if (inet_pton(AF_INET6, s, out->addr) == 1) {
		out->family = 6;
		bits = 128;
	} else {
		return false;
	}
	if (slash != NULL) {
		unsigned long max = bits;

		errno = 0;
		if (slash[1] < '0' || slash[1] > '9')
			return false;
		bits = strtoul(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || bits > max)
			return false;
	}
	out->bits = (uint8_t)bits;
	return true;
}

enum status
allow_load(const char *path, struct allow **out, char err[ALLOW_ERR_MAX])
{
	FILE *f = fopen(path, "r");
	char line[ALLOW_LINE_MAX];
	struct allow *a;
	size_t lineno = 0, cap = 0;

	*out = NULL;
	if (f == NULL) {
		snprintf(err, ALLOW_ERR_MAX, "%s", strerror(errno));
		return ST_INPUT;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		goto nomem;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			snprintf(err, ALLOW_ERR_MAX,
			    "line %zu: longer than %d bytes", lineno,
			    ALLOW_LINE_MAX - 2);
			goto bad;
		}
		char *hash = strchr(line, '#');

		if (hash != NULL)
			*hash = '\0';
		char *s = line;

		while (*s == ' ' || *s == '\t')
			s++;
		char *e = s + strlen(s);

		while (e > s && (e[-1] == ' ' || e[-1] == '\t' ||
				    e[-1] == '\n' || e[-1] == '\r'))
			*--e = '\0';
		if (*s == '\0')
			continue;
		if (a->n >= ALLOW_ENTRIES_MAX) {
			snprintf(err, ALLOW_ERR_MAX,
			    "line %zu: more than %u entries", lineno,
			    ALLOW_ENTRIES_MAX);
			goto bad;
		}
		if (a->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct block *nb = realloc(a->b, ncap * sizeof(*nb));

			if (nb == NULL)
				goto nomem;
			a->b = nb;
			cap = ncap;
		}
		if (!parse_block(s, &a->b[a->n])) {
			snprintf(err, ALLOW_ERR_MAX,
			    "line %zu: '%.64s' is not an address or CIDR block "
			    "(e.g. 192.0.2.0/24, 2001:db8::/32)",
			    lineno, s);
			goto bad;
		}
		a->n++;
	}
	if (ferror(f)) {
		snprintf(err, ALLOW_ERR_MAX, "read error");
		goto bad;
	}
	fclose(f);
	*out = a;
	return ST_OK;
nomem:
	snprintf(err, ALLOW_ERR_MAX, "out of memory");
bad:
	fclose(f);
	allow_free(a);
	return ST_INPUT;
}

void
allow_free(struct allow *a)
{
	if (a == NULL)
		return;
	free(a->b);
	free(a);
}

bool
allow_match(const struct allow *a, const struct endpoint *e)
{
	if (a == NULL)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct block *b = &a->b[i];
		unsigned full = b->bits / 8, rest = b->bits % 8;

		if (b->family != e->family ||
		    memcmp(b->addr, e->addr, full) != 0)
			continue;
		if (rest == 0)
			return true;
		uint8_t mask = (uint8_t)(0xffu << (8 - rest));

		if ((b->addr[full] & mask) == (e->addr[full] & mask))
			return true;
	}
	return false;
}
