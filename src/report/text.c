/* text.c: the human report (docs/output.md "text").
 *
 * A summary line, the offenders table, the servers' posture, and the
 * stats.  Column widths follow the content, so a typical IPv4 report fits
 * in 100 columns.  Times are UTC, to the second (JSON has microseconds).
 */
#include <inttypes.h>
#include <string.h>

#include "report/sink.h"

#define TEXT_WIDTH 100
#define ENDPOINT_MAX 64		/* "[v6 address]:port" */
#define MECHS_TEXT_MAX 512

enum col {
	COL_PROTO,
	COL_CLIENT,
	COL_SERVER,
	COL_TRIES,
	COL_ACC,
	COL_REJ,
	COL_UNK,
	COL_MECHS,
	COL_FIRST,
	COL_LAST,
	COL_NOTE,		/* only with --allow or --baseline */
	COL_COUNT
};

static const char *const off_head[COL_COUNT] = {"PROTO", "CLIENT", "SERVER",
    "TRIES", "ACC", "REJ", "UNK", "MECHANISMS", "FIRST SEEN (UTC)",
    "LAST SEEN", "NOTE"};

enum scol {
	SCOL_PROTO,
	SCOL_SERVER,
	SCOL_STARTTLS,
	SCOL_DISABLED,
	SCOL_ACCEPTS,
	SCOL_TRIES,
	SCOL_ACC,
	SCOL_REJ,
	SCOL_UNK,
	SCOL_CHANGE,		/* only with --baseline */
	SCOL_COUNT
};

static const char *const srv_head[SCOL_COUNT] = {"PROTO", "SERVER",
    "STARTTLS", "LOGINDISABLED", "ACCEPTS CLEARTEXT", "TRIES", "ACC", "REJ",
    "UNK", "SINCE BASELINE"};

#define CHANGE_MAX 128

static const char *
server_text(const struct endpoint *e, char *buf, size_t size)
{
	char addr[64];

	report_addr(e, addr, sizeof(addr));
	snprintf(buf, size, e->family == 6 ? "[%s]:%u" : "%s:%u", addr,
	    (unsigned)e->port);
	return buf;
}

static void
mechs_text(uint32_t mechs, char *buf, size_t size)
{
	const char *names[MECH_COUNT];
	size_t n;
	size_t k = 0;

	sink_mechanisms(mechs, names, &n);
	buf[0] = '\0';
	for (size_t i = 0; i < n && k < size; i++)
		k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "",
		    names[i]);
}

static const char *
tri_text(enum tri t)
{
	return t == TRI_TRUE ? "yes" : t == TRI_FALSE ? "no" : "?";
}

/* The cells of one offender row. */
static void
off_cells(const struct report_offender *o, char cell[COL_COUNT][MECHS_TEXT_MAX])
{
	char first[32], last[32];

	snprintf(cell[COL_PROTO], MECHS_TEXT_MAX, "%s",
	    event_proto_name(o->proto));
	report_addr(&o->client, cell[COL_CLIENT], MECHS_TEXT_MAX);
	server_text(&o->server, cell[COL_SERVER], MECHS_TEXT_MAX);
	snprintf(cell[COL_TRIES], MECHS_TEXT_MAX, "%" PRIu64, o->attempts);
	snprintf(cell[COL_ACC], MECHS_TEXT_MAX, "%" PRIu64, o->accepted);
	snprintf(cell[COL_REJ], MECHS_TEXT_MAX, "%" PRIu64, o->rejected);
	snprintf(cell[COL_UNK], MECHS_TEXT_MAX, "%" PRIu64, o->unknown);
	mechs_text(o->mechs, cell[COL_MECHS], MECHS_TEXT_MAX);
	report_time(o->first_seen, true, first, sizeof(first));
	report_time(o->last_seen, true, last, sizeof(last));
	snprintf(cell[COL_FIRST], MECHS_TEXT_MAX, "%s", first);
	/* same day: the time is enough */
	snprintf(cell[COL_LAST], MECHS_TEXT_MAX, "%s",
	    strncmp(first, last, 10) == 0 ? last + 11 : last);
	snprintf(cell[COL_NOTE], MECHS_TEXT_MAX, "%s%s%s",
	    o->is_allowed ? "allowed" : "",
	    o->is_allowed && o->mark != MARK_NONE ? ", " : "",
	    report_mark_name(o->mark));
}

