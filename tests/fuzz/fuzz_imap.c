/* fuzz_imap.c: the IMAP engine on arbitrary two-sided transcripts. */
#include "fuzz.h"
#include "fuzz_session.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_session(PROTO_IMAP, data, size);
	return 0;
}
