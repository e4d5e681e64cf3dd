/* Alder kernel: tasks and the scheduler: creation, deletion, delays, priorities, suspension and the tick.
 * It must never switch tasks itself inside a critical section: it asks the port, which switches on unmask. */
#include <string.h>

#include "task_private.h"
#include "timers.h"

/* Zero-initialised (in .bss, costing no flash); init_lists_once() sets the rest before the first task. */
struct scheduler sched;
struct task_control *volatile pxCurrentTCB = NULL;

/* Inheritance chains longer than this are not followed (a deadlock cycle would loop). */
#define INHERIT_CHAIN_MAX 16

/* ------------------------------------------------------------------ ready lists */

static void init_lists_once(void)
{
    if (sched.delayed != NULL) {
        return;
    }
    for (UBaseType_t p = 0; p < configMAX_PRIORITIES; p++) {
        list_init(&sched.ready[p]);
    }
    list_init(&sched.delayed_lists[0]);
    list_init(&sched.delayed_lists[1]);
    list_init(&sched.blocked_forever);
    list_init(&sched.suspended);
    list_init(&sched.pending_ready);
    list_init(&sched.deleted);
    sched.delayed = &sched.delayed_lists[0];
    sched.overflow_delayed = &sched.delayed_lists[1];
    sched.tick_count = (TickType_t)configINITIAL_TICK_COUNT;
    sched.next_wake = portMAX_DELAY;
}

static inline void mark_ready_priority(UBaseType_t priority)
{
#if configUSE_PORT_OPTIMISED_TASK_SELECTION
    sched.ready_mask |= (uint32_t)1 << priority;
#else
    if (priority > sched.top_ready) {
        sched.top_ready = priority;
    }
#endif
}

void task_make_ready(struct task_control *task)
{
    traceMOVED_TASK_TO_READY_STATE(task);
    list_insert_tail(&sched.ready[task->priority], &task->state_node);
    task->state = TASK_READY;
    mark_ready_priority(task->priority);
}

static void remove_from_ready(struct task_control *task)
{
    list_remove(&task->state_node);
#if configUSE_PORT_OPTIMISED_TASK_SELECTION
    if (list_is_empty(&sched.ready[task->priority])) {
        sched.ready_mask &= ~((uint32_t)1 << task->priority);
    }
#endif
}

/* True when a task above the idle priority is ready (possible while the idle task runs
 * only without preemption). */
static BaseType_t ready_above_idle(void)
{
#if configUSE_PORT_OPTIMISED_TASK_SELECTION
    return (sched.ready_mask >> 1) != 0 ? pdTRUE : pdFALSE;
#else
    for (UBaseType_t p = sched.top_ready; p > tskIDLE_PRIORITY; p--) {
        if (!list_is_empty(&sched.ready[p])) {
            return pdTRUE;
        }
    }
    return pdFALSE;
#endif
}

static struct task_control *highest_ready(void)
{
#if configUSE_PORT_OPTIMISED_TASK_SELECTION
    UBaseType_t top = (UBaseType_t)portHIGHEST_SET_BIT(sched.ready_mask);
#else
    UBaseType_t top = sched.top_ready;
    while (list_is_empty(&sched.ready[top])) {
        configASSERT(top > 0); /* the idle task is always ready */
        top--;
    }
    sched.top_ready = top;
#endif
    return task_of_state_node(sched.ready[top].end.next);
}

/* Take a task out of every list it is on, whatever its state. */
static void detach(struct task_control *task)
{
    if (task->state == TASK_READY) {
        remove_from_ready(task);
    } else if (list_node_is_linked(&task->state_node)) {
        list_remove(&task->state_node);
    }
    if (list_node_is_linked(&task->event_node)) {
        list_remove(&task->event_node);
    }
    task->wait_list = NULL;
    task->flags &= (uint8_t)~TASK_FLAG_WAITING_MUTEX;
}

BaseType_t task_outranks_current(const struct task_control *task)
{
    return (sched.running && task->priority > pxCurrentTCB->priority) ? pdTRUE : pdFALSE;
}

/* ------------------------------------------------------------------ blocking and waking */

static void update_next_wake(void)
{
    const ListItem_t *head = list_head(sched.delayed);
    sched.next_wake = head != NULL ? head->value : portMAX_DELAY;
}

