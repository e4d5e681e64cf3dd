/* Alder kernel tests: FreeRTOSConfig.h of the Kernel test image "no_timeslice": no slicing, generic selection.
 * It must never hold board facts or settings beyond its variant's; configs/common has the rest. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

#define configUSE_TIME_SLICING 0
/* The generic highest-priority search, where every other image uses the port's bit scan. */
#define configUSE_PORT_OPTIMISED_TASK_SELECTION 0

#include "../common/kernel_test_config.h"

#endif /* FREERTOS_CONFIG_H */
