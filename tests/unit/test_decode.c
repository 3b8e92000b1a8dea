/* test_decode.c: link_decode() and the IPv4, IPv6 and TCP decoders.
 *
 * Every frame is laid out by hand, field by field, from the standard that
 * defines it: Ethernet II and IEEE 802.1Q / 802.1ad tags, the Linux cooked
 * headers and the BSD loopback headers as tcpdump.org's link-type list
 * describes them (LINKTYPE_LINUX_SLL, _LINUX_SLL2, _NULL, _LOOP, _RAW,
 * _IPV4, _IPV6), IPv4 (RFC 791 sec. 3.1), IPv6 and its extension headers
 * (RFC 8200 sec. 3-4, AH from RFC 4302 sec. 2) and TCP (RFC 9293 sec.
 * 3.1).  Expected offsets are written as sums of those header sizes.
 * Every checksum in these frames is deliberately wrong (0xdead, 0xbeef):
 * the decoders must not care (ipv4.c, tcp.c).
 *
 * Each frame is handed to link_decode() in an exactly-sized malloc copy,
 * so AddressSanitizer reports a read one byte past the captured length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <pcap/dlt.h>

#include "decode/link.h"
#include "decode/pkt.h"
#include "bounds.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Sizes from the standards, so expected offsets read as header sums. */
#define ETH_HLEN 14u	/* destination, source, Ethertype */
#define VLAN_TAG_LEN 4u /* 802.1Q: TPID was the Ethertype; TCI + type */
#define SLL_HLEN 16u
#define SLL2_HLEN 20u
#define BSD_HLEN 4u
#define IPV4_HLEN 20u
#define IPV6_HLEN 40u
#define TCP_HLEN 20u

#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_ARP 0x0806u
#define ETHERTYPE_VLAN 0x8100u
#define ETHERTYPE_QINQ 0x88a8u
#define ETHERTYPE_QINQ_OLD 0x9100u
#define ETHERTYPE_IPV6 0x86ddu

/* IANA protocol numbers */
#define P_ICMP 1u
#define P_IPIP 4u
#define P_TCP 6u
#define P_UDP 17u
#define P_IPV6 41u
#define P_ROUTING 43u
#define P_FRAGMENT 44u
#define P_AH 51u
#define P_ICMPV6 58u
#define P_NONE 59u
#define P_DSTOPTS 60u
#define P_HOPOPTS 0u

#define IPV4_DF 0x4000u
#define IPV4_MF 0x2000u

/* Documentation addresses: RFC 5737 and RFC 3849. */
static const uint8_t CLI4[4] = {192, 0, 2, 1};
static const uint8_t SRV4[4] = {198, 51, 100, 2};
static const uint8_t TUN4_A[4] = {203, 0, 113, 1};
static const uint8_t TUN4_B[4] = {203, 0, 113, 2};
static const uint8_t CLI6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0x01};
static const uint8_t SRV6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0x02};
static const uint8_t TUN6_A[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0x0a};
static const uint8_t TUN6_B[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0x0b};
static const uint8_t MAC_A[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0b};

/* The segment most tests carry: 50000 -> 143, 5 payload bytes. */
#define STD_SPORT 50000u
#define STD_DPORT 143u
#define STD_SEQ 0x11223344u
#define STD_ACK 0x55667788u
#define STD_FLAGS (TCP_PSH | TCP_ACK)
#define STD_WINDOW 0xfaf0u
#define STD_URGENT 0x1234u
#define STD_PAYLOAD "abcde"
#define STD_PLEN 5u
#define STD_SEG_LEN (TCP_HLEN + STD_PLEN)

/* ---- frame builder ------------------------------------------------ */

struct fb {
	uint8_t b[2048];
	size_t n;
};

static void
put8(struct fb *f, unsigned v)
{
	assert_true(f->n < sizeof(f->b));
	f->b[f->n++] = (uint8_t)(v & 0xffu);
}

