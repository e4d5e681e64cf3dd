/* Alder kernel: what every heap_*.c shares: alignment, the failure hook, calloc, the public extras.
 * It must never be included by anything but the one heap_*.c a build links. */
#ifndef ALDER_HEAP_COMMON_H
#define ALDER_HEAP_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "FreeRTOS.h"
#include "task.h"

#define HEAP_ALIGN_MASK ((size_t)portBYTE_ALIGNMENT - 1u)



/* Called outside the heap lock, so the hook may inspect the heap (its stats, say). */
static void heap_out_of_memory(void)
{
#if configUSE_MALLOC_FAILED_HOOK == 1
    vApplicationMallocFailedHook();
#endif
}

/* size rounded up to a multiple of the alignment plus `extra`; 0 for 0 or on overflow. */
static size_t heap_round_up(size_t size, size_t extra)
{
    if (size == 0 || size > SIZE_MAX - extra - HEAP_ALIGN_MASK) {
        return 0;
    }
    return (size + extra + HEAP_ALIGN_MASK) & ~HEAP_ALIGN_MASK;
}

void *pvPortCalloc(size_t xNum, size_t xSize)
{
    void *block;

    if (xSize != 0 && xNum > SIZE_MAX / xSize) {
        heap_out_of_memory();
        return NULL;
    }
    block = pvPortMalloc(xNum * xSize);
    if (block != NULL) {
        memset(block, 0, xNum * xSize);
    }
    return block;
}

/* The C startup zeroes the heap's state, which is all the initialisation it needs; to start
 * over (tests), use vPortHeapResetState. */
void vPortInitialiseBlocks(void)
{
}

#endif /* ALDER_HEAP_COMMON_H */
