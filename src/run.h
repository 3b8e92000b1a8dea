/* run.h: reading the input into the engine, files or live.
 *
 * Owns the read loops: capture files in order (one timeline), or an
 * interface until SIGINT/SIGTERM, with the signals of a long-running
 * sensor (SIGUSR1: report now; SIGHUP: reopen the -w file), periodic
 * reports, the kernel's drop counters and the privilege drop after the
 * capture is open.  The engine's events go to the report and the output.
 */
#ifndef PLAINSIGHT_RUN_H
#define PLAINSIGHT_RUN_H

#include <stdbool.h>

#include "cli.h"
#include "pipeline.h"
#include "plainsight/plainsight.h"
#include "report/output.h"
#include "report/report.h"

struct run {
	struct plainsight *ps;
	struct report *report;
	struct output *out;
	struct stats report_stats;	/* the report's own counters */
	struct pipeline *pipeline;	/* files read on two threads, or NULL */
	bool had_input_error;	/* an input could not be read */
};

/* run_files(): read every -r input in order into the engine, then end
 * it and write the report.  False if any input could not be read (the
 * others are read and reported all the same). */
bool run_files(struct run *run, const struct cli *cli);

/* run_live(): capture on -i until stopped, then end and report.  Returns
 * ST_OK, or ST_INPUT/ST_USAGE if the capture or -Z failed (nothing read). */
enum status run_live(struct run *run, const struct cli *cli);

/* run_event(): the engine's callback (arg: struct run). */
void run_event(const struct event *ev, void *arg);

#endif
