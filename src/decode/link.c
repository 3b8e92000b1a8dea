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
#include <string.h>

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

/* The frame nearly every packet is: Ethernet, with one 802.1Q tag or
 * none (a trunk's span port tags every frame), IPv4 without options, not
 * a fragment, TCP, all its header bytes captured.  Decoded here after one
 * bounds check, with the checks and results of the general path
 * (ethertype(), ipv4_decode(), tcp_decode(): the decode fuzz target and
 * unit tests compare the two on every input); anything else, including
 * every error, is left to it (false).  A third of the decoding's
 * instructions on bench/run mail were calls and cursors. */
static bool
fast_ether_ipv4_tcp(const uint8_t *f, size_t caplen, struct pkt_view *pv)
{
	size_t l2 = 14;		/* the IPv4 header's offset */

	if (caplen >= 18 && f[12] == 0x81 && f[13] == 0x00)
		l2 = 18;	/* TPID, then PCP, DEI and VLAN id */
	const uint8_t *ip = f + l2;

	if (caplen < l2 + 40 || f[l2 - 2] != 0x08 || f[l2 - 1] != 0x00 ||
	    ip[0] != 0x45 || ip[9] != 6 ||
	    (block_be16(ip + 6) & 0x3fffu) != 0)
		return false;	/* not the case, or a fragment */
	size_t avail = caplen - l2;	/* after the Ethernet header */
	uint32_t totlen = block_be16(ip + 2);
	size_t hlen = (size_t)(ip[32] >> 4) * 4;

	if (totlen < 20 + 20 || hlen < 20 || hlen > totlen - 20)
		return false;	/* short or bad: the general path says */
	/* the TCP segment: what the IP length says, or less when the
	 * capture was cut; its options must be captured whole */
	uint32_t wirelen = totlen - 20;
	size_t have = totlen <= avail ? wirelen : avail - 20;

	if (hlen > have)
		return false;
	pv->family = 4;
	memset(pv->src, 0, sizeof(pv->src));
	memset(pv->dst, 0, sizeof(pv->dst));
	memcpy(pv->src, ip + 12, 4);
	memcpy(pv->dst, ip + 16, 4);
	pv->sport = block_be16(ip + 20);
	pv->dport = block_be16(ip + 22);
	pv->seq = block_be32(ip + 24);
	pv->ack = block_be32(ip + 28);
	pv->flags = ip[33];
	pv->window = block_be16(ip + 34);
	pv->urgent = block_be16(ip + 38);
	pv->payload_off = l2 + 20 + hlen;
	pv->payload_len = wirelen - (uint32_t)hlen;
	pv->payload_caplen = (uint32_t)(have - hlen < pv->payload_len
		? have - hlen
		: pv->payload_len);
	return true;
}

enum stat_id
link_decode(int dlt, const uint8_t *frame, size_t caplen, struct pkt_view *out)
{
	if (dlt == DLT_EN10MB && fast_ether_ipv4_tcp(frame, caplen, out))
		return DECODE_OK;
	return link_decode_general(dlt, frame, caplen, out);
}

enum stat_id
link_decode_general(int dlt, const uint8_t *frame, size_t caplen,
    struct pkt_view *out)
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
