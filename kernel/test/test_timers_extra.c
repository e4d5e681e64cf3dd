/* Alder kernel tests: timers and event groups at their edges: a late service task, a full command queue,
 * late bits, inheritance during a wait. It must never leave the service task suspended when a case ends. */
#include "test_objects.h"

/*
 * A late service task is made by suspending it: commands and expiries then pile up while
 * xTaskCatchUpTicks moves the tick count on. Between vTaskSuspend and vTaskResume a case only
 * records results; it asserts after the resume, because a failed assertion ends the case at
 * once and would leave every later case without timers.
 */

#if configUSE_TIMERS

struct extra_probe {
    TimerHandle_t timer;
    volatile uint32_t fired;
    volatile TickType_t first_tick;
    unsigned id; /* logged by each callback when non-zero */
};

static struct extra_probe probe_x, probe_y, probe_z;

static void extra_callback(TimerHandle_t timer)
{
    struct extra_probe *probe = pvTimerGetTimerID(timer);
    if (probe->timer != timer) {
        (void)xTimerStop(timer, 0); /* left over from a failed case */
        return;
    }
    if (probe->fired == 0) {
        probe->first_tick = xTaskGetTickCount();
    }
    probe->fired++;
    if (probe->id != 0) {
        obj_log(probe->id);
    }
}

static TimerHandle_t extra_timer(struct extra_probe *probe, TickType_t period, BaseType_t auto_reload, unsigned id)
{
    probe->timer = NULL;
    probe->fired = 0;
    probe->id = id;
    probe->timer = obj_timer("extra", period, auto_reload, probe, extra_callback);
    return probe->timer;
}

/* The tick count and a probe's count and next expiry, at one instant. */
struct extra_snapshot {
    TickType_t now;
    uint32_t fired;
    TickType_t next;
    BaseType_t active;
};

static struct extra_snapshot extra_snapshot(struct extra_probe *probe)
{
    struct extra_snapshot snap;
    for (;;) {
        taskENTER_CRITICAL();
        snap.now = xTaskGetTickCount();
        snap.fired = probe->fired;
        snap.next = xTimerGetExpiryTime(probe->timer);
        snap.active = xTimerIsTimerActive(probe->timer);
        taskEXIT_CRITICAL();
        /* Without preemption a tick may have expired the timer since the service task last ran:
         * let it catch up, or the snapshot sees an expiry the callback has not had yet. */
        if (!configUSE_PREEMPTION && snap.active && (TickType_t)(snap.next - snap.now - 1u) >= (TickType_t)~0u / 2u) {
            taskYIELD();
            continue;
        }
        return snap;
    }
}

/* An auto-reload timer started at `origin` has run once per whole period since, and its next
 * expiry keeps the original phase however late the service task was. */
static void assert_in_phase(struct extra_probe *probe, TickType_t origin, TickType_t period)
{
    struct extra_snapshot snap = extra_snapshot(probe);
    TEST_ASSERT_EQ(pdTRUE, snap.active);
    TEST_ASSERT_EQ((TickType_t)(snap.now - origin) / period, snap.fired);
    TEST_ASSERT_EQ((TickType_t)(period * (snap.fired + 1)), (TickType_t)(snap.next - origin));
}

TEST(Kernel, TimerLateServiceTaskRunsEveryMissedPeriod)
{
    TimerHandle_t timer = extra_timer(&probe_x, 3, pdTRUE, 0);
    vTaskSuspendAll();
    TickType_t start = xTaskGetTickCount();
    BaseType_t started = xTimerStart(timer, 0);
    (void)xTaskResumeAll();
    TaskHandle_t service = xTimerGetTimerDaemonTaskHandle();
    vTaskSuspend(service);
    uint32_t fired_before = probe_x.fired;
    (void)xTaskCatchUpTicks(10);
    uint32_t fired_while_held = probe_x.fired;
    vTaskResume(service);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdPASS, started);
    TEST_ASSERT_EQ(fired_before, fired_while_held);
    /* every missed period was run as soon as it ran again, and the phase kept */
    TEST_ASSERT(probe_x.fired >= 3);
    assert_in_phase(&probe_x, start, 3);
    vTaskDelay(4);
    assert_in_phase(&probe_x, start, 3);
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(timer, 0));
}

