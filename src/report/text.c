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
	COL_COUNT
};

static const char *const off_head[COL_COUNT] = {"PROTO", "CLIENT", "SERVER",
    "TRIES", "ACC", "REJ", "UNK", "MECHANISMS", "FIRST SEEN (UTC)",
    "LAST SEEN"};

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
	SCOL_COUNT
};

static const char *const srv_head[SCOL_COUNT] = {"PROTO", "SERVER",
    "STARTTLS", "LOGINDISABLED", "ACCEPTS CLEARTEXT", "TRIES", "ACC", "REJ",
    "UNK"};

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
}

static void
srv_cells(const struct report_server *s, char cell[SCOL_COUNT][ENDPOINT_MAX])
{
	snprintf(cell[SCOL_PROTO], ENDPOINT_MAX, "%s",
	    event_proto_name(s->proto));
	server_text(&s->server, cell[SCOL_SERVER], ENDPOINT_MAX);
	snprintf(cell[SCOL_STARTTLS], ENDPOINT_MAX, "%s",
	    tri_text(report_starttls_offered(s)));
	snprintf(cell[SCOL_DISABLED], ENDPOINT_MAX, "%s",
	    tri_text(report_login_disabled(s)));
	snprintf(cell[SCOL_ACCEPTS], ENDPOINT_MAX, "%s",
	    s->accepted > 0 ? "yes" : s->attempts > 0 ? "no" : "-");
	snprintf(cell[SCOL_TRIES], ENDPOINT_MAX, "%" PRIu64, s->attempts);
	snprintf(cell[SCOL_ACC], ENDPOINT_MAX, "%" PRIu64, s->accepted);
	snprintf(cell[SCOL_REJ], ENDPOINT_MAX, "%" PRIu64, s->rejected);
	snprintf(cell[SCOL_UNK], ENDPOINT_MAX, "%" PRIu64, s->unknown);
}

static bool
is_number_col(int c, bool is_server_table)
{
	if (is_server_table)
		return c >= SCOL_TRIES;
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
offenders_table(FILE *out, const struct report_offender *off, size_t n)
{
	size_t width[COL_COUNT];
	char cell[COL_COUNT][MECHS_TEXT_MAX];
	const char *ptr[COL_COUNT];

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
	row(out, off_head, width, COL_COUNT, false);
	for (size_t i = 0; i < n; i++) {
		off_cells(&off[i], cell);
		for (int c = 0; c < COL_COUNT; c++)
			ptr[c] = cell[c];
		row(out, ptr, width, COL_COUNT, false);
	}
}

static void
servers_table(FILE *out, const struct report_server *srv, size_t n)
{
	size_t width[SCOL_COUNT];
	char cell[SCOL_COUNT][ENDPOINT_MAX];
	const char *ptr[SCOL_COUNT];

	for (int c = 0; c < SCOL_COUNT; c++)
		width[c] = strlen(srv_head[c]);
	for (size_t i = 0; i < n; i++) {
		srv_cells(&srv[i], cell);
		for (int c = 0; c < SCOL_COUNT; c++)
			if (strlen(cell[c]) > width[c])
				width[c] = strlen(cell[c]);
	}
	fputs("\nSERVERS (capabilities offered before TLS)\n", out);
	row(out, srv_head, width, SCOL_COUNT, true);
	for (size_t i = 0; i < n; i++) {
		srv_cells(&srv[i], cell);
		for (int c = 0; c < SCOL_COUNT; c++)
			ptr[c] = cell[c];
		row(out, ptr, width, SCOL_COUNT, true);
	}
}

/* The stats: every non-zero counter, wrapped at TEXT_WIDTH. */
static void
stats_line(FILE *out, const struct stats *stats)
{
	size_t col = 0;

	fputs("\nstats:", out);
	col = 6;
	for (int i = 0; i < STAT_COUNT; i++) {
		char item[96];

		if (stats->v[i] == 0 && i != STAT_PACKETS && i != STAT_FLOWS &&
		    i != STAT_LOGINS)
			continue;
		int len = snprintf(item, sizeof(item), " %s=%" PRIu64,
		    stats_name((enum stat_id)i), stats->v[i]);

		if (col + (size_t)len > TEXT_WIDTH) {
			fputs("\n      ", out);
			col = 6;
		}
		fputs(item, out);
		col += (size_t)len;
	}
	fputc('\n', out);
}

static void
text_login(FILE *out, const struct event_login *l)
{
	(void)out;
	(void)l;		/* offline, text is the end-of-run report only */
}

static void
text_end(FILE *out, const struct report *r, const struct stats *stats)
{
	const struct report_offender *off;
	const struct report_server *srv;
	size_t n_off = report_offenders(r, &off);
	size_t n_srv = report_servers(r, &srv);
	uint64_t acc = 0, rej = 0, unk = 0;
	size_t n_clients = 0;

	for (size_t i = 0; i < n_off; i++) {
		acc += off[i].accepted;
		rej += off[i].rejected;
		unk += off[i].unknown;
		/* rows are sorted by client: count the changes */
		if (i == 0 || memcmp(&off[i].client, &off[i - 1].client,
				  sizeof(off[i].client)) != 0)
			n_clients++;
	}
	if (n_off == 0) {
		fputs("plainsight: no cleartext POP3/IMAP login seen\n", out);
	} else {
		size_t n_servers = 0;

		for (size_t i = 0; i < n_srv; i++)
			n_servers += srv[i].attempts > 0;
		fprintf(out,
		    "plainsight: %" PRIu64 " cleartext login attempt%s "
		    "(%" PRIu64 " accepted, %" PRIu64 " rejected, %" PRIu64
		    " unknown) from %zu client%s to %zu server%s\n",
		    acc + rej + unk, acc + rej + unk == 1 ? "" : "s", acc, rej,
		    unk, n_clients, n_clients == 1 ? "" : "s", n_servers,
		    n_servers == 1 ? "" : "s");
		offenders_table(out, off, n_off);
	}
	if (n_srv > 0)
		servers_table(out, srv, n_srv);
	stats_line(out, stats);
}

const struct sink_ops sink_text_ops = {text_login, text_end};
