/* Alder kernel tests: software timers (one-shot, auto-reload, commands, callbacks acting on their own timer, ISR forms,
 * pended calls, the service task). It must never leave a timer running or allocated after its case. */
#include <string.h>

#include "test_objects.h"

#if configUSE_TIMERS

/*
 * Timing: the host may run us late (real time, or virtual time while tasks run), but the
 * service task outranks every case, so whenever a case runs, every expiry up to the tick
 * count has been handled. The cases therefore check exact relations between a timer's
 * expiries, its callback count and the tick count, read together in a critical section,
 * rather than counts after a delay.
 */

/* What a callback does to its own timer. */
enum probe_action { PROBE_COUNT, PROBE_RESTART, PROBE_STOP, PROBE_CHANGE_PERIOD, PROBE_DELETE };

/* Each timer's ID points at its probe, which its callback fills. Probes are static: a timer
 * left running by a failed case finds its probe taken by another timer and stops itself. */
struct timer_probe {
    TimerHandle_t timer;
    volatile uint32_t fired;
    volatile TickType_t first_tick;   /* tick count at the first callback */
    volatile TickType_t first_expiry; /* xTimerGetExpiryTime seen by the first callback */
    volatile BaseType_t first_active; /* xTimerIsTimerActive seen by the first callback */
    enum probe_action action;
    uint32_t limit;      /* PROBE_RESTART: restart until fired == limit; PROBE_STOP: stop at limit */
    TickType_t argument; /* PROBE_CHANGE_PERIOD: the new period */
    unsigned id;         /* logged by every callback when non-zero */
};

static struct timer_probe probe_a, probe_b, probe_c;

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
        /* once: a late service task runs an auto-reload callback once per missed period */
        if (probe->fired == 1) {
            (void)xTimerDelete(timer, 0);
        }
        break;
    default:
        break;
    }
}

static void probe_callback(TimerHandle_t timer)
{
    struct timer_probe *probe = pvTimerGetTimerID(timer);
    if (probe->timer != timer) {
        (void)xTimerStop(timer, 0); /* left over from a failed case */
        return;
    }
    uint32_t n = probe->fired;
    if (n == 0) {
        probe->first_tick = xTaskGetTickCount();
        probe->first_expiry = xTimerGetExpiryTime(timer);
        probe->first_active = xTimerIsTimerActive(timer);
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
    probe->timer = obj_timer("probe", period, auto_reload, probe, probe_callback);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(probe->timer));
    return probe->timer;
}

/* Ticks from `from` to `to`, right across a wrap of the tick count (the tick_wrap variants). */
static TickType_t ticks_between(TickType_t from, TickType_t to)
{
    return (TickType_t)(to - from);
}

/* Start the timer and return the tick its period counts from: both in one tick, because the
 * tick count stands still while the scheduler is suspended. */
static TickType_t start_now(TimerHandle_t timer)
{
    vTaskSuspendAll();
    TickType_t now = xTaskGetTickCount();
    BaseType_t result = xTimerStart(timer, 0);
    (void)xTaskResumeAll();
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdPASS, result);
    return now;
}

/* The callback count, the tick count and the timer's next expiry, all at one instant. */
struct timer_snapshot {
    uint32_t fired;
    TickType_t now;
    TickType_t next;
    BaseType_t active;
};

static struct timer_snapshot snapshot(struct timer_probe *probe)
{
    struct timer_snapshot snap;
    TickType_t period = xTimerGetPeriod(probe->timer);
    for (;;) {
        taskENTER_CRITICAL();
        snap.fired = probe->fired;
        snap.now = xTaskGetTickCount();
        snap.next = xTimerGetExpiryTime(probe->timer);
        snap.active = xTimerIsTimerActive(probe->timer);
        taskEXIT_CRITICAL();
        /* without preemption the service task may not have caught up yet: let it */
        if (!configUSE_PREEMPTION && snap.active && ticks_between(snap.now, snap.next) - 1u >= period) {
            taskYIELD();
            continue;
        }
        return snap;
    }
}

/* An active auto-reload timer with this period, started (or last changed) at `origin`, has
 * run once for every whole period since and next expires after now. */
