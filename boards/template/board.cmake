# Alder template board: what a vendor copies to start a board; every variable a board sets, each explained.
# It must never name a real part's files: it builds on the host so that the unported template runs and says what is missing.
#
# cmake/alder.cmake reads this file (alder_load_board). Paths are relative to this directory
# through CMAKE_CURRENT_LIST_DIR, so the board works from any build directory.

# The kernel port: a directory kernel/port/<ALDER_PORT>/ (portmacro.h, port.c...). Required.
# Use an existing port when your CPU has one (armv7m for Cortex-M3/M4 without FPU); otherwise copy
# kernel/port/template to kernel/port/<arch> and name that. With an existing port, the board's
# template_not_implemented() calls need kernel/port/template/not_implemented.{c,h} copied here
# (and not_implemented.c added to ALDER_BOARD_SOURCES) until the last one is gone.
set(ALDER_PORT template)

# The kernel heap: kernel/heap/heap_<ALDER_HEAP>.c. Required. first_fit frees and coalesces in one
# region (the usual choice); bump never frees; regions spans several RAM blocks
# (vPortDefineHeapRegions, called by your startup code before the first allocation).
set(ALDER_HEAP first_fit)

# The board's own code, linked (as objects, so nothing is dropped) into every image: reset path,
# console, run-time statistics counter, and later the drivers of its porting interfaces.
set(ALDER_BOARD_SOURCES
    "${CMAKE_CURRENT_LIST_DIR}/startup.c"
    "${CMAKE_CURRENT_LIST_DIR}/console.c"
    "${CMAKE_CURRENT_LIST_DIR}/run_time.c")

# Linked into test images only: the test framework's hooks (board_test_trigger_interrupt,
# board_test_finish).
set(ALDER_BOARD_TEST_SOURCES "${CMAKE_CURRENT_LIST_DIR}/board_test.c")

# Include directories every kernel build sees: board_config.h and the board's own headers.
set(ALDER_BOARD_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}/include")

# The directory of the board's default FreeRTOSConfig.h (alder::rtos, applications that do not
# bring their own). Required.
set(ALDER_BOARD_DEFAULT_CONFIG_DIR "${CMAKE_CURRENT_LIST_DIR}/config")

# Extra compile options for the kernel, the board and everything linked with them. CPU flags
# (-mcpu, -mfloat-abi) belong in toolchain.cmake instead, so that the compiler probe and the C
# library choice see them too. Empty on the host.
set(ALDER_BOARD_COMPILE_OPTIONS "")

# Link options of every image. A real board puts its linker script and start-file choices here,
# for example:
#   "-T${CMAKE_CURRENT_LIST_DIR}/<part>.ld" -nostartfiles --specs=nano.specs "LINKER:--gc-sections"
#   "LINKER:-Map=$<TARGET_PROPERTY:NAME>.map"
# Empty on the host: the host's C runtime is the reset path (see startup.c).
set(ALDER_BOARD_LINK_OPTIONS "")

# Libraries every image links (a vendor HAL archive, say). Empty here.
set(ALDER_BOARD_LINK_LIBS "")

# How an image runs: a command that takes the image path as its LAST argument, puts the image on
# the device, and whose standard output is the device's console. ctest, `make demo` and
# `make qualify` all run images through it. Empty means "run the image as a host program", which
# is what the template does. A real board points at a script that flashes the image and then
# copies the serial console to standard output until it is killed (the runner kills it when the
# test output ends); run.sh.example in this directory is one to start from:
#   set(ALDER_BOARD_RUN_PREFIX "${CMAKE_CURRENT_LIST_DIR}/run.sh")
# A board under an emulator names the emulator instead (boards/qemu-mps2-an385 uses qemu-system-arm).
set(ALDER_BOARD_RUN_PREFIX "")

# Time modes of the simulator (posix: "real;virtual"): each test runs once per mode with
# ALDER_TIME=<mode>. Hardware runs in real time only, and needs no mode at all: leave it empty.
set(ALDER_BOARD_TIME_MODES "")

# ON when one image cannot hold the whole Kernel test group (it is over 140 KB on Cortex-M3):
# kernel/test/CMakeLists.txt then builds one image per test file. Turn it on when the link fails
# for lack of program memory.
set(ALDER_BOARD_SPLIT_TEST_IMAGES OFF)

# Qualification (`make qualify BOARD=<board>`): the groups this board must pass, and for each
# group that does not apply, "Group: reason" (a list). Kernel is the one group every board runs;
# every group of tests/qualification_groups.cmake must appear in exactly one of the two lists.
# The Secure Sockets TCP transport (docs/porting/sockets.md): your network stack or coprocessor behind
# sockets_pal.h. A board that reaches the cloud another way lists TCP in ALDER_BOARD_QUALIFY_NOT_APPLICABLE.
set(ALDER_BOARD_SOCKETS_SOURCES "${CMAKE_CURRENT_LIST_DIR}/sockets_pal.c")
# TLS (docs/porting/tls.md): the entropy source mbedTLS draws on.
set(ALDER_BOARD_TLS_SOURCES "${CMAKE_CURRENT_LIST_DIR}/tls_pal.c")
# PKCS#11 (docs/porting/pkcs11.md): the key store on your flash and a TRNG, behind pkcs11_pal.h. The groups
# PKCS11 and CRYPTO run the module over it; a board without mbedTLS for its CPU declares both not applicable.
set(ALDER_BOARD_PKCS11_SOURCES "${CMAKE_CURRENT_LIST_DIR}/pkcs11_pal.c")
set(ALDER_BOARD_QUALIFY_GROUPS Kernel TCP PKCS11 CRYPTO TLS)
set(ALDER_BOARD_QUALIFY_NOT_APPLICABLE "")

# How the qualification runner treats the run command (defaults in cmake/alder_qualify.cmake).
# ON: the command ends by itself with the image's status (a host program, QEMU with semihosting).
# OFF: it streams the console until killed (run.sh.example); the runner stops it after the summary.
set(ALDER_BOARD_RUN_EXITS ON)
# Images run at once: 0 means one per host CPU. A board with one device attached must say 1.
set(ALDER_BOARD_QUALIFY_JOBS 0)
# Seconds until an image's first byte (count the flashing in), and seconds of silence after
# which a run counts as hung.
set(ALDER_BOARD_QUALIFY_START_TIMEOUT 30)
set(ALDER_BOARD_QUALIFY_IDLE_TIMEOUT 60)
