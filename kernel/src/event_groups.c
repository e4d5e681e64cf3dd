/* Alder kernel: event groups, flag bits that any number of tasks wait on, any or all at once.
 * It must never walk the waiters from an ISR, nor touch a group's memory from a waiter woken by its deletion. */
#include <string.h>

#include "kernel_internal.h"

#include "event_groups.h"

#if configUSE_EVENT_GROUPS

/*
 * Bits change only in task context (an ISR defers to the timer service task), and setting
 * them walks every waiter, so the set runs with the scheduler suspended instead of interrupts
 * masked; clearing, which walks nothing, masks interrupts briefly instead. Either excludes the
 * other, because no other task runs while one of them is in progress.
 */

#define awaited_bits(want) ((want) & ~EVENT_GROUP_CONTROL_BITS)

static void group_init(struct event_group_control *group)
{
    memset(group, 0, sizeof(*group)); /* no bits, dynamic, trace number 0 */
    list_init(&group->waiters);
}

#if configSUPPORT_DYNAMIC_ALLOCATION
EventGroupHandle_t xEventGroupCreate(void)
{
    struct event_group_control *group = pvPortMalloc(sizeof(*group));
    if (group != NULL) {
        group_init(group);
    }
    return group;
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
EventGroupHandle_t xEventGroupCreateStatic(StaticEventGroup_t *pxEventGroupBuffer)
{
    configASSERT(pxEventGroupBuffer != NULL);
    if (pxEventGroupBuffer != NULL) {
        group_init(pxEventGroupBuffer);
        pxEventGroupBuffer->is_static = 1;
    }
    return pxEventGroupBuffer;
}

BaseType_t xEventGroupGetStaticBuffer(EventGroupHandle_t xEventGroup, StaticEventGroup_t **ppxEventGroupBuffer)
{
    configASSERT(xEventGroup != NULL && ppxEventGroupBuffer != NULL);
    if (!xEventGroup->is_static) {
        return pdFALSE;
    }
    *ppxEventGroupBuffer = xEventGroup;
    return pdTRUE;
}
#endif

/* Whether `bits` meet a wait described by `want` (the awaited bits plus the flags). */
static BaseType_t wait_is_met(EventBits_t bits, TickType_t want)
{
    EventBits_t present = bits & awaited_bits(want);
    if (want & EVENT_GROUP_FLAG_WAIT_ALL) {
        return present == awaited_bits(want);
    }
    return present != 0;
}

/* After a wait that blocked: the bits that woke the task, or, on timeout, the bits now. Bits
 * that arrived between the timeout and now still count, and are cleared as the wait asked. */
static EventBits_t wait_result(struct event_group_control *group, TickType_t want)
{
    TickType_t value = task_take_event_value();
    if ((value & EVENT_GROUP_FLAG_UNBLOCKED) == 0) {
        taskENTER_CRITICAL();
        value = group->bits;
        if ((want & EVENT_GROUP_FLAG_CLEAR_ON_EXIT) && wait_is_met(value, want)) {
            group->bits &= ~awaited_bits(want);
        }
        taskEXIT_CRITICAL();
    }
    return awaited_bits(value);
}

/* The end of WaitBits and Sync, entered with the scheduler suspended (resumed here): return at
 * once if `observed` meets the wait or the caller will not wait, else block on the group. */
static EventBits_t wait_or_block(struct event_group_control *group, EventBits_t observed, TickType_t want,
                                 TickType_t ticks_to_wait)
{
    if (wait_is_met(observed, want)) {
        if (want & EVENT_GROUP_FLAG_CLEAR_ON_EXIT) {
            group->bits &= ~awaited_bits(want);
        }
        (void)xTaskResumeAll();
        return observed;
    }
    if (ticks_to_wait == 0) {
        observed = group->bits;
        (void)xTaskResumeAll();
        return observed;
    }
    task_wait_on_list_with_value(&group->waiters, want, ticks_to_wait);
    if (xTaskResumeAll() == pdFALSE) {
        portYIELD_WITHIN_API();
    }
    return wait_result(group, want);
}

EventBits_t xEventGroupWaitBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToWaitFor,
                                const BaseType_t xClearOnExit, const BaseType_t xWaitForAllBits,
                                TickType_t xTicksToWait)
{
    kernel_assert_may_block(xTicksToWait);
    configASSERT(xEventGroup != NULL);
    configASSERT(uxBitsToWaitFor != 0 && awaited_bits(uxBitsToWaitFor) == uxBitsToWaitFor);
    TickType_t want = uxBitsToWaitFor;
    if (xClearOnExit != pdFALSE) {
        want |= EVENT_GROUP_FLAG_CLEAR_ON_EXIT;
    }
    if (xWaitForAllBits != pdFALSE) {
        want |= EVENT_GROUP_FLAG_WAIT_ALL;
    }
    vTaskSuspendAll();
    return wait_or_block(xEventGroup, xEventGroup->bits, want, xTicksToWait);
}