/* "STARTTLS no->yes, accepts yes->no": what changed since the baseline. */
static void
change_text(const struct report_server *s, char *buf, size_t size)
{
	const char *names[3] = {"STARTTLS", "LOGINDISABLED", "accepts"};
	enum tri was[3] = {s->was_starttls, s->was_disabled,
	    s->was_accepted ? TRI_TRUE : TRI_FALSE};
	enum tri now[3] = {report_starttls_offered(s),
	    report_login_disabled(s),
	    s->accepted > 0 ? TRI_TRUE : TRI_FALSE};
	size_t k = 0;

	buf[0] = '\0';
	if (s->mark != MARK_CHANGED) {
		snprintf(buf, size, "%s", report_mark_name(s->mark));
		return;
	}
	for (int i = 0; i < 3 && k < size; i++)
		if (was[i] != now[i])
			k += (size_t)snprintf(buf + k, size - k, "%s%s %s->%s",
			    k ? ", " : "", names[i], tri_text(was[i]),
			    tri_text(now[i]));
}

static void
srv_cells(const struct report_server *s, char cell[SCOL_COUNT][CHANGE_MAX])
{
	snprintf(cell[SCOL_PROTO], CHANGE_MAX, "%s",
	    event_proto_name(s->proto));
	server_text(&s->server, cell[SCOL_SERVER], CHANGE_MAX);
	snprintf(cell[SCOL_STARTTLS], CHANGE_MAX, "%s",
	    tri_text(report_starttls_offered(s)));
	snprintf(cell[SCOL_DISABLED], CHANGE_MAX, "%s",
	    tri_text(report_login_disabled(s)));
	snprintf(cell[SCOL_ACCEPTS], CHANGE_MAX, "%s",
	    s->accepted > 0 ? "yes" : s->attempts > 0 ? "no" : "-");
	snprintf(cell[SCOL_TRIES], CHANGE_MAX, "%" PRIu64, s->attempts);
	snprintf(cell[SCOL_ACC], CHANGE_MAX, "%" PRIu64, s->accepted);
	snprintf(cell[SCOL_REJ], CHANGE_MAX, "%" PRIu64, s->rejected);
	snprintf(cell[SCOL_UNK], CHANGE_MAX, "%" PRIu64, s->unknown);
	change_text(s, cell[SCOL_CHANGE], CHANGE_MAX);
}

static bool
is_number_col(int c, bool is_server_table)
{
	if (is_server_table)
		return c >= SCOL_TRIES && c <= SCOL_UNK;
	return c >= COL_TRIES && c <= COL_UNK;
}

/* Print one row: left-aligned text, right-aligned numbers, no trailing
 * blanks. */
static void
row(FILE *out, const char *const *cells, const size_t *width, int n,
    bool is_server_table)
{
	for (int c = 0; c < n; c++) {
		int w = (int)width[c];

		if (c > 0)
			fputs("  ", out);
		if (is_number_col(c, is_server_table))
			fprintf(out, "%*s", w, cells[c]);
		else if (c == n - 1)
			fputs(cells[c], out);
		else
			fprintf(out, "%-*s", w, cells[c]);
	}
	fputc('\n', out);
}

static void
offenders_table(FILE *out, const struct report *r,
    const struct report_offender *off, size_t n)
{
	size_t width[COL_COUNT];
	char cell[COL_COUNT][MECHS_TEXT_MAX];
	const char *ptr[COL_COUNT];
	int ncol = report_has_allow(r) || report_has_baseline(r)
	    ? COL_COUNT
	    : COL_NOTE;

	for (int c = 0; c < COL_COUNT; c++)
		width[c] = strlen(off_head[c]);
	for (size_t i = 0; i < n; i++) {
		off_cells(&off[i], cell);
		for (int c = 0; c < COL_COUNT; c++)
			if (strlen(cell[c]) > width[c])
				width[c] = strlen(cell[c]);
	}
	fputs("\nCLEARTEXT LOGINS (one row per client, server and port)\n",
	    out);
	row(out, off_head, width, ncol, false);
	for (size_t i = 0; i < n; i++) {
		off_cells(&off[i], cell);
		for (int c = 0; c < COL_COUNT; c++)
			ptr[c] = cell[c];
		row(out, ptr, width, ncol, false);
	}
}

static void
servers_table(FILE *out, const struct report *r,
    const struct report_server *srv, size_t n)
{
	size_t width[SCOL_COUNT];
	char cell[SCOL_COUNT][CHANGE_MAX];
	const char *ptr[SCOL_COUNT];
	int ncol = report_has_baseline(r) ? SCOL_COUNT : SCOL_CHANGE;

	for (int c = 0; c < SCOL_COUNT; c++)
		width[c] = strlen(srv_head[c]);
	for (size_t i = 0; i < n; i++) {
		srv_cells(&srv[i], cell);
		for (int c = 0; c < SCOL_COUNT; c++)
			if (strlen(cell[c]) > width[c])
				width[c] = strlen(cell[c]);
	}
	fputs("\nSERVERS (capabilities offered before TLS)\n", out);
	row(out, srv_head, width, ncol, true);
	for (size_t i = 0; i < n; i++) {
		srv_cells(&srv[i], cell);
		for (int c = 0; c < SCOL_COUNT; c++)
			ptr[c] = cell[c];
		row(out, ptr, width, ncol, true);
	}
}

