#!/bin/sh
# threads.sh: reading a file on two threads gives what reading it on one
# gives, to the byte: every fixture in pcaps/, every format, the whole
# output (records, stats, the text report), the messages on standard
# error and the exit status; and the files of a multi-file timeline.
#
#   threads.sh PLAINSIGHT SRCDIR
set -u
bin=$1
src=$2
cd "$src" || exit 99
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0

compare() {	# compare DESCRIPTION ARGS...
	desc=$1
	shift
	"$bin" --threads 1 "$@" >"$tmp/out1" 2>"$tmp/err1"
	rc1=$?
	"$bin" --threads 2 "$@" >"$tmp/out2" 2>"$tmp/err2"
	rc2=$?
	n=$((n + 1))
	# the same failure twice is no proof: every case here must run
	if [ "$rc1" -gt 1 ]; then
		echo "FAIL $desc: exit status $rc1" >&2
		head -3 "$tmp/err1" >&2
		fail=1
	fi
	if [ "$rc1" != "$rc2" ] || ! cmp -s "$tmp/out1" "$tmp/out2" ||
	    ! cmp -s "$tmp/err1" "$tmp/err2"; then
		echo "FAIL $desc: --threads 1 and 2 differ" >&2
		diff "$tmp/out1" "$tmp/out2" | head -5 >&2
		diff "$tmp/err1" "$tmp/err2" | head -5 >&2
		fail=1
	fi
}

for f in pcaps/*.pcap; do
	for fmt in text json csv; do
		compare "$f $fmt" -r "$f" --format "$fmt" -v
	done
done
compare "multi-file" -r pcaps/multi-file-a.pcap -r pcaps/multi-file-b.pcap \
	--format json
compare "small caps" -r pcaps/flood-fills-buffer.pcap --max-buffer 64K \
	--max-flows 4 --format json
compare "filter" -r pcaps/bpf-filter.pcap --format json 'host 192.0.2.31'
if [ "$fail" = 0 ]; then
	echo "threads: $n runs, one thread and two give the same bytes"
fi
exit "$fail"
