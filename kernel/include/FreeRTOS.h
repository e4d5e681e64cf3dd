/* Alder kernel: the first header every application includes: configuration, defaults, base types.
 * It must never let a missing or contradictory setting pass silently: each #error says how to fix it. */
#ifndef INC_FREERTOS_H
#define INC_FREERTOS_H

#include <stddef.h>
#include <stdint.h>

#include "FreeRTOSConfig.h"

/* ---- tick type (needed by the port header) ---- */
#define TICK_TYPE_WIDTH_16_BITS 0
#define TICK_TYPE_WIDTH_32_BITS 1
#define TICK_TYPE_WIDTH_64_BITS 2

#ifndef configTICK_TYPE_WIDTH_IN_BITS
#if defined(configUSE_16_BIT_TICKS) && (configUSE_16_BIT_TICKS == 1)
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_16_BITS
#else
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_32_BITS
#endif
#endif

#if configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_16_BITS
typedef uint16_t TickType_t;
#define portMAX_DELAY ((TickType_t)0xffffU)
#elif configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_32_BITS
typedef uint32_t TickType_t;
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
#elif configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_64_BITS
typedef uint64_t TickType_t;
#define portMAX_DELAY ((TickType_t)0xffffffffffffffffULL)
#else
#error "configTICK_TYPE_WIDTH_IN_BITS must be TICK_TYPE_WIDTH_16_BITS, TICK_TYPE_WIDTH_32_BITS or TICK_TYPE_WIDTH_64_BITS"
#endif

/* ---- settings a board usually supplies; the port may offer a default ---- */
#ifndef configTICK_RATE_HZ
#define configTICK_RATE_HZ 1000
#endif

#include "projdefs.h"
#include "portable.h"

#ifndef configMINIMAL_STACK_SIZE
#ifdef portDEFAULT_MINIMAL_STACK_SIZE
#define configMINIMAL_STACK_SIZE portDEFAULT_MINIMAL_STACK_SIZE
#else
#error "define configMINIMAL_STACK_SIZE (in words) in FreeRTOSConfig.h"
#endif
#endif

#ifndef configTOTAL_HEAP_SIZE
#ifdef portDEFAULT_TOTAL_HEAP_SIZE
#define configTOTAL_HEAP_SIZE portDEFAULT_TOTAL_HEAP_SIZE
#else
#define configTOTAL_HEAP_SIZE 0
#endif
#endif

#ifndef portTICK_PERIOD_MS
#define portTICK_PERIOD_MS ((TickType_t)1000 / (TickType_t)configTICK_RATE_HZ)
#endif

/* ---- scheduling ---- */
#ifndef configUSE_PREEMPTION
#define configUSE_PREEMPTION 1
#endif
#ifndef configUSE_TIME_SLICING
#define configUSE_TIME_SLICING 1
#endif
#ifndef configUSE_PORT_OPTIMISED_TASK_SELECTION
#define configUSE_PORT_OPTIMISED_TASK_SELECTION 0
#endif
#ifndef configMAX_PRIORITIES
#define configMAX_PRIORITIES 5
#endif
#ifndef configIDLE_SHOULD_YIELD
#define configIDLE_SHOULD_YIELD 1
#endif
#ifndef configUSE_TICKLESS_IDLE
#define configUSE_TICKLESS_IDLE 0
#endif
#ifndef configEXPECTED_IDLE_TIME_BEFORE_SLEEP
#define configEXPECTED_IDLE_TIME_BEFORE_SLEEP 2
#endif
#ifndef configINITIAL_TICK_COUNT
#define configINITIAL_TICK_COUNT 0
#endif
#ifndef configMAX_TASK_NAME_LEN
#define configMAX_TASK_NAME_LEN 16
#endif
#ifndef configIDLE_TASK_NAME
#define configIDLE_TASK_NAME "IDLE"
#endif
#ifndef configSTACK_DEPTH_TYPE
#define configSTACK_DEPTH_TYPE StackType_t
#endif
#ifndef configTASK_NOTIFICATION_ARRAY_ENTRIES
#define configTASK_NOTIFICATION_ARRAY_ENTRIES 1
#endif
#ifndef configUSE_TASK_NOTIFICATIONS
#define configUSE_TASK_NOTIFICATIONS 1
#endif
#ifndef configNUM_THREAD_LOCAL_STORAGE_POINTERS
#define configNUM_THREAD_LOCAL_STORAGE_POINTERS 0
#endif

