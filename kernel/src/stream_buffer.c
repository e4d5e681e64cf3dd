/* Alder kernel: stream, message and batching buffers (one writer, one reader, waiting by task notification).
 * It must never copy data inside a critical section, block in an ISR, or store a message partly. */
#include <string.h>

#include "FreeRTOS.h"
#include "kernel_internal.h"
#include "stream_buffer.h"
#include "task.h"

#if configUSE_STREAM_BUFFERS == 1

/*
 * The wake-ups after a write (send) or a read (receive) completes. An application may
 * override them in FreeRTOSConfig.h, for example to interrupt another core that shares the
 * buffer; the overrides are what FreeRTOS documents, so they take the buffer pointer.
 */
#ifndef sbSEND_COMPLETED
#define sbSEND_COMPLETED(buffer) wake_waiter(&(buffer)->waiting_reader, (buffer)->notify_index)
#endif
#ifndef sbRECEIVE_COMPLETED
#define sbRECEIVE_COMPLETED(buffer) wake_waiter(&(buffer)->waiting_writer, (buffer)->notify_index)
#endif
#ifndef sbSEND_COMPLETE_FROM_ISR
#define sbSEND_COMPLETE_FROM_ISR(buffer, woken) ((void)xStreamBufferSendCompletedFromISR((buffer), (woken)))
#endif
#ifndef sbRECEIVE_COMPLETED_FROM_ISR
#define sbRECEIVE_COMPLETED_FROM_ISR(buffer, woken) ((void)xStreamBufferReceiveCompletedFromISR((buffer), (woken)))
#endif

#define FLAG_MESSAGE 0x01u
#define FLAG_BATCHING 0x02u
#define FLAG_STATIC 0x04u

typedef configMESSAGE_BUFFER_LENGTH_TYPE message_length_t;
#define HEADER_BYTES sizeof(message_length_t)

#define IS_MESSAGE(buffer) (((buffer)->flags & FLAG_MESSAGE) != 0u)

/* ---- the ring: head and tail run over [0, 2 * length), see stream_buffer_object.h ---- */

static size_t bytes_used(const struct stream_buffer *buffer)
{
    size_t head = buffer->head;
    size_t tail = buffer->tail;
    return head >= tail ? head - tail : (2u * buffer->length - tail) + head;
}

static size_t bytes_free(const struct stream_buffer *buffer)
{
    return buffer->length - bytes_used(buffer);
}

static size_t advance(const struct stream_buffer *buffer, size_t index, size_t count)
{
    size_t room = 2u * buffer->length - index;
    return count < room ? index + count : count - room;
}

static size_t offset_of(const struct stream_buffer *buffer, size_t index)
{
    return index < buffer->length ? index : index - buffer->length;
}

static void ring_write(struct stream_buffer *buffer, size_t index, const void *data, size_t count)
{
    size_t at = offset_of(buffer, index);
    size_t first = buffer->length - at < count ? buffer->length - at : count;
    memcpy(buffer->storage + at, data, first);
    memcpy(buffer->storage, (const uint8_t *)data + first, count - first);
}

static void ring_read(const struct stream_buffer *buffer, size_t index, void *data, size_t count)
{
    size_t at = offset_of(buffer, index);
    size_t first = buffer->length - at < count ? buffer->length - at : count;
    memcpy(data, buffer->storage + at, first);
    memcpy((uint8_t *)data + first, buffer->storage, count - first);
}

/* Publishing head only after the whole message is copied is what lets the reader run
 * concurrently: it never sees a header without its data. */
static size_t write_now(struct stream_buffer *buffer, const void *data, size_t count)
{
    size_t space = bytes_free(buffer);
    size_t head = buffer->head;

    if (IS_MESSAGE(buffer)) {
        message_length_t header = (message_length_t)count;
        if (count == 0 || (size_t)header != count || space < HEADER_BYTES || space - HEADER_BYTES < count) {
            return 0;
        }
        ring_write(buffer, head, &header, HEADER_BYTES);
        head = advance(buffer, head, HEADER_BYTES);
    } else if (count > space) {
        count = space;
    }
    ring_write(buffer, head, data, count);
    buffer->head = advance(buffer, head, count);
    return count;
}

