/* pkt.h: what the decoders learn from one packet (struct pkt_view).
 *
 * Filled by link_decode() from the captured bytes alone; every field is
 * checked against the captured length before it is set.  The view points
 * into the packet buffer: valid until the caller's next packet.
 */
#ifndef PLAINSIGHT_PKT_H
#define PLAINSIGHT_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plainsight/stats.h"

#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_RST 0x04u
#define TCP_PSH 0x08u
#define TCP_ACK 0x10u
#define TCP_URG 0x20u

/* An IP fragment, when a decoder returns STAT_IPV4_FRAGMENT or
 * STAT_IPV6_FRAGMENT: what reassembly (defrag.c) needs. */
struct pkt_frag {
	uint8_t family;		/* 4 or 6 */
	uint8_t proto;		/* protocol / next header after reassembly */
	bool is_last;		/* More Fragments clear */
	uint32_t id;		/* identification */
	uint32_t offset;	/* of this fragment's data, bytes */
	uint32_t len;		/* data bytes on the wire */
	bool is_cut;		/* fewer bytes captured than len */
	size_t data_off;	/* offset of the data in the frame */
};

struct pkt_view {
	uint8_t family;		/* 4 or 6 */
	uint8_t src[16];	/* IPv4 in the first 4 bytes, rest zero */
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags;		/* TCP_* */
	uint16_t window;
	uint16_t urgent;	/* urgent pointer, meaningful with TCP_URG */
	size_t payload_off;	/* offset of the TCP payload in the frame */
	uint32_t payload_caplen;	/* payload bytes present */
	uint32_t payload_len;	/* payload bytes on the wire (IP length) */
	struct pkt_frag frag;	/* set only for a fragment */
};

/* Every decoder returns STAT_PACKETS when the packet was decoded (it is
 * the counter the caller bumps anyway), or the named reason it was not. */
#define DECODE_OK STAT_PACKETS

#endif
