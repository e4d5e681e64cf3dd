/* Alder kernel: the message buffer API (FreeRTOS V11 names), stream buffers that keep writes whole.
 * It must never add code of its own: every call is a stream buffer call on a message-type buffer. */
#ifndef ALDER_MESSAGE_BUFFER_H
#define ALDER_MESSAGE_BUFFER_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before message_buffer.h"
#endif

#include "stream_buffer.h"

/*
 * Each message is stored behind a header of sizeof(configMESSAGE_BUFFER_LENGTH_TYPE) bytes
 * (size_t unless configured), so a message of n bytes takes n + that many bytes of the
 * buffer, and the space reported by xMessageBufferSpacesAvailable includes the header.
 * A receive gets one whole message or nothing: when the next message is larger than the
 * receive buffer it stays in the message buffer and the receive returns 0. A send of a
 * message that can never fit (or of 0 bytes) returns 0 at once, without blocking.
 * One writer and one reader, as for stream buffers.
 */
typedef StreamBufferHandle_t MessageBufferHandle_t;

#define xMessageBufferCreate(xBufferSizeBytes)                                                                         \
    xStreamBufferGenericCreate((xBufferSizeBytes), (size_t)0, sbTYPE_MESSAGE_BUFFER, NULL, NULL)
#define xMessageBufferCreateStatic(xBufferSizeBytes, pucStorage, pxStaticMessageBuffer)                                \
    xStreamBufferGenericCreateStatic((xBufferSizeBytes), (size_t)0, sbTYPE_MESSAGE_BUFFER, (pucStorage),               \
                                     (StaticStreamBuffer_t *)(pxStaticMessageBuffer), NULL, NULL)
#if defined(configUSE_SB_COMPLETED_CALLBACK) && (configUSE_SB_COMPLETED_CALLBACK == 1)
#define xMessageBufferCreateWithCallback(xBufferSizeBytes, pxSendCb, pxReceiveCb)                                      \
    xStreamBufferGenericCreate((xBufferSizeBytes), (size_t)0, sbTYPE_MESSAGE_BUFFER, (pxSendCb), (pxReceiveCb))
#define xMessageBufferCreateStaticWithCallback(xBufferSizeBytes, pucStorage, pxStaticMessageBuffer, pxSendCb,          \
                                               pxReceiveCb)                                                            \
    xStreamBufferGenericCreateStatic((xBufferSizeBytes), (size_t)0, sbTYPE_MESSAGE_BUFFER, (pucStorage),               \
                                     (StaticStreamBuffer_t *)(pxStaticMessageBuffer), (pxSendCb), (pxReceiveCb))
#endif
#define xMessageBufferGetStaticBuffers(xMessageBuffer, ppucStorage, ppxStaticMessageBuffer)                            \
    xStreamBufferGetStaticBuffers((xMessageBuffer), (ppucStorage), (StaticStreamBuffer_t **)(ppxStaticMessageBuffer))

#define xMessageBufferSend(xMessageBuffer, pvTxData, xDataLengthBytes, xTicksToWait)                                   \
    xStreamBufferSend((xMessageBuffer), (pvTxData), (xDataLengthBytes), (xTicksToWait))
#define xMessageBufferSendFromISR(xMessageBuffer, pvTxData, xDataLengthBytes, pxHigherPriorityTaskWoken)               \
    xStreamBufferSendFromISR((xMessageBuffer), (pvTxData), (xDataLengthBytes), (pxHigherPriorityTaskWoken))
#define xMessageBufferReceive(xMessageBuffer, pvRxData, xBufferLengthBytes, xTicksToWait)                              \
    xStreamBufferReceive((xMessageBuffer), (pvRxData), (xBufferLengthBytes), (xTicksToWait))
#define xMessageBufferReceiveFromISR(xMessageBuffer, pvRxData, xBufferLengthBytes, pxHigherPriorityTaskWoken)          \
    xStreamBufferReceiveFromISR((xMessageBuffer), (pvRxData), (xBufferLengthBytes), (pxHigherPriorityTaskWoken))

#define vMessageBufferDelete(xMessageBuffer) vStreamBufferDelete(xMessageBuffer)
#define xMessageBufferIsFull(xMessageBuffer) xStreamBufferIsFull(xMessageBuffer)
#define xMessageBufferIsEmpty(xMessageBuffer) xStreamBufferIsEmpty(xMessageBuffer)
#define xMessageBufferReset(xMessageBuffer) xStreamBufferReset(xMessageBuffer)
#define xMessageBufferResetFromISR(xMessageBuffer) xStreamBufferResetFromISR(xMessageBuffer)
#define xMessageBufferSpaceAvailable(xMessageBuffer) xStreamBufferSpacesAvailable(xMessageBuffer)
#define xMessageBufferSpacesAvailable(xMessageBuffer) xStreamBufferSpacesAvailable(xMessageBuffer)
#define xMessageBufferNextLengthBytes(xMessageBuffer) xStreamBufferNextMessageLengthBytes(xMessageBuffer)
#define xMessageBufferSendCompletedFromISR(xMessageBuffer, pxHigherPriorityTaskWoken)                                  \
    xStreamBufferSendCompletedFromISR((xMessageBuffer), (pxHigherPriorityTaskWoken))
#define xMessageBufferReceiveCompletedFromISR(xMessageBuffer, pxHigherPriorityTaskWoken)                               \
    xStreamBufferReceiveCompletedFromISR((xMessageBuffer), (pxHigherPriorityTaskWoken))

#endif /* ALDER_MESSAGE_BUFFER_H */
