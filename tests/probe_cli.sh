#!/bin/sh
# probe_cli.sh: `plainsight probe`'s command line, without root and
# without a server (tests/integration/probe.sh has the servers).
#
#   probe_cli.sh PLAINSIGHT SRCDIR
#
# Checks: --help says that no real credential is ever sent; usage errors
# exit 2 with a message naming what is wrong; a port named on loopback
# where nothing listens is an error (exit 2), in both formats; every long
# option of src/probe/probe.c is in --help and in docs/probe.md.
set -u
bin=$1
src=$2
cd "$src" || exit 99
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

check() {	# check DESCRIPTION WANT_STATUS NEEDLE -- COMMAND...
	desc=$1
	want=$2
	needle=$3
	shift 4
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $desc: exit status $rc, expected $want" >&2
		cat "$tmp/out" "$tmp/err" >&2
		fail=1
	elif [ -n "$needle" ] && ! grep -qF -- "$needle" "$tmp/out" "$tmp/err"
	then
		echo "FAIL $desc: output lacks '$needle'" >&2
		cat "$tmp/out" "$tmp/err" >&2
		fail=1
	fi
}

check "--help" 0 "Never a real credential" -- "$bin" probe --help
check "-h" 0 "plainsight-probe-not-a-password" -- "$bin" probe -h
check "main --help names probe" 0 "plainsight probe" -- "$bin" --help
check "no host" 2 "no server to probe" -- "$bin" probe
check "unknown option" 2 "unknown option '--nope'" -- \
	"$bin" probe --nope x
check "missing argument" 2 "--timeout needs an argument" -- \
	"$bin" probe x --timeout
check "bad timeout" 2 "--timeout: '0'" -- "$bin" probe --timeout 0 x
check "bad format" 2 "--format: 'csv'" -- "$bin" probe --format csv x
check "fake user with a space" 2 "--fake-user: 'a b'" -- \
	"$bin" probe --fake-user 'a b' x
check "fake user with CR LF" 2 "--fake-user" -- \
	"$bin" probe --fake-user "$(printf 'a\r\nb')" x
check "bad servername" 2 "--servername: 'a/b'" -- \
	"$bin" probe --servername a/b x
check "bad port" 2 "the port is not a number" -- "$bin" probe x:0
check "bad host" 2 "is not HOST" -- "$bin" probe 'a b'
check "IPv6 without its bracket" 2 "is not HOST" -- \
	"$bin" probe '[2001:db8::1'
check "non-standard port, no protocol" 2 "give --pop3 or --imap" -- \
	"$bin" probe x:1143
check "missing CA file" 2 "--ca-file $tmp/none" -- \
	"$bin" probe --ca-file "$tmp/none" 127.0.0.1:143
# Nothing listens on port 1 of loopback: a named port that cannot be
# reached is an error, and says why.
check "refused (text)" 2 \
	"ERROR  connect             connect: Connection refused" -- \
	"$bin" probe --timeout 2 --imap 127.0.0.1:1
check "refused (json)" 2 '"check":"connect","result":"error"' -- \
	"$bin" probe --timeout 2 --format json --imap 127.0.0.1:1

# Every long option is documented in --help and in docs/probe.md.
for opt in $(grep -o '{"[a-z0-9-]*", [a-z_]*_argument' src/probe/probe.c |
	sed 's/{"\([a-z0-9-]*\)".*/\1/'); do
	"$bin" probe --help | grep -q -- "--$opt" ||
		{ echo "FAIL --$opt missing from probe --help" >&2; fail=1; }
	grep -q -- "--$opt" docs/probe.md ||
		{ echo "FAIL --$opt missing from docs/probe.md" >&2; fail=1; }
done
exit $fail
