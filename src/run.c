/* run.c: the read loops, files and live (see run.h).
 *
 * Live: the kernel filters on the mail ports (capture_filter()), libpcap
 * delivers in batches with a read timeout so a quiet link still expires
 * flows and writes periodic reports, and signals only set flags (and
 * break the read) that the loop acts on between packets.  Nothing found
 * is lost on a clean stop: SIGINT and SIGTERM end the loop, the engine
 * settles every pending attempt, and the final report is written.
 */
#include "run.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/capture.h"
#include "capture/privdrop.h"
#include "pipeline.h"
#include "util/log.h"

/* Read timeout: a quiet link returns at least this often (ms). */
#define RUN_READ_TIMEOUT_MS 250

/* Signals only set these; the loop acts on them between packets. */
static volatile sig_atomic_t run_stop;
static volatile sig_atomic_t run_report_now;
static volatile sig_atomic_t run_reopen;
static struct capture *run_capture;	/* for pcap_breakloop() */

static void
on_signal(int sig)
{
	if (sig == SIGINT || sig == SIGTERM)
		run_stop = 1;
	else if (sig == SIGUSR1)
		run_report_now = 1;
	else if (sig == SIGHUP)
		run_reopen = 1;
	capture_break(run_capture);
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void
run_event(const struct event *ev, void *arg)
{
	struct run *run = arg;

	report_add(run->report, ev, &run->report_stats);
	if (ev->type == EVENT_LOGIN)
		output_login(run->out, &ev->u.login,
		    report_is_allowed(run->report, &ev->u.login.client));
}

/* The engine's stats plus the report's own counter. */
static void
write_report(struct run *run)
{
	struct stats all = *plainsight_stats(run->ps);

	all.v[STAT_CAP_REPORT_ROWS] +=
	    run->report_stats.v[STAT_CAP_REPORT_ROWS];
	output_report(run->out, run->report, &all);
}

static bool
read_file(struct run *run, const char *path, const char *filter)
{
	char err[CAPTURE_ERR_MAX];
	struct capture *c;
	enum capture_result r;
	bool is_ok = true;

	if (capture_open_file(path, filter, &c, err) != ST_OK) {
		log_error("%s: %s", path, err);
		return false;
	}
	log_info("reading %s", path);
	if (run->pipeline != NULL)
		r = pipeline_read(run->pipeline, c, run->ps);
	else
		r = pipeline_read_here(c, run->ps);
	if (r == CAPTURE_TRUNCATED) {
		log_warn("%s: the capture is cut short after packet %llu (%s); "
			 "everything before it was read",
		    path, (unsigned long long)capture_count(c),
		    capture_error(c));
	} else if (r == CAPTURE_ERROR) {
		log_error("%s: cannot read packet %llu: %s; the packets "
			  "before it were read",
		    path, (unsigned long long)capture_count(c) + 1,
		    capture_error(c));
		is_ok = false;
	}
	log_info("%s: %llu packets", path,
	    (unsigned long long)capture_count(c));
	capture_close(c);
	return is_ok;
}

bool
run_files(struct run *run, const struct cli *cli)
{
	bool is_ok = true;

	for (size_t i = 0; i < cli->n_files; i++)
		if (!read_file(run, cli->files[i], cli->filter))
			is_ok = false;
	plainsight_finish(run->ps);
	write_report(run);
	return is_ok;
}

static struct event_time
wall_now(void)
{
	struct timespec ts;
	struct event_time t = {0, 0};

	if (clock_gettime(CLOCK_REALTIME, &ts) == 0) {
		t.sec = (int64_t)ts.tv_sec;
		t.usec = (uint32_t)(ts.tv_nsec / 1000);
	}
	return t;
}

/* The kernel's counters into the next report; warn when drops grow, so
 * an operator knows the picture is incomplete. */
static void
check_drops(struct run *run, struct capture *c, const char *iface)
{
	struct sink_run *sr = &run->out->run;
	uint64_t before = sr->dropped + sr->ifdropped;

	if (!capture_stats(c, &sr->received, &sr->dropped, &sr->ifdropped))
		return;
	sr->has_capture_stats = true;
	if (sr->dropped + sr->ifdropped > before)
		log_warn("%s: %llu packets dropped so far (kernel %llu, "
			 "interface %llu): the picture is incomplete; raise "
			 "-B, or narrow the BPF expression",
		    iface,
		    (unsigned long long)(sr->dropped + sr->ifdropped),
		    (unsigned long long)sr->dropped,
		    (unsigned long long)sr->ifdropped);
}

enum status
run_live(struct run *run, const struct cli *cli)
{
	char err[CAPTURE_ERR_MAX];
	struct capture_live opts = {cli->iface, cli->snaplen,
	    cli->buffer_mib, cli->is_promisc, RUN_READ_TIMEOUT_MS};
	char *filter = capture_filter(&cli->engine, cli->filter);
	struct capture *c;
	enum status st;

	if (filter == NULL) {
		log_error("out of memory");
		return ST_NOMEM;
	}
	log_info("%s: kernel filter: %s", cli->iface, filter);
	st = capture_open_live(&opts, filter, &c, err);
	free(filter);
	if (st != ST_OK) {
		log_error("%s: %s", cli->iface, err);
		return st;
	}
	if (cli->user != NULL) {
		char perr[PRIVDROP_ERR_MAX];

		st = privdrop_to(cli->user, perr);
		if (st != ST_OK) {
			log_error("%s", perr);
			capture_close(c);
			return st;
		}
		log_info("running as %s", cli->user);
	}
	run_capture = c;
	install_signals();
	struct event_time now = wall_now();
	int64_t next_report = now.sec + (int64_t)cli->report_interval;
	int64_t last_drop_check = now.sec;

	while (!run_stop) {
		struct plainsight_pkt pkt;
		uint8_t *data;
		enum capture_result r = capture_next(c, &pkt, &data);

		if (r == CAPTURE_PACKET) {
			plainsight_packet(run->ps, capture_dlt(c), &pkt, data);
		} else if (r == CAPTURE_ERROR || r == CAPTURE_TRUNCATED) {
			log_error("%s: capture failed: %s", cli->iface,
			    capture_error(c));
			run->had_input_error = true;
			break;
		}
		/* CAPTURE_END here is a pcap_breakloop() from a signal */
		now = wall_now();
		if (r != CAPTURE_PACKET)
			plainsight_expire(run->ps, now);
		if (now.sec != last_drop_check) {
			last_drop_check = now.sec;
			check_drops(run, c, cli->iface);
		}
		if (run_reopen) {
			char oerr[OUTPUT_ERR_MAX];

			run_reopen = 0;
			if (output_reopen(run->out, oerr) != ST_OK)
				log_error("%s", oerr);
			else
				log_info("reopened the report file");
		}
		if (run_report_now ||
		    (cli->report_interval > 0 && now.sec >= next_report)) {
			run_report_now = 0;
			if (cli->report_interval > 0)
				next_report = now.sec +
				    (int64_t)cli->report_interval;
			run->out->run.now = now;
			write_report(run);
		}
	}
	log_info("%s: stopping", cli->iface);
	check_drops(run, c, cli->iface);
	run_capture = NULL;
	capture_close(c);
	plainsight_finish(run->ps);
	run->out->run.now = wall_now();
	write_report(run);
	return ST_OK;
}
