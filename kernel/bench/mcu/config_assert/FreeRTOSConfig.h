/* Alder benchmark: the full configuration with configASSERT (the anchor's second column).
 * It must never differ from config/ except in configASSERT. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"
#include "../full_features.h"

#define configCHECK_FOR_STACK_OVERFLOW 0
#include "../halt_assert.h"

#endif /* FREERTOS_CONFIG_H */
