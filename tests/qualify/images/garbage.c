/* Alder qualification runner self-test: a console that prints garbage (as a wrong baud rate would) among
 * otherwise good output. It must never fail a case: the runner must fail the run for the garbage alone. */
#include "alder_test.h"

TEST(RunnerCheck, PrintsGarbage)
{
    alder_test_print("\x01\x80\xfe\xff line noise\n");
    alder_test_print("TEST(Runner\n");
    TEST_ASSERT(1);
}
