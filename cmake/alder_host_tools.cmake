# Alder host tools inside a board build: tools/ (alder_qualify, later the echo server) built with the host's
# compiler as an external project, so that a cross-compiling board build has them too.
# It must never pass the board's toolchain on: these programs run on the build machine.

include_guard(GLOBAL)
include(ExternalProject)

# Cache variables: the include guard makes this file run once, in whichever directory includes it first.
set(ALDER_HOST_TOOLS_DIR "${CMAKE_BINARY_DIR}/host-tools" CACHE INTERNAL "")
set(ALDER_QUALIFY_EXE "${ALDER_HOST_TOOLS_DIR}/qualify/alder_qualify" CACHE INTERNAL "")

# The host's own compiler: the board build's CMAKE_C_COMPILER may be a cross compiler.
find_program(ALDER_HOST_CC NAMES cc gcc clang REQUIRED)

ExternalProject_Add(alder_host_tools
    SOURCE_DIR "${ALDER_ROOT}/tools"
    BINARY_DIR "${ALDER_HOST_TOOLS_DIR}"
    CMAKE_ARGS -DCMAKE_C_COMPILER=${ALDER_HOST_CC} -DCMAKE_BUILD_TYPE=RelWithDebInfo
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    BUILD_BYPRODUCTS "${ALDER_QUALIFY_EXE}" "${ALDER_HOST_TOOLS_DIR}/qualify/qualify_unit_tests"
                     "${ALDER_HOST_TOOLS_DIR}/echo_server/echo_server"
                     "${ALDER_HOST_TOOLS_DIR}/provision/alder_provision")
