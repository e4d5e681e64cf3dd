/* Alder kernel: the scheduler's state and the small helpers shared by tasks.c, task_notify.c and task_info.c.
 * It must never be included outside those three files. */
#ifndef ALDER_TASK_PRIVATE_H
#define ALDER_TASK_PRIVATE_H

#include "kernel_internal.h"

enum task_state {
    TASK_READY = 0,     /* on a ready list (the running task too) */
    TASK_PENDING_READY, /* woken while the scheduler was suspended: event_node on the pending list */
    TASK_BLOCKED,       /* on a delayed list or the blocked-forever list */
    TASK_SUSPENDED,     /* on the suspended list */
    TASK_DELETED        /* on the deleted list, waiting for the idle task to free it */
};

enum task_flag {
    TASK_FLAG_STATIC = 1u << 0,         /* control block and stack belong to the application */
    TASK_FLAG_DELAY_ABORTED = 1u << 1,  /* xTaskAbortDelay ended the last wait */
    TASK_FLAG_EVENT_VALUE_USED = 1u << 2, /* event_node.value holds event-group bits, not a priority */
    TASK_FLAG_WAITING_MUTEX = 1u << 3   /* wait_list is a mutex's waiter list */
};

enum notify_state { NOTIFY_IDLE = 0, NOTIFY_WAITING, NOTIFY_RECEIVED };

/* Stack fill byte, for the high-water mark and overflow method 2. */
#define TASK_STACK_FILL 0xa5u

struct scheduler {
    List_t ready[configMAX_PRIORITIES];
    List_t delayed_lists[2];
    List_t *delayed;          /* wake-ups before the tick count wraps */
    List_t *overflow_delayed; /* wake-ups after it wraps */
    List_t blocked_forever;
    List_t suspended;
    List_t pending_ready; /* event nodes of tasks woken while the scheduler was suspended */
    List_t deleted;       /* self-deleted tasks the idle task must free */
    volatile TickType_t tick_count;
    volatile TickType_t pended_ticks;
    volatile TickType_t next_wake;
    volatile UBaseType_t suspend_nesting;
    volatile BaseType_t running;
    volatile BaseType_t yield_pending;
    volatile BaseType_t overflow_count;
    volatile UBaseType_t task_count;
    volatile UBaseType_t deleted_count;
#if configUSE_PORT_OPTIMISED_TASK_SELECTION
    volatile uint32_t ready_mask;
#else
    volatile UBaseType_t top_ready;
#endif
    struct task_control *idle_task;
#if configUSE_TRACE_FACILITY
    UBaseType_t next_task_number;
#endif
#if configGENERATE_RUN_TIME_STATS
    configRUN_TIME_COUNTER_TYPE switched_in_at;
    configRUN_TIME_COUNTER_TYPE total_run_time;
#endif
};

extern struct scheduler sched;

static inline struct task_control *task_of_state_node(const ListItem_t *node)
{
    return list_owner(node, struct task_control, state_node);
}

static inline struct task_control *task_of_event_node(const ListItem_t *node)
{
    return list_owner(node, struct task_control, event_node);
}

/* NULL means the running task, as everywhere in the API. */
static inline struct task_control *task_or_current(TaskHandle_t task)
{
    return task != NULL ? task : pxCurrentTCB;
}

/* Shared by tasks.c and task_notify.c; defined in tasks.c. */
void task_make_ready(struct task_control *task);
void task_block_current(TickType_t ticks_to_wait);
BaseType_t task_outranks_current(const struct task_control *task);
/* Wake a task blocked without an event list (a notification): ready now, or pending when the
 * scheduler is suspended. Returns task_outranks_current(). */
BaseType_t task_wake_unlisted(struct task_control *task);

#endif /* ALDER_TASK_PRIVATE_H */
