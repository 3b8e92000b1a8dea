/* floodgen.c: a hostile capture for the flood test (tests/flood.py).
 *
 *   floodgen OUT.pcap [SCALE]
 *
 * Writes, interleaved packet by packet, on port 143:
 * - SCALE one-packet flows: SYNs from spoofed sources, never answered;
 * - SCALE out-of-order segments: 10000 mid-stream connections whose bytes
 *   after their first segment never fill the hole before them;
 * - 100 connections whose clients (192.0.2.0/24) send endless lines
 *   without CRLF;
 * - 1000 real cleartext logins (handshake, greeting, LOGIN, tagged OK),
 *   from 198.18.0.0/15 clients, spread evenly;
 * and prints the number of real logins on standard output.  SCALE defaults
 * to 1000000.  Deterministic (a fixed xorshift seed).  Checksums are
 * computed: the capture is valid for any reader.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGINS 1000u
#define OOO_FLOWS 10000u
#define ENDLESS_FLOWS 100u
#define OOO_BYTES 100u
#define ENDLESS_BYTES 1400u

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static FILE *out;
static uint64_t usec = 1767225600ULL * 1000000ULL;

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

static uint32_t
sum(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* One Ethernet/IPv4/TCP packet. */
static void
packet(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
    uint32_t seq, uint32_t ack, uint8_t flags, const uint8_t *payload,
    size_t plen)
{
	uint8_t f[14 + 20 + 20 + 1500];
	uint8_t *ip = f + 14, *tcp = ip + 20;
	size_t len = 14 + 20 + 20 + plen;
	uint8_t rec[16];

	memset(f, 0, 14 + 40);
	f[0] = 0x02;
	f[6] = 0x02;
	f[11] = 1;
	be16(f + 12, 0x0800);
	ip[0] = 0x45;
	be16(ip + 2, (uint32_t)(20 + 20 + plen));
	ip[8] = 64;
	ip[9] = 6;
	be32(ip + 12, src);
	be32(ip + 16, dst);
	be16(ip + 10, fold(sum(ip, 20, 0)));
	be16(tcp, sport);
	be16(tcp + 2, dport);
	be32(tcp + 4, seq);
	be32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	be16(tcp + 14, 65535);
	if (plen)
		memcpy(tcp + 20, payload, plen);
	uint8_t pseudo[12];

	be32(pseudo, src);
	be32(pseudo + 4, dst);
	pseudo[8] = 0;
	pseudo[9] = 6;
	be16(pseudo + 10, (uint32_t)(20 + plen));
	be16(tcp + 16, fold(sum(tcp, 20 + plen, sum(pseudo, 12, 0))));
	usec += 7;
	put32(rec, (uint32_t)(usec / 1000000));
	put32(rec + 4, (uint32_t)(usec % 1000000));
	put32(rec + 8, (uint32_t)len);
	put32(rec + 12, (uint32_t)len);
	fwrite(rec, 1, 16, out);
	fwrite(f, 1, len, out);
}

#define SERVER 0xc6336401u	/* 198.51.100.1 */
#define SYN 0x02
#define ACK 0x10
#define PSH_ACK 0x18
#define SYN_ACK 0x12

static void
real_login(uint32_t n)
{
	/* distinct clients: 198.18.x.y (benchmark range), port 40000+ */
	uint32_t c = 0xc6120000u + n;
	uint16_t cp = (uint16_t)(40000 + n % 20000);
	uint32_t cs = 1000, ss = 5000;
	const char *greet = "* OK ready\r\n";
	char login[64];
	const char *ok = "a1 OK Logged in\r\n";

	snprintf(login, sizeof(login), "a1 LOGIN user%u s3cr3t-flood-%u\r\n",
	    n, n);
	packet(c, cp, SERVER, 143, cs, 0, SYN, NULL, 0);
	packet(SERVER, 143, c, cp, ss, cs + 1, SYN_ACK, NULL, 0);
	packet(c, cp, SERVER, 143, cs + 1, ss + 1, ACK, NULL, 0);
	packet(SERVER, 143, c, cp, ss + 1, cs + 1, PSH_ACK,
	    (const uint8_t *)greet, strlen(greet));
	packet(c, cp, SERVER, 143, cs + 1, ss + 1 + (uint32_t)strlen(greet),
	    PSH_ACK, (const uint8_t *)login, strlen(login));
	packet(SERVER, 143, c, cp, ss + 1 + (uint32_t)strlen(greet),
	    cs + 1 + (uint32_t)strlen(login), PSH_ACK, (const uint8_t *)ok,
	    strlen(ok));
}

