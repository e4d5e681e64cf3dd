/* Alder template board: the reset path (vector table, .data copy, .bss zero, clocks, then main) and the assert stop.
 * It must never call into the kernel before main(): the kernel's statics are not initialised until the reset path has run. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "FreeRTOS.h"

#include "not_implemented.h"

/*
 * The reset path of a real board, in order:
 *   1. the CPU fetches the reset vector and, on most CPUs, a few instructions of assembly set the
 *      stack pointer (Cortex-M loads it from the vector table itself);
 *   2. board_reset() copies .data from flash to RAM and zeroes .bss: before this, no C static
 *      holds its value, the kernel's included;
 *   3. board_init() sets up the clocks, the pins and the console UART;
 *   4. main() runs; it normally never returns (the scheduler runs forever), and a test image ends
 *      through board_test_finish() (board_test.c).
 *
 * The template builds on the host, where the C runtime has already done steps 1 and 2 when main()
 * starts, and has no linker script for this board to take .data and .bss addresses from. So the
 * host build compiles only board_init() (run by a constructor, the host's stand-in for step 3),
 * and the target reset code below is compiled only when TEMPLATE_HOST_BUILD is 0, that is, once
 * you build with your cross compiler. That is the simplest arrangement that keeps the real reset
 * path in this file, checked by the compiler, without pretending the host has one.
 */

/*
 * Set up what the board needs before main(): the core clock to configCPU_CLOCK_HZ (PLL, flash wait
 * states), the console UART's clock, pins and baud rate, and anything else every image needs.
 * In/out: nothing. Errors: a clock that does not lock cannot be reported (no console yet): loop
 *     there, where a debugger shows it. Called: once, by the reset path, before main(); interrupts
 *     are still masked and the kernel is not running, so it must not call the kernel.
 *
 * Template: reports that it is missing and does nothing.
 */
void board_init(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/walkthrough.md");
}

#if TEMPLATE_HOST_BUILD

/* The host's C runtime runs constructors after its own reset work and before main(): the place a
 * real reset handler calls board_init(). */
__attribute__((constructor)) static void host_reset(void)
{
    board_init();
}

#else

/* Defined by your linker script: where .data's initial values are in flash, where .data and .bss
 * are in RAM. Rename them to what your script (or the vendor's) calls them. */
extern uint32_t __data_load__[];
extern uint32_t __data_start__[];
extern uint32_t __data_end__[];
extern uint32_t __bss_start__[];
extern uint32_t __bss_end__[];

int main(void);
void board_reset(void) __attribute__((noreturn));

/*
 * Steps 2 to 4 of the reset path, in C. The reset vector points here (or the few instructions of
 * step 1 jump here once the stack pointer is set). Never returns: main() returning means there is
 * nothing left to run, so the CPU stops where a debugger can see it.
 */
void board_reset(void)
{
    memcpy(__data_start__, __data_load__, (size_t)((char *)__data_end__ - (char *)__data_start__));
    memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
    board_init();
    (void)main();
    for (;;) {
    }
}

/*
 * The vector table is the CPU's, so it is shown here, not compiled: write yours from your CPU's
 * manual. It must name your port's switch and tick handlers (vPortSwitchInterrupt and your timer's
 * handler, which calls vPortTickInterrupt) and send every unexpected interrupt and fault to a
 * handler that prints "FATAL ..." on the console and stops. On Cortex-M it is an array of
 * addresses placed first in flash by the linker script:
 *
 *   extern uint32_t __stack_top__[];
 *   typedef void (*vector_t)(void);
 *   __attribute__((section(".vectors"), used)) const vector_t board_vectors[] = {
 *       (vector_t)(uintptr_t)__stack_top__,   initial stack pointer
 *       board_reset,                          reset
 *       board_fault,                          NMI, HardFault, ... (each fault)
 *       ...
 *       vPortSwitchInterrupt,                 the lowest-priority software interrupt (PendSV)
 *       board_tick_interrupt,                 the tick timer (SysTick), calls vPortTickInterrupt
 *       ...                                   the part's interrupts, unused ones to board_fault
 *   };
 *
 * On a CPU with one trap entry (RISC-V mtvec, for example) the table is an assembly entry that
 * saves registers and dispatches on the cause register instead.
 */

#endif /* TEMPLATE_HOST_BUILD */

/* ---- the assert stop ---- */

/* A line number in decimal: the console takes strings only, and printf is not safe in a fault. */
static void print_decimal(unsigned int value)
{
    char text[12];
    size_t start = sizeof text - 1;
    text[start] = '\0';
    do {
        text[--start] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0 && start > 0);
    configPRINT_STRING(&text[start]);
}

/*
 * configASSERT of the board's default configuration (config/FreeRTOSConfig.h): print where it
 * failed as a "FATAL" line, which the qualification runner reads as the end of the run, then stop.
 * In: file and line of the failed assert. Out: never returns. Called: from anywhere, a failing ISR
 * included, so it uses only the console and masking.
 *
 * The stop is template_host_exit(4): on the host it ends the process with status 4 (as the QEMU
 * board does), on a target it halts. When you delete not_implemented.c, halt here yourself
 * (or end the run the way your board_test_finish does).
 */
void board_assert_failed(const char *file, int line)
{
    portDISABLE_INTERRUPTS();
    configPRINT_STRING("FATAL configASSERT failed at ");
    configPRINT_STRING(file);
    configPRINT_STRING(":");
    print_decimal(line < 0 ? 0u : (unsigned int)line);
    configPRINT_STRING("\n");
    template_host_exit(4);
}
