#!/bin/sh
# probe.sh: `plainsight probe` against real servers, each check seen to
# pass and to fail (docs/probe.md, "How it is tested").
#
#   probe.sh PLAINSIGHT PYTHON3
#
# In two network namespaces joined by a veth pair (lib.sh): Dovecot
# permissive and enforcing, with certificates from a test CA, a
# self-signed one and an expired one; tests/integration/flawserver.py for
# what Dovecot will not do (the STARTTLS injection flaws, broken STARTTLS,
# weak TLS, hostile servers).  The probe runs in the client namespace and
# its JSON Lines are checked record by record; the servers' logs show
# that no password but the fixed fake one was ever sent.  Needs root
# (exit 77, skipped, otherwise).
set -u
bin=$1
py=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

lib_init
lib_need dovecot
[ -x "$py" ] || command -v "$py" >/dev/null || lib_skip "no python3 ($py)"
started=$(date +%s)
fail=0
ns_setup || exit 1
ca_setup || exit 1
CA="--ca-file $LIB_TMP/ca/ca.pem"
FAKE_PW=plainsight-probe-not-a-password

# --- the servers ----------------------------------------------------------
for s in perm enf self old; do
	addr_alloc "$s" >/dev/null || exit 1
done
cert_make perm valid perm.test "$(addr_of perm 4)" "$(addr_of perm 6)" &&
	cert_make enf valid enf.test "$(addr_of enf 4)" "$(addr_of enf 6)" &&
	cert_make self selfsigned self.test &&
	cert_make old expired old.test || exit 1
dovecot_start perm permissive perm || exit 1
dovecot_start enf enforcing enf || exit 1
dovecot_start self enforcing self || exit 1
dovecot_start old enforcing old || exit 1
# other.test is perm's address under a name its certificate does not have.
host_alias other.test "$(addr_of perm 4)"

# flawserver.py: one port per mode and protocol on flaw.test; weak TLS on
# weak.test:993; a certificate about to expire on soon.test:993 (and
# nothing else there); empty.test has an address and no server at all.
for s in flaw weak soon empty; do
	addr_alloc "$s" >/dev/null || exit 1
done
cert_make flaw valid flaw.test &&
	cert_make weak weak weak.test &&
	cert_make soon expiring soon.test || exit 1
flaw4=$(addr_of flaw 4)
port=2000
modes="good dribble inject-tls inject-clear stray-bytes refuse-starttls
no-starttls nologin-after-tls cram-only exchange silent trickle long-line
flood starttls-hang"
serve=
for m in $modes; do
	for p in imap pop3; do
		port=$((port + 1))
		serve="$serve --serve $port:$p:$m"
		eval "port_${p}_$(echo "$m" | tr - _)=$port"
	done
done
# shellcheck disable=SC2086 # $serve is many arguments on purpose
bg_start flaw server "$py" "$here/flawserver.py" --listen "$flaw4" \
	--cert "$LIB_TMP/certs/flaw.pem" --key "$LIB_TMP/certs/flaw.key" $serve
bg_start weak server "$py" "$here/flawserver.py" --implicit --weak \
	--listen "$(addr_of weak 4)" --serve 993:imap:good \
	--cert "$LIB_TMP/certs/weak.pem" --key "$LIB_TMP/certs/weak.key"
bg_start soon server "$py" "$here/flawserver.py" --implicit \
	--listen "$(addr_of soon 4)" --serve 993:imap:good \
	--cert "$LIB_TMP/certs/soon.pem" --key "$LIB_TMP/certs/soon.key"
wait_listen server "$flaw4" 2001 &&
	wait_listen server "$(addr_of weak 4)" 993 &&
	wait_listen server "$(addr_of soon 4)" 993 || exit 1
echo "probe.sh: servers up after $(($(date +%s) - started)) s"

# --- helpers --------------------------------------------------------------
# run NAME ARG...: the probe in the client namespace, JSON Lines into
# $LIB_TMP/NAME.json, its exit status into $LIB_TMP/NAME.status.
run() {
	_name=$1
	shift
	ns_exec client "$bin" probe --format json "$@" \
		>"$LIB_TMP/$_name.json" 2>"$LIB_TMP/$_name.err"
	echo $? >"$LIB_TMP/$_name.status"
}

bad() {
	echo "FAIL $*" >&2
	fail=1
}