/* ---- objects ---- */
#ifndef configUSE_MUTEXES
#define configUSE_MUTEXES 0
#endif
#ifndef configUSE_RECURSIVE_MUTEXES
#define configUSE_RECURSIVE_MUTEXES 0
#endif
#ifndef configUSE_COUNTING_SEMAPHORES
#define configUSE_COUNTING_SEMAPHORES 0
#endif
#ifndef configUSE_QUEUE_SETS
#define configUSE_QUEUE_SETS 0
#endif
#ifndef configQUEUE_REGISTRY_SIZE
#define configQUEUE_REGISTRY_SIZE 0
#endif
#ifndef configUSE_TIMERS
#define configUSE_TIMERS 0
#endif
#ifndef configTIMER_TASK_PRIORITY
#define configTIMER_TASK_PRIORITY (configMAX_PRIORITIES - 1)
#endif
#ifndef configTIMER_QUEUE_LENGTH
#define configTIMER_QUEUE_LENGTH 10
#endif
#ifndef configTIMER_TASK_STACK_DEPTH
#define configTIMER_TASK_STACK_DEPTH configMINIMAL_STACK_SIZE
#endif
#ifndef configTIMER_SERVICE_TASK_NAME
#define configTIMER_SERVICE_TASK_NAME "Tmr Svc"
#endif
#ifndef configUSE_EVENT_GROUPS
#define configUSE_EVENT_GROUPS 1
#endif
#ifndef configUSE_STREAM_BUFFERS
#define configUSE_STREAM_BUFFERS 1
#endif
#ifndef configUSE_SB_COMPLETED_CALLBACK
#define configUSE_SB_COMPLETED_CALLBACK 0
#endif
#ifndef configMESSAGE_BUFFER_LENGTH_TYPE
#define configMESSAGE_BUFFER_LENGTH_TYPE size_t
#endif

/* ---- memory ---- */
#ifndef configSUPPORT_STATIC_ALLOCATION
#define configSUPPORT_STATIC_ALLOCATION 0
#endif
#ifndef configSUPPORT_DYNAMIC_ALLOCATION
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#endif
#ifndef configHEAP_CLEAR_MEMORY_ON_FREE
#define configHEAP_CLEAR_MEMORY_ON_FREE 0
#endif
#ifndef configAPPLICATION_ALLOCATED_HEAP
#define configAPPLICATION_ALLOCATED_HEAP 0
#endif

/* ---- hooks, checks, statistics ---- */
#ifndef configUSE_IDLE_HOOK
#define configUSE_IDLE_HOOK 0
#endif
#ifndef configUSE_TICK_HOOK
#define configUSE_TICK_HOOK 0
#endif
#ifndef configUSE_MALLOC_FAILED_HOOK
#define configUSE_MALLOC_FAILED_HOOK 0
#endif
#ifndef configUSE_DAEMON_TASK_STARTUP_HOOK
#define configUSE_DAEMON_TASK_STARTUP_HOOK 0
#endif
#ifndef configCHECK_FOR_STACK_OVERFLOW
#define configCHECK_FOR_STACK_OVERFLOW 0
#endif
#ifndef configUSE_TRACE_FACILITY
#define configUSE_TRACE_FACILITY 0
#endif
#ifndef configUSE_STATS_FORMATTING_FUNCTIONS
#define configUSE_STATS_FORMATTING_FUNCTIONS 0
#endif
#ifndef configGENERATE_RUN_TIME_STATS
#define configGENERATE_RUN_TIME_STATS 0
#endif
#ifndef configRUN_TIME_COUNTER_TYPE
#define configRUN_TIME_COUNTER_TYPE uint32_t
#endif
#ifndef configASSERT
#define configASSERT(x) ((void)0)
#define configASSERT_DEFINED 0
#else
#define configASSERT_DEFINED 1
#endif
#ifndef configPRE_SLEEP_PROCESSING
#define configPRE_SLEEP_PROCESSING(idle_ticks)
#endif
#ifndef configPOST_SLEEP_PROCESSING
#define configPOST_SLEEP_PROCESSING(idle_ticks)
#endif
#ifndef configENABLE_BACKWARD_COMPATIBILITY
#define configENABLE_BACKWARD_COMPATIBILITY 1
#endif