static size_t read_now(struct stream_buffer *buffer, void *data, size_t capacity)
{
    size_t used = bytes_used(buffer);
    size_t tail = buffer->tail;
    size_t count = used < capacity ? used : capacity;

    if (IS_MESSAGE(buffer)) {
        message_length_t header;
        if (used < HEADER_BYTES) {
            return 0;
        }
        ring_read(buffer, tail, &header, HEADER_BYTES);
        count = header;
        configASSERT(count <= used - HEADER_BYTES);
        if (count > capacity) {
            return 0; /* documented: a message too big for the caller stays where it is */
        }
        tail = advance(buffer, tail, HEADER_BYTES);
    }
    ring_read(buffer, tail, data, count);
    buffer->tail = advance(buffer, tail, count);
    return count;
}

/* ---- waiting and waking ---- */

static void wake_waiter(void **slot, UBaseType_t index)
{
    vTaskSuspendAll();
    if (*slot != NULL) {
        (void)xTaskNotifyIndexed(*slot, index, 0, eNoAction);
        *slot = NULL;
    }
    (void)xTaskResumeAll();
}

static BaseType_t wake_waiter_from_isr(void **slot, UBaseType_t index, BaseType_t *woken)
{
    BaseType_t was_waiting;
    UBaseType_t mask = taskENTER_CRITICAL_FROM_ISR();
    was_waiting = *slot != NULL ? pdTRUE : pdFALSE;
    if (was_waiting) {
        (void)xTaskNotifyIndexedFromISR(*slot, index, 0, eNoAction, woken);
        *slot = NULL;
    }
    taskEXIT_CRITICAL_FROM_ISR(mask);
    return was_waiting;
}

/* A completed-callback, when the buffer has one, replaces the default wake-up. */
static void completed(struct stream_buffer *buffer, BaseType_t sent, BaseType_t in_isr, BaseType_t *woken)
{
#if configUSE_SB_COMPLETED_CALLBACK == 1
    stream_buffer_callback_t callback = sent ? buffer->send_completed : buffer->receive_completed;
    if (callback != NULL) {
        callback(buffer, in_isr, woken);
        return;
    }
#endif
    if (in_isr) {
        if (sent) {
            sbSEND_COMPLETE_FROM_ISR(buffer, woken);
        } else {
            sbRECEIVE_COMPLETED_FROM_ISR(buffer, woken);
        }
    } else if (sent) {
        sbSEND_COMPLETED(buffer);
    } else {
        sbRECEIVE_COMPLETED(buffer);
    }
}

/*
 * Block until `needed` bytes are free (writer) or stored (reader), or the time runs out. The
 * notification state is cleared before the task records itself as waiting, inside the same
 * critical section, so a wake-up sent between that and the wait is kept rather than lost.
 * Waking early for another reason (a stray notification at the same index) waits again for
 * the time left.
 */
static void wait_for(struct stream_buffer *buffer, BaseType_t writer, size_t needed, TickType_t ticks)
{
    void **slot = writer ? &buffer->waiting_writer : &buffer->waiting_reader;
    TimeOut_t timeout;
    BaseType_t ready;

    vTaskSetTimeOutState(&timeout);
    for (;;) {
        taskENTER_CRITICAL();
        ready = (writer ? bytes_free(buffer) : bytes_used(buffer)) >= needed ? pdTRUE : pdFALSE;
        if (!ready) {
            (void)xTaskNotifyStateClearIndexed(NULL, buffer->notify_index);
            configASSERT(*slot == NULL); /* a second writer or reader: not supported */
            *slot = xTaskGetCurrentTaskHandle();
        }
        taskEXIT_CRITICAL();
        if (ready) {
            return;
        }
        (void)xTaskNotifyWaitIndexed(buffer->notify_index, 0, 0, NULL, ticks);
        *slot = NULL;
        if (xTaskCheckForTimeOut(&timeout, &ticks) != pdFALSE) {
            return;
        }
    }
}

/* What a blocked reader waits for: any byte, a whole message, or the batching trigger. */
static size_t reader_needs(const struct stream_buffer *buffer)
{
    if (IS_MESSAGE(buffer)) {
        return HEADER_BYTES;
    }
    return (buffer->flags & FLAG_BATCHING) != 0u ? buffer->trigger_level : 1u;
}

/* ---- creation ---- */

static BaseType_t valid_sizes(size_t size, size_t trigger, BaseType_t type)
{
    BaseType_t valid = type >= sbTYPE_STREAM_BUFFER && type <= sbTYPE_STREAM_BATCHING_BUFFER &&
                       size > (type == sbTYPE_MESSAGE_BUFFER ? HEADER_BYTES : 0u) && trigger <= size &&
                       size <= (size_t)-1 / 2u; /* the ring indices run to 2 * size */
    configASSERT(valid);
    return valid;
}

