/* Alder kernel tests (Kernel group): direct-to-task notifications, every action, index and ISR form.
 * It must never use anything but the public FreeRTOS API, alder_test.h and kernel_test.h. */
#include "kernel_test.h"

/*
 * Most cases notify the case's own task (legal in FreeRTOS) and read the result back without
 * blocking, so the notification state is all that is under test. The case task is fresh for
 * every case: its values start at 0 and nothing is pending.
 */

#define SELF xTaskGetCurrentTaskHandle()

static volatile uint32_t runs;
static volatile uint32_t received;
static volatile BaseType_t wait_result;

/* Reads the value the last wait returned, without changing anything. */
static uint32_t value_of(TaskHandle_t task, UBaseType_t index)
{
    return ulTaskNotifyValueClearIndexed(task, index, 0);
}

TEST(Kernel, NotifyFreshTaskHasNothingPending)
{
    uint32_t value = 123;
    for (UBaseType_t index = 0; index < configTASK_NOTIFICATION_ARRAY_ENTRIES; index++) {
        TEST_ASSERT_EQ(0, value_of(SELF, index));
        TEST_ASSERT_EQ(pdFALSE, xTaskNotifyStateClearIndexed(SELF, index));
        TEST_ASSERT_EQ(0, ulTaskNotifyTakeIndexed(index, pdTRUE, 0));
    }
    TEST_ASSERT_EQ(pdFALSE, xTaskNotifyWait(0, 0, &value, 0));
}

TEST(Kernel, NotifyGiveCountsAndTakeDecrements)
{
    for (int i = 0; i < 3; i++) {
        TEST_ASSERT_EQ(pdPASS, xTaskNotifyGive(SELF));
    }
    /* Take returns the count before it is decremented. */
    TEST_ASSERT_EQ(3, ulTaskNotifyTake(pdFALSE, 0));
    TEST_ASSERT_EQ(2, ulTaskNotifyTake(pdFALSE, 0));
    TEST_ASSERT_EQ(1, ulTaskNotifyTake(pdFALSE, 0));
    TEST_ASSERT_EQ(0, ulTaskNotifyTake(pdFALSE, 0));
}

TEST(Kernel, NotifyTakeWithClearReturnsWholeCount)
{
    for (int i = 0; i < 3; i++) {
        (void)xTaskNotifyGive(SELF);
    }
    TEST_ASSERT_EQ(3, ulTaskNotifyTake(pdTRUE, 0));
    TEST_ASSERT_EQ(0, ulTaskNotifyTake(pdTRUE, 0));
    TEST_ASSERT_EQ(0, value_of(SELF, 0));
}

static void take_task(void *unused)
{
    (void)unused;
    for (;;) {
        received = ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
        runs++;
    }
}

TEST(Kernel, NotifyTakeBlocksUntilGiven)
{
    runs = 0;
    received = 0;
    TaskHandle_t task = test_task_create(take_task, "kt_take", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(0, runs);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    (void)xTaskNotifyGive(task);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_EQ(1, received);
    kt_delete(task);
}

TEST(Kernel, NotifyTakeTimesOut)
{
    const TickType_t start = kt_align_to_tick();
    TEST_ASSERT_EQ(0, ulTaskNotifyTake(pdTRUE, 4));
    TEST_ASSERT_RANGE(4, 4 + KT_SLACK, kt_ticks_since(start));
}

/* ---- the actions ---- */

TEST(Kernel, NotifySetBitsOrsIntoValue)
{
    uint32_t value = 0;
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 0x01, eSetBits));
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 0x10, eSetBits));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(0x11, value);
}

TEST(Kernel, NotifyIncrementAddsOne)
{
    uint32_t value = 0;
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 0x55, eIncrement)); /* the value argument is unused */
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 0, eIncrement));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(2, value);
}

TEST(Kernel, NotifyOverwriteReplacesPendingValue)
{
    uint32_t value = 0;
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 5, eSetValueWithOverwrite));
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 9, eSetValueWithOverwrite));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(9, value);
}

TEST(Kernel, NotifyWithoutOverwriteFailsWhilePending)
{
    uint32_t value = 0;
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 5, eSetValueWithoutOverwrite));
    TEST_ASSERT_EQ(pdFAIL, xTaskNotify(SELF, 9, eSetValueWithoutOverwrite));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(5, value);
    /* Once received, nothing is pending and the next one succeeds. */
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 7, eSetValueWithoutOverwrite));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(7, value);
}

TEST(Kernel, NotifyNoActionOnlyMarksPending)
{
    uint32_t value = 0;
    (void)xTaskNotify(SELF, 42, eSetValueWithOverwrite);
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(pdFALSE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(SELF, 7, eNoAction));
    value = 0;
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(42, value);
}

