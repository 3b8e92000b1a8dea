/* hash.c: the key of SipHash-1-3 (the function itself is inline in
 * hash.h). */
#include "util/hash.h"

#include <sys/random.h>

#include <openssl/crypto.h>

struct hash_key
hash_key_random(void)
{
	struct hash_key k = {0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
	uint8_t raw[16];

	/* the kernel's generator, which OpenSSL's seeds itself from:
	 * RAND_bytes() set up a whole DRBG for these 16 bytes (8 M
	 * instructions, about 3 ms, at every start) */
	if (getrandom(raw, sizeof(raw), 0) == (ssize_t)sizeof(raw)) {
		k.k0 = hash_load_le64(raw);
		k.k1 = hash_load_le64(raw + 8);
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	return k;
}