/* Take the running task off its ready list until `ticks_to_wait` pass, or for ever. */
static void block_current(TickType_t ticks_to_wait, BaseType_t forever)
{
    struct task_control *task = pxCurrentTCB;
    remove_from_ready(task);
    task->state = TASK_BLOCKED;
    task->flags &= (uint8_t)~TASK_FLAG_DELAY_ABORTED;
    if (forever) {
        list_insert_tail(&sched.blocked_forever, &task->state_node);
        return;
    }
    const TickType_t now = sched.tick_count;
    const TickType_t wake = (TickType_t)(now + ticks_to_wait);
    task->state_node.value = wake;
    if (wake < now) {
        list_insert_sorted(sched.overflow_delayed, &task->state_node);
    } else {
        list_insert_sorted(sched.delayed, &task->state_node);
        if (wake < sched.next_wake) {
            sched.next_wake = wake;
        }
    }
}

/* portMAX_DELAY means for ever, as everywhere in the API. */
void task_block_current(TickType_t ticks_to_wait)
{
    block_current(ticks_to_wait, ticks_to_wait == portMAX_DELAY);
}

/* The task's event node is already off its waiter list (or was never on one). */
static BaseType_t wake_task(struct task_control *task)
{
    task->wait_list = NULL;
    task->flags &= (uint8_t)~TASK_FLAG_WAITING_MUTEX;
    if (sched.suspend_nesting == 0) {
        if (list_node_is_linked(&task->state_node)) {
            list_remove(&task->state_node);
        }
        task_make_ready(task);
    } else {
        list_insert_tail(&sched.pending_ready, &task->event_node);
        task->state = TASK_PENDING_READY;
    }
    if (task_outranks_current(task)) {
        sched.yield_pending = pdTRUE;
        return pdTRUE;
    }
    return pdFALSE;
}

BaseType_t task_wake_unlisted(struct task_control *task)
{
    return wake_task(task);
}

BaseType_t task_wake_first(List_t *waiters)
{
    ListItem_t *node = waiters->end.next;
    configASSERT(node != &waiters->end);
    list_remove(node);
    return wake_task(task_of_event_node(node));
}

BaseType_t task_wake_node(ListItem_t *event_node, TickType_t value)
{
    list_remove(event_node);
    event_node->value = value;
    return wake_task(task_of_event_node(event_node));
}

static void wait_in_priority_order(List_t *waiters, TickType_t ticks_to_wait, uint8_t flags)
{
    struct task_control *task = pxCurrentTCB;
    task->event_node.value = (TickType_t)(configMAX_PRIORITIES - task->priority);
    list_insert_sorted(waiters, &task->event_node);
    task->wait_list = waiters;
    task->flags = (uint8_t)((task->flags & ~(TASK_FLAG_EVENT_VALUE_USED | TASK_FLAG_WAITING_MUTEX)) | flags);
    task_block_current(ticks_to_wait);
}

void task_wait_on_list(List_t *waiters, TickType_t ticks_to_wait)
{
    wait_in_priority_order(waiters, ticks_to_wait, 0);
}

void task_wait_on_mutex(List_t *waiters, TickType_t ticks_to_wait)
{
    wait_in_priority_order(waiters, ticks_to_wait, TASK_FLAG_WAITING_MUTEX);
}

void task_wait_on_list_with_value(List_t *waiters, TickType_t value, TickType_t ticks_to_wait)
{
    struct task_control *task = pxCurrentTCB;
    task->event_node.value = value;
    list_insert_tail(waiters, &task->event_node);
    task->wait_list = waiters;
    task->flags = (uint8_t)((task->flags & ~TASK_FLAG_WAITING_MUTEX) | TASK_FLAG_EVENT_VALUE_USED);
    task_block_current(ticks_to_wait);
}

void task_wait_on_list_restricted(List_t *waiters, TickType_t ticks_to_wait, BaseType_t wait_forever)
{
    struct task_control *task = pxCurrentTCB;
    task->event_node.value = (TickType_t)(configMAX_PRIORITIES - task->priority);
    list_insert_tail(waiters, &task->event_node);
    task->wait_list = waiters;
    /* Here a finite wait may be portMAX_DELAY ticks long (up to the next wrap): only
     * `wait_forever` means for ever. */
    block_current(ticks_to_wait, wait_forever);
}

TickType_t task_take_event_value(void)
{
    struct task_control *task = pxCurrentTCB;
    const TickType_t value = task->event_node.value;
    task->event_node.value = (TickType_t)(configMAX_PRIORITIES - task->priority);
    task->flags &= (uint8_t)~TASK_FLAG_EVENT_VALUE_USED;
    return value;
}

ListItem_t *task_current_event_node(void)
{
    return &pxCurrentTCB->event_node;
}

void task_note_missed_yield(void)
{
    sched.yield_pending = pdTRUE;
}

void vTaskMissedYield(void)
{
    sched.yield_pending = pdTRUE;
}

