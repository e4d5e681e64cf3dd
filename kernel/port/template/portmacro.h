/* Alder template port: every type, constant and macro the kernel needs from a port, each with its contract, none yet real.
 * It must never use inline assembly or host headers: it compiles for any CPU and for the 64-bit host the template board builds on. */
#ifndef ALDER_PORTMACRO_H
#define ALDER_PORTMACRO_H

/*
 * Copy this directory to kernel/port/<arch>/ and make each item true for your CPU. The contract is
 * kernel/include/portable.h; docs/porting/kernel.md explains it. Every macro here maps to a
 * function in port.c, so that an unported macro reports itself ("ALDER NOT IMPLEMENTED") instead
 * of silently doing nothing. When a function works, you may turn its macro into an inline
 * sequence (see kernel/port/armv7m/portmacro.h), but keep the contract stated here.
 *
 * This header is included by FreeRTOS.h after FreeRTOSConfig.h, so it may test config macros.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- types ---- */

/*
 * One word of a task's stack. Stack depths given to xTaskCreate and configMINIMAL_STACK_SIZE are
 * counted in these, so its size decides what "160 words" means. On a 32-bit CPU it is uint32_t.
 * The template uses uintptr_t, which is uint32_t on a 32-bit MCU and 8 bytes on the 64-bit host
 * the template board builds on, so the same header compiles on both. Replace it with your CPU's
 * register-sized unsigned type.
 */
typedef uintptr_t StackType_t;

/*
 * The CPU's natural signed integer (BaseType_t) and its unsigned twin (UBaseType_t), same width.
 * The kernel uses them for flags, counts and priorities, and a port's masking macros pass the
 * saved mask around as UBaseType_t, so it must hold your CPU's whole interrupt-mask register.
 * long is 32 bits on every 32-bit MCU ABI (and 64 on the host); use int on a 16-bit CPU.
 */
typedef long BaseType_t;
typedef unsigned long UBaseType_t;

/* ---- constants ---- */

/* Stacks grow toward lower addresses. -1 is the only direction the kernel supports. */
#define portSTACK_GROWTH (-1)

/*
 * The alignment of every task stack top and every heap block, a power of two: the strictest
 * alignment your ABI requires of the stack pointer or of any type (8 on ARM EABI, 16 on RISC-V and
 * x86-64). 8 is right for most 32-bit MCUs. The host template build never runs a task, so 8 is
 * also safe there for the kernel objects it allocates.
 */
#define portBYTE_ALIGNMENT 8

/* An unsigned integer exactly as wide as a pointer: the kernel aligns addresses through it. */
#define portPOINTER_SIZE_TYPE uintptr_t

/* ---- the functions behind the macros (port.c gives each one's full contract) ---- */

void vPortYield(void);
void vPortYieldFromISR(void);
void vPortDisableInterrupts(void);
void vPortEnableInterrupts(void);
void vPortEnterCritical(void);
void vPortExitCritical(void);
UBaseType_t uxPortSetInterruptMaskFromISR(void);
void vPortClearInterruptMaskFromISR(UBaseType_t previous_mask);
BaseType_t xPortIsInsideInterrupt(void);
void vPortValidateInterruptPriority(void);
void vPortSuppressTicksAndSleep(TickType_t expected_idle_ticks);

/* Not called by the kernel: the port's own pieces, which your vector table or startup code wires. */
void vPortSetupTimerInterrupt(void); /* start the tick timer; called by xPortStartScheduler */
void vPortTickInterrupt(void);       /* the tick: call it from the tick timer's interrupt */
void vPortSwitchInterrupt(void);     /* the context switch: the lowest-priority software interrupt */

/* ---- yield ---- */

/*
 * portYIELD(): request a context switch from task code. With the kernel's interrupts unmasked the
 * switch has happened when the macro returns; with them masked (a critical section) it happens at
 * the unmask. The kernel never switches inside a critical section.
 */
#define portYIELD() vPortYield()

/*
 * portYIELD_FROM_ISR(x): inside an ISR, when x is non-zero, request a switch that happens when
 * the outermost ISR returns. x is the pxHigherPriorityTaskWoken value the FromISR calls collected.
 * portEND_SWITCHING_ISR is the older name of the same thing.
 */
#define portYIELD_FROM_ISR(switch_required)                                                                            \
    do {                                                                                                               \
        if ((switch_required) != 0) {                                                                                  \
            vPortYieldFromISR();                                                                                       \
        }                                                                                                              \
    } while (0)
#define portEND_SWITCHING_ISR(switch_required) portYIELD_FROM_ISR(switch_required)

/* ---- masking ---- */

