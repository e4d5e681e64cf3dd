/* Alder template board: the free-running counter behind run-time statistics (configGENERATE_RUN_TIME_STATS).
 * It must never count in ticks or take a lock: the kernel reads it inside the context switch, with interrupts masked. */
#include <stdint.h>

#include "FreeRTOS.h"

#include "not_implemented.h"

/*
 * Start a free-running hardware counter, 10 to 100 times faster than the tick (a spare timer
 * clocked from configCPU_CLOCK_HZ through a prescaler). Choose the rate so that 32 bits last: at
 * 1 MHz the count wraps after 71 minutes, which the statistics tolerate; at 25 MHz after 2.9.
 * In/out: nothing. Errors: none. Called: once, by vTaskStartScheduler (through
 *     portCONFIGURE_TIMER_FOR_RUN_TIME_STATS) just before the port starts the scheduler.
 *
 * Template: reports that it is missing and starts nothing.
 */
void board_run_time_init(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/freertos-config.md");
}

/*
 * The counter's current value, counting up (invert a down-counter), wrapping at 2^32.
 * In: nothing. Out: the count. Errors: none.
 * Called: on every context switch (interrupts masked) and by uxTaskGetSystemState, so it must be a
 *     register read: no critical section, no kernel call.
 *
 * Template: reports once and returns 0 (every task then shows no run time).
 */
uint32_t board_run_time_counter(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/freertos-config.md");
    return 0;
}