TEST(Kernel, NotifyAndQueryReturnsPreviousValue)
{
    uint32_t previous = 0;
    uint32_t value = 0;
    (void)xTaskNotify(SELF, 3, eSetValueWithOverwrite);
    TEST_ASSERT_EQ(pdPASS, xTaskNotifyAndQuery(SELF, 4, eSetBits, &previous));
    TEST_ASSERT_EQ(3, previous);
    TEST_ASSERT_EQ(pdPASS, xTaskNotifyAndQueryIndexed(SELF, 1, 8, eSetValueWithOverwrite, &previous));
    TEST_ASSERT_EQ(0, previous);
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(7, value);
    /* Even a failed eSetValueWithoutOverwrite reports the value it found. */
    TEST_ASSERT_EQ(pdFAIL, xTaskNotifyAndQueryIndexed(SELF, 1, 9, eSetValueWithoutOverwrite, &previous));
    TEST_ASSERT_EQ(8, previous);
}

/* ---- waiting: the clear masks ---- */

TEST(Kernel, NotifyWaitClearsOnEntryOnlyWhenNothingPending)
{
    uint32_t value = 0;
    (void)xTaskNotify(SELF, 0xF0, eSetBits);
    /* Pending: the entry mask must not touch the value that is waiting to be received. */
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0xFF, 0, &value, 0));
    TEST_ASSERT_EQ(0xF0, value);
    /* Nothing pending now: the entry mask applies, even though the wait times out. */
    TEST_ASSERT_EQ(pdFALSE, xTaskNotifyWait(0x30, 0, &value, 0));
    TEST_ASSERT_EQ(0xC0, value_of(SELF, 0));
    (void)xTaskNotify(SELF, 0x01, eSetBits);
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(0xC1, value);
}

TEST(Kernel, NotifyWaitClearsOnExitAfterReporting)
{
    uint32_t value = 0;
    (void)xTaskNotify(SELF, 0xFF, eSetValueWithOverwrite);
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0x0F, &value, 0));
    TEST_ASSERT_EQ(0xFF, value); /* the value as it was, before the exit mask */
    TEST_ASSERT_EQ(0xF0, value_of(SELF, 0));
}

TEST(Kernel, NotifyWaitTimeoutSkipsExitClear)
{
    uint32_t value = 0;
    (void)xTaskNotify(SELF, 0xF0, eSetValueWithOverwrite);
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    const TickType_t start = kt_align_to_tick();
    value = 0;
    TEST_ASSERT_EQ(pdFALSE, xTaskNotifyWait(0, 0xFF, &value, 2));
    TEST_ASSERT_RANGE(2, 2 + KT_SLACK, kt_ticks_since(start));
    TEST_ASSERT_EQ(0xF0, value);
    TEST_ASSERT_EQ(0xF0, value_of(SELF, 0));
}

static void wait_task(void *unused)
{
    uint32_t value = 0;
    (void)unused;
    for (;;) {
        wait_result = xTaskNotifyWait(0, 0xFFFFFFFFu, &value, portMAX_DELAY);
        received = value;
        runs++;
    }
}

TEST(Kernel, NotifyWaitWakesBlockedTask)
{
    runs = 0;
    TaskHandle_t task = test_task_create(wait_task, "kt_wait", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(0, runs);
    TEST_ASSERT_EQ(pdPASS, xTaskNotify(task, 0xAB, eSetValueWithOverwrite));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_EQ(pdTRUE, wait_result);
    TEST_ASSERT_EQ(0xAB, received);
    TEST_ASSERT_EQ(0, value_of(task, 0)); /* its exit mask cleared everything */
    kt_delete(task);
}

/* ---- indexes ---- */

#if configTASK_NOTIFICATION_ARRAY_ENTRIES >= 3
TEST(Kernel, NotifyIndexesAreIndependent)
{
    uint32_t value = 0;
    TEST_ASSERT_EQ(pdPASS, xTaskNotifyIndexed(SELF, 0, 10, eSetValueWithOverwrite));
    TEST_ASSERT_EQ(pdPASS, xTaskNotifyIndexed(SELF, 1, 20, eSetValueWithOverwrite));
    TEST_ASSERT_EQ(pdPASS, xTaskNotifyIndexed(SELF, 2, 30, eSetValueWithOverwrite));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWaitIndexed(1, 0, 0xFFFFFFFFu, &value, 0));
    TEST_ASSERT_EQ(20, value);
    TEST_ASSERT_EQ(0, value_of(SELF, 1));
    TEST_ASSERT_EQ(10, value_of(SELF, 0));
    TEST_ASSERT_EQ(30, value_of(SELF, 2));
    /* Index 1 was received; 0 and 2 are still pending. */
    TEST_ASSERT_EQ(pdFALSE, xTaskNotifyWaitIndexed(1, 0, 0, &value, 0));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyStateClearIndexed(SELF, 0));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWaitIndexed(2, 0, 0, &value, 0));
    TEST_ASSERT_EQ(30, value);
    TEST_ASSERT_EQ(pdPASS, xTaskNotifyGiveIndexed(SELF, 2));
    TEST_ASSERT_EQ(31, ulTaskNotifyTakeIndexed(2, pdTRUE, 0));
    TEST_ASSERT_EQ(10, value_of(SELF, 0));
    TEST_ASSERT_EQ(0, ulTaskNotifyTakeIndexed(1, pdTRUE, 0));
}

