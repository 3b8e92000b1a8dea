/* main.c: wiring and exit codes, nothing else.  The only file that may
 * exit().  Reads the inputs in order into one engine, sends its events to
 * the report and the chosen output format, and maps what happened to the
 * exit status documented in --help. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "capture/capture.h"
#include "cli.h"
#include "limits.h"
#include "plainsight/plainsight.h"
#include "probe/probe.h"
#include "report/report.h"
#include "report/sink.h"
#include "util/log.h"

#define EXIT_CLEAN 0
#define EXIT_FOUND 1
#define EXIT_TROUBLE 2

/* Largest key file accepted: a key, not a document. */
#define ACCOUNT_KEY_MAX 4096

struct run {
	struct report *report;
	const struct sink_ops *sink;
	FILE *out;
	struct stats report_stats;	/* counters of the report itself */
};

static void
on_event(const struct event *ev, void *arg)
{
	struct run *run = arg;

	report_add(run->report, ev, &run->report_stats);
	if (ev->type == EVENT_LOGIN)
		run->sink->login(run->out, &ev->u.login);
}

/* The key is secret too: read into a bounded buffer, wiped by caller. */
static bool
read_key(const char *path, uint8_t *key, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		log_error("--account-key %s: %s", path, strerror(errno));
		return false;
	}
	n = fread(key, 1, ACCOUNT_KEY_MAX, f);
	bool is_too_big = n == ACCOUNT_KEY_MAX && fgetc(f) != EOF;
	bool is_error = ferror(f);

	fclose(f);
	if (is_error || n == 0 || is_too_big) {
		log_error("--account-key %s: %s", path,
		    is_error ? "read error"
			     : n == 0 ? "the file is empty (a key needs at "
					"least one byte; 32 random bytes are "
					"best)"
				      : "larger than 4096 bytes; is it really "
					"a key?");
		return false;
	}
	*len = n;
	return true;
}

/* Read one input into the engine; false if it could not be read. */
static bool
read_input(struct plainsight *ps, const char *path, const char *filter)
{
	char err[CAPTURE_ERR_MAX];
	struct capture *c;
	struct plainsight_pkt pkt;
	uint8_t *data;
	bool is_ok = true;

	if (capture_open_file(path, filter, &c, err) != ST_OK) {
		log_error("%s: %s", path, err);
		return false;
	}
	log_info("reading %s", path);
	for (;;) {
		enum capture_result r = capture_next(c, &pkt, &data);

		if (r == CAPTURE_PACKET) {
			plainsight_packet(ps, capture_dlt(c), &pkt, data);
			continue;
		}
		if (r == CAPTURE_TRUNCATED) {
			log_warn("%s: the capture is cut short after packet "
				 "%llu (%s); everything before it was read",
			    path, (unsigned long long)capture_count(c),
			    capture_error(c));
		} else if (r == CAPTURE_ERROR) {
			log_error("%s: cannot read packet %llu: %s; the "
				  "packets before it were read",
			    path, (unsigned long long)capture_count(c) + 1,
			    capture_error(c));
			is_ok = false;
		}
		break;
	}
	log_info("%s: %llu packets", path,
	    (unsigned long long)capture_count(c));
	capture_close(c);
	return is_ok;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "probe") == 0)
		return probe_main(argc - 1, argv + 1);
	struct cli cli;
	char err[CLI_ERR_MAX];
	struct run run;
	struct plainsight *ps = NULL;
	uint8_t key[ACCOUNT_KEY_MAX];
	size_t key_len = 0;
	int status = EXIT_TROUBLE;
	bool had_error = false;

	memset(&run, 0, sizeof(run));
	switch (cli_parse(argc, argv, &cli, err)) {
	case CLI_HELP:
		cli_usage(stdout);
		return EXIT_CLEAN;
	case CLI_VERSION:
		printf("plainsight %s\n", PLAINSIGHT_VERSION);
		return EXIT_CLEAN;
	case CLI_ERROR:
		fprintf(stderr, "plainsight: %s\n"
				"Try 'plainsight --help' for more.\n",
		    err);
		cli_free(&cli);
		return EXIT_TROUBLE;
	case CLI_RUN:
		break;
	}
	log_set_verbosity(cli.verbosity >= 2 ? LOG_DEBUG
			  : cli.verbosity == 1 ? LOG_INFO
					       : LOG_WARN);
	if (cli.filter != NULL) {
		char ferr[CAPTURE_ERR_MAX];

		if (!capture_check_filter(cli.filter, ferr)) {
			fprintf(stderr,
			    "plainsight: filter expression '%s': %s\n",
			    cli.filter, ferr);
			goto out;
		}
	}
	if (cli.account_key_file != NULL) {
		if (!read_key(cli.account_key_file, key, &key_len))
			goto out;
		cli.engine.account_key = key;
		cli.engine.account_key_len = key_len;
	}
	run.sink = sink_ops_for(cli.format);
	run.out = stdout;
	if (cli.output != NULL) {
		run.out = fopen(cli.output, "w");
		if (run.out == NULL) {
			fprintf(stderr, "plainsight: -w %s: %s\n", cli.output,
			    strerror(errno));
			goto out;
		}
	}
	run.report = report_new();
	cli.engine.on_event = on_event;
	cli.engine.on_event_arg = &run;
	if (run.report == NULL ||
	    plainsight_new(&cli.engine, &ps) != ST_OK) {
		fprintf(stderr, "plainsight: out of memory for the limits "
				"given (--max-flows, --max-buffer)\n");
		goto out;
	}
	OPENSSL_cleanse(key, sizeof(key));	/* the engine has its copy */

	for (size_t i = 0; i < cli.n_files; i++)
		if (!read_input(ps, cli.files[i], cli.filter))
			had_error = true;
	plainsight_finish(ps);

	struct stats all = *plainsight_stats(ps);

	all.v[STAT_CAP_REPORT_ROWS] += run.report_stats.v[STAT_CAP_REPORT_ROWS];
	report_sort(run.report);
	run.sink->end(run.out, run.report, &all);
	if (fflush(run.out) != 0 || ferror(run.out)) {
		fprintf(stderr, "plainsight: writing the report to %s: %s\n",
		    cli.output ? cli.output : "standard output",
		    strerror(errno));
		had_error = true;
	}
	if (had_error)
		status = EXIT_TROUBLE;
	else
		status = report_logins(run.report) > 0 ? EXIT_FOUND
						       : EXIT_CLEAN;
out:
	OPENSSL_cleanse(key, sizeof(key));
	plainsight_free(ps);
	report_free(run.report);
	if (run.out != NULL && run.out != stdout)
		fclose(run.out);
	cli_free(&cli);
	return status;
}
