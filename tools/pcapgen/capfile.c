/* capfile.c: pcap and pcapng writer for pcapgen (see capfile.h).
 *
 * Formats written: pcap as in draft-ietf-opsawg-pcap (magic a1b2c3d4 for
 * microseconds, a1b23c4d for nanoseconds, version 2.4, in the byte order
 * the format name says) and pcapng as in draft-ietf-opsawg-pcapng (SHB with
 * shb_userappl, one IDB, one EPB per packet).  The IDB carries if_tsresol=9
 * only if some timestamp has a sub-microsecond part; otherwise readers use
 * the microsecond default.  No wall clock, host name or OS string goes in
 * the file, so the bytes depend on the scenario alone.
 *
 * Does not write: pcapng-specific extras (name resolution, statistics,
 * comments), multiple sections or interfaces.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capfile.h"

static const char *const capfile_format_name[] = {
    [CAPFILE_PCAP] = "pcap",
    [CAPFILE_PCAP_BE] = "pcap-be",
    [CAPFILE_PCAP_NSEC] = "pcap-nsec",
    [CAPFILE_PCAP_NSEC_BE] = "pcap-nsec-be",
    [CAPFILE_PCAPNG] = "pcapng",
    [CAPFILE_PCAPNG_BE] = "pcapng-be",
};
static_assert(sizeof(capfile_format_name) / sizeof(capfile_format_name[0]) ==
        CAPFILE_FORMAT_COUNT,
    "every capfile_format needs a name");

/* Packets are kept as this header followed by caplen bytes. */
struct rec {
	uint64_t ts_ns;
	uint32_t origlen;
	uint32_t caplen;
};

#define PCAP_MAGIC_USEC     0xa1b2c3d4u
#define PCAP_MAGIC_NSEC     0xa1b23c4du
#define PCAPNG_SHB          0x0a0d0d0au
#define PCAPNG_IDB          0x00000001u
#define PCAPNG_EPB          0x00000006u
#define PCAPNG_BOM          0x1a2b3c4du
#define PCAPNG_OPT_END      0
#define PCAPNG_OPT_USERAPPL 4
#define PCAPNG_OPT_TSRESOL  9

/* Written into the SHB: names the tool, deliberately without a version so
 * that the bytes of a fixture do not change when pcapgen does. */
static const char capfile_userappl[] = "plainsight pcapgen";

bool
capfile_format_from_name(const char *p, size_t len, enum capfile_format *out)
{
	for (size_t i = 0; i < CAPFILE_FORMAT_COUNT; i++) {
		const char *name = capfile_format_name[i];
		if (strlen(name) == len && memcmp(name, p, len) == 0) {
			*out = (enum capfile_format)i;
			return true;
		}
	}
	return false;
}

bool
capfile_is_big_endian(enum capfile_format format)
{
	switch (format) {
	case CAPFILE_PCAP_BE:
	case CAPFILE_PCAP_NSEC_BE:
	case CAPFILE_PCAPNG_BE:
		return true;
	case CAPFILE_PCAP:
	case CAPFILE_PCAP_NSEC:
	case CAPFILE_PCAPNG:
	case CAPFILE_FORMAT_COUNT:
		break;
	}
	return false;
}

static bool
is_pcapng(enum capfile_format format)
{
	return format == CAPFILE_PCAPNG || format == CAPFILE_PCAPNG_BE;
}

static bool
is_pcap_nsec(enum capfile_format format)
{
	return format == CAPFILE_PCAP_NSEC || format == CAPFILE_PCAP_NSEC_BE;
}

void
capfile_init(struct capfile *cf, enum capfile_format format, uint32_t linktype,
    uint32_t snaplen)
{
	cf->format = format;
	cf->linktype = linktype;
	cf->snaplen = snaplen;
	dbuf_init(&cf->recs, PCAPGEN_OUTPUT_MAX);
	cf->count = 0;
	cf->has_subusec = false;
}

