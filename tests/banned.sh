#!/bin/sh
# banned.sh: no unbounded string function in the code that parses hostile
# bytes (curl's checksrc does the same): strcpy, strcat, sprintf,
# vsprintf, gets, strtok, alloca, and no variable-length arrays (the
# compiler's -Wvla makes those an error already).
#
#   banned.sh SRCDIR
set -u
cd "$1" || exit 99
hits=$(grep -rnE '(^|[^a-z_])(strcpy|strcat|sprintf|vsprintf|gets|strtok|strtok_r|alloca)[[:space:]]*\(' \
	src include tools tests/fuzz tests/unit bench 2>/dev/null |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
if [ -n "$hits" ]; then
	echo "banned functions (use snprintf, memcpy with a checked length):" >&2
	echo "$hits" >&2
	exit 1
fi
exit 0
