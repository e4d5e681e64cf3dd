/* Alder kernel tests: the board's heap seen from tasks (free sizes, statistics, alignment, coalescing, failure hook,
 * concurrent use). It must never leave a block allocated or assume a particular allocator's layout. */
#include <string.h>

#include "test_objects.h"

/* The bump allocator never frees: the cases below are about heaps that do. */
static void require_freeing_heap(void)
{
    /* the first allocation may be what sets the heap up (static_only builds allocate nothing) */
    vPortFree(pvPortMalloc(16));
    size_t before = xPortGetFreeHeapSize();
    void *probe = pvPortMalloc(16);
    TEST_ASSERT_NOT_NULL(probe);
    vPortFree(probe);
    if (xPortGetFreeHeapSize() != before) {
        test_allow_heap_change();
        TEST_IGNORE("the board's heap never frees");
    }
}

TEST(Kernel, HeapMallocFreeRestoresFreeSize)
{
    require_freeing_heap();
    size_t before = xPortGetFreeHeapSize();
    void *block = pvPortMalloc(100);
    TEST_ASSERT_NOT_NULL(block);
    TEST_ASSERT(xPortGetFreeHeapSize() <= before - 100);
    memset(block, 0x5a, 100);
    vPortFree(block);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}

TEST(Kernel, HeapBlocksAlignedAndDisjoint)
{
    require_freeing_heap();
    size_t before = xPortGetFreeHeapSize();
    uint8_t *blocks[8];
    for (unsigned i = 0; i < 8; i++) {
        size_t size = 1 + i * 5;
        blocks[i] = pvPortMalloc(size);
        TEST_ASSERT_NOT_NULL(blocks[i]);
        TEST_ASSERT_EQ(0, (uintptr_t)blocks[i] & (portBYTE_ALIGNMENT - 1));
        memset(blocks[i], (int)(0xa0 + i), size);
    }
    /* a block that overlapped another would have had its bytes overwritten */
    for (unsigned i = 0; i < 8; i++) {
        for (size_t j = 0; j < 1 + i * 5; j++) {
            TEST_ASSERT_EQ(0xa0 + i, blocks[i][j]);
        }
    }
    for (unsigned i = 0; i < 8; i++) {
        vPortFree(blocks[i]);
    }
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}

TEST(Kernel, HeapStatsCountAllocationsAndFrees)
{
    require_freeing_heap();
    HeapStats_t before, during, after;
    vPortGetHeapStats(&before);
    TEST_ASSERT_EQ(xPortGetFreeHeapSize(), before.xAvailableHeapSpaceInBytes);
    void *a = pvPortMalloc(40);
    void *b = pvPortMalloc(200);
    TEST_ASSERT(a && b);
    vPortGetHeapStats(&during);
    TEST_ASSERT_EQ(before.xNumberOfSuccessfulAllocations + 2, during.xNumberOfSuccessfulAllocations);
    TEST_ASSERT_EQ(before.xNumberOfSuccessfulFrees, during.xNumberOfSuccessfulFrees);
    TEST_ASSERT(during.xAvailableHeapSpaceInBytes <= before.xAvailableHeapSpaceInBytes - 240);
    TEST_ASSERT(during.xMinimumEverFreeBytesRemaining <= during.xAvailableHeapSpaceInBytes);
    vPortFree(a);
    vPortFree(b);
    vPortFree(NULL); /* harmless, and not a free */
    vPortGetHeapStats(&after);
    TEST_ASSERT_EQ(before.xNumberOfSuccessfulFrees + 2, after.xNumberOfSuccessfulFrees);
    TEST_ASSERT_EQ(before.xAvailableHeapSpaceInBytes, after.xAvailableHeapSpaceInBytes);
    TEST_ASSERT(after.xSizeOfLargestFreeBlockInBytes >= after.xSizeOfSmallestFreeBlockInBytes);
    TEST_ASSERT(after.xSizeOfLargestFreeBlockInBytes <= after.xAvailableHeapSpaceInBytes);
}

TEST(Kernel, HeapFreedNeighboursCoalesce)
{
    require_freeing_heap();
    HeapStats_t base, holes, end;
    void *blocks[8];
    vPortGetHeapStats(&base);
    for (unsigned i = 0; i < 8; i++) {
        blocks[i] = pvPortMalloc(96);
        TEST_ASSERT_NOT_NULL(blocks[i]);
    }
    for (unsigned i = 0; i < 8; i += 2) {
        vPortFree(blocks[i]);
    }
    /* every other block free: the holes are separate */
    vPortGetHeapStats(&holes);
    TEST_ASSERT(holes.xNumberOfFreeBlocks >= base.xNumberOfFreeBlocks + 2);
    for (unsigned i = 1; i < 8; i += 2) {
        vPortFree(blocks[i]);
    }
    /* all free again: the holes merged with their neighbours into what was there before */
    vPortGetHeapStats(&end);
    TEST_ASSERT_EQ(base.xNumberOfFreeBlocks, end.xNumberOfFreeBlocks);
    TEST_ASSERT_EQ(base.xSizeOfLargestFreeBlockInBytes, end.xSizeOfLargestFreeBlockInBytes);
    TEST_ASSERT_EQ(base.xAvailableHeapSpaceInBytes, end.xAvailableHeapSpaceInBytes);
}

