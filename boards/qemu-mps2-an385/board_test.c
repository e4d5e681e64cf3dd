/* Alder qemu-mps2-an385 board: the test framework's hooks (a real NVIC interrupt, end of run by semihosting).
 * It must never keep test state of its own beyond the one pending interrupt call. */
#include "FreeRTOS.h"
#include "alder_test.h"
#include "mps2_an385.h"
#include "task.h"

/* Kernel-aware and more urgent than the tick and the switch, so a test ISR may call FromISR
 * functions and preempt the tick handler, as a real peripheral's would. */
#define TEST_IRQ_PRIORITY (6u << (8 - __NVIC_PRIO_BITS))

static void (*volatile pending_fn)(void *arg);
static void *volatile pending_arg;

void BOARD_TEST_IRQHandler(void)
{
    void (*fn)(void *arg) = pending_fn;
    pending_fn = NULL;
    if (fn != NULL) {
        fn(pending_arg);
    }
}

/* The interrupt is pended through the NVIC like a peripheral's. With nothing masking it, the
 * barriers make it be taken before the next instruction, so it has run when this returns. */
void board_test_trigger_interrupt(void (*fn)(void *arg), void *arg)
{
    configASSERT(!xPortIsInsideInterrupt() && port_read_basepri() == 0);
    pending_arg = arg;
    pending_fn = fn;
    MPS2_NVIC_IPR_BYTE(MPS2_TEST_IRQ) = (uint8_t)TEST_IRQ_PRIORITY;
    MPS2_NVIC_ISER(MPS2_TEST_IRQ) = MPS2_NVIC_BIT(MPS2_TEST_IRQ);
    MPS2_NVIC_STIR = MPS2_TEST_IRQ;
    __asm volatile("dsb\n\tisb" ::: "memory");
}

void board_test_finish(int exit_code)
{
    board_exit(exit_code);
}
