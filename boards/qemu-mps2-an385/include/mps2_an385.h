/* Alder qemu-mps2-an385 board: peripheral addresses and the board's internal functions, for the board's own files.
 * It must never be included by the kernel or a library: they reach the board only through porting interfaces. */
#ifndef ALDER_MPS2_AN385_H
#define ALDER_MPS2_AN385_H

#include <stdint.h>

#define MPS2_REG32(address) (*(volatile uint32_t *)(address))

/* CMSDK APB UART0 (the console; QEMU's -serial / -nographic stdio). */
#define MPS2_UART0_BASE 0x40004000u
#define MPS2_UART_DATA(base) MPS2_REG32((base) + 0x00u)
#define MPS2_UART_STATE(base) MPS2_REG32((base) + 0x04u)
#define MPS2_UART_CTRL(base) MPS2_REG32((base) + 0x08u)
#define MPS2_UART_BAUDDIV(base) MPS2_REG32((base) + 0x10u)
#define MPS2_UART_STATE_TX_FULL (1u << 0)
#define MPS2_UART_CTRL_TX_ENABLE (1u << 0)

/* CMSDK dual timer, timer 1: SP804-style, with a prescaler. */
#define MPS2_DUALTIMER1_BASE 0x40002000u
#define MPS2_DUALTIMER_LOAD(base) MPS2_REG32((base) + 0x00u)
#define MPS2_DUALTIMER_VALUE(base) MPS2_REG32((base) + 0x04u)
#define MPS2_DUALTIMER_CTRL(base) MPS2_REG32((base) + 0x08u)
#define MPS2_DUALTIMER_CTRL_32BIT (1u << 1)
#define MPS2_DUALTIMER_CTRL_PRESCALE_16 (1u << 2)
#define MPS2_DUALTIMER_CTRL_ENABLE (1u << 7)

/* NVIC (ARMv7-M ARM B3.4): one bit per external interrupt in each word array, one byte of priority. */
#define MPS2_NVIC_ISER(n) MPS2_REG32(0xE000E100u + 4u * ((n) / 32u))
#define MPS2_NVIC_ICPR(n) MPS2_REG32(0xE000E280u + 4u * ((n) / 32u))
#define MPS2_NVIC_IPR_BYTE(n) (*(volatile uint8_t *)(0xE000E400u + (n)))
#define MPS2_NVIC_STIR MPS2_REG32(0xE000EF00u)
#define MPS2_NVIC_BIT(n) (1u << ((n) % 32u))

/* Fault status (B3.2.15-B3.2.18). */
#define MPS2_SCB_CFSR MPS2_REG32(0xE000ED28u)
#define MPS2_SCB_HFSR MPS2_REG32(0xE000ED2Cu)
#define MPS2_SCB_MMFAR MPS2_REG32(0xE000ED34u)
#define MPS2_SCB_BFAR MPS2_REG32(0xE000ED38u)

/* External interrupts QEMU's AN385 wires (0-5, 8-10, 12, 13, 18-21) are taken; 31 is free. */
#define MPS2_IRQ_COUNT 32u
#define MPS2_TEST_IRQ 31u

/* Exit statuses of a run, as QEMU reports them (semihosting SYS_EXIT_EXTENDED). */
#define MPS2_EXIT_FAULT 3
#define MPS2_EXIT_ASSERT 4

/* End the run now: QEMU exits with `status`. Without a debugger or QEMU's semihosting the BKPT
 * this executes is itself a fault, which stops the CPU in the fault handler's loop. */
void board_exit(int status) __attribute__((noreturn));

/* Polled console output, a character at a time, usable from any context (console.c). */
void board_console_init(void);
void board_console_print(const char *text);
void board_console_write(const char *text, uint32_t length);
void board_console_print_hex(uint32_t value);

#endif /* ALDER_MPS2_AN385_H */
