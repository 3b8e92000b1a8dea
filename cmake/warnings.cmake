# warnings.cmake: one interface target that carries the project's warning set.
# Linked per target (never through CMAKE_C_FLAGS) so third-party code and
# the fuzz harnesses can opt out.
add_library(plainsight_warnings INTERFACE)
target_compile_options(plainsight_warnings INTERFACE
	-Wall -Wextra -Wshadow -Wconversion -Wsign-conversion -Wswitch-enum
	-Wformat=2 -Wvla -Wstrict-prototypes -Wmissing-prototypes
	-Wpointer-arith -Wcast-qual -Wundef -Wnull-dereference)
if(PLAINSIGHT_WERROR)
	target_compile_options(plainsight_warnings INTERFACE -Werror)
endif()
