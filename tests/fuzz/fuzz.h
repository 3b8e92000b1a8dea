/* fuzz.h: what every fuzz target shares.
 *
 * Each target is one LLVMFuzzerTestOneInput() over a module's pure entry
 * point.  Built with clang's libFuzzer under PLAINSIGHT_FUZZ, or linked
 * with standalone.c, which replays corpus files with any compiler (the
 * ctests fuzz_replay_<target>).  Input chunks are copied into exactly
 * sized allocations (fuzz_copy()) so that AddressSanitizer sees a read one
 * byte past them.
 */
#ifndef PLAINSIGHT_FUZZ_H
#define PLAINSIGHT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_copy(): an exactly sized heap copy of n bytes (never NULL: aborts
 * on allocation failure, which is no finding). */
uint8_t *fuzz_copy(const uint8_t *p, size_t n);

#endif