static void init_buffer(struct stream_buffer *buffer, uint8_t *storage, size_t size, size_t trigger, uint8_t flags)
{
    memset(buffer, 0, sizeof *buffer);
    buffer->storage = storage;
    buffer->length = size;
    buffer->trigger_level = trigger == 0 ? 1u : trigger;
    buffer->flags = flags;
    buffer->notify_index = tskDEFAULT_INDEX_TO_NOTIFY;
}

static uint8_t type_flags(BaseType_t type)
{
    if (type == sbTYPE_MESSAGE_BUFFER) {
        return FLAG_MESSAGE;
    }
    return type == sbTYPE_STREAM_BATCHING_BUFFER ? FLAG_BATCHING : 0u;
}

static void set_callbacks(struct stream_buffer *buffer, StreamBufferCallbackFunction_t on_send,
                          StreamBufferCallbackFunction_t on_receive)
{
#if configUSE_SB_COMPLETED_CALLBACK == 1
    buffer->send_completed = on_send;
    buffer->receive_completed = on_receive;
#else
    (void)buffer;
    (void)on_send;
    (void)on_receive;
    configASSERT(on_send == NULL && on_receive == NULL);
#endif
}

#if configSUPPORT_DYNAMIC_ALLOCATION == 1
/* One allocation: the object, then its storage. */
StreamBufferHandle_t xStreamBufferGenericCreate(size_t xBufferSizeBytes, size_t xTriggerLevelBytes,
                                                BaseType_t xStreamBufferType,
                                                StreamBufferCallbackFunction_t pxSendCompletedCallback,
                                                StreamBufferCallbackFunction_t pxReceiveCompletedCallback)
{
    struct stream_buffer *buffer;

    if (!valid_sizes(xBufferSizeBytes, xTriggerLevelBytes, xStreamBufferType)) {
        return NULL;
    }
    buffer = pvPortMalloc(sizeof *buffer + xBufferSizeBytes);
    if (buffer != NULL) {
        init_buffer(buffer, (uint8_t *)(buffer + 1), xBufferSizeBytes, xTriggerLevelBytes,
                    type_flags(xStreamBufferType));
        set_callbacks(buffer, pxSendCompletedCallback, pxReceiveCompletedCallback);
    }
    return buffer;
}
#endif

#if configSUPPORT_STATIC_ALLOCATION == 1
StreamBufferHandle_t xStreamBufferGenericCreateStatic(size_t xBufferSizeBytes, size_t xTriggerLevelBytes,
                                                      BaseType_t xStreamBufferType,
                                                      uint8_t *const pucStreamBufferStorageArea,
                                                      StaticStreamBuffer_t *const pxStaticStreamBuffer,
                                                      StreamBufferCallbackFunction_t pxSendCompletedCallback,
                                                      StreamBufferCallbackFunction_t pxReceiveCompletedCallback)
{
    struct stream_buffer *buffer = pxStaticStreamBuffer;

    configASSERT(pucStreamBufferStorageArea != NULL && buffer != NULL);
    if (pucStreamBufferStorageArea == NULL || buffer == NULL ||
        !valid_sizes(xBufferSizeBytes, xTriggerLevelBytes, xStreamBufferType)) {
        return NULL;
    }
    init_buffer(buffer, pucStreamBufferStorageArea, xBufferSizeBytes, xTriggerLevelBytes,
                type_flags(xStreamBufferType) | FLAG_STATIC);
    set_callbacks(buffer, pxSendCompletedCallback, pxReceiveCompletedCallback);
    return buffer;
}

BaseType_t xStreamBufferGetStaticBuffers(StreamBufferHandle_t xStreamBuffer, uint8_t **ppucStreamBufferStorageArea,
                                         StaticStreamBuffer_t **ppxStaticStreamBuffer)
{
    configASSERT(xStreamBuffer != NULL && ppucStreamBufferStorageArea != NULL && ppxStaticStreamBuffer != NULL);
    if ((xStreamBuffer->flags & FLAG_STATIC) == 0u) {
        return pdFALSE;
    }
    *ppucStreamBufferStorageArea = xStreamBuffer->storage;
    *ppxStaticStreamBuffer = xStreamBuffer;
    return pdTRUE;
}
#endif

