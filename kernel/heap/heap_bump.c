/* Alder kernel: the bump heap: blocks are carved in order from one static array and never reused.
 * It must never give memory back, hand out a byte twice, or be called from an ISR. */
#include "heap_common.h"

/*
 * For applications that create everything at start-up and delete nothing: the smallest code,
 * no per-block overhead beyond alignment, and no fragmentation. vPortFree ignores the block
 * (it stays allocated) rather than asserting, because the kernel frees on paths an application
 * of this heap may still take: deleting a task, or undoing the first allocation of a create
 * function whose second one failed. It does assert on a pointer the heap never handed out.
 */

#if configAPPLICATION_ALLOCATED_HEAP == 1
extern uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#else
static uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#endif

static size_t used_bytes; /* from the first aligned address in ucHeap */
static size_t allocations;

static uint8_t *heap_base(void)
{
    return (uint8_t *)(((uintptr_t)ucHeap + HEAP_ALIGN_MASK) & ~(uintptr_t)HEAP_ALIGN_MASK);
}

static size_t heap_capacity(void)
{
    return configTOTAL_HEAP_SIZE - (size_t)(heap_base() - ucHeap);
}

void *pvPortMalloc(size_t xWantedSize)
{
    size_t size = heap_round_up(xWantedSize, 0);
    void *block = NULL;

    vTaskSuspendAll();
    if (size != 0 && size <= heap_capacity() - used_bytes) {
        block = heap_base() + used_bytes;
        used_bytes += size;
        allocations++;
    }
    traceMALLOC(block, xWantedSize);
    (void)xTaskResumeAll();
    if (block == NULL && xWantedSize != 0) {
        heap_out_of_memory();
    }
    return block;
}

void vPortFree(void *pv)
{
    configASSERT(pv == NULL ||
                 ((uintptr_t)pv >= (uintptr_t)heap_base() && (uintptr_t)pv < (uintptr_t)heap_base() + used_bytes));
    (void)pv;
}

size_t xPortGetFreeHeapSize(void)
{
    return heap_capacity() - used_bytes;
}

/* Nothing is ever given back, so the free heap only falls: now is its lowest. */
size_t xPortGetMinimumEverFreeHeapSize(void)
{
    return xPortGetFreeHeapSize();
}

void xPortResetHeapMinimumEverFreeHeapSize(void)
{
}

void vPortGetHeapStats(HeapStats_t *pxHeapStats)
{
    size_t free_now = xPortGetFreeHeapSize();

    pxHeapStats->xAvailableHeapSpaceInBytes = free_now;
    pxHeapStats->xSizeOfLargestFreeBlockInBytes = free_now;
    pxHeapStats->xSizeOfSmallestFreeBlockInBytes = free_now;
    pxHeapStats->xNumberOfFreeBlocks = free_now != 0 ? 1u : 0u;
    pxHeapStats->xMinimumEverFreeBytesRemaining = free_now;
    pxHeapStats->xNumberOfSuccessfulAllocations = allocations;
    pxHeapStats->xNumberOfSuccessfulFrees = 0;
}

void vPortHeapResetState(void)
{
    used_bytes = 0;
    allocations = 0;
}
