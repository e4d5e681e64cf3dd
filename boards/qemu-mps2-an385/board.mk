# Alder qemu-mps2-an385 board: what `make` needs beyond the generic configure/build/ctest.
# It must never hide a failure: a case that fails twice in a row fails the run.
#
# QEMU's clock follows the host's (no -icount in tests: tickless idle and the tick need real
# time), so on a loaded machine a case can lose a race with the tick that it never loses on
# quiet hardware; ctest runs a failed image once more, and its first failure stays in the log.
BOARD_CTEST_ARGS = --repeat until-pass:2 -j2