static void
put16(struct fb *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static void
put32(struct fb *f, uint32_t v)
{
	put16(f, (unsigned)(v >> 16));
	put16(f, (unsigned)(v & 0xffffu));
}

static void
putn(struct fb *f, const void *p, size_t n)
{
	const uint8_t *s = p;

	for (size_t i = 0; i < n; i++)
		put8(f, s[i]);
}

static void
putfill(struct fb *f, unsigned v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(f, v);
}

/* Ethernet II: destination MAC, source MAC, Ethertype (or TPID). */
static void
eth(struct fb *f, unsigned type)
{
	putn(f, MAC_B, 6);
	putn(f, MAC_A, 6);
	put16(f, type);
}

/* The rest of an 802.1Q tag after its TPID: TCI, then the next type. */
static void
vlan(struct fb *f, unsigned tci, unsigned next_type)
{
	put16(f, tci);
	put16(f, next_type);
}

/* IPv4 (RFC 791 sec. 3.1).  Options, if ihl_words > 5, are NOP (1). */
static void
ipv4(struct fb *f, unsigned ihl_words, unsigned totlen, unsigned frag,
    unsigned proto, const uint8_t src[4], const uint8_t dst[4])
{
	put8(f, 0x40u | ihl_words);	/* version 4, IHL */
	put8(f, 0x00);			/* DSCP, ECN */
	put16(f, totlen);
	put16(f, 0x1234);		/* identification */
	put16(f, frag);			/* flags, fragment offset */
	put8(f, 64);			/* TTL */
	put8(f, proto);
	put16(f, 0xdead);		/* header checksum: wrong on purpose */
	putn(f, src, 4);
	putn(f, dst, 4);
	for (unsigned i = 5; i < ihl_words; i++)
		put32(f, 0x01010101u);	/* four NOP options */
}

/* IPv6 fixed header (RFC 8200 sec. 3). */
static void
ipv6(struct fb *f, unsigned plen, unsigned nh, const uint8_t src[16],
    const uint8_t dst[16])
{
	put32(f, 0x60012345u);	/* version 6, traffic class 0, flow label */
	put16(f, plen);
	put8(f, nh);
	put8(f, 64);		/* hop limit */
	putn(f, src, 16);
	putn(f, dst, 16);
}

/* Hop-by-hop or destination options header (RFC 8200 sec. 4.3, 4.6):
 * (len8 + 1) * 8 bytes, the options area filled with Pad1 (0x00). */
static void
ext_opts(struct fb *f, unsigned next, unsigned len8)
{
	put8(f, next);
	put8(f, len8);
	putfill(f, 0x00, ((size_t)len8 + 1) * 8 - 2);
}

/* Routing header (RFC 8200 sec. 4.4), experimental type 253 (RFC 4727),
 * segments left 0: 8 bytes. */
static void
ext_routing(struct fb *f, unsigned next)
{
	put8(f, next);
	put8(f, 0);		/* Hdr Ext Len: 8 bytes */
	put8(f, 253);		/* routing type */
	put8(f, 0);		/* segments left */
	put32(f, 0);		/* type-specific data */
}

/* Fragment header (RFC 8200 sec. 4.5): 8 bytes. */
static void
ext_fragment(struct fb *f, unsigned next, unsigned offset8, unsigned m)
{
	put8(f, next);
	put8(f, 0);			/* reserved */
	put16(f, offset8 << 3 | m);	/* offset, res, M */
	put32(f, 0xcafef00du);		/* identification */
}

/* TCP header (RFC 9293 sec. 3.1) with doff_words * 4 bytes; the options,
 * if any, are NOP (1). */
static void
tcp(struct fb *f, unsigned sport, unsigned dport, uint32_t seq, uint32_t ack,
    unsigned doff_words, unsigned flags)
{
	put16(f, sport);
	put16(f, dport);
	put32(f, seq);
	put32(f, ack);
	put8(f, doff_words << 4);	/* data offset, reserved */
	put8(f, flags);
	put16(f, STD_WINDOW);
	put16(f, 0xbeef);		/* checksum: wrong on purpose */
	put16(f, STD_URGENT);		/* urgent pointer (URG or not) */
	for (unsigned i = 5; i < doff_words; i++)
		put32(f, 0x01010101u);
}

/* The standard segment: TCP header + "abcde". */
static void
std_seg(struct fb *f)
{
	tcp(f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 5, STD_FLAGS);
	putn(f, STD_PAYLOAD, STD_PLEN);
}

/* IPv4 header + standard segment (totlen 20 + 20 + 5 = 45). */
static void
std_ipv4(struct fb *f)
{
	ipv4(f, 5, IPV4_HLEN + STD_SEG_LEN, IPV4_DF, P_TCP, CLI4, SRV4);
	std_seg(f);
}

/* IPv6 header + standard segment (payload length 25). */
static void
std_ipv6(struct fb *f)
{
	ipv6(f, STD_SEG_LEN, P_TCP, CLI6, SRV6);
	std_seg(f);
}

/* ---- decoding ----------------------------------------------------- */

/* Decode the first caplen bytes of f from an exactly-sized heap copy.
 * Whatever the result, a decoded view must lie inside the capture. */
static enum stat_id
decode_n(int dlt, const struct fb *f, size_t caplen, struct pkt_view *pv)
{
	uint8_t *copy = malloc(caplen);

	assert_true(caplen <= f->n);
	if (caplen > 0) {
		assert_non_null(copy);
		memcpy(copy, f->b, caplen);
	}
	memset(pv, 0xa5, sizeof(*pv));
	enum stat_id st = link_decode(dlt, copy, caplen, pv);

	free(copy);	/* before any assertion can leave */
	assert_true(st < STAT_COUNT);
	if (st == DECODE_OK) {
		assert_true(pv->payload_off <= caplen);
		assert_true(pv->payload_caplen <= caplen - pv->payload_off);
		assert_true(pv->payload_caplen <= pv->payload_len);
	}
	return st;
}

static enum stat_id
decode(int dlt, const struct fb *f, struct pkt_view *pv)
{
	return decode_n(dlt, f, f->n, pv);
}

static void
assert_addr4(const struct pkt_view *pv, const uint8_t src[4],
    const uint8_t dst[4])
{
	static const uint8_t zero[12];

	assert_int_equal(pv->family, 4);
	assert_memory_equal(pv->src, src, 4);
	assert_memory_equal(pv->dst, dst, 4);
	assert_memory_equal(pv->src + 4, zero, 12);	/* pkt.h: rest zero */
	assert_memory_equal(pv->dst + 4, zero, 12);
}

static void
assert_addr6(const struct pkt_view *pv, const uint8_t src[16],
    const uint8_t dst[16])
{
	assert_int_equal(pv->family, 6);
	assert_memory_equal(pv->src, src, 16);
	assert_memory_equal(pv->dst, dst, 16);
}

/* The standard segment, its payload at `off` in the frame. */
static void
assert_std_seg(const struct pkt_view *pv, size_t off)
{
	assert_int_equal(pv->sport, STD_SPORT);
	assert_int_equal(pv->dport, STD_DPORT);
	assert_int_equal(pv->seq, STD_SEQ);
	assert_int_equal(pv->ack, STD_ACK);
	assert_int_equal(pv->flags, STD_FLAGS);
	assert_int_equal(pv->urgent, STD_URGENT);
	assert_int_equal(pv->window, STD_WINDOW);
	assert_int_equal(pv->payload_off, off);
	assert_int_equal(pv->payload_len, STD_PLEN);
	assert_int_equal(pv->payload_caplen, STD_PLEN);
}

/* ---- Ethernet, VLAN ----------------------------------------------- */

static void
test_decode_ethernet_ipv4_tcp_fields(void **state)
{
	(void)state;
	/* Laid out byte by byte, no builder. */
	static const uint8_t frame[] = {
		/* Ethernet II */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x0b,	/* destination */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,	/* source */
		0x08, 0x00,				/* IPv4 */
		/* IPv4: version 4, IHL 5; total length 20+20+5 = 45 */
		0x45, 0x00, 0x00, 0x2d,
		0xab, 0xcd, 0x40, 0x00,		/* id; DF, offset 0 */
		0x40, 0x06, 0xff, 0xff,		/* TTL 64, TCP; bad cksum */
		192, 0, 2, 1,			/* source */
		198, 51, 100, 2,		/* destination */
		/* TCP */
		0xc3, 0x50, 0x00, 0x6e,		/* 50000 -> 110 */
		0x01, 0x02, 0x03, 0x04,		/* seq */
		0xa0, 0xb0, 0xc0, 0xd0,		/* ack */
		0x50, 0x19,			/* offset 5; FIN PSH ACK */
		0x72, 0x10,			/* window 29200 */
		0x00, 0x00, 0x00, 0x00,		/* bad checksum; urgent */
		'U', 'S', 'E', 'R', ' ',
	};
	struct fb f = {.n = 0};
	struct pkt_view pv;

	putn(&f, frame, sizeof(frame));
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_int_equal(pv.sport, 50000);
	assert_int_equal(pv.dport, 110);
	assert_int_equal(pv.seq, 0x01020304u);
	assert_int_equal(pv.ack, 0xa0b0c0d0u);
	assert_int_equal(pv.flags, TCP_FIN | TCP_PSH | TCP_ACK);
	assert_int_equal(pv.window, 29200);
	assert_int_equal(pv.payload_off, 14 + 20 + 20);
	assert_int_equal(pv.payload_len, 5);
	assert_int_equal(pv.payload_caplen, 5);
	assert_memory_equal(frame + pv.payload_off, "USER ", 5);
}

static void
test_decode_ethernet_ipv6_tcp_fields(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	std_ipv6(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr6(&pv, CLI6, SRV6);
	assert_std_seg(&pv, ETH_HLEN + IPV6_HLEN + TCP_HLEN);
}

static void
test_decode_vlan_8021q_tag_is_skipped(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_VLAN);
	vlan(&f, 0xf064, ETHERTYPE_IPV4);	/* PCP 7, DEI 1, VID 100 */
	std_ipv4(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, ETH_HLEN + VLAN_TAG_LEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_vlan_8021q_carrying_ipv6_is_decoded(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_VLAN);
	vlan(&f, 0x0064, ETHERTYPE_IPV6);
	std_ipv6(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr6(&pv, CLI6, SRV6);
	assert_std_seg(&pv, ETH_HLEN + VLAN_TAG_LEN + IPV6_HLEN + TCP_HLEN);
}

static void
check_qinq(unsigned outer_tpid)
{
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, outer_tpid);
	vlan(&f, 0x00c8, ETHERTYPE_VLAN);	/* S-tag VID 200 */
	vlan(&f, 0x0064, ETHERTYPE_IPV4);	/* C-tag VID 100 */
	std_ipv4(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv,
	    ETH_HLEN + 2 * VLAN_TAG_LEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_qinq_88a8_outer_tag_is_skipped(void **state)
{
	(void)state;
	check_qinq(ETHERTYPE_QINQ);	/* IEEE 802.1ad S-tag */
}

static void
test_decode_qinq_9100_outer_tag_is_skipped(void **state)
{
	(void)state;
	check_qinq(ETHERTYPE_QINQ_OLD);	/* pre-802.1ad vendor S-tag */
}

static void
build_vlan_stack(struct fb *f, unsigned ntags)
{
	eth(f, ETHERTYPE_QINQ);
	for (unsigned i = 0; i < ntags; i++)
		vlan(f, 10 + i,
		    i + 1 < ntags ? ETHERTYPE_VLAN : ETHERTYPE_IPV4);
	std_ipv4(f);
}

static void
test_decode_vlan_depth_max_tags_are_followed(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	build_vlan_stack(&f, VLAN_DEPTH_MAX);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_std_seg(&pv,
	    ETH_HLEN + VLAN_DEPTH_MAX * VLAN_TAG_LEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_vlan_tags_beyond_max_are_too_deep(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	build_vlan_stack(&f, VLAN_DEPTH_MAX + 1);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_VLAN_TOO_DEEP);
}

/* ARP request (RFC 826): Ethernet, IPv4, who-has 198.51.100.2. */
static void
arp(struct fb *f)
{
	put16(f, 1);		/* hardware type: Ethernet */
	put16(f, ETHERTYPE_IPV4);
	put8(f, 6);
	put8(f, 4);
	put16(f, 1);		/* request */
	putn(f, MAC_A, 6);
	putn(f, CLI4, 4);
	putfill(f, 0, 6);
	putn(f, SRV4, 4);
}

static void
test_decode_arp_is_link_not_ip(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_ARP);
	arp(&f);
	putfill(&f, 0, 60 - 14 - 28);	/* minimum frame padding */
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_LINK_NOT_IP);
}

static void
test_decode_arp_inside_vlan_is_link_not_ip(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_VLAN);
	vlan(&f, 0x0064, ETHERTYPE_ARP);
	arp(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_LINK_NOT_IP);
}

static void
test_decode_ethernet_header_cut_is_link_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	std_ipv4(&f);
	assert_int_equal(decode_n(DLT_EN10MB, &f, 13, &pv), STAT_LINK_SHORT);
	assert_int_equal(decode_n(DLT_EN10MB, &f, 0, &pv), STAT_LINK_SHORT);
}

static void
test_decode_vlan_tag_cut_is_link_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_VLAN);
	vlan(&f, 0x0064, ETHERTYPE_IPV4);
	std_ipv4(&f);
	/* the TPID says a tag follows; its TCI and type are missing */
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN, &pv),
	    STAT_LINK_SHORT);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + 3, &pv),
	    STAT_LINK_SHORT);
}

