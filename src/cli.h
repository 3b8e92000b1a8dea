/* cli.h: the command line, parsed into struct cli.
 *
 * Owns argument parsing and the --help text (docs/usage.md says the same
 * in more words).  Parsing never exits: it returns CLI_HELP, CLI_VERSION
 * or CLI_ERROR (with a message) and main.c decides.
 */
#ifndef PLAINSIGHT_CLI_H
#define PLAINSIGHT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plainsight/plainsight.h"
#include "report/sink.h"

#define CLI_FILES_MAX 1024
#define CLI_ERR_MAX 256
#define CLI_SNAPLEN_DEFAULT 262144	/* tcpdump's: never cuts a command */
#define CLI_BUFFER_MIB_DEFAULT 32	/* a busy span port's bursts */

struct cli {
	const char *files[CLI_FILES_MAX];	/* -r, in order */
	size_t n_files;
	const char *iface;	/* -i: live capture instead of files */
	int snaplen;		/* -s */
	int buffer_mib;		/* -B */
	bool is_promisc;	/* not -p */
	const char *user;	/* -Z: drop root for this user */
	bool is_syslog;		/* --syslog */
	unsigned report_interval;	/* --report-interval, seconds; 0: none */
	const char *allow_file;	/* --allow */
	const char *baseline_file;	/* --baseline */
	bool is_fail_on_accepted;	/* --fail-on accepted */
	const char *output;	/* -w, or NULL for standard output */
	enum sink_format format;
	const char *account_key_file;
	char *filter;		/* the BPF expression, or NULL (owned) */
	int verbosity;		/* -v count */
	unsigned threads;	/* --threads, 1 or 2; 0: not given (1) */
	struct plainsight_config engine;
};

enum cli_result {
	CLI_RUN,
	CLI_HELP,
	CLI_VERSION,
	CLI_ERROR
};

/* cli_parse(): argv into *cli; on CLI_ERROR, err says what is wrong. */
enum cli_result cli_parse(int argc, char **argv, struct cli *cli,
    char err[CLI_ERR_MAX]);

/* cli_free(): what cli_parse() allocated. */
void cli_free(struct cli *cli);

/* cli_usage(): the --help text. */
void cli_usage(FILE *out);

#endif
