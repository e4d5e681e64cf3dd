/* Configuration of the kernel demo: the board's facts plus the features the demo shows off.
 * It must never set a hardware fact (clock, heap size): those belong to the board. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "board_config.h"

#define configUSE_TIMERS 1
#define configUSE_TRACE_FACILITY 1
#define configUSE_STATS_FORMATTING_FUNCTIONS 1
#define configGENERATE_RUN_TIME_STATS 1
#define configCHECK_FOR_STACK_OVERFLOW 2

/* Run-time statistics want a clock faster than the tick. When the board has none, count
 * ticks in the tick hook: coarse, but it works on every board. */
#if !defined(portGET_RUN_TIME_COUNTER_VALUE) && !defined(portALT_GET_RUN_TIME_COUNTER_VALUE)
#define DEMO_RUN_TIME_FROM_TICK_HOOK 1
#define configUSE_TICK_HOOK 1
extern volatile unsigned long demo_run_time_ticks;
#define portGET_RUN_TIME_COUNTER_VALUE() demo_run_time_ticks
#endif

void demo_assert_failed(const char *file, int line);
#define configASSERT(x)                                                                                                \
    do {                                                                                                               \
        if (!(x))                                                                                                      \
            demo_assert_failed(__FILE__, __LINE__);                                                                    \
    } while (0)

#endif /* FREERTOS_CONFIG_H */
