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

/* The state of one SipHash computation, and its steps: always inlined
 * (with more callers, LTO once called hash_sip_final() from the flow
 * hash of every packet: 3 M more instructions on the mail cut). */
#define HASH_INLINE static inline __attribute__((always_inline))

struct hash_sip {
	uint64_t v0, v1, v2, v3;
};

HASH_INLINE struct hash_sip
hash_sip_init(const struct hash_key *key)
{
	return (struct hash_sip){0x736f6d6570736575ULL ^ key->k0,
	    0x646f72616e646f6dULL ^ key->k1, 0x6c7967656e657261ULL ^ key->k0,
	    0x7465646279746573ULL ^ key->k1};
}

HASH_INLINE void
hash_sip_round(struct hash_sip *s)
{
	s->v0 += s->v1;
	s->v1 = HASH_ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = HASH_ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = HASH_ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = HASH_ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = HASH_ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = HASH_ROTL(s->v2, 32);
}

/* One 8-byte block, with SipHash-1-3's one compression round. */
HASH_INLINE void
hash_sip_block(struct hash_sip *s, uint64_t m)
{
	s->v3 ^= m;
	hash_sip_round(s);
	s->v0 ^= m;
}

/* The last block (b: the remaining bytes, little-endian, with the length
 * in the top byte) and the three finalisation rounds. */
HASH_INLINE uint64_t
hash_sip_final(struct hash_sip *s, uint64_t b)
{
	hash_sip_block(s, b);
	s->v2 ^= 0xff;
	hash_sip_round(s);
	hash_sip_round(s);
	hash_sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

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
 * 8 bytes (m, little-endian) and the last block (b, as hash_sip_final()
 * takes it).  The flow table's IPv4 keys (12 bytes) take this path on
 * every packet: no tail loop. */
static inline uint64_t
hash_sip13_9to15(const struct hash_key *key, uint64_t m, uint64_t b)
{
	struct hash_sip s = hash_sip_init(key);

	hash_sip_block(&s, m);
	return hash_sip_final(&s, b);
}

static inline uint64_t
hash_sip13(const struct hash_key *key, const void *data, size_t n)
{
	const uint8_t *p = data;
	struct hash_sip s = hash_sip_init(key);
	uint64_t b = (uint64_t)n << 56;
	size_t whole = n - n % 8;

	for (size_t i = 0; i < whole; i += 8)
		hash_sip_block(&s, hash_load_le64(p + i));
	for (size_t i = whole; i < n; i++)
		b |= (uint64_t)p[i] << (8 * (i - whole));
	return hash_sip_final(&s, b);
}

#endif
