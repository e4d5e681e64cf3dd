/* Alder kernel: software timers and deferred function calls, run by the timer service task.
 * It must never expose the timer's layout or let an API call run a callback in the caller's context. */
#ifndef TIMERS_H
#define TIMERS_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before timers.h"
#endif

#include "task.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every operation on a started timer is a message to the timer service task (priority
 * configTIMER_TASK_PRIORITY), which owns the active timers and runs every callback. So a
 * call returns before the service task has acted on it, callbacks run one at a time in the
 * order their timers expire, and a callback must never block (it would stall every timer);
 * from a callback, pass a block time of 0.
 *
 * The ticks of a start or reset are counted from the moment of the call, not from when the
 * service task gets to it. An auto-reload timer whose service task was held up runs its
 * callback once for every period that passed.
 */

/* Command numbers sent to the service task; use them only through the macros below.
 * The FromISR commands must stay the highest (xTimerGenericCommand picks the ISR-safe
 * send for them). */
#define tmrCOMMAND_EXECUTE_CALLBACK_FROM_ISR ((BaseType_t)-2)
#define tmrCOMMAND_EXECUTE_CALLBACK ((BaseType_t)-1)
#define tmrCOMMAND_START_DONT_TRACE ((BaseType_t)0)
#define tmrCOMMAND_START ((BaseType_t)1)
#define tmrCOMMAND_RESET ((BaseType_t)2)
#define tmrCOMMAND_STOP ((BaseType_t)3)
#define tmrCOMMAND_CHANGE_PERIOD ((BaseType_t)4)
#define tmrCOMMAND_DELETE ((BaseType_t)5)
#define tmrFIRST_FROM_ISR_COMMAND ((BaseType_t)6)
#define tmrCOMMAND_START_FROM_ISR ((BaseType_t)6)
#define tmrCOMMAND_RESET_FROM_ISR ((BaseType_t)7)
#define tmrCOMMAND_STOP_FROM_ISR ((BaseType_t)8)
#define tmrCOMMAND_CHANGE_PERIOD_FROM_ISR ((BaseType_t)9)

typedef struct timer_control *TimerHandle_t;
typedef void (*TimerCallbackFunction_t)(TimerHandle_t timer);
typedef void (*PendedFunction_t)(void *arg1, uint32_t arg2);

/* A dormant timer; period > 0 ticks; auto_reload pdTRUE restarts it after every expiry.
 * The name is kept by pointer, not copied. NULL when out of memory. */
#if configSUPPORT_DYNAMIC_ALLOCATION
TimerHandle_t xTimerCreate(const char *const pcTimerName, const TickType_t xTimerPeriodInTicks,
                           const BaseType_t xAutoReload, void *const pvTimerID,
                           TimerCallbackFunction_t pxCallbackFunction);
#endif
/* As xTimerCreate, in the application's buffer (never freed, even by xTimerDelete). */
#if configSUPPORT_STATIC_ALLOCATION
TimerHandle_t xTimerCreateStatic(const char *const pcTimerName, const TickType_t xTimerPeriodInTicks,
                                 const BaseType_t xAutoReload, void *const pvTimerID,
                                 TimerCallbackFunction_t pxCallbackFunction, StaticTimer_t *pxTimerBuffer);
#endif

/* Queue one command for the service task. From a task it waits at most xTicksToWait for room
 * in the command queue (never before the scheduler runs or while it is suspended); a FromISR
 * command never waits and sets *pxHigherPriorityTaskWoken when the service task should run.
 * pdPASS when queued, pdFAIL when the queue stayed full. */
BaseType_t xTimerGenericCommand(TimerHandle_t xTimer, const BaseType_t xCommandID, const TickType_t xOptionalValue,
                                BaseType_t *const pxHigherPriorityTaskWoken, const TickType_t xTicksToWait);

/* The two spellings FreeRTOS V11 uses for the same thing. */
#define xTimerGenericCommandFromTask xTimerGenericCommand
#define xTimerGenericCommandFromISR xTimerGenericCommand

/* Start (or restart) the timer to expire one period after this call. */
#define xTimerStart(xTimer, xTicksToWait)                                                                              \
    xTimerGenericCommand((xTimer), tmrCOMMAND_START, xTaskGetTickCount(), NULL, (xTicksToWait))
/* Identical to xTimerStart. */
#define xTimerReset(xTimer, xTicksToWait)                                                                              \
    xTimerGenericCommand((xTimer), tmrCOMMAND_RESET, xTaskGetTickCount(), NULL, (xTicksToWait))
#define xTimerStop(xTimer, xTicksToWait) xTimerGenericCommand((xTimer), tmrCOMMAND_STOP, 0U, NULL, (xTicksToWait))
/* Set a new period (> 0) and start the timer to expire one new period after the service task
 * acts on it, whether it was running or dormant. */
