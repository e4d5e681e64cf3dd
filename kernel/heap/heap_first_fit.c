/* Alder kernel: the first-fit heap: an address-ordered free list that merges neighbours on free.
 * It must never hand out overlapping blocks, trust a pointer it did not hand out, or run in an ISR. */
#include "heap_common.h"

/*
 * A block is a size_t header then the payload. The header holds the size of the whole block
 * (a multiple of the alignment) with bit 0 set while the block is allocated. Every block
 * starts HEADER_BYTES before an aligned address, so payloads are aligned at the cost of one
 * word per block rather than a whole alignment unit. A free block keeps the next free block's
 * address in its payload. Keeping the free list in address order lets a free find both
 * neighbours in one walk and merge with them, so free memory is never split into adjacent
 * pieces.
 *
 * heap_regions.c compiles this file with ALDER_HEAP_REGIONS defined; the only difference is
 * where the memory comes from (one static array here, a table of regions there).
 */
struct block {
    size_t size;        /* whole block, header included; bit 0: allocated */
    struct block *next; /* next free block by address, only while free */
};

#define HEADER_BYTES offsetof(struct block, next)
#define ALLOCATED ((size_t)1)
#define MIN_BLOCK ((sizeof(struct block) + HEAP_ALIGN_MASK) & ~HEAP_ALIGN_MASK)

/* The header must fit below an aligned payload, and bit 0 of a size must be spare. */
typedef char heap_alignment_is_valid[(HEADER_BYTES <= HEAP_ALIGN_MASK + 1u && HEADER_BYTES >= 2u &&
                                      ((HEAP_ALIGN_MASK + 1u) & HEAP_ALIGN_MASK) == 0u)
                                         ? 1
                                         : -1];

static struct {
    struct block *first_free;
    uintptr_t low, high; /* bounds of the memory handed to the heap, to check pointers */
    size_t free_bytes;
    size_t min_free_bytes;
    size_t allocations;
    size_t frees;
    bool ready;
} heap;

static void heap_init(void);

static uintptr_t block_end(const struct block *block)
{
    return (uintptr_t)block + (block->size & ~ALLOCATED);
}

/* Insert a free block in address order, merging it with the free blocks on either side. */
static void insert_free(struct block *block)
{
    struct block **link = &heap.first_free;
    struct block *before = NULL;

    while (*link != NULL && (uintptr_t)*link < (uintptr_t)block) {
        before = *link;
        link = &before->next;
    }
    block->next = *link;
    if (block->next != NULL && block_end(block) == (uintptr_t)block->next) {
        block->size += block->next->size;
        block->next = block->next->next;
    }
    if (before != NULL && block_end(before) == (uintptr_t)block) {
        before->size += block->size;
        before->next = block->next;
    } else {
        *link = block;
    }
}

/* Hand memory to the heap: the largest run inside [start, start + length) whose blocks are
 * placed so that payloads are aligned. Runs too small for one block are ignored. */
static void add_region(uint8_t *start, size_t length)
{
    uintptr_t first = (uintptr_t)start;
    uintptr_t end;
    struct block *block;

    if (length > UINTPTR_MAX - first - HEADER_BYTES - HEAP_ALIGN_MASK) {
        return;
    }
    end = ((first + length + HEADER_BYTES) & ~(uintptr_t)HEAP_ALIGN_MASK) - HEADER_BYTES;
    first = ((first + HEADER_BYTES + HEAP_ALIGN_MASK) & ~(uintptr_t)HEAP_ALIGN_MASK) - HEADER_BYTES;
    if (end <= first || end - first < MIN_BLOCK) {
        return;
    }
    block = (struct block *)first;
    block->size = (size_t)(end - first);
    heap.low = (heap.low == 0 || first < heap.low) ? first : heap.low;
    heap.high = end > heap.high ? end : heap.high;
    heap.free_bytes += block->size;
    heap.min_free_bytes = heap.free_bytes;
    insert_free(block);
}

/* Unlink the first free block of at least `size` bytes, splitting off what is left over when
 * that can form a block of its own. */
