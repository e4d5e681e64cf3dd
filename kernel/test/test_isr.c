/* Alder kernel tests: what holds for every object kind at once: blocking calls refused in an ISR and with the
 * scheduler suspended, yields from an ISR, FromISR calls without a woken flag, bursts of interrupts. */
#include "test_objects.h"

/* One of each blocking object, each holding something so no call below would have to wait. */
struct objects {
    QueueHandle_t queue;
    SemaphoreHandle_t sem;
    EventGroupHandle_t group;
    StreamBufferHandle_t stream;
    unsigned fired; /* how many of the calls asserted */
    unsigned tried;
};

static void make_objects(struct objects *o)
{
    uint32_t item = 1;
    o->queue = obj_queue(2, sizeof(uint32_t));
    o->sem = obj_binary();
    o->group = obj_event_group();
    o->stream = obj_stream(8, 1, sbTYPE_STREAM_BUFFER);
    TEST_ASSERT_EQ(pdPASS, xQueueSend(o->queue, &item, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(o->sem));
    (void)xEventGroupSetBits(o->group, 0x01);
    TEST_ASSERT_EQ(2, xStreamBufferSend(o->stream, "ab", 2, 0));
    o->fired = 0;
    o->tried = 0;
}

/* Nothing was consumed: every asserting call stopped before it touched its object. */
static void check_and_delete_objects(struct objects *o)
{
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(o->queue));
    TEST_ASSERT_EQ(1, uxSemaphoreGetCount(o->sem));
    TEST_ASSERT_EQ(0x01, xEventGroupGetBits(o->group));
    TEST_ASSERT_EQ(2, xStreamBufferBytesAvailable(o->stream));
    vQueueDelete(o->queue);
    vSemaphoreDelete(o->sem);
    vEventGroupDelete(o->group);
    vStreamBufferDelete(o->stream);
}

static void call_queue_receive(void *arg)
{
    uint32_t item;
    (void)xQueueReceive(((struct objects *)arg)->queue, &item, 5);
}

static void call_queue_peek(void *arg)
{
    uint32_t item;
    (void)xQueuePeek(((struct objects *)arg)->queue, &item, 5);
}

static void call_queue_send(void *arg)
{
    uint32_t item = 2;
    (void)xQueueSend(((struct objects *)arg)->queue, &item, 5);
}

static void call_sem_take(void *arg)
{
    (void)xSemaphoreTake(((struct objects *)arg)->sem, 5);
}

static void call_group_wait(void *arg)
{
    (void)xEventGroupWaitBits(((struct objects *)arg)->group, 0x01, pdTRUE, pdFALSE, 5);
}

static void call_group_sync(void *arg)
{
    (void)xEventGroupSync(((struct objects *)arg)->group, 0, 0x01, 5);
}

static void call_stream_receive(void *arg)
{
    uint8_t out[2];
    (void)xStreamBufferReceive(((struct objects *)arg)->stream, out, sizeof out, 5);
}

static void call_stream_send(void *arg)
{
    (void)xStreamBufferSend(((struct objects *)arg)->stream, "c", 1, 5);
}

static void (*const blocking_calls[])(void *) = {
    call_queue_receive, call_queue_peek, call_queue_send,     call_sem_take,
    call_group_wait,    call_group_sync, call_stream_receive, call_stream_send,
};
#define BLOCKING_CALLS (sizeof blocking_calls / sizeof blocking_calls[0])

static void try_every_blocking_call(void *arg)
{
    struct objects *o = arg;
    for (unsigned i = 0; i < BLOCKING_CALLS; i++) {
        o->tried++;
        o->fired += obj_asserts(blocking_calls[i], o) ? 1u : 0u;
    }
}

#if configASSERT_DEFINED
TEST(Kernel, IsrBlockingCallsAssert)
{
    struct objects o;
    make_objects(&o);
    test_run_in_isr(try_every_blocking_call, &o);
    TEST_ASSERT_EQ(BLOCKING_CALLS, o.tried);
    TEST_ASSERT_EQ(BLOCKING_CALLS, o.fired);
    check_and_delete_objects(&o);
}

TEST(Kernel, BlockingCallsAssertWhileSchedulerSuspended)
{
    struct objects o;
    make_objects(&o);
    vTaskSuspendAll();
    try_every_blocking_call(&o);
    (void)xTaskResumeAll();
    TEST_ASSERT_EQ(BLOCKING_CALLS, o.tried);
    TEST_ASSERT_EQ(BLOCKING_CALLS, o.fired);
    check_and_delete_objects(&o);
}
#endif

struct suspended_results {
    struct objects o;
    BaseType_t queue_ok;
    BaseType_t sem_ok;
    EventBits_t bits;
    size_t stream_bytes;
};

static void zero_timeout_calls(void *arg)
{
    struct suspended_results *r = arg;
    uint32_t item = 0;
    uint8_t out[4];
    r->queue_ok =
        xQueueReceive(r->o.queue, &item, 0) == pdPASS && item == 1 && xQueueSend(r->o.queue, &item, 0) == pdPASS;
    r->sem_ok = xSemaphoreTake(r->o.sem, 0) == pdTRUE && xSemaphoreGive(r->o.sem) == pdTRUE;
    r->bits = xEventGroupWaitBits(r->o.group, 0x01, pdFALSE, pdFALSE, 0);
    r->stream_bytes = xStreamBufferReceive(r->o.stream, out, sizeof out, 0);
    (void)xStreamBufferSend(r->o.stream, out, r->stream_bytes, 0);
}

