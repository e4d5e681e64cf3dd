/* Alder qemu-mps2-an385 board: the hardware facts of QEMU's MPS2 AN385 (Cortex-M3), included first by every FreeRTOSConfig.h for it.
 * It must never set application policy (features, priorities, hooks): the FreeRTOSConfig.h files do that. */
#ifndef ALDER_BOARD_CONFIG_H
#define ALDER_BOARD_CONFIG_H

/* The AN385 FPGA image implements 3 priority bits (8 levels). QEMU implements all 8, so code
 * written for 3 bits runs on both; the port asserts at start that the bits it needs exist. */
#ifndef __NVIC_PRIO_BITS
#define __NVIC_PRIO_BITS 3
#endif

#define configCPU_CLOCK_HZ 25000000UL
#define configTICK_RATE_HZ 1000

/*
 * Memory, from the minimum device: 64 KB of RAM in all (linker script mps2_an385.ld). The main
 * stack (interrupts, and main() before the scheduler) takes BOARD_MAIN_STACK_BYTES at the top;
 * .data and .bss take the rest, and the kernel heap is the largest part of .bss. 44 KB of heap
 * leaves room for the statics of the largest test image (idle and timer task stacks included).
 */
#define configTOTAL_HEAP_SIZE ((size_t)44 * 1024)
/* In 4-byte words: 640 bytes. The hardware stacks 8 words on a switch; interrupts nest on the
 * main stack, so task stacks need no room for them. */
#define configMINIMAL_STACK_SIZE 160

/* Priorities are bytes whose top __NVIC_PRIO_BITS bits count (lower value = more urgent). Tick and
 * switch run at the lowest; interrupts at levels 5 to 7 (0xA0-0xE0) may call FromISR functions;
 * levels 0 to 4 are never masked by the kernel and must never call it. */
#define configKERNEL_INTERRUPT_PRIORITY 255
#define configMAX_SYSCALL_INTERRUPT_PRIORITY (5 << (8 - __NVIC_PRIO_BITS))

#ifndef __ASSEMBLER__
#include <stdint.h>
/* Console: CMSDK UART0, polled; usable from tasks, ISRs and fault handlers. */
void board_console_print(const char *text);
/* Run-time statistics: CMSDK timer0, free-running at the 25 MHz system clock. */
void board_run_time_init(void);
uint32_t board_run_time_counter(void);
#endif

#define configPRINT_STRING(text) board_console_print(text)
#define portCONFIGURE_TIMER_FOR_RUN_TIME_STATS() board_run_time_init()
#define portGET_RUN_TIME_COUNTER_VALUE() board_run_time_counter()

#endif /* ALDER_BOARD_CONFIG_H */
