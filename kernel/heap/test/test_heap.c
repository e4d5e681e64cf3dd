/* Alder kernel: host unit tests of the heap allocators, one program per allocator (HEAP_KIND).
 * It must never need the scheduler: the task functions the heaps call are stubbed here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "FreeRTOS.h"
#include "task.h"

/* Built three times: with heap_bump.c, heap_first_fit.c and heap_regions.c. */
#define KIND_BUMP 1
#define KIND_FIRST_FIT 2
#define KIND_REGIONS 4
#define KIND_FREEING (KIND_FIRST_FIT | KIND_REGIONS)
#define KIND_ALL (KIND_BUMP | KIND_FREEING)
#ifndef HEAP_KIND
#error "build with -DHEAP_KIND=1 (bump), 2 (first fit) or 4 (regions)"
#endif

/* Not in portable.h yet (FreeRTOS V11 names). */
void *pvPortCalloc(size_t xNum, size_t xSize);
void vPortHeapResetState(void);
void xPortResetHeapMinimumEverFreeHeapSize(void);

#define ALIGN ((uintptr_t)portBYTE_ALIGNMENT)

/* ---- a tiny test harness with the project's output format ---- */

static jmp_buf case_end;
static jmp_buf *assert_target;
static char failure[256];
static int hook_calls;
static int suspend_depth;
static int deepest_suspend;

static void fail_case(const char *file, int line, const char *format, ...)
{
    va_list args;
    int used = snprintf(failure, sizeof failure, "%s:%d: ", file, line);
    va_start(args, format);
    vsnprintf(failure + used, sizeof failure - (size_t)used, format, args);
    va_end(args);
    longjmp(case_end, 1);
}

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            fail_case(__FILE__, __LINE__, "expected %s", #cond);                                                       \
    } while (0)
