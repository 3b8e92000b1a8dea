/* hash.c: SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast short-input
 * PRF", 2012; 1 compression and 3 finalisation rounds as in Rust's and
 * Python's hash tables) and its key. */
#define _DEFAULT_SOURCE 1	/* le64toh */

#include "util/hash.h"

#include <endian.h>
#include <string.h>

#include <openssl/rand.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                             \
	do {                                                                 \
		v0 += v1;                                                    \
		v1 = ROTL(v1, 13);                                           \
		v1 ^= v0;                                                    \
		v0 = ROTL(v0, 32);                                           \
		v2 += v3;                                                    \
		v3 = ROTL(v3, 16);                                           \
		v3 ^= v2;                                                    \
		v0 += v3;                                                    \
		v3 = ROTL(v3, 21);                                           \
		v3 ^= v0;                                                    \
		v2 += v1;                                                    \
		v1 = ROTL(v1, 17);                                           \
		v1 ^= v2;                                                    \
		v2 = ROTL(v2, 32);                                           \
	} while (0)

/* One unaligned little-endian load: memcpy and le64toh compile to a
 * single mov on x86 (a byte loop did not, and the flow hash is on every
 * packet's path). */
static uint64_t
load_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

uint64_t
hash_sip13(const struct hash_key *key, const void *data, size_t n)
{
	const uint8_t *p = data;
	uint64_t v0 = 0x736f6d6570736575ULL ^ key->k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ key->k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ key->k0;
	uint64_t v3 = 0x7465646279746573ULL ^ key->k1;
	uint64_t b = (uint64_t)n << 56;
	size_t whole = n - n % 8;

	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m = load_le64(p + i);

		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t i = whole; i < n; i++)
		b |= (uint64_t)p[i] << (8 * (i - whole));
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

struct hash_key
hash_key_random(void)
{
	struct hash_key k = {0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
	uint8_t raw[16];

	if (RAND_bytes(raw, (int)sizeof(raw)) == 1) {
		k.k0 = load_le64(raw);
		k.k1 = load_le64(raw + 8);
	}
	return k;
}
