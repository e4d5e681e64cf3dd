/* Alder kernel tests: binary and counting semaphores (limits, counts, timeouts, waiter order, ISR forms).
 * It must never rely on timing to order tasks, nor delete a semaphore a task still waits on. */
#include "test_objects.h"

struct take_job {
    SemaphoreHandle_t sem;
    TickType_t timeout;
    BaseType_t result;
    unsigned id;
};

static void take_job_task(void *arg)
{
    struct take_job *job = arg;
    job->result = xSemaphoreTake(job->sem, job->timeout);
    obj_log(job->id);
    kt_park();
}

static TaskHandle_t start_taker(struct take_job *job, SemaphoreHandle_t sem, unsigned id, UBaseType_t priority)
{
    job->sem = sem;
    job->timeout = portMAX_DELAY;
    job->result = -1;
    job->id = id;
    return obj_spawn(take_job_task, "take", job, priority);
}

static SemaphoreHandle_t make_binary(void)
{
    SemaphoreHandle_t sem = obj_binary();
    obj_log_reset();
    return sem;
}

TEST(Kernel, SemaphoreBinaryStartsEmpty)
{
    SemaphoreHandle_t sem = make_binary();
    TEST_ASSERT_EQ(0, uxSemaphoreGetCount(sem));
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(sem, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(sem));
    TEST_ASSERT_EQ(1, uxSemaphoreGetCount(sem));
    /* binary: a second give has nowhere to go */
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreGive(sem));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(sem, 0));
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(sem, 0));
    vSemaphoreDelete(sem);
}

#if configSUPPORT_STATIC_ALLOCATION
static StaticSemaphore_t static_sem;

TEST(Kernel, SemaphoreStaticUsesNoHeap)
{
    size_t before = xPortGetFreeHeapSize();
    SemaphoreHandle_t sem = xSemaphoreCreateBinaryStatic(&static_sem);
    TEST_ASSERT_NOT_NULL(sem);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(sem));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(sem, 0));
    vSemaphoreDelete(sem);
#if configUSE_COUNTING_SEMAPHORES
    sem = xSemaphoreCreateCountingStatic(4, 2, &static_sem);
    TEST_ASSERT_NOT_NULL(sem);
    TEST_ASSERT_EQ(2, uxSemaphoreGetCount(sem));
    vSemaphoreDelete(sem);
#endif
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}
#endif

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, SemaphoreDeleteReturnsHeap)
{
    size_t before = xPortGetFreeHeapSize();
    SemaphoreHandle_t sem = make_binary();
    TEST_ASSERT(xPortGetFreeHeapSize() < before);
    vSemaphoreDelete(sem);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}
#endif

#if configUSE_COUNTING_SEMAPHORES
TEST(Kernel, SemaphoreCountingMaxAndInitial)
{
    SemaphoreHandle_t sem = obj_counting(3, 1);
    TEST_ASSERT_EQ(1, uxSemaphoreGetCount(sem));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(sem));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(sem));
    TEST_ASSERT_EQ(3, uxSemaphoreGetCount(sem));
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreGive(sem));
    TEST_ASSERT_EQ(3, uxSemaphoreGetCount(sem));
    for (int i = 2; i >= 0; i--) {
        TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(sem, 0));
        TEST_ASSERT_EQ(i, uxSemaphoreGetCount(sem));
    }
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(sem, 0));
    vSemaphoreDelete(sem);
}

TEST(Kernel, SemaphoreCountingStartsFull)
{
    SemaphoreHandle_t sem = obj_counting(5, 5);
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreGive(sem));
    for (int i = 0; i < 5; i++) {
        TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(sem, 0));
    }
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(sem, 0));
    vSemaphoreDelete(sem);
}

#if configASSERT_DEFINED && configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, SemaphoreCountingInitialAboveMaxAsserts)
{
    size_t before = xPortGetFreeHeapSize();
    TEST_EXPECT_ASSERT((void)xSemaphoreCreateCounting(2, 3));
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}
#endif
#endif /* configUSE_COUNTING_SEMAPHORES */

TEST(Kernel, SemaphoreTakeTimesOut)
{
    SemaphoreHandle_t sem = make_binary();
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(sem, 5));
    OBJ_ASSERT_ELAPSED(5, start);
    vSemaphoreDelete(sem);
}

static void delayed_give_task(void *arg)
{
    vTaskDelay(2);
    (void)xSemaphoreGive((SemaphoreHandle_t)arg);
    kt_park();
}

TEST(Kernel, SemaphoreTakeWakesOnGive)
{
    SemaphoreHandle_t sem = make_binary();
    TaskHandle_t low = obj_spawn(delayed_give_task, "give", sem, KT_LOW);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(sem, 40));
    OBJ_ASSERT_ELAPSED(2, start);
    TEST_ASSERT_EQ(0, uxSemaphoreGetCount(sem));
    kt_delete(low);
    vSemaphoreDelete(sem);
}

