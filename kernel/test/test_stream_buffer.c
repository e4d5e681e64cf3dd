/* Alder kernel tests: stream buffers (bytes, wrap-around, partial sends, trigger levels, blocking both ways, reset,
 * callbacks, ISR forms, static and batching buffers). It must never use more than one reader or writer at a time. */
#include <string.h>

#include "test_objects.h"

#if configUSE_STREAM_BUFFERS

/* One blocking send or receive done by a helper task, then logged. */
struct stream_job {
    StreamBufferHandle_t buffer;
    TickType_t timeout;
    size_t length; /* to send or room to receive */
    size_t result;
    uint8_t data[16];
    unsigned id;
};

static void receive_job_task(void *arg)
{
    struct stream_job *job = arg;
    job->result = xStreamBufferReceive(job->buffer, job->data, job->length, job->timeout);
    obj_log(job->id);
    kt_park();
}

static void send_job_task(void *arg)
{
    struct stream_job *job = arg;
    job->result = xStreamBufferSend(job->buffer, job->data, job->length, job->timeout);
    obj_log(job->id);
    kt_park();
}

static TaskHandle_t start_job(TaskFunction_t code, struct stream_job *job, StreamBufferHandle_t buffer, size_t length,
                              TickType_t timeout)
{
    job->buffer = buffer;
    job->timeout = timeout;
    job->length = length;
    job->result = 999;
    obj_fill(job->data, sizeof job->data, 0x40);
    job->id = 1;
    return obj_spawn(code, "sbjob", job, KT_HIGH);
}

static StreamBufferHandle_t make_stream(size_t size, size_t trigger)
{
    StreamBufferHandle_t buffer = obj_stream(size, trigger, sbTYPE_STREAM_BUFFER);
    obj_log_reset();
    return buffer;
}

static void send_bytes(StreamBufferHandle_t buffer, size_t length, uint8_t seed)
{
    uint8_t data[16];
    obj_fill(data, length, seed);
    TEST_ASSERT_EQ(length, xStreamBufferSend(buffer, data, length, 0));
    KT_LET_HIGHER_RUN(); /* a reader it wakes runs before it returns, as under preemption */
}

/* ---- data and space ---- */

TEST(Kernel, StreamBufferSendReceiveBytes)
{
    StreamBufferHandle_t buffer = make_stream(16, 1);
    uint8_t out[16];
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferIsEmpty(buffer));
    TEST_ASSERT_EQ(16, xStreamBufferSpacesAvailable(buffer));
    TEST_ASSERT_EQ(5, xStreamBufferSend(buffer, "hello", 5, 0));
    TEST_ASSERT_EQ(5, xStreamBufferBytesAvailable(buffer));
    TEST_ASSERT_EQ(11, xStreamBufferSpacesAvailable(buffer));
    TEST_ASSERT_EQ(pdFALSE, xStreamBufferIsEmpty(buffer));
    /* a stream has no boundaries: read it in any pieces */
    TEST_ASSERT_EQ(3, xStreamBufferReceive(buffer, out, 3, 0));
    TEST_ASSERT_MEM_EQ("hel", out, 3);
    TEST_ASSERT_EQ(2, xStreamBufferReceive(buffer, out, sizeof out, 0));
    TEST_ASSERT_MEM_EQ("lo", out, 2);
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferIsEmpty(buffer));
    TEST_ASSERT_EQ(0, xStreamBufferReceive(buffer, out, sizeof out, 0));
    vStreamBufferDelete(buffer);
}

TEST(Kernel, StreamBufferKeepsOrderAcrossWrap)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    uint8_t chunk[8];
    uint8_t next_out = 0, next_in = 0;
    uint32_t rng = 0x1234567u;
    for (int round = 0; round < 60; round++) {
        size_t room = xStreamBufferSpacesAvailable(buffer);
        size_t n = 1 + test_random(&rng) % 5;
        n = n > room ? room : n;
        for (size_t i = 0; i < n; i++) {
            chunk[i] = next_out++;
        }
        TEST_ASSERT_EQ(n, xStreamBufferSend(buffer, chunk, n, 0));
        size_t got = xStreamBufferReceive(buffer, chunk, 1 + test_random(&rng) % 5, 0);
        for (size_t i = 0; i < got; i++) {
            TEST_ASSERT_EQ(next_in, chunk[i]);
            next_in++;
        }
        TEST_ASSERT_EQ((uint8_t)(next_out - next_in), xStreamBufferBytesAvailable(buffer));
    }
    vStreamBufferDelete(buffer);
}

