/* Alder kernel: the functions kernel modules call on each other, never part of the public API.
 * It must never be included by a library, a board or an application. */
#ifndef ALDER_KERNEL_INTERNAL_H
#define ALDER_KERNEL_INTERNAL_H

#include "FreeRTOS.h"
#include "list.h"
#include "task.h"

/*
 * Blocking protocol, shared by queues, event groups, timers and stream buffers:
 *
 *   A module that must block the calling task puts the task's event node on its own
 *   waiter list and takes the task off the ready list with one of the task_wait_*()
 *   calls below, then yields. All of these are called with the scheduler suspended
 *   (vTaskSuspendAll) or inside a critical section, never from an ISR.
 *
 *   A module that wakes a waiter calls task_wake_*(); the woken task is moved to the
 *   ready list (or to the pending-ready list when the scheduler is suspended). The
 *   return value says whether the woken task has a higher priority than the running
 *   one, i.e. whether the caller should yield (or set *pxHigherPriorityTaskWoken).
 */

/* Priority-ordered wait: highest priority first, FIFO within a priority. */
void task_wait_on_list(List_t *waiters, TickType_t ticks_to_wait);

/* As task_wait_on_list, for a mutex's waiter list: marks the task as waiting for a mutex so
 * that priority inheritance can follow chains (holder blocked on another mutex). */
void task_wait_on_mutex(List_t *waiters, TickType_t ticks_to_wait);

/* Unordered wait for event groups: the task's event node value is set to `value`
 * (the bits and flags being waited for) and the node is appended to the list. */
void task_wait_on_list_with_value(List_t *waiters, TickType_t value, TickType_t ticks_to_wait);

/* Used only by the timer service task, with the scheduler suspended: block on the list
 * for at most `ticks_to_wait`, or forever when `wait_forever` is pdTRUE, even though the
 * list may be non-empty. Does not yield; the caller does. */
void task_wait_on_list_restricted(List_t *waiters, TickType_t ticks_to_wait, BaseType_t wait_forever);

/* Wake the highest-priority waiter (the head of a priority-ordered list). Returns pdTRUE
 * when the woken task outranks the running one. Must be called with the list non-empty,
 * inside a critical section or with the scheduler suspended; ISR-safe. */
BaseType_t task_wake_first(List_t *waiters);

/* Wake one specific waiter by its event node, storing `value` as given in the node (event
 * groups add their own "unblocked by bits" flag). Scheduler must be suspended. Returns as
 * above, and, like task_wake_first, records a pending yield when the woken task outranks the
 * running one. */
BaseType_t task_wake_node(ListItem_t *event_node, TickType_t value);

/* The event node value of the running task, then reset to its priority ordering value.
 * Event groups read the bits that woke them with this. */
TickType_t task_take_event_value(void);

/* The running task's event node, for modules that need its address (event groups). */
ListItem_t *task_current_event_node(void);

/* Record that a yield is owed because a higher priority task was woken while the
 * scheduler was suspended; xTaskResumeAll performs it. */
void task_note_missed_yield(void);

/* ---- mutex support (queue.c) ---- */

/* Count one more mutex held by the running task; returns its handle (the new holder). */
TaskHandle_t task_take_mutex(void);

/* The running task is about to block on a mutex held by `holder`: raise the holder (and,
 * transitively, whatever it is blocked on) to the running task's priority. Returns pdTRUE
 * when the holder was raised. */
BaseType_t task_inherit_priority(TaskHandle_t holder);

/* `holder` gives back a mutex: one fewer held; when it holds none, drop it to its base
 * priority. Returns pdTRUE when a yield is needed. */
BaseType_t task_give_mutex(TaskHandle_t holder);

/* A waiter on a mutex held by `holder` timed out: lower the holder to the higher of its
 * base priority and `highest_waiter_priority` (the best priority still waiting), if it
 * holds only this one mutex. */
void task_disinherit_after_timeout(TaskHandle_t holder, UBaseType_t highest_waiter_priority);

/* The priority of the highest-priority task waiting on the list, or tskIDLE_PRIORITY. */
UBaseType_t task_highest_waiter_priority(const List_t *waiters);

/* queue.c: the holder of the mutex whose receive waiter list is `waiters` (a list passed to
 * task_wait_on_mutex), or NULL when it is free. */
struct task_control *queue_holder_of_mutex_waiters(const List_t *waiters);

/* ---- timer service (timers.c) ---- */

/* Create the timer service task and its command queue; called by vTaskStartScheduler
 * when configUSE_TIMERS is 1. Returns pdPASS or pdFAIL. */
BaseType_t timer_create_service_task(void);

/* ---- queue (queue.c) for the timer service task ---- */

/* With the scheduler suspended: if the queue is empty, block on its receive list as
 * task_wait_on_list_restricted does. The caller then resumes the scheduler and yields. */
void queue_wait_for_message_restricted(struct queue_control *queue, TickType_t ticks_to_wait, BaseType_t wait_forever);

/* ---- asserts shared by every module ---- */

/* Blocking calls are illegal from an ISR and while the scheduler is suspended
 * (unless the timeout is zero). */
#define kernel_assert_may_block(ticks)                                                                     \
    configASSERT(!portIS_INSIDE_INTERRUPT() &&                                                             \
                 ((ticks) == 0 || xTaskGetSchedulerState() != taskSCHEDULER_SUSPENDED))

/* Yield after waking a higher-priority task, only when the kernel is preemptive. */
#if configUSE_PREEMPTION
#define kernel_yield_if_preempting() portYIELD_WITHIN_API()
#else
#define kernel_yield_if_preempting()
#endif

#endif /* ALDER_KERNEL_INTERNAL_H */
