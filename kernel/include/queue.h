/* Alder kernel: the queue API (also the base of semaphores, mutexes and queue sets), FreeRTOS names.
 * It must never expose the queue control block's fields (they are private to queue.c). */
#ifndef QUEUE_H
#define QUEUE_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before queue.h"
#endif

#include "task.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct queue_control *QueueHandle_t;
typedef struct queue_control *QueueSetHandle_t;
typedef struct queue_control *QueueSetMemberHandle_t;

#define queueSEND_TO_BACK ((BaseType_t)0)
#define queueSEND_TO_FRONT ((BaseType_t)1)
#define queueOVERWRITE ((BaseType_t)2)

#define queueQUEUE_TYPE_BASE ((uint8_t)0U)
#define queueQUEUE_TYPE_SET ((uint8_t)0U)
#define queueQUEUE_TYPE_MUTEX ((uint8_t)1U)
#define queueQUEUE_TYPE_COUNTING_SEMAPHORE ((uint8_t)2U)
#define queueQUEUE_TYPE_BINARY_SEMAPHORE ((uint8_t)3U)
#define queueQUEUE_TYPE_RECURSIVE_MUTEX ((uint8_t)4U)

#if configSUPPORT_DYNAMIC_ALLOCATION
QueueHandle_t xQueueGenericCreate(UBaseType_t uxQueueLength, UBaseType_t uxItemSize, uint8_t ucQueueType);
#define xQueueCreate(length, item_size) xQueueGenericCreate((length), (item_size), queueQUEUE_TYPE_BASE)
#endif
#if configSUPPORT_STATIC_ALLOCATION
QueueHandle_t xQueueGenericCreateStatic(UBaseType_t uxQueueLength, UBaseType_t uxItemSize,
                                        uint8_t *pucQueueStorage, StaticQueue_t *pxStaticQueue, uint8_t ucQueueType);
#define xQueueCreateStatic(length, item_size, storage, buffer)                                             \
    xQueueGenericCreateStatic((length), (item_size), (storage), (buffer), queueQUEUE_TYPE_BASE)
BaseType_t xQueueGenericGetStaticBuffers(QueueHandle_t xQueue, uint8_t **ppucQueueStorage,
                                         StaticQueue_t **ppxStaticQueue);
#define xQueueGetStaticBuffers(q, storage, buffer) xQueueGenericGetStaticBuffers((q), (storage), (buffer))
#endif

BaseType_t xQueueGenericSend(QueueHandle_t xQueue, const void *pvItemToQueue, TickType_t xTicksToWait,
                             BaseType_t xCopyPosition);
BaseType_t xQueueGenericSendFromISR(QueueHandle_t xQueue, const void *pvItemToQueue,
                                    BaseType_t *pxHigherPriorityTaskWoken, BaseType_t xCopyPosition);
BaseType_t xQueueGiveFromISR(QueueHandle_t xQueue, BaseType_t *pxHigherPriorityTaskWoken);
BaseType_t xQueueReceive(QueueHandle_t xQueue, void *pvBuffer, TickType_t xTicksToWait);
BaseType_t xQueuePeek(QueueHandle_t xQueue, void *pvBuffer, TickType_t xTicksToWait);
BaseType_t xQueueSemaphoreTake(QueueHandle_t xQueue, TickType_t xTicksToWait);
BaseType_t xQueueReceiveFromISR(QueueHandle_t xQueue, void *pvBuffer, BaseType_t *pxHigherPriorityTaskWoken);
BaseType_t xQueuePeekFromISR(QueueHandle_t xQueue, void *pvBuffer);

