/* Alder TLS group: counts the C library's heap by wrapping malloc, calloc, realloc and free (glibc's __libc_*).
 * It must never change what the allocator does: every call goes straight to glibc, only the sizes are counted. */
#include <stddef.h>
#include <stdlib.h> /* defines __GLIBC__ on glibc */

#include "tls_test_heap.h"

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#include <malloc.h>

/* glibc's own entry points, exported for exactly this kind of wrapper. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);

/* glibc may call these holding one of its locks (stdio, for one): on the posix simulator no task switch may
 * happen in here then. Weak, so that another hosted board without that port links too. */
void posix_host_call_begin(void) __attribute__((weak));
void posix_host_call_end(void) __attribute__((weak));

static void enter(void)
{
    if (posix_host_call_begin != NULL) {
        posix_host_call_begin();
    }
}

static void leave(void)
{
    if (posix_host_call_end != NULL) {
        posix_host_call_end();
    }
}

/* Several host threads allocate (the simulator's peripherals): atomics, not the kernel's critical sections. */
static long in_use, peak;
static int counted; /* a call came through these wrappers: under valgrind, its own malloc takes every call */

static void count(void *pointer, int sign)
{
    if (pointer == NULL) {
        return;
    }
    __atomic_store_n(&counted, 1, __ATOMIC_RELAXED);
    long size = (long)malloc_usable_size(pointer) * sign;
    long now = __atomic_add_fetch(&in_use, size, __ATOMIC_RELAXED);
    long seen = __atomic_load_n(&peak, __ATOMIC_RELAXED);
    while (now > seen && !__atomic_compare_exchange_n(&peak, &seen, now, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

void *malloc(size_t size)
{
    enter();
    void *pointer = __libc_malloc(size);
    count(pointer, 1);
    leave();
    return pointer;
}

void *calloc(size_t count_, size_t size)
{
    enter();
    void *pointer = __libc_calloc(count_, size);
    count(pointer, 1);
    leave();
    return pointer;
}

void *realloc(void *pointer, size_t size)
{
    enter();
    long before = pointer != NULL ? (long)malloc_usable_size(pointer) : 0;
    void *moved = __libc_realloc(pointer, size);
    if (moved != NULL || size == 0) {
        __atomic_sub_fetch(&in_use, before, __ATOMIC_RELAXED);
        count(moved, 1);
    }
    leave();
    return moved;
}

void free(void *pointer)
{
    enter();
    count(pointer, -1);
    __libc_free(pointer);
    leave();
}

long tls_test_heap_in_use(void)
{
    if (!__atomic_load_n(&counted, __ATOMIC_RELAXED)) {
        free(malloc(1)); /* a probe: reaches count() unless another malloc replaced ours */
        if (!__atomic_load_n(&counted, __ATOMIC_RELAXED)) {
            return -1;
        }
    }
    return __atomic_load_n(&in_use, __ATOMIC_RELAXED);
}

long tls_test_heap_peak(void)
{
    return __atomic_load_n(&peak, __ATOMIC_RELAXED);
}

void tls_test_heap_reset_peak(void)
{
    __atomic_store_n(&peak, __atomic_load_n(&in_use, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
}
#else
long tls_test_heap_in_use(void)
{
    return -1;
}

long tls_test_heap_peak(void)
{
    return -1;
}

void tls_test_heap_reset_peak(void)
{
}
#endif
