/* Alder kernel: software timers, run by one service task that owns every active timer and its lists.
 * It must never run a callback outside the service task, nor with the scheduler suspended. */
#include <string.h>

#include "kernel_internal.h"

#include "queue.h"
#include "timers.h"

#if configUSE_TIMERS

/*
 * Only the service task touches the active lists, so they need no locking: every API call
 * that changes a running timer is a message. Pended function calls share the queue so that
 * they run in order with the timer commands.
 */
struct timer_message {
    BaseType_t command; /* tmrCOMMAND_*; negative for a pended function call */
    union {
        struct {
            TimerHandle_t timer;
            TickType_t value; /* the tick the command was issued at, or the new period */
        } timer;
        struct {
            PendedFunction_t function;
            void *arg1;
            uint32_t arg2;
        } call;
    } u;
};

#define LAST_TICK ((TickType_t) ~(TickType_t)0)

/* Active timers sorted by expiry tick: the current list holds expiries before the tick count
 * next wraps, the overflow list those after; they swap when the service task sees the wrap. */
static List_t timer_lists[2];
static List_t *current_list;
static List_t *overflow_list;
static TickType_t last_now; /* the tick count the service task saw last, to notice a wrap */
static QueueHandle_t command_queue;
static TaskHandle_t service_task;

static void service_task_entry(void *unused);

/* With static allocation the queue and the task never use the heap (the task's memory comes
 * from vApplicationGetTimerTaskMemory). */
#if configSUPPORT_STATIC_ALLOCATION
static QueueHandle_t create_queue(void)
{
    static StaticQueue_t queue_object;
    static uint8_t queue_storage[configTIMER_QUEUE_LENGTH * sizeof(struct timer_message)];
    return xQueueCreateStatic(configTIMER_QUEUE_LENGTH, sizeof(struct timer_message), queue_storage, &queue_object);
}

static TaskHandle_t create_task(void)
{
    StaticTask_t *tcb = NULL;
    StackType_t *stack = NULL;
    configSTACK_DEPTH_TYPE depth = configTIMER_TASK_STACK_DEPTH;
    vApplicationGetTimerTaskMemory(&tcb, &stack, &depth);
    return xTaskCreateStatic(service_task_entry, configTIMER_SERVICE_TASK_NAME, depth, NULL,
                             configTIMER_TASK_PRIORITY | portPRIVILEGE_BIT, stack, tcb);
}
#else
static QueueHandle_t create_queue(void)
{
    return xQueueCreate(configTIMER_QUEUE_LENGTH, sizeof(struct timer_message));
}

static TaskHandle_t create_task(void)
{
    TaskHandle_t task = NULL;
    (void)xTaskCreate(service_task_entry, configTIMER_SERVICE_TASK_NAME, configTIMER_TASK_STACK_DEPTH, NULL,
                      configTIMER_TASK_PRIORITY | portPRIVILEGE_BIT, &task);
    return task;
}
#endif

/* Timers may be created and started before the scheduler runs, so the lists and the queue are
 * made by whichever comes first, the first timer or the service task. Both happen before any
 * task runs, so two callers never race here. */
static BaseType_t timer_setup(void)
{
    if (command_queue != NULL) {
        return pdPASS;
    }
    list_init(&timer_lists[0]);
    list_init(&timer_lists[1]);
    current_list = &timer_lists[0];
    overflow_list = &timer_lists[1];
    command_queue = create_queue();
#if configQUEUE_REGISTRY_SIZE > 0
    if (command_queue != NULL) {
        vQueueAddToRegistry(command_queue, "TmrQ");
    }
#endif
    return command_queue != NULL ? pdPASS : pdFAIL;
}

/* ---- the service task's side: only it runs the functions in this section ---- */

/* Link the timer to expire one period after `from`, unless that moment is not after `now`
 * (then pdTRUE, and the timer is left unlinked). */
static BaseType_t schedule(struct timer_control *timer, TickType_t from, TickType_t now)
{
    TickType_t expiry = (TickType_t)(from + timer->period);
    if ((TickType_t)(now - from) >= timer->period) {
        return pdTRUE;
    }
    timer->node.value = expiry;
    /* An expiry numerically below `now` lies beyond the next wrap of the tick count. */
    list_insert_sorted(expiry < now ? overflow_list : current_list, &timer->node);
    return pdFALSE;
}

