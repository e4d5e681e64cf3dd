/* Alder template board: the console behind configPRINT_STRING, the first thing to port (docs/porting/logging.md).
 * It must never buffer, take a lock, or wait on anything but the UART's own transmit flag: faults and ISRs print through it. */
#include "FreeRTOS.h"

#include "not_implemented.h"

/*
 * Write the NUL-terminated text to the console, every byte, before returning.
 *
 * In:  text, a NUL-terminated string (never NULL), any length; "\n" ends a line. If your
 *      terminal needs "\r\n", send '\r' before each '\n' here.
 * Out: nothing. Errors: none reported: a console has nobody to report to. If the UART is broken
 *      the bytes are lost, but the function must still return.
 * Called: from tasks, from ISRs, from fault handlers, and from main() and board_init() before the
 *      scheduler starts, so:
 *      - polled: write a byte to the UART's data register, wait on its "transmit full/busy" flag,
 *        repeat. No interrupt-driven queue, no DMA, nothing that needs the scheduler;
 *      - no locks and no kernel calls (a mutex cannot be taken in an ISR or a fault); lines from
 *        two tasks may interleave, which is acceptable;
 *      - unbuffered: when it returns the bytes are in the UART, so the last line before a crash
 *        is not lost.
 * The UART itself (clock, pins, baud rate) is set up once in board_init() (startup.c).
 *
 * Template: reports that it is missing (through the host's standard error) and writes nothing.
 * Until it works, `make qualify` reports that the image printed nothing.
 */
void board_console_print(const char *text)
{
    (void)text;
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/logging.md");
}