enum status
capfile_add(struct capfile *cf, uint64_t ts_ns, const uint8_t *pkt, size_t len)
{
	/* every on-disk length field is 32 bits */
	if (len > UINT32_MAX)
		return ST_TOOBIG;
	struct rec r = {
	    .ts_ns = ts_ns,
	    .origlen = (uint32_t)len,
	    .caplen = (uint32_t)(len < cf->snaplen ? len : cf->snaplen),
	};
	size_t old = cf->recs.len;
	enum status st = dbuf_add(&cf->recs, &r, sizeof r);
	if (st == ST_OK)
		st = dbuf_add(&cf->recs, pkt, r.caplen);
	if (st != ST_OK) {
		cf->recs.len = old; /* no half-stored packet */
		return st;
	}
	if (ts_ns % 1000 != 0)
		cf->has_subusec = true;
	cf->count++;
	return ST_OK;
}

/* one pcapng option: code, length, value, zero padding to 32 bits */
static enum status
add_option(
    struct dbuf *out, uint16_t code, const void *val, size_t len, bool is_be)
{
	assert(len <= UINT16_MAX);
	enum status st = dbuf_add_u16(out, code, is_be);
	if (st == ST_OK)
		st = dbuf_add_u16(out, (uint16_t)len, is_be);
	if (st == ST_OK)
		st = dbuf_add(out, val, len);
	if (st == ST_OK)
		st = dbuf_add_fill(out, 0, (4 - len % 4) % 4);
	return st;
}

/* pcapng Section Header Block + Interface Description Block */
static enum status
render_pcapng_head(const struct capfile *cf, struct dbuf *out)
{
	bool is_be = capfile_is_big_endian(cf->format);
	size_t appl = sizeof capfile_userappl - 1;
	size_t appl_pad = (4 - appl % 4) % 4;
	uint32_t shb_len = (uint32_t)(28 + 4 + appl + appl_pad + 4);
	uint32_t idb_len = cf->has_subusec ? 32 : 20;
	uint8_t tsresol = 9; /* 10^-9 s */
	enum status st;

	st = dbuf_add_u32(out, PCAPNG_SHB, is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, shb_len, is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, PCAPNG_BOM, is_be);
	if (st == ST_OK)
		st = dbuf_add_u16(out, 1, is_be); /* version 1.0 */
	if (st == ST_OK)
		st = dbuf_add_u16(out, 0, is_be);
	if (st == ST_OK) /* section length -1: not given */
		st = dbuf_add_fill(out, 0xff, 8);
	if (st == ST_OK)
		st = add_option(
		    out, PCAPNG_OPT_USERAPPL, capfile_userappl, appl, is_be);
	if (st == ST_OK)
		st = add_option(out, PCAPNG_OPT_END, NULL, 0, is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, shb_len, is_be);

	if (st == ST_OK)
		st = dbuf_add_u32(out, PCAPNG_IDB, is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, idb_len, is_be);
	if (st == ST_OK)
		st = dbuf_add_u16(out, (uint16_t)cf->linktype, is_be);
	if (st == ST_OK)
		st = dbuf_add_u16(out, 0, is_be); /* reserved */
	if (st == ST_OK)
		st = dbuf_add_u32(out, cf->snaplen, is_be);
	if (st == ST_OK && cf->has_subusec) {
		st = add_option(out, PCAPNG_OPT_TSRESOL, &tsresol, 1, is_be);
		if (st == ST_OK)
			st = add_option(out, PCAPNG_OPT_END, NULL, 0, is_be);
	}
	if (st == ST_OK)
		st = dbuf_add_u32(out, idb_len, is_be);
	return st;
}

static enum status
render_pcap_head(const struct capfile *cf, struct dbuf *out)
{
	bool is_be = capfile_is_big_endian(cf->format);
	uint32_t magic =
	    is_pcap_nsec(cf->format) ? PCAP_MAGIC_NSEC : PCAP_MAGIC_USEC;
	enum status st;

	st = dbuf_add_u32(out, magic, is_be);
	if (st == ST_OK)
		st = dbuf_add_u16(out, 2, is_be); /* version 2.4 */
	if (st == ST_OK)
		st = dbuf_add_u16(out, 4, is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, 0, is_be); /* thiszone */
	if (st == ST_OK)
		st = dbuf_add_u32(out, 0, is_be); /* sigfigs */
	if (st == ST_OK)
		st = dbuf_add_u32(out, cf->snaplen, is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, cf->linktype, is_be);
	return st;
}