/* The unlinked timer's expiry (node.value) is not after `now`. An auto-reload timer runs its
 * callback once for every period that has ended since and is relinked first, so that the last
 * callback sees it active with its next expiry; a one-shot timer becomes dormant. */
static void expire(struct timer_control *timer, TickType_t now)
{
    TickType_t due = timer->node.value;
    if (timer->auto_reload) {
        while (schedule(timer, due, now)) {
            due = (TickType_t)(due + timer->period);
            timer->callback(timer);
        }
    } else {
        timer->active = 0;
    }
    timer->callback(timer);
}

/* The tick count, once whatever the last wrap of it made due has been expired. */
static TickType_t sample_time(void)
{
    TickType_t now = xTaskGetTickCount();
    if (now < last_now) {
        /* Everything left in the current list fell due before the wrap. Expiring it as at the
         * last tick before the wrap files every reload in the overflow list, which is the
         * current list from now on. */
        ListItem_t *node;
        while ((node = list_head(current_list)) != NULL) {
            list_remove(node);
            expire(list_owner(node, struct timer_control, node), LAST_TICK);
        }
        List_t *emptied = current_list;
        current_list = overflow_list;
        overflow_list = emptied;
    }
    last_now = now;
    return now;
}

/* Run the timer for one period from `from`. A start that reaches the service task after that
 * period has already ended (it was busy) expires at once, as if on time. */
static void start(struct timer_control *timer, TickType_t from, TickType_t now)
{
    timer->active = 1;
    if (schedule(timer, from, now)) {
        timer->node.value = (TickType_t)(from + timer->period);
        expire(timer, now);
    }
}

static void run_timer_command(struct timer_control *timer, BaseType_t command, TickType_t value)
{
    /* Every command replaces what the timer was doing, including an expiry still pending. */
    if (list_node_is_linked(&timer->node)) {
        list_remove(&timer->node);
    }
    TickType_t now = sample_time();
    switch (command) {
    case tmrCOMMAND_START_DONT_TRACE:
    case tmrCOMMAND_START:
    case tmrCOMMAND_RESET:
    case tmrCOMMAND_START_FROM_ISR:
    case tmrCOMMAND_RESET_FROM_ISR:
        start(timer, value, now);
        break;
    case tmrCOMMAND_CHANGE_PERIOD:
    case tmrCOMMAND_CHANGE_PERIOD_FROM_ISR:
        timer->period = value;
        start(timer, now, now);
        break;
    case tmrCOMMAND_DELETE:
        if (!timer->is_static) {
            vPortFree(timer);
            break;
        }
        timer->active = 0;
        break;
    default: /* stop */
        timer->active = 0;
        break;
    }
}

static void run_commands(void)
{
    struct timer_message message;
    while (xQueueReceive(command_queue, &message, 0) == pdPASS) {
        if (message.command < 0) {
            message.u.call.function(message.u.call.arg1, message.u.call.arg2);
            continue;
        }
        run_timer_command(message.u.timer.timer, message.command, message.u.timer.value);
    }
}

/* Expire the first timer if it is due; otherwise block until it is, until the tick count
 * wraps (when only timers beyond the wrap remain), or until a command arrives. */
static void expire_or_wait(void)
{
    TickType_t now = sample_time();
    ListItem_t *head = list_head(current_list);
    if (head != NULL && head->value <= now) {
        list_remove(head);
        expire(list_owner(head, struct timer_control, node), now);
        return;
    }
    vTaskSuspendAll();
    /* The wait is counted from `now`: if a tick slipped in since, look again instead. */
    BaseType_t blocked = xTaskGetTickCount() == now;
    if (blocked) {
        TickType_t until = head != NULL ? head->value : 0; /* 0: the wrap */
        TickType_t ticks = (TickType_t)(until - now);
        /* portMAX_DELAY would read as "forever": wake a tick early and look again instead. */
        if (ticks == portMAX_DELAY) {
            ticks--;
        }
        BaseType_t forever = head == NULL && list_is_empty(overflow_list);
        queue_wait_for_message_restricted(command_queue, ticks, forever);
    }
    if (xTaskResumeAll() == pdFALSE && blocked) {
        portYIELD_WITHIN_API();
    }
}

