/* Alder qualification runner self-test: an image that runs to its end with one failing case.
 * It must never do anything else wrong: the runner must report the case, with its file and line. */
#include "alder_test.h"

TEST(RunnerCheck, Passes)
{
    TEST_ASSERT(1);
}

TEST(RunnerCheck, FailsOnPurpose)
{
    TEST_ASSERT_EQ(3, 1 + 1);
}
