/* Alder kernel tests (Kernel group): delays, delay-until, aborting a wait, time-outs and the tick across its wrap.
 * It must never use anything but the public FreeRTOS API, alder_test.h and kernel_test.h. */
#include "kernel_test.h"
#include "queue.h"
#include "semphr.h"

/*
 * Exact tick counts are asserted only from a blocked start (after kt_align_to_tick), where the
 * kernel guarantees them: virtual time lands on the low bound, real time may be up to KT_SLACK
 * ticks late because the host did not run us at once.
 */

static volatile uint32_t phase;
static volatile TickType_t measured;
static volatile uint32_t order;
static volatile uint32_t done;
static TaskHandle_t volatile case_task;

/* ---- the tick count wrapping (images whose tick starts near its maximum) ----
 * The wrap must be reached while it is near: this file sorts first among the Kernel sources and
 * this case comes first in it, so it runs within the first second of the image. From there
 * xTaskCatchUpTicks brings the count close to the wrap, which costs the case part of the
 * runner's time limit (the runner times cases in ticks), hence the bound on the reach. */
#ifdef KT_EXPECT_TICK_WRAP
#define WRAP_REACH ((TickType_t)pdMS_TO_TICKS(TEST_CASE_TIMEOUT_MS / 2))
/* Wide enough that a host busy elsewhere for a while (real time) still starts us before the wrap. */
#define WRAP_MARGIN 100
#define WRAP_BEFORE 50 /* helper 0 wakes this long after starting: before the wrap */
#define WRAP_AFTER 150 /* helper 1: after the wrap */
#define WRAP_PERIOD 40 /* the delay-until helper: 5 periods, across the wrap */
#define WRAP_CASE 250  /* the case itself, outlasting all of them */

static volatile TickType_t wrap_start[3];
static volatile TickType_t wrap_woke[3];
static volatile TickType_t wrap_last;

static void wrap_delay_task(void *arg)
{
    const uintptr_t id = (uintptr_t)arg;
    wrap_start[id] = xTaskGetTickCount();
    vTaskDelay(id == 0 ? WRAP_BEFORE : WRAP_AFTER);
    wrap_woke[id] = xTaskGetTickCount();
    taskENTER_CRITICAL();
    order = order * 10u + (uint32_t)id + 1u;
    taskEXIT_CRITICAL();
    kt_park();
}

static void wrap_until_task(void *unused)
{
    (void)unused;
    TickType_t last = xTaskGetTickCount();
    wrap_start[2] = last;
    for (int period = 0; period < 5; period++) {
        (void)xTaskDelayUntil(&last, WRAP_PERIOD);
    }
    wrap_last = last;
    wrap_woke[2] = xTaskGetTickCount();
    kt_park();
}

TEST(Kernel, DelayAcrossTickWrapIsExact)
{
    const TickType_t to_wrap = (TickType_t)(0u - kt_align_to_tick());
    if (to_wrap <= WRAP_MARGIN + 2 || to_wrap > WRAP_REACH) {
        TEST_IGNORE("the tick count is not near its wrap (this case must run early in the image)");
    }
    (void)xTaskCatchUpTicks((TickType_t)(to_wrap - WRAP_MARGIN));
    order = 0;
    wrap_last = 0;
    vTaskPrioritySet(NULL, KT_HIGHER); /* the helpers start when we block */
    (void)test_task_create(wrap_delay_task, "kt_wrap0", KT_STACK, (void *)0, KT_HIGH);
    (void)test_task_create(wrap_delay_task, "kt_wrap1", KT_STACK, (void *)1, KT_HIGH);
    (void)test_task_create(wrap_until_task, "kt_wrapu", KT_STACK, NULL, KT_HIGH);
    const TickType_t start = kt_align_to_tick();
    vTaskDelay(WRAP_CASE);
    const TickType_t now = xTaskGetTickCount();
    TEST_ASSERT(now < start); /* the count did wrap */
    TEST_ASSERT_RANGE(WRAP_CASE, WRAP_CASE + KT_SLACK, (TickType_t)(now - start));
    TEST_ASSERT_EQ(12, order);
    TEST_ASSERT(wrap_woke[0] > wrap_start[0]); /* before the wrap */
    TEST_ASSERT(wrap_woke[1] < wrap_start[1]); /* after it */
    TEST_ASSERT_RANGE(WRAP_BEFORE, WRAP_BEFORE + KT_SLACK, (TickType_t)(wrap_woke[0] - wrap_start[0]));
    TEST_ASSERT_RANGE(WRAP_AFTER, WRAP_AFTER + KT_SLACK, (TickType_t)(wrap_woke[1] - wrap_start[1]));
    TEST_ASSERT_EQ((TickType_t)(wrap_start[2] + 5 * WRAP_PERIOD), wrap_last);
    TEST_ASSERT_RANGE(5 * WRAP_PERIOD, 5 * WRAP_PERIOD + KT_SLACK, (TickType_t)(wrap_woke[2] - wrap_start[2]));
}
#endif /* KT_EXPECT_TICK_WRAP */

