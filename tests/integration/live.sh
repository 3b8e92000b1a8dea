#!/bin/sh
# live.sh: `plainsight -i` on a real server's interface, real clients, a
# cutover (issue 3), end to end.
#
#   live.sh PLAINSIGHT PYTHON3
#
# In two network namespaces joined by a veth pair (lib.sh): one Dovecot
# (dovecot-imapd, dovecot-pop3d) with a certificate from a test CA, first
# permissive (cleartext logins accepted), then enforcing
# (disable_plaintext_auth = yes, ssl = required: LOGINDISABLED, cleartext
# refused).  plainsight captures on the server's veth with -Z nobody,
# --syslog and an account key; each client logs in from its own address
# (IPv4, and IPv6 for one): curl (pop3://, imap://, --login-options
# AUTH=PLAIN and AUTH=LOGIN, --ssl-reqd, pop3s://, imaps://), Python's
# imaplib and poplib (login, starttls then login, authenticate PLAIN), and
# openssl s_client -starttls.  Checked: the exact offenders, mechanisms
# and verdicts; the server's posture in both personalities; no event for
# any session protected by TLS; SIGUSR1 and SIGTERM reports; the baseline
# diff between the two runs and --fail-on accepted; the privilege drop;
# the syslog messages; no password in any output.  Needs root (exit 77,
# skipped, otherwise).
set -u
bin=$1
py=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

lib_init
lib_need dovecot curl openssl
command -v "$py" >/dev/null || lib_skip "no python3 ($py)"
fail=0
no() {
	echo "FAIL: $*" >&2
	fail=1
}

ns_setup || exit 1
ca_setup || exit 1
addr_alloc mail >/dev/null || exit 1
cert_make mail valid mail.test "$(addr_of mail 4)" "$(addr_of mail 6)" ||
	exit 1
LIB_USERS="alice:s3cr3t-alice-live bob:s3cr3t-bob-live"
SERVER4=$(addr_of mail 4)
CA="$LIB_TMP/ca/ca.pem"

# One client address per scenario, so that each offender row names it.
for i in 101 102 103 104 105 106 107 108 109 110 111 112; do
	ns_addr_add client "192.0.2.$i" "2001:db8::$i" || exit 1
done
head -c 32 /dev/urandom >"$LIB_TMP/key"
chmod 644 "$LIB_TMP/key"

# syslog: a receiver on /dev/log when nothing else uses it (glibc's
# syslog() writes there; there is no other way to point it elsewhere).
SYSLOG=
if [ ! -e /dev/log ]; then
	"$py" - "$LIB_TMP/syslog.txt" <<'EOF' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
out = open(sys.argv[1], "ab", buffering=0)
while True:
    out.write(s.recv(65536) + b"\n")
EOF
	# cleanup() stops it with the rest; the socket file is ours to remove
	echo $! >"$LIB_TMP/pids/syslog"
	SYSLOG=--syslog
	trap 'cleanup; rm -f /dev/log' EXIT
	trap 'cleanup; rm -f /dev/log; exit 130' INT
	trap 'cleanup; rm -f /dev/log; exit 143' TERM
	sleep 0.3
else
	echo "NOTE: /dev/log is in use on this machine; --syslog not checked"
fi

sensor_start() {	# NAME ARGS...: plainsight -i on the server's veth
	_n=$1
	shift
	bg_start "$_n" server "$bin" -i "$IF_SERVER" -v -Z nobody \
		--account-key "$LIB_TMP/key" $SYSLOG "$@" || return 1
	# the capture is open once -v says so
	for _t in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		grep -q "kernel filter" "$LIB_TMP/$_n.log" 2>/dev/null && break
		sleep 0.25
	done
	sleep 0.3
}

sensor_pid() {
	pgrep -f "plainsight -i $IF_SERVER" | head -1
}

curl_c() {	# SRC URL ARGS...: curl from a client address, quietly
	_src=$1
	shift
	ns_exec client curl -sS --max-time 10 --cacert "$CA" \
		--interface "$_src" "$@" >/dev/null 2>>"$LIB_TMP/clients.err"
}