/* ---- Linux cooked, BSD loopback, raw ------------------------------- */

static void
test_decode_linux_sll_header_is_16_bytes(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* LINKTYPE_LINUX_SLL: packet type, ARPHRD type, address length,
	 * address (8 bytes, zero-padded), protocol type */
	put16(&f, 0);		/* LINUX_SLL_HOST */
	put16(&f, 1);		/* ARPHRD_ETHER */
	put16(&f, 6);
	putn(&f, MAC_A, 6);
	put16(&f, 0);
	put16(&f, ETHERTYPE_IPV4);
	assert_int_equal(f.n, SLL_HLEN);
	std_ipv4(&f);
	assert_int_equal(decode(DLT_LINUX_SLL, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, SLL_HLEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_linux_sll_arp_is_link_not_ip(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	put16(&f, 1);		/* LINUX_SLL_BROADCAST */
	put16(&f, 1);
	put16(&f, 6);
	putn(&f, MAC_A, 6);
	put16(&f, 0);
	put16(&f, ETHERTYPE_ARP);
	arp(&f);
	assert_int_equal(decode(DLT_LINUX_SLL, &f, &pv), STAT_LINK_NOT_IP);
}

static void
sll2_header(struct fb *f, unsigned proto)
{
	/* LINKTYPE_LINUX_SLL2: protocol type, reserved, interface index,
	 * ARPHRD type, packet type, address length, address (8 bytes) */
	put16(f, proto);
	put16(f, 0);
	put32(f, 3);		/* ifindex */
	put16(f, 1);		/* ARPHRD_ETHER */
	put8(f, 4);		/* LINUX_SLL_OUTGOING */
	put8(f, 6);
	putn(f, MAC_A, 6);
	put16(f, 0);
}

static void
test_decode_linux_sll2_header_is_20_bytes(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	sll2_header(&f, ETHERTYPE_IPV4);
	assert_int_equal(f.n, SLL2_HLEN);
	std_ipv4(&f);
	assert_int_equal(decode(DLT_LINUX_SLL2, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, SLL2_HLEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_linux_sll2_ipv6_is_decoded(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	sll2_header(&f, ETHERTYPE_IPV6);
	std_ipv6(&f);
	assert_int_equal(decode(DLT_LINUX_SLL2, &f, &pv), DECODE_OK);
	assert_addr6(&pv, CLI6, SRV6);
	assert_std_seg(&pv, SLL2_HLEN + IPV6_HLEN + TCP_HLEN);
}

static void
test_decode_linux_sll2_arp_is_link_not_ip(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	sll2_header(&f, ETHERTYPE_ARP);
	arp(&f);
	assert_int_equal(decode(DLT_LINUX_SLL2, &f, &pv), STAT_LINK_NOT_IP);
}

/* The 4-byte family word of NULL/LOOP in either byte order. */
static void
family_le(struct fb *f, uint8_t fam)
{
	put8(f, fam);
	putfill(f, 0, 3);
}

static void
family_be(struct fb *f, uint8_t fam)
{
	putfill(f, 0, 3);
	put8(f, fam);
}

static void
test_decode_null_family_2_little_endian(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	family_le(&f, 2);	/* AF_INET written by an x86 host */
	std_ipv4(&f);
	assert_int_equal(decode(DLT_NULL, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, BSD_HLEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_null_family_2_big_endian(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	family_be(&f, 2);	/* AF_INET written by a big-endian host */
	std_ipv4(&f);
	assert_int_equal(decode(DLT_NULL, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, BSD_HLEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_null_ipv6_families_in_both_byte_orders(void **state)
{
	(void)state;
	/* AF_INET6: 24 NetBSD/OpenBSD, 28 FreeBSD, 30 Darwin, 10 Linux */
	static const uint8_t fams[] = {24, 28, 30, 10};

	for (size_t i = 0; i < N(fams); i++) {
		for (int be = 0; be < 2; be++) {
			struct fb f = {.n = 0};
			struct pkt_view pv;

			if (be)
				family_be(&f, fams[i]);
			else
				family_le(&f, fams[i]);
			std_ipv6(&f);
			assert_int_equal(decode(DLT_NULL, &f, &pv), DECODE_OK);
			assert_addr6(&pv, CLI6, SRV6);
			assert_std_seg(&pv,
			    BSD_HLEN + IPV6_HLEN + TCP_HLEN);
		}
	}
}

static void
test_decode_null_unknown_family_is_link_not_ip(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	family_le(&f, 16);	/* AF_APPLETALK on the BSDs */
	std_ipv4(&f);
	assert_int_equal(decode(DLT_NULL, &f, &pv), STAT_LINK_NOT_IP);
}

static void
test_decode_null_family_cut_is_link_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	family_le(&f, 2);
	assert_int_equal(decode_n(DLT_NULL, &f, 3, &pv), STAT_LINK_SHORT);
	assert_int_equal(decode_n(DLT_LOOP, &f, 3, &pv), STAT_LINK_SHORT);
}

static void
test_decode_loop_family_is_big_endian(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	family_be(&f, 2);	/* LINKTYPE_LOOP: network byte order */
	std_ipv4(&f);
	assert_int_equal(decode(DLT_LOOP, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, BSD_HLEN + IPV4_HLEN + TCP_HLEN);

	struct fb g = {.n = 0};

	family_be(&g, 24);
	std_ipv6(&g);
	assert_int_equal(decode(DLT_LOOP, &g, &pv), DECODE_OK);
	assert_addr6(&pv, CLI6, SRV6);
}

static void
test_decode_loop_little_endian_family_is_not_ip(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* 02 00 00 00 in network byte order is 0x02000000, not AF_INET */
	family_le(&f, 2);
	std_ipv4(&f);
	assert_int_equal(decode(DLT_LOOP, &f, &pv), STAT_LINK_NOT_IP);
}

static void
test_decode_raw_ipv4_and_ipv6(void **state)
{
	(void)state;
	struct fb f4 = {.n = 0};
	struct fb f6 = {.n = 0};
	struct pkt_view pv;

	std_ipv4(&f4);
	std_ipv6(&f6);
	assert_int_equal(decode(DLT_RAW, &f4, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, IPV4_HLEN + TCP_HLEN);
	assert_int_equal(decode(DLT_RAW, &f6, &pv), DECODE_OK);
	assert_addr6(&pv, CLI6, SRV6);
	assert_std_seg(&pv, IPV6_HLEN + TCP_HLEN);
}

static void
test_decode_dlt_ipv4_is_raw_ipv4(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	std_ipv4(&f);
	assert_int_equal(decode(DLT_IPV4, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_dlt_ipv6_is_raw_ipv6(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	std_ipv6(&f);
	assert_int_equal(decode(DLT_IPV6, &f, &pv), DECODE_OK);
	assert_addr6(&pv, CLI6, SRV6);
	assert_std_seg(&pv, IPV6_HLEN + TCP_HLEN);
}

static void
test_decode_link_supported_lists_the_decoded_types(void **state)
{
	(void)state;
	static const int yes[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
	    DLT_NULL, DLT_LOOP, DLT_RAW, DLT_IPV4, DLT_IPV6};

	for (size_t i = 0; i < N(yes); i++)
		assert_true(link_supported(yes[i]));
	assert_false(link_supported(DLT_IEEE802_11));
	assert_false(link_supported(DLT_PPP));
}

static void
test_decode_unsupported_link_type_is_not_decoded(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	std_ipv4(&f);
	assert_int_not_equal(decode(DLT_IEEE802_11, &f, &pv), DECODE_OK);
}

/* ---- IPv4 --------------------------------------------------------- */

static void
test_decode_ipv4_options_ihl_6_are_skipped(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 6, 24 + STD_SEG_LEN, IPV4_DF, P_TCP, CLI4, SRV4);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, ETH_HLEN + 24 + TCP_HLEN);
}

static void
test_decode_ipv4_options_ihl_15_are_skipped(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 15, 60 + STD_SEG_LEN, 0, P_TCP, CLI4, SRV4);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_std_seg(&pv, ETH_HLEN + 60 + TCP_HLEN);
}

static void
test_decode_ipv4_options_cut_is_ipv4_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 15, 60 + STD_SEG_LEN, 0, P_TCP, CLI4, SRV4);
	std_seg(&f);
	/* 20 bytes of header and 20 of the 40 option bytes captured */
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + 40, &pv),
	    STAT_IPV4_SHORT);
}

static void
test_decode_ipv4_header_cut_is_ipv4_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	std_ipv4(&f);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + 19, &pv),
	    STAT_IPV4_SHORT);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + 1, &pv),
	    STAT_IPV4_SHORT);
}

static void
test_decode_ipv4_ihl_below_5_is_bad_ihl(void **state)
{
	(void)state;
	for (unsigned ihl = 0; ihl < 5; ihl++) {
		struct fb f = {.n = 0};
		struct pkt_view pv;

		eth(&f, ETHERTYPE_IPV4);
		ipv4(&f, ihl, IPV4_HLEN + STD_SEG_LEN, 0, P_TCP, CLI4, SRV4);
		std_seg(&f);
		assert_int_equal(decode(DLT_EN10MB, &f, &pv),
		    STAT_IPV4_BAD_IHL);
	}
}

static void
test_decode_ipv4_total_length_below_ihl_is_bad_totlen(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct fb g = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 19, 0, P_TCP, CLI4, SRV4);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV4_BAD_TOTLEN);

	/* IHL 6 is 24 bytes: a total length of 20 is shorter */
	eth(&g, ETHERTYPE_IPV4);
	ipv4(&g, 6, 20, 0, P_TCP, CLI4, SRV4);
	std_seg(&g);
	assert_int_equal(decode(DLT_EN10MB, &g, &pv), STAT_IPV4_BAD_TOTLEN);
}

static void
test_decode_ipv4_ethernet_padding_is_not_payload(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* A bare ACK: 14 + 20 + 20 = 54 bytes, padded to the 60-byte
	 * Ethernet minimum with non-zero junk (etherleak) */
	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 40, IPV4_DF, P_TCP, CLI4, SRV4);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 5, TCP_ACK);
	putfill(&f, 0xee, 6);
	assert_int_equal(f.n, 60);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_int_equal(pv.payload_off, 54);
	assert_int_equal(pv.payload_len, 0);
	assert_int_equal(pv.payload_caplen, 0);

	/* one payload byte, five bytes of padding */
	struct fb g = {.n = 0};

	eth(&g, ETHERTYPE_IPV4);
	ipv4(&g, 5, 41, IPV4_DF, P_TCP, CLI4, SRV4);
	tcp(&g, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 5, STD_FLAGS);
	put8(&g, 'x');
	putfill(&g, 0xee, 5);
	assert_int_equal(decode(DLT_EN10MB, &g, &pv), DECODE_OK);
	assert_int_equal(pv.payload_off, 54);
	assert_int_equal(pv.payload_len, 1);
	assert_int_equal(pv.payload_caplen, 1);
}

