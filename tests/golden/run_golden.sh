#!/bin/sh
# run_golden.sh: run one golden case and compare the whole output.
#
#   run_golden.sh PLAINSIGHT SRCDIR CASE
#
# A case is a directory tests/golden/CASE/ with:
#   cmd         the arguments, one shell-quoted line, run from SRCDIR
#   expected.*  the exact standard output (one file: .txt, .json or .csv),
#               written by hand from the scenario (pcaps/*.scn), never
#               pasted from a run
#   status      the expected exit status (0, 1 or 2)
#   stderr      optional: the exact standard error
#   README.md   what the case guards and how its expected output was derived
#
# With UPDATE_GOLDEN=1 the expected files are rewritten from the run: only
# for a deliberate format change, and every changed line is then checked
# by hand against its scenario before committing.
set -u
bin=$1
src=$2
case=$3
dir=$src/tests/golden/$case
cd "$src" || exit 99

expected=$(ls "$dir"/expected.* 2>/dev/null)
if [ "$(printf '%s\n' "$expected" | grep -c .)" -ne 1 ]; then
	echo "golden $case: needs exactly one expected.* file" >&2
	exit 99
fi
[ -f "$dir/status" ] || { echo "golden $case: no status file" >&2; exit 99; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
eval "set -- $(cat "$dir/cmd")"
"$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?

if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$tmp/stdout" "$expected"
	echo "$rc" >"$dir/status"
	[ -f "$dir/stderr" ] && cp "$tmp/stderr" "$dir/stderr"
	echo "golden $case: rewritten; check every changed line by hand" >&2
	exit 0
fi

fail=0
if ! diff -u "$expected" "$tmp/stdout"; then
	echo "golden $case: standard output differs (- expected, + got)" >&2
	fail=1
fi
want=$(cat "$dir/status")
if [ "$rc" != "$want" ]; then
	echo "golden $case: exit status $rc, expected $want" >&2
	cat "$tmp/stderr" >&2
	fail=1
fi
if [ -f "$dir/stderr" ]; then
	if ! diff -u "$dir/stderr" "$tmp/stderr"; then
		echo "golden $case: standard error differs" >&2
		fail=1
	fi
elif [ -s "$tmp/stderr" ]; then
	echo "golden $case: unexpected standard error:" >&2
	cat "$tmp/stderr" >&2
	fail=1
fi
exit $fail
