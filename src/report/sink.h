/* sink.h: the output formats behind one small table of functions.
 *
 * A sink writes login events as they come (JSON Lines; nothing for text
 * and CSV offline) and the end-of-run report.  Every format is specified
 * byte for byte in docs/output.md.  Sinks only ever see redacted events
 * and report rows.
 */
#ifndef PLAINSIGHT_SINK_H
#define PLAINSIGHT_SINK_H

#include <stdio.h>

#include "plainsight/plainsight.h"
#include "report/report.h"

enum sink_format {
	SINK_TEXT,
	SINK_JSON,
	SINK_CSV,
	SINK_FORMAT_COUNT
};

/* What the formats need to know of the run besides the report. */
struct sink_run {
	bool is_live;		/* reading an interface, not files */
	struct event_time now;	/* live: when this report is written */
	bool has_capture_stats;	/* live: the kernel's counters below */
	uint64_t received;	/* pcap_stats: packets the filter passed */
	uint64_t dropped;	/* ... dropped for lack of buffer space */
	uint64_t ifdropped;	/* ... dropped by the interface */
};

struct sink_ops {
	/* one settled login attempt (streamed as it comes) */
	void (*login)(FILE *out, const struct event_login *l, bool is_allowed,
	    const struct sink_run *run);
	/* the report: offenders, servers, stats */
	void (*end)(FILE *out, const struct report *r,
	    const struct stats *stats, const struct sink_run *run);
};

extern const struct sink_ops sink_text_ops;
extern const struct sink_ops sink_json_ops;
extern const struct sink_ops sink_csv_ops;

/* sink_ops_for(): the functions of a format. */
const struct sink_ops *sink_ops_for(enum sink_format f);

/* sink_format_parse(): "text", "json" or "csv"; false otherwise. */
bool sink_format_parse(const char *name, enum sink_format *out);

/* The longest name of the output vocabulary (event.c's names,
 * report_mark_name()), which json.c copies without a strlen(); checked
 * by test_report_names_need_no_escape. */
#define SINK_NAME_MAX 32

/* Helpers shared by the formats. */
void sink_json_string(FILE *out, const char *s);
void sink_mechanisms(const uint32_t mechs, const char **names, size_t *n);
void sink_exposures(const uint32_t exposures, const char **names, size_t *n);
void sink_sasl_names(const uint32_t sasl, const char **names, size_t *n);

#endif
