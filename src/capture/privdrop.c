/* privdrop.c: drop root for a named user (see privdrop.h). */
#define _DEFAULT_SOURCE 1	/* initgroups, setgroups */

#include "capture/privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

enum status
privdrop_to(const char *user, char err[PRIVDROP_ERR_MAX])
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		snprintf(err, PRIVDROP_ERR_MAX, "-Z %s: no such user", user);
		return ST_USAGE;
	}
	/* groups first: after setuid() we could no longer change them */
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		snprintf(err, PRIVDROP_ERR_MAX,
		    "-Z %s: cannot switch to this user (%s); -Z needs root",
		    user, strerror(errno));
		return ST_USAGE;
	}
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, PRIVDROP_ERR_MAX,
		    "-Z %s: root could be regained; refusing to go on", user);
		return ST_USAGE;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, PRIVDROP_ERR_MAX, "-Z %s: no_new_privs: %s",
		    user, strerror(errno));
		return ST_USAGE;
	}
	return ST_OK;
}
