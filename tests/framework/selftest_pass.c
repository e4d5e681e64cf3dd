/* Alder test framework self-test: cases that must pass, proving the helpers do what they promise.
 * It must never test the kernel itself: only the framework's own behaviour. */
#include "alder_test.h"

static volatile int isr_ran;
static volatile int isr_saw_interrupt_context;
static volatile int helper_runs;

TEST(FrameworkPass, AssertionsAcceptCorrectValues)
{
    static const unsigned char bytes[] = {1, 2, 3};
    unsigned char copy[] = {1, 2, 3};
    int value = 7;
    TEST_ASSERT(value == 7);
    TEST_ASSERT_EQ(7, value);
    TEST_ASSERT_EQ(-1, (long long)-1);
    TEST_ASSERT_NE(8, value);
    TEST_ASSERT_RANGE(7, 9, value);
    TEST_ASSERT_PTR_EQ(&value, &value);
    TEST_ASSERT_NULL(NULL);
    TEST_ASSERT_NOT_NULL(&value);
    TEST_ASSERT_MEM_EQ(bytes, copy, sizeof copy);
    TEST_ASSERT_STR_EQ("alder", "alder");
}

TEST(FrameworkPass, CompareHelpers)
{
    TEST_ASSERT_EQ((size_t)-1, alder_test_mem_diff("abc", "abc", 3));
    TEST_ASSERT_EQ(1, alder_test_mem_diff("abc", "axc", 3));
    TEST_ASSERT_EQ(0, alder_test_str_diff(NULL, NULL));
    TEST_ASSERT_NE(0, alder_test_str_diff("a", NULL));
    TEST_ASSERT_NE(0, alder_test_str_diff("a", "ab"));
}

TEST(FrameworkPass, CaseRunsInItsOwnTaskAtCasePriority)
{
    TEST_ASSERT_EQ(TEST_CASE_PRIORITY, uxTaskPriorityGet(NULL));
    TEST_ASSERT_EQ(taskSCHEDULER_RUNNING, xTaskGetSchedulerState());
}

TEST(FrameworkPass, ExpectedAssertIsCaughtAndTheCaseGoesOn)
{
    volatile int reached = 0;
    TEST_EXPECT_ASSERT(configASSERT(reached == 1));
    reached = 1;
    TEST_EXPECT_ASSERT(configASSERT(reached == 0));
    TEST_ASSERT_EQ(1, reached);
}

static void isr_body(void *arg)
{
    isr_saw_interrupt_context = portIS_INSIDE_INTERRUPT() != 0;
    TEST_EXPECT_ASSERT(configASSERT(arg == NULL));
    isr_ran = 1;
}

TEST(FrameworkPass, IsrBodyRunsInInterruptContext)
{
    int token = 1;
    isr_ran = 0;
    test_run_in_isr(isr_body, &token);
    TEST_ASSERT_EQ(1, isr_ran);
    TEST_ASSERT_EQ(1, isr_saw_interrupt_context);
    TEST_ASSERT_EQ(0, portIS_INSIDE_INTERRUPT());
}

static void blocking_helper(void *arg)
{
    (void)arg;
    helper_runs++;
    for (;;) {
        vTaskDelay(portMAX_DELAY);
    }
}

/* The helper is never deleted here: the leak check would fail the case if the runner did not. */
TEST(FrameworkPass, HelperTasksAreDeletedByTheRunner)
{
    helper_runs = 0;
    UBaseType_t before = uxTaskGetNumberOfTasks();
    for (int i = 0; i < 3; i++) {
        TaskHandle_t task =
            test_task_create(blocking_helper, "helper", configMINIMAL_STACK_SIZE, NULL, TEST_CASE_PRIORITY + 1);
        TEST_ASSERT_NOT_NULL(task);
    }
    TEST_ASSERT_EQ(3, helper_runs);
    TEST_ASSERT_EQ(before + 3, uxTaskGetNumberOfTasks());
}

static void self_deleting_helper(void *arg)
{
    (void)arg;
    helper_runs++;
    vTaskDelete(NULL);
}

TEST(FrameworkPass, HelperThatDeletesItselfIsForgotten)
{
    helper_runs = 0;
    TaskHandle_t task =
        test_task_create(self_deleting_helper, "selfdel", configMINIMAL_STACK_SIZE, NULL, TEST_CASE_PRIORITY + 1);
    test_task_forget(task);
    TEST_ASSERT_EQ(1, helper_runs);
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(FrameworkPass, AllowedHeapChangeIsNotALeak)
{
    void *kept = pvPortMalloc(40);
    TEST_ASSERT_NOT_NULL(kept);
    test_allow_heap_change();
}

TEST(FrameworkPass, FreedMemoryIsNotALeak)
{
    void *block = pvPortMalloc(64);
    TEST_ASSERT_NOT_NULL(block);
    vPortFree(block);
}
#endif

TEST(FrameworkPass, RandomIsXorshift32)
{
    uint32_t state = 1;
    TEST_ASSERT_EQ(270369u, test_random(&state));
    TEST_ASSERT_EQ(270369u, state);
    uint32_t a = 99, b = 99;
    for (int i = 0; i < 100; i++) {
        TEST_ASSERT_EQ(test_random(&a), test_random(&b));
        TEST_ASSERT_NE(0, a);
    }
}

TEST(FrameworkPass, CaseMayBlockAndChangeItsPriority)
{
    TickType_t start = xTaskGetTickCount();
    vTaskDelay(3);
    TEST_ASSERT(xTaskGetTickCount() - start >= 3);
    vTaskPrioritySet(NULL, tskIDLE_PRIORITY + 1);
    TEST_ASSERT_EQ(tskIDLE_PRIORITY + 1, uxTaskPriorityGet(NULL));
}
