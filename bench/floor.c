/* floor.c: the least any reader of a capture file does, to measure the
 * others against.
 *
 *   floor FILE
 *
 * Opens FILE with libpcap and reads every packet with pcap_next_ex(),
 * touching each (its length and first byte), as plainsight's own read
 * loop does before any analysis.  Prints "packets N bytes M" (M: captured
 * bytes).  Whatever a tool does beyond this is the cost of its analysis.
 */
#define _DEFAULT_SOURCE 1	/* libpcap's headers use u_int/u_char */

#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t packets = 0, bytes = 0, touch = 0;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: floor FILE\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], err);

	if (p == NULL) {
		fprintf(stderr, "floor: %s: %s\n", argv[1], err);
		return 2;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		packets++;
		bytes += h->caplen;
		if (h->caplen > 0)
			touch += data[0];
	}
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "floor: %s: %s\n", argv[1], pcap_geterr(p));
		pcap_close(p);
		return 2;
	}
	pcap_close(p);
	printf("packets %llu bytes %llu touch %llu\n",
	    (unsigned long long)packets, (unsigned long long)bytes,
	    (unsigned long long)(touch & 0xff));
	return 0;
}