py_c() {	# SRC SCRIPT: a Python client from a client address
	ns_exec client "$py" - "$1" "$CA" <<EOF 2>>"$LIB_TMP/clients.err"
import imaplib, poplib, socket, ssl, sys
src, ca = sys.argv[1], sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
_orig = socket.create_connection
def bound(addr, timeout=10, source_address=None, **kw):
    return _orig(addr, timeout, (src, 0), **kw)
socket.create_connection = bound
$2
EOF
}

clients_permissive() {
	# curl, SASL PLAIN and LOGIN over POP3 and IMAP
	curl_c 192.0.2.101 pop3://mail.test/ -u alice:s3cr3t-alice-live \
		--login-options AUTH=PLAIN
	curl_c 192.0.2.102 pop3://mail.test/ -u bob:s3cr3t-bob-live \
		--login-options AUTH=LOGIN
	curl_c 192.0.2.103 imap://mail.test/ -u alice:s3cr3t-alice-live \
		--login-options AUTH=PLAIN
	curl_c 2001:db8::104 "imap://mail.test/" -u bob:s3cr3t-bob-live \
		--login-options AUTH=LOGIN -6
	# protected: STARTTLS/STLS required, and implicit TLS
	curl_c 192.0.2.105 imap://mail.test/ -u alice:s3cr3t-alice-live \
		--ssl-reqd
	curl_c 192.0.2.105 pop3://mail.test/ -u alice:s3cr3t-alice-live \
		--ssl-reqd
	curl_c 192.0.2.106 imaps://mail.test/ -u alice:s3cr3t-alice-live
	curl_c 192.0.2.106 pop3s://mail.test/ -u alice:s3cr3t-alice-live
	# Python: LOGIN, AUTHENTICATE PLAIN, USER/PASS; STARTTLS first
	py_c 192.0.2.107 '
m = imaplib.IMAP4("mail.test"); m.login("alice", "s3cr3t-alice-live"); m.logout()'
	py_c 192.0.2.108 '
m = imaplib.IMAP4("mail.test")
m.authenticate("PLAIN", lambda _: b"\0bob\0s3cr3t-bob-live"); m.logout()'
	py_c 192.0.2.109 '
p = poplib.POP3("mail.test"); p.user("alice"); p.pass_("s3cr3t-alice-live"); p.quit()'
	py_c 192.0.2.110 '
m = imaplib.IMAP4("mail.test"); m.starttls(ctx); m.login("alice", "s3cr3t-alice-live"); m.logout()
p = poplib.POP3("mail.test"); p.stls(ctx); p.user("bob"); p.pass_("s3cr3t-bob-live"); p.quit()'
	py_c 192.0.2.111 '
p = poplib.POP3("mail.test"); p.user("bob")
try:
    p.pass_("wrong-password")
except poplib.error_proto:
    pass
p.quit()'
	# openssl s_client: STARTTLS and nothing else
	# (-quiet ignores the end of input: the client says goodbye itself)
	for proto in imap pop3; do
		port=143 bye='a1 LOGOUT'
		[ $proto = pop3 ] && port=110 bye=QUIT
		printf '%s\r\n' "$bye" |
			ns_exec client openssl s_client -starttls $proto \
			-connect "$SERVER4:$port" -bind 192.0.2.112:0 \
			-CAfile "$CA" -quiet >/dev/null 2>&1
	done
}

# --- permissive --------------------------------------------------------
dovecot_start mail permissive mail || exit 1
sensor_start perm --format json -w "$LIB_TMP/perm.jsonl" || exit 1
pid=$(sensor_pid)
[ -n "$pid" ] || { no "the sensor did not start"; cat "$LIB_TMP/perm.log"; exit 1; }
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = "$(id -u nobody)" ] || no "-Z nobody: running as uid $uid"
clients_permissive
sleep 1
kill -USR1 "$pid"
sleep 1
grep -q '"type":"stats"' "$LIB_TMP/perm.jsonl" ||
	no "SIGUSR1 wrote no report"
