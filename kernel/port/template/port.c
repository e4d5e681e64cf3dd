/* Alder template port: every function a CPU port implements, each with its contract and a body that reports it is missing.
 * It must never pretend to work: an unported function reports itself once and returns the value that does least harm. */
#include "FreeRTOS.h"
#include "task.h"

#include "not_implemented.h"

/*
 * How to use this file: replace one body at a time, in the order of README.md (stack frame,
 * masking, switch, start, tick, then tickless idle), and delete its template_not_implemented()
 * call. Run `make qualify BOARD=<board>` after each: a function still listed under "What to
 * implement" in the report is one the run reached and found empty.
 *
 * Every function below states when the kernel calls it. "Before the scheduler" means main() is
 * still running on the startup stack: task creation already enters critical sections then, so
 * masking must work on that stack too.
 */

/* ---- task stacks ---- */

/*
 * Lay out the first context of a new task, so that the first switch to it starts
 * task_code(parameters) with the kernel's interrupts unmasked.
 *
 * In:  top_of_stack, the highest usable word of the new stack, aligned to portBYTE_ALIGNMENT;
 *      task_code, the task function (never NULL); parameters, its argument (any value).
 * Out: the task's initial saved stack pointer, which the kernel stores in the first word of the
 *      task control block and your switch code loads. It must lie inside the stack, below
 *      top_of_stack, and point at exactly the frame your restore code pops.
 * Errors: none; it cannot fail. Make the frame's return address a function that asserts and
 *      stops: a task function must never return.
 * Called: by xTaskCreate / xTaskCreateStatic, from tasks or before the scheduler, once per task,
 *      with the scheduler suspended.
 *
 * Template: reports, and returns top_of_stack unchanged (no frame): the scheduler never starts
 * here, so nothing ever restores this "context".
 */
StackType_t *pxPortInitialiseStack(StackType_t *top_of_stack, TaskFunction_t task_code, void *parameters)
{
    (void)task_code;
    (void)parameters;
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
    return top_of_stack;
}

/* ---- scheduler start and end ---- */

/*
 * Start the scheduler: give the switch and tick interrupts the lowest priority the kernel's
 * interrupts use, start the tick (vPortSetupTimerInterrupt), and restore the context of the task
 * pxCurrentTCB points to, so that it runs.
 *
 * In:  nothing; interrupts are masked (portDISABLE_INTERRUPTS) and pxCurrentTCB is set.
 * Out: pdFAIL if the port could not start (report why on the console first). On success it never
 *      returns, unless the port supports vPortEndScheduler, in which case it returns pdPASS after
 *      vPortEndScheduler ran; vTaskStartScheduler then returns to main().
 * Errors: pdFAIL only; any configuration check (a vector table without the port's handlers, an
 *      interrupt priority the part does not implement) should configASSERT before that.
 * Called: once, by vTaskStartScheduler, from main() on the startup stack.
 *
 * Template: reports and returns pdFAIL; the test framework then prints "FATAL the scheduler did
 * not start" and ends the run through board_test_finish(1).
 */
BaseType_t xPortStartScheduler(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
    return pdFAIL;
}

/*
 * Stop the tick and, where the CPU allows it, make xPortStartScheduler return to its caller
 * (restore the startup stack and registers it saved). A port that cannot return may stop the tick
 * and halt instead.
 *
 * In:  nothing; interrupts are masked. Out: nothing (it returns only if it cannot end the
 *      scheduler at all). Errors: none.
 * Called: by vTaskEndScheduler, from a task, at most once. Test images end through
 *      board_test_finish() instead, so an MCU port may leave this minimal.
 *
 * Template: reports and does nothing.
 */
