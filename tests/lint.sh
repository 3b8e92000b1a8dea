#!/bin/sh
# lint.sh: static analysis that must stay clean: cppcheck (warnings,
# portability, performance) and clang-tidy (the checks in .clang-tidy,
# warnings as errors) over src/, with the compile commands of BUILDDIR.
#
#   lint.sh SRCDIR BUILDDIR
set -eu
src=$1
build=$2
cd "$src"
cppcheck --enable=warning,portability,performance --std=c11 \
	--error-exitcode=1 --inline-suppr --quiet \
	-I include -I src -D_POSIX_C_SOURCE=200809L \
	--suppress=missingIncludeSystem src
echo "lint: cppcheck clean"
# (without clang-tidy, an empty log would read as clean)
command -v clang-tidy >/dev/null || {
	echo "lint: clang-tidy is not installed" >&2
	exit 1
}
# (the build's gcc LTO flags mean nothing to clang: not an error here)
clang-tidy -p "$build" --quiet \
	--extra-arg=-Wno-ignored-optimization-argument \
	--extra-arg=-Wno-unknown-warning-option src/*.c src/*/*.c 2>&1 |
	grep -v "warnings generated" >"$build/clang-tidy.log" || true
if grep -qE "(warning|error):" "$build/clang-tidy.log"; then
	cat "$build/clang-tidy.log" >&2
	exit 1
fi
echo "lint: clang-tidy clean"
