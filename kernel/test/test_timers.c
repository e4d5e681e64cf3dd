/* Alder kernel tests: software timers (one-shot, auto-reload, commands, callbacks acting on their own timer, ISR forms,
 * pended calls, the service task). It must never leave a timer running or allocated after its case. */
#include <string.h>

#include "test_objects.h"
#include "kernel_test.h"
#include "timers.h"

#if configUSE_TIMERS

/* What a callback does to its own timer. */
enum probe_action { PROBE_COUNT, PROBE_RESTART, PROBE_STOP, PROBE_CHANGE_PERIOD, PROBE_DELETE };

#define PROBE_EXPIRIES 8

/* Each timer's ID points at its probe, which its callback fills. */
struct timer_probe {
    volatile uint32_t fired;
    volatile TickType_t first_tick;           /* tick count at the first callback */
    TickType_t expiry[PROBE_EXPIRIES];        /* xTimerGetExpiryTime seen by each callback */
    volatile BaseType_t active[PROBE_EXPIRIES]; /* xTimerIsTimerActive seen by each callback */
    enum probe_action action;
    uint32_t limit;      /* PROBE_RESTART: restart until fired == limit; PROBE_STOP: stop at limit */
    TickType_t argument; /* PROBE_CHANGE_PERIOD: the new period */
    unsigned id;         /* logged by every callback when non-zero */
};

static void probe_act(TimerHandle_t timer, struct timer_probe *probe)
{
    switch (probe->action) {
    case PROBE_RESTART:
        if (probe->fired < probe->limit) {
            (void)xTimerStart(timer, 0);
        }
        break;
    case PROBE_STOP:
        if (probe->fired == probe->limit) {
            (void)xTimerStop(timer, 0);
        }
        break;
    case PROBE_CHANGE_PERIOD:
        if (probe->fired == 1) {
            (void)xTimerChangePeriod(timer, probe->argument, 0);
        }
        break;
    case PROBE_DELETE:
        (void)xTimerDelete(timer, 0);
        break;
    default:
        break;
    }
}

static void probe_callback(TimerHandle_t timer)
{
    struct timer_probe *probe = pvTimerGetTimerID(timer);
    uint32_t n = probe->fired;
    if (n == 0) {
        probe->first_tick = xTaskGetTickCount();
    }
    if (n < PROBE_EXPIRIES) {
        probe->expiry[n] = xTimerGetExpiryTime(timer);
        probe->active[n] = xTimerIsTimerActive(timer);
    }
    probe->fired = n + 1;
    if (probe->id != 0) {
        obj_log(probe->id);
    }
    probe_act(timer, probe);
}

static TimerHandle_t make_timer(struct timer_probe *probe, TickType_t period, BaseType_t auto_reload)
{
    memset(probe, 0, sizeof *probe);
    obj_log_reset();
    TimerHandle_t timer = xTimerCreate("probe", period, auto_reload, probe, probe_callback);
    TEST_ASSERT_NOT_NULL(timer);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    return timer;
}

static void delete_timer(TimerHandle_t timer)
{
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(timer, 0));
}

/* ---- basic behaviour ---- */

TEST(Kernel, TimerOneShotFiresOnce)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 3, pdFALSE);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    /* the service task outranks us, so the start is already done */
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer));
    TEST_ASSERT_RANGE(start + 3, start + 4, xTimerGetExpiryTime(timer));
    vTaskDelay(8);
    TEST_ASSERT_EQ(1, probe.fired);
    TEST_ASSERT_RANGE(start + 3, start + 3 + OBJ_SLACK, probe.first_tick);
    TEST_ASSERT_EQ(pdFALSE, probe.active[0]); /* a one-shot is dormant in its callback */
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    delete_timer(timer);
}

TEST(Kernel, TimerAutoReloadFiresEachPeriod)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 4, pdTRUE);
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    TickType_t first = xTimerGetExpiryTime(timer);
    vTaskDelay(4 * 5 + 1);
    /* read both at one instant: the service task cannot run in between */
    taskENTER_CRITICAL();
    uint32_t fired = probe.fired;
    TickType_t next = xTimerGetExpiryTime(timer);
    taskEXIT_CRITICAL();
    TEST_ASSERT_RANGE(5, 6, fired);
    /* each reload is one period after the previous expiry, however late the callback ran */
    TEST_ASSERT_EQ(first + 4 * fired, next);
    TEST_ASSERT_EQ(pdTRUE, probe.active[0]);
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    fired = probe.fired;
    vTaskDelay(9);
    TEST_ASSERT_EQ(fired, probe.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerStopBeforeExpiry)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 3, pdTRUE);
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0)); /* stopping a dormant timer is harmless */
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    vTaskDelay(7);
    TEST_ASSERT_EQ(0, probe.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerResetPushesExpiryBack)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 10, pdFALSE);
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    TickType_t first = xTimerGetExpiryTime(timer);
    vTaskDelay(5);
    TEST_ASSERT_EQ(pdPASS, xTimerReset(timer, 0));
    TickType_t reset_expiry = xTimerGetExpiryTime(timer);
    TEST_ASSERT(reset_expiry - first >= 5);
    vTaskDelay(7); /* past the first expiry, short of the new one */
    TEST_ASSERT_EQ(0, probe.fired);
    vTaskDelay(5);
    TEST_ASSERT_EQ(1, probe.fired);
    TEST_ASSERT_EQ(reset_expiry, probe.expiry[0]);
    delete_timer(timer);
}

