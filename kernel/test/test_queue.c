/* Alder kernel tests: queues (create, ordering, overwrite, peek, timeouts, waiter order, ISR forms, reset, registry).
 * It must never rely on timing to order tasks, nor leave a task blocked on a queue it deletes. */
#include <string.h>

#include "test_objects.h"

/* One blocking queue operation done by a helper task, then logged. */
struct queue_job {
    QueueHandle_t queue;
    TickType_t timeout;
    uint32_t value; /* sent, or received */
    BaseType_t result;
    unsigned id;
};

static void receive_job_task(void *arg)
{
    struct queue_job *job = arg;
    job->result = xQueueReceive(job->queue, &job->value, job->timeout);
    obj_log(job->id);
    kt_park();
}

static void send_job_task(void *arg)
{
    struct queue_job *job = arg;
    job->result = xQueueSendToBack(job->queue, &job->value, job->timeout);
    obj_log(job->id);
    kt_park();
}

/* Start a helper that blocks forever on the queue; a sender sends 100 + id. */
static TaskHandle_t start_job(TaskFunction_t code, struct queue_job *job, QueueHandle_t queue, unsigned id,
                              UBaseType_t priority)
{
    job->queue = queue;
    job->timeout = portMAX_DELAY;
    job->value = 100u + id;
    job->result = -1;
    job->id = id;
    return obj_spawn(code, "qjob", job, priority);
}

/* Both let a helper they wake run before they return, as preemption would. */
static uint32_t receive_now(QueueHandle_t queue)
{
    uint32_t value = 0;
    TEST_ASSERT_EQ(pdTRUE, xQueueReceive(queue, &value, 0));
    KT_LET_HIGHER_RUN();
    return value;
}

static void send_now(QueueHandle_t queue, uint32_t value)
{
    TEST_ASSERT_EQ(pdTRUE, xQueueSendToBack(queue, &value, 0));
    KT_LET_HIGHER_RUN();
}

static QueueHandle_t make_queue(UBaseType_t length)
{
    QueueHandle_t queue = obj_queue(length, sizeof(uint32_t));
    obj_log_reset();
    return queue;
}

/* ---- creation and deletion ---- */

