/* Configuration of the out-of-tree test application: only what it needs, so Alder's defaults apply to the rest.
 * It must never repeat a default: a setting left out here is a default being tested. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

#define configUSE_MUTEXES 1
#define configUSE_RECURSIVE_MUTEXES 1
#define configUSE_COUNTING_SEMAPHORES 1
#define configUSE_TIMERS 1

#endif /* FREERTOS_CONFIG_H */