void vStreamBufferDelete(StreamBufferHandle_t xStreamBuffer)
{
    configASSERT(xStreamBuffer != NULL);
#if configSUPPORT_DYNAMIC_ALLOCATION == 1
    if ((xStreamBuffer->flags & FLAG_STATIC) == 0u) {
        vPortFree(xStreamBuffer);
        return;
    }
#endif
    /* A statically allocated buffer is the caller's memory; nothing to give back. */
}

/* ---- data ---- */

size_t xStreamBufferSend(StreamBufferHandle_t xStreamBuffer, const void *pvTxData, size_t xDataLengthBytes,
                         TickType_t xTicksToWait)
{
    size_t needed = xDataLengthBytes;
    size_t written;

    kernel_assert_may_block(xTicksToWait);
    configASSERT(xStreamBuffer != NULL && pvTxData != NULL);
    if (IS_MESSAGE(xStreamBuffer)) {
        if (xDataLengthBytes == 0 || xDataLengthBytes > xStreamBuffer->length - HEADER_BYTES) {
            xTicksToWait = 0; /* never stored: waiting would not help */
        }
        needed += HEADER_BYTES;
    } else if (needed > xStreamBuffer->length) {
        needed = xStreamBuffer->length;
    }
    if (xTicksToWait != 0) {
        wait_for(xStreamBuffer, pdTRUE, needed, xTicksToWait);
    }
    written = write_now(xStreamBuffer, pvTxData, xDataLengthBytes);
    if (written != 0 && bytes_used(xStreamBuffer) >= xStreamBuffer->trigger_level) {
        completed(xStreamBuffer, pdTRUE, pdFALSE, NULL);
    }
    return written;
}

size_t xStreamBufferSendFromISR(StreamBufferHandle_t xStreamBuffer, const void *pvTxData, size_t xDataLengthBytes,
                                BaseType_t *const pxHigherPriorityTaskWoken)
{
    size_t written;

    configASSERT(xStreamBuffer != NULL && pvTxData != NULL);
    written = write_now(xStreamBuffer, pvTxData, xDataLengthBytes);
    if (written != 0 && bytes_used(xStreamBuffer) >= xStreamBuffer->trigger_level) {
        completed(xStreamBuffer, pdTRUE, pdTRUE, pxHigherPriorityTaskWoken);
    }
    return written;
}

size_t xStreamBufferReceive(StreamBufferHandle_t xStreamBuffer, void *pvRxData, size_t xBufferLengthBytes,
                            TickType_t xTicksToWait)
{
    size_t count;

    kernel_assert_may_block(xTicksToWait);
    configASSERT(xStreamBuffer != NULL && pvRxData != NULL);
    if (xTicksToWait != 0) {
        wait_for(xStreamBuffer, pdFALSE, reader_needs(xStreamBuffer), xTicksToWait);
    }
    count = read_now(xStreamBuffer, pvRxData, xBufferLengthBytes);
    if (count != 0) {
        completed(xStreamBuffer, pdFALSE, pdFALSE, NULL);
    }
    return count;
}

size_t xStreamBufferReceiveFromISR(StreamBufferHandle_t xStreamBuffer, void *pvRxData, size_t xBufferLengthBytes,
                                   BaseType_t *const pxHigherPriorityTaskWoken)
{
    size_t count;

    configASSERT(xStreamBuffer != NULL && pvRxData != NULL);
    count = read_now(xStreamBuffer, pvRxData, xBufferLengthBytes);
    if (count != 0) {
        completed(xStreamBuffer, pdFALSE, pdTRUE, pxHigherPriorityTaskWoken);
    }
    return count;
}

BaseType_t xStreamBufferSendCompletedFromISR(StreamBufferHandle_t xStreamBuffer, BaseType_t *pxHigherPriorityTaskWoken)
{
    configASSERT(xStreamBuffer != NULL);
    return wake_waiter_from_isr(&xStreamBuffer->waiting_reader, xStreamBuffer->notify_index, pxHigherPriorityTaskWoken);
}

BaseType_t xStreamBufferReceiveCompletedFromISR(StreamBufferHandle_t xStreamBuffer,
                                                BaseType_t *pxHigherPriorityTaskWoken)
{
    configASSERT(xStreamBuffer != NULL);
    return wake_waiter_from_isr(&xStreamBuffer->waiting_writer, xStreamBuffer->notify_index, pxHigherPriorityTaskWoken);
}

/* ---- state ---- */

