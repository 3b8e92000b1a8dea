/* fuzz_decode.c: the packet decoders, from link layer to TCP.
 * Input: one byte picks the link type, the rest is the frame. */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "decode/link.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
	    DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP};
	struct pkt_view pv, general;

	if (size < 1)
		return 0;
	int dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	uint8_t *frame = fuzz_copy(data + 1, size - 1);

	memset(&pv, 0, sizeof(pv));
	memset(&general, 0, sizeof(general));
	enum stat_id st = link_decode(dlt, frame, size - 1, &pv);

	/* the fast path for Ethernet/IPv4/TCP says what the general one
	 * says (fields compared where both wrote them: a fragment's are
	 * in frag, and neither writes past the view on an error) */
	if (st != link_decode_general(dlt, frame, size - 1, &general))
		abort();
	if (st == DECODE_OK) {
		/* the view never points past what was captured */
		if (pv.payload_off > size - 1 ||
		    pv.payload_caplen > size - 1 - pv.payload_off ||
		    pv.payload_caplen > pv.payload_len)
			abort();
		if (pv.family != general.family ||
		    memcmp(pv.src, general.src, sizeof(pv.src)) != 0 ||
		    memcmp(pv.dst, general.dst, sizeof(pv.dst)) != 0 ||
		    pv.sport != general.sport || pv.dport != general.dport ||
		    pv.seq != general.seq || pv.ack != general.ack ||
		    pv.flags != general.flags ||
		    pv.window != general.window ||
		    pv.urgent != general.urgent ||
		    pv.payload_off != general.payload_off ||
		    pv.payload_len != general.payload_len ||
		    pv.payload_caplen != general.payload_caplen)
			abort();
	}
	free(frame);
	return 0;
}
