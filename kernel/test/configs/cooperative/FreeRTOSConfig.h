/* Alder kernel tests: FreeRTOSConfig.h of the "cooperative" Kernel test image: no preemption: a task runs until it blocks or yields.
 * It must never hold board facts or settings beyond its variant's; configs/common has the rest. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

#define configUSE_PREEMPTION 0

#include "../common/kernel_test_config.h"

#endif /* FREERTOS_CONFIG_H */
