/* scenario.h: runs a pcapgen scenario file (language: README.md). */
#ifndef PCAPGEN_SCENARIO_H
#define PCAPGEN_SCENARIO_H

#include <stddef.h>

#include "dbuf.h"
#include "pcapgen.h"

/* scenario_run(): read the scenario at path ("-": standard input), run it,
 * and append the complete capture file to out.  On failure out holds
 * nothing useful and err holds "FILE:LINE: message" (or "FILE: message"
 * when no single line is to blame).  ST_BAD and ST_TOOBIG mean the
 * scenario is wrong; the others are failures of the machine. */
enum status scenario_run(
    const char *path, struct dbuf *out, char *err, size_t errlen) PCAPGEN_WUR;

#endif
