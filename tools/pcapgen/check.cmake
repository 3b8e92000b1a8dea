# check.cmake: the pcapgen self-check run by ctest (cmake -P check.cmake
# -DPCAPGEN=... -DSRC=... -DWORK=...).
#  1. every examples/*.scn runs, and running it again gives the same bytes;
#  2. "-" works for input and output and gives the same bytes as files;
#  3. bad scenarios exit with 2, name FILE:LINE, and leave no output file.

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(run_ok scn out)
	execute_process(COMMAND "${PCAPGEN}" "${scn}" "${out}"
		RESULT_VARIABLE rc ERROR_VARIABLE err)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "${scn}: exit ${rc}: ${err}")
	endif()
endfunction()

function(same a b)
	execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${a}" "${b}"
		RESULT_VARIABLE rc)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "${a} and ${b} differ: output is not deterministic")
	endif()
endfunction()

file(GLOB examples "${SRC}/examples/*.scn")
list(LENGTH examples n)
if(n EQUAL 0)
	message(FATAL_ERROR "no examples in ${SRC}/examples")
endif()
foreach(scn IN LISTS examples)
	get_filename_component(name "${scn}" NAME_WE)
	run_ok("${scn}" "${WORK}/${name}.a.pcap")
	run_ok("${scn}" "${WORK}/${name}.b.pcap")
	same("${WORK}/${name}.a.pcap" "${WORK}/${name}.b.pcap")
endforeach()

list(GET examples 0 first)
get_filename_component(name "${first}" NAME_WE)
execute_process(COMMAND "${PCAPGEN}" - -
	INPUT_FILE "${first}" OUTPUT_FILE "${WORK}/stdio.pcap"
	RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "pcapgen - - < ${first}: exit ${rc}")
endif()
same("${WORK}/${name}.a.pcap" "${WORK}/stdio.pcap")

# bad(NAME LINE TEXT): TEXT must fail at LINE
set(conn "conn a client 192.0.2.1:1000 server 198.51.100.1:143\n")
function(bad name line text)
	set(scn "${WORK}/bad-${name}.scn")
	set(out "${WORK}/bad-${name}.pcap")
	file(WRITE "${scn}" "${text}")
	execute_process(COMMAND "${PCAPGEN}" "${scn}" "${out}"
		RESULT_VARIABLE rc ERROR_VARIABLE err)
	if(NOT rc EQUAL 2)
		message(FATAL_ERROR "bad-${name}: exit ${rc}, expected 2: ${err}")
	endif()
	if(NOT err MATCHES "^pcapgen: [^\n]*bad-${name}\\.scn:${line}: ")
		message(FATAL_ERROR "bad-${name}: expected an error at line "
			"${line}, got: ${err}")
	endif()
	if(EXISTS "${out}")
		message(FATAL_ERROR "bad-${name}: left an output file")
	endif()
endfunction()

bad(unknown 2 "# x\nbogus\n")
bad(not-started 2 "${conn}C: hi\n")
bad(late-format 2 "${conn}format pcapng\n")
bad(twice 2 "snaplen 100\nsnaplen 200\n")
bad(vlan-link 2 "link raw\nvlan 7\n")
bad(family 1 "conn a client 192.0.2.1:1 server [2001:db8::1]:2\n")
bad(link-family 2 "link ipv6\n${conn}")
bad(pending 4 "${conn}midstream\nsplit 2\nfin client\n")
bad(pending-eof 3 "${conn}midstream\ndrop 0\n")
bad(split-range 4 "${conn}midstream\nsplit 9\nC: abc\n")
bad(order-perm 5 "${conn}midstream\nsplit 1\norder 1 1\nC~ ab\n")
bad(escape 3 "${conn}midstream\nC: a\\qb\n")
bad(quote 3 "${conn}midstream\nretransmit 0 \"abc\n")
bad(count 3 "${conn}midstream\nC* 0 x\n")
bad(empty 3 "${conn}midstream\nC~ \n")
bad(date 1 "start 2026-02-29T00:00:00Z\n")
bad(duration 1 "step 10\n")
bad(isn 1 "conn a client 192.0.2.1:1 server 192.0.2.2:2 isn 1 4294967296\n")
bad(truncate 1 "truncate-file 25\n")
bad(keepalive-early 2 "${conn}keepalive client\n")
bad(probe-bytes 3 "${conn}midstream\nwindow-probe client ab\n")
bad(probe-none 3 "${conn}midstream\nwindow-probe server\n")
bad(urgent-zero 3 "${conn}midstream\nurgent 0\nC: x\n")
bad(frag-size 3 "${conn}midstream\nfragment 12\nC: x\n")
bad(frag-perm 3 "${conn}midstream\nfragment 16 order 0 0\nC: x\n")
bad(frag-word 3 "${conn}midstream\nfragment 16 reverse\nC: x\n")
bad(frag-at 3 "${conn}midstream\nfragment 16 overlap 0 at 4 \"x\"\nC: x\n")
# "abc\r\n" + 20 bytes of TCP header: 25 bytes, 2 fragments of 16
bad(frag-count 4 "${conn}midstream\nfragment 16 order 2 1 0\nC: abc\n")
bad(frag-past 4 "${conn}midstream\nfragment 16 overlap 1 at 8 \"12345678\"\nC: abc\n")
bad(frag-odd 4 "${conn}midstream\nfragment 8 overlap 0 \"123\"\nC: abc\n")
bad(rst-offset 3 "${conn}midstream\nrst client 5\n")
