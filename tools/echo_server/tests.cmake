# Alder echo server tests, for a host build (the top-level CMakeLists.txt includes this after
# cmake/alder_host_tools.cmake): the test certificates as a fixture, then echo_load, echo_robustness and a leak
# check under valgrind. It must never use a server it did not start: each test starts its own on free ports.
set(ALDER_TEST_CERTS_DIR "${CMAKE_BINARY_DIR}/certs" CACHE INTERNAL "Test certificates (tools/certs/make_certs.sh)")
# ALDER_HOST_TOOLS_DIR comes from cmake/alder_host_tools.cmake. When a subdirectory included that file first,
# its include_guard(GLOBAL) left the variable in that subdirectory's scope: the fallback is the same path.
set(_echo_dir "${ALDER_HOST_TOOLS_DIR}/echo_server")
if(NOT ALDER_HOST_TOOLS_DIR)
    set(_echo_dir "${CMAKE_BINARY_DIR}/host-tools/echo_server")
endif()

# Made at test time, and only when missing or older than the script; other tests may require the same fixture.
add_test(NAME alder_test_certs COMMAND bash "${ALDER_ROOT}/tools/certs/make_certs.sh" "${ALDER_TEST_CERTS_DIR}")
set_tests_properties(alder_test_certs PROPERTIES FIXTURES_SETUP alder_certs LABELS unit TIMEOUT 120)

add_test(NAME echo_server_load
    COMMAND "${_echo_dir}/echo_load" --clients 100 --plain-clients 100 --bytes 65536
            --certs "${ALDER_TEST_CERTS_DIR}" -- "${_echo_dir}/echo_server")
add_test(NAME echo_server_robustness
    COMMAND "${_echo_dir}/echo_robustness" --certs "${ALDER_TEST_CERTS_DIR}" -- "${_echo_dir}/echo_server")
set(_echo_tests echo_server_load echo_server_robustness)

# Traffic, then SIGTERM, under valgrind: any leak, even memory still reachable at exit, changes the exit status.
find_program(ALDER_VALGRIND valgrind)
if(ALDER_VALGRIND)
    add_test(NAME echo_server_leaks
        COMMAND "${_echo_dir}/echo_load" --clients 10 --plain-clients 10 --bytes 65536
                --certs "${ALDER_TEST_CERTS_DIR}" --
                "${ALDER_VALGRIND}" -q --error-exitcode=3 --leak-check=full --show-leak-kinds=all
                --errors-for-leak-kinds=all "${_echo_dir}/echo_server")
    list(APPEND _echo_tests echo_server_leaks)
endif()
set_tests_properties(${_echo_tests} PROPERTIES FIXTURES_REQUIRED alder_certs LABELS unit TIMEOUT 120)