TEST(Kernel, TimerResetStartsDormantTimer)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 3, pdFALSE);
    TEST_ASSERT_EQ(pdPASS, xTimerReset(timer, 0));
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer));
    vTaskDelay(5);
    TEST_ASSERT_EQ(1, probe.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerChangePeriodStartsDormantTimer)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 50, pdFALSE);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdPASS, xTimerChangePeriod(timer, 3, 0));
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer));
    TEST_ASSERT_EQ(3, xTimerGetPeriod(timer));
    TEST_ASSERT_RANGE(start + 3, start + 4, xTimerGetExpiryTime(timer));
    vTaskDelay(6);
    TEST_ASSERT_EQ(1, probe.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerChangePeriodOfRunningTimer)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 20, pdTRUE);
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    vTaskDelay(2);
    TickType_t change = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdPASS, xTimerChangePeriod(timer, 3, 0));
    /* the new period counts from the change, not from the start */
    TEST_ASSERT_RANGE(change + 3, change + 4, xTimerGetExpiryTime(timer));
    vTaskDelay(10);
    TEST_ASSERT_RANGE(3, 4, probe.fired);
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    delete_timer(timer);
}

TEST(Kernel, TimerDeleteStopsAndFrees)
{
    struct timer_probe probe;
    size_t before = xPortGetFreeHeapSize();
    TimerHandle_t timer = make_timer(&probe, 2, pdTRUE);
    TEST_ASSERT(xPortGetFreeHeapSize() < before);
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    delete_timer(timer);
    /* the service task outranks us: the timer is already gone */
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    vTaskDelay(5);
    TEST_ASSERT_EQ(0, probe.fired);
}

TEST(Kernel, TimerIdNameAndPeriod)
{
    struct timer_probe probe, other;
    static const char name[] = "probe-name";
    memset(&probe, 0, sizeof probe);
    memset(&other, 0, sizeof other);
    TimerHandle_t timer = xTimerCreate(name, 7, pdFALSE, &probe, probe_callback);
    TEST_ASSERT_NOT_NULL(timer);
    TEST_ASSERT_PTR_EQ(&probe, pvTimerGetTimerID(timer));
    TEST_ASSERT_PTR_EQ(name, pcTimerGetName(timer));
    TEST_ASSERT_EQ(7, xTimerGetPeriod(timer));
    vTimerSetTimerID(timer, &other);
    TEST_ASSERT_PTR_EQ(&other, pvTimerGetTimerID(timer));
    /* the callback finds its context through the new ID */
    TEST_ASSERT_EQ(pdPASS, xTimerChangePeriod(timer, 2, 0));
    vTaskDelay(4);
    TEST_ASSERT_EQ(0, probe.fired);
    TEST_ASSERT_EQ(1, other.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerReloadModeGetAndSet)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 3, pdFALSE);
    TEST_ASSERT_EQ(pdFALSE, xTimerGetReloadMode(timer));
    TEST_ASSERT_EQ(0, uxTimerGetReloadMode(timer));
    vTimerSetReloadMode(timer, pdTRUE);
    TEST_ASSERT_EQ(pdTRUE, xTimerGetReloadMode(timer));
    TEST_ASSERT_EQ(1, uxTimerGetReloadMode(timer));
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    vTaskDelay(10);
    TEST_ASSERT_RANGE(3, 4, probe.fired);
    /* back to one-shot while running: one more expiry, then dormant */
    vTimerSetReloadMode(timer, pdFALSE);
    uint32_t fired = probe.fired;
    vTaskDelay(8);
    TEST_ASSERT_EQ(fired + 1, probe.fired);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    delete_timer(timer);
}

