/* pcapgen.h: limits and shared types of pcapgen, the tool that turns a
 * scenario file into a capture file (tools/pcapgen/README.md).
 *
 * pcapgen is a test tool, not part of the detector: nothing in src/ includes
 * this file.  Every cap on what a scenario may ask for is here, with the
 * reason for its value, so that a typo such as "C* 99999999999 x" is an
 * error message instead of an exhausted machine.
 */
#ifndef PCAPGEN_H
#define PCAPGEN_H

#include <stddef.h>
#include <stdint.h>

/* Longest scenario line, without its LF.  A fixture that needs a longer
 * line than 64 KiB can build it from C~ and C* pieces. */
#define PCAPGEN_LINE_MAX 65536u

/* Connection names are labels in error messages and seeds for the default
 * ISNs; short ones keep messages readable. */
#define PCAPGEN_NAME_MAX 32u

/* Connections in one scenario: plenty for interleaving tests. */
#define PCAPGEN_CONN_MAX 256u

/* Bytes one data directive may send: room for a big IMAP literal. */
#define PCAPGEN_DATA_MAX (16u * 1024u * 1024u)

/* Segments one data directive may be cut into (after split and MSS). */
#define PCAPGEN_SEG_MAX (1u << 20)

/* Entries in one split/order/drop/dup/retransmit list. */
#define PCAPGEN_LIST_MAX 4096u

/* Largest TCP payload of one packet: an IPv4 total length of 65535 less
 * 20 bytes of IP header and 60 of TCP header with options.  Used for IPv6
 * too, so that a scenario does not change meaning with the address family. */
#define PCAPGEN_PAYLOAD_MAX 65455u

/* Largest IP fragment offset: 13 bits of 8-byte units (RFC 791, RFC
 * 8200); also the largest fragment size a scenario may ask for. */
#define PCAPGEN_FRAG_OFFSET_MAX 65528u

/* libpcap's own ceiling on the snapshot length (MAXIMUM_SNAPLEN). */
#define PCAPGEN_SNAPLEN_MAX 262144u

/* The capture is built in memory and written only when the whole scenario
 * succeeded (no partial files); this caps the packet bytes held. */
#define PCAPGEN_OUTPUT_MAX (256u * 1024u * 1024u)

/* An error message, including a quoted piece of the offending line. */
#define PCAPGEN_ERR_MAX 256u

#define PCAPGEN_WUR __attribute__((warn_unused_result))

/* Per-direction data is an array indexed by this (style.md, Naming). */
enum dir { DIR_C2S, DIR_S2C, DIR_COUNT };

enum status {
	ST_OK = 0,
	ST_BAD,    /* the scenario is wrong; a message says where */
	ST_TOOBIG, /* a PCAPGEN_*_MAX cap was hit: also the scenario's */
	ST_NOMEM,
	ST_IO,
	ST_LIBNET,
};

#endif