BaseType_t xStreamBufferIsEmpty(StreamBufferHandle_t xStreamBuffer)
{
    configASSERT(xStreamBuffer != NULL);
    return bytes_used(xStreamBuffer) == 0 ? pdTRUE : pdFALSE;
}

/* A message buffer with no room for one more header is full: nothing more can be sent. */
BaseType_t xStreamBufferIsFull(StreamBufferHandle_t xStreamBuffer)
{
    configASSERT(xStreamBuffer != NULL);
    return bytes_free(xStreamBuffer) <= (IS_MESSAGE(xStreamBuffer) ? HEADER_BYTES : 0u) ? pdTRUE : pdFALSE;
}

size_t xStreamBufferSpacesAvailable(StreamBufferHandle_t xStreamBuffer)
{
    configASSERT(xStreamBuffer != NULL);
    return bytes_free(xStreamBuffer);
}

size_t xStreamBufferBytesAvailable(StreamBufferHandle_t xStreamBuffer)
{
    configASSERT(xStreamBuffer != NULL);
    return bytes_used(xStreamBuffer);
}

size_t xStreamBufferNextMessageLengthBytes(StreamBufferHandle_t xStreamBuffer)
{
    message_length_t header;

    configASSERT(xStreamBuffer != NULL);
    if (!IS_MESSAGE(xStreamBuffer) || bytes_used(xStreamBuffer) < HEADER_BYTES) {
        return 0;
    }
    ring_read(xStreamBuffer, xStreamBuffer->tail, &header, HEADER_BYTES);
    return header;
}

/* Resetting under a blocked task would leave it waiting for data or room that the reset
 * already changed, so that is refused. */
static BaseType_t reset_if_idle(struct stream_buffer *buffer)
{
    if (buffer->waiting_reader != NULL || buffer->waiting_writer != NULL) {
        return pdFAIL;
    }
    buffer->head = 0;
    buffer->tail = 0;
    return pdPASS;
}

BaseType_t xStreamBufferReset(StreamBufferHandle_t xStreamBuffer)
{
    BaseType_t result;

    configASSERT(xStreamBuffer != NULL);
    taskENTER_CRITICAL();
    result = reset_if_idle(xStreamBuffer);
    taskEXIT_CRITICAL();
    return result;
}

BaseType_t xStreamBufferResetFromISR(StreamBufferHandle_t xStreamBuffer)
{
    BaseType_t result;
    UBaseType_t mask;

    configASSERT(xStreamBuffer != NULL);
    mask = taskENTER_CRITICAL_FROM_ISR();
    result = reset_if_idle(xStreamBuffer);
    taskEXIT_CRITICAL_FROM_ISR(mask);
    return result;
}

BaseType_t xStreamBufferSetTriggerLevel(StreamBufferHandle_t xStreamBuffer, size_t xTriggerLevel)
{
    configASSERT(xStreamBuffer != NULL);
    if (xTriggerLevel > xStreamBuffer->length) {
        return pdFALSE;
    }
    xStreamBuffer->trigger_level = xTriggerLevel == 0 ? 1u : xTriggerLevel;
    return pdTRUE;
}

UBaseType_t uxStreamBufferGetStreamBufferNotificationIndex(StreamBufferHandle_t xStreamBuffer)
{
    configASSERT(xStreamBuffer != NULL);
    return xStreamBuffer->notify_index;
}

void vStreamBufferSetStreamBufferNotificationIndex(StreamBufferHandle_t xStreamBuffer, UBaseType_t uxNotificationIndex)
{
    configASSERT(xStreamBuffer != NULL && uxNotificationIndex < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    configASSERT(xStreamBuffer->waiting_reader == NULL && xStreamBuffer->waiting_writer == NULL);
    xStreamBuffer->notify_index = (uint8_t)uxNotificationIndex;
}

#if configUSE_TRACE_FACILITY == 1
UBaseType_t uxStreamBufferGetStreamBufferNumber(StreamBufferHandle_t xStreamBuffer)
{
    return xStreamBuffer->number;
}

void vStreamBufferSetStreamBufferNumber(StreamBufferHandle_t xStreamBuffer, UBaseType_t uxStreamBufferNumber)
{
    xStreamBuffer->number = uxStreamBufferNumber;
}

uint8_t ucStreamBufferGetStreamBufferType(StreamBufferHandle_t xStreamBuffer)
{
    return (uint8_t)(xStreamBuffer->flags & FLAG_MESSAGE);
}
#endif

#endif /* configUSE_STREAM_BUFFERS */