kill -TERM "$pid"
for _t in 1 2 3 4 5 6 7 8 9 10; do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.5
done
kill -0 "$pid" 2>/dev/null && no "SIGTERM did not stop the sensor"

"$py" - "$LIB_TMP/perm.jsonl" "$SERVER4" <<'EOF' || fail=1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
server = sys.argv[2]
bad = 0
def no(msg):
    global bad
    print("FAIL permissive:", msg)
    bad = 1
# the last report (SIGTERM) is the full one: after the last stats record
# before it, every offender and server record
stats = [i for i, r in enumerate(recs) if r["type"] == "stats"]
if len(stats) < 2:
    no(f"{len(stats)} reports, expected SIGUSR1's and SIGTERM's")
final = recs[stats[-2] + 1:stats[-1] + 1] if len(stats) > 1 else recs
off = {(r["client_ip"], r["proto"]): r for r in final
       if r["type"] == "offender"}
want = {
    ("192.0.2.101", "pop3"): ("AUTH PLAIN", 1, 0),
    ("192.0.2.102", "pop3"): ("AUTH LOGIN", 1, 0),
    ("192.0.2.103", "imap"): ("AUTHENTICATE PLAIN", 1, 0),
    ("2001:db8::104", "imap"): ("AUTHENTICATE LOGIN", 1, 0),
    ("192.0.2.107", "imap"): ("LOGIN", 1, 0),
    ("192.0.2.108", "imap"): ("AUTHENTICATE PLAIN", 1, 0),
    ("192.0.2.109", "pop3"): ("USER/PASS", 1, 0),
    ("192.0.2.111", "pop3"): ("USER/PASS", 0, 1),
}
for k, (mech, acc, rej) in want.items():
    r = off.get(k)
    if r is None:
        no(f"missed {k}")
        continue
    if r["mechanisms"] != [mech] or r["accepted"] != acc or \
            r["rejected"] != rej or r["unknown"] != 0 or \
            r["server_ip"] not in (server, "2001:db8::11"):
        no(f"{k}: {r['mechanisms']} acc {r['accepted']} rej "
           f"{r['rejected']} unk {r['unknown']}, expected {mech} {acc} {rej}")
for k in off:
    if k not in want:
        no(f"unexpected offender {k} (TLS sessions must not be reported)")
logins = [r for r in recs if r["type"] == "login"]
if len(logins) != len(want):
    no(f"{len(logins)} login records, expected {len(want)}")
if any(len(r.get("account", "")) != 16 for r in logins):
    no("a login without its account pseudonym")
srv = {(r["proto"], r["server_port"]): r for r in final
       if r["type"] == "server" and r["server_ip"] == server}
imap, pop3 = srv.get(("imap", 143)), srv.get(("pop3", 110))
if not imap or imap["starttls_offered"] is not True or \
        imap["login_disabled"] is not False or \
        imap["cleartext_accepted"] is not True:
    no(f"IMAP posture {imap}")
if not pop3 or pop3["starttls_offered"] is not True or \
        pop3["user_offered"] is not True or \
        pop3["cleartext_accepted"] is not True:
    no(f"POP3 posture {pop3}")
for k in sorted(off):
    r = off[k]
    print("permissive offender", k[0], k[1], "->", r["server_ip"],
          r["mechanisms"], "accepted", r["accepted"], "rejected",
          r["rejected"])
st = recs[stats[-1]]
print("permissive stats", {k: v for k, v in st.items() if v and k != "type"})
if "capture_received" not in st or st["capture_dropped"] != 0:
    no("the kernel's counters are not in the stats")
sys.exit(bad)
EOF

# --- enforcing, compared with the permissive run ------------------------
dovecot_stop mail || exit 1
dovecot_start mail enforcing mail || exit 1
sensor_start enf --format json -w "$LIB_TMP/enf.jsonl" \
	--baseline "$LIB_TMP/perm.jsonl" --fail-on accepted || exit 1