EventBits_t xEventGroupSync(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet,
                            const EventBits_t uxBitsToWaitFor, TickType_t xTicksToWait)
{
    kernel_assert_may_block(xTicksToWait);
    configASSERT(xEventGroup != NULL);
    configASSERT(uxBitsToWaitFor != 0 && awaited_bits(uxBitsToWaitFor) == uxBitsToWaitFor);
    vTaskSuspendAll();
    /* Our bits may complete the rendezvous for the parties already waiting, who clear the
     * rendezvous bits as they leave; so ours is judged on the bits as they were plus ours. */
    EventBits_t observed = xEventGroup->bits | uxBitsToSet;
    (void)xEventGroupSetBits(xEventGroup, uxBitsToSet);
    return wait_or_block(xEventGroup, observed,
                         uxBitsToWaitFor | EVENT_GROUP_FLAG_WAIT_ALL | EVENT_GROUP_FLAG_CLEAR_ON_EXIT, xTicksToWait);
}

EventBits_t xEventGroupSetBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet)
{
    configASSERT(xEventGroup != NULL);
    configASSERT(awaited_bits(uxBitsToSet) == uxBitsToSet);
    List_t *waiters = &xEventGroup->waiters;
    EventBits_t to_clear = 0;
    vTaskSuspendAll();
    EventBits_t bits = xEventGroup->bits | uxBitsToSet;
    xEventGroup->bits = bits;
    /* Every waiter is judged on the same bits: clearing on exit happens after the walk. */
    ListItem_t *node = list_head(waiters);
    while (node != NULL) {
        ListItem_t *next = list_next(waiters, node);
        TickType_t want = node->value;
        if (wait_is_met(bits, want)) {
            if (want & EVENT_GROUP_FLAG_CLEAR_ON_EXIT) {
                to_clear |= awaited_bits(want);
            }
            if (task_wake_node(node, bits | EVENT_GROUP_FLAG_UNBLOCKED) != pdFALSE) {
                task_note_missed_yield();
            }
        }
        node = next;
    }
    bits &= ~to_clear;
    xEventGroup->bits = bits;
    /* Read before resuming: a woken task may delete the group as soon as we do. */
    (void)xTaskResumeAll();
    return bits;
}

EventBits_t xEventGroupClearBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToClear)
{
    configASSERT(xEventGroup != NULL);
    configASSERT(awaited_bits(uxBitsToClear) == uxBitsToClear);
    taskENTER_CRITICAL();
    EventBits_t before = xEventGroup->bits;
    xEventGroup->bits = before & ~uxBitsToClear;
    taskEXIT_CRITICAL();
    return before;
}

EventBits_t xEventGroupGetBitsFromISR(EventGroupHandle_t xEventGroup)
{
    configASSERT(xEventGroup != NULL);
    /* Masked because a tick-wide read is not atomic everywhere (64-bit ticks on a 32-bit CPU). */
    UBaseType_t mask = taskENTER_CRITICAL_FROM_ISR();
    EventBits_t bits = xEventGroup->bits;
    taskEXIT_CRITICAL_FROM_ISR(mask);
    return bits;
}

void vEventGroupDelete(EventGroupHandle_t xEventGroup)
{
    configASSERT(xEventGroup != NULL);
    ListItem_t *node;
    vTaskSuspendAll();
    /* Woken with no bits and the unblocked flag, a waiter returns 0 without looking at the
     * group again, so the group can go as soon as its waiters are off its list. */
    while ((node = list_head(&xEventGroup->waiters)) != NULL) {
        if (task_wake_node(node, EVENT_GROUP_FLAG_UNBLOCKED) != pdFALSE) {
            task_note_missed_yield();
        }
    }
    (void)xTaskResumeAll();
    if (!xEventGroup->is_static) {
        vPortFree(xEventGroup);
    }
}

void vEventGroupSetBitsCallback(void *pvEventGroup, uint32_t ulBitsToSet)
{
    (void)xEventGroupSetBits(pvEventGroup, (EventBits_t)ulBitsToSet);
}

void vEventGroupClearBitsCallback(void *pvEventGroup, uint32_t ulBitsToClear)
{
    (void)xEventGroupClearBits(pvEventGroup, (EventBits_t)ulBitsToClear);
}

#if configUSE_TIMERS
BaseType_t xEventGroupSetBitsFromISR(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet,
                                     BaseType_t *pxHigherPriorityTaskWoken)
{
    return xTimerPendFunctionCallFromISR(vEventGroupSetBitsCallback, xEventGroup, (uint32_t)uxBitsToSet,
                                         pxHigherPriorityTaskWoken);
}

BaseType_t xEventGroupClearBitsFromISR(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToClear)
{
    return xTimerPendFunctionCallFromISR(vEventGroupClearBitsCallback, xEventGroup, (uint32_t)uxBitsToClear, NULL);
}
#endif

#if configUSE_TRACE_FACILITY
UBaseType_t uxEventGroupGetNumber(void *xEventGroup)
{
    return xEventGroup != NULL ? ((struct event_group_control *)xEventGroup)->number : 0;
}

void vEventGroupSetNumber(void *xEventGroup, UBaseType_t uxEventGroupNumber)
{
    ((struct event_group_control *)xEventGroup)->number = uxEventGroupNumber;
}
#endif

#endif /* configUSE_EVENT_GROUPS */
