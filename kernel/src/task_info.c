/* Alder kernel: what the application may ask about tasks: states, names, stacks, statistics, tables.
 * It must never change scheduling state; everything here only reads (bar the per-task user slots). */
#include <string.h>

#include "task_private.h"

TaskHandle_t xTaskGetCurrentTaskHandle(void)
{
    return pxCurrentTCB;
}

TaskHandle_t xTaskGetIdleTaskHandle(void)
{
    configASSERT(sched.idle_task != NULL);
    return sched.idle_task;
}

TickType_t xTaskGetTickCount(void)
{
    TickType_t now;
    /* A 64-bit tick on a 32-bit CPU is two loads: read it with the tick masked. */
    portTICK_TYPE_ENTER_CRITICAL();
    now = sched.tick_count;
    portTICK_TYPE_EXIT_CRITICAL();
    return now;
}

TickType_t xTaskGetTickCountFromISR(void)
{
    portASSERT_IF_INTERRUPT_PRIORITY_INVALID();
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    const TickType_t now = sched.tick_count;
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    return now;
}

UBaseType_t uxTaskGetNumberOfTasks(void)
{
    return sched.task_count;
}

BaseType_t xTaskGetSchedulerState(void)
{
    if (!sched.running) {
        return taskSCHEDULER_NOT_STARTED;
    }
    return sched.suspend_nesting == 0 ? taskSCHEDULER_RUNNING : taskSCHEDULER_SUSPENDED;
}

char *pcTaskGetName(TaskHandle_t handle)
{
    struct task_control *task = task_or_current(handle);
    configASSERT(task != NULL);
    return task->name;
}

UBaseType_t uxTaskPriorityGet(TaskHandle_t handle)
{
    taskENTER_CRITICAL();
    const UBaseType_t priority = task_or_current(handle)->priority;
    taskEXIT_CRITICAL();
    return priority;
}

UBaseType_t uxTaskPriorityGetFromISR(TaskHandle_t handle)
{
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    const UBaseType_t priority = task_or_current(handle)->priority;
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    return priority;
}

static UBaseType_t base_priority_of(const struct task_control *task)
{
#if configUSE_MUTEXES
    return task->base_priority;
#else
    return task->priority;
#endif
}

UBaseType_t uxTaskBasePriorityGet(TaskHandle_t handle)
{
    taskENTER_CRITICAL();
    const UBaseType_t priority = base_priority_of(task_or_current(handle));
    taskEXIT_CRITICAL();
    return priority;
}

UBaseType_t uxTaskBasePriorityGetFromISR(TaskHandle_t handle)
{
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    const UBaseType_t priority = base_priority_of(task_or_current(handle));
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    return priority;
}

static eTaskState state_of(const struct task_control *task)
{
    if (task == pxCurrentTCB && task->state == TASK_READY) {
        return eRunning;
    }
    switch (task->state) {
    case TASK_READY:
    case TASK_PENDING_READY:
        return eReady;
    case TASK_BLOCKED:
        return eBlocked;
    case TASK_SUSPENDED:
        return eSuspended;
    case TASK_DELETED:
        return eDeleted;
    default:
        return eInvalid;
    }
}

eTaskState eTaskGetState(TaskHandle_t task)
{
    configASSERT(task != NULL);
    taskENTER_CRITICAL();
    const eTaskState state = state_of(task);
    taskEXIT_CRITICAL();
    return state;
}

/* Free stack, in words, never touched since the task was created (fill bytes at the low end). */
static configSTACK_DEPTH_TYPE unused_stack_words(const struct task_control *task)
{
    const uint8_t *byte = (const uint8_t *)task->stack_low;
    size_t count = 0;
    while (byte[count] == TASK_STACK_FILL && (const void *)(byte + count) < (const void *)task->top_of_stack) {
        count++;
    }
    return (configSTACK_DEPTH_TYPE)(count / sizeof(StackType_t));
}

UBaseType_t uxTaskGetStackHighWaterMark(TaskHandle_t handle)
{
    return (UBaseType_t)unused_stack_words(task_or_current(handle));
}

configSTACK_DEPTH_TYPE uxTaskGetStackHighWaterMark2(TaskHandle_t handle)
{
    return unused_stack_words(task_or_current(handle));
}

/* ------------------------------------------------------------------ walking every task */

typedef void (*task_visitor)(struct task_control *task, void *context);

static void visit_list(const List_t *list, task_visitor visit, void *context)
{
    for (const ListItem_t *node = list_head(list); node != NULL; node = list_next(list, node)) {
        visit(task_of_state_node(node), context);
    }
}

/* Every task lives on exactly one state list, so this visits each exactly once. */
static void visit_all_tasks(task_visitor visit, void *context, BaseType_t include_deleted)
{
    for (UBaseType_t p = configMAX_PRIORITIES; p > 0; p--) {
        visit_list(&sched.ready[p - 1], visit, context);
    }
    visit_list(sched.delayed, visit, context);
    visit_list(sched.overflow_delayed, visit, context);
    visit_list(&sched.blocked_forever, visit, context);
    visit_list(&sched.suspended, visit, context);
    if (include_deleted) {
        visit_list(&sched.deleted, visit, context);
    }
}

struct name_search {
    const char *name;
    struct task_control *found;
};

static void match_name(struct task_control *task, void *context)
{
    struct name_search *search = context;
    if (search->found == NULL && strncmp(task->name, search->name, configMAX_TASK_NAME_LEN - 1) == 0) {
        search->found = task;
    }
}

TaskHandle_t xTaskGetHandle(const char *name)
{
    configASSERT(name != NULL && strlen(name) < configMAX_TASK_NAME_LEN);
    struct name_search search = {name, NULL};
    if (sched.delayed == NULL) {
        return NULL;
    }
    vTaskSuspendAll();
    visit_all_tasks(match_name, &search, pdFALSE);
    (void)xTaskResumeAll();
    return search.found;
}

