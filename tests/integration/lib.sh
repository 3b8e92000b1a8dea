# tests/integration/lib.sh: network namespaces, a test CA and Dovecot
# servers for integration tests.  Source it (POSIX sh, bash works too):
#
#   . "$(dirname "$0")/lib.sh"
#   lib_init                  # root and netns or exit 77 (skipped); work
#                             # dir $LIB_TMP; cleanup on any exit
#   ns_setup                  # namespaces $NS_CLIENT and $NS_SERVER, one
#                             # veth pair: $IF_CLIENT <-> $IF_SERVER
#   ca_setup                  # a test CA: $LIB_TMP/ca/ca.pem
#   addr_alloc mail           # an address pair on the server side; the
#                             # client resolves mail.test to it
#   cert_make mail valid mail.test "$(addr_of mail 4)"
#   dovecot_start mail enforcing mail
#   ns_exec client plainsight probe --ca-file "$LIB_TMP/ca/ca.pem" mail.test
#
# Everything it starts is stopped, and everything it made removed, by
# cleanup(): processes by the PIDs it recorded, namespaces (and
# /etc/netns/NAME) by the names it made, then $LIB_TMP.  It runs from an
# EXIT/INT/TERM trap, so a failing test leaves nothing behind.  Nothing
# here touches the host's own network: all traffic stays between the two
# namespaces, on documentation addresses (192.0.2.0/24, 2001:db8::/64).
#
# Functions (each returns non-zero and says why on standard error when it
# fails; none exits but lib_init and lib_skip):
#
#   lib_init                 check root, ip netns, make $LIB_TMP, set trap
#   lib_skip MESSAGE         print "SKIP: MESSAGE" and exit 77
#   lib_need CMD...          lib_skip unless every CMD is installed
#   ns_setup                 create the pair.  Sets NS_CLIENT, NS_SERVER
#                            (namespace names), IF_CLIENT, IF_SERVER (the
#                            veth ends), CLIENT_IP4=192.0.2.1,
#                            CLIENT_IP6=2001:db8::1, SERVER_IP4=192.0.2.2,
#                            SERVER_IP6=2001:db8::2
#   ns_exec client|server CMD [ARG...]
#                            run CMD in that namespace (ip netns exec:
#                            in the client namespace /etc/hosts is
#                            host_alias's, and DNS goes to its own
#                            loopback, where nothing answers)
#   ns_addr_add client|server IP4 IP6
#                            one more address pair on that side's veth
#   host_alias NAME ADDR...  NAME resolves to each ADDR in the client
#                            namespace (appended to its hosts file)
#   addr_alloc NAME          next server address pair (192.0.2.11...,
#                            2001:db8::11...), added to the server veth;
#                            NAME.test resolves to both in the client
#                            namespace; prints "IP4 IP6"
#   addr_of NAME 4|6         the address addr_alloc gave NAME
#   ca_setup                 the test CA ($LIB_TMP/ca/ca.pem, ca.key)
#   cert_make ID KIND NAME...
#                            $LIB_TMP/certs/ID.pem (certificate) and
#                            ID.key, for the DNS names and IP addresses
#                            given (the first is the CN).  KIND: valid
#                            (CA-signed, 30 days), expiring (CA-signed, 5
#                            days left), expired (CA-signed, 2020-2021),
#                            selfsigned (30 days), weak (CA-signed, RSA
#                            1024: most servers refuse to load it)
#   dovecot_start NAME permissive|enforcing CERT_ID
#                            Dovecot (imap, pop3) on NAME's address pair
#                            (addr_alloc'd if not yet), ports 110 143 993
#                            995, self-contained config in
#                            $LIB_TMP/dovecot-NAME/ (its log: dovecot.log
#                            there).  permissive: ssl = yes,
#                            disable_plaintext_auth = no; enforcing: ssl =
#                            required, disable_plaintext_auth = yes.  Users
#                            from $LIB_USERS ("user:password ...", default
#                            alice:s3cr3t-alice bob:s3cr3t-bob), password
#                            scheme PLAIN.  No login delay, no penalty.
#   dovecot_stop NAME        stop it (SIGTERM to its master, by PID)
#   bg_start NAME client|server CMD [ARG...]
#                            CMD in the background in that namespace, its
#                            output in $LIB_TMP/NAME.log; stopped by
#                            cleanup (or bg_stop NAME)
#   bg_stop NAME             stop it (SIGTERM, then SIGKILL after 2 s)
#   wait_listen client|server IP PORT [SECONDS]
#                            wait until something listens there (default
#                            10 s)
#   cleanup                  stop and remove everything; idempotent
#
# Needs: iproute2 (ip, ss), openssl, and for Dovecot dovecot-imapd and
# dovecot-pop3d (which also create the dovecot and dovenull users).

