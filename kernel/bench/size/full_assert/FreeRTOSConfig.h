/* Alder footprint: the anchor's full configuration with configASSERT and stack overflow check method 2.
 * It must never differ from size/full except in those two checks. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"
#include "../../mcu/full_features.h"

#define configCHECK_FOR_STACK_OVERFLOW 2
#include "../../mcu/halt_assert.h"

#endif /* FREERTOS_CONFIG_H */
