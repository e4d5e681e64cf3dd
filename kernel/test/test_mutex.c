/* Alder kernel tests: mutexes and recursive mutexes (holders, priority inheritance and its undoing, ISR queries).
 * It must never leave a case running above its own priority, nor delete a mutex a task still waits on. */
#include "test_objects.h"

#if configUSE_MUTEXES

/* A helper that takes one mutex (logging `id` once it has it), holds it until notified,
 * then gives it back and logs id again. */
struct hold_job {
    SemaphoreHandle_t mutex;
    TickType_t timeout;
    BaseType_t taken;
    BaseType_t given;
    unsigned id;
};

static void hold_job_task(void *arg)
{
    struct hold_job *job = arg;
    job->taken = xSemaphoreTake(job->mutex, job->timeout);
    obj_log(job->id);
    if (job->taken == pdTRUE) {
        (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
        job->given = xSemaphoreGive(job->mutex);
        obj_log(job->id);
    }
    kt_park();
}

/* A helper that takes the mutex, logs, and gives it straight back. */
static void take_give_task(void *arg)
{
    struct hold_job *job = arg;
    job->taken = xSemaphoreTake(job->mutex, job->timeout);
    obj_log(job->id);
    if (job->taken == pdTRUE) {
        job->given = xSemaphoreGive(job->mutex);
    }
    kt_park();
}

static TaskHandle_t start_timed_job(TaskFunction_t code, struct hold_job *job, SemaphoreHandle_t mutex, unsigned id,
                                    UBaseType_t priority, TickType_t timeout)
{
    job->mutex = mutex;
    job->timeout = timeout;
    job->taken = -1;
    job->given = -1;
    job->id = id;
    return obj_spawn(code, "mtx", job, priority);
}

#define start_job(code, job, mutex, id, priority)                                                                      \
    start_timed_job((code), (job), (mutex), (id), (priority), portMAX_DELAY)

static SemaphoreHandle_t make_mutex(void)
{
    SemaphoreHandle_t mutex = obj_mutex();
    obj_log_reset();
    return mutex;
}

static void assert_priority(UBaseType_t expected, TaskHandle_t task)
{
    TEST_ASSERT_EQ(expected, uxTaskPriorityGet(task));
}

TEST(Kernel, MutexTakeGiveTracksHolder)
{
    SemaphoreHandle_t mutex = make_mutex();
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(1, uxSemaphoreGetCount(mutex));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TEST_ASSERT_PTR_EQ(xTaskGetCurrentTaskHandle(), xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(0, uxSemaphoreGetCount(mutex));
    /* not recursive: the holder cannot take it again */
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(mutex, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreGive(mutex));
    vSemaphoreDelete(mutex);
}

#if configSUPPORT_STATIC_ALLOCATION
static StaticSemaphore_t static_mutex;

TEST(Kernel, MutexStaticUsesNoHeap)
{
    size_t before = xPortGetFreeHeapSize();
    StaticSemaphore_t *buffer = NULL;
    SemaphoreHandle_t mutex = xSemaphoreCreateMutexStatic(&static_mutex);
    TEST_ASSERT_NOT_NULL(mutex);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGetStaticBuffer(mutex, &buffer));
    TEST_ASSERT_PTR_EQ(&static_mutex, buffer);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    vSemaphoreDelete(mutex);
#if configUSE_RECURSIVE_MUTEXES
    mutex = xSemaphoreCreateRecursiveMutexStatic(&static_mutex);
    TEST_ASSERT_NOT_NULL(mutex);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTakeRecursive(mutex, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTakeRecursive(mutex, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGiveRecursive(mutex));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGiveRecursive(mutex));
    vSemaphoreDelete(mutex);
#endif
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}
#endif

struct give_attempt {
    SemaphoreHandle_t mutex;
    BaseType_t result;
    BaseType_t recursive;
};

static void give_attempt_task(void *arg)
{
    struct give_attempt *attempt = arg;
#if configUSE_RECURSIVE_MUTEXES
    if (attempt->recursive) {
        attempt->result = xSemaphoreGiveRecursive(attempt->mutex);
    } else
#endif
    {
        attempt->result = xSemaphoreGive(attempt->mutex);
    }
    obj_log(1);
    kt_park();
}

TEST(Kernel, MutexGiveByNonHolderFails)
{
    SemaphoreHandle_t mutex = make_mutex();
    struct give_attempt attempt = {mutex, -1, pdFALSE};
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TaskHandle_t task = obj_spawn(give_attempt_task, "give", &attempt, KT_HIGH);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(pdFALSE, attempt.result);
    TEST_ASSERT_PTR_EQ(xTaskGetCurrentTaskHandle(), xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(0, uxSemaphoreGetCount(mutex));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    kt_delete(task);
    vSemaphoreDelete(mutex);
}

TEST(Kernel, MutexTakeTimesOut)
{
    SemaphoreHandle_t mutex = make_mutex();
    struct hold_job job;
    TaskHandle_t holder = start_job(hold_job_task, &job, mutex, 1, KT_HIGH);
    TEST_ASSERT_EQ(pdTRUE, job.taken);
    TEST_ASSERT_PTR_EQ(holder, xSemaphoreGetMutexHolder(mutex));
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(mutex, 5));
    OBJ_ASSERT_ELAPSED(5, start);
    /* we are below the holder: nothing to inherit, nothing to undo */
    assert_priority(KT_HIGH, holder);
    assert_priority(TEST_CASE_PRIORITY, NULL);
    (void)xTaskNotifyGive(holder);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdTRUE, job.given);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    kt_delete(holder);
    vSemaphoreDelete(mutex);
}

