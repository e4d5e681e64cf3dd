/* Alder kernel: the bump heap: blocks are carved in order from one static array and never reused.
 * It must never give memory back except the most recent block, and never be called from an ISR. */
#include "heap_common.h"

/*
 * For applications that create everything at start-up and delete nothing: the smallest code,
 * no per-block overhead beyond alignment, and no fragmentation. vPortFree(NULL) does nothing;
 * freeing the most recent allocation gives it back, so a kernel create function that
 * allocates twice and fails on the second can undo the first; freeing any other block is a
 * design error (the application needs heap_first_fit.c), which asserts and leaks the block.
 */

#if configAPPLICATION_ALLOCATED_HEAP == 1
extern uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#else
static uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#endif

#define NO_LAST_BLOCK ((size_t)-1)

static size_t used_bytes;  /* from the first aligned address in ucHeap */
static size_t peak_bytes;  /* the most used_bytes has been: the minimum-ever free heap */
static size_t last_offset = NO_LAST_BLOCK; /* where the most recent allocation starts */
static size_t allocations;
static size_t frees;

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
        last_offset = used_bytes;
        used_bytes += size;
        peak_bytes = used_bytes > peak_bytes ? used_bytes : peak_bytes;
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
    bool is_last;

    if (pv == NULL) {
        return;
    }
    vTaskSuspendAll();
    is_last = (uintptr_t)pv - (uintptr_t)heap_base() == last_offset;
    if (is_last) {
        traceFREE(pv, used_bytes - last_offset);
        used_bytes = last_offset;
        last_offset = NO_LAST_BLOCK; /* one step back only: the block before has no recorded start */
        frees++;
    }
    (void)xTaskResumeAll();
    configASSERT(is_last);
}

size_t xPortGetFreeHeapSize(void)
{
    return heap_capacity() - used_bytes;
}

size_t xPortGetMinimumEverFreeHeapSize(void)
{
    return heap_capacity() - peak_bytes;
}

void xPortResetHeapMinimumEverFreeHeapSize(void)
{
    peak_bytes = used_bytes;
}

void vPortGetHeapStats(HeapStats_t *pxHeapStats)
{
    size_t free_now = xPortGetFreeHeapSize();

    pxHeapStats->xAvailableHeapSpaceInBytes = free_now;
    pxHeapStats->xSizeOfLargestFreeBlockInBytes = free_now;
    pxHeapStats->xSizeOfSmallestFreeBlockInBytes = free_now;
    pxHeapStats->xNumberOfFreeBlocks = free_now != 0 ? 1u : 0u;
    pxHeapStats->xMinimumEverFreeBytesRemaining = xPortGetMinimumEverFreeHeapSize();
    pxHeapStats->xNumberOfSuccessfulAllocations = allocations;
    pxHeapStats->xNumberOfSuccessfulFrees = frees;
}

void vPortHeapResetState(void)
{
    used_bytes = 0;
    peak_bytes = 0;
    last_offset = NO_LAST_BLOCK;
    allocations = 0;
    frees = 0;
}