TEST(Kernel, StreamBufferPartialSend)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    uint8_t data[12], out[12];
    obj_fill(data, sizeof data, 3);
    TEST_ASSERT_EQ(6, xStreamBufferSend(buffer, data, 6, 0));
    /* what fits goes in, the rest is the caller's to retry */
    TEST_ASSERT_EQ(2, xStreamBufferSend(buffer, data + 6, 5, 0));
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferIsFull(buffer));
    TEST_ASSERT_EQ(0, xStreamBufferSpacesAvailable(buffer));
    TEST_ASSERT_EQ(0, xStreamBufferSend(buffer, data, 1, 0));
    TEST_ASSERT_EQ(8, xStreamBufferReceive(buffer, out, sizeof out, 0));
    TEST_ASSERT_MEM_EQ(data, out, 8);
    /* more than the whole buffer: one buffer's worth */
    TEST_ASSERT_EQ(8, xStreamBufferSend(buffer, data, 12, 0));
    vStreamBufferDelete(buffer);
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, StreamBufferDeleteReturnsHeap)
{
    size_t before = xPortGetFreeHeapSize();
    StreamBufferHandle_t buffer = make_stream(64, 1);
    TEST_ASSERT(xPortGetFreeHeapSize() <= before - 64);
    vStreamBufferDelete(buffer);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}
#endif

/* ---- timeouts and blocking ---- */

TEST(Kernel, StreamBufferReceiveTimesOutWhenEmpty)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    uint8_t out[4];
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0, xStreamBufferReceive(buffer, out, sizeof out, 5));
    OBJ_ASSERT_ELAPSED(5, start);
    vStreamBufferDelete(buffer);
}

TEST(Kernel, StreamBufferSendTimesOutWhenFull)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    send_bytes(buffer, 8, 1);
    uint8_t data[3] = {1, 2, 3};
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0, xStreamBufferSend(buffer, data, sizeof data, 4));
    OBJ_ASSERT_ELAPSED(4, start);
    TEST_ASSERT_EQ(8, xStreamBufferBytesAvailable(buffer));
    vStreamBufferDelete(buffer);
}

TEST(Kernel, StreamBufferTriggerLevelHoldsReader)
{
    StreamBufferHandle_t buffer = make_stream(16, 4);
    struct stream_job job;
    uint8_t sent[4];
    TaskHandle_t task = start_job(receive_job_task, &job, buffer, 8, portMAX_DELAY);
    send_bytes(buffer, 2, 9);
    TEST_ASSERT_EQ(0, obj_log_count());
    send_bytes(buffer, 1, 10);
    TEST_ASSERT_EQ(0, obj_log_count());
    send_bytes(buffer, 1, 11);
    /* the fourth byte reaches the trigger level */
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(4, job.result);
    obj_fill(sent, 2, 9);
    obj_fill(sent + 2, 1, 10);
    obj_fill(sent + 3, 1, 11);
    TEST_ASSERT_MEM_EQ(sent, job.data, 4);
    kt_delete(task);
    vStreamBufferDelete(buffer);
}

TEST(Kernel, StreamBufferReaderTimeoutTakesBytesBelowTrigger)
{
    StreamBufferHandle_t buffer = make_stream(16, 4);
    struct stream_job job;
    TaskHandle_t task = start_job(receive_job_task, &job, buffer, 8, 5);
    send_bytes(buffer, 2, 4);
    vTaskDelay(9);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(2, job.result);
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferIsEmpty(buffer));
    kt_delete(task);
    vStreamBufferDelete(buffer);
}

TEST(Kernel, StreamBufferBytesBelowTriggerReturnAtOnce)
{
    /* the trigger level only matters to a reader that had to block on an empty buffer */
    StreamBufferHandle_t buffer = make_stream(16, 4);
    uint8_t out[8];
    send_bytes(buffer, 2, 4);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(2, xStreamBufferReceive(buffer, out, sizeof out, 10));
    OBJ_ASSERT_ELAPSED(0, start);
    vStreamBufferDelete(buffer);
}

