/* scenario.c: reads a scenario file line by line and runs each directive
 * (the language is described in README.md).
 *
 * Lines are read into a fixed buffer of PCAPGEN_LINE_MAX bytes; a longer
 * line, or a NUL byte, is an error rather than something to guess about.
 * Each line is looked at through a bounded struct lex.  Directives run as
 * they are read: file-level settings are fixed by the first `conn`, and
 * packets go into the in-memory capture at once.  Nothing is written to
 * disk here; main.c writes the capture only if the whole file ran.
 *
 * Does not: include other files, define macros, or loop.  A scenario is a
 * flat, readable transcript on purpose.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capfile.h"
#include "lex.h"
#include "packet.h"
#include "scenario.h"
#include "session.h"
#include "value.h"

/* Longest piece of a token quoted back in an error message. */
#define SCENARIO_SHOW_MAX 40
/* Room for the directive table below. */
#define SCENARIO_DIRECTIVE_MAX 40u

struct scenario;

enum scope {
	SCOPE_FILE, /* before the first conn, at most once */
	SCOPE_ONCE, /* anywhere, at most once */
	SCOPE_ANY,  /* anywhere */
	SCOPE_CONN, /* needs a current connection */
	SCOPE_MOD,  /* modifies the next data directive */
};

struct directive {
	const char *name;
	enum scope scope;
	enum status (*run)(struct scenario *sc, struct lex *x);
};

struct scenario {
	const char *path; /* for messages; "<stdin>" for "-" */
	size_t line;      /* line being run, from 1 */
	size_t err_line;  /* line an error is about; 0: the file */
	struct session s;
	bool is_locked; /* a conn exists: file-level settings fixed */
	size_t seen_line[SCENARIO_DIRECTIVE_MAX]; /* SCOPE_FILE/ONCE */
	bool has_truncate;
	uint64_t truncate_n;
	size_t truncate_line;
	struct session_mods *mods; /* for the next data directive */
	size_t mods_line; /* line of the first pending modifier, or 0 */
	const char *mods_name;
	struct dbuf text;    /* decoded bytes of the current directive */
	struct dbuf pattern; /* C* text before repetition */
	char err[PCAPGEN_ERR_MAX];
};

__attribute__((format(printf, 2, 3))) static enum status
fail(struct scenario *sc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sc->err, sizeof sc->err, fmt, ap);
	va_end(ap);
	sc->err_line = sc->line;
	return ST_BAD;
}

/* a status from a buffer or the session: make sure a message is there */
static enum status
fail_status(struct scenario *sc, enum status st, const char *what)
{
	switch (st) {
	case ST_OK:
		return ST_OK;
	case ST_TOOBIG:
		snprintf(sc->err, sizeof sc->err, "%s is too large", what);
		break;
	case ST_NOMEM:
		snprintf(sc->err, sizeof sc->err, "out of memory");
		break;
	case ST_BAD:
	case ST_IO:
	case ST_LIBNET:
		break; /* the message is already in sc->err */
	}
	sc->err_line = sc->line;
	return st;
}

/* a session failure: its message moves to sc->err */
static enum status
fail_session(struct scenario *sc, enum status st)
{
	if (st == ST_OK)
		return ST_OK;
	snprintf(sc->err, sizeof sc->err, "%s", sc->s.err);
	sc->err_line = sc->line;
	return st;
}