# expect NAME PORT CHECK RESULT [TEXT]: run NAME has a record for PORT and
# CHECK with RESULT (and TEXT somewhere in it).
expect() {
	_rec=$(grep -F "\"port\":$2," "$LIB_TMP/$1.json" |
		grep -F "\"check\":\"$3\",\"result\":\"$4\"")
	if [ -z "$_rec" ]; then
		bad "$1: no $3 $4 on port $2; got:"
		grep -F "\"port\":$2," "$LIB_TMP/$1.json" |
			grep -F "\"check\":\"$3\"" >&2
		return
	fi
	if [ $# -ge 5 ] && ! echo "$_rec" | grep -qF -- "$5"; then
		bad "$1: $3 on port $2 lacks '$5': $_rec"
	fi
}

# expect_status NAME STATUS
expect_status() {
	_got=$(cat "$LIB_TMP/$1.status")
	[ "$_got" = "$2" ] || {
		bad "$1: exit status $_got, expected $2"
		cat "$LIB_TMP/$1.err" >&2
	}
}

# expect_none NAME RESULT: no record of NAME has RESULT.
expect_none() {
	if grep -qF "\"result\":\"$2\"" "$LIB_TMP/$1.json"; then
		bad "$1: unexpected $2:"
		grep -F "\"result\":\"$2\"" "$LIB_TMP/$1.json" >&2
	fi
}

# --- Dovecot, permissive: the server a cutover starts from -----------------
run perm $CA --try-cleartext perm.test
expect_status perm 1
expect perm 110 starttls_offered pass
expect perm 110 user_before_tls fail
expect perm 110 auth_before_tls fail '"mechanisms":["LOGIN","PLAIN"]'
expect perm 110 cleartext_login fail '"value":"bad_password"'
expect perm 143 login_disabled fail
expect perm 143 auth_before_tls fail
expect perm 143 cleartext_login fail '"response_code":"AUTHENTICATIONFAILED"'
for p in 110 143; do
	expect perm $p starttls pass
	expect perm $p starttls_injection pass
done
for p in 110 143 993 995; do
	expect perm $p tls_version pass '"value":"TLSv1.3"'
	expect perm $p tls_cipher pass
	expect perm $p cert_chain pass
	expect perm $p cert_name pass
	expect perm $p cert_expiry pass '"days_left":'
	expect perm $p cert_self_signed pass
	expect perm $p cert_key pass '"value":"RSA 2048"'
	expect perm $p login_after_tls pass
done
expect perm 993 tls_handshake pass
expect perm 995 tls_handshake pass

# --- Dovecot, enforcing: the server a cutover ends with; every check passes
run enf $CA --try-cleartext enf.test
expect_status enf 0
expect_none enf fail
expect_none enf warn
expect_none enf skip
expect enf 110 user_before_tls pass
expect enf 110 auth_before_tls pass '"mechanisms":[]'
expect enf 110 cleartext_login pass '"value":"tls_required"'
expect enf 143 login_disabled pass
expect enf 143 cleartext_login pass '"response_code":"PRIVACYREQUIRED"'
expect enf 143 login_after_tls pass 'AUTH=PLAIN'
expect enf 110 starttls_injection pass
# By address: IPv4 and IPv6 literals, matched against the IP names.
run enf4 $CA --imap "$(addr_of enf 4)"
expect_status enf4 0
expect enf4 143 cert_name pass
expect enf4 993 cert_name pass "\"ip\":\"$(addr_of enf 4)\""
run enf6 $CA "[$(addr_of enf 6)]:110"
expect_status enf6 0
expect enf6 110 cert_name pass "\"ip\":\"$(addr_of enf 6)\""
# Without --ca-file the test CA is unknown: the chain fails, nothing else.
run nocafile enf.test:143
expect_status nocafile 1
expect nocafile 143 cert_chain fail 'unable to get local issuer'
expect nocafile 143 cert_name pass
# A node by its address, the certificate checked for the service's name.
run lb $CA --servername enf.test "$(addr_of enf 4):143"
expect_status lb 0
expect lb 143 cert_name pass 'matches enf.test'
run lbwrong $CA --servername other.test enf.test:995
expect_status lbwrong 1
expect lbwrong 995 cert_name fail 'does not match other.test'
# A name the certificate does not have.
run othername $CA other.test:993
expect_status othername 1
expect othername 993 cert_name fail 'perm.test'
# TLS asked for on a port that speaks in clear.
run nottls $CA imaps://enf.test:143
expect_status nottls 1
expect nottls 143 tls_handshake fail 'in clear'
# A self-signed certificate, an expired one.
run self $CA self.test:995
expect_status self 1
expect self 995 cert_self_signed fail
expect self 995 cert_chain fail 'self-signed'
expect self 995 cert_name pass
run old $CA old.test:143
expect_status old 1
expect old 143 cert_expiry fail 'expired on 2021-01-01'
expect old 143 cert_chain fail 'expired'

# --- flawserver.py: the flaws Dovecot does not have ------------------------
for p in imap pop3; do
	fp() { eval "echo \$port_${p}_$(echo "$1" | tr - _)"; }
	run "good-$p" $CA --try-cleartext "flaw.test:$(fp good)" --$p
	expect_status "good-$p" 0
	expect "good-$p" "$(fp good)" starttls_injection pass 'discarded'
	# Every byte on its own, in clear and in TLS: the same checklist.
	run "dribble-$p" $CA --try-cleartext "flaw.test:$(fp dribble)" --$p
	expect_status "dribble-$p" 0
	expect "dribble-$p" "$(fp dribble)" login_after_tls pass
	expect "dribble-$p" "$(fp dribble)" starttls_injection pass 'discarded'
	run "inject-tls-$p" $CA "flaw.test:$(fp inject-tls)" --$p
	expect_status "inject-tls-$p" 1
	expect "inject-tls-$p" "$(fp inject-tls)" starttls_injection fail \
		'inside TLS'
	run "inject-clear-$p" $CA "flaw.test:$(fp inject-clear)" --$p
	expect "inject-clear-$p" "$(fp inject-clear)" starttls_injection fail \
		'in clear'
	run "stray-$p" $CA "flaw.test:$(fp stray-bytes)" --$p
	expect "stray-$p" "$(fp stray-bytes)" starttls fail
	run "refuse-$p" $CA "flaw.test:$(fp refuse-starttls)" --$p
	expect "refuse-$p" "$(fp refuse-starttls)" starttls fail 'refused'
	run "nostarttls-$p" $CA --try-cleartext \
		"flaw.test:$(fp no-starttls)" --$p
	expect "nostarttls-$p" "$(fp no-starttls)" starttls_offered fail
	expect "nostarttls-$p" "$(fp no-starttls)" cleartext_login fail
	run "nologin-$p" $CA "flaw.test:$(fp nologin-after-tls)" --$p
	expect "nologin-$p" "$(fp nologin-after-tls)" login_after_tls fail
	run "cram-$p" $CA "flaw.test:$(fp cram-only)" --$p
	expect_status "cram-$p" 0
	expect "cram-$p" "$(fp cram-only)" auth_before_tls warn 'CRAM-MD5'
	run "exchange-$p" $CA --try-cleartext --fake-user nobody.probe \
		"flaw.test:$(fp exchange)" --$p
	expect "exchange-$p" "$(fp exchange)" cleartext_login pass \
		'"value":"tls_required"'
	# Hostile servers: every wait ends with --timeout, every line and
	# answer is capped.
	t0=$(date +%s)
	run "silent-$p" --timeout 1 "flaw.test:$(fp silent)" --$p
	run "trickle-$p" --timeout 2 "flaw.test:$(fp trickle)" --$p
	run "hang-$p" $CA --timeout 1 "flaw.test:$(fp starttls-hang)" --$p
	took=$(($(date +%s) - t0))
	[ "$took" -le 8 ] || bad "$p: hostile servers held the probe $took s"
	expect_status "silent-$p" 2
	expect "silent-$p" "$(fp silent)" connect error 'no answer within 1 s'
	expect "trickle-$p" "$(fp trickle)" connect error \
		'no answer within 2 s'
	expect "hang-$p" "$(fp starttls-hang)" starttls fail \
		'no TLS handshake within 1 s'
	run "long-$p" "flaw.test:$(fp long-line)" --$p
	expect "long-$p" "$(fp long-line)" connect error 'longer than 8192'
	run "flood-$p" "flaw.test:$(fp flood)" --$p
	expect_status "flood-$p" 2
	expect "flood-$p" "$(fp flood)" starttls_offered error \
		'more than 256 lines'
done

# Weak TLS: version, cipher and key all fail.
run weak $CA weak.test:993
expect_status weak 1
expect weak 993 tls_version fail 'TLSv1 is deprecated'
expect weak 993 tls_cipher fail 'no encryption'
expect weak 993 cert_key fail '"value":"RSA 1024"'
expect weak 993 cert_chain pass

# --- ports and hosts --------------------------------------------------------
# soon.test has only 993: the other default ports are skipped; its
# certificate expires in 5 days: a warning, so the status is still 0.
run soon $CA soon.test
expect_status soon 0
expect soon 110 connect skip 'refused'
expect soon 143 connect skip 'refused'
expect soon 995 connect skip 'refused'
expect soon 993 cert_expiry warn '"days_left":4'
# No server at all, a port named by the user, a name that does not
# resolve: errors.
run empty empty.test
expect_status empty 2
expect empty 143 connect error 'no POP3 or IMAP port'
run named enf.test:2525 --imap
expect_status named 2
expect named 2525 connect error 'refused'
run nosuch nosuch.test:143
expect_status nosuch 2
expect nosuch 143 connect error 'cannot resolve'
# The text checklist, for people.
ns_exec client "$bin" probe $CA --try-cleartext enf.test:143 \
	>"$LIB_TMP/text.txt"
grep -q '^enf.test:143 imap (' "$LIB_TMP/text.txt" &&
	grep -q '^  PASS   login_disabled ' "$LIB_TMP/text.txt" &&
	tail -n 1 "$LIB_TMP/text.txt" | grep -qx "plainsight probe: 1 port, \
14 checks: 14 pass, 0 warn, 0 fail, 0 skipped, 0 errors" || {
	bad "text format:"
	cat "$LIB_TMP/text.txt" >&2
}

# --- the output contract and the credential ---------------------------------
# Nothing on standard error: a run reports through its records, and a
# sanitizer report (ASan, UBSan, LeakSanitizer) would show here whatever
# the exit status.
for f in "$LIB_TMP"/*.err; do
	[ -s "$f" ] && bad "$(basename "$f" .err) wrote to standard error:" &&
		cat "$f" >&2
done

# Every record of every run: valid JSON, keys in the documented order.
"$py" - "$LIB_TMP"/*.json <<'EOF' || fail=1
import json, sys
order = ["type", "host", "port", "proto", "tls_mode", "ip", "check",
         "result", "reason", "value", "days_left", "mechanisms",
         "response_code"]
required = {"type", "host", "port", "proto", "tls_mode", "check", "result",
            "reason"}
bad = 0
for path in sys.argv[1:]:
    for n, line in enumerate(open(path), 1):
        rec = json.loads(line)
        keys = list(rec)
        if (keys != sorted(keys, key=order.index) or
                not required <= set(keys) or rec["type"] != "probe"):
            print(f"FAIL {path}:{n}: keys {keys}", file=sys.stderr)
            bad = 1
sys.exit(bad)
EOF
# The only password any server heard is the fixed fake one, with the
# fake account (flawserver.py prints what it hears; Dovecot logs users).
heard=$(grep '^heard:' "$LIB_TMP/flaw.log")
[ -n "$heard" ] || bad "no login reached flawserver.py"
echo "$heard" | while read -r _ cmd rest; do
	case "$cmd $rest" in
	"P5 LOGIN plainsight-probe-fake $FAKE_PW" | \
	"P5 LOGIN nobody.probe $FAKE_PW" | \
	"USER plainsight-probe-fake" | "USER nobody.probe" | \
	"PASS $FAKE_PW") ;;
	*) echo "FAIL a server heard: $cmd $rest" >&2; exit 1 ;;
	esac
done || fail=1
for s in perm enf; do
	grep -o 'user=<[^>]*>' "$LIB_TMP/dovecot-$s/dovecot.log" | sort -u |
		grep -vxF -e 'user=<plainsight-probe-fake>' -e 'user=<>' &&
		bad "dovecot $s saw another user"
done

echo "probe.sh: $(($(date +%s) - started)) s"
if [ "$fail" = 0 ]; then
	echo "probe.sh: every check seen to pass and to fail as expected"
fi
exit $fail
