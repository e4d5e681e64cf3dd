/* Alder template board: the hardware facts every FreeRTOSConfig.h of the board includes first, with how to choose each.
 * It must never set application policy (features, priorities, hooks): the FreeRTOSConfig.h files do that. */
#ifndef ALDER_BOARD_CONFIG_H
#define ALDER_BOARD_CONFIG_H

/*
 * The values below describe Alder's minimum device (25 MHz, 64 KB RAM). Replace each with your
 * part's, from its datasheet and your linker script. Every test image and application of the
 * board includes this file first, so a fact stated here is stated once.
 */

/* The core clock after board_init() has set up the PLL, in Hz: what the tick timer counts (unless
 * your port reads a separate timer clock). A wrong value shows as a tick that runs fast or slow:
 * the Kernel group's delay tests fail by the same ratio. */
#define configCPU_CLOCK_HZ 25000000UL

/* Ticks per second. 1000 gives 1 ms resolution and is what the tests expect; a slower tick
 * (100 Hz) saves power but coarsens every timeout. The clock must divide into it with the tick
 * timer's reload range. */
#define configTICK_RATE_HZ 1000

/*
 * The kernel heap in bytes: task stacks, control blocks, queues, timers. It is a static array in
 * .bss (first_fit), so choose it from your RAM: RAM minus .data, the other .bss, and the startup
 * (interrupt) stack. Look at the map file after linking; if the largest test image does not fit,
 * lower it and turn ALDER_BOARD_SPLIT_TEST_IMAGES on in board.cmake. 44 KB fits 64 KB of RAM.
 */
#define configTOTAL_HEAP_SIZE ((size_t)44 * 1024)

/*
 * The idle task's stack, and the unit other stacks are sized in, counted in StackType_t words
 * (4 bytes on a 32-bit CPU). It must hold the deepest call chain of a small task plus one saved
 * context (and an interrupt frame, if your CPU's interrupts use the task's stack rather than a
 * stack of their own). 160 words (640 bytes) suits Cortex-M; raise it if the stack-overflow check
 * (configCHECK_FOR_STACK_OVERFLOW 2) fires in the idle or timer task.
 */
#define configMINIMAL_STACK_SIZE 160

/*
 * Interrupt priorities. If your port masks by priority level (like armv7m's
 * configMAX_SYSCALL_INTERRUPT_PRIORITY), its README names the macros it needs; define them here,
 * because they are facts of the interrupt controller. The template port masks by nothing yet.
 */

#ifndef __ASSEMBLER__
/* The console (console.c): polled, unbuffered, callable from tasks, ISRs, fault handlers and
 * before the scheduler. The logging porting interface is this one macro. */
void board_console_print(const char *text);
#endif

/* Write a NUL-terminated string to the console. docs/porting/logging.md gives the contract. */
#define configPRINT_STRING(text) board_console_print(text)

/*
 * Run-time statistics (configGENERATE_RUN_TIME_STATS): a free-running counter faster than the tick
 * (run_time.c). An application can do without it, but keep it: the test framework's self-tests
 * are built with run-time statistics on, and they link only when the board supplies the counter.
 */
#ifndef __ASSEMBLER__
#include <stdint.h>
void board_run_time_init(void);
uint32_t board_run_time_counter(void);
#endif
#define portCONFIGURE_TIMER_FOR_RUN_TIME_STATS() board_run_time_init()
#define portGET_RUN_TIME_COUNTER_VALUE() board_run_time_counter()

#endif /* ALDER_BOARD_CONFIG_H */
