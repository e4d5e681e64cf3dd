/* Alder qemu-mps2-an385 board: the console on CMSDK UART0, polled, and the run-time statistics clock.
 * It must never block on anything but the UART's own transmit flag, nor take a lock: faults print through it too. */
#include <stdint.h>

#include "FreeRTOS.h"
#include "mps2_an385.h"

/* 115200 baud at 25 MHz; QEMU ignores the rate but warns about a divider below 16. */
#define UART_BAUD_DIVIDER (configCPU_CLOCK_HZ / 115200u)

void board_console_init(void)
{
    MPS2_UART_BAUDDIV(MPS2_UART0_BASE) = UART_BAUD_DIVIDER;
    MPS2_UART_CTRL(MPS2_UART0_BASE) = MPS2_UART_CTRL_TX_ENABLE;
}

static void put_char(char c)
{
    while ((MPS2_UART_STATE(MPS2_UART0_BASE) & MPS2_UART_STATE_TX_FULL) != 0) {
    }
    MPS2_UART_DATA(MPS2_UART0_BASE) = (uint8_t)c;
}

void board_console_write(const char *text, uint32_t length)
{
    for (uint32_t i = 0; i < length; i++) {
        put_char(text[i]);
    }
}

void board_console_print(const char *text)
{
    while (*text != '\0') {
        put_char(*text++);
    }
}

void board_console_print_hex(uint32_t value)
{
    board_console_print("0x");
    for (int shift = 28; shift >= 0; shift -= 4) {
        put_char("0123456789abcdef"[(value >> shift) & 0xFu]);
    }
}

/* Dual timer 1, free-running from 0xFFFFFFFF down at 25 MHz / 16: 1.5625 MHz, so a 32-bit
 * count wraps after 45 minutes rather than the 2.9 minutes of the undivided clock. */
void board_run_time_init(void)
{
    MPS2_DUALTIMER_CTRL(MPS2_DUALTIMER1_BASE) = 0;
    MPS2_DUALTIMER_LOAD(MPS2_DUALTIMER1_BASE) = 0xFFFFFFFFu;
    MPS2_DUALTIMER_CTRL(MPS2_DUALTIMER1_BASE) =
        MPS2_DUALTIMER_CTRL_ENABLE | MPS2_DUALTIMER_CTRL_32BIT | MPS2_DUALTIMER_CTRL_PRESCALE_16;
}

uint32_t board_run_time_counter(void)
{
    return ~MPS2_DUALTIMER_VALUE(MPS2_DUALTIMER1_BASE);
}