UBaseType_t task_highest_waiter_priority(const List_t *waiters)
{
    const ListItem_t *head = list_head(waiters);
    return head != NULL ? task_of_event_node(head)->priority : tskIDLE_PRIORITY;
}

/* ------------------------------------------------------------------ priorities */

/* Move a task to a new priority, keeping its ready list and its waiter list in order. */
static void change_priority(struct task_control *task, UBaseType_t priority)
{
    if (task->state == TASK_READY) {
        remove_from_ready(task);
        task->priority = (uint8_t)priority;
        task_make_ready(task);
    } else {
        task->priority = (uint8_t)priority;
    }
    if (task->flags & TASK_FLAG_EVENT_VALUE_USED) {
        return;
    }
    task->event_node.value = (TickType_t)(configMAX_PRIORITIES - priority);
    if (task->wait_list != NULL && list_node_is_linked(&task->event_node)) {
        list_remove(&task->event_node);
        list_insert_sorted(task->wait_list, &task->event_node);
    }
}

void vTaskPrioritySet(TaskHandle_t handle, UBaseType_t new_priority)
{
    configASSERT(new_priority < configMAX_PRIORITIES);
    if (new_priority >= configMAX_PRIORITIES) {
        new_priority = configMAX_PRIORITIES - 1;
    }
    struct task_control *task = task_or_current(handle);
    configASSERT(task != NULL);
    taskENTER_CRITICAL();
    BaseType_t apply = pdTRUE;
#if configUSE_MUTEXES
    /* An inherited priority is kept unless the new base priority is higher still. */
    apply = (task->base_priority == task->priority || new_priority > task->priority) ? pdTRUE : pdFALSE;
    task->base_priority = (uint8_t)new_priority;
#endif
    if (apply && new_priority != task->priority) {
        traceTASK_PRIORITY_SET(task, new_priority);
        const BaseType_t lowering_self = (task == pxCurrentTCB && new_priority < task->priority);
        change_priority(task, new_priority);
        if (sched.running && (lowering_self || task_outranks_current(task))) {
            kernel_yield_if_preempting();
        }
    }
    taskEXIT_CRITICAL();
}

#if configUSE_MUTEXES
TaskHandle_t task_take_mutex(void)
{
    pxCurrentTCB->mutexes_held++;
    return pxCurrentTCB;
}

BaseType_t task_inherit_priority(TaskHandle_t holder)
{
    const UBaseType_t priority = pxCurrentTCB->priority;
    BaseType_t raised = pdFALSE;
    struct task_control *task = holder;
    for (unsigned hop = 0; task != NULL && hop < INHERIT_CHAIN_MAX; hop++) {
        if (task->priority >= priority) {
            break;
        }
        traceTASK_PRIORITY_INHERIT(task, priority);
        change_priority(task, priority);
        raised = pdTRUE;
        if (task->state != TASK_BLOCKED || !(task->flags & TASK_FLAG_WAITING_MUTEX)) {
            break;
        }
        task = queue_holder_of_mutex_waiters(task->wait_list);
    }
    return raised;
}

BaseType_t task_give_mutex(TaskHandle_t holder)
{
    configASSERT(holder->mutexes_held > 0);
    holder->mutexes_held--;
    if (holder->mutexes_held == 0 && holder->priority != holder->base_priority) {
        traceTASK_PRIORITY_DISINHERIT(holder, holder->base_priority);
        change_priority(holder, holder->base_priority);
        return pdTRUE;
    }
    return pdFALSE;
}

void task_disinherit_after_timeout(TaskHandle_t holder, UBaseType_t highest_waiter_priority)
{
    struct task_control *task = holder;
    UBaseType_t best = highest_waiter_priority;
    for (unsigned hop = 0; task != NULL && hop < INHERIT_CHAIN_MAX; hop++) {
        /* Holding other mutexes, it may still owe their waiters the raised priority. */
        if (task->mutexes_held != 1) {
            break;
        }
        const UBaseType_t target = best > task->base_priority ? best : task->base_priority;
        if (target >= task->priority) {
            break;
        }
        traceTASK_PRIORITY_DISINHERIT(task, target);
        change_priority(task, target);
        if (task->state != TASK_BLOCKED || !(task->flags & TASK_FLAG_WAITING_MUTEX)) {
            break;
        }
        List_t *next_waiters = task->wait_list;
        best = task_highest_waiter_priority(next_waiters);
        task = queue_holder_of_mutex_waiters(next_waiters);
    }
}
#endif /* configUSE_MUTEXES */

/* ------------------------------------------------------------------ creation and deletion */

