/* log.c: diagnostics on standard error (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>

enum log_level log_verbosity = LOG_WARN;

void
log_set_verbosity(enum log_level level)
{
	log_verbosity = level;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_ERROR] = "",
		[LOG_WARN] = "warning: ",
		[LOG_INFO] = "",
		[LOG_DEBUG] = "debug: ",
	};
	va_list ap;

	fprintf(stderr, "plainsight: %s", prefix[level]);
	va_start(ap, fmt);
	/* started just above: clang-analyzer 14 misreads the varargs */
	vfprintf(stderr, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	fputc('\n', stderr);
}
