/* noise.c: non-mail connections and flood packets (see noise.h). */
#include "noise.h"

#include <string.h>

#define C CONV_CLIENT
#define S CONV_SERVER

static const char *const http_paths[] = {"/", "/index.html",
    "/static/app.js", "/api/v1/status", "/images/logo.png",
    "/downloads/report.pdf"};

uint16_t
noise_port(enum noise_kind k)
{
	switch (k) {
	case NOISE_HTTPS:
		return 443;
	case NOISE_HTTP:
		return 80;
	case NOISE_SSH:
		return 22;
	case NOISE_SMB:
		return 445;
	case NOISE_KIND_COUNT:
		break;
	}
	return 443;
}

static void
random_msg(struct conv *c, struct rng *rng, unsigned from, uint32_t n,
    uint8_t first)
{
	uint8_t buf[2048];

	if (n > sizeof(buf))
		n = sizeof(buf);
	for (uint32_t i = 0; i < n; i++)
		buf[i] = (uint8_t)rng_next(rng);
	buf[0] = first;
	conv_send(c, from, CONV_WHOLE, buf, n);
}

static void
tls_record(struct conv *c, struct rng *rng, unsigned from, uint8_t type,
    uint32_t n)
{
	uint8_t buf[4096];

	if (n > sizeof(buf))
		n = sizeof(buf);
	for (uint32_t i = 5; i < n; i++)
		buf[i] = (uint8_t)rng_next(rng);
	buf[0] = type;
	buf[1] = 0x03;
	buf[2] = 0x03;
	buf[3] = (uint8_t)((n - 5) >> 8);
	buf[4] = (uint8_t)(n - 5);
	if (type == 0x16)
		buf[5] = from == C ? 1 : 2;
	conv_send(c, from, CONV_WHOLE, buf, n);
}

static uint64_t
round_up(uint64_t n, uint64_t unit)
{
	return n + (unit - n % unit) % unit;
}

static void
https(struct conv *c, struct rng *rng, uint64_t size)
{
	conv_handshake(c);
	tls_record(c, rng, C, 0x16, 517);
	tls_record(c, rng, S, 0x16, rng_range(rng, 2400, 4000));
	tls_record(c, rng, C, 0x16, 126);
	conv_bulk(c, C, CONV_FILL_TLS, CONV_TLS_RECORD);
	conv_bulk(c, S, CONV_FILL_TLS, round_up(size, CONV_TLS_RECORD));
	conv_close(c, rng_percent(rng, 50) ? C : S);
}

static void
http(struct conv *c, struct rng *rng, uint64_t size)
{
	uint64_t body = round_up(size, CONV_TEXT_LINE);

	conv_handshake(c);
	conv_sendf(c, C, CONV_WHOLE,
	    "GET %s HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: "
	    "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 "
	    "Firefox/115.0\r\nAccept: */*\r\nAccept-Encoding: identity\r\n"
	    "Connection: close\r\n\r\n",
	    http_paths[rng_below(rng, 6)]);
	conv_sendf(c, S, CONV_WHOLE,
	    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: "
	    "text/plain; charset=us-ascii\r\nContent-Length: %llu\r\n"
	    "Connection: close\r\n\r\n",
	    (unsigned long long)body);
	conv_bulk(c, S, CONV_FILL_TEXT, body);
	conv_close(c, S);
}

static void
ssh(struct conv *c, struct rng *rng, uint64_t size)
{
	static const char banner[] =
	    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
	uint32_t n = (uint32_t)sizeof(banner) - 1;

	conv_handshake(c);
	conv_send(c, S, CONV_WHOLE, (const uint8_t *)banner, n);
	conv_send(c, C, CONV_WHOLE, (const uint8_t *)banner, n);
	conv_bulk(c, C, CONV_FILL_RANDOM, 1536);
	conv_bulk(c, S, CONV_FILL_RANDOM, 1080);
	if (size < 16384) {
		/* an interactive session: keystrokes and echoes */
		uint32_t turns = (uint32_t)(size / 256) + 4;

		if (turns > 40)
			turns = 40;
		for (uint32_t i = 0; i < turns; i++) {
			random_msg(c, rng, C, 36, 0);
			random_msg(c, rng, S, rng_range(rng, 36, 900), 0);
		}
	} else {
		conv_bulk(c, S, CONV_FILL_RANDOM, size);
	}
	conv_close(c, C);
}

static void
smb(struct conv *c, struct rng *rng, uint64_t size)
{
	conv_handshake(c);
	random_msg(c, rng, C, 194, 0);	/* NetBIOS session message */
	random_msg(c, rng, S, 250, 0);
	random_msg(c, rng, C, 162, 0);
	random_msg(c, rng, S, 310, 0);
	for (uint64_t left = size; left > 0;) {
		uint64_t chunk = left < 65536 ? left : 65536;

		random_msg(c, rng, C, 113, 0);
		conv_bulk(c, S, CONV_FILL_RANDOM, chunk);
		left -= chunk;
		if (c->nmsg + 4 >= CONV_MSGS_MAX) {
			conv_bulk(c, S, CONV_FILL_RANDOM, left);
			break;
		}
	}
	conv_close(c, C);
}

void
noise_build(struct conv *c, struct rng *rng, enum noise_kind k,
    uint64_t size)
{
	switch (k) {
	case NOISE_HTTPS:
		https(c, rng, size);
		break;
	case NOISE_HTTP:
		http(c, rng, size);
		break;
	case NOISE_SSH:
		ssh(c, rng, size);
		break;
	case NOISE_SMB:
	case NOISE_KIND_COUNT:
		smb(c, rng, size);
		break;
	}
}

static const char *const probes[] = {
    "CAPA\r\n", "a001 CAPABILITY\r\n", "QUIT\r\n", "a1 LOGOUT\r\n",
    "GET / HTTP/1.0\r\n\r\n", "HELP\r\n", "\r\n", "NOOP\r\n",
    "USER anonymous\r\n", "A0001 NOOP\r\n"};

void
noise_flood(struct conv *c, struct rng *rng, enum flood_kind k)
{
	switch (k) {
	case FLOOD_SYN:
		conv_op(c, CONV_OP_SYN, C);
		break;
	case FLOOD_PROBE: {
		const char *p = probes[rng_below(rng, 10)];

		conv_send(c, C, CONV_WHOLE, (const uint8_t *)p,
		    (uint32_t)strlen(p));
		break;
	}
	case FLOOD_JUNK:
	case FLOOD_KIND_COUNT: {
		uint32_t n = rng_range(rng, 8, 400);

		random_msg(c, rng, C, n, (uint8_t)rng_next(rng));
		break;
	}
	}
}
