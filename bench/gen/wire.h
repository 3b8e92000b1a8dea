/* wire.h: packets onto a pcap file.
 *
 * Writes the classic pcap format (microsecond timestamps, Ethernet link
 * type) with Ethernet, optional 802.1Q, IPv4 or IPv6, and TCP headers
 * built here, checksums included: the peers the benchmark compares with
 * check IP and TCP checksums less strictly than plainsight does, so every
 * one of them must be right.  Frames shorter than the Ethernet minimum
 * are padded as a span port delivers them.
 *
 * Does not: fragment, write IP options, or write any other link type
 * (tools/pcapgen covers those cases, one fixture at a time).
 */
#ifndef BENCH_WIRE_H
#define BENCH_WIRE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define WIRE_MSS_V4 1460u
#define WIRE_MSS_V6 1440u

/* TCP flags, as on the wire. */
#define WIRE_FIN 0x01u
#define WIRE_SYN 0x02u
#define WIRE_RST 0x04u
#define WIRE_PSH 0x08u
#define WIRE_ACK 0x10u

/* Side 0 is the client, side 1 the server. */
struct wire_path {
	uint8_t family;		/* 4 or 6 */
	uint8_t addr[2][16];	/* IPv4 in the first 4 bytes */
	uint16_t port[2];
	uint8_t mac[2][6];
	uint16_t vlan;		/* 802.1Q id; 0: untagged */
};

struct wire_seg {
	uint8_t from;		/* 0: client, 1: server */
	uint8_t flags;
	uint32_t seq;
	uint32_t ack;
	const uint8_t *p;	/* payload; NULL when len is 0 */
	uint32_t len;
};

struct wire {
	FILE *f;
	uint8_t *buf;		/* records not yet written */
	size_t len;
	size_t cap;
	uint64_t packets;
	uint64_t file_bytes;	/* including the file header */
	uint64_t wire_bytes;	/* frame lengths, as tools count them */
	bool is_error;
};

/* wire_open(): create path and write the file header.  False with errno
 * set if the file cannot be created. */
bool wire_open(struct wire *w, const char *path);

/* wire_tcp(): one TCP segment of path, sent by side s->from at ts_us
 * (microseconds since the epoch).  SYNs carry an MSS option.  ipid is the
 * IPv4 identification (ignored for IPv6). */
void wire_tcp(struct wire *w, uint64_t ts_us, const struct wire_path *path,
    const struct wire_seg *s, uint16_t ipid);

/* wire_close(): flush and close; false if any write failed. */
bool wire_close(struct wire *w);

/* wire_addr_text(): the address of side `side` as text. */
void wire_addr_text(const struct wire_path *path, unsigned side, char *out,
    size_t cap);

#endif
