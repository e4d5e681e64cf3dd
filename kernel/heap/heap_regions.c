/* Alder kernel: the first-fit heap over several separate memory regions (heap_5-like).
 * It must never allocate before vPortDefineHeapRegions has described the regions. */

/* The whole algorithm is heap_first_fit.c's; only the source of memory differs. */
#define ALDER_HEAP_REGIONS 1
#include "heap_first_fit.c"

/* Regions come in ascending address order and must not overlap; a region touching the one
 * before it simply merges with it. */
void vPortDefineHeapRegions(const HeapRegion_t *regions)
{
    uintptr_t previous_end = 0;

    configASSERT(regions != NULL && !heap.ready);
    if (regions == NULL || heap.ready) {
        return;
    }
    for (; regions->xSizeInBytes != 0; regions++) {
        uintptr_t start = (uintptr_t)regions->pucStartAddress;
        configASSERT(start >= previous_end);
        if (start >= previous_end) { /* an overlap would hand out the same bytes twice */
            add_region(regions->pucStartAddress, regions->xSizeInBytes);
            previous_end = start + regions->xSizeInBytes;
        }
    }
    configASSERT(heap.free_bytes != 0);
    heap.ready = true;
}

/* Reached only when something allocates before vPortDefineHeapRegions: a start-up order bug. */
static void heap_init(void)
{
    configASSERT(heap.ready);
}
