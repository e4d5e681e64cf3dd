/* Alder benchmark: the full configuration without asserts (the anchor's first column).
 * It must never add checks: every one would count in the measured paths. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"
#include "../full_features.h"

#define configCHECK_FOR_STACK_OVERFLOW 0

#endif /* FREERTOS_CONFIG_H */
