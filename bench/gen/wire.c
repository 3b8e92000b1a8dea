/* wire.c: packets onto a pcap file (see wire.h). */
#include "wire.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_BUF_SIZE (8u << 20)	/* records go out in 8 MiB writes */
#define WIRE_FRAME_MAX 1600u		/* Ethernet, VLAN, IPv6, TCP, MSS */
#define WIRE_ETH_MIN 60u		/* without the FCS */
#define WIRE_SNAPLEN 262144u
#define WIRE_DLT_EN10MB 1u

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* pcap headers are in the writer's byte order; we write little-endian
 * whatever the host, so that the file is the same everywhere. */
static void
put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* RFC 1071 sum in native word order over memory bytes: the result, stored
 * back in native order, is the right checksum whatever the host's byte
 * order.  Pieces must start at even offsets of the checksummed data. */
static uint64_t
csum_add(uint64_t acc, const uint8_t *p, size_t n)
{
	while (n >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		acc += (v & 0xffffffffu) + (v >> 32);
		p += 8;
		n -= 8;
	}
	if (n >= 4) {
		uint32_t v;

		memcpy(&v, p, 4);
		acc += v;
		p += 4;
		n -= 4;
	}
	if (n >= 2) {
		uint16_t v;

		memcpy(&v, p, 2);
		acc += v;
		p += 2;
		n -= 2;
	}
	if (n == 1) {
		uint8_t last[2] = {p[0], 0};
		uint16_t v;

		memcpy(&v, last, 2);
		acc += v;
	}
	return acc;
}

static void
csum_store(uint8_t *where, uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffffu) + (acc >> 16);
	uint16_t v = (uint16_t)~acc;

	memcpy(where, &v, 2);
}

static void
flush(struct wire *w)
{
	if (w->len > 0 && fwrite(w->buf, 1, w->len, w->f) != w->len)
		w->is_error = true;
	w->len = 0;
}

bool
wire_open(struct wire *w, const char *path)
{
	memset(w, 0, sizeof(*w));
	w->buf = malloc(WIRE_BUF_SIZE);
	if (w->buf == NULL)
		return false;
	w->cap = WIRE_BUF_SIZE;
	w->f = fopen(path, "wb");
	if (w->f == NULL) {
		free(w->buf);
		w->buf = NULL;
		return false;
	}
	uint8_t *h = w->buf;

	put32le(h, 0xa1b2c3d4u);	/* microsecond pcap */
	h[4] = 2;			/* version 2.4 */
	h[5] = 0;
	h[6] = 4;
	h[7] = 0;
	put32le(h + 8, 0);		/* thiszone */
	put32le(h + 12, 0);		/* sigfigs */
	put32le(h + 16, WIRE_SNAPLEN);
	put32le(h + 20, WIRE_DLT_EN10MB);
	w->len = 24;
	w->file_bytes = 24;
	return true;
}

void
wire_tcp(struct wire *w, uint64_t ts_us, const struct wire_path *path,
    const struct wire_seg *s, uint16_t ipid)
{
	unsigned from = s->from;
	unsigned to = 1u - from;
	bool is_v6 = path->family == 6;
	size_t l2 = path->vlan ? 18u : 14u;
	size_t l3 = is_v6 ? 40u : 20u;
	size_t l4 = (s->flags & WIRE_SYN) ? 24u : 20u;
	size_t frame = l2 + l3 + l4 + s->len;
	size_t caplen = frame < WIRE_ETH_MIN ? WIRE_ETH_MIN : frame;

	if (w->cap - w->len < 16 + WIRE_FRAME_MAX + s->len)
		flush(w);
	uint8_t *rec = w->buf + w->len;
	uint8_t *p = rec + 16;

	put32le(rec, (uint32_t)(ts_us / 1000000u));
	put32le(rec + 4, (uint32_t)(ts_us % 1000000u));
	put32le(rec + 8, (uint32_t)caplen);
	put32le(rec + 12, (uint32_t)caplen);

	/* Ethernet */
	memcpy(p, path->mac[to], 6);
	memcpy(p + 6, path->mac[from], 6);
	if (path->vlan) {
		put16(p + 12, 0x8100u);
		put16(p + 14, path->vlan);
	}
	put16(p + l2 - 2, is_v6 ? 0x86ddu : 0x0800u);

	/* IP, and the TCP pseudo-header sum */
	uint8_t *ip = p + l2;
	uint16_t tcp_len = (uint16_t)(l4 + s->len);
	uint64_t acc = 0;

	if (is_v6) {
		put32(ip, 0x60000000u);
		put16(ip + 4, tcp_len);
		ip[6] = 6;		/* TCP */
		ip[7] = 64;
		memcpy(ip + 8, path->addr[from], 16);
		memcpy(ip + 24, path->addr[to], 16);
		acc = csum_add(acc, ip + 8, 32);
	} else {
		ip[0] = 0x45;
		ip[1] = 0;
		put16(ip + 2, (uint16_t)(l3 + tcp_len));
		put16(ip + 4, ipid);
		put16(ip + 6, 0x4000u);	/* DF */
		ip[8] = 64;
		ip[9] = 6;
		put16(ip + 10, 0);
		memcpy(ip + 12, path->addr[from], 4);
		memcpy(ip + 16, path->addr[to], 4);
		csum_store(ip + 10, csum_add(0, ip, 20));
		acc = csum_add(acc, ip + 12, 8);
	}
	uint8_t pseudo[4] = {0, 6, (uint8_t)(tcp_len >> 8), (uint8_t)tcp_len};

	acc = csum_add(acc, pseudo, 4);

	/* TCP */
	uint8_t *tcp = ip + l3;

	put16(tcp, path->port[from]);
	put16(tcp + 2, path->port[to]);
	put32(tcp + 4, s->seq);
	put32(tcp + 8, (s->flags & WIRE_ACK) ? s->ack : 0);
	tcp[12] = (uint8_t)((l4 / 4) << 4);
	tcp[13] = s->flags;
	put16(tcp + 14, 64240);
	put16(tcp + 16, 0);
	put16(tcp + 18, 0);
	if (s->flags & WIRE_SYN) {
		tcp[20] = 2;	/* MSS */
		tcp[21] = 4;
		put16(tcp + 22,
		    (uint16_t)(is_v6 ? WIRE_MSS_V6 : WIRE_MSS_V4));
	}
	if (s->len > 0)
		memcpy(tcp + l4, s->p, s->len);
	acc = csum_add(acc, tcp, l4 + s->len);
	csum_store(tcp + 16, acc);
	if (caplen > frame)
		memset(p + frame, 0, caplen - frame);

	w->len += 16 + caplen;
	w->packets++;
	w->file_bytes += 16 + caplen;
	w->wire_bytes += caplen;
}

bool
wire_close(struct wire *w)
{
	bool is_ok;

	if (w->f == NULL)
		return false;
	flush(w);
	is_ok = !w->is_error && fclose(w->f) == 0;
	free(w->buf);
	w->buf = NULL;
	w->f = NULL;
	return is_ok;
}

void
wire_addr_text(const struct wire_path *path, unsigned side, char *out,
    size_t cap)
{
	if (inet_ntop(path->family == 6 ? AF_INET6 : AF_INET,
		path->addr[side], out, (socklen_t)cap) == NULL && cap > 0)
		out[0] = '\0';
}