static void
test_decode_ipv4_snaplen_cut_payload_is_partial(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* The IP header claims 100 payload bytes; 30 were captured. */
	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 20 + 20 + 100, IPV4_DF, P_TCP, CLI4, SRV4);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 5, STD_FLAGS);
	putfill(&f, 'p', 30);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_int_equal(pv.seq, STD_SEQ);
	assert_int_equal(pv.payload_off, 14 + 20 + 20);
	assert_int_equal(pv.payload_len, 100);
	assert_int_equal(pv.payload_caplen, 30);
}

static void
test_decode_ipv4_more_fragments_is_fragment(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, IPV4_HLEN + STD_SEG_LEN, IPV4_MF, P_TCP, CLI4, SRV4);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV4_FRAGMENT);
}

static void
test_decode_ipv4_nonzero_fragment_offset_is_fragment(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct fb g = {.n = 0};
	struct pkt_view pv;

	/* last fragment: MF clear, offset 185 (1480 bytes) */
	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, IPV4_HLEN + STD_SEG_LEN, 185, P_TCP, CLI4, SRV4);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV4_FRAGMENT);

	/* a middle fragment: MF set and offset 1 */
	eth(&g, ETHERTYPE_IPV4);
	ipv4(&g, 5, IPV4_HLEN + STD_SEG_LEN, IPV4_MF | 1, P_TCP, CLI4, SRV4);
	std_seg(&g);
	assert_int_equal(decode(DLT_EN10MB, &g, &pv), STAT_IPV4_FRAGMENT);
}

static void
test_decode_ipv4_dont_fragment_alone_is_not_fragment(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* DF and the reserved (evil) bit set, MF clear, offset 0 */
	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, IPV4_HLEN + STD_SEG_LEN, 0xc000, P_TCP, CLI4, SRV4);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_std_seg(&pv, ETH_HLEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_ipv4_unknown_version_is_bad_version(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	std_ipv4(&f);
	f.b[ETH_HLEN] = 0x55;	/* version 5, IHL 5 */
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV4_BAD_VERSION);
}

/* RFC 791: an IPv4 header's version field is 4; Ethertype 0x0800 says
 * the payload is IPv4.  A version-6 header there is a bad IPv4 version,
 * not an IPv6 packet. */
static void
test_decode_ethertype_ipv4_with_version_6_is_ipv4_bad_version(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	std_ipv6(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV4_BAD_VERSION);
}

/* RFC 8200 sec. 3: version = 6.  Ethertype 0x86dd with any other version
 * is a bad IPv6 version (stats.h: ipv6_bad_version). */
static void
test_decode_ethertype_ipv6_with_other_version_is_ipv6_bad_version(
    void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct fb g = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	std_ipv6(&f);
	f.b[ETH_HLEN] = 0x50;	/* version 5 */
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV6_BAD_VERSION);

	eth(&g, ETHERTYPE_IPV6);
	std_ipv4(&g);		/* version 4 behind an IPv6 Ethertype */
	putfill(&g, 0, 20);	/* as long as an IPv6 header would need */
	assert_int_equal(decode(DLT_EN10MB, &g, &pv), STAT_IPV6_BAD_VERSION);
}

/* ---- IPv6 --------------------------------------------------------- */

static void
test_decode_ipv6_hop_dst_routing_extensions_are_walked(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* hop-by-hop (8) -> destination options (16) -> routing (8) */
	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 8 + 16 + 8 + STD_SEG_LEN, P_HOPOPTS, CLI6, SRV6);
	ext_opts(&f, P_DSTOPTS, 0);
	ext_opts(&f, P_ROUTING, 1);
	ext_routing(&f, P_TCP);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr6(&pv, CLI6, SRV6);
	assert_std_seg(&pv, ETH_HLEN + IPV6_HLEN + 8 + 16 + 8 + TCP_HLEN);
}

static void
test_decode_ipv6_ah_length_is_in_4_byte_words(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* RFC 4302 sec. 2.2: Payload Len = 32-bit words minus 2.  A
	 * 12-byte ICV makes 24 bytes: Payload Len 4. */
	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 24 + STD_SEG_LEN, P_AH, CLI6, SRV6);
	put8(&f, P_TCP);
	put8(&f, 4);
	put16(&f, 0);		/* reserved */
	put32(&f, 0x100);	/* SPI */
	put32(&f, 1);		/* sequence number */
	putfill(&f, 0x5a, 12);	/* ICV */
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_std_seg(&pv, ETH_HLEN + IPV6_HLEN + 24 + TCP_HLEN);
}

static void
test_decode_ipv6_fragment_header_is_fragment(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 8 + STD_SEG_LEN, P_FRAGMENT, CLI6, SRV6);
	ext_fragment(&f, P_TCP, 0, 1);	/* first fragment, M set */
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV6_FRAGMENT);
}

static void
test_decode_ipv6_fragment_after_hop_by_hop_is_fragment(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 8 + 8 + STD_SEG_LEN, P_HOPOPTS, CLI6, SRV6);
	ext_opts(&f, P_FRAGMENT, 0);
	ext_fragment(&f, P_TCP, 185, 0);	/* last fragment */
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV6_FRAGMENT);
}

/* RFC 8200 sec. 4.5: "If the fragment is a whole datagram (that is, both
 * the Fragment Offset field and the M flag are zero), then it does not
 * need any further reassembly and should be processed as a fully
 * reassembled packet".  The receiving host sees this TCP segment. */
static void
test_decode_ipv6_atomic_fragment_is_decoded(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 8 + STD_SEG_LEN, P_FRAGMENT, CLI6, SRV6);
	ext_fragment(&f, P_TCP, 0, 0);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_std_seg(&pv, ETH_HLEN + IPV6_HLEN + 8 + TCP_HLEN);
}

static void
build_ext_chain(struct fb *f, unsigned next)
{
	eth(f, ETHERTYPE_IPV6);
	ipv6(f, 8 * next + STD_SEG_LEN, next > 0 ? P_DSTOPTS : P_TCP, CLI6,
	    SRV6);
	for (unsigned i = 0; i < next; i++)
		ext_opts(f, i + 1 < next ? P_DSTOPTS : P_TCP, 0);
	std_seg(f);
}

