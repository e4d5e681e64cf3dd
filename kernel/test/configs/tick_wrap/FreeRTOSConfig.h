/* Alder kernel tests: FreeRTOSConfig.h of the "tick_wrap" Kernel test image: the 32-bit tick wraps early in the run.
 * It must never hold board facts or settings beyond its variant's; configs/common has the rest. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

/* About two seconds of 1 kHz ticks before the count wraps, so the first cases run across it
 * and the delay tests can reach the wrap with xTaskCatchUpTicks. */
#define configINITIAL_TICK_COUNT ((TickType_t)(0xFFFFFFFFUL - 2000UL))

#include "../common/kernel_test_config.h"

#endif /* FREERTOS_CONFIG_H */
