#!/usr/bin/env python3
"""flood.py: memory stays bounded under a flood, and real logins are found.

    flood.py PLAINSIGHT FLOODGEN [SCALE]

floodgen writes a capture with SCALE spoofed one-packet flows to port 143,
SCALE out-of-order segments that never fill their holes (10000 mid-stream
connections), 100 connections sending endless lines without CRLF, and 1000
real cleartext logins spread through it.  plainsight reads it twice: with
the default caps, and with small ones.  Each time the peak resident memory
(getrusage of the child) must stay under what the caps allow (flows x
flow size + buffer budget + a fixed allowance for code, libpcap and the
report), every real login must be reported accepted, and the caps must be
seen to work (counted in the stats).
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

FLOW_BYTES = 256            # sizeof(struct flow), see docs/usage.md
FIXED_MIB = 40              # code, libc, libpcap buffers, report rows


def run(binary, pcap, args):
    proc = subprocess.run([binary, "-r", pcap, "--format", "json"] + args,
                          capture_output=True, text=True)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc, peak_kib


def main():
    binary, gen = sys.argv[1], sys.argv[2]
    scale = sys.argv[3] if len(sys.argv) > 3 else "1000000"
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "flood.pcap")
        g = subprocess.run([gen, pcap, scale], capture_output=True,
                           text=True, check=True)
        want = int(g.stdout.strip())
        size_mib = os.path.getsize(pcap) / 2**20
        print(f"flood: {size_mib:.0f} MiB capture, scale {scale}, "
              f"{want} real logins")
        # Small caps first: getrusage reports the largest child so far.
        for flows, buf_mib in ((20000, 8), (262144, 64)):
            args = ["--max-flows", str(flows), "--max-buffer",
                    f"{buf_mib}M"]
            proc, peak_kib = run(binary, pcap, args)
            cap_mib = flows * FLOW_BYTES / 2**20 + buf_mib + FIXED_MIB
            recs = [json.loads(l) for l in proc.stdout.splitlines()]
            logins = [r for r in recs if r["type"] == "login"]
            stats = [r for r in recs if r["type"] == "stats"][0]
            found = {r["client_ip"] for r in logins
                     if r["mechanism"] == "LOGIN"
                     and r["verdict"] == "accepted"
                     and r["client_ip"].startswith("198.18.")}
            caps = {k: v for k, v in stats.items()
                    if k.startswith("cap_") and v}
            print(f"flood: --max-flows {flows} --max-buffer {buf_mib}M: "
                  f"peak {peak_kib / 1024:.1f} MiB (bound {cap_mib:.0f} "
                  f"MiB), {len(found)}/{want} logins found, "
                  f"{stats['packets']} packets, caps {caps}")
            if proc.returncode != 1:
                print(f"FAIL exit status {proc.returncode}: "
                      f"{proc.stderr.strip()}")
                failures += 1
            if peak_kib / 1024 > cap_mib:
                print("FAIL peak memory above the bound")
                failures += 1
            if len(found) != want:
                print(f"FAIL {want - len(found)} real logins missed")
                failures += 1
            # every cap on the way must be seen working: the flow table,
            # and either the line limit or, with a small budget, the
            # eviction that frees it first
            if not caps.get("cap_flows_evicted") or \
                    not (caps.get("cap_line") or
                         caps.get("cap_buffer_evicted")):
                print("FAIL the caps were not exercised")
                failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
