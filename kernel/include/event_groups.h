/* Alder kernel: event groups, sets of flag bits that tasks wait on, any or all at once.
 * It must never expose the group's layout, and its ISR calls must never walk the waiters in the ISR. */
#ifndef EVENT_GROUPS_H
#define EVENT_GROUPS_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before event_groups.h"
#endif

#include "timers.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The usable bits are all but the top 8 of TickType_t: 24 with 32-bit ticks, 8 with 16-bit
 * ticks (the top byte is the kernel's, see private/event_group_object.h).
 *
 * Setting bits may wake any number of waiters, so it is done with the scheduler suspended
 * rather than with interrupts masked, and an ISR never does it itself: the FromISR forms
 * hand the work to the timer service task with xTimerPendFunctionCallFromISR.
 */

typedef struct event_group_control *EventGroupHandle_t;
typedef TickType_t EventBits_t;

#if configSUPPORT_DYNAMIC_ALLOCATION
/* A group with every bit clear; NULL when out of memory. */
EventGroupHandle_t xEventGroupCreate(void);
#endif
#if configSUPPORT_STATIC_ALLOCATION
/* As xEventGroupCreate, in the application's buffer (never freed). */
EventGroupHandle_t xEventGroupCreateStatic(StaticEventGroup_t *pxEventGroupBuffer);
#endif

/* Wait at most xTicksToWait for any (xWaitForAllBits pdFALSE) or all of uxBitsToWaitFor (not 0).
 * Returns the group's bits when the wait ended: when it was met, before xClearOnExit cleared
 * the awaited bits; on timeout, the bits then (the caller checks which are set). Returns 0 when
 * the group was deleted during the wait. */
EventBits_t xEventGroupWaitBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToWaitFor,
                                const BaseType_t xClearOnExit, const BaseType_t xWaitForAllBits,
                                TickType_t xTicksToWait);

/* Set bits and wake every waiter they satisfy. Returns the bits when the call returns, which
 * may already lack bits that a woken waiter cleared on exit. */
EventBits_t xEventGroupSetBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet);

/* Clear bits; returns the bits before they were cleared. */
EventBits_t xEventGroupClearBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToClear);

#define xEventGroupGetBits(xEventGroup) xEventGroupClearBits((xEventGroup), 0)
EventBits_t xEventGroupGetBitsFromISR(EventGroupHandle_t xEventGroup);

/* Rendezvous: set uxBitsToSet, then wait at most xTicksToWait for all of uxBitsToWaitFor, which
 * are cleared for everyone when the last party arrives. Returns the bits at that moment (before
 * clearing), or the bits at timeout. */
EventBits_t xEventGroupSync(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet,
                            const EventBits_t uxBitsToWaitFor, TickType_t xTicksToWait);

/* Wake every waiter (their waits return 0), then free the group (unless static). */
void vEventGroupDelete(EventGroupHandle_t xEventGroup);

#if configSUPPORT_STATIC_ALLOCATION
/* pdTRUE and *ppxEventGroupBuffer set when the group was created with xEventGroupCreateStatic. */
BaseType_t xEventGroupGetStaticBuffer(EventGroupHandle_t xEventGroup, StaticEventGroup_t **ppxEventGroupBuffer);
#endif

#if configUSE_TIMERS
/* Queue the set (or clear) for the timer service task; pdPASS when queued, pdFAIL when its
 * queue is full. The bits change when the service task runs, which *pxHigherPriorityTaskWoken
 * asks for at the end of the ISR. */
BaseType_t xEventGroupSetBitsFromISR(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet,
                                     BaseType_t *pxHigherPriorityTaskWoken);
BaseType_t xEventGroupClearBitsFromISR(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToClear);
#endif

/* What the service task runs for the two calls above (PendedFunction_t signatures). */
void vEventGroupSetBitsCallback(void *pvEventGroup, uint32_t ulBitsToSet);
void vEventGroupClearBitsCallback(void *pvEventGroup, uint32_t ulBitsToClear);

#if configUSE_TRACE_FACILITY
UBaseType_t uxEventGroupGetNumber(void *xEventGroup);
void vEventGroupSetNumber(void *xEventGroup, UBaseType_t uxEventGroupNumber);
#endif

#ifdef __cplusplus
}
#endif

#endif /* EVENT_GROUPS_H */
