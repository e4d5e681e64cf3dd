/* Alder armv7m port: the context switch (PendSV), the first-task start (SVC) and the way back at the end.
 * It must never hold C statements: these functions are naked, so the compiler gives them no frame. */
#include "FreeRTOS.h"
#include "task.h"

#define PORT_STRING(x) #x
#define PORT_EXPAND(x) PORT_STRING(x)
#define PORT_BASEPRI_KERNEL PORT_EXPAND(configMAX_SYSCALL_INTERRUPT_PRIORITY)

/* The main stack pointer of the code that started the scheduler, with its callee-saved registers
 * pushed just below it: vPortEndScheduler resumes there. Keeping that frame (instead of resetting
 * the main stack to its top) costs a few words and lets main() return its status. */
static uint32_t scheduler_caller_sp __attribute__((used));

void port_start_first_task(void) __attribute__((naked));
void port_return_to_scheduler_caller(void) __attribute__((naked, noreturn));

/*
 * On entry to an exception from a task, the hardware has pushed r0-r3, r12, lr, pc and xPSR on the
 * task's stack (PSP). PendSV pushes r4-r11 below them, stores the resulting PSP in the first word
 * of the running task's control block, lets the kernel pick the next task with the kernel's
 * interrupts masked, and unwinds the next task's stack the same way. PendSV has the lowest
 * priority, so it only ever interrupts thread mode, with BASEPRI 0: it leaves BASEPRI 0 again.
 */
void PendSV_Handler(void) __attribute__((naked));
void PendSV_Handler(void)
{
    __asm volatile("   mrs r0, psp\n"
                   "   ldr r3, =pxCurrentTCB\n"
                   "   ldr r2, [r3]\n"
                   "   stmdb r0!, {r4-r11}\n"
                   "   str r0, [r2]\n"
                   "   push {r3, lr}\n" /* lr holds EXC_RETURN; two words keep the stack 8-aligned */
                   "   movs r0, #" PORT_BASEPRI_KERNEL "\n"
                   "   msr basepri, r0\n"
                   "   isb\n"
                   "   bl vTaskSwitchContext\n"
                   "   movs r0, #0\n"
                   "   msr basepri, r0\n"
                   "   pop {r3, lr}\n"
                   "   ldr r1, [r3]\n"
                   "   ldr r0, [r1]\n"
                   "   ldmia r0!, {r4-r11}\n"
                   "   msr psp, r0\n"
                   "   isb\n"
                   "   bx lr\n"
                   "   .ltorg\n");
}

/*
 * Reached once, from port_start_first_task, in thread mode on the main stack. Unwinds the first
 * task's software frame, points PSP at its hardware frame and returns to thread mode on PSP
 * (EXC_RETURN 0xFFFFFFFD), so the hardware pops the rest and the task starts with BASEPRI 0.
 * Applications must not use SVC themselves.
 */
void SVC_Handler(void) __attribute__((naked));
void SVC_Handler(void)
{
    __asm volatile("   ldr r3, =pxCurrentTCB\n"
                   "   ldr r1, [r3]\n"
                   "   ldr r0, [r1]\n"
                   "   ldmia r0!, {r4-r11}\n"
                   "   msr psp, r0\n"
                   "   isb\n"
                   "   movs r0, #0\n"
                   "   msr basepri, r0\n"
                   "   mvn lr, #2\n" /* 0xFFFFFFFD */
                   "   bx lr\n"
                   "   .ltorg\n");
}

/* Called by xPortStartScheduler with the kernel's interrupts masked. PRIMASK is cleared in case
 * start-up code set it: an SVC taken with PRIMASK set would escalate to HardFault. */
void port_start_first_task(void)
{
    __asm volatile("   push {r3-r11, lr}\n" /* ten words: the stack stays 8-aligned */
                   "   ldr r0, =scheduler_caller_sp\n"
                   "   mov r1, sp\n"
                   "   str r1, [r0]\n"
                   "   cpsie i\n"
                   "   dsb\n"
                   "   isb\n"
                   "   svc 0\n"
                   "   b .\n" /* never reached: the scheduler comes back through the function below */
                   "   .ltorg\n");
}

/* Called by vPortEndScheduler from a task (thread mode, PSP): switch thread mode back to the main
 * stack as it was in port_start_first_task and return from that function. */
void port_return_to_scheduler_caller(void)
{
    __asm volatile("   ldr r0, =scheduler_caller_sp\n"
                   "   ldr r0, [r0]\n"
                   "   msr msp, r0\n"
                   "   movs r1, #0\n"
                   "   msr control, r1\n" /* SPSEL = 0: thread mode uses MSP again */
                   "   isb\n"
                   "   pop {r3-r11, pc}\n"
                   "   .ltorg\n");
}