TEST(Kernel, QueueCreateIsEmpty)
{
    QueueHandle_t queue = make_queue(4);
    uint32_t value;
    TEST_ASSERT_EQ(0, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(4, uxQueueSpacesAvailable(queue));
    TEST_ASSERT_EQ(pdFALSE, xQueueReceive(queue, &value, 0));
    TEST_ASSERT_EQ(pdFALSE, xQueuePeek(queue, &value, 0));
    vQueueDelete(queue);
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, QueueDeleteReturnsHeap)
{
    size_t before = xPortGetFreeHeapSize();
    QueueHandle_t queue = xQueueCreate(8, 16);
    TEST_ASSERT_NOT_NULL(queue);
    TEST_ASSERT(xPortGetFreeHeapSize() <= before - 8 * 16);
    vQueueDelete(queue);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
static StaticQueue_t static_queue;
static uint32_t static_queue_storage[3];

TEST(Kernel, QueueCreateStaticUsesCallerMemory)
{
    size_t before = xPortGetFreeHeapSize();
    const uint32_t marker = 0xA5C3E1F7u;
    memset(static_queue_storage, 0, sizeof static_queue_storage);
    QueueHandle_t queue = xQueueCreateStatic(3, sizeof(uint32_t), (uint8_t *)static_queue_storage, &static_queue);
    TEST_ASSERT_NOT_NULL(queue);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    send_now(queue, marker);
    /* the item must have been copied into the storage the caller gave */
    TEST_ASSERT(static_queue_storage[0] == marker || static_queue_storage[1] == marker ||
                static_queue_storage[2] == marker);
    send_now(queue, 2);
    send_now(queue, 3);
    TEST_ASSERT_EQ(0, uxQueueSpacesAvailable(queue));
    TEST_ASSERT_EQ(marker, receive_now(queue));
    TEST_ASSERT_EQ(2, receive_now(queue));
    vQueueDelete(queue);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}

TEST(Kernel, QueueGetStaticBuffers)
{
    uint8_t *storage = NULL;
    StaticQueue_t *object = NULL;
    QueueHandle_t queue = xQueueCreateStatic(3, sizeof(uint32_t), (uint8_t *)static_queue_storage, &static_queue);
    TEST_ASSERT_EQ(pdTRUE, xQueueGetStaticBuffers(queue, &storage, &object));
    TEST_ASSERT_PTR_EQ(static_queue_storage, storage);
    TEST_ASSERT_PTR_EQ(&static_queue, object);
    vQueueDelete(queue);
#if configSUPPORT_DYNAMIC_ALLOCATION
    queue = make_queue(2);
    TEST_ASSERT_EQ(pdFALSE, xQueueGetStaticBuffers(queue, &storage, &object));
    vQueueDelete(queue);
#endif
}
#endif

/* ---- ordering ---- */

TEST(Kernel, QueueSendToBackIsFifo)
{
    QueueHandle_t queue = make_queue(4);
    for (uint32_t i = 1; i <= 4; i++) {
        TEST_ASSERT_EQ(pdPASS, xQueueSend(queue, &i, 0));
    }
    for (uint32_t i = 1; i <= 4; i++) {
        TEST_ASSERT_EQ(i, receive_now(queue));
    }
    vQueueDelete(queue);
}

TEST(Kernel, QueueSendToFrontIsLifo)
{
    QueueHandle_t queue = make_queue(3);
    for (uint32_t i = 1; i <= 3; i++) {
        TEST_ASSERT_EQ(pdPASS, xQueueSendToFront(queue, &i, 0));
    }
    TEST_ASSERT_EQ(3, receive_now(queue));
    TEST_ASSERT_EQ(2, receive_now(queue));
    TEST_ASSERT_EQ(1, receive_now(queue));
    vQueueDelete(queue);
}

TEST(Kernel, QueueFrontAndBackMix)
{
    QueueHandle_t queue = make_queue(4);
    uint32_t value;
    /* wrap the ring first so that the front insertions cross its start */
    send_now(queue, 9);
    send_now(queue, 9);
    (void)receive_now(queue);
    (void)receive_now(queue);
    send_now(queue, 1);
    value = 2;
    TEST_ASSERT_EQ(pdPASS, xQueueSendToFront(queue, &value, 0));
    send_now(queue, 3);
    value = 4;
    TEST_ASSERT_EQ(pdPASS, xQueueSendToFront(queue, &value, 0));
    TEST_ASSERT_EQ(4, receive_now(queue));
    TEST_ASSERT_EQ(2, receive_now(queue));
    TEST_ASSERT_EQ(1, receive_now(queue));
    TEST_ASSERT_EQ(3, receive_now(queue));
    vQueueDelete(queue);
}

TEST(Kernel, QueueFullRejectsSend)
{
    QueueHandle_t queue = make_queue(2);
    uint32_t value = 3;
    send_now(queue, 1);
    send_now(queue, 2);
    TEST_ASSERT_EQ(errQUEUE_FULL, xQueueSendToBack(queue, &value, 0));
    TEST_ASSERT_EQ(errQUEUE_FULL, xQueueSendToFront(queue, &value, 0));
    TEST_ASSERT_EQ(2, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(1, receive_now(queue));
    TEST_ASSERT_EQ(2, receive_now(queue));
    vQueueDelete(queue);
}

TEST(Kernel, QueueItemsAreCopied)
{
    struct record {
        uint32_t a;
        uint16_t b;
        uint8_t c[6];
    } in = {0x01020304u, 0x0506u, {7, 8, 9, 10, 11, 12}}, out;
    QueueHandle_t queue = obj_queue(2, sizeof(struct record));
    struct record sent = in;
    TEST_ASSERT_EQ(pdPASS, xQueueSend(queue, &in, 0));
    memset(&in, 0xee, sizeof in);
    TEST_ASSERT_EQ(pdPASS, xQueueReceive(queue, &out, 0));
    TEST_ASSERT_MEM_EQ(&sent, &out, sizeof out);
    vQueueDelete(queue);
}

TEST(Kernel, QueueZeroItemSizeCountsTokens)
{
    QueueHandle_t queue = obj_queue(2, 0);
    TEST_ASSERT_EQ(pdPASS, xQueueSend(queue, NULL, 0));
    TEST_ASSERT_EQ(pdPASS, xQueueSend(queue, NULL, 0));
    TEST_ASSERT_EQ(errQUEUE_FULL, xQueueSend(queue, NULL, 0));
    TEST_ASSERT_EQ(2, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(pdPASS, xQueueReceive(queue, NULL, 0));
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(queue));
    vQueueDelete(queue);
}

TEST(Kernel, QueueMessagesAndSpacesTrack)
{
    QueueHandle_t queue = make_queue(3);
    for (uint32_t i = 0; i < 3; i++) {
        TEST_ASSERT_EQ(i, uxQueueMessagesWaiting(queue));
        TEST_ASSERT_EQ(3 - i, uxQueueSpacesAvailable(queue));
        send_now(queue, i);
    }
    (void)receive_now(queue);
    TEST_ASSERT_EQ(2, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(1, uxQueueSpacesAvailable(queue));
    vQueueDelete(queue);
}

/* ---- overwrite and peek ---- */

TEST(Kernel, QueueOverwriteKeepsLatest)
{
    QueueHandle_t queue = make_queue(1);
    uint32_t value = 1;
    TEST_ASSERT_EQ(pdPASS, xQueueOverwrite(queue, &value));
    value = 2;
    TEST_ASSERT_EQ(pdPASS, xQueueOverwrite(queue, &value));
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(2, receive_now(queue));
    TEST_ASSERT_EQ(0, uxQueueMessagesWaiting(queue));
    vQueueDelete(queue);
}

#if configASSERT_DEFINED
TEST(Kernel, QueueOverwriteNeedsLengthOne)
{
    QueueHandle_t queue = make_queue(2);
    uint32_t value = 5;
    TEST_EXPECT_ASSERT(xQueueOverwrite(queue, &value));
    TEST_ASSERT_EQ(0, uxQueueMessagesWaiting(queue));
    vQueueDelete(queue);
}
#endif

TEST(Kernel, QueuePeekLeavesItem)
{
    QueueHandle_t queue = make_queue(2);
    uint32_t value = 0;
    send_now(queue, 7);
    send_now(queue, 8);
    TEST_ASSERT_EQ(pdTRUE, xQueuePeek(queue, &value, 0));
    TEST_ASSERT_EQ(7, value);
    TEST_ASSERT_EQ(pdTRUE, xQueuePeek(queue, &value, 0));
    TEST_ASSERT_EQ(7, value);
    TEST_ASSERT_EQ(2, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(7, receive_now(queue));
    TEST_ASSERT_EQ(pdTRUE, xQueuePeek(queue, &value, 0));
    TEST_ASSERT_EQ(8, value);
    vQueueDelete(queue);
}

/* ---- timeouts ---- */

TEST(Kernel, QueueReceiveTimesOutOnEmpty)
{
    QueueHandle_t queue = make_queue(1);
    uint32_t value;
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(errQUEUE_EMPTY, xQueueReceive(queue, &value, 5));
    OBJ_ASSERT_ELAPSED(5, start);
    start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdFALSE, xQueuePeek(queue, &value, 3));
    OBJ_ASSERT_ELAPSED(3, start);
    vQueueDelete(queue);
}

TEST(Kernel, QueueSendTimesOutOnFull)
{
    QueueHandle_t queue = make_queue(1);
    uint32_t value = 2;
    send_now(queue, 1);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(errQUEUE_FULL, xQueueSend(queue, &value, 6));
    OBJ_ASSERT_ELAPSED(6, start);
    TEST_ASSERT_EQ(1, receive_now(queue));
    vQueueDelete(queue);
}

TEST(Kernel, QueueZeroTimeoutNeverBlocks)
{
    QueueHandle_t queue = make_queue(1);
    uint32_t value = 1;
    /* a lower priority task would run if any call below blocked */
    TaskHandle_t low = obj_spawn(obj_marker_task, "low", (void *)1, KT_LOW);
    TEST_ASSERT_EQ(pdFALSE, xQueueReceive(queue, &value, 0));
    TEST_ASSERT_EQ(pdFALSE, xQueuePeek(queue, &value, 0));
    send_now(queue, 1);
    TEST_ASSERT_EQ(errQUEUE_FULL, xQueueSend(queue, &value, 0));
    TEST_ASSERT_EQ(0, obj_log_count());
    kt_delete(low);
    vQueueDelete(queue);
}

static void delayed_send_task(void *arg)
{
    uint32_t value = 42;
    vTaskDelay(3);
    (void)xQueueSend((QueueHandle_t)arg, &value, 0);
    kt_park();
}

static void delayed_receive_task(void *arg)
{
    uint32_t value;
    vTaskDelay(3);
    (void)xQueueReceive((QueueHandle_t)arg, &value, 0);
    kt_park();
}

TEST(Kernel, QueueReceiveWakesWhenItemArrives)
{
    QueueHandle_t queue = make_queue(1);
    uint32_t value = 0;
    TaskHandle_t low = obj_spawn(delayed_send_task, "send", queue, KT_LOW);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdTRUE, xQueueReceive(queue, &value, 50));
    OBJ_ASSERT_ELAPSED(3, start);
    TEST_ASSERT_EQ(42, value);
    kt_delete(low);
    vQueueDelete(queue);
}

TEST(Kernel, QueueSendWakesWhenSpaceFrees)
{
    QueueHandle_t queue = make_queue(1);
    uint32_t value = 2;
    send_now(queue, 1);
    TaskHandle_t low = obj_spawn(delayed_receive_task, "recv", queue, KT_LOW);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(pdTRUE, xQueueSend(queue, &value, 50));
    OBJ_ASSERT_ELAPSED(3, start);
    /* the helper took the old item, ours is the only one left */
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(2, receive_now(queue));
    kt_delete(low);
    vQueueDelete(queue);
}

/* ---- waiters ---- */

TEST(Kernel, QueueSendWakesBlockedReceiverAtOnce)
{
    QueueHandle_t queue = make_queue(2);
    struct queue_job job;
    TaskHandle_t task = start_job(receive_job_task, &job, queue, 1, KT_HIGH);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    send_now(queue, 77);
    /* the receiver outranks us, so it ran before xQueueSend returned */
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(pdTRUE, job.result);
    TEST_ASSERT_EQ(77, job.value);
    TEST_ASSERT_EQ(0, uxQueueMessagesWaiting(queue));
    kt_delete(task);
    vQueueDelete(queue);
}

TEST(Kernel, QueueReceiversWokenByPriorityThenFifo)
{
    QueueHandle_t queue = make_queue(3);
    struct queue_job a, b, c;
    TaskHandle_t ta = start_job(receive_job_task, &a, queue, 1, KT_HIGH);
    TaskHandle_t tb = start_job(receive_job_task, &b, queue, 2, KT_HIGHER);
    TaskHandle_t tc = start_job(receive_job_task, &c, queue, 3, KT_HIGH);
    send_now(queue, 10);
    send_now(queue, 20);
    send_now(queue, 30);
    TEST_ASSERT_EQ(213, obj_log_digits());
    TEST_ASSERT_EQ(10, b.value);
    TEST_ASSERT_EQ(20, a.value);
    TEST_ASSERT_EQ(30, c.value);
    kt_delete(ta);
    kt_delete(tb);
    kt_delete(tc);
    vQueueDelete(queue);
}

TEST(Kernel, QueueSendersWokenByPriorityThenFifo)
{
    QueueHandle_t queue = make_queue(1);
    struct queue_job a, b, c;
    send_now(queue, 0);
    TaskHandle_t ta = start_job(send_job_task, &a, queue, 1, KT_HIGH);
    TaskHandle_t tb = start_job(send_job_task, &b, queue, 2, KT_HIGHER);
    TaskHandle_t tc = start_job(send_job_task, &c, queue, 3, KT_HIGH);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(0, receive_now(queue));
    TEST_ASSERT_EQ(102, receive_now(queue));
    TEST_ASSERT_EQ(101, receive_now(queue));
    TEST_ASSERT_EQ(103, receive_now(queue));
    TEST_ASSERT_EQ(213, obj_log_digits());
    TEST_ASSERT_EQ(0, uxQueueMessagesWaiting(queue));
    kt_delete(ta);
    kt_delete(tb);
    kt_delete(tc);
    vQueueDelete(queue);
}

TEST(Kernel, QueueBlockedReceiverTimesOut)
{
    QueueHandle_t queue = make_queue(1);
    struct queue_job job = {queue, 4, 0, -1, 1};
    TaskHandle_t task = obj_spawn(receive_job_task, "qjob", &job, KT_HIGH);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    vTaskDelay(8);
    TEST_ASSERT_EQ(pdFALSE, job.result);
    TEST_ASSERT_EQ(1, obj_log_count());
    /* the task that gave up is no longer a waiter: a late item stays in the queue */
    send_now(queue, 9);
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(queue));
    kt_delete(task);
    vQueueDelete(queue);
}

TEST(Kernel, QueueDeletedReceiverLeavesQueueConsistent)
{
    QueueHandle_t queue = make_queue(2);
    struct queue_job a, b;
    TaskHandle_t ta = start_job(receive_job_task, &a, queue, 1, KT_HIGH);
    TaskHandle_t tb = start_job(receive_job_task, &b, queue, 2, KT_HIGH);
    kt_delete(ta);
    send_now(queue, 5);
    TEST_ASSERT_EQ(2, obj_log_digits());
    TEST_ASSERT_EQ(5, b.value);
    send_now(queue, 6);
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(6, receive_now(queue));
    kt_delete(tb);
    vQueueDelete(queue);
}

TEST(Kernel, QueueDeletedSenderLeavesQueueConsistent)
{
    QueueHandle_t queue = make_queue(1);
    struct queue_job a, b;
    send_now(queue, 0);
    TaskHandle_t ta = start_job(send_job_task, &a, queue, 1, KT_HIGH);
    TaskHandle_t tb = start_job(send_job_task, &b, queue, 2, KT_HIGH);
    kt_delete(ta);
    TEST_ASSERT_EQ(0, receive_now(queue));
    TEST_ASSERT_EQ(2, obj_log_digits());
    TEST_ASSERT_EQ(102, receive_now(queue));
    TEST_ASSERT_EQ(0, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(1, uxQueueSpacesAvailable(queue));
    kt_delete(tb);
    vQueueDelete(queue);
}

/* ---- reset ---- */

TEST(Kernel, QueueResetEmptiesAndWakesOneSender)
{
    QueueHandle_t queue = make_queue(2);
    struct queue_job a;
    send_now(queue, 1);
    send_now(queue, 2);
    TaskHandle_t ta = start_job(send_job_task, &a, queue, 1, KT_HIGH);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(ta));
    TEST_ASSERT_EQ(pdPASS, xQueueReset(queue));
    KT_LET_HIGHER_RUN();
    /* the space made by the reset let the blocked sender in */
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(pdTRUE, a.result);
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(queue));
    TEST_ASSERT_EQ(101, receive_now(queue));
    kt_delete(ta);
    vQueueDelete(queue);
}

TEST(Kernel, QueueResetLeavesReceiversBlocked)
{
    QueueHandle_t queue = make_queue(2);
    struct queue_job a;
    TaskHandle_t ta = start_job(receive_job_task, &a, queue, 1, KT_HIGH);
    TEST_ASSERT_EQ(pdPASS, xQueueReset(queue));
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(ta));
    TEST_ASSERT_EQ(0, obj_log_count());
    send_now(queue, 33);
    TEST_ASSERT_EQ(33, a.value);
    kt_delete(ta);
    vQueueDelete(queue);
}

