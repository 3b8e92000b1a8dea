/* log.h: diagnostics on standard error.
 *
 * Levels: errors and warnings always; info with -v; debug with -vv.
 * Errors read like tcpdump's ("plainsight: FILE: what is wrong").  Nothing logged may
 * contain bytes from the wire: messages name states, counters, flow ids and
 * files, never payload (docs/redaction.md).  log_debug() costs one branch
 * when debug is off.
 */
#ifndef PLAINSIGHT_LOG_H
#define PLAINSIGHT_LOG_H

enum log_level {
	LOG_ERROR,		/* always: something could not be done */
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG
};

extern enum log_level log_verbosity;

void log_set_verbosity(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)                                                        \
	do {                                                                 \
		if (log_verbosity >= LOG_INFO)                               \
			log_msg(LOG_INFO, __VA_ARGS__);                      \
	} while (0)
#define log_debug(...)                                                       \
	do {                                                                 \
		if (log_verbosity >= LOG_DEBUG)                              \
			log_msg(LOG_DEBUG, __VA_ARGS__);                     \
	} while (0)

#endif
