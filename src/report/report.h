/* report.h: what a run found, summed up from the events.
 *
 * Owns: one row per offender (proto, client, server, server port) and one
 * per server (proto, server, port), built only from redacted events, and
 * their deterministic order for output.  Rows are capped at
 * REPORT_ROWS_MAX (cap_report_rows counts what is not kept).
 */
#ifndef PLAINSIGHT_REPORT_H
#define PLAINSIGHT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "plainsight/plainsight.h"
#include "report/allow.h"
#include "report/baseline.h"

/* How a row compares with the baseline (--baseline). */
enum report_mark {
	MARK_NONE,		/* no baseline */
	MARK_NEW,		/* not in the baseline */
	MARK_STILL,		/* offender in both */
	MARK_GONE,		/* in the baseline only */
	MARK_SAME,		/* server in both, same posture */
	MARK_CHANGED,		/* server in both, posture changed */
	MARK_COUNT
};

struct report_offender {
	enum proto proto;
	struct endpoint client;	/* port 0: rows are per client address */
	struct endpoint server;
	uint64_t attempts;
	uint64_t accepted;
	uint64_t rejected;
	uint64_t unknown;
	uint32_t mechs;		/* bit (1u << enum mech) */
	uint32_t exposures;	/* bit (1u << enum exposure) */
	struct event_time first_seen;
	struct event_time last_seen;
	size_t n_software;
	char software[REPORT_SOFTWARE_MAX][EVENT_SOFTWARE_MAX + 1];
	bool is_allowed;	/* client in the --allow list */
	uint8_t mark;		/* enum report_mark */
	/* its server's row + 1, 0 if not known yet; report_sort() moves
	 * rows, and clears it */
	uint32_t srv_row;
};

struct report_server {
	enum proto proto;
	struct endpoint server;
	uint64_t cap_lists;	/* capability listings seen (before TLS) */
	uint64_t cap_starttls;	/* ... offering STARTTLS / STLS */
	uint64_t cap_disabled;	/* ... with LOGINDISABLED (IMAP) */
	uint64_t cap_user;	/* ... offering USER (POP3) */
	uint64_t cap_cleartext_sasl;	/* ... offering PLAIN or LOGIN */
	uint32_t sasl_offered;	/* bit (1u << enum sasl_mech), all lists */
	uint64_t attempts;
	uint64_t accepted;
	uint64_t rejected;
	uint64_t unknown;
	bool is_seen;		/* this run saw it (not only the baseline) */
	uint8_t mark;		/* enum report_mark */
	/* the baseline's posture, when mark is MARK_CHANGED or GONE */
	enum tri was_starttls;
	enum tri was_disabled;
	bool was_accepted;
};

struct report;

struct report *report_new(void);
void report_free(struct report *r);

/* report_set_allow(): mark the rows of these clients allowed (the list
 * must outlive the report). */
void report_set_allow(struct report *r, const struct allow *a);

/* report_set_baseline(): compare with an earlier report (must outlive the
 * report). */
void report_set_baseline(struct report *r, const struct baseline *b);

/* report_is_allowed(): whether a client is in the --allow list. */
bool report_is_allowed(const struct report *r, const struct endpoint *client);

/* report_has_allow(), report_has_baseline(): whether those are in use. */
bool report_has_allow(const struct report *r);
bool report_has_baseline(const struct report *r);

/* report_add(): account for one event. */
void report_add(struct report *r, const struct event *ev, struct stats *stats);

/* report_sort(): put rows in output order (by address, then port, then
 * protocol), with the baseline's comparison; call before reading rows.
 * Adding events after it is fine: the next call sorts again. */
void report_sort(struct report *r);

/* report_findings(): attempts from clients not allowed; with
 * is_accepted_only, only those a server accepted (--fail-on). */
uint64_t report_findings(const struct report *r, bool is_accepted_only);

const char *report_mark_name(enum report_mark m);

size_t report_offenders(const struct report *r,
    const struct report_offender **rows);
size_t report_servers(const struct report *r,
    const struct report_server **rows);

/* report_logins(): login attempts seen, all classes. */
uint64_t report_logins(const struct report *r);

/* Tri-state posture of a server, as docs/output.md defines it. */
enum tri report_starttls_offered(const struct report_server *s);
enum tri report_login_disabled(const struct report_server *s);
enum tri report_user_offered(const struct report_server *s);

/* report_same_host(): same address family and bytes (ports ignored). */
bool report_same_host(const struct endpoint *a, const struct endpoint *b);

/* Room for an address as text with its NUL: IPv4, and either family
 * (INET6_ADDRSTRLEN). */
#define REPORT_ADDR_V4_MAX 16
#define REPORT_ADDR_MAX 46

/* report_addr(): an address as text, byte for byte as glibc's inet_ntop
 * writes it (RFC 5952 compression, lower case, ::a.b.c.d and
 * ::ffff:a.b.c.d for compatible and mapped IPv4); buf >= REPORT_ADDR_MAX
 * bytes.  report_addr_text(): the same, returning the length. */
const char *report_addr(const struct endpoint *e, char *buf, size_t size);
size_t report_addr_text(const struct endpoint *e, char *buf, size_t size);

/* report_digit_pairs: "00", "01", ... "99" (without NULs), for writers
 * of decimal numbers: two digits per division. */
extern const char report_digit_pairs[201];

/* Room for a time as text with its NUL. */
#define REPORT_TIME_MAX 28

/* report_time(): RFC 3339 UTC with microseconds ("...T10:00:00.000000Z"),
 * or without them and with a space ("2026-01-01 10:00:00") if is_short;
 * "?" for a year outside 0000-9999.  buf >= REPORT_TIME_MAX bytes.
 * report_time_text(): the same, returning the length. */
const char *report_time(struct event_time t, bool is_short, char *buf,
    size_t size);
size_t report_time_text(struct event_time t, bool is_short, char *buf,
    size_t size);

#endif
