#!/bin/sh
# tests/all.sh: set up a Debian 12 machine and pass every test.
#
# Installs the build and test dependencies if any is missing (with sudo
# unless already root; Dovecot, iproute2 and openssl are for the
# integration tests in network namespaces, tests/integration/), then
# builds twice, each with -Werror, and runs the whole ctest suite on both
# builds:
#   build/       RelWithDebInfo, what users run
#   build-asan/  Debug with AddressSanitizer and UndefinedBehaviorSanitizer
#                (leaks, over-reads and undefined behaviour fail the test)
# This is the README's test command, and what .ci/run runs.
set -eu
cd "$(dirname "$0")/.."

need="build-essential cmake pkg-config libpcap-dev libnet1-dev libssl-dev \
libcmocka-dev python3 dovecot-imapd dovecot-pop3d iproute2 openssl"
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
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends $missing
fi

jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DPLAINSIGHT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DPLAINSIGHT_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
	-DPLAINSIGHT_SANITIZE='address;undefined'
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"
echo "tests/all.sh: all tests passed, with and without sanitizers"
