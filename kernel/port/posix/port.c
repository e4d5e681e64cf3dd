/* Alder posix port: task stacks, starting and ending the scheduler, and valgrind's view of task stacks.
 * It must never run a task on a host thread other than the one that called vTaskStartScheduler. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "port_internal.h"
#include "task.h"

#ifdef POSIX_HAVE_VALGRIND
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#endif

/* Interrupts start masked: nothing may preempt main() before the scheduler runs. */
struct posix_cpu posix_cpu = {.masked = 1};

/* The context of xPortStartScheduler's caller, resumed by vPortEndScheduler. */
static void *scheduler_sp;

/* The assembly hard-codes these offsets. */
typedef char posix_check_masked[offsetof(struct posix_cpu, masked) == POSIX_CPU_MASKED ? 1 : -1];
typedef char posix_check_in_isr[offsetof(struct posix_cpu, in_isr) == POSIX_CPU_IN_ISR ? 1 : -1];
typedef char posix_check_switch[offsetof(struct posix_cpu, switch_pending) == POSIX_CPU_SWITCH_PENDING ? 1 : -1];
typedef char posix_check_pending[offsetof(struct posix_cpu, irq_pending) == POSIX_CPU_IRQ_PENDING ? 1 : -1];

/* Defaults of the System V ABI: all exceptions masked, round to nearest, 64-bit x87 precision. */
#define INITIAL_MXCSR 0x1f80u
#define INITIAL_X87_CONTROL 0x037fu

enum { FRAME_FP_CONTROL, FRAME_R15, FRAME_R14, FRAME_R13, FRAME_R12, FRAME_RBX, FRAME_RBP, FRAME_RETURN,
       FRAME_WORDS };

StackType_t *pxPortInitialiseStack(StackType_t *top_of_stack, TaskFunction_t code, void *parameters)
{
    uintptr_t *frame = (uintptr_t *)((uintptr_t)top_of_stack & ~(uintptr_t)15) - FRAME_WORDS;
    memset(frame, 0, FRAME_WORDS * sizeof(*frame));
    frame[FRAME_FP_CONTROL] = INITIAL_MXCSR | ((uintptr_t)INITIAL_X87_CONTROL << 32);
    frame[FRAME_R12] = (uintptr_t)code;
    frame[FRAME_R13] = (uintptr_t)parameters;
    frame[FRAME_RETURN] = (uintptr_t)posix_task_entry;
    return (StackType_t *)frame;
}

/* Every task begins here, still masked from the switch that brought it in. */
void posix_task_run(TaskFunction_t code, void *parameters)
{
    posix_enable_interrupts();
    code(parameters);
    posix_console_print("alder posix port: a task function returned; a task must end with vTaskDelete(NULL)\n");
    abort();
}

BaseType_t xPortStartScheduler(void)
{
    posix_time_prepare();
    posix_interrupts_start();
    posix_cpu.masked = 1;
    posix_cpu.in_isr = 0;
    posix_cpu.host_depth = 0;
    posix_cpu.switch_pending = 0;
    posix_cpu.critical_nesting = 0;
    posix_cpu.running = 1;
    posix_time_start();
    posix_context_start(&scheduler_sp);
    /* vPortEndScheduler came back here. */
    return pdTRUE;
}

/* From a task (or an ISR): everything the tasks were doing is abandoned, as on a real CPU. */
void vPortEndScheduler(void)
{
    posix_disable_interrupts();
    posix_cpu.running = 0;
    posix_time_stop();
    posix_cpu.in_isr = 0;
    posix_cpu.host_depth = 0;
    posix_cpu.switch_pending = 0;
    posix_cpu.critical_nesting = 0;
    posix_context_resume(scheduler_sp);
}

BaseType_t xPortIsInsideInterrupt(void)
{
    return posix_cpu.in_isr != 0 ? pdTRUE : pdFALSE;
}

#ifdef POSIX_HAVE_VALGRIND
#define MAX_REGISTERED_STACKS 256

static struct {
    char *low;
    size_t bytes;
    unsigned id;
} registered_stacks[MAX_REGISTERED_STACKS];

void posix_stack_allocated(void *low, size_t bytes)
{
    if (!RUNNING_ON_VALGRIND) {
        return;
    }
    for (unsigned i = 0; i < MAX_REGISTERED_STACKS; i++) {
        if (registered_stacks[i].low == NULL) {
            registered_stacks[i].low = low;
            registered_stacks[i].bytes = bytes;
            registered_stacks[i].id = VALGRIND_STACK_REGISTER(low, (char *)low + bytes);
            return;
        }
    }
    /* Table full: valgrind still works, it may only warn about a stack switch. */
}

/* The memory goes back to the heap: memcheck must forget the "below the stack pointer, no
 * access" state it kept for the stack, or the next owner's first write is reported. */
void posix_stack_released(void *low)
{
    for (unsigned i = 0; i < MAX_REGISTERED_STACKS; i++) {
        if (registered_stacks[i].low == low) {
            VALGRIND_STACK_DEREGISTER(registered_stacks[i].id);
            VALGRIND_MAKE_MEM_UNDEFINED(low, registered_stacks[i].bytes);
            registered_stacks[i].low = NULL;
            return;
        }
    }
}
/* Memcheck can lose track of which part of a task stack is live when signals arrive while tasks
 * run on stacks it did not allocate (seen with valgrind 3.19: "invalid write" in glibc frames
 * below the interrupted stack pointer). Below the interrupted red zone nothing is live, so the
 * signal handler declares it accessible again. Defined, not undefined: the kernel's stack fill
 * pattern down there is real data (the overflow check reads it); new frames are still marked
 * undefined as the stack pointer moves down into them. */
void posix_valgrind_forget_dead_stack(uintptr_t sp)
{
    for (unsigned i = 0; i < MAX_REGISTERED_STACKS; i++) {
        char *low = registered_stacks[i].low;
        if (low != NULL && sp - POSIX_RED_ZONE_BYTES > (uintptr_t)low && sp <= (uintptr_t)low + registered_stacks[i].bytes) {
            VALGRIND_MAKE_MEM_DEFINED(low, sp - POSIX_RED_ZONE_BYTES - (uintptr_t)low);
            return;
        }
    }
}
#else
void posix_stack_allocated(void *low, size_t bytes)
{
    (void)low;
    (void)bytes;
}

void posix_stack_released(void *low)
{
    (void)low;
}
#endif
