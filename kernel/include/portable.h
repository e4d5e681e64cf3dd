/* Alder kernel: the contract between the portable kernel and a CPU port (kernel/port/<arch>/).
 * It must never contain anything specific to one CPU; docs/porting/kernel.md explains it at length. */
#ifndef ALDER_PORTABLE_H
#define ALDER_PORTABLE_H

/*
 * A port is a directory kernel/port/<arch>/ with portmacro.h and one or more .c/.S files.
 *
 * portmacro.h must define:
 *   Types     StackType_t, BaseType_t (signed, natural width), UBaseType_t (unsigned, same width).
 *             (TickType_t is defined by FreeRTOS.h from configTICK_TYPE_WIDTH_IN_BITS.)
 *   Constants portSTACK_GROWTH (-1: stacks grow down; the only direction supported),
 *             portBYTE_ALIGNMENT (stack and heap alignment, a power of two),
 *             portPOINTER_SIZE_TYPE (an unsigned integer as wide as a pointer).
 *   Yield     portYIELD()             request a context switch from task code. The switch happens
 *                                     at once when interrupts are unmasked, else when they are
 *                                     unmasked (the way PendSV works on Cortex-M).
 *             portYIELD_FROM_ISR(x)   request a switch at the end of the current ISR when x != 0.
 *   Masking   portDISABLE_INTERRUPTS() / portENABLE_INTERRUPTS()   mask and unmask the interrupts
 *                                     that may call the kernel (not nested).
 *             portENTER_CRITICAL() / portEXIT_CRITICAL()           nested masking from tasks.
 *             portSET_INTERRUPT_MASK_FROM_ISR() -> UBaseType_t, portCLEAR_INTERRUPT_MASK_FROM_ISR(x)
 *                                     nestable masking usable in an ISR.
 *             portIS_INSIDE_INTERRUPT()  non-zero while an ISR runs (xPortIsInsideInterrupt()).
 *   Optional  portSUPPRESS_TICKS_AND_SLEEP(idle_ticks)  tickless idle (configUSE_TICKLESS_IDLE):
 *                                     stop the tick, sleep at most idle_ticks, call vTaskStepTick()
 *                                     with the ticks that passed, restart the tick.
 *             portHIGHEST_SET_BIT(mask)  index of the highest set bit of a non-zero 32-bit mask;
 *                                     used when configUSE_PORT_OPTIMISED_TASK_SELECTION is 1.
 *             portSTACK_ALLOCATED(low, bytes) / portSTACK_RELEASED(low)  tell the port about a task
 *                                     stack (a simulator registers it with valgrind); default empty.
 *             portASSERT_IF_INTERRUPT_PRIORITY_INVALID()  checked by FromISR calls; default empty.
 *             portNOP(), portMEMORY_BARRIER(), portDONT_DISCARD, portTASK_FUNCTION(_PROTO).
 *
 * The port's C or assembly files must implement the functions below, and must:
 *   - from the tick interrupt, call xTaskIncrementTick() inside an interrupt mask and request a
 *     switch when it returns pdTRUE;
 *   - to switch, save the running task's context on its stack, store the stack pointer in the
 *     first word of the structure pxCurrentTCB points to, call vTaskSwitchContext() with
 *     interrupts masked, then restore the context whose stack pointer is the first word of the
 *     new pxCurrentTCB.
 */

#include "portmacro.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Lay out a first context on a new stack so that the first switch to it calls
 * task_code(parameters) with interrupts enabled. Returns the new top of stack (the value
 * stored as the task's saved stack pointer). top_of_stack is the highest usable word. */
StackType_t *pxPortInitialiseStack(StackType_t *top_of_stack, TaskFunction_t task_code, void *parameters);

/* Start the tick and switch to the first task (pxCurrentTCB). Returns only when
 * vPortEndScheduler is called (ports that cannot end the scheduler never return). */
BaseType_t xPortStartScheduler(void);

/* Stop the tick and return from xPortStartScheduler (where the port supports it). */
void vPortEndScheduler(void);

/* Heap interface implemented by kernel/heap/heap_*.c (the board picks one). */
void *pvPortMalloc(size_t size);
void *pvPortCalloc(size_t count, size_t size);
void vPortFree(void *block);
size_t xPortGetFreeHeapSize(void);
size_t xPortGetMinimumEverFreeHeapSize(void);
void vPortInitialiseBlocks(void);
void vPortHeapResetState(void);
void xPortResetHeapMinimumEverFreeHeapSize(void);

typedef struct xHeapStats {
    size_t xAvailableHeapSpaceInBytes;
    size_t xSizeOfLargestFreeBlockInBytes;
    size_t xSizeOfSmallestFreeBlockInBytes;
    size_t xNumberOfFreeBlocks;
    size_t xMinimumEverFreeBytesRemaining;
    size_t xNumberOfSuccessfulAllocations;
    size_t xNumberOfSuccessfulFrees;
} HeapStats_t;
void vPortGetHeapStats(HeapStats_t *stats);

typedef struct HeapRegion {
    uint8_t *pucStartAddress;
    size_t xSizeInBytes;
} HeapRegion_t;
/* heap_regions.c only: the regions, in ascending address order, ended by {NULL, 0}. */
void vPortDefineHeapRegions(const HeapRegion_t *regions);

#ifdef __cplusplus
}
#endif

#endif /* ALDER_PORTABLE_H */
