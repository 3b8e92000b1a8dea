/* measure.c: run a command and say what it cost.
 *
 *   measure REPORT COMMAND [ARG...]
 *
 * Runs COMMAND (standard input, output and error inherited), waits for it,
 * and writes one line to the file REPORT:
 *   "wall_s cpu_s peak_rss_bytes exit_status"
 * (exit_status 128+N if it died of signal N).  bench/run uses it instead of
 * timing from Python because a child's peak RSS (getrusage ru_maxrss)
 * includes whatever its parent had mapped when it forked: this process is
 * small, so the peak is the command's own.  Exit status: 0 when measured
 * (whatever the command returned), 2 on a usage or system error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;

	if (argc < 3) {
		fprintf(stderr, "usage: measure REPORT COMMAND [ARG...]\n");
		return 2;
	}
	FILE *report = fopen(argv[1], "w");

	if (report == NULL) {
		fprintf(stderr, "measure: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "measure: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "measure: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int code = WIFEXITED(status) ? WEXITSTATUS(status)
				     : 128 + WTERMSIG(status);

	fprintf(report, "%.6f %.6f %lld %d\n", wall,
	    seconds(ru.ru_utime) + seconds(ru.ru_stime),
	    (long long)ru.ru_maxrss * 1024, code);
	return fclose(report) == 0 ? 0 : 2;
}
