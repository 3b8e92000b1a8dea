/* capture.h: packets from libpcap.
 *
 * Owns the pcap_t of one input: opening it (a pcap or pcapng file, or
 * standard input for "-"), checking its link type, applying the user's
 * BPF expression, and reading packets with their number for error
 * messages.  Timestamps are always delivered in microseconds, whatever
 * the file's precision.  The packet buffer is libpcap's, valid until the
 * next capture_next(), and writable (the engine wipes credentials in it).
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

enum capture_result capture_next(struct capture *c,
    struct plainsight_pkt *pkt, uint8_t **data);

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