void vPortEndScheduler(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * Start the periodic tick: a timer interrupt configTICK_RATE_HZ times a second (from
 * configCPU_CLOCK_HZ or the timer's own clock), at the lowest kernel priority, whose handler calls
 * vPortTickInterrupt().
 *
 * In: nothing; interrupts are masked. Out: nothing. Errors: a rate the timer cannot produce
 *     should fail the build (a _Static_assert on the reload value) rather than run wrong.
 * Called: by your xPortStartScheduler, once, before the first task starts. Nothing calls it in
 *     the template, so it is reported only once xPortStartScheduler is written.
 *
 * Template: reports and starts nothing.
 */
void vPortSetupTimerInterrupt(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/* ---- critical sections and masking ---- */

/*
 * Enter a critical section: mask the interrupts that may call the kernel, then count one more
 * level of nesting. The count is one variable for the CPU, not per task.
 *
 * In/out: nothing. Errors: none; calling it from an ISR is a bug (configASSERT it where you can:
 *     an ISR uses portSET_INTERRUPT_MASK_FROM_ISR).
 * Called: very often, by every kernel API that touches shared lists, from tasks and from main()
 *     before the scheduler (task and queue creation).
 *
 * Template: reports once and masks nothing.
 */
void vPortEnterCritical(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * Leave a critical section: count one level down, and at zero unmask the kernel's interrupts, which
 * lets a switch requested inside the section happen now.
 *
 * In/out: nothing. Errors: an exit without an enter is a bug: configASSERT that the count is
 *     non-zero. Called: paired with every vPortEnterCritical.
 *
 * Template: reports once and unmasks nothing.
 */
void vPortExitCritical(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * Mask the interrupts that may call the kernel, without nesting (portDISABLE_INTERRUPTS).
 * In/out: nothing. Errors: none.
 * Called: by vTaskStartScheduler just before xPortStartScheduler, by vTaskEndScheduler, and by
 *     applications (taskDISABLE_INTERRUPTS), e.g. in a fatal-error path.
 *
 * Template: reports once and masks nothing.
 */
void vPortDisableInterrupts(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * Unmask the interrupts that may call the kernel, whatever the nesting (portENABLE_INTERRUPTS).
 * A switch requested while they were masked happens now.
 * In/out: nothing. Errors: none. Called: by applications (taskENABLE_INTERRUPTS); the kernel itself
 *     unmasks through critical sections.
 *
 * Template: reports once and unmasks nothing.
 */
void vPortEnableInterrupts(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * Mask the kernel's interrupts from an ISR or a task, and return the mask as it was, in whatever
 * form vPortClearInterruptMaskFromISR needs to put it back (it is opaque to the kernel).
 *
 * In: nothing. Out: the previous mask. Errors: none.
 * Called: by every FromISR function and by the tick handler; usable in tasks too.
 *
 * Template: reports once and returns 0 (masks nothing).
 */
UBaseType_t uxPortSetInterruptMaskFromISR(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
    return 0;
}

/*
 * Put back a mask returned by uxPortSetInterruptMaskFromISR. If that leaves the kernel's
 * interrupts unmasked in task context, a switch requested meanwhile happens now.
 * In: previous_mask, exactly a value uxPortSetInterruptMaskFromISR returned, in reverse order of
 *     the calls. Out: nothing. Errors: none.
 * Called: paired with every uxPortSetInterruptMaskFromISR.
 *
 * Template: reports once and changes nothing.
 */
void vPortClearInterruptMaskFromISR(UBaseType_t previous_mask)
{
    (void)previous_mask;
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * Is the CPU running an ISR (or an exception handler) rather than a task or main()?
 * In: nothing. Out: pdTRUE inside an ISR, pdFALSE otherwise. Errors: none.
 * Called: by kernel asserts (a blocking call from an ISR), by portIS_INSIDE_INTERRUPT, by the test
 *     framework, from anywhere, before and after the scheduler starts.
 *
 * Template: reports once and returns pdFALSE, which is true of everything the template runs.
 */
BaseType_t xPortIsInsideInterrupt(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
    return pdFALSE;
}

/*
 * Assert (configASSERT) that the running interrupt may call the kernel: its priority is at or
 * below the kernel's mask level. Catches the interrupt that corrupts the kernel's lists silently.
 * In/out: nothing. Errors: a failed configASSERT. Called: at the top of every FromISR function,
 *     only when asserts are on. Delete it (and its macro) on a CPU with one interrupt level.
 *
 * Template: reports once and checks nothing.
 */
void vPortValidateInterruptPriority(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/* ---- switching ---- */

/*
 * Request a context switch from task code (portYIELD): make the switch interrupt pending. With the
 * kernel's interrupts unmasked the switch must have happened when this returns (add the barrier
 * your CPU needs for a pended interrupt to be taken at once); masked, it happens at the unmask.
 * In/out: nothing. Errors: none.
 * Called: by blocking and unblocking API calls, taskYIELD, and time slicing, from tasks only.
 *
 * Template: reports once and switches nothing.
 */
void vPortYield(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * Request a context switch at the end of the current (outermost) ISR: make the switch interrupt
 * pending; its low priority holds it until every ISR has returned.
 * In/out: nothing. Errors: none. Called: through portYIELD_FROM_ISR(x) when x is non-zero, by
 *     ISRs and by the tick handler.
 *
 * Template: reports once and switches nothing.
 */
void vPortYieldFromISR(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * The context switch, run as the lowest-priority software interrupt once nothing masks it. It
 * must: save the running task's registers on its own stack; store the stack pointer in the first
 * word of *pxCurrentTCB; call vTaskSwitchContext() with the kernel's interrupts masked; load the
 * stack pointer from the first word of the (new) *pxCurrentTCB; restore that task's registers and
 * return into it. On almost every CPU this is assembly (a naked function or a .S file), because
 * C code cannot save and restore its own registers.
 * In/out: nothing. Errors: none. Called: by the CPU, never by C code; your vector table (or trap
 *     dispatcher) names it.
 *
 * Template: reports once and switches nothing (the host template never pends it).
 */
void vPortSwitchInterrupt(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/* ---- the tick ---- */

/*
 * The body of the tick interrupt. It is the one function here with a real body, because it is
 * plain C over the macros above and is correct once they are: it counts the tick inside a kernel
 * mask and asks for a switch when a task became ready or the time slice ended. Your timer's
 * interrupt handler acknowledges the timer, then calls this (or is this, if your compiler can mark
 * a C function as an interrupt handler).
 * In/out: nothing. Errors: none. Called: configTICK_RATE_HZ times a second, in an ISR at the lowest
 *     kernel priority, once vPortSetupTimerInterrupt started the timer.
 */
void vPortTickInterrupt(void)
{
    UBaseType_t previous_mask = portSET_INTERRUPT_MASK_FROM_ISR();
    if (xTaskIncrementTick() != pdFALSE) {
        portYIELD_FROM_ISR(pdTRUE);
    }
    portCLEAR_INTERRUPT_MASK_FROM_ISR(previous_mask);
}

/* ---- tickless idle ---- */

/*
 * Sleep with the tick stopped for up to expected_idle_ticks (configUSE_TICKLESS_IDLE 1). Mask;
 * if eTaskConfirmSleepModeStatus() says eAbortSleep, unmask and return. Otherwise stop the tick,
 * program a wake-up at most expected_idle_ticks away, configPRE_SLEEP_PROCESSING, sleep,
 * configPOST_SLEEP_PROCESSING, count the whole ticks that passed, vTaskStepTick() with them (at
 * most expected_idle_ticks - 1), restart the tick, unmask. An earlier interrupt may end the sleep:
 * step only the ticks that really passed.
 * In: expected_idle_ticks, at least configEXPECTED_IDLE_TIME_BEFORE_SLEEP. Out: nothing.
 * Errors: none. Called: by the idle task with the scheduler suspended, only when no other task is
 *     ready. Port it last: docs/porting/kernel.md section 5.
 *
 * Template: reports once and returns at once; the idle task then simply loops (no sleep).
 */
void vPortSuppressTicksAndSleep(TickType_t expected_idle_ticks)
{
    (void)expected_idle_ticks;
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}