/* Alder compiles every API function; unused ones are dropped at link time (--gc-sections).
 * The INCLUDE_ switches are accepted for compatibility and default to 1. */
#ifndef INCLUDE_vTaskPrioritySet
#define INCLUDE_vTaskPrioritySet 1
#endif
#ifndef INCLUDE_uxTaskPriorityGet
#define INCLUDE_uxTaskPriorityGet 1
#endif
#ifndef INCLUDE_vTaskDelete
#define INCLUDE_vTaskDelete 1
#endif
#ifndef INCLUDE_vTaskSuspend
#define INCLUDE_vTaskSuspend 1
#endif
#ifndef INCLUDE_xTaskDelayUntil
#define INCLUDE_xTaskDelayUntil 1
#endif
#ifndef INCLUDE_vTaskDelayUntil
#define INCLUDE_vTaskDelayUntil 1
#endif
#ifndef INCLUDE_vTaskDelay
#define INCLUDE_vTaskDelay 1
#endif
#ifndef INCLUDE_xTaskGetSchedulerState
#define INCLUDE_xTaskGetSchedulerState 1
#endif
#ifndef INCLUDE_xTaskGetCurrentTaskHandle
#define INCLUDE_xTaskGetCurrentTaskHandle 1
#endif
#ifndef INCLUDE_uxTaskGetStackHighWaterMark
#define INCLUDE_uxTaskGetStackHighWaterMark 1
#endif
#ifndef INCLUDE_uxTaskGetStackHighWaterMark2
#define INCLUDE_uxTaskGetStackHighWaterMark2 1
#endif
#ifndef INCLUDE_xTaskGetIdleTaskHandle
#define INCLUDE_xTaskGetIdleTaskHandle 1
#endif
#ifndef INCLUDE_eTaskGetState
#define INCLUDE_eTaskGetState 1
#endif
#ifndef INCLUDE_xTaskResumeFromISR
#define INCLUDE_xTaskResumeFromISR 1
#endif
#ifndef INCLUDE_xTaskAbortDelay
#define INCLUDE_xTaskAbortDelay 1
#endif
#ifndef INCLUDE_xTaskGetHandle
#define INCLUDE_xTaskGetHandle 1
#endif
#ifndef INCLUDE_xTimerPendFunctionCall
#define INCLUDE_xTimerPendFunctionCall 1
#endif
#ifndef INCLUDE_xSemaphoreGetMutexHolder
#define INCLUDE_xSemaphoreGetMutexHolder 1
#endif
#ifndef INCLUDE_xQueueGetMutexHolder
#define INCLUDE_xQueueGetMutexHolder 1
#endif
#ifndef INCLUDE_xEventGroupSetBitFromISR
#define INCLUDE_xEventGroupSetBitFromISR 1
#endif