/* how much of a token to quote in a message */
static int
show(const struct lex_tok *t)
{
	return t->len > SCENARIO_SHOW_MAX ? SCENARIO_SHOW_MAX : (int)t->len;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static enum status
expect_end(struct scenario *sc, struct lex *x, const char *what)
{
	struct lex_tok t;

	if (!lex_next(x, &t))
		return ST_OK;
	return fail(sc, "%s: unexpected '%.*s'", what, show(&t), t.p);
}

static enum status
need_token(struct scenario *sc, struct lex *x, struct lex_tok *t,
    const char *what, const char *expected)
{
	if (lex_next(x, t))
		return ST_OK;
	return fail(sc, "%s: missing %s", what, expected);
}

static enum status
parse_number(struct scenario *sc, const struct lex_tok *t, const char *what,
    uint64_t min, uint64_t max, uint64_t *out)
{
	if (lex_tok_u64(t, max, out) && *out >= min)
		return ST_OK;
	return fail(sc,
	    "%s: '%.*s' is not a number from %" PRIu64 " to %" PRIu64, what,
	    show(t), t->p, min, max);
}

static enum status
next_number(struct scenario *sc, struct lex *x, const char *what, uint64_t min,
    uint64_t max, uint64_t *out)
{
	struct lex_tok t;
	enum status st = need_token(sc, x, &t, what, "a number");

	if (st == ST_OK)
		st = parse_number(sc, &t, what, min, max, out);
	return st;
}

static enum status
next_dir(struct scenario *sc, struct lex *x, const char *what, enum dir *d)
{
	struct lex_tok t;
	enum status st = need_token(sc, x, &t, what, "client or server");

	if (st != ST_OK)
		return st;
	if (lex_tok_is(&t, "client"))
		*d = DIR_C2S;
	else if (lex_tok_is(&t, "server"))
		*d = DIR_S2C;
	else
		return fail(sc, "%s: expected client or server, not '%.*s'",
		    what, show(&t), t.p);
	return ST_OK;
}

static enum status
unescape(struct scenario *sc, const char *p, size_t len, struct dbuf *out,
    const char *what)
{
	char msg[PCAPGEN_ERR_MAX];
	enum status st = lex_unescape(p, len, out, msg, sizeof msg);

	if (st == ST_BAD)
		return fail(sc, "%s: %s", what, msg);
	return fail_status(sc, st, what);
}

static enum status
parse_duration(struct scenario *sc, const struct lex_tok *t, const char *what,
    uint64_t *ns)
{
	if (value_duration(t, ns))
		return ST_OK;
	return fail(sc,
	    "%s: '%.*s' is not a duration such as 1ms (a number "
	    "and ns, us, ms or s; at most 2^32-1 s)",
	    what, show(t), t->p);
}

static enum status
parse_endpoint(struct scenario *sc, const struct lex_tok *t, bool *is_ipv6,
    uint8_t ip[16], uint16_t *port)
{
	if (value_endpoint(t, is_ipv6, ip, port))
		return ST_OK;
	return fail(sc,
	    "conn: '%.*s' is not ADDR:PORT (192.0.2.1:143 or "
	    "[2001:db8::1]:143, port 1..65535)",
	    show(t), t->p);
}

static enum status
parse_mac(struct scenario *sc, const struct lex_tok *t, uint8_t mac[6])
{
	if (value_mac(t, mac))
		return ST_OK;
	return fail(sc,
	    "conn: '%.*s' is not a MAC address such as 02:00:00:00:00:01",
	    show(t), t->p);
}

static enum status
check_name(struct scenario *sc, const struct lex_tok *t)
{
	if (value_is_name(t))
		return ST_OK;
	return fail(sc,
	    "'%.*s' is not a connection name (1..%u of A-Z a-z 0-9 _ - .)",
	    show(t), t->p, PCAPGEN_NAME_MAX);
}

/* fix the file-level settings: called at the first conn and at the end */
static void
lock_file_level(struct scenario *sc)
{
	if (sc->is_locked)
		return;
	sc->is_locked = true;
	/* the NULL family field is in the byte order of the file's writer */
	sc->s.pb.is_null_be = capfile_is_big_endian(sc->s.cf.format);
}

/* ---- file-level directives ---- */

static enum status
do_format(struct scenario *sc, struct lex *x)
{
	struct lex_tok t;
	enum status st = need_token(sc, x, &t, "format", "a format name");

	if (st != ST_OK)
		return st;
	if (!capfile_format_from_name(t.p, t.len, &sc->s.cf.format))
		return fail(sc,
		    "format: unknown format '%.*s' (pcap, pcap-be, "
		    "pcap-nsec, pcap-nsec-be, pcapng, pcapng-be)",
		    show(&t), t.p);
	return expect_end(sc, x, "format");
}

static enum status
do_link(struct scenario *sc, struct lex *x)
{
	struct lex_tok t;
	enum packet_link link;
	enum status st = need_token(sc, x, &t, "link", "a link type");

	if (st != ST_OK)
		return st;
	if (!packet_link_from_name(t.p, t.len, &link))
		return fail(sc,
		    "link: unknown link type '%.*s' (ethernet, "
		    "linux-sll, linux-sll2, raw, ipv4, ipv6, null, loop)",
		    show(&t), t.p);
	if (sc->s.pb.vlan_count > 0 && link != PACKET_LINK_ETHERNET)
		return fail(sc, "link: vlan tags need link ethernet");
	sc->s.pb.link = link;
	sc->s.cf.linktype = packet_link_dlt(link);
	return expect_end(sc, x, "link");
}

static enum status
do_snaplen(struct scenario *sc, struct lex *x)
{
	uint64_t v = 0;
	enum status st =
	    next_number(sc, x, "snaplen", 1, PCAPGEN_SNAPLEN_MAX, &v);

	if (st != ST_OK)
		return st;
	sc->s.cf.snaplen = (uint32_t)v;
	return expect_end(sc, x, "snaplen");
}

static enum status
do_start(struct scenario *sc, struct lex *x)
{
	struct lex_tok t;
	enum status st = need_token(sc, x, &t, "start", "a time");

	if (st != ST_OK)
		return st;
	if (!value_utc_time(&t, &sc->s.start_ns))
		return fail(sc,
		    "start: '%.*s' is not a UTC time such as "
		    "2026-01-05T10:00:00Z (years 1970..2106)",
		    show(&t), t.p);
	return expect_end(sc, x, "start");
}

static enum status
do_vlan(struct scenario *sc, struct lex *x)
{
	struct packet_builder *pb = &sc->s.pb;
	struct lex_tok t;
	uint64_t v = 0;
	enum status st;

	if (pb->link != PACKET_LINK_ETHERNET)
		return fail(sc, "vlan: needs link ethernet (link is %s)",
		    packet_link_name(pb->link));
	pb->vlan_count = 0;
	while (lex_next(x, &t) && !lex_tok_is(&t, "tpid")) {
		if (pb->vlan_count == 2)
			return fail(
			    sc, "vlan: at most two tags (outer, inner)");
		st = parse_number(sc, &t, "vlan", 0, 4095, &v);
		if (st != ST_OK)
			return st;
		pb->vlan_id[pb->vlan_count++] = (uint16_t)v;
	}
	if (pb->vlan_count == 0)
		return fail(sc, "vlan: needs one or two VLAN IDs");
	/* 802.1ad: the outer tag of a QinQ pair is an S-tag */
	pb->vlan_tpid = pb->vlan_count == 2 ? 0x88a8 : 0x8100;
	if (lex_tok_is(&t, "tpid")) {
		st = need_token(sc, x, &t, "vlan tpid", "a hex TPID");
		if (st != ST_OK)
			return st;
		if (!lex_tok_hex(&t, 0xffff, &v) || v == 0)
			return fail(sc,
			    "vlan: '%.*s' is not a hex TPID such as 9100",
			    show(&t), t.p);
		pb->vlan_tpid = (uint16_t)v;
	}
	return expect_end(sc, x, "vlan");
}

static enum status
do_step(struct scenario *sc, struct lex *x)
{
	struct lex_tok t;
	enum status st = need_token(sc, x, &t, "step", "a duration");

	if (st == ST_OK)
		st = parse_duration(sc, &t, "step", &sc->s.step_ns);
	if (st == ST_OK)
		st = expect_end(sc, x, "step");
	return st;
}

static enum status
do_wait(struct scenario *sc, struct lex *x)
{
	struct lex_tok t;
	uint64_t ns = 0;
	enum status st = need_token(sc, x, &t, "wait", "a duration");

	if (st == ST_OK)
		st = parse_duration(sc, &t, "wait", &ns);
	if (st == ST_OK)
		st = expect_end(sc, x, "wait");
	if (st == ST_OK)
		session_wait(&sc->s, ns);
	return st;
}

static enum status
do_truncate(struct scenario *sc, struct lex *x)
{
	enum status st = next_number(
	    sc, x, "truncate-file", 0, PCAPGEN_OUTPUT_MAX, &sc->truncate_n);

	if (st != ST_OK)
		return st;
	sc->has_truncate = true;
	sc->truncate_line = sc->line;
	return expect_end(sc, x, "truncate-file");
}

/* ---- connections ---- */

static enum status
do_conn(struct scenario *sc, struct lex *x)
{
	struct session_conn c;
	struct lex_tok t;
	bool is_v6[DIR_COUNT] = {false, false};
	bool has_isn = false, has_mac = false;
	uint64_t isn[DIR_COUNT] = {0, 0};
	uint8_t mac[DIR_COUNT][6] = {{0}, {0}};
	enum status st;

	memset(&c, 0, sizeof c);
	st = need_token(sc, x, &t, "conn", "a name");
	if (st == ST_OK)
		st = check_name(sc, &t);
	if (st != ST_OK)
		return st;
	if (session_conn_find(&sc->s, t.p, t.len) != NULL)
		return fail(sc,
		    "conn: '%.*s' is already declared (switch to it with use)",
		    show(&t), t.p);
	memcpy(c.name, t.p, t.len);
	c.name[t.len] = '\0';

	static const char *const role[DIR_COUNT] = {
	    [DIR_C2S] = "client", [DIR_S2C] = "server"};
	for (size_t d = 0; d < DIR_COUNT; d++) {
		st = need_token(sc, x, &t, "conn", role[d]);
		if (st != ST_OK)
			return st;
		if (!lex_tok_is(&t, role[d]))
			return fail(sc,
			    "conn: expected '%s ADDR:PORT', not '%.*s'",
			    role[d], show(&t), t.p);
		st = need_token(sc, x, &t, "conn", "ADDR:PORT");
		if (st == ST_OK)
			st = parse_endpoint(
			    sc, &t, &is_v6[d], c.end[d].ip, &c.end[d].port);
		if (st != ST_OK)
			return st;
	}
	if (is_v6[DIR_C2S] != is_v6[DIR_S2C])
		return fail(sc,
		    "conn: client and server must both be IPv4 or both IPv6");
	c.is_ipv6 = is_v6[DIR_C2S];

	while (lex_next(x, &t)) {
		if (lex_tok_is(&t, "isn") && !has_isn) {
			has_isn = true;
			for (size_t d = 0; d < DIR_COUNT && st == ST_OK; d++)
				st = next_number(
				    sc, x, "conn isn", 0, UINT32_MAX, &isn[d]);
		} else if (lex_tok_is(&t, "mac") && !has_mac) {
			has_mac = true;
			for (size_t d = 0; d < DIR_COUNT && st == ST_OK; d++) {
				st = need_token(
				    sc, x, &t, "conn mac", "two MAC addresses");
				if (st == ST_OK)
					st = parse_mac(sc, &t, mac[d]);
			}
		} else if (lex_tok_is(&t, "tcp-options") &&
		    !c.has_tcp_options) {
			c.has_tcp_options = true;
		} else {
			return fail(sc,
			    "conn: unexpected '%.*s' (options: isn "
			    "C S, mac C S, tcp-options; each once)",
			    show(&t), t.p);
		}
		if (st != ST_OK)
			return st;
	}

	lock_file_level(sc);
	if (!packet_link_carries(sc->s.pb.link, c.is_ipv6))
		return fail(sc, "conn: link %s cannot carry IPv%c",
		    packet_link_name(sc->s.pb.link), c.is_ipv6 ? '6' : '4');
	session_conn_defaults(&c);
	for (size_t d = 0; d < DIR_COUNT; d++) {
		if (has_isn) {
			c.end[d].isn = (uint32_t)isn[d];
			c.end[d].nxt = c.end[d].isn + 1;
		}
		if (has_mac)
			memcpy(c.end[d].mac, mac[d], 6);
	}
	return fail_session(sc, session_conn_add(&sc->s, &c));
}

static enum status
do_use(struct scenario *sc, struct lex *x)
{
	struct lex_tok t;
	enum status st = need_token(sc, x, &t, "use", "a connection name");

	if (st != ST_OK)
		return st;
	struct session_conn *c = session_conn_find(&sc->s, t.p, t.len);
	if (c == NULL)
		return fail(sc,
		    "use: no connection '%.*s' (declare it with conn)",
		    show(&t), t.p);
	sc->s.cur = c;
	return expect_end(sc, x, "use");
}

static enum status
do_handshake(struct scenario *sc, struct lex *x)
{
	struct lex_tok t;
	bool has_synack = true;

	if (lex_next(x, &t)) {
		if (!lex_tok_is(&t, "nosynack"))
			return fail(sc,
			    "handshake: unexpected '%.*s' (only nosynack)",
			    show(&t), t.p);
		has_synack = false;
	}
	enum status st = expect_end(sc, x, "handshake");
	if (st != ST_OK)
		return st;
	return fail_session(sc, session_handshake(&sc->s, has_synack));
}

static enum status
do_midstream(struct scenario *sc, struct lex *x)
{
	if (sc->s.cur->is_started)
		return fail(sc,
		    "midstream: connection '%s' has already sent packets",
		    sc->s.cur->name);
	sc->s.cur->is_started = true;
	return expect_end(sc, x, "midstream");
}

static enum status
do_syn(struct scenario *sc, struct lex *x)
{
	enum status st = expect_end(sc, x, "syn");

	if (st != ST_OK)
		return st;
	return fail_session(sc, session_syn(&sc->s, NULL, 0));
}

/* syn-data TEXT: like C~, the text runs to the end of the line */
static enum status
do_syn_data(struct scenario *sc, struct lex *x)
{
	if (x->left == 0 || x->p[0] != ' ')
		return fail(sc, "syn-data: expected a space and the data");
	dbuf_reset(&sc->text);
	enum status st =
	    unescape(sc, x->p + 1, x->left - 1, &sc->text, "syn-data");
	if (st != ST_OK)
		return st;
	if (sc->text.len == 0)
		return fail(sc, "syn-data: no data (use syn for a plain SYN)");
	if (sc->text.len > PCAPGEN_PAYLOAD_MAX)
		return fail(
		    sc, "syn-data: more than %u bytes", PCAPGEN_PAYLOAD_MAX);
	return fail_session(sc, session_syn(&sc->s, sc->text.p, sc->text.len));
}

static enum status
do_synack(struct scenario *sc, struct lex *x)
{
	enum status st = expect_end(sc, x, "synack");

	if (st != ST_OK)
		return st;
	return fail_session(sc, session_synack(&sc->s, true));
}

static enum status
do_isn(struct scenario *sc, struct lex *x)
{
	enum dir d = DIR_C2S;
	uint64_t v = 0;
	enum status st = next_dir(sc, x, "isn", &d);

	if (st == ST_OK)
		st = next_number(sc, x, "isn", 0, UINT32_MAX, &v);
	if (st == ST_OK)
		st = expect_end(sc, x, "isn");
	if (st != ST_OK)
		return st;
	sc->s.cur->end[d].isn = (uint32_t)v;
	sc->s.cur->end[d].nxt = (uint32_t)v + 1;
	return ST_OK;
}

static enum status
do_window(struct scenario *sc, struct lex *x)
{
	struct lex_tok t;
	size_t first = 0, last = DIR_COUNT;
	uint64_t v = 0;
	enum status st = need_token(sc, x, &t, "window", "a window size");

	if (st != ST_OK)
		return st;
	if (lex_tok_is(&t, "client") || lex_tok_is(&t, "server")) {
		first = lex_tok_is(&t, "client") ? DIR_C2S : DIR_S2C;
		last = first + 1;
		st = need_token(sc, x, &t, "window", "a window size");
	}
	if (st == ST_OK)
		st = parse_number(sc, &t, "window", 0, UINT16_MAX, &v);
	if (st == ST_OK)
		st = expect_end(sc, x, "window");
	for (size_t d = first; d < last && st == ST_OK; d++)
		sc->s.cur->end[d].window = (uint16_t)v;
	return st;
}

static enum status
do_mss(struct scenario *sc, struct lex *x)
{
	uint64_t v = 0;
	enum status st = next_number(sc, x, "mss", 1, PCAPGEN_PAYLOAD_MAX, &v);

	if (st == ST_OK)
		st = expect_end(sc, x, "mss");
	if (st == ST_OK)
		sc->s.cur->mss = (uint16_t)v;
	return st;
}

static enum status
do_ack(struct scenario *sc, struct lex *x)
{
	enum dir d = DIR_C2S;
	enum status st = next_dir(sc, x, "ack", &d);

	if (st == ST_OK)
		st = expect_end(sc, x, "ack");
	if (st == ST_OK)
		st = fail_session(sc, session_ack(&sc->s, d));
	return st;
}

static enum status
do_fin(struct scenario *sc, struct lex *x)
{
	enum dir d = DIR_C2S;
	enum status st = next_dir(sc, x, "fin", &d);

	if (st == ST_OK)
		st = expect_end(sc, x, "fin");
	if (st == ST_OK)
		st = fail_session(sc, session_fin(&sc->s, d));
	return st;
}

/* rst client|server [+N|-N]: N moves the sequence number off the next one */
static enum status
do_rst(struct scenario *sc, struct lex *x)
{
	enum dir d = DIR_C2S;
	struct lex_tok t;
	uint32_t delta = 0;
	enum status st = next_dir(sc, x, "rst", &d);

	if (st == ST_OK && lex_next(x, &t)) {
		struct lex_tok n = {t.p + 1, t.len - 1};
		uint64_t v = 0;
		if (t.p[0] != '+' && t.p[0] != '-')
			return fail(sc,
			    "rst: expected +N or -N (a distance from the next "
			    "sequence number), not '%.*s'",
			    show(&t), t.p);
		st = parse_number(sc, &n, "rst", 0, INT32_MAX, &v);
		delta = t.p[0] == '+' ? (uint32_t)v : 0u - (uint32_t)v;
	}
	if (st == ST_OK)
		st = expect_end(sc, x, "rst");
	if (st == ST_OK)
		st = fail_session(sc, session_rst(&sc->s, d, delta));
	return st;
}

static enum status
do_close(struct scenario *sc, struct lex *x)
{
	enum status st = expect_end(sc, x, "close");

	if (st != ST_OK)
		return st;
	return fail_session(sc, session_close(&sc->s));
}

static enum status
do_oneway(struct scenario *sc, struct lex *x)
{
	enum dir d = DIR_C2S;
	enum status st = next_dir(sc, x, "oneway", &d);

	if (st == ST_OK)
		st = expect_end(sc, x, "oneway");
	if (st != ST_OK)
		return st;
	/* "oneway client": only what the client sends is seen */
	for (size_t i = 0; i < DIR_COUNT; i++)
		sc->s.cur->end[i].is_hidden = i != d;
	return ST_OK;
}

static enum status
do_twoway(struct scenario *sc, struct lex *x)
{
	for (size_t i = 0; i < DIR_COUNT; i++)
		sc->s.cur->end[i].is_hidden = false;
	return expect_end(sc, x, "twoway");
}

static enum status
do_keepalive(struct scenario *sc, struct lex *x)
{
	enum dir d = DIR_C2S;
	enum status st = next_dir(sc, x, "keepalive", &d);

	if (st == ST_OK)
		st = expect_end(sc, x, "keepalive");
	if (st == ST_OK)
		st = fail_session(sc, session_keepalive(&sc->s, d));
	return st;
}

static enum status
do_zero_window(struct scenario *sc, struct lex *x)
{
	enum dir d = DIR_C2S;
	enum status st = next_dir(sc, x, "zero-window", &d);

	if (st == ST_OK)
		st = expect_end(sc, x, "zero-window");
	if (st == ST_OK)
		st = fail_session(sc, session_zero_window(&sc->s, d));
	return st;
}

/* window-probe client|server BYTE: BYTE is literal text, like C~, that
 * must decode to exactly one byte */
static enum status
do_window_probe(struct scenario *sc, struct lex *x)
{
	enum dir d = DIR_C2S;
	enum status st = next_dir(sc, x, "window-probe", &d);

	if (st != ST_OK)
		return st;
	if (x->left == 0 || x->p[0] != ' ')
		return fail(sc,
		    "window-probe: expected a space and the probe's byte "
		    "(the first byte of the data that will follow)");
	dbuf_reset(&sc->text);
	st = unescape(sc, x->p + 1, x->left - 1, &sc->text, "window-probe");
	if (st != ST_OK)
		return st;
	if (sc->text.len != 1)
		return fail(sc,
		    "window-probe: the probe carries exactly one byte, "
		    "not %zu (write \\x00 for a NUL)",
		    sc->text.len);
	return fail_session(sc, session_window_probe(&sc->s, d, sc->text.p[0]));
}

/* ---- modifiers of the next data directive ---- */

static enum status
parse_list(struct scenario *sc, struct lex *x, const char *what, uint64_t max,
    uint32_t *list, size_t *n)
{
	struct lex_tok t;
	size_t before = *n;

	while (lex_next(x, &t)) {
		uint64_t v = 0;
		enum status st = parse_number(sc, &t, what, 0, max, &v);
		if (st != ST_OK)
			return st;
		if (*n == PCAPGEN_LIST_MAX)
			return fail(sc, "%s: more than %u entries", what,
			    PCAPGEN_LIST_MAX);
		list[(*n)++] = (uint32_t)v;
	}
	if (*n == before)
		return fail(sc, "%s: needs at least one number", what);
	return ST_OK;
}

static enum status
do_split(struct scenario *sc, struct lex *x)
{
	struct session_mods *m = sc->mods;

	if (m->has_split)
		return fail(sc, "split: given twice for the same data");
	m->has_split = true;
	enum status st = parse_list(
	    sc, x, "split", PCAPGEN_DATA_MAX - 1, m->split, &m->nsplit);
	if (st != ST_OK)
		return st;
	for (size_t i = 0; i < m->nsplit; i++)
		if (m->split[i] == 0 ||
		    (i > 0 && m->split[i] <= m->split[i - 1]))
			return fail(sc,
			    "split: offsets must be above 0 and "
			    "strictly increasing");
	return ST_OK;
}

static enum status
do_order(struct scenario *sc, struct lex *x)
{
	struct session_mods *m = sc->mods;

	if (m->has_order)
		return fail(sc, "order: given twice for the same data");
	m->has_order = true;
	return parse_list(
	    sc, x, "order", PCAPGEN_SEG_MAX - 1, m->order, &m->norder);
}

static enum status
do_drop(struct scenario *sc, struct lex *x)
{
	return parse_list(sc, x, "drop", PCAPGEN_SEG_MAX - 1, sc->mods->drop,
	    &sc->mods->ndrop);
}

static enum status
do_dup(struct scenario *sc, struct lex *x)
{
	return parse_list(
	    sc, x, "dup", PCAPGEN_SEG_MAX - 1, sc->mods->dup, &sc->mods->ndup);
}

/* retransmit I ["bytes"] [I ["bytes"]]... */
static enum status
do_retransmit(struct scenario *sc, struct lex *x)
{
	struct session_mods *m = sc->mods;
	struct lex_tok t;
	size_t before = m->nretx;

	while (lex_next(x, &t)) {
		uint64_t v = 0;
		enum status st = parse_number(
		    sc, &t, "retransmit", 0, PCAPGEN_SEG_MAX - 1, &v);
		if (st != ST_OK)
			return st;
		if (m->nretx == PCAPGEN_LIST_MAX)
			return fail(sc, "retransmit: more than %u entries",
			    PCAPGEN_LIST_MAX);
		struct session_retx *r = &m->retx[m->nretx++];
		r->index = (uint32_t)v;
		r->has_bytes = false;
		if (!lex_peek_quote(x))
			continue;
		char msg[PCAPGEN_ERR_MAX];
		r->has_bytes = true;
		r->off = m->bytes.len;
		st = lex_quoted(x, &m->bytes, msg, sizeof msg);
		if (st == ST_BAD)
			return fail(sc, "retransmit: %s", msg);
		if (st != ST_OK)
			return fail_status(sc, st, "retransmit text");
		r->len = m->bytes.len - r->off;
		if (r->len == 0 || r->len > PCAPGEN_PAYLOAD_MAX)
			return fail(sc,
			    "retransmit: replacement text must have "
			    "1..%u bytes",
			    PCAPGEN_PAYLOAD_MAX);
	}
	if (m->nretx == before)
		return fail(sc, "retransmit: needs a segment number");
	return ST_OK;
}

static enum status
do_urgent(struct scenario *sc, struct lex *x)
{
	struct session_mods *m = sc->mods;
	uint64_t v = 0;

	if (m->has_urgent)
		return fail(sc, "urgent: given twice for the same data");
	enum status st = next_number(sc, x, "urgent", 1, UINT16_MAX, &v);
	if (st == ST_OK)
		st = expect_end(sc, x, "urgent");
	if (st != ST_OK)
		return st;
	m->has_urgent = true;
	m->urgent = (uint32_t)v;
	return ST_OK;
}

/* overlap I [at OFF] "TEXT", after the word overlap */
static enum status
parse_overlap(struct scenario *sc, struct lex *x)
{
	struct session_mods *m = sc->mods;
	struct lex_tok t;
	uint64_t index = 0, at = 0;
	char msg[PCAPGEN_ERR_MAX];
	enum status st = next_number(
	    sc, x, "fragment overlap", 0, PCAPGEN_FRAG_OFFSET_MAX / 8, &index);

	if (st != ST_OK)
		return st;
	if (!lex_peek_quote(x)) {
		if (!lex_next(x, &t) || !lex_tok_is(&t, "at"))
			return fail(sc,
			    "fragment overlap: expected \"TEXT\" or "
			    "at OFFSET \"TEXT\" after the fragment number");
		st = next_number(sc, x, "fragment overlap at", 0,
		    PCAPGEN_FRAG_OFFSET_MAX, &at);
		if (st != ST_OK)
			return st;
		if (at % 8 != 0)
			return fail(sc,
			    "fragment overlap at: %" PRIu64
			    " is not a multiple "
			    "of 8 (fragment offsets count 8-byte units)",
			    at);
		if (!lex_peek_quote(x))
			return fail(sc,
			    "fragment overlap: expected \"TEXT\" after at "
			    "%" PRIu64,
			    at);
	}
	if (m->noverlap == PCAPGEN_LIST_MAX)
		return fail(
		    sc, "fragment: more than %u overlaps", PCAPGEN_LIST_MAX);
	struct session_overlap *o = &m->overlap[m->noverlap++];
	o->index = (uint32_t)index;
	o->at = (uint32_t)at;
	o->off = m->bytes.len;
	st = lex_quoted(x, &m->bytes, msg, sizeof msg);
	if (st == ST_BAD)
		return fail(sc, "fragment overlap: %s", msg);
	if (st != ST_OK)
		return fail_status(sc, st, "fragment overlap text");
	o->len = m->bytes.len - o->off;
	if (o->len == 0)
		return fail(sc, "fragment overlap: the text is empty");
	return ST_OK;
}

/* fragment SIZE [order I0 I1 ...] [overlap I [at OFF] "TEXT"]... */
static enum status
do_fragment(struct scenario *sc, struct lex *x)
{
	struct session_mods *m = sc->mods;
	struct lex_tok t;
	uint64_t v = 0;
	bool is_in_order = false;

	if (m->has_frag)
		return fail(sc, "fragment: given twice for the same data");
	enum status st =
	    next_number(sc, x, "fragment", 8, PCAPGEN_FRAG_OFFSET_MAX, &v);
	if (st != ST_OK)
		return st;
	if (v % 8 != 0)
		return fail(sc,
		    "fragment: %" PRIu64 " is not a multiple of 8 (every "
		    "fragment but the last carries a multiple of 8 bytes)",
		    v);
	m->has_frag = true;
	m->frag_size = (uint32_t)v;
	while (lex_next(x, &t)) {
		if (lex_tok_is(&t, "order")) {
			if (m->has_frag_order)
				return fail(sc, "fragment: order given twice");
			m->has_frag_order = true;
			is_in_order = true;
		} else if (lex_tok_is(&t, "overlap")) {
			is_in_order = false;
			st = parse_overlap(sc, x);
		} else if (is_in_order) {
			st = parse_number(sc, &t, "fragment order", 0,
			    PCAPGEN_FRAG_OFFSET_MAX / 8, &v);
			if (st == ST_OK && m->nfrag_order == PCAPGEN_LIST_MAX)
				st = fail(sc,
				    "fragment order: more than %u "
				    "entries",
				    PCAPGEN_LIST_MAX);
			if (st == ST_OK)
				m->frag_order[m->nfrag_order++] = (uint32_t)v;
		} else {
			st = fail(sc,
			    "fragment: unexpected '%.*s' (fragment SIZE "
			    "[order I0 I1 ...] [overlap I [at OFF] \"TEXT\"])",
			    show(&t), t.p);
		}
		if (st != ST_OK)
			return st;
	}
	if (m->has_frag_order && m->nfrag_order == 0)
		return fail(sc, "fragment order: needs at least one number");
	/* a permutation of 0..n-1; n is checked against each segment */
	for (size_t i = 0; i < m->nfrag_order; i++) {
		bool is_ok = m->frag_order[i] < m->nfrag_order;
		for (size_t j = 0; j < i && is_ok; j++)
			is_ok = m->frag_order[j] != m->frag_order[i];
		if (!is_ok)
			return fail(sc,
			    "fragment order is not a permutation of 0..%zu",
			    m->nfrag_order - 1);
	}
	return ST_OK;
}

/* ---- data ---- */

/* C: C~ C* S: S~ S*; x starts at the marker */
static enum status
do_data(struct scenario *sc, struct lex *x)
{
	char side = x->p[0];
	char kind = x->p[1];
	enum dir d = side == 'C' ? DIR_C2S : DIR_S2C;
	const char *rest = x->p + 2;
	size_t rest_len = x->left - 2;
	char what[8] = {side, kind, ' ', 'd', 'a', 't', 'a', '\0'};
	enum status st;

	if (sc->s.cur == NULL)
		return fail(
		    sc, "%s: no connection (declare one with conn)", what);
	dbuf_reset(&sc->text);
	if (kind == '*') {
		/* C* COUNT TEXT: blanks, a count, one space, the text */
		struct lex y;
		struct lex_tok t;
		uint64_t count = 0;
		lex_init(&y, rest, rest_len);
		if (y.left == 0 || !is_blank(y.p[0]))
			return fail(sc, "%s: expected a byte count", what);
		lex_skip_blank(&y);
		t.p = y.p;
		t.len = 0;
		while (t.len < y.left && !is_blank(y.p[t.len]))
			t.len++;
		st = parse_number(sc, &t, what, 1, PCAPGEN_DATA_MAX, &count);
		if (st != ST_OK)
			return st;
		if (t.len == y.left || y.p[t.len] != ' ')
			return fail(sc,
			    "%s: expected a space and the text to "
			    "repeat after the count",
			    what);
		dbuf_reset(&sc->pattern);
		st = unescape(sc, y.p + t.len + 1, y.left - t.len - 1,
		    &sc->pattern, what);
		if (st != ST_OK)
			return st;
		if (sc->pattern.len == 0)
			return fail(sc, "%s: no text to repeat", what);
		while (sc->text.len < count && st == ST_OK) {
			size_t n = (size_t)count - sc->text.len;
			st = dbuf_add(&sc->text, sc->pattern.p,
			    n < sc->pattern.len ? n : sc->pattern.len);
		}
		if (st != ST_OK)
			return fail_status(sc, st, "data");
	} else {
		/* the text starts after exactly one space */
		if (rest_len > 0 && rest[0] != ' ')
			return fail(sc,
			    "%c%c: expected one space, then the text", side,
			    kind);
		if (rest_len > 0) {
			rest++;
			rest_len--;
		}
		st = unescape(sc, rest, rest_len, &sc->text, what);
		if (st == ST_OK && kind == ':')
			st = fail_status(
			    sc, dbuf_add(&sc->text, "\r\n", 2), "data");
		if (st != ST_OK)
			return st;
	}
	if (sc->text.len == 0)
		return fail(sc, "%s: no data to send", what);
	st = fail_session(
	    sc, session_data(&sc->s, d, sc->text.p, sc->text.len, sc->mods));
	session_mods_clear(sc->mods);
	sc->mods_line = 0;
	return st;
}

static const struct directive directives[] = {
    {"format", SCOPE_FILE, do_format},
    {"link", SCOPE_FILE, do_link},
    {"snaplen", SCOPE_FILE, do_snaplen},
    {"start", SCOPE_FILE, do_start},
    {"vlan", SCOPE_FILE, do_vlan},
    {"truncate-file", SCOPE_ONCE, do_truncate},
    {"step", SCOPE_ANY, do_step},
    {"wait", SCOPE_ANY, do_wait},
    {"conn", SCOPE_ANY, do_conn},
    {"use", SCOPE_ANY, do_use},
    {"handshake", SCOPE_CONN, do_handshake},
    {"midstream", SCOPE_CONN, do_midstream},
    {"syn", SCOPE_CONN, do_syn},
    {"syn-data", SCOPE_CONN, do_syn_data},
    {"synack", SCOPE_CONN, do_synack},
    {"isn", SCOPE_CONN, do_isn},
    {"window", SCOPE_CONN, do_window},
    {"mss", SCOPE_CONN, do_mss},
    {"ack", SCOPE_CONN, do_ack},
    {"fin", SCOPE_CONN, do_fin},
    {"rst", SCOPE_CONN, do_rst},
    {"close", SCOPE_CONN, do_close},
    {"oneway", SCOPE_CONN, do_oneway},
    {"twoway", SCOPE_CONN, do_twoway},
    {"keepalive", SCOPE_CONN, do_keepalive},
    {"zero-window", SCOPE_CONN, do_zero_window},
    {"window-probe", SCOPE_CONN, do_window_probe},
    {"split", SCOPE_MOD, do_split},
    {"order", SCOPE_MOD, do_order},
    {"drop", SCOPE_MOD, do_drop},
    {"retransmit", SCOPE_MOD, do_retransmit},
    {"dup", SCOPE_MOD, do_dup},
    {"urgent", SCOPE_MOD, do_urgent},
    {"fragment", SCOPE_MOD, do_fragment},
};
static_assert(
    sizeof(directives) / sizeof(directives[0]) <= SCENARIO_DIRECTIVE_MAX,
    "raise SCENARIO_DIRECTIVE_MAX");

static bool
is_data_marker(const struct lex *x)
{
	return x->left >= 2 && (x->p[0] == 'C' || x->p[0] == 'S') &&
	    (x->p[1] == ':' || x->p[1] == '~' || x->p[1] == '*');
}

static enum status
run_line(struct scenario *sc, const char *p, size_t len)
{
	struct lex x;
	struct lex_tok t;

	lex_init(&x, p, len);
	if (lex_at_end(&x))
		return ST_OK; /* blank or comment */
	if (is_data_marker(&x))
		return do_data(sc, &x);
	lex_next(&x, &t);

	size_t i = 0;
	size_t n = sizeof directives / sizeof directives[0];
	while (i < n && !lex_tok_is(&t, directives[i].name))
		i++;
	if (i == n)
		return fail(sc, "unknown directive '%.*s'", show(&t), t.p);
	const struct directive *dv = &directives[i];

	if (sc->mods_line != 0 && dv->scope != SCOPE_MOD)
		return fail(sc,
		    "%s (line %zu) must be followed by a data "
		    "directive (C: S: C~ S~ C* S*), not %s",
		    sc->mods_name, sc->mods_line, dv->name);
	switch (dv->scope) {
	case SCOPE_FILE:
	case SCOPE_ONCE:
		if (dv->scope == SCOPE_FILE && sc->is_locked)
			return fail(
			    sc, "%s must come before the first conn", dv->name);
		if (sc->seen_line[i] != 0)
			return fail(sc, "%s given twice (first at line %zu)",
			    dv->name, sc->seen_line[i]);
		sc->seen_line[i] = sc->line;
		break;
	case SCOPE_CONN:
	case SCOPE_MOD:
		if (sc->s.cur == NULL)
			return fail(sc,
			    "%s: no connection (declare one with conn)",
			    dv->name);
		break;
	case SCOPE_ANY:
		break;
	}
	enum status st = dv->run(sc, &x);
	if (st == ST_OK && dv->scope == SCOPE_MOD && sc->mods_line == 0) {
		sc->mods_line = sc->line;
		sc->mods_name = dv->name;
	}
	return st;
}

/* Read one line (without its LF) into buf, which holds PCAPGEN_LINE_MAX
 * bytes.  *is_last is set at end of file; a last line without LF counts. */
static enum status
read_line(struct scenario *sc, FILE *f, char *buf, size_t *len, bool *is_last)
{
	size_t n = 0;

	*is_last = false;
	for (;;) {
		int ch = getc(f);
		if (ch == EOF) {
			if (ferror(f))
				return fail(
				    sc, "read error: %s", strerror(errno));
			*is_last = true;
			break;
		}
		if (ch == '\n')
			break;
		if (ch == '\0')
			return fail(
			    sc, "NUL byte in the scenario (write \\x00)");
		if (n == PCAPGEN_LINE_MAX)
			return fail(
			    sc, "line longer than %u bytes", PCAPGEN_LINE_MAX);
		buf[n++] = (char)ch;
	}
	/* scenario files written on Windows: CRLF counts as LF */
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	*len = n;
	return ST_OK;
}

static enum status
run_file(struct scenario *sc, FILE *f, struct dbuf *out)
{
	enum status st = ST_OK;
	char *line = malloc(PCAPGEN_LINE_MAX);

	if (line == NULL)
		return fail_status(sc, ST_NOMEM, "line");
	for (bool is_last = false; !is_last && st == ST_OK;) {
		size_t len = 0;
		sc->line++;
		st = read_line(sc, f, line, &len, &is_last);
		if (st == ST_OK)
			st = run_line(sc, line, len);
	}
	free(line);
	if (st != ST_OK)
		return st;

	sc->line = 0; /* from here, errors are about the whole file */
	if (sc->mods_line != 0) {
		sc->line = sc->mods_line;
		return fail(sc, "%s is not followed by a data directive",
		    sc->mods_name);
	}
	lock_file_level(sc);
	st = capfile_render(&sc->s.cf, out);
	if (st != ST_OK)
		return fail_status(sc, st, "the capture file");
	if (sc->has_truncate) {
		if (sc->truncate_n > out->len) {
			sc->line = sc->truncate_line;
			return fail(sc,
			    "truncate-file: %" PRIu64 " bytes is "
			    "more than the whole file (%zu bytes)",
			    sc->truncate_n, out->len);
		}
		out->len -= (size_t)sc->truncate_n;
	}
	return ST_OK;
}

enum status
scenario_run(const char *path, struct dbuf *out, char *err, size_t errlen)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct scenario *sc = calloc(1, sizeof *sc);
	struct session_mods *mods = calloc(1, sizeof *mods);
	FILE *f = NULL;
	enum status st;

	if (sc == NULL || mods == NULL) {
		snprintf(err, errlen, "out of memory");
		free(sc);
		free(mods);
		return ST_NOMEM;
	}
	sc->path = is_stdin ? "<stdin>" : path;
	sc->mods = mods;
	session_mods_init(sc->mods);
	dbuf_init(&sc->text, PCAPGEN_DATA_MAX);
	dbuf_init(&sc->pattern, PCAPGEN_LINE_MAX);
	st = session_init(&sc->s);
	if (st != ST_OK) {
		snprintf(sc->err, sizeof sc->err, "%s", sc->s.err);
		goto out;
	}
	f = is_stdin ? stdin : fopen(path, "r");
	if (f == NULL) {
		st = fail(sc, "cannot open: %s", strerror(errno));
		goto out;
	}
	st = run_file(sc, f, out);
out:
	if (st != ST_OK) {
		if (sc->err_line > 0)
			snprintf(err, errlen, "%s:%zu: %s", sc->path,
			    sc->err_line, sc->err);
		else
			snprintf(err, errlen, "%s: %s", sc->path, sc->err);
	}
	if (f != NULL && !is_stdin)
		fclose(f);
	session_free(&sc->s);
	session_mods_clear(sc->mods);
	dbuf_free(&sc->text);
	dbuf_free(&sc->pattern);
	free(sc->mods);
	free(sc);
	return st;
}