static void
test_decode_ipv6_ext_chain_of_max_length_is_followed(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	build_ext_chain(&f, IPV6_EXT_MAX);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_std_seg(&pv,
	    ETH_HLEN + IPV6_HLEN + 8 * IPV6_EXT_MAX + TCP_HLEN);
}

static void
test_decode_ipv6_ext_chain_longer_than_max_is_bad_ext(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	build_ext_chain(&f, IPV6_EXT_MAX + 1);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV6_BAD_EXT);
}

static void
test_decode_ipv6_ext_header_cut_by_capture_is_bad_ext(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* a 16-byte hop-by-hop header of which 10 bytes were captured */
	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 16 + STD_SEG_LEN, P_HOPOPTS, CLI6, SRV6);
	ext_opts(&f, P_TCP, 1);
	std_seg(&f);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + IPV6_HLEN + 10,
			     &pv),
	    STAT_IPV6_BAD_EXT);
	/* and with only its first byte */
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + IPV6_HLEN + 1,
			     &pv),
	    STAT_IPV6_BAD_EXT);
}

static void
test_decode_ipv6_ext_header_longer_than_payload_is_bad_ext(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* payload length 8, but the hop-by-hop header says 16 bytes; the
	 * frame goes on (junk after the IPv6 packet) */
	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 8, P_HOPOPTS, CLI6, SRV6);
	ext_opts(&f, P_TCP, 1);
	std_seg(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IPV6_BAD_EXT);
}

static void
test_decode_ipv6_trailer_is_not_payload(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, TCP_HLEN, P_TCP, CLI6, SRV6);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 5, TCP_ACK);
	putfill(&f, 0xee, 4);	/* link trailer */
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_int_equal(pv.payload_off, ETH_HLEN + IPV6_HLEN + TCP_HLEN);
	assert_int_equal(pv.payload_len, 0);
	assert_int_equal(pv.payload_caplen, 0);
}

static void
test_decode_ipv6_snaplen_cut_payload_is_partial(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 20 + 100, P_TCP, CLI6, SRV6);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 5, STD_FLAGS);
	putfill(&f, 'p', 30);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_int_equal(pv.payload_off, ETH_HLEN + IPV6_HLEN + TCP_HLEN);
	assert_int_equal(pv.payload_len, 100);
	assert_int_equal(pv.payload_caplen, 30);
}

static void
test_decode_ipv6_header_cut_is_ipv6_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	std_ipv6(&f);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + 39, &pv),
	    STAT_IPV6_SHORT);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + 1, &pv),
	    STAT_IPV6_SHORT);
}

/* stats.h: ipv6_short is "IPv6 header cut short".  A frame whose link
 * header says IPv6 and that ends right after it has an IPv6 header cut
 * (to zero bytes); so does 6in4 cut right after the outer IPv4 header. */
static void
test_decode_ipv6_cut_to_zero_bytes_is_ipv6_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct fb g = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	std_ipv6(&f);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN, &pv),
	    STAT_IPV6_SHORT);

	eth(&g, ETHERTYPE_IPV4);
	ipv4(&g, 5, IPV4_HLEN + IPV6_HLEN + STD_SEG_LEN, 0, P_IPV6, TUN4_A,
	    TUN4_B);
	std_ipv6(&g);
	assert_int_equal(decode_n(DLT_EN10MB, &g, ETH_HLEN + IPV4_HLEN, &pv),
	    STAT_IPV6_SHORT);
}

static void
test_decode_ipv6_no_next_header_is_not_tcp(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 8, P_DSTOPTS, CLI6, SRV6);
	ext_opts(&f, P_NONE, 0);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IP_NOT_TCP);
}

/* ---- tunnels ------------------------------------------------------- */

static void
test_decode_6in4_inner_addresses_win(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, IPV4_HLEN + IPV6_HLEN + STD_SEG_LEN, IPV4_DF, P_IPV6,
	    TUN4_A, TUN4_B);
	std_ipv6(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr6(&pv, CLI6, SRV6);
	assert_std_seg(&pv, ETH_HLEN + IPV4_HLEN + IPV6_HLEN + TCP_HLEN);
}

static void
test_decode_ipip_inner_addresses_win(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, IPV4_HLEN + IPV4_HLEN + STD_SEG_LEN, 0, P_IPIP, TUN4_A,
	    TUN4_B);
	std_ipv4(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, ETH_HLEN + IPV4_HLEN + IPV4_HLEN + TCP_HLEN);
}

static void
test_decode_4in6_inner_ipv4_addresses_are_zero_extended(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* the outer IPv6 addresses must not leak into bytes 4..15 */
	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, IPV4_HLEN + STD_SEG_LEN, P_IPIP, TUN6_A, TUN6_B);
	std_ipv4(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, ETH_HLEN + IPV6_HLEN + IPV4_HLEN + TCP_HLEN);
}

/* `tunnels` IPv4-in-IPv4 encapsulations around the standard packet, so
 * tunnels + 1 IPv4 headers in all. */
static void
build_tunnels(struct fb *f, unsigned tunnels)
{
	eth(f, ETHERTYPE_IPV4);
	for (unsigned i = 0; i < tunnels; i++)
		ipv4(f, 5, IPV4_HLEN * (tunnels - i + 1) + STD_SEG_LEN, 0,
		    P_IPIP, TUN4_A, TUN4_B);
	std_ipv4(f);
}

/* bounds.h: IP_TUNNEL_DEPTH_MAX is the IP-in-IP nesting followed, i.e.
 * that many encapsulations (as VLAN_DEPTH_MAX counts tags). */
static void
test_decode_tunnel_nesting_of_max_depth_is_followed(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	build_tunnels(&f, IP_TUNNEL_DEPTH_MAX);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_addr4(&pv, CLI4, SRV4);
	assert_std_seg(&pv, ETH_HLEN + (IP_TUNNEL_DEPTH_MAX + 1) * IPV4_HLEN +
		TCP_HLEN);
}

static void
test_decode_tunnel_nesting_deeper_than_max_is_too_deep(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	build_tunnels(&f, IP_TUNNEL_DEPTH_MAX + 1);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv),
	    STAT_IP_TUNNEL_TOO_DEEP);
}

/* ---- not TCP ------------------------------------------------------- */

static void
test_decode_udp_is_not_tcp(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 20 + 8 + 4, 0, P_UDP, CLI4, SRV4);
	put16(&f, 50000);	/* UDP (RFC 768): ports, length, checksum */
	put16(&f, 110);
	put16(&f, 12);
	put16(&f, 0xdead);
	putn(&f, "USER", 4);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IP_NOT_TCP);
}

static void
test_decode_icmp_quoting_tcp_is_not_tcp(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* RFC 792 destination unreachable, quoting the IP header and
	 * the first 8 bytes of a TCP header */
	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 20 + 8 + 20 + 8, 0, P_ICMP, SRV4, CLI4);
	put8(&f, 3);		/* destination unreachable */
	put8(&f, 3);		/* port unreachable */
	put16(&f, 0xdead);
	put32(&f, 0);
	ipv4(&f, 5, IPV4_HLEN + STD_SEG_LEN, 0, P_TCP, CLI4, SRV4);
	put16(&f, STD_SPORT);
	put16(&f, STD_DPORT);
	put32(&f, STD_SEQ);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IP_NOT_TCP);
}

static void
test_decode_icmpv6_quoting_tcp_is_not_tcp(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* RFC 4443 destination unreachable, quoting a whole IPv6/TCP
	 * packet */
	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 8 + IPV6_HLEN + STD_SEG_LEN, P_ICMPV6, SRV6, CLI6);
	put8(&f, 1);		/* destination unreachable */
	put8(&f, 4);		/* port unreachable */
	put16(&f, 0xdead);
	put32(&f, 0);
	std_ipv6(&f);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), STAT_IP_NOT_TCP);
}

/* ---- TCP ----------------------------------------------------------- */

static void
test_decode_tcp_options_data_offset_8(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 20 + 32 + STD_PLEN, IPV4_DF, P_TCP, CLI4, SRV4);
	put16(&f, STD_SPORT);
	put16(&f, STD_DPORT);
	put32(&f, STD_SEQ);
	put32(&f, STD_ACK);
	put8(&f, 8 << 4);	/* data offset 8: 32 bytes */
	put8(&f, STD_FLAGS);
	put16(&f, STD_WINDOW);
	put16(&f, 0xbeef);
	put16(&f, STD_URGENT);
	put32(&f, 0x020405b4u);	/* MSS 1460 */
	put32(&f, 0x01010402u);	/* NOP NOP SACK-permitted */
	put32(&f, 0x01030307u);	/* NOP, window scale 7 */
	putn(&f, STD_PAYLOAD, STD_PLEN);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_std_seg(&pv, ETH_HLEN + IPV4_HLEN + 32);
	assert_memory_equal(f.b + pv.payload_off, STD_PAYLOAD, STD_PLEN);
}