TEST(Kernel, StreamBufferSetTriggerLevel)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    struct stream_job job;
    TEST_ASSERT_EQ(pdFALSE, xStreamBufferSetTriggerLevel(buffer, 9));
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferSetTriggerLevel(buffer, 8));
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferSetTriggerLevel(buffer, 0));
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferSetTriggerLevel(buffer, 3));
    TaskHandle_t task = start_job(receive_job_task, &job, buffer, 8, portMAX_DELAY);
    send_bytes(buffer, 2, 1);
    TEST_ASSERT_EQ(0, obj_log_count());
    send_bytes(buffer, 1, 2);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(3, job.result);
    kt_delete(task);
    vStreamBufferDelete(buffer);
}

static void delayed_drain_task(void *arg)
{
    uint8_t out[4];
    vTaskDelay(2);
    (void)xStreamBufferReceive((StreamBufferHandle_t)arg, out, sizeof out, 0);
    kt_park();
}

TEST(Kernel, StreamBufferSendWaitsForRoom)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    uint8_t data[4], out[8];
    send_bytes(buffer, 8, 5);
    obj_fill(data, sizeof data, 6);
    TaskHandle_t low = obj_spawn(delayed_drain_task, "drain", buffer, KT_LOW);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(4, xStreamBufferSend(buffer, data, sizeof data, 50));
    OBJ_ASSERT_ELAPSED(2, start);
    TEST_ASSERT_EQ(8, xStreamBufferReceive(buffer, out, sizeof out, 0));
    TEST_ASSERT_MEM_EQ(data, out + 4, 4);
    kt_delete(low);
    vStreamBufferDelete(buffer);
}

TEST(Kernel, StreamBufferReceiveWakesBlockedWriter)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    struct stream_job job;
    uint8_t out[8];
    send_bytes(buffer, 7, 1);
    TaskHandle_t task = start_job(send_job_task, &job, buffer, 4, portMAX_DELAY);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(2, xStreamBufferReceive(buffer, out, 2, 0));
    KT_LET_HIGHER_RUN();
    /* 3 bytes free: not yet room for the writer's 4 */
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(2, xStreamBufferReceive(buffer, out, 2, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(4, job.result);
    TEST_ASSERT_EQ(7, xStreamBufferBytesAvailable(buffer));
    kt_delete(task);
    vStreamBufferDelete(buffer);
}

/* ---- reset ---- */

TEST(Kernel, StreamBufferResetRefusedWhileTaskWaits)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    struct stream_job job;
    send_bytes(buffer, 3, 1);
    TEST_ASSERT_EQ(pdPASS, xStreamBufferReset(buffer));
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferIsEmpty(buffer));
    TEST_ASSERT_EQ(8, xStreamBufferSpacesAvailable(buffer));
    TaskHandle_t task = start_job(receive_job_task, &job, buffer, 8, portMAX_DELAY);
    TEST_ASSERT_EQ(pdFAIL, xStreamBufferReset(buffer));
    send_bytes(buffer, 2, 2);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(2, job.result);
    send_bytes(buffer, 2, 3);
    TEST_ASSERT_EQ(pdPASS, xStreamBufferReset(buffer));
    TEST_ASSERT_EQ(0, xStreamBufferBytesAvailable(buffer));
    kt_delete(task);
    vStreamBufferDelete(buffer);
}

/* ---- from an interrupt ---- */

struct isr_stream_op {
    StreamBufferHandle_t buffer;
    size_t length;
    size_t result;
    BaseType_t woken;
    uint8_t data[16];
};