#if configASSERT_DEFINED
TEST(Kernel, TimerZeroPeriodAsserts)
{
    struct timer_probe probe;
    size_t before = xPortGetFreeHeapSize();
    TEST_EXPECT_ASSERT((void)xTimerCreate("zero", 0, pdFALSE, &probe, probe_callback));
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    TimerHandle_t timer = make_timer(&probe, 5, pdFALSE);
    TEST_EXPECT_ASSERT((void)xTimerChangePeriod(timer, 0, 0));
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    delete_timer(timer);
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
static StaticTimer_t static_timer;

TEST(Kernel, TimerStaticUsesNoHeap)
{
    struct timer_probe probe;
    StaticTimer_t *buffer = NULL;
    size_t before = xPortGetFreeHeapSize();
    memset(&probe, 0, sizeof probe);
    TimerHandle_t timer = xTimerCreateStatic("static", 2, pdFALSE, &probe, probe_callback, &static_timer);
    TEST_ASSERT_NOT_NULL(timer);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    TEST_ASSERT_EQ(pdTRUE, xTimerGetStaticBuffer(timer, &buffer));
    TEST_ASSERT_PTR_EQ(&static_timer, buffer);
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    vTaskDelay(4);
    TEST_ASSERT_EQ(1, probe.fired);
    delete_timer(timer);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    timer = make_timer(&probe, 2, pdFALSE);
    TEST_ASSERT_EQ(pdFALSE, xTimerGetStaticBuffer(timer, &buffer));
    delete_timer(timer);
}
#endif

TEST(Kernel, TimerCallbacksRunInExpiryOrder)
{
    struct timer_probe a, b, c;
    TimerHandle_t ta = make_timer(&a, 5, pdFALSE);
    TimerHandle_t tb = make_timer(&b, 2, pdFALSE);
    TimerHandle_t tc = make_timer(&c, 3, pdFALSE);
    a.id = 1;
    b.id = 2;
    c.id = 3;
    /* queue the three starts at one tick; the service task takes them when we resume */
    vTaskSuspendAll();
    (void)xTimerStart(ta, 0);
    (void)xTimerStart(tb, 0);
    (void)xTimerStart(tc, 0);
    (void)xTaskResumeAll();
    vTaskDelay(7);
    TEST_ASSERT_EQ(231, obj_log_digits());
    delete_timer(ta);
    delete_timer(tb);
    delete_timer(tc);
}

TEST(Kernel, TimerCommandsTakenInOrder)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 3, pdTRUE);
    vTaskSuspendAll();
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    (void)xTaskResumeAll();
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    vTaskSuspendAll();
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    TEST_ASSERT_EQ(pdPASS, xTimerChangePeriod(timer, 5, 0));
    /* nothing has happened yet: the service task cannot run */
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    (void)xTaskResumeAll();
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer));
    TEST_ASSERT_EQ(5, xTimerGetPeriod(timer));
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    TEST_ASSERT_EQ(0, probe.fired);
    delete_timer(timer);
}

/* ---- callbacks acting on their own timer ---- */

TEST(Kernel, TimerCallbackRestartsOwnTimer)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 2, pdFALSE);
    probe.action = PROBE_RESTART;
    probe.limit = 3;
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    vTaskDelay(12);
    TEST_ASSERT_EQ(3, probe.fired);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    delete_timer(timer);
}

TEST(Kernel, TimerCallbackStopsOwnTimer)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 3, pdTRUE);
    probe.action = PROBE_STOP;
    probe.limit = 2;
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    vTaskDelay(14);
    TEST_ASSERT_EQ(2, probe.fired);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    delete_timer(timer);
}

TEST(Kernel, TimerCallbackChangesOwnPeriod)
{
    struct timer_probe probe;
    TimerHandle_t timer = make_timer(&probe, 2, pdTRUE);
    probe.action = PROBE_CHANGE_PERIOD;
    probe.argument = 6;
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    vTaskDelay(11);
    /* expiries at +2, then +6 after it: +8; the next would be +14 */
    TEST_ASSERT_EQ(2, probe.fired);
    TEST_ASSERT_EQ(6, xTimerGetPeriod(timer));
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer));
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    delete_timer(timer);
}

TEST(Kernel, TimerCallbackDeletesOwnTimer)
{
    struct timer_probe probe;
    size_t before = xPortGetFreeHeapSize();
    TimerHandle_t timer = make_timer(&probe, 2, pdTRUE);
    probe.action = PROBE_DELETE;
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    vTaskDelay(9);
    TEST_ASSERT_EQ(1, probe.fired);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}

/* ---- from an interrupt ---- */

struct isr_timer_op {
    TimerHandle_t timer;
    BaseType_t command; /* tmrCOMMAND_*_FROM_ISR */
    TickType_t period;
    BaseType_t result;
    BaseType_t woken;
};

static void isr_timer_command(void *arg)
{
    struct isr_timer_op *op = arg;
    op->woken = pdFALSE;
    switch (op->command) {
    case tmrCOMMAND_START_FROM_ISR:
        op->result = xTimerStartFromISR(op->timer, &op->woken);
        break;
    case tmrCOMMAND_RESET_FROM_ISR:
        op->result = xTimerResetFromISR(op->timer, &op->woken);
        break;
    case tmrCOMMAND_CHANGE_PERIOD_FROM_ISR:
        op->result = xTimerChangePeriodFromISR(op->timer, op->period, &op->woken);
        break;
    default:
        op->result = xTimerStopFromISR(op->timer, &op->woken);
        break;
    }
    portYIELD_FROM_ISR(op->woken);
}

