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
	/* ports, seq, ack, offset, flags, window, checksum, urgent */
	const uint8_t *h = cursor_block(&c, 20);

	if (h == NULL)
		return STAT_TCP_SHORT;
	size_t hlen = (size_t)(h[12] >> 4) * 4;

	if (hlen < 20)
		return STAT_TCP_BAD_OFFSET;
	if (hlen > wirelen)
		return STAT_TCP_BAD_OFFSET;
	cursor_skip(&c, hlen - 20);	/* options */
	if (c.bad)
		return STAT_TCP_SHORT;

	pv->sport = block_be16(h);
	pv->dport = block_be16(h + 2);
	pv->seq = block_be32(h + 4);
	pv->ack = block_be32(h + 8);
	pv->flags = h[13];
	pv->window = block_be16(h + 14);
	pv->urgent = block_be16(h + 18);	/* h + 16: checksum, unchecked */
	pv->payload_off = (size_t)(c.p - dc->frame);
	pv->payload_len = wirelen - (uint32_t)hlen;
	pv->payload_caplen = (uint32_t)(c.left < pv->payload_len ? c.left
								: pv->payload_len);
	return DECODE_OK;
}
