/* Alder footprint: the anchor's full configuration, without asserts.
 * It must never differ from the benchmark's full configuration. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"
#include "../../mcu/full_features.h"

#define configCHECK_FOR_STACK_OVERFLOW 0

#endif /* FREERTOS_CONFIG_H */
