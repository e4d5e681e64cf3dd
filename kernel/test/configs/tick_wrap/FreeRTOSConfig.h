/* Alder kernel tests: FreeRTOSConfig.h of the Kernel test image "tick_wrap": a 32-bit tick that wraps early in the run.
 * It must never hold board facts or settings beyond its variant's; configs/common has the rest. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

/* About two seconds of 1 kHz ticks before the count wraps, so the first cases run across it
 * and the delay tests can reach the wrap with xTaskCatchUpTicks. */
#define configINITIAL_TICK_COUNT ((TickType_t)(0xFFFFFFFFUL - 2000UL))
/* test_delay.c: the wrap is near enough to reach in its first case. */
#define KT_EXPECT_TICK_WRAP 1

#include "../common/kernel_test_config.h"

#endif /* FREERTOS_CONFIG_H */
