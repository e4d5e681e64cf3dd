/* Alder kernel tests: FreeRTOSConfig.h of the Kernel test image "full": every feature on.
 * It must never hold board facts or settings beyond its variant's; configs/common has the rest. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

#include "../common/kernel_test_config.h"

#endif /* FREERTOS_CONFIG_H */
