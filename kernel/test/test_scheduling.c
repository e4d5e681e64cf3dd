/* Alder kernel tests (Kernel group): who runs when: priorities, yields, slicing, cooperation, suspend-all, hooks.
 * It must never use anything but the public FreeRTOS API, alder_test.h and kernel_test.h. */
#include "kernel_test.h"

static volatile uint32_t runs;
static volatile uint32_t stop;
static volatile uint32_t counters[3];
static volatile uint8_t log_ids[16];
static volatile uint32_t log_length;
static TaskHandle_t volatile case_task;

static void log_id(uint32_t id)
{
    taskENTER_CRITICAL(); /* equal-priority tasks may be sliced in the middle of an append */
    if (log_length < sizeof log_ids) {
        log_ids[log_length] = (uint8_t)id;
        log_length++;
    }
    taskEXIT_CRITICAL();
}

static void reset_log(void)
{
    log_length = 0;
    runs = 0;
    stop = 0;
    for (int i = 0; i < 3; i++) {
        counters[i] = 0;
    }
}

/* Logs its priority, then parks; the one at priority 1 (the last to run) wakes the case. */
static void log_priority_task(void *unused)
{
    (void)unused;
    const UBaseType_t priority = uxTaskPriorityGet(NULL);
    log_id((uint32_t)priority);
    if (priority == 1) {
        (void)xTaskNotifyGive(case_task);
    }
    kt_park();
}

TEST(Kernel, SchedHighestPriorityRunsFirst)
{
    static const UBaseType_t priorities[] = {3, 1, 5, 2};
    reset_log();
    case_task = xTaskGetCurrentTaskHandle();
    vTaskPrioritySet(NULL, KT_HIGHER); /* above them all while they are made */
    for (unsigned i = 0; i < 4; i++) {
        (void)test_task_create(log_priority_task, "kt_prio", KT_STACK, NULL, priorities[i]);
    }
    TEST_ASSERT_EQ(0, log_length);
    TEST_ASSERT_EQ(1, ulTaskNotifyTake(pdTRUE, 100));
    TEST_ASSERT_EQ(4, log_length);
    TEST_ASSERT_EQ(5, log_ids[0]);
    TEST_ASSERT_EQ(3, log_ids[1]);
    TEST_ASSERT_EQ(2, log_ids[2]);
    TEST_ASSERT_EQ(1, log_ids[3]);
}

/* Logs its id and yields, four times, then parks; the last one to finish wakes the case. */
static void yield_loop_task(void *arg)
{
    for (int round = 0; round < 4; round++) {
        log_id((uint32_t)(uintptr_t)arg);
        taskYIELD();
    }
    taskENTER_CRITICAL();
    const uint32_t finished = ++runs;
    taskEXIT_CRITICAL();
    if (finished == 3) {
        (void)xTaskNotifyGive(case_task);
    }
    kt_park();
}

TEST(Kernel, SchedYieldRotatesEqualPriorities)
{
    reset_log();
    case_task = xTaskGetCurrentTaskHandle();
    vTaskPrioritySet(NULL, KT_HIGHER);
    for (uintptr_t id = 1; id <= 3; id++) {
        (void)test_task_create(yield_loop_task, "kt_yield", KT_STACK, (void *)id, KT_HIGH);
    }
    TEST_ASSERT_EQ(1, ulTaskNotifyTake(pdTRUE, 100));
    TEST_ASSERT_EQ(12, log_length);
    unsigned repeats = 0;
    unsigned per_id[4] = {0, 0, 0, 0};
    for (unsigned i = 0; i < 12; i++) {
        per_id[log_ids[i]]++;
        repeats += (i > 0 && log_ids[i] == log_ids[i - 1]) ? 1u : 0u;
    }
    TEST_ASSERT_EQ(4, per_id[1]);
    TEST_ASSERT_EQ(4, per_id[2]);
    TEST_ASSERT_EQ(4, per_id[3]);
#if configUSE_PREEMPTION && configUSE_TIME_SLICING
    /* A time slice may rotate a task between its log and its yield, which can repeat one id;
     * a yield that did not rotate would repeat nine. */
    TEST_ASSERT(repeats <= 2);
#else
    TEST_ASSERT_EQ(0, repeats);
    for (unsigned i = 0; i < 12; i++) {
        TEST_ASSERT_EQ(i % 3 + 1, log_ids[i]);
    }
#endif
}

