/* Alder kernel: queues, and the semaphores, mutexes and queue sets built on them.
 * It must never touch a queue outside a critical section: tasks and ISRs share every field. */
#include <string.h>

#include "kernel_internal.h"
#include "queue.h"

/*
 * Every operation runs start to finish inside one critical section: check, copy, wake a
 * waiter or block. There is no queue lock and no second pass, which keeps the paths short;
 * the price is that interrupts stay masked while a blocking task is inserted into the
 * sorted waiter and delay lists (a walk over the tasks waiting there).
 */

enum queue_flag {
    QUEUE_FLAG_STATIC = 1u << 0, /* the application owns the memory */
    QUEUE_FLAG_MUTEX = 1u << 1   /* a mutex or recursive mutex: the union holds holder and recursion */
};

/* On every path, so one bit test rather than two type compares. */
static inline __attribute__((always_inline)) BaseType_t is_mutex(const struct queue_control *queue)
{
    return (queue->flags & QUEUE_FLAG_MUTEX) != 0;
}

/* ------------------------------------------------------------------ creation */

static void reset_storage(struct queue_control *queue)
{
    queue->count = 0;
    if (!is_mutex(queue)) {
        queue->u.ring.read = queue->u.ring.storage;
        queue->u.ring.write = queue->u.ring.storage;
    }
}

static void init_queue(struct queue_control *queue, UBaseType_t length, UBaseType_t item_size, uint8_t *storage,
                       uint8_t type)
{
    memset(queue, 0, sizeof(*queue));
    list_init(&queue->send_waiters);
    list_init(&queue->receive_waiters);
    queue->length = length;
    queue->item_size = item_size;
    queue->type = type;
    if (item_size > 0) {
        queue->u.ring.storage = storage;
        queue->u.ring.end = storage + (size_t)length * item_size;
    }
    reset_storage(queue);
    traceQUEUE_CREATE(queue);
}

/* length * item_size without overflow; pdFALSE when it would not fit a size_t. */
static BaseType_t storage_size(UBaseType_t length, UBaseType_t item_size, size_t *bytes)
{
    if (length == 0 || (item_size != 0 && (size_t)length > ((size_t)-1 - sizeof(struct queue_control)) / item_size)) {
        return pdFALSE;
    }
    *bytes = (size_t)length * item_size;
    return pdTRUE;
}

