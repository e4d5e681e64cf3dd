/* Alder kernel: the stream buffer API (FreeRTOS V11 names): bytes from one writer to one reader.
 * It must never be used by more than one writer or more than one reader at a time without a lock. */
#ifndef ALDER_STREAM_BUFFER_H
#define ALDER_STREAM_BUFFER_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before stream_buffer.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A stream buffer copies bytes into a ring and out again. It is built for exactly one writer
 * (a task or an ISR) and one reader (a task or an ISR); several writers or readers must share
 * one under their own critical section or mutex, with a block time of 0. A task blocks on a
 * stream buffer through its task notification at the buffer's notification index
 * (tskDEFAULT_INDEX_TO_NOTIFY unless changed), so that index must not be used for anything
 * else while it waits.
 *
 * Capacity: a buffer created with xBufferSizeBytes holds exactly that many bytes and needs
 * exactly that much storage (a static storage area of xBufferSizeBytes + 1 bytes, as other
 * implementations ask for, also works).
 *
 * Trigger level: a reader blocked on an empty buffer is woken once that many bytes are stored
 * (or when its block time ends, when it gets whatever is there). 0 means 1.
 *
 * A batching buffer (xStreamBatchingBufferCreate) differs in one way: a reader with a block
 * time waits until the trigger level is reached even when some bytes are already stored.
 *
 * Message buffers (message_buffer.h) are stream buffers that keep each write whole.
 */
typedef struct stream_buffer *StreamBufferHandle_t;

/* Called instead of the default wake-up when a write (send) or read (receive) completes,
 * from the context that did it; pxHigherPriorityTaskWoken is NULL outside an ISR. */
typedef void (*StreamBufferCallbackFunction_t)(StreamBufferHandle_t xStreamBuffer, BaseType_t xIsInsideISR,
                                               BaseType_t *const pxHigherPriorityTaskWoken);

#define sbTYPE_STREAM_BUFFER ((BaseType_t)0)
#define sbTYPE_MESSAGE_BUFFER ((BaseType_t)1)
#define sbTYPE_STREAM_BATCHING_BUFFER ((BaseType_t)2)

/* ---- creation (the callbacks exist when configUSE_SB_COMPLETED_CALLBACK is 1) ---- */

#define xStreamBufferCreate(xBufferSizeBytes, xTriggerLevelBytes)                                                      \
    xStreamBufferGenericCreate((xBufferSizeBytes), (xTriggerLevelBytes), sbTYPE_STREAM_BUFFER, NULL, NULL)
#define xStreamBufferCreateStatic(xBufferSizeBytes, xTriggerLevelBytes, pucStorage, pxStaticStreamBuffer)              \
    xStreamBufferGenericCreateStatic((xBufferSizeBytes), (xTriggerLevelBytes), sbTYPE_STREAM_BUFFER, (pucStorage),     \
                                     (pxStaticStreamBuffer), NULL, NULL)
#define xStreamBatchingBufferCreate(xBufferSizeBytes, xTriggerLevelBytes)                                              \
    xStreamBufferGenericCreate((xBufferSizeBytes), (xTriggerLevelBytes), sbTYPE_STREAM_BATCHING_BUFFER, NULL, NULL)
#define xStreamBatchingBufferCreateStatic(xBufferSizeBytes, xTriggerLevelBytes, pucStorage, pxStaticStreamBuffer)      \
    xStreamBufferGenericCreateStatic((xBufferSizeBytes), (xTriggerLevelBytes), sbTYPE_STREAM_BATCHING_BUFFER,          \
                                     (pucStorage), (pxStaticStreamBuffer), NULL, NULL)

#if defined(configUSE_SB_COMPLETED_CALLBACK) && (configUSE_SB_COMPLETED_CALLBACK == 1)
#define xStreamBufferCreateWithCallback(xBufferSizeBytes, xTriggerLevelBytes, pxSendCb, pxReceiveCb)                   \
    xStreamBufferGenericCreate((xBufferSizeBytes), (xTriggerLevelBytes), sbTYPE_STREAM_BUFFER, (pxSendCb),             \
                               (pxReceiveCb))
#define xStreamBufferCreateStaticWithCallback(xBufferSizeBytes, xTriggerLevelBytes, pucStorage, pxStaticStreamBuffer,  \
                                              pxSendCb, pxReceiveCb)                                                   \
    xStreamBufferGenericCreateStatic((xBufferSizeBytes), (xTriggerLevelBytes), sbTYPE_STREAM_BUFFER, (pucStorage),     \
                                     (pxStaticStreamBuffer), (pxSendCb), (pxReceiveCb))
#define xStreamBatchingBufferCreateWithCallback(xBufferSizeBytes, xTriggerLevelBytes, pxSendCb, pxReceiveCb)           \
    xStreamBufferGenericCreate((xBufferSizeBytes), (xTriggerLevelBytes), sbTYPE_STREAM_BATCHING_BUFFER, (pxSendCb),    \
                               (pxReceiveCb))
#define xStreamBatchingBufferCreateStaticWithCallback(xBufferSizeBytes, xTriggerLevelBytes, pucStorage,                \
                                                      pxStaticStreamBuffer, pxSendCb, pxReceiveCb)                     \
    xStreamBufferGenericCreateStatic((xBufferSizeBytes), (xTriggerLevelBytes), sbTYPE_STREAM_BATCHING_BUFFER,          \
                                     (pucStorage), (pxStaticStreamBuffer), (pxSendCb), (pxReceiveCb))
