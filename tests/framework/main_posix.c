/* Alder test framework: main() of a test image on the posix simulator board.
 * It must never hold test logic: it picks the filter, starts the runner and returns its verdict. */
#include <stdlib.h>

#include "alder_test.h"

/* The filter is argv[1], else $ALDER_TEST_FILTER, so ctest and a developer's shell both work. */
int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : getenv("ALDER_TEST_FILTER");
    alder_test_start(filter);
    vTaskStartScheduler();
    return alder_test_exit_code();
}
