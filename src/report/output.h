/* output.h: where the report goes.
 *
 * Owns the destination: standard output or the -w file (reopened on
 * SIGHUP for log rotation), the chosen format, the copy of each login
 * event sent to syslog (--syslog, JSON payload), and the I/O errors of
 * all of them.  Formats themselves are in text.c, json.c, csv.c.
 */
#ifndef PLAINSIGHT_OUTPUT_H
#define PLAINSIGHT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"
#include "report/sink.h"

#define OUTPUT_ERR_MAX 256

struct output {
	const struct sink_ops *sink;
	FILE *out;
	const char *path;	/* NULL: standard output */
	bool is_syslog;
	struct sink_run run;	/* is_live, the time and kernel counters */
};

/* output_open(): open path for writing (NULL: standard output). */
__attribute__((warn_unused_result)) enum status
output_open(struct output *o, const char *path, enum sink_format format,
    bool is_live, bool is_syslog, char err[OUTPUT_ERR_MAX]);

/* output_login(): one settled login event (streamed live). */
void output_login(struct output *o, const struct event_login *l,
    bool is_allowed);

/* output_report(): the report (sorted here) with the stats. */
void output_report(struct output *o, struct report *r,
    const struct stats *stats);

/* output_reopen(): reopen the -w file (after rotation): the new file is
 * opened before the old one is closed; on failure the old one stays. */
__attribute__((warn_unused_result)) enum status
output_reopen(struct output *o, char err[OUTPUT_ERR_MAX]);

/* output_close(): flush and close; ST_IO if anything failed to be
 * written, at any time. */
__attribute__((warn_unused_result)) enum status
output_close(struct output *o, char err[OUTPUT_ERR_MAX]);

#endif
