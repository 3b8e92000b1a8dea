/* privdrop.h: giving up root once the capture is open (tcpdump's -Z).
 *
 * Opening an interface needs root (or CAP_NET_RAW); parsing what it
 * delivers does not.  After privdrop_to() the process runs as the named
 * user with its groups, cannot regain privileges (setuid(0) fails), and
 * has no_new_privs set, so no later exec can gain any either.
 */
#ifndef PLAINSIGHT_PRIVDROP_H
#define PLAINSIGHT_PRIVDROP_H

#include "plainsight/plainsight.h"

#define PRIVDROP_ERR_MAX 256

__attribute__((warn_unused_result)) enum status
privdrop_to(const char *user, char err[PRIVDROP_ERR_MAX]);

#endif
