/* Alder qualification runner self-test: an image that passes, with one case ignored for a reason.
 * It must never fail: the runner must call this run good (the other images here are the broken ones). */
#include "alder_test.h"

TEST(RunnerCheck, Passes)
{
    TEST_ASSERT_EQ(4, 2 + 2);
}

TEST(RunnerCheck, IgnoredWithAReason)
{
    TEST_IGNORE("ignored on purpose: the report must show the reason");
}
