/* Alder kernel: the basic definitions every FreeRTOS application relies on (pdTRUE, pdMS_TO_TICKS, ...).
 * It must never depend on a port or a configuration beyond configTICK_RATE_HZ. */
#ifndef PROJDEFS_H
#define PROJDEFS_H

typedef void (*TaskFunction_t)(void *parameters);

/* Convert milliseconds to ticks; 64-bit intermediate so large values do not wrap. */
#ifndef pdMS_TO_TICKS
#define pdMS_TO_TICKS(ms) ((TickType_t)(((uint64_t)(ms) * (uint64_t)configTICK_RATE_HZ) / (uint64_t)1000U))
#endif
#ifndef pdTICKS_TO_MS
#define pdTICKS_TO_MS(ticks) ((TickType_t)(((uint64_t)(ticks) * (uint64_t)1000U) / (uint64_t)configTICK_RATE_HZ))
#endif

#define pdFALSE ((BaseType_t)0)
#define pdTRUE ((BaseType_t)1)
#define pdFALSE_SIGNED ((BaseType_t)0)
#define pdTRUE_SIGNED ((BaseType_t)1)
#define pdFALSE_UNSIGNED ((UBaseType_t)0)
#define pdTRUE_UNSIGNED ((UBaseType_t)1)
#define pdPASS (pdTRUE)
#define pdFAIL (pdFALSE)

#define errQUEUE_EMPTY ((BaseType_t)0)
#define errQUEUE_FULL ((BaseType_t)0)
#define errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY (-1)
#define errQUEUE_BLOCKED (-4)
#define errQUEUE_YIELD (-5)

#define pdBIG_ENDIAN 1
#define pdLITTLE_ENDIAN 0

#endif /* PROJDEFS_H */
