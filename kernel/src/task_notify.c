/* Alder kernel: direct-to-task notifications, each task's array of 32-bit values and states.
 * It must never block or wake a task except through the helpers of task_private.h. */
#include "task_private.h"

#if configUSE_TASK_NOTIFICATIONS

/* Apply an action to a value; pdFAIL only for eSetValueWithoutOverwrite on a pending value. */
static BaseType_t apply_action(struct task_control *task, UBaseType_t index, uint32_t value, eNotifyAction action,
                               uint8_t previous_state)
{
    uint32_t *slot = &task->notify_value[index];
    switch (action) {
    case eSetBits:
        *slot |= value;
        break;
    case eIncrement:
        (*slot)++;
        break;
    case eSetValueWithOverwrite:
        *slot = value;
        break;
    case eSetValueWithoutOverwrite:
        if (previous_state == NOTIFY_RECEIVED) {
            return pdFAIL;
        }
        *slot = value;
        break;
    case eNoAction:
        break;
    default: /* not an eNotifyAction: treat as eNoAction */
        break;
    }
    return pdPASS;
}

/* The common body of every notify call; returns pdFAIL as apply_action does and sets *woke
 * when a waiting task was made ready (and outranks the running task). */
static BaseType_t notify(struct task_control *task, UBaseType_t index, uint32_t value, eNotifyAction action,
                         uint32_t *previous, BaseType_t *outranks)
{
    if (previous != NULL) {
        *previous = task->notify_value[index];
    }
    const uint8_t old_state = task->notify_state[index];
    const BaseType_t result = apply_action(task, index, value, action, old_state);
    if (result == pdFAIL) {
        return pdFAIL;
    }
    task->notify_state[index] = NOTIFY_RECEIVED;
    traceTASK_NOTIFY(index);
    if (old_state == NOTIFY_WAITING && task->state == TASK_BLOCKED) {
        configASSERT(!list_node_is_linked(&task->event_node));
        *outranks = task_wake_unlisted(task);
    }
    return pdPASS;
}

BaseType_t xTaskGenericNotify(TaskHandle_t task, UBaseType_t index, uint32_t value, eNotifyAction action,
                              uint32_t *previous)
{
    configASSERT(task != NULL && index < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    BaseType_t outranks = pdFALSE;
    taskENTER_CRITICAL();
    const BaseType_t result = notify(task, index, value, action, previous, &outranks);
    if (outranks) {
        kernel_yield_if_preempting();
    }
    taskEXIT_CRITICAL();
    return result;
}

BaseType_t xTaskGenericNotifyFromISR(TaskHandle_t task, UBaseType_t index, uint32_t value, eNotifyAction action,
                                     uint32_t *previous, BaseType_t *woken)
{
    configASSERT(task != NULL && index < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    portASSERT_IF_INTERRUPT_PRIORITY_INVALID();
    BaseType_t outranks = pdFALSE;
    const UBaseType_t mask = portSET_INTERRUPT_MASK_FROM_ISR();
    const BaseType_t result = notify(task, index, value, action, previous, &outranks);
    portCLEAR_INTERRUPT_MASK_FROM_ISR(mask);
    if (outranks && woken != NULL) {
        *woken = pdTRUE;
    }
    return result;
}

void vTaskGenericNotifyGiveFromISR(TaskHandle_t task, UBaseType_t index, BaseType_t *woken)
{
    (void)xTaskGenericNotifyFromISR(task, index, 0, eIncrement, NULL, woken);
}

/* Block the running task on its notification `index` unless one is already pending. */
static void wait_for_notification(UBaseType_t index, TickType_t ticks)
{
    pxCurrentTCB->notify_state[index] = NOTIFY_WAITING;
    if (ticks > 0) {
        traceTASK_NOTIFY_WAIT(index);
        task_block_current(ticks);
        portYIELD_WITHIN_API();
    }
}

BaseType_t xTaskGenericNotifyWait(UBaseType_t index, uint32_t clear_on_entry, uint32_t clear_on_exit,
                                  uint32_t *value, TickType_t ticks)
{
    configASSERT(index < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    kernel_assert_may_block(ticks);
    taskENTER_CRITICAL();
    if (pxCurrentTCB->notify_state[index] != NOTIFY_RECEIVED) {
        pxCurrentTCB->notify_value[index] &= ~clear_on_entry;
        wait_for_notification(index, ticks);
    }
    taskEXIT_CRITICAL(); /* the switch, if the task blocked, happens here */

    taskENTER_CRITICAL();
    struct task_control *self = pxCurrentTCB;
    if (value != NULL) {
        *value = self->notify_value[index];
    }
    const BaseType_t received = self->notify_state[index] == NOTIFY_RECEIVED ? pdTRUE : pdFALSE;
    if (received) {
        self->notify_value[index] &= ~clear_on_exit;
    }
    self->notify_state[index] = NOTIFY_IDLE;
    taskEXIT_CRITICAL();
    return received;
}

uint32_t ulTaskGenericNotifyTake(UBaseType_t index, BaseType_t clear_on_exit, TickType_t ticks)
{
    configASSERT(index < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    kernel_assert_may_block(ticks);
    taskENTER_CRITICAL();
    if (pxCurrentTCB->notify_value[index] == 0) {
        wait_for_notification(index, ticks);
    }
    taskEXIT_CRITICAL();

    taskENTER_CRITICAL();
    struct task_control *self = pxCurrentTCB;
    const uint32_t count = self->notify_value[index];
    if (count != 0) {
        self->notify_value[index] = clear_on_exit ? 0 : count - 1;
    }
    self->notify_state[index] = NOTIFY_IDLE;
    taskEXIT_CRITICAL();
    return count;
}

BaseType_t xTaskGenericNotifyStateClear(TaskHandle_t handle, UBaseType_t index)
{
    configASSERT(index < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    struct task_control *task = task_or_current(handle);
    configASSERT(task != NULL);
    BaseType_t was_pending = pdFALSE;
    taskENTER_CRITICAL();
    if (task->notify_state[index] == NOTIFY_RECEIVED) {
        task->notify_state[index] = NOTIFY_IDLE;
        was_pending = pdTRUE;
    }
    taskEXIT_CRITICAL();
    return was_pending;
}

uint32_t ulTaskGenericNotifyValueClear(TaskHandle_t handle, UBaseType_t index, uint32_t bits)
{
    configASSERT(index < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    struct task_control *task = task_or_current(handle);
    configASSERT(task != NULL);
    taskENTER_CRITICAL();
    const uint32_t before = task->notify_value[index];
    task->notify_value[index] &= ~bits;
    taskEXIT_CRITICAL();
    return before;
}

#endif /* configUSE_TASK_NOTIFICATIONS */
