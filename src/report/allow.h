/* allow.h: the known legacy clients of a cutover (--allow FILE).
 *
 * Owns a list of IPv4/IPv6 CIDR blocks read from a file: one a line,
 * "#" comments, blank lines ignored.  Findings from these clients are
 * still reported, marked "allowed", and do not count for the exit status.
 */
#ifndef PLAINSIGHT_ALLOW_H
#define PLAINSIGHT_ALLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "plainsight/plainsight.h"

#define ALLOW_ERR_MAX 256
#define ALLOW_ENTRIES_MAX 65536u	/* a list, not a routing table */

struct allow;

/* allow_load(): read the file; ST_INPUT with err naming the file and
 * line on any problem. */
__attribute__((warn_unused_result)) enum status
allow_load(const char *path, struct allow **out, char err[ALLOW_ERR_MAX]);

void allow_free(struct allow *a);

/* allow_match(): whether the address is in one of the blocks (NULL list:
 * never). */
bool allow_match(const struct allow *a, const struct endpoint *e);

#endif