static void
test_decode_tcp_options_data_offset_15(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 20 + 60 + STD_PLEN, IPV4_DF, P_TCP, CLI4, SRV4);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 15, STD_FLAGS);
	putn(&f, STD_PAYLOAD, STD_PLEN);
	assert_int_equal(decode(DLT_EN10MB, &f, &pv), DECODE_OK);
	assert_std_seg(&pv, ETH_HLEN + IPV4_HLEN + 60);
}

static void
test_decode_tcp_data_offset_below_5_is_bad_offset(void **state)
{
	(void)state;
	for (unsigned doff = 0; doff < 5; doff++) {
		struct fb f = {.n = 0};
		struct pkt_view pv;

		eth(&f, ETHERTYPE_IPV4);
		std_ipv4(&f);
		f.b[ETH_HLEN + IPV4_HLEN + 12] = (uint8_t)(doff << 4);
		assert_int_equal(decode(DLT_EN10MB, &f, &pv),
		    STAT_TCP_BAD_OFFSET);
	}
}

static void
test_decode_tcp_data_offset_beyond_ip_length_is_refused(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* IP says 20 bytes of TCP; the header says 32.  Junk follows so
	 * the capture itself is long enough. */
	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 40, 0, P_TCP, CLI4, SRV4);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 5, TCP_ACK);
	f.b[ETH_HLEN + IPV4_HLEN + 12] = 8 << 4;
	putfill(&f, 0x01, 20);
	enum stat_id st = decode(DLT_EN10MB, &f, &pv);

	assert_true(st == STAT_TCP_BAD_OFFSET || st == STAT_TCP_SHORT);
}

static void
test_decode_tcp_header_cut_is_tcp_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	std_ipv4(&f);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + IPV4_HLEN + 10,
			     &pv),
	    STAT_TCP_SHORT);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + IPV4_HLEN + 19,
			     &pv),
	    STAT_TCP_SHORT);
}

static void
test_decode_tcp_options_cut_is_tcp_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 20 + 32 + STD_PLEN, 0, P_TCP, CLI4, SRV4);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 8, STD_FLAGS);
	putn(&f, STD_PAYLOAD, STD_PLEN);
	assert_int_equal(decode_n(DLT_EN10MB, &f, ETH_HLEN + IPV4_HLEN + 24,
			     &pv),
	    STAT_TCP_SHORT);
}

static void
test_decode_tcp_segment_too_short_for_header_is_tcp_short(void **state)
{
	(void)state;
	struct fb f = {.n = 0};
	struct pkt_view pv;

	/* total length leaves 10 bytes for TCP; the capture has more */
	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, 30, 0, P_TCP, CLI4, SRV4);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 5, TCP_ACK);
	enum stat_id st = decode(DLT_EN10MB, &f, &pv);

	assert_true(st == STAT_TCP_SHORT || st == STAT_TCP_BAD_OFFSET);
}

/* ---- every truncation point ---------------------------------------- */

/* Cuts in [prev end, end) must give `why`; ANY accepts any named reason
 * (checked separately by a dedicated test). */
#define ANY STAT_COUNT

struct region {
	size_t end;
	enum stat_id why;
};

/* Cut the frame at every length 0..n-1: inside the headers the result
 * is the named reason of the region; from the payload on it is decoded
 * with payload_caplen = cut - payload_off and the full payload_len. */
static void
walk_cuts(int dlt, const struct fb *f, const struct region *rg, size_t nrg,
    size_t payload_off, uint32_t payload_len)
{
	struct pkt_view pv;

	assert_int_equal(rg[nrg - 1].end, payload_off);
	for (size_t cut = 0; cut < f->n; cut++) {
		enum stat_id st = decode_n(dlt, f, cut, &pv);

		if (cut >= payload_off) {
			assert_int_equal(st, DECODE_OK);
			assert_int_equal(pv.payload_off, payload_off);
			assert_int_equal(pv.payload_len, payload_len);
			assert_int_equal(pv.payload_caplen, cut - payload_off);
			continue;
		}
		size_t i = 0;

		while (cut >= rg[i].end)
			i++;
		if (rg[i].why == ANY) {
			assert_int_not_equal(st, DECODE_OK);
		} else if (st != rg[i].why) {
			print_error("cut at %zu: got %d, want %d\n", cut,
			    (int)st, (int)rg[i].why);
			fail();
		}
	}
	assert_int_equal(decode(dlt, f, &pv), DECODE_OK);
}

static void
test_decode_every_cut_of_vlan_ipv4_options_tcp_options(void **state)
{
	(void)state;
	struct fb f = {.n = 0};

	eth(&f, ETHERTYPE_VLAN);
	vlan(&f, 0x0064, ETHERTYPE_IPV4);
	ipv4(&f, 6, 24 + 32 + STD_PLEN, IPV4_DF, P_TCP, CLI4, SRV4);
	tcp(&f, STD_SPORT, STD_DPORT, STD_SEQ, STD_ACK, 8, STD_FLAGS);
	putn(&f, STD_PAYLOAD, STD_PLEN);
	const struct region rg[] = {
		{14, STAT_LINK_SHORT},
		{18, STAT_LINK_SHORT},
		{18 + 24, STAT_IPV4_SHORT},
		{18 + 24 + 32, STAT_TCP_SHORT},
	};

	walk_cuts(DLT_EN10MB, &f, rg, N(rg), 18 + 24 + 32, STD_PLEN);
}

static void
test_decode_every_cut_of_ipv6_extensions_tcp(void **state)
{
	(void)state;
	struct fb f = {.n = 0};

	eth(&f, ETHERTYPE_IPV6);
	ipv6(&f, 8 + 16 + 8 + STD_SEG_LEN, P_HOPOPTS, CLI6, SRV6);
	ext_opts(&f, P_DSTOPTS, 0);
	ext_opts(&f, P_ROUTING, 1);
	ext_routing(&f, P_TCP);
	std_seg(&f);
	const struct region rg[] = {
		{14, STAT_LINK_SHORT},
		{15, ANY},	/* zero IPv6 bytes: see test above */
		{14 + 40, STAT_IPV6_SHORT},
		{14 + 40 + 32, STAT_IPV6_BAD_EXT},
		{14 + 40 + 32 + 20, STAT_TCP_SHORT},
	};

	walk_cuts(DLT_EN10MB, &f, rg, N(rg), 14 + 40 + 32 + 20, STD_PLEN);
}

static void
test_decode_every_cut_of_6in4(void **state)
{
	(void)state;
	struct fb f = {.n = 0};

	eth(&f, ETHERTYPE_IPV4);
	ipv4(&f, 5, IPV4_HLEN + IPV6_HLEN + STD_SEG_LEN, 0, P_IPV6, TUN4_A,
	    TUN4_B);
	std_ipv6(&f);
	const struct region rg[] = {
		{14, STAT_LINK_SHORT},
		{14 + 20, STAT_IPV4_SHORT},
		{14 + 20 + 1, ANY},	/* zero IPv6 bytes: see above */
		{14 + 20 + 40, STAT_IPV6_SHORT},
		{14 + 20 + 40 + 20, STAT_TCP_SHORT},
	};

	walk_cuts(DLT_EN10MB, &f, rg, N(rg), 14 + 20 + 40 + 20, STD_PLEN);
}

static void
test_decode_every_cut_of_linux_sll(void **state)
{
	(void)state;
	struct fb f = {.n = 0};

	put16(&f, 0);
	put16(&f, 1);
	put16(&f, 6);
	putn(&f, MAC_A, 6);
	put16(&f, 0);
	put16(&f, ETHERTYPE_IPV4);
	std_ipv4(&f);
	const struct region rg[] = {
		{16, STAT_LINK_SHORT},
		{16 + 20, STAT_IPV4_SHORT},
		{16 + 20 + 20, STAT_TCP_SHORT},
	};

	walk_cuts(DLT_LINUX_SLL, &f, rg, N(rg), 16 + 20 + 20, STD_PLEN);
}

static void
test_decode_every_cut_of_linux_sll2(void **state)
{
	(void)state;
	struct fb f = {.n = 0};

	sll2_header(&f, ETHERTYPE_IPV4);
	std_ipv4(&f);
	const struct region rg[] = {
		{20, STAT_LINK_SHORT},
		{20 + 20, STAT_IPV4_SHORT},
		{20 + 20 + 20, STAT_TCP_SHORT},
	};

	walk_cuts(DLT_LINUX_SLL2, &f, rg, N(rg), 20 + 20 + 20, STD_PLEN);
}

