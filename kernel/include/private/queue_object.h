/* Alder kernel: the queue control block (queues, semaphores, mutexes, queue sets), public only so
 * StaticQueue_t has its exact size. It must never be touched outside kernel/src/queue.c. */
#ifndef ALDER_QUEUE_OBJECT_H
#define ALDER_QUEUE_OBJECT_H

#include "list.h"

struct queue_control {
    List_t send_waiters;    /* tasks waiting for space, highest priority first */
    List_t receive_waiters; /* tasks waiting for an item (or for a mutex) */
    union {
        struct {
            uint8_t *storage; /* length * item_size bytes; NULL when item_size is 0 */
            uint8_t *end;     /* one past the last byte of storage */
            uint8_t *read;    /* next item to receive */
            uint8_t *write;   /* next free slot at the back */
        } ring;
        struct {
            struct task_control *holder; /* NULL when the mutex is free */
            UBaseType_t recursion;       /* extra takes by the holder of a recursive mutex */
        } mutex;
    } u;
    volatile UBaseType_t count; /* items stored (semaphore count; 1 = mutex free) */
    UBaseType_t length;
    UBaseType_t item_size;
    uint8_t type;  /* queueQUEUE_TYPE_* */
    uint8_t flags; /* QUEUE_FLAG_* in queue.c */
#if configUSE_QUEUE_SETS
    struct queue_control *set; /* the queue set this queue belongs to, if any */
#endif
#if configUSE_TRACE_FACILITY
    UBaseType_t queue_number;
#endif
};

#endif /* ALDER_QUEUE_OBJECT_H */
