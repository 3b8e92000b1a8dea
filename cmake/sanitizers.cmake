# sanitizers.cmake: PLAINSIGHT_SANITIZE="address;undefined" adds the
# sanitizers to every target of this project. UBSan is made fatal so a
# report fails the test that triggered it instead of scrolling past.
if(PLAINSIGHT_SANITIZE)
	string(REPLACE ";" "," _ps_san "${PLAINSIGHT_SANITIZE}")
	add_compile_options(-fsanitize=${_ps_san} -fno-omit-frame-pointer
		-fno-sanitize-recover=all)
	add_link_options(-fsanitize=${_ps_san})
	message(STATUS "plainsight: sanitizers ${_ps_san}")
endif()
