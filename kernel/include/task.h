/* Alder kernel: the task API, with the FreeRTOS names and semantics applications are written against.
 * It must never expose the task control block's fields (they are private to tasks.c). */
#ifndef INC_TASK_H
#define INC_TASK_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before task.h"
#endif

#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The FreeRTOS API level this kernel is compatible with. Alder's own kernel version
 * (ALDER_KERNEL_VERSION_*) is separate and lives in alder_kernel_version.h (docs/releases.md). */
#define tskKERNEL_VERSION_NUMBER "V11.1.0"
#define tskKERNEL_VERSION_MAJOR 11
#define tskKERNEL_VERSION_MINOR 1
#define tskKERNEL_VERSION_BUILD 0
#include "alder_kernel_version.h"

typedef struct task_control *TaskHandle_t;
typedef BaseType_t (*TaskHookFunction_t)(void *);

typedef enum { eRunning = 0, eReady, eBlocked, eSuspended, eDeleted, eInvalid } eTaskState;

typedef enum {
    eNoAction = 0,
    eSetBits,
    eIncrement,
    eSetValueWithOverwrite,
    eSetValueWithoutOverwrite
} eNotifyAction;

typedef struct xTIME_OUT {
    BaseType_t xOverflowCount;
    TickType_t xTimeOnEntering;
} TimeOut_t;

typedef struct xTASK_STATUS {
    TaskHandle_t xHandle;
    const char *pcTaskName;
    UBaseType_t xTaskNumber;
    eTaskState eCurrentState;
    UBaseType_t uxCurrentPriority;
    UBaseType_t uxBasePriority;
    configRUN_TIME_COUNTER_TYPE ulRunTimeCounter;
    StackType_t *pxStackBase;
    configSTACK_DEPTH_TYPE usStackHighWaterMark;
} TaskStatus_t;

typedef enum { eAbortSleep = 0, eStandardSleep, eNoTasksWaitingTimeout } eSleepModeStatus;

#define tskIDLE_PRIORITY ((UBaseType_t)0U)
#define tskDEFAULT_INDEX_TO_NOTIFY 0

#define taskSCHEDULER_SUSPENDED ((BaseType_t)0)
#define taskSCHEDULER_NOT_STARTED ((BaseType_t)1)
#define taskSCHEDULER_RUNNING ((BaseType_t)2)

#define taskYIELD() portYIELD()
#define taskENTER_CRITICAL() portENTER_CRITICAL()
#define taskEXIT_CRITICAL() portEXIT_CRITICAL()
#define taskENTER_CRITICAL_FROM_ISR() portSET_INTERRUPT_MASK_FROM_ISR()
#define taskEXIT_CRITICAL_FROM_ISR(x) portCLEAR_INTERRUPT_MASK_FROM_ISR(x)
#define taskDISABLE_INTERRUPTS() portDISABLE_INTERRUPTS()
#define taskENABLE_INTERRUPTS() portENABLE_INTERRUPTS()

/* ---- creation and deletion ---- */
#if configSUPPORT_DYNAMIC_ALLOCATION
BaseType_t xTaskCreate(TaskFunction_t pxTaskCode, const char *pcName, configSTACK_DEPTH_TYPE uxStackDepth,
                       void *pvParameters, UBaseType_t uxPriority, TaskHandle_t *pxCreatedTask);
#endif
#if configSUPPORT_STATIC_ALLOCATION
TaskHandle_t xTaskCreateStatic(TaskFunction_t pxTaskCode, const char *pcName, configSTACK_DEPTH_TYPE uxStackDepth,
                               void *pvParameters, UBaseType_t uxPriority, StackType_t *puxStackBuffer,
                               StaticTask_t *pxTaskBuffer);
BaseType_t xTaskGetStaticBuffers(TaskHandle_t xTask, StackType_t **ppuxStackBuffer, StaticTask_t **ppxTaskBuffer);
#endif
void vTaskDelete(TaskHandle_t xTaskToDelete);

/* ---- control ---- */
void vTaskDelay(TickType_t xTicksToDelay);
BaseType_t xTaskDelayUntil(TickType_t *pxPreviousWakeTime, TickType_t xTimeIncrement);
#define vTaskDelayUntil(pxPreviousWakeTime, xTimeIncrement) ((void)xTaskDelayUntil((pxPreviousWakeTime), (xTimeIncrement)))
BaseType_t xTaskAbortDelay(TaskHandle_t xTask);
UBaseType_t uxTaskPriorityGet(TaskHandle_t xTask);
UBaseType_t uxTaskPriorityGetFromISR(TaskHandle_t xTask);
UBaseType_t uxTaskBasePriorityGet(TaskHandle_t xTask);
UBaseType_t uxTaskBasePriorityGetFromISR(TaskHandle_t xTask);
void vTaskPrioritySet(TaskHandle_t xTask, UBaseType_t uxNewPriority);
void vTaskSuspend(TaskHandle_t xTaskToSuspend);
void vTaskResume(TaskHandle_t xTaskToResume);
BaseType_t xTaskResumeFromISR(TaskHandle_t xTaskToResume);