LIB_USERS=${LIB_USERS:-"alice:s3cr3t-alice bob:s3cr3t-bob"}
LIB_TMP=
LIB_NAMESPACES=
NS_CLIENT=
NS_SERVER=

lib_skip() {
	echo "SKIP: $*"
	exit 77
}

lib_need() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 ||
			[ -x "/usr/sbin/$_c" ] ||
			lib_skip "$_c is not installed"
	done
}

lib_init() {
	[ "$(id -u)" = 0 ] || lib_skip "needs root for network namespaces"
	lib_need ip ss openssl
	LIB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/plainsight-it.XXXXXX") || return 1
	# Server processes run as other users (dovecot, nobody): they must
	# be able to read what is made here.
	chmod 755 "$LIB_TMP"
	mkdir -p "$LIB_TMP/pids" "$LIB_TMP/addr" "$LIB_TMP/certs"
	trap cleanup EXIT
	trap 'cleanup; exit 130' INT
	trap 'cleanup; exit 143' TERM
	# Can this machine make namespaces at all (a container may not)?
	_probe_ns="psn$$"
	if ! ip netns add "$_probe_ns" 2>/dev/null; then
		lib_skip "cannot create network namespaces here"
	fi
	ip netns del "$_probe_ns"
}

ns_setup() {
	NS_CLIENT="psc$$"
	NS_SERVER="pss$$"
	IF_CLIENT="psc$$"
	IF_SERVER="pss$$"
	CLIENT_IP4=192.0.2.1
	CLIENT_IP6=2001:db8::1
	SERVER_IP4=192.0.2.2
	SERVER_IP6=2001:db8::2
	for _ns in "$NS_CLIENT" "$NS_SERVER"; do
		ip netns add "$_ns" || return 1
		LIB_NAMESPACES="$LIB_NAMESPACES $_ns"
		ip -n "$_ns" link set lo up || return 1
	done
	# The files `ip netns exec` puts in place of /etc/hosts and
	# /etc/resolv.conf: names come from host_alias, and a name that is
	# not there is asked of nobody outside (the namespace's own
	# loopback, where nothing answers).
	mkdir -p "/etc/netns/$NS_CLIENT"
	printf '127.0.0.1 localhost\n::1 localhost\n' \
		>"/etc/netns/$NS_CLIENT/hosts"
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' \
		>"/etc/netns/$NS_CLIENT/resolv.conf"
	ip link add "$IF_CLIENT" type veth peer name "$IF_SERVER" || return 1
	ip link set "$IF_CLIENT" netns "$NS_CLIENT" || return 1
	ip link set "$IF_SERVER" netns "$NS_SERVER" || return 1
	ns_addr_add client "$CLIENT_IP4" "$CLIENT_IP6" || return 1
	ns_addr_add server "$SERVER_IP4" "$SERVER_IP6" || return 1
	ip -n "$NS_CLIENT" link set "$IF_CLIENT" up || return 1
	ip -n "$NS_SERVER" link set "$IF_SERVER" up || return 1
}

_ns_of() {
	case $1 in
	client) echo "$NS_CLIENT" ;;
	server) echo "$NS_SERVER" ;;
	*) echo "lib.sh: '$1' is not client or server" >&2; return 1 ;;
	esac
}

_if_of() {
	case $1 in
	client) echo "$IF_CLIENT" ;;
	server) echo "$IF_SERVER" ;;
	*) return 1 ;;
	esac
}

ns_exec() {
	_ns=$(_ns_of "$1") || return 1
	shift
	ip netns exec "$_ns" "$@"
}

ns_addr_add() {
	_ns=$(_ns_of "$1") || return 1
	_if=$(_if_of "$1")
	ip -n "$_ns" addr add "$2/24" dev "$_if" || return 1
	# nodad: usable at once, no duplicate address detection wait.
	ip -n "$_ns" addr add "$3/64" dev "$_if" nodad || return 1
}

host_alias() {
	_name=$1
	shift
	for _a in "$@"; do
		echo "$_a $_name" >>"/etc/netns/$NS_CLIENT/hosts"
	done
}