static void fill_status(const struct task_control *task, TaskStatus_t *status, BaseType_t with_stack, eTaskState state)
{
    status->xHandle = (TaskHandle_t)task;
    status->pcTaskName = task->name;
#if configUSE_TRACE_FACILITY
    status->xTaskNumber = task->task_number;
#else
    status->xTaskNumber = 0;
#endif
    status->eCurrentState = state != eInvalid ? state : state_of(task);
    status->uxCurrentPriority = task->priority;
    status->uxBasePriority = base_priority_of(task);
#if configGENERATE_RUN_TIME_STATS
    status->ulRunTimeCounter = task->run_time;
#else
    status->ulRunTimeCounter = 0;
#endif
    status->pxStackBase = task->stack_low;
    status->usStackHighWaterMark = with_stack ? unused_stack_words(task) : 0;
}

void vTaskGetInfo(TaskHandle_t handle, TaskStatus_t *status, BaseType_t with_stack, eTaskState state)
{
    configASSERT(status != NULL);
    fill_status(task_or_current(handle), status, with_stack, state);
}

struct status_table {
    TaskStatus_t *entries;
    UBaseType_t filled;
};

static void add_status(struct task_control *task, void *context)
{
    struct status_table *table = context;
    fill_status(task, &table->entries[table->filled++], pdTRUE, eInvalid);
}

static configRUN_TIME_COUNTER_TYPE total_run_time(void)
{
#if configGENERATE_RUN_TIME_STATS
#ifdef portALT_GET_RUN_TIME_COUNTER_VALUE
    configRUN_TIME_COUNTER_TYPE now;
    portALT_GET_RUN_TIME_COUNTER_VALUE(now);
    return now;
#else
    return (configRUN_TIME_COUNTER_TYPE)portGET_RUN_TIME_COUNTER_VALUE();
#endif
#else
    return 0;
#endif
}

UBaseType_t uxTaskGetSystemState(TaskStatus_t *entries, UBaseType_t size, configRUN_TIME_COUNTER_TYPE *total)
{
    struct status_table table = {entries, 0};
    vTaskSuspendAll();
    if (entries != NULL && size >= sched.task_count) {
        visit_all_tasks(add_status, &table, pdTRUE);
        if (total != NULL) {
            *total = total_run_time();
        }
    }
    (void)xTaskResumeAll();
    return table.filled;
}

configRUN_TIME_COUNTER_TYPE ulTaskGetRunTimeCounter(TaskHandle_t handle)
{
#if configGENERATE_RUN_TIME_STATS
    return task_or_current(handle)->run_time;
#else
    (void)handle;
    return 0;
#endif
}

configRUN_TIME_COUNTER_TYPE ulTaskGetRunTimePercent(TaskHandle_t handle)
{
    const configRUN_TIME_COUNTER_TYPE total = total_run_time() / 100;
    return total > 0 ? ulTaskGetRunTimeCounter(handle) / total : 0;
}

configRUN_TIME_COUNTER_TYPE ulTaskGetIdleRunTimeCounter(void)
{
    return ulTaskGetRunTimeCounter(sched.idle_task);
}

configRUN_TIME_COUNTER_TYPE ulTaskGetIdleRunTimePercent(void)
{
    return ulTaskGetRunTimePercent(sched.idle_task);
}

UBaseType_t uxTaskGetTaskNumber(TaskHandle_t task)
{
#if configUSE_TRACE_FACILITY
    return task != NULL ? task->trace_tag : 0;
#else
    (void)task;
    return 0;
#endif
}

void vTaskSetTaskNumber(TaskHandle_t task, UBaseType_t number)
{
#if configUSE_TRACE_FACILITY
    if (task != NULL) {
        task->trace_tag = number;
    }
#else
    (void)task;
    (void)number;
#endif
}

#if configNUM_THREAD_LOCAL_STORAGE_POINTERS > 0
void vTaskSetThreadLocalStoragePointer(TaskHandle_t handle, BaseType_t index, void *value)
{
    configASSERT(index >= 0 && index < configNUM_THREAD_LOCAL_STORAGE_POINTERS);
    if (index >= 0 && index < configNUM_THREAD_LOCAL_STORAGE_POINTERS) {
        task_or_current(handle)->tls[index] = value;
    }
}

void *pvTaskGetThreadLocalStoragePointer(TaskHandle_t handle, BaseType_t index)
{
    if (index < 0 || index >= configNUM_THREAD_LOCAL_STORAGE_POINTERS) {
        return NULL;
    }
    return task_or_current(handle)->tls[index];
}
#endif

#if configUSE_APPLICATION_TASK_TAG
void vTaskSetApplicationTaskTag(TaskHandle_t handle, TaskHookFunction_t hook)
{
    taskENTER_CRITICAL();
    task_or_current(handle)->tag = hook;
    taskEXIT_CRITICAL();
}

TaskHookFunction_t xTaskGetApplicationTaskTag(TaskHandle_t handle)
{
    taskENTER_CRITICAL();
    TaskHookFunction_t hook = task_or_current(handle)->tag;
    taskEXIT_CRITICAL();
    return hook;
}

TaskHookFunction_t xTaskGetApplicationTaskTagFromISR(TaskHandle_t handle)
{
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    TaskHookFunction_t hook = task_or_current(handle)->tag;
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    return hook;
}

BaseType_t xTaskCallApplicationTaskHook(TaskHandle_t handle, void *parameter)
{
    TaskHookFunction_t hook = task_or_current(handle)->tag;
    return hook != NULL ? hook(parameter) : pdFAIL;
}
#endif