static void flag_task(void *unused)
{
    (void)unused;
    runs++;
    kt_park();
}

/* Counts its turns, yielding after each. */
static void turn_counter_task(void *unused)
{
    (void)unused;
    for (;;) {
        runs++;
        taskYIELD();
    }
}

TEST(Kernel, SchedYieldRunsEqualPriorityTask)
{
    reset_log();
    (void)test_task_create(turn_counter_task, "kt_equal", KT_STACK, NULL, TEST_CASE_PRIORITY);
    unsigned turns = 0;
    for (int round = 0; round < 5; round++) {
        const uint32_t before = runs;
        taskYIELD();
        turns += runs > before ? 1u : 0u;
    }
    /* A time slice may take the CPU from it before it counts, at most once in so few rounds. */
    TEST_ASSERT(turns >= (configUSE_TIME_SLICING && configUSE_PREEMPTION ? 4u : 5u));
}

TEST(Kernel, SchedLowerPriorityWaitsWhileHigherIsBusy)
{
    reset_log();
    (void)test_task_create(flag_task, "kt_lower", KT_STACK, NULL, KT_LOW);
    kt_spin_loops(200000);
    taskYIELD();
    TEST_ASSERT_EQ(0, runs);
    TEST_ASSERT_EQ(1, kt_wait_for_value(&runs, 1));
}

static void counting_take_task(void *unused)
{
    (void)unused;
    for (;;) {
        if (ulTaskNotifyTake(pdTRUE, portMAX_DELAY) != 0) {
            runs++;
        }
    }
}

/* Delays two ticks from its start, then marks that it ran and parks. */
static void short_delay_task(void *unused)
{
    (void)unused;
    vTaskDelay(2);
    runs++;
    kt_park();
}

#if configUSE_PREEMPTION
TEST(Kernel, SchedNotifyingHigherTaskPreempts)
{
    reset_log();
    TaskHandle_t task = test_task_create(counting_take_task, "kt_high", KT_STACK, NULL, KT_HIGH);
    (void)xTaskNotifyGive(task);
    TEST_ASSERT_EQ(1, runs); /* it ran before the call returned */
}

TEST(Kernel, SchedTickWakeupPreemptsBusyTask)
{
    reset_log();
    (void)test_task_create(short_delay_task, "kt_wake", KT_STACK, NULL, KT_HIGH);
    const TickType_t start = xTaskGetTickCount();
    /* Never block or yield: only the tick interrupt can let it run. */
    while (runs == 0 && kt_ticks_since(start) < 1000) {
        portNOP();
    }
    TEST_ASSERT_EQ(1, runs);
}
#else
TEST(Kernel, SchedCooperativeNotifyDoesNotPreempt)
{
    reset_log();
    TaskHandle_t task = test_task_create(counting_take_task, "kt_high", KT_STACK, NULL, KT_HIGH);
    taskYIELD(); /* let it block */
    (void)xTaskNotifyGive(task);
    TEST_ASSERT_EQ(0, runs);
    taskYIELD();
    TEST_ASSERT_EQ(1, runs);
}

TEST(Kernel, SchedCooperativeTickDoesNotPreempt)
{
    reset_log();
    (void)test_task_create(short_delay_task, "kt_wake", KT_STACK, NULL, KT_HIGH);
    taskYIELD(); /* let it start its delay */
    kt_spin_ticks(4);
    TEST_ASSERT_EQ(0, runs); /* its delay ended two ticks ago, but we never yielded */
    taskYIELD();
    TEST_ASSERT_EQ(1, runs);
}
#endif

