/* Alder kernel tests: what the Kernel group's sources share: the hook recorders and a few small helpers.
 * It must never hold a test case, nor use anything beyond the public FreeRTOS API and alder_test.h. */
#ifndef KERNEL_TEST_H
#define KERNEL_TEST_H

#include <setjmp.h>
#include <stdint.h>

#include "FreeRTOS.h"
#include "alder_test.h"
#include "task.h"

/*
 * The application hooks of every Kernel test image live in kernel_test_hooks.c and only
 * record what the kernel did. A case that checks a hook calls kt_reset_hooks() first and
 * compares the counters afterwards; the counters only ever grow between resets.
 */
extern volatile uint32_t kt_stack_overflow_count;
extern TaskHandle_t volatile kt_stack_overflow_task;
extern volatile uint32_t kt_malloc_failed_count;
extern volatile uint32_t kt_idle_hook_count;
extern volatile uint32_t kt_tick_hook_count;
extern volatile uint32_t kt_daemon_startup_count; /* once per boot: kt_reset_hooks() keeps it */
extern void (*volatile kt_tick_hook_fn)(void);    /* called from the tick hook when non-NULL */

/*
 * Stack overflow (configCHECK_FOR_STACK_OVERFLOW): the kernel calls the hook from the context
 * switch, while it switches the overflowing task out, so returning from the hook never resumes
 * that task: the switch goes on to another one. The hook records the task and returns; it
 * calls no kernel API (none is safe inside a switch). A case that provokes an overflow sets
 * kt_stack_overflow_expected first and must do it safely: it damages only the guard words at
 * the far end of a stack it owns (a static buffer), never memory beyond the stack, so the task
 * is still sound; the case then deletes it. An overflow nobody expected is a real bug: the
 * hook prints it, and the run ends with a failure (board_test_finish(1)).
 */
extern volatile uint32_t kt_stack_overflow_expected;

/* Zero every counter (but the daemon one), clear kt_tick_hook_fn and the overflow record. */
void kt_reset_hooks(void);

/* ---- helpers ---- */

/* Stack of a helper task: within what the runner's static pool offers (static_only builds). */
#define KT_STACK (configMINIMAL_STACK_SIZE * 2)
/* Extra ticks allowed on the high side of a wait. The low side is always exact (a wait never ends
 * early). The high side is generous because the simulated CPU (posix, in either time mode while
 * tasks run) and QEMU both follow the host clock: a loaded host (CI) can be tens of milliseconds
 * late, and that is the host's lateness, not the kernel's. Exactness on the high side is what
 * virtual time and the deterministic cases (higher-priority task holding the CPU) check. */
#ifndef KT_SLACK
#define KT_SLACK 50
#endif
#define KT_LOW (TEST_CASE_PRIORITY - 1)
#define KT_HIGH (TEST_CASE_PRIORITY + 1)
#define KT_HIGHER (TEST_CASE_PRIORITY + 2)

/* One static task buffer for the cases that need a statically created task (RAM is scarce on
 * the smallest boards). One case at a time uses it, and deletes its task before it ends. */
#if configSUPPORT_STATIC_ALLOCATION
extern StaticTask_t kt_static_tcb;
extern StackType_t kt_static_stack[KT_STACK];
#endif

/* A task made ready by the running task runs at once only under preemption; a cooperative
 * build lets it run at the next yield. Cases put this where they expect the switch. */
#if configUSE_PREEMPTION
#define KT_LET_HIGHER_RUN()                                                                                            \
    do {                                                                                                               \
    } while (0)
#else
#define KT_LET_HIGHER_RUN() taskYIELD()
#endif

/* Let lower-priority tasks run until `cond` holds, a tick at a time, for at most 200 ticks. One
 * vTaskDelay(1) is not enough: the tick may come at once, before a lower task has done anything. */
#define KT_WAIT_UNTIL(cond)                                                                                            \
    do {                                                                                                               \
        for (unsigned kt_tick_ = 0; !(cond) && kt_tick_ < 200; kt_tick_++) {                                           \
            vTaskDelay(1);                                                                                             \
        }                                                                                                              \
    } while (0)

/* Block until a tick boundary, so that a following wait counts whole ticks; returns the tick. */
TickType_t kt_align_to_tick(void);

/* Ticks since `start`, in the tick type's own modular arithmetic (right across a wrap). */
TickType_t kt_ticks_since(TickType_t start);

/* Busy (never blocks) until the tick count has moved `ticks` past its value at the call. */
void kt_spin_ticks(TickType_t ticks);

/* Busy for a number of loop turns, never looking at the tick. */
void kt_spin_loops(uint32_t loops);

/* Block a tick at a time (at most 20) until the idle task has freed what deleted tasks left and
 * uxTaskGetNumberOfTasks() is `expected`; returns the count then. Single ticks, because the idle
 * task may sleep through a longer delay before it looks at the deleted tasks again. */
UBaseType_t kt_wait_for_task_count(UBaseType_t expected);

/* Block a tick at a time (at most 20) until *value == expected; returns *value then. This is
 * how a case lets lower-priority tasks reach a point: a single vTaskDelay(1) is not enough, as
 * it ends at the next tick, which may be about to come. */
uint32_t kt_wait_for_value(const volatile uint32_t *value, uint32_t expected);

/* The same, until eTaskGetState(task) == state; returns the state then. */
eTaskState kt_wait_for_state(TaskHandle_t task, eTaskState state);

/* Delete a task made with test_task_create() and tell the runner it is gone. */
void kt_delete(TaskHandle_t task);

/* Task bodies: park (suspend itself for good), and block forever without being suspended. */
void kt_park(void) __attribute__((noreturn));
void kt_park_task(void *unused);
void kt_block_task(void *unused);

/* Run stmt with configASSERT armed; fired becomes 1 when an assertion fired (and cut stmt short),
 * else 0. Unlike TEST_EXPECT_ASSERT it does not fail the case, so it is safe inside an ISR and
 * with the scheduler suspended: the caller checks `fired` once it is safe to. Anything stmt
 * writes must be volatile to survive the jump. */
#define KT_CAPTURE_ASSERT(stmt, fired)                                                                                 \
    do {                                                                                                               \
        jmp_buf kt_jb_;                                                                                                \
        (fired) = 0;                                                                                                   \
        if (setjmp(kt_jb_) == 0) {                                                                                     \
            alder_test_arm_assert(&kt_jb_);                                                                            \
            stmt;                                                                                                      \
            alder_test_disarm_assert();                                                                                \
        } else {                                                                                                       \
            (fired) = 1;                                                                                               \
        }                                                                                                              \
    } while (0)

/* Print a label and a number in hex on the console (alder_test_print; no printf on targets). */
void kt_print_hex(const char *label, uint32_t value);

#endif /* KERNEL_TEST_H */
