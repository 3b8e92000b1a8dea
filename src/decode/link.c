/* link.c: link-layer headers down to IP.
 *
 * Handles Ethernet (with 802.1Q, QinQ 0x88a8 and 0x9100 tags), Linux
 * cooked v1 and v2, BSD loopback (NULL and LOOP) and raw IP (RAW, IPV4,
 * IPV6).  Every other link type is refused when the capture is opened
 * (link_supported()), not per packet.  Does not handle: PPPoE, MPLS, GRE,
 * VXLAN, 802.11 (the packet is counted as link_not_ip).
 */
#include "decode/link.h"

#include <pcap/dlt.h>

#include "decode/ip.h"
#include "bounds.h"

#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_IPV6 0x86ddu
#define ETHERTYPE_VLAN 0x8100u
#define ETHERTYPE_QINQ 0x88a8u
#define ETHERTYPE_QINQ_OLD 0x9100u

/* BSD address families as loopback captures from any BSD write them. */
#define BSD_AF_INET 2u
#define BSD_AF_INET6_LINUX 10u
#define BSD_AF_INET6_BSD 24u
#define BSD_AF_INET6_FREEBSD 28u
#define BSD_AF_INET6_DARWIN 30u

bool
link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	default:
		return false;
	}
}

static bool
is_vlan(uint16_t type)
{
	return type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	    type == ETHERTYPE_QINQ_OLD;
}

/* After the link header: `type` is an Ethertype, possibly a VLAN tag. */
static enum stat_id
ethertype(struct decode_ctx *dc, uint16_t type, struct cursor c)
{
	unsigned tags = 0;

	while (is_vlan(type)) {
		if (++tags > VLAN_DEPTH_MAX)
			return STAT_VLAN_TOO_DEEP;
		cursor_skip(&c, 2);	/* PCP, DEI, VLAN id */
		type = cursor_be16(&c);
		if (c.bad)
			return STAT_LINK_SHORT;
	}
	if (type == ETHERTYPE_IPV4)
		return ipv4_decode(dc, c);
	if (type == ETHERTYPE_IPV6)
		return ipv6_decode(dc, c);
	return STAT_LINK_NOT_IP;
}

/* NULL and LOOP carry the sender's address family as a 32-bit word. */
static enum stat_id
bsd_family(struct decode_ctx *dc, uint32_t family, struct cursor c)
{
	switch (family) {
	case BSD_AF_INET:
	case BSD_AF_INET6_LINUX:
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		/* the IP version nibble says which; the family only
		 * tells IP from everything else */
		return ip_decode(dc, c);
	default:
		return STAT_LINK_NOT_IP;
	}
}

enum stat_id
link_decode(int dlt, const uint8_t *frame, size_t caplen, struct pkt_view *out)
{
	/* out is only written here, and read by the caller on DECODE_OK */
	// cppcheck-suppress ctuuninitvar
	struct decode_ctx dc = {frame, 0, out};
	struct cursor c = cursor_make(frame, caplen);
	uint16_t type;
	uint32_t family;

	switch (dlt) {
	case DLT_EN10MB:
		cursor_skip(&c, 12);	/* destination, source */
		type = cursor_be16(&c);
		if (c.bad)
			return STAT_LINK_SHORT;
		return ethertype(&dc, type, c);
	case DLT_LINUX_SLL:
		/* packet type, ARPHRD, address length, address[8] */
		cursor_skip(&c, 14);
		type = cursor_be16(&c);
		if (c.bad)
			return STAT_LINK_SHORT;
		return ethertype(&dc, type, c);
	case DLT_LINUX_SLL2:
		type = cursor_be16(&c);
		/* reserved, ifindex, ARPHRD, packet type, addr len, addr */
		cursor_skip(&c, 18);
		if (c.bad)
			return STAT_LINK_SHORT;
		return ethertype(&dc, type, c);
	case DLT_NULL:
		/* host byte order of the capturing machine, unknown to
		 * us: families are small, so the non-zero half says which */
		family = cursor_le32(&c);
		if (c.bad)
			return STAT_LINK_SHORT;
		if (family > 0xffffu)
			family = (family >> 24) | ((family >> 8) & 0xff00u);
		return bsd_family(&dc, family, c);
	case DLT_LOOP:
		family = cursor_be32(&c);
		if (c.bad)
			return STAT_LINK_SHORT;
		return bsd_family(&dc, family, c);
	case DLT_RAW:
		return ip_decode(&dc, c);
	case DLT_IPV4:
		return ipv4_decode(&dc, c);
	case DLT_IPV6:
		return ipv6_decode(&dc, c);
	default:
		return STAT_LINK_NOT_IP;
	}
}