#endif

/* xStreamBufferType is one of the sbTYPE_ values. Returns NULL when out of heap. */
StreamBufferHandle_t xStreamBufferGenericCreate(size_t xBufferSizeBytes, size_t xTriggerLevelBytes,
                                                BaseType_t xStreamBufferType,
                                                StreamBufferCallbackFunction_t pxSendCompletedCallback,
                                                StreamBufferCallbackFunction_t pxReceiveCompletedCallback);

/* pucStreamBufferStorageArea holds at least xBufferSizeBytes bytes; both areas stay owned by
 * the caller and must outlive the buffer. */
StreamBufferHandle_t xStreamBufferGenericCreateStatic(size_t xBufferSizeBytes, size_t xTriggerLevelBytes,
                                                      BaseType_t xStreamBufferType,
                                                      uint8_t *const pucStreamBufferStorageArea,
                                                      StaticStreamBuffer_t *const pxStaticStreamBuffer,
                                                      StreamBufferCallbackFunction_t pxSendCompletedCallback,
                                                      StreamBufferCallbackFunction_t pxReceiveCompletedCallback);

/* pdTRUE and the two areas when the buffer was created statically, else pdFALSE. */
BaseType_t xStreamBufferGetStaticBuffers(StreamBufferHandle_t xStreamBuffer, uint8_t **ppucStreamBufferStorageArea,
                                         StaticStreamBuffer_t **ppxStaticStreamBuffer);

/* Must not be called while a task is blocked on the buffer. */
void vStreamBufferDelete(StreamBufferHandle_t xStreamBuffer);

/* ---- data ---- */

/* Copies up to xDataLengthBytes in; waits at most xTicksToWait for room for all of them (or for
 * a whole empty buffer when more than fits). Returns the number of bytes copied. Task only. */
size_t xStreamBufferSend(StreamBufferHandle_t xStreamBuffer, const void *pvTxData, size_t xDataLengthBytes,
                         TickType_t xTicksToWait);
size_t xStreamBufferSendFromISR(StreamBufferHandle_t xStreamBuffer, const void *pvTxData, size_t xDataLengthBytes,
                                BaseType_t *const pxHigherPriorityTaskWoken);

/* Copies up to xBufferLengthBytes out; waits at most xTicksToWait while the buffer is empty.
 * Returns the number of bytes copied (0 when none arrived in time). Task only. */
size_t xStreamBufferReceive(StreamBufferHandle_t xStreamBuffer, void *pvRxData, size_t xBufferLengthBytes,
                            TickType_t xTicksToWait);
size_t xStreamBufferReceiveFromISR(StreamBufferHandle_t xStreamBuffer, void *pvRxData, size_t xBufferLengthBytes,
                                   BaseType_t *const pxHigherPriorityTaskWoken);

/* ---- state ---- */

BaseType_t xStreamBufferIsEmpty(StreamBufferHandle_t xStreamBuffer);
BaseType_t xStreamBufferIsFull(StreamBufferHandle_t xStreamBuffer);
size_t xStreamBufferSpacesAvailable(StreamBufferHandle_t xStreamBuffer);
size_t xStreamBufferBytesAvailable(StreamBufferHandle_t xStreamBuffer);

/* Empties the buffer; pdFAIL (and nothing changes) while a task is blocked on it. */
BaseType_t xStreamBufferReset(StreamBufferHandle_t xStreamBuffer);
BaseType_t xStreamBufferResetFromISR(StreamBufferHandle_t xStreamBuffer);

/* pdFALSE when xTriggerLevel exceeds the buffer size; 0 sets 1. */
BaseType_t xStreamBufferSetTriggerLevel(StreamBufferHandle_t xStreamBuffer, size_t xTriggerLevel);

/* The default wake-ups, for a completed-callback or an sbSEND_COMPLETED override that runs in
 * an ISR (typically on another core): wake the task blocked reading (after a send) or writing
 * (after a receive). Return pdTRUE when a task was waiting. */
BaseType_t xStreamBufferSendCompletedFromISR(StreamBufferHandle_t xStreamBuffer, BaseType_t *pxHigherPriorityTaskWoken);
BaseType_t xStreamBufferReceiveCompletedFromISR(StreamBufferHandle_t xStreamBuffer,
                                                BaseType_t *pxHigherPriorityTaskWoken);

/* The notification index tasks block on; only change it while no task is blocked. */
UBaseType_t uxStreamBufferGetStreamBufferNotificationIndex(StreamBufferHandle_t xStreamBuffer);
void vStreamBufferSetStreamBufferNotificationIndex(StreamBufferHandle_t xStreamBuffer, UBaseType_t uxNotificationIndex);

/* Message buffers only: the length of the next message, 0 when there is none. */
size_t xStreamBufferNextMessageLengthBytes(StreamBufferHandle_t xStreamBuffer);

/* For trace tools (configUSE_TRACE_FACILITY). The type is non-zero for a message buffer. */
UBaseType_t uxStreamBufferGetStreamBufferNumber(StreamBufferHandle_t xStreamBuffer);
void vStreamBufferSetStreamBufferNumber(StreamBufferHandle_t xStreamBuffer, UBaseType_t uxStreamBufferNumber);
uint8_t ucStreamBufferGetStreamBufferType(StreamBufferHandle_t xStreamBuffer);

#ifdef __cplusplus
}
#endif

#endif /* ALDER_STREAM_BUFFER_H */