int
main(int argc, char **argv)
{
	uint32_t scale = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10)
				  : 1000000u;
	uint8_t junk[ENDLESS_BYTES];
	uint32_t ooo_next[OOO_FLOWS];
	uint32_t endless_seq[ENDLESS_FLOWS];

	if (argc < 2 || scale < LOGINS) {
		fprintf(stderr, "usage: floodgen OUT.pcap [SCALE >= %u]\n",
		    LOGINS);
		return 2;
	}
	out = fopen(argv[1], "wb");
	if (out == NULL) {
		perror(argv[1]);
		return 1;
	}
	static char buf[1 << 20];

	setvbuf(out, buf, _IOFBF, sizeof(buf));
	uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0};

	put32(hdr + 16, 262144);
	put32(hdr + 20, 1);
	fwrite(hdr, 1, sizeof(hdr), out);
	memset(junk, 'A', sizeof(junk));
	for (uint32_t i = 0; i < OOO_FLOWS; i++)
		ooo_next[i] = 0;
	for (uint32_t i = 0; i < ENDLESS_FLOWS; i++) {
		uint32_t c = 0xc0000200u + (i & 0xff);	/* 192.0.2.x */
		uint16_t cp = (uint16_t)(30000 + i);

		endless_seq[i] = 7000;
		packet(c, cp, SERVER, 143, 6999, 0, SYN, NULL, 0);
		packet(SERVER, 143, c, cp, 8000, 7000, SYN_ACK, NULL, 0);
		packet(SERVER, 143, c, cp, 8001, 7000, PSH_ACK,
		    (const uint8_t *)"* OK ready\r\n", 12);
	}
	uint32_t logins = 0;
	uint32_t every = scale / LOGINS;

	for (uint32_t i = 0; i < scale; i++) {
		/* a spoofed SYN from 10.0.0.0/8, never answered */
		uint32_t src = 0x0a000000u | (next_rand() & 0xffffffu);

		packet(src, (uint16_t)(1024 + next_rand() % 60000), SERVER, 143,
		    next_rand(), 0, SYN, NULL, 0);
		/* an out-of-order segment: the first one of a flow starts
		 * it; every later one lands past a hole never filled */
		uint32_t f = i % OOO_FLOWS;
		uint32_t osrc = 0xac100000u | f;	/* 172.16.x.y */
		uint32_t seq = 100000u + ooo_next[f] * (OOO_BYTES + 50u);

		packet(osrc, 50000, SERVER, 143, seq, 0, PSH_ACK, junk,
		    OOO_BYTES);
		ooo_next[f]++;
		/* endless lines */
		if (i % 64 == 0) {
			uint32_t e = (i / 64) % ENDLESS_FLOWS;

			packet(0xc0000200u + (e & 0xff), (uint16_t)(30000 + e),
			    SERVER, 143, endless_seq[e], 8013, PSH_ACK, junk,
			    ENDLESS_BYTES);
			endless_seq[e] += ENDLESS_BYTES;
		}
		if (i % every == every / 2 && logins < LOGINS)
			real_login(logins++);
	}
	while (logins < LOGINS)
		real_login(logins++);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%u\n", logins);
	return 0;
}
