/* tcp.c: the TCP header (RFC 9293).
 *
 * Reads ports, sequence and acknowledgment numbers, flags, window and
 * urgent pointer, and
 * skips the options by the data offset (which must be captured whole).
 * The checksum is not verified (offload, see ipv4.c).  The payload is what
 * the IP length leaves after the header; when the capture was cut short,
 * payload_caplen < payload_len and the rest is a hole for reassembly.
 */
#include "decode/ip.h"

enum stat_id
tcp_decode(struct decode_ctx *dc, struct cursor c, uint32_t wirelen)
{
	struct pkt_view *pv = dc->out;
	uint16_t sport = cursor_be16(&c);
	uint16_t dport = cursor_be16(&c);
	uint32_t seq = cursor_be32(&c);
	uint32_t ack = cursor_be32(&c);
	uint8_t off = cursor_u8(&c);
	uint8_t flags = cursor_u8(&c);
	uint16_t window = cursor_be16(&c);

	cursor_skip(&c, 2);	/* checksum */
	uint16_t urgent = cursor_be16(&c);

	if (c.bad)
		return STAT_TCP_SHORT;
	size_t hlen = (size_t)(off >> 4) * 4;

	if (hlen < 20)
		return STAT_TCP_BAD_OFFSET;
	if (hlen > wirelen)
		return STAT_TCP_BAD_OFFSET;
	cursor_skip(&c, hlen - 20);	/* options */
	if (c.bad)
		return STAT_TCP_SHORT;

	pv->sport = sport;
	pv->dport = dport;
	pv->seq = seq;
	pv->ack = ack;
	pv->flags = flags;
	pv->window = window;
	pv->urgent = urgent;
	pv->payload_off = (size_t)(c.p - dc->frame);
	pv->payload_len = wirelen - (uint32_t)hlen;
	pv->payload_caplen = (uint32_t)(c.left < pv->payload_len ? c.left
								: pv->payload_len);
	return DECODE_OK;
}