static void isr_send(void *arg)
{
    struct isr_stream_op *op = arg;
    op->woken = pdFALSE;
    op->result = xStreamBufferSendFromISR(op->buffer, op->data, op->length, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

static void isr_receive(void *arg)
{
    struct isr_stream_op *op = arg;
    op->woken = pdFALSE;
    op->result = xStreamBufferReceiveFromISR(op->buffer, op->data, op->length, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

TEST(Kernel, StreamBufferSendFromIsrWakesReader)
{
    struct isr_stream_op op = {make_stream(8, 1), 4, 0, -1, {0}};
    struct stream_job job;
    obj_fill(op.data, 4, 7);
    TaskHandle_t task = start_job(receive_job_task, &job, op.buffer, 8, portMAX_DELAY);
    test_run_in_isr(isr_send, &op);
    TEST_ASSERT_EQ(4, op.result);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(4, job.result);
    TEST_ASSERT_MEM_EQ(op.data, job.data, 4);
    kt_delete(task);
    vStreamBufferDelete(op.buffer);
}

TEST(Kernel, StreamBufferReceiveFromIsrWakesWriter)
{
    struct isr_stream_op op = {make_stream(8, 1), 5, 0, -1, {0}};
    struct stream_job job;
    send_bytes(op.buffer, 8, 2);
    TaskHandle_t task = start_job(send_job_task, &job, op.buffer, 4, portMAX_DELAY);
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(5, op.result);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(4, job.result);
    TEST_ASSERT_EQ(7, xStreamBufferBytesAvailable(op.buffer));
    kt_delete(task);
    vStreamBufferDelete(op.buffer);
}

TEST(Kernel, StreamBufferFromIsrNeverBlocks)
{
    struct isr_stream_op op = {make_stream(8, 1), 10, 0, -1, {0}};
    test_run_in_isr(isr_send, &op);
    TEST_ASSERT_EQ(8, op.result);
    TEST_ASSERT_EQ(pdFALSE, op.woken);
    test_run_in_isr(isr_send, &op);
    TEST_ASSERT_EQ(0, op.result);
    op.length = 16;
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(8, op.result);
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(0, op.result);
    vStreamBufferDelete(op.buffer);
}

static void isr_reset(void *arg)
{
    struct isr_stream_op *op = arg;
    op->woken = xStreamBufferResetFromISR(op->buffer);
}

TEST(Kernel, StreamBufferResetFromIsr)
{
    struct isr_stream_op op = {make_stream(8, 1), 0, 0, -1, {0}};
    struct stream_job job;
    send_bytes(op.buffer, 5, 1);
    test_run_in_isr(isr_reset, &op);
    TEST_ASSERT_EQ(pdPASS, op.woken);
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferIsEmpty(op.buffer));
    TaskHandle_t task = start_job(receive_job_task, &job, op.buffer, 8, portMAX_DELAY);
    test_run_in_isr(isr_reset, &op);
    TEST_ASSERT_EQ(pdFAIL, op.woken);
    send_bytes(op.buffer, 1, 1);
    TEST_ASSERT_EQ(1, obj_log_count());
    kt_delete(task);
    vStreamBufferDelete(op.buffer);
}

/* ---- completed callbacks ---- */

#if configUSE_SB_COMPLETED_CALLBACK == 1 && configSUPPORT_DYNAMIC_ALLOCATION
static struct {
    uint32_t sends;
    uint32_t receives;
    BaseType_t in_isr;
    BaseType_t had_woken;
} completions;

static void on_send(StreamBufferHandle_t buffer, BaseType_t in_isr, BaseType_t *const woken)
{
    (void)buffer;
    completions.sends++;
    completions.in_isr = in_isr;
    completions.had_woken = woken != NULL;
}

static void on_receive(StreamBufferHandle_t buffer, BaseType_t in_isr, BaseType_t *const woken)
{
    (void)buffer;
    completions.receives++;
    completions.in_isr = in_isr;
    completions.had_woken = woken != NULL;
}

TEST(Kernel, StreamBufferCompletedCallbacks)
{
    StreamBufferHandle_t buffer = xStreamBufferCreateWithCallback(8, 3, on_send, on_receive);
    uint8_t out[8];
    TEST_ASSERT_NOT_NULL(buffer);
    memset(&completions, 0, sizeof completions);
    send_bytes(buffer, 2, 1);
    TEST_ASSERT_EQ(0, completions.sends); /* below the trigger level */
    send_bytes(buffer, 1, 2);
    TEST_ASSERT_EQ(1, completions.sends);
    TEST_ASSERT_EQ(pdFALSE, completions.in_isr);
    TEST_ASSERT_EQ(2, xStreamBufferReceive(buffer, out, 2, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, completions.receives);
    TEST_ASSERT_EQ(0, xStreamBufferReceive(buffer, out, 0, 0));
    TEST_ASSERT_EQ(1, completions.receives); /* nothing read, nothing completed */
    struct isr_stream_op op = {buffer, 4, 0, -1, {0}};
    test_run_in_isr(isr_send, &op);
    TEST_ASSERT_EQ(4, op.result);
    TEST_ASSERT_EQ(2, completions.sends);
    TEST_ASSERT_EQ(pdTRUE, completions.in_isr);
    TEST_ASSERT_EQ(pdTRUE, completions.had_woken);
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(2, completions.receives);
    TEST_ASSERT_EQ(pdTRUE, completions.in_isr);
    vStreamBufferDelete(buffer);
}
#endif

/* ---- static, batching, notification index ---- */

#if configSUPPORT_STATIC_ALLOCATION
static StaticStreamBuffer_t static_stream;
static uint8_t static_stream_storage[16 + 1];

TEST(Kernel, StreamBufferStaticUsesCallerMemory)
{
    size_t before = xPortGetFreeHeapSize();
    uint8_t *storage = NULL;
    StaticStreamBuffer_t *object = NULL;
    memset(static_stream_storage, 0, sizeof static_stream_storage);
    StreamBufferHandle_t buffer = xStreamBufferCreateStatic(16, 1, static_stream_storage, &static_stream);
    TEST_ASSERT_NOT_NULL(buffer);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    TEST_ASSERT_EQ(16, xStreamBufferSpacesAvailable(buffer));
    TEST_ASSERT_EQ(5, xStreamBufferSend(buffer, "abcde", 5, 0));
    TEST_ASSERT_MEM_EQ("abcde", static_stream_storage, 5);
    TEST_ASSERT_EQ(pdTRUE, xStreamBufferGetStaticBuffers(buffer, &storage, &object));
    TEST_ASSERT_PTR_EQ(static_stream_storage, storage);
    TEST_ASSERT_PTR_EQ(&static_stream, object);
    vStreamBufferDelete(buffer);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
#if configSUPPORT_DYNAMIC_ALLOCATION
    buffer = make_stream(8, 1);
    TEST_ASSERT_EQ(pdFALSE, xStreamBufferGetStaticBuffers(buffer, &storage, &object));
    vStreamBufferDelete(buffer);
#endif
}
#endif

TEST(Kernel, StreamBatchingBufferWaitsForTrigger)
{
    StreamBufferHandle_t buffer = obj_stream(16, 4, sbTYPE_STREAM_BATCHING_BUFFER);
    uint8_t out[8];
    send_bytes(buffer, 2, 1);
    /* unlike a stream buffer, bytes below the trigger level do not end the wait */
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(2, xStreamBufferReceive(buffer, out, sizeof out, 3));
    OBJ_ASSERT_ELAPSED(3, start);
    send_bytes(buffer, 4, 2);
    start = xTaskGetTickCount();
    TEST_ASSERT_EQ(4, xStreamBufferReceive(buffer, out, sizeof out, 3));
    OBJ_ASSERT_ELAPSED(0, start);
    vStreamBufferDelete(buffer);
}

#if configTASK_NOTIFICATION_ARRAY_ENTRIES > 1
TEST(Kernel, StreamBufferNotificationIndex)
{
    StreamBufferHandle_t buffer = make_stream(8, 1);
    struct stream_job job;
    TEST_ASSERT_EQ(tskDEFAULT_INDEX_TO_NOTIFY, uxStreamBufferGetStreamBufferNotificationIndex(buffer));
    vStreamBufferSetStreamBufferNotificationIndex(buffer, 1);
    TEST_ASSERT_EQ(1, uxStreamBufferGetStreamBufferNotificationIndex(buffer));
    TaskHandle_t task = start_job(receive_job_task, &job, buffer, 8, portMAX_DELAY);
    /* a notification at another index is not a wake-up for the buffer */
    (void)xTaskNotifyGiveIndexed(task, 0);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    send_bytes(buffer, 3, 1);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(3, job.result);
    kt_delete(task);
    vStreamBufferDelete(buffer);
}
#endif

#endif /* configUSE_STREAM_BUFFERS */
