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
 * Fragments: packet_segment() has libnet build the whole TCP segment (its
 * checksum covers all of it) and packet_build_fragment() wraps a piece of
 * it in an IP header.  IPv4 fragment headers come from libnet
 * (libnet_build_ipv4() takes the flags and offset field).  The IPv6
 * Fragment header is written here: libnet 1.1.6's libnet_build_ipv6_frag()
 * stores the offset and identification in host byte order (fixed only in
 * libnet 1.2), so on a little-endian machine it would write them swapped.
 *
 * Does not build: IP options, IPv6 extension headers other than Fragment.
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

#define ETHERTYPE_IPV4_VALUE   0x0800u
#define ETHERTYPE_IPV6_VALUE   0x86ddu
#define ETHERTYPE_8021Q        0x8100u
#define IP_FLAG_DF             0x4000u /* what Linux sets on TCP: no fragments */
#define IP_FLAG_MF             0x2000u /* more fragments follow */
#define IPV6_FRAG_M            0x0001u /* the M flag of the IPv6 Fragment header */
#define IPV6_FRAG_HDR_LEN      8u
#define IPV6_HDR_LEN           40u
#define IPPROTO_FRAGMENT_VALUE 44u /* RFC 8200 Fragment header */
#define IP_TTL_VALUE           64u
#define ARPHRD_ETHER_VALUE     1u
#define SLL_PKT_HOST           0u /* to us */
#define SLL_PKT_OUTGOING       4u /* sent by us */
#define BSD_AF_INET            2u
#define BSD_AF_INET6           24u /* NetBSD/OpenBSD value; all readers take it */

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

/* Have libnet build the IP packet of ps (TCP header, options, data, IP
 * header, and the link header libnet can build when has_link) and hand it
 * back in *pkt (malloc'd; the caller frees it).  ST_BAD or ST_LIBNET with
 * a message in err. */
static enum status
build_tcp_packet(struct packet_builder *pb, const struct packet_spec *ps,
    bool has_link, uint8_t **pkt, uint32_t *pkt_len, char *err, size_t errlen)
{
	libnet_t *l = pb->l;
	size_t tcp_len = LIBNET_TCP_H + ps->opt_len + ps->payload_len;
	size_t ip_len = (ps->is_ipv6 ? 0 : LIBNET_IPV4_H) + tcp_len;
	enum status st = ST_LIBNET;

	assert(ps->opt_len <= PACKET_TCP_OPT_MAX && ps->opt_len % 4 == 0);
	*pkt = NULL;
	*pkt_len = 0;
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
	        ps->window, 0, ps->urg_ptr, (uint16_t)tcp_len,
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
	if (has_link && libnet_link_header(pb, ps) == -1)
		goto out;
	if (libnet_pblock_coalesce(l, pkt, pkt_len) == -1)
		goto out;
	st = ST_OK;
out:
	if (st == ST_LIBNET)
		snprintf(err, errlen, "libnet: %s", libnet_geterror(l));
	libnet_clear_packet(l);
	return st;
}

/* out = the link header built by hand (if any), then pkt; frees pkt */
static enum status
finish_frame(struct packet_builder *pb, const struct packet_spec *ps,
    uint8_t *pkt, uint32_t pkt_len, struct dbuf *out, char *err, size_t errlen)
{
	uint8_t hdr[LINK_HDR_MAX];
	size_t hdr_len = hand_link_header(pb, ps, hdr);
	enum status st;

	dbuf_reset(out);
	st = dbuf_add(out, hdr, hdr_len);
	if (st == ST_OK)
		st = dbuf_add(out, pkt, pkt_len);
	free(pkt); /* coalesce allocated it with malloc */
	if (st != ST_OK)
		snprintf(err, errlen, "out of memory");
	return st;
}

enum status
packet_build(struct packet_builder *pb, const struct packet_spec *ps,
    struct dbuf *out, char *err, size_t errlen)
{
	uint8_t *pkt = NULL;
	uint32_t pkt_len = 0;
	enum status st =
	    build_tcp_packet(pb, ps, true, &pkt, &pkt_len, err, errlen);