/* ---- priority inheritance ---- */

TEST(Kernel, MutexHolderInheritsWaiterPriority)
{
    SemaphoreHandle_t mutex = make_mutex();
    struct hold_job high;
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TaskHandle_t th = start_job(take_give_task, &high, mutex, 1, KT_HIGHER);
    assert_priority(KT_HIGHER, NULL);
    TEST_ASSERT_EQ(TEST_CASE_PRIORITY, uxTaskBasePriorityGet(NULL));
    /* a middle priority task must not run while we hold what the high one needs */
    TaskHandle_t tm = obj_spawn(obj_marker_task, "mid", (void *)2, KT_HIGH);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    KT_LET_HIGHER_RUN();
    assert_priority(TEST_CASE_PRIORITY, NULL);
    TEST_ASSERT_EQ(12, obj_log_digits());
    TEST_ASSERT_EQ(pdTRUE, high.given);
    kt_delete(th);
    kt_delete(tm);
    vSemaphoreDelete(mutex);
}

struct chain_job {
    SemaphoreHandle_t m1;
    SemaphoreHandle_t m2;
};

/* Takes m1, then waits for m2; gives both back in reverse order once it has m2. */
static void chain_middle_task(void *arg)
{
    struct chain_job *job = arg;
    (void)xSemaphoreTake(job->m1, portMAX_DELAY);
    (void)xSemaphoreTake(job->m2, portMAX_DELAY);
    (void)xSemaphoreGive(job->m2);
    (void)xSemaphoreGive(job->m1);
    KT_LET_HIGHER_RUN();
    obj_log(2);
    kt_park();
}

static void chain_high_task(void *arg)
{
    struct chain_job *job = arg;
    (void)xSemaphoreTake(job->m1, portMAX_DELAY);
    obj_log(1);
    (void)xSemaphoreGive(job->m1);
    kt_park();
}

TEST(Kernel, MutexInheritanceFollowsChain)
{
    struct chain_job job = {make_mutex(), make_mutex()};
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(job.m2, 0));
    TaskHandle_t mid = obj_spawn(chain_middle_task, "mid", &job, KT_HIGH);
    assert_priority(KT_HIGH, NULL);
    TaskHandle_t high = obj_spawn(chain_high_task, "high", &job, KT_HIGHER);
    /* high waits on m1 held by mid, which waits on m2 held by us: both are raised to high's */
    assert_priority(KT_HIGHER, mid);
    assert_priority(KT_HIGHER, NULL);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(job.m2));
    KT_LET_HIGHER_RUN();
    assert_priority(TEST_CASE_PRIORITY, NULL);
    TEST_ASSERT_EQ(12, obj_log_digits());
    assert_priority(KT_HIGH, mid);
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(job.m1));
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(job.m2));
    kt_delete(mid);
    kt_delete(high);
    vSemaphoreDelete(job.m1);
    vSemaphoreDelete(job.m2);
}

TEST(Kernel, MutexPriorityKeptUntilLastMutexGiven)
{
    SemaphoreHandle_t a = make_mutex();
    SemaphoreHandle_t b = make_mutex();
    struct hold_job high;
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(a, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(b, 0));
    TaskHandle_t th = start_job(take_give_task, &high, a, 1, KT_HIGHER);
    assert_priority(KT_HIGHER, NULL);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(b));
    assert_priority(KT_HIGHER, NULL);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(a));
    KT_LET_HIGHER_RUN();
    assert_priority(TEST_CASE_PRIORITY, NULL);
    TEST_ASSERT_EQ(1, obj_log_count());
    kt_delete(th);
    vSemaphoreDelete(a);
    vSemaphoreDelete(b);
}