static void take_index1_task(void *unused)
{
    (void)unused;
    for (;;) {
        received = ulTaskNotifyTakeIndexed(1, pdTRUE, portMAX_DELAY);
        runs++;
    }
}

TEST(Kernel, NotifyOtherIndexDoesNotWakeWaiter)
{
    runs = 0;
    TaskHandle_t task = test_task_create(take_index1_task, "kt_idx1", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    (void)xTaskNotifyGiveIndexed(task, 0);
    (void)xTaskNotifyIndexed(task, 2, 0x4, eSetBits);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(0, runs);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    (void)xTaskNotifyGiveIndexed(task, 1);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_EQ(1, received);
    /* The other two are still pending on it, untouched. */
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyStateClearIndexed(task, 0));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyStateClearIndexed(task, 2));
    TEST_ASSERT_EQ(1, value_of(task, 0));
    TEST_ASSERT_EQ(0x4, value_of(task, 2));
    kt_delete(task);
}
#endif

TEST(Kernel, NotifyIndexOutOfRangeAsserts)
{
    TEST_EXPECT_ASSERT((void)xTaskNotifyGiveIndexed(SELF, configTASK_NOTIFICATION_ARRAY_ENTRIES));
    TEST_EXPECT_ASSERT((void)ulTaskNotifyTakeIndexed(configTASK_NOTIFICATION_ARRAY_ENTRIES, pdTRUE, 0));
    TEST_ASSERT_EQ(0, value_of(SELF, 0));
}

/* ---- clearing ---- */

TEST(Kernel, NotifyStateClearKeepsValue)
{
    uint32_t value = 0;
    (void)xTaskNotify(SELF, 0x5A, eSetValueWithOverwrite);
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyStateClear(SELF));
    TEST_ASSERT_EQ(pdFALSE, xTaskNotifyStateClear(NULL)); /* NULL is the calling task */
    TEST_ASSERT_EQ(pdFALSE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(0x5A, value_of(SELF, 0));
}

TEST(Kernel, NotifyValueClearReturnsValueBeforeClearing)
{
    (void)xTaskNotify(SELF, 0xFF, eSetValueWithOverwrite);
    TEST_ASSERT_EQ(0xFF, ulTaskNotifyValueClear(SELF, 0x0F));
    TEST_ASSERT_EQ(0xF0, ulTaskNotifyValueClear(NULL, 0xFFFFFFFFu));
    TEST_ASSERT_EQ(0, ulTaskNotifyValueClear(NULL, 0));
    /* Clearing the value leaves the notification pending. */
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyStateClear(SELF));
}

/* ---- from an ISR ---- */

struct isr_notify {
    TaskHandle_t task;
    UBaseType_t index;
    uint32_t value;
    eNotifyAction action;
    BaseType_t result;
    BaseType_t woken;
    uint32_t previous;
};