TEST(Kernel, ZeroTimeoutCallsAllowedWhileSchedulerSuspended)
{
    struct suspended_results r;
    make_objects(&r.o);
    vTaskSuspendAll();
    BaseType_t fired = obj_asserts(zero_timeout_calls, &r);
    (void)xTaskResumeAll();
    TEST_ASSERT_EQ(pdFALSE, fired);
    TEST_ASSERT_EQ(pdTRUE, r.queue_ok);
    TEST_ASSERT_EQ(pdTRUE, r.sem_ok);
    TEST_ASSERT_EQ(0x01, r.bits);
    TEST_ASSERT_EQ(2, r.stream_bytes);
    check_and_delete_objects(&r.o);
}

/* ---- yields at the end of an ISR ---- */

struct two_waiters {
    SemaphoreHandle_t low_sem;  /* the waiter at KT_HIGH */
    SemaphoreHandle_t high_sem; /* the waiter at KT_HIGHER */
    BaseType_t woken;
};

static void take_then_log_task(void *arg)
{
    SemaphoreHandle_t sem = arg;
    (void)xSemaphoreTake(sem, portMAX_DELAY);
    obj_log(uxTaskPriorityGet(NULL) == KT_HIGHER ? 2u : 1u);
    kt_park();
}

static void isr_give_both(void *arg)
{
    struct two_waiters *w = arg;
    w->woken = pdFALSE;
    (void)xSemaphoreGiveFromISR(w->low_sem, &w->woken);
    (void)xSemaphoreGiveFromISR(w->high_sem, &w->woken);
    portYIELD_FROM_ISR(w->woken);
}

TEST(Kernel, IsrWakesTasksInPriorityOrder)
{
    struct two_waiters w = {obj_binary(), obj_binary(), -1};
    obj_log_reset();
    TaskHandle_t low = obj_spawn(take_then_log_task, "isrlo", w.low_sem, KT_HIGH);
    TaskHandle_t high = obj_spawn(take_then_log_task, "isrhi", w.high_sem, KT_HIGHER);
    test_run_in_isr(isr_give_both, &w);
    TEST_ASSERT_EQ(pdTRUE, w.woken);
    /* both ran before the interrupted task, the higher first, whatever order the ISR woke them */
    TEST_ASSERT_EQ(21, obj_log_digits());
    kt_delete(low);
    kt_delete(high);
    vSemaphoreDelete(w.low_sem);
    vSemaphoreDelete(w.high_sem);
}

struct null_woken {
    QueueHandle_t queue;
    SemaphoreHandle_t sem;
    StreamBufferHandle_t stream;
    BaseType_t results;
};

static void isr_without_woken_flag(void *arg)
{
    struct null_woken *n = arg;
    uint32_t item = 9;
    n->results = 0;
    n->results += xQueueSendFromISR(n->queue, &item, NULL) == pdPASS;
    n->results += xSemaphoreGiveFromISR(n->sem, NULL) == pdTRUE;
    n->results += xStreamBufferSendFromISR(n->stream, "xy", 2, NULL) == 2;
}

static void receive_forever_task(void *arg)
{
    uint32_t item;
    (void)xQueueReceive((QueueHandle_t)arg, &item, portMAX_DELAY);
    obj_log(1);
    kt_park();
}

TEST(Kernel, IsrCallsAcceptNullWokenFlag)
{
    struct null_woken n = {obj_queue(1, sizeof(uint32_t)), obj_binary(), obj_stream(4, 1, sbTYPE_STREAM_BUFFER), 0};
    obj_log_reset();
    TaskHandle_t task = obj_spawn(receive_forever_task, "isrnull", n.queue, KT_HIGH);
    test_run_in_isr(isr_without_woken_flag, &n);
    TEST_ASSERT_EQ(3, n.results);
    /* the woken receiver runs by the next scheduling point at the latest */
    taskYIELD();
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(1, uxSemaphoreGetCount(n.sem));
    TEST_ASSERT_EQ(2, xStreamBufferBytesAvailable(n.stream));
    kt_delete(task);
    vQueueDelete(n.queue);
    vSemaphoreDelete(n.sem);
    vStreamBufferDelete(n.stream);
}

/* ---- bursts ---- */

static struct {
    QueueHandle_t queue;
    uint32_t next;
    volatile uint32_t sum;
    volatile uint32_t count;
} burst;

static void isr_post_next(void *arg)
{
    BaseType_t woken = pdFALSE;
    (void)arg;
    burst.next++;
    (void)xQueueSendFromISR(burst.queue, &burst.next, &woken);
    portYIELD_FROM_ISR(woken);
}

static void burst_consumer_task(void *arg)
{
    uint32_t item;
    (void)arg;
    for (;;) {
        if (xQueueReceive(burst.queue, &item, portMAX_DELAY) == pdPASS) {
            burst.sum += item;
            burst.count++;
        }
    }
}

TEST(Kernel, IsrBurstHandledByTask)
{
    burst.queue = obj_queue(2, sizeof(uint32_t));
    burst.next = 0;
    burst.sum = 0;
    burst.count = 0;
    TaskHandle_t task = obj_spawn(burst_consumer_task, "burst", NULL, KT_HIGH);
    for (uint32_t i = 1; i <= 50; i++) {
        test_run_in_isr(isr_post_next, NULL);
        /* the consumer outranks us: it has taken the item before we go on */
        TEST_ASSERT_EQ(i, burst.count);
    }
    TEST_ASSERT_EQ(50 * 51 / 2, burst.sum);
    TEST_ASSERT_EQ(0, uxQueueMessagesWaiting(burst.queue));
    kt_delete(task);
    vQueueDelete(burst.queue);
}