TEST(Kernel, MutexDisinheritsAfterWaiterTimesOut)
{
    SemaphoreHandle_t mutex = make_mutex();
    struct hold_job mid, high;
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TaskHandle_t tm = start_job(take_give_task, &mid, mutex, 2, KT_HIGH);
    assert_priority(KT_HIGH, NULL);
    TaskHandle_t th = start_timed_job(take_give_task, &high, mutex, 1, KT_HIGHER, 5);
    assert_priority(KT_HIGHER, NULL);
    vTaskDelay(10);
    TEST_ASSERT_EQ(pdFALSE, high.taken);
    /* high gave up: we drop to the best priority still waiting (mid's), not to our own */
    assert_priority(KT_HIGH, NULL);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    KT_LET_HIGHER_RUN();
    assert_priority(TEST_CASE_PRIORITY, NULL);
    TEST_ASSERT_EQ(12, obj_log_digits());
    TEST_ASSERT_EQ(pdTRUE, mid.taken);
    kt_delete(tm);
    kt_delete(th);
    vSemaphoreDelete(mutex);
}

TEST(Kernel, MutexDisinheritsFullyWhenLastWaiterTimesOut)
{
    SemaphoreHandle_t mutex = make_mutex();
    struct hold_job high;
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TaskHandle_t th = start_timed_job(take_give_task, &high, mutex, 1, KT_HIGHER, 3);
    assert_priority(KT_HIGHER, NULL);
    vTaskDelay(6);
    TEST_ASSERT_EQ(pdFALSE, high.taken);
    assert_priority(TEST_CASE_PRIORITY, NULL);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    kt_delete(th);
    vSemaphoreDelete(mutex);
}

TEST(Kernel, MutexWaitersServedByPriority)
{
    SemaphoreHandle_t mutex = make_mutex();
    struct hold_job a, b, c;
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TaskHandle_t ta = start_job(take_give_task, &a, mutex, 1, KT_HIGH);
    /* we now run at KT_HIGH: block so that the next equal priority waiter queues up too */
    TaskHandle_t tc = start_job(take_give_task, &c, mutex, 3, KT_HIGH);
    vTaskDelay(1);
    TaskHandle_t tb = start_job(take_give_task, &b, mutex, 2, KT_HIGHER);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(213, obj_log_digits());
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(mutex));
    kt_delete(ta);
    kt_delete(tb);
    kt_delete(tc);
    vSemaphoreDelete(mutex);
}

TEST(Kernel, MutexWaiterDeletedLeavesMutexUsable)
{
    SemaphoreHandle_t mutex = make_mutex();
    struct hold_job high;
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TaskHandle_t th = start_job(take_give_task, &high, mutex, 1, KT_HIGHER);
    assert_priority(KT_HIGHER, NULL);
    kt_delete(th);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    assert_priority(TEST_CASE_PRIORITY, NULL);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(mutex, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(mutex));
    vSemaphoreDelete(mutex);
}

TEST(Kernel, MutexHolderDeletedWhileHolding)
{
    /* Alder refuses to delete a task that holds a mutex (configASSERT, before anything changes):
     * the mutex would stay held by freed memory and its waiter blocked for ever. The holder is
     * untouched, still raised by its waiter, and once it gives the mutex back all goes on. */
    SemaphoreHandle_t mutex = make_mutex();
    struct hold_job holder, waiter;
    TaskHandle_t th = start_job(hold_job_task, &holder, mutex, 1, KT_HIGH);
    TEST_ASSERT_EQ(pdTRUE, holder.taken);
    TaskHandle_t tw = start_job(take_give_task, &waiter, mutex, 2, KT_HIGHER);
    assert_priority(KT_HIGHER, th);
    TEST_EXPECT_ASSERT(vTaskDelete(th));
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(th));
    TEST_ASSERT_PTR_EQ(th, xSemaphoreGetMutexHolder(mutex));
    assert_priority(KT_HIGHER, th);
    (void)xTaskNotifyGive(th);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdTRUE, holder.given);
    TEST_ASSERT_EQ(pdTRUE, waiter.taken);
    TEST_ASSERT_EQ(3, obj_log_count());
    kt_delete(th);
    kt_delete(tw);
    vSemaphoreDelete(mutex);
}

/* ---- from an interrupt ---- */

struct isr_holder_query {
    SemaphoreHandle_t mutex;
    TaskHandle_t holder;
};

static void isr_get_holder(void *arg)
{
    struct isr_holder_query *query = arg;
    query->holder = xSemaphoreGetMutexHolderFromISR(query->mutex);
}

