/* Alder kernel tests: message buffers (whole messages, length headers, size limits, zero-length rules, blocking,
 * ISR forms, static buffers). It must never use more than one reader or writer at a time. */
#include <string.h>

#include "test_objects.h"

#if configUSE_STREAM_BUFFERS

#define HEADER ((size_t)sizeof(configMESSAGE_BUFFER_LENGTH_TYPE))

static MessageBufferHandle_t make_buffer(size_t size)
{
    MessageBufferHandle_t buffer = obj_stream(size, 0, sbTYPE_MESSAGE_BUFFER);
    obj_log_reset();
    return buffer;
}

static void send_message(MessageBufferHandle_t buffer, size_t length, uint8_t seed)
{
    uint8_t data[32];
    obj_fill(data, length, seed);
    TEST_ASSERT_EQ(length, xMessageBufferSend(buffer, data, length, 0));
    KT_LET_HIGHER_RUN(); /* a reader it wakes runs before it returns, as under preemption */
}

static void expect_message(MessageBufferHandle_t buffer, size_t length, uint8_t seed)
{
    uint8_t expected[32], out[32];
    obj_fill(expected, length, seed);
    memset(out, 0, sizeof out);
    TEST_ASSERT_EQ(length, xMessageBufferNextLengthBytes(buffer));
    TEST_ASSERT_EQ(length, xMessageBufferReceive(buffer, out, sizeof out, 0));
    TEST_ASSERT_MEM_EQ(expected, out, length);
}

TEST(Kernel, MessageBufferKeepsBoundaries)
{
    MessageBufferHandle_t buffer = make_buffer(48);
    /* many sizes, with the ring wrapping under them */
    size_t sent_length[2];
    for (unsigned i = 0; i < 40; i++) {
        size_t length = 1 + (i * 7u) % 13u;
        send_message(buffer, length, (uint8_t)i);
        sent_length[i % 2] = length;
        if (i % 2 == 1) {
            expect_message(buffer, sent_length[0], (uint8_t)(i - 1));
            expect_message(buffer, sent_length[1], (uint8_t)i);
        }
    }
    TEST_ASSERT_EQ(pdTRUE, xMessageBufferIsEmpty(buffer));
    TEST_ASSERT_EQ(0, xMessageBufferNextLengthBytes(buffer));
    vMessageBufferDelete(buffer);
}

TEST(Kernel, MessageBufferHeaderCountsInSpace)
{
    MessageBufferHandle_t buffer = make_buffer(32);
    TEST_ASSERT_EQ(32, xMessageBufferSpacesAvailable(buffer));
    send_message(buffer, 5, 1);
    TEST_ASSERT_EQ(32 - 5 - HEADER, xMessageBufferSpacesAvailable(buffer));
    TEST_ASSERT_EQ(5 + HEADER, xStreamBufferBytesAvailable(buffer));
    send_message(buffer, 3, 2);
    TEST_ASSERT_EQ(32 - 8 - 2 * HEADER, xMessageBufferSpaceAvailable(buffer));
    expect_message(buffer, 5, 1);
    TEST_ASSERT_EQ(32 - 3 - HEADER, xMessageBufferSpacesAvailable(buffer));
    expect_message(buffer, 3, 2);
    TEST_ASSERT_EQ(32, xMessageBufferSpacesAvailable(buffer));
    vMessageBufferDelete(buffer);
}

TEST(Kernel, MessageBufferFullWhenNoRoomForHeader)
{
    MessageBufferHandle_t buffer = make_buffer(24);
    TEST_ASSERT_EQ(pdFALSE, xMessageBufferIsFull(buffer));
    send_message(buffer, 24 - HEADER - HEADER, 1);
    /* exactly one header's worth left: not even a one-byte message fits */
    TEST_ASSERT_EQ(HEADER, xMessageBufferSpacesAvailable(buffer));
    TEST_ASSERT_EQ(pdTRUE, xMessageBufferIsFull(buffer));
    uint8_t byte = 0;
    TEST_ASSERT_EQ(0, xMessageBufferSend(buffer, &byte, 1, 0));
    vMessageBufferDelete(buffer);
}

TEST(Kernel, MessageBufferTooBigForReceiverStays)
{
    MessageBufferHandle_t buffer = make_buffer(32);
    uint8_t small[5];
    send_message(buffer, 10, 3);
    TEST_ASSERT_EQ(0, xMessageBufferReceive(buffer, small, sizeof small, 0));
    TEST_ASSERT_EQ(10, xMessageBufferNextLengthBytes(buffer));
    TEST_ASSERT_EQ(10 + HEADER, xStreamBufferBytesAvailable(buffer));
    /* with a wait too: the message is there, it just does not fit */
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0, xMessageBufferReceive(buffer, small, sizeof small, 10));
    OBJ_ASSERT_ELAPSED(0, start);
    expect_message(buffer, 10, 3);
    vMessageBufferDelete(buffer);
}

