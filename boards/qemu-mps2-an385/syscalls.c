/* Alder qemu-mps2-an385 board: the few C library system calls an image may pull in (newlib-nano).
 * It must never let the C library's heap grow into the main stack: sbrk stops at the stack's limit. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "mps2_an385.h"

/* mps2_an385.ld: free RAM between .bss and the main stack. */
extern char __libc_heap_start__[];
extern char __libc_heap_end__[];

/* The kernel never uses malloc; only C library functions that allocate do (none of the ones
 * Alder uses). They get what RAM the image leaves free, and ENOMEM after that. */
void *_sbrk(ptrdiff_t increment)
{
    static char *brk = __libc_heap_start__;
    char *previous = brk;
    if (increment > __libc_heap_end__ - brk || increment < __libc_heap_start__ - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    brk += increment;
    return previous;
}

/* stdout and stderr (printf) go to the console; there is no input. */
int _write(int file, const char *data, int length)
{
    if (file != 1 && file != 2) {
        errno = EBADF;
        return -1;
    }
    board_console_write(data, (uint32_t)length);
    return length;
}