static void init_task(struct task_control *task, TaskFunction_t code, const char *name,
                      configSTACK_DEPTH_TYPE depth, void *parameters, UBaseType_t priority)
{
    StackType_t *stack = task->stack_low;
    const uint8_t static_flag = task->flags;
    memset(task, 0, sizeof(*task));
    task->stack_low = stack;
    task->flags = static_flag;
    if (priority >= configMAX_PRIORITIES) {
        priority = configMAX_PRIORITIES - 1;
    }
    task->priority = (uint8_t)priority;
#if configUSE_MUTEXES
    task->base_priority = (uint8_t)priority;
#endif
    task->event_node.value = (TickType_t)(configMAX_PRIORITIES - priority);
    for (size_t i = 0; name != NULL && i + 1 < configMAX_TASK_NAME_LEN && name[i] != '\0'; i++) {
        task->name[i] = name[i];
    }
#if configCHECK_FOR_STACK_OVERFLOW > 1 || INCLUDE_uxTaskGetStackHighWaterMark || INCLUDE_uxTaskGetStackHighWaterMark2
    memset(stack, TASK_STACK_FILL, (size_t)depth * sizeof(StackType_t));
#endif
    portPOINTER_SIZE_TYPE top = (portPOINTER_SIZE_TYPE)(stack + depth - 1);
    top &= ~(portPOINTER_SIZE_TYPE)(portBYTE_ALIGNMENT - 1);
    task->top_of_stack = pxPortInitialiseStack((StackType_t *)top, code, parameters);
    portSTACK_ALLOCATED(stack, (size_t)depth * sizeof(StackType_t));
}

static void add_new_task(struct task_control *task)
{
    taskENTER_CRITICAL();
    init_lists_once();
#if configUSE_TRACE_FACILITY
    task->task_number = ++sched.next_task_number;
#endif
    sched.task_count++;
    task_make_ready(task);
    traceTASK_CREATE(task);
    if (task_outranks_current(task)) {
        portYIELD_WITHIN_API();
    }
    taskEXIT_CRITICAL();
}

