/* ipv4.c: the IPv4 header (RFC 791).
 *
 * Checks in order: length, version, header length, total length,
 * fragment.  The total length is trusted over the captured length: less
 * captured than it says is a snaplen cut (the payload is analysed as far
 * as it goes), more is Ethernet padding (ignored).  The header checksum is
 * not verified: captures taken on the sending host carry offloaded,
 * not-yet-computed checksums, and a passive sensor gains nothing by
 * dropping them.  Fragments are described in pkt_view.frag for
 * reassembly (defrag.c).
 */
#include "decode/ip.h"

#include <string.h>

#define IPV4_MF 0x2000u
#define IPV4_OFFSET_MASK 0x1fffu

enum stat_id
ipv4_decode(struct decode_ctx *dc, struct cursor c)
{
	if (!ip_enter(dc))
		return STAT_IP_TUNNEL_TOO_DEEP;
	size_t avail = c.left;
	/* version/IHL, DSCP/ECN, total length, id, flags/offset, TTL,
	 * protocol, checksum (see above), source, destination */
	const uint8_t *h = cursor_block(&c, 20);

	if (h == NULL)
		return STAT_IPV4_SHORT;
	uint8_t vihl = h[0];
	size_t ihl = (size_t)(vihl & 0x0fu) * 4;
	uint16_t totlen = block_be16(h + 2);
	uint16_t id = block_be16(h + 4);
	uint16_t frag = block_be16(h + 6);
	uint8_t proto = h[9];

	if (vihl >> 4 != 4)
		return STAT_IPV4_BAD_VERSION;
	if (ihl < 20)
		return STAT_IPV4_BAD_IHL;
	if (totlen < ihl)
		return STAT_IPV4_BAD_TOTLEN;
	/* options: the header length says how many, and they must all
	 * have been captured */
	cursor_skip(&c, ihl - 20);
	if (c.bad)
		return STAT_IPV4_SHORT;

	struct pkt_view *pv = dc->out;

	pv->family = 4;
	memset(pv->src, 0, sizeof(pv->src));
	memset(pv->dst, 0, sizeof(pv->dst));
	memcpy(pv->src, h + 12, 4);
	memcpy(pv->dst, h + 16, 4);

	uint32_t wirelen = (uint32_t)(totlen - ihl);

	if ((frag & IPV4_MF) || (frag & IPV4_OFFSET_MASK)) {
		/* for reassembly (defrag.c): where the data goes */
		struct pkt_frag *f = &pv->frag;

		f->family = 4;
		f->proto = proto;
		f->is_last = !(frag & IPV4_MF);
		f->id = id;
		f->offset = (uint32_t)(frag & IPV4_OFFSET_MASK) * 8;
		f->len = wirelen;
		f->is_cut = totlen > avail;
		f->data_off = (size_t)(c.p - dc->frame);
		return STAT_IPV4_FRAGMENT;
	}
	size_t have = c.left;

	/* more captured than the total length: link padding, dropped;
	 * less: a snaplen cut, analysed as far as it goes */
	if (totlen <= avail)
		have = wirelen;
	return ip_payload(dc, proto, cursor_take(&c, have), wirelen);
}
