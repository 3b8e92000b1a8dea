/* baseline.c: reading back an earlier JSON report (see baseline.h).
 *
 * A small recursive-descent reader for the flat records plainsight
 * writes; it never allocates per value (values land in fixed buffers,
 * longer ones are errors) and reports the line of any problem.
 */
#include "report/baseline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 65536
#define STR_MAX 128
#define ITEMS_MAX 32
#define ITEM_MAX 48

enum jtype {
	J_STR,
	J_NUM,
	J_TRUE,
	J_FALSE,
	J_NULL,
	J_ARR
};

struct jval {
	enum jtype type;
	char str[STR_MAX];
	uint64_t num;
	size_t n;
	char items[ITEMS_MAX][ITEM_MAX];
};

struct reader {
	const char *p;
	const char *end;
};

static void
ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				    *r->p == '\r' || *r->p == '\n'))
		r->p++;
}

static bool
eat(struct reader *r, char c)
{
	ws(r);
	if (r->p < r->end && *r->p == c) {
		r->p++;
		return true;
	}
	return false;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
string(struct reader *r, char *out, size_t cap)
{
	size_t k = 0;

	if (!eat(r, '"'))
		return false;
	while (r->p < r->end && *r->p != '"') {
		char c = *r->p++;

		if (c == '\\') {
			if (r->p >= r->end)
				return false;
			char e = *r->p++;

			switch (e) {
			case '"':
			case '\\':
			case '/':
				c = e;
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'u': {
				int v = 0;

				for (int i = 0; i < 4; i++) {
					int h = r->p < r->end ? hexval(*r->p)
							      : -1;

					if (h < 0)
						return false;
					v = v * 16 + h;
					r->p++;
				}
				c = v < 0x80 ? (char)v : '?';
				break;
			}
			default:
				return false;
			}
		}
		if (k + 1 >= cap)
			return false;
		out[k++] = c;
	}
	if (r->p >= r->end)
		return false;
	r->p++;			/* closing quote */
	out[k] = '\0';
	return true;
}

static bool
literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return false;
	r->p += n;
	return true;
}

static bool
value(struct reader *r, struct jval *v)
{
	ws(r);
	if (r->p >= r->end)
		return false;
	switch (*r->p) {
	case '"':
		v->type = J_STR;
		return string(r, v->str, sizeof(v->str));
	case '[':
		r->p++;
		v->type = J_ARR;
		v->n = 0;
		if (eat(r, ']'))
			return true;
		do {
			if (v->n >= ITEMS_MAX ||
			    !string(r, v->items[v->n], ITEM_MAX))
				return false;
			v->n++;
		} while (eat(r, ','));
		return eat(r, ']');
	case 't':
		v->type = J_TRUE;
		return literal(r, "true");
	case 'f':
		v->type = J_FALSE;
		return literal(r, "false");
	case 'n':
		v->type = J_NULL;
		return literal(r, "null");
	default:
		v->type = J_NUM;
		v->num = 0;
		if (*r->p < '0' || *r->p > '9')
			return false;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
			uint64_t d = (uint64_t)(*r->p - '0');

			if (v->num > (UINT64_MAX - d) / 10)
				return false;
			v->num = v->num * 10 + d;
			r->p++;
		}
		return true;
	}
}

/* The record being read: every key we know, and whether it was seen. */
struct record {
	char type[16];
	enum proto proto;
	struct endpoint client;
	struct endpoint server;
	uint64_t attempts, accepted, rejected, unknown;
	uint32_t mechs, exposures;
	struct event_time first_seen, last_seen;
	enum tri starttls, disabled;
	bool is_accepted;
	bool has_client, has_server, has_port, has_proto;
};

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

/* n decimal digits at s into *v; false if any is not a digit. */
static bool
digits(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

/* Exactly "YYYY-MM-DDTHH:MM:SS.ffffffZ", as plainsight writes it. */
static bool
parse_time(const char *s, struct event_time *t)
{
	unsigned y, mo, d, h, mi, se, us;

	if (strlen(s) != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z' ||
	    !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) ||
	    !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se) ||
	    !digits(s + 20, 6, &us) || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || h > 23 || mi > 59 || se > 60)
		return false;
	t->sec = days_from_civil((int64_t)y, mo, d) * 86400 +
	    (int64_t)h * 3600 + (int64_t)mi * 60 + (int64_t)se;
	t->usec = us;
	return true;
}