/* ---- information ---- */
eTaskState eTaskGetState(TaskHandle_t xTask);
void vTaskGetInfo(TaskHandle_t xTask, TaskStatus_t *pxTaskStatus, BaseType_t xGetFreeStackSpace, eTaskState eState);
TaskHandle_t xTaskGetCurrentTaskHandle(void);
TaskHandle_t xTaskGetHandle(const char *pcNameToQuery);
TaskHandle_t xTaskGetIdleTaskHandle(void);
char *pcTaskGetName(TaskHandle_t xTaskToQuery);
TickType_t xTaskGetTickCount(void);
TickType_t xTaskGetTickCountFromISR(void);
UBaseType_t uxTaskGetNumberOfTasks(void);
UBaseType_t uxTaskGetStackHighWaterMark(TaskHandle_t xTask);
configSTACK_DEPTH_TYPE uxTaskGetStackHighWaterMark2(TaskHandle_t xTask);
BaseType_t xTaskGetSchedulerState(void);
UBaseType_t uxTaskGetSystemState(TaskStatus_t *pxTaskStatusArray, UBaseType_t uxArraySize,
                                 configRUN_TIME_COUNTER_TYPE *pulTotalRunTime);
void vTaskList(char *pcWriteBuffer);
void vTaskListTasks(char *pcWriteBuffer, size_t uxBufferLength);
void vTaskGetRunTimeStats(char *pcWriteBuffer);
void vTaskGetRunTimeStatistics(char *pcWriteBuffer, size_t uxBufferLength);
configRUN_TIME_COUNTER_TYPE ulTaskGetRunTimeCounter(TaskHandle_t xTask);
configRUN_TIME_COUNTER_TYPE ulTaskGetRunTimePercent(TaskHandle_t xTask);
configRUN_TIME_COUNTER_TYPE ulTaskGetIdleRunTimeCounter(void);
configRUN_TIME_COUNTER_TYPE ulTaskGetIdleRunTimePercent(void);
UBaseType_t uxTaskGetTaskNumber(TaskHandle_t xTask);
void vTaskSetTaskNumber(TaskHandle_t xTask, UBaseType_t uxHandle);

#if configNUM_THREAD_LOCAL_STORAGE_POINTERS > 0
void vTaskSetThreadLocalStoragePointer(TaskHandle_t xTaskToSet, BaseType_t xIndex, void *pvValue);
void *pvTaskGetThreadLocalStoragePointer(TaskHandle_t xTaskToQuery, BaseType_t xIndex);
#endif

#if configUSE_APPLICATION_TASK_TAG
void vTaskSetApplicationTaskTag(TaskHandle_t xTask, TaskHookFunction_t pxHookFunction);
TaskHookFunction_t xTaskGetApplicationTaskTag(TaskHandle_t xTask);
TaskHookFunction_t xTaskGetApplicationTaskTagFromISR(TaskHandle_t xTask);
BaseType_t xTaskCallApplicationTaskHook(TaskHandle_t xTask, void *pvParameter);
#endif

/* ---- scheduler ---- */
void vTaskStartScheduler(void);
void vTaskEndScheduler(void);
void vTaskSuspendAll(void);
BaseType_t xTaskResumeAll(void);
void vTaskStepTick(TickType_t xTicksToJump);
BaseType_t xTaskCatchUpTicks(TickType_t xTicksToCatchUp);
eSleepModeStatus eTaskConfirmSleepModeStatus(void);
void vTaskSetTimeOutState(TimeOut_t *pxTimeOut);
void vTaskInternalSetTimeOutState(TimeOut_t *pxTimeOut);
BaseType_t xTaskCheckForTimeOut(TimeOut_t *pxTimeOut, TickType_t *pxTicksToWait);
void vTaskMissedYield(void);

/* ---- direct-to-task notifications ---- */
BaseType_t xTaskGenericNotify(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify, uint32_t ulValue,
                              eNotifyAction eAction, uint32_t *pulPreviousNotificationValue);
BaseType_t xTaskGenericNotifyFromISR(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify, uint32_t ulValue,
                                     eNotifyAction eAction, uint32_t *pulPreviousNotificationValue,
                                     BaseType_t *pxHigherPriorityTaskWoken);
void vTaskGenericNotifyGiveFromISR(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify,
                                   BaseType_t *pxHigherPriorityTaskWoken);