#define xTimerChangePeriod(xTimer, xNewPeriod, xTicksToWait)                                                           \
    xTimerGenericCommand((xTimer), tmrCOMMAND_CHANGE_PERIOD, (xNewPeriod), NULL, (xTicksToWait))
/* Stop the timer and free it (a static timer only stops). Do not use the handle afterwards. */
#define xTimerDelete(xTimer, xTicksToWait) xTimerGenericCommand((xTimer), tmrCOMMAND_DELETE, 0U, NULL, (xTicksToWait))

#define xTimerStartFromISR(xTimer, pxHigherPriorityTaskWoken)                                                          \
    xTimerGenericCommand((xTimer), tmrCOMMAND_START_FROM_ISR, xTaskGetTickCountFromISR(), (pxHigherPriorityTaskWoken), \
                         0U)
#define xTimerResetFromISR(xTimer, pxHigherPriorityTaskWoken)                                                          \
    xTimerGenericCommand((xTimer), tmrCOMMAND_RESET_FROM_ISR, xTaskGetTickCountFromISR(), (pxHigherPriorityTaskWoken), \
                         0U)
#define xTimerStopFromISR(xTimer, pxHigherPriorityTaskWoken)                                                           \
    xTimerGenericCommand((xTimer), tmrCOMMAND_STOP_FROM_ISR, 0, (pxHigherPriorityTaskWoken), 0U)
#define xTimerChangePeriodFromISR(xTimer, xNewPeriod, pxHigherPriorityTaskWoken)                                       \
    xTimerGenericCommand((xTimer), tmrCOMMAND_CHANGE_PERIOD_FROM_ISR, (xNewPeriod), (pxHigherPriorityTaskWoken), 0U)

/* pdTRUE from the moment the service task starts the timer until it is stopped, deleted, or
 * (one-shot) expires. A start still in the queue does not count. */
BaseType_t xTimerIsTimerActive(TimerHandle_t xTimer);

void *pvTimerGetTimerID(const TimerHandle_t xTimer);
void vTimerSetTimerID(TimerHandle_t xTimer, void *pvNewID);
const char *pcTimerGetName(TimerHandle_t xTimer);
TickType_t xTimerGetPeriod(TimerHandle_t xTimer);
/* The tick at which an active timer next expires (meaningless for a dormant one). */
TickType_t xTimerGetExpiryTime(TimerHandle_t xTimer);

/* Takes effect from the timer's next expiry. */
void vTimerSetReloadMode(TimerHandle_t xTimer, const BaseType_t xAutoReload);
BaseType_t xTimerGetReloadMode(TimerHandle_t xTimer);
UBaseType_t uxTimerGetReloadMode(TimerHandle_t xTimer);

/* The service task; only valid once the scheduler has started. */
TaskHandle_t xTimerGetTimerDaemonTaskHandle(void);

#if configSUPPORT_STATIC_ALLOCATION
/* pdTRUE and *ppxTimerBuffer set when the timer was created with xTimerCreateStatic. */
BaseType_t xTimerGetStaticBuffer(TimerHandle_t xTimer, StaticTimer_t **ppxTimerBuffer);
#endif

/* Have the service task call xFunctionToPend(pvParameter1, ulParameter2), in order with the
 * timer commands. Defers work out of an ISR without a task of its own. pdPASS when queued. */
BaseType_t xTimerPendFunctionCall(PendedFunction_t xFunctionToPend, void *pvParameter1, uint32_t ulParameter2,
                                  TickType_t xTicksToWait);
BaseType_t xTimerPendFunctionCallFromISR(PendedFunction_t xFunctionToPend, void *pvParameter1, uint32_t ulParameter2,
                                         BaseType_t *pxHigherPriorityTaskWoken);

#if configUSE_TRACE_FACILITY
UBaseType_t uxTimerGetTimerNumber(TimerHandle_t xTimer);
void vTimerSetTimerNumber(TimerHandle_t xTimer, UBaseType_t uxTimerNumber);
#endif

/* Forget every timer and the service task, for a kernel that is started again in the same
 * program (tests on the simulator). Only while the scheduler is not running. */
void vTimerResetState(void);

/* Supplied by the application. */
#if configSUPPORT_STATIC_ALLOCATION
/* The service task's control block and stack (configTIMER_TASK_STACK_DEPTH words is usual);
 * tasks.c supplies it instead when configKERNEL_PROVIDED_STATIC_MEMORY is 1. */
void vApplicationGetTimerTaskMemory(StaticTask_t **ppxTimerTaskTCBBuffer, StackType_t **ppxTimerTaskStackBuffer,
                                    configSTACK_DEPTH_TYPE *puxTimerTaskStackSize);
#endif
#if configUSE_DAEMON_TASK_STARTUP_HOOK
/* Run once by the service task before it handles anything: a place for initialisation
 * that needs the scheduler running. */
void vApplicationDaemonTaskStartupHook(void);
#endif

#ifdef __cplusplus
}
#endif

#endif /* TIMERS_H */