TEST(Kernel, TimerStartTakenLateCountsFromTheCall)
{
    TimerHandle_t one_shot = extra_timer(&probe_x, 3, pdFALSE, 0);
    TimerHandle_t reload = extra_timer(&probe_y, 4, pdTRUE, 0);
    TaskHandle_t service = xTimerGetTimerDaemonTaskHandle();
    vTaskSuspend(service);
    vTaskSuspendAll();
    TickType_t start = xTaskGetTickCount();
    BaseType_t started_one = xTimerStart(one_shot, 0);
    BaseType_t started_reload = xTimerStart(reload, 0);
    (void)xTaskResumeAll();
    (void)xTaskCatchUpTicks(10);
    BaseType_t active_while_held = xTimerIsTimerActive(one_shot);
    vTaskResume(service);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdPASS, started_one);
    TEST_ASSERT_EQ(pdPASS, started_reload);
    TEST_ASSERT_EQ(pdFALSE, active_while_held); /* a queued start is not yet a start */
    /* the one-shot's period had passed when the start was taken: it expired at once */
    TEST_ASSERT_EQ(1, probe_x.fired);
    TEST_ASSERT(kt_ticks_since(start) >= 10);
    TEST_ASSERT((TickType_t)(probe_x.first_tick - start) >= 10);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(one_shot));
    /* the auto-reload one ran for +4 and +8 and is due at +12, as if started on time */
    TEST_ASSERT(probe_y.fired >= 2);
    assert_in_phase(&probe_y, start, 4);
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(one_shot, 0));
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(reload, 0));
}

TEST(Kernel, TimerSameExpiryRunsInStartOrder)
{
    TimerHandle_t a = extra_timer(&probe_x, 4, pdFALSE, 1);
    TimerHandle_t b = extra_timer(&probe_y, 4, pdFALSE, 2);
    TimerHandle_t c = extra_timer(&probe_z, 4, pdFALSE, 3);
    obj_log_reset();
    vTaskSuspendAll();
    (void)xTimerStart(b, 0);
    (void)xTimerStart(c, 0);
    (void)xTimerStart(a, 0);
    (void)xTaskResumeAll();
    vTaskDelay(6);
    TEST_ASSERT_EQ(231, obj_log_digits());
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(a, 0));
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(b, 0));
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(c, 0));
}

#if INCLUDE_xTimerPendFunctionCall
static void never_called(void *arg1, uint32_t arg2)
{
    (void)arg1;
    (void)arg2;
}
#endif

TEST(Kernel, TimerCommandFailsWhenQueueStaysFull)
{
    TimerHandle_t timer = extra_timer(&probe_x, 5, pdFALSE, 0);
    TaskHandle_t service = xTimerGetTimerDaemonTaskHandle();
    vTaskSuspend(service);
    BaseType_t filled = pdPASS;
    for (unsigned i = 0; i < configTIMER_QUEUE_LENGTH; i++) {
        if (xTimerStop(timer, 0) != pdPASS) {
            filled = pdFAIL;
        }
    }
    BaseType_t no_wait = xTimerStop(timer, 0);
    TickType_t start = xTaskGetTickCount();
    BaseType_t with_wait = xTimerStop(timer, 3);
    TickType_t waited = kt_ticks_since(start);
#if INCLUDE_xTimerPendFunctionCall
    BaseType_t pended = xTimerPendFunctionCall(never_called, NULL, 0, 0);
#else
    BaseType_t pended = pdFAIL;
#endif
    vTaskResume(service);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdPASS, filled);
    TEST_ASSERT_EQ(pdFAIL, no_wait);
    TEST_ASSERT_EQ(pdFAIL, with_wait);
    TEST_ASSERT(waited >= 3); /* it did wait; how much longer is the host's business in real time */
    TEST_ASSERT_EQ(pdFAIL, pended);
    /* drained as soon as it ran */
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer));
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(timer, 0));
}

static volatile BaseType_t queued_result;

static void start_when_room_task(void *arg)
{
    queued_result = xTimerStart((TimerHandle_t)arg, portMAX_DELAY);
    obj_log(1);
    kt_park();
}

TEST(Kernel, TimerCommandWaitsForRoomInQueue)
{
    TimerHandle_t timer = extra_timer(&probe_x, 50, pdFALSE, 0);
    TaskHandle_t service = xTimerGetTimerDaemonTaskHandle();
    obj_log_reset();
    queued_result = -1;
    vTaskSuspend(service);
    for (unsigned i = 0; i < configTIMER_QUEUE_LENGTH; i++) {
        (void)xTimerStop(timer, 0);
    }
    TaskHandle_t sender = test_task_create(start_when_room_task, "tmrsend", KT_STACK, timer, KT_HIGH);
    KT_LET_HIGHER_RUN();
    unsigned logged_while_full = obj_log_count();
    eTaskState sender_state = eTaskGetState(sender);
    vTaskResume(service);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(0, logged_while_full);
    TEST_ASSERT_EQ(eBlocked, sender_state);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(pdPASS, queued_result);
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer)); /* its start came after the stops */
    kt_delete(sender);
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(timer, 0));
}

