/* hash.h: keyed hashing for tables whose keys the network chooses.
 *
 * The flow table and the IMAP tag table hash attacker-chosen bytes; with a
 * fixed hash a flood of colliding keys turns every lookup into a list walk
 * (the classic hash-flooding DoS).  SipHash-1-3 with a per-engine random
 * key makes collisions unpredictable.  Nothing in plainsight's output
 * depends on the key: it only decides bucket order.
 */
#ifndef PLAINSIGHT_HASH_H
#define PLAINSIGHT_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct hash_key {
	uint64_t k0;
	uint64_t k1;
};

/* hash_key_random(): a fresh key from the system's random source (falls
 * back to a fixed key when none is available: still correct, only
 * predictable). */
struct hash_key hash_key_random(void);

/* hash_sip13(): SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012; 1 compression and 3 finalisation rounds as in
 * Rust's and Python's hash tables) of n bytes.  Inline: the flow table
 * hashes every packet's key, and with a constant n the compiler unrolls
 * it (bench/run mail). */
#define HASH_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define HASH_SIPROUND                                                        \
	do {                                                                 \
		v0 += v1;                                                    \
		v1 = HASH_ROTL(v1, 13);                                      \
		v1 ^= v0;                                                    \
		v0 = HASH_ROTL(v0, 32);                                      \
		v2 += v3;                                                    \
		v3 = HASH_ROTL(v3, 16);                                      \
		v3 ^= v2;                                                    \
		v0 += v3;                                                    \
		v3 = HASH_ROTL(v3, 21);                                      \
		v3 ^= v0;                                                    \
		v2 += v1;                                                    \
		v1 = HASH_ROTL(v1, 17);                                      \
		v1 ^= v2;                                                    \
		v2 = HASH_ROTL(v2, 32);                                      \
	} while (0)

/* One unaligned little-endian load: a single mov on x86. */
static inline uint64_t
hash_load_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* hash_sip13_9to15(): hash_sip13() of 9 to 15 bytes given as their first
 * 8 bytes (m, little-endian) and the last block (b: the remaining bytes,
 * little-endian, with the length in the top byte).  The flow table's
 * IPv4 keys (12 bytes) take this path on every packet: no tail loop. */
static inline uint64_t
hash_sip13_9to15(const struct hash_key *key, uint64_t m, uint64_t b)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ key->k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ key->k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ key->k0;
	uint64_t v3 = 0x7465646279746573ULL ^ key->k1;

	v3 ^= m;
	HASH_SIPROUND;
	v0 ^= m;
	v3 ^= b;
	HASH_SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	HASH_SIPROUND;
	HASH_SIPROUND;
	HASH_SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static inline uint64_t
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
		uint64_t m = hash_load_le64(p + i);

		v3 ^= m;
		HASH_SIPROUND;
		v0 ^= m;
	}
	for (size_t i = whole; i < n; i++)
		b |= (uint64_t)p[i] << (8 * (i - whole));
	v3 ^= b;
	HASH_SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	HASH_SIPROUND;
	HASH_SIPROUND;
	HASH_SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

#endif
