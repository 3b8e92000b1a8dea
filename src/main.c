/* main.c: wiring and exit codes, nothing else.  The only file that may
 * exit().  Parses the command line, loads the key, the allow list and the
 * baseline, opens the output, runs the input through the engine
 * (run.c), and maps what happened to the exit status documented in
 * --help. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "capture/capture.h"
#include "cli.h"
#include "plainsight/plainsight.h"
#include "report/allow.h"
#include "report/baseline.h"
#include "report/output.h"
#include "probe/probe.h"
#include "report/report.h"
#include "run.h"
#include "util/log.h"

#define EXIT_CLEAN 0
#define EXIT_FOUND 1
#define EXIT_TROUBLE 2

/* Largest key file accepted: a key, not a document. */
#define ACCOUNT_KEY_MAX 4096

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

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "probe") == 0)
		return probe_main(argc - 1, argv + 1);
	struct cli cli;
	char err[CLI_ERR_MAX];
	struct run run;
	struct output out;
	struct allow *allow = NULL;
	struct baseline *baseline = NULL;
	uint8_t key[ACCOUNT_KEY_MAX];
	size_t key_len = 0;
	int status = EXIT_TROUBLE;

	memset(&run, 0, sizeof(run));
	memset(&out, 0, sizeof(out));
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
			log_error("filter expression '%s': %s", cli.filter,
			    ferr);
			goto out;
		}
	}
	if (cli.account_key_file != NULL) {
		if (!read_key(cli.account_key_file, key, &key_len))
			goto out;
		cli.engine.account_key = key;
		cli.engine.account_key_len = key_len;
	}
	if (cli.allow_file != NULL) {
		char aerr[ALLOW_ERR_MAX];

		if (allow_load(cli.allow_file, &allow, aerr) != ST_OK) {
			log_error("--allow %s: %s", cli.allow_file, aerr);
			goto out;
		}
	}
	if (cli.baseline_file != NULL) {
		char berr[BASELINE_ERR_MAX];

		if (baseline_load(cli.baseline_file, &baseline, berr) !=
		    ST_OK) {
			log_error("--baseline %s: %s", cli.baseline_file,
			    berr);
			goto out;
		}
	}
	{
		char oerr[OUTPUT_ERR_MAX];

		if (output_open(&out, cli.output, cli.format,
			cli.iface != NULL, cli.is_syslog, oerr) != ST_OK) {
			log_error("%s", oerr);
			goto out;
		}
	}
	run.out = &out;
	run.report = report_new();
	cli.engine.on_event = run_event;
	cli.engine.on_event_arg = &run;
	if (run.report == NULL ||
	    plainsight_new(&cli.engine, &run.ps) != ST_OK) {
		log_error("out of memory for the limits given (--max-flows, "
			  "--max-buffer)");
		goto out;
	}
	OPENSSL_cleanse(key, sizeof(key));	/* the engine has its copy */
	if (cli.iface == NULL && cli.threads == 2) {
		run.pipeline = pipeline_new();
		if (run.pipeline == NULL)
			log_info("no memory for a second thread: reading "
				 "on one");
	}
	report_set_allow(run.report, allow);
	report_set_baseline(run.report, baseline);

	if (cli.iface != NULL) {
		if (run_live(&run, &cli) != ST_OK)
			goto out;
	} else if (!run_files(&run, &cli)) {
		run.had_input_error = true;
	}
	{
		char oerr[OUTPUT_ERR_MAX];

		if (output_close(&out, oerr) != ST_OK) {
			log_error("%s", oerr);
			run.had_input_error = true;
		}
	}
	if (run.had_input_error)
		status = EXIT_TROUBLE;
	else
		status = report_findings(run.report, cli.is_fail_on_accepted) > 0
		    ? EXIT_FOUND
		    : EXIT_CLEAN;
out:
	OPENSSL_cleanse(key, sizeof(key));
	{
		/* still open only on a failure path (closing twice is a
		 * no-op: output_close() forgets the file) */
		char oerr[OUTPUT_ERR_MAX];

		if (output_close(&out, oerr) != ST_OK)
			log_error("%s", oerr);
	}
	pipeline_free(run.pipeline);
	plainsight_free(run.ps);
	report_free(run.report);
	allow_free(allow);
	baseline_free(baseline);
	cli_free(&cli);
	return status;
}