static void run_isr_command(struct isr_timer_op *op, BaseType_t command)
{
    op->command = command;
    op->result = -1;
    test_run_in_isr(isr_timer_command, op);
    TEST_ASSERT_EQ(pdPASS, op->result);
    /* the service task outranks us: it must be asked to run at the end of the ISR */
    TEST_ASSERT_EQ(pdTRUE, op->woken);
}

TEST(Kernel, TimerStartFromIsr)
{
    struct timer_probe probe;
    struct isr_timer_op op = {make_timer(&probe, 3, pdFALSE), 0, 0, -1, -1};
    run_isr_command(&op, tmrCOMMAND_START_FROM_ISR);
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(op.timer));
    vTaskDelay(5);
    TEST_ASSERT_EQ(1, probe.fired);
    delete_timer(op.timer);
}

TEST(Kernel, TimerStopResetChangeFromIsr)
{
    struct timer_probe probe;
    struct isr_timer_op op = {make_timer(&probe, 20, pdTRUE), 0, 4, -1, -1};
    TEST_ASSERT_EQ(pdPASS, xTimerStart(op.timer, 0));
    run_isr_command(&op, tmrCOMMAND_STOP_FROM_ISR);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(op.timer));
    run_isr_command(&op, tmrCOMMAND_RESET_FROM_ISR);
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(op.timer));
    run_isr_command(&op, tmrCOMMAND_CHANGE_PERIOD_FROM_ISR);
    TEST_ASSERT_EQ(4, xTimerGetPeriod(op.timer));
    vTaskDelay(9);
    TEST_ASSERT_RANGE(2, 3, probe.fired);
    run_isr_command(&op, tmrCOMMAND_STOP_FROM_ISR);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(op.timer));
    delete_timer(op.timer);
}

/* ---- pended function calls and the service task ---- */

#if INCLUDE_xTimerPendFunctionCall
struct pended_record {
    volatile uint32_t calls;
    TaskHandle_t ran_in;
    void *arg1;
    uint32_t arg2;
};

static void pended_function(void *arg1, uint32_t arg2)
{
    struct pended_record *record = arg1;
    record->ran_in = xTaskGetCurrentTaskHandle();
    record->arg1 = arg1;
    record->arg2 = arg2;
    record->calls++;
}

TEST(Kernel, TimerPendFunctionCallRunsInServiceTask)
{
    struct pended_record record = {0, NULL, NULL, 0};
    TEST_ASSERT_EQ(pdPASS, xTimerPendFunctionCall(pended_function, &record, 0xC0FFEEu, 0));
    TEST_ASSERT_EQ(1, record.calls);
    TEST_ASSERT_PTR_EQ(xTimerGetTimerDaemonTaskHandle(), record.ran_in);
    TEST_ASSERT_PTR_EQ(&record, record.arg1);
    TEST_ASSERT_EQ(0xC0FFEEu, record.arg2);
}

struct isr_pend_op {
    struct pended_record *record;
    BaseType_t result;
    BaseType_t woken;
};

static void isr_pend(void *arg)
{
    struct isr_pend_op *op = arg;
    op->woken = pdFALSE;
    op->result = xTimerPendFunctionCallFromISR(pended_function, op->record, 77, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

TEST(Kernel, TimerPendFunctionCallFromIsr)
{
    struct pended_record record = {0, NULL, NULL, 0};
    struct isr_pend_op op = {&record, -1, -1};
    test_run_in_isr(isr_pend, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(1, record.calls);
    TEST_ASSERT_PTR_EQ(xTimerGetTimerDaemonTaskHandle(), record.ran_in);
    TEST_ASSERT_EQ(77, record.arg2);
}
#endif

TEST(Kernel, TimerServiceTaskIdentity)
{
    TaskHandle_t service = xTimerGetTimerDaemonTaskHandle();
    TEST_ASSERT_NOT_NULL(service);
    TEST_ASSERT_EQ(configTIMER_TASK_PRIORITY, uxTaskPriorityGet(service));
    TEST_ASSERT_STR_EQ(configTIMER_SERVICE_TASK_NAME, pcTaskGetName(service));
    TEST_ASSERT_PTR_EQ(service, xTaskGetHandle(configTIMER_SERVICE_TASK_NAME));
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(service));
}

#if configUSE_DAEMON_TASK_STARTUP_HOOK
TEST(Kernel, TimerDaemonStartupHookRanOnce)
{
    TEST_ASSERT_EQ(1, kt_daemon_startup_count);
}
#endif

#endif /* configUSE_TIMERS */
