#!/usr/bin/env python3
"""no_secrets.py: no credential ever leaves plainsight.

    no_secrets.py PLAINSIGHT SRCDIR

Runs plainsight on every capture in pcaps/, in every output format, at
every verbosity, with and without --account-key, writing the report with
-w into an empty directory that is also the working directory, and checks:

- no secret appears in the report, on standard output or on standard
  error: not raw, not in base64, not in hex (either case);
- plainsight wrote no file but the one it was asked to write;
- without --account-key no "account" appears at all.

The secrets are every user name in pcaps/SECRETS, every word of a scenario
that contains the marker "s3cr3t" (every password and token does, see
pcaps/README.md), and every base64 token a scenario's client sends (SASL
responses, which carry user name and password together).  A failure
prints where a secret was found, never the secret itself.
"""
import base64
import glob
import os
import re
import subprocess
import sys
import tempfile

FORMATS = ["text", "json", "csv"]
VERBOSITY = [[], ["-v"], ["-vv"]]
B64_TOKEN = re.compile(r"^[A-Za-z0-9+/]{8,}={0,2}$")
MARKED = re.compile(r'[^\s"\\()]*s3cr3t[^\s"\\()]*')
ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|[rnt\\\"])")


def unescape(text):
    def sub(m):
        e = m.group(1)
        if e[0] == "x":
            return chr(int(e[1:], 16))
        return {"r": "\r", "n": "\n", "t": "\t", "\\": "\\", '"': '"'}[e]
    return ESCAPE.sub(sub, text)


def collect_secrets(src):
    secrets = set()
    with open(os.path.join(src, "pcaps", "SECRETS")) as f:
        secrets.update(l.strip() for l in f if l.strip())
    for scn in glob.glob(os.path.join(src, "pcaps", "*.scn")):
        with open(scn) as f:
            for line in f:
                line = line.rstrip("\n")
                if line.lstrip().startswith("#"):
                    continue
                for word in MARKED.findall(line):
                    secrets.add(word)
                m = re.match(r"\s*C[:~] ?(.*)$", line)
                if not m:
                    continue
                for chunk in unescape(m.group(1)).replace("\r", " ") \
                        .replace("\n", " ").split():
                    # a protocol word (AUTHENTICATE) is in the base64
                    # alphabet too: encoded data has a digit or + / =
                    if B64_TOKEN.match(chunk) and \
                            re.search(r"[0-9+/=]", chunk):
                        secrets.add(chunk)
    return secrets


def variants(secret):
    raw = secret.encode("latin-1")
    return {
        "raw": raw,
        "base64": base64.b64encode(raw).rstrip(b"="),
        "hex": raw.hex().encode(),
        "HEX": raw.hex().upper().encode(),
    }


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    secrets = collect_secrets(src)
    needles = []
    for s in sorted(secrets):
        for kind, v in variants(s).items():
            if len(v) >= 4:
                needles.append((s, kind, v))
    pcaps = sorted(glob.glob(os.path.join(src, "pcaps", "*.pcap")))
    failures = 0
    runs = 0
    with tempfile.TemporaryDirectory() as keydir:
        key = os.path.join(keydir, "key")
        with open(key, "wb") as f:
            f.write(b"no-secrets-test-key")
        for pcap in pcaps:
            for fmt in FORMATS:
                for verb in VERBOSITY:
                    for use_key in (False, True):
                        with tempfile.TemporaryDirectory() as work:
                            out = os.path.join(work, "report")
                            cmd = [binary, "-r", pcap, "--format", fmt,
                                   "-w", out] + verb
                            if use_key:
                                cmd += ["--account-key", key]
                            run = subprocess.run(cmd, cwd=work,
                                                 capture_output=True)
                            runs += 1
                            where = (f"{os.path.basename(pcap)} {fmt} "
                                     f"{' '.join(verb)} "
                                     f"{'key' if use_key else 'no key'}")
                            if run.returncode not in (0, 1):
                                print(f"FAIL {where}: exit status "
                                      f"{run.returncode}")
                                failures += 1
                            files = sorted(os.listdir(work))
                            if files != ["report"]:
                                print(f"FAIL {where}: files written: "
                                      f"{files}")
                                failures += 1
                                continue
                            with open(out, "rb") as f:
                                report = f.read()
                            outputs = {"report": report,
                                       "stdout": run.stdout,
                                       "stderr": run.stderr}
                            for name, data in outputs.items():
                                for secret, kind, v in needles:
                                    if v in data:
                                        idx = sorted(secrets).index(secret)
                                        print(f"FAIL {where}: secret "
                                              f"#{idx} ({kind}) in {name}")
                                        failures += 1
                            if not use_key and b"account" in report:
                                print(f"FAIL {where}: an account without "
                                      f"a key")
                                failures += 1
    print(f"no_secrets: {len(secrets)} secrets ({len(needles)} encodings), "
          f"{len(pcaps)} captures, {runs} runs, {failures} failures")
    return 1 if failures or runs == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
