#!/bin/sh
# hardening.sh: the plainsight binary carries the hardening it was built
# with (cmake/hardening.cmake): PIE, full RELRO with immediate binding, a
# non-executable stack, the stack protector and, in an optimised build
# without sanitizers, _FORTIFY_SOURCE's checked functions.
#
#   hardening.sh PLAINSIGHT [fortify]
set -u
bin=$1
want_fortify=${2:-}
fail=0
no() { echo "FAIL $bin: $*" >&2; fail=1; }

readelf -h "$bin" | grep -q 'Type:.*DYN' || no "not a PIE"
readelf -l "$bin" | grep -q 'GNU_RELRO' || no "no RELRO segment"
readelf -d "$bin" | grep -Eq 'BIND_NOW|FLAGS.*NOW' || no "no BIND_NOW"
readelf -lW "$bin" | grep 'GNU_STACK' | grep -q 'RWE' && no "executable stack"
nm -D "$bin" | grep -q '__stack_chk_fail' || no "no stack protector"
if [ "$want_fortify" = fortify ]; then
	nm -D "$bin" | grep -Eq '__[a-z]+_chk' || no "no _FORTIFY_SOURCE"
fi
exit $fail
