/* floor.c: the least any reader of a capture file does, to measure the
 * others against.
 *
 *   floor [--buffer KIB] FILE
 *
 * Opens FILE with libpcap and reads every packet with pcap_next_ex(),
 * touching each (its length and first byte), as plainsight's own read
 * loop does before any analysis.  Prints "packets N bytes M" (M: captured
 * bytes).  Whatever a tool does beyond this is the cost of its analysis.
 *
 * The floor bench/run measures against is libpcap's defaults
 * (pcap_open_offline(): stdio's page-sized buffer, a read(2) per 4 KiB).
 * --buffer gives the file a stdio buffer of KIB KiB instead, as plainsight
 * does (64): the floor of a reader that does that too.
 */
#define _DEFAULT_SOURCE 1	/* libpcap's headers use u_int/u_char */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t packets = 0, bytes = 0, touch = 0;
	int rc;

	static char buf[16u << 20];
	unsigned long kib = 0;
	pcap_t *p;

	if (argc == 4 && strcmp(argv[1], "--buffer") == 0) {
		kib = strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || (kib != 0 && kib * 1024 > sizeof(buf))) {
		fprintf(stderr, "usage: floor [--buffer KIB] FILE\n");
		return 2;
	}
	if (kib == 0) {
		p = pcap_open_offline(argv[1], err);
	} else {
		FILE *f = fopen(argv[1], "rb");

		if (f == NULL) {
			perror(argv[1]);
			return 2;
		}
		setvbuf(f, buf, _IOFBF, kib * 1024);
		p = pcap_fopen_offline(f, err);
	}
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
