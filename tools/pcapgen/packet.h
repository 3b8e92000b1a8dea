/* packet.h: builds one TCP/IPv4 or TCP/IPv6 frame, link header included,
 * or one IP fragment of a TCP segment.
 *
 * IP and TCP headers (checksums included), Ethernet and single 802.1Q
 * headers are built with libnet; the link headers libnet has no builder for
 * (QinQ, Linux SLL and SLL2, BSD NULL/LOOP) and the IPv6 Fragment header
 * are written here by hand.
 * libnet stays hidden behind struct packet_builder: only packet.c includes
 * libnet.h.
 */
#ifndef PCAPGEN_PACKET_H
#define PCAPGEN_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbuf.h"
#include "pcapgen.h"

/* TCP header flags (RFC 9293) */
#define PACKET_TCP_FIN 0x01u
#define PACKET_TCP_SYN 0x02u
#define PACKET_TCP_RST 0x04u
#define PACKET_TCP_PSH 0x08u
#define PACKET_TCP_ACK 0x10u
#define PACKET_TCP_URG 0x20u

/* Longest TCP options field: the 4-bit data offset allows 60-20 bytes. */
#define PACKET_TCP_OPT_MAX 40u

enum packet_link {
	PACKET_LINK_ETHERNET, /* LINKTYPE_ETHERNET 1, optional 802.1Q */
	PACKET_LINK_SLL,      /* LINKTYPE_LINUX_SLL 113 */
	PACKET_LINK_SLL2,     /* LINKTYPE_LINUX_SLL2 276 */
	PACKET_LINK_RAW,      /* LINKTYPE_RAW 101: IPv4 or IPv6 */
	PACKET_LINK_IPV4,     /* LINKTYPE_IPV4 228 */
	PACKET_LINK_IPV6,     /* LINKTYPE_IPV6 229 */
	PACKET_LINK_NULL,     /* LINKTYPE_NULL 0: family in writer order */
	PACKET_LINK_LOOP,     /* LINKTYPE_LOOP 108: family big-endian */
	PACKET_LINK_COUNT
};

/* Settings shared by every frame of a capture. */
struct packet_builder {
	struct libnet_context *l; /* libnet_t, LIBNET_NONE mode */
	enum packet_link link;
	bool is_null_be;     /* byte order of the NULL family field */
	size_t vlan_count;   /* 0, 1 or 2 tags, Ethernet only */
	uint16_t vlan_id[2]; /* outer tag first */
	uint16_t vlan_tpid;  /* TPID of the outer (or only) tag */
};

/* One TCP segment.  Addresses are in network byte order; an IPv4 address
 * is the first 4 bytes of ip. */
struct packet_spec {
	bool is_ipv6;
	bool is_outgoing; /* SLL packet type: 4 (sent by us) instead of 0 */
	uint8_t src_ip[16];
	uint8_t dst_ip[16];
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags; /* PACKET_TCP_* */
	uint16_t window;
	uint16_t urg_ptr; /* meaningful with PACKET_TCP_URG */
	uint16_t ip_id;   /* IPv4 only */
	uint8_t opts[PACKET_TCP_OPT_MAX];
	size_t opt_len;         /* a multiple of 4 */
	const uint8_t *payload; /* may be NULL when payload_len is 0 */
	size_t payload_len;
};

/* packet_link_from_name(): "ethernet", "linux-sll", "linux-sll2", "raw",
 * "ipv4", "ipv6", "null", "loop"; false for anything else. */
bool packet_link_from_name(const char *p, size_t len, enum packet_link *out);

/* packet_link_name(), packet_link_dlt(): the scenario name and the
 * LINKTYPE_ value of a link type. */
const char *packet_link_name(enum packet_link link);
uint32_t packet_link_dlt(enum packet_link link);

/* packet_link_carries(): false if this link type cannot hold the family
 * (LINKTYPE_IPV4 holds no IPv6 and the other way round). */
bool packet_link_carries(enum packet_link link, bool is_ipv6);

/* packet_builder_init(): open libnet without a device; Ethernet, no VLAN.
 * ST_LIBNET with a message in err on failure.  Free with
 * packet_builder_free() in any case. */
enum status packet_builder_init(
    struct packet_builder *pb, char *err, size_t errlen) PCAPGEN_WUR;

void packet_builder_free(struct packet_builder *pb);

/* packet_build(): replace the contents of out with the frame for ps.
 * ST_BAD if the segment is too big for one IP packet, ST_LIBNET if libnet
 * refused; both with a message in err. */
enum status packet_build(struct packet_builder *pb,
    const struct packet_spec *ps, struct dbuf *out, char *err,
    size_t errlen) PCAPGEN_WUR;

/* packet_segment(): replace the contents of out with the IP payload of
 * ps, that is the TCP header, options and data, with the TCP checksum
 * (over the whole segment and the IPv4 or IPv6 pseudo-header) filled in:
 * the bytes that packet_build_fragment() cuts into fragments.  Errors as
 * packet_build(). */
enum status packet_segment(struct packet_builder *pb,
    const struct packet_spec *ps, struct dbuf *out, char *err,
    size_t errlen) PCAPGEN_WUR;

/* One IP fragment: len bytes at data, which sit at byte `offset` (a
 * multiple of 8) of the IP payload being fragmented. */
struct packet_frag {
	uint32_t id; /* IPv4 identification (low 16 bits) or IPv6 one */
	uint32_t offset;
	bool has_more; /* More Fragments */
	const uint8_t *data;
	size_t len;
};

/* packet_build_fragment(): replace the contents of out with a frame that
 * carries fr as a fragment of a TCP packet with ps's addresses and link
 * header.  IPv4: DF clear, MF and the offset from fr, ID fr->id, the
 * header checksum filled in.  IPv6: a Fragment extension header (next
 * header TCP) after the fixed header.  Errors as packet_build(). */
enum status packet_build_fragment(struct packet_builder *pb,
    const struct packet_spec *ps, const struct packet_frag *fr,
    struct dbuf *out, char *err, size_t errlen) PCAPGEN_WUR;

#endif
