/* capture.h: packets from libpcap.
 *
 * Owns the pcap_t of one input: opening it (a pcap or pcapng file, or
 * standard input for "-"), checking its link type, applying the user's
 * BPF expression, and reading packets with their number for error
 * messages.  Timestamps are always delivered in microseconds, whatever
 * the file's precision.  The packet buffer is libpcap's, valid until the
 * next capture_next() (or the return of capture_each()'s callback), and
 * writable (the engine wipes credentials in it).
 */
#ifndef PLAINSIGHT_CAPTURE_H
#define PLAINSIGHT_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "plainsight/plainsight.h"

#define CAPTURE_ERR_MAX 512

struct capture;

enum capture_result {
	CAPTURE_PACKET,		/* *pkt and *data are set */
	CAPTURE_TIMEOUT,	/* live: no packet within the read timeout */
	CAPTURE_END,		/* the input is over */
	CAPTURE_TRUNCATED,	/* over, cut short in its last record */
	CAPTURE_ERROR		/* unreadable: see capture_error() */
};

/* capture_open_file(): open `path` ("-" is standard input) and apply
 * `filter` (a BPF expression, or NULL).  On failure returns ST_INPUT (or
 * ST_USAGE for a bad filter) with a message in err naming what to do. */
__attribute__((warn_unused_result)) enum status
capture_open_file(const char *path, const char *filter, struct capture **out,
    char err[CAPTURE_ERR_MAX]);

/* Live capture on an interface (tcpdump's -i, -s, -B, -p). */
struct capture_live {
	const char *iface;	/* "any" for all interfaces */
	int snaplen;		/* bytes kept per packet */
	int buffer_mib;		/* kernel buffer, MiB */
	bool is_promisc;
	int timeout_ms;		/* read timeout: quiet links still return */
};

/* capture_open_live(): open an interface and have the kernel filter it
 * with `filter` (see capture_filter()).  ST_INPUT with a message naming
 * the interface (and what to do: permissions, name) on failure. */
__attribute__((warn_unused_result)) enum status
capture_open_live(const struct capture_live *opts, const char *filter,
    struct capture **out, char err[CAPTURE_ERR_MAX]);

/* capture_filter(): the kernel filter for the POP3/IMAP ports of cfg,
 * untagged, 802.1Q and QinQ, ANDed with the user's expression (or NULL).
 * Returns a malloc'd string; NULL on allocation failure. */
char *capture_filter(const struct plainsight_config *cfg, const char *user);

enum capture_result capture_next(struct capture *c,
    struct plainsight_pkt *pkt, uint8_t **data);

/* capture_each(): a file's remaining packets, each given to fn with
 * libpcap's buffer (valid and writable until fn returns); returns how the
 * input ended (CAPTURE_END, also after capture_break(),
 * CAPTURE_TRUNCATED or CAPTURE_ERROR).  What a loop of capture_next()
 * does, for files, without its per-packet call into libpcap's
 * pcap_next_ex() (pcap_dispatch(): 70 instructions less a packet). */
typedef void capture_packet_fn(void *arg, const struct plainsight_pkt *pkt,
    uint8_t *data);
enum capture_result capture_each(struct capture *c, capture_packet_fn *fn,
    void *arg);

/* capture_feed(): capture_each() with plainsight_packet() as the
 * callback, called directly: the one-thread path's per-packet glue. */
enum capture_result capture_feed(struct capture *c, struct plainsight *ps);

/* capture_stats(): the kernel's counters for a live capture, widened to
 * 64 bits across libpcap's 32-bit wrap; false for a file. */
bool capture_stats(struct capture *c, uint64_t *received, uint64_t *dropped,
    uint64_t *ifdropped);

/* capture_break(): make a blocked capture_next() return CAPTURE_END soon;
 * safe in a signal handler. */
void capture_break(struct capture *c);

/* capture_dlt(): the input's libpcap link type. */
int capture_dlt(const struct capture *c);

/* capture_count(): packets read so far (the number of the last one). */
uint64_t capture_count(const struct capture *c);

/* capture_error(): libpcap's message for the last CAPTURE_ERROR or
 * CAPTURE_TRUNCATED. */
const char *capture_error(const struct capture *c);

void capture_close(struct capture *c);

/* capture_check_filter(): whether a BPF expression compiles (for an
 * Ethernet capture); err says why not. */
bool capture_check_filter(const char *filter, char err[CAPTURE_ERR_MAX]);

#endif