#if configUSE_PREEMPTION
/* Counts as fast as it can until told to stop; never blocks or yields. */
static void busy_counter_task(void *arg)
{
    volatile uint32_t *counter = &counters[(uintptr_t)arg];
    while (!stop) {
        (*counter)++;
    }
    kt_park();
}

TEST(Kernel, SchedTimeSlicingAmongEqualPriorities)
{
    reset_log();
    vTaskPrioritySet(NULL, KT_HIGHER);
    TaskHandle_t first = test_task_create(busy_counter_task, "kt_busy0", KT_STACK, (void *)0, KT_HIGH);
    TaskHandle_t second = test_task_create(busy_counter_task, "kt_busy1", KT_STACK, (void *)1, KT_HIGH);
    /* One long delay, not several short ones: every wake of ours preempts the first and sends
     * it behind the second, which would let the second run without any time slicing. Long,
     * because a host that stalls us delivers the ticks it owes in one burst. */
    vTaskDelay(20);
    const uint32_t first_count = counters[0];
    const uint32_t second_count = counters[1];
    stop = 1;
    kt_delete(first);
    kt_delete(second);
    TEST_ASSERT(first_count > 0);
#if configUSE_TIME_SLICING
    TEST_ASSERT(second_count > 0); /* the tick rotated them */
#else
    TEST_ASSERT_EQ(0, second_count); /* without slicing the first keeps the CPU */
#endif
}
#endif

/* ---- suspending the scheduler ---- */

