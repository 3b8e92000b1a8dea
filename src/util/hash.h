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

struct hash_key {
	uint64_t k0;
	uint64_t k1;
};

/* hash_key_random(): a fresh key from the system's random source (falls
 * back to a fixed key when none is available: still correct, only
 * predictable). */
struct hash_key hash_key_random(void);

/* hash_sip13(): SipHash-1-3 of n bytes. */
uint64_t hash_sip13(const struct hash_key *key, const void *data, size_t n);

#endif
