/* capfile.h: the capture file pcapgen writes, held in memory until the
 * scenario has run to the end.
 *
 * Formats: classic pcap (microsecond or nanosecond magic, either byte
 * order) and pcapng (one section, one interface, Enhanced Packet Blocks).
 * Packets are stored as added and rendered at the end, because the pcapng
 * interface block must say whether any timestamp needs nanoseconds.
 */
#ifndef PCAPGEN_CAPFILE_H
#define PCAPGEN_CAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbuf.h"
#include "pcapgen.h"

enum capfile_format {
	CAPFILE_PCAP, /* little-endian, microseconds */
	CAPFILE_PCAP_BE,
	CAPFILE_PCAP_NSEC, /* nanosecond magic a1b23c4d */
	CAPFILE_PCAP_NSEC_BE,
	CAPFILE_PCAPNG, /* little-endian */
	CAPFILE_PCAPNG_BE,
	CAPFILE_FORMAT_COUNT
};

struct capfile {
	enum capfile_format format;
	uint32_t linktype; /* LINKTYPE_* value */
	uint32_t snaplen;  /* longer packets are cut to this */
	struct dbuf recs;  /* added packets, capfile.c's own layout */
	size_t count;
	bool has_subusec; /* some timestamp is not a whole microsecond */
};

/* capfile_format_from_name(): "pcap", "pcap-be", "pcap-nsec",
 * "pcap-nsec-be", "pcapng", "pcapng-be"; false if the name is none. */
bool capfile_format_from_name(
    const char *p, size_t len, enum capfile_format *out);

/* capfile_is_big_endian(): the byte order the format's writer uses. */
bool capfile_is_big_endian(enum capfile_format format);

/* capfile_init(): empty capture; format, linktype and snaplen may still be
 * changed until the first capfile_add(). */
void capfile_init(struct capfile *cf, enum capfile_format format,
    uint32_t linktype, uint32_t snaplen);

/* capfile_add(): append a packet of len bytes seen at ts_ns (nanoseconds
 * since 1970, at most UINT32_MAX whole seconds).  The bytes are copied;
 * only the first snaplen are kept, the record says len.  ST_TOOBIG once
 * PCAPGEN_OUTPUT_MAX bytes are held. */
enum status capfile_add(struct capfile *cf, uint64_t ts_ns, const uint8_t *pkt,
    size_t len) PCAPGEN_WUR;

/* capfile_render(): append the complete file (header and every packet) to
 * out.  Same packets in, same bytes out: nothing depends on the clock. */
enum status capfile_render(
    const struct capfile *cf, struct dbuf *out) PCAPGEN_WUR;

/* capfile_write(): store len bytes at path, or on stdout if path is "-".
 * A file is written under a temporary name in the same directory and
 * renamed into place, so path is never left half-written.  ST_IO with a
 * message in err on failure. */
enum status capfile_write(const char *path, const uint8_t *data, size_t len,
    char *err, size_t errlen) PCAPGEN_WUR;

void capfile_free(struct capfile *cf);

#endif
