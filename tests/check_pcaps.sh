#!/bin/sh
# check_pcaps.sh: every pcaps/*.scn regenerates its committed pcaps/*.pcap
# byte for byte, and every committed capture has its scenario.  This is
# what makes the fixtures built, not hand-waved: anyone can read the
# scenario and rebuild the capture.
#
#   check_pcaps.sh PCAPGEN SRCDIR
set -u
gen=$1
src=$2
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
for scn in "$src"/pcaps/*.scn; do
	name=$(basename "$scn" .scn)
	pcap=$src/pcaps/$name.pcap
	if [ ! -f "$pcap" ]; then
		echo "pcaps: $name.scn has no $name.pcap (run pcapgen)" >&2
		fail=1
		continue
	fi
	if ! "$gen" "$scn" "$tmp/$name.pcap"; then
		echo "pcaps: pcapgen failed on $name.scn" >&2
		fail=1
	elif ! cmp -s "$pcap" "$tmp/$name.pcap"; then
		echo "pcaps: $name.pcap is not what $name.scn makes" >&2
		fail=1
	fi
done
for pcap in "$src"/pcaps/*.pcap; do
	name=$(basename "$pcap" .pcap)
	[ -f "$src/pcaps/$name.scn" ] || {
		echo "pcaps: $name.pcap has no scenario" >&2
		fail=1
	}
done
exit $fail
