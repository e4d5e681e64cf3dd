# Alder posix board: the simulator, a Linux x86-64 process whose main thread is the CPU.
# It must never add a source that a target board would need too: those belong to the kernel or libraries.
set(ALDER_PORT posix)
set(ALDER_HEAP first_fit)
set(ALDER_BOARD_SOURCES "")
# The Secure Sockets TCP transport: host sockets behind a simulated NIC (sockets_pal.c).
set(ALDER_BOARD_SOCKETS_SOURCES "${CMAKE_CURRENT_LIST_DIR}/sockets_pal.c")
# The TLS entropy hook (tls_pal.c: getrandom).
set(ALDER_BOARD_TLS_SOURCES "${CMAKE_CURRENT_LIST_DIR}/tls_pal.c")
# The PKCS#11 storage PAL (pkcs11_pal.c: a file per object under $ALDER_PKCS11_DIR, entropy from getrandom).
# Its file writes stall the simulated CPU for their few milliseconds, as a flash write stalls a real core.
set(ALDER_BOARD_PKCS11_SOURCES "${CMAKE_CURRENT_LIST_DIR}/pkcs11_pal.c")
set(ALDER_BOARD_TEST_SOURCES "${CMAKE_CURRENT_LIST_DIR}/board_test.c")
set(ALDER_BOARD_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}/include")
set(ALDER_BOARD_DEFAULT_CONFIG_DIR "${CMAKE_CURRENT_LIST_DIR}/config")
set(ALDER_BOARD_COMPILE_OPTIONS "")
# Never -static: the port tells the program's own code from glibc's by address (README.md).
set(ALDER_BOARD_LINK_OPTIONS "")
set(ALDER_BOARD_LINK_LIBS pthread)
set(ALDER_BOARD_RUN_PREFIX "")
set(ALDER_BOARD_TIME_MODES "real;virtual")
# Not in the common schema (proposed): extra valgrind options for this board's memcheck runs.
set(ALDER_BOARD_VALGRIND_OPTIONS "--suppressions=${CMAKE_CURRENT_LIST_DIR}/valgrind.supp")

# Qualification (make qualify): the groups this board must pass, and how many images run at once.
# Each image is one simulated CPU (one host thread busy at a time), so one per host core.
set(ALDER_BOARD_QUALIFY_GROUPS Kernel TCP PKCS11 CRYPTO TLS)
set(ALDER_BOARD_QUALIFY_NOT_APPLICABLE "")
