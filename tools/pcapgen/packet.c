/* packet.c: one TCP segment as a link-layer frame, built with libnet 1.1.6.
 *
 * libnet runs in LIBNET_NONE mode (no device, no privileges) and
 * libnet_pblock_coalesce() hands back the assembled packet with the IPv4
 * header checksum and the TCP checksum (IPv4 or IPv6 pseudo-header)
 * filled in.  libnet_adv_cull_packet() would refuse in that mode.
 *
 * Link headers: Ethernet and one 802.1Q tag come from libnet.  libnet
 * cannot stack two tags, has no Linux cooked or BSD loopback builder and
 * builds nothing for the raw link types, so for those libnet builds the
 * IP packet only and this file prepends the link header bytes.  Those
 * layouts are from https://www.tcpdump.org/linktypes.html.
 *
 * Does not build: IP options, IPv6 extension headers, fragments.
 */
/* libnet.h uses the BSD type `uint`, which glibc declares only with
 * _DEFAULT_SOURCE; the rest of pcapgen is plain POSIX. */
#define _DEFAULT_SOURCE 1

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnet.h>

#include "packet.h"

#define ETHERTYPE_IPV4_VALUE 0x0800u
#define ETHERTYPE_IPV6_VALUE 0x86ddu
#define ETHERTYPE_8021Q      0x8100u
#define IP_FLAG_DF           0x4000u /* what Linux sets on TCP: no fragments */
#define IP_TTL_VALUE         64u
#define ARPHRD_ETHER_VALUE   1u
#define SLL_PKT_HOST         0u /* to us */
#define SLL_PKT_OUTGOING     4u /* sent by us */
#define BSD_AF_INET          2u
#define BSD_AF_INET6         24u /* NetBSD/OpenBSD value; all readers take it */

/* Longest link header built by hand: SLL2 (20 bytes). */
#define LINK_HDR_MAX 24u

static const struct {
	const char *name;
	uint32_t dlt;
} packet_links[] = {
    [PACKET_LINK_ETHERNET] = {"ethernet", 1},
    [PACKET_LINK_SLL] = {"linux-sll", 113},
    [PACKET_LINK_SLL2] = {"linux-sll2", 276},
    [PACKET_LINK_RAW] = {"raw", 101},
    [PACKET_LINK_IPV4] = {"ipv4", 228},
    [PACKET_LINK_IPV6] = {"ipv6", 229},
    [PACKET_LINK_NULL] = {"null", 0},
    [PACKET_LINK_LOOP] = {"loop", 108},
};
static_assert(
    sizeof(packet_links) / sizeof(packet_links[0]) == PACKET_LINK_COUNT,
    "every packet_link needs a name and a DLT");

bool
packet_link_from_name(const char *p, size_t len, enum packet_link *out)
{
	for (size_t i = 0; i < PACKET_LINK_COUNT; i++) {
		const char *name = packet_links[i].name;
		if (strlen(name) == len && memcmp(name, p, len) == 0) {
			*out = (enum packet_link)i;
			return true;
		}
	}
	return false;
}

const char *
packet_link_name(enum packet_link link)
{
	assert(link < PACKET_LINK_COUNT);
	return packet_links[link].name;
}

uint32_t
packet_link_dlt(enum packet_link link)
{
	assert(link < PACKET_LINK_COUNT);
	return packet_links[link].dlt;
}

bool
packet_link_carries(enum packet_link link, bool is_ipv6)
{
	if (link == PACKET_LINK_IPV4)
		return !is_ipv6;
	if (link == PACKET_LINK_IPV6)
		return is_ipv6;
	return true;
}

enum status
packet_builder_init(struct packet_builder *pb, char *err, size_t errlen)
{
	char errbuf[LIBNET_ERRBUF_SIZE] = "";

	memset(pb, 0, sizeof *pb);
	pb->link = PACKET_LINK_ETHERNET;
	pb->vlan_tpid = ETHERTYPE_8021Q;
	pb->l = libnet_init(LIBNET_NONE, NULL, errbuf);
	if (pb->l == NULL) {
		snprintf(err, errlen, "libnet_init: %s", errbuf);
		return ST_LIBNET;
	}
	return ST_OK;
}

void
packet_builder_free(struct packet_builder *pb)
{
	if (pb->l != NULL)
		libnet_destroy(pb->l);
	pb->l = NULL;
}

static size_t
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t
put32(uint8_t *p, uint32_t v, bool is_be)
{
	for (size_t i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (is_be ? 8 * (3 - i) : 8 * i));
	return 4;
}

/* The link header packet.c writes itself, if any, into h; returns its
 * length.  Ethernet without QinQ returns 0: libnet built that one. */
