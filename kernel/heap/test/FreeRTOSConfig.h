/* Alder kernel: the configuration of the host heap tests (no scheduler, no board).
 * It must never be used to build a kernel image. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#define configTOTAL_HEAP_SIZE 16384
#define configAPPLICATION_ALLOCATED_HEAP 1 /* the test owns ucHeap, so it knows the bounds */
#define configUSE_MALLOC_FAILED_HOOK 1

void heap_test_assert_failed(const char *file, int line);
#define configASSERT(x)                                                                                                \
    do {                                                                                                               \
        if (!(x))                                                                                                      \
            heap_test_assert_failed(__FILE__, __LINE__);                                                               \
    } while (0)

#endif /* FREERTOS_CONFIG_H */