static void
test_decode_every_cut_of_null_ipv6(void **state)
{
	(void)state;
	struct fb f = {.n = 0};

	family_be(&f, 30);
	std_ipv6(&f);
	const struct region rg[] = {
		{4, STAT_LINK_SHORT},
		{5, ANY},	/* zero IPv6 bytes */
		{4 + 40, STAT_IPV6_SHORT},
		{4 + 40 + 20, STAT_TCP_SHORT},
	};

	walk_cuts(DLT_NULL, &f, rg, N(rg), 4 + 40 + 20, STD_PLEN);
}

static void
test_decode_every_cut_of_raw_ipv4(void **state)
{
	(void)state;
	struct fb f = {.n = 0};

	std_ipv4(&f);
	const struct region rg[] = {
		{20, STAT_IPV4_SHORT},
		{20 + 20, STAT_TCP_SHORT},
	};

	walk_cuts(DLT_RAW, &f, rg, N(rg), 20 + 20, STD_PLEN);
}

/* Every cut of every other frame above: only "a named reason, or a view
 * inside the capture" (decode_n checks), with ASan watching. */
static void
test_decode_every_cut_of_odd_frames_stays_in_bounds(void **state)
{
	(void)state;
	struct fb fr[8];
	int dlt[8];
	size_t n = 0;

	memset(fr, 0, sizeof(fr));
	dlt[n] = DLT_EN10MB;
	build_vlan_stack(&fr[n++], VLAN_DEPTH_MAX + 1);
	dlt[n] = DLT_EN10MB;
	build_ext_chain(&fr[n++], IPV6_EXT_MAX + 1);
	dlt[n] = DLT_EN10MB;
	build_tunnels(&fr[n++], IP_TUNNEL_DEPTH_MAX + 1);
	dlt[n] = DLT_EN10MB;
	eth(&fr[n], ETHERTYPE_IPV6);
	ipv6(&fr[n], IPV4_HLEN + STD_SEG_LEN, P_IPIP, TUN6_A, TUN6_B);
	std_ipv4(&fr[n++]);
	dlt[n] = DLT_EN10MB;
	eth(&fr[n], ETHERTYPE_IPV6);
	ipv6(&fr[n], 24 + STD_SEG_LEN, P_AH, CLI6, SRV6);
	put8(&fr[n], P_TCP);
	put8(&fr[n], 4);
	putfill(&fr[n], 0, 22);
	std_seg(&fr[n++]);
	dlt[n] = DLT_LOOP;
	family_be(&fr[n], 2);
	ipv4(&fr[n], 15, 60 + STD_SEG_LEN, 0, P_TCP, CLI4, SRV4);
	std_seg(&fr[n++]);
	dlt[n] = DLT_EN10MB;
	eth(&fr[n], ETHERTYPE_IPV4);	/* snaplen-cut IP length */
	ipv4(&fr[n], 5, 20 + 20 + 1000, 0, P_TCP, CLI4, SRV4);
	std_seg(&fr[n++]);

	for (size_t i = 0; i < n; i++) {
		for (size_t cut = 0; cut <= fr[i].n; cut++) {
			struct pkt_view pv;

			(void)decode_n(dlt[i], &fr[i], cut, &pv);
		}
	}
}

/* ---- the fast path against the general one ----------------------- */

static void
assert_same_view(const struct pkt_view *a, const struct pkt_view *b)
{
	assert_int_equal(a->family, b->family);
	assert_memory_equal(a->src, b->src, sizeof(a->src));
	assert_memory_equal(a->dst, b->dst, sizeof(a->dst));
	assert_int_equal(a->sport, b->sport);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ack, b->ack);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->window, b->window);
	assert_int_equal(a->urgent, b->urgent);
	assert_int_equal(a->payload_off, b->payload_off);
	assert_int_equal(a->payload_len, b->payload_len);
	assert_int_equal(a->payload_caplen, b->payload_caplen);
}

struct edit {
	size_t at;
	uint8_t v[10];
	size_t n;
};

/* Every pair of edits of the frame (and each alone: the first value of
 * most edits is the template's own), at every cut: link_decode() must
 * say what link_decode_general() says. */
static void
assert_fast_path_matches(const uint8_t *base, size_t full,
    const struct edit *edits, size_t n_edits)
{
	unsigned decoded = 0;

	for (size_t e1 = 0; e1 < n_edits; e1++)
	for (size_t v1 = 0; v1 < edits[e1].n; v1++)
	for (size_t e2 = e1; e2 < n_edits; e2++)
	for (size_t v2 = 0; v2 < edits[e2].n; v2++) {
		uint8_t fr[128];

		assert_true(full <= sizeof(fr));
		memcpy(fr, base, full);
		fr[edits[e1].at] = edits[e1].v[v1];
		fr[edits[e2].at] = edits[e2].v[v2];
		for (size_t cut = 0; cut <= full; cut++) {
			struct pkt_view a, b;

			memset(&a, 0, sizeof(a));
			memset(&b, 0, sizeof(b));
			enum stat_id sa = link_decode(DLT_EN10MB, fr, cut, &a);
			enum stat_id sb = link_decode_general(DLT_EN10MB, fr,
			    cut, &b);

			assert_int_equal(sa, sb);
			if (sa == DECODE_OK) {
				assert_same_view(&a, &b);
				decoded++;
			}
		}
	}
	/* decoded frames were compared, not only errors (whichever path
	 * decoded them: the shortcut is not visible from here) */
	assert_true(decoded > 1000);
}

/* A valid frame after `vlan_tags` 802.1Q tags: IPv4, TCP with 8 option
 * bytes, 4 payload bytes and 6 of Ethernet padding (total length 56). */
static size_t
fast_path_frame(struct fb *f, unsigned vlan_tags)
{
	f->n = 0;
	putn(f, MAC_A, 6);
	putn(f, MAC_B, 6);
	for (unsigned i = 0; i < vlan_tags; i++) {
		put16(f, 0x8100);
		put16(f, 0x2064);	/* PCP 1, VLAN 100 */
	}
	put16(f, ETHERTYPE_IPV4);
	put8(f, 0x45);
	put8(f, 0);
	put16(f, 56);
	put16(f, 0x1234);
	put16(f, IPV4_DF);
	put8(f, 64);
	put8(f, P_TCP);
	put16(f, 0);
	putn(f, CLI4, 4);
	putn(f, SRV4, 4);
	put16(f, STD_SPORT);
	put16(f, STD_DPORT);
	put32(f, STD_SEQ);
	put32(f, STD_ACK);
	put8(f, 0x70);		/* data offset 7: 8 option bytes */
	put8(f, STD_FLAGS);
	put16(f, STD_WINDOW);
	put16(f, 0);
	put16(f, STD_URGENT);
	putfill(f, 1, 8);
	putn(f, "abcd", 4);
	putfill(f, 0, 6);
	return f->n;
}

/* link_decode() takes a shortcut for Ethernet/IPv4/TCP frames with one
 * VLAN tag or none; whatever the bytes, it must say what
 * link_decode_general() says.  A valid frame (with TCP options and
 * padding) has its header bytes set to values at and around every limit
 * the decoders check (Ethertype, version and header length, total
 * length, fragment bits, protocol, data offset) and is cut at every
 * length, deterministically. */
static void
test_decode_fast_path_matches_general_path(void **state)
{
	(void)state;
	static const struct edit edits[] = {
		{12, {0x08, 0x81, 0x86, 0x00}, 4},	/* Ethertype high */
		{13, {0x00, 0x06, 0xdd, 0x01}, 4},	/* Ethertype low */
		{14, {0x45, 0x46, 0x44, 0x4f, 0x65, 0x35, 0x40}, 7},
		{16, {0x00, 0x01, 0xff}, 3},		/* total length high */
		{17, {0, 20, 39, 40, 44, 45, 60, 64, 72, 0xff}, 10},
		{20, {0x00, 0x40, 0x20, 0x01, 0x60, 0x80, 0x1f}, 7},
		{21, {0x00, 0x01, 0xff}, 3},		/* fragment offset */
		{23, {6, 17, 4, 41, 0}, 5},		/* protocol */
		{46, {0x50, 0x40, 0x60, 0x70, 0xf0, 0x00, 0x80, 0x90}, 8},
	};
	struct fb f = {.n = 0};
	size_t full = fast_path_frame(&f, 0);

	assert_fast_path_matches(f.b, full, edits, N(edits));
}

/* The same with one 802.1Q tag, the tag's own bytes edited too (another
 * TPID, QinQ, a second tag, the inner Ethertype). */
