# Alder posix benchmark: context-switch round trips of the simulator, `make bench`.
# It must never run as a test: it measures, and speed is never asserted.
alder_kernel_for_config("${CMAKE_CURRENT_LIST_DIR}/config" bench_kernel)
add_executable(alder_bench "${CMAKE_CURRENT_LIST_DIR}/bench_posix.c")
target_link_libraries(alder_bench PRIVATE ${bench_kernel})
set_target_properties(alder_bench PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
add_custom_target(bench
    COMMAND sh -c "out=$($<TARGET_FILE:alder_bench>) && printf '%s\\n' \"$out\" && printf '%s\\n' \"$out\" | ${ALDER_ROOT}/tools/bench/record_section.sh ${ALDER_ROOT}/docs/benchmarks.md posix-switch"
    DEPENDS alder_bench
    USES_TERMINAL
    VERBATIM)