TEST(Kernel, SchedSuspendAllNests)
{
    reset_log();
    TaskHandle_t task = test_task_create(counting_take_task, "kt_nest", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(taskSCHEDULER_RUNNING, xTaskGetSchedulerState());
    vTaskSuspendAll();
    vTaskSuspendAll();
    const BaseType_t state_inside = xTaskGetSchedulerState();
    (void)xTaskNotifyGive(task);
    const BaseType_t inner = xTaskResumeAll();
    const BaseType_t state_between = xTaskGetSchedulerState();
    const uint32_t runs_between = runs;
    const BaseType_t outer = xTaskResumeAll();
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(taskSCHEDULER_SUSPENDED, state_inside);
    TEST_ASSERT_EQ(pdFALSE, inner); /* still suspended: nothing can switch yet */
    TEST_ASSERT_EQ(taskSCHEDULER_SUSPENDED, state_between);
    TEST_ASSERT_EQ(0, runs_between);
    TEST_ASSERT_EQ(taskSCHEDULER_RUNNING, xTaskGetSchedulerState());
    TEST_ASSERT_EQ(1, runs);
#if configUSE_PREEMPTION
    TEST_ASSERT_EQ(pdTRUE, outer); /* the resume switched to the task woken meanwhile */
#else
    (void)outer;
#endif
    kt_delete(task);
}

static volatile BaseType_t isr_scheduler_state;

static void read_state_in_isr(void *unused)
{
    (void)unused;
    isr_scheduler_state = xTaskGetSchedulerState();
}

TEST(Kernel, SchedStateSeenFromIsr)
{
    test_run_in_isr(read_state_in_isr, NULL);
    TEST_ASSERT_EQ(taskSCHEDULER_RUNNING, isr_scheduler_state);
    vTaskSuspendAll();
    test_run_in_isr(read_state_in_isr, NULL);
    (void)xTaskResumeAll();
    TEST_ASSERT_EQ(taskSCHEDULER_SUSPENDED, isr_scheduler_state);
}

TEST(Kernel, SchedResumeAllWithNothingPendingReturnsFalse)
{
    vTaskSuspendAll();
    TEST_ASSERT_EQ(pdFALSE, xTaskResumeAll());
}

#if configUSE_TICK_HOOK
TEST(Kernel, SchedTicksWhileSuspendedAreNotLost)
{
    vTaskSuspendAll();
    const TickType_t start = xTaskGetTickCount();
    const uint32_t hooks = kt_tick_hook_count;
    /* The tick hook runs on every tick interrupt, even while the scheduler is suspended. */
    while (kt_tick_hook_count - hooks < 3) {
        portNOP();
    }
    (void)xTaskResumeAll();
    TEST_ASSERT(kt_ticks_since(start) >= 3);
}
#endif

/* ---- the idle task and the hooks ---- */

#if configUSE_IDLE_HOOK
TEST(Kernel, SchedIdleHookRunsWhenAllBlock)
{
    kt_reset_hooks();
    /* Single ticks: the idle task may be past its hook call when we block, and a longer
     * delay lets it sleep (tickless) before it comes round to the hook again. */
    for (int tick = 0; tick < 10 && kt_idle_hook_count == 0; tick++) {
        vTaskDelay(1);
    }
    TEST_ASSERT(kt_idle_hook_count > 0);
}
#endif

static void idle_priority_task(void *unused)
{
    (void)unused;
    for (;;) {
        runs++;
        taskYIELD();
    }
}

#if configIDLE_SHOULD_YIELD || !configUSE_PREEMPTION
TEST(Kernel, SchedIdleYieldsToIdlePriorityTask)
{
    reset_log();
    (void)test_task_create(idle_priority_task, "kt_idleprio", KT_STACK, NULL, tskIDLE_PRIORITY);
    vTaskDelay(3);
    /* Handing the CPU back and forth each loop, not once per tick, makes hundreds of turns. */
    TEST_ASSERT(runs > 50);
}
#endif

TEST(Kernel, SchedIdleTaskHandle)
{
    TaskHandle_t idle = xTaskGetIdleTaskHandle();
    TEST_ASSERT_NOT_NULL(idle);
    TEST_ASSERT_EQ(tskIDLE_PRIORITY, uxTaskPriorityGet(idle));
    TEST_ASSERT_EQ(eReady, eTaskGetState(idle));
    TEST_ASSERT_STR_EQ(configIDLE_TASK_NAME, pcTaskGetName(idle));
    TEST_ASSERT_PTR_EQ(idle, xTaskGetHandle(configIDLE_TASK_NAME));
}

#if configUSE_TICK_HOOK
TEST(Kernel, SchedTickHookRunsEveryTick)
{
    kt_reset_hooks();
    const TickType_t start = xTaskGetTickCount();
    kt_spin_ticks(3);
    TEST_ASSERT(kt_tick_hook_count >= kt_ticks_since(start));
    TEST_ASSERT(kt_tick_hook_count >= 3);
}

static void notify_case_from_tick(void)
{
    BaseType_t woken = pdFALSE;
    kt_tick_hook_fn = NULL; /* once */
    vTaskNotifyGiveFromISR(case_task, &woken);
    portYIELD_FROM_ISR(woken);
}

TEST(Kernel, SchedTickHookMayUseIsrApi)
{
    kt_reset_hooks();
    case_task = xTaskGetCurrentTaskHandle();
    kt_tick_hook_fn = notify_case_from_tick;
    /* Busy, so that a real tick interrupt comes (an idle virtual-time jump calls no hook). */
    const TickType_t start = xTaskGetTickCount();
    uint32_t got = 0;
    while (got == 0 && kt_ticks_since(start) < 50) {
        got = ulTaskNotifyTake(pdTRUE, 0);
    }
    kt_tick_hook_fn = NULL;
    TEST_ASSERT_EQ(1, got);
}
#endif

#if configUSE_TIMERS && configUSE_DAEMON_TASK_STARTUP_HOOK
TEST(Kernel, SchedDaemonStartupHookRanOnce)
{
    TEST_ASSERT_EQ(1, kt_daemon_startup_count);
}
#endif