TEST(Kernel, DelayBlocksForExactTicks)
{
    const TickType_t start = kt_align_to_tick();
    vTaskDelay(10);
    TEST_ASSERT_RANGE(10, 10 + KT_SLACK, kt_ticks_since(start));
    const TickType_t again = xTaskGetTickCount();
    vTaskDelay(pdMS_TO_TICKS(3 * 1000 / configTICK_RATE_HZ));
    TEST_ASSERT_RANGE(3, 3 + KT_SLACK, kt_ticks_since(again));
}

/* Counts its turns, yielding after each. */
static void turn_counter_task(void *unused)
{
    (void)unused;
    for (;;) {
        phase++;
        taskYIELD();
    }
}

TEST(Kernel, DelayZeroYieldsToEqualPriority)
{
    phase = 0;
    (void)test_task_create(turn_counter_task, "kt_equal", KT_STACK, NULL, TEST_CASE_PRIORITY);
    unsigned turns = 0;
    for (int round = 0; round < 5; round++) {
        const uint32_t before = phase;
        vTaskDelay(0);
        turns += phase > before ? 1u : 0u;
    }
    /* A time slice may take the CPU from it before it counts, at most once in so few rounds. */
    TEST_ASSERT(turns >= (configUSE_TIME_SLICING && configUSE_PREEMPTION ? 4u : 5u));
}

/* Delays for (uintptr_t)arg ticks, then appends its delay to `order` (as a digit pair). */
static void ordered_delay_task(void *arg)
{
    const TickType_t ticks = (TickType_t)(uintptr_t)arg;
    vTaskDelay(ticks);
    taskENTER_CRITICAL();
    order = order * 10u + (uint32_t)ticks;
    const uint32_t finished = ++done;
    taskEXIT_CRITICAL();
    if (finished == 3) {
        (void)xTaskNotifyGive(case_task);
    }
    kt_park();
}

TEST(Kernel, DelayWakesInDeadlineOrder)
{
    order = 0;
    done = 0;
    case_task = xTaskGetCurrentTaskHandle();
    vTaskPrioritySet(NULL, KT_HIGHER); /* they start together, when we block */
    /* Two ticks apart, so a tick between their starts cannot tie or swap two deadlines. */
    (void)test_task_create(ordered_delay_task, "kt_d6", KT_STACK, (void *)6, KT_HIGH);
    (void)test_task_create(ordered_delay_task, "kt_d2", KT_STACK, (void *)2, KT_HIGH);
    (void)test_task_create(ordered_delay_task, "kt_d4", KT_STACK, (void *)4, KT_HIGH);
    TEST_ASSERT_EQ(1, ulTaskNotifyTake(pdTRUE, 50));
    TEST_ASSERT_EQ(246, order);
}

TEST(Kernel, DelayUntilDoesNotDrift)
{
    TickType_t last = kt_align_to_tick();
    const TickType_t start = last;
    uint32_t seed = 0x1234567u;
    for (int period = 1; period <= 10; period++) {
        kt_spin_loops(test_random(&seed) % 500u); /* a little work each period, less than a tick */
        (void)xTaskDelayUntil(&last, 3);
        TEST_ASSERT_EQ((TickType_t)(start + 3 * period), last);
        TEST_ASSERT((TickType_t)(xTaskGetTickCount() - start) >= (TickType_t)(3 * period));
    }
    /* The work between periods did not push the schedule back. */
    TEST_ASSERT_RANGE(30, 30 + KT_SLACK, kt_ticks_since(start));
}

TEST(Kernel, DelayUntilReturnsTrueWhenItWaits)
{
    TickType_t last = kt_align_to_tick();
    const TickType_t start = last;
    TEST_ASSERT_EQ(pdTRUE, xTaskDelayUntil(&last, 3));
    TEST_ASSERT_EQ((TickType_t)(start + 3), last);
    TEST_ASSERT_RANGE(3, 3 + KT_SLACK, kt_ticks_since(start));
}

TEST(Kernel, DelayUntilReturnsFalseWhenAlreadyPast)
{
    TickType_t last = kt_align_to_tick();
    const TickType_t start = last;
    vTaskDelay(4);
    const TickType_t before = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdFALSE, xTaskDelayUntil(&last, 2));
    /* It did not block, yet the wake time still advanced by one period. */
    TEST_ASSERT_RANGE(0, 1, kt_ticks_since(before));
    TEST_ASSERT_EQ((TickType_t)(start + 2), last);
}