addr_alloc() {
	_n=$(ls "$LIB_TMP/addr" | wc -l)
	_i=$((_n + 11))
	_ip4="192.0.2.$_i"
	_ip6="2001:db8::$_i"
	ns_addr_add server "$_ip4" "$_ip6" || return 1
	echo "$_ip4 $_ip6" >"$LIB_TMP/addr/$1"
	host_alias "$1.test" "$_ip4" "$_ip6"
	echo "$_ip4 $_ip6"
}

addr_of() {
	[ -f "$LIB_TMP/addr/$1" ] || {
		echo "lib.sh: no address for $1 (addr_alloc it)" >&2
		return 1
	}
	case $2 in
	4) cut -d' ' -f1 "$LIB_TMP/addr/$1" ;;
	6) cut -d' ' -f2 "$LIB_TMP/addr/$1" ;;
	*) return 1 ;;
	esac
}

ca_setup() {
	_ca="$LIB_TMP/ca"
	mkdir -p "$_ca/new"
	: >"$_ca/index.txt"
	echo 1000 >"$_ca/serial"
	cat >"$_ca/openssl.cnf" <<EOF
[ca]
default_ca = test_ca
[test_ca]
dir = $_ca
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
default_md = sha256
policy = any
unique_subject = no
email_in_dn = no
[any]
commonName = supplied
EOF
	openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
		-subj "/CN=plainsight test CA $$" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout "$_ca/ca.key" -out "$_ca/ca.pem" 2>"$_ca/req.err" || {
		cat "$_ca/req.err" >&2
		return 1
	}
}

# The subjectAltName of the names given: DNS: or IP: each.
_san() {
	_s=
	for _n in "$@"; do
		case $_n in
		*:* | [0-9]*.[0-9]*.[0-9]*.[0-9]*) _t="IP:$_n" ;;
		*) _t="DNS:$_n" ;;
		esac
		_s="${_s:+$_s,}$_t"
	done
	echo "$_s"
}

cert_make() {
	_id=$1
	_kind=$2
	shift 2
	_out="$LIB_TMP/certs/$_id"
	_cn=$1
	_bits=2048
	[ "$_kind" = weak ] && _bits=1024
	{
		echo "subjectAltName=$(_san "$@")"
		echo "basicConstraints=CA:FALSE"
		echo "extendedKeyUsage=serverAuth"
	} >"$_out.ext"
	if [ "$_kind" = selfsigned ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
			-subj "/CN=$_cn" -addext "subjectAltName=$(_san "$@")" \
			-keyout "$_out.key" -out "$_out.pem" 2>"$_out.err" || {
			cat "$_out.err" >&2
			return 1
		}
		return 0
	fi
	case $_kind in
	valid | weak) _dates="-days 30" ;;
	expiring)
		_dates="-enddate $(date -u -d '+5 days' +%Y%m%d%H%M%SZ)"
		;;
	expired) _dates="-startdate 20200101000000Z -enddate 20210101000000Z" ;;
	*) echo "lib.sh: cert kind '$_kind'?" >&2; return 1 ;;
	esac
	openssl req -new -newkey "rsa:$_bits" -nodes -subj "/CN=$_cn" \
		-keyout "$_out.key" -out "$_out.csr" 2>"$_out.err" &&
		# shellcheck disable=SC2086 # _dates is two words on purpose
		openssl ca -batch -config "$LIB_TMP/ca/openssl.cnf" $_dates \
			-extfile "$_out.ext" -in "$_out.csr" -out "$_out.pem" \
			-notext 2>>"$_out.err" || {
		cat "$_out.err" >&2
		return 1
	}
}

dovecot_start() {
	_name=$1
	_mode=$2
	_cert="$LIB_TMP/certs/$3"
	lib_need dovecot
	[ -f "$_cert.pem" ] || {
		echo "lib.sh: no certificate $3 (cert_make it)" >&2
		return 1
	}
	[ -f "$LIB_TMP/addr/$_name" ] || addr_alloc "$_name" >/dev/null ||
		return 1
	_ip4=$(addr_of "$_name" 4)
	_ip6=$(addr_of "$_name" 6)
	case $_mode in
	permissive) _ssl=yes _dpa=no ;;
	enforcing) _ssl=required _dpa=yes ;;
	*) echo "lib.sh: mode '$_mode'?" >&2; return 1 ;;
	esac
	_d="$LIB_TMP/dovecot-$_name"
	mkdir -p "$_d/run" "$_d/state" "$_d/home"
	chmod 755 "$_d"
	chmod 1777 "$_d/home"
	: >"$_d/passwd"
	for _u in $LIB_USERS; do
		echo "${_u%%:*}:{PLAIN}${_u#*:}::::::" >>"$_d/passwd"
	done
	chmod 644 "$_d/passwd"
	_dh=
	[ -f /usr/share/dovecot/dh.pem ] &&
		_dh="ssl_dh = </usr/share/dovecot/dh.pem"
	cat >"$_d/dovecot.conf" <<EOF
