#!/bin/sh
# verify.sh: check captures made by pcapgen with the Wireshark tools.
#
#   tools/pcapgen/verify.sh FILE.pcap...
#
# For each file: fails if tshark finds a bad IPv4 or TCP checksum or
# tcpdump cannot read the file, then prints capinfos' summary and the
# TCP analysis flags tshark raises (these should be exactly what the
# scenario asked for: drops, reordering, retransmissions, duplicates).
# Needs tshark, tcpdump and capinfos.  A file made with truncate-file is
# expected to make the tools complain that it was cut short.
set -u
status=0
for f in "$@"; do
	echo "== $f"
	bad=$(tshark -n -r "$f" -o tcp.check_checksum:TRUE \
	    -o ip.check_checksum:TRUE \
	    -Y 'tcp.checksum.status==Bad || ip.checksum.status==Bad' 2>/dev/null)
	if [ -n "$bad" ]; then
		echo "bad checksums:"
		echo "$bad"
		status=1
	fi
	if ! err=$(tcpdump -nn -r "$f" 2>&1 >/dev/null); then
		case "$err" in
		*"truncated dump file"*) echo "tcpdump: file cut short" ;;
		*) echo "tcpdump cannot read it: $err"; status=1 ;;
		esac
	fi
	capinfos "$f" 2>&1 | grep -E 'File type|encapsulation|precision|Number of packets|First packet|cut short'
	tshark -n -r "$f" -Y tcp.analysis.flags \
	    -T fields -e frame.number -e tcp.stream -e _ws.expert.message 2>/dev/null
done
exit $status