TEST(Kernel, MessageBufferNoPartialWrite)
{
    MessageBufferHandle_t buffer = make_buffer(40);
    uint8_t data[32];
    send_message(buffer, 10, 1);
    size_t room = xMessageBufferSpacesAvailable(buffer);
    TEST_ASSERT_EQ(40 - 10 - HEADER, room);
    obj_fill(data, sizeof data, 2);
    /* one byte more than fits: nothing is written */
    TEST_ASSERT_EQ(0, xMessageBufferSend(buffer, data, room - HEADER + 1, 0));
    TEST_ASSERT_EQ(room, xMessageBufferSpacesAvailable(buffer));
    TEST_ASSERT_EQ(room - HEADER, xMessageBufferSend(buffer, data, room - HEADER, 0));
    expect_message(buffer, 10, 1);
    expect_message(buffer, room - HEADER, 2);
    vMessageBufferDelete(buffer);
}

TEST(Kernel, MessageBufferNeverFittingSendReturnsAtOnce)
{
    MessageBufferHandle_t buffer = make_buffer(16);
    uint8_t data[16];
    obj_fill(data, sizeof data, 1);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0, xMessageBufferSend(buffer, data, 16 - HEADER + 1, 20));
    OBJ_ASSERT_ELAPSED(0, start);
    TEST_ASSERT_EQ(pdTRUE, xMessageBufferIsEmpty(buffer));
    TEST_ASSERT_EQ(16 - HEADER, xMessageBufferSend(buffer, data, 16 - HEADER, 0));
    vMessageBufferDelete(buffer);
}

TEST(Kernel, MessageBufferZeroLengthRules)
{
    MessageBufferHandle_t buffer = make_buffer(16);
    uint8_t data[4] = {1, 2, 3, 4};
    /* an empty message is not stored */
    TEST_ASSERT_EQ(0, xMessageBufferSend(buffer, data, 0, 0));
    TEST_ASSERT_EQ(pdTRUE, xMessageBufferIsEmpty(buffer));
    TEST_ASSERT_EQ(16, xMessageBufferSpacesAvailable(buffer));
    /* nor waited for, even when the buffer is full */
    send_message(buffer, 16 - HEADER, 5);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0, xMessageBufferSend(buffer, data, 0, 20));
    OBJ_ASSERT_ELAPSED(0, start);
    /* a zero-byte receive buffer takes nothing and leaves the message */
    TEST_ASSERT_EQ(0, xMessageBufferReceive(buffer, data, 0, 0));
    expect_message(buffer, 16 - HEADER, 5);
    vMessageBufferDelete(buffer);
}

TEST(Kernel, MessageBufferReceiveTimesOutWhenEmpty)
{
    MessageBufferHandle_t buffer = make_buffer(16);
    uint8_t out[8];
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0, xMessageBufferReceive(buffer, out, sizeof out, 4));
    OBJ_ASSERT_ELAPSED(4, start);
    vMessageBufferDelete(buffer);
}

struct message_job {
    MessageBufferHandle_t buffer;
    size_t result;
    uint8_t data[16];
};

static void receive_job_task(void *arg)
{
    struct message_job *job = arg;
    job->result = xMessageBufferReceive(job->buffer, job->data, sizeof job->data, portMAX_DELAY);
    obj_log(1);
    kt_park();
}

TEST(Kernel, MessageBufferReaderWokenByMessage)
{
    struct message_job job = {make_buffer(32), 999, {0}};
    uint8_t expected[7];
    TaskHandle_t task = obj_spawn(receive_job_task, "mbrx", &job, KT_HIGH);
    TEST_ASSERT_EQ(0, obj_log_count());
    send_message(job.buffer, 7, 9);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(7, job.result);
    obj_fill(expected, sizeof expected, 9);
    TEST_ASSERT_MEM_EQ(expected, job.data, 7);
    kt_delete(task);
    vMessageBufferDelete(job.buffer);
}

static void delayed_take_task(void *arg)
{
    uint8_t out[16];
    vTaskDelay(2);
    (void)xMessageBufferReceive((MessageBufferHandle_t)arg, out, sizeof out, 0);
    kt_park();
}

