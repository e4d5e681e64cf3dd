/* Alder test framework self-test: cases that must fail, be ignored or time out, each in a known way.
 * It must never be run as a plain pass/fail test: a ctest check compares its output line by line. */
#include "alder_test.h"

TEST(FrameworkFail, AssertEqReportsBothValues)
{
    int two = 2;
    TEST_ASSERT_EQ(1, two);
}

TEST(FrameworkFail, FirstFailureEndsTheCase)
{
    TEST_FAIL("first %d", 7);
    TEST_FAIL("second");
}

TEST(FrameworkFail, IgnoreGivesTheReason)
{
    TEST_IGNORE("not on this board");
}

TEST(FrameworkFail, HungCaseTimesOut)
{
    for (;;) {
        vTaskDelay(portMAX_DELAY);
    }
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(FrameworkFail, LeakIsDetected)
{
    TEST_ASSERT_NOT_NULL(pvPortMalloc(48));
}
#endif

TEST(FrameworkFail, UnexpectedConfigAssertFails)
{
    volatile int zero = 0;
    configASSERT(zero == 1);
    TEST_FAIL("went on after configASSERT");
}

TEST(FrameworkFail, MissingExpectedAssertFails)
{
    volatile int zero = 0;
    TEST_EXPECT_ASSERT(zero++);
}

static void failing_helper(void *arg)
{
    (void)arg;
    TEST_FAIL("from helper");
}

TEST(FrameworkFail, FailureInHelperTaskEndsTheCase)
{
    (void)test_task_create(failing_helper, "failer", configMINIMAL_STACK_SIZE * 2, NULL, TEST_CASE_PRIORITY - 1);
    for (;;) {
        vTaskDelay(portMAX_DELAY);
    }
}

static void failing_isr(void *arg)
{
    TEST_FAIL("from isr %u", *(unsigned *)arg);
}

TEST(FrameworkFail, FailureInIsrEndsTheCase)
{
    unsigned code = 5;
    test_run_in_isr(failing_isr, &code);
    TEST_FAIL("went on after the isr failed");
}

TEST(FrameworkFail, StrEqShowsBothStrings)
{
    TEST_ASSERT_STR_EQ("abc", "abd");
}

TEST(FrameworkFail, MemEqShowsTheOffset)
{
    static const unsigned char a[] = {1, 2, 3, 4};
    static const unsigned char b[] = {1, 2, 9, 4};
    TEST_ASSERT_MEM_EQ(a, b, sizeof a);
}

TEST(FrameworkFail, MessageFormatting)
{
    TEST_FAIL("[%5d|%-4s|%04x|%lld|%zu|%c|%%|%lu]", -42, "ab", 0x2au, -1234567890123LL, (size_t)77, 'z', 4000000000ul);
}

TEST(FrameworkFail, RangeShowsTheBounds)
{
    TEST_ASSERT_RANGE(1, 3, 4);
}

TEST(FrameworkFail, RunnerGoesOnAfterFailures)
{
    TEST_ASSERT(1);
}
