/* ip.c: which header comes next after a link or IP header.
 *
 * Follows IPv4 and IPv6 to TCP, through IP-in-IP and 6in4 tunnels up to
 * IP_TUNNEL_DEPTH_MAX deep (the innermost addresses win).  Where the link
 * layer names the IP version (an Ethertype, DLT_IPV4/IPV6, the tunnel's
 * protocol number) that version's decoder checks the header's own.  An ICMP error
 * that quotes a TCP header is ICMP, not TCP: it is never analysed.
 */
#include "decode/ip.h"

#include "bounds.h"

#define IPPROTO_NUM_IPV4 4u
#define IPPROTO_NUM_TCP 6u
#define IPPROTO_NUM_IPV6 41u

bool
ip_enter(struct decode_ctx *dc)
{
	/* the outer header plus IP_TUNNEL_DEPTH_MAX encapsulated ones */
	return ++dc->depth <= IP_TUNNEL_DEPTH_MAX + 1;
}

enum stat_id
ip_decode(struct decode_ctx *dc, struct cursor c)
{
	int first = cursor_peek(&c, 0);

	if (first < 0)
		return STAT_IPV4_SHORT;
	/* a version that is neither is counted as a bad IPv4 version */
	return first >> 4 == 6 ? ipv6_decode(dc, c) : ipv4_decode(dc, c);
}

enum stat_id
ip_payload(struct decode_ctx *dc, uint8_t proto, struct cursor c,
    uint32_t wirelen)
{
	switch (proto) {
	case IPPROTO_NUM_TCP:
		return tcp_decode(dc, c, wirelen);
	/* a tunnelled packet cut by the snaplen is decoded from what was
	 * captured, like any other */
	case IPPROTO_NUM_IPV4:
		return ipv4_decode(dc, c);
	case IPPROTO_NUM_IPV6:
		return ipv6_decode(dc, c);
	default:
		return STAT_IP_NOT_TCP;
	}
}