#define xQueueSend(q, item, ticks) xQueueGenericSend((q), (item), (ticks), queueSEND_TO_BACK)
#define xQueueSendToBack(q, item, ticks) xQueueGenericSend((q), (item), (ticks), queueSEND_TO_BACK)
#define xQueueSendToFront(q, item, ticks) xQueueGenericSend((q), (item), (ticks), queueSEND_TO_FRONT)
#define xQueueOverwrite(q, item) xQueueGenericSend((q), (item), 0, queueOVERWRITE)
#define xQueueSendFromISR(q, item, woken) xQueueGenericSendFromISR((q), (item), (woken), queueSEND_TO_BACK)
#define xQueueSendToBackFromISR(q, item, woken) xQueueGenericSendFromISR((q), (item), (woken), queueSEND_TO_BACK)
#define xQueueSendToFrontFromISR(q, item, woken) xQueueGenericSendFromISR((q), (item), (woken), queueSEND_TO_FRONT)
#define xQueueOverwriteFromISR(q, item, woken) xQueueGenericSendFromISR((q), (item), (woken), queueOVERWRITE)

UBaseType_t uxQueueMessagesWaiting(const QueueHandle_t xQueue);
UBaseType_t uxQueueMessagesWaitingFromISR(const QueueHandle_t xQueue);
UBaseType_t uxQueueSpacesAvailable(const QueueHandle_t xQueue);
BaseType_t xQueueIsQueueEmptyFromISR(const QueueHandle_t xQueue);
BaseType_t xQueueIsQueueFullFromISR(const QueueHandle_t xQueue);
UBaseType_t uxQueueGetQueueItemSize(QueueHandle_t xQueue);
UBaseType_t uxQueueGetQueueLength(QueueHandle_t xQueue);
void vQueueDelete(QueueHandle_t xQueue);
BaseType_t xQueueGenericReset(QueueHandle_t xQueue, BaseType_t xNewQueue);
#define xQueueReset(q) xQueueGenericReset((q), pdFALSE)

/* Registry: names for queues, for debuggers and pcQueueGetName (configQUEUE_REGISTRY_SIZE entries). */
void vQueueAddToRegistry(QueueHandle_t xQueue, const char *pcQueueName);
void vQueueUnregisterQueue(QueueHandle_t xQueue);
const char *pcQueueGetName(QueueHandle_t xQueue);

/* Semaphore and mutex primitives (semphr.h wraps them). */
QueueHandle_t xQueueCreateMutex(uint8_t ucQueueType);
QueueHandle_t xQueueCreateMutexStatic(uint8_t ucQueueType, StaticQueue_t *pxStaticQueue);
QueueHandle_t xQueueCreateCountingSemaphore(UBaseType_t uxMaxCount, UBaseType_t uxInitialCount);
QueueHandle_t xQueueCreateCountingSemaphoreStatic(UBaseType_t uxMaxCount, UBaseType_t uxInitialCount,
                                                  StaticQueue_t *pxStaticQueue);
BaseType_t xQueueTakeMutexRecursive(QueueHandle_t xMutex, TickType_t xTicksToWait);
BaseType_t xQueueGiveMutexRecursive(QueueHandle_t xMutex);
TaskHandle_t xQueueGetMutexHolder(QueueHandle_t xSemaphore);
TaskHandle_t xQueueGetMutexHolderFromISR(QueueHandle_t xSemaphore);

/* Queue sets. */
QueueSetHandle_t xQueueCreateSet(UBaseType_t uxEventQueueLength);
BaseType_t xQueueAddToSet(QueueSetMemberHandle_t xQueueOrSemaphore, QueueSetHandle_t xQueueSet);
BaseType_t xQueueRemoveFromSet(QueueSetMemberHandle_t xQueueOrSemaphore, QueueSetHandle_t xQueueSet);
QueueSetMemberHandle_t xQueueSelectFromSet(QueueSetHandle_t xQueueSet, TickType_t xTicksToWait);
QueueSetMemberHandle_t xQueueSelectFromSetFromISR(QueueSetHandle_t xQueueSet);

/* Trace support. */
UBaseType_t uxQueueGetQueueNumber(QueueHandle_t xQueue);
void vQueueSetQueueNumber(QueueHandle_t xQueue, UBaseType_t uxQueueNumber);
uint8_t ucQueueGetQueueType(QueueHandle_t xQueue);

#ifdef __cplusplus
}
#endif

#endif /* QUEUE_H */