#define CHECK_EQ(expected, actual)                                                                                     \
    do {                                                                                                               \
        unsigned long long e_ = (unsigned long long)(expected), a_ = (unsigned long long)(actual);                     \
        if (e_ != a_)                                                                                                  \
            fail_case(__FILE__, __LINE__, "%s == %s: expected %llu, got %llu", #expected, #actual, e_, a_);            \
    } while (0)

/* configASSERT (see FreeRTOSConfig.h here) lands here. */
void heap_test_assert_failed(const char *file, int line)
{
    if (assert_target != NULL) {
        longjmp(*assert_target, 1);
    }
    fail_case(file, line, "configASSERT failed");
}

/* The statement must assert; the heap lock depth is put back as it was (an assert may fire
 * with the scheduler "suspended", where the real kernel would have stopped anyway). */
#define EXPECT_ASSERT(stmt)                                                                                            \
    do {                                                                                                               \
        jmp_buf jb_;                                                                                                   \
        int depth_ = suspend_depth;                                                                                    \
        if (setjmp(jb_) == 0) {                                                                                        \
            assert_target = &jb_;                                                                                      \
            stmt;                                                                                                      \
            assert_target = NULL;                                                                                      \
            fail_case(__FILE__, __LINE__, "expected an assertion from %s", #stmt);                                     \
        }                                                                                                              \
        assert_target = NULL;                                                                                          \
        suspend_depth = depth_;                                                                                        \
    } while (0)

/* ---- stubs for what the heaps need from the kernel ---- */

void vTaskSuspendAll(void)
{
    suspend_depth++;
    deepest_suspend = suspend_depth > deepest_suspend ? suspend_depth : deepest_suspend;
}

BaseType_t xTaskResumeAll(void)
{
    if (suspend_depth <= 0) {
        fail_case(__FILE__, __LINE__, "xTaskResumeAll without vTaskSuspendAll");
    }
    suspend_depth--;
    return pdFALSE;
}

void vApplicationMallocFailedHook(void)
{
    CHECK_EQ(0, suspend_depth); /* the hook runs outside the heap lock */
    hook_calls++;
}

/* ---- the memory each allocator manages ---- */

#if HEAP_KIND == KIND_REGIONS
/* Three regions with gaps between them, the first starting misaligned. The gaps hold a
 * pattern that must survive every case. */
#define ARENA_BYTES 20000
static uint8_t arena[ARENA_BYTES];
static const size_t region_at[3] = {5, 6000, 14000};
static const size_t region_bytes[3] = {4000, 6000, 3001};
#define REGION_COUNT 3
#define GAP_PATTERN 0x5a

static void define_default_regions(void)
{
    HeapRegion_t regions[REGION_COUNT + 1];
    size_t i;
    for (i = 0; i < REGION_COUNT; i++) {
        regions[i].pucStartAddress = arena + region_at[i];
        regions[i].xSizeInBytes = region_bytes[i];
    }
    regions[REGION_COUNT].pucStartAddress = NULL;
    regions[REGION_COUNT].xSizeInBytes = 0;
    vPortDefineHeapRegions(regions);
}

static int in_heap(const void *block, size_t size)
{
    size_t i;
    for (i = 0; i < REGION_COUNT; i++) {
        const uint8_t *lo = arena + region_at[i];
        if ((const uint8_t *)block >= lo && (const uint8_t *)block + size <= lo + region_bytes[i]) {
            return 1;
        }
    }
    return 0;
}

static void prepare_heap(void)
{
    size_t i;
    memset(arena, GAP_PATTERN, sizeof arena);
    for (i = 0; i < REGION_COUNT; i++) {
        memset(arena + region_at[i], 0, region_bytes[i]);
    }
    vPortHeapResetState();
    define_default_regions();
}

static void check_heap_boundaries(void)
{
    size_t i, at = 0;
    for (i = 0; i <= REGION_COUNT; i++) {
        size_t end = i < REGION_COUNT ? region_at[i] : ARENA_BYTES;
        for (; at < end; at++) {
            CHECK_EQ(GAP_PATTERN, arena[at]);
        }
        at = i < REGION_COUNT ? end + region_bytes[i] : end;
    }
}
#define TOTAL_BYTES (4000u + 6000u + 3001u)
#else
uint8_t ucHeap[configTOTAL_HEAP_SIZE]; /* configAPPLICATION_ALLOCATED_HEAP is 1 here */

static int in_heap(const void *block, size_t size)
{
    return (const uint8_t *)block >= ucHeap && (const uint8_t *)block + size <= ucHeap + sizeof ucHeap;
}

static void prepare_heap(void)
{
    vPortHeapResetState();
}

static void check_heap_boundaries(void)
{
}
#define TOTAL_BYTES ((size_t)configTOTAL_HEAP_SIZE)
#endif

static HeapStats_t stats_now(void)
{
    HeapStats_t stats;
    memset(&stats, 0xee, sizeof stats);
    vPortGetHeapStats(&stats);
    return stats;
}

/* The state of an untouched heap (the first-fit heap sets itself up on first use). */
static HeapStats_t pristine_stats(void)
{
    void *first = pvPortMalloc(1);
    CHECK(first != NULL);
    vPortFree(first);
    return stats_now();
}

static int overlaps(const uint8_t *a, size_t a_size, const uint8_t *b, size_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* ---- cases for every allocator ---- */

static void test_alignment(void)
{
    uint8_t *blocks[64];
    size_t i;

    for (i = 0; i < 64; i++) {
        blocks[i] = pvPortMalloc(i + 1);
        CHECK(blocks[i] != NULL);
        CHECK_EQ(0, (uintptr_t)blocks[i] & (ALIGN - 1));
        CHECK(in_heap(blocks[i], i + 1));
        memset(blocks[i], (int)i, i + 1);
    }
    for (i = 0; i < 64; i++) {
        size_t j;
        for (j = 0; j <= i; j++) {
            CHECK_EQ(i, blocks[i][j]);
        }
        if (i > 0) {
            CHECK(!overlaps(blocks[i], i + 1, blocks[i - 1], i));
        }
    }
}

static void test_zero_size_returns_null_without_hook(void)
{
    CHECK(pvPortMalloc(0) == NULL);
    CHECK_EQ(0, hook_calls);
    CHECK(pvPortCalloc(0, 8) == NULL);
    CHECK(pvPortCalloc(8, 0) == NULL);
    CHECK_EQ(0, hook_calls);
}

static void test_huge_sizes_return_null(void)
{
    const size_t huge[] = {SIZE_MAX,         SIZE_MAX - 1, SIZE_MAX - 2 * ALIGN,
                           SIZE_MAX / 2 + 1, SIZE_MAX / 2, TOTAL_BYTES + 1};
    HeapStats_t before = pristine_stats();
    size_t i;

    for (i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        CHECK(pvPortMalloc(huge[i]) == NULL);
        CHECK_EQ(i + 1, hook_calls);
    }
    CHECK(pvPortCalloc(SIZE_MAX / 2, 3) == NULL);
    CHECK(pvPortCalloc(3, SIZE_MAX / 2) == NULL);
    CHECK(pvPortCalloc((size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)) == NULL);
    CHECK_EQ(i + 3, hook_calls);
    CHECK_EQ(before.xAvailableHeapSpaceInBytes, xPortGetFreeHeapSize());
}

static void test_exhaustion_returns_null_and_calls_hook(void)
{
    size_t count = 0, free_before;
    HeapStats_t stats;
    void *block;

    while ((block = pvPortMalloc(40)) != NULL) {
        CHECK(in_heap(block, 40));
        memset(block, 0xa5, 40);
        count++;
        CHECK(count <= TOTAL_BYTES / 40);
    }
    CHECK_EQ(1, hook_calls);
    CHECK(count >= TOTAL_BYTES / 64); /* at most 24 bytes of overhead per 40-byte block */
    free_before = xPortGetFreeHeapSize();
    stats = stats_now();
    CHECK(stats.xSizeOfLargestFreeBlockInBytes < 40 + sizeof(size_t) + ALIGN);
    CHECK_EQ(count, stats.xNumberOfSuccessfulAllocations);
    CHECK(pvPortMalloc(40) == NULL);
    CHECK_EQ(2, hook_calls);
    CHECK_EQ(free_before, xPortGetFreeHeapSize());
}

static void test_calloc_zeroes(void)
{
    uint8_t *block;
    size_t i;

    /* dirty some memory first, so zeroes come from calloc and not from the startup code */
    block = pvPortMalloc(256);
    CHECK(block != NULL);
    memset(block, 0xff, 256);
    vPortFree(block);
    block = pvPortCalloc(16, 16);
    CHECK(block != NULL);
    CHECK_EQ(0, (uintptr_t)block & (ALIGN - 1));
    for (i = 0; i < 256; i++) {
        CHECK_EQ(0, block[i]);
    }
}

static void test_free_null_does_nothing(void)
{
    HeapStats_t before = pristine_stats();
    HeapStats_t after;

    vPortFree(NULL);
    after = stats_now();
    CHECK_EQ(before.xAvailableHeapSpaceInBytes, after.xAvailableHeapSpaceInBytes);
    CHECK_EQ(before.xNumberOfSuccessfulFrees, after.xNumberOfSuccessfulFrees);
}

static void test_stats_track_allocations(void)
{
    HeapStats_t before = pristine_stats();
    HeapStats_t after;
    void *a = pvPortMalloc(100);
    void *b = pvPortMalloc(200);

    CHECK(a != NULL && b != NULL);
    after = stats_now();
    CHECK_EQ(before.xNumberOfSuccessfulAllocations + 2, after.xNumberOfSuccessfulAllocations);
    CHECK(after.xAvailableHeapSpaceInBytes <= before.xAvailableHeapSpaceInBytes - 300);
    CHECK(after.xAvailableHeapSpaceInBytes >= before.xAvailableHeapSpaceInBytes - 300 - 2 * (sizeof(size_t) + ALIGN));
    CHECK_EQ(after.xAvailableHeapSpaceInBytes, xPortGetFreeHeapSize());
    CHECK_EQ(xPortGetFreeHeapSize(), xPortGetMinimumEverFreeHeapSize());
    CHECK_EQ(after.xMinimumEverFreeBytesRemaining, xPortGetMinimumEverFreeHeapSize());
    CHECK(after.xSizeOfLargestFreeBlockInBytes <= after.xAvailableHeapSpaceInBytes);
    CHECK(after.xSizeOfSmallestFreeBlockInBytes <= after.xSizeOfLargestFreeBlockInBytes);
    CHECK(after.xNumberOfFreeBlocks >= 1);
    CHECK(deepest_suspend >= 1); /* the heap took its lock */
}

static void test_minimum_ever_free_is_a_low_water_mark(void)
{
    size_t low;
    void *b;
    void *a = pvPortMalloc(64);

    CHECK(a != NULL);
    b = pvPortMalloc(512);
    CHECK(b != NULL);
    low = xPortGetFreeHeapSize();
    vPortFree(b);
    CHECK(xPortGetFreeHeapSize() > low);
    CHECK_EQ(low, xPortGetMinimumEverFreeHeapSize());
    CHECK_EQ(low, stats_now().xMinimumEverFreeBytesRemaining);
    xPortResetHeapMinimumEverFreeHeapSize();
    CHECK_EQ(xPortGetFreeHeapSize(), xPortGetMinimumEverFreeHeapSize());
}

/* ---- the bump heap ---- */

static void test_bump_free_is_ignored(void)
{
    static uint8_t outside[64];
    uint8_t *a = pvPortMalloc(24);
    uint8_t *b = pvPortMalloc(24);
    size_t free_bytes = xPortGetFreeHeapSize();

    CHECK(a != NULL && b != NULL && b > a);
    vPortFree(b);
    vPortFree(a);
    CHECK_EQ(free_bytes, xPortGetFreeHeapSize());
    CHECK((uint8_t *)pvPortMalloc(8) > b); /* nothing is reused */
    CHECK_EQ(0, stats_now().xNumberOfSuccessfulFrees);
    EXPECT_ASSERT(vPortFree(outside + ALIGN)); /* never handed out */
}

static void test_bump_exhausts_exactly(void)
{
    size_t free_bytes = xPortGetFreeHeapSize();
    uint8_t *all = pvPortMalloc(free_bytes);

    CHECK(all != NULL);
    CHECK(in_heap(all, free_bytes));
    CHECK_EQ(0, xPortGetFreeHeapSize());
    CHECK(pvPortMalloc(1) == NULL);
    CHECK_EQ(0, stats_now().xNumberOfFreeBlocks);
}

/* ---- the freeing heaps ---- */

static void check_whole_again(const HeapStats_t *pristine)
{
    HeapStats_t now = stats_now();
    CHECK_EQ(pristine->xAvailableHeapSpaceInBytes, now.xAvailableHeapSpaceInBytes);
    CHECK_EQ(pristine->xNumberOfFreeBlocks, now.xNumberOfFreeBlocks);
    CHECK_EQ(pristine->xSizeOfLargestFreeBlockInBytes, now.xSizeOfLargestFreeBlockInBytes);
    CHECK_EQ(pristine->xSizeOfSmallestFreeBlockInBytes, now.xSizeOfSmallestFreeBlockInBytes);
}

/* Five neighbouring blocks freed in each of the 120 orders must always merge back into one. */
static void test_coalescing_in_every_order(void)
{
    HeapStats_t pristine = pristine_stats();
    size_t order[5] = {0, 1, 2, 3, 4};
    unsigned permutation;

    for (permutation = 0; permutation < 120; permutation++) {
        void *blocks[5];
        size_t i, pick = permutation, pool[5] = {0, 1, 2, 3, 4}, left = 5;
        for (i = 0; i < 5; i++) { /* the permutation-th ordering, by the factorial number system */
            size_t f = 1, k;
            for (k = 2; k < left; k++) {
                f *= k;
            }
            order[i] = pool[pick / f];
            for (k = pick / f; k + 1 < left; k++) {
                pool[k] = pool[k + 1];
            }
            pick %= f;
            left--;
        }
        for (i = 0; i < 5; i++) {
            blocks[i] = pvPortMalloc(48 + 16 * i);
            CHECK(blocks[i] != NULL);
        }
        for (i = 0; i < 5; i++) {
            vPortFree(blocks[order[i]]);
        }
        check_whole_again(&pristine);
    }
}

static void test_fragmentation_and_reuse(void)
{
    HeapStats_t pristine = pristine_stats();
    uint8_t *blocks[40];
    uint8_t *again;
    size_t i;

    for (i = 0; i < 40; i++) {
        blocks[i] = pvPortMalloc(100);
        CHECK(blocks[i] != NULL);
    }
    for (i = 0; i < 40; i += 2) {
        vPortFree(blocks[i]);
    }
    /* 20 holes of about 100 bytes, none big enough for 300, yet a 100-byte block goes back
     * into the lowest hole (first fit) */
    CHECK(stats_now().xNumberOfFreeBlocks >= 20);
    again = pvPortMalloc(100);
    CHECK(again == blocks[0]);
    vPortFree(again);
    for (i = 1; i < 40; i += 2) {
        vPortFree(blocks[i]);
    }
    check_whole_again(&pristine);
}

static void test_split_keeps_remainders_usable(void)
{
    HeapStats_t pristine = pristine_stats();
    uint8_t *a = pvPortMalloc(200);
    uint8_t *b = pvPortMalloc(8);
    uint8_t *small[8];
    size_t i;

    CHECK(a != NULL && b != NULL);
    vPortFree(a);
    /* the 200-byte hole is carved from its start into small blocks */
    for (i = 0; i < 8; i++) {
        small[i] = pvPortMalloc(1 + i);
        CHECK(small[i] != NULL);
        CHECK(small[i] >= a && small[i] < b);
    }
    for (i = 0; i < 8; i++) {
        vPortFree(small[i]);
    }
    vPortFree(b);
    check_whole_again(&pristine);
}

static void test_bad_frees_assert(void)
{
    HeapStats_t before;
    uint8_t *a = pvPortMalloc(64);
    uint8_t *b = pvPortMalloc(64);
    static uint8_t outside[64];

    CHECK(a != NULL && b != NULL);
    memset(a, 0, 64); /* so the word before a + ALIGN does not look like a header */
    before = stats_now();
    EXPECT_ASSERT(vPortFree(a + ALIGN));       /* interior pointer */
    EXPECT_ASSERT(vPortFree(a + 1));           /* misaligned */
    EXPECT_ASSERT(vPortFree(outside + ALIGN)); /* not from the heap */
    vPortFree(a);
    EXPECT_ASSERT(vPortFree(a)); /* double free */
    vPortFree(b);
    EXPECT_ASSERT(vPortFree(b)); /* double free of a block merged into its neighbour */
    CHECK_EQ(before.xNumberOfSuccessfulFrees + 2, stats_now().xNumberOfSuccessfulFrees);
}

struct live_block {
    uint8_t *at;
    size_t size;
    uint8_t fill;
};

static void check_fill(const struct live_block *block)
{
    size_t i;
    for (i = 0; i < block->size; i++) {
        CHECK_EQ(block->fill, block->at[i]);
    }
}

static void random_allocation(struct live_block *live, size_t *count, uint32_t *seed)
{
    size_t size = 1 + next_random(seed) % ((next_random(seed) % 8) == 0 ? 3000 : 160);
    uint8_t *at = pvPortMalloc(size);
    size_t i;

    if (at == NULL) {
        /* only acceptable when no free block could have held it */
        CHECK(stats_now().xSizeOfLargestFreeBlockInBytes < size + sizeof(size_t) + ALIGN);
        return;
    }
    CHECK_EQ(0, (uintptr_t)at & (ALIGN - 1));
    CHECK(in_heap(at, size));
    for (i = 0; i < *count; i++) {
        CHECK(!overlaps(at, size, live[i].at, live[i].size));
    }
    live[*count].at = at;
    live[*count].size = size;
    live[*count].fill = (uint8_t)next_random(seed);
    memset(at, live[*count].fill, size);
    (*count)++;
}

static void random_free(struct live_block *live, size_t *count, uint32_t *seed)
{
    size_t victim = next_random(seed) % *count;
    check_fill(&live[victim]);
    vPortFree(live[victim].at);
    live[victim] = live[--*count];
}

/* A shadow list of live blocks checks every allocation against all the others. */
static void test_random_against_shadow_model(void)
{
    enum { MAX_LIVE = 96, STEPS = 40000 };
    HeapStats_t pristine = pristine_stats();
    struct live_block live[MAX_LIVE];
    size_t count = 0, step;
    uint32_t seed = 0x2545f491u;

    for (step = 0; step < STEPS; step++) {
        int allocate = count == 0 || (count < MAX_LIVE && next_random(&seed) % 100 < 55);
        if (allocate) {
            random_allocation(live, &count, &seed);
        } else {
            random_free(live, &count, &seed);
        }
        if (step % 512 == 0) {
            HeapStats_t now = stats_now();
            CHECK_EQ(now.xAvailableHeapSpaceInBytes, xPortGetFreeHeapSize());
            CHECK(now.xMinimumEverFreeBytesRemaining <= now.xAvailableHeapSpaceInBytes);
            check_heap_boundaries();
        }
    }
    CHECK(hook_calls > 0); /* the large requests did run the heap dry sometimes */
    while (count > 0) {
        random_free(live, &count, &seed);
    }
    check_whole_again(&pristine);
}

/* ---- the regions heap ---- */

#if HEAP_KIND == KIND_REGIONS
static void test_regions_with_gaps(void)
{
    HeapStats_t pristine = pristine_stats();
    size_t total = 0;
    void *block;

    CHECK_EQ(REGION_COUNT, pristine.xNumberOfFreeBlocks);
    CHECK(pristine.xAvailableHeapSpaceInBytes <= TOTAL_BYTES);
    CHECK(pristine.xAvailableHeapSpaceInBytes >= TOTAL_BYTES - REGION_COUNT * 2 * ALIGN);
    /* bigger than any region but smaller than their sum: never bridges a gap */
    CHECK(pvPortMalloc(7000) == NULL);
    while ((block = pvPortMalloc(24)) != NULL) {
        CHECK(in_heap(block, 24));
        memset(block, 0, 24);
        total += 24;
    }
    CHECK(total >= TOTAL_BYTES / 2);
    check_heap_boundaries();
}

static void test_regions_touching_merge(void)
{
    HeapRegion_t regions[3] = {{arena + 6000, 1000}, {arena + 7000, 1000}, {NULL, 0}};
    HeapStats_t stats;
    void *big;

    vPortHeapResetState();
    vPortDefineHeapRegions(regions);
    stats = stats_now();
    CHECK_EQ(1, stats.xNumberOfFreeBlocks);
    big = pvPortMalloc(1500);
    CHECK(big != NULL);
    vPortFree(big);
}

static void test_regions_order_is_enforced(void)
{
    HeapRegion_t regions[3] = {{arena + 8000, 1000}, {arena + 6000, 1000}, {NULL, 0}};

    vPortHeapResetState();
    EXPECT_ASSERT(vPortDefineHeapRegions(regions));
    vPortHeapResetState();
    EXPECT_ASSERT(pvPortMalloc(8)); /* before any region is defined */
    define_default_regions();
    EXPECT_ASSERT(define_default_regions()); /* only once */
    CHECK(pvPortMalloc(8) != NULL);
}

static void test_tiny_regions_are_skipped(void)
{
    HeapRegion_t regions[3] = {{arena + 6001, 3}, {arena + 6100, 1000}, {NULL, 0}};

    vPortHeapResetState();
    vPortDefineHeapRegions(regions);
    CHECK_EQ(1, stats_now().xNumberOfFreeBlocks);
}
#endif

/* ---- the runner ---- */

struct test_case {
    const char *name;
    void (*body)(void);
    int kinds;
};

static const struct test_case cases[] = {
    {"Alignment", test_alignment, KIND_ALL},
    {"ZeroSizeReturnsNullWithoutHook", test_zero_size_returns_null_without_hook, KIND_ALL},
    {"HugeSizesReturnNull", test_huge_sizes_return_null, KIND_ALL},
    {"ExhaustionReturnsNullAndCallsHook", test_exhaustion_returns_null_and_calls_hook, KIND_ALL},
    {"CallocZeroes", test_calloc_zeroes, KIND_ALL},
    {"FreeNullDoesNothing", test_free_null_does_nothing, KIND_ALL},
    {"StatsTrackAllocations", test_stats_track_allocations, KIND_ALL},
    {"MinimumEverFreeIsALowWaterMark", test_minimum_ever_free_is_a_low_water_mark, KIND_FREEING},
    {"BumpFreeIsIgnored", test_bump_free_is_ignored, KIND_BUMP},
    {"BumpExhaustsExactly", test_bump_exhausts_exactly, KIND_BUMP},
    {"CoalescingInEveryOrder", test_coalescing_in_every_order, KIND_FREEING},
    {"FragmentationAndReuse", test_fragmentation_and_reuse, KIND_FREEING},
    {"SplitKeepsRemaindersUsable", test_split_keeps_remainders_usable, KIND_FREEING},
    {"BadFreesAssert", test_bad_frees_assert, KIND_FREEING},
    {"RandomAgainstShadowModel", test_random_against_shadow_model, KIND_FREEING},
#if HEAP_KIND == KIND_REGIONS
    {"RegionsWithGaps", test_regions_with_gaps, KIND_REGIONS},
    {"RegionsTouchingMerge", test_regions_touching_merge, KIND_REGIONS},
    {"RegionsOrderIsEnforced", test_regions_order_is_enforced, KIND_REGIONS},
    {"TinyRegionsAreSkipped", test_tiny_regions_are_skipped, KIND_REGIONS},
#endif
};

static int run_case(const struct test_case *test)
{
    hook_calls = 0;
    suspend_depth = 0;
    deepest_suspend = 0;
    assert_target = NULL;
    if (setjmp(case_end) == 0) {
        prepare_heap();
        test->body();
        CHECK_EQ(0, suspend_depth);
        check_heap_boundaries();
        printf("TEST(Heap, %s) PASS\n", test->name);
        return 0;
    }
    printf("TEST(Heap, %s) FAIL %s\n", test->name, failure);
    return 1;
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int tests = 0, failures = 0, ignored = 0;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (filter != NULL && strstr(cases[i].name, filter) == NULL) {
            continue;
        }
        tests++;
        if ((cases[i].kinds & HEAP_KIND) == 0) {
            printf("TEST(Heap, %s) IGNORE not for this allocator\n", cases[i].name);
            ignored++;
            continue;
        }
        failures += run_case(&cases[i]);
    }
    printf("%d Tests %d Failures %d Ignored\n%s\n", tests, failures, ignored, failures ? "FAIL" : "OK");
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
