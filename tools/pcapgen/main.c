/* main.c: pcapgen SCENARIO OUT - turn a scenario file into a capture file.
 *
 * Wiring and exit codes only: 0 written, 1 the machine failed (memory,
 * libnet, writing OUT), 2 bad usage or a bad scenario.  OUT is written
 * only after the whole scenario ran, under a temporary name that is then
 * renamed, so a failed run never leaves a partial capture behind.
 */
#include <stdio.h>
#include <string.h>

#include "capfile.h"
#include "dbuf.h"
#include "pcapgen.h"
#include "scenario.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pcapgen SCENARIO.scn OUT.pcap\n"
	    "Runs the scenario and writes the capture file to OUT.\n"
	    "\"-\" as SCENARIO reads standard input, as OUT writes to "
	    "standard output.\n"
	    "The language is described in tools/pcapgen/README.md.\n");
}

int
main(int argc, char **argv)
{
	if (argc == 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc != 3) {
		usage(stderr);
		return 2;
	}

	char err[2 * PCAPGEN_ERR_MAX + 64] = "";
	struct dbuf out;
	/* the rendered file: packets plus per-record headers */
	dbuf_init(&out, 2 * (size_t)PCAPGEN_OUTPUT_MAX);
	enum status st = scenario_run(argv[1], &out, err, sizeof err);
	if (st == ST_OK)
		st = capfile_write(argv[2], out.p, out.len, err, sizeof err);
	dbuf_free(&out);
	if (st == ST_OK)
		return 0;
	fprintf(stderr, "pcapgen: %s\n", err);
	return st == ST_BAD || st == ST_TOOBIG ? 2 : 1;
}