# Written by tests/integration/lib.sh: a $_mode Dovecot for tests.
base_dir = $_d/run
state_dir = $_d/state
instance_name = plainsight-$_name-$$
log_path = $_d/dovecot.log
protocols = imap pop3
listen = $_ip4, $_ip6
ssl = $_ssl
ssl_cert = <$_cert.pem
ssl_key = <$_cert.key
$_dh
disable_plaintext_auth = $_dpa
auth_mechanisms = plain login
# Tests log in and fail many times from one address: no delay, no
# penalty (the penalty lives in anvil; unreachable, it is off).
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $_d/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$_d/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    port = 993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 110
  }
  inet_listener pop3s {
    port = 995
    ssl = yes
  }
}
EOF
	_bin=$(command -v dovecot || echo /usr/sbin/dovecot)
	ip netns exec "$NS_SERVER" "$_bin" -F -c "$_d/dovecot.conf" \
		>"$_d/stdout.log" 2>&1 &
	echo $! >"$LIB_TMP/pids/dovecot-$_name"
	for _p in 110 143 993 995; do
		wait_listen server "$_ip4" "$_p" || {
			echo "lib.sh: dovecot $_name did not start:" >&2
			cat "$_d/stdout.log" "$_d/dovecot.log" >&2 2>/dev/null
			return 1
		}
	done
}

dovecot_stop() {
	bg_stop "dovecot-$1"
}

bg_start() {
	_name=$1
	_ns=$(_ns_of "$2") || return 1
	shift 2
	ip netns exec "$_ns" "$@" >"$LIB_TMP/$_name.log" 2>&1 &
	echo $! >"$LIB_TMP/pids/$_name"
}

bg_stop() {
	_f="$LIB_TMP/pids/$1"
	[ -f "$_f" ] || return 0
	_pid=$(cat "$_f")
	rm -f "$_f"
	kill "$_pid" 2>/dev/null && _reap "$_pid"
	return 0
}

# Wait up to 2 s for each PID to end, then SIGKILL what is left.
_reap() {
	for _p in "$@"; do
		_i=20
		while [ "$_i" -gt 0 ] && kill -0 "$_p" 2>/dev/null; do
			sleep 0.1
			_i=$((_i - 1))
		done
		kill -9 "$_p" 2>/dev/null
	done
	return 0
}

wait_listen() {
	_ns=$(_ns_of "$1") || return 1
	_want="$2:$3"
	case $2 in *:*) _want="[$2]:$3" ;; esac
	_tries=$((${4:-10} * 10))
	while [ "$_tries" -gt 0 ]; do
		ip netns exec "$_ns" ss -Hltn 2>/dev/null |
			awk '{print $4}' | grep -qxF "$_want" && return 0
		sleep 0.1
		_tries=$((_tries - 1))
	done
	echo "lib.sh: nothing listens on $_want in $1" >&2
	return 1
}

cleanup() {
	[ -n "$LIB_TMP" ] || return 0
	# Everything recorded at once, then waited for: the servers stop
	# in parallel.
	_pids=
	for _f in "$LIB_TMP"/pids/*; do
		[ -f "$_f" ] || continue
		_pid=$(cat "$_f")
		kill "$_pid" 2>/dev/null && _pids="$_pids $_pid"
	done
	# shellcheck disable=SC2086 # a list of PIDs
	_reap $_pids
	for _ns in $LIB_NAMESPACES; do
		# Whatever is still running in a namespace made here was
		# started here: stop it by PID, then remove the namespace
		# (its veth end and the peer go with it).
		for _pid in $(ip netns pids "$_ns" 2>/dev/null); do
			kill -9 "$_pid" 2>/dev/null
		done
		ip netns del "$_ns" 2>/dev/null
		rm -rf "/etc/netns/$_ns"
	done
	LIB_NAMESPACES=
	rm -rf "$LIB_TMP"
	LIB_TMP=
}
