#!/usr/bin/env python3
"""third_party.py: plainsight against real captures made by other projects.

    third_party.py PLAINSIGHT THIRD_PARTY_DIR

Reads ../shared/pcaps/third-party/ where it lies (never copied into the
project) and checks plainsight's JSON output against the ground truth that
was made there by hand (MANIFEST.md):

- expected.tsv: every (file, client, server, port) group with a cleartext
  login is reported, with the same protocol, mechanisms and verdict;
- sessions.tsv: per TCP session, a login is reported exactly when the
  session has one, with the session's verdict;
- clean.tsv and everything else: no login at all (no false positive);
- the exit status says whether anything was found (1) or not (0).

Ports: plainsight is told the POP3/IMAP ports the ground truth names for
each file (besides 110 and 143), as a user would be: for example
suricata-verify's sslproxy capture carries POP3 on port 8080, and 993/995
(implicit TLS) must then yield no login either.

One documented difference: in a capture holding only the server's side
(suricata-verify tcp-async-01) the client's command is not in the capture;
plainsight reports the login it infers from the server's answers with
mechanism "inferred", which stands for the ground truth's mechanism.

Exit status: 0 pass, 1 fail, 77 skipped (the folder does not exist; ctest
reports it as skipped, never as passed).
"""
import csv
import json
import os
import subprocess
import sys

SKIP = 77
# the captures of the server's side only, where "inferred" stands for the
# ground truth's mechanism (see above)
SERVER_SIDE_ONLY = {"suricata-verify/tests/tcp-async-01/input.pcap"}


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def verdict_of(verdicts):
    if "accepted" in verdicts:
        return "accepted"
    if verdicts and all(v == "rejected" for v in verdicts):
        return "rejected"
    return "unknown"


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, base = sys.argv[1], sys.argv[2]
    if not os.path.isdir(base):
        print(f"third_party: {base} does not exist: skipped")
        return SKIP
    expected = read_tsv(os.path.join(base, "expected.tsv"))
    clean = read_tsv(os.path.join(base, "clean.tsv"))
    sessions = read_tsv(os.path.join(base, "sessions.tsv"))
    files = []
    with open(os.path.join(base, "SHA256SUMS")) as f:
        for line in f:
            if line.strip():
                files.append(line.split()[1].lstrip("*"))

    failures = []
    checked = 0
    for name in files:
        ports = {"pop3": {110}, "imap": {143}}
        for row in expected + clean + sessions:
            if row["file"] == name and row["proto"] in ports:
                ports[row["proto"]].add(int(row["server_port"]))
        cmd = [binary, "-r", os.path.join(base, name), "--format", "json",
               "--pop3-ports", ",".join(map(str, sorted(ports["pop3"]))),
               "--imap-ports", ",".join(map(str, sorted(ports["imap"])))]
        run = subprocess.run(cmd, capture_output=True, text=True)
        logins = [json.loads(l) for l in run.stdout.splitlines()
                  if l.startswith('{"type":"login"')]
        groups = {}
        by_session = {}
        for l in logins:
            key = (l["client_ip"], l["server_ip"], l["server_port"])
            g = groups.setdefault(key, {"proto": set(), "mech": set(),
                                        "verdicts": []})
            g["proto"].add(l["proto"])
            g["mech"].add(l["mechanism"])
            g["verdicts"].append(l["verdict"])
            skey = key + (l["client_port"],)
            by_session.setdefault(skey, []).append(l)

        want = [r for r in expected if r["file"] == name]
        want_status = 1 if want else 0
        if run.returncode != want_status:
            failures.append(f"{name}: exit status {run.returncode}, "
                            f"expected {want_status}: {run.stderr.strip()}")
        seen = set()
        for r in want:
            key = (r["client_ip"], r["server_ip"], int(r["server_port"]))
            seen.add(key)
            g = groups.get(key)
            checked += 1
            if g is None:
                failures.append(f"{name}: missed {r['proto']} "
                                f"{key[0]} -> {key[1]}:{key[2]}")
                continue
            mechs = {m.strip() for m in r["mechanisms"].split(",")}
            if g["proto"] != {r["proto"]}:
                failures.append(f"{name}: {key}: proto {g['proto']}")
            if g["mech"] != mechs and not (name in SERVER_SIDE_ONLY and
                                           g["mech"] == {"inferred"}):
                failures.append(f"{name}: {key}: mechanisms {g['mech']}, "
                                f"expected {mechs}")
            v = verdict_of(g["verdicts"])
            if v != r["server_verdict"]:
                failures.append(f"{name}: {key}: verdict {v}, expected "
                                f"{r['server_verdict']}")
        for key in groups:
            if key not in seen:
                failures.append(f"{name}: false positive {key}")
        for r in clean:
            if r["file"] != name:
                continue
            checked += 1
            key = (r["client_ip"], r["server_ip"], int(r["server_port"]))
            if key in groups:
                failures.append(f"{name}: clean group {key} reported")
        for s in sessions:
            if s["file"] != name:
                continue
            checked += 1
            skey = (s["client_ip"], s["server_ip"], int(s["server_port"]),
                    int(s["client_port"]))
            got = by_session.get(skey, [])
            if s["cleartext_login"] == "yes":
                if not got:
                    failures.append(f"{name}: session {s['tcp_stream']} "
                                    f"missed")
                    continue
                v = verdict_of([l["verdict"] for l in got])
                if v != s["server_verdict"]:
                    failures.append(f"{name}: session {s['tcp_stream']}: "
                                    f"verdict {v}, expected "
                                    f"{s['server_verdict']}")
            elif got:
                failures.append(f"{name}: session {s['tcp_stream']} has "
                                f"no login but {len(got)} reported")
    for f in failures:
        print("FAIL", f)
    print(f"third_party: {len(files)} captures, {checked} groups and "
          f"sessions checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