TEST(Kernel, MutexHolderFromIsr)
{
    struct isr_holder_query query = {make_mutex(), (TaskHandle_t)&query};
    test_run_in_isr(isr_get_holder, &query);
    TEST_ASSERT_NULL(query.holder);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(query.mutex, 0));
    test_run_in_isr(isr_get_holder, &query);
    TEST_ASSERT_PTR_EQ(xTaskGetCurrentTaskHandle(), query.holder);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(query.mutex));
    test_run_in_isr(isr_get_holder, &query);
    TEST_ASSERT_NULL(query.holder);
    vSemaphoreDelete(query.mutex);
}

/* ---- recursive mutexes ---- */

#if configUSE_RECURSIVE_MUTEXES
static SemaphoreHandle_t make_recursive(void)
{
    SemaphoreHandle_t mutex = obj_recursive_mutex();
    obj_log_reset();
    return mutex;
}

TEST(Kernel, MutexRecursiveCountsTakes)
{
    SemaphoreHandle_t mutex = make_recursive();
    TaskHandle_t self = xTaskGetCurrentTaskHandle();
    for (int i = 0; i < 3; i++) {
        TEST_ASSERT_EQ(pdTRUE, xSemaphoreTakeRecursive(mutex, 0));
    }
    for (int i = 0; i < 2; i++) {
        TEST_ASSERT_EQ(pdTRUE, xSemaphoreGiveRecursive(mutex));
        TEST_ASSERT_PTR_EQ(self, xSemaphoreGetMutexHolder(mutex));
    }
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGiveRecursive(mutex));
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreGiveRecursive(mutex));
    vSemaphoreDelete(mutex);
}

TEST(Kernel, MutexRecursiveGiveByNonOwnerFails)
{
    SemaphoreHandle_t mutex = make_recursive();
    struct give_attempt attempt = {mutex, -1, pdTRUE};
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTakeRecursive(mutex, 0));
    TaskHandle_t task = obj_spawn(give_attempt_task, "give", &attempt, KT_HIGH);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(pdFALSE, attempt.result);
    TEST_ASSERT_PTR_EQ(xTaskGetCurrentTaskHandle(), xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGiveRecursive(mutex));
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(mutex));
    kt_delete(task);
    vSemaphoreDelete(mutex);
}

static void recursive_take_task(void *arg)
{
    SemaphoreHandle_t mutex = arg;
    (void)xSemaphoreTakeRecursive(mutex, portMAX_DELAY);
    obj_log(1);
    (void)xSemaphoreGiveRecursive(mutex);
    kt_park();
}

TEST(Kernel, MutexRecursiveWaiterGetsItAfterLastGive)
{
    SemaphoreHandle_t mutex = make_recursive();
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTakeRecursive(mutex, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTakeRecursive(mutex, 0));
    TaskHandle_t task = obj_spawn(recursive_take_task, "rec", mutex, KT_HIGHER);
    assert_priority(KT_HIGHER, NULL);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGiveRecursive(mutex));
    TEST_ASSERT_EQ(0, obj_log_count());
    assert_priority(KT_HIGHER, NULL);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGiveRecursive(mutex));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, obj_log_count());
    assert_priority(TEST_CASE_PRIORITY, NULL);
    kt_delete(task);
    vSemaphoreDelete(mutex);
}

/* Takes the recursive mutex twice, holds it until notified, gives it back twice. */
static void recursive_hold_task(void *arg)
{
    SemaphoreHandle_t mutex = arg;
    (void)xSemaphoreTakeRecursive(mutex, portMAX_DELAY);
    (void)xSemaphoreTakeRecursive(mutex, portMAX_DELAY);
    obj_log(1);
    (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    (void)xSemaphoreGiveRecursive(mutex);
    (void)xSemaphoreGiveRecursive(mutex);
    obj_log(2);
    kt_park();
}

TEST(Kernel, MutexRecursiveTakeTimesOut)
{
    SemaphoreHandle_t mutex = make_recursive();
    TaskHandle_t holder = obj_spawn(recursive_hold_task, "rec", mutex, KT_HIGH);
    TEST_ASSERT_EQ(1, obj_log_digits());
    TEST_ASSERT_PTR_EQ(holder, xSemaphoreGetMutexHolder(mutex));
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTakeRecursive(mutex, 4));
    OBJ_ASSERT_ELAPSED(4, start);
    (void)xTaskNotifyGive(holder);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(12, obj_log_digits());
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTakeRecursive(mutex, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGiveRecursive(mutex));
    kt_delete(holder);
    vSemaphoreDelete(mutex);
}
#endif /* configUSE_RECURSIVE_MUTEXES */

#endif /* configUSE_MUTEXES */