static bool
parse_addr(const char *s, struct endpoint *e)
{
	memset(e, 0, sizeof(*e));
	if (inet_pton(AF_INET, s, e->addr) == 1) {
		e->family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, e->addr) == 1) {
		e->family = 6;
		return true;
	}
	return false;
}

static enum tri
tri_of(const struct jval *v)
{
	return v->type == J_TRUE ? TRI_TRUE
	    : v->type == J_FALSE ? TRI_FALSE
				 : TRI_UNKNOWN;
}

static bool
field(struct record *rec, const char *key, const struct jval *v)
{
	if (strcmp(key, "type") == 0 && v->type == J_STR) {
		snprintf(rec->type, sizeof(rec->type), "%.15s", v->str);
	} else if (strcmp(key, "proto") == 0 && v->type == J_STR) {
		rec->has_proto = true;
		if (strcmp(v->str, "pop3") == 0)
			rec->proto = PROTO_POP3;
		else if (strcmp(v->str, "imap") == 0)
			rec->proto = PROTO_IMAP;
		else
			return false;
	} else if (strcmp(key, "client_ip") == 0 && v->type == J_STR) {
		rec->has_client = parse_addr(v->str, &rec->client);
		return rec->has_client;
	} else if (strcmp(key, "server_ip") == 0 && v->type == J_STR) {
		uint16_t port = rec->server.port;

		rec->has_server = parse_addr(v->str, &rec->server);
		rec->server.port = port;
		return rec->has_server;
	} else if (strcmp(key, "server_port") == 0 && v->type == J_NUM) {
		if (v->num == 0 || v->num > 65535)
			return false;
		rec->server.port = (uint16_t)v->num;
		rec->has_port = true;
	} else if (strcmp(key, "attempts") == 0 && v->type == J_NUM) {
		rec->attempts = v->num;
	} else if (strcmp(key, "accepted") == 0 && v->type == J_NUM) {
		rec->accepted = v->num;
	} else if (strcmp(key, "rejected") == 0 && v->type == J_NUM) {
		rec->rejected = v->num;
	} else if (strcmp(key, "unknown") == 0 && v->type == J_NUM) {
		rec->unknown = v->num;
	} else if (strcmp(key, "mechanisms") == 0 && v->type == J_ARR) {
		for (size_t i = 0; i < v->n; i++)
			for (int m = 0; m < MECH_COUNT; m++)
				if (strcmp(v->items[i],
					event_mech_name((enum mech)m)) == 0)
					rec->mechs |= 1u << m;
	} else if (strcmp(key, "exposures") == 0 && v->type == J_ARR) {
		for (size_t i = 0; i < v->n; i++)
			for (int x = 0; x < EXPOSURE_COUNT; x++)
				if (strcmp(v->items[i], event_exposure_name(
							    (enum exposure)x)) ==
				    0)
					rec->exposures |= 1u << x;
	} else if (strcmp(key, "first_seen") == 0 && v->type == J_STR) {
		return parse_time(v->str, &rec->first_seen);
	} else if (strcmp(key, "last_seen") == 0 && v->type == J_STR) {
		return parse_time(v->str, &rec->last_seen);
	} else if (strcmp(key, "starttls_offered") == 0) {
		rec->starttls = tri_of(v);
	} else if (strcmp(key, "login_disabled") == 0) {
		rec->disabled = tri_of(v);
	} else if (strcmp(key, "cleartext_accepted") == 0) {
		rec->is_accepted = v->type == J_TRUE;
	}
	/* other keys (stats counters, optional fields) are not needed */
	return true;
}