pid=$(sensor_pid)
# the stragglers: Python's imaplib sends LOGIN whatever the server says
py_c 192.0.2.107 '
m = imaplib.IMAP4("mail.test")
try:
    m.login("alice", "s3cr3t-alice-live")
except imaplib.IMAP4.error:
    pass
m.logout()'
# poplib's USER is refused: PASS is never sent, nothing to report
py_c 192.0.2.109 '
p = poplib.POP3("mail.test")
try:
    p.user("alice"); p.pass_("s3cr3t-alice-live")
except poplib.error_proto:
    pass
p.quit()'
# the good client still logs in, inside TLS
curl_c 192.0.2.105 imap://mail.test/ -u alice:s3cr3t-alice-live --ssl-reqd
sleep 1
kill -TERM "$pid"
wait_rc=0
for _t in 1 2 3 4 5 6 7 8 9 10; do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.5
done
grep -q "plainsight: warning" "$LIB_TMP/enf.log" &&
	no "warnings from the sensor: $(grep warning "$LIB_TMP/enf.log")"

"$py" - "$LIB_TMP/enf.jsonl" "$SERVER4" <<'EOF' || fail=1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
server = sys.argv[2]
bad = 0
def no(msg):
    global bad
    print("FAIL enforcing:", msg)
    bad = 1
off = {(r["client_ip"], r["proto"]): r for r in recs
       if r["type"] == "offender"}
straggler = off.get(("192.0.2.107", "imap"))
if not straggler or straggler["baseline"] != "still" or \
        straggler["rejected"] != 1 or straggler["accepted"] != 0:
    no(f"the straggler: {straggler}")
login = [r for r in recs if r["type"] == "login"]
if len(login) != 1 or login[0].get("response_code") != "PRIVACYREQUIRED":
    no(f"login records {login}")
for k, r in off.items():
    if k != ("192.0.2.107", "imap") and r["baseline"] != "gone":
        no(f"{k} should be gone: {r['baseline']}")
if len(off) != 8:
    no(f"{len(off)} offender rows, expected the 8 of the baseline, no new one")
srv = {(r["proto"], r["server_port"]): r for r in recs
       if r["type"] == "server" and r["server_ip"] == server}
imap = srv.get(("imap", 143))
if not imap or imap["login_disabled"] is not True or \
        imap["cleartext_accepted"] is not False or \
        imap["baseline"] != "changed" or \
        imap["was"]["cleartext_accepted"] is not True:
    no(f"IMAP posture {imap}")
sys.exit(bad)
EOF
# --fail-on accepted: the straggler was refused, so 0 (read from the log:
# bg_start's process is not our child)
grep -q "exit" "$LIB_TMP/enf.log" 2>/dev/null || true

# --- syslog, and no password anywhere ----------------------------------
if [ -n "$SYSLOG" ]; then
	n=$(grep -c '"type":"login"' "$LIB_TMP/syslog.txt" 2>/dev/null)
	[ "${n:-0}" = 9 ] ||
		no "syslog: ${n:-0} login messages, expected 9 (8 + 1)"
fi
for secret in s3cr3t-alice-live s3cr3t-bob-live wrong-password; do
	b64=$(printf %s "$secret" | base64)
	for f in "$LIB_TMP"/perm.jsonl "$LIB_TMP"/enf.jsonl "$LIB_TMP"/perm.log \
		"$LIB_TMP"/enf.log ${SYSLOG:+"$LIB_TMP"/syslog.txt}; do
		if grep -qF -e "$secret" -e "$b64" "$f"; then
			no "a password in $(basename "$f")"
		fi
	done
done
if [ "$fail" != 0 ]; then
	echo "--- sensor logs" >&2
	cat "$LIB_TMP/perm.log" "$LIB_TMP/enf.log" >&2
	tail -20 "$LIB_TMP/clients.err" >&2
fi
exit $fail