#endif /* configUSE_TIMERS */

#if configUSE_EVENT_GROUPS

struct extra_wait {
    EventGroupHandle_t group;
    EventBits_t want;
    TickType_t timeout;
    SemaphoreHandle_t mutex; /* taken before the wait and given after it, when not NULL */
    volatile EventBits_t result;
};

static void extra_wait_task(void *arg)
{
    struct extra_wait *wait = arg;
    if (wait->mutex != NULL) {
        (void)xSemaphoreTake(wait->mutex, 0);
    }
    wait->result = xEventGroupWaitBits(wait->group, wait->want, pdTRUE, pdFALSE, wait->timeout);
    if (wait->mutex != NULL) {
        (void)xSemaphoreGive(wait->mutex);
    }
    obj_log(1);
    kt_park();
}

TEST(Kernel, EventGroupBitsSetAfterTimeoutStillCount)
{
    EventGroupHandle_t group = obj_event_group();
    struct extra_wait wait = {group, 0x01, 3, NULL, 0xdead};
    obj_log_reset();
    TaskHandle_t waiter = test_task_create(extra_wait_task, "late", KT_STACK, &wait, KT_LOW);
    vTaskDelay(1); /* the waiter starts its 3-tick wait */
    /* its wait ends while we keep the CPU, so it cannot run before the bits are set */
    kt_spin_ticks(5);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(0x01, xEventGroupSetBits(group, 0x01)); /* it is no longer a waiter */
    KT_WAIT_UNTIL(obj_log_count() == 1);
    TEST_ASSERT_EQ(1, obj_log_count());
    /* it found the bits on its way out, and cleared them as asked */
    TEST_ASSERT_EQ(0x01, wait.result);
    TEST_ASSERT_EQ(0, xEventGroupGetBits(group));
    kt_delete(waiter);
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupDeleteWakesTimedWaiterAtOnce)
{
    EventGroupHandle_t group = obj_event_group();
    struct extra_wait wait = {group, 0x01, 50, NULL, 0xdead};
    obj_log_reset();
    TaskHandle_t waiter = test_task_create(extra_wait_task, "timed", KT_STACK, &wait, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(waiter));
    vEventGroupDelete(group);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(0, wait.result);
    kt_delete(waiter);
}

#if configUSE_MUTEXES
/* The waiter's event node carries its awaited bits; a priority change while it waits (here,
 * inheritance through a mutex it holds) must not overwrite them with a priority ordering. */
TEST(Kernel, EventGroupWaitSurvivesPriorityInheritance)
{
    EventGroupHandle_t group = obj_event_group();
    SemaphoreHandle_t mutex = obj_mutex();
    /* no priority ordering value (configMAX_PRIORITIES - priority) has this bit; 16-bit ticks have it */
    const EventBits_t want = (EventBits_t)1 << 7;
    struct extra_wait wait = {group, want, portMAX_DELAY, mutex, 0xdead};
    obj_log_reset();
    TaskHandle_t holder = test_task_create(extra_wait_task, "holder", KT_STACK, &wait, KT_LOW);
    /* it takes the mutex and waits on the group; our take raises it to our priority meanwhile */
    KT_WAIT_UNTIL(xSemaphoreGetMutexHolder(mutex) == holder && eTaskGetState(holder) == eBlocked);
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(mutex, 2));
    TEST_ASSERT_EQ(KT_LOW, uxTaskPriorityGet(holder));
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(holder));
    /* bits that a priority value would match do not wake it; its own bit does */
    const EventBits_t orderings =
        (EventBits_t)(configMAX_PRIORITIES - KT_LOW) | (EventBits_t)(configMAX_PRIORITIES - TEST_CASE_PRIORITY);
    (void)xEventGroupSetBits(group, orderings);
    vTaskDelay(1);
    TEST_ASSERT_EQ(0, obj_log_count());
    (void)xEventGroupSetBits(group, want);
    KT_WAIT_UNTIL(obj_log_count() == 1);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(want, wait.result & want);
    TEST_ASSERT_EQ(0, xEventGroupGetBits(group) & want);
    kt_delete(holder);
    vSemaphoreDelete(mutex);
    vEventGroupDelete(group);
}
#endif

#endif /* configUSE_EVENT_GROUPS */