static void service_task_entry(void *unused)
{
    (void)unused;
#if configUSE_DAEMON_TASK_STARTUP_HOOK
    vApplicationDaemonTaskStartupHook();
#endif
    for (;;) {
        expire_or_wait();
        run_commands();
    }
}

BaseType_t timer_create_service_task(void)
{
    if (timer_setup() == pdFAIL) {
        return pdFAIL;
    }
    service_task = create_task();
    return service_task != NULL ? pdPASS : pdFAIL;
}

void vTimerResetState(void)
{
    command_queue = NULL;
    service_task = NULL;
    last_now = 0;
}

/* ---- the API: any task or ISR ---- */

static BaseType_t post(const struct timer_message *message, BaseType_t from_isr, BaseType_t *woken,
                       TickType_t ticks_to_wait)
{
    if (command_queue == NULL) {
        return pdFAIL;
    }
    if (from_isr) {
        return xQueueSendToBackFromISR(command_queue, message, woken);
    }
    /* Waiting needs a running scheduler: before it starts, or while suspended, never wait. */
    if (xTaskGetSchedulerState() != taskSCHEDULER_RUNNING) {
        ticks_to_wait = 0;
    }
    return xQueueSendToBack(command_queue, message, ticks_to_wait);
}

BaseType_t xTimerGenericCommand(TimerHandle_t xTimer, const BaseType_t xCommandID, const TickType_t xOptionalValue,
                                BaseType_t *const pxHigherPriorityTaskWoken, const TickType_t xTicksToWait)
{
    configASSERT(xTimer != NULL);
    configASSERT(xOptionalValue > 0 ||
                 (xCommandID != tmrCOMMAND_CHANGE_PERIOD && xCommandID != tmrCOMMAND_CHANGE_PERIOD_FROM_ISR));
    struct timer_message message;
    message.command = xCommandID;
    message.u.timer.timer = xTimer;
    message.u.timer.value = xOptionalValue;
    return post(&message, xCommandID >= tmrFIRST_FROM_ISR_COMMAND, pxHigherPriorityTaskWoken, xTicksToWait);
}

static BaseType_t pend_call(BaseType_t command, PendedFunction_t function, void *arg1, uint32_t arg2, BaseType_t *woken,
                            TickType_t ticks_to_wait)
{
    configASSERT(function != NULL);
    struct timer_message message;
    message.command = command;
    message.u.call.function = function;
    message.u.call.arg1 = arg1;
    message.u.call.arg2 = arg2;
    return post(&message, command == tmrCOMMAND_EXECUTE_CALLBACK_FROM_ISR, woken, ticks_to_wait);
}

BaseType_t xTimerPendFunctionCall(PendedFunction_t xFunctionToPend, void *pvParameter1, uint32_t ulParameter2,
                                  TickType_t xTicksToWait)
{
    return pend_call(tmrCOMMAND_EXECUTE_CALLBACK, xFunctionToPend, pvParameter1, ulParameter2, NULL, xTicksToWait);
}

BaseType_t xTimerPendFunctionCallFromISR(PendedFunction_t xFunctionToPend, void *pvParameter1, uint32_t ulParameter2,
                                         BaseType_t *pxHigherPriorityTaskWoken)
{
    return pend_call(tmrCOMMAND_EXECUTE_CALLBACK_FROM_ISR, xFunctionToPend, pvParameter1, ulParameter2,
                     pxHigherPriorityTaskWoken, 0);
}

/* ---- creation and the timer's own fields ---- */