static void notify_in_isr(void *arg)
{
    struct isr_notify *op = arg;
    op->woken = pdFALSE;
    op->result =
        xTaskNotifyAndQueryIndexedFromISR(op->task, op->index, op->value, op->action, &op->previous, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

static void give_in_isr(void *arg)
{
    struct isr_notify *op = arg;
    op->woken = pdFALSE;
    if (op->index == 0) {
        vTaskNotifyGiveFromISR(op->task, &op->woken);
    } else {
        vTaskNotifyGiveIndexedFromISR(op->task, op->index, &op->woken);
    }
    portYIELD_FROM_ISR(op->woken);
}

TEST(Kernel, NotifyGiveFromIsrSwitchesToWokenTask)
{
    runs = 0;
    TaskHandle_t task = test_task_create(take_task, "kt_isrtake", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    struct isr_notify op = {.task = task, .index = 0};
    test_run_in_isr(give_in_isr, &op);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    /* It ran when the ISR returned, before this line. */
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_EQ(1, received);
    kt_delete(task);
}

TEST(Kernel, NotifyFromIsrToLowerTaskNeedsNoSwitch)
{
    runs = 0;
    TaskHandle_t task = test_task_create(wait_task, "kt_isrlow", KT_STACK, NULL, KT_LOW);
    TEST_ASSERT_EQ(eBlocked, kt_wait_for_state(task, eBlocked)); /* let it block in its wait */
    struct isr_notify op = {.task = task, .index = 0, .value = 5, .action = eSetValueWithOverwrite};
    test_run_in_isr(notify_in_isr, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    TEST_ASSERT_EQ(pdFALSE, op.woken);
    TEST_ASSERT_EQ(0, runs);
    TEST_ASSERT_EQ(eReady, eTaskGetState(task));
    TEST_ASSERT_EQ(1, kt_wait_for_value(&runs, 1));
    TEST_ASSERT_EQ(5, received);
    kt_delete(task);
}

TEST(Kernel, NotifyFromIsrWithoutOverwriteFailsWhilePending)
{
    uint32_t value = 0;
    struct isr_notify op = {.task = SELF, .index = 0, .value = 1, .action = eSetValueWithoutOverwrite};
    test_run_in_isr(notify_in_isr, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    TEST_ASSERT_EQ(pdFALSE, op.woken); /* we are running: nothing to wake */
    op.value = 2;
    test_run_in_isr(notify_in_isr, &op);
    TEST_ASSERT_EQ(pdFAIL, op.result);
    TEST_ASSERT_EQ(1, op.previous);
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyWait(0, 0, &value, 0));
    TEST_ASSERT_EQ(1, value);
}

TEST(Kernel, NotifyFromIsrEveryActionAndIndex)
{
    struct isr_notify op = {.task = SELF, .index = 1, .value = 0x3, .action = eSetBits};
    test_run_in_isr(notify_in_isr, &op);
    op.value = 0x4;
    test_run_in_isr(notify_in_isr, &op);
    TEST_ASSERT_EQ(0x3, op.previous);
    op.action = eIncrement;
    test_run_in_isr(notify_in_isr, &op);
    TEST_ASSERT_EQ(0x8, value_of(SELF, 1));
    op.action = eNoAction;
    op.value = 0x99;
    test_run_in_isr(notify_in_isr, &op);
    TEST_ASSERT_EQ(0x8, value_of(SELF, 1));
    op.index = configTASK_NOTIFICATION_ARRAY_ENTRIES - 1;
    test_run_in_isr(give_in_isr, &op);
    test_run_in_isr(give_in_isr, &op);
    TEST_ASSERT_EQ(2, ulTaskNotifyTakeIndexed(configTASK_NOTIFICATION_ARRAY_ENTRIES - 1, pdTRUE, 0));
    TEST_ASSERT_EQ(0, value_of(SELF, 0));
    TEST_ASSERT_EQ(pdFALSE, xTaskNotifyStateClearIndexed(SELF, 0));
    TEST_ASSERT_EQ(pdTRUE, xTaskNotifyStateClearIndexed(SELF, 1));
}

/* ---- where waiting is illegal ---- */

static volatile int isr_take_fired;
static volatile int isr_wait_fired;

static void wait_in_isr(void *unused)
{
    uint32_t value = 0;
    (void)unused;
    KT_CAPTURE_ASSERT((void)ulTaskNotifyTake(pdTRUE, 5), isr_take_fired);
    KT_CAPTURE_ASSERT((void)xTaskNotifyWait(0, 0, &value, 5), isr_wait_fired);
}

TEST(Kernel, NotifyWaitInIsrAsserts)
{
    isr_take_fired = 0;
    isr_wait_fired = 0;
    test_run_in_isr(wait_in_isr, NULL);
    TEST_ASSERT(isr_take_fired);
    TEST_ASSERT(isr_wait_fired);
}

TEST(Kernel, NotifyWaitWithSchedulerSuspendedAsserts)
{
    volatile int take_fired;
    volatile int wait_fired;
    volatile int zero_fired;
    volatile uint32_t zero_result = 99;
    uint32_t value = 0;
    vTaskSuspendAll();
    KT_CAPTURE_ASSERT((void)ulTaskNotifyTake(pdTRUE, 5), take_fired);
    KT_CAPTURE_ASSERT((void)xTaskNotifyWaitIndexed(1, 0, 0, &value, 5), wait_fired);
    /* Not blocking is allowed: a zero time-out only polls. */
    KT_CAPTURE_ASSERT(zero_result = ulTaskNotifyTake(pdTRUE, 0), zero_fired);
    (void)xTaskResumeAll();
    TEST_ASSERT(take_fired);
    TEST_ASSERT(wait_fired);
    TEST_ASSERT(!zero_fired);
    TEST_ASSERT_EQ(0, zero_result);
}