TEST(Kernel, DelayUntilLegacyMacro)
{
    TickType_t last = kt_align_to_tick();
    const TickType_t start = last;
    vTaskDelayUntil(&last, 2);
    TEST_ASSERT_EQ((TickType_t)(start + 2), last);
    TEST_ASSERT_RANGE(2, 2 + KT_SLACK, kt_ticks_since(start));
}

TEST(Kernel, DelayTickConversions)
{
    TEST_ASSERT_EQ(configTICK_RATE_HZ, pdMS_TO_TICKS(1000));
    TEST_ASSERT_EQ(1000, pdTICKS_TO_MS(configTICK_RATE_HZ));
    TEST_ASSERT_EQ(2 * configTICK_RATE_HZ, pdMS_TO_TICKS(2000));
    if (configTICK_RATE_HZ <= 1000) {
        TEST_ASSERT_EQ(1000 / configTICK_RATE_HZ, portTICK_PERIOD_MS);
    }
}

static volatile TickType_t isr_tick;

static void read_tick_in_isr(void *unused)
{
    (void)unused;
    isr_tick = xTaskGetTickCountFromISR();
}

TEST(Kernel, DelayTickCountFromIsr)
{
    const TickType_t before = kt_align_to_tick();
    test_run_in_isr(read_tick_in_isr, NULL);
    const TickType_t span = kt_ticks_since(before);
    TEST_ASSERT((TickType_t)(isr_tick - before) <= span);
    vTaskDelay(2);
    test_run_in_isr(read_tick_in_isr, NULL);
    TEST_ASSERT((TickType_t)(isr_tick - before) >= 2);
}

TEST(Kernel, DelayTimeOutStateTracksRemaining)
{
    TimeOut_t timeout;
    TickType_t remaining = 20;
    (void)kt_align_to_tick();
    vTaskSetTimeOutState(&timeout);
    TEST_ASSERT_EQ(pdFALSE, xTaskCheckForTimeOut(&timeout, &remaining));
    TEST_ASSERT_RANGE(19, 20, remaining);
    vTaskDelay(2);
    TEST_ASSERT_EQ(pdFALSE, xTaskCheckForTimeOut(&timeout, &remaining));
    TEST_ASSERT_RANGE(20 - 2 - 1 - KT_SLACK, 18, remaining);
    vTaskDelay(20);
    TEST_ASSERT_EQ(pdTRUE, xTaskCheckForTimeOut(&timeout, &remaining));
    TEST_ASSERT_EQ(0, remaining);
    /* A wait without a time limit never times out. */
    TickType_t forever = portMAX_DELAY;
    vTaskSetTimeOutState(&timeout);
    vTaskDelay(2);
    TEST_ASSERT_EQ(pdFALSE, xTaskCheckForTimeOut(&timeout, &forever));
    TEST_ASSERT_EQ(portMAX_DELAY, forever);
}

/* ---- aborting a wait ---- */

static void long_delay_task(void *unused)
{
    (void)unused;
    const TickType_t start = xTaskGetTickCount();
    vTaskDelay(1000);
    measured = kt_ticks_since(start);
    phase = 1;
    kt_park();
}

TEST(Kernel, DelayAbortWakesDelayedTask)
{
    phase = 0;
    TaskHandle_t task = test_task_create(long_delay_task, "kt_abort", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    TEST_ASSERT_EQ(pdPASS, xTaskAbortDelay(task));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, phase);
    TEST_ASSERT(measured <= 2);
    /* Now suspended in its park: nothing to abort. */
    TEST_ASSERT_EQ(pdFAIL, xTaskAbortDelay(task));
    kt_delete(task);
}

static volatile uint32_t take_result;
static volatile BaseType_t wait_result;

static void notify_waits_task(void *unused)
{
    uint32_t value = 0;
    (void)unused;
    take_result = ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    phase = 1;
    wait_result = xTaskNotifyWait(0, 0, &value, portMAX_DELAY);
    phase = 2;
    kt_park();
}

TEST(Kernel, DelayAbortEndsNotificationWaits)
{
    phase = 0;
    take_result = 99;
    wait_result = 99;
    TaskHandle_t task = test_task_create(notify_waits_task, "kt_abnote", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    TEST_ASSERT_EQ(pdPASS, xTaskAbortDelay(task));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, phase);
    TEST_ASSERT_EQ(0, take_result);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    TEST_ASSERT_EQ(pdPASS, xTaskAbortDelay(task));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(2, phase);
    TEST_ASSERT_EQ(pdFALSE, wait_result);
    kt_delete(task);
}

