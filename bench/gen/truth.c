/* truth.c: the ground truth files (see truth.h). */
#include "truth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const proto_name[] = {"pop3", "imap"};
static const char *const tls_name[] = {"none", "refused", "pipelined",
    "not_started"};
static const char *const verdict_name[] = {"unknown", "accepted",
    "rejected"};

void
truth_add(struct truth *t, uint64_t conn, const struct wire_path *path,
    enum truth_proto proto, const char *mech, enum truth_tls tls,
    enum truth_verdict verdict)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		struct truth_login *v = realloc(t->v, cap * sizeof(*v));

		if (v == NULL) {
			t->is_nomem = true;
			return;
		}
		t->v = v;
		t->cap = cap;
	}
	struct truth_login *l = &t->v[t->n++];

	l->conn = conn;
	l->path = *path;
	l->mech = mech;
	l->proto = (uint8_t)proto;
	l->tls = (uint8_t)tls;
	l->verdict = (uint8_t)verdict;
}

/* Offender order: plainsight's (IPv4 before IPv6, then address bytes,
 * server, port, proto), so the file reads like its report. */
static int
by_offender(const void *a, const void *b)
{
	const struct truth_login *x = a, *y = b;
	int c;

	if (x->path.family != y->path.family)
		return x->path.family < y->path.family ? -1 : 1;
	c = memcmp(x->path.addr[0], y->path.addr[0], 16);
	if (c == 0)
		c = memcmp(x->path.addr[1], y->path.addr[1], 16);
	if (c == 0 && x->path.port[1] != y->path.port[1])
		c = x->path.port[1] < y->path.port[1] ? -1 : 1;
	if (c == 0 && x->proto != y->proto)
		c = x->proto < y->proto ? -1 : 1;
	if (c == 0 && x->conn != y->conn)
		c = x->conn < y->conn ? -1 : 1;
	return c;
}

static bool
same_offender(const struct truth_login *x, const struct truth_login *y)
{
	return x->proto == y->proto && x->path.family == y->path.family &&
	    memcmp(x->path.addr[0], y->path.addr[0], 16) == 0 &&
	    memcmp(x->path.addr[1], y->path.addr[1], 16) == 0 &&
	    x->path.port[1] == y->path.port[1];
}

long
truth_write(struct truth *t, const char *logins_path,
    const char *offenders_path)
{
	FILE *lf = fopen(logins_path, "w");
	FILE *of = fopen(offenders_path, "w");
	char cip[64], sip[64];
	long rows = 0;
	bool is_ok = lf != NULL && of != NULL;

	if (!is_ok)
		goto out;
	/* logins in connection order (a stable sort keeps attempt order) */
	fprintf(lf, "proto\tclient_ip\tclient_port\tserver_ip\tserver_port\t"
		    "mechanism\ttls\tverdict\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct truth_login *l = &t->v[i];

		wire_addr_text(&l->path, 0, cip, sizeof(cip));
		wire_addr_text(&l->path, 1, sip, sizeof(sip));
		fprintf(lf, "%s\t%s\t%u\t%s\t%u\t%s\t%s\t%s\n",
		    proto_name[l->proto], cip, l->path.port[0], sip,
		    l->path.port[1], l->mech, tls_name[l->tls],
		    verdict_name[l->verdict]);
	}
	qsort(t->v, t->n, sizeof(*t->v), by_offender);
	fprintf(of, "proto\tclient_ip\tserver_ip\tserver_port\tattempts\t"
		    "accepted\trejected\tunknown\n");
	for (size_t i = 0; i < t->n;) {
		unsigned count[3] = {0, 0, 0};
		size_t j = i;

		while (j < t->n && same_offender(&t->v[i], &t->v[j]))
			count[t->v[j++].verdict]++;
		wire_addr_text(&t->v[i].path, 0, cip, sizeof(cip));
		wire_addr_text(&t->v[i].path, 1, sip, sizeof(sip));
		fprintf(of, "%s\t%s\t%s\t%u\t%zu\t%u\t%u\t%u\n",
		    proto_name[t->v[i].proto], cip, sip, t->v[i].path.port[1],
		    j - i, count[TRUTH_ACCEPTED], count[TRUTH_REJECTED],
		    count[TRUTH_UNKNOWN]);
		rows++;
		i = j;
	}
	is_ok = !ferror(lf) && !ferror(of);
out:
	if (lf != NULL && fclose(lf) != 0)
		is_ok = false;
	if (of != NULL && fclose(of) != 0)
		is_ok = false;
	return is_ok ? rows : -1;
}

void
truth_free(struct truth *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
