# hardening.cmake: the usual defences of a C program that parses hostile
# input as root (Debian's hardening-wrapper set): stack protector (strong),
# stack clash protection, control-flow protection, _FORTIFY_SOURCE=3 when
# optimising (it needs optimisation, and ASan replaces it), position
# independent executables, full RELRO and immediate binding.  A ctest
# (tests/hardening.sh) checks the built binary has them.
option(PLAINSIGHT_HARDEN "Build with the hardening flags" ON)
if(PLAINSIGHT_HARDEN)
	set(CMAKE_POSITION_INDEPENDENT_CODE ON)
	include(CheckPIESupported)
	check_pie_supported()
	add_compile_options(-fstack-protector-strong -fstack-clash-protection)
	if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|amd64|i.86")
		add_compile_options(-fcf-protection)
	endif()
	if(NOT PLAINSIGHT_SANITIZE)
		add_compile_options(
			$<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE>
			$<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=3>)
	endif()
	add_link_options(-Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack)
endif()