TEST(Kernel, SemaphoreGiveWakesByPriorityThenFifo)
{
    SemaphoreHandle_t sem = make_binary();
    struct take_job a, b, c, d;
    TaskHandle_t ta = start_taker(&a, sem, 1, KT_HIGH);
    TaskHandle_t tb = start_taker(&b, sem, 2, KT_HIGH);
    TaskHandle_t tc = start_taker(&c, sem, 3, KT_HIGHER);
    TaskHandle_t td = start_taker(&d, sem, 4, KT_HIGH);
    for (int i = 0; i < 4; i++) {
        TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(sem));
        KT_LET_HIGHER_RUN();
    }
    TEST_ASSERT_EQ(3124, obj_log_digits());
    TEST_ASSERT_EQ(pdTRUE, a.result);
    TEST_ASSERT_EQ(pdTRUE, d.result);
    TEST_ASSERT_EQ(0, uxSemaphoreGetCount(sem));
    kt_delete(ta);
    kt_delete(tb);
    kt_delete(tc);
    kt_delete(td);
    vSemaphoreDelete(sem);
}

/* ---- from an interrupt ---- */

struct isr_sem_op {
    SemaphoreHandle_t sem;
    int repeat;
    BaseType_t result;
    BaseType_t woken;
    UBaseType_t count;
};

static void isr_give(void *arg)
{
    struct isr_sem_op *op = arg;
    op->woken = pdFALSE;
    for (int i = 0; i < op->repeat; i++) {
        op->result = xSemaphoreGiveFromISR(op->sem, &op->woken);
    }
    op->count = uxSemaphoreGetCountFromISR(op->sem);
    portYIELD_FROM_ISR(op->woken);
}

static void isr_take(void *arg)
{
    struct isr_sem_op *op = arg;
    op->woken = pdFALSE;
    op->result = xSemaphoreTakeFromISR(op->sem, &op->woken);
    op->count = uxSemaphoreGetCountFromISR(op->sem);
    portYIELD_FROM_ISR(op->woken);
}

TEST(Kernel, SemaphoreGiveFromIsrWakesTask)
{
    struct isr_sem_op op = {make_binary(), 1, -1, -1, 99};
    struct take_job job;
    TaskHandle_t task = start_taker(&job, op.sem, 1, KT_HIGH);
    test_run_in_isr(isr_give, &op);
    TEST_ASSERT_EQ(pdTRUE, op.result);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(1, op.count); /* the waiter takes it once the ISR is over */
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(pdTRUE, job.result);
    TEST_ASSERT_EQ(0, uxSemaphoreGetCount(op.sem));
    kt_delete(task);
    vSemaphoreDelete(op.sem);
}

TEST(Kernel, SemaphoreGiveFromIsrWithoutWaiter)
{
    struct isr_sem_op op = {make_binary(), 2, -1, -1, 99};
    test_run_in_isr(isr_give, &op);
    TEST_ASSERT_EQ(pdFALSE, op.result); /* the second give found it full */
    TEST_ASSERT_EQ(pdFALSE, op.woken);
    TEST_ASSERT_EQ(1, op.count);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(op.sem, 0));
    vSemaphoreDelete(op.sem);
}

TEST(Kernel, SemaphoreTakeFromIsr)
{
    struct isr_sem_op op = {make_binary(), 0, -1, -1, 99};
    test_run_in_isr(isr_take, &op);
    TEST_ASSERT_EQ(pdFALSE, op.result);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(op.sem));
    test_run_in_isr(isr_take, &op);
    TEST_ASSERT_EQ(pdTRUE, op.result);
    TEST_ASSERT_EQ(0, op.count);
    TEST_ASSERT_EQ(0, uxSemaphoreGetCount(op.sem));
    vSemaphoreDelete(op.sem);
}

#if configUSE_COUNTING_SEMAPHORES
TEST(Kernel, SemaphoreCountingGiveFromIsr)
{
    struct isr_sem_op op = {obj_counting(3, 0), 4, -1, -1, 99};
    test_run_in_isr(isr_give, &op);
    TEST_ASSERT_EQ(pdFALSE, op.result); /* the fourth give is over the maximum */
    TEST_ASSERT_EQ(3, op.count);
    TEST_ASSERT_EQ(3, uxSemaphoreGetCount(op.sem));
    test_run_in_isr(isr_take, &op);
    TEST_ASSERT_EQ(pdTRUE, op.result);
    TEST_ASSERT_EQ(2, op.count);
    vSemaphoreDelete(op.sem);
}

/* A handler task that counts the events an interrupt signals through a counting semaphore. */
static struct {
    SemaphoreHandle_t sem;
    volatile uint32_t handled;
} events;

static void count_events_task(void *arg)
{
    (void)arg;
    for (;;) {
        (void)xSemaphoreTake(events.sem, portMAX_DELAY);
        events.handled++;
    }
}

TEST(Kernel, SemaphoreCountingDefersInterruptEvents)
{
    /* a lower priority handler sees every event even when several arrive before it runs */
    events.sem = obj_counting(10, 0);
    events.handled = 0;
    struct isr_sem_op op = {events.sem, 1, -1, -1, 99};
    TaskHandle_t task = obj_spawn(count_events_task, "cnt", NULL, KT_LOW);
    for (int i = 0; i < 7; i++) {
        test_run_in_isr(isr_give, &op);
        TEST_ASSERT_EQ(pdFALSE, op.woken);
    }
    TEST_ASSERT_EQ(0, events.handled);
    TEST_ASSERT_EQ(7, uxSemaphoreGetCount(events.sem));
    KT_WAIT_UNTIL(events.handled == 7);
    TEST_ASSERT_EQ(7, events.handled);
    TEST_ASSERT_EQ(0, uxSemaphoreGetCount(events.sem));
    kt_delete(task);
    vSemaphoreDelete(events.sem);
}
#endif
