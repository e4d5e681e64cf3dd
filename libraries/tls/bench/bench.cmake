# Alder TLS benchmark (posix board): the tls_bench image (Secure Sockets + TLS), the plain mbedTLS program
# tls_bench_host, `make bench`'s target bench_tls (tools/bench/tls_bench.sh) and the smoke test tls_bench_smoke.
# It must never time anything in a test: the smoke test checks that both programs work, `make bench` measures.
# Included at the end of libraries/tls/CMakeLists.txt, after alder_tls exists (alder_sockets_tls follows it).
if(NOT ALDER_BUILD_TESTS OR NOT ALDER_PORT STREQUAL "posix" OR NOT TARGET alder_tls)
    return()
endif()
include("${ALDER_ROOT}/cmake/alder_servers.cmake") # the echo server (ALDER_ECHO_SERVER_EXE, alder_host_tools)

set(tls_bench_dir "${CMAKE_CURRENT_LIST_DIR}")
get_filename_component(tls_bench_test_dir "${CMAKE_CURRENT_LIST_DIR}/../test" ABSOLUTE)
# The test CA of the TLS group's certificates directory, embedded in both programs, which therefore parse the
# same bytes; the echo server serves server_ec from the same directory.
set(tls_bench_certs "${CMAKE_BINARY_DIR}/tls-certs")
set(tls_bench_embedded "${CMAKE_CURRENT_BINARY_DIR}/tls_bench_certs.c")
add_custom_command(OUTPUT "${tls_bench_embedded}"
    COMMAND "${ALDER_ROOT}/tools/certs/make_certs.sh" "${tls_bench_certs}"
    COMMAND "${CMAKE_COMMAND}" "-DCERTS_DIR=${tls_bench_certs}" "-DOUT=${tls_bench_embedded}"
            -P "${tls_bench_test_dir}/embed_certs.cmake"
    DEPENDS "${ALDER_ROOT}/tools/certs/make_certs.sh" "${tls_bench_test_dir}/embed_certs.cmake"
    COMMENT "Alder TLS benchmark: test certificates"
    VERBATIM)
set(tls_bench_shared "${tls_bench_dir}/tls_bench_common.c" "${tls_bench_test_dir}/tls_test_heap.c"
                     "${tls_bench_embedded}")
set(tls_bench_includes "${tls_bench_dir}" "${tls_bench_test_dir}")

alder_kernel_for_config("${tls_bench_dir}/config" tls_bench_kernel)
add_executable(tls_bench "${tls_bench_dir}/tls_bench.c" ${tls_bench_shared})
target_include_directories(tls_bench PRIVATE ${tls_bench_includes})
target_link_libraries(tls_bench PRIVATE ${tls_bench_kernel} alder_sockets_tls)
set_target_properties(tls_bench PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)

# The same mbedTLS libraries as alder_tls, called directly; no kernel.
add_executable(tls_bench_host "${tls_bench_dir}/tls_bench_host.c" ${tls_bench_shared})
target_include_directories(tls_bench_host PRIVATE ${tls_bench_includes} "${ALDER_TLS_MBEDTLS_INCLUDE_DIR}")
target_link_libraries(tls_bench_host PRIVATE "${ALDER_TLS_MBEDTLS_LIBRARY}" "${ALDER_TLS_MBEDX509_LIBRARY}"
                                             "${ALDER_TLS_MBEDCRYPTO_LIBRARY}")
set_target_properties(tls_bench_host PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON)

set(tls_bench_driver "${ALDER_ROOT}/tools/bench/tls_bench.sh")
set(tls_bench_programs --echo-server "${ALDER_ECHO_SERVER_EXE}" --certs "${tls_bench_certs}"
                       --alder $<TARGET_FILE:tls_bench> --host $<TARGET_FILE:tls_bench_host>)

# `make bench`: ports 9010/9011, the driver's defaults (5 rounds of 200 handshakes, 2000 connects, 32 MB), recorded
# as the section posix-tls of docs/benchmarks.md.
add_custom_target(bench_tls
    COMMAND "${tls_bench_driver}" ${tls_bench_programs} --tls-port 9010 --plain-port 9011
            --record "${ALDER_ROOT}/docs/benchmarks.md"
    DEPENDS tls_bench tls_bench_host alder_host_tools
    USES_TERMINAL
    VERBATIM)
# kernel/bench/posix/bench.cmake's `bench` runs the kernel rows; the TLS rows come first.
if(TARGET bench)
    add_dependencies(bench bench_tls)
endif()

# Smoke: a few handshakes and 1 MB each way, one round, nothing recorded; the driver checks every line's form.
add_test(NAME tls_bench_smoke
    COMMAND "${tls_bench_driver}" ${tls_bench_programs} --tls-port 9012 --plain-port 9013 --smoke)
set_tests_properties(tls_bench_smoke PROPERTIES LABELS "unit;board:${ALDER_BOARD}" TIMEOUT 120)
