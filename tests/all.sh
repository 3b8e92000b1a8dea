#!/bin/sh
# tests/all.sh: set up a Debian 12 machine and pass every test.
#
# Installs the build and test dependencies if any is missing (with sudo
# unless already root; Dovecot, iproute2, openssl and curl are for the
# integration tests in network namespaces, tests/integration/), then,
# each build with -Werror:
#   build/       RelWithDebInfo (hardened), what users run: all tests, and
#                static analysis (cppcheck, clang-tidy)
#   build-asan/  Debug with AddressSanitizer and UndefinedBehaviorSanitizer
#                (leaks, over-reads and undefined behaviour fail the test):
#                all tests again, fuzz corpora replayed
#   build-fuzz/  clang with libFuzzer: each fuzz target fuzzed for
#                FUZZ_SECONDS (default 60); a crash, leak or sanitizer
#                report fails
# This is the README's test command, and what .ci/run runs.
set -eu
cd "$(dirname "$0")/.."

need="build-essential cmake pkg-config libpcap-dev libnet1-dev libssl-dev \
libcmocka-dev python3 clang libclang-rt-14-dev cppcheck clang-tidy \
dovecot-imapd dovecot-pop3d iproute2 openssl curl"
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	echo "tests/all.sh: installing$missing"
	$sudo apt-get update -qq
	# Dovecot is only started by the tests, in their own namespaces:
	# keep the package from starting a system-wide one on the host
	policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
		$sudo chmod +x "$policy"
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends $missing
	[ -z "$policy" ] || $sudo rm -f "$policy"
fi

jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DPLAINSIGHT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

tests/lint.sh . build

cmake -S . -B build-asan -DPLAINSIGHT_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
	-DPLAINSIGHT_SANITIZE='address;undefined'
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"

CC=clang cmake -S . -B build-fuzz -DPLAINSIGHT_WERROR=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DPLAINSIGHT_FUZZ=ON \
	-DPLAINSIGHT_SANITIZE='address;undefined' \
	-DPLAINSIGHT_FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
cmake --build build-fuzz -j"$jobs"
ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -R 'fuzz_'
echo "tests/all.sh: all tests passed: plain, sanitizers, fuzzing, lint"