static void assert_reloading(struct timer_probe *probe, TickType_t origin, TickType_t period)
{
    struct timer_snapshot snap = snapshot(probe);
    TEST_ASSERT_EQ(pdTRUE, snap.active);
    TEST_ASSERT_EQ(ticks_between(origin, snap.now) / period, snap.fired);
    TEST_ASSERT_EQ((TickType_t)(period * (snap.fired + 1)), ticks_between(origin, snap.next));
}

/* Every command below is followed by KT_LET_HIGHER_RUN(): under preemption the service task
 * has acted on it when the call returns; without, it does at that yield. */
static void delete_timer(TimerHandle_t timer)
{
    TEST_ASSERT_EQ(pdPASS, xTimerDelete(timer, 0));
    KT_LET_HIGHER_RUN();
}

/* ---- basic behaviour ---- */

TEST(Kernel, TimerOneShotFiresOnce)
{
    TimerHandle_t timer = make_timer(&probe_a, 3, pdFALSE);
    TickType_t start = start_now(timer);
    /* The service task outranks us, so the start is already done; a host that stalls this CPU
     * for the whole period may even have let the timer fire already. */
    TEST_ASSERT(xTimerIsTimerActive(timer) == pdTRUE || probe_a.fired == 1);
    TEST_ASSERT_EQ(3, ticks_between(start, xTimerGetExpiryTime(timer)));
    vTaskDelay(8);
    TEST_ASSERT_EQ(1, probe_a.fired);
    TEST_ASSERT_EQ(3, ticks_between(start, probe_a.first_expiry));
    TEST_ASSERT(ticks_between(start, probe_a.first_tick) >= 3); /* never early */
    TEST_ASSERT_EQ(pdFALSE, probe_a.first_active);              /* a one-shot is dormant in its callback */
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    vTaskDelay(4);
    TEST_ASSERT_EQ(1, probe_a.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerAutoReloadFiresEachPeriod)
{
    TimerHandle_t timer = make_timer(&probe_a, 4, pdTRUE);
    TickType_t start = start_now(timer);
    vTaskDelay(4 * 5 + 1);
    TEST_ASSERT(probe_a.fired >= 5);
    TEST_ASSERT_EQ(pdTRUE, probe_a.first_active);
    if (ticks_between(start, probe_a.first_tick) < 8) {
        /* on time, the timer is relinked before its callback runs (a late one catches up) */
        TEST_ASSERT_EQ(8, ticks_between(start, probe_a.first_expiry));
    }
    /* each reload is one period after the previous expiry, however late the callback ran */
    assert_reloading(&probe_a, start, 4);
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    uint32_t fired = probe_a.fired;
    vTaskDelay(9);
    TEST_ASSERT_EQ(fired, probe_a.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerStopBeforeExpiry)
{
    TimerHandle_t timer = make_timer(&probe_a, 20, pdTRUE);
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0)); /* stopping a dormant timer is harmless */
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    vTaskDelay(25);
    TEST_ASSERT_EQ(0, probe_a.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerResetPushesExpiryBack)
{
    TimerHandle_t timer = make_timer(&probe_a, 10, pdFALSE);
    TickType_t start = start_now(timer);
    vTaskDelay(5);
    vTaskSuspendAll();
    TickType_t reset = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdPASS, xTimerReset(timer, 0));
    (void)xTaskResumeAll();
    KT_LET_HIGHER_RUN();
    if (probe_a.fired == 0) { /* else the host held us up past the first expiry: nothing to reset */
        TEST_ASSERT_EQ(10, ticks_between(reset, xTimerGetExpiryTime(timer)));
        vTaskDelay(12);
        TEST_ASSERT_EQ(1, probe_a.fired);
        TEST_ASSERT_EQ(10, ticks_between(reset, probe_a.first_expiry));
        TEST_ASSERT(ticks_between(start, probe_a.first_tick) >= 15);
    }
    delete_timer(timer);
}

