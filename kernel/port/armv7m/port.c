/* Alder armv7m port: task stacks, scheduler start and end, critical sections, the tick, priority checks.
 * It must never switch tasks itself: it only pends PendSV, which runs once nothing masks it. */
#include "FreeRTOS.h"
#include "task.h"

#include "port_internal.h"

_Static_assert(PORT_CYCLES_PER_TICK >= 2 && PORT_CYCLES_PER_TICK - 1 <= PORT_SYST_MAX_RELOAD,
               "SysTick cannot count one tick at this clock and tick rate: change configTICK_RATE_HZ");

/* port_switch.c: enter the first task through SVC; come back here when the scheduler ends. */
void port_start_first_task(void);
void port_return_to_scheduler_caller(void) __attribute__((noreturn));

/* Critical sections nest per CPU, never per task: the kernel never switches inside one. */
static UBaseType_t critical_nesting;

/* The exception frame the hardware pops on return (ARMv7-M ARM B1.5.6), then r4-r11 that the
 * switch code pops itself. */
enum { FRAME_R0 = 0, FRAME_LR = 5, FRAME_PC = 6, FRAME_XPSR = 7, HW_FRAME_WORDS = 8, SW_FRAME_WORDS = 8 };
#define XPSR_THUMB (1u << 24) /* ARMv7-M executes Thumb only: a clear T bit faults at once */

/* A task function returned, which the API forbids: stop here where a debugger can see it. */
static void __attribute__((used, noreturn)) task_returned(void)
{
    configASSERT(0);
    portDISABLE_INTERRUPTS();
    for (;;) {
    }
}

/* A new task's return address: the instruction after the nop. A debugger looks up the caller of
 * a frame at return address - 1, which then falls in this function, so a task's backtrace ends
 * here instead of naming whatever function the linker placed before task_returned. */
static void __attribute__((naked)) task_exit(void)
{
    __asm volatile("   nop\n"
                   "   b task_returned\n");
}
#define TASK_EXIT_ADDRESS ((uintptr_t)task_exit + 2u) /* Thumb bit kept: the nop is 2 bytes */

StackType_t *pxPortInitialiseStack(StackType_t *top_of_stack, TaskFunction_t task_code, void *parameters)
{
    /* The word at top_of_stack stays free, so that the frame ends on the 8-byte boundary above it:
     * the exception return then leaves the task an aligned stack pointer. The other registers keep
     * the kernel's stack fill, which makes an unset register easy to spot in a debugger. */
    StackType_t *frame = top_of_stack - HW_FRAME_WORDS;
    frame[FRAME_R0] = (StackType_t)(uintptr_t)parameters;
    frame[FRAME_LR] = (StackType_t)TASK_EXIT_ADDRESS;
    frame[FRAME_PC] = (StackType_t)(uintptr_t)task_code & ~1u; /* a stacked return address is halfword-aligned */
    frame[FRAME_XPSR] = XPSR_THUMB;
    return frame - SW_FRAME_WORDS;
}

/* Catch the configurations that fail silently: a vector table without the port's handlers, and a
 * BASEPRI value whose bits the part does not implement (it would then mask nothing). */
static void check_configuration(void)
{
#if configASSERT_DEFINED
    const uint32_t *vectors = (const uint32_t *)PORT_VTOR;
    configASSERT(vectors[PORT_EXC_SVCALL] == (uint32_t)(uintptr_t)SVC_Handler);
    configASSERT(vectors[PORT_EXC_PENDSV] == (uint32_t)(uintptr_t)PendSV_Handler);
    configASSERT(vectors[PORT_EXC_SYSTICK] == (uint32_t)(uintptr_t)SysTick_Handler);
    /* Unimplemented priority bits read as zero: writing all ones reveals the implemented ones. */
    PORT_SHPR_BYTE(PORT_EXC_PENDSV) = 0xFFu;
    const uint32_t implemented = PORT_SHPR_BYTE(PORT_EXC_PENDSV);
    configASSERT(((uint32_t)configMAX_SYSCALL_INTERRUPT_PRIORITY & ~implemented) == 0);
#endif
}

__attribute__((weak)) void vPortSetupTimerInterrupt(void)
{
    PORT_SYST_CSR = 0;
    port_systick_start(PORT_CYCLES_PER_TICK);
}

BaseType_t xPortStartScheduler(void)
{
    check_configuration();
    /* The switch and the tick must be the least urgent exceptions: a switch may then never
     * interrupt an ISR, and every kernel-aware ISR may preempt the tick. */
    PORT_SHPR_BYTE(PORT_EXC_PENDSV) = (uint8_t)configKERNEL_INTERRUPT_PRIORITY;
    PORT_SHPR_BYTE(PORT_EXC_SYSTICK) = (uint8_t)configKERNEL_INTERRUPT_PRIORITY;
    vPortSetupTimerInterrupt();
    critical_nesting = 0;
    port_start_first_task(); /* returns after vPortEndScheduler */
    return pdFALSE;
}

/* Back to the code that called vTaskStartScheduler (on this board main() then returns and the
 * run ends with its status), with the kernel's interrupts left masked. */
void vPortEndScheduler(void)
{
    PORT_SYST_CSR = 0;
    PORT_ICSR = PORT_ICSR_PENDSVCLR | PORT_ICSR_PENDSTCLR;
    configASSERT(port_active_vector() == 0);
    critical_nesting = 0;
    port_return_to_scheduler_caller();
}

void vPortEnterCritical(void)
{
    port_mask_kernel_interrupts();
    critical_nesting++;
}

void vPortExitCritical(void)
{
    configASSERT(critical_nesting > 0);
    critical_nesting--;
    if (critical_nesting == 0) {
        port_write_basepri(0);
    }
}

/* The barriers make the pended PendSV be taken before the next instruction when nothing masks it,
 * which is what portYIELD promises. */
void vPortYield(void)
{
    PORT_ICSR = PORT_ICSR_PENDSVSET;
    __asm volatile("dsb\n\tisb" ::: "memory");
}

BaseType_t xPortIsInsideInterrupt(void)
{
    return port_active_vector() != 0 ? pdTRUE : pdFALSE;
}

void SysTick_Handler(void)
{
    const uint32_t previous = port_mask_from_isr();
    if (xTaskIncrementTick() != pdFALSE) {
        PORT_ICSR = PORT_ICSR_PENDSVSET;
    }
    port_write_basepri(previous);
}

#if configASSERT_DEFINED
/* An interrupt more urgent than configMAX_SYSCALL_INTERRUPT_PRIORITY is never masked by the kernel,
 * so a FromISR call from it corrupts the kernel's lists at random: catch it here instead. NMI and
 * HardFault have fixed priorities above every configurable one; thread mode (0) is not an ISR. */
void vPortValidateInterruptPriority(void)
{
    const uint32_t vector = port_active_vector();
    uint32_t priority;
    if (vector == 0) {
        return;
    }
    if (vector >= PORT_FIRST_IRQ) {
        priority = PORT_NVIC_IPR_BYTE(vector - PORT_FIRST_IRQ);
    } else if (vector >= 4u) {
        priority = PORT_SHPR_BYTE(vector);
    } else {
        priority = 0;
    }
    configASSERT(priority >= (uint32_t)configMAX_SYSCALL_INTERRUPT_PRIORITY);
}
#endif
