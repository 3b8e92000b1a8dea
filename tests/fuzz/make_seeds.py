#!/usr/bin/env python3
"""make_seeds.py: seed corpora for the fuzz targets, from the project's own
scenarios and captures.

    tests/fuzz/make_seeds.py        (from the repository root)

Rewrites tests/fuzz/corpus/<target>/seed-* deterministically:
- pop3, imap: every connection of every pcaps/*.scn as a two-sided
  transcript in fuzz_session.c's format (chunks of at most 127 bytes);
- sasl: every AUTH/AUTHENTICATE exchange of the scenarios (mechanism, then
  the client's responses one a line);
- decode: frames of the classic-pcap captures, with their link type;
- pcap: the captures themselves (the small ones);
- reasm: hand-made segment sequences (in order, holes, overlaps, wrap).
Files found by fuzzing (crashes fixed, new coverage worth keeping) are
added next to the seeds without the seed- prefix and are kept.
"""
import glob
import os
import re
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|[rnt\\\"])")
SASL = ["PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER", "CRAM-MD5", "DIGEST-MD5",
        "NTLM", "SCRAM-SHA-1", "SCRAM-SHA-256", "GSSAPI", "EXTERNAL",
        "ANONYMOUS", "other"]
DLTS = {1: 0, 113: 1, 276: 2, 101: 3, 228: 4, 229: 5, 0: 6, 108: 7}


def unescape(text):
    def sub(m):
        e = m.group(1)
        if e[0] == "x":
            return bytes([int(e[1:], 16)])
        return {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\",
                '"': b'"'}[e]
    out, pos = b"", 0
    for m in ESCAPE.finditer(text):
        out += text[pos:m.start()].encode("latin-1") + sub(m)
        pos = m.end()
    return out + text[pos:].encode("latin-1")


def scenario_connections(path):
    """{name: (server_port, [(is_server, bytes)])} in dialogue order."""
    conns, cur = {}, None
    for line in open(path, encoding="latin-1"):
        line = line.rstrip("\n")
        m = re.match(r"\s*conn (\S+) client \S+ server \S*:(\d+)", line)
        if m:
            cur = m.group(1)
            conns[cur] = (int(m.group(2)), [])
            continue
        m = re.match(r"\s*use (\S+)", line)
        if m:
            cur = m.group(1)
            continue
        m = re.match(r"\s*([CS])([:~]) ?(.*)$", line)
        if m and cur is not None:
            data = unescape(m.group(3))
            if m.group(2) == ":":
                data += b"\r\n"
            conns[cur][1].append((m.group(1) == "S", data))
    return conns


def transcript(steps):
    out = bytearray([0])
    for is_server, data in steps:
        for i in range(0, len(data), 127):
            chunk = data[i:i + 127]
            out.append((0x80 if is_server else 0) | len(chunk))
            out += chunk
    return bytes(out)


def sasl_seeds(steps):
    seeds = []
    clients = [d for s, d in steps if not s]
    for i, line in enumerate(clients):
        m = re.match(rb"(?:\S+ AUTHENTICATE|AUTH) (\S+)(?: (\S+))?", line)
        if not m:
            continue
        name = m.group(1).decode("latin-1").upper()
        mech = SASL.index(name) if name in SASL else len(SASL) - 1
        responses = [m.group(2)] if m.group(2) else []
        for nxt in clients[i + 1:i + 4]:
            responses.append(nxt.strip())
        seeds.append(bytes([mech | 0x80]) + b"\n".join(responses))
    return seeds


def pcap_frames(path):
    data = open(path, "rb").read()
    if len(data) < 24 or data[:4] not in (b"\xd4\xc3\xb2\xa1",
                                          b"\xa1\xb2\xc3\xd4"):
        return []
    e = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    linktype = struct.unpack_from(e + "I", data, 20)[0]
    if linktype not in DLTS:
        return []
    frames, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from(e + "I", data, off + 8)[0]
        frame = data[off + 16:off + 16 + caplen]
        frames.append(bytes([DLTS[linktype]]) + frame)
        off += 16 + caplen
    return frames


def reasm_seeds():
    def rec(op, delta, payload):
        return bytes([op]) + struct.pack(">h", delta) + \
            bytes([len(payload)]) + payload
    return [
        rec(0, 0, b"a1 LOGIN x y\r\n") + rec(0, 0, b"a2 NOOP\r\n"),
        rec(0, 8, b"IN x y\r\n") + rec(0, 0, b"a1 LOG") + rec(3, 0, b""),
        rec(0, 4, b"efgh") + rec(0, 0, b"abcdXXXX") + rec(0, -4, b"abcd"),
        rec(0, 10, b"late") + rec(2, 20, b"") + rec(0, 0, b"early"),
        rec(0x80, 0, b"cut by the snaplen") + rec(0, 5, b"after"),
        rec(0, 300, b"far") + rec(0, -200, b"back") + rec(3, 0, b""),
    ]


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    for target in ("pop3", "imap", "sasl", "decode", "pcap", "reasm"):
        d = os.path.join(CORPUS, target)
        for old in glob.glob(os.path.join(d, "seed-*")):
            os.remove(old)
    n = {}
    for scn in sorted(glob.glob(os.path.join(ROOT, "pcaps", "*.scn"))):
        base = os.path.basename(scn)[:-4]
        for name, (port, steps) in scenario_connections(scn).items():
            target = "pop3" if port in (110, 995, 8080) or \
                any(d.startswith(b"+OK") for s, d in steps if s) else "imap"
            write(target, f"seed-{base}-{name}", transcript(steps))
            n[target] = n.get(target, 0) + 1
            for i, seed in enumerate(sasl_seeds(steps)):
                write("sasl", f"seed-{base}-{name}-{i}", seed)
                n["sasl"] = n.get("sasl", 0) + 1
    for pcap in sorted(glob.glob(os.path.join(ROOT, "pcaps", "*.pcap"))):
        base = os.path.basename(pcap)[:-5]
        for i, frame in enumerate(pcap_frames(pcap)[:12]):
            write("decode", f"seed-{base}-{i}", frame)
            n["decode"] = n.get("decode", 0) + 1
        if os.path.getsize(pcap) <= 8192:
            write("pcap", f"seed-{base}", open(pcap, "rb").read())
            n["pcap"] = n.get("pcap", 0) + 1
    for i, seed in enumerate(reasm_seeds()):
        write("reasm", f"seed-{i}", seed)
        n["reasm"] = n.get("reasm", 0) + 1
    print(" ".join(f"{t}={c}" for t, c in sorted(n.items())))


if __name__ == "__main__":
    main()