static bool
parse_record(const char *line, size_t len, struct record *rec)
{
	struct reader r = {line, line + len};
	char key[64];
	/* ~2 KiB: not on the stack; zeroed, so that no field is ever read
	 * unset, whatever path the parser took */
	struct jval *v = calloc(1, sizeof(*v));
	bool is_ok = false;

	if (v == NULL)
		return false;
	memset(rec, 0, sizeof(*rec));
	if (!eat(&r, '{'))
		goto out;
	if (eat(&r, '}')) {
		is_ok = true;
		goto out;
	}
	do {
		if (!string(&r, key, sizeof(key)) || !eat(&r, ':') ||
		    !value(&r, v) || !field(rec, key, v))
			goto out;
	} while (eat(&r, ','));
	is_ok = eat(&r, '}');
	ws(&r);
	is_ok = is_ok && r.p == r.end;
out:
	free(v);
	return is_ok;
}

static bool
grow(void **arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *na = realloc(*arr, ncap * size);

	if (na == NULL)
		return false;
	*arr = na;
	*cap = ncap;
	return true;
}

enum status
baseline_load(const char *path, struct baseline **out,
    char err[BASELINE_ERR_MAX])
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	struct baseline *b = NULL;
	size_t lineno = 0, cap_off = 0, cap_srv = 0;
	struct record rec;

	*out = NULL;
	if (f == NULL) {
		snprintf(err, BASELINE_ERR_MAX, "%s", strerror(errno));
		return ST_INPUT;
	}
	line = malloc(LINE_MAX_BYTES);
	b = calloc(1, sizeof(*b));
	if (line == NULL || b == NULL) {
		snprintf(err, BASELINE_ERR_MAX, "out of memory");
		goto bad;
	}
	while (fgets(line, LINE_MAX_BYTES, f) != NULL) {
		size_t len = strlen(line);

		lineno++;
		if (len == LINE_MAX_BYTES - 1 && line[len - 1] != '\n') {
			snprintf(err, BASELINE_ERR_MAX,
			    "line %zu: longer than %d bytes", lineno,
			    LINE_MAX_BYTES);
			goto bad;
		}
		if (strspn(line, " \t\r\n") == len)
			continue;
		if (!parse_record(line, len, &rec)) {
			snprintf(err, BASELINE_ERR_MAX,
			    "line %zu: not a plainsight JSON record (make the "
			    "baseline with --format json)",
			    lineno);
			goto bad;
		}
		bool is_off = strcmp(rec.type, "offender") == 0;
		bool is_srv = strcmp(rec.type, "server") == 0;

		if ((is_off || is_srv) &&
		    (!rec.has_proto || !rec.has_server || !rec.has_port ||
			(is_off && !rec.has_client))) {
			snprintf(err, BASELINE_ERR_MAX,
			    "line %zu: %s record without its key fields",
			    lineno, rec.type);
			goto bad;
		}
		if (is_off) {
			void *arr = b->off;

			if (!grow(&arr, b->n_off, &cap_off, sizeof(*b->off)))
				goto nomem;
			b->off = arr;
			struct baseline_offender *o = &b->off[b->n_off++];

			o->proto = rec.proto;
			o->client = rec.client;
			o->server = rec.server;
			o->attempts = rec.attempts;
			o->accepted = rec.accepted;
			o->rejected = rec.rejected;
			o->unknown = rec.unknown;
			o->mechs = rec.mechs;
			o->exposures = rec.exposures;
			o->first_seen = rec.first_seen;
			o->last_seen = rec.last_seen;
		} else if (is_srv) {
			void *arr = b->srv;

			if (!grow(&arr, b->n_srv, &cap_srv, sizeof(*b->srv)))
				goto nomem;
			b->srv = arr;
			struct baseline_server *s = &b->srv[b->n_srv++];

			s->proto = rec.proto;
			s->server = rec.server;
			s->starttls_offered = rec.starttls;
			s->login_disabled = rec.disabled;
			s->is_cleartext_accepted = rec.is_accepted;
		}
	}
	if (ferror(f)) {
		snprintf(err, BASELINE_ERR_MAX, "read error");
		goto bad;
	}
	free(line);
	fclose(f);
	*out = b;
	return ST_OK;
nomem:
	snprintf(err, BASELINE_ERR_MAX, "out of memory");
bad:
	free(line);
	fclose(f);
	baseline_free(b);
	return ST_INPUT;
}

void
baseline_free(struct baseline *b)
{
	if (b == NULL)
		return;
	free(b->off);
	free(b->srv);
	free(b);
}
