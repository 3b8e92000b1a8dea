/* fuzz_common.c: helpers shared by the fuzz targets (see fuzz.h). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

uint8_t *
fuzz_copy(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (c == NULL)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}