static enum status
render_record(const struct capfile *cf, const struct rec *r,
    const uint8_t *data, struct dbuf *out)
{
	bool is_be = capfile_is_big_endian(cf->format);
	enum status st;

	if (is_pcapng(cf->format)) {
		uint64_t ts = cf->has_subusec ? r->ts_ns : r->ts_ns / 1000;
		size_t pad = (4 - r->caplen % 4) % 4;
		/* caplen <= snaplen <= PCAPGEN_SNAPLEN_MAX: no overflow */
		uint32_t blen = (uint32_t)(32 + r->caplen + pad);
		st = dbuf_add_u32(out, PCAPNG_EPB, is_be);
		if (st == ST_OK)
			st = dbuf_add_u32(out, blen, is_be);
		if (st == ST_OK)
			st = dbuf_add_u32(out, 0, is_be); /* interface 0 */
		if (st == ST_OK)
			st = dbuf_add_u32(out, (uint32_t)(ts >> 32), is_be);
		if (st == ST_OK)
			st = dbuf_add_u32(out, (uint32_t)ts, is_be);
		if (st == ST_OK)
			st = dbuf_add_u32(out, r->caplen, is_be);
		if (st == ST_OK)
			st = dbuf_add_u32(out, r->origlen, is_be);
		if (st == ST_OK)
			st = dbuf_add(out, data, r->caplen);
		if (st == ST_OK)
			st = dbuf_add_fill(out, 0, pad);
		if (st == ST_OK)
			st = dbuf_add_u32(out, blen, is_be);
		return st;
	}
	uint64_t frac = r->ts_ns % 1000000000u;
	if (!is_pcap_nsec(cf->format))
		frac /= 1000; /* truncate to microseconds */
	st = dbuf_add_u32(out, (uint32_t)(r->ts_ns / 1000000000u), is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, (uint32_t)frac, is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, r->caplen, is_be);
	if (st == ST_OK)
		st = dbuf_add_u32(out, r->origlen, is_be);
	if (st == ST_OK)
		st = dbuf_add(out, data, r->caplen);
	return st;
}

enum status
capfile_render(const struct capfile *cf, struct dbuf *out)
{
	enum status st = is_pcapng(cf->format) ? render_pcapng_head(cf, out)
	                                       : render_pcap_head(cf, out);
	size_t off = 0;

	while (st == ST_OK && off < cf->recs.len) {
		struct rec r;
		assert(cf->recs.len - off >= sizeof r);
		memcpy(&r, cf->recs.p + off, sizeof r);
		off += sizeof r;
		assert(cf->recs.len - off >= r.caplen);
		st = render_record(cf, &r, cf->recs.p + off, out);
		off += r.caplen;
	}
	return st;
}

/* write all of data to fd, resuming after short writes and EINTR */
static bool
write_all(int fd, const uint8_t *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO; /* write() set nothing to report */
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

enum status
capfile_write(
    const char *path, const uint8_t *data, size_t len, char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0) {
		if (!write_all(STDOUT_FILENO, data, len)) {
			snprintf(err, errlen, "stdout: %s", strerror(errno));
			return ST_IO;
		}
		return ST_OK;
	}

	static const char suffix[] = ".tmp.XXXXXX";
	size_t plen = strlen(path);
	enum status st = ST_IO;
	char *tmp = malloc(plen + sizeof suffix);
	if (tmp == NULL) {
		snprintf(err, errlen, "out of memory");
		return ST_NOMEM;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, suffix, sizeof suffix);

	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen,
		    "%s: cannot create a temporary file beside it: %s", path,
		    strerror(errno));
		goto out;
	}
	/* mkstemp makes 0600; a fixture should be readable like any file */
	bool is_ok = fchmod(fd, 0644) == 0 && write_all(fd, data, len);
	int saved = errno;
	if (close(fd) != 0 && is_ok) {
		is_ok = false;
		saved = errno;
	}
	if (!is_ok) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(saved));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	st = ST_OK;
out:
	free(tmp);
	return st;
}

void
capfile_free(struct capfile *cf)
{
	dbuf_free(&cf->recs);
	cf->count = 0;
}