/* ---- port items with defaults ---- */
#ifndef portSTACK_ALLOCATED
#define portSTACK_ALLOCATED(low, bytes)
#endif
#ifndef portSTACK_RELEASED
#define portSTACK_RELEASED(low)
#endif
#ifndef portASSERT_IF_INTERRUPT_PRIORITY_INVALID
#define portASSERT_IF_INTERRUPT_PRIORITY_INVALID()
#endif
#ifndef portIS_INSIDE_INTERRUPT
#define portIS_INSIDE_INTERRUPT() 0
#endif
/* A tick wider than the CPU's word is read in two loads: mask the tick while reading it. */
#ifndef portTICK_TYPE_ENTER_CRITICAL
#if configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_64_BITS && UINTPTR_MAX <= 0xffffffffu
#define portTICK_TYPE_ENTER_CRITICAL() portENTER_CRITICAL()
#define portTICK_TYPE_EXIT_CRITICAL() portEXIT_CRITICAL()
#else
#define portTICK_TYPE_ENTER_CRITICAL()
#define portTICK_TYPE_EXIT_CRITICAL()
#endif
#endif
#ifndef portYIELD_WITHIN_API
#define portYIELD_WITHIN_API portYIELD
#endif
#ifndef portCONFIGURE_TIMER_FOR_RUN_TIME_STATS
#define portCONFIGURE_TIMER_FOR_RUN_TIME_STATS()
#endif
#ifndef portMEMORY_BARRIER
#define portMEMORY_BARRIER() __asm volatile("" ::: "memory")
#endif
#ifndef portNOP
#define portNOP()
#endif
#ifndef portDONT_DISCARD
#define portDONT_DISCARD __attribute__((used))
#endif
#ifndef portTASK_FUNCTION_PROTO
#define portTASK_FUNCTION_PROTO(name, params) void name(void *params)
#endif
#ifndef portTASK_FUNCTION
#define portTASK_FUNCTION(name, params) void name(void *params)
#endif
#ifndef portPRIVILEGE_BIT
#define portPRIVILEGE_BIT ((UBaseType_t)0x00)
#endif
#ifndef portCLEAN_UP_TCB
#define portCLEAN_UP_TCB(tcb) (void)(tcb)
#endif
#ifndef portSETUP_TCB
#define portSETUP_TCB(tcb) (void)(tcb)
#endif

/* ---- consistency checks ---- */
#if configUSE_CO_ROUTINES
#error "Alder has no co-routines: set configUSE_CO_ROUTINES to 0 and use tasks"
#endif
#if configMAX_PRIORITIES < 1
#error "configMAX_PRIORITIES must be at least 1"
#endif
#if configUSE_PORT_OPTIMISED_TASK_SELECTION && !defined(portHIGHEST_SET_BIT)
#error "this port has no optimised task selection: set configUSE_PORT_OPTIMISED_TASK_SELECTION to 0"
#endif
#if configUSE_PORT_OPTIMISED_TASK_SELECTION && configMAX_PRIORITIES > 32
#error "optimised task selection supports at most 32 priorities: lower configMAX_PRIORITIES"
#endif
#if configMAX_PRIORITIES > 255
#error "configMAX_PRIORITIES must be at most 255"
#endif
#if !configSUPPORT_STATIC_ALLOCATION && !configSUPPORT_DYNAMIC_ALLOCATION
#error "set configSUPPORT_STATIC_ALLOCATION or configSUPPORT_DYNAMIC_ALLOCATION (or both) to 1"
#endif
#if configUSE_RECURSIVE_MUTEXES && !configUSE_MUTEXES
#error "recursive mutexes need configUSE_MUTEXES 1"
#endif
#if configUSE_TICKLESS_IDLE && !defined(portSUPPRESS_TICKS_AND_SLEEP)
#error "this port has no tickless idle: set configUSE_TICKLESS_IDLE to 0"
#endif
#if configGENERATE_RUN_TIME_STATS && !defined(portGET_RUN_TIME_COUNTER_VALUE) && !defined(portALT_GET_RUN_TIME_COUNTER_VALUE)
#error "configGENERATE_RUN_TIME_STATS needs portGET_RUN_TIME_COUNTER_VALUE() in FreeRTOSConfig.h or the port"
#endif
#if configUSE_TIMERS && configTIMER_TASK_PRIORITY >= configMAX_PRIORITIES
#error "configTIMER_TASK_PRIORITY must be below configMAX_PRIORITIES"
#endif
#if configTASK_NOTIFICATION_ARRAY_ENTRIES < 1
#error "configTASK_NOTIFICATION_ARRAY_ENTRIES must be at least 1"
#endif
#if configMAX_TASK_NAME_LEN < 1
#error "configMAX_TASK_NAME_LEN must be at least 1"
#endif