static void *take_first_fit(size_t size)
{
    struct block **link = &heap.first_free;
    struct block *block;

    while ((block = *link) != NULL && block->size < size) {
        link = &block->next;
    }
    if (block == NULL) {
        return NULL;
    }
    if (block->size - size >= MIN_BLOCK) {
        struct block *rest = (struct block *)((uint8_t *)block + size);
        rest->size = block->size - size;
        rest->next = block->next;
        *link = rest;
        block->size = size;
    } else {
        *link = block->next;
    }
    heap.free_bytes -= block->size;
    heap.min_free_bytes = heap.free_bytes < heap.min_free_bytes ? heap.free_bytes : heap.min_free_bytes;
    heap.allocations++;
    block->size |= ALLOCATED;
    return (uint8_t *)block + HEADER_BYTES;
}

void *pvPortMalloc(size_t xWantedSize)
{
    size_t size = heap_round_up(xWantedSize, HEADER_BYTES);
    void *payload = NULL;

    vTaskSuspendAll();
    if (!heap.ready) {
        heap_init();
    }
    if (size != 0) {
        payload = take_first_fit(size < MIN_BLOCK ? MIN_BLOCK : size);
    }
    traceMALLOC(payload, xWantedSize);
    (void)xTaskResumeAll();
    if (payload == NULL && xWantedSize != 0) {
        heap_out_of_memory();
    }
    return payload;
}

/* Catches frees of foreign pointers, of interior pointers and of blocks already freed before
 * anything is changed (a block merged into a neighbour keeps its cleared header). */
static bool is_allocated_block(const struct block *block)
{
    uintptr_t at = (uintptr_t)block;
    bool valid = heap.ready && at >= heap.low && at < heap.high && ((at + HEADER_BYTES) & HEAP_ALIGN_MASK) == 0 &&
                 (block->size & ALLOCATED) != 0 && (block->size & ~ALLOCATED) >= MIN_BLOCK &&
                 (block->size & ~ALLOCATED) <= heap.high - at;
    configASSERT(valid);
    return valid;
}

void vPortFree(void *pv)
{
    struct block *block;

    if (pv == NULL) {
        return;
    }
    block = (struct block *)((uint8_t *)pv - HEADER_BYTES);
    if (!is_allocated_block(block)) {
        return;
    }
    vTaskSuspendAll();
    block->size &= ~ALLOCATED;
    traceFREE(pv, block->size);
#if defined(configHEAP_CLEAR_MEMORY_ON_FREE) && configHEAP_CLEAR_MEMORY_ON_FREE == 1
    memset(pv, 0, block->size - HEADER_BYTES);
#endif
    heap.free_bytes += block->size;
    heap.frees++;
    insert_free(block);
    (void)xTaskResumeAll();
}

size_t xPortGetFreeHeapSize(void)
{
    return heap.free_bytes;
}

size_t xPortGetMinimumEverFreeHeapSize(void)
{
    return heap.min_free_bytes;
}

void xPortResetHeapMinimumEverFreeHeapSize(void)
{
    heap.min_free_bytes = heap.free_bytes;
}

void vPortGetHeapStats(HeapStats_t *pxHeapStats)
{
    const struct block *block;
    size_t largest = 0, smallest = 0, count = 0;

    vTaskSuspendAll();
    for (block = heap.first_free; block != NULL; block = block->next, count++) {
        largest = block->size > largest ? block->size : largest;
        smallest = (count == 0 || block->size < smallest) ? block->size : smallest;
    }
    pxHeapStats->xAvailableHeapSpaceInBytes = heap.free_bytes;
    pxHeapStats->xSizeOfLargestFreeBlockInBytes = largest;
    pxHeapStats->xSizeOfSmallestFreeBlockInBytes = smallest;
    pxHeapStats->xNumberOfFreeBlocks = count;
    pxHeapStats->xMinimumEverFreeBytesRemaining = heap.min_free_bytes;
    pxHeapStats->xNumberOfSuccessfulAllocations = heap.allocations;
    pxHeapStats->xNumberOfSuccessfulFrees = heap.frees;
    (void)xTaskResumeAll();
}

/* Forget every block; the next allocation (or vPortDefineHeapRegions) starts afresh. */
void vPortHeapResetState(void)
{
    memset(&heap, 0, sizeof heap);
}

#ifndef ALDER_HEAP_REGIONS

#if configAPPLICATION_ALLOCATED_HEAP == 1
extern uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#else
static uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#endif

static void heap_init(void)
{
    add_region(ucHeap, sizeof ucHeap);
    heap.ready = true;
}

#endif