#if configSUPPORT_STATIC_ALLOCATION
static StaticQueue_t abort_queue_buffer;
static uint8_t abort_queue_storage[2 * sizeof(uint32_t)];
static StaticSemaphore_t abort_semaphore_buffer;
static QueueHandle_t abort_queue;
static SemaphoreHandle_t abort_semaphore;
static volatile BaseType_t receive_result;
static volatile BaseType_t semaphore_result;

static void object_waits_task(void *unused)
{
    uint32_t value = 0;
    (void)unused;
    receive_result = xQueueReceive(abort_queue, &value, portMAX_DELAY);
    phase = 1;
    const TickType_t start = xTaskGetTickCount();
    semaphore_result = xSemaphoreTake(abort_semaphore, 1000);
    measured = kt_ticks_since(start);
    phase = 2;
    kt_park();
}

TEST(Kernel, DelayAbortEndsQueueAndSemaphoreWaits)
{
    phase = 0;
    abort_queue = xQueueCreateStatic(2, sizeof(uint32_t), abort_queue_storage, &abort_queue_buffer);
    abort_semaphore = xSemaphoreCreateBinaryStatic(&abort_semaphore_buffer);
    TaskHandle_t task = test_task_create(object_waits_task, "kt_abobj", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    TEST_ASSERT_EQ(pdPASS, xTaskAbortDelay(task));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, phase);
    TEST_ASSERT_EQ(errQUEUE_EMPTY, receive_result);
    TEST_ASSERT_EQ(pdPASS, xTaskAbortDelay(task));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(2, phase);
    TEST_ASSERT_EQ(pdFALSE, semaphore_result);
    TEST_ASSERT(measured <= 2);
    /* Aborted waiters left the objects' lists: the objects still work normally. */
    uint32_t value = 5;
    TEST_ASSERT_EQ(pdPASS, xQueueSend(abort_queue, &value, 0));
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(abort_queue));
    TEST_ASSERT_EQ(pdPASS, xSemaphoreGive(abort_semaphore));
    kt_delete(task);
    vQueueDelete(abort_queue);
    vSemaphoreDelete(abort_semaphore);
}
#endif

TEST(Kernel, DelayAbortOfTaskNotBlockedFails)
{
    TaskHandle_t ready = test_task_create(kt_park_task, "kt_ready", KT_STACK, NULL, KT_LOW);
    TaskHandle_t suspended = test_task_create(kt_park_task, "kt_susp", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eReady, eTaskGetState(ready));
    TEST_ASSERT_EQ(eSuspended, eTaskGetState(suspended));
    TEST_ASSERT_EQ(pdFAIL, xTaskAbortDelay(ready));
    TEST_ASSERT_EQ(pdFAIL, xTaskAbortDelay(suspended));
    TEST_ASSERT_EQ(eReady, eTaskGetState(ready));
    TEST_ASSERT_EQ(eSuspended, eTaskGetState(suspended));
    kt_delete(ready);
    kt_delete(suspended);
}

/* ---- catching up ticks, and where blocking is illegal ---- */

static void short_delay_task(void *unused)
{
    (void)unused;
    vTaskDelay(5);
    phase = 1;
    kt_park();
}

TEST(Kernel, DelayCatchUpTicksWakesDelayedTask)
{
    phase = 0;
    (void)test_task_create(short_delay_task, "kt_catch", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    const TickType_t start = xTaskGetTickCount();
    BaseType_t result = xTaskCatchUpTicks(6);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, phase);
    TEST_ASSERT(kt_ticks_since(start) >= 6);
#if configUSE_PREEMPTION
    /* The woken task is above us, so catching up switched to it. */
    TEST_ASSERT_EQ(pdTRUE, result);
#else
    (void)result;
#endif
}

TEST(Kernel, DelayAssertsWithSchedulerSuspended)
{
    volatile int delay_fired;
    volatile int until_fired;
    TickType_t last = xTaskGetTickCount();
    vTaskSuspendAll();
    KT_CAPTURE_ASSERT(vTaskDelay(2), delay_fired);
    KT_CAPTURE_ASSERT((void)xTaskDelayUntil(&last, 2), until_fired);
    (void)xTaskResumeAll();
    TEST_ASSERT(delay_fired);
    TEST_ASSERT(until_fired);
}

static volatile int isr_delay_fired;
static volatile int isr_until_fired;

static void delay_in_isr(void *unused)
{
    TickType_t last = 0;
    (void)unused;
    KT_CAPTURE_ASSERT(vTaskDelay(1), isr_delay_fired);
    KT_CAPTURE_ASSERT((void)xTaskDelayUntil(&last, 1), isr_until_fired);
}

TEST(Kernel, DelayAssertsInIsr)
{
    isr_delay_fired = 0;
    isr_until_fired = 0;
    test_run_in_isr(delay_in_isr, NULL);
    TEST_ASSERT(isr_delay_fired);
    TEST_ASSERT(isr_until_fired);
}
