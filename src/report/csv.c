/* csv.c: the offender rows as CSV with a header (docs/output.md "csv";
 * RFC 4180: fields with a comma or a quote are quoted). */
#include <inttypes.h>
#include <string.h>

#include "report/sink.h"

static void
field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
joined(FILE *out, const char **names, size_t n)
{
	char buf[512];
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && k < sizeof(buf); i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s",
		    i ? ";" : "", names[i]);
	field(out, buf);
}

static void
csv_login(FILE *out, const struct event_login *l, bool is_allowed,
    const struct sink_run *run)
{
	(void)out;
	(void)l;
	(void)is_allowed;
	(void)run;		/* CSV holds the offender rows only */
}

static void
csv_end(FILE *out, const struct report *r, const struct stats *stats,
    const struct sink_run *run)
{
	const struct report_offender *off;
	size_t n = report_offenders(r, &off);
	bool has_allow = report_has_allow(r);
	bool has_baseline = report_has_baseline(r);

	(void)stats;
	(void)run;
	fputs("proto,client_ip,server_ip,server_port,attempts,accepted,"
	      "rejected,unknown,mechanisms,exposures,first_seen,last_seen",
	    out);
	fputs(has_allow ? ",allowed" : "", out);
	fputs(has_baseline ? ",baseline\n" : "\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct report_offender *o = &off[i];
		const char *names[MECH_COUNT];
		char a[64], b[64];
		size_t k;

		fprintf(out, "%s,%s,%s,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64
		    ",%" PRIu64 ",",
		    event_proto_name(o->proto),
		    report_addr(&o->client, a, sizeof(a)),
		    report_addr(&o->server, b, sizeof(b)),
		    (unsigned)o->server.port, o->attempts, o->accepted,
		    o->rejected, o->unknown);
		sink_mechanisms(o->mechs, names, &k);
		joined(out, names, k);
		fputc(',', out);
		sink_exposures(o->exposures, names, &k);
		joined(out, names, k);
		fprintf(out, ",%s,", report_time(o->first_seen, false, a,
		    sizeof(a)));
		fputs(report_time(o->last_seen, false, b, sizeof(b)), out);
		if (has_allow)
			fputs(o->is_allowed ? ",yes" : ",no", out);
		if (has_baseline)
			fprintf(out, ",%s", report_mark_name(o->mark));
		fputc('\n', out);
	}
}

const struct sink_ops sink_csv_ops = {csv_login, csv_end};