/*
 * portDISABLE_INTERRUPTS() / portENABLE_INTERRUPTS(): mask and unmask the interrupts that may call
 * the kernel. Not nested: one enable undoes any number of disables. Interrupts that never call
 * the kernel may stay unmasked if your CPU has priority levels.
 */
#define portDISABLE_INTERRUPTS() vPortDisableInterrupts()
#define portENABLE_INTERRUPTS() vPortEnableInterrupts()

/*
 * portENTER_CRITICAL() / portEXIT_CRITICAL(): nested masking from task code (and from main()
 * before the scheduler starts). The first enter masks, the matching last exit unmasks and so lets
 * a switch requested inside happen. The nesting count is one per CPU, never per task.
 */
#define portENTER_CRITICAL() vPortEnterCritical()
#define portEXIT_CRITICAL() vPortExitCritical()

/*
 * portSET_INTERRUPT_MASK_FROM_ISR() -> UBaseType_t: mask from an ISR (or a task), returning the
 * mask as it was. portCLEAR_INTERRUPT_MASK_FROM_ISR(x): put back the mask returned. Nestable by
 * construction: each pair restores exactly what it found.
 */
#define portSET_INTERRUPT_MASK_FROM_ISR() uxPortSetInterruptMaskFromISR()
#define portCLEAR_INTERRUPT_MASK_FROM_ISR(previous_mask) vPortClearInterruptMaskFromISR(previous_mask)

/* portIS_INSIDE_INTERRUPT(): non-zero while an ISR runs. The kernel asserts with it that blocking
 * calls are never made from an ISR. */
#define portIS_INSIDE_INTERRUPT() (xPortIsInsideInterrupt() != pdFALSE)

/*
 * portASSERT_IF_INTERRUPT_PRIORITY_INVALID(): called at the top of every FromISR function when
 * asserts are on. It asserts that the running interrupt is one that may call the kernel (at or
 * below the kernel's mask level). If your CPU has a single interrupt level, delete the macro and
 * the function: FreeRTOS.h then defaults it to nothing.
 */
#ifdef configASSERT
#define portASSERT_IF_INTERRUPT_PRIORITY_INVALID() vPortValidateInterruptPriority()
#endif

/* ---- optional items, already usable ---- */

/*
 * portHIGHEST_SET_BIT(mask): the index (0-31) of the highest set bit of a non-zero 32-bit mask.
 * Defining it lets configUSE_PORT_OPTIMISED_TASK_SELECTION be 1 (the kernel tests use it). This
 * plain C loop is correct on every CPU; replace it with your CPU's count-leading-zeros instruction
 * (31 - clz) when it has one, because the scheduler runs it on every switch.
 */
static inline UBaseType_t port_highest_set_bit(uint32_t mask)
{
    UBaseType_t bit = 0;
    while ((mask >>= 1) != 0) {
        bit++;
    }
    return bit;
}
#define portHIGHEST_SET_BIT(mask) port_highest_set_bit((uint32_t)(mask))

/*
 * portSUPPRESS_TICKS_AND_SLEEP(idle_ticks): tickless idle, needed when configUSE_TICKLESS_IDLE is
 * 1 (the kernel tests use it). Port it last: docs/porting/kernel.md section 5.
 */
#define portSUPPRESS_TICKS_AND_SLEEP(expected_idle_ticks) vPortSuppressTicksAndSleep(expected_idle_ticks)

/* A compiler barrier: the compiler may not move memory accesses across it. A builtin rather than
 * an empty asm statement, so that the template needs no assembler syntax. */
#define portMEMORY_BARRIER() __atomic_signal_fence(__ATOMIC_SEQ_CST)

/*
 * Items with defaults in FreeRTOS.h, defined here only when your port needs something else:
 * portNOP(), portDONT_DISCARD, portTASK_FUNCTION(_PROTO), portYIELD_WITHIN_API,
 * portSTACK_ALLOCATED / portSTACK_RELEASED (a simulator registers stacks with valgrind),
 * portTICK_TYPE_ENTER_CRITICAL (masking while a tick wider than the CPU word is read),
 * portDEFAULT_MINIMAL_STACK_SIZE / portDEFAULT_TOTAL_HEAP_SIZE (used when a FreeRTOSConfig.h leaves
 * configMINIMAL_STACK_SIZE / configTOTAL_HEAP_SIZE out). Do not define TickType_t or
 * portMAX_DELAY: FreeRTOS.h makes them from configTICK_TYPE_WIDTH_IN_BITS.
 */

#ifdef __cplusplus
}
#endif

#endif /* ALDER_PORTMACRO_H */
