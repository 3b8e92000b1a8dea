/* json.c: JSON Lines output (docs/output.md "json").
 *
 * One object per line, keys in a fixed order, no whitespace, so the
 * output is byte-for-byte deterministic.  Login records are written as
 * each attempt is settled; offender, server and stats records at the end.
 */
#include <inttypes.h>

#include "report/sink.h"

static void
key_str(FILE *out, const char *key, const char *value)
{
	fprintf(out, ",\"%s\":", key);
	sink_json_string(out, value);
}

static void
key_u64(FILE *out, const char *key, uint64_t value)
{
	fprintf(out, ",\"%s\":%" PRIu64, key, value);
}

static void
key_tri(FILE *out, const char *key, enum tri value)
{
	fprintf(out, ",\"%s\":%s", key,
	    value == TRI_UNKNOWN ? "null"
				 : value == TRI_TRUE ? "true" : "false");
}

static void
key_time(FILE *out, const char *key, struct event_time t)
{
	char buf[48];

	key_str(out, key, report_time(t, false, buf, sizeof(buf)));
}

static void
key_addr(FILE *out, const char *key, const struct endpoint *e)
{
	char buf[64];

	key_str(out, key, report_addr(e, buf, sizeof(buf)));
}

static void
key_list(FILE *out, const char *key, const char **names, size_t n)
{
	fprintf(out, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		sink_json_string(out, names[i]);
	}
	fputc(']', out);
}

static void
json_login(FILE *out, const struct event_login *l, bool is_allowed,
    const struct sink_run *run)
{
	fputs("{\"type\":\"login\"", out);
	key_time(out, "ts", l->ts);
	key_str(out, "proto", event_proto_name(l->proto));
	key_addr(out, "client_ip", &l->client);
	key_u64(out, "client_port", l->client.port);
	key_addr(out, "server_ip", &l->server);
	key_u64(out, "server_port", l->server.port);
	key_str(out, "mechanism", event_mech_name(l->mech));
	key_str(out, "exposure", event_exposure_name(l->exposure));
	key_str(out, "tls", event_tls_name(l->tls));
	key_str(out, "verdict", event_verdict_name(l->verdict));
	if (l->response_code[0])
		key_str(out, "response_code", l->response_code);
	if (l->client_software[0])
		key_str(out, "client_software", l->client_software);
	if (l->account[0])
		key_str(out, "account", l->account);
	if (is_allowed)
		fputs(",\"allowed\":true", out);
	fputs("}\n", out);
	if (run->is_live)
		fflush(out);	/* a live sensor streams, line by line */
}

static void
offender(FILE *out, const struct report *r, const struct report_offender *o)
{
	const char *names[MECH_COUNT];
	const char *sw[REPORT_SOFTWARE_MAX];
	size_t n;

	fputs("{\"type\":\"offender\"", out);
	key_str(out, "proto", event_proto_name(o->proto));
	key_addr(out, "client_ip", &o->client);
	key_addr(out, "server_ip", &o->server);
	key_u64(out, "server_port", o->server.port);
	key_u64(out, "attempts", o->attempts);
	key_u64(out, "accepted", o->accepted);
	key_u64(out, "rejected", o->rejected);
	key_u64(out, "unknown", o->unknown);
	sink_mechanisms(o->mechs, names, &n);
	key_list(out, "mechanisms", names, n);
	sink_exposures(o->exposures, names, &n);
	key_list(out, "exposures", names, n);
	key_time(out, "first_seen", o->first_seen);
	key_time(out, "last_seen", o->last_seen);
	if (o->n_software) {
		for (size_t i = 0; i < o->n_software; i++)
			sw[i] = o->software[i];
		key_list(out, "client_software", sw, o->n_software);
	}
	if (o->is_allowed)
		fputs(",\"allowed\":true", out);
	if (report_has_baseline(r))
		key_str(out, "baseline", report_mark_name(o->mark));
	fputs("}\n", out);
}

static void
server(FILE *out, const struct report *r, const struct report_server *s)
{
	const char *names[SASL_COUNT];
	size_t n;

	fputs("{\"type\":\"server\"", out);
	key_str(out, "proto", event_proto_name(s->proto));
	key_addr(out, "server_ip", &s->server);
	key_u64(out, "server_port", s->server.port);
	key_tri(out, "starttls_offered", report_starttls_offered(s));
	key_tri(out, "login_disabled", report_login_disabled(s));
	if (s->proto == PROTO_POP3)
		key_tri(out, "user_offered", report_user_offered(s));
	sink_sasl_names(s->sasl_offered, names, &n);
	key_list(out, "auth_offered", names, n);
	fprintf(out, ",\"cleartext_accepted\":%s",
	    s->accepted > 0 ? "true" : "false");
	key_u64(out, "attempts", s->attempts);
	key_u64(out, "accepted", s->accepted);
	key_u64(out, "rejected", s->rejected);
	key_u64(out, "unknown", s->unknown);
	if (report_has_baseline(r)) {
		key_str(out, "baseline", report_mark_name(s->mark));
		if (s->mark == MARK_CHANGED || s->mark == MARK_GONE) {
			fputs(",\"was\":{", out);
			fprintf(out, "\"starttls_offered\":%s,",
			    s->was_starttls == TRI_UNKNOWN ? "null"
			    : s->was_starttls == TRI_TRUE ? "true"
							  : "false");
			fprintf(out, "\"login_disabled\":%s,",
			    s->was_disabled == TRI_UNKNOWN ? "null"
			    : s->was_disabled == TRI_TRUE ? "true"
							  : "false");
			fprintf(out, "\"cleartext_accepted\":%s}",
			    s->was_accepted ? "true" : "false");
		}
	}
	fputs("}\n", out);
}

static void
json_end(FILE *out, const struct report *r, const struct stats *stats,
    const struct sink_run *run)
{
	const struct report_offender *off;
	const struct report_server *srv;
	size_t n_off = report_offenders(r, &off);
	size_t n_srv = report_servers(r, &srv);

	for (size_t i = 0; i < n_off; i++)
		offender(out, r, &off[i]);
	for (size_t i = 0; i < n_srv; i++)
		server(out, r, &srv[i]);
	fputs("{\"type\":\"stats\"", out);
	if (run->is_live)
		key_time(out, "ts", run->now);
	for (int i = 0; i < STAT_COUNT; i++)
		key_u64(out, stats_name((enum stat_id)i), stats->v[i]);
	if (run->has_capture_stats) {
		key_u64(out, "capture_received", run->received);
		key_u64(out, "capture_dropped", run->dropped);
		key_u64(out, "capture_ifdropped", run->ifdropped);
	}
	fputs("}\n", out);
	if (run->is_live)
		fflush(out);
}

const struct sink_ops sink_json_ops = {json_login, json_end};