TEST(Kernel, TimerResetStartsDormantTimer)
{
    TimerHandle_t timer = make_timer(&probe_a, 3, pdFALSE);
    TEST_ASSERT_EQ(pdPASS, xTimerReset(timer, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer));
    vTaskDelay(5);
    TEST_ASSERT_EQ(1, probe_a.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerChangePeriodStartsDormantTimer)
{
    TimerHandle_t timer = make_timer(&probe_a, 50, pdFALSE);
    TEST_ASSERT_EQ(pdPASS, xTimerChangePeriod(timer, 3, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(3, xTimerGetPeriod(timer));
    struct timer_snapshot snap = snapshot(&probe_a);
    /* started one new period from when the service task took the change */
    if (snap.fired == 0) {
        TEST_ASSERT_EQ(pdTRUE, snap.active);
        TEST_ASSERT_RANGE(1, 3, ticks_between(snap.now, snap.next));
    }
    vTaskDelay(6);
    TEST_ASSERT_EQ(1, probe_a.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerChangePeriodOfRunningTimer)
{
    TimerHandle_t timer = make_timer(&probe_a, 20, pdTRUE);
    TickType_t start = start_now(timer);
    vTaskDelay(2);
    TEST_ASSERT_EQ(pdPASS, xTimerChangePeriod(timer, 3, 0));
    KT_LET_HIGHER_RUN();
    struct timer_snapshot snap = snapshot(&probe_a);
    TickType_t changed = (TickType_t)(snap.next - 3 * (snap.fired + 1));
    TEST_ASSERT(ticks_between(start, changed) >= 2);
    vTaskDelay(10);
    /* the new period counts from the change, not from the start */
    TEST_ASSERT(probe_a.fired >= 3);
    assert_reloading(&probe_a, changed, 3);
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    KT_LET_HIGHER_RUN();
    delete_timer(timer);
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, TimerDeleteStopsAndFrees)
{
    size_t before = xPortGetFreeHeapSize();
    TimerHandle_t timer = make_timer(&probe_a, 20, pdTRUE);
    TEST_ASSERT(xPortGetFreeHeapSize() < before);
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    KT_LET_HIGHER_RUN();
    delete_timer(timer);
    /* the service task outranks us: the timer is already gone */
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    vTaskDelay(25);
    TEST_ASSERT_EQ(0, probe_a.fired);
}
#endif

TEST(Kernel, TimerIdNameAndPeriod)
{
    static const char name[] = "probe-name";
    TimerHandle_t timer = make_timer(&probe_a, 7, pdFALSE);
    memset(&probe_b, 0, sizeof probe_b);
    probe_b.timer = timer;
    TEST_ASSERT_PTR_EQ(&probe_a, pvTimerGetTimerID(timer));
    TEST_ASSERT_STR_EQ("probe", pcTimerGetName(timer));
    TEST_ASSERT_EQ(7, xTimerGetPeriod(timer));
    vTimerSetTimerID(timer, &probe_b);
    TEST_ASSERT_PTR_EQ(&probe_b, pvTimerGetTimerID(timer));
    /* the callback finds its context through the new ID */
    TEST_ASSERT_EQ(pdPASS, xTimerChangePeriod(timer, 2, 0));
    KT_LET_HIGHER_RUN();
    vTaskDelay(4);
    TEST_ASSERT_EQ(0, probe_a.fired);
    TEST_ASSERT_EQ(1, probe_b.fired);
    delete_timer(timer);
    /* the name is kept by pointer */
    timer = obj_timer(name, 7, pdFALSE, &probe_a, probe_callback);
    TEST_ASSERT_PTR_EQ(name, pcTimerGetName(timer));
    delete_timer(timer);
}

TEST(Kernel, TimerReloadModeGetAndSet)
{
    TimerHandle_t timer = make_timer(&probe_a, 3, pdFALSE);
    TEST_ASSERT_EQ(pdFALSE, xTimerGetReloadMode(timer));
    TEST_ASSERT_EQ(0, uxTimerGetReloadMode(timer));
    vTimerSetReloadMode(timer, pdTRUE);
    TEST_ASSERT_EQ(pdTRUE, xTimerGetReloadMode(timer));
    TEST_ASSERT_EQ(1, uxTimerGetReloadMode(timer));
    TickType_t start = start_now(timer);
    vTaskDelay(10);
    assert_reloading(&probe_a, start, 3);
    /* back to one-shot while running: one more expiry, then dormant */
    taskENTER_CRITICAL();
    uint32_t fired = probe_a.fired;
    vTimerSetReloadMode(timer, pdFALSE);
    taskEXIT_CRITICAL();
    vTaskDelay(8);
    TEST_ASSERT_EQ(fired + 1, probe_a.fired);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    delete_timer(timer);
}

#if configASSERT_DEFINED && configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, TimerZeroPeriodAsserts)
{
    size_t before = xPortGetFreeHeapSize();
    TEST_EXPECT_ASSERT((void)xTimerCreate("zero", 0, pdFALSE, &probe_a, probe_callback));
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    TimerHandle_t timer = make_timer(&probe_a, 5, pdFALSE);
    TEST_EXPECT_ASSERT((void)xTimerChangePeriod(timer, 0, 0));
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    delete_timer(timer);
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
static StaticTimer_t static_timer;

TEST(Kernel, TimerStaticUsesNoHeap)
{
    StaticTimer_t *buffer = NULL;
    size_t before = xPortGetFreeHeapSize();
    memset(&probe_a, 0, sizeof probe_a);
    TimerHandle_t timer = xTimerCreateStatic("static", 2, pdFALSE, &probe_a, probe_callback, &static_timer);
    TEST_ASSERT_NOT_NULL(timer);
    probe_a.timer = timer;
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    TEST_ASSERT_EQ(pdTRUE, xTimerGetStaticBuffer(timer, &buffer));
    TEST_ASSERT_PTR_EQ(&static_timer, buffer);
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    KT_LET_HIGHER_RUN();
    vTaskDelay(4);
    TEST_ASSERT_EQ(1, probe_a.fired);
    delete_timer(timer);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
#if configSUPPORT_DYNAMIC_ALLOCATION
    timer = make_timer(&probe_a, 2, pdFALSE);
    TEST_ASSERT_EQ(pdFALSE, xTimerGetStaticBuffer(timer, &buffer));
    delete_timer(timer);
#endif
}
#endif

TEST(Kernel, TimerCallbacksRunInExpiryOrder)
{
    TimerHandle_t ta = make_timer(&probe_a, 5, pdFALSE);
    TimerHandle_t tb = make_timer(&probe_b, 2, pdFALSE);
    TimerHandle_t tc = make_timer(&probe_c, 3, pdFALSE);
    probe_a.id = 1;
    probe_b.id = 2;
    probe_c.id = 3;
    /* queue the three starts at one tick; the service task takes them when we resume */
    vTaskSuspendAll();
    (void)xTimerStart(ta, 0);
    (void)xTimerStart(tb, 0);
    (void)xTimerStart(tc, 0);
    (void)xTaskResumeAll();
    KT_LET_HIGHER_RUN();
    vTaskDelay(7);
    TEST_ASSERT_EQ(231, obj_log_digits());
    delete_timer(ta);
    delete_timer(tb);
    delete_timer(tc);
}

TEST(Kernel, TimerCommandsTakenInOrder)
{
    TimerHandle_t timer = make_timer(&probe_a, 3, pdTRUE);
    vTaskSuspendAll();
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    (void)xTaskResumeAll();
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    vTaskSuspendAll();
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    TEST_ASSERT_EQ(pdPASS, xTimerChangePeriod(timer, 25, 0));
    /* nothing has happened yet: the service task cannot run */
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    TEST_ASSERT_EQ(3, xTimerGetPeriod(timer));
    (void)xTaskResumeAll();
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(timer));
    TEST_ASSERT_EQ(25, xTimerGetPeriod(timer));
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(0, probe_a.fired);
    delete_timer(timer);
}

/* ---- callbacks acting on their own timer ---- */

TEST(Kernel, TimerCallbackRestartsOwnTimer)
{
    TimerHandle_t timer = make_timer(&probe_a, 2, pdFALSE);
    probe_a.action = PROBE_RESTART;
    probe_a.limit = 3;
    TickType_t start = start_now(timer);
    /* Not a fixed delay: a loaded host can deliver several ticks in one burst, ending the delay
     * before the timer task has run the restarts those ticks caused. */
    KT_WAIT_UNTIL(probe_a.fired == 3 && xTimerIsTimerActive(timer) == pdFALSE);
    vTaskDelay(4); /* two more periods: a fourth firing would show by now */
    TEST_ASSERT_EQ(3, probe_a.fired);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    /* each restart counts from its callback: three periods at least */
    TEST_ASSERT(ticks_between(start, xTimerGetExpiryTime(timer)) >= 6);
    delete_timer(timer);
}

TEST(Kernel, TimerCallbackStopsOwnTimer)
{
    TimerHandle_t timer = make_timer(&probe_a, 3, pdTRUE);
    probe_a.action = PROBE_STOP;
    probe_a.limit = 2;
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    KT_LET_HIGHER_RUN();
    vTaskDelay(14);
    /* 2, or 3 when a late service task ran two callbacks before it took the stop */
    uint32_t fired = probe_a.fired;
    TEST_ASSERT_RANGE(2, 3, fired);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(timer));
    vTaskDelay(7);
    TEST_ASSERT_EQ(fired, probe_a.fired);
    delete_timer(timer);
}

TEST(Kernel, TimerCallbackChangesOwnPeriod)
{
    TimerHandle_t timer = make_timer(&probe_a, 2, pdTRUE);
    probe_a.action = PROBE_CHANGE_PERIOD;
    probe_a.argument = 6;
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    KT_LET_HIGHER_RUN();
    vTaskDelay(11);
    TEST_ASSERT_EQ(6, xTimerGetPeriod(timer));
    /* expiries at +2, then every 6 from the change: by now 2 (a 2-tick period would give 5) */
    struct timer_snapshot snap = snapshot(&probe_a);
    TEST_ASSERT_EQ(pdTRUE, snap.active);
    TEST_ASSERT(snap.fired >= 2);
    TEST_ASSERT_RANGE(1, 6, ticks_between(snap.now, snap.next));
    vTaskDelay(7);
    struct timer_snapshot later = snapshot(&probe_a);
    TEST_ASSERT(later.fired > snap.fired);
    TEST_ASSERT_EQ(6 * (later.fired - snap.fired), ticks_between(snap.next, later.next));
    TEST_ASSERT_EQ(pdPASS, xTimerStop(timer, 0));
    KT_LET_HIGHER_RUN();
    delete_timer(timer);
}

TEST(Kernel, TimerCallbackDeletesOwnTimer)
{
    size_t before = xPortGetFreeHeapSize();
    TimerHandle_t timer = make_timer(&probe_a, 2, pdTRUE);
    probe_a.action = PROBE_DELETE;
    TEST_ASSERT_EQ(pdPASS, xTimerStart(timer, 0));
    KT_LET_HIGHER_RUN();
    vTaskDelay(9);
    uint32_t fired = probe_a.fired;
    TEST_ASSERT(fired >= 1);
    vTaskDelay(5);
    TEST_ASSERT_EQ(fired, probe_a.fired);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize()); /* freed, or static and never taken */
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
    struct isr_timer_op op = {make_timer(&probe_a, 3, pdFALSE), 0, 0, -1, -1};
    run_isr_command(&op, tmrCOMMAND_START_FROM_ISR);
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(op.timer));
    vTaskDelay(5);
    TEST_ASSERT_EQ(1, probe_a.fired);
    delete_timer(op.timer);
}

TEST(Kernel, TimerStopResetChangeFromIsr)
{
    struct isr_timer_op op = {make_timer(&probe_a, 20, pdTRUE), 0, 4, -1, -1};
    TEST_ASSERT_EQ(pdPASS, xTimerStart(op.timer, 0));
    KT_LET_HIGHER_RUN();
    run_isr_command(&op, tmrCOMMAND_STOP_FROM_ISR);
    TEST_ASSERT_EQ(pdFALSE, xTimerIsTimerActive(op.timer));
    run_isr_command(&op, tmrCOMMAND_RESET_FROM_ISR);
    TEST_ASSERT_EQ(pdTRUE, xTimerIsTimerActive(op.timer));
    run_isr_command(&op, tmrCOMMAND_CHANGE_PERIOD_FROM_ISR);
    TEST_ASSERT_EQ(4, xTimerGetPeriod(op.timer));
    struct timer_snapshot snap = snapshot(&probe_a);
    TickType_t changed = (TickType_t)(snap.next - 4 * (snap.fired + 1));
    vTaskDelay(9);
    TEST_ASSERT(probe_a.fired >= 2);
    assert_reloading(&probe_a, changed, 4);
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
    KT_LET_HIGHER_RUN();
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