/* ---- from an interrupt ---- */

struct isr_queue_op {
    QueueHandle_t queue;
    uint32_t value;
    BaseType_t result;
    BaseType_t woken;
};

static void isr_send_back(void *arg)
{
    struct isr_queue_op *op = arg;
    op->woken = pdFALSE;
    op->result = xQueueSendToBackFromISR(op->queue, &op->value, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

static void isr_send_front(void *arg)
{
    struct isr_queue_op *op = arg;
    op->woken = pdFALSE;
    op->result = xQueueSendToFrontFromISR(op->queue, &op->value, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

static void isr_receive(void *arg)
{
    struct isr_queue_op *op = arg;
    op->woken = pdFALSE;
    op->value = 0;
    op->result = xQueueReceiveFromISR(op->queue, &op->value, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

static void isr_peek(void *arg)
{
    struct isr_queue_op *op = arg;
    op->value = 0;
    op->result = xQueuePeekFromISR(op->queue, &op->value);
}

static void isr_overwrite(void *arg)
{
    struct isr_queue_op *op = arg;
    op->woken = pdFALSE;
    op->result = xQueueOverwriteFromISR(op->queue, &op->value, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

TEST(Kernel, QueueSendFromIsrWakesHigherReceiver)
{
    struct isr_queue_op op = {make_queue(2), 55, -1, -1};
    struct queue_job job;
    TaskHandle_t task = start_job(receive_job_task, &job, op.queue, 1, KT_HIGH);
    test_run_in_isr(isr_send_back, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    /* the yield requested by the ISR ran the receiver before we resumed */
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(55, job.value);
    kt_delete(task);
    vQueueDelete(op.queue);
}

TEST(Kernel, QueueSendFromIsrNoYieldForLowerReceiver)
{
    struct isr_queue_op op = {make_queue(2), 56, -1, -1};
    struct queue_job job;
    TaskHandle_t task = start_job(receive_job_task, &job, op.queue, 1, KT_HIGH);
    vTaskPrioritySet(NULL, KT_HIGHER);
    test_run_in_isr(isr_send_back, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    TEST_ASSERT_EQ(pdFALSE, op.woken);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(eReady, eTaskGetState(task));
    vTaskPrioritySet(NULL, TEST_CASE_PRIORITY);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(56, job.value);
    kt_delete(task);
    vQueueDelete(op.queue);
}

TEST(Kernel, QueueSendFromIsrOrderAndFull)
{
    struct isr_queue_op op = {make_queue(2), 1, -1, -1};
    test_run_in_isr(isr_send_back, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    TEST_ASSERT_EQ(pdFALSE, op.woken);
    op.value = 2;
    test_run_in_isr(isr_send_front, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    op.value = 3;
    test_run_in_isr(isr_send_back, &op);
    TEST_ASSERT_EQ(errQUEUE_FULL, op.result);
    test_run_in_isr(isr_send_front, &op);
    TEST_ASSERT_EQ(errQUEUE_FULL, op.result);
    TEST_ASSERT_EQ(2, receive_now(op.queue));
    TEST_ASSERT_EQ(1, receive_now(op.queue));
    vQueueDelete(op.queue);
}

TEST(Kernel, QueueReceiveFromIsrWakesSender)
{
    struct isr_queue_op op = {make_queue(1), 0, -1, -1};
    struct queue_job job;
    send_now(op.queue, 5);
    TaskHandle_t task = start_job(send_job_task, &job, op.queue, 1, KT_HIGH);
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(pdTRUE, op.result);
    TEST_ASSERT_EQ(5, op.value);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(101, receive_now(op.queue));
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(pdFALSE, op.result);
    kt_delete(task);
    vQueueDelete(op.queue);
}

TEST(Kernel, QueuePeekFromIsr)
{
    struct isr_queue_op op = {make_queue(2), 0, -1, -1};
    test_run_in_isr(isr_peek, &op);
    TEST_ASSERT_EQ(pdFALSE, op.result);
    send_now(op.queue, 61);
    send_now(op.queue, 62);
    test_run_in_isr(isr_peek, &op);
    TEST_ASSERT_EQ(pdTRUE, op.result);
    TEST_ASSERT_EQ(61, op.value);
    TEST_ASSERT_EQ(2, uxQueueMessagesWaiting(op.queue));
    vQueueDelete(op.queue);
}

TEST(Kernel, QueueOverwriteFromIsr)
{
    struct isr_queue_op op = {make_queue(1), 71, -1, -1};
    struct queue_job job;
    test_run_in_isr(isr_overwrite, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    op.value = 72;
    test_run_in_isr(isr_overwrite, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    TEST_ASSERT_EQ(1, uxQueueMessagesWaiting(op.queue));
    TEST_ASSERT_EQ(72, receive_now(op.queue));
    /* an overwrite into an empty queue wakes a waiting receiver */
    TaskHandle_t task = start_job(receive_job_task, &job, op.queue, 1, KT_HIGH);
    op.value = 73;
    test_run_in_isr(isr_overwrite, &op);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(73, job.value);
    kt_delete(task);
    vQueueDelete(op.queue);
}

struct isr_queue_state {
    QueueHandle_t queue;
    UBaseType_t waiting;
    BaseType_t empty;
    BaseType_t full;
};

static void isr_query(void *arg)
{
    struct isr_queue_state *state = arg;
    state->waiting = uxQueueMessagesWaitingFromISR(state->queue);
    state->empty = xQueueIsQueueEmptyFromISR(state->queue);
    state->full = xQueueIsQueueFullFromISR(state->queue);
}

TEST(Kernel, QueueStateFromIsr)
{
    struct isr_queue_state state = {make_queue(2), 99, -1, -1};
    test_run_in_isr(isr_query, &state);
    TEST_ASSERT_EQ(0, state.waiting);
    TEST_ASSERT_NE(pdFALSE, state.empty);
    TEST_ASSERT_EQ(pdFALSE, state.full);
    send_now(state.queue, 1);
    test_run_in_isr(isr_query, &state);
    TEST_ASSERT_EQ(1, state.waiting);
    TEST_ASSERT_EQ(pdFALSE, state.empty);
    TEST_ASSERT_EQ(pdFALSE, state.full);
    send_now(state.queue, 2);
    test_run_in_isr(isr_query, &state);
    TEST_ASSERT_EQ(2, state.waiting);
    TEST_ASSERT_EQ(pdFALSE, state.empty);
    TEST_ASSERT_NE(pdFALSE, state.full);
    vQueueDelete(state.queue);
}

/* ---- registry ---- */

#if configQUEUE_REGISTRY_SIZE > 0
TEST(Kernel, QueueRegistryNamesQueues)
{
    static const char name_a[] = "rx-a";
    static const char name_b[] = "tx-b";
    QueueHandle_t a = make_queue(1);
    QueueHandle_t b = make_queue(1);
    TEST_ASSERT_NULL(pcQueueGetName(a));
    vQueueAddToRegistry(a, name_a);
    vQueueAddToRegistry(b, name_b);
    TEST_ASSERT_PTR_EQ(name_a, pcQueueGetName(a));
    TEST_ASSERT_PTR_EQ(name_b, pcQueueGetName(b));
    vQueueUnregisterQueue(a);
    TEST_ASSERT_NULL(pcQueueGetName(a));
    TEST_ASSERT_PTR_EQ(name_b, pcQueueGetName(b));
    vQueueUnregisterQueue(b);
    TEST_ASSERT_NULL(pcQueueGetName(b));
    vQueueDelete(a);
    vQueueDelete(b);
}

TEST(Kernel, QueueRegistryRenameAndDelete)
{
    QueueHandle_t queue = make_queue(1);
    vQueueAddToRegistry(queue, "first");
    vQueueAddToRegistry(queue, "second");
    TEST_ASSERT_STR_EQ("second", pcQueueGetName(queue));
    /* deleting a registered queue must drop it from the registry: a new queue (likely at the
     * same address) has no name */
    vQueueDelete(queue);
    queue = make_queue(1);
    TEST_ASSERT_NULL(pcQueueGetName(queue));
    vQueueDelete(queue);
}
#endif
