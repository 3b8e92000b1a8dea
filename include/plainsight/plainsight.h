/* plainsight.h: the detector engine's public API.
 *
 * An engine takes packets (one link-layer frame at a time, as libpcap
 * delivers them), follows the POP3 and IMAP connections among them, and
 * calls back with redacted events (event.h): one per login attempt whose
 * credential crossed the wire before TLS started, and observations of the
 * servers.  It owns no I/O: capture, output and exit codes belong to the
 * caller (src/main.c, the tests, the fuzz targets, bench/).
 *
 * Memory: everything the engine allocates is bounded by the configuration
 * (max_flows, max_buffer); what the caps drop is counted in the stats.
 * The engine is single-threaded; one engine per capture thread.
 */
#ifndef PLAINSIGHT_H
#define PLAINSIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plainsight/event.h"
#include "plainsight/stats.h"

#define PLAINSIGHT_PORTS_MAX 64	/* ports per protocol */

enum status {
	ST_OK = 0,
	ST_NOMEM,		/* an allocation failed */
	ST_IO,			/* a read or write failed */
	ST_USAGE,		/* the caller asked for something invalid */
	ST_INPUT		/* an input could not be read */
};

typedef void plainsight_event_fn(const struct event *ev, void *arg);

struct plainsight_config {
	uint16_t pop3_ports[PLAINSIGHT_PORTS_MAX];
	size_t n_pop3_ports;
	uint16_t imap_ports[PLAINSIGHT_PORTS_MAX];
	size_t n_imap_ports;
	uint32_t max_flows;	/* connections tracked at once */
	size_t max_buffer;	/* bytes of per-connection state, all flows */
	uint32_t idle_timeout;	/* seconds of packet time */
	/* Key for account pseudonyms; NULL: no trace of user names at all.
	 * Copied by plainsight_new(); the caller may wipe its copy. */
	const uint8_t *account_key;
	size_t account_key_len;
	plainsight_event_fn *on_event;	/* may be NULL */
	void *on_event_arg;
};

/* One packet as libpcap describes it. */
struct plainsight_pkt {
	struct event_time ts;
	uint32_t caplen;	/* bytes present at data */
	uint32_t wirelen;	/* bytes on the wire */
};

struct plainsight;

/* plainsight_config_init(): the documented defaults (POP3 110, IMAP 143,
 * limits from src/limits.h, no account key, no callback). */
void plainsight_config_init(struct plainsight_config *cfg);

/* plainsight_new(): a new engine, or ST_USAGE for an invalid config,
 * ST_NOMEM.  The config is copied. */
__attribute__((warn_unused_result)) enum status
plainsight_new(const struct plainsight_config *cfg, struct plainsight **out);

/* plainsight_free(): wipes and frees everything; NULL is fine.  Does not
 * report pending attempts: call plainsight_finish() first for that. */
void plainsight_free(struct plainsight *ps);

/* plainsight_dlt_supported(): whether plainsight_packet() decodes this
 * libpcap link type (DLT_EN10MB, DLT_LINUX_SLL, ...). */
bool plainsight_dlt_supported(int dlt);

/* plainsight_packet(): analyse one packet of link type `dlt`.  Events are
 * delivered through the callback before it returns.  `data` holds
 * pkt->caplen bytes; after analysis the engine overwrites with zeros the
 * TCP payload that clients sent to mail ports, so that no copy of a
 * credential outlives this call (the buffer must be writable: libpcap's
 * own buffer is). */
void plainsight_packet(struct plainsight *ps, int dlt,
    const struct plainsight_pkt *pkt, uint8_t *data);

/* plainsight_finish(): end of input: every connection still open is
 * closed, and its attempts still waiting for an answer are reported with
 * verdict unknown, in connection order.  The engine can be fed again
 * afterwards (it is empty). */
void plainsight_finish(struct plainsight *ps);

/* plainsight_expire(): close connections idle since before `now` minus the
 * idle timeout, as packets do; for live capture on a quiet link. */
void plainsight_expire(struct plainsight *ps, struct event_time now);

/* plainsight_stats(): counters so far; valid until plainsight_free(). */
const struct stats *plainsight_stats(const struct plainsight *ps);

#endif