#if configSUPPORT_DYNAMIC_ALLOCATION
QueueHandle_t xQueueGenericCreate(UBaseType_t length, UBaseType_t item_size, uint8_t type)
{
    size_t bytes = 0;
    configASSERT(length > 0);
    if (!storage_size(length, item_size, &bytes)) {
        return NULL;
    }
    struct queue_control *queue = pvPortMalloc(sizeof(struct queue_control) + bytes);
    if (queue != NULL) {
        init_queue(queue, length, item_size, (uint8_t *)(queue + 1), type);
    }
    return queue;
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
QueueHandle_t xQueueGenericCreateStatic(UBaseType_t length, UBaseType_t item_size, uint8_t *storage,
                                        StaticQueue_t *buffer, uint8_t type)
{
    size_t bytes = 0;
    configASSERT(buffer != NULL && length > 0);
    configASSERT((item_size == 0) == (storage == NULL));
    if (buffer == NULL || !storage_size(length, item_size, &bytes) || (item_size > 0 && storage == NULL)) {
        return NULL;
    }
    init_queue(buffer, length, item_size, storage, type);
    buffer->flags = QUEUE_FLAG_STATIC;
    return buffer;
}

BaseType_t xQueueGenericGetStaticBuffers(QueueHandle_t queue, uint8_t **storage, StaticQueue_t **buffer)
{
    configASSERT(queue != NULL && buffer != NULL);
    if (!(queue->flags & QUEUE_FLAG_STATIC)) {
        return pdFALSE;
    }
    if (storage != NULL) {
        *storage = is_mutex(queue) ? NULL : queue->u.ring.storage;
    }
    *buffer = queue;
    return pdTRUE;
}
#endif

void vQueueDelete(QueueHandle_t queue)
{
    configASSERT(queue != NULL);
    traceQUEUE_DELETE(queue);
    vQueueUnregisterQueue(queue);
#if configSUPPORT_DYNAMIC_ALLOCATION
    if (!(queue->flags & QUEUE_FLAG_STATIC)) {
        vPortFree(queue);
    }
#endif
}

BaseType_t xQueueGenericReset(QueueHandle_t queue, BaseType_t new_queue)
{
    configASSERT(queue != NULL);
    taskENTER_CRITICAL();
    reset_storage(queue);
    if (new_queue) {
        list_init(&queue->send_waiters);
        list_init(&queue->receive_waiters);
    } else if (!list_is_empty(&queue->send_waiters) && task_wake_first(&queue->send_waiters)) {
        /* There is room now for the best-placed sender; receivers keep waiting. */
        kernel_yield_if_preempting();
    }
    taskEXIT_CRITICAL();
    return pdPASS;
}

/* ------------------------------------------------------------------ the ring */

static void advance(const struct queue_control *queue, uint8_t **position)
{
    *position += queue->item_size;
    if (*position >= queue->u.ring.end) {
        *position = queue->u.ring.storage;
    }
}

/* Store an item; returns pdTRUE when the count grew (an overwrite of a full queue does not). */
static inline __attribute__((always_inline)) BaseType_t store(struct queue_control *queue, const void *item, BaseType_t position)
{
    if (queue->item_size == 0) {
        queue->count++;
        return pdTRUE;
    }
    if (position == queueOVERWRITE && queue->count == queue->length) {
        memcpy(queue->u.ring.read, item, queue->item_size); /* length is 1: replace the only item */
        return pdFALSE;
    }
    if (position == queueSEND_TO_FRONT) {
        if (queue->u.ring.read == queue->u.ring.storage) {
            queue->u.ring.read = queue->u.ring.end;
        }
        queue->u.ring.read -= queue->item_size;
        memcpy(queue->u.ring.read, item, queue->item_size);
    } else {
        memcpy(queue->u.ring.write, item, queue->item_size);
        advance(queue, &queue->u.ring.write);
    }
    queue->count++;
    return pdTRUE;
}

static void fetch(struct queue_control *queue, void *buffer, BaseType_t remove)
{
    if (queue->item_size > 0) {
        memcpy(buffer, queue->u.ring.read, queue->item_size);
        if (remove) {
            advance(queue, &queue->u.ring.read);
        }
    }
    if (remove) {
        queue->count--;
    }
}

/* ------------------------------------------------------------------ queue sets */

#if configUSE_QUEUE_SETS
/* Post the member's handle to its set; returns pdTRUE when a higher-priority task woke. */
static BaseType_t post_to_set(struct queue_control *member)
{
    struct queue_control *set = member->set;
    if (set->count >= set->length) {
        configASSERT(0); /* the set is shorter than the sum of its members' lengths */
        return pdFALSE;
    }
    (void)store(set, &member, queueSEND_TO_BACK);
    if (!list_is_empty(&set->receive_waiters)) {
        return task_wake_first(&set->receive_waiters);
    }
    return pdFALSE;
}
#endif

/* After an item was stored: tell the set, or wake a receiver. */
static BaseType_t announce_item(struct queue_control *queue, BaseType_t count_grew)
{
#if configUSE_QUEUE_SETS
    if (queue->set != NULL) {
        return count_grew ? post_to_set(queue) : pdFALSE;
    }
#else
    (void)count_grew;
#endif
    if (!list_is_empty(&queue->receive_waiters)) {
        return task_wake_first(&queue->receive_waiters);
    }
    return pdFALSE;
}

/* ------------------------------------------------------------------ mutex release */

#if configUSE_MUTEXES
struct task_control *queue_holder_of_mutex_waiters(const List_t *waiters)
{
    const struct queue_control *queue = list_owner(waiters, struct queue_control, receive_waiters);
    return queue->u.mutex.holder;
}

/* The holder gives the mutex back; returns pdTRUE when a yield is needed. */
static BaseType_t release_mutex(struct queue_control *queue)
{
    BaseType_t yield = task_give_mutex(queue->u.mutex.holder);
    queue->u.mutex.holder = NULL;
    queue->count = 1;
    if (!list_is_empty(&queue->receive_waiters) && task_wake_first(&queue->receive_waiters)) {
        yield = pdTRUE;
    }
    return yield;
}
#endif

/* ------------------------------------------------------------------ sending */

/* One attempt inside the caller's critical section: pdPASS, errQUEUE_FULL, or pdFAIL to block. */
static BaseType_t try_send(struct queue_control *queue, const void *item, BaseType_t position)
{
#if configUSE_MUTEXES
    if (is_mutex(queue)) {
        if (queue->u.mutex.holder != pxCurrentTCB) {
            return errQUEUE_FULL; /* only the holder may give a mutex back */
        }
        if (release_mutex(queue)) {
            portYIELD_WITHIN_API();
        }
        return pdPASS;
    }
#endif
    if (queue->count >= queue->length && position != queueOVERWRITE) {
        return pdFAIL;
    }
    traceQUEUE_SEND(queue);
    if (announce_item(queue, store(queue, item, position))) {
        kernel_yield_if_preempting();
    }
    return pdPASS;
}

/* Shared by every blocking call: decide whether a task that found no room/item should wait
 * again. Returns pdFALSE when the wait is over (zero timeout, expired or aborted). */
static BaseType_t keep_waiting(TimeOut_t *timeout, TickType_t *ticks, BaseType_t *started)
{
    if (*ticks == 0) {
        return pdFALSE;
    }
    if (!*started) {
        vTaskInternalSetTimeOutState(timeout);
        *started = pdTRUE;
        return pdTRUE;
    }
    return xTaskCheckForTimeOut(timeout, ticks) ? pdFALSE : pdTRUE;
}

BaseType_t xQueueGenericSend(QueueHandle_t queue, const void *item, TickType_t ticks, BaseType_t position)
{
    configASSERT(queue != NULL);
    configASSERT(item != NULL || queue->item_size == 0);
    configASSERT(position != queueOVERWRITE || queue->length == 1);
    kernel_assert_may_block(ticks);
    TimeOut_t timeout;
    BaseType_t started = pdFALSE;
    for (;;) {
        taskENTER_CRITICAL();
        const BaseType_t result = try_send(queue, item, position);
        if (result != pdFAIL) {
            taskEXIT_CRITICAL();
            return result;
        }
        if (!keep_waiting(&timeout, &ticks, &started)) {
            taskEXIT_CRITICAL();
            return errQUEUE_FULL;
        }
        traceBLOCKING_ON_QUEUE_SEND(queue);
        task_wait_on_list(&queue->send_waiters, ticks);
        portYIELD_WITHIN_API();
        taskEXIT_CRITICAL();
    }
}

BaseType_t xQueueGenericSendFromISR(QueueHandle_t queue, const void *item, BaseType_t *woken, BaseType_t position)
{
    configASSERT(queue != NULL && !is_mutex(queue));
    configASSERT(item != NULL || queue->item_size == 0);
    configASSERT(position != queueOVERWRITE || queue->length == 1);
    portASSERT_IF_INTERRUPT_PRIORITY_INVALID();
    BaseType_t result = errQUEUE_FULL;
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    if (queue->count < queue->length || position == queueOVERWRITE) {
        traceQUEUE_SEND(queue);
        if (announce_item(queue, store(queue, item, position)) && woken != NULL) {
            *woken = pdTRUE;
        }
        result = pdPASS;
    }
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    return result;
}

BaseType_t xQueueGiveFromISR(QueueHandle_t queue, BaseType_t *woken)
{
    configASSERT(queue != NULL && queue->item_size == 0);
    /* A mutex has an owner; an ISR cannot be one. */
    configASSERT(!is_mutex(queue) || queue->u.mutex.holder == NULL);
    return xQueueGenericSendFromISR(queue, NULL, woken, queueSEND_TO_BACK);
}

/* ------------------------------------------------------------------ receiving */

/* Take an item out inside the caller's critical section; wakes one sender. */
static void take_item(struct queue_control *queue, void *buffer)
{
    traceQUEUE_RECEIVE(queue);
    fetch(queue, buffer, pdTRUE);
    if (!list_is_empty(&queue->send_waiters) && task_wake_first(&queue->send_waiters)) {
        kernel_yield_if_preempting();
    }
}

static BaseType_t receive(struct queue_control *queue, void *buffer, TickType_t ticks, BaseType_t remove)
{
    configASSERT(queue != NULL);
    configASSERT(buffer != NULL || queue->item_size == 0);
    kernel_assert_may_block(ticks);
    TimeOut_t timeout;
    BaseType_t started = pdFALSE;
    for (;;) {
        taskENTER_CRITICAL();
        if (queue->count > 0) {
            if (remove) {
                take_item(queue, buffer);
            } else {
                fetch(queue, buffer, pdFALSE);
                /* The item is still there: let the next receiver have a look too. */
                if (!list_is_empty(&queue->receive_waiters) && task_wake_first(&queue->receive_waiters)) {
                    kernel_yield_if_preempting();
                }
            }
            taskEXIT_CRITICAL();
            return pdPASS;
        }
        if (!keep_waiting(&timeout, &ticks, &started)) {
            taskEXIT_CRITICAL();
            return errQUEUE_EMPTY;
        }
        traceBLOCKING_ON_QUEUE_RECEIVE(queue);
        task_wait_on_list(&queue->receive_waiters, ticks);
        portYIELD_WITHIN_API();
        taskEXIT_CRITICAL();
    }
}

BaseType_t xQueueReceive(QueueHandle_t queue, void *buffer, TickType_t ticks)
{
    configASSERT(queue == NULL || !is_mutex(queue));
    return receive(queue, buffer, ticks, pdTRUE);
}

BaseType_t xQueuePeek(QueueHandle_t queue, void *buffer, TickType_t ticks)
{
    return receive(queue, buffer, ticks, pdFALSE);
}

#if configUSE_MUTEXES
/* One attempt at a semaphore or mutex; pdPASS when taken. */
static BaseType_t try_take(struct queue_control *queue)
{
    if (queue->count == 0) {
        return pdFAIL;
    }
    queue->count--;
    if (is_mutex(queue)) {
        queue->u.mutex.holder = task_take_mutex();
    } else if (!list_is_empty(&queue->send_waiters) && task_wake_first(&queue->send_waiters)) {
        kernel_yield_if_preempting();
    }
    return pdPASS;
}

BaseType_t xQueueSemaphoreTake(QueueHandle_t queue, TickType_t ticks)
{
    configASSERT(queue != NULL && queue->item_size == 0);
    kernel_assert_may_block(ticks);
    TimeOut_t timeout;
    BaseType_t started = pdFALSE;
    for (;;) {
        taskENTER_CRITICAL();
        if (try_take(queue)) {
            taskEXIT_CRITICAL();
            return pdPASS;
        }
        if (!keep_waiting(&timeout, &ticks, &started)) {
            if (is_mutex(queue) && queue->u.mutex.holder != NULL) {
                /* This waiter gives up: the holder no longer owes it its priority. */
                task_disinherit_after_timeout(queue->u.mutex.holder,
                                              task_highest_waiter_priority(&queue->receive_waiters));
            }
            taskEXIT_CRITICAL();
            return errQUEUE_EMPTY;
        }
        traceBLOCKING_ON_QUEUE_RECEIVE(queue);
        if (is_mutex(queue)) {
            (void)task_inherit_priority(queue->u.mutex.holder);
            task_wait_on_mutex(&queue->receive_waiters, ticks);
        } else {
            task_wait_on_list(&queue->receive_waiters, ticks);
        }
        portYIELD_WITHIN_API();
        taskEXIT_CRITICAL();
    }
}
#else
BaseType_t xQueueSemaphoreTake(QueueHandle_t queue, TickType_t ticks)
{
    configASSERT(queue != NULL && queue->item_size == 0);
    return receive(queue, NULL, ticks, pdTRUE);
}
#endif

BaseType_t xQueueReceiveFromISR(QueueHandle_t queue, void *buffer, BaseType_t *woken)
{
    configASSERT(queue != NULL && !is_mutex(queue));
    configASSERT(buffer != NULL || queue->item_size == 0);
    portASSERT_IF_INTERRUPT_PRIORITY_INVALID();
    BaseType_t result = errQUEUE_EMPTY;
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    if (queue->count > 0) {
        traceQUEUE_RECEIVE(queue);
        fetch(queue, buffer, pdTRUE);
        if (!list_is_empty(&queue->send_waiters) && task_wake_first(&queue->send_waiters) && woken != NULL) {
            *woken = pdTRUE;
        }
        result = pdPASS;
    }
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    return result;
}

BaseType_t xQueuePeekFromISR(QueueHandle_t queue, void *buffer)
{
    configASSERT(queue != NULL && queue->item_size > 0 && buffer != NULL);
    BaseType_t result = errQUEUE_EMPTY;
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    if (queue->count > 0) {
        fetch(queue, buffer, pdFALSE);
        result = pdPASS;
    }
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    return result;
}

/* ------------------------------------------------------------------ semaphores and mutexes */

#if configUSE_MUTEXES
static void init_mutex(struct queue_control *queue)
{
    queue->flags |= QUEUE_FLAG_MUTEX;
    queue->u.mutex.holder = NULL;
    queue->u.mutex.recursion = 0;
    queue->count = 1; /* free */
}

#if configSUPPORT_DYNAMIC_ALLOCATION
QueueHandle_t xQueueCreateMutex(uint8_t type)
{
    struct queue_control *queue = xQueueGenericCreate(1, 0, type);
    if (queue != NULL) {
        init_mutex(queue);
    }
    return queue;
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
QueueHandle_t xQueueCreateMutexStatic(uint8_t type, StaticQueue_t *buffer)
{
    struct queue_control *queue = xQueueGenericCreateStatic(1, 0, NULL, buffer, type);
    if (queue != NULL) {
        init_mutex(queue);
    }
    return queue;
}
#endif

TaskHandle_t xQueueGetMutexHolder(QueueHandle_t queue)
{
    configASSERT(queue != NULL);
    TaskHandle_t holder = NULL;
    taskENTER_CRITICAL();
    if (is_mutex(queue)) {
        holder = queue->u.mutex.holder;
    }
    taskEXIT_CRITICAL();
    return holder;
}

TaskHandle_t xQueueGetMutexHolderFromISR(QueueHandle_t queue)
{
    configASSERT(queue != NULL);
    return is_mutex(queue) ? queue->u.mutex.holder : NULL;
}
#endif /* configUSE_MUTEXES */

#if configUSE_RECURSIVE_MUTEXES
BaseType_t xQueueTakeMutexRecursive(QueueHandle_t queue, TickType_t ticks)
{
    configASSERT(queue != NULL && queue->type == queueQUEUE_TYPE_RECURSIVE_MUTEX);
    taskENTER_CRITICAL();
    const BaseType_t mine = queue->u.mutex.holder == pxCurrentTCB && pxCurrentTCB != NULL;
    if (mine) {
        queue->u.mutex.recursion++;
    }
    taskEXIT_CRITICAL();
    return mine ? pdPASS : xQueueSemaphoreTake(queue, ticks);
}

BaseType_t xQueueGiveMutexRecursive(QueueHandle_t queue)
{
    configASSERT(queue != NULL && queue->type == queueQUEUE_TYPE_RECURSIVE_MUTEX);
    BaseType_t result = pdFAIL;
    taskENTER_CRITICAL();
    if (queue->u.mutex.holder == pxCurrentTCB) {
        result = pdPASS;
        if (queue->u.mutex.recursion > 0) {
            queue->u.mutex.recursion--;
        } else if (release_mutex(queue)) {
            portYIELD_WITHIN_API();
        }
    }
    taskEXIT_CRITICAL();
    return result;
}
#endif

#if configUSE_COUNTING_SEMAPHORES
#if configSUPPORT_DYNAMIC_ALLOCATION
QueueHandle_t xQueueCreateCountingSemaphore(UBaseType_t max_count, UBaseType_t initial_count)
{
    configASSERT(max_count > 0 && initial_count <= max_count);
    if (max_count == 0 || initial_count > max_count) {
        return NULL;
    }
    struct queue_control *queue = xQueueGenericCreate(max_count, 0, queueQUEUE_TYPE_COUNTING_SEMAPHORE);
    if (queue != NULL) {
        queue->count = initial_count;
    }
    return queue;
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
QueueHandle_t xQueueCreateCountingSemaphoreStatic(UBaseType_t max_count, UBaseType_t initial_count,
                                                  StaticQueue_t *buffer)
{
    configASSERT(max_count > 0 && initial_count <= max_count);
    if (max_count == 0 || initial_count > max_count) {
        return NULL;
    }
    struct queue_control *queue =
        xQueueGenericCreateStatic(max_count, 0, NULL, buffer, queueQUEUE_TYPE_COUNTING_SEMAPHORE);
    if (queue != NULL) {
        queue->count = initial_count;
    }
    return queue;
}
#endif
#endif

/* ------------------------------------------------------------------ queue sets */

#if configUSE_QUEUE_SETS
#if configSUPPORT_DYNAMIC_ALLOCATION
QueueSetHandle_t xQueueCreateSet(UBaseType_t length)
{
    return xQueueGenericCreate(length, sizeof(struct queue_control *), queueQUEUE_TYPE_SET);
}
#endif

BaseType_t xQueueAddToSet(QueueSetMemberHandle_t member, QueueSetHandle_t set)
{
    configASSERT(member != NULL && set != NULL);
    BaseType_t result = pdFAIL;
    taskENTER_CRITICAL();
    /* A member that already holds items would never be announced for them; a mutex's
     * state is ownership, not items, so it cannot be a member. */
    if (member->set == NULL && member->count == 0 && !is_mutex(member)) {
        member->set = set;
        result = pdPASS;
    }
    taskEXIT_CRITICAL();
    return result;
}

BaseType_t xQueueRemoveFromSet(QueueSetMemberHandle_t member, QueueSetHandle_t set)
{
    configASSERT(member != NULL && set != NULL);
    BaseType_t result = pdFAIL;
    taskENTER_CRITICAL();
    if (member->set == set && member->count == 0) {
        member->set = NULL;
        result = pdPASS;
    }
    taskEXIT_CRITICAL();
    return result;
}

QueueSetMemberHandle_t xQueueSelectFromSet(QueueSetHandle_t set, TickType_t ticks)
{
    struct queue_control *member = NULL;
    (void)xQueueReceive(set, &member, ticks);
    return member;
}

QueueSetMemberHandle_t xQueueSelectFromSetFromISR(QueueSetHandle_t set)
{
    struct queue_control *member = NULL;
    (void)xQueueReceiveFromISR(set, &member, NULL);
    return member;
}
#endif

/* ------------------------------------------------------------------ information */

UBaseType_t uxQueueMessagesWaiting(const QueueHandle_t queue)
{
    configASSERT(queue != NULL);
    taskENTER_CRITICAL();
    const UBaseType_t count = queue->count;
    taskEXIT_CRITICAL();
    return count;
}

UBaseType_t uxQueueMessagesWaitingFromISR(const QueueHandle_t queue)
{
    configASSERT(queue != NULL);
    return queue->count;
}

UBaseType_t uxQueueSpacesAvailable(const QueueHandle_t queue)
{
    configASSERT(queue != NULL);
    taskENTER_CRITICAL();
    const UBaseType_t spaces = queue->length - queue->count;
    taskEXIT_CRITICAL();
    return spaces;
}

BaseType_t xQueueIsQueueEmptyFromISR(const QueueHandle_t queue)
{
    configASSERT(queue != NULL);
    return queue->count == 0 ? pdTRUE : pdFALSE;
}

BaseType_t xQueueIsQueueFullFromISR(const QueueHandle_t queue)
{
    configASSERT(queue != NULL);
    return queue->count == queue->length ? pdTRUE : pdFALSE;
}

UBaseType_t uxQueueGetQueueItemSize(QueueHandle_t queue)
{
    return queue->item_size;
}

UBaseType_t uxQueueGetQueueLength(QueueHandle_t queue)
{
    return queue->length;
}

uint8_t ucQueueGetQueueType(QueueHandle_t queue)
{
    return queue->type;
}

UBaseType_t uxQueueGetQueueNumber(QueueHandle_t queue)
{
#if configUSE_TRACE_FACILITY
    return queue->queue_number;
#else
    (void)queue;
    return 0;
#endif
}

void vQueueSetQueueNumber(QueueHandle_t queue, UBaseType_t number)
{
#if configUSE_TRACE_FACILITY
    queue->queue_number = number;
#else
    (void)queue;
    (void)number;
#endif
}

/* ------------------------------------------------------------------ registry */

#if configQUEUE_REGISTRY_SIZE > 0
static struct {
    const char *name;
    QueueHandle_t queue;
} registry[configQUEUE_REGISTRY_SIZE];

void vQueueAddToRegistry(QueueHandle_t queue, const char *name)
{
    configASSERT(queue != NULL);
    taskENTER_CRITICAL();
    unsigned slot = configQUEUE_REGISTRY_SIZE;
    for (unsigned i = 0; i < configQUEUE_REGISTRY_SIZE; i++) {
        if (registry[i].queue == queue) {
            slot = i; /* renaming */
            break;
        }
        if (registry[i].queue == NULL && slot == configQUEUE_REGISTRY_SIZE) {
            slot = i;
        }
    }
    if (slot < configQUEUE_REGISTRY_SIZE) {
        registry[slot].name = name;
        registry[slot].queue = name != NULL ? queue : NULL;
    }
    taskEXIT_CRITICAL();
}

void vQueueUnregisterQueue(QueueHandle_t queue)
{
    taskENTER_CRITICAL();
    for (unsigned i = 0; i < configQUEUE_REGISTRY_SIZE; i++) {
        if (registry[i].queue == queue) {
            registry[i].queue = NULL;
            registry[i].name = NULL;
        }
    }
    taskEXIT_CRITICAL();
}

const char *pcQueueGetName(QueueHandle_t queue)
{
    const char *name = NULL;
    taskENTER_CRITICAL();
    for (unsigned i = 0; i < configQUEUE_REGISTRY_SIZE; i++) {
        if (registry[i].queue == queue) {
            name = registry[i].name;
        }
    }
    taskEXIT_CRITICAL();
    return name;
}
#else
void vQueueAddToRegistry(QueueHandle_t queue, const char *name)
{
    (void)queue;
    (void)name;
}

void vQueueUnregisterQueue(QueueHandle_t queue)
{
    (void)queue;
}

const char *pcQueueGetName(QueueHandle_t queue)
{
    (void)queue;
    return NULL;
}
#endif

/* ------------------------------------------------------------------ timer service support */

#if configUSE_TIMERS
void queue_wait_for_message_restricted(struct queue_control *queue, TickType_t ticks, BaseType_t wait_forever)
{
    taskENTER_CRITICAL();
    if (queue->count == 0) {
        task_wait_on_list_restricted(&queue->receive_waiters, ticks, wait_forever);
    }
    taskEXIT_CRITICAL();
}
#endif
