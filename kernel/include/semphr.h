/* Alder kernel: semaphores and mutexes, the FreeRTOS macros over the queue primitives.
 * It must never add behaviour of its own: every macro maps to one queue.c function. */
#ifndef SEMAPHORE_H
#define SEMAPHORE_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before semphr.h"
#endif

#include "queue.h"

typedef QueueHandle_t SemaphoreHandle_t;

#define semBINARY_SEMAPHORE_QUEUE_LENGTH ((UBaseType_t)1U)
#define semSEMAPHORE_QUEUE_ITEM_LENGTH ((UBaseType_t)0U)
#define semGIVE_BLOCK_TIME ((TickType_t)0U)

#if configSUPPORT_DYNAMIC_ALLOCATION
#define xSemaphoreCreateBinary()                                                                           \
    xQueueGenericCreate(semBINARY_SEMAPHORE_QUEUE_LENGTH, semSEMAPHORE_QUEUE_ITEM_LENGTH,                  \
                        queueQUEUE_TYPE_BINARY_SEMAPHORE)
#define vSemaphoreCreateBinary(s)                                                                          \
    do {                                                                                                   \
        (s) = xSemaphoreCreateBinary();                                                                    \
        if ((s) != NULL)                                                                                   \
            (void)xSemaphoreGive(s);                                                                       \
    } while (0)
#define xSemaphoreCreateMutex() xQueueCreateMutex(queueQUEUE_TYPE_MUTEX)
#define xSemaphoreCreateRecursiveMutex() xQueueCreateMutex(queueQUEUE_TYPE_RECURSIVE_MUTEX)
#define xSemaphoreCreateCounting(max, initial) xQueueCreateCountingSemaphore((max), (initial))
#endif

#if configSUPPORT_STATIC_ALLOCATION
#define xSemaphoreCreateBinaryStatic(buffer)                                                               \
    xQueueGenericCreateStatic(semBINARY_SEMAPHORE_QUEUE_LENGTH, semSEMAPHORE_QUEUE_ITEM_LENGTH, NULL,      \
                              (buffer), queueQUEUE_TYPE_BINARY_SEMAPHORE)
#define xSemaphoreCreateMutexStatic(buffer) xQueueCreateMutexStatic(queueQUEUE_TYPE_MUTEX, (buffer))
#define xSemaphoreCreateRecursiveMutexStatic(buffer)                                                       \
    xQueueCreateMutexStatic(queueQUEUE_TYPE_RECURSIVE_MUTEX, (buffer))
#define xSemaphoreCreateCountingStatic(max, initial, buffer)                                               \
    xQueueCreateCountingSemaphoreStatic((max), (initial), (buffer))
#define xSemaphoreGetStaticBuffer(s, buffer) xQueueGenericGetStaticBuffers((s), NULL, (buffer))
#endif

#define xSemaphoreTake(s, ticks) xQueueSemaphoreTake((s), (ticks))
#define xSemaphoreTakeRecursive(s, ticks) xQueueTakeMutexRecursive((s), (ticks))
#define xSemaphoreGive(s) xQueueGenericSend((s), NULL, semGIVE_BLOCK_TIME, queueSEND_TO_BACK)
#define xSemaphoreGiveRecursive(s) xQueueGiveMutexRecursive((s))
#define xSemaphoreGiveFromISR(s, woken) xQueueGiveFromISR((s), (woken))
#define xSemaphoreTakeFromISR(s, woken) xQueueReceiveFromISR((s), NULL, (woken))
#define vSemaphoreDelete(s) vQueueDelete((s))
#define xSemaphoreGetMutexHolder(s) xQueueGetMutexHolder((s))
#define xSemaphoreGetMutexHolderFromISR(s) xQueueGetMutexHolderFromISR((s))
#define uxSemaphoreGetCount(s) uxQueueMessagesWaiting((s))
#define uxSemaphoreGetCountFromISR(s) uxQueueMessagesWaitingFromISR((s))

#endif /* SEMAPHORE_H */