TEST(Kernel, HeapReusesFreedSpace)
{
    require_freeing_heap();
    HeapStats_t stats;
    vPortGetHeapStats(&stats);
    /* the largest free block, less room for a header, can be had, and had again after a free */
    size_t big = stats.xSizeOfLargestFreeBlockInBytes - 64;
    void *block = pvPortMalloc(big);
    TEST_ASSERT_NOT_NULL(block);
    vPortFree(block);
    block = pvPortMalloc(big);
    TEST_ASSERT_NOT_NULL(block);
    vPortFree(block);
    TEST_ASSERT_EQ(stats.xAvailableHeapSpaceInBytes, xPortGetFreeHeapSize());
}

TEST(Kernel, HeapExhaustionFailsAndCallsHook)
{
    size_t before = xPortGetFreeHeapSize();
#if configUSE_MALLOC_FAILED_HOOK
    uint32_t hooks = kt_malloc_failed_count;
#endif
    TEST_ASSERT_NULL(pvPortMalloc(before + 1));
#if configUSE_MALLOC_FAILED_HOOK
    TEST_ASSERT_EQ(hooks + 1, kt_malloc_failed_count);
#endif
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}

#if configSUPPORT_DYNAMIC_ALLOCATION
#define HOG_BLOCKS 24
static void *hogs[HOG_BLOCKS];

/* Allocate every free block of 64 bytes or more; returns how many blocks it took. */
static unsigned hog_heap(void)
{
    unsigned taken = 0;
    HeapStats_t stats;
    for (vPortGetHeapStats(&stats); taken < HOG_BLOCKS && stats.xSizeOfLargestFreeBlockInBytes >= 64;
         vPortGetHeapStats(&stats)) {
        void *block = pvPortMalloc(stats.xSizeOfLargestFreeBlockInBytes - 32);
        if (block == NULL) {
            block = pvPortMalloc(stats.xSizeOfLargestFreeBlockInBytes / 2);
        }
        if (block == NULL) {
            break;
        }
        hogs[taken++] = block;
    }
    return taken;
}

TEST(Kernel, HeapExhaustedObjectCreationFails)
{
    require_freeing_heap();
    size_t before = xPortGetFreeHeapSize();
    unsigned taken = hog_heap();
    HeapStats_t stats;
    vPortGetHeapStats(&stats);
    /* a kernel object that cannot get its memory is refused, not half made */
    QueueHandle_t queue = xQueueCreate(8, 16);
    size_t left = xPortGetFreeHeapSize();
    while (taken > 0) {
        vPortFree(hogs[--taken]);
    }
    if (queue != NULL) {
        vQueueDelete(queue);
    }
    TEST_ASSERT(stats.xSizeOfLargestFreeBlockInBytes < 64);
    TEST_ASSERT_NULL(queue);
    TEST_ASSERT_EQ(stats.xAvailableHeapSpaceInBytes, left);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
}
#endif

TEST(Kernel, HeapMinimumEverFreeTracksLowWater)
{
    require_freeing_heap();
    size_t low_before = xPortGetMinimumEverFreeHeapSize();
    TEST_ASSERT(low_before <= xPortGetFreeHeapSize());
    void *block = pvPortMalloc(512);
    TEST_ASSERT_NOT_NULL(block);
    size_t free_with_block = xPortGetFreeHeapSize();
    size_t low = xPortGetMinimumEverFreeHeapSize();
    TEST_ASSERT(low <= free_with_block);
    TEST_ASSERT(low <= low_before);
    vPortFree(block);
    /* freeing never raises the low-water mark */
    TEST_ASSERT_EQ(low, xPortGetMinimumEverFreeHeapSize());
}

/* ---- several tasks at once ---- */

#define HEAP_WORKER_ROUNDS 40

static struct {
    SemaphoreHandle_t done;
    volatile uint32_t corrupted;
} workers;

/* Allocates and frees blocks of varying size, yielding between, and checks that no other task
 * wrote into a block it holds. */
static void heap_worker_task(void *arg)
{
    uint32_t rng = (uint32_t)(uintptr_t)arg;
    uint8_t *held[3] = {NULL, NULL, NULL};
    size_t sizes[3] = {0, 0, 0};
    for (int round = 0; round < HEAP_WORKER_ROUNDS; round++) {
        unsigned slot = test_random(&rng) % 3;
        if (held[slot] != NULL) {
            for (size_t i = 0; i < sizes[slot]; i++) {
                workers.corrupted += held[slot][i] != (uint8_t)(slot + (uintptr_t)arg);
            }
            vPortFree(held[slot]);
            held[slot] = NULL;
        } else {
            sizes[slot] = 8 + test_random(&rng) % 120;
            held[slot] = pvPortMalloc(sizes[slot]);
            if (held[slot] != NULL) {
                memset(held[slot], (int)(uint8_t)(slot + (uintptr_t)arg), sizes[slot]);
            }
        }
        taskYIELD();
    }
    for (unsigned slot = 0; slot < 3; slot++) {
        vPortFree(held[slot]);
    }
    (void)xSemaphoreGive(workers.done);
    kt_park();
}

TEST(Kernel, HeapSharedByTasks)
{
    require_freeing_heap();
    workers.done = obj_counting(2, 0);
    workers.corrupted = 0;
    TaskHandle_t a = obj_spawn(heap_worker_task, "heapA", (void *)0x11, KT_LOW);
    TaskHandle_t b = obj_spawn(heap_worker_task, "heapB", (void *)0x57, KT_LOW);
    size_t with_workers = xPortGetFreeHeapSize();
    for (int i = 0; i < 2; i++) {
        TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(workers.done, 1000));
    }
    TEST_ASSERT_EQ(0, workers.corrupted);
    TEST_ASSERT_EQ(with_workers, xPortGetFreeHeapSize());
    kt_delete(a);
    kt_delete(b);
    vSemaphoreDelete(workers.done);
}
