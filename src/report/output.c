/* output.c: the report's destination (see output.h). */
#include "report/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

/* Big buffers: output is buffered, flushed per line only when live. */
#define OUTPUT_BUFFER (64u * 1024u)

/* glibc ignores the size given to setvbuf() without a buffer, and
 * writes a page at a time: this one lives as long as the process (the
 * report is written until exit; standard output is flushed at exit). */
static char output_buf[OUTPUT_BUFFER];

static FILE *
open_file(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f != NULL)
		setvbuf(f, output_buf, _IOFBF, sizeof(output_buf));
	return f;
}

enum status
output_open(struct output *o, const char *path, enum sink_format format,
    bool is_live, bool is_syslog, char err[OUTPUT_ERR_MAX])
{
	memset(o, 0, sizeof(*o));
	o->sink = sink_ops_for(format);
	o->path = path;
	o->is_syslog = is_syslog;
	o->run.is_live = is_live;
	if (path == NULL) {
		o->out = stdout;
		setvbuf(stdout, output_buf, _IOFBF, sizeof(output_buf));
	} else {
		o->out = open_file(path);
		if (o->out == NULL) {
			snprintf(err, OUTPUT_ERR_MAX, "-w %s: %s", path,
			    strerror(errno));
			return ST_IO;
		}
	}
	if (is_syslog)
		openlog("plainsight", LOG_PID, LOG_DAEMON);
	return ST_OK;
}

/* The login as one JSON line, for syslog. */
static void
syslog_login(const struct event_login *l, bool is_allowed)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	struct sink_run offline = {0};

	if (m == NULL)
		return;
	sink_json_ops.login(m, l, is_allowed, &offline);
	if (fclose(m) == 0 && len > 0) {
		line[len - 1] = '\0';	/* the newline */
		syslog(LOG_NOTICE, "%s", line);
	}
	free(line);
}

void
output_login(struct output *o, const struct event_login *l, bool is_allowed)
{
	o->sink->login(o->out, l, is_allowed, &o->run);
	if (o->is_syslog)
		syslog_login(l, is_allowed);
}

void
output_report(struct output *o, struct report *r, const struct stats *stats)
{
	report_sort(r);
	o->sink->end(o->out, r, stats, &o->run);
}

enum status
output_reopen(struct output *o, char err[OUTPUT_ERR_MAX])
{
	if (o->path == NULL)
		return ST_OK;	/* standard output is not rotated */
	/* flushed first: the new file takes over the same buffer */
	bool is_bad = fflush(o->out) != 0 || ferror(o->out);
	FILE *f = open_file(o->path);

	if (f == NULL) {
		snprintf(err, OUTPUT_ERR_MAX,
		    "-w %s: cannot reopen (%s); still writing to the old file",
		    o->path, strerror(errno));
		return ST_IO;
	}
	fclose(o->out);
	o->out = f;
	if (is_bad) {
		snprintf(err, OUTPUT_ERR_MAX, "-w %s: writing the old file "
		    "failed before the reopen", o->path);
		return ST_IO;
	}
	return ST_OK;
}

enum status
output_close(struct output *o, char err[OUTPUT_ERR_MAX])
{
	enum status st = ST_OK;

	if (o->out == NULL)
		return ST_OK;
	if (fflush(o->out) != 0 || ferror(o->out))
		st = ST_IO;
	if (o->out != stdout && fclose(o->out) != 0)
		st = ST_IO;
	if (st != ST_OK)
		snprintf(err, OUTPUT_ERR_MAX, "writing the report to %s: %s",
		    o->path ? o->path : "standard output", strerror(errno));
	if (o->is_syslog)
		closelog();
	o->out = NULL;
	return st;
}
