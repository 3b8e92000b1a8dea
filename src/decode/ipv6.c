/* ipv6.c: the IPv6 header and its extension headers (RFC 8200).
 *
 * Walks hop-by-hop, routing, destination options and AH headers up to
 * IPV6_EXT_MAX of them, each fully captured or the packet is refused.
 * Fragments (next header 44) are described in pkt_view.frag for
 * reassembly (defrag.c), except atomic ones (offset 0, no More
 * Fragments), which are whole packets; ESP and "no next
 * header" end the walk as not TCP.  The payload length is trusted over the
 * captured length as for IPv4; jumbograms (payload length 0) are not
 * followed.
 */
#include "decode/ip.h"

#include <string.h>

#include "bounds.h"

#define NH_HOPOPTS 0u
#define NH_ROUTING 43u
#define NH_FRAGMENT 44u
#define NH_AH 51u
#define NH_DSTOPTS 60u
#define NH_MOBILITY 135u

enum stat_id
ipv6_decode(struct decode_ctx *dc, struct cursor c)
{
	if (!ip_enter(dc))
		return STAT_IP_TUNNEL_TOO_DEEP;
	size_t avail = c.left;
	uint32_t vtcfl = cursor_be32(&c);
	uint16_t plen = cursor_be16(&c);
	uint8_t nh = cursor_u8(&c);

	cursor_skip(&c, 1);	/* hop limit */
	uint8_t src[16], dst[16];

	cursor_copy(&c, src, 16);
	cursor_copy(&c, dst, 16);
	if (c.bad)
		return STAT_IPV6_SHORT;
	if (vtcfl >> 28 != 6)
		return STAT_IPV6_BAD_VERSION;

	struct pkt_view *pv = dc->out;

	pv->family = 6;
	memcpy(pv->src, src, 16);
	memcpy(pv->dst, dst, 16);

	/* From here on `c` holds the captured part of the payload. */
	if ((size_t)plen + 40 <= avail)
		c = cursor_take(&c, plen);	/* drop link padding */
	uint32_t wirelen = plen;

	for (unsigned n = 0;; n++) {
		size_t len;

		switch (nh) {
		case NH_HOPOPTS:
		case NH_ROUTING:
		case NH_DSTOPTS:
		case NH_MOBILITY:
		case NH_AH:
			break;
		case NH_FRAGMENT:
			break;	/* atomic fragments are whole: see below */
		default:
			return ip_payload(dc, nh, c, wirelen);
		}
		if (n >= IPV6_EXT_MAX)
			return STAT_IPV6_BAD_EXT;
		if (nh == NH_FRAGMENT) {
			/* offset 0 without More Fragments is an atomic
			 * fragment, "processed as a fully reassembled packet"
			 * (RFC 8200 sec. 4.5, RFC 6946); others are counted
			 * and skipped */
			struct cursor f = c;
			uint8_t next = cursor_u8(&f);

			cursor_skip(&f, 1);
			uint16_t off_m = cursor_be16(&f);
			uint32_t id = cursor_be32(&f);

			if (f.bad || wirelen < 8)
				return STAT_IPV6_BAD_EXT;
			if (off_m & 0xfff9u) {	/* offset or M set */
				struct pkt_frag *fr = &pv->frag;

				fr->family = 6;
				fr->proto = next;
				fr->is_last = !(off_m & 1u);
				fr->id = id;
				fr->offset = (uint32_t)(off_m >> 3) * 8;
				fr->len = wirelen - 8;
				fr->is_cut = f.left < wirelen - 8;
				fr->data_off = (size_t)(f.p - dc->frame);
				return STAT_IPV6_FRAGMENT;
			}
			c = f;
			wirelen -= 8;
			nh = next;
			continue;
		}
		uint8_t next = cursor_u8(&c);
		uint8_t hlen = cursor_u8(&c);

		/* AH counts 4-byte words minus 2, the others 8-byte
		 * words not counting the first 8 bytes (RFC 4302, 8200) */
		len = nh == NH_AH ? ((size_t)hlen + 2) * 4
				  : ((size_t)hlen + 1) * 8;
		cursor_skip(&c, len - 2);
		if (c.bad || len > wirelen)
			return STAT_IPV6_BAD_EXT;
		wirelen -= (uint32_t)len;
		nh = next;
	}
}
