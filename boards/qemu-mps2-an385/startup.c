/* Alder qemu-mps2-an385 board: the vector table and the reset handler (copy .data, zero .bss, run main, exit with its status).
 * It must never call into the kernel: the port's exception handlers are only named in the table. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "FreeRTOS.h"
#include "mps2_an385.h"

/* Defined by mps2_an385.ld. */
extern uint32_t __data_load__[];
extern uint32_t __data_start__[];
extern uint32_t __data_end__[];
extern uint32_t __bss_start__[];
extern uint32_t __bss_end__[];
extern uint32_t __stack_top__[];

int main(void);
void board_fault_report(const uint32_t *frame, uint32_t exc_return); /* fault.c */

void Reset_Handler(void) __attribute__((noreturn));
void Fault_Handler(void) __attribute__((naked));

/* Every exception without a handler of its own lands in the fault report: an interrupt nobody
 * expected is as much a bug as a fault, and silence would hide it. An application (or a driver
 * on this board) defines the name to take an interrupt over. */
#define MPS2_HANDLER(name) void name(void) __attribute__((weak, alias("Fault_Handler")))
MPS2_HANDLER(NMI_Handler);
MPS2_HANDLER(HardFault_Handler);
MPS2_HANDLER(MemManage_Handler);
MPS2_HANDLER(BusFault_Handler);
MPS2_HANDLER(UsageFault_Handler);
MPS2_HANDLER(DebugMon_Handler);
MPS2_HANDLER(UART0_RX_IRQHandler);
MPS2_HANDLER(UART0_TX_IRQHandler);
MPS2_HANDLER(UART1_RX_IRQHandler);
MPS2_HANDLER(UART1_TX_IRQHandler);
MPS2_HANDLER(UART2_RX_IRQHandler);
MPS2_HANDLER(UART2_TX_IRQHandler);
MPS2_HANDLER(TIMER0_IRQHandler);
MPS2_HANDLER(TIMER1_IRQHandler);
MPS2_HANDLER(DUALTIMER_IRQHandler);
MPS2_HANDLER(UART_OVERFLOW_IRQHandler);
MPS2_HANDLER(ETHERNET_IRQHandler);
MPS2_HANDLER(UART3_RX_IRQHandler);
MPS2_HANDLER(UART3_TX_IRQHandler);
MPS2_HANDLER(UART4_RX_IRQHandler);
MPS2_HANDLER(UART4_TX_IRQHandler);
MPS2_HANDLER(BOARD_TEST_IRQHandler); /* board_test.c, in test images */

typedef void (*vector_t)(void);
#define MPS2_UNUSED ((vector_t)0)

/* The table QEMU reads at reset from address 0 (the start of the image slot). */
__attribute__((section(".vectors"), used)) const vector_t mps2_vector_table[16 + MPS2_IRQ_COUNT] = {
    (vector_t)(uintptr_t)__stack_top__,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    MPS2_UNUSED,
    MPS2_UNUSED,
    MPS2_UNUSED,
    MPS2_UNUSED,
    SVC_Handler,
    DebugMon_Handler,
    MPS2_UNUSED,
    PendSV_Handler,
    SysTick_Handler,
    [16 + 0] = UART0_RX_IRQHandler,
    [16 + 1] = UART0_TX_IRQHandler,
    [16 + 2] = UART1_RX_IRQHandler,
    [16 + 3] = UART1_TX_IRQHandler,
    [16 + 4] = UART2_RX_IRQHandler,
    [16 + 5] = UART2_TX_IRQHandler,
    [16 + 6] = Fault_Handler,
    [16 + 7] = Fault_Handler,
    [16 + 8] = TIMER0_IRQHandler,
    [16 + 9] = TIMER1_IRQHandler,
    [16 + 10] = DUALTIMER_IRQHandler,
    [16 + 11] = Fault_Handler,
    [16 + 12] = UART_OVERFLOW_IRQHandler,
    [16 + 13] = ETHERNET_IRQHandler,
    [16 + 14] = Fault_Handler,
    [16 + 15] = Fault_Handler,
    [16 + 16] = Fault_Handler,
    [16 + 17] = Fault_Handler,
    [16 + 18] = UART3_RX_IRQHandler,
    [16 + 19] = UART3_TX_IRQHandler,
    [16 + 20] = UART4_RX_IRQHandler,
    [16 + 21] = UART4_TX_IRQHandler,
    [16 + 22] = Fault_Handler,
    [16 + 23] = Fault_Handler,
    [16 + 24] = Fault_Handler,
    [16 + 25] = Fault_Handler,
    [16 + 26] = Fault_Handler,
    [16 + 27] = Fault_Handler,
    [16 + 28] = Fault_Handler,
    [16 + 29] = Fault_Handler,
    [16 + 30] = Fault_Handler,
    [16 + MPS2_TEST_IRQ] = BOARD_TEST_IRQHandler,
};

/* The hardware stacked r0-r3, r12, lr, pc, xPSR on whichever stack was in use (EXC_RETURN bit 2). */
void Fault_Handler(void)
{
    __asm volatile("   tst lr, #4\n"
                   "   ite eq\n"
                   "   mrseq r0, msp\n"
                   "   mrsne r0, psp\n"
                   "   mov r1, lr\n"
                   "   b board_fault_report\n");
}

void Reset_Handler(void)
{
    memcpy(__data_start__, __data_load__, (size_t)((char *)__data_end__ - (char *)__data_start__));
    memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
    /* QEMU starts with the table at 0; saying so keeps an image built for the second slot right. */
    MPS2_REG32(0xE000ED08u) = (uint32_t)(uintptr_t)mps2_vector_table;
    board_console_init();
    board_exit(main());
}
