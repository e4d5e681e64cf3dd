/* Alder posix port: the portable.h contract for the host simulator (x86-64 Linux, one host thread is the CPU).
 * It must never make a system call on the yield, mask or critical-section paths: they are plain memory. */
#ifndef ALDER_PORTMACRO_H
#define ALDER_PORTMACRO_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__x86_64__) || !defined(__linux__)
#error "kernel/port/posix runs on x86-64 Linux hosts only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A stack word is a pointer-sized word (8 bytes): stack depths passed to xTaskCreate are counted
 * in these, so configMINIMAL_STACK_SIZE 4096 is 32 KB. */
typedef uintptr_t StackType_t;
typedef long BaseType_t;
typedef unsigned long UBaseType_t;

#define portSTACK_GROWTH (-1)
#define portBYTE_ALIGNMENT 16
#define portPOINTER_SIZE_TYPE uintptr_t
#define portTICK_TYPE_IS_ATOMIC 1

/* Used by FreeRTOS.h when FreeRTOSConfig.h leaves them out. glibc's printf alone wants ~10 KB. */
#define portDEFAULT_MINIMAL_STACK_SIZE 4096
#define portDEFAULT_TOTAL_HEAP_SIZE ((size_t)8 * 1024 * 1024)

/*
 * The simulated CPU. Only the CPU thread writes these fields, except irq_pending, which any host
 * thread sets with atomic operations. The signal handler that preempts tasks runs on the CPU
 * thread too, so a compiler barrier is all the ordering the masking fields need.
 * port_internal.h repeats the field offsets for the assembly; port.c checks that they agree.
 */
struct posix_cpu {
    volatile uint32_t masked;         /* interrupts masked (portDISABLE_INTERRUPTS, critical sections, ISRs) */
    volatile uint32_t in_isr;         /* an ISR is running */
    volatile uint32_t host_depth;     /* posix_host_call_begin nesting: no preemption, no ISRs */
    volatile uint32_t switch_pending; /* a context switch was requested (the PendSV of this CPU) */
    uint32_t irq_pending;             /* one bit per interrupt line, raised from any thread */
    volatile uint32_t running;        /* between xPortStartScheduler and vPortEndScheduler */
    UBaseType_t critical_nesting;     /* one counter for the CPU, not per task: switches happen at zero */
};
extern struct posix_cpu posix_cpu;

/* Out of line, reached only when an interrupt or a switch is pending at an unmask. */
void posix_take_pending(void);
BaseType_t xPortIsInsideInterrupt(void);
void posix_suppress_ticks_and_sleep(TickType_t expected_idle_ticks);
void posix_stack_allocated(void *low, size_t bytes);
void posix_stack_released(void *low);

#define portMEMORY_BARRIER() __asm__ volatile("" ::: "memory")
#define portNOP() __asm__ volatile("nop")
#define portFORCE_INLINE inline __attribute__((always_inline))
#define portDONT_DISCARD __attribute__((used))

static inline int posix_has_pending_work(void)
{
    return (posix_cpu.switch_pending | __atomic_load_n(&posix_cpu.irq_pending, __ATOMIC_RELAXED)) != 0;
}

static inline void posix_disable_interrupts(void)
{
    posix_cpu.masked = 1;
    portMEMORY_BARRIER();
}

static inline void posix_enable_interrupts(void)
{
    portMEMORY_BARRIER();
    posix_cpu.masked = 0;
    portMEMORY_BARRIER();
    if (posix_has_pending_work()) {
        posix_take_pending();
    }
}

static inline void posix_enter_critical(void)
{
    posix_disable_interrupts();
    posix_cpu.critical_nesting++;
}

static inline void posix_exit_critical(void)
{
    if (--posix_cpu.critical_nesting == 0) {
        posix_enable_interrupts();
    }
}

static inline UBaseType_t posix_mask_from_isr(void)
{
    const UBaseType_t was_masked = posix_cpu.masked;
    posix_disable_interrupts();
    return was_masked;
}

static inline void posix_unmask_from_isr(UBaseType_t was_masked)
{
    if (was_masked == 0) {
        posix_enable_interrupts();
    }
    portMEMORY_BARRIER();
}

/* Like PendSV: the request is taken at once when nothing masks it, else at the unmask. */
static inline void posix_yield(void)
{
    posix_cpu.switch_pending = 1;
    portMEMORY_BARRIER();
    if (posix_cpu.masked == 0) {
        posix_take_pending();
    }
}

#define portYIELD() posix_yield()
#define portYIELD_FROM_ISR(switch_required)                                                               \
    do {                                                                                                  \
        if ((switch_required) != 0) {                                                                     \
            posix_cpu.switch_pending = 1;                                                                 \
        }                                                                                                 \
    } while (0)
#define portEND_SWITCHING_ISR(switch_required) portYIELD_FROM_ISR(switch_required)

#define portDISABLE_INTERRUPTS() posix_disable_interrupts()
#define portENABLE_INTERRUPTS() posix_enable_interrupts()
#define portENTER_CRITICAL() posix_enter_critical()
#define portEXIT_CRITICAL() posix_exit_critical()
#define portSET_INTERRUPT_MASK_FROM_ISR() posix_mask_from_isr()
#define portCLEAR_INTERRUPT_MASK_FROM_ISR(was_masked) posix_unmask_from_isr(was_masked)
#define portIS_INSIDE_INTERRUPT() (posix_cpu.in_isr != 0)

#define portHIGHEST_SET_BIT(mask) (31 - __builtin_clz((uint32_t)(mask)))

#define portSUPPRESS_TICKS_AND_SLEEP(expected_idle_ticks) posix_suppress_ticks_and_sleep(expected_idle_ticks)

/* Valgrind follows switches between task stacks only when it knows them. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#define POSIX_HAVE_VALGRIND 1
#endif
#endif
#ifdef POSIX_HAVE_VALGRIND
#define portSTACK_ALLOCATED(low, bytes) posix_stack_allocated((void *)(low), (size_t)(bytes))
#define portSTACK_RELEASED(low) posix_stack_released((void *)(low))
#endif

#define portTASK_FUNCTION_PROTO(name, params) void name(void *params)
#define portTASK_FUNCTION(name, params) void name(void *params)

#ifdef __cplusplus
}
#endif

#endif /* ALDER_PORTMACRO_H */
