/* ip.h: IPv4, IPv6 and TCP decoding (ip.c dispatches, ipv4.c, ipv6.c and
 * tcp.c each decode one header). */
#ifndef PLAINSIGHT_IP_H
#define PLAINSIGHT_IP_H

#include "decode/pkt.h"
#include "util/cursor.h"

/* The state shared while one packet is decoded. */
struct decode_ctx {
	const uint8_t *frame;	/* start of the frame, for payload_off */
	unsigned depth;		/* IP headers seen (tunnels) */
	struct pkt_view *out;
};

/* ip_decode(): an IP packet whose version only its first nibble tells
 * (raw IP and BSD loopback links). */
enum stat_id ip_decode(struct decode_ctx *dc, struct cursor c);

/* ip_enter(): one more IP header on this packet; false when tunnels nest
 * deeper than IP_TUNNEL_DEPTH_MAX. */
bool ip_enter(struct decode_ctx *dc);

/* ip_payload(): the header after an IP header: `proto` is the IPv4
 * protocol or IPv6 next header; `c` holds the captured bytes of that
 * payload and `wirelen` its length on the wire. */
enum stat_id ip_payload(struct decode_ctx *dc, uint8_t proto, struct cursor c,
    uint32_t wirelen);

enum stat_id ipv4_decode(struct decode_ctx *dc, struct cursor c);
enum stat_id ipv6_decode(struct decode_ctx *dc, struct cursor c);
enum stat_id tcp_decode(struct decode_ctx *dc, struct cursor c,
    uint32_t wirelen);

#endif
