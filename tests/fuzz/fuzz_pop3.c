/* fuzz_pop3.c: the POP3 engine on arbitrary two-sided transcripts. */
#include "fuzz.h"
#include "fuzz_session.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_session(PROTO_POP3, data, size);
	return 0;
}
