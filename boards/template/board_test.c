/* Alder template board: the test framework's hooks, a real interrupt on demand and the end of a run.
 * It must never fake an interrupt by a plain call: a case would then pass in task context and prove nothing. */
#include "FreeRTOS.h"
#include "alder_test.h"

#include "not_implemented.h"

/*
 * Run fn(arg) inside a real interrupt service routine, now, and return after it ran.
 *
 * In:  fn, never NULL; arg, passed to it unchanged.
 * Out: nothing; when it returns, fn has run to its end in interrupt context (xPortIsInsideInterrupt
 *      true inside it) and any switch fn requested with portYIELD_FROM_ISR has happened.
 * Errors: none reported; configASSERT that it is called from a task with interrupts unmasked.
 * Called: by test_run_in_isr(), from a test case's task, with the scheduler running.
 *
 * How: pick an interrupt line no peripheral uses (a spare one of the interrupt controller, or a
 * software interrupt), give it a priority at which the kernel lets ISRs call FromISR functions, and
 * make its handler call the stored fn(arg). Here: store fn and arg, enable the line, make it
 * pending, and add the barrier your CPU needs for the pending interrupt to be taken before the
 * next instruction. Keep one pending call only: the framework never nests them.
 *
 * Template: reports that it is missing and does not run fn. The case that asked then fails on
 * what the ISR should have done, which is better than running fn as a plain call and passing.
 */
void board_test_trigger_interrupt(void (*fn)(void *arg), void *arg)
{
    (void)fn;
    (void)arg;
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/kernel.md");
}

/*
 * End the test run with exit_code: 0 when every case passed, 1 otherwise (or after a FATAL line).
 *
 * In:  exit_code, 0 or 1. Out: never returns.
 * Errors: none. Called: by the framework once the summary line ("OK" or "FAIL") is printed, or
 *      after a fatal error, from a task or from main() when the scheduler did not start.
 *
 * How: make the end visible to whatever runs the image. Under an emulator, exit it with the
 * status (semihosting, a test device). On a real board, the runner reads the console and stops at
 * the summary line, so it is enough to stop: mask interrupts and loop, or reset into a bootloader.
 * Everything printed before must have reached the UART (the console is unbuffered, so it has).
 *
 * Template: reports that it is missing, then ends the host process with exit_code
 * (template_host_exit), so that a run never waits for the runner's timeout.
 */
void board_test_finish(int exit_code)
{
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/qualification.md");
    template_host_exit(exit_code);
}
