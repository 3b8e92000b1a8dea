#!/bin/sh
# cli.sh: the command line's behaviour that golden cases cannot show, and
# that the docs stay true.
#
#   cli.sh PLAINSIGHT SRCDIR
#
# Checks: --help and --version; every long option is in --help and in
# docs/usage.md; -r - reads standard input; usage errors, a missing or
# unreadable file, a bad BPF expression, an unwritable -w and a bad key
# file exit 2 with a message naming what is wrong; a capture damaged in
# the middle is an error naming the file and the packet, and what came
# before it is still reported; the README's sample is the demo's real
# output.
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
		cat "$tmp/err" >&2
		fail=1
	elif [ -n "$needle" ] && ! grep -qF -- "$needle" "$tmp/out" "$tmp/err"
	then
		echo "FAIL $desc: output lacks '$needle'" >&2
		cat "$tmp/out" "$tmp/err" >&2
		fail=1
	fi
}

check "--help" 0 "Usage: plainsight -r FILE" -- "$bin" --help
check "-h" 0 "Exit status" -- "$bin" -h
check "--version" 0 "plainsight 0." -- "$bin" --version
check "no input" 2 "give a capture with -r FILE" -- "$bin"
check "unknown option" 2 "unknown option '--nope'" -- "$bin" -r x --nope
check "missing argument" 2 "needs an argument" -- "$bin" -r
check "bad port" 2 "--imap-ports: 'x' is not a list of ports" -- \
	"$bin" -r pcaps/demo.pcap --imap-ports x
check "missing file" 2 "missing.pcap: No such file or directory" -- \
	"$bin" -r missing.pcap
check "not a capture" 2 "README.md: not a capture plainsight can read" -- \
	"$bin" -r README.md
check "bad filter" 2 "filter expression 'port (': " -- \
	"$bin" -r pcaps/demo.pcap "port ("
check "unwritable -w" 2 "-w $tmp/no/such/dir/r.txt: No such file" -- \
	"$bin" -r pcaps/demo.pcap -w "$tmp/no/such/dir/r.txt"
: >"$tmp/empty-key"
check "empty key" 2 "the file is empty" -- \
	"$bin" -r pcaps/demo.pcap --account-key "$tmp/empty-key"
check "missing key" 2 "--account-key $tmp/none: No such file" -- \
	"$bin" -r pcaps/demo.pcap --account-key "$tmp/none"

# -r - reads standard input, with the same result as the file
"$bin" -r - <pcaps/demo.pcap >"$tmp/stdin.txt"
if ! cmp -s "$tmp/stdin.txt" tests/golden/demo/expected.txt; then
	echo "FAIL -r -: differs from the demo's expected output" >&2
	fail=1
fi

# -w writes the report, and nothing to standard output
check "-w" 1 "" -- "$bin" -r pcaps/demo.pcap -w "$tmp/report.txt"
if [ -s "$tmp/out" ] || ! cmp -s "$tmp/report.txt" \
	tests/golden/demo/expected.txt; then
	echo "FAIL -w: report not in the file alone" >&2
	fail=1
fi

# A record in the middle of the file damaged: its length field claims more
# than the snaplen.  The error names the file and the packet; the logins
# before it are still reported.
python3 - "$tmp/damaged.pcap" <<'EOF'
import struct, sys
data = bytearray(open("pcaps/demo.pcap", "rb").read())
off, n = 24, 0
while off < len(data):
    caplen = struct.unpack_from("<I", data, off + 8)[0]
    n += 1
    if n == 30:          # damage packet 30: caplen far beyond the snaplen
        struct.pack_into("<I", data, off + 8, 0x7fffffff)
        break
    off += 16 + caplen
open(sys.argv[1], "wb").write(bytes(data))
EOF
check "damaged capture" 2 "damaged.pcap: cannot read packet 30" -- \
	"$bin" -r "$tmp/damaged.pcap" --format csv
if ! grep -q "^pop3,192.0.2.21," "$tmp/out" ||
	! grep -q "^imap,192.0.2.22," "$tmp/out"; then
	echo "FAIL damaged capture: the logins before packet 30 are lost" >&2
	fail=1
fi

# Every long option is documented in --help and in docs/usage.md.
for opt in $(grep -o '{"[a-z0-9-]*", [a-z_]*_argument' src/cli.c |
	sed 's/{"\([a-z0-9-]*\)".*/\1/'); do
	"$bin" --help | grep -q -- "--$opt" ||
		{ echo "FAIL --$opt missing from --help" >&2; fail=1; }
	grep -q -- "--$opt" docs/usage.md ||
		{ echo "FAIL --$opt missing from docs/usage.md" >&2; fail=1; }
done

# The README's sample output is the demo's real output.
awk '/^Output \(exit status 1/ { on = 1; next }
	on && /^```$/ { if (in_block) exit; in_block = 1; next }
	in_block { print }' README.md >"$tmp/readme.txt"
if ! cmp -s "$tmp/readme.txt" tests/golden/demo/expected.txt; then
	echo "FAIL README.md's sample differs from tests/golden/demo" >&2
	diff "$tmp/readme.txt" tests/golden/demo/expected.txt >&2
	fail=1
fi
exit $fail
