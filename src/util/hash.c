/* hash.c: the key of SipHash-1-3 (the function itself is inline in
 * hash.h). */
#include "util/hash.h"

#include <openssl/rand.h>

struct hash_key
hash_key_random(void)
{
	struct hash_key k = {0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
	uint8_t raw[16];

	if (RAND_bytes(raw, (int)sizeof(raw)) == 1) {
		k.k0 = hash_load_le64(raw);
		k.k1 = hash_load_le64(raw + 8);
	}
	return k;
}
