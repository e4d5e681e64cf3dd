/* Alder kernel tests: FreeRTOSConfig.h of the Kernel test image "tick16": a 16-bit tick that wraps early in the run.
 * It must never hold board facts or settings beyond its variant's; configs/common has the rest. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_16_BITS
/* Wrap early in the run as well, like tick_wrap. */
#define configINITIAL_TICK_COUNT ((TickType_t)(0xFFFFU - 2000U))
/* test_delay.c: the wrap is near enough to reach in its first case. */
#define KT_EXPECT_TICK_WRAP 1

#include "../common/kernel_test_config.h"

#endif /* FREERTOS_CONFIG_H */