BaseType_t xTaskGenericNotifyWait(UBaseType_t uxIndexToWaitOn, uint32_t ulBitsToClearOnEntry,
                                  uint32_t ulBitsToClearOnExit, uint32_t *pulNotificationValue,
                                  TickType_t xTicksToWait);
uint32_t ulTaskGenericNotifyTake(UBaseType_t uxIndexToWaitOn, BaseType_t xClearCountOnExit, TickType_t xTicksToWait);
BaseType_t xTaskGenericNotifyStateClear(TaskHandle_t xTask, UBaseType_t uxIndexToClear);
uint32_t ulTaskGenericNotifyValueClear(TaskHandle_t xTask, UBaseType_t uxIndexToClear, uint32_t ulBitsToClear);

#define xTaskNotify(t, v, a) xTaskGenericNotify((t), (tskDEFAULT_INDEX_TO_NOTIFY), (v), (a), NULL)
#define xTaskNotifyIndexed(t, i, v, a) xTaskGenericNotify((t), (i), (v), (a), NULL)
#define xTaskNotifyAndQuery(t, v, a, prev) xTaskGenericNotify((t), (tskDEFAULT_INDEX_TO_NOTIFY), (v), (a), (prev))
#define xTaskNotifyAndQueryIndexed(t, i, v, a, prev) xTaskGenericNotify((t), (i), (v), (a), (prev))
#define xTaskNotifyGive(t) xTaskGenericNotify((t), (tskDEFAULT_INDEX_TO_NOTIFY), (0), eIncrement, NULL)
#define xTaskNotifyGiveIndexed(t, i) xTaskGenericNotify((t), (i), (0), eIncrement, NULL)
#define xTaskNotifyFromISR(t, v, a, w) xTaskGenericNotifyFromISR((t), (tskDEFAULT_INDEX_TO_NOTIFY), (v), (a), NULL, (w))
#define xTaskNotifyIndexedFromISR(t, i, v, a, w) xTaskGenericNotifyFromISR((t), (i), (v), (a), NULL, (w))
#define xTaskNotifyAndQueryFromISR(t, v, a, prev, w)                                                       \
    xTaskGenericNotifyFromISR((t), (tskDEFAULT_INDEX_TO_NOTIFY), (v), (a), (prev), (w))
#define xTaskNotifyAndQueryIndexedFromISR(t, i, v, a, prev, w) xTaskGenericNotifyFromISR((t), (i), (v), (a), (prev), (w))
#define vTaskNotifyGiveFromISR(t, w) vTaskGenericNotifyGiveFromISR((t), (tskDEFAULT_INDEX_TO_NOTIFY), (w))
#define vTaskNotifyGiveIndexedFromISR(t, i, w) vTaskGenericNotifyGiveFromISR((t), (i), (w))
#define xTaskNotifyWait(e, x, v, t) xTaskGenericNotifyWait(tskDEFAULT_INDEX_TO_NOTIFY, (e), (x), (v), (t))
#define xTaskNotifyWaitIndexed(i, e, x, v, t) xTaskGenericNotifyWait((i), (e), (x), (v), (t))
#define ulTaskNotifyTake(c, t) ulTaskGenericNotifyTake((tskDEFAULT_INDEX_TO_NOTIFY), (c), (t))
#define ulTaskNotifyTakeIndexed(i, c, t) ulTaskGenericNotifyTake((i), (c), (t))
#define xTaskNotifyStateClear(t) xTaskGenericNotifyStateClear((t), (tskDEFAULT_INDEX_TO_NOTIFY))
#define xTaskNotifyStateClearIndexed(t, i) xTaskGenericNotifyStateClear((t), (i))
#define ulTaskNotifyValueClear(t, b) ulTaskGenericNotifyValueClear((t), (tskDEFAULT_INDEX_TO_NOTIFY), (b))
#define ulTaskNotifyValueClearIndexed(t, i, b) ulTaskGenericNotifyValueClear((t), (i), (b))

/* ---- the port's side of the scheduler (portable.h explains when a port calls these) ---- */
extern struct task_control *volatile pxCurrentTCB;
BaseType_t xTaskIncrementTick(void);
void vTaskSwitchContext(void);

/* ---- application hooks the kernel calls when enabled ---- */
void vApplicationIdleHook(void);
void vApplicationTickHook(void);
void vApplicationMallocFailedHook(void);
void vApplicationStackOverflowHook(TaskHandle_t xTask, char *pcTaskName);
void vApplicationGetIdleTaskMemory(StaticTask_t **ppxIdleTaskTCBBuffer, StackType_t **ppxIdleTaskStackBuffer,
                                   configSTACK_DEPTH_TYPE *puxIdleTaskStackSize);

#ifdef __cplusplus
}
#endif

#endif /* INC_TASK_H */
