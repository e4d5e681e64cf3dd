# alder_provision tests, for a host build (the top-level CMakeLists.txt includes this after
# cmake/alder_host_tools.cmake, which builds the tool): the test certificates as a fixture, then one ctest test per
# case of test/provision_test.sh, each in its own temporary store. It must never use a store it did not make.
if(NOT TARGET alder_pkcs11)
    message(STATUS "alder_provision tests: not registered (no libalder_pkcs11.so in this build)")
    return()
endif()
find_program(ALDER_OPENSSL openssl)
find_program(ALDER_PKCS11_TOOL pkcs11-tool)
if(NOT ALDER_OPENSSL OR NOT ALDER_PKCS11_TOOL)
    message(WARNING "alder_provision tests: openssl or pkcs11-tool not found; not registered "
                    "(tools/install-deps.sh host installs them)")
    return()
endif()
# As tools/echo_server/tests.cmake: the fallback covers a subdirectory having included alder_host_tools.cmake first.
set(_provision_exe "${ALDER_HOST_TOOLS_DIR}/provision/alder_provision")
if(NOT ALDER_HOST_TOOLS_DIR)
    set(_provision_exe "${CMAKE_BINARY_DIR}/host-tools/provision/alder_provision")
endif()

# The test CA and device certificates, made once per build tree (make_certs.sh does nothing when they are current).
set(_provision_certs "${CMAKE_BINARY_DIR}/provision-certs")
add_test(NAME provision_certs COMMAND bash "${ALDER_ROOT}/tools/certs/make_certs.sh" "${_provision_certs}")
set_tests_properties(provision_certs PROPERTIES FIXTURES_SETUP provision_certs LABELS unit TIMEOUT 120)

# The tool drives its own build of the module; pkcs11-tool drives this build's libalder_pkcs11.so, and so does the
# tool when a case passes --module: the two builds must read each other's stores.
foreach(case usage import_ec import_rsa mismatch bad_inputs generate_csr)
    add_test(NAME provision_${case}
             COMMAND bash "${ALDER_ROOT}/tools/provision/test/provision_test.sh" ${case} "${_provision_exe}"
                     "${_provision_certs}" "${ALDER_OPENSSL}" "${ALDER_PKCS11_TOOL}" "$<TARGET_FILE:alder_pkcs11>")
    set_tests_properties(provision_${case} PROPERTIES FIXTURES_REQUIRED provision_certs LABELS unit TIMEOUT 120)
endforeach()