	if (st != ST_OK)
		return st;
	return finish_frame(pb, ps, pkt, pkt_len, out, err, errlen);
}

enum status
packet_segment(struct packet_builder *pb, const struct packet_spec *ps,
    struct dbuf *out, char *err, size_t errlen)
{
	uint8_t *pkt = NULL;
	uint32_t pkt_len = 0;
	size_t ip_hdr = ps->is_ipv6 ? IPV6_HDR_LEN : LIBNET_IPV4_H;
	enum status st =
	    build_tcp_packet(pb, ps, false, &pkt, &pkt_len, err, errlen);

	if (st != ST_OK)
		return st;
	assert(pkt_len > ip_hdr); /* no IP options, no extension headers */
	dbuf_reset(out);
	st = dbuf_add(out, pkt + ip_hdr, pkt_len - ip_hdr);
	free(pkt);
	if (st != ST_OK)
		snprintf(err, errlen, "out of memory");
	return st;
}

enum status
packet_build_fragment(struct packet_builder *pb, const struct packet_spec *ps,
    const struct packet_frag *fr, struct dbuf *out, char *err, size_t errlen)
{
	libnet_t *l = pb->l;
	uint8_t *hdr_and_data = NULL;
	enum status st = ST_LIBNET;

	/* the offset field counts 8-byte units in 13 bits */
	assert(fr->offset % 8 == 0 && fr->offset / 8 <= 0x1fffu);
	if (fr->len > UINT16_MAX - IPV6_FRAG_HDR_LEN ||
	    (!ps->is_ipv6 && fr->len > UINT16_MAX - LIBNET_IPV4_H)) {
		snprintf(err, errlen,
		    "a fragment of %zu bytes does not fit in one IP packet",
		    fr->len);
		return ST_BAD;
	}
	if (ps->is_ipv6) {
		struct libnet_in6_addr src, dst;
		size_t n = IPV6_FRAG_HDR_LEN + fr->len;
		uint16_t off_m =
		    (uint16_t)(fr->offset | (fr->has_more ? IPV6_FRAG_M : 0u));

		hdr_and_data = malloc(n);
		if (hdr_and_data == NULL) {
			snprintf(err, errlen, "out of memory");
			return ST_NOMEM;
		}
		/* next header, reserved, offset and M, identification */
		hdr_and_data[0] = IPPROTO_TCP;
		hdr_and_data[1] = 0;
		put16(hdr_and_data + 2, off_m);
		put32(hdr_and_data + 4, fr->id, true);
		memcpy(hdr_and_data + IPV6_FRAG_HDR_LEN, fr->data, fr->len);
		memcpy(&src, ps->src_ip, sizeof src);
		memcpy(&dst, ps->dst_ip, sizeof dst);
		if (libnet_build_ipv6(0, 0, (uint16_t)n, IPPROTO_FRAGMENT_VALUE,
		        IP_TTL_VALUE, src, dst, hdr_and_data, (uint32_t)n, l,
		        0) == -1)
			goto out;
	} else {
		uint32_t src, dst;
		uint16_t frag = (uint16_t)((fr->offset / 8) |
		    (fr->has_more ? IP_FLAG_MF : 0u));

		memcpy(&src, ps->src_ip, sizeof src);
		memcpy(&dst, ps->dst_ip, sizeof dst);
		if (libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + fr->len), 0,
		        (uint16_t)fr->id, frag, IP_TTL_VALUE, IPPROTO_TCP, 0,
		        src, dst, fr->len > 0 ? fr->data : NULL,
		        (uint32_t)fr->len, l, 0) == -1)
			goto out;
	}
	if (libnet_link_header(pb, ps) == -1)
		goto out;
	uint8_t *pkt = NULL;
	uint32_t pkt_len = 0;
	if (libnet_pblock_coalesce(l, &pkt, &pkt_len) == -1)
		goto out;
	libnet_clear_packet(l);
	free(hdr_and_data);
	return finish_frame(pb, ps, pkt, pkt_len, out, err, errlen);
out:
	snprintf(err, errlen, "libnet: %s", libnet_geterror(l));
	libnet_clear_packet(l);
	free(hdr_and_data);
	return st;
}
