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

#include <openssl/crypto.h>
#include <pcap/pcap.h>

/* stdio buffer of a capture file being read (see capture_open_file()) */
#define CAPTURE_FILE_BUFFER (64u * 1024u)

struct capture {
	pcap_t *p;
	uint64_t count;
	int dlt;
	bool is_live;
	struct pcap_stat last;	/* libpcap's 32-bit counters, last read */
	uint64_t received;	/* ... widened */
	uint64_t dropped;
	uint64_t ifdropped;
	uint8_t *file_buf;	/* the file's stdio buffer, or NULL */
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

/* Compile and set a filter on an open handle. */
static bool
set_filter(struct capture *c, const char *filter, char err[CAPTURE_ERR_MAX])
{
	struct bpf_program prog;

	if (pcap_compile(c->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(c->p, &prog) != 0) {
		snprintf(err, CAPTURE_ERR_MAX, "filter expression: %s",
		    pcap_geterr(c->p));
		return false;
	}
	pcap_freecode(&prog);
	return true;
}

static void
wipe_free(uint8_t *buf, size_t len)
{
	if (buf == NULL)
		return;
	OPENSSL_cleanse(buf, len);
	free(buf);
}

/* The last steps of opening a file or an interface: check the link type,
 * compile the filter.  On failure c is closed. */
static enum status
finish_open(struct capture *c, const char *filter, struct capture **out,
    char err[CAPTURE_ERR_MAX])
{
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
	if (filter != NULL && !set_filter(c, filter, err)) {
		capture_close(c);
		return ST_USAGE;
	}
	*out = c;
	return ST_OK;
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
	/* libpcap reads a record at a time through stdio: with its
	 * default buffer (a page) that is a read(2) per 4 KiB, a third of
	 * the time it takes to read a file from the page cache.  Ours is
	 * bigger, and wiped when the file is closed (it holds the file's
	 * bytes, a client's among them).  Not for standard input, which
	 * outlives the capture. */
	if (f != stdin) {
		c->file_buf = malloc(CAPTURE_FILE_BUFFER);
		if (c->file_buf != NULL)
			setvbuf(f, (char *)c->file_buf, _IOFBF,
			    CAPTURE_FILE_BUFFER);
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
		wipe_free(c->file_buf, CAPTURE_FILE_BUFFER);
		free(c);
		return ST_INPUT;
	}
	return finish_open(c, filter, out, err);
}

/* append s to the growing filter text */
static bool
cat(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *nb = realloc(*buf, ncap);

		if (nb == NULL)
			return false;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return true;
}

char *
capture_filter(const struct plainsight_config *cfg, const char *user)
{
	char *ports = NULL, *f = NULL;
	size_t plen = 0, pcap_cap = 0, flen = 0, fcap = 0;
	char num[16];
	bool is_ok = cat(&ports, &plen, &pcap_cap, "");
	const uint16_t *lists[2] = {cfg->pop3_ports, cfg->imap_ports};
	size_t counts[2] = {cfg->n_pop3_ports, cfg->n_imap_ports};

	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < counts[l] && is_ok; i++) {
			snprintf(num, sizeof(num), "%sport %u",
			    plen ? " or " : "", (unsigned)lists[l][i]);
			is_ok = cat(&ports, &plen, &pcap_cap, num);
		}
	/* The user's expression goes first: libpcap's "vlan" shifts the
	 * offsets of everything after it.  Which is also why the same
	 * clause repeated after one "vlan" matches two tags (QinQ). */
	if (is_ok && user != NULL)
		is_ok = cat(&f, &flen, &fcap, "(") &&
		    cat(&f, &flen, &fcap, user) &&
		    cat(&f, &flen, &fcap, ") and ");
	const char *parts[] = {"((tcp and (", ports, ")) or (vlan and tcp and (",
	    ports, ")) or (vlan and tcp and (", ports, ")))"};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && is_ok; i++)
		is_ok = cat(&f, &flen, &fcap, parts[i]);
	free(ports);
	if (!is_ok) {
		free(f);
		return NULL;
	}
	return f;
}