static size_t
hand_link_header(const struct packet_builder *pb, const struct packet_spec *ps,
    uint8_t h[LINK_HDR_MAX])
{
	uint16_t ethertype = (uint16_t)(ps->is_ipv6 ? ETHERTYPE_IPV6_VALUE
	                                            : ETHERTYPE_IPV4_VALUE);
	uint32_t family = ps->is_ipv6 ? BSD_AF_INET6 : BSD_AF_INET;
	uint8_t sll_type =
	    (uint8_t)(ps->is_outgoing ? SLL_PKT_OUTGOING : SLL_PKT_HOST);
	size_t n = 0;

	switch (pb->link) {
	case PACKET_LINK_ETHERNET:
		if (pb->vlan_count < 2)
			return 0;
		/* QinQ: dst, src, outer tag, inner 802.1Q tag, ethertype */
		memcpy(h, ps->dst_mac, 6);
		memcpy(h + 6, ps->src_mac, 6);
		n = 12;
		n += put16(h + n, pb->vlan_tpid);
		n += put16(h + n, pb->vlan_id[0]); /* PCP 0, DEI 0 */
		n += put16(h + n, ETHERTYPE_8021Q);
		n += put16(h + n, pb->vlan_id[1]);
		n += put16(h + n, ethertype);
		return n;
	case PACKET_LINK_SLL:
		/* packet type, ARPHRD, address length, address (8), protocol;
		 * the address is the sender's MAC, as Linux records it */
		n += put16(h + n, sll_type);
		n += put16(h + n, ARPHRD_ETHER_VALUE);
		n += put16(h + n, 6);
		memcpy(h + n, ps->src_mac, 6);
		memset(h + n + 6, 0, 2);
		n += 8;
		n += put16(h + n, ethertype);
		return n;
	case PACKET_LINK_SLL2:
		/* protocol, reserved, ifindex, ARPHRD, type, addr len, addr */
		n += put16(h + n, ethertype);
		n += put16(h + n, 0);
		n += put32(h + n, 1, true);
		n += put16(h + n, ARPHRD_ETHER_VALUE);
		h[n++] = sll_type;
		h[n++] = 6;
		memcpy(h + n, ps->src_mac, 6);
		memset(h + n + 6, 0, 2);
		n += 8;
		return n;
	case PACKET_LINK_NULL:
		return put32(h, family, pb->is_null_be);
	case PACKET_LINK_LOOP:
		return put32(h, family, true);
	case PACKET_LINK_RAW:
	case PACKET_LINK_IPV4:
	case PACKET_LINK_IPV6:
	case PACKET_LINK_COUNT:
		break;
	}
	return 0;
}

/* the libnet part of the link header: Ethernet with at most one tag */
static int
libnet_link_header(
    const struct packet_builder *pb, const struct packet_spec *ps)
{
	uint16_t ethertype = (uint16_t)(ps->is_ipv6 ? ETHERTYPE_IPV6_VALUE
	                                            : ETHERTYPE_IPV4_VALUE);

	if (pb->link != PACKET_LINK_ETHERNET || pb->vlan_count > 1)
		return 0;
	if (pb->vlan_count == 1)
		return libnet_build_802_1q(ps->dst_mac, ps->src_mac,
		           pb->vlan_tpid, 0, 0, pb->vlan_id[0], ethertype, NULL,
		           0, pb->l, 0) == -1
		    ? -1
		    : 0;
	return libnet_build_ethernet(
	           ps->dst_mac, ps->src_mac, ethertype, NULL, 0, pb->l, 0) == -1
	    ? -1
	    : 0;
}

enum status
packet_build(struct packet_builder *pb, const struct packet_spec *ps,
    struct dbuf *out, char *err, size_t errlen)
{
	libnet_t *l = pb->l;
	size_t tcp_len = LIBNET_TCP_H + ps->opt_len + ps->payload_len;
	size_t ip_len = (ps->is_ipv6 ? 0 : LIBNET_IPV4_H) + tcp_len;
	enum status st = ST_LIBNET;

	assert(ps->opt_len <= PACKET_TCP_OPT_MAX && ps->opt_len % 4 == 0);
	/* The IPv4 total length and the IPv6 payload length are 16 bits;
	 * libnet would truncate a longer one without a word. */
	if (ps->payload_len > UINT16_MAX || ip_len > UINT16_MAX) {
		snprintf(err, errlen,
		    "a segment of %zu bytes does not fit in one IP packet",
		    ps->payload_len);
		return ST_BAD;
	}

	/* libnet stacks blocks from the top layer down */
	if (ps->opt_len > 0 &&
	    libnet_build_tcp_options(ps->opts, (uint32_t)ps->opt_len, l, 0) ==
	        -1)
		goto out;
	if (libnet_build_tcp(ps->sport, ps->dport, ps->seq, ps->ack, ps->flags,
	        ps->window, 0, 0, (uint16_t)tcp_len,
	        ps->payload_len > 0 ? ps->payload : NULL,
	        (uint32_t)ps->payload_len, l, 0) == -1)
		goto out;
	if (ps->is_ipv6) {
		struct libnet_in6_addr src, dst;
		memcpy(&src, ps->src_ip, sizeof src);
		memcpy(&dst, ps->dst_ip, sizeof dst);
		if (libnet_build_ipv6(0, 0, (uint16_t)tcp_len, IPPROTO_TCP,
		        IP_TTL_VALUE, src, dst, NULL, 0, l, 0) == -1)
			goto out;
	} else {
		uint32_t src, dst; /* network byte order, as libnet wants */
		memcpy(&src, ps->src_ip, sizeof src);
		memcpy(&dst, ps->dst_ip, sizeof dst);
		if (libnet_build_ipv4((uint16_t)ip_len, 0, ps->ip_id,
		        IP_FLAG_DF, IP_TTL_VALUE, IPPROTO_TCP, 0, src, dst,
		        NULL, 0, l, 0) == -1)
			goto out;
	}
	if (libnet_link_header(pb, ps) == -1)
		goto out;

	uint8_t *pkt = NULL;
	uint32_t pkt_len = 0;
	if (libnet_pblock_coalesce(l, &pkt, &pkt_len) == -1)
		goto out;
	uint8_t hdr[LINK_HDR_MAX];
	size_t hdr_len = hand_link_header(pb, ps, hdr);
	dbuf_reset(out);
	st = dbuf_add(out, hdr, hdr_len);
	if (st == ST_OK)
		st = dbuf_add(out, pkt, pkt_len);
	free(pkt); /* coalesce allocated it with malloc */
	if (st != ST_OK)
		snprintf(err, errlen, "out of memory");
out:
	if (st == ST_LIBNET)
		snprintf(err, errlen, "libnet: %s", libnet_geterror(l));
	libnet_clear_packet(l);
	return st;
}
