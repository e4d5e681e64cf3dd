/* Alder armv7m port: the portable.h contract for Cortex-M3 and Cortex-M4 without FPU (ARMv7-M, Thumb-2).
 * It must never keep masking state per task (one critical nesting counter for the CPU) nor touch the FPU. */
#ifndef ALDER_PORTMACRO_H
#define ALDER_PORTMACRO_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__ARM_ARCH_7M__) && !defined(__ARM_ARCH_7EM__)
#error "kernel/port/armv7m needs an ARMv7-M CPU: build with -mcpu=cortex-m3 (or cortex-m4) -mthumb"
#endif
#if defined(__ARM_FP)
#error "kernel/port/armv7m saves no FPU registers on a switch: build with -mfloat-abi=soft"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t StackType_t;
typedef long BaseType_t;
typedef unsigned long UBaseType_t;

#define portSTACK_GROWTH (-1)
#define portBYTE_ALIGNMENT 8 /* AAPCS: the stack is 8-byte aligned at every public interface */
#define portPOINTER_SIZE_TYPE uint32_t
#define portTICK_TYPE_IS_ATOMIC 1

/*
 * Interrupt priorities. An ARMv7-M priority is one byte; a part implements only its top
 * __NVIC_PRIO_BITS bits, and a lower number is a more urgent interrupt. The kernel masks with
 * BASEPRI = configMAX_SYSCALL_INTERRUPT_PRIORITY, so interrupts at that value or numerically above
 * may call FromISR functions and those below it are never delayed by the kernel (and must never
 * call it). The value must not be 0 (BASEPRI 0 masks nothing) and, because the switch code loads
 * it with a `mov` instruction, must be a plain integer expression (no casts, no U/L suffixes).
 */
#if !defined(configMAX_SYSCALL_INTERRUPT_PRIORITY) && defined(configMAX_API_CALL_INTERRUPT_PRIORITY)
#define configMAX_SYSCALL_INTERRUPT_PRIORITY configMAX_API_CALL_INTERRUPT_PRIORITY
#endif
#ifndef configMAX_SYSCALL_INTERRUPT_PRIORITY
#error "define configMAX_SYSCALL_INTERRUPT_PRIORITY in board_config.h: a BASEPRI value such as 0xA0"
#endif
#if (configMAX_SYSCALL_INTERRUPT_PRIORITY) <= 0 || (configMAX_SYSCALL_INTERRUPT_PRIORITY) > 255
#error "configMAX_SYSCALL_INTERRUPT_PRIORITY must be between 1 and 255 (0 would mask nothing)"
#endif
/* PendSV and SysTick run here. 255 is the lowest priority on every part: unimplemented bits read 0. */
#ifndef configKERNEL_INTERRUPT_PRIORITY
#define configKERNEL_INTERRUPT_PRIORITY 255
#endif

/* ---- special registers ---- */

static inline uint32_t port_read_basepri(void)
{
    uint32_t value;
    __asm volatile("mrs %0, basepri" : "=r"(value));
    return value;
}

static inline void port_write_basepri(uint32_t value)
{
    __asm volatile("msr basepri, %0" ::"r"(value) : "memory");
}

/* The isb makes the new mask certain to hold for the very next instruction, whatever the pipeline
 * had already fetched: the kernel's list updates follow at once. */
static inline void port_mask_kernel_interrupts(void)
{
    __asm volatile("msr basepri, %0\n\tisb" ::"r"((uint32_t)configMAX_SYSCALL_INTERRUPT_PRIORITY) : "memory");
}

static inline uint32_t port_mask_from_isr(void)
{
    uint32_t previous = port_read_basepri();
    port_mask_kernel_interrupts();
    return previous;
}

/* IPSR holds the active exception number: 0 in thread mode (tasks, main). */
static inline uint32_t port_active_vector(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr & 0x1FFu;
}

/* Interrupt Control and State Register: setting PENDSVSET requests the switch exception. */
#define PORT_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define PORT_ICSR_PENDSVSET (1u << 28)

/* ---- the contract ---- */

/* Out of line: they appear at dozens of places in the kernel, and a call is smaller than the body. */
void vPortEnterCritical(void);
void vPortExitCritical(void);
void vPortYield(void);
BaseType_t xPortIsInsideInterrupt(void);
void vPortValidateInterruptPriority(void);
void vPortSuppressTicksAndSleep(TickType_t expected_idle_ticks);
void vPortSetupTimerInterrupt(void); /* weak: a board may drive the tick from another timer */

/* The exception handlers the board's vector table must hold (CMSIS names, so a vendor's startup
 * file works unchanged). SVC is the port's: it starts the first task. xPortStartScheduler asserts
 * that the active vector table holds these three. */
void SVC_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);

#define portYIELD() vPortYield()
/* In an ISR the switch waits for the exception return anyway (PendSV has the lowest priority),
 * so no barrier is needed here. */
#define portYIELD_FROM_ISR(switch_required)                                                                            \
    do {                                                                                                               \
        if ((switch_required) != 0) {                                                                                  \
            PORT_ICSR = PORT_ICSR_PENDSVSET;                                                                           \
        }                                                                                                              \
    } while (0)
#define portEND_SWITCHING_ISR(switch_required) portYIELD_FROM_ISR(switch_required)

#define portDISABLE_INTERRUPTS() port_mask_kernel_interrupts()
#define portENABLE_INTERRUPTS() port_write_basepri(0)
#define portENTER_CRITICAL() vPortEnterCritical()
#define portEXIT_CRITICAL() vPortExitCritical()
#define portSET_INTERRUPT_MASK_FROM_ISR() ((UBaseType_t)port_mask_from_isr())
#define portCLEAR_INTERRUPT_MASK_FROM_ISR(previous) port_write_basepri((uint32_t)(previous))
#define portIS_INSIDE_INTERRUPT() (port_active_vector() != 0)

#ifdef configASSERT
#define portASSERT_IF_INTERRUPT_PRIORITY_INVALID() vPortValidateInterruptPriority()
#endif

#define portHIGHEST_SET_BIT(mask) (31 - __builtin_clz((uint32_t)(mask)))

#define portSUPPRESS_TICKS_AND_SLEEP(expected_idle_ticks) vPortSuppressTicksAndSleep(expected_idle_ticks)

#define portMEMORY_BARRIER() __asm volatile("" ::: "memory")
#define portNOP() __asm volatile("nop")
#define portFORCE_INLINE inline __attribute__((always_inline))
#define portDONT_DISCARD __attribute__((used))

#define portTASK_FUNCTION_PROTO(name, params) void name(void *params)
#define portTASK_FUNCTION(name, params) void name(void *params)

#ifdef __cplusplus
}
#endif

#endif /* ALDER_PORTMACRO_H */
