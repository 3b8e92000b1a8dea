/* capture.c: reading captures with libpcap (see capture.h).
 *
 * pcap and pcapng, either byte order, micro- or nanosecond timestamps:
 * libpcap reads them all; we ask it for microseconds.  A file cut short
 * in its last record (a capture killed mid-write) is reported as
 * CAPTURE_TRUNCATED, which the caller treats as a warning: everything
 * before it was read.
 */
/* libpcap's headers use the BSD u_int/u_char types */
#define _DEFAULT_SOURCE 1

#include "capture/capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

struct capture {
	pcap_t *p;
	uint64_t count;
	int dlt;
};

bool
capture_check_filter(const char *filter, char err[CAPTURE_ERR_MAX])
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program prog;
	bool is_ok;

	if (dead == NULL) {
		snprintf(err, CAPTURE_ERR_MAX, "out of memory");
		return false;
	}
	is_ok = pcap_compile(dead, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == 0;
	if (is_ok)
		pcap_freecode(&prog);
	else
		snprintf(err, CAPTURE_ERR_MAX, "%s", pcap_geterr(dead));
	pcap_close(dead);
	return is_ok;
}

enum status
capture_open_file(const char *path, const char *filter, struct capture **out,
    char err[CAPTURE_ERR_MAX])
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (c == NULL) {
		snprintf(err, CAPTURE_ERR_MAX, "out of memory");
		return ST_NOMEM;
	}
	/* open the file ourselves, so that "no such file" and "permission
	 * denied" read as such, and libpcap's messages are about content */
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");

	if (f == NULL) {
		snprintf(err, CAPTURE_ERR_MAX, "%s", strerror(errno));
		free(c);
		return ST_INPUT;
	}
	c->p = pcap_fopen_offline_with_tstamp_precision(f,
	    PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (c->p == NULL) {
		snprintf(err, CAPTURE_ERR_MAX,
		    "not a capture plainsight can read (%s); it reads pcap "
		    "and pcapng files",
		    perr);
		if (f != stdin)
			fclose(f);
		free(c);
		return ST_INPUT;
	}
	c->dlt = pcap_datalink(c->p);
	if (!plainsight_dlt_supported(c->dlt)) {
		const char *name = pcap_datalink_val_to_name(c->dlt);

		snprintf(err, CAPTURE_ERR_MAX,
		    "link type %s (%d) is not supported; supported: EN10MB, "
		    "LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL, LOOP",
		    name ? name : "unknown", c->dlt);
		capture_close(c);
		return ST_INPUT;
	}
	if (filter != NULL) {
		struct bpf_program prog;

		if (pcap_compile(c->p, &prog, filter, 1,
			PCAP_NETMASK_UNKNOWN) != 0 ||
		    pcap_setfilter(c->p, &prog) != 0) {
			snprintf(err, CAPTURE_ERR_MAX,
			    "filter expression: %s", pcap_geterr(c->p));
			capture_close(c);
			return ST_USAGE;
		}
		pcap_freecode(&prog);
	}
	*out = c;
	return ST_OK;
}

enum capture_result
capture_next(struct capture *c, struct plainsight_pkt *pkt, uint8_t **data)
{
	struct pcap_pkthdr *h;
	const u_char *bytes;
	int rc = pcap_next_ex(c->p, &h, &bytes);

	if (rc == 1) {
		c->count++;
		pkt->ts.sec = (int64_t)h->ts.tv_sec;
		pkt->ts.usec = (uint32_t)h->ts.tv_usec;
		pkt->caplen = h->caplen;
		pkt->wirelen = h->len < h->caplen ? h->caplen : h->len;
		/* libpcap's own read buffer: writable, see capture.h */
		*data = (uint8_t *)(uintptr_t)bytes;
		return CAPTURE_PACKET;
	}
	if (rc == PCAP_ERROR_BREAK)
		return CAPTURE_END;
	/* libpcap says "truncated dump file" (pcap) or "truncated pcapng
	 * dump file" when the last record is cut */
	if (strstr(pcap_geterr(c->p), "truncated") != NULL)
		return CAPTURE_TRUNCATED;
	return CAPTURE_ERROR;
}

int
capture_dlt(const struct capture *c)
{
	return c->dlt;
}

uint64_t
capture_count(const struct capture *c)
{
	return c->count;
}

const char *
capture_error(const struct capture *c)
{
	return pcap_geterr(c->p);
}

void
capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	if (c->p != NULL)
		pcap_close(c->p);
	free(c);
}