/* ---- trace hooks: empty unless a tracer defines them in FreeRTOSConfig.h ---- */
#ifndef traceSTART
#define traceSTART()
#endif
#ifndef traceEND
#define traceEND()
#endif
#ifndef traceTASK_SWITCHED_IN
#define traceTASK_SWITCHED_IN()
#endif
#ifndef traceTASK_SWITCHED_OUT
#define traceTASK_SWITCHED_OUT()
#endif
#ifndef traceTASK_CREATE
#define traceTASK_CREATE(task)
#endif
#ifndef traceTASK_CREATE_FAILED
#define traceTASK_CREATE_FAILED()
#endif
#ifndef traceTASK_DELETE
#define traceTASK_DELETE(task)
#endif
#ifndef traceTASK_DELAY
#define traceTASK_DELAY()
#endif
#ifndef traceTASK_DELAY_UNTIL
#define traceTASK_DELAY_UNTIL(wake_time)
#endif
#ifndef traceTASK_SUSPEND
#define traceTASK_SUSPEND(task)
#endif
#ifndef traceTASK_RESUME
#define traceTASK_RESUME(task)
#endif
#ifndef traceTASK_RESUME_FROM_ISR
#define traceTASK_RESUME_FROM_ISR(task)
#endif
#ifndef traceTASK_PRIORITY_SET
#define traceTASK_PRIORITY_SET(task, priority)
#endif
#ifndef traceTASK_PRIORITY_INHERIT
#define traceTASK_PRIORITY_INHERIT(task, priority)
#endif
#ifndef traceTASK_PRIORITY_DISINHERIT
#define traceTASK_PRIORITY_DISINHERIT(task, priority)
#endif
#ifndef traceTASK_INCREMENT_TICK
#define traceTASK_INCREMENT_TICK(tick_count)
#endif
#ifndef traceMOVED_TASK_TO_READY_STATE
#define traceMOVED_TASK_TO_READY_STATE(task)
#endif
#ifndef traceBLOCKING_ON_QUEUE_SEND
#define traceBLOCKING_ON_QUEUE_SEND(queue)
#endif
#ifndef traceBLOCKING_ON_QUEUE_RECEIVE
#define traceBLOCKING_ON_QUEUE_RECEIVE(queue)
#endif
#ifndef traceQUEUE_CREATE
#define traceQUEUE_CREATE(queue)
#endif
#ifndef traceQUEUE_DELETE
#define traceQUEUE_DELETE(queue)
#endif
#ifndef traceQUEUE_SEND
#define traceQUEUE_SEND(queue)
#endif
#ifndef traceQUEUE_RECEIVE
#define traceQUEUE_RECEIVE(queue)
#endif
#ifndef traceTASK_NOTIFY
#define traceTASK_NOTIFY(index)
#endif
#ifndef traceTASK_NOTIFY_WAIT
#define traceTASK_NOTIFY_WAIT(index)
#endif
#ifndef traceLOW_POWER_IDLE_BEGIN
#define traceLOW_POWER_IDLE_BEGIN()
#endif
#ifndef traceLOW_POWER_IDLE_END
#define traceLOW_POWER_IDLE_END()
#endif
#ifndef traceMALLOC
#define traceMALLOC(address, size)
#endif
#ifndef traceFREE
#define traceFREE(address, size)
#endif

/* ---- opaque handles and the statically allocatable object types ---- */
struct task_control;
struct queue_control;

#include "private/task_object.h"
#include "private/queue_object.h"
#include "private/timer_object.h"
#include "private/event_group_object.h"
#include "private/stream_buffer_object.h"

typedef struct task_control StaticTask_t;
typedef struct queue_control StaticQueue_t;
typedef struct timer_control StaticTimer_t;
typedef struct event_group_control StaticEventGroup_t;
typedef struct stream_buffer StaticStreamBuffer_t;
typedef StaticStreamBuffer_t StaticMessageBuffer_t;
typedef StaticQueue_t StaticSemaphore_t;

/* ---- names kept for applications written for older kernels ---- */
#if configENABLE_BACKWARD_COMPATIBILITY
#define portTickType TickType_t
#define xTaskHandle TaskHandle_t
#define xQueueHandle QueueHandle_t
#define xSemaphoreHandle SemaphoreHandle_t
#define xTimerHandle TimerHandle_t
#define pdTASK_CODE TaskFunction_t
#define portTICK_RATE_MS portTICK_PERIOD_MS
#endif

#endif /* INC_FREERTOS_H */
