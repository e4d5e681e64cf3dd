/* Alder kernel tests: FreeRTOSConfig.h of the Kernel test image "static_only": no heap, static objects only.
 * It must never hold board facts or settings beyond its variant's; configs/common has the rest. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

/* The runner makes its tasks from static pools; cases that need a heap are compiled out. */
#define configSUPPORT_DYNAMIC_ALLOCATION 0
#define configSUPPORT_STATIC_ALLOCATION 1

#include "../common/kernel_test_config.h"

#endif /* FREERTOS_CONFIG_H */
