# Alder qemu-mps2-an385 board: QEMU's MPS2 AN385 (Cortex-M3, 25 MHz), held to the minimum device's 128 KB image and 64 KB RAM.
# It must never add a source that another Cortex-M board would need too: that belongs to kernel/port/armv7m.
set(ALDER_PORT armv7m)
set(ALDER_HEAP first_fit)
set(ALDER_BOARD_SOURCES
    "${CMAKE_CURRENT_LIST_DIR}/startup.c"
    "${CMAKE_CURRENT_LIST_DIR}/console.c"
    "${CMAKE_CURRENT_LIST_DIR}/fault.c"
    "${CMAKE_CURRENT_LIST_DIR}/semihosting.c"
    "${CMAKE_CURRENT_LIST_DIR}/syscalls.c")
set(ALDER_BOARD_TEST_SOURCES "${CMAKE_CURRENT_LIST_DIR}/board_test.c")
set(ALDER_BOARD_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}/include")
set(ALDER_BOARD_DEFAULT_CONFIG_DIR "${CMAKE_CURRENT_LIST_DIR}/config")
# The CPU flags live in toolchain.cmake (they must reach every file, the C library's choice included).
set(ALDER_BOARD_COMPILE_OPTIONS "")
# No C start files: startup.c is the reset path. nano.specs: newlib-nano's small printf family;
# nosys.specs: stubs for the system calls syscalls.c does not define. A map file per image helps
# find what fills the 128 KB.
set(ALDER_BOARD_LINK_OPTIONS
    "-T${CMAKE_CURRENT_LIST_DIR}/mps2_an385.ld"
    -nostartfiles
    --specs=nano.specs
    --specs=nosys.specs
    "LINKER:--gc-sections"
    "LINKER:-Map=$<TARGET_PROPERTY:NAME>.map")
set(ALDER_BOARD_LINK_LIBS "")
# Semihosting ends the run with the image's status. Its two settings are given as two options (QEMU
# merges them) because a comma inside one list item breaks generator expressions such as $<JOIN>.
set(ALDER_BOARD_RUN_PREFIX
    qemu-system-arm -M mps2-an385 -cpu cortex-m3 -nographic
    -semihosting-config enable=on -semihosting-config target=native -kernel)
set(ALDER_BOARD_TIME_MODES "real")
# A test group that does not fit one 128 KB image is split, one image per test source file
# (the Kernel group alone is over 140 KB): kernel/test/CMakeLists.txt reads this.
set(ALDER_BOARD_SPLIT_TEST_IMAGES ON)
# This board's own tests (test/: the link limits) are added by the top-level CMakeLists.txt.

# Qualification (make qualify): the groups this board must pass. QEMU ends with the image's status
# (semihosting), so the runner checks that status against the output.
set(ALDER_BOARD_QUALIFY_GROUPS Kernel)
set(ALDER_BOARD_QUALIFY_NOT_APPLICABLE
    "TCP: no network transport on this board yet (a LAN9118 driver and an IP stack are needed)"
    "TLS: no TCP transport to run it over, and no mbedTLS build for Cortex-M3 yet"
    "PKCS11: the module needs mbedTLS, and Debian packages no mbedTLS for Cortex-M, so it cannot be built for this board yet (and the board has no storage PAL)"
    "CRYPTO: the module's cryptography is mbedTLS, and Debian packages no mbedTLS for Cortex-M, so it cannot be built for this board yet")
set(ALDER_BOARD_RUN_EXITS ON)
# QEMU's clock follows the host's, so on a loaded host a case can lose a race with the tick that it
# never loses on hardware (the same reason as board.mk's ctest retry). A failed image runs once more;
# the report lists it under "Retried images" with its first failure, so nothing is hidden.
set(ALDER_BOARD_QUALIFY_RETRIES 1)
