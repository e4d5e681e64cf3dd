/* Alder qemu-mps2-an385 board: the report of a fault or an unexpected exception, on the console, then a failed run.
 * It must never touch the kernel or the faulting stack beyond reading it: nothing there can be trusted. */
#include <stdint.h>

#include "mps2_an385.h"

/* Where a stacked frame can be: the 64 KB RAM of this board (linker script). */
#define RAM_START 0x20000000u
#define RAM_END 0x20010000u
#define FRAME_WORDS 8u

static void print_decimal(uint32_t value)
{
    char text[11];
    uint32_t at = sizeof text - 1u;
    text[at] = '\0';
    do {
        text[--at] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0);
    board_console_print(&text[at]);
}

static void print_register(const char *name, uint32_t value)
{
    board_console_print(name);
    board_console_print_hex(value);
}

static void print_frame(const uint32_t *frame)
{
    static const char *const names[FRAME_WORDS] = {"\n  r0   ", "  r1   ", "  r2   ", "  r3   ",
                                                   "\n  r12  ", "  lr   ", "  pc   ", "  xpsr "};
    const uint32_t address = (uint32_t)(uintptr_t)frame;
    if (address < RAM_START || address > RAM_END - FRAME_WORDS * 4u || (address & 3u) != 0) {
        print_register("\n  (no frame: stack pointer ", address);
        board_console_print(" is outside RAM)");
        return;
    }
    for (uint32_t i = 0; i < FRAME_WORDS; i++) {
        print_register(names[i], frame[i]);
    }
}

/* Reached from Fault_Handler (startup.c) with the stacked frame and EXC_RETURN. The exception
 * number tells a HardFault (3; the configurable faults escalate to it while disabled) from an
 * interrupt that has no handler (16 and up). */
void board_fault_report(const uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    const uint32_t exception = ipsr & 0x1FFu;
    /* "FATAL " first: the qualification runner reads it as the end of the run, with this line as the reason. */
    board_console_print(exception == 3u ? "\nFATAL HARDFAULT" : "\nFATAL UNEXPECTED EXCEPTION");
    board_console_print(" exception ");
    print_decimal(exception);
    if (exception >= 16u) {
        board_console_print(" (irq ");
        print_decimal(exception - 16u);
        board_console_print(")");
    }
    print_register(" exc_return ", exc_return);
    board_console_print((exc_return & 4u) != 0 ? " (task stack, psp)" : " (main stack, msp)");
    print_frame(frame);
    print_register("\n  cfsr ", MPS2_SCB_CFSR);
    print_register("  hfsr ", MPS2_SCB_HFSR);
    print_register("  mmfar ", MPS2_SCB_MMFAR);
    print_register("  bfar ", MPS2_SCB_BFAR);
    board_console_print("\nFAIL\n");
    board_exit(MPS2_EXIT_FAULT);
}

/* configASSERT of the board's default FreeRTOSConfig.h: report and end the run, because code
 * past a failed assertion works on state the kernel no longer vouches for. */
void board_assert_failed(const char *file, int line)
{
    __asm volatile("cpsid i" ::: "memory");
    board_console_print("\nASSERT failed at ");
    board_console_print(file);
    board_console_print(":");
    print_decimal((uint32_t)line);
    board_console_print("\nFAIL\n");
    board_exit(MPS2_EXIT_ASSERT);
}