#if configSUPPORT_DYNAMIC_ALLOCATION
BaseType_t xTaskCreate(TaskFunction_t code, const char *name, configSTACK_DEPTH_TYPE depth, void *parameters,
                       UBaseType_t priority, TaskHandle_t *created)
{
    configASSERT(code != NULL && depth > 0 && priority < configMAX_PRIORITIES);
    /* One block: the stack below, the control block above, so a stack overflow does not
     * reach this task's own control block first. */
    size_t stack_bytes = (size_t)depth * sizeof(StackType_t);
    stack_bytes = (stack_bytes + (portBYTE_ALIGNMENT - 1)) & ~(size_t)(portBYTE_ALIGNMENT - 1);
    if (depth == 0 || stack_bytes / sizeof(StackType_t) < (size_t)depth ||
        stack_bytes > (size_t)-1 - sizeof(struct task_control)) {
        return errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY;
    }
    uint8_t *block = pvPortMalloc(stack_bytes + sizeof(struct task_control));
    if (block == NULL) {
        traceTASK_CREATE_FAILED();
        return errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY;
    }
    struct task_control *task = (struct task_control *)(void *)(block + stack_bytes);
    task->stack_low = (StackType_t *)(void *)block;
    task->flags = 0;
    init_task(task, code, name, depth, parameters, priority);
    add_new_task(task);
    if (created != NULL) {
        *created = task;
    }
    return pdPASS;
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
TaskHandle_t xTaskCreateStatic(TaskFunction_t code, const char *name, configSTACK_DEPTH_TYPE depth, void *parameters,
                               UBaseType_t priority, StackType_t *stack, StaticTask_t *buffer)
{
    configASSERT(code != NULL && stack != NULL && buffer != NULL && depth > 0 && priority < configMAX_PRIORITIES);
    if (stack == NULL || buffer == NULL || depth == 0) {
        return NULL;
    }
    buffer->stack_low = stack;
    buffer->flags = TASK_FLAG_STATIC;
    init_task(buffer, code, name, depth, parameters, priority);
    add_new_task(buffer);
    return buffer;
}

BaseType_t xTaskGetStaticBuffers(TaskHandle_t handle, StackType_t **stack, StaticTask_t **buffer)
{
    struct task_control *task = task_or_current(handle);
    configASSERT(task != NULL && stack != NULL && buffer != NULL);
    if (!(task->flags & TASK_FLAG_STATIC)) {
        return pdFALSE;
    }
    *stack = task->stack_low;
    *buffer = task;
    return pdTRUE;
}
#endif

static void free_task(struct task_control *task)
{
    portSTACK_RELEASED(task->stack_low);
    portCLEAN_UP_TCB(task);
#if configSUPPORT_DYNAMIC_ALLOCATION
    if (!(task->flags & TASK_FLAG_STATIC)) {
        vPortFree(task->stack_low);
    }
#endif
}

void vTaskDelete(TaskHandle_t handle)
{
    struct task_control *task = task_or_current(handle);
    configASSERT(task != NULL);
    /* A task cannot free the stack it runs on, so it must be able to switch away now. */
    configASSERT(task != pxCurrentTCB || !sched.running || sched.suspend_nesting == 0);
#if configUSE_MUTEXES
    /* Its mutexes would stay held by freed memory, and their waiters blocked for ever: give
     * them back before deleting the task. */
    configASSERT(task->mutexes_held == 0);
#endif
    BaseType_t free_now = pdFALSE;
    taskENTER_CRITICAL();
    traceTASK_DELETE(task);
    detach(task);
    if (task == pxCurrentTCB && sched.running) {
        /* The idle task frees it. */
        list_insert_tail(&sched.deleted, &task->state_node);
        task->state = TASK_DELETED;
        sched.deleted_count++;
        portYIELD_WITHIN_API();
    } else {
        task->state = TASK_DELETED;
        sched.task_count--;
        free_now = pdTRUE;
    }
    taskEXIT_CRITICAL();
    if (free_now) {
        free_task(task);
    }
}

static void free_deleted_tasks(void)
{
    while (sched.deleted_count > 0) {
        taskENTER_CRITICAL();
        struct task_control *task = task_of_state_node(sched.deleted.end.next);
        list_remove(&task->state_node);
        sched.deleted_count--;
        sched.task_count--;
        taskEXIT_CRITICAL();
        free_task(task);
    }
}

/* ------------------------------------------------------------------ delays and timeouts */

void vTaskDelay(TickType_t ticks)
{
    kernel_assert_may_block(ticks);
    taskENTER_CRITICAL();
    if (ticks > 0) {
        traceTASK_DELAY();
        task_block_current(ticks);
    }
    portYIELD_WITHIN_API(); /* a zero delay is a yield */
    taskEXIT_CRITICAL();
}

BaseType_t xTaskDelayUntil(TickType_t *previous_wake, TickType_t increment)
{
    configASSERT(previous_wake != NULL && increment > 0);
    kernel_assert_may_block(increment);
    BaseType_t delayed;
    taskENTER_CRITICAL();
    const TickType_t now = sched.tick_count;
    const TickType_t wake = (TickType_t)(*previous_wake + increment);
    if (now < *previous_wake) {
        /* The tick count wrapped since the last wake: only a wake time that wrapped too and
         * is still ahead of now is in the future. */
        delayed = (wake < *previous_wake && wake > now) ? pdTRUE : pdFALSE;
    } else {
        delayed = (wake < *previous_wake || wake > now) ? pdTRUE : pdFALSE;
    }
    *previous_wake = wake;
    if (delayed) {
        traceTASK_DELAY_UNTIL(wake);
        task_block_current((TickType_t)(wake - now));
    }
    portYIELD_WITHIN_API();
    taskEXIT_CRITICAL();
    return delayed;
}

BaseType_t xTaskAbortDelay(TaskHandle_t task)
{
    configASSERT(task != NULL && task != pxCurrentTCB);
    BaseType_t aborted = pdFAIL;
    taskENTER_CRITICAL();
    if (task->state == TASK_BLOCKED) {
        detach(task);
        task->flags |= TASK_FLAG_DELAY_ABORTED;
        if (wake_task(task)) {
            kernel_yield_if_preempting();
        }
        aborted = pdPASS;
    }
    taskEXIT_CRITICAL();
    return aborted;
}

void vTaskInternalSetTimeOutState(TimeOut_t *timeout)
{
    timeout->xOverflowCount = sched.overflow_count;
    timeout->xTimeOnEntering = sched.tick_count;
}

void vTaskSetTimeOutState(TimeOut_t *timeout)
{
    configASSERT(timeout != NULL);
    taskENTER_CRITICAL();
    vTaskInternalSetTimeOutState(timeout);
    taskEXIT_CRITICAL();
}

BaseType_t xTaskCheckForTimeOut(TimeOut_t *timeout, TickType_t *remaining)
{
    configASSERT(timeout != NULL && remaining != NULL);
    BaseType_t expired = pdTRUE;
    taskENTER_CRITICAL();
    const TickType_t now = sched.tick_count;
    const TickType_t elapsed = (TickType_t)(now - timeout->xTimeOnEntering);
    if (pxCurrentTCB->flags & TASK_FLAG_DELAY_ABORTED) {
        pxCurrentTCB->flags &= (uint8_t)~TASK_FLAG_DELAY_ABORTED;
    } else if (*remaining == portMAX_DELAY) {
        expired = pdFALSE;
    } else if (sched.overflow_count != timeout->xOverflowCount && now >= timeout->xTimeOnEntering) {
        *remaining = 0; /* a whole tick period has passed */
    } else if (elapsed < *remaining) {
        *remaining = (TickType_t)(*remaining - elapsed);
        vTaskInternalSetTimeOutState(timeout);
        expired = pdFALSE;
    } else {
        *remaining = 0;
    }
    taskEXIT_CRITICAL();
    return expired;
}

/* ------------------------------------------------------------------ suspension */

void vTaskSuspend(TaskHandle_t handle)
{
    struct task_control *task = task_or_current(handle);
    configASSERT(task != NULL);
    configASSERT(task != pxCurrentTCB || !sched.running || sched.suspend_nesting == 0);
    taskENTER_CRITICAL();
    traceTASK_SUSPEND(task);
    detach(task);
    list_insert_tail(&sched.suspended, &task->state_node);
    task->state = TASK_SUSPENDED;
#if configUSE_TASK_NOTIFICATIONS
    for (unsigned i = 0; i < configTASK_NOTIFICATION_ARRAY_ENTRIES; i++) {
        if (task->notify_state[i] == NOTIFY_WAITING) {
            task->notify_state[i] = NOTIFY_IDLE;
        }
    }
#endif
    if (task == pxCurrentTCB && sched.running) {
        portYIELD_WITHIN_API();
    }
    taskEXIT_CRITICAL();
}

void vTaskResume(TaskHandle_t task)
{
    configASSERT(task != NULL);
    taskENTER_CRITICAL();
    if (task->state == TASK_SUSPENDED && task != pxCurrentTCB) {
        traceTASK_RESUME(task);
        list_remove(&task->state_node);
        task_make_ready(task);
        if (task_outranks_current(task)) {
            kernel_yield_if_preempting();
        }
    }
    taskEXIT_CRITICAL();
}

BaseType_t xTaskResumeFromISR(TaskHandle_t task)
{
    configASSERT(task != NULL);
    portASSERT_IF_INTERRUPT_PRIORITY_INVALID();
    BaseType_t yield = pdFALSE;
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    if (task->state == TASK_SUSPENDED) {
        traceTASK_RESUME_FROM_ISR(task);
        yield = wake_task(task);
    }
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    return yield;
}

/* ------------------------------------------------------------------ the tick */

static BaseType_t wake_expired(TickType_t now)
{
    BaseType_t switch_needed = pdFALSE;
    for (;;) {
        ListItem_t *node = list_head(sched.delayed);
        if (node == NULL || node->value > now) {
            sched.next_wake = node != NULL ? node->value : portMAX_DELAY;
            return switch_needed;
        }
        struct task_control *task = task_of_state_node(node);
        list_remove(node);
        if (list_node_is_linked(&task->event_node)) {
            list_remove(&task->event_node); /* the wait timed out */
        }
        task->wait_list = NULL;
        task->flags &= (uint8_t)~TASK_FLAG_WAITING_MUTEX;
        task_make_ready(task);
        if (task->priority > pxCurrentTCB->priority) {
            switch_needed = pdTRUE;
        }
    }
}

/* One tick with the scheduler running: wake what is due, decide on a switch. */
static BaseType_t advance_tick(void)
{
    const TickType_t now = (TickType_t)(sched.tick_count + 1);
    sched.tick_count = now;
    traceTASK_INCREMENT_TICK(now);
    if (now == 0) {
        List_t *expired = sched.delayed;
        configASSERT(list_is_empty(expired));
        sched.delayed = sched.overflow_delayed;
        sched.overflow_delayed = expired;
        sched.overflow_count++;
        update_next_wake();
    }
    BaseType_t switch_needed = pdFALSE;
    if (now >= sched.next_wake) {
        switch_needed = wake_expired(now);
    }
#if configUSE_PREEMPTION && configUSE_TIME_SLICING
    if (!list_has_one(&sched.ready[pxCurrentTCB->priority])) {
        switch_needed = pdTRUE;
    }
#endif
#if configUSE_PREEMPTION
    return (switch_needed || sched.yield_pending) ? pdTRUE : pdFALSE;
#else
    (void)switch_needed;
    return pdFALSE;
#endif
}

BaseType_t xTaskIncrementTick(void)
{
    BaseType_t switch_needed = pdFALSE;
    if (sched.suspend_nesting == 0) {
        switch_needed = advance_tick();
    } else {
        sched.pended_ticks++;
    }
#if configUSE_TICK_HOOK
    vApplicationTickHook();
#endif
    return switch_needed;
}

void vTaskStepTick(TickType_t ticks)
{
    configASSERT((TickType_t)(sched.tick_count + ticks) <= sched.next_wake);
    if (ticks > 0 && (TickType_t)(sched.tick_count + ticks) == sched.next_wake) {
        /* The last tick wakes a task: let the ordinary tick path do it. */
        configASSERT(sched.suspend_nesting > 0);
        taskENTER_CRITICAL();
        sched.pended_ticks++;
        taskEXIT_CRITICAL();
        ticks--;
    }
    sched.tick_count = (TickType_t)(sched.tick_count + ticks);
}

/* ------------------------------------------------------------------ suspending the scheduler */

void vTaskSuspendAll(void)
{
    portMEMORY_BARRIER();
    sched.suspend_nesting++;
    portMEMORY_BARRIER();
}

static void move_pending_ready(void)
{
    ListItem_t *node;
    BaseType_t moved = pdFALSE;
    while ((node = list_head(&sched.pending_ready)) != NULL) {
        struct task_control *task = task_of_event_node(node);
        list_remove(node);
        if (list_node_is_linked(&task->state_node)) {
            list_remove(&task->state_node);
        }
        task_make_ready(task);
        if (task_outranks_current(task)) {
            sched.yield_pending = pdTRUE;
        }
        moved = pdTRUE;
    }
    if (moved) {
        update_next_wake(); /* a woken task may have been the next to wake */
    }
}

BaseType_t xTaskResumeAll(void)
{
    configASSERT(sched.suspend_nesting > 0);
    BaseType_t yielded = pdFALSE;
    taskENTER_CRITICAL();
    sched.suspend_nesting--;
    if (sched.suspend_nesting == 0 && sched.running) {
        move_pending_ready();
        while (sched.pended_ticks > 0) {
            if (advance_tick()) {
                sched.yield_pending = pdTRUE;
            }
            sched.pended_ticks--;
        }
#if configUSE_PREEMPTION
        if (sched.yield_pending) {
            yielded = pdTRUE;
            portYIELD_WITHIN_API();
        }
#endif
    }
    taskEXIT_CRITICAL();
    return yielded;
}

BaseType_t xTaskCatchUpTicks(TickType_t ticks)
{
    configASSERT(sched.suspend_nesting == 0);
    vTaskSuspendAll();
    taskENTER_CRITICAL();
    sched.pended_ticks = (TickType_t)(sched.pended_ticks + ticks);
    taskEXIT_CRITICAL();
    return xTaskResumeAll();
}

/* ------------------------------------------------------------------ switching */

static void check_stack(struct task_control *task)
{
#if configCHECK_FOR_STACK_OVERFLOW > 0
    BaseType_t overflowed = (task->top_of_stack <= task->stack_low) ? pdTRUE : pdFALSE;
#if configCHECK_FOR_STACK_OVERFLOW > 1
    const uint8_t *guard = (const uint8_t *)task->stack_low;
    for (unsigned i = 0; i < 16; i++) {
        if (guard[i] != TASK_STACK_FILL) {
            overflowed = pdTRUE;
        }
    }
#endif
    if (overflowed) {
        vApplicationStackOverflowHook(task, task->name);
    }
#else
    (void)task;
#endif
}

static void account_run_time(struct task_control *task)
{
#if configGENERATE_RUN_TIME_STATS
    configRUN_TIME_COUNTER_TYPE now;
#ifdef portALT_GET_RUN_TIME_COUNTER_VALUE
    portALT_GET_RUN_TIME_COUNTER_VALUE(now);
#else
    now = (configRUN_TIME_COUNTER_TYPE)portGET_RUN_TIME_COUNTER_VALUE();
#endif
    task->run_time += now - sched.switched_in_at;
    sched.switched_in_at = now;
#else
    (void)task;
#endif
}

void vTaskSwitchContext(void)
{
    if (sched.suspend_nesting != 0) {
        sched.yield_pending = pdTRUE;
        return;
    }
    sched.yield_pending = pdFALSE;
    struct task_control *current = pxCurrentTCB;
    traceTASK_SWITCHED_OUT();
    account_run_time(current);
    check_stack(current);
    /* Round robin: a task that is still ready goes behind its equals. */
    if (current->state == TASK_READY) {
        list_move_to_tail(&sched.ready[current->priority], &current->state_node);
    }
    pxCurrentTCB = highest_ready();
    traceTASK_SWITCHED_IN();
}

/* ------------------------------------------------------------------ idle task and start-up */

#if configUSE_TICKLESS_IDLE
static TickType_t expected_idle_ticks(void)
{
    if (pxCurrentTCB->priority > tskIDLE_PRIORITY || !list_has_one(&sched.ready[tskIDLE_PRIORITY]) ||
        ready_above_idle() || sched.pended_ticks > 0) {
        return 0;
    }
    return (TickType_t)(sched.next_wake - sched.tick_count);
}

static void idle_sleep(void)
{
    if (expected_idle_ticks() < configEXPECTED_IDLE_TIME_BEFORE_SLEEP) {
        return;
    }
    vTaskSuspendAll();
    const TickType_t idle_ticks = expected_idle_ticks();
    if (idle_ticks >= configEXPECTED_IDLE_TIME_BEFORE_SLEEP) {
        traceLOW_POWER_IDLE_BEGIN();
        portSUPPRESS_TICKS_AND_SLEEP(idle_ticks);
        traceLOW_POWER_IDLE_END();
    }
    (void)xTaskResumeAll();
}
#endif

eSleepModeStatus eTaskConfirmSleepModeStatus(void)
{
    if (!list_is_empty(&sched.pending_ready) || sched.yield_pending || sched.pended_ticks > 0 ||
        ready_above_idle()) {
        return eAbortSleep;
    }
    if (list_is_empty(sched.delayed) && list_is_empty(sched.overflow_delayed)) {
        return eNoTasksWaitingTimeout;
    }
    return eStandardSleep;
}

static portTASK_FUNCTION(idle_task, parameters)
{
    (void)parameters;
    for (;;) {
        free_deleted_tasks();
#if !configUSE_PREEMPTION
        taskYIELD();
#elif configIDLE_SHOULD_YIELD
        if (!list_has_one(&sched.ready[tskIDLE_PRIORITY])) {
            taskYIELD();
        }
#endif
#if configUSE_IDLE_HOOK
        vApplicationIdleHook();
#endif
#if configUSE_TICKLESS_IDLE
        idle_sleep();
#endif
    }
}

#if configSUPPORT_STATIC_ALLOCATION && defined(configKERNEL_PROVIDED_STATIC_MEMORY) && configKERNEL_PROVIDED_STATIC_MEMORY
void vApplicationGetIdleTaskMemory(StaticTask_t **buffer, StackType_t **stack, configSTACK_DEPTH_TYPE *depth)
{
    static StaticTask_t idle_buffer;
    static StackType_t idle_stack[configMINIMAL_STACK_SIZE];
    *buffer = &idle_buffer;
    *stack = idle_stack;
    *depth = configMINIMAL_STACK_SIZE;
}

#if configUSE_TIMERS
void vApplicationGetTimerTaskMemory(StaticTask_t **buffer, StackType_t **stack, configSTACK_DEPTH_TYPE *depth)
{
    static StaticTask_t timer_buffer;
    static StackType_t timer_stack[configTIMER_TASK_STACK_DEPTH];
    *buffer = &timer_buffer;
    *stack = timer_stack;
    *depth = configTIMER_TASK_STACK_DEPTH;
}
#endif
#endif

static BaseType_t create_idle_task(void)
{
#if configSUPPORT_STATIC_ALLOCATION
    StaticTask_t *buffer = NULL;
    StackType_t *stack = NULL;
    configSTACK_DEPTH_TYPE depth = 0;
    vApplicationGetIdleTaskMemory(&buffer, &stack, &depth);
    sched.idle_task = xTaskCreateStatic(idle_task, configIDLE_TASK_NAME, depth, NULL,
                                        tskIDLE_PRIORITY | portPRIVILEGE_BIT, stack, buffer);
    return sched.idle_task != NULL ? pdPASS : pdFAIL;
#else
    return xTaskCreate(idle_task, configIDLE_TASK_NAME, configMINIMAL_STACK_SIZE, NULL,
                       tskIDLE_PRIORITY | portPRIVILEGE_BIT, &sched.idle_task);
#endif
}

void vTaskStartScheduler(void)
{
    BaseType_t ready = create_idle_task();
#if configUSE_TIMERS
    if (ready == pdPASS) {
        ready = timer_create_service_task();
    }
#endif
    configASSERT(ready == pdPASS);
    if (ready != pdPASS) {
        return;
    }
    portDISABLE_INTERRUPTS();
    traceSTART();
    sched.running = pdTRUE;
    pxCurrentTCB = highest_ready();
    portCONFIGURE_TIMER_FOR_RUN_TIME_STATS();
    traceTASK_SWITCHED_IN();
    (void)xPortStartScheduler();
    /* Only ports that can end the scheduler come back here. */
    sched.running = pdFALSE;
}

void vTaskEndScheduler(void)
{
    portDISABLE_INTERRUPTS();
    sched.running = pdFALSE;
    traceEND();
    vPortEndScheduler();
}