static void timer_init(struct timer_control *timer, const char *name, TickType_t period, BaseType_t auto_reload,
                       void *id, TimerCallbackFunction_t callback)
{
    (void)timer_setup();
    memset(timer, 0, sizeof(*timer)); /* dormant, unlinked, dynamic, trace number 0 */
    timer->name = name;
    timer->period = period;
    timer->id = id;
    timer->callback = callback;
    timer->auto_reload = auto_reload != pdFALSE;
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TimerHandle_t xTimerCreate(const char *const pcTimerName, const TickType_t xTimerPeriodInTicks,
                           const BaseType_t xAutoReload, void *const pvTimerID,
                           TimerCallbackFunction_t pxCallbackFunction)
{
    configASSERT(xTimerPeriodInTicks > 0);
    struct timer_control *timer = pvPortMalloc(sizeof(*timer));
    if (timer != NULL) {
        timer_init(timer, pcTimerName, xTimerPeriodInTicks, xAutoReload, pvTimerID, pxCallbackFunction);
    }
    return timer;
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
TimerHandle_t xTimerCreateStatic(const char *const pcTimerName, const TickType_t xTimerPeriodInTicks,
                                 const BaseType_t xAutoReload, void *const pvTimerID,
                                 TimerCallbackFunction_t pxCallbackFunction, StaticTimer_t *pxTimerBuffer)
{
    configASSERT(xTimerPeriodInTicks > 0);
    configASSERT(pxTimerBuffer != NULL);
    if (pxTimerBuffer != NULL) {
        timer_init(pxTimerBuffer, pcTimerName, xTimerPeriodInTicks, xAutoReload, pvTimerID, pxCallbackFunction);
        pxTimerBuffer->is_static = 1;
    }
    return pxTimerBuffer;
}

BaseType_t xTimerGetStaticBuffer(TimerHandle_t xTimer, StaticTimer_t **ppxTimerBuffer)
{
    configASSERT(xTimer != NULL && ppxTimerBuffer != NULL);
    if (!xTimer->is_static) {
        return pdFALSE;
    }
    *ppxTimerBuffer = xTimer;
    return pdTRUE;
}
#endif

/* The fields below are single aligned words or bytes, each written by one side only (the
 * application sets the ID and reload mode, the service task sets `active`), so they are read
 * and written without a critical section. */

BaseType_t xTimerIsTimerActive(TimerHandle_t xTimer)
{
    configASSERT(xTimer != NULL);
    return (BaseType_t)xTimer->active;
}

void *pvTimerGetTimerID(const TimerHandle_t xTimer)
{
    configASSERT(xTimer != NULL);
    return xTimer->id;
}

void vTimerSetTimerID(TimerHandle_t xTimer, void *pvNewID)
{
    configASSERT(xTimer != NULL);
    xTimer->id = pvNewID;
}

const char *pcTimerGetName(TimerHandle_t xTimer)
{
    configASSERT(xTimer != NULL);
    return xTimer->name;
}

TickType_t xTimerGetPeriod(TimerHandle_t xTimer)
{
    configASSERT(xTimer != NULL);
    return xTimer->period;
}

TickType_t xTimerGetExpiryTime(TimerHandle_t xTimer)
{
    configASSERT(xTimer != NULL);
    return xTimer->node.value;
}

void vTimerSetReloadMode(TimerHandle_t xTimer, const BaseType_t xAutoReload)
{
    configASSERT(xTimer != NULL);
    xTimer->auto_reload = xAutoReload != pdFALSE;
}

BaseType_t xTimerGetReloadMode(TimerHandle_t xTimer)
{
    configASSERT(xTimer != NULL);
    return (BaseType_t)xTimer->auto_reload;
}

UBaseType_t uxTimerGetReloadMode(TimerHandle_t xTimer)
{
    return (UBaseType_t)xTimerGetReloadMode(xTimer);
}

TaskHandle_t xTimerGetTimerDaemonTaskHandle(void)
{
    configASSERT(service_task != NULL);
    return service_task;
}

#if configUSE_TRACE_FACILITY
UBaseType_t uxTimerGetTimerNumber(TimerHandle_t xTimer)
{
    return xTimer->number;
}

void vTimerSetTimerNumber(TimerHandle_t xTimer, UBaseType_t uxTimerNumber)
{
    xTimer->number = uxTimerNumber;
}
#endif

#endif /* configUSE_TIMERS */