static void
test_decode_fast_path_matches_general_path_vlan(void **state)
{
	(void)state;
	static const struct edit edits[] = {
		{12, {0x81, 0x88, 0x91, 0x08, 0x00}, 5},	/* TPID high */
		{13, {0x00, 0xa8, 0x01, 0xff}, 4},	/* TPID low */
		{14, {0x20, 0xff, 0x00}, 3},		/* PCP, DEI, VLAN */
		{16, {0x08, 0x81, 0x86, 0x00}, 4},	/* Ethertype high */
		{17, {0x00, 0x06, 0xdd, 0x01}, 4},	/* Ethertype low */
		{18, {0x45, 0x46, 0x44, 0x4f, 0x65, 0x35, 0x40}, 7},
		{20, {0x00, 0x01, 0xff}, 3},		/* total length high */
		{21, {0, 20, 39, 40, 44, 45, 60, 64, 72, 0xff}, 10},
		{24, {0x00, 0x40, 0x20, 0x01, 0x60, 0x80, 0x1f}, 7},
		{27, {6, 17, 4, 41, 0}, 5},		/* protocol */
		{50, {0x50, 0x40, 0x60, 0x70, 0xf0, 0x00, 0x80, 0x90}, 8},
	};
	struct fb f = {.n = 0};
	size_t full = fast_path_frame(&f, 1);

	assert_fast_path_matches(f.b, full, edits, N(edits));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_ethernet_ipv4_tcp_fields),
		cmocka_unit_test(test_decode_fast_path_matches_general_path),
		cmocka_unit_test(test_decode_fast_path_matches_general_path_vlan),
		cmocka_unit_test(test_decode_ethernet_ipv6_tcp_fields),
		cmocka_unit_test(test_decode_vlan_8021q_tag_is_skipped),
		cmocka_unit_test(
		    test_decode_vlan_8021q_carrying_ipv6_is_decoded),
		cmocka_unit_test(test_decode_qinq_88a8_outer_tag_is_skipped),
		cmocka_unit_test(test_decode_qinq_9100_outer_tag_is_skipped),
		cmocka_unit_test(test_decode_vlan_depth_max_tags_are_followed),
		cmocka_unit_test(
		    test_decode_vlan_tags_beyond_max_are_too_deep),
		cmocka_unit_test(test_decode_arp_is_link_not_ip),
		cmocka_unit_test(test_decode_arp_inside_vlan_is_link_not_ip),
		cmocka_unit_test(
		    test_decode_ethernet_header_cut_is_link_short),
		cmocka_unit_test(test_decode_vlan_tag_cut_is_link_short),
		cmocka_unit_test(test_decode_linux_sll_header_is_16_bytes),
		cmocka_unit_test(test_decode_linux_sll_arp_is_link_not_ip),
		cmocka_unit_test(test_decode_linux_sll2_header_is_20_bytes),
		cmocka_unit_test(test_decode_linux_sll2_ipv6_is_decoded),
		cmocka_unit_test(test_decode_linux_sll2_arp_is_link_not_ip),
		cmocka_unit_test(test_decode_null_family_2_little_endian),
		cmocka_unit_test(test_decode_null_family_2_big_endian),
		cmocka_unit_test(
		    test_decode_null_ipv6_families_in_both_byte_orders),
		cmocka_unit_test(
		    test_decode_null_unknown_family_is_link_not_ip),
		cmocka_unit_test(test_decode_null_family_cut_is_link_short),
		cmocka_unit_test(test_decode_loop_family_is_big_endian),
		cmocka_unit_test(
		    test_decode_loop_little_endian_family_is_not_ip),
		cmocka_unit_test(test_decode_raw_ipv4_and_ipv6),
		cmocka_unit_test(test_decode_dlt_ipv4_is_raw_ipv4),
		cmocka_unit_test(test_decode_dlt_ipv6_is_raw_ipv6),
		cmocka_unit_test(
		    test_decode_link_supported_lists_the_decoded_types),
		cmocka_unit_test(
		    test_decode_unsupported_link_type_is_not_decoded),
		cmocka_unit_test(test_decode_ipv4_options_ihl_6_are_skipped),
		cmocka_unit_test(test_decode_ipv4_options_ihl_15_are_skipped),
		cmocka_unit_test(test_decode_ipv4_options_cut_is_ipv4_short),
		cmocka_unit_test(test_decode_ipv4_header_cut_is_ipv4_short),
		cmocka_unit_test(test_decode_ipv4_ihl_below_5_is_bad_ihl),
		cmocka_unit_test(
		    test_decode_ipv4_total_length_below_ihl_is_bad_totlen),
		cmocka_unit_test(
		    test_decode_ipv4_ethernet_padding_is_not_payload),
		cmocka_unit_test(
		    test_decode_ipv4_snaplen_cut_payload_is_partial),
		cmocka_unit_test(test_decode_ipv4_more_fragments_is_fragment),
		cmocka_unit_test(
		    test_decode_ipv4_nonzero_fragment_offset_is_fragment),
		cmocka_unit_test(
		    test_decode_ipv4_dont_fragment_alone_is_not_fragment),
		cmocka_unit_test(
		    test_decode_ipv4_unknown_version_is_bad_version),
		cmocka_unit_test(
		    test_decode_ethertype_ipv4_with_version_6_is_ipv4_bad_version),
		cmocka_unit_test(
		    test_decode_ethertype_ipv6_with_other_version_is_ipv6_bad_version),
		cmocka_unit_test(
		    test_decode_ipv6_hop_dst_routing_extensions_are_walked),
		cmocka_unit_test(
		    test_decode_ipv6_ah_length_is_in_4_byte_words),
		cmocka_unit_test(test_decode_ipv6_fragment_header_is_fragment),
		cmocka_unit_test(
		    test_decode_ipv6_fragment_after_hop_by_hop_is_fragment),
		cmocka_unit_test(test_decode_ipv6_atomic_fragment_is_decoded),
		cmocka_unit_test(
		    test_decode_ipv6_ext_chain_of_max_length_is_followed),
		cmocka_unit_test(
		    test_decode_ipv6_ext_chain_longer_than_max_is_bad_ext),
		cmocka_unit_test(
		    test_decode_ipv6_ext_header_cut_by_capture_is_bad_ext),
		cmocka_unit_test(
		    test_decode_ipv6_ext_header_longer_than_payload_is_bad_ext),
		cmocka_unit_test(test_decode_ipv6_trailer_is_not_payload),
		cmocka_unit_test(
		    test_decode_ipv6_snaplen_cut_payload_is_partial),
		cmocka_unit_test(test_decode_ipv6_header_cut_is_ipv6_short),
		cmocka_unit_test(
		    test_decode_ipv6_cut_to_zero_bytes_is_ipv6_short),
		cmocka_unit_test(test_decode_ipv6_no_next_header_is_not_tcp),
		cmocka_unit_test(test_decode_6in4_inner_addresses_win),
		cmocka_unit_test(test_decode_ipip_inner_addresses_win),
		cmocka_unit_test(
		    test_decode_4in6_inner_ipv4_addresses_are_zero_extended),
		cmocka_unit_test(
		    test_decode_tunnel_nesting_of_max_depth_is_followed),
		cmocka_unit_test(
		    test_decode_tunnel_nesting_deeper_than_max_is_too_deep),
		cmocka_unit_test(test_decode_udp_is_not_tcp),
		cmocka_unit_test(test_decode_icmp_quoting_tcp_is_not_tcp),
		cmocka_unit_test(test_decode_icmpv6_quoting_tcp_is_not_tcp),
		cmocka_unit_test(test_decode_tcp_options_data_offset_8),
		cmocka_unit_test(test_decode_tcp_options_data_offset_15),
		cmocka_unit_test(
		    test_decode_tcp_data_offset_below_5_is_bad_offset),
		cmocka_unit_test(
		    test_decode_tcp_data_offset_beyond_ip_length_is_refused),
		cmocka_unit_test(test_decode_tcp_header_cut_is_tcp_short),
		cmocka_unit_test(test_decode_tcp_options_cut_is_tcp_short),
		cmocka_unit_test(
		    test_decode_tcp_segment_too_short_for_header_is_tcp_short),
		cmocka_unit_test(
		    test_decode_every_cut_of_vlan_ipv4_options_tcp_options),
		cmocka_unit_test(test_decode_every_cut_of_ipv6_extensions_tcp),
		cmocka_unit_test(test_decode_every_cut_of_6in4),
		cmocka_unit_test(test_decode_every_cut_of_linux_sll),
		cmocka_unit_test(test_decode_every_cut_of_linux_sll2),
		cmocka_unit_test(test_decode_every_cut_of_null_ipv6),
		cmocka_unit_test(test_decode_every_cut_of_raw_ipv4),
		cmocka_unit_test(
		    test_decode_every_cut_of_odd_frames_stays_in_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
