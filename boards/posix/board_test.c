/* Alder posix board: the test framework's hooks (simulated interrupt, end of run).
 * It must never keep test state of its own beyond one pending interrupt call. */
#include <stdlib.h>

#include "FreeRTOS.h"
#include "alder_test.h"
#include "posix_port.h"
#include "task.h"

/* The line tests interrupt on; line 0 is the port's tick. */
#define BOARD_TEST_LINE 1u

static void (*volatile pending_fn)(void *arg);
static void *volatile pending_arg;

static void board_test_isr(void)
{
    void (*fn)(void *arg) = pending_fn;
    pending_fn = NULL;
    if (fn != NULL) {
        fn(pending_arg);
    }
}

/* Called from a task with interrupts unmasked, the ISR has run when posix_raise_interrupt returns. */
void board_test_trigger_interrupt(void (*fn)(void *arg), void *arg)
{
    configASSERT(!xPortIsInsideInterrupt() && posix_cpu.masked == 0);
    pending_arg = arg;
    pending_fn = fn;
    (void)posix_install_interrupt(BOARD_TEST_LINE, board_test_isr);
    posix_raise_interrupt(BOARD_TEST_LINE);
}

void board_test_finish(int exit_code)
{
    if (xTaskGetSchedulerState() != taskSCHEDULER_NOT_STARTED) {
        vTaskEndScheduler(); /* main() returns the framework's verdict */
    }
    exit(exit_code);
}