static void
stats_item(FILE *out, size_t *col, const char *name, uint64_t v)
{
	char item[96];
	int len = snprintf(item, sizeof(item), " %s=%" PRIu64, name, v);

	if (*col + (size_t)len > TEXT_WIDTH) {
		fputs("\n      ", out);
		*col = 6;
	}
	fputs(item, out);
	*col += (size_t)len;
}

/* The stats: every non-zero counter, wrapped at TEXT_WIDTH; live, the
 * kernel's counters too. */
static void
stats_line(FILE *out, const struct stats *stats, const struct sink_run *run)
{
	size_t col = 6;

	fputs("\nstats:", out);
	for (int i = 0; i < STAT_COUNT; i++)
		if (stats->v[i] != 0 || i == STAT_PACKETS ||
		    i == STAT_FLOWS || i == STAT_LOGINS)
			stats_item(out, &col, stats_name((enum stat_id)i),
			    stats->v[i]);
	if (run->has_capture_stats) {
		stats_item(out, &col, "capture_received", run->received);
		stats_item(out, &col, "capture_dropped", run->dropped);
		stats_item(out, &col, "capture_ifdropped", run->ifdropped);
	}
	fputc('\n', out);
}

/* Live, one line per login as it is settled:
 * TIME PROTO CLIENT:PORT -> SERVER:PORT MECHANISM EXPOSURE tls=T VERDICT
 * [code=C] [software="S"] [account=A] [allowed].  Offline, nothing: the
 * report at the end says it all. */
static void
text_login(FILE *out, const struct event_login *l, bool is_allowed,
    const struct sink_run *run)
{
	char ts[48], c[64], s[64];
	struct endpoint client = l->client;

	if (!run->is_live)
		return;
	fprintf(out, "%s %s %s -> %s %s %s tls=%s %s",
	    report_time(l->ts, false, ts, sizeof(ts)),
	    event_proto_name(l->proto),
	    server_text(&client, c, sizeof(c)),
	    server_text(&l->server, s, sizeof(s)), event_mech_name(l->mech),
	    event_exposure_name(l->exposure), event_tls_name(l->tls),
	    event_verdict_name(l->verdict));
	if (l->response_code[0])
		fprintf(out, " code=%s", l->response_code);
	if (l->client_software[0])
		fprintf(out, " software=\"%s\"", l->client_software);
	if (l->account[0])
		fprintf(out, " account=%s", l->account);
	if (is_allowed)
		fputs(" allowed", out);
	fputc('\n', out);
	fflush(out);
}

static void
text_end(FILE *out, const struct report *r, const struct stats *stats,
    const struct sink_run *run)
{
	const struct report_offender *off;
	const struct report_server *srv;
	size_t n_off = report_offenders(r, &off);
	size_t n_srv = report_servers(r, &srv);
	uint64_t acc = 0, rej = 0, unk = 0;
	size_t n_clients = 0, n_servers = 0;
	const struct endpoint *last = NULL;

	for (size_t i = 0; i < n_off; i++) {
		if (off[i].attempts == 0)
			continue;	/* only in the baseline */
		acc += off[i].accepted;
		rej += off[i].rejected;
		unk += off[i].unknown;
		/* rows are sorted by client: count the changes */
		if (last == NULL || !report_same_host(last, &off[i].client))
			n_clients++;
		last = &off[i].client;
	}
	for (size_t i = 0; i < n_srv; i++)
		n_servers += srv[i].attempts > 0;
	if (run->is_live) {
		char ts[48];

		fprintf(out, "\n=== report at %s ===\n",
		    report_time(run->now, false, ts, sizeof(ts)));
	}
	if (acc + rej + unk == 0)
		fputs("plainsight: no cleartext POP3/IMAP login seen\n", out);
	else
		fprintf(out,
		    "plainsight: %" PRIu64 " cleartext login attempt%s "
		    "(%" PRIu64 " accepted, %" PRIu64 " rejected, %" PRIu64
		    " unknown) from %zu client%s to %zu server%s\n",
		    acc + rej + unk, acc + rej + unk == 1 ? "" : "s", acc, rej,
		    unk, n_clients, n_clients == 1 ? "" : "s", n_servers,
		    n_servers == 1 ? "" : "s");
	if (n_off > 0)
		offenders_table(out, r, off, n_off);
	if (n_srv > 0)
		servers_table(out, r, srv, n_srv);
	stats_line(out, stats, run);
	if (run->is_live)
		fflush(out);
}

const struct sink_ops sink_text_ops = {text_login, text_end};