enum status
capture_open_live(const struct capture_live *opts, const char *filter,
    struct capture **out, char err[CAPTURE_ERR_MAX])
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (c == NULL) {
		snprintf(err, CAPTURE_ERR_MAX, "out of memory");
		return ST_NOMEM;
	}
	c->is_live = true;
	c->p = pcap_create(opts->iface, perr);
	if (c->p == NULL) {
		snprintf(err, CAPTURE_ERR_MAX, "%s", perr);
		free(c);
		return ST_INPUT;
	}
	/* no immediate mode: packets come in batches at high rates, and
	 * the read timeout flushes a quiet link */
	pcap_set_snaplen(c->p, opts->snaplen);
	pcap_set_promisc(c->p, opts->is_promisc ? 1 : 0);
	pcap_set_timeout(c->p, opts->timeout_ms);
	if (opts->buffer_mib > 0)
		pcap_set_buffer_size(c->p, opts->buffer_mib * 1024 * 1024);
	pcap_set_tstamp_precision(c->p, PCAP_TSTAMP_PRECISION_MICRO);
	rc = pcap_activate(c->p);
	if (rc < 0) {
		const char *hint = "";

		if (rc == PCAP_ERROR_PERM_DENIED)
			hint = " (run as root, or give the binary "
			       "cap_net_raw,cap_net_admin: see docs/deploy.md)";
		else if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			hint = " (list the interfaces with 'ip link')";
		snprintf(err, CAPTURE_ERR_MAX, "cannot capture: %s%s",
		    rc == PCAP_ERROR ? pcap_geterr(c->p)
				     : pcap_statustostr(rc),
		    hint);
		capture_close(c);
		return ST_INPUT;
	}
	return finish_open(c, filter, out, err);
}

bool
capture_stats(struct capture *c, uint64_t *received, uint64_t *dropped,
    uint64_t *ifdropped)
{
	struct pcap_stat now;

	if (!c->is_live || pcap_stats(c->p, &now) != 0)
		return false;
	/* libpcap's counters are 32 bits and wrap on a busy link */
	c->received += (uint32_t)(now.ps_recv - c->last.ps_recv);
	c->dropped += (uint32_t)(now.ps_drop - c->last.ps_drop);
	c->ifdropped += (uint32_t)(now.ps_ifdrop - c->last.ps_ifdrop);
	c->last = now;
	*received = c->received;
	*dropped = c->dropped;
	*ifdropped = c->ifdropped;
	return true;
}

void
capture_break(struct capture *c)
{
	if (c != NULL && c->p != NULL)
		pcap_breakloop(c->p);
}

static void
to_pkt(const struct pcap_pkthdr *h, struct plainsight_pkt *pkt)
{
	pkt->ts.sec = (int64_t)h->ts.tv_sec;
	pkt->ts.usec = (uint32_t)h->ts.tv_usec;
	pkt->caplen = h->caplen;
	pkt->wirelen = h->len < h->caplen ? h->caplen : h->len;
}

/* How a read that did not return a packet ended. */
static enum capture_result
read_end(struct capture *c, int rc)
{
	if (rc == PCAP_ERROR_BREAK)
		return CAPTURE_END;
	/* libpcap says "truncated dump file" (pcap) or "truncated pcapng
	 * dump file" when the last record is cut */
	if (strstr(pcap_geterr(c->p), "truncated") != NULL)
		return CAPTURE_TRUNCATED;
	return CAPTURE_ERROR;
}

enum capture_result
capture_next(struct capture *c, struct plainsight_pkt *pkt, uint8_t **data)
{
	struct pcap_pkthdr *h;
	const u_char *bytes;
	int rc = pcap_next_ex(c->p, &h, &bytes);

	if (rc == 1) {
		c->count++;
		to_pkt(h, pkt);
		/* libpcap's own read buffer: writable, see capture.h */
		*data = (uint8_t *)(uintptr_t)bytes;
		return CAPTURE_PACKET;
	}
	if (rc == 0)
		return CAPTURE_TIMEOUT;
	return read_end(c, rc);
}

/* Every packet of a file through h, in one pcap_dispatch() call (a count
 * of -1); how the input ended. */
static enum capture_result
dispatch_all(struct capture *c, pcap_handler h, void *user)
{
	int rc = pcap_dispatch(c->p, -1, h, (u_char *)user);

	return rc >= 0 ? CAPTURE_END : read_end(c, rc);
}

struct each {
	struct capture *c;
	capture_packet_fn *fn;
	void *arg;
};

static void
each_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct each *e = (struct each *)(void *)user;
	struct plainsight_pkt pkt;

	e->c->count++;
	to_pkt(h, &pkt);
	/* libpcap's own read buffer: writable, see capture.h */
	e->fn(e->arg, &pkt, (uint8_t *)(uintptr_t)bytes);
}

enum capture_result
capture_each(struct capture *c, capture_packet_fn *fn, void *arg)
{
	struct each e = {c, fn, arg};

	return dispatch_all(c, each_packet, &e);
}

struct feed {
	struct capture *c;
	struct plainsight *ps;
};

static void
feed_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct feed *e = (struct feed *)(void *)user;
	struct plainsight_pkt pkt;

	e->c->count++;
	to_pkt(h, &pkt);
	/* libpcap's own read buffer: writable, see capture.h */
	plainsight_packet(e->ps, e->c->dlt, &pkt, (uint8_t *)(uintptr_t)bytes);
}

enum capture_result
capture_feed(struct capture *c, struct plainsight *ps)
{
	struct feed e = {c, ps};

	return dispatch_all(c, feed_packet, &e);
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
		pcap_close(c->p);	/* closes the file: its buffer is free */
	wipe_free(c->file_buf, CAPTURE_FILE_BUFFER);
	free(c);
}
