# Alder test servers: the echo server that the TCP and TLS groups talk to, as a ctest fixture (make test) and as a
# server the qualification runner starts (make qualify). It must never bind anything but 127.0.0.1.

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/alder_host_tools.cmake")

set(ALDER_ECHO_PLAIN_PORT 9001 CACHE STRING "Plain TCP port of the test echo server")
set(ALDER_ECHO_TLS_PORT 9000 CACHE STRING "TLS port of the test echo server")
# Cache variables: the include guard makes this file run once, in whichever directory includes it first.
set(ALDER_ECHO_SERVER_EXE "${ALDER_HOST_TOOLS_DIR}/echo_server/echo_server" CACHE INTERNAL "")
set(_alder_echo_state "${CMAKE_BINARY_DIR}/servers/echo" CACHE INTERNAL "")
set(_alder_echo_args "${ALDER_ECHO_SERVER_EXE}" "${ALDER_ROOT}/tools/certs/make_certs.sh"
                     ${ALDER_ECHO_PLAIN_PORT} ${ALDER_ECHO_TLS_PORT} CACHE INTERNAL "")

# alder_echo_server_fixture(<image> <group>): the image's ctest runs need the echo server, and its
# qualification group names it; the image learns the ports at compile time.
function(alder_echo_server_fixture image group)
    get_property(needs GLOBAL PROPERTY ALDER_QUALIFY_GROUP_SERVERS_${group})
    if(NOT "echo" IN_LIST needs)
        set_property(GLOBAL APPEND PROPERTY ALDER_QUALIFY_GROUP_SERVERS_${group} echo)
    endif()
    if(NOT TEST echo_server_start)
        set(script "${ALDER_ROOT}/tests/servers/echo_fixture.sh")
        add_test(NAME echo_server_start COMMAND "${script}" start "${_alder_echo_state}" ${_alder_echo_args})
        add_test(NAME echo_server_stop COMMAND "${script}" stop "${_alder_echo_state}")
        set_tests_properties(echo_server_start PROPERTIES FIXTURES_SETUP echo_server LABELS "unit" TIMEOUT 60)
        set_tests_properties(echo_server_stop PROPERTIES FIXTURES_CLEANUP echo_server LABELS "unit" TIMEOUT 60)
        # The runner starts the same server, in the foreground, for the groups that need it.
        string(JOIN "\t" record server echo "echo_server ready" "${script}" run "${_alder_echo_state}-qualify"
               ${_alder_echo_args})
        set_property(GLOBAL APPEND PROPERTY ALDER_QUALIFY_SERVERS "${record}")
    endif()
    target_compile_definitions(${image} PRIVATE TEST_ECHO_PLAIN_PORT=${ALDER_ECHO_PLAIN_PORT}
                                                TEST_ECHO_TLS_PORT=${ALDER_ECHO_TLS_PORT})
    _alder_time_modes("" modes)
    foreach(mode IN LISTS modes)
        set(test_name ${image})
        if(NOT mode STREQUAL "-")
            set(test_name ${image}.${mode})
        endif()
        set_tests_properties(${test_name} PROPERTIES FIXTURES_REQUIRED echo_server RESOURCE_LOCK echo_server)
    endforeach()
endfunction()
