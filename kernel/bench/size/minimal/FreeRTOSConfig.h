/* Alder footprint: the minimal configuration of the anchor (preemption, 5 priorities, dynamic memory only).
 * It must never switch on a feature the anchor's minimal configuration lacks. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

#define configUSE_PREEMPTION 1
#define configMAX_PRIORITIES 5
#define configUSE_PORT_OPTIMISED_TASK_SELECTION 1
#define configSUPPORT_STATIC_ALLOCATION 0
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#define configUSE_TIMERS 0
#define configUSE_EVENT_GROUPS 0
#define configUSE_STREAM_BUFFERS 0
#define configUSE_MUTEXES 0
#define configUSE_RECURSIVE_MUTEXES 0
#define configUSE_COUNTING_SEMAPHORES 0
#define configUSE_TASK_NOTIFICATIONS 0
#define configUSE_TICKLESS_IDLE 0
#define configCHECK_FOR_STACK_OVERFLOW 0

#endif /* FREERTOS_CONFIG_H */
