/* Alder TLS benchmark configuration (posix board): what Secure Sockets with TLS needs, and no debugging checks.
 * It must never enable a check that adds work to the measured paths (asserts, stack checking, tracing). */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

#define configUSE_PREEMPTION 1
#define configUSE_TIME_SLICING 1
#define configUSE_PORT_OPTIMISED_TASK_SELECTION 1
#define configMAX_PRIORITIES 8
/* Tickless idle, as an application on the board would run: the CPU sleeps while the echo server works. */
#define configUSE_TICKLESS_IDLE 1
#define configUSE_MUTEXES 1
#define configUSE_COUNTING_SEMAPHORES 1
/* The board's sockets transport keeps its semaphores and callback task in static memory. */
#define configSUPPORT_STATIC_ALLOCATION 1
#define configKERNEL_PROVIDED_STATIC_MEMORY 1
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#define configCHECK_FOR_STACK_OVERFLOW 0

#endif /* FREERTOS_CONFIG_H */
