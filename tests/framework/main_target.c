/* Alder test framework: main() of a test image on a target board (no command line there).
 * It must never hold test logic: the board's board_test_finish() ends the run and reports the verdict. */
#include "alder_test.h"

/* A build may bake a filter in with -DALDER_TEST_FILTER="\"Group.\"". */
#ifndef ALDER_TEST_FILTER
#define ALDER_TEST_FILTER NULL
#endif

int main(void)
{
    alder_test_start(ALDER_TEST_FILTER);
    vTaskStartScheduler();
    /* Reached only when the scheduler could not start: say so, or the run just ends silently. */
    alder_test_print("FATAL the scheduler did not start (vTaskStartScheduler returned)\n");
    board_test_finish(1);
    for (;;) {
    }
}
