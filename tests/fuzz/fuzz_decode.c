/* fuzz_decode.c: the packet decoders, from link layer to TCP.
 * Input: one byte picks the link type, the rest is the frame. */
#include <pcap/dlt.h>
#include <stdlib.h>

#include "decode/link.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
	    DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP};
	struct pkt_view pv;

	if (size < 1)
		return 0;
	int dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	uint8_t *frame = fuzz_copy(data + 1, size - 1);

	if (link_decode(dlt, frame, size - 1, &pv) == DECODE_OK) {
		/* the view never points past what was captured */
		if (pv.payload_off > size - 1 ||
		    pv.payload_caplen > size - 1 - pv.payload_off ||
		    pv.payload_caplen > pv.payload_len)
			abort();
	}
	free(frame);
	return 0;
}