TEST(Kernel, MessageBufferSendWaitsForRoom)
{
    MessageBufferHandle_t buffer = make_buffer(24);
    send_message(buffer, 24 - HEADER - 4, 1);
    TaskHandle_t low = obj_spawn(delayed_take_task, "mbtake", buffer, KT_LOW);
    uint8_t data[6];
    obj_fill(data, sizeof data, 2);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(6, xMessageBufferSend(buffer, data, sizeof data, 50));
    OBJ_ASSERT_ELAPSED(2, start);
    expect_message(buffer, 6, 2);
    kt_delete(low);
    vMessageBufferDelete(buffer);
}

struct isr_message_op {
    MessageBufferHandle_t buffer;
    size_t length;
    size_t result;
    BaseType_t woken;
    uint8_t data[16];
};

static void isr_send(void *arg)
{
    struct isr_message_op *op = arg;
    op->woken = pdFALSE;
    op->result = xMessageBufferSendFromISR(op->buffer, op->data, op->length, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

static void isr_receive(void *arg)
{
    struct isr_message_op *op = arg;
    op->woken = pdFALSE;
    op->result = xMessageBufferReceiveFromISR(op->buffer, op->data, op->length, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

TEST(Kernel, MessageBufferSendFromIsrWakesReader)
{
    struct isr_message_op op = {make_buffer(32), 5, 0, -1, {0}};
    struct message_job job = {op.buffer, 999, {0}};
    obj_fill(op.data, 5, 4);
    TaskHandle_t task = obj_spawn(receive_job_task, "mbrx", &job, KT_HIGH);
    test_run_in_isr(isr_send, &op);
    TEST_ASSERT_EQ(5, op.result);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(5, job.result);
    TEST_ASSERT_MEM_EQ(op.data, job.data, 5);
    kt_delete(task);
    vMessageBufferDelete(op.buffer);
}

TEST(Kernel, MessageBufferReceiveFromIsr)
{
    struct isr_message_op op = {make_buffer(32), 4, 0, -1, {0}};
    uint8_t expected[6];
    send_message(op.buffer, 6, 8);
    /* too small a buffer in the ISR: the message stays */
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(0, op.result);
    op.length = sizeof op.data;
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(6, op.result);
    obj_fill(expected, sizeof expected, 8);
    TEST_ASSERT_MEM_EQ(expected, op.data, 6);
    test_run_in_isr(isr_receive, &op);
    TEST_ASSERT_EQ(0, op.result);
    /* a message that does not fit from an ISR is refused whole */
    op.length = 32;
    test_run_in_isr(isr_send, &op);
    TEST_ASSERT_EQ(0, op.result);
    TEST_ASSERT_EQ(pdTRUE, xMessageBufferIsEmpty(op.buffer));
    vMessageBufferDelete(op.buffer);
}

TEST(Kernel, MessageBufferReset)
{
    MessageBufferHandle_t buffer = make_buffer(32);
    send_message(buffer, 4, 1);
    send_message(buffer, 5, 2);
    TEST_ASSERT_EQ(pdPASS, xMessageBufferReset(buffer));
    TEST_ASSERT_EQ(pdTRUE, xMessageBufferIsEmpty(buffer));
    TEST_ASSERT_EQ(0, xMessageBufferNextLengthBytes(buffer));
    TEST_ASSERT_EQ(32, xMessageBufferSpacesAvailable(buffer));
    send_message(buffer, 3, 3);
    expect_message(buffer, 3, 3);
    vMessageBufferDelete(buffer);
}

#if configSUPPORT_STATIC_ALLOCATION
static StaticMessageBuffer_t static_message;
static uint8_t static_message_storage[32 + 1];

TEST(Kernel, MessageBufferStaticUsesCallerMemory)
{
    size_t before = xPortGetFreeHeapSize();
    uint8_t *storage = NULL;
    StaticMessageBuffer_t *object = NULL;
    MessageBufferHandle_t buffer = xMessageBufferCreateStatic(32, static_message_storage, &static_message);
    TEST_ASSERT_NOT_NULL(buffer);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    TEST_ASSERT_EQ(pdTRUE, xMessageBufferGetStaticBuffers(buffer, &storage, &object));
    TEST_ASSERT_PTR_EQ(static_message_storage, storage);
    TEST_ASSERT_PTR_EQ(&static_message, object);
    send_message(buffer, 9, 6);
    expect_message(buffer, 9, 6);
    vMessageBufferDelete(buffer);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}
#endif

#endif /* configUSE_STREAM_BUFFERS */
